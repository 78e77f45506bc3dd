"""The table of output variables (``myoaxis list outputs``): name, units, layer, meaning."""

from __future__ import annotations

from myoaxis.bouts import ELBOW_TRACES
from myoaxis.muscles import GAIT_MUSCLES
from myoaxis.physiology.muscle.energetics import OUTPUTS as _ENERGETICS
from myoaxis.slow import VARIABLES

ACUTE_OUTPUTS: dict[str, tuple[str, str]] = {
    "force": ("N", "muscle-group tendon force in the test posture"),
    "excitation": ("1", "descending excitation of the motor-unit pool (fraction of maximum)"),
    "activation": ("1", "pool force as a fraction of its maximal mean force"),
    "ceiling": (
        "1",
        "central ceiling: maximal excitation the cortex can deliver (central fatigue)",
    ),
    "emg": ("mV", "surface EMG synthesised from the motor-unit spike trains (spiking mode)"),
    "emg_rms": ("mV", "EMG root mean square per window (emg.window)"),
    "emg_median_frequency": ("Hz", "EMG median frequency per window (Welch spectrum)"),
    "emg_conduction_velocity": (
        "m/s",
        "muscle-fibre conduction velocity per EMG window (discharges weighted by MUAP power)",
    ),
    "active_units": ("1", "motor units that discharged in each EMG window"),
    **ELBOW_TRACES,
    **{
        name: _ENERGETICS[name]
        for name in (
            "pcr_muscle",
            "glycogen_muscle",
            "lactate_muscle",
            "lactate_plasma",
            "vo2",
            "rer",
            "fat_oxidation",
            "carbohydrate_oxidation",
        )
    },
    "intensity": ("1", "cycling intensity, fraction of VO2max (0 once exhausted)"),
    "tap_rate": ("Hz", "finger tapping rate per tapping.rate_window (taps counted in the window)"),
    "tap_times": ("s", "times of the taps since the step's start (NaN-padded per subject)"),
    "hbo": ("uM", "fNIRS: measured (path-averaged) oxyhaemoglobin change per channel"),
    "hbr": ("uM", "fNIRS: measured (path-averaged) deoxyhaemoglobin change per channel"),
    "fnirs_intensity": (
        "1",
        "fNIRS: detected continuous-wave light per channel and wavelength, relative to rest",
    ),
    "cortex_activity": ("1", "activity of the contralateral motor cortex (1 = maximal)"),
    "cortex_demand": ("1", "motor-cortex activity the task asks for (1 = maximal)"),
    "cpg_phase": ("1", "walking: phase of the stride (0 = stance onset)"),
    **{
        f"{quantity}_{group}": (units, f"walking: {text} of the {group.replace('_', ' ')} pool")
        for group in GAIT_MUSCLES
        for quantity, units, text in (
            ("excitation", "1", "excitation"),
            ("activation", "1", "activation"),
            ("force", "N", "isometric force at the test length"),
        )
    },
}
FNIRS_OUTPUTS = ("hbo", "hbr", "fnirs_intensity")


def attrs(name: str) -> dict[str, str]:
    """CF attributes (``units``, ``long_name``) of acute output ``name``."""
    units, long_name = ACUTE_OUTPUTS[name]
    return {"units": units, "long_name": long_name}


def table() -> list[tuple[str, str, str, str]]:
    """Rows ``(name, layer, units, long_name)`` of every output variable."""
    rows = [(n, "acute", u, d) for n, (u, d) in ACUTE_OUTPUTS.items()]
    rows += [(v.name, "slow", v.units, v.long_name) for v in VARIABLES]
    return rows
