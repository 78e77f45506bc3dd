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

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.physiology.ports import ACTIVE_MASS

IL6 = Component(
    name="il6",
    states=(
        State(
            "il6_production",
            "ng/s",
            "IL-6 production rate of the active muscle",
            rate="(il6_production_target - il6_production) / where("
            "il6_production_target > il6_production, "
            "il6.production_rise_time, il6.production_decay_time)",
            initial="0",
            scale=0.1,
        ),
        State(
            "il6_plasma",
            "pg/mL",
            "plasma interleukin-6 concentration",
            rate="il6_production / il6.plasma_volume "
            "- il6.elimination_rate * (il6_plasma - il6.baseline_plasma)",
            initial="il6.baseline_plasma",
            scale=1.0,
        ),
    ),
    parameters={
        "il6.baseline_plasma": "pg/mL",
        "il6.production_per_active_kg": "ng/s/kg",
        "il6.reference_activation": "dimensionless",
        "il6.plasma_volume": "L",
        "il6.elimination_rate": "1/s",
        "il6.production_rise_time": "s",
        "il6.production_decay_time": "s",
    },
    inputs=(ACTIVE_MASS,),
    assignments=(
        Assignment(
            "il6_production_target",
            "ng/s",
            "IL-6 production the active muscle tends to",
            "il6.production_per_active_kg / il6.reference_activation * active_mass_activation",
        ),
    ),
    citations=("steensberg2000", "fischer2006"),
)
