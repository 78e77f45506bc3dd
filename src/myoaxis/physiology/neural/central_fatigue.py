r"""Central fatigue: the ceiling of the excitation the motor cortex can deliver.

Voluntary activation falls during sustained high effort and recovers partly over tens of
minutes (Gandevia 2001). We model the maximal deliverable excitation :math:`V` (fraction of the
pool's maximal excitation; the cortex's command is clipped to it) as

.. math::
    \frac{dV}{dt} = -k_c E (V - V_{min}) + k_r (1 - E) (V_0 - V),

with :math:`E \in [0, 1]` the relative effort (the command as a fraction of maximal
excitation). This is the form proposed in the project's science notes for the brain-side
interface of the three-compartment model (Xia & Frey-Law 2008: the controller *is* the central
command); :math:`k_c, k_r, V_{min}` are calibrated against twitch-interpolation data (see the
parameter sources). For constant :math:`E` over a step the equation is linear, so each step is
exact: :math:`V \to V_\infty + (V - V_\infty) e^{-a h}`, :math:`a = k_c E + k_r (1 - E)`,
:math:`V_\infty = (k_c E V_{min} + k_r (1 - E) V_0)/a`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CentralParameters:
    """Arrays ``(subjects,)``."""

    rested: np.ndarray  # V0, maximal excitation when rested (fraction)
    minimum: np.ndarray  # Vmin
    fatigue_rate: np.ndarray  # k_c, 1/s
    recovery_rate: np.ndarray  # k_r, 1/s


def step(ceiling: np.ndarray, effort: np.ndarray, p: CentralParameters, h: float) -> np.ndarray:
    """The ceiling ``h`` seconds later at constant relative ``effort`` (exact)."""
    effort = np.clip(effort, 0.0, 1.0)
    a = p.fatigue_rate * effort + p.recovery_rate * (1.0 - effort)
    target = (
        p.fatigue_rate * effort * p.minimum + p.recovery_rate * (1.0 - effort) * p.rested
    ) / np.where(a > 0, a, 1.0)
    target = np.where(a > 0, target, ceiling)
    return target + (ceiling - target) * np.exp(-a * h)


def recover(ceiling: np.ndarray, p: CentralParameters, seconds: float) -> np.ndarray:
    """The ceiling after ``seconds`` of rest (``E = 0``)."""
    return step(ceiling, np.zeros_like(ceiling), p, seconds)
