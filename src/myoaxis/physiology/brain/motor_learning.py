r"""Use-dependent plasticity of the corticospinal pathway of one limb: stroke recovery, task
practice and motor imagery.

**Pathway strength.** :math:`W \in (0, 1]` (``motor_pathway_strength``) is the strength of the
corticospinal pathway of the simulated limb relative to an intact one; after a stroke it is the
affected (contralesional) limb. The limb's function is taken as :math:`W` itself, its
spontaneous use (``affected_limb_use``, relative to the habitual use of an intact limb) rises
with function along a sigmoid (Han, Arbib & Schweighofer 2008; Hidaka et al. 2012: use depends
on function, "confidence" :math:`\beta`),

.. math:: U = \frac{\sigma(\beta (W - F_{th}))}{\sigma(\beta (1 - F_{th}))}, \qquad
          \sigma(z) = \frac{1}{1 + e^{-z}}

so an intact limb is used as usual (:math:`U(1) = 1`). The motor command to the limb is
:math:`x = U + g\,(p + k_i\,m)` with the ports ``motor_practice`` :math:`p` and
``motor_imagery`` :math:`m` (1 while practising or imagining): task practice drives the
pathway :math:`g` times more than habitual daily use, imagery a fraction :math:`k_i` of
practice. The postsynaptic activity is :math:`y = \min(W x, 1)`: a pathway cannot carry more
than an intact one does.

**BCM rule with a sliding threshold** (Bienenstock, Cooper & Munro 1982), with soft bounds and
the brain-BDNF modulation of the learning rate of the science notes (section 4.1),

.. math::
    \dot W &= \eta(B)\, y\, (y - \theta)\, \begin{cases} 1 - W & y > \theta \\
              W & y \le \theta \end{cases}
              \; - \; \varepsilon\, (1 - x)_+\, W \\
    \tau_\theta \dot\theta &= \theta_0 + (1 - \theta_0)\, y^2 - \theta, \qquad
    \eta(B) = \eta_0 \max(1 + g_B (B - 1), 0)

with ``bdnf_brain`` :math:`B` (1 at rest). Potentiation when activity exceeds the threshold,
depression below it; the threshold slides towards :math:`\theta_0 + (1-\theta_0) y^2` within
about a day, so sustained high activity raises it (the BCM stabiliser) and lasting low activity
lowers it, but not below the floor :math:`\theta_0`. With a fast threshold the rule's sign is
that of :math:`-(y - 1)(y - y_t)`, :math:`y_t = \theta_0/(1 - \theta_0)`: activity between
:math:`y_t` and 1 potentiates, less depresses. The last term is the uniform decay of BCM (1982),
here confined to the part of the habitual command the limb does not get: pathways that are not
used decay ("use it or lose it"). The soft bounds keep :math:`W` in :math:`(0, 1]` by
construction (the potentiation vanishes at 1, every depression is proportional to :math:`W`).

**Threshold behaviour.** Because use grows with function, activity :math:`W U(W)` has a
tipping point: below it the pathway is under-used and declines; above it use and function
feed each other and recover without further therapy. That is the prediction of Han et al.
(2008) that Schweighofer et al. (2009) found in the EXCITE trial: arm function right after
constraint-induced therapy predicts the change of spontaneous use over the following year,
which rises above a threshold and falls below it.

**Healthy default.** :math:`W = 1` (``motor_learning.initial_strength``) gives :math:`U = 1`,
:math:`y = \theta = 1`: every term vanishes, at rest and during practice or imagery (the cap on
:math:`y`), so an intact pathway never changes. A ``stroke`` condition sets the initial
strength (data/conditions/stroke); the initial threshold is the steady state of the initial
activity.

**Pure functions for the fast layer and the protocol.**
:func:`drive_ceiling_factor` (weakness: the maximal voluntary drive of the limb's muscles),
:func:`movement_speed_factor` (slowness), :func:`imagery_neural_dose` and
:func:`practice_neural_dose` (impulses into the neural stimulus of
:mod:`myoaxis.physiology.adaptation.muscle`), :func:`movements` and :func:`muscle_group`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.core.errors import ParameterError, ScenarioError, unknown_name
from myoaxis.physiology.adaptation.muscle import state_names
from myoaxis.physiology.brain.plasticity import BDNF_BRAIN
from myoaxis.physiology.ports import MOTOR_IMAGERY, MOTOR_PRACTICE

Values = Callable[[str, str], np.ndarray]

P = "motor_learning."
STRENGTH = "motor_pathway_strength"
THRESHOLD = "motor_pathway_threshold"
USE = "affected_limb_use"
COMMAND = "motor_command"
ACTIVITY = "motor_pathway_activity"
RATE_FACTOR = "motor_learning_rate_factor"

LIMB = ("grip", "first_dorsal_interosseous", "elbow_flexors", "elbow_extensors", "shoulder_flexors")
"""Muscle groups of the simulated limb (an arm): a stroke weakens and slows these only; the
model's leg and trunk groups are bilateral and keep an intact drive."""

