r"""Finger tapping: paced and maximal-rate tapping bouts driven by the half-centre CPG.

A bout is a phase :math:`\varphi(t)` (cycles) of the Matsuoka oscillator's limit cycle
(:mod:`~myoaxis.physiology.neural.cpg`): phase 0 is the start of the flexor burst and a tap
(finger contact, end of the flexion stroke) occurs at :math:`\varphi = k + \tfrac12`,
:math:`k = 0, 1, \dots`. The flexor/extensor drive of the bout is the limit cycle read at
:math:`\varphi(t)` — the same as integrating the oscillator with its time constants rescaled to
the instantaneous rate, without its start-up transient.

**Paced** at a metronome rate :math:`f`: :math:`\varphi = f t` (taps on the beats at
:math:`(k + \tfrac12)/f`; no asynchrony or timing noise is modelled). A rate above the subject's
maximal rate is refused (:class:`~myoaxis.core.errors.ScenarioError`).

**Maximal rate.** One cycle needs, per half-cycle (flexion, then extension), the agonist's
half-activation and half-deactivation times of first-order activation dynamics plus a minimal
movement time :math:`t_m`:

.. math::
    T_{min} = 2 t_m
        + \ln 2\,(\tau^{f}_{act} + \tau^{f}_{deact} + \tau^{e}_{act} + \tau^{e}_{deact}),
    \qquad f_{max} = 1 / T_{min}.

Within a maximal bout the rate stays at :math:`f_{max}` until an onset :math:`t_0` (7–9 s,
Rodrigues et al. 2009) and then decays exponentially towards a floor :math:`r_\infty` (−40 % over
3 min, Madinabeitia-Mancebo et al. 2020):
:math:`r(t) = r_\infty + (1 - r_\infty)\,e^{-(t - t_0)/\tau_d}`, with :math:`\tau_d` fixed by the
published point :math:`r(20\,\mathrm{s}) = 0.73` (Rodrigues et al. 2009). The phase
:math:`\varphi = f_{max} R(t)`, :math:`R(t) = \int_0^t r`, is inverted for the tap times in closed
form with the Lambert W function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from scipy.special import lambertw

from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.physiology.neural.cpg import LimitCycle

Values = Callable[[str, str], np.ndarray]


@dataclass(frozen=True)
class TappingParameters:
    """Arrays ``(S,)`` in seconds unless stated."""

    flexor_activation: np.ndarray
    flexor_deactivation: np.ndarray
    extensor_activation: np.ndarray
    extensor_deactivation: np.ndarray
    movement_time: np.ndarray  # minimal movement time of one half-cycle
    decline_onset: np.ndarray
    decline_floor: np.ndarray  # fraction of the initial rate
    decline_time: np.ndarray  # time constant of the decline

    @classmethod
    def from_values(cls, values: Values) -> TappingParameters:
        """Build from ``values(name, unit) -> (S,)``. Flexor and extensor use the shared
        ``activation.*`` time constants; the decline time constant is solved from the published
        point ``tapping.decline_reference_*``."""

        def v(name: str, unit: str = "s") -> np.ndarray:
            return np.asarray(values(name, unit), dtype=float)

        onset, floor = v("tapping.decline_onset"), v("tapping.decline_floor", "dimensionless")
        t_ref = v("tapping.decline_reference_time")
        r_ref = v("tapping.decline_reference_fraction", "dimensionless")
        if np.any(~((floor > 0) & (floor < r_ref) & (r_ref < 1) & (t_ref > onset) & (onset >= 0))):
            raise ParameterError(
                "tapping decline parameters need 0 < decline_floor < "
                "decline_reference_fraction < 1 and 0 <= decline_onset < decline_reference_time"
            )
        act, deact = v("activation.time_constant"), v("activation.deactivation_time_constant")
        return cls(
            flexor_activation=act,
            flexor_deactivation=deact,
            extensor_activation=act,
            extensor_deactivation=deact,
            movement_time=v("tapping.movement_time"),
            decline_onset=onset,
            decline_floor=floor,
            decline_time=(t_ref - onset) / np.log((1.0 - floor) / (r_ref - floor)),
        )


def slowed(p: TappingParameters, speed: np.ndarray) -> TappingParameters:
    """``p`` with the half-cycle's movement and switching times divided by ``speed`` ``(S,)``
    in (0, 1], so that the maximal rate is ``speed`` times as high: the slowness of a limb
    whose motor pathway is weakened (a stroke;
    :func:`~myoaxis.physiology.brain.motor_learning.movement_speed_factor`)."""
    return replace(
        p,
        flexor_activation=p.flexor_activation / speed,
        flexor_deactivation=p.flexor_deactivation / speed,
        extensor_activation=p.extensor_activation / speed,
        extensor_deactivation=p.extensor_deactivation / speed,
        movement_time=p.movement_time / speed,
    )


def maximal_rate(p: TappingParameters) -> np.ndarray:
    """Initial maximal tapping rate (Hz), ``1 / T_min``, ``(S,)``."""
    switching = (
        p.flexor_activation + p.flexor_deactivation + p.extensor_activation
    ) + p.extensor_deactivation
    return 1.0 / (2.0 * p.movement_time + np.log(2.0) * switching)


def rate_fraction(p: TappingParameters, times: np.ndarray) -> np.ndarray:
    """Maximal rate ``times (N,)`` s into a bout, as a fraction of the initial rate, ``(S, N)``."""
    u = np.maximum(np.asarray(times, dtype=float)[None, :] - p.decline_onset[:, None], 0.0)
    r = p.decline_floor[:, None]
    return r + (1.0 - r) * np.exp(-u / p.decline_time[:, None])


def _full_rate_time(p: TappingParameters, times: np.ndarray) -> np.ndarray:
    """``R(t) = integral of rate_fraction``: time at the initial rate worth ``t`` s, ``(S, N)``."""
    t = np.asarray(times, dtype=float)[None, :]
    t0, r, tau = (a[:, None] for a in (p.decline_onset, p.decline_floor, p.decline_time))
    u = np.maximum(t - t0, 0.0)
    return np.minimum(t, t0) + r * u + (1.0 - r) * tau * (1.0 - np.exp(-u / tau))


def _invert_full_rate_time(p: TappingParameters, c: np.ndarray) -> np.ndarray:
    """Times ``t`` with ``R(t) = c`` for ``c (S, K)``: Lambert W on the declining branch."""
    t0, r, tau = (a[:, None] for a in (p.decline_onset, p.decline_floor, p.decline_time))
    q = (1.0 - r) / r
    b = (np.maximum(c, t0) - t0) / (r * tau) - q  # rescaled target past the onset (>= -q)
    z = b + lambertw(q * np.exp(-b)).real  # (z - b) e^(z - b) = q e^(-b)
    return np.where(c <= t0, c, t0 + tau * z)


def check_paced_rate(rate: float, p: TappingParameters, where: str = "") -> None:
    """Raise :class:`ScenarioError` if ``rate`` (Hz) is not positive or exceeds a subject's
    maximal tapping rate."""
    pre = f"{where}: " if where else ""
    if not rate > 0:
        raise ScenarioError(f"{pre}tapping rate must be positive (got {rate:g} Hz)")
    fmax = maximal_rate(p)
    bad = np.flatnonzero(rate > fmax)
    if bad.size:
        raise ScenarioError(
            f"{pre}paced tapping at {rate:g} Hz exceeds the maximal tapping rate of subject(s) "
            f"{', '.join(map(str, bad))} ({fmax[bad[0]]:.2f} Hz); choose a rate at or below it"
        )


@dataclass(frozen=True)
class TappingBout:
    """Taps of one bout: ``tap_times (S, K)`` s (NaN-padded, ascending), ``duration`` s, the
    initial rate ``frequency (S,)`` Hz, the decline (None for a paced bout) and, for a bout
    whose drive fell short (:func:`limited`), its phase on a time grid ``(times (N,),
    phase (S, N))``."""

    tap_times: np.ndarray
    duration: float
    frequency: np.ndarray
    decline: TappingParameters | None = None
    phase_grid: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def n_taps(self) -> np.ndarray:
        return np.sum(np.isfinite(self.tap_times), axis=1)

    def commanded_rate(self, times: np.ndarray) -> np.ndarray:
        """Rate (Hz) the bout asks for at ``times (N,)`` (before any shortfall), ``(S, N)``."""
        t = np.asarray(times, dtype=float)
        if self.decline is None:
            return np.repeat(self.frequency[:, None], t.size, axis=1)
        return self.frequency[:, None] * rate_fraction(self.decline, t)

    def phase(self, times: np.ndarray) -> np.ndarray:
        """CPG phase (cycles) at ``times (N,)``, ``(S, N)``."""
        t = np.asarray(times, dtype=float)
        if self.phase_grid is not None:
            grid, phase = self.phase_grid
            return _interp_rows(t, grid, phase)
        full = t[None, :] if self.decline is None else _full_rate_time(self.decline, t)
        return self.frequency[:, None] * full

    def drive(self, cycle: LimitCycle, times: np.ndarray) -> np.ndarray:
        """Normalised flexor/extensor drive ``(S, 2, N)`` at ``times (N,)``."""
        return cycle.drive(self.phase(times))

    def rate_between(self, start: float, end: float) -> np.ndarray:
        """Mean rate (Hz) of the taps in ``[start, end]`` from their intervals:
        ``(n - 1) / (last - first)``; NaN with fewer than two taps, ``(S,)``."""
        t = self.tap_times
        inside = np.isfinite(t) & (t >= start) & (t <= end)
        n = inside.sum(axis=1)
        first = np.where(inside, t, np.inf).min(axis=1)
        last = np.where(inside, t, -np.inf).max(axis=1)
        span = np.where(n >= 2, last - first, 1.0)
        return np.where(n >= 2, (n - 1) / span, np.nan)

    @property
    def achieved_rate(self) -> np.ndarray:
        """Mean tapping rate (Hz) over the whole bout, ``(S,)``."""
        return self.rate_between(0.0, self.duration)

    def initial_rate(self, window: float) -> np.ndarray:
        return self.rate_between(0.0, window)

    def final_rate(self, window: float) -> np.ndarray:
        return self.rate_between(self.duration - window, self.duration)

    def rate_decline(self, window: float) -> np.ndarray:
        """Final over initial rate (each over ``window`` s), ``(S,)``; 1 means no decline."""
        return self.final_rate(window) / self.initial_rate(window)


def _tap_index(frequency: np.ndarray, full_time_end: np.ndarray) -> np.ndarray:
    """Full-rate times ``(k + 1/2) / f`` of every tap that can fall in the bout, ``(S, K)``."""
    k = np.arange(int(np.ceil(np.max(frequency * full_time_end))) + 1)
    return (k[None, :] + 0.5) / frequency[:, None]


def _valid_duration(duration: float, where: str) -> None:
    if not duration > 0:
        pre = f"{where}: " if where else ""
        raise ScenarioError(f"{pre}tapping duration must be positive (got {duration:g} s)")


def paced_bout(rate: float, duration: float, p: TappingParameters, where: str = "") -> TappingBout:
    """Tapping to a metronome at ``rate`` Hz for ``duration`` s (``ScenarioError`` if any
    subject's maximal rate is lower)."""
    _valid_duration(duration, where)
    check_paced_rate(rate, p, where)
    f = np.full(p.movement_time.shape, float(rate))
    taps = _tap_index(f, np.full_like(f, duration))
    return TappingBout(np.where(taps <= duration, taps, np.nan), float(duration), f)


def maximal_bout(duration: float, p: TappingParameters, where: str = "") -> TappingBout:
    """Tapping as fast as possible for ``duration`` s: rate ``maximal_rate`` declining within
    the bout."""
    _valid_duration(duration, where)
    f = maximal_rate(p)
    full_end = _full_rate_time(p, np.array([float(duration)]))[:, 0]
    c = _tap_index(f, full_end)
    taps = _invert_full_rate_time(p, c)
    return TappingBout(
        np.where(c <= full_end[:, None], taps, np.nan), float(duration), f, decline=p
    )


def _interp_rows(x: np.ndarray, grid: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Linear interpolation of each row of ``rows (S, N)`` (on ``grid (N,)``) at ``x (M,)``."""
    j = np.clip(np.searchsorted(grid, x, side="right"), 1, grid.size - 1)
    w = (x - grid[j - 1]) / (grid[j] - grid[j - 1])
    return rows[:, j - 1] + np.clip(w, 0.0, 1.0) * (rows[:, j] - rows[:, j - 1])


def _crossings(grid: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """Times at which each row of the non-decreasing ``phase (S, N)`` on ``grid (N,)`` passes
    ``k + 1/2``, ``(S, K)`` NaN-padded: one sorted search over all rows, each offset by more
    than the largest phase so that rows do not mix."""
    n_sub, n = phase.shape
    top = phase[:, -1]
    k = np.arange(int(np.floor(top.max() - 0.5)) + 1) + 0.5
    offset = (top.max() + 1.0) * np.arange(n_sub)[:, None]
    targets = k[None, :] + offset
    j = np.searchsorted((phase + offset).ravel(), targets.ravel(), side="left")
    local = np.clip(j.reshape(targets.shape) - np.arange(n_sub)[:, None] * n, 1, n - 1)
    rows = np.arange(n_sub)[:, None]
    lo, hi = phase[rows, local - 1], phase[rows, local]
    w = np.clip((k[None, :] - lo) / np.where(hi > lo, hi - lo, 1.0), 0.0, 1.0)
    t = grid[local - 1] + w * (grid[local] - grid[local - 1])
    return np.where(k[None, :] <= top[:, None], t, np.nan)


def limited(bout: TappingBout, times: np.ndarray, fraction: np.ndarray, step: float) -> TappingBout:
    """``bout`` when only ``fraction (S, N)`` of its drive is delivered (held over each sample
    of the regular grid ``times (N,)``): the rate is the commanded one times the fraction, and
    the taps are re-timed on a grid of ``step`` s."""
    fine = np.arange(0.0, bout.duration + 0.5 * step, step)
    dt = times[1] - times[0] if times.size > 1 else bout.duration
    held = fraction[:, np.clip((fine[:-1] / dt + 1e-9).astype(int), 0, times.size - 1)]
    rate = bout.commanded_rate(fine)
    increments = 0.5 * (rate[:, 1:] + rate[:, :-1]) * held * step  # trapezoid x held fraction
    phase = np.concatenate([np.zeros((rate.shape[0], 1)), np.cumsum(increments, axis=1)], axis=1)
    return TappingBout(
        _crossings(fine, phase), bout.duration, bout.frequency, bout.decline, (fine, phase)
    )


@dataclass(frozen=True)
class TappingTest:
    """Finger tapping test: taps counted in a maximal-rate trial of ``duration`` s."""

    taps: np.ndarray  # (S,) count
    duration: float

    @property
    def rate(self) -> np.ndarray:
        """Taps per second over the trial, ``(S,)``."""
        return self.taps / self.duration


def tapping_test(p: TappingParameters, duration: float) -> TappingTest:
    """One trial of the finger tapping test ('Assess tapping')."""
    return TappingTest(maximal_bout(duration, p).n_taps, float(duration))
