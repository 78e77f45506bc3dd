r"""A one-degree-of-freedom elbow: forearm and hand rotating about the humerus.

.. math::
    I\ddot\theta = \sum_k r_k F_k^{flex} - \sum_k r_k F_k^{ext}
                   - m g d \sin\theta - b\dot\theta

with :math:`\theta` the flexion angle (0 = full extension, upper arm hanging vertically), the
heads' tendon forces :math:`F_k` and constant moment arms :math:`r_k`. Segment mass, centre of
mass and radius of gyration come from Winter's anthropometric table. Each head's MTU length
changes with angle as :math:`L_{MT} = L_{ref} \mp r_k(\theta - \theta_{ref})` (flexors shorten as
the elbow flexes). Integrated with semi-implicit Euler.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

G = 9.80665  # m/s^2, standard gravity


@dataclass(frozen=True)
class ElbowParameters:
    inertia: np.ndarray  # kg m^2, (subjects,)
    gravity_moment: np.ndarray  # m g d, N m
    damping: np.ndarray  # N m s/rad


def segment(body_mass, mass_fraction, com_fraction, gyration_fraction, length, damping):
    """Elbow parameters from anthropometry (Winter 2009, forearm + hand)."""
    m = body_mass * mass_fraction
    return ElbowParameters(
        inertia=m * (gyration_fraction * length) ** 2,
        gravity_moment=m * G * com_fraction * length,
        damping=np.broadcast_to(damping, np.shape(body_mass)).astype(float),
    )


def mtu_lengths(reference_lengths, moment_arms, sign, theta, theta_ref):
    """MTU lengths ``(subjects, heads)``; ``sign`` = +1 for flexors, -1 for extensors."""
    return reference_lengths - sign * moment_arms * (np.asarray(theta)[:, None] - theta_ref)


def step(p: ElbowParameters, theta, omega, muscle_torque, h):
    """Semi-implicit Euler step of the joint; returns ``(theta, omega)``."""
    accel = (muscle_torque - p.gravity_moment * np.sin(theta) - p.damping * omega) / p.inertia
    omega = omega + h * accel
    return theta + h * omega, omega


def gravity_torque(p: ElbowParameters, theta):
    """Torque (N m) the flexors need to hold the forearm still at ``theta``."""
    return p.gravity_moment * np.sin(theta)
