"""`Tap index ...` steps: grammar, records, outputs and the rate-too-high error."""

from __future__ import annotations

import re

import numpy as np
import pytest
from tests.test_cli import myoaxis

import myoaxis as mx
from myoaxis.core.errors import ProtocolError
from myoaxis.protocol import Tap, parse_step


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("Tap index at 2 Hz for 30 s", Tap("index", 2.0, 30.0)),
        ("tap index as fast as possible for 20 s", Tap("index", None, 20.0)),
    ],
)
def test_tap_steps_parse_and_round_trip(text, step):
    assert parse_step(text) == step
    assert parse_step(str(step)) == step


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tap thumb at 2 Hz for 3 s", "expected a finger (index)"),
        ("Tap index at 0 Hz for 3 s", "a tapping rate > 0 Hz"),
        ("Tap index as quick as possible for 3 s", "expected 'fast'"),
        ("Tap index at 2 for 3 s", "expected 'Hz'"),
    ],
)
def test_bad_tap_steps_say_what_was_expected(text, expected):
    with pytest.raises(ProtocolError, match=re.escape(expected)):
        parse_step(text)


def _run(protocol, outputs=("tap_rate", "tap_times")):
    data = {
        "seed": 2,
        "subject": {"sex": "female", "age_years": 45},
        "protocol": [{"step": s} for s in protocol],
        "outputs": {"acute": list(outputs)},
    }
    return mx.Simulation(mx.Scenario.from_dict(data)).run()


def test_paced_and_maximal_tapping_records_and_traces():
    res = _run(
        ["Tap index at 2 Hz for 30 s", "Rest for 1 min", "Tap index as fast as possible for 20 s"]
    )
    paced, maximal = res.assessments
    assert paced["test"] == "paced_tapping_rate"
    assert paced["value"] == pytest.approx(2.0, rel=0.02)
    assert maximal["test"] == "tapping_rate"
    assert 4.0 < maximal["value"] < 7.5
    assert maximal["rate_decline"] < 0.9  # the rate falls within a 20-s maximal bout
    ds = res.acute("s003_tap_index")
    rate = ds.tap_rate.values[0]
    assert rate[-1] < rate[0]
    taps = ds.tap_times.values[0]
    taps = taps[~np.isnan(taps)]
    assert np.all(np.diff(taps) > 0)
    assert taps.size == pytest.approx(maximal["value"] * 20.0, abs=1.5)


@pytest.mark.e2e
def test_paced_rate_above_the_maximum_exits_2_and_writes_nothing(tmp_path):
    (tmp_path / "tap.toml").write_text(
        'schema_version = 1\n[[protocol]]\nstep = "Tap index at 9 Hz for 10 s"\n'
    )
    proc = myoaxis("run", "tap.toml", "-o", "out.nc", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "exceeds the maximal tapping rate" in proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["tap.toml"]
