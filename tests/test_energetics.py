"""Energetics: conservation, bounds, homeostasis, step/recover consistency, stability, monotony."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import curve_fit
from tests.conftest import make_body

from myoaxis.conditions import base_parameters, subject_parameters, vo2max_norms
from myoaxis.core.citations import registry, source_keys
from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.physiology.muscle import energetics as en
from myoaxis.validation import energetics as ve
from myoaxis.validation.registry import CASES


def params(n: int = 1) -> en.EnergeticsParameters:
    return ve.default_parameters(n)


def occluded_mvc(p, seconds: float, h: float, force: float = 1.0):
    """Occluded isometric contraction at ``force``; returns the state and summed outputs."""
    n = p.pcr_rest.shape[0]
    st = en.resting_state(p)
    demand = en.isometric_atp_demand(np.full(n, force), p.fast_ref, p)
    for _ in range(round(seconds / h)):
        st, _ = en.step(st, demand, np.zeros(n), p, h, np.ones(n))
    return st


def assert_state_close(a: en.EnergeticsState, b: en.EnergeticsState, **tol):
    for name in ("pcr", "lactate_muscle", "glycogen", "lactate_plasma", "glycolytic_drive"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), err_msg=name, **tol)


def test_parameters_from_body_and_sources():
    body = make_body(2)
    p = en.EnergeticsParameters.from_values(body.values, body.body_mass)
    np.testing.assert_allclose(p.oxidative_capacity, params(2).oxidative_capacity)
    defaults = subject_parameters("healthy_adult", "male", 35.0)
    names = [n for n in defaults if n.startswith("energetics.")]
    assert len(names) > 40
    keys = {k for n in names for k in source_keys(defaults[n].source)}
    assert keys <= set(registry())


def test_rest_is_homeostatic():
    p = params(2)
    rest = en.resting_state(p)
    st = rest
    for _ in range(600):
        st, out = en.step(st, p.atp_rest, np.ones(2), p, 1.0, np.full(2, 2.5))
    assert_state_close(st, rest, atol=1e-9)
    np.testing.assert_allclose(out.vo2, p.vo2_rest)
    np.testing.assert_allclose(out.glycolytic_flux, 0.0, atol=1e-12)
    assert_state_close(en.recover(rest, p, 86400.0, np.ones(2)), rest, atol=1e-9)
    traces, final = en.aerobic_bout(p, p.vo2_rest / p.vo2max, 600.0, 1.0, rest)
    assert_state_close(final, rest, atol=1e-9)
    np.testing.assert_allclose(traces["vo2"], np.broadcast_to(p.vo2_rest[:, None], (2, 601)))


def random_protocol(seed: int, n_steps: int = 400):
    rng = np.random.default_rng(seed)
    p = params(3)
    force = rng.uniform(0.0, 1.0, (n_steps, 3)) * (rng.uniform(size=(n_steps, 1)) < 0.7)
    fast = rng.uniform(0.0, 1.0, (n_steps, 3))
    hs = rng.choice([0.001, 0.05, 0.5, 1.0], n_steps)
    return p, force, fast, hs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_atp_balance_bounds_and_creatine(seed):
    p, force, fast, hs = random_protocol(seed)
    st = en.resting_state(p)
    mass = np.full(3, 2.5)
    for f, phi, h in zip(force, fast, hs, strict=True):
        demand = en.isometric_atp_demand(f, phi, p)
        new, out = en.step(st, demand, en.perfusion_from_force(f, p), p, h, mass)
        supplied = (out.oxidative_flux + out.glycolytic_flux + out.atp_deficit) * h
        np.testing.assert_allclose(demand * h, supplied + (st.pcr - new.pcr), atol=1e-10)
        st = new
        assert np.all((st.pcr >= 0) & (st.pcr <= p.total_creatine))
        np.testing.assert_allclose(st.pcr + st.creatine(p), p.total_creatine)
        assert np.all(st.lactate_muscle >= 0)
        assert np.all(st.lactate_plasma >= 0)
        assert np.all((st.glycogen >= 0) & (st.glycogen <= p.glycogen_rest + 1e-9))
        assert np.all((st.glycolytic_drive >= 0) & (st.glycolytic_drive <= 1))
        assert np.all(out.oxidative_flux >= 0)
        assert np.all(out.glycolytic_flux >= 0)


def test_lactate_mass_is_conserved_without_clearance():
    p = replace(params(1), clearance_rest=np.zeros(1))
    st = en.resting_state(p)
    mass = np.full(1, 3.0)
    produced = 0.0
    total0 = st.lactate_muscle * mass + st.lactate_plasma * p.lactate_volume
    demand = en.isometric_atp_demand(np.ones(1), np.full(1, 0.7), p)
    for k in range(300):
        perf = np.zeros(1) if k < 200 else np.ones(1)
        st, out = en.step(st, demand if k < 200 else p.atp_rest, perf, p, 0.2, mass)
        produced += float(en.LACTATE_PER_ATP * out.glycolytic_flux[0] * mass[0] * 0.2)
    total = st.lactate_muscle * mass + st.lactate_plasma * p.lactate_volume
    assert produced > 10.0
    np.testing.assert_allclose(total - total0, produced, rtol=1e-9)


def test_step_and_recover_agree():
    p = params(2)
    st0 = occluded_mvc(p, 20.0, 0.01, force=0.8)
    mass = np.full(2, 2.5)
    fine = st0
    for _ in range(round(240.0 / 0.1)):
        fine, _ = en.step(fine, p.atp_rest, np.ones(2), p, 0.1, mass)
    jump = en.recover(st0, p, 240.0, mass)
    assert_state_close(jump, fine, rtol=5e-3, atol=1e-4)


def test_recover_is_exact_and_cheap_for_long_rests():
    p = params(2)
    mass = np.full(2, 2.5)
    after_mvc = occluded_mvc(p, 20.0, 0.01)
    once = en.recover(after_mvc, p, 6 * 3600.0, mass)
    twice = en.recover(en.recover(after_mvc, p, 2 * 3600.0, mass), p, 4 * 3600.0, mass)
    assert_state_close(once, twice, rtol=1e-9, atol=1e-9)
    week = en.recover(after_mvc, p, 7 * 86400.0, mass)
    assert_state_close(week, en.resting_state(p), atol=1e-9)
    # 4.5 mmol/kg wet/h (Greiwe 1999) from 200 mmol/kg dry, capped at the resting store
    depleted = en.with_initial_glycogen(en.resting_state(p), 200.0)
    for hours in (1.0, 6.0, 48.0):
        g = en.recover(depleted, p, hours * 3600.0, mass).glycogen
        np.testing.assert_allclose(g, np.minimum(200.0 + 4.5 * p.wet_to_dry * hours, 450.0))


def test_pcr_recovery_is_mono_exponential_with_tau():
    p = params(1)
    st = en.resting_state(p)
    st = replace(st, pcr=0.5 * p.pcr_rest)  # below the oxidative cap: linear regime
    for t in (5.0, 20.0, 60.0, 120.0):
        r = en.recover(st, p, t, np.ones(1))
        deficit = 1.0 - r.pcr / p.pcr_rest
        np.testing.assert_allclose(deficit, 0.5 * np.exp(-t / p.tau_pcr), rtol=1e-12)


def test_large_steps_are_stable():
    p = params(1)
    ref = occluded_mvc(p, 30.0, 0.01)
    coarse = occluded_mvc(p, 30.0, 1.0)
    np.testing.assert_allclose(coarse.pcr, ref.pcr, atol=0.05 * p.pcr_rest[0])
    np.testing.assert_allclose(coarse.lactate_muscle, ref.lactate_muscle, rtol=0.05)
    huge = occluded_mvc(p, 60.0, 20.0, force=0.4)
    for _ in range(10):
        huge, _ = en.step(huge, p.atp_rest, np.ones(1), p, 30.0, np.ones(1))
    assert np.all(np.isfinite(huge.pcr))
    assert 0 < huge.pcr[0] <= p.total_creatine[0]


def test_vo2_on_kinetics_have_the_phase_two_time_constant():
    p = params(1)
    traces, _ = en.aerobic_bout(p, np.full(1, 0.4), 300.0, 0.5)
    t, vo2 = traces["time"], traces["vo2"][0]

    def model(t, amp, tau):
        return p.vo2_rest[0] + amp * (1.0 - np.exp(-t / tau))

    (amp, tau), _ = curve_fit(model, t, vo2, p0=(1.0, 20.0))
    assert tau == pytest.approx(p.tau_vo2[0], rel=0.01)
    assert p.vo2_rest[0] + amp == pytest.approx(0.4 * p.vo2max[0], rel=0.01)


def test_bout_aggregates_close_the_energy_and_glycogen_budgets():
    p = params(2)
    traces, final = en.aerobic_bout(p, np.array([0.5, 0.7]), 1200.0, 1.0, record_every=5)
    agg = en.bout_aggregates(traces, p)
    np.testing.assert_allclose(agg["glycogen_used"], p.glycogen_rest - final.glycogen)
    # energy per litre O2 lies between the fat and carbohydrate equivalents
    litres = agg["vo2_mean"] * 20.0
    assert np.all(agg["energy_expenditure"] > litres * p.energy_fat)
    assert np.all(agg["energy_expenditure"] < litres * p.energy_cho)
    assert np.all(np.diff(agg["carbohydrate_oxidised"]) > 0)
    assert np.all(agg["lactate_plasma_peak"] >= final.lactate_plasma)


def test_monotonic_responses():
    forces = np.linspace(0.1, 1.0, 10)
    p = params(10)
    pcr = occluded_mvc(p, 8.0, 0.05, force=forces).pcr
    assert np.all(np.diff(pcr) < 0)
    demand = en.isometric_atp_demand(np.full(10, 0.5), np.linspace(0, 1, 10), p)
    assert np.all(np.diff(demand) > 0)
    perf = en.perfusion_from_force(np.linspace(0, 1, 10), p)
    assert np.all(np.diff(perf) <= 0)
    assert (perf[0], perf[-1]) == (1.0, 0.0)
    intensity = np.linspace(0.3, 0.9, 10)
    assert np.all(np.diff(en.aerobic_atp_demand(intensity, p)) > 0)
    traces, final = en.aerobic_bout(p, intensity, 900.0, 1.0, record_every=900)
    assert np.all(np.diff(final.glycogen) < 0)
    assert np.all(np.diff(final.lactate_plasma) > 0)
    assert np.all(np.diff(traces["vo2"][:, -1]) > 0)
    assert np.all(np.diff(traces["glucose_uptake"][:, -1]) > 0)


def test_fuel_partition():
    p = params(5)
    i_rest = p.vo2_rest / p.vo2max
    i = np.array([0.2, 0.4, p.crossover[0], 0.7, 0.9])
    vo2 = i * p.vo2max
    fuel = en.fuel_partition(vo2, p.vo2_rest, i, i_rest, p.glycogen_rest, p)
    total = fuel.fat + fuel.glycogen + fuel.glucose + fuel.glucose_rest
    np.testing.assert_allclose(total, vo2)
    fat = en.fat_share(i, i_rest, p)
    assert fat[-1] == 0.0
    assert np.all(np.diff(fat) < 0)
    # equal energy from fat and carbohydrate at the crossover point
    assert fat[2] * p.energy_fat[0] == pytest.approx((1 - fat[2]) * p.energy_cho[0])
    low = en.fuel_partition(vo2, p.vo2_rest, i, i_rest, 0.5 * p.glycogen_rest, p)
    assert np.all(low.glycogen[:4] < fuel.glycogen[:4])
    assert np.all(low.fat >= fuel.fat)


def test_friend_vo2max_follows_the_decade_table_and_the_default_is_a_35_year_old_man():
    norms = vo2max_norms()
    assert en.friend_vo2max_per_kg("male", 25, norms) == pytest.approx(48.0)
    assert en.friend_vo2max_per_kg("male", 20, norms) == pytest.approx(48.0)  # peak decade holds
    assert en.friend_vo2max_per_kg("female", 55, norms) == pytest.approx(23.4)
    assert en.friend_vo2max_per_kg("female", 75, norms, 90) == pytest.approx(23.1)
    assert en.friend_vo2max_per_kg("male", 35, norms, 12.5) == pytest.approx((30.2 + 32.7) / 2)
    # log-linear within a decade: 30 y is the geometric mean of the 25 and 35 y medians
    assert en.friend_vo2max_per_kg("male", 30, norms) == pytest.approx(np.sqrt(48.0 * 42.4))
    # above 75 y the median's decline of the 70s goes on (women 18.3/20.0 per decade)
    assert en.friend_vo2max_per_kg("female", 85, norms) == pytest.approx(18.3**2 / 20.0)
    ages = np.arange(20.0, 90.5, 0.5)
    for sex in ("female", "male"):
        curve = [en.friend_vo2max_per_kg(sex, a, norms) for a in ages]
        assert np.all(np.diff(curve)[ages[1:] > 25] < 0)
        assert [en.friend_vo2max_per_kg(sex, 60, norms, c) for c in (5, 50, 95)] == sorted(
            en.friend_vo2max_per_kg(sex, 60, norms, c) for c in (5, 50, 95)
        )
    default = subject_parameters("healthy_adult", "male", 35.0).value("energetics.vo2max_per_kg")
    assert base_parameters().value("energetics.vo2max_per_kg") == pytest.approx(default)
    with pytest.raises(ParameterError, match="unknown sex"):
        en.friend_vo2max_per_kg("other", 30, norms)
    for bad in (4.9, 95.1):
        with pytest.raises(ParameterError, match="outside the FRIEND table"):
            en.friend_vo2max_per_kg("male", 30, norms, bad)


def test_bad_input_is_reported():
    p = params(1)
    st = en.resting_state(p)
    with pytest.raises(SimulationError, match="h > 0"):
        en.step(st, p.atp_rest, np.ones(1), p, 0.0, np.ones(1))
    with pytest.raises(SimulationError, match="seconds >= 0"):
        en.recover(st, p, -1.0, np.ones(1))
    with pytest.raises(SimulationError, match="intensity"):
        en.aerobic_bout(p, np.full(1, -0.1), 10.0, 1.0)
    with pytest.raises(ParameterError, match="occlusion_full_force"):
        replace(p, occlusion_full=np.full(1, 0.1)).check()
    with pytest.raises(ParameterError, match="total_creatine"):
        replace(p, total_creatine=0.5 * p.pcr_rest).check()


@pytest.mark.validation
@pytest.mark.parametrize(
    "name",
    [
        "pcr_recovery_tau",
        "spriet_glycolytic_share",
        "spriet_pcr_used",
        "glycogen_use_spencer1992",
        "fatmax_achten2002",
        "lactate_threshold",
    ],
)
def test_validation_case_passes(name):
    outcome = CASES[name].run()
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"
