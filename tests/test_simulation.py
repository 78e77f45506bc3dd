"""Whole simulations: closed-loop holds, the elbow, coupling, homeostasis and determinism."""

from __future__ import annotations

import numpy as np
import pytest

import myoaxis as mx


def scenario(protocol, **extra):
    data = {
        "seed": 5,
        "subject": {"sex": "male", "age_years": 30},
        "protocol": [{"step": s} for s in protocol],
        **extra,
    }
    return mx.Scenario.from_dict(data)


@pytest.mark.parametrize("mode", ["spiking", "mean_field"])
def test_cortex_holds_the_target_force(mode):
    sc = scenario(["MVC grip", "Hold grip at 40 %MVC for 4 s"], model={"motor_units": mode})
    r = mx.Simulation(sc).run()
    mvc = r.assessments[0]["value"]
    force = r.acute("s002_hold_grip").force.values[0]
    assert force[1500:].mean() == pytest.approx(0.4 * mvc, rel=0.02)


def test_mvc_is_recorded_in_newtons_and_kilograms():
    r = mx.Simulation(scenario(["MVC grip"])).run()
    rec = r.assessments[0]
    assert rec["test"] == "MVC"
    assert rec["unit"] == "N"
    assert rec["value_kg"] == pytest.approx(rec["value"] / 9.80665)
    assert 45 < rec["value_kg"] < 58  # a 30-year-old man: Dodds median 51 kg


def test_force_loop_corrects_a_wrong_internal_model():
    """If the cortex overrates its muscle (as when it fatigues), feedback raises the drive."""
    import dataclasses

    from tests.conftest import make_body, rng_for

    from myoaxis.bouts import FastSettings, isometric
    from myoaxis.muscle_state import MuscleState

    def hold(overrate):
        body = make_body()
        m = body.muscle("grip")
        body._muscles["grip"] = dataclasses.replace(m, internal_model=m.internal_model * overrate)
        bout = isometric(
            body,
            MuscleState.rested(body, "grip"),
            lambda t: np.array([0.3]),
            3.0,
            FastSettings.from_body(body, "mean_field"),
            rng_for(1),
        )
        return bout.traces["force"][0, -1000:] / m.max_force[0], bout.traces["excitation"][0]

    force_ok, drive_ok = hold(1.0)
    force_wrong, drive_wrong = hold(1.3)
    assert force_wrong.mean() == pytest.approx(0.3, rel=0.01)
    assert force_ok.mean() == pytest.approx(0.3, rel=0.01)
    assert drive_wrong[-1000:].mean() == pytest.approx(drive_ok[-1000:].mean(), rel=0.01)
    assert drive_wrong[:50].mean() < drive_ok[:50].mean()  # feed-forward alone falls short


def test_elbow_reaches_target_angles():
    sc = scenario(
        ["Move elbow to 120 deg over 1 s", "Move elbow to 40 deg over 1 s"],
        outputs={"acute": ["angle", "target_angle"]},
    )
    r = mx.Simulation(sc).run()
    up, down = (r.acute(i).angle.values[0] for i in r.acute_ids)
    assert up[-1] == pytest.approx(120, abs=3)
    assert down[-1] == pytest.approx(40, abs=3)


def test_rest_keeps_il6_at_baseline():
    sc = scenario(["Rest for 3 days"], outputs={"slow": ["il6_plasma"], "slow_period": "1 h"})
    il6 = mx.Simulation(sc).run().slow.il6_plasma.values
    assert np.allclose(il6, 1.0, rtol=1e-9)


def test_coupling_window_refinement_changes_il6_by_less_than_1e_4():
    def il6(window):
        sc = scenario(
            ["Hold knee_extensors at 30 %MVC for 20 s", "Rest for 20 min"],
            model={"motor_units": "mean_field"},
            outputs={"slow": ["il6_plasma"], "slow_period": "1 min"},
        )
        sc.subject.overrides = {"fast.coupling_window": window}
        return mx.Simulation(sc).run().slow.il6_plasma.values[0]

    coarse, fine = il6("20 s"), il6("1 s")
    assert coarse.max() > 1.0  # the hold did raise IL-6
    assert np.max(np.abs(coarse - fine) / fine) < 1e-4


def test_same_seed_same_result_and_seed_matters():
    def force(seed):
        sc = scenario(["Hold grip at 20 %MVC for 1 s"])
        sc.seed = seed
        return mx.Simulation(sc).run().acute("s001_hold_grip").force.values

    assert np.array_equal(force(1), force(1))
    assert not np.array_equal(force(1), force(2))


def test_netcdf_round_trip_keeps_units(tmp_path):
    r = mx.Simulation(scenario(["MVC grip", "Rest for 10 min"])).run()
    path = r.to_netcdf(tmp_path / "r.nc")
    tree = mx.Results.open(path)
    assert tree["slow"]["il6_plasma"].attrs["units"] == "pg/mL"
    assert tree["acute/s001_mvc_grip"]["force"].attrs["units"] == "N"
    assert "fuglevand1993" in tree.attrs["citations"]
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
