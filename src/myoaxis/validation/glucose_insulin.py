"""Glucose-insulin-glycogen validation: OGTT, exercise, liver and muscle glycogen.

Every case drives :class:`~myoaxis.slow.SlowLayer` directly, as the protocol steps will: a meal
adds grams to ``gut_carbohydrate``; exercise holds ``exercise_intensity`` (fraction of VO2max)
and, where muscle glycogen matters, ``muscle_glycogen_use`` (g/s). The cases run the full slow
layer.

``roy_parker_reference`` integrates Roy & Parker's 2007 equations and table values (as in the
MIT transcription hpeuscher/loopinsight1) so that our replacement of their integrated-intensity
threshold can be compared with their fitted model on the protocol of their insulin data.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy.integrate import solve_ivp

from myoaxis.assess.ogtt import OGTT_GLUCOSE_LOAD, OGTT_TIMES_MIN, summarise_ogtt
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.slow import SlowLayer
from myoaxis.validation.registry import ValidationCase, register

PERIOD = 60.0  # s, sampling grid of the slow layer in these cases
MINUTE = 60.0
HOUR = 3600.0


def _body() -> Body:
    return Body([subject_parameters("healthy_adult", "male", 30.0)], np.array([75.0]))


def _layer() -> SlowLayer:
    return SlowLayer(_body(), PERIOD)


def _value(layer: SlowLayer, name: str) -> np.ndarray:
    """Series ``(T,)`` of subject 0 for a state or assignment, with the sample times."""
    times, values = layer.series()
    names = [v.name for v in (*layer.model.states, *layer.model.assignments)]
    return times, values[names.index(name), 0]


def _at(layer: SlowLayer, name: str, minutes: float) -> float:
    times, v = _value(layer, name)
    return float(np.interp(minutes * MINUTE, times, v))


# -------------------------------------------------------------------------------- OGTT


@cache
def ogtt_curves() -> tuple[np.ndarray, np.ndarray]:
    """Simulated plasma glucose (mg/dL) and insulin (pmol/L) at the OGTT sampling times after
    75 g of glucose at t = 0 in the default healthy adult."""
    layer = _layer()
    layer.add("gut_carbohydrate", np.array([OGTT_GLUCOSE_LOAD]))
    layer.advance(OGTT_TIMES_MIN[-1] * MINUTE)
    glucose = np.array([_at(layer, "glucose_plasma", m) for m in OGTT_TIMES_MIN])
    insulin = np.array([_at(layer, "insulin_plasma", m) for m in OGTT_TIMES_MIN])
    return glucose, insulin


def ogtt_glucose_at(minutes: float) -> float:
    glucose, _ = ogtt_curves()
    return float(glucose[list(OGTT_TIMES_MIN).index(minutes)])


def ogtt_classification_normal() -> float:
    """1 if the simulated healthy adult's OGTT is classified normal (ADA), else 0."""
    glucose, insulin = ogtt_curves()
    return float(summarise_ogtt(glucose, insulin).classification == "normal")


# ------------------------------------------------------------------ Roy & Parker reference

RP = {  # Roy & Parker 2007 table (loopinsight1 RoyParker2007.ts), per-minute, u3 in %
    "a1": 0.00158,
    "a2": 0.056,
    "a3": 0.00195,
    "a4": 0.0485,
    "a5": 0.00125,
    "a6": 0.075,
    "k": 0.0108,
    "vol_g": 117.0,
    "p1": 0.035,
    "p2": 0.05,
    "p3": 2.8e-5,
    "n": 0.142,
    "bw": 70.0,
}
RP_BASAL_INSULIN = 11.5  # uU/mL: the transcription's default (1 U/h basal, p4, n)
RP_BASAL_GLUCOSE = 90.0  # mg/dL, as ours


def roy_parker_reference(u3: float, minutes: float) -> tuple[float, float]:
    """Glucose change (mg/dL) and relative insulin change of Roy & Parker's model after
    ``minutes`` of exercise at ``u3`` % PVO2max above rest (their eqs. 4-15, threshold
    ATH = -1.1521 u3^2 + 87.471 u3 on the integrated intensity)."""
    p, ib, gb = RP, RP_BASAL_INSULIN, RP_BASAL_GLUCOSE
    ath = -1.1521 * u3**2 + 87.471 * u3

    def rhs(t, x):
        ins, g, xa, ie, gprod, gup, ggly, pvo2 = x
        return [
            -p["n"] * (ins - ib) - ie,
            -p["p1"] * (g - gb) - xa * g + p["bw"] / p["vol_g"] * (gprod - ggly - gup),
            -p["p2"] * xa + p["p3"] * (ins - ib),
            p["a5"] * pvo2 - p["a6"] * ie,
            p["a1"] * pvo2 - p["a2"] * gprod,
            p["a3"] * pvo2 - p["a4"] * gup,
            p["k"] if u3 * t >= ath else 0.0,
            0.8 * (u3 - pvo2),
        ]

    sol = solve_ivp(rhs, (0.0, minutes), [ib, gb, 0, 0, 0, 0, 0, 0], max_step=0.25, rtol=1e-8)
    ins, g = sol.y[0, -1], sol.y[1, -1]
    return float(g - gb), float(ins / ib - 1.0)


