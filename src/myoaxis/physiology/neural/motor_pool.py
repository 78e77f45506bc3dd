r"""Motor-unit pool of Fuglevand, Winter & Patla (1993), event-driven and batched.

Arrays are ``(subjects, units)``. With unit index :math:`i = 1 \dots n`:

* recruitment threshold :math:`RTE_i = e^{a i}`, :math:`a = \ln RR / n`;
* peak rate :math:`PFR_i = PFR_1 - (PFR_1 - PFR_n)\, RTE_i / RTE_n` (FWP's profile), or,
  with a fusion target :math:`x_f > 0`, :math:`PFR_i = x_f / T_i`: every unit's maximal rate
  just fuses it (Bellemare et al. 1983), slow units peaking lowest;
* maximal excitation :math:`E_{max} = RTE_n + (PFR_n - MFR)/g_e`;
* rate coding :math:`FR_i = \min(g_i (E - RTE_i) + MFR,\ PFR_i)` for :math:`E \ge RTE_i`,
  with FWP's common gain :math:`g_i = g_e`, or with :math:`x_f > 0` the gain
  :math:`g_i = (PFR_i - MFR)/(E_{max} - RTE_i)` that brings every unit to its peak rate at
  maximal excitation (rates rise up to maximal effort, De Luca & Hostage 2010), so that a
  lower maximal drive lowers every unit's rate (central fatigue);
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

**Fatigue and recovery** (Potvin & Fuglevand 2017, plus recovery). Each unit keeps a force
capacity :math:`c_i \in [0, 1]` (its current twitch amplitude over the rested one) and a
rate-adaptation state :math:`w_i \in [0, 1]`:

* :math:`dc_i/dt = -\phi_i\, \rho_i + R_{eff} (1 - c_i)`, with
  :math:`\phi_i = s\,(FatFac/fat)\, fat^{(i-1)/(n-1)}` (higher-threshold units tire faster),
  :math:`\rho_i` the unit's force relative to full fusion (Fuglevand's :math:`P_r`), and
  :math:`R_{eff} = R` while the pool is driven, :math:`r R` while it rests (the 3CC-r recovery
  of Looft et al. 2018, whose :math:`R` and :math:`r` per muscle group the pool shares); the
  published model has no recovery;
* contraction time lengthens as capacity falls, :math:`T_i = T_i^0 (1 + ctSF (1 - c_i))`;
* rates adapt while a unit stays recruited (Revill & Fuglevand 2011):
  :math:`FR_i \leftarrow FR_i - k_i (FR_i - MFR + 2) w_i`, :math:`k_i = adaptSF\,
  (RTE_i - RTE_1)/(RTE_n - RTE_1)`, with :math:`w_i \to 1` (recruited) or :math:`0` (silent)
  at time constant :math:`\tau`.

The cortex closes its loop on force, so as units weaken it recruits more and drives them
faster, until maximal excitation no longer reaches the target (task failure).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
from numba import njit, prange, vectorize

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
    # x_f = T_i PFR_i, the fusion every unit reaches at maximal excitation (Bellemare et al.
    # 1983); 0 keeps FWP's profile, which leaves the fastest units at x = 0.75 (57 % fused).
    fusion_at_peak_rate: np.ndarray | float = 0.0
    # fatigue and recovery (Potvin & Fuglevand 2017 + recovery); 0 turns a mechanism off
    fatigue_factor: np.ndarray | float = 0.0  # 1/s, capacity lost per s by the last unit
    fatigue_range: np.ndarray | float = 1.0  # ratio of last to first unit's fatigue rate
    recovery_rate: np.ndarray | float = 0.0  # 1/s
    rest_recovery_multiplier: np.ndarray | float = 1.0
    contraction_time_slowing: np.ndarray | float = 0.0  # ctSF
    adaptation_scale: np.ndarray | float = 0.0  # adaptSF
    adaptation_time: np.ndarray | float = 1.0  # s

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
    fatigue_rate: np.ndarray  # 1/s per unit (phi)
    adaptation_weight: np.ndarray  # k per unit
    recovery_rate: np.ndarray  # (subjects, 1) 1/s
    rest_recovery_multiplier: np.ndarray  # (subjects, 1)
    contraction_time_slowing: np.ndarray  # (subjects, 1)
    adaptation_time: np.ndarray  # (subjects, 1) s

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


def _column(x: np.ndarray | float, subjects: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(x, dtype=float).reshape(-1, 1), (subjects, 1)).copy()


def properties(p: PoolParameters) -> PoolProperties:
    """Per-unit thresholds, peak rates, twitch amplitudes and contraction times."""
    i = np.arange(1, p.n_units + 1, dtype=float)[None, :]
    n = float(p.n_units)
    rte = np.exp(np.log(p.recruitment_range) / n * i)
    twitch = np.exp(np.log(p.twitch_force_range) / n * i)
    c = np.log(p.twitch_force_range) / np.log(p.contraction_time_range)
    ct = p.contraction_time_longest * (1.0 / twitch) ** (1.0 / c)
    matched = np.asarray(p.fusion_at_peak_rate, dtype=float)  # scalar or (subjects, 1)
    pfr = np.where(
        matched > 0,
        matched / ct,
        p.peak_rate_first - (p.peak_rate_first - p.peak_rate_last) * rte / rte[:, -1:],
    )
    e_max = rte[:, -1:] + (pfr[:, -1:] - p.min_rate) / p.rate_gain
    gain = np.where(matched > 0, (pfr - p.min_rate) / (e_max - rte), p.rate_gain)
    f_max = mean_unit_force(twitch, ct, pfr).sum(axis=1, keepdims=True)
    column = partial(_column, subjects=rte.shape[0])
    position = (i - 1.0) / max(n - 1.0, 1.0)
    return PoolProperties(
        threshold=rte,
        peak_rate=pfr,
        twitch_peak=twitch / f_max,
        contraction_time=ct,
        e_max=e_max,
        min_rate=np.broadcast_to(p.min_rate, rte.shape).copy(),
        rate_gain=np.broadcast_to(gain, rte.shape).copy(),
        isi_cv=np.broadcast_to(p.isi_cv, rte.shape).copy(),
        fatigue_rate=column(p.fatigue_factor)
        / column(p.fatigue_range)
        * np.exp(np.log(column(p.fatigue_range)) * position),
        adaptation_weight=column(p.adaptation_scale)
        * (rte - rte[:, :1])
        / (rte[:, -1:] - rte[:, :1]),
        recovery_rate=column(p.recovery_rate),
        rest_recovery_multiplier=column(p.rest_recovery_multiplier),
        contraction_time_slowing=column(p.contraction_time_slowing),
        adaptation_time=column(p.adaptation_time),
    )


def _fusion_fraction(x):  # pragma: no cover - compiled
    """Fuglevand's force relative to full fusion, :math:`P_r(x)`, at ``x = T FR``."""
    return x * _S04 if x <= 0.4 else 1.0 - np.exp(-2.0 * x**3)


