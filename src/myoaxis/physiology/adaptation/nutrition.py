r"""Dietary protein and the hypertrophy of resistance training.

A ``Meal … g protein`` step is a supplement on top of the subject's habitual intake
:math:`P_h` (``nutrition.protein.habitual``, g/kg/day). It enters ``protein_supplement``
:math:`R` (g/kg/day) as an impulse of :math:`G / (M\,\tau_d)` for :math:`G` grams, body mass
:math:`M` and the averaging window :math:`\tau` (one day; :math:`\tau_d` in days), and decays
as :math:`\dot R = -R/\tau`, so :math:`\int R\,dt = G/M` per meal and a daily supplement
settles at its daily amount per kg. The total intake is

.. math:: P = P_h + R

**Anabolic factor.** Protein supplementation adds to the muscle growth of resistance training
up to a total intake of about 1.6 g/kg/day and not beyond (Morton et al. 2018: 49 trials,
1,863 adults, breakpoint 1.62 g/kg/day, 95 % CI 1.03-2.20; supplementation added 0.30 kg of
fat-free mass, CI 0.09-0.52). The growth ceiling of each trained group
(:mod:`.muscle`) is multiplied by a linear-plateau factor that is 1 at the reference intake
:math:`P_r` of the trials the training model was calibrated on (1.0 g/kg/day):

.. math::
    a(P) = \frac{1 + s\,(\min(P, P_b) - P_b)}{1 + s\,(\min(P_r, P_b) - P_b)}

with the breakpoint :math:`P_b` and the slope :math:`s` (our estimate: going from 1.0 to
1.62 g/kg/day raises the growth ceiling by 25 %, the order of 0.30 kg added to the roughly
1 kg of lean mass a 10-12-week programme adds). A subject who habitually eats more than
:math:`P_b` is on the plateau already and gains nothing from a supplement. Without the
nutrition component the factor is 1, and at the default habitual intake (the reference) the
training calibrations are unchanged.
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, State

SUPPLEMENT = "protein_supplement"
INTAKE = "protein_intake"
ANABOLIC = "protein_anabolic_factor"

_PLATEAU = "min({p}, nutrition.protein.breakpoint)"
_FACTOR = "(1 + nutrition.protein.slope * ({plateau} - nutrition.protein.breakpoint))"

PROTEIN = Component(
    "protein",
    states=(
        State(
            SUPPLEMENT,
            "g/kg/day",
            "protein supplemented on top of the habitual intake, averaged over the last day",
            rate=f"-{SUPPLEMENT} / nutrition.protein.window",
            initial="0",
            scale=1.0,
        ),
    ),
    parameters={
        "nutrition.protein.habitual": "g/kg/day",
        "nutrition.protein.reference": "g/kg/day",
        "nutrition.protein.window": "s",
        "nutrition.protein.breakpoint": "g/kg/day",
        "nutrition.protein.slope": "kg*day/g",
    },
    assignments=(
        Assignment(
            INTAKE,
            "g/kg/day",
            "total protein intake (habitual + supplement)",
            f"nutrition.protein.habitual + {SUPPLEMENT}",
        ),
        Assignment(
            ANABOLIC,
            "dimensionless",
            "factor of the hypertrophy ceiling from the protein intake (1 at the reference intake)",
            _FACTOR.format(plateau=_PLATEAU.format(p=INTAKE))
            + " / "
            + _FACTOR.format(plateau=_PLATEAU.format(p="nutrition.protein.reference")),
        ),
    ),
    citations=("morton2018protein",),
)

COMPONENTS = (PROTEIN,)


def supplement_dose(grams, body_mass_kg, window_days):
    """The impulse into ``protein_supplement`` (g/kg/day) of a meal of ``grams`` of protein."""
    return grams / body_mass_kg / window_days
