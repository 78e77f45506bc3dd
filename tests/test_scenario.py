"""Scenario files: loading the example, TOML round trip, repeat blocks and the JSON Schema."""

from pathlib import Path

import pytest

from myoaxis.protocol import MVC, Hold, Move, Ramp, Rest
from myoaxis.scenario import Scenario

EXAMPLE = Path(__file__).parents[1] / "examples" / "grip_mvc_and_hold.toml"


def test_example_loads():
    s = Scenario.from_toml(EXAMPLE)
    assert s.source == str(EXAMPLE)
    assert (s.name, s.seed, s.subject.sex, s.subject.age_years) == (
        "Grip MVC, 40 %MVC hold and recovery",
        7,
        "female",
        34.0,
    )
    assert s.slow_period == 30.0
    assert s.outputs.slow == ["il6_plasma", "il6_production"]
    flex, extend = Move("elbow", 120.0, 1.0), Move("elbow", 60.0, 1.0)
    assert s.steps() == [
        MVC("grip"),
        Rest(60.0),
        Ramp("grip", 0.0, 40.0, 5.0),
        Hold("grip", 40.0, 20.0),
        flex,
        extend,
        flex,
        extend,
        Rest(1800.0),
    ]


def _rich(name: str) -> Scenario:
    return Scenario.from_dict(
        {
            "name": name,
            "seed": 3,
            "subject": {
                "sex": "male",
                "age_years": 61.5,
                "overrides": {"muscle.grip.max_isometric_force": "310 N", "fast.dt": 0.002},
            },
            "model": {"motor_units": "mean_field"},
            "protocol": [
                {"step": "MVC grip"},
                {"repeat": "2 times", "steps": ["Hold grip at 30 %MVC for 2 s", "Rest for 1 min"]},
                {"repeat": 3, "steps": ["Move elbow to 90 deg over 1 s"]},
            ],
            "outputs": {"acute": ["force"], "slow": [], "slow_period": "1 min"},
        },
        "rich.toml",
    )


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: Scenario.from_toml(EXAMPLE), id="example"),
        pytest.param(lambda: _rich("plain"), id="overrides-and-repeats"),
        pytest.param(lambda: _rich('quotes " \\ and – unicode'), id="escapes"),
        pytest.param(lambda: _rich("two\nlines"), id="newline"),
    ],
)
def test_to_toml_round_trips(make):
    s = make()
    back = Scenario.from_toml_text(s.to_toml())
    assert back == s.model_copy(update={"source": back.source})
    assert back.steps() == s.steps()


@pytest.mark.parametrize("count", [3, "3 times"])
def test_repeat_blocks_expand(count):
    s = Scenario.from_dict(
        {
            "protocol": [
                {"step": "MVC grip"},
                {"repeat": count, "steps": ["Hold grip at 50 %MVC for 5 s", "Rest for 10 s"]},
            ]
        }
    )
    assert s.protocol[1].repeat is not None
    assert s.steps() == [MVC("grip")] + [Hold("grip", 50.0, 5.0), Rest(10.0)] * 3


def test_json_schema_describes_the_file():
    schema = Scenario.json_schema()
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["protocol"]
    assert {"schema_version", "name", "seed", "subject", "model", "protocol", "outputs"} <= set(
        schema["properties"]
    )
    subject = schema["$defs"]["Subject"]["properties"]
    assert subject["sex"]["enum"] == ["female", "male"]
    assert set(subject) >= {"preset", "age_years", "body_mass_kg", "conditions", "overrides"}


@pytest.mark.parametrize("path", sorted(EXAMPLE.parent.glob("*.toml")), ids=lambda p: p.stem)
def test_every_example_loads_and_writes_back(path):
    s = Scenario.from_toml(path)
    assert s.steps()
    assert Scenario.from_toml_text(s.to_toml()).steps() == s.steps()
