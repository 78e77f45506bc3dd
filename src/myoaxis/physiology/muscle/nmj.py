r"""Neuromuscular junction: use-dependent transmitter release and the safety factor.

Every motor unit carries three presynaptic states (arrays ``(subjects, units)``):

* ``store`` :math:`n \in [0, 1]` — the releasable transmitter store as a fraction of the rested
  store;
* ``facil`` :math:`f \ge 0` — fast residual Ca²⁺ (facilitation, decays with
  :math:`\tau_f`, tens of ms);
* ``ptp`` :math:`a \ge 0` — slow residual Ca²⁺ (augmentation and post-tetanic potentiation,
  decays with :math:`\tau_a`, tens of seconds).

Residual Ca²⁺ is counted in units of the Ca²⁺ signal of one action potential; a junction whose
Ca²⁺ entry is the fraction :math:`c` of normal (Lambert–Eaton antibodies against the VGCCs)
sees the Ca²⁺ signal :math:`x = c\,(1 + f + a)` at a spike.

**Between spikes** (elapsed time :math:`\Delta`), exactly:

.. math::

    f \leftarrow f e^{-\Delta/\tau_f}, \qquad a \leftarrow a e^{-\Delta/\tau_a}, \qquad
    n \leftarrow 1 - (1 - n)\, e^{-\int_0^\Delta k\,dt},

with a refilling rate accelerated by residual Ca²⁺ (Dittman, Kreitzer & Regehr 2000; at the
NMJ, Miralles 2016 needed it to reproduce the U-shaped decrement of myasthenia gravis):
:math:`k(t) = [1 + g\,c\,(f(t) + a(t))]/\tau_{rec}`, whose integral is
:math:`\Delta/\tau_{rec} + (g c/\tau_{rec})[f_0 \tau_f (1 - e^{-\Delta/\tau_f}) +
a_0 \tau_a (1 - e^{-\Delta/\tau_a})]`.

**At a spike**: the release probability follows the Ca²⁺ cooperativity of release (Dodge &
Rahamimoff 1967, slope ≈ 4) in odds form so that it saturates at 1,

.. math::

    \frac{p}{1 - p} = \frac{p_0}{1 - p_0}\, x^{m},

the quantal content relative to a rested healthy junction is :math:`Q = p\,n/p_0`, the end-plate
potential relative to the fibre's firing threshold is :math:`E = SF \cdot q \cdot Q` (safety
factor :math:`SF` of a healthy rested junction, quantal size :math:`q` relative to normal — fewer
AChRs in myasthenia gravis), and the fibres of a unit, whose safety factors are log-normally
spread with SD :math:`\sigma`, fire in the fraction

.. math::

    \phi = \tfrac{1}{2}\left[1 + \operatorname{erf}\!\left(\frac{\ln E}{\sigma\sqrt 2}\right)
    \right].

Then :math:`n \leftarrow n (1 - p)`, :math:`f \leftarrow f + \Delta f`,
:math:`a \leftarrow a + \Delta a`.

The numba scalar :func:`transmit` is the whole update for one unit and one spike; the lead's
motor-pool kernel calls it at every voluntary spike. The batched NumPy functions
(:func:`stimulate`, :func:`relax`, :func:`regular_firing`, :func:`rns`) run compiled loops over
``(subjects, units)`` that call the same scalar function, so both paths share one formula.

A supramaximal nerve stimulus excites every axon, so the compound muscle action potential
(CMAP) is :math:`\sum_i w_i \phi_i` with :math:`w_i` the unit's fibre count (∝ its twitch
amplitude), normalised so that 1 means every fibre of the muscle responds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
from numba import njit, prange

from myoaxis.core.errors import ParameterError

# Column order of :meth:`NMJParameters.packed` (the vector ``q`` of :func:`transmit`).
RELEASE_PROBABILITY = 0
CALCIUM_ENTRY = 1
CALCIUM_COOPERATIVITY = 2
QUANTAL_SIZE = 3
SAFETY_FACTOR = 4
SAFETY_FACTOR_SPREAD = 5
RECOVERY_TIME = 6
RECOVERY_CALCIUM_GAIN = 7
FACILITATION_INCREMENT = 8
FACILITATION_TIME = 9
POTENTIATION_INCREMENT = 10
POTENTIATION_TIME = 11
N_PACKED = 12


@dataclass(frozen=True)
class NMJParameters:
    """Junction parameters, each a float array of shape ``(subjects,)`` in canonical units
    (times in s, everything else dimensionless); field order = :meth:`packed` column order."""

    release_probability: np.ndarray  # p0, rested healthy junction
    calcium_entry: np.ndarray  # c, Ca2+ signal per spike relative to normal
    calcium_cooperativity: np.ndarray  # m
    quantal_size: np.ndarray  # q, relative to normal
    safety_factor: np.ndarray  # SF, median EPP/threshold of a rested healthy junction
    safety_factor_spread: np.ndarray  # sigma, SD of ln SF across a unit's fibres
    recovery_time: np.ndarray  # tau_rec, s
    recovery_calcium_gain: np.ndarray  # g
    facilitation_increment: np.ndarray  # delta f per spike
    facilitation_time: np.ndarray  # tau_f, s
    potentiation_increment: np.ndarray  # delta a per spike
    potentiation_time: np.ndarray  # tau_a, s

    def __post_init__(self) -> None:
        arrays = {
            f.name: np.atleast_1d(np.asarray(getattr(self, f.name), float)) for f in fields(self)
        }
        shapes = {a.shape for a in arrays.values()}
        if len(shapes) != 1 or len(shapes.pop()) != 1:
            raise ParameterError("nmj parameters must all be 1-D arrays over the same subjects")
        for name, a in arrays.items():
            object.__setattr__(self, name, a)
            if not np.all(np.isfinite(a)):
                raise ParameterError(f"nmj.{name} must be finite")
        p = arrays["release_probability"]
        if np.any((p <= 0) | (p >= 1)):
            raise ParameterError("nmj.release_probability must lie strictly between 0 and 1")
        positive = (
            "calcium_entry",
            "calcium_cooperativity",
            "quantal_size",
            "safety_factor",
            "safety_factor_spread",
            "recovery_time",
            "facilitation_time",
            "potentiation_time",
        )
        for name in positive:
            if np.any(arrays[name] <= 0):
                raise ParameterError(f"nmj.{name} must be positive")
        for name in ("recovery_calcium_gain", "facilitation_increment", "potentiation_increment"):
            if np.any(arrays[name] < 0):
                raise ParameterError(f"nmj.{name} must not be negative")

    @property
    def n_subjects(self) -> int:
        return self.release_probability.shape[0]

    def packed(self) -> np.ndarray:
        """All parameters as one ``(subjects, N_PACKED)`` array (a row per subject: ``q``)."""
        return np.ascontiguousarray(
            np.stack([getattr(self, f.name) for f in fields(self)], axis=1), dtype=np.float64
        )


@dataclass(frozen=True)
class NMJState:
    """Presynaptic state of every unit, arrays ``(subjects, units)``."""

    store: np.ndarray
    facil: np.ndarray
    ptp: np.ndarray

    @classmethod
    def rest(cls, shape: tuple[int, int]) -> NMJState:
        """A rested junction: full store, no residual Ca²⁺."""
        return cls(np.ones(shape), np.zeros(shape), np.zeros(shape))

    def copy(self) -> NMJState:
        """A float64, C-contiguous copy (the kernels update states in place)."""
        return NMJState(*(np.array(a, dtype=np.float64, order="C") for a in self.arrays()))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.store, self.facil, self.ptp


# --------------------------------------------------------------------------------------------
# Scalar kernels (numba): one unit, one event. Shared by the batched functions below and by
# the motor-pool kernel.


@njit(cache=True)
def fraction_firing(epp_ratio, spread):  # pragma: no cover - compiled
    """Fraction of a unit's fibres whose EPP exceeds threshold: Φ(ln E / σ)."""
    if epp_ratio <= 0.0:
        return 0.0
    return 0.5 * (1.0 + math.erf(math.log(epp_ratio) / (spread * math.sqrt(2.0))))


