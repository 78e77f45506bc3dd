"""Motor-pool validation: recruitment, rate coding and the force–excitation curve.

Each case simulates the spiking Fuglevand pool of the ``healthy_adult`` preset's first dorsal
interosseous (120 units, RR 30; the muscle FWP modelled, whose pool keeps their peak-rate
profile) and measures what Fuglevand, Winter & Patla (1993) specify: recruitment by size, the last
unit recruited near 64 % of maximal excitation, rates from 8 Hz at recruitment to peak rates of
35 Hz (first unit) and 25 Hz (last unit), and the normalised force–excitation curve.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.physiology.neural import motor_pool
from myoaxis.validation.registry import ValidationCase, register

_DT = 1e-3  # s
# Normalised force at E/E_max = 0.1 ... 0.9, derived from the FWP 1993 equations (deterministic
# mean-force approximation; MyoAxis science notes, neuromuscular.md section 1.2).
_FE_TABLE = {
    0.1: 0.034,
    0.2: 0.099,
    0.3: 0.185,
    0.4: 0.293,
    0.5: 0.419,
    0.6: 0.561,
    0.7: 0.710,
    0.8: 0.851,
    0.9: 0.958,
}


@cache
def _pool() -> motor_pool.PoolProperties:
    """The FDI pool of a healthy 30-year-old man (the FWP 1993 organisation)."""
    body = Body([subject_parameters("healthy_adult", "male", 30)], np.array([75.0]))
    return body.pool("first_dorsal_interosseous")


def simulate(u_of_t, duration: float, seed: int = 1):
    """Spiking pool under excitation ``u(t)``: force ``(T,)`` and spike counts ``(T, units)``."""
    props = _pool()
    state = motor_pool.PoolState.rest(props)
    rng = SubjectRNG(subject_streams(seed, 1))
    n = round(duration / _DT)
    force = np.empty(n)
    spikes = np.empty((n, props.n_units), dtype=np.int64)
    for k in range(n):
        f, s = motor_pool.advance(state, props, np.array([u_of_t(k * _DT)]), k * _DT, _DT, rng)
        force[k], spikes[k] = f[0], s[0]
    return force, spikes


@cache
def _ramp(duration: float = 60.0):
    return simulate(lambda t: t / duration, duration)


def size_principle_order() -> float:
    """Fraction of adjacent unit pairs (by twitch size) recruited in size order during a ramp."""
    _force, spikes = _ramp()
    first = spikes.argmax(axis=0)
    return float(np.mean(np.diff(first) >= 0))


def last_unit_recruitment() -> float:
    """Excitation (% of maximum) at the last unit's first spike during a 60-s ramp."""
    _force, spikes = _ramp()
    return 100.0 * (spikes[:, -1].argmax() + 1) * _DT / 60.0


def _rates(u: float, duration: float = 10.0) -> np.ndarray:
    _f, spikes = simulate(lambda _t: u, duration, seed=2)
    return spikes[round(1.0 / _DT) :].sum(axis=0) / (duration - 1.0)


def first_unit_peak_rate() -> float:
    return float(_rates(1.0)[0])


def last_unit_peak_rate() -> float:
    return float(_rates(1.0)[-1])


def rate_at_recruitment() -> float:
    """Mean rate of the unit recruited at 30 % excitation, held just above its threshold."""
    props = _pool()
    u_thr = props.threshold[0] / props.e_max[0, 0]
    i = int(np.searchsorted(u_thr, 0.3))
    return float(_rates(u_thr[i] * 1.0005)[i])


def force_excitation_error() -> float:
    """Largest absolute deviation of the ramp's normalised force from the FWP 1993 curve."""
    force, _ = _ramp()
    u = np.arange(1, force.size + 1) * _DT / 60.0
    f_max = force[u > 0.98].mean()
    err = [abs(force[np.abs(u - e) < 0.01].mean() / f_max - ref) for e, ref in _FE_TABLE.items()]
    return float(max(err))


for case in (
    ValidationCase(
        "size_principle",
        "Units are recruited in order of twitch size during a slow ramp of excitation",
        "fuglevand1993",
        "fraction",
        (1.0, 1.0),
        size_principle_order,
        "recruitment order = size order (Henneman)",
    ),
    ValidationCase(
        "last_unit_recruitment",
        "Excitation at which the last unit is recruited (RR = 30)",
        "fuglevand1993",
        "%",
        (62.8, 64.8),
        last_unit_recruitment,
        "63.8 % of maximal excitation",
    ),
    ValidationCase(
        "first_unit_peak_rate",
        "Firing rate of the first unit at maximal excitation",
        "fuglevand1993",
        "Hz",
        (33.25, 36.75),
        first_unit_peak_rate,
        "35 Hz (±5 %)",
    ),
    ValidationCase(
        "last_unit_peak_rate",
        "Firing rate of the last unit at maximal excitation",
        "fuglevand1993",
        "Hz",
        (23.75, 26.25),
        last_unit_peak_rate,
        "25 Hz (±5 %)",
    ),
    ValidationCase(
        "rate_at_recruitment",
        "Firing rate of a unit just above its recruitment threshold",
        "fuglevand1993",
        "Hz",
        (7.6, 8.4),
        rate_at_recruitment,
        "8 Hz (±5 %)",
    ),
    ValidationCase(
        "force_excitation_curve",
        "Largest deviation of the spiking pool's "
        "normalised force from the FWP 1993 force–excitation curve (60-s ramp)",
        "fuglevand1993",
        "of max force",
        (0.0, 0.03),
        force_excitation_error,
        "within 0.03 at E/Emax = 0.1…0.9",
    ),
):
    register(case)
