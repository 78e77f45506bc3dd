"""Rhythm validation: Matsuoka CPG frequency, walking cadence norms and finger tapping.

All measures use the shipped parameters of a ``healthy_adult`` man aged 30
(:func:`preset_values`). The tapping-decline case checks that the simulated tap train reproduces
the published within-bout decline that its parameters were taken from (Rodrigues et al. 2009,
Madinabeitia-Mancebo et al. 2020); the other cases compare with data the model was not fitted to.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.conditions import subject_parameters
from myoaxis.physiology.neural import cpg, tapping
from myoaxis.validation.registry import ValidationCase, register

# Further Matsuoka oscillators (tau_r s, tau_a s, a, b) with a = b (the usual setting) and
# tau_r/tau_a from 0.25 to 1, besides the shipped one (a = b = 2, ratio 0.5). The describing-
# function approximation is poorer near the edges of the oscillation region: measured errors are
# -12 % at (0.1, 0.2, 2, 1.2), -32 % at (0.1, 0.2, 2.9, 2) and +16 % at (0.1, 0.1, 5, 8).
OSCILLATORS = (
    (0.25, 0.5, 2.5, 2.5),
    (0.05, 0.2, 2.0, 2.0),
    (0.1, 0.15, 2.0, 2.0),
    (0.1, 0.1, 2.5, 2.5),
)
CADENCE_SPEEDS = (1.2, 1.4)  # m/s
# Hansen et al. 2017: walk-to-run transition stride frequency 70.6 +/- 3.2 strides/min.
TRANSITION_CADENCE = (2 * (70.6 - 3.2), 2 * (70.6 + 3.2))  # steps/min, mean +/- 1 SD


@cache
def preset_values():
    """``values(name, unit) -> (1,)`` of a healthy_adult man aged 30."""
    params = subject_parameters("healthy_adult", "male", 30.0)
    return lambda name, unit: np.array([params.value_in(name, unit)])


def matsuoka_frequency_error() -> float:
    """Largest |simulated / analytic - 1| (%) over the shipped and literature oscillators."""
    values = preset_values()
    default = cpg.MatsuokaParameters.from_values(values)
    columns = np.array(OSCILLATORS, dtype=float).T
    p = cpg.MatsuokaParameters(
        rise_time=np.concatenate([default.rise_time, columns[0]]),
        adaptation_time=np.concatenate([default.adaptation_time, columns[1]]),
        mutual_inhibition=np.concatenate([default.mutual_inhibition, columns[2]]),
        adaptation_gain=np.concatenate([default.adaptation_gain, columns[3]]),
        tonic_input=np.ones(len(OSCILLATORS) + 1),
    )
    simulated = cpg.simulated_frequency(p, cpg.CPGNumerics.from_values(values))
    return float(100.0 * np.max(np.abs(simulated / cpg.analytic_frequency(p) - 1.0)))


def walking_cadence(speed: float) -> float:
    """Cadence (steps/min) of the preset at ``speed`` m/s."""
    return float(cpg.cadence(speed, cpg.GaitParameters.from_values(preset_values()))[0])


def transition_cadence() -> float:
    """Cadence (steps/min) at the model's highest walking speed (the walk-run transition)."""
    gait = cpg.GaitParameters.from_values(preset_values())
    return float(cpg.cadence(gait.max_speed, gait)[0])


def _tapping() -> tapping.TappingParameters:
    return tapping.TappingParameters.from_values(preset_values())


def tapping_test_rate() -> float:
    """Taps per second in the preset's 10-s finger tapping test."""
    duration = float(preset_values()("tapping.test_duration", "s")[0])
    return float(tapping.tapping_test(_tapping(), duration).rate[0])


def tapping_decline_20s() -> float:
    """Final over initial tapping rate (2-s windows) of a 20-s maximal-rate bout."""
    window = float(preset_values()("tapping.rate_window", "s")[0])
    return float(tapping.maximal_bout(20.0, _tapping()).rate_decline(window)[0])


register(
    ValidationCase(
        "matsuoka_frequency_vs_analytic",
        "Simulated frequency of the Matsuoka half-centre oscillator against Matsuoka's 2011 "
        "describing-function approximation, over the shipped oscillator and 4 others with a = b "
        "and rise/adaptation time ratio 0.25-1",
        "matsuoka2011",
        "%",
        (0.0, 5.0),
        matsuoka_frequency_error,
        "approximation, error within 5 %",
    )
)
for _v in CADENCE_SPEEDS:
    register(
        ValidationCase(
            f"walking_cadence_{_v:g}_m_s".replace(".", "_"),
            f"Walking cadence of a healthy adult at {_v:g} m/s inside the laboratory normal "
            "cadence range of both sexes (women 96-138, men 81-135 steps/min)",
            "tudorlocke2012",
            "steps/min",
            (96.0, 135.0),
            lambda v=_v: walking_cadence(v),
            "96-135 steps/min",
        )
    )
register(
    ValidationCase(
        "walk_run_transition_cadence",
        "Cadence of the constant-walk-ratio model at the walk-run transition speed (7.6 km/h) "
        "against the measured transition stride frequency",
        "hansen2017",
        "steps/min",
        TRANSITION_CADENCE,
        transition_cadence,
        "141.2 ± 6.4 steps/min (70.6 ± 3.2 strides/min)",
    )
)
register(
    ValidationCase(
        "finger_tapping_max_rate",
        "Maximal index finger tapping rate of a healthy adult in a 10-s finger tapping test "
        "(50-70 taps per 10 s; range from secondary sources)",
        "ruff1993",
        "Hz",
        (5.0, 7.0),
        tapping_test_rate,
        "5-7 Hz",
    )
)
register(
    ValidationCase(
        "finger_tapping_decline_20s",
        "Rate in the last 2 s of a 20-s maximal-rate tapping bout relative to the first 2 s "
        "(the decline parameters come from this study: a consistency check of the tap train)",
        "rodrigues2009",
        "fraction",
        (0.63, 0.83),
        tapping_decline_20s,
        "73 % of baseline at 20 s (± 10 points)",
    )
)
