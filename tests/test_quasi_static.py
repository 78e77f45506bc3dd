"""Quasi-static sets (``model.resistance = "quasi_static"``) against the 1-ms fast layer."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from tests.conftest import make_body, rng_for

from myoaxis import bouts
from myoaxis.core.errors import ScenarioError
from myoaxis.muscle_state import MuscleState
from myoaxis.physiology.neural import motor_pool
from myoaxis.scenario import Scenario
from myoaxis.simulation import _duty_cycle

TUT, PAUSE, RISE = 3.0, 1.0, 0.3
FAILURE = bouts.Failure(0.1, 1.5)


def _sets(body, muscle, fractions, reps, resistance, mode="mean_field"):
    """Repetitions to failure and the muscle's state after a set, by either path."""
    state = MuscleState.rested(body, muscle)
    settings = bouts.FastSettings(1e-3, 1e-3, 10.0, mode)
    if resistance == "quasi_static":
        segments = bouts.repetitions(fractions, reps, TUT, PAUSE, RISE)
        bout = bouts.quasi_static(body, state, segments, settings, 0.5, FAILURE)
    else:
        target = _duty_cycle(fractions, TUT, PAUSE, RISE)
        bout = bouts.isometric(
            body,
            state,
            target,
            reps * (TUT + PAUSE),
            settings,
            rng_for(3, body.n_subjects),
            failure=FAILURE,
        )
    done = np.where(np.isnan(bout.failure_time), reps, bout.failure_time // (TUT + PAUSE))
    return done, state, bout


def test_steady_step_meets_the_goal_and_tires_like_the_mean_field():
    body = make_body(3)
    m = body.muscle("knee_extensors")
    state = MuscleState.rested(body, "knee_extensors")
    fast = motor_pool.fast_units(m.pool, body.energetics.fast_ref)
    goal = np.array([0.3, 0.7, 1.2])  # the last cannot be met: the ceiling
    before = state.fatigue.copy()
    u, force, share = motor_pool.quasi_static_step(
        m.pool, goal, state.ceiling, state.fatigue, fast, 0.25
    )
    assert force[:2] == pytest.approx(goal[:2], abs=5e-3)  # recruitment steps of the pool
    assert u[2] == pytest.approx(state.ceiling[2])
    assert force[2] == pytest.approx(motor_pool.steady_force(m.pool, state.ceiling, before)[2])
    assert share == pytest.approx(motor_pool.fast_force_share(m.pool, u, before, fast))
    _, after = motor_pool.mean_field_step(m.pool, u, before, 0.25)
    assert state.fatigue.capacity == pytest.approx(after.capacity)
    assert state.fatigue.adaptation == pytest.approx(after.adaptation)


@pytest.mark.slow
def test_repetitions_to_failure_match_the_fast_layer():
    body = make_body(2, sex="female", age=45.0)
    fractions = np.array([0.8, 0.9])
    quick, q_state, _ = _sets(body, "knee_extensors", fractions, 20, "quasi_static")
    full, f_state, _ = _sets(body, "knee_extensors", fractions, 20, "fast_layer")
    assert np.all(np.abs(quick - full) <= 1), (quick, full)
    assert q_state.energy.glycogen == pytest.approx(f_state.energy.glycogen, abs=1.0)
    assert q_state.ceiling == pytest.approx(f_state.ceiling, abs=0.01)
    assert q_state.fatigue.capacity.mean(axis=1) == pytest.approx(
        f_state.fatigue.capacity.mean(axis=1), abs=0.01
    )


def test_heavier_loads_fail_sooner_and_windows_cover_the_bout():
    body = make_body(3)
    done, _, bout = _sets(body, "knee_extensors", np.array([0.6, 0.75, 0.9]), 40, "quasi_static")
    assert done[0] > done[1] > done[2] >= 1
    starts = [w[0] for w in bout.windows]
    assert starts[0] == 0.0
    assert bout.windows[-1][1] == pytest.approx(bout.duration)
    assert all(a[1] == pytest.approx(b[0]) for a, b in itertools.pairwise(bout.windows))
    assert bout.traces["force"].shape == (3, bout.time.size)


def test_emg_needs_the_fast_layer_for_lifts():
    data = {
        "schema_version": 1,
        "protocol": [{"step": "Resistance grip 1x5 at 70 %1RM, rest 1 min"}],
        "outputs": {"acute": ["force", "emg"]},
    }
    with pytest.raises(ScenarioError, match=r"model\.resistance = 'fast_layer'"):
        Scenario.from_dict(data)
    Scenario.from_dict({**data, "model": {"resistance": "fast_layer"}})


def test_auto_slow_period_follows_the_programme_length():
    short = Scenario.from_dict({"schema_version": 1, "protocol": [{"step": "Rest for 1 h"}]})
    assert short.slow_period == 10.0
    long = Scenario.from_dict(
        {
            "schema_version": 1,
            "protocol": [
                {"repeat": "3 per week for 12 weeks", "steps": ["Rest for 10 min"]},
            ],
        }
    )
    assert long.slow_period == 900.0  # 8064 samples
