r"""The risk engine: a run's series, training records and clinical tests as risk events.

Pure functions. Each returns a list of event dicts of the shape the simulation writes to
``/events``::

    {"subject": 0, "kind": "risk", "risk": "hypoglycaemia", "severity": "moderate",
     "time_s": 5400.0, "message": "...", "value": 65.0, "threshold": 70.0}

**De-duplication.** Each risk of each subject has a severity level over time, 0 (none),
1 ``low``, 2 ``moderate`` or 3 ``high``, the highest level any of its criteria reaches. An event
is emitted where the level rises above the level of the previous sample: when the risk first
crosses into a level and again when it escalates, not on every sample. A risk that falls back
and later rises again is a new event. Value and threshold are those of the criterion that sets
the new level (the first in the order listed below when several do).

Thresholds are parameters (``data/model/risk.toml``, ``[risk]``; a few shared conventions from
``data/reference/clinical_norms.toml``), per subject; see :class:`RiskParameters`.

1. ``overexertion`` (:func:`set_risks`, :func:`aerobic_risks`): a resistance set whose load is
   :math:`\ge 0.9` of the current capacity (moderate) or :math:`\ge 1` (high); 3 (6) sets to
   failure in one session (moderate, high); an aerobic bout of at least 5 min at
   :math:`\ge 91\,\%` (moderate) or :math:`\ge 100\,\%` VO2max (high). Sets and bouts less than
   ``session_gap`` apart form a session; a new session starts from level 0.
2. ``workload_spike`` (:func:`workload_risks`): daily loads :math:`L_d` (e.g. session RPE x
   minutes, Foster 2001) and the acute:chronic workload ratio :math:`A_d / C_d`, by default
   with coupled rolling averages, :math:`A_d` the mean daily load of the last 7 days and
   :math:`C_d` that of the last 28 days, today included (Hulin 2016: 1-week load over the
   4-week average; the studies behind Gabbett's bands used such ratios); optionally with
   Williams' (2017) exponentially weighted averages
   :math:`E_d = \lambda L_d + (1-\lambda) E_{d-1}`, :math:`\lambda = 2/(N+1)`, N = 7 and 28 d.
   The rolling form is the default because a steady weekly schedule then gives exactly 1,
   whereas daily EWMAs swing within the week when sessions are sparse (once-weekly training
   reaches 1.7 on every session day and would raise a "spike" every week). Ratio above 1.3
   (moderate, above Gabbett's 0.8-1.3 "sweet spot") or :math:`\ge 1.5` (high, the "danger
   zone"). Days count from ``start_s``. History starts at the subject's first session (earlier
   loads are unknown; the averages would only show their ramp-up), so no ratio is reported
   before 28 days of history, nor while the chronic load is 0.
3. ``injury`` (:func:`workload_risks`): Foster's (1998) weekly monotony :math:`m` = mean / SD
   (sample SD) of the last 7 daily loads, rest days as 0, capped at ``monotony_cap``, and strain
   = 7-day load x monotony. Our rule: low if :math:`m > 2`; moderate if ratio :math:`\ge 1.5`,
   or :math:`m > 2` with ratio :math:`> 1.3`; high if ratio :math:`\ge 2` (Murray 2017, Hulin
   2016), or :math:`m > 2` with ratio :math:`\ge 1.5`. Strain is reported, not thresholded: its
   scale depends on the load unit and Foster found individual thresholds.
4. ``chronic_fatigue`` (:func:`series_risks`): the fitness-fatigue balance
   ``fitness_fatigue_balance`` below :math:`-\epsilon` without interruption for 7 days
   (moderate) or 14 days (high); HRV suppression (Plews 2013): the rolling 7-day mean of
   :math:`\ln` ``rmssd`` (ms; at least 3 valid samples) below the baseline mean minus the
   smallest worthwhile change :math:`0.5\,\max(s_b, s_{min})`, baseline = mean and SD of
   :math:`\ln` RMSSD over the first 7 days, judged only after them (moderate); both markers
   at once (suppressed HRV with the balance negative for 7 days): high.
5. ``inflammation`` (:func:`series_risks`): the ``inflammation`` index :math:`\ge 0.5`
   (moderate) or :math:`\ge 1` (high), or ``il6_plasma`` :math:`\ge 3.19` pg/mL (moderate,
   Harris 1999), each held without interruption for 24 h.
6. ``hypoglycaemia`` (:func:`series_risks`): ``glucose_plasma`` (mg/dL, the model's unit)
   below 70 mg/dL (3.9 mmol/L, level 1: moderate) or 54 mg/dL (3.0 mmol/L, level 2: high),
   IHSG 2017; the message says whether during exercise when ``exercise_on`` is given.
7. ``fall`` (:func:`assessment_risks`): usual gait speed < 1.0 m/s (low, Studenski 2011) or
   :math:`\le 0.8` m/s (moderate, EWGSOP2); SPPB :math:`\le 9` (moderate) or :math:`\le 6` (high)
   (Welch 2021); five chair stands > 15 s (moderate, Buatois 2008) or unable / > 60 s (high; the
   SPPB scores both 0); grip below the EWGSOP2 cut-off of the subject's sex (moderate). The
   latest result of each test holds until it is repeated; the level is the worst of them.

Series must be in the model's units (:data:`SERIES_UNITS`); NaN samples are missing values,
and a series that is absent skips the criteria that use it. Bad input (wrong shapes, negative
loads, unknown subjects, non-finite times) raises :class:`~myoaxis.core.errors.ScenarioError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pint

from myoaxis.assess.clinical import clinical_norms
from myoaxis.assess.mvc import KG_FORCE
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.core.parameters import ParameterSet
from myoaxis.core.units import ureg
from myoaxis.physiology.adaptation.performance import BALANCE

SEVERITIES = ("low", "moderate", "high")  # levels 1, 2, 3
RISKS = (
    "overexertion",
    "workload_spike",
    "injury",
    "chronic_fatigue",
    "inflammation",
    "hypoglycaemia",
    "fall",
)
RMSSD = "rmssd"
INFLAMMATION = "inflammation"
IL6 = "il6_plasma"
GLUCOSE = "glucose_plasma"
EXERCISE_ON = "exercise_on"
SERIES_UNITS = {
    BALANCE: "dimensionless",
    RMSSD: "ms",
    INFLAMMATION: "dimensionless",
    IL6: "pg/mL",
    GLUCOSE: "mg/dL",
    EXERCISE_ON: "dimensionless",
}
FALL_TESTS = {
    "gait_speed": "m/s",
    "sppb": "dimensionless",
    "chair_stand": "s",
    "grip_strength": "kg",
}
DAY = 86400.0
GLUCOSE_MG_DL_PER_MMOL_L = 18.016  # glucose molar mass 180.16 g/mol
LOW, MODERATE, HIGH = 1, 2, 3
CITATIONS = (  # every source the rules above rest on
    "gabbett2016",
    "foster2001",
    "hulin2016",
    "williams2017",
    "murray2017",
    "foster1998",
    "meeusen2013",
    "plews2013",
    "harris1999",
    "ihsg2017",
    "studenski2011",
    "cruzjentoft2019",
    "welch2021",
    "buatois2008",
    "garber2011",
    "brzycki1993",
    "grgic2022",
    "gray2009",
)


# ------------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class RiskParameters:
    """Thresholds of every risk, ``(S,)`` each; windows that set array lengths are one number
    for the batch (floats, in seconds or days as named)."""

    load_moderate: np.ndarray  # fraction of current capacity
    load_high: np.ndarray
    failed_sets_moderate: np.ndarray  # sets to failure per session
    failed_sets_high: np.ndarray
    aerobic_moderate: np.ndarray  # fraction of VO2max
    aerobic_high: np.ndarray
    aerobic_min_duration: np.ndarray  # s
    acwr_moderate: np.ndarray
    acwr_high: np.ndarray
    acwr_very_high: np.ndarray
    monotony_threshold: np.ndarray
    monotony_cap: np.ndarray
    balance_moderate_days: np.ndarray  # day
    balance_high_days: np.ndarray  # day
    balance_tolerance: np.ndarray
    hrv_min_baseline_sd: np.ndarray  # ln units
    hrv_swc_sd: np.ndarray  # smallest worthwhile change, baseline SDs
    hrv_min_valid: np.ndarray  # samples in the rolling window
    index_moderate: np.ndarray
    index_high: np.ndarray
    il6_moderate: np.ndarray  # pg/mL
    sustain: np.ndarray  # s
    glucose_level1: np.ndarray  # mg/dL
    glucose_level2: np.ndarray  # mg/dL
    gait_speed_low: np.ndarray  # m/s
    gait_speed_moderate: np.ndarray  # m/s
    sppb_moderate: np.ndarray
    sppb_high: np.ndarray
    chair_stand_moderate: np.ndarray  # s
    chair_stand_high: np.ndarray  # s (slower, or unable: high)
    grip_female: np.ndarray  # kg, low grip below (strict)
    grip_male: np.ndarray  # kg
    session_gap: float  # s
    acute_days: float  # day
    chronic_days: float  # day
    monotony_days: float  # day
    hrv_baseline_days: float  # day
    hrv_rolling_days: float  # day

    @property
    def n_subjects(self) -> int:
        return len(self.load_moderate)

    @classmethod
    def from_values(
        cls, values: Callable[[str, str], np.ndarray], norms: ParameterSet | None = None
    ) -> RiskParameters:
        """Build from ``values(name, unit) -> (S,)`` (e.g. ``Body.values``); the HRV
        convention (``readiness.*``), the EWGSOP2 grip cut-offs and the SPPB chair-stand limit
        come from the clinical norms (``norms``, default the shipped ones)."""
        norms = clinical_norms() if norms is None else norms

        def v(name: str, unit: str = "dimensionless") -> np.ndarray:
            return np.atleast_1d(np.asarray(values(f"risk.{name}", unit), dtype=float))

        n = len(v("overexertion.load_moderate"))

        def norm(name: str, unit: str = "dimensionless") -> np.ndarray:
            return np.full(n, norms.value_in(name, unit))

        def batch(arr: np.ndarray, name: str) -> float:
            if not np.all(arr == arr[0]):
                raise ParameterError(f"risk: {name} must be equal across a batch")
            return float(arr[0])

        p = cls(
            load_moderate=v("overexertion.load_moderate"),
            load_high=v("overexertion.load_high"),
            failed_sets_moderate=v("overexertion.failed_sets_moderate"),
            failed_sets_high=v("overexertion.failed_sets_high"),
            aerobic_moderate=v("overexertion.aerobic_moderate"),
            aerobic_high=v("overexertion.aerobic_high"),
            aerobic_min_duration=v("overexertion.aerobic_min_duration", "s"),
            acwr_moderate=v("workload.acwr_moderate"),
            acwr_high=v("workload.acwr_high"),
            acwr_very_high=v("workload.acwr_very_high"),
            monotony_threshold=v("injury.monotony_threshold"),
            monotony_cap=v("injury.monotony_cap"),
            balance_moderate_days=v("chronic_fatigue.balance_moderate_days", "day"),
            balance_high_days=v("chronic_fatigue.balance_high_days", "day"),
            balance_tolerance=v("chronic_fatigue.balance_tolerance"),
            hrv_min_baseline_sd=v("chronic_fatigue.hrv_min_baseline_sd"),
            hrv_swc_sd=norm("readiness.swc_sd"),
            hrv_min_valid=norm("readiness.min_valid_days"),
            index_moderate=v("inflammation.index_moderate"),
            index_high=v("inflammation.index_high"),
            il6_moderate=v("inflammation.il6_moderate", "pg/mL"),
            sustain=v("inflammation.sustain", "s"),
            glucose_level1=v("hypoglycaemia.level1", "mg/dL"),
            glucose_level2=v("hypoglycaemia.level2", "mg/dL"),
            gait_speed_low=v("fall.gait_speed_low", "m/s"),
            gait_speed_moderate=v("fall.gait_speed_moderate", "m/s"),
            sppb_moderate=v("fall.sppb_moderate"),
            sppb_high=v("fall.sppb_high"),
            chair_stand_moderate=v("fall.chair_stand_moderate", "s"),
            chair_stand_high=norm("sppb.chair_limit", "s"),
            grip_female=norm("ewgsop2.grip_female", "kg"),
            grip_male=norm("ewgsop2.grip_male", "kg"),
            session_gap=batch(v("overexertion.session_gap", "s"), "overexertion.session_gap"),
            acute_days=batch(v("workload.acute_days", "day"), "workload.acute_days"),
            chronic_days=batch(v("workload.chronic_days", "day"), "workload.chronic_days"),
            monotony_days=batch(v("injury.monotony_days", "day"), "injury.monotony_days"),
            hrv_baseline_days=batch(
                v("chronic_fatigue.hrv_baseline_days", "day"), "chronic_fatigue.hrv_baseline_days"
            ),
            hrv_rolling_days=batch(norm("readiness.rolling_days", "day"), "readiness.rolling_days"),
        )
        p.check()
        return p

    def check(self) -> None:
        """Shapes, signs and the order of each pair of cut-offs."""
        n = self.n_subjects
        for f in fields(self):
            x = getattr(self, f.name)
            arr = np.asarray(x, dtype=float)
            if isinstance(x, np.ndarray) and x.shape != (n,):
                raise ParameterError(f"risk: {f.name} has shape {x.shape}, expected ({n},)")
            if not np.all(np.isfinite(arr)) or np.any(arr < 0):
                raise ParameterError(f"risk: {f.name} must be finite and >= 0, got {x!r}")
        rising = [
            ("load_moderate", "load_high"),
            ("failed_sets_moderate", "failed_sets_high"),
            ("aerobic_moderate", "aerobic_high"),
            ("acwr_moderate", "acwr_high"),
            ("acwr_high", "acwr_very_high"),
            ("balance_moderate_days", "balance_high_days"),
            ("index_moderate", "index_high"),
            ("chair_stand_moderate", "chair_stand_high"),
        ]
        falling = [
            ("glucose_level1", "glucose_level2"),
            ("gait_speed_low", "gait_speed_moderate"),
            ("sppb_moderate", "sppb_high"),
        ]
        for lower, upper in rising + [(b, a) for a, b in falling]:
            if np.any(getattr(self, lower) > getattr(self, upper)):
                raise ParameterError(f"risk: {lower} must not exceed {upper}")
        if self.chronic_days < self.acute_days or self.acute_days <= 0:
            raise ParameterError("risk: need 0 < workload.acute_days <= workload.chronic_days")
        if min(self.monotony_days, self.hrv_baseline_days, self.hrv_rolling_days) <= 0:
            raise ParameterError("risk: monotony, HRV baseline and rolling windows must be > 0")


# ------------------------------------------------------------------------------- the emitter


@dataclass(frozen=True)
class _Criterion:
    """One way a risk reaches a level: ``level``, the reported ``value`` and the ``threshold``
    of the level reached, all ``(S, T)``, and the sentence for sample ``(s, t)``."""

    level: np.ndarray
    value: np.ndarray
    threshold: np.ndarray
    message: Callable[[int, int], str]


def _graded(value: np.ndarray, cuts: Sequence[tuple[int, np.ndarray, Callable]]):
    """Level and threshold reached by ``value`` (S, T): ``cuts`` are (level, threshold (S,),
    comparison) in rising severity; NaN reaches no level."""
    level = np.zeros(value.shape, dtype=np.int8)
    threshold = np.full(value.shape, np.nan)
    with np.errstate(invalid="ignore"):
        for lev, th, op in cuts:
            hit = op(value, th[:, None])
            level = np.where(hit, lev, level).astype(np.int8)
            threshold = np.where(hit, th[:, None], threshold)
    return level, threshold


def _emit(
    risk: str,
    times: np.ndarray,
    criteria: Sequence[_Criterion],
    reset: np.ndarray | None = None,
) -> list[dict[str, Any]]:
    """Events where the worst level of ``criteria`` rises above the previous sample's level
    (treated as 0 where ``reset``); ``times`` is (T,) or (S, T)."""
    if not criteria:
        return []
    levels = np.stack([c.level for c in criteria])  # (C, S, T)
    worst = levels.max(axis=0)
    if worst.size == 0:
        return []
    previous = np.concatenate([np.zeros_like(worst[:, :1]), worst[:, :-1]], axis=1)
    if reset is not None:
        previous = np.where(reset, 0, previous)
    times = np.broadcast_to(times, worst.shape)
    events = []
    for s, t in zip(*np.nonzero(worst > previous), strict=True):
        lev = int(worst[s, t])
        c = criteria[int(np.argmax(levels[:, s, t] == lev))]
        events.append(
            {
                "subject": int(s),
                "kind": "risk",
                "risk": risk,
                "severity": SEVERITIES[lev - 1],
                "time_s": float(times[s, t]),
                "message": c.message(int(s), int(t)),
                "value": float(c.value[s, t]),
                "threshold": float(c.threshold[s, t]),
            }
        )
    return events


def _run_duration(times: np.ndarray, cond: np.ndarray) -> np.ndarray:
    """Seconds that ``cond`` (S, T) has held without interruption up to each sample, counted
    from its first sample in the run (0 where it does not hold)."""
    idx = np.arange(cond.shape[1])
    last_false = np.maximum.accumulate(np.where(cond, -1, idx), axis=1)
    start = np.minimum(last_false + 1, cond.shape[1] - 1)
    return np.where(cond, times[None, :] - times[start], 0.0)


def _sorted_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(events, key=lambda e: (e["time_s"], e["subject"], RISKS.index(e["risk"])))


# ------------------------------------------------------------------------------ record input


def _number(record: Mapping, key: str, where: str) -> float:
    if key not in record:
        raise ScenarioError(f"{where}: missing {key!r}")
    try:
        x = float(record[key])
    except (TypeError, ValueError):
        raise ScenarioError(f"{where}: {key} must be a number, got {record[key]!r}") from None
    if not np.isfinite(x):
        raise ScenarioError(f"{where}: {key} must be finite, got {record[key]!r}")
    return x


def _subject(record: Mapping, where: str, n_subjects: int) -> int:
    s = record.get("subject")
    if isinstance(s, bool) or not isinstance(s, int | np.integer) or not 0 <= s < n_subjects:
        raise ScenarioError(
            f"{where}: subject must be an integer in 0..{n_subjects - 1}, got {s!r}"
        )
    return int(s)


def _padded(rows: list[tuple[int, float, tuple]], n_subjects: int, width: int):
    """Rows (subject, time, fields) as per-subject time-sorted (S, N) arrays, NaN-padded:
    times and one array per field."""
    per = [sorted((r for r in rows if r[0] == s), key=lambda r: r[1]) for s in range(n_subjects)]
    n = max((len(p) for p in per), default=0)
    times = np.full((n_subjects, n), np.nan)
    cols = np.full((width, n_subjects, n), np.nan)
    for s, p in enumerate(per):
        for k, (_, t, f) in enumerate(p):
            times[s, k] = t
            cols[:, s, k] = f
    return times, cols


def _sessions(times: np.ndarray, gap: float) -> np.ndarray:
    """Session starts of time-sorted (S, N) item times: the first item and every item more
    than ``gap`` after the one before (padding starts sessions of its own)."""
    gaps = np.diff(times, axis=1, prepend=-np.inf)
    with np.errstate(invalid="ignore"):
        return ~(gaps <= gap)


# ------------------------------------------------------------------------------ overexertion


def set_risks(sets: Sequence[Mapping], params: RiskParameters) -> list[dict[str, Any]]:
    """``overexertion`` events of resistance sets, each ``{"subject", "time_s", "load_n",
    "capacity_n", "failed"}``: load (N) against the subject's current capacity (1RM or maximal
    force, N) and sets to failure counted per session (see the module docstring)."""
    p = params
    rows = []
    for i, r in enumerate(sets):
        where = f"resistance set {i}"
        s = _subject(r, where, p.n_subjects)
        t = _number(r, "time_s", where)
        load = _number(r, "load_n", where)
        cap = _number(r, "capacity_n", where)
        if load < 0 or cap <= 0:
            raise ScenarioError(f"{where}: need load_n >= 0 and capacity_n > 0 (N)")
        failed = r.get("failed", False)
        if not isinstance(failed, bool | np.bool_):
            raise ScenarioError(f"{where}: failed must be true or false, got {failed!r}")
        rows.append((s, t, (load, cap, float(failed))))
    times, (load, cap, failed) = _padded(rows, p.n_subjects, 3)
    start = _sessions(times, p.session_gap)
    ratio = load / cap
    done = np.cumsum(np.nan_to_num(failed), axis=1)  # failed sets so far, all sessions
    first = np.maximum.accumulate(np.where(start, np.arange(start.shape[1]), 0), axis=1)
    before = np.take_along_axis(done - np.nan_to_num(failed), first, axis=1)
    count = np.where(np.isnan(times), np.nan, done - before)  # ... in this set's session
    ge = np.greater_equal
    lev_load, th_load = _graded(ratio, [(MODERATE, p.load_moderate, ge), (HIGH, p.load_high, ge)])
    lev_fail, th_fail = _graded(
        count, [(MODERATE, p.failed_sets_moderate, ge), (HIGH, p.failed_sets_high, ge)]
    )

    def load_msg(s: int, t: int) -> str:
        return (
            f"A set at {load[s, t]:.0f} N was {100 * ratio[s, t]:.0f} % of the current "
            f"capacity ({cap[s, t]:.0f} N), at or above the {100 * th_load[s, t]:.0f} % "
            "threshold for overexertion."
        )

    def fail_msg(s: int, t: int) -> str:
        return (
            f"{count[s, t]:.0f} sets were taken to failure in this session, at or above the "
            f"threshold of {th_fail[s, t]:.0f} failed sets for overexertion."
        )

    criteria = [
        _Criterion(lev_load, ratio, th_load, load_msg),
        _Criterion(lev_fail, count, th_fail, fail_msg),
    ]
    return _emit("overexertion", times, criteria, reset=start)


def aerobic_risks(bouts: Sequence[Mapping], params: RiskParameters) -> list[dict[str, Any]]:
    """``overexertion`` events of aerobic bouts, each ``{"subject", "time_s", "intensity",
    "duration_s"}`` with ``intensity`` the fraction of the subject's current VO2max; bouts
    shorter than ``aerobic_min_duration`` do not count (see the module docstring)."""
    p = params
    rows = []
    for i, r in enumerate(bouts):
        where = f"aerobic bout {i}"
        s = _subject(r, where, p.n_subjects)
        t = _number(r, "time_s", where)
        intensity = _number(r, "intensity", where)
        duration = _number(r, "duration_s", where)
        if intensity < 0 or duration < 0:
            raise ScenarioError(f"{where}: intensity and duration_s must be >= 0")
        rows.append((s, t, (intensity, duration)))
    times, (intensity, duration) = _padded(rows, p.n_subjects, 2)
    start = _sessions(times, p.session_gap)
    with np.errstate(invalid="ignore"):
        counted = np.where(duration >= p.aerobic_min_duration[:, None], intensity, np.nan)
    ge = np.greater_equal
    level, threshold = _graded(
        counted, [(MODERATE, p.aerobic_moderate, ge), (HIGH, p.aerobic_high, ge)]
    )

    def message(s: int, t: int) -> str:
        return (
            f"An aerobic bout of {duration[s, t] / 60:.0f} min at {100 * intensity[s, t]:.0f} % "
            f"of VO2max was at or above the {100 * threshold[s, t]:.0f} % VO2max threshold for "
            "overexertion."
        )

    return _emit(
        "overexertion", times, [_Criterion(level, intensity, threshold, message)], reset=start
    )


# --------------------------------------------------------------------------- training loads


def ewma(daily_loads: np.ndarray, days: float) -> np.ndarray:
    """Exponentially weighted moving average of daily loads (S, D) with time constant
    ``days`` (Williams 2017): :math:`E_d = \\lambda L_d + (1-\\lambda) E_{d-1}`,
    :math:`\\lambda = 2/(N+1)`, :math:`E_{-1} = 0`."""
    lam = 2.0 / (days + 1.0)
    out = np.empty_like(daily_loads, dtype=float)
    e = np.zeros(daily_loads.shape[0])
    for d in range(daily_loads.shape[1]):
        e = lam * daily_loads[:, d] + (1.0 - lam) * e
        out[:, d] = e
    return out


def rolling_mean(daily_loads: np.ndarray, days: float) -> np.ndarray:
    """Mean daily load over the last ``days`` days, today included (S, D); days before the
    first count as 0."""
    n = round(days)
    csum = np.concatenate([np.zeros((daily_loads.shape[0], n)), daily_loads], axis=1).cumsum(1)
    return (csum[:, n:] - csum[:, :-n]) / n


ACWR_METHODS = ("rolling", "ewma")


def acute_chronic_ratio(
    daily_loads: np.ndarray,
    acute_days: float = 7.0,
    chronic_days: float = 28.0,
    method: str = "rolling",
) -> np.ndarray:
    """Acute:chronic workload ratio (S, D) of daily loads (S, D).

    ``"rolling"``: mean daily load of the last ``acute_days`` over that of the last
    ``chronic_days``, both including today (the coupled rolling average of Hulin 2016 and the
    studies behind Gabbett 2016's bands); a steady weekly schedule gives exactly 1 whatever its
    days. ``"ewma"``: the ratio of exponentially weighted moving averages (Williams 2017,
    :func:`ewma`), which swings within the week when sessions are sparse (steady once-weekly
    training reaches 1.7 on its session days). History starts at a subject's first day with a
    load (earlier loads are unknown and the averages only show their ramp-up): NaN before
    ``chronic_days`` days of it and where the chronic load is 0."""
    if method == "rolling":
        acute = rolling_mean(daily_loads, acute_days)
        chronic = rolling_mean(daily_loads, chronic_days)
    elif method == "ewma":
        acute = ewma(daily_loads, acute_days)
        chronic = ewma(daily_loads, chronic_days)
    else:
        raise ScenarioError(
            f"acute:chronic ratio: unknown method {method!r}; expected one of "
            f"{', '.join(ACWR_METHODS)}"
        )
    d = np.arange(daily_loads.shape[1])
    loaded = daily_loads > 0
    first = np.where(loaded.any(axis=1), loaded.argmax(axis=1) if d.size else 0, d.size)
    enough = d[None, :] - first[:, None] + 1 >= chronic_days
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(enough & (chronic > 0), acute / chronic, np.nan)


def training_monotony(
    daily_loads: np.ndarray, days: int = 7, cap: float | np.ndarray = 10.0
) -> tuple[np.ndarray, np.ndarray]:
    """Foster's (1998) monotony (mean / sample SD of the last ``days`` daily loads, capped at
    ``cap``; 0 for an idle window) and strain (window load x monotony), both (S, D); NaN
    before a full window."""
    n = int(days)
    s, d = daily_loads.shape
    monotony = np.full((s, d), np.nan)
    strain = np.full((s, d), np.nan)
    if d >= n and n >= 2:
        windows = np.lib.stride_tricks.sliding_window_view(daily_loads, n, axis=1)  # (S, D-n+1, n)
        mean = windows.mean(axis=2)
        sd = windows.std(axis=2, ddof=1)
        cap = np.broadcast_to(np.asarray(cap, dtype=float), (s,))[:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            m = np.where(mean > 0, np.minimum(mean / sd, cap), 0.0)
        monotony[:, n - 1 :] = m
        strain[:, n - 1 :] = windows.sum(axis=2) * m
    return monotony, strain


def _daily(sessions: Sequence[Mapping], params: RiskParameters, start_s: float):
    """Daily loads (S, D) and each day's event time (S, D): its last session, else its start."""
    rows = []
    for i, r in enumerate(sessions):
        where = f"training session {i}"
        s = _subject(r, where, params.n_subjects)
        t = _number(r, "time_s", where)
        load = _number(r, "load", where)
        if load < 0:
            raise ScenarioError(f"{where}: load must be >= 0, got {load:g}")
        if t < start_s:
            raise ScenarioError(f"{where}: time_s {t:g} is before the start {start_s:g} s")
        rows.append((s, t, load))
    n_days = max((int((t - start_s) // DAY) + 1 for _, t, _ in rows), default=0)
    loads = np.zeros((params.n_subjects, n_days))
    when = start_s + DAY * np.tile(np.arange(n_days, dtype=float), (params.n_subjects, 1))
    for s, t, load in sorted(rows, key=lambda r: r[1]):
        d = int((t - start_s) // DAY)
        loads[s, d] += load
        when[s, d] = t
    return loads, when


def workload_risks(
    sessions: Sequence[Mapping],
    params: RiskParameters,
    start_s: float = 0.0,
    method: str = "rolling",
) -> list[dict[str, Any]]:
    """``workload_spike`` and ``injury`` events from session loads, each ``{"subject",
    "time_s", "load"}`` (load >= 0 in any consistent unit, e.g. session RPE x minutes).

    Days run from ``start_s`` (the scenario start); an event is stamped with the day's last
    session (a rest day's with the day's start). No ratio exists before ``chronic_days`` days
    since the subject's first session or with a chronic load of 0, so the ratio criteria stay
    silent then; monotony needs a full ``monotony_days`` window. ``method``: ``"rolling"``
    (default) or ``"ewma"``, see :func:`acute_chronic_ratio`."""
    p = params
    loads, when = _daily(sessions, p, start_s)
    acwr = acute_chronic_ratio(loads, p.acute_days, p.chronic_days, method)
    monotony, strain = training_monotony(loads, round(p.monotony_days), p.monotony_cap)
    gt, ge = np.greater, np.greater_equal
    level, threshold = _graded(acwr, [(MODERATE, p.acwr_moderate, gt), (HIGH, p.acwr_high, ge)])
    a, c = round(p.acute_days), round(p.chronic_days)
    kind = "rolling" if method == "rolling" else "exponentially weighted"

    def spike_msg(s: int, t: int) -> str:
        above = "above" if level[s, t] == MODERATE else "at or above"
        return (
            f"The acute:chronic workload ratio ({a}-day vs {c}-day {kind} averages of session "
            f"loads) reached {acwr[s, t]:.2f}, {above} the {threshold[s, t]:.2f} threshold for a "
            "load spike."
        )

    spike = _emit("workload_spike", when, [_Criterion(level, acwr, threshold, spike_msg)])

    lev_ratio, th_ratio = _graded(acwr, [(MODERATE, p.acwr_high, ge), (HIGH, p.acwr_very_high, ge)])
    with np.errstate(invalid="ignore"):
        monotonous = monotony > p.monotony_threshold[:, None]
    combined = np.where(monotonous, acwr, np.nan)
    lev_comb, th_comb = _graded(
        combined, [(MODERATE, p.acwr_moderate, gt), (HIGH, p.acwr_high, ge)]
    )
    lev_mono = np.where(monotonous, LOW, 0).astype(np.int8)
    th_mono = np.broadcast_to(p.monotony_threshold[:, None], monotony.shape)
    week = round(p.monotony_days)

    def context(s: int, t: int) -> str:
        return f"{week}-day monotony {monotony[s, t]:.2f}, strain {strain[s, t]:.0f}"

    def ratio_msg(s: int, t: int) -> str:
        return (
            f"The acute:chronic workload ratio reached {acwr[s, t]:.2f}, at or above the "
            f"{th_ratio[s, t]:.2f} threshold for musculoskeletal injury risk "
            f"({context(s, t)})."
        )

    def comb_msg(s: int, t: int) -> str:
        return (
            f"The acute:chronic workload ratio of {acwr[s, t]:.2f} (threshold "
            f"{th_comb[s, t]:.2f}) came with monotonous training ({context(s, t)}; monotony "
            f"threshold {p.monotony_threshold[s]:.1f}), raising musculoskeletal injury risk."
        )

    def mono_msg(s: int, t: int) -> str:
        return (
            f"Training was monotonous ({context(s, t)}), above the monotony threshold of "
            f"{p.monotony_threshold[s]:.1f}, a risk factor for musculoskeletal injury."
        )

    injury = _emit(
        "injury",
        when,
        [
            _Criterion(lev_ratio, acwr, th_ratio, ratio_msg),
            _Criterion(lev_comb, acwr, th_comb, comb_msg),
            _Criterion(lev_mono, monotony, th_mono, mono_msg),
        ],
    )
    return _sorted_events(spike + injury)


# ----------------------------------------------------------------------------------- series


def _series(times, series: Mapping[str, Any], n_subjects: int) -> tuple[np.ndarray, dict]:
    t = np.asarray(times, dtype=float)
    if t.ndim != 1 or not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise ScenarioError("risk series: times must be a 1-D, finite, strictly increasing array")
    out = {}
    for name in SERIES_UNITS:
        if name not in series or series[name] is None:
            continue
        try:
            a = np.asarray(series[name], dtype=float)
        except (TypeError, ValueError):
            raise ScenarioError(f"risk series {name!r}: expected numbers") from None
        if a.shape != (n_subjects, t.size):
            raise ScenarioError(
                f"risk series {name!r}: shape {a.shape}, expected (subjects, samples) = "
                f"({n_subjects}, {t.size})"
            )
        if np.any(np.isinf(a)):
            raise ScenarioError(f"risk series {name!r}: values must be finite (NaN = missing)")
        out[name] = a
    return t, out


def _chronic_fatigue(t: np.ndarray, x: dict, p: RiskParameters) -> list[dict[str, Any]]:
    criteria = []
    days = None
    if BALANCE in x:
        negative = x[BALANCE] < -p.balance_tolerance[:, None]
        days = _run_duration(t, negative) / DAY
        ge = np.greater_equal
        level, threshold = _graded(
            np.where(negative, days, np.nan),
            [(MODERATE, p.balance_moderate_days, ge), (HIGH, p.balance_high_days, ge)],
        )

        def balance_msg(s: int, u: int) -> str:
            return (
                f"Fatigue has outweighed fitness (negative fitness-fatigue balance) for "
                f"{days[s, u]:.1f} days, at or beyond the {threshold[s, u]:.0f}-day threshold "
                "for chronic fatigue."
            )

        criteria.append(_Criterion(level, days, threshold, balance_msg))
    if RMSSD in x:
        r = x[RMSSD]
        if np.any(r <= 0):
            raise ScenarioError("risk series 'rmssd': values must be > 0 ms (NaN = missing)")
        ln = np.log(r)
        base_mask = t < t[0] + p.hrv_baseline_days * DAY
        in_base = base_mask[None, :] & ~np.isnan(ln)
        n_base = in_base.sum(axis=1)  # a subject without baseline samples is not judged
        total = np.where(in_base, ln, 0.0).sum(axis=1)
        base = np.where(n_base > 0, total / np.maximum(n_base, 1), np.nan)
        spread = np.where(in_base, (ln - base[:, None]) ** 2, 0.0).sum(axis=1)
        sd = np.sqrt(spread / np.maximum(n_base - 1, 1))
        limit = base - p.hrv_swc_sd * np.maximum(sd, p.hrv_min_baseline_sd)
        valid = ~np.isnan(ln)
        csum = np.concatenate([np.zeros((ln.shape[0], 1)), np.cumsum(np.where(valid, ln, 0), 1)], 1)
        ccount = np.concatenate([np.zeros((ln.shape[0], 1)), np.cumsum(valid, 1)], 1)
        lo = np.searchsorted(t, t - p.hrv_rolling_days * DAY, side="right")
        hi = np.arange(t.size) + 1
        count = ccount[:, hi] - ccount[:, lo]
        judged = (~base_mask)[None, :] & (count >= p.hrv_min_valid[:, None])
        with np.errstate(invalid="ignore", divide="ignore"):
            rolling = np.where(judged, (csum[:, hi] - csum[:, lo]) / count, np.nan)
            suppressed = rolling < limit[:, None]
        limit_st = np.broadcast_to(limit[:, None], ln.shape)
        week = p.hrv_rolling_days

        def hrv_msg(s: int, u: int) -> str:
            return (
                f"The {week:.0f}-day mean of ln RMSSD fell to {rolling[s, u]:.2f} (about "
                f"{np.exp(rolling[s, u]):.0f} ms), below the baseline {base[s]:.2f} minus the "
                f"smallest worthwhile change (threshold {limit[s]:.2f}), a sign of "
                "accumulated fatigue."
            )

        hrv_level = np.where(suppressed, MODERATE, 0).astype(np.int8)
        both_level = np.zeros_like(hrv_level)
        if days is not None:
            long_negative = days >= p.balance_moderate_days[:, None]
            both_level = np.where(suppressed & long_negative, HIGH, 0).astype(np.int8)

        def both_msg(s: int, u: int) -> str:
            return (
                f"The {week:.0f}-day mean of ln RMSSD fell to {rolling[s, u]:.2f}, below the "
                f"threshold {limit[s]:.2f}, while fatigue has outweighed fitness for "
                f"{days[s, u]:.1f} days: both markers indicate chronic fatigue."
            )

        criteria.insert(0, _Criterion(both_level, rolling, limit_st, both_msg))
        criteria.append(_Criterion(hrv_level, rolling, limit_st, hrv_msg))
    return _emit("chronic_fatigue", t, criteria)


def _inflammation(t: np.ndarray, x: dict, p: RiskParameters) -> list[dict[str, Any]]:
    criteria = []

    def sustained(value: np.ndarray, cuts: list[tuple[int, np.ndarray]]):
        level = np.zeros(value.shape, dtype=np.int8)
        threshold = np.full(value.shape, np.nan)
        hours = np.zeros(value.shape)
        with np.errstate(invalid="ignore"):
            for lev, th in cuts:
                held = _run_duration(t, value >= th[:, None])
                hit = held >= p.sustain[:, None]
                level = np.where(hit, lev, level).astype(np.int8)
                threshold = np.where(hit, th[:, None], threshold)
                hours = np.where(hit, held / 3600.0, hours)
        return level, threshold, hours

    if INFLAMMATION in x:
        q = x[INFLAMMATION]
        level, threshold, hours = sustained(q, [(MODERATE, p.index_moderate), (HIGH, p.index_high)])

        def index_msg(s: int, u: int) -> str:
            return (
                f"The systemic inflammation index has been at or above {threshold[s, u]:.2f} for "
                f"{hours[s, u]:.0f} h (now {q[s, u]:.2f}; 1 = clinically relevant low-grade "
                "inflammation)."
            )

        criteria.append(_Criterion(level, q, threshold, index_msg))
    if IL6 in x:
        il6 = x[IL6]
        level, threshold, hours = sustained(il6, [(MODERATE, p.il6_moderate)])

        def il6_msg(s: int, u: int) -> str:
            return (
                f"Plasma IL-6 has been at or above {threshold[s, u]:.2f} pg/mL for "
                f"{hours[s, u]:.0f} h (now {il6[s, u]:.2f} pg/mL), a level linked to higher "
                "mortality in older adults."
            )

        criteria.append(_Criterion(level, il6, threshold, il6_msg))
    return _emit("inflammation", t, criteria)


def _hypoglycaemia(t: np.ndarray, x: dict, p: RiskParameters) -> list[dict[str, Any]]:
    if GLUCOSE not in x:
        return []
    g = x[GLUCOSE]
    lt = np.less
    level, threshold = _graded(g, [(MODERATE, p.glucose_level1, lt), (HIGH, p.glucose_level2, lt)])
    exercising = x.get(EXERCISE_ON)
    mmol = GLUCOSE_MG_DL_PER_MMOL_L

    def message(s: int, u: int) -> str:
        name = "level 1 (alert)" if level[s, u] == MODERATE else "level 2 (clinically significant)"
        when = ""
        if exercising is not None and not np.isnan(exercising[s, u]):
            when = " during exercise" if exercising[s, u] > 0.5 else " at rest"
        return (
            f"Plasma glucose fell to {g[s, u] / mmol:.2f} mmol/L ({g[s, u]:.1f} mg/dL){when}, "
            f"below the {threshold[s, u] / mmol:.1f} mmol/L ({threshold[s, u]:.0f} mg/dL) "
            f"threshold of {name} hypoglycaemia."
        )

    return _emit("hypoglycaemia", t, [_Criterion(level, g, threshold, message)])


def series_risks(times, series: Mapping[str, Any], params: RiskParameters) -> list[dict[str, Any]]:
    """``chronic_fatigue``, ``inflammation`` and ``hypoglycaemia`` events from slow-layer series.

    ``times`` (T,) in seconds, strictly increasing; ``series`` maps names to (S, T) arrays in
    :data:`SERIES_UNITS` (other names are ignored, absent ones skip their criteria, NaN is a
    missing sample)."""
    t, x = _series(times, series, params.n_subjects)
    events = _chronic_fatigue(t, x, params) + _inflammation(t, x, params)
    return _sorted_events(events + _hypoglycaemia(t, x, params))


# ------------------------------------------------------------------------------- assessments


def _fall_value(record: Mapping, where: str) -> tuple[str, float] | None:
    """(fall test, value in its :data:`FALL_TESTS` unit) of an assessment record; None if the
    record is not a fall test or was not measured (value None or NaN)."""
    test = record.get("test")
    if test == "MVC" and record.get("muscle") == "grip":
        test = "grip_strength"
    if test not in FALL_TESTS:
        return None
    raw = record.get("value")
    try:
        value = np.nan if raw is None else float(raw)
    except (TypeError, ValueError):
        raise ScenarioError(f"{where}: {test} value must be a number, got {raw!r}") from None
    if np.isnan(value):
        return None
    if value < 0 or (np.isinf(value) and test != "chair_stand"):
        raise ScenarioError(f"{where}: {test} value must be finite and >= 0, got {value:g}")
    target = FALL_TESTS[test]
    unit = record.get("unit") or target
    if np.isinf(value) or unit == target:
        return test, value
    if test == "grip_strength" and unit == "N":
        return test, value / KG_FORCE
    try:
        return test, float(ureg.Quantity(value, unit).to(target).magnitude)
    except (pint.errors.PintError, ValueError, TypeError, AttributeError):
        raise ScenarioError(f"{where}: {test} in {unit!r} does not convert to {target}") from None


def _fall_grade(test: str, value: float, s: int, sex: str | None, p: RiskParameters):
    """(level, threshold, sentence) of one fall-test result of subject ``s``."""
    if test == "gait_speed":
        if value <= p.gait_speed_moderate[s]:
            th = p.gait_speed_moderate[s]
            return MODERATE, th, f"Usual gait speed of {value:.2f} m/s is at or below {th:.1f} m/s"
        if value < p.gait_speed_low[s]:
            th = p.gait_speed_low[s]
            return LOW, th, f"Usual gait speed of {value:.2f} m/s is below {th:.1f} m/s"
    elif test == "sppb":
        for lev, th in ((HIGH, p.sppb_high[s]), (MODERATE, p.sppb_moderate[s])):
            if value <= th:
                return lev, th, f"An SPPB score of {value:.0f} is at or below {th:.0f} points"
    elif test == "chair_stand":
        if value > p.chair_stand_high[s]:
            th = p.chair_stand_high[s]
            return HIGH, th, f"Five chair stands could not be completed within {th:.0f} s"
        if value > p.chair_stand_moderate[s]:
            th = p.chair_stand_moderate[s]
            return MODERATE, th, f"Five chair stands took {value:.1f} s, slower than {th:.0f} s"
    elif test == "grip_strength" and sex is not None:
        th = p.grip_male[s] if sex == "male" else p.grip_female[s]
        if value < th:
            return (
                MODERATE,
                th,
                f"Grip strength of {value:.1f} kg is below the EWGSOP2 cut-off of {th:.0f} kg "
                f"for {'men' if sex == 'male' else 'women'}",
            )
    return 0, np.nan, ""


def assessment_risks(
    records: Sequence[Mapping],
    params: RiskParameters,
    sexes: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """``fall`` events from clinical-test records ``{"subject", "test", "time_s", "value",
    "unit"}``. Tests: ``gait_speed`` (m/s), ``sppb`` (points), ``chair_stand`` (five rises, s;
    ``inf`` = unable), ``grip_strength`` (kg, or N; an ``MVC`` record of the ``grip`` muscle
    counts too). Other tests are ignored; a value of None or NaN is *not measured*. Grip needs
    ``sexes`` (``"female"``/``"male"`` per subject) and is skipped without them. An event for
    an unable chair stand reports the time limit as its value."""
    p = params
    if sexes is not None:
        sexes = list(sexes)
        if len(sexes) != p.n_subjects or any(x not in ("female", "male") for x in sexes):
            raise ScenarioError(
                f"risk: sexes must give 'female' or 'male' for each of {p.n_subjects} subjects"
            )
    rows: list[tuple[int, float, str, float]] = []
    for i, r in enumerate(records):
        where = f"assessment record {i}"
        found = _fall_value(r, where)
        if found is not None:
            rows.append((_subject(r, where, p.n_subjects), _number(r, "time_s", where), *found))
    events = []
    for s in range(p.n_subjects):
        sex = sexes[s] if sexes is not None else None
        mine = sorted((r for r in rows if r[0] == s), key=lambda r: r[1])
        latest: dict[str, int] = {}  # level of each test's latest result
        current = 0
        for t in sorted({r[1] for r in mine}):  # results at the same time count together
            now = {
                test: (value, *_fall_grade(test, value, s, sex, p))
                for _, tr, test, value in mine
                if tr == t
            }
            latest.update({test: g[1] for test, g in now.items()})
            worst = max(latest.values())
            if worst > current:  # a rise is always caused by a result taken now
                value, lev, th, text = next(g for g in now.values() if g[1] == worst)
                events.append(
                    {
                        "subject": s,
                        "kind": "risk",
                        "risk": "fall",
                        "severity": SEVERITIES[lev - 1],
                        "time_s": float(t),
                        "message": f"{text}, a marker of {SEVERITIES[lev - 1]} fall risk.",
                        "value": float(th if np.isinf(value) else value),
                        "threshold": float(th),
                    }
                )
            current = worst
    return _sorted_events(events)


# ------------------------------------------------------------------------------- everything


def assess_risks(
    params: RiskParameters,
    *,
    times=None,
    series: Mapping[str, Any] | None = None,
    sessions: Sequence[Mapping] = (),
    sets: Sequence[Mapping] = (),
    bouts: Sequence[Mapping] = (),
    assessments: Sequence[Mapping] = (),
    sexes: Sequence[str] | None = None,
    start_s: float = 0.0,
    acwr_method: str = "rolling",
) -> list[dict[str, Any]]:
    """Every risk event of a run, sorted by time (then subject, then :data:`RISKS` order):
    :func:`series_risks` (when ``times`` and ``series`` are given), :func:`workload_risks` of
    ``sessions``, :func:`set_risks`, :func:`aerobic_risks` and :func:`assessment_risks`."""
    events: list[dict[str, Any]] = []
    if series is not None:
        if times is None:
            raise ScenarioError("risk: series given without their sample times")
        events += series_risks(times, series, params)
    events += workload_risks(sessions, params, start_s, acwr_method)
    events += set_risks(sets, params)
    events += aerobic_risks(bouts, params)
    events += assessment_risks(assessments, params, sexes)
    return _sorted_events(events)
