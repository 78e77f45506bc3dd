r"""Validation of the pain model with seeded virtual cohorts (women of 45 unless stated).

Each case draws cohorts with :func:`myoaxis.validation.cohorts.cohort` (the between-subject
variability of ``data/variability``, conditions from ``data/conditions``), runs the pain
component of the slow layer alone (its inputs from other components at their resting defaults)
and measures with the tests of :mod:`myoaxis.assess.pain`, measurement noise from a seeded
``numpy.random.Generator``.

Effect sizes are Hedges' g (:func:`~myoaxis.validation.cohorts.hedges_g`). For exercise-induced
hypoalgesia (EIH) the meta-analysis compared exercise with control in randomised trials of
pain before and after one bout; we take g of the PPT change scores (post - pre, kPa) between an
exercise and a resting control group and report it for pain *sensitivity* (the sign flipped, so
negative = hypoalgesia, Wewege & Jones 2021's convention). That the pooled SMDs are of change
scores is our reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from myoaxis.assess import pain as tests
from myoaxis.body import Body
from myoaxis.physiology.brain import pain
from myoaxis.slow import SlowLayer
from myoaxis.validation.cohorts import cohort, hedges_g
from myoaxis.validation.registry import ValidationCase, register

MINUTE = 60.0
DAY = 86400.0
AGE = 45.0
FM = ("fibromyalgia",)
CLBP = ("chronic_low_back_pain",)


def layer(body: Body) -> SlowLayer:
    """The pain component alone for ``body`` (hourly samples)."""
    return SlowLayer(body, 3600.0, components=pain.COMPONENTS)


def state(slow: SlowLayer) -> dict[str, np.ndarray]:
    return {n: slow.value(n) for n in tests.REQUIRED}


def group_ports(active: np.ndarray, ports: dict[str, float]) -> dict[str, np.ndarray]:
    """``ports`` for the subjects where ``active``, zero elsewhere."""
    return {k: np.where(active, v, 0.0) for k, v in ports.items()}


# -- exercise-induced hypoalgesia in healthy people (Wewege & Jones 2021) ----------------------


@dataclass(frozen=True)
class Bout:
    """One exercise bout: ``sets`` periods of ``work`` s with the ports held, ``rest`` s apart."""

    ports: dict[str, float]
    work: float
    sets: int = 1
    rest: float = 0.0


BODY_MASS = 75.0  # kg, the cohort's
AEROBIC = Bout({"exercise_intensity": 0.7}, 30 * MINUTE)
# leg press at 75 % 1RM: about 8 kg of hip and knee extensors x activation 0.75 (assumed)
RESISTANCE = Bout({"active_mass_activation": 6.0}, 40.0, sets=3, rest=120.0)
# isometric knee extension at 30 % MVC: one quadriceps of about 2.5 kg x 0.3 (assumed)
ISOMETRIC = Bout({"active_mass_activation": 0.75}, 3 * MINUTE)
TEST_DELAY = 5 * MINUTE  # from the end of the bout to the post-test
EIH_N = 200  # per group
EIH_SEED = 2021


def run_bout(slow: SlowLayer, bout: Bout, active: np.ndarray) -> None:
    """The bout for the ``active`` subjects; the others rest alongside."""
    for k in range(bout.sets):
        slow.advance(bout.work, group_ports(active, bout.ports))
        if k < bout.sets - 1:
            slow.advance(bout.rest)


def eih_effect_size(bout: Bout, seed: int = EIH_SEED, n: int = EIH_N) -> float:
    """Hedges' g of pain sensitivity (negative = hypoalgesia): change of the measured PPT in
    ``n`` exercising vs ``n`` resting healthy women."""
    body = cohort(2 * n, seed, sex="female", age=AGE)
    exercising = np.arange(2 * n) < n
    slow = layer(body)
    params = tests.PainTestParameters.from_values(body.values)
    rng = np.random.default_rng(seed)
    pre = tests.assess_pain_threshold(state(slow), params, rng)
    run_bout(slow, bout, exercising)
    slow.advance(TEST_DELAY)
    post = tests.assess_pain_threshold(state(slow), params, rng)
    change = post - pre
    return -hedges_g(change[exercising], change[~exercising])


_EIH = (
    f"Seeded cohort of {2 * EIH_N} healthy women of 45 (seed {EIH_SEED}), half exercising, half "
    "resting; lumbar PPT measured (trial noise) before and 5 min after the bout; g of the "
    "change scores between groups, sign flipped to pain sensitivity (negative = hypoalgesia). "
)
register(
    ValidationCase(
        "wewege2021_eih_aerobic_healthy",
        _EIH + "Bout: 30 min cycling at 70 % VO2max. Wewege & Jones 2021 (healthy, 7 RCTs): "
        "aerobic g -0.85 (95 % CI -1.58 to -0.13); band = that CI. Calibration of pain.eih.gain",
        "wewege2021",
        "g",
        (-1.58, -0.13),
        lambda: eih_effect_size(AEROBIC),
        "aerobic exercise: g -0.85 (-1.58, -0.13) in healthy people",
    )
)
register(
    ValidationCase(
        "wewege2021_eih_dynamic_resistance_healthy",
        _EIH + "Bout: 3 sets of 40 s under tension (leg press at 75 % 1RM, assumed 6 kg of active "
        "mass x activation, 75 kg body mass), 2 min apart. Wewege & Jones 2021: dynamic "
        "resistance g -0.45 (-0.69 to -0.22; 2 studies); band = that CI. Calibration of "
        "pain.eih.resistance_equivalence",
        "wewege2021",
        "g",
        (-0.69, -0.22),
        lambda: eih_effect_size(RESISTANCE),
        "dynamic resistance exercise: g -0.45 (-0.69, -0.22) in healthy people",
    )
)
register(
    ValidationCase(
        "wewege2021_eih_isometric_healthy",
        _EIH + "Bout: 3 min isometric knee extension at 30 % MVC (assumed 0.75 kg of active mass x "
        "activation). Wewege & Jones 2021: isometric g -0.16 (-0.36 to 0.05), not significant; "
        "band = that CI. Prediction from the resistance calibration (lower activation, one bout)",
        "wewege2021",
        "g",
        (-0.36, 0.05),
        lambda: eih_effect_size(ISOMETRIC),
        "isometric exercise: g -0.16 (-0.36, 0.05), n.s., in healthy people",
    )
)


# -- EIH blunted in fibromyalgia (Kosek et al. 1996) -------------------------------------------

KOSEK = Bout({"active_mass_activation": 0.44}, 5 * MINUTE)  # one quadriceps, 2 kg x 0.22
KOSEK_N = 50


def kosek_ratio(seed: int = 1996, n: int = KOSEK_N) -> float:
    """Mean relative PPT rise at the end of the contraction, FM over controls (noise-free)."""
    rises = []
    for conditions in (FM, ()):
        body = cohort(n, seed, sex="female", age=AGE, conditions=conditions)
        slow = layer(body)
        before = slow.value(pain.THRESHOLD)
        run_bout(slow, KOSEK, np.ones(n, dtype=bool))
        rises.append(np.mean(slow.value(pain.THRESHOLD) / before - 1.0))
    return float(rises[0] / rises[1])


register(
    ValidationCase(
        "kosek1996_eih_blunted_fibromyalgia",
        f"Seeded cohorts of {KOSEK_N} FM and {KOSEK_N} control women of 45 (seed 1996): 5 min of "
        "isometric knee extension at 22 % MVC (assumed 0.44 kg of active mass x activation); "
        "mean relative rise of the (noise-free) lumbar PPT at the end of the contraction, FM "
        "over controls. Kosek 1996: PPTs rose in controls (P < 0.001) and fell in FM. The model "
        "cannot make exercise hyperalgesic; band: FM's rise at most 30 % of controls'. "
        "Calibration of FM's pain.eih.gain scale (the ratio also reflects FM's lower G/D)",
        "kosek1996",
        "ratio",
        (-1.0, 0.3),
        kosek_ratio,
        "PPT rises with isometric exercise in controls but not in FM (it fell)",
    )
)


# -- CPM, TS and PPT in fibromyalgia (O'Brien 2018 and threshold studies) ----------------------

QST_N = 300  # per group
QST_SEED = 2018


@cache
def fm_tests(seed: int = QST_SEED, n: int = QST_N) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Measured PPT (kPa), CPM (%) and TS (NRS) of ``n`` FM and ``n`` control women at rest:
    ``{test: (fm, controls)}``."""
    out: dict[str, list[np.ndarray]] = {"ppt": [], "cpm": [], "ts": []}
    for k, conditions in enumerate((FM, ())):
        body = cohort(n, seed + k, sex="female", age=AGE, conditions=conditions)
        values = state(layer(body))
        params = tests.PainTestParameters.from_values(body.values)
        rng = np.random.default_rng(seed + 10 + k)
        out["ppt"].append(tests.assess_pain_threshold(values, params, rng))
        out["cpm"].append(tests.assess_cpm(values, params, rng))
        out["ts"].append(tests.assess_temporal_summation(values, params, rng))
    return {k: (v[0], v[1]) for k, v in out.items()}


