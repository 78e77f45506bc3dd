"""Oral drugs: dose impulses, dose limits, PK/PD and the effects on inflammation and glucose."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import make_body, roadrunner_errors

from myoaxis import slow
from myoaxis.body import Body
from myoaxis.conditions import base_parameters, subject_parameters
from myoaxis.core.errors import ScenarioError
from myoaxis.physiology import pharmacology as ph
from myoaxis.physiology.endocrine import glucose_insulin, myokines
from myoaxis.validation import pharmacology as vp
from myoaxis.validation.registry import CASES

HOUR = 3600.0


def _layer(drugs=None, n: int = 1, extra=()) -> slow.SlowLayer:
    return slow.SlowLayer(make_body(n), 60.0, components=(*extra, *ph.components(drugs)))


def test_drug_names_and_effects_come_from_the_data():
    assert ph.drug_names() == ("ibuprofen", "metformin", "paracetamol")
    assert set(base_parameters()) >= {f"pharmacology.{d}.bioavailability" for d in ph.drug_names()}


def test_dose_impulse_targets_the_gut_of_every_subject():
    state, amount = ph.dose_impulse("ibuprofen", 400.0, make_body(3).values)
    assert state == "ibuprofen_gut"
    assert np.array_equal(amount, np.full(3, 400.0))


def test_unknown_drug_suggests_close_match():
    with pytest.raises(ScenarioError, match="did you mean 'ibuprofen'"):
        ph.check_dose("ibuprofin", 400.0, 0.0, make_body().values)
    with pytest.raises(ScenarioError, match="unknown drug"):
        ph.dose_impulse("aspirin", 100.0, make_body().values)


@pytest.mark.parametrize(
    ("drug", "amount", "taken", "message"),
    [
        ("paracetamol", 1500.0, 0.0, "maximum single dose of 1000 mg"),
        ("paracetamol", 1000.0, 3500.0, "maximum daily dose of 4000 mg"),
        ("ibuprofen", 1200.0, 0.0, "maximum single dose of 800 mg"),
        ("ibuprofen", 800.0, 2800.0, "maximum daily dose of 3200 mg"),
        ("metformin", 1000.0, 2500.0, "maximum daily dose of 3000 mg"),
        ("metformin", 0.0, 0.0, "positive"),
    ],
)
def test_dose_limits(drug, amount, taken, message):
    with pytest.raises(ScenarioError, match=message):
        ph.check_dose(drug, amount, taken, make_body().values)


def test_doses_within_limits_pass():
    values = make_body().values
    ph.check_dose("paracetamol", 1000.0, 3000.0, values)
    ph.check_dose("ibuprofen", 800.0, 2400.0, values)
    ph.check_dose("metformin", 1000.0, 2000.0, values)


def test_no_doses_leave_every_state_and_effect_at_exactly_zero():
    layer = _layer(n=2)
    layer.advance(2 * 86_400.0)
    assert np.all(layer.y == 0.0)
    for output in ph.OUTPUTS.values():
        assert np.all(layer.value(output) == 0.0)


def test_one_dose_is_absorbed_and_eliminated():
    layer = _layer(["paracetamol"])
    layer.add(*ph.dose_impulse("paracetamol", 1000.0, layer.body.values))
    layer.advance(HOUR)
    assert 0 < layer.value("analgesic_effect")[0] < 0.517
    layer.advance(5 * HOUR)
    v = layer.body.values
    f = v("pharmacology.paracetamol.bioavailability")[0]
    ka = v("pharmacology.paracetamol.absorption_rate", "1/s")[0]
    ke = np.log(2) / v("pharmacology.paracetamol.half_life", "s")[0]
    t = 6 * HOUR  # one-compartment oral absorption, closed form
    exact = 1000.0 * f * ka / (ka - ke) * (np.exp(-ke * t) - np.exp(-ka * t))
    assert layer.state("paracetamol_body")[0] == pytest.approx(exact, rel=1e-5)


def test_two_analgesics_combine_below_one():
    layer = _layer(["ibuprofen", "paracetamol"])
    for drug, mg in (("paracetamol", 1000.0), ("ibuprofen", 400.0)):
        layer.add(*ph.dose_impulse(drug, mg, layer.body.values))
    layer.advance(2 * HOUR)
    a = layer.value("paracetamol_analgesic_effect")[0]
    b = layer.value("ibuprofen_analgesic_effect")[0]
    assert layer.value("analgesic_effect")[0] == pytest.approx(1 - (1 - a) * (1 - b))
    assert max(a, b) < layer.value("analgesic_effect")[0] < 1.0


def test_ibuprofen_lowers_inflammation_in_a_condition():
    params = subject_parameters(
        "healthy_adult", "male", 30.0, overrides={"inflammation.condition_level": 1.0}
    )
    out = []
    for doses in (0, 9):
        layer = slow.SlowLayer(
            Body([params], np.array([75.0])),
            HOUR,
            components=(
                *glucose_insulin.COMPONENTS,
                *myokines.COMPONENTS,
                *ph.components(["ibuprofen"]),
            ),
        )
        if doses:
            vp.dosing(layer, "ibuprofen", 400.0, 8.0, doses)
        else:
            layer.advance(72 * HOUR)
        out.append(layer.state("inflammation")[0])
    assert out[1] < out[0] == pytest.approx(1.0)


def test_metformin_raises_insulin_sensitivity_through_the_glucose_model():
    layer = _layer(["metformin"], extra=glucose_insulin.COMPONENTS)
    before = layer.value("insulin_sensitivity")[0]
    vp.dosing(layer, "metformin", 500.0, 8.0, 21)
    gain = layer.value("insulin_sensitivity")[0] / before - 1
    assert gain == pytest.approx(layer.value("insulin_sensitiser_effect")[0], rel=1e-9)
    assert 0.02 < gain < 0.30


def test_readers_default_to_no_drug():
    inputs = {i.name: i.default for i in slow.model().inputs}
    assert inputs["anti_inflammatory_effect"] == 0.0
    assert inputs["insulin_sensitiser_effect"] == 0.0


@pytest.mark.validation
@pytest.mark.parametrize(
    "name", [n for n in CASES if n.startswith(("paracetamol_", "ibuprofen_", "metformin_"))]
)
def test_validation_cases_pass(name):
    outcome = CASES[name].run()
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


@pytest.mark.interop
def test_roadrunner_replays_doses(tmp_path):
    pytest.importorskip("roadrunner")
    layer = slow.SlowLayer(make_body(), 600.0, components=ph.components(), rtol=1e-10)
    for drug, mg in (("paracetamol", 1000.0), ("ibuprofen", 400.0), ("metformin", 500.0)):
        layer.add(*ph.dose_impulse(drug, mg, layer.body.values))
        layer.advance(4 * HOUR)
    errors = roadrunner_errors(layer, tmp_path / "drugs.xml", floor=1.0)
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)
