"""Motor-cortex demand and metabolic reserve, and tapping as the cortex allows it."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis.assess.tapping import cortex_limited
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.physiology.brain import motor_cortex as mc
from myoaxis.physiology.neural import tapping


def body(*conditions: tuple[str, ...], **values: float) -> Body:
    params = [subject_parameters("healthy_adult", "female", 45, c) for c in conditions]
    if values:
        params = [p.with_values(values, "test") for p in params]
    return Body(params, np.full(len(params), 65.0), 45.0)


HEALTHY, FM = (), ("fibromyalgia",)


def test_demand_follows_sadatos_rate_dependence():
    p = mc.MotorCortexParameters.from_values(body(HEALTHY).values)
    d = mc.demand(p, np.array([[0.25, 0.5, 1.0, 2.0, 3.0, 4.0]]))[0]
    assert np.all(np.diff(d) > 0)
    assert d[1] < 0.05  # no significant activation at 0.25-0.5 Hz
    assert d[3] - d[2] > 0.4  # steep rise between 1 and 2 Hz
    assert d[5] - d[4] < 0.1  # little further rise at 3-4 Hz


def test_capacity_falls_with_fatigue_only_in_fibromyalgia():
    b = body(HEALTHY, FM, FM)
    b.params[2] = b.params[2].with_values({"symptoms.fatigue": 0.9}, "test")
    p = mc.MotorCortexParameters.from_values(b.values)
    assert p.capacity[0] == 1.0
    assert 1.0 > p.capacity[1] > p.capacity[2]
    h, fatigue = (
        b.params[1].value(n) for n in ("motor_cortex.fatigue_hypometabolism", "symptoms.fatigue")
    )
    np.testing.assert_allclose(p.capacity[1], 1.0 - h * fatigue)


def test_low_demand_is_met_in_full_and_high_demand_fades_to_the_plateau():
    p = mc.MotorCortexParameters.from_values(body(HEALTHY, FM).values)
    dt, n = 0.1, 600
    for level in (0.2, 0.98):
        trace, reserve = mc.simulate(p, np.full((2, n), level), dt)
        np.testing.assert_allclose(trace.activity[0], level)  # healthy: always met
        if level < p.capacity[1]:
            np.testing.assert_allclose(trace.activity[1], level)
            np.testing.assert_allclose(reserve[1], 1.0)
    z = trace.activity[1]
    assert z[0] == pytest.approx(0.98)  # a full reserve meets the demand at first
    c = p.capacity[1]
    r_star = p.depletion_time[1] / (p.depletion_time[1] + p.recovery_time[1] * (1 - c))
    assert z[-1] == pytest.approx(c + (1 - c) * r_star, rel=0.01)  # the analytic plateau
    assert np.all(np.diff(z) <= 1e-12)


def test_reserve_recovers_at_rest_and_carries_into_the_next_bout():
    p = mc.MotorCortexParameters.from_values(body(FM).values)
    _, low = mc.simulate(p, np.full((1, 300), 1.0), 0.1)
    assert low[0] < 0.5
    back = mc.recover(p, low, 30.0)
    assert low[0] < back[0] < 1.0
    again, _ = mc.simulate(p, np.full((1, 10), 1.0), 0.1, back)
    fresh, _ = mc.simulate(p, np.full((1, 10), 1.0), 0.1)
    assert again.activity[0, 5] < fresh.activity[0, 5]


def test_fibromyalgia_taps_slower_only_when_fast():
    b = body(HEALTHY, FM)
    tap = tapping.TappingParameters.from_values(b.values)
    cp = mc.MotorCortexParameters.from_values(b.values)
    slow = cortex_limited(tapping.paced_bout(1.0, 20.0, tap), cp, 0.1).bout
    np.testing.assert_allclose(slow.achieved_rate, [1.0, 1.0])
    fast = cortex_limited(tapping.maximal_bout(20.0, tap), cp, 0.1)
    untouched = tapping.maximal_bout(20.0, tap)
    n = untouched.n_taps[0]
    np.testing.assert_allclose(fast.bout.tap_times[0, :n], untouched.tap_times[0, :n], atol=1e-6)
    assert fast.bout.achieved_rate[1] < 0.9 * fast.bout.achieved_rate[0]
    assert fast.reserve[1] < fast.reserve[0] == 1.0


def test_limited_bout_retimes_taps_from_the_delivered_drive():
    tap = tapping.TappingParameters.from_values(body(HEALTHY).values)
    bout = tapping.paced_bout(2.0, 10.0, tap)
    times = np.arange(0.0, 10.0, 0.1)
    half = np.where(times < 5.0, 1.0, 0.5)[None, :]
    done = tapping.limited(bout, times, half, 1e-3)
    taps = done.tap_times[0][np.isfinite(done.tap_times[0])]
    np.testing.assert_allclose(taps[:10], np.arange(10) / 2.0 + 0.25, atol=1e-9)
    assert done.rate_between(5.5, 10.0)[0] == pytest.approx(1.0, rel=1e-3)
    np.testing.assert_allclose(done.phase(np.array([5.0, 10.0]))[0], [10.0, 15.0], atol=1e-9)


def test_bad_parameters_and_shapes_are_errors():
    with pytest.raises(ParameterError, match="capacity"):
        mc.MotorCortexParameters.from_values(
            body(FM, **{"motor_cortex.fatigue_hypometabolism": 2.0}).values
        )
    p = mc.MotorCortexParameters.from_values(body(HEALTHY).values)
    with pytest.raises(SimulationError, match="shape"):
        mc.simulate(p, np.ones((2, 5)), 0.1)
    with pytest.raises(SimulationError, match="positive"):
        mc.simulate(p, np.ones((1, 5)), 0.0)
