"""The Body: one batch of subjects' resolved parameters, composed into muscles and a joint.

A :class:`Body` turns ``S`` subjects' :class:`~myoaxis.core.parameters.ParameterSet` into the
batched parameter arrays (leading axis = subject) that the physiology kernels take. Muscles are
built on first use. The fast layer (:mod:`myoaxis.bouts`) and the slow layer
(:mod:`myoaxis.slow`) read their parameters from here; nothing else reads parameter files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from myoaxis.core.errors import ParameterError
from myoaxis.core.parameters import ParameterSet
from myoaxis.physiology.muscle import energetics, mtu
from myoaxis.physiology.musculoskeletal import elbow
from myoaxis.physiology.neural import central_fatigue, cortex, motor_pool, tapping

_U_GRID = np.linspace(0.0, 1.0, 201)  # excitations at which the cortex's internal model is kept


@dataclass(frozen=True)
class Muscle:
    """A muscle group of ``S`` subjects: one motor pool driving ``H`` muscle–tendon heads."""

    name: str
    pool: motor_pool.PoolProperties
    mtu: mtu.MTUParameters  # (S, H)
    head_names: tuple[str, ...]
    moment_arm: np.ndarray | None  # (S, H) m, None where the force is measured directly
    mass: np.ndarray  # (S,) kg
    test_length: np.ndarray  # (S, H) MTU length in the test posture, m
    max_force: np.ndarray  # (S,) expected MVC force in the test posture, N
    internal_model: np.ndarray  # (S, len(_U_GRID)) steady force / max_force vs excitation

    def feedforward(self, target: np.ndarray) -> np.ndarray:
        """The cortex's feed-forward excitation for a target fraction of ``max_force``."""
        return cortex.inverse_curve(_U_GRID, self.internal_model, target)


