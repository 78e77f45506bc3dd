"""Muscle spindle (Mileusnic 2006) and Golgi tendon organ (Lin & Crago 2002) kernels."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import signal

from myoaxis.conditions import base_parameters
from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.physiology.neural import afferents as af

H = 1e-3  # s


@pytest.fixture(scope="module")
def sp() -> af.SpindleParameters:
    return af.SpindleParameters.from_parameters(base_parameters())


@pytest.fixture(scope="module")
def gto() -> af.GTOParameters:
    return af.GTOParameters.from_parameters(base_parameters())


def ramp(velocity, h=H, start=0.95, stop=1.08, pre=0.2, post=0.6):
    """Ramp-and-hold fibre lengths (L0) and times (s): ``pre`` at ``start``, then ``velocity``."""
    t = np.arange(0.0, pre + (stop - start) / velocity + post + h / 2, h)
    return t, np.clip(start + velocity * (t - pre), start, stop)


def dynamic_index(p, velocity, gamma_dynamic=0.0, gamma_static=0.0, pre=0.2):
    """Ia and II rate at the end of the ramp minus 0.5 s into the hold (Matthews' index)."""
    t, lengths = ramp(velocity, pre=pre)
    ia, ii = p_run(p, lengths, gamma_dynamic, gamma_static)
    end = pre + 0.13 / velocity
    k_end, k_hold = np.searchsorted(t, end - 1e-9), np.searchsorted(t, end + 0.5 - 1e-9)
    return ia[k_end] - ia[k_hold], ii[k_end] - ii[k_hold]


def p_run(p, lengths, gamma_dynamic=0.0, gamma_static=0.0, h=H):
    ia, ii = af.run_spindle(p, lengths[:, None], h, gamma_dynamic, gamma_static)
    return ia[:, 0], ii[:, 0]


def static_rates(p, length, gamma_dynamic=0.0, gamma_static=0.0):
    ia, ii = af.spindle_rates(
        p, af.spindle_rest(p, np.array([length]), gamma_dynamic, gamma_static)
    )
    return float(ia[0]), float(ii[0])


def test_table_values_are_read_per_fibre(sp):
    assert sp.fusimotor_frequency[0].tolist() == [60.0, 60.0, 90.0]
    assert sp.primary_gain[0].tolist() == [20000.0, 10000.0, 10000.0]
    assert sp.secondary_gain[0, 0] == 0.0
    assert sp.max_substep == pytest.approx(2.5e-4)


@pytest.mark.parametrize("gammas", [(0.0, 0.0), (70.0, 0.0), (0.0, 70.0), (40.0, 90.0)])
def test_steady_state_at_constant_length(sp, gammas):
    length = np.array([[0.98, 1.0, 1.1]])
    state = af.spindle_rest(sp, length, *gammas)
    rest = af.spindle_rates(sp, state)
    for _ in range(300):
        state = af.spindle_step(sp, state, length, H, *gammas)
    np.testing.assert_allclose(af.spindle_rates(sp, state), rest, atol=1e-8)
    np.testing.assert_allclose(state.polar_velocity, 0.0, atol=1e-10)
    # the rest state balances the sensory spring against the polar spring and the fusimotor force
    q = sp.shaped(2)
    tension = af.spindle_tension(sp, state)
    polar = q["polar_stiffness"] * (state.polar_length - q["polar_rest_length"])
    np.testing.assert_allclose(tension, polar + q["fusimotor_force"] * state.activation)


def test_rates_grow_with_length_and_vanish_when_slack(sp):
    ia = [static_rates(sp, x)[0] for x in (0.9, 0.97, 1.0, 1.05, 1.1)]
    ii = [static_rates(sp, x)[1] for x in (0.9, 0.97, 1.0, 1.05, 1.1)]
    assert ia[0] == 0.0
    assert np.all(np.diff(ia[1:]) > 0)
    assert np.all(np.diff(ii) >= 0)
    assert ii[-1] > ii[1]


def test_ia_responds_to_velocity(sp):
    """During a ramp the Ia rate exceeds its static rate at the same length, more so for faster
    stretches; shortening silences it below the static rate."""
    probe = 1.05
    static = static_rates(sp, probe)[0]
    moving = []
    for v in (0.1, 0.3, 1.0):
        t, lengths = ramp(v)
        ia, _ = p_run(sp, lengths)
        moving.append(ia[np.argmax(lengths >= probe)])
    assert moving[0] > static + 20.0
    assert np.all(np.diff(moving) > 0)
    t = np.arange(0.0, 0.2 + 0.13 / 0.3 + 0.3, H)  # release at 0.3 L0/s
    lengths = np.clip(1.08 - 0.3 * (t - 0.2), 0.95, 1.08)
    ia, _ = p_run(sp, lengths)
    assert ia[np.argmax(lengths <= probe)] < static


def test_gamma_dynamic_raises_the_dynamic_index_and_static_does_not(sp):
    """Crowe & Matthews' classic contrast: dynamic fusimotor drive (bag1) raises the Ia dynamic
    index; static drive (bag2, chain) raises the static discharge but not the dynamic index."""
    passive = dynamic_index(sp, 0.5)[0]
    dynamic = dynamic_index(sp, 0.5, gamma_dynamic=70.0)[0]
    static = dynamic_index(sp, 0.5, gamma_static=70.0)[0]
    assert dynamic > 1.5 * passive
    assert static < passive
    assert static_rates(sp, 1.05, gamma_static=70.0)[0] > static_rates(sp, 1.05)[0] + 20.0


def test_secondary_is_mostly_length_sensitive(sp):
    """Relative to its static length response, II responds far less to velocity than Ia."""
    (ia_dyn, ii_dyn) = dynamic_index(sp, 0.5)
    ia_len = static_rates(sp, 1.08)[0] - static_rates(sp, 0.95)[0]
    ii_len = static_rates(sp, 1.08)[1] - static_rates(sp, 0.95)[1]
    assert ii_len > 0
    assert ia_len > 0
    assert ii_dyn / ii_len < 0.5 * ia_dyn / ia_len
    # and dynamic fusimotor drive, which acts on bag1 only, leaves II untouched
    np.testing.assert_allclose(dynamic_index(sp, 0.5, gamma_dynamic=70.0)[1], ii_dyn)


def test_time_step_convergence(sp):
    """1 ms steps (4 sub-steps) agree with 0.1 ms steps to within 1.5 pps."""
    _, l_fine = ramp(0.5, h=1e-4, post=0.3)
    ia_fine, ii_fine = p_run(sp, l_fine, 30.0, 30.0, h=1e-4)
    ia, ii = p_run(sp, l_fine[::10], 30.0, 30.0, h=1e-3)
    assert np.max(np.abs(ia - ia_fine[::10])) < 1.5
    assert np.max(np.abs(ii - ii_fine[::10])) < 1.5


def _paper_bag1_rate(q, length0, velocity, span, dt=2e-6):
    r"""Bag1 primary rate (pps, every ms) from the paper's Eq. 6 in the tension,
    :math:`\ddot T = (K_{SR}/M)[C\beta\,\mathrm{sgn}(r)|r|^a(L - L_{0SR} - T/K_{SR} - R)
    + K_{PR}(L - L_{0SR} - T/K_{SR} - L_{0PR}) + M\ddot L - T]`, :math:`r = \dot L -
    \dot T/K_{SR}`, by explicit RK4 at ``dt``; the stretch starts at constant ``velocity``
    (the :math:`M\ddot L` impulse sets :math:`\dot T = K_{SR} v`). Plain floats: a reference
    independent of the kernel."""
    k_sr, k_pr, mass = q["sensory_stiffness"], q["polar_stiffness"], q["mass"]
    beta, a, big_r = q["passive_damping"], q["velocity_exponent"], q["zero_force_length"]
    l0_sr, l0_pr = q["sensory_rest_length"], q["polar_rest_length"]

    def accel(t, tension, d_tension):
        rel = velocity - d_tension / k_sr
        asym = q["lengthening_asymmetry"] if rel > 0 else q["shortening_asymmetry"]
        polar = length0 + velocity * t - l0_sr - tension / k_sr
        damping = asym * beta * math.copysign(abs(rel) ** a, rel) * (polar - big_r)
        return k_sr / mass * (damping + k_pr * (polar - l0_pr) - tension)

    tension = k_pr * (length0 - l0_sr - l0_pr) / (1.0 + k_pr / k_sr)
    d_tension, t, out = k_sr * velocity, 0.0, []
    per_ms = round(1e-3 / dt)
    for i in range(round(span / dt) + 1):
        if i % per_ms == 0:
            stretch = tension / k_sr - (q["sensory_threshold_length"] - l0_sr)
            out.append(q["primary_gain"] * max(stretch, 0.0))
        k1y, k1z = d_tension, accel(t, tension, d_tension)
        k2y = d_tension + dt / 2 * k1z
        k2z = accel(t + dt / 2, tension + dt / 2 * k1y, k2y)
        k3y = d_tension + dt / 2 * k2z
        k3z = accel(t + dt / 2, tension + dt / 2 * k2y, k3y)
        k4y = d_tension + dt * k3z
        k4z = accel(t + dt, tension + dt * k3y, k4y)
        tension += dt / 6 * (k1y + 2 * k2y + 2 * k3y + k4y)
        d_tension += dt / 6 * (k1z + 2 * k2z + 2 * k3z + k4z)
        t += dt
    return np.array(out)


def test_matches_the_papers_tension_equation(sp):
    """Our (polar length, polar velocity) form reproduces the paper's second-order equation in
    the bag1 tension, integrated independently."""
    q = {k: float(v[0, 0]) for k, v in sp.shaped(1).items()}
    length0, velocity, span = 0.95, 0.5, 0.1
    ref = _paper_bag1_rate(q, length0, velocity, span)
    state = af.spindle_rest(sp, np.array([length0]))
    ours = [0.0]
    for k in range(1, ref.size):
        state = af.spindle_step(sp, state, np.array([length0 + velocity * k * H]), H)
        stretch = state.fiber_length[0] - state.polar_length[0, 0] - q["sensory_threshold_length"]
        ours.append(q["primary_gain"] * max(stretch, 0.0))
    assert ref.max() > 50.0
    assert np.sqrt(np.mean((np.array(ours) - ref) ** 2)) < 1.5
    assert np.max(np.abs(np.array(ours) - ref)) < 3.0


def test_batched_equals_per_subject():
    base = base_parameters()
    other = base.with_values(
        {"spindle.sensory_stiffness": 9.0, "spindle.occlusion": 0.3, "spindle.max_substep": 0.1},
        "test",
    )
    both = af.SpindleParameters.from_parameters([base, other])
    assert both.max_substep == pytest.approx(1e-4)  # the batch uses the finest sub-step
    _, lengths = ramp(0.4, post=0.2)
    series = np.stack([lengths, lengths * 1.01, lengths * 0.99], axis=1)  # three heads
    batch = np.stack([series, series[:, ::-1]], axis=1)  # (T, S=2, H=3)
    gd = np.broadcast_to(np.array([[30.0], [60.0]]), batch.shape)
    ia, ii = af.run_spindle(both, batch, H, gd, 20.0)
    fine = base.with_values({"spindle.max_substep": 0.1}, "test")
    for s, params in enumerate((fine, other)):
        one = af.SpindleParameters.from_parameters(params)
        ia1, ii1 = af.run_spindle(one, batch[:, s : s + 1], H, gd[:, s : s + 1], 20.0)
        np.testing.assert_allclose(ia[:, s : s + 1], ia1, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(ii[:, s : s + 1], ii1, rtol=1e-12, atol=1e-9)


def test_subject_axis_only_equals_one_head(sp):
    _, lengths = ramp(0.4, post=0.1)
    two = np.stack([lengths, lengths * 1.02], axis=1)
    ia1, ii1 = af.run_spindle(sp, two, H, 50.0, 10.0)
    ia2, ii2 = af.run_spindle(sp, two[:, :, None], H, 50.0, 10.0)
    np.testing.assert_array_equal(ia1, ia2[:, :, 0])
    np.testing.assert_array_equal(ii1, ii2[:, :, 0])


def test_fusimotor_rates_per_subject_or_per_head(sp):
    lengths = np.full((2, 2), 1.02)  # (S, H) with S == H: (S,) rates must mean per subject
    per_subject = af.spindle_rest(sp, lengths, np.array([0.0, 80.0]))
    per_head = af.spindle_rest(sp, lengths, np.array([[0.0, 0.0], [80.0, 80.0]]))
    np.testing.assert_array_equal(per_subject.activation, per_head.activation)
    assert per_subject.activation[0, 0, 0] == 0.0
    assert per_subject.activation[1, 0, 0] > 0.5
    with pytest.raises(SimulationError, match="do not fit"):
        af.spindle_rest(sp, lengths, np.ones(3))


def test_population_rate():
    rates = np.array([[10.0, 20.0, 30.0], [0.0, 0.0, 6.0]])
    np.testing.assert_allclose(af.population_rate(rates), [20.0, 2.0])
    np.testing.assert_allclose(af.population_rate(rates, [1.0, 0.0, 1.0]), [20.0, 3.0])
    np.testing.assert_array_equal(af.population_rate(rates[:, 0]), rates[:, 0])
    with pytest.raises(SimulationError, match="weights"):
        af.population_rate(rates, [0.0, 0.0, 0.0])


def test_bad_spindle_input_is_reported(sp):
    state = af.spindle_rest(sp, np.ones((2, 3)))
    with pytest.raises(SimulationError, match="fusimotor"):
        af.spindle_step(sp, state, np.ones((2, 3)), H, gamma_dynamic=-1.0)
    with pytest.raises(SimulationError, match="fusimotor"):
        af.spindle_step(sp, state, np.ones((2, 3)), H, gamma_static=np.nan)
    with pytest.raises(SimulationError, match="do not match"):
        af.spindle_step(sp, state, np.ones((2, 2)), H)
    with pytest.raises(SimulationError, match="time step"):
        af.spindle_step(sp, state, np.ones((2, 3)), 0.0)
    with pytest.raises(SimulationError, match="finite and positive"):
        af.spindle_rest(sp, np.array([1.0, np.nan]))
    with pytest.raises(SimulationError, match="subjects"):
        af.spindle_rest(sp, np.ones((2, 2, 2)))


def test_bad_spindle_parameters_are_reported():
    base = base_parameters()
    with pytest.raises(ParameterError, match="mass"):
        af.SpindleParameters.from_parameters(base.with_values({"spindle.mass": -1.0}, "test"))
    with pytest.raises(ParameterError, match="velocity_exponent"):
        af.SpindleParameters.from_parameters(
            base.with_values({"spindle.velocity_exponent": 1.5}, "test")
        )
    two = af.SpindleParameters.from_parameters([base, base])
    with pytest.raises(SimulationError, match="2 subjects' parameters for 3"):
        af.spindle_rest(two, np.ones(3))


def test_gto_static_gain_and_dynamics_match_the_transfer_function(gto):
    """Ib = H(s)[G1 ln(F/G2 + 1)]: unit static gain, and the exact step response of H(s)."""
    assert gto.static_gain() == pytest.approx(1.0)
    t = np.arange(0.0, 20.0 + H / 2, H)
    force = np.where(t > 0.0, 200.0, 50.0)  # a step at t = 0+
    ib = af.run_gto(gto, force[:, None], H)[:, 0]
    d0, d1 = 60.0 * np.log(50.0 / 4.0 + 1.0), 60.0 * np.log(200.0 / 4.0 + 1.0)
    assert ib[0] == pytest.approx(d0)
    _, step = signal.step(([1.7, 2.58, 0.4], [1.0, 2.2, 0.4]), T=t)
    np.testing.assert_allclose(ib[1:], d0 + (d1 - d0) * step[1:], rtol=1e-9, atol=1e-9)
    assert ib[1] == pytest.approx(d0 + 1.7 * (d1 - d0), rel=1e-3)  # initial overshoot
    assert ib[-1] == pytest.approx(d1, rel=0.05)


def test_gto_is_silent_without_force_and_rectified(gto):
    assert af.gto_output(gto, af.gto_rest(gto, np.zeros(2)), np.zeros(2)).tolist() == [0.0, 0.0]
    ib = af.run_gto(gto, np.array([[300.0], [0.0], [0.0]]), H)  # sudden unloading
    assert ib[1, 0] == 0.0


def test_gto_batched_equals_per_subject():
    base = base_parameters()
    other = base.with_values({"gto.gain": 40.0}, "test")
    both = af.GTOParameters.from_parameters([base, other])
    wave = np.abs(np.sin(np.linspace(0.0, 3.0, 200)))[:, None, None]
    forces = wave * np.array([[100.0, 300.0], [50.0, 10.0]])  # (T, S=2, H=2), N
    ib = af.run_gto(both, forces, H)
    for s, params in enumerate((base, other)):
        one = af.run_gto(af.GTOParameters.from_parameters(params), forces[:, s : s + 1], H)
        np.testing.assert_allclose(ib[:, s : s + 1], one, rtol=1e-12)


def test_bad_gto_input_is_reported(gto):
    with pytest.raises(SimulationError, match="finite"):
        af.gto_rest(gto, np.array([np.inf]))
    with pytest.raises(SimulationError, match="do not match"):
        af.gto_step(gto, af.gto_rest(gto, np.ones(2)), np.ones(3), H)
    base = base_parameters()
    with pytest.raises(ParameterError, match="real roots"):
        af.GTOParameters.from_parameters(base.overridden({"gto.filter_denominator": "1"}, "test"))


@pytest.mark.validation
@pytest.mark.parametrize(
    "name",
    [
        "spindle_ia_velocity_exponent",
        "spindle_ii_velocity_exponent",
        "stretch_reflex_latency_elbow",
    ],
)
def test_afferent_validation_case_passes(name):
    import myoaxis.validation.afferents  # noqa: F401  (registers the cases)
    from myoaxis.validation.registry import CASES

    outcome = CASES[name].run()
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"
