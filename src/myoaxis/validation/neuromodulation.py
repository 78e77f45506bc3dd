r"""Motor-cortex neuromodulation: excitability after-effects of single sessions and analgesic
courses in fibromyalgia against sham.

Each case drives :class:`~myoaxis.slow.SlowLayer` as the protocol step will:
:func:`~myoaxis.physiology.brain.neuromodulation.check_stimulation`, then the impulses of
:func:`~myoaxis.physiology.brain.neuromodulation.stimulation_dose` added with ``layer.add`` at the
end of the session, then rest. MEP size is ``cortical_excitability``.

The course cases are sham-controlled trials in seeded virtual cohorts of women of 50 with the
fibromyalgia overlay (:func:`myoaxis.validation.cohorts.cohort`, the between-subject variability
of ``data/variability``), run with the pain and neuromodulation components of the slow layer
(other inputs of the pain model at their resting defaults). Subjects are randomised 1:1 with a
generator seeded like the cohort; the sham arm gets no impulses (sham tDCS ramps the current up
and down within 30 s: no after-effect is assumed). Ten sessions are given on weekdays (two
weeks, Valle 2009, Passard 2007); the *end of the course* is one day after the last session.
Trials enrol patients with at least moderate pain: the effects are computed over the subjects
whose baseline ``pain_intensity`` is at least :data:`INCLUSION_NRS` (randomisation does not
depend on it, so this equals randomising the eligible subjects). Differences are adjusted for
baseline (active minus sham mean change from baseline, :meth:`Trial.difference`): with 200
subjects per arm the chance baseline imbalance of the allocation is about 0.3 NRS points
(seed 2017: the active arm starts 0.31 higher), as large as the late effects. Effect sizes
are that difference over the pooled SD of the pain scores with Hedges' correction
(:meth:`Trial.effect_size`), positive = less pain with active stimulation.

Stimulation cannot make pain rebound above sham in this model: with extra descending
inhibition :math:`D \ge D_0` the sensitisation :math:`G` relaxes towards a target no higher
than its resting value :math:`G^*`, so :math:`G \le G^*` throughout and the pain of every
treated subject stays at or below its baseline (tests/test_neuromodulation.py checks this).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import SimulationError
from myoaxis.physiology.brain import neuromodulation as nm
from myoaxis.physiology.brain import pain
from myoaxis.slow import SlowLayer
from myoaxis.validation.cohorts import cohort, hedges_g
from myoaxis.validation.registry import ValidationCase, register

MINUTE = 60.0
DAY = 86_400.0


def _body() -> Body:
    return Body([subject_parameters("healthy_adult", "male", 30.0)], np.array([75.0]))


def stimulate(
    layer: SlowLayer,
    technique: str,
    intensity: float,
    minutes: float,
    frequency=None,
    subjects: np.ndarray | None = None,
) -> None:
    """One session, checked, delivered as the protocol does (impulses at its end), to the
    ``subjects`` where the mask is true (everyone by default; the others get sham)."""
    values = layer.body.values
    nm.check_stimulation(technique, intensity, minutes * MINUTE, frequency, values)
    given = 1.0 if subjects is None else np.asarray(subjects, dtype=float)
    for state, amount in nm.stimulation_dose(
        technique, intensity, minutes * MINUTE, values, frequency
    ).items():
        layer.add(state, amount * given)


@dataclass(frozen=True)
class Course:
    """A course of daily sessions on weekdays (intensity in mA, or % RMT for rTMS)."""

    technique: str
    intensity: float
    minutes: float
    frequency: float | None = None
    sessions: int = 10


def give_course(layer: SlowLayer, course: Course, subjects: np.ndarray | None = None) -> None:
    """The sessions of ``course`` one day apart, five a week (Monday to Friday; weekends
    free), starting now; the layer ends one day after the last session."""
    for k in range(course.sessions):
        stimulate(
            layer, course.technique, course.intensity, course.minutes, course.frequency, subjects
        )
        weekend = k % 5 == 4 and k < course.sessions - 1
        layer.advance(DAY * (3 if weekend else 1))


def _series(layer: SlowLayer, name: str) -> np.ndarray:
    times, values = layer.series()
    names = [v.name for v in (*layer.model.states, *layer.model.assignments)]
    return times, values[names.index(name), 0]


@cache
def excitability_after(
    technique: str, intensity: float, minutes: float, hours: float = 4.0
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes after the end of one session and MEP size relative to baseline."""
    layer = SlowLayer(_body(), MINUTE, components=nm.COMPONENTS)
    stimulate(layer, technique, intensity, minutes)
    layer.advance(hours * 3600.0)
    times, mep = _series(layer, nm.EXCITABILITY)
    return times / MINUTE, mep


