r"""Motor-cortex activity, the metabolic supply behind it, and what it lets the hand do.

**Demand.** The activity a rhythmic hand task asks of the contralateral primary motor cortex
(M1) rises with the movement rate :math:`f` and saturates: in PET, M1 blood flow showed no
significant rise at 0.25–0.5 Hz, rose steeply between 1 and 2 Hz and no further at 3–4 Hz
(Sadato et al. 1996). A Hill function of the rate reproduces that shape:

.. math::
    d(f) = \frac{f^n}{f^n + f_{50}^n}.

**Supply.** The cortex can sustain an activity up to its metabolic capacity :math:`c`; above
it, it draws on a normalised energy reserve :math:`R \in [0, 1]`, which refills towards 1 when
the activity is below the capacity. With a full reserve the cortex can give its maximal activity
(1), with an empty one only :math:`c`:

.. math::
    z = \min\big(d,\ c + (1 - c) R\big), \qquad
    \frac{dR}{dt} = -\frac{(z - c)^+}{\tau_d} + \frac{1 - R}{\tau_r}.

A healthy cortex has :math:`c = 1` and never runs short. Under hypometabolism the capacity
falls with the subject's fatigue :math:`\phi \in [0, 1]` (a symptom score, VAS/10),
:math:`c = c_0 - h\,\phi`. A demand below :math:`c` (rest, slow tapping) is met in full whatever
the reserve; a high one (fast tapping) is met at first, then drains the reserve and the
activity fades towards :math:`c + (1 - c) R^*`,
:math:`R^* = \tau_d / (\tau_d + \tau_r (1 - c))` — the pattern Gentile et al. (2019) saw in
fibromyalgia.

**Performance.** The cortex delivers a fraction :math:`z/d` of the drive the task asked for, and
the movement rate falls in proportion: :math:`f_{achieved} = f \cdot z / d`
(:func:`delivered_fraction`).

The reserve and capacity are a phenomenological model (our construction): they stand for the
cortical energy supply (glucose/oxygen delivery, the astrocyte–neuron lactate shuttle) without
resolving it. :math:`R` is integrated exactly over each sample with :math:`z` held at its value
at the sample's start (the equation is then linear in :math:`R`); the step (0.1 s, the fNIRS
sampling period or ``motor_cortex.time_step``) is short against :math:`\tau_d` = 2 s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from myoaxis.core.errors import ParameterError, SimulationError

Values = Callable[[str, str], np.ndarray]


@dataclass(frozen=True)
class MotorCortexParameters:
    """Arrays ``(S,)``."""

    half_activity_rate: np.ndarray  # Hz, f50
    hill_exponent: np.ndarray  # n
    capacity: np.ndarray  # c, sustainable activity (1 = maximal activity)
    depletion_time: np.ndarray  # s, tau_d
    recovery_time: np.ndarray  # s, tau_r
    ipsilateral_fraction: np.ndarray  # activity of the ipsilateral M1 per unit contralateral

    @classmethod
    def from_values(cls, values: Values) -> MotorCortexParameters:
        """Build from ``values(name, unit) -> (S,)``; the capacity is
        ``motor_cortex.capacity - motor_cortex.fatigue_hypometabolism * symptoms.fatigue``."""

        def v(name: str, unit: str = "dimensionless") -> np.ndarray:
            return np.asarray(values(name, unit), dtype=float)

        capacity = v("motor_cortex.capacity") - v("motor_cortex.fatigue_hypometabolism") * v(
            "symptoms.fatigue"
        )
        p = cls(
            half_activity_rate=v("motor_cortex.half_activity_rate", "Hz"),
            hill_exponent=v("motor_cortex.hill_exponent"),
            capacity=capacity,
            depletion_time=v("motor_cortex.depletion_time", "s"),
            recovery_time=v("motor_cortex.recovery_time", "s"),
            ipsilateral_fraction=v("motor_cortex.ipsilateral_fraction"),
        )
        p.check()
        return p

    def check(self) -> None:
        positive = ("half_activity_rate", "hill_exponent", "depletion_time", "recovery_time")
        for name in positive:
            if np.any(~(getattr(self, name) > 0)):
                raise ParameterError(f"motor_cortex.{name} must be positive")
        if np.any(~((self.capacity > 0) & (self.capacity <= 1))):
            raise ParameterError(
                "motor-cortex capacity (motor_cortex.capacity - fatigue_hypometabolism x "
                "symptoms.fatigue) must lie in (0, 1]"
            )
        if np.any(~((self.ipsilateral_fraction >= 0) & (self.ipsilateral_fraction <= 1))):
            raise ParameterError("motor_cortex.ipsilateral_fraction must be in [0, 1]")


def demand(p: MotorCortexParameters, rate: np.ndarray) -> np.ndarray:
    """Activity ``d`` (0–1) a movement rate ``rate`` (Hz, ``(S, ...)``) asks of M1."""
    rate = np.maximum(np.asarray(rate, dtype=float), 0.0)
    shape = (-1,) + (1,) * (rate.ndim - 1)
    n = p.hill_exponent.reshape(shape)
    x = (rate / p.half_activity_rate.reshape(shape)) ** n
    return x / (1.0 + x)


@dataclass(frozen=True)
class CortexTrace:
    """Activity ``z`` (delivered) and ``demand`` ``d``, and the reserve ``R``, ``(S, T)``."""

    activity: np.ndarray
    demand: np.ndarray
    reserve: np.ndarray

    @property
    def delivered_fraction(self) -> np.ndarray:
        """``z / d`` (1 where nothing is asked)."""
        return delivered_fraction(self.activity, self.demand)


def delivered_fraction(activity: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """Fraction of the asked activity the cortex delivers, ``z / d`` (1 where ``d = 0``)."""
    safe = np.where(asked > 0, asked, 1.0)
    return np.where(asked > 0, activity / safe, 1.0)


def simulate(
    p: MotorCortexParameters, asked: np.ndarray, dt: float, reserve: np.ndarray | None = None
) -> tuple[CortexTrace, np.ndarray]:
    """Run the reserve over the demand ``asked`` ``(S, T)`` sampled every ``dt`` s.

    ``asked[:, k]`` holds over ``[k dt, (k + 1) dt)``; the activity of that sample uses the
    reserve at its start. Returns the trace and the reserve at the end (to continue from).
    """
    asked = np.asarray(asked, dtype=float)
    if asked.ndim != 2 or asked.shape[0] != p.capacity.shape[0]:
        raise SimulationError(
            f"motor cortex: demand must have shape (subjects={p.capacity.shape[0]}, time), "
            f"got {asked.shape}"
        )
    if not (np.isfinite(dt) and dt > 0):
        raise SimulationError(f"motor cortex: sampling period must be positive, got {dt!r}")
    r = np.ones(asked.shape[0]) if reserve is None else np.asarray(reserve, dtype=float).copy()
    decay = np.exp(-dt / p.recovery_time)
    activity = np.empty_like(asked)
    reserves = np.empty_like(asked)
    for k in range(asked.shape[1]):
        z = np.minimum(asked[:, k], p.capacity + (1.0 - p.capacity) * r)
        reserves[:, k], activity[:, k] = r, z
        # exact solution of dR/dt = -(z - c)+/tau_d + (1 - R)/tau_r with z held
        target = 1.0 - p.recovery_time * np.maximum(z - p.capacity, 0.0) / p.depletion_time
        r = np.clip(target + (r - target) * decay, 0.0, 1.0)
    if not np.all(np.isfinite(activity)):
        raise SimulationError("motor cortex: activity became non-finite")
    return CortexTrace(activity, asked, reserves), r


def regional_activity(p: MotorCortexParameters, contralateral: np.ndarray, side: int) -> np.ndarray:
    """Activity of the two M1 regions (C3, C4) ``(S, 2, T)`` for a hand on ``side`` (0: the
    right hand, driven by the left M1 under C3; 1: the left hand)."""
    ipsi = p.ipsilateral_fraction[:, None] * contralateral
    pair = (contralateral, ipsi) if side == 0 else (ipsi, contralateral)
    return np.stack(pair, axis=1)


def recover(p: MotorCortexParameters, reserve: np.ndarray, seconds: float) -> np.ndarray:
    """The reserve after ``seconds`` of rest (no demand): ``1 - (1 - R) exp(-t / tau_r)``."""
    return 1.0 - (1.0 - np.asarray(reserve, dtype=float)) * np.exp(-seconds / p.recovery_time)
