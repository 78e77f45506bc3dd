"""Disuse (bed rest, unloading): muscle area and strength, VO2max and insulin sensitivity fall
while ``weight_bearing`` is 0 and come back when it is 1 again; daily life changes nothing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import roadrunner_errors

from myoaxis import slow
from myoaxis.conditions import base_parameters
from myoaxis.core.equations import Model
from myoaxis.muscles import muscle_names
from myoaxis.physiology.adaptation import aerobic, muscle
from myoaxis.physiology.endocrine import glucose_insulin
from myoaxis.validation import aerobic as va
from myoaxis.validation import disuse as vd
from myoaxis.validation.registry import CASES

DAY = vd.DAY
G = vd.GROUP
NAMES = muscle.state_names(G)
INSULIN_LOSS = "insulin_sensitivity_disuse_loss"


def parameter(name: str, unit: str = "dimensionless") -> float:
    return base_parameters().value_in(name, unit)


def muscle_layer(groups=(G,), n: int = 2, period: float = DAY) -> slow.SlowLayer:
    components = tuple(muscle.muscle_adaptation(g) for g in groups)
    return vd.layer(components, vd.body(n), period)


# -- daily life is untouched ------------------------------------------------------------------


def test_a_year_of_daily_life_keeps_every_new_state_exactly_at_rest():
    layers = {
        "muscle": muscle_layer(muscle_names()),
        "vo2max": vd.layer(aerobic.COMPONENTS, vd.body()),
        "insulin": vd.layer(glucose_insulin.DISUSE_COMPONENTS, vd.body()),
    }
    for name, layer in layers.items():
        start = layer.y.copy()
        layer.advance(365 * DAY, {"weight_bearing": np.ones(2)})
        if name != "vo2max":  # VO2max also carries the (tiny) ageing drift
            assert np.array_equal(layer.y, start), name
    assert np.all(layers["vo2max"].state(aerobic.DISUSE) == 0.0)
    for g in muscle_names():
        assert np.all(layers["muscle"].value(f"strength_factor_{g}") == 1.0), g
    assert np.all(layers["insulin"].value("insulin_sensitivity_disuse_factor") == 1.0)


def test_the_glucose_model_is_at_rest_with_the_disuse_component_and_reads_its_factor():
    joined = vd.layer(vd.INSULIN_COMPONENTS, vd.body(), 3600.0)
    assert "insulin_sensitivity_disuse_factor" not in {i.name for i in joined.model.inputs}
    start = joined.y.copy()
    joined.advance(3 * DAY, {"weight_bearing": np.ones(2)})
    np.testing.assert_allclose(joined.y, start, rtol=1e-9, atol=1e-15)
    vd.bed_rest(joined, 7.0)
    factor = joined.value("insulin_sensitivity_disuse_factor")
    sensitivity = joined.value("insulin_sensitivity")
    assert factor[0] < 0.8
    assert factor[1] == 1.0
    assert sensitivity[0] / sensitivity[1] == pytest.approx(factor[0], rel=1e-12)
    # the minimal model keeps the fasting state: glucose and insulin stay basal
    assert joined.state("glucose_plasma") == pytest.approx(90.0, rel=1e-3)


def test_the_whole_body_model_joins_with_one_weight_bearing_port():
    model = Model(slow.components(muscle_names()))
    inputs = [i.name for i in model.inputs]
    assert inputs.count("weight_bearing") == 1
    assert "insulin_sensitivity_disuse_factor" not in inputs
    assert model.units_of(aerobic.DISUSE) == "dimensionless"
    names = {s.name for s in model.states}
    assert {f"disuse_force_deficit_{g}" for g in muscle_names()} <= names


# -- bed rest -------------------------------------------------------------------------------


def test_bed_rest_costs_area_strength_vo2max_and_insulin_sensitivity():
    layers = {
        "muscle": muscle_layer(),
        "vo2max": vd.layer(aerobic.COMPONENTS, vd.body()),
        "insulin": vd.layer(vd.INSULIN_COMPONENTS, vd.body()),
    }
    for layer in layers.values():
        vd.bed_rest(layer, 21.0)
    csa = layers["muscle"].value(NAMES["csa"])
    strength = layers["muscle"].value(NAMES["strength"])
    vo2max = layers["vo2max"].value(aerobic.VO2MAX)
    sensitivity = layers["insulin"].value("insulin_sensitivity")
    assert 0.85 < csa[0] < 0.95
    assert csa[1] == 1.0
    assert strength[0] < csa[0] - 0.05  # strength is lost faster than area
    assert 0.9 < vo2max[0] / vo2max[1] < 0.97
    assert 0.6 < sensitivity[0] / sensitivity[1] < 0.8


def test_the_force_deficit_rises_within_days_and_the_area_keeps_falling_for_months():
    layer = muscle_layer(n=1)
    deficit, csa = [], []
    for _ in range(12):
        vd.bed_rest(layer, 10.0, in_bed=[True])
        deficit.append(layer.state(NAMES["force_deficit"])[0])
        csa.append(layer.state(NAMES["csa"])[0])
    d_max = parameter("adaptation.disuse.force_deficit.max")
    assert deficit[1] > 0.9 * d_max
    assert deficit[-1] <= d_max
    assert np.all(np.diff(csa) < 0)  # still losing area at 120 days ...
    assert -np.diff(csa)[-1] < -np.diff(csa)[0] / 3  # ... but slowly (logarithmic shape)


def test_groups_lose_in_proportion_to_their_sensitivity_and_arms_not_at_all():
    groups = ("knee_extensors", "ankle_plantarflexors", "ankle_dorsiflexors", "elbow_flexors")
    layer = muscle_layer(groups, n=1)
    vd.bed_rest(layer, 60.0, in_bed=[True])
    loss = {g: 1 - layer.value(f"strength_factor_{g}")[0] for g in groups}
    assert loss["ankle_plantarflexors"] > loss["knee_extensors"] > loss["ankle_dorsiflexors"] > 0
    assert loss["elbow_flexors"] == 0.0  # LeBlanc 1992: no loss of arm strength


def test_partial_weight_bearing_costs_less_than_bed_rest():
    layers = [
        muscle_layer(n=3),
        vd.layer(aerobic.COMPONENTS, vd.body(3)),
        vd.layer(glucose_insulin.DISUSE_COMPONENTS, vd.body(3)),
    ]
    names = (NAMES["csa"], aerobic.FACTOR, "insulin_sensitivity_disuse_factor")
    for layer, name in zip(layers, names, strict=True):
        layer.advance(30 * DAY, {"weight_bearing": np.array([0.0, 0.5, 1.0])})
        value = layer.value(name)
        assert value[0] < value[1] < value[2] == pytest.approx(1.0, abs=1e-3), name


def test_resistance_training_in_bed_limits_the_atrophy():
    """Alkner & Tesch 2004: maximal squats every third day in bed prevented knee-extensor
    atrophy; here 4 sets to failure every third day cut the 60-day loss by more than half."""
    layer = muscle_layer()
    doses = muscle.resistance_doses(
        muscle.DoseParameters.from_values(layer.body.values), 0.8, 4.0, 7.0, 0.0
    )
    for day in range(60):
        if day % 3 == 0:
            layer.add(NAMES["neural_stimulus"], doses.neural * np.array([1.0, 0.0]))
            layer.add(NAMES["hypertrophy_stimulus"], doses.hypertrophy * np.array([1.0, 0.0]))
        vd.bed_rest(layer, 1.0, in_bed=[True, True])
    loss = 1 - layer.value(NAMES["csa"])
    assert loss[0] < 0.5 * loss[1]


def test_fitter_people_lose_more_vo2max_in_bed():
    """Ried-Larsen 2017, Convertino 1997: higher pre-bed-rest VO2max, larger declines."""
    layer = vd.layer(aerobic.COMPONENTS, vd.body())
    va.train(layer, va.Programme(np.array([45.0, 0.0]), np.array([0.7, 0.0])), 84)
    before = layer.value(aerobic.FACTOR)
    vd.bed_rest(layer, 21.0, in_bed=[True, True])
    loss = 1 - layer.value(aerobic.FACTOR) / before
    assert loss[0] > loss[1] > 0


# -- reloading --------------------------------------------------------------------------------


def test_reloading_restores_strength_before_area_and_then_both():
    layer = muscle_layer(n=1)
    vd.bed_rest(layer, 42.0, in_bed=[True])
    lost = {k: 1 - layer.value(NAMES[k])[0] for k in ("csa", "strength")}
    layer.advance(14 * DAY, {"weight_bearing": np.ones(1)})
    left = {k: (1 - layer.value(NAMES[k])[0]) / lost[k] for k in lost}
    assert left["strength"] < left["csa"] < 1  # the force deficit goes first
    layer.advance(200 * DAY, {"weight_bearing": np.ones(1)})
    assert layer.value(NAMES["strength"])[0] == pytest.approx(1.0, abs=0.01)
    assert layer.state(NAMES["csa"])[0] <= 1.0  # returns to, not beyond, the habitual area


def test_reloading_restores_vo2max_within_four_weeks():
    """Hedge 2023: peak VO2 still low 6 days after 14 days of bed rest, back after 4 weeks."""
    layer = vd.layer(aerobic.COMPONENTS, vd.body())
    vd.bed_rest(layer, 14.0)
    lost = layer.state(aerobic.DISUSE)[0]
    layer.advance(6 * DAY, {"weight_bearing": np.ones(2)})
    assert 0.3 < layer.state(aerobic.DISUSE)[0] / lost < 0.7
    layer.advance(22 * DAY, {"weight_bearing": np.ones(2)})
    assert layer.state(aerobic.DISUSE)[0] / lost < 0.1


def test_reloading_restores_insulin_sensitivity_within_two_weeks():
    """Heer 2014: still impaired 5 days after 21 days of bed rest, restored by 14 days."""
    layer = vd.layer(glucose_insulin.DISUSE_COMPONENTS, vd.body())
    vd.bed_rest(layer, 21.0)
    lost = layer.state(INSULIN_LOSS)[0]
    layer.advance(5 * DAY, {"weight_bearing": np.ones(2)})
    assert layer.state(INSULIN_LOSS)[0] > 0.25 * lost
    layer.advance(9 * DAY, {"weight_bearing": np.ones(2)})
    assert layer.state(INSULIN_LOSS)[0] < 0.1 * lost


# -- bounds ---------------------------------------------------------------------------------

SPELL = st.tuples(st.floats(0.0, 1.0), st.floats(0.1, 60.0))  # weight bearing, days


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SPELL, min_size=1, max_size=6))
def test_losses_stay_between_zero_and_one_whatever_the_loading(spells):
    layer = vd.layer(
        (
            muscle.muscle_adaptation("ankle_plantarflexors"),
            *aerobic.COMPONENTS,
            *glucose_insulin.DISUSE_COMPONENTS,
        ),
        vd.body(1),
    )
    for weight_bearing, days in spells:
        layer.advance(days * DAY, {"weight_bearing": np.array([weight_bearing])})
        for name in (
            "disuse_force_deficit_ankle_plantarflexors",
            aerobic.DISUSE,
            INSULIN_LOSS,
        ):
            assert -1e-9 <= layer.state(name)[0] <= 1.0, name
        assert 0.0 < layer.state("csa_ankle_plantarflexors")[0] <= 1.0 + 1e-12


# -- validation and interoperability ---------------------------------------------------------


@pytest.mark.validation
def test_validation_cases_pass():
    names = [n for n in CASES if CASES[n].measure.__module__ == vd.__name__]
    assert len(names) == 12
    for name in names:
        outcome = CASES[name].run()
        assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


@pytest.mark.interop
def test_roadrunner_replays_bed_rest_and_reloading_within_1e_4(tmp_path):
    layer = slow.SlowLayer(
        vd.body(1),
        DAY,
        (muscle.muscle_adaptation(G), *aerobic.COMPONENTS, *glucose_insulin.DISUSE_COMPONENTS),
        rtol=1e-10,
    )
    layer.advance(10 * DAY, {"weight_bearing": np.zeros(1)})
    layer.advance(10 * DAY, {"weight_bearing": np.ones(1)})
    errors = roadrunner_errors(layer, tmp_path / "disuse.xml", floor=1.0)
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)
