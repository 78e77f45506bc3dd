"""Condition overlays: what a disease changes, as data with sources, and how conditions combine.

A condition is a folder ``data/conditions/<name>/``. ``condition.toml`` describes it (``title``,
``summary``, ``sources``; optionally ``sexes``, ``age_range_years`` and ``excludes``, a table of
conditions it cannot be combined with and why). Every other ``<topic>.toml`` is an overlay of
model parameters, each leaf either

* ``{ value = ..., unit = "...", description = "...", source = "..." }``: the value replaces the
  model's, or
* ``{ scale = 0.7, description = "...", source = "..." }``: the model's value is multiplied.

Conditions combine: scales multiply (two conditions that each lower insulin sensitivity lower it
twice), and a parameter one condition replaces and another scales is replaced, then scaled.
Contradictions are errors: two conditions that replace the same parameter with different values,
a condition that ``excludes`` another, a condition given for a sex or age it does not describe.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from myoaxis.core.errors import ParameterError, ScenarioError, unknown_name
from myoaxis.core.parameters import ParameterSet, _flatten, read_toml

_SCALE_KEYS = {"scale", "description", "source"}
_INFO_KEYS = {"title", "summary", "sources", "sexes", "age_range_years", "excludes"}


@dataclass(frozen=True)
class Scale:
    """A relative change of a model parameter: its value is multiplied by ``factor``."""

    name: str
    factor: float
    description: str
    source: str


@dataclass(frozen=True)
class Condition:
    """One condition: its description and its changes to the model's parameters."""

    name: str
    title: str
    summary: str
    sources: tuple[str, ...]
    values: ParameterSet  # absolute replacements
    scales: Mapping[str, Scale]  # relative changes
    sexes: tuple[str, ...] = ("female", "male")
    age_range_years: tuple[float, float] | None = None
    excludes: Mapping[str, str] = field(default_factory=dict)

    @property
    def parameters(self) -> set[str]:
        """Every model parameter the condition changes."""
        return set(self.values) | set(self.scales)


def _scales(data: Mapping[str, Any], prefix: str, where: str) -> tuple[dict, dict]:
    """Split a topic file's tree into value leaves (left for :func:`_flatten`) and scales."""
    values, scales = {}, {}
    for key, item in data.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(item, Mapping) and "scale" in item:
            if set(item) != _SCALE_KEYS:
                raise ParameterError(
                    f"{where}: {name!r} must have exactly the keys "
                    f"{', '.join(sorted(_SCALE_KEYS))} (or value, unit, description, source)"
                )
            factor = item["scale"]
            if isinstance(factor, bool) or not isinstance(factor, int | float) or factor < 0:
                raise ParameterError(f"{where}: {name!r} scale must be a non-negative number")
            for k in ("description", "source"):
                if not isinstance(item[k], str) or not item[k].strip():
                    raise ParameterError(f"{where}: {name!r} needs a non-empty {k}")
            scales[name] = Scale(name, float(factor), item["description"], item["source"])
        elif isinstance(item, Mapping) and "value" not in item:
            sub_values, sub_scales = _scales(item, name, where)
            if sub_values:
                values[key] = sub_values
            scales.update(sub_scales)
        else:
            values[key] = item
    return values, scales


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
    params: dict = {}
    scales: dict[str, Scale] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name == "condition.toml":
            continue
        values, topic_scales = _scales(read_toml(path), "", str(path))
        for p in _flatten(values, "", str(path)):
            if p.name in params or p.name in scales:
                raise ParameterError(f"{path}: {p.name!r} is set twice in condition {name!r}")
            params[p.name] = p
        for s in topic_scales:
            if s in params or s in scales:
                raise ParameterError(f"{path}: {s!r} is set twice in condition {name!r}")
        scales.update(topic_scales)
    age = info.get("age_range_years")
    return Condition(
        name=name,
        title=info["title"].strip(),
        summary=" ".join(info["summary"].split()),
        sources=tuple(info["sources"]),
        values=ParameterSet(params, (name,)),
        scales=scales,
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
                va, vb = a.values[name].value, b.values[name].value
                if va != vb:
                    raise ScenarioError(
                        f"{where}: {a.name!r} and {b.name!r} contradict each other: they set "
                        f"{name!r} to {va:g} and {vb:g} {a.values[name].unit}; use one of them, "
                        "or an override of that parameter"
                    )


def apply_conditions(params: ParameterSet, conditions: Sequence[Condition]) -> ParameterSet:
    """``params`` with the conditions' replacements, then their scales, applied."""
    for c in conditions:
        params = params.overlaid(c.values)
    factors: dict[str, float] = {}
    sources: dict[str, list[str]] = {}
    for c in conditions:
        for s in c.scales.values():
            if s.name not in params:
                raise ParameterError(
                    unknown_name("parameter", s.name, params.params, f"condition {c.name!r}")
                )
            factors[s.name] = factors.get(s.name, 1.0) * s.factor
            sources.setdefault(s.name, []).append(s.source)
    out = dict(params.params)
    for name, factor in factors.items():
        p = out[name]
        value = (
            tuple(v * factor for v in p.value) if isinstance(p.value, tuple) else p.value * factor
        )
        out[name] = replace(p, value=value, source=f"{p.source}; {'; '.join(sources[name])}")
    return ParameterSet(out, params.names)
