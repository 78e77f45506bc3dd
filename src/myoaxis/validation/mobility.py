"""Mobility validation: the older_adult and sarcopenia presets and the mobility model against
published grip centiles, gait-speed and chair-stand norms, the Buchner 1996 shape and the
prevalence of EWGSOP2 probable sarcopenia.

Subjects are built as a scenario builds them (:func:`~myoaxis.conditions.subject_parameters`,
:class:`~myoaxis.body.Body`); strength is each group's maximal force of a rested
:class:`~myoaxis.muscle_state.MuscleState` (grip in kg = force / g). :func:`fit_gait` and
:func:`fit_chair_stand` are the least-squares fits that produced the calibrated values of
``data/model/mobility.toml``; the cases below check the shipped values, they do not refit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.optimize import least_squares

from myoaxis.assess import KG_FORCE
from myoaxis.assess.clinical import clinical_norms, gait_speed_reference, grip_centile
from myoaxis.body import Body
from myoaxis.conditions import SEXES, preset, preset_default, subject_parameters
from myoaxis.core.rng import SeedLike
from myoaxis.muscle_state import MuscleState
from myoaxis.physiology.musculoskeletal import mobility
from myoaxis.population import individualise
from myoaxis.validation.registry import ValidationCase, register

ANTHROPOMETRY = "older_adult"  # whose default body mass and height the norms are fitted with
GAIT_STRATA = (25.0, 35.0, 45.0, 55.0, 65.0, 75.0, 85.0)  # mid-ages of the Bohannon 2011 strata
CHAIR_NORMS = ((25.0, 6.0), (65.0, 11.4), (75.0, 12.6), (85.0, 14.8))  # Bohannon 2010, 2006 (s)
COHORT_SIZE = 500  # per sex
COHORT_SEED = 2019
COHORT_AGES = (70.0, 80.0)
CUT_OFF_AGE = 75.0  # age at which the grip and chair-stand cut-offs are tied (fit_chair_stand)


@dataclass(frozen=True)
class Subjects:
    """A batch of simulated subjects and what the mobility model needs of them, ``(S,)``."""

    body: Body
    sex: np.ndarray
    age: np.ndarray
    height: np.ndarray
    grip_kg: np.ndarray
    knee_n: np.ndarray
    ankle_n: np.ndarray
    params: mobility.MobilityParameters

    def tests(self) -> mobility.MobilityTests:
        return mobility.mobility_tests(
            self.params,
            self.knee_n,
            self.ankle_n,
            self.body.body_mass,
            self.height,
            self.age,
            self.sex,
            self.body.values("mobility.muscle_mass_factor"),
        )


def subjects(
    name: str,
    sexes: list[str],
    ages: list[float],
    centiles: list[float] | None = None,
    anthropometry: str | None = None,
    seed: SeedLike | None = None,
) -> Subjects:
    """Subjects of preset ``name`` (optionally on given Dodds grip ``centiles``, through the
    ``preset.strength_centile`` override) with the default body mass of preset
    ``anthropometry`` (default: ``name``); with a ``seed``, individuals of the virtual cohort
    of that seed (:func:`myoaxis.population.individualise`)."""
    source = anthropometry or name
    over = [{} if centiles is None else {"preset.strength_centile": c} for c in centiles or ages]
    params = [
        subject_parameters(name, s, a, overrides=o)
        for s, a, o in zip(sexes, ages, over, strict=True)
    ]
    if seed is not None:
        params = individualise(params, seed)
    masses = np.array([preset_default(source, "body_mass_kg", s) for s in sexes])
    body = Body(params, masses, np.array(ages, dtype=float))

    def strength(group: str) -> np.ndarray:
        return MuscleState.rested(body, group).strength(body)

    return Subjects(
        body=body,
        sex=np.array(sexes),
        age=np.array(ages, dtype=float),
        height=body.values("mobility.height", "m"),
        grip_kg=strength("grip") / KG_FORCE,
        knee_n=strength("knee_extensors"),
        ankle_n=strength("ankle_plantarflexors"),
        params=mobility.MobilityParameters.from_values(body.values),
    )


def at_default_age(name: str) -> Subjects:
    """One woman and one man of preset ``name`` at its default age."""
    age = preset(name).value("preset.subject.age_years")
    return subjects(name, list(SEXES), [age, age])


@cache
def _defaults(name: str) -> Subjects:
    return at_default_age(name)


def _index(sex: str) -> int:
    return SEXES.index(sex)


# --------------------------------------------------------------------------- grip centiles


def preset_grip_kg(name: str, sex: str) -> float:
    """Simulated maximal grip (kg) of preset ``name`` at its default age."""
    return float(_defaults(name).grip_kg[_index(sex)])


def preset_grip_centile(name: str, sex: str) -> float:
    """Dodds 2014 centile of :func:`preset_grip_kg` for the preset's default age and sex."""
    s = _defaults(name)
    return float(grip_centile(s.grip_kg[_index(sex)], s.age[_index(sex)], sex))


