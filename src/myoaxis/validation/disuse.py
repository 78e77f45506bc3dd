"""Validation of disuse: bed rest and unloading cost muscle area and strength, VO2max and
insulin sensitivity.

Each case runs the slow layer as the protocol step "Bed rest for N days" does: the port
``weight_bearing`` is held at 0 for the whole stay (a unilateral lower-limb suspension, ULLS, is
taken as full unloading of the suspended leg's muscles). Every comparison is batched with a
control subject who stays at ``weight_bearing`` = 1, so the small ageing drift cancels. Bands
are the published 95 % confidence intervals of the mean, rebuilt from the reported SD or SEM
with Student's t (the values are named in each description).
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy import stats

from myoaxis.assess.ogtt import OGTT_GLUCOSE_LOAD, OGTT_TIMES_MIN
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.equations import Component
from myoaxis.physiology.adaptation import aerobic, muscle
from myoaxis.physiology.endocrine import glucose_insulin
from myoaxis.slow import SlowLayer
from myoaxis.validation.registry import ValidationCase, register

MINUTE = 60.0
DAY = 86400.0
GROUP = "knee_extensors"
INSULIN_COMPONENTS = (*glucose_insulin.COMPONENTS, *glucose_insulin.DISUSE_COMPONENTS)


def body(n: int = 2, age: float = 25.0, sex: str = "male") -> Body:
    return Body([subject_parameters("healthy_adult", sex, age)] * n, np.full(n, 75.0), age)


def layer(components: tuple[Component, ...], subjects: Body, period: float = DAY) -> SlowLayer:
    return SlowLayer(subjects, period, components)


def bed_rest(slow: SlowLayer, days: float, in_bed=(True, False)) -> None:
    """``days`` days with ``weight_bearing`` 0 for the subjects ``in_bed`` (1 for the others)."""
    weight_bearing = np.where(np.asarray(in_bed, bool), 0.0, 1.0)
    slow.advance(days * DAY, {"weight_bearing": weight_bearing})


def confidence_interval(mean: float, spread: float, n: int, sd: bool) -> tuple[float, float]:
    """95 % confidence interval of a mean reported as ``mean +- spread`` (SD if ``sd``, else
    SEM) in ``n`` subjects."""
    sem = spread / np.sqrt(n) if sd else spread
    half = stats.t.ppf(0.975, n - 1) * sem
    return (mean - half, mean + half)


def ratio_interval(before: tuple[float, float], after: tuple[float, float], n: int):
    """95 % interval of the % fall from ``before`` to ``after`` (each mean, SEM), the two SEMs
    combined as if independent: wider than the paired interval, which the abstract lacks."""
    (b, sb), (a, sa) = before, after
    r = a / b
    half = stats.t.ppf(0.975, n - 1) * r * np.hypot(sb / b, sa / a)
    return (100 * (1 - r - half), 100 * (1 - r + half))


# -- muscle: knee-extensor area and strength ----------------------------------------------------

MUSCLE_DAYS = (7, 23, 42, 56)


@cache
def knee_extensor_bed_rest() -> dict[int, dict[str, float]]:
    """Knee-extensor losses (%) of area, isometric strength and strength per area of an
    untrained 25-year-old man after 7, 23, 42 and 56 days of bed rest, against a control."""
    slow = layer((muscle.muscle_adaptation(GROUP),), body())
    names = muscle.state_names(GROUP)
    out, done = {}, 0
    for day in MUSCLE_DAYS:
        bed_rest(slow, day - done)
        done = day
        csa = slow.value(names["csa"])
        strength = slow.value(names["strength"])
        out[day] = {
            "csa": float(100 * (1 - csa[0] / csa[1])),
            "strength": float(100 * (1 - strength[0] / strength[1])),
            "per_area": float(100 * (1 - strength[0] / csa[0] / (strength[1] / csa[1]))),
        }
    return out


register(
    ValidationCase(
        "dirks2016_quadriceps_csa_7d",
        "7 days of strict bed rest, young men: quadriceps CSA loss. Dirks 2016: -3.2 +- 0.9 % "
        "(SEM, n = 10); band = its 95 % CI. Calibration: the atrophy rate and the return time "
        "were fitted to this, Berg 1997, Mulder 2006 and Alkner & Tesch 2004 together",
        "dirks2016",
        "%",
        confidence_interval(3.2, 0.9, 10, sd=False),
        lambda: knee_extensor_bed_rest()[7]["csa"],
        "quadriceps CSA -3.2 % after 7 days of bed rest",
    )
)
register(
    ValidationCase(
        "berg1997_knee_extensor_csa_6wk",
        "6 weeks (42 days) of bed rest: knee-extensor CSA loss. Berg 1997: -14 +- 4 % (SD, "
        "n = 7); band = its 95 % CI. Calibration (see dirks2016_quadriceps_csa_7d)",
        "berg1997",
        "%",
        confidence_interval(14.0, 4.0, 7, sd=True),
        lambda: knee_extensor_bed_rest()[42]["csa"],
        "knee-extensor CSA -14 % after 6 weeks of bed rest",
    )
)
register(
    ValidationCase(
        "mulder2006_quadriceps_csa_8wk",
        "8 weeks (56 days) of horizontal bed rest without exercise: quadriceps CSA loss. Mulder "
        "2006: -14.1 +- 5.2 % (taken as SD, n = 9); band = its 95 % CI. Calibration (see "
        "dirks2016_quadriceps_csa_7d)",
        "mulder2006",
        "%",
        confidence_interval(14.1, 5.2, 9, sd=True),
        lambda: knee_extensor_bed_rest()[56]["csa"],
        "quadriceps CSA -14.1 % after 8 weeks of bed rest",
    )
)
register(
    ValidationCase(
        "berg1997_knee_extensor_torque_per_area_6wk",
        "6 weeks of bed rest: loss of knee-extensor isometric strength per unit CSA. Berg 1997: "
        "torque per CSA -13 +- 9 % (SD, n = 7); band = its 95 % CI. Check, not independent: the "
        "force deficit was fitted to Marusic 2021's pooled strength-to-atrophy ratios, whose "
        "pool includes bed-rest studies of this kind",
        "berg1997",
        "%",
        confidence_interval(13.0, 9.0, 7, sd=True),
        lambda: knee_extensor_bed_rest()[42]["per_area"],
        "torque per knee-extensor CSA -13 % after 6 weeks",
    )
)
register(
    ValidationCase(
        "deboer2007_ulls_csa_23d",
        "23 days of unilateral lower-limb suspension, taken as full unloading of the suspended "
        "leg: knee-extensor CSA loss. de Boer 2007: -10.0 +- 2.0 % (taken as SD, the narrower "
        "reading, n = 9); band = its 95 % CI. Prediction (fitted to bed rest only)",
        "deboer2007",
        "%",
        confidence_interval(10.0, 2.0, 9, sd=True),
        lambda: knee_extensor_bed_rest()[23]["csa"],
        "knee-extensor CSA -10.0 % after 23 days of ULLS",
    )
)
register(
    ValidationCase(
        "deboer2007_ulls_torque_23d",
        "Same: knee-extensor isometric strength loss. de Boer 2007: torque -21.0 +- 7.1 % "
        "(taken as SD, n = 9; voluntary activation unchanged); band = its 95 % CI. Prediction",
        "deboer2007",
        "%",
        confidence_interval(21.0, 7.1, 9, sd=True),
        lambda: knee_extensor_bed_rest()[23]["strength"],
        "knee-extensor torque -21.0 % after 23 days of ULLS",
    )
)


# -- VO2max -----------------------------------------------------------------------------------

VO2MAX_DAYS = (7, 30)


@cache
def vo2max_bed_rest() -> dict[int, float]:
    """VO2max loss (%) of an untrained 25-year-old man after 7 and 30 days of bed rest,
    against a control."""
    slow = layer(aerobic.COMPONENTS, body())
    out, done = {}, 0
    for day in VO2MAX_DAYS:
        bed_rest(slow, day - done)
        done = day
        factor = slow.value(aerobic.FACTOR)
        out[day] = float(100 * (1 - factor[0] / factor[1]))
    return out


register(
    ValidationCase(
        "riedlarsen2017_vo2max_loss_per_day",
        "30 days of strict bed rest: mean VO2max loss per day. Ried-Larsen 2017 (80 studies, "
        "1-90 days): linear decline, -0.3 %/day in L/min and -0.43 %/day in mL/kg/min, not "
        "different from each other; band = those two estimates (no CI in the abstract). "
        "Calibration of the loss rate",
        "riedlarsen2017",
        "%/day",
        (0.30, 0.43),
        lambda: vo2max_bed_rest()[30] / 30,
        "VO2max -0.3 to -0.43 % per day of bed rest",
    )
)
register(
    ValidationCase(
        "dirks2016_vo2peak_7d",
        "7 days of strict bed rest, young men: VO2peak loss. Dirks 2016: -6.4 +- 2.3 % (SEM, "
        "n = 10); band = its 95 % CI. Prediction (the rate was fitted to the meta-analysis); "
        "the model sits in the lower part of the interval, as expected for a linear mean "
        "against a study with a fast early loss",
        "dirks2016",
        "%",
        confidence_interval(6.4, 2.3, 10, sd=False),
        lambda: vo2max_bed_rest()[7],
        "VO2peak -6.4 % after 7 days of bed rest",
    )
)


# -- insulin sensitivity ----------------------------------------------------------------------

INSULIN_DAYS = (3, 7, 56)


@cache
def insulin_sensitivity_bed_rest() -> dict[int, float]:
    """Loss (%) of the insulin sensitivity S_I of a 25-year-old man after 3, 7 and 56 days of
    bed rest, against a control."""
    slow = layer(INSULIN_COMPONENTS, body())
    out, done = {}, 0
    for day in INSULIN_DAYS:
        bed_rest(slow, day - done)
        done = day
        s = slow.value("insulin_sensitivity")
        out[day] = float(100 * (1 - s[0] / s[1]))
    return out


HEER_DAYS = 21
OGTT_PERIOD = 30 * MINUTE  # the OGTT samples fall on this grid


@cache
def heer_insulin_auc_rise() -> float:
    """Rise (%) of the 2-h OGTT insulin AUC (trapezoids over the 0-120 min samples) after 21
    days of bed rest, subject in bed against a control tested at the same time."""
    slow = layer(INSULIN_COMPONENTS, body(age=28.0), period=OGTT_PERIOD)
    bed_rest(slow, HEER_DAYS)
    start = slow.t
    slow.add("gut_carbohydrate", np.full(2, OGTT_GLUCOSE_LOAD))
    bed_rest(slow, OGTT_TIMES_MIN[-1] * MINUTE / DAY)
    times, values = slow.series()
    names = [v.name for v in (*slow.model.states, *slow.model.assignments)]
    insulin = values[names.index("insulin_plasma")]
    at = np.isin(np.round((times - start) / MINUTE), OGTT_TIMES_MIN) & (times >= start)
    auc = np.trapezoid(insulin[:, at], times[at], axis=1)
    return float(100 * (auc[0] / auc[1] - 1))


register(
    ValidationCase(
        "dirks2016_insulin_sensitivity_7d",
        "7 days of strict bed rest, young men: loss of whole-body insulin sensitivity "
        "(hyperinsulinaemic-euglycaemic clamp; model: S_I). Dirks 2016: -29 +- 5 % (SEM, "
        "n = 10); band = its 95 % CI. Calibration of the maximal loss",
        "dirks2016",
        "%",
        confidence_interval(29.0, 5.0, 10, sd=False),
        lambda: insulin_sensitivity_bed_rest()[7],
        "insulin sensitivity -29 % after 7 days of bed rest",
    )
)
register(
    ValidationCase(
        "shur2022_insulin_sensitivity_3d",
        "3 days of bed rest, young men: loss of insulin-mediated glucose disposal (clamp; model: "
        "S_I). Shur 2022: 11.5 +- 0.7 to 9.3 +- 0.6 mg/kg/min (SEM, n = 10), -19 %; band from "
        "the two SEMs combined as independent (the paired SE is not in the abstract). "
        "Calibration of the onset time",
        "shur2022",
        "%",
        ratio_interval((11.5, 0.7), (9.3, 0.6), 10),
        lambda: insulin_sensitivity_bed_rest()[3],
        "glucose disposal -19 % after 3 days of bed rest",
    )
)
register(
    ValidationCase(
        "shur2022_insulin_sensitivity_56d",
        "56 days of bed rest: loss of insulin-mediated glucose disposal (clamp; model: S_I). "
        "Shur 2022: 10.2 +- 0.4 to 7.9 +- 0.3 mg/kg/min (SEM, n = 20), -23 %, no larger than "
        "after 3 days; band as in the 3-day case. Calibration: the plateau is the maximal loss",
        "shur2022",
        "%",
        ratio_interval((10.2, 0.4), (7.9, 0.3), 20),
        lambda: insulin_sensitivity_bed_rest()[56],
        "glucose disposal -23 % after 56 days, a plateau",
    )
)
register(
    ValidationCase(
        "heer2014_ogtt_insulin_auc_21d",
        "21 days of bed rest, 28-year-old men: rise of the 2-h insulin AUC of a 75-g OGTT. "
        "Heer 2014: +35.9 (10.2) % (n = 7; SEM, since P = 0.02); band = its 95 % CI. "
        "Prediction: the loss of S_I was fitted to clamps, the insulin response comes from the "
        "glucose-insulin model, which sits at the low end (its glucose AUC rises about 5 % "
        "where Heer found +28.8 %)",
        "heer2014",
        "%",
        confidence_interval(35.9, 10.2, 7, sd=False),
        heer_insulin_auc_rise,
        "OGTT insulin AUC +35.9 % after 21 days of bed rest",
    )
)
