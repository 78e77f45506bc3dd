"""Neuromuscular-junction validation: repetitive nerve stimulation in health, MG and LEMS.

One batch of three ``healthy_adult`` women aged 40 (no condition, ``myasthenia_gravis``,
``lambert_eaton``) takes the clinical RNS test on the first dorsal interosseous (a hand muscle,
as in routine RNS): a rested 3-Hz train of 10 stimuli, and a single stimulus 3 s after a 10-s
maximal voluntary contraction (:func:`myoaxis.assess.rns.rns_test`). The measures are the
published diagnostic criteria.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.assess.rns import rns_test
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.validation.registry import ValidationCase, register

MUSCLE = "first_dorsal_interosseous"
GROUPS = {"healthy": (), "mg": ("myasthenia_gravis",), "lems": ("lambert_eaton",)}


@cache
def rns_results(frequency_hz: float = 3.0) -> dict[str, dict[str, float]]:
    """RNS measures of each group: decrement and increment (%), first CMAP (fraction)."""
    params = [
        subject_parameters("healthy_adult", "female", 40, conditions=c) for c in GROUPS.values()
    ]
    res = rns_test(Body(params, np.full(len(params), 70.0)), MUSCLE, frequency_hz)
    return {
        group: {
            "decrement": float(res["decrement"][s]),
            "increment": float(res["increment"][s]),
            "cmap_first": float(res["cmap"][s, 0]),
        }
        for s, group in enumerate(GROUPS)
    }


def _measure(group: str, key: str):
    return lambda: rns_results()[group][key]


register(
    ValidationCase(
        "rns_decrement_healthy",
        "3-Hz RNS decrement (4th vs 1st CMAP) of a healthy hand muscle stays below the "
        "conventional 10 % abnormality cutoff",
        "abraham2017",
        "%",
        (0.0, 10.0),
        _measure("healthy", "decrement"),
        "< 10 % (≥ 10 % is abnormal)",
    )
)
register(
    ValidationCase(
        "rns_decrement_myasthenia_gravis",
        "3-Hz RNS decrement of a generalised-MG hand muscle exceeds the 10 % cutoff "
        "(upper bound 40 %: a typical, not a crisis-level, decrement)",
        "abraham2017",
        "%",
        (10.0, 40.0),
        _measure("mg", "decrement"),
        "≥ 10 % decrement in generalised MG",
    )
)
register(
    ValidationCase(
        "rns_increment_myasthenia_gravis",
        "Post-exercise CMAP increment in MG stays below 60 % (no MG test reached 60 % "
        "after exercise in Oh et al. 2005)",
        "oh2005",
        "%",
        (-100.0, 60.0),
        _measure("mg", "increment"),
        "< 60 % increment after 10 s of maximal effort",
    )
)
register(
    ValidationCase(
        "rns_increment_lambert_eaton",
        "CMAP increment 3 s after a 10-s maximal voluntary contraction in Lambert–Eaton "
        "syndrome exceeds the 100 % diagnostic criterion (mean ~243 % after 10 s in "
        "Hatanaka & Oh 2008)",
        "oh2005",
        "%",
        (100.0, 500.0),
        _measure("lems", "increment"),
        "≥ 100 % post-exercise increment",
    )
)
register(
    ValidationCase(
        "rns_baseline_cmap_lambert_eaton",
        "Rested CMAP amplitude in Lambert–Eaton syndrome relative to a healthy muscle is low "
        "(resting CMAP reduced in every patient, Maddison et al. 1998)",
        "maddison1998",
        "fraction of normal",
        (0.02, 0.5),
        _measure("lems", "cmap_first"),
        "< 50 % of normal",
    )
)
