r"""Cardiac vagal (parasympathetic) tone, seen as resting heart-rate variability (RMSSD).

The slow layer predicts the resting, supine RMSSD a morning recording would find *now*, as its
natural logarithm (LnRMSSD, the logarithm of RMSSD in ms, the monitoring convention of Plews et
al. 2013):

.. math::
    \ln R = L(A) + F - W_f - W_s - k_Q\,Q, \qquad R = 1\,\mathrm{ms}\cdot e^{\ln R}

**Age norm** :math:`L(A)`, with :math:`A = A_0 + t` the current age (``body.age`` + time),
falls linearly between an onset age and a plateau age and is constant outside,

.. math:: L(A) = L_{ref} - s\,\big(\min(\max(A, a_0), a_1) - A_{ref}\big).

Mean LnRMSSD of 5-min recordings fell from 3.48 (35–44 y) to 3.17 (45–54 y) and 3.10
(55–65 y) (Sinnreich et al. 1998); the median of 10-s recordings falls steadily until about
60 y and then stays flat (Tegegne et al. 2019). :math:`L_{ref}` and :math:`s` are the linear fit
to Sinnreich's decade means; extrapolated to 30 y it gives about 38 ms, within Nunan et al.'s
short-term norm for healthy adults (42 ± 15 ms). Sex is not modelled: the parameter set of a
subject carries no sex, and short-term RMSSD differs little between the sexes (Voss et al.
2015).

**Acute vagal withdrawal**, two compartments in LnRMSSD units. A fast one :math:`W_f`
(metaboreflex, Stanley et al. 2013) follows the intensity :math:`I` (fraction of VO2max) during
exercise within minutes, saturating with intensity (Michael et al. 2017), and decays after it
with a time constant of tens of minutes (HRV back to baseline 30–90 min after threshold or
interval sessions, Seiler et al. 2007):

.. math::
    W_f^* = W_{max}\frac{I}{I_{50} + I}, \qquad
    \dot W_f = \begin{cases} (W_f^* - W_f)/\tau_{on} & I > I_{on} \\
                             -W_f/\tau_f & \text{otherwise} \end{cases}

A slow one :math:`W_s` (baroreflex, plasma volume; the 1–48 h phase, Stanley et al. 2013) is
loaded only by work above the first ventilatory threshold :math:`I_{th}` and by resistance or
isometric work (the port ``active_mass_activation`` :math:`M`, kg, per kg of body mass
:math:`m`, counted only outside aerobic bouts, whose active mass the intensity term already
covers; strength-training overload lowers supine LnRMSSD, Schneider et al. 2019), and recovers
over days:

.. math::
    \dot W_s = \frac{k_s\,(I - I_{th})_+^{\,q} + k_r\,\frac{M}{m}\,[I \le I_{on}]}
                    {1 + h\,\Lambda} - \frac{W_s}{\tau_s}

so that the time to recover within the smallest worthwhile change grows with the intensity of
the session: within a day below the threshold, 1–2 days after threshold work, two days or more
after high-intensity work (Stanley et al. 2013). Recent aerobic training (the mean load
:math:`\Lambda` below) blunts the withdrawal, as trained subjects recover faster (Stanley et
al. 2013; Seiler et al. 2007), so that a heavy training week lowers resting LnRMSSD only
slightly (resting HRV is largely unchanged by overreaching, Bellenger et al. 2016; unchanged
supine LnRMSSD after a HIIT overload, Schneider et al. 2019). Sessions closer together than the
recovery time still accumulate: unresolved strength-training load lowers resting HRV a little
(Schneider et al. 2019).

**Vagal fitness** :math:`F`: the running mean :math:`\Lambda` of the aerobic load above a
minimal training intensity (about a week) sets a saturating target that :math:`F` follows over
weeks, so that one session hardly moves it, a training block raises LnRMSSD and stopping
detrains it:

.. math::
    \dot\Lambda = \frac{(I - I_{min})_+ - \Lambda}{\tau_\Lambda}, \qquad
    \dot F = \frac{1}{\tau_F}\Big(F_{max}\frac{\Lambda}{\Lambda_{50} + \Lambda} - F\Big)

Training that improves performance raises resting RMSSD by a standardised mean difference of
0.58 (Bellenger et al. 2016); the gain :math:`F_{max}` is calibrated to that on a 10-week
block.

**Inflammation** :math:`Q` (the slow-layer index ``inflammation``: 0 healthy, 1 clinically
relevant low-grade inflammation; 0 when the inflammation component is absent) lowers vagal
HRV (Williams et al. 2019) by :math:`k_Q` per unit.

Every state starts at 0, the resting steady state, and stays non-negative: each has a
non-negative source and a first-order clearance. An all-rest scenario changes only by the age
drift (−0.019 LnRMSSD per year between the onset and plateau ages).

:func:`measure_rmssd` adds the day-to-day variability of a morning recording: a normal error on
LnRMSSD whose SD is a coefficient of variation of LnRMSSD (about 3–13 % across protocols,
5.4 % overnight, Bellenger et al. 2022).
"""

