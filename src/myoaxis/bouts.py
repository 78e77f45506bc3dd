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
from myoaxis.core.errors import SimulationError
from myoaxis.core.rng import SubjectRNG
from myoaxis.muscle_state import MuscleState
from myoaxis.muscles import ELBOW_PAIR
from myoaxis.physiology.muscle import activation, emg, energetics, mtu
from myoaxis.physiology.musculoskeletal import elbow
from myoaxis.physiology.neural import central_fatigue, cortex, motor_pool, spinal


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

    @classmethod
    def from_body(cls, body: Body, mode: str, spikes: bool = False) -> FastSettings:
        first = body.params[0]
        return cls(
            dt=first.value_in("fast.dt", "s"),
            output_period=first.value_in("fast.output_period", "s"),
            coupling_window=first.value_in("fast.coupling_window", "s"),
            mode=mode,
            spikes=spikes and mode == "spiking",
        )

    def steps(self, duration: float) -> tuple[int, int]:
        return max(1, round(duration / self.dt)), max(1, round(self.output_period / self.dt))


def _drive(
    body: Body,
    muscle: Muscle,
    settings: FastSettings,
    rng: SubjectRNG,
    state: MuscleState,
    log: bool = False,
) -> _Drive:
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
    drive = _drive(body, m, settings, rng, state, settings.spikes)
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
        state.ceiling = central_fatigue.step(state.ceiling, u, body.central, h)
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

    The cortex turns the planned angle into a torque demand (PID + gravity feed-forward; the
    integral removes the steady error left by passive tension and the force–length curve), splits
    it between flexors and extensors with co-contraction, converts each side's force share into
    excitation through its internal model of the pool, Ia reciprocal inhibition shapes the
    pools' excitation, and the heads' forces move the joint. The bout lasts ``duration`` plus
    ``settle`` seconds. ``states`` are the flexors' and extensors' (in that order), updated in
    place; each side's excitation is capped by its central ceiling.
    """
    if tuple(st.name for st in states) != ELBOW_PAIR:
        raise SimulationError(f"elbow_move needs the states of {ELBOW_PAIR}")
    flex, ext = (body.muscle(n) for n in ELBOW_PAIR)
    drives = [_drive(body, m, settings, rng, st) for m, st in zip((flex, ext), states, strict=True)]
    v = body.values
    theta_ref = v("elbow.reference_angle", "rad")[:, None]
    kp, kd = v("elbow.position_gain", "N*m/rad"), v("elbow.velocity_gain", "N*m*s/rad")
    ki = v("elbow.integral_gain", "N*m/(rad*s)")
    co, w_ri = v("elbow.cocontraction"), v("elbow.reciprocal_inhibition")
    capacity = [(m.mtu.max_isometric_force * m.moment_arm).sum(axis=1) for m in (flex, ext)]
    total = duration + settle
    n_steps, stride = settings.steps(total)
    h = settings.dt
    rec = _Recorder(n_steps, stride, h, settings.coupling_window, flex.mass + ext.mass)
    theta, omega = np.asarray(theta0, dtype=float).copy(), np.zeros(body.n_subjects)
    integral = np.zeros(body.n_subjects)  # rad*s, accumulated angle error
    for st in states:
        st.time += n_steps * settings.dt
    fibers = [mtu.static_fiber_length(m.mtu, m.test_length, 0.0) for m in (flex, ext)]
    for k in range(n_steps):
        t = k * h
        goal, goal_vel = cortex.minimum_jerk(t + h, duration, theta0, theta1)
        integral += (goal - theta) * h
        demand = (
            kp * (goal - theta)
            + ki * integral
            + kd * (goal_vel - omega)
            + elbow.gravity_torque(body.elbow, goal)
        )
        share_f, share_e = spinal.torque_shares(demand, capacity[0], capacity[1], co)
        u_f, u_e = spinal.reciprocal_inhibition(
            flex.feedforward(share_f), ext.feedforward(share_e), w_ri
        )
        u_f, u_e = np.minimum(u_f, states[0].ceiling), np.minimum(u_e, states[1].ceiling)
        torque = np.zeros(body.n_subjects)
        acts = []
        for i, (m, drive, u, sign) in enumerate(
            ((flex, drives[0], u_f, 1.0), (ext, drives[1], u_e, -1.0))
        ):
            a = drive.advance(u, t, h)
            l_mt = elbow.mtu_lengths(m.test_length, m.moment_arm, sign, theta, theta_ref)
            fibers[i], f = mtu.step(m.mtu, l_mt, a[:, None], fibers[i], h)
            torque += sign * (m.moment_arm * f).sum(axis=1)
            acts.append(a)
        for st, u in zip(states, (u_f, u_e), strict=True):
            st.ceiling = central_fatigue.step(st.ceiling, u, body.central, h)
        theta, omega = elbow.step(body.elbow, theta, omega, torque, h)
        rec.add(
            k,
            t + h,
            flex.mass * acts[0] + ext.mass * acts[1],
            angle=np.degrees(theta),
            target_angle=np.degrees(goal),
            torque=torque,
            excitation_flexors=u_f,
            excitation_extensors=u_e,
            activation_flexors=acts[0],
            activation_extensors=acts[1],
        )
    return rec.bout(
        {
            "angle": "deg",
            "target_angle": "deg",
            "torque": "N*m",
            "excitation_flexors": "1",
            "excitation_extensors": "1",
            "activation_flexors": "1",
            "activation_extensors": "1",
        },
        n_steps,
    )


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