def _fatigued_contraction_time(ct, capacity, slowing):  # pragma: no cover - compiled
    """Contraction time lengthened by fatigue: :math:`T^0 (1 + ctSF (1 - c))`."""
    return ct * (1.0 + slowing * (1.0 - capacity))


def _capacity_step(capacity, relative_force, fatigue_rate, recovery_rate, h):  # pragma: no cover
    """One step of ``dc/dt = -phi rho + R (1 - c)``, kept in [0, 1]."""
    c = capacity + h * (recovery_rate * (1.0 - capacity) - fatigue_rate * relative_force)
    return min(max(c, 0.0), 1.0)


def _adaptation_step(adaptation, recruited, tau, h):  # pragma: no cover - compiled
    """Relax the rate-adaptation state towards 1 (recruited) or 0 (silent), exactly."""
    return recruited + (adaptation - recruited) * np.exp(-h / tau)


def _unit_rate(
    e, threshold, min_rate, rate_gain, peak_rate, weight, adaptation
):  # pragma: no cover
    """Rate coding with adaptation (Hz); 0 below threshold."""
    if e < threshold:
        return 0.0
    rate = min(rate_gain * (e - threshold) + min_rate, peak_rate)
    return rate - weight * (rate - min_rate + 2.0) * adaptation


# One source, two compiled forms: NumPy ufuncs for batched code, inlined scalars for the kernel.
fusion_fraction = vectorize(["float64(float64)"], cache=True)(_fusion_fraction)
fatigued_contraction_time = vectorize(["float64(float64, float64, float64)"], cache=True)(
    _fatigued_contraction_time
)
capacity_step = vectorize(["float64(float64, float64, float64, float64, float64)"], cache=True)(
    _capacity_step
)
adaptation_step = vectorize(["float64(float64, float64, float64, float64)"], cache=True)(
    _adaptation_step
)
unit_rate = vectorize(
    ["float64(float64, float64, float64, float64, float64, float64, float64)"], cache=True
)(_unit_rate)
_fusion_fraction_jit = njit(inline="always", cache=True)(_fusion_fraction)
_fatigued_contraction_time_jit = njit(inline="always", cache=True)(_fatigued_contraction_time)
_capacity_step_jit = njit(inline="always", cache=True)(_capacity_step)
_adaptation_step_jit = njit(inline="always", cache=True)(_adaptation_step)
_unit_rate_jit = njit(inline="always", cache=True)(_unit_rate)


