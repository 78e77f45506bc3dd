"""SNIRF 1.1 export of simulated fNIRS, readable by MNE-Python and valid for the SNIRF validator.

:func:`write_snirf` writes one data block (``/nirs/data1``) with one ``measurementList{k}``
group per channel and wavelength, in the pairing MNE requires (for each source–detector pair,
wavelength 1 then wavelength 2, or HbO then HbR), the probe (two wavelengths, 3-D optode
positions in metres, labels, landmarks), the stimuli as ``/nirs/stim{j}`` (onset, duration,
value) and the metadata tags MNE decodes (SubjectID, MeasurementDate/Time, units).

Three data kinds:

- ``"intensity"`` (default): continuous-wave amplitude, SNIRF dataType 1. This is what an
  instrument records and what MNE's pipeline starts from (``optical_density`` →
  ``beer_lambert_law``), so a file exercises the whole chain.
- ``"od"``: change of optical density, dataType 99999 with dataTypeLabel ``dOD``.
- ``"hb"``: HbO and HbR concentration changes in µM, dataType 99999, labels ``HbO``/``HbR``,
  dataUnit ``uM``.

The file appears only when complete: it is written under a hidden temporary name in the target
folder and moved into place with :func:`os.replace`; on any error the temporary file is removed
and an existing file at the target is left untouched. Needs h5py; never imports the simulation.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from myoaxis.core.errors import ExportError
from myoaxis.core.files import atomic_write

SPEC_VERSION = "1.1"
KINDS = ("intensity", "od", "hb")
MAX_CHANNEL_DISTANCE = 0.1  # m; longer source-detector pairs mean positions not in metres
_RESERVED_TAGS = {
    "SubjectID",
    "MeasurementDate",
    "MeasurementTime",
    "LengthUnit",
    "TimeUnit",
    "FrequencyUnit",
}


@dataclass(frozen=True)
class Probe:
    """Optode geometry: positions in metres, exactly two wavelengths in nm."""

    wavelengths: Sequence[float]
    source_positions: Any  # (n_sources, 3)
    detector_positions: Any  # (n_detectors, 3)
    source_labels: Sequence[str] = ()  # default S1, S2, ...
    detector_labels: Sequence[str] = ()  # default D1, D2, ...
    landmark_positions: Any = None  # (n_landmarks, 3), optional
    landmark_labels: Sequence[str] = ()


@dataclass(frozen=True)
class Stim:
    """Events of one condition: onsets and durations (s), and a value per event."""

    name: str
    onsets: Sequence[float]
    durations: Sequence[float] | float
    values: Sequence[float] | float = 1.0


def _h5py():
    try:
        import h5py
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ExportError("writing SNIRF needs h5py: pip install h5py") from exc
    return h5py


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or not value.isprintable():
        raise ExportError(f"{what} must be non-empty printable text, got {value!r}")
    return value


def _positions(value: Any, what: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ExportError(f"probe {what} are not numbers") from None
    if arr.ndim != 2 or arr.shape[1] != 3 or arr.shape[0] == 0:
        raise ExportError(f"probe {what} must have shape (n, 3), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ExportError(f"probe {what} contain NaN or infinite values")
    return arr


def _labels(labels: Sequence[str], n: int, prefix: str, what: str) -> list[str]:
    if not len(labels):
        return [f"{prefix}{i + 1}" for i in range(n)]
    out = [_text(x, f"{what} label") for x in labels]
    if len(out) != n:
        raise ExportError(f"{len(out)} {what} labels for {n} {what}s")
    if len(set(out)) != n:
        raise ExportError(f"{what} labels must be unique, got {out}")
    return out


@dataclass(frozen=True)
class _Prepared:
    wavelengths: np.ndarray
    sources: np.ndarray
    detectors: np.ndarray
    source_labels: list[str]
    detector_labels: list[str]
    landmarks: np.ndarray | None
    landmark_labels: list[str]


def _prepare_probe(probe: Probe) -> _Prepared:
    if not isinstance(probe, Probe):
        raise ExportError(f"probe must be a myoaxis.io.snirf.Probe, got {type(probe).__name__}")
    try:
        wl = np.asarray(probe.wavelengths, dtype=float)
    except (TypeError, ValueError):
        raise ExportError("probe wavelengths are not numbers") from None
    if wl.shape != (2,) or not np.all(np.isfinite(wl) & (wl > 0)):
        raise ExportError(
            f"probe needs exactly two positive wavelengths in nm (MNE reads two), got {wl}"
        )
    if int(wl[0]) == int(wl[1]):
        raise ExportError(f"probe wavelengths {wl} must differ by at least 1 nm")
    src = _positions(probe.source_positions, "source positions")
    det = _positions(probe.detector_positions, "detector positions")
    landmarks = None
    landmark_labels: list[str] = []
    if probe.landmark_positions is not None:
        landmarks = _positions(probe.landmark_positions, "landmark positions")
        landmark_labels = _labels(probe.landmark_labels, landmarks.shape[0], "L", "landmark")
    elif len(probe.landmark_labels):
        raise ExportError("landmark labels given without landmark positions")
    return _Prepared(
        wavelengths=wl,
        sources=src,
        detectors=det,
        source_labels=_labels(probe.source_labels, src.shape[0], "S", "source"),
        detector_labels=_labels(probe.detector_labels, det.shape[0], "D", "detector"),
        landmarks=landmarks,
        landmark_labels=landmark_labels,
    )


def _prepare_pairs(pairs: Any, probe: _Prepared) -> np.ndarray:
    try:
        arr = np.asarray(pairs)
    except (TypeError, ValueError):
        raise ExportError("pairs must be integer (source, detector) indices") from None
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] == 0:
        raise ExportError(f"pairs must have shape (n_channels, 2), got {arr.shape}")
    if not np.issubdtype(arr.dtype, np.integer):
        raise ExportError("pairs must be integer (source, detector) indices (zero-based)")
    n_src, n_det = probe.sources.shape[0], probe.detectors.shape[0]
    for k, (s, d) in enumerate(arr):
        if not (0 <= s < n_src and 0 <= d < n_det):
            raise ExportError(
                f"channel {k}: pair ({s}, {d}) is outside the probe's {n_src} sources and "
                f"{n_det} detectors (indices are zero-based)"
            )
    if len({tuple(p) for p in arr.tolist()}) != arr.shape[0]:
        raise ExportError("each (source, detector) pair may appear only once")
    dist = np.linalg.norm(probe.sources[arr[:, 0]] - probe.detectors[arr[:, 1]], axis=1)
    if np.any(dist <= 0) or np.any(dist > MAX_CHANNEL_DISTANCE):
        k = int(np.flatnonzero((dist <= 0) | (dist > MAX_CHANNEL_DISTANCE))[0])
        raise ExportError(
            f"channel {k}: source-detector distance {dist[k]:g} m is not in (0, "
            f"{MAX_CHANNEL_DISTANCE:g}] m; optode positions must be in metres"
        )
    return arr.astype(np.int64)


def _prepare_data(data: Any, n_channels: int, kind: str) -> np.ndarray:
    try:
        arr = np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        raise ExportError("data are not numbers") from None
    if arr.ndim != 3 or arr.shape[0] != n_channels or arr.shape[1] != 2 or arr.shape[2] < 2:
        raise ExportError(
            f"data must have shape (n_channels={n_channels}, 2, n_times >= 2), got {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ExportError("data contain NaN or infinite values")
    if kind == "intensity" and np.any(arr <= 0):
        raise ExportError("light intensities must be positive")
    return arr


def _prepare_stims(stims: Sequence[Stim], duration: float) -> list[tuple[str, np.ndarray]]:
    out = []
    names = set()
    for stim in stims:
        if not isinstance(stim, Stim):
            raise ExportError(f"stims must be myoaxis.io.snirf.Stim, got {type(stim).__name__}")
        name = _text(stim.name, "stim name")
        if name in names:
            raise ExportError(f"stim name {name!r} is used twice; merge its events")
        names.add(name)
        try:
            onsets = np.atleast_1d(np.asarray(stim.onsets, dtype=float))
            durations = np.broadcast_to(np.asarray(stim.durations, dtype=float), onsets.shape)
            values = np.broadcast_to(np.asarray(stim.values, dtype=float), onsets.shape)
        except (TypeError, ValueError):
            raise ExportError(
                f"stim {name!r}: onsets, durations and values must be numbers of equal length"
            ) from None
        if onsets.ndim != 1 or onsets.size == 0:
            raise ExportError(f"stim {name!r} has no events")
        table = np.column_stack([onsets, durations, values])
        if not np.all(np.isfinite(table)):
            raise ExportError(f"stim {name!r} contains NaN or infinite values")
        if np.any(onsets < 0) or np.any(onsets > duration) or np.any(durations < 0):
            raise ExportError(
                f"stim {name!r}: onsets must lie in the recording (0 to {duration:g} s) and "
                "durations must be >= 0"
            )
        out.append((name, table))
    return out


def _metadata(extra: Mapping[str, Any] | None) -> dict[str, str | float]:
    out: dict[str, str | float] = {}
    for key, value in (extra or {}).items():
        if not isinstance(key, str) or not key.isidentifier():
            raise ExportError(f"metadata tag {key!r} must be an identifier (letters, digits, _)")
        if key in _RESERVED_TAGS:
            raise ExportError(f"metadata tag {key!r} is set by write_snirf itself")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ExportError(f"metadata tag {key!r}: value must be text or a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise ExportError(f"metadata tag {key!r}: value must be finite")
        out[key] = value if isinstance(value, str) else float(value)
    return out


def _target(path: str | os.PathLike[str]) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".snirf":
        raise ExportError(f"{path}: a SNIRF file should be named *.snirf")
    if not path.parent.is_dir():
        raise ExportError(f"{path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise ExportError(f"{path} is a folder")
    return path


def write_snirf(
    path: str | os.PathLike[str],
    data: Any,
    sfreq: float,
    pairs: Any,
    probe: Probe,
    *,
    kind: str = "intensity",
    stims: Sequence[Stim] = (),
    subject_id: str = "sim01",
    measurement_datetime: datetime = datetime(2000, 1, 1),
    metadata: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``data`` ``(n_channels, 2, n_times)`` sampled at ``sfreq`` Hz as SNIRF 1.1.

    ``pairs`` ``(n_channels, 2)`` holds each channel's zero-based source and detector index
    into ``probe``; ``data[k, j]`` is channel ``k`` at ``probe.wavelengths[j]`` (``kind``
    ``"intensity"`` or ``"od"``) or its HbO (``j = 0``) and HbR (``j = 1``) in µM (``"hb"``).
    ``stims`` become ``/nirs/stim{j}`` groups (MNE annotations); ``metadata`` adds
    user tags (text or numbers) to ``/nirs/metaDataTags``.

    Returns the path written. Raises :class:`~myoaxis.core.errors.ExportError` (a
    :class:`~myoaxis.core.errors.MyoAxisError`) for bad input (nothing is written) and for a
    failed write (no file is left behind).
    """
    target = _target(path)
    if kind not in KINDS:
        raise ExportError(f"unknown SNIRF data kind {kind!r}; expected one of: {', '.join(KINDS)}")
    try:
        rate = float(sfreq)
    except (TypeError, ValueError):
        raise ExportError(f"sampling rate {sfreq!r} is not a number") from None
    if not (math.isfinite(rate) and rate > 0):
        raise ExportError(f"sampling rate must be positive and finite, got {sfreq!r}")
    prepared = _prepare_probe(probe)
    channel_pairs = _prepare_pairs(pairs, prepared)
    values = _prepare_data(data, channel_pairs.shape[0], kind)
    n_times = values.shape[2]
    events = _prepare_stims(stims, (n_times - 1) / rate)
    subject = _text(subject_id, "subject_id")
    if not isinstance(measurement_datetime, datetime):
        raise ExportError("measurement_datetime must be a datetime")
    tags = _metadata(metadata)

    h5py = _h5py()

    def write(tmp: Path) -> None:
        with h5py.File(tmp, "w") as f:
            f.create_dataset("formatVersion", data=_bytes(SPEC_VERSION))
            nirs = f.create_group("nirs")
            _write_metadata(nirs, subject, measurement_datetime, tags)
            _write_data(nirs, values, rate, channel_pairs, kind)
            _write_probe(nirs, prepared)
            for j, (name, table) in enumerate(events, start=1):
                group = nirs.create_group(f"stim{j}")
                group.create_dataset("name", data=_bytes(name))
                group.create_dataset("data", data=table)
                group.create_dataset(
                    "dataLabels", data=[_bytes(x) for x in ("Onset", "Duration", "Amplitude")]
                )

    atomic_write(target, write, what="SNIRF")
    return target


