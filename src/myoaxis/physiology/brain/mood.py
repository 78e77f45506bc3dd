r"""Mood: a depressive-symptom index driven by training (through brain BDNF), inflammation and
pain.

**Unit.** ``mood`` is in units of the between-subject SD of depressive-symptom scores in the
general population, 0 = the population mean, positive = fewer symptoms (better mood). Trials and
meta-analyses report exercise, anti-inflammatory and pain effects on depressive symptoms as
standardised mean differences, so an index in SD units compares with them directly (as the
cognition index of :mod:`.plasticity`); a 0-100 scale would need a questionnaire-specific
conversion that the sources do not share.

**Training effect.** The neurotrophic drive of :mod:`.plasticity` (the weekly mean excess of
brain BDNF expression, as the ratio ``neurotrophic_ratio`` :math:`s` to the drive that sustains
half the largest gains) drives a gain :math:`E` (``mood_training_effect``) of the saturating
adaptation form,

.. math:: \dot E = \frac{s\,(E_{max} - E) - E}{\tau_{off}}

so the effect grows with sessions per week, intensity and session length, and fades after
training stops. Brain BDNF is the hypothesised mediator (the neurotrophic hypothesis of
depression); endorphins, self-efficacy, sleep and social contact are not represented, and
light exercise below the BDNF threshold gives no effect here.

**Burdens.** Systemic low-grade inflammation :math:`Q` (``inflammation``, 0 healthy, 1 a
clinically relevant chronic inflammation) and pain :math:`P` (``pain_intensity``, 0-10 NRS)
lower mood at once, linearly (they are themselves slow variables):

.. math:: M = z_0 + E - k_Q\,Q - k_P\,P

with the subject's baseline :math:`z_0` (``mood.baseline``, 0 for a preset). All terms are 0 at
rest in a healthy subject, so the index stays at its baseline.
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, Input, State
from myoaxis.physiology.adaptation.aerobic import saturating_gain

NEUROTROPHIC_RATIO = Input(
    "neurotrophic_ratio",
    "dimensionless",
    "neurotrophic drive relative to the half-gain drive (plasticity; 0 without that component)",
    default=0.0,
)
INFLAMMATION = Input(
    "inflammation",
    "dimensionless",
    "systemic low-grade inflammation index (0 when no inflammation component runs)",
    default=0.0,
)
PAIN = Input(
    "pain_intensity",
    "dimensionless",
    "pain intensity on the 0-10 numerical rating scale (0 when no pain component runs)",
    default=0.0,
)

M = "mood."
TRAINING_EFFECT = "mood_training_effect"
MOOD = "mood"

MOOD_COMPONENT = Component(
    name="mood",
    states=(
        State(
            TRAINING_EFFECT,
            "dimensionless",
            "training effect on mood in between-subject SD units (0 at the start)",
            rate=saturating_gain(
                TRAINING_EFFECT, NEUROTROPHIC_RATIO.name, f"{M}max_gain", f"{M}decay_time"
            ),
            initial="0",
            scale=0.1,
        ),
    ),
    parameters={
        f"{M}max_gain": "dimensionless",
        f"{M}decay_time": "s",
        f"{M}baseline": "dimensionless",
        f"{M}inflammation_effect": "dimensionless",
        f"{M}pain_effect": "dimensionless",
    },
    inputs=(NEUROTROPHIC_RATIO, INFLAMMATION, PAIN),
    assignments=(
        Assignment(
            MOOD,
            "dimensionless",
            "mood index: depressive symptoms against the population mean in SD units, "
            "positive = better (baseline + training effect - inflammation and pain burdens)",
            f"{M}baseline + {TRAINING_EFFECT} - {M}inflammation_effect * {INFLAMMATION.name}"
            f" - {M}pain_effect * {PAIN.name}",
        ),
    ),
    citations=("rebar2015", "kohler2014"),
)

COMPONENTS = (MOOD_COMPONENT,)
