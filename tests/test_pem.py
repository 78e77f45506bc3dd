"""Post-exertional malaise (PEM) and the cardiopulmonary exercise test (CPET)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import roadrunner_errors

from myoaxis.assess.cpet import MEASURES, VARIABLES, cpet_measures, cpet_protocol
from myoaxis.body import Body
from myoaxis.conditions import base_parameters, condition, subject_parameters
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.physiology.adaptation import pem
from myoaxis.slow import SlowLayer
from myoaxis.validation import pem as vpem
from myoaxis.validation.registry import CASES

HOUR = 3600.0
DAY = 24 * HOUR
ME_CFS = ("me_cfs",)


def body(conditions_per_subject=((), ME_CFS), age: float = 45.0) -> Body:
    params = [subject_parameters("healthy_adult", "female", age, c) for c in conditions_per_subject]
    return Body(params, np.full(len(params), 65.0), age)


def layer(b: Body | None = None, period: float = HOUR, rtol: float = 1e-8) -> SlowLayer:
    return SlowLayer(b or body(), period, components=pem.COMPONENTS, rtol=rtol)


def ramp(slow: SlowLayer) -> None:
    n = slow.body.n_subjects
    for seconds, intensity in cpet_protocol(slow.body):
        slow.advance(seconds, {"exercise_intensity": np.full(n, intensity)})


def test_overlay_switches_pem_on_only_for_me_cfs():
    assert base_parameters().value("pem.susceptibility") == 0
    assert "pem.susceptibility" in condition("me_cfs").parameters
    b = body()
    assert list(b.values("pem.susceptibility")) == [0.0, 1.0]


def test_rest_stays_at_zero_and_factors_at_one():
    slow = layer()
    slow.advance(3 * DAY)
    assert np.all(slow.state(pem.PEM) == 0)
    assert np.all(slow.state(pem.PENDING) == 0)
    assert np.all(slow.value(pem.PEAK_FACTOR) == 1)
    assert np.all(slow.value(pem.THRESHOLD_FACTOR) == 1)


def test_cpet_causes_delayed_days_long_pem_in_me_cfs_only():
    slow = layer(period=HOUR)
    ramp(slow)
    slow.advance(14 * DAY - slow.t)
    times, values = slow.series()
    p = values[[v.name for v in slow.model.states].index(pem.PEM)]
    assert np.all(p[0] == 0)  # healthy: nothing
    me = p[1]
    peak = int(np.argmax(me))
    assert 15 * HOUR < times[peak] < 36 * HOUR  # onset over hours, peak about a day later
    assert 0.8 < me[round(DAY / HOUR)] < 1.2  # scaled to about 1 at the next-day test
    assert me[-1] < 0.2 * me[peak]  # mostly recovered within two weeks
    assert me[round(4 * DAY / HOUR)] > 0.4 * me[peak]  # but still present after 4 days


def test_exertion_below_tolerance_and_resistance_during_aerobic_bouts_add_nothing():
    slow = layer(body((ME_CFS, ME_CFS, ME_CFS)))
    tolerated = float(slow.body.values("pem.tolerated_intensity")[0])
    slow.advance(
        HOUR,
        {
            "exercise_intensity": np.array([tolerated * 0.9, 0.0, 0.5]),
            "active_mass_activation": np.array([0.0, 5.0, 5.0]),
        },
    )
    pending = slow.state(pem.PENDING)
    assert pending[0] == 0  # light aerobic work is tolerated
    assert pending[1] > 0  # resistance work outside an aerobic bout loads PEM
    # during an aerobic bout only the intensity counts (the bout's active mass is covered)
    gain = float(slow.body.values("pem.intensity_gain", "1/s")[0])
    tau = float(slow.body.values("pem.onset_time", "s")[0])
    expected = gain * (0.5 - tolerated) * tau * (1 - np.exp(-HOUR / tau))
    assert pending[2] == pytest.approx(expected, rel=1e-5)


def test_repeated_exertion_accumulates():
    one, two = layer(body((ME_CFS,))), layer(body((ME_CFS,)))
    ramp(one)
    ramp(two)
    two.advance(DAY - two.t)
    ramp(two)
    one.advance(3 * DAY - one.t)
    two.advance(3 * DAY - two.t)
    assert two.state(pem.PEM)[0] > 1.5 * one.state(pem.PEM)[0]


def test_protocol_is_a_ramp_from_rest_to_exhaustion():
    steps = cpet_protocol(body())
    seconds = np.array([s for s, _ in steps])
    intensity = np.array([i for _, i in steps])
    assert seconds.sum() == pytest.approx(600.0)
    assert np.all(np.diff(intensity) > 0)
    assert 0 < intensity[0] < 0.05
    assert intensity[-1] > 0.95
    assert intensity.mean() == pytest.approx(0.5)
    assert cpet_protocol(base_parameters()) == steps  # a ParameterSet works too
    odd = base_parameters().overridden({"cpet.step_duration": "7 s"}, "test")
    with pytest.raises(ParameterError, match="whole number"):
        cpet_protocol(odd)


def test_measures_invert_the_acsm_cycle_equation():
    b = body(((),))
    out = cpet_measures({"vo2max": np.array([40.0])}, np.array([65.0]), b)
    assert set(out) == set(MEASURES)
    vo2peak = 40.0 * 0.85
    assert out["vo2peak"][0] == pytest.approx(vo2peak)
    assert out["vo2_vt"][0] == pytest.approx(0.58 * vo2peak)
    # ACSM: VO2 = 10.8 W / M + 7 -> W = (VO2 - 7) M / 10.8
    assert out["work_peak"][0] == pytest.approx((vo2peak - 3.5) * 65.0 / 10.8)
    assert 10.8 * out["work_vt"][0] / 65.0 + 3.5 == pytest.approx(out["vo2_vt"][0])


def test_measures_apply_the_pem_factors():
    b = body()
    values = {
        "vo2max": np.array([30.0, 30.0]),
        "pem_vo2max_factor": np.array([1.0, 0.8]),
        "pem_threshold_factor": np.array([1.0, 0.9]),
    }
    out = cpet_measures(values, b.body_mass, b)
    assert out["vo2peak"][1] / out["vo2peak"][0] == pytest.approx(0.8)
    assert out["vo2_vt"][1] / out["vo2_vt"][0] == pytest.approx(0.72)
    assert out["work_vt"][1] / out["work_vt"][0] < 0.72  # the ACSM intercept amplifies


def test_measurement_error_has_the_test_retest_cv():
    n = 4000
    b = Body([subject_parameters("healthy_adult", "female", 45.0)] * n, np.full(n, 65.0), 45.0)
    values = {"vo2max": np.full(n, 30.0)}
    exact = cpet_measures(values, b.body_mass, b)
    noisy = cpet_measures(values, b.body_mass, b, SubjectRNG(subject_streams(3, n)))
    ratio = noisy["vo2peak"] / exact["vo2peak"]
    assert ratio.std() == pytest.approx(0.049, rel=0.06)
    assert abs(ratio.mean() - 1) < 0.005
    assert (noisy["vo2_vt"] / exact["vo2_vt"]).std() == pytest.approx(0.104, rel=0.06)
    again = cpet_measures(values, b.body_mass, b, SubjectRNG(subject_streams(3, n)))
    assert np.array_equal(again["vo2peak"], noisy["vo2peak"])
    g = cpet_measures(values, b.body_mass, b, np.random.default_rng(1))
    assert not np.array_equal(g["vo2peak"], exact["vo2peak"])


def test_bad_measure_inputs_raise():
    b = body()
    with pytest.raises(ScenarioError, match="vo2max"):
        cpet_measures({}, b.body_mass, b)
    with pytest.raises(ScenarioError, match="shape"):
        cpet_measures({"vo2max": np.ones(2), VARIABLES[1]: np.ones(3)}, b.body_mass, b)
    with pytest.raises(ScenarioError, match="positive"):
        cpet_measures({"vo2max": np.array([30.0, -1.0])}, b.body_mass, b)
    with pytest.raises(ScenarioError, match="body masses"):
        cpet_measures({"vo2max": np.ones(2)}, np.array([65.0, 0.0]), b)
    with pytest.raises(ScenarioError, match="rng"):
        cpet_measures({"vo2max": np.ones(2)}, b.body_mass, b, rng=3)
    with pytest.raises(ScenarioError, match="subject generators"):
        cpet_measures({"vo2max": np.ones(2)}, b.body_mass, b, SubjectRNG(subject_streams(1, 3)))
    with pytest.raises(ParameterError, match="Body or a ParameterSet"):
        cpet_protocol({"cpet.ramp_duration": 600})


def test_protocol_needs_one_ramp_for_the_batch():
    b = Body(
        [
            subject_parameters("healthy_adult", "female", 45.0),
            subject_parameters(
                "healthy_adult", "female", 45.0, overrides={"cpet.ramp_duration": "8 min"}
            ),
        ],
        np.full(2, 65.0),
        45.0,
    )
    with pytest.raises(ScenarioError, match="same for every subject"):
        cpet_protocol(b)


@pytest.mark.validation
def test_validation_cases_pass():
    names = [n for n in CASES if CASES[n].measure.__module__ == vpem.__name__]
    assert len(names) == 7
    for name in names:
        outcome = CASES[name].run()
        assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


@pytest.mark.interop
def test_roadrunner_replays_the_component_within_1e_4(tmp_path):
    slow = layer(body((ME_CFS,)), period=600.0, rtol=1e-10)
    ramp(slow)
    slow.advance(2 * HOUR)
    slow.advance(15 * 60.0, {"active_mass_activation": np.array([5.0])})
    slow.advance(2 * DAY)
    errors = roadrunner_errors(slow, tmp_path / "pem.xml")
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)
