"""The ME/CFS condition overlay: slower, more variable reactions and central activation failure."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis.body import Body
from myoaxis.conditions import base_parameters, condition, condition_names, subject_parameters
from myoaxis.muscle_state import MuscleState
from myoaxis.validation import me_cfs, reaction_time
from myoaxis.validation.registry import CASES

ME_CFS = ("me_cfs",)


def test_overlay_is_listed_and_changes_exactly_its_parameters():
    assert "me_cfs" in condition_names()
    central = {
        "premotor.slope_factor",
        "central.rested_ceiling",
        "central.minimum_ceiling",
        "central.fatigue_rate",
    }
    overlay = condition("me_cfs")
    assert central <= overlay.parameters
    base = base_parameters()
    for name in central - {"premotor.slope_factor"}:
        assert overlay.values.value(name) != base.value(name)
    assert overlay.changes["premotor.slope_factor"].amount != 1.0  # relative: combines
    healthy = subject_parameters("healthy_adult", "female", 35)
    patient = subject_parameters("healthy_adult", "female", 35, ME_CFS)
    changed = {n for n in healthy if healthy[n].value != patient[n].value}
    assert changed == overlay.parameters


def test_condition_lengthens_and_spreads_reaction_time_for_the_same_random_streams():
    healthy = reaction_time.cohort_test(subjects=20)
    patients = reaction_time.cohort_test(ME_CFS, subjects=20)
    assert np.all(patients.score > healthy.score)
    assert np.mean(patients.sd) > 1.4 * np.mean(healthy.sd)
    median = reaction_time.cohort_test(ME_CFS, subjects=20, statistic="median").score
    assert np.mean(median) < np.mean(patients.score)  # right-skewed latencies


def test_lower_ceiling_lowers_mvc_but_not_the_muscle():
    bodies = [
        Body([subject_parameters("healthy_adult", "female", 35, c)], np.array([65.0]))
        for c in ((), ME_CFS)
    ]
    mvc = [MuscleState.rested(b, "elbow_flexors").strength(b)[0] for b in bodies]
    fmax = [b.muscle("elbow_flexors").max_force[0] for b in bodies]
    assert fmax[0] == pytest.approx(fmax[1])  # stimulated (muscle) capacity unchanged
    assert mvc[1] < 0.8 * mvc[0]  # Schillings 2004: lower MVC in patients


def test_central_activation_failure_is_larger_with_me_cfs():
    healthy = me_cfs.central_activation_failure(subjects=3)
    patients = me_cfs.central_activation_failure(ME_CFS, subjects=3)
    assert healthy < 15.0
    assert patients > healthy + 20.0


def test_cases_are_registered():
    assert {
        "simple_reaction_time_healthy",
        "me_cfs_reaction_time_prolongation",
        "me_cfs_central_activation_failure",
        "healthy_central_activation_failure",
        "me_cfs_endurance_ratio_20mvc",
    } <= set(CASES)


@pytest.mark.validation
@pytest.mark.parametrize(
    "name",
    [
        "simple_reaction_time_healthy",
        "me_cfs_reaction_time_prolongation",
        "me_cfs_endurance_ratio_20mvc",
    ],
)
def test_fast_cases_pass(name):
    outcome = CASES[name].run()
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"
