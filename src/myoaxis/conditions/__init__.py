"""Presets (who) and condition overlays (what is wrong), as TOML data with sources.

:func:`subject_parameters` builds one subject's :class:`~myoaxis.core.parameters.ParameterSet`:
model defaults + muscle groups, scaled by the preset's sex and age rules, then the condition
overlays, then the user's overrides (last, so an override is the value the kernels see).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from myoaxis.assess import bmd
from myoaxis.core.errors import ParameterError, ScenarioError, unknown_name
from myoaxis.core.parameters import ParameterSet
from myoaxis.muscles import muscle_names

_DATA = Path(str(files("myoaxis") / "data"))
SEXES = ("female", "male")


def preset_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in (_DATA / "presets").glob("*.toml")))


def condition_names() -> tuple[str, ...]:
    folder = _DATA / "conditions"
    return tuple(sorted(p.stem for p in folder.glob("*.toml"))) if folder.exists() else ()


@cache
def base_parameters() -> ParameterSet:
    """Model defaults (``data/model/*.toml``) plus every muscle group (``muscle.<group>.*``)."""
    params = ParameterSet()
    for path in sorted((_DATA / "model").glob("*.toml")):
        part = ParameterSet.from_toml(path)
        clash = sorted(set(part) & set(params))
        if clash:
            raise ParameterError(f"{path}: {clash[0]!r} is already defined in another model file")
        params = params.merged(part)
    for name in muscle_names():
        params = params.merged(
            ParameterSet.from_toml(_DATA / "muscles" / f"{name}.toml", prefix=f"muscle.{name}")
        )
    return ParameterSet(params.params, ("defaults",))


@cache
def condition(name: str) -> ParameterSet:
    """A condition overlay: values that replace the defaults' (``data/conditions/<name>.toml``)."""
    return ParameterSet.from_toml(_DATA / "conditions" / f"{name}.toml")


@cache
def preset(name: str) -> ParameterSet:
    if name not in preset_names():
        raise ScenarioError(unknown_name("preset", name, preset_names(), "subject.preset"))
    return ParameterSet.from_toml(_DATA / "presets" / f"{name}.toml", prefix="preset")


def strength_age_factor(p: ParameterSet, sex: str, age: float, where: str = "") -> float:
    """Median grip strength at ``age`` relative to the peak median of that sex (Dodds 2014)."""
    ages = p["preset.strength_by_age.ages"].array()
    median = p[f"preset.strength_by_age.{sex}_median"].array()
    if not ages[0] <= age <= ages[-1]:
        raise ScenarioError(
            f"{where}subject.age_years: {age:g} is outside the preset's strength table "
            f"({ages[0]:g}-{ages[-1]:g} years)"
        )
    return float(np.interp(age, ages, median) / median.max())


def subject_parameters(
    preset_name: str,
    sex: str,
    age_years: float,
    conditions: tuple[str, ...] = (),
    overrides: dict[str, str | float] | None = None,
    where: str = "",
) -> ParameterSet:
    """The resolved parameter set of one subject; ``where`` prefixes messages (a file name)."""
    pre = f"{where}: " if where else ""
    if sex not in SEXES:
        raise ScenarioError(unknown_name("sex", sex, SEXES, f"{pre}subject.sex"))
    for c in conditions:
        if c not in condition_names():
            raise ScenarioError(
                unknown_name(
                    "condition", c, condition_names() or ("(none yet)",), f"{pre}subject.conditions"
                )
            )
    params = base_parameters().merged(preset(preset_name))
    factor = strength_age_factor(params, sex, age_years, pre)
    scaled = {}
    for m in muscle_names():
        f0 = params.value(f"muscle.{m}.max_isometric_force") * factor
        if sex == "female":
            f0 *= params.value(f"muscle.{m}.sex_strength_ratio")
        scaled[f"muscle.{m}.max_isometric_force"] = f0
    params = params.with_values(scaled, source="dodds2014")
    spine = bmd.baseline_bmd(params, "spine", sex, age_years)  # the age- and sex-matched mean
    params = params.with_values({"bone.spine.baseline_bmd": spine}, "varatharajan2026")
    for c in conditions:
        params = params.overlaid(condition(c))
    return params.overridden(overrides or {}, f"{pre}subject.overrides")
