"""Oral drugs: pharmacokinetics after standard doses and metformin's insulin sensitisation.

Each case drives :class:`~myoaxis.slow.SlowLayer` as the ``Dose`` step will:
:func:`~myoaxis.physiology.pharmacology.check_dose` with the amount taken in the last 24 h, then
``layer.add(*dose_impulse(...))``. PK cases run the drug's component alone; the metformin
clamp cases run it with the glucose-insulin model and read ``insulin_sensitivity_factor``.
Where a parameter was fitted to the number a case compares with, the description says so
(a consistency check, not an independent validation).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.physiology import pharmacology as ph
from myoaxis.physiology.endocrine import glucose_insulin
from myoaxis.slow import SlowLayer
from myoaxis.validation.registry import ValidationCase, register

HOUR = 3600.0


def _body() -> Body:
    return Body([subject_parameters("healthy_adult", "male", 30.0)], np.array([75.0]))


def dosing(
    layer: SlowLayer, drug: str, amount_mg: float, every_h: float, doses: int
) -> list[float]:
    """Give ``doses`` oral doses ``every_h`` hours apart, checked against the dose limits as
    the protocol does; returns the dose times (s)."""
    given: list[tuple[float, float]] = []
    for _ in range(doses):
        recent = sum(a for t, a in given if t > layer.t - 24 * HOUR)
        ph.check_dose(drug, amount_mg, recent, layer.body.values)
        layer.add(*ph.dose_impulse(drug, amount_mg, layer.body.values))
        given.append((layer.t, amount_mg))
        layer.advance(every_h * HOUR)
    return [t for t, _ in given]


def _series(layer: SlowLayer, name: str) -> tuple[np.ndarray, np.ndarray]:
    times, values = layer.series()
    names = [v.name for v in (*layer.model.states, *layer.model.assignments)]
    return times, values[names.index(name), 0]


@cache
def single_dose(drug: str, hours: float = 24.0) -> tuple[np.ndarray, np.ndarray]:
    """Hours after the drug's standard dose and its plasma concentration (mg/L)."""
    layer = SlowLayer(_body(), 60.0, components=ph.components([drug]))
    dose = float(layer.body.values(f"pharmacology.{drug}.standard_dose", "mg")[0])
    dosing(layer, drug, dose, hours, 1)
    t, c = _series(layer, ph.state_names(drug)["concentration"])
    return t / HOUR, c


def cmax(drug: str) -> float:
    return float(single_dose(drug)[1].max())


def tmax(drug: str) -> float:
    t, c = single_dose(drug)
    return float(t[np.argmax(c)])


def auc(drug: str) -> float:
    """Area under the concentration curve over 24 h (mg h/L)."""
    t, c = single_dose(drug)
    return float(np.sum((c[1:] + c[:-1]) * np.diff(t)) / 2.0)


@cache
def metformin_mean_concentration(amount_mg: float = 1000.0, every_h: float = 12.0) -> float:
    """Mean plasma metformin (mg/L) over the third day of ``amount_mg`` every ``every_h`` h."""
    layer = SlowLayer(_body(), 600.0, components=ph.components(["metformin"]))
    dosing(layer, "metformin", amount_mg, every_h, int(72 / every_h))
    t, c = _series(layer, ph.state_names("metformin")["concentration"])
    day3 = t >= 48 * HOUR
    return float(np.mean(c[day3][:-1]))


@cache
def metformin_sensitivity_rise(amount_mg: float, doses_per_day: int = 3, weeks: int = 4) -> float:
    """Rise of insulin sensitivity (%) at the end of ``weeks`` of metformin (the glucose model's
    ``insulin_sensitivity_factor``)."""
    components = (*glucose_insulin.COMPONENTS, *ph.components(["metformin"]))
    layer = SlowLayer(_body(), 3600.0, components=components)
    dosing(layer, "metformin", amount_mg, 24.0 / doses_per_day, 7 * weeks * doses_per_day)
    return 100.0 * (float(layer.value("insulin_sensitivity_factor")[0]) - 1.0)