_QST = (
    f"Seeded cohorts of {QST_N} FM and {QST_N} control women of 45 (seeds {QST_SEED} and "
    f"{QST_SEED + 1}) at rest, tests with measurement noise. "
)
register(
    ValidationCase(
        "obrien2018_cpm_fibromyalgia",
        _QST + "CPM = % rise of the lumbar PPT during cold-pressor conditioning; g of FM vs "
        "controls. O'Brien 2018 (23 studies): CPM g 0.57 (95 % CI 0.26-0.88) lower in FM, a 65 % "
        "relative difference; written here with the sign of FM minus controls, band = the CI. "
        "Calibration of the CPM spread (data/variability/pain.toml)",
        "obrien2018",
        "g",
        (-0.88, -0.26),
        lambda: hedges_g(*fm_tests()["cpm"]),
        "CPM deficit in FM: g 0.57 (0.26-0.88)",
    )
)
register(
    ValidationCase(
        "obrien2018_ts_fibromyalgia",
        _QST + "TS = rating of the 10th minus the 1st of 10 pressure pulses at 1 Hz, the pulse set "
        "per subject to a first rating of 4/10; g of FM vs controls. O'Brien 2018: TS g 0.53 "
        "(95 % CI 0.23-0.83), a 68 % relative difference; band = the CI. Calibration of the "
        "wind-up spread",
        "obrien2018",
        "g",
        (0.23, 0.83),
        lambda: hedges_g(*fm_tests()["ts"]),
        "enhanced TS in FM: g 0.53 (0.23-0.83)",
    )
)
register(
    ValidationCase(
        "fibromyalgia_ppt_ratio",
        _QST + "Ratio of the mean lumbar PPTs, FM over controls. Acta Medica Medianae study: "
        "lumbosacral paraspinal 37.01 vs 75.77 N/cm2 (0.49; forearm 0.49); J Musculoskelet Pain "
        "1997: pressure thresholds 33-54 % lower in FM at five sites; band = 0.46-0.67 (1 - 0.54 "
        "to 1 - 0.33). Calibration of FM's sensitisation (the ratio is set by G and D)",
        "amm_fm_qst",
        "ratio",
        (0.46, 0.67),
        lambda: float(np.mean(fm_tests()["ppt"][0]) / np.mean(fm_tests()["ppt"][1])),
        "PPT in FM about half of controls' (0.49; 33-54 % lower)",
    )
)


