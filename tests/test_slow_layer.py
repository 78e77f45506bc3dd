"""The joined slow layer as a whole: every state stays non-negative whatever the ports do, and a
blow-up or a state going negative stops the run with the state, subject and time named."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.equations import Component, State
from myoaxis.core.errors import SimulationError
from myoaxis.slow import PORTS, Segment, SlowLayer

MIN = 60.0

BODIES = {
    (sex, age): Body([subject_parameters("healthy_adult", sex, age)], np.array([70.0]))
    for sex, age in (("female", 62.0), ("male", 25.0))
}

# Each port over its physiological range and a little beyond (the layer must not rely on the
# fast layer's good behaviour to stay non-negative).
PORT_RANGES = {
    "active_mass_activation": st.floats(0.0, 40.0),  # kg
    "exercise_intensity": st.floats(0.0, 1.5),  # fraction of VO2max
    "muscle_glycogen_use": st.floats(0.0, 0.3),  # g/s
    "asleep": st.sampled_from([0.0, 1.0]),
    "weight_bearing": st.sampled_from([0.0, 1.0]),
    "exercise_load_hip": st.floats(0.0, 8.0),  # body weights
    "exercise_load_spine": st.floats(0.0, 8.0),  # body weights
    "loading_frequency": st.floats(0.0, 3.0),  # Hz
    "lactate_arterial": st.floats(0.5, 20.0),  # mmol/L
    "motor_practice": st.sampled_from([0.0, 1.0]),
    "motor_imagery": st.sampled_from([0.0, 1.0]),
}
STEP = st.tuples(
    st.fixed_dictionaries({}, optional=PORT_RANGES),
    st.floats(1.0, 3 * 24 * 60.0),  # duration, min
    st.floats(0.0, 150.0) | st.just(0.0),  # meal at the start, g
)


def test_the_strategy_covers_every_port():
    assert set(PORT_RANGES) == PORTS


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(BODIES)), st.lists(STEP, min_size=1, max_size=6))
def test_every_state_stays_non_negative(who, steps):
    layer = SlowLayer(BODIES[who], 3600.0)
    scale = np.array([s.scale for s in layer.model.states])
    for ports, minutes, meal in steps:
        if meal:
            layer.add("gut_carbohydrate", np.array([meal]))
        layer.advance(minutes * MIN, {k: np.array([v]) for k, v in ports.items()})
        assert np.all(np.isfinite(layer.y))
        low = layer.y < -1e-6 * scale
        assert not low.any(), [
            s.name for s, bad in zip(layer.model.states, low, strict=True) if bad
        ]


class _Constants:
    """The stand-in body of a one-state test model."""

    n_subjects = 1

    def __init__(self, **values: float):
        self._values = values

    def values(self, name: str, _unit: str | None = None) -> np.ndarray:
        return np.array([self._values[name]])


def _one_state(rate: str) -> Component:
    x = State("runaway", "mmol/L", "a test state", rate=rate, initial="k.start", scale=1.0)
    return Component("test", states=(x,), parameters={"k.start": "mmol/L", "k.rate": "L/mmol/s"})


def test_a_blow_up_names_the_state_subject_and_time():
    runaway = _one_state("k.rate * runaway * runaway")  # x = 1 / (1 - t): infinite at t = 1 s
    layer = SlowLayer(_Constants(**{"k.start": 1.0, "k.rate": 1.0}), 1.0, (runaway,))
    with pytest.raises(
        SimulationError, match=r"failed near t = 0\.9\d* s.*state runaway of subject 0"
    ):
        layer.advance(2.0)


def test_a_state_going_negative_names_the_state_and_time():
    falling = _one_state("-k.rate * k.start * k.start")  # x = 1 - t
    layer = SlowLayer(_Constants(**{"k.start": 1.0, "k.rate": 1.0}), 1.0, (falling,))
    with pytest.raises(SimulationError, match=r"slow state runaway of subject 0 became -\d"):
        layer.advance(10.0)


def test_an_unknown_port_is_an_error():
    layer = SlowLayer(BODIES[("male", 25.0)], 3600.0)
    with pytest.raises(SimulationError, match=r"unknown slow-layer ports.*'exercise_intensty'"):
        layer.advance(60.0, {"exercise_intensty": np.array([0.5])})


def _ran(protocol: list[str]):
    import myoaxis as mx

    sc = mx.Scenario.from_dict(
        {
            "seed": 3,
            "subject": {"sex": "female", "age_years": 60},
            "protocol": [{"step": s} for s in protocol],
        }
    )
    sim = mx.Simulation(sc)
    sim.run()
    return sim


def _peak_port(layer: SlowLayer, name: str) -> float:
    k = [i.name for i in layer.model.inputs].index(name)
    segments = [x for x in layer.schedule if isinstance(x, Segment)]
    return max(float(x.inputs[k].max()) for x in segments)


def test_squats_load_hip_and_spine_and_raise_daily_loading():
    from myoaxis.physiology.bone import loading

    sim = _ran(["Resistance knee_extensors 3x10 at 80 %1RM, rest 2 min", "Rest for 1 h"])
    lifted, rested = sim.slow_layer, _ran(["Rest for 1 h"]).slow_layer
    assert _peak_port(lifted, "exercise_load_hip") > loading.HABITUAL_HIP
    assert _peak_port(lifted, "exercise_load_spine") > 2 * loading.HABITUAL_SPINE
    cycle = sum(
        sim.body.values(f"resistance.{name}", "s")[0]
        for name in ("time_under_tension", "between_reps")
    )
    assert _peak_port(lifted, "loading_frequency") == pytest.approx(1 / cycle)
    assert _peak_port(rested, "exercise_load_spine") == 0.0
    for site in ("spine", "hip"):
        name = f"bone_daily_loading_{site}"
        assert lifted.state(name)[0] > rested.state(name)[0]


def test_grip_training_loads_no_bone_and_running_does():
    gripped = _ran(["Resistance grip 3x10 at 70 %1RM, rest 1 min"]).slow_layer
    assert _peak_port(gripped, "exercise_load_hip") == 0.0
    # a run for this 60-year-old woman (VO2max 21.6 mL/kg/min; at 60 % she would walk, 0.79 m/s)
    ran = _ran(["Run at 85 %VO2max for 10 min"]).slow_layer
    assert _peak_port(ran, "exercise_load_hip") > 2.38  # running loads the hip above walking
    assert _peak_port(ran, "loading_frequency") == pytest.approx(2.8)


def test_a_layer_that_keeps_some_variables_samples_them_as_the_full_layer_does():
    """keep= changes what is stored, not what is computed: the same samples at the same
    times, right-continuous at an impulse on the grid (a meal at a sample time)."""
    body = Body([subject_parameters("healthy_adult", "female", 40.0)] * 2, np.array([60, 80]))
    keep = ["glucose_plasma", "insulin_sensitivity", "bmd_spine", "gut_carbohydrate"]
    layers = [SlowLayer(body, 600.0), SlowLayer(body, 600.0, keep=keep)]
    for layer in layers:
        layer.advance(1800.0)  # ends on the grid: the sample at 1800 s waits for the meal
        layer.add("gut_carbohydrate", np.array([75.0, 0.0]))
        layer.advance(4000.0, {"exercise_intensity": np.array([0.5, 0.0])})
        layer.advance(1234.5)
    (t_all, all_values), (t_kept, kept) = (layer.series() for layer in layers)
    full = dict(zip(layers[0].kept, all_values, strict=True))
    assert layers[1].kept == [  # the model's order: states, then assignments
        "gut_carbohydrate",
        "glucose_plasma",
        "bmd_spine",
        "insulin_sensitivity",
    ]
    np.testing.assert_array_equal(t_all, t_kept)
    assert t_kept[3] == 1800.0
    assert layers[1].n_samples == t_kept.size
    for name, values in zip(layers[1].kept, kept, strict=True):
        np.testing.assert_array_equal(values, full[name])
    assert kept[0, :, 3] == pytest.approx([75.0, 0.0], abs=1e-9)  # the meal, at its sample
