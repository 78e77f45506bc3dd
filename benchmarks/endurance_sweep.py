"""Endurance sweep: muscle groups x intensities x subjects, each held to task failure.

Runs the fast layer (closed-loop cortex, fatiguing motor-unit pool, muscle-tendon) for every
subject until it fails, one batch per muscle group (intensities x subjects as the batch), and
prints the wall time, the simulated time and the cost per simulated second as bouts get
longer (it should stay flat: nothing grows with history).

    python benchmarks/endurance_sweep.py                     # 6 groups x 7 levels x 100
    python benchmarks/endurance_sweep.py --subjects 5 --groups grip
"""

from __future__ import annotations

import argparse
import time

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


def sweep(group: str, subjects: int, mode: str, dt: str) -> tuple[float, float, np.ndarray]:
    n = subjects * len(LEVELS)
    overrides = {"fast.dt": dt, "fast.output_period": "100 ms"}
    params = [
        subject_parameters("healthy_adult", "male", 30.0, overrides=overrides) for _ in range(n)
    ]
    body = Body(params, np.full(n, 75.0))
    loads = np.repeat(LEVELS, subjects)
    settings = FastSettings.from_body(body, mode)
    start = time.perf_counter()
    bout = isometric(
        body,
        MuscleState.rested(body, group),
        lambda _t: loads,
        7200.0,
        settings,
        SubjectRNG(subject_streams(1, n)),
        failure=Failure(0.1, 3.0),
    )
    return time.perf_counter() - start, bout.duration, bout.failure_time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--subjects", type=int, default=100)
    ap.add_argument("--groups", nargs="*", default=list(GROUPS))
    ap.add_argument("--mode", default="spiking", choices=("spiking", "mean_field"))
    ap.add_argument("--dt", default="5 ms")
    args = ap.parse_args()
    total_wall = total_sim = 0.0
    print(f"{args.mode}, dt {args.dt}, {args.subjects} subjects x {len(LEVELS)} levels")
    for group in args.groups:
        wall, simulated, et = sweep(group, args.subjects, args.mode, args.dt)
        median = np.nanmedian(et.reshape(len(LEVELS), -1), axis=1)
        total_wall += wall
        total_sim += simulated
        print(
            f"{group:22s} wall {wall:7.1f} s  simulated {simulated:7.1f} s  "
            f"{1e3 * wall / simulated:6.2f} ms per simulated s  median ET "
            + " ".join(f"{x:.0f}" for x in median)
        )
    print(f"total wall {total_wall:.1f} s for {total_sim:.0f} s simulated batches")


if __name__ == "__main__":
    main()
