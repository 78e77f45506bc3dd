r"""Surface EMG synthesised from motor-unit spike trains, and its fatigue indices.

Template model (neuromuscular notes §5.1, option 1): every discharge ``k`` of unit ``i`` adds
one motor-unit action potential (MUAP),

.. math::

    EMG(t) = \sum_k A_i\, h\!\left(\frac{t - t_k}{\lambda_k}\right) + \text{noise},\qquad
    h(u) = \sqrt{2e}\; u\, e^{-u^2},

the first-order Hermite–Rodriguez function of Lo Conte, Merletti & Sandri (1994), scaled so
that its peak is 1 (the peak, :math:`1/\sqrt{2e}`, lies at :math:`u = 1/\sqrt 2`). ``A_i`` is
the unit's peak amplitude (mV) and :math:`\lambda_k` the width of this discharge's MUAP (s).
Spike times are continuous: each template is evaluated at the exact sample times, so there is
no time grid below the output's sampling period.

Per-unit properties (arrays ``(subjects, units)``; :func:`unit_amplitude`,
:func:`unit_conduction_velocity`, :func:`muap_width`):

* amplitude :math:`A_i = A_1 (P_i/P_1)^{\gamma} e^{-d_i/\delta}` — size from the twitch
  amplitude ``P`` (fibre number taken proportional to twitch force, as in Fuglevand, Winter &
  Patla 1993), exponent :math:`\gamma` (0.5: a territory whose area grows with fibre number,
  seen through a few millimetres of tissue), and depth :math:`d_i \sim U(0, d_{max})` drawn per
  unit, attenuated over the length :math:`\delta` (Fuglevand et al. 1992: units farther than
  10–12 mm from the electrodes add little signal energy);
* conduction velocity: faster-twitch units conduct faster, linearly in contraction speed
  :math:`1/T_i` from :math:`v_{slow}` (slowest-twitch unit) to :math:`v_{fast}`;
* fresh MUAP width :math:`\lambda_i = \lambda_{ref}\, v_{ref} / v_i` (a MUAP is a spatial
  profile travelling at :math:`v`, so its duration scales as :math:`1/v`).

Fatigue acts per discharge through the unit's capacity ``c`` at that spike (1 fresh):

.. math::

    v_k = v_i\,[1 - k_v (1 - c_k)],\qquad
    \lambda_k = \lambda_i \frac{1 + k_w (1 - c_k)}{1 - k_v (1 - c_k)}.

:math:`k_v` slows conduction (metabolite accumulation; spectral compression of Lindström &
Magnusson, MNF ∝ CV); :math:`k_w` lengthens the intracellular action potential beyond what the
slowing explains (Dimitrova & Dimitrov 2003), so that the median frequency falls more than the
conduction velocity, as measured (Rainoldi et al. 1999; Merletti, Knaflitz & De Luca 1990).
The peak is kept, so a wider MUAP carries more energy and the RMS of the same spikes rises.

Indices: :func:`rms`, :func:`median_frequency` and :func:`mean_frequency` over consecutive
windows (Welch periodogram per window), and :func:`conduction_velocity_trace`, the mean
conduction velocity of the discharges in each window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import e, sqrt

import numpy as np
from scipy.signal import welch

from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.core.parameters import ParameterSet
from myoaxis.core.rng import SubjectRNG

_PEAK_GAIN = sqrt(2.0 * e)  # makes the Hermite–Rodriguez peak equal to 1
_TRUNCATION = 3.5  # template support ≥ ±3.5 λ; |h| < 4e-5 of the peak beyond it
_CHUNK = 1 << 16  # template samples evaluated per vectorised block (memory bound)

RNGLike = np.random.Generator | SubjectRNG | Sequence[np.random.Generator]


@dataclass(frozen=True)
class EMGParameters:
    """The ``[emg]`` parameters in the units the kernels take (SI, amplitudes in mV)."""

    sampling_rate: float  # Hz
    cv_slowest: float  # m/s
    cv_fastest: float  # m/s
    cv_reference: float  # m/s
    template_width: float  # s, λ at cv_reference
    amplitude_smallest: float  # mV
    amplitude_exponent: float
    depth_max: float  # mm
    attenuation_length: float  # mm
    cv_fatigue_slope: float
    width_fatigue_slope: float
    noise_rms: float  # mV
    window: float  # s
    welch_segment: float  # s

    @classmethod
    def from_parameters(cls, p: ParameterSet) -> EMGParameters:
        """Read ``emg.*`` from a parameter set."""
        return cls(
            sampling_rate=p.value_in("emg.sampling_rate", "Hz"),
            cv_slowest=p.value_in("emg.cv_slowest", "m/s"),
            cv_fastest=p.value_in("emg.cv_fastest", "m/s"),
            cv_reference=p.value_in("emg.cv_reference", "m/s"),
            template_width=p.value_in("emg.template_width", "s"),
            amplitude_smallest=p.value_in("emg.amplitude_smallest", "mV"),
            amplitude_exponent=p.value("emg.amplitude_exponent"),
            depth_max=p.value_in("emg.depth_max", "mm"),
            attenuation_length=p.value_in("emg.attenuation_length", "mm"),
            cv_fatigue_slope=p.value("emg.cv_fatigue_slope"),
            width_fatigue_slope=p.value("emg.width_fatigue_slope"),
            noise_rms=p.value_in("emg.noise_rms", "mV"),
            window=p.value_in("emg.window", "s"),
            welch_segment=p.value_in("emg.welch_segment", "s"),
        )

    def __post_init__(self) -> None:
        positive = ("sampling_rate", "cv_slowest", "cv_reference", "template_width", "window")
        for name in (*positive, "attenuation_length", "welch_segment", "amplitude_smallest"):
            if not getattr(self, name) > 0:
                raise ParameterError(f"emg.{name} must be positive, got {getattr(self, name)!r}")
        if self.cv_fastest < self.cv_slowest:
            raise ParameterError("emg.cv_fastest must not be below emg.cv_slowest")
        if self.depth_max < 0 or self.noise_rms < 0 or self.width_fatigue_slope < 0:
            raise ParameterError("emg.depth_max, noise_rms and width_fatigue_slope must be >= 0")
        _check_cv_slope(self.cv_fatigue_slope)


def _check_cv_slope(k: float | np.ndarray) -> None:
    if np.any(np.asarray(k) < 0) or np.any(np.asarray(k) >= 1):
        raise ParameterError(
            "emg.cv_fatigue_slope must lie in [0, 1) so that conduction velocity stays positive"
        )


def hermite_rodriguez(t: np.ndarray, width: np.ndarray | float) -> np.ndarray:
    """First-order Hermite–Rodriguez MUAP with unit peak: :math:`\\sqrt{2e}\\,u e^{-u^2}`,
    :math:`u = t/\\lambda`."""
    u = np.asarray(t, dtype=float) / width
    return _PEAK_GAIN * u * np.exp(-u * u)


def _uniform(rng: RNGLike, shape: tuple[int, ...]) -> np.ndarray:
    """Uniform [0, 1) draws of ``shape``; row ``s`` from subject ``s``'s generator if given."""
    if isinstance(rng, np.random.Generator):
        return rng.random(shape)
    generators = rng.generators if isinstance(rng, SubjectRNG) else list(rng)
    if len(shape) != 2 or len(generators) != shape[0]:
        raise ParameterError(
            f"{len(generators)} generators cannot fill per-unit draws of shape {shape}; "
            "give one generator per subject (leading axis)"
        )
    return np.stack([g.random(shape[1:]) for g in generators])


