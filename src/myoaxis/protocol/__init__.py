"""Protocol steps: typed objects and the human-readable step grammar."""

from myoaxis.protocol.parser import ASSESS_TESTS, STEP_FORMS, parse_step
from myoaxis.protocol.steps import (
    MVC,
    Assess,
    Cycle,
    Hold,
    HoldToFailure,
    Intermittent,
    Move,
    Perturb,
    Ramp,
    Resistance,
    Rest,
    Step,
    Tap,
    Walk,
)

__all__ = [
    "ASSESS_TESTS",
    "MVC",
    "STEP_FORMS",
    "Assess",
    "Cycle",
    "Hold",
    "HoldToFailure",
    "Intermittent",
    "Move",
    "Perturb",
    "Ramp",
    "Resistance",
    "Rest",
    "Step",
    "Tap",
    "Walk",
    "parse_step",
]
