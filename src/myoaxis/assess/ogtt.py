"""Oral glucose tolerance test (OGTT): the summary a clinic reports.

The test: after an overnight fast, 75 g of glucose is drunk at t = 0 and plasma glucose and
insulin are sampled at 0, 30, 60, 90 and 120 min (:data:`OGTT_TIMES_MIN`). Inputs are plain
arrays, so the same functions summarise simulated curves (``glucose_plasma``,
``insulin_plasma`` of the slow layer sampled at those times) and measured ones.

* **Classification** from fasting and 2-h glucose (mg/dL), ADA Standards of Care 2024 (WHO 2006
  differs only in the lower impaired-fasting-glucose limit, 110 instead of 100 mg/dL):

  ====================================  ==========================  ===================
  class                                 fasting glucose             2-h glucose
  ====================================  ==========================  ===================
  ``diabetes``                          >= 126                      or >= 200
  ``impaired_fasting_and_tolerance``    100 (110 WHO) to < 126      and 140 to < 200
  ``impaired_fasting_glucose``          100 (110 WHO) to < 126      and < 140
  ``impaired_glucose_tolerance``        < 100 (110 WHO)             and 140 to < 200
  ``normal``                            < 100 (110 WHO)             and < 140
  ====================================  ==========================  ===================

* **Matsuda index** (Matsuda & DeFronzo 1999), glucose in mg/dL and insulin in µU/mL:
  :math:`10\\,000/\\sqrt{G_0 I_0\\,\\bar G \\bar I}`, the means over all samples of the test.
  Insulin is given here in pmol/L and converted with 1 µU/mL = 6.0 pmol/L (Knopp 2019).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from myoaxis.core.errors import ScenarioError

OGTT_GLUCOSE_LOAD = 75.0  # g of glucose drunk at t = 0
OGTT_TIMES_MIN = (0.0, 30.0, 60.0, 90.0, 120.0)  # sampling times, min
INSULIN_PMOL_PER_MICROUNIT = 6.0  # pmol/L per uU/mL (Knopp 2019)
CITATIONS = ("ada2024", "who2006", "matsuda1999", "knopp2019")

DIABETES_FASTING = 126.0  # mg/dL (ADA 2024, WHO 2006)
DIABETES_TWO_HOUR = 200.0
IMPAIRED_TOLERANCE_TWO_HOUR = 140.0
IMPAIRED_FASTING = {"ADA": 100.0, "WHO": 110.0}

CLASSES = (
    "normal",
    "impaired_fasting_glucose",
    "impaired_glucose_tolerance",
    "impaired_fasting_and_tolerance",
    "diabetes",
)

TESTS = {
    "ogtt": (
        "Assess ogtt: 75 g oral glucose; fasting and 2-h glucose (mg/dL), peak glucose and its "
        "time, Matsuda index, ADA classification"
    )
}


@dataclass(frozen=True)
class OGTTSummary:
    """Summary of one OGTT per subject; arrays ``(S,)`` (0-d for a single curve)."""

    fasting_glucose: np.ndarray  # mg/dL
    two_hour_glucose: np.ndarray  # mg/dL
    peak_glucose: np.ndarray  # mg/dL
    peak_time: np.ndarray  # min
    fasting_insulin: np.ndarray  # pmol/L
    peak_insulin: np.ndarray  # pmol/L
    matsuda_index: np.ndarray  # dimensionless (mg/dL and uU/mL convention)
    classification: np.ndarray  # str, one of CLASSES


def _curves(values, name: str, n_times: int) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    if a.ndim not in (1, 2) or a.shape[-1] != n_times:
        raise ScenarioError(
            f"OGTT {name}: expected {n_times} samples per subject (at {OGTT_TIMES_MIN} min), "
            f"got an array of shape {a.shape}"
        )
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ScenarioError(f"OGTT {name}: every sample must be a finite positive number")
    return a


def classify_glucose_tolerance(fasting_glucose, two_hour_glucose, criteria: str = "ADA"):
    """The class (see the module table) of fasting and 2-h glucose (mg/dL), elementwise."""
    if criteria not in IMPAIRED_FASTING:
        raise ScenarioError(
            f"unknown OGTT criteria {criteria!r}; expected one of {sorted(IMPAIRED_FASTING)}"
        )
    f = np.asarray(fasting_glucose, dtype=float)
    h = np.asarray(two_hour_glucose, dtype=float)
    diabetes = (f >= DIABETES_FASTING) | (h >= DIABETES_TWO_HOUR)
    ifg = f >= IMPAIRED_FASTING[criteria]
    igt = h >= IMPAIRED_TOLERANCE_TWO_HOUR
    label = np.select(
        [diabetes, ifg & igt, ifg, igt],
        [
            "diabetes",
            "impaired_fasting_and_tolerance",
            "impaired_fasting_glucose",
            "impaired_glucose_tolerance",
        ],
        default="normal",
    )
    return label[()] if label.ndim == 0 else label


def matsuda_index(glucose, insulin) -> np.ndarray:
    """Matsuda insulin-sensitivity index from OGTT samples ``(..., T)``: glucose in mg/dL,
    insulin in pmol/L (converted to µU/mL); means over all T samples."""
    g = np.asarray(glucose, dtype=float)
    i = np.asarray(insulin, dtype=float) / INSULIN_PMOL_PER_MICROUNIT
    return 10_000.0 / np.sqrt(g[..., 0] * i[..., 0] * g.mean(axis=-1) * i.mean(axis=-1))


def summarise_ogtt(
    glucose, insulin, times_min=OGTT_TIMES_MIN, criteria: str = "ADA"
) -> OGTTSummary:
    """Summarise an OGTT from plasma ``glucose`` (mg/dL) and ``insulin`` (pmol/L) sampled at
    ``times_min`` (must start at 0 and include 120 min); arrays ``(T,)`` or ``(S, T)``."""
    times = np.asarray(times_min, dtype=float)
    if times.ndim != 1 or times[0] != 0.0 or 120.0 not in times or np.any(np.diff(times) <= 0):
        raise ScenarioError(
            f"OGTT times must increase from 0 and include 120 min; got {tuple(times)}"
        )
    g = _curves(glucose, "glucose", times.size)
    i = _curves(insulin, "insulin", times.size)
    if g.shape != i.shape:
        raise ScenarioError(f"OGTT glucose {g.shape} and insulin {i.shape} differ in shape")
    two_hour = g[..., int(np.flatnonzero(times == 120.0)[0])]
    peak = np.argmax(g, axis=-1)
    return OGTTSummary(
        fasting_glucose=g[..., 0],
        two_hour_glucose=two_hour,
        peak_glucose=g.max(axis=-1),
        peak_time=times[peak],
        fasting_insulin=i[..., 0],
        peak_insulin=i.max(axis=-1),
        matsuda_index=matsuda_index(g, i),
        classification=np.asarray(classify_glucose_tolerance(g[..., 0], two_hour, criteria)),
    )
