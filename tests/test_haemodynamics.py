"""Balloon-model haemodynamics, systemic noise and fNIRS optics: kernels and their invariants."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.signal import find_peaks, welch

from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.physiology.brain import haemodynamics as hd
from myoaxis.physiology.brain import optics


def params(n: int = 1, age: float = 30.0) -> list:
    return [subject_parameters("healthy_adult", "male", age) for _ in range(n)]


@pytest.fixture(scope="module")
def balloon() -> hd.BalloonParameters:
    return hd.BalloonParameters.from_parameters(params())


def boxcar(n_times: int, dt: float, onset: float, duration: float, level: float = 1.0):
    z = np.zeros((1, n_times))
    z[0, round(onset / dt) : round((onset + duration) / dt)] = level
    return z


def test_rest_is_a_fixed_point(balloon):
    traces, state = hd.simulate(np.zeros((1, 600)), 0.1, balloon)
    for trace in (traces.flow, traces.volume, traces.deoxy):
        np.testing.assert_allclose(trace, 1.0, atol=1e-12)
    np.testing.assert_allclose(traces.hbo, 0.0, atol=1e-10)
    np.testing.assert_allclose(traces.hbr, 0.0, atol=1e-10)
    np.testing.assert_allclose(state.flow, 1.0, atol=1e-12)


def test_perturbed_state_returns_to_rest(balloon):
    start = hd.BalloonState(
        np.array([0.3]), np.array([0.1]), np.array([1.3]), np.array([1.1]), np.array([0.8])
    )
    traces, state = hd.simulate(np.zeros((1, 1200)), 0.1, balloon, start)
    assert traces.flow[0, 0] == pytest.approx(1.3)
    for x, rest in ((state.activity, 0), (state.signal, 0), (state.flow, 1), (state.volume, 1)):
        assert abs(float(x[0]) - rest) < 1e-4
    assert abs(float(state.deoxy[0]) - 1.0) < 1e-4


def test_steady_state_matches_the_analytic_solution(balloon):
    level = 0.4
    traces, _ = hd.simulate(np.full((1, 1500), level), 0.1, balloon)
    f = 1.0 + 0.5 * level  # flow_increase_at_full_activity = 0.5
    e0 = float(balloon.resting_extraction[0])
    v = f ** float(balloon.grubb_exponent[0])
    q = v * (1.0 - (1.0 - e0) ** (1.0 / f)) / e0
    assert traces.flow[0, -1] == pytest.approx(f, rel=1e-6)
    assert traces.volume[0, -1] == pytest.approx(v, rel=1e-6)
    assert traces.deoxy[0, -1] == pytest.approx(q, rel=1e-6)
    p0, s0 = float(balloon.baseline_total[0]), float(balloon.baseline_saturation[0])
    assert traces.hbr[0, -1] == pytest.approx(p0 * (1 - s0) * (q - 1), rel=1e-6)
    assert traces.hbt[0, -1] == pytest.approx(p0 * (v - 1), rel=1e-6)


def test_small_inputs_respond_linearly(balloon):
    dt = 0.1
    small, _ = hd.simulate(boxcar(400, dt, 2.0, 2.0, 1e-3), dt, balloon)
    double, _ = hd.simulate(boxcar(400, dt, 2.0, 2.0, 2e-3), dt, balloon)
    peak = np.abs(small.hbo).max()
    np.testing.assert_allclose(double.hbo, 2 * small.hbo, atol=2e-3 * peak)
    # superposition of two separate pulses
    late, _ = hd.simulate(boxcar(400, dt, 12.0, 2.0, 1e-3), dt, balloon)
    both, _ = hd.simulate(
        boxcar(400, dt, 2.0, 2.0, 1e-3) + boxcar(400, dt, 12.0, 2.0, 1e-3), dt, balloon
    )
    np.testing.assert_allclose(both.hbr, small.hbr + late.hbr, atol=2e-3 * peak)
    # and a large input does not (the balloon model is nonlinear)
    large, _ = hd.simulate(boxcar(400, dt, 2.0, 2.0, 1.0), dt, balloon)
    assert np.abs(large.hbo - 1e3 * small.hbo).max() > 0.02 * np.abs(large.hbo).max()


def test_agrees_with_an_adaptive_scipy_solution(balloon):
    dt, n = 0.1, 300
    z = boxcar(n, dt, 1.0, 5.0)
    traces, _ = hd.simulate(z, dt, balloon)
    b = balloon
    k, g, eps = b.signal_decay[0], b.autoregulation[0], b.efficacy[0]
    tau, alpha, e0, tn = b.transit_time[0], b.grubb_exponent[0], b.resting_extraction[0], 2.0

    def rhs(t, x):
        a, s, f, v, q = x
        u = 1.0 if 1.0 <= t < 6.0 else 0.0
        out = v ** (1 / alpha)
        ext = 1 - (1 - e0) ** (1 / f)
        return [
            (u - a) / tn,
            eps * a - k * s - g * (f - 1),
            s,
            (f - out) / tau,
            (f * ext / e0 - out * q / v) / tau,
        ]

    t = np.arange(n) * dt
    ref = solve_ivp(
        rhs, (0, t[-1]), [0, 0, 1, 1, 1], t_eval=t, rtol=1e-10, atol=1e-12, max_step=0.01
    )
    hbo, _ = hd.haemoglobin(ref.y[3][None], ref.y[4][None], balloon)
    assert np.abs(traces.hbo - hbo).max() < 1e-4 * np.abs(hbo).max()


def test_subjects_are_independent_of_the_batch():
    ps = params(3)
    overrides = [
        {},
        {"fnirs.balloon.transit_time": "1.5 s"},
        {"fnirs.balloon.signal_decay": "0.8 / s"},
    ]
    ps = [p.overridden(o, "test") for p, o in zip(ps, overrides, strict=True)]
    batch = hd.BalloonParameters.from_parameters(ps)
    z = np.repeat(boxcar(300, 0.1, 1.0, 3.0), 3, axis=0) * np.array([[1.0], [0.5], [0.8]])
    together, _ = hd.simulate(z, 0.1, batch)
    for s in range(3):
        alone, _ = hd.simulate(z[s : s + 1], 0.1, hd.BalloonParameters.from_parameters([ps[s]]))
        np.testing.assert_array_equal(together.hbo[s], alone.hbo[0])
    assert not np.allclose(together.hbo[1], together.hbo[2])


def test_region_axis_and_continuation(balloon):
    z = np.zeros((1, 2, 400))
    z[0, 0, 50:100] = 1.0  # left M1 only
    full, end = hd.simulate(z, 0.1, balloon)
    np.testing.assert_allclose(full.hbo[0, 1], 0.0, atol=1e-12)
    assert full.hbo[0, 0].max() > 1.0
    first, mid = hd.simulate(z[..., :150], 0.1, balloon)
    second, end2 = hd.simulate(z[..., 150:], 0.1, balloon, mid)
    np.testing.assert_allclose(np.concatenate([first.hbo, second.hbo], -1), full.hbo, rtol=1e-12)
    np.testing.assert_allclose(end2.deoxy, end.deoxy, rtol=1e-12)


def test_finer_steps_converge(balloon):
    z = boxcar(200, 0.1, 1.0, 2.0)
    coarse, _ = hd.simulate(z, 0.1, balloon, max_step=0.1)
    fine, _ = hd.simulate(z, 0.1, balloon, max_step=0.01)
    assert np.abs(coarse.hbo - fine.hbo).max() < 1e-3 * np.abs(fine.hbo).max()


def test_response_shape(balloon):
    dt = 0.01
    traces, _ = hd.simulate(boxcar(3000, dt, 2.0, 2.0), dt, balloon)
    peak = hd.time_to_peak(traces.hbo, dt)[0] - 2.0
    trough = hd.time_to_peak(-traces.hbr, dt)[0] - 2.0
    assert 4.0 < peak < 8.0
    assert trough > peak  # HbR falls later than HbO rises
    assert traces.hbo.max() > 0 > traces.hbr.min()
    assert traces.hbo[0, -200:].min() < 0  # post-stimulus undershoot


@pytest.mark.parametrize(
    ("z", "message"),
    [
        (np.zeros((2, 10)), "subjects=1"),
        (np.zeros(10), "subjects=1"),
        (np.full((1, 10), np.nan), "NaN"),
        (np.full((1, 300), -50.0), "left its valid range"),
    ],
)
def test_bad_input_is_a_clear_error(balloon, z, message):
    with pytest.raises(SimulationError, match=message):
        hd.simulate(z, 0.1, balloon)


def test_bad_parameters_are_rejected(balloon):
    with pytest.raises(ParameterError, match="resting_extraction"):
        replace(balloon, resting_extraction=np.array([1.2])).check()
    with pytest.raises(ParameterError, match="transit_time"):
        replace(balloon, transit_time=np.array([0.0])).check()
    with pytest.raises(SimulationError, match="sampling period"):
        hd.simulate(np.zeros((1, 5)), 0.0, balloon)


# --- physiological noise -------------------------------------------------------------------


def noise_parameters(n: int = 1, **changes) -> hd.NoiseParameters:
    return replace(hd.NoiseParameters.from_parameters(params(n)), **changes)


def test_noise_spectrum_peaks_at_the_configured_frequencies():
    fs, n = 10.0, 6000
    p = noise_parameters(frequency_sd=np.zeros((1, 3)), white_sd=np.zeros(1))
    hbo, hbr = hd.physiological_noise(n, 1 / fs, 2, p, SubjectRNG(subject_streams(3, 1)))
    freqs, power = welch(hbo[0, 0], fs=fs, nperseg=2000)
    peaks, _ = find_peaks(power, height=power.max() * 1e-3)
    top = freqs[peaks[np.argsort(power[peaks])[-3:]]]
    np.testing.assert_allclose(np.sort(top), [0.1, 0.25, 1.0], atol=fs / 2000)
    np.testing.assert_allclose(hbo[0, 0], hbo[0, 1])  # systemic: shared by channels
    np.testing.assert_allclose(hbr, 0.25 * hbo)
    amp = np.sqrt(2 * np.mean(hbo[0, 0] ** 2))  # sum of three sines: sqrt of summed squares
    assert amp == pytest.approx(math.sqrt(0.05**2 + 0.0375**2 + 0.025**2), rel=0.02)


def test_noise_frequencies_vary_between_subjects_and_batches_do_not_matter():
    fs, n = 10.0, 3000
    p3 = noise_parameters(3)
    rng3 = SubjectRNG(subject_streams(11, 3))
    three, _ = hd.physiological_noise(n, 1 / fs, 4, p3, rng3)
    one, _ = hd.physiological_noise(
        n, 1 / fs, 4, noise_parameters(1), SubjectRNG(subject_streams(11, 1))
    )
    np.testing.assert_array_equal(three[0], one[0])
    assert not np.allclose(three[0], three[1])
    white = three[:, 0] - three[:, 1]  # channels differ only by instrument noise
    assert np.std(white) == pytest.approx(math.sqrt(2) * 0.02, rel=0.05)


# --- optics --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def optic() -> optics.OpticsParameters:
    return optics.OpticsParameters.from_parameters(params(2), [30.0, 60.0])


def test_dpf_follows_scholkmann_and_wolf(optic):
    def published(lam, age):
        return 223.3 + 0.05624 * age**0.8493 - 5.723e-7 * lam**3 + 0.001245 * lam**2 - 0.9025 * lam

    expected = [[published(760, a), published(850, a)] for a in (30.0, 60.0)]
    np.testing.assert_allclose(optic.dpf, expected, rtol=1e-12)
    assert optic.dpf.min() > 5
    assert optic.dpf.max() < 8


def test_optical_density_of_a_known_change(optic):
    # 1 uM HbO, 3 cm, pathlength factor 1: ln(10) * 586 /(cm M) * 1e-6 M * 3 cm at 760 nm
    od = optics.optical_density(
        np.ones((1, 1, 1)), np.zeros((1, 1, 1)), optic, 0.03, ppf=np.ones(2)
    )
    assert od.shape == (1, 1, 2, 1)
    assert od[0, 0, 0, 0] == pytest.approx(math.log(10) * 586e-6 * 3, rel=1e-12)
    assert od[0, 0, 1, 0] == pytest.approx(math.log(10) * 1058e-6 * 3, rel=1e-12)


def test_beer_lambert_round_trip_is_exact(optic):
    rng = np.random.default_rng(0)
    hbo = rng.normal(0, 2, (2, 8, 50))
    hbr = rng.normal(0, 1, (2, 8, 50))
    distances = np.linspace(0.025, 0.04, 8)
    od = optics.optical_density(hbo, hbr, optic, distances)
    assert od.shape == (2, 8, 2, 50)
    back_o, back_r = optics.concentrations(od, optic, distances)
    np.testing.assert_allclose(back_o, hbo, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(back_r, hbr, rtol=1e-12, atol=1e-12)
    # intensity and back
    np.testing.assert_allclose(-np.log(optics.intensity(od, 2.0) / 2.0), od, atol=1e-14)


def test_partial_volume_dilutes_cortical_changes(optic):
    cortical = np.ones((2, 3, 4))
    np.testing.assert_allclose(optics.measured(cortical, optic), 1 / 50)


def test_optics_bad_input(optic):
    with pytest.raises(SimulationError, match="distances"):
        optics.optical_density(np.ones((1, 2, 3)), np.ones((1, 2, 3)), optic, 0.0)
    with pytest.raises(SimulationError, match="must match"):
        optics.optical_density(np.ones((1, 2, 3)), np.ones((1, 2, 4)), optic, 0.03)
    with pytest.raises(SimulationError, match=r"\(\.\.\., 2, time\)"):
        optics.concentrations(np.ones((1, 3, 4)), optic, 0.03)
    with pytest.raises(ParameterError, match="partial_volume"):
        replace(optic, partial_volume=np.array([0.5, 1.0])).check()
    odd = params(2)
    odd[1] = odd[1].overridden({"fnirs.optics.partial_volume_factor": 40}, "test")
    assert optics.OpticsParameters.from_parameters(odd, 30).partial_volume.tolist() == [50, 40]


def test_motor_montage_geometry():
    m = optics.motor_montage(0.03, 0.095)
    assert m.n_channels == 8
    assert m.regions == ("C3", "C4")
    assert np.all(np.abs(m.distances() - 0.03) < 0.001)
    radii = np.linalg.norm(np.vstack([m.source_positions, m.detector_positions]), axis=1)
    np.testing.assert_allclose(radii, 0.095, rtol=1e-12)
    left = m.source_positions[:2, 0]
    right = m.source_positions[2:, 0]
    assert np.all(left < 0)  # C3 over the left hemisphere
    assert np.all(right > 0)
    np.testing.assert_allclose(m.channel_region, [0, 0, 0, 0, 1, 1, 1, 1])
    with pytest.raises(ParameterError, match="separation"):
        optics.motor_montage(0.2, 0.095)


# --- validation cases (myoaxis.validation.haemodynamics) ---------------------------------------


@pytest.mark.validation
@pytest.mark.parametrize("name", ["hbo_time_to_peak", "hbr_hbo_ratio"])
def test_validation_case_passes(name):
    import myoaxis.validation.haemodynamics  # noqa: F401 - registers the cases
    from myoaxis.validation.registry import CASES

    outcome = CASES[name].run()
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


@pytest.mark.validation
@pytest.mark.interop
@pytest.mark.slow
def test_glm_recovers_the_injected_amplitude():
    pytest.importorskip("mne")
    pytest.importorskip("mne_nirs")
    from myoaxis.validation import haemodynamics
    from myoaxis.validation.registry import CASES

    injected, estimated = haemodynamics.glm_amplitudes()
    assert injected.shape == (4,)
    assert np.all(injected > 0.05)  # µM: the response is there to find
    outcome = CASES["fnirs_glm_amplitude"].run()
    assert outcome.passed, f"{outcome.measured_text} outside {outcome.band_text}"
    np.testing.assert_allclose(estimated, injected, rtol=0.2)


def test_record_chains_haemodynamics_noise_and_optics(balloon):
    op = optics.OpticsParameters.from_parameters(params(), 30.0)
    montage = optics.motor_montage()
    drive = np.zeros((1, 2, 300))
    drive[0, 1, 20:70] = 1.0  # left-hand tapping: right M1 (C4)
    rec = optics.record(drive, 0.1, balloon, op, montage)
    cortical, _ = hd.simulate(drive, 0.1, balloon)
    right = montage.channel_region == 1
    np.testing.assert_allclose(rec.hbo[0, right], np.repeat(cortical.hbo[:, 1] / 50, 4, axis=0))
    np.testing.assert_allclose(rec.hbo[0, ~right], 0.0, atol=1e-12)
    np.testing.assert_allclose(rec.intensity, np.exp(-rec.od))
    back, _ = optics.concentrations(rec.od, op, montage.distances())
    np.testing.assert_allclose(back, rec.hbo, atol=1e-12)
    noise = hd.NoiseParameters.from_parameters(params())
    noisy = optics.record(
        drive, 0.1, balloon, op, montage, noise=noise, rng=SubjectRNG(subject_streams(1, 1))
    )
    assert 0.01 < np.std(noisy.hbo[0, 0] - rec.hbo[0, 0]) < 0.1
    with pytest.raises(SimulationError, match="rng"):
        optics.record(drive, 0.1, balloon, op, montage, noise=noise)
    with pytest.raises(SimulationError, match="regions=2"):
        optics.record(drive[:, :1], 0.1, balloon, op, montage)
