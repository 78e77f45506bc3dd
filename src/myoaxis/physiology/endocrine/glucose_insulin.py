r"""Plasma glucose, insulin and glycogen: Bergman's minimal model with Roy & Parker's exercise
terms, a gut, glucose-stimulated insulin secretion and liver and muscle glycogen stores.

All rates are per second; ``gi.`` below stands for the parameter prefix ``glucose_insulin.``.

**Gut** (Hovorka et al. 2004, two equal compartments, a gamma-shaped appearance peaking at
:math:`t_{max}`). A meal of :math:`D` g is added to :math:`Q_1` (``gut_carbohydrate``):

.. math::
    \dot Q_1 = -Q_1/t_{max}, \qquad \dot Q_2 = (Q_1 - Q_2)/t_{max}, \qquad
    R_a = A_G\,Q_2/t_{max}

The fraction :math:`1 - A_G` taken up by the liver on first pass is stored as liver glycogen
(19 % of a mixed meal's carbohydrate in Taylor et al. 1996).

**Glucose** (mg/dL; Bergman 1979 with Roy & Parker 2007). The insulin action state
:math:`Z` (``insulin_action``) is Bergman's :math:`X` shifted by its basal value so that it
stays non-negative, :math:`X = Z - S_I I_b` (``insulin_action_excess``):

.. math::
    \dot G = -(p_1 + X + \kappa\,e\,X_+)\,G + p_1 G_b
             + \frac{h(L)\,q\,(P_{ex} + \epsilon\,g_b) - \epsilon\,g_b}{V_G}
             - \frac{U_{ex}}{V_G}\frac{G}{G_b}
             + \frac{R_a - \rho\,R_{syn}}{V_G\,BW}

with :math:`S_I = s\,f_T\,(1 - \ell)\,(1 + m)\,p_3/p_2` (``insulin_sensitivity``, :math:`s` =
``gi.insulin_sensitivity_scale``, :math:`f_T` = ``insulin_sensitivity_training_factor`` from
:mod:`myoaxis.physiology.adaptation.aerobic`, 1 without it, :math:`\ell` the disuse loss
below, :math:`m` = ``insulin_sensitiser_effect`` of drugs such as metformin from
:mod:`myoaxis.physiology.pharmacology`, 0 without them) and :math:`q = \min(I_b/I, 1)`
(insulin above basal suppresses hepatic glycogenolysis). Exercise amplifies insulin-stimulated
uptake by :math:`1 + \kappa e` (exercise-insulin synergy, Breton 2008's idea; :math:`\kappa` = 3,
kept small because the model lacks counter-regulation: larger values that fit Angus 2002 drive
post-prandial running into hypoglycaemia). Roy & Parker's exercise states follow the fraction
of VO2max above rest,
:math:`u = \max(i - \dot V_{O_2,rest}/\dot V_{O_2,max}, 0)` (their ``u3`` is the same quantity
in per cent; their uptake :math:`U_{ex}` is taken at basal glucose and scaled by
:math:`G/G_b` so that glucose stays positive):

.. math::
    \dot e = k_e (u - e), \quad \dot P_{ex} = a_1 e - a_2 P_{ex}, \quad
    \dot U_{ex} = a_3 e - a_4 U_{ex}, \quad \dot C_{ex} = a_5 e - a_6 C_{ex}

Roy & Parker switch exercise glycogenolysis off by an integrated-intensity threshold that
needs a reset event and is negative above ~76 % VO2max. Here the **liver glycogen** store
:math:`L` (g) does it: while exercising (:math:`\epsilon = \min((e - e_0)_+/e_0, 1)`) the liver's
glycogenolysis, the basal share :math:`g_b` plus the exercise increment :math:`P_{ex}`, is
drawn from :math:`L` and scaled by :math:`h(L) = (1+K_L)\,x/(x+K_L)`, :math:`x = L/L_{rest}`:

.. math::
    \dot L = (1-A_G)\frac{Q_2}{t_{max}}(1-\epsilon)\,c(L)
             - \frac{(L - L_{rest})_+}{\tau_L}
             - BW\,h(L)\,q\,(P_{ex} + \epsilon\,g_b)

where :math:`c(L) = \min(10(1 - L/L_{cap})_+, 1)` stops storage near the capacity; the
post-meal excess returns to :math:`L_{rest}` only while insulin is at or below basal (the
:math:`\tau_L` term is multiplied by :math:`\min(I_b/I, 1)`), and the exercise glycogenolysis
is suppressed by the same factor when carbohydrate raises insulin. First-pass storage stops
while exercising (Gonzalez 2015: no net hepatic storage with 102 g/h glucose). At rest the
basal glycogenolysis is part of the minimal model's steady state (the store is taken as
refilled by meals over a day), so an all-rest scenario stays put.

**Insulin** (pmol/L). Roy & Parker's clearance :math:`n` and volume :math:`V_I = 1/(p_4 BW)`;
secretion after Dalla Man et al. 2007 (Toffolo/Breda second phase :math:`Y` plus a
derivative first phase), delivered past the liver's extraction :math:`HE` (which falls as
secretion rises); the exercise clearance :math:`C_{ex}` is a rate constant, Roy & Parker's
additive removal divided by their basal insulin, so that insulin stays positive:

.. math::
    \dot I = -n I + (1-HE)\frac{Y + K\,\dot G_+}{V_I} - C_{ex} I, \qquad
    \dot Y = \alpha\,\big(\max(S_b + \beta(G - G_b), 0) - Y\big)

with :math:`S_b = n I_b V_I/(1-HE)`, and :math:`\dot Z = -p_2 Z + s\,f_T\,(1 - \ell)\,p_3 I`.

**Disuse.** Bed rest makes muscle insulin resistant within days (Stuart et al. 1988: the
insulin dose-response curve of whole-body glucose uptake shifts right after 7 days, hepatic
insulin action unchanged). The loss :math:`\ell` (``insulin_sensitivity_disuse_loss``, 0 in
daily life) relaxes towards :math:`\ell^* = \ell_{max}\max(1 - W_b, 0)`, :math:`W_b` the port
``weight_bearing``, with :math:`\tau_{on}` while it rises and :math:`\tau_{off}` while it falls
(component :data:`INSULIN_DISUSE`; the glucose model reads its factor
``insulin_sensitivity_disuse_factor`` :math:`= 1 - \ell`, 1 without it):

.. math:: \dot\ell = \frac{\ell^* - \ell}{\tau_{on}\ \text{if}\ \ell^* > \ell\ \text{else}\
          \tau_{off}}

Clamp-measured insulin sensitivity falls by 19 % in 3 days and is no lower after 56 days (Shur
et al. 2022), by 29 % after 7 days (Dirks et al. 2016); after 21 days of bed rest the oral
glucose tolerance is still impaired after 4 days of normal activity, and the insulin response
is back to its pre-bed-rest value after 14 (Heer et al. 2014). In the minimal model a lower
:math:`S_I` leaves the fasting state where it was (:math:`X = 0` at basal insulin) and shows in
the response to glucose loads. At :math:`W_b = 1`, :math:`\dot\ell = 0` exactly.

**Muscle glycogen** :math:`M` (g, whole body) is used at the ``muscle_glycogen_use`` port
(cut off linearly below ``gi.muscle_glycogen_floor``) and resynthesised from plasma glucose:

.. math::
    R_{syn} = m\,w\,(r_0 + r_I\frac{\Delta I}{\Delta I + I_{1/2}})\frac{D}{D + D_{1/2}}
              \frac{G}{G_b}(1-\epsilon), \qquad D = (1 - M/M_{rest})_+,\ \Delta I = (I - I_b)_+

(:math:`m` muscle mass, :math:`w` grams per mmol glucosyl; off while exercising, when the
fast layer's use is the net flux); :math:`\rho` converts glucosyl to glucose mass.
``muscle_glycogen_fraction`` = :math:`M/M_{rest}`.

**Limits.** Roy & Parker's exercise uptake is modest, so with ~80 g/h of carbohydrate during
hard exercise glucose settles near 130 mg/dL where Angus 2002 saw the pre-exercise level (the
fast layer's working-muscle glucose uptake is not yet a port). In prolonged fasted exercise
glucose falls less than with Roy & Parker's threshold (their model: 90 -> 60 mg/dL after 4 h
at 30 % VO2max; ours ~87), since a physical 54 g liver store lasts hours. The OGTT insulin
peak (~200 pmol/L) is at the low end of normal. Body mass is a parameter, not the Body's.
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, Input, State
from myoaxis.physiology.ports import EXERCISE_INTENSITY, GLYCOGEN_USE, WEIGHT_BEARING

TRAINING_FACTOR = Input(  # computed by the aerobic-training component when it runs
    "insulin_sensitivity_training_factor",
    "dimensionless",
    "insulin sensitivity relative to the untrained state (aerobic training; 1 without it)",
    default=1.0,
)

DISUSE_FACTOR = Input(  # computed by INSULIN_DISUSE when it runs
    "insulin_sensitivity_disuse_factor",
    "dimensionless",
    "insulin sensitivity relative to habitual loading (bed rest lowers it; 1 without it)",
    default=1.0,
)

SENSITISER = Input(  # computed by the pharmacology components when they run
    "insulin_sensitiser_effect",
    "dimensionless",
    "fractional rise of insulin sensitivity by insulin-sensitising drugs (0 without)",
)

P = "glucose_insulin."

PARAMETERS = {
    # gut
    f"{P}absorption_time": "s",
    f"{P}bioavailability": "dimensionless",
    f"{P}milligrams_per_gram": "mg/g",
    # glucose and insulin action
    f"{P}basal_glucose": "mg/dL",
    f"{P}glucose_effectiveness": "1/s",
    f"{P}insulin_action_decay": "1/s",
    f"{P}insulin_action_gain": "1/s**2/(pmol/L)",
    f"{P}insulin_sensitivity_scale": "dimensionless",
    f"{P}glucose_volume": "dL/kg",
    "body.mass": "kg",
    # insulin kinetics and secretion
    f"{P}basal_insulin": "pmol/L",
    f"{P}insulin_clearance": "1/s",
    f"{P}insulin_volume": "L/kg",
    f"{P}hepatic_extraction": "dimensionless",
    f"{P}hepatic_extraction_slope": "kg*s/pmol",
    f"{P}secretion_rate": "1/s",
    f"{P}secretion_glucose_gain": "pmol/kg/s/(mg/dL)",
    f"{P}secretion_rate_gain": "pmol/kg/(mg/dL)",
    # exercise (Roy & Parker 2007)
    "energetics.vo2_rest_per_kg": "mL/min/kg",
    "energetics.vo2max_per_kg": "mL/min/kg",
    f"{P}vo2_rate": "1/s",
    f"{P}exercise_production_gain": "mg/kg/s**2",
    f"{P}exercise_production_decay": "1/s",
    f"{P}exercise_uptake_gain": "mg/kg/s**2",
    f"{P}exercise_uptake_decay": "1/s",
    f"{P}exercise_clearance_gain": "1/s**2",
    f"{P}exercise_clearance_decay": "1/s",
    f"{P}exercise_onset": "dimensionless",
    f"{P}exercise_insulin_synergy": "dimensionless",
    # liver glycogen
    f"{P}basal_glycogenolysis": "mg/kg/s",
    f"{P}liver_glycogen_rest": "g",
    f"{P}liver_glycogen_capacity": "g",
    f"{P}liver_glycogen_half": "dimensionless",
    f"{P}liver_glycogen_return_time": "s",
    # muscle glycogen
    "energetics.glycogen_rest": "mmol/kg",
    "energetics.wet_to_dry_ratio": "dimensionless",
    f"{P}muscle_mass_fraction": "dimensionless",
    f"{P}glucosyl_mass": "g/mmol",
    f"{P}glucose_per_glucosyl": "dimensionless",
    f"{P}resynthesis_basal": "mmol/kg/s",
    f"{P}resynthesis_insulin": "mmol/kg/s",
    f"{P}resynthesis_insulin_half": "pmol/L",
    f"{P}resynthesis_deficit_half": "dimensionless",
    f"{P}muscle_glycogen_floor": "g",
}

_MUSCLE_MASS = f"{P}muscle_mass_fraction * body.mass"
_BASAL_SECRETION = (
    f"{P}insulin_clearance * {P}basal_insulin * {P}insulin_volume / (1 - {P}hepatic_extraction)"
)
_INSULIN_BRAKE = f"{P}basal_insulin / max(insulin_plasma, {P}basal_insulin)"  # min(Ib/I, 1)
_MUSCLE_GLYCOGEN_REST = (
    f"energetics.glycogen_rest / energetics.wet_to_dry_ratio * {_MUSCLE_MASS} * {P}glucosyl_mass"
)


def _positive(x: str) -> str:
    """``max(x, 0)`` with a zero in the units of ``x`` (so the unit check sees one dimension)."""
    return f"max({x}, 0 * ({x}))"


ASSIGNMENTS = (
    Assignment(
        "insulin_sensitivity_factor",
        "dimensionless",
        "insulin sensitivity relative to the untrained, habitually loaded, drug-free state"
        " (training factor times disuse factor times 1 + the drugs' rise)",
        f"{TRAINING_FACTOR.name} * {DISUSE_FACTOR.name} * (1 + {SENSITISER.name})",
    ),
    Assignment(
        "insulin_sensitivity",
        "1/s/(pmol/L)",
        "insulin sensitivity S_I = s p3/p2 (minimal model) times the training and disuse factors",
        f"{P}insulin_sensitivity_scale * {P}insulin_action_gain / {P}insulin_action_decay"
        " * insulin_sensitivity_factor",
    ),
    Assignment(
        "insulin_action_excess",
        "1/s",
        "Bergman's remote insulin action X: insulin action above its basal value (may be < 0)",
        f"insulin_action - insulin_sensitivity * {P}basal_insulin",
    ),
    Assignment(
        "glucose_appearance_gut",
        "mg/s",
        "rate of appearance of ingested glucose in plasma",
        f"{P}bioavailability * gut_carbohydrate_intestine / {P}absorption_time"
        f" * {P}milligrams_per_gram",
    ),
    Assignment(
        "exercise_drive",
        "dimensionless",
        "exercise intensity above rest driving Roy & Parker's states (fraction of VO2max)",
        _positive("exercise_intensity - energetics.vo2_rest_per_kg / energetics.vo2max_per_kg"),
    ),
    Assignment(
        "exercise_on",
        "dimensionless",
        "1 while exercising, 0 at rest (ramps from e0 to 2 e0 of PVO2max above rest)",
        f"min({_positive(f'exercise_vo2 - {P}exercise_onset')} / {P}exercise_onset, 1)",
    ),
    Assignment(
        "liver_glycogen_fraction",
        "dimensionless",
        "liver glycogen relative to its post-absorptive resting value",
        f"liver_glycogen / {P}liver_glycogen_rest",
    ),
    Assignment(
        "hepatic_glycogen_availability",
        "dimensionless",
        "h(L): share of the liver's glycogenolysis its store can sustain (1 at rest)",
        f"(1 + {P}liver_glycogen_half) * liver_glycogen_fraction"
        f" / (liver_glycogen_fraction + {P}liver_glycogen_half)",
    ),
    Assignment(
        "liver_glycogenolysis_exercise",
        "mg/kg/s",
        "liver glycogenolysis drawn from the store while exercising (basal share + increment),"
        " suppressed by insulin above basal",
        "hepatic_glycogen_availability * (exercise_glucose_production"
        f" + exercise_on * {P}basal_glycogenolysis) * {_INSULIN_BRAKE}",
    ),
    Assignment(
        "muscle_glycogen_fraction",
        "dimensionless",
        "whole-body muscle glycogen relative to rested full stores",
        f"muscle_glycogen / ({_MUSCLE_GLYCOGEN_REST})",
    ),
    Assignment(
        "muscle_glycogen_resynthesis",
        "g/s",
        "muscle glycogen synthesis from plasma glucose (off while exercising: the"
        " fast layer's use is net)",
        f"{_MUSCLE_MASS} * {P}glucosyl_mass * ({P}resynthesis_basal + {P}resynthesis_insulin"
        f" * {_positive(f'insulin_plasma - {P}basal_insulin')}"
        f" / ({_positive(f'insulin_plasma - {P}basal_insulin')}"
        f" + {P}resynthesis_insulin_half))"
        f" * {_positive('1 - muscle_glycogen_fraction')}"
        f" / ({_positive('1 - muscle_glycogen_fraction')} + {P}resynthesis_deficit_half)"
        f" * glucose_plasma / {P}basal_glucose * (1 - exercise_on)",
    ),
    Assignment(
        "glucose_rate",
        "mg/dL/s",
        "rate of change of plasma glucose",
        f"-({P}glucose_effectiveness + insulin_action_excess"
        f" + {P}exercise_insulin_synergy * exercise_vo2 * {_positive('insulin_action_excess')})"
        f" * glucose_plasma + {P}glucose_effectiveness * {P}basal_glucose"
        f" + (liver_glycogenolysis_exercise - exercise_on * {P}basal_glycogenolysis"
        f" - exercise_glucose_uptake * glucose_plasma / {P}basal_glucose) / {P}glucose_volume"
        f" + (glucose_appearance_gut - {P}glucose_per_glucosyl * muscle_glycogen_resynthesis"
        f" * {P}milligrams_per_gram) / ({P}glucose_volume * body.mass)",
    ),
    Assignment(
        "insulin_secretion",
        "pmol/kg/s",
        "pre-hepatic insulin secretion (second phase plus the first phase on rising glucose)",
        f"insulin_secretion_static + {P}secretion_rate_gain * {_positive('glucose_rate')}",
    ),
    Assignment(
        "hepatic_insulin_extraction",
        "dimensionless",
        "share of secreted insulin removed by the liver; falls as secretion rises",
        "min("
        + _positive(
            f"{P}hepatic_extraction - {P}hepatic_extraction_slope"
            f" * (insulin_secretion - {_BASAL_SECRETION})"
        )
        + ", 1)",
    ),
)

STATES = (
    State(
        "gut_carbohydrate",
        "g",
        "ingested carbohydrate in the first gut compartment (meals are added here)",
        rate=f"-gut_carbohydrate / {P}absorption_time",
        initial="0",
        scale=10.0,
    ),
    State(
        "gut_carbohydrate_intestine",
        "g",
        "carbohydrate in the second gut compartment, absorbed into the portal vein",
        rate=f"(gut_carbohydrate - gut_carbohydrate_intestine) / {P}absorption_time",
        initial="0",
        scale=10.0,
    ),
    State(
        "glucose_plasma",
        "mg/dL",
        "plasma glucose concentration",
        rate="glucose_rate",
        initial=f"{P}basal_glucose",
        scale=100.0,
    ),
    State(
        "insulin_action",
        "1/s",
        "insulin action on glucose disposal (Bergman's X plus its basal value S_I I_b)",
        rate=f"-{P}insulin_action_decay * insulin_action"
        f" + {P}insulin_sensitivity_scale * {P}insulin_action_gain * insulin_sensitivity_factor"
        " * insulin_plasma",
        initial=f"{P}insulin_sensitivity_scale * {P}insulin_action_gain"
        f" / {P}insulin_action_decay * {P}basal_insulin",
        scale=1e-4,
    ),
    State(
        "insulin_secretion_static",
        "pmol/kg/s",
        "second-phase (static) pre-hepatic insulin secretion, Y + S_b of Dalla Man 2007",
        rate=f"{P}secretion_rate * ("
        + _positive(
            f"{_BASAL_SECRETION} + {P}secretion_glucose_gain * (glucose_plasma - {P}basal_glucose)"
        )
        + " - insulin_secretion_static)",
        initial=_BASAL_SECRETION,
        scale=0.02,
    ),
    State(
        "insulin_plasma",
        "pmol/L",
        "plasma insulin concentration",
        rate=f"-{P}insulin_clearance * insulin_plasma"
        " + (1 - hepatic_insulin_extraction) * insulin_secretion"
        f" / {P}insulin_volume"
        " - exercise_insulin_clearance * insulin_plasma",
        initial=f"{P}basal_insulin",
        scale=50.0,
    ),
    State(
        "exercise_vo2",
        "dimensionless",
        "O2 uptake above rest seen by the glucose system (Roy & Parker's PVO2max, a fraction)",
        rate=f"{P}vo2_rate * (exercise_drive - exercise_vo2)",
        initial="0",
        scale=1e-3,
    ),
    State(
        "exercise_glucose_production",
        "mg/kg/s",
        "exercise-induced increase of hepatic glucose production (Roy & Parker's Gprod)",
        rate=f"{P}exercise_production_gain * exercise_vo2"
        f" - {P}exercise_production_decay * exercise_glucose_production",
        initial="0",
        scale=0.01,
    ),
    State(
        "exercise_glucose_uptake",
        "mg/kg/s",
        "exercise-induced peripheral glucose uptake at basal glucose (Roy & Parker's Gup)",
        rate=f"{P}exercise_uptake_gain * exercise_vo2"
        f" - {P}exercise_uptake_decay * exercise_glucose_uptake",
        initial="0",
        scale=0.01,
    ),
    State(
        "exercise_insulin_clearance",
        "1/s",
        "exercise-enhanced fractional insulin removal (Roy & Parker's Ie over their basal insulin)",
        rate=f"{P}exercise_clearance_gain * exercise_vo2"
        f" - {P}exercise_clearance_decay * exercise_insulin_clearance",
        initial="0",
        scale=1e-3,
    ),
    State(
        "liver_glycogen",
        "g",
        "liver glycogen",
        rate=f"(1 - {P}bioavailability) * gut_carbohydrate_intestine / {P}absorption_time"
        " * (1 - exercise_on)"
        f" * min({_positive(f'10 * (1 - liver_glycogen / {P}liver_glycogen_capacity)')}, 1)"
        f" - {_positive(f'liver_glycogen - {P}liver_glycogen_rest')}"
        f" / {P}liver_glycogen_return_time * {_INSULIN_BRAKE}"
        f" - body.mass * liver_glycogenolysis_exercise / {P}milligrams_per_gram",
        initial=f"{P}liver_glycogen_rest",
        scale=50.0,
    ),
    State(
        "muscle_glycogen",
        "g",
        "skeletal muscle glycogen, whole body (glucosyl units)",
        rate="muscle_glycogen_resynthesis"
        f" - muscle_glycogen_use * min(muscle_glycogen / {P}muscle_glycogen_floor, 1)",
        initial=_MUSCLE_GLYCOGEN_REST,
        scale=400.0,
    ),
)

GLUCOSE_INSULIN = Component(
    name="glucose_insulin",
    states=STATES,
    parameters=PARAMETERS,
    inputs=(EXERCISE_INTENSITY, GLYCOGEN_USE, TRAINING_FACTOR, DISUSE_FACTOR, SENSITISER),
    assignments=ASSIGNMENTS,
    citations=(
        "bergman1979",
        "roy2007",
        "dallaman2007",
        "hovorka2004",
        "taylor1996",
        "knopp2019",
    ),
)

COMPONENTS = (GLUCOSE_INSULIN,)

_LOSS = "insulin_sensitivity_disuse_loss"

INSULIN_DISUSE = Component(
    name="insulin_sensitivity_disuse",
    states=(
        State(
            _LOSS,
            "dimensionless",
            "share of insulin sensitivity lost to bed rest (unloading), 0 in daily life",
            rate=f"(insulin_sensitivity_disuse_target - {_LOSS})"
            f" / where(insulin_sensitivity_disuse_target > {_LOSS},"
            f" {P}disuse.onset_time, {P}disuse.recovery_time)",
            initial="0",
            scale=0.1,
        ),
    ),
    parameters={
        f"{P}disuse.max_loss": "dimensionless",
        f"{P}disuse.onset_time": "s",
        f"{P}disuse.recovery_time": "s",
    },
    inputs=(WEIGHT_BEARING,),
    assignments=(
        Assignment(
            "insulin_sensitivity_disuse_target",
            "dimensionless",
            "loss of insulin sensitivity the current unloading would sustain (0 in daily life)",
            f"{P}disuse.max_loss * max(1 - {WEIGHT_BEARING.name}, 0)",
        ),
        Assignment(
            DISUSE_FACTOR.name,
            "dimensionless",
            "insulin sensitivity relative to habitual loading (1 - disuse loss; multiplies S_I)",
            f"1 - {_LOSS}",
        ),
    ),
    citations=("stuart1988", "dirks2016", "shur2022", "heer2014"),
)
# Not in COMPONENTS: the glucose model alone keeps its twelve states (its tests integrate it on
# its own); the whole-body model (slow.COMPONENTS) adds DISUSE_COMPONENTS.
DISUSE_COMPONENTS = (INSULIN_DISUSE,)