@dataclass
class FatigueState:
    """Per-unit force capacity ``c`` (1 = rested) and rate adaptation ``w``, ``(S, units)``."""

    capacity: np.ndarray
    adaptation: np.ndarray

    @classmethod
    def rested(cls, props: PoolProperties) -> FatigueState:
        return cls(np.ones(props.threshold.shape), np.zeros(props.threshold.shape))

    def copy(self) -> FatigueState:
        return FatigueState(self.capacity.copy(), self.adaptation.copy())


def recover(fatigue: FatigueState, props: PoolProperties, seconds: float) -> FatigueState:
    """Exact recovery over a rest of ``seconds`` (pool silent): capacity at rate ``r R``."""
    rate = props.recovery_rate * props.rest_recovery_multiplier
    return FatigueState(
        capacity=1.0 - (1.0 - fatigue.capacity) * np.exp(-rate * seconds),
        adaptation=fatigue.adaptation * np.exp(-seconds / props.adaptation_time),
    )


def firing_rate(
    props: PoolProperties, u: np.ndarray, fatigue: FatigueState | None = None
) -> np.ndarray:
    """Rate coding (Hz) at normalised excitation ``u`` (shape ``(subjects,)``); 0 if silent.

    With ``fatigue``, rates are lowered by each unit's adaptation state.
    """
    e = np.asarray(u, dtype=float).reshape(-1, 1) * props.e_max
    adaptation = 0.0 if fatigue is None else fatigue.adaptation
    return unit_rate(
        e,
        props.threshold,
        props.min_rate,
        props.rate_gain,
        props.peak_rate,
        props.adaptation_weight,
        adaptation,
    )


