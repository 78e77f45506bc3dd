"""The ``myoaxis`` command line: a thin Typer app over the Python API.

User mistakes (:class:`~myoaxis.core.errors.MyoAxisError`) exit with status 2 and one message on
stderr, without a traceback; a failed simulation exits with status 3.
"""

from __future__ import annotations

import importlib
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from myoaxis.core.errors import MyoAxisError

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Simulate the muscle–brain–bone axis."
)


class Listing(StrEnum):
    presets = "presets"
    conditions = "conditions"
    steps = "steps"
    tests = "tests"
    outputs = "outputs"
    muscles = "muscles"


def _progress_bar():
    if not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=0, unit="step", file=sys.stderr, leave=False)

    def update(i: int, n: int, text: str) -> None:
        bar.total = n
        bar.n = i
        bar.set_description(text[:40])
        bar.refresh()

    return update, bar


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Results file (NetCDF)")],
    summary: Annotated[Path | None, typer.Option("--summary", help="Summary JSON file")] = None,
) -> None:
    """Run a scenario and write its results (and optionally a summary JSON)."""
    from myoaxis.scenario import Scenario
    from myoaxis.simulation import Simulation

    sc = Scenario.from_toml(scenario)
    update, bar = _progress_bar()
    try:
        results = Simulation(sc, progress=update).run()
    finally:
        if bar is not None:
            bar.close()
    results.to_netcdf(output)
    if summary is not None:
        results.write_summary(summary)
    n = len(results.assessments)
    typer.echo(f"wrote {output}" + (f" and {summary}" if summary else "") + f" ({n} assessments)")


