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
safeguarded by bisection on a bracket converges for every subject and head. The solve is a
compiled (numba) loop over ``(subjects, heads)``; each element iterates until its own residual
is below ``tol``. Arrays broadcast over ``(subjects, heads)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from myoaxis.core.errors import SimulationError
from myoaxis.physiology.muscle import curves

_L_MIN, _L_MAX = 0.2, 1.8  # normalised fibre-length bounds (OpenSim 4.6 DeGroote class)
_SIN_MAX = 0.995  # pennation cap: sin(alpha) never exceeds this

# The curves' constants, frozen into the compiled kernel (one source: ``curves``).
_B = curves._B.copy()
_D1, _D2, _D3, _D4 = curves._D1, curves._D2, curves._D3, curves._D4
_C1, _C2, _C3 = curves._C1, curves._C2, curves._C3
_KPE, _LMIN_PE = curves._KPE, curves._LMIN


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
    sin_a = np.minimum(np.sin(p.pennation_at_optimal) / l_norm, _SIN_MAX)
    return np.sqrt(1.0 - sin_a**2)


def tendon_force(p: MTUParameters, l_mt, l_norm):
    """Normalised tendon force for MTU length ``l_mt`` (m) and fibre length ``l_norm``."""
    l_t = l_mt - l_norm * p.optimal_fiber_length * cos_pennation(p, l_norm)
    return curves.tendon_force_length(l_t / p.tendon_slack_length, p.tendon_strain_at_one)


@njit(cache=True, inline="always")
def _at(x, s, j):  # pragma: no cover - compiled
    """Element ``(s, j)`` of a 2-D array broadcast over ``(subjects, heads)``."""
    return x[min(s, x.shape[0] - 1), min(j, x.shape[1] - 1)]


@njit(cache=True, inline="always")
def _residual(
    x, x_old, l_mt, a, rate, l_opt, l_slack, sin0, k_t, k_pe, pe_offset, pe_scale, beta
):  # pragma: no cover - compiled
    """Equilibrium residual (fibre minus tendon force, normalised) and its slope in ``x``, at
    fibre length ``x`` of one head (scalars)."""
    v = (x - x_old) * rate
    f_l = 0.0
    df_l = 0.0
    for k in range(3):  # active force-length: three Gaussians
        width = _B[k, 2] + _B[k, 3] * x
        d = x - _B[k, 1]
        term = _B[k, 0] * np.exp(-0.5 * d**2 / width**2)
        f_l += term
        df_l += term * (-d / width**2 + _B[k, 3] * d**2 / width**3)
    t = _D2 * v + _D3  # force-velocity
    root = np.sqrt(t * t + 1.0)
    f_v = _D1 * np.log(t + root) + _D4
    df_v = _D1 * _D2 / root
    grow = np.exp(k_pe * (x - 1.0))  # passive force-length
    f_pe = (grow - pe_offset) / pe_scale
    df_pe = k_pe * grow / pe_scale
    fiber = a * f_l * f_v + f_pe + beta * v
    d_fiber = a * (df_l * f_v + f_l * df_v * rate) + df_pe + beta * rate
    sin_a = min(sin0 / x, _SIN_MAX)
    cos_a = np.sqrt(1.0 - sin_a**2)
    d_cos = sin0**2 / x**3 / cos_a
    l_t = (l_mt - x * l_opt * cos_a) / l_slack
    grow_t = _C1 * np.exp(k_t * (l_t - _C2))  # tendon force-length
    dl_t = -l_opt * (cos_a + x * d_cos) / l_slack
    return fiber * cos_a - (grow_t - _C3), d_fiber * cos_a + fiber * d_cos - k_t * grow_t * dl_t


