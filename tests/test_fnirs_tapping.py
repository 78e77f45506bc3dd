"""`Assess fnirs_tapping` end to end: records, the kept recording, SNIRF export through the
command line, `Results.to_mne()`, the SNIRF validator, and the Gentile 2019 cohort."""

from __future__ import annotations

import numpy as np
import pytest
from tests.test_cli import cli

import myoaxis as mx
from myoaxis.protocol import Assess, parse_step

FNIRS = ["hbo", "hbr", "fnirs_intensity", "cortex_activity", "tap_times"]


def _scenario(conditions=(), outputs=FNIRS, protocol=("Assess fnirs_tapping",)):
    return mx.Scenario.from_dict(
        {
            "seed": 5,
            "subject": {"sex": "female", "age_years": 48, "conditions": list(conditions)},
            "protocol": [{"step": s} for s in protocol],
            "outputs": {"acute": list(outputs)},
        }
    )


@pytest.fixture(scope="module")
def runs():
    return {
        name: mx.Simulation(_scenario(c)).run()
        for name, c in (("healthy", ()), ("fibromyalgia", ("fibromyalgia",)))
    }


def _records(res, test):
    return {r["condition"]: r["value"] for r in res.assessments if r["test"] == test}


@pytest.mark.parametrize("text", ["Assess fnirs_tapping", "Assess tapping", "Assess reaction_time"])
def test_whole_person_tests_parse_without_a_muscle(text):
    step = parse_step(text)
    assert step == Assess(text.split()[1])
    assert str(step) == text


def test_records_per_condition_and_the_fibromyalgia_pattern(runs):
    hbo = {k: _records(r, "fnirs_tapping_hbo") for k, r in runs.items()}
    rate = {k: _records(r, "fnirs_tapping_rate") for k, r in runs.items()}
    assert set(hbo["healthy"]) == {"rest", "slow", "fast"}
    assert abs(hbo["healthy"]["rest"]) < 0.05 < hbo["healthy"]["slow"] < hbo["healthy"]["fast"]
    assert rate["healthy"]["slow"] == pytest.approx(1.0) == rate["fibromyalgia"]["slow"]
    assert rate["fibromyalgia"]["fast"] < 0.9 * rate["healthy"]["fast"]
    assert hbo["fibromyalgia"]["fast"] < 0.9 * hbo["healthy"]["fast"]
    assert hbo["fibromyalgia"]["slow"] == pytest.approx(hbo["healthy"]["slow"], rel=0.15)


def test_the_recording_is_kept_with_probe_blocks_and_units(runs):
    res = runs["healthy"]
    (step,) = res.acute_ids
    ds = res.acute(step)
    assert ds["hbo"].dims == ("subject", "channel", "time")
    assert ds["fnirs_intensity"].sizes["wavelength"] == 2
    assert ds["hbo"].attrs["units"] == "uM"
    assert ds.attrs["sampling_rate_hz"] == pytest.approx(10.0)
    assert list(ds["block_condition"].values[:3]) == ["rest", "slow", "fast"]
    left = ds["channel_source"].values < 2  # C3 sources: right-hand tapping
    active = ds["hbo"].values[0, left].max(axis=1)
    quiet = ds["hbo"].values[0, ~left].max(axis=1)
    assert np.all(active > 2 * quiet)
    taps = ds["tap_times"].values[0]
    assert np.all(np.diff(taps[np.isfinite(taps)]) > 0)


# pysnirf2 leaves h5py handles to the garbage collector, which reports them as unraisable
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.interop
@pytest.mark.e2e
def test_export_snirf_loads_in_mne_and_passes_the_validator(runs, tmp_path, monkeypatch, capsys):
    mne = pytest.importorskip("mne")
    results = tmp_path / "fm.nc"
    runs["fibromyalgia"].to_netcdf(results)
    target = tmp_path / "fm.snirf"
    code, out, err = cli(monkeypatch, capsys, "export", "snirf", str(results), "-o", str(target))
    assert code == 0, err
    assert "intensity" in out
    raw = mne.io.read_raw_snirf(target, preload=True, verbose="error")
    assert raw.info["sfreq"] == pytest.approx(10.0)
    assert len(raw.ch_names) == 16
    assert sorted(set(raw.annotations.description)) == ["fast", "rest", "slow"]
    od = mne.preprocessing.nirs.optical_density(raw)
    haemo = mne.preprocessing.nirs.beer_lambert_law(od, ppf=6.0)
    assert "hbo" in haemo.get_channel_types()
    monkeypatch.chdir(tmp_path)  # pysnirf2 writes its log file in the working folder
    pysnirf2 = pytest.importorskip("snirf")
    assert pysnirf2.validateSnirf(str(target)).is_valid()


@pytest.mark.interop
def test_to_mne_gives_the_exported_recording(runs):
    pytest.importorskip("mne")
    res = runs["healthy"]
    raw = res.to_mne()
    ds = res.acute(res.acute_ids[0])
    first = raw.get_data(picks=[0])[0]
    np.testing.assert_allclose(first, ds["fnirs_intensity"].values[0, 0, 0], rtol=1e-6)
    assert raw.annotations.onset[0] == pytest.approx(float(ds["block_onset"][0]))


def test_hb_only_runs_export_concentrations(tmp_path):
    pytest.importorskip("h5py")
    from myoaxis.results import write_fnirs_snirf

    res = mx.Simulation(_scenario(outputs=["hbo", "hbr"])).run()
    _, _, kind = write_fnirs_snirf(res.tree, tmp_path / "hb.snirf")
    assert kind == "hb"


@pytest.mark.parametrize(
    ("outputs", "message"),
    [(["force"], "no fNIRS recording"), (["hbo"], "neither fnirs_intensity nor both")],
)
def test_export_without_fnirs_outputs_exits_2(tmp_path, monkeypatch, capsys, outputs, message):
    pytest.importorskip("h5py")
    res = mx.Simulation(_scenario(outputs=outputs)).run()
    results = tmp_path / "run.nc"
    res.to_netcdf(results)
    target = tmp_path / "x.snirf"
    code, _, err = cli(monkeypatch, capsys, "export", "snirf", str(results), "-o", str(target))
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not target.exists()


def test_assess_tapping_and_the_reserve_carry_over():
    protocol = ("Tap index as fast as possible for 30 s", "Assess tapping")
    tired = mx.Simulation(_scenario(("fibromyalgia",), [], protocol)).run()
    fresh = mx.Simulation(_scenario(("fibromyalgia",), [], protocol[1:])).run()
    after, alone = tired.assessments[-1], fresh.assessments[-1]
    assert after["test"] == alone["test"] == "tapping"
    assert after["value"] < alone["value"]  # the drained reserve has not recovered
    assert 4.0 < alone["value"] < 7.5


@pytest.mark.validation
@pytest.mark.slow
def test_gentile2019_cohort_statistics():
    from myoaxis.validation import gentile2019 as g
    from myoaxis.validation.registry import CASES

    for name in [n for n in CASES if n.startswith("gentile2019_")]:
        outcome = CASES[name].run()
        assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"
    # tapping speed follows fatigue within FM (the overlay's design), significantly at n = 24
    assert np.all(g.fatigue_correlation() < -0.404)
    assert g.share_significant(g.hbo_p("fast")) >= 0.5
