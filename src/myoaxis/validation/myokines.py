"""Myokine validation: IL-6 production, rise and decay; BDNF's brain source and acute effect size.

Each case drives the slow layer directly, exactly as the protocol steps do: a bout holds the
ports (``active_mass_activation``, ``exercise_intensity``, ``lactate_arterial``) for its
duration, rest leaves them at their defaults. Whole-body bouts use the cycling step's port,
the energetics cycling muscle mass times the fraction of VO2max. The cases run the full slow
layer, so glycogen and insulin respond to the bouts.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.slow import SlowLayer
from myoaxis.validation.registry import ValidationCase, register

HOUR = 3600.0
STEENSBERG_MASS = 2.5  # kg of active knee-extensor muscle (Steensberg 2000)
PERIOD = 60.0  # s, sampling of the measures


@cache
def _body() -> Body:
    return Body([subject_parameters("healthy_adult", "male", 30)], np.array([75.0]))


def simulate(segments: list[tuple[float, dict[str, float]]]) -> tuple[np.ndarray, dict]:
    """Run ``(duration_s, ports)`` segments from rest; times (s) and every variable ``(T,)``."""
    body = _body()
    layer = SlowLayer(body, PERIOD)
    for duration, ports in segments:
        layer.advance(duration, {k: np.array([v]) for k, v in ports.items()})
    times, values = layer.series()
    names = [v.name for v in (*layer.model.states, *layer.model.assignments)]
    return times, {name: values[k, 0] for k, name in enumerate(names)}


def cycling(fraction: float, lactate: float = 1.0) -> dict[str, float]:
    """The ports of whole-body exercise at ``fraction`` of VO2max (cycling muscle mass)."""
    mass = float(_body().energetics.cycling_mass[0])
    return {
        "active_mass_activation": mass * fraction,
        "exercise_intensity": fraction,
        "lactate_arterial": lactate,
    }


def at(times: np.ndarray, series: np.ndarray, t: float) -> float:
    return float(series[int(np.argmin(np.abs(times - t)))])


@cache
def steensberg() -> tuple[np.ndarray, dict]:
    """5 h of one-legged knee extension at 40 % Wmax: 2.5 kg at the reference activation."""
    a_ref = float(_body().values("il6.reference_activation", "dimensionless")[0])
    ports = {"active_mass_activation": STEENSBERG_MASS * a_ref, "exercise_intensity": 0.25}
    return simulate([(5 * HOUR, ports)])


def steensberg_production_per_kg() -> float:
    """Mean IL-6 release over hours 3–5, ng/min per kg of active muscle."""
    t, v = steensberg()
    keep = (t >= 3 * HOUR) & (t <= 5 * HOUR)
    return float(np.mean(v["il6_production"][keep]) * 60.0 / STEENSBERG_MASS)


def steensberg_fold_rise() -> float:
    """Arterial IL-6 at 5 h over its resting value."""
    t, v = steensberg()
    return at(t, v["il6_plasma"], 5 * HOUR) / v["il6_plasma"][0]


def nieman_cycling_il6() -> float:
    """Plasma IL-6 (pg/mL) after 2.5 h of cycling at 75 % VO2max."""
    _, v = simulate([(2.5 * HOUR, cycling(0.75))])
    return float(v["il6_plasma"][-1])


@cache
def gray() -> tuple[np.ndarray, dict]:
    """1 h of cycling at 90 % of the lactate threshold (60 % VO2max), then 1.5 h of rest."""
    return simulate([(HOUR, cycling(0.60)), (1.5 * HOUR, {})])


def gray_fold_rise() -> float:
    t, v = gray()
    return at(t, v["il6_plasma"], HOUR) / v["il6_plasma"][0]


def gray_residual_rise() -> float:
    """Share of the end-of-exercise IL-6 rise left 1.5 h after the bout."""
    t, v = gray()
    il6, base = v["il6_plasma"], v["il6_plasma"][0]
    return (at(t, il6, 2.5 * HOUR) - base) / (at(t, il6, HOUR) - base)


@cache
def rowing() -> tuple[np.ndarray, dict]:
    """Rasmussen 2009: 4 h of rowing, taken as 65 % VO2max with arterial lactate 2 mmol/L."""
    return simulate([(4 * HOUR, cycling(0.65, lactate=2.0))])


def rasmussen_brain_share() -> float:
    """Brain BDNF release over plasma BDNF turnover (elimination x concentration) at 4 h."""
    _, v = rowing()
    turnover = v["bdnf_elimination"][-1] * v["bdnf_plasma"][-1]
    return float(v["bdnf_brain_output"][-1] / turnover)


def rasmussen_brain_output_ratio() -> float:
    """Brain BDNF release after 4 h of exercise over its resting value."""
    _, v = rowing()
    return float(v["bdnf_brain_output"][-1] / v["bdnf_brain_output"][0])


def bdnf_effect_size(fraction: float = 0.70, minutes: float = 30.0, lactate: float = 3.0) -> float:
    """Rise of plasma BDNF at the end of a bout in between-subject SDs of resting BDNF."""
    _, v = simulate([(minutes * 60.0, cycling(fraction, lactate))])
    cv = float(_body().values("bdnf.between_subject_cv", "dimensionless")[0])
    base = v["bdnf_plasma"][0]
    return float((v["bdnf_plasma"][-1] - base) / (cv * base))


register(
    ValidationCase(
        "il6_steensberg_production",
        "Muscle IL-6 release per kg of active muscle over hours 3-5 of 5 h of one-legged knee "
        "extension at 40 % Wmax (2.5 kg). The band is the published range over subjects; the "
        "production scale was fitted to this and to whole-body data together",
        "steensberg2000",
        "ng/min/kg",
        (3.96, 9.69),
        steensberg_production_per_kg,
        "median 6.8 ng/min/kg (range 3.96-9.69) over the last 2 h",
    )
)
register(
    ValidationCase(
        "il6_steensberg_fold_rise",
        "Arterial IL-6 after 5 h of one-legged knee extension over rest. Band: the fold rises "
        "that the subjects' production range (3.96-9.69 ng/min/kg around 6.8) implies at the "
        "published x19",
        "steensberg2000",
        "x rest",
        (11.5, 27.0),
        steensberg_fold_rise,
        "arterial IL-6 x19 at 5 h",
    )
)
register(
    ValidationCase(
        "il6_cycling_2h30",
        "Plasma IL-6 after 2.5 h of cycling at 75 % VO2max, glycogen held full (carbohydrate "
        "available). Band: from the carbohydrate-fed cycling mean minus 2 SE (10.7 +/- 1.8) to "
        "the highest group mean of the study (placebo running 51.6 pg/mL)",
        "nieman1998",
        "pg/mL",
        (7.1, 51.6),
        nieman_cycling_il6,
        "10.7 pg/mL after carbohydrate-fed cycling; 51.6 after placebo running",
    )
)
register(
    ValidationCase(
        "il6_gray2009_rise",
        "Plasma IL-6 at the end of 1 h of cycling at 90 % of the lactate threshold (taken as "
        "60 % VO2max) over rest; band +/-50 % around the reported 5-fold rise (n = 9)",
        "gray2009",
        "x rest",
        (2.5, 7.5),
        gray_fold_rise,
        "5-fold increase immediately after exercise",
    )
)
register(
    ValidationCase(
        "il6_post_exercise_decay",
        "Share of the end-of-exercise IL-6 rise left 1.5 h after Gray's 1-h bout. The study "
        "found IL-6 back at baseline; with a 5-fold rise, a quarter of the rise left would "
        "already be a 2-fold, clearly raised value",
        "gray2009",
        "",
        (0.0, 0.25),
        gray_residual_rise,
        "IL-6 returned to baseline 1.5 h after exercise",
    )
)
register(
    ValidationCase(
        "bdnf_brain_share_rasmussen2009",
        "Brain BDNF release as a share of plasma BDNF turnover at the end of 4 h of exercise "
        "(rowing taken as 65 % VO2max, lactate 2 mmol/L; the resting share is a parameter set "
        "from this study, the case checks it holds while plasma BDNF is rising)",
        "rasmussen2009",
        "",
        (0.70, 0.80),
        rasmussen_brain_share,
        "the brain contributed 70-80 % of circulating BDNF at rest and during exercise",
    )
)
register(
    ValidationCase(
        "bdnf_brain_output_rasmussen2009",
        "Brain BDNF release after 4 h of exercise (65 % VO2max, lactate 2 mmol/L) over rest",
        "rasmussen2009",
        "x rest",
        (2.0, 3.0),
        rasmussen_brain_output_ratio,
        "brain BDNF release rose two- to threefold during 4 h of rowing",
    )
)
register(
    ValidationCase(
        "bdnf_acute_effect_size",
        "Rise of plasma BDNF after 30 min at 70 % VO2max (lactate 3 mmol/L) in between-subject "
        "SDs (bdnf.between_subject_cv, an assumed plasma CV of 1). Band: from below Szuhany's "
        "g 0.46 to the upper end of Dinoff's 95 % CI",
        "dinoff2017",
        "SD",
        (0.40, 0.72),
        bdnf_effect_size,
        "acute SMD 0.59 (95 % CI 0.46-0.72), Dinoff 2017; Hedges' g 0.46, Szuhany 2015",
    )
)