# ------------------------------------------------------------------------------ gait speed


@cache
def _strata(ages: tuple[float, ...]) -> Subjects:
    """Median-strength women and men at ``ages`` with the calibration anthropometry."""
    sexes = [s for s in SEXES for _ in ages]
    return subjects("healthy_adult", sexes, list(ages) * len(SEXES), None, ANTHROPOMETRY)


def preset_gait_speed(name: str, sex: str) -> float:
    """Simulated usual gait speed (m/s) of preset ``name`` at its default age."""
    return float(_defaults(name).tests().gait_speed_m_s[_index(sex)])


def gait_speed_error(name: str, sex: str) -> float:
    """Simulated gait speed minus the Bohannon 2011 norm of the preset's default age (m/s)."""
    age = float(_defaults(name).age[_index(sex)])
    return preset_gait_speed(name, sex) - float(gait_speed_reference(age, sex))


def gait_model(s: Subjects, plateau, threshold, curvature=None) -> np.ndarray:
    """Gait speed of ``s`` with the plateau speed and threshold strength (and optionally the
    curvature) replaced, for the fit."""
    p = s.params
    changed = {"gait_plateau_speed": plateau, "gait_threshold_strength": threshold}
    if curvature is not None:
        changed["gait_curvature"] = curvature
    q = mobility.MobilityParameters(
        **{**p.__dict__, **{k: np.full_like(p.gait_curvature, v) for k, v in changed.items()}}
    )
    return mobility.gait_speed(q, s.knee_n, s.ankle_n, s.body.body_mass)


def gait_fit_strata(s: Subjects) -> np.ndarray:
    """The strata the gait fit uses: every women's stratum and the men's 20-49 y ones, whose
    Bohannon 2011 means are checked (``clinical_norms.toml``: men's 50-99 y from memory)."""
    return (s.sex == "female") | (s.age < 50.0)


def fit_gait() -> tuple[np.ndarray, np.ndarray]:
    """Least-squares (plateau speed, threshold strength) that put median-strength subjects on
    the checked Bohannon 2011 strata, the curvature held at its shipped value (the stratum
    means cannot resolve how sharp the knee is; Buchner 1996's "no association" in stronger
    subjects calls for a sharp one). Returns the parameters and the residuals (m/s) of all 14
    strata, women first."""
    s = _strata(GAIT_STRATA)
    target = np.asarray(gait_speed_reference(s.age, s.sex))
    used = gait_fit_strata(s)
    fit = least_squares(
        lambda x: (gait_model(s, *x) - target)[used],
        x0=[1.4, 8.0],
        bounds=([0.8, 1.0], [2.0, 20.0]),
    )
    return fit.x, gait_model(s, *fit.x) - target


def gait_sensitivity(name: str, sex: str, age: float) -> float:
    """Percent change of usual gait speed for a 10 % loss of leg strength (knee extensors and
    plantar flexors) of a subject of preset ``name`` (its own strength centile)."""
    s = subjects(name, [sex], [age])
    v0 = mobility.gait_speed(s.params, s.knee_n, s.ankle_n, s.body.body_mass)
    v1 = mobility.gait_speed(s.params, 0.9 * s.knee_n, 0.9 * s.ankle_n, s.body.body_mass)
    return float(100.0 * (1.0 - v1[0] / v0[0]))


# ----------------------------------------------------------------------------- chair stand


def pooled_chair_time(age: float) -> float:
    """Mean five-chair-stand time (s) of a median-strength woman and man at ``age``."""
    s = _strata(tuple(a for a, _ in CHAIR_NORMS))
    t = s.tests().chair_stand_s
    return float(np.mean(t[s.age == age]))


def chair_model(s: Subjects, min_time, demand, slowing) -> np.ndarray:
    """Five-chair-stand time of ``s`` with the three fitted chair parameters replaced."""
    p = s.params
    q = mobility.MobilityParameters(
        **{
            **p.__dict__,
            "chair_min_time": np.full_like(p.chair_min_time, min_time),
            "chair_rise_demand": np.full_like(p.chair_min_time, demand),
            "chair_age_slowing": np.full_like(p.chair_min_time, slowing),
        }
    )
    return mobility.chair_stand_time(q, s.knee_n, s.body.body_mass, s.age)