from __future__ import annotations

import numpy as np

from myoaxis.core.equations import Assignment, Component, Input, State
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.core.parameters import subject_values
from myoaxis.core.rng import standard_normal
from myoaxis.physiology.ports import ACTIVE_MASS, EXERCISE_INTENSITY

FAST = "vagal_withdrawal_fast"
SLOW = "vagal_withdrawal_slow"
LOAD = "aerobic_load_mean"
AGE_NORM = "ln_rmssd_age_norm"
FITNESS = "vagal_fitness"
FITNESS_TARGET = "vagal_fitness_target"
LN_RMSSD = "ln_rmssd"
RMSSD = "rmssd"
DAY_CV = "autonomic.ln_rmssd_day_cv"

INFLAMMATION = Input(
    "inflammation",
    "dimensionless",
    "systemic low-grade inflammation index (0 when no inflammation component runs)",
    default=0.0,
)


def _positive(x: str) -> str:
    """``max(x, 0)`` with the zero in the units of ``x`` (the unit check needs one dimension)."""
    return f"max({x}, 0 * ({x}))"


_AGE = "(body.age + time)"
_CLAMPED_AGE = f"min(max({_AGE}, autonomic.decline_onset_age), autonomic.decline_end_age)"

AUTONOMIC = Component(
    name="autonomic",
    states=(
        State(
            FAST,
            "dimensionless",
            "fast (metaboreflex) vagal withdrawal, in LnRMSSD units",
            rate=(
                "where(exercise_intensity > autonomic.exercising_intensity, "
                f"(autonomic.fast_max * exercise_intensity / (autonomic.fast_half_intensity "
                f"+ exercise_intensity) - {FAST}) / autonomic.fast_onset_time, "
                f"-{FAST} / autonomic.fast_recovery_time)"
            ),
            initial="0",
            scale=0.1,
        ),
        State(
            SLOW,
            "dimensionless",
            "slow (baroreflex, plasma-volume) vagal withdrawal, in LnRMSSD units",
            rate=(
                "(autonomic.slow_gain * "
                f"{_positive('exercise_intensity - autonomic.slow_threshold')}"
                " ** autonomic.slow_exponent"
                " + where(exercise_intensity > autonomic.exercising_intensity, 0,"
                " autonomic.resistance_gain * active_mass_activation / body.mass))"
                f" / (1 + autonomic.training_tolerance * {LOAD})"
                f" - {SLOW} / autonomic.slow_recovery_time"
            ),
            initial="0",
            scale=0.1,
        ),
        State(
            LOAD,
            "dimensionless",
            "running mean of the aerobic load above the minimal training intensity",
            rate=(
                f"({_positive('exercise_intensity - autonomic.training_min_intensity')}"
                f" - {LOAD}) / autonomic.load_time"
            ),
            initial="0",
            scale=0.01,
        ),
        State(
            FITNESS,
            "dimensionless",
            "rise of LnRMSSD with the aerobic training of the past weeks (vagal fitness)",
            rate=f"({FITNESS_TARGET} - {FITNESS}) / autonomic.fitness_time",
            initial="0",
            scale=0.1,
        ),
    ),
    parameters={
        "body.age": "s",
        "body.mass": "kg",
        "autonomic.ln_rmssd_unit": "ms",
        "autonomic.ln_rmssd_at_reference_age": "dimensionless",
        "autonomic.reference_age": "s",
        "autonomic.age_slope": "1/s",
        "autonomic.decline_onset_age": "s",
        "autonomic.decline_end_age": "s",
        "autonomic.exercising_intensity": "dimensionless",
        "autonomic.fast_max": "dimensionless",
        "autonomic.fast_half_intensity": "dimensionless",
        "autonomic.fast_onset_time": "s",
        "autonomic.fast_recovery_time": "s",
        "autonomic.slow_gain": "1/s",
        "autonomic.slow_threshold": "dimensionless",
        "autonomic.slow_exponent": "dimensionless",
        "autonomic.resistance_gain": "1/s",
        "autonomic.slow_recovery_time": "s",
        "autonomic.training_tolerance": "dimensionless",
        "autonomic.training_min_intensity": "dimensionless",
        "autonomic.load_time": "s",
        "autonomic.fitness_time": "s",
        "autonomic.fitness_max": "dimensionless",
        "autonomic.fitness_half_load": "dimensionless",
        "autonomic.inflammation_effect": "dimensionless",
    },
    inputs=(EXERCISE_INTENSITY, ACTIVE_MASS, INFLAMMATION),
    assignments=(
        Assignment(
            AGE_NORM,
            "dimensionless",
            "LnRMSSD of an untrained, rested, healthy subject of this age (age norm)",
            "autonomic.ln_rmssd_at_reference_age"
            f" - autonomic.age_slope * ({_CLAMPED_AGE} - autonomic.reference_age)",
        ),
        Assignment(
            FITNESS_TARGET,
            "dimensionless",
            "vagal fitness the current aerobic load would settle at",
            f"autonomic.fitness_max * {LOAD} / (autonomic.fitness_half_load + {LOAD})",
        ),
        Assignment(
            LN_RMSSD,
            "dimensionless",
            "natural log of the resting RMSSD in ms (LnRMSSD)",
            f"{AGE_NORM} + {FITNESS} - {FAST} - {SLOW}"
            " - autonomic.inflammation_effect * inflammation",
        ),
        Assignment(
            RMSSD,
            "ms",
            "resting RMSSD a morning recording would find now (no day-to-day noise)",
            f"autonomic.ln_rmssd_unit * exp({LN_RMSSD})",
        ),
    ),
    citations=(
        "sinnreich1998",
        "tegegne2019",
        "nunan2010",
        "stanley2013",
        "seiler2007",
        "michael2017",
        "schneider2019",
        "bellenger2016",
        "williams2019",
        "voss2015",
        "plews2013",
        "bellenger2022",
    ),
)

