r"""Osteokines and the systemic signals of bone remodelling.

Sclerostin (osteocytes, Wnt inhibitor). Local expression :math:`X_s` (1 at habitual loading)
follows the disuse and overload parts :math:`M_{d,s}, M_{o,s}` of the site's mechanostat signal
and oestrogen deficiency :math:`d` with a response time :math:`\tau_X`:

.. math::
    \dot X_s = \bigl(e^{-g_d M_{d,s} - g_o M_{o,s}}(1 + g_E d) - X_s\bigr)/\tau_X

so unloading raises it and loading lowers it (NASA 90-day bed rest: +29/+42/+22 % at days
28/60/90, Spatz et al.; Hinton et al. 2017: lower after 12 months of resistance or jump
training). Plasma sclerostin is the baseline times the mean expression over the sites. Osteoblast
recruitment at a site is scaled by :math:`X_s^{-q}` (:mod:`.remodelling`).

RANKL/OPG. The systemic osteoclastogenic ratio, relative to a healthy adult,

.. math::
    R_{sys} = (1 + r_E d)(1 + r_G g)(1 + r_I I)

with oestrogen deficiency :math:`d`, glucocorticoid excess :math:`g` and the inflammation
index :math:`I` (``inflammation``, 0 = healthy). Glucocorticoids and inflammation also suppress
osteoblastogenesis: :math:`S = 1/[(1 + f_G g)(1 + f_I I)]`. The glucocorticoid exposure is
plasma cortisol averaged over a day, :math:`\dot G = (\mathrm{cortisol} - G)/\tau_G`, and only
the part above a threshold counts, :math:`g = \max(G/G_{th} - 1, 0)`, so a normal circadian
rhythm is without effect.

Oestrogen. :math:`d(t_m) = D\,[1 + e^{(t_{on} - t_m)/w}]^{-1}\,[1 + (\max(t_m, 0)/\tau_m)^2]^{-1}`
with :math:`t_m` the time since the final menstrual period: the resorption stimulus starts
before the FMP and wanes after it, as in Martinez-Reina & Pivonka's post-menopausal RANKL
excess; :math:`D` (``bone.oestrogen_deficiency``) is 0 unless the ``menopause`` overlay is on.

Undercarboxylated osteocalcin (ucOC, from osteoblasts). Produced in proportion to the mean
osteoblast number and raised by muscle IL-6 (Chowdhury et al. 2020: IL-6 signalling in
osteoblasts is needed for the exercise rise; Levinger et al. 2014: +6.4 % after interval
exercise), cleared first-order:

.. math::
    \dot U = k_U\bigl(U_0\,\overline{B/\bar B}\,[1 + E_{max}\,x/(x + x_{50})] - U\bigr),
    \qquad x = \max(\mathrm{IL6}/\mathrm{IL6}_0 - 1, 0)
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.physiology.bone.mechanostat import disuse_signal, overload_signal
from myoaxis.physiology.bone.remodelling import SITES

# Names read from other components (cross-links by name): the myokine/inflammation component
# publishes il6_plasma (pg/mL) and inflammation (dimensionless); the HPA axis cortisol_plasma.
READS = {"il6_plasma": "pg/mL", "cortisol_plasma": "nmol/L", "inflammation": "dimensionless"}


def osteocytes(name: str) -> Component:
    """Sclerostin expression of the osteocytes at skeletal site ``name``."""
    x = f"bone_sclerostin_expression_{name}"
    return Component(
        name=f"bone_osteocytes_{name}",
        states=(
            State(
                x,
                "dimensionless",
                f"osteocytic sclerostin expression at the {name}, relative to habitual life",
                rate=f"(exp(-bone.sclerostin.disuse_gain * {disuse_signal(name)}"
                f" - bone.sclerostin.overload_gain * {overload_signal(name)})"
                f" * (1 + bone.sclerostin.oestrogen_gain * oestrogen_deficiency) - {x})"
                " / bone.sclerostin.response_time",
                initial="1",
                scale=1.0,
            ),
        ),
        parameters={
            "bone.sclerostin.disuse_gain": "dimensionless",
            "bone.sclerostin.overload_gain": "dimensionless",
            "bone.sclerostin.oestrogen_gain": "dimensionless",
            "bone.sclerostin.response_time": "s",
            "bone.mechanostat.dead_zone": "dimensionless",
            "bone.mechanostat.overload_ceiling": "dimensionless",
        },
        citations=("spatz2012", "hinton2017"),
    )


_MEAN_EXPRESSION = " + ".join(f"bone_sclerostin_expression_{s}" for s in SITES)
_MEAN_OSTEOBLASTS = " + ".join(f"bone_osteoblasts_{s}" for s in SITES)
_T_MENOPAUSE = "(time + bone.time_since_menopause)"
# Quantities that are exactly zero at rest are written into the equations that use them.
_GC_EXCESS = "max(bone_glucocorticoid_exposure / bone.glucocorticoid.threshold - 1, 0)"
_IL6_SIGNAL = "max(il6_plasma / il6.baseline_plasma - 1, 0)"

SYSTEMIC = Component(
    name="bone_osteokines",
    states=(
        State(
            "bone_glucocorticoid_exposure",
            "nmol/L",
            "plasma cortisol averaged over the last day (bone's glucocorticoid exposure)",
            rate="(cortisol_plasma - bone_glucocorticoid_exposure)"
            " / bone.glucocorticoid.averaging_time",
            initial="bone.glucocorticoid.daily_mean",
            scale=100.0,
        ),
        State(
            "osteocalcin_plasma",
            "ng/mL",
            "plasma undercarboxylated osteocalcin (ucOC)",
            rate="bone.osteocalcin.clearance_rate * (bone_osteocalcin_target - osteocalcin_plasma)",
            initial="bone.osteocalcin.baseline_plasma",
            scale=1.0,
        ),
    ),
    parameters={
        "bone.oestrogen_deficiency": "dimensionless",
        "bone.time_since_menopause": "s",
        "bone.menopause.onset_midpoint": "s",
        "bone.menopause.onset_width": "s",
        "bone.menopause.decay_time": "s",
        "bone.glucocorticoid.averaging_time": "s",
        "bone.glucocorticoid.daily_mean": "nmol/L",
        "bone.glucocorticoid.threshold": "nmol/L",
        "bone.rankl.oestrogen_gain": "dimensionless",
        "bone.rankl.glucocorticoid_gain": "dimensionless",
        "bone.rankl.inflammation_gain": "dimensionless",
        "bone.formation.glucocorticoid_gain": "dimensionless",
        "bone.formation.inflammation_gain": "dimensionless",
        "bone.sclerostin.baseline_plasma": "pmol/L",
        "bone.osteocalcin.baseline_plasma": "ng/mL",
        "bone.osteocalcin.clearance_rate": "1/s",
        "bone.osteocalcin.il6_max_effect": "dimensionless",
        "bone.osteocalcin.il6_half_effect": "dimensionless",
        "il6.baseline_plasma": "pg/mL",
    },
    assignments=(
        Assignment(
            "oestrogen_deficiency",
            "dimensionless",
            "oestrogen deficiency of the menopause transition (0 none, 1 full)",
            f"bone.oestrogen_deficiency"
            f" / (1 + exp((bone.menopause.onset_midpoint - {_T_MENOPAUSE})"
            " / bone.menopause.onset_width))"
            f" / (1 + (max({_T_MENOPAUSE}, 0) / bone.menopause.decay_time) ** 2)",
        ),
        Assignment(
            "rankl_opg_ratio",
            "dimensionless",
            "systemic RANKL/OPG ratio relative to a healthy adult",
            "(1 + bone.rankl.oestrogen_gain * oestrogen_deficiency)"
            f" * (1 + bone.rankl.glucocorticoid_gain * {_GC_EXCESS})"
            " * (1 + bone.rankl.inflammation_gain * max(inflammation, 0))",
        ),
        Assignment(
            "bone_formation_suppression",
            "dimensionless",
            "osteoblast recruitment left by glucocorticoid and inflammatory suppression",
            f"1 / ((1 + bone.formation.glucocorticoid_gain * {_GC_EXCESS})"
            " * (1 + bone.formation.inflammation_gain * max(inflammation, 0)))",
        ),
        Assignment(
            "sclerostin_plasma",
            "pmol/L",
            "plasma sclerostin",
            f"bone.sclerostin.baseline_plasma * ({_MEAN_EXPRESSION}) / {len(SITES)}",
        ),
        Assignment(
            "bone_osteocalcin_target",
            "ng/mL",
            "ucOC level the plasma tends to",
            f"bone.osteocalcin.baseline_plasma * ({_MEAN_OSTEOBLASTS})"
            f" / ({len(SITES)} * bone_osteoblasts_reference)"
            f" * (1 + bone.osteocalcin.il6_max_effect * {_IL6_SIGNAL}"
            f" / ({_IL6_SIGNAL} + bone.osteocalcin.il6_half_effect))",
        ),
    ),
    citations=(
        "spatz2012",
        "martinez_reina2019",
        "sowers2010",
        "hofbauer1999",
        "levinger2014",
        "chowdhury2020",
    ),
)