def unit_amplitude(
    twitch_peak: np.ndarray,
    rng: RNGLike,
    *,
    amplitude_smallest: float,
    amplitude_exponent: float,
    depth_max: float,
    attenuation_length: float,
) -> np.ndarray:
    """Peak MUAP amplitude per unit (mV): :math:`A_1 (P/P_{min})^\\gamma e^{-d/\\delta}`.

    ``twitch_peak`` is ``(units,)`` or ``(subjects, units)``; each unit's depth ``d`` is drawn
    uniformly in ``[0, depth_max]`` (mm) from ``rng`` (one generator, or one per subject).
    """
    p = np.asarray(twitch_peak, dtype=float)
    if p.ndim not in (1, 2) or p.shape[-1] == 0 or not np.all(np.isfinite(p) & (p > 0)):
        raise ParameterError("twitch_peak must be a non-empty (units,) or (subjects, units) array")
    size = p / p.min(axis=-1, keepdims=True)
    depth = depth_max * _uniform(rng, p.shape)
    return amplitude_smallest * size**amplitude_exponent * np.exp(-depth / attenuation_length)


def unit_conduction_velocity(
    contraction_time: np.ndarray, *, cv_slowest: float, cv_fastest: float
) -> np.ndarray:
    """Fresh conduction velocity per unit (m/s), linear in contraction speed ``1/T``.

    The unit with the longest contraction time conducts at ``cv_slowest``, the one with the
    shortest at ``cv_fastest``; with Fuglevand's contraction times (90 → 30 ms over an
    exponential size range) the unweighted mean over 120 units is 4.0 m/s for 3–5.5 m/s.
    """
    t = np.asarray(contraction_time, dtype=float)
    if t.ndim not in (1, 2) or t.shape[-1] == 0 or not np.all(np.isfinite(t) & (t > 0)):
        raise ParameterError(
            "contraction_time must be a non-empty (units,) or (subjects, units) array of "
            "positive times"
        )
    speed = 1.0 / t
    low = speed.min(axis=-1, keepdims=True)
    span = speed.max(axis=-1, keepdims=True) - low
    position = np.divide(speed - low, span, out=np.full_like(speed, 0.5), where=span > 0)
    return cv_slowest + (cv_fastest - cv_slowest) * position


