"""The slow layer against libRoadRunner on its own SBML export: one subject, then a cohort.

Scenario (``examples/week_of_training.toml``): 7 days, each with three meals, a 45-min ride at
60 %VO2max and a night's sleep. The scenario is run once through MyoAxis (fast layer included)
to record the slow layer's input schedule; the timings then compare the slow layer alone:

* **one subject**: MyoAxis replays the schedule (``SlowLayer.replay``: numba kernel, SciPy
  ``odeint``) vs libRoadRunner simulating the exported SBML (CVODE, LLVM-compiled model; the
  load/compile time is printed apart). Both sample the same grid; the maximum relative
  difference of every slow variable is printed.
* **cohort**: MyoAxis integrates N subjects as one batch (banded Jacobian) vs libRoadRunner
  looping over the N subjects (set the subject's parameters, reset, simulate). Every
  parameter is scaled per subject by a log-normal factor (SD 5 %), so no two subjects are alike;
  a few subjects are checked against each other.

Times are medians of ``--repeat`` runs after one warm-up (numba compilation excluded, printed).

Usage: python benchmarks/slow_layer.py [--subjects 1000] [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import libsbml
import numpy as np
import roadrunner

import myoaxis as mx
from myoaxis.body import Body
from myoaxis.core.expressions import python_name
from myoaxis.io.sbml import slow_layer_document
from myoaxis.slow import SlowLayer

SCENARIO = Path(__file__).resolve().parents[1] / "examples" / "week_of_training.toml"
TOL = 1e-10


def median_time(fn, repeat: int) -> tuple[float, object]:
    out = fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def cohort_body(body: Body, n: int) -> Body:
    return Body(list(body.params) * n, np.repeat(body.body_mass, n), body.age)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--subjects", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    sim = mx.Simulation(mx.Scenario.from_toml(SCENARIO))
    sim.run()
    source = sim.slow_layer
    schedule, period = source.schedule, source.period
    model = source.model
    names = [*(s.name for s in model.states), *(a.name for a in model.assignments)]

    def ours(body: Body, parameters: np.ndarray | None = None) -> SlowLayer:
        layer = SlowLayer(body, period)
        if parameters is not None:
            layer.parameters = parameters
            layer.y = layer.model.kernels["initial"](parameters)
        layer.replay(schedule)
        return layer

    t0 = time.perf_counter()
    ours(sim.body)
    first_call = time.perf_counter() - t0
    t_ours, layer = median_time(lambda: ours(sim.body), args.repeat)
    times, values = layer.series()

    sbml = libsbml.writeSBMLToString(slow_layer_document(source))
    roadrunner.RoadRunner(sbml).simulate(0, 1, 2)  # see tests/test_sbml.py: first-instance stall
    t0 = time.perf_counter()
    rr = roadrunner.RoadRunner(sbml)
    t_load = time.perf_counter() - t0
    rr.integrator.relative_tolerance = TOL
    rr.integrator.absolute_tolerance = TOL
    rr.integrator.maximum_num_steps = 100_000

    def replay_rr():
        rr.reset()
        return rr.simulate(times=times, selections=["time", *names])

    t_rr, result = median_time(replay_rr, args.repeat)
    rel = [
        np.max(np.abs(result[:, k + 1] - values[k, 0]) / np.maximum(np.abs(values[k, 0]), 1e-9))
        for k in range(len(names))
    ]
    worst = int(np.argmax(rel))

    # -- cohort ---------------------------------------------------------------------------------
    n = args.subjects
    rng = np.random.default_rng(7)
    big = cohort_body(sim.body, n)
    base = SlowLayer(big, period).parameters
    params = base * rng.lognormal(0.0, 0.05, base.shape)
    t_batch, batch = median_time(lambda: ours(big, params), max(1, args.repeat // 2))
    _, batch_values = batch.series()
    ids = [python_name(p) for p in model.parameters]

    def loop_rr():
        out = []
        for s in range(n):
            rr.resetAll()
            for pid, v in zip(ids, params[:, s], strict=True):
                rr.setValue(pid, float(v))
            rr.reset()
            out.append(rr.simulate(times=times, selections=[names[0]])[:, 0])
        return out

    t_loop, looped = median_time(loop_rr, max(1, args.repeat // 2))
    checked = [0, n // 2, n - 1]
    cohort_rel = max(
        float(np.max(np.abs(looped[s] - batch_values[0, s]) / np.abs(batch_values[0, s])))
        for s in checked
    )

    report = {
        "states": len(model.states),
        "simulated_days": float(layer.t / 86400.0),
        "myoaxis_one_subject_s": t_ours,
        "myoaxis_first_call_with_compilation_s": first_call,
        "roadrunner_load_s": t_load,
        "roadrunner_one_subject_s": t_rr,
        "ratio_one_subject_myoaxis_over_roadrunner": t_ours / t_rr,
        "max_relative_difference": float(rel[worst]),
        "worst_variable": names[worst],
        "cohort_subjects": n,
        "myoaxis_batch_s": t_batch,
        "roadrunner_loop_s": t_loop,
        "ratio_cohort_myoaxis_over_roadrunner": t_batch / t_loop,
        "cohort_max_relative_difference_checked_subjects": cohort_rel,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for k, v in report.items():
        print(f"{k:52s} {v:.4g}" if isinstance(v, float) else f"{k:52s} {v}")


if __name__ == "__main__":
    main()
