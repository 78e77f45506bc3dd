"""Resistance-training adaptation of a muscle group: doses, time course, load, detraining."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import roadrunner_errors

from myoaxis import slow
from myoaxis.conditions import base_parameters
from myoaxis.core.equations import Model
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.muscles import muscle_names
from myoaxis.physiology.adaptation import ageing, muscle
from myoaxis.validation import adaptation as va
from myoaxis.validation.registry import CASES

G = va.GROUP
NAMES = muscle.state_names(G)
P = muscle.DoseParameters.from_values(lambda name, unit: base_parameters().value_in(name, unit))
TYPICAL = va.Session(load=0.75, sets=3.0, reps=10.0, reps_in_reserve=0.0)


def gain(slow_layer, key: str) -> np.ndarray:
    return slow_layer.value(NAMES[key])


def test_every_muscle_group_has_a_component_and_they_join_the_full_model():
    assert muscle.muscle_adaptation(G) is muscle.muscle_adaptation(G)
    assert set(ageing.COMPONENTS) <= set(slow.COMPONENTS)
    model = Model(slow.components(muscle_names()))
    names = {s.name for s in model.states} | {a.name for a in model.assignments}
    assert {f"csa_{g}" for g in muscle_names()} <= names
    assert {f"strength_factor_{g}" for g in muscle_names()} <= names
    # the ageing drifts are wired into the strength factors, not left as ports
    assert not {"muscle_mass_factor", "specific_tension_factor"} & {i.name for i in model.inputs}


def test_unknown_muscle_group_is_an_error():
    with pytest.raises(ParameterError, match="unknown muscle group 'quads'"):
        muscle.muscle_adaptation("quads")


def test_a_year_without_training_keeps_every_state_at_its_start():
    layer = va.layer(va.body(2, age=30.0))
    start = layer.y.copy()
    layer.advance(365 * va.DAY)
    assert np.array_equal(layer.y, start)  # every rate is exactly 0 at rest
    assert np.all(gain(layer, "strength") == 1.0)
    assert np.all(gain(layer, "one_rm") == 1.0)


def test_brzycki_repetitions_to_failure_and_reserve():
    assert muscle.repetitions_to_failure(np.array([1.0, 0.75, 0.3])) == pytest.approx(
        [1.0, 10.0, 26.2]
    )
    rir = muscle.estimated_reps_in_reserve(
        np.array([0.75, 0.75, 0.75, 0.3]), np.array([8.0, 12.0, 8.0, 8.0]), [False, False, True, 0]
    )
    assert rir == pytest.approx([2.0, 0.0, 0.0, 18.2])


def test_doses_grow_with_sets_load_and_proximity_to_failure():
    sets = np.array([1.0, 2.0, 3.0, 3.0, 3.0])
    load = np.array([0.75, 0.75, 0.75, 0.75, 0.85])
    rir = np.array([0.0, 0.0, 0.0, 3.0, 0.0])
    d = muscle.resistance_doses(P, load, sets, 8.0, rir)
    assert np.all(np.diff(d.neural[:3]) > 0)
    assert np.all(np.diff(d.hypertrophy[:3]) > 0)
    assert d.hypertrophy[3] == pytest.approx(d.hypertrophy[2] * np.exp(-3 / 5))  # not to failure
    assert d.neural[3] == d.neural[2]  # strength stimulus does not need failure (Grgic 2022)
    assert d.neural[4] > d.neural[2]  # heavier sets: more neural stimulus
    assert d.neural == pytest.approx(sets * load)


def test_hypertrophy_dose_hardly_depends_on_load_above_30_percent_to_failure():
    load = np.array([0.2, 0.3, 0.4, 0.6, 0.8])
    d = muscle.resistance_doses(P, load, 3.0, muscle.repetitions_to_failure(load), 0.0)
    relative = d.hypertrophy / d.hypertrophy[-1]
    assert relative[0] == pytest.approx(0.5, abs=0.01)  # Lasevicius 2018: about half at 20 %
    assert np.all(relative[1:] > 0.8)
    assert np.all(np.diff(relative) > 0)


def test_dose_without_reserve_is_estimated_from_the_repetitions():
    planned = muscle.resistance_doses(P, 0.75, 3.0, 8.0)
    explicit = muscle.resistance_doses(P, 0.75, 3.0, 8.0, 2.0)
    assert planned.hypertrophy == pytest.approx(explicit.hypertrophy)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"load_fraction": 0.0}, "load"),
        ({"load_fraction": 1.2}, "load"),
        ({"load_fraction": np.nan}, "load"),
        ({"sets": -1.0}, "sets"),
        ({"reps": -2.0}, "repetitions per set"),
        ({"reps_in_reserve": -1.0}, "repetitions in reserve"),
    ],
)
def test_bad_session_input_is_a_scenario_error(kwargs, match):
    args = {"load_fraction": 0.75, "sets": 3.0, "reps": 10.0, "reps_in_reserve": 0.0} | kwargs
    with pytest.raises(ScenarioError, match=match):
        muscle.resistance_doses(P, **args)


def test_session_impulses_go_into_the_groups_stimuli():
    d = muscle.resistance_doses(P, np.array([0.75]), 3.0, 10.0, 0.0)
    impulses = muscle.session_impulses("elbow_flexors", d)
    assert set(impulses) == {"neural_stimulus_elbow_flexors", "hypertrophy_stimulus_elbow_flexors"}


def test_heavy_loads_favour_1rm_not_isometric_force_or_hypertrophy():
    gains = va.load_comparison()  # subject 0: 80 % 1RM, subject 1: 30 % 1RM, to failure
    one_rm = gains["one_rm"][0] - gains["one_rm"][1]
    isometric = gains["isometric"][0] - gains["isometric"][1]
    csa = gains["csa"][0] - gains["csa"][1]
    assert one_rm > 2 * isometric > 0
    assert abs(csa) < 1.0
    assert gains["one_rm"] == pytest.approx([35.3, 28.0], abs=3.0)  # Schoenfeld 2017


def test_neural_gains_come_first_and_hypertrophy_proceeds_at_a_tenth_of_a_percent_a_day():
    layer = va.layer(va.body())
    va.train(layer, TYPICAL, va.weekly(12), 84)
    _days, neural = va.trace(layer, NAMES["neural"])
    _, csa = va.trace(layer, NAMES["csa"])
    n, c = np.log1p(neural[0, [14, 84]]), np.log(csa[0, [14, 84]])
    share = n / (n + c)  # neural share of the isometric force gain at weeks 2 and 12
    assert share[0] > 0.8 > share[1] > 0.4
    rate = 100 * (csa[0, 56] - csa[0, 14]) / 42  # %/day between weeks 2 and 8
    assert 0.08 < rate < 0.2


def test_more_weekly_volume_gives_graded_hypertrophy():
    layer = va.layer(va.body(3))
    sets = np.array([3.0, 6.0, 12.0])  # 9, 18 and 36 effective sets a week
    va.train(layer, va.Session(0.75, sets / 3, 10.0, 0.0), va.weekly(10), 70)
    csa = 100 * (gain(layer, "csa") - 1)
    assert np.all(np.diff(csa) > 0)
    assert csa[2] - csa[1] < csa[1] - csa[0]  # diminishing returns


def test_weekly_volume_matters_more_than_frequency():
    layer = va.layer(va.body(2))
    twice = va.Session(0.75, np.array([4.5, 0.0]), 10.0, 0.0)
    thrice = va.Session(0.75, np.array([0.0, 3.0]), 10.0, 0.0)
    doses = [
        muscle.resistance_doses(P, s.load, s.sets, s.reps, s.reps_in_reserve)
        for s in (twice, thrice)
    ]
    for day in range(70):
        for dose, weekdays in zip(doses, ((0, 3), (0, 2, 4)), strict=True):
            if day % 7 in weekdays:
                muscle.add_session(layer, G, dose)
        layer.advance(va.DAY)
    csa = gain(layer, "csa") - 1
    assert csa[0] == pytest.approx(csa[1], rel=0.05)


def test_detraining_loses_neural_gains_in_weeks_and_area_over_months():
    layer = va.layer(va.body())
    va.train(layer, TYPICAL, va.weekly(12), 84)
    trained = {k: gain(layer, k)[0] for k in ("neural", "csa", "strength")}
    layer.advance(21 * va.DAY)
    csa_3w = gain(layer, "csa")[0]
    layer.advance(63 * va.DAY)
    neural, csa, strength = (gain(layer, k)[0] for k in ("neural", "csa", "strength"))
    assert (csa_3w - 1) / (trained["csa"] - 1) > 0.75  # Ogasawara 2011: no significant loss
    assert neural / trained["neural"] < (csa - 1) / (trained["csa"] - 1) < 0.6
    assert 1.0 < strength < trained["strength"]  # Tokmakidis 2009: lower, but above baseline


def test_strength_factor_carries_the_ageing_drift():
    layer = va.layer(va.body(age=75.0))
    layer.advance(365.25 * va.DAY)
    drift = layer.value(ageing.STRENGTH)
    assert drift[0] < 0.98
    assert gain(layer, "strength") == pytest.approx(drift, rel=1e-12)


@settings(max_examples=8, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0.05, 1.0),
            st.integers(0, 12),
            st.floats(0.0, 15.0),
            st.sets(st.integers(0, 20), max_size=12),
        ),
        min_size=4,
        max_size=4,
    )
)
def test_random_training_keeps_states_in_bounds(subjects):
    load = np.array([s[0] for s in subjects])
    sets = np.array([float(s[1]) for s in subjects])
    rir = np.array([s[2] for s in subjects])
    layer = va.layer(va.body(len(subjects)))
    doses = muscle.resistance_doses(P, load, sets, 10.0, rir)
    for day in range(21):
        on = np.array([day in s[3] for s in subjects])
        if on.any():
            layer.add(NAMES["neural_stimulus"], np.where(on, doses.neural, 0.0))
            layer.add(NAMES["hypertrophy_stimulus"], np.where(on, doses.hypertrophy, 0.0))
        layer.advance(va.DAY)
    p = base_parameters()
    _, values = layer.series()
    states = values[: layer.n_states]
    assert np.all(states > -1e-12)
    csa = va.trace(layer, NAMES["csa"])[1]
    assert np.all(csa >= 1 - 1e-12)
    assert np.all(csa <= 1 + p.value("adaptation.hypertrophy.max_gain"))
    assert np.all(va.trace(layer, NAMES["neural"])[1] <= p.value("adaptation.neural.max_gain"))


def test_validation_cases_pass():
    names = [n for n in CASES if CASES[n].measure.__module__ == va.__name__]
    assert len(names) >= 8
    for name in names:
        outcome = CASES[name].run()
        assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


@pytest.mark.interop
def test_roadrunner_replays_training_and_ageing_within_1e_4(tmp_path):
    rtol = 1e-10
    layer = slow.SlowLayer(
        va.body(age=68.0), va.DAY, (*ageing.COMPONENTS, muscle.muscle_adaptation(G)), rtol=rtol
    )
    va.train(layer, TYPICAL, va.weekly(3), 35)  # three weeks of training, two of detraining
    errors = roadrunner_errors(
        layer, tmp_path / "adaptation.xml", floor=1.0
    )  # relative to the range
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)