def muap_width(
    conduction_velocity: np.ndarray, *, template_width: float, cv_reference: float
) -> np.ndarray:
    """Fresh MUAP width per unit (s): :math:`\\lambda_{ref} v_{ref} / v`."""
    return template_width * cv_reference / np.asarray(conduction_velocity, dtype=float)


def fatigued_conduction_velocity(
    cv_fresh: np.ndarray, capacity: np.ndarray, cv_fatigue_slope: float | np.ndarray
) -> np.ndarray:
    """:math:`v = v_0 [1 - k_v (1 - c)]`."""
    _check_cv_slope(cv_fatigue_slope)
    return cv_fresh * (1.0 - cv_fatigue_slope * (1.0 - np.asarray(capacity, dtype=float)))


def width_factor(
    capacity: np.ndarray, cv_fatigue_slope: float | np.ndarray, width_fatigue_slope: float
) -> np.ndarray:
    """Widening of a discharge's MUAP at capacity ``c``: :math:`(1 + k_w(1-c))/(1 - k_v(1-c))`."""
    _check_cv_slope(cv_fatigue_slope)
    loss = 1.0 - np.asarray(capacity, dtype=float)
    return (1.0 + width_fatigue_slope * loss) / (1.0 - cv_fatigue_slope * loss)


@dataclass(frozen=True)
class _Events:
    subject: np.ndarray  # (k,) int
    unit: np.ndarray  # (k,) int
    time: np.ndarray  # (k,) s
    capacity: np.ndarray  # (k,)
    n_subjects: int
    n_samples: int


def _events(
    unit, time, capacity, subject, per_unit: np.ndarray, fs: float, duration: float
) -> _Events:
    """Validate spike events against the per-unit table ``(subjects, units)``."""
    if not (np.isfinite(fs) and fs > 0):
        raise SimulationError(f"EMG sampling rate must be positive, got {fs!r}")
    if not (np.isfinite(duration) and duration > 0):
        raise SimulationError(f"EMG duration must be positive, got {duration!r}")
    unit = np.asarray(unit)
    time = np.asarray(time, dtype=float)
    capacity = np.asarray(capacity, dtype=float)
    n_subjects, n_units = per_unit.shape
    subject = np.zeros(unit.shape, dtype=np.intp) if subject is None else np.asarray(subject)
    shapes = {a.shape for a in (unit, time, capacity, subject)}
    if len(shapes) != 1 or unit.ndim != 1:
        raise SimulationError(
            "spike events unit, time, capacity (and subject) must be 1-D arrays of one length, "
            f"got shapes {[a.shape for a in (unit, time, capacity, subject)]}"
        )
    for name, idx, top in (("unit", unit, n_units), ("subject", subject, n_subjects)):
        if idx.size and (
            not np.issubdtype(idx.dtype, np.integer) or idx.min() < 0 or idx.max() >= top
        ):
            raise SimulationError(f"spike {name} indices must be integers in [0, {top})")
    if not np.all(np.isfinite(time)):
        raise SimulationError("spike times must be finite")
    if np.any((capacity < 0) | (capacity > 1)) or not np.all(np.isfinite(capacity)):
        raise SimulationError("spike capacities must lie in [0, 1]")
    return _Events(
        subject.astype(np.intp),
        unit.astype(np.intp),
        time,
        capacity,
        n_subjects,
        round(duration * fs),
    )


