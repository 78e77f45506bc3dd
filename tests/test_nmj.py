"""Neuromuscular junction: per-spike kernel invariants, batched paths, overlays and RNS criteria."""

from __future__ import annotations

import math

import numpy as np
import pytest

from myoaxis.assess.rns import nmj_parameters, rns_records, rns_test
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import ParameterError
from myoaxis.physiology.muscle import nmj

MUSCLE = "first_dorsal_interosseous"


def make_params(n: int = 1, **changes) -> nmj.NMJParameters:
    base = {
        "release_probability": 0.2,
        "calcium_entry": 1.0,
        "calcium_cooperativity": 4.0,
        "quantal_size": 1.0,
        "safety_factor": 3.0,
        "safety_factor_spread": 0.35,
        "recovery_time": 1.0,
        "recovery_calcium_gain": 40.0,
        "facilitation_increment": 0.1,
        "facilitation_time": 0.05,
        "potentiation_increment": 0.0005,
        "potentiation_time": 20.0,
    }
    base.update(changes)
    return nmj.NMJParameters(**{k: np.full(n, float(v)) for k, v in base.items()})


def body_with(*conditions: tuple[str, ...]) -> Body:
    params = [subject_parameters("healthy_adult", "female", 40, conditions=c) for c in conditions]
    return Body(params, np.full(len(params), 70.0))


@pytest.fixture(scope="module")
def clinical():
    """RNS of a healthy, a myasthenic and a Lambert–Eaton subject in one batch."""
    return rns_test(body_with((), ("myasthenia_gravis",), ("lambert_eaton",)), MUSCLE, 3.0)


# ---- the scalar kernel ----------------------------------------------------------------------


def test_store_and_residuals_stay_bounded_over_random_spike_trains():
    q = make_params(calcium_entry=1.4).packed()[0]  # high release probability: strong depletion
    rng = np.random.default_rng(3)
    store, facil, ptp = 1.0, 0.0, 0.0
    for gap in rng.exponential(0.02, 3000):
        relaxed = nmj.relax_unit(store, facil, ptp, gap, q)[0]
        phi, store, facil, ptp = nmj.transmit(store, facil, ptp, gap, q)
        assert 0.0 <= phi <= 1.0
        assert 0.0 <= store <= relaxed <= 1.0  # a spike only removes what the store holds
        assert facil >= 0.0
        assert ptp >= 0.0
    assert store < 0.5  # 50 Hz on average did deplete the store


def test_released_fraction_equals_release_probability():
    q = make_params().packed()[0]
    _, store, _, _ = nmj.transmit(1.0, 0.0, 0.0, math.inf, q)
    assert store == pytest.approx(1.0 - 0.2)  # p = p0 at rest (x = 1)


def test_state_recovers_to_rest_after_a_long_pause():
    q = make_params().packed()[0]
    state = (1.0, 0.0, 0.0)
    for _ in range(300):
        state = nmj.transmit(*state, 1 / 30, q)[1:]
    assert state[0] < 0.9
    assert state[1] > 0.1
    assert state[2] > 0.05
    rested = nmj.relax_unit(*state, 600.0, q)
    assert rested == pytest.approx((1.0, 0.0, 0.0), abs=1e-9)
    first = nmj.transmit(1.0, 0.0, 0.0, math.inf, q)
    assert nmj.transmit(*state, 600.0, q) == pytest.approx(first, abs=1e-9)


def test_facilitation_and_potentiation_decay_exponentially():
    q = make_params().packed()[0]
    for dt in (0.01, 0.05, 0.2):
        _, f, a = nmj.relax_unit(1.0, 0.4, 0.3, dt, q)
        assert f == pytest.approx(0.4 * math.exp(-dt / 0.05))
        assert a == pytest.approx(0.3 * math.exp(-dt / 20.0))


def test_relaxation_composes_exactly():
    q = make_params().packed()[0]
    state = (0.3, 0.5, 0.4)
    once = nmj.relax_unit(*state, 0.7, q)
    twice = nmj.relax_unit(*nmj.relax_unit(*state, 0.25, q), 0.45, q)
    assert once == pytest.approx(twice, rel=1e-12)


def test_residual_calcium_speeds_refilling():
    q = make_params().packed()[0]
    plain = nmj.relax_unit(0.2, 0.0, 0.0, 0.1, q)[0]
    with_calcium = nmj.relax_unit(0.2, 0.5, 0.0, 0.1, q)[0]
    assert with_calcium > plain


