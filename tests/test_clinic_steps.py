"""Clinic steps in a run: stimulation, doses, practice and imagery, pain tests, CPET, stroke."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis import Scenario, Simulation
from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import ScenarioError


def scenario(steps: list[str], conditions=(), slow=()) -> Scenario:
    quoted = ", ".join(f'"{x}"' for x in steps)
    return Scenario.from_toml_text(
        f"""schema_version = 1
name = "clinic"
seed = 5
[subject]
preset = "healthy_adult"
sex = "female"
age_years = 50
body_mass_kg = 68
conditions = {list(conditions)!r}
[[protocol]]
repeat = 1
steps = [{quoted}]
[outputs]
acute = []
slow = {list(slow)!r}
slow_period = "10 min"
""".replace("'", '"'),
        "clinic.toml",
    )


def run(steps, conditions=(), slow=()):
    return Simulation(scenario(steps, conditions, slow)).run()


def values(results, test: str) -> list[float]:
    return [a["value"] for a in results.assessments if a["test"] == test]


STROKE = ((), ("stroke",))
TESTS = [
    "Assess pain",
    "Assess pain_threshold",
    "Assess cpm",
    "Assess temporal_summation",
    "Assess disability",
]


@pytest.fixture(scope="module")
def fm_and_healthy():
    return {c: run(TESTS, conditions=c) for c in ((), ("fibromyalgia",))}


def test_pain_tests_record_their_units_and_separate_fibromyalgia(fm_and_healthy):
    healthy, fm = fm_and_healthy[()], fm_and_healthy[("fibromyalgia",)]
    units = {a["test"]: a["unit"] for a in fm.assessments}
    assert units == {
        "pain": "1",
        "pain_threshold": "kPa",
        "cpm": "%",
        "temporal_summation": "1",
        "disability": "1",
    }
    assert values(healthy, "pain")[0] < 1.0 < 5.0 < values(fm, "pain")[0] <= 10.0
    assert values(fm, "pain_threshold")[0] < 0.8 * values(healthy, "pain_threshold")[0]
    assert values(fm, "cpm")[0] < values(healthy, "cpm")[0]


def test_a_tdcs_course_and_an_analgesic_lower_fibromyalgia_pain():
    course = ["Stimulate motor_cortex with tDCS at 2 mA for 20 min", "Rest for 1 day"] * 5
    slow = ["pain_intensity", "neuromodulation_inhibition", "analgesic_effect"]
    r = run(
        [
            "Assess pain",
            *course,
            "Assess pain",
            "Dose paracetamol 1 g",
            "Rest for 1 h",
            "Assess pain",
        ],
        conditions=("fibromyalgia",),
        slow=slow,
    )
    before, after_course, with_drug = values(r, "pain")
    assert after_course < 0.95 * before
    assert with_drug < after_course
    inhibition = r.tree["/slow"]["neuromodulation_inhibition"].values[0]
    assert inhibition[0] == 0.0
    assert inhibition.max() > 0.05


def test_the_daily_maximum_of_a_drug_stops_the_run_at_the_dose_that_exceeds_it():
    steps = ["Dose paracetamol 1000 mg", "Rest for 4 h"] * 4 + ["Dose paracetamol 500 mg"]
    with pytest.raises(ScenarioError, match=r"Dose paracetamol 500 mg' at 16 h.*4000 mg"):
        run(steps)


def test_doses_closer_than_the_minimum_interval_are_refused():
    steps = ["Dose paracetamol 1 g", "Rest for 1 h", "Dose paracetamol 1 g"]
    with pytest.raises(ScenarioError, match=r"at 1 h.*1 h after the previous dose.*4 h"):
        run(steps)


def test_sessions_close_together_count_as_one_for_the_safety_limits():
    three = ["Stimulate motor_cortex with tDCS at 4 mA for 30 min", "Rest for 10 min"] * 3
    with pytest.raises(ScenarioError, match=r"1 session\(s\) of tDCS before it.*3 h.*limit"):
        run(three)
    apart = ["Stimulate motor_cortex with tDCS at 2 mA for 20 min", "Rest for 4 h"] * 2
    run(apart)  # two sessions a day, 4 h apart: each within the limits


def test_ckd_limits_metformin_and_slows_its_elimination():
    steps = ["Dose metformin 500 mg", "Rest for 6 h", "Dose metformin 500 mg", "Rest for 6 h"]
    run(steps, conditions=("type2_diabetes",))
    with pytest.raises(ScenarioError, match=r"maximum daily dose of 1000 mg"):
        run([*steps, "Dose metformin 500 mg"], conditions=("type2_diabetes", "ckd"))
    healthy, ckd = (
        subject_parameters("healthy_adult", "female", 60, c).value(
            "pharmacology.metformin.half_life"
        )
        for c in ((), ("ckd",))
    )
    assert ckd == pytest.approx(2 * healthy)


def test_an_unsafe_stimulation_is_refused_before_anything_runs():
    steps = ["Rest for 1 day", "Stimulate motor_cortex with tDCS at 2 mA for 90 min"]
    with pytest.raises(ScenarioError, match=r"clinic.toml: step 'Stimulate .* for 90 min'.*limit"):
        Simulation(scenario(steps)).run()


def test_imagery_and_practice_train_their_muscle_group():
    slow = ["neural_adaptation_elbow_flexors", "neural_adaptation_grip"]
    r = run(
        ["Imagine elbow_flexion for 15 min", "Practice grasp for 30 min", "Rest for 1 day"],
        slow=slow,
    )
    for name in slow:
        assert r.tree["/slow"][name].values[0, -1] > 0.0


def test_a_stroke_weakens_and_slows_the_limb_through_the_motor_pathway():
    steps = ["Assess grip_strength", "Assess tapping", "MVC knee_extensors"]
    runs = {c: run(steps, conditions=c) for c in STROKE}
    healthy, stroke = runs[()], runs[("stroke",)]
    params = subject_parameters("healthy_adult", "female", 50, ("stroke",))
    w, b = (params.value(f"motor_learning.{n}") for n in ("initial_strength", "speed_exponent"))
    # W is the paretic/intact grip-strength ratio (motor_learning.strength_exponent is fitted
    # to make it so); the leg's (bilateral) knee extensors keep their drive
    grip = values(stroke, "grip_strength")[0] / values(healthy, "grip_strength")[0]
    assert grip == pytest.approx(w, abs=0.05)
    knee = values(stroke, "MVC")[-1] / values(healthy, "MVC")[-1]
    assert knee == pytest.approx(1.0, abs=0.01)
    # the maximal tapping rate scales as W**b (motor_learning.speed_exponent)
    ratio = values(stroke, "tapping")[0] / values(healthy, "tapping")[0]
    assert ratio == pytest.approx(w**b, rel=0.15)


def test_a_second_cpet_a_day_later_is_lower_in_me_cfs_only():
    steps = ["Assess cpet", "Rest for 1 day", "Assess cpet"]
    drop = {}
    for c in ((), ("me_cfs",)):
        first, second = values(run(steps, conditions=c), "cpet")
        drop[c] = second / first - 1
    assert abs(drop[()]) < 0.15  # test-retest error only
    assert drop[("me_cfs",)] < drop[()] - 0.05
    assert np.isfinite(list(drop.values())).all()