# Movements a protocol may practise or imagine -> the muscle group whose neural adaptation
# (adaptation/muscle.py) they train. The little-finger abductor of Ranganathan et al. (2004) has
# no group of its own; the first dorsal interosseous (index-finger abductor) stands in for it.
MOVEMENTS = {
    "elbow_flexion": "elbow_flexors",
    "elbow_extension": "elbow_extensors",
    "finger_abduction": "first_dorsal_interosseous",
    "tapping": "first_dorsal_interosseous",
    "grasp": "grip",
    "reach": "shoulder_flexors",
    "knee_extension": "knee_extensors",
    "ankle_dorsiflexion": "ankle_dorsiflexors",
    "ankle_plantarflexion": "ankle_plantarflexors",
    "trunk_extension": "trunk_extensors",
}


def _sigmoid(x: str) -> str:
    return f"1 / (1 + exp(-{P}use.steepness * ({x} - {P}use.function_threshold)))"


def _use(strength: str) -> str:
    """Spontaneous use at pathway strength ``strength`` (text), 1 for an intact limb."""
    return f"{_sigmoid(strength)} / ({_sigmoid('1')})"


def _threshold_target(activity: str) -> str:
    return f"{P}threshold_floor + (1 - {P}threshold_floor) * {activity} ** 2"


_INITIAL_ACTIVITY = f"min({P}initial_strength * {_use(P + 'initial_strength')}, 1)"

MOTOR_LEARNING = Component(
    name="motor_learning",
    states=(
        State(
            STRENGTH,
            "dimensionless",
            "corticospinal pathway strength of the simulated (after a stroke: affected) limb, "
            "relative to an intact pathway",
            rate=f"{P}learning_rate * {RATE_FACTOR} * {ACTIVITY} * ({ACTIVITY} - {THRESHOLD})"
            f" * where({ACTIVITY} > {THRESHOLD}, 1 - {STRENGTH}, {STRENGTH})"
            f" - {P}disuse_rate * max(1 - {COMMAND}, 0) * {STRENGTH}",
            initial=f"{P}initial_strength",
            scale=1.0,
        ),
        State(
            THRESHOLD,
            "dimensionless",
            "sliding (BCM) modification threshold of the pathway",
            rate=f"({_threshold_target(ACTIVITY)} - {THRESHOLD}) / {P}threshold_time",
            initial=_threshold_target(_INITIAL_ACTIVITY),
            scale=1.0,
        ),
    ),
    parameters={
        f"{P}initial_strength": "dimensionless",
        f"{P}learning_rate": "1/s",
        f"{P}bdnf_gain": "dimensionless",
        f"{P}threshold_floor": "dimensionless",
        f"{P}threshold_time": "s",
        f"{P}disuse_rate": "1/s",
        f"{P}use.steepness": "dimensionless",
        f"{P}use.function_threshold": "dimensionless",
        f"{P}practice_gain": "dimensionless",
        f"{P}imagery_gain": "dimensionless",
    },
    inputs=(MOTOR_PRACTICE, MOTOR_IMAGERY, BDNF_BRAIN),
    assignments=(
        Assignment(
            USE,
            "dimensionless",
            "spontaneous use of the limb relative to an intact limb's habitual use",
            _use(STRENGTH),
        ),
        Assignment(
            COMMAND,
            "dimensionless",
            "motor command to the limb (habitual use = 1): spontaneous use, practice, imagery",
            f"{USE} + {P}practice_gain * ({MOTOR_PRACTICE.name}"
            f" + {P}imagery_gain * {MOTOR_IMAGERY.name})",
        ),
        Assignment(
            ACTIVITY,
            "dimensionless",
            "activity the pathway carries (strength x command, at most an intact pathway's)",
            f"min({STRENGTH} * {COMMAND}, 1)",
        ),
        Assignment(
            RATE_FACTOR,
            "dimensionless",
            "factor of the learning rate from brain BDNF expression (1 at rest)",
            f"max(1 + {P}bdnf_gain * ({BDNF_BRAIN.name} - 1), 0)",
        ),
    ),
    citations=("bienenstock1982", "han2008", "schweighofer2009", "hidaka2012"),
)

