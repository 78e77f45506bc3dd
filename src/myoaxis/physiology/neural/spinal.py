r"""Spinal interneurons between an antagonist pair.

Ia reciprocal inhibition: the excitation reaching each pool is its descending command minus a
weighted share of the antagonist's command (Ia inhibitory interneurons fed by the same
descending drive), so a strong flexor command silences the extensor unless the cortex asks for
co-contraction above that inhibition:

.. math::
    u_f^{eff} = \max(0,\ u_f - w\,u_e), \qquad u_e^{eff} = \max(0,\ u_e - w\,u_f)
"""

from __future__ import annotations

import numpy as np


def reciprocal_inhibition(u_flexor, u_extensor, weight):
    """Effective excitations of a flexor/extensor pair after Ia reciprocal inhibition."""
    return (
        np.maximum(0.0, u_flexor - weight * u_extensor),
        np.maximum(0.0, u_extensor - weight * u_flexor),
    )


def torque_shares(torque_demand, flexor_capacity, extensor_capacity, cocontraction):
    """Split a joint-torque demand into flexor and extensor force shares plus co-contraction.

    Capacities are the maximal torques (N m) of each side; the co-contraction share is added to
    both so that the joint is stiffened while it moves. Shares are fractions of maximal force;
    the cortex turns them into excitations through its internal model of each pool.
    """
    share_f = cocontraction + np.maximum(torque_demand, 0.0) / flexor_capacity
    share_e = cocontraction + np.maximum(-torque_demand, 0.0) / extensor_capacity
    return np.clip(share_f, 0.0, 1.0), np.clip(share_e, 0.0, 1.0)
