"""Walking bout: CPG stride with stance/swing asymmetry, cadence, pools, fatigue, errors."""

from __future__ import annotations

import time
from dataclasses import replace
from functools import cache

import numpy as np
import pytest

from conftest import make_body, rng_for, settings
from myoaxis import gait
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import ParameterError, ScenarioError, SimulationError
from myoaxis.muscle_state import MuscleState
from myoaxis.physiology.neural import cpg


def states_for(body):
    return {g: MuscleState.rested(body, g) for g in gait.GAIT_MUSCLES}


@cache
def _body(n: int = 1):
    return make_body(n)


@cache
def walked(speeds: tuple[float, ...], duration: float, mode: str, seed: int = 1):
    body = _body(len(speeds))
    states = states_for(body)
    bout, info = gait.walk(
        body, states, np.array(speeds), duration, settings(body, mode), rng_for(seed, len(speeds))
    )
    return bout, info, states


def osc_numerics():
    values = _body().values
    return cpg.MatsuokaParameters.from_values(values), cpg.CPGNumerics.from_values(values)


def test_cadence_rises_with_speed_and_the_pools_follow_it():
    bout, info, _ = walked((1.1, 1.4, 1.8), 6.0, "mean_field")
    cadence = info["cadence"]
    assert np.all(np.diff(cadence) > 0)
    assert info["stride_frequency"] == pytest.approx(cadence / 120.0)
    # the simulated plantarflexor force beats at the stride frequency
    force = bout.traces["force_ankle_plantarflexors"]
    measured = cpg.measure_frequency(bout.time, force, 1.0)
    np.testing.assert_allclose(measured, info["stride_frequency"], rtol=0.02)
    # steps of both legs completed over the bout
    np.testing.assert_array_equal(info["steps"], np.floor(2 * info["stride_frequency"] * 6.0))


def test_flexor_and_extensor_bursts_alternate():
    bout, info, _ = walked((1.2,), 6.0, "spiking")
    phase = bout.traces["cpg_phase"][0]
    stance = info["stance_fraction"][0]
    ta = bout.traces["excitation_ankle_dorsiflexors"][0]
    tri = bout.traces["excitation_ankle_plantarflexors"][0]
    quad = bout.traces["excitation_knee_extensors"][0]
    in_stance = phase < stance
    # tibialis anterior works in swing, the triceps surae and quadriceps in stance
    assert ta[~in_stance].mean() > 5 * ta[in_stance].mean()
    assert tri[in_stance].mean() > 5 * tri[~in_stance].mean()
    assert quad[in_stance].mean() > 5 * quad[~in_stance].mean()
    assert np.corrcoef(ta, tri)[0, 1] < -0.5
    # per stride, the tibialis anterior peak falls in swing and the triceps peak in stance
    stride = np.floor(bout.time * info["stride_frequency"][0])
    for k in range(1, int(stride.max())):
        sel = stride == k
        assert phase[sel][np.argmax(ta[sel])] > stance
        assert phase[sel][np.argmax(tri[sel])] < stance
    # activation lags excitation but follows it: swing-phase TA activation dominates too
    a_ta = bout.traces["activation_ankle_dorsiflexors"][0]
    assert a_ta[~in_stance].mean() > 2 * a_ta[in_stance].mean()


def test_stance_duty_matches_the_published_relation_and_falls_with_speed():
    _, info, _ = walked((1.1, 1.4, 1.8), 6.0, "mean_field")
    expected = 0.642 - 0.035 * np.array([1.1, 1.4, 1.8])  # Kirtley et al. 1985
    np.testing.assert_allclose(info["stance_fraction"], expected, atol=2e-3)
    assert np.all(np.diff(info["stance_fraction"]) < 0)
    swing = 1.0 - info["stance_fraction"]
    assert np.all((swing > 0.36) & (swing < 0.43))  # flexor burst ~40 % of the stride


def test_symmetric_oscillator_alternates_evenly_and_asymmetry_sets_the_duty():
    p, numerics = osc_numerics()
    even = gait.gait_cycle(p, numerics, np.zeros(1))
    assert even.stance_fraction[0] == pytest.approx(0.5, abs=2e-3)
    targets = np.array([0.55, 0.6, 0.65])
    p3 = cpg.MatsuokaParameters(*(np.repeat(getattr(p, f), 3) for f in p.__dataclass_fields__))
    delta = gait.asymmetry_for_stance(p3, numerics, targets, 0.3, 13)
    assert np.all(np.diff(delta) > 0)
    assert delta[0] > 0
    cycle = gait.gait_cycle(p3, numerics, delta)
    np.testing.assert_allclose(cycle.stance_fraction, targets, atol=1e-3)
    # each half-centre's drive is normalised to its own peak and extensor dominates in stance
    assert cycle.cycle.y.max(axis=2) == pytest.approx(np.ones((3, 2)))
    with pytest.raises(ParameterError, match="outside what the walking CPG reaches"):
        gait.asymmetry_for_stance(p, numerics, np.array([0.95]), 0.3, 13)


