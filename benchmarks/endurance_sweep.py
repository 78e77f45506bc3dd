"""Endurance sweep: muscle groups x intensities x subjects, each held to task failure.

Runs the fast layer (closed-loop cortex, fatiguing motor-unit pool, muscle-tendon) for every
subject until it fails and prints, per batch, the wall time, the simulated time (the batch's
longest hold), the cost per simulated second and the median endurance time at each intensity.
A batch is one muscle group with all intensities (levels x subjects), or with
``--split-levels`` one group at one intensity (a batch then stops when its own last subject
fails, which saves the work of simulating already-failed short holds). ``--workers`` runs
batches in parallel processes, the longest-expected (lowest intensity) first.

``--flatness 30 300`` instead times holds of those lengths (no failure rule, the same batch)
and prints the cost per simulated second of each and their ratio: the fast layer's cost per
simulated second must stay flat as bouts get longer (nothing grows with history).

    python benchmarks/endurance_sweep.py                     # 6 groups x 7 levels x 100
    python benchmarks/endurance_sweep.py --subjects 5 --groups grip
    python benchmarks/endurance_sweep.py --split-levels --workers 16 --threads 1 --json s.json
    python benchmarks/endurance_sweep.py --subjects 10 --groups grip --flatness 30 300
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

import numba
import numpy as np

from myoaxis.body import Body
from myoaxis.bouts import Failure, FastSettings, isometric
from myoaxis.conditions import subject_parameters
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.muscle_state import MuscleState

GROUPS = (
    "grip",
    "elbow_flexors",
    "shoulder_flexors",
    "trunk_extensors",
    "knee_extensors",
    "ankle_plantarflexors",
)
LEVELS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
MAX_HOLD = 7200.0  # s; a subject still holding then counts as not failed (nan)


def hold(group, levels, subjects, mode, dt, duration, to_failure):
    """One batch (levels x subjects) holding its targets; returns (wall s, simulated s, ET)."""
    n = subjects * len(levels)
    overrides = {"fast.dt": dt, "fast.output_period": "100 ms"}
    params = [
        subject_parameters("healthy_adult", "male", 30.0, overrides=overrides) for _ in range(n)
    ]
    body = Body(params, np.full(n, 75.0))
    loads = np.repeat(levels, subjects)
    settings = FastSettings.from_body(body, mode)
    start = time.perf_counter()
    bout = isometric(
        body,
        MuscleState.rested(body, group),
        lambda _t: loads,
        duration,
        settings,
        SubjectRNG(subject_streams(1, n)),
        failure=Failure(0.1, 3.0) if to_failure else None,
    )
    return time.perf_counter() - start, bout.duration, bout.failure_time


def sweep(group, levels, subjects, mode, dt) -> dict:
    """Every subject of one batch held to failure; the row the report prints."""
    wall, simulated, et = hold(group, levels, subjects, mode, dt, MAX_HOLD, True)
    return {
        "group": group,
        "levels": list(levels),
        "subjects": subjects * len(levels),
        "wall_s": wall,
        "simulated_s": simulated,
        "ms_per_simulated_s": 1e3 * wall / simulated,
        "median_et_s": [float(x) for x in np.nanmedian(et.reshape(len(levels), -1), axis=1)],
        "not_failed": int(np.isnan(et).sum()),
    }


def flatness(group, levels, subjects, mode, dt, durations, repeats) -> dict:
    """Cost per simulated second (median of ``repeats``) of holds of each duration."""
    hold(group, levels, subjects, mode, dt, 0.2, False)  # compile and warm up
    walls = {d: [] for d in durations}
    for _ in range(repeats):  # interleaved, so that a change of machine load hits all lengths
        for d in durations:
            walls[d].append(hold(group, levels, subjects, mode, dt, d, False)[0])
    wall = {d: statistics.median(w) for d, w in walls.items()}
    (d0, w0), (d1, w1) = min(wall.items()), max(wall.items())
    return {
        "group": group,
        "subjects": subjects * len(levels),
        "ms_per_simulated_s": {d: 1e3 * w / d for d, w in wall.items()},
        # the extra seconds of the longest hold over the shortest, without set-up costs
        "marginal_ms_per_simulated_s": 1e3 * (w1 - w0) / (d1 - d0),
    }


def _limit_threads(threads: int) -> None:
    numba.set_num_threads(threads)


def _run(fn, jobs, workers: int, threads: int, show) -> list:
    """``fn`` over ``jobs``, ``show``-ing each result as it comes; results in job order."""
    _limit_threads(threads)
    if workers <= 1:
        return [show(fn(*job)) for job in jobs]
    hold(jobs[0][0], LEVELS[:1], 1, jobs[0][3], jobs[0][4], 0.05, False)  # fill numba's cache
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, ctx, initializer=_limit_threads, initargs=(threads,)) as ex:
        futures = {ex.submit(fn, *job): i for i, job in enumerate(jobs)}
        done = {futures[f]: show(f.result()) for f in as_completed(futures)}
    return [done[i] for i in range(len(jobs))]


def _show_flatness(row: dict) -> dict:
    cost = list(row["ms_per_simulated_s"].items())
    print(
        f"{row['group']:22s} {row['subjects']:5d} subjects  "
        + "  ".join(f"{d:g} s: {c:7.1f} ms/s" for d, c in cost)
        + f"  ratio {cost[-1][1] / cost[0][1]:.2f}  marginal (longest - shortest) "
        f"{row['marginal_ms_per_simulated_s']:7.1f} ms/s, "
        f"ratio {row['marginal_ms_per_simulated_s'] / cost[0][1]:.2f}",
        flush=True,
    )
    return row


def _show_sweep(row: dict) -> dict:
    levels = "/".join(f"{x:.0%}" for x in row["levels"]) if len(row["levels"]) < 3 else "all"
    print(
        f"{row['group']:22s} {levels:5s} {row['subjects']:5d} subjects  wall {row['wall_s']:7.1f} s"
        f"  simulated {row['simulated_s']:7.1f} s  {row['ms_per_simulated_s']:7.2f} ms per "
        "simulated s  median ET "
        + " ".join(f"{x:.0f}" for x in row["median_et_s"])
        + (f"  ({row['not_failed']} held {MAX_HOLD:.0f} s)" if row["not_failed"] else ""),
        flush=True,
    )
    return row


def _summary(rows: list[dict], groups: list[str]) -> None:
    print(f"median endurance time (s) at {' '.join(f'{x:.0%}' for x in LEVELS)} MVC")
    for group in groups:
        et = {
            lv: x
            for r in rows
            if r["group"] == group
            for lv, x in zip(r["levels"], r["median_et_s"], strict=True)
        }
        print(f"{group:22s} " + " ".join(f"{et[lv]:5.0f}" for lv in LEVELS))
    work = sum(r["wall_s"] for r in rows)
    simulated = sum(r["simulated_s"] for r in rows)
    print(f"batches: {len(rows)}, {simulated:.0f} s simulated, {work:.1f} s of batch wall time")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--subjects", type=int, default=100, help="subjects per intensity")
    ap.add_argument("--groups", nargs="*", default=list(GROUPS))
    ap.add_argument("--mode", default="spiking", choices=("spiking", "mean_field"))
    ap.add_argument("--dt", default="5 ms")
    ap.add_argument("--split-levels", action="store_true", help="one batch per intensity")
    ap.add_argument("--workers", type=int, default=1, help="batches run in parallel processes")
    ap.add_argument("--threads", type=int, default=numba.get_num_threads(), help="per worker")
    ap.add_argument("--flatness", nargs="*", type=float, metavar="SECONDS")
    ap.add_argument("--repeats", type=int, default=3, help="timings per flatness duration")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()
    print(
        f"{args.mode}, dt {args.dt}, {args.subjects} subjects per level, "
        f"{args.workers} worker(s) x {args.threads} thread(s), {os.cpu_count()} cpus, "
        f"numba {numba.__version__}, numpy {np.__version__}",
        flush=True,
    )
    start = time.perf_counter()
    common = (args.subjects, args.mode, args.dt)
    if args.flatness:
        print("cost per simulated second (median of repeats) by hold length", flush=True)
        jobs = [(g, LEVELS, *common, args.flatness, args.repeats) for g in args.groups]
        rows = _run(flatness, jobs, args.workers, args.threads, _show_flatness)
    else:
        if args.split_levels:  # lowest level (longest hold) first
            jobs = [(g, (lv,), *common) for lv in LEVELS for g in args.groups]
        else:
            jobs = [(g, LEVELS, *common) for g in args.groups]
        rows = _run(sweep, jobs, args.workers, args.threads, _show_sweep)
        _summary(rows, args.groups)
    wall = time.perf_counter() - start
    print(f"wall {wall:.1f} s")
    if args.json:
        report = {"args": vars(args), "cpus": os.cpu_count(), "wall_s": wall, "rows": rows}
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
