"""Pain: dorsal-horn gate and wind-up, algometry/CPM/TS tests, the slow pain component and its
fibromyalgia and chronic low back pain overlays."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis.assess import pain as tests
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.equations import Component, Model, State
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.physiology.brain import pain
from myoaxis.slow import SlowLayer

MINUTE, DAY = 60.0, 86400.0


def body(conditions=(), overrides=None, n: int = 1) -> Body:
    params = subject_parameters("healthy_adult", "female", 45, conditions, overrides)
    return Body([params] * n, np.full(n, 75.0), 45.0)


def layer(b: Body) -> SlowLayer:
    return SlowLayer(b, 600.0, components=pain.COMPONENTS)


@pytest.fixture(scope="module")
def gate() -> pain.DorsalHornParameters:
    return pain.DorsalHornParameters.from_values(body().values)


def test_healthy_rest_is_the_steady_state_and_the_reference_threshold():
    slow = layer(body())
    start = slow.y.copy()
    slow.advance(60 * DAY)
    assert np.array_equal(slow.y, start)
    assert slow.state(pain.SENSITISATION)[0] == 1.0
    assert slow.value(pain.THRESHOLD)[0] == pytest.approx(758.0, rel=1e-4)
    assert slow.value(pain.INTENSITY)[0] == 0.0


@pytest.mark.parametrize("conditions", [("fibromyalgia",), ("chronic_low_back_pain",)])
def test_condition_rest_is_a_steady_state_with_ongoing_pain(conditions):
    slow = layer(body(conditions))
    start = slow.y.copy()
    slow.advance(90 * DAY)
    np.testing.assert_allclose(slow.y, start, rtol=1e-6, atol=1e-9)
    assert slow.state(pain.SENSITISATION)[0] > 1.2
    assert 5.0 < slow.value(pain.INTENSITY)[0] < 7.0


def test_slow_threshold_equals_the_gate_threshold(gate):
    slow = layer(body(("fibromyalgia",)))
    g, d = slow.value(pain.SENSITISATION), slow.value(pain.INHIBITION)
    np.testing.assert_allclose(
        slow.value(pain.THRESHOLD), pain.pressure_pain_threshold(g, d, gate), rtol=1e-12
    )


def test_more_pressure_hurts_more_and_the_threshold_is_the_pain_criterion(gate):
    pressures = np.linspace(0.0, 3000.0, 301)
    ratings = pain.pressure_pain(pressures, 1.0, 1.0, gate)
    assert np.all(np.diff(ratings) >= 0)
    assert ratings[-1] > 9.0
    ppt = pain.pressure_pain_threshold(1.0, 1.0, gate)
    assert pain.pressure_pain(ppt * 0.999, 1.0, 1.0, gate) == 0.0
    assert pain.pressure_pain(ppt * 1.01, 1.0, 1.0, gate) > 0.0


def test_inhibition_raises_and_sensitisation_lowers_the_threshold(gate):
    d = np.linspace(0.0, 3.0, 31)
    assert np.all(np.diff(pain.pressure_pain_threshold(1.0, d, gate)) > 0)
    g = np.linspace(1.0, 3.0, 21)
    assert np.all(np.diff(pain.pressure_pain_threshold(g, 1.0, gate)) < 0)


def test_tactile_input_closes_the_gate(gate):
    touch = np.array([0.0, 1.0, 3.0])
    t = pain.t_output(1.0, touch, 1.0, 0.0, gate)
    assert t[0] > t[1] > t[2]


def test_temporal_summation_grows_with_stimulus_rate(gate):
    ratings = {
        dt: pain.temporal_summation_ratings(900.0, 1.0, 1.0, gate, 10, dt)[0]
        for dt in (1.0, 2.0, 5.0)
    }
    assert np.all(np.diff(ratings[1.0]) >= 0)
    ts = {dt: r[-1] - r[0] for dt, r in ratings.items()}
    assert ts[1.0] > ts[2.0] > ts[5.0] >= 0
    assert ts[1.0] > 1.0
    assert ts[5.0] < 0.5


def test_eih_builds_with_exercise_then_decays_and_nothing_goes_negative():
    slow = layer(body())
    ppt0 = slow.value(pain.THRESHOLD)[0]
    slow.advance(30 * MINUTE, {"exercise_intensity": np.array([0.7])})
    after = slow.state(pain.EIH)[0]
    assert after > 0.2
    assert slow.value(pain.THRESHOLD)[0] > 1.1 * ppt0
    slow.advance(15 * MINUTE)
    assert slow.state(pain.EIH)[0] == pytest.approx(after * np.exp(-1), rel=1e-3)
    slow.advance(2 * 3600)
    assert slow.state(pain.EIH)[0] < 0.01 * after
    _, values = slow.series()
    assert np.all(values >= 0)


def test_resistance_work_counts_only_outside_aerobic_bouts():
    slow = layer(body(n=2))
    slow.advance(
        10 * MINUTE,
        {
            "exercise_intensity": np.array([0.0, 0.5]),
            "active_mass_activation": np.array([6.0, 6.0]),
        },
    )
    stimulus = slow.value(pain.STIMULUS)
    assert stimulus[0] == pytest.approx(28.0 * 6.0 / 75.0)
    assert stimulus[1] == pytest.approx(0.5)


def test_training_lowers_clinical_pain_and_detrains():
    slow = layer(body(("chronic_low_back_pain",), n=2))
    before = slow.value(pain.INTENSITY)
    for _ in range(24):  # 12 weeks, two sessions a week
        slow.advance(45 * MINUTE, {"exercise_intensity": np.array([0.6, 0.0])})
        slow.advance(3.5 * DAY - 45 * MINUTE)
    trained = slow.value(pain.INTENSITY)
    assert trained[1] == pytest.approx(before[1], rel=1e-6)
    assert before[0] - trained[0] > 1.0
    slow.advance(365 * DAY)
    assert slow.value(pain.INTENSITY)[0] == pytest.approx(before[0], abs=0.05)


# Stand-ins for what other components compute (drugs, neuromodulation, inflammation): constant
# states set by an impulse, so the pain component reads them as it would the real ones.
INPUTS = ("analgesic_effect", "neuromodulation_inhibition", "inflammation")
STUB = Component(
    "pain_inputs_stub",
    tuple(State(n, "dimensionless", f"{n} (stub)", rate="0", initial="0") for n in INPUTS),
    {},
)


def stubbed(b: Body, **amounts) -> SlowLayer:
    slow = SlowLayer(b, 3600.0, components=(*pain.COMPONENTS, STUB))
    for name, amount in amounts.items():
        slow.add(name, np.asarray(amount, dtype=float))
    return slow


def test_inputs_modulate_clinical_pain():
    slow = stubbed(
        body(("fibromyalgia",), n=4),
        analgesic_effect=[0.0, 0.5, 0.0, 0.0],
        neuromodulation_inhibition=[0.0, 0.0, 0.5, 0.0],
        inflammation=[0.0, 0.0, 0.0, 1.0],
    )
    p = slow.value(pain.INTENSITY)
    assert p[1] == pytest.approx(0.5 * p[0])
    assert p[2] < p[0] < p[3]
    assert slow.value(pain.THRESHOLD)[2] > slow.value(pain.THRESHOLD)[0]


def test_inflammation_sensitises_without_causing_pain_and_amplifies_a_painful_site():
    slow = stubbed(body(n=2), inflammation=[0.0, 1.0])
    threshold = slow.value(pain.THRESHOLD)
    slow.advance(200 * DAY)
    assert slow.state(pain.SENSITISATION)[1] == pytest.approx(1.1, abs=0.01)
    assert slow.value(pain.THRESHOLD)[1] < 0.95 * threshold[1]
    assert list(slow.value(pain.INTENSITY)) == [0.0, 0.0]  # hyperalgesia, no ongoing pain
    back = stubbed(body(("chronic_low_back_pain",), n=2), inflammation=[0.0, 1.0])
    back.advance(200 * DAY)
    assert back.value(pain.INTENSITY)[1] > back.value(pain.INTENSITY)[0] + 0.5


def test_fibromyalgia_tests_go_the_published_ways():
    n = 200
    out = {}
    for conditions in (("fibromyalgia",), ()):
        b = body(conditions, n=n)
        values = {k: layer(b).value(k) for k in tests.REQUIRED}
        params = tests.PainTestParameters.from_values(b.values)
        rng = np.random.default_rng(1)
        out[conditions] = [
            f(values, params, rng).mean()
            for f in (
                tests.assess_pain_threshold,
                tests.assess_cpm,
                tests.assess_temporal_summation,
            )
        ]
    fm, hc = out[("fibromyalgia",)], out[()]
    assert fm[0] < 0.6 * hc[0]  # lower PPT
    assert fm[1] < 0.6 * hc[1]
    assert hc[1] > 10
    assert fm[2] > 1.3 * hc[2] > 0  # larger temporal summation


def test_measurement_noise_comes_from_the_generator():
    b = body(n=3)
    values = {k: layer(b).value(k) for k in tests.REQUIRED}
    params = tests.PainTestParameters.from_values(b.values)
    a = tests.assess_cpm(values, params, np.random.default_rng(5))
    assert np.array_equal(a, tests.assess_cpm(values, params, np.random.default_rng(5)))
    assert not np.array_equal(a, tests.assess_cpm(values, params, np.random.default_rng(6)))
    quiet = tests.PainTestParameters.from_values(
        body(overrides={"pain.algometry.measurement_cv": 0.0}).values
    )
    np.testing.assert_allclose(
        tests.assess_pain_threshold(values, quiet, np.random.default_rng(0)), 758.0, rtol=1e-4
    )


@pytest.mark.parametrize(
    "override",
    [
        {"pain.dorsal_horn.c_fibre_disinhibition": 0.0},
        {"pain.algometry.pressure_scale": "-1 kPa"},
        {"pain.dorsal_horn.tactile_excitation": 2.5},
        {"pain.temporal_summation.stimuli": 1},
        {"pain.temporal_summation.first_rating": 10},
        {"pain.cpm.capacity": -0.1},
    ],
)
def test_bad_parameters_raise(override):
    with pytest.raises(ParameterError):
        tests.PainTestParameters.from_values(body(overrides=override).values)


def test_bad_test_inputs_raise(gate):
    with pytest.raises(ScenarioError):
        pain.pressure_pain(-1.0, 1.0, 1.0, gate)
    with pytest.raises(ScenarioError):
        pain.temporal_summation_ratings(900.0, 1.0, 1.0, gate, 10, 0.0)
    with pytest.raises(ScenarioError):
        tests.assess_pain_threshold(
            {pain.SENSITISATION: np.ones(1)},
            tests.PainTestParameters.from_values(body().values),
            np.random.default_rng(0),
        )


def test_the_component_builds_alone_with_checked_units():
    model = Model(pain.COMPONENTS)
    assert {s.name for s in model.states} == {pain.SENSITISATION, pain.EIH, pain.TRAINING}


# -- back disability and knee osteoarthritis ---------------------------------------------------

TRUNK = "strength_factor_trunk_extensors"
DISABILITY_INPUTS = ("analgesic_effect", TRUNK)
DISABILITY_STUB = Component(
    "disability_inputs_stub",
    (
        State("analgesic_effect", "dimensionless", "analgesic (stub)", rate="0", initial="0"),
        State(TRUNK, "dimensionless", "trunk strength (stub)", rate="0", initial="1"),
    ),
    {},
)


def test_back_disability_is_zero_healthy_and_an_oswestry_baseline_in_clbp():
    healthy = layer(body())
    assert healthy.value(pain.DISABILITY)[0] == 0.0
    clbp = layer(body(("chronic_low_back_pain",)))
    assert clbp.value(pain.BACK_PAIN)[0] == pytest.approx(clbp.value(pain.INTENSITY)[0])
    assert 30.0 < clbp.value(pain.DISABILITY)[0] < 40.0


def test_back_disability_follows_pain_and_trunk_strength():
    slow = SlowLayer(
        body(("chronic_low_back_pain",), n=3), 3600.0, (*pain.COMPONENTS, DISABILITY_STUB)
    )
    slow.add("analgesic_effect", np.array([0.0, 0.5, 0.0]))
    slow.add(TRUNK, np.array([0.0, 0.0, 0.25]))  # 0.8 x 1.25: back to the norm
    b = slow.value(pain.DISABILITY)
    assert b[1] < b[0]
    assert b[2] == pytest.approx(4.6 * slow.value(pain.BACK_PAIN)[2])
    assert b[2] < b[0]


def test_knee_oa_hurts_without_back_disability_and_combines_with_clbp():
    knee = layer(body(("knee_osteoarthritis",)))
    assert 4.5 < knee.value(pain.INTENSITY)[0] < 5.5
    assert knee.value(pain.DISABILITY)[0] == 0.0
    both = layer(body(("chronic_low_back_pain", "knee_osteoarthritis")))
    back = layer(body(("chronic_low_back_pain",)))
    assert both.value(pain.INTENSITY)[0] > back.value(pain.INTENSITY)[0]
    # the knee's drive sensitises, so back pain and disability rise, but knee pain is not back pain
    assert both.value(pain.BACK_PAIN)[0] > back.value(pain.BACK_PAIN)[0]
    # pain is rated from the worse site (here the back), not summed over sites
    assert both.value(pain.BACK_PAIN)[0] == pytest.approx(both.value(pain.INTENSITY)[0])
    assert both.value(pain.INTENSITY)[0] < 8.0
    assert both.value(pain.DISABILITY)[0] > back.value(pain.DISABILITY)[0]


def test_exercise_lowers_knee_oa_pain():
    """Fransen 2015: -12/100 (95 % CI 10-15); the CLBP-calibrated training effect predicts
    about -19 in 200 women of 65 (beyond the CI: a known overestimate, reported, not tuned)."""
    from myoaxis.validation import pain as cases

    trained, outcomes = cases.exercise_trial(("knee_osteoarthritis",), 2015, n=20, age=65.0)
    p = outcomes[pain.INTENSITY]
    assert 40.0 < p[~trained].mean() < 60.0
    assert -25.0 < p[trained].mean() - p[~trained].mean() < -10.0


def test_disability_questionnaire_noise_and_bounds():
    b = body(("chronic_low_back_pain",), n=2000)
    params = tests.PainTestParameters.from_values(b.values)
    values = {pain.DISABILITY: np.r_[np.full(1000, 33.0), np.zeros(1000)]}
    odi = tests.assess_disability(values, params, np.random.default_rng(3))
    assert odi[:1000].mean() == pytest.approx(33.0, abs=0.5)
    assert odi[:1000].std() == pytest.approx(3.7, rel=0.1)
    assert np.all(odi >= 0.0)
    assert np.all(odi <= 100.0)
    with pytest.raises(ScenarioError):
        tests.assess_disability({}, params, np.random.default_rng(0))


def test_disability_case_reproduces_hayden():
    from myoaxis.validation.registry import CASES

    outcome = CASES["hayden2021_clbp_exercise_function"].run()
    assert outcome.passed, outcome.value
