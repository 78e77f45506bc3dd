"""The risk engine (myoaxis.assess.risk): each risk fires at the right time and severity on
synthetic series and records, stays silent below its thresholds, de-duplicates, escalates,
skips missing series and rejects bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from myoaxis.assess.mvc import KG_FORCE
from myoaxis.assess.risk import (
    CITATIONS,
    DAY,
    RiskParameters,
    acute_chronic_ratio,
    aerobic_risks,
    assess_risks,
    assessment_risks,
    series_risks,
    set_risks,
    training_monotony,
    workload_risks,
)
from myoaxis.conditions import base_parameters
from myoaxis.core.citations import registry
from myoaxis.core.errors import ParameterError, ScenarioError

EVENT_KEYS = {"subject", "kind", "risk", "severity", "time_s", "message", "value", "threshold"}
HOUR = 3600.0


def values_of(n: int, overrides: dict[str, float] | None = None):
    """``values(name, unit)`` over the shipped defaults for ``n`` subjects; ``overrides`` give
    per-name values (in the canonical unit) for subject 0 only."""
    defaults = base_parameters()
    overrides = overrides or {}

    def values(name: str, unit: str) -> np.ndarray:
        out = np.full(n, defaults.value_in(name, unit))
        if name in overrides:
            out[0] = overrides[name]
        return out

    return values


@pytest.fixture(scope="module")
def params() -> RiskParameters:
    return RiskParameters.from_values(values_of(2))


def brief(events):
    return [(e["subject"], e["risk"], e["severity"], e["time_s"]) for e in events]


def check_shape(events):
    for e in events:
        assert set(e) == EVENT_KEYS
        assert e["kind"] == "risk"
        assert isinstance(e["message"], str)
        assert e["message"].endswith(".")
    json.dumps(events, allow_nan=False)  # finite, plain Python values


# ------------------------------------------------------------------------------- parameters


def test_parameters_come_from_the_model_files_and_clinical_norms(params):
    assert params.n_subjects == 2
    assert params.acwr_moderate[0] == 1.3
    assert params.acwr_high[0] == 1.5
    assert params.glucose_level1[0] == 70
    assert params.glucose_level2[0] == 54
    assert params.grip_male[0] == 27
    assert params.grip_female[0] == 16
    assert params.hrv_swc_sd[0] == 0.5
    assert params.hrv_rolling_days == 7
    assert params.sustain[0] == 24 * HOUR
    assert params.session_gap == 3 * HOUR


def test_every_cited_source_resolves():
    assert set(CITATIONS) <= set(registry())


def test_parameters_in_the_wrong_order_or_uneven_windows_are_rejected():
    with pytest.raises(ParameterError, match="load_moderate must not exceed load_high"):
        RiskParameters.from_values(values_of(2, {"risk.overexertion.load_moderate": 1.2}))
    with pytest.raises(ParameterError, match="glucose_level2 must not exceed glucose_level1"):
        RiskParameters.from_values(values_of(1, {"risk.hypoglycaemia.level2": 80}))
    with pytest.raises(ParameterError, match="equal across a batch"):
        RiskParameters.from_values(values_of(2, {"risk.workload.chronic_days": 21}))


# ----------------------------------------------------------------------------- hypoglycaemia


def test_hypoglycaemia_fires_escalates_and_returns_as_a_new_event(params):
    times = np.arange(10) * 600.0
    g = np.array([90, 80, 65, 60, 50, 52, 90, 90, 66, 66.0])  # mg/dL
    glucose = np.vstack([g, np.full(10, 71.0)])  # subject 1 stays above 70
    exercising = np.zeros((2, 10))
    exercising[0, 4] = 1.0
    events = series_risks(times, {"glucose_plasma": glucose, "exercise_on": exercising}, params)
    check_shape(events)
    assert brief(events) == [
        (0, "hypoglycaemia", "moderate", 1200.0),
        (0, "hypoglycaemia", "high", 2400.0),
        (0, "hypoglycaemia", "moderate", 4800.0),
    ]
    assert [(e["value"], e["threshold"]) for e in events] == [(65, 70), (50, 54), (66, 70)]
    assert "3.61 mmol/L (65.0 mg/dL)" in events[0]["message"]
    assert "at rest" in events[0]["message"]
    assert "during exercise" in events[1]["message"]
    assert "level 2" in events[1]["message"]


def test_hypoglycaemia_thresholds_are_strict(params):
    glucose = np.array([[70.0, 70.0], [54.0, 54.0]])
    events = series_risks([0.0, 60.0], {"glucose_plasma": glucose}, params)
    assert brief(events) == [(1, "hypoglycaemia", "moderate", 0.0)]


# ------------------------------------------------------------------------------ inflammation


def test_inflammation_index_must_be_held_for_a_day(params):
    times = np.arange(0, 80) * HOUR
    q = np.where(times >= 10 * HOUR, 0.6, 0.1)
    q = np.where(times >= 40 * HOUR, 1.2, q)
    index = np.vstack([q, np.full(80, 0.49)])
    events = series_risks(times, {"inflammation": index}, params)
    assert brief(events) == [
        (0, "inflammation", "moderate", 34 * HOUR),
        (0, "inflammation", "high", 64 * HOUR),
    ]
    assert events[0]["threshold"] == 0.5
    assert events[1]["value"] == pytest.approx(1.2)


def test_a_brief_il6_rise_is_not_inflammation_but_a_day_long_one_is(params):
    times = np.arange(0, 120) * HOUR
    il6 = np.ones((2, 120))
    il6[0, 5:28] = 20.0  # 23 h of exercise-like elevation: no event
    il6[1, 60:90] = 3.5  # 30 h above 3.19 pg/mL
    events = series_risks(times, {"il6_plasma": il6}, params)
    assert brief(events) == [(1, "inflammation", "moderate", 84 * HOUR)]
    assert events[0]["threshold"] == pytest.approx(3.19)
    assert "IL-6" in events[0]["message"]


# --------------------------------------------------------------------------- chronic fatigue


def test_a_persistently_negative_fitness_fatigue_balance_escalates(params):
    times = np.arange(0, 25 * 24) * HOUR
    balance = np.vstack([np.where(times >= 2 * DAY, -0.01, 0.0), np.full(times.size, -1e-6)])
    events = series_risks(times, {"fitness_fatigue_balance": balance}, params)
    assert brief(events) == [
        (0, "chronic_fatigue", "moderate", 9 * DAY),
        (0, "chronic_fatigue", "high", 16 * DAY),
    ]
    assert events[0]["value"] == pytest.approx(7.0)
    assert events[1]["threshold"] == 14


def expected_hrv_day(rmssd: np.ndarray, p: RiskParameters) -> int:
    """First day (daily samples) whose 7-day ln-RMSSD mean is below baseline - SWC, computed
    sample by sample."""
    ln = np.log(rmssd)
    base = ln[:7].mean()
    limit = base - p.hrv_swc_sd[0] * max(ln[:7].std(ddof=1), p.hrv_min_baseline_sd[0])
    for d in range(7, len(ln)):
        if ln[d - 6 : d + 1].mean() < limit:
            return d
    raise AssertionError("no suppression")


def test_hrv_suppression_against_the_first_week_baseline(params):
    days = np.arange(30) * DAY
    rmssd = np.where(days >= 10 * DAY, 50.0, 60.0)
    events = series_risks(days, {"rmssd": np.vstack([rmssd, np.full(30, 60.0)])}, params)
    d = expected_hrv_day(rmssd, params)
    assert d == 13  # a few low mornings are not enough: the 7-day mean must cross
    assert brief(events) == [(0, "chronic_fatigue", "moderate", d * DAY)]
    assert events[0]["value"] < events[0]["threshold"] < np.log(60.0)


def test_hrv_is_judged_only_after_the_baseline_week(params):
    days = np.arange(20) * DAY
    rmssd = np.full((2, 20), 60.0)
    rmssd[1, 2:] = 30.0  # a drop inside the baseline week lowers the baseline itself
    events = series_risks(days, {"rmssd": rmssd}, params)
    d = expected_hrv_day(rmssd[1], params)
    assert d == 8  # judged from day 7 on; the window must leave the last normal day behind
    assert brief(events) == [(1, "chronic_fatigue", "moderate", d * DAY)]


def test_hrv_and_balance_together_are_a_high_chronic_fatigue_risk(params):
    days = np.arange(30) * DAY
    rmssd = np.vstack([np.where(days >= 10 * DAY, 45.0, 60.0), np.full(30, 60.0)])
    balance = np.vstack([np.where(days >= 6 * DAY, -0.02, 0.0), np.zeros(30)])
    events = series_risks(days, {"rmssd": rmssd, "fitness_fatigue_balance": balance}, params)
    assert brief(events) == [
        (0, "chronic_fatigue", "moderate", 12 * DAY),  # HRV suppressed from day 12
        (0, "chronic_fatigue", "high", 13 * DAY),  # and the balance negative for 7 days
    ]
    assert "both markers" in events[1]["message"]


def test_missing_series_and_missing_samples_are_skipped(params):
    times = np.arange(5) * HOUR
    assert series_risks(times, {"unrelated_state": np.zeros((2, 5))}, params) == []
    g = np.full((2, 5), np.nan)
    g[0, 3] = 60.0
    assert brief(series_risks(times, {"glucose_plasma": g}, params)) == [
        (0, "hypoglycaemia", "moderate", 3 * HOUR)
    ]
    days = np.arange(20) * DAY
    rmssd = np.full((2, 20), 30.0)
    rmssd[:, :7] = np.nan  # no baseline week: HRV cannot be judged
    assert series_risks(days, {"rmssd": rmssd}, params) == []


@pytest.mark.parametrize(
    ("times", "series", "match"),
    [
        ([0.0, 1.0, 1.0], {"glucose_plasma": np.full((2, 3), 90.0)}, "strictly increasing"),
        ([0.0, 1.0], {"glucose_plasma": np.full((3, 2), 90.0)}, r"shape \(3, 2\)"),
        ([0.0, 1.0], {"glucose_plasma": np.full(2, 90.0)}, "shape"),
        ([0.0, 1.0], {"il6_plasma": [[1.0, np.inf], [1.0, 1.0]]}, "finite"),
        ([0.0, 1.0], {"rmssd": [[50.0, 0.0], [50.0, 50.0]]}, "> 0 ms"),
    ],
)
def test_bad_series_are_rejected(params, times, series, match):
    with pytest.raises(ScenarioError, match=match):
        series_risks(times, series, params)


# ------------------------------------------------------------------------- workload, injury


def ewma_reference(loads: np.ndarray, n: float) -> np.ndarray:
    lam = 2.0 / (n + 1.0)
    k = np.arange(loads.size)
    return np.array([np.sum(lam * (1 - lam) ** (d - k[: d + 1]) * loads[: d + 1]) for d in k])


def sessions_of(loads_by_day, subject=0, hour=18.0):
    return [
        {"subject": subject, "time_s": d * DAY + hour * HOUR, "load": float(x)}
        for d, x in enumerate(loads_by_day)
        if x > 0
    ]


THREE_A_WEEK = [300.0, 0, 300.0, 0, 300.0, 0, 0]


def test_acwr_rolling_and_ewma_and_silent_for_the_first_28_days():
    rng = np.random.default_rng(1)
    loads = np.concatenate([np.zeros(5), rng.uniform(0, 500, 55)])
    loads[5] = 400.0  # history starts on day 5
    rolling = acute_chronic_ratio(loads[None, :])[0]
    ewma = acute_chronic_ratio(loads[None, :], method="ewma")[0]
    assert np.all(np.isnan(rolling[: 5 + 27]))
    assert np.all(np.isnan(ewma[: 5 + 27]))
    days = np.arange(5 + 27, 60)
    expected = [loads[d - 6 : d + 1].mean() / loads[d - 27 : d + 1].mean() for d in days]
    np.testing.assert_allclose(rolling[days], expected, rtol=1e-12)
    expected = ewma_reference(loads, 7)[days] / ewma_reference(loads, 28)[days]
    np.testing.assert_allclose(ewma[days], expected, rtol=1e-12)
    with pytest.raises(ScenarioError, match="unknown method 'weekly'"):
        acute_chronic_ratio(loads[None, :], method="weekly")


def test_steady_weekly_training_has_a_ratio_of_one_only_with_rolling_averages():
    once_a_week = np.array([[100.0, 0, 0, 0, 0, 0, 0] * 10])
    rolling = acute_chronic_ratio(once_a_week)[0, 28:]
    ewma = acute_chronic_ratio(once_a_week, method="ewma")[0, 28:]
    np.testing.assert_allclose(rolling, 1.0, rtol=1e-12)
    assert np.max(ewma[-21:]) == pytest.approx(1.68, abs=0.01)  # every session day, settled


def test_monotony_and_strain_follow_foster():
    week = np.array([[300.0, 0, 300, 0, 300, 0, 0], [200.0] * 7])
    monotony, strain = training_monotony(week, 7, cap=10.0)
    mean, sd = week[0].mean(), week[0].std(ddof=1)
    assert monotony[0, -1] == pytest.approx(mean / sd)
    assert strain[0, -1] == pytest.approx(900 * mean / sd)
    assert monotony[1, -1] == 10.0  # identical loads: SD 0, capped
    assert np.all(np.isnan(monotony[:, :6]))


def test_steady_varied_training_raises_no_workload_risk(params):
    events = workload_risks(sessions_of(THREE_A_WEEK * 10), params)
    assert events == []


def test_a_load_spike_escalates_workload_and_injury_risk(params):
    base = THREE_A_WEEK * 5  # 35 days of steady training: ratio 1
    spike = [450.0, 0, 600.0, 0, 750.0, 0, 0]
    days = np.array(base + spike)
    events = workload_risks(sessions_of(days), params)
    check_shape(events)
    ratio = [days[d - 6 : d + 1].mean() / days[d - 27 : d + 1].mean() for d in (37, 39)]
    assert brief(events) == [
        (0, "workload_spike", "moderate", 37 * DAY + 18 * HOUR),  # stamped with the session
        (0, "workload_spike", "high", 39 * DAY + 18 * HOUR),
        (0, "injury", "moderate", 39 * DAY + 18 * HOUR),  # the danger zone alone
    ]
    assert events[0]["value"] == pytest.approx(ratio[0])  # 1.33
    assert events[0]["threshold"] == 1.3
    assert events[1]["value"] == pytest.approx(ratio[1])  # 1.6
    assert events[1]["threshold"] == 1.5
    assert "1.60" in events[1]["message"]
    ewma = workload_risks(sessions_of(days), params, method="ewma")
    assert "exponentially weighted" in ewma[0]["message"]


def test_a_very_high_ratio_is_a_high_injury_risk(params):
    events = workload_risks(sessions_of(THREE_A_WEEK * 5 + [3000.0]), params)
    assert [(e["risk"], e["severity"]) for e in events] == [
        ("workload_spike", "high"),
        ("injury", "high"),
    ]
    assert events[1]["value"] == pytest.approx(2.286, abs=0.001)
    assert events[1]["threshold"] == 2


def test_no_ratio_before_28_days_of_history_even_for_a_huge_spike(params):
    loads = THREE_A_WEEK * 2 + [3000.0] + [0.0] * 5
    assert [e for e in workload_risks(sessions_of(loads), params) if e["risk"] != "injury"] == []
    # ... and history starts at the first session, not at the scenario start
    late = [0.0] * 30 + [300.0] + [0.0] * 6
    assert workload_risks(sessions_of(late), params) == []


def test_monotonous_training_is_a_low_injury_risk_and_worse_with_a_spike(params):
    daily = [200.0] * 10
    events = workload_risks(sessions_of(daily, subject=1), params)
    assert brief(events) == [(1, "injury", "low", 6 * DAY + 18 * HOUR)]
    assert events[0]["value"] == 10.0
    assert events[0]["threshold"] == 2.0
    ramp = [200.0] * 35 + [350.0] * 3 + [600.0] * 3  # monotonous, then spiking
    injury = [e for e in workload_risks(sessions_of(ramp), params) if e["risk"] == "injury"]
    assert [(e["severity"], e["time_s"] // DAY) for e in injury] == [
        ("low", 6),
        ("moderate", 38),  # ratio 1.40 > 1.3 with monotony 2.2
        ("high", 39),  # ratio 1.55 >= 1.5 with monotony 2.3
    ]
    assert "monotonous" in injury[-1]["message"]
    assert injury[-1]["threshold"] == 1.5


@pytest.mark.parametrize(
    ("session", "match"),
    [
        ({"subject": 0, "time_s": 0.0, "load": -1.0}, "load must be >= 0"),
        ({"subject": 2, "time_s": 0.0, "load": 1.0}, "subject must be an integer in 0..1"),
        ({"subject": 0, "time_s": np.nan, "load": 1.0}, "time_s must be finite"),
        ({"subject": 0, "load": 1.0}, "missing 'time_s'"),
        ({"subject": 0, "time_s": -5.0, "load": 1.0}, "before the start"),
        ({"subject": 0, "time_s": 0.0, "load": "heavy"}, "load must be a number"),
    ],
)
def test_bad_sessions_are_rejected(params, session, match):
    with pytest.raises(ScenarioError, match=match):
        workload_risks([session], params)


# ----------------------------------------------------------------------------- overexertion


def lift(t_h, load, failed=False, subject=0, capacity=1000.0):
    return {
        "subject": subject,
        "time_s": t_h * HOUR,
        "load_n": load,
        "capacity_n": capacity,
        "failed": failed,
    }


def test_near_maximal_sets_are_flagged_once_per_session_and_escalate(params):
    sets = [lift(0.0, 800), lift(0.1, 900), lift(0.2, 950), lift(0.3, 1000), lift(0.4, 910)]
    sets += [lift(24.0, 920), lift(24.1, 700, subject=1)]
    events = set_risks(sets, params)
    check_shape(events)
    assert brief(events) == [
        (0, "overexertion", "moderate", 0.1 * HOUR),
        (0, "overexertion", "high", 0.3 * HOUR),
        (0, "overexertion", "moderate", 24 * HOUR),  # a new session
    ]
    assert events[0]["value"] == pytest.approx(0.9)
    assert "90 %" in events[0]["message"]


def test_repeated_sets_to_failure_are_counted_per_session(params):
    sets = [lift(0.1 * k, 600, failed=True) for k in range(6)]
    sets += [lift(30 + 0.1 * k, 600, failed=k % 2 == 0) for k in range(5)]
    events = set_risks(sets, params)
    assert [(e["severity"], e["value"], e["time_s"]) for e in events] == [
        ("moderate", 3.0, pytest.approx(0.2 * HOUR)),
        ("high", 6.0, pytest.approx(0.5 * HOUR)),
        ("moderate", 3.0, pytest.approx(30.4 * HOUR)),
    ]


def test_near_maximal_aerobic_bouts_of_at_least_five_minutes(params):
    bouts = [
        {"subject": 0, "time_s": 0.0, "intensity": 0.95, "duration_s": 120.0},  # an interval
        {"subject": 0, "time_s": DAY, "intensity": 0.95, "duration_s": 600.0},
        {"subject": 0, "time_s": DAY + 900, "intensity": 1.05, "duration_s": 360.0},
        {"subject": 1, "time_s": DAY, "intensity": 0.85, "duration_s": 3600.0},
    ]
    events = aerobic_risks(bouts, params)
    assert brief(events) == [
        (0, "overexertion", "moderate", DAY),
        (0, "overexertion", "high", DAY + 900),
    ]
    assert events[0]["threshold"] == pytest.approx(0.91)
    assert "VO2max" in events[0]["message"]


@pytest.mark.parametrize(
    ("record", "match"),
    [
        (lift(0, -5.0), "load_n >= 0"),
        (lift(0, 500.0, capacity=0.0), "capacity_n > 0"),
        ({**lift(0, 500.0), "failed": "yes"}, "failed must be true or false"),
        (lift(0, 500.0, subject=-1), "subject must be an integer"),
        ({"subject": 0, "time_s": 0.0, "load_n": 500.0}, "missing 'capacity_n'"),
    ],
)
def test_bad_sets_are_rejected(params, record, match):
    with pytest.raises(ScenarioError, match=match):
        set_risks([record], params)


# -------------------------------------------------------------------------------------- fall


def record_of(subject, test, day, value, unit=None):
    record = {"subject": subject, "test": test, "time_s": day * DAY, "value": value}
    return record | ({"unit": unit} if unit else {})


def test_fall_risk_is_the_worst_of_the_latest_results(params):
    records = [
        record_of(0, "gait_speed", 0, 1.1, "m/s"),
        record_of(0, "gait_speed", 30, 95.0, "cm/s"),  # 0.95 m/s: low
        record_of(0, "chair_stand", 60, 16.0, "s"),  # moderate
        record_of(0, "sppb", 90, 5),  # high
        record_of(0, "gait_speed", 120, 1.2),  # better gait, SPPB still 5: no change
        record_of(0, "sppb", 150, 11),
        record_of(0, "chair_stand", 150, 10.0),  # everything normal again
        record_of(0, "gait_speed", 180, 0.7),  # moderate again: a new event
        record_of(1, "tapping", 0, 5.0, "Hz"),  # not a fall test
        record_of(1, "sppb", 10, None),  # not measured
    ]
    events = assessment_risks(records, params)
    check_shape(events)
    assert brief(events) == [
        (0, "fall", "low", 30 * DAY),
        (0, "fall", "moderate", 60 * DAY),
        (0, "fall", "high", 90 * DAY),
        (0, "fall", "moderate", 180 * DAY),
    ]
    assert events[0]["value"] == pytest.approx(0.95)
    assert events[0]["threshold"] == 1.0
    assert events[2]["threshold"] == 6
    assert "SPPB" in events[2]["message"]


def test_sppb_of_nine_and_unable_chair_stands(params):
    records = [record_of(0, "sppb", 0, 9), record_of(1, "chair_stand", 0, float("inf"))]
    events = assessment_risks(records, params)
    assert brief(events) == [(0, "fall", "moderate", 0.0), (1, "fall", "high", 0.0)]
    assert events[1]["value"] == 60.0
    assert "could not be completed" in events[1]["message"]


def test_low_grip_needs_the_subjects_sex(params):
    grip = [
        record_of(0, "grip_strength", 0, 25.0, "kg"),
        {
            "subject": 1,
            "test": "MVC",
            "muscle": "grip",
            "time_s": 0.0,
            "value": 25 * KG_FORCE,
            "unit": "N",
        },  # as assess/mvc.py writes it
    ]
    assert assessment_risks(grip, params) == []
    events = assessment_risks(grip, params, sexes=["male", "female"])
    assert brief(events) == [(0, "fall", "moderate", 0.0)]
    assert events[0]["threshold"] == 27
    assert "men" in events[0]["message"]
    events = assessment_risks(grip, params, sexes=["female", "male"])
    assert [(e["subject"], e["value"]) for e in events] == [(1, pytest.approx(25.0))]


@pytest.mark.parametrize(
    ("record", "sexes", "match"),
    [
        (record_of(0, "gait_speed", 0, -0.5), None, "must be finite and >= 0"),
        (record_of(0, "gait_speed", 0, 1.0, "kg"), None, "does not convert to m/s"),
        (record_of(0, "sppb", 0, "low"), None, "must be a number"),
        (record_of(5, "sppb", 0, 8), None, "subject must be an integer"),
        (record_of(0, "sppb", 0, 8), ["male"], "for each of 2 subjects"),
    ],
)
def test_bad_assessment_records_are_rejected(params, record, sexes, match):
    with pytest.raises(ScenarioError, match=match):
        assessment_risks([record], params, sexes)


# ---------------------------------------------------------------------------------- together


def test_assess_risks_merges_everything_in_time_order(params):
    times = np.arange(6) * 600.0
    glucose = np.vstack([np.full(6, 90.0), [90, 90, 60, 60, 90, 90]])
    events = assess_risks(
        params,
        times=times,
        series={"glucose_plasma": glucose},
        sets=[lift(0.5, 1000.0)],
        bouts=[{"subject": 0, "time_s": 0.0, "intensity": 0.95, "duration_s": 600.0}],
        assessments=[record_of(0, "sppb", 0, 4)],
    )
    check_shape(events)
    assert brief(events) == [
        (0, "overexertion", "moderate", 0.0),
        (0, "fall", "high", 0.0),
        (1, "hypoglycaemia", "moderate", 1200.0),
        (0, "overexertion", "high", 0.5 * HOUR),
    ]
    assert assess_risks(params) == []
    with pytest.raises(ScenarioError, match="without their sample times"):
        assess_risks(params, series={"glucose_plasma": glucose})
