"""Use-dependent motor plasticity (stroke), weakness/slowness factors, neural doses of practice
and imagery, and their validation cases."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import roadrunner_errors

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.equations import Assignment, Component
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.muscles import muscle_names
from myoaxis.physiology.adaptation.muscle import state_names
from myoaxis.physiology.brain import motor_learning as ml
from myoaxis.physiology.ports import EXERCISE_INTENSITY
from myoaxis.slow import SlowLayer
from myoaxis.validation import motor_learning as vml
from myoaxis.validation.registry import CASES

DAY = 86400.0
W, THETA = ml.STRENGTH, ml.THRESHOLD

# brain BDNF expression 1 + 2 x exercise intensity: lets a test raise it through a port
BDNF_STUB = Component(
    name="bdnf_stub",
    states=(),
    parameters={},
    inputs=(EXERCISE_INTENSITY,),
    assignments=(
        Assignment("bdnf_brain", "dimensionless", "test BDNF", "1 + 2 * exercise_intensity"),
    ),
)


def bodies(n: int, conditions: tuple[str, ...] = ()) -> Body:
    return Body(
        [subject_parameters("healthy_adult", "male", 60, conditions)] * n, np.full(n, 75.0), 60
    )


def layer(n: int, conditions: tuple[str, ...] = (), extra=()) -> SlowLayer:
    return SlowLayer(bodies(n, conditions), DAY, (*ml.COMPONENTS, *extra))


def params(n: int = 1) -> ml.MotorLearningParameters:
    return ml.MotorLearningParameters.from_values(bodies(n).values)


# -- the slow component ------------------------------------------------------------------------


def test_intact_pathway_never_changes_at_rest_practice_or_imagery():
    slow = layer(3)
    for _ in range(3):
        slow.advance(
            3 * 3600,
            {"motor_practice": np.array([0, 1, 0.0]), "motor_imagery": np.array([0, 0, 1.0])},
        )
        slow.advance(DAY - 3 * 3600)
    assert slow.state(W) == pytest.approx(np.ones(3), abs=1e-12)
    assert slow.state(THETA) == pytest.approx(np.ones(3), abs=1e-9)
    assert slow.value(ml.USE) == pytest.approx(np.ones(3), abs=1e-12)


def test_stroke_starts_at_the_overlay_strength_in_steady_threshold():
    slow = layer(1, ("stroke",))
    w0 = subject_parameters("healthy_adult", "male", 60, ("stroke",)).value(
        "motor_learning.initial_strength"
    )
    assert slow.state(W)[0] == pytest.approx(w0)
    activity = slow.value(ml.ACTIVITY)[0]
    floor = bodies(1).values("motor_learning.threshold_floor", "dimensionless")[0]
    assert slow.state(THETA)[0] == pytest.approx(floor + (1 - floor) * activity**2)
    assert 0 < slow.value(ml.USE)[0] < 1


def test_untreated_stroke_pathway_declines_but_stays_positive():
    slow = layer(1, ("stroke",))
    w0 = slow.state(W)[0]
    slow.advance(3 * 365 * DAY)
    assert 0 < slow.state(W)[0] < w0 - 0.1


def test_practice_strengthens_a_stroke_pathway_and_more_practice_more():
    slow = layer(3, ("stroke",))
    vml.practise(slow, np.array([0.0, 2.0, 6.0]), weeks=2)
    w = slow.state(W)
    assert w[0] < w[1] < w[2] <= 1.0


def test_threshold_doses_diverge_after_therapy():
    change = vml.threshold_trial()
    assert change["use"][0] < 0 < change["use"][1]
    assert change["function"][0] < 0 < change["function"][1]


def test_imagery_helps_a_stroke_pathway_less_than_practice():
    slow = layer(3, ("stroke",))
    for _ in range(10):
        ports = {"motor_imagery": np.array([0, 1, 0.0]), "motor_practice": np.array([0, 0, 1.0])}
        slow.advance(3 * 3600, ports)
        slow.advance(DAY - 3 * 3600)
    w = slow.state(W)
    assert w[0] < w[1] < w[2]


def test_brain_bdnf_speeds_learning():
    slow = layer(2, ("stroke",), (BDNF_STUB,))
    gain = slow.body.values("motor_learning.bdnf_gain", "dimensionless")
    for _ in range(10):
        slow.advance(
            3 * 3600,
            {"motor_practice": np.ones(2), "exercise_intensity": np.array([0.0, 0.5])},
        )
        assert slow.value(ml.RATE_FACTOR) == pytest.approx(1 + gain * np.array([0.0, 1.0]))
        slow.advance(DAY - 3 * 3600)
    w = slow.state(W)
    assert w[1] > w[0]


@pytest.mark.interop
def test_roadrunner_replays_stroke_practice(tmp_path):
    slow = SlowLayer(bodies(1, ("stroke",)), DAY, ml.COMPONENTS, rtol=1e-10)
    vml.practise(slow, np.array([4.0]), weeks=1)
    slow.advance(20 * DAY)
    errors = roadrunner_errors(slow, tmp_path / "motor_learning.xml", floor=1.0)
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)


# -- pure functions ------------------------------------------------------------------------------


def test_weakness_and_slowness_factors():
    p = params(2)
    w = np.array([1.0, 0.486])
    assert ml.drive_ceiling_factor(w, p) == pytest.approx(w**p.strength_exponent)
    assert ml.drive_ceiling_factor(w, p)[1] > 0.486  # force saturates in the ceiling
    assert ml.movement_speed_factor(w, p) == pytest.approx([1.0, 0.414], abs=0.002)
    assert np.all(ml.movement_speed_factor(w, p) <= ml.drive_ceiling_factor(w, p))
    with pytest.raises(ParameterError):
        ml.drive_ceiling_factor(np.array([1.2, 0.5]), p)
    with pytest.raises(ParameterError):
        ml.movement_speed_factor(np.array([np.nan, 0.5]), p)


def test_movements_map_to_known_muscle_groups():
    names = ml.movements()
    assert {"elbow_flexion", "finger_abduction", "grasp", "reach", "tapping"} <= set(names)
    assert {ml.muscle_group(m) for m in names} <= set(muscle_names())


def test_unknown_movement_suggests_a_close_match():
    with pytest.raises(ScenarioError, match="elbow_flexion"):
        ml.muscle_group("elbow_flexon")
    with pytest.raises(ScenarioError):
        ml.imagery_neural_dose(60.0, "juggling", params())


def test_neural_doses_go_to_the_group_and_scale_with_time_and_effort():
    p = params(2)
    key = state_names("elbow_flexors")["neural_stimulus"]
    imagery = ml.imagery_neural_dose(np.array([600.0, 1200.0]), "elbow_flexion", p)
    assert list(imagery) == [key]
    assert imagery[key][1] == pytest.approx(2 * imagery[key][0])
    practice = ml.practice_neural_dose(600.0, "elbow_flexion", p, effort=np.array([1.0, 0.5]))
    assert practice[key][1] == pytest.approx(practice[key][0] / 2)
    assert imagery[key][0] == pytest.approx(p.imagery_efficacy[0] * practice[key][0])
    assert imagery[key][0] < practice[key][0]


def test_dose_arguments_are_checked():
    p = params()
    with pytest.raises(ScenarioError):
        ml.imagery_neural_dose(-1.0, "grasp", p)
    with pytest.raises(ScenarioError):
        ml.practice_neural_dose(60.0, "grasp", p, effort=1.5)


# -- validation ------------------------------------------------------------------------------------

NAMES = [
    "han2008_use_rises_above_threshold",
    "han2008_use_falls_below_threshold",
    "han2008_function_diverges",
    "ranganathan2004_imagery_elbow_flexion",
    "jack2000_mci_hippocampal_atrophy",
]


@pytest.mark.validation
@pytest.mark.parametrize("name", NAMES)
def test_validation_case_passes(name):
    outcome = CASES[name].run()
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


def test_mci_condition_changes_hippocampal_ageing_and_cognition():
    healthy = subject_parameters("healthy_adult", "female", 75)
    mci = subject_parameters("healthy_adult", "female", 75, ("mild_cognitive_impairment",))
    name = "plasticity.hippocampus.ageing.loss_rate_at_reference"
    assert mci.value(name) == pytest.approx(1.8 * healthy.value(name))
    assert mci.value("plasticity.cognition.baseline") == pytest.approx(-1.5)
