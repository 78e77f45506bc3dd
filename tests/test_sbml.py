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


def _replay_error(layer, tmp_path) -> dict[str, float]:
    """Largest relative difference per variable between ``layer``'s samples and libRoadRunner
    replaying its SBML export (relative to the value, floored at 1e-6 of the range)."""
    path = write_sbml(layer, tmp_path / "slow.xml")
    rr = roadrunner.RoadRunner(str(path))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-10  # one scalar for all states (ours are per state)
    rr.integrator.maximum_num_steps = 100_000
    ours_t, ours = layer.series()
    names = [*(x.name for x in layer.model.states), *(a.name for a in layer.model.assignments)]
    replay = rr.simulate(times=ours_t, selections=["time", *names])
    errors = {}
    for k, name in enumerate(names):
        mine = ours[k, 0]
        floor = 1e-6 * (np.abs(mine).max() or 1.0)
        errors[name] = float(
            np.max(np.abs(replay[:, k + 1] - mine) / np.maximum(np.abs(mine), floor))
        )
    return errors


def test_roadrunner_replays_myokine_hpa_and_glucose_within_1e_4(run, tmp_path):
    from myoaxis.physiology.endocrine import glucose_insulin, hpa, myokines
    from myoaxis.slow import Segment, SlowLayer

    sim, _ = run
    layer = SlowLayer(sim.body, 300.0, (myokines.IL6, hpa.HPA, *glucose_insulin.COMPONENTS))
    full = [i.name for i in sim.slow_layer.model.inputs]
    keep = [full.index(i.name) for i in layer.model.inputs]
    layer.replay(
        [
            Segment(x.start, x.end, x.inputs[keep]) if isinstance(x, Segment) else x
            for x in sim.slow_layer.schedule
        ]
    )
    errors = _replay_error(layer, tmp_path)
    assert len(errors) > 30
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)


@pytest.mark.xfail(
    reason="libRoadRunner 2.10's CVODE stalls (CV_TOO_MUCH_WORK) at the first exercise event "
    "of the full slow layer (with the inflammation and bone components); our own solver and "
    "libSBML accept the model. Under investigation; see docs/design.md.",
    raises=RuntimeError,
    strict=False,
)
def test_roadrunner_replays_the_full_slow_layer_within_1e_4(run, tmp_path):
    sim, _ = run
    errors = _replay_error(sim.slow_layer, tmp_path)
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)


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
