"""Bone mineral density: T-score, Z-score and the WHO category (DXA report conventions).

* T-score: (BMD - young-adult mean) / young-adult SD. Femoral neck: NHANES III non-Hispanic
  white women aged 20-29 for women and men alike, the WHO/IOF reference standard (Looker et al.
  1998; Kanis et al. 2008). Lumbar spine (L1-L4): the 21-30-year band of the NHANES table of
  the subject's sex (Varatharajan et al. 2026, Table 3).
* Z-score: against the age- and sex-matched mean and SD (spine: NHANES 10-year bands,
  interpolated between band mid-points, clipped to 25-75 years). No age-matched
  femoral-neck table ships with MyoAxis, so the hip has no Z-score.
* WHO category from the T-score: normal (>= -1), osteopenia (-1 to -2.5), osteoporosis
  (<= -2.5).

The reference numbers are data (``bone.reference.*`` in ``data/model/bone.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.core.parameters import ParameterSet

SITES = ("spine", "hip")
SEXES = ("female", "male")
CATEGORIES = ("normal", "osteopenia", "osteoporosis")
TESTS = {
    "bmd": "Assess bmd: areal BMD at L1-L4 and the femoral neck (g/cm2) with T-score, "
    "Z-score (spine) and WHO category"
}


@dataclass(frozen=True)
class Reference:
    """Mean and SD of a reference population's BMD (g/cm2)."""

    mean: float
    sd: float


def _check(site: str, sex: str) -> None:
    if site not in SITES:
        raise ScenarioError(f"BMD site {site!r} is unknown (known: {', '.join(SITES)})")
    if sex not in SEXES:
        raise ScenarioError(f"sex {sex!r} is unknown (known: {', '.join(SEXES)})")


def young_adult_reference(params: ParameterSet, site: str, sex: str) -> Reference:
    """The T-score reference of ``site`` for a subject of ``sex``."""
    _check(site, sex)
    if site == "hip":
        return Reference(
            params.value_in("bone.reference.hip_young_mean", "g/cm**2"),
            params.value_in("bone.reference.hip_young_sd", "g/cm**2"),
        )
    return Reference(
        float(params[f"bone.reference.spine_{sex}_mean"].array()[0]),
        float(params[f"bone.reference.spine_{sex}_sd"].array()[0]),
    )


def age_matched_reference(params: ParameterSet, site: str, sex: str, age: float) -> Reference:
    """The Z-score reference of ``site`` at ``age`` (years) for ``sex``; spine only."""
    _check(site, sex)
    if site != "spine":
        raise ParameterError(
            f"no age-matched reference for the {site} ships with MyoAxis (only the spine has one)"
        )
    ages = params["bone.reference.spine_ages"].array()
    return Reference(
        float(np.interp(age, ages, params[f"bone.reference.spine_{sex}_mean"].array())),
        float(np.interp(age, ages, params[f"bone.reference.spine_{sex}_sd"].array())),
    )


def baseline_bmd(params: ParameterSet, site: str, sex: str, age: float) -> float:
    """Typical BMD (g/cm2) of a subject, for ``bone.<site>.baseline_bmd``: the age- and
    sex-matched mean where a table exists (spine), else the young-adult reference (hip)."""
    if site == "spine":
        return age_matched_reference(params, site, sex, age).mean
    return young_adult_reference(params, site, sex).mean


def t_score(bmd: np.ndarray | float, reference: Reference) -> np.ndarray:
    """(BMD - young-adult mean) / young-adult SD."""
    return (np.asarray(bmd, dtype=float) - reference.mean) / reference.sd


def z_score(bmd: np.ndarray | float, reference: Reference) -> np.ndarray:
    """(BMD - age- and sex-matched mean) / its SD."""
    return (np.asarray(bmd, dtype=float) - reference.mean) / reference.sd


def who_category(
    t: np.ndarray | float, osteopenia: float = -1.0, osteoporosis: float = -2.5
) -> np.ndarray:
    """WHO category of each T-score: ``normal`` (T >= -1), ``osteopenia`` (-2.5 < T < -1),
    ``osteoporosis`` (T <= -2.5)."""
    t = np.asarray(t, dtype=float)
    if np.isnan(t).any():
        raise ScenarioError("a T-score is NaN; cannot classify it")
    out = np.where(t >= osteopenia, CATEGORIES[0], CATEGORIES[1])
    return np.where(t <= osteoporosis, CATEGORIES[2], out)


def bmd_records(
    bmd: Mapping[str, np.ndarray],
    params: Sequence[ParameterSet],
    sexes: Sequence[str],
    ages: Sequence[float],
    time_s: float,
    step_id: str,
) -> list[dict]:
    """Assessment records (one per subject and site) from ``bmd[site]`` arrays ``(S,)``."""
    out = []
    for site, values in bmd.items():
        for s, value in enumerate(np.asarray(values, dtype=float)):
            p, sex = params[s], sexes[s]
            t = float(t_score(value, young_adult_reference(p, site, sex)))
            z = (
                float(z_score(value, age_matched_reference(p, site, sex, ages[s])))
                if site == "spine"
                else None
            )
            category = who_category(
                t,
                p.value("bone.reference.t_score_osteopenia"),
                p.value("bone.reference.t_score_osteoporosis"),
            )
            out.append(
                {
                    "subject": s,
                    "test": "bmd",
                    "site": site,
                    "step": step_id,
                    "time_s": time_s,
                    "value": float(value),
                    "unit": "g/cm2",
                    "t_score": t,
                    "z_score": z,
                    "category": str(category),
                }
            )
    return out
