"""Resting heart-rate variability of patient groups against meta-analytic effect sizes.

Two seeded virtual cohorts of women aged 45 (:func:`myoaxis.validation.cohorts.cohort`, with
the between-subject spread of resting vagal tone of ``data/variability/autonomic.toml``), one
healthy and one with the condition, each drawn from its own seed. Each subject's resting RMSSD
is the autonomic component's value at rest (no exercise, no inflammation component: its
default 0) and one morning recording of it is simulated with
:func:`~myoaxis.physiology.brain.autonomic.measure_rmssd` (day-to-day error), as a
cross-sectional study records each participant once. The effect size is Hedges' g of LnRMSSD,
condition minus healthy.

* ME/CFS: Nelson et al. 2019, resting high-frequency HRV power SMD -0.34 +/- 0.22 (95 % CI);
  RMSSD and HF power are both vagal indices, and the model has only RMSSD.
* Fibromyalgia: Cheng et al. 2020, functional somatic syndromes, baseline HRV g = -0.43 (95 %
  CI -0.54 to -0.30), largest in fibromyalgia.

The overlays were calibrated on cohorts of 20 000 per group (g = -0.337 and -0.449 for targets
-0.34 and -0.45); the registered cases use 2000 per group (sampling SE of g about 0.03).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.physiology.brain import autonomic
from myoaxis.slow import SlowLayer
from myoaxis.validation.cohorts import cohort, hedges_g
from myoaxis.validation.registry import ValidationCase, register

AGE = 45.0
N = 2000  # subjects per group
HEALTHY_SEED = 7000
CONDITION_SEEDS = {"me_cfs": 7001, "fibromyalgia": 7002}
RECORDING_SEED = 7100  # + the cohort's seed: the day-to-day error of each recording


@cache
def recorded_ln_rmssd(conditions: tuple[str, ...], seed: int, n: int = N) -> np.ndarray:
    """One simulated resting recording's LnRMSSD per subject of a seeded cohort, ``(n,)``."""
    body = cohort(n, seed, sex="female", age=AGE, conditions=conditions)
    layer = SlowLayer(body, 86400.0, components=autonomic.COMPONENTS)
    rng = SubjectRNG(subject_streams(RECORDING_SEED + seed, n))
    return np.log(autonomic.measure_rmssd(layer.value(autonomic.RMSSD), rng, body))


def effect_size(condition: str, n: int = N) -> float:
    """Hedges' g of recorded LnRMSSD, ``condition`` minus healthy cohort."""
    patients = recorded_ln_rmssd((condition,), CONDITION_SEEDS[condition], n)
    return hedges_g(patients, recorded_ln_rmssd((), HEALTHY_SEED, n))


_COHORTS = (
    f"Seeded cohorts of {N} women of 45 y each (healthy seed {HEALTHY_SEED}, patients seed "
    "{seed}), resting LnRMSSD of one simulated recording per subject (measure_rmssd)"
)
register(
    ValidationCase(
        "nelson2019_resting_vagal_hrv_me_cfs",
        _COHORTS.format(seed=CONDITION_SEEDS["me_cfs"])
        + ". Hedges' g, ME/CFS minus healthy. Nelson 2019 (meta-analysis, 64 studies): "
        "resting HF power SMD -0.34 +/- 0.22; band = that 95 % CI. Calibration of the ME/CFS "
        "autonomic overlay",
        "nelson2019",
        "SMD",
        (-0.56, -0.12),
        lambda: effect_size("me_cfs"),
        "resting HF HRV SMD -0.34 (-0.56 to -0.12)",
    )
)
register(
    ValidationCase(
        "cheng2020_resting_hrv_fibromyalgia",
        _COHORTS.format(seed=CONDITION_SEEDS["fibromyalgia"])
        + ". Hedges' g, fibromyalgia minus healthy. Cheng 2020 (85 studies of functional "
        "somatic syndromes): baseline HRV g = -0.43, 95 % CI -0.54 to -0.30, largest in "
        "fibromyalgia (subgroup value not read); band = that CI. Calibration of the "
        "fibromyalgia autonomic overlay (target -0.45)",
        "cheng2020",
        "SMD",
        (-0.54, -0.30),
        lambda: effect_size("fibromyalgia"),
        "baseline HRV g = -0.43 (-0.54 to -0.30), largest in FM",
    )
)
