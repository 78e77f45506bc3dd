"""Presets (who) and condition overlays (what is wrong), as TOML data with sources.

:func:`subject_parameters` builds one subject's :class:`~myoaxis.core.parameters.ParameterSet`:
model defaults + muscle groups, scaled by the preset's sex and age rules, then the condition
overlays, then the user's overrides (last, so an override is the value the kernels see).
Overrides of the preset's own values (``preset.*``) are the exception: they are applied to the
preset before it scales the subject, since they change how it does so.

A preset (``data/presets/<name>.toml``, read under the prefix ``preset``) declares:

* ``subject.age_years`` (default age) and ``subject.age_range_years`` ``[lo, hi]``, the ages it
  is meant for; an age outside is a :class:`ScenarioError` naming ``subject.age_years``;
* how strength scales with age and sex, either ``strength_by_age`` (its own table of the Dodds
  2014 median grip by age) or ``strength_centile``: the subject's grip sits on that centile of
  the Dodds 2014 curves of ``data/reference/clinical_norms.toml`` for age and sex. Either way
  every muscle group's ``max_isometric_force`` (young-male reference) is multiplied by the
  grip of that age and centile relative to the peak median grip of the sex (grip is the marker
  of overall strength), and women's by the group's ``sex_strength_ratio``;
* optionally ``vo2max_centile`` (default 50, the median): the subject's baseline VO2max
  (``energetics.vo2max_per_kg``) sits on that centile (5-95) of the FRIEND treadmill norms
  (Kaminsky 2015, ``data/reference/friend_vo2max.toml``) for age and sex, set before the
  condition overlays and overrides (so either can still replace it); see
  :func:`myoaxis.physiology.muscle.energetics.friend_vo2max_per_kg`;
* optionally ``muscle_mass_factor`` (written to ``mobility.muscle_mass_factor``: muscle mass
  relative to the typical for body size, age and sex) and ``subject.height_m.<sex>`` (written to
  ``mobility.height``); sex-specific default body masses may sit in
  ``subject.body_mass_kg.<sex>`` (see :func:`preset_default`).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from myoaxis.assess import bmd, clinical
from myoaxis.conditions.overlays import (
    Condition,
    apply_conditions,
    check_combination,
    read_condition,
)
from myoaxis.core.errors import ParameterError, ScenarioError, unknown_name
from myoaxis.core.parameters import ParameterSet
from myoaxis.core.units import conversion
from myoaxis.muscles import muscle_names
from myoaxis.physiology.muscle.energetics import friend_vo2max_per_kg

_DATA = Path(str(files("myoaxis") / "data"))
SEXES = ("female", "male")


def preset_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in (_DATA / "presets").glob("*.toml")))


def condition_names() -> tuple[str, ...]:
    folder = _DATA / "conditions"
    return tuple(sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name[0] != "_"))


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
def vo2max_norms() -> ParameterSet:
    """The FRIEND treadmill VO2max centiles by sex and decade
    (``data/reference/friend_vo2max.toml``)."""
    return ParameterSet.from_toml(_DATA / "reference" / "friend_vo2max.toml")


@cache
def condition(name: str) -> Condition:
    """A condition (``data/conditions/<name>/``, see :mod:`myoaxis.conditions.overlays`)."""
    if name not in condition_names():
        raise ScenarioError(unknown_name("condition", name, condition_names()))
    return read_condition(_DATA / "conditions" / name)


@cache
def preset(name: str) -> ParameterSet:
    if name not in preset_names():
        raise ScenarioError(unknown_name("preset", name, preset_names(), "subject.preset"))
    return ParameterSet.from_toml(_DATA / "presets" / f"{name}.toml", prefix="preset")


def strength_age_factor(p: ParameterSet, sex: str, age: float, where: str = "") -> float:
    """Median grip strength at ``age`` relative to the peak median of that sex (Dodds 2014),
    from the preset's ``strength_by_age`` table."""
    ages = p["preset.strength_by_age.ages"].array()
    median = p[f"preset.strength_by_age.{sex}_median"].array()
    if not ages[0] <= age <= ages[-1]:
        raise ScenarioError(
            f"{where}subject.age_years: {age:g} is outside the preset's strength table "
            f"({ages[0]:g}-{ages[-1]:g} years)"
        )
    return float(np.interp(age, ages, median) / median.max())


