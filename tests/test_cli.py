"""The ``myoaxis`` command line: the console script end to end, and each subcommand."""

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import xarray as xr

from myoaxis.assess import TESTS
from myoaxis.cli import main
from myoaxis.conditions import condition_names, preset_names
from myoaxis.muscles import muscle_names
from myoaxis.outputs import ACUTE_OUTPUTS, table
from myoaxis.protocol import STEP_FORMS

MYOAXIS = Path(sys.executable).parent / "myoaxis"
EXAMPLE = Path(__file__).parents[1] / "examples" / "grip_mvc_and_hold.toml"
SCENARIO = """\
seed = 1
[model]
motor_units = "mean_field"
[[protocol]]
step = "MVC grip"
[[protocol]]
step = "Hold grip at 30 %MVC for 2 s"
[[protocol]]
step = "Rest for 1 min"
[outputs]
acute = ["force", "excitation"]
slow = ["il6_plasma", "il6_production"]
slow_period = "10 s"
"""


def myoaxis(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [MYOAXIS, *args], cwd=cwd, capture_output=True, text=True, umask=0o022, check=False
    )


def cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run ``main()`` in-process; return the exit status, stdout and stderr."""
    monkeypatch.setattr(sys, "argv", ["myoaxis", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> Path:
    """A folder where ``myoaxis run`` wrote ``out.nc`` and ``summary.json``."""
    folder = tmp_path_factory.mktemp("run")
    (folder / "scenario.toml").write_text(SCENARIO)
    proc = myoaxis("run", "scenario.toml", "-o", "out.nc", "--summary", "summary.json", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "wrote out.nc and summary.json (1 assessments)\n"
    assert "Traceback" not in proc.stderr
    return folder


@pytest.mark.e2e
def test_run_writes_the_results_tree(ran):
    assert sorted(p.name for p in ran.iterdir()) == ["out.nc", "scenario.toml", "summary.json"]
    units = {name: unit for name, _, unit, _ in table()}
    with xr.open_datatree(ran / "out.nc", engine="h5netcdf") as tree:
        assert {"slow", "acute", "assessments", "events"} <= set(tree.children)
        assert set(tree["acute"].children) == {"s001_mvc_grip", "s002_hold_grip"}
        assert "fuglevand1993" in tree.attrs["citations"]
        slow = tree["slow"]
        assert set(slow.data_vars) == {"il6_plasma", "il6_production"}
        assert slow["time"].attrs["units"] == "s"
        for name in slow.data_vars:
            assert slow[name].attrs["units"] == units[name]
        for step_id, group in tree["acute"].children.items():
            assert set(group.data_vars) == {"force", "excitation"}, step_id
            for name in group.data_vars:
                assert group[name].attrs["units"] == ACUTE_OUTPUTS[name][0]
        mvc = tree["assessments"].to_dataset()
        assert mvc["test"].values.tolist() == ["MVC"]
        assert mvc["time_s"].attrs["units"] == "s"
        tree_value = float(mvc["value"].values[0])
    (record,) = json.loads((ran / "summary.json").read_text())["assessments"]
    assert record["value"] == pytest.approx(tree_value)


@pytest.mark.e2e
def test_summary_has_the_mvc_record(ran):
    summary = json.loads((ran / "summary.json").read_text())
    assert set(summary) == {"assessments", "risks", "events", "provenance"}
    (record,) = summary["assessments"]
    assert {k: record[k] for k in ("test", "muscle", "step", "unit")} == {
        "test": "MVC",
        "muscle": "grip",
        "step": "s001_mvc_grip",
        "unit": "N",
    }
    assert isinstance(record["time_s"], float)
    assert record["time_s"] >= 0
    assert 50 < record["value"] < 1000
    assert record["value_kg"] == pytest.approx(record["value"] / 9.80665)


@pytest.mark.e2e
def test_results_files_follow_the_umask(ran):
    for name in ("out.nc", "summary.json"):
        assert oct((ran / name).stat().st_mode & 0o777) == oct(0o644)


@pytest.mark.e2e
def test_bad_scenario_exits_2_without_traceback(tmp_path):
    (tmp_path / "bad.toml").write_text('[[protocol]]\nstep = "MVC grp"\n')
    proc = myoaxis("run", "bad.toml", "-o", "out.nc", "--summary", "s.json", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0].startswith(
        "error: bad.toml: protocol[0].step: cannot read step 'MVC grp': at column 5 expected a "
        "muscle"
    )
    assert "(did you mean 'grip'?)" in proc.stderr.splitlines()[0]
    assert [p.name for p in tmp_path.iterdir()] == ["bad.toml"]


@pytest.mark.parametrize(
    ("what", "first_column"),
    [
        ("presets", preset_names),
        ("conditions", lambda: condition_names() or ("(none yet)",)),
        ("steps", lambda: [form for forms, _ in STEP_FORMS.values() for form in forms]),
        ("tests", lambda: TESTS),
        ("outputs", lambda: [row[0] for row in table()]),
        ("muscles", muscle_names),
    ],
)
def test_list(what, first_column, monkeypatch, capsys):
    code, out, err = cli(monkeypatch, capsys, "list", what)
    assert (code, err) == (0, "")
    assert [line.split("  ")[0] for line in out.splitlines()] == list(first_column())


def test_schema_prints_json_schema(monkeypatch, capsys):
    code, out, _ = cli(monkeypatch, capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["type"] == "object"
    assert "protocol" in schema["properties"]
    refs = set(_values(schema, "$ref"))
    assert refs
    assert refs <= {f"#/$defs/{name}" for name in schema["$defs"]}


def _values(node, key):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from _values(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _values(v, key)


def test_cite_lists_references(monkeypatch, capsys):
    code, out, _ = cli(monkeypatch, capsys, "cite", str(EXAMPLE))
    assert code == 0
    lines = out.splitlines()
    assert any(line.startswith("[fuglevand1993] Fuglevand AJ") for line in lines)
    assert any(line.startswith("[dodds2014] ") for line in lines)
    assert all(line.startswith("[") and "] " in line for line in lines)


def test_validate_unknown_case_exits_2(monkeypatch, capsys):
    code, out, err = cli(monkeypatch, capsys, "validate", "--json", "some_unknown_case")
    assert (code, out) == (2, "")
    assert err.startswith("error: unknown validation case 'some_unknown_case'; expected one of:")


def test_validate_failure_exits_1(monkeypatch, capsys):
    failed = SimpleNamespace(
        name="fake", passed=False, measured_text="1", band_text="2-3", citation="nobody"
    )
    monkeypatch.setattr("myoaxis.validation.run_cases", lambda cases: [failed])
    code, out, _ = cli(monkeypatch, capsys, "validate", "fake")
    assert out.startswith("FAIL  fake  1  (band 2-3; nobody)")
    assert code == 1
