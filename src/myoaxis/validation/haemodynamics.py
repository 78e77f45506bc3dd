"""Haemodynamic (fNIRS) validation: response timing, HbR/HbO ratio, GLM amplitude recovery.

The cases run :mod:`myoaxis.physiology.brain.haemodynamics` and :mod:`~.optics` with the shipped
parameters of one healthy_adult man (30 y). The neural drive of the motor cortex is a boxcar at
z = 1 (maximal activity); the published numbers are the canonical haemodynamic response's
timing (Glover 1999, as in nilearn/SPM) and the HbR/HbO amplitude ratio that fNIRS simulators
use (Cedalion +10/−4 µM, AnalyzIR HbR = −HbO/2). The third case passes a simulated
block-design recording (balloon model, physiological noise, optics, light intensity) through
MNE-Python's optical density and Beer–Lambert conversion and an MNE-NIRS GLM, and checks the
estimated HbO amplitude against the injected one (the least-squares fit of the same design
matrix to the noise-free signal); it needs the optional packages ``mne`` and ``mne-nirs``,
imported only when the case runs (otherwise it raises a one-line MyoAxisError).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import MyoAxisError
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.physiology.brain import haemodynamics as hd
from myoaxis.physiology.brain import optics
from myoaxis.validation.registry import ValidationCase, register

AGE = 30.0
STIMULUS = 2.0  # s, short stimulus of the timing and ratio cases
DT = 0.01  # s, sampling of the timing and ratio cases
ONSET = 2.0  # s

# GLM case: blocks of maximal tapping (5 s, as the MNE fNIRS motor data set) every 30 s
GLM_SEED = 2024
GLM_DURATION = 330.0  # s
GLM_BLOCK = 5.0  # s
GLM_PERIOD = 30.0  # s
GLM_FIRST_ONSET = 20.0  # s


@cache
def _parameters() -> list:
    return [subject_parameters("healthy_adult", "male", AGE)]


@cache
def short_stimulus_response() -> hd.HaemodynamicTraces:
    """Cortical response of one subject to a 2-s boxcar of maximal drive, sampled at 100 Hz."""
    p = hd.BalloonParameters.from_parameters(_parameters())
    n = round(30.0 / DT)
    z = np.zeros((1, n))
    on = round(ONSET / DT)
    z[0, on : on + round(STIMULUS / DT)] = 1.0
    traces, _ = hd.simulate(z, DT, p)
    return traces


def hbo_time_to_peak() -> float:
    """Seconds from stimulus onset to the HbO maximum."""
    return float(hd.time_to_peak(short_stimulus_response().hbo, DT)[0] - ONSET)


def hbr_hbo_ratio() -> float:
    """Minimum ΔHbR divided by maximum ΔHbO of the short-stimulus response."""
    tr = short_stimulus_response()
    return float(tr.hbr.min() / tr.hbo.max())


def _block_design() -> tuple[np.ndarray, np.ndarray]:
    onsets = np.arange(GLM_FIRST_ONSET, GLM_DURATION - GLM_PERIOD + 1e-9, GLM_PERIOD)
    return onsets, np.full(onsets.shape, GLM_BLOCK)


def _glm_hbo(
    intensity: np.ndarray, clean_hbo: np.ndarray, montage: optics.Montage, p, sfreq: float
) -> tuple[np.ndarray, np.ndarray]:
    """MNE chain (optical density, Beer–Lambert with ppf = DPF) + MNE-NIRS GLM (AR(1)) on the
    recorded ``intensity`` ``(C, 2, T)``: HbO theta per channel (µM), and the least-squares fit of
    the same design matrix to the noise-free measured HbO ``(C, T)`` (the injected amplitude)."""
    try:
        import mne
        from mne_nirs.experimental_design import make_first_level_design_matrix
        from mne_nirs.statistics import run_glm
    except ImportError as exc:
        raise MyoAxisError(
            "validation case fnirs_glm_amplitude needs mne and mne-nirs: pip install mne mne-nirs"
        ) from exc
    names, types = [], []
    for s, d in montage.pairs:
        for w in p.wavelengths:
            names.append(f"S{s + 1}_D{d + 1} {int(w)}")
            types.append("fnirs_cw_amplitude")
    info = mne.create_info(names, sfreq, types)
    for k, ch in enumerate(info["chs"]):
        s, d = montage.pairs[k // 2]
        ch["loc"][3:6] = montage.source_positions[s]
        ch["loc"][6:9] = montage.detector_positions[d]
        ch["loc"][0:3] = (ch["loc"][3:6] + ch["loc"][6:9]) / 2
        ch["loc"][9] = p.wavelengths[k % 2]
    raw = mne.io.RawArray(intensity.reshape(-1, intensity.shape[-1]), info, verbose="error")
    onsets, durations = _block_design()
    raw.set_annotations(mne.Annotations(onsets, durations, "Tapping"))
    od = mne.preprocessing.nirs.optical_density(raw, verbose="error")
    haemo = mne.preprocessing.nirs.beer_lambert_law(od, ppf=tuple(p.dpf[0]))
    design = make_first_level_design_matrix(
        haemo,
        stim_dur=GLM_BLOCK,
        hrf_model="glover",
        drift_model="polynomial",
        drift_order=1,
        oversampling=5,  # 50 Hz regressor grid; the default (50) costs 10 s of convolution
    )
    glm = run_glm(haemo, design)
    column = list(design.columns).index("Tapping")
    hbo_channels = [k for k, name in enumerate(glm.ch_names) if name.endswith(" hbo")]
    thetas = glm.theta()
    noisy = np.array([thetas[k][column, 0] for k in hbo_channels]) * 1e6  # M -> uM
    clean = np.linalg.lstsq(design.to_numpy(), clean_hbo.T, rcond=None)[0][column]
    return noisy, clean


@cache
def glm_amplitudes() -> tuple[np.ndarray, np.ndarray]:
    """Injected and GLM-estimated HbO amplitude (µM) of the activated (C3) channels."""
    params = _parameters()
    bp = hd.BalloonParameters.from_parameters(params)
    op = optics.OpticsParameters.from_parameters(params, AGE)
    noise = hd.NoiseParameters.from_parameters(params)
    montage = optics.montage_from_parameters(params[0])
    sfreq = params[0].value_in("fnirs.optics.sampling_frequency", "Hz")
    n = round(GLM_DURATION * sfreq)
    z = np.zeros((1, len(montage.regions), n))  # right-hand tapping drives the left M1 (C3)
    for onset, duration in zip(*_block_design(), strict=True):
        z[0, 0, round(onset * sfreq) : round((onset + duration) * sfreq)] = 1.0
    rng = SubjectRNG(subject_streams(GLM_SEED, 1))
    rec = optics.record(z, 1.0 / sfreq, bp, op, montage, noise=noise, rng=rng)
    clean_hbo = optics.measured(rec.cortical.hbo, op)[0, montage.channel_region]
    noisy, clean = _glm_hbo(rec.intensity[0], clean_hbo, montage, op, sfreq)
    active = montage.channel_region == 0
    return clean[active], noisy[active]


def glm_amplitude_error() -> float:
    """Largest |estimated − injected| HbO amplitude over the activated channels, % of injected."""
    clean, noisy = glm_amplitudes()
    return float(100.0 * np.max(np.abs(noisy - clean) / np.abs(clean)))


register(
    ValidationCase(
        "hbo_time_to_peak",
        "Time from the onset of a 2-s stimulus of maximal motor-cortex drive to the peak of "
        "cortical HbO (balloon model, Friston 2000 parameters, neurovascular stage)",
        "glover1999",
        "s",
        (5.0, 7.0),
        hbo_time_to_peak,
        "canonical HRF peaks about 5 s after an impulse and 5-7 s after a short stimulus",
    )
)
register(
    ValidationCase(
        "hbr_hbo_ratio",
        "Peak HbR decrease over peak HbO increase after a 2-s stimulus "
        "(simulator conventions; no primary measurement checked)",
        "cedalion2024",
        "ratio",
        (-0.5, -0.3),
        hbr_hbo_ratio,
        "HbR/HbO between -0.5 (AnalyzIR) and -0.3; Cedalion -0.4",
    )
)
register(
    ValidationCase(
        "fnirs_glm_amplitude",
        "MNE-NIRS GLM (Glover HRF) on a simulated 330-s tapping recording (5-s blocks every "
        "30 s) through MNE's optical density and Beer-Lambert conversion: HbO amplitude with "
        "physiological noise vs the injected amplitude",
        "luke2021",
        "% of injected",
        (0.0, 20.0),
        glm_amplitude_error,
        "the standard MNE-NIRS GLM recovers the injected HbO amplitude to within 20 % "
        "(band chosen by MyoAxis)",
    )
)
