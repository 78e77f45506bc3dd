"""Finger tapping: maximal rate, within-bout decline, paced and maximal bouts, CPG drive."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pytest

from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.physiology.neural import cpg
from myoaxis.physiology.neural import tapping as tp


@cache
def _preset():
    return subject_parameters("healthy_adult", "male", 30.0)


def values(n: int = 1, **override: float):
    def get(name: str, unit: str) -> np.ndarray:
        key = name.rsplit(".", 1)[-1]
        return np.full(n, override[key] if key in override else _preset().value_in(name, unit))

    return get


@pytest.fixture(scope="module")
def params() -> tp.TappingParameters:
    return tp.TappingParameters.from_values(values())


def test_maximal_rate_from_activation_and_movement_times(params):
    # 1 / (2 * 30 ms + ln 2 * (15 + 60 + 15 + 60) ms)
    expected = 1.0 / (2 * 0.030 + np.log(2.0) * 0.150)
    assert tp.maximal_rate(params)[0] == pytest.approx(expected)
    slow = tp.TappingParameters.from_values(values(deactivation_time_constant=0.09))
    assert tp.maximal_rate(slow)[0] < tp.maximal_rate(params)[0]


def test_decline_passes_through_the_published_points(params):
    t = np.array([0.0, 7.9, 8.0, 20.0, 180.0, 1e4])
    r = tp.rate_fraction(params, t)[0]
    np.testing.assert_allclose(r[:3], 1.0)
    assert r[3] == pytest.approx(0.73)  # Rodrigues 2009, end of a 20-s bout
    assert r[4] == pytest.approx(0.60, abs=1e-3)  # -40 % after 3 min (Madinabeitia-Mancebo 2020)
    assert np.all(np.diff(r) <= 0)
    assert params.decline_time[0] == pytest.approx(12.0 / np.log(0.4 / 0.13))


@pytest.mark.parametrize(
    "bad",
    [
        {"decline_floor": 0.8},
        {"decline_floor": 0.0},
        {"decline_reference_fraction": 1.2},
        {"decline_onset": 25.0},
    ],
)
def test_inconsistent_decline_parameters_are_refused(bad):
    with pytest.raises(ParameterError, match="tapping decline parameters"):
        tp.TappingParameters.from_values(values(**bad))


def test_maximal_bout_taps_sit_on_half_cycles_of_the_declining_phase(params):
    bout = tp.maximal_bout(20.0, params)
    taps = bout.tap_times[0, np.isfinite(bout.tap_times[0])]
    assert np.all(np.diff(taps) > 0)
    assert taps[0] > 0.0
    assert taps[-1] <= 20.0
    phase = bout.phase(taps)[0]
    np.testing.assert_allclose(phase, np.arange(taps.size) + 0.5, atol=1e-9)
    assert bout.n_taps[0] == np.floor(bout.phase(np.array([20.0]))[0, 0] + 0.5)
    fmax = tp.maximal_rate(params)[0]
    assert bout.initial_rate(2.0)[0] == pytest.approx(fmax, rel=1e-9)
    assert 0.63 < bout.rate_decline(2.0)[0] < 0.83
    assert bout.final_rate(2.0)[0] < bout.achieved_rate[0] < fmax


def test_short_maximal_bout_does_not_decline(params):
    bout = tp.maximal_bout(6.0, params)
    assert bout.rate_decline(2.0)[0] == pytest.approx(1.0, rel=1e-9)


def test_paced_bout_taps_on_the_beats(params):
    bout = tp.paced_bout(2.0, 30.0, params)
    assert bout.n_taps[0] == 60
    np.testing.assert_allclose(bout.tap_times[0, :3], [0.25, 0.75, 1.25])
    assert bout.achieved_rate[0] == pytest.approx(2.0)
    assert bout.rate_decline(2.0)[0] == pytest.approx(1.0)


@pytest.mark.parametrize("rate", [6.5, 20.0])
def test_paced_rate_above_the_maximal_rate_is_refused(params, rate):
    where = f"step 'Tap index at {rate:g} Hz for 30 s'"
    with pytest.raises(ScenarioError, match=r"exceeds the maximal tapping rate") as err:
        tp.paced_bout(rate, 30.0, params, where=where)
    assert str(err.value).startswith(f"{where}: paced tapping at {rate:g} Hz")


def test_bad_rate_or_duration_is_refused(params):
    with pytest.raises(ScenarioError, match="positive"):
        tp.paced_bout(0.0, 10.0, params)
    with pytest.raises(ScenarioError, match="duration must be positive"):
        tp.maximal_bout(0.0, params)


def test_each_subject_of_a_batch_taps_as_it_would_alone():
    fast = tp.TappingParameters.from_values(values())
    slow = tp.TappingParameters.from_values(values(movement_time=0.06))
    both = tp.TappingParameters(
        *(np.concatenate([getattr(fast, f), getattr(slow, f)]) for f in fast.__dataclass_fields__)
    )
    batch = tp.maximal_bout(20.0, both)
    for i, single in enumerate((fast, slow)):
        alone = tp.maximal_bout(20.0, single)
        n = alone.n_taps[0]
        assert batch.n_taps[i] == n
        np.testing.assert_allclose(batch.tap_times[i, :n], alone.tap_times[0, :n], rtol=1e-12)
        assert np.all(np.isnan(batch.tap_times[i, n:]))
    assert batch.n_taps[1] < batch.n_taps[0]


def test_drive_bursts_once_per_tap(params):
    numerics = cpg.CPGNumerics.from_values(values())
    cycle = cpg.limit_cycle(cpg.MatsuokaParameters.from_values(values()), numerics)
    t = np.arange(0.0, 20.0, 1e-3)
    for bout in (tp.paced_bout(3.0, 20.0, params), tp.maximal_bout(20.0, params)):
        d = bout.drive(cycle, t)
        assert d.shape == (1, 2, t.size)
        assert d.min() >= 0.0
        assert d.max() <= 1.0 + 1e-12
        diff = d[0, 0] - d[0, 1]
        bursts = np.count_nonzero((diff[:-1] < 0) & (diff[1:] >= 0))  # extensor -> flexor
        assert abs(bursts - bout.n_taps[0]) <= 1
        # each tap falls at the end of a flexor burst: extensor dominant just after it
        after = np.searchsorted(t, bout.tap_times[0, : bout.n_taps[0]] + 0.01)
        after = after[after < t.size]
        assert np.all(diff[after] < 0)


def test_tapping_test_counts_taps_in_the_trial(params):
    result = tp.tapping_test(params, 10.0)
    assert result.taps[0] == tp.maximal_bout(10.0, params).n_taps[0]
    assert result.rate[0] == pytest.approx(result.taps[0] / 10.0)
    assert 5.0 <= result.rate[0] <= 7.0
    weaker = replace(params, movement_time=params.movement_time * 2)
    assert tp.tapping_test(weaker, 10.0).taps[0] < result.taps[0]
