"""Motor-cortex neuromodulation: session doses, safety limits, after-effects and courses."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import make_body, roadrunner_errors

from myoaxis import slow
from myoaxis.core.errors import ScenarioError, SimulationError
from myoaxis.physiology.brain import neuromodulation as nm
from myoaxis.validation import neuromodulation as vn
from myoaxis.validation.registry import CASES

MIN = 60.0


def _layer(n: int = 1, period: float = MIN) -> slow.SlowLayer:
    return slow.SlowLayer(make_body(n), period, components=nm.COMPONENTS)


def test_rest_stays_at_baseline_exactly():
    layer = _layer(2)
    layer.advance(3 * 86_400.0)
    assert np.all(layer.value(nm.EXCITABILITY) == 1.0)
    assert np.all(layer.value(nm.INHIBITION) == 0.0)


def test_defaults_per_technique():
    values = make_body().values
    assert nm.defaults("tDCS", values) == (2.0, None)
    assert nm.defaults("rTMS", values) == (80.0, 10.0)
    assert nm.defaults("tRNS", values) == (1.0, None)


def test_tdcs_dose_scales_with_current_and_duration():
    values = make_body(3).values
    ref = nm.stimulation_dose("tDCS", 1.0, 13 * MIN, values)
    assert ref[nm.AFTEREFFECT] == pytest.approx(np.ones(3))
    double = nm.stimulation_dose("tDCS", 2.0, 26 * MIN, values)
    assert double[nm.AFTEREFFECT] == pytest.approx(4.0 * ref[nm.AFTEREFFECT])
    usual = nm.stimulation_dose("tDCS", 2.0, 20 * MIN, values)  # the reference FM session
    assert usual[nm.CONSOLIDATION] == pytest.approx(np.ones(3))


def test_rtms_dose_counts_pulses():
    values = make_body().values
    assert nm.rtms_pulses(10.0, 25 * MIN, values)[0] == pytest.approx(2000.0, rel=1e-3)
    dose = nm.stimulation_dose("rTMS", 80.0, 25 * MIN, values)  # Passard 2007's session
    assert dose[nm.CONSOLIDATION][0] == pytest.approx(0.8, rel=1e-3)  # rtms.analgesic_gain
    assert dose[nm.AFTEREFFECT][0] == pytest.approx(1.0, rel=1e-3)
    faster = nm.stimulation_dose("rTMS", 80.0, 25 * MIN, values, frequency=20.0)
    assert faster[nm.AFTEREFFECT][0] == pytest.approx(2.0, rel=1e-3)


@pytest.mark.parametrize(
    ("technique", "intensity", "minutes", "frequency", "message"),
    [
        ("tDCS", 5.0, 20.0, None, "4 mA safety limit"),
        ("tDCS", 1.0, 45.0, None, "40 min session limit"),
        ("tDCS", 4.0, 35.0, None, "7.2 C charge limit"),
        ("tDCS", 2.0, 20.0, 10.0, "frequency applies to rTMS only"),
        ("tDCS", -1.0, 20.0, None, "positive"),
        ("tDCS", 2.0, 0.0, None, "duration must be positive"),
        ("rTMS", 100.0, 20.0, None, "90 % RMT"),
        ("rTMS", 80.0, 20.0, 1.0, "low-frequency"),
        ("rTMS", 80.0, 20.0, 20.0, "5-10 Hz"),
        ("rTMS", 80.0, 60.0, 10.0, "4000-pulse"),
        ("tRNS", 3.0, 10.0, None, "2 mA safety limit"),
    ],
)
def test_unsafe_sessions_are_refused(technique, intensity, minutes, frequency, message):
    with pytest.raises(ScenarioError, match=message):
        nm.check_stimulation(technique, intensity, minutes * MIN, frequency, make_body().values)


def test_safe_sessions_pass():
    values = make_body().values
    nm.check_stimulation("tDCS", 2.0, 20 * MIN, None, values)
    nm.check_stimulation("tDCS", 4.0, 30 * MIN, None, values)  # 7.2 C exactly
    nm.check_stimulation("rTMS", 80.0, 25 * MIN, 10.0, values)
    nm.check_stimulation("tRNS", 1.0, 10 * MIN, None, values)


def test_technique_names_are_case_insensitive_and_unknown_ones_suggest():
    values = make_body().values
    assert nm.stimulation_dose("TDCS", 1.0, 60.0, values)[nm.AFTEREFFECT][0] > 0
    with pytest.raises(ScenarioError, match="did you mean 'tDCS'"):
        nm.stimulation_dose("tDCX", 1.0, 60.0, values)


def test_aftereffect_saturates_and_larger_doses_last_longer():
    short = vn.aftereffect_duration("tDCS", 1.0, 13.0)
    long = vn.aftereffect_duration("tDCS", 2.0, 20.0)
    assert long > short
    peak = vn.mep_at("tDCS", 2.0, 20.0, 0.0)
    ceiling = 1.0 + float(make_body().values("neuromodulation.max_facilitation")[0])
    assert vn.mep_at("tDCS", 1.0, 13.0, 0.0) < peak < ceiling


def test_course_builds_persists_and_decays():
    one = vn.course("tDCS", 2.0, 20.0, sessions=1)
    ten = vn.course("tDCS", 2.0, 20.0)
    month, two_months = (vn.course("tDCS", 2.0, 20.0, days_after=d) for d in (30, 60))
    assert 0 < one < ten < 1.0
    assert ten > month > two_months > 0
    rtms = vn.course("rTMS", 80.0, 25.0)
    assert rtms / ten == pytest.approx(0.87, abs=0.03)  # rtms.analgesic_gain, Saltychev 2017


def test_course_runs_on_weekdays():
    layer = _layer(period=3600.0)
    vn.give_course(layer, vn.Course("tDCS", 2.0, 20.0, sessions=10))
    assert layer.t == pytest.approx(12 * 86_400.0)  # Mon-Fri twice, ends the day after session 10
    layer = _layer(period=3600.0)
    vn.give_course(layer, vn.Course("tDCS", 2.0, 20.0, sessions=5))
    assert layer.t == pytest.approx(5 * 86_400.0)  # no weekend after the last session


def _small_trial(course=vn.RTMS) -> vn.Trial:
    return vn.sham_controlled_trial(course, seed=3, n=6)


def test_sham_arm_gets_no_impulses_and_active_pain_falls_then_recovers():
    trial = _small_trial()
    assert trial.active.sum() == 6
    assert trial.active.size == 12
    for day in vn.FOLLOW_UP:  # sham: the untreated course of the condition, unchanged
        assert trial.after[day][~trial.active] == pytest.approx(trial.baseline[~trial.active])
    assert np.all(trial.after[0][trial.active] < trial.baseline[trial.active])
    for day in vn.FOLLOW_UP:  # no rebound: stimulation never leaves anyone worse than before
        assert np.all(trial.after[day][trial.active] <= trial.baseline[trial.active])
    assert trial.difference(0) < trial.difference(30) < trial.difference(60) < 0


def test_trial_is_reproducible_and_randomised_by_seed():
    again = vn.sham_controlled_trial.__wrapped__(vn.RTMS, seed=3, n=6)
    assert np.array_equal(again.active, _small_trial().active)
    other = vn.sham_controlled_trial(vn.RTMS, seed=4, n=6)
    assert other.active.sum() == 6
    assert vn.persistence(_small_trial(), 0) == pytest.approx(1.0)


def test_effect_size_sign_and_the_need_for_spread():
    rng = np.random.default_rng(0)
    baseline = rng.normal(7.0, 1.5, 40)
    active = np.arange(40) % 2 == 0
    after = {0: baseline - 1.5 * active}
    trial = vn.Trial(baseline, after, active, baseline >= vn.INCLUSION_NRS)
    assert trial.difference(0) < 0
    assert trial.effect_size(0) > 0  # positive = less pain with active stimulation
    flat = vn.Trial(
        np.full(4, 6.5), {0: np.array([5.0, 6.5, 5.0, 6.5])}, active[:4], active[:4] | True
    )
    with pytest.raises(SimulationError, match="no between-subject spread"):
        flat.effect_size(0)


def test_difference_is_adjusted_for_baseline_imbalance():
    rng = np.random.default_rng(1)
    baseline = rng.normal(7.0, 1.5, 40)
    active = np.arange(40) % 2 == 0
    baseline[active] += 0.5  # chance imbalance: the active arm starts with more pain
    trial = vn.Trial(baseline, {0: baseline.copy()}, active, np.ones(40, bool))
    assert trial.after[0][active].mean() - trial.after[0][~active].mean() > 0.4
    assert trial.difference(0) == pytest.approx(0.0, abs=1e-12)  # no treatment, no effect
    assert trial.effect_size(0) == pytest.approx(0.0, abs=1e-12)
    treated = vn.Trial(baseline, {0: baseline - 1.0 * active}, active, np.ones(40, bool))
    assert treated.difference(0) == pytest.approx(-1.0)


@pytest.mark.validation
@pytest.mark.parametrize("name", [n for n in CASES if n.startswith(("tdcs_", "trns_", "rtms_fm_"))])
def test_validation_cases_pass(name):
    outcome = CASES[name].run()
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


def test_full_model_at_rest_has_no_after_effects():
    layer = slow.SlowLayer(make_body(), 600.0)  # slow.COMPONENTS includes neuromodulation
    layer.advance(86_400.0)
    assert layer.value(nm.INHIBITION) == pytest.approx(0.0)
    assert layer.value(nm.EXCITABILITY) == pytest.approx(1.0)


@pytest.mark.interop
def test_roadrunner_replays_a_course(tmp_path):
    pytest.importorskip("roadrunner")
    layer = slow.SlowLayer(make_body(), 3600.0, components=nm.COMPONENTS, rtol=1e-10)
    for _ in range(3):
        vn.stimulate(layer, "tDCS", 2.0, 20.0)
        layer.advance(86_400.0)
    errors = roadrunner_errors(layer, tmp_path / "neuromodulation.xml", floor=1.0)
    assert max(errors.values()) < 1e-4, max(errors, key=errors.get)
