"""EDF+ (16-bit) and BDF+ (24-bit) export with annotations, readable by MNE-Python.

:func:`write_edf` writes channels (label, physical unit, sampling rate) and annotations
(onset, duration, text: e.g. the protocol's steps) through pyedflib (EDFlib). The file appears
only when complete: it is written to a hidden temporary file in the target folder and moved
into place with :func:`os.replace`; on any error the temporary file is removed and an existing
file at the target is left untouched.

Conversion to the integer samples EDF stores is done here, by rounding, so that a reader
(``mne.io.read_raw_edf``/``read_raw_bdf``) recovers every sample within half a quantisation
step, :math:`(P_{max} - P_{min}) / (D_{max} - D_{min}) / 2`, where the physical limits are the
channel's extremes rounded outwards to the 8 characters an EDF header holds and the digital
limits are those of the format (EDF −32768…32767, BDF −8388608…8388607). EDF stores whole data
records (1 s unless a sampling rate needs longer), so a reader sees the signal followed by up
to one record of padding, the code nearest to physical zero. Annotation onsets and durations
are stored to 100 µs; a text may hold at most 40 bytes (UTF-8). Spaces in the patient and
recording identification become ``_`` (EDF+ separates subfields by spaces).

Needs the optional ``[neuro]`` extra (pyedflib); this module never imports the simulation.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from myoaxis.core.errors import ExportError
from myoaxis.core.files import atomic_write

DIGITAL_RANGE = {"edf": (-32768, 32767), "bdf": (-8388608, 8388607)}
MAX_ANNOTATION_BYTES = 40  # EDFlib stores at most 40 bytes of one annotation's text
_MAX_ANNOTATION_SIGNALS = 64  # EDFlib: annotation signals per data record (one text each)
_RESERVED_LABELS = {"EDF Annotations", "BDF Annotations"}


@dataclass(frozen=True)
class Channel:
    """One signal: ``data`` in ``unit`` sampled at ``fs`` (default: :func:`write_edf`'s).

    ``physical_range`` fixes the header's physical minimum and maximum (default: the data's
    extremes); the data must lie inside it.
    """

    label: str
    data: Any
    unit: str = "mV"
    fs: float | None = None
    physical_range: tuple[float, float] | None = None
    transducer: str = ""
    prefilter: str = ""


@dataclass(frozen=True)
class Annotation:
    """An event ``onset`` seconds after the start, lasting ``duration`` s (None: unknown)."""

    onset: float
    duration: float | None
    description: str


@dataclass(frozen=True)
class Patient:
    """EDF+ patient identification (empty fields are written as ``X``)."""

    code: str = ""
    name: str = ""
    sex: str | None = None  # "female" or "male"
    birthdate: date | None = None
    additional: str = ""


@dataclass(frozen=True)
class Recording:
    """EDF+ recording identification. Simulated data have no date: the start defaults to
    2000-01-01 00:00:00 so that the same data give the same bytes."""

    start: datetime = datetime(2000, 1, 1)  # EDF+ start times are naive local times
    equipment: str = "MyoAxis"
    technician: str = ""
    admincode: str = ""
    additional: str = ""


def _pyedflib():
    try:
        import pyedflib
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ExportError(
            "writing EDF/BDF needs pyedflib; install the extra: pip install 'myoaxis[neuro]'"
        ) from exc
    return pyedflib


def _text(value: str, limit: int, what: str) -> str:
    if not isinstance(value, str):
        raise ExportError(f"{what} must be text, got {value!r}")
    if not (value.isascii() and value.isprintable()) or len(value) > limit:
        raise ExportError(f"{what} {value!r} must be printable ASCII of at most {limit} characters")
    return value


def _fits_header(v: float) -> bool:
    text = repr(v)
    return len(text) <= 8 and "e" not in text and "n" not in text  # no exponent, inf or nan


def header_range(lo: float, hi: float, where: str = "signal") -> tuple[float, float]:
    """``[lo, hi]`` widened to the nearest limits an 8-character EDF header field can hold."""
    if lo == hi:
        lo, hi = lo - 1.0, hi + 1.0
    for decimals in range(7, -1, -1):
        scale = 10.0**decimals
        low, high = math.floor(lo * scale) / scale, math.ceil(hi * scale) / scale
        if low <= lo and high >= hi and _fits_header(low) and _fits_header(high):
            return low, high
    raise ExportError(
        f"{where}: values {lo:g} to {hi:g} do not fit EDF's 8-character physical limits; "
        "write the signal in a larger unit"
    )


@dataclass(frozen=True)
class _Prepared:
    label: str
    unit: str
    fs: float
    low: float
    high: float
    digital: np.ndarray  # int32
    transducer: str
    prefilter: str


def _prepare_channel(ch: Channel, fs_default: float | None, fmt: str) -> _Prepared:
    where = f"channel {ch.label!r}"
    label = _text(ch.label, 16, "channel label")
    if not label.strip() or label in _RESERVED_LABELS:
        raise ExportError(f"channel label {label!r} is empty or reserved by EDF+")
    fs = fs_default if ch.fs is None else ch.fs
    if fs is None:
        raise ExportError(f"{where}: no sampling rate given")
    try:
        fs = float(fs)
    except (TypeError, ValueError):
        raise ExportError(f"{where}: sampling rate {fs!r} is not a number") from None
    if not (math.isfinite(fs) and fs > 0):
        raise ExportError(f"{where}: sampling rate must be positive and finite, got {fs!r}")
    try:
        data = np.asarray(ch.data, dtype=float)
    except (TypeError, ValueError):
        raise ExportError(f"{where}: data are not numbers") from None
    if data.ndim != 1 or data.size == 0:
        raise ExportError(f"{where}: data must be a non-empty 1-D array, got shape {data.shape}")
    if not np.all(np.isfinite(data)):
        bad = int(np.flatnonzero(~np.isfinite(data))[0])
        raise ExportError(f"{where}: sample {bad} is {data[bad]} (EDF stores finite values only)")
    lo, hi = float(data.min()), float(data.max())
    if ch.physical_range is not None:
        p_lo, p_hi = (float(v) for v in ch.physical_range)
        if not (math.isfinite(p_lo) and math.isfinite(p_hi) and p_lo < p_hi):
            raise ExportError(f"{where}: physical_range must be finite with min < max")
        if lo < p_lo or hi > p_hi:
            raise ExportError(
                f"{where}: data span {lo:g} to {hi:g}, outside physical_range {p_lo:g} to {p_hi:g}"
            )
        low, high = header_range(p_lo, p_hi, where)
    else:
        low, high = header_range(lo, hi, where)
        if hi > lo and (high - low) > 10.0 * (hi - lo):
            raise ExportError(
                f"{where}: values {lo:g} to {hi:g} are too small for EDF's 8-character "
                "physical limits; write the signal in a smaller unit (e.g. uV) or give "
                "physical_range"
            )
    d_min, d_max = DIGITAL_RANGE[fmt]
    step = (high - low) / (d_max - d_min)
    digital = np.clip(np.rint((data - low) / step + d_min), d_min, d_max).astype(np.int32)
    return _Prepared(
        label=label,
        unit=_text(ch.unit, 8, f"{where} unit"),
        fs=fs,
        low=low,
        high=high,
        digital=digital,
        transducer=_text(ch.transducer, 80, f"{where} transducer"),
        prefilter=_text(ch.prefilter, 80, f"{where} prefilter"),
    )


def _padded(c: _Prepared, per_record: int, fmt: str) -> np.ndarray:
    """Pad to whole data records with the code nearest to physical 0 (EDF stores records)."""
    missing = -c.digital.size % per_record
    if not missing:
        return c.digital
    d_min, d_max = DIGITAL_RANGE[fmt]
    step = (c.high - c.low) / (d_max - d_min)
    zero = int(np.clip(np.rint(-c.low / step + d_min), d_min, d_max))
    return np.concatenate([c.digital, np.full(missing, zero, dtype=np.int32)])


def _subfield(text: str) -> str:
    """EDF+ identification subfields are separated by spaces: spaces inside become '_'."""
    return text.replace(" ", "_")


def _channels(signals, fs, units) -> list[Channel]:
    if isinstance(signals, Mapping):
        if isinstance(units, str):
            units = dict.fromkeys(signals, units)
        missing = [k for k in signals if k not in units]
        if missing:
            raise ExportError(f"no unit given for channel {missing[0]!r}")
        rates = fs if isinstance(fs, Mapping) else dict.fromkeys(signals, fs)
        return [
            Channel(label=k, data=v, unit=units[k], fs=rates.get(k)) for k, v in signals.items()
        ]
    channels = list(signals)
    if not all(isinstance(c, Channel) for c in channels):
        raise ExportError("signals must be a mapping label -> samples or a sequence of Channel")
    return channels


def _annotations(items: Iterable[Annotation | tuple], duration: float) -> list[Annotation]:
    out = []
    for item in items:
        a = item if isinstance(item, Annotation) else Annotation(*item)
        onset = float(a.onset)
        if not (math.isfinite(onset) and 0.0 <= onset <= duration):
            raise ExportError(
                f"annotation {a.description!r}: onset {a.onset!r} s is outside the recording "
                f"(0 to {duration:g} s)"
            )
        if a.duration is not None and not (math.isfinite(a.duration) and a.duration >= 0):
            raise ExportError(f"annotation {a.description!r}: duration must be >= 0 or None")
        text = a.description
        if not isinstance(text, str) or not text.strip() or not text.isprintable():
            raise ExportError(f"annotation text {text!r} must be non-empty printable text")
        if len(text.encode("utf-8")) > MAX_ANNOTATION_BYTES:
            raise ExportError(
                f"annotation text {text!r} is longer than {MAX_ANNOTATION_BYTES} bytes "
                "(the EDF+ writer's limit)"
            )
        out.append(Annotation(onset, None if a.duration is None else float(a.duration), text))
    return out


def _target(path: str | os.PathLike[str], fmt: str | None) -> tuple[Path, str]:
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if fmt is None:
        fmt = suffix
    if fmt not in DIGITAL_RANGE:
        raise ExportError(f"unknown format {fmt!r}; expected 'edf' or 'bdf'")
    if suffix in DIGITAL_RANGE and suffix != fmt:
        raise ExportError(f"{path}: a {fmt.upper()} file should not be named *.{suffix}")
    if not path.parent.is_dir():
        raise ExportError(f"{path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise ExportError(f"{path} is a folder")
    return path, fmt


def _check_identification(patient: Patient, recording: Recording) -> None:
    for name, limit in (("code", 80), ("name", 80), ("additional", 80)):
        _text(getattr(patient, name), limit, f"patient {name}")
    for name in ("equipment", "technician", "admincode", "additional"):
        _text(getattr(recording, name), 80, f"recording {name}")
    if patient.sex not in (None, "female", "male"):
        raise ExportError(f"patient sex must be 'female', 'male' or None, got {patient.sex!r}")
    # EDF+ local patient/recording fields: 80 characters including fixed subfields
    if len(patient.code) + len(patient.name) + len(patient.additional) + 15 > 80:
        raise ExportError("patient code, name and additional text exceed EDF+'s 80 characters")
    rec = recording
    if len(rec.equipment) + len(rec.technician) + len(rec.admincode) + len(rec.additional) > 57:
        raise ExportError("recording equipment, technician, admincode and text exceed 80 chars")
    if not isinstance(rec.start, datetime) or not 1985 <= rec.start.year <= 2084:
        raise ExportError("recording start must be a datetime between 1985 and 2084 (EDF+)")


def write_edf(
    path: str | os.PathLike[str],
    signals: Mapping[str, Any] | Sequence[Channel],
    fs: float | Mapping[str, float],
    *,
    units: str | Mapping[str, str] = "mV",
    annotations: Iterable[Annotation | tuple] = (),
    fmt: str | None = None,
    patient: Patient | None = None,
    recording: Recording | None = None,
) -> Path:
    """Write ``signals`` as EDF+ (``fmt="edf"``, 16-bit) or BDF+ (``"bdf"``, 24-bit).

    ``signals`` maps labels (≤ 16 ASCII characters) to 1-D samples, or is a sequence of
    :class:`Channel`; ``fs`` (Hz) and ``units`` (≤ 8 ASCII characters, e.g. ``"mV"``, ``"uV"``,
    ``"N"``) apply to every channel or per label. Every channel must last as long as the others
    (its samples / its rate, to within one sample). ``annotations`` are :class:`Annotation` or
    ``(onset_s, duration_s | None, text)`` tuples. ``fmt`` defaults to the file's suffix.

    Returns the path written. Raises :class:`ExportError` for bad input (nothing is written)
    and for a failed write (no file is left behind).
    """
    path, fmt = _target(path, fmt)
    default_fs = None if isinstance(fs, Mapping) else fs
    channels = [_prepare_channel(c, default_fs, fmt) for c in _channels(signals, fs, units)]
    if not channels:
        raise ExportError("nothing to write: no channels")
    labels = [c.label for c in channels]
    if len(set(labels)) != len(labels):
        raise ExportError(f"channel labels must be unique, got {labels}")
    durations = [c.digital.size / c.fs for c in channels]
    duration = max(durations)
    for c, d in zip(channels, durations, strict=True):
        if duration - d >= 1.0 / c.fs:
            raise ExportError(
                f"channel {c.label!r} lasts {d:g} s, the longest channel {duration:g} s"
            )
    notes = _annotations(annotations, duration)
    patient = patient or Patient()
    recording = recording or Recording()
    _check_identification(patient, recording)

    pyedflib = _pyedflib()
    file_type = pyedflib.FILETYPE_EDFPLUS if fmt == "edf" else pyedflib.FILETYPE_BDFPLUS

    def write(tmp: Path) -> None:
        writer = pyedflib.EdfWriter(str(tmp), len(channels), file_type=file_type)
        try:
            d_min, d_max = DIGITAL_RANGE[fmt]
            writer.setSignalHeaders(
                [
                    {
                        "label": c.label,
                        "dimension": c.unit,
                        "sample_frequency": c.fs,
                        "physical_min": c.low,
                        "physical_max": c.high,
                        "digital_min": d_min,
                        "digital_max": d_max,
                        "transducer": c.transducer,
                        "prefilter": c.prefilter,
                    }
                    for c in channels
                ]
            )
            writer.setPatientCode(_subfield(patient.code))
            writer.setPatientName(_subfield(patient.name))
            writer.setPatientAdditional(_subfield(patient.additional))
            if patient.sex is not None:
                writer.setSex(patient.sex)
            if patient.birthdate is not None:
                writer.setBirthdate(patient.birthdate)
            writer.setStartdatetime(recording.start)
            writer.setEquipment(_subfield(recording.equipment))
            writer.setTechnician(_subfield(recording.technician))
            writer.setAdmincode(_subfield(recording.admincode))
            writer.setRecordingAdditional(_subfield(recording.additional))
            records = math.ceil(duration / writer.record_duration - 1e-9)
            per_record = max(1, math.ceil(len(notes) / records))
            if per_record > _MAX_ANNOTATION_SIGNALS:
                raise ExportError(
                    f"{len(notes)} annotations do not fit {records} data records "
                    f"(at most {_MAX_ANNOTATION_SIGNALS} per record)"
                )
            writer.set_number_of_annotation_signals(per_record)
            samples = [
                _padded(c, writer.get_smp_per_record(i), fmt) for i, c in enumerate(channels)
            ]
            writer.writeSamples(samples, digital=True)
            for a in notes:
                writer.writeAnnotation(
                    a.onset, -1 if a.duration is None else a.duration, a.description
                )
            writer.close()
            writer = None
            reader = pyedflib.EdfReader(str(tmp))
            try:
                stored = len(reader.readAnnotations()[0])
            finally:
                reader.close()
            if stored != len(notes):
                raise ExportError(f"{path}: the writer kept {stored} of {len(notes)} annotations")
        finally:
            if writer is not None:
                with contextlib.suppress(Exception):  # already failing: keep the first error
                    writer.close()

    return atomic_write(path, write, what=f"{fmt.upper()}+")
