r"""Muscle afferents: spindle primary (Ia) and secondary (II) endings, Golgi tendon organs (Ib).

**Spindle** (Mileusnic, Brown, Lan & Loeb 2006). Three intrafusal fibres :math:`i` — bag1 (driven
by dynamic fusimotor input :math:`\gamma_d`), bag2 and chain (static input :math:`\gamma_s`) —
each a sensory region (spring :math:`K_{SR}`) in series with a polar region (spring
:math:`K_{PR}`, nonlinear damping, fusimotor force), with a small mass :math:`M` between them.
Lengths are in optimal fascicle lengths :math:`L_0` (the normalised fibre length of
:mod:`myoaxis.physiology.muscle.mtu`), velocities in :math:`L_0/s`. Fusimotor activation:

.. math::
    \tau_i \dot f_i = \frac{\gamma^p}{\gamma^p + \phi_i^p} - f_i \quad (\text{chain: } \tau = 0),
    \qquad \beta_i = \beta_{0,i} + \beta_{f,i} f_i,\quad \Gamma_i = \Gamma_{f,i} f_i .

With the polar-region length :math:`x` and its velocity :math:`u` as state, the sensory-region
tension is :math:`T = K_{SR}(L - L_{0SR} - x)` and the paper's tension equation (its Eq. 6,
:math:`\ddot T = (K_{SR}/M)[C\beta\,\mathrm{sgn}(\dot L - \dot T/K_{SR})|\dot L - \dot T/
K_{SR}|^a (L - L_{0SR} - T/K_{SR} - R) + K_{PR}(L - L_{0SR} - T/K_{SR} - L_{0PR}) + M\ddot L
+ \Gamma - T]`) becomes, since :math:`u = \dot L - \dot T/K_{SR}`,

.. math::
    \dot x = u,\qquad
    M\dot u = K_{SR}(L - L_{0SR} - x) - K_{PR}(x - L_{0PR}) - \Gamma
              - C\beta\,\mathrm{sgn}(u)|u|^a (x - R),

with :math:`C = C_L` while the polar region lengthens and :math:`C_S` while it shortens. This
form needs only the fibre length (the :math:`M\ddot L` term is absorbed), so a length that is
linear within each step is integrated without differentiating it twice. Each sub-step (no longer
than ``max_substep``) is backward Euler: the springs and the damping are implicit (the damping
lever :math:`x - R` is taken from the start of the sub-step), which leaves one monotone scalar
equation per fibre, :math:`(M + \delta^2 K)\,u + \delta c\,\mathrm{sgn}(u)|u|^a = M u_n +
\delta F(x_n)`, solved by Newton's method in :math:`w = \mathrm{sgn}(u)|u|^a`, where it is
convex and converges monotonically from above. The scheme is stable for any step, unlike
explicit integration, which the infinite slope of :math:`|u|^a` at rest makes stiff.

Afferent firing (pps), with the sensory-region stretch over threshold
:math:`s_i = T_i/K_{SR} - (L_{NSR} - L_{0SR}) = L - x_i - L_{NSR}`:

.. math::
    p_i = G^{I}_i\,[s_i]^+,\qquad
    q_i = G^{II}_i\Big[X\frac{L_{sec}}{L_{0SR}} s_i
          + (1 - X)\frac{L_{sec}}{L_{0PR}}(x_i - L_{NPR})\Big]^+,

.. math::
    Ia = \max(p_1, p_2 + p_3) + S\min(p_1, p_2 + p_3),\qquad II = q_2 + q_3

(partial occlusion :math:`S` between the dynamic bag1 and the static bag2 + chain pacemakers).

**Golgi tendon organ** (Lin & Crago 2002): :math:`Ib = [H(s)\,G_1\ln(F/G_2 + 1)]^+` with
:math:`H(s) = (1.7s^2 + 2.58s + 0.4)/(s^2 + 2.2s + 0.4)` (unit static gain). :math:`H` is
split into a direct term and two first-order lags (its poles are real), each updated exactly
for a drive held constant over the step.

Arrays are batched: fibre lengths and forces ``(S,)`` or ``(S, H)`` (subjects, heads);
per-subject parameters broadcast over heads. Parameter sources: ``data/model/afferents.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from math import ceil
from types import MappingProxyType
from typing import ClassVar

import numpy as np
from numba import njit

from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.core.parameters import ParameterSet
from myoaxis.core.units import ureg

FIBRES = ("bag1", "bag2", "chain")
_MIN_DAMPING = 1e-6  # FU/(L0/s): floor of the polar damping coefficient (always > 0 in Table 1)
_MIN_LEVER = 1e-3  # L0: floor of x - R, the damping lever (reached only far below slack length)
_NEWTON_TOL = 1e-12
_NEWTON_MAX = 60


def _array(params: ParameterSet, name: str, unit: str, shape: tuple[int, ...] = ()) -> np.ndarray:
    """Parameter ``name`` (scalar or list) in ``unit``, broadcast to ``shape``."""
    par = params[name]
    value = ureg.Quantity(par.array(), par.unit).to(unit).magnitude
    try:
        return np.broadcast_to(np.asarray(value, dtype=float), shape).copy()
    except ValueError:
        raise ParameterError(
            f"parameter {name!r} must be one value or {shape[0] if shape else 1}"
            f" values, got {np.size(value)}"
        ) from None


def _stack(sets: ParameterSet | Sequence[ParameterSet], name: str, unit: str, per_fibre: bool):
    """``(n, 3)`` array of a spindle parameter for ``n`` subjects (``n = 1`` for one set)."""
    group = [sets] if isinstance(sets, ParameterSet) else list(sets)
    if not group:
        raise ParameterError("at least one parameter set is needed")
    shape = (3,) if per_fibre else ()
    return np.stack([np.broadcast_to(_array(p, name, unit, shape), (3,)) for p in group])


@dataclass(frozen=True, eq=False)
class SpindleParameters:
    """Mileusnic 2006 spindle parameters, arrays ``(n, 3)`` over subjects and fibres
    ``(bag1, bag2, chain)``; ``n = 1`` broadcasts over any batch. Units: L0, FU, s, pps."""

    fusimotor_frequency: np.ndarray  # pps
    fusimotor_power: np.ndarray
    activation_time_constant: np.ndarray  # s, 0 = instantaneous
    passive_damping: np.ndarray  # FU/(L0/s)
    fusimotor_damping: np.ndarray  # FU/(L0/s)
    fusimotor_force: np.ndarray  # FU
    sensory_stiffness: np.ndarray  # FU/L0
    polar_stiffness: np.ndarray  # FU/L0
    mass: np.ndarray  # FU/(L0/s^2)
    sensory_rest_length: np.ndarray  # L0
    polar_rest_length: np.ndarray
    sensory_threshold_length: np.ndarray
    polar_threshold_length: np.ndarray
    lengthening_asymmetry: np.ndarray
    shortening_asymmetry: np.ndarray
    zero_force_length: np.ndarray
    velocity_exponent: np.ndarray
    secondary_sensory_fraction: np.ndarray
    secondary_rest_length: np.ndarray
    primary_gain: np.ndarray  # pps/L0
    secondary_gain: np.ndarray  # pps/L0
    occlusion: np.ndarray
    max_substep: float  # s

    _PER_FIBRE: ClassVar[tuple[str, ...]] = (
        "fusimotor_frequency",
        "activation_time_constant",
        "passive_damping",
        "fusimotor_damping",
        "fusimotor_force",
        "primary_gain",
        "secondary_gain",
    )
    _UNITS: ClassVar[MappingProxyType] = MappingProxyType(
        {
            "fusimotor_frequency": "Hz",
            "activation_time_constant": "s",
            "passive_damping": "s",
            "fusimotor_damping": "s",
            "mass": "s**2",
            "primary_gain": "Hz",
            "secondary_gain": "Hz",
        }
    )

    @classmethod
    def from_parameters(cls, params: ParameterSet | Sequence[ParameterSet]) -> SpindleParameters:
        """Read ``spindle.*`` from one parameter set, or one per subject (``n`` sets)."""
        group = [params] if isinstance(params, ParameterSet) else list(params)
        values = {
            f.name: _stack(
                group,
                f"spindle.{f.name}",
                cls._UNITS.get(f.name, "dimensionless"),
                f.name in cls._PER_FIBRE,
            )
            for f in fields(cls)
            if f.name != "max_substep"
        }
        substep = min(p.value_in("spindle.max_substep", "s") for p in group)
        return cls(**values, max_substep=substep)

    def __post_init__(self) -> None:
        arrays = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "max_substep"}
        n = {a.shape[0] for a in arrays.values() if a.ndim == 2}
        for name, a in arrays.items():
            if a.ndim != 2 or a.shape[1] != 3 or len(n) != 1:
                raise ParameterError(f"spindle parameter {name!r} must be an (n, 3) array")
        positive = (
            "fusimotor_frequency",
            "fusimotor_power",
            "passive_damping",
            "sensory_stiffness",
            "polar_stiffness",
            "mass",
            "sensory_rest_length",
            "polar_rest_length",
            "lengthening_asymmetry",
            "shortening_asymmetry",
            "secondary_rest_length",
        )
        for name in positive:
            if not np.all(arrays[name] > 0):
                raise ParameterError(f"spindle.{name} must be positive")
        nonneg = ("activation_time_constant", "primary_gain", "secondary_gain", "occlusion")
        for name in nonneg:
            if not np.all(arrays[name] >= 0):
                raise ParameterError(f"spindle.{name} must not be negative")
        if not np.all((self.velocity_exponent > 0) & (self.velocity_exponent < 1)):
            raise ParameterError("spindle.velocity_exponent must lie in (0, 1)")
        if not np.all(
            (self.secondary_sensory_fraction >= 0) & (self.secondary_sensory_fraction <= 1)
        ):
            raise ParameterError("spindle.secondary_sensory_fraction must lie in [0, 1]")
        if not self.max_substep > 0:
            raise ParameterError("spindle.max_substep must be positive")
        object.__setattr__(self, "_views", {})  # ndim -> reshaped arrays (read-only cache)

    @property
    def n_subjects(self) -> int:
        return self.sensory_stiffness.shape[0]

    def shaped(self, ndim: int) -> MappingProxyType:
        """Every array reshaped to broadcast against ``(S, ..., 3)`` state of ``ndim + 1`` axes
        (read-only views, computed once per ``ndim``)."""
        views = self._views  # type: ignore[attr-defined]
        if ndim not in views:
            shape = (self.n_subjects,) + (1,) * (ndim - 1) + (3,)
            views[ndim] = MappingProxyType(
                {
                    f.name: getattr(self, f.name).reshape(shape)
                    for f in fields(self)
                    if f.name != "max_substep"
                }
            )
        return views[ndim]


@dataclass(frozen=True)
class SpindleState:
    """Spindle state of a batch: arrays ``shape + (3,)`` over the fibres, ``shape`` the fibre
    length's (``(S,)`` or ``(S, H)``)."""

    activation: np.ndarray  # fusimotor activation f
    polar_length: np.ndarray  # x, L0
    polar_velocity: np.ndarray  # u, L0/s
    fiber_length: np.ndarray  # L, L0 (shape)