def test_paired_pulse_facilitation_raises_release():
    q = make_params(calcium_entry=0.67).packed()[0]  # low p: depletion negligible
    _, *state = nmj.transmit(1.0, 0.0, 0.0, math.inf, q)
    released1 = 1.0 - state[0]
    _, store2, _, _ = nmj.transmit(*state, 0.01, q)
    released2 = nmj.relax_unit(*state, 0.01, q)[0] - store2
    assert released2 > 1.2 * released1


def test_fraction_firing_is_the_lognormal_cdf():
    assert nmj.fraction_firing(1.0, 0.35) == pytest.approx(0.5)
    assert nmj.fraction_firing(0.0, 0.35) == 0.0
    assert nmj.fraction_firing(math.exp(0.35), 0.35) == pytest.approx(0.8413447, abs=1e-6)


# ---- batched paths ---------------------------------------------------------------------------


def scalar_rns(q, frequency, n_stimuli, rate=None, duration=0.0, rest=0.0):
    """Reference: the RNS of one unit written as a plain Python loop over transmit()."""
    state, gap = (1.0, 0.0, 0.0), math.inf
    if duration > 0:
        times = np.arange(0.0, duration, 1.0 / rate)
        for _ in times:
            state = nmj.transmit(*state, gap, q)[1:]
            gap = 1.0 / rate
        gap = duration - times[-1] + rest
    out = []
    for _ in range(n_stimuli):
        phi, *state = nmj.transmit(*state, gap, q)
        out.append(phi)
        gap = 1.0 / frequency
    return np.array(out)


def test_batched_rns_matches_the_scalar_kernel():
    params = make_params(2, quantal_size=0.45)
    rates = np.array([[35.0, 30.0, 25.0], [33.0, 28.0, 0.0]])
    weights = np.array([[1.0, 2.0, 4.0], [1.0, 1.0, 1.0]])
    got = nmj.rns(params, weights, 3.0, 6, conditioning_s=2.0, rest_before_s=1.5, effort_rate=rates)
    q = params.packed()[0]
    for s in range(2):
        per_unit = np.array(
            [
                scalar_rns(q, 3.0, 6, r, 2.0, 1.5) if r > 0 else scalar_rns(q, 3.0, 6)
                for r in rates[s]
            ]
        )
        expected = (per_unit * weights[s][:, None]).sum(axis=0) / weights[s].sum()
        assert got[s] == pytest.approx(expected, rel=1e-12)


def test_stimulate_and_relax_agree_with_the_scalar_kernel():
    params = make_params(2, calcium_entry=0.8)
    state = nmj.NMJState(
        np.array([[1.0, 0.5]] * 2), np.array([[0.0, 0.3]] * 2), np.full((2, 2), 0.1)
    )
    elapsed = np.array([[0.02, 0.5], [np.inf, 3.0]])
    phi, new = nmj.stimulate(state, params, elapsed)
    q = params.packed()[0]
    for s in range(2):
        for i in range(2):
            ref = nmj.transmit(
                state.store[s, i], state.facil[s, i], state.ptp[s, i], elapsed[s, i], q
            )
            assert (phi[s, i], new.store[s, i], new.facil[s, i], new.ptp[s, i]) == pytest.approx(
                ref
            )
    assert state.store[0, 1] == 0.5  # inputs are not modified
    rested = nmj.relax(new, params, 1e4)
    np.testing.assert_allclose(rested.store, 1.0)


def test_regular_firing_counts_spikes_and_reports_transmission():
    params = make_params(2)
    rest = nmj.NMJState.rest((2, 2))
    rate = np.array([[30.0, 0.0], [10.0, 20.0]])
    state, mean_phi = nmj.regular_firing(rest, params, rate, 1.0)
    assert mean_phi[0, 1] == 0.0  # silent unit
    assert state.store[0, 1] == 1.0
    assert state.facil[0, 0] > 0.0
    # 30 spikes at 30 Hz in 1 s add 30 potentiation increments before decay
    q = params.packed()[0]
    ptp = sum(0.0005 * math.exp(-(1.0 - k / 30) / 20.0) for k in range(30))
    assert state.ptp[0, 0] == pytest.approx(ptp, rel=1e-9)
    assert np.all(mean_phi[rate > 0] > 0.95)  # healthy transmission holds at these rates
    assert q.shape == (nmj.N_PACKED,)


