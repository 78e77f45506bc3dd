"""The slow layer: myokines, hormones, metabolism and bone over the whole scenario.

The components of :data:`COMPONENTS` are joined into one :class:`~myoaxis.core.equations.Model`
whose state is ``(subjects, states)``, subject-major. SciPy's ``odeint`` (LSODA, switching
between Adams and BDF) integrates it between breakpoints (step boundaries, coupling windows,
meals) with the inputs held constant, and is told that the Jacobian is banded, so a batch of
many subjects costs linearly. Samples are taken on a fixed grid of ``slow_period``.

Every input change and every impulse (a meal) is kept in :attr:`SlowLayer.schedule`; that is
what :mod:`myoaxis.io.sbml` writes as SBML events, so an exported file replays the same run.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.integrate import ODEintWarning, odeint

from myoaxis.body import Body
from myoaxis.core.equations import Component, Input, Model
from myoaxis.core.errors import SimulationError
from myoaxis.muscles import muscle_names
from myoaxis.physiology import bone, pharmacology, ports
from myoaxis.physiology.adaptation import aerobic, ageing, muscle, nutrition, pem, performance
from myoaxis.physiology.brain import (
    autonomic,
    mood,
    motor_learning,
    neuromodulation,
    pain,
    plasticity,
)
from myoaxis.physiology.endocrine import glucose_insulin, hpa, myokines

COMPONENTS = (
    *myokines.COMPONENTS,
    hpa.HPA,
    *glucose_insulin.COMPONENTS,
    *glucose_insulin.DISUSE_COMPONENTS,
    *bone.COMPONENTS,
    *ageing.COMPONENTS,
    *performance.COMPONENTS,
    *aerobic.COMPONENTS,
    *nutrition.COMPONENTS,
    *plasticity.COMPONENTS,
    *autonomic.COMPONENTS,
    *motor_learning.COMPONENTS,
    *mood.COMPONENTS,
    *pain.COMPONENTS,
    *pem.COMPONENTS,
    *neuromodulation.COMPONENTS,
)


def components(groups=(), drugs=()) -> tuple[Component, ...]:
    """The whole-body model plus the training adaptation of each muscle group in ``groups``
    (a run carries only the groups it trains or reports: each adds six states) and the
    pharmacokinetics of each drug in ``drugs`` (those the run doses)."""
    adapting = tuple(muscle.muscle_adaptation(g) for g in sorted(set(groups)))
    return COMPONENTS + adapting + (pharmacology.components(drugs) if drugs else ())


PORTS = {x.name for x in vars(ports).values() if isinstance(x, Input)}
RTOL = 1e-8  # relative tolerance; the absolute one is RTOL x each state's typical scale
MIN_STEP = 1e-6  # s; shorter advances are skipped (LSODA cannot take them)
CHUNK = 8  # subjects per LSODA call: 8-16 measured fastest (docs/performance.md)


@dataclass(frozen=True)
class SlowVariable:
    name: str
    units: str
    long_name: str


@cache
def model(components: tuple[Component, ...] = COMPONENTS) -> Model:
    """The slow layer's equations (compiled on first use)."""
    return Model(components)


def _variables() -> tuple[SlowVariable, ...]:
    """Every variable a run can report: the model's, with every muscle group's adaptation."""
    return tuple(
        SlowVariable(v.name, v.units, v.long_name)
        for c in components(muscle_names(), pharmacology.drug_names())
        for v in (*c.states, *c.assignments)
    )


VARIABLES = _variables()


@dataclass(frozen=True)
class Segment:
    """Inputs ``(I, subjects)`` held from ``start`` to ``end`` (s)."""

    start: float
    end: float
    inputs: np.ndarray


@dataclass(frozen=True)
class Impulse:
    """At ``time`` (s), ``amount`` ``(subjects,)`` is added to ``state``."""

    time: float
    state: str
    amount: np.ndarray


