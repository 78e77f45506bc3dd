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
from myoaxis.muscles import ELBOW_PAIR
from myoaxis.physiology.muscle import activation, mtu
from myoaxis.physiology.musculoskeletal import elbow
from myoaxis.physiology.neural import cortex, motor_pool, spinal


@dataclass
class Bout:
    """Traces ``name -> (subjects, samples)`` and aggregates of one fast-layer bout."""

    time: np.ndarray  # s since the bout's start
    traces: dict[str, np.ndarray]
    units: dict[str, str]
    windows: list[tuple[float, float, np.ndarray]] = field(default_factory=list)
    # (start_s, end_s, active_mass_activation (S,) kg) relative to the bout's start


@dataclass
class _Drive:
    """One muscle's neural drive: spiking pool state or mean-field activation."""

    muscle: Muscle
    mode: str
    rng: SubjectRNG
    tau: tuple[np.ndarray, np.ndarray]
    pool: motor_pool.PoolState | None = None
    act: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.mode == "spiking":
            self.pool = motor_pool.PoolState.rest(self.muscle.pool)
        else:
            self.act = np.zeros(self.muscle.pool.threshold.shape[0])

    def advance(self, u: np.ndarray, t: float, h: float) -> np.ndarray:
        if self.pool is not None:
            a, _spikes = motor_pool.advance(self.pool, self.muscle.pool, u, t, h, self.rng)
            return a
        target = motor_pool.steady_force(self.muscle.pool, u)
        self.act = activation.advance(self.act, target, h, *self.tau)
        return self.act


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

    def bout(self, units: dict[str, str]) -> Bout:
        traces = {k: np.stack(v, axis=1) for k, v in self.rows.items()}
        n = next(iter(traces.values())).shape[1] if traces else 0
        time = (np.arange(1, n + 1) * self.stride) * self.h
        return Bout(time, traces, units, self.windows)


@dataclass(frozen=True)
class FastSettings:
    dt: float
    output_period: float
    coupling_window: float
    mode: str = "spiking"

    @classmethod
    def from_body(cls, body: Body, mode: str) -> FastSettings:
        first = body.params[0]
        return cls(
            dt=first.value_in("fast.dt", "s"),
            output_period=first.value_in("fast.output_period", "s"),
            coupling_window=first.value_in("fast.coupling_window", "s"),
            mode=mode,
        )

    def steps(self, duration: float) -> tuple[int, int]:
        return max(1, round(duration / self.dt)), max(1, round(self.output_period / self.dt))


def _drive(body: Body, muscle: Muscle, settings: FastSettings, rng: SubjectRNG) -> _Drive:
    tau = (
        body.values("activation.time_constant", "s"),
        body.values("activation.deactivation_time_constant", "s"),
    )
    return _Drive(muscle, settings.mode, rng, tau)


def isometric(
    body: Body,
    muscle_name: str,
    target: Callable[[float], np.ndarray] | None,
    duration: float,
    settings: FastSettings,
    rng: SubjectRNG,
    rise_time: float = 0.5,
) -> Bout:
    """An isometric contraction in the test posture.

    ``target(t)`` gives the force to hold as a fraction of the muscle's maximal force, shape
    ``(S,)``; ``None`` means a maximal voluntary effort (drive ramped to 1 over
    ``rise_time``).
    """
    m = body.muscle(muscle_name)
    drive = _drive(body, m, settings, rng)
    n_steps, stride = settings.steps(duration)
    h = settings.dt
    rec = _Recorder(n_steps, stride, h, settings.coupling_window, m.mass)
    loop = cortex.LoopState(np.zeros(body.n_subjects), np.zeros(body.n_subjects))
    fiber = mtu.static_fiber_length(m.mtu, m.test_length, 0.0)
    force_norm = np.zeros(body.n_subjects)
    for k in range(n_steps):
        t = k * h
        if target is None:
            u = np.full(body.n_subjects, min(1.0, (t + h) / rise_time))
        else:
            goal = target(t + h)
            loop, u = cortex.command(
                loop, body.loop_gains, m.feedforward(goal), goal, force_norm, h
            )
        a = drive.advance(u, t, h)
        fiber, head_force = mtu.step(m.mtu, m.test_length, a[:, None], fiber, h)
        force = head_force.sum(axis=1)
        force_norm = force / m.max_force
        rec.add(k, t + h, m.mass * a, force=force, excitation=u, activation=a)
    return rec.bout({"force": "N", "excitation": "1", "activation": "1"})


def elbow_move(
    body: Body,
    theta0: np.ndarray,
    theta1: float,
    duration: float,
    settings: FastSettings,
    rng: SubjectRNG,
    settle: float = 0.5,
) -> Bout:
    """Move the elbow from ``theta0`` (rad, per subject) to ``theta1`` along a minimum-jerk path.

    The cortex turns the planned angle into a torque demand (PD + gravity feed-forward), splits
    it between flexors and extensors with co-contraction, converts each side's force share into
    excitation through its internal model of the pool, Ia reciprocal inhibition shapes the
    pools' excitation, and the heads' forces move the joint. The bout lasts ``duration`` plus
    ``settle`` seconds.
    """
    flex, ext = (body.muscle(n) for n in ELBOW_PAIR)
    drives = [_drive(body, m, settings, rng) for m in (flex, ext)]
    v = body.values
    theta_ref = v("elbow.reference_angle", "rad")[:, None]
    kp, kd = v("elbow.position_gain", "N*m/rad"), v("elbow.velocity_gain", "N*m*s/rad")
    co, w_ri = v("elbow.cocontraction"), v("elbow.reciprocal_inhibition")
    capacity = [(m.mtu.max_isometric_force * m.moment_arm).sum(axis=1) for m in (flex, ext)]
    total = duration + settle
    n_steps, stride = settings.steps(total)
    h = settings.dt
    rec = _Recorder(n_steps, stride, h, settings.coupling_window, flex.mass + ext.mass)
    theta, omega = np.asarray(theta0, dtype=float).copy(), np.zeros(body.n_subjects)
    fibers = [mtu.static_fiber_length(m.mtu, m.test_length, 0.0) for m in (flex, ext)]
    for k in range(n_steps):
        t = k * h
        goal, goal_vel = cortex.minimum_jerk(t + h, duration, theta0, theta1)
        demand = (
            kp * (goal - theta) + kd * (goal_vel - omega) + elbow.gravity_torque(body.elbow, goal)
        )
        share_f, share_e = spinal.torque_shares(demand, capacity[0], capacity[1], co)
        u_f, u_e = spinal.reciprocal_inhibition(
            flex.feedforward(share_f), ext.feedforward(share_e), w_ri
        )
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
        }
    )
