"""Simple visual reaction time of healthy adults (LATER preparation model) against Woods 2015.

A cohort of healthy 35-year-olds (the model's reference age; women and men alternate) takes the
20-trial simple reaction-time test (:func:`myoaxis.physiology.neural.premotor.reaction_time_test`):
each subject's mean latency over the valid trials, then the cohort mean, is compared with the
hardware-corrected mean simple visual RT of a community sample of 1469 adults (Woods et al. 2015).
"""

from __future__ import annotations

import numpy as np

from myoaxis.body import Body
from myoaxis.conditions import SEXES, subject_parameters
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.physiology.neural.premotor import (
    PremotorParameters,
    ReactionTimeProtocol,
    ReactionTimeTest,
    reaction_time_test,
)
from myoaxis.validation.registry import ValidationCase, register

SUBJECTS = 40
AGE = 35.0  # years (premotor.reference_age)
_SEED = 7


def cohort_test(
    conditions: tuple[str, ...] = (),
    subjects: int = SUBJECTS,
    age: float = AGE,
    statistic: str = "mean",
    seed: int = _SEED,
) -> ReactionTimeTest:
    """One run of the simple-RT test by ``subjects`` adults of ``age`` with ``conditions``.

    Subject ``i`` draws from the ``i``-th stream of ``seed``, so two cohorts with the same seed
    (healthy and with a condition) are paired subject by subject.
    """
    kinds = [subject_parameters("healthy_adult", sex, age, conditions) for sex in SEXES]
    body = Body([kinds[i % 2] for i in range(subjects)], np.full(subjects, 70.0))
    p = PremotorParameters.from_values(body.values, np.full(subjects, age))
    protocol = ReactionTimeProtocol.from_values(body.values, statistic)
    return reaction_time_test(p, protocol, SubjectRNG(subject_streams(seed, subjects)))


def healthy_mean_ms() -> float:
    """Cohort mean of the subjects' mean simple RT (ms)."""
    return 1000.0 * float(np.mean(cohort_test().score))


register(
    ValidationCase(
        "simple_reaction_time_healthy",
        "Simple visual reaction time of healthy 35-year-olds, cohort mean of each subject's mean "
        "over a 20-trial test: 213 ms (hardware-corrected; 231 ms uncorrected) in 1469 adults "
        "aged 18-65 (Woods et al. 2015); band 198-228 ms",
        "woods2015",
        "ms",
        (198.0, 228.0),
        healthy_mean_ms,
        "mean simple visual RT 213 ms",
    )
)
