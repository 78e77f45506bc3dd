"""Premotor preparation (LATER) and the simple reaction-time test."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy import stats

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import ParameterError, ScenarioError, SimulationError
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.physiology.neural import premotor
from myoaxis.physiology.neural.premotor import (
    PremotorParameters,
    ReactionTimeProtocol,
    ReactionTimeTest,
)


def _body(n: int = 3, **overrides) -> Body:
    p = subject_parameters("healthy_adult", "female", 35, overrides=overrides)
    return Body([p] * n, np.full(n, 65.0))


def _params(n: int = 3, ages=35.0, **overrides) -> PremotorParameters:
    return PremotorParameters.from_values(_body(n, **overrides).values, ages)


def _rng(n: int, seed: int = 3) -> SubjectRNG:
    return SubjectRNG(subject_streams(seed, n))


def test_reciprocal_of_decision_time_is_normal_with_the_rate_moments():
    p = _params(1)
    rt = premotor.reaction_times(p, 20000, _rng(1))[0]
    finite = rt[np.isfinite(rt)]
    inv = 1.0 / (finite - p.non_decision_time[0])
    # P(rate <= 0) is 4e-4 here, so the missing trials barely truncate the normal
    assert np.mean(inv) == pytest.approx(p.rate_mean[0], rel=0.01)
    assert np.std(inv) == pytest.approx(p.rate_sd[0], rel=0.03)
    assert stats.kstest(inv, "norm", args=(p.rate_mean[0], p.rate_sd[0])).pvalue > 0.01
    # while the latencies themselves are right-skewed
    assert stats.skew(finite) > 1.0


def test_cdf_matches_the_samples_and_the_median_is_exact():
    p = _params(2)
    rt = premotor.reaction_times(p, 40000, _rng(2))
    t = np.array([0.18, 0.2, 0.22, 0.26, 0.35])
    empirical = (rt[:, :, None] <= t).mean(axis=1)
    np.testing.assert_allclose(premotor.reaction_time_cdf(p, t), empirical, atol=0.01)
    np.testing.assert_allclose(np.median(rt, axis=1), p.median_reaction_time, rtol=0.005)
    assert premotor.reaction_time_cdf(p, np.array([p.non_decision_time[0]]))[0, 0] == 0.0


def test_healthy_median_in_the_normative_range_and_components_add_up():
    p = _params(1)
    assert 0.19 < p.median_reaction_time[0] < 0.23  # 213 ms mean, Woods et al. 2015
    assert p.non_decision_time[0] == pytest.approx(0.075 + 0.0195 + 0.0539)


def test_more_trials_give_a_more_stable_score():
    n = 60
    p = _params(n)
    few = ReactionTimeProtocol(trials=5, min_valid=0.1, max_valid=1.0, statistic="median")
    many = replace(few, trials=200)
    spread_few = np.std(premotor.reaction_time_test(p, few, _rng(n)).score)
    spread_many = np.std(premotor.reaction_time_test(p, many, _rng(n)).score)
    assert spread_many < 0.35 * spread_few
    assert np.mean(premotor.reaction_time_test(p, many, _rng(n)).score) == pytest.approx(
        p.median_reaction_time[0], rel=0.01
    )


def test_a_subject_gets_the_same_trials_in_any_batch():
    p3 = _params(3)
    big = premotor.reaction_times(p3, 25, _rng(3, seed=9))
    streams = subject_streams(9, 3)
    alone = premotor.reaction_times(_params(1), 25, SubjectRNG([streams[1]]))
    np.testing.assert_array_equal(big[1], alone[0])
    np.testing.assert_array_equal(big, premotor.reaction_times(p3, 25, _rng(3, seed=9)))


def test_lower_slope_and_age_lengthen_reaction_time():
    base = _params(1)
    slow = _params(1, **{"premotor.slope_factor": 0.7})
    old = _params(1, ages=65.0)
    assert slow.median_reaction_time[0] > base.median_reaction_time[0] + 0.02
    assert old.median_reaction_time[0] - base.median_reaction_time[0] == pytest.approx(30 * 0.00055)
    # the rate SD is kept, so a shallower slope is also more variable
    t = ReactionTimeProtocol(trials=400, min_valid=0.1, max_valid=1.0)
    assert (
        premotor.reaction_time_test(slow, t, _rng(1)).sd[0]
        > 1.5 * premotor.reaction_time_test(base, t, _rng(1)).sd[0]
    )


def test_preparation_trace_rises_from_the_afferent_delay_to_threshold():
    p = _params(2)
    times = np.array([0.0, 0.07, 0.1, 0.2, 0.5])
    trace = premotor.preparation_trace(p, times, np.array([10.0, 20.0]))
    np.testing.assert_allclose(trace[:, :2], 0.0)
    np.testing.assert_allclose(trace[:, 2], [0.25, 0.5])
    np.testing.assert_allclose(trace[:, 3:], 1.0)
    crossing = p.afferent_delay + p.threshold / p.rate_mean
    assert premotor.preparation_trace(p, crossing[:1] - 1e-6)[0, 0] < 1.0
    assert premotor.preparation_trace(p, crossing[:1])[0, 0] == pytest.approx(1.0)


def test_test_summary_excludes_anticipations_and_lapses():
    times = np.array([[0.05, 0.2, 0.3, np.inf, 1.5], [0.2, 0.2, 0.2, 0.2, 0.5]])
    pr = ReactionTimeProtocol(trials=5, min_valid=0.1, max_valid=1.0)
    test = ReactionTimeTest(times, pr)
    np.testing.assert_array_equal(test.anticipations, [1, 0])
    np.testing.assert_array_equal(test.lapses, [2, 0])
    np.testing.assert_allclose(test.score, [0.25, 0.26])
    np.testing.assert_allclose(
        ReactionTimeTest(times, replace(pr, statistic="median")).score, [0.25, 0.2]
    )
    assert np.isnan(ReactionTimeTest(np.full((1, 5), np.inf), pr).score[0])


def test_protocol_defaults_from_parameters():
    pr = ReactionTimeProtocol.from_values(_body(2).values)
    assert (pr.trials, pr.min_valid, pr.max_valid, pr.statistic) == (20, 0.1, 1.0, "mean")


def test_bad_input_is_refused_clearly():
    with pytest.raises(ScenarioError, match="statistic"):
        ReactionTimeProtocol(trials=20, min_valid=0.1, max_valid=1.0, statistic="mode")
    with pytest.raises(ScenarioError, match="positive integer"):
        premotor.reaction_times(_params(1), 0, _rng(1))
    with pytest.raises(ParameterError, match="min_valid"):
        ReactionTimeProtocol(trials=20, min_valid=1.0, max_valid=0.5)
    with pytest.raises(ParameterError, match="positive"):
        _params(1, **{"premotor.slope_factor": 0.0})
    with pytest.raises(ParameterError, match=">= 0"):
        _params(1, ages=-400.0)
    with pytest.raises(SimulationError, match="streams"):
        premotor.reaction_times(_params(2), 5, _rng(3))


def test_assess_reaction_time_step_records_a_slower_me_cfs_mean():
    import myoaxis as mx

    def run(conditions):
        scenario = mx.Scenario.from_dict(
            {
                "seed": 8,
                "subject": {"conditions": conditions},
                "protocol": [{"step": "Assess reaction_time"}],
            }
        )
        (record,) = mx.Simulation(scenario).run().assessments
        return record

    healthy, ill = run([]), run(["me_cfs"])
    assert healthy["test"] == "reaction_time"
    assert healthy["unit"] == "ms"
    assert 150 < healthy["value"] < 300
    assert healthy["valid_trials"] + healthy["anticipations"] + healthy["lapses"] == 20
    assert ill["value"] > healthy["value"]
