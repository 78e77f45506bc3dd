r"""Blood–brain barrier transport of the slow layer's signals, and lactate as a brain fuel.

:data:`TRANSPORT` records, per molecule, whether and how it crosses the blood–brain barrier
(BBB), with the measured rate where one exists, the species it was measured in and the
sources. It is reference data: the slow layer does **not** move BDNF, IL-6 or FGF21 from plasma
into the brain, because the measured influx is small (IL-6, FGF21), disputed (BDNF) or the net
flux runs the other way (BDNF during exercise, Rasmussen et al. 2009). Brain BDNF in
:mod:`~myoaxis.physiology.endocrine.myokines` is therefore driven centrally (exercise intensity as
a proxy of neural activity, and lactate), not by plasma BDNF.

Lactate is the exception: the brain takes it up through monocarboxylate transporters in
proportion to the arterial concentration and oxidises it. :data:`BRAIN_LACTATE` gives the share
of brain energy expenditure covered by systemic lactate,

.. math::
    f_{lac} = f_{max} \frac{L_a}{K_m + L_a}

fitted to van Hall et al. 2009 (8 %, 19 % and 27 % at arterial lactate 0.89, 3.9 and 6.9
mmol/L; the first two points give :math:`K_m` = 2.67 mmol/L and :math:`f_{max}` = 0.32, which
puts the third at 23 %, within its ±4 % SD). The exercise point also carries the cerebral
activation of exercise, which a concentration-only law cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass

from myoaxis.core.equations import Assignment, Component
from myoaxis.core.errors import ParameterError
from myoaxis.physiology.ports import LACTATE


@dataclass(frozen=True)
class Transport:
    """How one circulating signal crosses the blood–brain barrier.

    ``influx`` is a unidirectional blood-to-brain influx constant with its unit, or ``None``
    where none is published; ``sources`` are citation keys.
    """

    molecule: str
    crosses: str  # "yes", "no", "disputed"
    mechanism: str
    influx: tuple[float, str] | None
    species: str
    sources: tuple[str, ...]
    note: str


TRANSPORT: tuple[Transport, ...] = (
    Transport(
        "il6",
        "yes",
        "saturable transport, low rate (modest amounts, comparable to other water-soluble "
        "compounds such as morphine)",
        None,
        "mouse",
        ("banks1994", "banks1995"),
        "The brain also releases IL-6 itself in prolonged exercise: none at rest or after "
        "15 min, 0.06 ng/min after 60 min, 0.30 ng/min at the end of a second 60-min bout "
        "(Nybo et al. 2002), small beside muscle's ~17 ng/min in Steensberg 2000's protocol.",
    ),
    Transport(
        "il1ra",
        "yes",
        "saturable transport, shared with IL-1alpha and IL-1beta at most brain sites",
        None,
        "mouse",
        ("banks1995",),
        "Listed among the cytokines with a saturable blood-to-brain system in the review.",
    ),
    Transport(
        "bdnf",
        "disputed",
        "high-capacity saturable transport in mouse (Pan 1998) versus no measurable transport "
        "in rat, with rapid systemic clearance (Pardridge 1994)",
        None,
        "mouse / rat",
        ("pan1998", "pardridge1994", "rasmussen2009"),
        "In humans the net flux is brain to blood: the brain supplies 70-80 % of circulating "
        "BDNF at rest and during exercise (Rasmussen 2009). The model has no plasma-to-brain "
        "BDNF flux.",
    ),
    Transport(
        "fgf21",
        "yes",
        "non-saturable (simple diffusion), unidirectional influx",
        (0.23, "microliter / gram / minute"),
        "mouse",
        ("hsuchou2007",),
        "0.23 +/- 0.12 ul/g/min, about four times the vascular marker albumin; 70 % of the "
        "brain's share reached the parenchyma.",
    ),
    Transport(
        "lactate",
        "yes",
        "monocarboxylate transporters (MCT1/MCT2), uptake rising with arterial lactate",
        None,
        "human",
        ("vanhall2009",),
        "Share of brain energy from systemic lactate 8 % at rest, 19 % with lactate infusion "
        "and 27 % in exercise at 75 % VO2max; see BRAIN_LACTATE.",
    ),
)


def transport(molecule: str) -> Transport:
    """The BBB record of ``molecule`` (``il6``, ``il1ra``, ``bdnf``, ``fgf21``, ``lactate``)."""
    for t in TRANSPORT:
        if t.molecule == molecule:
            return t
    known = ", ".join(t.molecule for t in TRANSPORT)
    raise ParameterError(f"no blood-brain barrier record for {molecule!r} (known: {known})")


BRAIN_LACTATE = Component(
    name="brain_lactate",
    states=(),
    parameters={
        "bbb.lactate_max_fraction": "dimensionless",
        "bbb.lactate_half_saturation": "mmol/L",
        "bbb.resting_lactate": "mmol/L",
    },
    inputs=(LACTATE,),
    assignments=(
        Assignment(
            "brain_lactate_fraction",
            "dimensionless",
            "share of brain energy expenditure covered by systemic lactate",
            "bbb.lactate_max_fraction * lactate_arterial"
            " / (bbb.lactate_half_saturation + lactate_arterial)",
        ),
        Assignment(
            "brain_lactate_fraction_rest",
            "dimensionless",
            "share of brain energy from systemic lactate at resting arterial lactate",
            "bbb.lactate_max_fraction * bbb.resting_lactate"
            " / (bbb.lactate_half_saturation + bbb.resting_lactate)",
        ),
    ),
    citations=("vanhall2009",),
)
