r"""Whole-muscle fatigue: the three-compartment controller model (3CC, 3CC-r).

Xia & Frey Law (2008) split a muscle's motor units into active :math:`M_A`, resting
:math:`M_R` and fatigued :math:`M_F` fractions (:math:`M_A + M_R + M_F = 1`):

.. math::
    \dot M_A = C - F M_A, \qquad \dot M_R = -C + R_r M_F, \qquad \dot M_F = F M_A - R_r M_F

A controller :math:`C(t)` moves :math:`M_A` towards the target load :math:`TL` (fraction of MVC):

.. math::
    C = \begin{cases}
        L_D\,(TL - M_A) & M_A < TL,\ M_R > TL - M_A \\
        L_D\,M_R       & M_A < TL,\ M_R \le TL - M_A \\
        L_R\,(TL - M_A) & M_A \ge TL
    \end{cases}

The muscle fails a task when :math:`M_A + M_R < TL` (Frey-Law, Looft & Heitsman 2012), which is
the same as :math:`M_F > 1 - TL`. Recovery :math:`R_r = R` in the 3CC; the 3CC-r (Looft, Herkert
& Frey-Law 2018) multiplies it by the rest-recovery multiplier :math:`r` during rest. We apply
:math:`R_r = rR` only when :math:`TL = 0`, as Rakshit et al. (2021, eq. 7) do. (MyoSuite applies
it whenever :math:`M_A \ge TL`, which also boosts recovery while a contraction is being relaxed
to a lower, non-zero target; that variant is not implemented.)

Integration. :math:`C` is continuous and piecewise linear in the state, so between switches the
model is a linear ODE with a closed-form solution. :func:`step` advances each lane exactly
through its regime and locates the switches inside the step (the :math:`M_A = TL` crossing in
closed form, the :math:`M_F = 1 - TL` crossing, which is task failure, by bisection), so it is
exact up to rounding for any step ``h``: a 1 ms fast-layer step and a 1 s step give the same
trajectory, and a rest of hours costs one call (:func:`recover`). (A lane that switched regime
more than ``_MAX_SEGMENTS`` times within one step would finish it by operator splitting; no
such case is known, since a constant target load causes at most two switches.) Conservation and
non-negativity hold to rounding. The closed-form endurance time :func:`endurance_time` assumes
:math:`M_A = TL` from the start; the controller settles :math:`M_A` at
:math:`TL\,L_D/(L_D + F)` within ~:math:`1/L_D`, so the two differ by about :math:`F/L_D`
(< 0.2 % with :math:`L_D = 10\ \mathrm{s^{-1}}`).

All functions are batched: state and parameters broadcast together ((S,) or (S, units)).
Rates are in 1/s, times in s, loads and compartments are fractions of the motor-unit pool.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from myoaxis.core.errors import ParameterError, SimulationError

# Regimes of the controller.
_TRACK, _OVER, _LIMITED = 0, 1, 2
_MAX_SEGMENTS = 6  # regime switches resolved exactly within one step (two are the most seen)
_BISECTIONS = 50  # locates a switch to 2**-50 of the step


@dataclass(frozen=True)
class FatigueState:
    """Fractions of the motor-unit pool that are active (MA), resting (MR) and fatigued (MF)."""

    active: np.ndarray
    resting: np.ndarray
    fatigued: np.ndarray


def rest(shape: int | tuple[int, ...]) -> FatigueState:
    """A fully rested muscle: MA = 0, MR = 1, MF = 0."""
    return FatigueState(np.zeros(shape), np.ones(shape), np.zeros(shape))


def capacity(state: FatigueState) -> np.ndarray:
    """Force capacity as a fraction of the rested MVC: MA + MR (= 1 - MF)."""
    return state.active + state.resting


def failed(state: FatigueState, target_load) -> np.ndarray:
    """True where the muscle can no longer hold the target load: MA + MR < TL."""
    return capacity(state) < np.asarray(target_load, dtype=float)


def sustainable_load(F, R) -> np.ndarray:
    """Largest load held indefinitely, R / (F + R) (delta_max of Frey-Law et al. 2012)."""
    F, R = _rates(F, R)
    return R / (F + R)


def endurance_time(target_load, F, R) -> np.ndarray:
    r"""Closed-form endurance time (s) of a sustained load with :math:`M_A = TL`.

    .. math:: ET = -\ln\!\left(1 - \frac{R\,(1 - TL)}{F\,TL}\right) / R

    (:math:`(1-TL)/(F\,TL)` when :math:`R = 0`); ``inf`` for :math:`TL \le R/(F+R)`.
    """
    tl = np.asarray(target_load, dtype=float)
    if not np.all((tl >= 0) & (tl <= 1)):
        raise ParameterError("endurance_time: target load must lie in [0, 1] (fraction of MVC)")
    F, R = _rates(F, R)
    tl, F, R = np.broadcast_arrays(tl, F, R)
    no_recovery = np.divide(1 - tl, F * tl, out=np.full(tl.shape, np.inf), where=tl > 0)
    y = R * no_recovery  # fraction of the failure level that recovery cancels at steady state
    finite = np.isfinite(no_recovery) & (y < 1)
    rate = np.where(R > 0, R, 1.0)
    et = np.where(R > 0, -np.log1p(-np.where(finite, y, 0.0)) / rate, no_recovery)
    return np.where(finite, et, np.inf)


def step(state: FatigueState, target_load, F, R, r, LD, LR, h) -> FatigueState:
    """Advance the 3CC-r over ``h`` seconds at a constant target load (exact, any ``h``).

    ``F``, ``R``: fatigue and recovery rates (1/s); ``r``: rest-recovery multiplier, applied when
    ``target_load`` is 0 (r = 1 gives the original 3CC); ``LD``, ``LR``: force development and
    relaxation rates of the controller (1/s). All arguments broadcast against the state.
    """
    tl, h = _inputs(target_load, h, "step")
    F, R, r, LD, LR = _parameters(F, R, r, LD, LR)
    rho = np.where(tl > 0, R, r * R)
    return _run(state, tl, F, rho, LD, LR, h)


def recover(state: FatigueState, F, R, r, seconds, LR) -> FatigueState:
    r"""Rest (``TL = 0``) for ``seconds``, in closed form (one call for any duration).

    The controller relaxes the active fraction, :math:`\dot M_A = -(L_R + F) M_A`, while the
    fatigued fraction recovers at :math:`rR`:

    .. math::
        M_A(t) = M_A^0 e^{-kt},\quad
        M_F(t) = M_F^0 e^{-rRt} + F M_A^0 \frac{e^{-rRt} - e^{-kt}}{k - rR},\quad k = L_R + F

    and :math:`M_R = 1 - M_A - M_F`. Equal to :func:`step` with ``target_load = 0``.
    """
    zero, t = _inputs(0.0, seconds, "recover")
    F, R, r, LR, _ = _parameters(F, R, r, LR, LR)
    return _run(state, zero, F, r * R, LR, LR, t)


# --------------------------------------------------------------------------- input checks


def _rates(F, R) -> tuple[np.ndarray, np.ndarray]:
    F, R = np.asarray(F, dtype=float), np.asarray(R, dtype=float)
    if not (np.all(F > 0) and np.all(R >= 0) and np.isfinite(F + R).all()):
        if not np.all(np.isfinite(F) & (F > 0)):
            raise ParameterError("3CC fatigue rate F must be finite and > 0 (1/s)")
        raise ParameterError("3CC recovery rate R must be finite and >= 0 (1/s)")
    return F, R


def _parameters(F, R, r, LD, LR) -> tuple[np.ndarray, ...]:
    F, R = _rates(F, R)
    r, LD, LR = (np.asarray(x, dtype=float) for x in (r, LD, LR))
    if not (
        np.all(r >= 0) and np.all(LD > 0) and np.all(LR > 0) and np.isfinite(r + LD + LR).all()
    ):
        if not np.all(np.isfinite(r) & (r >= 0)):
            raise ParameterError("3CC-r rest-recovery multiplier r must be finite and >= 0")
        raise ParameterError("3CC controller rates LD and LR must be finite and > 0 (1/s)")
    return F, R, r, LD, LR


def _inputs(target_load, h, where: str) -> tuple[np.ndarray, np.ndarray]:
    tl, h = np.asarray(target_load, dtype=float), np.asarray(h, dtype=float)
    if not (np.all((tl >= 0) & (tl <= 1)) and np.all(h >= 0) and np.isfinite(h).all()):
        if not np.all((tl >= 0) & (tl <= 1)):
            raise SimulationError(
                f"fatigue.{where}: target load must lie in [0, 1] (fraction of MVC)"
            )
        raise SimulationError(f"fatigue.{where}: the duration must be finite and >= 0 s")
    return tl, h


# --------------------------------------------------------------------------- exact solutions


def _decay_integral(k, t):
    """(1 - exp(-k t)) / k, = t at k = 0."""
    safe = np.where(k > 0, k, 1.0)
    return np.where(k * t > 1e-12, -np.expm1(-k * t) / safe, t)


def _convolution(k, rho, t):
    """∫₀ᵗ exp(-k s) exp(-rho (t - s)) ds = (exp(-rho t) - exp(-k t)) / (k - rho), stably."""
    lo = np.minimum(k, rho)
    return np.exp(-lo * t) * _decay_integral(np.abs(k - rho), t)


def _track(a, f, tl, F, rho, L, t):
    """Exact solution while C = L (TL - MA): MA relaxes to a* = L TL / (L + F)."""
    k = L + F
    a_eq = L * tl / k
    da = a - a_eq
    a_t = a_eq + da * np.exp(-k * t)
    f_t = f * np.exp(-rho * t) + F * (a_eq * _decay_integral(rho, t) + da * _convolution(k, rho, t))
    return a_t, f_t


def _limited(a, f, F, rho, LD, t):
    """Exact solution while C = LD MR (too few resting units to reach the target).

    With MR = 1 - MA - MF the model is x' = J x + c, x = (MA, MF), J = [[-(LD+F), -LD], [F, -rho]],
    c = (LD, 0): x(t) = x* + exp(J t)(x0 - x*), x* = LD (rho, F) / det J, and
    exp(J t) = e^{mu t}[cosh(s t) I + sinh(s t)/s (J - mu I)], mu = tr J / 2, s² = mu² - det J.
    """
    det = (LD + F) * rho + LD * F
    a_eq, f_eq = LD * rho / det, LD * F / det
    ya, yf = a - a_eq, f - f_eq
    mu = -(LD + F + rho) / 2
    p = (LD + F - rho) / 2  # J - mu I = [[-p, -LD], [F, p]], (J - mu I)² = (p² - LD F) I
    q = p * p - LD * F
    s = np.sqrt(np.abs(q))
    # real eigenvalues (q > 0), written without overflow: e^{mu t} cosh, e^{mu t} sinh / s
    e1 = np.exp((mu + s) * t)
    cosh_r = 0.5 * (e1 + np.exp((mu - s) * t))
    sinh_r = e1 * _decay_integral(2 * s, t)
    # complex eigenvalues (q < 0)
    em = np.exp(mu * t)
    cos_c = em * np.cos(s * t)
    sin_c = em * np.where(s * t > 1e-12, np.sin(s * t) / np.where(s > 0, s, 1.0), t)
    c, sn = np.where(q > 0, cosh_r, cos_c), np.where(q > 0, sinh_r, sin_c)
    a_t = a_eq + c * ya + sn * (-p * ya - LD * yf)
    f_t = f_eq + c * yf + sn * (F * ya + p * yf)
    return a_t, f_t


def _solve(regime, a, f, tl, F, rho, LD, LR, t):
    """State after ``t`` seconds in a fixed regime (one per lane)."""
    a_t, f_t = _track(a, f, tl, F, rho, np.where(regime == _OVER, LR, LD), t)
    lim = np.flatnonzero(regime == _LIMITED)
    if lim.size:
        a_t[lim], f_t[lim] = _limited(a[lim], f[lim], F[lim], rho[lim], LD[lim], t[lim])
    return a_t, f_t


def _classify(a, f, tl):
    """Controller regime: OVER (MA > TL), LIMITED (MA < TL, MA + MR <= TL) or TRACK."""
    return np.where(a > tl, _OVER, np.where((a < tl) & (f >= 1 - tl), _LIMITED, _TRACK))


def _switch_time(regime, a, f, tl, F, rho, LD, LR, t):
    """Time of the first switch within ``t`` for lanes whose end state changed regime."""
    # OVER -> TRACK: MA falls to TL, closed form (a* < TL for TL > 0)
    L = np.where(regime == _OVER, LR, LD)
    k = L + F
    a_eq = L * tl / k
    ratio = np.divide(a - a_eq, tl - a_eq, out=np.ones_like(a), where=tl > a_eq)
    t_over = np.clip(np.log(np.maximum(ratio, 1.0)) / k, 0.0, t)
    # TRACK <-> LIMITED: MF crosses 1 - TL, by bisection (the side past the switch is kept)
    lo, hi = np.zeros_like(t), t.copy()
    rising = regime == _TRACK
    boundary = 1 - tl
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        _, f_mid = _solve(regime, a, f, tl, F, rho, LD, LR, mid)
        past = np.where(rising, f_mid > boundary, f_mid < boundary)
        hi, lo = np.where(past, mid, hi), np.where(past, lo, mid)
    return np.where(regime == _OVER, t_over, hi)


def _advance(a, f, tl, F, rho, LD, LR, left):
    """Exact piecewise solution over ``left`` seconds (1-D lanes, arrays modified in place)."""
    regime = _classify(a, f, tl)
    for _ in range(_MAX_SEGMENTS):
        idx = np.flatnonzero(left > 0)
        if idx.size == 0:
            return a, f
        args = (tl[idx], F[idx], rho[idx], LD[idx], LR[idx])
        reg, a0, f0, t = regime[idx], a[idx], f[idx], left[idx]
        a1, f1 = _solve(reg, a0, f0, *args, t)
        boundary = 1 - args[0]
        switched = np.where(
            reg == _OVER,
            a1 < args[0],
            np.where(reg == _TRACK, f1 > boundary, f1 < boundary),
        )
        left[idx] = 0.0
        a[idx], f[idx] = a1, f1
        sw = np.flatnonzero(switched)
        if sw.size == 0:
            return a, f
        j = idx[sw]
        sub = tuple(x[sw] for x in args)
        t_sw = _switch_time(reg[sw], a0[sw], f0[sw], *sub, t[sw])
        a_sw, f_sw = _solve(reg[sw], a0[sw], f0[sw], *sub, t_sw)
        over = reg[sw] == _OVER
        a[j] = np.where(over, sub[0], a_sw)  # MA = TL exactly at the OVER -> TRACK switch
        f[j] = f_sw
        left[j] = t[sw] - t_sw
        regime[j] = np.where(reg[sw] == _LIMITED, _TRACK, np.where(over, _TRACK, _LIMITED))
    rest_ = np.flatnonzero(left > 0)  # pathological chattering: finish with operator splitting
    if rest_.size:
        args = (tl[rest_], F[rest_], rho[rest_], LD[rest_], LR[rest_])
        a[rest_], f[rest_] = _split_advance(a[rest_], f[rest_], *args, left[rest_])
    return a, f


def _split_advance(a, f, tl, F, rho, LD, LR, t):
    """Strang splitting (fatigue/recovery half step, controller, half step), each part exact.

    A fallback for lanes whose regime switches more than ``_MAX_SEGMENTS`` times in one step:
    every part keeps the fractions non-negative and their sum; accuracy is O(F t) for L t >> 1.
    """
    a, f = _slow(a, f, F, rho, t / 2)
    m = np.maximum(1 - a - f, 0.0)
    below = a < tl
    goal = np.where(below, np.minimum(tl, a + m), tl)
    a = goal + (a - goal) * np.exp(-np.where(below, LD, LR) * t)
    return _slow(a, f, F, rho, t / 2)


def _slow(a, f, F, rho, t):
    """MA -> MF at F and MF -> MR at rho, exactly (no controller)."""
    return a * np.exp(-F * t), f * np.exp(-rho * t) + F * a * _convolution(F, rho, t)


def _run(state, tl, F, rho, LD, LR, h) -> FatigueState:
    a, f = np.asarray(state.active, dtype=float), np.asarray(state.fatigued, dtype=float)
    # Fast path: no lane is limited or switches regime within the step (the usual case).
    regime = _classify(a, f, tl)
    a1, f1 = _track(a, f, tl, F, rho, np.where(regime == _OVER, LR, LD), h)
    stays = np.where(regime == _OVER, a1 >= tl, (regime == _TRACK) & (f1 <= 1 - tl))
    if not np.all(stays):
        arrays = (a, f, tl, F, rho, LD, LR, h)
        shape = np.broadcast_shapes(*(np.shape(x) for x in arrays))
        flat = [np.broadcast_to(x, shape).ravel() for x in arrays]
        a1, f1 = _advance(flat[0].copy(), flat[1].copy(), *flat[2:7], flat[7].copy())
        a1, f1 = a1.reshape(shape), f1.reshape(shape)
    a1, f1 = np.broadcast_arrays(a1, f1)
    a1 = np.clip(a1, 0.0, 1.0)
    free = 1.0 - a1
    f1 = np.clip(f1, 0.0, free)
    return FatigueState(a1, free - f1, f1)
