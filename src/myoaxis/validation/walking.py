"""Walking validation: cadence of a simulated walk and the stance/swing timing of its CPG.

Every case runs :func:`myoaxis.gait.walk` for a healthy_adult man aged 30 (mean-field pools,
whose force is smooth enough for zero-crossing timing). The cadence is measured from the
simulated triceps-surae force, end to end through the CPG, the pools and the muscle–tendon
units; it is compared with adult normative cadence, which the cadence model was not fitted to.
The stance fraction is that of the simulated, asymmetric oscillator, whose asymmetry is tuned to
Kirtley et al.'s (1985) regression: those two cases check the tuning and its speed dependence
(the published relation the parameters came from), not an independent prediction.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.body import Body
from myoaxis.bouts import FastSettings
from myoaxis.conditions import subject_parameters
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.gait import GAIT_MUSCLES, walk
from myoaxis.muscle_state import MuscleState
from myoaxis.physiology.neural import cpg
from myoaxis.validation.registry import ValidationCase, register

SPEEDS = (1.2, 1.6)  # m/s
BOUT = 8.0  # s of walking per case
SETTLE = 1.0  # s discarded before timing the force (activation and tendon transients)
# Tudor-Locke & Rowe 2012: laboratory normal walking cadence 96-138 (women), 81-135 (men).
CADENCE_BAND = (96.0, 135.0)  # steps/min, inside both sexes' ranges
STANCE_BAND_POINTS = 0.02  # +/- 2 % of the cycle around the regression (normative SD ~2 %)


@cache
def _walk(speed: float):
    params = subject_parameters("healthy_adult", "male", 30.0)
    body = Body([params], np.array([75.0]))
    states = {g: MuscleState.rested(body, g) for g in GAIT_MUSCLES}
    settings = FastSettings.from_body(body, "mean_field")
    return walk(body, states, speed, BOUT, settings, SubjectRNG(subject_streams(3, 1)))


def bout_cadence(speed: float) -> float:
    """Steps/min of a simulated walk: twice the stride frequency of the triceps-surae force
    (upward crossings of its mean after :data:`SETTLE`)."""
    bout, _ = _walk(speed)
    force = bout.traces["force_ankle_plantarflexors"]
    stride = cpg.measure_frequency(bout.time, force, SETTLE)
    return float(120.0 * stride[0])


def stance_percent(speed: float) -> float:
    """Stance (extensor-dominant) share of the simulated CPG stride, % of the cycle."""
    _, info = _walk(speed)
    return float(100.0 * info["stance_fraction"][0])


def kirtley_stance_percent(speed: float) -> float:
    """Kirtley et al. 1985: stance = 64.2 % - 3.5 % per m/s."""
    return 64.2 - 3.5 * speed


for _v in SPEEDS:
    _tag = f"{_v:g}".replace(".", "_")
    register(
        ValidationCase(
            f"walking_bout_cadence_{_tag}_m_s",
            f"Cadence of a simulated {BOUT:g}-s walk at {_v:g} m/s, measured from the stride "
            "rhythm of the simulated triceps-surae force, inside the laboratory normal walking "
            "cadence range of adults (women 96-138, men 81-135 steps/min)",
            "tudorlocke2012",
            "steps/min",
            CADENCE_BAND,
            lambda v=_v: bout_cadence(v),
            "96-135 steps/min",
        )
    )
    _k = kirtley_stance_percent(_v)
    register(
        ValidationCase(
            f"walking_stance_fraction_{_tag}_m_s",
            f"Stance share of the simulated CPG stride at {_v:g} m/s (extensor half-centre "
            "dominant; the flexor, tibialis-anterior burst fills the rest) against the "
            "regression of stance duration on speed. The oscillator's asymmetry is tuned to "
            "this regression: a check of the tuned, simulated cycle",
            "kirtley1985",
            "%",
            (_k - 100 * STANCE_BAND_POINTS, _k + 100 * STANCE_BAND_POINTS),
            lambda v=_v: stance_percent(v),
            f"{_k:.1f} % of the gait cycle (64.2 - 3.5 x speed), ± 2 points",
        )
    )
