r"""Myokines and organokines of the slow layer: IL-6 and its anti-inflammatory cascade
(IL-10, IL-1ra), BDNF and FGF21.

:data:`COMPONENTS` is everything this area adds to the slow layer, including brain lactate
uptake (:mod:`.bbb`) and the low-grade inflammation state (:mod:`.inflammation`). Names read
from other areas: ``muscle_glycogen_fraction`` (glucose–insulin; :data:`IL6` carries a fallback
input of 1 so that it also runs alone) and ``insulin_plasma`` (pmol/L, read by :data:`FGF21`).

**IL-6** (after Steensberg et al. 2000; Fischer 2006). Contraction induces IL-6 synthesis, and
the muscle releases what has been induced while it keeps contracting. With :math:`M` the port
``active_mass_activation`` (kg) and :math:`G` the muscle glycogen fraction:

.. math::
    P^* = \frac{s}{a_{ref}}\,M\,\big(1 + g\,(1 - G)\big), \quad
    \dot T = \frac{P^* - T}{\tau_{on}}, \quad
    \dot P = \frac{T - P}{\tau_{on}}, \quad
    \dot C = \frac{P}{V_{pl}} - k_{el}\,(C - C_b)

while the muscle contracts (:math:`M` above a numerical threshold :math:`M_0`); otherwise
:math:`\dot T = -T/\tau_{off}` and :math:`\dot P = -P/\tau_{off}`. The two
stages give the delayed, accelerating release of prolonged exercise (no net release from a leg
with normal glycogen after 1 h, a clear one by 2 h, Steensberg et al. 2001) and the
near-linear rise with duration (Fischer 2006; Jouffroy et al. 2022); release stops with the
contractions, so plasma IL-6 peaks at the end of exercise (Ostrowski et al. 1998, 1999) and
falls with :math:`\tau_{off}` (back to baseline 1.5 h after a 1-h bout, Gray et al. 2009).
Plasma clearance is fast (t½ ≈ 2 min, from Steensberg's turnover). Low glycogen amplifies
production (Steensberg et al. 2001; Keller et al. 2001). The fit of :math:`s/a_{ref}`,
:math:`\tau_{on}` and :math:`\tau_{off}` is documented in ``data/model/myokines.toml``.

**IL-10 and IL-1ra** follow the fold rise of IL-6, :math:`r = C/C_b - 1`, with first-order
lags (Ostrowski et al. 1998, 1999; Steensberg et al. 2003, where IL-6 infusion alone raised
both): IL-10 linearly, :math:`X^* = X_b (1 + k r)`; IL-1ra saturating,
:math:`X^* = X_b (1 + A r / (K + r))`. Plasma IL-6 never falls below :math:`C_b` (release is
never negative), so :math:`r \ge 0` without clipping; a clip would put a kink at the resting
equilibrium, which stalls implicit solvers (CVODE in an SBML replay).

**BDNF** (plasma, pg/mL). The brain supplies a share :math:`\sigma` of circulating BDNF at rest
(Rasmussen et al. 2009, 70–80 %); both sources rise with a central exercise drive :math:`N`
(share unchanged during exercise, as Rasmussen found), and plasma BDNF is cleared in minutes:

.. math::
    \dot B = k_B B_b\,\big[\sigma (1 + g_b N) + (1-\sigma)(1 + g_p N)\big] - k_B B

The drive follows intensity above a threshold (Nofuji et al. 2012: a rise at 60 % but not at
40 % VO2peak) and the brain's lactate uptake above rest (:data:`.bbb.BRAIN_LACTATE`),

.. math::
    N^* = \Big(\frac{i - \theta}{1 - \theta} + w\Big(\frac{f_{lac}}{f_{lac,rest}} - 1\Big)\Big)_+,
    \qquad \dot N = \frac{N^* - N}{\tau_N}\ (i > \theta), \quad
    \dot N = -\frac{N}{\tau_{N,off}}\ (i \le \theta)

rising slowly (longer bouts raise BDNF more, Dinoff et al. 2017) and falling within minutes
after exercise (Knaepen et al. 2010). ``bdnf_brain`` (1 = rest) is a slow index of brain BDNF
expression driven by the same central drive, not by plasma BDNF (:mod:`.bbb`).

**FGF21** (hepatokine, pg/mL). The liver's secretion follows the glucagon-to-insulin ratio
(Hansen & Plomgaard 2016), relative to rest, with glucagon represented by exercise intensity
and insulin read from the glucose–insulin component (:math:`I_b` its basal insulin):

.. math::
    r = (1 + \gamma\,i)\frac{I_b}{I}, \quad R = \frac{r\,R_{max}}{r + R_{max} - 1}, \quad
    \dot H = \frac{R - H}{\tau_H}, \quad \dot F = k_F\big(F_b H^\eta - F\big)

so plasma FGF21 rises after exercise and peaks about an hour later (Kim et al. 2013;
Willis et al. 2019), rises when insulin falls in fasting and falls when insulin rises after a
meal. The saturation :math:`R_{max}` and the power :math:`\eta < 1` keep a deep fall of insulin
from giving implausible rises.
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, Input, State
from myoaxis.physiology.endocrine import bbb, inflammation
from myoaxis.physiology.ports import ACTIVE_MASS, EXERCISE_INTENSITY

GLYCOGEN_FALLBACK = Input(
    "muscle_glycogen_fraction",
    "dimensionless",
    "muscle glycogen relative to rested full stores (fallback when no glycogen model runs)",
    default=1.0,
)


def _positive(x: str) -> str:
    """``max(x, 0)`` with the zero in the units of ``x`` (the unit check needs one dimension)."""
    return f"max({x}, 0 * ({x}))"


def _switched_lag(on: str, target: str, state: str, rise: str, fall: str) -> str:
    """``state`` approaches ``target`` with time constant ``rise`` while ``on`` holds and decays
    to zero with ``fall`` otherwise. ``on`` reads inputs only and is never exactly at its switch
    point at rest: a switch that sits on a state's equilibrium, or a condition that is exactly
    zero at rest, stalls CVODE (libRoadRunner turns every condition into a root function)."""
    return f"where({on}, ({target} - {state}) / {rise}, -{state} / {fall})"


IL6 = Component(
    name="il6",
    states=(
        State(
            "il6_induction",
            "ng/s",
            "IL-6 synthesis induced in the working muscle",
            rate=_switched_lag(
                "active_mass_activation > il6.contraction_threshold",
                "il6_production_target",
                "il6_induction",
                "il6.production_rise_time",
                "il6.production_decay_time",
            ),
            initial="0",
            scale=0.1,
        ),
        State(
            "il6_production",
            "ng/s",
            "IL-6 release rate of the working muscle",
            rate=_switched_lag(
                "active_mass_activation > il6.contraction_threshold",
                "il6_induction",
                "il6_production",
                "il6.production_rise_time",
                "il6.production_decay_time",
            ),
            initial="0",
            scale=0.1,
        ),
        State(
            "il6_plasma",
            "pg/mL",
            "plasma interleukin-6 concentration",
            rate="il6_production / il6.plasma_volume "
            "- il6.elimination_rate * (il6_plasma - il6.baseline_plasma)",
            initial="il6.baseline_plasma",
            scale=1.0,
        ),
    ),
    parameters={
        "il6.baseline_plasma": "pg/mL",
        "il6.production_per_active_kg": "ng/s/kg",
        "il6.reference_activation": "dimensionless",
        "il6.glycogen_gain": "dimensionless",
        "il6.plasma_volume": "L",
        "il6.elimination_rate": "1/s",
        "il6.production_rise_time": "s",
        "il6.production_decay_time": "s",
        "il6.contraction_threshold": "kg",
    },
    inputs=(ACTIVE_MASS, GLYCOGEN_FALLBACK),
    assignments=(
        Assignment(
            "il6_glycogen_factor",
            "dimensionless",
            "amplification of IL-6 production by low muscle glycogen",
            "1 + il6.glycogen_gain * (1 - muscle_glycogen_fraction)",
        ),
        Assignment(
            "il6_production_target",
            "ng/s",
            "IL-6 production the contracting muscle is driven towards",
            "il6.production_per_active_kg / il6.reference_activation"
            " * active_mass_activation * il6_glycogen_factor",
        ),
        Assignment(
            "il6_rise",
            "dimensionless",
            "fold rise of plasma IL-6 above its resting value",
            "il6_plasma / il6.baseline_plasma - 1",
        ),
    ),
    citations=("steensberg2000", "steensberg2001", "fischer2006", "gray2009"),
)

IL10 = Component(
    name="il10",
    states=(
        State(
            "il10_plasma",
            "pg/mL",
            "plasma interleukin-10 concentration",
            rate="(il10.baseline_plasma * (1 + il10.il6_gain * il6_rise) - il10_plasma)"
            " / il10.time_constant",
            initial="il10.baseline_plasma",
            scale=1.0,
        ),
    ),
    parameters={
        "il10.baseline_plasma": "pg/mL",
        "il10.il6_gain": "dimensionless",
        "il10.time_constant": "s",
    },
    citations=("ostrowski1999", "steensberg2003"),
)

IL1RA = Component(
    name="il1ra",
    states=(
        State(
            "il1ra_plasma",
            "pg/mL",
            "plasma interleukin-1 receptor antagonist concentration",
            rate="(il1ra.baseline_plasma * (1 + il1ra.max_rise * il6_rise"
            " / (il1ra.half_rise + il6_rise)) - il1ra_plasma) / il1ra.time_constant",
            initial="il1ra.baseline_plasma",
            scale=100.0,
        ),
    ),
    parameters={
        "il1ra.baseline_plasma": "pg/mL",
        "il1ra.max_rise": "dimensionless",
        "il1ra.half_rise": "dimensionless",
        "il1ra.time_constant": "s",
    },
    citations=("ostrowski1998", "ostrowski1999", "steensberg2003"),
)

BDNF = Component(
    name="bdnf",
    states=(
        State(
            "bdnf_central_drive",
            "dimensionless",
            "central (neural activity and lactate) drive of BDNF release",
            rate=_switched_lag(
                "exercise_intensity > bdnf.intensity_threshold",
                "bdnf_drive_target",
                "bdnf_central_drive",
                "bdnf.drive_rise_time",
                "bdnf.drive_decay_time",
            ),
            initial="0",
            scale=0.01,  # decays to zero within minutes: a tight absolute tolerance
        ),
        State(
            "bdnf_plasma",
            "pg/mL",
            "plasma brain-derived neurotrophic factor concentration",
            rate="bdnf_brain_output + bdnf_peripheral_output - bdnf_elimination * bdnf_plasma",
            initial="bdnf.baseline_plasma",
            scale=100.0,
        ),
        State(
            "bdnf_brain",
            "dimensionless",
            "brain BDNF expression relative to rest (driven centrally, not by plasma BDNF)",
            rate="(1 + bdnf.brain_tissue_gain * bdnf_central_drive - bdnf_brain)"
            " / bdnf.brain_tissue_time",
            initial="1",
            scale=1.0,
        ),
    ),
    parameters={
        "bdnf.baseline_plasma": "pg/mL",
        "bdnf.brain_share": "dimensionless",
        "bdnf.elimination_half_life": "s",
        "bdnf.intensity_threshold": "dimensionless",
        "bdnf.lactate_weight": "dimensionless",
        "bdnf.drive_rise_time": "s",
        "bdnf.drive_decay_time": "s",
        "bdnf.brain_exercise_gain": "dimensionless",
        "bdnf.peripheral_exercise_gain": "dimensionless",
        "bdnf.brain_tissue_gain": "dimensionless",
        "bdnf.brain_tissue_time": "s",
    },
    inputs=(EXERCISE_INTENSITY,),
    assignments=(
        Assignment(
            "bdnf_drive_target",
            "dimensionless",
            "central BDNF drive the exercise tends to: intensity above threshold and brain "
            "lactate uptake above rest",
            _positive(
                "(exercise_intensity - bdnf.intensity_threshold) / (1 - bdnf.intensity_threshold)"
                " + bdnf.lactate_weight"
                " * (brain_lactate_fraction / brain_lactate_fraction_rest - 1)"
            ),
        ),
        Assignment(
            "bdnf_elimination",
            "1/s",
            "first-order clearance rate of plasma BDNF",
            "log(2) / bdnf.elimination_half_life",
        ),
        Assignment(
            "bdnf_brain_output",
            "pg/mL/s",
            "brain BDNF release into plasma (per plasma volume)",
            "bdnf.brain_share * bdnf_elimination * bdnf.baseline_plasma"
            " * (1 + bdnf.brain_exercise_gain * bdnf_central_drive)",
        ),
        Assignment(
            "bdnf_peripheral_output",
            "pg/mL/s",
            "peripheral BDNF release into plasma (platelets, endothelium, muscle)",
            "(1 - bdnf.brain_share) * bdnf_elimination * bdnf.baseline_plasma"
            " * (1 + bdnf.peripheral_exercise_gain * bdnf_central_drive)",
        ),
        Assignment(
            "bdnf_brain_source_share",
            "dimensionless",
            "share of circulating BDNF release that comes from the brain",
            "bdnf_brain_output / (bdnf_brain_output + bdnf_peripheral_output)",
        ),
    ),
    citations=("rasmussen2009", "nofuji2012", "knaepen2010", "dinoff2017", "szuhany2015"),
)

FGF21 = Component(
    name="fgf21",
    states=(
        State(
            "fgf21_hepatic",
            "dimensionless",
            "hepatic FGF21 secretion drive: glucagon-to-insulin ratio relative to rest (1)",
            rate="(fgf21_ratio - fgf21_hepatic) / fgf21.hepatic_time",
            initial="1",
            scale=1.0,
        ),
        State(
            "fgf21_plasma",
            "pg/mL",
            "plasma fibroblast growth factor 21 concentration",
            rate="log(2) / fgf21.elimination_half_life"
            " * (fgf21.baseline_plasma * fgf21_hepatic ** fgf21.ratio_exponent - fgf21_plasma)",
            initial="fgf21.baseline_plasma",
            scale=100.0,
        ),
    ),
    parameters={
        "fgf21.baseline_plasma": "pg/mL",
        "fgf21.glucagon_gain": "dimensionless",
        "fgf21.hepatic_time": "s",
        "fgf21.ratio_exponent": "dimensionless",
        "fgf21.max_ratio": "dimensionless",
        "fgf21.elimination_half_life": "s",
        "glucose_insulin.basal_insulin": "pmol/L",
    },
    inputs=(EXERCISE_INTENSITY,),
    assignments=(
        Assignment(
            "fgf21_raw_ratio",
            "dimensionless",
            "glucagon-to-insulin ratio relative to rest (glucagon proxy: exercise intensity)",
            "(1 + fgf21.glucagon_gain * exercise_intensity) * glucose_insulin.basal_insulin"
            " / insulin_plasma",
        ),
        Assignment(
            "fgf21_ratio",
            "dimensionless",
            "relative glucagon-to-insulin ratio as the liver reads it (saturating)",
            "fgf21_raw_ratio * fgf21.max_ratio / (fgf21_raw_ratio + fgf21.max_ratio - 1)",
        ),
    ),
    citations=("kim2013", "hansen2016", "willis2019"),
)

COMPONENTS = (IL6, IL10, IL1RA, bbb.BRAIN_LACTATE, BDNF, FGF21, inflammation.INFLAMMATION)
"""Everything this area adds to the slow layer (reads ``insulin_plasma`` from glucose–insulin)."""
