"""Condition overlays: reading, combining, contradictions, and the generated docs page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from myoaxis.conditions import (
    base_parameters,
    condition,
    condition_names,
    subject_parameters,
)
from myoaxis.conditions.overlays import apply_conditions, check_combination, read_condition
from myoaxis.core.citations import registry, source_keys
from myoaxis.core.errors import ParameterError, ScenarioError

ROOT = Path(__file__).resolve().parents[1]
INFO = 'title = "{title}"\nsummary = "What it is."\nsources = ["gentile2019"]\n{extra}'


def _write(folder: Path, name: str, overlay: str, extra: str = "") -> Path:
    path = folder / name
    path.mkdir(parents=True)
    (path / "condition.toml").write_text(INFO.format(title=name, extra=extra))
    (path / "topic.toml").write_text(overlay)
    return path


SCALE = '[symptoms]\nfatigue = {{ scale = {x}, description = "d", source = "gentile2019" }}\n'
VALUE = (
    '[symptoms]\nfatigue = {{ value = {x}, unit = "dimensionless", description = "d", '
    'source = "gentile2019" }}\n'
)


def test_every_shipped_condition_reads_and_changes_known_parameters_with_known_sources():
    base, known = base_parameters(), set(registry()) | {"myoaxis_estimate"}
    assert condition_names()
    for name in condition_names():
        c = condition(name)
        assert c.parameters, name
        assert set(c.values) <= set(base), name
        for key in c.sources:
            assert key in known, (name, key)
        assert set(c.excludes) <= set(condition_names()), name
        assert set(c.sexes) <= {"female", "male"}, name
        for p in c.values.params.values():
            assert all(k in known for k in source_keys(p.source)), (name, p.name)
        for s in c.changes.values():
            assert s.targets(base, name), (name, s.name)
            assert all(k in known for k in source_keys(s.source)), (name, s.name)


def test_scales_of_two_conditions_multiply_and_values_replace(tmp_path):
    a = read_condition(_write(tmp_path, "a", SCALE.format(x=0.5)))
    b = read_condition(_write(tmp_path, "b", SCALE.format(x=0.8)))
    c = read_condition(_write(tmp_path, "c", VALUE.format(x=0.9)))
    base = base_parameters()
    both = apply_conditions(base, [a, b])
    assert both.value("symptoms.fatigue") == pytest.approx(base.value("symptoms.fatigue") * 0.4)
    assert "gentile2019" in both["symptoms.fatigue"].source
    replaced_then_scaled = apply_conditions(base, [a, c])
    assert replaced_then_scaled.value("symptoms.fatigue") == pytest.approx(0.45)


ADD = (
    '[symptoms]\nfatigue = {{ add = {x}, unit = "percent", description = "d", '
    'source = "gentile2019" }}\n'
)


def test_additions_sum_before_scales_and_convert_to_the_parameters_unit(tmp_path):
    a = read_condition(_write(tmp_path, "a", ADD.format(x=10)))  # +0.1 (percent -> 1)
    b = read_condition(_write(tmp_path, "b", ADD.format(x=20)))
    s = read_condition(_write(tmp_path, "s", SCALE.format(x=0.5)))
    base = base_parameters()
    combined = apply_conditions(base, [s, a, b])
    expected = (base.value("symptoms.fatigue") + 0.3) * 0.5
    assert combined.value("symptoms.fatigue") == pytest.approx(expected)


def test_a_pattern_changes_every_matching_parameter_and_must_match_one(tmp_path):
    leaf = '{ scale = 0.5, description = "d", source = "gentile2019" }'
    overlay = f'[muscle."*"]\nmax_isometric_force = {leaf}\n'
    every = read_condition(_write(tmp_path, "every", overlay))
    base = base_parameters()
    out = apply_conditions(base, [every])
    forces = [n for n in base if n.startswith("muscle.") and n.endswith(".max_isometric_force")]
    assert len(forces) > 3
    for n in forces:
        assert out.value(n) == pytest.approx(0.5 * base.value(n))
    none = read_condition(_write(tmp_path, "none", f'[muscle."*"]\nmax_force = {leaf}\n'))
    with pytest.raises(ParameterError, match=r"'none'.*pattern 'muscle.\*.max_force' matches no"):
        apply_conditions(base, [none])
    value = '{ value = 1, unit = "N", description = "d", source = "s" }'
    with pytest.raises(ParameterError, match="may only add or scale"):
        read_condition(_write(tmp_path, "v", f'[muscle."*"]\nmax_isometric_force = {value}\n'))


def test_two_different_values_for_one_parameter_are_a_contradiction(tmp_path):
    c = read_condition(_write(tmp_path, "c", VALUE.format(x=0.9)))
    d = read_condition(_write(tmp_path, "d", VALUE.format(x=0.5)))
    with pytest.raises(ScenarioError, match=r"'c' and 'd' contradict.*symptoms.fatigue"):
        check_combination([c, d], "female", 40)
    same = read_condition(_write(tmp_path, "e", VALUE.format(x=0.9)))
    check_combination([c, same], "female", 40)  # the same value is no contradiction
    percent = VALUE.format(x=90).replace("dimensionless", "percent")
    check_combination([c, read_condition(_write(tmp_path, "p", percent))], "female", 40)


def test_excludes_sex_and_age_limits_are_errors(tmp_path):
    a = read_condition(
        _write(tmp_path, "a", SCALE.format(x=0.5), 'excludes = { b = "one junction" }\n')
    )
    b = read_condition(_write(tmp_path, "b", SCALE.format(x=0.8)))
    with pytest.raises(ScenarioError, match="'a' cannot be combined with 'b': one junction"):
        check_combination([b, a], "male", 40)
    with pytest.raises(ScenarioError, match="listed twice"):
        check_combination([b, b], "male", 40)
    with pytest.raises(ScenarioError, match="'menopause' is not defined for a male subject"):
        subject_parameters("healthy_adult", "male", 50, ("menopause",))
    with pytest.raises(ScenarioError, match="ages 35-90 years, not 20"):
        subject_parameters("healthy_adult", "female", 20, ("menopause",))


@pytest.mark.parametrize(
    ("overlay", "message"),
    [
        ('[symptoms]\nfatigue = { scale = -1, description = "d", source = "s" }\n', "non-neg"),
        (
            '[symptoms]\nfatigue = { scale = 1, unit = "1", description = "d", source = "s" }\n',
            "keys",
        ),
        ('[symptoms]\nfatigue = { scale = 1, description = "", source = "s" }\n', "non-empty"),
        ('[symptoms]\nfatigue = { add = 1, description = "d", source = "s" }\n', "keys"),
        (
            '[symptoms]\nfatigue = { add = 1, unit = "zorkmid", '
            'description = "d", source = "s" }\n',
            "unknown unit",
        ),
    ],
)
def test_a_bad_scale_leaf_names_the_file_and_parameter(tmp_path, overlay, message):
    pattern = rf"topic.toml: (parameter )?'symptoms.fatigue'.*{message}"
    with pytest.raises(ParameterError, match=pattern):
        read_condition(_write(tmp_path, "bad", overlay))


def test_a_condition_without_its_description_or_with_an_unknown_parameter_is_refused(tmp_path):
    folder = tmp_path / "bare"
    folder.mkdir()
    with pytest.raises(ParameterError, match=r"condition.toml is missing"):
        read_condition(folder)
    typo = read_condition(
        _write(tmp_path, "typo", SCALE.format(x=0.5).replace("fatigue", "fatige"))
    )
    with pytest.raises(ParameterError, match=r"did you mean 'symptoms.fatigue'"):
        apply_conditions(base_parameters(), [typo])


def test_unknown_condition_suggests_the_close_match():
    with pytest.raises(ScenarioError, match=r"unknown condition 'fibromialgia'.*'fibromyalgia'"):
        subject_parameters("healthy_adult", "female", 40, ("fibromialgia",))


def test_the_conditions_page_is_generated_from_the_data():
    script = ROOT / "scripts" / "conditions_doc.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