COMPONENTS = (MOTOR_LEARNING,)


# -- pure functions: weakness, slowness, neural doses --------------------------------------------


@dataclass(frozen=True)
class MotorLearningParameters:
    """Arrays ``(S,)`` read by the pure functions of this module."""

    strength_exponent: np.ndarray  # a: drive ceiling = W**a
    speed_exponent: np.ndarray  # b: movement speed = W**b
    contraction_set_rate: np.ndarray  # load-weighted sets per second of maximal practice
    imagery_efficacy: np.ndarray  # neural dose of imagery / that of performing it

    @classmethod
    def from_values(cls, values: Values) -> MotorLearningParameters:
        """Build from ``values(name, unit) -> (S,)`` (e.g. ``Body.values``)."""

        def v(name: str, unit: str = "dimensionless") -> np.ndarray:
            return np.asarray(values(f"{P}{name}", unit), dtype=float)

        return cls(
            v("strength_exponent"),
            v("speed_exponent"),
            v("dose.contraction_set_rate", "1/s"),
            v("dose.imagery_efficacy"),
        )


def movements() -> tuple[str, ...]:
    """Names of the movements that can be practised or imagined."""
    return tuple(sorted(MOVEMENTS))


def muscle_group(movement: str) -> str:
    """The muscle group trained by ``movement``; unknown names raise :class:`ScenarioError`."""
    if movement not in MOVEMENTS:
        raise ScenarioError(unknown_name("movement", movement, MOVEMENTS))
    return MOVEMENTS[movement]


def _strength(w) -> np.ndarray:
    a = np.asarray(w, dtype=float)
    if (~np.isfinite(a) | (a < 0) | (a > 1)).any():
        raise ParameterError(f"motor pathway strength must be in [0, 1], got {w!r}")
    return a


def drive_ceiling_factor(w, params: MotorLearningParameters) -> np.ndarray:
    """Factor :math:`W^a` of the maximal voluntary drive (the rested excitation ceiling,
    ``central.rested_ceiling``) of the limb's muscles at pathway strength ``w`` ``(S,)``: 1 for
    an intact pathway. Calibrated as the paretic/non-paretic grip-strength ratio (see
    ``motor_learning.strength_exponent``)."""
    return _strength(w) ** params.strength_exponent


def movement_speed_factor(w, params: MotorLearningParameters) -> np.ndarray:
    """Factor :math:`W^b` of the speed of repetitive movements of the limb (tapping rate,
    blocks moved per minute; divide movement times by it) at pathway strength ``w``."""
    return _strength(w) ** params.speed_exponent


def _seconds(seconds) -> np.ndarray:
    a = np.asarray(seconds, dtype=float)
    if (~np.isfinite(a) | (a < 0)).any():
        raise ScenarioError(f"motor practice or imagery: duration must be >= 0 s, got {seconds!r}")
    return a


def practice_neural_dose(
    seconds, movement: str, params: MotorLearningParameters, effort=1.0
) -> dict[str, np.ndarray]:
    """Impulse of ``seconds`` of repeated contractions of ``movement`` at ``effort`` (fraction
    of maximal, like the load fraction of a set) into the neural stimulus of its muscle group:
    ``{neural_stimulus_<group>: amount (S,)}`` in load-weighted sets,
    ``amount = effort x rate x seconds``."""
    e = np.asarray(effort, dtype=float)
    if (~np.isfinite(e) | (e < 0) | (e > 1)).any():
        raise ScenarioError(f"motor practice: effort must be in [0, 1], got {effort!r}")
    group = muscle_group(movement)
    amount = e * params.contraction_set_rate * _seconds(seconds)
    return {state_names(group)["neural_stimulus"]: np.asarray(amount, dtype=float)}


def imagery_neural_dose(
    seconds, movement: str, params: MotorLearningParameters
) -> dict[str, np.ndarray]:
    """Impulse of ``seconds`` of imagined maximal contractions of ``movement`` into the neural
    stimulus of its muscle group: a fraction ``imagery_efficacy`` of performing them
    (:func:`practice_neural_dose` at full effort). Calibrated to Ranganathan et al. 2004."""
    group = muscle_group(movement)
    amount = params.imagery_efficacy * params.contraction_set_rate * _seconds(seconds)
    return {state_names(group)["neural_stimulus"]: np.asarray(amount, dtype=float)}
