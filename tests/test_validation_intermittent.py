"""Intermittent-task fatigue validation: 3CC against 3CC-r on published peak-torque declines."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis.core.errors import ParameterError
from myoaxis.physiology.muscle import fatigue
from myoaxis.validation import intermittent
from myoaxis.validation.fatigue import controller_rates, joint_rates
from myoaxis.validation.registry import CASES

HEADER = ",".join(intermittent.COLUMNS)
GOOD = "g1,grip,fulco1999,women,0.5,5,5,600,task_failure,44,1,SE,yes"


@pytest.mark.parametrize(
    "name",
    ["intermittent_error_improvement_with_recovery", "intermittent_3cc_overpredicts_decline"],
)
def test_registered_cases_pass(name):
    outcome = CASES[name].run()
    assert outcome.passed, (name, outcome.value, CASES[name].band)


def test_original_3cc_is_worse_than_3ccr():
    assert intermittent.rms_error(recovery=False) > intermittent.rms_error(recovery=True) + 5.0
    # recovery only ever helps: the 3CC predicts at least the 3CC-r decline for every protocol
    rows = intermittent.intermittent_protocols()
    with_r = intermittent.predicted_decline(rows, recovery=True)
    without = intermittent.predicted_decline(rows, recovery=False)
    assert np.all(without >= with_r - 1e-9)
    assert np.all((with_r >= 0) & (without <= 100))


def test_packaged_table_is_scored_on_verified_rows_only():
    rows = intermittent.intermittent_protocols()
    scored = intermittent.scored_protocols()
    assert len(scored) >= 6
    assert all(p.verified for p in scored)
    assert {p.joint for p in scored} >= {"grip", "knee"}
    assert len(intermittent.prediction_errors()) == len(scored) < len(rows)


def test_no_rest_equals_a_sustained_hold():
    F, R, r = joint_rates(("elbow",))
    LD, LR = controller_rates()
    state = intermittent.simulate_intermittent(0.4, 7.0, 0.0, 60.0, F, R, r, LD, LR)
    held = fatigue.step(fatigue.rest(1), 0.4, F, R, r, LD, LR, 60.0)
    np.testing.assert_allclose(state.fatigued, held.fatigued, rtol=1e-9, atol=1e-12)


def test_rest_multiplier_acts_only_in_the_rest_phases():
    F, R, _ = joint_rates(("knee",))
    LD, LR = controller_rates()
    args = (0.5, 5.0, 5.0, 300.0, F, R)
    one = fatigue.capacity(intermittent.simulate_intermittent(*args, 1.0, LD, LR))
    fifteen = fatigue.capacity(intermittent.simulate_intermittent(*args, 15.0, LD, LR))
    assert fifteen[0] > one[0]
    # ending at the end of the first contraction: no rest yet, so r cannot matter
    a = intermittent.simulate_intermittent(0.5, 5.0, 5.0, 5.0, F, R, 1.0, LD, LR)
    b = intermittent.simulate_intermittent(0.5, 5.0, 5.0, 5.0, F, R, 15.0, LD, LR)
    np.testing.assert_allclose(a.fatigued, b.fatigued)


def _write(tmp_path, *lines):
    path = tmp_path / "protocols.csv"
    path.write_text("# comment\n" + "\n".join(lines) + "\n")
    return path


def test_loader_reads_a_good_table(tmp_path):
    (p,) = intermittent.load_protocols(_write(tmp_path, HEADER, GOOD))
    assert p.verified
    assert (p.target_load, p.duration_s) == (0.5, 600)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (("key,joint", "x,grip"), "missing column"),
        ((HEADER,), "no protocols"),
        ((HEADER, GOOD.replace(",0.5,", ",half,")), "target_load must be a number"),
        ((HEADER, GOOD.replace(",0.5,", ",1.5,")), "target_load must lie in"),
        ((HEADER, GOOD.replace("grip,", "wrist,", 1)), "unknown joint 'wrist'"),
        ((HEADER, GOOD.replace("fulco1999", "nobody2000")), "unknown citation key"),
        ((HEADER, GOOD.replace(",5,5,", ",5,0,")), "on_s and off_s must be > 0"),
        ((HEADER, GOOD.replace(",yes", ",maybe")), "verified must be"),
        ((HEADER, GOOD, GOOD), "duplicate protocol key"),
    ],
)
def test_bad_table_gives_a_clear_error(tmp_path, lines, message):
    with pytest.raises(ParameterError, match=message):
        intermittent.load_protocols(_write(tmp_path, *lines))
