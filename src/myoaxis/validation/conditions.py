"""Condition library validation: type 2 diabetes, chronic kidney disease, osteoporosis and knee
osteoarthritis (``data/conditions/<name>/``) against published group differences.

Subjects are built as a scenario builds them (:func:`~myoaxis.conditions.subject_parameters`);
group differences come from seeded virtual cohorts (:func:`~myoaxis.validation.cohorts.cohort`,
the between-subject variability of ``data/variability``), patients and controls drawn with
different seeds as two independent samples. Seeds and sizes are in the case descriptions.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.assess import bmd
from myoaxis.assess.ogtt import OGTT_GLUCOSE_LOAD, OGTT_TIMES_MIN, OGTTSummary, summarise_ogtt
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.slow import SlowLayer
from myoaxis.validation.cohorts import MIXED, cohort, hedges_g
from myoaxis.validation.registry import ValidationCase, register

MINUTE = 60.0
DAY = 86400.0
COHORT_N = 500  # per group
PATIENT_SEED = 7001
CONTROL_SEED = 7002


def _series(layer: SlowLayer, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Sample times ``(T,)`` and values ``(S, T)`` of a state or assignment."""
    times, values = layer.series()
    names = [v.name for v in (*layer.model.states, *layer.model.assignments)]
    return times, values[names.index(name)]


def _sampled(layer: SlowLayer, name: str, minutes) -> np.ndarray:
    """``(S, len(minutes))`` values of ``name`` interpolated at ``minutes`` after the start."""
    times, v = _series(layer, name)
    return np.stack([np.interp(np.asarray(minutes) * MINUTE, times, row) for row in v])


def ogtt(body: Body) -> OGTTSummary:
    """A 75-g OGTT of every subject of ``body`` in the whole-body slow layer, summarised
    (:func:`myoaxis.assess.ogtt.summarise_ogtt`)."""
    layer = SlowLayer(body, MINUTE)
    layer.add("gut_carbohydrate", np.full(body.n_subjects, OGTT_GLUCOSE_LOAD))
    layer.advance(OGTT_TIMES_MIN[-1] * MINUTE)
    glucose = _sampled(layer, "glucose_plasma", OGTT_TIMES_MIN)
    insulin = _sampled(layer, "insulin_plasma", OGTT_TIMES_MIN)
    return summarise_ogtt(glucose, insulin)


def pair(
    conditions: tuple[str, ...],
    sex: str,
    age: float,
    preset: str = "healthy_adult",
    body_mass: float = 75.0,
) -> Body:
    """Two typical subjects (no between-subject variability): subject 0 healthy, subject 1 with
    ``conditions``."""
    params = [
        subject_parameters(preset, sex, age),
        subject_parameters(preset, sex, age, conditions),
    ]
    return Body(params, np.full(2, body_mass), age)


# -- Type 2 diabetes ---------------------------------------------------------------------------

METSIM_AGE = 57.0  # mean age of the METSIM men


@cache
def t2d_ogtt() -> OGTTSummary:
    """OGTT of a healthy man and a man with type 2 diabetes aged 57 (subjects 0, 1)."""
    return ogtt(pair(("type2_diabetes",), "male", METSIM_AGE))


def t2d_matsuda_ratio() -> float:
    """Matsuda index with type 2 diabetes relative to the healthy adult's."""
    m = t2d_ogtt().matsuda_index
    return float(m[1] / m[0])


register(
    ValidationCase(
        "stancakova2009_t2d_matsuda_ratio",
        "Matsuda index of a 75-g OGTT in a 57-year-old man with type 2 diabetes relative to the "
        "same man without it (typical subjects, whole slow layer). METSIM (6414 Finnish men, 57 "
        "+- 7 y): the index was about 65 % (diabetic fasting glucose range) and 53 % (diabetic "
        "2-h range) lower than in the reference range (fasting and 2-h glucose < 5.0 mmol/L, "
        "like the healthy default's 5.0 mmol/L); band = 1 - 0.65 to 1 - 0.53. Calibration: the "
        "overlay's fasting-insulin scale was set to land here",
        "stancakova2009",
        "ratio",
        (0.35, 0.47),
        t2d_matsuda_ratio,
        "Matsuda index -53 to -65 % in the diabetic range",
    )
)

T2D_AGE = 55.0


@cache
def vo2max_groups(condition: str, age: float) -> tuple[np.ndarray, np.ndarray]:
    """VO2max (mL/min/kg) of seeded mixed-sex cohorts of ``age`` with and without
    ``condition``."""
    patients = cohort(COHORT_N, PATIENT_SEED, MIXED, age, (condition,))
    controls = cohort(COHORT_N, CONTROL_SEED, MIXED, age)
    unit = "mL/min/kg"
    return (
        patients.values("energetics.vo2max_per_kg", unit),
        controls.values("energetics.vo2max_per_kg", unit),
    )


def t2d_vo2max_difference() -> float:
    patients, controls = vo2max_groups("type2_diabetes", T2D_AGE)
    return float(patients.mean() - controls.mean())


