"""Every registered literature validation case passes (``myoaxis validate``)."""

from __future__ import annotations

import pytest

from myoaxis.validation import CASES, run_cases


@pytest.mark.validation
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_case_passes(name):
    (outcome,) = run_cases([name])
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


def test_issue_two_cases_are_registered():
    assert {
        "size_principle",
        "last_unit_recruitment",
        "first_unit_peak_rate",
        "last_unit_peak_rate",
        "rate_at_recruitment",
        "force_excitation_curve",
        "hill_curves_vs_opensim",
        "grip_mvc_dodds_female",
        "grip_mvc_dodds_male",
    } <= set(CASES)


def test_an_outcome_with_a_numpy_band_is_json_serialisable():
    import json

    import numpy as np

    from myoaxis.validation.registry import ValidationCase

    case = ValidationCase(
        "x", "d", "hubal2005", "", (np.float64(0), np.float64(1)), lambda: 0.5, "t"
    )
    record = case.run().as_dict()
    assert record["passed"] is True
    assert json.loads(json.dumps(record))["passed"] is True
