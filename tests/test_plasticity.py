"""Exercise-induced brain plasticity: neurotrophic drive from brain BDNF, hippocampal volume
(training gain, detraining, ageing atrophy) and the cognition index."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import roadrunner_errors

from myoaxis import slow
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.equations import Component, Model, State
from myoaxis.physiology.adaptation import ageing
from myoaxis.physiology.brain import plasticity
from myoaxis.physiology.ports import EXERCISE_INTENSITY
from myoaxis.population import individualise
from myoaxis.validation import aerobic as va
from myoaxis.validation import cohorts
from myoaxis.validation.registry import CASES

DAY = va.DAY
STATES = [s.name for s in plasticity.PLASTICITY.states]
MODERATE = va.Programme(minutes=45.0, intensity=0.65, lactate=2.0)

# A stand-in for the myokine model: brain BDNF expression relaxes with the brain-tissue time
# constant to 1 + exercise_intensity, so a held intensity i gives a known excess.
STUB = Component(
    name="bdnf_stub",
    states=(
        State(
            "bdnf_brain",
            "dimensionless",
            "brain BDNF expression (stub)",
            rate="(1 + exercise_intensity - bdnf_brain) / bdnf.brain_tissue_time",
            initial="1",
        ),
    ),
    parameters={"bdnf.brain_tissue_time": "s"},
    inputs=(EXERCISE_INTENSITY,),
)


def value(name: str, unit: str = "dimensionless", age: float = 30.0) -> float:
    return float(va.body(1, age).values(name, unit)[0])


def brain(n: int, age: float) -> slow.SlowLayer:
    return va.layer(va.body(n, age), va.PLASTICITY_COMPONENTS)


@pytest.fixture(scope="module")
def trained_then_stopped() -> dict[str, np.ndarray]:
    """A 66-year-old trains 3 x 45 min/week at 65 % for 26 weeks, then stops for 12 weeks;
    an untrained one of the same age alongside. Values at the end of each week."""
    layer = brain(2, 66.0)
    programme = va.Programme(
        np.array([45.0, 0.0]), np.array([0.65, 0.0]), lactate=np.array([2.0, 1.0])
    )
    rows = []
    for week in range(38):
        if week < 26:
            va.train(layer, programme, 7)
        else:
            va.rest(layer, 7)
        rows.append([layer.value(n) for n in (*STATES, plasticity.HIPPOCAMPAL_VOLUME)])
    names = [*STATES, plasticity.HIPPOCAMPAL_VOLUME]
    return {n: np.array([r[k] for r in rows]) for k, n in enumerate(names)}  # (weeks, S)


# -- rest -----------------------------------------------------------------------------------


def test_a_year_at_rest_before_the_atrophy_onset_keeps_every_state_at_its_start():
    layer = brain(2, 35.0)
    start = layer.y.copy()
    layer.advance(365.25 * DAY)
    assert np.array_equal(layer.y, start)  # BDNF, drive and plasticity: every rate is 0
    assert np.all(layer.value(plasticity.HIPPOCAMPAL_VOLUME) == 1.0)
    assert np.all(layer.value(plasticity.COGNITION) == 0.0)


def test_the_cognitive_baseline_shifts_the_index_not_the_training_effect():
    """``cognition`` = baseline + effect: a subject 1.3 SD above the age-matched mean trains
    exactly as a mean subject does (the baseline is a level, not a trainability)."""
    params = subject_parameters("healthy_adult", "male", 66.0)
    high = params.with_values({"plasticity.cognition.baseline": 1.3}, "test")
    layer = slow.SlowLayer(
        Body([params, high], np.full(2, 75.0), 66.0), DAY, va.PLASTICITY_COMPONENTS
    )
    va.train(layer, va.Programme(50.0, 0.65, 2.0), 56)
    effect = layer.value(plasticity.COGNITION_EFFECT)
    assert effect[0] > 0.05
    assert effect[1] == pytest.approx(effect[0], rel=1e-9)
    level = effect + np.array([0.0, 1.3])
    assert layer.value(plasticity.COGNITION) == pytest.approx(level, rel=1e-12)


def test_the_component_alone_reads_resting_bdnf_and_stays_put():
    layer = va.layer(va.body(1, 30.0), plasticity.COMPONENTS)
    assert "bdnf_brain" in {i.name for i in layer.model.inputs}  # the fallback input
    layer.advance(30 * DAY, {"exercise_intensity": np.array([0.8])})  # not read alone
    assert layer.value(plasticity.DRIVE)[0] == 0.0


# -- the neurotrophic drive -----------------------------------------------------------------


def test_the_drive_averages_the_bdnf_excess_over_its_time_constant():
    """Excess x switched on at t = 0 through the stub's lag tau_b: the drive is
    x [1 - (tau e^(-t/tau) - tau_b e^(-t/tau_b)) / (tau - tau_b)]."""
    layer = slow.SlowLayer(va.body(1, 30.0), DAY, (STUB, *plasticity.COMPONENTS))
    tau, tau_b = value("plasticity.drive_time", "s"), value("bdnf.brain_tissue_time", "s")
    layer.advance(tau, {"exercise_intensity": np.array([0.5])})
    lag = (tau * np.exp(-1) - tau_b * np.exp(-tau / tau_b)) / (tau - tau_b)
    assert layer.value(plasticity.DRIVE)[0] == pytest.approx(0.5 * (1 - lag), rel=1e-6)


def test_light_exercise_below_the_bdnf_threshold_gives_no_plasticity():
    layer = brain(1, 66.0)
    va.train(layer, va.Programme(60.0, 0.45), 56)
    assert layer.value(plasticity.DRIVE)[0] == 0.0
    assert layer.value(plasticity.COGNITION)[0] == 0.0


def test_longer_sessions_give_more_drive_per_minute():
    """Same weekly minutes (180) and intensity in 4 x 45 or 3 x 60 min: the central BDNF drive
    builds up during a session, so the longer sessions drive more (Northey 2018: 45-60 min)."""
    drive = []
    for programme in (
        va.Programme(45.0, 0.65, 2.0, days=(0, 1, 3, 4)),
        va.Programme(60.0, 0.65, 2.0, days=(0, 2, 4)),
    ):
        layer = brain(1, 66.0)
        va.train(layer, programme, 28)  # both end on a rest day
        drive.append(layer.value(plasticity.DRIVE)[0])
    assert drive[1] > 1.05 * drive[0] > 0


# -- training, saturation, detraining ----------------------------------------------------------


def test_training_raises_hippocampus_and_cognition_then_detraining_undoes_it(
    trained_then_stopped,
):
    w = trained_then_stopped
    gain, cog = w[plasticity.HIPPOCAMPAL_GAIN], w[plasticity.COGNITION_EFFECT]
    assert np.all(np.diff(gain[:8, 0]) > 0)
    assert np.all(np.diff(cog[:12, 0]) > 0)
    assert np.all(gain[:, 1] == 0.0)  # the control
    assert np.all(cog[:, 1] == 0.0)
    assert gain[25, 0] - gain[17, 0] < 0.1 * gain[25, 0]  # near its plateau by 4 months
    assert 0.15 < cog[25, 0] < 0.45
    # after 6 weeks off the hippocampal gain is mostly gone (Thomas 2016), cognition less so
    assert gain[31, 0] < 0.25 * gain[25, 0]
    assert cog[31, 0] > 0.5 * cog[25, 0]
    assert np.all(np.diff(gain[26:, 0]) < 0)
    assert np.all(np.diff(cog[26:, 0]) < 0)


def test_plasticity_gains_saturate_below_their_ceilings():
    sessions = np.array([20.0, 40.0, 80.0, 160.0])
    layer = brain(4, 45.0)
    va.train(layer, va.Programme(sessions, 0.75, 3.0, days=tuple(range(7))), 140)
    for name, ceiling in (
        (plasticity.HIPPOCAMPAL_GAIN, "plasticity.hippocampus.max_gain"),
        (plasticity.COGNITION, "plasticity.cognition.max_gain"),
    ):
        g = layer.value(name)
        assert np.all(np.diff(g) > 0), name
        assert np.all(g[1:] < 2 * g[:-1]), name  # twice the sessions, less than twice the gain
        assert g[-1] < value(ceiling), name


# -- ageing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("age", [35.0, 60.0, 80.0])
def test_hippocampal_atrophy_follows_the_closed_form_ramp(age):
    layer = va.layer(va.body(1, age), plasticity.COMPONENTS)
    va.rest(layer, 3 * 365.25)
    expected = ageing.ramp_drift(
        age,
        age + 3,
        value("plasticity.hippocampus.ageing.onset_age", "year"),
        value("plasticity.hippocampus.ageing.loss_rate_at_reference", "1/year"),
        value("plasticity.hippocampus.ageing.reference_age", "year"),
    )
    assert layer.value(plasticity.HIPPOCAMPAL_VOLUME)[0] == pytest.approx(expected, rel=1e-6)


def test_atrophy_is_one_to_two_percent_a_year_in_older_adults():
    rates = []
    for age in (60.0, 70.0, 78.0):
        one = va.layer(va.body(1, age), plasticity.COMPONENTS)
        va.rest(one, 365.25)
        rates.append(100 * (1 - one.value(plasticity.HIPPOCAMPAL_VOLUME)[0]))
    assert 1.0 <= rates[0] < rates[1] < rates[2] <= 2.2  # Erickson 2009: 1-2 %/y


# -- robustness, model, validation ----------------------------------------------------------


# intensity (fraction of VO2max), minutes, arterial lactate (mmol/L)
SESSION = st.tuples(st.floats(0.0, 1.5), st.floats(1.0, 180.0), st.floats(0.5, 20.0))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SESSION, min_size=1, max_size=8), st.floats(20.0, 90.0))
def test_states_stay_non_negative_and_below_their_ceilings(sessions, age):
    layer = brain(1, age)
    for intensity, minutes, lactate in sessions:
        ports = {"exercise_intensity": [intensity], "lactate_arterial": [lactate]}
        layer.advance(minutes * 60.0, {k: np.array(v) for k, v in ports.items()})
        layer.advance(2 * DAY)
        for name in STATES:
            assert layer.state(name)[0] >= -1e-9, name
    assert layer.state(plasticity.HIPPOCAMPAL_GAIN)[0] <= value("plasticity.hippocampus.max_gain")
    assert layer.state(plasticity.COGNITION_EFFECT)[0] <= value("plasticity.cognition.max_gain")


def test_the_full_slow_layer_wires_brain_bdnf_into_plasticity():
    assert set(plasticity.COMPONENTS) <= set(slow.COMPONENTS)
    model = Model(slow.COMPONENTS)
    assert "bdnf_brain" not in {i.name for i in model.inputs}
    assert model.units_of(plasticity.HIPPOCAMPAL_VOLUME) == "dimensionless"
    assert model.units_of(plasticity.COGNITION) == "dimensionless"


PLASTICITY_CASES = ("erickson2011", "northey2018")


@pytest.mark.validation
def test_validation_cases_pass():
    names = [n for n in CASES if n.startswith(PLASTICITY_CASES)]
    assert len(names) == 3
    for name in names:
        outcome = CASES[name].run()
        assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


@pytest.mark.interop
def test_roadrunner_replays_training_and_detraining_within_1e_4(tmp_path):
    layer = slow.SlowLayer(va.body(1, 62.0), 3600.0, va.PLASTICITY_COMPONENTS, rtol=1e-10)
    va.train(layer, MODERATE, 9)  # four sessions, then rest
    errors = roadrunner_errors(
        layer, tmp_path / "plasticity.xml", floor=1.0
    )  # relative to the range
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)


def test_hedges_g_is_the_bias_corrected_pooled_sd_difference():
    a, b = np.array([1.0, 2.0, 3.0, 6.0]), np.array([0.0, 1.0, 2.0])
    pooled = np.sqrt((3 * a.var(ddof=1) + 2 * b.var(ddof=1)) / 5)
    assert cohorts.hedges_g(a, b) == pytest.approx((1 - 3 / 19) * (3.0 - 1.0) / pooled)


def test_the_northey_trial_is_seeded_and_only_the_trained_arm_gains():
    first, again = va.northey_trial(5, 3), va.northey_trial(5, 3)
    assert np.array_equal(first["trained"], again["trained"])
    assert not np.allclose(va.northey_trial(6, 3)["control"], first["control"])
    params = [subject_parameters("healthy_adult", s, va.NORTHEY_AGE) for s in ("female", "male")]
    baseline = np.array(
        [p.value("plasticity.cognition.baseline") for p in individualise(params * 3, 5)]
    )  # subjects 0, 1, 4, 5 train; 2, 3 are controls
    assert np.array_equal(first["control"], baseline[[2, 3]])
    effect = first["trained"] - baseline[[0, 1, 4, 5]]
    assert effect == pytest.approx(np.full(4, effect[0]), rel=1e-9)
    assert 0.15 < effect[0] < 0.45
