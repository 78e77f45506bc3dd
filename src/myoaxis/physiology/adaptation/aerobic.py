r"""Aerobic training over weeks to years: VO2max (training, detraining, ageing) and the
training gain of insulin sensitivity.

Both read the port ``exercise_intensity`` :math:`i` (fraction of VO2max, written by aerobic
bouts); resistance exercise (``active_mass_activation``) is ignored. Names below:
``aer.`` = ``aerobic.vo2max.``, ``ins.`` = ``aerobic.insulin.``.

**Training loads.** Two states count exercise time over about the last week
(:math:`\tau_L` = ``aerobic.load_time``; under a regular schedule their mean is the weekly
minutes). The VO2max load weights each minute by intensity above a threshold,

.. math::
    \dot L = w(i) - L/\tau_L, \qquad w(i) = \Big(\frac{i - i_0}{i_{ref} - i_0}\Big)_+

(0 at 30 %, 1 at 70 %, 1.25 at 80 % VO2max), so harder and longer sessions both count. The
insulin-sensitivity volume counts minutes above a low threshold whatever the intensity,
:math:`\dot T = [i > i_I] - T/\tau_L`: Houmard et al. (2004) found the same gain (about +85 %)
with about 170 min/week of walking at 40-55 % or jogging at 65-80 % VO2peak, and less (+40 %)
with 115 min/week of jogging.

**Adaptations** (every one of the form below: no switch, smooth at rest). A gain :math:`X`
driven by a load ratio :math:`s \ge 0` rises towards a ceiling and decays without training,

.. math:: \dot X = \frac{s\,(X_{max} - X) - X}{\tau_{off}}, \qquad
          X^* = X_{max}\frac{s}{1 + s}

so the sustained gain saturates in the load, the rise is faster with more training
(:math:`\tau_{off}/(1+s)`) and the loss after training stops has time constant
:math:`\tau_{off}`; :math:`0 \le X \le X_{max}` by construction.

VO2max has a **labile** gain (blood and stroke volume, oxidative enzymes; :math:`\tau_{off}`
20 days) and a **structural** one (heart size, capillaries; 2 years), both with
:math:`s = L/K`. Detrained endurance athletes lost about 7 % of VO2max in 21 days and 16 % by
56 days, then stabilised well above sedentary controls (Coyle et al. 1984): the labile gain goes,
the structural one stays. Untrained adults gain 15-20 % in 3-6 months (Murias et al. 2010: +18 %
young, +31 % older men after 12 weeks of 3 x 45 min at 70 %; Huang et al. 2005: +16.3 % in
older adults). **Ageing** multiplies VO2max by :math:`a`, :math:`\dot a = -r(A)\,a` with the
age :math:`A` = ``body.age`` + time and a relative rate rising linearly from an onset age,
:math:`r = r_{ref}\max((A - A_0)/(A_{ref} - A_0), 0)`, fitted to Fleg et al. (2005): 3-6 % per
decade in the 20s and 30s, more than 20 % per decade in the 70s. So a 25-year-old drifts by
0.2 %/y; an untrained subject is otherwise at rest.

**Disuse.** Bed rest (the port ``weight_bearing`` :math:`w`, 1 in daily life, 0 in bed) adds a
loss :math:`\ell` (``vo2max_disuse_loss``, 0 in daily life) that relaxes towards the unloading
:math:`u = \max(1 - w, 0)`,

.. math:: \dot\ell = r_d\,(u - \ell)\ \text{while}\ u > \ell, \qquad
          \dot\ell = (u - \ell)/\tau_r\ \text{otherwise}

so in full bed rest VO2max falls by :math:`1 - e^{-r_d t}`, nearly linearly over the 1-90
days studied (Ried-Larsen et al. 2017, 80 studies: -0.3 %/day in L/min, -0.43 %/day per kg,
linear in the duration; mostly smaller plasma and stroke volumes, Convertino 1997), and
on reloading the loss decays with :math:`\tau_r` (peak VO2 back to its pre-bed-rest value
within 4 weeks of daily activity, still low after 6 days: Hedge et al. 2023). Exercise
during bed rest raises the training gains as usual, which offsets part of the loss.
:math:`0 \le \ell \le 1` by construction, and :math:`\dot\ell = 0` exactly at :math:`w = 1`.

Outputs: ``vo2max_factor`` :math:`= (1 + g_l + g_s)\,a\,(1 - \ell)` (1 at the start) and
``vo2max`` (mL/min/kg) :math:`=` ``energetics.vo2max_per_kg`` x ``vo2max_factor``.

**Insulin sensitivity** gains :math:`g` with :math:`s = (T/K_I)^n` (Hill exponent 4, fitted to
Houmard 2004's two volumes) and decays within about two weeks of inactivity (Houmard et al.
1996). Output ``insulin_sensitivity_training_factor`` :math:`= 1 + g`, which the
glucose-insulin component multiplies into its insulin sensitivity :math:`S_I`.
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.physiology.ports import EXERCISE_INTENSITY, WEIGHT_BEARING

VO2 = "aerobic.vo2max."
INS = "aerobic.insulin."

LOAD = "aerobic_training_load"
LABILE = "vo2max_labile_gain"
STRUCTURAL = "vo2max_structural_gain"
AGEING = "vo2max_ageing_factor"
DISUSE = "vo2max_disuse_loss"
FACTOR = "vo2max_factor"
VO2MAX = "vo2max"
VOLUME = "aerobic_exercise_time"
INSULIN_GAIN = "insulin_sensitivity_training_gain"
INSULIN_FACTOR = "insulin_sensitivity_training_factor"


def saturating_gain(gain: str, ratio: str, ceiling: str, decay_time: str) -> str:
    """Rate text of a gain driven by a load ratio: ``(s (X_max - X) - X) / tau_off``."""
    return f"({ratio} * ({ceiling} - {gain}) - {gain}) / {decay_time}"


def age_ramp(prefix: str) -> str:
    """Relative loss rate rising linearly with age from ``<prefix>onset_age`` (0 before)."""
    return (
        f"{prefix}loss_rate_at_reference"
        f" * max((body.age + time - {prefix}onset_age)"
        f" / ({prefix}reference_age - {prefix}onset_age), 0)"
    )


VO2MAX_TRAINING = Component(
    name="vo2max_training",
    states=(
        State(
            LOAD,
            "s",
            "intensity-weighted aerobic exercise time of about the last week (VO2max load)",
            rate=f"aerobic_training_weight - {LOAD} / aerobic.load_time",
            initial="0",
            scale=1e4,
        ),
        State(
            LABILE,
            "dimensionless",
            "labile VO2max gain (blood volume, stroke volume, oxidative enzymes)",
            rate=saturating_gain(
                LABILE, "aerobic_load_ratio", f"{VO2}labile.max_gain", f"{VO2}labile.decay_time"
            ),
            initial="0",
            scale=0.1,
        ),
        State(
            STRUCTURAL,
            "dimensionless",
            "structural VO2max gain (heart size, capillarisation), kept for months",
            rate=saturating_gain(
                STRUCTURAL,
                "aerobic_load_ratio",
                f"{VO2}structural.max_gain",
                f"{VO2}structural.decay_time",
            ),
            initial="0",
            scale=0.1,
        ),
        State(
            AGEING,
            "dimensionless",
            "VO2max relative to the start from ageing alone",
            rate=f"-{age_ramp(f'{VO2}ageing.')} * {AGEING}",
            initial="1",
            scale=1.0,
        ),
        State(
            DISUSE,
            "dimensionless",
            "share of VO2max lost to bed rest (unloading), 0 in daily life",
            rate=f"where(vo2max_unloading > {DISUSE},"
            f" {VO2}disuse.loss_rate * (vo2max_unloading - {DISUSE}),"
            f" (vo2max_unloading - {DISUSE}) / {VO2}disuse.recovery_time)",
            initial="0",
            scale=0.1,
        ),
    ),
    parameters={
        "aerobic.load_time": "s",
        f"{VO2}intensity_threshold": "dimensionless",
        f"{VO2}reference_intensity": "dimensionless",
        f"{VO2}half_load": "s",
        f"{VO2}labile.max_gain": "dimensionless",
        f"{VO2}labile.decay_time": "s",
        f"{VO2}structural.max_gain": "dimensionless",
        f"{VO2}structural.decay_time": "s",
        f"{VO2}ageing.onset_age": "s",
        f"{VO2}ageing.loss_rate_at_reference": "1/s",
        f"{VO2}ageing.reference_age": "s",
        f"{VO2}disuse.loss_rate": "1/s",
        f"{VO2}disuse.recovery_time": "s",
        "body.age": "s",
        "energetics.vo2max_per_kg": "mL/min/kg",
    },
    inputs=(EXERCISE_INTENSITY, WEIGHT_BEARING),
    assignments=(
        Assignment(
            "vo2max_unloading",
            "dimensionless",
            "unloading seen by VO2max: 1 - weight bearing (0 in daily life, 1 in bed rest)",
            f"max(1 - {WEIGHT_BEARING.name}, 0)",
        ),
        Assignment(
            "aerobic_training_weight",
            "dimensionless",
            "VO2max training load per minute of exercise at the current intensity",
            f"max((exercise_intensity - {VO2}intensity_threshold)"
            f" / ({VO2}reference_intensity - {VO2}intensity_threshold), 0)",
        ),
        Assignment(
            "aerobic_load_ratio",
            "dimensionless",
            "VO2max training load relative to the load that sustains half the largest gains",
            f"{LOAD} / {VO2}half_load",
        ),
        Assignment(
            FACTOR,
            "dimensionless",
            "VO2max relative to the start (training, detraining, ageing and disuse)",
            f"(1 + {LABILE} + {STRUCTURAL}) * {AGEING} * (1 - {DISUSE})",
        ),
        Assignment(
            VO2MAX,
            "mL/min/kg",
            "maximal O2 uptake per kg body mass now",
            f"energetics.vo2max_per_kg * {FACTOR}",
        ),
    ),
    citations=(
        "coyle1984",
        "murias2010",
        "huang2005",
        "fleg2005",
        "neufer1989",
        "mujika2001",
        "riedlarsen2017",
        "convertino1997",
        "hedge2023",
    ),
)

INSULIN_TRAINING = Component(
    name="insulin_sensitivity_training",
    states=(
        State(
            VOLUME,
            "s",
            "aerobic exercise time of about the last week (insulin-sensitivity volume)",
            rate=f"where(exercise_intensity > {INS}intensity_threshold, 1, 0)"
            f" - {VOLUME} / aerobic.load_time",
            initial="0",
            scale=1e4,
        ),
        State(
            INSULIN_GAIN,
            "dimensionless",
            "training gain of insulin sensitivity (relative, 0 untrained)",
            rate=saturating_gain(
                INSULIN_GAIN, "insulin_training_drive", f"{INS}max_gain", f"{INS}decay_time"
            ),
            initial="0",
            scale=0.1,
        ),
    ),
    parameters={
        "aerobic.load_time": "s",
        f"{INS}intensity_threshold": "dimensionless",
        f"{INS}half_time": "s",
        f"{INS}exponent": "dimensionless",
        f"{INS}max_gain": "dimensionless",
        f"{INS}decay_time": "s",
    },
    inputs=(EXERCISE_INTENSITY,),
    assignments=(
        Assignment(
            "insulin_training_drive",
            "dimensionless",
            "drive of the insulin-sensitivity gain: (weekly exercise time / half time)^n",
            f"({VOLUME} / {INS}half_time) ** {INS}exponent",
        ),
        Assignment(
            INSULIN_FACTOR,
            "dimensionless",
            "insulin sensitivity relative to the untrained state (multiplies S_I)",
            f"1 + {INSULIN_GAIN}",
        ),
    ),
    citations=("houmard2004", "houmard1996"),
)

COMPONENTS = (VO2MAX_TRAINING, INSULIN_TRAINING)
