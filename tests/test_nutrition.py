"""Dietary protein: the supplement's daily mean and the anabolic factor's plateau."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.physiology.adaptation import nutrition
from myoaxis.slow import SlowLayer

DAY = 86400.0


def layer(habitual=(1.0, 1.0, 1.0), mass=80.0) -> SlowLayer:
    params = [
        subject_parameters("healthy_adult", "male", 30.0).with_values(
            {"nutrition.protein.habitual": h}, "test"
        )
        for h in habitual
    ]
    return SlowLayer(Body(params, np.full(len(params), mass), 30.0), 3600.0, nutrition.COMPONENTS)


def test_without_supplements_the_intake_is_habitual_and_the_factor_one_at_the_reference():
    slow = layer((0.8, 1.0, 2.0))
    slow.advance(3 * DAY)
    assert slow.value(nutrition.INTAKE) == pytest.approx([0.8, 1.0, 2.0])
    low, reference, high = slow.value(nutrition.ANABOLIC)
    assert reference == pytest.approx(1.0)
    assert low < reference < high  # 2.0 g/kg/day: on the plateau


def test_a_daily_supplement_adds_its_grams_per_kg_to_the_mean_daily_intake():
    slow = layer()
    grams = np.array([0.0, 24.0, 48.0])
    for _ in range(10):
        slow.add(nutrition.SUPPLEMENT, nutrition.supplement_dose(grams, 80.0, 1.0))
        slow.advance(DAY)
    times, values = slow.series()
    supplement = values[slow.kept.index(nutrition.SUPPLEMENT)]
    last_day = times >= times[-1] - DAY
    mean = np.trapezoid(supplement[:, last_day], times[last_day], axis=1) / DAY
    assert mean == pytest.approx(grams / 80.0, rel=0.02)  # hourly samples: trapezoid error


def test_the_anabolic_factor_rises_to_the_breakpoint_and_no_further():
    slow = layer()
    p = slow.body.params[0]
    slope, breakpoint = p.value("nutrition.protein.slope"), p.value("nutrition.protein.breakpoint")
    slow.add(nutrition.SUPPLEMENT, np.array([0.3, 0.7, 1.2]))  # g/kg/day on top of 1.0
    slow.advance(1.0)
    intake, factor = slow.value(nutrition.INTAKE), slow.value(nutrition.ANABOLIC)
    assert intake[0] < breakpoint < intake[1] < intake[2]
    assert factor[0] == pytest.approx(1 + slope * 0.3 / (1 + slope * (1 - breakpoint)), rel=1e-4)
    plateau = 1 / (1 + slope * (1 - breakpoint))
    assert factor[1:] == pytest.approx([plateau, plateau])


def test_a_protein_supplement_adds_hypertrophy_up_to_the_breakpoint():
    """10 weeks of 3 x 10 at 75 %1RM to failure, 3 x/week, at habitual intakes of 1.0 g/kg/day
    without and with a daily supplement of 0.62 g/kg (to the breakpoint), and at 1.8 g/kg/day
    habitual with the same supplement (already on the plateau): the CSA gain rises by the
    plateau factor, then not at all."""
    from myoaxis.physiology.adaptation import muscle
    from myoaxis.validation.adaptation import GROUP, Session, weekly

    nourished = layer((1.0, 1.0, 1.8))
    slow = SlowLayer(nourished.body, DAY, (*nutrition.COMPONENTS, muscle.muscle_adaptation(GROUP)))
    doses = muscle.resistance_doses(
        muscle.DoseParameters.from_values(slow.body.values), *vars(Session(0.75, 3, 10, 0)).values()
    )
    sessions = set(weekly(10))
    for day in range(70):
        slow.add(nutrition.SUPPLEMENT, np.array([0.0, 0.62, 0.62]))
        if day in sessions:
            muscle.add_session(slow, GROUP, doses)
        slow.advance(DAY)
    gain = slow.value(f"csa_{GROUP}") - 1
    p = slow.body.params[0]
    plateau = 1 / (
        1 + p.value("nutrition.protein.slope") * (1 - p.value("nutrition.protein.breakpoint"))
    )
    assert gain[0] > 0.03
    assert gain[1] / gain[0] == pytest.approx(plateau, rel=0.03)  # the intake's daily swing
    assert gain[2] == pytest.approx(gain[1], rel=0.03)