@app.command()
def validate(
    cases: Annotated[list[str] | None, typer.Argument(help="Case names (default: all)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Run the literature validation cases and print the table."""
    from myoaxis.validation import run_cases

    outcomes = run_cases(cases or None)
    if as_json:
        typer.echo(json.dumps([o.as_dict() for o in outcomes], indent=2))
    else:
        width = max(len(o.name) for o in outcomes)
        for o in outcomes:
            mark = "PASS" if o.passed else "FAIL"
            typer.echo(
                f"{mark}  {o.name:<{width}}  {o.measured_text}  (band {o.band_text}; {o.citation})"
            )
    if not all(o.passed for o in outcomes):
        raise typer.Exit(1)


@app.command("list")
def list_(what: Annotated[Listing, typer.Argument(help="What to list")]) -> None:
    """List presets, conditions, steps, tests, outputs or muscles."""
    from myoaxis.assess import TESTS
    from myoaxis.conditions import condition_names, preset_names
    from myoaxis.muscles import muscle_names
    from myoaxis.outputs import table
    from myoaxis.protocol import STEP_FORMS

    if what is Listing.presets:
        rows = [(p,) for p in preset_names()]
    elif what is Listing.conditions:
        rows = [(c,) for c in condition_names()] or [("(none yet)",)]
    elif what is Listing.steps:
        rows = [(form,) for forms, _ in STEP_FORMS.values() for form in forms]
    elif what is Listing.tests:
        rows = list(TESTS.items())
    elif what is Listing.muscles:
        rows = [(m,) for m in muscle_names()]
    else:
        rows = table()
    for row in rows:
        typer.echo("  ".join(str(c) for c in row))


@app.command()
def cite(scenario: Annotated[Path, typer.Argument(help="Scenario TOML file")]) -> None:
    """Print the references a scenario's run relies on."""
    from myoaxis.core.citations import resolve, source_keys
    from myoaxis.scenario import Scenario
    from myoaxis.simulation import Simulation

    sim = Simulation(Scenario.from_toml(scenario)).build()
    keys = {k for prm in sim.body.params[0].params.values() for k in source_keys(prm.source)}
    for c in resolve(keys):
        typer.echo(f"[{c.key}] {c.format()}")


export_app = typer.Typer(
    no_args_is_help=True, help="Export results (EMG, fNIRS) or a scenario's slow layer (SBML)."
)
app.add_typer(export_app, name="export")


def _results_for_export(results: Path, module: str, what: str):
    """The saved results tree, after checking the file exists and the [neuro] ``module`` that
    the ``what`` export needs imports."""
    from myoaxis.results import Results

    if not results.exists():
        raise MyoAxisError(f"{results}: no such results file")
    try:
        importlib.import_module(module)
    except ImportError as exc:
        raise MyoAxisError(
            f"{what} export needs the [neuro] extra (pip install 'myoaxis[neuro]'): {exc}"
        ) from None
    return Results.open(results)


@export_app.command("emg")
def export_emg(
    results: Annotated[Path, typer.Argument(help="Results file written by 'myoaxis run'")],
    output: Annotated[Path, typer.Option("-o", "--output", help="EDF+ (.edf) or BDF+ (.bdf)")],
    subject: Annotated[int, typer.Option("--subject", help="Subject index")] = 0,
) -> None:
    """Write one subject's surface EMG (all bouts, joined) as EDF+/BDF+ with step annotations."""
    tree = _results_for_export(results, "myoaxis.io", "EDF")
    from myoaxis.io import Annotation, write_edf
    from myoaxis.results import emg_recording

    fs, signal, notes = emg_recording(tree, subject)
    write_edf(
        output,
        {"EMG": signal},
        fs,
        units="mV",
        annotations=[Annotation(onset, duration, text) for onset, duration, text in notes],
    )
    typer.echo(f"wrote {output} ({signal.size / fs:.1f} s of EMG at {fs:g} Hz)")


@export_app.command("snirf")
def export_snirf(
    results: Annotated[Path, typer.Argument(help="Results file written by 'myoaxis run'")],
    output: Annotated[Path, typer.Option("-o", "--output", help="SNIRF file (.snirf)")],
    subject: Annotated[int, typer.Option("--subject", help="Subject index")] = 0,
    step: Annotated[
        str | None, typer.Option("--step", help="Step id of the recording (if several)")
    ] = None,
) -> None:
    """Write one subject's fNIRS recording (Assess fnirs_tapping) as SNIRF 1.1."""
    tree = _results_for_export(results, "h5py", "SNIRF")
    from myoaxis.results import write_fnirs_snirf

    path, step_id, kind = write_fnirs_snirf(tree, output, step, subject)
    typer.echo(f"wrote {path} ({kind} of step {step_id}, subject {subject})")


@export_app.command("sbml")
def export_sbml(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file (it is run first)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="SBML file (.xml)")],
    subject: Annotated[int, typer.Option("--subject", help="Subject index")] = 0,
) -> None:
    """Run a scenario and write one subject's slow layer as SBML L3V2, with the protocol's
    inputs (exercise, meals, sleep, bed rest) as events."""
    from myoaxis.io.sbml import write_sbml
    from myoaxis.scenario import Scenario
    from myoaxis.simulation import Simulation

    sim = Simulation(Scenario.from_toml(scenario))
    sim.run()
    write_sbml(sim.slow_layer, output, subject)
    n = len(sim.slow_layer.model.states)
    typer.echo(f"wrote {output} ({n} slow states of subject {subject}, {sim.slow_layer.t:g} s)")


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files."""
    from myoaxis.scenario import Scenario

    typer.echo(json.dumps(Scenario.json_schema(), indent=2))


def main() -> None:
    """Entry point: run the app, turning user errors into one-line messages and exit 2."""
    try:
        code = app(standalone_mode=False)
    except MyoAxisError as exc:
        typer.echo(f"error: {exc}", err=True)
        if getattr(exc, "detail", "") and sys.stderr.isatty():
            typer.echo(exc.detail, err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("aborted", err=True)
        sys.exit(130)
    except Exception as exc:
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # a usage error from click
            exc.show()
            sys.exit(exc.exit_code)
        raise
    sys.exit(code or 0)
