r"""Cardiopulmonary exercise test (CPET) on a cycle ergometer: the ramp and its measures.

:func:`cpet_protocol` gives the ramp the slow layer is advanced through (port
``exercise_intensity``, fraction of the subject's current VO2max): a linear ramp from rest to
exhaustion over ``cpet.ramp_duration``, as constant steps of ``cpet.step_duration`` at the
ramp's mean intensity over each step. A maximal CPET is itself an exertion: in ME/CFS it
provokes post-exertional malaise (:mod:`myoaxis.physiology.adaptation.pem`), which a second
CPET a day later measures.

:func:`cpet_measures` reads the slow layer's values at the end of the ramp:

.. math::
    \dot V_{O_2,peak} = c\,\dot V_{O_2max}\,f_{peak}, \qquad
    \dot V_{O_2,VT} = \phi\,f_{VT}\,\dot V_{O_2,peak}

with :math:`c` the cycle-to-treadmill ratio of peak VO2 (``cpet.cycle_ergometer_factor``; the
model's ``vo2max`` follows treadmill norms, cycle values are 10-20 % lower, Kaminsky et al.
2017), :math:`f_{peak}` and :math:`f_{VT}` the PEM factors (``pem_vo2max_factor``,
``pem_threshold_factor``; 1 when the PEM component is absent) and :math:`\phi` the ventilatory
threshold as a fraction of peak VO2 in rested subjects (``cpet.threshold_fraction``).
Workloads invert the ACSM leg-cycle equation (Bushman 2020),

.. math:: \dot V_{O_2} = \frac{a\,W}{M} + b \;\Rightarrow\; W = \frac{(\dot V_{O_2} - b)\,M}{a}

(:math:`a` = 10.8 mL/min/W, :math:`M` body mass) with the intercept :math:`b` = 3.5 mL/kg/min,
resting VO2 only: the ACSM steady-state intercept (7, with unloaded cycling) makes the day-2
falls of work in ME/CFS 1.6 times Keller et al. 2014's, as VO2 lags a ramp (not modelled
otherwise). Because of the intercept, relative changes of work exceed those of VO2; Keller's
fall of work at VT (21.3 %) is larger than that of VO2 at VT (15.8 %) as here, but their work
at peak fell less (12.5 %) than VO2peak (13.8 %), which this relation cannot give.

With a random generator, each VO2 measure gets a multiplicative normal test-retest error with
the within-subject coefficients of variation of Decato et al. 2018 (peak VO2 4.9 %, VO2 at the
lactate threshold 10.4 %); the workloads follow from the measured VO2.

How a protocol step ``Assess cpet`` runs it: for each ``(seconds, intensity)`` of
``cpet_protocol(body)`` advance the slow layer by ``seconds`` with
``{"exercise_intensity": np.full(S, intensity)}`` (and whatever other ports an aerobic bout
writes), then call ``cpet_measures({n: layer.value(n) for n in VARIABLES if layer.has(n)},
body.body_mass, body, rng)``.
"""

from __future__ import annotations

import numpy as np

from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.core.parameters import subject_values
from myoaxis.core.rng import standard_normal

VO2MAX = "vo2max"
PEAK_FACTOR = "pem_vo2max_factor"
THRESHOLD_FACTOR = "pem_threshold_factor"
VARIABLES = (VO2MAX, PEAK_FACTOR, THRESHOLD_FACTOR)  # slow-layer values the measures read

MEASURES = {  # name -> unit
    "vo2peak": "mL/min/kg",
    "vo2_vt": "mL/min/kg",
    "work_peak": "W",
    "work_vt": "W",
}


def _scalar(params, name: str, unit: str) -> float:
    """One value of ``name`` in ``unit`` from a Body (equal for all subjects) or ParameterSet."""
    v = subject_values(params, name, unit, "cpet")
    if v.size == 0 or not np.all(v == v[0]):
        raise ScenarioError(
            f"cpet: {name!r} must be the same for every subject of a batch (one ramp), got {v!r}"
        )
    return float(v[0])


