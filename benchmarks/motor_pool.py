"""Benchmark: the Fuglevand motor-unit pool in MyoAxis versus Brian2, in one run.

Same pool (120 units, RR 30, 8 → 35/25 Hz, CV 0.2, RP 100, RT 3, T_L 90 ms), a 60-s linear
ramp of excitation from 0 to maximum, step 0.1 ms. MyoAxis runs in this process (numba kernel,
compiled once before timing); Brian2 runs ``benchmarks/brian2_pool.py`` in its own environment
(Brian2 2.9 needs numpy < 2.4), given by ``--brian2-python`` or ``$MYOAXIS_BRIAN2_PYTHON``::

    python3 -m venv .venv-brian2 && .venv-brian2/bin/pip install "brian2==2.9.0" "numpy<2.4" cython
    python benchmarks/motor_pool.py --brian2-python .venv-brian2/bin/python [--json]

Printed: median wall time of each (Brian2: the run only, compilation excluded), their ratio,
and the relative difference of the mean force normalised by the pool's maximal mean force.
MyoAxis's spike times are continuous, so its step only sets how often force is sampled; it is
timed both at Brian2's 0.1 ms and at its own default 1 ms. ``--cohort`` adds the 1,000
subjects × 120 units × 10 s case.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.physiology.neural import motor_pool

HERE = Path(__file__).resolve().parent


def pool(n_subjects: int) -> motor_pool.PoolProperties:
    """The FWP 1993 pool (first dorsal interosseous of the healthy_adult preset)."""
    params = subject_parameters("healthy_adult", "male", 30)
    body = Body([params] * n_subjects, np.full(n_subjects, 75.0))
    return body.pool("first_dorsal_interosseous")


def run_myoaxis(props: motor_pool.PoolProperties, duration: float, dt: float, seed: int = 1):
    """Normalised pool force of every subject over a linear ramp, ``(subjects, steps)``."""
    n_subjects = props.threshold.shape[0]
    state = motor_pool.PoolState.rest(props)
    n = round(duration / dt)
    u = np.broadcast_to(np.arange(1, n + 1) / n, (n_subjects, n))
    rng = SubjectRNG(subject_streams(seed, n_subjects))
    force, _ = motor_pool.advance(state, props, u, 0.0, dt, rng)
    return force


def timed(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def run_brian2(python: str, target: str, duration: float, dt_ms: float, repeats: int) -> dict:
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [
                python,
                str(HERE / "brian2_pool.py"),
                "--target",
                target,
                "--duration",
                str(duration),
                "--dt",
                str(dt_ms),
                "--json",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = runs[0]
    best["wall_s_run"] = statistics.median(r["wall_s_run"] for r in runs)
    return best


def brian2_max_force() -> float:
    """The pool's maximal mean force in Brian2's units (twitch peaks, unnormalised)."""
    props = pool(1)
    i = np.arange(1, props.n_units + 1)
    raw_peak = np.exp(np.log(100.0) / props.n_units * i)
    return float(raw_peak[0] / props.twitch_peak[0, 0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--brian2-python", default=os.environ.get("MYOAXIS_BRIAN2_PYTHON"))
    ap.add_argument("--target", default="cpp_standalone")
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--dt", type=float, default=0.1, help="ms")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cohort", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    one = pool(1)
    run_myoaxis(one, 0.01, 1e-3)  # compile the kernel (cached on disk afterwards)
    report: dict = {"compile_s": time.perf_counter() - t0}
    dt = args.dt * 1e-3
    wall, force = timed(lambda: run_myoaxis(one, args.duration, dt), args.repeats)
    report["myoaxis"] = {"dt_ms": args.dt, "wall_s": wall, "mean_force": float(force.mean())}
    wall_1ms, force_1ms = timed(lambda: run_myoaxis(one, args.duration, 1e-3), args.repeats)
    report["myoaxis_1ms"] = {
        "dt_ms": 1.0,
        "wall_s": wall_1ms,
        "mean_force": float(force_1ms.mean()),
    }
    if args.brian2_python:
        b2 = run_brian2(args.brian2_python, args.target, args.duration, args.dt, args.repeats)
        b2_mean = b2["mean_force"] / brian2_max_force()
        report["brian2"] = {
            "target": args.target,
            "wall_s_run": b2["wall_s_run"],
            "wall_s_build": b2["wall_s_build"],
            "mean_force": b2_mean,
        }
        report["speedup"] = b2["wall_s_run"] / wall
        report["speedup_1ms"] = b2["wall_s_run"] / wall_1ms
        report["mean_force_difference"] = report["myoaxis"]["mean_force"] / b2_mean - 1.0
    if args.cohort:
        cohort = pool(1000)
        wall_c, _ = timed(lambda: run_myoaxis(cohort, 10.0, 1e-3), 1)
        report["cohort"] = {
            "subjects": 1000,
            "units": 120,
            "seconds": 10.0,
            "dt_ms": 1.0,
            "wall_s": wall_c,
            "threads": int(os.cpu_count() or 1),
        }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    m = report["myoaxis"]
    print(
        f"MyoAxis  dt {args.dt} ms: {m['wall_s']:.3f} s (median of {args.repeats}); "
        f"1 ms: {wall_1ms:.3f} s; mean force {m['mean_force']:.4f} of max"
    )
    if "brian2" in report:
        b = report["brian2"]
        print(
            f"Brian2 {b['target']}: run {b['wall_s_run']:.3f} s (+ build {b['wall_s_build']:.1f}"
            f" s); mean force {b['mean_force']:.4f} of max"
        )
        print(
            f"ratio Brian2/MyoAxis: {report['speedup']:.1f}x at 0.1 ms, "
            f"{report['speedup_1ms']:.1f}x at 1 ms; mean-force difference "
            f"{100 * report['mean_force_difference']:+.2f} %"
        )
    else:
        print("Brian2 not run: pass --brian2-python (see the module docstring)", file=sys.stderr)
    if "cohort" in report:
        c = report["cohort"]
        print(
            f"cohort 1000 x 120 units x 10 s at 1 ms: {c['wall_s']:.2f} s on {c['threads']} threads"
        )


if __name__ == "__main__":
    main()
