"""The slow layer's inputs: what the fast layer and the protocol write (the coupling ports).

Each is held constant over a coupling window, a step or a part of a step; components read them
by name. Units are those the slow-layer equations read them in.
"""

from __future__ import annotations

from myoaxis.core.equations import Input

ACTIVE_MASS = Input(
    "active_mass_activation", "kg", "active muscle mass x mean activation (fast-layer aggregate)"
)
EXERCISE_INTENSITY = Input(
    "exercise_intensity",
    "dimensionless",
    "whole-body exercise intensity as a fraction of VO2max (0 at rest)",
)
GLYCOGEN_USE = Input(
    "muscle_glycogen_use",
    "g/s",
    "muscle glycogen used by the working muscle (fast-layer energetics)",
)
ASLEEP = Input("asleep", "dimensionless", "1 while asleep, 0 while awake")
WEIGHT_BEARING = Input(
    "weight_bearing",
    "dimensionless",
    "habitual skeletal loading of daily life: 1 normal, 0 bed rest or unloading",
    default=1.0,
)
LOAD_HIP = Input(
    "exercise_load_hip",
    "dimensionless",
    "peak hip contact force of the current exercise, in body weights (0 when not exercising)",
)
LOAD_SPINE = Input(
    "exercise_load_spine",
    "dimensionless",
    "peak lumbar spine compressive force of the current exercise, in body weights",
)
LOADING_FREQUENCY = Input(
    "loading_frequency", "Hz", "loading cycles per second of the current exercise (steps, reps)"
)
LACTATE = Input(
    "lactate_arterial",
    "mmol/L",
    "arterial blood lactate (fast-layer energetics during exercise, resting value otherwise)",
    default=1.0,
)
MOTOR_PRACTICE = Input(
    "motor_practice",
    "dimensionless",
    "1 while the subject practises a movement task (rehabilitation task practice), else 0",
)
MOTOR_IMAGERY = Input(
    "motor_imagery",
    "dimensionless",
    "1 while the subject imagines a movement without performing it (motor imagery), else 0",
)
