r"""Systemic low-grade inflammation: a phenomenological index, 0 = healthy baseline, 1 = a
clinically relevant chronic low-grade inflammation.

There is no mechanistic model of chronic low-grade inflammation here, and the parameters are
our assumptions (``myoaxis_estimate``), chosen to give the qualitative behaviour the literature
describes; no published time course is reproduced. Three states:

*Training strain* :math:`S` (dimensionless, "hours of reference exercise" not yet recovered
from), built from exercise impulses and recovered with a time constant of days, as in the
fatigue term of the fitness–fatigue models and the overreaching continuum (Meeusen et al. 2013):

.. math:: \dot S = \frac{(i / i_{ref})^2}{T_{ref}} - \frac{S}{\tau_S}

*Anti-inflammatory exposure* :math:`A`: the running mean, over weeks, of the fold rises of
IL-10 and IL-1ra that each bout brings. Training lowers markers of chronic inflammation in
small trials, though large trials are inconclusive (Beavers et al. 2010):

.. math:: \dot A = \frac{\tfrac12(X_{10}/X_{10,b} + X_{1ra}/X_{1ra,b}) - 1 - A}{\tau_A}

*Inflammation* :math:`Q` relaxes to a target set by the condition level :math:`c` (0 in the
healthy preset; an overlay sets it), lowered by the exposure and raised by strain above a
tolerance:

.. math::
    Q^* = \Big[c\,\Big(1 - r\,\frac{A}{A_{50} + A}\Big) + k_S\,(S - S_{tol})_+\Big]
          (1 - D), \qquad
    \dot Q = \frac{Q^* - Q}{\tau_Q}

where :math:`D` is ``anti_inflammatory_effect`` of drugs (0-1, from
:mod:`myoaxis.physiology.pharmacology`; 0 without them, which leaves :math:`Q^*` unchanged).

All three stay non-negative by construction.
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, Input, State
from myoaxis.physiology.ports import EXERCISE_INTENSITY

ANTI_INFLAMMATORY = Input(  # computed by the pharmacology components when they run
    "anti_inflammatory_effect",
    "dimensionless",
    "fractional reduction of the inflammation target by anti-inflammatory drugs (0 without)",
)

INFLAMMATION = Component(
    name="inflammation",
    states=(
        State(
            "training_strain",
            "dimensionless",
            "unrecovered training load, in hours of exercise at the reference intensity",
            rate="(exercise_intensity / inflammation.reference_intensity) ** 2"
            " / inflammation.reference_duration"
            " - training_strain / inflammation.strain_time",
            initial="0",
            scale=1.0,
        ),
        State(
            "anti_inflammatory_exposure",
            "dimensionless",
            "running mean of the fold rises of IL-10 and IL-1ra (regular exercise)",
            rate="(0.5 * (il10_plasma / il10.baseline_plasma + il1ra_plasma"
            " / il1ra.baseline_plasma) - 1 - anti_inflammatory_exposure)"
            " / inflammation.exposure_time",
            initial="0",
            scale=1.0,
        ),
        State(
            "inflammation",
            "dimensionless",
            "systemic low-grade inflammation index (0 healthy, 1 clinically relevant)",
            rate="(inflammation_target - inflammation) / inflammation.time_constant",
            initial="inflammation.condition_level",
            scale=1.0,
        ),
    ),
    parameters={
        "inflammation.condition_level": "dimensionless",
        "inflammation.reference_intensity": "dimensionless",
        "inflammation.reference_duration": "s",
        "inflammation.strain_time": "s",
        "inflammation.strain_tolerance": "dimensionless",
        "inflammation.strain_gain": "dimensionless",
        "inflammation.exposure_time": "s",
        "inflammation.max_reduction": "dimensionless",
        "inflammation.exposure_half": "dimensionless",
        "inflammation.time_constant": "s",
        "il10.baseline_plasma": "pg/mL",
        "il1ra.baseline_plasma": "pg/mL",
    },
    inputs=(EXERCISE_INTENSITY, ANTI_INFLAMMATORY),
    assignments=(
        Assignment(
            "inflammation_target",
            "dimensionless",
            "inflammation index the body tends to: condition, less the anti-inflammatory "
            "effect of regular exercise, plus unrecovered overload, less the drugs' share",
            "(inflammation.condition_level * (1 - inflammation.max_reduction"
            " * anti_inflammatory_exposure"
            " / (inflammation.exposure_half + anti_inflammatory_exposure))"
            " + inflammation.strain_gain * max(training_strain - inflammation.strain_tolerance,"
            f" 0 * training_strain)) * (1 - {ANTI_INFLAMMATORY.name})",
        ),
    ),
    citations=("meeusen2013", "beavers2010"),
)