def _lengths(p: SpindleParameters, l_norm) -> np.ndarray:
    length = np.asarray(l_norm, dtype=float)
    if length.ndim not in (1, 2):
        raise SimulationError(
            f"spindle: fibre lengths must be (subjects,) or (subjects, heads); got {length.shape}"
        )
    if p.n_subjects not in (1, length.shape[0]):
        raise SimulationError(
            f"spindle: {p.n_subjects} subjects' parameters for {length.shape[0]} subjects"
        )
    if not np.all(np.isfinite(length)) or np.any(length <= 0):
        raise SimulationError("spindle: fibre lengths must be finite and positive")
    return length


def _fusimotor(gamma_dynamic, gamma_static, shape) -> np.ndarray:
    """Fusimotor rates per fibre ``shape + (3,)``: bag1 ``gamma_dynamic``, bag2 and chain
    ``gamma_static`` (pps), checked finite and non-negative. Each rate is a scalar, an array of
    ``shape``, or — for ``(S, H)`` fibres — a per-subject ``(S,)`` array."""
    gamma = np.empty((*shape, 3))
    for cols, rate in ((slice(0, 1), gamma_dynamic), (slice(1, 3), gamma_static)):
        rate = np.asarray(rate, dtype=float)
        if rate.ndim == 1 and len(shape) == 2:
            rate = rate[:, None]  # per subject
        try:
            gamma[..., cols] = rate[..., None]
        except ValueError:
            raise SimulationError(
                f"spindle: fusimotor rates of shape {rate.shape} do not fit fibres {shape}"
            ) from None
    if not (gamma.min() >= 0.0 and gamma.max() < np.inf):
        raise SimulationError("spindle: fusimotor rates must be finite and non-negative")
    return gamma