def test_bad_inputs_raise_parameter_errors():
    with pytest.raises(ParameterError, match="release_probability"):
        make_params(release_probability=1.2)
    with pytest.raises(ParameterError, match="safety_factor_spread"):
        make_params(safety_factor_spread=0.0)
    params = make_params()
    with pytest.raises(ParameterError, match="frequency"):
        nmj.rns(params, np.ones((1, 3)), 0.0)
    with pytest.raises(ParameterError, match="weights"):
        nmj.rns(params, np.ones(3), 3.0)
    with pytest.raises(ParameterError, match="effort_rate"):
        nmj.rns(params, np.ones((1, 3)), 3.0, conditioning_s=10.0)
    with pytest.raises(ParameterError, match="elapsed"):
        nmj.stimulate(nmj.NMJState.rest((1, 3)), params, -1.0)


# ---- overlays, body adapter and the clinical criteria --------------------------------------


def test_condition_overlays_replace_nmj_defaults():
    healthy = subject_parameters("healthy_adult", "female", 40)
    mg = subject_parameters("healthy_adult", "female", 40, conditions=("myasthenia_gravis",))
    lems = subject_parameters("healthy_adult", "female", 40, conditions=("lambert_eaton",))
    assert healthy.value("nmj.quantal_size") == 1.0
    assert mg.value("nmj.quantal_size") < 1.0
    assert lems.value("nmj.calcium_entry") < 1.0
    assert mg.value("nmj.calcium_entry") == lems.value("nmj.quantal_size") == 1.0
    params = nmj_parameters(Body([mg, lems], np.array([70.0, 70.0])))
    assert params.quantal_size.tolist() == [mg.value("nmj.quantal_size"), 1.0]
    assert params.facilitation_time[0] == pytest.approx(0.05)  # converted from ms


def test_healthy_rns_has_no_decrement_and_no_increment(clinical):
    assert clinical["cmap"][0, 0] > 0.99
    assert 0.0 <= clinical["decrement"][0] < 5.0
    assert abs(clinical["increment"][0]) < 10.0


def test_myasthenia_gravis_decrements_with_a_u_shaped_train(clinical):
    cmap = clinical["cmap"][1]
    assert clinical["decrement"][1] > 10.0
    drops = -np.diff(cmap)
    assert np.argmax(drops) == 0  # the largest fall is from the 1st to the 2nd response
    assert 3 <= int(np.argmin(cmap)) <= 6  # lowest around the 4th-7th, then it recovers
    assert cmap[-1] > cmap.min()
    assert clinical["increment"][1] < 60.0


def test_lambert_eaton_has_a_small_cmap_that_increases_after_exercise(clinical):
    assert clinical["cmap"][2, 0] < 0.5
    assert clinical["increment"][2] > 100.0
    assert clinical["decrement"][2] > 10.0  # low-rate decrement is usual in LEMS too


def test_high_rate_stimulation_separates_pre_and_postsynaptic_disease():
    res = rns_test(body_with((), ("myasthenia_gravis",), ("lambert_eaton",)), MUSCLE, 50.0)
    change = res["cmap"][:, -1] / res["cmap"][:, 0] - 1.0
    assert abs(change[0]) < 0.05  # no pseudofacilitation in the model: a flat healthy train
    assert change[1] < 0.6  # MG: almost never a 60 % increment at high rate (Oh 2005)
    assert change[2] > 0.6  # LEMS: >= 60 % increment at 50 Hz (Oh 2005)


def test_rns_is_deterministic_and_independent_of_the_batch(clinical):
    alone = rns_test(body_with(("lambert_eaton",)), MUSCLE, 3.0)
    for key, value in alone.items():
        np.testing.assert_array_equal(value[0], clinical[key][2])


def test_rns_records_have_one_record_per_subject():
    records = rns_records(body_with((), ("myasthenia_gravis",)), MUSCLE, 3.0, 12.0, "step-2")
    assert [r["subject"] for r in records] == [0, 1]
    rec = records[1]
    assert rec["test"] == "rns"
    assert rec["unit"] == "%"
    assert rec["step"] == "step-2"
    assert rec["time_s"] == 12.0
    assert len(rec["cmap"]) == 10
    assert rec["value"] == pytest.approx((1 - rec["cmap"][3] / rec["cmap"][0]) * 100)
    assert rec["cmap_first_relative"] == rec["cmap"][0]
    assert set(rec) >= {"increment_after_exercise", "cmap_post_exercise", "frequency_hz"}
