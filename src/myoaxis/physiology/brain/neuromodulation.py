r"""Non-invasive neuromodulation of the primary motor cortex: after-effects of sessions of
anodal tDCS, high-frequency rTMS and tRNS.

A session enters the slow layer as an impulse (the protocol's ``Stimulate motor_cortex with
tDCS|rTMS|tRNS ... for D`` step calls :func:`stimulation_dose` and adds each amount with
``layer.add``); nothing happens while it is delivered (after-effects only).

**Excitability after-effect.** The drive :math:`A` (``cortical_aftereffect``, in units of the
Nitsche & Paulus 2001 session: 1 mA anodal tDCS for 13 min = 1) decays with
:math:`\tau_A`; MEP size relative to baseline saturates in it:

.. math:: \dot A = -\frac{A}{\tau_A}, \qquad
          \text{cortical\_excitability} = 1 + E_{max}\frac{A}{A_{50} + A}

so a larger dose mostly lengthens the after-effect (Nitsche & Paulus 2000: up to +40 %, lasting
minutes after short sessions; 2001: about +50 % for up to 90 min after 9-13 min at 1 mA). Per
session (:math:`I` current, :math:`t` duration, :math:`n` pulses, :math:`s` intensity in % of the
resting motor threshold):

.. math:: \Delta A_{tDCS,tRNS} = g\,\frac{I}{I_{ref}}\frac{t}{t_{ref}}, \qquad
          \Delta A_{rTMS} = g\,\frac{n}{n_{ref}}\frac{s}{s_{ref}}, \quad n = f\,d\,t

(:math:`f` frequency, :math:`d` the share of the session during which trains are delivered).

**Cumulative analgesic after-effect.** Each session also adds a drive :math:`L`
(``neuromodulation_consolidation``, in reference sessions: 2 mA tDCS for 20 min = 1) that is
consolidated over about a day into a lasting memory :math:`M` (``neuromodulation_memory``)
decaying over weeks (Valle 2009: M1 tDCS effects at 30 and 60 days; Saltychev & Laimi 2017:
rTMS -1.2 NRS points after the last session, -0.7 one week to one month later):

.. math:: \dot L = -\frac{L}{\tau_L}, \qquad \dot M = \frac{L}{\tau_L} - \frac{M}{\tau_M},
          \qquad \text{neuromodulation\_inhibition} = G_{max}\frac{M}{M_{50} + M}

``neuromodulation_inhibition`` (>= 0, 0 without stimulation) is the extra descending-inhibition
gain that the pain model reads. Only facilitatory protocols are modelled (anodal tDCS,
rTMS >= 5 Hz, high-frequency tRNS); cathodal tDCS, low-frequency rTMS, the non-linear reversal
of long or strong tDCS sessions and inter-individual response variability are not.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.core.errors import ScenarioError, unknown_name

NM = "neuromodulation."
AFTEREFFECT = "cortical_aftereffect"
CONSOLIDATION = "neuromodulation_consolidation"
MEMORY = "neuromodulation_memory"
EXCITABILITY = "cortical_excitability"
INHIBITION = "neuromodulation_inhibition"

TECHNIQUES = ("tDCS", "rTMS", "tRNS")
INTENSITY_UNITS = {"tDCS": "mA", "rTMS": "percent", "tRNS": "mA"}  # rTMS: % of RMT
_SECTION = {"tDCS": "tdcs", "rTMS": "rtms", "tRNS": "trns"}

Values = Callable[..., np.ndarray]  # Body.values: (name, unit) -> (S,)

NEUROMODULATION = Component(
    name="neuromodulation",
    states=(
        State(
            AFTEREFFECT,
            "dimensionless",
            "motor-cortex excitability after-effect drive of recent stimulation sessions "
            "(1 = one 13-min 1 mA anodal tDCS session, Nitsche & Paulus 2001)",
            rate=f"-{AFTEREFFECT} / {NM}aftereffect_time",
            initial="0",
            scale=0.01,
        ),
        State(
            CONSOLIDATION,
            "dimensionless",
            "analgesic drive of recent stimulation sessions not yet consolidated "
            "(reference sessions: 2 mA tDCS for 20 min = 1)",
            rate=f"-{CONSOLIDATION} / {NM}consolidation_time",
            initial="0",
            scale=0.01,
        ),
        State(
            MEMORY,
            "dimensionless",
            "consolidated analgesic after-effect of a course of stimulation sessions "
            "(reference sessions, decaying over weeks)",
            rate=f"{CONSOLIDATION} / {NM}consolidation_time - {MEMORY} / {NM}memory_time",
            initial="0",
            scale=0.1,
        ),
    ),
    parameters={
        f"{NM}aftereffect_time": "s",
        f"{NM}max_facilitation": "dimensionless",
        f"{NM}half_aftereffect": "dimensionless",
        f"{NM}consolidation_time": "s",
        f"{NM}memory_time": "s",
        f"{NM}max_inhibition": "dimensionless",
        f"{NM}half_memory": "dimensionless",
    },
    assignments=(
        Assignment(
            EXCITABILITY,
            "dimensionless",
            "motor-cortex excitability: MEP size relative to baseline (1 without stimulation)",
            f"1 + {NM}max_facilitation * {AFTEREFFECT} / ({NM}half_aftereffect + {AFTEREFFECT})",
        ),
        Assignment(
            INHIBITION,
            "dimensionless",
            "extra descending-inhibition gain from the analgesic after-effect of motor-cortex "
            "stimulation (0 without)",
            f"{NM}max_inhibition * {MEMORY} / ({NM}half_memory + {MEMORY})",
        ),
    ),
    citations=("nitsche2000", "nitsche2001", "valle2009", "saltychev2017", "passard2007"),
)

COMPONENTS = (NEUROMODULATION,)


def _technique(technique: str) -> str:
    """The canonical spelling of ``technique`` (matched case-insensitively)."""
    for known in TECHNIQUES:
        if technique.lower() == known.lower():
            return known
    raise ScenarioError(unknown_name("stimulation technique", technique, TECHNIQUES))


def _param(params: Values, technique: str, name: str, unit: str) -> np.ndarray:
    return np.asarray(params(f"{NM}{_SECTION[technique]}.{name}", unit), dtype=float)


def defaults(technique: str, params: Values) -> tuple[float, float | None]:
    """The default intensity (mA for tDCS and tRNS, % of the resting motor threshold for
    rTMS) and frequency (Hz for rTMS, ``None`` otherwise) of ``technique``; ``params`` is
    :meth:`Body.values <myoaxis.body.Body.values>`."""
    t = _technique(technique)
    intensity = float(_param(params, t, "default_intensity", INTENSITY_UNITS[t])[0])
    frequency = float(_param(params, t, "default_frequency", "Hz")[0]) if t == "rTMS" else None
    return intensity, frequency


def rtms_pulses(frequency: float, seconds: float, params: Values) -> np.ndarray:
    """Pulses delivered in an rTMS session of ``seconds`` at ``frequency`` Hz (trains fill
    ``neuromodulation.rtms.duty_cycle`` of the session), ``(S,)``."""
    return frequency * seconds * _param(params, "rTMS", "duty_cycle", "dimensionless")


def check_stimulation(
    technique: str,
    intensity: float,
    seconds: float,
    frequency: float | None,
    params: Values,
) -> None:
    """Raise :class:`ScenarioError` if a session lies outside the published safe ranges
    (tDCS: Bikson et al. 2016; rTMS: Rossi et al. 2009/2021; tRNS: typical use), limits in
    ``data/model/neuromodulation.toml``. ``intensity`` in mA (tDCS, tRNS) or % RMT (rTMS)."""
    t = _technique(technique)
    unit = "mA" if t != "rTMS" else "% RMT"
    where = f"{t} session"
    if not np.isfinite(intensity) or intensity <= 0:
        raise ScenarioError(f"{where}: intensity must be a positive number of {unit}")
    if not np.isfinite(seconds) or seconds <= 0:
        raise ScenarioError(f"{where}: duration must be positive, got {seconds:g} s")
    if t != "rTMS" and frequency is not None:
        raise ScenarioError(f"{where}: a frequency applies to rTMS only")
    top = float(np.min(_param(params, t, "max_intensity", INTENSITY_UNITS[t])))
    if intensity > top:
        raise ScenarioError(
            f"{where}: {intensity:g} {unit} exceeds the {top:g} {unit} safety limit "
            f"(neuromodulation.{_SECTION[t]}.max_intensity)"
        )
    if t == "rTMS":
        f = defaults(t, params)[1] if frequency is None else frequency
        lo = float(np.max(_param(params, t, "min_frequency", "Hz")))
        hi = float(np.min(_param(params, t, "max_frequency", "Hz")))
        if not lo <= f <= hi:
            raise ScenarioError(
                f"{where}: {f:g} Hz is outside the modelled high-frequency range {lo:g}-{hi:g} Hz "
                "(neuromodulation.rtms.min_frequency/max_frequency; low-frequency rTMS is "
                "inhibitory and not modelled)"
            )
        pulses = float(np.max(rtms_pulses(f, seconds, params)))
        most = float(np.min(_param(params, t, "max_pulses", "dimensionless")))
        if pulses > most:
            raise ScenarioError(
                f"{where}: {pulses:.0f} pulses exceed the {most:.0f}-pulse session limit "
                "(neuromodulation.rtms.max_pulses)"
            )
        return
    longest = float(np.min(_param(params, t, "max_duration", "s")))
    if seconds > longest:
        raise ScenarioError(
            f"{where}: {seconds / 60:g} min exceeds the {longest / 60:g} min session limit "
            f"(neuromodulation.{_SECTION[t]}.max_duration)"
        )
    if t == "tDCS":
        charge = intensity * 1e-3 * seconds  # C
        most = float(np.min(_param(params, t, "max_charge", "C")))
        if charge > most:
            raise ScenarioError(
                f"{where}: {charge:g} C ({intensity:g} mA for {seconds / 60:g} min) exceeds "
                f"the {most:g} C charge limit (neuromodulation.tdcs.max_charge, Bikson 2016)"
            )


def stimulation_dose(
    technique: str,
    intensity: float,
    seconds: float,
    params: Values,
    frequency: float | None = None,
) -> dict[str, np.ndarray]:
    """The impulses ``{state: amount (S,)}`` one session adds to the slow layer (see the module
    docstring). ``intensity`` in mA (tDCS, tRNS) or % of the resting motor threshold (rTMS);
    ``frequency`` in Hz (rTMS only; its default when ``None``). Call :func:`check_stimulation`
    first: this function does not check limits."""
    t = _technique(technique)
    if t == "rTMS":
        f = defaults(t, params)[1] if frequency is None else frequency
        ratio = (
            rtms_pulses(f, seconds, params)
            / _param(params, t, "reference_pulses", "dimensionless")
            * intensity
            / _param(params, t, "reference_intensity", "percent")
        )
        excitation = analgesic = ratio
    else:
        excitation = (
            intensity
            / _param(params, t, "reference_intensity", "mA")
            * seconds
            / _param(params, t, "reference_duration", "s")
        )
        analgesic = (
            intensity
            / _param(params, t, "analgesic_intensity", "mA")
            * seconds
            / _param(params, t, "analgesic_duration", "s")
        )
    return {
        AFTEREFFECT: _param(params, t, "aftereffect_gain", "dimensionless") * excitation,
        CONSOLIDATION: _param(params, t, "analgesic_gain", "dimensionless") * analgesic,
    }
