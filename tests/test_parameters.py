"""Parameter files: every number has a unit and a resolvable source; scaling and overrides."""

from __future__ import annotations

import pytest

from myoaxis.conditions import base_parameters, preset, preset_names, subject_parameters
from myoaxis.core.citations import registry, source_keys
from myoaxis.core.errors import ParameterError
from myoaxis.core.parameters import ParameterSet
from myoaxis.core.units import ureg
from myoaxis.muscles import muscle_names

REQUIRED_GROUPS = {
    "grip",
    "first_dorsal_interosseous",
    "elbow_flexors",
    "elbow_extensors",
    "knee_extensors",
    "ankle_plantarflexors",
    "shoulder_flexors",
    "trunk_extensors",
}


def all_parameters() -> ParameterSet:
    params = base_parameters()
    for name in preset_names():
        params = params.merged(preset(name))
    return params


def test_required_muscle_groups_exist():
    assert set(muscle_names()) >= REQUIRED_GROUPS


def test_every_source_resolves_to_a_citation():
    known = registry()
    missing = {
        (p.name, k)
        for p in all_parameters().params.values()
        for k in source_keys(p.source)
        if k not in known
    }
    assert not missing


def test_every_unit_is_known_to_pint():
    for p in all_parameters().params.values():
        ureg.Unit(p.unit)


def test_override_converts_to_the_canonical_unit():
    p = subject_parameters(
        "healthy_adult", "male", 30, overrides={"muscle.grip.max_isometric_force": "0.31 kN"}
    )
    assert p.value("muscle.grip.max_isometric_force") == pytest.approx(310.0)
    assert p["muscle.grip.max_isometric_force"].source == "user override"


def test_override_with_wrong_dimension_is_an_error():
    with pytest.raises(ParameterError, match="does not convert"):
        subject_parameters(
            "healthy_adult", "male", 30, overrides={"muscle.grip.max_isometric_force": "310 s"}
        )


def test_women_and_older_adults_are_weaker_by_the_dodds_ratios():
    def f0(sex, age):
        return subject_parameters("healthy_adult", sex, age).value(
            "muscle.grip.max_isometric_force"
        )

    assert f0("female", 30) / f0("male", 30) == pytest.approx(31 / 51, rel=1e-3)
    assert f0("male", 80) / f0("male", 30) == pytest.approx(32 / 51, rel=1e-3)


def test_unit_conversion_helper():
    p = base_parameters()
    assert p.value_in("motor_pool.contraction_time_longest", "s") == pytest.approx(0.09)
    assert p.value_in("il6.elimination_rate", "1/s") == pytest.approx(0.315 / 60)
