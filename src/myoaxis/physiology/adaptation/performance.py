r"""Performance over weeks: Banister's fitness–fatigue model and Busso's variable dose–response.

**Model.** Each training session :math:`i` at time :math:`t_i` with load :math:`w_i \ge 0`
(arbitrary units, AU; see *Training load* below) adds to three exponentially decaying sums,
the states of :data:`PERFORMANCE`:

.. math::
    g(t) = \sum_{t_i \le t} w_i\, e^{-(t-t_i)/\tau_1}, \qquad
    K(t) = \sum_{t_i \le t} w_i\, e^{-(t-t_i)/\tau_3}, \qquad
    h(t) = \sum_{t_i \le t} k_2(t_i)\, w_i\, e^{-(t-t_i)/\tau_2},

with the fatigue gain of a session :math:`k_2(t_i) = k_{2,0} + k_3 K(t_i)`, where
:math:`K(t_i)` includes session :math:`i` itself. Performance, relative to the subject's
untrained level :math:`p_0 = 1`, is

.. math:: p(t) = p_0 + k_1\, g(t) - h(t).

With :math:`k_3 = 0` this is the fitness–fatigue impulse–response model of Banister et al.
(1975) and Calvert et al. (1976), :math:`p = p_0 + k_1 \sum w e^{-(t-s)/\tau_1} - k_2 \sum w
e^{-(t-s)/\tau_2}`; with :math:`k_{2,0} = 0` it is Busso's (2003) variable dose–response model,
in which the fatigue produced by a session grows with the training done in the days before it
(:math:`k_2(i) = k_3 \sum_{j \le i} w_j e^{-(i-j)/\tau_3}`, eq. 10 of the review by Swinton et
al. 2021). Fitness is linear in the loads but fatigue is quadratic, so the gain after a block of
constant daily load :math:`w` is :math:`A w - B w^2`: an inverted U.

**Impulses.** Between sessions every state decays at rate :math:`-x/\tau`, which is all the
text equations say (they export to SBML). A session enters as three impulses, in this order
(:func:`add_session` makes the calls): ``add(performance_fitness, w)``,
``add(performance_fatigue_load, w)``, then ``add(performance_fatigue, k2 * w)`` with ``k2`` the
assignment ``performance_fatigue_gain`` read *after* the second impulse, so that
:math:`k_2(t_i)` counts the session itself and every earlier one. Busso's fatigue is the sum of
:math:`k_2(t_i) w_i` with the gain frozen at each session, not :math:`k_2(t)` times the fatigue
sum: a decaying state can only reproduce it if the gain multiplies the dose when it enters,
which is why the dose is computed outside the equations by :func:`fatigue_dose` (the slow
layer records it as an impulse, so an SBML replay adds the same numbers). The sums are
right-continuous: a session at :math:`t` counts at :math:`t`. Busso's discrete days
:math:`p(n)` use sessions before day :math:`n` only, i.e. performance measured before that
day's session.

**Training load.** The default gains are for the heart-rate training impulse of Banister
(TRIMP; Morton et al. 1990): :func:`banister_trimp` (Busso's mean gains, rescaled from his
training units to TRIMP, see ``data/model/performance.toml``). Heart rate understates the load
of resistance training; :func:`session_rpe_load` gives Foster's session RPE (CR-10 rating x
minutes), whose scale differs from TRIMP (gains fitted with one load metric do not transfer to
another). All loads are non-negative, so every state stays non-negative.

**Reference.** :func:`busso_response` and :func:`banister_response` compute the sums in closed
form from a list of sessions (batched over subjects) and are what the tests check the ODE
against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from myoaxis.core.equations import Assignment, Component, State
from myoaxis.core.errors import ParameterError, ScenarioError

FITNESS = "performance_fitness"
FATIGUE_LOAD = "performance_fatigue_load"
FATIGUE = "performance_fatigue"
FATIGUE_GAIN = "performance_fatigue_gain"
BALANCE = "fitness_fatigue_balance"
PERFORMANCE_INDEX = "performance"

# Banister TRIMP weighting y = a exp(b x) of the heart-rate-reserve fraction x (Morton 1990)
TRIMP_WEIGHTING = {"male": (0.64, 1.92), "female": (0.86, 1.67)}
RPE_SCALE_MAX = 10.0  # Borg CR-10, as in Foster 2001

PERFORMANCE = Component(
    name="performance",
    states=(
        State(
            FITNESS,
            "dimensionless",
            "fitness: training load (AU) decayed with the fitness time constant tau1",
            rate=f"-{FITNESS} / performance.fitness_time",
            initial="0",
            scale=10.0,
        ),
        State(
            FATIGUE_LOAD,
            "dimensionless",
            "recent training load (AU) decayed with tau3, which sets the fatigue gain k2",
            rate=f"-{FATIGUE_LOAD} / performance.fatigue_sensitivity_time",
            initial="0",
            scale=10.0,
        ),
        State(
            FATIGUE,
            "dimensionless",
            "fatigue: each session's k2 x load, decayed with tau2 (in performance units)",
            rate=f"-{FATIGUE} / performance.fatigue_time",
            initial="0",
            scale=0.1,
        ),
    ),
    parameters={
        "performance.baseline": "dimensionless",
        "performance.fitness_gain": "dimensionless",
        "performance.fatigue_gain": "dimensionless",
        "performance.fatigue_sensitivity": "dimensionless",
        "performance.fitness_time": "s",
        "performance.fatigue_time": "s",
        "performance.fatigue_sensitivity_time": "s",
    },
    assignments=(
        Assignment(
            FATIGUE_GAIN,
            "dimensionless",
            "fatigue gain k2 = k2,0 + k3 K of a session done now (Busso 2003)",
            f"performance.fatigue_gain + performance.fatigue_sensitivity * {FATIGUE_LOAD}",
        ),
        Assignment(
            BALANCE,
            "dimensionless",
            "net training effect k1 g - h on performance (negative: fatigue masks fitness)",
            f"performance.fitness_gain * {FITNESS} - {FATIGUE}",
        ),
        Assignment(
            PERFORMANCE_INDEX,
            "dimensionless",
            "performance relative to the untrained level, p0 + k1 g - h",
            f"performance.baseline + {BALANCE}",
        ),
    ),
    citations=("banister1975", "calvert1976", "busso2003"),
)

COMPONENTS = (PERFORMANCE,)


# -- training load ---------------------------------------------------------------------------


def _non_negative(x, what: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ScenarioError(f"{what} must be finite and >= 0, got {x!r}")
    return a


def banister_trimp(duration_min, hr_reserve_fraction, sex) -> np.ndarray:
    r"""Banister's training impulse (TRIMP, AU) of a session (Morton et al. 1990).

    :math:`\mathrm{TRIMP} = D\,x\,a\,e^{b x}` with :math:`D` the duration (min),
    :math:`x = (HR_{ex} - HR_{rest})/(HR_{max} - HR_{rest})` the mean heart-rate-reserve
    fraction, :math:`a, b` = 0.64, 1.92 for men and 0.86, 1.67 for women (the weighting follows
    the rise of blood lactate with intensity). Scalars or arrays (broadcast); ``sex`` is
    ``"male"``/``"female"`` or an array of them.
    """
    d = _non_negative(duration_min, "banister_trimp: duration (min)")
    x = _non_negative(hr_reserve_fraction, "banister_trimp: heart-rate-reserve fraction")
    if np.any(x > 1):
        raise ScenarioError(
            f"banister_trimp: heart-rate-reserve fraction must be <= 1, got {hr_reserve_fraction!r}"
        )
    s = np.asarray(sex)
    if not np.all(np.isin(s, tuple(TRIMP_WEIGHTING))):
        raise ScenarioError(f"banister_trimp: sex must be 'male' or 'female', got {sex!r}")
    a = np.where(s == "male", TRIMP_WEIGHTING["male"][0], TRIMP_WEIGHTING["female"][0])
    b = np.where(s == "male", TRIMP_WEIGHTING["male"][1], TRIMP_WEIGHTING["female"][1])
    return d * x * a * np.exp(b * x)


def session_rpe_load(rpe, duration_min) -> np.ndarray:
    """Foster's session load (AU): session RPE on the CR-10 scale x duration (min) (Foster et
    al. 2001). For resistance training, where heart rate understates the load. Not on the TRIMP
    scale: the default gains of :data:`PERFORMANCE` are for TRIMP."""
    r = _non_negative(rpe, "session_rpe_load: RPE")
    if np.any(r > RPE_SCALE_MAX):
        raise ScenarioError(f"session_rpe_load: RPE is on the CR-10 scale (0-10), got {rpe!r}")
    return r * _non_negative(duration_min, "session_rpe_load: duration (min)")


# -- sessions into the slow layer -----------------------------------------------------------


def fatigue_dose(fatigue_gain, load) -> np.ndarray:
    """The impulse into ``performance_fatigue`` of a session: k2(t_i) x w_i.

    ``fatigue_gain`` is ``performance_fatigue_gain`` read after the session's load was added
    to ``performance_fatigue_load`` (so Busso's k2 counts the session itself)."""
    w = _non_negative(load, "training load")
    k2 = np.asarray(fatigue_gain, dtype=float)
    if not np.all(np.isfinite(k2)) or np.any(k2 < 0):
        raise ParameterError(f"fatigue gain k2 must be finite and >= 0, got {fatigue_gain!r}")
    return k2 * w


class SessionTarget(Protocol):
    """What :func:`add_session` needs of the slow layer (``SlowLayer`` has both)."""

    def add(self, name: str, amount: np.ndarray) -> None: ...

    def value(self, name: str) -> np.ndarray: ...


def add_session(layer: SessionTarget, load) -> None:
    """Add one training session of ``load`` (AU, per subject) now: the three impulses, in the
    order the model needs (see the module docstring)."""
    w = _non_negative(load, "training load")
    layer.add(FITNESS, w)
    layer.add(FATIGUE_LOAD, w)
    layer.add(FATIGUE, fatigue_dose(layer.value(FATIGUE_GAIN), w))


# -- closed-form reference --------------------------------------------------------------------


@dataclass(frozen=True)
class ImpulseResponse:
    """Closed-form sums at the requested times, each ``(subjects, times)``."""

    fitness: np.ndarray  # g
    fatigue_load: np.ndarray  # K
    fatigue: np.ndarray  # h
    fatigue_gain: np.ndarray  # k2(t)
    performance: np.ndarray  # p


def _positive(x, what: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ParameterError(f"{what} must be > 0, got {x!r}")
    return a


def _column(x, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(x, dtype=float), (n,))[:, None]


def _decayed(dt: np.ndarray, counts: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """exp(-dt/tau) where ``counts``, 0 elsewhere (no overflow for negative dt)."""
    return np.where(counts, np.exp(-np.where(counts, dt, 0.0) / tau), 0.0)


def busso_response(
    times,
    session_times,
    loads,
    *,
    fitness_gain,
    fatigue_sensitivity,
    fitness_time,
    fatigue_time,
    sensitivity_time,
    fatigue_gain=0.0,
    baseline=1.0,
) -> ImpulseResponse:
    r"""Busso's (2003) sums in closed form, with an optional fixed fatigue gain.

    ``times`` ``(T,)``; ``session_times`` ``(N,)`` strictly increasing, or ``(S, N)``;
    ``loads`` ``(S, N)`` or ``(N,)``; parameters scalars or ``(S,)``; times and time constants
    in one unit (e.g. days). Session :math:`i` counts at :math:`t \ge t_i`; its fatigue gain is
    :math:`k_{2,0} + k_3 \sum_{j \le i} w_j e^{-(t_i - t_j)/\tau_3}`.
    """
    t = np.asarray(times, dtype=float).reshape(-1)
    w = np.atleast_2d(_non_negative(loads, "busso_response: loads"))
    s_times = np.atleast_2d(np.asarray(session_times, dtype=float))
    if s_times.shape[-1] != w.shape[-1]:
        raise ScenarioError(
            f"busso_response: {s_times.shape[-1]} session times for {w.shape[-1]} loads"
        )
    if np.any(np.diff(s_times, axis=-1) <= 0) or not np.all(np.isfinite(s_times)):
        raise ScenarioError("busso_response: session times must be finite and increasing")
    parameters = (fitness_gain, fatigue_gain, fatigue_sensitivity, baseline)
    constants = (fitness_time, fatigue_time, sensitivity_time)
    n = max(w.shape[0], s_times.shape[0], *(np.size(x) for x in (*parameters, *constants)))
    w = np.broadcast_to(w, (n, w.shape[-1]))
    s_times = np.broadcast_to(s_times, (n, w.shape[-1]))
    k1, k2, k3, p0 = (_column(x, n) for x in parameters)
    if np.any(k1 < 0) or np.any(k2 < 0) or np.any(k3 < 0):
        raise ParameterError("busso_response: gains k1, k2 and k3 must be >= 0")
    tau1, tau2, tau3 = (
        _column(_positive(x, f"busso_response: {name}"), n)
        for name, x in (("tau1", fitness_time), ("tau2", fatigue_time), ("tau3", sensitivity_time))
    )
    # k2 at each session, counting that session and the earlier ones: (S, N)
    lag = s_times[:, :, None] - s_times[:, None, :]  # (S, i, j)
    before = np.arange(w.shape[-1])[:, None] >= np.arange(w.shape[-1])[None, :]
    at_session = np.sum(w[:, None, :] * _decayed(lag, before, tau3[:, :, None]), axis=-1)
    dose = (k2 + k3 * at_session) * w
    # the sums at the requested times: (S, T)
    lag = t[None, :, None] - s_times[:, None, :]  # (S, T, N)
    counts = lag >= 0

    def summed(amount: np.ndarray, tau: np.ndarray) -> np.ndarray:
        return np.sum(amount[:, None, :] * _decayed(lag, counts, tau[:, :, None]), axis=-1)

    g, big_k, h = summed(w, tau1), summed(w, tau3), summed(dose, tau2)
    return ImpulseResponse(
        fitness=g,
        fatigue_load=big_k,
        fatigue=h,
        fatigue_gain=k2 + k3 * big_k,
        performance=p0 + k1 * g - h,
    )


def banister_response(
    times,
    session_times,
    loads,
    *,
    fitness_gain,
    fatigue_gain,
    fitness_time,
    fatigue_time,
    baseline=1.0,
) -> ImpulseResponse:
    """Banister's fitness–fatigue sums in closed form (Busso's with k3 = 0); see
    :func:`busso_response` for the shapes."""
    return busso_response(
        times,
        session_times,
        loads,
        fitness_gain=fitness_gain,
        fatigue_gain=fatigue_gain,
        fatigue_sensitivity=0.0,
        fitness_time=fitness_time,
        fatigue_time=fatigue_time,
        sensitivity_time=1.0,
        baseline=baseline,
    )


def _single_impulse_rate(k1, k2, tau1, tau2) -> float:
    if not (k2 > k1 > 0 and tau1 > tau2 > 0):
        raise ParameterError("needs k2 > k1 > 0 and tau1 > tau2 > 0 (fatigue larger, shorter)")
    return 1.0 / tau2 - 1.0 / tau1


def banister_crossing_time(k1: float, k2: float, tau1: float, tau2: float) -> float:
    """Time after one session at which its net effect turns positive,
    ln(k2/k1) / (1/tau2 - 1/tau1)."""
    return float(np.log(k2 / k1) / _single_impulse_rate(k1, k2, tau1, tau2))


def banister_peak_time(k1: float, k2: float, tau1: float, tau2: float) -> float:
    """Time after one session at which its net effect peaks,
    ln(k2 tau1 / (k1 tau2)) / (1/tau2 - 1/tau1)."""
    return float(np.log(k2 * tau1 / (k1 * tau2)) / _single_impulse_rate(k1, k2, tau1, tau2))


def busso_optimal_scale(time, session_times, pattern, **parameters) -> np.ndarray:
    """The factor c that maximises performance at ``time`` when the loads are c x
    ``pattern`` (``(N,)`` or ``(S, N)``), per subject ``(S,)``; ``parameters`` as
    :func:`busso_response`.

    Fitness is linear in c and fatigue quadratic, p - p0 = A c - B c^2, so two evaluations
    give A and B and the optimum is A / (2B) (infinite for B = 0, the fixed-gain model)."""
    one = busso_response([time], session_times, pattern, **parameters)
    two = busso_response([time], session_times, 2.0 * np.asarray(pattern, float), **parameters)
    p0 = _column(parameters.get("baseline", 1.0), one.performance.shape[0])
    gain1, gain2 = (r.performance[:, 0] - p0[:, 0] for r in (one, two))
    quadratic = (2.0 * gain1 - gain2) / 2.0
    linear = gain1 + quadratic
    with np.errstate(divide="ignore"):
        return np.where(quadratic > 0, linear / (2.0 * quadratic), np.inf)
