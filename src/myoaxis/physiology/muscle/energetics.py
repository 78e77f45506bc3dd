r"""Muscle and whole-body exercise energetics: PCr, oxidative ATP, glycolysis, lactate, glycogen.

Two entry points share one kernel.

* **Muscle level** (isometric bouts): :func:`step` advances one muscle group of ``S`` subjects by
  ``h`` (1 ms to 1 s) for a given ATP demand (:func:`isometric_atp_demand`) and O2 delivery
  (:func:`perfusion_from_force`); :func:`recover` jumps over a rest exactly.
* **Whole body** (constant-intensity cycling): :func:`aerobic_bout` integrates a bout at a
  fraction of VO2max and returns traces (VO2, working-muscle PCr, glycogen, lactate, plasma
  lactate, glucose uptake, fat and carbohydrate oxidation, RER) and the final state.

**PCr and oxidative phosphorylation** (Meyer 1988 linear model). With the PCr deficit
:math:`x = 1 - \mathrm{PCr}/\mathrm{PCr}_{rest}` (ATP is buffered by creatine kinase and taken
constant), the oxidative ATP flux is linear in :math:`x` and capped by O2 delivery :math:`p`:

.. math::
    J_{ox} = Q\,\mathrm{clip}(\varepsilon + \kappa x,\ 0,\ p(1+\varepsilon)), \qquad
    T\,\dot x = D/Q - J_{ox}/Q - J_{gly}/Q

with :math:`Q = \mathrm{PCr}_{rest}/(\tau\kappa)` the maximal oxidative flux above rest,
:math:`\varepsilon = D_{rest}/Q`, :math:`\kappa = 1/(1-\phi_{min})` (PCr falls to
:math:`\phi_{min}\,\mathrm{PCr}_{rest}` at maximal oxidative flux) and :math:`T = \tau\kappa`.
Below the cap, PCr recovery and on-kinetics are mono-exponential with time constant
:math:`\tau` (McCreary 1996, Slade 2006). When blood flow is occluded (:math:`p\to0`, isometric
force above about 57 % MVC, Sadamoto 1983) PCr and glycolysis carry the load.

**Anaerobic glycolysis** (glycogen to lactate, 3 ATP and 2 lactate per glucosyl unit) needs
contraction *and* a metabolic signal (Crowther 2002: flux stops within ~20 s of the end of
contraction although ADP/Pi stay high):

.. math::
    J_{gly} = G_{max}\; w\; \frac{x^n}{x^n + K^n}\;
              \Big(1 - \frac{L_m}{L_{max}}\Big)_+\; \frac{G}{G + K_G}

where the drive :math:`w` (a state) follows :math:`u^m`,
:math:`u = \mathrm{clip}((D - D_{rest})/Q, 0, 1)`, with time constant 1 s on and 7 s off.
In :func:`aerobic_bout` the same expression is normalised to the cycling muscles' oxidative
capacity (:math:`G_{max}/Q` = ``cycling_glycolytic_capacity``); the lactate threshold emerges.

**Lactate.** Muscle lactate :math:`L_m` (mmol/kg) exchanges with plasma :math:`L_p` (mmol/L)
with rate :math:`k_e p`; plasma lactate is cleared first-order, faster during exercise:

.. math::
    \dot L_m = \tfrac23 J_{gly} - k_e p (L_m - \lambda L_p), \qquad
    V \dot L_p = M k_e p (L_m - \lambda L_p) - k_{cl}(1 + \gamma\rho) V (L_p - L_{p,rest})

**Fuel selection** (crossover concept, Brooks & Mercier 1994). The share of O2 uptake used for
fat, :math:`f(i) = f_{rest}(1 - u^q)` with :math:`u = (i - i_{rest})/(i_{0} - i_{rest})` clipped
to [0, 1], is 0 above :math:`i_0` (Fatmin 86 % VO2max, Achten 2003) and equals the equal-energy
share at the crossover point (55.1 % VO2max, Brun 2022), which fixes :math:`q`; Fatmax is an
output (Achten 2002: 64 +/- 4 %). Of the carbohydrate used by working muscle, glycogen supplies
:math:`(1-s)(G/G_{rest})^{\nu}` and blood glucose the rest (plus part of any glycogen shortfall).

Units: PCr, lactate per kg *wet* muscle; glycogen per kg *dry* muscle (biopsy convention);
ATP fluxes mmol/kg wet/s; VO2 L/min; glucose uptake mmol/min; plasma lactate mmol/L.

Calibration (offline least squares, values in ``data/model/energetics.toml``):
``cycling_muscle_mass_fraction`` (0.129) and ``glycogen_dependence_exponent`` (3.22) fit the
vastus lateralis glycogen falls of Watt 2002 (57 % VO2max: 468 -> 217 at 120 min -> 144 at
240 min; model 244 and 135) for trained men assumed at VO2max 55 mL/kg/min; Spencer 1992 (75 %
VO2max from 725 mmol/kg dm) is then a validation. The lactate-kinetics constants and the
glycolytic activation (all ``myoaxis_estimate``) were chosen by hand so that Spriet 1987's
glycolytic share and a lactate threshold near 60 % VO2max come out; those two validations are
therefore partly calibrations. Not modelled: the VO2 slow component, phase I, bicarbonate CO2
(RER stays <= 1), fatigue from glycogen depletion, and the glycogen used to fuel PCr recovery in
the exact part of :func:`recover` (< 1 mmol/kg dm).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from scipy.integrate import trapezoid

from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.core.parameters import ParameterSet
from myoaxis.core.units import conversion

O2_PER_GLUCOSYL = 6.0  # mol O2 per mol glucose (or glucosyl unit) oxidised
LITRES_PER_MMOL = 0.0224  # L O2 per mmol (STPD)
DRIVE_NEGLIGIBLE = 1e-6  # glycolytic drive below which recover() treats glycolysis as off
LACTATE_PER_ATP = 2.0 / 3.0  # glycogen -> lactate: 3 ATP and 2 lactate per glucosyl unit
GLUCOSYL_PER_ATP = 1.0 / 3.0
GRAMS_PER_MMOL_GLUCOSE = 0.180
GRAMS_PER_MMOL_GLUCOSYL = 0.162  # one glucosyl unit of glycogen

STATES = ("pcr_muscle", "lactate_muscle", "glycogen_muscle", "lactate_plasma")
OUTPUTS = {
    "pcr_muscle": ("mmol/kg", "phosphocreatine per kg wet working muscle"),
    "glycogen_muscle": ("mmol/kg", "glycogen (glucosyl units) per kg dry working muscle"),
    "lactate_muscle": ("mmol/kg", "lactate per kg wet working muscle"),
    "lactate_plasma": ("mmol/L", "plasma lactate"),
    "vo2": ("L/min", "whole-body O2 uptake"),
    "glucose_uptake": ("mmol/min", "exercise-induced muscle glucose uptake"),
    "fat_oxidation": ("g/min", "whole-body fat oxidation"),
    "carbohydrate_oxidation": ("g/min", "whole-body carbohydrate oxidation"),
    "rer": ("1", "respiratory exchange ratio (non-protein)"),
    "oxidative_flux": ("mmol/kg/s", "oxidative ATP synthesis per kg wet muscle"),
    "glycolytic_flux": ("mmol/kg/s", "anaerobic glycolytic ATP synthesis per kg wet muscle"),
    "atp_deficit": ("mmol/kg/s", "ATP demand not met (PCr exhausted)"),
}


@dataclass(frozen=True)
class EnergeticsParameters:
    """Batched parameters, arrays ``(S,)`` in the units named in each comment."""

    # muscle (per kg wet muscle unless "dry")
    pcr_rest: np.ndarray  # mmol/kg
    total_creatine: np.ndarray  # mmol/kg
    wet_to_dry: np.ndarray  # 1
    atp_rest: np.ndarray  # mmol ATP/kg/s
    tau_pcr: np.ndarray  # s
    pcr_min_fraction: np.ndarray  # 1
    atp_per_o2: np.ndarray  # 1
    cost_mvc: np.ndarray  # mmol ATP/kg/s at the reference fast share
    fast_ref: np.ndarray  # 1
    fast_ratio: np.ndarray  # 1
    occlusion_onset: np.ndarray  # fraction of MVC
    occlusion_full: np.ndarray  # fraction of MVC
    glycolysis_max: np.ndarray  # mmol ATP/kg/s
    glycolysis_half: np.ndarray  # 1
    glycolysis_hill: np.ndarray  # 1
    glycolysis_glycogen_half: np.ndarray  # mmol/kg dry
    glycolysis_drive_exponent: np.ndarray  # 1
    glycolysis_on: np.ndarray  # s
    glycolysis_off: np.ndarray  # s
    lactate_muscle_max: np.ndarray  # mmol/kg
    lactate_muscle_rest: np.ndarray  # mmol/kg
    efflux_rate: np.ndarray  # 1/s
    lactate_plasma_rest: np.ndarray  # mmol/L
    lactate_volume: np.ndarray  # L
    clearance_rest: np.ndarray  # 1/s
    clearance_gain: np.ndarray  # 1
    glycogen_rest: np.ndarray  # mmol/kg dry
    glycogen_exponent: np.ndarray  # 1
    resynthesis: np.ndarray  # mmol/kg dry/s
    # whole body
    body_mass: np.ndarray  # kg
    vo2_rest: np.ndarray  # L/min
    vo2max: np.ndarray  # L/min
    tau_vo2: np.ndarray  # s
    fat_rest: np.ndarray  # 1
    crossover: np.ndarray  # fraction of VO2max
    fat_zero: np.ndarray  # fraction of VO2max
    energy_cho: np.ndarray  # kJ/L O2
    energy_fat: np.ndarray  # kJ/L O2
    o2_per_g_fat: np.ndarray  # L/g
    glucose_share: np.ndarray  # 1
    glucose_compensation: np.ndarray  # 1
    cycling_mass: np.ndarray  # kg
    cycling_glycolytic_capacity: np.ndarray  # 1

    @classmethod
    def from_values(
        cls, values: Callable[[str, str], np.ndarray], body_mass_kg: np.ndarray
    ) -> EnergeticsParameters:
        """Build from ``values(name, unit) -> (S,)`` (e.g. ``Body.values``) and body mass (kg)."""

        def v(name: str, unit: str) -> np.ndarray:
            return np.asarray(values(f"energetics.{name}", unit), dtype=float)

        mass = np.asarray(body_mass_kg, dtype=float)
        wtd = v("wet_to_dry_ratio", "dimensionless")
        atp_o2 = v("atp_per_o2", "dimensionless")
        # resting muscle O2 (mL/min/kg) -> mmol ATP/kg/s
        atp_rest = v("muscle_vo2_rest", "L/min/kg") / LITRES_PER_MMOL / 60.0 * atp_o2
        p = cls(
            pcr_rest=v("pcr_rest", "mmol/kg") / wtd,
            total_creatine=v("total_creatine", "mmol/kg") / wtd,
            wet_to_dry=wtd,
            atp_rest=atp_rest,
            tau_pcr=v("pcr_recovery_time_constant", "s"),
            pcr_min_fraction=v("pcr_fraction_at_max_oxidation", "dimensionless"),
            atp_per_o2=atp_o2,
            cost_mvc=v("isometric_cost_at_mvc", "mmol/kg/s") / wtd,
            fast_ref=v("reference_fast_fraction", "dimensionless"),
            fast_ratio=v("fast_slow_cost_ratio", "dimensionless"),
            occlusion_onset=v("occlusion_onset_force", "dimensionless"),
            occlusion_full=v("occlusion_full_force", "dimensionless"),
            glycolysis_max=v("glycolysis_max_rate", "mmol/kg/s") / wtd,
            glycolysis_half=v("glycolysis_half_activation", "dimensionless"),
            glycolysis_hill=v("glycolysis_hill", "dimensionless"),
            glycolysis_glycogen_half=v("glycolysis_glycogen_half", "mmol/kg"),
            glycolysis_drive_exponent=v("glycolysis_drive_exponent", "dimensionless"),
            glycolysis_on=v("glycolysis_on_time_constant", "s"),
            glycolysis_off=v("glycolysis_off_time_constant", "s"),
            lactate_muscle_max=v("lactate_muscle_max", "mmol/kg"),
            lactate_muscle_rest=v("lactate_muscle_rest", "mmol/kg"),
            efflux_rate=1.0 / v("lactate_efflux_time_constant", "s"),
            lactate_plasma_rest=v("lactate_plasma_rest", "mmol/L"),
            lactate_volume=v("lactate_space", "L/kg") * mass,
            clearance_rest=1.0 / v("lactate_clearance_time_constant", "s"),
            clearance_gain=v("lactate_clearance_exercise_gain", "dimensionless"),
            glycogen_rest=v("glycogen_rest", "mmol/kg"),
            glycogen_exponent=v("glycogen_dependence_exponent", "dimensionless"),
            resynthesis=v("glycogen_resynthesis_rate", "mmol/kg/s") * wtd,
            body_mass=mass,
            vo2_rest=v("vo2_rest_per_kg", "L/min/kg") * mass,
            vo2max=v("vo2max_per_kg", "L/min/kg") * mass,
            tau_vo2=v("vo2_time_constant", "s"),
            fat_rest=v("fat_fraction_rest", "dimensionless"),
            crossover=v("crossover_intensity", "dimensionless"),
            fat_zero=v("fat_zero_intensity", "dimensionless"),
            energy_cho=v("energy_per_o2_carbohydrate", "kJ/L"),
            energy_fat=v("energy_per_o2_fat", "kJ/L"),
            o2_per_g_fat=v("o2_per_gram_fat", "L/g"),
            glucose_share=v("glucose_share_of_carbohydrate", "dimensionless"),
            glucose_compensation=v("glucose_compensation", "dimensionless"),
            cycling_mass=v("cycling_muscle_mass_fraction", "dimensionless") * mass,
            cycling_glycolytic_capacity=v("cycling_glycolytic_capacity", "dimensionless"),
        )
        p.check()
        return p

    def check(self) -> None:
        """Raise :class:`ParameterError` for values the equations cannot use."""
        positive = (
            "pcr_rest",
            "tau_pcr",
            "atp_per_o2",
            "glycolysis_half",
            "glycolysis_on",
            "glycolysis_off",
            "lactate_muscle_max",
            "lactate_plasma_rest",
            "lactate_volume",
            "glycogen_rest",
            "vo2max",
            "tau_vo2",
            "cycling_mass",
            "body_mass",
        )
        for name in positive:
            if np.any(getattr(self, name) <= 0):
                raise ParameterError(f"energetics: {name} must be positive")
        if np.any(self.total_creatine < self.pcr_rest):
            raise ParameterError("energetics.total_creatine must be at least pcr_rest")
        if np.any((self.pcr_min_fraction < 0) | (self.pcr_min_fraction >= 1)):
            raise ParameterError("energetics.pcr_fraction_at_max_oxidation must be in [0, 1)")
        if np.any(self.vo2_rest >= self.vo2max):
            raise ParameterError("energetics: resting VO2 must be below VO2max")
        if np.any(self.occlusion_full <= self.occlusion_onset):
            raise ParameterError(
                "energetics.occlusion_full_force must exceed occlusion_onset_force"
            )
        i_rest = self.vo2_rest / self.vo2max
        if np.any(~((i_rest < self.crossover) & (self.crossover < self.fat_zero))):
            raise ParameterError(
                "energetics: need resting intensity < crossover_intensity < fat_zero_intensity"
            )
        if np.any(self.fat_rest <= self.energy_cho / (self.energy_cho + self.energy_fat)):
            raise ParameterError(
                "energetics.fat_fraction_rest must exceed the equal-energy fat share "
                "(fat cannot rise towards the crossover point)"
            )
        if np.any((self.glucose_share < 0) | (self.glucose_share > 1)):
            raise ParameterError("energetics.glucose_share_of_carbohydrate must be in [0, 1]")

    @cached_property
    def kappa(self) -> np.ndarray:
        return 1.0 / (1.0 - self.pcr_min_fraction)

    @cached_property
    def oxidative_capacity(self) -> np.ndarray:
        """Maximal oxidative ATP flux above rest of the linear model, mmol/kg/s."""
        return self.pcr_rest / (self.tau_pcr * self.kappa)

    @cached_property
    def lactate_partition(self) -> np.ndarray:
        """Muscle/plasma lactate ratio at equilibrium, (mmol/kg)/(mmol/L)."""
        return self.lactate_muscle_rest / self.lactate_plasma_rest

    @cached_property
    def cycling_capacity(self) -> np.ndarray:
        """Maximal oxidative ATP rate of the cycling muscles above rest, mmol ATP/s."""
        return (self.vo2max - self.vo2_rest) / LITRES_PER_MMOL / 60.0 * self.atp_per_o2


@dataclass(frozen=True)
class EnergeticsState:
    """Arrays ``(S,)``: PCr and lactate per kg wet muscle, glycogen per kg dry muscle, plasma
    lactate (mmol/L). ``lactate_plasma`` is systemic: carry it over between muscle states."""

    pcr: np.ndarray
    lactate_muscle: np.ndarray
    glycogen: np.ndarray
    lactate_plasma: np.ndarray
    glycolytic_drive: np.ndarray  # 0-1, contraction drive of glycolysis (lags contraction)

    def creatine(self, p: EnergeticsParameters) -> np.ndarray:
        """Free creatine (mmol/kg wet): total creatine minus PCr (conserved by construction)."""
        return p.total_creatine - self.pcr


@dataclass(frozen=True)
class StepOutput:
    """Fluxes averaged over one :func:`step`, arrays ``(S,)``."""

    oxidative_flux: np.ndarray  # mmol ATP/kg/s
    glycolytic_flux: np.ndarray  # mmol ATP/kg/s
    atp_deficit: np.ndarray  # mmol ATP/kg/s not supplied
    vo2: np.ndarray  # L/min, whole body
    glucose_uptake: np.ndarray  # mmol/min, this muscle above rest
    glycogen_used: np.ndarray  # mmol glucosyl/min, this muscle
    lactate_efflux: np.ndarray  # mmol/min into plasma from this muscle


def resting_state(p: EnergeticsParameters) -> EnergeticsState:
    """Homeostasis: every variable at its resting value."""
    return EnergeticsState(
        pcr=p.pcr_rest.copy(),
        lactate_muscle=p.lactate_muscle_rest.copy(),
        glycogen=p.glycogen_rest.copy(),
        lactate_plasma=p.lactate_plasma_rest.copy(),
        glycolytic_drive=np.zeros_like(p.pcr_rest),
    )


# ----------------------------------------------------------------------------------- inputs


def isometric_atp_demand(
    force_fraction: np.ndarray, fast_fraction: np.ndarray, p: EnergeticsParameters
) -> np.ndarray:
    r"""ATP demand (mmol/kg wet muscle/s) of an isometric contraction.

    .. math::
        D = D_{rest} + F\,C_{mvc}\,\frac{1 + (r-1)\phi}{1 + (r-1)\phi_{ref}}

    ``force_fraction`` :math:`F` is force (or activation) as a fraction of maximal,
    ``fast_fraction`` :math:`\phi` the share of that force produced by fast (type II) units,
    whose isometric cost is :math:`r` = 2.5 times that of slow units (Crowther 2002).
    :math:`C_{mvc}` is the cost of maximal activation at the reference share
    :math:`\phi_{ref}` (Spriet 1987).
    """
    f = np.maximum(np.asarray(force_fraction, dtype=float), 0.0)
    phi = _unit(np.asarray(fast_fraction, dtype=float))
    scale = (1.0 + (p.fast_ratio - 1.0) * phi) / (1.0 + (p.fast_ratio - 1.0) * p.fast_ref)
    return p.atp_rest + f * p.cost_mvc * scale


def perfusion_from_force(force_fraction: np.ndarray, p: EnergeticsParameters) -> np.ndarray:
    r"""Fraction of the muscle's maximal O2 delivery left at an isometric force.

    1 below the onset force, 0 from the force that stops blood flow (50-64 % MVC, Sadamoto
    1983; 63.5 % in handgrip, Barnes 1980), a smooth (cubic Hermite) decline in between.
    """
    f = np.asarray(force_fraction, dtype=float)
    s = _unit((f - p.occlusion_onset) / (p.occlusion_full - p.occlusion_onset))
    return 1.0 - s * s * (3.0 - 2.0 * s)


def aerobic_atp_demand(intensity: np.ndarray, p: EnergeticsParameters) -> np.ndarray:
    """ATP demand (mmol/kg wet/s) of the cycling muscles at a fraction of VO2max."""
    i = np.maximum(np.asarray(intensity, dtype=float), 0.0)
    above = np.maximum(i * p.vo2max - p.vo2_rest, 0.0) / (p.vo2max - p.vo2_rest)
    return p.atp_rest + above * p.cycling_capacity / p.cycling_mass


# ----------------------------------------------------------------------------- fuel choice


def fat_share(intensity: np.ndarray, rest_intensity: np.ndarray, p: EnergeticsParameters):
    r"""Share of O2 uptake used to oxidise fat at a relative intensity (fraction of maximal).

    :math:`f = f_{rest}(1 - u^q)`, :math:`u = \mathrm{clip}((i - i_r)/(i_0 - i_r), 0, 1)`;
    :math:`q` puts the equal-energy share :math:`e_{cho}/(e_{cho}+e_{fat})` at the crossover.
    """
    i_r = np.asarray(rest_intensity, dtype=float)
    u_x = (p.crossover - i_r) / (p.fat_zero - i_r)
    f_x = p.energy_cho / (p.energy_cho + p.energy_fat)
    q = np.log(1.0 - f_x / p.fat_rest) / np.log(u_x)
    u = _unit((np.asarray(intensity, dtype=float) - i_r) / (p.fat_zero - i_r))
    return p.fat_rest * (1.0 - u**q)


@dataclass(frozen=True)
class Fuel:
    """O2 flows (same unit as the VO2 given) to fat, muscle glycogen and blood glucose."""

    fat: np.ndarray
    glycogen: np.ndarray
    glucose: np.ndarray  # working muscle, above rest
    glucose_rest: np.ndarray  # resting tissues


def fuel_partition(
    vo2: np.ndarray,
    vo2_rest: np.ndarray,
    intensity: np.ndarray,
    rest_intensity: np.ndarray,
    glycogen: np.ndarray,
    p: EnergeticsParameters,
) -> Fuel:
    r"""Split O2 uptake between fat, working-muscle glycogen and blood glucose.

    Carbohydrate share :math:`c = 1 - f(i)`. Working muscle (O2 above rest, :math:`\Delta`)
    oxidises glycogen :math:`c\Delta(1-s)(G/G_{rest})^{\nu}` (glycogenolysis rises with the
    store and falls as it empties) and glucose :math:`c\Delta s` plus a share of the glycogen
    shortfall; resting tissues use glucose for their carbohydrate; fat supplies the rest.
    """
    vo2 = np.asarray(vo2, dtype=float)
    c = 1.0 - fat_share(intensity, rest_intensity, p)
    ex = np.maximum(vo2 - vo2_rest, 0.0)
    glucose_rest = c * np.minimum(vo2, vo2_rest)
    gly_ref = c * ex * (1.0 - p.glucose_share)
    ratio = np.maximum(np.asarray(glycogen, dtype=float), 0.0) / p.glycogen_rest
    gly = gly_ref * ratio**p.glycogen_exponent
    glucose = c * ex * p.glucose_share + p.glucose_compensation * np.maximum(gly_ref - gly, 0)
    gly = np.maximum(np.minimum(gly, vo2 - glucose - glucose_rest), 0.0)
    fat = np.maximum(vo2 - gly - glucose - glucose_rest, 0.0)
    return Fuel(fat=fat, glycogen=gly, glucose=glucose, glucose_rest=glucose_rest)


# ---------------------------------------------------------------------------------- kernel


def _unit(z):
    """Clip to [0, 1] (faster than np.clip on small arrays)."""
    return np.minimum(np.maximum(z, 0.0), 1.0)


def _phi1(z: np.ndarray) -> np.ndarray:
    """(exp(z) - 1)/z, with the limit 1 at z = 0."""
    small = np.abs(z) < 1e-8
    safe = np.where(small, 1.0, z)
    return np.where(small, 1.0 + 0.5 * z, np.expm1(safe) / safe)


def _glycolysis(x, gate, limit, capacity, p: EnergeticsParameters):
    """Normalised glycolytic rate a(x) and its derivative."""
    xp = np.maximum(x, 0.0)
    n, k = p.glycolysis_hill, p.glycolysis_half
    xn, kn = xp**n, k**n
    act = xn / (xn + kn)
    d_act = np.where(xp > 0, n * xp ** (n - 1.0) * kn / (xn + kn) ** 2, 0.0)
    scale = capacity * gate * limit
    return scale * act, scale * d_act


def _drive(w, target, h, p: EnergeticsParameters):
    """Lagged glycolytic drive: exact first-order approach to ``target`` (time constant
    ``glycolysis_on`` when rising, ``glycolysis_off`` when falling). Returns (end, mean)."""
    tau = np.where(target > w, p.glycolysis_on, p.glycolysis_off)
    end = target + (w - target) * np.exp(-h / tau)
    mean = target + (w - target) * _phi1(-h / tau)
    return end, mean


def _oxidation(x, eps, kappa, cap):
    """Normalised oxidative rate o(x) = clip(eps + kappa x, 0, cap(1 + eps)) and do/dx."""
    raw = eps + kappa * x
    top = cap * (1.0 + eps)
    return np.clip(raw, 0.0, top), np.where((raw > 0.0) & (raw < top), kappa, 0.0)


def _advance(x, demand, eps, kappa, cap, period, gate, limit, capacity, h, x_min, p):
    """One exponential-Euler step of :math:`T\\dot x = d - o(x) - a(x)`; exact when linear,
    stable for any ``h`` because the Jacobian is never positive. Returns the new deficit and
    the mean normalised oxidative, glycolytic and unmet fluxes over the step."""
    o, do = _oxidation(x, eps, kappa, cap)
    a, da = _glycolysis(x, gate, limit, capacity, p)
    f = (demand - o - a) / period
    jac = -(do + da) / period
    x_new = np.clip(x + h * _phi1(h * jac) * f, x_min, 1.0)
    mid = 0.5 * (x + x_new)
    o_m, _ = _oxidation(mid, eps, kappa, cap)
    a_m, _ = _glycolysis(mid, gate, limit, capacity, p)
    model = o_m + a_m
    balance = demand - period * (x_new - x) / h  # supply implied by the PCr change
    empty = x_new >= 1.0
    supply = np.where(empty, np.minimum(balance, model), balance)
    supply = np.maximum(supply, 0.0)
    share = np.where(model > 0, o_m / np.where(model > 0, model, 1.0), 1.0)
    deficit = np.maximum(balance - supply, 0.0)
    return x_new, supply * share, supply * (1.0 - share), deficit


def _lactate(state, source, perfusion, mass, intensity, h, p: EnergeticsParameters):
    """Exact exponential updates of muscle lactate (plasma frozen) then plasma lactate (mean
    efflux), so lactate mass is conserved to round-off. Returns muscle and plasma lactate and
    the mean efflux into plasma and clearance above the resting turnover (mmol/s)."""
    lam = p.lactate_partition
    k = p.efflux_rate * _unit(perfusion)
    target = lam * state.lactate_plasma
    lm0 = state.lactate_muscle
    decay = np.exp(-k * h)
    steady = np.where(k > 0, source / np.where(k > 0, k, 1.0), 0.0)
    lm = np.where(k > 0, target + steady + (lm0 - target - steady) * decay, lm0 + source * h)
    lm = np.maximum(lm, 0.0)
    efflux = mass * (lm0 - lm + source * h) / h  # mmol/s into plasma
    kc = p.clearance_rest * (1.0 + p.clearance_gain * _unit(intensity))
    rest = p.lactate_plasma_rest
    inflow = efflux / p.lactate_volume  # mmol/L/s
    lp = rest + (state.lactate_plasma - rest) * np.exp(-kc * h) + inflow * _phi1(-kc * h) * h
    lp = np.maximum(lp, 0.0)
    cleared = efflux + p.lactate_volume * (state.lactate_plasma - lp) / h
    return lm, lp, efflux, cleared


def step(
    state: EnergeticsState,
    atp_demand: np.ndarray,
    perfusion: np.ndarray,
    p: EnergeticsParameters,
    h: float,
    muscle_mass: np.ndarray,
    whole_body_intensity: np.ndarray | float = 0.0,
) -> tuple[EnergeticsState, StepOutput]:
    """Advance one muscle group by ``h`` seconds.

    ``atp_demand`` (mmol/kg wet/s, :func:`isometric_atp_demand`), ``perfusion`` (0-1, fraction of
    maximal O2 delivery, :func:`perfusion_from_force`), ``muscle_mass`` (kg) and the optional
    whole-body relative oxidative rate (speeds lactate clearance) are ``(S,)`` or scalars.
    Stable for any ``h``; intended for 1 ms to 1 s.
    """
    if not h > 0:
        raise SimulationError(f"energetics step needs h > 0, got {h!r}")
    d_abs = np.maximum(np.asarray(atp_demand, dtype=float), 0.0)
    perf = _unit(np.asarray(perfusion, dtype=float))
    mass = np.asarray(muscle_mass, dtype=float)
    q = p.oxidative_capacity
    eps = p.atp_rest / q
    contraction = _unit((d_abs - p.atp_rest) / q)
    drive, gate = _drive(state.glycolytic_drive, contraction**p.glycolysis_drive_exponent, h, p)
    limit = _unit(1.0 - state.lactate_muscle / p.lactate_muscle_max) * (
        state.glycogen / (state.glycogen + p.glycolysis_glycogen_half)
    )
    x = 1.0 - state.pcr / p.pcr_rest
    x_min = 1.0 - p.total_creatine / p.pcr_rest
    x_new, ox, gly, deficit = _advance(
        x,
        d_abs / q,
        eps,
        p.kappa,
        perf,
        p.tau_pcr * p.kappa,
        gate,
        limit,
        p.glycolysis_max / q,
        h,
        x_min,
        p,
    )
    j_ox, j_gly = ox * q, gly * q
    lm, lp, efflux, _ = _lactate(
        state, LACTATE_PER_ATP * j_gly, perf, mass, whole_body_intensity, h, p
    )
    # fuel of this muscle's oxidation (per kg wet, mmol O2/s)
    o2 = j_ox / p.atp_per_o2
    o2_rest = p.atp_rest / p.atp_per_o2
    fuel = fuel_partition(
        o2, o2_rest, j_ox / (p.atp_rest + q), eps / (1.0 + eps), state.glycogen, p
    )
    glycogen_rate = fuel.glycogen / O2_PER_GLUCOSYL + GLUCOSYL_PER_ATP * j_gly  # mmol/kg wet/s
    resyn = np.where(contraction > 0, 0.0, p.resynthesis)
    g = state.glycogen - p.wet_to_dry * glycogen_rate * h
    g = np.where(g < p.glycogen_rest, np.minimum(g + resyn * h, p.glycogen_rest), g)
    new = EnergeticsState(
        pcr=p.pcr_rest * (1.0 - x_new),
        lactate_muscle=lm,
        glycogen=np.maximum(g, 0.0),
        lactate_plasma=lp,
        glycolytic_drive=drive,
    )
    vo2 = p.vo2_rest + (j_ox - p.atp_rest) * mass / p.atp_per_o2 * LITRES_PER_MMOL * 60.0
    out = StepOutput(
        oxidative_flux=j_ox,
        glycolytic_flux=j_gly,
        atp_deficit=deficit * q,
        vo2=vo2,
        glucose_uptake=fuel.glucose / O2_PER_GLUCOSYL * mass * 60.0,
        glycogen_used=glycogen_rate * mass * 60.0,
        lactate_efflux=efflux * 60.0,
    )
    return new, out


def _expm2(a11, a12, a21, a22, t):
    """exp(A t) = c0 I + c1 A for batched 2x2 matrices with real eigenvalues s +/- r
    (Putzer's formula; only exponentials of the eigenvalues appear, so no overflow)."""
    s = 0.5 * (a11 + a22)
    r = np.sqrt(np.maximum(0.25 * (a11 - a22) ** 2 + a12 * a21, 0.0))
    l1, l2 = s + r, s - r
    e1, e2 = np.exp(l1 * t), np.exp(l2 * t)
    close = r * t < 1e-6
    d = np.where(close, 1.0, l1 - l2)
    es = np.exp(s * t)
    c1 = np.where(close, t * es, (e1 - e2) / d)
    c0 = np.where(close, es * (1.0 - s * t), (l1 * e2 - l2 * e1) / d)
    return c0 + c1 * a11, c1 * a12, c1 * a21, c0 + c1 * a22


def recover(
    state: EnergeticsState,
    p: EnergeticsParameters,
    seconds: float,
    muscle_mass: np.ndarray,
) -> EnergeticsState:
    """Exact state after ``seconds`` of rest (resting demand, full perfusion, no glycolysis).

    While the glycolytic drive is still winding down (about 8 off-time constants after a
    contraction) the rest is integrated with :func:`step`; afterwards it is exact. PCr: linear
    decline of the deficit while oxidation is at its cap, then mono-exponential with
    :math:`\\tau`; lactate: the linear muscle-plasma system solved with a 2x2 matrix
    exponential; glycogen: zero-order resynthesis up to the resting store (Greiwe 1999).
    Cost is independent of ``seconds``.
    """
    if seconds < 0:
        raise SimulationError(f"energetics recover needs seconds >= 0, got {seconds!r}")
    t = float(seconds)
    mass = np.asarray(muscle_mass, dtype=float)
    if np.any(state.glycolytic_drive > DRIVE_NEGLIGIBLE):
        # glycolysis still winds down: integrate its few time constants with steps (half a
        # time constant: after a set to failure, PCr, lactate and glycogen 90 s later are
        # within 0.1 % of steps 50 times shorter)
        h = float(np.min(p.glycolysis_off)) / 2.0
        span = min(t, 8.0 * float(np.max(p.glycolysis_off)))
        n = int(np.ceil(span / h)) if span > 0 else 0
        for _ in range(n):
            state, _ = step(state, p.atp_rest, np.ones_like(p.pcr_rest), p, span / n, mass)
        t -= span
    x = 1.0 - state.pcr / p.pcr_rest
    period = p.tau_pcr * p.kappa
    knee = 1.0 / p.kappa  # oxidation capped above this deficit
    t_lin = np.maximum((x - knee) * period, 0.0)  # time spent on the cap
    x_lin = x - np.minimum(t, t_lin) / period
    x_new = np.where(t <= t_lin, x_lin, np.minimum(x, knee) * np.exp(-(t - t_lin) / p.tau_pcr))
    # lactate deviations y = (Lm - Lm_rest, Lp - Lp_rest)
    lam = p.lactate_partition
    ke = p.efflux_rate
    ratio = mass / p.lactate_volume
    e11, e12, e21, e22 = _expm2(
        -ke, ke * lam, ratio * ke, -(ratio * ke * lam) - p.clearance_rest, t
    )
    y1 = state.lactate_muscle - p.lactate_muscle_rest
    y2 = state.lactate_plasma - p.lactate_plasma_rest
    g = state.glycogen
    g = np.where(g < p.glycogen_rest, np.minimum(g + p.resynthesis * t, p.glycogen_rest), g)
    return EnergeticsState(
        pcr=p.pcr_rest * (1.0 - x_new),
        lactate_muscle=p.lactate_muscle_rest + e11 * y1 + e12 * y2,
        glycogen=g,
        lactate_plasma=p.lactate_plasma_rest + e21 * y1 + e22 * y2,
        glycolytic_drive=state.glycolytic_drive * np.exp(-t / p.glycolysis_off),
    )


# ---------------------------------------------------------------------------- whole body


def aerobic_bout(
    p: EnergeticsParameters,
    intensity: np.ndarray,
    duration_s: float,
    dt: float,
    state: EnergeticsState | None = None,
    record_every: int = 1,
) -> tuple[dict[str, np.ndarray], EnergeticsState]:
    """Constant-intensity cycling at ``intensity`` (fraction of VO2max, ``(S,)``; > 1 allowed).

    The cycling muscles (mass ``cycling_muscle_mass_fraction`` x body mass) are one compartment:
    the normalised kernel of :func:`step` with period :math:`\\tau_{VO2}\\kappa` (so phase-II VO2
    rises mono-exponentially with :math:`\\tau_{VO2}`; the cardiodynamic phase I is not
    modelled), oxidative cap VO2max and glycolytic capacity ``cycling_glycolytic_capacity``.
    ``state`` holds the working muscle's PCr, lactate and glycogen (the vastus lateralis biopsy)
    and plasma lactate; resting state if ``None``. Returns traces ``(S, n)`` (plus ``time``
    ``(n,)``, s) named as in :data:`OUTPUTS`, sampled every ``record_every`` steps, and the final
    state.
    """
    if not (dt > 0 and duration_s >= 0):
        raise SimulationError(f"aerobic_bout needs dt > 0 and duration >= 0 (dt={dt!r})")
    if record_every < 1:
        raise SimulationError("aerobic_bout needs record_every >= 1")
    st = resting_state(p) if state is None else state
    i = np.broadcast_to(np.asarray(intensity, dtype=float), p.vo2max.shape)
    if np.any(i < 0) or not np.all(np.isfinite(i)):
        raise SimulationError("aerobic_bout intensity must be finite and >= 0")
    n = round(duration_s / dt)
    dv = p.vo2max - p.vo2_rest
    demand = np.maximum(i * p.vo2max - p.vo2_rest, 0.0) / dv
    target = _unit(demand) ** p.glycolysis_drive_exponent
    qabs = p.cycling_capacity  # mmol ATP/s
    mass = p.cycling_mass
    rest_i = p.vo2_rest / p.vo2max
    x = 1.0 - st.pcr / p.pcr_rest
    x_min = 1.0 - p.total_creatine / p.pcr_rest
    zeros = np.zeros_like(p.vo2max)
    names = tuple(OUTPUTS)
    rec = {k: [] for k in names}
    times = []
    for k in range(n + 1):
        if k > 0:
            limit = _unit(1.0 - st.lactate_muscle / p.lactate_muscle_max) * (
                st.glycogen / (st.glycogen + p.glycolysis_glycogen_half)
            )
            drive, gate = _drive(st.glycolytic_drive, target, dt, p)
            x, ox, gly, deficit = _advance(
                x,
                demand,
                zeros,
                p.kappa,
                1.0,
                p.tau_vo2 * p.kappa,
                gate,
                limit,
                p.cycling_glycolytic_capacity,
                dt,
                x_min,
                p,
            )
        else:
            ox = _oxidation(x, zeros, p.kappa, 1.0)[0]
            gly, deficit = zeros, zeros
        j_gly_kg = gly * qabs / mass  # mmol ATP/kg wet/s
        if k > 0:
            lm, lp, _, _ = _lactate(st, LACTATE_PER_ATP * j_gly_kg, 1.0, mass, ox, dt, p)
        vo2 = p.vo2_rest + ox * dv
        fuel = fuel_partition(vo2, p.vo2_rest, vo2 / p.vo2max, rest_i, st.glycogen, p)
        glycogen_min = fuel.glycogen / LITRES_PER_MMOL / O2_PER_GLUCOSYL  # mmol/min (oxidised)
        glycogen_min = glycogen_min + GLUCOSYL_PER_ATP * gly * qabs * 60.0
        if k > 0:
            g = st.glycogen - glycogen_min / 60.0 * dt * p.wet_to_dry / mass
            st = EnergeticsState(
                pcr=p.pcr_rest * (1.0 - x),
                lactate_muscle=lm,
                glycogen=np.maximum(g, 0.0),
                lactate_plasma=lp,
                glycolytic_drive=drive,
            )
        if k % record_every == 0:
            times.append(k * dt)
            fat_g = fuel.fat / p.o2_per_g_fat
            cho_o2 = vo2 - fuel.fat
            values = {
                "pcr_muscle": st.pcr,
                "glycogen_muscle": st.glycogen,
                "lactate_muscle": st.lactate_muscle,
                "lactate_plasma": st.lactate_plasma,
                "vo2": vo2,
                "glucose_uptake": fuel.glucose / LITRES_PER_MMOL / O2_PER_GLUCOSYL,
                "fat_oxidation": fat_g,
                "carbohydrate_oxidation": cho_o2
                / LITRES_PER_MMOL
                / O2_PER_GLUCOSYL
                * GRAMS_PER_MMOL_GLUCOSE,
                "rer": 1.0 - 0.3 * fuel.fat / vo2,
                "oxidative_flux": p.atp_rest + ox * qabs / mass,
                "glycolytic_flux": j_gly_kg,
                "atp_deficit": deficit * qabs / mass,
            }
            for key in names:
                rec[key].append(np.array(values[key], dtype=float, copy=True))
    traces = {key: np.stack(v, axis=-1) for key, v in rec.items()}
    traces["time"] = np.asarray(times)
    if not all(np.all(np.isfinite(v)) for v in traces.values()):
        raise SimulationError("aerobic_bout produced a non-finite value")
    return traces, st


def bout_aggregates(traces: dict[str, np.ndarray], p: EnergeticsParameters) -> dict:
    """Per-bout aggregates for the slow layer, arrays ``(S,)``: ``energy_expenditure`` (kJ),
    ``vo2_mean`` (L/min), ``glycogen_used`` (mmol/kg dry), ``glucose_taken_up`` (mmol),
    ``lactate_plasma_peak`` (mmol/L), ``fat_oxidised`` and ``carbohydrate_oxidised`` (g)."""
    t = traces["time"] / 60.0  # min
    fat_o2 = traces["fat_oxidation"] * p.o2_per_g_fat[:, None]
    power = fat_o2 * p.energy_fat[:, None] + (traces["vo2"] - fat_o2) * p.energy_cho[:, None]
    span = max(float(t[-1] - t[0]), 1e-12) if t.size > 1 else 1e-12

    def total(y):
        return trapezoid(y, t, axis=-1) if t.size > 1 else np.zeros(y.shape[0])

    return {
        "energy_expenditure": total(power),
        "vo2_mean": total(traces["vo2"]) / span,
        "glycogen_used": traces["glycogen_muscle"][:, 0] - traces["glycogen_muscle"][:, -1],
        "glucose_taken_up": total(traces["glucose_uptake"]),
        "lactate_plasma_peak": traces["lactate_plasma"].max(axis=-1),
        "fat_oxidised": total(traces["fat_oxidation"]),
        "carbohydrate_oxidised": total(traces["carbohydrate_oxidation"]),
    }


# ------------------------------------------------------------------------------- helpers


def friend_vo2max_per_kg(
    sex: str, age_years: float, norms: ParameterSet, centile: float = 50.0
) -> float:
    r"""VO2max (mL/kg/min) on the FRIEND treadmill ``centile`` at ``age_years`` (Kaminsky 2015).

    ``norms`` holds the FRIEND table (``data/reference/friend_vo2max.toml``, read by
    :func:`myoaxis.conditions.vo2max_norms`): per sex and centile c (5th-95th) the values
    :math:`V_k(c)` of the decades 20-29 ... 70-79 y, placed at their midpoints
    :math:`a_k` = 25 ... 75 y. Between two centiles the value is linear in c; between two
    decades it is log-linear in age (a constant relative decline within each decade),

    .. math:: V(a, c) = V_k(c)\,\bigl(V_{k+1}(c) / V_k(c)\bigr)^{(a - a_k)/(a_{k+1} - a_k)}.

    Below 25 y the 20-29 y value holds (the peak decade). Above 75 y the decline goes on at the
    median's rate of the last decade, :math:`V(a, c) = V_{75}(c)\,(M_{75}/M_{65})^{(a-75)/10}`
    (M: the median; men -13.5 %, women -8.5 % per decade), our extrapolation: FRIEND 2015 ends at
    79 y, and VO2max keeps falling, faster, in the 70s and 80s (Fleg 2005; see the table file).
    """
    if sex not in ("female", "male"):
        raise ParameterError(f"unknown sex {sex!r}; expected 'female' or 'male'")
    centiles = norms["friend_treadmill.centiles"].array()
    if not centiles[0] <= centile <= centiles[-1]:
        raise ParameterError(
            f"centile {centile:g} is outside the FRIEND table ({centiles[0]:g}-{centiles[-1]:g})"
        )
    ages = norms["friend_treadmill.ages"].array()

    def column(c: float) -> np.ndarray:  # VO2max (mL/kg/min) at the decade midpoints
        p = norms[f"friend_treadmill.{sex}_p{c:02.0f}"]
        return p.array() * conversion(p.unit, "mL/min/kg")[0]

    k = min(int(np.searchsorted(centiles, centile, side="right")) - 1, centiles.size - 2)
    w = (centile - centiles[k]) / (centiles[k + 1] - centiles[k])
    lo, hi = column(centiles[k]), column(centiles[k + 1])
    log_v = np.log(lo + w * (hi - lo))
    median = np.log(column(50.0))
    beyond = max(age_years - ages[-1], 0.0) / (ages[-1] - ages[-2])
    return float(np.exp(np.interp(age_years, ages, log_v) + beyond * (median[-1] - median[-2])))


def with_initial_glycogen(state: EnergeticsState, glycogen: np.ndarray) -> EnergeticsState:
    """A copy of ``state`` with another glycogen store (mmol/kg dry), e.g. after loading."""
    return replace(state, glycogen=np.asarray(glycogen, dtype=float) * np.ones_like(state.pcr))
