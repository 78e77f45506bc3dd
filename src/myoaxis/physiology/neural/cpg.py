r"""Central pattern generators: the Matsuoka half-centre oscillator and walking cadence.

**Oscillator** (Matsuoka 1985; 2011). Two mutually inhibiting neurons with adaptation,
:math:`i, j \in \{1, 2\}, j \ne i`:

.. math::
    \tau_r \dot x_i = s - x_i - a\,y_j - b\,v_i + u_i, \qquad
    \tau_a \dot v_i = -v_i + y_i, \qquad y_i = \max(x_i, 0),

with rise time :math:`\tau_r`, adaptation time :math:`\tau_a`, mutual inhibition :math:`a`,
adaptation gain :math:`b`, tonic input :math:`s` and optional feedback :math:`u_i`. :math:`y_1`
is the flexor drive, :math:`y_2` the extensor drive. It oscillates when
:math:`1 + \tau_r/\tau_a < a < 1 + b`, at approximately (Matsuoka 2011, describing function)

.. math::
    \omega \approx \frac{1}{\tau_a}\sqrt{\frac{(\tau_r + \tau_a)\,b - \tau_r a}{\tau_r a}}.

Scaling both time constants by :math:`k` maps a solution :math:`x(t)` to :math:`x(t/k)`, so the
frequency scales exactly as :math:`1/k` and the waveform against phase does not change; the
amplitude is proportional to :math:`s` and the frequency does not depend on it. A task therefore
sets its tempo by rescaling the time constants (:func:`tuned`), and the drive of any tempo, even a
drifting one, is the stored limit cycle read at the task's phase (:class:`LimitCycle`). Equations
are integrated with fixed-step RK4 (loop over time only); the frequency of a trace is measured
from upward zero crossings of :math:`x_1 - x_2` after a transient (:func:`measure_frequency`).

**Walking cadence.** Above about 62 m/min healthy adults keep a constant walk ratio
:math:`W = \ell/c` (step length over cadence; Murakami & Otaka 2017), so with speed
:math:`v = \ell c`, :math:`c = \sqrt{v / W}` (steps/min, :math:`v` in m/min), up to the
walk–run transition (about 7.6 km/h, Hansen et al. 2017). One CPG cycle is one stride, at
:math:`f = c / 120` Hz.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from myoaxis.core.errors import ParameterError, ScenarioError

Values = Callable[[str, str], np.ndarray]


@dataclass(frozen=True)
class MatsuokaParameters:
    """Oscillator parameters, arrays ``(S,)``."""

    rise_time: np.ndarray  # tau_r, s
    adaptation_time: np.ndarray  # tau_a, s
    mutual_inhibition: np.ndarray  # a
    adaptation_gain: np.ndarray  # b
    tonic_input: np.ndarray  # s

    @classmethod
    def from_values(cls, values: Values) -> MatsuokaParameters:
        """Build from ``values(name, unit) -> (S,)`` (e.g. ``Body.values``)."""

        def v(name: str, unit: str) -> np.ndarray:
            return np.asarray(values(f"cpg.{name}", unit), dtype=float)

        return cls(
            rise_time=v("rise_time", "s"),
            adaptation_time=v("adaptation_time", "s"),
            mutual_inhibition=v("mutual_inhibition", "dimensionless"),
            adaptation_gain=v("adaptation_gain", "dimensionless"),
            tonic_input=v("tonic_input", "dimensionless"),
        )

    def scaled(self, factor: np.ndarray | float) -> MatsuokaParameters:
        """Both time constants multiplied by ``factor`` (frequency divided by it)."""
        k = np.asarray(factor, dtype=float)
        return replace(self, rise_time=self.rise_time * k, adaptation_time=self.adaptation_time * k)


@dataclass(frozen=True)
class CPGNumerics:
    """How the oscillator is integrated and measured (scalars, shared by a batch)."""

    steps_per_rise_time: float  # RK4 steps per rise time
    transient_cycles: float  # cycles discarded before measuring or sampling
    measured_cycles: float  # cycles over which the frequency is measured
    phase_points: int  # samples per stored limit cycle

    @classmethod
    def from_values(cls, values: Values) -> CPGNumerics:
        def one(name: str) -> float:
            arr = np.asarray(values(f"cpg.{name}", "dimensionless"), dtype=float)
            if not np.all(arr == arr.flat[0]):
                raise ParameterError(f"cpg.{name} must be equal across a batch")
            return float(arr.flat[0])

        return cls(
            steps_per_rise_time=one("steps_per_rise_time"),
            transient_cycles=one("transient_cycles"),
            measured_cycles=one("measured_cycles"),
            phase_points=int(one("phase_points")),
        )


@dataclass(frozen=True)
class MatsuokaState:
    x: np.ndarray  # (S, 2) membrane states
    v: np.ndarray  # (S, 2) adaptation states

    @classmethod
    def start(cls, p: MatsuokaParameters) -> MatsuokaState:
        """Asymmetric rest: neuron 1 slightly excited, so the flexor bursts first."""
        s = p.tonic_input
        x = np.stack([0.1 * s, np.zeros_like(s)], axis=1)
        return cls(x, np.zeros_like(x))


@dataclass(frozen=True)
class CPGTrace:
    """A simulated trace: ``time (N,)``, ``x`` and ``y`` ``(S, 2, N)``, and the final state."""

    time: np.ndarray
    x: np.ndarray
    y: np.ndarray
    state: MatsuokaState

    @property
    def flexor(self) -> np.ndarray:
        return self.y[:, 0]

    @property
    def extensor(self) -> np.ndarray:
        return self.y[:, 1]


def oscillates(p: MatsuokaParameters) -> np.ndarray:
    """Matsuoka's condition for a stable limit cycle, ``1 + tau_r/tau_a < a < 1 + b``, ``(S,)``."""
    a = p.mutual_inhibition
    return (1.0 + p.rise_time / p.adaptation_time < a) & (a < 1.0 + p.adaptation_gain)


