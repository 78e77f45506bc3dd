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
            "events": self.events,
            "provenance": self.provenance,
        }

    def to_netcdf(self, path: str | Path) -> Path:
        """Write the tree to NetCDF-4 (h5netcdf) atomically."""
        return atomic_write(Path(path), lambda tmp: self.tree.to_netcdf(tmp, engine="h5netcdf"))

    def write_summary(self, path: str | Path) -> Path:
        text = json.dumps(self.summary(), indent=2, sort_keys=False)
        return atomic_write(Path(path), lambda tmp: Path(tmp).write_text(text + "\n"))

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
