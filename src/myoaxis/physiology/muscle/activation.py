r"""First-order activation dynamics (Thelen 2003 form, as in OpenSim).

.. math::
    \dot a = (u - a)/\tau, \qquad
    \tau = \begin{cases} \tau_{act}(0.5 + 1.5a) & u > a \\
                         \tau_{deact}/(0.5 + 1.5a) & u \le a \end{cases}

Used in the *mean-field* drive mode, where the pool's deterministic steady force replaces the
spiking twitch sum. Integrated with the exponential (exact for frozen :math:`\tau`) update
:math:`a \leftarrow u + (a - u)e^{-h/\tau}`, stable for any step.
"""

from __future__ import annotations

import numpy as np


def advance(a, u, h, tau_act, tau_deact):
    """Activation after a step ``h`` (s) at excitation ``u``; arrays broadcast over subjects."""
    a = np.asarray(a, dtype=float)
    scale = 0.5 + 1.5 * a
    tau = np.where(u > a, tau_act * scale, tau_deact / scale)
    return u + (a - u) * np.exp(-h / tau)