@njit(cache=True)
def relax_unit(store, facil, ptp, elapsed, q):  # pragma: no cover - compiled
    """Exact evolution of one unit's state over ``elapsed`` seconds without spikes.

    ``elapsed`` may be ``inf`` (a unit that never fired): the state returns to rest.
    Returns ``(store, facil, ptp)``.
    """
    tau_f = q[FACILITATION_TIME]
    tau_a = q[POTENTIATION_TIME]
    tau_rec = q[RECOVERY_TIME]
    ef = math.exp(-elapsed / tau_f)
    ea = math.exp(-elapsed / tau_a)
    residual = facil * tau_f * (1.0 - ef) + ptp * tau_a * (1.0 - ea)  # ∫ (f + a) dt
    refill = (elapsed + q[RECOVERY_CALCIUM_GAIN] * q[CALCIUM_ENTRY] * residual) / tau_rec
    store = 1.0 - (1.0 - store) * math.exp(-refill)
    return store, facil * ef, ptp * ea


@njit(cache=True)
def transmit(store, facil, ptp, elapsed, q):  # pragma: no cover - compiled
    """One action potential of one unit, ``elapsed`` s after its previous one (``inf``: first).

    ``q`` is the unit's subject row of :meth:`NMJParameters.packed`. Returns
    ``(fraction_of_fibres_firing, store, facil, ptp)`` with the state just after the spike.
    """
    store, facil, ptp = relax_unit(store, facil, ptp, elapsed, q)
    p0 = q[RELEASE_PROBABILITY]
    x = q[CALCIUM_ENTRY] * (1.0 + facil + ptp)
    odds = p0 / (1.0 - p0) * x ** q[CALCIUM_COOPERATIVITY]
    p = odds / (1.0 + odds)
    quantal = p * store / p0  # quantal content relative to a rested healthy junction
    epp = q[SAFETY_FACTOR] * q[QUANTAL_SIZE] * quantal
    phi = fraction_firing(epp, q[SAFETY_FACTOR_SPREAD])
    return (
        phi,
        store * (1.0 - p),
        facil + q[FACILITATION_INCREMENT],
        ptp + q[POTENTIATION_INCREMENT],
    )


