"""Aerobic training adaptation: VO2max (training, saturation, detraining, ageing) and the
training gain of insulin sensitivity, alone and wired into the glucose-insulin model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import roadrunner_errors

from myoaxis import slow
from myoaxis.core.equations import Model
from myoaxis.physiology.adaptation import aerobic, ageing
from myoaxis.physiology.endocrine import glucose_insulin
from myoaxis.validation import aerobic as va
from myoaxis.validation.registry import CASES

DAY = va.DAY
MURIAS = va.Programme(minutes=45.0, intensity=0.70)
STATES = [s.name for s in aerobic.VO2MAX_TRAINING.states + aerobic.INSULIN_TRAINING.states]


def value(name: str, unit: str = "dimensionless", age: float = 30.0) -> float:
    return float(va.body(1, age).values(name, unit)[0])


def weekly(layer, name: str, weeks: int, programme: va.Programme) -> np.ndarray:
    """``name`` at the end of each of ``weeks`` weeks of ``programme``, ``(weeks, S)``."""
    out = []
    for _ in range(weeks):
        va.train(layer, programme, 7)
        out.append(layer.value(name))
    return np.array(out)


# -- rest -----------------------------------------------------------------------------------


def training_gain(layer) -> np.ndarray:
    """VO2max gain from training alone (labile + structural), without the ageing drift."""
    return layer.state(aerobic.LABILE) + layer.state(aerobic.STRUCTURAL)


@pytest.mark.parametrize("age", [20.0, 25.0])
def test_a_year_at_rest_moves_nothing_but_the_small_ageing_drift(age):
    layer = va.layer(va.body(2, age))
    layer.advance(365.25 * DAY)
    for name in STATES:
        if name != aerobic.AGEING:
            assert np.all(layer.state(name) == 0.0), name  # every rate is exactly 0 at rest
    assert np.all(layer.value(aerobic.INSULIN_FACTOR) == 1.0)
    drift = 1 - layer.value(aerobic.FACTOR)
    assert np.all((drift >= 0) & (drift < 0.003))  # Fleg 2005: 3-6 %/decade in the 20s-30s


# -- training, saturation, intensity --------------------------------------------------------


def test_training_raises_vo2max_quickly_at_first_then_ever_more_slowly():
    layer = va.layer(va.body(1, 25.0))
    gain = weekly(layer, aerobic.FACTOR, 26, MURIAS)[:, 0] - 1
    steps = np.diff(np.concatenate([[0.0], gain]))
    assert np.all(steps[:12] > 0)  # rises every week of the first three months
    assert steps[:4].sum() > 2 * steps[4:8].sum()  # fast early gains (Murias 2010)
    assert steps[13:26].sum() < 0.25 * gain[12]  # the next 3 months add little
    assert 0.12 < gain[11] < 0.24  # Murias 2010: +18 % in 12 weeks


def test_vo2max_gain_saturates_in_the_training_load():
    """Steady state after two years: twice the load gives less than twice the gain, and an
    extreme load stays below the ceilings of the labile and structural gains."""
    minutes = np.array([30.0, 60.0, 120.0, 240.0])
    layer = va.layer(va.body(4, 20.0))
    va.train(layer, va.Programme(minutes=minutes, intensity=1.0, days=tuple(range(7))), 730)
    gain = training_gain(layer)
    assert np.all(np.diff(gain) > 0)
    assert np.all(gain[1:] < 2 * gain[:-1])
    ceiling = value("aerobic.vo2max.labile.max_gain") + value(
        "aerobic.vo2max.structural.max_gain", ""
    )
    assert gain[-1] < ceiling
    assert gain[-1] > 0.8 * ceiling  # and approaches it


def test_harder_sessions_count_more_and_light_ones_not_at_all():
    intensity = np.array([0.25, 0.30, 0.50, 0.70, 0.90])
    layer = va.layer(va.body(5, 20.0))
    va.train(layer, va.Programme(minutes=45.0, intensity=intensity), 84)
    gain = training_gain(layer)
    assert np.all(gain[:2] == 0.0)  # at or below the 30 % threshold
    assert np.all(np.diff(gain[1:]) > 0)


def test_one_hour_at_the_reference_intensity_adds_one_hour_of_load():
    layer = va.layer(va.body(1, 20.0))
    layer.advance(3600.0, {"exercise_intensity": np.array([0.7])})
    tau = value("aerobic.load_time", "s")
    assert tau == 7 * DAY
    assert layer.state(aerobic.LOAD)[0] == pytest.approx(tau * (1 - np.exp(-3600.0 / tau)))
    assert layer.state(aerobic.VOLUME)[0] == pytest.approx(tau * (1 - np.exp(-3600.0 / tau)))


# -- detraining -----------------------------------------------------------------------------


def test_detraining_loses_the_labile_gain_within_weeks_and_keeps_the_structural_one():
    loss = va.coyle_detraining()
    assert 0 < loss[21] < loss[56] < loss[84]
    assert loss[84] - loss[56] < 0.3 * loss[56]  # nearly stable after 8 weeks (Coyle 1984)
    layer = va.layer(va.body(1, 25.0))
    va.train(layer, va.ATHLETE, 3 * 365)
    va.rest(layer, 84)
    assert layer.value(aerobic.FACTOR)[0] > 1.05  # still well above the untrained start
    assert layer.state(aerobic.LABILE)[0] < 0.05 * value("aerobic.vo2max.labile.max_gain")


def test_recent_gains_of_a_short_programme_are_mostly_lost_in_two_months():
    layer = va.layer(va.body(1, 20.0))
    va.train(layer, MURIAS, 56)
    trained = training_gain(layer)[0]
    va.rest(layer, 56)
    assert training_gain(layer)[0] < 0.4 * trained  # Mujika & Padilla 2001


# -- ageing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("age", [20.0, 45.0, 72.0])
def test_ageing_follows_the_closed_form_ramp(age):
    layer = va.layer(va.body(1, age))
    va.rest(layer, 3652.5)
    expected = ageing.ramp_drift(
        age,
        age + 10,
        value("aerobic.vo2max.ageing.onset_age", "year"),
        value("aerobic.vo2max.ageing.loss_rate_at_reference", "1/year"),
        value("aerobic.vo2max.ageing.reference_age", "year"),
    )
    assert layer.value(aerobic.FACTOR)[0] == pytest.approx(expected, rel=1e-6)


def test_ageing_decline_accelerates_and_training_gains_scale_with_it():
    decline = [va.vo2max_decline_per_decade(a, 1) for a in (20.0, 40.0, 60.0, 75.0)]
    assert np.all(np.diff(decline) > 0)
    assert decline[0] < 3.0 < 20.0 < decline[-1]
    layer = va.layer(va.body(2, 70.0))
    va.train(layer, va.Programme(np.array([45.0, 0.0]), np.array([0.7, 0.0])), 84)
    f = layer.value(aerobic.FACTOR)
    assert f[1] < 1  # ageing pulls both down
    assert f[0] > 1  # the trained subject gains nevertheless


# -- insulin sensitivity --------------------------------------------------------------------


def test_insulin_gain_follows_minutes_not_intensity_and_decays_within_two_weeks():
    gains = va.houmard_gains()
    assert gains[0] == pytest.approx(gains[2], rel=1e-9)  # 170 min walking = 170 min jogging
    assert gains[2] > 1.6 * gains[1] > 0
    assert gains[3] == 0.0
    layer = va.layer(va.body(3, 40.0))
    va.train(layer, va.Programme(45.0, np.array([0.25, 0.45, 0.85]), days=(0, 1, 3, 4)), 84)
    g = layer.value(aerobic.INSULIN_FACTOR) - 1
    assert g[0] == 0.0  # below the threshold
    assert g[1] == pytest.approx(g[2], rel=1e-9)  # minutes count, not intensity
    assert g[1] > 0.5  # Houmard 1996: x1.9 after 12 weeks of 4 x 40-45 min
    va.rest(layer, 14)
    assert np.all(layer.value(aerobic.INSULIN_FACTOR)[1:] - 1 < 0.15 * g[1:])  # Houmard 1996


def test_insulin_gain_stays_below_its_ceiling():
    layer = va.layer(va.body(1, 20.0))
    va.train(layer, va.Programme(180.0, 0.6, days=tuple(range(7))), 120)
    g = layer.value(aerobic.INSULIN_FACTOR)[0] - 1
    assert 0.9 * value("aerobic.insulin.max_gain") < g < value("aerobic.insulin.max_gain")


def test_the_glucose_model_reads_the_training_factor():
    body = va.body(2, 30.0)
    alone = slow.SlowLayer(body, DAY, glucose_insulin.COMPONENTS)
    joined = slow.SlowLayer(body, DAY, (*glucose_insulin.COMPONENTS, *aerobic.COMPONENTS))
    assert aerobic.INSULIN_FACTOR not in {i.name for i in joined.model.inputs}  # wired
    resting = ("glucose_plasma", "insulin_plasma", "insulin_action")
    start = {name: joined.state(name) for name in resting}
    alone.advance(2 * DAY)
    joined.advance(2 * DAY)
    for name in resting:
        assert joined.state(name) == pytest.approx(start[name], rel=1e-9)  # factor 1: at rest
        assert joined.state(name) == pytest.approx(alone.state(name), rel=1e-9)
    va.train(joined, va.Programme(np.array([60.0, 0.0]), np.array([0.6, 0.0])), 28)
    factor = joined.value(aerobic.INSULIN_FACTOR)
    sensitivity = joined.value("insulin_sensitivity")
    assert factor[0] > 1.3
    assert factor[1] == 1.0
    assert sensitivity[0] / sensitivity[1] == pytest.approx(factor[0], rel=1e-12)
    peaks = []
    joined.add("gut_carbohydrate", np.full(2, 75.0))  # an oral glucose load
    for _ in range(24):
        joined.advance(600.0)
        peaks.append(joined.state("glucose_plasma"))
    peak = np.max(peaks, axis=0)
    assert peak[0] < peak[1]  # the trained subject handles the load better


# -- robustness, model, validation ----------------------------------------------------------


SESSION = st.tuples(st.floats(0.0, 1.5), st.floats(1.0, 240.0), st.floats(0.0, 10.0))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SESSION, min_size=1, max_size=12), st.floats(20.0, 90.0))
def test_states_stay_non_negative_and_gains_below_their_ceilings(sessions, age):
    layer = va.layer(va.body(1, age))
    for intensity, minutes, rest_days in sessions:
        layer.advance(minutes * 60.0, {"exercise_intensity": np.array([intensity])})
        layer.advance(rest_days * DAY + 1.0)
        for name in STATES:
            assert layer.state(name)[0] >= -1e-9, name
    assert layer.state(aerobic.LABILE)[0] <= value("aerobic.vo2max.labile.max_gain")
    assert layer.state(aerobic.INSULIN_GAIN)[0] <= value("aerobic.insulin.max_gain")


def test_units_of_the_outputs_and_the_full_model_joins():
    assert set(aerobic.COMPONENTS) <= set(slow.COMPONENTS)
    model = Model(slow.COMPONENTS)
    assert model.units_of(aerobic.VO2MAX) == "mL/min/kg"
    assert model.units_of(aerobic.LOAD) == "s"
    assert aerobic.INSULIN_FACTOR not in {i.name for i in model.inputs}
    layer = va.layer(va.body(1, 20.0))
    assert layer.value(aerobic.VO2MAX)[0] == pytest.approx(
        value("energetics.vo2max_per_kg", "mL/min/kg", age=20.0)
    )
    va.train(layer, MURIAS, 28)
    assert layer.value(aerobic.VO2MAX)[0] == pytest.approx(
        value("energetics.vo2max_per_kg", "mL/min/kg", age=20.0) * layer.value(aerobic.FACTOR)[0]
    )


AEROBIC_CASES = ("coyle1984", "murias2010", "huang2005", "fleg2005", "houmard2004")


@pytest.mark.validation
def test_validation_cases_pass():
    names = [n for n in CASES if n.startswith(AEROBIC_CASES)]
    assert len(names) == 8
    for name in names:
        outcome = CASES[name].run()
        assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


@pytest.mark.interop
def test_roadrunner_replays_training_with_the_glucose_model_within_1e_4(tmp_path):
    layer = slow.SlowLayer(
        va.body(1, 50.0),
        3600.0,
        (*glucose_insulin.COMPONENTS, *aerobic.COMPONENTS),
        rtol=1e-10,
    )
    va.train(layer, va.Programme(60.0, 0.75, days=(0, 2)), 7)  # one week, then a meal
    layer.add("gut_carbohydrate", np.array([50.0]))
    layer.advance(4 * 3600.0)
    errors = roadrunner_errors(layer, tmp_path / "aerobic.xml", floor=1.0)
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)
