"""Matsuoka half-centre CPG: frequency, integration, tuning, limit cycle; walking cadence."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pytest

from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.physiology.neural import cpg


@cache
def _preset():
    return subject_parameters("healthy_adult", "female", 45.0)


def values(n: int = 1):
    return lambda name, unit: np.full(n, _preset().value_in(name, unit))


def osc(*rows: tuple[float, float, float, float], tonic: float = 1.0) -> cpg.MatsuokaParameters:
    c = np.array(rows, dtype=float).T
    return cpg.MatsuokaParameters(c[0], c[1], c[2], c[3], np.full(len(rows), tonic))


@pytest.fixture(scope="module")
def numerics() -> cpg.CPGNumerics:
    return cpg.CPGNumerics.from_values(values())


def test_shipped_parameters_load_with_units():
    p = cpg.MatsuokaParameters.from_values(values(2))
    assert p.rise_time.shape == (2,)
    assert cpg.oscillates(p).all()
    gait = cpg.GaitParameters.from_values(values())
    assert gait.min_speed[0] == pytest.approx(62.0 / 60.0)  # 62 m/min
    assert gait.max_speed[0] == pytest.approx(7.6 / 3.6)  # 7.6 km/h
    assert gait.walk_ratio[0] == pytest.approx(0.00646)


def test_analytic_frequency_matches_matsuoka_2011_formula():
    # (tau_r, tau_a, a, b) = (0.1, 0.2, 2, 2): omega = (1/0.2) sqrt((0.3*2 - 0.2)/0.2) = 5 sqrt(2)
    f = cpg.analytic_frequency(osc((0.1, 0.2, 2, 2), (0.25, 0.5, 2.5, 2.5)))
    assert f[0] == pytest.approx(5.0 * np.sqrt(2.0) / (2 * np.pi))
    assert f[1] == pytest.approx(0.4502, abs=1e-4)


def test_oscillation_condition_and_check():
    p = osc((0.1, 0.2, 2.0, 2.0), (0.1, 0.2, 1.4, 2.0), (0.1, 0.2, 3.1, 2.0))
    assert cpg.oscillates(p).tolist() == [True, False, False]
    with pytest.raises(ParameterError, match=r"subject\(s\) 1, 2 do not oscillate"):
        cpg.check(p)
    with pytest.raises(ParameterError, match="tonic input"):
        cpg.check(osc((0.1, 0.2, 2.0, 2.0), tonic=0.0))


def test_simulated_frequency_near_analytic_and_converged(numerics):
    p = osc((0.1, 0.2, 2, 2), (0.25, 0.5, 2.5, 2.5))
    f = cpg.simulated_frequency(p, numerics)
    assert np.all(np.abs(f / cpg.analytic_frequency(p) - 1.0) < 0.015)
    fine = cpg.simulated_frequency(p, replace(numerics, steps_per_rise_time=80.0))
    np.testing.assert_allclose(f, fine, rtol=1e-4)


def test_frequency_scales_inversely_with_time_constants_and_ignores_tonic(numerics):
    p = osc((0.1, 0.2, 2, 2), (0.1, 0.2, 2, 2))
    base = cpg.simulated_frequency(p, numerics)
    scaled = cpg.simulated_frequency(p.scaled(np.array([0.25, 3.0])), numerics)
    np.testing.assert_allclose(scaled, base / np.array([0.25, 3.0]), rtol=1e-9)
    strong = replace(p, tonic_input=np.array([1.0, 3.0]))
    f = cpg.simulated_frequency(strong, numerics)
    assert f[1] == pytest.approx(f[0], rel=1e-9)
    peak = cpg.limit_cycle(strong, numerics).peak
    assert peak[1] == pytest.approx(3.0 * peak[0], rel=1e-6)


def test_result_of_a_subject_does_not_depend_on_its_batch(numerics):
    alone = cpg.simulated_frequency(osc((0.1, 0.2, 2, 2)), numerics)
    batch = cpg.simulated_frequency(osc((0.02, 0.06, 2.5, 2.5), (0.1, 0.2, 2, 2)), numerics)
    assert batch[1] == alone[0]
    y_alone = cpg.limit_cycle(osc((0.1, 0.2, 2, 2)), numerics).y
    y_batch = cpg.limit_cycle(osc((0.02, 0.06, 2.5, 2.5), (0.1, 0.2, 2, 2)), numerics).y
    np.testing.assert_array_equal(y_batch[1], y_alone[0])


def test_tuning_hits_the_target_tempo(numerics):
    p = osc(*[(0.1, 0.2, 2, 2)] * 3)
    target = np.array([0.9, 2.0, 6.0])
    exact = cpg.tuned(p, target, numerics)
    np.testing.assert_allclose(cpg.simulated_frequency(exact, numerics), target, rtol=1e-6)
    rough = cpg.tuned(p, target)  # analytic: off by the approximation error (about 1 %)
    err = cpg.simulated_frequency(rough, numerics) / target - 1.0
    assert np.all((np.abs(err) > 1e-3) & (np.abs(err) < 0.015))
    with pytest.raises(ParameterError, match="positive"):
        cpg.tuned(p, np.array([1.0, 0.0, 2.0]))


def test_rate_scale_and_feedback_inputs(numerics):
    p = osc((0.1, 0.2, 2, 2), (0.1, 0.2, 2, 2))
    h = 0.1 / numerics.steps_per_rise_time
    fast = cpg.simulate(p, 12.0, h, rate_scale=lambda t: np.array([1.0, 2.0]))
    f = cpg.measure_frequency(fast.time, fast.x[:, 0] - fast.x[:, 1], 4.0)
    assert f[1] == pytest.approx(2.0 * f[0], rel=1e-3)
    # strong tonic inhibition of neuron 1 silences the flexor
    quiet = cpg.simulate(p, 5.0, h, inputs=lambda t: np.array([[-5.0, 0.0], [0.0, 0.0]]))
    assert quiet.flexor[0, quiet.time > 2.0].max() == 0.0
    assert quiet.flexor[1, quiet.time > 2.0].max() > 0.1
    kept = cpg.simulate(p, 1.0, h, record_every=10)
    assert kept.time.size == 21
    assert kept.y.shape == (2, 2, 21)
    with pytest.raises(ParameterError):
        cpg.simulate(p, -1.0, h)


def test_measure_frequency_on_known_signals():
    t = np.arange(0.0, 10.0, 1e-3)
    sig = np.stack([2.0 + np.sin(2 * np.pi * 3.3 * t), np.full_like(t, 1.0)])
    f = cpg.measure_frequency(t, sig, transient=1.0)
    assert f[0] == pytest.approx(3.3, rel=1e-5)
    assert np.isnan(f[1])
    few = cpg.measure_frequency(t, sig, transient=np.array([0.5, 0.0]), cycles=5)
    assert few[0] == pytest.approx(3.3, rel=1e-5)
    assert np.isnan(few[1])


def test_limit_cycle_alternates_and_reproduces_a_simulation_at_another_tempo(numerics):
    p = cpg.MatsuokaParameters.from_values(values())
    cycle = cpg.limit_cycle(p, numerics)
    phase = np.linspace(0.0, 1.0, 400, endpoint=False)[None, :]
    d = cycle.drive(phase)
    assert d.min() >= 0.0
    assert d.max() == pytest.approx(1.0)
    np.testing.assert_allclose(cycle.drive(phase + 3.0), d, atol=1e-12)
    flex_peak, ext_peak = phase[0, np.argmax(d[0, 0])], phase[0, np.argmax(d[0, 1])]
    assert 0.0 < flex_peak < 0.5 < ext_peak < 1.0  # flexor burst first, then extensor
    # the tuned oscillator, integrated directly, follows the stored cycle at its own tempo
    q = cpg.tuned(p, 2.0, numerics)
    trace = cpg.simulate(q, 5.0, float(q.rise_time[0]) / 40.0)
    diff = trace.x[:, 0] - trace.x[:, 1]
    tc = cpg.measure_frequency(trace.time, diff, 2.0)  # settled
    assert tc[0] == pytest.approx(2.0, rel=1e-4)
    late = trace.time >= 2.0
    start = trace.time[late][np.argmax((diff[0, late][:-1] < 0) & (diff[0, late][1:] >= 0)) + 1]
    window = (trace.time >= start) & (trace.time < start + 2.0)
    predicted = cycle.drive(2.0 * (trace.time[window] - start)[None, :], normalise=False)
    np.testing.assert_allclose(predicted[0], trace.y[0][:, window], atol=0.02 * cycle.peak[0])


def test_cadence_follows_the_constant_walk_ratio():
    gait = cpg.GaitParameters.from_values(values(3))
    speed = np.array([1.2, 1.3, 1.4])
    c = cpg.cadence(speed, gait)
    np.testing.assert_allclose(c, np.sqrt(60.0 * speed / 0.00646))
    assert np.all(np.diff(c) > 0)
    # speed = step length x cadence with step length = walk ratio x cadence
    np.testing.assert_allclose(gait.walk_ratio * c * c / 60.0, speed)
    np.testing.assert_allclose(cpg.stride_frequency(speed, gait), c / 120.0)


@pytest.mark.parametrize("speed", [0.8, 2.5, -1.0, float("nan")])
def test_walking_speed_outside_the_model_range_is_refused(speed):
    gait = cpg.GaitParameters.from_values(values())
    with pytest.raises(ScenarioError, match=r"outside the range 1\.03-2\.11 m/s") as err:
        cpg.cadence(speed, gait, where="step 'Walk at ...'")
    assert str(err.value).startswith("step 'Walk at ...': walking speed")


def test_walking_drive_is_periodic_at_the_stride_frequency(numerics):
    cycle = cpg.limit_cycle(cpg.MatsuokaParameters.from_values(values()), numerics)
    gait = cpg.GaitParameters.from_values(values())
    f = float(cpg.stride_frequency(1.2, gait)[0])
    t = np.linspace(0.0, 3.0, 301)
    d = cpg.walking_drive(cycle, 1.2, gait, t)
    assert d.shape == (1, 2, 301)
    np.testing.assert_allclose(cpg.walking_drive(cycle, 1.2, gait, t + 1.0 / f), d, atol=1e-9)
    with pytest.raises(ScenarioError):
        cpg.walking_drive(cycle, 3.0, gait, t)


def test_numerics_must_be_shared_by_the_batch():
    def mixed(name, unit):
        v = np.full(2, _preset().value_in(name, unit))
        if name == "cpg.phase_points":
            v[1] = 100
        return v

    with pytest.raises(ParameterError, match=r"cpg\.phase_points must be equal"):
        cpg.CPGNumerics.from_values(mixed)


RHYTHM_CASES = (
    "matsuoka_frequency_vs_analytic",
    "walking_cadence_1_2_m_s",
    "walking_cadence_1_4_m_s",
    "walk_run_transition_cadence",
    "finger_tapping_max_rate",
    "finger_tapping_decline_20s",
)


@pytest.mark.validation
@pytest.mark.parametrize("name", RHYTHM_CASES)
def test_rhythm_validation_cases_pass(name):
    from myoaxis.validation import rhythm  # noqa: F401  (registers the cases)
    from myoaxis.validation.registry import CASES

    outcome = CASES[name].run()
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"
