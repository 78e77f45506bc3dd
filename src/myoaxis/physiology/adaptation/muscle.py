r"""Resistance training of one muscle group: neural adaptation, hypertrophy and detraining.

**Sessions enter as impulses.** :func:`resistance_doses` turns a session (relative load
:math:`L` as a fraction of 1RM, completed sets :math:`n`, repetitions per set, repetitions in
reserve :math:`R`, 0 for sets taken to failure) into two doses, counted in sets:

.. math::
    d_n = n\,L, \qquad
    d_h = n\, e^{-R/R_s}\, \frac{L^{k}}{L^{k} + L_{1/2}^{k}}

The neural dose weights every completed set by its load, whether or not it ends at failure:
strength gains are the same with and without failure (Grgic et al. 2022, ES -0.09, 95 % CI
-0.22 to 0.05). The hypertrophy dose counts sets near failure: a set stopped :math:`R`
repetitions short counts :math:`e^{-R/R_s}` of a set to failure (Grgic 2022: hypertrophy ES
0.22 for failure, CI -0.11 to 0.55), and loads from about 30 % 1RM upwards count alike, while
20 % 1RM gives about half the growth (Lasevicius et al. 2018: vastus lateralis CSA +8.9 % at
20 % vs +19.5 to +20.5 % at 40-80 % 1RM). With sets to failure hypertrophy therefore barely
depends on load, as Schoenfeld et al. (2017) found. :func:`add_session` adds
:math:`d_n` to ``neural_stimulus_<g>`` and :math:`d_h` to ``hypertrophy_stimulus_<g>``.

**Stimuli.** Each stimulus decays with :math:`\tau_s` (one week):
:math:`\dot S = -S/\tau_s`. Under a regular schedule :math:`S` is therefore the number of
(load-weighted or effective) sets done in about the last week, the unit of the volume
meta-analyses (Schoenfeld, Ogborn & Krieger 2017: +0.37 % hypertrophy per weekly set).

**Adaptations.** Three states approach targets that saturate in the stimulus,

.. math::
    N^* = N_{max}\frac{S_n}{S_n + K_n}, \quad
    Q^* = Q_{max}\frac{S_n}{S_n + K_q}, \quad
    C^* = 1 + (C_{max} - 1)\,a_P\frac{S_h}{S_h + K_h}, \qquad
    \dot X = \frac{X^* - X}{\tau_{\uparrow}\ \text{if}\ X^* > X\ \text{else}\ \tau_{\downarrow}}

:math:`N` (``neural_adaptation_<g>``) is the gain in voluntary drive and coordination that
every maximal contraction of the group expresses, isometric ones included; :math:`Q`
(``one_rm_skill_<g>``) is the extra gain specific to lifting near-maximal loads in the trained
movement (1RM). Both read the same load-weighted stimulus, but :math:`K_n \ll K_q`: the
general gain saturates with little training at any load, so isometric strength barely
depends on training load, while the 1RM-specific gain keeps growing with heavier loads. That
is Schoenfeld et al. (2017): with sets to failure, 1RM gains were larger with loads above
60 % 1RM (ES 0.58, CI 0.28-0.89), isometric strength and hypertrophy were not different.
:math:`C` (``csa_<g>``) is the muscle cross-sectional area relative to the start. It grows
towards a volume-dependent set-point with a long time constant and a ceiling
:math:`C_{max}`, so the gain per week slows as the set-point nears (about 0.1 %/day at 9 sets
to failure a week, 0.13 %/day for Narici et al. 1989's 24, who measured +8.5 % in 60 days;
observed rates are 0.1-0.2 %/day, Seynnes et al. 2007 up to 0.2 %/day early on); when
training stops or is reduced the target falls and the area returns towards the untrained
set-point 1 with :math:`\tau_{\downarrow}`, over weeks to months (Mujika & Padilla 2000).
Neural gains rise in about two weeks, so they dominate the first weeks of training and
hypertrophy the later ones (Moritani & deVries 1979: hypertrophy dominant after 3-5 weeks;
Narici et al. 1989: 40 % of the 60-day force gain from hypertrophy). :math:`a_P`
(``protein_anabolic_factor``, :mod:`.nutrition`) scales the growth ceiling with the protein
intake; it is 1 at the habitual intake and without the nutrition component.

**Disuse** (bed rest, unloading). The port ``weight_bearing`` :math:`w` (1 in daily life, 0 in
bed rest) gives the unloading :math:`u = \max(1 - w, 0)`. Exercise loads the muscle too, so the
unloading the group feels is :math:`u_e = u\,K_h/(K_h + S_h)` (its own weekly sets near failure
:math:`S_h`, with the hypertrophy half-stimulus :math:`K_h`: resistance exercise during bed rest
prevents or halves the atrophy, Alkner & Tesch 2004). Each group has a sensitivity
:math:`s_g` (knee extensors 1; plantar flexors more, arms 0: LeBlanc et al. 1992 found no loss
of arm strength in 17 weeks of bed rest). The area gets two more terms,

.. math::
    \dot C = \ldots - s_g\,u_e\,k_a\,C + \frac{(1 - C)_+}{\tau_r}

an atrophy proportional to the area (rate :math:`k_a`) and a return towards the habitual
area 1 that acts whenever the area is below it (:math:`\tau_r`; with the growth term above
it sets both the plateau in bed rest and the recovery on reloading). From :math:`C = 1` in
full bed rest the area falls towards :math:`r/(s_g k_a + r)`, :math:`r = 1/\tau_r +
1/\tau_{\uparrow}`, with rate :math:`s_g k_a + r`: for the knee extensors about -20 % with a
40-day time constant, fast at first and levelling off, as the bed-rest data show (Marusic et
al. 2021: logarithmic losses; -3.2 % at 7 days, Dirks et al. 2016; -14 % at 6 weeks, Berg et
al. 1997; -18 % at 90 days, Alkner & Tesch 2004). Strength falls faster than area
(Marusic 2021: the strength loss is 4.2 times the atrophy at day 5, 2.4 at day 14 and 1.9
after 35 days; Berg 1997: torque per area -13 %), through losses of specific tension,
architecture and drive that are not area; de Boer et al. 2007 found voluntary activation
unchanged. That is a force deficit :math:`D` (``disuse_force_deficit_<g>``) that relaxes
towards :math:`D^* = \min(s_g\,u_e\,D_{max}, 1)` with :math:`\tau_{on}` while it rises and
:math:`\tau_{off}` while it falls. At :math:`w = 1` every disuse term is exactly 0 (the
restoring term too, since training never takes :math:`C` below 1), so nothing changes in
daily life.

**Outputs.** ``strength_factor_<g>`` :math:`= (1 + N)(1 - D)\,C\,m\,\sigma` multiplies the group's
maximal (isometric) force, with the ageing drifts of muscle mass :math:`m`
(``muscle_mass_factor``) and specific tension :math:`\sigma` (``specific_tension_factor``,
:mod:`.ageing`; both 1 when the ageing component is absent). ``one_rm_factor_<g>``
:math:`= (1 + Q)` ``strength_factor_<g>`` is the factor of a 1RM lift of the trained movement.

All states start at rest (stimuli, neural gains and deficit 0, :math:`C = 1`) and stay there
without training or unloading; stimuli only decay, each adaptation relaxes towards a
non-negative target (:math:`D^* \le 1`), and the atrophy is proportional to :math:`C`, so every
state stays non-negative and :math:`D \le 1`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np

from myoaxis.core.equations import Assignment, Component, Input, State
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.muscles import muscle_names
from myoaxis.physiology.ports import WEIGHT_BEARING

# Brzycki (1993): 1RM = w * 36 / (37 - r), i.e. r repetitions to failure at L = (37 - r) / 36
BRZYCKI_INTERCEPT = 37.0
BRZYCKI_SLOPE = 36.0

MASS_FACTOR = Input(
    "muscle_mass_factor",
    "dimensionless",
    "muscle mass relative to the scenario start, ageing drift (1 without the ageing component)",
    default=1.0,
)
PROTEIN_FACTOR = Input(
    "protein_anabolic_factor",
    "dimensionless",
    "factor of the hypertrophy ceiling from the protein intake (1 without the nutrition component)",
    default=1.0,
)
TENSION_FACTOR = Input(
    "specific_tension_factor",
    "dimensionless",
    "specific tension relative to the scenario start, ageing drift (1 without ageing)",
    default=1.0,
)

PARAMETERS = {
    "adaptation.stimulus_time": "s",
    "adaptation.neural.max_gain": "dimensionless",
    "adaptation.neural.half_stimulus": "dimensionless",
    "adaptation.neural.rise_time": "s",
    "adaptation.neural.decay_time": "s",
    "adaptation.one_rm_skill.max_gain": "dimensionless",
    "adaptation.one_rm_skill.half_stimulus": "dimensionless",
    "adaptation.hypertrophy.max_gain": "dimensionless",
    "adaptation.hypertrophy.half_stimulus": "dimensionless",
    "adaptation.hypertrophy.growth_time": "s",
    "adaptation.hypertrophy.loss_time": "s",
    "adaptation.disuse.atrophy_rate": "1/s",
    "adaptation.disuse.reload_time": "s",
    "adaptation.disuse.force_deficit.max": "dimensionless",
    "adaptation.disuse.force_deficit.onset_time": "s",
    "adaptation.disuse.force_deficit.recovery_time": "s",
}


def state_names(group: str) -> dict[str, str]:
    """Names of the states and outputs of group ``group``, keyed by role."""
    return {
        "neural_stimulus": f"neural_stimulus_{group}",
        "hypertrophy_stimulus": f"hypertrophy_stimulus_{group}",
        "neural": f"neural_adaptation_{group}",
        "skill": f"one_rm_skill_{group}",
        "csa": f"csa_{group}",
        "force_deficit": f"disuse_force_deficit_{group}",
        "strength": f"strength_factor_{group}",
        "one_rm": f"one_rm_factor_{group}",
    }


def _relax(state: str, target: str, rise: str, decay: str) -> str:
    return f"({target} - {state}) / where({target} > {state}, {rise}, {decay})"


@cache
def muscle_adaptation(group: str) -> Component:
    """The training adaptation of muscle group ``group`` (one of :func:`muscle_names`); the
    same object for repeated calls."""
    if group not in muscle_names():
        raise ParameterError(
            f"muscle_adaptation: unknown muscle group {group!r} "
            f"(known: {', '.join(muscle_names())})"
        )
    n = state_names(group)
    sn, sh = n["neural_stimulus"], n["hypertrophy_stimulus"]
    neural_target, skill_target = f"neural_target_{group}", f"one_rm_skill_target_{group}"
    csa_target = f"csa_target_{group}"
    unloading, deficit_target = f"unloading_{group}", f"disuse_force_deficit_target_{group}"
    sensitivity = f"adaptation.disuse.sensitivity.{group}"
    where = f"of the {group.replace('_', ' ')}"
    return Component(
        name=f"muscle_adaptation_{group}",
        states=(
            State(
                sn,
                "dimensionless",
                f"load-weighted sets {where} in about the last week (neural stimulus)",
                rate=f"-{sn} / adaptation.stimulus_time",
                initial="0",
                scale=1.0,
            ),
            State(
                sh,
                "dimensionless",
                f"effective sets near failure {where} in about the last week",
                rate=f"-{sh} / adaptation.stimulus_time",
                initial="0",
                scale=1.0,
            ),
            State(
                n["neural"],
                "dimensionless",
                f"gain in voluntary drive and coordination {where} (0 untrained)",
                rate=_relax(
                    n["neural"],
                    neural_target,
                    "adaptation.neural.rise_time",
                    "adaptation.neural.decay_time",
                ),
                initial="0",
                scale=0.1,
            ),
            State(
                n["skill"],
                "dimensionless",
                f"extra 1RM gain specific to lifting near-maximal loads {where}",
                rate=_relax(
                    n["skill"],
                    skill_target,
                    "adaptation.neural.rise_time",
                    "adaptation.neural.decay_time",
                ),
                initial="0",
                scale=0.1,
            ),
            State(
                n["csa"],
                "dimensionless",
                f"cross-sectional area {where} relative to the start (1 untrained)",
                rate=_relax(
                    n["csa"],
                    csa_target,
                    "adaptation.hypertrophy.growth_time",
                    "adaptation.hypertrophy.loss_time",
                )
                + f" - {sensitivity} * {unloading} * adaptation.disuse.atrophy_rate * {n['csa']}"
                + f" + max(1 - {n['csa']}, 0) / adaptation.disuse.reload_time",
                initial="1",
                scale=1.0,
            ),
            State(
                n["force_deficit"],
                "dimensionless",
                f"share of the maximal force {where} lost to unloading beyond its area loss",
                rate=_relax(
                    n["force_deficit"],
                    deficit_target,
                    "adaptation.disuse.force_deficit.onset_time",
                    "adaptation.disuse.force_deficit.recovery_time",
                ),
                initial="0",
                scale=0.1,
            ),
        ),
        parameters={**PARAMETERS, sensitivity: "dimensionless"},
        inputs=(MASS_FACTOR, TENSION_FACTOR, PROTEIN_FACTOR, WEIGHT_BEARING),
        assignments=(
            Assignment(
                neural_target,
                "dimensionless",
                f"neural gain {where} that the current stimulus would sustain",
                f"adaptation.neural.max_gain * {sn} / ({sn} + adaptation.neural.half_stimulus)",
            ),
            Assignment(
                skill_target,
                "dimensionless",
                f"1RM-specific gain {where} that the current stimulus would sustain",
                f"adaptation.one_rm_skill.max_gain * {sn}"
                f" / ({sn} + adaptation.one_rm_skill.half_stimulus)",
            ),
            Assignment(
                csa_target,
                "dimensionless",
                f"cross-sectional area {where} that the current stimulus would sustain",
                f"1 + adaptation.hypertrophy.max_gain * {PROTEIN_FACTOR.name} * {sh}"
                f" / ({sh} + adaptation.hypertrophy.half_stimulus)",
            ),
            Assignment(
                unloading,
                "dimensionless",
                f"unloading {where}: 1 - weight bearing, less what its own training loads",
                f"max(1 - {WEIGHT_BEARING.name}, 0) * adaptation.hypertrophy.half_stimulus"
                f" / ({sh} + adaptation.hypertrophy.half_stimulus)",
            ),
            Assignment(
                deficit_target,
                "dimensionless",
                f"force deficit {where} that the current unloading would sustain",
                f"min({sensitivity} * {unloading} * adaptation.disuse.force_deficit.max, 1)",
            ),
            Assignment(
                n["strength"],
                "dimensionless",
                f"maximal force {where} relative to the start (training, disuse and ageing)",
                f"(1 + {n['neural']}) * (1 - {n['force_deficit']}) * {n['csa']}"
                f" * {MASS_FACTOR.name} * {TENSION_FACTOR.name}",
            ),
            Assignment(
                n["one_rm"],
                "dimensionless",
                f"1RM of the trained movement {where} relative to the start",
                f"(1 + {n['skill']}) * {n['strength']}",
            ),
        ),
        citations=(
            "schoenfeld2017load",
            "schoenfeld2017volume",
            "grgic2022",
            "lasevicius2018",
            "narici1989",
            "seynnes2007",
            "moritani1979",
            "mujika2000",
            "marusic2021",
            "berg1997",
            "alkner2004",
            "deboer2007",
            "leblanc1992",
        ),
    )


# -- per-session doses -------------------------------------------------------------------------


@dataclass(frozen=True)
class DoseParameters:
    """Parameters of :func:`resistance_doses`, each ``(S,)``."""

    failure_scale: np.ndarray  # R_s, repetitions
    load_half: np.ndarray  # L_1/2, fraction of 1RM
    load_exponent: np.ndarray  # k

    @classmethod
    def from_values(cls, values: Callable[[str, str], np.ndarray]) -> DoseParameters:
        """Build from ``values(name, unit) -> (S,)`` (e.g. ``Body.values``)."""

        def v(name: str) -> np.ndarray:
            return np.asarray(values(f"adaptation.dose.{name}", "dimensionless"), dtype=float)

        return cls(v("failure_scale"), v("hypertrophy_load_half"), v("hypertrophy_load_exponent"))


@dataclass(frozen=True)
class ResistanceDoses:
    """Doses of one session, ``(S,)`` each, in sets (see the module docstring)."""

    neural: np.ndarray  # into neural_stimulus_<g>
    hypertrophy: np.ndarray  # into hypertrophy_stimulus_<g>


def _array(x, what: str, low: float, high: float = np.inf, low_open: bool = False) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    bad = ~np.isfinite(a) | (a > high) | ((a <= low) if low_open else (a < low))
    if bad.any():
        upper = f" and <= {high:g}" if high < np.inf else ""
        bound = f"{'>' if low_open else '>='} {low:g}{upper}"
        raise ScenarioError(f"resistance training: {what} must be {bound}, got {x!r}")
    return a


def repetitions_to_failure(load_fraction) -> np.ndarray:
    """Repetitions to failure at ``load_fraction`` of 1RM, Brzycki's (1993) relation
    :math:`r = 37 - 36 L` (1 at 1RM; meant for up to about 10-12 repetitions, it gives 26 at
    30 % 1RM)."""
    load = _array(load_fraction, "the load (fraction of 1RM)", 0.0, 1.0, low_open=True)
    return BRZYCKI_INTERCEPT - BRZYCKI_SLOPE * load


def estimated_reps_in_reserve(load_fraction, reps, failed=False) -> np.ndarray:
    """Repetitions left in reserve after ``reps`` at ``load_fraction`` of 1RM: 0 where the set
    ``failed``, else :func:`repetitions_to_failure` minus ``reps`` (not below 0)."""
    done = _array(reps, "repetitions per set", 0.0)
    spare = np.maximum(repetitions_to_failure(load_fraction) - done, 0.0)
    return np.where(np.asarray(failed, dtype=bool), 0.0, spare)


def resistance_doses(
    parameters: DoseParameters, load_fraction, sets, reps, reps_in_reserve=None
) -> ResistanceDoses:
    """Neural and hypertrophy doses of one session of ``sets`` sets of ``reps`` repetitions at
    ``load_fraction`` of 1RM (all ``(S,)`` or scalars). ``reps_in_reserve`` is 0 for sets taken
    to failure; if ``None`` it is estimated from the load and the repetitions
    (:func:`estimated_reps_in_reserve`), i.e. the sets are assumed to stop where planned."""
    load = _array(load_fraction, "the load (fraction of 1RM)", 0.0, 1.0, low_open=True)
    n = _array(sets, "the number of sets", 0.0)
    done = _array(reps, "repetitions per set", 0.0)
    spare = (
        estimated_reps_in_reserve(load, done)
        if reps_in_reserve is None
        else _array(reps_in_reserve, "repetitions in reserve", 0.0)
    )
    p = parameters
    load_k = load**p.load_exponent
    gate = load_k / (load_k + p.load_half**p.load_exponent)
    neural = n * load
    hypertrophy = n * np.exp(-spare / p.failure_scale) * gate
    neural, hypertrophy = np.broadcast_arrays(neural, hypertrophy)
    return ResistanceDoses(neural=neural.copy(), hypertrophy=hypertrophy.copy())


class SessionTarget(Protocol):
    """What :func:`add_session` needs of the slow layer: impulses into named states."""

    def add(self, name: str, amount: np.ndarray) -> None: ...


def session_impulses(group: str, doses: ResistanceDoses) -> dict[str, np.ndarray]:
    """The impulses of one session of ``group``: state name -> amount ``(S,)``."""
    n = state_names(group)
    return {n["neural_stimulus"]: doses.neural, n["hypertrophy_stimulus"]: doses.hypertrophy}


def add_session(layer: SessionTarget, group: str, doses: ResistanceDoses) -> None:
    """Add one resistance session of ``group`` to the slow layer now."""
    for name, amount in session_impulses(group, doses).items():
        layer.add(name, amount)