def _rest_fraction() -> float:
    v = _body().values
    return float(v("energetics.vo2_rest_per_kg", "mL/min/kg")[0]) / float(
        v("energetics.vo2max_per_kg", "mL/min/kg")[0]
    )


@cache
def moderate_exercise(intensity: float = 0.40, minutes: float = 60.0) -> tuple[float, float]:
    """Our glucose change (mg/dL) and relative insulin change after ``minutes`` at
    ``intensity`` (fraction of VO2max), post-absorptive."""
    layer = _layer()
    layer.advance(minutes * MINUTE, {"exercise_intensity": np.array([intensity])})
    g = _at(layer, "glucose_plasma", minutes)
    ins = _at(layer, "insulin_plasma", minutes)
    g0, i0 = _at(layer, "glucose_plasma", 0.0), _at(layer, "insulin_plasma", 0.0)
    return g - g0, ins / i0 - 1.0


def _rp_u3(intensity: float) -> float:
    return 100.0 * (intensity - _rest_fraction())


def glucose_change_vs_roy_parker() -> float:
    """Our 60-min glucose change at 40 % VO2max minus Roy & Parker's (mg/dL)."""
    ours = moderate_exercise()[0]
    theirs = roy_parker_reference(_rp_u3(0.40), 60.0)[0]
    return ours - theirs


def insulin_fall_vs_roy_parker() -> float:
    """Our 60-min relative insulin fall at 40 % VO2max minus Roy & Parker's (percentage
    points; their model run at its own basal insulin, 11.5 uU/mL)."""
    ours = moderate_exercise()[1]
    theirs = roy_parker_reference(_rp_u3(0.40), 60.0)[1]
    return 100.0 * (ours - theirs)


# ------------------------------------------------------------------------ liver glycogen

GONZALEZ_INTENSITY = 0.55  # 50 % of peak power taken as ~55 % VO2max (linear VO2-power)


@cache
def liver_glycogen_after_fasted_ride(carbohydrate_per_hour: float = 0.0) -> float:
    """Liver glycogen relative to its start after 3 h at 50 % peak power (Gonzalez 2015),
    drinking ``carbohydrate_per_hour`` g/h in 15-min portions."""
    layer = _layer()
    for _ in range(12):
        if carbohydrate_per_hour:
            layer.add("gut_carbohydrate", np.array([carbohydrate_per_hour / 4.0]))
        layer.advance(15 * MINUTE, {"exercise_intensity": np.array([GONZALEZ_INTENSITY])})
    return _at(layer, "liver_glycogen_fraction", 180.0) / _at(layer, "liver_glycogen_fraction", 0.0)


# ----------------------------------------------------------------------- muscle glycogen


def resynthesis_rate(
    depleted_fraction: float, feeds: tuple[tuple[float, float], ...], hours: float = 4.0
) -> float:
    """Mean muscle glycogen resynthesis (mmol/kg WET muscle/h) over ``hours`` of rest after a
    90-min ride at 70 % VO2max that leaves whole-body muscle glycogen at
    ``depleted_fraction`` of full; ``feeds`` are (minutes after exercise, grams) of glucose.

    The whole-body store stands for the exercised muscle: all muscle is depleted to the
    biopsy's fraction, so the rate per kg equals the biopsy rate."""
    layer = _layer()
    full = layer.state("muscle_glycogen")[0]
    use = full * (1.0 - depleted_fraction) / (90 * MINUTE)
    layer.advance(
        90 * MINUTE,
        {"exercise_intensity": np.array([0.70]), "muscle_glycogen_use": np.array([use])},
    )
    start, t0 = layer.state("muscle_glycogen")[0], layer.t
    for minute, grams in sorted(feeds):
        layer.advance(t0 + minute * MINUTE - layer.t)
        layer.add("gut_carbohydrate", np.array([grams]))
    layer.advance(t0 + hours * HOUR - layer.t)
    end = layer.state("muscle_glycogen")[0]
    v = layer.body.values
    muscle = float(v("glucose_insulin.muscle_mass_fraction")[0] * v("body.mass", "kg")[0])
    grams_per_mmol = float(v("glucose_insulin.glucosyl_mass", "g/mmol")[0])
    return (end - start) / grams_per_mmol / muscle / hours


