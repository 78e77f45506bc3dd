"""Fast-layer bouts: contractions and movements, stepped at ``fast.dt`` for every subject.

Each bout couples the cortex (closed loop), the motor-unit pools (spiking, or their mean field
followed by activation dynamics), the muscle–tendon heads and, for movements, the elbow. A bout
returns its traces (sampled every ``fast.output_period``) and the per-window aggregates that
the slow layer receives through its ports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from myoaxis.body import Body, Muscle
from myoaxis.core.errors import ParameterError, ScenarioError, SimulationError
from myoaxis.core.rng import SubjectRNG
from myoaxis.muscle_state import MuscleState
from myoaxis.muscles import ELBOW_PAIR
from myoaxis.physiology.muscle import activation, emg, energetics, mtu
from myoaxis.physiology.musculoskeletal import elbow
from myoaxis.physiology.neural import (
    afferents,
    central_fatigue,
    cortex,
    motor_pool,
    reflex,
    spinal,
)


@dataclass
class Bout:
    """Traces ``name -> (subjects, samples)`` and aggregates of one fast-layer bout."""

    time: np.ndarray  # s since the bout's start
    traces: dict[str, np.ndarray]
    units: dict[str, str]
    windows: list[tuple[float, float, np.ndarray]] = field(default_factory=list)
    # (start_s, end_s, active_mass_activation (S,) kg) relative to the bout's start
    duration: float = 0.0  # s actually simulated (a bout to failure may stop early)
    failure_time: np.ndarray | None = None  # s since the bout's start; nan = did not fail
    spikes: motor_pool.SpikeLog | None = None
    muscle: str | None = None  # the muscle of an isometric bout


@dataclass(frozen=True)
class Failure:
    """Task failure: force below ``(1 - tolerance)`` of the target for ``hold`` seconds while
    the cortex gives all it can. The endurance time is when that spell began."""

    tolerance: float
    hold: float


@dataclass
class _Drive:
    """One muscle's neural drive: spiking pool state or mean-field activation.

    Both modes update the muscle's unit fatigue state (``state.fatigue``) in place.
    """

    muscle: Muscle
    mode: str
    rng: SubjectRNG
    tau: tuple[np.ndarray, np.ndarray]
    state: MuscleState
    log: motor_pool.SpikeLog | None = None
    pool: motor_pool.PoolState | None = None
    act: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.mode == "spiking":
            self.pool = motor_pool.PoolState.rest(self.muscle.pool)
        else:
            self.act = np.zeros(self.muscle.pool.threshold.shape[0])

    def advance(self, u: np.ndarray, t: float, h: float) -> np.ndarray:
        props = self.muscle.pool
        if self.pool is not None:
            a, _spikes = motor_pool.advance(
                self.pool, props, u, t, h, self.rng, self.state.fatigue, self.log
            )
            return a
        target, self.state.fatigue = motor_pool.mean_field_step(props, u, self.state.fatigue, h)
        self.act = activation.advance(self.act, target, h, *self.tau)
        return self.act

    def stimulate(self, t: float) -> None:
        """A supramaximal nerve stimulus at ``t`` (needs the spiking pool)."""
        if self.pool is None:
            raise SimulationError("nerve stimulation needs the spiking motor-unit pool")
        motor_pool.stimulate(self.pool, self.muscle.pool, t, self.state.fatigue, self.log)


ENERGY_TRACES = ("pcr_muscle", "glycogen_muscle", "lactate_plasma", "vo2")


class _Energy:
    """The working muscle's energetics, stepped once per output sample on the mean activation
    over it (:func:`energetics.step`; a sample is far shorter than PCr's time constant)."""

    def __init__(self, body: Body, muscle: Muscle, state: MuscleState):
        self.p, self.muscle, self.state = body.energetics, muscle, state
        self.fast = motor_pool.fast_units(muscle.pool, self.p.fast_ref)
        self.total = np.zeros(body.n_subjects)
        self.count = 0
        self.vo2 = self.p.vo2_rest.copy()

    def add(self, a: np.ndarray) -> None:
        self.total += a
        self.count += 1

    def flush(self, u: np.ndarray, h: float) -> None:
        """Advance over the steps added since the last flush, at excitation ``u``."""
        if not self.count:
            return
        force = self.total / self.count
        fast = motor_pool.fast_force_share(self.muscle.pool, u, self.state.fatigue, self.fast)
        demand = energetics.isometric_atp_demand(force, fast, self.p)
        perfusion = energetics.perfusion_from_force(force, self.p)
        self.state.energy, out = energetics.step(
            self.state.energy, demand, perfusion, self.p, self.count * h, self.muscle.mass
        )
        self.vo2 = out.vo2
        self.total = np.zeros_like(self.total)
        self.count = 0

    def traces(self) -> dict[str, np.ndarray]:
        e = self.state.energy
        return dict(
            zip(ENERGY_TRACES, (e.pcr, e.glycogen, e.lactate_plasma, self.vo2), strict=True)
        )


class _Recorder:
    """Keeps every ``stride``-th sample and averages activation over coupling windows."""

    def __init__(self, n_steps: int, stride: int, h: float, window: float, mass: np.ndarray):
        self.stride, self.h, self.mass = stride, h, mass
        self.window_steps = max(1, round(window / h))
        self.n_steps = n_steps
        self.rows: dict[str, list[np.ndarray]] = {}
        self.windows: list[tuple[float, float, np.ndarray]] = []
        self._acc = np.zeros_like(mass)
        self._count = 0

    def add(self, k: int, t: float, activation_sum: np.ndarray, **traces: np.ndarray) -> None:
        for name, value in traces.items():
            if not np.all(np.isfinite(value)):
                raise SimulationError(f"{name} became non-finite at t = {t:.4f} s of the bout")
        self._acc += activation_sum
        self._count += 1
        if self._count == self.window_steps or k == self.n_steps - 1:
            start = (k + 1 - self._count) * self.h
            self.windows.append((start, (k + 1) * self.h, self._acc / self._count))
            self._acc = np.zeros_like(self.mass)
            self._count = 0
        if (k + 1) % self.stride == 0:
            for name, value in traces.items():
                self.rows.setdefault(name, []).append(np.array(value, dtype=float))

    def bout(self, units: dict[str, str], steps_done: int) -> Bout:
        """The bout after ``steps_done`` steps (a bout to failure may end early)."""
        if self._count:  # close the last, partial coupling window
            start = (steps_done - self._count) * self.h
            self.windows.append((start, steps_done * self.h, self._acc / self._count))
            self._acc, self._count = np.zeros_like(self.mass), 0
        traces = {k: np.stack(v, axis=1) for k, v in self.rows.items()}
        n = next(iter(traces.values())).shape[1] if traces else 0
        time = (np.arange(1, n + 1) * self.stride) * self.h
        return Bout(time, traces, units, self.windows, duration=steps_done * self.h)


@dataclass(frozen=True)
class FastSettings:
    dt: float
    output_period: float
    coupling_window: float
    mode: str = "spiking"
    spikes: bool = False  # keep spike events of isometric bouts (surface EMG)
    resistance: str = "quasi_static"  # or "fast_layer": how sets and 1RM lifts are simulated

    @classmethod
    def from_body(
        cls, body: Body, mode: str, spikes: bool = False, resistance: str = "quasi_static"
    ) -> FastSettings:
        first = body.params[0]
        return cls(
            dt=first.value_in("fast.dt", "s"),
            output_period=first.value_in("fast.output_period", "s"),
            coupling_window=first.value_in("fast.coupling_window", "s"),
            mode=mode,
            spikes=spikes and mode == "spiking",
            resistance=resistance,
        )

    def steps(self, duration: float) -> tuple[int, int]:
        return max(1, round(duration / self.dt)), max(1, round(self.output_period / self.dt))


def pool_drive(
    body: Body,
    muscle: Muscle,
    settings: FastSettings,
    rng: SubjectRNG,
    state: MuscleState,
    log: bool = False,
) -> _Drive:
    """One muscle's neural drive in the settings' mode (spiking pool or mean field with
    activation dynamics); ``log`` keeps the spike events."""
    tau = (
        body.values("activation.time_constant", "s"),
        body.values("activation.deactivation_time_constant", "s"),
    )
    spikes = motor_pool.SpikeLog.empty(body.n_subjects) if log else None
    return _Drive(muscle, settings.mode, rng, tau, state, spikes)


def isometric(
    body: Body,
    state: MuscleState,
    target: Callable[[float], np.ndarray] | None,
    duration: float,
    settings: FastSettings,
    rng: SubjectRNG,
    *,
    rise_time: float = 0.5,
    failure: Failure | None = None,
    stimuli: tuple[float, ...] = (),
) -> Bout:
    """An isometric contraction of ``state``'s muscle in the test posture.

    ``target(t)`` gives the force to hold as a fraction of the muscle's rested maximal force,
    shape ``(S,)`` (0 = relax); ``None`` means a maximal voluntary effort (drive ramped to the
    central ceiling over ``rise_time``). The cortex's command is capped by the central
    ceiling, which falls with effort (central fatigue); the units tire and recover as they
    work (``state`` is updated in place). With ``failure``, a subject who fails stops (target
    0) and the bout ends when every subject has failed or after ``duration``. With
    ``settings.spikes`` the spike events are kept (for surface EMG). ``stimuli`` are times (s
    since the bout's start) of supramaximal nerve stimuli (twitch interpolation).
    """
    m = body.muscle(state.name)
    drive = pool_drive(body, m, settings, rng, state, settings.spikes)
    n_steps, stride = settings.steps(duration)
    h = settings.dt
    rec = _Recorder(n_steps, stride, h, settings.coupling_window, m.mass)
    n = body.n_subjects
    loop = cortex.LoopState(np.zeros(n), np.zeros(n))
    fiber = mtu.static_fiber_length(m.mtu, m.test_length, 0.0)
    force_norm = np.zeros(n)
    failed_at = np.full(n, np.nan)
    below_since = np.full(n, np.nan)
    stimulus_steps = {round(s / h) for s in stimuli}
    energy = _Energy(body, m, state)
    k = 0
    for k in range(n_steps):
        t = k * h
        if k in stimulus_steps:
            drive.stimulate(t)
        if target is None:
            goal = None
            u = np.minimum((t + h) / rise_time, 1.0) * state.ceiling
        else:
            goal = np.where(np.isnan(failed_at), target(t + h), 0.0)
            loop, u = cortex.command(
                loop, body.loop_gains, m.feedforward(goal), goal, force_norm, h, state.ceiling
            )
            u = np.where(goal > 0, u, 0.0)
        a = drive.advance(u, t, h)
        fiber, head_force = mtu.step(m.mtu, m.test_length, a[:, None], fiber, h)
        force = head_force.sum(axis=1)
        force_norm = force / m.max_force
        state.ceiling = central_fatigue.step(state.ceiling, u, body.central_for(state.name), h)
        energy.add(a)
        if (k + 1) % stride == 0:
            energy.flush(u, h)
        rec.add(
            k,
            t + h,
            m.mass * a,
            force=force,
            excitation=u,
            activation=a,
            ceiling=state.ceiling,
            **energy.traces(),
        )
        if failure is not None and goal is not None:
            short = (goal > 0) & (loop.sensed < (1.0 - failure.tolerance) * goal)
            below_since = np.where(short, np.fmin(below_since, t + h), np.nan)
            newly = np.isnan(failed_at) & (t + h - below_since >= failure.hold - 1e-9)
            failed_at = np.where(newly, below_since, failed_at)
            if not np.isnan(failed_at).any():
                break
    energy.flush(u, h)
    state.time += (k + 1) * h
    units = {"force": "N", "excitation": "1", "activation": "1", "ceiling": "1"}
    bout = rec.bout(units | {name: energetics.OUTPUTS[name][0] for name in ENERGY_TRACES}, k + 1)
    bout.failure_time = failed_at
    bout.spikes = drive.log
    bout.muscle = state.name
    return bout


_QUASI_STATIC_TRACES = ("force", "excitation", "activation", "ceiling", *ENERGY_TRACES)


@dataclass(frozen=True)
class Segment:
    """A piece of a quasi-static bout: ``goal`` (S,), force as a fraction of the rested maximal
    force (0 = relaxed), held for ``seconds``."""

    seconds: float
    goal: np.ndarray


def repetitions(fraction: np.ndarray, reps: int, tut: float, pause: float, rise: float):
    """Segments of ``reps`` repetitions at ``fraction``: each a rise over ``rise`` s (taken at
    its mean, half the load), the load until ``tut`` s, then ``pause`` s relaxed."""
    half, zero = fraction / 2.0, np.zeros_like(fraction)
    rep = [Segment(rise, half), Segment(tut - rise, fraction), Segment(pause, zero)]
    return [segment for _ in range(reps) for segment in rep if segment.seconds > 0]


def quasi_static(
    body: Body,
    state: MuscleState,
    segments: list[Segment],
    settings: FastSettings,
    step: float,
    failure: Failure | None = None,
) -> Bout:
    """An isometric bout at the pool's steady state (:func:`motor_pool.quasi_static_step`).

    Activation dynamics (time constants of tens of ms) and the cortex's force loop are taken
    as instantaneous: each step of at most ``step`` seconds, the cortex gives the excitation
    whose steady force meets the goal, capped by the central ceiling, and the units tire at
    it. Fatigue, central fatigue and energetics advance exactly as in :func:`isometric`'s
    mean-field mode, only on a coarse grid; relaxed segments use the exact rest recovery
    (:meth:`MuscleState.catch_up`). Failure is judged on the steady force, as in
    :func:`isometric`. Traces are sampled at the end of each step; the slow layer's windows
    are about ``settings.coupling_window`` long.
    """
    m = body.muscle(state.name)
    fast = motor_pool.fast_units(m.pool, body.energetics.fast_ref)
    n = body.n_subjects
    failed_at, below_since = np.full(n, np.nan), np.full(n, np.nan)
    rows: dict[str, list[np.ndarray]] = {}
    times: list[float] = []
    windows: list[tuple[float, float, np.ndarray]] = []
    acc, start, t = np.zeros(n), 0.0, 0.0
    for segment in segments:
        goal = np.where(np.isnan(failed_at), segment.goal, 0.0)
        k = int(np.ceil(segment.seconds / step - 1e-9))
        h = segment.seconds / k
        mean_force, mean_share = np.zeros(n), np.zeros(n)
        for j in range(k):
            u, force, share = motor_pool.quasi_static_step(
                m.pool, goal, state.ceiling, state.fatigue, fast, h
            )
            state.ceiling = central_fatigue.step(state.ceiling, u, body.central_for(state.name), h)
            mean_force += force / k
            mean_share += share / k
            if failure is not None:
                short = (goal > 0) & (force < (1.0 - failure.tolerance) * goal)
                below_since = np.where(short, np.fmin(below_since, t + j * h), np.nan)
                late = t + (j + 1) * h - below_since >= failure.hold - 1e-9
                failed_at = np.where(np.isnan(failed_at) & late, below_since, failed_at)
        demand = energetics.isometric_atp_demand(mean_force, mean_share, body.energetics)
        perfusion = energetics.perfusion_from_force(mean_force, body.energetics)
        state.energy, out = energetics.step(
            state.energy, demand, perfusion, body.energetics, segment.seconds, m.mass
        )
        state.time += segment.seconds
        acc += m.mass * mean_force * segment.seconds
        t += segment.seconds
        if t - start >= settings.coupling_window - 1e-9:
            windows.append((start, t, acc / (t - start)))
            acc, start = np.zeros(n), t
        times.append(t)
        e = state.energy
        values = (force * m.max_force, u, force, state.ceiling)
        values += (e.pcr, e.glycogen, e.lactate_plasma, out.vo2)
        for name, value in zip(_QUASI_STATIC_TRACES, values, strict=True):
            rows.setdefault(name, []).append(np.array(value, dtype=float))
        if failure is not None and not np.isnan(failed_at).any():
            break
    if t > start:
        windows.append((start, t, acc / (t - start)))
    units = {"force": "N", "excitation": "1", "activation": "1", "ceiling": "1"}
    return Bout(
        np.array(times),
        {k: np.stack(v, axis=1) for k, v in rows.items()},
        units | {name: energetics.OUTPUTS[name][0] for name in ENERGY_TRACES},
        windows,
        duration=t,
        failure_time=failed_at,
        muscle=state.name,
    )


# --- The elbow: movements and perturbations --------------------------------------------------

ELBOW_TRACES: dict[str, tuple[str, str]] = {
    "angle": ("deg", "elbow flexion angle"),
    "target_angle": ("deg", "elbow angle planned by the cortex (minimum jerk, or the held one)"),
    "torque": ("N*m", "net muscle torque about the elbow (flexion positive)"),
    "external_torque": ("N*m", "external torque applied to the forearm (extension positive)"),
    "excitation_flexors": (
        "1",
        "excitation of the elbow-flexor pool: cortical command after reciprocal inhibition plus "
        "the stretch reflex, capped by the central ceiling",
    ),
    "excitation_extensors": ("1", "excitation of the elbow-extensor pool (as for the flexors)"),
    "activation_flexors": ("1", "elbow-flexor pool activation"),
    "activation_extensors": ("1", "elbow-extensor pool activation"),
    "ia_flexors": ("Hz", "population Ia (spindle primary) rate of the elbow flexors, imp/s"),
    "ia_extensors": ("Hz", "population Ia (spindle primary) rate of the elbow extensors, imp/s"),
    "ib_flexors": ("Hz", "Ib (Golgi tendon organ) rate of the elbow flexors, imp/s"),
    "ib_extensors": ("Hz", "Ib (Golgi tendon organ) rate of the elbow extensors, imp/s"),
    "reflex_flexors": ("1", "stretch-reflex excitation added to the elbow-flexor pool"),
    "reflex_extensors": ("1", "stretch-reflex excitation added to the elbow-extensor pool"),
}

PERTURBATION_MEASURES: dict[str, tuple[str, str]] = {
    "peak_displacement": ("deg", "largest displacement of the elbow in the push's direction"),
    "time_to_peak": ("ms", "time of the largest displacement after the push's onset"),
    "reflex_latency": (
        "ms",
        "onset of the stretched muscle group's reflex excitation after the push's onset",
    ),
    "peak_ia": ("Hz", "peak population Ia rate of the stretched muscle group after the onset"),
    "stiffness": ("N*m/rad", "push torque divided by the peak displacement"),
}


def elbow_range(body: Body) -> tuple[np.ndarray, np.ndarray]:
    """The elbow's range of motion ``(extension_limit, flexion_limit)`` in rad, ``(S,)`` each."""
    lo = body.values("elbow.extension_limit", "rad")
    hi = body.values("elbow.flexion_limit", "rad")
    if np.any(hi <= lo):
        raise ParameterError("elbow.flexion_limit must exceed elbow.extension_limit")
    return lo, hi


def _outside(theta: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[int, float, str] | None:
    """The first subject whose angle (rad) lies outside ``[lo, hi]``, with the limit passed
    (deg) and its name, or ``None``."""
    for limits, bad, name in ((lo, theta < lo, "extension"), (hi, theta > hi, "flexion")):
        if bad.any():
            s = int(np.argmax(bad))
            return s, float(np.degrees(limits[s])), name
    return None


def elbow_torque_capacity(body: Body, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The largest static torques (N m) the rested flexors and extensors can hold at ``theta``
    (rad, ``(S,)``): every head fully active, fibres in static equilibrium at their MTU length."""
    theta = np.asarray(theta, dtype=float)
    theta_ref = body.values("elbow.reference_angle", "rad")[:, None]
    out = []
    for name, sign in zip(ELBOW_PAIR, (1.0, -1.0), strict=True):
        m = body.muscle(name)
        l_mt = elbow.mtu_lengths(m.test_length, m.moment_arm, sign, theta, theta_ref)
        fiber = mtu.static_fiber_length(m.mtu, l_mt, 1.0)
        force = mtu.tendon_force(m.mtu, l_mt, fiber) * m.mtu.max_isometric_force
        out.append((m.moment_arm * force).sum(axis=1))
    return out[0], out[1]


class _Elbow:
    """Every elbow bout's per-step loop: the cortex's controller, Ia reciprocal inhibition of the
    cortical commands, both groups' spindles, tendon organs and stretch reflexes, the pools, the
    heads and the joint.

    Each step the cortex turns the planned angle into a torque demand (PID on the angle error +
    gravity feed-forward), splits it between the groups with co-contraction and converts each
    share into excitation through its internal model; reciprocal inhibition shapes these
    commands. Each pool's excitation is its command plus its reflex excitation
    (:func:`~myoaxis.physiology.neural.reflex.step`, from the afferent rates one loop delay
    earlier), kept in ``[0, ceiling]``. The heads' fibre lengths (in optimal lengths) drive the
    spindles, their summed tendon force the group's tendon organ; population Ia rates are the
    heads' mean. An external torque (extension positive) acts on the joint with the muscles';
    the cortex does not foresee it and reacts only after ``elbow.reaction_time`` (see
    :meth:`commands`), so the muscles' intrinsic response and the reflexes meet it first.
    The afferents start at rest in the starting posture with the muscles relaxed, and the reflex
    answers changes from those rates (relative mode).
    """

    def __init__(
        self,
        body: Body,
        states: tuple[MuscleState, MuscleState],
        theta0: np.ndarray,
        settings: FastSettings,
        rng: SubjectRNG,
    ):
        if tuple(st.name for st in states) != ELBOW_PAIR:
            raise SimulationError(f"elbow bouts need the states of {ELBOW_PAIR}")
        self.body, self.states, self.h = body, states, settings.dt
        self.muscles = tuple(body.muscle(n) for n in ELBOW_PAIR)
        self.signs = (1.0, -1.0)
        self.drives = [
            pool_drive(body, m, settings, rng, st)
            for m, st in zip(self.muscles, states, strict=True)
        ]
        v = body.values
        self.theta_ref = v("elbow.reference_angle", "rad")[:, None]
        self.kp, self.kd = (
            v("elbow.position_gain", "N*m/rad"),
            v("elbow.velocity_gain", "N*m*s/rad"),
        )
        self.ki = v("elbow.integral_gain", "N*m/(rad*s)")
        self.co, self.w_ri = v("elbow.cocontraction"), v("elbow.reciprocal_inhibition")
        self.capacity = [
            (m.mtu.max_isometric_force * m.moment_arm).sum(axis=1) for m in self.muscles
        ]
        self.spindle = afferents.SpindleParameters.from_parameters(body.params)
        self.gto = afferents.GTOParameters.from_parameters(body.params)
        self.reflex = reflex.ReflexParameters.from_parameters(body.params)
        self.gamma = (v("spindle.gamma_dynamic", "Hz"), v("spindle.gamma_static", "Hz"))
        n = body.n_subjects
        self.theta = np.broadcast_to(np.asarray(theta0, dtype=float), (n,)).copy()
        self.omega, self.integral = np.zeros(n), np.zeros(n)  # rad/s, rad*s
        # the cortex's view of the joint: frozen at an unforeseen change of the external torque
        # until its reaction time has passed (a triggered reaction, not a servo)
        self.reaction_time = v("elbow.reaction_time", "s")
        self.external = np.zeros(n)  # N m, external torque of the last step
        self.unaware_until = np.full(n, -np.inf)  # s
        self.frozen = np.zeros((2, n))  # (theta, omega) when the cortex last lost track
        self.fibers, self.spindles, self.gtos, self.ia, self.ib = [], [], [], [], []
        for m, sign in zip(self.muscles, self.signs, strict=True):
            l_mt = self._mtu_lengths(m, sign)
            fiber = mtu.static_fiber_length(m.mtu, l_mt, 0.0)
            force = (mtu.tendon_force(m.mtu, l_mt, fiber) * m.mtu.max_isometric_force).sum(axis=1)
            spindle = afferents.spindle_rest(self.spindle, fiber, *self.gamma)
            gto = afferents.gto_rest(self.gto, force)
            self.fibers.append(fiber)
            self.spindles.append(spindle)
            self.gtos.append(gto)
            self.ia.append(self._ia(spindle))
            self.ib.append(
                afferents.gto_output(self.gto, gto, afferents.gto_drive(self.gto, force))
            )
        self.reflexes = [
            reflex.start(self.reflex, self.h, self.ia[i], self.ib[i], self.ia[1 - i])
            for i in (0, 1)
        ]

    def _mtu_lengths(self, m: Muscle, sign: float) -> np.ndarray:
        return elbow.mtu_lengths(m.test_length, m.moment_arm, sign, self.theta, self.theta_ref)

    def _ia(self, spindle: afferents.SpindleState) -> np.ndarray:
        return afferents.population_rate(afferents.spindle_rates(self.spindle, spindle)[0])

    def commands(
        self, t: float, goal: np.ndarray, goal_vel: np.ndarray, external: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The cortex's excitation of both pools after reciprocal inhibition, for the step from
        ``t`` under the external torque ``external``.

        The cortex does not foresee external torques: when a subject's changes, the cortex's view
        of the joint stays at the state of that moment until ``elbow.reaction_time`` after the
        latest change (a further change while it is unaware extends the wait).
        """
        changed = external != self.external
        fresh = changed & (t >= self.unaware_until - 1e-9)
        self.frozen[:, fresh] = self.theta[fresh], self.omega[fresh]
        self.unaware_until = np.where(changed, t + self.reaction_time, self.unaware_until)
        self.external = np.array(external, dtype=float)
        unaware = t < self.unaware_until - 1e-9
        theta = np.where(unaware, self.frozen[0], self.theta)
        omega = np.where(unaware, self.frozen[1], self.omega)
        self.integral += (goal - theta) * self.h
        demand = (
            self.kp * (goal - theta)
            + self.ki * self.integral
            + self.kd * (goal_vel - omega)
            + elbow.gravity_torque(self.body.elbow, goal)
        )
        flex, ext = self.muscles
        share_f, share_e = spinal.torque_shares(demand, *self.capacity, self.co)
        return spinal.reciprocal_inhibition(
            flex.feedforward(share_f), ext.feedforward(share_e), self.w_ri
        )

    def step(
        self, t: float, goal: np.ndarray, goal_vel: np.ndarray, external: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Advance one step; returns this step's traces (see :data:`ELBOW_TRACES`)."""
        h = self.h
        commands = self.commands(t, goal, goal_vel, external)
        reflexes = [
            reflex.step(self.reflexes[i], self.reflex, self.ia[i], self.ib[i], self.ia[1 - i])
            for i in (0, 1)
        ]
        torque = np.zeros_like(self.theta)
        excitations, acts = [], []
        for i, (m, sign, st) in enumerate(zip(self.muscles, self.signs, self.states, strict=True)):
            u = np.clip(commands[i] + reflexes[i], 0.0, st.ceiling)
            a = self.drives[i].advance(u, t, h)
            self.fibers[i], force = mtu.step(
                m.mtu, self._mtu_lengths(m, sign), a[:, None], self.fibers[i], h
            )
            self.spindles[i] = afferents.spindle_step(
                self.spindle, self.spindles[i], self.fibers[i], h, *self.gamma
            )
            self.gtos[i], self.ib[i] = afferents.gto_step(
                self.gto, self.gtos[i], force.sum(axis=1), h
            )
            self.ia[i] = self._ia(self.spindles[i])
            torque += sign * (m.moment_arm * force).sum(axis=1)
            st.ceiling = central_fatigue.step(st.ceiling, u, self.body.central_for(st.name), h)
            excitations.append(u)
            acts.append(a)
        self.theta, self.omega = elbow.step(
            self.body.elbow, self.theta, self.omega, torque - external, h
        )
        return {
            "angle": np.degrees(self.theta),
            "target_angle": np.degrees(goal),
            "torque": torque,
            "external_torque": external,
            "excitation_flexors": excitations[0],
            "excitation_extensors": excitations[1],
            "activation_flexors": acts[0],
            "activation_extensors": acts[1],
            "ia_flexors": self.ia[0],
            "ia_extensors": self.ia[1],
            "ib_flexors": self.ib[0],
            "ib_extensors": self.ib[1],
            "reflex_flexors": reflexes[0],
            "reflex_extensors": reflexes[1],
        }


def _elbow_bout(
    body: Body,
    states: tuple[MuscleState, MuscleState],
    theta0: np.ndarray,
    total: float,
    settings: FastSettings,
    rng: SubjectRNG,
    plan: Callable[[float], tuple[np.ndarray, np.ndarray]],
    external: Callable[[int], np.ndarray],
    check: Callable[[np.ndarray], None] | None = None,
) -> Bout:
    """Run :class:`_Elbow` for ``total`` seconds: ``plan(t)`` gives the cortex's planned angle
    and velocity at the end of the step ending at ``t``, ``external(k)`` the external torque
    over step ``k``, and ``check(theta)`` (rad) may stop the bout after any step."""
    loop = _Elbow(body, states, theta0, settings, rng)
    n_steps, stride = settings.steps(total)
    h = settings.dt
    flex, ext = loop.muscles
    rec = _Recorder(n_steps, stride, h, settings.coupling_window, flex.mass + ext.mass)
    for st in states:
        st.time += n_steps * h
    for k in range(n_steps):
        t = k * h
        goal, goal_vel = plan(t + h)
        traces = loop.step(t, goal, goal_vel, external(k))
        if check is not None:
            check(loop.theta)
        acts = traces["activation_flexors"], traces["activation_extensors"]
        rec.add(k, t + h, flex.mass * acts[0] + ext.mass * acts[1], **traces)
    return rec.bout({name: unit for name, (unit, _) in ELBOW_TRACES.items()}, n_steps)


def elbow_move(
    body: Body,
    states: tuple[MuscleState, MuscleState],
    theta0: np.ndarray,
    theta1: float,
    duration: float,
    settings: FastSettings,
    rng: SubjectRNG,
    settle: float = 0.5,
) -> Bout:
    """Move the elbow from ``theta0`` (rad, per subject) to ``theta1`` along a minimum-jerk path.

    The cortex's controller, reciprocal inhibition, the stretch reflexes, pools, heads and joint
    are :class:`_Elbow`'s; the integral term removes the steady error left by passive tension,
    the force–length curve and the reflexes' resistance to the movement. The bout lasts
    ``duration`` plus ``settle`` seconds. ``states`` are the flexors' and extensors' (in that
    order), updated in place. A target outside the range of motion (``elbow.extension_limit``,
    ``elbow.flexion_limit``) raises :class:`ScenarioError`.
    """
    n = body.n_subjects
    if (where := _outside(np.full(n, float(theta1)), *elbow_range(body))) is not None:
        s, limit, name = where
        raise ScenarioError(
            f"elbow target {np.degrees(theta1):g} deg lies beyond the {name} limit of "
            f"{limit:g} deg of subject {s}'s elbow"
        )
    theta0 = np.broadcast_to(np.asarray(theta0, dtype=float), (n,))
    return _elbow_bout(
        body,
        states,
        theta0,
        duration + settle,
        settings,
        rng,
        lambda t: cortex.minimum_jerk(t, duration, theta0, theta1),
        lambda _k: np.zeros(n),
    )


@dataclass(frozen=True)
class Perturbation:
    """Timing and analysis of an elbow perturbation (``perturbation.*``, first subject).

    ``onset``: hold before the push (s); ``after``: time recorded after it (s);
    ``baseline``: window before the onset whose mean is the reference (s); ``window``: window
    after the onset in which the reflex response is sought (s); ``onset_fraction``: criterion
    of the reflex onset (see :func:`perturbation_measures`).
    """

    onset: float
    after: float
    baseline: float
    window: float
    onset_fraction: float

    @classmethod
    def from_body(cls, body: Body) -> Perturbation:
        p = body.params[0]
        return cls(
            onset=p.value_in("perturbation.onset", "s"),
            after=p.value_in("perturbation.after", "s"),
            baseline=p.value_in("perturbation.baseline", "s"),
            window=p.value_in("perturbation.response_window", "s"),
            onset_fraction=p.value_in("perturbation.onset_fraction", "dimensionless"),
        )

    def __post_init__(self) -> None:
        for name in ("onset", "after", "baseline", "window", "onset_fraction"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0):
                raise ParameterError(f"perturbation.{name} must be finite and non-negative")
        if self.baseline > self.onset or self.window <= 0 or self.baseline <= 0:
            raise ParameterError(
                "perturbation.baseline must be positive and no longer than perturbation.onset, "
                "and perturbation.response_window positive"
            )


def _push(torque: float) -> str:
    kind = "extending" if torque > 0 else "flexing" if torque < 0 else "null"
    return f"{abs(torque):g} N m {kind} push"


def elbow_perturb(
    body: Body,
    states: tuple[MuscleState, MuscleState],
    theta0: np.ndarray,
    torque,
    duration: float,
    settings: FastSettings,
    rng: SubjectRNG,
    *,
    onset: float,
    after: float,
) -> Bout:
    """Hold the elbow at ``theta0`` (rad, per subject) and push it with an external torque step.

    The cortex holds the angle with its controller (target ``theta0``, no planned motion, and
    no knowledge of the push). From ``onset`` seconds a torque ``torque`` (N m, scalar or per
    subject) acts on the forearm for ``duration`` seconds, then stops; the bout lasts
    ``onset + duration + after``. **Sign:** a positive torque *extends* the elbow (it lowers
    the flexion angle and stretches the flexors, as gravity does); a negative one flexes it and
    stretches the extensors. The traces are :data:`ELBOW_TRACES`.

    Raises :class:`ScenarioError` for a non-positive or non-finite ``duration``, a ``theta0``
    outside the range of motion, a torque the resisting group could not hold even fully active
    (with gravity: ``torque + m g d sin(theta0)`` above the flexors' capacity, or below minus
    the extensors'), or a push that drives the elbow out of its range of motion.
    """
    n, h = body.n_subjects, settings.dt
    theta0 = np.broadcast_to(np.asarray(theta0, dtype=float), (n,)).copy()
    torque = np.broadcast_to(np.asarray(torque, dtype=float), (n,)).copy()
    if not (np.isfinite(duration) and duration > 0):
        raise ScenarioError(f"an elbow perturbation must last a positive time, got {duration!r} s")
    if round(duration / h) < 1:
        raise ScenarioError(
            f"an elbow perturbation of {duration:g} s is shorter than the fast step ({h:g} s)"
        )
    if not (np.isfinite(onset) and onset >= 0 and np.isfinite(after) and after >= 0):
        raise ScenarioError("the hold before and after an elbow perturbation must be >= 0 s")
    if not np.all(np.isfinite(torque)):
        raise ScenarioError("an elbow perturbation torque must be finite")
    if not np.all(np.isfinite(theta0)):
        raise ScenarioError("the elbow angle to hold must be finite")
    lo, hi = elbow_range(body)
    if (where := _outside(theta0, lo, hi)) is not None:
        s, limit, name = where
        raise ScenarioError(
            f"subject {s}: the elbow angle to hold, {np.degrees(theta0[s]):.1f} deg, lies "
            f"beyond the {name} limit of {limit:g} deg"
        )
    flex_max, ext_max = elbow_torque_capacity(body, theta0)
    net = torque + elbow.gravity_torque(body.elbow, theta0)  # extending torque to resist
    over = (net > flex_max) | (-net > ext_max)
    if over.any():
        s = int(np.argmax(over))
        group, cap = ("flexors", flex_max[s]) if net[s] > 0 else ("extensors", ext_max[s])
        raise ScenarioError(
            f"subject {s}: a {_push(torque[s])} at {np.degrees(theta0[s]):.1f} deg needs "
            f"{abs(net[s]):.1f} N m from the elbow {group} (with gravity), more than the "
            f"{cap:.1f} N m they can produce there fully active"
        )
    k_on, k_off = round(onset / h), round((onset + duration) / h)

    def check(theta: np.ndarray) -> None:
        if (where := _outside(theta, lo, hi)) is not None:
            s, limit, name = where
            raise ScenarioError(
                f"subject {s}: a {_push(torque[s])} for {duration:g} s drives the elbow from "
                f"{np.degrees(theta0[s]):.1f} deg beyond its {name} limit of {limit:g} deg "
                "(elbow.extension_limit, elbow.flexion_limit)"
            )

    return _elbow_bout(
        body,
        states,
        theta0,
        onset + duration + after,
        settings,
        rng,
        lambda _t: (theta0, np.zeros(n)),
        lambda k: torque if k_on <= k < k_off else np.zeros(n),
        check,
    )


def _onset(r: np.ndarray, t: np.ndarray, fraction: float) -> np.ndarray:
    """Start of the final climb of each row of ``r`` ``(S, n)`` to its peak: with ``lo`` the
    lowest value before the peak and ``hi`` the peak, the sample after the last one (between
    them, and before ``r`` first exceeds ``(lo + hi) / 2``) at which ``r <= lo + fraction *
    (hi - lo)``; its time from ``t``, NaN for a flat row."""
    n = r.shape[1]
    idx = np.arange(n)
    k_max = np.argmax(r, axis=1)
    before = idx <= k_max[:, None]
    k_min = np.argmax(np.where(before, -r, -np.inf), axis=1)
    lo = r[np.arange(r.shape[0]), k_min][:, None]
    span = r.max(axis=1, keepdims=True) - lo
    climb = idx >= k_min[:, None]
    k_half = np.argmax(climb & (r > lo + 0.5 * span), axis=1)
    low = climb & (idx < k_half[:, None]) & (r <= lo + fraction * span)
    last_low = n - 1 - np.argmax(low[:, ::-1], axis=1)
    found = (span[:, 0] > 0) & low.any(axis=1)
    return np.where(found, t[np.minimum(last_low + 1, n - 1)], np.nan)


def perturbation_measures(bout: Bout, perturbation: Perturbation) -> dict[str, np.ndarray]:
    """Per-subject measures ``(S,)`` of a bout of :func:`elbow_perturb` (units and meanings in
    :data:`PERTURBATION_MEASURES`).

    Times are from the push's onset ``perturbation.onset``. The push's direction is the sign of
    its torque (trace ``external_torque``) and names the stretched group: the flexors for a
    positive (extending) torque, the extensors for a negative one. Each trace's reference is its
    mean over the ``baseline`` seconds before the onset.

    * *peak displacement*: the largest angle change in the push's direction after the onset;
      *time to peak*: when it occurs;
    * *reflex latency*: the start of the stretched group's reflex excitation's final climb to
      its peak within ``window`` after the onset (:func:`_onset`: the foot of the rise from the
      lowest value before the peak, at ``onset_fraction`` of the rise; measured from that
      low point rather than from the baseline mean, so that a spiking pool's fluctuating
      baseline does not shift it); NaN if the excitation never rises above its reference;
    * *peak Ia*: the stretched group's highest population Ia rate after the onset;
    * *stiffness*: ``|torque| / peak displacement`` (N m/rad).

    A subject without a push gets NaN throughout.
    """
    p = perturbation
    tr = bout.traces
    t = bout.time - p.onset
    pre = (t > -p.baseline - 1e-12) & (t <= 1e-12)
    post = t > 1e-12
    early = post & (t <= p.window + 1e-12)
    if not (pre.any() and early.any()):
        raise SimulationError(
            f"the perturbation bout ({bout.duration:g} s) is too short for a baseline of "
            f"{p.baseline:g} s before the push at {p.onset:g} s and a response after it"
        )
    ext = tr["external_torque"]
    rows = np.arange(ext.shape[0])
    push = ext[rows, np.argmax(np.abs(ext), axis=1)]
    direction = np.sign(push)
    flexors = (direction >= 0)[:, None]

    angle = tr["angle"]
    displacement = -direction[:, None] * (angle - angle[:, pre].mean(axis=1, keepdims=True))
    displacement = displacement[:, post]
    k_peak = np.argmax(displacement, axis=1)
    peak = displacement[rows, k_peak]
    reflex_exc = np.where(flexors, tr["reflex_flexors"], tr["reflex_extensors"])
    latency = _onset(reflex_exc[:, early], t[early], p.onset_fraction)
    latency[reflex_exc[:, early].max(axis=1) <= reflex_exc[:, pre].mean(axis=1)] = np.nan
    ia = np.where(flexors, tr["ia_flexors"], tr["ia_extensors"])
    out = {
        "peak_displacement": peak,
        "time_to_peak": 1e3 * t[post][k_peak],
        "reflex_latency": 1e3 * latency,
        "peak_ia": ia[:, post].max(axis=1),
        "stiffness": np.abs(push) / np.radians(np.where(peak > 0, peak, np.nan)),
    }
    return {k: np.where(direction == 0, np.nan, v) for k, v in out.items()}


def surface_emg(body: Body, bout: Bout, rng: SubjectRNG) -> dict[str, np.ndarray]:
    """Surface EMG of a bout's spike events and the windowed measures of its source.

    MUAP amplitudes (unit size, random depth) and widths (conduction velocity) follow
    :mod:`myoaxis.physiology.muscle.emg`; a unit's conduction velocity slows with its
    fatigue (its capacity at each spike). Settings come from the first subject. Returns
    ``emg`` (mV, ``(S, samples)``) and per ``emg.window``: ``rms`` (mV), ``median_frequency``
    (Hz), ``conduction_velocity`` (m/s, discharges weighted by squared MUAP amplitude, as a
    surface estimate is dominated by large units), ``active_units`` (count), and ``fs`` (Hz),
    ``window_centres`` (s).
    """
    p = emg.EMGParameters.from_parameters(body.params[0])
    pool = body.muscle(bout.muscle).pool
    log = bout.spikes
    used = np.arange(log.time.shape[1])[None, :] < log.count[:, None]
    subject = np.nonzero(used)[0]
    cv = emg.unit_conduction_velocity(
        pool.contraction_time, cv_slowest=p.cv_slowest, cv_fastest=p.cv_fastest
    )
    amplitude = emg.unit_amplitude(
        pool.twitch_peak,
        rng.generators,
        amplitude_smallest=p.amplitude_smallest,
        amplitude_exponent=p.amplitude_exponent,
        depth_max=p.depth_max,
        attenuation_length=p.attenuation_length,
    )
    signal = emg.synthesize(
        log.unit[used],
        log.time[used],
        log.capacity[used],
        amplitude,
        emg.muap_width(cv, template_width=p.template_width, cv_reference=p.cv_reference),
        cv_fatigue_slope=p.cv_fatigue_slope,
        width_fatigue_slope=p.width_fatigue_slope,
        fs=p.sampling_rate,
        duration=bout.duration,
        subject=subject,
        noise_rms=p.noise_rms,
        rng=rng.generators,
    )
    fs = p.sampling_rate
    centres, rms = emg.rms(signal, fs, p.window)
    _, mdf = emg.median_frequency(signal, fs, p.window, p.welch_segment)
    events = {"duration": bout.duration, "window": p.window, "subject": subject}
    _, velocity = emg.conduction_velocity_trace(
        log.unit[used],
        log.time[used],
        log.capacity[used],
        np.broadcast_to(cv, pool.contraction_time.shape),
        cv_fatigue_slope=p.cv_fatigue_slope,
        weight=amplitude**2,
        **events,
    )
    _, active = emg.active_units(
        log.unit[used], log.time[used], pool.n_units, n_subjects=body.n_subjects, **events
    )
    return {
        "fs": np.float64(fs),
        "window_centres": centres,
        "emg": signal,
        "rms": rms,
        "median_frequency": mdf,
        "conduction_velocity": np.atleast_2d(velocity),
        "active_units": active,
    }
