"""Haemodynamic (fNIRS) validation: response timing, HbR/HbO ratio, GLM amplitude recovery.

The cases run :mod:`myoaxis.physiology.brain.haemodynamics` and :mod:`~.optics` with the shipped
parameters of one healthy_adult man (30 y). The neural drive of the motor cortex is a boxcar at
z = 1 (maximal activity); the published numbers are the canonical haemodynamic response's
timing (Glover 1999, as in nilearn/SPM) and the HbR/HbO amplitude ratio that fNIRS simulators
use (Cedalion +10/−4 µM, AnalyzIR HbR = −HbO/2). The third case writes the SNIRF
file of a simulated ``Assess fnirs_tapping`` (balloon model, physiological noise, optics, light
intensity), reads it with MNE-Python, converts it with MNE's optical density and Beer–Lambert law,
fits an MNE-NIRS GLM and checks the estimated fast-tapping HbO amplitude against the injected one
(the least-squares fit of the same design matrix to the noise-free signal); it needs the optional
packages ``mne`` and ``mne-nirs``, imported only when the case runs (otherwise it raises a
one-line MyoAxisError).
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import numpy as np
import xarray as xr

from myoaxis.assess.tapping import fnirs_session, session_dataset
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.errors import MyoAxisError
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.physiology.brain import haemodynamics as hd
from myoaxis.physiology.brain import optics
from myoaxis.results import write_fnirs_snirf
from myoaxis.validation.registry import ValidationCase, register

AGE = 30.0
STIMULUS = 2.0  # s, short stimulus of the timing and ratio cases
DT = 0.01  # s, sampling of the timing and ratio cases
ONSET = 2.0  # s
GLM_SEED = 2024  # the GLM case's physiological noise


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


@cache
def glm_amplitudes() -> tuple[np.ndarray, np.ndarray]:
    """Injected and GLM-estimated HbO amplitude (µM) of the fast-tapping condition on the
    activated (C3) channels: ``Assess fnirs_tapping`` of one subject is written as SNIRF
    (:func:`myoaxis.results.write_fnirs_snirf`, raw intensity), read with
    :func:`mne.io.read_raw_snirf`, converted with MNE's optical density and Beer–Lambert law
    (ppf = the subject's DPF) and fitted with an MNE-NIRS GLM (Glover HRF, AR(1)); the injected
    amplitude is the least-squares fit of the same design matrix to the noise-free signal."""
    try:
        import mne
        from mne_nirs.experimental_design import make_first_level_design_matrix
        from mne_nirs.statistics import run_glm
    except ImportError as exc:
        raise MyoAxisError(
            "validation case fnirs_glm_amplitude needs mne and mne-nirs: pip install mne mne-nirs"
        ) from exc
    body = Body(_parameters(), np.array([75.0]), AGE)
    session = fnirs_session(body, SubjectRNG(subject_streams(GLM_SEED, 1)))
    tree = xr.DataTree.from_dict({"/acute/fnirs": session_dataset(session, ["fnirs_intensity"])})
    with tempfile.TemporaryDirectory() as folder:
        path, _, _ = write_fnirs_snirf(tree, Path(folder) / "glm.snirf")
        raw = mne.io.read_raw_snirf(path, preload=True, verbose="error")
    od = mne.preprocessing.nirs.optical_density(raw, verbose="error")
    haemo = mne.preprocessing.nirs.beer_lambert_law(od, ppf=tuple(session.probe.dpf[0]))
    design = make_first_level_design_matrix(
        haemo,
        stim_dur=session.design.block,
        hrf_model="glover",
        drift_model="polynomial",
        drift_order=1,
        oversampling=5,  # 50 Hz regressor grid; the default (50) costs 10 s of convolution
    )
    glm = run_glm(haemo, design)
    column = list(design.columns).index("fast")
    thetas = glm.theta()
    m = session.montage
    clean_hbo = optics.measured(session.recording.cortical.hbo, session.probe)[0]
    names = [f"S{s + 1}_D{d + 1} hbo" for s, d in m.pairs]
    active = [k for k in range(m.n_channels) if m.channel_region[k] == session.contralateral]
    noisy = np.array([thetas[glm.ch_names.index(names[k])][column, 0] for k in active]) * 1e6
    n = design.shape[0]
    clean = np.linalg.lstsq(
        design.to_numpy(), clean_hbo[m.channel_region[active]][:, :n].T, rcond=None
    )[0][column]
    return clean, noisy


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
        "MNE-NIRS GLM (Glover HRF) on the SNIRF file of a simulated 'Assess fnirs_tapping' "
        "(rest/slow/fast 20-s blocks) read with MNE and converted by its optical density and "
        "Beer-Lambert law: fast-tapping HbO amplitude with physiological noise vs injected",
        "luke2021",
        "% of injected",
        (0.0, 20.0),
        glm_amplitude_error,
        "the standard MNE-NIRS GLM recovers the injected HbO amplitude to within 20 % "
        "(band chosen by MyoAxis)",
    )
)
