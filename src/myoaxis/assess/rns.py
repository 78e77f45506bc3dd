"""Repetitive nerve stimulation (RNS): decrement at low rates and the post-exercise increment.

A supramaximal stimulus excites every axon of the muscle's pool; the CMAP is the fibre-weighted
fraction of fibres whose end-plate potential reaches threshold
(:mod:`myoaxis.physiology.muscle.nmj`).
A unit's fibre count is taken proportional to its twitch amplitude. The test, as done clinically:

* a rested train of ``rns.train_length`` stimuli at the requested rate; decrement
  ``(1 − A4/A1)·100 %`` (abnormal ≥ 10 %, Abraham et al. 2017);
* a single stimulus ``rns.exercise_test_delay`` after a maximal voluntary contraction of
  ``rns.exercise_duration`` (every unit at its peak firing rate); increment
  ``(A_post/A_rest − 1)·100 %`` (≥ 100 % in Lambert–Eaton syndrome, Oh et al. 2005).

CMAP amplitudes are relative to every fibre of the muscle responding, which is what a healthy
rested junction gives (first CMAP ≈ 1), so ``cmap_first_relative`` reads as "relative to normal".
"""

from __future__ import annotations

import numpy as np

from myoaxis.body import Body
from myoaxis.core.errors import ParameterError
from myoaxis.physiology.muscle import nmj

TESTS = {"RNS": "repetitive nerve stimulation: CMAP decrement (%) and post-exercise increment"}


def nmj_parameters(body: Body) -> nmj.NMJParameters:
    """The junction parameters of every subject of ``body``, arrays ``(S,)``."""
    v = body.values
    return nmj.NMJParameters(
        release_probability=v("nmj.release_probability"),
        calcium_entry=v("nmj.calcium_entry"),
        calcium_cooperativity=v("nmj.calcium_cooperativity"),
        quantal_size=v("nmj.quantal_size"),
        safety_factor=v("nmj.safety_factor"),
        safety_factor_spread=v("nmj.safety_factor_spread"),
        recovery_time=v("nmj.recovery_time", "s"),
        recovery_calcium_gain=v("nmj.recovery_calcium_gain"),
        facilitation_increment=v("nmj.facilitation_increment"),
        facilitation_time=v("nmj.facilitation_time", "s"),
        potentiation_increment=v("nmj.potentiation_increment"),
        potentiation_time=v("nmj.potentiation_time", "s"),
    )


def _single(body: Body, name: str, unit: str | None = None) -> float:
    values = body.values(name, unit)
    if not np.all(values == values[0]):
        raise ParameterError(f"{name} must be equal across a batch")
    return float(values[0])


def rns_test(body: Body, muscle: str, frequency_hz: float) -> dict[str, np.ndarray]:
    """Run the RNS test on ``muscle`` for every subject; arrays with a leading subject axis."""
    pool = body.pool(muscle)
    params = nmj_parameters(body)
    n_stimuli = round(_single(body, "rns.train_length"))
    if n_stimuli < 4:
        raise ParameterError("rns.train_length must be at least 4 (decrement uses the 4th CMAP)")
    train = nmj.rns(params, pool.twitch_peak, frequency_hz, n_stimuli)
    post = nmj.rns(
        params,
        pool.twitch_peak,
        frequency_hz,
        1,
        conditioning_s=_single(body, "rns.exercise_duration", "s"),
        rest_before_s=_single(body, "rns.exercise_test_delay", "s"),
        effort_rate=pool.peak_rate,
    )[:, 0]
    return {
        "cmap": train,
        "decrement": nmj.decrement(train),
        "cmap_post_exercise": post,
        "increment": nmj.increment(train[:, 0], post),
    }


def rns_records(
    body: Body, muscle: str, frequency_hz: float, time_s: float, step_id: str
) -> list[dict]:
    """Assessment records of an RNS test, one per subject (``value`` = decrement, %)."""
    res = rns_test(body, muscle, frequency_hz)
    out = []
    for s in range(body.n_subjects):
        out.append(
            {
                "subject": s,
                "test": "rns",
                "muscle": muscle,
                "step": step_id,
                "time_s": time_s,
                "value": float(res["decrement"][s]),
                "unit": "%",
                "frequency_hz": float(frequency_hz),
                "cmap": [float(a) for a in res["cmap"][s]],
                "cmap_first_relative": float(res["cmap"][s, 0]),
                "cmap_post_exercise": float(res["cmap_post_exercise"][s]),
                "increment_after_exercise": float(res["increment"][s]),
            }
        )
    return out
