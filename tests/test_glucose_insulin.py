"""Glucose-insulin-glycogen component of the slow layer and the OGTT summary."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import make_body

from myoaxis.assess.ogtt import (
    OGTT_TIMES_MIN,
    classify_glucose_tolerance,
    matsuda_index,
    summarise_ogtt,
)
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import ScenarioError
from myoaxis.physiology.endocrine.glucose_insulin import COMPONENTS
from myoaxis.slow import SlowLayer

MIN = 60.0
HOUR = 3600.0


def layer(body: Body | None = None, period: float = MIN) -> SlowLayer:
    return SlowLayer(body or make_body(), period, COMPONENTS)


def series(slow: SlowLayer, name: str) -> tuple[np.ndarray, np.ndarray]:
    times, values = slow.series()
    names = [v.name for v in (*slow.model.states, *slow.model.assignments)]
    return times, values[names.index(name)]


def value(slow: SlowLayer, name: str) -> np.ndarray:
    """The latest sample ``(S,)`` of a state or assignment."""
    return series(slow, name)[1][:, -1]


def body_with(**overrides) -> Body:
    p = subject_parameters("healthy_adult", "male", 30.0, overrides=overrides)
    return Body([p], np.array([75.0]))


# ------------------------------------------------------------------------ steady state


def test_rest_is_a_steady_state_for_three_days():
    slow = layer(make_body(2), period=3600.0)
    start = slow.y.copy()
    slow.advance(3 * 24 * HOUR)
    np.testing.assert_allclose(slow.y, start, rtol=1e-9, atol=1e-15)


def test_resting_values():
    slow = layer(period=MIN)
    slow.advance(MIN)
    assert value(slow, "glucose_plasma")[0] == pytest.approx(90.0)
    assert value(slow, "insulin_plasma")[0] == pytest.approx(25.49)
    assert value(slow, "muscle_glycogen_fraction")[0] == pytest.approx(1.0)
    assert value(slow, "liver_glycogen_fraction")[0] == pytest.approx(1.0)
    # whole-body muscle glycogen: 450 mmol/kg dry / 4.3 x 0.384 x 75 kg x 0.162 g/mmol
    assert slow.state("muscle_glycogen")[0] == pytest.approx(450 / 4.3 * 0.384 * 75 * 0.162)
    assert value(slow, "insulin_sensitivity")[0] == pytest.approx(4.6667e-6 / 0.05 / 60.0)


# ---------------------------------------------------------------------------- meals


def test_meal_response_shape():
    slow = layer()
    slow.add("gut_carbohydrate", np.array([75.0]))
    slow.advance(6 * HOUR)
    t, g = series(slow, "glucose_plasma")
    _, ins = series(slow, "insulin_plasma")
    _, gut = series(slow, "gut_carbohydrate")
    g, ins, minutes = g[0], ins[0], t / MIN
    assert 30 <= minutes[np.argmax(g)] <= 90
    assert g.max() > 130.0
    assert minutes[np.argmax(ins)] <= 120
    assert ins.max() > 4 * ins[0]
    assert abs(g[-1] - 90.0) < 3.0
    assert abs(ins[-1] - 25.49) < 5.0
    assert gut[0, -1] < 0.01 * 75.0


def test_bigger_meal_bigger_response():
    peaks = []
    for grams in (25.0, 75.0):
        slow = layer()
        slow.add("gut_carbohydrate", np.array([grams]))
        slow.advance(3 * HOUR)
        peaks.append(series(slow, "glucose_plasma")[1].max())
    assert peaks[1] > peaks[0] > 90.0


def test_lower_insulin_sensitivity_raises_two_hour_glucose():
    two_hour = []
    for scale in (1.0, 0.4):
        slow = layer(body_with(**{"glucose_insulin.insulin_sensitivity_scale": scale}))
        slow.advance(HOUR)  # still at rest: the steady state holds for any scale
        assert value(slow, "glucose_plasma")[0] == pytest.approx(90.0)
        slow.add("gut_carbohydrate", np.array([75.0]))
        slow.advance(2 * HOUR)
        two_hour.append(value(slow, "glucose_plasma")[0])
        assert value(slow, "insulin_sensitivity")[0] == pytest.approx(
            scale * 4.6667e-6 / 0.05 / 60.0
        )
    assert two_hour[1] > two_hour[0] + 10.0


# ------------------------------------------------------------------------- exercise


def exercise(intensity: float, minutes: float, grams_per_hour: float = 0.0) -> SlowLayer:
    slow = layer()
    for _ in range(round(minutes / 15)):
        if grams_per_hour:
            slow.add("gut_carbohydrate", np.array([grams_per_hour / 4]))
        slow.advance(15 * MIN, {"exercise_intensity": np.array([intensity])})
    return slow


def test_exercise_lowers_glucose_and_insulin_more_at_higher_intensity():
    light, hard = exercise(0.4, 60), exercise(0.7, 60)
    for slow in (light, hard):
        assert value(slow, "glucose_plasma")[0] < 90.0
        assert value(slow, "insulin_plasma")[0] < 0.8 * 25.49
    assert value(hard, "insulin_plasma")[0] < value(light, "insulin_plasma")[0]
    assert value(hard, "liver_glycogen")[0] < value(light, "liver_glycogen")[0]


def test_intensity_below_rest_is_rest():
    slow = exercise(0.05, 60)
    assert value(slow, "glucose_plasma")[0] == pytest.approx(90.0)
    assert value(slow, "exercise_vo2")[0] == 0.0


def test_liver_depletion_switches_off_exercise_glycogenolysis():
    slow = exercise(0.6, 8 * 60)
    t, liver = series(slow, "liver_glycogen_fraction")
    _, h = series(slow, "hepatic_glycogen_availability")
    _, g = series(slow, "glucose_plasma")
    two_h = np.argmin(abs(t - 2 * HOUR))
    assert liver[0, -1] < 0.25
    assert h[0, -1] < 0.6 * h[0, two_h]
    assert g[0, -1] < g[0, two_h] - 5.0
    assert liver.min() >= 0.0


def test_carbohydrate_during_exercise_spares_the_liver():
    fasted, fed = exercise(0.55, 180), exercise(0.55, 180, grams_per_hour=60.0)
    assert value(fed, "liver_glycogen")[0] > value(fasted, "liver_glycogen")[0] + 5.0
    assert value(fed, "glucose_plasma")[0] > value(fasted, "glucose_plasma")[0]


# ------------------------------------------------------------------- muscle glycogen


def test_glycogen_use_depletes_and_resynthesis_refills():
    slow = layer()
    full = slow.state("muscle_glycogen")[0]
    use = 0.05  # g/s
    slow.advance(60 * MIN, {"exercise_intensity": np.array([0.7]), "muscle_glycogen_use": [use]})
    after = slow.state("muscle_glycogen")[0]
    assert after == pytest.approx(full - use * 3600.0, rel=1e-6)  # no synthesis while exercising
    fed, fasted = layer(), layer()
    for s in (fed, fasted):
        s.advance(60 * MIN, {"exercise_intensity": np.array([0.7]), "muscle_glycogen_use": [use]})
    for _ in range(4):
        fed.add("gut_carbohydrate", np.array([60.0]))
        fed.advance(HOUR)
        fasted.advance(HOUR)
    gain_fed = fed.state("muscle_glycogen")[0] - after
    gain_fasted = fasted.state("muscle_glycogen")[0] - after
    assert gain_fed > 3 * gain_fasted > 0.0
    assert value(fed, "muscle_glycogen_fraction")[0] < 1.0


def test_resynthesis_stops_at_full_stores():
    slow = layer()
    slow.advance(30 * MIN, {"exercise_intensity": np.array([0.7]), "muscle_glycogen_use": [0.02]})
    for _ in range(8):
        slow.add("gut_carbohydrate", np.array([100.0]))
        slow.advance(3 * HOUR)
    fraction = series(slow, "muscle_glycogen_fraction")[1]
    assert fraction.max() <= 1.0 + 1e-9
    assert fraction[0, -1] > 0.98


def test_glycogen_use_cannot_empty_below_zero():
    slow = layer()
    slow.advance(4 * HOUR, {"exercise_intensity": np.array([0.9]), "muscle_glycogen_use": [1.0]})
    assert -1e-6 <= slow.state("muscle_glycogen")[0] < 6.0  # atol of the 400-g scale: 4e-6 g


# ------------------------------------------------------------------- non-negativity

_BODY = make_body()
_STEP = st.tuples(
    st.floats(0.0, 150.0),  # meal (g) at the start of the step
    st.floats(0.0, 1.0),  # exercise intensity
    st.floats(1.0, 180.0),  # duration (min)
    st.floats(0.0, 0.2),  # muscle glycogen use (g/s)
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_STEP, min_size=1, max_size=5))
def test_states_stay_non_negative(steps):
    slow = SlowLayer(_BODY, 600.0, COMPONENTS)
    for meal, intensity, minutes, use in steps:
        if meal > 0:
            slow.add("gut_carbohydrate", np.array([meal]))
        slow.advance(
            minutes * MIN,
            {"exercise_intensity": np.array([intensity]), "muscle_glycogen_use": np.array([use])},
        )
        assert np.all(np.isfinite(slow.y))
        scale = np.tile([s.scale for s in slow.model.states], 1)
        assert np.all(slow.y >= -1e-6 * scale)
    assert 20.0 < slow.state("glucose_plasma")[0] < 400.0


# ----------------------------------------------------------------------------- OGTT


@pytest.mark.parametrize(
    ("fasting", "two_hour", "ada", "who"),
    [
        (90, 120, "normal", "normal"),
        (105, 120, "impaired_fasting_glucose", "normal"),
        (115, 120, "impaired_fasting_glucose", "impaired_fasting_glucose"),
        (95, 150, "impaired_glucose_tolerance", "impaired_glucose_tolerance"),
        (110, 160, "impaired_fasting_and_tolerance", "impaired_fasting_and_tolerance"),
        (126, 120, "diabetes", "diabetes"),
        (95, 200, "diabetes", "diabetes"),
        (99.9, 139.9, "normal", "normal"),
    ],
)
def test_classification_thresholds(fasting, two_hour, ada, who):
    assert classify_glucose_tolerance(fasting, two_hour) == ada
    assert classify_glucose_tolerance(fasting, two_hour, "WHO") == who


def test_matsuda_index_by_hand():
    # constant glucose 90 mg/dL, insulin 60 pmol/L = 10 uU/mL: 10000 / sqrt(90*10*90*10)
    assert matsuda_index([90.0] * 5, [60.0] * 5) == pytest.approx(10_000 / 900)
    g = np.array([90.0, 140.0, 150.0, 130.0, 110.0])
    i = np.array([30.0, 300.0, 360.0, 240.0, 180.0])
    expected = 10_000 / np.sqrt(90 * 5 * g.mean() * (i / 6).mean())
    assert matsuda_index(g, i) == pytest.approx(expected)


def test_summary_of_a_batch():
    g = np.array([[90.0, 140.0, 150.0, 130.0, 110.0], [130.0, 220.0, 260.0, 250.0, 230.0]])
    i = np.array([[30.0, 300.0, 360.0, 240.0, 180.0], [90.0, 200.0, 250.0, 260.0, 240.0]])
    s = summarise_ogtt(g, i)
    np.testing.assert_array_equal(s.fasting_glucose, [90.0, 130.0])
    np.testing.assert_array_equal(s.two_hour_glucose, [110.0, 230.0])
    np.testing.assert_array_equal(s.peak_time, [60.0, 60.0])
    np.testing.assert_array_equal(s.peak_insulin, [360.0, 260.0])
    assert list(s.classification) == ["normal", "diabetes"]
    assert s.matsuda_index[0] > s.matsuda_index[1]


@pytest.mark.parametrize(
    ("glucose", "insulin", "times", "match"),
    [
        ([90.0] * 4, [30.0] * 4, OGTT_TIMES_MIN, "5 samples"),
        ([90.0] * 5, [30.0] * 4, OGTT_TIMES_MIN, "5 samples"),
        ([90.0, -1.0, 90.0, 90.0, 90.0], [30.0] * 5, OGTT_TIMES_MIN, "positive"),
        ([90.0] * 5, [30.0, np.nan, 30, 30, 30], OGTT_TIMES_MIN, "positive"),
        ([90.0] * 5, [30.0] * 5, (0, 30, 60, 90, 100), "include 120"),
    ],
)
def test_bad_ogtt_input(glucose, insulin, times, match):
    with pytest.raises(ScenarioError, match=match):
        summarise_ogtt(glucose, insulin, times)


def test_unknown_criteria():
    with pytest.raises(ScenarioError, match="criteria"):
        classify_glucose_tolerance(90, 120, "IDF")


# ----------------------------------------------------------------------- validation


@pytest.mark.validation
def test_validation_cases_pass():
    from myoaxis.validation import glucose_insulin  # noqa: F401  (registers the cases)
    from myoaxis.validation.registry import CASES

    names = [n for n, c in CASES.items() if c.measure.__module__.endswith("glucose_insulin")]
    assert len(names) >= 8
    for name in names:
        outcome = CASES[name].run()
        assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"
