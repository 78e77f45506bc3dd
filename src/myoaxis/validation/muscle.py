"""Muscle validation: Hill curves against OpenSim 4.6 and grip strength against Dodds 2014."""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

import numpy as np

from myoaxis.assess import KG_FORCE, peak_moving_mean
from myoaxis.body import Body
from myoaxis.bouts import FastSettings, isometric
from myoaxis.conditions import SEXES, subject_parameters
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.muscle_state import MuscleState
from myoaxis.physiology.muscle import curves
from myoaxis.validation.registry import ValidationCase, register

AGES = (20, 30, 40, 50, 60, 70, 80, 90)


def opensim_reference() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """OpenSim 4.6 DeGrooteFregly2016Muscle curves (``scripts/opensim_reference_curves.py``)."""
    path = files("myoaxis") / "data" / "reference" / "opensim_degroote2016_curves.csv"
    rows: dict[str, list[tuple[float, float]]] = {}
    with path.open() as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            rows.setdefault(row["curve"], []).append((float(row["x"]), float(row["y"])))
    return {k: tuple(np.array(c) for c in zip(*v, strict=True)) for k, v in rows.items()}


OURS = {
    "active_force_length": curves.active_force_length,
    "passive_force": curves.passive_force_length,
    "force_velocity": curves.force_velocity,
    "tendon_force": curves.tendon_force_length,
    "tendon_force_strain033": lambda x: curves.tendon_force_length(x, 0.033),
    "passive_force_strain07": lambda x: curves.passive_force_length(x, 0.7),
}


def curve_error_vs_opensim() -> float:
    """Largest |ours − OpenSim| over all curves, in units of F0 (passive/tendon up to 1.5 F0)."""
    ref = opensim_reference()
    errors = []
    for name, (x, y) in ref.items():
        keep = y <= 1.5  # compare over the physiological force range
        errors.append(np.max(np.abs(OURS[name](x[keep]) - y[keep])))
    return 100.0 * float(max(errors))


@cache
def grip_mvc_kg(sex: str) -> np.ndarray:
    """Simulated grip MVC (kg) of the preset at :data:`AGES`, one batch of subjects."""
    params = [subject_parameters("healthy_adult", sex, a) for a in AGES]
    body = Body(params, np.full(len(AGES), 70.0))
    settings = FastSettings.from_body(body, "spiking")
    rng = SubjectRNG(subject_streams(11, len(AGES)))
    bout = isometric(body, MuscleState.rested(body, "grip"), None, 3.0, settings, rng)
    window = round(0.5 / settings.output_period)
    return peak_moving_mean(bout.traces["force"], window) / KG_FORCE


def grip_within_centiles(sex: str) -> float:
    """Fraction of ages at which the simulated MVC lies between Dodds 2014's P10 and P90."""
    p = subject_parameters("healthy_adult", sex, 30)
    ages = p["preset.strength_by_age.ages"].array()
    lo = np.interp(AGES, ages, p[f"preset.strength_by_age.{sex}_p10"].array())
    hi = np.interp(AGES, ages, p[f"preset.strength_by_age.{sex}_p90"].array())
    mvc = grip_mvc_kg(sex)
    return float(np.mean((mvc >= lo) & (mvc <= hi)))


register(
    ValidationCase(
        "hill_curves_vs_opensim",
        "De Groote 2016 active/passive force–length, force–velocity and "
        "tendon curves against OpenSim 4.6 DeGrooteFregly2016Muscle",
        "degroote2016",
        "% F0",
        (0.0, 2.0),
        curve_error_vs_opensim,
        "max error < 2 % of F0",
    )
)
for _sex in SEXES:
    register(
        ValidationCase(
            f"grip_mvc_dodds_{_sex}",
            f"Simulated grip MVC of healthy_adult {_sex}s aged 20–90 "
            "inside the Dodds 2014 10th–90th centiles",
            "dodds2014",
            "fraction of ages",
            (1.0, 1.0),
            lambda s=_sex: grip_within_centiles(s),
            "every age within P10–P90",
        )
    )
