"""Validation of the subjects' baseline cardiorespiratory fitness against the FRIEND norms.

Every preset's subject starts with the VO2max of the FRIEND treadmill centile of the preset
(``preset.vo2max_centile``) for age and sex (:func:`myoaxis.conditions.subject_parameters`).
These cases build each preset's default subject (default age, both sexes) as a simulation does,
run the aerobic-adaptation component through the slow layer, and read its ``vo2max`` output at
the scenario start (``energetics.vo2max_per_kg`` x ``vo2max_factor``); that must match the
published FRIEND value of the decade holding the default age, at the preset's centile.

Band: +-11 % of the decade's value. The model places each decade's value at the decade's
midpoint and interpolates log-linearly between midpoints, so at other ages of the decade it
may differ from the published value by up to half the change to the next decade; the largest
such half-decade change in the FRIEND medians is 10.4 % (women, 20-29 to 30-39 y:
sqrt(30.2/37.6) = 0.896). A VO2max that ignored age or sex (e.g. the young man's 42-48 for a
72-year-old woman's 18.3), or a ``vo2max_factor`` not 1 at the start, is far outside it.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.body import Body
from myoaxis.conditions import (
    SEXES,
    preset,
    preset_default,
    subject_parameters,
    vo2max_centile,
    vo2max_norms,
)
from myoaxis.physiology.adaptation import aerobic
from myoaxis.slow import SlowLayer
from myoaxis.validation.registry import ValidationCase, register

PRESETS = ("healthy_adult", "older_adult", "sarcopenia")
DAY = 86400.0
TOLERANCE = 0.11  # relative half-width of the band (see the module docstring)


def _default_age(name: str) -> float:
    return preset_default(name, "age_years", SEXES[0])


def friend_decade_value(sex: str, age_years: float, centile: float = 50.0) -> tuple[str, float]:
    """The published FRIEND value (mL/kg/min) of the decade holding ``age_years`` (the last
    decade, 70-79 y, beyond it) at ``centile`` (linear between the table's centiles), and the
    decade's label, e.g. ``("70-79", 18.3)``."""
    norms = vo2max_norms()
    ages = norms["friend_treadmill.ages"].array()  # decade midpoints
    k = int(np.clip(np.searchsorted(ages - 5.0, age_years, side="right") - 1, 0, ages.size - 1))
    centiles = norms["friend_treadmill.centiles"].array()
    values = [norms[f"friend_treadmill.{sex}_p{c:02.0f}"].array()[k] for c in centiles]
    return f"{ages[k] - 5:.0f}-{ages[k] + 4:.0f}", float(np.interp(centile, centiles, values))


@cache
def baseline_vo2max() -> dict[tuple[str, str], float]:
    """The slow layer's ``vo2max`` (mL/min/kg) at the start, per (preset, sex), for each
    preset's default subject; one batch."""
    keys = [(name, sex) for name in PRESETS for sex in SEXES]
    params = [subject_parameters(n, s, _default_age(n)) for n, s in keys]
    masses = np.array([preset_default(n, "body_mass_kg", s) for n, s in keys])
    ages = np.array([_default_age(n) for n, _ in keys])
    layer = SlowLayer(Body(params, masses, ages), DAY, aerobic.COMPONENTS)
    return dict(zip(keys, layer.value(aerobic.VO2MAX).tolist(), strict=True))


def _register(name: str, sex: str) -> None:
    age, centile = _default_age(name), vo2max_centile(preset(name))
    decade, target = friend_decade_value(sex, age, centile)
    who = "men" if sex == "male" else "women"
    register(
        ValidationCase(
            f"friend2015_baseline_vo2max_{name}_{sex}",
            f"Preset {name!r}, default {sex} subject ({age:g} y): VO2max at the scenario start "
            f"as the aerobic component reports it, mL/kg/min. FRIEND (Kaminsky 2015): "
            f"treadmill VO2max of {who} aged {decade} y at the {centile:g}th centile (the "
            f"preset's) is {target:.1f}; band +-{TOLERANCE:.0%} (the largest half-decade change "
            "of the FRIEND medians, over which the model interpolates; see the module)",
            "kaminsky2015",
            "mL/min/kg",
            (target * (1 - TOLERANCE), target * (1 + TOLERANCE)),
            lambda: baseline_vo2max()[(name, sex)],
            f"FRIEND {decade} y {who}, {centile:g}th centile: {target:.1f} mL/kg/min",
        )
    )


for _name in PRESETS:
    for _sex in SEXES:
        _register(_name, _sex)