def cut_off_subjects(age: float = CUT_OFF_AGE) -> Subjects:
    """A woman and a man of the older_adult preset whose grip is exactly the EWGSOP2 low-grip
    cut-off at ``age`` (their Dodds 2014 centile)."""
    norms = clinical_norms()
    centiles = [float(grip_centile(norms.value(f"ewgsop2.grip_{s}"), age, s)) for s in SEXES]
    return subjects("older_adult", list(SEXES), [age, age], centiles)


def fit_chair_stand() -> tuple[np.ndarray, np.ndarray]:
    """Least-squares (min time, rise demand, age slowing) that put the sex-pooled mean of
    median-strength subjects on Bohannon 2010 (20-29 y) and Bohannon 2006 (60-89 y) and make
    subjects at the EWGSOP2 grip cut-off take the EWGSOP2 chair-stand cut-off (15 s) at 75 y:
    our assumption that EWGSOP2's two low-strength criteria mark the same strength (which
    anchors how much of the slowing is strength rather than age; the Tromso study found the two
    agree poorly in individuals). Returns the parameters and the five residuals (s)."""
    ages = tuple(a for a, _ in CHAIR_NORMS)
    s = _strata(ages)
    cut = cut_off_subjects()
    target = np.array([t for _, t in CHAIR_NORMS] + [clinical_norms().value("ewgsop2.chair_stand")])

    def residual(x):
        t = chair_model(s, *x)
        means = [np.mean(t[s.age == a]) for a in ages] + [np.mean(chair_model(cut, *x))]
        return np.array(means) - target

    fit = least_squares(residual, x0=[4.0, 1.0, 0.01], bounds=([1.0, 0.1, 0.0], [10.0, 6.0, 0.05]))
    return fit.x, fit.fun


# -------------------------------------------------------------------- EWGSOP2 in a cohort


@cache
def older_cohort() -> Subjects:
    """A seeded virtual cohort (:data:`COHORT_SEED`) of :data:`COHORT_SIZE` women and as many
    men of the older_adult preset, ages spread evenly over :data:`COHORT_AGES`, each with the
    default between-subject variability (``data/variability``: strength varies log-normally
    around the preset's median grip for age and sex)."""
    n = COHORT_SIZE
    ages = COHORT_AGES[0] + (COHORT_AGES[1] - COHORT_AGES[0]) * (np.arange(n) + 0.5) / n
    sexes = [s for s in SEXES for _ in range(n)]
    return subjects("older_adult", sexes, list(ages) * 2, seed=COHORT_SEED)


def cohort_categories() -> np.ndarray:
    s = older_cohort()
    return np.asarray(mobility.ewgsop2(s.tests(), s.grip_kg, s.height, s.sex).category)


def probable_or_worse_share(sex: str | None = None) -> float:
    """Percentage of the cohort (or of one sex) with low strength by EWGSOP2 (grip below the
    cut-off or five chair stands > 15 s): 'probable', 'confirmed' or 'severe'."""
    s = older_cohort()
    keep = np.ones(s.sex.size, bool) if sex is None else s.sex == sex
    low = np.isin(cohort_categories(), ("probable", "confirmed", "severe"))
    return float(100.0 * np.mean(low[keep]))


def low_grip_share() -> float:
    """Percentage of the cohort with grip below the EWGSOP2 cut-off (grip criterion alone)."""
    s = older_cohort()
    norms = clinical_norms()
    cut = np.where(s.sex == "male", norms.value("ewgsop2.grip_male"), 0.0)
    cut = np.where(s.sex == "female", norms.value("ewgsop2.grip_female"), cut)
    return float(100.0 * np.mean(s.grip_kg < cut))


# ------------------------------------------------------------------------------ the cases

_GAIT_BAND = 0.10  # m/s

