"""Motor-unit fatigue (Potvin & Fuglevand 2017 with recovery) against endurance data.

The pool's endurance time at a sustained load is measured with an ideal controller: at every
step (0.1 s, Potvin & Fuglevand's 10 Hz, growing to 1 % of the time elapsed, at most 1 s) the
excitation that makes the fatigued mean-field pool produce the load is found by bisection (as
in Potvin & Fuglevand's own code), and the units tire at that excitation; task failure is when
maximal excitation no longer reaches the load (their criterion). This isolates the motor-unit
physiology from the cortex's loop (which the simulation's ``until failure`` steps add, with
its central ceiling and failure tolerance).

Both cases cover 20, 40, 60 and 80 %MVC at the six joints. The 80 % point holds because the
scale of rate adaptation (``motor_pool.adaptation_scale``) is bounded by twitch-interpolation
data; with Potvin & Fuglevand's 0.67 the pool failed 80 %MVC 2-3.5x too soon.
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache

import numpy as np

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.physiology.muscle import fatigue
from myoaxis.physiology.neural import motor_pool
from myoaxis.validation.fatigue import (
    JOINT_GROUPS,
    LOADS,
    joint_rates,
    published_endurance_time,
    worst_factor,
)
from myoaxis.validation.registry import ValidationCase, register

_STEP = 0.1  # s, the first steps (Potvin & Fuglevand's 10 Hz) ...
_RELATIVE_STEP = 0.01  # ... then 1 % of the time elapsed (endurance time resolved to ~1 %) ...
_MAX_STEP = 1.0  # s, ... at most this
_LIMIT = 3600.0  # s
_TOL = 1e-6  # excitation resolution of the bisection
_BRACKET = 0.02  # half-width of the bisection bracket around the previous excitation


def _stacked(pools: list[motor_pool.PoolProperties]) -> motor_pool.PoolProperties:
    """One batch of pools from several (same unit count): fields joined on the subject axis."""
    return motor_pool.PoolProperties(
        **{f.name: np.concatenate([getattr(p, f.name) for p in pools]) for f in fields(pools[0])}
    )


def _excitation_for(props, state, loads, lo, hi) -> np.ndarray:
    """Least excitation in ``[lo, hi]`` whose steady force reaches ``loads`` (bisection)."""
    while np.max(hi - lo) > _TOL:
        mid = 0.5 * (lo + hi)
        short = motor_pool.steady_force(props, mid, state) < loads
        lo, hi = np.where(short, mid, lo), np.where(short, hi, mid)
    return hi


def ideal_endurance(props: motor_pool.PoolProperties, loads: np.ndarray) -> np.ndarray:
    """Endurance time (s) of each pool of ``props`` holding ``loads`` (fraction of max), ``(S,)``.

    ``nan`` where the load is still held after an hour. Each step's bisection searches within
    ``_BRACKET`` of the previous excitation (the required excitation drifts slowly), or the
    rest of [0, 1] where that bracket does not hold the answer.
    """
    state = motor_pool.FatigueState.rested(props)
    loads = np.asarray(loads, dtype=float)
    ones = np.ones_like(loads)
    ended = np.full(loads.shape, np.nan)
    u = np.zeros_like(loads)
    t = 0.0
    while np.isnan(ended).any() and t < _LIMIT:
        strength = motor_pool.steady_force(props, ones, state)
        ended = np.where(np.isnan(ended) & (strength < loads), t, ended)
        holding = np.isnan(ended)
        down, up = np.maximum(u - _BRACKET, 0.0), np.minimum(u + _BRACKET, 1.0)
        enough_down = motor_pool.steady_force(props, down, state) >= loads
        short_up = motor_pool.steady_force(props, up, state) < loads
        lo = np.where(short_up, up, np.where(enough_down, 0.0, down))
        hi = np.where(short_up, 1.0, np.where(enough_down, down, up))
        lo = np.where(holding, lo, hi)  # failed pools: nothing to search
        u = np.where(holding, _excitation_for(props, state, loads, lo, hi), 0.0)
        h = min(max(_STEP, _RELATIVE_STEP * t), _MAX_STEP)
        _, state = motor_pool.mean_field_step(props, u, state, h)
        t += h
    return ended


@cache
def endurance_table() -> dict[str, np.ndarray]:
    """Motor-unit endurance times (s) of each joint's group at :data:`LOADS`, one batch."""
    loads = np.array(LOADS)
    params = subject_parameters("healthy_adult", "male", 30.0)
    body = Body([params] * len(loads), np.full(len(loads), 75.0))
    props = _stacked([body.muscle(g).pool for g in JOINT_GROUPS.values()])
    times = ideal_endurance(props, np.tile(loads, len(JOINT_GROUPS)))
    return dict(zip(JOINT_GROUPS, times.reshape(len(JOINT_GROUPS), len(loads)), strict=True))


def ratios_to_meta_analysis() -> np.ndarray:
    """Pool / meta-analysis endurance time, ``(joints, loads)`` in :data:`JOINT_GROUPS` order."""
    loads = np.array(LOADS)
    return np.array([t / published_endurance_time(j, loads) for j, t in endurance_table().items()])


def ratios_to_three_compartment() -> np.ndarray:
    """Pool / 3CC closed-form endurance time (the group's F, R), ``(joints, loads)``."""
    f, r, _ = joint_rates(tuple(JOINT_GROUPS))
    closed_form = fatigue.endurance_time(np.array(LOADS)[None, :], f[:, None], r[:, None])
    return np.array(list(endurance_table().values())) / closed_form


def worst_factor_vs_meta_analysis() -> float:
    return worst_factor(ratios_to_meta_analysis())


def worst_factor_vs_three_compartment() -> float:
    return worst_factor(ratios_to_three_compartment())


register(
    ValidationCase(
        name="motor_unit_endurance_vs_meta_analysis",
        description="Motor-unit pool endurance time (ideal controller), 6 joints x 20/40/60/80 "
        "%MVC, vs the joint-specific power models of the endurance-time meta-analysis",
        citation="frey_law2010",
        unit="x",
        band=(1.0, 2.0),
        measure=worst_factor_vs_meta_analysis,
        target="within a factor of 2 at every joint and load",
    )
)
register(
    ValidationCase(
        name="motor_unit_vs_three_compartment",
        description="The two fatigue levels agree: motor-unit pool vs 3CC closed-form "
        "endurance time (Frey-Law 2012 F, R), 6 joints x 20/40/60/80 %MVC",
        citation="frey_law2012",
        unit="x",
        band=(1.0, 2.0),
        measure=worst_factor_vs_three_compartment,
        target="within a factor of 2 at every joint and load",
    )
)