def strength_centile_factor(centile: float, sex: str, age: float, where: str = "") -> float:
    """Grip strength on the Dodds 2014 ``centile`` curve at ``age`` relative to the peak of the
    median curve of that sex (``clinical_norms.toml``; centiles beyond the 10th-90th curves are
    extrapolated on the normal scale, see :func:`myoaxis.assess.clinical.grip_for_centile`)."""
    if not 0.0 < centile < 100.0:
        raise ScenarioError(
            f"{where}preset.strength_centile: {centile:g} must lie strictly between 0 and 100"
        )
    norms = clinical.clinical_norms()
    peak = float(norms[f"grip_centiles.{sex}_p50"].array().max())
    grip = float(clinical.grip_for_centile(centile, age, sex))
    if grip <= 0.0:
        raise ScenarioError(
            f"{where}preset.strength_centile: the {centile:g}th grip centile at {age:g} years "
            f"extrapolates to {grip:.3g} kg; choose a higher centile"
        )
    return grip / peak


def preset_default(preset_name: str, key: str, sex: str) -> float:
    """A preset's default ``subject.<key>`` for ``sex`` (``subject.<key>.<sex>`` if the preset
    gives one per sex, else ``subject.<key>``), e.g. ``preset_default("older_adult",
    "body_mass_kg", "female")``."""
    p = preset(preset_name)
    for name in (f"preset.subject.{key}.{sex}", f"preset.subject.{key}"):
        if name in p:
            return p.value(name)
    raise ScenarioError(f"preset {preset_name!r} has no default subject.{key}")


def _check_age(p: ParameterSet, preset_name: str, age: float, where: str) -> None:
    name = "preset.subject.age_range_years"
    if name not in p:
        raise ParameterError(f"preset {preset_name!r}: subject.age_range_years is missing")
    lo, hi = p[name].array()
    if not lo <= age <= hi:
        raise ScenarioError(
            f"{where}subject.age_years: {age:g} is outside the age range of preset "
            f"{preset_name!r} ({lo:g}-{hi:g} years)"
        )


def _split_overrides(overrides: dict[str, str | float]) -> tuple[dict, dict]:
    own = {k: v for k, v in overrides.items() if k.startswith("preset.")}
    return own, {k: v for k, v in overrides.items() if k not in own}


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
                unknown_name("condition", c, condition_names(), f"{pre}subject.conditions")
            )
    overlays = [condition(c) for c in conditions]
    check_combination(overlays, sex, age_years, f"{pre}subject.conditions")
    preset_overrides, overrides = _split_overrides(overrides or {})
    params = base_parameters().merged(preset(preset_name))
    params = params.overridden(preset_overrides, f"{pre}subject.overrides")
    _check_age(params, preset_name, age_years, pre)
    if "preset.strength_centile" in params:
        centile = params.value("preset.strength_centile")
        factor = strength_centile_factor(centile, sex, age_years, pre)
    else:
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
    params = _vo2max_baseline(params, sex, age_years, pre)
    params = _mobility_defaults(params, sex)
    params = apply_conditions(params, overlays)
    return params.overridden(overrides, f"{pre}subject.overrides")


def vo2max_centile(params: ParameterSet) -> float:
    """The FRIEND centile of a preset (or a subject's parameters): ``preset.vo2max_centile``,
    the median (50) if the preset has none."""
    name = "preset.vo2max_centile"
    return params.value(name) if name in params else 50.0


def _vo2max_baseline(params: ParameterSet, sex: str, age: float, where: str) -> ParameterSet:
    """``energetics.vo2max_per_kg`` on the preset's FRIEND centile (``preset.vo2max_centile``,
    the median if the preset has none) for the subject's age and sex."""
    name = "preset.vo2max_centile"
    centile = vo2max_centile(params)
    try:
        vo2max = friend_vo2max_per_kg(sex, age, vo2max_norms(), centile)
    except ParameterError as exc:
        raise ScenarioError(f"{where}{name}: {exc}") from None
    unit = params["energetics.vo2max_per_kg"].unit
    vo2max *= conversion("mL/min/kg", unit)[0]
    return params.with_values({"energetics.vo2max_per_kg": vo2max}, "kaminsky2015")


def _mobility_defaults(params: ParameterSet, sex: str) -> ParameterSet:
    """The preset's sex-specific height and its muscle-mass factor, as the mobility model's
    per-subject parameters (``mobility.height``, ``mobility.muscle_mass_factor``)."""
    values = {}
    if (height := f"preset.subject.height_m.{sex}") in params:
        values["mobility.height"] = params.value_in(height, params["mobility.height"].unit)
    if "preset.muscle_mass_factor" in params:
        values["mobility.muscle_mass_factor"] = params.value("preset.muscle_mass_factor")
    return params.with_values(values, "preset") if values else params
