"""Performance models in the slow layer: the ODE against the closed-form Banister and Busso sums,
rest, superposition, Busso's session-time fatigue gain, training loads, bad input and
non-negativity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.equations import Model
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.physiology.adaptation import performance as perf
from myoaxis.slow import SlowLayer

DAY = 86400.0
PERIOD = 6 * 3600.0

BUSSO = {  # the shipped defaults, in days
    "fitness_gain": 3.05e-4,
    "fatigue_gain": 0.0,
    "fatigue_sensitivity": 9.15e-7,
    "fitness_time": 30.8,
    "fatigue_time": 16.8,
    "sensitivity_time": 2.3,
}
BANISTER = {"fitness_gain": 1.0, "fatigue_gain": 2.0, "fitness_time": 42.0, "fatigue_time": 7.0}
BANISTER_LAYER = {**BANISTER, "fatigue_sensitivity": 0.0, "sensitivity_time": 1.0}
MIXED = {  # a fixed and a variable part of k2 at once, other time constants
    "fitness_gain": 0.002,
    "fatigue_gain": 0.003,
    "fatigue_sensitivity": 2e-5,
    "fitness_time": 45.0,
    "fatigue_time": 9.0,
    "sensitivity_time": 4.0,
}
_NAMES = {
    "fitness_gain": ("performance.fitness_gain", ""),
    "fatigue_gain": ("performance.fatigue_gain", ""),
    "fatigue_sensitivity": ("performance.fatigue_sensitivity", ""),
    "fitness_time": ("performance.fitness_time", " day"),
    "fatigue_time": ("performance.fatigue_time", " day"),
    "sensitivity_time": ("performance.fatigue_sensitivity_time", " day"),
}


def overrides(values: dict[str, float]) -> dict[str, str]:
    return {_NAMES[k][0]: f"{v}{_NAMES[k][1]}" for k, v in values.items()}


def layer(parameter_sets: list[dict[str, float]], period: float = PERIOD) -> SlowLayer:
    params = [
        subject_parameters("healthy_adult", "female", 40.0, overrides=overrides(p))
        for p in parameter_sets
    ]
    return SlowLayer(Body(params, np.full(len(params), 65.0), 40.0), period, perf.COMPONENTS)


def run(slow: SlowLayer, days: np.ndarray, loads: np.ndarray, end: float) -> None:
    for k, day in enumerate(days):
        slow.advance(float(day) * DAY - slow.t)
        perf.add_session(slow, loads[:, k])
    slow.advance(float(end) * DAY - slow.t)


def series(slow: SlowLayer) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    times, values = slow.series()
    names = [v.name for v in (*slow.model.states, *slow.model.assignments)]
    return times / DAY, dict(zip(names, values, strict=True))


def closed_form(parameter_sets, times, days, loads) -> perf.ImpulseResponse:
    stacked = {k: np.array([p[k] for p in parameter_sets]) for k in _NAMES}
    return perf.busso_response(times, days, loads, **stacked)


def assert_close(ode: np.ndarray, reference: np.ndarray) -> None:
    np.testing.assert_allclose(ode, reference, rtol=1e-6, atol=1e-6 * np.abs(reference).max())


def test_the_ode_reproduces_the_closed_form_sums():
    rng = np.random.default_rng(6)
    days = np.sort(rng.choice(np.arange(0.0, 70.0, 0.5), size=45, replace=False))
    sets = [BUSSO, BANISTER_LAYER, MIXED]
    loads = rng.uniform(20.0, 160.0, size=(len(sets), days.size))
    loads[1] /= 100.0  # Banister's unit gains want loads of order 1
    slow = layer(sets)
    run(slow, days, loads, 100.0)
    times, ode = series(slow)
    ref = closed_form(sets, times, days, loads)
    assert_close(ode[perf.FITNESS], ref.fitness)
    assert_close(ode[perf.FATIGUE_LOAD], ref.fatigue_load)
    assert_close(ode[perf.FATIGUE], ref.fatigue)
    assert_close(ode[perf.FATIGUE_GAIN], ref.fatigue_gain)
    assert_close(ode[perf.PERFORMANCE_INDEX], ref.performance)
    np.testing.assert_allclose(ode[perf.BALANCE], ode[perf.PERFORMANCE_INDEX] - 1.0, atol=1e-12)
    # the closed form is Busso's: k2 of each session counts that session and the earlier ones
    assert ref.performance[0].max() > 1.1
    assert ref.performance[1].min() < 0.0


def test_without_training_performance_stays_at_the_baseline():
    slow = layer([BUSSO, BANISTER_LAYER])
    Model(perf.COMPONENTS)  # the unit check passes
    slow.advance(30 * DAY)
    run(slow, np.array([31.0, 33.0]), np.zeros((2, 2)), 60.0)
    _, ode = series(slow)
    for name in (perf.FITNESS, perf.FATIGUE_LOAD, perf.FATIGUE):
        assert np.all(ode[name] == 0.0)
    assert np.all(ode[perf.PERFORMANCE_INDEX] == 1.0)


def test_banister_responses_superpose_and_busso_fatigue_compounds():
    days_a, days_b = np.array([0.0, 3.0, 9.0]), np.array([1.0, 5.0])
    both = np.sort(np.concatenate([days_a, days_b]))
    runs = {}
    for label, days in (("a", days_a), ("b", days_b), ("ab", both)):
        slow = layer([BANISTER_LAYER, BUSSO])
        run(slow, days, np.tile([[0.7], [90.0]], days.size), 30.0)
        runs[label] = series(slow)[1]
    linear = runs["a"][perf.PERFORMANCE_INDEX] + runs["b"][perf.PERFORMANCE_INDEX] - 1.0
    assert_close(runs["ab"][perf.PERFORMANCE_INDEX][0], linear[0])
    assert_close(runs["ab"][perf.FITNESS], runs["a"][perf.FITNESS] + runs["b"][perf.FITNESS])
    # Busso: sessions close together make more fatigue together than apart
    apart = runs["a"][perf.FATIGUE][1, -1] + runs["b"][perf.FATIGUE][1, -1]
    assert runs["ab"][perf.FATIGUE][1, -1] > 1.3 * apart


def test_a_session_adds_fatigue_with_the_gain_that_counts_it():
    slow = layer([BUSSO, MIXED], period=DAY)
    w = np.array([80.0, 50.0])
    perf.add_session(slow, w)
    expected = (
        np.array([0.0, MIXED["fatigue_gain"]])
        + np.array([BUSSO["fatigue_sensitivity"], MIXED["fatigue_sensitivity"]]) * w
    )
    np.testing.assert_allclose(slow.state(perf.FATIGUE), expected * w, rtol=1e-12)
    slow.advance(DAY)
    k2_before = slow.value(perf.FATIGUE_GAIN)
    fatigue_before = slow.state(perf.FATIGUE)
    perf.add_session(slow, w)
    added = slow.state(perf.FATIGUE) - fatigue_before
    sensitivity = np.array([BUSSO["fatigue_sensitivity"], MIXED["fatigue_sensitivity"]])
    np.testing.assert_allclose(added, (k2_before + sensitivity * w) * w, rtol=1e-12)


def test_banister_single_session_times_match_the_closed_form():
    k1, k2, tau1, tau2 = 1.0, 2.0, 42.0, 7.0
    cross = perf.banister_crossing_time(k1, k2, tau1, tau2)
    peak = perf.banister_peak_time(k1, k2, tau1, tau2)
    assert cross == pytest.approx(5.822, abs=1e-3)
    assert peak == pytest.approx(20.873, abs=1e-3)
    t = np.array([cross, peak - 1e-3, peak, peak + 1e-3])
    r = perf.banister_response(
        t, [0.0], [1.0], fitness_gain=k1, fatigue_gain=k2, fitness_time=tau1, fatigue_time=tau2
    )
    net = r.performance[0] - 1.0
    assert net[0] == pytest.approx(0.0, abs=1e-12)
    assert net[2] > net[1]
    assert net[2] > net[3]


def test_the_variable_model_has_an_inverted_u_and_the_fixed_one_does_not():
    days = np.arange(28.0)
    busso = perf.busso_optimal_scale(28.0, days, np.ones(28), **BUSSO)
    fixed = perf.busso_optimal_scale(
        28.0, days, np.ones(28), **{**BANISTER, "fatigue_sensitivity": 0.0, "sensitivity_time": 1}
    )
    assert np.isfinite(busso[0])
    assert busso[0] > 0
    assert fixed[0] == np.inf
    loads = busso[0] * np.array([[0.5], [1.0], [1.5], [2.0], [2.5]]) * np.ones(28)
    p = perf.busso_response([28.0], days, loads, **BUSSO).performance[:, 0]
    assert p[1] > p[0]
    assert p[1] > p[2] > p[3]
    assert p[3] == pytest.approx(1.0, abs=1e-9)
    assert p[4] < 1.0  # overload: worse than untrained


def test_training_loads():
    # published worked examples (load-monitoring calculators): 60 min at 74 % of the heart-rate
    # reserve, about 118; 45 min at HR 150 (rest 60, max 190), 75.36 with rounded factors
    assert perf.banister_trimp(60, 0.74, "male") == pytest.approx(118, abs=0.5)
    assert perf.banister_trimp(45, 90 / 130, "male") == pytest.approx(75.36, abs=0.05)
    female = perf.banister_trimp(60, 0.74, "female")
    assert female == pytest.approx(60 * 0.74 * 0.86 * np.exp(1.67 * 0.74))
    np.testing.assert_allclose(
        perf.banister_trimp(np.array([60, 60]), 0.74, np.array(["male", "female"])),
        [perf.banister_trimp(60, 0.74, "male"), female],
    )
    assert perf.session_rpe_load(6, 45) == 270.0


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: perf.banister_trimp(-1, 0.5, "male"), ScenarioError),
        (lambda: perf.banister_trimp(30, 1.2, "male"), ScenarioError),
        (lambda: perf.banister_trimp(30, float("nan"), "male"), ScenarioError),
        (lambda: perf.banister_trimp(30, 0.5, "x"), ScenarioError),
        (lambda: perf.session_rpe_load(11, 30), ScenarioError),
        (lambda: perf.session_rpe_load(5, -3), ScenarioError),
        (lambda: perf.fatigue_dose(0.1, -5.0), ScenarioError),
        (lambda: perf.fatigue_dose(-0.1, 5.0), ParameterError),
        (lambda: perf.banister_response([1], [0, 0], [1, 1], **BANISTER), ScenarioError),
        (lambda: perf.banister_response([1], [0], [-1], **BANISTER), ScenarioError),
        (lambda: perf.banister_response([1], [0, 1], [1], **BANISTER), ScenarioError),
        (
            lambda: perf.banister_response([1], [0], [1], **{**BANISTER, "fatigue_time": 0}),
            ParameterError,
        ),
        (lambda: perf.banister_crossing_time(2.0, 1.0, 42.0, 7.0), ParameterError),
    ],
)
def test_bad_input_is_a_clear_error(call, error):
    with pytest.raises(error):
        call()


def test_a_negative_load_into_the_slow_layer_is_refused():
    slow = layer([BUSSO])
    with pytest.raises(ScenarioError, match="training load"):
        perf.add_session(slow, np.array([-10.0]))
    assert slow.state(perf.FITNESS)[0] == 0.0  # nothing was added


@settings(max_examples=15, deadline=None)
@given(
    hours=st.lists(st.integers(0, 40 * 24), min_size=1, max_size=12, unique=True),
    load=st.floats(0.0, 500.0, allow_subnormal=False),  # a 1e-311 AU impulse NaNs the solver
    k3=st.floats(0.0, 1e-4),
    tau=st.floats(0.5, 60.0),
)
def test_states_stay_non_negative(hours, load, k3, tau):
    days = np.sort(np.array(hours, dtype=float)) / 24.0
    values = {**BUSSO, "fatigue_sensitivity": k3, "fatigue_time": tau, "sensitivity_time": tau}
    slow = layer([values], period=DAY)
    run(slow, days, np.full((1, days.size), load), 60.0)
    _, ode = series(slow)
    for state in slow.model.states:  # non-negative up to the solver's absolute tolerance
        x = ode[state.name]
        assert np.all(np.isfinite(x))
        assert np.all(x >= -10 * slow.rtol * state.scale)


@pytest.mark.validation
def test_the_performance_validation_cases_pass():
    from myoaxis.validation import performance as cases
    from myoaxis.validation.registry import CASES

    names = [n for n in CASES if CASES[n].measure.__module__ == cases.__name__]
    assert len(names) == 4
    for name in names:
        outcome = CASES[name].run()
        assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"
