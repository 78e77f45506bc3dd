"""The step grammar: every form, case-insensitive keywords, durations and error messages."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoaxis.core.errors import ProtocolError
from myoaxis.muscles import muscle_names
from myoaxis.protocol import (
    MVC,
    STEP_FORMS,
    Age,
    Assess,
    BedRest,
    Cycle,
    Dose,
    Hold,
    HoldToFailure,
    Imagine,
    Intermittent,
    Meal,
    Move,
    Perturb,
    Practice,
    Ramp,
    Resistance,
    Rest,
    Run,
    Sleep,
    Stimulate,
    Tap,
    Walk,
    parse_step,
)
from myoaxis.protocol.steps import YEAR

FORMS = [
    ("MVC grip", MVC("grip")),
    ("Hold grip at 30 %MVC for 2 s", Hold("grip", 30.0, 2.0)),
    ("Ramp elbow_flexors from 0 to 40 %MVC over 5 s", Ramp("elbow_flexors", 0.0, 40.0, 5.0)),
    ("Move elbow to 120 deg over 1.5 s", Move("elbow", 120.0, 1.5)),
    ("Rest for 90 s", Rest(90.0)),
    ("Hold grip at 40 %MVC until failure", HoldToFailure("grip", 40.0)),
    (
        "Hold grip at 50 %MVC for 6 s, rest 4 s, until failure",
        Intermittent("grip", 50.0, 6.0, 4.0),
    ),
    (
        "Hold grip at 50 %MVC for 6 s, rest 4 s, for 10 min",
        Intermittent("grip", 50.0, 6.0, 4.0, 600.0),
    ),
    (
        "Resistance knee_extensors 3x10 at 70 %1RM, rest 90 s",
        Resistance("knee_extensors", 3, 10, 70.0, 90.0),
    ),
    ("Assess 1RM grip", Assess("1RM", "grip")),
    ("Assess endurance grip at 40 %MVC", Assess("endurance", "grip", percent=40.0)),
    (
        "Assess rns first_dorsal_interosseous at 3 Hz",
        Assess("rns", "first_dorsal_interosseous", frequency=3.0),
    ),
    ("Assess voluntary_activation elbow_flexors", Assess("voluntary_activation", "elbow_flexors")),
    ("Cycle at 70 %VO2max for 45 min", Cycle(70.0, 2700.0)),
    ("Cycle at 75 %VO2max until exhaustion", Cycle(75.0)),
    ("Tap index at 2 Hz for 30 s", Tap("index", 2.0, 30.0)),
    ("Tap index as fast as possible for 20 s", Tap("index", None, 20.0)),
    ("Walk at 1.2 m/s for 10 min", Walk(1.2, 600.0)),
    ("Perturb elbow with -2.5 Nm for 1 s", Perturb("elbow", -2.5, 1.0)),
    ("Assess tapping", Assess("tapping")),
    ("Assess fnirs_tapping", Assess("fnirs_tapping")),
    ("Assess reaction_time", Assess("reaction_time")),
    ("Assess ogtt", Assess("ogtt")),
    ("Assess bmd", Assess("bmd")),
    ("Run at 70 %VO2max for 45 min", Run(70.0, 2700.0)),
    ("Run at 90 %VO2max until exhaustion", Run(90.0)),
    ("Meal 75 g carbohydrate", Meal(75.0)),
    ("Meal 25 g protein", Meal(0.0, 25.0)),
    ("Meal 60 g carbohydrate and 25 g protein", Meal(60.0, 25.0)),
    ("Sleep for 8 h", Sleep(8 * 3600.0)),
    ("Bed rest for 60 day", BedRest(60 * 86400.0)),
    ("Age by 5 years", Age(5 * YEAR)),
    ("Assess sarcopenia", Assess("sarcopenia")),
    ("Assess cpm", Assess("cpm")),
    (
        "Stimulate motor_cortex with tDCS for 20 min",
        Stimulate("motor_cortex", "tDCS", 1200.0),
    ),
    (
        "Stimulate motor_cortex with tRNS at 1 mA for 10 min",
        Stimulate("motor_cortex", "tRNS", 600.0, 1.0),
    ),
    (
        "Stimulate motor_cortex with rTMS at 80 %RMT, 10 Hz for 20 min",
        Stimulate("motor_cortex", "rTMS", 1200.0, 80.0, 10.0),
    ),
    ("Dose paracetamol 1000 mg", Dose("paracetamol", 1000.0)),
    ("Practice grasp for 30 min", Practice("grasp", 1800.0)),
    ("Imagine elbow_flexion for 15 min", Imagine("elbow_flexion", 900.0)),
]


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("Resistance grip 0x10 at 70 %1RM, rest 9 s", 17, "a number of sets (a whole number >= 1)"),
        ("Resistance grip 3x10 at 120 %1RM, rest 9 s", 25, "a percentage between 0 and 100 %1RM"),
        ("Hold grip at 40 %MVC until", 27, "'failure'"),
        ("Hold grip at 40 %MVC for 5 s, rest 2 s", 39, "','"),
        (
            "Assess strength grip",
            8,
            "a test (1RM, endurance, rns, voluntary_activation, tapping, fnirs_tapping, "
            "reaction_time, ogtt, bmd, grip_strength, gait_speed, chair_stand, sppb, sarcopenia, "
            "vo2max, cognition, hrv, readiness, pain, pain_threshold, cpm, temporal_summation, "
            "disability, mood, cpet)",
        ),
        ("Assess rns grip at 300 Hz", 20, "a stimulation rate in (0, 100] Hz"),
        ("Meal 500 g carbohydrate", 6, "a carbohydrate amount in (0, 300] g, found '500'"),
        ("Meal 0 g carbohydrate", 6, "a carbohydrate amount in (0, 300] g"),
        ("Meal 50 g fat", 11, "a nutrient (carbohydrate, protein), found 'fat'"),
        ("Meal 150 g protein", 6, "a protein amount in (0, 100] g, found '150'"),
        ("Meal 20 g protein and 20 g protein", 28, "a nutrient (carbohydrate), found 'protein'"),
        ("Meal 20 g protein and", 22, "an amount in g, found the end of the step"),
        ("Sleep for 20 h", 11, "a duration of at most 16 h, found '20 h'"),
        ("Run at 60 %VO2max for 30 h", 23, "a duration of at most 24 h"),
        ("Run at 200 %VO2max for 1 h", 8, "an intensity in (0, 150] %VO2max"),
        ("Bed rest for 2 years", 14, "a duration of at most 365 days"),
        ("Stimulate cortex with tDCS for 20 min", 11, "a stimulation target (motor_cortex)"),
        ("Stimulate motor_cortex with TMS for 2 min", 29, "a technique (tDCS, rTMS, tRNS)"),
        ("Stimulate motor_cortex with tDCS at 80 %RMT for 2 min", 40, "'mA', found '%RMT'"),
        ("Stimulate motor_cortex with rTMS at 0 Hz for 2 min", 37, "a rTMS setting > 0"),
        ("Stimulate motor_cortex with tDCS at 2 mA for 30 h", 46, "a duration of at most 24 h"),
        ("Dose paracetamol 1 kW", 20, "a mass unit (mg, g), found 'kW'"),
        ("Dose paracetamol 0 mg", 18, "an amount > 0"),
        ("Dose aspirine 100 mg", 6, "a drug (ibuprofen, metformin, paracetamol), found 'aspirine'"),
        ("Imagine elbow for 10 min", 9, "a movement ("),
        ("Practice grasp for 9 h", 20, "a duration of at most 8 h"),
    ],
)
def test_fatigue_step_errors_point_at_the_word(text, column, expected):
    with pytest.raises(ProtocolError) as info:
        parse_step(text)
    assert f"at column {column} expected {expected}" in str(info.value)


def test_every_form_is_covered():
    assert {step.kind for _, step in FORMS} == set(STEP_FORMS)


@pytest.mark.parametrize(("text", "step"), FORMS)
def test_every_form_parses_and_round_trips(text, step):
    assert parse_step(text) == step
    assert str(step) == text
    assert parse_step(str(step)) == step


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("mvc grip", "MVC grip"),
        ("HOLD grip AT 30 %MVC FOR 2 s", "Hold grip at 30 %MVC for 2 s"),
        ("hold grip at 30% MVC for 2 s", "Hold grip at 30 %MVC for 2 s"),
        ("rAmP grip FROM 0 %MVC TO 40 %MVC Over 5 s", "Ramp grip from 0 to 40 %MVC over 5 s"),
        ("MOVE elbow TO 90 DEG OVER 1 s", "Move elbow to 90 deg over 1 s"),
        ("REST FOR 1 s", "Rest for 1 s"),
    ],
)
def test_keywords_are_case_insensitive(text, canonical):
    assert parse_step(text) == parse_step(canonical)
    assert str(parse_step(text)) == canonical


@pytest.mark.parametrize(
    ("duration", "seconds", "written"),
    [
        ("90 s", 90.0, "90 s"),
        ("0.25 s", 0.25, "0.25 s"),
        ("10 min", 600.0, "10 min"),
        ("1.5 h", 5400.0, "90 min"),
        ("2 h", 7200.0, "2 h"),
        ("3 day", 259200.0, "3 day"),
        ("2 days", 172800.0, "2 day"),
    ],
)
def test_durations_convert_to_seconds(duration, seconds, written):
    step = parse_step(f"Rest for {duration}")
    assert step == Rest(seconds)
    assert str(step) == f"Rest for {written}"


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        (
            "",
            1,
            "a step (MVC, Hold, Ramp, Move, Perturb, Tap, Walk, Resistance, Assess, Cycle, Run, "
            "Meal, Sleep, Bed, Rest, Age, Stimulate, Dose, Practice, Imagine), "
            "found the end of the step",
        ),
        (
            "Hodl grip",
            1,
            "a step (MVC, Hold, Ramp, Move, Perturb, Tap, Walk, Resistance, Assess, Cycle, Run, "
            "Meal, Sleep, Bed, Rest, Age, Stimulate, Dose, Practice, Imagine) "
            "(did you mean 'Hold'?)",
        ),
        ("MVC", 4, "a muscle (ankle_dorsiflexors, ankle_plantarflexors,"),
        ("MVC grp", 5, "(did you mean 'grip'?), found 'grp'"),
        ("Hold grip to 30 %MVC for 2 s", 11, "expected 'at', found 'to'"),
        ("Hold grip at 30 for 2 s", 17, "expected '%MVC', found 'for'"),
        ("Hold grip at 120 %MVC for 2 s", 14, "a percentage between 0 and 100 %MVC, found '120'"),
        ("Ramp grip from 0 to 101 %MVC over 1 s", 21, "between 0 and 100 %MVC"),
        ("Rest for -5 s", 10, "a duration >= 0 (negative values are not allowed)"),
        ("Rest for five s", 10, "a duration, found 'five'"),
        ("Rest for 5", 11, "a time unit (s, min, h, day), found the end of the step"),
        ("Rest for 5 kg", 12, "a time unit (s, min, h, day), found 'kg'"),
        ("Rest for 0 s", 10, "a duration > 0"),
        ("Rest for 1 s now", 14, "the end of the step, found 'now'"),
        ("Move knee to 90 deg over 1 s", 6, "a joint (elbow), found 'knee'"),
        ("Move elbow to 90 over 1 s", 18, "expected 'deg', found 'over'"),
    ],
)
def test_error_quotes_the_step_and_points_at_the_column(text, column, expected):
    with pytest.raises(ProtocolError) as info:
        parse_step(text)
    first = str(info.value)
    assert "\n" not in first  # one line; the caret lives in .detail
    assert first.startswith(f"cannot read step {text!r}: at column {column} expected ")
    assert expected in first
    quoted, caret = info.value.detail.split("\n")
    assert quoted == f"    {text}"
    assert caret == "    " + " " * (column - 1) + "^"


def test_non_string_step_is_a_protocol_error():
    with pytest.raises(ProtocolError, match="a step string"):
        parse_step(3)


@pytest.mark.parametrize(
    "text",
    ["Hold grip at nan %MVC for 2 s", "Rest for inf s", "Move elbow to nan deg over 1 s"],
)
def test_non_finite_numbers_are_rejected(text):
    with pytest.raises(ProtocolError):
        parse_step(text)


@settings(derandomize=True, database=None, deadline=None)
@given(
    muscle=st.sampled_from(muscle_names()),
    level=st.floats(0, 100),
    seconds=st.floats(1e-3, 1e5),
)
def test_hold_round_trips_through_its_text(muscle, level, seconds):
    step = parse_step(f"Hold {muscle} at {level!r} %MVC for {seconds!r} s")
    assert parse_step(str(step)) == step


def test_a_meal_lists_its_nutrients_in_any_order():
    assert parse_step("meal 25 g protein and 60 g carbohydrate") == Meal(60.0, 25.0)