def synthesize(
    unit: np.ndarray,
    time: np.ndarray,
    capacity: np.ndarray,
    amplitude: np.ndarray,
    base_width: np.ndarray,
    *,
    cv_fatigue_slope: float | np.ndarray,
    width_fatigue_slope: float | np.ndarray,
    fs: float,
    duration: float,
    subject: np.ndarray | None = None,
    noise_rms: float = 0.0,
    rng: RNGLike | None = None,
) -> np.ndarray:
    """Sum one Hermite–Rodriguez MUAP per discharge; EMG in mV at ``fs`` over ``duration``.

    ``unit``, ``time`` (s from the bout's start, continuous) and ``capacity`` (the unit's
    capacity at that spike, in [0, 1]) are 1-D arrays of one length; ``subject`` (default all
    0) says whose spike it is. ``amplitude`` (mV) and ``base_width`` (fresh λ, s) are
    ``(units,)`` or ``(subjects, units)``; the fatigue slopes are scalars or broadcast to that
    shape. Samples lie at ``n / fs``, ``n = 0 … round(duration·fs) − 1``; a MUAP centred near
    an edge is cut there. White Gaussian noise of ``noise_rms`` (mV) comes from ``rng`` (one
    generator, or one per subject). Returns ``(samples,)`` for 1-D ``amplitude``, else
    ``(subjects, samples)``.
    """
    amp = np.asarray(amplitude, dtype=float)
    one_subject = amp.ndim == 1
    amp2 = np.atleast_2d(amp)
    if amp2.ndim != 2 or amp2.shape[1] == 0 or not np.all(np.isfinite(amp2)):
        raise SimulationError("MUAP amplitudes must be a finite (units,) or (subjects, units)")
    width2 = np.broadcast_to(np.asarray(base_width, dtype=float), amp2.shape)
    if not np.all(np.isfinite(width2) & (width2 > 0)):
        raise SimulationError("MUAP widths must be finite and positive")
    _check_cv_slope(cv_fatigue_slope)
    if np.any(np.asarray(width_fatigue_slope) < 0):
        raise ParameterError("emg.width_fatigue_slope must be >= 0")
    if noise_rms < 0:
        raise ParameterError(f"emg.noise_rms must be >= 0, got {noise_rms!r}")
    if noise_rms > 0 and rng is None:
        raise ParameterError("EMG measurement noise needs a random generator (rng)")
    ev = _events(unit, time, capacity, subject, amp2, fs, duration)
    k_v = np.broadcast_to(np.asarray(cv_fatigue_slope, dtype=float), amp2.shape)
    k_w = np.broadcast_to(np.asarray(width_fatigue_slope, dtype=float), amp2.shape)
    idx = (ev.subject, ev.unit)
    loss = 1.0 - ev.capacity
    lam = width2[idx] * (1.0 + k_w[idx] * loss) / (1.0 - k_v[idx] * loss) * fs  # in samples
    out = _scatter_templates(ev.subject, ev.time * fs, amp2[idx], lam, ev.n_subjects, ev.n_samples)
    if noise_rms > 0:
        if isinstance(rng, np.random.Generator):
            noise = rng.standard_normal(out.shape)
        else:
            generators = rng.generators if isinstance(rng, SubjectRNG) else list(rng)
            if len(generators) != out.shape[0]:
                raise ParameterError(
                    f"{len(generators)} generators for {out.shape[0]} subjects' EMG noise"
                )
            noise = np.stack([g.standard_normal(out.shape[1]) for g in generators])
        out += noise_rms * noise
    return out[0] if one_subject else out


