"""Presets: loading, age ranges, strength centiles, muscle mass and anthropometry defaults."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis.assess import KG_FORCE, clinical
from myoaxis.body import Body
from myoaxis.conditions import (
    SEXES,
    preset,
    preset_default,
    preset_names,
    strength_centile_factor,
    subject_parameters,
)
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.muscle_state import MuscleState
from myoaxis.muscles import muscle_names

NORMS = clinical.clinical_norms()


def age_range(name: str) -> tuple[float, float]:
    lo, hi = preset(name)["preset.subject.age_range_years"].array()
    return float(lo), float(hi)


def test_the_presets_exist_and_their_default_ages_lie_in_their_ranges():
    assert {"healthy_adult", "older_adult", "sarcopenia"} <= set(preset_names())
    for name in preset_names():
        lo, hi = age_range(name)
        assert lo < preset(name).value("preset.subject.age_years") < hi
        for sex in SEXES:
            assert preset_default(name, "body_mass_kg", sex) > 0
            subject_parameters(name, sex, lo)
            subject_parameters(name, sex, hi)


@pytest.mark.parametrize(
    ("name", "age"),
    [("older_adult", 55), ("older_adult", 95), ("sarcopenia", 60), ("healthy_adult", 18)],
)
def test_an_age_outside_the_preset_range_names_the_key_value_and_range(name, age):
    lo, hi = age_range(name)
    with pytest.raises(ScenarioError) as err:
        subject_parameters(name, "female", age, where="s.toml")
    msg = str(err.value)
    assert msg.startswith("s.toml: subject.age_years")
    for part in (f"{age:g}", f"{lo:g}-{hi:g} years", repr(name)):
        assert part in msg


def test_a_preset_without_an_age_range_is_a_parameter_error(monkeypatch):
    import myoaxis.conditions as conditions

    bare = preset("older_adult")
    params = {k: v for k, v in bare.params.items() if k != "preset.subject.age_range_years"}
    monkeypatch.setattr(conditions, "preset", lambda name: type(bare)(params, bare.names))
    with pytest.raises(ParameterError, match="age_range_years is missing"):
        conditions.subject_parameters("older_adult", "male", 70)


@pytest.mark.parametrize("sex", SEXES)
@pytest.mark.parametrize("age", [60, 72, 90])
def test_older_adult_is_as_strong_as_healthy_adult_of_the_same_age(sex, age):
    older = subject_parameters("older_adult", sex, age)
    healthy = subject_parameters("healthy_adult", sex, age)
    for m in muscle_names():
        name = f"muscle.{m}.max_isometric_force"
        assert older.value(name) == pytest.approx(healthy.value(name), rel=1e-9)


def test_the_centile_factor_follows_the_dodds_curves():
    peak = NORMS["grip_centiles.male_p50"].array().max()
    assert strength_centile_factor(90, "male", 40) == pytest.approx(63 / peak)
    assert strength_centile_factor(10, "female", 80) * 31 == pytest.approx(13.0)
    for bad in (0, 100, -5):
        with pytest.raises(ScenarioError, match=r"preset\.strength_centile"):
            strength_centile_factor(bad, "male", 70)


def test_a_strength_centile_override_rescales_the_subject():
    base = subject_parameters("older_adult", "female", 75)
    weak = subject_parameters(
        "older_adult", "female", 75, overrides={"preset.strength_centile": 10}
    )
    ratio = weak.value("muscle.knee_extensors.max_isometric_force") / base.value(
        "muscle.knee_extensors.max_isometric_force"
    )
    assert ratio == pytest.approx(14.0 / 21.0)  # Dodds women at 75: P10 14 kg, P50 21 kg
    with pytest.raises(ParameterError, match="unknown parameter"):
        subject_parameters("healthy_adult", "male", 40, overrides={"preset.strength_centile": 10})


def test_sarcopenia_grip_is_below_the_ewgsop2_cut_off_at_every_age_of_its_range():
    lo, hi = age_range("sarcopenia")
    ages = np.linspace(lo, hi, 6)
    cases = [(s, a) for s in SEXES for a in ages]
    body = Body(
        [subject_parameters("sarcopenia", s, a) for s, a in cases], np.full(len(cases), 70.0)
    )
    grip = MuscleState.rested(body, "grip").strength(body) / KG_FORCE
    cut = np.array([NORMS.value(f"ewgsop2.grip_{s}") for s, _ in cases])
    assert np.all(grip < cut)
    assert np.all(grip > 0.3 * cut)


def test_sarcopenia_lowers_muscle_mass_and_presets_set_height_by_sex():
    for sex in SEXES:
        sarc = subject_parameters("sarcopenia", sex, 75)
        older = subject_parameters("older_adult", sex, 75)
        assert sarc.value("mobility.muscle_mass_factor") == pytest.approx(
            preset("sarcopenia").value("preset.muscle_mass_factor")
        )
        assert older.value("mobility.muscle_mass_factor") == 1.0
        assert older.value("mobility.height") == preset_default("older_adult", "height_m", sex)
    women, men = (
        subject_parameters("healthy_adult", s, 40).value("mobility.height") for s in SEXES
    )
    assert women < men


def test_user_overrides_of_mobility_parameters_win_over_the_preset():
    p = subject_parameters("older_adult", "male", 72, overrides={"mobility.height": "180 cm"})
    assert p.value("mobility.height") == pytest.approx(1.80)


def test_preset_default_reads_per_sex_or_shared_values():
    assert preset_default("older_adult", "body_mass_kg", "female") < preset_default(
        "older_adult", "body_mass_kg", "male"
    )
    assert preset_default("healthy_adult", "body_mass_kg", "female") == 75
    with pytest.raises(ScenarioError, match=r"no default subject\.shoe_size"):
        preset_default("healthy_adult", "shoe_size", "male")