def _per_subject(params, name: str, unit: str, n: int) -> np.ndarray:
    v = subject_values(params, name, unit, "cpet")
    if v.size == 1:
        return np.full(n, v[0])
    if v.shape != (n,):
        raise ScenarioError(f"cpet: {v.size} subjects for model values of {n}")
    return v


def cpet_protocol(params) -> list[tuple[float, float]]:
    """The ramp as ``[(seconds, exercise_intensity), ...]``: constant steps from rest to
    exhaustion (intensity 1 = the subject's current VO2max), each at the ramp's mean intensity
    over the step. ``params``: a Body or a ParameterSet."""
    duration = _scalar(params, "cpet.ramp_duration", "s")
    step = _scalar(params, "cpet.step_duration", "s")
    if not (np.isfinite(duration) and np.isfinite(step)) or duration <= 0 or step <= 0:
        raise ParameterError(
            f"cpet: ramp_duration ({duration} s) and step_duration ({step} s) must be positive"
        )
    n = max(1, round(duration / step))
    if abs(n * step - duration) > 1e-9 * duration:
        raise ParameterError(
            f"cpet: ramp_duration ({duration} s) must be a whole number of steps of {step} s"
        )
    return [(step, (k + 0.5) / n) for k in range(n)]


def _values(values: dict, name: str, n: int | None, default: float | None) -> np.ndarray:
    if name not in values:
        if default is None:
            raise ScenarioError(f"cpet: slow-layer value {name!r} is needed (got {sorted(values)})")
        return np.full(n, default)
    v = np.atleast_1d(np.asarray(values[name], dtype=float))
    if v.ndim != 1 or (n is not None and v.shape != (n,)):
        raise ScenarioError(f"cpet: {name!r} must have shape ({n},), got {v.shape}")
    if not np.all(np.isfinite(v)) or np.any(v <= 0):
        raise ScenarioError(f"cpet: {name!r} must be positive and finite, got {v!r}")
    return v


def cpet_measures(values: dict, body_mass_kg, params, rng=None) -> dict[str, np.ndarray]:
    """Peak VO2 and VO2 at the ventilatory threshold (mL/kg/min) and the cycle work rates at
    both (W), each ``(S,)``, from slow-layer ``values`` at the end of the ramp (``vo2max``,
    mL/min/kg; the PEM factors, taken as 1 if absent). ``params``: a Body or a ParameterSet;
    ``rng``: None (no test-retest error), a numpy Generator or a SubjectRNG."""
    vo2max = _values(values, VO2MAX, None, None)
    n = vo2max.size
    peak_factor = _values(values, PEAK_FACTOR, n, 1.0)
    threshold_factor = _values(values, THRESHOLD_FACTOR, n, 1.0)
    mass = np.broadcast_to(np.asarray(body_mass_kg, dtype=float), (n,))
    if not np.all(np.isfinite(mass)) or np.any(mass <= 0):
        raise ScenarioError(f"cpet: body masses must be positive, got {body_mass_kg!r}")

    def p(name: str, unit: str) -> np.ndarray:
        return _per_subject(params, name, unit, n)

    vo2peak = p("cpet.cycle_ergometer_factor", "dimensionless") * vo2max * peak_factor
    vo2_vt = p("cpet.threshold_fraction", "dimensionless") * threshold_factor * vo2peak
    if rng is not None:
        vo2peak = vo2peak * (
            1 + p("cpet.vo2peak_retest_cv", "dimensionless") * standard_normal(rng, (n,), "cpet")
        )
        vo2_vt = vo2_vt * (
            1
            + p("cpet.vo2_threshold_retest_cv", "dimensionless")
            * standard_normal(rng, (n,), "cpet")
        )
    cost = p("cpet.o2_cost_of_work", "mL/min/W")
    intercept = p("cpet.unloaded_vo2", "mL/min/kg")
    return {
        "vo2peak": vo2peak,
        "vo2_vt": vo2_vt,
        "work_peak": np.maximum(vo2peak - intercept, 0.0) * mass / cost,
        "work_vt": np.maximum(vo2_vt - intercept, 0.0) * mass / cost,
    }
