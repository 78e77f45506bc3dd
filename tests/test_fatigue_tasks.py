"""Motor-unit fatigue with recovery, central fatigue and the steps that run to failure."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import make_body, rng_for

from myoaxis.bouts import FastSettings, isometric
from myoaxis.muscle_state import MuscleState
from myoaxis.physiology.neural import central_fatigue, motor_pool
from myoaxis.scenario import Scenario
from myoaxis.simulation import Simulation

FAST = {"fast.dt": "5 ms", "fast.output_period": "50 ms"}


def run(steps, outputs=("force",), mode="mean_field", overrides=FAST):
    sc = Scenario.from_dict(
        {
            "schema_version": 1,
            "name": "t",
            "seed": 2,
            "subject": {
                "preset": "healthy_adult",
                "sex": "male",
                "age_years": 30,
                "body_mass_kg": 75,
                "overrides": dict(overrides),
            },
            "model": {"motor_units": mode},
            "protocol": [{"step": s} for s in steps],
            "outputs": {"acute": list(outputs)},
        }
    )
    return Simulation(sc).run()


def test_units_tire_by_threshold_and_recover_exactly():
    body = make_body()
    state = MuscleState.rested(body, "grip")
    settings = FastSettings.from_body(body, "spiking")
    isometric(body, state, lambda t: np.array([0.5]), 20.0, settings, rng_for(1))
    cap = state.fatigue.capacity[0]
    assert cap[-10:].mean() < cap[:10].mean() < 1.0  # high-threshold units lose capacity first
    pool = body.muscle("grip").pool
    rested = motor_pool.recover(state.fatigue, pool, 1e9)
    assert np.allclose(rested.capacity, 1.0)
    assert np.allclose(rested.adaptation, 0.0)
    half = motor_pool.recover(motor_pool.recover(state.fatigue, pool, 30.0), pool, 30.0)
    assert np.allclose(half.capacity, motor_pool.recover(state.fatigue, pool, 60.0).capacity)


def test_spiking_and_mean_field_fatigue_agree():
    body = make_body()
    caps = []
    for mode in ("spiking", "mean_field"):
        state = MuscleState.rested(body, "grip")
        isometric(
            body,
            state,
            lambda t: np.array([0.4]),
            20.0,
            FastSettings.from_body(body, mode),
            rng_for(1),
        )
        caps.append(motor_pool.steady_force(body.muscle("grip").pool, np.ones(1), state.fatigue))
    assert caps[0] == pytest.approx(caps[1], abs=0.01)
    assert caps[0] < 0.97


def test_central_ceiling_falls_with_effort_and_recovers():
    body = make_body()
    p = body.central
    v = central_fatigue.step(p.rested, np.ones(1), p, 180.0)
    assert p.minimum < v < p.rested
    assert central_fatigue.recover(v, p, 1e6) == pytest.approx(p.rested)
    assert central_fatigue.step(v, np.ones(1), p, 1e-3) < v


def test_hold_until_failure_records_the_endurance_time():
    res = run(["MVC grip", "Hold grip at 70 %MVC until failure"], outputs=("force", "excitation"))
    (rec,) = [a for a in res.assessments if a["test"] == "endurance_time"]
    assert 5 < rec["value"] < 120
    assert not rec["censored"]
    drive = res.tree["acute/s002_hold_grip_to_failure"]["excitation"].values[0]
    assert drive[-100:].max() > drive[20:60].mean()  # the cortex drives harder as units tire


def test_target_above_current_strength_fails_at_once():
    res = run(["MVC grip", "Hold grip at 95 %MVC for 40 s", "Hold grip at 100 %MVC until failure"])
    (rec,) = [a for a in res.assessments if a["test"] == "endurance_time"]
    assert rec["value"] == 0.0
    assert any(e["kind"] == "failure" for e in res.events)


def test_intermittent_work_lasts_longer_than_sustained():
    sustained = run(["MVC grip", "Hold grip at 60 %MVC until failure"]).assessments[-1]["value"]
    cycling = run(["MVC grip", "Hold grip at 60 %MVC for 6 s, rest 4 s, until failure"])
    assert cycling.assessments[-1]["value"] > 1.5 * sustained


def test_resistance_sets_and_one_rm():
    res = run(["Assess 1RM grip", "Rest for 5 min", "Resistance grip 2x10 at 70 %1RM, rest 90 s"])
    (one_rm,) = [a for a in res.assessments if a["test"] == "1RM"]
    assert 300 < one_rm["value"] < 600
    sets = [a for a in res.assessments if a["test"] == "resistance_set"]
    assert [s["set"] for s in sets] == [1, 2]
    assert sets[1]["value"] <= sets[0]["value"] <= 10
    assert sets[0]["load_n"] == pytest.approx(0.7 * one_rm["value"])


def test_a_load_above_one_rm_fails_at_rep_zero():
    res = run(
        [
            "Assess 1RM grip",
            "Hold grip at 90 %MVC for 30 s",
            "Resistance grip 1x5 at 100 %1RM, rest 1 min",
        ]
    )
    (s,) = [a for a in res.assessments if a["test"] == "resistance_set"]
    assert s["value"] == 0
    assert s["failed"]


@pytest.mark.slow
def test_hold_to_failure_emg_rms_rises_while_spectrum_and_conduction_slow():
    """Issue 3: through a sustained contraction to failure EMG RMS rises, median frequency and
    conduction velocity fall, and the number of active units rises."""
    res = run(
        ["Hold elbow_flexors at 30 %MVC until failure"],
        outputs=("force", "emg"),
        mode="spiking",
        overrides={"fast.dt": "5 ms", "fast.output_period": "50 ms"},
    )
    (record,) = [a for a in res.assessments if a["test"] == "endurance_time"]
    assert 60 < record["value"] < 900
    ds = next(iter(res.tree["acute"].children.values()))
    first, last = slice(1, 6), slice(-8, -3)  # 5 windows after the rise, before the end
    trace = {n: ds[n].values[0] for n in ("emg_rms", "emg_median_frequency")}
    trace["cv"] = ds["emg_conduction_velocity"].values[0]
    trace["units"] = ds["active_units"].values[0]
    early = {n: v[first].mean() for n, v in trace.items()}
    late = {n: v[last].mean() for n, v in trace.items()}
    assert late["emg_rms"] > 1.2 * early["emg_rms"]
    assert late["emg_median_frequency"] < 0.9 * early["emg_median_frequency"]
    assert late["cv"] < early["cv"]
    assert late["units"] > early["units"]


@pytest.mark.interop
def test_emg_of_a_fatiguing_hold_exports_to_edf(tmp_path):
    mne = pytest.importorskip("mne")
    from typer.testing import CliRunner

    from myoaxis.cli import app

    res = run(
        ["Hold grip at 60 %MVC for 40 s"],
        outputs=("force", "emg"),
        mode="spiking",
        overrides={"fast.dt": "2 ms", "fast.output_period": "10 ms"},
    )
    ds = res.tree["acute/s001_hold_grip"]
    rms, mdf = ds["emg_rms"].values[0], ds["emg_median_frequency"].values[0]
    assert rms[-10:].mean() > rms[1:11].mean()  # amplitude rises as units tire
    assert mdf[-10:].mean() < mdf[1:11].mean()  # spectrum compresses
    nc, edf = tmp_path / "r.nc", tmp_path / "emg.edf"
    res.to_netcdf(nc)
    out = CliRunner().invoke(app, ["export", "emg", str(nc), "-o", str(edf)])
    assert out.exit_code == 0, out.output
    raw = mne.io.read_raw_edf(edf, preload=True, verbose=False)
    assert raw.info["sfreq"] == 2048
    assert list(raw.annotations.description) == ["s001_hold_grip"]
    signal = ds["emg"].values[0]
    back = raw.get_data()[0, : signal.size] * 1e3  # V -> mV
    step = (signal.max() - signal.min()) / 65535
    assert np.max(np.abs(back - signal)) <= step
