r"""Motor-unit pool of Fuglevand, Winter & Patla (1993), event-driven and batched.

Arrays are ``(subjects, units)``. With unit index :math:`i = 1 \dots n`:

* recruitment threshold :math:`RTE_i = e^{a i}`, :math:`a = \ln RR / n`;
* peak rate :math:`PFR_i = PFR_1 - (PFR_1 - PFR_n)\, RTE_i / RTE_n`;
* maximal excitation :math:`E_{max} = RTE_n + (PFR_n - MFR)/g_e`;
* rate coding :math:`FR_i = \min(g_e (E - RTE_i) + MFR,\ PFR_i)` for :math:`E \ge RTE_i`;
* Gaussian renewal discharge, ISI :math:`= (1 + CV z)/FR`, :math:`|z| \le 3.9`;
* twitch :math:`f_i(t) = P_i\, t/T_i\, e^{1 - t/T_i}`, :math:`P_i = e^{b i}`,
  :math:`b = \ln RP / n`, :math:`T_i = T_L (1/P_i)^{\ln RT / \ln RP}`;
* fusion gain :math:`g = 1` for :math:`x = T_i FR_i \le 0.4`, else
  :math:`g = [S(x)/x] / [S(0.4)/0.4]`, :math:`S(x) = 1 - e^{-2 x^3}`.

The twitch sum of one unit is carried exactly by two states,
:math:`A = \sum_s g_s e^{-(t - t_s)/T}` and :math:`C = \sum_s g_s (t - t_s) e^{-(t - t_s)/T}`,
so that the unit force is :math:`(P e / T)\, C`. Between samples :math:`C \leftarrow (C + A h)
e^{-h/T}`, :math:`A \leftarrow A e^{-h/T}`, and a spike at time :math:`t_s` inside a step adds its
contribution at the step's end. Spike times are therefore continuous (no time grid), and the
force is exact at every sample whatever the step ``h``.

Force is normalised by the pool's maximal mean force (every unit at its peak rate), so the
output ``activation`` is 1 at maximal excitation on average; asynchronous ripple can lift it a
few per cent above 1 for a moment.

The cortex commands ``u = E / E_max`` in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from myoaxis.core.errors import ParameterError
from myoaxis.core.rng import SubjectRNG

_Z_CLIP = 3.9  # z-score truncation of the ISI noise (anagamori re-implementation of FWP 1993)
_S04 = (1.0 - np.exp(-2.0 * 0.4**3)) / 0.4  # S(0.4)/0.4 = 0.30035


@dataclass(frozen=True)
class PoolParameters:
    """Fuglevand pool parameters; each field is a float array of shape ``(subjects, 1)``."""

    n_units: int
    recruitment_range: np.ndarray
    min_rate: np.ndarray  # Hz
    peak_rate_first: np.ndarray  # Hz
    peak_rate_last: np.ndarray  # Hz
    rate_gain: np.ndarray  # Hz per excitation unit
    twitch_force_range: np.ndarray
    contraction_time_longest: np.ndarray  # s
    contraction_time_range: np.ndarray
    isi_cv: np.ndarray

    def __post_init__(self) -> None:
        if np.any(self.isi_cv * _Z_CLIP >= 1.0) or np.any(self.isi_cv < 0):
            raise ParameterError(
                f"motor_pool.isi_cv must lie in [0, {1 / _Z_CLIP:.3f}) so that every "
                "inter-spike interval stays positive"
            )
        if np.any(self.recruitment_range <= 1) or np.any(self.twitch_force_range <= 1):
            raise ParameterError("motor_pool recruitment and twitch ranges must exceed 1")


@dataclass(frozen=True)
class PoolProperties:
    """Derived per-unit properties, shape ``(subjects, units)`` (``e_max``: ``(subjects, 1)``)."""

    threshold: np.ndarray  # recruitment threshold excitation RTE
    peak_rate: np.ndarray  # Hz
    twitch_peak: np.ndarray  # normalised so that the pool's maximal mean force is 1
    contraction_time: np.ndarray  # s
    e_max: np.ndarray
    min_rate: np.ndarray
    rate_gain: np.ndarray
    isi_cv: np.ndarray

    @property
    def n_units(self) -> int:
        return self.threshold.shape[1]


def fusion_gain(x: np.ndarray) -> np.ndarray:
    """Fuglevand's twitch-summation gain as a function of ``x = T/ISI``."""
    x = np.asarray(x, dtype=float)
    safe = np.maximum(x, 0.4)
    return np.where(x <= 0.4, 1.0, (1.0 - np.exp(-2.0 * safe**3)) / safe / _S04)


