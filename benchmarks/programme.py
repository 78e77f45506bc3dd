"""A 12-week resistance programme: one subject, then a cohort of N subjects in one batch.

Issue 6's targets: a 12-week programme for one subject in under 5 s; 1,000 subjects in under
2 minutes on 2 cores.

Scenario: a 72-year-old woman (``healthy_adult``, 65 kg) does ``Assess 1RM knee_extensors``,
then 3 sessions a week for 12 weeks of ``Resistance knee_extensors 3x8 at 70 %1RM, rest 90 s``
(load +5 % after every session whose sets all complete), then ``Assess 1RM knee_extensors``
again. The whole run is timed (``Simulation(scenario).run()``: scenario → programme, fast
layer's quasi-static sets and 1RM lifts, slow layer between sessions, results tree), with the
scenario's default outputs (``outputs.slow_period = "auto"``: 15 min over 12 weeks).

* **one subject**: the median of ``--repeat`` runs after a warm-up run, whose time (numba
  compilation, or loading from numba's on-disk cache, included) is printed apart.
* **cohort**: N subjects as ONE batch: the scenario's subject built by ``Simulation.build``,
  then copied N times with ``muscle.knee_extensors.max_isometric_force`` scaled by a log-normal
  factor (SD 10 %) and body mass 65 kg ± 10 % (uniform), seeded, so no two subjects are alike.
  Printed: the batch's wall time (``--cohort-repeat`` runs, no warm-up: the one-subject runs
  compiled every kernel), the cost per subject and the batching gain, N × the one-subject time
  / the batch time. ``--workers K`` also runs the cohort split into K slices, each a batch in
  its own process (``ProcessPoolExecutor``, spawn, numba threads per worker = cores / K): the
  time from submitting the slices to having every slice's 1RM back; starting the workers and
  warming each with a one-week, one-subject run is timed apart. The 1RM before and after
  (mean ± SD over subjects) is printed as a sanity check, and the largest difference between
  the two ways of running the cohort.

Memory: a batch keeps the slow variables the scenario reports and the risk engine reads (6 here)
for every subject and sample, and grows with the batch by about 4 x those samples' 8 bytes (the
rest is the subjects' parameters and fast-layer arrays): measured peaks 0.47, 0.64 and 1.87 GB
for 100, 200 and 1,000 subjects over 12 weeks at the default 15-min period (8,068 samples). The
cohort is skipped, with the estimate printed, when that exceeds 80 % of the available memory;
a coarser ``--slow-period`` (e.g. "1 h") or fewer ``--subjects`` then fit. Peak memory is
printed.

``--quick`` (2 weeks, 50 subjects, one repeat) is what the smoke test runs.

Usage: python benchmarks/programme.py [--subjects 1000] [--weeks 12] [--workers 2]
       [--repeat 3] [--cohort-repeat 1] [--slow-period auto] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

import numba
import numpy as np
from report import print_report

from myoaxis.body import Body
from myoaxis.scenario import Scenario
from myoaxis.simulation import Simulation

FORCE = "muscle.knee_extensors.max_isometric_force"
FORCE_SD = 0.10  # log-normal SD of the per-subject strength factor
MASS_SPREAD = 0.10  # body mass uniform within ± this fraction
SEED = 6
BASE_GB = 0.35  # a process with myoaxis and its compiled kernels loaded
SERIES_FACTOR = 4.0  # peak memory per 8-byte kept sample (fit of 100, 200, 1,000 subjects)
MEMORY_SHARE = 0.8  # the cohort is skipped if its estimated peak exceeds this share of RAM


def scenario_dict(weeks: int, slow_period: str = "auto") -> dict:
    return {
        "schema_version": 1,
        "name": f"{weeks}-week knee-extensor programme, woman aged 72",
        "seed": SEED,
        "subject": {
            "preset": "healthy_adult",
            "sex": "female",
            "age_years": 72,
            "body_mass_kg": 65,
        },
        "protocol": [
            {"step": "Assess 1RM knee_extensors"},
            {
                "repeat": f"3 per week for {weeks} weeks",
                "progression": "increase load 5 % when all sets complete",
                "steps": ["Resistance knee_extensors 3x8 at 70 %1RM, rest 90 s"],
            },
            {"step": "Assess 1RM knee_extensors"},
        ],
        "outputs": {"slow_period": slow_period},
    }


def median_time(fn, repeat: int, warm_up: bool = True) -> tuple[float, float, object]:
    """(warm-up call's time, median of ``repeat`` calls after it, last result)."""
    first = math.nan
    if warm_up:
        t0 = time.perf_counter()
        out = fn()
        first = time.perf_counter() - t0
    times = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return first, statistics.median(times), out


def variations(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Per-subject strength factor (log-normal, SD ``FORCE_SD``) and body mass (kg)."""
    rng = np.random.default_rng(seed)
    factor = rng.lognormal(0.0, FORCE_SD, n)
    mass = 65.0 * rng.uniform(1.0 - MASS_SPREAD, 1.0 + MASS_SPREAD, n)
    return factor, mass


def one_rm(results) -> np.ndarray:
    """1RM (N) per assessment (rows, in time order) and subject (columns)."""
    records = [r for r in results.assessments if r["test"] == "1RM"]
    steps = list(dict.fromkeys(r["step"] for r in records))  # records come in time order
    n = 1 + max(r["subject"] for r in records)
    out = np.full((len(steps), n), np.nan)
    for r in records:
        out[steps.index(r["step"]), r["subject"]] = r["value"]
    return out


def peak_memory_gb() -> float:
    """This process's peak resident memory so far (Linux ``VmHWM``; not ``ru_maxrss``, which a
    spawned worker inherits from its parent's peak)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 2**20


def run_cohort(data: dict, factor: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """One batch of ``len(factor)`` subjects through the scenario; their 1RM (see one_rm)."""
    sim = Simulation(Scenario.from_dict(data, "benchmark programme")).build()
    base = sim.body.params[0]
    force = base.value(FORCE)
    params = [base.with_values({FORCE: force * f}, "benchmark cohort") for f in factor]
    sim.body = Body(params, mass, sim.body.age[0])
    return one_rm(sim.run())


def _run_slice(data: dict, factor: np.ndarray, mass: np.ndarray):
    return run_cohort(data, factor, mass), peak_memory_gb(), os.getpid()


def run_split(pool, data, factor, mass, workers: int) -> tuple[np.ndarray, float, int]:
    """The cohort in ``workers`` slices: 1RM of all, the sum of the workers' peak memory and the
    number of processes that ran the slices."""
    slices = np.array_split(np.arange(len(factor)), workers)
    done = [f.result() for f in [pool.submit(_run_slice, data, factor[s], mass[s]) for s in slices]]
    rm = np.concatenate([x[0] for x in done], axis=1)
    return rm, sum(x[1] for x in done), len({x[2] for x in done})


def _started(barrier) -> int:
    """Blocks until every worker runs one of these, so that each of them is started."""
    barrier.wait()
    return os.getpid()


def spread(x: np.ndarray) -> str:
    return f"{np.mean(x):.0f} ± {np.std(x):.0f}"


def available_memory_gb() -> float:
    with open("/proc/meminfo") as f:
        info = dict(line.split(":", 1) for line in f)
    return int(info["MemAvailable"].split()[0]) / 2**20


def estimated_peak_gb(sim: Simulation, subjects: int) -> float:
    """Peak memory of a batch, dominated by the slow layer's samples of the variables it keeps
    (the outputs and the risk engine's series) and the series built from them at the end."""
    layer = sim.slow_layer
    return BASE_GB + SERIES_FACTOR * len(layer.kept) * subjects * layer.n_samples * 8 / 2**30


def _warm_worker(threads: int, data: dict) -> None:
    """Worker initializer: numba threads, then one subject's run (numba's caches loaded)."""
    numba.set_num_threads(threads)
    Simulation(Scenario.from_dict(data, "benchmark warm-up")).run()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--subjects", type=int, default=1000)
    ap.add_argument("--weeks", type=int, default=12)
    ap.add_argument("--workers", type=int, default=2, help="also time the cohort in K processes")
    ap.add_argument("--repeat", type=int, default=3, help="timed one-subject runs")
    ap.add_argument("--cohort-repeat", type=int, default=1, help="timed cohort runs")
    ap.add_argument("--slow-period", default="auto", help="outputs.slow_period of the scenario")
    ap.add_argument("--quick", action="store_true", help="2 weeks, 50 subjects, 1 repeat")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.quick:
        args.weeks, args.subjects, args.repeat = 2, min(args.subjects, 50), 1
    data = scenario_dict(args.weeks, args.slow_period)
    scenario = Scenario.from_dict(data, "benchmark programme")
    report: dict = {
        "weeks": args.weeks,
        "sessions": 3 * args.weeks,
        "slow_period_s": scenario.slow_period,
        "cpus": os.cpu_count(),
        "numba_threads": numba.get_num_threads(),
    }

    # -- one subject ----------------------------------------------------------------------------
    def one() -> tuple[Simulation, object]:
        sim = Simulation(scenario)
        return sim, sim.run()

    first, t_one, (sim, res) = median_time(one, args.repeat)
    rm = one_rm(res)[:, 0]
    report |= {
        "one_subject_first_run_with_compilation_s": first,
        "one_subject_s": t_one,
        "one_subject_1rm_before_n": float(rm[0]),
        "one_subject_1rm_after_n": float(rm[-1]),
        "slow_samples": sim.slow_layer.n_samples,
        "slow_variables_kept": len(sim.slow_layer.kept),
    }

    # -- cohort, one batch ----------------------------------------------------------------------
    n = args.subjects
    need, have = estimated_peak_gb(sim, n), available_memory_gb()
    report |= {"cohort_subjects": n, "cohort_estimated_peak_memory_gb": need}
    if need > MEMORY_SHARE * have:
        report["cohort_skipped"] = (
            f"needs about {need:.0f} GB, {have:.0f} GB available: use fewer --subjects or a "
            "coarser --slow-period"
        )
        return print_report(report, args.json)
    factor, mass = variations(n)
    # no warm-up: the one-subject runs compiled every kernel (numba does not specialise on size)
    _, t_batch, rm = median_time(lambda: run_cohort(data, factor, mass), args.cohort_repeat, False)
    report |= {
        "cohort_batch_s": t_batch,
        "cohort_batch_per_subject_ms": 1e3 * t_batch / n,
        "cohort_batching_gain": n * t_one / t_batch,
        "cohort_1rm_before_n": spread(rm[0]),
        "cohort_1rm_after_n": spread(rm[-1]),
        "cohort_batch_peak_memory_gb": peak_memory_gb(),
    }

    # -- cohort, split over processes -----------------------------------------------------------
    k = min(args.workers, n)
    if k > 1:
        threads = max(1, (os.cpu_count() or 1) // k)
        ctx = multiprocessing.get_context("spawn")
        warm = scenario_dict(1, args.slow_period)
        with (
            ctx.Manager() as manager,
            ProcessPoolExecutor(k, ctx, initializer=_warm_worker, initargs=(threads, warm)) as ex,
        ):
            t0 = time.perf_counter()  # k workers started and warmed up
            barrier = manager.Barrier(k)
            [f.result() for f in [ex.submit(_started, barrier) for _ in range(k)]]
            t_start = time.perf_counter() - t0
            _, t_split, (rm_split, gb, processes) = median_time(
                lambda: run_split(ex, data, factor, mass, k), args.cohort_repeat, False
            )
        report |= {
            "cohort_workers": k,
            "cohort_workers_processes_used": processes,
            "cohort_threads_per_worker": threads,
            "cohort_workers_start_and_warm_up_s": t_start,
            "cohort_workers_s": t_split,
            "cohort_workers_speed_up_over_batch": t_batch / t_split,
            "cohort_workers_peak_memory_gb_sum": gb,
            # the same subjects in smaller batches: differences come from the solvers' error
            # control, which a batch shares
            "cohort_workers_max_relative_1rm_difference": float(np.max(np.abs(rm_split - rm) / rm)),
        }
    print_report(report, args.json)


if __name__ == "__main__":
    main()
