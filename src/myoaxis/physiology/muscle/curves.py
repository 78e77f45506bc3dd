r"""Hill-type muscle curves of De Groote, Kinney, Rao & Fregly (2016), as in OpenSim 4.6.

Smooth analytic curves (constants as in OpenSim's ``DeGrooteFregly2016Muscle``, where
:math:`b_{11}` was adjusted so that :math:`f_L(1) = 1` and :math:`d_1, d_4` so that
:math:`f_V(-1) = 0`, :math:`f_V(0) = 1`):

* active force–length :math:`f_L(\tilde l) = \sum_{k=1}^{3} b_{1k}
  \exp\!\big(-\tfrac12 (\tilde l - b_{2k})^2 / (b_{3k} + b_{4k}\tilde l)^2\big)`;
* passive force–length :math:`f_{PE} = (e^{k_{PE}(\tilde l - 1)/e_0} - o)/(e^{k_{PE}} - o)`,
  :math:`o = e^{k_{PE}(0.2 - 1)/e_0}`, :math:`k_{PE} = 4`;
* force–velocity :math:`f_V(\tilde v) = d_1 \ln\!\big(d_2\tilde v + d_3 +
  \sqrt{(d_2\tilde v + d_3)^2 + 1}\big) + d_4`, :math:`\tilde v` in :math:`v_{max} L_0`,
  positive when lengthening;
* tendon :math:`f_T(\tilde l_T) = c_1 e^{k_T(\tilde l_T - c_2)} - c_3`,
  :math:`k_T = \ln((1 + c_3)/c_1)/\varepsilon_T`.

``tests/test_mtu_curves.py`` compares every curve with OpenSim 4.6's own values
(``data/reference/opensim_degroote2016_curves.csv``, made by
``scripts/opensim_reference_curves.py``).
"""

from __future__ import annotations

import numpy as np

# Active force–length Gaussians (b1k, b2k, b3k, b4k), De Groote 2016 via OpenSim 4.6.
_B = np.array(
    [
        [0.8150671134243542, 1.055033428970575, 0.162384573599574, 0.063303448465465],
        [0.433004984392647, 0.716775413397760, -0.029947116970696, 0.200356847296188],
        [0.1, 1.0, 0.353553390593274, 0.0],
    ]
)
# Force–velocity constants d1..d4 (De Groote 2016; d1, d4 re-solved in OpenSim 4.6).
_D1, _D2, _D3, _D4 = -0.3211346127989808, -8.149, -0.374, 0.8825327733249912
# Tendon constants c1..c3 (OpenSim 4.6 values; the paper has c2 = 0.995, c3 = 0.25).
_C1, _C2, _C3 = 0.2, 1.0, 0.2
_KPE = 4.0  # passive exponential shape (De Groote 2016)
_LMIN = 0.2  # normalised fibre length where passive force is zero (OpenSim 4.6)


def active_force_length_slope(l_norm, width_scale=1.0):
    """:math:`f_L` and its derivative with respect to the normalised fibre length."""
    x = ((np.asarray(l_norm, dtype=float) - 1.0) / width_scale + 1.0)[..., None]
    b1, b2, b3, b4 = _B.T
    width = b3 + b4 * x
    terms = b1 * np.exp(-0.5 * (x - b2) ** 2 / width**2)
    dlog = -(x - b2) / width**2 + b4 * (x - b2) ** 2 / width**3
    return terms.sum(axis=-1), (terms * dlog).sum(axis=-1) / width_scale


def active_force_length(l_norm, width_scale=1.0):
    """Active force–length multiplier :math:`f_L`."""
    return active_force_length_slope(l_norm, width_scale)[0]


def passive_force_length_slope(l_norm, strain_at_one=0.6):
    """Passive fibre force multiplier :math:`f_{PE}` (1 at ``1 + strain_at_one``) and slope."""
    offset = np.exp(_KPE * (_LMIN - 1.0) / strain_at_one)
    scale = np.exp(_KPE) - offset
    grow = np.exp(_KPE * (np.asarray(l_norm, dtype=float) - 1.0) / strain_at_one)
    return (grow - offset) / scale, _KPE / strain_at_one * grow / scale


def passive_force_length(l_norm, strain_at_one=0.6):
    """Passive fibre force multiplier :math:`f_{PE}` (1 at ``1 + strain_at_one``)."""
    return passive_force_length_slope(l_norm, strain_at_one)[0]


def force_velocity_slope(v_norm):
    """:math:`f_V` and its derivative; ``v_norm`` > 0 is lengthening."""
    t = _D2 * np.asarray(v_norm, dtype=float) + _D3
    root = np.sqrt(t * t + 1.0)
    return _D1 * np.log(t + root) + _D4, _D1 * _D2 / root


def force_velocity(v_norm):
    """Force–velocity multiplier :math:`f_V`; ``v_norm`` > 0 is lengthening."""
    return force_velocity_slope(v_norm)[0]


def force_velocity_inverse(f_v):
    """Normalised velocity giving multiplier ``f_v`` (inverse of :func:`force_velocity`)."""
    return (np.sinh((np.asarray(f_v, dtype=float) - _D4) / _D1) - _D3) / _D2


def _tendon_stiffness(strain_at_one):
    return np.log((1.0 + _C3) / _C1) / strain_at_one


def tendon_force_length_slope(lt_norm, strain_at_one=0.049):
    """Tendon force multiplier :math:`f_T` of the normalised tendon length, and its slope."""
    k_t = _tendon_stiffness(strain_at_one)
    grow = _C1 * np.exp(k_t * (np.asarray(lt_norm, dtype=float) - _C2))
    return grow - _C3, k_t * grow


def tendon_force_length(lt_norm, strain_at_one=0.049):
    """Tendon force multiplier :math:`f_T` of the normalised tendon length (1 = slack)."""
    return tendon_force_length_slope(lt_norm, strain_at_one)[0]


def tendon_length_at_force(f_t, strain_at_one=0.049):
    """Normalised tendon length at tendon force multiplier ``f_t`` (inverse of f_T)."""
    return _C2 + np.log((np.asarray(f_t, dtype=float) + _C3) / _C1) / _tendon_stiffness(
        strain_at_one
    )