def activation_target(p: SpindleParameters, gamma_dynamic, gamma_static, shape) -> np.ndarray:
    r"""Steady fusimotor activation :math:`\gamma^p/(\gamma^p + \phi^p)` of each fibre,
    ``shape + (3,)``; bag1 follows ``gamma_dynamic``, bag2 and chain ``gamma_static`` (pps)."""
    q = p.shaped(len(shape))
    g = _fusimotor(gamma_dynamic, gamma_static, shape) ** q["fusimotor_power"]
    return g / (g + q["fusimotor_frequency"] ** q["fusimotor_power"])


def spindle_rest(p: SpindleParameters, l_norm, gamma_dynamic=0.0, gamma_static=0.0) -> SpindleState:
    r"""Static equilibrium at fibre length ``l_norm`` under constant fusimotor drive:
    :math:`u = 0`, :math:`K_{SR}(L - L_{0SR} - x) = K_{PR}(x - L_{0PR}) + \Gamma`."""
    length = _lengths(p, l_norm)
    q = p.shaped(length.ndim)
    f = activation_target(p, gamma_dynamic, gamma_static, length.shape)
    k_sr, k_pr = q["sensory_stiffness"], q["polar_stiffness"]
    big_l = length[..., None]
    x = (
        k_sr * (big_l - q["sensory_rest_length"])
        + k_pr * q["polar_rest_length"]
        - q["fusimotor_force"] * f
    ) / (k_sr + k_pr)
    return SpindleState(f, x, np.zeros_like(x), length.copy())


