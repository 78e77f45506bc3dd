r"""Oral drugs as simple PK/PD: one-compartment absorption and elimination, an effect
compartment and Emax effects, one slow-layer component per drug.

The drugs are data: every ``[pharmacology.<drug>]`` table of ``data/model/pharmacology.toml``
defines one (like the muscle groups of :func:`~myoaxis.physiology.adaptation.muscle.
muscle_adaptation`); :func:`drug_component` builds its equations. A dose of :math:`D` mg is an
impulse into the gut state (the protocol's ``Dose <drug> <amount>`` step calls
:func:`check_dose` and :func:`dose_impulse`). With :math:`G` the gut amount, :math:`X` the
amount in the body (mg), :math:`V = v\,m` (``volume`` per kg times ``body.mass``),
:math:`k_e = \ln 2/t_{1/2}` and :math:`k_{e0} = \ln 2/t_{eq}`:

.. math::
    \dot G = -k_a G, \qquad \dot X = F k_a G - k_e X, \qquad C = X/V, \qquad
    \dot C_e = k_{e0}\,(C - C_e)

and each effect the drug has (a parameter pair ``<effect>_max``, ``<effect>_ec50``) is
:math:`E = E_{max}\,C_e/(EC_{50} + C_e)`. The shared outputs combine the drugs:

* ``analgesic_effect`` and ``anti_inflammatory_effect`` (fractions, 0-1):
  :math:`1 - \prod_d (1 - E_d)` (independent action, saturating below 1);
* ``insulin_sensitiser_effect`` (fractional rise of insulin sensitivity): :math:`\sum_d E_d`.

The pain model reads ``analgesic_effect``; the inflammation component multiplies its target by
:math:`1 -` ``anti_inflammatory_effect``; the glucose model multiplies insulin sensitivity by
:math:`1 +` ``insulin_sensitiser_effect``. Without doses every state stays at 0 and every
effect is exactly 0. Not modelled: multi-compartment distribution (paracetamol's early peak is
under-predicted), saturable absorption (metformin, paracetamol below 1 g), food effects,
tolerance, drug interactions, toxicity, renal or hepatic impairment.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.core.errors import ScenarioError, unknown_name
from myoaxis.core.parameters import ParameterSet

EFFECTS = ("analgesic", "anti_inflammatory", "insulin_sensitiser")
OUTPUTS = {e: f"{e}_effect" for e in EFFECTS}  # shared names read by pain, inflammation, glucose
_PRODUCT = {"analgesic": True, "anti_inflammatory": True, "insulin_sensitiser": False}
_LN2 = repr(math.log(2.0))

Values = Callable[..., np.ndarray]  # Body.values: (name, unit) -> (S,)


def _prefix(drug: str) -> str:
    return f"pharmacology.{drug}."


@cache
def _catalogue() -> dict[str, tuple[str, ...]]:
    """Shipped drugs and the effects each has, from ``data/model/pharmacology.toml``."""
    path = Path(str(files("myoaxis") / "data" / "model" / "pharmacology.toml"))
    leaves = [name.split(".")[1:] for name in ParameterSet.from_toml(path)]
    drugs = sorted({drug for drug, *_ in leaves})
    return {d: tuple(e for e in EFFECTS if [d, f"{e}_max"] in leaves) for d in drugs}


def drug_names() -> tuple[str, ...]:
    """Names of the shipped drugs (``data/model/pharmacology.toml``)."""
    return tuple(_catalogue())


def _known(drug: str) -> str:
    if drug not in _catalogue():
        raise ScenarioError(unknown_name("drug", drug, _catalogue()))
    return drug


def state_names(drug: str) -> dict[str, str]:
    """Names of the states and intermediates of ``drug``, keyed by role."""
    return {
        "gut": f"{drug}_gut",
        "body": f"{drug}_body",
        "effect_site": f"{drug}_effect_site",
        "concentration": f"{drug}_concentration",
        **{e: f"{drug}_{e}_effect" for e in EFFECTS},
    }


@cache
def drug_component(drug: str) -> Component:
    """The PK/PD equations of one drug (see the module docstring)."""
    p, n = _prefix(_known(drug)), state_names(drug)
    effects = _catalogue()[drug]
    parameters = {
        f"{p}bioavailability": "dimensionless",
        f"{p}absorption_rate": "1/s",
        f"{p}volume": "L/kg",
        f"{p}half_life": "s",
        f"{p}equilibration_half_life": "s",
        "body.mass": "kg",
    }
    for e in effects:
        parameters[f"{p}{e}_max"] = "dimensionless"
        parameters[f"{p}{e}_ec50"] = "mg/L"
    return Component(
        name=f"pharmacology_{drug}",
        states=(
            State(
                n["gut"],
                "mg",
                f"{drug} in the gut, not yet absorbed (oral doses are added here)",
                rate=f"-{p}absorption_rate * {n['gut']}",
                initial="0",
                scale=10.0,
            ),
            State(
                n["body"],
                "mg",
                f"{drug} absorbed and not yet eliminated (one-compartment amount)",
                rate=f"{p}bioavailability * {p}absorption_rate * {n['gut']}"
                f" - {_LN2} / {p}half_life * {n['body']}",
                initial="0",
                scale=10.0,
            ),
            State(
                n["effect_site"],
                "mg/L",
                f"{drug} concentration in the effect compartment",
                rate=f"{_LN2} / {p}equilibration_half_life"
                f" * ({n['concentration']} - {n['effect_site']})",
                initial="0",
                scale=0.1,
            ),
        ),
        parameters=parameters,
        assignments=(
            Assignment(
                n["concentration"],
                "mg/L",
                f"plasma {drug} concentration",
                f"{n['body']} / ({p}volume * body.mass)",
            ),
            *(
                Assignment(
                    n[e],
                    "dimensionless",
                    f"{e.replace('_', '-')} effect of {drug} (Emax model of the effect site)",
                    f"{p}{e}_max * {n['effect_site']} / ({p}{e}_ec50 + {n['effect_site']})",
                )
                for e in effects
            ),
        ),
        citations=(),
    )


@cache
def _effects_component(drugs: tuple[str, ...]) -> Component:
    assignments = []
    for e in EFFECTS:
        terms = [state_names(d)[e] for d in drugs if e in _catalogue()[d]]
        if not terms:
            continue
        if _PRODUCT[e]:
            text = "1 - " + " * ".join(f"(1 - {t})" for t in terms)
            long = f"combined {e.replace('_', '-')} effect of all drugs, 1 - prod(1 - E_d)"
        else:
            text = " + ".join(terms)
            long = f"combined {e.replace('_', '-')} effect of all drugs (sum)"
        assignments.append(Assignment(OUTPUTS[e], "dimensionless", long, text))
    return Component(
        name="pharmacology_effects", states=(), parameters={}, assignments=tuple(assignments)
    )


def components(drugs: Iterable[str] | None = None) -> tuple[Component, ...]:
    """The components of ``drugs`` (all shipped drugs for ``None``) and the one combining their
    effects into ``analgesic_effect``, ``anti_inflammatory_effect`` and
    ``insulin_sensitiser_effect``; empty for no drugs (the readers then see 0)."""
    chosen = tuple(sorted({_known(d) for d in (_catalogue() if drugs is None else drugs)}))
    if not chosen:
        return ()
    return (*(drug_component(d) for d in chosen), _effects_component(chosen))


COMPONENTS = components()


def _value(params: Values, drug: str, name: str, unit: str) -> np.ndarray:
    return np.asarray(params(f"{_prefix(drug)}{name}", unit), dtype=float)


def dose_impulse(drug: str, amount_mg: float, params: Values) -> tuple[str, np.ndarray]:
    """``(state, amount (S,))``: what an oral dose of ``amount_mg`` adds to the slow layer
    (``layer.add(*dose_impulse(...))``); ``params`` is ``Body.values``."""
    _known(drug)
    shape = _value(params, drug, "bioavailability", "dimensionless").shape
    return state_names(drug)["gut"], np.full(shape, float(amount_mg))


def check_dose(
    drug: str,
    amount_mg: float,
    taken_last_24h_mg: float,
    params: Values,
    since_last_s: float = np.inf,
) -> None:
    """Raise :class:`ScenarioError` for an unknown drug, a non-positive amount, or a dose above
    the drug's maximum single dose, (with ``taken_last_24h_mg`` already taken in the last 24 h)
    its maximum daily dose, or sooner than its minimum interval after the previous dose
    (``since_last_s`` seconds ago) (``data/model/pharmacology.toml``)."""
    _known(drug)
    if not np.isfinite(amount_mg) or amount_mg <= 0:
        raise ScenarioError(f"dose of {drug}: the amount must be a positive number of mg")
    single = float(np.min(_value(params, drug, "max_single_dose", "mg")))
    if amount_mg > single:
        raise ScenarioError(
            f"dose of {drug}: {amount_mg:g} mg exceeds the maximum single dose of {single:g} mg "
            f"(pharmacology.{drug}.max_single_dose)"
        )
    daily = float(np.min(_value(params, drug, "max_daily_dose", "mg")))
    if taken_last_24h_mg + amount_mg > daily:
        raise ScenarioError(
            f"dose of {drug}: {amount_mg:g} mg after {taken_last_24h_mg:g} mg in the last 24 h "
            f"exceeds the maximum daily dose of {daily:g} mg (pharmacology.{drug}.max_daily_dose)"
        )
    interval = float(np.max(_value(params, drug, "min_interval", "s")))
    if since_last_s < interval:
        raise ScenarioError(
            f"dose of {drug}: {since_last_s / 3600:.3g} h after the previous dose, sooner than "
            f"the minimum interval of {interval / 3600:g} h (pharmacology.{drug}.min_interval)"
        )
