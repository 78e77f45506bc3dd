"""Virtual cohorts: reproducible between-subject variability and the cohort validation cases."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis import population as pop
from myoaxis.assess import clinical
from myoaxis.conditions import base_parameters, subject_parameters
from myoaxis.core.citations import registry, source_keys
from myoaxis.core.errors import ParameterError
from myoaxis.core.rng import subject_streams
from myoaxis.validation import cohorts
from myoaxis.validation.registry import CASES

SPEC = pop.default_variability()
PARAMS = subject_parameters("healthy_adult", "male", 25.0)
VARIED = [n for f in SPEC for n in f.parameters if PARAMS.value(n) != 0]  # a 0 stays 0 if scaled


def values(subjects, names=VARIED) -> np.ndarray:
    return np.array([[p.value(n) for n in names] for p in subjects])


def test_the_default_spec_covers_strength_and_trainability():
    assert {"baseline_strength", "hypertrophy_trainability", "neural_trainability"} <= {
        f.name for f in SPEC
    }
    assert "muscle.elbow_flexors.max_isometric_force" in SPEC["baseline_strength"].parameters
    assert "muscle.knee_extensors.max_isometric_force" in SPEC["baseline_strength"].parameters
    assert SPEC["hypertrophy_trainability"].parameters == ("adaptation.hypertrophy.max_gain",)


def test_every_spec_source_is_a_known_citation():
    known = registry()
    for f in SPEC:
        for key in source_keys(f.source):
            assert key in known, (f.name, key)


def test_same_seed_gives_the_same_cohort_and_another_seed_a_different_one():
    a, b = values(pop.draw(PARAMS, 7, 6)), values(pop.draw(PARAMS, 7, 6))
    assert np.array_equal(a, b)
    assert not np.any(values(pop.draw(PARAMS, 8, 6)) == a)


def test_a_subject_does_not_depend_on_the_cohort_size_or_on_chunking():
    whole = values(pop.draw(PARAMS, 3, 10))
    assert np.array_equal(values(pop.draw(PARAMS, 3, 4)), whole[:4])
    chunks = [values(pop.draw(PARAMS, 3, 5, first=a)) for a in (0, 5)]
    assert np.array_equal(np.concatenate(chunks), whole)


def test_subject_k_uses_the_kth_child_of_subject_streams_and_seed_objects_are_not_consumed():
    root = np.random.SeedSequence(11)
    for k, child in enumerate(subject_streams(11, 4)):
        own = pop._subject_sequence(root, k)
        assert np.array_equal(own.generate_state(4), child.generate_state(4))
    seq = np.random.SeedSequence(5)
    assert np.array_equal(pop.deviates(seq, 3), pop.deviates(seq, 3))
    assert np.array_equal(pop.deviates(seq, 3), pop.deviates(5, 3))


def test_a_factor_does_not_depend_on_the_other_factors_of_the_spec():
    alone = pop.Variability((SPEC["neural_trainability"],))
    column = [f.name for f in SPEC].index("neural_trainability")
    assert np.array_equal(pop.deviates(9, 20, alone)[:, 0], pop.deviates(9, 20)[:, column])


def test_factors_change_their_parameters_together_and_leave_the_rest_alone():
    subjects = pop.draw(PARAMS, 21, 5)
    z = pop.deviates(21, 5)
    for j, f in enumerate(SPEC):
        base = values([PARAMS], f.parameters)
        if f.distribution == "lognormal":
            expected = base * f.multipliers(z[:, j : j + 1])
        else:
            expected = base + f.spread * z[:, j : j + 1]
        assert values(subjects, f.parameters) == pytest.approx(expected)
        assert all(f.source in p[f.parameters[0]].source for p in subjects)
    untouched = [n for n in PARAMS if n not in VARIED]
    assert all(s[n] == PARAMS[n] for s in subjects for n in untouched[::7])


def test_drawn_spread_matches_the_spec_within_sampling_error():
    n = 4000
    z = pop.deviates(2024, n)
    for j, f in enumerate(SPEC):
        assert abs(z[:, j].mean()) < 4 / np.sqrt(n), f.name
        assert abs(z[:, j].std(ddof=1) - 1) < 4 / np.sqrt(2 * (n - 1)), f.name
        if f.distribution == "lognormal":
            m = f.multipliers(z[:, j])
            assert np.all(m > 0)
            assert m.mean() == pytest.approx(1.0, abs=4 * f.cv / np.sqrt(n)), f.name
            assert m.std(ddof=1) / m.mean() == pytest.approx(f.cv, rel=0.12), f.name


def test_a_normal_factor_adds_sd_times_the_deviate_in_the_parameters_unit(tmp_path):
    spec = pop.read_variability(write(tmp_path, table(distribution='"normal"', cv=None, sd="0.1")))
    (f,) = spec
    assert (f.distribution, f.spread) == ("normal", 0.1)
    name = "adaptation.hypertrophy.max_gain"
    subjects = pop.draw(PARAMS, 4, 3, spec)
    z = pop.deviates(4, 3, spec)[:, 0]
    assert values(subjects, [name])[:, 0] == pytest.approx(PARAMS.value(name) + 0.1 * z)
    with pytest.raises(ParameterError, match="'f' is normal"):
        f.cv  # noqa: B018


def test_baseline_strength_spread_is_that_of_the_dodds_grip_centiles():
    norms = clinical.clinical_norms()
    ages = norms["grip_centiles.ages"].array()
    adult = (ages >= 20) & (ages <= 60)

    def centile(sex: str, c: int) -> np.ndarray:
        return np.log(norms[f"grip_centiles.{sex}_p{c}"].array()[adult])

    sigmas = [(centile(s, 90) - centile(s, 10)) / (2 * 1.2815516) for s in ("male", "female")]
    assert SPEC["baseline_strength"].sigma == pytest.approx(np.median(sigmas), abs=0.015)


def test_baseline_fitness_spread_is_that_of_the_friend_centiles():
    from myoaxis.conditions import vo2max_norms

    norms = vo2max_norms()

    def log_sd(sex: str) -> np.ndarray:
        p90, p10 = (norms[f"friend_treadmill.{sex}_p{c}"].array() for c in (90, 10))
        return (np.log(p90) - np.log(p10)) / (2 * 1.2815516)

    sigmas = np.concatenate([log_sd("male"), log_sd("female")])
    assert SPEC["baseline_fitness"].sigma == pytest.approx(np.median(sigmas), abs=0.015)
    assert SPEC["baseline_fitness"].parameters == ("energetics.vo2max_per_kg",)


def write(tmp_path, text: str):
    path = tmp_path / "spec.toml"
    path.write_text(text)
    return path


GOOD = {
    "parameters": '["adaptation.hypertrophy.max_gain"]',
    "distribution": '"lognormal"',
    "cv": "0.5",
    "description": '"d"',
    "source": '"hubal2005"',
}


def table(name: str = "f", **changes) -> str:
    keys = {**GOOD, **changes}
    return f"[{name}]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items() if v is not None)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (table(parameters='["adaptation.hypertrophy.max_gian"]'), r"\[f\].*max_gian.*did you mean"),
        (table(parameters='["muscle.*.no_such_thing"]'), r"\[f\].*matches no parameter"),
        (table(parameters="[]"), r"\[f\].*non-empty list"),
        (table(parameters='"adaptation.hypertrophy.max_gain"'), r"\[f\].*non-empty list"),
        (table(parameters='["spindle.fusimotor_frequency"]'), r"\[f\].*table, not a scalar"),
        (table(cv="0"), r"\[f\] cv must be a number in \(0, 3\]"),
        (table(distribution='"normal"', cv=None, sd="-1"), r"\[f\] sd must be a number > 0"),
        (table(distribution='"normal"', cv=None, sd="nan"), r"\[f\] sd must be a number > 0"),
        (table(distribution='"normal"', sd="1"), r"\[f\] has unknown keys cv; a normal factor"),
        (table(cv=None), r"\[f\] lacks cv \(the spread of a lognormal factor\)"),
        (table(cv="-0.2"), r"\[f\] cv"),
        (table(cv="50"), r"\[f\] cv"),
        (table(cv='"0.5"'), r"\[f\] cv"),
        (table(cv="true"), r"\[f\] cv"),
        (table(distribution='"beta"'), r"\[f\] distribution 'beta'.*lognormal, normal"),
        (table(source=None), r"\[f\] lacks source"),
        (table(description='" "'), r"\[f\] needs a non-empty description"),
        (table(mean="1"), r"\[f\] has unknown keys mean"),
        (table("a") + table("b"), r"\[b\].*already varied by factor 'a'"),
        ("f = 3\n", r"\[f\] must be a table"),
        ("[f\n", "invalid TOML"),
    ],
)
def test_a_bad_spec_is_a_parameter_error_naming_the_file_and_key(tmp_path, text, match):
    path = write(tmp_path, text)
    with pytest.raises(ParameterError, match=match) as err:
        pop.read_variability(path)
    assert str(path) in str(err.value)


def test_a_spec_file_reads_and_patterns_expand(tmp_path):
    spec = pop.read_variability(
        write(tmp_path, table(parameters='["muscle.*_flexors.max_isometric_force"]', cv="0.3"))
    )
    assert spec["f"].parameters == (
        "muscle.elbow_flexors.max_isometric_force",
        "muscle.shoulder_flexors.max_isometric_force",
    )
    assert spec["f"].sigma == pytest.approx(np.sqrt(np.log(1.09)))
    with pytest.raises(ParameterError, match="unknown variability factor 'g'"):
        spec["g"]


def test_a_missing_spec_file_is_a_parameter_error(tmp_path):
    with pytest.raises(ParameterError, match="no such variability file"):
        pop.read_variability(tmp_path / "none.toml")


def test_bad_draw_arguments_are_parameter_errors():
    with pytest.raises(ParameterError, match="n must be >= 1"):
        pop.draw(PARAMS, 1, 0)
    with pytest.raises(ParameterError, match="first"):
        pop.deviates(1, 2, first=-1)
    missing = type(PARAMS)({k: v for k, v in PARAMS.params.items() if not k.startswith("muscle.")})
    with pytest.raises(ParameterError, match=r"scenario\.toml: .*baseline_strength.*no parameter"):
        pop.draw(missing, 1, 2, where="scenario.toml")


def test_spec_names_are_model_parameters():
    known = base_parameters()
    assert all(n in known for n in VARIED)


# -- cohort validation cases --------------------------------------------------------------------


def test_cohort_runs_are_reproducible_and_subjects_independent_of_the_batch():
    a = cohorts.hubal_programme(4, 10)
    b = cohorts.hubal_programme(4, 10)
    for k in a:
        assert np.array_equal(a[k], b[k])
    small = cohorts.hubal_programme(4, 3)  # other batch, other solver chunks: same subjects
    assert small["one_rm"] == pytest.approx(a["one_rm"][:3], rel=1e-6)
    assert not np.allclose(cohorts.hubal_programme(5, 3)["one_rm"], small["one_rm"])
    assert np.ptp(a["csa"]) > 0.05
    assert np.all(a["csa"] > 0)


def test_statistics_of_the_cases():
    x = np.array([1.0, 2.0, 3.0, 10.0])
    assert cohorts.coefficient_of_variation(x) == pytest.approx(x.std(ddof=1) / 4.0)
    assert cohorts.high_responder_share(x) == 25.0
    pre = np.array([100.0, 120.0, 80.0])
    j = 1 - 3 / (4 * 2 - 1)
    assert cohorts.standardised_mean_change(pre, pre * 1.2) == pytest.approx(j * 20.0 / 20.0)


COHORT_CASES = [n for n in CASES if CASES[n].measure.__module__ == cohorts.__name__]


def test_cohort_cases_are_registered_with_seed_and_size():
    assert len(COHORT_CASES) == 6
    for name in COHORT_CASES:
        assert "Seeded cohort" in CASES[name].description
        assert "seed" in CASES[name].description


@pytest.mark.parametrize("name", COHORT_CASES)
def test_cohort_case_passes(name):
    outcome = CASES[name].run()
    assert outcome.passed, f"{name}: {outcome.measured_text} outside {outcome.band_text}"


def test_aerobic_trainability_scales_the_relative_vo2max_gain_in_proportion():
    from myoaxis.validation import aerobic

    gains = aerobic.heritage_gains(3, 6)
    assert np.array_equal(gains, aerobic.heritage_gains(3, 6))
    column = [f.name for f in SPEC].index("aerobic_trainability")
    m = SPEC["aerobic_trainability"].multipliers(pop.deviates(3, 6)[:, column])
    assert np.array_equal(np.argsort(gains), np.argsort(m))
    # in proportion but for the few tenths of a per cent of VO2max lost to ageing meanwhile
    assert gains / m == pytest.approx(np.full(6, np.median(gains / m)), rel=0.03)
