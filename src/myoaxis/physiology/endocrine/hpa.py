r"""The hypothalamic-pituitary-adrenal axis: CRH → ACTH → cortisol with glucocorticoid feedback.

Three hormone states per subject, in the reduced form of Karin et al. 2020 (their model without
gland masses): hypothalamic CRH release :math:`C` (dimensionless, 1 at the daily mean), plasma
ACTH :math:`A` (pg/mL) and plasma cortisol :math:`F` (nmol/L):

.. math::
    \dot C = \gamma_C\,\big[(D_{circ}\,S\,F_m/F + E_{ex} + E_{IL6})\,G(F) - C\big], \qquad
    \dot A = \gamma_A\,\big[A_m\,C\,G(F) - A\big], \qquad
    \dot F = \gamma_F\,\big[F_m\,A/A_m - F\big]

with :math:`\gamma = \ln 2 / t_{1/2}`, the high-affinity (MR) feedback :math:`F_m/F` on the
circadian tone and the low-affinity glucocorticoid-receptor feedback
:math:`G(F) = (1 + (F_m/K)^3)/(1 + (F/K)^3)` on both CRH and ACTH release (Hill coefficient 3,
:math:`K` = 4 × the basal level; Karin 2020). Exercise and IL-6 are stress drives; they act under
the GR feedback only, so a bout raises cortisol by about as much in the morning as in the
evening (Brandenberger et al. 1982; Thuma et al. 1995).

**Circadian drive, exact limit cycle.** The awake resting cortisol profile is the two-harmonic
curve :math:`F^*(t) = F_m[1 + a_1\cos\omega(t_c-\phi_1) + a_2\cos 2\omega(t_c-\phi_2)]` of
clock time :math:`t_c` (``time`` + ``circadian.clock_at_start``). The circadian drive
:math:`D_{circ}(t)` is the input that makes :math:`F^*` an exact solution of the loop: with
:math:`u = (F^{*\prime}/\gamma_F + F^*)/F_m` and :math:`v = u'/\gamma_A + u`,

.. math::
    A^* = A_m u, \quad C^* = v\,H(F^*)/H(F_m), \quad
    D_{circ} = (C^{*\prime}/\gamma_C + C^*)\,\frac{F^*}{F_m}\,\frac{H(F^*)}{H(F_m)},
    \quad H(F) = 1 + (F/K)^3,

all in closed form from the derivatives of :math:`F^*`. The states therefore start exactly on
the daily limit cycle at any clock time, and a resting, awake subject repeats it day after day
(the loop is stable, so perturbations decay back onto it). The harmonics are fitted so that a
subject sleeping 23:00–07:00 reproduces the 24-h serum profile of Debono et al. 2009.

**Sleep.** A sleep trace :math:`z` follows the ``asleep`` port with a 3-h time constant while
asleep and ~11 min while awake. Sleep onset suppresses the circadian drive, the suppression
fading as :math:`z` builds up (:math:`S = \max(0, 1 - s_{inh}\,\mathrm{asleep}\,(1 - z))`;
inhibition in the first hours of sleep, Weitzman et al. 1983); waking releases a transient boost
:math:`s_{car}\,z\,(1 - \mathrm{asleep})`, the cortisol awakening response (Wilhelm et al. 2007).

**Exercise and IL-6.** :math:`E_{ex} = s_{ex}\max(0, I - I_{th})^q` with :math:`I` the
``exercise_intensity`` port (fraction of VO2max), threshold 50 % (no rise after 30 min at 40 %,
clear rises at 60 and 80 %, Hill et al. 2008); :math:`E_{IL6} = s_{IL6}\,x/(x + K_{IL6})`,
:math:`x = \max(0, IL6 - IL6_{th})`, plasma IL-6 read by name (``il6_plasma``, pg/mL;
rhIL-6 infusion raises cortisol, Steensberg et al. 2003; saturating, Mastorakos et al. 1994).

Every production term is non-negative and every clearance first order, so the states stay
positive.
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.physiology.ports import ASLEEP, EXERCISE_INTENSITY

TWO_PI = "6.283185307179586"
LN2 = "0.6931471805599453"
CLOCK_NOW = "(time + circadian.clock_at_start)"
CLOCK_AT_START = "circadian.clock_at_start"

_MESOR = "hpa.cortisol_mesor"
_K = "hpa.gr_feedback_threshold"
_RATE = {
    "crh": f"({LN2} / hpa.crh_half_life)",
    "acth": f"({LN2} / hpa.acth_half_life)",
    "cortisol": f"({LN2} / hpa.cortisol_half_life)",
}


def _profile(clock: str) -> tuple[str, str, str, str]:
    """Texts of the awake circadian cortisol profile F* at ``clock`` (s) and its first three
    time derivatives (nmol/L, nmol/L/s, nmol/L/s², nmol/L/s³)."""
    w = f"({TWO_PI} / circadian.period)"
    ph1 = f"({w} * ({clock} - hpa.circadian_acrophase_1))"
    ph2 = f"(2 * {w} * ({clock} - hpa.circadian_acrophase_2))"
    a1, a2 = "hpa.circadian_amplitude_1", "hpa.circadian_amplitude_2"
    value = f"({_MESOR} * (1 + {a1} * cos({ph1}) + {a2} * cos({ph2})))"
    d1 = f"({_MESOR} * {w} * (-{a1} * sin({ph1}) - 2 * {a2} * sin({ph2})))"
    d2 = f"({_MESOR} * {w} ** 2 * (-{a1} * cos({ph1}) - 4 * {a2} * cos({ph2})))"
    d3 = f"({_MESOR} * {w} ** 3 * ({a1} * sin({ph1}) + 8 * {a2} * sin({ph2})))"
    return value, d1, d2, d3


def _hill(cortisol: str) -> str:
    """H(F) = 1 + (F/K)^3, the inverse of the (unnormalised) GR feedback."""
    return f"(1 + ({cortisol} / {_K}) ** 3)"


def _limit_cycle(clock: str) -> dict[str, str]:
    """Texts of F*, A*, C* and the circadian drive D_circ that makes them an exact solution."""
    f, f1, f2, f3 = _profile(clock)
    g_c, g_a, g_f = _RATE["crh"], _RATE["acth"], _RATE["cortisol"]
    u = f"(({f1} / {g_f} + {f}) / {_MESOR})"
    u1 = f"(({f2} / {g_f} + {f1}) / {_MESOR})"
    u2 = f"(({f3} / {g_f} + {f2}) / {_MESOR})"
    v = f"({u1} / {g_a} + {u})"
    v1 = f"({u2} / {g_a} + {u1})"
    h, h_mesor = _hill(f), _hill(_MESOR)
    crh = f"({v} * {h} / {h_mesor})"
    crh_rate = f"(({v1} * {h} + {v} * 3 * ({f} / {_K}) ** 3 * {f1} / {f}) / {h_mesor})"
    drive = f"(({crh_rate} / {g_c} + {crh}) * {f} / {_MESOR} * {h} / {h_mesor})"
    return {"cortisol": f, "acth": f"(hpa.acth_mesor * {u})", "crh": crh, "drive": drive}


_NOW = _limit_cycle(CLOCK_NOW)
_START = _limit_cycle(CLOCK_AT_START)
_GR = f"({_hill(_MESOR)} / {_hill('cortisol_plasma')})"

HPA = Component(
    name="hpa",
    states=(
        State(
            "crh_release",
            "dimensionless",
            "hypothalamic CRH release (1 = its daily mean at rest)",
            rate=f"{_RATE['crh']} * ((hpa_circadian_drive * hpa_sleep_modulation "
            f"* {_MESOR} / cortisol_plasma + hpa_exercise_drive + hpa_il6_drive) * {_GR} "
            "- crh_release)",
            initial=_START["crh"],
            scale=1.0,
        ),
        State(
            "acth_plasma",
            "pg/mL",
            "plasma adrenocorticotropic hormone (ACTH)",
            rate=f"{_RATE['acth']} * (hpa.acth_mesor * crh_release * {_GR} - acth_plasma)",
            initial=_START["acth"],
            scale=10.0,
        ),
        State(
            "cortisol_plasma",
            "nmol/L",
            "plasma (total) cortisol",
            rate=f"{_RATE['cortisol']} * ({_MESOR} * acth_plasma / hpa.acth_mesor "
            "- cortisol_plasma)",
            initial=_START["cortisol"],
            scale=100.0,
        ),
        State(
            "hpa_sleep_trace",
            "dimensionless",
            "low-pass trace of sleep (0 long awake, 1 long asleep)",
            rate="(asleep - hpa_sleep_trace) / where(asleep > hpa_sleep_trace, "
            "hpa.sleep_time_constant, hpa.awakening_time_constant)",
            initial="0",
            scale=1.0,
        ),
    ),
    parameters={
        "circadian.clock_at_start": "s",
        "circadian.period": "s",
        "hpa.cortisol_mesor": "nmol/L",
        "hpa.circadian_amplitude_1": "dimensionless",
        "hpa.circadian_acrophase_1": "s",
        "hpa.circadian_amplitude_2": "dimensionless",
        "hpa.circadian_acrophase_2": "s",
        "hpa.acth_mesor": "pg/mL",
        "hpa.crh_half_life": "s",
        "hpa.acth_half_life": "s",
        "hpa.cortisol_half_life": "s",
        "hpa.gr_feedback_threshold": "nmol/L",
        "hpa.sleep_inhibition": "dimensionless",
        "hpa.sleep_time_constant": "s",
        "hpa.awakening_gain": "dimensionless",
        "hpa.awakening_time_constant": "s",
        "hpa.exercise_threshold": "dimensionless",
        "hpa.exercise_gain": "dimensionless",
        "hpa.exercise_exponent": "dimensionless",
        "hpa.il6_threshold": "pg/mL",
        "hpa.il6_half_saturation": "pg/mL",
        "hpa.il6_gain": "dimensionless",
    },
    inputs=(EXERCISE_INTENSITY, ASLEEP),
    assignments=(
        Assignment(
            "hpa_circadian_cortisol",
            "nmol/L",
            "awake resting cortisol at this clock time (the limit cycle the drive reproduces)",
            _NOW["cortisol"],
        ),
        Assignment(
            "hpa_circadian_drive",
            "dimensionless",
            "circadian (suprachiasmatic) drive of CRH release",
            _NOW["drive"],
        ),
        Assignment(
            "hpa_sleep_modulation",
            "dimensionless",
            "factor on the circadian drive: early-sleep inhibition and awakening response",
            "max(0, 1 - hpa.sleep_inhibition * asleep * (1 - hpa_sleep_trace)) "
            "+ hpa.awakening_gain * hpa_sleep_trace * (1 - asleep)",
        ),
        Assignment(
            "hpa_exercise_drive",
            "dimensionless",
            "CRH drive of exercise above the intensity threshold",
            "hpa.exercise_gain * max(0, exercise_intensity - hpa.exercise_threshold) "
            "** hpa.exercise_exponent",
        ),
        Assignment(
            "hpa_il6_drive",
            "dimensionless",
            "CRH drive of circulating IL-6 above its resting range",
            "hpa.il6_gain * max(0, (il6_plasma - hpa.il6_threshold) / hpa.il6_half_saturation) "
            "/ (max(0, (il6_plasma - hpa.il6_threshold) / hpa.il6_half_saturation) + 1)",
        ),
    ),
    citations=(
        "karin2020",
        "debono2009",
        "weitzman1983",
        "wilhelm2007",
        "hill2008",
        "steensberg2003",
        "brandenberger1982",
        "thuma1995",
    ),
)
