"""The whole-muscle three-compartment fatigue model (3CC / 3CC-r) and its validation cases."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from myoaxis.conditions import base_parameters
from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.muscles import muscle_names
from myoaxis.physiology.muscle import fatigue as fa
from myoaxis.validation import fatigue as vf
from myoaxis.validation.registry import run_cases

SHOULDER = {"F": 0.01820, "R": 0.00168}  # Frey-Law et al. 2012 Table 1
GRIP = {"F": 0.00980, "R": 0.00064}
LD, LR = 10.0, 10.0


def reference(protocol, F, R, r, ld, lr):
    """Tight-tolerance ODE solution of the 3CC-r (state MA, MR, MF) through (load, seconds)."""

    def rhs(_, y, tl, rho):
        a, m, f = y
        c = lr * (tl - a) if a >= tl else ld * min(tl - a, m)
        return [c - F * a, -c + rho * f, F * a - rho * f]

    y = np.array([0.0, 1.0, 0.0])
    out = []
    for tl, d in protocol:
        rho = r * R if tl == 0 else R
        sol = solve_ivp(rhs, (0, d), y, args=(tl, rho), method="DOP853", rtol=1e-12, atol=1e-14)
        y = sol.y[:, -1]
        out.append(y.copy())
    return np.array(out)


def run(protocol, F, R, r, ld, lr, h):
    """The kernel through the same protocol with steps of at most ``h``."""
    state = fa.rest(())
    out = []
    for tl, d in protocol:
        n = max(1, round(d / h))
        for _ in range(n):
            state = fa.step(state, tl, F, R, r, ld, lr, d / n)
        out.append([state.active, state.resting, state.fatigued])
    return np.array(out, dtype=float)


# Work, rest and a failure (0.95 MVC for 30 s), with a slower relaxation than development.
PROTOCOL = [(0.5, 3.7), (0.0, 2.3), (0.9, 5.0), (0.3, 41.0), (0.0, 100.0), (0.95, 30.0), (0.05, 20)]


@pytest.mark.parametrize("h", [1.0, 0.05])
def test_step_is_exact_through_regime_switches_and_failure(h):
    ref = reference(PROTOCOL, SHOULDER["F"], SHOULDER["R"], 15.0, LD, 4.0)
    got = run(PROTOCOL, SHOULDER["F"], SHOULDER["R"], 15.0, LD, 4.0, h)
    np.testing.assert_allclose(got, ref, atol=1e-9)


def test_limited_regime_with_complex_eigenvalues():
    """Slow controller rates make the post-failure regime oscillatory (a separate formula)."""
    protocol = [(0.9, 60.0), (0.6, 40.0), (0.0, 30.0)]
    F, R, ld, lr = 0.04, 0.05, 0.05, 0.08
    assert ((ld + F - R) / 2) ** 2 < ld * F  # q < 0: complex eigenvalues
    ref = reference(protocol, F, R, 1.0, ld, lr)
    np.testing.assert_allclose(run(protocol, F, R, 1.0, ld, lr, 7.0), ref, atol=1e-9)


def test_one_long_step_equals_many_short_ones():
    F, R = GRIP["F"], GRIP["R"]
    state = fa.rest(3)
    tl = np.array([0.2, 0.5, 0.9])  # the last two fail within the step
    one = fa.step(state, tl, F, R, 30.0, LD, LR, 200.0)
    many = state
    for _ in range(2000):
        many = fa.step(many, tl, F, R, 30.0, LD, LR, 0.1)
    for x, y in zip(
        (one.active, one.resting, one.fatigued),
        (many.active, many.resting, many.fatigued),
        strict=True,
    ):
        np.testing.assert_allclose(x, y, atol=1e-10)


def test_conservation_and_non_negativity_hold_exactly():
    rng = np.random.default_rng(3)
    shape = (40, 5)
    F = rng.uniform(0.002, 0.05, shape)
    R = rng.uniform(0.0, 0.01, shape)
    r = rng.uniform(1.0, 30.0, shape)
    ld, lr = rng.uniform(0.5, 20.0, shape), rng.uniform(0.5, 20.0, shape)
    state = fa.rest(shape)
    for _ in range(150):
        tl = rng.choice([0.0, 0.1, 0.3, 0.6, 0.9, 1.0], shape)
        h = rng.choice([1e-3, 0.01, 0.3, 1.0, 30.0], shape)
        state = fa.step(state, tl, F, R, r, ld, lr, h)
        parts = np.stack([state.active, state.resting, state.fatigued])
        assert parts.min() >= 0.0
        np.testing.assert_allclose(parts.sum(axis=0), 1.0, rtol=0, atol=4e-16)


def test_batch_is_independent_of_its_neighbours():
    tl = np.array([0.0, 0.3, 0.95, 0.6])
    F = np.array([0.01, 0.02, 0.0182, 0.005])
    state = fa.rest(4)
    for _ in range(40):
        state = fa.step(state, tl, F, 0.001, 15.0, LD, LR, 1.0)
    for i in range(4):
        alone = fa.rest(())
        for _ in range(40):
            alone = fa.step(alone, tl[i], F[i], 0.001, 15.0, LD, LR, 1.0)
        assert alone.fatigued == pytest.approx(state.fatigued[i], abs=1e-14)
        assert alone.active == pytest.approx(state.active[i], abs=1e-14)


def test_controller_tracks_the_target_load():
    F, R = SHOULDER["F"], SHOULDER["R"]
    up = fa.step(fa.rest(()), 0.3, F, R, 15.0, LD, LR, 1.0)
    assert up.active == pytest.approx(0.3 * LD / (LD + F), abs=2e-4)  # settles just below TL
    down = fa.step(up, 0.1, F, R, 15.0, LD, 2.0, 3.0)
    assert down.active == pytest.approx(0.1, abs=3e-3)  # relaxed at LR = 2 /s
    assert fa.step(up, 0.0, F, R, 15.0, LD, LR, 2.0).active < 1e-8


def test_failure_is_capacity_below_target_at_the_closed_form_time():
    F, R = GRIP["F"], GRIP["R"]
    et = float(fa.endurance_time(0.4, F, R))
    before = fa.step(fa.rest(()), 0.4, F, R, 30.0, LD, LR, 0.98 * et)
    after = fa.step(before, 0.4, F, R, 30.0, LD, LR, 0.04 * et)
    assert not fa.failed(before, 0.4)
    assert fa.failed(after, 0.4)
    assert fa.capacity(after) == pytest.approx(1 - after.fatigued)
    assert after.fatigued > 1 - 0.4  # failure is MF > 1 - TL


def test_simulated_endurance_time_converges_to_the_closed_form():
    coarse, expected = vf.closed_form_table(1.0)
    fine, _ = vf.closed_form_table(0.25)
    # the state is exact at any step; only the linear interpolation of the failure time differs
    np.testing.assert_allclose(coarse, fine, rtol=1e-4)
    np.testing.assert_allclose(coarse, expected, rtol=0.02)
    # The residual is the model's own: MA settles at TL LD/(LD+F), reached after a lag 1/(LD+F).
    F, R, _ = (x[:, None] for x in vf.joint_rates())
    load = np.array(vf.LOADS)[None, :]
    settled = load * LD / (LD + F)
    refined = -np.log(1 - R * (1 - load) / (F * settled)) / R + 1 / (LD + F)
    np.testing.assert_allclose(coarse, refined, rtol=1e-4)


def test_recover_equals_stepping_at_zero_load_and_costs_one_call():
    F, R = SHOULDER["F"], SHOULDER["R"]
    tired = fa.step(fa.rest(2), np.array([0.5, 0.95]), F, R, 15.0, LD, LR, 60.0)
    rested = fa.recover(tired, F, R, 15.0, 600.0, LR)
    stepped = tired
    for _ in range(600):
        stepped = fa.step(stepped, 0.0, F, R, 15.0, LD, LR, 1.0)
    np.testing.assert_allclose(rested.fatigued, stepped.fatigued, atol=1e-13)
    np.testing.assert_allclose(rested.active, stepped.active, atol=1e-13)
    # closed form: MF decays at r R once MA has relaxed
    expected = tired.fatigued * np.exp(-15 * R * 600) + F * tired.active / (LR + F - 15 * R) * (
        np.exp(-15 * R * 600) - np.exp(-(LR + F) * 600)
    )
    np.testing.assert_allclose(rested.fatigued, expected, rtol=1e-12)
    week = fa.recover(tired, F, R, 15.0, 7 * 86400.0, LR)
    np.testing.assert_allclose(fa.capacity(week), 1.0, atol=1e-12)


def test_rest_multiplier_speeds_recovery_only_at_zero_load():
    F, R = GRIP["F"], GRIP["R"]
    tired = fa.step(fa.rest(()), 0.6, F, R, 1.0, LD, LR, 40.0)
    assert (
        fa.capacity(fa.recover(tired, F, R, 30.0, 60.0, LR))
        > fa.capacity(fa.recover(tired, F, R, 1.0, 60.0, LR)) + 0.05
    )
    light_r30 = fa.step(tired, 0.05, F, R, 30.0, LD, LR, 60.0)
    light_r1 = fa.step(tired, 0.05, F, R, 1.0, LD, LR, 60.0)
    assert light_r30.fatigued == light_r1.fatigued  # r applies only when TL = 0 (Rakshit eq. 7)


def test_endurance_time_closed_form_edges():
    F, R = 0.01, 0.001
    delta = fa.sustainable_load(F, R)
    assert delta == pytest.approx(R / (F + R))
    et = fa.endurance_time([0.0, 0.9 * delta, delta, 1.0], F, R)
    assert np.isinf(et[:3]).all()
    assert et[3] == 0.0
    assert fa.endurance_time(0.5, F, 0.0) == pytest.approx(0.5 / (F * 0.5))  # no recovery
    assert fa.endurance_time(0.5, F, 1e-12) == pytest.approx(1 / F, rel=1e-6)
    assert fa.endurance_time(0.5, F, R) == pytest.approx(-np.log(1 - R / F) / R)


def test_rates_load_from_the_muscle_files():
    p = base_parameters()
    assert p.value_in("muscle.grip.fatigue_rate", "1/s") == pytest.approx(0.00980)
    assert p.value_in("muscle.grip.rest_recovery_multiplier", "dimensionless") == 30
    assert p.value_in("muscle.shoulder_flexors.recovery_rate", "1/s") == pytest.approx(0.00168)
    assert p.value_in("fatigue.three_compartment.development_rate", "1/s") == 10
    for group in muscle_names():
        for leaf in ("fatigue_rate", "recovery_rate", "rest_recovery_multiplier"):
            assert f"muscle.{group}.{leaf}" in p
    fdi, grip = "muscle.first_dorsal_interosseous", "muscle.grip"
    assert p.value(f"{fdi}.fatigue_rate") == p.value(f"{grip}.fatigue_rate")  # hand/grip row


def test_table_rates_reproduce_the_published_delta_column():
    """R/(F+R) of each Frey-Law 2012 Table 1 row equals the table's own delta_max column (%)."""
    delta = {
        "ankle": 8.96,
        "knee": 9.04,
        "trunk": 9.04,
        "shoulder": 8.45,
        "elbow": 9.34,
        "grip": 6.13,
    }
    F, R, _ = vf.joint_rates(tuple(delta))
    np.testing.assert_allclose(100 * fa.sustainable_load(F, R), list(delta.values()), atol=0.006)


