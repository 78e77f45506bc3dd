"""Short-latency stretch reflex: delay line, gains, references and batching."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis.conditions import base_parameters
from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.physiology.neural import reflex

H = 1e-3


def params(**values) -> reflex.ReflexParameters:
    base = base_parameters()
    return reflex.ReflexParameters.from_parameters(
        base.with_values(values, "test") if values else base
    )


def run(p, series, relative=True):
    """Reflex increments for ``series`` (T, S, 3) of (ia, ib, ia_antagonist) rates."""
    state = reflex.start(p, H, *series[0].T, relative=relative)
    return np.array([reflex.step(state, p, *x.T) for x in series[1:]])


def impulse(n_steps, n_subjects, channel, at, size=100.0, base=(20.0, 50.0, 10.0)):
    series = np.broadcast_to(np.array(base), (n_steps, n_subjects, 3)).copy()
    series[at, :, channel] += size
    return series


def test_defaults_and_lags():
    p = params()
    assert p.loop_delay[0] == pytest.approx(0.015)
    mono, di = p.lags(H)
    assert mono.tolist() == [15]
    assert di.tolist() == [16]


def test_delay_line_delays_exactly():
    """An Ia impulse at step k comes out exactly ``loop_delay / h`` steps later, scaled by the
    Ia gain; Ib and antagonist Ia impulses one synaptic delay later, with inhibitory sign."""
    p = params()
    mono, di = (int(x[0]) for x in p.lags(H))
    at = 30
    for channel, lag, gain in (
        (0, mono, p.ia_gain[0]),
        (1, di, -p.ib_gain[0]),
        (2, di, -p.reciprocal_gain[0]),
    ):
        out = run(p, impulse(100, 1, channel, at))[:, 0]
        expected = np.zeros(99)
        expected[at + lag - 1] = 100.0 * gain  # out[k] answers the input pushed at step k + 1
        np.testing.assert_allclose(out, expected, atol=1e-15)


def test_each_subject_has_its_own_delay():
    base = base_parameters()
    p = reflex.ReflexParameters.from_parameters(
        [base, base.with_values({"reflex.loop_delay": 25.0}, "test")]
    )
    out = run(p, impulse(80, 2, 0, 10))
    assert np.flatnonzero(out[:, 0]).tolist() == [10 + 15 - 1]
    assert np.flatnonzero(out[:, 1]).tolist() == [10 + 25 - 1]


def test_constant_rates_add_nothing_in_relative_mode():
    p = params()
    series = np.broadcast_to(np.array([40.0, 80.0, 15.0]), (60, 3, 3))
    np.testing.assert_array_equal(run(p, series), 0.0)
    absolute = run(p, series, relative=False)
    expected = 40.0 * p.ia_gain - 80.0 * p.ib_gain - 15.0 * p.reciprocal_gain
    np.testing.assert_allclose(absolute, expected[0])


def test_rates_before_the_delay_are_the_starting_ones():
    """The line starts full of the starting rates: a step change in Ia acts only after the
    delay, then persists."""
    p = params()
    series = np.broadcast_to(np.array([20.0, 0.0, 0.0]), (50, 1, 3)).copy()
    series[5:, 0, 0] = 70.0
    out = run(p, series)[:, 0]
    first = 5 + 15 - 1
    np.testing.assert_array_equal(out[:first], 0.0)
    np.testing.assert_allclose(out[first:], 50.0 * p.ia_gain[0])


def test_antagonist_stretch_inhibits():
    p = params()
    series = impulse(60, 1, 2, 10, size=50.0)
    series[10:, 0, 2] += 50.0  # antagonist Ia stays up
    out = run(p, series)[:, 0]
    assert out.min() < 0.0
    assert out.max() == 0.0


def test_batched_equals_per_subject():
    base = base_parameters()
    sets = [
        base,
        base.with_values({"reflex.ia_gain": 0.002, "reflex.disynaptic_delay": 3.0}, "test"),
        base.with_values({"reflex.ib_gain": 0.001, "reflex.loop_delay": 22.0}, "test"),
    ]
    rng = np.random.default_rng(3)
    series = 50.0 + 20.0 * rng.standard_normal((120, 3, 3))
    both = run(reflex.ReflexParameters.from_parameters(sets), series)
    for s, one in enumerate(sets):
        single = run(reflex.ReflexParameters.from_parameters(one), series[:, s : s + 1])
        np.testing.assert_allclose(both[:, s : s + 1], single, rtol=1e-14)


def test_delay_line_keeps_only_what_it_needs():
    line = reflex.DelayLine.filled(np.zeros((2, 3)), 4)
    assert line.buffer.shape == (5, 2, 3)
    for k in range(1, 8):
        line.push(np.full((2, 3), float(k)))
        np.testing.assert_array_equal(line.read(np.array([0, 4]), [1]), [[k], [max(k - 4, 0)]])


def test_bad_reflex_input_is_reported():
    p = params()
    with pytest.raises(SimulationError, match="time step"):
        reflex.start(p, 0.0, np.ones(2), np.ones(2), np.ones(2))
    state = reflex.start(p, H, np.ones(2), np.ones(2), np.ones(2))
    with pytest.raises(SimulationError, match="subjects"):
        reflex.step(state, p, np.ones(3), np.ones(3), np.ones(3))
    with pytest.raises(SimulationError, match="finite"):
        reflex.step(state, p, np.array([1.0, np.nan]), np.ones(2), np.ones(2))
    with pytest.raises(SimulationError, match="population"):
        reflex.start(p, H, np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ParameterError, match="ia_gain"):
        params(**{"reflex.ia_gain": -1.0})
    two = reflex.ReflexParameters.from_parameters([base_parameters()] * 2)
    with pytest.raises(SimulationError, match="2 subjects' parameters for 3"):
        reflex.start(two, H, np.ones(3), np.ones(3), np.ones(3))
