"""Protocol steps: typed objects and the human-readable step grammar."""

from myoaxis.protocol.parser import STEP_FORMS, parse_step
from myoaxis.protocol.steps import MVC, Hold, Move, Ramp, Rest, Step

__all__ = ["MVC", "STEP_FORMS", "Hold", "Move", "Ramp", "Rest", "Step", "parse_step"]