def _bytes(text: str) -> bytes:
    return text.encode("utf-8")


def _write_metadata(nirs, subject: str, when: datetime, tags: Mapping[str, str | float]) -> None:
    meta = nirs.create_group("metaDataTags")
    meta.create_dataset("SubjectID", data=_bytes(subject))
    meta.create_dataset("MeasurementDate", data=_bytes(when.strftime("%Y-%m-%d")))
    meta.create_dataset("MeasurementTime", data=_bytes(when.strftime("%H:%M:%S")))
    meta.create_dataset("LengthUnit", data=_bytes("m"))
    meta.create_dataset("TimeUnit", data=_bytes("s"))
    meta.create_dataset("FrequencyUnit", data=_bytes("Hz"))
    for key, value in tags.items():
        meta.create_dataset(key, data=_bytes(value) if isinstance(value, str) else value)


def _write_data(nirs, values: np.ndarray, rate: float, pairs: np.ndarray, kind: str) -> None:
    n_ch, _, n_times = values.shape
    block = nirs.create_group("data1")
    # (channel, wavelength, time) -> (time, channel * 2): wavelength/chromophore fastest
    block.create_dataset("dataTimeSeries", data=values.reshape(n_ch * 2, n_times).T)
    block.create_dataset("time", data=np.arange(n_times) / rate)
    labels = {"od": ("dOD", "dOD"), "hb": ("HbO", "HbR")}.get(kind)
    k = 0
    for src, det in pairs:
        for j in range(2):
            k += 1
            ml = block.create_group(f"measurementList{k}")
            ml.create_dataset("sourceIndex", data=int(src) + 1, dtype="int32")
            ml.create_dataset("detectorIndex", data=int(det) + 1, dtype="int32")
            ml.create_dataset("wavelengthIndex", data=(j + 1) if kind != "hb" else 1, dtype="int32")
            ml.create_dataset("dataType", data=1 if kind == "intensity" else 99999, dtype="int32")
            ml.create_dataset("dataTypeIndex", data=1, dtype="int32")
            if labels is not None:
                ml.create_dataset("dataTypeLabel", data=_bytes(labels[j]))
            if kind == "hb":
                ml.create_dataset("dataUnit", data=_bytes("uM"))


def _write_probe(nirs, probe: _Prepared) -> None:
    group = nirs.create_group("probe")
    group.create_dataset("wavelengths", data=probe.wavelengths)
    group.create_dataset("sourcePos3D", data=probe.sources)
    group.create_dataset("detectorPos3D", data=probe.detectors)
    group.create_dataset("sourceLabels", data=[_bytes(x) for x in probe.source_labels])
    group.create_dataset("detectorLabels", data=[_bytes(x) for x in probe.detector_labels])
    if probe.landmarks is not None:
        group.create_dataset("landmarkPos3D", data=probe.landmarks)
        group.create_dataset("landmarkLabels", data=[_bytes(x) for x in probe.landmark_labels])