def unit_forces(
    props: PoolProperties, u: np.ndarray, fatigue: FatigueState | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Steady mean force of every unit and its force relative to full fusion, ``(S, units)``."""
    rate = firing_rate(props, u, fatigue)
    if fatigue is None:
        ct, capacity = props.contraction_time, 1.0
    else:
        capacity = fatigue.capacity
        ct = fatigued_contraction_time(
            props.contraction_time, capacity, props.contraction_time_slowing
        )
    force = mean_unit_force(props.twitch_peak * capacity, ct, rate)
    return force, fusion_fraction(ct * rate)


def steady_force(
    props: PoolProperties, u: np.ndarray, fatigue: FatigueState | None = None
) -> np.ndarray:
    """Deterministic steady normalised force at excitation ``u`` (mean-field of the pool)."""
    return unit_forces(props, u, fatigue)[0].sum(axis=1)


def mean_field_step(
    props: PoolProperties, u: np.ndarray, fatigue: FatigueState, h: float
) -> tuple[np.ndarray, FatigueState]:
    """Mean-field pool force at ``u`` and the fatigue state ``h`` seconds later."""
    force, relative = unit_forces(props, u, fatigue)
    u = np.asarray(u, dtype=float).reshape(-1, 1)
    recovery = props.recovery_rate * np.where(u > 0, 1.0, props.rest_recovery_multiplier)
    recruited = (u * props.e_max >= props.threshold).astype(float)
    return force.sum(axis=1), FatigueState(
        capacity_step(fatigue.capacity, relative, props.fatigue_rate, recovery, h),
        adaptation_step(fatigue.adaptation, recruited, props.adaptation_time, h),
    )


def fast_units(props: PoolProperties, reference: np.ndarray) -> np.ndarray:
    """Which units are fast (type II), ``(S, units)`` booleans.

    The pool has no fibre types of its own: its largest units, those that produce the
    fraction ``reference`` (``(S,)``) of the rested maximal force, are taken as the fast ones.
    """
    top_down = unit_forces(props, np.ones(props.threshold.shape[0]))[0][:, ::-1]
    before = np.cumsum(top_down, axis=1) - top_down  # force of the larger units
    limit = np.reshape(reference, (-1, 1)) * top_down.sum(axis=1, keepdims=True)
    return (before < limit)[:, ::-1]


def fast_force_share(
    props: PoolProperties, u: np.ndarray, fatigue: FatigueState, fast: np.ndarray
) -> np.ndarray:
    """Share of the pool's steady force produced by the ``fast`` units (:func:`fast_units`),
    ``(S,)``: the reference share at maximal excitation, falling as the last-recruited units
    drop out. Silent pools give 0."""
    force = unit_forces(props, u, fatigue)[0]
    total = force.sum(axis=1)
    return np.where(total > 0, (force * fast).sum(axis=1) / np.where(total > 0, total, 1.0), 0.0)


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


@dataclass
class SpikeLog:
    """Spike events of a bout, per subject: unit, time (s) and the unit's capacity then.

    Arrays are ``(subjects, size)``; ``count`` says how many entries of each row are used.
    The pool grows the arrays before a call could overflow them.
    """

    unit: np.ndarray
    time: np.ndarray
    capacity: np.ndarray
    count: np.ndarray

    @classmethod
    def empty(cls, subjects: int, size: int = 4096) -> SpikeLog:
        return cls(
            np.zeros((subjects, size), dtype=np.int64),
            np.zeros((subjects, size)),
            np.zeros((subjects, size)),
            np.zeros(subjects, dtype=np.int64),
        )

    def reserve(self, extra: int) -> None:
        """Make room for ``extra`` more events in every row."""
        need = int(self.count.max()) + extra
        size = self.time.shape[1]
        if need > size:
            grow = max(need, 2 * size) - size
            self.unit = np.pad(self.unit, ((0, 0), (0, grow)))
            self.time = np.pad(self.time, ((0, 0), (0, grow)))
            self.capacity = np.pad(self.capacity, ((0, 0), (0, grow)))


_NO_LOG = SpikeLog.empty(0, 0)


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
    state.checked_until = t + (k // 2 - 1) / _fastest_rate(props)


def _fastest_rate(props: PoolProperties) -> float:
    """Upper bound of any unit's instantaneous rate (Hz)."""
    return float((props.peak_rate / (1.0 - _Z_CLIP * props.isi_cv)).max())


def _unit_arrays(props: PoolProperties) -> tuple[np.ndarray, ...]:
    """The rate-coding and twitch arrays the compiled kernels read, in their order."""
    return (
        props.threshold,
        props.peak_rate,
        props.min_rate,
        props.rate_gain,
        props.e_max[:, 0],
        props.twitch_peak,
        props.contraction_time,
    )


def _fatigue_arrays(props: PoolProperties) -> tuple[np.ndarray, ...]:
    """The fatigue, recovery and adaptation arrays the compiled kernels read, in their order."""
    return (
        props.fatigue_rate,
        props.adaptation_weight,
        props.recovery_rate[:, 0],
        props.rest_recovery_multiplier[:, 0],
        props.contraction_time_slowing[:, 0],
        props.adaptation_time[:, 0],
    )


def advance(
    state: PoolState,
    props: PoolProperties,
    u: np.ndarray,
    t: float,
    h: float,
    rng: SubjectRNG,
    fatigue: FatigueState | None = None,
    log: SpikeLog | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Advance the pools over ``n`` steps of ``h`` from ``t``.

    ``u`` is the excitation, shape ``(subjects,)`` for one step or ``(subjects, n)``, held
    constant within each step. ``fatigue`` (updated in place) carries the units' capacity and
    adaptation; without it the pool stays rested. Spike events are appended to ``log`` if one
    is given. Returns the normalised pool force at the end of each step, ``(subjects,)`` or
    ``(subjects, n)``, and the spikes each unit fired, ``(subjects, units)``.
    """
    u = np.asarray(u, dtype=float)
    single = u.ndim == 1
    u2 = u[:, None] if single else u
    n = u2.shape[1]
    force = np.empty(u2.shape)
    spikes = np.zeros(props.threshold.shape, dtype=np.int64)
    fatigue = fatigue if fatigue is not None else FatigueState.rested(props)
    log = log if log is not None else _NO_LOG
    k = 0
    while k < n:
        if t + (k + 1) * h > state.checked_until:
            _refill(state, props, rng, t + k * h)
        steps = min(n - k, max(1, int((state.checked_until - (t + k * h)) / h)))
        if log.count.size:
            log.reserve(int(np.ceil(_fastest_rate(props) * steps * h + 1)) * props.n_units)
        kernel = _kernel_parallel if props.threshold.size >= _PARALLEL_FROM else _kernel_serial
        kernel(
            state.next_spike,
            state.a,
            state.c,
            state.z,
            state.z_index,
            fatigue.capacity,
            fatigue.adaptation,
            *_unit_arrays(props),
            props.isi_cv,
            *_fatigue_arrays(props),
            u2[:, k : k + steps],
            t + k * h,
            h,
            force[:, k : k + steps],
            spikes,
            log.unit,
            log.time,
            log.capacity,
            log.count,
        )
        k += steps
    return (force[:, 0] if single else force), spikes


def stimulate(
    state: PoolState,
    props: PoolProperties,
    t: float,
    fatigue: FatigueState | None = None,
    log: SpikeLog | None = None,
) -> None:
    r"""A supramaximal stimulus of the motor nerve at ``t`` (a step boundary), in place.

    Every axon fires once and each unit adds a single twitch scaled by its unfused headroom,
    :math:`\max(0, 1 - \rho_i)`, with :math:`\rho_i = C_i S(0.4)/(0.4\,T_i)` its present force
    relative to full fusion. Fuglevand's twitch sum is linear and would let an extra spike add
    a full twitch even to a fused unit; contractile activation, however, saturates (the
    occupancy factor :math:`1 - a` of activation dynamics, Hatze 1977), so a fused unit adds
    nothing. The antidromic impulse collides with the next voluntary one (Herbert & Gandevia
    1999): the unit's own discharge goes on, the stimulus spike standing for the one lost.
    The superimposed twitch therefore shrinks as voluntary drive and fusion rise, which is
    what twitch interpolation measures. Every unit's evoked spike goes to ``log``.
    """
    fatigue = fatigue if fatigue is not None else FatigueState.rested(props)
    ct = fatigued_contraction_time(
        props.contraction_time, fatigue.capacity, props.contraction_time_slowing
    )
    state.a += np.maximum(0.0, 1.0 - state.c * _S04 / ct)
    if log is not None and log.count.size:
        log.reserve(props.n_units)
        rows, at = np.arange(log.count.size)[:, None], log.count[:, None] + np.arange(props.n_units)
        log.unit[rows, at] = np.arange(props.n_units)
        log.time[rows, at] = t
        log.capacity[rows, at] = fatigue.capacity
        log.count += props.n_units


def _kernel(
    next_spike,
    a,
    c,
    z,
    z_index,
    capacity,
    adaptation,
    threshold,
    peak_rate,
    min_rate,
    rate_gain,
    e_max,
    twitch_peak,
    ct0,
    isi_cv,
    fatigue_rate,
    adaptation_weight,
    recovery_rate,
    rest_multiplier,
    ct_slowing,
    adaptation_time,
    u,
    t0,
    h,
    force,
    spikes,
    log_unit,
    log_time,
    log_capacity,
    log_count,
):  # pragma: no cover - compiled
    """The pool's inner loop (see the module docstring); fills ``force`` and ``spikes``."""
    n_sub, n_units = threshold.shape
    logging = log_time.shape[1] > 0
    for s in prange(n_sub):  # subjects are independent: one thread each
        for k in range(u.shape[1]):
            t = t0 + k * h
            end = t + h
            e = u[s, k] * e_max[s]
            recovery = recovery_rate[s] * (1.0 if e > 0.0 else rest_multiplier[s])
            total = 0.0
            for i in range(n_units):
                cap = capacity[s, i]
                T = _fatigued_contraction_time_jit(ct0[s, i], cap, ct_slowing[s])
                decay = np.exp(-h / T)
                c[s, i] = (c[s, i] + a[s, i] * h) * decay
                a[s, i] = a[s, i] * decay
                recruited = e >= threshold[s, i]
                if not recruited:
                    next_spike[s, i] = np.inf
                else:
                    if next_spike[s, i] == np.inf:
                        next_spike[s, i] = t  # a newly recruited unit fires at once
                    if next_spike[s, i] <= end:  # rate and fusion gain are needed at spikes
                        rate = _unit_rate_jit(
                            e,
                            threshold[s, i],
                            min_rate[s, i],
                            rate_gain[s, i],
                            peak_rate[s, i],
                            adaptation_weight[s, i],
                            adaptation[s, i],
                        )
                        x = T * rate
                        g = 1.0 if x <= 0.4 else (1.0 - np.exp(-2.0 * x**3)) / x / _S04
                        while next_spike[s, i] <= end:
                            delta = end - next_spike[s, i]
                            w = g * np.exp(-delta / T)
                            a[s, i] += w
                            c[s, i] += w * delta
                            if logging and log_count[s] < log_time.shape[1]:
                                log_unit[s, log_count[s]] = i
                                log_time[s, log_count[s]] = next_spike[s, i]
                                log_capacity[s, log_count[s]] = cap
                                log_count[s] += 1
                            zi = z[s, i, z_index[s, i]]
                            z_index[s, i] += 1
                            next_spike[s, i] += (1.0 + isi_cv[s, i] * zi) / rate
                            spikes[s, i] += 1
                adaptation[s, i] = _adaptation_step_jit(
                    adaptation[s, i], 1.0 if recruited else 0.0, adaptation_time[s], h
                )
                capacity[s, i] = _capacity_step_jit(
                    cap, c[s, i] * _S04 / T, fatigue_rate[s, i], recovery, h
                )
                total += twitch_peak[s, i] * cap * np.e / T * c[s, i]
            force[s, k] = total


# Threads start once per call (every step): they pay off only for large batches, and on a
# loaded 2-core machine a 10-subject hold ran 50x slower with them (units, subjects x units).
_PARALLEL_FROM = 32768
_kernel_serial = njit(cache=True)(_kernel)
_kernel_parallel = njit(cache=True, parallel=True)(_kernel)


def _steady_unit(
    e, s, i, capacity, adaptation, threshold, min_rate, rate_gain, peak_rate, weight, ct0, slowing
):  # pragma: no cover - compiled
    """A unit's steady firing rate (Hz), fatigued contraction time (s) and force relative to
    full fusion at pool excitation ``e``."""
    rate = _unit_rate_jit(
        e,
        threshold[s, i],
        min_rate[s, i],
        rate_gain[s, i],
        peak_rate[s, i],
        weight[s, i],
        adaptation[s, i],
    )
    ct = _fatigued_contraction_time_jit(ct0[s, i], capacity[s, i], slowing[s])
    return rate, ct, _fusion_fraction_jit(ct * rate)


_steady_unit_jit = njit(inline="always", cache=True)(_steady_unit)


def _steady_pool(
    e,
    s,
    capacity,
    adaptation,
    threshold,
    min_rate,
    rate_gain,
    peak_rate,
    weight,
    twitch_peak,
    ct0,
    slowing,
):  # pragma: no cover - compiled
    """Subject ``s``'s steady normalised pool force at excitation ``e`` (as
    :func:`steady_force`: unit force :math:`P_i c_i\\,e\\,S_r(x)/S(0.4)\\cdot 0.4`)."""
    total = 0.0
    for i in range(threshold.shape[1]):
        if e >= threshold[s, i]:
            _rate, _ct, rho = _steady_unit_jit(
                e,
                s,
                i,
                capacity,
                adaptation,
                threshold,
                min_rate,
                rate_gain,
                peak_rate,
                weight,
                ct0,
                slowing,
            )
            total += twitch_peak[s, i] * capacity[s, i] * np.e / _S04 * rho
    return total


_steady_pool_jit = njit(inline="always", cache=True)(_steady_pool)


def _quasi_static_kernel(
    goal,
    ceiling,
    capacity,
    adaptation,
    threshold,
    peak_rate,
    min_rate,
    rate_gain,
    e_max,
    twitch_peak,
    ct0,
    fatigue_rate,
    weight,
    recovery_rate,
    rest_multiplier,
    slowing,
    adaptation_time,
    fast,
    h,
    u_out,
    force_out,
    fast_out,
):  # pragma: no cover - compiled
    """Per subject: the excitation in ``[0, ceiling]`` whose steady force meets ``goal``
    (Illinois regula falsi; the ceiling if it cannot), then one step ``h`` of unit fatigue and
    rate adaptation at that excitation (as :func:`mean_field_step`). Fills ``u_out``,
    ``force_out`` and ``fast_out`` (the fast units' share of the force)."""
    for s in prange(goal.shape[0]):  # subjects are independent
        e = 0.0
        force = 0.0
        if goal[s] > 0.0:
            hi = ceiling[s] * e_max[s]
            f_hi = _steady_pool_jit(
                hi,
                s,
                capacity,
                adaptation,
                threshold,
                min_rate,
                rate_gain,
                peak_rate,
                weight,
                twitch_peak,
                ct0,
                slowing,
            )
            if f_hi <= goal[s]:
                e, force = hi, f_hi
            else:
                lo, g_lo, g_hi = 0.0, -goal[s], f_hi - goal[s]
                side = 0
                e, force = hi, f_hi
                for _ in range(60):
                    e = hi - g_hi * (hi - lo) / (g_hi - g_lo)
                    force = _steady_pool_jit(
                        e,
                        s,
                        capacity,
                        adaptation,
                        threshold,
                        min_rate,
                        rate_gain,
                        peak_rate,
                        weight,
                        twitch_peak,
                        ct0,
                        slowing,
                    )
                    g = force - goal[s]
                    if abs(g) <= 1e-6 * goal[s] or hi - lo <= 1e-5 * e_max[s]:
                        break
                    if g > 0.0:
                        hi, g_hi = e, g
                        if side == 1:
                            g_lo *= 0.5
                        side = 1
                    else:
                        lo, g_lo = e, g
                        if side == -1:
                            g_hi *= 0.5
                        side = -1
        u_out[s] = e / e_max[s]
        force_out[s] = force
        recovery = recovery_rate[s] * (1.0 if e > 0.0 else rest_multiplier[s])
        fast_force = 0.0
        for i in range(threshold.shape[1]):
            recruited = e >= threshold[s, i]
            rho = 0.0
            if recruited:
                _rate, _ct, rho = _steady_unit_jit(
                    e,
                    s,
                    i,
                    capacity,
                    adaptation,
                    threshold,
                    min_rate,
                    rate_gain,
                    peak_rate,
                    weight,
                    ct0,
                    slowing,
                )
                if fast[s, i]:
                    fast_force += twitch_peak[s, i] * capacity[s, i] * np.e / _S04 * rho
            capacity[s, i] = _capacity_step_jit(
                capacity[s, i], rho, fatigue_rate[s, i], recovery, h
            )
            adaptation[s, i] = _adaptation_step_jit(
                adaptation[s, i], 1.0 if recruited else 0.0, adaptation_time[s], h
            )
        fast_out[s] = fast_force / force if force > 0.0 else 0.0


def quasi_static_step(
    props: PoolProperties,
    goal: np.ndarray,
    ceiling: np.ndarray,
    fatigue: FatigueState,
    fast: np.ndarray,
    h: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pool held at its steady state for ``h`` seconds (activation dynamics and the
    cortex's loop taken as instantaneous): the excitation ``u`` (S,) whose steady force
    (:func:`steady_force`) meets ``goal`` (normalised force, 0 = silent), capped at
    ``ceiling``; that force; and the ``fast`` units' share of it (:func:`fast_force_share`).
    ``fatigue`` is advanced over ``h`` in place, as by :func:`mean_field_step`."""
    n = goal.shape[0]
    u, force, share = np.empty(n), np.empty(n), np.empty(n)
    parallel = props.threshold.size >= _PARALLEL_FROM
    (_quasi_static_parallel if parallel else _quasi_static_serial)(
        np.ascontiguousarray(goal, dtype=float),
        np.ascontiguousarray(ceiling, dtype=float),
        fatigue.capacity,
        fatigue.adaptation,
        *_unit_arrays(props),
        *_fatigue_arrays(props),
        np.ascontiguousarray(fast),
        h,
        u,
        force,
        share,
    )
    return u, force, share


_quasi_static_serial = njit(cache=True)(_quasi_static_kernel)
_quasi_static_parallel = njit(cache=True, parallel=True)(_quasi_static_kernel)