def check(p: MatsuokaParameters) -> None:
    """Raise :class:`ParameterError` unless every subject's oscillator has a limit cycle."""
    positive = (p.rise_time > 0) & (p.adaptation_time > 0) & (p.tonic_input > 0)
    bad = np.flatnonzero(~(positive & oscillates(p)))
    if bad.size:
        i = bad[0]
        raise ParameterError(
            f"cpg parameters of subject(s) {', '.join(map(str, bad))} do not oscillate: need "
            f"positive time constants and tonic input and 1 + rise_time/adaptation_time < "
            f"mutual_inhibition < 1 + adaptation_gain (subject {i}: rise_time "
            f"{p.rise_time[i]:g} s, adaptation_time {p.adaptation_time[i]:g} s, mutual_inhibition "
            f"{p.mutual_inhibition[i]:g}, adaptation_gain {p.adaptation_gain[i]:g}, tonic_input "
            f"{p.tonic_input[i]:g})"
        )


def analytic_frequency(p: MatsuokaParameters) -> np.ndarray:
    """Matsuoka's (2011) approximation of the oscillation frequency (Hz), ``(S,)``."""
    tr, ta, a, b = p.rise_time, p.adaptation_time, p.mutual_inhibition, p.adaptation_gain
    omega = np.sqrt(((tr + ta) * b - tr * a) / (tr * a)) / ta
    return omega / (2.0 * np.pi)


def _derivatives(x, v, p: MatsuokaParameters, u) -> tuple[np.ndarray, np.ndarray]:
    y = np.maximum(x, 0.0)
    drive = p.tonic_input[:, None] - x - p.mutual_inhibition[:, None] * y[:, ::-1]
    dx = (drive - p.adaptation_gain[:, None] * v + u) / p.rise_time[:, None]
    dv = (y - v) / p.adaptation_time[:, None]
    return dx, dv


