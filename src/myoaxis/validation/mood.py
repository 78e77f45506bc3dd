"""Validation of the mood index: the effect of regular exercise on depressive symptoms.

The case runs the myokine (brain BDNF), plasticity (neurotrophic drive) and mood components
with the aerobic programme helpers of :mod:`.aerobic`: one session per training day with the
ports ``exercise_intensity`` and ``lactate_arterial`` held for the session.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.core.rng import SeedLike
from myoaxis.physiology.brain import mood
from myoaxis.validation.aerobic import PLASTICITY_COMPONENTS, randomised_trial
from myoaxis.validation.cohorts import hedges_g
from myoaxis.validation.registry import ValidationCase, register

MOOD_COMPONENTS = (*PLASTICITY_COMPONENTS, *mood.COMPONENTS)

# 3 x 40 min/week at moderate intensity (65 % VO2max, arterial lactate 2 mmol/L) for 12 weeks,
# a typical programme of the trials pooled by Rebar 2015 (our choice); controls do not exercise
REBAR_SESSION = (40.0, 0.65, 2.0)  # minutes, fraction of VO2max, arterial lactate (mmol/L)
REBAR_WEEKS = 12
REBAR_AGE = 40.0
REBAR_SEED = 2015
REBAR_N = 200  # per arm, women and men alternating


def trial(seed: SeedLike, n: int) -> dict[str, np.ndarray]:
    """Post-test mood of the trial (:func:`~.aerobic.randomised_trial`)."""
    return randomised_trial(
        seed, n, REBAR_AGE, REBAR_SESSION, REBAR_WEEKS, MOOD_COMPONENTS, mood.MOOD
    )


@cache
def mood_effect() -> float:
    """Hedges' g of post-test mood, exercise against control."""
    t = trial(REBAR_SEED, REBAR_N)
    return hedges_g(t["trained"], t["control"])


register(
    ValidationCase(
        "rebar2015_exercise_depression",
        f"Seeded cohort: {2 * REBAR_N} adults of {REBAR_AGE:g} y (half women), seed "
        f"{REBAR_SEED}, randomised to 3 x 40 min/week at moderate intensity (65 % VO2max) for "
        f"{REBAR_WEEKS} weeks or no exercise: Hedges' g of post-test mood (the index is in units "
        "of the population SD of depressive-symptom scores; baselines spread with SD 1). "
        "Rebar 2015 (non-clinical adults, 92 studies): depression SMD -0.50, i.e. mood +0.50; "
        "band = its 95 % CI 0.06-0.93. Calibration: the maximal mood gain was fitted to 0.5 "
        "with this programme",
        "rebar2015",
        "SMD",
        (0.06, 0.93),
        mood_effect,
        "depressive symptoms SMD -0.50 (-0.93 to -0.06) for exercise vs control",
    )
)
