"""Baseline VO2max from the FRIEND norms: every subject's ``energetics.vo2max_per_kg`` follows
the preset's FRIEND centile for age and sex; condition overlays and overrides still win."""

from __future__ import annotations

import numpy as np
import pytest

import myoaxis.conditions as conditions
from myoaxis.conditions import SEXES, preset_names, subject_parameters, vo2max_norms
from myoaxis.conditions.overlays import Condition
from myoaxis.core.citations import registry, source_keys
from myoaxis.core.errors import ScenarioError
from myoaxis.core.parameters import ParameterSet
from myoaxis.validation import fitness
from myoaxis.validation.registry import CASES

VO2MAX = "energetics.vo2max_per_kg"


def vo2max(preset: str, sex: str, age: float, **kwargs) -> float:
    return subject_parameters(preset, sex, age, **kwargs).value_in(VO2MAX, "mL/min/kg")


def test_a_25_year_old_man_has_the_friend_median_of_his_decade():
    assert vo2max("healthy_adult", "male", 25) == pytest.approx(48.0)


@pytest.mark.parametrize("preset", ["healthy_adult", "older_adult", "sarcopenia"])
def test_a_75_year_old_woman_has_the_friend_median_of_her_decade(preset):
    assert vo2max(preset, "female", 75) == pytest.approx(18.3)


def test_baseline_vo2max_falls_with_age_and_is_lower_in_women():
    ages = [20, 30, 40, 50, 60, 70, 80, 90]
    for sex in SEXES:
        curve = np.array([vo2max("healthy_adult", sex, a) for a in ages])
        assert np.all(np.diff(curve) < 0)
    for a in ages:
        assert vo2max("healthy_adult", "female", a) < vo2max("healthy_adult", "male", a)
    # 72-year-old older_adult woman: between the FRIEND medians of the 60s and 70s (20.0, 18.3)
    assert 18.3 < vo2max("older_adult", "female", 72) < 20.0


def test_an_override_of_vo2max_wins_over_the_norms():
    params = subject_parameters("older_adult", "female", 72, overrides={VO2MAX: "31 mL/min/kg"})
    assert params.value_in(VO2MAX, "mL/min/kg") == pytest.approx(31.0)
    assert params[VO2MAX].source == "user override"


def test_a_condition_overlay_of_vo2max_wins_over_the_norms(monkeypatch):
    values = ParameterSet(
        {VO2MAX: subject_parameters("healthy_adult", "male", 30)[VO2MAX]}, ("deconditioned",)
    ).with_values({VO2MAX: 15.0}, "test overlay")
    deconditioned = Condition("deconditioned", "Deconditioned", "test", ("test",), values, {})
    names = (*conditions.condition_names(), "deconditioned")
    monkeypatch.setattr(conditions, "condition_names", lambda: names)
    real = conditions.condition
    monkeypatch.setattr(
        conditions, "condition", lambda c: deconditioned if c == "deconditioned" else real(c)
    )
    assert vo2max("healthy_adult", "male", 25, conditions=("deconditioned",)) == 15.0
    # an override still comes after the overlay
    assert vo2max(
        "healthy_adult",
        "male",
        25,
        conditions=("deconditioned",),
        overrides={VO2MAX: "20 mL/min/kg"},
    ) == pytest.approx(20.0)


def test_the_preset_centile_moves_the_baseline_and_a_bad_one_is_named():
    high = vo2max("healthy_adult", "male", 45, overrides={"preset.vo2max_centile": 90})
    low = vo2max("healthy_adult", "male", 45, overrides={"preset.vo2max_centile": 10})
    assert high == pytest.approx(52.1)  # FRIEND men 40-49 y, 90th centile
    assert low == pytest.approx(26.8)  # and 10th
    with pytest.raises(ScenarioError, match=r"^s\.toml: preset\.vo2max_centile: centile 99"):
        subject_parameters(
            "healthy_adult", "male", 45, overrides={"preset.vo2max_centile": 99}, where="s.toml"
        )


def test_every_preset_declares_its_centile_and_the_table_is_well_formed():
    for name in preset_names():
        assert 5 <= conditions.preset(name).value("preset.vo2max_centile") <= 95
    norms = vo2max_norms()
    known = registry()
    assert all(k in known for p in norms.params.values() for k in source_keys(p.source))
    centiles = norms["friend_treadmill.centiles"].array()
    ages = norms["friend_treadmill.ages"].array()
    for sex in SEXES:
        table = np.array([norms[f"friend_treadmill.{sex}_p{c:02.0f}"].array() for c in centiles])
        assert table.shape == (centiles.size, ages.size)
        assert np.all(np.diff(table, axis=0) > 0)  # rises with the centile
        assert np.all(np.diff(table, axis=1) < 0)  # falls with age at every centile


def test_the_decade_target_of_the_validation_is_the_published_value():
    assert fitness.friend_decade_value("female", 72) == ("70-79", 18.3)
    assert fitness.friend_decade_value("male", 35) == ("30-39", 42.4)
    assert fitness.friend_decade_value("male", 88) == ("70-79", 24.4)
    assert fitness.friend_decade_value("male", 20) == ("20-29", 48.0)
    label, value = fitness.friend_decade_value("female", 45, 12.5)
    assert (label, value) == ("40-49", pytest.approx((18.8 + 20.0) / 2))


@pytest.mark.validation
def test_the_fitness_cases_pass():
    names = [n for n in CASES if n.startswith("friend2015_baseline_vo2max_")]
    assert len(names) == 2 * len(fitness.PRESETS)
    for name in names:
        outcome = CASES[name].run()
        assert outcome.passed, (name, outcome.value, CASES[name].band)
