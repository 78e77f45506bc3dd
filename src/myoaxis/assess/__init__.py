"""Clinical tests and their records (``myoaxis list tests``)."""

from myoaxis.assess.bmd import TESTS as _BMD_TESTS
from myoaxis.assess.mvc import KG_FORCE, mvc_records, peak_moving_mean
from myoaxis.assess.mvc import TESTS as _MVC_TESTS
from myoaxis.assess.ogtt import TESTS as _OGTT_TESTS
from myoaxis.assess.rns import TESTS as _RNS_TESTS
from myoaxis.assess.tapping import TESTS as _TAPPING_TESTS
from myoaxis.assess.voluntary_activation import TESTS as _VA_TESTS
from myoaxis.bouts import PERTURBATION_MEASURES

TESTS = {
    **_MVC_TESTS,
    "endurance_time": "time to task failure of a hold 'until failure' (s; right-censored flag)",
    "endurance": "Assess endurance: MVC, rest, then a hold at X %MVC until failure (s)",
    "1RM": "one-repetition maximum by ascending single attempts (N at the muscle)",
    "time_to_exhaustion": (
        "Cycle ... until exhaustion: time until working-muscle glycogen is exhausted "
        "(s; right-censored flag)"
    ),
    "resistance_set": "repetitions completed in one set of resistance exercise (reps)",
    "reaction_time": (
        "Assess reaction_time: mean simple visual reaction time over the valid trials (ms), "
        "their SD, anticipations and lapses"
    ),
    **{
        f"perturbation_{name}": f"Perturb elbow with X Nm for D: {text} ({unit})"
        for name, (unit, text) in PERTURBATION_MEASURES.items()
    },
    "cadence": "Walk at V m/s: cadence (steps/min), steps taken and stance fraction",
    **_RNS_TESTS,
    **_VA_TESTS,
    **_TAPPING_TESTS,
    **_OGTT_TESTS,
    **_BMD_TESTS,
}

__all__ = ["KG_FORCE", "TESTS", "mvc_records", "peak_moving_mean"]
