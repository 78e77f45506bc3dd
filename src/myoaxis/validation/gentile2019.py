"""Gentile et al. 2019: motor-cortex fNIRS during finger tapping in fibromyalgia, as a cohort.

Ten simulated studies, each of 24 women with fibromyalgia and 24 healthy women, run ``Assess
fnirs_tapping`` (:func:`myoaxis.assess.tapping.fnirs_session`: rest, slow paced and fast maximal
blocks, with the motor-cortex reserve, balloon model, optics and physiological noise). What the
paper's abstract reports, and the cases check (the paper's group means are not available to us,
so the targets are its statistical findings at its sample size; one simulated study is
significant or not partly by chance, so the cases summarise ten):

- fast tapping: HbO lower in FM (p < 0.05): the median Cohen's d must be at least 0.58, the
  smallest d a two-sided t-test detects at p < 0.05 with 24 + 24 subjects (``D_SIGNIFICANT``);
- rest and slow tapping: HbO similar: at most 2 of the 10 studies find p < 0.05;
- FM taps slower in the fast condition: median d at least the same threshold;
- within FM, the HbO of fast tapping does not correlate with severity: at most 2 of 10
  studies find p < 0.05.

**The cohort** (drawn once, seed ``SEED``; our assumptions): ages uniform 35–60 years; between-
subject spread of the maximal tapping rate (log-normal movement time, SD 0.25 in log units, about
9 % of the rate, as the spread of finger-tapping norms) and of the fNIRS response amplitude
(log-normal partial-volume factor, SD 0.4 in log units: optode placement and scalp thickness
make single-subject amplitudes vary several-fold); the FM group's fatigue score
N(0.7, 0.15) clipped to [0.3, 1]. Severity is an FIQ-like total (0–100) of ten equally weighted
items, fatigue being one: ``100 (0.1 fatigue + 0.9 u)``, ``u`` ~ N(0.55, 0.15) clipped to
[0, 1]. The model ties the motor-cortex shortfall to fatigue only, so the cases test that the
cohort statistics, not just the mechanism, come out as published.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import stats

from myoaxis.assess.tapping import FnirsSession, fnirs_session
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.validation.registry import ValidationCase, register

N_PER_GROUP = 24
REPLICATIONS = 10  # simulated studies: a single one is significant or not by chance
SEED = 2019
AGES = (35.0, 60.0)
RATE_SPREAD = 0.25  # SD of log(movement time)
AMPLITUDE_SPREAD = 0.4  # SD of log(partial-volume factor)
FM_FATIGUE = (0.7, 0.15, 0.3, 1.0)  # mean, SD, lower and upper clip
SEVERITY_OTHER = (0.55, 0.15)  # mean, SD of the non-fatigue share of the FIQ-like total
# smallest Cohen's d with p < 0.05 in a two-sided t-test with n = 24 + 24 (0.581)
D_SIGNIFICANT = float(stats.t.ppf(0.975, 2 * N_PER_GROUP - 2) * np.sqrt(2.0 / N_PER_GROUP))


@dataclass(frozen=True)
class Cohort:
    """The simulated studies: every subject's session, replication, group and scores."""

    session: FnirsSession
    replication: np.ndarray  # (S,) index of the simulated study
    fibromyalgia: np.ndarray  # (S,) bool
    fatigue: np.ndarray  # (S,) 0-1
    severity: np.ndarray  # (S,) FIQ-like total 0-100

    def studies(self, values: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """``(controls, fibromyalgia)`` parts of a per-subject array, one pair per study."""
        return [
            (
                values[(self.replication == r) & ~self.fibromyalgia],
                values[(self.replication == r) & self.fibromyalgia],
            )
            for r in range(REPLICATIONS)
        ]

    def patients(self, values: np.ndarray) -> list[np.ndarray]:
        """The FM part of a per-subject array, one per study."""
        return [values[(self.replication == r) & self.fibromyalgia] for r in range(REPLICATIONS)]


def _subject(rng: np.random.Generator, fm: bool) -> tuple[object, float, float, float]:
    age = rng.uniform(*AGES)
    base = subject_parameters("healthy_adult", "female", age, ("fibromyalgia",) if fm else ())
    values = {
        "tapping.movement_time": base.value("tapping.movement_time")
        * np.exp(RATE_SPREAD * rng.standard_normal()),
        "fnirs.optics.partial_volume_factor": base.value("fnirs.optics.partial_volume_factor")
        * np.exp(AMPLITUDE_SPREAD * rng.standard_normal()),
    }
    mean, sd, lo, hi = FM_FATIGUE
    fatigue = float(np.clip(mean + sd * rng.standard_normal(), lo, hi)) if fm else 0.0
    if fm:
        values["symptoms.fatigue"] = fatigue
    other = np.clip(SEVERITY_OTHER[0] + SEVERITY_OTHER[1] * rng.standard_normal(), 0.0, 1.0)
    severity = 100.0 * (0.1 * fatigue + 0.9 * other) if fm else np.nan
    return base.with_values(values, "gentile2019 cohort draw"), age, fatigue, severity


@cache
def cohort() -> Cohort:
    """``REPLICATIONS`` studies of 24 controls and 24 women with fibromyalgia, every subject
    through ``Assess fnirs_tapping`` (one batch)."""
    rng = np.random.default_rng(SEED)
    fm = np.tile(np.repeat([False, True], N_PER_GROUP), REPLICATIONS)
    replication = np.repeat(np.arange(REPLICATIONS), 2 * N_PER_GROUP)
    drawn = [_subject(rng, bool(f)) for f in fm]
    params, ages, fatigue, severity = (list(x) for x in zip(*drawn, strict=True))
    body = Body(params, np.full(fm.size, 65.0), np.array(ages))
    session = fnirs_session(body, SubjectRNG(subject_streams(SEED, fm.size)))
    return Cohort(session, replication, fm, np.array(fatigue), np.array(severity))


def cohens_d(controls: np.ndarray, patients: np.ndarray) -> float:
    """Controls minus patients over the pooled SD."""
    n1, n2 = controls.size, patients.size
    pooled = ((n1 - 1) * controls.var(ddof=1) + (n2 - 1) * patients.var(ddof=1)) / (n1 + n2 - 2)
    return float((controls.mean() - patients.mean()) / np.sqrt(pooled))


def _hbo(condition: str) -> np.ndarray:
    return cohort().session.hbo_change()[condition]


def hbo_effects(condition: str) -> np.ndarray:
    """Cohen's d of the HbO change (controls − FM) in ``condition``, per study."""
    return np.array([cohens_d(*pair) for pair in cohort().studies(_hbo(condition))])


def hbo_p(condition: str) -> np.ndarray:
    """Two-sided Welch t-test p of the HbO change between groups in ``condition``, per study."""
    pairs = cohort().studies(_hbo(condition))
    return np.array([stats.ttest_ind(*pair, equal_var=False).pvalue for pair in pairs])


def fast_rate_effects() -> np.ndarray:
    """Cohen's d of the fast-tapping rate (controls − FM), per study."""
    c = cohort()
    return np.array([cohens_d(*pair) for pair in c.studies(c.session.rates()["fast"])])


def severity_correlation_p() -> np.ndarray:
    """p of Pearson's r between fast-tapping HbO and severity within FM, per study."""
    c = cohort()
    pairs = zip(c.patients(_hbo("fast")), c.patients(c.severity), strict=True)
    return np.array([stats.pearsonr(h, s).pvalue for h, s in pairs])


def fatigue_correlation() -> np.ndarray:
    """Pearson's r between the fast-tapping rate and fatigue within FM, per study."""
    c = cohort()
    pairs = zip(c.patients(c.session.rates()["fast"]), c.patients(c.fatigue), strict=True)
    return np.array([stats.pearsonr(r, f).statistic for r, f in pairs])


def share_significant(p: np.ndarray) -> float:
    """Fraction of the studies with p < 0.05."""
    return float(np.mean(p < 0.05))


_STUDY = f"Gentile 2019 design (24 FM / 24 controls), {REPLICATIONS} simulated studies"
register(
    ValidationCase(
        "gentile2019_fast_hbo_effect",
        f"{_STUDY}: median Cohen's d of motor-cortex HbO change in fast tapping, controls − FM",
        "gentile2019",
        "",
        (D_SIGNIFICANT, 3.0),
        lambda: float(np.median(hbo_effects("fast"))),
        "HbO significantly lower in FM during fast tapping "
        f"(p < 0.05 at n = 24 + 24: d >= {D_SIGNIFICANT:.2f})",
    )
)
for _condition in ("rest", "slow"):
    register(
        ValidationCase(
            f"gentile2019_{_condition}_hbo_significant",
            f"{_STUDY}: share of studies whose {_condition}-condition HbO differs between groups "
            "(Welch t-test p < 0.05)",
            "gentile2019",
            "fraction",
            (0.0, 0.2),
            lambda c=_condition: share_significant(hbo_p(c)),
            f"HbO similar between groups in the {_condition} condition: false positives only "
            "(about 5 %; band allows 2 of 10)",
        )
    )
register(
    ValidationCase(
        "gentile2019_fast_rate_effect",
        f"{_STUDY}: median Cohen's d of the fast (maximal) tapping rate, controls − FM",
        "gentile2019",
        "",
        (D_SIGNIFICANT, 6.0),
        lambda: float(np.median(fast_rate_effects())),
        f"FM patients tap significantly slower (p < 0.05 at n = 24 + 24: d >= {D_SIGNIFICANT:.2f})",
    )
)
register(
    ValidationCase(
        "gentile2019_severity_independence",
        f"{_STUDY}: share of studies where fast-tapping HbO correlates with severity within FM "
        "(Pearson p < 0.05)",
        "gentile2019",
        "fraction",
        (0.0, 0.2),
        lambda: share_significant(severity_correlation_p()),
        "The HbO abnormality is independent of FM severity (no significant correlation)",
    )
)
