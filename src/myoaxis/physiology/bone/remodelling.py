r"""Bone remodelling at one skeletal site: Komarova et al. 2003 (BioModels BIOMD0000000148).

Three states per site: osteoclasts :math:`C`, osteoblasts :math:`B` (cell numbers, arbitrary
units) and bone mass :math:`z` (% of the subject's bone mass at the start of the scenario).
Autocrine and paracrine signalling are power laws:

.. math::
    \dot C = \alpha_1 R\, C^{g_{11}} B^{g_{21}} - \beta_1 C, \qquad
    \dot B = \alpha_2 F\, C^{g_{12}} B^{g_{22}} - \beta_2 B

with :math:`R` (resorption drive: RANKL/OPG, disuse) and :math:`F` (formation drive: Wnt,
i.e. sclerostin, glucocorticoids, inflammation) equal to 1 in a healthy person at habitual
loading. The steady state of the published system (:math:`R = F = 1`) is

.. math::
    \bar C = (\beta_1/\alpha_1)^{(1-g_{22})/\Gamma} (\beta_2/\alpha_2)^{g_{21}/\Gamma}, \quad
    \bar B = (\beta_1/\alpha_1)^{g_{12}/\Gamma} (\beta_2/\alpha_2)^{(1-g_{11})/\Gamma}, \quad
    \Gamma = g_{12} g_{21} - (1-g_{11})(1-g_{22})

(1.06 and 212.1 with Komarova's values) and is where every subject starts.

Bone mass. Komarova's equation counts only cells above :math:`\bar C, \bar B` (one remodelling
unit, one cycle). Here a site is a population of asynchronous remodelling units, so cells below
the steady state count as well, and resorption and formation are balanced at any turnover:

.. math::
    \dot z = T_s\,\frac{z}{z_0}\,k_1\left[\frac{\bar C}{\bar B}(B - \bar B) - (C - \bar C)\right]

(:math:`k_2 = k_1 \bar C / \bar B`). A transient (e.g. an osteoclast pulse) is then net-neutral
exactly, a sustained rise of :math:`R` alone raises turnover without net loss, and bone is lost
or gained when formation and resorption are uncoupled (:math:`F \ne 1`): at steady state
:math:`\dot z \approx T_s k_1 \bar C R (\sqrt F - 1/\sqrt F)` for Komarova's exponents.
:math:`T_s` scales the bone turned over per osteoclast with the site's bone surface per volume
(trabecular-rich spine > femoral neck); the factor :math:`z/z_0` keeps :math:`z` positive.
Osteoclast and osteoblast numbers stay positive by construction (their production terms vanish
only at zero); ``max`` guards keep a solver's tiny overshoot from feeding a negative base to a
fractional power. Areal BMD is :math:`\mathrm{BMD}_0\, z/z_0`.
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.physiology.bone.mechanostat import disuse_signal

SITES = ("spine", "hip")

_RATIO1 = "(bone.osteoclast_removal / bone.osteoclast_recruitment)"
_RATIO2 = "(bone.osteoblast_removal / bone.osteoblast_recruitment)"
_GAMMA = (
    "(bone.oc_to_ob_exponent * bone.ob_to_oc_exponent"
    " - (1 - bone.oc_autocrine_exponent) * (1 - bone.ob_autocrine_exponent))"
)
OSTEOCLAST_STEADY_STATE = (
    f"{_RATIO1} ** ((1 - bone.ob_autocrine_exponent) / {_GAMMA})"
    f" * {_RATIO2} ** (bone.ob_to_oc_exponent / {_GAMMA})"
)
OSTEOBLAST_STEADY_STATE = (
    f"{_RATIO1} ** (bone.oc_to_ob_exponent / {_GAMMA})"
    f" * {_RATIO2} ** ((1 - bone.oc_autocrine_exponent) / {_GAMMA})"
)

CELL_PARAMETERS = {
    "bone.osteoclast_recruitment": "1/s",
    "bone.osteoblast_recruitment": "1/s",
    "bone.osteoclast_removal": "1/s",
    "bone.osteoblast_removal": "1/s",
    "bone.oc_autocrine_exponent": "dimensionless",
    "bone.ob_to_oc_exponent": "dimensionless",
    "bone.oc_to_ob_exponent": "dimensionless",
    "bone.ob_autocrine_exponent": "dimensionless",
}

REFERENCE = Component(
    name="bone_reference",
    states=(),
    parameters=CELL_PARAMETERS,
    assignments=(
        Assignment(
            "bone_osteoclasts_reference",
            "dimensionless",
            "osteoclast number at the healthy steady state (Komarova C-bar)",
            OSTEOCLAST_STEADY_STATE,
        ),
        Assignment(
            "bone_osteoblasts_reference",
            "dimensionless",
            "osteoblast number at the healthy steady state (Komarova B-bar)",
            OSTEOBLAST_STEADY_STATE,
        ),
    ),
    citations=("komarova2003",),
)


def site(name: str) -> Component:
    """Komarova remodelling at skeletal site ``name`` (one of :data:`SITES`)."""
    c, b, z = (f"bone_osteoclasts_{name}", f"bone_osteoblasts_{name}", f"bone_mass_{name}")
    resorption, formation = f"bone_resorption_drive_{name}", f"bone_formation_drive_{name}"
    return Component(
        name=f"bone_remodelling_{name}",
        states=(
            State(
                c,
                "dimensionless",
                f"osteoclasts at the {name} (Komarova C)",
                rate=f"bone.osteoclast_recruitment * {resorption}"
                f" * max({c}, 0) ** bone.oc_autocrine_exponent"
                f" * max({b}, bone.cell_floor) ** bone.ob_to_oc_exponent"
                f" - bone.osteoclast_removal * {c}",
                initial=OSTEOCLAST_STEADY_STATE,
                scale=1.0,
            ),
            State(
                b,
                "dimensionless",
                f"osteoblasts at the {name} (Komarova B)",
                rate=f"bone.osteoblast_recruitment * {formation}"
                f" * max({c}, 0) ** bone.oc_to_ob_exponent"
                f" * max({b}, bone.cell_floor) ** bone.ob_autocrine_exponent"
                f" - bone.osteoblast_removal * {b}",
                initial=OSTEOBLAST_STEADY_STATE,
                scale=100.0,
            ),
            State(
                z,
                "percent",
                f"{name} bone mass relative to the start of the scenario",
                rate=f"bone.{name}.turnover * {z} / bone.reference_mass * bone.resorption_rate"
                f" * (bone_osteoclasts_reference / bone_osteoblasts_reference"
                f" * ({b} - bone_osteoblasts_reference) - ({c} - bone_osteoclasts_reference))",
                initial="bone.reference_mass",
                scale=100.0,
            ),
        ),
        parameters={
            **CELL_PARAMETERS,
            "bone.cell_floor": "dimensionless",
            "bone.resorption_rate": "percent/s",
            "bone.reference_mass": "percent",
            f"bone.{name}.turnover": "dimensionless",
            f"bone.{name}.baseline_bmd": "g/cm**2",
            "bone.mechanostat.rankl_gain": "dimensionless",
            "bone.mechanostat.dead_zone": "dimensionless",
            "bone.sclerostin.wnt_exponent": "dimensionless",
        },
        assignments=(
            Assignment(
                resorption,
                "dimensionless",
                f"osteoclast recruitment drive at the {name} (RANKL/OPG x osteocytic disuse)",
                f"rankl_opg_ratio * (1 - bone.mechanostat.rankl_gain * {disuse_signal(name)})",
            ),
            Assignment(
                formation,
                "dimensionless",
                f"osteoblast recruitment drive at the {name} (Wnt: sclerostin; glucocorticoid "
                "and inflammatory suppression)",
                f"bone_sclerostin_expression_{name} ** (-bone.sclerostin.wnt_exponent)"
                " * bone_formation_suppression",
            ),
            Assignment(
                f"bmd_{name}",
                "g/cm**2",
                f"areal bone mineral density at the {name}"
                + (" (femoral neck)" if name == "hip" else " (L1-L4)"),
                f"bone.{name}.baseline_bmd * {z} / bone.reference_mass",
            ),
        ),
        citations=("komarova2003",),
    )
