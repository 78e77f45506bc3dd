"""The HPA axis of the slow layer: exact daily limit cycle, glucocorticoid feedback, the exercise
threshold, sleep and the awakening response, IL-6, non-negativity and the unit check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.equations import Component, Model, State
from myoaxis.core.expressions import ExpressionError
from myoaxis.physiology.endocrine.hpa import HPA
from myoaxis.slow import SlowLayer

HOUR = 3600.0
MINUTE = 60.0

# plasma IL-6 held wherever a test puts it (SlowLayer.add), at rest otherwise
IL6_CLAMP = Component(
    "il6_clamp",
    states=(State("il6_plasma", "pg/mL", "plasma IL-6 (clamped)", "0", "il6.baseline_plasma"),),
    parameters={"il6.baseline_plasma": "pg/mL"},
)
COMPONENTS = (HPA, IL6_CLAMP)


def layer(clocks, period: float = 5 * MINUTE, **overrides) -> SlowLayer:
    """One subject per clock time at the scenario start (hours)."""
    params = [
        subject_parameters(
            "healthy_adult",
            "female",
            45.0,
            overrides={"circadian.clock_at_start": f"{c} h", **overrides},
        )
        for c in clocks
    ]
    return SlowLayer(Body(params, np.full(len(params), 70.0)), period, components=COMPONENTS)


def series(slow: SlowLayer, name: str) -> tuple[np.ndarray, np.ndarray]:
    times, values = slow.series()
    names = [v.name for v in (*slow.model.states, *slow.model.assignments)]
    return times, values[names.index(name)]


def test_the_resting_axis_starts_on_and_stays_on_its_daily_limit_cycle():
    clocks = (0.0, 8.0, 17.5)
    slow = layer(clocks)
    slow.advance(3 * 24 * HOUR)
    times, cortisol = series(slow, "cortisol_plasma")
    _, reference = series(slow, "hpa_circadian_cortisol")
    np.testing.assert_allclose(cortisol, reference, rtol=1e-6)
    day = round(24 * HOUR / slow.period)
    for name in ("crh_release", "acth_plasma", "cortisol_plasma"):
        _, x = series(slow, name)
        np.testing.assert_allclose(x[:, day:], x[:, :-day], rtol=1e-6)  # repeats day to day
    # the same clock time gives the same state whatever the scenario's start
    k = round(8 * HOUR / slow.period)
    assert cortisol[0, k] == pytest.approx(cortisol[1, 0], rel=1e-6)
    clock = (8.0 + times / HOUR) % 24.0
    assert 7.5 < clock[np.argmax(cortisol[1])] < 10.0  # awake profile peaks in the morning
    nadir = clock[np.argmin(cortisol[1])]
    assert nadir > 22.0 or nadir < 2.0  # and its trough around midnight
    _, drive = series(slow, "hpa_circadian_drive")
    assert drive.min() > 0.0


def test_a_cortisol_bolus_lowers_crh_and_acth_then_decays():
    slow = layer((14.0, 14.0), period=MINUTE)
    slow.add("cortisol_plasma", np.array([300.0, 0.0]))
    slow.advance(30 * MINUTE)
    assert slow.state("acth_plasma")[0] < 0.6 * slow.state("acth_plasma")[1]
    assert slow.state("crh_release")[0] < 0.6 * slow.state("crh_release")[1]
    slow.advance(24 * HOUR)
    _, cortisol = series(slow, "cortisol_plasma")
    assert cortisol[0, -1] == pytest.approx(cortisol[1, -1], rel=1e-3)  # back on the cycle


def test_exercise_drives_cortisol_only_above_the_intensity_threshold():
    intensities = np.array([0.0, 0.3, 0.45, 0.55, 0.7, 0.9, 1.1])
    slow = layer([10.0] * intensities.size, period=MINUTE)
    slow.advance(30 * MINUTE, {"exercise_intensity": intensities})
    slow.advance(HOUR)
    _, cortisol = series(slow, "cortisol_plasma")
    _, acth = series(slow, "acth_plasma")
    below = intensities <= 0.5
    np.testing.assert_array_equal(cortisol[below], np.tile(cortisol[0], (below.sum(), 1)))
    peak = cortisol.max(axis=1)
    assert np.all(np.diff(peak[~below]) > 0)
    assert peak[~below][0] > peak[0]
    assert np.all(np.diff(acth.max(axis=1)[~below]) > 0)
    end = round(30 * MINUTE / slow.period)
    assert np.all(np.argmax(cortisol[~below], axis=1) > end)  # cortisol peaks in recovery


def test_sleep_onset_inhibits_secretion_and_waking_raises_cortisol():
    slow = layer((22.0, 22.0), period=MINUTE)
    slow.advance(HOUR)
    slow.advance(8 * HOUR, {"asleep": np.array([1.0, 0.0])})
    at_waking = slow.state("cortisol_plasma")
    assert at_waking[0] < at_waking[1]  # less secreted over the night asleep
    slow.advance(30 * MINUTE)
    after = slow.state("cortisol_plasma")
    rise = after / at_waking - 1.0
    assert rise[0] > 0.2  # the awakening response
    assert rise[0] > rise[1] + 0.15
    times, acth = series(slow, "acth_plasma")
    first = (times > 1 * HOUR) & (times < 4 * HOUR)
    assert acth[0, first].mean() < 0.75 * acth[1, first].mean()  # early-sleep inhibition
    slow.advance(36 * HOUR)
    assert slow.state("hpa_sleep_trace")[0] == pytest.approx(0.0, abs=1e-9)
    assert slow.state("cortisol_plasma")[0] == pytest.approx(
        slow.state("cortisol_plasma")[1], rel=1e-3
    )


def test_il6_above_its_resting_range_raises_acth_and_cortisol():
    slow = layer((9.0, 9.0, 9.0), period=MINUTE)
    slow.add("il6_plasma", np.array([0.0, 0.5, 139.0]))  # 1, 1.5 and 140 pg/mL
    slow.advance(3 * HOUR)
    cortisol = slow.state("cortisol_plasma")
    assert cortisol[1] == pytest.approx(cortisol[0], rel=1e-9)  # below the threshold
    assert cortisol[2] > 1.5 * cortisol[0]
    assert slow.state("acth_plasma")[2] > slow.state("acth_plasma")[0]


@settings(max_examples=12, deadline=None)
@given(
    clock=st.floats(0.0, 23.9),
    intensity=st.floats(0.0, 1.5),
    minutes=st.floats(1.0, 240.0),
    asleep=st.sampled_from([0.0, 1.0]),
    il6=st.floats(0.0, 5000.0),
    bolus=st.floats(0.0, 2000.0),
)
def test_states_stay_non_negative(clock, intensity, minutes, asleep, il6, bolus):
    slow = layer((clock,), period=10 * MINUTE)
    slow.add("il6_plasma", np.array([il6 - 1.0]))
    slow.add("cortisol_plasma", np.array([bolus]))
    slow.advance(minutes * MINUTE, {"exercise_intensity": np.array([intensity])})
    slow.advance(minutes * MINUTE, {"asleep": np.array([asleep])})
    slow.add("il6_plasma", np.array([1.0 - il6]))
    slow.advance(6 * HOUR)
    _, values = slow.series()
    states = values[: slow.n_states]
    assert np.all(np.isfinite(values))
    assert np.all(states >= 0.0)
    assert np.all(states[:3] > 0.0)


def test_the_unit_check_accepts_the_component_and_catches_a_wrong_unit():
    model = Model(COMPONENTS)
    assert {"crh_release", "acth_plasma", "cortisol_plasma"} <= {s.name for s in model.states}
    wrong = dict(HPA.parameters, **{"hpa.acth_mesor": "ng/mL"})
    broken = Component(HPA.name, HPA.states, wrong, HPA.inputs, HPA.assignments)
    with pytest.raises(ExpressionError, match="only after a factor"):
        Model((broken, IL6_CLAMP))


@pytest.mark.interop
def test_roadrunner_replays_a_night_a_ride_and_il6_from_the_sbml_export(tmp_path):
    roadrunner = pytest.importorskip("roadrunner")
    from myoaxis.io.sbml import write_sbml

    slow = layer((22.0,))
    slow.advance(HOUR)
    slow.advance(8 * HOUR, {"asleep": np.ones(1)})
    slow.advance(2 * HOUR)
    slow.advance(30 * MINUTE, {"exercise_intensity": np.array([0.8])})
    slow.add("il6_plasma", np.array([100.0]))
    slow.advance(3 * HOUR)
    rr = roadrunner.RoadRunner(str(write_sbml(slow, tmp_path / "hpa.xml")))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-12
    times, values = slow.series()
    names = [v.name for v in (*slow.model.states, *slow.model.assignments)]
    replay = rr.simulate(times=times, selections=["time", *names])
    for k, name in enumerate(names):
        ours = values[k, 0]
        scale = np.abs(ours).max() or 1.0
        error = np.abs(replay[:, k + 1] - ours) / np.maximum(np.abs(ours), 1e-6 * scale)
        assert error.max() < 1e-4, name
