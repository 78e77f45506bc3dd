"""Motor-unit endurance times: the ideal controller, and why 80 %MVC now holds."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import make_body

from myoaxis.physiology.neural import motor_pool
from myoaxis.validation import motor_fatigue
from myoaxis.validation.fatigue import JOINT_GROUPS, LOADS


def test_every_group_and_load_within_a_factor_of_two_of_both_references():
    for ratios in (
        motor_fatigue.ratios_to_meta_analysis(),
        motor_fatigue.ratios_to_three_compartment(),
    ):
        assert ratios.shape == (len(JOINT_GROUPS), len(LOADS))
        assert np.all((ratios > 0.5) & (ratios < 2.0))


def test_endurance_time_falls_with_load_and_rises_with_slower_fatigue():
    table = motor_fatigue.endurance_table()
    for times in table.values():
        assert np.all(np.diff(times) < 0)
    # the 3CC fatigue rate F scales the units' fatigue rates: ankle (F smallest) outlasts shoulder
    assert np.all(table["ankle"] > table["shoulder"])


def test_warm_started_bisection_matches_a_fixed_step_reference():
    """The bracketed search and growing step reproduce a plain 0.1 s, full-range bisection."""
    body = make_body(2)
    props = body.muscle("grip").pool
    loads = np.array([0.6, 0.8])
    state, ended, t = motor_pool.FatigueState.rested(props), np.full(2, np.nan), 0.0
    while np.isnan(ended).any():
        strength = motor_pool.steady_force(props, np.ones(2), state)
        ended = np.where(np.isnan(ended) & (strength < loads), t, ended)
        lo, hi = np.zeros(2), np.ones(2)
        for _ in range(30):
            mid = 0.5 * (lo + hi)
            short = motor_pool.steady_force(props, mid, state) < loads
            lo, hi = np.where(short, mid, lo), np.where(short, hi, mid)
        _, state = motor_pool.mean_field_step(props, np.where(np.isnan(ended), hi, 0.0), state, 0.1)
        t += 0.1
    assert motor_fatigue.ideal_endurance(props, loads) == pytest.approx(ended, rel=0.02)


def test_full_rate_adaptation_slows_the_last_unit_by_about_a_seventh():
    """adaptSF is bounded by single-unit data (rates fell ~14 % in a 150-s MVC, Macefield 2000);
    in pools whose maximal rates fuse the units the force cost is small (fusion is flat)."""
    props = make_body().muscle("grip").pool
    adapted = motor_pool.FatigueState(
        np.ones(props.threshold.shape), np.ones(props.threshold.shape)
    )
    fresh = motor_pool.firing_rate(props, np.ones(1))[0, -1]
    slowed = motor_pool.firing_rate(props, np.ones(1), adapted)[0, -1]
    assert 0.10 < 1.0 - slowed / fresh < 0.20
    assert 0.9 < motor_pool.steady_force(props, np.ones(1), adapted)[0] < 0.99
