r"""The short-latency stretch reflex of a muscle group, as an excitation increment.

A muscle group's population afferent rates (pps; :func:`~.afferents.population_rate`) reach its
motoneuron pool after a loop delay :math:`d` (afferent and efferent conduction plus one synapse);
the disynaptic pathways — autogenic Ib inhibition through Ib interneurons and reciprocal
inhibition by the antagonist's Ia afferents through Ia inhibitory interneurons — take one more
synaptic delay :math:`d_2`. The excitation added to the pool's command (fraction of maximal
excitation) is

.. math::
    \Delta u(t) = g_{Ia}\,[Ia(t - d) - Ia_0] - g_{Ib}\,[Ib(t - d - d_2) - Ib_0]
                  - g_{rec}\,[Ia_{ant}(t - d - d_2) - Ia_{ant,0}],

with references :math:`Ia_0, Ib_0, Ia_{ant,0}` (the rates when the reflex state was started, so
that only changes from the starting posture act, or zero). The caller adds :math:`\Delta u` to
the descending command and clips the sum to its admissible range.

Delays are whole steps of the caller's fixed step :math:`h`: inputs go through a ring buffer
(:class:`DelayLine`) and come out exactly ``round(d / h)`` steps later. Before that many steps
have passed, the buffer returns the rates it was started with (the posture held before the bout).
Arrays are batched over subjects ``(S,)``; delays and gains may differ per subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.core.parameters import ParameterSet

CHANNELS = ("ia", "ib", "ia_antagonist")


@dataclass(frozen=True)
class ReflexParameters:
    """Reflex gains (excitation per pps) and delays (s), arrays ``(n,)`` (``n`` 1 or ``S``)."""

    ia_gain: np.ndarray
    ib_gain: np.ndarray
    reciprocal_gain: np.ndarray
    loop_delay: np.ndarray  # s
    disynaptic_delay: np.ndarray  # s

    @classmethod
    def from_parameters(cls, params: ParameterSet | Sequence[ParameterSet]) -> ReflexParameters:
        """Read ``reflex.*`` from one parameter set or one per subject."""
        group = [params] if isinstance(params, ParameterSet) else list(params)
        if not group:
            raise ParameterError("at least one parameter set is needed")

        def col(name: str, unit: str) -> np.ndarray:
            return np.array([p.value_in(f"reflex.{name}", unit) for p in group])

        return cls(
            ia_gain=col("ia_gain", "1/Hz"),
            ib_gain=col("ib_gain", "1/Hz"),
            reciprocal_gain=col("reciprocal_gain", "1/Hz"),
            loop_delay=col("loop_delay", "s"),
            disynaptic_delay=col("disynaptic_delay", "s"),
        )

    def __post_init__(self) -> None:
        for name in ("ia_gain", "ib_gain", "reciprocal_gain", "loop_delay", "disynaptic_delay"):
            a = getattr(self, name)
            if a.ndim != 1 or not np.all(np.isfinite(a)) or np.any(a < 0):
                raise ParameterError(f"reflex.{name} must be finite and non-negative")

    def lags(self, h: float) -> tuple[np.ndarray, np.ndarray]:
        """Monosynaptic and disynaptic delays in whole steps of ``h`` s, ``(n,)`` ints."""
        if not (np.isfinite(h) and h > 0):
            raise SimulationError(f"reflex: the time step must be positive, got {h!r}")
        mono = np.rint(self.loop_delay / h).astype(int)
        return mono, np.rint((self.loop_delay + self.disynaptic_delay) / h).astype(int)


@dataclass
class DelayLine:
    """Ring buffer of the last ``n_slots`` samples of ``(S, C)`` inputs. Mutable state:
    :meth:`push` overwrites the oldest slot in place (no copy per step)."""

    buffer: np.ndarray  # (n_slots, S, C)
    head: int = 0  # slot of the newest sample

    @classmethod
    def filled(cls, value: np.ndarray, max_lag: int) -> DelayLine:
        """A line holding ``max_lag`` past samples, all equal to ``value`` ``(S, C)``."""
        value = np.asarray(value, dtype=float)
        if value.ndim != 2:
            raise SimulationError(f"delay line: samples must be (S, C), got {value.shape}")
        if max_lag < 0:
            raise SimulationError(f"delay line: lags must not be negative, got {max_lag}")
        return cls(np.repeat(value[None], max_lag + 1, axis=0))

    def push(self, sample: np.ndarray) -> None:
        """Append the newest sample ``(S, C)`` (the oldest is dropped)."""
        self.head = (self.head + 1) % self.buffer.shape[0]
        self.buffer[self.head] = sample

    def read(self, lag: np.ndarray, channels) -> np.ndarray:
        """Sample from ``lag`` pushes ago (``lag`` ``(S,)`` ints; 0 = newest), ``channels``
        selecting columns; returns ``(S, len(channels))``."""
        slots = (self.head - lag) % self.buffer.shape[0]
        return self.buffer[slots[:, None], np.arange(self.buffer.shape[1])[:, None], channels]


@dataclass
class ReflexState:
    """Delay line of ``(ia, ib, ia_antagonist)`` per subject, the lags in steps and the
    reference rates subtracted from the delayed ones. Mutated by :func:`step`."""

    line: DelayLine
    mono_lag: np.ndarray  # (S,) steps
    di_lag: np.ndarray  # (S,) steps
    reference: np.ndarray  # (S, 3) pps


def _inputs(ia, ib, ia_antagonist) -> np.ndarray:
    rates = np.stack(
        np.broadcast_arrays(*(np.asarray(r, dtype=float) for r in (ia, ib, ia_antagonist))), axis=-1
    )
    if rates.ndim != 2:
        raise SimulationError(
            f"reflex: rates must be (subjects,) population rates, got {rates.shape[:-1]}"
        )
    if not np.all(np.isfinite(rates)):
        raise SimulationError("reflex: afferent rates must be finite")
    return rates


def start(
    p: ReflexParameters, h: float, ia, ib, ia_antagonist, *, relative: bool = True
) -> ReflexState:
    """Reflex state for a bout with fixed step ``h`` (s), the delay line filled with the
    starting population rates ``(S,)`` (pps). With ``relative`` (default) those rates are the
    references, so the reflex adds nothing until the rates change."""
    rates = _inputs(ia, ib, ia_antagonist)
    n = rates.shape[0]
    if p.ia_gain.shape[0] not in (1, n):
        raise SimulationError(f"reflex: {p.ia_gain.shape[0]} subjects' parameters for {n}")
    mono, di = (np.broadcast_to(lag, (n,)).copy() for lag in p.lags(h))
    reference = rates.copy() if relative else np.zeros_like(rates)
    return ReflexState(DelayLine.filled(rates, int(di.max())), mono, di, reference)


def step(state: ReflexState, p: ReflexParameters, ia, ib, ia_antagonist) -> np.ndarray:
    """Push this step's population rates ``(S,)`` (pps) and return the reflex excitation
    increment ``(S,)`` (fraction of maximal excitation) from the delayed rates. The state is
    updated in place."""
    rates = _inputs(ia, ib, ia_antagonist)
    if rates.shape != state.reference.shape:
        raise SimulationError(
            f"reflex step: rates for {rates.shape[0]} subjects, state for "
            f"{state.reference.shape[0]}"
        )
    state.line.push(rates)
    mono = state.line.read(state.mono_lag, [0])[:, 0] - state.reference[:, 0]
    di = state.line.read(state.di_lag, [1, 2]) - state.reference[:, 1:]
    return p.ia_gain * mono - p.ib_gain * di[:, 0] - p.reciprocal_gain * di[:, 1]
