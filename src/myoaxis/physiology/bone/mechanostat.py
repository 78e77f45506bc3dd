r"""Frost's mechanostat with a Carter/Turner daily stress stimulus, one per skeletal site.

Daily loading. Each loading cycle of peak force :math:`\sigma` (body weights) adds
:math:`\sigma^m` to the daily stress stimulus :math:`\Psi^m = \sum_i n_i \sigma_i^m` (Carter et al.
1987; Turner 1998). Relative to habitual daily life (:math:`n_h` cycles a day at
:math:`\sigma_h`), the rate at which stimulus accrues is

.. math::
    u = \Bigl[w_b + \frac{f\,(\sigma/\sigma_h)^m}{n_h}\Bigr]\Bigl(\frac{z_0}{z}\Bigr)^{m p}

with :math:`w_b` the weight-bearing port (1 = daily life, 0 = bed rest) and :math:`f` the loading
frequency of the current exercise. The last factor is the strain feedback of the mechanostat:
tissue strain per unit load scales as (bone mass)\ :sup:`-p`, so a bone that has gained mass
is strained less by the same loads. A low-pass state gives the bone the daily average,
:math:`\dot\Phi = (u - \Phi)/\tau_d` (:math:`\tau_d` = 1 day, :math:`\Phi = 1` at habitual
loading), and the daily stimulus relative to habitual is :math:`\psi = \Phi^{1/m}`.

Set point and dead zone. The osteocytes compare :math:`\psi` with a set point that partly
accommodates to sustained changes (Turner 1999): :math:`\dot\psi_r = (\psi - \psi_r)/\tau_a`,
set point :math:`1 - c + c\,\psi_r`. The error :math:`e = \psi - (1 - c + c\psi_r)` passes a
dead zone of half-width :math:`w` (Frost's adapted window), giving the mechanical signal

.. math::
    M = M_d + M_o, \qquad M_d = \min(e + w, 0), \quad M_o = \min(\max(e - w, 0), M_{max})

negative under disuse (at most :math:`-(1 - w)` at complete unloading), zero in the window,
positive under overload, up to a ceiling :math:`M_{max}` (beyond Frost's pathological-overload
threshold loading brings damage, not more adaptive modelling). Disuse (:math:`M_d`) raises
osteoclast recruitment through osteocytic RANKL (:mod:`.remodelling`); both parts move
sclerostin, hence osteoblast recruitment, with separate gains (disuse remodelling and overload
modelling are distinct responses in Frost's scheme; :mod:`.osteokines`).
"""

from __future__ import annotations

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.physiology.ports import LOAD_HIP, LOAD_SPINE, LOADING_FREQUENCY, WEIGHT_BEARING

LOAD_PORTS = {"hip": LOAD_HIP, "spine": LOAD_SPINE}


def disuse_signal(name: str) -> str:
    """Text of the disuse part of the mechanical signal of site ``name``, ``min(e + w, 0)``.

    The parts are written into the equations that use them (their sum is also published as
    ``bone_mechanical_signal_<site>``).
    """
    return f"min(bone_stimulus_error_{name} + bone.mechanostat.dead_zone, 0)"


def overload_signal(name: str) -> str:
    """Text of the overload part of the mechanical signal of site ``name``,
    ``min(max(e - w, 0), ceiling)``."""
    return (
        f"min(max(bone_stimulus_error_{name} - bone.mechanostat.dead_zone, 0),"
        " bone.mechanostat.overload_ceiling)"
    )


def site(name: str) -> Component:
    """The mechanostat of skeletal site ``name`` (``"spine"`` or ``"hip"``)."""
    load = LOAD_PORTS[name]
    daily, setpoint = f"bone_daily_loading_{name}", f"bone_setpoint_{name}"
    stimulus, error = f"bone_stimulus_{name}", f"bone_stimulus_error_{name}"
    return Component(
        name=f"bone_mechanostat_{name}",
        states=(
            State(
                daily,
                "dimensionless",
                f"daily loading of the {name} relative to habitual life (Phi, low-passed)",
                rate=f"(bone_loading_rate_{name} - {daily}) / bone.mechanostat.averaging_time",
                initial="1",
                scale=1.0,
            ),
            State(
                setpoint,
                "dimensionless",
                f"accommodating part of the mechanostat set point at the {name}",
                rate=f"({stimulus} - {setpoint}) / bone.mechanostat.accommodation_time",
                initial="1",
                scale=1.0,
            ),
        ),
        parameters={
            "bone.reference_mass": "percent",
            "bone.mechanostat.stress_exponent": "dimensionless",
            "bone.mechanostat.strain_mass_exponent": "dimensionless",
            "bone.mechanostat.averaging_time": "s",
            "bone.mechanostat.accommodation_time": "s",
            "bone.mechanostat.accommodation_fraction": "dimensionless",
            "bone.mechanostat.dead_zone": "dimensionless",
            "bone.mechanostat.overload_ceiling": "dimensionless",
            f"bone.{name}.habitual_load": "dimensionless",
            f"bone.{name}.habitual_cycles": "1/s",
        },
        inputs=(WEIGHT_BEARING, load, LOADING_FREQUENCY),
        assignments=(
            Assignment(
                f"bone_loading_rate_{name}",
                "dimensionless",
                f"rate of daily stress stimulus at the {name}, relative to habitual life",
                f"(weight_bearing + {LOADING_FREQUENCY.name}"
                f" * ({load.name} / bone.{name}.habitual_load) ** bone.mechanostat.stress_exponent"
                f" / bone.{name}.habitual_cycles)"
                f" * (bone.reference_mass / bone_mass_{name})"
                " ** (bone.mechanostat.stress_exponent * bone.mechanostat.strain_mass_exponent)",
            ),
            Assignment(
                stimulus,
                "dimensionless",
                f"daily stress stimulus at the {name} relative to habitual life (psi)",
                f"max({daily}, 0) ** (1 / bone.mechanostat.stress_exponent)",
            ),
            Assignment(
                error,
                "dimensionless",
                f"daily stimulus minus the mechanostat set point at the {name}",
                f"{stimulus} - (1 - bone.mechanostat.accommodation_fraction"
                f" + bone.mechanostat.accommodation_fraction * {setpoint})",
            ),
            Assignment(
                f"bone_mechanical_signal_{name}",
                "dimensionless",
                f"mechanostat output at the {name}: < 0 disuse, 0 adapted window, > 0 overload",
                f"{disuse_signal(name)} + {overload_signal(name)}",
            ),
        ),
        citations=("frost2003", "carter1987", "turner1998", "turner1999"),
    )
