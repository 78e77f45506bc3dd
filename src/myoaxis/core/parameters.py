"""Parameters as data: every number has a value, a unit, a description and a source.

Parameter files are TOML. A *leaf* is a table with the keys ``value``, ``unit``,
``description`` and ``source`` (a citation key from ``data/citations/*.toml``, or a DOI), e.g.::

    [motor_pool.recruitment_range]
    value = 30
    unit = "dimensionless"
    description = "Ratio of the last to the first unit's recruitment threshold (RR)"
    source = "fuglevand1993"

Nested tables give the dotted name (``motor_pool.recruitment_range``). Files are parsed, never
executed. Units are checked with pint when the file is read; the unit written in the *base*
file is the parameter's canonical unit, and overrides given in another unit are converted to it.
Kernels receive plain floats (or float arrays over subjects) in those canonical units.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pint

from myoaxis.core.errors import ParameterError, unknown_name
from myoaxis.core.units import conversion, parse_quantity, ureg

_LEAF_KEYS = {"value", "unit", "description", "source"}


@dataclass(frozen=True)
class Parameter:
    """One documented number (or list of numbers) in its canonical unit."""

    name: str
    value: float | tuple[float, ...]
    unit: str
    description: str
    source: str

    def array(self) -> np.ndarray:
        """The value as a float array (a 0-d array for a scalar)."""
        return np.asarray(self.value, dtype=float)


def _leaf(name: str, table: Mapping[str, Any], where: str) -> Parameter:
    missing = _LEAF_KEYS - set(table)
    if missing:
        raise ParameterError(f"{where}: parameter {name!r} lacks {', '.join(sorted(missing))}")
    extra = set(table) - _LEAF_KEYS
    if extra:
        raise ParameterError(
            f"{where}: parameter {name!r} has unknown keys {', '.join(sorted(extra))}; "
            f"expected only {', '.join(sorted(_LEAF_KEYS))}"
        )
    unit = table["unit"]
    try:
        ureg.Unit(unit)
    except (pint.errors.PintError, ValueError, AttributeError, TypeError):
        raise ParameterError(f"{where}: parameter {name!r} has an unknown unit {unit!r}") from None
    raw = table["value"]
    if isinstance(raw, list):
        if not raw or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw):
            raise ParameterError(f"{where}: parameter {name!r} must be a list of numbers")
        value: float | tuple[float, ...] = tuple(float(v) for v in raw)
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    else:
        raise ParameterError(f"{where}: parameter {name!r} value {raw!r} is not a number")
    for key in ("description", "source"):
        if not isinstance(table[key], str) or not table[key].strip():
            raise ParameterError(f"{where}: parameter {name!r} needs a non-empty {key}")
    return Parameter(name, value, unit, table["description"], table["source"])


def _flatten(table: Mapping[str, Any], prefix: str, where: str) -> Iterator[Parameter]:
    for key, item in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if not isinstance(item, Mapping):
            raise ParameterError(
                f"{where}: {name!r} is a bare value; write it as a table with "
                "value, unit, description and source"
            )
        if "value" in item:
            yield _leaf(name, item, where)
        else:
            yield from _flatten(item, name, where)


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, turning syntax errors into a one-line :class:`ParameterError`."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"{path}: invalid TOML ({exc})") from None


@dataclass(frozen=True)
class ParameterSet:
    """An immutable mapping of dotted names to :class:`Parameter`."""

    params: Mapping[str, Parameter] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # the preset/overlay names this set was built from

    @classmethod
    def from_toml(cls, path: Path, prefix: str = "") -> ParameterSet:
        data = read_toml(path)
        params = {p.name: p for p in _flatten(data, prefix, str(path))}
        return cls(params, (path.stem,))

    def __contains__(self, name: object) -> bool:
        return name in self.params

    def __iter__(self) -> Iterator[str]:
        return iter(self.params)

    def __len__(self) -> int:
        return len(self.params)

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.params[name]
        except KeyError:
            raise ParameterError(unknown_name("parameter", name, self.params)) from None

    def value(self, name: str) -> float:
        """The scalar value of ``name`` in its canonical unit."""
        v = self[name].value
        if isinstance(v, tuple):
            raise ParameterError(f"parameter {name!r} is a table, not a scalar")
        return v

    def value_in(self, name: str, unit: str) -> float:
        """The scalar value of ``name`` converted to ``unit`` (e.g. ``"1/s"``)."""
        scale, offset = conversion(self[name].unit, unit)
        return scale * self.value(name) + offset

    def merged(self, other: ParameterSet) -> ParameterSet:
        """Union of two sets; a name in both must keep its unit dimension (converted)."""
        params = dict(self.params)
        for name, p in other.params.items():
            if name in params:
                params[name] = _converted(p, params[name].unit, f"parameter {name!r}")
            else:
                params[name] = p
        return ParameterSet(params, self.names + other.names)

    def overlaid(self, other: ParameterSet) -> ParameterSet:
        """``other``'s values replace this set's (converted to the canonical units); unlike
        :meth:`merged`, every name in ``other`` must already exist here."""
        for name in other.params:
            if name not in self.params:
                where = f"overlay {', '.join(other.names)}"
                raise ParameterError(unknown_name("parameter", name, self.params, where))
        merged = self.merged(other)
        return ParameterSet(merged.params, self.names + other.names)

    def with_values(self, values: Mapping[str, float], source: str) -> ParameterSet:
        """Replace values (in canonical units); ``source`` is appended to each one's source."""
        params = dict(self.params)
        for name, v in values.items():
            old = self[name]
            params[name] = replace(old, value=float(v), source=f"{old.source}; {source}")
        return ParameterSet(params, self.names)

    def overridden(self, overrides: Mapping[str, str | float], where: str) -> ParameterSet:
        """Apply user overrides such as ``{"muscle.grip.max_isometric_force": "310 N"}``."""
        params = dict(self.params)
        for name, text in overrides.items():
            if name not in params:
                raise ParameterError(unknown_name("parameter", name, params, where))
            base = params[name]
            value = parse_quantity(
                text, base.unit, f"{where}: {name!r}", error=ParameterError, allow_negative=True
            )
            params[name] = replace(base, value=value, source="user override")
        return ParameterSet(params, self.names)

    def sources(self) -> set[str]:
        return {p.source for p in self.params.values()}


def _converted(p: Parameter, unit: str, where: str) -> Parameter:
    if p.unit == unit:
        return p
    try:
        factor = ureg.Quantity(1.0, p.unit).to(unit).magnitude
    except pint.errors.DimensionalityError:
        raise ParameterError(
            f"{where}: unit {p.unit!r} does not convert to the canonical {unit!r}"
        ) from None
    value = tuple(v * factor for v in p.value) if isinstance(p.value, tuple) else p.value * factor
    return replace(p, value=value, unit=unit)


def subject_values(source: object, name: str, unit: str, where: str) -> np.ndarray:
    """Values of ``name`` in ``unit`` per subject: ``(S,)`` from a
    :class:`~myoaxis.body.Body`, ``(1,)`` from a :class:`ParameterSet` (the one subject it
    describes). ``where`` names the caller in errors."""
    if isinstance(source, ParameterSet):
        return np.atleast_1d(np.asarray(source.value_in(name, unit), dtype=float))
    if hasattr(source, "n_subjects") and callable(getattr(source, "values", None)):
        return np.asarray(source.values(name, unit), dtype=float)
    raise ParameterError(
        f"{where}: expected a Body or a ParameterSet holding {name!r}, got {type(source).__name__}"
    )