def mean_unit_force(twitch_peak, contraction_time, rate):
    """Steady mean force of a unit firing regularly at ``rate``: ``P e T FR g(T FR)``."""
    x = contraction_time * rate
    return twitch_peak * np.e * x * fusion_gain(x)


def properties(p: PoolParameters) -> PoolProperties:
    """Per-unit thresholds, peak rates, twitch amplitudes and contraction times."""
    i = np.arange(1, p.n_units + 1, dtype=float)[None, :]
    n = float(p.n_units)
    rte = np.exp(np.log(p.recruitment_range) / n * i)
    pfr = p.peak_rate_first - (p.peak_rate_first - p.peak_rate_last) * rte / rte[:, -1:]
    e_max = rte[:, -1:] + (pfr[:, -1:] - p.min_rate) / p.rate_gain
    twitch = np.exp(np.log(p.twitch_force_range) / n * i)
    c = np.log(p.twitch_force_range) / np.log(p.contraction_time_range)
    ct = p.contraction_time_longest * (1.0 / twitch) ** (1.0 / c)
    f_max = mean_unit_force(twitch, ct, pfr).sum(axis=1, keepdims=True)
    return PoolProperties(
        threshold=rte,
        peak_rate=pfr,
        twitch_peak=twitch / f_max,
        contraction_time=ct,
        e_max=e_max,
        min_rate=np.broadcast_to(p.min_rate, rte.shape).copy(),
        rate_gain=np.broadcast_to(p.rate_gain, rte.shape).copy(),
        isi_cv=np.broadcast_to(p.isi_cv, rte.shape).copy(),
    )


def firing_rate(props: PoolProperties, u: np.ndarray) -> np.ndarray:
    """Rate coding (Hz) at normalised excitation ``u`` (shape ``(subjects, 1)``); 0 if silent."""
    e = np.asarray(u, dtype=float).reshape(-1, 1) * props.e_max
    fr = np.minimum(props.rate_gain * (e - props.threshold) + props.min_rate, props.peak_rate)
    return np.where(e >= props.threshold, fr, 0.0)


def steady_force(props: PoolProperties, u: np.ndarray) -> np.ndarray:
    """Deterministic steady normalised force at excitation ``u`` (mean-field of the pool)."""
    return mean_unit_force(props.twitch_peak, props.contraction_time, firing_rate(props, u)).sum(
        axis=1
    )


def recruited_fraction(props: PoolProperties, u: np.ndarray) -> np.ndarray:
    """Fraction of units recruited at excitation ``u``."""
    e = np.asarray(u, dtype=float).reshape(-1, 1) * props.e_max
    return (e >= props.threshold).mean(axis=1)


@dataclass
class PoolState:
    """Mutable state of a batch of pools: next spike times, twitch states ``A``, ``C`` and
    each unit's buffer of standard-normal draws (from its subject's own stream)."""

    next_spike: np.ndarray  # s; +inf while a unit is silent
    a: np.ndarray
    c: np.ndarray
    z: np.ndarray  # (subjects, units, K) buffered standard normal draws, clipped at 3.9
    z_index: np.ndarray  # (subjects, units) next unused draw
    checked_until: float = -np.inf  # time up to which every unit has enough draws

    @classmethod
    def rest(cls, props: PoolProperties, buffer: int = 64) -> PoolState:
        shape = props.threshold.shape
        return cls(
            next_spike=np.full(shape, np.inf),
            a=np.zeros(shape),
            c=np.zeros(shape),
            z=np.zeros((*shape, buffer)),
            z_index=np.full(shape, buffer, dtype=np.int64),  # empty: filled on first use
        )