register(
    ValidationCase(
        "paracetamol_cmax_1g",
        "Peak plasma paracetamol after 1 g orally. Published means 18.0-20.7 mg/L for five "
        "tablet formulations (PMID 14571283) and 24.3 +/- 6.5 mg/L for a solution; band 13-27 "
        "mg/L. The one-compartment model under-predicts the early distribution peak",
        "paracetamol_formulations2003",
        "mg/L",
        (13.0, 27.0),
        lambda: cmax("paracetamol"),
        "mean Cmax 18-21 mg/L (tablets)",
    )
)
register(
    ValidationCase(
        "paracetamol_auc_1g",
        "Area under the plasma curve over 24 h after 1 g orally (checks clearance): published "
        "means 52.6-56.3 mg h/L (tablets, PMID 14571283), 68.1 +/- 17.9 (solution); band 45-90",
        "paracetamol_formulations2003",
        "mg h/L",
        (45.0, 90.0),
        lambda: auc("paracetamol"),
        "AUC 53-68 mg h/L",
    )
)
register(
    ValidationCase(
        "paracetamol_tmax_1g",
        "Time of the plasma peak after 1 g tablets: mean tmax 0.40-0.88 h across formulations "
        "(PMID 14571283); band 0.25-1.5 h. The absorption rate was chosen from these values "
        "(consistency check)",
        "paracetamol_formulations2003",
        "h",
        (0.25, 1.5),
        lambda: tmax("paracetamol"),
        "tmax 0.40-0.88 h",
    )
)
register(
    ValidationCase(
        "ibuprofen_cmax_400mg",
        "Peak plasma ibuprofen after 400 mg: about 38 mg/L racemic from one 400 mg tablet "
        "(18.1 R + 20.0 S; Br J Clin Pharmacol 2001 table) and 31 mg/L from 500 mg ibuprofen "
        "lysine (Biopharm Drug Dispos 1990); band 24-50 mg/L",
        "ibuprofen_tablets2001",
        "mg/L",
        (24.0, 50.0),
        lambda: cmax("ibuprofen"),
        "31-38 mg/L",
    )
)
register(
    ValidationCase(
        "ibuprofen_tmax_400mg",
        "Time of the plasma peak after a 400 mg tablet: 0.93-1.0 h (R and S enantiomers, Br J "
        "Clin Pharmacol 2001); SmPC: about 45 min fasting, 1-2 h with food; band 0.5-2 h. The "
        "absorption rate was chosen from these values (consistency check)",
        "ibuprofen_tablets2001",
        "h",
        (0.5, 2.0),
        lambda: tmax("ibuprofen"),
        "about 1 h",
    )
)
register(
    ValidationCase(
        "metformin_tmax_500mg",
        "Time of the plasma peak after 500 mg metformin: about 2.5 h (product information); "
        "2.4 +/- 0.93 h in 24 volunteers (Biopharm Drug Dispos 1993, to which the absorption "
        "rate was fitted); band 1.5-3.5 h",
        "metformin_smpc",
        "h",
        (1.5, 3.5),
        lambda: tmax("metformin"),
        "about 2.5 h",
    )
)
register(
    ValidationCase(
        "metformin_steady_state_below_1mg_l",
        "Mean plasma metformin on the third day of 1000 mg twice daily: steady state is "
        "reached within 24-48 h and is generally below 1 ug/mL at usual doses (product "
        "information); band 0.3-1.0 mg/L (the lower bound is ours)",
        "metformin_smpc",
        "mg/L",
        (0.3, 1.0),
        metformin_mean_concentration,
        "< 1 ug/mL",
    )
)
register(
    ValidationCase(
        "metformin_insulin_sensitivity_hother_nielsen1989",
        "Rise of insulin sensitivity after 4 weeks of metformin 500 mg three times daily. "
        "Hother-Nielsen 1989 (obese type 2 diabetes, clamp): insulin-mediated glucose "
        "utilisation 370 vs 313 mg/m2/min, +18 %. The EC50 was calibrated to this number "
        "(consistency check of the PK/PD chain through the glucose model); band 10-26 %",
        "hother_nielsen1989",
        "%",
        (10.0, 26.0),
        lambda: metformin_sensitivity_rise(500.0),
        "+18 %",
    )
)
register(
    ValidationCase(
        "metformin_insulin_sensitivity_nosadini1987",
        "Rise of insulin sensitivity after 4 weeks of metformin 850 mg three times daily "
        "(independent of the calibration). Nosadini 1987 (type 2 diabetes, clamp): glucose "
        "disposal +22 % at high and +44 % at low insulin infusion; band 15-45 %",
        "nosadini1987",
        "%",
        (15.0, 45.0),
        lambda: metformin_sensitivity_rise(850.0),
        "+22 to +44 %",
    )
)
