"""Afferent and reflex validation: spindle velocity sensitivity and stretch-reflex latency.

* Houk, Rymer & Crago (1981): apart from the initial burst, the dynamic response of spindle
  endings to ramp stretches is a velocity term times a length term, the velocity term being
  about :math:`v^{0.3}` for primary *and* secondary endings. We stretch the model spindle
  (Mileusnic 2006, default parameters, no fusimotor drive) from 0.95 to 1.08 L0 at
  0.05–0.8 L0/s, take each ending's rate while the ramp passes 1.05 L0 minus its static rate
  at 1.05 L0, and fit the log–log slope against velocity.
* Cross, Cluff, Takei & Scott (2019): muscle responses to mechanical disturbances of the arm
  start at about 20 ms (the short-latency epoch is 20-50 ms, Pruszynski & Scott 2012). We run
  the elbow perturbation bout (:func:`myoaxis.bouts.elbow_perturb`) for a healthy 30-year-old
  man holding the elbow at its reference angle: a 2 N m extending torque step, mean-field pools
  (deterministic; a single spiking trial's onset is blurred by the fluctuations of the
  reflex excitation at rest), and take the flexors' reflex onset of
  :func:`myoaxis.bouts.perturbation_measures` (the foot of the rise to half the peak). The onset
  is the conduction-and-synapse delay (``reflex.loop_delay``, 15 ms, an estimate) plus the
  explicit coupling of joint, heads, afferents and reflex (3 fast steps, 3 ms) plus the time the
  spindles, behind the compliant tendon, take to raise the Ia rate (~5 ms); the case checks
  that chain, not an independent prediction of the delay.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis import bouts
from myoaxis.body import Body
from myoaxis.conditions import base_parameters, subject_parameters
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.muscle_state import MuscleState
from myoaxis.muscles import ELBOW_PAIR
from myoaxis.physiology.neural import afferents
from myoaxis.validation.registry import ValidationCase, register

RAMP_VELOCITIES = (0.05, 0.1, 0.2, 0.4, 0.8)  # L0/s
RAMP_FROM, RAMP_TO, PROBE_LENGTH = 0.95, 1.08, 1.05  # L0
STEP = 1e-3  # s

PERTURBATION_TORQUE = 2.0  # N m, extending
PERTURBATION_DURATION = 0.15  # s: covers the response window (perturbation.response_window)


def dynamic_responses(velocity: float) -> tuple[float, float]:
    """Ia and II rate while a ramp at ``velocity`` (L0/s) passes ``PROBE_LENGTH``, minus the
    static rates there (pps)."""
    p = afferents.SpindleParameters.from_parameters(base_parameters())
    pre = 0.3  # s at the start length
    t = np.arange(0.0, pre + (PROBE_LENGTH - RAMP_FROM) / velocity + 2 * STEP, STEP)
    lengths = np.minimum(RAMP_FROM + velocity * np.maximum(t - pre, 0.0), RAMP_TO)
    ia, ii = afferents.run_spindle(p, lengths[:, None], STEP)
    k = int(np.argmax(lengths >= PROBE_LENGTH - 1e-12))
    # interpolate the rates to the instant the ramp passes the probe length
    w = (PROBE_LENGTH - lengths[k - 1]) / (lengths[k] - lengths[k - 1])
    moving = [(1 - w) * r[k - 1, 0] + w * r[k, 0] for r in (ia, ii)]
    static = afferents.spindle_rates(p, afferents.spindle_rest(p, np.array([PROBE_LENGTH])))
    return moving[0] - float(static[0][0]), moving[1] - float(static[1][0])


@cache
def velocity_exponents() -> tuple[float, float]:
    """Log–log slopes of the Ia and II dynamic responses against ramp velocity."""
    dyn = np.array([dynamic_responses(v) for v in RAMP_VELOCITIES])
    logv = np.log(RAMP_VELOCITIES)
    return tuple(float(np.polyfit(logv, np.log(dyn[:, i]), 1)[0]) for i in range(2))


@cache
def reflex_latency_ms() -> float:
    """Onset latency (ms) of the elbow flexors' stretch-reflex excitation after an extending
    torque step (see the module docstring)."""
    params = subject_parameters("healthy_adult", "male", 30)
    body = Body([params], np.array([75.0]))
    states = tuple(MuscleState.rested(body, name) for name in ELBOW_PAIR)
    timing = bouts.Perturbation.from_body(body)
    bout = bouts.elbow_perturb(
        body,
        states,
        body.values("elbow.reference_angle", "rad"),
        PERTURBATION_TORQUE,
        PERTURBATION_DURATION,
        bouts.FastSettings.from_body(body, "mean_field"),
        SubjectRNG(subject_streams(0, 1)),
        onset=timing.onset,
        after=0.0,
    )
    return float(bouts.perturbation_measures(bout, timing)["reflex_latency"][0])


register(
    ValidationCase(
        "spindle_ia_velocity_exponent",
        "Power of stretch velocity in the Ia dynamic response to ramp stretches "
        "(Mileusnic 2006 spindle, no fusimotor drive, 0.05-0.8 L0/s)",
        "houk1981",
        "",
        (0.2, 0.4),
        lambda: velocity_exponents()[0],
        "dynamic response approximately proportional to v^0.3",
    )
)
register(
    ValidationCase(
        "spindle_ii_velocity_exponent",
        "Power of stretch velocity in the II (secondary) dynamic response to ramp stretches",
        "houk1981",
        "",
        (0.2, 0.4),
        lambda: velocity_exponents()[1],
        "approximately v^0.3 for secondary endings as for primaries",
    )
)
register(
    ValidationCase(
        "stretch_reflex_latency_elbow",
        "Onset of the elbow flexors' short-latency reflex excitation after a 2 N m "
        "extending torque step, elbow held at 90 deg (healthy adult, mean-field pools)",
        "cross2019",
        "ms",
        (20.0, 30.0),
        reflex_latency_ms,
        "responses to arm disturbances start at ~20 ms (short-latency M1 window 20-30 ms)",
    )
)
