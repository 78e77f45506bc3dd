"""Validation cases: a published result, the simulation that reproduces it, and a pass band.

``myoaxis validate`` runs every registered case (:data:`CASES`) and prints measured value, band
and citation. Cases live in :mod:`~.motor` (motor pathway), :mod:`~.muscle` (muscle–tendon and
strength norms), :mod:`~.fatigue` (three-compartment fatigue, endurance times),
:mod:`~.motor_fatigue` (motor-unit endurance), :mod:`~.intermittent` (3CC-r on intermittent
protocols), :mod:`~.energetics`, :mod:`~.nmj` (repetitive nerve stimulation),
:mod:`~.voluntary_activation` (twitch interpolation, fresh and after a sustained MVC),
:mod:`~.rhythm` (Matsuoka oscillator, walking cadence, finger tapping), :mod:`~.haemodynamics`
(fNIRS response and GLM), :mod:`~.gentile2019` (fibromyalgia finger-tapping fNIRS cohort) and
:mod:`~.afferents` (spindle velocity sensitivity, stretch-reflex latency), :mod:`~.walking`
(cadence and stance share of the CPG-driven leg pools), :mod:`~.reaction_time` (simple reaction
time norms), :mod:`~.me_cfs` (reaction time, central activation failure and endurance in
ME/CFS); for the clinic: :mod:`~.pain` (exercise-induced hypoalgesia, CPM and temporal
summation in fibromyalgia, CLBP exercise therapy), :mod:`~.neuromodulation` (after-effects,
tDCS and rTMS trials in fibromyalgia), :mod:`~.pharmacology` (pharmacokinetics, metformin),
:mod:`~.pem` (two-day CPET in ME/CFS), :mod:`~.hrv_groups`, :mod:`~.motor_learning` (stroke
use threshold, motor imagery, MCI), :mod:`~.mood` and :mod:`~.conditions` (the condition
library's group differences). The other modules are named for the models they check.
"""

# Importing the case modules registers their cases.
from myoaxis.validation import (  # noqa: F401
    adaptation,
    aerobic,
    afferents,
    autonomic,
    bone,
    clinical,
    cohorts,
    conditions,
    disuse,
    energetics,
    fatigue,
    fitness,
    gentile2019,
    glucose_insulin,
    haemodynamics,
    hpa,
    hrv_groups,
    intermittent,
    me_cfs,
    mobility,
    mood,
    motor,
    motor_fatigue,
    motor_learning,
    muscle,
    myokines,
    neuromodulation,
    nmj,
    pain,
    pem,
    performance,
    pharmacology,
    reaction_time,
    rhythm,
    voluntary_activation,
    walking,
)
from myoaxis.validation.registry import CASES, Outcome, ValidationCase, register, run_cases

__all__ = ["CASES", "Outcome", "ValidationCase", "register", "run_cases"]
