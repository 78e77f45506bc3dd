"""SNIRF export read back by MNE-Python, checked by the SNIRF validator, written atomically."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

mne = pytest.importorskip("mne")
pytest.importorskip("h5py")

from myoaxis.conditions import subject_parameters  # noqa: E402 - after the optional imports
from myoaxis.core.errors import ExportError  # noqa: E402
from myoaxis.core.rng import SubjectRNG, subject_streams  # noqa: E402
from myoaxis.io import snirf  # noqa: E402
from myoaxis.physiology.brain import haemodynamics as hd  # noqa: E402
from myoaxis.physiology.brain import optics  # noqa: E402

pytestmark = pytest.mark.interop

FS = 10.0
ONSETS = [10.0, 40.0, 70.0]
BLOCK = 5.0


def simulated():
    """Measured HbO/HbR (µM, (C, T)) and the optics of one subject tapping with the right hand."""
    params = [subject_parameters("healthy_adult", "female", 40.0)]
    bp = hd.BalloonParameters.from_parameters(params)
    op = optics.OpticsParameters.from_parameters(params, 40.0)
    montage = optics.montage_from_parameters(params[0])
    n = round(100 * FS)
    z = np.zeros((1, 2, n))
    for onset in ONSETS:
        z[0, 0, round(onset * FS) : round((onset + BLOCK) * FS)] = 1.0
    noise = hd.NoiseParameters.from_parameters(params)
    rec = optics.record(
        z, 1 / FS, bp, op, montage, noise=noise, rng=SubjectRNG(subject_streams(5, 1))
    )
    return rec.hbo[0], rec.hbr[0], op, montage


@pytest.fixture(scope="module")
def sim():
    return simulated()


def probe_of(op, montage) -> snirf.Probe:
    return snirf.Probe(
        wavelengths=op.wavelengths,
        source_positions=montage.source_positions,
        detector_positions=montage.detector_positions,
        source_labels=montage.source_labels,
        detector_labels=montage.detector_labels,
        landmark_positions=montage.landmark_positions,
        landmark_labels=montage.landmark_labels,
    )


STIMS = [
    snirf.Stim("Tapping/Right", ONSETS, BLOCK),
    snirf.Stim("Rest", [20.0, 50.0], [15.0, 15.0], [1.0, 2.0]),
]


def write(tmp_path, sim, kind="intensity", name="tapping.snirf"):
    hbo, hbr, op, montage = sim
    od = optics.optical_density(hbo, hbr, op, montage.distances(), ppf=op.dpf[0])
    data = {
        "intensity": optics.intensity(od, 2.5),
        "od": od,
        "hb": np.stack([hbo, hbr], axis=1),
    }[kind]
    return snirf.write_snirf(
        tmp_path / name,
        data,
        FS,
        montage.pairs,
        probe_of(op, montage),
        kind=kind,
        stims=STIMS,
        subject_id="P07",
        measurement_datetime=datetime(2024, 3, 5, 14, 30, 15),
        metadata={"Software": "MyoAxis", "PPF760": float(op.dpf[0, 0])},
    ), data


def read(path):
    return mne.io.read_raw_snirf(path, preload=True, verbose="error")


def test_intensity_round_trip_through_mne(tmp_path, sim):
    path, data = write(tmp_path, sim)
    raw = read(path)
    _, _, op, montage = sim
    assert raw.info["sfreq"] == pytest.approx(FS)
    assert len(raw.ch_names) == 16
    assert set(raw.get_channel_types()) == {"fnirs_cw_amplitude"}
    assert raw.ch_names[:4] == ["S1_D1 760", "S1_D1 850", "S1_D2 760", "S1_D2 850"]
    assert raw.ch_names[-1] == "S4_D4 850"
    np.testing.assert_allclose(raw.get_data(), data.reshape(16, -1), rtol=1e-12)
    assert raw.info["subject_info"]["his_id"] == "P07"
    assert raw.info["meas_date"] == datetime(2024, 3, 5, 14, 30, 15, tzinfo=UTC)
    # geometry in metres: channel k uses source/detector of pair k // 2
    for k, ch in enumerate(raw.info["chs"]):
        s, d = montage.pairs[k // 2]
        np.testing.assert_allclose(ch["loc"][3:6], montage.source_positions[s])
        np.testing.assert_allclose(ch["loc"][6:9], montage.detector_positions[d])
    distances = mne.preprocessing.nirs.source_detector_distances(raw.info)
    np.testing.assert_allclose(distances, np.repeat(montage.distances(), 2))
    ann = raw.annotations
    tapping = ann.description == "Tapping/Right"
    np.testing.assert_allclose(ann.onset[tapping], ONSETS)
    np.testing.assert_allclose(ann.duration[tapping], BLOCK)
    np.testing.assert_allclose(ann.onset[ann.description == "Rest"], [20.0, 50.0])
    assert len(ann) == 5
    del op


def test_mne_pipeline_recovers_the_concentrations(tmp_path, sim):
    """Intensity -> MNE optical density -> MNE Beer-Lambert (ppf = DPF) gives back our µM."""
    hbo, hbr, op, _ = sim
    path, _ = write(tmp_path, sim)
    od = mne.preprocessing.nirs.optical_density(read(path))
    haemo = mne.preprocessing.nirs.beer_lambert_law(od, ppf=tuple(op.dpf[0]))
    got = haemo.get_data() * 1e6
    assert haemo.get_channel_types()[:2] == ["hbo", "hbr"]
    # MNE references intensity to its mean (a constant per channel) and uses 0.2303 for ln(10)/10
    for ours, theirs in ((hbo, got[0::2]), (hbr, got[1::2])):
        ours = ours - ours.mean(axis=1, keepdims=True)
        theirs = theirs - theirs.mean(axis=1, keepdims=True)
        scale = np.abs(ours).max()
        np.testing.assert_allclose(theirs, ours, atol=2e-3 * scale)


def test_processed_kinds_round_trip(tmp_path, sim):
    hbo, hbr, _, _ = sim
    path, od = write(tmp_path, sim, "od", "od.snirf")
    raw = read(path)
    assert set(raw.get_channel_types()) == {"fnirs_od"}
    np.testing.assert_allclose(raw.get_data(), od.reshape(16, -1), rtol=1e-12)
    path, _ = write(tmp_path, sim, "hb", "hb.snirf")
    raw = read(path)
    assert raw.get_channel_types()[:2] == ["hbo", "hbr"]
    assert raw.ch_names[:2] == ["S1_D1 hbo", "S1_D1 hbr"]
    np.testing.assert_allclose(raw.get_data()[0::2] * 1e6, hbo, rtol=1e-10)  # uM in the file
    np.testing.assert_allclose(raw.get_data()[1::2] * 1e6, hbr, rtol=1e-10)


# pysnirf2 leaves h5py handles to the garbage collector, which reports them as unraisable
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.parametrize("kind", ["intensity", "od", "hb"])
def test_snirf_validator_accepts_the_file(tmp_path, sim, kind, monkeypatch):
    monkeypatch.chdir(tmp_path)  # pysnirf2 opens its log file (pysnirf2.log) in the cwd on import
    pysnirf2 = pytest.importorskip("snirf")
    path, _ = write(tmp_path, sim, kind, f"{kind}.snirf")
    result = pysnirf2.validateSnirf(str(path))
    problems = [
        (issue.location, issue.name)
        for issue in result.issues
        if issue.severity >= 2  # WARNING or FATAL
    ]
    assert result.is_valid(), problems
    assert not problems


def valid_args(sim):
    hbo, hbr, op, montage = sim
    od = optics.optical_density(hbo, hbr, op, montage.distances())
    return optics.intensity(od), montage, probe_of(op, montage)


def with_nan(data: np.ndarray) -> np.ndarray:
    out = data.copy()
    out[3, 1, 17] = np.nan
    return out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.update(data=a["data"][:, :1]), "shape"),
        (lambda a: a.update(data=-a["data"]), "positive"),
        (lambda a: a.update(data=with_nan(a["data"])), "NaN"),
        (lambda a: a.update(sfreq=0.0), "sampling rate"),
        (lambda a: a.update(pairs=a["pairs"] + 7), "outside the probe"),
        (lambda a: a.update(pairs=a["pairs"].astype(float)), "integer"),
        (lambda a: a.update(pairs=np.vstack([a["pairs"][:7], a["pairs"][:1]])), "only once"),
        (lambda a: a.update(kind="hbt"), "unknown SNIRF data kind"),
        (lambda a: a.update(stims=[snirf.Stim("A", [1.0], 1), snirf.Stim("A", [2.0], 1)]), "twice"),
        (lambda a: a.update(stims=[snirf.Stim("A", [500.0], 1)]), "onsets must lie"),
        (lambda a: a.update(stims=[snirf.Stim("A", [], 1)]), "no events"),
        (lambda a: a.update(metadata={"SubjectID": "x"}), "set by write_snirf"),
        (lambda a: a.update(subject_id=""), "subject_id"),
    ],
)
def test_bad_input_writes_nothing(tmp_path, sim, change, message):
    data, montage, probe = valid_args(sim)
    args = {"data": data, "sfreq": FS, "pairs": montage.pairs, "kind": "intensity"}
    args.update(stims=(), metadata=None, subject_id="P1")
    change(args)
    target = tmp_path / "bad.snirf"
    with pytest.raises(ExportError, match=message):
        snirf.write_snirf(target, probe=probe, **args)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("probe_change", "message"),
    [
        ({"wavelengths": [760.0]}, "exactly two"),
        ({"wavelengths": [760.0, 760.4]}, "differ"),
        ("cm", "metres"),
        ({"source_labels": ["a", "a", "b", "c"]}, "unique"),
        ({"landmark_positions": None}, "without landmark positions"),
    ],
)
def test_bad_probe(tmp_path, sim, probe_change, message):
    data, montage, probe = valid_args(sim)
    if probe_change == "cm":
        probe_change = {
            "source_positions": montage.source_positions * 100,
            "detector_positions": montage.detector_positions * 100,
        }
    bad = snirf.Probe(**{**probe.__dict__, **probe_change})
    with pytest.raises(ExportError, match=message):
        snirf.write_snirf(tmp_path / "p.snirf", data, FS, montage.pairs, bad)
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path, sim, monkeypatch):
    data, montage, probe = valid_args(sim)
    target = tmp_path / "keep.snirf"
    target.write_bytes(b"previous contents")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(snirf, "_write_probe", boom)
    with pytest.raises(ExportError, match="disk full"):
        snirf.write_snirf(target, data, FS, montage.pairs, probe)
    assert target.read_bytes() == b"previous contents"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.snirf"]


def test_target_must_be_a_snirf_file_in_an_existing_folder(tmp_path, sim):
    data, montage, probe = valid_args(sim)
    with pytest.raises(ExportError, match=r"\*\.snirf"):
        snirf.write_snirf(tmp_path / "x.h5", data, FS, montage.pairs, probe)
    with pytest.raises(ExportError, match="does not exist"):
        snirf.write_snirf(tmp_path / "no" / "x.snirf", data, FS, montage.pairs, probe)