def _refill(state: PoolState, props: PoolProperties, rng: SubjectRNG, t: float) -> None:
    """Top up the draws of units that might run out before ``t + horizon``.

    A unit fires at most once per ``(1 - 3.9 CV)/PFR`` seconds, so with half a buffer left
    it cannot run dry within ``horizon``. Which units are refilled depends only on their own
    subject's state, so a subject's draws do not depend on the batch it is in.
    """
    k = state.z.shape[2]
    low = (k - state.z_index) < k // 2
    subjects = np.flatnonzero(low.any(axis=1))
    for s in subjects:  # one call per subject that needs draws, not per unit or step
        units = np.flatnonzero(low[s])
        draws = rng.generators[s].standard_normal((units.size, k))
        state.z[s, units] = np.clip(draws, -_Z_CLIP, _Z_CLIP)
        state.z_index[s, units] = 0
    fastest = (props.peak_rate / (1.0 - _Z_CLIP * props.isi_cv)).max()
    state.checked_until = t + (k // 2 - 1) / fastest


def advance(
    state: PoolState,
    props: PoolProperties,
    u: np.ndarray,
    t: float,
    h: float,
    rng: SubjectRNG,
) -> tuple[np.ndarray, np.ndarray]:
    """Advance the pools over ``n`` steps of ``h`` from ``t``.

    ``u`` is the excitation, shape ``(subjects,)`` for one step or ``(subjects, n)``, held
    constant within each step. Returns the normalised pool force at the end of each step,
    ``(subjects,)`` or ``(subjects, n)``, and the spikes each unit fired,
    ``(subjects, units)``.
    """
    u = np.asarray(u, dtype=float)
    single = u.ndim == 1
    u2 = u[:, None] if single else u
    n = u2.shape[1]
    force = np.empty(u2.shape)
    spikes = np.zeros(props.threshold.shape, dtype=np.int64)
    k = 0
    while k < n:
        if t + (k + 1) * h > state.checked_until:
            _refill(state, props, rng, t + k * h)
        steps = min(n - k, max(1, int((state.checked_until - (t + k * h)) / h)))
        _kernel(
            state.next_spike,
            state.a,
            state.c,
            state.z,
            state.z_index,
            props.threshold,
            props.peak_rate,
            props.min_rate,
            props.rate_gain,
            props.e_max[:, 0],
            props.twitch_peak,
            props.contraction_time,
            props.isi_cv,
            u2[:, k : k + steps],
            t + k * h,
            h,
            force[:, k : k + steps],
            spikes,
        )
        k += steps
    return (force[:, 0] if single else force), spikes


@njit(cache=True, parallel=True)
def _kernel(
    next_spike,
    a,
    c,
    z,
    z_index,
    threshold,
    peak_rate,
    min_rate,
    rate_gain,
    e_max,
    twitch_peak,
    ct,
    isi_cv,
    u,
    t0,
    h,
    force,
    spikes,
):  # pragma: no cover - compiled
    """The pool's inner loop (see the module docstring); fills ``force`` and ``spikes``."""
    n_sub, n_units = threshold.shape
    for s in prange(n_sub):  # subjects are independent: one thread each
        decay = np.exp(-h / ct[s])
        gain = twitch_peak[s] * np.e / ct[s]
        for k in range(u.shape[1]):
            t = t0 + k * h
            end = t + h
            e = u[s, k] * e_max[s]
            total = 0.0
            for i in range(n_units):
                c[s, i] = (c[s, i] + a[s, i] * h) * decay[i]
                a[s, i] = a[s, i] * decay[i]
                if e < threshold[s, i]:
                    next_spike[s, i] = np.inf
                else:
                    if next_spike[s, i] == np.inf:
                        next_spike[s, i] = t  # a newly recruited unit fires at once
                    if next_spike[s, i] <= end:  # rate and fusion gain are needed at spikes
                        T = ct[s, i]
                        rate = min(
                            rate_gain[s, i] * (e - threshold[s, i]) + min_rate[s, i],
                            peak_rate[s, i],
                        )
                        x = T * rate
                        g = 1.0 if x <= 0.4 else (1.0 - np.exp(-2.0 * x**3)) / x / _S04
                        while next_spike[s, i] <= end:
                            delta = end - next_spike[s, i]
                            w = g * np.exp(-delta / T)
                            a[s, i] += w
                            c[s, i] += w * delta
                            zi = z[s, i, z_index[s, i]]
                            z_index[s, i] += 1
                            next_spike[s, i] += (1.0 + isi_cv[s, i] * zi) / rate
                            spikes[s, i] += 1
                total += gain[i] * c[s, i]
            force[s, k] = total
