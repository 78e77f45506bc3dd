"""Twitch interpolation (nerve stimulus, voluntary activation) and energetics in the protocol."""

from __future__ import annotations

import re

import numpy as np
import pytest
from tests.conftest import make_body, rng_for
from tests.test_fatigue_tasks import FAST, run

from myoaxis.assess import voluntary_activation
from myoaxis.bouts import FastSettings
from myoaxis.core.errors import ProtocolError
from myoaxis.muscle_state import MuscleState
from myoaxis.physiology.neural import motor_pool
from myoaxis.protocol import Cycle, parse_step


def test_stimulus_adds_one_twitch_to_silent_units_and_none_to_fused_ones():
    pool = make_body().muscle("grip").pool
    state = motor_pool.PoolState.rest(pool)
    motor_pool.stimulate(state, pool, 0.0)
    assert np.allclose(state.a, 1.0)  # a single twitch in every resting unit
    fused = motor_pool.PoolState.rest(pool)
    fused.c[:] = pool.contraction_time / motor_pool._S04  # every unit at full fusion
    motor_pool.stimulate(fused, pool, 0.0)
    assert np.allclose(fused.a, 0.0)


def test_voluntary_activation_falls_with_the_central_ceiling():
    body = make_body(2)
    state = MuscleState.rested(body, "elbow_flexors")
    state.ceiling = np.array([1.0, 0.6])  # the second subject is centrally fatigued
    settings = FastSettings.from_body(body, "mean_field")  # the test always spikes
    protocol = voluntary_activation.InterpolationProtocol.from_body(body)
    values, (effort, rest) = voluntary_activation.twitch_interpolation(
        body, state, settings, rng_for(4, 2), protocol
    )
    va = values["voluntary_activation"]
    assert va[0] > va[1] + 20.0
    assert np.all(values["resting_twitch"] > 0)
    assert 0.0 < values["twitch_time_to_peak"].min() < 0.15
    assert effort.time[1] - effort.time[0] == pytest.approx(settings.dt)  # every step sampled
    assert values["voluntary_force"][0] > 5 * values["resting_twitch"][0]  # twitch/MVC ~ 0.1
    assert rest.duration > protocol.twitch_delay


def test_assess_voluntary_activation_records_percent():
    res = run(["Assess voluntary_activation grip"], overrides={"fast.dt": "1 ms"})
    (rec,) = res.assessments
    assert rec["test"] == "voluntary_activation"
    assert rec["unit"] == "%"
    assert 0.0 < rec["value"] <= 100.0
    assert rec["resting_twitch_n"] > 0
    assert rec["voluntary_force_n"] > rec["resting_twitch_n"]


def test_pcr_falls_in_a_hold_and_recovers_at_rest():
    res = run(
        ["Hold grip at 60 %MVC for 30 s", "Rest for 3 min", "Hold grip at 60 %MVC for 5 s"],
        outputs=("pcr_muscle", "glycogen_muscle", "vo2"),
    )
    first = res.tree["acute/s001_hold_grip"]["pcr_muscle"].values[0]
    second = res.tree["acute/s003_hold_grip"]["pcr_muscle"].values[0]
    assert first[-1] < 0.6 * first[0]  # PCr falls within seconds of a hard contraction
    assert second[0] > 0.9 * first[0]  # ... and is back after 3 min (tau about 40 s)
    glycogen = res.tree["acute/s001_hold_grip"]["glycogen_muscle"].values[0]
    assert glycogen[-1] < glycogen[0]


def _ride(steps, glycogen=None):
    overrides = dict(FAST)
    if glycogen is not None:
        overrides["energetics.glycogen_rest"] = f"{glycogen} mmol/kg"
    outputs = ("vo2", "glycogen_muscle", "lactate_plasma", "intensity")
    return run(steps, outputs=outputs, overrides=overrides)


def test_glycogen_limits_cycling_and_a_smaller_store_exhausts_sooner():
    full = _ride(["Cycle at 85 %VO2max until exhaustion"])
    low = _ride(["Cycle at 85 %VO2max until exhaustion"], glycogen=250)
    t_full, t_low = full.assessments[0]["value"], low.assessments[0]["value"]
    assert full.assessments[0]["test"] == "time_to_exhaustion"
    assert not full.assessments[0]["censored"]
    assert 0.3 * t_full < t_low < 0.8 * t_full
    vo2 = full.tree["acute/s001_cycle"]["vo2"].values[0]
    assert vo2[30] > 0.75 * vo2.max()  # VO2 is near steady state within 5 min
    assert [e["kind"] for e in full.events] == ["exhaustion"]


def test_a_fixed_ride_stops_early_with_an_event_when_glycogen_runs_out():
    res = _ride(["Cycle at 85 %VO2max for 3 h"])
    ride = res.tree["acute/s001_cycle"]
    intensity = ride["intensity"].values[0]
    assert res.events[-1]["kind"] == "exhaustion"
    assert intensity[0] == pytest.approx(0.85)
    assert intensity[-1] == 0.0  # the subject stopped ...
    assert ride["time"].values[-1] == pytest.approx(3 * 3600.0)  # ... and the step ran its time
    assert res.assessments == []


@pytest.mark.parametrize(
    "text", ["Cycle at 70 %VO2max for 45 min", "Cycle at 62.5 %VO2max until exhaustion"]
)
def test_cycle_round_trips(text):
    step = parse_step(text)
    assert isinstance(step, Cycle)
    assert str(step) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cycle at 0 %VO2max for 1 h", "an intensity in (0, 150] %VO2max"),
        ("Cycle at 70 %MVC for 1 h", "'%VO2max'"),
        ("Cycle at 70 %VO2max until failure", "'exhaustion'"),
    ],
)
def test_cycle_errors_say_what_was_expected(text, expected):
    with pytest.raises(ProtocolError, match="expected " + re.escape(expected)):
        parse_step(text)
