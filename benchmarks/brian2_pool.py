"""Brian2 reference implementation and timing of the Fuglevand motor-unit pool.

Model: A. J. Fuglevand, D. A. Winter & A. E. Patla (1993), "Models of recruitment and
rate coding organization in motor-unit pools", J. Neurophysiol. 70(6):2470-2488.

120 units; recruitment thresholds RTE_i = exp(a i) (range 30); linear rate coding from
MFR = 8 Hz (gain 1 Hz per excitation unit) capped at PFR_i = 35 - 10 RTE_i/RTE_n Hz;
Gaussian renewal discharge (CV 0.2, z clipped to +-3.9, first spike at recruitment);
critically damped twitches f(t) = P t/T exp(1 - t/T) (range of P 100, of T 3, T_L 90 ms)
with the sigmoid twitch-fusion gain for T/ISI > 0.4. Excitation ramps linearly from 0 to
E_max = RTE_n + (PFR_n - MFR)/g_e over the run. Each twitch is the exact solution of a
linear 2-state system (dy/dt = -y/T, dz/dt = (y - z)/T; a spike adds g P e to y, so
z = g P t/T exp(1 - t/T)); the pool force (sum of z) is a summed variable of a 1-neuron
group, recorded every dt. Force is in units of twitch peaks (P_1 = exp(b) ~ 1.04).

Timing ("wall_s_build" / "wall_s_run"):
- cpp_standalone: build = network construction + code generation + compiling the whole
  project from scratch in a temporary directory (``device.build(run=False)``); run = wall
  time of ``device.run()``, i.e. the compiled binary including process start and writing
  results to disk. "brian_run_time_s" is the binary's own timing of the simulation loop
  (``device._last_run_time``).
- cython / numpy: build = network construction + ``net.run(0*ms)``, which generates and
  compiles all code objects (cython with an empty temporary cache, i.e. a cold build);
  run = wall time of ``net.run(duration)`` (code objects then come from the in-memory
  cache).
"mean_force_analytic" is the steady-state expectation sum_i P_i T_i e FR_i g_i averaged
over the ramp (ignores the ~T twitch lag and the dt rounding of each ISI).

Usage: python benchmarks/brian2_pool.py --target cpp_standalone --duration 60 --dt 0.1 --json
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

import brian2 as b2
import numpy as np

N, RR, RP, RT = 120, 30.0, 100.0, 3.0
PFR1, PFRD, MFR, GE, CV, TL = 35.0, 10.0, 8.0, 1.0, 0.2, 0.090  # Hz, Hz, Hz, Hz/unit, -, s


def pool_parameters() -> dict[str, np.ndarray | float]:
    i = np.arange(1, N + 1)
    rte = np.exp(np.log(RR) / N * i)
    pfr = PFR1 - PFRD * rte / rte[-1]
    p = np.exp(np.log(RP) / N * i)
    t_tw = TL * (1.0 / p) ** (np.log(RT) / np.log(RP))  # T_L (1/P)^(1/c)
    e_max = rte[-1] + (pfr[-1] - MFR) / GE
    return {"rte": rte, "pfr": pfr, "p": p, "t_tw": t_tw, "e_max": e_max}


def fusion_gain(x: np.ndarray) -> np.ndarray:
    s = lambda u: (1.0 - np.exp(-2.0 * u**3)) / u  # noqa: E731
    return np.where(x <= 0.4, 1.0, s(np.maximum(x, 0.4)) / s(0.4))


def analytic_force(par: dict, e: np.ndarray) -> np.ndarray:
    """Steady-state mean pool force at excitation levels ``e``."""
    fr = np.minimum(GE * (e[:, None] - par["rte"]) + MFR, par["pfr"])
    fr = np.where(e[:, None] >= par["rte"], fr, 0.0)
    g = fusion_gain(par["t_tw"] * fr)
    return (par["p"] * par["t_tw"] * np.e * fr * g).sum(axis=1)


def build_network(duration: float, par: dict):
    ns = {
        "E_max": par["e_max"], "duration": duration * b2.second, "g_e": GE * b2.Hz,
        "MFR": MFR * b2.Hz, "CV": CV, "S04": (1.0 - np.exp(-2.0 * 0.4**3)) / 0.4,
    }  # fmt: skip
    eqs = """
    dy/dt = -y / T : 1
    dz/dt = (y - z) / T : 1
    E = E_max * t / duration : 1 (shared)
    FR = clip(g_e * (E - RTE) + MFR, 0*Hz, PFR) : Hz
    t_next : second
    RTE : 1 (constant)
    PFR : Hz (constant)
    P : 1 (constant)
    T : second (constant)
    """
    reset = """
    x = T * FR
    y += (int(x <= 0.4) + int(x > 0.4) * (1 - exp(-2 * x**3)) / x / S04) * P * exp(1)
    t_next = t + (1 + CV * clip(randn(), -3.9, 3.9)) / FR
    """
    pool = b2.NeuronGroup(N, eqs, threshold="E >= RTE and t >= t_next", reset=reset,
                          method="exact", namespace=ns, name="pool")  # fmt: skip
    pool.RTE = par["rte"]
    pool.PFR = par["pfr"] * b2.Hz
    pool.P = par["p"]
    pool.T = par["t_tw"] * b2.second
    total = b2.NeuronGroup(1, "F : 1", name="total")
    summer = b2.Synapses(pool, total, "F_post = z_pre : 1 (summed)", name="summer")
    summer.connect()
    force_mon = b2.StateMonitor(total, "F", record=0, when="end", name="force_mon")
    spike_mon = b2.SpikeMonitor(pool, record=False, name="spike_mon")
    net = b2.Network(pool, total, summer, force_mon, spike_mon)
    return net, force_mon, spike_mon


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", choices=["cpp_standalone", "cython", "numpy"], default="cython")
    ap.add_argument("--duration", type=float, default=60.0, help="ramp duration [s]")
    ap.add_argument("--dt", type=float, default=0.1, help="time step [ms]")
    ap.add_argument("--seed", type=int, default=1993)
    ap.add_argument("--json", action="store_true", help="print only the JSON result")
    args = ap.parse_args()
    if args.json:
        b2.BrianLogger.suppress_hierarchy("brian2")
    tmp = tempfile.TemporaryDirectory(prefix="brian2_pool_")
    duration = args.duration * b2.second
    par = pool_parameters()

    t0 = time.perf_counter()
    if args.target == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=tmp.name, build_on_run=False)
    else:
        b2.prefs.codegen.target = args.target
        b2.prefs.codegen.runtime.cython.cache_dir = tmp.name
    b2.defaultclock.dt = args.dt * b2.ms
    b2.seed(args.seed)
    net, force_mon, spike_mon = build_network(args.duration, par)
    extra = {}
    if args.target == "cpp_standalone":
        net.run(duration)
        b2.device.build(directory=tmp.name, compile=True, run=False, with_output=False)
        t1 = time.perf_counter()
        b2.device.run(directory=tmp.name, with_output=False)
        t2 = time.perf_counter()
        extra["brian_run_time_s"] = b2.device._last_run_time
    else:
        net.run(0 * b2.ms)
        t1 = time.perf_counter()
        net.run(duration)
        t2 = time.perf_counter()

    force = np.asarray(force_mon.F[0])
    n_dec = len(force) // 10
    t_mid = (np.arange(10_000) + 0.5) / 10_000  # fraction of the ramp
    f_an = analytic_force(par, par["e_max"] * t_mid)
    result = {
        "target": args.target,
        "duration_s": args.duration,
        "dt_ms": args.dt,
        "n_units": N,
        "wall_s_build": round(t1 - t0, 3),
        "wall_s_run": round(t2 - t1, 3),
        **extra,
        "mean_force": float(force.mean()),
        "n_spikes": int(spike_mon.num_spikes),
        "force_at_deciles": [float(force[k * n_dec : (k + 1) * n_dec].mean()) for k in range(10)],
        "mean_force_analytic": float(f_an.mean()),
        "force_at_deciles_analytic": [float(v) for v in f_an.reshape(10, -1).mean(axis=1)],
    }
    if not args.json:
        print(f"Fuglevand pool, {N} units, {args.duration} s ramp, dt {args.dt} ms:")
    print(json.dumps(result))
    tmp.cleanup()


if __name__ == "__main__":
    main()
