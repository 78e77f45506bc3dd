"""The mood index: rest, training through brain BDNF, inflammation and pain burdens, and the
exercise-depression validation case."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import roadrunner_errors

from myoaxis.core.equations import Assignment, Component
from myoaxis.physiology.brain import mood
from myoaxis.physiology.ports import ASLEEP, EXERCISE_INTENSITY
from myoaxis.slow import SlowLayer
from myoaxis.validation import aerobic as va
from myoaxis.validation import mood as vmood
from myoaxis.validation.registry import CASES

DAY = 86400.0

# inflammation index = exercise intensity and pain (NRS) = 4 x asleep: lets a test set them
# through ports when the inflammation and pain components are absent
BURDEN_STUB = Component(
    name="burden_stub",
    states=(),
    parameters={},
    inputs=(EXERCISE_INTENSITY, ASLEEP),
    assignments=(
        Assignment("inflammation", "dimensionless", "test inflammation", "exercise_intensity"),
        Assignment("pain_intensity", "dimensionless", "test pain", "4 * asleep"),
    ),
)


def test_mood_stays_at_baseline_at_rest():
    slow = SlowLayer(va.body(2, 40.0), DAY, vmood.MOOD_COMPONENTS)
    slow.advance(60 * DAY)
    assert slow.value(mood.MOOD) == pytest.approx(np.zeros(2), abs=1e-9)
    assert slow.state(mood.TRAINING_EFFECT) == pytest.approx(np.zeros(2), abs=1e-12)


def test_inflammation_and_pain_lower_mood_linearly():
    subjects = va.body(3, 40.0)
    slow = SlowLayer(subjects, DAY, (*mood.COMPONENTS, BURDEN_STUB))
    ports = {"exercise_intensity": np.array([0.0, 1.0, 1.0]), "asleep": np.array([0.0, 0.0, 1.0])}
    slow.advance(DAY, ports)
    k_q = subjects.values("mood.inflammation_effect", "dimensionless")
    k_p = subjects.values("mood.pain_effect", "dimensionless")
    expected = -np.array([0.0, k_q[1], k_q[2] + 4 * k_p[2]])
    assert slow.value(mood.MOOD) == pytest.approx(expected)
    assert np.all(np.diff(slow.value(mood.MOOD)) < 0)


def test_training_raises_mood_and_the_effect_fades_after_training_stops():
    slow = SlowLayer(va.body(2, 40.0), DAY, vmood.MOOD_COMPONENTS)
    programme = va.Programme(np.array([40.0, 0.0]), np.array([0.65, 0.0]), np.array([2.0, 1.0]))
    va.train(slow, programme, 8 * 7)
    trained = slow.value(mood.MOOD)
    assert trained[0] > 0.2
    assert trained[1] == pytest.approx(0.0, abs=1e-9)
    va.rest(slow, 12 * 7)
    assert 0 < slow.value(mood.MOOD)[0] < 0.5 * trained[0]


def test_light_exercise_below_the_bdnf_threshold_does_not_change_mood():
    slow = SlowLayer(va.body(1, 40.0), DAY, vmood.MOOD_COMPONENTS)
    va.train(slow, va.Programme(40.0, 0.3), 4 * 7)
    assert abs(slow.value(mood.MOOD)[0]) < 0.02


@pytest.mark.interop
def test_roadrunner_replays_training_and_burdens(tmp_path):
    slow = SlowLayer(va.body(1, 40.0), DAY, (*vmood.MOOD_COMPONENTS, BURDEN_STUB), rtol=1e-10)
    va.train(slow, va.Programme(40.0, 0.65, 2.0), 14)
    slow.advance(DAY, {"exercise_intensity": np.array([0.0]), "asleep": np.array([1.0])})
    errors = roadrunner_errors(slow, tmp_path / "mood.xml", floor=1.0)
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)


@pytest.mark.validation
def test_rebar2015_case_passes():
    outcome = CASES["rebar2015_exercise_depression"].run()
    assert outcome.passed, f"{outcome.measured_text} outside {outcome.band_text}"