# --------------------------------------------------------------------------------------------
# Batched loops over (subjects, units) that call the scalar kernels.


@njit(cache=True, parallel=True)
def _stimulate_kernel(store, facil, ptp, elapsed, q, phi):  # pragma: no cover - compiled
    n_sub, n_units = store.shape
    for s in prange(n_sub):
        for i in range(n_units):
            phi[s, i], store[s, i], facil[s, i], ptp[s, i] = transmit(
                store[s, i], facil[s, i], ptp[s, i], elapsed[s, i], q[s]
            )


@njit(cache=True, parallel=True)
def _relax_kernel(store, facil, ptp, elapsed, q):  # pragma: no cover - compiled
    n_sub, n_units = store.shape
    for s in prange(n_sub):
        for i in range(n_units):
            store[s, i], facil[s, i], ptp[s, i] = relax_unit(
                store[s, i], facil[s, i], ptp[s, i], elapsed[s, i], q[s]
            )


@njit(cache=True, parallel=True)
def _regular_kernel(store, facil, ptp, rate, duration, before, q, mean_phi):  # pragma: no cover
    n_sub, n_units = store.shape
    for s in prange(n_sub):
        for i in range(n_units):
            r = rate[s, i]
            n0, f0, a0 = store[s, i], facil[s, i], ptp[s, i]
            count = math.ceil(duration * r - 1e-9) if r > 0.0 else 0  # spikes at k/r
            total = 0.0
            gap = before[s, i]
            for _ in range(count):
                phi, n0, f0, a0 = transmit(n0, f0, a0, gap, q[s])
                total += phi
                gap = 1.0 / r
            tail = duration - (count - 1) / r if count > 0 else duration
            store[s, i], facil[s, i], ptp[s, i] = relax_unit(n0, f0, a0, tail, q[s])
            mean_phi[s, i] = total / count if count > 0 else 0.0


def _elapsed(elapsed, shape: tuple[int, int]) -> np.ndarray:
    e = np.broadcast_to(np.asarray(elapsed, dtype=float), shape)
    if np.any(np.isnan(e)) or np.any(e < 0):
        raise ParameterError("elapsed time since the previous spike must be >= 0 s")
    return np.ascontiguousarray(e)


def _checked(state: NMJState, params: NMJParameters) -> tuple[NMJState, np.ndarray]:
    if state.store.ndim != 2 or state.store.shape[0] != params.n_subjects:
        raise ParameterError(
            f"NMJ state has shape {state.store.shape}; expected (subjects={params.n_subjects}, "
            "units)"
        )
    return state.copy(), params.packed()


def stimulate(state: NMJState, params: NMJParameters, elapsed) -> tuple[np.ndarray, NMJState]:
    """Every unit fires once, ``elapsed`` s (scalar or ``(S, n)``) after its previous spike.

    Returns the fraction of each unit's fibres that fire, ``(S, n)``, and the new state.
    """
    new, q = _checked(state, params)
    phi = np.empty_like(new.store)
    _stimulate_kernel(new.store, new.facil, new.ptp, _elapsed(elapsed, new.store.shape), q, phi)
    return phi, new


