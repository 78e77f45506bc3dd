"""Afferent and reflex validation: spindle velocity sensitivity and stretch-reflex latency.

* Houk, Rymer & Crago (1981): apart from the initial burst, the dynamic response of spindle
  endings to ramp stretches is a velocity term times a length term, the velocity term being
  about :math:`v^{0.3}` for primary *and* secondary endings. We stretch the model spindle
  (Mileusnic 2006, default parameters, no fusimotor drive) from 0.95 to 1.08 L0 at
  0.05–0.8 L0/s, take each ending's rate while the ramp passes 1.05 L0 minus its static rate
  at 1.05 L0, and fit the log–log slope against velocity.
* Cross, Cluff, Takei & Scott (2019): muscle responses to mechanical disturbances of the arm
  start at about 20 ms. We push the forearm of a healthy adult (elbow at the reference angle,
  5 % co-contraction, the posture held by a constant torque) with an extension torque step,
  run both elbow muscle groups' spindles and GTOs, and the flexors' reflex (open loop, so the
  reflex does not change the motion), and report when the flexors' reflex excitation first
  exceeds 5 % of its peak in the following 100 ms. The onset is the conduction-and-synapse
  delay (parameter ``reflex.loop_delay``, 15 ms, an estimate) plus the time the spindles, behind
  the compliant tendon, take to raise the Ia rate through that threshold (~9 ms); the case checks
  that chain, not an independent prediction of the delay.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.body import Body
from myoaxis.conditions import base_parameters, subject_parameters
from myoaxis.physiology.muscle import mtu
from myoaxis.physiology.musculoskeletal import elbow
from myoaxis.physiology.neural import afferents, reflex
from myoaxis.validation.registry import ValidationCase, register

RAMP_VELOCITIES = (0.05, 0.1, 0.2, 0.4, 0.8)  # L0/s
RAMP_FROM, RAMP_TO, PROBE_LENGTH = 0.95, 1.08, 1.05  # L0
STEP = 1e-3  # s

PERTURBATION_TORQUE = 2.0  # N m, extension (about 80 deg/s after 50 ms, as in elbow studies)
BACKGROUND_ACTIVATION = 0.05
ONSET_FRACTION = 0.05
RESPONSE_WINDOW = 0.1  # s


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


def _side(body: Body, name: str, sign: float, theta, theta_ref):
    m = body.muscle(name)
    l_mt = elbow.mtu_lengths(m.test_length, m.moment_arm, sign, theta, theta_ref)
    return m, l_mt


@cache
def reflex_latency_ms() -> float:
    """Onset latency (ms) of the elbow flexors' stretch-reflex excitation after an extension
    torque step (see the module docstring)."""
    params = subject_parameters("healthy_adult", "male", 30)
    body = Body([params], np.array([75.0]))
    spindle = afferents.SpindleParameters.from_parameters(params)
    gto = afferents.GTOParameters.from_parameters(params)
    rp = reflex.ReflexParameters.from_parameters(params)
    theta_ref = body.values("elbow.reference_angle", "rad")[:, None]
    theta, omega = theta_ref[:, 0].copy(), np.zeros(1)
    sides = [("elbow_flexors", 1.0), ("elbow_extensors", -1.0)]
    fibers, forces, spindles, gtos, ia = [], [], [], [], []
    torque = np.zeros(1)
    for name, sign in sides:
        m, l_mt = _side(body, name, sign, theta, theta_ref)
        x = mtu.static_fiber_length(m.mtu, l_mt, BACKGROUND_ACTIVATION)
        f = mtu.step(m.mtu, l_mt, BACKGROUND_ACTIVATION, x, STEP)[1]
        fibers.append(x)
        forces.append(f)
        spindles.append(afferents.spindle_rest(spindle, x))
        gtos.append(afferents.gto_rest(gto, f.sum(axis=1)))
        ia.append(afferents.population_rate(afferents.spindle_rates(spindle, spindles[-1])[0]))
        torque += sign * (m.moment_arm * f).sum(axis=1)
    ib = afferents.gto_output(gto, gtos[0], afferents.gto_drive(gto, forces[0].sum(axis=1)))
    state = reflex.start(rp, STEP, ia[0], ib, ia[1])
    hold = elbow.gravity_torque(body.elbow, theta) - torque  # holds the posture before the push
    onset, n_steps = 0.05, round((0.05 + RESPONSE_WINDOW) / STEP)
    delta = np.zeros(n_steps)
    for k in range(n_steps):
        push = -PERTURBATION_TORQUE if (k + 1) * STEP > onset else 0.0
        torque = hold + push
        for i, (name, sign) in enumerate(sides):
            m, l_mt = _side(body, name, sign, theta, theta_ref)
            fibers[i], forces[i] = mtu.step(m.mtu, l_mt, BACKGROUND_ACTIVATION, fibers[i], STEP)
            torque = torque + sign * (m.moment_arm * forces[i]).sum(axis=1)
            spindles[i] = afferents.spindle_step(spindle, spindles[i], fibers[i], STEP)
            gtos[i], ib_i = afferents.gto_step(gto, gtos[i], forces[i].sum(axis=1), STEP)
            ia[i] = afferents.population_rate(afferents.spindle_rates(spindle, spindles[i])[0])
            if i == 0:
                ib = ib_i
        delta[k] = reflex.step(state, rp, ia[0], ib, ia[1])[0]
        theta, omega = elbow.step(body.elbow, theta, omega, torque, STEP)
    times = (np.arange(n_steps) + 1) * STEP - onset
    after = times > 0
    first = np.argmax(delta[after] > ONSET_FRACTION * delta[after].max())
    return 1e3 * float(times[after][first])


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
        "extension torque step (healthy adult, 5 % co-contraction)",
        "cross2019",
        "ms",
        (20.0, 30.0),
        reflex_latency_ms,
        "responses to arm disturbances start at ~20 ms (short-latency M1 window 20-30 ms)",
    )
)