class Body:
    """Batched parameters of ``S`` subjects and the parts built from them. ``age_years`` feeds
    the age-dependent models that are not in the parameter set (the fNIRS DPF); 40 if not given."""

    def __init__(
        self,
        params: list[ParameterSet],
        body_mass_kg: np.ndarray,
        age_years: np.ndarray | float = 40.0,
    ):
        self.body_mass = np.broadcast_to(np.asarray(body_mass_kg, dtype=float), (len(params),))
        self.age = np.broadcast_to(np.asarray(age_years, dtype=float), (len(params),))
        self.params = [  # the parameters the slow-layer equations read body mass and age from
            p.with_values({"body.mass": m, "body.age": a}, "subject body mass and age")
            if "body.mass" in p
            else p
            for p, m, a in zip(params, self.body_mass, self.age, strict=True)
        ]
        self._muscles: dict[str, Muscle] = {}
        self._strength: dict[str, np.ndarray] = {}  # maximal-force factors (training, ageing)
        self._values: dict[tuple[str, str | None], np.ndarray] = {}
        self._driven: central_fatigue.CentralParameters | None = None  # see set_drive
        self._speed: np.ndarray | None = None  # see set_drive
        self._limb: frozenset[str] = frozenset()  # see set_drive

    @property
    def n_subjects(self) -> int:
        return len(self.params)

    def values(self, name: str, unit: str | None = None) -> np.ndarray:
        """Scalar parameter ``name`` of every subject, shape ``(S,)`` (a fresh copy; the
        subjects' values are gathered once per name and unit)."""
        key = (name, unit)
        if key not in self._values:
            if unit is None:
                self._values[key] = np.array([p.value(name) for p in self.params])
            else:
                self._values[key] = np.array([p.value_in(name, unit) for p in self.params])
        return self._values[key].copy()

    def _column(self, name: str, unit: str | None = None) -> np.ndarray:
        return self.values(name, unit)[:, None]

    def muscle(self, name: str) -> Muscle:
        """Muscle group ``name``, with its maximal force scaled as :meth:`set_strength` says."""
        if name not in self._muscles:
            self._muscles[name] = self._build_muscle(name)
        m = self._muscles[name]
        if name not in self._strength:
            return m
        f = self._strength[name]
        return replace(
            m,
            mtu=replace(m.mtu, max_isometric_force=m.mtu.max_isometric_force * f[:, None]),
            max_force=m.max_force * f,
        )

    def set_strength(self, name: str, factor: np.ndarray) -> None:
        """Scale group ``name``'s maximal isometric force by ``factor`` ``(S,)`` (relative to
        its parameters: training and ageing from the slow layer). Every force of the
        Hill-type heads is proportional to it, so the static force at any activation scales
        by the same factor and the cortex's normalised internal model is unchanged."""
        factor = np.broadcast_to(np.asarray(factor, dtype=float), (self.n_subjects,)).copy()
        if not np.all(np.isfinite(factor) & (factor > 0)):
            raise ParameterError(f"strength factor of {name} must be finite and > 0: {factor}")
        self._strength[name] = factor

    def pool(self, name: str) -> motor_pool.PoolProperties:
        """The motor-unit pool of muscle group ``name`` for every subject.

        Unit fatigue rates are Potvin & Fuglevand's, scaled by the group's 3CC fatigue rate
        relative to ``motor_pool.reference_fatigue_rate``; recovery uses the group's 3CC-r
        ``R`` and ``r``, so whole-muscle and motor-unit fatigue share their recovery.
        """
        units = {int(v) for v in self.values(f"muscle.{name}.n_units")}
        if len(units) != 1:
            raise ParameterError(f"muscle.{name}.n_units must be equal across a batch")
        col = self._column
        return motor_pool.properties(
            motor_pool.PoolParameters(
                n_units=units.pop(),
                recruitment_range=col("motor_pool.recruitment_range"),
                min_rate=col("motor_pool.min_rate", "Hz"),
                peak_rate_first=col("motor_pool.peak_rate_first", "Hz"),
                peak_rate_last=col("motor_pool.peak_rate_last", "Hz"),
                rate_gain=col("motor_pool.rate_gain", "Hz"),
                twitch_force_range=col("motor_pool.twitch_force_range"),
                contraction_time_longest=col("motor_pool.contraction_time_longest", "s"),
                contraction_time_range=col("motor_pool.contraction_time_range"),
                isi_cv=col("motor_pool.isi_cv"),
                fusion_at_peak_rate=col(
                    own
                    if (own := f"muscle.{name}.fusion_at_peak_rate") in self.params[0]
                    else "motor_pool.fusion_at_peak_rate"
                ),
                fatigue_factor=col("motor_pool.fatigue_factor", "1/s")
                * col(f"muscle.{name}.fatigue_rate", "1/s")
                / col("motor_pool.reference_fatigue_rate", "1/s"),
                fatigue_range=col("motor_pool.fatigue_range"),
                recovery_rate=col(f"muscle.{name}.recovery_rate", "1/s"),
                rest_recovery_multiplier=col(f"muscle.{name}.rest_recovery_multiplier"),
                contraction_time_slowing=col("motor_pool.contraction_time_slowing"),
                adaptation_scale=col("motor_pool.adaptation_scale"),
                adaptation_time=col("motor_pool.adaptation_time", "s"),
            )
        )

    def _build_muscle(self, name: str) -> Muscle:
        pre = f"muscle.{name}"
        heads = tuple(
            sorted({n.split(".")[3] for n in self.params[0] if n.startswith(f"{pre}.head.")})
        )
        col = self._column

        def per_head(field: str, unit: str) -> np.ndarray:
            return np.stack([self.values(f"{pre}.head.{h}.{field}", unit) for h in heads], axis=1)

        f0 = col(f"{pre}.max_isometric_force", "N") * per_head("force_share", "dimensionless")
        ones = np.ones_like(f0)
        params = mtu.MTUParameters(
            max_isometric_force=f0,
            optimal_fiber_length=per_head("optimal_fiber_length", "m"),
            tendon_slack_length=per_head("tendon_slack_length", "m"),
            pennation_at_optimal=per_head("pennation_at_optimal", "rad"),
            max_contraction_velocity=col("mtu.max_contraction_velocity", "1/s") * ones,
            tendon_strain_at_one=col("mtu.tendon_strain_at_one") * ones,
            passive_strain_at_one=col("mtu.passive_strain_at_one") * ones,
            fiber_damping=col("mtu.fiber_damping") * ones,
        )
        has_arm = f"{pre}.head.{heads[0]}.moment_arm" in self.params[0]
        props = self.pool(name)
        test_length = mtu.mtu_length_at(params, col("mtu.test_fiber_length") * ones)
        steady = np.stack(
            [motor_pool.steady_force(props, np.full(self.n_subjects, u)) for u in _U_GRID], axis=1
        )  # (S, n)
        tendon = np.stack(
            [_static_force(params, test_length, a[:, None]) for a in steady.T], axis=1
        )
        return Muscle(
            name=name,
            pool=props,
            mtu=params,
            head_names=heads,
            moment_arm=per_head("moment_arm", "m") if has_arm else None,
            mass=self.values(f"{pre}.mass", "kg"),
            test_length=test_length,
            max_force=tendon[:, -1],
            internal_model=tendon / tendon[:, -1:],
        )

    @cached_property
    def elbow(self) -> elbow.ElbowParameters:
        v = self.values
        return elbow.segment(
            self.body_mass,
            v("elbow.forearm_mass_fraction"),
            v("elbow.forearm_com_fraction"),
            v("elbow.forearm_gyration_fraction"),
            v("elbow.forearm_length", "m"),
            v("elbow.joint_damping", "N*m*s/rad"),
        )

    @cached_property
    def loop_gains(self) -> cortex.LoopGains:
        return cortex.LoopGains(
            proportional=self.values("cortex.feedback_gain"),
            integral=self.values("cortex.integral_gain", "1/s"),
            feedback_tau=self.values("cortex.feedback_time_constant", "s"),
        )

    @cached_property
    def central(self) -> central_fatigue.CentralParameters:
        """Central-fatigue parameters of an intact motor pathway."""
        v = self.values
        return central_fatigue.CentralParameters(
            rested=v("central.rested_ceiling"),
            minimum=v("central.minimum_ceiling"),
            fatigue_rate=v("central.fatigue_rate", "1/s"),
            recovery_rate=v("central.recovery_rate", "1/s"),
        )

    def central_for(self, group: str) -> central_fatigue.CentralParameters:
        """Central-fatigue parameters of muscle ``group``: the rested ceiling and fatigued
        floor scaled as :meth:`set_drive` says if the group belongs to the driven limb."""
        return self._driven if self._driven is not None and group in self._limb else self.central

    def set_drive(self, factor: np.ndarray, speed: np.ndarray, groups: tuple[str, ...]) -> None:
        """Scale the maximal voluntary drive (the central ceiling, rested and fatigued floor) of
        the muscle ``groups`` of one limb by ``factor`` ``(S,)`` in (0, 1] and the speed of its
        repetitive movements (tapping) by ``speed``: the motor pathway's strength (a stroke
        weakens and slows the affected limb)."""
        factor = self._fraction(factor, "voluntary drive factor")
        base = self.central
        self._driven = (
            None
            if np.all(factor == 1)
            else replace(base, rested=base.rested * factor, minimum=base.minimum * factor)
        )
        self._limb = frozenset(groups)
        self._speed = self._fraction(speed, "movement speed factor")

    def _fraction(self, x: np.ndarray, what: str) -> np.ndarray:
        x = np.broadcast_to(np.asarray(x, dtype=float), (self.n_subjects,))
        if not np.all(np.isfinite(x) & (x > 0) & (x <= 1)):
            raise ParameterError(f"{what} must be in (0, 1]: {x}")
        return x

    @property
    def tapping(self) -> tapping.TappingParameters:
        """Finger-tapping parameters, slowed as :meth:`set_drive` says."""
        p = tapping.TappingParameters.from_values(self.values)
        return (
            p if self._speed is None or np.all(self._speed == 1) else tapping.slowed(p, self._speed)
        )

    @cached_property
    def energetics(self) -> energetics.EnergeticsParameters:
        """Muscle and whole-body energetics parameters of every subject."""
        return energetics.EnergeticsParameters.from_values(self.values, self.body_mass)


def _static_force(params: mtu.MTUParameters, l_mt: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Summed tendon force (N) of the heads in static equilibrium at activation ``a``."""
    fiber = mtu.static_fiber_length(params, l_mt, a)
    f = mtu.tendon_force(params, l_mt, fiber) * params.max_isometric_force
    return f.sum(axis=1)
