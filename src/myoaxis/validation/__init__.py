"""Validation cases: a published result, the simulation that reproduces it, and a pass band.

``myoaxis validate`` runs every registered case (:data:`CASES`) and prints measured value, band
and citation. Cases live in :mod:`myoaxis.validation.motor` (motor pathway) and
:mod:`myoaxis.validation.muscle` (muscle–tendon and strength norms), :mod:`~.fatigue`
(three-compartment fatigue, endurance times), :mod:`~.intermittent` (3CC-r on intermittent
protocols) and :mod:`~.nmj` (repetitive nerve stimulation).
"""

# Importing the case modules registers their cases.
from myoaxis.validation import (  # noqa: F401
    energetics,
    fatigue,
    intermittent,
    motor,
    motor_fatigue,
    muscle,
    nmj,
)
from myoaxis.validation.registry import CASES, Outcome, ValidationCase, register, run_cases

__all__ = ["CASES", "Outcome", "ValidationCase", "register", "run_cases"]
