"""Condition overlays: what a disease changes, as data with sources, and how conditions combine.

A condition is a folder ``data/conditions/<name>/``. ``condition.toml`` describes it (``title``,
``summary``, ``sources``; optionally ``sexes``, ``age_range_years`` and ``excludes``, a table of
conditions it cannot be combined with and why). Every other ``<topic>.toml`` is an overlay of
model parameters, each leaf one of

* ``{ value = ..., unit = "...", description = "...", source = "..." }``: the value replaces the
  model's;
* ``{ add = ..., unit = "...", description = "...", source = "..." }``: the amount (converted to
  the parameter's unit) is added to the model's value;
* ``{ scale = 0.7, description = "...", source = "..." }``: the model's value is multiplied.

An ``add`` or ``scale`` leaf may name many parameters with ``*`` (``[muscle."*"]`` changes the
leaf in every muscle group); a pattern must match at least one parameter.

Conditions combine: replacements first, then the additions of every condition are summed (two
conditions that each bring chronic inflammation bring it twice), then the scales multiply (two
conditions that each lower insulin sensitivity lower it twice). Contradictions are errors: two
conditions that replace the same parameter with different values, a condition that ``excludes``
another, a condition given for a sex or age it does not describe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Literal

from myoaxis.core.errors import ParameterError, ScenarioError, unknown_name
from myoaxis.core.parameters import Parameter, ParameterSet, _converted, _flatten, _leaf, read_toml

_CHANGE_KEYS = {
    "scale": {"scale", "description", "source"},
    "add": {"add", "unit", "description", "source"},
}
_INFO_KEYS = {"title", "summary", "sources", "sexes", "age_range_years", "excludes"}


@dataclass(frozen=True)
class Change:
    """A relative (``scale``: multiply by ``amount``) or additive (``add``: add ``amount`` in
    ``unit``) change of the model parameters matching ``name`` (which may hold ``*``)."""

    name: str
    kind: Literal["scale", "add"]
    amount: float
    unit: str
    description: str
    source: str

    def targets(self, names: Iterable[str], where: str) -> list[str]:
        """The parameters among ``names`` this change applies to (an error if none)."""
        names = list(names)
        if "*" not in self.name:
            if self.name not in names:
                raise ParameterError(unknown_name("parameter", self.name, names, where))
            return [self.name]
        hits = [n for n in names if fnmatchcase(n, self.name)]
        if not hits:
            raise ParameterError(f"{where}: the pattern {self.name!r} matches no parameter")
        return hits


@dataclass(frozen=True)
class Condition:
    """One condition: its description and its changes to the model's parameters."""

    name: str
    title: str
    summary: str
    sources: tuple[str, ...]
    values: ParameterSet  # absolute replacements
    changes: Mapping[str, Change]  # additions and scales, by name or pattern
    sexes: tuple[str, ...] = ("female", "male")
    age_range_years: tuple[float, float] | None = None
    excludes: Mapping[str, str] = field(default_factory=dict)

    @property
    def parameters(self) -> set[str]:
        """Every model parameter (or ``*`` pattern) the condition changes."""
        return set(self.values) | set(self.changes)


def _change(name: str, item: Mapping[str, Any], where: str) -> Change:
    kind = "scale" if "scale" in item else "add"
    keys = _CHANGE_KEYS[kind]
    if set(item) != keys:
        raise ParameterError(
            f"{where}: {name!r} must have exactly the keys {', '.join(sorted(keys))}"
        )
    if kind == "add":  # a number with a unit: read as a parameter leaf
        p = _leaf(name, {**{k: item[k] for k in keys - {"add"}}, "value": item["add"]}, where)
        if isinstance(p.value, tuple):
            raise ParameterError(f"{where}: {name!r} add must be one number")
        return Change(name, "add", p.value, p.unit, p.description, p.source)
    factor = item["scale"]
    if isinstance(factor, bool) or not isinstance(factor, int | float) or factor < 0:
        raise ParameterError(f"{where}: {name!r} scale must be a non-negative number")
    for k in ("description", "source"):
        if not isinstance(item[k], str) or not item[k].strip():
            raise ParameterError(f"{where}: {name!r} needs a non-empty {k}")
    return Change(name, "scale", float(factor), "", item["description"], item["source"])


def _split(data: Mapping[str, Any], prefix: str, where: str) -> tuple[dict, dict]:
    """Split a topic file's tree into value leaves (left for :func:`_flatten`) and changes."""
    values, changes = {}, {}
    for key, item in data.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(item, Mapping) and ("scale" in item or "add" in item):
            changes[name] = _change(name, item, where)
        elif isinstance(item, Mapping) and "value" not in item:
            sub_values, sub_changes = _split(item, name, where)
            if sub_values:
                values[key] = sub_values
            changes.update(sub_changes)
        elif "*" in name:
            raise ParameterError(
                f"{where}: {name!r}: a pattern may only add or scale, not replace a value"
            )
        else:
            values[key] = item
    return values, changes