def test_excitation_amplitude_rises_with_speed_as_published_form():
    wp = gait.WalkingParameters.from_values(_body().values)
    slow, fast = gait.peak_excitation(1.0, wp), gait.peak_excitation(1.6, wp)
    at_ref = gait.peak_excitation(wp.reference_speed, wp)
    for g in gait.GAIT_MUSCLES:
        assert fast[g] > slow[g]
        assert at_ref[g] == pytest.approx(wp.peak_excitation[g])
    bout, _, _ = walked((1.2,), 6.0, "spiking")
    peak = bout.traces["excitation_ankle_plantarflexors"].max()
    assert peak == pytest.approx(gait.peak_excitation(1.2, wp)["ankle_plantarflexors"][0], rel=0.02)


def test_bad_speed_duration_or_states_are_clear_errors():
    body = _body()
    s = settings(body, "mean_field")
    for speed in (0.5, 2.5):
        with pytest.raises(ScenarioError, match=r"^step 3: walking speed .* outside the range"):
            gait.walk(body, states_for(body), speed, 1.0, s, rng_for(1), where="step 3")
    with pytest.raises(ScenarioError, match="duration must be positive"):
        gait.walk(body, states_for(body), 1.2, 0.0, s, rng_for(1))
    partial = states_for(body)
    del partial["knee_extensors"]
    with pytest.raises(SimulationError, match="knee_extensors"):
        gait.walk(body, partial, 1.2, 1.0, s, rng_for(1))
    wp = gait.WalkingParameters.from_values(body.values)
    bad = replace(wp, peak_excitation=wp.peak_excitation | {"knee_extensors": np.array([1.5])})
    with pytest.raises(ParameterError, match="peak_excitation"):
        bad.check()


def test_walks_are_deterministic_per_seed():
    a, _, _ = walked((1.3,), 2.0, "spiking", seed=5)
    b, _, _ = walked.__wrapped__((1.3,), 2.0, "spiking", seed=5)
    c, _, _ = walked.__wrapped__((1.3,), 2.0, "spiking", seed=6)
    for name in a.traces:
        np.testing.assert_array_equal(a.traces[name], b.traces[name])
    assert not np.array_equal(
        a.traces["force_ankle_plantarflexors"], c.traces["force_ankle_plantarflexors"]
    )


def test_units_tire_state_time_advances_and_windows_feed_the_slow_layer():
    bout, _, states = walked((1.4,), 12.0, "spiking")
    for g in gait.GAIT_MUSCLES:
        assert states[g].time == pytest.approx(12.0)
        assert states[g].fatigue.capacity.min() < 1.0  # working units lose some capacity
    body = _body()
    assert [(w[0], w[1]) for w in bout.windows] == [(0.0, 10.0), (10.0, 12.0)]
    mass = {g: body.muscle(g).mass for g in gait.GAIT_MUSCLES}
    for start, end, value in bout.windows:
        sel = (bout.time > start + 1e-9) & (bout.time <= end + 1e-9)
        expected = gait.LEGS * sum(
            mass[g] * bout.traces[f"activation_{g}"][:, sel].mean(axis=1) for g in gait.GAIT_MUSCLES
        )
        np.testing.assert_allclose(value, expected, rtol=1e-9)
    assert bout.units["force_knee_extensors"] == "N"
    assert bout.duration == pytest.approx(12.0)


def test_mean_field_agrees_with_spiking_and_handles_unequal_pools():
    spk, _, _ = walked((1.2,), 6.0, "spiking")
    mf, _, _ = walked((1.2,), 6.0, "mean_field")
    for g in gait.GAIT_MUSCLES:
        a, b = (x.traces[f"activation_{g}"].mean() for x in (spk, mf))
        assert a == pytest.approx(b, rel=0.3)
    params = subject_parameters(
        "healthy_adult", "male", 30.0, overrides={"muscle.ankle_dorsiflexors.n_units": 60}
    )
    body = Body([params], np.array([75.0]))
    states = states_for(body)
    bout, _ = gait.walk(body, states, 1.2, 2.0, settings(body, "mean_field"), rng_for(1))
    assert states["ankle_dorsiflexors"].fatigue.capacity.shape == (1, 60)
    assert states["ankle_plantarflexors"].fatigue.capacity.shape == (1, 120)
    assert bout.traces["activation_ankle_dorsiflexors"].max() > 0.02


def test_a_short_bout_runs_in_seconds():
    body = make_body()
    gait.walking_cycle(1.5, body.values)  # the stride is memoised across walks
    start = time.perf_counter()
    bout, info = gait.walk(body, states_for(body), 1.5, 3.0, settings(body, "spiking"), rng_for(2))
    assert time.perf_counter() - start < 5.0
    assert bout.traces["cpg_phase"].shape == (1, 3000)
    assert info["cadence"][0] == pytest.approx(np.sqrt(60 * 1.5 / 0.00646))
