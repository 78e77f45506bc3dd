"""Fuglevand pool kernel: exact twitches, size principle, determinism across batch sizes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import make_body, rng_for

from myoaxis.physiology.neural import motor_pool


def props(n=1):
    return make_body(n).muscle("grip").pool


def run(p, u, seconds, seed, h=1e-3):
    state = motor_pool.PoolState.rest(p)
    rng = rng_for(seed, p.threshold.shape[0])
    out = []
    for k in range(round(seconds / h)):
        f, _ = motor_pool.advance(state, p, u, k * h, h, rng)
        out.append(f)
    return np.stack(out, axis=1)


@pytest.mark.parametrize("h", [1e-4, 1e-3, 4e-3])
def test_single_twitch_is_exact_at_any_step(h):
    """One spike at recruitment (t = 0): force equals g P t/T e^(1 - t/T) at every sample
    (fatigue switched off: it would shrink the twitch as the unit works)."""
    p = dataclasses.replace(props(), fatigue_rate=np.zeros_like(props().fatigue_rate))
    u = p.threshold[0, 0] / p.e_max[0, 0] * 1.0001  # only the first unit is recruited
    state = motor_pool.PoolState.rest(p)
    n = int(0.02 / h)  # 20 ms: well before the second spike (ISI >= 27 ms at 8 Hz, CV 0.2)
    force, spikes = motor_pool.advance(state, p, np.full((1, n), u), 0.0, h, rng_for(3))
    t = np.arange(1, n + 1) * h
    tp, ct = p.twitch_peak[0, 0], p.contraction_time[0, 0]
    g = motor_pool.fusion_gain(ct * motor_pool.firing_rate(p, np.array([u]))[0, 0])
    assert spikes.sum() == 1
    assert np.allclose(force[0], g * tp * t / ct * np.exp(1 - t / ct), rtol=1e-9, atol=0)


def test_recruitment_is_by_size():
    p = props()
    u = np.linspace(0, 1, 101)
    counts = [motor_pool.recruited_fraction(p, np.array([x]))[0] for x in u]
    assert np.all(np.diff(counts) >= 0)
    assert np.all(np.diff(p.threshold[0]) > 0)
    assert np.all(np.diff(p.twitch_peak[0]) > 0)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1))
def test_steady_force_is_monotone_and_bounded(u1, u2):
    p = props()
    lo, hi = sorted((u1, u2))
    f_lo, f_hi = (motor_pool.steady_force(p, np.array([x]))[0] for x in (lo, hi))
    assert 0.0 <= f_lo <= f_hi <= 1.0 + 1e-12


def test_maximal_mean_force_is_one():
    p = props()
    assert motor_pool.steady_force(p, np.array([1.0]))[0] == pytest.approx(1.0)
    force = run(p, np.array([1.0]), 3.0, seed=5)[0, 1000:]
    assert abs(force.mean() - 1.0) < 0.02  # spiking pool's mean matches the mean field
    assert force.min() >= 0.0


def test_subject_result_does_not_depend_on_batch_size():
    single = run(props(1), np.array([0.5]), 1.0, seed=42)
    batch = run(props(3), np.array([0.5, 0.5, 0.5]), 1.0, seed=42)
    # subject 0 of a batch of three draws from the same child stream as a batch of one
    assert np.array_equal(single[0], batch[0])
    assert not np.array_equal(batch[0], batch[1])  # and subjects differ from each other


def test_isi_cv_must_keep_intervals_positive():
    from myoaxis.core.errors import ParameterError

    p = make_body().muscle("grip")
    with pytest.raises(ParameterError, match="isi_cv"):
        motor_pool.PoolParameters(
            n_units=10,
            recruitment_range=np.array([[30.0]]),
            min_rate=np.array([[8.0]]),
            peak_rate_first=np.array([[35.0]]),
            peak_rate_last=np.array([[25.0]]),
            rate_gain=np.array([[1.0]]),
            twitch_force_range=np.array([[100.0]]),
            contraction_time_longest=np.array([[0.09]]),
            contraction_time_range=np.array([[3.0]]),
            isi_cv=np.array([[0.3]]),
        )
    assert p.pool.n_units == 120