def test_published_endurance_time_reads_the_meta_analysis_table():
    assert vf.published_endurance_time("general", 0.5) == pytest.approx(21.92 * 0.5**-1.98)
    shoulder = vf.published_endurance_time("shoulder", np.array([0.2, 0.8]))
    np.testing.assert_allclose(shoulder, [282.6, 22.4], atol=0.1)  # MyoSuite docs table
    at40 = {j: float(vf.published_endurance_time(j, 0.4)) for j in vf.JOINT_GROUPS}
    assert sorted(at40, key=at40.get, reverse=True) == [  # ranking in the paper's abstract
        "ankle",
        "trunk",
        "grip",
        "elbow",
        "knee",
        "shoulder",
    ]
    with pytest.raises(ParameterError, match="did you mean 'knee'"):
        vf.published_endurance_time("knees", 0.5)
    with pytest.raises(ParameterError, match="fraction of MVC"):
        vf.published_endurance_time("knee", 1.5)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"F": 0.0}, ParameterError, "fatigue rate F"),
        ({"R": -1e-3}, ParameterError, "recovery rate R"),
        ({"r": np.nan}, ParameterError, "rest-recovery multiplier"),
        ({"LD": 0.0}, ParameterError, "LD and LR"),
        ({"target_load": 1.2}, SimulationError, "target load"),
        ({"h": -1.0}, SimulationError, "duration"),
    ],
)
def test_bad_input_raises_a_clear_error(kwargs, error, match):
    args = {"target_load": 0.3, "F": 0.01, "R": 0.001, "r": 15.0, "LD": LD, "LR": LR, "h": 0.01}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        fa.step(fa.rest(2), **args)


