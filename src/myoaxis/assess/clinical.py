"""Clinical tests of muscle function, scored as clinicians score them.

Pure, batched functions: inputs are numbers or arrays with a leading subject axis ``(S,)``;
``sex`` is ``"female"``/``"male"`` or a sequence of them, one per subject. The norms and cut-offs
are data (``data/reference/clinical_norms.toml``, sources in ``data/citations/clinical.toml``).

* **Grip centile** (Dodds et al. 2014, Table 2): the 10th/25th/50th/75th/90th centile curves are
  interpolated linearly in age (20-90 y); between the curves the centile is interpolated on the
  normal z scale, :math:`z = z_k + (g - g_k)(z_{k+1} - z_k)/(g_{k+1} - g_k)`, and beyond the
  10th or 90th curve the outer segment is extended (its implied SD,
  :math:`(g_{25} - g_{10})/(z_{25} - z_{10})`); centile :math:`= 100\\,\\Phi(z)`.
* **EWGSOP2** (Cruz-Jentoft et al. 2019): low strength (grip below the sex cut-off, or five chair
  stands > 15 s) is *probable* sarcopenia; with low muscle quantity (ASM or ASM/height²) it is
  *confirmed*; with low physical performance as well (gait speed ≤ 0.8 m/s, SPPB ≤ 8, TUG ≥ 20 s,
  400-m walk ≥ 6 min or not completed) it is *severe*.
* **SPPB** (Guralnik et al. 1994; NIA score sheet): balance 0-4, 4-m walk 0-4, five chair
  stands 0-4; total 0-12.
* **Gait speed**: comfortable speed of healthy adults by decade and sex (Bohannon & Andrews
  2011) and the pooled survival hazard ratio 0.88 per +0.1 m/s (Studenski et al. 2011).
* **30-s chair stand**: normal range (25th-75th centile) by age and sex, 60-94 y (Rikli & Jones
  1999).
* **Readiness** (a practice convention, not a diagnostic): the 7-day rolling mean of morning
  ln RMSSD against the smallest worthwhile change, 0.5 baseline SD (Plews et al. 2013, 2014;
  Vesterinen et al. 2016), and the fall of maximal grip below baseline.

Missing values: ``None`` or NaN means *not measured*. A time of ``inf`` means *unable* (did not
complete the task), which EWGSOP2 and the SPPB count as the worst result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
from scipy.special import ndtr, ndtri

from myoaxis.core.errors import ParameterError, ScenarioError, unknown_name
from myoaxis.core.parameters import ParameterSet

SEXES = ("female", "male")
SARCOPENIA_CATEGORIES = ("not_assessed", "no_sarcopenia", "probable", "confirmed", "severe")
EWGSOP2_CRITERIA = (
    "low_grip",
    "slow_chair_stand",
    "low_asm",
    "low_asm_index",
    "slow_gait",
    "low_sppb",
    "slow_tug",
    "slow_400m_walk",
)
READINESS_STATUSES = ("unknown", "ready", "caution", "rest")
CITATIONS = (
    "dodds2014",
    "cruzjentoft2019",
    "guralnik1994",
    "bohannon2011",
    "studenski2011",
    "rikli1999",
    "plews2013",
    "plews2014",
    "vesterinen2016",
)
NORMS_FILE = Path(str(files("myoaxis") / "data" / "reference" / "clinical_norms.toml"))


@cache
def clinical_norms() -> ParameterSet:
    """The shipped norms and cut-offs (``data/reference/clinical_norms.toml``)."""
    return ParameterSet.from_toml(NORMS_FILE)


def _norms(norms: ParameterSet | None) -> ParameterSet:
    return clinical_norms() if norms is None else norms


# ------------------------------------------------------------------------------------- inputs


def _values(
    x,
    name: str,
    *,
    inf_ok: bool = False,
    zero_ok: bool = True,
    upper: float | None = None,
) -> np.ndarray:
    """``x`` as a float array; None/NaN stay NaN (not measured). Negative (or zero where a
    time must be positive), infinite where not allowed, or above ``upper`` is a ScenarioError."""
    try:
        a = np.asarray(np.nan if x is None else x, dtype=float)
    except (TypeError, ValueError):
        raise ScenarioError(f"{name}: expected numbers, got {x!r}") from None
    bad_low = a < 0 if zero_ok else a <= 0
    if np.any(bad_low):
        what = "negative" if zero_ok else "zero or negative"
        raise ScenarioError(f"{name}: {a[bad_low].flat[0]:g} is {what}")
    if not inf_ok and np.any(np.isinf(a)):
        raise ScenarioError(f"{name}: values must be finite (NaN or None means not measured)")
    if upper is not None and np.any(a > upper):
        raise ScenarioError(f"{name}: {a[a > upper].flat[0]:g} is above the maximum {upper:g}")
    return a


def _sexes(sex: str | Sequence[str] | np.ndarray) -> np.ndarray:
    """``sex`` as a string array (broadcast with the other inputs); unknown values are a
    ScenarioError."""
    s = np.asarray(sex, dtype=object)
    for v in set(s.ravel().tolist()):
        if v not in SEXES:
            raise ScenarioError(unknown_name("sex", str(v), SEXES))
    return s.astype(str)


def _broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ScenarioError(f"inputs have mismatched shapes: {shapes}") from None


def _by_sex(sex: np.ndarray, female, male) -> np.ndarray:
    return np.where(sex == "male", male, female)


def _flag_names(flags: dict[str, np.ndarray]) -> list[tuple[str, ...]]:
    """Per subject, the names of the flags that are True (a report helper, not a kernel)."""
    mat = np.stack([np.atleast_1d(v) for v in flags.values()], -1).reshape(-1, len(flags))
    return [tuple(n for n, on in zip(flags, row, strict=True) if on) for row in mat]


def _out(a: np.ndarray):
    """A 0-d result as a scalar of its type, else the array."""
    return a[()] if a.ndim == 0 else a


# --------------------------------------------------------------------------- grip centiles


def _centile_z(norms: ParameterSet) -> np.ndarray:
    return ndtri(norms["grip_centiles.centiles"].array() / 100.0)


def _grip_curves(age: np.ndarray, sex: np.ndarray, norms: ParameterSet) -> np.ndarray:
    """Grip (kg) of each centile curve at ``age`` for ``sex``: shape ``age.shape + (C,)``."""
    ages = norms["grip_centiles.ages"].array()
    if np.any(np.isnan(age)):
        raise ScenarioError("age_years: NaN; the grip centile needs the subject's age")
    if np.any((age < ages[0]) | (age > ages[-1])):
        bad = age[(age < ages[0]) | (age > ages[-1])].flat[0]
        raise ScenarioError(
            f"age_years: {bad:g} is outside the Dodds 2014 grip table ({ages[0]:g}-{ages[-1]:g} y)"
        )
    centiles = norms["grip_centiles.centiles"].array()
    out = np.empty((*age.shape, centiles.size))
    for s in SEXES:  # two table look-ups, vectorised over subjects
        table = np.stack([norms[f"grip_centiles.{s}_p{c:g}"].array() for c in centiles], axis=-1)
        if np.any(np.diff(table, axis=-1) <= 0):
            raise ParameterError(f"grip_centiles.{s}_p*: centiles must increase at every age")
        curves = np.stack([np.interp(age, ages, table[:, k]) for k in range(centiles.size)], -1)
        out = np.where((sex == s)[..., None], curves, out)
    return out


def grip_centile_curves(
    age_years, sex: str | Sequence[str], norms: ParameterSet | None = None
) -> np.ndarray:
    """Grip strength (kg) of the Dodds 2014 centile curves (10th, 25th, 50th, 75th, 90th) at
    ``age_years``: shape ``(..., 5)``."""
    age, sex_a = _broadcast(age=_values(age_years, "age_years"), sex=_sexes(sex))
    return _grip_curves(age, sex_a, _norms(norms))


def grip_z(grip_kg, age_years, sex: str | Sequence[str], norms: ParameterSet | None = None):
    """Normal z-score of grip strength (kg) for age and sex, from the Dodds 2014 centile curves
    (piecewise linear in z between curves, outer segments extended); NaN grip gives NaN."""
    p = _norms(norms)
    grip, age, sex_a = _broadcast(
        grip=_values(grip_kg, "grip_kg"), age=_values(age_years, "age_years"), sex=_sexes(sex)
    )
    g = _grip_curves(age, sex_a, p)
    zk = _centile_z(p)
    k = np.clip(np.sum(grip[..., None] > g, axis=-1) - 1, 0, zk.size - 2)
    lo = np.take_along_axis(g, k[..., None], -1)[..., 0]
    hi = np.take_along_axis(g, k[..., None] + 1, -1)[..., 0]
    z = zk[k] + (grip - lo) * (zk[k + 1] - zk[k]) / (hi - lo)
    return _out(z)


def grip_centile(grip_kg, age_years, sex: str | Sequence[str], norms: ParameterSet | None = None):
    """Centile (0-100) of grip strength (kg) for age (20-90 y) and sex (Dodds 2014):
    :math:`100\\,\\Phi(z)` of :func:`grip_z`. NaN grip (not measured) gives NaN."""
    return _out(100.0 * ndtr(np.asarray(grip_z(grip_kg, age_years, sex, norms))))


def grip_for_centile(
    centile, age_years, sex: str | Sequence[str], norms: ParameterSet | None = None
):
    """Grip strength (kg) at ``centile`` (0-100, exclusive) for age and sex; the inverse of
    :func:`grip_centile`."""
    p = _norms(norms)
    c = np.asarray(centile, dtype=float)
    if not np.all((c > 0) & (c < 100)):
        raise ScenarioError("centile: must lie strictly between 0 and 100")
    c, age, sex_a = _broadcast(centile=c, age=_values(age_years, "age_years"), sex=_sexes(sex))
    g = _grip_curves(age, sex_a, p)
    zk = _centile_z(p)
    z = ndtri(c / 100.0)
    k = np.clip(np.searchsorted(zk, z, side="right") - 1, 0, zk.size - 2)
    lo = np.take_along_axis(g, k[..., None], -1)[..., 0]
    hi = np.take_along_axis(g, k[..., None] + 1, -1)[..., 0]
    return _out(lo + (z - zk[k]) * (hi - lo) / (zk[k + 1] - zk[k]))


# ---------------------------------------------------------------------------------- EWGSOP2


def _any(criteria: dict[str, np.ndarray], *names: str) -> np.ndarray:
    return np.logical_or.reduce([criteria[n] for n in names])


@dataclass(frozen=True)
class SarcopeniaClassification:
    """EWGSOP2 result per subject: ``category`` (one of :data:`SARCOPENIA_CATEGORIES`) and one
    boolean array per criterion of :data:`EWGSOP2_CRITERIA` (True where it fired; a criterion
    that was not measured never fires)."""

    category: np.ndarray
    criteria: dict[str, np.ndarray]

    @property
    def low_strength(self) -> np.ndarray:
        return _any(self.criteria, "low_grip", "slow_chair_stand")

    @property
    def low_muscle_quantity(self) -> np.ndarray:
        return _any(self.criteria, "low_asm", "low_asm_index")

    @property
    def low_performance(self) -> np.ndarray:
        return _any(self.criteria, "slow_gait", "low_sppb", "slow_tug", "slow_400m_walk")

    def fired(self) -> list[tuple[str, ...]]:
        """The criteria that fired, per subject (a flat list for a single subject)."""
        return _flag_names(self.criteria)


def ewgsop2(
    grip_kg,
    chair_stand_s,
    asm_kg,
    height_m,
    gait_speed_m_s,
    sppb,
    sex: str | Sequence[str],
    *,
    tug_s=None,
    walk_400m_s=None,
    norms: ParameterSet | None = None,
) -> SarcopeniaClassification:
    """EWGSOP2 sarcopenia category of each subject (Cruz-Jentoft et al. 2019).

    ``grip_kg`` maximal grip; ``chair_stand_s`` time of five chair stands (``inf``: unable);
    ``asm_kg`` appendicular skeletal muscle mass; ``height_m``; ``gait_speed_m_s`` usual gait
    speed; ``sppb`` total score 0-12; ``tug_s`` Timed-Up-and-Go; ``walk_400m_s`` 400-m walk time
    (``inf``: not completed). None/NaN means not measured. Pathway: low strength (grip < cut-off
    or chair stand > 15 s) → ``probable``; plus low ASM or ASM/height² → ``confirmed``; plus low
    performance → ``severe``; normal strength → ``no_sarcopenia``; strength not measured at all
    → ``not_assessed``. Cut-offs: ``ewgsop2.*`` in the norms file (strict ``<``/``>`` for
    strength and mass, inclusive ``≤``/``≥`` for performance, as published)."""
    p = _norms(norms)
    arrays = _broadcast(
        grip_kg=_values(grip_kg, "grip_kg"),
        chair_stand_s=_values(chair_stand_s, "chair_stand_s", inf_ok=True, zero_ok=False),
        asm_kg=_values(asm_kg, "asm_kg"),
        height_m=_values(height_m, "height_m", zero_ok=False),
        gait_speed_m_s=_values(gait_speed_m_s, "gait_speed_m_s"),
        sppb=_values(sppb, "sppb", upper=12.0),
        tug_s=_values(tug_s, "tug_s", inf_ok=True, zero_ok=False),
        walk_400m_s=_values(walk_400m_s, "walk_400m_s", inf_ok=True, zero_ok=False),
        sex=_sexes(sex),
    )
    grip, chair, asm, height, speed, score, tug, walk, sex_a = arrays

    def cut(name: str) -> np.ndarray:
        return _by_sex(sex_a, p.value(f"ewgsop2.{name}_female"), p.value(f"ewgsop2.{name}_male"))

    with np.errstate(invalid="ignore"):  # NaN (not measured) compares False: never fires
        criteria = {
            "low_grip": grip < cut("grip"),
            "slow_chair_stand": chair > p.value("ewgsop2.chair_stand"),
            "low_asm": asm < cut("asm"),
            "low_asm_index": asm / height**2 < cut("asm_index"),
            "slow_gait": speed <= p.value("ewgsop2.gait_speed"),
            "low_sppb": score <= p.value("ewgsop2.sppb"),
            "slow_tug": tug >= p.value("ewgsop2.tug"),
            "slow_400m_walk": walk >= p.value("ewgsop2.walk_400m"),
        }
    strength_measured = ~np.isnan(grip) | ~np.isnan(chair)
    probable = _any(criteria, "low_grip", "slow_chair_stand")
    confirmed = probable & _any(criteria, "low_asm", "low_asm_index")
    severe = confirmed & _any(criteria, "slow_gait", "low_sppb", "slow_tug", "slow_400m_walk")
    category = np.select(
        [severe, confirmed, probable, strength_measured],
        ["severe", "confirmed", "probable", "no_sarcopenia"],
        default="not_assessed",
    )
    return SarcopeniaClassification(_out(category), {k: _out(v) for k, v in criteria.items()})


# ------------------------------------------------------------------------------------- SPPB


@dataclass(frozen=True)
class SPPBScore:
    """SPPB component scores and total per subject (integer arrays)."""

    balance: np.ndarray  # 0-4
    gait: np.ndarray  # 0-4
    chair: np.ndarray  # 0-4
    total: np.ndarray  # 0-12


def sppb_score(
    balance_times_s, gait_time_4m_s, chair_time_5_s, norms: ParameterSet | None = None
) -> SPPBScore:
    """Short Physical Performance Battery (Guralnik et al. 1994; NIA score sheet).

    ``balance_times_s``: hold times of the side-by-side, semi-tandem and tandem stances, shape
    ``(3,)`` or ``(S, 3)``; ``gait_time_4m_s``: usual-pace 4-m walk time; ``chair_time_5_s``:
    time of five chair stands. As on the score sheet, a NaN hold (not attempted) counts as
    0 s and a NaN or ``inf`` walk or chair time (not attempted, unable) scores 0. Balance:
    side-by-side held 10 s → 1; then semi-tandem held 10 s → 1; then tandem 10 s → 2,
    3-10 s → 1 (a stance that fails ends the balance test). Walk: < 4.82 s → 4,
    ≤ 6.20 → 3, ≤ 8.70 → 2, slower → 1. Chair: ≤ 11.19 s → 4, ≤ 13.69 → 3, ≤ 16.69 → 2,
    ≤ 60 → 1, slower → 0. Edges: ``sppb.*`` in the norms file."""
    p = _norms(norms)
    bal = _values(balance_times_s, "balance_times_s")
    if bal.ndim not in (1, 2) or bal.shape[-1] != 3:
        raise ScenarioError(
            "balance_times_s: expected the side-by-side, semi-tandem and tandem hold times, "
            f"shape (3,) or (subjects, 3); got {bal.shape}"
        )
    gait = _values(gait_time_4m_s, "gait_time_4m_s", inf_ok=True, zero_ok=False)
    chair = _values(chair_time_5_s, "chair_time_5_s", inf_ok=True, zero_ok=False)
    held, gait, chair = _broadcast(
        balance=np.nan_to_num(bal, nan=0.0)[..., 0], gait=gait, chair=chair
    )
    bal = np.broadcast_to(np.nan_to_num(bal, nan=0.0), (*held.shape, 3))
    hold = p.value("sppb.balance_hold")
    side = bal[..., 0] >= hold
    semi = side & (bal[..., 1] >= hold)
    partial = p.value("sppb.tandem_partial")
    tandem = np.where(semi, np.select([bal[..., 2] >= hold, bal[..., 2] >= partial], [2, 1]), 0)
    balance = side.astype(int) + semi.astype(int) + tandem

    g1, g2, g3 = p["sppb.gait_edges"].array()
    with np.errstate(invalid="ignore"):
        walk = np.select([gait < g1, gait <= g2, gait <= g3, np.isfinite(gait)], [4, 3, 2, 1], 0)
        c1, c2, c3 = p["sppb.chair_edges"].array()
        stands = np.select(
            [chair <= c1, chair <= c2, chair <= c3, chair <= p.value("sppb.chair_limit")],
            [4, 3, 2, 1],
            0,
        )
    return SPPBScore(_out(balance), _out(walk), _out(stands), _out(balance + walk + stands))


# ------------------------------------------------------------------------------- gait speed


def gait_speed_reference(age_years, sex: str | Sequence[str], norms: ParameterSet | None = None):
    """Mean comfortable gait speed (m/s) of healthy adults of the subject's decade stratum
    (20-29, ..., 70-79, 80-99 y) and sex (Bohannon & Andrews 2011)."""
    p = _norms(norms)
    k, sex_a = _age_band(
        p,
        "gait_speed_norms",
        "decade_start",
        age_years,
        sex,
        "gait-speed norms",
        "Bohannon & Andrews 2011",
    )
    speed = _by_sex(
        sex_a,
        p["gait_speed_norms.female"].array()[k],
        p["gait_speed_norms.male"].array()[k],
    )
    return _out(speed)


def _age_band(p, table: str, starts_key: str, age_years, sex, what: str, source: str):
    """Row of each subject's age band in ``table`` (bands start at ``<table>.<starts_key>``
    and the last ends at ``<table>.last_age`` + 1), and the subjects' sexes, broadcast."""
    age = _values(age_years, "age_years")
    starts = p[f"{table}.{starts_key}"].array()
    last = p.value(f"{table}.last_age")
    if np.any(np.isnan(age) | (age < starts[0]) | (age >= last + 1)):
        raise ScenarioError(f"age_years: {what} cover {starts[0]:g}-{last:g} y ({source})")
    age, sex_a = _broadcast(age=age, sex=_sexes(sex))
    return np.searchsorted(starts, age, side="right") - 1, sex_a


