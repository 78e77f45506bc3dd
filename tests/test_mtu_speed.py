"""The compiled muscle–tendon step: the documented equilibrium, recorded values, broadcasting.

The recorded values were made with the NumPy Newton iteration that the numba kernel replaced,
run to ``tol=1e-13`` (its default ``1e-9`` left up to ~2e-9 relative error in the force).
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from tests.conftest import make_body

from myoaxis.core.errors import SimulationError
from myoaxis.physiology.muscle import curves, mtu


@pytest.fixture
def p() -> mtu.MTUParameters:
    """Two subjects x two heads, one unpennated, with De Groote (2016) defaults."""
    return mtu.MTUParameters(
        max_isometric_force=np.array([[1000.0, 600.0], [1200.0, 500.0]]),
        optimal_fiber_length=np.array([[0.06, 0.10], [0.05, 0.12]]),
        tendon_slack_length=np.array([[0.25, 0.10], [0.20, 0.15]]),
        pennation_at_optimal=np.array([[0.0, 0.2], [0.15, 0.3]]),
        max_contraction_velocity=np.full((2, 2), 10.0),
        tendon_strain_at_one=np.full((2, 2), 0.049),
        passive_strain_at_one=np.full((2, 2), 0.6),
        fiber_damping=np.full((2, 2), 0.01),
    )


def residual(p, l_mt, a, x, l_old, h):
    """Fibre force along the tendon minus tendon force (normalised), from ``curves``."""
    v = (x - l_old) / (h * p.max_contraction_velocity)
    fiber = (
        a * curves.active_force_length(x) * curves.force_velocity(v)
        + curves.passive_force_length(x, p.passive_strain_at_one)
        + p.fiber_damping * v
    )
    return fiber * mtu.cos_pennation(p, x) - mtu.tendon_force(p, l_mt, x)


CASES = [  # (a, previous fibre length, h, recorded fibre length, recorded force N)
    (
        [[0.3], [0.8]],
        [[1.0, 0.9], [1.1, 1.0]],
        5e-3,
        [[1.0518039106868287, 0.9158273424357313], [1.1045164609715539, 1.0027604688736114]],
        [[573.1893746219228, 252.37036265063608], [1117.7225154522976, 438.8534935939381]],
    ),
    (
        [[1.0], [0.0]],
        [[1.2, 0.8], [0.7, 1.3]],
        1e-3,
        [[1.1891535332190557, 0.8790184177048506], [1.1560356187478846, 1.105079557561722]],
        [[31.631688306055754, 1360.4846245684248], [604.227062602932, -76.17239460901038]],
    ),
    (
        [[0.05], [0.5]],
        [[0.6, 1.5], [1.0, 0.9]],
        1.0,
        [[1.1588422600129709, 0.9399031227469945], [1.1563992637541909, 1.016315135996975]],
        [[102.22120763813014, 31.201885320219237], [601.4015917590423, 255.9393244788274]],
    ),
]


@pytest.mark.parametrize(("a", "l_old", "h", "x_ref", "f_ref"), CASES)
def test_step_matches_recorded_equilibrium(p, a, l_old, h, x_ref, f_ref):
    l_mt = mtu.mtu_length_at(p, np.array([[1.0, 0.9], [1.1, 1.0]]))
    x, f = mtu.step(p, l_mt, np.array(a), np.array(l_old), h)
    assert np.allclose(x, x_ref, rtol=1e-10, atol=0)
    assert np.allclose(f, f_ref, rtol=1e-10, atol=0)


@pytest.mark.parametrize("h", [1e-4, 1e-3, 5e-3, 0.1, 1.0, 1e3])
def test_step_solves_the_documented_equilibrium(h):
    """Near equilibrium (as in a bout) and far from it (a long step from anywhere)."""
    rng = np.random.default_rng(7)
    m = make_body(200).muscle("elbow_extensors")  # three pennated heads
    q = m.mtu
    a = rng.uniform(0.0, 1.0, (200, 1))
    l_mt = m.test_length * rng.uniform(0.99, 1.01, m.test_length.shape)
    near = mtu.static_fiber_length(q, l_mt, np.clip(a + rng.normal(0, 0.1, a.shape), 0, 1))
    far = rng.uniform(0.6, 1.4, near.shape)
    for l_old in (near, far) if h >= 5e-3 else (near,):
        x, f = mtu.step(q, l_mt, a, l_old, h)
        assert np.all(np.abs(residual(q, l_mt, a, x, l_old, h)) < 1e-12)
        assert np.allclose(f, mtu.tendon_force(q, l_mt, x) * q.max_isometric_force, rtol=1e-14)


def test_step_broadcasts_like_numpy(p):
    l_mt = mtu.mtu_length_at(p, np.ones((2, 2)))
    x, f = mtu.step(p, l_mt, 0.4, np.ones((2, 2)), 5e-3)
    x_full, f_full = mtu.step(p, l_mt, np.full((2, 2), 0.4), np.ones((2, 2)), np.full((2, 2), 5e-3))
    assert x.shape == f.shape == (2, 2)
    assert np.array_equal(x, x_full)
    assert np.array_equal(f, f_full)
    x_row, _f = mtu.step(p, l_mt[:1], 0.4, np.ones(2), 5e-3)  # l_mt of subject 0 for both
    assert x_row.shape == (2, 2)
    assert np.array_equal(x_row[0], x_full[0])
    with pytest.raises(SimulationError, match="subjects, heads"):
        mtu.step(p, l_mt, np.full((2, 2, 1), 0.4), 1.0, 5e-3)
    with pytest.raises(SimulationError, match="do not broadcast"):
        mtu.step(p, l_mt, np.full((3, 1), 0.4), 1.0, 5e-3)


def test_each_head_converges_on_its_own(p):
    """One hard head (a long step from far away) must not make the others iterate: the cost
    of a batch is its heads' own iterations, not the slowest head's times the batch."""
    q = mtu.MTUParameters(*(np.tile(getattr(p, f), (1000, 1)) for f in p.__dataclass_fields__))
    l_mt = mtu.mtu_length_at(q, np.ones((2000, 2)))  # 4000 heads
    start = mtu.static_fiber_length(q, l_mt, 0.3)

    def best(l_old):
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            mtu.step(q, l_mt, 0.3, l_old, 5e-3)
            times.append(time.perf_counter() - t0)
        return min(times)

    easy = best(start)
    hard = start.copy()
    hard[0] = 1.7  # far from its root: bisection and Newton from the edge of the bracket
    assert best(hard) < easy * 1.5 + 2e-4  # NumPy's batch-wide iteration: ~10x
    assert easy < 0.02  # ~0.5 ms compiled