for _sex in SEXES:
    register(
        ValidationCase(
            f"older_adult_grip_centile_{_sex}",
            f"Simulated maximal grip of the older_adult preset ({_sex}, default age 72 y) as a "
            "Dodds 2014 centile; the preset is set on the median curve, band: 40th-60th centile "
            "(a 2.5-kg margin either side at 72 y)",
            "dodds2014",
            "centile",
            (40.0, 60.0),
            lambda s=_sex: preset_grip_centile("older_adult", s),
            "50th centile",
        )
    )
    _cut = clinical_norms().value(f"ewgsop2.grip_{_sex}")
    register(
        ValidationCase(
            f"sarcopenia_grip_{_sex}",
            f"Simulated maximal grip (kg) of the sarcopenia preset ({_sex}, default age 75 y): "
            "below the EWGSOP2 low-grip cut-off (probable sarcopenia) and above half of it "
            "(the weakest few per cent of the Dodds 2014 curves, not an implausible value)",
            "cruzjentoft2019",
            "kg",
            (_cut / 2.0, _cut),
            lambda s=_sex: preset_grip_kg("sarcopenia", s),
            f"grip < {_cut:g} kg",
        )
    )
    register(
        ValidationCase(
            f"older_adult_gait_speed_{_sex}",
            f"Simulated usual gait speed of the older_adult preset ({_sex}, 72 y) minus the "
            "Bohannon & Andrews 2011 mean of the 70-79 y stratum; band +-0.10 m/s (the "
            "calibration spans 14 strata with one curve; 0.1 m/s is the step Studenski 2011 "
            "attaches a 12 % mortality hazard to, i.e. a clinically meaningful difference)",
            "bohannon2011",
            "m/s",
            (-_GAIT_BAND, _GAIT_BAND),
            lambda s=_sex: gait_speed_error("older_adult", s),
            "the 70-79 y norm (women 1.13, men 1.26 m/s)",
        )
    )

register(
    ValidationCase(
        "buchner1996_strong_insensitive",
        "Percent loss of usual gait speed for a 10 % loss of leg strength in a strong adult "
        "(healthy_adult man, 30 y, median strength); Buchner 1996 found no association between "
        "strength and gait speed in stronger subjects; band 0-1 %",
        "buchner1996",
        "%",
        (0.0, 1.0),
        lambda: gait_sensitivity("healthy_adult", "male", 30.0),
        "speed insensitive to strength above the threshold",
    )
)
register(
    ValidationCase(
        "buchner1996_weak_sensitive",
        "Percent loss of usual gait speed for a 10 % loss of leg strength in a weak older adult "
        "(sarcopenia preset woman, 85 y); Buchner 1996 found speed associated with strength "
        "in weaker subjects (the curved region); band 5-10 %: at least half and at most all of "
        "the strength loss",
        "buchner1996",
        "%",
        (5.0, 10.0),
        lambda: gait_sensitivity("sarcopenia", "female", 85.0),
        "speed falls steeply with strength below the threshold",
    )
)
for _age, _t in CHAIR_NORMS[1:]:
    register(
        ValidationCase(
            f"bohannon2006_chair_stand_{int(_age) // 10 * 10}s",
            f"Mean five-chair-stand time of a median-strength woman and man aged {_age:g} "
            f"(older_adult anthropometry) against Bohannon 2006's pooled mean for "
            f"{int(_age) // 10 * 10}-{int(_age) // 10 * 10 + 9} y; band +-1.5 s (the model is "
            "fitted to these three means and Bohannon 2010's young adults with 3 parameters)",
            "bohannon2006",
            "s",
            (_t - 1.5, _t + 1.5),
            lambda a=_age: pooled_chair_time(a),
            f"{_t:g} s",
        )
    )
register(
    ValidationCase(
        "bohannon2010_chair_stand_20s",
        "Mean five-chair-stand time of a median-strength woman and man aged 25; Bohannon 2010: "
        "6.0 s at 20-29 y; band 4.5-7.6 s (up to Bohannon 2007's 7.6 s mean of community "
        "adults; strength alone, without the age term, would give about 10 s)",
        "bohannon2010",
        "s",
        (4.5, 7.6),
        lambda: pooled_chair_time(25.0),
        "6.0 s",
    )
)
register(
    ValidationCase(
        "ewgsop2_probable_share_70_80",
        f"Seeded cohort: {2 * COHORT_SIZE} older adults (older_adult preset, half women, "
        f"70-80 y, seed {COHORT_SEED}, strength varying between subjects with CV 0.21): share "
        "(%) with EWGSOP2 low strength (grip below the cut-off or five chair stands > 15 s: "
        "probable sarcopenia or worse). Band 10-30 %: from the low-grip prevalence of "
        "KORA-Age, 65-93 y (11.7 %, Huemer 2023), to that of Swiss adults aged 75+ (26-28 %, "
        "mean age 83, Wearing 2020), widened by 2 points; TILDA (mean age 69, Swan 2021): "
        "23.4 %. Dodds 2014's grip spread at these ages (log-SD 0.21-0.24 in men, 0.26-0.27 "
        "in women) is wider than the cohort's in women, so the share is if anything low (18 % "
        "with the Dodds centiles spread evenly instead)",
        "huemer2023",
        "%",
        (10.0, 30.0),
        lambda: probable_or_worse_share(),
        "11.7 % (65-93 y) to 26-28 % (75+ y)",
    )
)
