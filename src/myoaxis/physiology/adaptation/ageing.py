r"""Ageing drift of muscle mass, specific tension and motor-unit number over a scenario.

The subject's age is :math:`A(t) = A_0 + t` (``body.age`` at the start plus the scenario time).
Each quantity is relative to its value at the start (1 at :math:`t = 0`) and decays at a
relative rate that depends on age only:

.. math::
    \dot m = -r_m(A)\, m, \quad \dot\sigma = -r_\sigma(A)\, \sigma, \quad
    \dot u = -r_u(A)\, u

**Muscle mass** and **specific tension** (force per unit muscle, "muscle quality") are lost at
rates that rise linearly from an onset age :math:`a_0`,

.. math:: r(A) = r_{ref}\,\max\Bigl(\frac{A - a_0}{A_{ref} - a_0}, 0\Bigr)

so loss accelerates with age, with :math:`r_{ref}` the rate at the reference age
:math:`A_{ref}` = 75 y. Longitudinal studies at about 75 y lose 0.80-0.98 %/y of muscle mass in
men and 0.64-0.70 %/y in women, and 3-4 %/y (men) or 2.5-3 %/y (women) of strength (Mitchell et
al. 2012). In Health ABC (70-79 y) knee-extensor strength fell 3.4 %/y in white men (2.6-4.1 %/y
across sex and race) while leg lean mass fell only about 1 %/y, and gaining mass did not prevent
the strength loss (Goodpaster et al. 2006): strength = mass x specific tension, so specific
tension falls by the difference, about 2.5 %/y at 75 y.

**Motor units** are lost at a constant rate after an onset age,
:math:`r_u = r_0` for :math:`A > a_u`, else 0: tibialis anterior motor-unit number estimates were
150 at about 25 y, 91 at about 65 y and 59 at 80 y or more (McNeil et al. 2005), about 40 %
fewer by about 71 y across studies (Piasecki et al. 2016); the surviving units grow by
reinnervation, so in this model the loss of force is carried by mass and specific tension, and
``motor_unit_number_factor`` is published for the motor pool (fewer, larger units).

Outputs: the three states, ``ageing_strength_factor`` :math:`= m\sigma` (maximal force of a
group without its own training component; a trained group's ``strength_factor_<g>`` already
includes both) and ``current_age`` (s). A subject younger than every onset age stays at exactly
1, so an all-rest scenario of a young adult does not move. :func:`ramp_drift` and
:func:`step_drift` are the closed-form solutions.
"""

from __future__ import annotations

import numpy as np

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.core.errors import ScenarioError

MASS = "muscle_mass_factor"
TENSION = "specific_tension_factor"
MOTOR_UNITS = "motor_unit_number_factor"
AGE = "current_age"
STRENGTH = "ageing_strength_factor"


def _ramp(group: str) -> str:
    """Text of the relative loss rate of a drift that rises linearly from its onset age."""
    return (
        f"ageing.{group}.loss_rate_at_reference"
        f" * max(({AGE} - ageing.{group}.onset_age)"
        f" / (ageing.reference_age - ageing.{group}.onset_age), 0)"
    )


AGEING = Component(
    name="ageing",
    states=(
        State(
            MASS,
            "dimensionless",
            "muscle mass relative to the scenario start (ageing drift)",
            rate=f"-{_ramp('muscle_mass')} * {MASS}",
            initial="1",
        ),
        State(
            TENSION,
            "dimensionless",
            "specific tension (force per unit muscle) relative to the scenario start",
            rate=f"-{_ramp('specific_tension')} * {TENSION}",
            initial="1",
        ),
        State(
            MOTOR_UNITS,
            "dimensionless",
            "number of motor units relative to the scenario start",
            rate=(
                f"-ageing.motor_units.loss_rate * where({AGE} > ageing.motor_units.onset_age, 1, 0)"
                f" * {MOTOR_UNITS}"
            ),
            initial="1",
        ),
    ),
    parameters={
        "body.age": "s",
        "ageing.reference_age": "s",
        "ageing.muscle_mass.onset_age": "s",
        "ageing.muscle_mass.loss_rate_at_reference": "1/s",
        "ageing.specific_tension.onset_age": "s",
        "ageing.specific_tension.loss_rate_at_reference": "1/s",
        "ageing.motor_units.onset_age": "s",
        "ageing.motor_units.loss_rate": "1/s",
    },
    assignments=(
        Assignment(AGE, "s", "age of the subject now (age at the start + time)", "body.age + time"),
        Assignment(
            STRENGTH,
            "dimensionless",
            "maximal force relative to the start from the ageing drifts (mass x specific tension)",
            f"{MASS} * {TENSION}",
        ),
    ),
    citations=("mitchell2012", "goodpaster2006", "mcneil2005mune", "piasecki2016"),
)

COMPONENTS = (AGEING,)


def _ages(age_start, age_end) -> tuple[np.ndarray, np.ndarray]:
    a0 = np.asarray(age_start, dtype=float)
    a1 = np.asarray(age_end, dtype=float)
    if not (np.all(np.isfinite(a0)) and np.all(np.isfinite(a1)) and np.all(a1 >= a0)):
        raise ScenarioError(
            f"ageing: ages must be finite with end >= start, got {age_start!r} -> {age_end!r}"
        )
    return a0, a1


def ramp_drift(age_start, age_end, onset_age, rate_at_reference, reference_age) -> np.ndarray:
    r"""Closed form of a drift whose rate rises linearly from ``onset_age``:
    :math:`\exp\{-\tfrac{r_{ref}}{2(A_{ref} - a_0)}[(A_1 - a_0)_+^2 - (A_0 - a_0)_+^2]\}`
    (ages and rate in consistent units, e.g. years and 1/year)."""
    a0, a1 = _ages(age_start, age_end)
    slope = np.asarray(rate_at_reference, float) / (np.asarray(reference_age, float) - onset_age)
    above = [np.maximum(a - onset_age, 0.0) for a in (a0, a1)]
    return np.exp(-0.5 * slope * (above[1] ** 2 - above[0] ** 2))


def step_drift(age_start, age_end, onset_age, rate) -> np.ndarray:
    r"""Closed form of a drift at constant ``rate`` after ``onset_age``:
    :math:`\exp\{-r[(A_1 - a_u)_+ - (A_0 - a_u)_+]\}`."""
    a0, a1 = _ages(age_start, age_end)
    above = [np.maximum(a - onset_age, 0.0) for a in (a0, a1)]
    return np.exp(-np.asarray(rate, float) * (above[1] - above[0]))
