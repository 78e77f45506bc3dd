r"""Motor cortex: the descending excitation that reaches and holds a target force.

The cortex commands a normalised excitation :math:`u \in [0, 1]` (fraction of the pool's
maximal excitation). It combines an internal model (feed-forward, the inverse of the pool's
steady force–excitation curve) with a proportional–integral loop on the force it senses through
a low-pass filter (afferent and cortical processing):

.. math::
    u = \mathrm{clip}\big(u_{ff}(F^*) + K_p e + K_i \textstyle\int e\,dt,\ 0,\ u_{max}\big),
    \qquad e = (F^* - \hat F)/F_{max}

Because the loop closes on force, anything that lowers force per unit of drive (fatigue, a
shorter fibre, an antagonist) makes the cortex recruit more units and fire them faster; at
:math:`u = u_{max}` it cannot do more (task failure). The integrator stops while the command is
saturated (anti-windup). Movements follow a minimum-jerk plan (Flash & Hogan 1985).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LoopGains:
    """Force-loop gains, arrays ``(subjects,)``."""

    proportional: np.ndarray
    integral: np.ndarray  # 1/s
    feedback_tau: np.ndarray  # s


@dataclass
class LoopState:
    integral: np.ndarray  # (subjects,)
    sensed: np.ndarray  # low-pass filtered normalised force


def inverse_curve(u_grid: np.ndarray, force_grid: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Feed-forward excitation for ``target`` normalised force, per subject.

    ``force_grid`` is ``(subjects, n)``, the steady force at the excitations ``u_grid`` (n,),
    increasing in ``u``; linear interpolation, clamped to the grid; returns ``(subjects,)``.
    """
    target = np.asarray(target, dtype=float)
    n = u_grid.size
    hi = np.clip((force_grid < target[:, None]).sum(axis=1), 1, n - 1)
    rows = np.arange(force_grid.shape[0])
    f0, f1 = force_grid[rows, hi - 1], force_grid[rows, hi]
    w = np.clip((target - f0) / np.where(f1 > f0, f1 - f0, np.inf), 0.0, 1.0)
    return u_grid[hi - 1] + w * (u_grid[hi] - u_grid[hi - 1])


def command(
    state: LoopState,
    gains: LoopGains,
    feedforward: np.ndarray,
    target: np.ndarray,
    force: np.ndarray,
    h: float,
    u_max: float | np.ndarray = 1.0,
) -> tuple[LoopState, np.ndarray]:
    """One control step: returns the new loop state and the excitation ``u``."""
    sensed = state.sensed + (force - state.sensed) * (1.0 - np.exp(-h / gains.feedback_tau))
    error = target - sensed
    raw = feedforward + gains.proportional * error + gains.integral * state.integral
    u = np.clip(raw, 0.0, u_max)
    saturated = (raw > u_max) & (error > 0) | (raw < 0) & (error < 0)
    integral = np.where(saturated, state.integral, state.integral + error * h)
    return LoopState(integral=integral, sensed=sensed), u


def minimum_jerk(t: np.ndarray, duration: float, start, end):
    """Position and velocity of a minimum-jerk path from ``start`` to ``end``."""
    s = np.clip(np.asarray(t, dtype=float) / duration, 0.0, 1.0)
    pos = start + (end - start) * (10 * s**3 - 15 * s**4 + 6 * s**5)
    vel = (end - start) * (30 * s**2 - 60 * s**3 + 30 * s**4) / duration
    return pos, vel
