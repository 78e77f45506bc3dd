r"""Premotor/SMA preparation and simple reaction time: Carpenter's LATER model.

After a go stimulus, the visual signal reaches the premotor/supplementary motor areas after an
afferent delay :math:`t_a`. There a preparation (decision) signal rises linearly from its
resting level at a rate :math:`r` until it has climbed :math:`\theta` (threshold minus start
level), when the motor command is released to M1 and the corticospinal tract; the muscle then
produces measurable force after its electromechanical delay. The rate of rise varies from
trial to trial, :math:`r \sim N(\mu, \sigma)` (Carpenter & Williams 1995), so that

.. math::
    RT = t_a + \frac{\theta}{r} + t_e, \qquad
    t_e = t_{cs} + t_{emd} + s_{age}\,(\text{age} - \text{age}_{ref}),

where :math:`t_{cs}` is the corticospinal (MEP) latency and :math:`t_{emd}` the electromechanical
delay. The reciprocal of the decision time, :math:`1/(RT - t_0)` with
:math:`t_0 = t_a + t_e`, is normally distributed ("recinormal" latencies), the median latency is
:math:`t_0 + \theta/\mu`, and
:math:`P(RT \le t) = 1 - \Phi\big((\theta/(t - t_0) - \mu)/\sigma\big)` for :math:`t > t_0`.
A trial whose rate is not positive never reaches threshold (no response).

Why LATER rather than a drift-diffusion model: a simple reaction has one response and no
errors, so a single accumulator suffices; LATER's closed-form distribution is checkable against
data by its reciprobit straight line, and its one rate of rise *is* the slope of the
pre-movement (readiness) activity that a condition reduces (``premotor.slope_factor`` scales
:math:`\mu`; :math:`\sigma` is kept, so a shallower mean slope also makes latencies more
variable). The age slope of simple RT is put on the efferent side because stimulus-detection
time does not change with age (Woods et al. 2015).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from myoaxis.core.errors import ParameterError, ScenarioError, SimulationError
from myoaxis.core.rng import SubjectRNG

Values = Callable[[str, str], np.ndarray]
STATISTICS = ("mean", "median")
TESTS = {"reaction_time": "visual simple reaction time, mean (or median) of the valid trials, s"}


@dataclass(frozen=True)
class PremotorParameters:
    """Arrays ``(S,)``: delays in s, the threshold (dimensionless) and rates in 1/s."""

    afferent_delay: np.ndarray  # stimulus to the start of the premotor rise
    efferent_delay: np.ndarray  # threshold crossing to force onset (corticospinal + EMD + age)
    threshold: np.ndarray  # theta: rise from resting level to threshold
    rate_mean: np.ndarray  # mu: mean rate of rise (slope factor applied)
    rate_sd: np.ndarray  # sigma: trial-to-trial SD of the rate

    @classmethod
    def from_values(
        cls, values: Values, age_years: float | np.ndarray | list[float]
    ) -> PremotorParameters:
        """Build from ``values(name, unit) -> (S,)`` (``premotor.*``) and the subjects' ages."""

        def v(name: str, unit: str) -> np.ndarray:
            return np.asarray(values(f"premotor.{name}", unit), dtype=float)

        mean = v("rate_mean", "1/s")
        age = np.broadcast_to(np.asarray(age_years, dtype=float), mean.shape)
        efferent = (
            v("corticospinal_delay", "s")
            + v("electromechanical_delay", "s")
            + v("age_slope", "s/year") * (age - v("reference_age", "year"))
        )
        p = cls(
            afferent_delay=v("afferent_delay", "s"),
            efferent_delay=efferent,
            threshold=v("threshold", "dimensionless"),
            rate_mean=mean * v("slope_factor", "dimensionless"),
            rate_sd=mean * v("rate_cv", "dimensionless"),
        )
        p.check()
        return p

    def check(self) -> None:
        if np.any(~(self.afferent_delay >= 0)) or np.any(~(self.efferent_delay >= 0)):
            raise ParameterError(
                "premotor: the afferent delay and the efferent delay (corticospinal + "
                "electromechanical + age term) must be >= 0 s"
            )
        if np.any(~(self.threshold > 0)) or np.any(~(self.rate_mean > 0)):
            raise ParameterError("premotor: threshold, rate_mean and slope_factor must be positive")
        if np.any(~(self.rate_sd >= 0)):
            raise ParameterError("premotor: rate_cv must be >= 0")

    @property
    def non_decision_time(self) -> np.ndarray:
        """``t0 = afferent + efferent delay`` (s), ``(S,)``."""
        return self.afferent_delay + self.efferent_delay

    @property
    def median_reaction_time(self) -> np.ndarray:
        """Median latency ``t0 + theta/mu`` (s), exact: RT falls as the rate rises, ``(S,)``."""
        return self.non_decision_time + self.threshold / self.rate_mean


def _trials(n_trials: int) -> int:
    if isinstance(n_trials, bool) or int(n_trials) != n_trials or n_trials < 1:
        raise ScenarioError(f"reaction time: trials must be a positive integer (got {n_trials!r})")
    return int(n_trials)


def rates(p: PremotorParameters, n_trials: int, rng: SubjectRNG) -> np.ndarray:
    """Rates of rise ``(S, n_trials)`` (1/s), row ``s`` drawn from subject ``s``'s generator."""
    k = _trials(n_trials)
    n = p.rate_mean.shape[0]
    if len(rng) != n:
        raise SimulationError(f"reaction time: {len(rng)} random streams for {n} subjects")
    return p.rate_mean[:, None] + p.rate_sd[:, None] * rng.normal((n, k))


