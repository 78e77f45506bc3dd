"""Elbow perturbation bout: reflex timing, reflex gain, sign convention, range of motion and
determinism. Mean-field pools (deterministic and fast) unless a test needs the spiking ones."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.conftest import rng_for

from myoaxis import bouts
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import ParameterError, ScenarioError, SimulationError
from myoaxis.muscle_state import MuscleState
from myoaxis.muscles import ELBOW_PAIR

NO_REFLEX = {"reflex.ia_gain": 0.0, "reflex.ib_gain": 0.0, "reflex.reciprocal_gain": 0.0}
DURATION, AFTER = 0.2, 0.05  # s


def body_of(*overrides: dict) -> Body:
    base = subject_parameters("healthy_adult", "male", 30)
    params = [base.with_values(o, "test") if o else base for o in overrides]
    return Body(params, np.full(len(params), 75.0))


def perturb(body, torque, theta_deg=90.0, duration=DURATION, mode="mean_field", seed=1, **timing):
    p = dataclasses.replace(bouts.Perturbation.from_body(body), **timing)
    states = tuple(MuscleState.rested(body, name) for name in ELBOW_PAIR)
    bout = bouts.elbow_perturb(
        body,
        states,
        np.radians(np.broadcast_to(theta_deg, (body.n_subjects,))),
        torque,
        duration,
        bouts.FastSettings.from_body(body, mode),
        rng_for(seed, body.n_subjects),
        onset=p.onset,
        after=AFTER,
    )
    return bout, p


@pytest.fixture(scope="module")
def batch():
    """One batch: extending push, flexing push, no push, extending push without reflexes."""
    body = body_of({}, {}, {}, NO_REFLEX)
    bout, p = perturb(body, np.array([2.0, -2.0, 0.0, 2.0]))
    return body, bout, p, bouts.perturbation_measures(bout, p)


def since_onset(bout, p):
    return bout.time - p.onset


def test_bout_timing_and_traces(batch):
    _, bout, p, _ = batch
    assert bout.duration == pytest.approx(p.onset + DURATION + AFTER)
    t = since_onset(bout, p)
    pushing = (t > 1e-9) & (t <= DURATION + 1e-9)
    np.testing.assert_array_equal(bout.traces["external_torque"][:, ~pushing], 0.0)
    np.testing.assert_array_equal(bout.traces["external_torque"][:, pushing][:, 0], [2, -2, 0, 2])
    assert set(bout.traces) == set(bouts.ELBOW_TRACES)
    assert bout.units["ia_flexors"] == "Hz"
    assert bout.units["external_torque"] == "N*m"
    np.testing.assert_array_equal(bout.traces["target_angle"], 90.0)


def test_reflex_acts_only_after_the_loop_delay(batch):
    """The pushed subject's reflex excitation equals the unpushed one's until the loop delay
    (plus the explicit coupling's three steps: joint -> heads -> afferents -> reflex) has passed,
    then departs from it; the measured onset follows the delay."""
    body, bout, p, m = batch
    delay = body.values("reflex.loop_delay", "s")[0]
    h = bouts.FastSettings.from_body(body, "mean_field").dt
    t = since_onset(bout, p)
    angle = bout.traces["angle"]
    assert angle[0, t > 0][0] != angle[2, t > 0][0]  # the joint itself gives way at once
    for side in ("flexors", "extensors"):
        r = bout.traces[f"reflex_{side}"]
        differs = t[np.flatnonzero(r[0] != r[2])[0]]
        assert differs == pytest.approx(delay + 3 * h)
    assert 1e3 * delay < m["reflex_latency"][0] < 1e3 * delay + 15.0
    assert 20.0 <= m["reflex_latency"][0] <= 30.0  # short-latency onset (validation case)


def test_sign_convention(batch):
    """A positive torque extends the elbow and stretches the flexors; a negative one flexes it
    and stretches the extensors, whose reflex then excites them and inhibits the flexors."""
    _, bout, p, m = batch
    tr, t = bout.traces, since_onset(bout, p)
    before, during = (t > -p.baseline) & (t <= 0), (t > 0) & (t <= 0.045)
    angle = tr["angle"][:, during].mean(axis=1) - tr["angle"][:, before].mean(axis=1)
    assert angle[0] < 0 < angle[1]
    for s, stretched, shortened in ((0, "flexors", "extensors"), (1, "extensors", "flexors")):
        assert tr[f"ia_{stretched}"][s, during].max() > tr[f"ia_{stretched}"][s, before].max()
        assert tr[f"ia_{shortened}"][s, during].min() < tr[f"ia_{shortened}"][s, before].min()
        rise = tr[f"reflex_{stretched}"][s, during].max() - tr[f"reflex_{stretched}"][s, before]
        assert rise.min() > 0.01
        assert (
            tr[f"reflex_{shortened}"][s, during].min() < tr[f"reflex_{shortened}"][s, before].min()
        )
    assert np.all(m["peak_displacement"][:2] > 0.5)
    assert np.all((m["reflex_latency"][:2] > 15.0) & (m["reflex_latency"][:2] < 35.0))
    assert np.all(np.isnan([v[2] for v in m.values()]))  # no push, no measures


def test_without_reflexes_the_elbow_gives_way_more(batch):
    _, bout, _, m = batch
    np.testing.assert_array_equal(bout.traces["reflex_flexors"][3], 0.0)
    assert m["peak_displacement"][3] > 1.05 * m["peak_displacement"][0]
    assert np.isnan(m["reflex_latency"][3])
    assert m["stiffness"][0] == pytest.approx(2.0 / np.radians(m["peak_displacement"][0]))


@pytest.mark.parametrize(
    ("theta", "torque", "duration", "match"),
    [
        (
            160.0,
            2.0,
            0.2,
            r"subject 0: the elbow angle to hold, 160.0 deg, lies beyond the "
            r"flexion limit of 150 deg",
        ),
        (-5.0, 2.0, 0.2, "extension limit of 0 deg"),
        (90.0, 2.0, 0.0, "positive time"),
        (90.0, 2.0, -1.0, "positive time"),
        (90.0, 2.0, float("nan"), "positive time"),
        (90.0, 2.0, 1e-5, "shorter than the fast step"),
        (90.0, float("inf"), 0.2, "finite"),
        (90.0, 200.0, 0.2, r"200 N m extending push at 90.0 deg needs .* elbow flexors"),
        (90.0, -200.0, 0.2, r"200 N m flexing push .* elbow extensors"),
    ],
)
def test_impossible_perturbations_are_refused(theta, torque, duration, match):
    with pytest.raises(ScenarioError, match=match):
        perturb(body_of({}), torque, theta, duration)


def test_a_push_out_of_the_range_of_motion_is_refused():
    with pytest.raises(
        ScenarioError,
        match=r"subject 0: a 4 N m flexing push for 0.2 s drives the elbow from 147.0 deg beyond "
        r"its flexion limit of 150 deg",
    ):
        perturb(body_of({}), -4.0, 147.0, onset=0.3, baseline=0.1)


def test_a_move_beyond_the_range_of_motion_is_refused():
    body = body_of({})
    states = tuple(MuscleState.rested(body, name) for name in ELBOW_PAIR)
    with pytest.raises(ScenarioError, match="elbow target 170 deg lies beyond the flexion limit"):
        bouts.elbow_move(
            body,
            states,
            np.radians([90.0]),
            np.radians(170.0),
            1.0,
            bouts.FastSettings.from_body(body, "mean_field"),
            rng_for(1),
        )


def test_capacity_exceeds_gravity_and_falls_off_optimal_length():
    body = body_of({})
    flex, ext = bouts.elbow_torque_capacity(body, np.radians([90.0]))
    assert flex[0] > 10 * bouts.elbow.gravity_torque(body.elbow, np.radians(90.0))[0]
    assert ext[0] > 0.0
    flex_short, _ = bouts.elbow_torque_capacity(body, np.radians([140.0]))
    assert flex_short[0] < flex[0]


def test_spiking_perturbation_is_deterministic():
    body = body_of({})
    runs = [
        perturb(body, 2.0, duration=0.05, mode="spiking", seed=s, onset=0.15, baseline=0.1)[0]
        for s in (4, 4, 5)
    ]
    for name in ("angle", "excitation_flexors", "ia_flexors", "reflex_flexors"):
        np.testing.assert_array_equal(runs[0].traces[name], runs[1].traces[name])
        assert not np.array_equal(runs[0].traces[name], runs[2].traces[name])


def test_perturbation_settings_are_checked():
    body = body_of({})
    p = bouts.Perturbation.from_body(body)
    assert p.onset >= p.baseline > 0
    assert p.window > 0
    with pytest.raises(ParameterError, match="baseline"):
        dataclasses.replace(p, baseline=2 * p.onset)
    with pytest.raises(ParameterError, match="onset_fraction"):
        dataclasses.replace(p, onset_fraction=-0.1)


def test_measures_need_a_baseline(batch):
    _, bout, p, _ = batch
    with pytest.raises(SimulationError, match="too short"):
        bouts.perturbation_measures(bout, dataclasses.replace(p, onset=bout.duration + 1.0))


def test_spiking_reflex_onset_lies_in_the_short_latency_window():
    """Single spiking trials: the onset measure is not thrown by the fluctuating baseline."""
    body = body_of({}, {}, {})
    bout, p = perturb(body, 2.0, duration=0.1, mode="spiking", seed=3)
    m = bouts.perturbation_measures(bout, p)
    assert np.all((m["reflex_latency"] >= 18.0) & (m["reflex_latency"] <= 32.0))
    assert np.all((m["peak_displacement"] > 1.0) & (m["peak_displacement"] < 4.0))


def test_perturb_step_records_the_reflex_and_refuses_impossible_pushes(tmp_path):
    from tests.test_cli import myoaxis

    import myoaxis as mx

    scenario = {
        "seed": 3,
        "model": {"motor_units": "mean_field"},
        "protocol": [{"step": "Perturb elbow with 2 Nm for 0.5 s"}],
        "outputs": {"acute": ["angle", "ia_flexors", "reflex_flexors"]},
    }
    res = mx.Simulation(mx.Scenario.from_dict(scenario)).run()
    got = {r["test"]: r for r in res.assessments}
    assert 20 <= got["perturbation_reflex_latency"]["value"] <= 30
    assert got["perturbation_peak_displacement"]["unit"] == "deg"
    assert set(res.acute(res.acute_ids[0]).data_vars) == {"angle", "ia_flexors", "reflex_flexors"}
    (tmp_path / "s.toml").write_text('[[protocol]]\nstep = "Perturb elbow with 300 Nm for 1 s"\n')
    proc = myoaxis("run", "s.toml", "-o", "out.nc", cwd=tmp_path)
    assert proc.returncode == 2
    assert "more than the" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out.nc").exists()
