r"""Exercise-induced brain plasticity over weeks to years: hippocampal volume and a cognition
index, driven by brain BDNF expression; ageing atrophy of the hippocampus.

**Neurotrophic drive.** The slow layer's ``bdnf_brain`` (brain BDNF expression, 1 at rest,
driven centrally by exercise above about 50 % VO2max and by brain lactate uptake, see
:mod:`myoaxis.physiology.endocrine.myokines`) is averaged over about a week,

.. math:: \dot N = \frac{(B - 1) - N}{\tau_N}

so :math:`N` (``neurotrophic_drive``) is the mean excess of brain BDNF over the last week: it
grows with sessions per week, with intensity above the BDNF threshold and more than linearly
with session length (the central drive builds up over an hour), which is what Northey et al.
(2018) saw: benefits with sessions of 45-60 min at moderate or higher intensity. Light
exercise (below the BDNF threshold) gives no drive. Brain BDNF is the hypothesised mediator
(Erickson et al. 2011 found the hippocampal gain associated with serum BDNF); other mediators
(IGF-1, lactate directly, cathepsin B) are not represented.

**Plasticity gains** (the adaptation form of :mod:`myoaxis.physiology.adaptation.aerobic`),
with the load ratio :math:`s = N/N_{1/2}`:

.. math:: \dot X = \frac{s\,(X_{max} - X) - X}{\tau_{off}}, \qquad
          X^* = X_{max}\frac{s}{1+s}

for the hippocampal gain :math:`P` (``hippocampal_plasticity_gain``, relative) and the
training effect on cognition :math:`C` (``cognition_training_effect``, in units of the
between-subject SD of cognitive test scores, 0 at the start). Both saturate in the drive, rise
faster the larger it is and decay after training stops: the hippocampal gain within about six
weeks (Thomas et al. 2016: a 6-week gain returned to baseline after training stopped),
cognition over months (estimate).
Cognition has no ageing drift here. Output ``cognition`` :math:`= z_0 + C` is the subject's
level against untrained people of the same age, in SD units: the baseline :math:`z_0`
(``plasticity.cognition.baseline``, 0 for a preset, spread with SD 1 in virtual cohorts) plus
the training effect, so that a trained and a control cohort differ by the quantity
meta-analyses of trials report (Northey 2018: SMD 0.29).

**Hippocampal ageing.** :math:`\dot V = -r(A)\,V` with the age :math:`A` = ``body.age`` + time
and a relative rate rising linearly from an onset age,
:math:`r = r_{ref}\max((A - A_0)/(A_{ref} - A_0), 0)`: relative sparing until the fifth decade,
then about 1-2 %/y in non-demented older adults (Erickson et al. 2009), 1.4 %/y in Erickson
2011's stretching controls (mean age about 66). No drift before 40 y.

Output ``hippocampal_volume`` :math:`= V (1 + P)`, relative to the start: one year of
moderate walking 3 x 40 min a week gives about +2 % against -1.4 % in controls (Erickson 2011).
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, Input, State
from myoaxis.physiology.adaptation.aerobic import age_ramp, saturating_gain

BDNF_BRAIN = Input(
    "bdnf_brain",
    "dimensionless",
    "brain BDNF expression relative to rest (myokines; 1 without that component)",
    default=1.0,
)

H = "plasticity.hippocampus."
C = "plasticity.cognition."

DRIVE = "neurotrophic_drive"
HIPPOCAMPAL_GAIN = "hippocampal_plasticity_gain"
HIPPOCAMPAL_AGEING = "hippocampal_ageing_factor"
HIPPOCAMPAL_VOLUME = "hippocampal_volume"
COGNITION_EFFECT = "cognition_training_effect"
COGNITION = "cognition"

PLASTICITY = Component(
    name="brain_plasticity",
    states=(
        State(
            DRIVE,
            "dimensionless",
            "neurotrophic drive: brain BDNF expression above rest, averaged over about a week",
            rate=f"({BDNF_BRAIN.name} - 1 - {DRIVE}) / plasticity.drive_time",
            initial="0",
            scale=0.01,
        ),
        State(
            HIPPOCAMPAL_GAIN,
            "dimensionless",
            "exercise-induced hippocampal volume gain (relative, 0 untrained)",
            rate=saturating_gain(
                HIPPOCAMPAL_GAIN, "neurotrophic_ratio", f"{H}max_gain", f"{H}decay_time"
            ),
            initial="0",
            scale=0.01,
        ),
        State(
            HIPPOCAMPAL_AGEING,
            "dimensionless",
            "hippocampal volume relative to the start from ageing atrophy alone",
            rate=f"-{age_ramp(f'{H}ageing.')} * {HIPPOCAMPAL_AGEING}",
            initial="1",
            scale=1.0,
        ),
        State(
            COGNITION_EFFECT,
            "dimensionless",
            "training effect on cognition in between-subject SD units (0 at the start)",
            rate=saturating_gain(
                COGNITION_EFFECT, "neurotrophic_ratio", f"{C}max_gain", f"{C}decay_time"
            ),
            initial="0",
            scale=0.1,
        ),
    ),
    parameters={
        "plasticity.drive_time": "s",
        "plasticity.half_drive": "dimensionless",
        f"{H}max_gain": "dimensionless",
        f"{H}decay_time": "s",
        f"{H}ageing.onset_age": "s",
        f"{H}ageing.loss_rate_at_reference": "1/s",
        f"{H}ageing.reference_age": "s",
        f"{C}max_gain": "dimensionless",
        f"{C}decay_time": "s",
        f"{C}baseline": "dimensionless",
        "body.age": "s",
    },
    inputs=(BDNF_BRAIN,),
    assignments=(
        Assignment(
            "neurotrophic_ratio",
            "dimensionless",
            "neurotrophic drive relative to the drive that sustains half the largest gains",
            f"{DRIVE} / plasticity.half_drive",
        ),
        Assignment(
            HIPPOCAMPAL_VOLUME,
            "dimensionless",
            "hippocampal volume relative to the start (training gain and ageing atrophy)",
            f"{HIPPOCAMPAL_AGEING} * (1 + {HIPPOCAMPAL_GAIN})",
        ),
        Assignment(
            COGNITION,
            "dimensionless",
            "cognition index: level against untrained people of the same age (SD units), "
            "baseline plus training effect",
            f"{C}baseline + {COGNITION_EFFECT}",
        ),
    ),
    citations=("erickson2011", "erickson2009", "thomas2016", "northey2018"),
)

COMPONENTS = (PLASTICITY,)