def reaction_times(p: PremotorParameters, n_trials: int, rng: SubjectRNG) -> np.ndarray:
    """Latencies ``(S, n_trials)`` (s) from stimulus to force onset; ``inf`` where the rate was
    not positive (the signal never reached threshold: no response)."""
    r = rates(p, n_trials, rng)
    decision = np.divide(p.threshold[:, None], r, out=np.full_like(r, np.inf), where=r > 0)
    return p.non_decision_time[:, None] + decision


def reaction_time_cdf(p: PremotorParameters, times: np.ndarray) -> np.ndarray:
    """``P(RT <= t)`` at ``times (N,)`` s, ``(S, N)``; below 1 as t grows when responses can be
    missing (``P(r <= 0) > 0``)."""
    t = np.asarray(times, dtype=float)[None, :]
    decision = t - p.non_decision_time[:, None]
    mu, sd, theta = p.rate_mean[:, None], p.rate_sd[:, None], p.threshold[:, None]
    needed = np.divide(theta, decision, out=np.full_like(decision, np.inf), where=decision > 0)
    z = np.divide(mu - needed, sd, out=np.zeros_like(needed), where=sd > 0)
    cdf = np.where(sd > 0, ndtr(z), (needed <= mu).astype(float))
    return np.where(decision > 0, cdf, 0.0)


def preparation_trace(
    p: PremotorParameters, times: np.ndarray, rate: np.ndarray | None = None
) -> np.ndarray:
    """Premotor activity (fraction of the threshold rise) at ``times (N,)`` s after the
    stimulus, ``(S, N)``: 0 until the afferent delay, then rising at ``rate (S,)`` (default:
    the mean rate) until it reaches 1, when the command is released; it is held there."""
    r = p.rate_mean if rate is None else np.broadcast_to(np.asarray(rate, float), p.threshold.shape)
    t = np.asarray(times, dtype=float)[None, :] - p.afferent_delay[:, None]
    return np.clip(r[:, None] * np.maximum(t, 0.0) / p.threshold[:, None], 0.0, 1.0)


@dataclass(frozen=True)
class ReactionTimeProtocol:
    """A simple-RT test: ``trials`` responses, kept when within ``[min_valid, max_valid]`` s
    (faster = anticipation, slower or none = lapse), summarised by ``statistic``."""

    trials: int
    min_valid: float
    max_valid: float
    statistic: str = "mean"

    def __post_init__(self) -> None:
        _trials(self.trials)
        if self.statistic not in STATISTICS:
            raise ScenarioError(
                f"reaction time: statistic must be one of {', '.join(STATISTICS)} "
                f"(got {self.statistic!r})"
            )
        if not 0 <= self.min_valid < self.max_valid:
            raise ParameterError(
                "reaction time: need 0 <= min_valid < max_valid "
                f"(got {self.min_valid:g} s, {self.max_valid:g} s)"
            )

    @classmethod
    def from_values(cls, values: Values, statistic: str = "mean") -> ReactionTimeProtocol:
        """Defaults from ``assess.reaction_time_*`` (one protocol for the whole batch)."""

        def one(name: str, unit: str) -> float:
            a = np.asarray(values(f"assess.reaction_time_{name}", unit), dtype=float)
            if a.size and np.any(a != a.flat[0]):
                raise ParameterError(f"assess.reaction_time_{name} must be equal across a batch")
            return float(a.flat[0])

        return cls(
            trials=int(one("trials", "dimensionless")),
            min_valid=one("min_valid", "s"),
            max_valid=one("max_valid", "s"),
            statistic=statistic,
        )


@dataclass(frozen=True)
class ReactionTimeTest:
    """Trial latencies ``times (S, trials)`` (s, ``inf`` = no response) and their summary."""

    times: np.ndarray
    protocol: ReactionTimeProtocol

    @property
    def valid(self) -> np.ndarray:
        pr = self.protocol
        return (self.times >= pr.min_valid) & (self.times <= pr.max_valid)

    @property
    def n_valid(self) -> np.ndarray:
        return self.valid.sum(axis=1)

    @property
    def anticipations(self) -> np.ndarray:
        """Responses faster than ``min_valid`` per subject, ``(S,)``."""
        return (self.times < self.protocol.min_valid).sum(axis=1)

    @property
    def lapses(self) -> np.ndarray:
        """Responses slower than ``max_valid`` (or none) per subject, ``(S,)``."""
        return (self.times > self.protocol.max_valid).sum(axis=1)

    def _kept(self) -> np.ndarray:
        return np.where(self.valid, self.times, np.nan)

    @property
    def score(self) -> np.ndarray:
        """Mean or median latency (s) of the valid trials, NaN without any, ``(S,)``."""
        kept = self._kept()
        out = np.full(kept.shape[0], np.nan)
        some = self.n_valid > 0
        f = np.nanmean if self.protocol.statistic == "mean" else np.nanmedian
        out[some] = f(kept[some], axis=1)
        return out

    @property
    def sd(self) -> np.ndarray:
        """Within-subject SD (s) of the valid latencies, NaN with fewer than two, ``(S,)``."""
        kept = self._kept()
        out = np.full(kept.shape[0], np.nan)
        some = self.n_valid > 1
        out[some] = np.nanstd(kept[some], axis=1, ddof=1)
        return out


def reaction_time_test(
    p: PremotorParameters, protocol: ReactionTimeProtocol, rng: SubjectRNG
) -> ReactionTimeTest:
    """One run of the simple reaction-time test ('Assess reaction_time')."""
    return ReactionTimeTest(reaction_times(p, protocol.trials, rng), protocol)