def mep_at(technique: str, intensity: float, minutes: float, after_min: float) -> float:
    t, mep = excitability_after(technique, intensity, minutes)
    return float(np.interp(after_min, t, mep))


def aftereffect_duration(technique: str, intensity: float, minutes: float) -> float:
    """Minutes after the session until MEPs are back within 10 % of baseline."""
    t, mep = excitability_after(technique, intensity, minutes)
    return float(t[np.argmax(mep < 1.1)])


@cache
def course(
    technique: str, intensity: float, minutes: float, sessions: int = 10, days_after: float = 0.0
) -> float:
    """``neuromodulation_inhibition`` ``days_after`` the end of a course of ``sessions`` daily
    sessions (:func:`give_course`: five a week as in the FM trials, Valle 2009, Passard 2007;
    ``days_after = 0`` is one day after the last session)."""
    layer = SlowLayer(_body(), 3600.0, components=nm.COMPONENTS)
    give_course(layer, Course(technique, intensity, minutes, sessions=sessions))
    layer.advance(days_after * DAY)
    return float(layer.value(nm.INHIBITION)[0])


register(
    ValidationCase(
        "tdcs_mep_after_13min_nitsche2001",
        "MEP size 5 min after 13 min of 1 mA anodal tDCS over M1, relative to baseline. "
        "Nitsche & Paulus 2001 (abstract): excitability about 150 % of baseline after the end of "
        "stimulation; band 135-165 %",
        "nitsche2001",
        "x baseline",
        (1.35, 1.65),
        lambda: mep_at("tDCS", 1.0, 13.0, 5.0),
        "about 150 % of baseline",
    )
)
register(
    ValidationCase(
        "tdcs_aftereffect_duration_nitsche2001",
        "Minutes after 13 min of 1 mA anodal tDCS until MEPs are back within 10 % of baseline. "
        "Nitsche & Paulus 2001: elevated for up to 90 min after the end of stimulation; band "
        "60-150 min (their last samples were not retrieved)",
        "nitsche2001",
        "min",
        (60.0, 150.0),
        lambda: aftereffect_duration("tDCS", 1.0, 13.0),
        "up to 90 min",
    )
)
register(
    ValidationCase(
        "tdcs_short_session_mep_nitsche2000",
        "MEP increase right after 5 min of 1 mA anodal tDCS. Nitsche & Paulus 2000: excitability "
        "changes of up to 40 %; band 25-45 %. Limitation: their after-effect of short sessions "
        "lasted minutes, the model's (one decay time) about an hour",
        "nitsche2000",
        "% above baseline",
        (25.0, 45.0),
        lambda: 100.0 * (mep_at("tDCS", 1.0, 5.0, 0.0) - 1.0),
        "up to 40 %",
    )
)
register(
    ValidationCase(
        "trns_aftereffect_duration_terney2008",
        "Minutes after 10 min of 1 mA high-frequency tRNS over M1 until MEPs are back within "
        "10 % of baseline. Terney 2008: excitability increases lasting 60 min after stimulation; "
        "band 40-120 min (tRNS gain taken equal to anodal tDCS's, Moliadze 2014)",
        "terney2008",
        "min",
        (40.0, 120.0),
        lambda: aftereffect_duration("tRNS", 1.0, 10.0),
        "lasting 60 min",
    )
)


