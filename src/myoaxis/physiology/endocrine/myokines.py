r"""Interleukin-6 from contracting muscle (after Steensberg et al. 2000).

Two states per subject: the muscle's IL-6 production :math:`P` (ng/s) and the plasma
concentration :math:`C` (pg/mL).

.. math::
    \dot P = (P^* - P)/\tau, \quad \tau = \tau_{on}\ \text{if}\ P^* > P\ \text{else}\ \tau_{off},
    \qquad P^* = \frac{s}{a_{ref}} \sum_g m_g\,\bar a_g

.. math::
    \dot C = \frac{P}{V_{pl}} - k_{el}\,(C - C_b)

:math:`\sum_g m_g \bar a_g` (kg) is the fast layer's aggregate *active muscle mass × mean
activation*; :math:`s` = 6.8 ng·min⁻¹·kg⁻¹ at the Steensberg protocol's activation
:math:`a_{ref}`. Plasma clearance is fast (minutes); the slow post-exercise fall comes from the
decaying production state, as Steensberg's very high plasma turnover implies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STATES = ("il6_production", "il6_plasma")
INPUTS = ("active_mass_activation",)


@dataclass(frozen=True)
class IL6Parameters:
    """Arrays ``(subjects,)`` in pg/mL, ng/s/kg, 1, mL, 1/s, s, s."""

    baseline_plasma: np.ndarray
    production_per_active_kg: np.ndarray
    reference_activation: np.ndarray
    plasma_volume_ml: np.ndarray
    elimination_rate: np.ndarray
    rise_time: np.ndarray
    decay_time: np.ndarray


def initial(p: IL6Parameters) -> np.ndarray:
    """Resting steady state, shape ``(2, subjects)``."""
    return np.stack([np.zeros_like(p.baseline_plasma), p.baseline_plasma.copy()])


def rhs(y: np.ndarray, active_mass_activation: np.ndarray, p: IL6Parameters) -> np.ndarray:
    """Time derivative per second of ``y = (P [ng/s], C [pg/mL])``, batched over subjects."""
    prod, plasma = y
    target = p.production_per_active_kg / p.reference_activation * active_mass_activation
    tau = np.where(target > prod, p.rise_time, p.decay_time)
    d_prod = (target - prod) / tau
    d_plasma = prod * 1e3 / p.plasma_volume_ml - p.elimination_rate * (plasma - p.baseline_plasma)
    return np.stack([d_prod, d_plasma])