register(
    ValidationCase(
        "anderson2025_t2d_vo2peak_difference",
        f"Mean peak VO2 (mL/kg/min) of {COHORT_N} adults aged {T2D_AGE:g} with type 2 diabetes "
        f"(seed {PATIENT_SEED}) minus that of {COHORT_N} controls (seed {CONTROL_SEED}), women "
        "and men alternating, healthy_adult preset (FRIEND medians with the baseline_fitness "
        "spread). Anderson 2025 meta-analysis: -4.68 mL/kg/min (95 % CI -6.94 to -2.42); band = "
        "that CI. The overlay's scale was chosen for it (calibration); the ages of the pooled "
        "studies vary",
        "anderson2025",
        "mL/min/kg",
        (-6.94, -2.42),
        t2d_vo2max_difference,
        "relative peak VO2 -4.68 (-6.94 to -2.42) mL/kg/min",
    )
)


# -- Chronic kidney disease --------------------------------------------------------------------

CKD_AGE = 60.0


register(
    ValidationCase(
        "pella2021_ckd_vo2peak_smd",
        f"Hedges' g of peak VO2 (mL/kg/min), {COHORT_N} adults aged {CKD_AGE:g} with CKD stages "
        f"3b-5 not on dialysis (seed {PATIENT_SEED}) vs {COHORT_N} controls (seed "
        f"{CONTROL_SEED}), women and men alternating (the sex difference is part of the pooled "
        "SD, as in mixed-sex studies). Pella 2021 meta-analysis (25 studies, 2213 participants, "
        "CKD stages 1-5 vs controls): SMD -1.40 (95 % CI -1.68 to -1.13); band = that CI. The "
        "overlay's scale also matches Wallin 2018's workload ratio for CKD 4-5 (0.68); partly a "
        "calibration",
        "pella2021",
        "SMD",
        (-1.68, -1.13),
        lambda: hedges_g(*vo2max_groups("ckd", CKD_AGE)),
        "VO2peak SMD -1.40 (-1.68 to -1.13), CKD vs controls",
    )
)


# -- Knee osteoarthritis -----------------------------------------------------------------------

OA_AGE = 65.0


@cache
def knee_oa_force_groups() -> tuple[np.ndarray, np.ndarray]:
    """Maximal knee-extensor force (N) of seeded cohorts of women with and without knee OA."""
    patients = cohort(COHORT_N, PATIENT_SEED, "female", OA_AGE, ("knee_osteoarthritis",))
    controls = cohort(COHORT_N, CONTROL_SEED, "female", OA_AGE)
    name = "muscle.knee_extensors.max_isometric_force"
    return controls.values(name, "N"), patients.values(name, "N")


register(
    ValidationCase(
        "opara_zupancic2026_knee_extensor_smd",
        f"Hedges' g of maximal isometric knee-extensor force, {COHORT_N} healthy women aged "
        f"{OA_AGE:g} (seed {CONTROL_SEED}) vs {COHORT_N} women with knee osteoarthritis (seed "
        f"{PATIENT_SEED}), between-subject strength spread of data/variability/muscle.toml. "
        "Opara Zupančič & Šarabon 2026 meta-analysis: isometric extensor SMD 0.86 (95 % CI "
        "0.57-1.14) in favour of controls; band = that CI. The overlay's scale was chosen for "
        "it (calibration); the studies' strength measures (torque, often per body mass) spread "
        "differently from the model's force",
        "opara_zupancic2026",
        "SMD",
        (0.57, 1.14),
        lambda: hedges_g(*knee_oa_force_groups()),
        "isometric knee-extensor SMD 0.86 (0.57-1.14)",
    )
)


# -- Osteoporosis ------------------------------------------------------------------------------

FREEDOM_AGE = 72.3


def bmd_after(body: Body, days: float = 1.0) -> dict[str, np.ndarray]:
    """Areal BMD (g/cm2) at the spine and hip after ``days`` of habitual life in the slow layer
    (``weight_bearing`` 1), ``{site: (S,)}``."""
    layer = SlowLayer(body, DAY / 4)
    layer.advance(days * DAY, {"weight_bearing": np.ones(body.n_subjects)})
    return {site: _series(layer, f"bmd_{site}")[1][:, -1] for site in bmd.SITES}


def osteoporosis_t_scores(sex: str = "female", age: float = FREEDOM_AGE) -> dict[str, float]:
    """T-scores (spine, hip) of a typical older adult with osteoporosis (assess/bmd.py)."""
    params = subject_parameters("older_adult", sex, age, ("osteoporosis",))
    body = Body([params], np.array([67.0]), age)
    values = bmd_after(body)
    return {
        site: float(bmd.t_score(values[site][0], bmd.young_adult_reference(params, site, sex)))
        for site in bmd.SITES
    }


register(
    ValidationCase(
        "freedom_osteoporosis_spine_t_score",
        f"Lumbar-spine T-score (assess/bmd.py) of a typical woman aged {FREEDOM_AGE:g} with "
        "osteoporosis (older_adult preset) after a day of habitual life in the slow layer. "
        "FREEDOM (7808 women aged 60-90 with T-score < -2.5 and >= -4.0 at spine or total hip): "
        "mean lumbar-spine T-score -2.8 at baseline; band -3.1 to -2.5 (the WHO threshold to "
        "0.3 below the mean). A calibration check of the overlay's absolute BMD through the "
        "remodelling model and the T-score reference",
        "cummings2009",
        "T-score",
        (-3.1, -2.5),
        lambda: osteoporosis_t_scores()["spine"],
        "mean lumbar-spine T-score -2.8",
    )
)
