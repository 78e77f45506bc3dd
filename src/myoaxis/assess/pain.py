r"""Quantitative sensory tests of pain from the slow layer's state: pressure pain threshold
(algometry), conditioned pain modulation (CPM) and temporal summation (TS), and the back-pain
disability questionnaire.

Each test reads the slow-layer values at the test time, ``values[name] -> (S,)`` with
``central_sensitisation`` (:math:`G`) and ``descending_inhibition`` (:math:`D`), runs the
dorsal-horn gate of :mod:`myoaxis.physiology.brain.pain` and adds measurement noise from the
``numpy.random.Generator`` passed in. The site is the lumbar paraspinal muscles.

* **PPT** (kPa): the algometer pressure at which the T output reaches the pain criterion, times
  log-normal trial noise with CV ``pain.algometry.measurement_cv`` (median-preserving:
  :math:`e^{\sigma z}`, :math:`\sigma^2 = \ln(1 + CV^2)`).
* **CPM** (%): :math:`100\,(\mathrm{PPT}_{cond}/\mathrm{PPT}_{base} - 1)`, the threshold during
  a cold-pressor conditioning stimulus that adds the subject's CPM capacity
  ``pain.cpm.capacity`` to the descending inhibition, against the threshold before; each
  threshold is a noisy measurement, so the noise of a change score is that of two trials.
  Positive = inhibition (the usual "efficient CPM").
* **TS** (NRS points): a train of ``pain.temporal_summation.stimuli`` identical pressure pulses
  at ``interval`` s, the pressure set per subject so the first pulse is rated
  ``first_rating`` (noise-free calibration); TS is the rating of the last pulse minus that of
  the first, each rating with Gaussian noise ``rating_sd`` and clipped to 0-10. O'Brien et al.
  (2018) pooled studies using several TS indices (differences, ratios, slopes); we use the
  difference of last and first ratings, the common phasic index (e.g. Castelo-Branco 2022).
* **Disability** (0-100 points, Oswestry Disability Index-like): the slow layer's
  ``back_disability`` plus Gaussian questionnaire noise ``pain.disability.measurement_sd``,
  clipped to 0-100.

A handler calls, with ``slow`` the slow layer and ``body`` the subjects::

    values = {n: slow.value(n) for n in ("central_sensitisation", "descending_inhibition")}
    params = PainTestParameters.from_values(body.values)
    ppt = assess_pain_threshold(values, params, rng)      # (S,) kPa
    cpm = assess_cpm(values, params, rng)                 # (S,) %
    ts = assess_temporal_summation(values, params, rng)   # (S,) NRS points
    odi = assess_disability({"back_disability": slow.value("back_disability")}, params, rng)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.core.rng import SubjectRNG, standard_normal
from myoaxis.physiology.brain import pain as model

REQUIRED = (model.SENSITISATION, model.INHIBITION)
WHERE = "pain test"
Generators = SubjectRNG | np.random.Generator  # per-subject streams (a run) or one generator


@dataclass(frozen=True)
class PainTestParameters:
    """The gate's parameters and the test protocols', each ``(S,)`` (``stimuli`` an int)."""

    dorsal_horn: model.DorsalHornParameters
    measurement_cv: np.ndarray
    cpm_capacity: np.ndarray
    first_rating: np.ndarray
    stimuli: int
    interval: np.ndarray  # s
    rating_sd: np.ndarray
    disability_sd: np.ndarray  # 0-100 questionnaire points

    @classmethod
    def from_values(cls, values: model.Values) -> PainTestParameters:
        """Build from ``values(name, unit) -> (S,)`` (e.g. ``Body.values``)."""

        def v(name: str, unit: str = "dimensionless") -> np.ndarray:
            return np.asarray(values(name, unit), dtype=float)

        stimuli = v("pain.temporal_summation.stimuli")
        if stimuli.size == 0 or np.any(stimuli != stimuli.flat[0]):
            raise ParameterError("pain.temporal_summation.stimuli must be the same for everyone")
        count = float(stimuli.flat[0])
        if count != int(count) or count < 2:
            raise ParameterError(
                f"pain.temporal_summation.stimuli must be an integer >= 2, got {count:g}"
            )
        p = cls(
            dorsal_horn=model.DorsalHornParameters.from_values(values),
            measurement_cv=v("pain.algometry.measurement_cv"),
            cpm_capacity=v("pain.cpm.capacity"),
            first_rating=v("pain.temporal_summation.first_rating"),
            stimuli=int(count),
            interval=v("pain.temporal_summation.interval", "s"),
            rating_sd=v("pain.temporal_summation.rating_sd"),
            disability_sd=v("pain.disability.measurement_sd"),
        )
        for name in ("measurement_cv", "cpm_capacity", "rating_sd", "disability_sd"):
            a = getattr(p, name)
            if np.any(~np.isfinite(a) | (a < 0)):
                raise ParameterError(f"pain test parameter {name} must be >= 0, got {a!r}")
        if np.any(~np.isfinite(p.interval) | (p.interval <= 0)):
            raise ParameterError(
                f"pain.temporal_summation.interval must be > 0, got {p.interval!r}"
            )
        if np.any((p.first_rating <= 0) | (p.first_rating >= 10)):
            raise ParameterError(
                f"pain.temporal_summation.first_rating must lie in (0, 10), got {p.first_rating!r}"
            )
        return p


def _state(values: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    if missing := [n for n in REQUIRED if n not in values]:
        raise ScenarioError(f"pain tests need the slow-layer values {missing}")
    return (np.asarray(values[n], dtype=float) for n in REQUIRED)


def _trial_noise(cv: np.ndarray, shape: tuple[int, ...], rng: Generators) -> np.ndarray:
    sigma = np.sqrt(np.log1p(cv**2))
    return np.exp(sigma * standard_normal(rng, shape, WHERE))


def assess_pain_threshold(
    values: Mapping[str, np.ndarray], params: PainTestParameters, rng: Generators
) -> np.ndarray:
    """Measured pressure pain threshold (kPa), ``(S,)``."""
    g, d = _state(values)
    ppt = model.pressure_pain_threshold(g, d, params.dorsal_horn)
    return ppt * _trial_noise(params.measurement_cv, ppt.shape, rng)


def assess_cpm(
    values: Mapping[str, np.ndarray], params: PainTestParameters, rng: Generators
) -> np.ndarray:
    """Conditioned pain modulation (%, positive = inhibition), ``(S,)``."""
    g, d = _state(values)
    base = model.pressure_pain_threshold(g, d, params.dorsal_horn)
    conditioned = model.pressure_pain_threshold(g, d + params.cpm_capacity, params.dorsal_horn)
    before = base * _trial_noise(params.measurement_cv, base.shape, rng)
    during = conditioned * _trial_noise(params.measurement_cv, base.shape, rng)
    return 100.0 * (during / before - 1.0)


def assess_temporal_summation(
    values: Mapping[str, np.ndarray],
    params: PainTestParameters,
    rng: Generators,
    interval: float | np.ndarray | None = None,
) -> np.ndarray:
    """Temporal summation (NRS points, last minus first rating), ``(S,)``; ``interval`` (s)
    overrides the protocol's ``pain.temporal_summation.interval``."""
    g, d = _state(values)
    p = params.dorsal_horn
    target = model.output_for_rating(params.first_rating, p.nrs_scale)
    pressure = model.pressure_for_output(target, g, d, p)
    ratings = model.temporal_summation_ratings(
        pressure, g, d, p, params.stimuli, params.interval if interval is None else interval
    )
    first, last = ratings[..., 0], ratings[..., -1]
    noise = params.rating_sd * standard_normal(rng, (*first.shape, 2), WHERE).T
    return np.clip(last + noise[1], 0.0, 10.0) - np.clip(first + noise[0], 0.0, 10.0)


def assess_disability(
    values: Mapping[str, np.ndarray], params: PainTestParameters, rng: Generators
) -> np.ndarray:
    """Measured back-pain disability (0-100 points, Oswestry-like), ``(S,)``: the slow layer's
    ``back_disability`` with Gaussian questionnaire noise, clipped to the scale."""
    if model.DISABILITY not in values:
        raise ScenarioError(
            f"the disability questionnaire needs the slow-layer value {model.DISABILITY!r}"
        )
    score = np.asarray(values[model.DISABILITY], dtype=float)
    if np.any(~np.isfinite(score)):
        raise ScenarioError(f"pain: back disability must be finite, got {score!r}")
    noise = params.disability_sd * standard_normal(rng, score.shape, WHERE)
    return np.clip(score + noise, 0.0, 100.0)
