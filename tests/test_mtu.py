"""Muscle–tendon unit: curves against OpenSim 4.6, slopes, equilibrium and stiff stability."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import make_body

from myoaxis.physiology.muscle import activation, curves, mtu
from myoaxis.validation.muscle import OURS, opensim_reference


@pytest.mark.parametrize("name", sorted(OURS))
def test_curve_matches_opensim(name):
    x, y = opensim_reference()[name]
    assert np.allclose(OURS[name](x), y, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    ("pair", "lo", "hi"),
    [
        (curves.active_force_length_slope, 0.4, 1.8),
        (curves.passive_force_length_slope, 0.5, 1.7),
        (curves.force_velocity_slope, -1.0, 1.0),
        (curves.tendon_force_length_slope, 0.99, 1.06),
    ],
)
def test_slopes_match_finite_differences(pair, lo, hi):
    x = np.linspace(lo, hi, 57)
    eps = 1e-6
    numeric = (pair(x + eps)[0] - pair(x - eps)[0]) / (2 * eps)
    assert np.allclose(pair(x)[1], numeric, rtol=1e-5, atol=1e-6)


def test_force_velocity_inverse():
    v = np.linspace(-0.99, 0.99, 41)
    assert np.allclose(curves.force_velocity_inverse(curves.force_velocity(v)), v)


@pytest.fixture
def heads():
    m = make_body().muscle("elbow_extensors")  # pennated heads
    return m


def test_test_posture_puts_fibres_at_optimal_length(heads):
    fiber = mtu.static_fiber_length(heads.mtu, heads.test_length, 1.0)
    assert np.allclose(fiber, 1.0, atol=1e-8)


def test_backward_euler_is_stable_at_zero_activation_with_long_steps(heads):
    """The tendon is stiff at low activation; the implicit step must not blow up."""
    fiber = np.full(heads.test_length.shape, 1.3)
    for h in (1e-4, 1e-2, 1.0):
        x, force = mtu.step(heads.mtu, heads.test_length, 0.0, fiber, h)
        assert np.all(np.isfinite(force))
        assert np.all((x > 0.2) & (x < 1.8))


def test_isometric_force_never_exceeds_the_static_maximum(heads):
    fiber = mtu.static_fiber_length(heads.mtu, heads.test_length, 0.0)
    peak = 0.0
    for _ in range(300):  # 0.3 s of maximal activation from rest
        fiber, f = mtu.step(heads.mtu, heads.test_length, 1.0, fiber, 1e-3)
        peak = max(peak, f.sum())
    assert peak <= heads.max_force[0] * (1 + 1e-9)
    assert f.sum() == pytest.approx(heads.max_force[0], rel=1e-3)


def test_activation_dynamics_rise_faster_than_they_fall():
    up = activation.advance(0.0, 1.0, 0.015, 0.015, 0.060)
    down = 1.0 - activation.advance(1.0, 0.0, 0.015, 0.015, 0.060)
    assert 0 < down < up < 1