def simulate(
    p: MatsuokaParameters,
    duration: float,
    step: float,
    *,
    state: MatsuokaState | None = None,
    rate_scale: Callable[[float], np.ndarray] | None = None,
    inputs: Callable[[float], np.ndarray] | None = None,
    record_every: int = 1,
) -> CPGTrace:
    """Integrate the oscillator for ``duration`` s with fixed RK4 steps ``step`` (s).

    ``rate_scale(t) -> (S,)`` multiplies all derivatives (the oscillator's clock runs at that
    rate: its frequency is scaled by it); ``inputs(t) -> (S, 2)`` is the feedback ``u_i``. Every
    ``record_every``-th step is kept (the start included).
    """
    if duration <= 0 or step <= 0:
        raise ParameterError(f"CPG duration and step must be positive (got {duration}, {step})")
    st = state or MatsuokaState.start(p)
    x, v = st.x.astype(float), st.v.astype(float)
    n = round(duration / step)
    zero = np.zeros_like(x)

    def rhs(t: float, x: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dx, dv = _derivatives(x, v, p, inputs(t) if inputs else zero)
        if rate_scale is not None:
            r = np.asarray(rate_scale(t), dtype=float)[:, None]
            dx, dv = dx * r, dv * r
        return dx, dv

    keep = np.arange(0, n + 1, record_every)
    xs = np.empty((x.shape[0], 2, keep.size))
    xs[:, :, 0] = x
    h = step
    for i in range(1, n + 1):
        t = (i - 1) * h
        k1x, k1v = rhs(t, x, v)
        k2x, k2v = rhs(t + 0.5 * h, x + 0.5 * h * k1x, v + 0.5 * h * k1v)
        k3x, k3v = rhs(t + 0.5 * h, x + 0.5 * h * k2x, v + 0.5 * h * k2v)
        k4x, k4v = rhs(t + h, x + h * k3x, v + h * k3v)
        x = x + h / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
        v = v + h / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
        if i % record_every == 0:
            xs[:, :, i // record_every] = x
    if not np.all(np.isfinite(x)):
        raise ParameterError("CPG state became non-finite; reduce the integration step")
    return CPGTrace(keep * h, xs, np.maximum(xs, 0.0), MatsuokaState(x, v))


def _upward_crossings(time: np.ndarray, signal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Interpolated times of upward zero crossings, ``(S, N-1)`` (NaN elsewhere), and the mask."""
    s0, s1 = signal[:, :-1], signal[:, 1:]
    up = (s0 < 0.0) & (s1 >= 0.0)
    frac = np.where(up, -s0 / np.where(up, s1 - s0, 1.0), 0.0)
    return np.where(up, time[:-1] + frac * np.diff(time), np.nan), up


def _pick(times: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """The time of the first ``hit`` in each row (NaN where none), ``(S,)``."""
    idx = np.argmax(hit, axis=1)[:, None]
    return np.where(hit.any(axis=1), np.take_along_axis(times, idx, axis=1)[:, 0], np.nan)


def measure_frequency(
    time: np.ndarray,
    signal: np.ndarray,
    transient: np.ndarray | float = 0.0,
    cycles: int | None = None,
    level: float | None = None,
) -> np.ndarray:
    """Frequency (Hz) of ``signal (S, N)`` from its upward crossings of ``level`` (default: its
    mean after the transient) after ``transient`` s (scalar or ``(S,)``):
    ``cycles / (t[cycles] - t[0])`` over the first ``cycles + 1`` crossings, or over all of them
    when ``cycles`` is None. NaN where there are too few."""
    s = np.asarray(signal, dtype=float)
    after = (
        time[None, :] >= np.broadcast_to(np.asarray(transient, dtype=float), s.shape[:1])[:, None]
    )
    n_after = after.sum(axis=1)
    if level is None:
        centre = np.where(after, s, 0.0).sum(axis=1) / np.maximum(n_after, 1)
    else:
        centre = np.full(s.shape[0], float(level))
    tc, up = _upward_crossings(time, s - centre[:, None])
    valid = up & after[:, :-1]
    rank = np.cumsum(valid, axis=1)
    count = rank[:, -1] if rank.shape[1] else np.zeros(s.shape[0], dtype=int)
    n = count - 1 if cycles is None else np.full(s.shape[0], int(cycles))
    first = _pick(tc, valid & (rank == 1))
    last = _pick(tc, valid & (rank == (n + 1)[:, None]))
    ok = (n >= 1) & (count >= n + 1)
    return np.where(ok, n / np.where(ok, last - first, 1.0), np.nan)


def _unit_time(p: MatsuokaParameters) -> MatsuokaParameters:
    """``p`` with time measured in units of each subject's rise time (rise time 1)."""
    return p.scaled(1.0 / p.rise_time)


def simulated_frequency(p: MatsuokaParameters, numerics: CPGNumerics) -> np.ndarray:
    """Frequency (Hz) of the simulated limit cycle, ``(S,)``.

    Each subject is integrated in units of its own rise time (same relative step for all) and
    measured over the same number of cycles, so the result does not depend on the batch.
    """
    check(p)
    unit = _unit_time(p)
    period = 1.0 / analytic_frequency(unit)
    transient = numerics.transient_cycles * period
    # the analytic period may be short by up to ~30 % near the edges of the oscillation region
    duration = float(np.max(transient + (numerics.measured_cycles + 1.0) * period * 1.5))
    trace = simulate(unit, duration, 1.0 / numerics.steps_per_rise_time)
    signal = trace.x[:, 0] - trace.x[:, 1]
    f = measure_frequency(trace.time, signal, transient, round(numerics.measured_cycles), 0.0)
    if np.any(np.isnan(f)):
        raise ParameterError("CPG did not settle on a limit cycle within the simulated window")
    return f / p.rise_time


def tuned(
    p: MatsuokaParameters,
    frequency: np.ndarray | float,
    numerics: CPGNumerics | None = None,
) -> MatsuokaParameters:
    """Time constants rescaled so that the oscillator runs at ``frequency`` Hz, ``(S,)``.

    With ``numerics`` the scale comes from the simulated frequency (exact up to integration
    error, since frequency is proportional to 1/scale); without, from :func:`analytic_frequency`.
    """
    target = np.asarray(frequency, dtype=float)
    if np.any(~(target > 0)):
        raise ParameterError(f"CPG target frequency must be positive (got {frequency})")
    check(p)
    now = analytic_frequency(p) if numerics is None else simulated_frequency(p, numerics)
    return p.scaled(now / target)


def _gather(y: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``y[s, :, index[s, n]]`` for ``y (S, 2, M)`` and integers ``index (S, N)``: ``(S, 2, N)``."""
    idx = np.broadcast_to(index[:, None, :], (index.shape[0], y.shape[1], index.shape[1]))
    return np.take_along_axis(y, idx, axis=2)


@dataclass(frozen=True)
class LimitCycle:
    """One cycle of the oscillator's outputs against phase (0 = upward crossing of x1 - x2).

    ``y`` is ``(S, 2, M)`` at phases ``m/M``; ``frequency`` the cycle's frequency (Hz) at the
    parameters it was computed with; ``peak`` ``(S,)`` the largest output over the cycle.
    """

    y: np.ndarray
    frequency: np.ndarray

    @property
    def peak(self) -> np.ndarray:
        return self.y.max(axis=(1, 2))

    def drive(self, phase: np.ndarray, normalise: bool = True) -> np.ndarray:
        """Flexor/extensor drive ``(S, 2, N)`` at ``phase (S, N)`` in cycles (any real values).

        ``normalise`` divides by :attr:`peak`, so the drive lies in [0, 1].
        """
        m = self.y.shape[2]
        pos = np.mod(np.asarray(phase, dtype=float), 1.0) * m
        i0 = np.floor(pos).astype(int) % m
        w = (pos - np.floor(pos))[:, None, :]
        y0 = _gather(self.y, i0)
        out = y0 + w * (_gather(self.y, (i0 + 1) % m) - y0)
        return out / self.peak[:, None, None] if normalise else out


def limit_cycle(p: MatsuokaParameters, numerics: CPGNumerics) -> LimitCycle:
    """Sample the settled limit cycle of ``p`` on ``numerics.phase_points`` phases: the cycle
    between the first two upward crossings of ``x1 - x2`` after the transient."""
    check(p)
    unit = _unit_time(p)
    period = 1.0 / analytic_frequency(unit)
    transient = numerics.transient_cycles * period
    h = 1.0 / numerics.steps_per_rise_time
    trace = simulate(unit, float(np.max(transient + 3.0 * period * 1.5)), h)
    tc, up = _upward_crossings(trace.time, trace.x[:, 0] - trace.x[:, 1])
    valid = up & (trace.time[None, :-1] >= transient[:, None])
    rank = np.cumsum(valid, axis=1)
    t_start = _pick(tc, valid & (rank == 1))
    t_end = _pick(tc, valid & (rank == 2))
    if np.any(~np.isfinite(t_end - t_start)):
        raise ParameterError("CPG did not settle on a limit cycle within the simulated window")
    cycle = t_end - t_start
    phases = np.arange(numerics.phase_points) / numerics.phase_points
    pos = (t_start[:, None] + phases[None, :] * cycle[:, None]) / h  # fractional sample index
    i0 = np.floor(pos).astype(int)
    w = (pos - i0)[:, None, :]
    y0 = _gather(trace.y, i0)
    y1 = _gather(trace.y, i0 + 1)
    return LimitCycle(y0 + w * (y1 - y0), 1.0 / (cycle * p.rise_time))


# --- walking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GaitParameters:
    """Cadence model parameters, arrays ``(S,)``."""

    walk_ratio: np.ndarray  # step length / cadence, m per (step/min)
    min_speed: np.ndarray  # m/s
    max_speed: np.ndarray  # m/s

    @classmethod
    def from_values(cls, values: Values) -> GaitParameters:
        def v(name: str, unit: str) -> np.ndarray:
            return np.asarray(values(f"gait.{name}", unit), dtype=float)

        return cls(v("walk_ratio", "m*min"), v("min_speed", "m/s"), v("max_speed", "m/s"))


def check_walking_speed(speed: np.ndarray | float, gait: GaitParameters, where: str = "") -> None:
    """Raise :class:`ScenarioError` where ``speed`` (m/s) is outside the cadence model's range."""
    v = np.broadcast_to(np.asarray(speed, dtype=float), gait.walk_ratio.shape)
    bad = np.flatnonzero(~((v >= gait.min_speed) & (v <= gait.max_speed)))
    if bad.size:
        i = bad[0]
        pre = f"{where}: " if where else ""
        raise ScenarioError(
            f"{pre}walking speed {v[i]:g} m/s is outside the range "
            f"{gait.min_speed[i]:.2f}-{gait.max_speed[i]:.2f} m/s supported by the cadence model "
            "(constant walk ratio above the lower boundary of Murakami & Otaka 2017, up to the "
            "walk-run transition of Hansen et al. 2017)"
        )


def cadence(speed: np.ndarray | float, gait: GaitParameters, where: str = "") -> np.ndarray:
    """Steps per minute at walking ``speed`` (m/s): ``sqrt(60 v / walk_ratio)``, ``(S,)``."""
    check_walking_speed(speed, gait, where)
    return np.sqrt(60.0 * np.asarray(speed, dtype=float) / gait.walk_ratio)


def stride_frequency(
    speed: np.ndarray | float, gait: GaitParameters, where: str = ""
) -> np.ndarray:
    """Gait-cycle (stride) frequency in Hz: ``cadence / 2 / 60``, ``(S,)``."""
    return cadence(speed, gait, where) / 120.0


def walking_drive(
    cycle: LimitCycle,
    speed: np.ndarray | float,
    gait: GaitParameters,
    times: np.ndarray,
    where: str = "",
) -> np.ndarray:
    """Normalised flexor/extensor drive ``(S, 2, N)`` of steady walking at ``speed`` (m/s) at
    ``times (N,)`` s: the limit cycle read at phase ``stride_frequency * t``."""
    f = stride_frequency(speed, gait, where)
    return cycle.drive(f[:, None] * np.asarray(times, dtype=float)[None, :])
