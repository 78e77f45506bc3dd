r"""Walking: a half-centre CPG drives the leg's flexor and extensor motor pools at the cadence
of the walking speed.

**Rhythm.** The stride frequency comes from the constant-walk-ratio cadence model
(:func:`~myoaxis.physiology.neural.cpg.stride_frequency`, Murakami & Otaka 2017), one CPG cycle
per stride. The Matsuoka half-centre oscillator (:mod:`~myoaxis.physiology.neural.cpg`) gives the
flexor (swing) and extensor (stance) drives. A symmetric oscillator alternates 50/50, but the
stance phase of walking lasts about 60 % of the stride and shortens with speed; Kirtley et al.
(1985) give

.. math:: \sigma(v) = \sigma_0 + \sigma_1 v \qquad (64.2\,\% - 3.5\,\%\ \text{per m/s}).

We make the oscillator asymmetric with an extra tonic input :math:`\delta s` to the extensor
neuron (:math:`u = (0, \delta s)` in Matsuoka's equations): the extensor then dominates longer.
For each subject :math:`\delta` is found so that the extensor-dominant part of the settled cycle
(:math:`x_2 > x_1`) is :math:`\sigma(v)`: the stance fraction is simulated on a grid of
:math:`\delta`, interpolated, and refined by one secant step (:func:`asymmetry_for_stance`).
Driving the CPG's phase durations by the speed command follows Yakovenko et al. (2018). The
settled cycle, read from stance onset (phase 0 = foot contact, the downward crossing of
:math:`x_1 - x_2`), is stored against phase with each half-centre's output divided by its own
peak, and the walk reads it at phase :math:`f t` (the oscillator's own tempo does not matter:
time scaling leaves the waveform against phase unchanged).

**Excitation.** Each gait muscle group (:data:`GAIT_MUSCLES`) follows one half-centre
(:data:`HALF_CENTRE`): tibialis anterior the flexor (swing), the triceps surae and the quadriceps
the extensor (stance). Its excitation is :math:`u_g = \min(A_g(v)\,\hat y_{c(g)}(\phi),\ V)`, with
:math:`\hat y \in [0, 1]` the normalised drive, :math:`V` the central ceiling (not updated: the
rhythm is spinal and the central-fatigue model, calibrated on sustained maximal efforts, is not
applied to walking) and the peak excitation

.. math:: A_g(v) = A_g^{ref}\,\bigl((1 - k_g) + k_g\, v / v_{ref}\bigr),

a constant plus a speed-proportional part (the form of Hof et al. 2002), with :math:`A_g^{ref}`
the mean peak EMG in %MVC of normal level walking (Ericson et al. 1986).

**No leg mechanics.** The pools are driven isometrically: each group's muscle–tendon heads are
held at the group's test length (as in an isometric bout), so the forces are those of the pools'
activation at a fixed posture, not walking forces; joints, ground contact and segment motion are
not simulated. One leg is simulated; the other is the same half a stride later, so the
slow-layer aggregate (active mass × activation, averaged over each coupling window) counts the
groups' mass in both legs. The muscle states (unit fatigue and recovery) are updated in place,
as by :func:`~myoaxis.bouts.isometric`; the muscles' energy stores are not.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import pairwise

import numpy as np

from myoaxis.body import Body
from myoaxis.bouts import Bout, FastSettings, pool_drive
from myoaxis.core.errors import ParameterError, ScenarioError, SimulationError
from myoaxis.core.rng import SubjectRNG
from myoaxis.muscle_state import MuscleState
from myoaxis.muscles import GAIT_MUSCLES
from myoaxis.physiology.muscle import activation, mtu
from myoaxis.physiology.neural import cpg, motor_pool

FLEXOR, EXTENSOR = 0, 1  # half-centre index in the oscillator's outputs
HALF_CENTRE = {
    "ankle_dorsiflexors": FLEXOR,
    "ankle_plantarflexors": EXTENSOR,
    "knee_extensors": EXTENSOR,
}
LEGS = 2  # legs whose muscles feed the slow layer (the second mirrors the simulated one)


@dataclass(frozen=True)
class WalkingParameters:
    """Stance timing and excitation amplitudes of walking, arrays ``(S,)``."""

    stance_intercept: np.ndarray  # sigma_0, fraction of the stride
    stance_slope: np.ndarray  # sigma_1, per (m/s)
    search_range: float  # largest |delta| searched
    grid_points: int  # deltas simulated on [-search_range, search_range]
    reference_speed: np.ndarray  # v_ref, m/s
    peak_excitation: dict[str, np.ndarray]  # A_g^ref per gait muscle group
    speed_share: dict[str, np.ndarray]  # k_g

    @classmethod
    def from_values(cls, values: cpg.Values) -> WalkingParameters:
        """Build from ``values(name, unit) -> (S,)`` (e.g. ``Body.values``)."""

        def v(name: str, unit: str = "dimensionless") -> np.ndarray:
            return np.asarray(values(f"gait.{name}", unit), dtype=float)

        def one(name: str) -> float:
            arr = v(name)
            if not np.all(arr == arr.flat[0]):
                raise ParameterError(f"gait.{name} must be equal across a batch")
            return float(arr.flat[0])

        p = cls(
            stance_intercept=v("stance_fraction_intercept"),
            stance_slope=v("stance_fraction_slope", "s/m"),
            search_range=one("asymmetry_search_range"),
            grid_points=int(one("asymmetry_grid_points")),
            reference_speed=v("emg_reference_speed", "m/s"),
            peak_excitation={g: v(f"{g}.peak_excitation") for g in GAIT_MUSCLES},
            speed_share={g: v(f"{g}.speed_share") for g in GAIT_MUSCLES},
        )
        p.check()
        return p

    def check(self) -> None:
        if not (0.0 < self.search_range < 1.0) or self.grid_points < 3:
            raise ParameterError(
                "gait.asymmetry_search_range must lie in (0, 1) and gait.asymmetry_grid_points "
                f"be at least 3 (got {self.search_range:g}, {self.grid_points})"
            )
        if np.any(~(self.reference_speed > 0)):
            raise ParameterError("gait.emg_reference_speed must be positive")
        for g in GAIT_MUSCLES:
            a, k = self.peak_excitation[g], self.speed_share[g]
            if np.any(~((a >= 0) & (a <= 1))) or np.any(~((k >= 0) & (k <= 1))):
                raise ParameterError(
                    f"gait.{g}.peak_excitation and gait.{g}.speed_share must lie in [0, 1]"
                )


def stance_fraction(speed: np.ndarray | float, p: WalkingParameters) -> np.ndarray:
    """Stance duration as a fraction of the stride at ``speed`` (m/s), ``(S,)``."""
    return p.stance_intercept + p.stance_slope * np.asarray(speed, dtype=float)


def peak_excitation(speed: np.ndarray | float, p: WalkingParameters) -> dict[str, np.ndarray]:
    """Peak excitation ``A_g(v)`` of every gait muscle group at ``speed`` (m/s), each ``(S,)``."""
    share = np.asarray(speed, dtype=float) / p.reference_speed
    return {
        g: p.peak_excitation[g] * ((1.0 - p.speed_share[g]) + p.speed_share[g] * share)
        for g in GAIT_MUSCLES
    }


# --- the asymmetric half-centre oscillator ------------------------------------------------------


def _crossings(
    time: np.ndarray, signal: np.ndarray, falling: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Interpolated times ``(S, N-1)`` of zero crossings of ``signal (S, N)`` (NaN elsewhere)
    in one direction, and where they are."""
    s0, s1 = signal[:, :-1], signal[:, 1:]
    hit = (s0 > 0.0) & (s1 <= 0.0) if falling else (s0 < 0.0) & (s1 >= 0.0)
    frac = np.where(hit, s0 / np.where(hit, s0 - s1, 1.0), 0.0)
    return np.where(hit, time[:-1] + frac * np.diff(time), np.nan), hit