# -- exercise therapy for chronic low back pain (Hayden 2021) ----------------------------------

TRIAL_N = 100  # per group
TRIAL_WEEKS = 12
SESSION = Bout({"exercise_intensity": 0.6}, 45 * MINUTE)
SESSION_DAYS = (0, 3)
HAYDEN_SEED = 2021
# 0-100 scales of the trial outcomes: pain is NRS x 10, disability is already 0-100
SCALES = {pain.INTENSITY: 10.0, pain.DISABILITY: 1.0}


@cache
def exercise_trial(
    conditions: tuple[str, ...], seed: int, n: int = TRIAL_N, age: float = AGE
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """A randomised trial of exercise therapy in a seeded cohort of ``2 n`` women with
    ``conditions``: the first ``n`` train 2 x 45 min a week at 60 % VO2max for 12 weeks, the
    others do not. Returns the trained mask and the outcomes at 12 weeks on 0-100 scales:
    ongoing pain (``pain_intensity`` x 10) and back disability (as measured, with the
    questionnaire noise of :func:`~myoaxis.assess.pain.assess_disability`)."""
    body = cohort(2 * n, seed, sex="female", age=age, conditions=conditions)
    trained = np.arange(2 * n) < n
    slow = layer(body)
    for _week in range(TRIAL_WEEKS):
        day = 0
        for session_day in SESSION_DAYS:
            slow.advance((session_day - day) * DAY)
            run_bout(slow, SESSION, trained)
            day = session_day + SESSION.work / DAY
        slow.advance((7 - day) * DAY)
    params = tests.PainTestParameters.from_values(body.values)
    measured = {pain.DISABILITY: slow.value(pain.DISABILITY)}
    outcomes = {
        pain.INTENSITY: SCALES[pain.INTENSITY] * slow.value(pain.INTENSITY),
        pain.DISABILITY: tests.assess_disability(measured, params, np.random.default_rng(seed)),
    }
    return trained, outcomes


def trial_difference(outcome: str, conditions=CLBP, seed=HAYDEN_SEED, age=AGE) -> float:
    """Mean ``outcome`` (0-100) at 12 weeks, exercise minus control."""
    trained, outcomes = exercise_trial(conditions, seed, age=age)
    return float(np.mean(outcomes[outcome][trained]) - np.mean(outcomes[outcome][~trained]))


_HAYDEN = (
    f"Seeded cohort of {2 * TRIAL_N} women of 45 with chronic low back pain (seed {HAYDEN_SEED}), "
    "half training 2 x 45 min a week at 60 % VO2max for 12 weeks, half not; "
)
register(
    ValidationCase(
        "hayden2021_clbp_exercise_pain",
        _HAYDEN + "mean ongoing pain (0-100) at 12 weeks, exercise minus control. Hayden 2021 "
        "(Cochrane, 35 studies, 2746 participants): 15 points better (95 % CI 12 to 18) vs no "
        "treatment, usual care or placebo; band = that CI. Calibration of pain.training (the "
        "programme is our choice)",
        "hayden2021",
        "points",
        (-18.0, -12.0),
        lambda: trial_difference(pain.INTENSITY),
        "exercise therapy: pain -15/100 (-18 to -12) vs control",
    )
)
register(
    ValidationCase(
        "hayden2021_clbp_exercise_function",
        _HAYDEN + "the same cohort and programme as hayden2021_clbp_exercise_pain; mean back "
        "disability (Oswestry-like, 0-100, measured with questionnaire noise) at 12 weeks, "
        "exercise minus control. Hayden 2021: functional limitations 7 points better (95 % CI 5 "
        "to 8; 38 studies, 2942 participants); band = that CI. Calibration of "
        "pain.disability.pain_weight (aerobic training leaves trunk strength unchanged, so the "
        "difference comes from pain)",
        "hayden2021",
        "points",
        (-8.0, -5.0),
        lambda: trial_difference(pain.DISABILITY),
        "exercise therapy: functional limitations -7/100 (-8 to -5) vs control",
    )
)
