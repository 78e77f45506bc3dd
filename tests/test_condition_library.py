"""Condition library: chronic kidney disease, type 2 diabetes, osteoporosis, knee osteoarthritis.

Each overlay loads, moves its phenotype in the published direction, and combines with the
others; the validation cases of validation/conditions.py pass.
"""

import numpy as np
import pytest

from myoaxis.assess import bmd
from myoaxis.body import Body
from myoaxis.conditions import condition, condition_names, subject_parameters
from myoaxis.core.citations import registry as citations
from myoaxis.core.citations import source_keys
from myoaxis.core.errors import ScenarioError
from myoaxis.muscle_state import MuscleState
from myoaxis.physiology.musculoskeletal import mobility
from myoaxis.validation import conditions as cases
from myoaxis.validation.registry import CASES

LIBRARY = ("ckd", "type2_diabetes", "osteoporosis", "knee_osteoarthritis")
CASE_NAMES = (
    "stancakova2009_t2d_matsuda_ratio",
    "anderson2025_t2d_vo2peak_difference",
    "pella2021_ckd_vo2peak_smd",
    "opara_zupancic2026_knee_extensor_smd",
    "freedom_osteoporosis_spine_t_score",
)


def _value(conditions: tuple[str, ...], name: str, sex="female", age=65.0, preset="older_adult"):
    return subject_parameters(preset, sex, age, conditions).value(name)


@pytest.mark.parametrize("name", LIBRARY)
def test_condition_loads_with_known_sources(name):
    assert name in condition_names()
    c = condition(name)
    known = citations()
    assert c.title
    assert c.summary
    assert c.parameters
    for key in c.sources:
        assert key in known
    for s in c.changes.values():
        assert s.amount > 0
        assert all(k in known for k in source_keys(s.source))
    for p in c.values:
        assert all(k in known for k in source_keys(c.values[p].source))


@pytest.mark.parametrize(
    ("name", "parameter", "direction"),
    [
        ("type2_diabetes", "glucose_insulin.insulin_sensitivity_scale", -1),
        ("type2_diabetes", "glucose_insulin.basal_glucose", +1),
        ("type2_diabetes", "energetics.vo2max_per_kg", -1),
        ("type2_diabetes", "inflammation.condition_level", +1),
        ("ckd", "energetics.vo2max_per_kg", -1),
        ("ckd", "muscle.grip.max_isometric_force", -1),
        ("ckd", "glucose_insulin.insulin_sensitivity_scale", -1),
        ("ckd", "inflammation.condition_level", +1),
        ("osteoporosis", "bone.spine.baseline_bmd", -1),
        ("osteoporosis", "bone.hip.baseline_bmd", -1),
        ("knee_osteoarthritis", "muscle.knee_extensors.max_isometric_force", -1),
    ],
)
def test_overlay_moves_parameter_in_published_direction(name, parameter, direction):
    assert np.sign(_value((name,), parameter) - _value((), parameter)) == direction


def test_t2d_ogtt_is_diabetic_and_less_insulin_sensitive():
    summary = cases.t2d_ogtt()
    assert list(summary.classification) == ["normal", "diabetes"]
    assert summary.fasting_glucose[1] >= 126.0
    assert summary.two_hour_glucose[1] > summary.two_hour_glucose[0] + 50.0
    assert summary.matsuda_index[1] < 0.6 * summary.matsuda_index[0]


def test_osteoporosis_is_classified_osteoporotic_at_the_spine_in_both_sexes():
    for sex in ("female", "male"):
        t = cases.osteoporosis_t_scores(sex, 70.0)
        assert bmd.who_category(t["spine"]) == "osteoporosis"
        assert bmd.who_category(t["hip"]) == "osteopenia"


def test_knee_oa_slows_chair_stands_and_gait_of_older_women():
    tests = []
    for conditions in ((), ("knee_osteoarthritis",)):
        params = subject_parameters("older_adult", "female", 80.0, conditions)
        body = Body([params], np.array([67.0]), 80.0)
        knee = MuscleState.rested(body, "knee_extensors").strength(body)
        ankle = MuscleState.rested(body, "ankle_plantarflexors").strength(body)
        p = mobility.MobilityParameters.from_values(body.values)
        tests.append(
            (
                mobility.chair_stand_time(p, knee, body.body_mass, 80.0)[0],
                mobility.gait_speed(p, knee, ankle, body.body_mass)[0],
            )
        )
    (chair0, gait0), (chair1, gait1) = tests
    assert chair1 > chair0 * 1.05
    assert gait1 < gait0


def test_comorbidities_combine_multiplicatively():
    name = "glucose_insulin.insulin_sensitivity_scale"
    t2d, ckd = (_value((c,), name) for c in ("type2_diabetes", "ckd"))
    both = _value(("type2_diabetes", "ckd"), name)
    assert both == pytest.approx(t2d * ckd)
    vo2 = "energetics.vo2max_per_kg"
    assert _value(("type2_diabetes", "ckd"), vo2) < _value(("ckd",), vo2)
    # two sources of chronic inflammation add up
    assert _value(("type2_diabetes", "ckd"), "inflammation.condition_level") == 2.0
    knee = "muscle.knee_extensors.max_isometric_force"
    combined = _value(("ckd", "knee_osteoarthritis"), knee)
    alone = [_value((c,), knee) for c in ("ckd", "knee_osteoarthritis")]
    assert combined == pytest.approx(alone[0] * alone[1] / _value((), knee))
    spine = "bone.spine.baseline_bmd"
    assert _value(("osteoporosis", "type2_diabetes"), spine) == _value(("osteoporosis",), spine)


def test_condition_age_range_is_enforced():
    with pytest.raises(ScenarioError, match="osteoporosis"):
        subject_parameters("healthy_adult", "female", 30.0, ("osteoporosis",))


@pytest.mark.parametrize("name", CASE_NAMES)
def test_validation_case_passes(name):
    outcome = CASES[name].run()
    assert outcome.passed, (name, outcome.value, CASES[name].band)
