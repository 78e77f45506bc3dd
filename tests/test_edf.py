"""EDF+/BDF+ export read back by MNE: samples, rates, names, units, annotations, atomicity."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pytest

mne = pytest.importorskip("mne")
pyedflib = pytest.importorskip("pyedflib")

from myoaxis.io import edf  # noqa: E402 - after the optional imports are known to exist

pytestmark = pytest.mark.interop

FS = 2048.0
SCALE_TO_MNE = {"mV": 1e-3, "uV": 1e-6, "N": 1.0}  # MNE returns volts, other units as written
MNE_UNIT = {"mV": "mV", "uV": "µV", "N": "N"}


def signals() -> tuple[dict[str, np.ndarray], dict[str, str]]:
    rng = np.random.default_rng(0)
    n = int(2.5 * FS)  # not a whole number of 1-s data records
    emg = 0.2 * rng.standard_normal(n)
    data = {
        "EMG biceps": emg,
        "EMG triceps uV": 150.0 * rng.standard_normal(n),
        "Force": np.linspace(0.0, 312.5, n),
    }
    return data, {"EMG biceps": "mV", "EMG triceps uV": "uV", "Force": "N"}


ANNOTATIONS = [
    edf.Annotation(0.0, 0.5, "rest"),
    edf.Annotation(0.5, 1.25, "hold 60 %MVC"),
    edf.Annotation(1.75, None, "task failure"),
    *[edf.Annotation(0.1 * k + 0.01234, 0.05, f"step {k}") for k in range(1, 10)],
]  # 12 annotations: more than the file's 3 data records


def read(path, fmt):
    reader = mne.io.read_raw_edf if fmt == "edf" else mne.io.read_raw_bdf
    return reader(path, preload=True, verbose="error")


@pytest.mark.parametrize("fmt", ["edf", "bdf"])
def test_round_trip_through_mne(tmp_path, fmt):
    data, units = signals()
    start = datetime(2024, 5, 17, 9, 30, 0)  # EDF+ stores naive local time
    path = edf.write_edf(
        tmp_path / f"bout.{fmt}",
        data,
        FS,
        units=units,
        annotations=ANNOTATIONS,
        patient=edf.Patient(code="S001", sex="female"),
        recording=edf.Recording(start=start, additional="60 %MVC hold"),
    )
    raw = read(path, fmt)
    n = next(iter(data.values())).size
    assert raw.info["sfreq"] == FS
    assert raw.ch_names == list(data)
    assert raw._orig_units == {k: MNE_UNIT[u] for k, u in units.items()}
    assert raw.n_times == math.ceil(n / FS) * FS  # whole data records
    assert raw.info["meas_date"] == start.replace(tzinfo=UTC)
    d_min, d_max = edf.DIGITAL_RANGE[fmt]
    got = raw.get_data()
    for i, (label, x) in enumerate(data.items()):
        low, high = edf.header_range(x.min(), x.max())
        step = (high - low) / (d_max - d_min)
        y = got[i] / SCALE_TO_MNE[units[label]]
        err = np.abs(y[:n] - x).max()
        assert err <= 0.5 * step * (1 + 1e-9) + 1e-12 * max(abs(low), abs(high))
        assert np.abs(y[n:]).max() <= step  # padding sits at physical zero
        if fmt == "bdf":  # 24-bit samples really are 256 times finer than EDF's 16 bits
            assert err < 0.5 * (high - low) / 65535 / 200
    ann = raw.annotations
    order = np.argsort([a.onset for a in ANNOTATIONS], kind="stable")
    expected = [ANNOTATIONS[i] for i in order]
    assert list(ann.description) == [a.description for a in expected]
    np.testing.assert_allclose(ann.onset, [a.onset for a in expected], atol=5e-5)
    np.testing.assert_allclose(
        ann.duration, [0.0 if a.duration is None else a.duration for a in expected], atol=5e-5
    )
    assert raw.info["subject_info"]["his_id"] == "S001"


def test_same_input_gives_the_same_bytes_and_format_follows_the_suffix(tmp_path):
    data, units = signals()
    a = edf.write_edf(tmp_path / "a.bdf", data, FS, units=units, annotations=ANNOTATIONS)
    b = edf.write_edf(tmp_path / "b.bdf", data, FS, units=units, annotations=ANNOTATIONS)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes()[:8] == b"\xffBIOSEMI"  # BDF's signature, chosen from the suffix


def test_channels_with_their_own_rates_and_ranges(tmp_path):
    n = int(3 * FS)
    channels = [
        edf.Channel("EMG", 0.1 * np.sin(np.arange(n) / 5.0), "mV", physical_range=(-1.0, 1.0)),
        edf.Channel("Force", np.linspace(0.0, 100.0, 3000), "N", fs=1000.0),
    ]
    path = edf.write_edf(tmp_path / "mixed.edf", channels, FS)
    reader = pyedflib.EdfReader(str(path))
    try:
        assert reader.getSampleFrequencies().tolist() == [FS, 1000.0]
        assert reader.getPhysicalMaximum(0) == 1.0
        assert reader.getPhysicalMinimum(0) == -1.0
        np.testing.assert_allclose(reader.readSignal(1), channels[1].data, atol=100.0 / 65535)
    finally:
        reader.close()


def test_header_limits_fit_eight_characters_and_bound_the_data():
    for lo, hi in [(-0.48140973, 0.40212304), (-12345.678, 9.87654321), (0.0, 1e-3)]:
        low, high = edf.header_range(lo, hi)
        assert low <= lo
        assert high >= hi
        assert high - low < 1.001 * (hi - lo)  # widened by the last printable digit only
        assert len(repr(low)) <= 8
        assert len(repr(high)) <= 8
    assert edf.header_range(3.0, 3.0) == (2.0, 4.0)  # a flat signal still gets a range
    with pytest.raises(edf.ExportError, match="larger unit"):
        edf.header_range(-1e12, 1e12)


def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    data, units = signals()
    target = tmp_path / "bout.edf"
    target.write_bytes(b"previous result")

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pyedflib.EdfWriter, "writeSamples", broken)
    with pytest.raises(edf.ExportError, match="disk full"):
        edf.write_edf(target, data, FS, units=units, annotations=ANNOTATIONS)
    assert target.read_bytes() == b"previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bout.edf"]
    with pytest.raises(edf.ExportError, match="sample 3"):
        edf.write_edf(tmp_path / "new.edf", {"EMG": np.array([0.0, 1, 2, np.nan])}, FS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bout.edf"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"fmt": "gdf"}, "unknown format"),
        ({"fmt": "bdf"}, "should not be named"),
        ({"signals": {}}, "no channels"),
        ({"signals": {"EMG": np.array([])}}, "non-empty"),
        ({"signals": {"EMG": np.ones((2, 3))}}, "1-D"),
        ({"signals": {"EMG": np.array([0.0, np.inf])}}, "finite"),
        ({"signals": {"a label of 17 chars": np.ones(4)}}, "16 characters"),
        ({"signals": {"EMG": np.ones(4)}, "units": "millivolt"}, "8 characters"),
        ({"signals": {"EMG": np.ones(4096), "F": np.ones(2048)}}, "lasts"),
        ({"fs": 0.0}, "sampling rate"),
        ({"annotations": [(-1.0, 1.0, "before")]}, "outside"),
        ({"annotations": [(0.0, -1.0, "negative")]}, "duration"),
        ({"annotations": [(0.0, 1.0, "x" * 41)]}, "40 bytes"),
        ({"annotations": [(0.0, 1.0, "")]}, "non-empty"),
        ({"patient": edf.Patient(sex="unknown")}, "sex"),
        ({"patient": edf.Patient(name="é")}, "ASCII"),
    ],
)
def test_bad_input_is_refused_before_anything_is_written(tmp_path, kwargs, match):
    args = {"signals": {"EMG": np.zeros(4096)}, "fs": FS, **kwargs}
    signals_, fs = args.pop("signals"), args.pop("fs")
    with pytest.raises(edf.ExportError, match=match):
        edf.write_edf(tmp_path / "bad.edf", signals_, fs, **args)
    assert list(tmp_path.iterdir()) == []


def test_the_io_layer_imports_no_simulation_code():
    import ast
    from pathlib import Path

    for name in ("__init__.py", "edf.py"):
        tree = ast.parse((Path(edf.__file__).parent / name).read_text())
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        ours = {m for m in modules if m.startswith("myoaxis")}
        assert all(m.startswith(("myoaxis.core", "myoaxis.io")) for m in ours), ours
