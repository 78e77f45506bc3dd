"""SBML export of the slow layer: libSBML's check, units, annotations, and a libRoadRunner
replay that must match MyoAxis's own trajectories."""

from __future__ import annotations

import libsbml
import numpy as np
import pytest
from tests.conftest import roadrunner_errors

import myoaxis as mx
from myoaxis.cli import app
from myoaxis.io.sbml import (
    consistency_errors,
    roadrunner_replay,
    slow_layer_document,
    write_sbml,
)
from myoaxis.slow import VARIABLES, Segment, SlowLayer

pytestmark = pytest.mark.interop

PROTOCOL = ["Rest for 10 min", "Cycle at 60 %VO2max for 30 min", "Rest for 2 h"]


@pytest.fixture(scope="module")
def run():
    sc = mx.Scenario.from_dict(
        {
            "seed": 1,
            "subject": {"sex": "female", "age_years": 50},
            "protocol": [{"step": s} for s in PROTOCOL],
            "outputs": {"slow": [v.name for v in VARIABLES], "slow_period": "5 min"},
        }
    )
    sim = mx.Simulation(sc)
    return sim, sim.run()


def test_the_document_passes_libsbml_without_errors_or_warnings(run):
    sim, _ = run
    doc = slow_layer_document(sim.slow_layer)
    assert consistency_errors(doc) == []
    assert doc.getErrorLog().getNumErrors() == 0, doc.getErrorLog().toString()
    assert (doc.getLevel(), doc.getVersion()) == (3, 2)


def test_units_and_citations_are_in_the_file(run):
    sim, _ = run
    model = slow_layer_document(sim.slow_layer).getModel()
    plasma = model.getUnitDefinition(model.getParameter("il6_plasma").getUnits())
    # pg/mL = 1e-15 kg / 1e-6 m^3
    factor = np.prod([u.getMultiplier() ** u.getExponent() for u in plasma.getListOfUnits()])
    assert factor == pytest.approx(1e-9)
    described = model.getParameter("il6__production_per_active_kg")
    assert "10.1111/j.1469-7793.2000.00237.x" in described.getAnnotationString()
    assert model.getNumEvents() >= 2  # the ride starts and stops


TIGHT = 1e-10  # both solvers, so that the difference measures the export, not the tolerance


def _replay_error(run, components, tmp_path) -> dict[str, float]:
    """:func:`roadrunner_errors` of MyoAxis replaying the run's schedule with ``components``
    (both solvers at ``TIGHT``)."""
    sim, _ = run
    layer = SlowLayer(sim.body, 300.0, components, rtol=TIGHT)
    full = [i.name for i in sim.slow_layer.model.inputs]

    def inputs(given: np.ndarray) -> np.ndarray:  # the part's inputs; its own defaults where
        # the whole model computes the input (e.g. the training factor of insulin sensitivity)
        return np.stack(
            [
                given[full.index(i.name)] if i.name in full else np.full(given.shape[1], i.default)
                for i in layer.model.inputs
            ]
        )

    layer.replay(
        [
            Segment(x.start, x.end, inputs(x.inputs)) if isinstance(x, Segment) else x
            for x in sim.slow_layer.schedule
            if isinstance(x, Segment) or layer.has(x.state)  # impulses into the part only
        ]
    )
    return roadrunner_errors(layer, tmp_path / "slow.xml")


def test_roadrunner_replays_myokine_hpa_and_glucose_within_1e_4(run, tmp_path):
    from myoaxis.physiology.endocrine import glucose_insulin, hpa, myokines

    errors = _replay_error(run, (myokines.IL6, hpa.HPA, *glucose_insulin.COMPONENTS), tmp_path)
    assert len(errors) > 30
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)


def test_roadrunner_replays_the_full_slow_layer_within_1e_4(run, tmp_path):
    sim, _ = run
    model = sim.slow_layer.model
    errors = _replay_error(run, model.components, tmp_path)
    assert len(errors) == len(model.states) + len(model.assignments)
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)


def test_a_meal_at_the_start_is_an_event_that_fires(tmp_path):
    """An SBML trigger true at t = 0 fires only if its initialValue is false."""
    from myoaxis.body import Body
    from myoaxis.conditions import subject_parameters

    body = Body([subject_parameters("healthy_adult", "male", 30.0)], np.array([75.0]))
    layer = SlowLayer(body, 60.0, rtol=TIGHT)
    layer.add("gut_carbohydrate", np.array([50.0]))  # g, at t = 0
    layer.advance(600.0)
    rr = roadrunner_replay(write_sbml(layer, tmp_path / "meal.xml"), layer)
    replay = rr.simulate(times=[0.0, 600.0], selections=["gut_carbohydrate"])
    assert replay[0, 0] == pytest.approx(50.0)
    assert replay[1, 0] == pytest.approx(layer.state("gut_carbohydrate")[0], rel=1e-6)


def test_cli_exports_a_scenario(tmp_path):
    from typer.testing import CliRunner

    scenario = tmp_path / "ride.toml"
    scenario.write_text(
        'seed = 1\n[subject]\nsex = "male"\nage_years = 30\n'
        '[[protocol]]\nstep = "Cycle at 50 %VO2max for 10 min"\n'
    )
    out = tmp_path / "ride.xml"
    result = CliRunner().invoke(app, ["export", "sbml", str(scenario), "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = libsbml.readSBMLFromFile(str(out))
    assert doc.getNumErrors() == 0
    assert doc.getModel().getId() == "m_ride"
    bad = CliRunner().invoke(
        app, ["export", "sbml", str(scenario), "-o", str(out), "--subject", "3"]
    )
    assert bad.exit_code != 0
    assert "subject 3 out of range" in str(bad.exception) + bad.output
