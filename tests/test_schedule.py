"""Programmes: weekly schedules, nested blocks, progression, and their errors."""

from __future__ import annotations

import numpy as np
import pytest

import myoaxis as mx
from myoaxis.core.errors import ScenarioError
from myoaxis.protocol import Meal, Rest
from myoaxis.protocol.schedule import DAY, MAX_STEPS, WEEK, parse_repeat
from myoaxis.slow import Impulse

MEALS = ["Meal 50 g carbohydrate", "Rest for 1 h"]


def scenario(*protocol, **extra) -> mx.Scenario:
    return mx.Scenario.from_dict({"protocol": list(protocol), **extra}, "prog.toml")


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        (3, (3, None)),
        ("3 times", (3, None)),
        ("1 time", (1, None)),
        ("3 per week for 12 weeks", (3, 12)),
        ("  2 PER week  for 1 week", (2, 1)),
        ("every day for 2 weeks", (7, 2)),
    ],
)
def test_repeat_forms(text, parsed):
    assert parse_repeat(text, "x") == parsed


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"repeat": "three times", "steps": MEALS}, "is not a repeat; expected a count"),
        ({"repeat": "8 per week for 2 weeks", "steps": MEALS}, "sessions per week must be 1 to 7"),
        ({"repeat": "3 per week for 600 weeks", "steps": MEALS}, "weeks must be 1 to 520"),
        (
            {"repeat": "3 per week for 2 weeks", "on": ["mon", "wed"], "steps": MEALS},
            "2 weekdays given for 3 sessions per week",
        ),
        (
            {"repeat": "2 per week for 2 weeks", "on": ["mon", "funday"], "steps": MEALS},
            "'funday' is not a weekday",
        ),
        ({"repeat": 2, "on": ["mon"], "steps": MEALS}, "weekdays need a weekly repeat"),
        (
            {"repeat": "3 per week for 1 week", "steps": ["Rest for 3 day"]},
            "they would overlap",
        ),
        (
            {"repeat": 2, "progression": "add 5 kg", "steps": MEALS},
            "expected 'increase load <X> % when all sets complete'",
        ),
    ],
)
def test_schedule_errors_name_the_key(entry, message):
    with pytest.raises(ScenarioError, match=r"prog.toml: protocol\[0\]") as err:
        scenario(entry)
    assert message in str(err.value)


def test_a_protocol_that_would_run_for_days_is_refused():
    meals = {"repeat": 100, "steps": ["Meal 50 g carbohydrate"]}
    with pytest.raises(
        ScenarioError, match=f"prog.toml: the protocol runs 364000 steps; at most {MAX_STEPS}"
    ):
        scenario({"repeat": "every day for 520 weeks", "steps": [meals]})


def test_nested_blocks_expand_and_round_trip():
    s = scenario(
        {
            "repeat": 2,
            "steps": [
                {"repeat": "2 per week for 1 week", "on": ["tue", "fri"], "steps": MEALS},
                "Rest for 1 week",
            ],
        }
    )
    assert s.steps() == ([Meal(50.0), Rest(3600.0)] * 2 + [Rest(WEEK)]) * 2
    inner = s.programme().items[0].items[0]
    assert inner.days == (1, 4)
    assert inner.slots() == [1 * DAY, 4 * DAY]
    assert mx.Scenario.from_toml_text(s.to_toml()).programme() == s.programme()


def test_weekly_sessions_start_on_their_days_and_the_block_fills_its_weeks():
    s = scenario(
        {"repeat": "3 per week for 2 weeks", "steps": MEALS},
        {"step": "Meal 10 g carbohydrate"},
        outputs={"acute": [], "slow": ["glucose_plasma"], "slow_period": "1 h"},
    )
    sim = mx.Simulation(s)
    sim.run()
    meals = [
        (x.time, float(x.amount[0])) for x in sim.slow_layer.schedule if isinstance(x, Impulse)
    ]
    days = [0, 2, 4, 7, 9, 11]
    assert meals == [(d * DAY, 50.0) for d in days] + [(2 * WEEK, 10.0)]
    assert sim.slow_layer.t == pytest.approx(2 * WEEK)


@pytest.mark.slow
def test_progression_raises_the_load_after_complete_sessions():
    s = scenario(
        {"step": "Assess 1rm grip"},
        {
            "repeat": "2 per week for 1 week",
            "progression": "increase load 10 % when all sets complete",
            "steps": ["Resistance grip 1x3 at 50 %1RM, rest 30 s"],
        },
        {"repeat": 1, "steps": ["Resistance grip 1x3 at 50 %1RM, rest 30 s"]},
        outputs={"acute": [], "slow": ["glucose_plasma"], "slow_period": "1 day"},
    )
    res = mx.Simulation(s).run()
    loads = [r["load_n"] for r in res.assessments if r["test"] == "resistance_set"]
    complete = [not r["failed"] for r in res.assessments if r["test"] == "resistance_set"]
    assert complete[0]
    np.testing.assert_allclose(loads[1], 1.1 * loads[0])
    assert loads[2] == pytest.approx(loads[0])  # a block without the rule keeps its load


def test_weekdays_take_short_or_full_names_only():
    s = scenario({"repeat": "2 per week for 1 week", "on": ["Tuesday", "fri"], "steps": MEALS})
    assert s.programme().items[0].days == (1, 4)
    with pytest.raises(ScenarioError, match="'monkey' is not a weekday"):
        scenario({"repeat": "1 per week for 1 week", "on": ["monkey"], "steps": MEALS})
