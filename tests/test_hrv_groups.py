"""Resting vagal HRV: between-subject spread and the ME/CFS and fibromyalgia overlays."""

from __future__ import annotations

import math

import numpy as np
import pytest

from myoaxis.body import Body
from myoaxis.conditions import base_parameters, condition, subject_parameters
from myoaxis.physiology.brain import autonomic
from myoaxis.population import default_variability
from myoaxis.slow import SlowLayer
from myoaxis.validation import hrv_groups
from myoaxis.validation.cohorts import cohort, hedges_g
from myoaxis.validation.registry import CASES

NORM = "autonomic.ln_rmssd_at_reference_age"
CONDITIONS = ("me_cfs", "fibromyalgia")


def resting_ln_rmssd(b: Body) -> np.ndarray:
    return SlowLayer(b, 86400.0, components=autonomic.COMPONENTS).value(autonomic.LN_RMSSD)


def test_vagal_tone_factor_spreads_model_values_and_recordings_like_nunan():
    factor = default_variability()["resting_vagal_tone"]
    assert factor.parameters == (NORM,)
    assert factor.distribution == "normal"
    b = cohort(3000, 5, sex="female", age=45.0)
    model = resting_ln_rmssd(b)
    assert model.std(ddof=1) == pytest.approx(factor.spread, rel=0.05)
    assert model.mean() == pytest.approx(resting_ln_rmssd(cohort(1, 5, "female", 45.0))[0], 0.02)
    recorded = hrv_groups.recorded_ln_rmssd((), 5, 3000)
    nunan = math.sqrt(math.log(1 + (15 / 42) ** 2))  # 42 +/- 15 ms, log-normal
    assert recorded.std(ddof=1) == pytest.approx(nunan, abs=0.04)


@pytest.mark.parametrize("name", CONDITIONS)
def test_overlay_lowers_lnrmssd_by_a_constant_at_every_age(name):
    scale = condition(name).changes[NORM].amount
    assert 0.9 < scale < 1
    drop = base_parameters().value(NORM) * (1 - scale)
    for age in (30.0, 50.0, 70.0):
        b = Body(
            [subject_parameters("healthy_adult", "female", age, c) for c in ((), (name,))],
            np.full(2, 65.0),
            age,
        )
        healthy, patient = resting_ln_rmssd(b)
        assert healthy - patient == pytest.approx(drop, rel=1e-9)


def test_comorbid_conditions_multiply_their_scales():
    expected = base_parameters().value(NORM)
    for name in CONDITIONS:
        scales = condition(name).changes
        expected *= scales[NORM].amount if NORM in scales else 1.0
    both = subject_parameters("healthy_adult", "female", 45.0, CONDITIONS)
    assert both.value(NORM) == pytest.approx(expected)


def test_independent_healthy_cohorts_do_not_differ():
    g = hedges_g(
        hrv_groups.recorded_ln_rmssd((), hrv_groups.HEALTHY_SEED),
        hrv_groups.recorded_ln_rmssd((), hrv_groups.HEALTHY_SEED + 10),
    )
    assert abs(g) < 0.1  # about 3 standard errors for 2 x 2000 subjects


def test_fibromyalgia_lowers_vagal_hrv_more_than_me_cfs():
    assert hrv_groups.effect_size("fibromyalgia") < hrv_groups.effect_size("me_cfs") < 0


@pytest.mark.validation
def test_validation_cases_pass():
    names = [n for n in CASES if CASES[n].measure.__module__ == hrv_groups.__name__]
    assert len(names) == 2
    for name in names:
        outcome = CASES[name].run()
        assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"
