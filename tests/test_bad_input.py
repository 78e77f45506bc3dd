"""Every user mistake in a scenario exits with status 2 and one message, and writes nothing.

The command line runs in-process here (fast); ``test_cli.py`` checks the real console script.
"""

import sys

import pytest

from myoaxis.cli import main

FAST = '[model]\nmotor_units = "mean_field"\n'
REST = '[[protocol]]\nstep = "Rest for 1 s"\n'


def step(text: str) -> str:
    return f'{FAST}[[protocol]]\nstep = "{text}"\n'


def case(name: str, text: str | None, expected: list[str], bug: str = ""):
    """``text`` None: no file; ``expected``: words of the message's first line; ``bug``: xfail."""
    marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
    return pytest.param(text, expected, id=name, marks=marks)


CASES = [
    case("invalid TOML", "seed = = 1\n" + REST, ["invalid TOML", "line 1"]),
    case("missing file", None, ["cannot read the scenario"]),
    case(
        "unknown preset",
        f'{FAST}[subject]\npreset = "healthy_adul"\n{REST}',
        ["subject.preset", "unknown preset 'healthy_adul'", "(did you mean 'healthy_adult'?)"],
    ),
    case(
        "unknown muscle",
        step("MVC grp"),
        ["protocol[0].step", "'MVC grp'", "expected a muscle", "(did you mean 'grip'?)"],
    ),
    case(
        "unknown step",
        step("Hodl grip at 30 %MVC for 2 s"),
        ["protocol[0].step", "'Hodl grip at 30 %MVC for 2 s'", "(did you mean 'Hold'?)"],
    ),
    case(
        "unknown joint in a repeat block",
        f'{FAST}[[protocol]]\nrepeat = 2\nsteps = ["Rest for 1 s", "Move elbw to 90 deg over 1 s"]',
        ["protocol[0].steps[1]", "'Move elbw to 90 deg over 1 s'", "(did you mean 'elbow'?)"],
    ),
    case(
        "unknown slow output",
        f'{FAST}{REST}[outputs]\nslow = ["il6_plasm"]\n',
        ["outputs.slow", "'il6_plasm'", "(did you mean 'il6_plasma'?)"],
    ),
    case(
        "unknown acute output",
        f'{FAST}{REST}[outputs]\nacute = ["forse"]\n',
        ["outputs.acute", "'forse'", "(did you mean 'force'?)"],
    ),
    case("negative duration", step("Rest for -5 s"), ["'Rest for -5 s'", "a duration >= 0"]),
    case(
        "unit-less duration", step("Rest for 5"), ["'Rest for 5'", "a time unit (s, min, h, day)"]
    ),
    case("unit not a time", step("Rest for 5 kg"), ["'Rest for 5 kg'", "a time unit", "'kg'"]),
    case(
        "percentage over 100",
        step("Hold grip at 120 %MVC for 2 s"),
        ["'Hold grip at 120 %MVC for 2 s'", "between 0 and 100 %MVC", "'120'"],
    ),
    case(
        "unknown override",
        f'{FAST}[subject.overrides]\n"muscle.grip.max_isometric_forc" = "310 N"\n{REST}',
        [
            "subject.overrides",
            "unknown parameter 'muscle.grip.max_isometric_forc'",
            "(did you mean 'muscle.grip.max_isometric_force'?)",
        ],
    ),
    case(
        "override unit does not convert",
        f'{FAST}[subject.overrides]\n"muscle.grip.max_isometric_force" = "310 s"\n{REST}',
        ["subject.overrides", "'muscle.grip.max_isometric_force'", "'310 s'", "convert to N"],
    ),
    case(
        "unknown sex",
        f'{FAST}[subject]\nsex = "femal"\n{REST}',
        ["subject.sex", "'female' or 'male'"],
    ),
    case(
        "unknown condition",
        f'{FAST}[subject]\nconditions = ["sarcopenia"]\n{REST}',
        ["subject.conditions", "unknown condition 'sarcopenia'"],
    ),
    case(
        "age outside the strength table",
        f"{FAST}[subject]\nage_years = 10\n{REST}",
        ["subject.age_years", "20-90 years"],
    ),
    case(
        "unknown top-level key",
        "sed = 3\n" + FAST + REST,
        ["sed", "(did you mean 'seed'?)"],
    ),
    case(
        "slow_period not a time",
        f'{FAST}{REST}[outputs]\nslow_period = "10 kg"\n',
        ["outputs.slow_period", "'10 kg'", "does not convert to s"],
    ),
    case(
        "slow_period zero",
        f'{FAST}{REST}[outputs]\nslow_period = "0 s"\n',
        ["outputs.slow_period", "> 0"],
    ),
    case(
        "bad repeat text",
        f'{FAST}[[protocol]]\nrepeat = "three times"\nsteps = ["Rest for 1 s"]\n',
        ["protocol[0].repeat", "'three times'", "'3 times'"],
    ),
    case(
        "repeat zero",
        f'{FAST}[[protocol]]\nrepeat = 0\nsteps = ["Rest for 1 s"]\n',
        ["protocol[0]", "repeat must be a positive count"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_bad_scenario_exits_2_with_one_message(text, expected, tmp_path, monkeypatch, capsys):
    scenario, out, summary = tmp_path / "bad.toml", tmp_path / "out.nc", tmp_path / "s.json"
    if text is not None:
        scenario.write_text(text)
    args = ["run", str(scenario), "-o", str(out), "--summary", str(summary)]
    monkeypatch.setattr(sys, "argv", ["myoaxis", *args])
    with pytest.raises(SystemExit) as info:
        main()
    stdout, stderr = capsys.readouterr()
    first = stderr.splitlines()[0]
    assert info.value.code == 2
    assert stdout == ""
    assert first.startswith(f"error: {scenario}: ")
    for words in expected:
        assert words in first
    assert sorted(p.name for p in tmp_path.iterdir()) == (["bad.toml"] if text else [])