@njit(cache=True)
def _advance_kernel(
    f,
    x,
    u,
    l_start,
    l_end,
    gamma,
    freq,
    power,
    keep,
    beta0,
    beta_f,
    gamma_f,
    k_sr,
    k_pr,
    mass,
    l0_sr,
    l0_pr,
    c_l,
    c_s,
    r0,
    a,
    heads,
    n_sub,
    delta,
):  # pragma: no cover - compiled
    r"""Advance every fibre ``n_sub`` backward-Euler sub-steps of ``delta`` s, in place.

    ``f, x, u, gamma``: ``(N, 3)`` with ``N = S * heads`` (element ``i`` belongs to subject
    ``i // heads``); ``l_start, l_end``: ``(N,)``; parameters ``(n, 3)``, ``n`` 1 or ``S``.
    Each sub-step relaxes the activation exactly towards its target
    :math:`\gamma^p/(\gamma^p + \phi^p)` (factor ``keep``), then
    solves for the polar velocity :math:`u'` at the end of the sub-step,

    .. math::
        (M + \delta^2 K)\,u' + \delta C\beta (x - R)\,\mathrm{sgn}(u')|u'|^a
        = M u + \delta\,[K_{SR}(L' - L_{0SR} - x) - K_{PR}(x - L_{0PR}) - \Gamma],

    :math:`K = K_{SR} + K_{PR}`, by Newton's method in :math:`w = |u'|^a`: with
    :math:`k = 1/a > 1`, :math:`g(w) = m w^k + c w - |r|` is convex and increasing, and the start
    :math:`\min(|r|/c, (|r|/m)^{1/k})` lies above the root, so the iterates decrease
    monotonically to it. Then :math:`x \leftarrow x + \delta u'`. Returns the number of
    elements whose Newton iteration did not converge (0 on success).
    """
    n_par = beta0.shape[0]
    failed = 0
    for i in range(f.shape[0]):
        s = min(i // heads, n_par - 1)
        for j in range(3):
            fi, xi, ui = f[i, j], x[i, j], u[i, j]
            k = 1.0 / a[s, j]
            g = gamma[i, j] ** power[s, j]
            target = g / (g + freq[s, j] ** power[s, j])
            m_eff = mass[s, j] + delta * delta * (k_sr[s, j] + k_pr[s, j])
            for step in range(1, n_sub + 1):
                big_l = l_start[i] + (l_end[i] - l_start[i]) * step / n_sub
                fi = target + (fi - target) * keep[s, j]
                beta = max(beta0[s, j] + beta_f[s, j] * fi, _MIN_DAMPING)
                spring = (
                    k_sr[s, j] * (big_l - l0_sr[s, j] - xi)
                    - k_pr[s, j] * (xi - l0_pr[s, j])
                    - gamma_f[s, j] * fi
                )
                rhs = mass[s, j] * ui + delta * spring
                asym = c_l[s, j] if rhs > 0.0 else c_s[s, j]
                c = delta * asym * beta * max(xi - r0[s, j], _MIN_LEVER)
                r = abs(rhs)
                w = min(r / c, (r / m_eff) ** (1.0 / k))
                done = r == 0.0
                for _ in range(_NEWTON_MAX):
                    if done:
                        break
                    wk1 = w ** (k - 1.0)
                    w_new = max(w - (m_eff * wk1 * w + c * w - r) / (k * m_eff * wk1 + c), 0.0)
                    done = abs(w_new - w) <= _NEWTON_TOL * w_new
                    w = w_new
                if not done:
                    failed += 1
                ui = w**k if rhs >= 0.0 else -(w**k)
                xi = xi + delta * ui
            f[i, j], x[i, j], u[i, j] = fi, xi, ui
    return failed


def spindle_step(
    p: SpindleParameters,
    state: SpindleState,
    l_norm,
    h: float,
    gamma_dynamic=0.0,
    gamma_static=0.0,
) -> SpindleState:
    """Advance the spindle ``h`` seconds to fibre length ``l_norm`` (reached linearly from the
    state's length, i.e. at constant velocity) under constant fusimotor rates (pps: scalars,
    ``(S,)`` per subject, or the fibre length's shape), in equal sub-steps no longer than
    ``p.max_substep`` (see :func:`_advance_kernel`). Pure: returns the new state."""
    length = _lengths(p, l_norm)
    shape = state.fiber_length.shape
    if length.shape != shape:
        raise SimulationError(
            f"spindle step: fibre lengths {length.shape} do not match the state's {shape}"
        )
    if not (np.isfinite(h) and h > 0):
        raise SimulationError(f"spindle step: the time step must be positive, got {h!r}")
    q = p.shaped(1)  # (n, 3)
    gamma = _fusimotor(gamma_dynamic, gamma_static, shape)
    n_sub = max(1, ceil(h / p.max_substep - 1e-9))
    delta = h / n_sub
    keep = np.exp(-delta / np.maximum(q["activation_time_constant"], 1e-12))
    f = state.activation.reshape(-1, 3).copy()
    x = state.polar_length.reshape(-1, 3).copy()
    u = state.polar_velocity.reshape(-1, 3).copy()
    failed = _advance_kernel(
        f,
        x,
        u,
        np.ascontiguousarray(state.fiber_length.reshape(-1)),
        np.ascontiguousarray(length.reshape(-1)),
        gamma.reshape(-1, 3),
        q["fusimotor_frequency"],
        q["fusimotor_power"],
        keep,
        *(
            q[name]
            for name in (
                "passive_damping",
                "fusimotor_damping",
                "fusimotor_force",
                "sensory_stiffness",
                "polar_stiffness",
                "mass",
                "sensory_rest_length",
                "polar_rest_length",
                "lengthening_asymmetry",
                "shortening_asymmetry",
                "zero_force_length",
                "velocity_exponent",
            )
        ),
        int(np.prod(shape[1:], dtype=int)),
        n_sub,
        delta,
    )
    if failed or not np.all(np.isfinite(x)):
        raise SimulationError("spindle step: the polar-region mechanics did not converge")
    full = (*shape, 3)
    return SpindleState(f.reshape(full), x.reshape(full), u.reshape(full), length.copy())


def spindle_tension(p: SpindleParameters, state: SpindleState) -> np.ndarray:
    """Sensory-region tension :math:`T` (FU) of each fibre, ``shape + (3,)``."""
    q = p.shaped(state.fiber_length.ndim)
    return q["sensory_stiffness"] * (
        state.fiber_length[..., None] - q["sensory_rest_length"] - state.polar_length
    )


def spindle_rates(p: SpindleParameters, state: SpindleState) -> tuple[np.ndarray, np.ndarray]:
    """Primary (Ia) and secondary (II) firing rates (pps), each of the fibre length's shape."""
    q = p.shaped(state.fiber_length.ndim)
    x = state.polar_length
    stretch = state.fiber_length[..., None] - x - q["sensory_threshold_length"]
    primary = q["primary_gain"] * np.maximum(stretch, 0.0)
    frac, l_sec = q["secondary_sensory_fraction"], q["secondary_rest_length"]
    secondary = q["secondary_gain"] * np.maximum(
        frac * l_sec / q["sensory_rest_length"] * stretch
        + (1.0 - frac) * l_sec / q["polar_rest_length"] * (x - q["polar_threshold_length"]),
        0.0,
    )
    dynamic, static = primary[..., 0], primary[..., 1] + primary[..., 2]
    occlusion = q["occlusion"][..., 0]
    ia = np.maximum(dynamic, static) + occlusion * np.minimum(dynamic, static)
    return ia, secondary.sum(axis=-1)


def _series(value, shape) -> np.ndarray:
    return np.broadcast_to(np.asarray(value, dtype=float), shape)


def run_spindle(
    p: SpindleParameters, lengths, h: float, gamma_dynamic=0.0, gamma_static=0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Ia and II rates (pps) along a fibre-length series ``lengths`` of shape ``(T, S)`` or
    ``(T, S, H)`` sampled every ``h`` seconds, starting at rest at ``lengths[0]``; fusimotor
    rates may be constants or series of the same shape. Returns two ``lengths``-shaped arrays."""
    lengths = np.asarray(lengths, dtype=float)
    if lengths.ndim not in (2, 3) or lengths.shape[0] < 1:
        raise SimulationError(
            f"run_spindle: lengths must be (T, S) or (T, S, H), got {lengths.shape}"
        )
    gd, gs = _series(gamma_dynamic, lengths.shape), _series(gamma_static, lengths.shape)
    state = spindle_rest(p, lengths[0], gd[0], gs[0])
    ia, ii = np.empty_like(lengths), np.empty_like(lengths)
    ia[0], ii[0] = spindle_rates(p, state)
    for k in range(1, lengths.shape[0]):
        state = spindle_step(p, state, lengths[k], h, gd[k], gs[k])
        ia[k], ii[k] = spindle_rates(p, state)
    return ia, ii


def population_rate(rates, weights=None) -> np.ndarray:
    """Mean rate of a muscle group's heads ``(S, H) -> (S,)``, weighted by ``weights`` (e.g.
    each head's share of spindles) when given; ``(S,)`` rates pass through."""
    rates = np.asarray(rates, dtype=float)
    if rates.ndim == 1:
        return rates
    if weights is None:
        return rates.mean(axis=1)
    w = np.broadcast_to(np.asarray(weights, dtype=float), rates.shape)
    if np.any(w < 0) or np.any(w.sum(axis=1) <= 0):
        raise SimulationError("population_rate: weights must be non-negative, not all zero")
    return (w * rates).sum(axis=1) / w.sum(axis=1)


# --- Golgi tendon organ --------------------------------------------------------------------


@dataclass(frozen=True)
class GTOParameters:
    """Lin & Crago (2002) GTO: gain ``G1`` (pps) and force scale ``G2`` (N), arrays ``(n,)``,
    and the dynamics ``H(s) = direct + sum_i residue_i / (s - pole_i)`` (shared)."""

    gain: np.ndarray  # pps
    force_scale: np.ndarray  # N
    direct: float
    residues: np.ndarray  # (2,) 1/s
    poles: np.ndarray  # (2,) 1/s, negative

    @classmethod
    def from_parameters(cls, params: ParameterSet | Sequence[ParameterSet]) -> GTOParameters:
        """Read ``gto.*`` from one parameter set or one per subject."""
        group = [params] if isinstance(params, ParameterSet) else list(params)
        if not group:
            raise ParameterError("at least one parameter set is needed")
        num = _array(group[0], "gto.filter_numerator", "dimensionless", (3,))
        den = _array(group[0], "gto.filter_denominator", "dimensionless", (3,))
        for other in group[1:]:
            if not (
                np.array_equal(_array(other, "gto.filter_numerator", "dimensionless", (3,)), num)
                and np.array_equal(
                    _array(other, "gto.filter_denominator", "dimensionless", (3,)), den
                )
            ):
                raise ParameterError("gto.filter_* must be equal across a batch")
        return cls(
            gain=np.array([p.value_in("gto.gain", "Hz") for p in group]),
            force_scale=np.array([p.value_in("gto.force_scale", "N") for p in group]),
            **_partial_fractions(num, den),
        )

    def __post_init__(self) -> None:
        if not (np.all(self.gain > 0) and np.all(self.force_scale > 0)):
            raise ParameterError("gto.gain and gto.force_scale must be positive")
        if not np.all(self.poles < 0):
            raise ParameterError("GTO dynamics must be stable (negative real poles)")

    def static_gain(self) -> float:
        """H(0)."""
        return float(self.direct - np.sum(self.residues / self.poles))


def _partial_fractions(num: np.ndarray, den: np.ndarray) -> dict:
    """``num/den`` (second order, coefficients of s^2, s, 1) as direct term + two real poles."""
    if den[0] == 0:
        raise ParameterError("gto.filter_denominator must be of second order (s^2 term != 0)")
    direct = num[0] / den[0]
    b1, b0 = num[1:] - direct * den[1:]
    disc = den[1] ** 2 - 4.0 * den[0] * den[2]
    if disc <= 0:
        raise ParameterError("gto.filter_denominator must have two distinct real roots")
    poles = (-den[1] + np.array([1.0, -1.0]) * np.sqrt(disc)) / (2.0 * den[0])
    residues = (b1 * poles + b0) / (den[0] * (poles - poles[::-1]))
    return {"direct": float(direct), "residues": residues, "poles": poles}


@dataclass(frozen=True)
class GTOState:
    """Lags of the GTO dynamics, ``(2,) + shape`` with ``shape`` the force's."""

    lags: np.ndarray


def _gto_shape(p: GTOParameters, force) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    f = np.asarray(force, dtype=float)
    if f.ndim not in (1, 2):
        raise SimulationError(
            f"GTO: forces must be (subjects,) or (subjects, heads); got {f.shape}"
        )
    if p.gain.shape[0] not in (1, f.shape[0]):
        raise SimulationError(f"GTO: {p.gain.shape[0]} subjects' parameters for {f.shape[0]}")
    if not np.all(np.isfinite(f)):
        raise SimulationError("GTO: tendon forces must be finite")
    shape = (p.gain.shape[0],) + (1,) * (f.ndim - 1)
    return f, p.gain.reshape(shape), p.force_scale.reshape(shape)


def gto_drive(p: GTOParameters, force) -> np.ndarray:
    """The static log nonlinearity :math:`G_1\\ln(F^+/G_2 + 1)` (pps)."""
    f, gain, scale = _gto_shape(p, force)
    return gain * np.log(np.maximum(f, 0.0) / scale + 1.0)


def _poles(p: GTOParameters, ndim: int) -> tuple[np.ndarray, np.ndarray]:
    shape = (2,) + (1,) * ndim
    return p.poles.reshape(shape), p.residues.reshape(shape)


def gto_rest(p: GTOParameters, force) -> GTOState:
    """Steady state under a constant tendon ``force`` (N): lags at ``-drive/pole``."""
    drive = gto_drive(p, force)
    poles, _ = _poles(p, drive.ndim)
    return GTOState(-drive[None] / poles)


def gto_output(p: GTOParameters, state: GTOState, drive: np.ndarray) -> np.ndarray:
    """Ib rate (pps) from the lag states and the current drive, rectified."""
    _, residues = _poles(p, drive.ndim)
    return np.maximum(p.direct * drive + (residues * state.lags).sum(axis=0), 0.0)


def gto_step(p: GTOParameters, state: GTOState, force, h: float) -> tuple[GTOState, np.ndarray]:
    """Advance ``h`` seconds with the drive of the end-of-step ``force`` held over the step
    (exact for that drive); returns ``(new_state, ib_pps)``."""
    if not (np.isfinite(h) and h > 0):
        raise SimulationError(f"GTO step: the time step must be positive, got {h!r}")
    drive = gto_drive(p, force)
    if state.lags.shape[1:] != drive.shape:
        raise SimulationError(
            f"GTO step: forces {drive.shape} do not match the state's {state.lags.shape[1:]}"
        )
    poles, _ = _poles(p, drive.ndim)
    decay = np.exp(poles * h)
    lags = decay * state.lags + (decay - 1.0) / poles * drive[None]
    new = GTOState(lags)
    return new, gto_output(p, new, drive)


def run_gto(p: GTOParameters, forces, h: float) -> np.ndarray:
    """Ib rates (pps) along a force series ``(T, S)`` or ``(T, S, H)`` from rest at
    ``forces[0]``."""
    forces = np.asarray(forces, dtype=float)
    if forces.ndim not in (2, 3) or forces.shape[0] < 1:
        raise SimulationError(f"run_gto: forces must be (T, S) or (T, S, H), got {forces.shape}")
    state = gto_rest(p, forces[0])
    ib = np.empty_like(forces)
    ib[0] = gto_output(p, state, gto_drive(p, forces[0]))
    for k in range(1, forces.shape[0]):
        state, ib[k] = gto_step(p, state, forces[k], h)
    return ib
