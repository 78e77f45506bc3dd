r"""Hill-type muscle–tendon unit with an elastic tendon (De Groote et al. 2016 curves).

Equilibrium of tendon and fibre along the tendon, with constant-height pennation
(:math:`\tilde l \sin\alpha = \sin\alpha_0`):

.. math::
    f_T\!\big((L_{MT} - l_M\cos\alpha)/L_s\big) =
    \big(a f_L(\tilde l) f_V(\tilde v) + f_{PE}(\tilde l) + \beta\tilde v\big)\cos\alpha

The state is the normalised fibre length :math:`\tilde l`. Each step solves the equilibrium for
:math:`\tilde l_{n+1}` with :math:`\tilde v = (\tilde l_{n+1} - \tilde l_n)/(h\,v_{max})`
(backward Euler), which stays stable however stiff the tendon is at low activation. The
residual is increasing in :math:`\tilde l_{n+1}` for small steps, so a Newton iteration
safeguarded by bisection on a bracket converges for every subject and head at once.
Arrays broadcast over ``(subjects, heads)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from myoaxis.physiology.muscle import curves

_L_MIN, _L_MAX = 0.2, 1.8  # normalised fibre-length bounds (OpenSim 4.6 DeGroote class)


@dataclass(frozen=True)
class MTUParameters:
    """Per-head muscle–tendon parameters, arrays of shape ``(subjects, heads)``."""

    max_isometric_force: np.ndarray  # N
    optimal_fiber_length: np.ndarray  # m
    tendon_slack_length: np.ndarray  # m
    pennation_at_optimal: np.ndarray  # rad
    max_contraction_velocity: np.ndarray  # optimal fibre lengths per second
    tendon_strain_at_one: np.ndarray
    passive_strain_at_one: np.ndarray
    fiber_damping: np.ndarray


def cos_pennation(p: MTUParameters, l_norm):
    """:math:`\\cos\\alpha` at normalised fibre length (constant-height pennation)."""
    sin_a = np.minimum(np.sin(p.pennation_at_optimal) / l_norm, 0.995)
    return np.sqrt(1.0 - sin_a**2)


def tendon_force(p: MTUParameters, l_mt, l_norm):
    """Normalised tendon force for MTU length ``l_mt`` (m) and fibre length ``l_norm``."""
    l_t = l_mt - l_norm * p.optimal_fiber_length * cos_pennation(p, l_norm)
    return curves.tendon_force_length(l_t / p.tendon_slack_length, p.tendon_strain_at_one)


def _residual(p, l_mt, a, l_new, l_old, h):
    """Equilibrium residual (fibre minus tendon force, normalised) and its slope in l_new."""
    rate = 1.0 / (h * p.max_contraction_velocity)
    v = (l_new - l_old) * rate
    f_l, df_l = curves.active_force_length_slope(l_new)
    f_v, df_v = curves.force_velocity_slope(v)
    f_pe, df_pe = curves.passive_force_length_slope(l_new, p.passive_strain_at_one)
    fiber = a * f_l * f_v + f_pe + p.fiber_damping * v
    d_fiber = a * (df_l * f_v + f_l * df_v * rate) + df_pe + p.fiber_damping * rate
    sin0 = np.sin(p.pennation_at_optimal)
    cos_a = cos_pennation(p, l_new)
    d_cos = sin0**2 / l_new**3 / cos_a
    l_t = (l_mt - l_new * p.optimal_fiber_length * cos_a) / p.tendon_slack_length
    f_t, df_t = curves.tendon_force_length_slope(l_t, p.tendon_strain_at_one)
    dl_t = -p.optimal_fiber_length * (cos_a + l_new * d_cos) / p.tendon_slack_length
    return fiber * cos_a - f_t, d_fiber * cos_a + fiber * d_cos - df_t * dl_t


def step(p: MTUParameters, l_mt, a, l_norm, h, *, tol=1e-9, max_iter=50):
    """Advance the fibre length over ``h`` seconds; returns ``(l_norm, tendon_force_N)``.

    ``l_mt`` is the MTU length at the end of the step, ``a`` the activation over it.
    """
    shape = np.broadcast(l_norm, l_mt, a, p.optimal_fiber_length).shape
    lo = np.full(shape, _L_MIN)
    hi = np.full(shape, _L_MAX)
    x = np.broadcast_to(l_norm, shape).astype(float)
    for _ in range(max_iter):
        r, dr = _residual(p, l_mt, a, x, l_norm, h)
        if np.all(np.abs(r) < tol):
            break
        lo = np.where(r < 0, x, lo)
        hi = np.where(r >= 0, x, hi)
        newton = x - r / np.where(dr > 0, dr, np.inf)
        inside = (dr > 0) & (newton > lo) & (newton < hi)
        x = np.where(inside, newton, 0.5 * (lo + hi))
    f_t = tendon_force(p, l_mt, x)
    return x, f_t * p.max_isometric_force


def static_fiber_length(p: MTUParameters, l_mt, a):
    """Fibre length in static equilibrium (zero velocity) at activation ``a``."""
    x = np.ones(np.broadcast(l_mt, a, p.optimal_fiber_length).shape)
    for _ in range(3):  # a long step relaxes to the static equilibrium
        x, _f = step(p, l_mt, a, x, 1e3)
    return x


def mtu_length_at(p: MTUParameters, l_norm, a=1.0):
    """MTU length that puts the fibre at ``l_norm`` in static equilibrium at activation ``a``."""
    cos_a = cos_pennation(p, l_norm)
    f_t = (
        a * curves.active_force_length(l_norm)
        + curves.passive_force_length(l_norm, p.passive_strain_at_one)
    ) * cos_a
    l_t = curves.tendon_length_at_force(f_t, p.tendon_strain_at_one) * p.tendon_slack_length
    return l_norm * p.optimal_fiber_length * cos_a + l_t
