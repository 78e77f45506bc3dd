"""SBML export of the slow layer: libSBML's check, units, annotations, and a libRoadRunner
replay that must match MyoAxis's own trajectories."""

from __future__ import annotations

import libsbml
import numpy as np
import pytest
import roadrunner

import myoaxis as mx
from myoaxis.cli import app
from myoaxis.io.sbml import consistency_errors, slow_layer_document, write_sbml
from myoaxis.slow import VARIABLES

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


def test_roadrunner_replays_the_run_within_1e_4(run, tmp_path):
    sim, results = run
    path = write_sbml(sim.slow_layer, tmp_path / "slow.xml")
    rr = roadrunner.RoadRunner(str(path))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-12
    times = results.slow.time.values
    names = [v.name for v in VARIABLES]
    replay = rr.simulate(times=times, selections=["time", *names])
    assert replay.shape == (times.size, len(names) + 1)
    for k, name in enumerate(names, start=1):
        ours = results.slow[name].values[0]
        scale = np.abs(ours).max() or 1.0
        error = np.abs(replay[:, k] - ours) / np.maximum(np.abs(ours), 1e-6 * scale)
        assert error.max() < 1e-4, name


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
