r"""Systems of ordinary differential equations assembled from components written as text.

A :class:`Component` declares its states (with a rate expression and a resting initial value),
the inputs it reads from the fast layer or the protocol, named intermediate quantities
(:class:`Assignment`) and the units in which it reads each parameter. A :class:`Model` joins
components, resolves every name, checks that every rate has the units of its state per second
and compiles one batched numba kernel

.. math:: \dot y = f(t, y, p, u), \qquad y \in \mathbb{R}^{S \times N}

laid out subject-major (state ``i`` of subject ``s`` at ``s N + i``), so the Jacobian is block
diagonal with bandwidth ``N - 1`` and a stiff solver's work grows linearly with the number of
subjects. The same texts are written to SBML by :mod:`myoaxis.io.sbml`.

The unit check evaluates every expression twice at random positive values: once on plain
floats (what the kernel does) and once on pint quantities in the declared units. The two must
agree once the quantity is converted to the declared unit, so a forgotten conversion factor is a
build error, not a silent factor of 1000.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numba
import numpy as np

from myoaxis.core.expressions import Expression, ExpressionError, evaluate, python_name, to_python
from myoaxis.core.units import ureg

TIME = "time"


@dataclass(frozen=True)
class State:
    """A state variable: ``rate`` in ``units`` per second, starting at ``initial``.

    ``initial`` may read parameters only. ``scale`` is a typical magnitude in ``units``; the
    solver's absolute tolerance is a fixed fraction of it.
    """

    name: str
    units: str
    long_name: str
    rate: str
    initial: str
    scale: float = 1.0


@dataclass(frozen=True)
class Input:
    """A piecewise-constant port written by the fast layer or the protocol.

    A component may also declare, as an input with a default, a quantity that another component
    computes (so that it can be built and tested alone); in a model that has that component the
    input is wired to the computed quantity."""

    name: str
    units: str
    long_name: str
    default: float = 0.0


@dataclass(frozen=True)
class Assignment:
    """A named quantity computed from states, inputs, parameters and earlier assignments."""

    name: str
    units: str
    long_name: str
    expression: str


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (parameters is a dict)
class Component:
    """One part of the slow layer, e.g. interleukin-6 or the HPA axis.

    ``parameters`` maps each dotted parameter name the equations read to the unit they read it
    in; ``citations`` are the keys of the papers the equations come from.
    """

    name: str
    states: tuple[State, ...]
    parameters: Mapping[str, str]
    inputs: tuple[Input, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    citations: tuple[str, ...] = field(default=())


def _unique(items: Iterable, what: str) -> dict:
    out: dict = {}
    for item in items:
        if item.name in out and out[item.name] != item:
            raise ExpressionError(f"{what} {item.name!r} is declared twice, differently")
        out[item.name] = item
    return out


class Model:
    """Components joined into one batched system (see the module docstring)."""

    def __init__(self, components: Iterable[Component]):
        self.components = tuple(components)
        self.states = tuple(s for c in self.components for s in c.states)
        if len({s.name for s in self.states}) != len(self.states):
            raise ExpressionError("a state is declared by two components")
        provided = {s.name for s in self.states} | {
            a.name for c in self.components for a in c.assignments
        }
        self.inputs = tuple(  # an input another component computes is wired to it, not a port
            i
            for i in _unique((i for c in self.components for i in c.inputs), "input").values()
            if i.name not in provided
        )
        self.parameter_units: dict[str, str] = {}
        for c in self.components:
            for name, unit in c.parameters.items():
                if self.parameter_units.setdefault(name, unit) != unit:
                    raise ExpressionError(
                        f"parameter {name!r} is read in {unit} by {c.name} and in "
                        f"{self.parameter_units[name]} elsewhere"
                    )
        self.parameters = tuple(sorted(self.parameter_units))
        self.assignments = self._ordered(
            _unique((a for c in self.components for a in c.assignments), "assignment")
        )
        self.rates = {s.name: Expression(s.rate) for s in self.states}
        self.initials = {s.name: Expression(s.initial) for s in self.states}
        self.expressions = {a.name: Expression(a.expression) for a in self.assignments}
        self._resolve()
        self._check_units()

    # -- construction checks -------------------------------------------------------------------

    def _ordered(self, assignments: dict[str, Assignment]) -> tuple[Assignment, ...]:
        """Assignments in an order where each reads only earlier ones."""
        done: list[Assignment] = []
        pending = dict(assignments)
        while pending:
            ready = [
                a
                for a in pending.values()
                if not (Expression(a.expression).names & (pending.keys() - {a.name}))
                and a.name not in Expression(a.expression).names
            ]
            if not ready:
                raise ExpressionError(f"assignments {sorted(pending)} depend on each other")
            for a in ready:
                done.append(pending.pop(a.name))
        return tuple(done)

    def _resolve(self) -> None:
        known = (
            {s.name for s in self.states}
            | {i.name for i in self.inputs}
            | {a.name for a in self.assignments}
            | set(self.parameters)
            | {TIME}
        )
        for where, expr in [*self.rates.items(), *self.expressions.items()]:
            if unknown := expr.names - known:
                raise ExpressionError(f"{where}: unknown names {sorted(unknown)} in {expr.text!r}")
        for where, expr in self.initials.items():
            if unknown := expr.names - set(self.parameters):
                raise ExpressionError(
                    f"initial value of {where} may read parameters only; it reads {sorted(unknown)}"
                )
        used = set().union(
            *(
                e.names
                for e in (*self.rates.values(), *self.expressions.values(), *self.initials.values())
            )
        )
        if unused := set(self.parameters) - used:
            raise ExpressionError(f"parameters declared but never read: {sorted(unused)}")

    def units_of(self, name: str) -> str:
        """The declared unit of a state, input, assignment or parameter."""
        for group in (self.states, self.inputs, self.assignments):
            for item in group:
                if item.name == name:
                    return item.units
        if name == TIME:
            return "s"
        return self.parameter_units[name]

    def _check_units(self) -> None:
        rng = np.random.default_rng(20_000)
        names = [
            *(s.name for s in self.states),
            *(i.name for i in self.inputs),
            *self.parameters,
            TIME,
        ]
        for _trial in range(3):
            raw = {n: float(rng.uniform(0.5, 2.0)) for n in names}
            floats = dict(raw)
            quantities = {n: ureg.Quantity(v, self.units_of(n)) for n, v in raw.items()}
            checks = [(a.name, self.expressions[a.name], a.units, True) for a in self.assignments]
            checks += [(s.name, self.rates[s.name], f"({s.units})/s", False) for s in self.states]
            checks += [
                (f"initial {s.name}", self.initials[s.name], s.units, False) for s in self.states
            ]
            for where, expr, unit, store in checks:
                value = evaluate(expr, floats)
                if value == 0 and not hasattr(evaluate(expr, quantities), "to"):
                    if store:  # a literal zero has every unit
                        floats[where] = 0.0
                        quantities[where] = ureg.Quantity(0.0, unit)
                    continue
                try:
                    q = evaluate(expr, quantities)
                    q_in = (q if hasattr(q, "to") else ureg.Quantity(q)).to(unit).magnitude
                except Exception as exc:  # pint's DimensionalityError, OffsetUnitCalculusError
                    raise ExpressionError(
                        f"{where}: units do not work out in {expr.text!r} ({exc})"
                    ) from None
                if not math.isclose(q_in, value, rel_tol=1e-9, abs_tol=1e-300):
                    raise ExpressionError(
                        f"{where}: {expr.text!r} is in {unit} only after a factor "
                        f"{q_in / value:g}; declare the parameters in matching units"
                    )
                if store:
                    floats[where] = value
                    quantities[where] = ureg.Quantity(value, unit)

    # -- compiled kernels ----------------------------------------------------------------------

    def _source(self) -> str:
        n = len(self.states)

        def local(name: str) -> str:  # prefixed, so no model name can shadow the kernel's own
            return f"v_{python_name(name)}"

        lines = [
            "def rhs(t, y, p, u):",
            "    S = p.shape[1]",
            f"    dy = np.empty(S * {n})",
            "    for s in range(S):",
            f"        b = s * {n}",
        ]
        body = [f"{local(x.name)} = y[b + {k}]" for k, x in enumerate(self.states)]
        body += [f"{local(x)} = p[{k}, s]" for k, x in enumerate(self.parameters)]
        body += [f"{local(x.name)} = u[{k}, s]" for k, x in enumerate(self.inputs)]
        body += [f"{local(TIME)} = t"]
        body += [
            f"{local(a.name)} = {to_python(self.expressions[a.name], local)}"
            for a in self.assignments
        ]
        body += [
            f"dy[b + {k}] = {to_python(self.rates[x.name], local)}"
            for k, x in enumerate(self.states)
        ]
        lines += [f"        {line}" for line in body] + ["    return dy", ""]
        lines += [
            "def assigned(t, y, p, u):",
            "    S = p.shape[1]",
            f"    out = np.empty(({max(len(self.assignments), 1)}, S))",
            "    for s in range(S):",
            f"        b = s * {n}",
        ]
        body = body[: len(body) - n]
        body += [f"out[{k}, s] = {local(a.name)}" for k, a in enumerate(self.assignments)]
        lines += [f"        {line}" for line in body] + ["    return out", ""]
        lines += [  # the same at many samples: ts (T,), ys (T, S*N), us (T, I, S)
            "def assigned_series(ts, ys, p, us):",
            "    S = p.shape[1]",
            f"    out = np.empty(({max(len(self.assignments), 1)}, S, ts.shape[0]))",
            "    for j in range(ts.shape[0]):",
            "        t, y, u = ts[j], ys[j], us[j]",
            "        for s in range(S):",
            f"            b = s * {n}",
        ]
        lines += [f"            {line.replace(', s] =', ', s, j] =')}" for line in body]
        lines += ["    return out", ""]
        lines += [
            "def initial(p):",
            "    S = p.shape[1]",
            f"    y = np.empty(S * {n})",
            "    for s in range(S):",
            f"        b = s * {n}",
        ]
        body = [f"{local(x)} = p[{k}, s]" for k, x in enumerate(self.parameters)]
        body += [
            f"y[b + {k}] = {to_python(self.initials[x.name], local)}"
            for k, x in enumerate(self.states)
        ]
        lines += [f"        {line}" for line in body] + ["    return y", ""]
        return "\n".join(lines)

    @cached_property
    def kernels(self) -> dict[str, Callable]:
        """``rhs(t, y, p, u) -> dy``, ``assigned(t, y, p, u) -> (A, S)`` and ``initial(p)``,
        compiled by numba (once per process and model text)."""
        return _compile(self._source())

    def parameter_array(self, values: Callable[[str, str], np.ndarray], n: int) -> np.ndarray:
        """Parameter values ``(P, subjects)`` in the units the equations read them in."""
        return np.stack(
            [np.broadcast_to(values(k, self.parameter_units[k]), (n,)) for k in self.parameters]
        ).astype(float)

    def input_array(self, given: Mapping[str, np.ndarray], n: int) -> np.ndarray:
        """Inputs ``(I, subjects)``: ``given`` values, the declared defaults elsewhere."""
        if unknown := set(given) - {i.name for i in self.inputs}:
            raise ExpressionError(f"unknown slow-layer inputs {sorted(unknown)}")
        return (
            np.stack(
                [np.broadcast_to(given.get(i.name, i.default), (n,)) for i in self.inputs]
            ).astype(float)
            if self.inputs
            else np.zeros((0, n))
        )


_COMPILED: dict[str, dict[str, Callable]] = {}
KERNELS = ("rhs", "assigned", "assigned_series", "initial")


def cache_dir() -> Path:
    """Where generated kernels are kept for numba's disk cache: ``$MYOAXIS_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/myoaxis`` (``~/.cache/myoaxis``)."""
    if os.environ.get("MYOAXIS_CACHE_DIR"):
        return Path(os.environ["MYOAXIS_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "myoaxis"


def _cached_module(source: str) -> dict | None:
    """The kernels' source as a module file named by its hash, so numba can cache the
    compiled code on disk (it cannot cache code made by ``exec``); ``None`` if the cache
    folder cannot be written."""
    text = f"import math\n\nimport numpy as np\n\n{source}"
    path = cache_dir() / f"slow_{hashlib.sha256(text.encode()).hexdigest()[:20]}.py"
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text)
            tmp.replace(path)  # atomic: concurrent workers never import a partial file
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module  # numba's cache finds the module by name
        spec.loader.exec_module(module)
    except OSError:
        return None
    return vars(module)


def _compile(source: str) -> dict[str, Callable]:
    """Compile the kernels once per process, from numba's disk cache when it can."""
    if source not in _COMPILED:
        namespace = _cached_module(source)
        cache = namespace is not None
        if namespace is None:
            namespace = {"np": np, "math": math}
            exec(compile(source, "<myoaxis slow-layer equations>", "exec"), namespace)
        _COMPILED[source] = {k: numba.njit(cache=cache)(namespace[k]) for k in KERNELS}
    return _COMPILED[source]
