"""Resting heart-rate variability in the slow layer: rest steady state and age drift, acute
vagal withdrawal and its intensity-dependent recovery, training and detraining, resistance
overload, inflammation, non-negativity, the morning measurement and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import roadrunner_errors

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.equations import Component, Model, State
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.physiology.brain import autonomic
from myoaxis.physiology.brain.autonomic import AUTONOMIC, measure_rmssd
from myoaxis.slow import SlowLayer

MINUTE = 60.0
HOUR = 3600.0
DAY = 24 * HOUR
YEAR = 365.25 * DAY
STATES = (autonomic.FAST, autonomic.SLOW, autonomic.LOAD, autonomic.FITNESS)


def params(age: float = 30.0, **overrides):
    return subject_parameters("healthy_adult", "male", age, overrides=overrides or None)


def layer(n: int = 1, ages=30.0, period: float = HOUR, components=(AUTONOMIC,), **overrides):
    ages = np.broadcast_to(np.asarray(ages, dtype=float), (n,))
    body = Body([params(float(a), **overrides) for a in ages], np.full(n, 75.0), ages)
    return SlowLayer(body, period, components=components)


def series(slow: SlowLayer, name: str) -> tuple[np.ndarray, np.ndarray]:
    times, values = slow.series()
    names = [v.name for v in (*slow.model.states, *slow.model.assignments)]
    return times, values[names.index(name)]


def p(name: str, unit: str = "dimensionless") -> float:
    return params().value_in(f"autonomic.{name}", unit)


def test_rest_is_a_steady_state_but_for_the_age_drift():
    ages = np.array([30.0, 45.0, 70.0])
    slow = layer(3, ages, period=DAY)
    start = slow.value(autonomic.LN_RMSSD)
    slow.advance(8 * 7 * DAY)
    for name in STATES:
        _, x = series(slow, name)
        assert np.all(x == 0.0), name
    times, ln = series(slow, autonomic.LN_RMSSD)
    slope = p("age_slope", "1/s")
    drifting = np.array([True, True, False])  # 70 y: on the plateau
    expected = start[:, None] - np.where(drifting, slope, 0.0)[:, None] * times
    np.testing.assert_allclose(ln, expected, rtol=0, atol=1e-12)
    assert slope * YEAR == pytest.approx(0.019)  # LnRMSSD per year
    young = layer(1, 30.0, period=DAY, **{"autonomic.decline_onset_age": "35 year"})
    before = young.value(autonomic.LN_RMSSD)
    young.advance(YEAR)
    assert young.value(autonomic.LN_RMSSD) == pytest.approx(before, abs=1e-12)  # before onset


def test_age_norm_matches_its_anchor_and_declines_to_a_plateau():
    ages = np.array([30.0, 50.0, 60.0, 80.0])
    ln = layer(4, ages).value(autonomic.LN_RMSSD)
    assert ln[1] == pytest.approx(p("ln_rmssd_at_reference_age"))
    assert ln[0] > ln[1] > ln[2]
    assert ln[3] == pytest.approx(ln[2])
    rmssd = layer(4, ages).value(autonomic.RMSSD)
    np.testing.assert_allclose(rmssd, np.exp(ln))  # ms


def test_a_bout_suppresses_rmssd_and_it_recovers():
    slow = layer(2, period=10 * MINUTE)  # subject 1 rests
    rest = slow.value(autonomic.RMSSD)[1]
    slow.advance(30 * MINUTE, {"exercise_intensity": np.array([0.8, 0.0])})
    during = slow.value(autonomic.RMSSD)
    assert during[0] < 0.25 * rest  # vagal withdrawal during hard exercise
    slow.advance(20 * HOUR)
    next_morning = slow.value(autonomic.RMSSD)
    assert next_morning[1] == pytest.approx(rest, rel=1e-4)
    assert 0.5 * rest < next_morning[0] < 0.95 * rest
    slow.advance(9 * DAY)
    assert slow.value(autonomic.RMSSD)[0] == pytest.approx(rest, rel=0.02)
    times, rmssd = series(slow, autonomic.RMSSD)
    after = times >= 30 * MINUTE
    assert np.all(np.diff(rmssd[0, after]) >= -1e-9)  # monotonic recovery (a session's
    # fitness gain is far smaller than its withdrawal)


def test_harder_bouts_take_longer_to_recover():
    intensities = np.array([0.5, 0.7, 0.8, 0.9, 0.0])
    slow = layer(5, period=15 * MINUTE)
    slow.advance(40 * MINUTE, {"exercise_intensity": intensities})
    slow.advance(5 * DAY)
    times, ln = series(slow, autonomic.LN_RMSSD)
    suppression = ln[-1] - ln[:-1]
    swc = 0.5 * p("ln_rmssd_day_cv") * ln[-1, 0]
    recovered_at = [times[s > swc].max() for s in suppression]
    assert np.all(np.diff(recovered_at) > 0)
    at_24h = suppression[:, np.argmin(np.abs(times - (24 * HOUR + 40 * MINUTE)))]
    assert np.all(np.diff(at_24h) > 0)
    assert at_24h[0] < swc < at_24h[-1]  # below VT1 recovered within a day, HIIT not


def test_training_raises_resting_rmssd_and_detraining_lowers_it_again():
    slow = layer(2, period=DAY)  # subject 1: control
    before = slow.value(autonomic.RMSSD)
    ride = {"exercise_intensity": np.array([0.7, 0.0])}
    for _ in range(8 * 3):  # 8 weeks, every other day or so
        slow.advance(40 * MINUTE, ride)
        slow.advance(56 * HOUR - 40 * MINUTE)
    slow.advance(3 * DAY)
    trained = slow.value(autonomic.RMSSD)
    gain = trained[0] / trained[1] - 1
    assert 0.1 < gain < 0.4
    slow.advance(10 * 7 * DAY)
    detrained = slow.value(autonomic.RMSSD)
    assert detrained[0] / detrained[1] - 1 < 0.3 * gain
    assert detrained[1] == pytest.approx(before[1], rel=0.01)  # control: age drift only


def test_trained_subjects_recover_from_a_hard_bout_faster():
    slow = layer(2, period=DAY)  # subject 0 trains for 4 weeks, subject 1 rests
    for _ in range(28):
        slow.advance(HOUR, {"exercise_intensity": np.array([0.65, 0.0])})
        slow.advance(DAY - HOUR)
    slow.advance(4 * DAY)  # the trained subject's own withdrawal has faded
    before = slow.state(autonomic.SLOW)
    slow.advance(30 * MINUTE, {"exercise_intensity": np.array([0.9, 0.9])})
    load = slow.state(autonomic.SLOW) - before
    assert load[0] < 0.7 * load[1]


def test_walking_below_the_minimal_training_intensity_does_not_train():
    slow = layer(1, period=DAY)
    before = slow.value(autonomic.RMSSD)
    for _ in range(28):
        slow.advance(HOUR, {"exercise_intensity": np.array([0.3])})
        slow.advance(DAY - HOUR)
    assert slow.state(autonomic.FITNESS)[0] == 0.0
    assert slow.value(autonomic.RMSSD)[0] == pytest.approx(before[0], rel=2e-3)


def test_daily_strength_overload_accumulates_and_recovers():
    slow = layer(2, period=HOUR)
    rest = slow.value(autonomic.LN_RMSSD)
    lift = {"active_mass_activation": np.array([5.0, 0.0])}
    drops = []
    for _ in range(6):
        slow.advance(15 * MINUTE, lift)
        slow.advance(DAY - 15 * MINUTE)
        ln = slow.value(autonomic.LN_RMSSD)
        drops.append(ln[1] - ln[0])
    assert np.all(np.diff(drops) > 0)  # unresolved load accumulates
    assert 0.05 < drops[0] < drops[-1] < 0.5  # small falls (Schneider 2019)
    assert rest[1] - slow.value(autonomic.LN_RMSSD)[1] < 1e-3
    slow.advance(10 * DAY)
    ln = slow.value(autonomic.LN_RMSSD)
    assert ln[1] - ln[0] < 0.01


def test_active_mass_of_an_aerobic_bout_is_not_counted_as_resistance_work():
    slow = layer(2, period=HOUR)
    both = {
        "exercise_intensity": np.array([0.7, 0.7]),
        "active_mass_activation": np.array([15.0 * 0.7, 0.0]),  # as a cycling step fills it
    }
    slow.advance(40 * MINUTE, both)
    slow.advance(DAY)
    s = slow.state(autonomic.SLOW)
    assert s[0] == pytest.approx(s[1], rel=1e-9)


def test_inflammation_lowers_ln_rmssd_when_joined_with_its_source():
    clamp = Component(
        "inflammation_clamp",
        states=(State("inflammation", "dimensionless", "clamped inflammation index", "0", "1"),),
        parameters={},
    )
    alone = layer(1).value(autonomic.LN_RMSSD)
    inflamed = layer(1, components=(AUTONOMIC, clamp)).value(autonomic.LN_RMSSD)
    assert alone - inflamed == pytest.approx(p("inflammation_effect"))
    model = Model((AUTONOMIC, clamp))
    assert "inflammation" not in {i.name for i in model.inputs}  # wired to the state


def test_states_stay_non_negative_and_finite_under_extreme_loads():
    slow = layer(3, period=5 * MINUTE)
    slow.advance(
        3 * HOUR,
        {
            "exercise_intensity": np.array([1.3, 0.0, 0.06]),
            "active_mass_activation": np.array([0.0, 60.0, 0.0]),
        },
    )
    slow.advance(20 * DAY)
    _, values = slow.series()
    assert np.all(np.isfinite(values))
    scale = {s.name: s.scale for s in AUTONOMIC.states}
    for name in STATES:  # non-negative to within the solver's absolute tolerance
        _, x = series(slow, name)
        assert x.min() >= -10 * slow.rtol * scale[name], name
    _, rmssd = series(slow, autonomic.RMSSD)
    assert np.all(rmssd > 0)


def test_measurement_is_seeded_unbiased_on_the_log_scale_and_has_the_day_to_day_cv():
    body = Body([params()] * 3, np.full(3, 75.0))
    model = np.array([20.0, 40.0, 80.0])
    a = measure_rmssd(model, np.random.default_rng(7), body)
    b = measure_rmssd(model, np.random.default_rng(7), body)
    c = measure_rmssd(model, np.random.default_rng(8), body)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    many = np.log(measure_rmssd(np.full((3, 20_000), 40.0), np.random.default_rng(1), body))
    cv = p("ln_rmssd_day_cv")
    assert many.mean() == pytest.approx(np.log(40.0), abs=0.01)
    assert many.std() / np.log(40.0) == pytest.approx(cv, rel=0.03)


def test_measurement_draws_each_subject_from_its_own_stream():
    body3 = Body([params()] * 3, np.full(3, 75.0))
    body1 = Body([params()], np.full(1, 75.0))
    streams = subject_streams(5, 3)
    batch = measure_rmssd(np.array([30.0, 40.0, 50.0]), SubjectRNG(streams), body3)
    alone = measure_rmssd(np.array([50.0]), SubjectRNG(streams[2:]), body1)
    assert batch[2] == alone[0]
    pset = measure_rmssd(np.array([40.0]), np.random.default_rng(3), params())
    zero = measure_rmssd(
        np.array([40.0]), np.random.default_rng(3), params(**{autonomic.DAY_CV: 0.0})
    )
    assert zero[0] == pytest.approx(40.0)
    assert pset[0] != zero[0]


@pytest.mark.parametrize("bad", [np.array([-1.0]), np.array([np.nan]), np.array([]), 40.0])
def test_measurement_rejects_bad_model_values(bad):
    with pytest.raises(ScenarioError, match="measure_rmssd"):
        measure_rmssd(bad, np.random.default_rng(0), params())


def test_measurement_rejects_bad_generators_and_parameters():
    body = Body([params()] * 2, np.full(2, 75.0))
    with pytest.raises(ScenarioError, match="rng must be"):
        measure_rmssd(np.array([40.0, 40.0]), 42, body)
    with pytest.raises(ScenarioError, match="subject generators"):
        measure_rmssd(np.array([40.0, 40.0]), SubjectRNG(subject_streams(1, 3)), body)
    with pytest.raises(ParameterError, match="Body or a ParameterSet"):
        measure_rmssd(np.array([40.0]), np.random.default_rng(0), {"cv": 0.07})
    with pytest.raises(ParameterError, match="fraction"):
        measure_rmssd(np.array([40.0]), np.random.default_rng(0), params(**{autonomic.DAY_CV: 1.5}))


def test_a_time_constant_in_the_wrong_dimension_is_a_parameter_error():
    with pytest.raises(ParameterError):
        params(**{"autonomic.slow_recovery_time": "34 kg"})


@pytest.mark.validation
def test_the_autonomic_validation_cases_pass():
    from myoaxis.validation import autonomic as cases  # noqa: F401  (registers the cases)
    from myoaxis.validation.registry import CASES

    outcomes = [c.run() for n, c in CASES.items() if n.startswith("autonomic_")]
    assert len(outcomes) == 7
    failed = [(o.name, o.measured_text, o.band_text) for o in outcomes if not o.passed]
    assert not failed


@pytest.mark.interop
def test_roadrunner_replays_the_component_within_1e_4(tmp_path):
    from myoaxis.io.sbml import consistency_errors, slow_layer_document

    slow = SlowLayer(Body([params(40.0)], np.array([75.0]), 40.0), 300.0, (AUTONOMIC,), 1e-10)
    slow.advance(10 * MINUTE)
    slow.advance(30 * MINUTE, {"exercise_intensity": np.array([0.85])})
    slow.advance(2 * HOUR)
    slow.advance(15 * MINUTE, {"active_mass_activation": np.array([5.0])})
    slow.advance(30 * HOUR)
    assert consistency_errors(slow_layer_document(slow)) == []
    errors = roadrunner_errors(slow, tmp_path / "autonomic.xml")
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)