def gait_speed_hazard_ratio(gait_speed_m_s, reference_m_s, norms: ParameterSet | None = None):
    """Hazard of death at ``gait_speed_m_s`` relative to ``reference_m_s``:
    :math:`HR^{(v - v_{ref})/0.1}` with the pooled :math:`HR = 0.88` per +0.1 m/s of Studenski
    et al. 2011 (adults ≥ 65 y), applied log-linearly."""
    p = _norms(norms)
    v, ref = _broadcast(
        speed=_values(gait_speed_m_s, "gait_speed_m_s"), ref=_values(reference_m_s, "reference_m_s")
    )
    step = p.value("gait_speed_survival.speed_step")
    return _out(p.value("gait_speed_survival.hazard_ratio") ** ((v - ref) / step))


# ------------------------------------------------------------------------- 30-s chair stand


def chair_stand_30s_reference(
    age_years, sex: str | Sequence[str], norms: ParameterSet | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Normal range (25th, 75th centile) of stands in the 30-s chair-stand test for the
    subject's 5-year age band (60-94 y) and sex (Rikli & Jones 1999)."""
    p = _norms(norms)
    k, sex_a = _age_band(
        p,
        "chair_stand_30s",
        "age_start",
        age_years,
        sex,
        "30-s chair-stand norms",
        "Rikli & Jones 1999",
    )
    lo, hi = (
        _by_sex(
            sex_a,
            p[f"chair_stand_30s.female_{c}"].array()[k],
            p[f"chair_stand_30s.male_{c}"].array()[k],
        )
        for c in ("p25", "p75")
    )
    return _out(lo), _out(hi)


# --------------------------------------------------------------------------------- readiness


@dataclass(frozen=True)
class Readiness:
    """Readiness per subject: ``status`` (one of :data:`READINESS_STATUSES`), the z of the
    rolling ln-RMSSD mean against baseline, the fractional grip decrement, and the flags."""

    status: np.ndarray
    hrv_z: np.ndarray  # (mean ln RMSSD - ln baseline) / baseline SD of ln RMSSD
    grip_decrement: np.ndarray  # 1 - grip / baseline grip
    flags: dict[str, np.ndarray]

    def reasons(self) -> list[tuple[str, ...]]:
        """The flags raised, per subject."""
        return _flag_names(self.flags)


def readiness(
    rmssd_ms,
    rmssd_baseline_ms,
    rmssd_baseline_sd_ms,
    grip_kg,
    grip_baseline_kg,
    norms: ParameterSet | None = None,
) -> Readiness:
    """Training readiness from morning HRV and grip, a practice convention (not a diagnostic).

    ``rmssd_ms``: daily morning RMSSD, shape ``(S, D)`` (last column most recent; NaN = no
    valid recording). HRV: the mean of ln RMSSD over the last 7 days (at least 3 valid, Plews
    2014) against the baseline, in baseline SDs of ln RMSSD,
    :math:`z = (\\overline{\\ln RMSSD} - \\ln b)/(s_b / b)` (the SD of the log taken as the
    coefficient of variation); outside the smallest worthwhile change :math:`|z| > 0.5`
    flags ``hrv_below_swc`` or ``hrv_above_swc`` (Vesterinen 2016 trained hard only within
    it). Grip: :math:`1 - g/g_b > 0.10` flags ``grip_decrement`` (our assumption; grip is a
    weak marker of whole-body fatigue). Status: no flag → ``ready``; one flag → ``caution``; an
    HRV flag and the grip flag → ``rest``; neither marker measured → ``unknown``. Markers not
    measured raise ``hrv_not_measured`` / ``grip_not_measured``."""
    p = _norms(norms)
    r = _values(rmssd_ms, "rmssd_ms", zero_ok=False)
    if r.ndim != 2:
        raise ScenarioError(
            f"rmssd_ms: expected daily values of shape (subjects, days); got {r.shape}"
        )
    days = int(p.value_in("readiness.rolling_days", "day"))
    window = np.log(r[:, -days:])
    valid = np.sum(~np.isnan(window), axis=1)
    enough = valid >= p.value("readiness.min_valid_days")
    mean_ln = np.where(enough, np.nansum(window, axis=1) / np.maximum(valid, 1), np.nan)
    base, sd, grip, grip_base = _broadcast(
        base=_values(rmssd_baseline_ms, "rmssd_baseline_ms", zero_ok=False),
        sd=_values(rmssd_baseline_sd_ms, "rmssd_baseline_sd_ms", zero_ok=False),
        grip=_values(grip_kg, "grip_kg"),
        grip_base=_values(grip_baseline_kg, "grip_baseline_kg", zero_ok=False),
        subjects=mean_ln,
    )[:4]
    mean_ln = np.broadcast_to(mean_ln, base.shape)
    z = (mean_ln - np.log(base)) / (sd / base)
    decrement = 1.0 - grip / grip_base
    swc = p.value("readiness.swc_sd")
    with np.errstate(invalid="ignore"):
        flags = {
            "hrv_below_swc": z < -swc,
            "hrv_above_swc": z > swc,
            "grip_decrement": decrement > p.value("readiness.grip_decrement"),
            "hrv_not_measured": np.isnan(z),
            "grip_not_measured": np.isnan(decrement),
        }
    hrv_flag = flags["hrv_below_swc"] | flags["hrv_above_swc"]
    n_flags = hrv_flag.astype(int) + flags["grip_decrement"].astype(int)
    status = np.select(
        [flags["hrv_not_measured"] & flags["grip_not_measured"], n_flags == 2, n_flags == 1],
        ["unknown", "rest", "caution"],
        default="ready",
    )
    return Readiness(status, z, decrement, flags)
