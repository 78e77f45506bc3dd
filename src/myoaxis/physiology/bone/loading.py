r"""Peak skeletal loads of exercise for the mechanostat ports, in body weights (BW).

The slow layer's ports ``exercise_load_hip`` and ``exercise_load_spine`` take the peak hip
contact force and the peak lumbar compressive force of one loading cycle; ``loading_frequency``
takes the cycles per second (steps for gait, repetitions for resistance exercise). The
mechanostat only uses these relative to habitual walking (``bone.<site>.habitual_load``), so
the functions here and those parameters follow one convention:

* Hip, walking: 2.38 BW at about 4 km/h, the average of four instrumented hips (Bergmann et al.
  2001). Speed dependence from Bergmann et al. 1993 (patient 1: median peak 280 % BW at
  1 km/h rising linearly to 480 % BW at 5 km/h, i.e. +11.6 % of the 4-km/h value per km/h).
* Hip, running: jogging raised patient 1's peak to about 550 % BW, 1.28 x his 4-km/h walking
  value (Bergmann et al. 1993), i.e. 3.04 BW for the average hip; jogging is taken as 2 m/s
  (assumed) and the force scales with the peak vertical ground reaction force (GRF), which rises
  linearly from 1.2 BW at 1.5 m/s to 2.5 BW at 6 m/s and stays there (Keller et al. 1996).
* Lumbar spine, gait: the upright compression (taken as 1 BW; only ratios matter) times the peak
  vertical GRF (Keller et al. 1996; extrapolated below 1.5 m/s): the trunk is decelerated by the
  GRF peak.
* Resistance exercise: a quasi-static model of one leg at the bottom of the movement from the
  knee-extensor force, with assumed geometry (below).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from myoaxis.core.errors import ScenarioError

KMH = 1 / 3.6  # m/s per km/h

# Bergmann et al. 2001 / 1993 (hip contact force, body weights)
HIP_WALKING_REFERENCE = 2.38  # BW at 4 km/h, average of 4 patients (Bergmann 2001)
WALKING_REFERENCE_SPEED = 4 * KMH  # m/s
HIP_WALKING_SLOPE = (4.80 - 2.80) / (5 - 1) / 4.30 / KMH  # relative change per m/s (1993)
WALKING_SPEED_RANGE = (1 * KMH, 6 * KMH)  # measured range (1-5 km/h), extended to 6 km/h
HIP_JOG_RATIO = 5.50 / 4.30  # jogging / walking at 4 km/h, patient 1 (Bergmann 1993)
JOGGING_SPEED = 2.0  # m/s, assumed speed of Bergmann's jogging trials

# Keller et al. 1996 (peak vertical ground reaction force, body weights)
GRF_AT_1_5 = 1.2
GRF_AT_6 = 2.5
UPRIGHT_LUMBAR_COMPRESSION = 1.0  # BW; assumed (cancels: only ratios to habitual matter)

# Resistance exercise geometry at the bottom of a squat / leg press (assumed, documented)
KNEE_EXTENSOR_MOMENT_ARM = 0.045  # m, as data/muscles/knee_extensors.toml
HIP_EXTENSOR_MOMENT_ARM = 0.06  # m, gluteus maximus / hamstrings
KNEE_LEVER = 0.15  # m, horizontal knee-to-load-line distance at thighs parallel
HIP_LEVER = {"squat": 0.20, "leg_press": 0.15}  # m, horizontal hip-to-load-line distance
TRUNK_BELOW_L4 = 0.12  # fraction of body weight between L4 and the hips (pelvis, lower trunk)
TRUNK_LEVER_RATIO = 2.0  # load-line offset above L4 / erector spinae moment arm (0.10/0.05 m)
G = 9.80665  # m/s^2


def _speed(speed_m_s, what: str) -> np.ndarray:
    v = np.asarray(speed_m_s, dtype=float)
    if not np.all(v > 0):
        raise ScenarioError(f"{what}: speed must be > 0 m/s, got {speed_m_s!r}")
    return v


def vertical_grf(speed_m_s):
    """Peak vertical ground reaction force (BW) at a gait speed (Keller et al. 1996):
    1.2 BW at 1.5 m/s rising linearly to 2.5 BW at 6 m/s, constant above. Scalar or array."""
    v = np.minimum(_speed(speed_m_s, "vertical_grf"), 6.0)
    return GRF_AT_1_5 + (GRF_AT_6 - GRF_AT_1_5) / (6.0 - 1.5) * (v - 1.5)


def hip_walking(speed_m_s):
    """Peak hip contact force (BW) of walking (Bergmann 2001 level, Bergmann 1993 slope);
    speeds outside 1-6 km/h are clipped to that range. Scalar or array."""
    v = np.clip(_speed(speed_m_s, "hip_walking"), *WALKING_SPEED_RANGE)
    return HIP_WALKING_REFERENCE * (1 + HIP_WALKING_SLOPE * (v - WALKING_REFERENCE_SPEED))


def hip_running(speed_m_s):
    """Peak hip contact force (BW) of running: Bergmann 1993's jogging/walking ratio applied to
    the average hip, scaled with the peak vertical GRF from the 2-m/s jogging speed."""
    v = _speed(speed_m_s, "hip_running")
    return HIP_WALKING_REFERENCE * HIP_JOG_RATIO * vertical_grf(v) / vertical_grf(JOGGING_SPEED)


def spine_gait(speed_m_s):
    """Peak lumbar compression (BW) of walking or running: upright compression x peak GRF."""
    return UPRIGHT_LUMBAR_COMPRESSION * vertical_grf(speed_m_s)


HABITUAL_HIP = float(hip_walking(WALKING_REFERENCE_SPEED))  # 2.38 BW = bone.hip.habitual_load
HABITUAL_SPINE = float(spine_gait(WALKING_REFERENCE_SPEED))  # 1.09 BW = bone.spine.habitual_load


@dataclass(frozen=True)
class ResistanceLoads:
    """Peak loads (BW) of one repetition, per subject."""

    hip: np.ndarray
    spine: np.ndarray


# The exercise a ``Resistance`` step of a muscle group stands for when it loads the skeleton
# (assumed: the back squat, the usual multi-joint lift of bone-loading programmes). Groups not
# listed (elbow, grip, ankle, ...) put no hip or spine load on the mechanostat.
RESISTANCE_EXERCISE = {"knee_extensors": "squat"}


def resistance_loads(
    knee_extensor_force_n, body_mass_kg, exercise: str = "squat"
) -> ResistanceLoads:
    r"""Peak hip contact and lumbar compressive force (BW) of one squat or leg-press repetition.

    Quasi-static model of one leg at the bottom of the movement (thighs about parallel), from the
    force of that leg's knee extensors :math:`F_k` (N):

    * knee moment :math:`M_k = F_k r_k`; it holds the load on that leg,
      :math:`W = M_k / d_k`, acting at :math:`d_k` from the knee;
    * the hip extensors hold the same load at :math:`d_h` from the hip,
      :math:`F_h = W d_h / r_h`, and the hip contact force is :math:`F_h + W`;
    * squat only: the lumbar spine carries both legs' load less the segments below L4,
      :math:`W_4 = 2W - 0.12\,BW`, plus the erector spinae force that holds the forward lean,
      :math:`W_4 (1 + 2)`; in the leg press the back is supported (no lumbar peak: 0).

    Assumed geometry: :math:`r_k` = 4.5 cm (as the knee-extensor group), :math:`r_h` = 6 cm,
    :math:`d_k` = 15 cm, :math:`d_h` = 20 cm (squat) or 15 cm (leg press), trunk lever ratio 2.
    These are round textbook-order values, not measurements; for a 65-kg woman squatting her
    body weight the model gives 3.6 BW at the hip and 4.7 BW at L4.
    """
    if exercise not in HIP_LEVER:
        raise ScenarioError(
            f"resistance_loads: unknown exercise {exercise!r} (known: {', '.join(HIP_LEVER)})"
        )
    force = np.asarray(knee_extensor_force_n, dtype=float)
    mass = np.asarray(body_mass_kg, dtype=float)
    if not np.all(force >= 0):
        raise ScenarioError(
            f"resistance_loads: knee-extensor force must be >= 0 N, got {knee_extensor_force_n!r}"
        )
    if not np.all(mass > 0):
        raise ScenarioError(f"resistance_loads: body mass must be > 0 kg, got {body_mass_kg!r}")
    weight = mass * G
    leg_load = force * KNEE_EXTENSOR_MOMENT_ARM / KNEE_LEVER
    hip = (leg_load * HIP_LEVER[exercise] / HIP_EXTENSOR_MOMENT_ARM + leg_load) / weight
    if exercise == "leg_press":
        return ResistanceLoads(hip=hip, spine=np.zeros_like(hip))
    above_l4 = np.maximum(2 * leg_load - TRUNK_BELOW_L4 * weight, 0.0)
    return ResistanceLoads(hip=hip, spine=above_l4 * (1 + TRUNK_LEVER_RATIO) / weight)
