"""Results: an :class:`xarray.DataTree` with ``/slow``, ``/acute/<step-id>``, ``/assessments``
and ``/events``, plus the summary JSON of the command line.

Every variable carries CF ``units`` and ``long_name``; the root carries provenance (package
version, scenario text, seed, parameter-set names and citation keys). Files are written to a
temporary name in the target folder and renamed, so a failed write leaves nothing behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from myoaxis.core.files import atomic_write


@dataclass
class Results:
    """What a run produced; ``tree`` is the xarray DataTree saved to NetCDF."""

    tree: xr.DataTree
    assessments: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def slow(self) -> xr.Dataset:
        return self.tree["slow"].to_dataset()

    def acute(self, step_id: str) -> xr.Dataset:
        return self.tree[f"acute/{step_id}"].to_dataset()

    @property
    def acute_ids(self) -> list[str]:
        return list(self.tree["acute"].children) if "acute" in self.tree.children else []

    def summary(self) -> dict[str, Any]:
        return {
            "assessments": self.assessments,
            "risks": [e for e in self.events if e.get("kind") == "risk"],
            "events": self.events,
            "provenance": self.provenance,
        }

    def to_netcdf(self, path: str | Path) -> Path:
        """Write the tree to NetCDF-4 (h5netcdf) atomically."""
        return atomic_write(Path(path), lambda tmp: self.tree.to_netcdf(tmp, engine="h5netcdf"))

    def write_summary(self, path: str | Path) -> Path:
        text = json.dumps(self.summary(), indent=2, sort_keys=False)
        return atomic_write(Path(path), lambda tmp: Path(tmp).write_text(text + "\n"))

    def to_mne(self, step: str | None = None, subject: int = 0):
        """One subject's fNIRS recording as an MNE ``Raw`` (``fnirs_cw_amplitude``, or
        ``hbo``/``hbr`` if the run kept only concentrations), with the blocks as annotations:
        written as SNIRF to a temporary folder and read back with
        :func:`mne.io.read_raw_snirf`, so it is exactly what an exported file gives. Needs the
        ``[neuro]`` extra."""
        import tempfile

        from myoaxis.core.errors import MyoAxisError

        try:
            import mne
        except ImportError as exc:
            raise MyoAxisError(f"to_mne needs the [neuro] extra (mne): {exc}") from None
        with tempfile.TemporaryDirectory() as folder:
            path, _, _ = write_fnirs_snirf(self.tree, Path(folder) / "run.snirf", step, subject)
            return mne.io.read_raw_snirf(path, preload=True, verbose="error")

    @classmethod
    def open(cls, path: str | Path) -> xr.DataTree:
        """Open a saved results file as a DataTree."""
        return xr.open_datatree(path, engine="h5netcdf")


def records_dataset(records: list[dict[str, Any]], long_name: str) -> xr.Dataset:
    """A table of records as a Dataset with one ``record`` dimension."""
    keys: list[str] = []
    for r in records:
        keys += [k for k in r if k not in keys]
    data = {}
    for k in keys:
        column = [r.get(k) for r in records]
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in column)
        data[k] = ("record", np.array(column, dtype=float if numeric else str))
    ds = xr.Dataset(data, attrs={"long_name": long_name})
    for k in ds.data_vars:
        ds[k].attrs["long_name"] = k.replace("_", " ")
        if k == "time_s":
            ds[k].attrs["units"] = "s"
    return ds


def emg_recording(tree: xr.DataTree, subject: int = 0) -> tuple[float, np.ndarray, list]:
    """One subject's surface EMG of every bout that kept it, joined in time order.

    Returns the sampling rate (Hz), the signal (mV) and annotations ``(onset_s, duration_s,
    step_id)`` marking where each bout starts in the joined record (rests are left out).
    """
    from myoaxis.core.errors import ScenarioError

    parts = []
    for name, node in tree["acute"].children.items() if "acute" in tree else ():
        ds = node.to_dataset()
        if "emg" in ds:
            parts.append((float(ds.attrs["start_time_s"]), name, ds))
    if not parts:
        raise ScenarioError(
            'the results hold no EMG: add "emg" to [outputs] acute and use spiking motor units'
        )
    subjects = parts[0][2].sizes["subject"]
    if not 0 <= subject < subjects:
        raise ScenarioError(f"subject {subject} is out of range (0-{subjects - 1})")
    fs = float(parts[0][2]["emg_time"].attrs["sampling_rate"])
    signals, notes, onset = [], [], 0.0
    for _start, name, ds in sorted(parts, key=lambda p: p[0]):
        x = ds["emg"].values[subject]
        notes.append((onset, x.size / fs, name))
        signals.append(x)
        onset += x.size / fs
    return fs, np.concatenate(signals), notes


def _fnirs_step(tree: xr.DataTree, step: str | None) -> tuple[str, xr.Dataset]:
    """The ``/acute`` dataset of the fNIRS recording ``step`` (the only one if None)."""
    from myoaxis.core.errors import ScenarioError

    found = {}
    for name, node in tree["acute"].children.items() if "acute" in tree else ():
        ds = node.to_dataset()
        if "source_position" in ds:
            found[name] = ds
    if not found:
        raise ScenarioError(
            "the results hold no fNIRS recording: run 'Assess fnirs_tapping' with "
            '"fnirs_intensity" (or "hbo" and "hbr") in [outputs] acute'
        )
    if step is None:
        if len(found) > 1:
            raise ScenarioError(
                f"several fNIRS recordings; choose one with --step: {', '.join(found)}"
            )
        step = next(iter(found))
    if step not in found:
        raise ScenarioError(f"no fNIRS recording in step {step!r}; recordings: {', '.join(found)}")
    return step, found[step]


def write_fnirs_snirf(
    tree: xr.DataTree, path: str | Path, step: str | None = None, subject: int = 0
) -> tuple[Path, str, str]:
    """Write one subject's fNIRS recording of ``step`` as SNIRF 1.1 (:func:`myoaxis.io.snirf.
    write_snirf`): raw continuous-wave intensity if the run kept ``fnirs_intensity``, else HbO
    and HbR (µM); blocks become stimuli named by condition; the DPF per wavelength and the
    partial-volume factor go to the metadata tags. Returns the path, the step and the kind."""
    from myoaxis.core.errors import ScenarioError
    from myoaxis.io.snirf import Probe, Stim, write_snirf

    step, ds = _fnirs_step(tree, step)
    n = ds.sizes["subject"]
    if not 0 <= subject < n:
        raise ScenarioError(f"subject {subject} is out of range (0-{n - 1})")
    if "fnirs_intensity" in ds:
        kind, data = "intensity", ds["fnirs_intensity"].values[subject]
    elif "hbo" in ds and "hbr" in ds:
        kind = "hb"
        data = np.stack([ds["hbo"].values[subject], ds["hbr"].values[subject]], axis=1)
    else:
        raise ScenarioError(
            f"step {step!r} kept neither fnirs_intensity nor both hbo and hbr; add them to "
            "[outputs] acute"
        )
    probe = Probe(
        wavelengths=ds["wavelength"].values,
        source_positions=ds["source_position"].values,
        detector_positions=ds["detector_position"].values,
        source_labels=[str(x) for x in ds["source"].values],
        detector_labels=[str(x) for x in ds["detector"].values],
        landmark_positions=ds["landmark_position"].values,
        landmark_labels=[str(x) for x in ds["landmark"].values],
    )
    block = float(ds.attrs["block_duration_s"])
    conditions = [str(c) for c in ds["block_condition"].values]
    onsets = ds["block_onset"].values
    stims = [
        Stim(c, [float(t) for t, k in zip(onsets, conditions, strict=True) if k == c], block)
        for c in dict.fromkeys(conditions)
    ]
    dpf = ds["dpf"].values[subject]
    meta = {
        **{f"DPF_{w:g}nm": float(d) for w, d in zip(ds["wavelength"].values, dpf, strict=True)},
        "PartialVolumeFactor": float(ds["partial_volume_factor"].values[subject]),
        "MyoAxisStep": step,
    }
    pairs = np.stack([ds["channel_source"].values, ds["channel_detector"].values], axis=1)
    written = write_snirf(
        path,
        data,
        float(ds.attrs["sampling_rate_hz"]),
        pairs,
        probe,
        kind=kind,
        stims=stims,
        subject_id=f"sub{subject:02d}",
        metadata=meta,
    )
    return written, step, kind