def test_split_fallback_conserves_and_stays_close(monkeypatch):
    """Lanes that switch regime too often within a step finish with exact-part splitting."""
    F, R = SHOULDER["F"], SHOULDER["R"]
    exact = fa.step(fa.rest(3), np.array([0.3, 0.95, 0.0]), F, R, 15.0, LD, LR, 0.01)
    monkeypatch.setattr(fa, "_MAX_SEGMENTS", 0)
    state = fa.rest(3)
    split = fa.step(state, np.array([0.3, 0.95, 0.0]), F, R, 15.0, LD, LR, 0.01)
    for _ in range(1000):
        state = fa.step(state, np.array([0.3, 0.95, 0.0]), F, R, 15.0, LD, LR, 0.03)
        parts = np.stack([state.active, state.resting, state.fatigued])
        assert parts.min() >= 0
        np.testing.assert_allclose(parts.sum(axis=0), 1.0, atol=4e-16)
    np.testing.assert_allclose(split.active, exact.active, atol=1e-4)
    monkeypatch.undo()
    ref = fa.rest(3)
    ref = fa.step(ref, np.array([0.3, 0.95, 0.0]), F, R, 15.0, LD, LR, 0.01)
    ref = fa.step(ref, np.array([0.3, 0.95, 0.0]), F, R, 15.0, LD, LR, 30.0)
    np.testing.assert_allclose(state.fatigued, ref.fatigued, atol=2e-4)


@pytest.mark.validation
def test_fatigue_validation_cases_pass():
    names = [
        "three_compartment_closed_form",
        "three_compartment_sustainable_load",
        "endurance_time_vs_meta_analysis",
    ]
    for outcome in run_cases(names):
        assert outcome.passed, (
            f"{outcome.name}: {outcome.measured_text} outside {outcome.band_text}"
        )