@njit(cache=True)
def _step_kernel(
    l_mt,
    a,
    l_old,
    h,
    f_max,
    l_opt,
    l_slack,
    pennation,
    v_max,
    tendon_strain,
    passive_strain,
    damping,
    tol,
    max_iter,
    x_out,
    force_out,
):  # pragma: no cover - compiled
    r"""Backward-Euler equilibrium of every head; fills ``x_out`` and ``force_out`` (N).

    Inputs are 2-D arrays broadcast (size-1 axes) over ``x_out``'s ``(subjects, heads)``.
    For each head, with :math:`x = \tilde l_{n+1}`, :math:`\tilde v = (x - \tilde l_n)/(h v_{max})`
    and :math:`\cos\alpha = \sqrt{1 - \min(\sin\alpha_0/x, 0.995)^2}`, solve

    .. math::
        R(x) = \big(a f_L(x) f_V(\tilde v) + f_{PE}(x) + \beta\tilde v\big)\cos\alpha
               - f_T\big((L_{MT} - x L_0\cos\alpha)/L_s\big) = 0

    from :math:`x = \tilde l_n` by Newton steps :math:`x \leftarrow x - R/R'` safeguarded by
    bisection of the bracket :math:`[l_o, l_h]` (from :math:`[0.2, 1.8]`;
    :math:`l_o \leftarrow x` where :math:`R < 0`, else :math:`l_h \leftarrow x`): a Newton step
    that leaves the bracket, or is longer than half the step before last (slow progress, as on
    the tendon's exponential), is replaced by bisection (``rtsafe``, Press et al., Numerical
    Recipes §9.4). The iteration stops when :math:`|R| < tol` (at most ``max_iter``
    evaluations); the converged point gets one more Newton step (free: :math:`R, R'` are known),
    which makes the root exact to rounding. The force is :math:`F_0 f_T` there.
    """
    n_sub, n_heads = x_out.shape
    for s in range(n_sub):
        for j in range(n_heads):
            x_old = _at(l_old, s, j)
            lmt = _at(l_mt, s, j)
            act = _at(a, s, j)
            rate = 1.0 / (_at(h, s, j) * _at(v_max, s, j))
            l0 = _at(l_opt, s, j)
            ls = _at(l_slack, s, j)
            sin0 = np.sin(_at(pennation, s, j))
            k_t = np.log((1.0 + _C3) / _C1) / _at(tendon_strain, s, j)
            k_pe = _KPE / _at(passive_strain, s, j)
            pe_offset = np.exp(k_pe * (_LMIN_PE - 1.0))
            pe_scale = np.exp(_KPE) - pe_offset
            beta = _at(damping, s, j)
            lo, hi, x = _L_MIN, _L_MAX, x_old
            dx = dx_old = _L_MAX - _L_MIN
            for _ in range(max_iter):
                r, dr = _residual(
                    x, x_old, lmt, act, rate, l0, ls, sin0, k_t, k_pe, pe_offset, pe_scale, beta
                )
                if r < 0.0:
                    lo = x
                else:
                    hi = x
                newton = x - r / dr if dr > 0.0 else np.nan
                inside = lo < newton < hi
                if abs(r) < tol:
                    if inside:
                        x = newton
                    break
                # Newton only while it beats bisection: its step under half the one before last
                fast = abs(2.0 * r) <= abs(dx_old * dr)
                dx_old = dx
                if inside and fast:
                    dx, x = x - newton, newton
                else:
                    dx, x = 0.5 * (hi - lo), 0.5 * (lo + hi)
            sin_a = min(sin0 / x, _SIN_MAX)
            l_t = (lmt - x * l0 * np.sqrt(1.0 - sin_a**2)) / ls
            x_out[s, j] = x
            force_out[s, j] = (_C1 * np.exp(k_t * (l_t - _C2)) - _C3) * _at(f_max, s, j)


def _as_2d(x: np.ndarray) -> np.ndarray:
    if x.ndim > 2:
        raise SimulationError(
            f"muscle–tendon step takes (subjects, heads) arrays; got an array of shape {x.shape}"
        )
    return x.reshape((1,) * (2 - x.ndim) + x.shape)


def step(p: MTUParameters, l_mt, a, l_norm, h, *, tol=1e-9, max_iter=50):
    """Advance the fibre length over ``h`` seconds; returns ``(l_norm, tendon_force_N)``.

    ``l_mt`` is the MTU length at the end of the step, ``a`` the activation over it. Each head
    is solved to ``|R| < tol`` (normalised force) plus one Newton step (see ``_step_kernel``).
    """
    args = [
        np.asarray(x, dtype=np.float64)
        for x in (
            l_mt,
            a,
            l_norm,
            h,
            p.max_isometric_force,
            p.optimal_fiber_length,
            p.tendon_slack_length,
            p.pennation_at_optimal,
            p.max_contraction_velocity,
            p.tendon_strain_at_one,
            p.passive_strain_at_one,
            p.fiber_damping,
        )
    ]
    if any(x.ndim != 2 for x in args):
        args = [_as_2d(x) for x in args]
    shape = (max(x.shape[0] for x in args), max(x.shape[1] for x in args))
    if any(x.shape[0] not in (1, shape[0]) or x.shape[1] not in (1, shape[1]) for x in args):
        shapes = ", ".join(str(x.shape) for x in args)
        raise SimulationError(f"muscle–tendon step: shapes do not broadcast: {shapes}")
    x_out, force = np.empty(shape), np.empty(shape)
    _step_kernel(*args, float(tol), int(max_iter), x_out, force)
    return x_out, force


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
