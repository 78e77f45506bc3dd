r"""Pain: an acute dorsal-horn gate with wind-up, and a slow layer of central sensitisation,
exercise-induced hypoalgesia (EIH) and the analgesic training effect of regular exercise.

**Dorsal-horn gate** (acute, pure numpy; in the spirit of Melzack & Wall 1965 and the first
mathematical gate model of Britton & Skevington 1989). Nociceptive (C/Adelta) drive
:math:`n` and tactile (Abeta) drive :math:`a` (both dimensionless) reach the projection (T)
neuron; Abeta input excites an inhibitory interneuron of the substantia gelatinosa, which
C-fibre input inhibits (opening the gate):

.. math::
    I = \frac{a}{1 + n/n_c}, \qquad
    E = \frac{n + \varepsilon a}{1 + \gamma I}, \qquad
    T = \frac{G\,(1 + W)}{1 + D}\,E

with the gate strength :math:`\gamma`, the C-fibre disinhibition constant :math:`n_c`, a weak
direct Abeta excitation :math:`\varepsilon`, the slow central-sensitisation gain :math:`G`
(1 healthy), NMDA-like wind-up :math:`W` (0 for a single stimulus) and descending inhibition
:math:`D` acting divisively. :math:`T = 1` is the pain criterion (first pain); perceived pain
on the 0-10 numeric rating scale is the monotone map

.. math:: \mathrm{NRS} = 10\,\bigl(1 - e^{-(T - 1)_+/s}\bigr).

**Pressure algometry.** An algometer probe pressing with :math:`p` (kPa) drives the
nociceptors as :math:`n = (p/p_n)^\beta` and saturates the low-threshold mechanoreceptors at a
constant :math:`a = a_p` (they saturate at pressures far below the pain threshold; our
assumption). The pressure pain threshold (PPT) is where :math:`T = 1`; with
:math:`c = (1 + D)/(G(1 + W))` and :math:`u = n/n_c`, :math:`E = c` is the quadratic

.. math::
    n_c u^2 + (n_c + \varepsilon a - c)\,u + \varepsilon a - c(1 + \gamma a) = 0,

whose positive root gives :math:`\mathrm{PPT} = p_n (n_c u)^{1/\beta}` in closed form (the same
text is the slow layer's ``pain_threshold``, so the slow layer and the test agree exactly).
:math:`E` rises monotonically with pressure, so more pressure always hurts more, and more
descending inhibition always raises the threshold.

**Wind-up** (temporal summation, Mendell 1966; Price et al. 1977): each of a train of identical
stimuli at interval :math:`\Delta t` charges an NMDA-like facilitation that decays with
:math:`\tau_w`,

.. math:: W_{k+1} = e^{-\Delta t/\tau_w}\bigl(W_k + k_w\,T^{(0)}\,(W_{max} - W_k)\bigr),
          \qquad W_1 = 0,

with the T neuron's response without wind-up :math:`T^{(0)} = G E/(1 + D)`,

so ratings grow along a train at about 1 Hz and hardly at all at intervals well above
:math:`\tau_w`.

**Conditioned pain modulation** (DNIC): a conditioning stimulus (cold pressor) recruits extra
descending inhibition :math:`\kappa` (the subject's CPM capacity) during the test,
:math:`D \to D + \kappa`.

**Slow layer** (component ``pain``; time in seconds). The exercise stimulus :math:`u_x`
(intensity-equivalent) is the aerobic intensity :math:`i` (``exercise_intensity``) or, outside
aerobic bouts, resistance/isometric work :math:`q_r M/m` (``active_mass_activation`` per kg of
body mass). EIH :math:`H` (``eih_analgesia``) follows :math:`g_H u_x` with time constant
:math:`\tau_H` (about 15 min), so it builds during a bout and fades within about half an hour
after it; the training effect :math:`X` (``pain_training_effect``) accumulates with repeated
sessions and decays over weeks:

.. math::
    \dot H = (g_H u_x - H)/\tau_H, \qquad
    \dot X = k_X u_x (X_{max} - X) - X/\tau_X.

Descending inhibition (assignment ``descending_inhibition``) is the tonic capacity raised by
training, plus EIH, plus neuromodulation (input ``neuromodulation_inhibition``):
:math:`D = D_0(1 + X) + H + D_{nm}`. A condition brings ongoing nociceptive drives from its
sites, :math:`q_w, q_b, q_k` (widespread, lumbar, knee), which systemic inflammation
:math:`\iota` (``inflammation``) amplifies by :math:`1 + q_i\iota` (peripheral
sensitisation). Every site, a central (nociplastic) drive :math:`N_c` and inflammation itself
feed the sensitisation drive

.. math:: N = N_c + (1 + q_i\iota)(q_w + q_b + q_k) + \nu\,\iota,

so comorbid conditions sensitise more, and inflammation alone sensitises a little (lower
thresholds) without causing ongoing pain. Central sensitisation :math:`G`
(``central_sensitisation``) follows the design form of the science note,

.. math:: \dot G = \frac{\sigma N (G_{max} - G) - D (G - 1)}{\tau_G},

driven up by nociceptive input and inflammation and down by descending inhibition
(:math:`G \ge 1`; a unique steady state, so chronification is represented by the condition's
drive rather than by bistability). Ongoing clinical pain (``pain_intensity``, NRS 0-10) is the
NRS map of :math:`T_o = G q/(1 + D)` of the worst site, :math:`q = (1 + q_i\iota)
\max(q_w, q_b, q_k)` (a patient rates the main complaint; a second painful site raises it
through the sensitisation it drives), without tactile input, times :math:`1 - A` with the
input ``analgesic_effect`` :math:`A`. The resting PPT at the lumbar paraspinal muscles
(``pain_threshold``, kPa) is the algometry threshold above with :math:`W = 0`.

The initial values are the resting steady state: :math:`H = X = 0`, :math:`D = D_0` and
:math:`G^* = (\sigma N_0 G_{max} + D_0)/(\sigma N_0 + D_0)` with the resting drive
:math:`N_0`, :math:`N` at :math:`\iota_0` = ``inflammation.condition_level`` (the inflammation
model's resting value).

**Back-pain disability** (``back_disability``, 0-100, emulating the Oswestry Disability Index,
ODI 2.1: ten items scored 0-5, summed and doubled; Fairbank & Pynsent 2000) is driven by the
back-attributable part of ongoing pain and by trunk-extensor weakness,

.. math::
    B = \min\bigl(w_p\,\mathrm{NRS}_b + w_s\,(1 - s_0 f_s)_+,\ 100\bigr),

with the back pain :math:`\mathrm{NRS}_b` (``back_pain_intensity``): the NRS map, times
:math:`1 - A`, of :math:`G (1 + q_i\iota)\max(q_w, q_b)/(1 + D)`, the pain the lumbar and
widespread drives would cause alone with the current sensitisation and inhibition (knee pain
does not count towards a back-specific score, but the sensitisation it drives does), the
condition's trunk-extensor strength relative to the norm :math:`s_0`
(``pain.disability.trunk_strength``) and the trunk-extensor strength factor relative to the
scenario start :math:`f_s` (input ``strength_factor_trunk_extensors`` of the muscle-adaptation
component, 1 when that component is absent). Healthy people score 0. The weights are calibrated
on the ratio of the pooled effects of exercise on function and pain (Hayden 2021) and a typical
trial baseline; changes in disability correlate at most weakly with changes in trunk strength
(Steiger 2012), so the strength term is the smaller one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

import numpy as np

from myoaxis.core.equations import Assignment, Component, Input, State
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.physiology.brain.autonomic import INFLAMMATION  # the same declaration
from myoaxis.physiology.ports import ACTIVE_MASS, EXERCISE_INTENSITY

Values = Callable[[str, str], np.ndarray]

SENSITISATION = "central_sensitisation"
EIH = "eih_analgesia"
TRAINING = "pain_training_effect"
INHIBITION = "descending_inhibition"
THRESHOLD = "pain_threshold"
INTENSITY = "pain_intensity"
STIMULUS = "pain_exercise_stimulus"
DRIVE = "pain_sensitisation_drive"
ONGOING = "pain_ongoing_drive"
DISABILITY = "back_disability"
BACK_PAIN = "back_pain_intensity"

NEUROMODULATION = Input(
    "neuromodulation_inhibition",
    "dimensionless",
    "extra descending-inhibition gain from brain stimulation after-effects (0 without)",
)
ANALGESIC = Input(
    "analgesic_effect",
    "dimensionless",
    "fractional reduction of clinical pain by analgesic drugs (0-1, 0 without)",
)
TRUNK_STRENGTH = Input(
    "strength_factor_trunk_extensors",
    "dimensionless",
    "trunk-extensor strength relative to the scenario start (1 without the muscle adaptation)",
    default=1.0,
)

P = "pain."
DH = "pain.dorsal_horn."
ALG = "pain.algometry."


# -- acute dorsal-horn model (pure numpy) ------------------------------------------------------


@dataclass(frozen=True)
class DorsalHornParameters:
    """Parameters of the acute gate, each ``(S,)`` (dimensionless unless stated)."""

    pressure_scale: np.ndarray  # p_n, kPa
    exponent: np.ndarray  # beta
    probe_tactile_drive: np.ndarray  # a_p
    gate_strength: np.ndarray  # gamma
    c_fibre_disinhibition: np.ndarray  # n_c
    tactile_excitation: np.ndarray  # epsilon
    nrs_scale: np.ndarray  # s
    windup_gain: np.ndarray  # k_w
    windup_max: np.ndarray  # W_max
    windup_time: np.ndarray  # tau_w, s

    @classmethod
    def from_values(cls, values: Values) -> DorsalHornParameters:
        """Build from ``values(name, unit) -> (S,)`` (e.g. ``Body.values``)."""

        def v(name: str, unit: str = "dimensionless") -> np.ndarray:
            return np.asarray(values(name, unit), dtype=float)

        p = cls(
            pressure_scale=v(f"{ALG}pressure_scale", "kPa"),
            exponent=v(f"{ALG}exponent"),
            probe_tactile_drive=v(f"{ALG}probe_tactile_drive"),
            gate_strength=v(f"{DH}gate_strength"),
            c_fibre_disinhibition=v(f"{DH}c_fibre_disinhibition"),
            tactile_excitation=v(f"{DH}tactile_excitation"),
            nrs_scale=v(f"{DH}nrs_scale"),
            windup_gain=v(f"{DH}windup_gain"),
            windup_max=v(f"{DH}windup_max"),
            windup_time=v(f"{DH}windup_time", "s"),
        )
        p.check()
        return p

    def check(self) -> None:
        positive = ("pressure_scale", "exponent", "c_fibre_disinhibition", "nrs_scale")
        positive += ("windup_time",)
        for name in positive:
            a = getattr(self, name)
            if np.any(~np.isfinite(a) | (a <= 0)):
                raise ParameterError(f"pain dorsal horn: {name} must be > 0, got {a!r}")
        for name in ("probe_tactile_drive", "gate_strength", "tactile_excitation"):
            a = getattr(self, name)
            if np.any(~np.isfinite(a) | (a < 0)):
                raise ParameterError(f"pain dorsal horn: {name} must be >= 0, got {a!r}")
        for name in ("windup_gain", "windup_max"):
            a = getattr(self, name)
            if np.any(~np.isfinite(a) | (a < 0)):
                raise ParameterError(f"pain dorsal horn: {name} must be >= 0, got {a!r}")
        if np.any(self.tactile_excitation >= 1.0 + self.gate_strength):
            raise ParameterError(
                "pain dorsal horn: tactile_excitation must be below 1 + gate_strength, or touch "
                "alone would hurt at any probe contact"
            )


def _nonnegative(x, what: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if np.any(~np.isfinite(a) | (a < 0)):
        raise ScenarioError(f"pain: {what} must be finite and >= 0, got {x!r}")
    return a


def dorsal_horn_drive(nociceptive, tactile, p: DorsalHornParameters) -> np.ndarray:
    """Gated excitatory drive :math:`E(n, a)` of the T neuron (see the module docstring)."""
    n = _nonnegative(nociceptive, "nociceptive drive")
    a = _nonnegative(tactile, "tactile drive")
    interneuron = a / (1.0 + n / p.c_fibre_disinhibition)
    return (n + p.tactile_excitation * a) / (1.0 + p.gate_strength * interneuron)


def t_output(nociceptive, tactile, sensitisation, inhibition, p, windup=0.0) -> np.ndarray:
    """Projection-neuron output :math:`T = G(1+W)E/(1+D)` (1 = the pain criterion)."""
    g = _nonnegative(sensitisation, "central sensitisation")
    d = _nonnegative(inhibition, "descending inhibition")
    w = _nonnegative(windup, "wind-up")
    return g * (1.0 + w) * dorsal_horn_drive(nociceptive, tactile, p) / (1.0 + d)


def nrs(t, nrs_scale) -> np.ndarray:
    """Perceived pain 0-10 from the T output: :math:`10(1 - e^{-(T-1)_+/s})`."""
    return 10.0 * (1.0 - np.exp(-np.maximum(np.asarray(t, float) - 1.0, 0.0) / nrs_scale))


def pressure_drive(pressure, p: DorsalHornParameters) -> np.ndarray:
    """Nociceptive drive of an algometer pressing with ``pressure`` (kPa): ``(p/p_n)^beta``."""
    return (_nonnegative(pressure, "pressure") / p.pressure_scale) ** p.exponent


def pressure_pain(pressure, sensitisation, inhibition, p, windup=0.0) -> np.ndarray:
    """NRS rating of an algometer pressing with ``pressure`` (kPa)."""
    t = t_output(
        pressure_drive(pressure, p), p.probe_tactile_drive, sensitisation, inhibition, p, windup
    )
    return nrs(t, p.nrs_scale)


def pressure_for_output(target, sensitisation, inhibition, p, windup=0.0) -> np.ndarray:
    """Algometer pressure (kPa) at which the T output reaches ``target`` (1 = the pain
    criterion): the positive root of the quadratic in the module docstring with
    :math:`c = T_{target}(1 + D)/(G(1 + W))`; 0 where touch alone reaches it."""
    g = _nonnegative(sensitisation, "central sensitisation")
    if np.any(g <= 0):
        raise ScenarioError("pain: central sensitisation must be > 0 for a threshold")
    c = (
        _nonnegative(target, "target output")
        * (1.0 + _nonnegative(inhibition, "descending inhibition"))
        / (g * (1.0 + _nonnegative(windup, "wind-up")))
    )
    a, nc = p.probe_tactile_drive, p.c_fibre_disinhibition
    b = nc + p.tactile_excitation * a - c
    m = c * (1.0 + p.gate_strength * a) - p.tactile_excitation * a
    u = np.maximum((-b + np.sqrt(np.maximum(b * b + 4.0 * nc * m, 0.0))) / (2.0 * nc), 0.0)
    return p.pressure_scale * (nc * u) ** (1.0 / p.exponent)


def pressure_pain_threshold(sensitisation, inhibition, p, windup=0.0) -> np.ndarray:
    """Pressure pain threshold (kPa): where the T output reaches the pain criterion 1."""
    return pressure_for_output(1.0, sensitisation, inhibition, p, windup)


def output_for_rating(rating, nrs_scale) -> np.ndarray:
    """T output that is rated ``rating`` (0 <= rating < 10): the inverse of :func:`nrs`."""
    r = np.asarray(rating, dtype=float)
    if np.any(~np.isfinite(r) | (r < 0) | (r >= 10)):
        raise ScenarioError(f"pain: a rating must lie in [0, 10), got {rating!r}")
    return 1.0 - nrs_scale * np.log(1.0 - r / 10.0)


def temporal_summation_ratings(
    pressure, sensitisation, inhibition, p: DorsalHornParameters, n_stimuli: int, interval
) -> np.ndarray:
    r"""Noise-free NRS ratings ``(S, n_stimuli)`` of a train of identical pressure pulses
    (kPa) every ``interval`` s. Each pulse charges wind-up in proportion to the T neuron's
    response without wind-up, :math:`T^{(0)} = G E/(1 + D)`:
    :math:`W_{k+1} = e^{-\Delta t/\tau_w}(W_k + \min(k_w T^{(0)}, 1)(W_{max} - W_k))`
    (loop over stimuli, batched over subjects)."""
    if int(n_stimuli) != n_stimuli or n_stimuli < 1:
        raise ScenarioError(
            f"pain: the number of stimuli must be a positive integer, got {n_stimuli}"
        )
    dt = np.asarray(interval, dtype=float)
    if np.any(~np.isfinite(dt) | (dt <= 0)):
        raise ScenarioError(f"pain: the stimulus interval must be > 0 s, got {interval!r}")
    n = pressure_drive(pressure, p)
    t0 = t_output(n, p.probe_tactile_drive, sensitisation, inhibition, p)
    charge = np.minimum(p.windup_gain * t0, 1.0)
    decay = np.exp(-dt / p.windup_time)
    w = np.zeros(np.broadcast(t0, decay).shape)
    ratings = []
    for _ in range(int(n_stimuli)):
        ratings.append(nrs(t0 * (1.0 + w), p.nrs_scale))
        w = decay * (w + charge * (p.windup_max - w))
    return np.stack(np.broadcast_arrays(*ratings), axis=-1)


# -- slow layer --------------------------------------------------------------------------------


def threshold_expression(g: str, d: str) -> str:
    """The text of :func:`pressure_pain_threshold` (no wind-up) for the slow layer, with the
    sensitisation ``g`` and descending inhibition ``d`` (names or expressions)."""
    c = f"((1 + {d}) / {g})"
    a, nc = f"{ALG}probe_tactile_drive", f"{DH}c_fibre_disinhibition"
    b = f"({nc} + {DH}tactile_excitation * {a} - {c})"
    m = f"({c} * (1 + {DH}gate_strength * {a}) - {DH}tactile_excitation * {a})"
    disc = f"max({b} * {b} + 4 * {nc} * {m}, 0)"
    u = f"max((sqrt({disc}) - {b}) / (2 * {nc}), 0)"
    return f"{ALG}pressure_scale * ({nc} * {u}) ** (1 / {ALG}exponent)"


SITES = (f"{P}ongoing.widespread_drive", f"{P}ongoing.back_drive", f"{P}ongoing.knee_drive")


def _site_drives(combine: str, inflammation: str, sites: tuple[str, ...] = SITES) -> str:
    r"""The ongoing drive of ``sites``, summed (``+``) or the worst one (``max``), amplified by
    ``inflammation``: :math:`(1 + q_i\,\iota)` times the combination."""
    worst = reduce(lambda a, b: f"max({a}, {b})", sites)
    combined = " + ".join(sites) if combine == "+" else worst
    return f"(1 + {P}ongoing.inflammation_gain * {inflammation}) * ({combined})"


def _sensitisation_drive(inflammation: str) -> str:
    r""":math:`N = N_c + (1 + q_i\iota)\sum_s q_s + \nu\iota`."""
    return (
        f"({P}sensitisation.central_drive + {_site_drives('+', inflammation)}"
        f" + {P}sensitisation.inflammation_drive * {inflammation})"
    )


def _resting_drive() -> str:
    return _sensitisation_drive("inflammation.condition_level")


def _clinical_pain(drive: str) -> str:
    """NRS text of the ongoing pain of ``drive``: :math:`10(1 - A)(1 - e^{-(T_o - 1)_+/s})`,
    :math:`T_o = G q/(1 + D)`."""
    return (
        f"10 * (1 - analgesic_effect) * (1 - exp(-max({SENSITISATION} * {drive}"
        f" / (1 + {INHIBITION}) - 1, 0) / {DH}nrs_scale))"
    )


_SIGMA_N0 = f"{P}sensitisation.gain * {_resting_drive()}"
_INITIAL_G = (
    f"({_SIGMA_N0} * {P}sensitisation.maximum + {P}descending.tonic)"
    f" / ({_SIGMA_N0} + {P}descending.tonic)"
)

PAIN = Component(
    name="pain",
    states=(
        State(
            SENSITISATION,
            "dimensionless",
            "central sensitisation: slow gain on dorsal-horn projection output (1 healthy)",
            rate=f"({P}sensitisation.gain * {DRIVE} * ({P}sensitisation.maximum - {SENSITISATION})"
            f" - {INHIBITION} * ({SENSITISATION} - 1)) / {P}sensitisation.time",
            initial=_INITIAL_G,
            scale=1.0,
        ),
        State(
            EIH,
            "dimensionless",
            "exercise-induced hypoalgesia: extra descending inhibition after exercise",
            rate=f"({P}eih.gain * {STIMULUS} - {EIH}) / {P}eih.time",
            initial="0",
            scale=0.1,
        ),
        State(
            TRAINING,
            "dimensionless",
            "analgesic training effect of regular exercise: relative rise of tonic inhibition",
            rate=f"{P}training.rate * {STIMULUS} * ({P}training.maximum - {TRAINING})"
            f" - {TRAINING} / {P}training.decay_time",
            initial="0",
            scale=0.1,
        ),
    ),
    parameters={
        f"{P}sensitisation.gain": "dimensionless",
        f"{P}sensitisation.maximum": "dimensionless",
        f"{P}sensitisation.time": "s",
        f"{P}sensitisation.central_drive": "dimensionless",
        f"{P}sensitisation.inflammation_drive": "dimensionless",
        f"{P}ongoing.widespread_drive": "dimensionless",
        f"{P}ongoing.back_drive": "dimensionless",
        f"{P}ongoing.knee_drive": "dimensionless",
        f"{P}ongoing.inflammation_gain": "dimensionless",
        f"{P}disability.pain_weight": "dimensionless",
        f"{P}disability.trunk_weight": "dimensionless",
        f"{P}disability.trunk_strength": "dimensionless",
        "inflammation.condition_level": "dimensionless",
        f"{P}descending.tonic": "dimensionless",
        f"{P}eih.gain": "dimensionless",
        f"{P}eih.time": "s",
        f"{P}eih.aerobic_switch": "dimensionless",
        f"{P}eih.resistance_equivalence": "dimensionless",
        f"{P}training.rate": "1/s",
        f"{P}training.maximum": "dimensionless",
        f"{P}training.decay_time": "s",
        f"{ALG}pressure_scale": "kPa",
        f"{ALG}exponent": "dimensionless",
        f"{ALG}probe_tactile_drive": "dimensionless",
        f"{DH}gate_strength": "dimensionless",
        f"{DH}c_fibre_disinhibition": "dimensionless",
        f"{DH}tactile_excitation": "dimensionless",
        f"{DH}nrs_scale": "dimensionless",
        "body.mass": "kg",
    },
    inputs=(
        EXERCISE_INTENSITY,
        ACTIVE_MASS,
        INFLAMMATION,
        NEUROMODULATION,
        ANALGESIC,
        TRUNK_STRENGTH,
    ),
    assignments=(
        Assignment(
            STIMULUS,
            "dimensionless",
            "exercise stimulus for hypoalgesia and training (intensity-equivalent): aerobic "
            "intensity, or resistance work per kg of body mass outside aerobic bouts",
            f"exercise_intensity + where(exercise_intensity > {P}eih.aerobic_switch, 0,"
            f" {P}eih.resistance_equivalence * active_mass_activation / body.mass)",
        ),
        Assignment(
            INHIBITION,
            "dimensionless",
            "descending inhibition of the dorsal horn (tonic capacity raised by training, "
            "plus EIH, plus neuromodulation)",
            f"{P}descending.tonic * (1 + {TRAINING}) + {EIH} + neuromodulation_inhibition",
        ),
        Assignment(
            ONGOING,
            "dimensionless",
            "ongoing nociceptive drive of the worst painful site (widespread, lumbar or knee), "
            "amplified by inflammation",
            _site_drives("max", "inflammation"),
        ),
        Assignment(
            DRIVE,
            "dimensionless",
            "drive of central sensitisation: central (nociplastic), every site's ongoing "
            "nociceptive drive and systemic inflammation",
            _sensitisation_drive("inflammation"),
        ),
        Assignment(
            INTENSITY,
            "dimensionless",
            "ongoing clinical pain intensity, 0-10 numeric rating scale",
            _clinical_pain(ONGOING),
        ),
        Assignment(
            BACK_PAIN,
            "dimensionless",
            "ongoing back pain, 0-10 NRS: the pain of the lumbar and widespread drives alone, "
            "with the current sensitisation and inhibition",
            _clinical_pain(_site_drives("max", "inflammation", SITES[:2])),
        ),
        Assignment(
            THRESHOLD,
            "kPa",
            "resting pressure pain threshold at the lumbar paraspinal muscles (algometry)",
            threshold_expression(SENSITISATION, INHIBITION),
        ),
        Assignment(
            DISABILITY,
            "dimensionless",
            "back-pain disability, 0-100 (Oswestry Disability Index-like), from back-attributable "
            "ongoing pain and trunk-extensor weakness",
            f"min({P}disability.pain_weight * {BACK_PAIN}"
            f" + {P}disability.trunk_weight * max(1 - {P}disability.trunk_strength"
            f" * strength_factor_trunk_extensors, 0), 100)",
        ),
    ),
    citations=(
        "melzack1965",
        "britton1989",
        "obrien2018",
        "wewege2021",
        "kosek1996",
        "hayden2021",
        "fairbank2000",
    ),
)

COMPONENTS = (PAIN,)
