"""Energetics validation: PCr kinetics, anaerobic ATP, glycogen use, fuel selection, lactate.

Each case runs the kernels of :mod:`myoaxis.physiology.muscle.energetics` with the shipped
parameters of a healthy_adult man (35 y, 75 kg) and compares one number with a publication.
Studies of trained men (Spencer 1992) use a VO2max of :data:`TRAINED_VO2MAX` mL/kg/min, an
assumption (the abstracts give no VO2max): the calibration of the glycogen parameters to Watt
2002 used the same value, so the Spencer case tests the intensity and store dependence, not the
absolute fitness.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
from scipy.optimize import curve_fit

from myoaxis.conditions import subject_parameters
from myoaxis.physiology.muscle import energetics as en
from myoaxis.validation.registry import ValidationCase, register

TRAINED_VO2MAX = 55.0  # mL/kg/min, assumed for the trained men of Watt 2002 and Spencer 1992
BODY_MASS = 75.0  # kg


@cache
def default_parameters(n: int = 1) -> en.EnergeticsParameters:
    """Parameters of ``n`` healthy_adult men (35 y, 75 kg)."""
    params = subject_parameters("healthy_adult", "male", 35.0)
    mass = np.full(n, BODY_MASS)
    return en.EnergeticsParameters.from_values(
        lambda name, unit: np.full(n, params.value_in(name, unit)), mass
    )


def trained_parameters(n: int = 1) -> en.EnergeticsParameters:
    """Default parameters with VO2max set to :data:`TRAINED_VO2MAX`."""
    p = default_parameters(n)
    return replace(p, vo2max=np.full(n, TRAINED_VO2MAX * BODY_MASS / 1000.0))


@cache
def _occluded_protocol(on_s: float, off_s: float, cycles: int, h: float):
    """Occluded contractions at maximal-activation cost; returns (states, outputs, demands)."""
    p = default_parameters()
    st = en.resting_state(p)
    mass = np.ones(1)
    mvc = en.isometric_atp_demand(np.ones(1), p.fast_ref, p)
    zero = np.zeros(1)
    records = []
    for _ in range(cycles):
        for demand, duration in ((mvc, on_s), (p.atp_rest, off_s)):
            for _ in range(round(duration / h)):
                st, out = en.step(st, demand, zero, p, h, mass)
                records.append((out, demand))
    return p, st, records


def spriet_glycolytic_share() -> float:
    """Glycolytic share (%) of anaerobic ATP in 16 occluded 1.6-s contractions (1.6 s rest)."""
    _, _, records = _occluded_protocol(1.6, 1.6, 16, 0.01)
    gly = sum(float(o.glycolytic_flux[0]) for o, _ in records)
    total = sum(float((o.glycolytic_flux + o.oxidative_flux)[0]) for o, _ in records)
    pcr = sum(
        float((d - o.glycolytic_flux - o.oxidative_flux - o.atp_deficit)[0]) for o, d in records
    )
    return 100.0 * gly / (total + pcr)


def spriet_pcr_used() -> float:
    """PCr used (mmol/kg dry) over the same 16 contractions."""
    p, st, _ = _occluded_protocol(1.6, 1.6, 16, 0.01)
    return float(((p.pcr_rest - st.pcr) * p.wet_to_dry)[0])


@cache
def pcr_recovery() -> tuple[np.ndarray, np.ndarray, float]:
    """PCr (mmol/kg wet) during 300 s of rest after 30 s of occluded maximal contraction, and
    its fall during the contraction (% of rest)."""
    p, st, _ = _occluded_protocol(30.0, 0.0, 1, 0.01)
    fall = float(100.0 * (1.0 - st.pcr[0] / p.pcr_rest[0]))
    t, pcr = [0.0], [float(st.pcr[0])]
    h = 0.5
    for k in range(600):
        st, _ = en.step(st, p.atp_rest, np.ones(1), p, h, np.ones(1))
        t.append((k + 1) * h)
        pcr.append(float(st.pcr[0]))
    return np.array(t), np.array(pcr), fall


def pcr_recovery_tau() -> float:
    """Time constant (s) of a mono-exponential fitted to the simulated PCr recovery."""
    t, pcr, _ = pcr_recovery()

    def model(t, top, amp, tau):
        return top - amp * np.exp(-t / tau)

    (_, _, tau), _ = curve_fit(model, t, pcr, p0=(pcr[-1], pcr[-1] - pcr[0], 30.0))
    return float(tau)


def pcr_fall_30s() -> float:
    """PCr fall (% of rest) after 30 s of occluded maximal isometric contraction."""
    return pcr_recovery()[2]


def spencer_glycogen_use() -> float:
    """Net glycogen use (mmol/kg dry) in 37.2 min at 75 % VO2max from 725 mmol/kg dry."""
    p = trained_parameters()
    st = en.with_initial_glycogen(en.resting_state(p), 725.0)
    _, final = en.aerobic_bout(p, np.full(1, 0.75), 37.2 * 60.0, 1.0, st, record_every=60)
    return float(725.0 - final.glycogen[0])


@cache
def fat_oxidation_curve() -> tuple[np.ndarray, np.ndarray]:
    """Mean fat oxidation (g/min) over minutes 5-10 of 10-min bouts at 30-95 % VO2max."""
    intensity = np.round(np.arange(0.30, 0.951, 0.01), 2)
    p = default_parameters(len(intensity))
    traces, _ = en.aerobic_bout(p, intensity, 600.0, 1.0, record_every=10)
    keep = traces["time"] >= 300.0
    return intensity, traces["fat_oxidation"][:, keep].mean(axis=1)


def fatmax() -> float:
    """Intensity (% VO2max) of maximal fat oxidation of the default subject."""
    intensity, fat = fat_oxidation_curve()
    return float(100.0 * intensity[np.argmax(fat)])


@cache
def lactate_curve() -> tuple[np.ndarray, np.ndarray]:
    """Plasma lactate (mmol/L) after 20 min at 30-100 % VO2max (default subject)."""
    intensity = np.round(np.arange(0.30, 1.001, 0.01), 2)
    p = default_parameters(len(intensity))
    _, final = en.aerobic_bout(p, intensity, 1200.0, 1.0, record_every=1200)
    return intensity, final.lactate_plasma


def lactate_threshold() -> float:
    """Lowest intensity (% VO2max) whose 20-min plasma lactate is 1 mmol/L above rest."""
    intensity, lactate = lactate_curve()
    rest = float(default_parameters().lactate_plasma_rest[0])
    above = np.nonzero(lactate >= rest + 1.0)[0]
    return float(100.0 * intensity[above[0]]) if above.size else 100.0


register(
    ValidationCase(
        "pcr_recovery_tau",
        "Mono-exponential time constant fitted to PCr recovery after 30 s of occluded maximal "
        "isometric contraction (31P-MRS: 36-42 s dorsiflexors, 45 s calf)",
        "slade2006",
        "s",
        (30.0, 60.0),
        pcr_recovery_tau,
        "tau 36.2-41.8 s (Slade 2006), 44.8 s (McCreary 1996)",
    )
)
register(
    ValidationCase(
        "spriet_glycolytic_share",
        "Share of anaerobic ATP from glycolysis in the first 16 occluded 1.6-s contractions "
        "of quadriceps (the rest from PCr)",
        "spriet1987",
        "%",
        (46.0, 70.0),
        spriet_glycolytic_share,
        "58 % glycolysis, 40 % PCr, 2 % ATP store",
    )
)
register(
    ValidationCase(
        "spriet_pcr_used",
        "PCr used in the first 16 occluded 1.6-s contractions of quadriceps",
        "spriet1987",
        "mmol/kg dm",
        (47.0, 78.4),
        spriet_pcr_used,
        "40 % of 6.12 mmol/kg dm/s x 25.6 s = 62.7 mmol/kg dm (+/-25 %)",
    )
)
register(
    ValidationCase(
        "glycogen_use_spencer1992",
        "Net vastus lateralis glycogen use in 37.2 min of cycling at 75 % VO2max from a high "
        "store (725 mmol/kg dm); model calibrated on Watt 2002 at 57 % VO2max",
        "spencer1992",
        "mmol/kg dm",
        (279.0, 465.0),
        spencer_glycogen_use,
        "725 -> 353 mmol/kg dm: net 372 (+/-25 %)",
    )
)
register(
    ValidationCase(
        "fatmax_achten2002",
        "Intensity of maximal fat oxidation (Fatmax) of the default subject, steady state",
        "achten2002",
        "% VO2max",
        (55.0, 72.0),
        fatmax,
        "Fatmax 64 +/- 4 %; Fatmax zone 55-72 % VO2max",
    )
)
register(
    ValidationCase(
        "lactate_threshold",
        "Lowest intensity at which plasma lactate after 20 min is 1 mmol/L above rest "
        "(default subject)",
        "bircher2004",
        "% VO2max",
        (45.0, 80.0),
        lactate_threshold,
        "49.5 % (sedentary) to 77 % VO2peak (endurance athletes)",
    )
)
