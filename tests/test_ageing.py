"""Ageing drift of muscle mass, specific tension and motor-unit number in the slow layer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoaxis.body import Body
from myoaxis.conditions import base_parameters, subject_parameters
from myoaxis.core.errors import ScenarioError
from myoaxis.physiology.adaptation import ageing
from myoaxis.slow import SlowLayer
from myoaxis.validation import adaptation as va

YEAR = va.YEAR
P = base_parameters()
DRIFTS = (ageing.MASS, ageing.TENSION, ageing.MOTOR_UNITS)


def cohort(ages: list[float]) -> Body:
    params = [subject_parameters("healthy_adult", "male", a) for a in ages]
    return Body(params, np.full(len(ages), 75.0), np.array(ages))


def layer(ages: list[float]) -> SlowLayer:
    return SlowLayer(cohort(ages), YEAR / 12, ageing.COMPONENTS)


def years(name: str) -> float:
    return P.value_in(name, "year")


def per_year(name: str) -> float:
    return P.value_in(name, "1/year")


def closed_form(age0: np.ndarray, age1: np.ndarray) -> dict[str, np.ndarray]:
    ref = years("ageing.reference_age")
    ramp = {
        name: ageing.ramp_drift(
            age0,
            age1,
            years(f"ageing.{key}.onset_age"),
            per_year(f"ageing.{key}.loss_rate_at_reference"),
            ref,
        )
        for name, key in ((ageing.MASS, "muscle_mass"), (ageing.TENSION, "specific_tension"))
    }
    units = ageing.step_drift(
        age0, age1, years("ageing.motor_units.onset_age"), per_year("ageing.motor_units.loss_rate")
    )
    return ramp | {ageing.MOTOR_UNITS: units}


def test_young_adults_do_not_drift():
    slow = layer([20.0, 30.0, 33.5])  # onsets: mass 35, motor units 45, tension 50 y
    slow.advance(YEAR)
    for name in DRIFTS:
        assert np.all(slow.value(name) == 1.0)
    assert np.all(slow.value(ageing.STRENGTH) == 1.0)


def test_current_age_is_the_start_age_plus_time():
    slow = layer([40.0, 70.0])
    slow.advance(2 * YEAR)
    assert slow.value(ageing.AGE) / YEAR == pytest.approx([42.0, 72.0], rel=1e-12)


def test_drifts_follow_the_closed_form_over_decades():
    ages = np.array([40.0, 55.0, 70.0, 85.0])
    slow = layer(list(ages))
    slow.advance(20 * YEAR)
    expected = closed_form(ages, ages + 20)
    for name in DRIFTS:
        assert slow.value(name) == pytest.approx(expected[name], rel=1e-6)
    assert slow.value(ageing.STRENGTH) == pytest.approx(
        slow.value(ageing.MASS) * slow.value(ageing.TENSION), rel=1e-12
    )


def test_rates_at_75_are_the_published_ones():
    slow = layer([74.5])
    slow.advance(YEAR)
    mass_loss = 100 * (1 - slow.value(ageing.MASS)[0])
    strength_loss = 100 * (1 - slow.value(ageing.STRENGTH)[0])
    assert 0.8 <= mass_loss <= 0.98  # Mitchell 2012, men at 75 y
    assert 3.0 <= strength_loss <= 4.0  # Mitchell 2012, men; Goodpaster 2006: 3.4 %/y
    rates = va.health_abc()
    assert rates["strength"] == pytest.approx(3.4, abs=0.2)


def test_loss_accelerates_with_age():
    slow = layer([50.0, 60.0, 70.0, 80.0])
    slow.advance(YEAR)
    for name in (ageing.MASS, ageing.TENSION):
        assert np.all(np.diff(slow.value(name)) < 0)


def test_motor_unit_estimates_of_mcneil_2005():
    young, old, very_old = (
        ageing.step_drift(
            25.0,
            a,
            years("ageing.motor_units.onset_age"),
            per_year("ageing.motor_units.loss_rate"),
        )
        for a in (25.0, 65.0, 83.0)
    )
    assert young == 1.0
    assert old == pytest.approx(91 / 150, abs=0.02)
    assert very_old == pytest.approx(59 / 150, abs=0.02)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.floats(20.0, 90.0), min_size=3, max_size=3), st.floats(0.5, 30.0))
def test_factors_stay_in_zero_one_and_match_the_closed_form(ages, duration):
    slow = layer(ages)
    slow.advance(duration * YEAR)
    expected = closed_form(np.array(ages), np.array(ages) + duration)
    for name in DRIFTS:
        value = slow.value(name)
        assert np.all((value > 0) & (value <= 1))
        assert value == pytest.approx(expected[name], rel=1e-5)


@pytest.mark.parametrize(("start", "end"), [(70.0, 60.0), (np.nan, 70.0), (60.0, np.inf)])
def test_closed_form_rejects_bad_ages(start, end):
    with pytest.raises(ScenarioError, match="ageing"):
        ageing.step_drift(start, end, 45.0, 0.025)