# -- sham-controlled courses in fibromyalgia ---------------------------------------------------

FM = ("fibromyalgia",)
TRIAL_AGE = 50.0
INCLUSION_NRS = 4.0  # baseline pain needed to enter the trial (NRS 0-10)
TRIAL_N = 200  # subjects per arm before inclusion
TDCS_SEED = 2009
RTMS_SEED = 2017
TDCS = Course("tDCS", 2.0, 20.0)  # anodal M1, 2 mA, 20 min (Valle 2009)
RTMS = Course("rTMS", 80.0, 25.0, 10.0)  # 10 Hz, 80 % RMT, 2000 pulses (Passard 2007)
FOLLOW_UP = (0, 7, 14, 21, 28, 30, 60)  # days after the end of the course
EARLY_FOLLOW_UP = (7, 14, 21, 28)  # Saltychev 2017's "1 week to 1 month"


@dataclass(frozen=True)
class Trial:
    """Pain scores of a sham-controlled trial: ``baseline`` and ``after[day]`` (NRS, ``(S,)``
    over the whole cohort), the randomisation mask ``active`` and the eligible ``included``."""

    baseline: np.ndarray
    after: dict[int, np.ndarray]
    active: np.ndarray
    included: np.ndarray

    def arms(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Pain of the eligible active and sham subjects ``day`` days after the course."""
        score = self.after[day]
        return score[self.active & self.included], score[~self.active & self.included]

    def difference(self, day: int) -> float:
        """Baseline-adjusted mean pain difference, active minus sham: the difference of the
        mean changes from baseline (NRS points; negative = less pain with active). Adjusting
        for baseline removes the chance imbalance of the random allocation (which in a finite
        cohort is of the order of 0.3 NRS points) from the treatment effect."""
        active, sham = self.arms(day)
        base_active, base_sham = (
            self.baseline[self.active & self.included],
            self.baseline[~self.active & self.included],
        )
        return float((active.mean() - base_active.mean()) - (sham.mean() - base_sham.mean()))

    def effect_size(self, day: int) -> float:
        """Standardised baseline-adjusted difference, sham minus active (positive = less pain
        with active): :func:`difference` over the pooled SD of the two arms' pain scores at
        ``day``, with Hedges' small-sample correction (:func:`hedges_g` of the scores after
        shifting each arm by its baseline mean)."""
        active, sham = self.arms(day)
        if np.ptp(self.baseline[self.included]) < 1e-9:
            raise SimulationError(
                "the cohort has no between-subject spread of clinical pain, so no standardised "
                "effect size: data/variability needs a factor on the fibromyalgia pain level"
            )
        base_active = self.baseline[self.active & self.included].mean()
        base_sham = self.baseline[~self.active & self.included].mean()
        return hedges_g(sham - base_sham, active - base_active)


@cache
def sham_controlled_trial(course: Course, seed: int, n: int = TRIAL_N) -> Trial:
    """``2 n`` women of 50 with fibromyalgia (cohort ``seed``), randomised 1:1 (generator seeded
    with ``seed``) to ``course`` or sham; pain at baseline and :data:`FOLLOW_UP` days after."""
    body = cohort(2 * n, seed, sex="female", age=TRIAL_AGE, conditions=FM)
    active = np.random.default_rng(seed).permutation(2 * n) < n
    layer = SlowLayer(body, 3600.0, components=(*pain.COMPONENTS, *nm.COMPONENTS))
    baseline = layer.value(pain.INTENSITY).copy()
    give_course(layer, course, active)
    after, now = {}, 0
    for day in FOLLOW_UP:
        layer.advance((day - now) * DAY)
        after[day], now = layer.value(pain.INTENSITY).copy(), day
    return Trial(baseline, after, active, baseline >= INCLUSION_NRS)


def tdcs_trial() -> Trial:
    return sham_controlled_trial(TDCS, TDCS_SEED)


def rtms_trial() -> Trial:
    return sham_controlled_trial(RTMS, RTMS_SEED)


def persistence(trial: Trial, day: int) -> float:
    """The active-sham pain difference ``day`` days after the course over that at its end."""
    return trial.difference(day) / trial.difference(0)


_TRIAL = (
    f"Seeded cohort of {2 * TRIAL_N} women of 50 with fibromyalgia, randomised 1:1 to active or "
    "sham (no impulses), pain and neuromodulation components; analysed: baseline pain "
    f">= {INCLUSION_NRS:g}/10. "
)
_TDCS = (
    _TRIAL + f"Seed {TDCS_SEED}; 10 weekday sessions of anodal M1 tDCS, 2 mA, 20 min (Valle 2009). "
)
_RTMS = (
    _TRIAL + f"Seed {RTMS_SEED}; 10 weekday sessions of M1 rTMS, 10 Hz, 80 % RMT, 2000 pulses "
    "(Passard 2007). "
)
register(
    ValidationCase(
        "tdcs_fm_pain_smd_end_of_course",
        _TDCS + "Standardised baseline-adjusted pain difference (sham - active, Hedges-corrected) "
        "one day after the last session. Teixeira 2023 "
        "meta-regression (14 RCTs, 770 participants, low certainty): short-term (< 4 weeks from "
        "baseline) SMD 0.81 (95 % CI 0.43-1.19), about 27 % less pain; band = that CI. The mean "
        "effect is the calibration of neuromodulation.max_inhibition (0.8, with memory_time 15 "
        "d); the SD comes from the variability of the FM pain level (fm_pain_level)",
        "tdcs_fm_metaregression2023",
        "g",
        (0.43, 1.19),
        lambda: tdcs_trial().effect_size(0),
        "short-term SMD 0.81 (0.43-1.19) vs sham",
    )
)
register(
    ValidationCase(
        "tdcs_fm_pain_persistence_valle2009",
        _TDCS + "Baseline-adjusted active - sham pain difference 60 days after the course as a "
        "fraction of that at "
        "its end. Valle 2009 (41 women, 10 sessions): only M1 stimulation gave lasting benefits "
        "at 30 and 60 days (group numbers not retrieved). Band 0.1-0.6: a still clearly present "
        "effect, below the end-of-course one (our reading; Saltychev 2017 reports rTMS effects "
        "shrinking within a month). Not calibrated: memory_time is fitted to the rTMS "
        "follow-up case, so this is a prediction (it lands near the lower edge)",
        "valle2009",
        "ratio",
        (0.1, 0.6),
        lambda: persistence(tdcs_trial(), 60),
        "M1 effects still present at 30 and 60 days",
    )
)
register(
    ValidationCase(
        "rtms_fm_pain_after_last_session_saltychev2017",
        _RTMS + "Baseline-adjusted active - sham pain one day after the last session (NRS points). "
        "Saltychev & "
        "Laimi 2017 (7 RCTs): -1.2 (95 % CI -1.7 to -0.8) after the last stimulation; band = "
        "that CI. Calibration of neuromodulation.rtms.analgesic_gain (0.8)",
        "saltychev2017",
        "NRS points",
        (-1.7, -0.8),
        lambda: rtms_trial().difference(0),
        "-1.2 (-1.7 to -0.8) NRS points after the last session",
    )
)
register(
    ValidationCase(
        "rtms_fm_pain_follow_up_saltychev2017",
        _RTMS + "Baseline-adjusted active - sham pain 1 week to 1 month after the course: mean of "
        "the differences at "
        "7, 14, 21 and 28 days (NRS points). Saltychev & Laimi 2017: -0.7 (95 % CI -1.0 to -0.3); "
        "band = that CI. Calibration of neuromodulation.memory_time (15 d)",
        "saltychev2017",
        "NRS points",
        (-1.0, -0.3),
        lambda: float(np.mean([rtms_trial().difference(d) for d in EARLY_FOLLOW_UP])),
        "-0.7 (-1.0 to -0.3) NRS points 1 week to 1 month after",
    )
)
