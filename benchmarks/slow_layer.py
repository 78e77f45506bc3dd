"""The slow layer against libRoadRunner on its own SBML export: one subject, then a cohort.

Scenario (``examples/week_of_training.toml``): 7 days, each with three meals, a 45-min ride at
60 %VO2max and a night's sleep. The scenario is run once through MyoAxis (fast layer included)
to record the slow layer's input schedule; the timings then compare the slow layer alone:

* **one subject**: MyoAxis replays the schedule (``SlowLayer.replay``: numba kernel, SciPy
  ``odeint``) vs libRoadRunner simulating the exported SBML (CVODE, LLVM-compiled model; the
  load/compile time is printed apart). Both solvers run at the same tolerances (relative 1e-8,
  absolute 1e-8 × each state's scale, :func:`myoaxis.io.sbml.roadrunner_replay`) and sample the
  same grid; the maximum relative difference of the states and of every slow variable is
  printed (relative to the value, floored at 1e-6 of the variable's range).
* **cohort**: MyoAxis integrates N subjects as one batch (banded Jacobian) vs libRoadRunner
  looping over the subjects (set the subject's parameters, reset, simulate). Every parameter is
  scaled per subject by a log-normal factor (SD 5 %), so no two subjects are alike; three
  subjects are checked against each other. libRoadRunner's loop is timed over
  ``--loop-sample`` subjects and projected linearly to N (the subjects are independent runs of
  the same cost); ``--loop-sample N`` times the whole loop.

A third comparison, **rest week**, integrates the same 7 days with the inputs at rest (no
events), to separate the solvers' cost from that of the events: libRoadRunner checks every
event's trigger at every step, so its cost grows with the number of input changes (1933 here).

Times are medians of ``--repeat`` runs after one warm-up (numba compilation excluded, printed).

Usage: python benchmarks/slow_layer.py [--subjects 1000] [--loop-sample 20] [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import libsbml
import numpy as np
from report import print_report

import myoaxis as mx
from myoaxis.body import Body
from myoaxis.core.expressions import python_name
from myoaxis.io.sbml import roadrunner_replay, slow_layer_document
from myoaxis.slow import SlowLayer

SCENARIO = Path(__file__).resolve().parents[1] / "examples" / "week_of_training.toml"


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


def relative_difference(theirs: np.ndarray, ours: np.ndarray) -> np.ndarray:
    """Per variable (rows of ``ours``; columns of ``theirs``), the largest difference relative
    to the value, floored at 1e-6 of the variable's range."""
    floor = 1e-6 * np.abs(ours).max(axis=1, keepdims=True)
    floor[floor == 0] = 1e-6
    return np.max(np.abs(theirs.T - ours) / np.maximum(np.abs(ours), floor), axis=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--subjects", type=int, default=1000)
    ap.add_argument("--loop-sample", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    sim = mx.Simulation(mx.Scenario.from_toml(SCENARIO))
    sim.run()
    source = sim.slow_layer
    schedule, period, model = source.schedule, source.period, source.model
    names = [*(s.name for s in model.states), *(a.name for a in model.assignments)]
    n_states = len(model.states)

    def ours(body: Body, parameters: np.ndarray | None = None) -> SlowLayer:
        layer = SlowLayer(body, period)
        if parameters is not None:
            layer.parameters = parameters
            layer.y = layer.model.kernels["initial"](parameters)
        layer.replay(schedule)
        return layer

    def at_rest() -> SlowLayer:
        layer = SlowLayer(sim.body, period)
        layer.advance(source.t)
        return layer

    t0 = time.perf_counter()
    ours(sim.body)
    first_call = time.perf_counter() - t0
    report = {"states": n_states, "simulated_days": source.t / 86400.0}
    report["myoaxis_first_call_with_compilation_s"] = first_call

    rr = None
    for label, make in (("week", lambda: ours(sim.body)), ("rest_week", at_rest)):
        t_ours, layer = median_time(make, args.repeat)
        times, values = layer.series()
        sbml = libsbml.writeSBMLToString(slow_layer_document(layer))
        t0 = time.perf_counter()
        rr = roadrunner_replay(sbml, layer)
        t_load = time.perf_counter() - t0

        def replay(rr=rr, times=times):
            rr.reset()
            return rr.simulate(times=times, selections=names)

        t_rr, result = median_time(replay, args.repeat)
        rel = relative_difference(result, values[:, 0])
        worst = int(np.argmax(rel))
        report |= {
            f"{label}_events": int(rr.model.getNumEvents()),
            f"{label}_myoaxis_s": t_ours,
            f"{label}_roadrunner_s": t_rr,
            f"{label}_roadrunner_load_s": t_load,
            f"{label}_ratio_myoaxis_over_roadrunner": t_ours / t_rr,
            f"{label}_max_relative_difference_states": float(rel[:n_states].max()),
            f"{label}_max_relative_difference_all_variables": float(rel[worst]),
            f"{label}_worst_variable": names[worst],
        }
        if label == "week":
            week_rr, week_times = rr, times

    # -- cohort ---------------------------------------------------------------------------------
    n = args.subjects
    rng = np.random.default_rng(7)
    big = cohort_body(sim.body, n)
    base = SlowLayer(big, period).parameters
    params = base * rng.lognormal(0.0, 0.05, base.shape)
    t_batch, batch = median_time(lambda: ours(big, params), max(1, args.repeat // 2))
    _, batch_values = batch.series()
    ids = [python_name(p) for p in model.parameters]
    sample = min(n, args.loop_sample)
    state_names = names[:n_states]

    def loop_rr():
        out = []
        for s in range(sample):
            week_rr.resetAll()
            for pid, v in zip(ids, params[:, s], strict=True):
                week_rr.setValue(pid, float(v))
            week_rr.reset()
            out.append(week_rr.simulate(times=week_times, selections=state_names))
        return out

    t_sample, looped = median_time(loop_rr, max(1, args.repeat // 2))
    t_loop = t_sample * n / sample
    cohort_rel = max(
        float(relative_difference(looped[s], batch_values[:n_states, s]).max())
        for s in (0, sample // 2, sample - 1)
    )
    report |= {
        "cohort_subjects": n,
        "cohort_myoaxis_batch_s": t_batch,
        "cohort_roadrunner_loop_subjects_timed": sample,
        "cohort_roadrunner_loop_s" + ("" if sample == n else "_projected"): t_loop,
        "cohort_ratio_myoaxis_over_roadrunner": t_batch / t_loop,
        "cohort_max_relative_difference_states_checked_subjects": cohort_rel,
    }
    print_report(report, args.json)


if __name__ == "__main__":
    main()
