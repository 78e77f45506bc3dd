"""Surface EMG synthesis: exact templates, size scaling, fatigue indices, determinism, speed."""

from __future__ import annotations

import time

import numpy as np
import pytest
from tests.conftest import make_body

from myoaxis.conditions import base_parameters
from myoaxis.core.errors import MyoAxisError, ParameterError, SimulationError
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.physiology.muscle import emg

P = emg.EMGParameters.from_parameters(base_parameters())
FS = P.sampling_rate


@pytest.fixture(scope="module")
def pool():
    return make_body().pool("elbow_flexors")


def unit_tables(pool, seed: int = 3):
    """Amplitude, fresh CV and fresh width per unit, shape (units,)."""
    amp = emg.unit_amplitude(
        pool.twitch_peak[0],
        np.random.default_rng(seed),
        amplitude_smallest=P.amplitude_smallest,
        amplitude_exponent=P.amplitude_exponent,
        depth_max=P.depth_max,
        attenuation_length=P.attenuation_length,
    )
    cv = emg.unit_conduction_velocity(
        pool.contraction_time[0], cv_slowest=P.cv_slowest, cv_fastest=P.cv_fastest
    )
    width = emg.muap_width(cv, template_width=P.template_width, cv_reference=P.cv_reference)
    return amp, cv, width


def renewal_spikes(rates: np.ndarray, duration: float, seed: int, isi_cv: float = 0.2):
    """Gaussian-renewal discharges of every unit (vectorised over units): unit, time arrays."""
    rng = np.random.default_rng(seed)
    n_max = int(duration * rates.max() * 1.5) + 10
    z = np.clip(rng.standard_normal((rates.size, n_max)), -3.9, 3.9)
    isi = (1.0 + isi_cv * z) / rates[:, None]
    t = np.cumsum(isi, axis=1) - isi[:, :1] * rng.random((rates.size, 1))
    unit = np.broadcast_to(np.arange(rates.size)[:, None], t.shape)
    keep = t < duration
    order = np.argsort(t[keep], kind="stable")
    return unit[keep][order], t[keep][order]


def synth(unit, t, capacity, amp, width, duration, **kw):
    return emg.synthesize(
        unit,
        t,
        capacity,
        amp,
        width,
        cv_fatigue_slope=P.cv_fatigue_slope,
        width_fatigue_slope=P.width_fatigue_slope,
        fs=FS,
        duration=duration,
        **kw,
    )


def test_template_has_unit_peak_and_is_antisymmetric():
    lam = 3e-3
    assert emg.hermite_rodriguez(lam / np.sqrt(2.0), lam) == pytest.approx(1.0)
    t = np.linspace(-0.02, 0.02, 401)
    h = emg.hermite_rodriguez(t, lam)
    assert h.max() == pytest.approx(1.0, abs=1e-3)
    np.testing.assert_allclose(h, -h[::-1], atol=1e-15)


def test_synthesis_equals_the_direct_sum_of_templates():
    """Continuous spike times, two subjects, fatigue widening and edge spikes: every sample
    equals the sum of the exact templates (to the ±3.5 λ truncation)."""
    rng = np.random.default_rng(0)
    amp = np.array([[0.1, 0.5, 1.0], [0.2, 0.3, 0.7]])
    width = np.array([[4e-3, 3e-3, 2e-3], [3.5e-3, 2.5e-3, 2.2e-3]])
    k = 60
    subject = rng.integers(0, 2, k)
    unit = rng.integers(0, 3, k)
    t = np.concatenate([rng.uniform(-0.01, 0.51, k - 2), [0.0005, 0.4999]])
    cap = rng.uniform(0.0, 1.0, k)
    out = emg.synthesize(
        unit, t, cap, amp, width, cv_fatigue_slope=0.4, width_fatigue_slope=0.25,
        fs=FS, duration=0.5, subject=subject,
    )  # fmt: skip
    n = np.arange(round(0.5 * FS)) / FS
    loss = 1.0 - cap
    lam = width[subject, unit] * (1 + 0.25 * loss) / (1 - 0.4 * loss)
    direct = np.zeros((2, n.size))
    np.add.at(
        direct,
        subject,
        amp[subject, unit][:, None] * emg.hermite_rodriguez(n[None, :] - t[:, None], lam[:, None]),
    )
    assert out.shape == (2, n.size)
    np.testing.assert_allclose(out, direct, atol=1e-4 * amp.max())


