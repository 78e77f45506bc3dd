"""Bone in the slow layer: Komarova remodelling, the mechanostat, osteokines, BMD scores."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoaxis.assess import bmd
from myoaxis.body import Body
from myoaxis.conditions import base_parameters, condition, subject_parameters
from myoaxis.core.equations import Component, Input
from myoaxis.core.errors import ParameterError, ScenarioError
from myoaxis.physiology import bone
from myoaxis.physiology.bone import loading
from myoaxis.physiology.bone.osteokines import READS
from myoaxis.slow import Segment, SlowLayer
from myoaxis.validation import bone as vb

DAY = vb.DAY
_REST = {
    "il6_plasma": base_parameters().value_in("il6.baseline_plasma", "pg/mL"),
    "cortisol_plasma": base_parameters().value_in("bone.glucocorticoid.daily_mean", "nmol/L"),
    "inflammation": 0.0,
}
# Bone alone: the names it reads from other components are inputs the tests set (at rest
# unless a test holds them elsewhere).
READS_AT_REST = Component(
    name="bone_reads_at_rest",
    states=(),
    parameters={},
    inputs=tuple(Input(n, u, f"{n} (set by the test)", _REST[n]) for n, u in READS.items()),
)
BONE_ALONE = (READS_AT_REST, *bone.COMPONENTS)
STATES_AT_START = {
    "bone_osteoclasts_hip": 1.0606601717798212,  # Komarova C-bar, (beta1/alpha1)(beta2/alpha2)^0.5
    "bone_osteoblasts_hip": 212.13203435596424,  # B-bar, (beta1/alpha1)(beta2/alpha2)^-0.5
    "bone_mass_hip": 100.0,
}


def cohort(n: int = 2) -> Body:
    """A man and a woman (or more alternating), batched."""
    sexes = [("male", "female")[i % 2] for i in range(n)]
    params = [subject_parameters("healthy_adult", s, 40) for s in sexes]
    return Body(params, np.full(n, 70.0))


def layer(body: Body | None = None, period: float = DAY) -> SlowLayer:
    return SlowLayer(body or cohort(), period, BONE_ALONE)


def value(slow: SlowLayer, name: str) -> np.ndarray:
    """Latest value of a state or assignment, per subject."""
    names = [v.name for v in (*slow.model.states, *slow.model.assignments)]
    return slow.series()[1][names.index(name), :, -1]


def hold(slow: SlowLayer, seconds: float, **values: float) -> None:
    """Advance with ports *and* the stand-ins for other components' outputs (IL-6, cortisol,
    inflammation) held at ``values``; ``advance`` takes ports only, so go through a schedule."""
    n = slow.body.n_subjects
    u = slow.model.input_array({k: np.full(n, v) for k, v in values.items()}, n)
    slow.replay([Segment(0.0, seconds, u)])


def test_starts_at_komarovas_steady_state():
    slow = layer()
    for name, expected in STATES_AT_START.items():
        assert slow.state(name) == pytest.approx(expected, rel=1e-12)


def test_a_year_of_habitual_life_keeps_every_state_put():
    slow = layer()
    start = slow.y.copy()
    slow.advance(365 * DAY)
    assert np.allclose(slow.y, start, rtol=1e-9, atol=1e-9)
    assert value(slow, "bmd_hip") == pytest.approx([0.858, 0.858], rel=1e-9)


def test_normal_cortisol_rhythm_and_resting_il6_leave_bone_alone():
    slow = layer()
    mass = slow.state("bone_mass_spine")
    for _day in range(10):
        for hour in range(0, 24, 3):
            cortisol = 190 + 210 * np.cos(2 * np.pi * hour / 24)  # peak 400 nmol/L, mean 190
            hold(slow, 3 * 3600.0, cortisol_plasma=cortisol)
    assert slow.state("bone_mass_spine") == pytest.approx(mass, rel=1e-12)


def test_osteoclast_pulse_gives_one_net_neutral_remodelling_cycle():
    cycle = vb.remodelling_cycle()
    oc, ob, mass = cycle["osteoclasts"], cycle["osteoblasts"], cycle["mass"]
    assert vb.osteoblast_peak_day() == 14  # BIOMD0000000148: OB peak ~397 on day 14
    assert ob.max() == pytest.approx(397, abs=2)
    assert np.argmin(mass) in range(11, 16)
    assert 88 < mass.min() < 91  # resorption first (Komarova: nadir 89.8 %)
    c_bar = STATES_AT_START["bone_osteoclasts_hip"]
    assert abs(oc[22] / c_bar - 1) < 0.05 < abs(oc[21] / c_bar - 1)  # back within 5 % on day 22
    assert 85 <= vb.cycle_length_days() <= 105
    assert mass[-1] == pytest.approx(100, abs=0.05)


def test_bed_rest_loses_bone_and_raises_sclerostin():
    assert vb.bed_rest_loss_per_month("hip") < -1.0
    assert vb.bed_rest_loss_per_month("spine") < -1.0
    rises = [vb.bed_rest_sclerostin_change(d) for d in vb.SCLEROSTIN_DAYS]
    assert all(r > 15 for r in rises)
    assert rises[2] < rises[1]  # partial accommodation: falls back by day 90
    signal = value(vb.bed_rest(90), "bone_mechanical_signal_hip")
    assert -0.9 < signal[0] < -0.3  # disuse, partly accommodated (full unloading: -0.9)


def _train(slow: SlowLayer, weeks: int, session: list[tuple[float, dict]]) -> None:
    """Sessions on Monday, Wednesday and Friday; habitual life in between."""
    for _ in range(weeks):
        for day in range(7):
            if day in (0, 2, 4):
                for seconds, ports in session:
                    slow.advance(seconds, ports)
                slow.advance(DAY - sum(s for s, _ in session))
            else:
                slow.advance(DAY)


def test_running_gains_bone_and_lowers_sclerostin():
    speed = 3.0  # m/s
    run = {
        "exercise_load_hip": np.full(2, loading.hip_running(speed)),
        "exercise_load_spine": np.full(2, loading.spine_gait(speed)),
        "loading_frequency": np.full(2, 2.8),
    }
    slow = layer(period=7 * DAY)
    _train(slow, 26, [(1800.0, run)])
    assert np.all(value(slow, "bone_mass_hip") > 100.1)
    assert np.all(value(slow, "bone_mass_spine") > 100.1)
    assert np.all(value(slow, "sclerostin_plasma") < 30.0)


def test_more_walking_stays_in_the_adapted_window():
    walk = {
        "exercise_load_hip": np.full(2, loading.hip_walking(1.2)),
        "exercise_load_spine": np.full(2, loading.spine_gait(1.2)),
        "loading_frequency": np.full(2, 1.8),
    }
    slow = layer(period=7 * DAY)
    _train(slow, 8, [(1800.0, walk)])
    assert value(slow, "bone_mass_hip") == pytest.approx(100, abs=1e-3)


def test_strain_feedback_makes_gains_saturate():
    slow = layer(period=30 * DAY)
    heavy = {"exercise_load_hip": np.full(2, 4.0), "loading_frequency": np.full(2, 2.0)}
    gains = []
    for _ in range(4):
        start = slow.state("bone_mass_hip")
        for _ in range(91):
            slow.advance(3600.0, heavy)
            slow.advance(DAY - 3600.0)
        gains.append(slow.state("bone_mass_hip") - start)
    assert np.all(gains[0] > 0)
    assert np.all(gains[-1] < gains[0])


def test_menopause_overlay_touches_only_bone_and_loses_trabecular_bone_faster():
    assert condition("menopause").parameters == {
        "bone.oestrogen_deficiency",
        "bone.time_since_menopause",
    }
    years, spine, hip = vb.menopause_transition()
    assert _loss(years, spine) < _loss(years, hip) < 0  # spine (trabecular) loses more
    early, late = vb.menopause_loss_rate(0, 2), vb.menopause_loss_rate(2, 7)
    assert early < late < 0


def _loss(years, values):
    return float(np.interp(5.0, years, values) - np.interp(-5.0, years, values))


def test_oestrogen_deficiency_raises_rankl_and_sclerostin_only_with_the_overlay():
    body = Body(
        [
            subject_parameters("healthy_adult", "female", 51, ("menopause",)),
            subject_parameters("healthy_adult", "female", 51),
        ],
        np.full(2, 65.0),
    )
    slow = layer(body, 30 * DAY)
    slow.advance(365 * DAY)
    rankl, scl = value(slow, "rankl_opg_ratio"), value(slow, "sclerostin_plasma")
    assert rankl[0] > 1.1
    assert rankl[1] == 1.0
    assert scl[0] > scl[1] == pytest.approx(30.0)
    assert value(slow, "bmd_spine")[0] < value(slow, "bmd_spine")[1]


@pytest.mark.parametrize(
    "ports",
    [{"cortisol_plasma": 900.0}, {"inflammation": 1.0}],
    ids=["glucocorticoid_excess", "inflammation"],
)
def test_glucocorticoid_excess_and_inflammation_lose_bone(ports):
    slow = layer(period=30 * DAY)
    hold(slow, 180 * DAY, **ports)
    assert value(slow, "rankl_opg_ratio")[0] > 1.2
    assert np.all(value(slow, "bone_mass_spine") < 99.0)


def test_osteocalcin_needs_il6_signalling():
    slow = layer(period=600.0)
    base = slow.state("osteocalcin_plasma")
    loads = {"exercise_load_hip": np.full(2, 3.0), "loading_frequency": np.full(2, 2.8)}
    slow.advance(1800.0, loads)  # loading with IL-6 held at rest (IL-6 blocked)
    assert slow.state("osteocalcin_plasma") == pytest.approx(base, rel=1e-9)
    hold(slow, 1800.0, exercise_load_hip=3.0, loading_frequency=2.8, il6_plasma=2.0)
    hold(slow, 3 * 3600.0, il6_plasma=2.0)  # IL-6 doubled
    rise = slow.state("osteocalcin_plasma") / base - 1
    assert np.all((rise > 0.03) & (rise < 0.08))  # Levinger 2014: +6.4 % after exercise


@settings(max_examples=8, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0.1, 30.0),  # days
            st.floats(0.0, 1.0),  # weight bearing
            st.floats(0.0, 10.0),  # hip load, BW
            st.floats(0.0, 10.0),  # spine load, BW
            st.floats(0.0, 3.0),  # loading frequency, Hz
            st.floats(0.0, 3000.0),  # cortisol, nmol/L
            st.floats(0.0, 200.0),  # IL-6, pg/mL
            st.floats(-0.5, 5.0),  # inflammation
        ),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_states_stay_non_negative_for_any_inputs(segments, menopause):
    body = Body(
        [subject_parameters("healthy_adult", "female", 50, ("menopause",) if menopause else ())],
        np.array([65.0]),
    )
    slow = layer(body, 30 * DAY)
    for days, wb, hip, spine, freq, cortisol, il6, inflammation in segments:
        hold(
            slow,
            days * DAY,
            weight_bearing=wb,
            exercise_load_hip=hip,
            exercise_load_spine=spine,
            loading_frequency=freq,
            cortisol_plasma=cortisol,
            il6_plasma=il6,
            inflammation=inflammation,
        )
        assert np.all(np.isfinite(slow.y))
        assert np.all(slow.y >= -slow.atol)


def test_habitual_loads_in_the_parameters_match_the_loading_helpers():
    p = base_parameters()
    assert p.value("bone.hip.habitual_load") == pytest.approx(loading.HABITUAL_HIP, rel=1e-3)
    assert p.value("bone.spine.habitual_load") == pytest.approx(loading.HABITUAL_SPINE, rel=1e-3)


def test_loading_helpers_follow_their_sources():
    assert loading.hip_walking(4 / 3.6) == pytest.approx(2.38)  # Bergmann 2001
    assert loading.hip_walking(1 / 3.6) < loading.hip_walking(5 / 3.6)  # Bergmann 1993
    assert loading.hip_walking(20.0) == loading.hip_walking(6 / 3.6)  # clipped
    assert loading.vertical_grf(6.0) == pytest.approx(2.5) == loading.vertical_grf(9.0)
    assert loading.hip_running(2.0) == pytest.approx(2.38 * 550 / 430)
    assert loading.hip_running(4.0) > loading.hip_running(2.5) > loading.hip_walking(1.4)
    squat = loading.resistance_loads(1780.0, 65.0)
    assert squat.hip == pytest.approx(3.63, abs=0.01)
    assert squat.spine == pytest.approx(4.66, 0.01)
    press = loading.resistance_loads(1780.0, 65.0, "leg_press")
    assert press.spine == 0.0
    assert press.hip < squat.hip
    assert loading.resistance_loads(0.0, 65.0).hip == 0.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: loading.hip_walking(0.0),
        lambda: loading.hip_running(-1.0),
        lambda: loading.resistance_loads(1000.0, 70.0, "deadlift"),
        lambda: loading.resistance_loads(-5.0, 70.0),
        lambda: loading.resistance_loads(1000.0, 0.0),
    ],
)
def test_loading_helpers_reject_bad_input(call):
    with pytest.raises(ScenarioError):
        call()


def test_t_scores_and_who_categories():
    p = base_parameters()
    ref = bmd.young_adult_reference(p, "hip", "male")  # WHO: female reference for men too
    assert (ref.mean, ref.sd) == (0.858, 0.120)
    t = bmd.t_score([0.858, 0.738, 0.53, 0.55], ref)
    assert t == pytest.approx([0.0, -1.0, -2.7333, -2.5667], abs=1e-4)
    assert list(bmd.who_category(t)) == ["normal", "normal", "osteoporosis", "osteoporosis"]
    assert list(bmd.who_category([-1.01, -2.49])) == ["osteopenia", "osteopenia"]
    spine_f = bmd.young_adult_reference(p, "spine", "female")
    assert bmd.t_score(1.064 - 0.106, spine_f) == pytest.approx(-1.0)
    with pytest.raises(ScenarioError, match="NaN"):
        bmd.who_category(float("nan"))


def test_z_scores_use_the_age_and_sex_matched_spine_reference():
    p = base_parameters()
    at_55 = bmd.age_matched_reference(p, "spine", "female", 55)
    assert (at_55.mean, at_55.sd) == (0.993, 0.141)
    between = bmd.age_matched_reference(p, "spine", "female", 60).mean
    assert between == pytest.approx((0.993 + 0.952) / 2)
    assert bmd.z_score(0.993, at_55) == pytest.approx(0.0)
    with pytest.raises(ParameterError, match="hip"):
        bmd.age_matched_reference(p, "hip", "female", 55)
    with pytest.raises(ScenarioError, match="site"):
        bmd.young_adult_reference(p, "wrist", "female")
    with pytest.raises(ScenarioError, match="sex"):
        bmd.young_adult_reference(p, "hip", "other")


def test_baseline_bmd_for_the_subject_parameters():
    p = base_parameters()
    assert bmd.baseline_bmd(p, "spine", "male", 70) == pytest.approx((1.070 + 1.068) / 2)
    assert bmd.baseline_bmd(p, "spine", "female", 20) == 1.064  # clipped to the first band
    assert bmd.baseline_bmd(p, "hip", "male", 70) == 0.858


@pytest.mark.interop
def test_sbml_export_replays_bed_rest_exercise_and_a_pulse(tmp_path):
    roadrunner = pytest.importorskip("roadrunner")
    from myoaxis.io.sbml import write_sbml

    slow = layer(vb.woman(52.0, ("menopause",)), DAY)
    slow.advance(20 * DAY, {"weight_bearing": np.array([0.0])})
    run = {"exercise_load_hip": 3.5, "exercise_load_spine": 1.6, "loading_frequency": 2.8}
    for _ in range(5):
        slow.advance(1800.0, {k: np.array([v]) for k, v in run.items()})
        slow.advance(DAY - 1800.0)
    slow.add("bone_osteoclasts_hip", np.array([5.0]))
    slow.advance(30 * DAY)
    rr = roadrunner.RoadRunner(str(write_sbml(slow, tmp_path / "bone.xml")))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-12
    times, values = slow.series()
    names = [v.name for v in (*slow.model.states, *slow.model.assignments)]
    checked = ["bmd_hip", "bmd_spine", "sclerostin_plasma", "osteocalcin_plasma"]
    replay = rr.simulate(times=times, selections=["time", *checked])
    for k, name in enumerate(checked, start=1):
        ours = values[names.index(name), 0]
        assert np.abs(replay[:, k] / ours - 1).max() < 1e-5, name


def test_bmd_records_per_subject_and_site():
    params = [subject_parameters("healthy_adult", s, 60) for s in ("female", "male")]
    records = bmd.bmd_records(
        {"spine": np.array([0.80, 1.10]), "hip": np.array([0.55, 0.90])},
        params,
        ["female", "male"],
        [60, 60],
        3600.0,
        "step 2",
    )
    assert len(records) == 4
    hip_f = next(r for r in records if r["site"] == "hip" and r["subject"] == 0)
    assert hip_f["category"] == "osteoporosis"
    assert hip_f["z_score"] is None
    spine_m = next(r for r in records if r["site"] == "spine" and r["subject"] == 1)
    assert spine_m["category"] == "normal"
    assert spine_m["z_score"] > 0