def resynthesis_flynn2020() -> float:
    """Flynn 2020: 1.6 g/kg carbohydrate at 0 and 2 h of a 4-h recovery after 90-min cycling
    (whole-body stores taken to 0.3 of full, a typical post-depletion biopsy fraction)."""
    grams = 1.6 * 75.0
    return resynthesis_rate(0.3, ((0.0, grams), (120.0, grams)))


def resynthesis_fasted() -> float:
    """The same recovery without carbohydrate."""
    return resynthesis_rate(0.3, ())


# -------------------------------------------------------------------------------- cases

register(
    ValidationCase(
        "ogtt_glucose_30min_narayan2024",
        "Plasma glucose 30 min after a 75 g OGTT in the healthy adult within 1 SD of the "
        "mean of 2205 normoglycaemic adults (CARRS: 140.7 +/- 28.2 mg/dL)",
        "narayan2024",
        "mg/dL",
        (112.5, 168.9),
        lambda: ogtt_glucose_at(30),
        "140.7 +/- 28.2 mg/dL",
    )
)
register(
    ValidationCase(
        "ogtt_glucose_120min_narayan2024",
        "Plasma glucose 2 h after a 75 g OGTT in the healthy adult within 1 SD of the "
        "normoglycaemic mean (CARRS: 94.7 +/- 20.9 mg/dL); < 140 is normal tolerance (ADA)",
        "narayan2024",
        "mg/dL",
        (73.8, 115.6),
        lambda: ogtt_glucose_at(120),
        "94.7 +/- 20.9 mg/dL",
    )
)
register(
    ValidationCase(
        "ogtt_classified_normal_ada2024",
        "The simulated healthy adult's OGTT (fasting and 2-h glucose) is classified normal "
        "by the ADA thresholds (fasting < 100, 2-h < 140 mg/dL)",
        "ada2024",
        "1 = normal",
        (1.0, 1.0),
        ogtt_classification_normal,
        "normal glucose tolerance",
    )
)
register(
    ValidationCase(
        "exercise_glucose_vs_roy2007",
        "60 min at 40 % VO2max, post-absorptive: our glucose change minus that of Roy & "
        "Parker's fitted model (their equations and table, ATH threshold) on the same "
        "protocol; both predict a fall of a few mg/dL. Band +/- 3 mg/dL",
        "roy2007",
        "mg/dL",
        (-3.0, 3.0),
        glucose_change_vs_roy_parker,
        "difference from Roy & Parker's model within 3 mg/dL",
    )
)
register(
    ValidationCase(
        "exercise_insulin_vs_roy2007",
        "60 min at 40 % VO2max: our relative fall of plasma insulin minus that of Roy & "
        "Parker's model at its basal insulin 11.5 uU/mL (fitted to healthy subjects' insulin "
        "during 60 min at PVO2max 40). Band +/- 20 percentage points (our fall also includes "
        "the beta cell's response to the small glucose fall)",
        "roy2007",
        "percentage points",
        (-20.0, 20.0),
        insulin_fall_vs_roy_parker,
        "difference from Roy & Parker's model within 20 points",
    )
)
register(
    ValidationCase(
        "liver_glycogen_fasted_ride_gonzalez2015",
        "Liver glycogen after 3 h cycling at 50 % peak power (taken as 55 % VO2max) with "
        "water only, relative to its start: Gonzalez 2015 283/454 = 0.62 (SD of the end value "
        "82/454 = 0.18). Band = mean +/- 1 SD",
        "gonzalez2015",
        "fraction of start",
        (0.44, 0.80),
        liver_glycogen_after_fasted_ride,
        "0.62 +/- 0.18",
    )
)
register(
    ValidationCase(
        "liver_glycogen_fed_ride_gonzalez2015",
        "The same ride drinking 102 g/h glucose: liver glycogen does not fall significantly "
        "(Gonzalez 2015: 325 +/- 168 -> 345 +/- 205 mmol/L, ratio 1.06). Band = 1.06 +/- the "
        "end SD relative to the start mean (205/325 = 0.63): a weak check, the data are noisy",
        "gonzalez2015",
        "fraction of start",
        (0.43, 1.69),
        lambda: liver_glycogen_after_fasted_ride(102.0),
        "no decline (ratio ~1.07)",
    )
)
register(
    ValidationCase(
        "muscle_glycogen_resynthesis_flynn2020",
        "Mean muscle glycogen resynthesis over 4 h after 90-min cycling with 1.6 g/kg "
        "carbohydrate at 0 and 2 h: Flynn 2020 7.9-8.2 +/- 2.7 mmol/kg wet/h (men, women). "
        "Band = 8.0 +/- 2.7 (the insulin-driven rate was calibrated on Wallis 2008's 90 g/h "
        "glucose, a different feeding pattern)",
        "flynn2020",
        "mmol/kg wet/h",
        (5.3, 10.7),
        resynthesis_flynn2020,
        "8.0 +/- 2.7 mmol/kg wet/h",
    )
)