def test_larger_units_have_larger_and_faster_muaps(pool):
    twitch = pool.twitch_peak[0]
    flat = emg.unit_amplitude(
        twitch,
        np.random.default_rng(1),
        amplitude_smallest=0.06,
        amplitude_exponent=0.5,
        depth_max=0.0,
        attenuation_length=4.3,
    )
    np.testing.assert_allclose(flat, 0.06 * np.sqrt(twitch / twitch.min()))
    assert flat[-1] / flat[0] == pytest.approx(np.sqrt(twitch[-1] / twitch[0]))
    amp, cv, width = unit_tables(pool)
    assert amp[-30:].mean() > 3 * amp[:30].mean()  # size beats the random depth
    assert np.all(amp <= flat)
    assert np.all(amp >= flat * np.exp(-P.depth_max / 4.3))
    assert np.all(np.diff(cv) > 0)
    assert np.all(np.diff(width) < 0)
    assert cv[0] == pytest.approx(P.cv_slowest)
    assert cv[-1] == pytest.approx(P.cv_fastest)
    assert cv.mean() == pytest.approx(4.0, abs=0.1)  # documented unit mean for 3-5.5 m/s


def test_fatigue_lowers_median_frequency_and_raises_rms_for_the_same_spikes(pool):
    amp, cv, width = unit_tables(pool)
    unit, t = renewal_spikes(np.full(amp.size, 20.0), 10.0, seed=4)
    fresh = synth(unit, t, np.ones(t.size), amp, width, 10.0)
    tired = synth(unit, t, np.full(t.size, 0.5), amp, width, 10.0)
    _, mdf0 = emg.median_frequency(fresh, FS, P.window, P.welch_segment)
    _, mdf1 = emg.median_frequency(tired, FS, P.window, P.welch_segment)
    _, mnf0 = emg.mean_frequency(fresh, FS, P.window, P.welch_segment)
    _, mnf1 = emg.mean_frequency(tired, FS, P.window, P.welch_segment)
    _, rms0 = emg.rms(fresh, FS, P.window)
    _, rms1 = emg.rms(tired, FS, P.window)
    widening = float(emg.width_factor(0.5, P.cv_fatigue_slope, P.width_fatigue_slope))
    assert widening == pytest.approx(1.125 / 0.8)
    # every MUAP is the same shape, wider by `widening`: frequencies scale by its inverse,
    # energy per discharge by it (peaks kept); the firing statistics add a little low power
    assert mdf1.mean() / mdf0.mean() == pytest.approx(1 / widening, rel=0.05)
    assert mnf1.mean() / mnf0.mean() == pytest.approx(1 / widening, rel=0.05)
    assert rms1.mean() / rms0.mean() == pytest.approx(np.sqrt(widening), rel=0.05)
    assert np.all(mdf1 < mdf0)
    assert np.all(rms1 > rms0)
    cap = np.full(t.size, 0.5)
    _, v0 = emg.conduction_velocity_trace(
        unit, t, np.ones(t.size), cv, cv_fatigue_slope=P.cv_fatigue_slope, duration=10.0, window=1.0
    )
    _, v1 = emg.conduction_velocity_trace(
        unit, t, cap, cv, cv_fatigue_slope=P.cv_fatigue_slope, duration=10.0, window=1.0
    )
    np.testing.assert_allclose(v1 / v0, 0.8)
    # the MDF falls more than the CV (Rainoldi 1999; Merletti 1990)
    assert 1 - mdf1.mean() / mdf0.mean() > 1 - (v1 / v0).mean()


def test_median_frequency_falls_as_capacity_falls_during_a_bout(pool):
    amp, _, width = unit_tables(pool)
    unit, t = renewal_spikes(np.full(amp.size, 18.0), 20.0, seed=5)
    capacity = 1.0 - 0.5 * t / 20.0  # every unit tires linearly to 0.5
    x = synth(unit, t, capacity, amp, width, 20.0)
    _, mdf = emg.median_frequency(x, FS, 2.0, P.welch_segment)
    _, r = emg.rms(x, FS, 2.0)
    slope_mdf = np.polyfit(np.arange(mdf.size), mdf, 1)[0]
    slope_rms = np.polyfit(np.arange(r.size), r, 1)[0]
    assert slope_mdf < 0
    assert slope_rms > 0
    assert mdf[-1] < 0.85 * mdf[0]


def test_rms_grows_with_the_number_of_active_units(pool):
    amp, _, width = unit_tables(pool)
    unit, t = renewal_spikes(np.full(amp.size, 20.0), 5.0, seed=6)
    values = []
    for n_active in (30, 60, 90, 120):
        keep = unit < n_active
        x = synth(unit[keep], t[keep], np.ones(keep.sum()), amp, width, 5.0)
        values.append(emg.rms(x, FS, 5.0)[1][0])
    assert np.all(np.diff(values) > 0)


