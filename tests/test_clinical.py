"""Clinical-test scoring: grip centiles, EWGSOP2, SPPB, gait-speed and chair-stand norms,
readiness. Boundaries of every cut-off, missing values, batches and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoaxis.assess import clinical
from myoaxis.assess.clinical import (
    chair_stand_30s_reference,
    clinical_norms,
    ewgsop2,
    gait_speed_hazard_ratio,
    gait_speed_reference,
    grip_centile,
    grip_for_centile,
    grip_z,
    readiness,
    sppb_score,
)
from myoaxis.conditions import preset
from myoaxis.core.citations import registry, source_keys
from myoaxis.core.errors import ScenarioError
from myoaxis.core.units import ureg

NORMS = clinical_norms()
Z10, Z25, Z75, Z90 = -1.2815516, -0.6744898, 0.6744898, 1.2815516
FAST = settings(derandomize=True, database=None, deadline=None, max_examples=150)


# ----------------------------------------------------------------------------- the data file


def test_every_norm_has_a_known_unit_and_a_resolvable_source():
    known = registry()
    for p in NORMS.params.values():
        ureg.Unit(p.unit)
        assert all(k in known for k in source_keys(p.source)), p.name


def test_grip_table_matches_the_preset_dodds_columns():
    pre = preset("healthy_adult")
    np.testing.assert_array_equal(
        NORMS["grip_centiles.ages"].array(), pre["preset.strength_by_age.ages"].array()
    )
    for sex in ("male", "female"):
        for ours, theirs in (("p10", "p10"), ("p50", "median"), ("p90", "p90")):
            np.testing.assert_array_equal(
                NORMS[f"grip_centiles.{sex}_{ours}"].array(),
                pre[f"preset.strength_by_age.{sex}_{theirs}"].array(),
            )


# ---------------------------------------------------------------------------- grip centiles


@pytest.mark.parametrize(
    ("grip", "age", "sex", "centile"),
    [
        (38.0, 30, "male", 10.0),  # the published centiles are returned exactly
        (44.0, 30, "male", 25.0),
        (51.0, 30, "male", 50.0),
        (64.0, 30, "male", 90.0),
        (13.0, 80, "female", 10.0),
        (26.0, 80, "female", 90.0),
        (49.5, 27.5, "male", 50.0),  # median half-way between 48 (25 y) and 51 (30 y)
    ],
)
def test_centile_at_the_table_values(grip, age, sex, centile):
    assert grip_centile(grip, age, sex) == pytest.approx(centile, abs=1e-9)


def test_between_curves_the_centile_is_interpolated_on_the_z_scale():
    # men at 30: P50 = 51, P75 = 58 -> 54.5 kg is half-way in z
    assert grip_z(54.5, 30, "male") == pytest.approx(Z75 / 2)


def test_beyond_the_outer_curves_the_implied_sd_is_extended():
    # men at 30: P75 58, P90 64 -> 70 kg is one more outer gap above P90
    assert grip_z(70.0, 30, "male") == pytest.approx(Z90 + (Z90 - Z75))
    # women at 80: P10 13, P25 16 -> 7 kg is two gaps below P10
    z = grip_z(7.0, 80, "female")
    assert z == pytest.approx(Z10 - 2 * (Z25 - Z10))
    assert grip_centile(7.0, 80, "female") == pytest.approx(100 * 0.5 * math.erfc(-z / 2**0.5))


@FAST
@given(
    st.floats(0.0, 90.0),
    st.floats(0.01, 30.0),
    st.floats(20.0, 90.0),
    st.sampled_from(("male", "female")),
)
def test_centile_increases_with_grip_and_inverts(grip, extra, age, sex):
    z_lo, z_hi = grip_z([grip, grip + extra], age, sex)
    assert z_lo < z_hi  # strictly monotone on the z scale
    lo, hi = grip_centile([grip, grip + extra], age, sex)
    assert 0.0 <= lo <= hi <= 100.0  # the centile may saturate in floating point far out
    centile = grip_centile(grip, age, sex)
    if 1e-6 < centile < 100 - 1e-6:
        assert grip_for_centile(centile, age, sex) == pytest.approx(grip, abs=1e-6)


def test_batched_centiles_equal_single_calls_and_nan_is_not_measured():
    grip = np.array([40.0, 20.0, np.nan, 33.0])
    age = np.array([45.0, 72.0, 60.0, 88.0])
    sex = ["male", "female", "male", "female"]
    batch = grip_centile(grip, age, sex)
    assert batch.shape == (4,)
    assert np.isnan(batch[2])
    for s in (0, 1, 3):
        assert batch[s] == grip_centile(grip[s], age[s], sex[s])
    assert grip_centile(grip, 50, "male").shape == (4,)  # scalar age and sex broadcast
    both = grip_centile(33.0, 40, ["male", "female"])  # one grip, two subjects
    assert both[0] < 50 < both[1]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"grip_kg": 30, "age_years": 19.9, "sex": "male"}, "outside the Dodds 2014"),
        ({"grip_kg": 30, "age_years": 90.1, "sex": "male"}, "outside the Dodds 2014"),
        ({"grip_kg": 30, "age_years": np.nan, "sex": "male"}, "needs the subject's age"),
        ({"grip_kg": -1, "age_years": 40, "sex": "male"}, "negative"),
        ({"grip_kg": np.inf, "age_years": 40, "sex": "male"}, "finite"),
        ({"grip_kg": 30, "age_years": 40, "sex": "mail"}, "unknown sex 'mail'"),
        ({"grip_kg": [30, 31], "age_years": [40, 50, 60], "sex": "male"}, "mismatched shapes"),
        ({"grip_kg": [30, 31], "age_years": 40, "sex": ["male"] * 3}, "mismatched shapes"),
        ({"grip_kg": "strong", "age_years": 40, "sex": "male"}, "expected numbers"),
    ],
)
def test_grip_centile_bad_input(kwargs, match):
    with pytest.raises(ScenarioError, match=match):
        grip_centile(**kwargs)


@pytest.mark.parametrize("centile", [0.0, 100.0, -5.0, np.nan])
def test_grip_for_centile_needs_an_open_centile(centile):
    with pytest.raises(ScenarioError, match="strictly between 0 and 100"):
        grip_for_centile(centile, 40, "male")


# ----------------------------------------------------------------------------------- EWGSOP2

HEALTHY = {  # a subject that meets no criterion
    "grip_kg": 40.0,
    "chair_stand_s": 10.0,
    "asm_kg": 25.0,
    "height_m": 1.70,
    "gait_speed_m_s": 1.2,
    "sppb": 12,
    "tug_s": 8.0,
    "walk_400m_s": 240.0,
}


def classify(sex: str = "male", **changes):
    return ewgsop2(**{**HEALTHY, **changes}, sex=sex)


@pytest.mark.parametrize(
    ("criterion", "sex", "changes_fired", "changes_not"),
    [
        ("low_grip", "male", {"grip_kg": 26.99}, {"grip_kg": 27.0}),
        ("low_grip", "female", {"grip_kg": 15.99}, {"grip_kg": 16.0}),
        ("slow_chair_stand", "male", {"chair_stand_s": 15.01}, {"chair_stand_s": 15.0}),
        ("slow_chair_stand", "female", {"chair_stand_s": np.inf}, {"chair_stand_s": 14.99}),
        ("low_asm", "male", {"asm_kg": 19.99}, {"asm_kg": 20.0}),
        ("low_asm", "female", {"asm_kg": 14.99}, {"asm_kg": 15.0}),
        (
            "low_asm_index",
            "male",
            {"asm_kg": 6.99, "height_m": 1.0},
            {"asm_kg": 7.0, "height_m": 1.0},
        ),
        (
            "low_asm_index",
            "female",
            {"asm_kg": 5.49, "height_m": 1.0},
            {"asm_kg": 5.5, "height_m": 1.0},
        ),
        ("slow_gait", "male", {"gait_speed_m_s": 0.8}, {"gait_speed_m_s": 0.81}),
        ("low_sppb", "female", {"sppb": 8}, {"sppb": 9}),
        ("slow_tug", "male", {"tug_s": 20.0}, {"tug_s": 19.99}),
        ("slow_400m_walk", "male", {"walk_400m_s": 360.0}, {"walk_400m_s": 359.9}),
        ("slow_400m_walk", "female", {"walk_400m_s": np.inf}, {"walk_400m_s": 300.0}),
    ],
)
def test_every_ewgsop2_cutoff_at_its_boundary(criterion, sex, changes_fired, changes_not):
    fired = classify(sex, **changes_fired)
    assert bool(fired.criteria[criterion])
    assert criterion in fired.fired()[0]
    assert not bool(classify(sex, **changes_not).criteria[criterion])


@pytest.mark.parametrize(
    ("changes", "category"),
    [
        ({}, "no_sarcopenia"),
        ({"grip_kg": 20.0}, "probable"),
        ({"grip_kg": 20.0, "gait_speed_m_s": 0.5}, "probable"),  # performance without mass
        ({"chair_stand_s": 20.0, "asm_kg": 18.0}, "confirmed"),
        ({"grip_kg": 20.0, "asm_kg": 18.0, "sppb": 6}, "severe"),
        ({"grip_kg": 20.0, "asm_kg": 18.0, "tug_s": 25.0}, "severe"),
        ({"asm_kg": 10.0, "gait_speed_m_s": 0.3}, "no_sarcopenia"),  # normal strength
        ({"grip_kg": None, "chair_stand_s": None, "asm_kg": 10.0}, "not_assessed"),
        ({"grip_kg": None, "chair_stand_s": np.inf}, "probable"),  # unable to rise
        ({"grip_kg": 20.0, "asm_kg": None, "height_m": None}, "probable"),  # mass not measured
        (
            {
                "grip_kg": 20.0,
                "asm_kg": 18.0,
                "gait_speed_m_s": np.nan,
                "sppb": None,
                "tug_s": None,
                "walk_400m_s": None,
            },
            "confirmed",
        ),
    ],
)
def test_ewgsop2_pathway(changes, category):
    assert classify(**changes).category == category


def test_ewgsop2_is_batched_over_subjects():
    grip = [20.0, 20.0, np.nan, 40.0, 12.0]
    asm = [18.0, 25.0, 10.0, 10.0, 13.0]
    speed = [0.6, 0.6, 0.6, 0.6, 1.0]
    sex = ["male", "male", "female", "male", "female"]
    batch = ewgsop2(grip, None, asm, 1.7, speed, None, sex)
    assert list(batch.category) == [
        "severe",
        "probable",
        "not_assessed",
        "no_sarcopenia",
        "confirmed",
    ]
    for s in range(5):
        single = ewgsop2(grip[s], None, asm[s], 1.7, speed[s], None, sex[s])
        assert single.category == batch.category[s]
        assert single.fired()[0] == batch.fired()[s]
    assert batch.low_strength.tolist() == [True, True, False, False, True]


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"grip_kg": -3.0}, "grip_kg: -3 is negative"),
        ({"chair_stand_s": 0.0}, "chair_stand_s: 0 is zero or negative"),
        ({"height_m": 0.0}, "height_m"),
        ({"sppb": 13}, "above the maximum 12"),
        ({"asm_kg": np.inf}, "finite"),
        ({"grip_kg": [20.0, 30.0], "asm_kg": [1.0, 2.0, 3.0]}, "mismatched shapes"),
    ],
)
def test_ewgsop2_bad_input(changes, match):
    with pytest.raises(ScenarioError, match=match):
        classify(**changes)


def test_ewgsop2_unknown_sex_names_the_choices():
    with pytest.raises(ScenarioError, match=r"unknown sex 'x'.*female, male"):
        classify(sex="x")


# -------------------------------------------------------------------------------------- SPPB


@pytest.mark.parametrize(
    ("seconds", "points"),
    [
        (4.81, 4),
        (4.82, 3),
        (6.20, 3),
        (6.21, 2),
        (8.70, 2),
        (8.71, 1),
        (30.0, 1),
        (np.inf, 0),
        (np.nan, 0),
    ],
)
def test_sppb_gait_bands(seconds, points):
    assert sppb_score([10, 10, 10], seconds, 10.0).gait == points


@pytest.mark.parametrize(
    ("seconds", "points"),
    [
        (11.19, 4),
        (11.20, 3),
        (13.69, 3),
        (13.70, 2),
        (16.69, 2),
        (16.70, 1),
        (60.0, 1),
        (60.01, 0),
        (np.inf, 0),
        (None, 0),
    ],
)
def test_sppb_chair_bands(seconds, points):
    assert sppb_score([10, 10, 10], 3.0, seconds).chair == points


@pytest.mark.parametrize(
    ("holds", "points"),
    [
        ([10, 10, 10], 4),
        ([30, 30, 30], 4),  # holds are timed up to 10 s
        ([10, 10, 9.99], 3),
        ([10, 10, 3.0], 3),
        ([10, 10, 2.99], 2),
        ([10, 9.99, 10], 1),  # a failed semi-tandem ends the balance test
        ([9.99, 10, 10], 0),
        ([10, np.nan, np.nan], 1),
        ([np.nan, np.nan, np.nan], 0),
    ],
)
def test_sppb_balance(holds, points):
    assert sppb_score(holds, 3.0, 10.0).balance == points


def test_sppb_batch_and_total():
    s = sppb_score([[10, 10, 10], [10, 10, 5], [np.nan] * 3], [4.0, 7.0, np.inf], [9.0, 14.0, 70])
    assert s.total.tolist() == [12, 3 + 2 + 2, 0]
    assert (s.total == s.balance + s.gait + s.chair).all()


finite_or_missing = st.one_of(st.floats(0.01, 120.0), st.just(np.inf), st.just(np.nan))


@FAST
@given(
    st.lists(st.one_of(st.floats(0.0, 40.0), st.just(np.nan)), min_size=3, max_size=3),
    finite_or_missing,
    finite_or_missing,
    st.floats(0.0, 5.0),
)
def test_sppb_total_is_0_to_12_and_never_rewards_slower(holds, gait, chair, slower):
    s = sppb_score(holds, gait, chair)
    assert 0 <= s.total <= 12
    assert s.total == s.balance + s.gait + s.chair
    assert sppb_score(holds, gait + slower, chair + slower).total <= s.total


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([10, 10], 4.0, 10.0), "shape"),
        (([10, -1, 10], 4.0, 10.0), "negative"),
        (([10, 10, np.inf], 4.0, 10.0), "finite"),
        (([10, 10, 10], 0.0, 10.0), "gait_time_4m_s: 0 is zero or negative"),
        (([10, 10, 10], 4.0, -2.0), "chair_time_5_s"),
        (([[10, 10, 10]] * 2, [4.0, 5.0, 6.0], 10.0), "mismatched shapes"),
    ],
)
def test_sppb_bad_input(args, match):
    with pytest.raises(ScenarioError, match=match):
        sppb_score(*args)


# ---------------------------------------------------------------- gait speed and chair stand


def test_gait_speed_reference_uses_the_decade_strata():
    assert gait_speed_reference(29.9, "male") == pytest.approx(1.358)
    assert gait_speed_reference(40.0, "male") == pytest.approx(1.434)
    assert gait_speed_reference(99.5, "female") == pytest.approx(0.943)
    batch = gait_speed_reference([25, 85], ["female", "male"])
    np.testing.assert_allclose(batch, [1.341, 0.968])


@pytest.mark.parametrize("age", [19.9, 100.0, np.nan])
def test_gait_speed_reference_outside_the_strata(age):
    with pytest.raises(ScenarioError, match="20-99 y"):
        gait_speed_reference(age, "female")


def test_gait_speed_hazard_ratio_is_0_88_per_0_1_m_s():
    assert gait_speed_hazard_ratio(1.0, 0.9) == pytest.approx(0.88)
    assert gait_speed_hazard_ratio(0.7, 0.9) == pytest.approx(0.88**-2)
    np.testing.assert_allclose(gait_speed_hazard_ratio([0.92, 1.12], 0.92), [1.0, 0.88**2])


def test_chair_stand_30s_reference():
    lo, hi = chair_stand_30s_reference([60, 64.9, 65, 94.9], ["male", "male", "female", "female"])
    assert lo.tolist() == [14, 14, 11, 4]
    assert hi.tolist() == [19, 19, 16, 11]
    with pytest.raises(ScenarioError, match="60-94 y"):
        chair_stand_30s_reference(59, "male")


# --------------------------------------------------------------------------------- readiness


def mornings(*values: float, days: int = 10) -> np.ndarray:
    out = np.full(days, 60.0)
    out[days - len(values) :] = values
    return out


def swc_edge(sign: float, eps: float) -> float:
    """RMSSD (ms) whose ln lies ``sign * (0.5 + eps)`` baseline SDs from ln 60 (SD 6 ms)."""
    return 60.0 * math.exp(sign * (0.5 + eps) * 0.1)


@pytest.mark.parametrize(
    ("rmssd", "grip", "status", "reasons"),
    [
        (mornings(), 50.0, "ready", ()),
        (mornings(*[swc_edge(-1, 0.01)] * 7), 50.0, "caution", ("hrv_below_swc",)),
        (mornings(*[swc_edge(-1, -0.01)] * 7), 50.0, "ready", ()),
        (mornings(*[swc_edge(+1, 0.01)] * 7), 50.0, "caution", ("hrv_above_swc",)),
        (mornings(), 44.9, "caution", ("grip_decrement",)),
        (mornings(), 45.0, "ready", ()),  # exactly 10 % is not above the threshold
        (mornings(*[40.0] * 7), 40.0, "rest", ("hrv_below_swc", "grip_decrement")),
        (mornings(*[40.0] * 7), np.nan, "caution", ("hrv_below_swc", "grip_not_measured")),
        (np.full(10, np.nan), np.nan, "unknown", ("hrv_not_measured", "grip_not_measured")),
        (mornings(40, 40, 40, 60, 60, 60, 60, 60, 60, 60, days=10), 50.0, "ready", ()),  # old
        (np.r_[np.full(8, np.nan), 40.0, 40.0], 50.0, "ready", ("hrv_not_measured",)),  # 2 days
        (np.r_[np.full(7, np.nan), 40.0, 40.0, 40.0], 50.0, "caution", ("hrv_below_swc",)),
    ],
)
def test_readiness_rules(rmssd, grip, status, reasons):
    r = readiness(np.atleast_2d(rmssd), 60.0, 6.0, grip, 50.0)
    assert r.status.tolist() == [status]
    assert r.reasons() == [reasons]


def test_readiness_is_batched():
    rm = np.stack([mornings(), mornings(*[40.0] * 7), mornings(*[40.0] * 7)])
    r = readiness(rm, [60.0, 60.0, 42.0], 6.0, [50.0, 40.0, 50.0], 50.0)
    assert r.status.tolist() == ["ready", "rest", "ready"]
    assert r.hrv_z[1] == pytest.approx(math.log(40 / 60) / 0.1)
    np.testing.assert_allclose(r.grip_decrement, [0.0, 0.2, 0.0])


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((np.full(7, 60.0), 60.0, 6.0, 50.0, 50.0), r"shape \(subjects, days\)"),
        ((np.zeros((1, 7)), 60.0, 6.0, 50.0, 50.0), "zero or negative"),
        ((np.full((1, 7), 60.0), 60.0, 0.0, 50.0, 50.0), "rmssd_baseline_sd_ms"),
        ((np.full((1, 7), 60.0), 60.0, 6.0, 50.0, 0.0), "grip_baseline_kg"),
        ((np.full((2, 7), 60.0), [60.0] * 3, 6.0, 50.0, 50.0), "mismatched shapes"),
    ],
)
def test_readiness_bad_input(args, match):
    with pytest.raises(ScenarioError, match=match):
        readiness(*args)


# ------------------------------------------------------------------------- validation cases


def _cases(prefix: str):
    from myoaxis.validation import clinical as _  # noqa: F401  (registers the cases)
    from myoaxis.validation.registry import CASES

    return sorted(n for n in CASES if n.startswith(prefix))


@pytest.mark.parametrize("name", _cases("dodds_"))
def test_dodds_table_cases_pass(name):
    from myoaxis.validation.registry import CASES

    outcome = CASES[name].run()
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


@pytest.mark.validation
@pytest.mark.slow
@pytest.mark.parametrize("name", _cases("grip_preset_centile_"))
def test_preset_grip_centile_cases_pass(name):
    from myoaxis.validation.registry import CASES

    outcome = CASES[name].run()
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


def test_module_lists_its_citations():
    assert set(clinical.CITATIONS) <= set(registry())
