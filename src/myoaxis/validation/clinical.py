"""Clinical-test validation: the Dodds 2014 grip centiles as loaded and as the model meets them.

* The 50th centile curve loaded from ``clinical_norms.toml`` reproduces the abstract's peak
  medians (men 51 kg between 29 and 39 y, women 31 kg between 26 and 42 y).
* The simulated grip MVC of the ``healthy_adult`` preset (reported in kg as ``assess/mvc.py``
  reports it: the peak 0.5-s moving mean of force / g) lies near the median of its age and sex.
* The EWGSOP2 grip cut-offs (27/16 kg, Dodds's "2.5 SD below the peak mean") fall on the centile
  that matches the abstract's prevalence of weak grip at age 80 (23 % of men, 27 % of women).
"""

from __future__ import annotations

import numpy as np

from myoaxis.assess.clinical import clinical_norms, grip_centile, grip_for_centile
from myoaxis.conditions import SEXES
from myoaxis.validation.muscle import AGES, grip_mvc_kg
from myoaxis.validation.registry import ValidationCase, register

PEAK = {"male": (51.0, (29.0, 39.0)), "female": (31.0, (26.0, 42.0))}  # Dodds 2014 abstract
PRESET_AGES = (30, 50, 70, 80)
_FINE_AGES = np.arange(20.0, 90.01, 0.25)


def median_curve(sex: str) -> np.ndarray:
    """The loaded 50th centile (kg) every 0.25 y from 20 to 90 y."""
    return np.asarray(grip_for_centile(50.0, _FINE_AGES, sex))


def peak_median(sex: str) -> float:
    """Highest value (kg) of the loaded 50th centile curve."""
    return float(median_curve(sex).max())


def peak_age(sex: str) -> float:
    """Mid-point (y) of the ages at which the loaded median rounds to its peak (within 0.5 kg)."""
    curve = median_curve(sex)
    at_peak = _FINE_AGES[curve >= curve.max() - 0.5]
    return float((at_peak.min() + at_peak.max()) / 2.0)


def preset_grip_centiles(sex: str) -> np.ndarray:
    """Centiles of the preset's simulated grip MVC at :data:`PRESET_AGES`."""
    keep = [AGES.index(a) for a in PRESET_AGES]
    return np.asarray(grip_centile(grip_mvc_kg(sex)[keep], np.array(PRESET_AGES, float), sex))


def preset_centile_spread(sex: str) -> float:
    """Largest distance (centile points) of the preset's grip from the 50th centile."""
    return float(np.max(np.abs(preset_grip_centiles(sex) - 50.0)))


def weak_grip_centile(sex: str) -> float:
    """Centile at age 80 of the EWGSOP2 low-grip cut-off of ``sex`` (kg)."""
    norms = clinical_norms()
    age = norms.value("grip_centiles.weak_prevalence_age")
    return float(grip_centile(norms.value(f"ewgsop2.grip_{sex}"), age, sex))


for _sex in SEXES:
    _kg, (_lo, _hi) = PEAK[_sex]
    _weak = clinical_norms().value(f"grip_centiles.weak_prevalence_{_sex}")
    register(
        ValidationCase(
            f"dodds_peak_median_{_sex}",
            f"Peak of the Dodds 2014 50th grip centile curve loaded for {_sex}s; band: the "
            "published integer kg ± 0.5 (rounding)",
            "dodds2014",
            "kg",
            (_kg - 0.5, _kg + 0.5),
            lambda s=_sex: peak_median(s),
            f"peak median {_kg:g} kg",
        )
    )
    register(
        ValidationCase(
            f"dodds_peak_age_{_sex}",
            f"Mid-point of the ages at which the loaded {_sex} median rounds to its peak; band: "
            "the published age span of the peak",
            "dodds2014",
            "year",
            (_lo, _hi),
            lambda s=_sex: peak_age(s),
            f"peak median between {_lo:g} and {_hi:g} y",
        )
    )
    register(
        ValidationCase(
            f"grip_preset_centile_{_sex}",
            f"Simulated grip MVC of healthy_adult {_sex}s aged 30, 50, 70 and 80 as a Dodds 2014 "
            "centile: largest distance from the 50th centile (the preset is scaled along the "
            "median curve); band: within the 40th-60th centile",
            "dodds2014",
            "centile points",
            (0.0, 10.0),
            lambda s=_sex: preset_centile_spread(s),
            "every age within the 40th-60th centile",
        )
    )
    register(
        ValidationCase(
            f"dodds_weak_grip_80_{_sex}",
            f"Centile at age 80 of the EWGSOP2 low-grip cut-off for {_sex}s, against Dodds's "
            "prevalence of weak grip (at least 2.5 SD below the peak mean) at 80; band ± 5 "
            "centile points: the cut-offs are rounded to whole kg (about 4 centile points per kg "
            "at 80) and the prevalence was counted in the data, not read off the curves",
            "dodds2014",
            "centile",
            (_weak - 5.0, _weak + 5.0),
            lambda s=_sex: weak_grip_centile(s),
            f"{_weak:g} % weak at age 80",
        )
    )
