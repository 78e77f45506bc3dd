"""Validation of resting heart-rate variability: age norms, recovery after one bout, the rise
with a training block and the absence of a fall with overreaching.

The cases drive the autonomic component alone through the slow layer with the ports the
protocol's steps write (``exercise_intensity`` during a ride). It reads ``inflammation`` from
the inflammation component when that runs; alone it is held at its healthy default, 0, which is
also what the healthy preset's inflammation settles at with these loads. Subjects of one
comparison share a batch, and the model RMSSD (without day-to-day noise) is compared with group
means.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.physiology.brain import autonomic
from myoaxis.slow import SlowLayer
from myoaxis.validation.registry import ValidationCase, register

MINUTE = 60.0
HOUR = 3600.0
DAY = 24 * HOUR
WEEK = 7 * DAY
NUNAN_MEAN_MS = 42.0  # Nunan 2010: short-term RMSSD of healthy adults, mean
NUNAN_SD_MS = 15.0  # ... and between-subject SD
TRAINING_DAYS = (0, 2, 4)  # Monday, Wednesday, Friday


def layer(ages, period: float = DAY) -> SlowLayer:
    """Healthy men of ``ages`` (years), 75 kg, with the autonomic component alone."""
    ages = np.atleast_1d(np.asarray(ages, dtype=float))
    params = [subject_parameters("healthy_adult", "male", float(a)) for a in ages]
    return SlowLayer(
        Body(params, np.full(ages.size, 75.0), ages), period, components=autonomic.COMPONENTS
    )


def series(slow: SlowLayer, name: str) -> tuple[np.ndarray, np.ndarray]:
    times, values = slow.series()
    names = [v.name for v in (*slow.model.states, *slow.model.assignments)]
    return times, values[names.index(name)]


def smallest_worthwhile_change(slow: SlowLayer) -> np.ndarray:
    """Half a day-to-day SD of LnRMSSD at the current resting value, per subject (the
    monitoring convention of the Plews/Buchheit group)."""
    cv = slow.body.values(autonomic.DAY_CV, "dimensionless")
    return 0.5 * cv * slow.value(autonomic.LN_RMSSD)


def resting_rmssd(age: float) -> float:
    """Model resting RMSSD (ms) of an untrained healthy adult of ``age`` (years)."""
    return float(layer([age]).value(autonomic.RMSSD)[0])


def rmssd_age_ratio(older: float = 60.0, younger: float = 40.0) -> float:
    return resting_rmssd(older) / resting_rmssd(younger)


# Stanley 2013's intensity domains: below VT1, between the thresholds, above VT2
BOUTS = {"low": (0.5, 60.0), "threshold": (0.75, 40.0), "high": (0.9, 30.0)}  # (I, min)


@cache
def recovery_hours() -> dict[str, float]:
    """Hours from the end of each bout of :data:`BOUTS` until LnRMSSD is back within the
    smallest worthwhile change of a resting control (and stays there), sampled every 10 min
    over five days."""
    names = list(BOUTS)
    slow = layer(np.full(len(names) + 1, 30.0), period=10 * MINUTE)  # last one: control
    swc = smallest_worthwhile_change(slow)[-1]
    intensity = np.array([BOUTS[k][0] for k in names])
    ends = np.array([BOUTS[k][1] * MINUTE for k in names])
    edges = np.sort(ends)
    for start, end in zip([0.0, *edges[:-1]], edges, strict=True):  # bouts end one by one
        riding = np.append(np.where(ends >= end, intensity, 0.0), 0.0)
        slow.advance(end - start, {"exercise_intensity": riding})
    slow.advance(5 * DAY)
    times, ln = series(slow, autonomic.LN_RMSSD)
    out = {}
    for k, name in enumerate(names):
        suppressed = (times >= ends[k]) & (ln[-1] - ln[k] > swc)
        last = times[suppressed].max() if suppressed.any() else ends[k]
        out[name] = float((last - ends[k]) / HOUR)
    return out


@cache
def training_block(weeks: int = 10, intensity: float = 0.7, minutes: float = 40.0) -> float:
    """Rise of resting RMSSD (ms) over ``weeks`` of 3 sessions a week at ``intensity`` for
    ``minutes`` (08:00, Monday, Wednesday, Friday), measured at 08:00 on the Monday after the
    block, 71 h after the last session."""
    slow = layer([30.0])
    before = slow.value(autonomic.RMSSD)[0]
    ride = {"exercise_intensity": np.array([intensity])}
    for _week in range(weeks):
        for day in range(7):
            if day in TRAINING_DAYS:
                slow.advance(8 * HOUR)
                slow.advance(minutes * MINUTE, ride)
                slow.advance(DAY - 8 * HOUR - minutes * MINUTE)
            else:
                slow.advance(DAY)
    slow.advance(8 * HOUR)
    return float(slow.value(autonomic.RMSSD)[0] - before)


USUAL_WEEK = (85.0, 2)  # min a day at 65 % VO2max; interval sessions a week
OVERLOAD_WEEK = (135.0, 3)
INTERVALS = ((4.0, 0.92), (3.0, 0.5))  # 5 x (4 min at 92 %, 3 min at 50 %)


def _training_day(slow: SlowLayer, minutes: float, intervals: bool) -> float:
    """Measure LnRMSSD at 07:00, ride at 08:00, sleep to midnight; returns the morning value."""
    slow.advance(7 * HOUR)
    morning = float(slow.value(autonomic.LN_RMSSD)[0])
    slow.advance(HOUR)
    slow.advance(minutes * MINUTE, {"exercise_intensity": np.array([0.65])})
    for _ in range(5 if intervals else 0):
        for duration, intensity in INTERVALS:
            slow.advance(duration * MINUTE, {"exercise_intensity": np.array([intensity])})
    slow.advance(DAY - slow.t % DAY)
    return morning


@cache
def overreaching_change() -> float:
    """Mean morning LnRMSSD over two overload weeks (+60 % volume, a third interval session)
    minus its mean over the preceding usual week, in an endurance-trained subject (16 weeks
    of usual training first)."""
    slow = layer([30.0])
    mornings = []
    for week in range(19):
        minutes, hard = USUAL_WEEK if week < 17 else OVERLOAD_WEEK
        days = (1, 4) if hard == 2 else (1, 3, 5)
        mornings += [_training_day(slow, minutes, day in days) for day in range(7)]
    usual, overload = np.array(mornings[16 * 7 : 17 * 7]), np.array(mornings[17 * 7 :])
    return float(overload.mean() - usual.mean())


def training_smd() -> float:
    """The block's rise as a standardised mean difference (between-subject SD of Nunan
    2010)."""
    return training_block() / NUNAN_SD_MS


register(
    ValidationCase(
        "autonomic_rmssd_young_adult",
        "Resting short-term RMSSD of an untrained healthy 30-year-old. Nunan 2010 (44 studies, "
        "21,438 healthy adults): 42 ± 15 ms (mean ± between-subject SD). Band: the mean ± half "
        "an SD, which covers the model's geometric mean against an arithmetic mean (6 % higher "
        "for a log-normal spread of this size) and the unread mean age of the pooled samples. "
        "The model's age norm is fitted to Sinnreich 1998's 35-65 y data, so this is an "
        "out-of-sample check of its extrapolation",
        "nunan2010",
        "ms",
        (NUNAN_MEAN_MS - 0.5 * NUNAN_SD_MS, NUNAN_MEAN_MS + 0.5 * NUNAN_SD_MS),
        lambda: resting_rmssd(30.0),
        "42 ± 15 ms",
    )
)
register(
    ValidationCase(
        "autonomic_rmssd_age_ratio",
        "Resting RMSSD at 60 y relative to 40 y. Sinnreich 1998 (5-min recordings, n = 294): "
        "mean LnRMSSD 3.48 at 35-44 y and 3.10 at 55-65 y, a ratio of 0.68. Band: ± 2 SE of the "
        "difference (SD of LnRMSSD about 0.5 from the interquartile ranges, n = 91 and 94). A "
        "calibration target of the age slope",
        "sinnreich1998",
        "",
        (0.58, 0.81),
        rmssd_age_ratio,
        "0.68",
    )
)
_STANLEY = {
    "low": ("below the first ventilatory threshold", "within 24 h", (0.0, 24.0)),
    "threshold": ("between the ventilatory thresholds", "24-48 h", (24.0, 48.0)),
    "high": ("above the second ventilatory threshold", "48 h or more", (48.0, 96.0)),
}
for _name, (_domain, _target, _band) in _STANLEY.items():
    _i, _min = BOUTS[_name]
    register(
        ValidationCase(
            f"autonomic_recovery_{_name}_intensity",
            f"Hours after {_min:.0f} min at {100 * _i:.0f} % VO2max ({_domain}) until resting "
            "LnRMSSD is back within the smallest worthwhile change (half a day-to-day SD) of a "
            f"resting control. Stanley 2013's review: cardiac vagal activity recovers {_target} "
            "after exercise in this intensity domain"
            + (
                "; the upper edge, 96 h, is our bound (no published upper limit)"
                if _name == "high"
                else ""
            )
            + ". The slow-withdrawal gain is calibrated on the threshold and high bouts",
            "stanley2013",
            "h",
            _band,
            lambda n=_name: recovery_hours()[n],
            _target,
        )
    )
register(
    ValidationCase(
        "autonomic_training_rmssd_smd",
        "Rise of resting RMSSD after 10 weeks of 3 × 40 min a week at 70 % VO2max (measured 71 "
        "h after the last session), as a standardised mean difference with Nunan 2010's "
        "between-subject SD of 15 ms. Bellenger 2016's meta-analysis: SMD 0.58 in training that "
        "improved performance. Band ± 0.2, our allowance (the confidence interval was not "
        "read). A calibration target of the vagal-fitness gain",
        "bellenger2016",
        "",
        (0.38, 0.78),
        training_smd,
        "SMD 0.58",
    )
)
register(
    ValidationCase(
        "autonomic_overreaching_resting_hrv",
        "Change of the mean morning LnRMSSD over a two-week overload (+60 % volume, a third "
        "interval session a week) from the preceding usual training week, in a subject trained "
        "for 16 weeks (85 min a day at 65 % VO2max, two interval sessions a week). Bellenger "
        "2016's meta-analysis: resting HRV is largely unaffected by overreaching (performance "
        "is not modelled here, so the overload stands in for functional overreaching). Band: "
        "within the smallest worthwhile change, half a day-to-day SD of LnRMSSD (0.5 x 7 % of "
        "a LnRMSSD of 3.6-3.7: ± 0.13)",
        "bellenger2016",
        "",
        (-0.13, 0.13),
        overreaching_change,
        "largely unchanged",
    )
)