def test_same_generator_same_emg_and_batching_does_not_mix_subjects(pool):
    twitch = np.repeat(pool.twitch_peak, 2, axis=0)

    def amplitudes(seed):
        return emg.unit_amplitude(
            twitch,
            SubjectRNG(subject_streams(seed, 2)),
            amplitude_smallest=0.06,
            amplitude_exponent=0.5,
            depth_max=20.0,
            attenuation_length=4.3,
        )

    np.testing.assert_array_equal(amplitudes(7), amplitudes(7))
    assert not np.array_equal(amplitudes(7), amplitudes(8))
    amp = amplitudes(7)
    _, _, width = unit_tables(pool)
    unit, t = renewal_spikes(np.full(amp.shape[1], 15.0), 2.0, seed=9)
    subject = np.arange(t.size) % 2

    def run(seed):
        return synth(
            unit, t, np.ones(t.size), amp, width, 2.0, subject=subject, noise_rms=P.noise_rms,
            rng=SubjectRNG(subject_streams(seed, 2)),
        )  # fmt: skip

    both = run(11)
    np.testing.assert_array_equal(both, run(11))
    assert not np.array_equal(both, run(12))
    alone = synth(
        unit[subject == 1], t[subject == 1], np.ones((subject == 1).sum()), amp[1], width, 2.0,
        noise_rms=P.noise_rms, rng=SubjectRNG(subject_streams(11, 2)).generators[1],
    )  # fmt: skip
    np.testing.assert_allclose(both[1], alone, rtol=0, atol=1e-12)


def test_synthesis_of_a_long_bout_is_fast(pool):
    amp, _, width = unit_tables(pool)
    unit, t = renewal_spikes(np.full(amp.size, 20.0), 100.0, seed=10)
    assert t.size > 200_000
    start = time.perf_counter()
    x = synth(unit, t, np.linspace(1.0, 0.4, t.size), amp, width, 100.0)
    elapsed = time.perf_counter() - start
    assert x.shape == (round(100.0 * FS),)
    assert np.all(np.isfinite(x))
    assert elapsed < 5.0  # ~0.15 s on one core; generous for shared machines


def test_indices_on_known_signals():
    fs = 2048.0
    n = np.arange(int(4 * fs))
    sine = np.sin(2 * np.pi * 100.0 * n / fs)
    centres, r = emg.rms(sine, fs, 1.0)
    np.testing.assert_allclose(centres, [0.5, 1.5, 2.5, 3.5])
    np.testing.assert_allclose(r, 1 / np.sqrt(2), rtol=1e-3)
    _, mdf = emg.median_frequency(sine, fs, 1.0)
    _, mnf = emg.mean_frequency(sine, fs, 1.0)
    np.testing.assert_allclose(mdf, 100.0, atol=8.0)
    np.testing.assert_allclose(mnf, 100.0, atol=2.0)
    two = np.stack([sine, np.zeros_like(sine)])
    _, mdf2 = emg.median_frequency(two, fs, 1.0)
    assert mdf2.shape == (2, 4)
    assert np.all(np.isnan(mdf2[1]))
    np.testing.assert_allclose(mdf2[0], mdf)


def test_bad_input_is_a_clear_error(pool):
    amp, _, width = unit_tables(pool)
    ok = {"unit": np.array([0, 1]), "time": np.array([0.1, 0.2]), "capacity": np.ones(2)}
    cases = [
        ({"unit": np.array([0])}, "one length"),
        ({"unit": np.array([0, 120])}, "unit indices"),
        ({"unit": np.array([0.0, 1.0])}, "unit indices"),
        ({"time": np.array([0.1, np.nan])}, "finite"),
        ({"capacity": np.array([1.0, 1.5])}, r"\[0, 1\]"),
    ]
    for change, match in cases:
        args = {**ok, **change}
        with pytest.raises(SimulationError, match=match):
            synth(args["unit"], args["time"], args["capacity"], amp, width, 1.0)
    with pytest.raises(SimulationError, match="duration"):
        synth(ok["unit"], ok["time"], ok["capacity"], amp, width, 0.0)
    with pytest.raises(ParameterError, match="cv_fatigue_slope"):
        emg.synthesize(
            ok["unit"], ok["time"], ok["capacity"], amp, width, cv_fatigue_slope=1.0,
            width_fatigue_slope=0.0, fs=FS, duration=1.0,
        )  # fmt: skip
    with pytest.raises(ParameterError, match="generator"):
        synth(ok["unit"], ok["time"], ok["capacity"], amp, width, 1.0, noise_rms=0.01)
    with pytest.raises(SimulationError, match="window"):
        emg.rms(np.zeros(10), FS, 1.0)
    with pytest.raises(SimulationError, match="NaN"):
        emg.median_frequency(np.full(4096, np.nan), FS, 1.0)
    with pytest.raises(MyoAxisError, match="cv_fastest"):
        emg.EMGParameters(**{**P.__dict__, "cv_fastest": 2.0})
