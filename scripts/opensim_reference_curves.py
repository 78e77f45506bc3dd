#!/usr/bin/env python3
"""Generate OpenSim reference curves for the De Groote et al. (2016) muscle.

This script evaluates the state-free curve methods of OpenSim's
``DeGrooteFregly2016Muscle`` on fine grids and writes them to
``src/myoaxis/data/reference/opensim_degroote2016_curves.csv``.  The CSV is the oracle that
MyoAxis' own NumPy implementation of the De Groote, Kinney, Rao & Fregly (2016)
curves (Ann Biomed Eng 44:2922-2936) is tested against; OpenSim itself is *not*
a dependency of MyoAxis or of its test suite.

It needs the ``opensim`` Python bindings (4.6 or later), which are best kept in a
separate virtual environment, e.g.::

    python3.11 -m venv /work/venv-opensim
    /work/venv-opensim/bin/pip install opensim
    /work/venv-opensim/bin/python scripts/opensim_reference_curves.py

Output format (long format, one row per sample)::

    # <comment lines: OpenSim version, date, muscle properties as JSON, ...>
    curve,x,y
    active_force_length,0.3,...

Read it with ``pandas.read_csv(path, comment="#")`` or, with the standard
library only, ``csv.DictReader(line for line in fh if not line.startswith("#"))``.
(``numpy.genfromtxt(..., names=True)`` would take the first ``#`` line as the
column names, so skip the comment lines yourself before handing it the rest.)

Curves written (``x`` is dimensionless in every case):

``active_force_length``
    ``calcActiveForceLengthMultiplier(lM/lMopt)`` for lM/lMopt in [0.3, 1.9],
    321 points (step 0.005).
``passive_force``
    ``calcPassiveForceMultiplier(lM/lMopt)`` on the same grid (default
    passive_fiber_strain_at_one_norm_force = 0.6).
``force_velocity``
    ``calcForceVelocityMultiplier(vM/vMmax)`` for vM/vMmax in [-1, 1], 201 points
    (step 0.01).  OpenSim's sign convention: positive = lengthening (eccentric),
    negative = shortening (concentric); the multiplier is 0 at -1 and 1 at 0.
    vMmax = max_contraction_velocity * optimal_fiber_length, so the curve itself
    does not depend on max_contraction_velocity.  Fibre damping is *not* part of
    this multiplier (OpenSim adds it as a separate force term).
``tendon_force``
    ``calcTendonForceMultiplier(lT/lTs)`` for lT/lTs in [0.99, 1.06], 141 points
    (step 0.0005), default tendon_strain_at_one_norm_force = 0.049.
``tendon_force_strain033``
    As ``tendon_force`` with tendon_strain_at_one_norm_force = 0.033.
``passive_force_strain07``
    As ``passive_force`` with passive_fiber_strain_at_one_norm_force = 0.7.

Grid abscissae are generated as exact decimal fractions (integer / denominator),
so ``x`` values in the CSV are the shortest round-tripping decimals (0.305, not
0.30500000000000005).  ``y`` values are written with ``repr`` (17 significant
digits, round-trip exact).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import platform
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = (
    REPO_ROOT / "src" / "myoaxis" / "data" / "reference" / "opensim_degroote2016_curves.csv"
)

# Properties of DeGrooteFregly2016Muscle (and its Muscle base class) that are
# recorded in the CSV header.  Only the last group affects the curves written
# here, but all are recorded so that the reference is fully documented.
RECORDED_PROPERTIES = (
    "max_isometric_force",
    "optimal_fiber_length",
    "tendon_slack_length",
    "pennation_angle_at_optimal",
    "max_contraction_velocity",
    "ignore_tendon_compliance",
    "ignore_activation_dynamics",
    "activation_time_constant",
    "deactivation_time_constant",
    "activation_dynamics_smoothing",
    "default_activation",
    "default_normalized_tendon_force",
    "tendon_compliance_dynamics_mode",
    "fiber_damping",
    "ignore_passive_fiber_force",
    "active_force_width_scale",
    "passive_fiber_strain_at_one_norm_force",
    "tendon_strain_at_one_norm_force",
)

# Non-default cases: curve name -> (property name, value).
TENDON_STRAIN_CASE = 0.033
PASSIVE_STRAIN_CASE = 0.7


def decimal_grid(start_num: int, stop_num: int, denom: int) -> list[float]:
    """Return ``[start_num/denom, ..., stop_num/denom]`` (inclusive).

    Dividing integers gives the correctly rounded double of each decimal grid
    point, avoiding the drift of ``start + i * step``.
    """
    return [i / denom for i in range(start_num, stop_num + 1)]


# Grids (see module docstring).
FIBER_LENGTH_GRID = decimal_grid(60, 380, 200)  # 0.3 .. 1.9, step 0.005, 321 pts
FIBER_VELOCITY_GRID = decimal_grid(-100, 100, 100)  # -1 .. 1, step 0.01, 201 pts
TENDON_LENGTH_GRID = decimal_grid(1980, 2120, 2000)  # 0.99 .. 1.06, step 0.0005, 141 pts


def property_value(muscle: object, name: str) -> object:
    """Read an OpenSim property through its generated ``get_<name>`` accessor."""
    return getattr(muscle, f"get_{name}")()


def muscle_properties(muscle: object) -> dict[str, object]:
    """Return the recorded properties of ``muscle`` as plain Python values."""
    props: dict[str, object] = {}
    for name in RECORDED_PROPERTIES:
        value = property_value(muscle, name)
        if isinstance(value, bool | int | float | str):
            props[name] = value
        else:  # pragma: no cover - defensive, all recorded props are scalars
            props[name] = str(value)
    return props


def make_muscle(osim: object, **overrides: float) -> object:
    """Build a default ``DeGrooteFregly2016Muscle`` with optional overrides.

    ``finalizeFromProperties`` is called so OpenSim validates the property
    bounds (e.g. strains must be > 0).  No model or state is needed: the curve
    methods used here only read properties and class constants.
    """
    muscle = osim.DeGrooteFregly2016Muscle()
    muscle.setName("reference_muscle")
    for name, value in overrides.items():
        getattr(muscle, f"set_{name}")(value)
    muscle.finalizeFromProperties()
    return muscle


def sample(
    curve: str, func: Callable[[float], float], grid: Iterable[float]
) -> list[tuple[str, float, float]]:
    """Evaluate ``func`` on ``grid`` and return ``(curve, x, y)`` rows."""
    return [(curve, x, float(func(x))) for x in grid]


def build_rows(osim: object) -> tuple[list[tuple[str, float, float]], dict[str, object]]:
    """Evaluate all reference curves; return the rows and header metadata."""
    default = make_muscle(osim)
    stiff_tendon = make_muscle(osim, tendon_strain_at_one_norm_force=TENDON_STRAIN_CASE)
    soft_passive = make_muscle(osim, passive_fiber_strain_at_one_norm_force=PASSIVE_STRAIN_CASE)
    fv = osim.DeGrooteFregly2016Muscle.calcForceVelocityMultiplier  # static method

    rows: list[tuple[str, float, float]] = []
    rows += sample(
        "active_force_length", default.calcActiveForceLengthMultiplier, FIBER_LENGTH_GRID
    )
    rows += sample("passive_force", default.calcPassiveForceMultiplier, FIBER_LENGTH_GRID)
    rows += sample("force_velocity", fv, FIBER_VELOCITY_GRID)
    rows += sample("tendon_force", default.calcTendonForceMultiplier, TENDON_LENGTH_GRID)
    rows += sample(
        "tendon_force_strain033", stiff_tendon.calcTendonForceMultiplier, TENDON_LENGTH_GRID
    )
    rows += sample(
        "passive_force_strain07", soft_passive.calcPassiveForceMultiplier, FIBER_LENGTH_GRID
    )

    meta: dict[str, object] = {
        "opensim_version": str(getattr(osim, "__version__", "unknown")),
        "opensim_build": str(osim.GetVersionAndDate()),
        "generated_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "default_properties": muscle_properties(default),
        "curve_overrides": {
            "tendon_force_strain033": {"tendon_strain_at_one_norm_force": TENDON_STRAIN_CASE},
            "passive_force_strain07": {
                "passive_fiber_strain_at_one_norm_force": PASSIVE_STRAIN_CASE
            },
        },
        "class_constants": {
            "min_norm_fiber_length": default.getMinNormalizedFiberLength(),
            "max_norm_fiber_length": default.getMaxNormalizedFiberLength(),
            "min_norm_tendon_force": default.getMinNormalizedTendonForce(),
            "max_norm_tendon_force": default.getMaxNormalizedTendonForce(),
        },
    }
    return rows, meta


def write_csv(path: Path, rows: list[tuple[str, float, float]], meta: dict[str, object]) -> None:
    """Write the long-format CSV with ``#`` comment header lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = [
        "# OpenSim DeGrooteFregly2016Muscle reference curves for MyoAxis tests.",
        f"# OpenSim {meta['opensim_version']} ({meta['opensim_build']}), "
        f"generated {meta['generated_utc']} by scripts/opensim_reference_curves.py",
        "# x: normalised fibre length (active_force_length, passive_force*), "
        "normalised fibre velocity in [-1, 1] with positive = lengthening "
        "(force_velocity), normalised tendon length (tendon_force*).",
        "# metadata: " + json.dumps(meta, sort_keys=True),
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        for line in header:
            fh.write(line + "\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["curve", "x", "y"])
        for curve, x, y in rows:
            writer.writerow([curve, repr(x), repr(y)])


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"output CSV path (default: {DEFAULT_OUTPUT.relative_to(REPO_ROOT)})",
    )
    args = parser.parse_args(argv)

    try:
        import opensim as osim  # optional dependency, only needed here
    except ImportError:
        print(
            "error: the 'opensim' package is required "
            "(pip install opensim in a separate virtual environment)",
            file=sys.stderr,
        )
        return 1

    rows, meta = build_rows(osim)
    write_csv(args.output, rows, meta)
    print(f"wrote {len(rows)} rows to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
