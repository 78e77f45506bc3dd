r"""Post-exertional malaise (PEM): a delayed, days-long loss of aerobic function after exertion.

PEM is the hallmark of myalgic encephalomyelitis / chronic fatigue syndrome (ME/CFS). Its most
objective sign is the two-day cardiopulmonary exercise test (CPET): healthy people reproduce a
maximal CPET 24 h later (changes of a few per cent: Snell et al. 2013, VanNess et al. 2007),
people with ME/CFS do not (Keller et al. 2014, 22 patients: VO2peak -13.8 %, VO2 at the
ventilatory threshold -15.8 %, work at peak -12.5 %, work at the threshold -21.3 % on day 2).

**Exertion above tolerance** loads a *pending* state :math:`Q` (malaise not yet expressed):
aerobic work above a tolerated intensity :math:`i_t` (fraction of VO2max, the port
``exercise_intensity`` :math:`i`) and resistance or isometric work (the port
``active_mass_activation`` :math:`M`, kg, per kg of body mass :math:`m`; counted only outside
aerobic bouts, as in the autonomic component, since an aerobic bout's active mass is already
covered by its intensity). It is expressed as malaise :math:`P` over hours and recovers over
days:

.. math::
    \dot Q = \sigma\Big(g_i\,(i - i_t)_+ + g_r\,\frac{M}{m}\,[i \le i_{on}]\Big)
             - \frac{Q}{\tau_{on}}, \qquad
    \dot P = \frac{Q}{\tau_{on}} - \frac{P}{\tau_{off}}

so one bout gives :math:`P(t) \propto (e^{-t/\tau_{off}} - e^{-t/\tau_{on}})`, peaking about a
day later (symptoms typically begin 12-48 h after the trigger) and decaying over days (after a
two-day CPET people with ME/CFS judged themselves recovered after 12.7 +/- 1.2 days, controls
after 2.1 days; Moore et al. 2023). Repeated exertion before recovery accumulates.
:math:`\sigma` (``pem.susceptibility``) is 0 in healthy people, so healthy subjects never
develop PEM; the ME/CFS overlay sets it to 1. :math:`P` is dimensionless, scaled so that a
maximal ramp CPET leaves :math:`P \approx 1` at the second test 24 h later.

**Effects** (assignments read by :mod:`myoaxis.assess.cpet`): the deliverable VO2 falls,
and the ventilatory threshold moves to a lower fraction of it (an earlier threshold on the
second test),

.. math::
    f_{peak} = e^{-k_p P}, \qquad f_{VT} = e^{-k_{VT} P}

with :math:`k_p` and :math:`k_{VT}` calibrated to Keller 2014's day-2 changes of VO2peak and
VO2 at VT. Both factors are 1 at rest and stay in (0, 1]. The component does not change the
training adaptation of VO2max (``vo2max``), which the aerobic component owns; a CPET reads
``vo2max x pem_vo2max_factor``.

Both states start at 0, the resting steady state, and stay non-negative (non-negative sources,
first-order clearances). Not modelled: cognitive or emotional triggers, orthostatic stress,
symptom scores, the long tail of slow recoverers (Moore 2023: range 1-64 days), any change of
baseline VO2max or of the threshold of tolerance with the illness's course.
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.physiology.ports import ACTIVE_MASS, EXERCISE_INTENSITY

PENDING = "pem_pending"
PEM = "pem"
PEAK_FACTOR = "pem_vo2max_factor"
THRESHOLD_FACTOR = "pem_threshold_factor"

_EXCESS = "max(exercise_intensity - pem.tolerated_intensity, 0)"

PEM_COMPONENT = Component(
    name="post_exertional_malaise",
    states=(
        State(
            PENDING,
            "dimensionless",
            "exertion load not yet expressed as post-exertional malaise",
            rate=(
                "pem.susceptibility * (pem.intensity_gain * "
                f"{_EXCESS}"
                " + where(exercise_intensity > autonomic.exercising_intensity, 0,"
                " pem.resistance_gain * active_mass_activation / body.mass))"
                f" - {PENDING} / pem.onset_time"
            ),
            initial="0",
            scale=1.0,
        ),
        State(
            PEM,
            "dimensionless",
            "post-exertional malaise (1 about a day after a maximal CPET in ME/CFS)",
            rate=f"{PENDING} / pem.onset_time - {PEM} / pem.recovery_time",
            initial="0",
            scale=1.0,
        ),
    ),
    parameters={
        "body.mass": "kg",
        "autonomic.exercising_intensity": "dimensionless",
        "pem.susceptibility": "dimensionless",
        "pem.tolerated_intensity": "dimensionless",
        "pem.intensity_gain": "1/s",
        "pem.resistance_gain": "1/s",
        "pem.onset_time": "s",
        "pem.recovery_time": "s",
        "pem.peak_effect": "dimensionless",
        "pem.threshold_effect": "dimensionless",
    },
    inputs=(EXERCISE_INTENSITY, ACTIVE_MASS),
    assignments=(
        Assignment(
            PEAK_FACTOR,
            "dimensionless",
            "deliverable peak VO2 relative to VO2max, lowered by post-exertional malaise",
            f"exp(-pem.peak_effect * {PEM})",
        ),
        Assignment(
            THRESHOLD_FACTOR,
            "dimensionless",
            "ventilatory threshold (fraction of peak VO2) relative to its rested value",
            f"exp(-pem.threshold_effect * {PEM})",
        ),
    ),
    citations=("keller2014", "moore2023", "vanness2010", "snell2013", "vanness2007"),
)

COMPONENTS = (PEM_COMPONENT,)
