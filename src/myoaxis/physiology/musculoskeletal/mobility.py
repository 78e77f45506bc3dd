r"""Mobility of older adults: usual gait speed, five chair stands, SPPB balance stances and
appendicular skeletal muscle mass (ASM), from muscle strength, body size, age and sex.

Pure, batched functions: every input is a number or an array with a leading subject axis
``(S,)``; parameters come from ``data/model/mobility.toml`` through :class:`MobilityParameters`.
Forces are the groups' *current* maximal forces (N) of one leg, i.e. after ageing, training and
fatigue, as ``MuscleState.strength(body)`` gives them. The scores themselves (SPPB points,
EWGSOP2 categories) are those of :mod:`myoaxis.assess.clinical`.

**Usual gait speed** (Buchner et al. 1996). Leg strength relative to body weight,
:math:`s = (F_{ke} + F_{pf}) / (m g)` (knee extensors plus ankle plantar flexors of one leg),
sets the speed through a smoothed broken stick, the lower root of the non-rectangular hyperbola

.. math:: \theta v^2 - (\alpha s + v_p)\, v + \alpha s\, v_p = 0, \qquad \alpha = v_p / s_t

so that :math:`v \approx \alpha s` (speed proportional to strength) well below the threshold
:math:`s_t`, :math:`v \to v_p` above it, and :math:`\theta \le 1` sets the sharpness of the knee.
Buchner et al. found exactly this: no association between leg strength and usual gait speed in
stronger adults, an association in weaker ones, the same for men and women (sex and height added
nothing; body weight did, hence strength *per body weight*). Age enters only through strength;
the parameters are fitted so that the presets' median-strength subjects walk at the Bohannon &
Andrews 2011 norm of their decade and sex. Below the knee the curve runs to the origin, so a
weak subject always walks, slowly (Buchner's "too weak to walk" region is not modelled).

**Five chair stands** (time, s). Rising needs a knee-extensor force :math:`D\,m g` (both legs);
with the force of both legs :math:`2F_{ke}` the load fraction is :math:`\rho = D m g / (2F_{ke})`
and Hill's force-velocity relation (normalised curvature :math:`k`) gives the speed of rising,
:math:`v/v_{max} = (1-\rho)/(1+\rho/k)`. Hence

.. math:: t_5 = t_{min}\,\frac{1 + \rho/k}{1 - \rho}\,\bigl(1 + c\,\max(A - A_0, 0)\bigr)

and :math:`t_5 = \infty` (unable) for :math:`\rho \ge 1`. Knee-extension strength explains
five-chair-stand time best, with body weight, but age adds to it (Bohannon et al. 2010; Lord et
al. 2002 found sensation, reaction time, balance and mood as important as strength): the factor
:math:`1 + c\max(A - A_0, 0)` lumps those slowings. :math:`t_{min}`, :math:`D` and :math:`c` are
fitted to the older adults' norms (Bohannon 2006: 11.4, 12.6, 14.8 s at 60-69, 70-79, 80-89 y)
and to young adults (6.0 s at 20-29 y, Bohannon et al. 2010) with median-strength subjects.

**SPPB balance stances** (hold times, s). A deliberately simple mapping, not a model of postural
control: a balance capacity :math:`c_b = (s/s_t)\max(1 - d\max(A - A_b, 0), 0)` (leg strength
relative to the gait threshold, lowered with age for the sensory and central losses that strength
does not carry) and each stance held :math:`T\min(1, c_b/q_k)` with :math:`q` rising from
side-by-side to semi-tandem to tandem and :math:`T` the 10-s hold of the SPPB. The thresholds are
our estimates (see the parameter file); vision, proprioception, vestibular function and fear of
falling, which dominate balance, are not represented.

**Appendicular skeletal muscle mass** (DXA appendicular lean soft tissue, kg). Whole-body
skeletal muscle from the anthropometric model 2 of Lee et al. 2000 (MRI reference),
:math:`SM = 0.244\,m + 7.80\,h + 6.6\,\text{male} - 0.098\,A - 3.3` (white/Hispanic race term 0),
converted to DXA ASM by inverting model 3 of Kim et al. 2002,
:math:`SM = 1.13\,ASM - 0.02\,A + 0.61\,\text{male} + 0.97`, then scaled by the muscle-mass
factors (the subject's own and the slow layer's drift). ``age_years`` here is the age
at the scenario start: the loss after it is carried by the slow layer's ``muscle_mass_factor``,
so it must not be counted twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from myoaxis.assess import clinical
from myoaxis.core.errors import ScenarioError, unknown_name
from myoaxis.physiology.musculoskeletal.elbow import G

GAIT_COURSE_M = 4.0  # the SPPB / EWGSOP2 usual-pace walk (m)
STANCES = ("side_by_side", "semi_tandem", "tandem")  # columns of balance_times

UNITS = {  # field of MobilityParameters -> canonical unit of mobility.<group>.<name>
    "gait_plateau_speed": "m/s",
    "gait_threshold_strength": "dimensionless",
    "gait_curvature": "dimensionless",
    "chair_min_time": "s",
    "chair_rise_demand": "dimensionless",
    "chair_hill_curvature": "dimensionless",
    "chair_age_slowing": "1/year",
    "chair_age_onset": "year",
    "balance_side_by_side": "dimensionless",
    "balance_semi_tandem": "dimensionless",
    "balance_tandem": "dimensionless",
    "balance_age_decline": "1/year",
    "balance_age_onset": "year",
    "asm_lee_body_mass": "dimensionless",
    "asm_lee_height": "kg/m",
    "asm_lee_male": "kg",
    "asm_lee_age": "kg/year",
    "asm_lee_intercept": "kg",
    "asm_kim_asm": "dimensionless",
    "asm_kim_age": "kg/year",
    "asm_kim_male": "kg",
    "asm_kim_intercept": "kg",
}


def parameter_name(field: str) -> str:
    """Dotted parameter of a :class:`MobilityParameters` field (``gait_plateau_speed`` ->
    ``mobility.gait.plateau_speed``)."""
    group, name = field.split("_", 1)
    return f"mobility.{group}.{name}"


@dataclass(frozen=True)
class MobilityParameters:
    """The ``mobility.<group>.<name>`` parameters as fields ``<group>_<name>``, each ``(S,)``
    in the unit of :data:`UNITS`."""

    gait_plateau_speed: np.ndarray  # v_p
    gait_threshold_strength: np.ndarray  # s_t, leg force per body weight
    gait_curvature: np.ndarray  # theta
    chair_min_time: np.ndarray  # t_min
    chair_rise_demand: np.ndarray  # D, knee-extensor force of both legs per body weight
    chair_hill_curvature: np.ndarray  # k = a/F0
    chair_age_slowing: np.ndarray  # c
    chair_age_onset: np.ndarray  # A_0
    balance_side_by_side: np.ndarray  # q of each stance
    balance_semi_tandem: np.ndarray
    balance_tandem: np.ndarray
    balance_age_decline: np.ndarray  # d
    balance_age_onset: np.ndarray  # A_b
    asm_lee_body_mass: np.ndarray  # Lee 2000 model 2
    asm_lee_height: np.ndarray
    asm_lee_male: np.ndarray
    asm_lee_age: np.ndarray
    asm_lee_intercept: np.ndarray  # subtracted
    asm_kim_asm: np.ndarray  # Kim 2002 model 3
    asm_kim_age: np.ndarray
    asm_kim_male: np.ndarray
    asm_kim_intercept: np.ndarray

    @classmethod
    def from_values(cls, values: Callable[[str, str], np.ndarray]) -> MobilityParameters:
        """Build from ``values(name, unit) -> (S,)`` (e.g. ``Body.values``)."""
        return cls(
            **{
                field: np.asarray(values(parameter_name(field), unit), dtype=float)
                for field, unit in UNITS.items()
            }
        )


# ------------------------------------------------------------------------------------- inputs


def _array(x, what: str, low: float = 0.0, *, low_open: bool = False, high: float = np.inf):
    a = np.asarray(x, dtype=float)
    bad = np.isnan(a) | np.isinf(a) | (a > high) | ((a <= low) if low_open else (a < low))
    if np.any(bad):
        bound = f"{'>' if low_open else '>='} {low:g}" + (
            f" and <= {high:g}" if high < np.inf else ""
        )
        raise ScenarioError(f"mobility: {what} must be finite and {bound}, got {a[bad].flat[0]!r}")
    return a


def _male(sex: str | Sequence[str] | np.ndarray) -> np.ndarray:
    s = np.asarray(sex, dtype=object)
    for v in set(s.ravel().tolist()):
        if v not in clinical.SEXES:
            raise ScenarioError(unknown_name("sex", str(v), clinical.SEXES, "mobility"))
    return (s == "male").astype(float)


def _age(age_years) -> np.ndarray:
    return _array(age_years, "age (years)", 0.0, high=120.0)


# -------------------------------------------------------------------------------- gait speed


def leg_strength_ratio(knee_force_n, ankle_force_n, body_mass_kg) -> np.ndarray:
    """Leg strength per body weight, :math:`(F_{ke} + F_{pf}) / (m g)` (one leg's knee
    extensors and ankle plantar flexors, N; body mass, kg)."""
    knee = _array(knee_force_n, "knee-extensor force (N)")
    ankle = _array(ankle_force_n, "plantar-flexor force (N)")
    mass = _array(body_mass_kg, "body mass (kg)", low_open=True)
    return (knee + ankle) / (mass * G)


def gait_speed(p: MobilityParameters, knee_force_n, ankle_force_n, body_mass_kg) -> np.ndarray:
    """Usual gait speed (m/s): the smoothed broken stick of the module docstring in the leg
    strength ratio (Buchner et al. 1996)."""
    s = leg_strength_ratio(knee_force_n, ankle_force_n, body_mass_kg)
    vp, theta = p.gait_plateau_speed, p.gait_curvature
    x = vp / p.gait_threshold_strength * s
    return ((x + vp) - np.sqrt((x + vp) ** 2 - 4.0 * theta * x * vp)) / (2.0 * theta)


def gait_time(speed_m_s, course_m: float = GAIT_COURSE_M) -> np.ndarray:
    """Time (s) to walk ``course_m`` at ``speed_m_s``; ``inf`` at zero speed (unable)."""
    v = _array(speed_m_s, "gait speed (m/s)")
    with np.errstate(divide="ignore"):
        return np.where(v > 0.0, course_m / np.where(v > 0.0, v, 1.0), np.inf)


# ------------------------------------------------------------------------------- chair stand


def chair_stand_load(p: MobilityParameters, knee_force_n, body_mass_kg) -> np.ndarray:
    """Load fraction of rising, :math:`\\rho = D m g / (2 F_{ke})` (``inf`` without force)."""
    knee = _array(knee_force_n, "knee-extensor force (N)")
    mass = _array(body_mass_kg, "body mass (kg)", low_open=True)
    with np.errstate(divide="ignore"):
        return p.chair_rise_demand * mass * G / (2.0 * knee)


def chair_stand_time(p: MobilityParameters, knee_force_n, body_mass_kg, age_years) -> np.ndarray:
    """Time (s) of five chair stands, Hill-limited rising speed and an age slowing (module
    docstring); ``inf`` where the knee extensors cannot lift the body (unable)."""
    rho = chair_stand_load(p, knee_force_n, body_mass_kg)
    age = _age(age_years)
    k = p.chair_hill_curvature
    slowing = 1.0 + p.chair_age_slowing * np.maximum(age - p.chair_age_onset, 0.0)
    able = rho < 1.0
    r = np.where(able, rho, 0.0)
    return np.where(able, p.chair_min_time * (1.0 + r / k) / (1.0 - r) * slowing, np.inf)


# ------------------------------------------------------------------------------------ balance


def balance_times(
    p: MobilityParameters, knee_force_n, ankle_force_n, body_mass_kg, age_years
) -> np.ndarray:
    """Hold times (s) of the :data:`STANCES` (side-by-side, semi-tandem, tandem), shape
    ``(S, 3)``, capped at the SPPB's 10-s hold: the simple capacity mapping of the module
    docstring. A weak, documented stand-in, not a balance model."""
    s = leg_strength_ratio(knee_force_n, ankle_force_n, body_mass_kg)
    age = _age(age_years)
    decline = np.maximum(1.0 - p.balance_age_decline * np.maximum(age - p.balance_age_onset, 0), 0)
    capacity = s / p.gait_threshold_strength * decline
    hold = clinical.clinical_norms().value("sppb.balance_hold")
    need = np.stack(
        np.broadcast_arrays(p.balance_side_by_side, p.balance_semi_tandem, p.balance_tandem), -1
    )
    return hold * np.minimum(np.asarray(capacity)[..., None] / need, 1.0)


# ---------------------------------------------------------------------------- muscle mass


def skeletal_muscle_mass(p: MobilityParameters, body_mass_kg, height_m, age_years, sex):
    """Whole-body skeletal muscle (kg) of a typical adult of that size, age and sex: model 2 of
    Lee et al. 2000 (race term 0)."""
    mass = _array(body_mass_kg, "body mass (kg)", low_open=True)
    height = _array(height_m, "height (m)", low_open=True)
    return (
        p.asm_lee_body_mass * mass
        + p.asm_lee_height * height
        + p.asm_lee_male * _male(sex)
        - p.asm_lee_age * _age(age_years)
        - p.asm_lee_intercept
    )


def appendicular_lean_mass(
    p: MobilityParameters, body_mass_kg, height_m, age_years, sex, mass_factor=1.0
) -> np.ndarray:
    """Appendicular skeletal muscle mass ASM (kg, DXA) of a typical adult of that size, age and
    sex (Lee 2000 whole-body muscle converted by Kim et al. 2002, never negative) times
    ``mass_factor`` (the product of the subject's ``mobility.muscle_mass_factor`` and the slow
    layer's ``muscle_mass_factor`` or a training CSA factor). ``age_years`` is the age at the
    scenario start."""
    factor = _array(mass_factor, "muscle-mass factor")
    age = _age(age_years)
    muscle = skeletal_muscle_mass(p, body_mass_kg, height_m, age, sex)
    typical = (muscle + p.asm_kim_age * age - p.asm_kim_male * _male(sex) - p.asm_kim_intercept) / (
        p.asm_kim_asm
    )
    return np.maximum(typical, 0.0) * factor


# ------------------------------------------------------------------------- the test battery


@dataclass(frozen=True)
class MobilityTests:
    """Simulated clinical mobility tests, ``(S,)`` each (``balance_s`` is ``(S, 3)``)."""

    gait_speed_m_s: np.ndarray
    gait_time_4m_s: np.ndarray
    chair_stand_s: np.ndarray
    balance_s: np.ndarray
    sppb: clinical.SPPBScore
    asm_kg: np.ndarray
    asm_index_kg_m2: np.ndarray


def sppb(p: MobilityParameters, knee_force_n, ankle_force_n, body_mass_kg, age_years):
    """SPPB of the simulated subject (:func:`myoaxis.assess.clinical.sppb_score` of the model's
    balance hold times, 4-m walk time and five-chair-stand time)."""
    speed = gait_speed(p, knee_force_n, ankle_force_n, body_mass_kg)
    return clinical.sppb_score(
        balance_times(p, knee_force_n, ankle_force_n, body_mass_kg, age_years),
        gait_time(speed),
        chair_stand_time(p, knee_force_n, body_mass_kg, age_years),
    )


def mobility_tests(
    p: MobilityParameters,
    knee_force_n,
    ankle_force_n,
    body_mass_kg,
    height_m,
    age_years,
    sex,
    mass_factor=1.0,
    start_age_years=None,
) -> MobilityTests:
    """Every test of this module at once. ``age_years`` is the current age (chair stand,
    balance); ``start_age_years`` the age at the scenario start used by the muscle-mass
    prediction (default: ``age_years``)."""
    speed = gait_speed(p, knee_force_n, ankle_force_n, body_mass_kg)
    start = age_years if start_age_years is None else start_age_years
    asm = appendicular_lean_mass(p, body_mass_kg, height_m, start, sex, mass_factor)
    height = _array(height_m, "height (m)", low_open=True)
    return MobilityTests(
        gait_speed_m_s=speed,
        gait_time_4m_s=gait_time(speed),
        chair_stand_s=chair_stand_time(p, knee_force_n, body_mass_kg, age_years),
        balance_s=balance_times(p, knee_force_n, ankle_force_n, body_mass_kg, age_years),
        sppb=sppb(p, knee_force_n, ankle_force_n, body_mass_kg, age_years),
        asm_kg=asm,
        asm_index_kg_m2=asm / height**2,
    )


def ewgsop2(tests: MobilityTests, grip_kg, height_m, sex) -> clinical.SarcopeniaClassification:
    """EWGSOP2 category (:func:`myoaxis.assess.clinical.ewgsop2`) of simulated subjects: grip
    (kg, e.g. the grip group's maximal force / g) with the model's chair stand, ASM, gait speed
    and SPPB."""
    return clinical.ewgsop2(
        grip_kg,
        tests.chair_stand_s,
        tests.asm_kg,
        height_m,
        tests.gait_speed_m_s,
        tests.sppb.total,
        sex,
    )