def relax(state: NMJState, params: NMJParameters, elapsed) -> NMJState:
    """The state after ``elapsed`` s (scalar or ``(S, n)``) without spikes."""
    new, q = _checked(state, params)
    _relax_kernel(new.store, new.facil, new.ptp, _elapsed(elapsed, new.store.shape), q)
    return new


def regular_firing(
    state: NMJState,
    params: NMJParameters,
    rate: np.ndarray,
    duration: float,
    elapsed_before=np.inf,
) -> tuple[NMJState, np.ndarray]:
    """Each unit fires regularly at ``rate`` (Hz, ``(S, n)``; 0 = silent) at ``t = k/rate`` for
    ``t < duration``; ``elapsed_before`` is the time from each unit's previous spike to ``t = 0``
    (``inf``: rested). Returns the state at ``t = duration`` and each unit's mean fraction of
    fibres firing over its spikes, ``(S, n)`` (0 for a silent unit)."""
    new, q = _checked(state, params)
    rate = np.ascontiguousarray(np.broadcast_to(np.asarray(rate, float), new.store.shape))
    if np.any(~np.isfinite(rate)) or np.any(rate < 0):
        raise ParameterError("firing rates must be finite and >= 0 Hz")
    if not (np.isfinite(duration) and duration >= 0):
        raise ParameterError(f"duration must be a finite time >= 0 s, got {duration!r}")
    before = _elapsed(elapsed_before, new.store.shape)
    mean_phi = np.empty_like(new.store)
    _regular_kernel(new.store, new.facil, new.ptp, rate, float(duration), before, q, mean_phi)
    return new, mean_phi


def cmap(phi: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """CMAP amplitude relative to every fibre responding: ``Σ w φ / Σ w`` over units."""
    return (phi * weights).sum(axis=-1) / weights.sum(axis=-1)


def rns(
    params: NMJParameters,
    weights: np.ndarray,
    frequency_hz: float,
    n_stimuli: int = 10,
    conditioning_s: float = 0.0,
    rest_before_s: float = 3.0,
    effort_rate: np.ndarray | None = None,
) -> np.ndarray:
    """Repetitive nerve stimulation: CMAP amplitude of every stimulus, ``(S, n_stimuli)``.

    ``weights`` (``(S, n)``) are the units' fibre counts (∝ twitch amplitude). With
    ``conditioning_s > 0`` the train starts ``rest_before_s`` after a maximal voluntary effort
    of that length, every unit firing at ``effort_rate`` (``(S, n)`` Hz, e.g. the pool's peak
    rates); otherwise it starts from rest. Every stimulus is supramaximal (all axons fire).
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2 or weights.shape[0] != params.n_subjects or np.any(weights < 0):
        raise ParameterError("unit weights must be a non-negative (subjects, units) array")
    if not (np.isfinite(frequency_hz) and frequency_hz > 0):
        raise ParameterError(f"stimulation frequency must be > 0 Hz, got {frequency_hz!r}")
    if int(n_stimuli) != n_stimuli or n_stimuli < 1:
        raise ParameterError(f"n_stimuli must be a positive integer, got {n_stimuli!r}")
    if not (np.isfinite(rest_before_s) and rest_before_s >= 0):
        raise ParameterError(f"rest_before_s must be >= 0 s, got {rest_before_s!r}")
    state = NMJState.rest(weights.shape)
    gap = np.full(weights.shape, np.inf)  # time since each unit's previous spike
    if conditioning_s > 0:
        if effort_rate is None:
            raise ParameterError("a conditioning effort needs the units' effort_rate (Hz)")
        state, _ = regular_firing(state, params, effort_rate, conditioning_s)
        gap = np.where(np.asarray(effort_rate) > 0, rest_before_s, np.inf)
    out = np.empty((params.n_subjects, int(n_stimuli)))
    for k in range(int(n_stimuli)):  # loop over stimuli; subjects and units are batched
        phi, state = stimulate(state, params, gap)
        out[:, k] = cmap(phi, weights)
        gap = np.full(weights.shape, 1.0 / frequency_hz)
    return out


def decrement(amplitudes: np.ndarray, index: int = 3) -> np.ndarray:
    """Decrement (%) of the ``index``-th response (0-based; 3 = the 4th) against the first."""
    return (1.0 - amplitudes[..., index] / amplitudes[..., 0]) * 100.0


def increment(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Increment (%) of a response ``after`` against ``before``: ``(after/before − 1)·100``."""
    return (np.asarray(after) / np.asarray(before) - 1.0) * 100.0