def _info(path: Path, name: str) -> dict[str, Any]:
    if not path.exists():
        raise ParameterError(f"condition {name!r}: {path} is missing (title, summary, sources)")
    info = read_toml(path)
    unknown = set(info) - _INFO_KEYS
    if unknown:
        raise ParameterError(
            f"{path}: unknown keys {', '.join(sorted(unknown))}; "
            f"expected {', '.join(sorted(_INFO_KEYS))}"
        )
    for key in ("title", "summary"):
        if not isinstance(info.get(key), str) or not info[key].strip():
            raise ParameterError(f"{path}: {key!r} must be a non-empty string")
    if not isinstance(info.get("sources"), list) or not info["sources"]:
        raise ParameterError(f"{path}: 'sources' must be a non-empty list of citation keys")
    return info


def read_condition(folder: Path) -> Condition:
    """Read a condition folder (its ``condition.toml`` and its topic overlays)."""
    name = folder.name
    info = _info(folder / "condition.toml", name)
    params: dict[str, Parameter] = {}
    changes: dict[str, Change] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name == "condition.toml":
            continue
        values, topic_changes = _split(read_toml(path), "", str(path))
        topic_values = {p.name: p for p in _flatten(values, "", str(path))}
        for key in [*topic_values, *topic_changes]:
            if key in params or key in changes:
                raise ParameterError(f"{path}: {key!r} is set twice in condition {name!r}")
        params.update(topic_values)
        changes.update(topic_changes)
    age = info.get("age_range_years")
    return Condition(
        name=name,
        title=info["title"].strip(),
        summary=" ".join(info["summary"].split()),
        sources=tuple(info["sources"]),
        values=ParameterSet(params, (name,)),
        changes=changes,
        sexes=tuple(info.get("sexes", ("female", "male"))),
        age_range_years=None if age is None else (float(age[0]), float(age[1])),
        excludes=dict(info.get("excludes", {})),
    )


def check_combination(
    conditions: Sequence[Condition], sex: str, age: float, where: str = "subject.conditions"
) -> None:
    """Raise :class:`ScenarioError` for a contradictory set of conditions (see module doc)."""
    names = [c.name for c in conditions]
    for c in conditions:
        if names.count(c.name) > 1:
            raise ScenarioError(f"{where}: {c.name!r} is listed twice")
        if sex not in c.sexes:
            raise ScenarioError(f"{where}: {c.name!r} is not defined for a {sex} subject")
        if c.age_range_years and not c.age_range_years[0] <= age <= c.age_range_years[1]:
            lo, hi = c.age_range_years
            raise ScenarioError(
                f"{where}: {c.name!r} is defined for ages {lo:g}-{hi:g} years, not {age:g}"
            )
        for other, why in c.excludes.items():
            if other in names:
                raise ScenarioError(f"{where}: {c.name!r} cannot be combined with {other!r}: {why}")
    for k, a in enumerate(conditions):
        for b in conditions[k + 1 :]:
            for name in sorted(set(a.values) & set(b.values)):
                pa = a.values[name]
                pb = _converted(b.values[name], pa.unit, f"condition {b.name!r}: {name!r}")
                if pa.value != pb.value:
                    raise ScenarioError(
                        f"{where}: {a.name!r} and {b.name!r} contradict each other: they set "
                        f"{name!r} to {pa.value} and {pb.value} {pa.unit}; use one of them, "
                        "or an override of that parameter"
                    )


def apply_conditions(params: ParameterSet, conditions: Sequence[Condition]) -> ParameterSet:
    """``params`` with the conditions' replacements, then their additions, then their scales
    applied (see the module doc)."""
    for c in conditions:
        params = params.overlaid(c.values)
    added: dict[str, float] = {}
    factors: dict[str, float] = {}
    sources: dict[str, list[str]] = {}
    for c in conditions:
        for change in c.changes.values():
            for name in change.targets(params.params, f"condition {c.name!r}"):
                if change.kind == "add":
                    unit = params[name].unit
                    amount = Parameter(name, change.amount, change.unit, "", "")
                    amount = _converted(amount, unit, f"condition {c.name!r}: {name!r}").value
                    added[name] = added.get(name, 0.0) + amount
                else:
                    factors[name] = factors.get(name, 1.0) * change.amount
                sources.setdefault(name, []).append(change.source)
    out = dict(params.params)
    for name in sources:
        p, a, f = out[name], added.get(name, 0.0), factors.get(name, 1.0)
        if isinstance(p.value, tuple):
            value: float | tuple[float, ...] = tuple((v + a) * f for v in p.value)
        else:
            value = (p.value + a) * f
        out[name] = replace(p, value=value, source=f"{p.source}; {'; '.join(sources[name])}")
    return ParameterSet(out, params.names)
