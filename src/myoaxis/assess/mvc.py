"""Maximal voluntary contraction: the peak of the moving mean of force over a short window.

Dynamometers report the peak force sustained over a short window (here ``cortex.mvc_window``,
0.5 s), not the single highest sample; grip strength is also given in kilograms-force, as in
the Dodds 2014 norms.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter1d

KG_FORCE = 9.80665  # N per kilogram-force (standard gravity)
TESTS = {"MVC": "maximal voluntary contraction force (N; grip also in kg)"}


def peak_moving_mean(force: np.ndarray, window_samples: int) -> np.ndarray:
    """Peak of the centred moving mean along the last axis, per subject."""
    window_samples = max(1, min(window_samples, force.shape[-1]))
    smooth = uniform_filter1d(force, window_samples, axis=-1, mode="nearest")
    return smooth.max(axis=-1)


def mvc_records(
    muscle: str, peak: np.ndarray, moment_arm: float | None, time_s: float, step_id: str
) -> list[dict]:
    """Assessment records of an MVC for every subject."""
    out = []
    for s, value in enumerate(peak):
        rec = {
            "subject": s,
            "test": "MVC",
            "muscle": muscle,
            "step": step_id,
            "time_s": time_s,
            "value": float(value),
            "unit": "N",
        }
        if muscle == "grip":
            rec["value_kg"] = float(value / KG_FORCE)
        if moment_arm is not None:
            rec["torque_nm"] = float(value * moment_arm)
        out.append(rec)
    return out