class SlowLayer:
    """Integrates the slow states of a batch of subjects and samples them on a grid."""

    def __init__(
        self,
        body: Body,
        period: float,
        components: tuple[Component, ...] = COMPONENTS,
        rtol: float = RTOL,
        keep: Iterable[str] | None = None,
    ):
        self.body = body
        self.rtol = rtol
        self.period = period
        self.model = model(components)
        n = body.n_subjects
        self.parameters = self.model.parameter_array(body.values, n)
        kernels = self.model.kernels
        self._rhs, self._assigned = kernels["rhs"], kernels["assigned"]
        self._assigned_series = kernels["assigned_series"]
        self.y = kernels["initial"](self.parameters)
        scale = np.array([s.scale for s in self.model.states])
        self.atol = np.tile(rtol * scale, n)
        self.t = 0.0
        self.schedule: list[Segment | Impulse] = []
        self._state_index = {s.name: k for k, s in enumerate(self.model.states)}
        self._assignment_index = {a.name: k for k, a in enumerate(self.model.assignments)}
        names = [v.name for v in (*self.model.states, *self.model.assignments)]
        wanted = set(names if keep is None else keep)
        self.kept = [name for name in names if name in wanted]
        self._kept_states = [self._state_index[x] for x in self.kept if x in self._state_index]
        self._kept_assigned = [
            self._assignment_index[x] for x in self.kept if x in self._assignment_index
        ]
        self._blocks: list[tuple[np.ndarray, np.ndarray]] = []  # (times, kept values (K, S, T))
        self._pending = True  # a sample is due at self.t, once the inputs from then are known

    @property
    def n_states(self) -> int:
        return len(self.model.states)

    def state(self, name: str) -> np.ndarray:
        """The current value of one state, ``(subjects,)``."""
        k = self._state_index[name]
        return self.y[k :: self.n_states].copy()

    def has(self, name: str) -> bool:
        """Is ``name`` a state or a named intermediate of this layer's model?"""
        return name in self._state_index or name in self._assignment_index

    def value(self, name: str) -> np.ndarray:
        """The current value of a state or a named intermediate (e.g. ``bmd_spine``),
        ``(subjects,)``, with the inputs of the last segment."""
        if name in self._state_index:
            return self.state(name)
        k = self._assignment_index[name]
        u = self._inputs_at(np.array([self.t]))[0]
        return self._assigned(self.t, self.y, self.parameters, u)[k].copy()

    def add(self, name: str, amount: np.ndarray) -> None:
        """Add ``amount`` (in the state's units) to state ``name`` now (e.g. a meal)."""
        k = self._state_index[name]
        amount = np.broadcast_to(np.asarray(amount, float), (self.body.n_subjects,)).copy()
        self.y[k :: self.n_states] += amount
        self.schedule.append(Impulse(self.t, name, amount))

    def advance(self, duration: float, inputs: dict[str, np.ndarray] | None = None) -> None:
        """Integrate over ``duration`` seconds with the ports held at ``inputs``."""
        if duration <= MIN_STEP:
            return
        n = self.body.n_subjects
        inputs = inputs or {}
        if unknown := set(inputs) - PORTS:
            raise SimulationError(f"unknown slow-layer ports {sorted(unknown)}")
        read = {i.name for i in self.model.inputs}  # ports no component reads are dropped
        self._integrate(
            duration, self.model.input_array({k: v for k, v in inputs.items() if k in read}, n)
        )

    def replay(self, schedule: list[Segment | Impulse]) -> None:
        """Apply another run's schedule (segments and impulses, inputs broadcast to this
        batch) from the current time: the slow layer alone, without the fast layer."""
        for item in schedule:
            if isinstance(item, Impulse):
                self.add(item.state, item.amount)
            else:
                shape = (len(self.model.inputs), self.body.n_subjects)
                self._integrate(item.end - item.start, np.broadcast_to(item.inputs, shape))

    def _integrate(self, duration: float, u: np.ndarray) -> None:
        t0, t1 = self.t, self.t + duration
        first = np.floor(t0 / self.period + 1e-9) + 1
        grid = np.arange(first, np.floor(t1 / self.period + 1e-9) + 1) * self.period
        grid = grid[grid < t1 - 1e-9 * max(1.0, t1)]
        times = np.concatenate([[t0], grid, [t1]])
        on_grid = abs(t1 / self.period - round(t1 / self.period)) < 1e-9
        # samples now: t0 if it is due, the grid inside; one at t1 waits for t1's inputs
        sampled = slice(0 if self._pending else 1, times.size - 1)
        kept = np.empty((len(self.kept), self.body.n_subjects, sampled.stop - sampled.start))
        y1 = np.empty_like(self.y)
        for chunk in self._chunks():
            part, info = self._solve(times, u, chunk)
            if info["message"] != "Integration successful.":
                raise SimulationError(self._failure(times, u, chunk))
            kept[:, chunk] = self._sample(times[sampled], part[sampled], u[:, chunk], chunk)
            y1[self._rows(chunk)] = part[-1]
        self._check(y1, t1)
        if kept.shape[2]:
            self._blocks.append((times[sampled], kept))
        self.y = y1
        self._pending = on_grid
        self.schedule.append(Segment(t0, t1, u))
        self.t = t1

    def _sample(self, times: np.ndarray, ys: np.ndarray, u: np.ndarray, chunk: slice) -> np.ndarray:
        """The kept variables ``(K, subjects of chunk, T)`` at ``times`` from the states ``ys``
        ``(T, chunk's states)``, with inputs ``u`` ``(I, subjects of chunk)``."""
        s = chunk.stop - chunk.start
        states = ys.reshape(times.size, s, self.n_states)[:, :, self._kept_states]
        parts = [states.transpose(2, 1, 0)]
        if self._kept_assigned:
            p = np.ascontiguousarray(self.parameters[:, chunk])
            us = np.ascontiguousarray(np.broadcast_to(u, (times.size, *u.shape)))
            parts.append(self._assigned_series(times, ys, p, us)[self._kept_assigned])
        return np.concatenate(parts)

    def _chunks(self) -> list[slice]:
        n = self.body.n_subjects
        return [slice(a, min(a + CHUNK, n)) for a in range(0, n, CHUNK)]

    def _rows(self, chunk: slice) -> slice:
        return slice(chunk.start * self.n_states, chunk.stop * self.n_states)

    def _solve(self, times: np.ndarray, u: np.ndarray, chunk: slice) -> tuple[np.ndarray, dict]:
        """Integrate the subjects of ``chunk`` (one LSODA call, banded Jacobian)."""
        rhs, rows = self._rhs, self._rows(chunk)
        p = np.ascontiguousarray(self.parameters[:, chunk])
        u = np.ascontiguousarray(u[:, chunk])
        width = self.n_states - 1
        with warnings.catch_warnings():  # a failure is reported by _failure, state named
            warnings.simplefilter("ignore", ODEintWarning)
            return odeint(
                lambda y, t: rhs(t, y, p, u),
                self.y[rows],
                times,
                rtol=self.rtol,
                atol=self.atol[rows],
                ml=width,
                mu=width,
                full_output=True,
                mxstep=100_000,
            )

    def _failure(self, times: np.ndarray, u: np.ndarray, chunk: slice) -> str:
        """Why the solver gave up: re-run the interval on a fine grid, find the last output it
        reached and name the state that changed most (relative to its tolerance) just before."""
        fine = np.linspace(times[0], times[-1], 1001)
        ys, info = self._solve(fine, u, chunk)
        reached = info["tcur"] >= fine[1:] * (1 - 1e-12)
        last = int(np.argmin(reached)) if not reached.all() else fine.size - 1
        at = float(info["tcur"][last]) if last < reached.size else float(fine[-1])
        with np.errstate(all="ignore"):
            change = np.abs(ys[last] - ys[max(last - 1, 0)]) / self.atol[self._rows(chunk)]
        change[~np.isfinite(change) | ~np.isfinite(ys[last])] = np.inf
        subject, k = divmod(int(np.argmax(change)), self.n_states)
        x = self.model.states[k]
        return (
            f"slow layer failed near t = {at:g} s ({info['message']}): state {x.name} of "
            f"subject {chunk.start + subject} was running away "
            f"({ys[last][subject * self.n_states + k]:g} {x.units} at t = {fine[last]:g} s)"
        )

    def _check(self, y: np.ndarray, t: float) -> None:
        bad = ~np.isfinite(y) | (y < -1e3 * self.atol)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            subject, state = divmod(k, self.n_states)
            name = self.model.states[state].name
            raise SimulationError(
                f"slow state {name} of subject {subject} became {y[k]:g} by t = {t:g} s "
                "(the solver blew up or the equations let it go negative)"
            )

    def _inputs_at(self, times: np.ndarray) -> list[np.ndarray]:
        """Inputs in force at each time, right-continuous (a change at ``t`` counts at ``t``)."""
        segments = [x for x in self.schedule if isinstance(x, Segment)]
        if not segments:
            return [self.model.input_array({}, self.body.n_subjects)] * times.size
        starts = np.array([x.start for x in segments])
        index = np.clip(np.searchsorted(starts, times, side="right") - 1, 0, None)
        return [segments[i].inputs for i in index]

    @property
    def n_samples(self) -> int:
        return sum(t.size for t, _ in self._blocks) + self._pending

    def series(self) -> tuple[np.ndarray, np.ndarray]:
        """Sample times ``(T,)`` and values ``(kept variables, subjects, T)``, in the order of
        :attr:`kept` (states, then assignments, as the model lists them)."""
        blocks = list(self._blocks)
        if self._pending:  # the sample at the current time, with the inputs in force now
            at = np.array([self.t])
            u = self._inputs_at(at)[0]
            blocks.append((at, self._sample(at, self.y[None], u, slice(0, self.body.n_subjects))))
        times = np.concatenate([t for t, _ in blocks])
        return times, np.concatenate([v for _, v in blocks], axis=2)
