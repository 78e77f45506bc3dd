r"""Neurovascular coupling, the balloon–Windkessel model and systemic physiological noise.

**Haemodynamics** (Friston et al. 2000, after Buxton et al. 1998). A normalised neural drive
:math:`z(t)` (0 at rest, 1 at maximal motor-cortex activity) is low-passed into the vasoactive
population activity :math:`a` (time constant :math:`\tau_n` = 2 s, the neuronal self-decay of
0.5 s⁻¹ that DCM for fMRI/fNIRS places between an input and its haemodynamics), which drives a
vasodilatory signal :math:`s`, normalised blood flow :math:`f`, venous volume :math:`v` and
deoxyhaemoglobin content :math:`q` (all 1 at rest except :math:`a = s = 0`):

.. math::
    \tau_n \dot a = z - a, \qquad
    \dot s = \varepsilon a - \kappa s - \gamma (f - 1), \qquad \dot f = s,

    \tau \dot v = f - v^{1/\alpha}, \qquad
    \tau \dot q = f \frac{E(f)}{E_0} - v^{1/\alpha} \frac{q}{v}, \qquad
    E(f) = 1 - (1 - E_0)^{1/f}.

:math:`\kappa, \gamma, \tau, \alpha, E_0` are Friston 2000's values (SPM's priors). The efficacy
is :math:`\varepsilon = \gamma\,\Delta F`, with :math:`\Delta F` the steady-state flow rise at
:math:`z = 1` (so :math:`f_\infty = 1 + \Delta F z` for constant :math:`z`). Without the
:math:`\tau_n` stage Friston's parameters put the flow peak 1.9 s and the HbO peak 2.6 s after
an impulse, earlier than the canonical haemodynamic response (peak ≈ 5 s, Glover 1999); with
it HbO peaks ≈ 5 s after the onset of a 2-s stimulus (validation ``hbo_time_to_peak``).

**Haemoglobin** (DCM for fNIRS, Tak et al. 2015): with resting total haemoglobin :math:`P_0` and
saturation :math:`S_0`, the cortical concentration changes (µM) are

.. math::
    \Delta HbT = P_0 (v - 1), \quad \Delta HbR = P_0 (1 - S_0)(q - 1), \quad
    \Delta HbO = \Delta HbT - \Delta HbR .

**Integration.** The input is sampled every ``dt`` seconds and held constant over each sample
(zero-order hold); each sample is integrated with classical fourth-order Runge–Kutta in
``ceil(dt / max_step)`` equal sub-steps. The stiffest rate, :math:`1/(\alpha\tau)`
≈ 3.2 s⁻¹, keeps RK4 stable below 0.8 s; the default ``max_step = 0.05 s`` agrees with an
adaptive SciPy solution to better than 1e-4 of the response (tests). A Python loop runs over
time only; subjects (and regions) are array axes.

**Systemic physiology** (:func:`physiological_noise`): cardiac (≈1 Hz), respiratory (≈0.25 Hz)
and Mayer (≈0.1 Hz) sinusoids shared by all channels of a subject, each with the subject's own
frequency (mean ± SD, the AnalyzIR simulator's defaults) and random phase, plus independent
white instrument noise per channel, in *measured* (path-averaged) concentration.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.core.parameters import ParameterSet
from myoaxis.core.rng import SubjectRNG

NOISE_COMPONENTS = ("cardiac", "respiratory", "mayer")
DEFAULT_MAX_STEP = 0.05  # s, RK4 sub-step (see the module docstring)


def per_subject(params: Sequence[ParameterSet], name: str, unit: str) -> np.ndarray:
    """Scalar parameter ``name`` of every subject in ``unit``, shape ``(S,)``."""
    if not len(params):
        raise ParameterError("no subjects: an empty sequence of parameter sets")
    return np.array([p.value_in(name, unit) for p in params], dtype=float)


def _column(x: np.ndarray, ndim: int) -> np.ndarray:
    """``(S,)`` parameters shaped to broadcast against a state of ``ndim`` dimensions."""
    return x.reshape(x.shape + (1,) * (ndim - 1))


@dataclass(frozen=True)
class BalloonParameters:
    """Per-subject arrays ``(S,)`` in the units named in each comment."""

    neurovascular_time_constant: np.ndarray  # tau_n, s
    signal_decay: np.ndarray  # kappa, 1/s
    autoregulation: np.ndarray  # gamma, 1/s
    transit_time: np.ndarray  # tau, s
    grubb_exponent: np.ndarray  # alpha, 1
    resting_extraction: np.ndarray  # E0, 1
    efficacy: np.ndarray  # epsilon, 1/s^2 per unit of z
    baseline_total: np.ndarray  # P0, uM
    baseline_saturation: np.ndarray  # S0, 1

    @classmethod
    def from_parameters(cls, params: Sequence[ParameterSet]) -> BalloonParameters:
        """Build from one :class:`ParameterSet` per subject (``data/model/fnirs.toml``)."""

        def v(name: str, unit: str = "dimensionless") -> np.ndarray:
            return per_subject(params, f"fnirs.{name}", unit)

        gamma = v("balloon.autoregulation", "1/s")
        p = cls(
            neurovascular_time_constant=v("balloon.neurovascular_time_constant", "s"),
            signal_decay=v("balloon.signal_decay", "1/s"),
            autoregulation=gamma,
            transit_time=v("balloon.transit_time", "s"),
            grubb_exponent=v("balloon.grubb_exponent"),
            resting_extraction=v("balloon.resting_extraction"),
            efficacy=gamma * v("balloon.flow_increase_at_full_activity"),
            baseline_total=v("haemoglobin.baseline_total", "uM"),
            baseline_saturation=v("haemoglobin.baseline_saturation"),
        )
        p.check()
        return p

    def check(self) -> None:
        """Raise :class:`ParameterError` for values the equations cannot use."""
        positive = (
            "neurovascular_time_constant",
            "signal_decay",
            "autoregulation",
            "transit_time",
            "grubb_exponent",
        )
        for name in positive:
            if np.any(~(getattr(self, name) > 0)):
                raise ParameterError(f"fnirs.balloon: {name} must be positive")
        if np.any(~((self.resting_extraction > 0) & (self.resting_extraction < 1))):
            raise ParameterError("fnirs.balloon.resting_extraction must lie in (0, 1)")
        if np.any(~(self.efficacy >= 0)):
            raise ParameterError("fnirs.balloon.flow_increase_at_full_activity must be >= 0")
        if np.any(~(self.baseline_total > 0)):
            raise ParameterError("fnirs.haemoglobin.baseline_total must be positive")
        if np.any(~((self.baseline_saturation >= 0) & (self.baseline_saturation <= 1))):
            raise ParameterError("fnirs.haemoglobin.baseline_saturation must lie in [0, 1]")

    @property
    def n_subjects(self) -> int:
        return int(self.signal_decay.shape[0])


@dataclass(frozen=True)
class BalloonState:
    """Haemodynamic state, arrays of equal shape ``(S, ...)`` (e.g. ``(S,)`` or ``(S, R)``)."""

    activity: np.ndarray  # a, 1 (low-passed neural drive)
    signal: np.ndarray  # s, 1/s
    flow: np.ndarray  # f, 1
    volume: np.ndarray  # v, 1
    deoxy: np.ndarray  # q, 1

    @classmethod
    def rest(cls, shape: tuple[int, ...]) -> BalloonState:
        """The resting state (a = s = 0, f = v = q = 1)."""
        zero, one = np.zeros(shape), np.ones(shape)
        return cls(zero, zero.copy(), one, one.copy(), one.copy())

    def stacked(self) -> np.ndarray:
        return np.stack([self.activity, self.signal, self.flow, self.volume, self.deoxy])


@dataclass(frozen=True)
class HaemodynamicTraces:
    """Traces ``(..., T)``: the state at ``t_k = k dt`` and the cortical concentration changes."""

    flow: np.ndarray  # f, 1
    volume: np.ndarray  # v, 1
    deoxy: np.ndarray  # q, 1
    hbo: np.ndarray  # cortical dHbO, uM
    hbr: np.ndarray  # cortical dHbR, uM

    @property
    def hbt(self) -> np.ndarray:
        """Cortical total haemoglobin change, uM."""
        return self.hbo + self.hbr


def _rhs(x: np.ndarray, z: np.ndarray, c: dict[str, np.ndarray]) -> np.ndarray:
    a, s, f, v, q = x
    outflow = v ** c["inv_alpha"]
    extraction = 1.0 - c["retained"] ** (1.0 / f)  # E(f) = 1 - (1 - E0)^(1/f)
    return np.stack(
        [
            (z - a) * c["inv_tau_n"],
            c["eps"] * a - c["kappa"] * s - c["gamma"] * (f - 1.0),
            s,
            (f - outflow) * c["inv_tau"],
            (f * extraction * c["inv_e0"] - outflow * q / v) * c["inv_tau"],
        ]
    )


def haemoglobin(
    volume: np.ndarray, deoxy: np.ndarray, p: BalloonParameters
) -> tuple[np.ndarray, np.ndarray]:
    """Cortical (ΔHbO, ΔHbR) in µM from normalised volume and deoxyhaemoglobin ``(S, ..., T)``."""
    p0 = _column(p.baseline_total, volume.ndim)
    hbr0 = p0 * (1.0 - _column(p.baseline_saturation, volume.ndim))
    hbr = hbr0 * (deoxy - 1.0)
    return p0 * (volume - 1.0) - hbr, hbr


def simulate(
    z: np.ndarray,
    dt: float,
    p: BalloonParameters,
    state: BalloonState | None = None,
    *,
    max_step: float = DEFAULT_MAX_STEP,
) -> tuple[HaemodynamicTraces, BalloonState]:
    """Integrate the balloon model over neural activity ``z`` of shape ``(S, ..., T)``.

    ``z[..., k]`` is the activity over ``[k dt, (k + 1) dt)`` (average a finer drive over each
    sample before calling). Returns the traces at ``t_k = k dt`` (the first sample is the initial
    state, rest by default) and the state at ``T dt``, from which a following bout continues.
    Raises :class:`SimulationError` if the flow stops being positive or a value is not finite.
    """
    z = np.asarray(z, dtype=float)
    if z.ndim < 2 or z.shape[0] != p.n_subjects:
        raise SimulationError(
            f"haemodynamics: neural activity must have shape (subjects={p.n_subjects}, ..., "
            f"time), got {z.shape}"
        )
    if not np.all(np.isfinite(z)):
        raise SimulationError("haemodynamics: neural activity contains NaN or infinite values")
    if not (math.isfinite(dt) and dt > 0):
        raise SimulationError(f"haemodynamics: sampling period must be positive, got {dt!r}")
    if not (math.isfinite(max_step) and max_step > 0):
        raise SimulationError(f"haemodynamics: max_step must be positive, got {max_step!r}")
    shape = z.shape[:-1]
    state = state or BalloonState.rest(shape)
    x = state.stacked().astype(float)
    if x.shape[1:] != shape:
        raise SimulationError(
            f"haemodynamics: state shape {x.shape[1:]} does not match the input's {shape}"
        )
    nd = len(shape)
    c = {
        "inv_tau_n": 1.0 / _column(p.neurovascular_time_constant, nd),
        "kappa": _column(p.signal_decay, nd),
        "gamma": _column(p.autoregulation, nd),
        "eps": _column(p.efficacy, nd),
        "inv_tau": 1.0 / _column(p.transit_time, nd),
        "inv_alpha": 1.0 / _column(p.grubb_exponent, nd),
        "inv_e0": 1.0 / _column(p.resting_extraction, nd),
        "retained": 1.0 - _column(p.resting_extraction, nd),
    }
    n_sub = max(1, math.ceil(dt / max_step - 1e-9))
    n_times = z.shape[-1]
    out = np.empty((5, *shape, n_times))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        x = _integrate(x, z, c, dt, n_sub, out)
    hbo, hbr = haemoglobin(out[3], out[4], p)
    traces = HaemodynamicTraces(flow=out[2], volume=out[3], deoxy=out[4], hbo=hbo, hbr=hbr)
    return traces, BalloonState(*x)


def _integrate(
    x: np.ndarray, z: np.ndarray, c: dict[str, np.ndarray], dt: float, n_sub: int, out: np.ndarray
) -> np.ndarray:
    """RK4 with zero-order-hold input; fills ``out[..., k]`` and returns the final state."""
    h = dt / n_sub
    for k in range(z.shape[-1]):
        out[..., k] = x
        zk = z[..., k]
        for _ in range(n_sub):
            k1 = _rhs(x, zk, c)
            k2 = _rhs(x + 0.5 * h * k1, zk, c)
            k3 = _rhs(x + 0.5 * h * k2, zk, c)
            k4 = _rhs(x + h * k3, zk, c)
            x = x + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        ok = np.isfinite(x)
        ok[2:] &= x[2:] > 0
        if not ok.all():
            which, subject = np.argwhere(~ok)[0][:2]
            name = ("activity", "signal", "flow", "volume", "deoxyhaemoglobin")[which]
            raise SimulationError(
                f"haemodynamics: {name} of subject {subject} left its valid range at "
                f"t = {(k + 1) * dt:g} s (neural activity too negative or too large)"
            )
    return x


@dataclass(frozen=True)
class NoiseParameters:
    """Per-subject systemic-noise parameters; components in :data:`NOISE_COMPONENTS` order."""

    frequency: np.ndarray  # (S, 3) Hz
    frequency_sd: np.ndarray  # (S, 3) Hz
    amplitude: np.ndarray  # (S, 3) uM of measured HbO
    hbr_ratio: np.ndarray  # (S,) HbR amplitude / HbO amplitude
    white_sd: np.ndarray  # (S,) uM

    @classmethod
    def from_parameters(cls, params: Sequence[ParameterSet]) -> NoiseParameters:
        """Build from one :class:`ParameterSet` per subject (``fnirs.noise.*``)."""

        def comp(suffix: str, unit: str) -> np.ndarray:
            return np.stack(
                [per_subject(params, f"fnirs.noise.{c}_{suffix}", unit) for c in NOISE_COMPONENTS],
                axis=1,
            )

        p = cls(
            frequency=comp("frequency", "Hz"),
            frequency_sd=comp("frequency_sd", "Hz"),
            amplitude=comp("amplitude", "uM"),
            hbr_ratio=per_subject(params, "fnirs.noise.hbr_ratio", "dimensionless"),
            white_sd=per_subject(params, "fnirs.noise.white_noise_sd", "uM"),
        )
        p.check()
        return p

    def check(self) -> None:
        if np.any(~(self.frequency > 0)):
            raise ParameterError("fnirs.noise: frequencies must be positive")
        for name in ("frequency_sd", "amplitude", "white_sd"):
            if np.any(~(getattr(self, name) >= 0)):
                raise ParameterError(f"fnirs.noise: {name} must be >= 0")


def physiological_noise(
    n_times: int, dt: float, n_channels: int, p: NoiseParameters, rng: SubjectRNG
) -> tuple[np.ndarray, np.ndarray]:
    """Systemic oscillations plus white noise in measured (ΔHbO, ΔHbR), each ``(S, C, T)`` µM.

    Subject ``s`` draws, from its own generator and in this order, its three frequencies
    (mean + SD · N(0, 1), floored at 10 % of the mean), three phases (uniform, from N(0, 1)
    through the normal CDF) and the ``(C, 2, T)`` white noise, so its noise does not depend on
    the batch. The oscillations are common to all channels of a subject (systemic); the HbR
    oscillation is ``hbr_ratio`` times the HbO one, in phase.
    """
    if n_times < 1 or n_channels < 1:
        raise SimulationError("physiological noise: need at least one sample and one channel")
    if not (math.isfinite(dt) and dt > 0):
        raise SimulationError(f"physiological noise: sampling period must be positive, got {dt!r}")
    n = len(rng)
    if n != p.frequency.shape[0]:
        raise SimulationError(
            f"physiological noise: {n} random streams for {p.frequency.shape[0]} subjects"
        )
    k = len(NOISE_COMPONENTS)
    draws = rng.normal((n, 2 * k + 2 * n_channels * n_times))
    freq = np.maximum(p.frequency + p.frequency_sd * draws[:, :k], 0.1 * p.frequency)
    phase = 2.0 * np.pi * ndtr(draws[:, k : 2 * k])
    white = draws[:, 2 * k :].reshape(n, n_channels, 2, n_times) * p.white_sd[:, None, None, None]
    t = np.arange(n_times) * dt
    systemic = np.einsum(
        "sk,skt->st",
        p.amplitude,
        np.sin(2.0 * np.pi * freq[:, :, None] * t + phase[:, :, None]),
    )
    hbo = systemic[:, None, :] + white[:, :, 0]
    hbr = (p.hbr_ratio[:, None] * systemic)[:, None, :] + white[:, :, 1]
    return hbo, hbr


def time_to_peak(trace: np.ndarray, dt: float) -> np.ndarray:
    """Time (s) of the maximum of ``trace`` along its last axis."""
    return np.argmax(trace, axis=-1) * dt
