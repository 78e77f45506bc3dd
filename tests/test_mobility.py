"""Mobility model: gait speed, chair stands, balance stances, ASM; calibration and EWGSOP2."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis.assess import clinical
from myoaxis.conditions import base_parameters
from myoaxis.core.errors import ScenarioError
from myoaxis.physiology.musculoskeletal import mobility
from myoaxis.physiology.musculoskeletal.elbow import G
from myoaxis.validation import mobility as vm

BASE = base_parameters()
P = mobility.MobilityParameters.from_values(
    lambda name, unit: np.array([BASE.value_in(name, unit)])
)
NORMS = clinical.clinical_norms()


def speed(s, mass=70.0):
    """Gait speed at leg strength ratio ``s`` (all force in the knee extensors)."""
    s = np.asarray(s, dtype=float)
    return mobility.gait_speed(P, s * mass * G, 0.0 * s, mass)


# ------------------------------------------------------------------------------ parameters


def test_every_field_reads_its_parameter_in_its_unit():
    assert set(mobility.UNITS) == set(mobility.MobilityParameters.__dataclass_fields__)
    for field, unit in mobility.UNITS.items():
        name = mobility.parameter_name(field)
        assert getattr(P, field)[0] == pytest.approx(BASE.value_in(name, unit))


# ------------------------------------------------------------------------------ gait speed


def test_gait_speed_rises_with_strength_and_saturates_at_the_plateau():
    s = np.linspace(0.1, 40.0, 400)
    v = speed(s)
    assert np.all(np.diff(v) > 0)
    assert v[-1] == pytest.approx(P.gait_plateau_speed[0], rel=0.01)
    assert np.all(v < P.gait_plateau_speed[0])


def test_gait_speed_is_proportional_to_strength_well_below_the_threshold():
    s = 0.05 * P.gait_threshold_strength[0]
    slope = P.gait_plateau_speed[0] / P.gait_threshold_strength[0]
    assert speed(s)[0] / s == pytest.approx(slope, rel=0.01)


def test_buchner_shape_flat_above_steep_below_the_threshold():
    t = P.gait_threshold_strength[0]

    def loss(s):  # percent speed lost for 10 % strength lost
        return 100.0 * (1.0 - speed(0.9 * s)[0] / speed(s)[0])

    assert loss(2.0 * t) < 0.5
    assert loss(0.5 * t) > 8.0


def test_heavier_subjects_of_equal_strength_walk_slower():
    v = mobility.gait_speed(P, 4000.0, 2000.0, np.array([60.0, 80.0, 100.0]))
    assert np.all(np.diff(v) < 0)


def test_gait_time_is_the_4m_course_over_speed_and_inf_at_rest():
    np.testing.assert_allclose(mobility.gait_time([1.0, 0.5]), [4.0, 8.0])
    assert mobility.gait_time(0.0) == np.inf


# ----------------------------------------------------------------------------- chair stand


def test_chair_stand_slows_with_weakness_age_and_body_mass():
    knee = np.array([3000.0, 2000.0, 1200.0])
    t = mobility.chair_stand_time(P, knee, 70.0, 75.0)
    assert np.all(np.diff(t) > 0)
    ages = mobility.chair_stand_time(P, 2000.0, 70.0, np.array([20.0, 50.0, 80.0]))
    assert ages[0] < ages[1] < ages[2]
    masses = mobility.chair_stand_time(P, 2000.0, np.array([60.0, 90.0]), 75.0)
    assert masses[0] < masses[1]


def test_chair_stand_is_the_hill_limited_time_and_inf_when_unable():
    mass = 70.0
    demand = P.chair_rise_demand[0] * mass * G  # both legs
    rho = 0.5
    t = mobility.chair_stand_time(P, demand / (2 * rho), mass, P.chair_age_onset[0])
    k = P.chair_hill_curvature[0]
    assert t == pytest.approx(P.chair_min_time[0] * (1 + rho / k) / (1 - rho))
    unable = mobility.chair_stand_time(P, np.array([demand / 2, demand / 4, 0.0]), mass, 70.0)
    assert np.all(np.isinf(unable))


# --------------------------------------------------------------------------------- balance


def test_balance_holds_are_capped_ordered_and_fall_with_age_and_weakness():
    times = mobility.balance_times(P, np.array([4000.0, 1500.0, 500.0]), 1000.0, 70.0, 80.0)
    assert times.shape == (3, 3)
    hold = NORMS.value("sppb.balance_hold")
    assert np.all(times <= hold)
    assert times[0, 0] == hold
    assert np.all(np.diff(times, axis=1) <= 0)  # harder stances are held no longer
    assert np.all(np.diff(times, axis=0) <= 0)  # weaker subjects hold no longer
    by_age = mobility.balance_times(P, 2000.0, 1000.0, 70.0, np.array([60.0, 75.0, 90.0]))
    assert np.all(np.diff(by_age[:, 2]) < 0)


def test_sppb_is_the_clinical_score_of_the_model_times():
    knee, ankle, mass, age = np.array([4000.0, 1500.0]), np.array([2500.0, 900.0]), 70.0, 80.0
    score = mobility.sppb(P, knee, ankle, mass, age)
    expected = clinical.sppb_score(
        mobility.balance_times(P, knee, ankle, mass, age),
        mobility.gait_time(mobility.gait_speed(P, knee, ankle, mass)),
        mobility.chair_stand_time(P, knee, mass, age),
    )
    np.testing.assert_array_equal(score.total, expected.total)
    np.testing.assert_array_equal(score.total, score.balance + score.gait + score.chair)
    assert score.total[0] > score.total[1]


# ----------------------------------------------------------------------------- muscle mass


def test_asm_is_lee_2000_converted_by_kim_2002():
    # a man of 80 kg, 1.75 m, 72 y: SM = 0.244*80 + 7.80*1.75 + 6.6 - 0.098*72 - 3.3
    sm = 0.244 * 80 + 7.80 * 1.75 + 6.6 - 0.098 * 72 - 3.3
    asm = (sm + 0.02 * 72 - 0.61 - 0.97) / 1.13
    assert mobility.appendicular_lean_mass(P, 80.0, 1.75, 72.0, "male")[0] == pytest.approx(asm)
    low = mobility.appendicular_lean_mass(P, 80.0, 1.75, 72.0, "male", 0.8)[0]
    assert low == pytest.approx(0.8 * asm)


def test_asm_grows_with_size_and_falls_with_age_and_for_women():
    asm = mobility.appendicular_lean_mass
    assert asm(P, 60.0, 1.7, 70.0, "male")[0] < asm(P, 80.0, 1.7, 70.0, "male")[0]
    assert asm(P, 70.0, 1.6, 70.0, "male")[0] < asm(P, 70.0, 1.8, 70.0, "male")[0]
    assert asm(P, 70.0, 1.7, 80.0, "male")[0] < asm(P, 70.0, 1.7, 60.0, "male")[0]
    sexes = np.array(["female", "male"])
    women, men = asm(P, 70.0, 1.7, 70.0, sexes)
    assert women < men
    assert asm(P, 70.0, 1.7, 70.0, "female", 0.0)[0] == 0.0
    assert asm(P, 10.0, 0.5, 90.0, "female")[0] == 0.0  # far outside Lee 2000 (clamped)


def test_typical_older_adults_are_above_and_sarcopenic_ones_below_the_mass_cut_offs():
    for sex, mass, height in (("female", 67.0, 1.61), ("male", 80.0, 1.75)):
        index = {
            f: mobility.appendicular_lean_mass(P, mass, height, 75.0, sex, f)[0] / height**2
            for f in (1.0, 0.8)
        }
        cut = NORMS.value(f"ewgsop2.asm_index_{sex}")
        assert index[1.0] > cut > index[0.8]


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: mobility.gait_speed(P, 1000.0, 500.0, 0.0), "body mass"),
        (lambda: mobility.gait_speed(P, -1.0, 500.0, 70.0), "knee-extensor force"),
        (lambda: mobility.chair_stand_time(P, 1000.0, 70.0, np.nan), "age"),
        (lambda: mobility.appendicular_lean_mass(P, 70.0, 1.7, 70.0, "femal"), "sex"),
        (lambda: mobility.appendicular_lean_mass(P, 70.0, -1.7, 70.0, "male"), "height"),
        (lambda: mobility.appendicular_lean_mass(P, 70, 1.7, 70, "male", -1), "muscle-mass"),
    ],
)
def test_bad_input_is_a_scenario_error(call, match):
    with pytest.raises(ScenarioError, match=match):
        call()


# ---------------------------------------------------------------- calibration and presets


def test_shipped_gait_and_chair_parameters_are_the_fitted_optimum():
    """If strength scaling or anthropometry change, re-run vm.fit_gait / vm.fit_chair_stand and
    update data/model/mobility.toml."""
    (plateau, threshold), _ = vm.fit_gait()
    assert plateau == pytest.approx(P.gait_plateau_speed[0], rel=0.01)
    assert threshold == pytest.approx(P.gait_threshold_strength[0], rel=0.01)
    fitted, residuals = vm.fit_chair_stand()
    shipped = (P.chair_min_time[0], P.chair_rise_demand[0], P.chair_age_slowing[0])
    np.testing.assert_allclose(fitted, shipped, rtol=0.02)
    assert np.max(np.abs(residuals)) < 0.6


@pytest.mark.parametrize("sex", ["female", "male"])
def test_older_adult_walks_near_the_bohannon_norm_and_is_not_sarcopenic(sex):
    assert abs(vm.gait_speed_error("older_adult", sex)) < 0.1
    s = vm.at_default_age("older_adult")
    cat = mobility.ewgsop2(s.tests(), s.grip_kg, s.height, s.sex).category
    assert cat[list(s.sex).index(sex)] == "no_sarcopenia"


def test_median_chair_stand_times_meet_the_older_adult_norms():
    for age, norm in vm.CHAIR_NORMS[1:]:
        assert vm.pooled_chair_time(age) == pytest.approx(norm, abs=1.5)


def test_sarcopenia_preset_is_confirmed_or_severe_with_low_grip_and_mass():
    s = vm.at_default_age("sarcopenia")
    result = mobility.ewgsop2(s.tests(), s.grip_kg, s.height, s.sex)
    assert set(np.asarray(result.category)) <= {"confirmed", "severe"}
    assert np.all(result.criteria["low_grip"])
    assert np.all(result.criteria["low_asm_index"])


def test_subjects_at_the_grip_cut_off_take_about_the_chair_stand_cut_off():
    t = vm.cut_off_subjects().tests().chair_stand_s
    assert np.mean(t) == pytest.approx(NORMS.value("ewgsop2.chair_stand"), abs=1.0)