def _first_after(times: np.ndarray, hit: np.ndarray, after: np.ndarray) -> np.ndarray:
    """The first crossing time later than ``after (S,)`` in each row, NaN where none."""
    later = hit & (times > after[:, None])
    idx = np.argmax(later, axis=1)[:, None]
    first = np.take_along_axis(times, idx, axis=1)[:, 0]
    return np.where(later.any(axis=1), first, np.nan)


def _gather(y: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``y[s, :, index[s, n]]`` for ``y (S, 2, M)`` and integers ``index (S, N)``."""
    idx = np.broadcast_to(index[:, None, :], (index.shape[0], y.shape[1], index.shape[1]))
    return np.take_along_axis(y, idx, axis=2)


@dataclass(frozen=True)
class _Settled:
    """One settled cycle of simulated traces, in units of each subject's rise time."""

    trace: cpg.CPGTrace
    step: float
    start: np.ndarray  # stance onset: x1 - x2 falls through 0
    toe_off: np.ndarray  # swing onset: x1 - x2 rises through 0
    end: np.ndarray  # next stance onset

    @property
    def stance(self) -> np.ndarray:
        return (self.toe_off - self.start) / (self.end - self.start)


def _settle(
    p: cpg.MatsuokaParameters, numerics: cpg.CPGNumerics, asymmetry: np.ndarray
) -> _Settled:
    """Simulate the oscillator with extra tonic input ``asymmetry * s`` to the extensor and
    locate its first full cycle (stance onset to stance onset) after the transient."""
    cpg.check(p)
    unit = p.scaled(1.0 / p.rise_time)  # time in rise times: the same relative step for all
    period = 1.0 / cpg.analytic_frequency(unit)
    transient = numerics.transient_cycles * period
    step = 1.0 / numerics.steps_per_rise_time
    bias = np.stack([np.zeros_like(unit.tonic_input), asymmetry * unit.tonic_input], axis=1)
    # a full cycle starts within one period after the transient and lasts about one period;
    # asymmetric cycles are up to ~10 % slower than the analytic (symmetric) one
    duration = float(np.max(transient + 4.0 * period))
    trace = cpg.simulate(unit, duration, step, inputs=lambda _t: bias)
    difference = trace.x[:, 0] - trace.x[:, 1]
    t_down, down = _crossings(trace.time, difference, falling=True)
    t_up, up = _crossings(trace.time, difference, falling=False)
    start = _first_after(t_down, down, transient)
    toe_off = _first_after(t_up, up, start)
    end = _first_after(t_down, down, toe_off)
    return _Settled(trace, step, start, toe_off, end)


@dataclass(frozen=True)
class GaitCycle:
    """The CPG's settled stride: ``cycle.y (S, 2, M)`` flexor/extensor drive against phase
    (0 = stance onset), each half-centre divided by its own peak; the stance fraction of the
    cycle (extensor dominant, ``(S,)``) and the asymmetry that produced it."""

    cycle: cpg.LimitCycle
    stance_fraction: np.ndarray
    asymmetry: np.ndarray

    def drive(self, phase: np.ndarray) -> np.ndarray:
        """Normalised flexor/extensor drive ``(S, 2, N)`` at ``phase (S, N)`` in strides."""
        return self.cycle.drive(phase, normalise=False)


def gait_cycle(
    p: cpg.MatsuokaParameters, numerics: cpg.CPGNumerics, asymmetry: np.ndarray
) -> GaitCycle:
    """The settled stride of the oscillator with extensor asymmetry ``asymmetry (S,)``."""
    asymmetry = np.broadcast_to(np.asarray(asymmetry, dtype=float), p.rise_time.shape)
    s = _settle(p, numerics, asymmetry)
    if np.any(~np.isfinite(s.end)):
        bad = np.flatnonzero(~np.isfinite(s.end))
        raise ParameterError(
            f"the walking CPG of subject(s) {', '.join(map(str, bad))} does not oscillate with "
            f"extensor asymmetry {asymmetry[bad[0]]:g}"
        )
    cycle = s.end - s.start
    phases = np.arange(numerics.phase_points) / numerics.phase_points
    pos = (s.start[:, None] + phases[None, :] * cycle[:, None]) / s.step  # fractional index
    i0 = np.floor(pos).astype(int)
    w = (pos - i0)[:, None, :]
    y0 = _gather(s.trace.y, i0)
    y = y0 + w * (_gather(s.trace.y, i0 + 1) - y0)
    y = y / y.max(axis=2, keepdims=True)
    return GaitCycle(cpg.LimitCycle(y, 1.0 / (cycle * p.rise_time)), s.stance, asymmetry.copy())


def _repeat(p: cpg.MatsuokaParameters, n: int) -> cpg.MatsuokaParameters:
    """Each subject's oscillator ``n`` times over (subject-major)."""
    return cpg.MatsuokaParameters(
        **{f.name: np.repeat(getattr(p, f.name), n) for f in fields(cpg.MatsuokaParameters)}
    )


def asymmetry_for_stance(
    p: cpg.MatsuokaParameters,
    numerics: cpg.CPGNumerics,
    target: np.ndarray,
    search_range: float,
    grid_points: int,
) -> np.ndarray:
    """Extensor asymmetry ``delta (S,)`` whose settled cycle has stance fraction ``target``.

    The stance fraction rises monotonically with ``delta``; it is simulated on ``grid_points``
    values in ``[-search_range, search_range]`` (one batch), interpolated between the two
    values that bracket the target, and refined by one secant step using that bracket's slope.
    """
    target = np.broadcast_to(np.asarray(target, dtype=float), p.rise_time.shape)
    grid = np.linspace(-search_range, search_range, grid_points)
    n = target.size
    stance = _settle(_repeat(p, grid.size), numerics, np.tile(grid, n)).stance.reshape(n, -1)
    above = np.nan_to_num(stance, nan=-np.inf) >= target[:, None]
    j = np.clip(np.argmax(above, axis=1), 1, grid.size - 1)
    rows = np.arange(n)
    lo, hi = stance[rows, j - 1], stance[rows, j]
    ok = above.any(axis=1) & np.isfinite(lo) & (lo < target) & (hi >= target)
    if not ok.all():
        i = np.flatnonzero(~ok)[0]
        reach = stance[i][np.isfinite(stance[i])]
        span = f"{reach.min():.3f}-{reach.max():.3f}" if reach.size else "none"
        raise ParameterError(
            f"stance fraction {target[i]:.3f} of subject {i} is outside what the walking CPG "
            f"reaches with asymmetries within +/-{search_range:g} ({span})"
        )
    slope = (hi - lo) / (grid[j] - grid[j - 1])
    first = grid[j - 1] + (target - lo) / slope
    achieved = _settle(p, numerics, first).stance
    refined = first + (target - achieved) / slope
    return np.where(np.isfinite(refined), refined, first)


def walking_cycle(
    speed: np.ndarray | float,
    values: cpg.Values,
    where: str = "",
) -> tuple[GaitCycle, np.ndarray]:
    """The CPG stride of walking at ``speed`` (m/s) and the stride frequency (Hz), ``(S,)``.

    Speeds outside the cadence model's range raise :class:`ScenarioError` (prefixed ``where``).
    The stride depends only on the oscillator, the numerics and the target stance fractions, so
    it is memoised on their values (a protocol may walk many times at the same speeds).
    """
    gait = cpg.GaitParameters.from_values(values)
    frequency = cpg.stride_frequency(speed, gait, where)
    v = np.broadcast_to(np.asarray(speed, dtype=float), frequency.shape)
    wp = WalkingParameters.from_values(values)
    p = cpg.MatsuokaParameters.from_values(values)
    key = tuple(tuple(getattr(p, f.name).tolist()) for f in fields(cpg.MatsuokaParameters))
    cycle = _walking_cycle(
        key,
        cpg.CPGNumerics.from_values(values),
        tuple(stance_fraction(v, wp).tolist()),
        wp.search_range,
        wp.grid_points,
    )
    return cycle, frequency


@lru_cache(maxsize=64)
def _walking_cycle(
    oscillator: tuple[tuple[float, ...], ...],
    numerics: cpg.CPGNumerics,
    stance: tuple[float, ...],
    search_range: float,
    grid_points: int,
) -> GaitCycle:
    p = cpg.MatsuokaParameters(*(np.array(column) for column in oscillator))
    delta = asymmetry_for_stance(p, numerics, np.array(stance), search_range, grid_points)
    return gait_cycle(p, numerics, delta)


# --- the bout -----------------------------------------------------------------------------------


def _stacked_heads(muscles) -> tuple[mtu.MTUParameters, np.ndarray, list[slice]]:
    """All groups' heads side by side: parameters and test lengths ``(S, H)``, and each
    group's slice of the head axis."""
    params = mtu.MTUParameters(
        **{
            f.name: np.concatenate([getattr(m.mtu, f.name) for m in muscles], axis=1)
            for f in fields(mtu.MTUParameters)
        }
    )
    lengths = np.concatenate([m.test_length for m in muscles], axis=1)
    edges = np.cumsum([0] + [m.test_length.shape[1] for m in muscles])
    return params, lengths, [slice(a, b) for a, b in pairwise(edges)]


@dataclass
class _MeanFieldStack:
    """Mean-field pools of the groups ``index`` (equal unit counts), stacked on the subject axis."""

    index: list[int]
    props: motor_pool.PoolProperties
    fatigue: motor_pool.FatigueState
    tau: tuple[np.ndarray, np.ndarray]  # activation and deactivation time constants, s
    act: np.ndarray


class _Pools:
    """The gait groups' motor pools, advanced a block of steps at a time.

    Spiking pools (:func:`~myoaxis.bouts.pool_drive`) take a whole block of excitation per call.
    Mean-field pools must be stepped one by one; groups with equal unit counts are stacked
    along the subject axis and stepped as one batch, exactly as ``bouts._Drive`` steps one:
    :func:`~motor_pool.mean_field_step`, then first-order activation dynamics. Unit fatigue is
    written back to the muscle states after every block.
    """

    def __init__(self, body: Body, muscles, states, settings: FastSettings, rng: SubjectRNG):
        self.n, self.states = body.n_subjects, states
        self.drives, self.stacks = [], []
        if settings.mode == "spiking":
            self.drives = [
                pool_drive(body, m, settings, rng, st)
                for m, st in zip(muscles, states, strict=True)
            ]
            return
        tau = (
            body.values("activation.time_constant", "s"),
            body.values("activation.deactivation_time_constant", "s"),
        )
        for units in dict.fromkeys(m.pool.n_units for m in muscles):
            idx = [i for i, m in enumerate(muscles) if m.pool.n_units == units]
            props = motor_pool.PoolProperties(
                **{
                    f.name: np.concatenate([getattr(muscles[i].pool, f.name) for i in idx])
                    for f in fields(motor_pool.PoolProperties)
                }
            )
            fatigue = motor_pool.FatigueState(
                np.concatenate([states[i].fatigue.capacity for i in idx]),
                np.concatenate([states[i].fatigue.adaptation for i in idx]),
            )
            taus = (np.tile(tau[0], len(idx)), np.tile(tau[1], len(idx)))
            self.stacks.append(
                _MeanFieldStack(idx, props, fatigue, taus, np.zeros(len(idx) * self.n))
            )

    def advance(self, u: list[np.ndarray], t: float, h: float) -> list[np.ndarray]:
        """Activations ``(S, n)`` of every group over ``n`` steps of excitations ``(S, n)``."""
        if self.drives:
            return [d.advance(ug, t, h) for d, ug in zip(self.drives, u, strict=True)]
        out: list[np.ndarray] = [np.empty(0)] * len(u)
        for st in self.stacks:
            excitation = np.concatenate([u[i] for i in st.index])
            a = np.empty_like(excitation)
            for k in range(excitation.shape[1]):
                target, st.fatigue = motor_pool.mean_field_step(
                    st.props, excitation[:, k], st.fatigue, h
                )
                st.act = activation.advance(st.act, target, h, *st.tau)
                a[:, k] = st.act
            for j, i in enumerate(st.index):
                rows = slice(j * self.n, (j + 1) * self.n)
                out[i] = a[rows]
                self.states[i].fatigue = motor_pool.FatigueState(
                    st.fatigue.capacity[rows].copy(), st.fatigue.adaptation[rows].copy()
                )
        return out


def walk(
    body: Body,
    states: dict[str, MuscleState],
    speed: float | np.ndarray,
    duration: float,
    settings: FastSettings,
    rng: SubjectRNG,
    where: str = "",
) -> tuple[Bout, dict[str, np.ndarray]]:
    """Walk at ``speed`` (m/s, scalar or ``(S,)``) for ``duration`` (s): the CPG drives the
    gait muscle groups' pools (no leg mechanics; see the module docstring).

    ``states`` holds the :class:`MuscleState` of every group in :data:`GAIT_MUSCLES` (one leg);
    they are updated in place (unit fatigue and recovery, ``time``). The bout's traces, sampled
    every ``settings.output_period``, are ``excitation_<group>``, ``activation_<group>``
    (fractions of maximal), ``force_<group>`` (N, at the group's test length) and ``cpg_phase``
    (strides since the bout's start, modulo 1; 0 = stance onset); its windows carry both legs'
    active mass × activation (kg) for the slow layer. Also returned, each ``(S,)``:
    ``cadence`` (steps/min), ``stride_frequency`` (Hz), ``steps`` (steps of both legs completed
    over the bout), ``stance_fraction`` (of the CPG's stride) and ``speed`` (m/s).

    A speed outside the cadence model's range raises :class:`ScenarioError` whose message
    starts with ``where``.
    """
    pre = f"{where}: " if where else ""
    missing = [g for g in GAIT_MUSCLES if g not in states]
    if missing:
        raise SimulationError(f"{pre}walking needs the muscle states of {', '.join(missing)}")
    if not duration > 0:
        raise ScenarioError(f"{pre}walking duration must be positive (got {duration:g} s)")
    gait, frequency = walking_cycle(speed, body.values, where)
    v = np.broadcast_to(np.asarray(speed, dtype=float), frequency.shape)
    amplitude = peak_excitation(v, WalkingParameters.from_values(body.values))
    muscles = [body.muscle(g) for g in GAIT_MUSCLES]
    pools = _Pools(body, muscles, [states[g] for g in GAIT_MUSCLES], settings, rng)
    heads, lengths, slices = _stacked_heads(muscles)
    fiber = mtu.static_fiber_length(heads, lengths, 0.0)
    mass = np.stack([m.mass for m in muscles])  # (G, S)
    n_steps, stride = settings.steps(duration)
    h = settings.dt
    h2 = np.full((1, 1), h)  # 2-D, so mtu.step need not reshape its arguments
    block = max(1, round(settings.coupling_window / h))
    rows: dict[str, list[np.ndarray]] = {}
    windows: list[tuple[float, float, np.ndarray]] = []
    for k0 in range(0, n_steps, block):
        steps = np.arange(k0, min(k0 + block, n_steps))
        phase = frequency[:, None] * ((steps + 1) * h)[None, :]  # (S, n), at each step's end
        y = gait.drive(phase)
        u = [
            np.minimum(amplitude[g][:, None] * y[:, HALF_CENTRE[g]], states[g].ceiling[:, None])
            for g in GAIT_MUSCLES
        ]
        a = pools.advance(u, k0 * h, h)
        head_a = np.concatenate(
            [
                np.repeat(ag[:, None, :], sl.stop - sl.start, axis=1)
                for ag, sl in zip(a, slices, strict=True)
            ],
            axis=1,
        )
        head_force = np.empty_like(head_a)
        for i in range(steps.size):
            fiber, head_force[:, :, i] = mtu.step(heads, lengths, head_a[:, :, i], fiber, h2)
        force = [head_force[:, sl].sum(axis=1) for sl in slices]
        if not all(np.all(np.isfinite(x)) for x in (*a, *force)):
            raise SimulationError(f"{pre}walking forces became non-finite near t = {k0 * h:g} s")
        active = LEGS * sum(mg[:, None] * ag for mg, ag in zip(mass, a, strict=True))
        windows.append((k0 * h, (steps[-1] + 1) * h, active.mean(axis=1)))
        keep = (steps + 1) % stride == 0
        for g, ug, ag, fg in zip(GAIT_MUSCLES, u, a, force, strict=True):
            rows.setdefault(f"excitation_{g}", []).append(ug[:, keep])
            rows.setdefault(f"activation_{g}", []).append(ag[:, keep])
            rows.setdefault(f"force_{g}", []).append(fg[:, keep])
        rows.setdefault("cpg_phase", []).append(np.mod(phase[:, keep], 1.0))
    for g in GAIT_MUSCLES:
        states[g].time += n_steps * h
    traces = {name: np.concatenate(parts, axis=1) for name, parts in rows.items()}
    n_out = traces["cpg_phase"].shape[1]
    units = {name: ("N" if name.startswith("force_") else "1") for name in traces}
    bout = Bout(
        (np.arange(1, n_out + 1) * stride) * h, traces, units, windows, duration=n_steps * h
    )
    info = {
        "cadence": 120.0 * frequency,
        "stride_frequency": frequency,
        "steps": np.floor(2.0 * frequency * n_steps * h + 1e-9),
        "stance_fraction": gait.stance_fraction,
        "speed": v.copy(),
    }
    return bout, info
