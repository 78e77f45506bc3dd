"""`Walk at V m/s for D`: grammar, records, outputs and the out-of-range speed error."""

from __future__ import annotations

import numpy as np
import pytest
from tests.test_cli import myoaxis

import myoaxis as mx
from myoaxis.core.errors import ProtocolError
from myoaxis.protocol import Walk, parse_step


def test_walk_parses_and_round_trips():
    step = parse_step("walk at 1.2 m/s for 30 s")
    assert step == Walk(1.2, 30.0)
    assert parse_step(str(step)) == step


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Walk at 0 m/s for 3 s", "a walking speed > 0 m/s"), ("Walk at 1.2 km for 3 s", "'m'")],
)
def test_bad_walk_steps_say_what_was_expected(text, expected):
    with pytest.raises(ProtocolError, match=expected):
        parse_step(text)


def test_walking_records_cadence_and_keeps_the_leg_traces():
    res = mx.Simulation(
        mx.Scenario.from_dict(
            {
                "seed": 4,
                "protocol": [
                    {"step": "Walk at 1.2 m/s for 6 s"},
                    {"step": "Walk at 1.8 m/s for 6 s"},
                ],
                "outputs": {"acute": ["excitation_ankle_dorsiflexors", "cpg_phase"]},
            }
        )
    ).run()
    slow, fast = (r for r in res.assessments if r["test"] == "cadence")
    assert 96 < slow["value"] < fast["value"] < 140  # steps/min rise with speed
    assert slow["steps"] == pytest.approx(slow["value"] / 60 * 6, abs=2)
    ds = res.acute(res.acute_ids[0])
    assert set(ds.data_vars) == {"excitation_ankle_dorsiflexors", "cpg_phase"}
    ta = ds["excitation_ankle_dorsiflexors"].values[0]
    assert ta.max() > 0.1
    assert np.mean(ta > 0.5 * ta.max()) < 0.6


@pytest.mark.e2e
def test_walking_faster_than_the_walk_run_transition_exits_2(tmp_path):
    (tmp_path / "s.toml").write_text('[[protocol]]\nstep = "Walk at 2.5 m/s for 10 s"\n')
    proc = myoaxis("run", "s.toml", "-o", "out.nc", cwd=tmp_path)
    assert proc.returncode == 2
    assert "outside the range" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out.nc").exists()