COMPONENTS = (AUTONOMIC,)


def _day_cv(params) -> np.ndarray:
    """The day-to-day coefficient of variation of LnRMSSD from a Body (one per subject) or a
    ParameterSet."""
    cv = subject_values(params, DAY_CV, "dimensionless", "measure_rmssd")
    if not np.all(np.isfinite(cv)) or np.any(cv < 0) or np.any(cv >= 1):
        raise ParameterError(f"{DAY_CV}: expected a fraction in [0, 1), got {cv!r}")
    return cv


def measure_rmssd(model_rmssd: np.ndarray, rng, params) -> np.ndarray:
    r"""A morning RMSSD recording (ms) of subjects whose model value is ``model_rmssd`` (ms).

    The recording scatters about the model value on the log scale,
    :math:`\ln R_{meas} = \ln R + \epsilon\,c\,|\ln R|`, :math:`\epsilon \sim N(0, 1)`, with
    :math:`c` the day-to-day coefficient of variation of LnRMSSD
    (``autonomic.ln_rmssd_day_cv``; Bellenger et al. 2022). ``rng``: a numpy Generator or a
    :class:`~myoaxis.core.rng.SubjectRNG` (one draw per subject from its own stream);
    ``params``: a Body or a ParameterSet."""
    r = np.asarray(model_rmssd, dtype=float)
    if r.ndim == 0 or r.size == 0:
        raise ScenarioError(
            f"measure_rmssd: expected an array of model RMSSD values, got {model_rmssd!r}"
        )
    if not np.all(np.isfinite(r)) or np.any(r <= 0):
        raise ScenarioError(f"measure_rmssd: model RMSSD must be positive and finite, got {r!r}")
    cv = _day_cv(params)
    if cv.ndim == 1 and cv.size > 1:  # one per subject: broadcast along any further axes
        cv = cv.reshape(cv.shape + (1,) * (r.ndim - 1))
    ln = np.log(r)
    return np.exp(ln + standard_normal(rng, r.shape, "measure_rmssd") * cv * np.abs(ln))