def _scatter_templates(
    subject: np.ndarray,
    centre: np.ndarray,
    amplitude: np.ndarray,
    width: np.ndarray,
    n_subjects: int,
    n_samples: int,
) -> np.ndarray:
    """Add ``amplitude·h((n − centre)/width)`` into ``(subjects, samples)`` (all in samples).

    Discharges are grouped by support half-length (to a few samples), and each group is one
    vectorised outer evaluation and one ``bincount`` into a padded output: no loop over units.
    """
    step = 4  # support half-lengths are grouped to multiples of 4 samples
    nearest = np.rint(centre)
    half = np.ceil(np.ceil(_TRUNCATION * width) / step).astype(np.intp) * step
    keep = (nearest + half >= 0) & (nearest - half <= n_samples - 1)  # overlaps the record
    pad = 2 * int(half[keep].max(initial=0)) + 1
    length = n_samples + 2 * pad
    out = np.zeros(n_subjects * length)
    subject, nearest, half = subject[keep], nearest[keep], half[keep]
    amplitude, width, frac = amplitude[keep], width[keep], nearest - centre[keep]
    base = subject * length + nearest.astype(np.intp) + pad
    order = np.lexsort((base, half))  # by support length, then by position in the output
    bounds = np.flatnonzero(np.diff(half[order])) + 1
    for block in np.split(order, bounds) if order.size else []:
        h = int(half[block[0]])
        offsets = np.arange(-h, h + 1, dtype=np.intp)
        per_chunk = max(1, _CHUNK // offsets.size)
        for start in range(0, block.size, per_chunk):
            sel = block[start : start + per_chunk]  # consecutive in time: a short output span
            u = (offsets[None, :] + frac[sel, None]) / width[sel, None]
            values = (_PEAK_GAIN * amplitude[sel])[:, None] * u * np.exp(-u * u)
            first = int(base[sel[0]]) - h
            span = int(base[sel[-1]]) + h + 1 - first
            out[first : first + span] += np.bincount(
                (base[sel, None] - first + offsets[None, :]).ravel(),
                weights=values.ravel(),
                minlength=span,
            )
    return out.reshape(n_subjects, length)[:, pad : pad + n_samples].copy()


def conduction_velocity_trace(
    unit: np.ndarray,
    time: np.ndarray,
    capacity: np.ndarray,
    cv_fresh: np.ndarray,
    *,
    cv_fatigue_slope: float | np.ndarray,
    duration: float,
    window: float,
    subject: np.ndarray | None = None,
    weight: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Mean conduction velocity (m/s) of the discharges in each window.

    ``weight`` (``(units,)`` or ``(subjects, units)``, e.g. squared MUAP amplitudes to mimic
    an amplitude-dominated surface estimate) weights each discharge by its unit; default 1.
    Returns window centres ``(W,)`` and values ``(W,)`` or ``(subjects, W)``; NaN where no
    unit fired. Windows are consecutive and whole: ``W = floor(duration / window)``.
    """
    if not (np.isfinite(window) and window > 0):
        raise SimulationError(f"conduction velocity window must be positive, got {window!r}")
    cv0 = np.asarray(cv_fresh, dtype=float)
    one_subject = cv0.ndim == 1
    cv2 = np.atleast_2d(cv0)
    ev = _events(unit, time, capacity, subject, cv2, 1.0 / window, duration)
    n_win = int(np.floor(duration / window + 1e-9))
    if n_win < 1:
        raise SimulationError(f"window {window} s is longer than the record ({duration} s)")
    k_v = np.broadcast_to(np.asarray(cv_fatigue_slope, dtype=float), cv2.shape)
    idx = (ev.subject, ev.unit)
    cv = fatigued_conduction_velocity(cv2[idx], ev.capacity, k_v[idx])
    w = np.ones(cv.shape) if weight is None else np.broadcast_to(weight, cv2.shape)[idx]
    win = np.floor(ev.time / window).astype(np.intp)
    inside = (win >= 0) & (win < n_win)
    flat = ev.subject[inside] * n_win + win[inside]
    size = ev.n_subjects * n_win
    total = np.bincount(flat, weights=(w * cv)[inside], minlength=size)
    norm = np.bincount(flat, weights=w[inside], minlength=size)
    mean = np.divide(total, norm, out=np.full(size, np.nan), where=norm > 0)
    centres = (np.arange(n_win) + 0.5) * window
    mean = mean.reshape(ev.n_subjects, n_win)
    return centres, (mean[0] if one_subject else mean)


def active_units(
    unit: np.ndarray,
    time: np.ndarray,
    n_units: int,
    *,
    duration: float,
    window: float,
    subject: np.ndarray | None = None,
    n_subjects: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Number of distinct units that discharge in each window (the recruited population a
    decomposition of the EMG would find). Windows as :func:`conduction_velocity_trace`.
    Returns window centres ``(W,)`` and counts ``(subjects, W)``."""
    n_win = int(np.floor(duration / window + 1e-9))
    if n_win < 1 or not np.isfinite(window):
        raise SimulationError(f"window {window!r} s must be positive and fit in {duration} s")
    unit = np.asarray(unit, dtype=np.intp)
    subject = np.zeros(unit.shape, np.intp) if subject is None else np.asarray(subject, np.intp)
    win = np.floor(np.asarray(time, dtype=float) / window).astype(np.intp)
    inside = (win >= 0) & (win < n_win)
    key = (subject[inside] * n_win + win[inside]) * n_units + unit[inside]
    fired = np.unique(key) // n_units
    counts = np.bincount(fired, minlength=n_subjects * n_win).reshape(n_subjects, n_win)
    return (np.arange(n_win) + 0.5) * window, counts


def _windows(emg: np.ndarray, fs: float, window: float) -> tuple[np.ndarray, np.ndarray]:
    """Reshape ``(..., samples)`` into whole windows ``(..., W, L)`` and their centres (s)."""
    x = np.asarray(emg, dtype=float)
    if not (np.isfinite(fs) and fs > 0 and np.isfinite(window) and window > 0):
        raise SimulationError("EMG index: sampling rate and window must be positive")
    length = round(window * fs)
    if x.ndim == 0 or length < 2 or x.shape[-1] < length:
        raise SimulationError(
            f"EMG index: a {window} s window needs at least {max(length, 2)} samples "
            f"at {fs} Hz, the signal has {x.shape[-1] if x.ndim else 0}"
        )
    if not np.all(np.isfinite(x)):
        raise SimulationError("EMG index: the signal contains NaN or inf")
    n_win = x.shape[-1] // length
    framed = x[..., : n_win * length].reshape(*x.shape[:-1], n_win, length)
    return (np.arange(n_win) + 0.5) * length / fs, framed


def rms(emg: np.ndarray, fs: float, window: float) -> tuple[np.ndarray, np.ndarray]:
    """Root mean square per consecutive window: centres ``(W,)`` and values ``(..., W)``."""
    centres, framed = _windows(emg, fs, window)
    return centres, np.sqrt(np.mean(framed * framed, axis=-1))


def _spectra(emg, fs, window, segment):
    centres, framed = _windows(emg, fs, window)
    nperseg = min(framed.shape[-1], max(8, round(segment * fs)))
    f, pxx = welch(framed, fs=fs, nperseg=nperseg, axis=-1)
    return centres, f, pxx


def median_frequency(
    emg: np.ndarray, fs: float, window: float, segment: float = 0.125
) -> tuple[np.ndarray, np.ndarray]:
    """Median frequency (Hz) per window: the frequency splitting the Welch power in halves.

    Welch segments of ``segment`` seconds (Hann, 50 % overlap) inside each window; the median
    is interpolated linearly in the cumulative power. NaN for a silent window.
    """
    centres, f, pxx = _spectra(emg, fs, window, segment)
    cum = np.cumsum(pxx, axis=-1)
    total = cum[..., -1:]
    half = 0.5 * total
    j = np.clip((cum < half).sum(axis=-1, keepdims=True), 1, f.size - 1)  # first bin >= half
    c_lo = np.take_along_axis(cum, j - 1, axis=-1)
    c_hi = np.take_along_axis(cum, j, axis=-1)
    span = c_hi - c_lo
    frac = np.divide(half - c_lo, span, out=np.zeros_like(span), where=span > 0)
    mdf = (f[j - 1] + np.clip(frac, 0.0, 1.0) * (f[1] - f[0]))[..., 0]
    return centres, np.where(total[..., 0] > 0, mdf, np.nan)


def mean_frequency(
    emg: np.ndarray, fs: float, window: float, segment: float = 0.125
) -> tuple[np.ndarray, np.ndarray]:
    """Mean (centroid) frequency (Hz) per window, :math:`\\sum f P / \\sum P`; NaN if silent."""
    centres, f, pxx = _spectra(emg, fs, window, segment)
    total = pxx.sum(axis=-1)
    first = (pxx * f).sum(axis=-1)
    return centres, np.divide(first, total, out=np.full(total.shape, np.nan), where=total > 0)
