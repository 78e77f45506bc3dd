"""What a muscle group carries from one protocol step to the next: fatigue, central and local,
and its energy stores.

The fast layer updates a :class:`MuscleState` during the bouts that use the muscle; between
them the muscle rests, and :meth:`MuscleState.catch_up` applies the exact rest recovery of
every part over the time that has passed, so a long rest costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from myoaxis.body import Body
from myoaxis.physiology.muscle import energetics
from myoaxis.physiology.neural import central_fatigue, motor_pool


@dataclass
class MuscleState:
    """Per-unit fatigue, the central ceiling ``(S,)``, the muscle's PCr, glycogen and lactate
    (plasma lactate is the bout's own account of it) and the time the state refers to."""

    name: str
    fatigue: motor_pool.FatigueState
    ceiling: np.ndarray  # maximal excitation the cortex can deliver, fraction of maximum
    energy: energetics.EnergeticsState
    time: float = 0.0  # run time (s) the state refers to

    @classmethod
    def rested(cls, body: Body, name: str, time: float = 0.0) -> MuscleState:
        pool = body.muscle(name).pool
        return cls(
            name,
            motor_pool.FatigueState.rested(pool),
            body.central_for(name).rested.copy(),
            energetics.resting_state(body.energetics),
            time,
        )

    def catch_up(self, body: Body, time: float) -> None:
        """Recover at rest from ``self.time`` to ``time``."""
        gap = time - self.time
        if gap > 0:
            self.fatigue = motor_pool.recover(self.fatigue, body.muscle(self.name).pool, gap)
            self.ceiling = central_fatigue.recover(self.ceiling, body.central_for(self.name), gap)
            mass = body.muscle(self.name).mass
            self.energy = energetics.recover(self.energy, body.energetics, gap, mass)
        self.time = max(self.time, time)

    def strength(self, body: Body) -> np.ndarray:
        """Maximal force now (N): every unit at the central ceiling, static test posture."""
        m = body.muscle(self.name)
        return m.max_force * motor_pool.steady_force(m.pool, self.ceiling, self.fatigue)
