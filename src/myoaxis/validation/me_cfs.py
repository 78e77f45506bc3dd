"""The ME/CFS overlay (``data/conditions/me_cfs.toml``) against published group differences.

* Simple reaction time: the same 20-trial test as :mod:`~.reaction_time`, a healthy and an ME/CFS
  cohort paired subject by subject (same random streams); the difference of cohort means.
* Central activation failure (CAF) at the start of a maximal effort, Schillings et al. 2004
  (14 women with CFS, 14 controls, biceps). Schillings et al. 2003 preferred the superimposed
  response relative to the resting response; with a single superimposed twitch that is
  ``CAF = superimposed / resting twitch = 100 - VA`` (%), which is what we report, from the
  simulated twitch interpolation of a brief elbow-flexor MVC (stimuli 1.5-3 s into the effort).
* Endurance of a 20 %MVC elbow-flexor hold (20 % of each subject's own MVC), ME/CFS over
  healthy, Sacco et al. 1999. Mean-field pool with the cortex's closed loop and task-failure
  criterion; the step is coarser than ``fast.dt`` so that the case runs in seconds (with 1-ms
  steps the endurance times are 13.765 and 9.245 min, with 50-ms steps 13.764 and 9.249 min).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from myoaxis.assess.voluntary_activation import InterpolationProtocol, twitch_interpolation
from myoaxis.body import Body
from myoaxis.bouts import Failure, FastSettings, isometric
from myoaxis.conditions import subject_parameters
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.muscle_state import MuscleState
from myoaxis.validation.reaction_time import cohort_test
from myoaxis.validation.registry import ValidationCase, register

MUSCLE = "elbow_flexors"
CONDITION = ("me_cfs",)
CAF_SUBJECTS = 8
AGE = 35.0
ENDURANCE_LOAD = 0.2  # fraction of each subject's own MVC, Sacco et al. 1999
ENDURANCE_STEP = 0.05  # s
ENDURANCE_LIMIT = 3600.0  # s
_SEED = 11


def _women(conditions: tuple[str, ...], n: int) -> Body:
    p = subject_parameters("healthy_adult", "female", AGE, conditions)
    return Body([p] * n, np.full(n, 65.0))


def reaction_time_prolongation_ms() -> float:
    """ME/CFS minus healthy cohort mean of the subjects' mean simple RT (ms)."""
    healthy = cohort_test().score
    patients = cohort_test(CONDITION).score
    return 1000.0 * float(np.mean(patients) - np.mean(healthy))


def central_activation_failure(
    conditions: tuple[str, ...] = (), subjects: int = CAF_SUBJECTS
) -> float:
    """Cohort mean CAF (%) = 100 - voluntary activation of a brief elbow-flexor MVC."""
    body = _women(conditions, subjects)
    values, _ = twitch_interpolation(
        body,
        MuscleState.rested(body, MUSCLE),
        FastSettings.from_body(body, "spiking"),
        SubjectRNG(subject_streams(_SEED, subjects)),
        InterpolationProtocol.from_body(body),
    )
    return float(np.mean(100.0 - values["voluntary_activation"]))


def endurance_times(load: float = ENDURANCE_LOAD) -> np.ndarray:
    """Endurance (s) of a healthy woman and a woman with ME/CFS holding ``load`` of her own
    MVC with the elbow flexors, ``(2,)``; NaN if still holding after an hour."""
    body = Body(
        [subject_parameters("healthy_adult", "female", AGE, c) for c in ((), CONDITION)],
        np.full(2, 65.0),
    )
    settings = replace(
        FastSettings.from_body(body, "mean_field"), dt=ENDURANCE_STEP, output_period=1.0
    )
    state = MuscleState.rested(body, MUSCLE)
    target = load * state.strength(body) / body.muscle(MUSCLE).max_force
    failure = Failure(
        float(body.values("task.failure_tolerance")[0]),
        float(body.values("task.failure_hold", "s")[0]),
    )
    bout = isometric(
        body,
        state,
        lambda _t: target,
        ENDURANCE_LIMIT,
        settings,
        SubjectRNG(subject_streams(_SEED, 2)),
        failure=failure,
    )
    return bout.failure_time


def endurance_ratio() -> float:
    """ME/CFS over healthy endurance time of the 20 %MVC hold."""
    healthy, patient = endurance_times()
    return float(patient / healthy)


register(
    ValidationCase(
        "me_cfs_reaction_time_prolongation",
        "ME/CFS minus healthy mean simple visual RT (20-trial test, paired cohorts of "
        "35-year-olds). Cockshell & Mathias 2010: a moderate-to-large slowing (their pooled "
        "effect size was not checked); with d = 0.4-0.9 and a between-subject SD of about "
        "35 ms (also unchecked) that is 15-32 ms, the band",
        "cockshell2010",
        "ms",
        (15.0, 32.0),
        reaction_time_prolongation_ms,
        "moderate-to-large slowing of simple RT (about +15 to +32 ms)",
    )
)
register(
    ValidationCase(
        "me_cfs_central_activation_failure",
        "Central activation failure (100 - VA) of the elbow flexors at the start of a maximal "
        "effort, women with ME/CFS, cohort mean: 36.5 +/- 17.0 % in 14 women with CFS "
        "(Schillings et al. 2004); band mean +/- SD",
        "schillings2004",
        "%",
        (19.5, 53.5),
        lambda: central_activation_failure(CONDITION),
        "CAF 36.5 +/- 17.0 % (CFS)",
    )
)
register(
    ValidationCase(
        "healthy_central_activation_failure",
        "Central activation failure (100 - VA) of the elbow flexors at the start of a maximal "
        "effort, healthy women, cohort mean: 12.9 +/- 13.3 % in 14 controls (Schillings et al. "
        "2004); band 0 to mean + SD",
        "schillings2004",
        "%",
        (0.0, 26.2),
        central_activation_failure,
        "CAF 12.9 +/- 13.3 % (controls)",
    )
)
register(
    ValidationCase(
        "me_cfs_endurance_ratio_20mvc",
        "Endurance time of a 20 %MVC elbow-flexor hold, ME/CFS over healthy (women, 35 y): "
        "13.1 +/- 3.2 vs 18.6 +/- 2.6 min (mean +/- SEM, 10 vs 10; Sacco et al. 1999), ratio "
        "0.70; band 0.5-0.9 (about +/- 1 SEM of the ratio)",
        "sacco1999",
        "ratio",
        (0.5, 0.9),
        endurance_ratio,
        "13.1 / 18.6 min = 0.70",
    )
)
