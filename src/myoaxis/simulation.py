"""The Simulation façade: ``Simulation(scenario).build().run() -> Results``.

One small handler per step type advances the two clocks: contraction and movement steps run a
fast-layer bout (:mod:`myoaxis.bouts`) and pass its per-window aggregates to the slow layer
(:mod:`myoaxis.slow`) as piecewise-constant port inputs; ``Rest`` advances the slow layer only.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import xarray as xr

from myoaxis import bouts, gait
from myoaxis.assess import (
    bmd,
    clinical,
    cpet,
    mvc_records,
    ogtt,
    peak_moving_mean,
    risk,
    voluntary_activation,
)
from myoaxis.assess import pain as pain_tests
from myoaxis.assess.mvc import KG_FORCE
from myoaxis.assess.rns import rns_records
from myoaxis.assess.tapping import cortex_limited, fnirs_session, session_dataset
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.citations import source_keys
from myoaxis.core.errors import ScenarioError
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.muscle_state import MuscleState
from myoaxis.muscles import AXIAL, ELBOW_PAIR, GAIT_MUSCLES, muscle_names
from myoaxis.outputs import ACUTE_OUTPUTS, attrs
from myoaxis.physiology import pharmacology
from myoaxis.physiology.adaptation import ageing, nutrition, performance
from myoaxis.physiology.adaptation import muscle as adaptation
from myoaxis.physiology.adaptation.ageing import STRENGTH
from myoaxis.physiology.bone import loading
from myoaxis.physiology.brain import autonomic, motor_learning, pain
from myoaxis.physiology.brain import motor_cortex as mc
from myoaxis.physiology.brain import neuromodulation as nm
from myoaxis.physiology.muscle import energetics
from myoaxis.physiology.musculoskeletal import mobility
from myoaxis.physiology.neural import premotor, tapping
from myoaxis.protocol import (
    MVC,
    Age,
    Assess,
    BedRest,
    Cycle,
    Dose,
    Hold,
    HoldToFailure,
    Imagine,
    Intermittent,
    Meal,
    Move,
    Perturb,
    Practice,
    Ramp,
    Resistance,
    Rest,
    Run,
    Sleep,
    Step,
    Stimulate,
    Tap,
    Walk,
)
from myoaxis.protocol.schedule import DAY, WEEK, Block
from myoaxis.protocol.steps import YEAR
from myoaxis.results import Results, records_dataset
from myoaxis.scenario import Scenario
from myoaxis.slow import SlowLayer, components


class _Session(NamedTuple):
    """A brain-stimulation session of a run (``start`` s since the scenario start)."""

    technique: str
    start: float
    seconds: float
    intensity: float
    frequency: float | None

    @property
    def end(self) -> float:
        return self.start + self.seconds


@dataclass
class _Run:
    """Mutable state of one run, shared by the step handlers."""

    body: Body
    fast: bouts.FastSettings
    slow: SlowLayer
    rng: SubjectRNG
    outputs: list[str]
    t: float = 0.0
    mvc: dict[str, np.ndarray] = field(default_factory=dict)  # measured MVC force (N)
    elbow_angle: np.ndarray | None = None  # rad
    sexes: list[str] = field(default_factory=list)
    acute: dict[str, xr.Dataset] = field(default_factory=dict)
    assessments: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    muscles: dict[str, MuscleState] = field(default_factory=dict)
    one_rm: dict[str, np.ndarray] = field(default_factory=dict)  # measured 1RM (N)
    aerobic: dict[str, tuple[float, energetics.EnergeticsState]] = field(
        default_factory=dict
    )  # (time, state) after the last bout of each kind (Cycle, Run)
    cortex: tuple[float, np.ndarray] | None = None  # (time, motor-cortex reserve) after a task
    progression: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)  # load factors
    load_scale: np.ndarray | None = None  # the running Resistance step's progression factor
    sessions: list[dict] = field(default_factory=list)  # training loads (TRIMP units)
    sets: list[dict] = field(default_factory=list)  # resistance sets: load vs capacity
    bouts: list[dict] = field(default_factory=list)  # aerobic bouts: intensity, duration
    doses: list[tuple[float, str, float]] = field(default_factory=list)  # (time, drug, mg)
    stimulations: list[_Session] = field(default_factory=list)  # brain stimulation, in order

    def muscle(self, name: str) -> MuscleState:
        """The muscle's persistent state, recovered at rest up to now."""
        if name not in self.muscles:
            self.muscles[name] = MuscleState.rested(self.body, name, self.t)
        state = self.muscles[name]
        state.catch_up(self.body, self.t)
        return state


class Simulation:
    """Build the body of a scenario's subject(s) and run its protocol."""

    def __init__(
        self, scenario: Scenario, *, progress: Callable[[int, int, str], None] | None = None
    ):
        self.scenario = scenario
        self.progress = progress
        self.body: Body | None = None

    def build(self) -> Simulation:
        s = self.scenario.subject
        params = subject_parameters(
            s.preset,
            s.sex,
            s.age_years,
            tuple(s.conditions),
            s.overrides,
            f"{self.scenario.source}: subject.overrides",
        ).with_values({"circadian.clock_at_start": self.scenario.start_hour}, "scenario start_time")
        self.body = Body([params], np.array([s.body_mass_kg]), s.age_years)
        return self

    def run(self) -> Results:
        if self.body is None:
            self.build()
        body = self.body
        programme = self.scenario.programme()
        _check_interventions(body, programme, self.scenario.source)
        run = _Run(
            body=body,
            fast=bouts.FastSettings.from_body(
                body,
                self.scenario.model.motor_units,
                spikes="emg" in self.scenario.outputs.acute,
                resistance=self.scenario.model.resistance,
            ),
            slow=SlowLayer(
                body,
                self.scenario.slow_period,
                components(_adapting(self.scenario), _drugs(self.scenario)),
                keep={*self.scenario.outputs.slow, *risk.SERIES_UNITS},
            ),
            rng=SubjectRNG(subject_streams(self.scenario.seed, body.n_subjects)),
            outputs=list(self.scenario.outputs.acute),
            elbow_angle=body.values("elbow.reference_angle", "rad"),
            sexes=[self.scenario.subject.sex] * body.n_subjects,
        )
        _run_block(run, programme, _StepIds(programme.count(), self.progress))
        if self.progress:
            self.progress(programme.count(), programme.count(), "done")
        self.slow_layer = run.slow  # kept for the SBML export of the run
        times, values = run.slow.series()
        _risks(run, times, values)
        return self._results(run, times, values)

    def _results(self, run: _Run, times: np.ndarray, values: np.ndarray) -> Results:
        keep = set(self.scenario.outputs.slow)
        m = run.slow.model
        variables = {v.name: v for v in (*m.states, *m.assignments)}
        slow = xr.Dataset(
            {
                name: (
                    ("subject", "time"),
                    values[k],
                    {"units": variables[name].units, "long_name": variables[name].long_name},
                )
                for k, name in enumerate(run.slow.kept)
                if name in keep
            },
            coords={
                "time": ("time", times, {"units": "s", "long_name": "time since start"}),
                "subject": np.arange(run.body.n_subjects),
            },
        )
        provenance = self._provenance()
        tree = xr.DataTree.from_dict(
            {
                "/": xr.Dataset(attrs={k: str(v) for k, v in provenance.items()}),
                "/slow": slow,
                **{f"/acute/{k}": ds for k, ds in run.acute.items()},
                "/assessments": records_dataset(run.assessments, "assessment records"),
                "/events": records_dataset(run.events, "event records"),
            }
        )
        return Results(tree, run.assessments, run.events, provenance)

    def _provenance(self) -> dict:
        from myoaxis import __version__

        body = self.body
        keys = sorted(
            {k for p in body.params for prm in p.params.values() for k in source_keys(prm.source)}
        )
        return {
            "package": "myoaxis",
            "version": __version__,
            "python": platform.python_version(),
            "scenario_name": self.scenario.name,
            "scenario": self.scenario.to_toml(),
            "seed": self.scenario.seed,
            "parameter_sets": ", ".join(body.params[0].names),
            "citations": ", ".join(keys),
        }


def _risks(run: _Run, times: np.ndarray, values: np.ndarray) -> None:
    """The risk engine (:mod:`myoaxis.assess.risk`) over the whole run: slow-layer series,
    session loads, sets, rides and clinical tests; its events join the run's events."""
    series = {n: values[k] for k, n in enumerate(run.slow.kept) if n in risk.SERIES_UNITS}
    run.events += risk.assess_risks(
        risk.RiskParameters.from_values(run.body.values),
        times=times,
        series=series,
        sessions=run.sessions,
        sets=run.sets,
        bouts=run.bouts,
        assessments=run.assessments,
        sexes=run.sexes,
    )
    run.events.sort(key=lambda e: (e["time_s"], e["subject"]))


def _adapting(scenario: Scenario) -> set[str]:
    """Muscle groups whose training adaptation the run carries: those a Resistance step
    trains, those a Practice or Imagine step exercises and those whose adaptation the outputs
    ask for."""
    steps = scenario.programme().flat()
    groups = {s.muscle for s in steps if isinstance(s, Resistance)}
    groups |= {motor_learning.muscle_group(s.movement) for s in steps if isinstance(s, Practice)}
    wanted = set(scenario.outputs.slow)
    return groups | {g for g in muscle_names() if wanted & set(adaptation.state_names(g).values())}


def _drugs(scenario: Scenario) -> set[str]:
    """The drugs a run doses (their pharmacokinetics join the slow layer)."""
    return {s.drug for s in scenario.programme().flat() if isinstance(s, Dose)}


def _stimulation(body: Body, step: Stimulate) -> tuple[float, float | None]:
    """A stimulation step's intensity and frequency, the technique's defaults where not given."""
    intensity, frequency = nm.defaults(step.technique, body.values)
    if step.intensity is not None:
        intensity = step.intensity
    return intensity, frequency if step.frequency is None else step.frequency


def _check_interventions(body: Body, programme: Block, source: str) -> None:
    """Refuse, before anything runs, a stimulation outside its safe published range or a dose
    above the drug's maximal single dose (the daily maximum is checked as the doses come)."""
    for step in dict.fromkeys(programme.flat()):
        try:
            if isinstance(step, Stimulate):
                intensity, frequency = _stimulation(body, step)
                nm.check_stimulation(
                    step.technique, intensity, step.seconds, frequency, body.values
                )
            elif isinstance(step, Dose):
                pharmacology.check_dose(step.drug, step.mg, 0.0, body.values)
        except ScenarioError as exc:
            raise ScenarioError(f"{source}: step '{step}': {exc}") from None


def _keep(run: _Run, step_id: str, bout: bouts.Bout, start: float, wanted: list[str]) -> None:
    """Store the wanted traces of a bout under ``/acute/<step_id>``."""
    data = {
        name: (
            ("subject", "time"),
            trace,
            {"units": bout.units[name], "long_name": ACUTE_OUTPUTS[name][1]},
        )
        for name, trace in bout.traces.items()
        if name in wanted
    }
    coords = {
        "time": ("time", bout.time, {"units": "s", "long_name": "time since step start"}),
        "subject": np.arange(run.body.n_subjects),
    }
    if bout.spikes is not None and bout.muscle is not None and "emg" in wanted:
        data, coords = _with_emg(run, bout, data, coords)
    if data:
        run.acute[step_id] = xr.Dataset(data, coords=coords, attrs={"start_time_s": start})


def _with_emg(run: _Run, bout: bouts.Bout, data: dict, coords: dict) -> tuple[dict, dict]:
    """Add the bout's surface EMG and its windowed measures (RMS, median frequency, conduction
    velocity, active units)."""
    e = bouts.surface_emg(run.body, bout, run.rng)
    fs = float(e["fs"])
    window = ("subject", "emg_window")
    data = {
        **data,
        "emg": (("subject", "emg_time"), e["emg"], attrs("emg")),
        **{
            f"emg_{name}": (window, e[name], attrs(f"emg_{name}"))
            for name in ("rms", "median_frequency", "conduction_velocity")
        },
        "active_units": (window, e["active_units"], attrs("active_units")),
    }
    coords = {
        **coords,
        "emg_time": (
            "emg_time",
            np.arange(e["emg"].shape[1]) / fs,
            {"units": "s", "long_name": "EMG sample time since step start", "sampling_rate": fs},
        ),
        "emg_window": (
            "emg_window",
            e["window_centres"],
            {"units": "s", "long_name": "EMG window centre"},
        ),
    }
    return data, coords


def _couple(run: _Run, bout: bouts.Bout, ports: dict | None = None) -> None:
    """Feed a bout's aggregates to the slow layer, window by window (with the step's other
    ``ports``, e.g. joint loads, held over the whole bout)."""
    elapsed = 0.0
    for start, end, value in bout.windows:
        run.slow.advance(end - start, {"active_mass_activation": value, **(ports or {})})
        elapsed = end
    run.t += elapsed


def _bout_step(
    run: _Run, step_id: str, bout: bouts.Bout, wanted: list[str], ports: dict | None = None
) -> None:
    _keep(run, step_id, bout, run.t, wanted)
    _couple(run, bout, ports)


def _event(run: _Run, subjects, kind: str, message: str, **extra) -> None:
    run.events += [
        {"subject": int(s), "kind": kind, "time_s": run.t, "message": message, **extra}
        for s in subjects
    ]


def _mvc_reference(run: _Run, muscle: str) -> np.ndarray:
    """The MVC a %MVC target refers to: the last measured one, else the model's maximum."""
    if muscle not in run.mvc:
        run.mvc[muscle] = run.body.muscle(muscle).max_force
        _event(
            run,
            range(run.body.n_subjects),
            "reference",
            f"no MVC of {muscle} measured yet; %MVC refers to the model's maximal force",
        )
    return run.mvc[muscle]


def _run_mvc(run: _Run, step: MVC, step_id: str) -> None:
    v = run.body.values
    duration = float(v("cortex.mvc_duration", "s")[0])
    bout = bouts.isometric(
        run.body,
        run.muscle(step.muscle),
        None,
        duration,
        run.fast,
        run.rng,
        rise_time=float(v("cortex.mvc_rise_time", "s")[0]),
    )
    window = round(float(v("cortex.mvc_window", "s")[0]) / run.fast.output_period)
    peak = peak_moving_mean(bout.traces["force"], window)
    muscle = run.body.muscle(step.muscle)
    arm = None
    if muscle.moment_arm is not None:  # effective moment arm of the group
        arm = float(
            (muscle.moment_arm * muscle.mtu.max_isometric_force).sum()
            / muscle.mtu.max_isometric_force.sum()
        )
    run.assessments += mvc_records(step.muscle, peak, arm, run.t + duration, step_id)
    run.mvc[step.muscle] = peak
    _bout_step(run, step_id, bout, run.outputs)


def _target_bout(
    run: _Run, step: Hold | Ramp, step_id: str, level: Callable[[float], float]
) -> None:
    muscle = run.body.muscle(step.muscle)
    fraction = _mvc_reference(run, step.muscle) / muscle.max_force
    bout = bouts.isometric(
        run.body,
        run.muscle(step.muscle),
        lambda t: fraction * level(t),
        step.seconds,
        run.fast,
        run.rng,
    )
    _bout_step(run, step_id, bout, run.outputs)


def _run_hold(run: _Run, step: Hold, step_id: str) -> None:
    _target_bout(run, step, step_id, lambda _t: step.level)


def _run_ramp(run: _Run, step: Ramp, step_id: str) -> None:
    _target_bout(
        run,
        step,
        step_id,
        lambda t: step.start + (step.end - step.start) * min(t / step.seconds, 1.0),
    )


def _run_move(run: _Run, step: Move, step_id: str) -> None:
    states = (run.muscle(ELBOW_PAIR[0]), run.muscle(ELBOW_PAIR[1]))
    bout = bouts.elbow_move(
        run.body,
        states,
        run.elbow_angle,
        np.radians(step.angle_deg),
        step.seconds,
        run.fast,
        run.rng,
    )
    run.elbow_angle = np.radians(bout.traces["angle"][:, -1])
    _bout_step(run, step_id, bout, run.outputs)


def _run_perturb(run: _Run, step: Perturb, step_id: str) -> None:
    """An external torque on the held elbow (:func:`bouts.elbow_perturb`): records the peak
    displacement, its time, the stretch-reflex latency, the peak Ia rate and the stiffness."""
    p = bouts.Perturbation.from_body(run.body)
    states = (run.muscle(ELBOW_PAIR[0]), run.muscle(ELBOW_PAIR[1]))
    bout = bouts.elbow_perturb(
        run.body,
        states,
        run.elbow_angle,
        step.torque_nm,
        step.seconds,
        run.fast,
        run.rng,
        onset=p.onset,
        after=p.after,
    )
    measures = bouts.perturbation_measures(bout, p)
    run.elbow_angle = np.radians(bout.traces["angle"][:, -1])
    _bout_step(run, step_id, bout, run.outputs)
    for name, values in measures.items():
        unit = bouts.PERTURBATION_MEASURES[name][0]
        run.assessments += _records(
            run,
            f"perturbation_{name}",
            "elbow",
            step_id,
            values,
            unit,
            torque_nm=np.full(values.shape, step.torque_nm),
        )


def _param(run: _Run, name: str, unit: str | None = None) -> float:
    """A protocol-level setting (taken from the first subject: it shapes the whole batch)."""
    return float(run.body.values(name, unit)[0])


def _failure(run: _Run) -> bouts.Failure:
    return bouts.Failure(
        _param(run, "task.failure_tolerance"), _param(run, "task.failure_hold", "s")
    )


def _until_failure(
    run: _Run, muscle: str, target, step_id: str, fraction: np.ndarray, failure=None
) -> np.ndarray:
    """Run ``target`` (a function of bout time, as in :func:`bouts.isometric`, whose level is
    ``fraction`` of the rested maximal force) until every subject fails; returns each one's
    endurance time (s; ``nan`` if right-censored at ``task.max_until_failure``).

    A subject whose target exceeds its current maximal force fails at once (an event).
    """
    state = run.muscle(muscle)
    m = run.body.muscle(muscle)
    strength = state.strength(run.body)
    hopeless = fraction * m.max_force > strength
    _event(
        run,
        np.flatnonzero(hopeless),
        "failure",
        f"target of {muscle} exceeds its current maximal force: failed at once",
    )
    bound = _param(run, "task.max_until_failure", "s")
    endurance = np.where(hopeless, 0.0, np.nan)
    if hopeless.all():
        return endurance
    bout = bouts.isometric(
        run.body,
        state,
        lambda t: np.where(hopeless, 0.0, target(t)),
        bound,
        run.fast,
        run.rng,
        failure=failure or _failure(run),
    )
    endurance = np.where(hopeless, 0.0, bout.failure_time)
    censored = np.isnan(endurance)
    _bout_step(run, step_id, bout, run.outputs)
    _event(
        run,
        np.flatnonzero(censored),
        "censored",
        f"{muscle} did not fail within task.max_until_failure = {bound:g} s; "
        "the endurance time is right-censored",
    )
    return endurance


def _censored_records(run, times, bound, start, step_id, test, **fields) -> None:
    """One record per subject of a time to an end point (s); ``nan`` = still going at
    ``bound``, recorded as ``bound`` and right-censored."""
    run.assessments += [
        {
            "subject": s,
            "test": test,
            **fields,
            "step": step_id,
            "time_s": start + (bound if np.isnan(e) else e),
            "value": bound if np.isnan(e) else float(e),
            "unit": "s",
            "censored": bool(np.isnan(e)),
        }
        for s, e in enumerate(times)
    ]


def _endurance_records(run, muscle, endurance, step_id, test, percent, start) -> None:
    bound = _param(run, "task.max_until_failure", "s")
    _censored_records(
        run, endurance, bound, start, step_id, test, muscle=muscle, target_percent_mvc=percent
    )


def _level(run: _Run, muscle: str, percent: float) -> np.ndarray:
    """A %MVC target as a fraction of the muscle's rested maximal force."""
    return _mvc_reference(run, muscle) / run.body.muscle(muscle).max_force * percent / 100.0


def _run_hold_to_failure(run: _Run, step: HoldToFailure, step_id: str) -> None:
    fraction = _level(run, step.muscle, step.percent)
    start = run.t
    endurance = _until_failure(run, step.muscle, lambda _t: fraction, step_id, fraction)
    _endurance_records(run, step.muscle, endurance, step_id, "endurance_time", step.percent, start)


def _duty_cycle(fraction: np.ndarray, on: float, off: float, rise: float = 0.0):
    """Target of intermittent work: ``fraction`` for ``on`` s (reached over ``rise`` s), then 0."""

    def target(t: float) -> np.ndarray:
        phase = t % (on + off)
        if phase >= on:
            return np.zeros_like(fraction)
        return fraction * (min(phase / rise, 1.0) if rise > 0 else 1.0)

    return target


def _run_intermittent(run: _Run, step: Intermittent, step_id: str) -> None:
    fraction = _level(run, step.muscle, step.percent)
    target = _duty_cycle(fraction, step.on_seconds, step.off_seconds)
    if not step.until_failure:
        bout = bouts.isometric(
            run.body, run.muscle(step.muscle), target, step.total_seconds, run.fast, run.rng
        )
        _bout_step(run, step_id, bout, run.outputs)
        return
    start = run.t
    endurance = _until_failure(run, step.muscle, target, step_id, fraction)
    _endurance_records(run, step.muscle, endurance, step_id, "endurance_time", step.percent, start)


def _skill(run: _Run, muscle: str) -> np.ndarray:
    """How much more the trained lift moves than the muscle's force alone: 1 + the 1RM-specific
    (coordination) gain of training (:mod:`myoaxis.physiology.adaptation.muscle`)."""
    name = adaptation.state_names(muscle)["skill"]
    if not run.slow.has(name):
        return np.ones(run.body.n_subjects)
    return 1.0 + run.slow.value(name)


def _reps(run: _Run, muscle: str, load: np.ndarray, reps: int, step_id: str, tolerance=None):
    """Repetitions of the trained lift at ``load`` (N; the muscle must produce ``load`` over
    :func:`_skill`) until ``reps`` are done or the subject fails; returns the number of
    repetitions each subject completed."""
    m = run.body.muscle(muscle)
    tut = _param(run, "resistance.time_under_tension", "s")
    pause = _param(run, "resistance.between_reps", "s")
    rise = _param(run, "resistance.rise_time", "s")
    state = run.muscle(muscle)
    force = load / _skill(run, muscle)
    hopeless = force > state.strength(run.body)
    fraction = np.where(hopeless, 0.0, force / m.max_force)
    failure = bouts.Failure(
        tolerance if tolerance is not None else _param(run, "task.failure_tolerance"),
        min(_param(run, "task.failure_hold", "s"), tut / 2),
    )
    if run.fast.resistance == "quasi_static":
        segments = bouts.repetitions(fraction, reps, tut, pause, rise)
        step = _param(run, "resistance.quasi_static_step", "s")
        bout = bouts.quasi_static(run.body, state, segments, run.fast, step, failure)
    else:
        target = _duty_cycle(fraction, tut, pause, rise)
        bout = bouts.isometric(
            run.body, state, target, reps * (tut + pause), run.fast, run.rng, failure=failure
        )
    lifted = np.where(hopeless, 0.0, load)
    _bout_step(run, step_id, bout, run.outputs, _lift_loads(run, muscle, lifted, tut + pause))
    done = np.where(np.isnan(bout.failure_time), reps, bout.failure_time // (tut + pause))
    return np.where(hopeless, 0, done).astype(int)


def _lift_loads(run: _Run, muscle: str, load: np.ndarray, cycle: float) -> dict:
    """Hip and spine loads of lifting ``load`` (N of ``muscle``'s force) once every ``cycle``
    seconds, for the groups whose lifts load the skeleton (``loading.RESISTANCE_EXERCISE``)."""
    exercise = loading.RESISTANCE_EXERCISE.get(muscle)
    if exercise is None:
        return {}
    loads = loading.resistance_loads(load, run.body.body_mass, exercise)
    lifting = load > 0
    return {
        "exercise_load_hip": loads.hip,
        "exercise_load_spine": loads.spine,
        "loading_frequency": np.where(lifting, 1.0 / cycle, 0.0),
    }


def _one_rm_reference(run: _Run, muscle: str) -> np.ndarray:
    if muscle not in run.one_rm:
        state = run.muscle(muscle)
        run.one_rm[muscle] = state.strength(run.body)
        _event(
            run,
            range(run.body.n_subjects),
            "reference",
            f"no 1RM of {muscle} measured yet; %1RM refers to its current maximal force",
        )
    return run.one_rm[muscle]


def _one_rm_now(run: _Run, muscle: str) -> np.ndarray:
    """The true 1RM now (N): the rested muscle's voluntary maximal force times the lift's
    skill (what a 1RM test would find, without its attempts)."""
    return MuscleState.rested(run.body, muscle).strength(run.body) * _skill(run, muscle)


def _train(run: _Run, step: Resistance, load: np.ndarray, done: np.ndarray, start: float):
    """The session's training stimulus: per-set neural and hypertrophy doses into the
    muscle's adaptation (Schoenfeld 2017 load dependence, proximity to failure from the
    repetitions in reserve) and the session's load (session RPE, RPE = 10 - repetitions in
    reserve, Zourdos 2016) into the fitness-fatigue model; ``done`` is ``(sets, S)``."""
    fraction = np.minimum(load / _one_rm_now(run, step.muscle), 1.0)
    failed = done < step.reps
    spare = adaptation.estimated_reps_in_reserve(fraction, done, failed)
    params = adaptation.DoseParameters.from_values(run.body.values)
    lifted = done > 0
    doses = [
        adaptation.resistance_doses(params, fraction, 1.0 * lifted[k], done[k], spare[k])
        for k in range(step.sets)
    ]
    adaptation.add_session(
        run.slow,
        step.muscle,
        adaptation.ResistanceDoses(sum(d.neural for d in doses), sum(d.hypertrophy for d in doses)),
    )
    rpe = np.clip(10.0 - spare, 0.0, 10.0).mean(axis=0)
    minutes = (run.t - start) / 60.0
    scale = run.body.values("performance.resistance_load_per_srpe")
    _session(run, scale * performance.session_rpe_load(rpe, minutes), start)


def _session(run: _Run, load: np.ndarray, start: float) -> None:
    """A training session's load (TRIMP units) into the fitness-fatigue model, and for the
    risk engine's workload ratios."""
    performance.add_session(run.slow, load)
    run.sessions += [{"subject": s, "time_s": start, "load": float(w)} for s, w in enumerate(load)]


def _run_resistance(run: _Run, step: Resistance, step_id: str) -> None:
    """Sets of repetitions at ``step.percent`` of 1RM (times the block's progression); then
    the session's training stimulus (:func:`_train`)."""
    load = _one_rm_reference(run, step.muscle) * step.level
    if run.load_scale is not None:
        load = load * run.load_scale
    start = run.t
    capacity = _one_rm_now(run, step.muscle)
    sets = []
    for k in range(step.sets):
        if k:
            _run_rest(run, Rest(step.rest_seconds), step_id)
        done = _reps(run, step.muscle, load, step.reps, f"{step_id}_set{k + 1}")
        sets.append(done)
        run.sets += [
            {
                "subject": s,
                "time_s": run.t,
                "load_n": float(load[s]),
                "capacity_n": float(capacity[s]),
                "failed": bool(n < step.reps),
            }
            for s, n in enumerate(done)
        ]
        run.assessments += [
            {
                "subject": s,
                "test": "resistance_set",
                "muscle": step.muscle,
                "step": step_id,
                "time_s": run.t,
                "value": int(n),
                "unit": "reps",
                "set": k + 1,
                "reps_planned": step.reps,
                "load_n": float(load[s]),
                "failed": bool(n < step.reps),
            }
            for s, n in enumerate(done)
        ]
        _event(
            run,
            np.flatnonzero(done < step.reps),
            "failure",
            f"set {k + 1} of {step} stopped early by task failure",
        )
    _train(run, step, load, np.array(sets), start)


def _assess_1rm(run: _Run, step: Assess, step_id: str) -> None:
    state = run.muscle(step.muscle)
    base = state.strength(run.body) * _skill(run, step.muscle)
    first = _param(run, "resistance.one_rm_first_attempt")
    increment = _param(run, "resistance.one_rm_increment")
    rest = _param(run, "resistance.one_rm_rest", "s")
    tolerance = _param(run, "resistance.lift_tolerance")
    best = np.zeros(run.body.n_subjects)
    lifting = np.ones(run.body.n_subjects, dtype=bool)
    attempt = 0
    while lifting.any():
        load = np.where(lifting, base * (first + increment * attempt), 0.0)
        if attempt:
            _run_rest(run, Rest(rest), step_id)
        lifted = _reps(run, step.muscle, load, 1, f"{step_id}_attempt{attempt + 1}", tolerance)
        lifting &= lifted == 1
        best = np.where(lifting, load, best)
        attempt += 1
    run.one_rm[step.muscle] = best
    run.assessments += _simple_records(run, step, step_id, best, "N")


def _records(run: _Run, test: str, muscle: str, step_id: str, values, unit: str, **extra):
    """One assessment record per subject, stamped with the run's current time."""
    return [
        {
            "subject": s,
            "test": test,
            "muscle": muscle,
            "step": step_id,
            "time_s": run.t,
            "value": float(v),
            "unit": unit,
            **{k: float(x[s]) for k, x in extra.items()},
        }
        for s, v in enumerate(values)
    ]


def _simple_records(run: _Run, step: Assess, step_id: str, values, unit: str, **extra) -> list:
    return _records(run, step.test, step.muscle, step_id, values, unit, **extra)


def _assess_endurance(run: _Run, step: Assess, step_id: str) -> None:
    _run_mvc(run, MVC(step.muscle), f"{step_id}_mvc")
    _run_rest(run, Rest(_param(run, "assess.endurance_rest", "s")), step_id)
    fraction = _level(run, step.muscle, step.percent)
    start = run.t
    endurance = _until_failure(run, step.muscle, lambda _t: fraction, step_id, fraction)
    _endurance_records(run, step.muscle, endurance, step_id, "endurance", step.percent, start)


def _assess_rns(run: _Run, step: Assess, step_id: str) -> None:
    run.assessments += rns_records(run.body, step.muscle, step.frequency, run.t, step_id)


def _assess_voluntary_activation(run: _Run, step: Assess, step_id: str) -> None:
    state = run.muscle(step.muscle)
    protocol = voluntary_activation.InterpolationProtocol.from_body(run.body)
    values, (effort, rest) = voluntary_activation.twitch_interpolation(
        run.body, state, run.fast, run.rng, protocol
    )
    _couple(run, effort)
    run.assessments += _simple_records(
        run,
        step,
        step_id,
        values["voluntary_activation"],
        "%",
        superimposed_twitch_n=values["superimposed_twitch"],
        resting_twitch_n=values["resting_twitch"],
        voluntary_force_n=values["voluntary_force"],
    )
    _couple(run, rest)


REST_PORTS = {Rest: {}, Age: {}, Sleep: {"asleep": 1.0}, BedRest: {"weight_bearing": 0.0}}


class _StepIds:
    """Numbers the steps as they run (``s001_mvc_grip``) and reports progress."""

    def __init__(self, total: int, progress: Callable | None):
        self.total, self.progress, self.done = total, progress, 0
        self.width = max(3, len(str(total)))

    def next(self, step: Step) -> str:
        if self.progress:
            self.progress(self.done, self.total, str(step))
        self.done += 1
        return f"s{self.done:0{self.width}d}_{step.slug}"


def _run_block(run: _Run, block: Block, ids: _StepIds) -> None:
    """Run a block's sessions: back to back, or each at its weekly slot (resting until then);
    a weekly block fills its weeks."""
    if block.days is None:
        for _ in range(block.times):
            _run_session(run, block, ids)
        return
    start = run.t
    for slot in block.slots():
        _wait_until(run, start + slot, block)
        _run_session(run, block, ids)
    _wait_until(run, start + block.weeks * WEEK, block)


def _run_session(run: _Run, block: Block, ids: _StepIds) -> None:
    for k, item in enumerate(block.items):
        if isinstance(item, Block):
            _run_block(run, item, ids)
            continue
        step_id = ids.next(item)
        progressive = block.progression is not None and isinstance(item, Resistance)
        if progressive:
            run.load_scale = run.progression.setdefault(
                (id(block), k), np.ones(run.body.n_subjects)
            )
        records = len(run.assessments)
        _sync_strength(run)
        HANDLERS[type(item)](run, item, step_id)
        if progressive:
            complete = _sets_complete(run, run.assessments[records:])
            run.progression[id(block), k] = run.load_scale * np.where(
                complete, 1 + block.progression.percent / 100, 1.0
            )
            run.load_scale = None


def _sync_strength(run: _Run) -> None:
    """Every muscle group's maximal force follows the slow layer: its training adaptation
    (``strength_factor_<group>``, which includes ageing) or, untrained, the ageing drift; the
    maximal voluntary drive of the limb's groups and the speed of its repetitive movements
    follow the strength of the motor pathway (1 unless a stroke weakened it, see
    :mod:`myoaxis.physiology.brain.motor_learning`)."""
    for group in muscle_names():
        trained = adaptation.state_names(group)["strength"]
        run.body.set_strength(group, run.slow.value(trained if run.slow.has(trained) else STRENGTH))
    p = motor_learning.MotorLearningParameters.from_values(run.body.values)
    w = np.minimum(run.slow.value(motor_learning.STRENGTH), 1.0)
    run.body.set_drive(
        motor_learning.drive_ceiling_factor(w, p),
        motor_learning.movement_speed_factor(w, p),
        motor_learning.LIMB,
    )


def _sets_complete(run: _Run, records: list[dict]) -> np.ndarray:
    """Per subject: were all sets in a resistance step's ``records`` completed?"""
    complete = np.ones(run.body.n_subjects, dtype=bool)
    for r in records:
        if r["test"] == "resistance_set" and r["failed"]:
            complete[r["subject"]] = False
    return complete


def _wait_until(run: _Run, when: float, block: Block) -> None:
    """Rest until ``when``; a session that overran it is an event (the next starts late)."""
    gap = when - run.t
    if gap > 0:
        _run_rest(run, Rest(gap), "")
    elif gap < -1.0:
        _event(
            run,
            range(run.body.n_subjects),
            "schedule",
            f"a session of the block '{block}' ran {-gap / 60:.0f} min past the start of the "
            "next; the next starts late",
        )


def _run_rest(run: _Run, step: Rest, _step_id: str) -> None:
    """Rest, sleep or bed rest: only the slow layer runs, with the step's ports."""
    run.slow.advance(step.seconds, REST_PORTS[type(step)])
    run.t += step.seconds


def _run_stimulate(run: _Run, step: Stimulate, _step_id: str) -> None:
    """A brain-stimulation session (checked before the run): the slow layer runs through it
    at rest and its after-effects enter at its end
    (:func:`~myoaxis.physiology.brain.neuromodulation.stimulation_dose`)."""
    intensity, frequency = _stimulation(run.body, step)
    _check_session_gap(run, step, intensity, frequency)
    run.slow.advance(step.seconds, {})
    run.t += step.seconds
    dose = nm.stimulation_dose(step.technique, intensity, step.seconds, run.body.values, frequency)
    for state, amount in dose.items():
        run.slow.add(state, amount)


def _check_session_gap(run: _Run, step: Stimulate, intensity: float, frequency) -> None:
    """Sessions of one technique less than ``neuromodulation.session_gap`` apart count as one
    session for the safety limits (at the highest intensity and frequency, their durations
    summed); raise :class:`ScenarioError` naming the step and the time if that one exceeds them.
    """
    gap = float(np.min(run.body.values("neuromodulation.session_gap", "s")))
    now = _Session(step.technique, run.t, step.seconds, intensity, frequency)
    joined = [now]
    for earlier in reversed(run.stimulations):
        if earlier.technique == now.technique and joined[-1].start - earlier.end < gap:
            joined.append(earlier)
    run.stimulations.append(now)
    if len(joined) == 1:
        return
    top = max(s.intensity for s in joined)
    fastest = None if frequency is None else max(s.frequency for s in joined)
    total = sum(s.seconds for s in joined)
    try:
        nm.check_stimulation(step.technique, top, total, fastest, run.body.values)
    except ScenarioError as exc:
        raise ScenarioError(
            f"step '{step}' at {run.t / 3600:.4g} h: with the {len(joined) - 1} session(s) of "
            f"{step.technique} before it, less than {gap / 3600:g} h apart "
            f"(neuromodulation.session_gap), it makes one session: {exc}"
        ) from None


def _run_dose(run: _Run, step: Dose, _step_id: str) -> None:
    """An oral dose into the drug's gut compartment, refused above the drug's maximal daily
    dose counting the doses of the last 24 h, or sooner than its minimum interval."""
    earlier = [(t, mg) for t, drug, mg in run.doses if drug == step.drug]
    taken = sum(mg for t, mg in earlier if t > run.t - DAY)
    since = run.t - earlier[-1][0] if earlier else np.inf
    try:
        pharmacology.check_dose(step.drug, step.mg, taken, run.body.values, since)
    except ScenarioError as exc:
        raise ScenarioError(f"step '{step}' at {run.t / 3600:.4g} h: {exc}") from None
    run.doses.append((run.t, step.drug, step.mg))
    run.slow.add(*pharmacology.dose_impulse(step.drug, step.mg, run.body.values))


PRACTICE = {  # step type -> (port held during it, neural dose of its muscle group)
    Practice: ("motor_practice", motor_learning.practice_neural_dose),
    Imagine: ("motor_imagery", motor_learning.imagery_neural_dose),
}


def _run_practice(run: _Run, step: Practice, _step_id: str) -> None:
    """Task practice or motor imagery: the motor pathway is used (``motor_practice`` or
    ``motor_imagery`` held at 1) and the movement's muscle group gets its neural dose."""
    port, neural_dose = PRACTICE[type(step)]
    run.slow.advance(step.seconds, {port: 1.0})
    run.t += step.seconds
    p = motor_learning.MotorLearningParameters.from_values(run.body.values)
    for state, amount in neural_dose(step.seconds, step.movement, p).items():
        run.slow.add(state, amount)


def _run_meal(run: _Run, step: Meal, _step_id: str) -> None:
    """A meal: its carbohydrate enters the gut compartment at once, its protein the day's
    supplemented intake (:mod:`~myoaxis.physiology.adaptation.nutrition`)."""
    if step.grams > 0:
        run.slow.add("gut_carbohydrate", np.full(run.body.n_subjects, step.grams))
    if step.protein > 0:
        window = run.body.values("nutrition.protein.window", "day")
        dose = nutrition.supplement_dose(step.protein, run.body.body_mass, window)
        run.slow.add(nutrition.SUPPLEMENT, dose)


CYCLING_TRACES = (
    "vo2",
    "pcr_muscle",
    "glycogen_muscle",
    "lactate_muscle",
    "lactate_plasma",
    "rer",
    "fat_oxidation",
    "carbohydrate_oxidation",
)


def _aerobic_state(run: _Run, step: Cycle, p: energetics.EnergeticsParameters):
    """The working muscles' energetics now: rested, or recovered since the last bout of the
    same kind."""
    if step.kind not in run.aerobic:
        return energetics.resting_state(p)
    then, state = run.aerobic[step.kind]
    return energetics.recover(state, p, run.t - then, p.cycling_mass)


def _aerobic_ports(p, intensity, traces, glycogen_before, span) -> dict[str, np.ndarray]:
    """What a piece of an aerobic bout puts on the slow layer's ports."""
    used = (glycogen_before - traces["glycogen_muscle"][:, -1]) * p.cycling_mass / p.wet_to_dry
    return {
        "active_mass_activation": p.cycling_mass * np.minimum(intensity, 1.0),
        "exercise_intensity": intensity,
        "muscle_glycogen_use": used * energetics.GRAMS_PER_MMOL_GLUCOSYL / span,
        "lactate_arterial": traces["lactate_plasma"].mean(axis=1),
    }


def _gait_loads(run: _Run, step: Cycle, intensity: np.ndarray) -> dict[str, np.ndarray]:
    """Joint loads of a running bout (none for cycling) at the speed its intensity implies by
    the ACSM running equation (a stopped subject loads nothing)."""
    if not isinstance(step, Run):
        return {}
    p = run.body.energetics
    vo2 = intensity * p.vo2max * 1e3 / run.body.body_mass  # mL/kg/min
    rest = _param(run, "running.resting_vo2", "mL/kg/min")
    speed = (vo2 - rest) / _param(run, "running.oxygen_cost", "mL/kg/m") / 60.0  # m/s
    moving = speed > 0
    gait = np.where(moving, speed, 1.0)  # any valid speed where nobody runs; masked below
    return {
        "exercise_load_hip": np.where(moving, loading.hip_running(gait), 0.0),
        "exercise_load_spine": np.where(moving, loading.spine_gait(gait), 0.0),
        "loading_frequency": np.where(moving, _param(run, "running.cadence", "Hz"), 0.0),
    }


def _run_cycle(run: _Run, step: Cycle, step_id: str) -> None:
    """Ride (or run) at a fraction of VO2max in pieces of ``cycling.output_period``; a subject
    whose working-muscle glycogen falls to ``energetics.glycogen_at_exhaustion`` stops (rests).
    Running uses the same whole-body energetics over ``running_muscle_mass_fraction``."""
    p = run.body.energetics
    if isinstance(step, Run):
        fraction = run.body.values("energetics.running_muscle_mass_fraction")
        p = replace(p, cycling_mass=fraction * run.body.body_mass)
    n = run.body.n_subjects
    until = step.seconds is None
    total = _param(run, "task.max_until_exhaustion", "s") if until else step.seconds
    dt = _param(run, "cycling.step", "s")
    piece = _param(run, "cycling.output_period", "s")
    floor = run.body.values("energetics.glycogen_at_exhaustion", "mmol/kg")
    state = _aerobic_state(run, step, p)
    start = run.t
    exhausted = np.full(n, np.nan)
    rows: dict[str, list[np.ndarray]] = {}
    times: list[float] = []
    done = 0.0
    while done < total - 1e-9 and (not until or np.isnan(exhausted).any()):
        span = min(piece, total - done)
        intensity = np.where(np.isnan(exhausted), step.percent / 100.0, 0.0)
        before = state.glycogen
        traces, state = energetics.aerobic_bout(p, intensity, span, dt, state, round(span / dt))
        done += span
        exhausted = np.where(np.isnan(exhausted) & (state.glycogen <= floor), done, exhausted)
        for name in CYCLING_TRACES:
            rows.setdefault(name, []).append(traces[name][:, -1])
        rows.setdefault("intensity", []).append(intensity)
        times.append(done)
        run.slow.advance(
            span,
            _aerobic_ports(p, intensity, traces, before, span) | _gait_loads(run, step, intensity),
        )
        run.t += span
    run.aerobic[step.kind] = (run.t, state)
    _aerobic_session(run, step, p, np.where(np.isnan(exhausted), run.t - start, exhausted), start)
    units = {name: ACUTE_OUTPUTS[name][0] for name in rows}
    bout = bouts.Bout(np.array(times), {k: np.stack(v, axis=1) for k, v in rows.items()}, units)
    _keep(run, step_id, bout, start, run.outputs)
    stopped = np.flatnonzero(~np.isnan(exhausted))
    _event(run, stopped, "exhaustion", f"{step}: working-muscle glycogen exhausted")
    if until:
        _censored_records(
            run,
            exhausted,
            total,
            start,
            step_id,
            "time_to_exhaustion",
            intensity_percent_vo2max=step.percent,
        )


def _aerobic_session(run: _Run, step: Cycle, p, seconds: np.ndarray, start: float) -> None:
    """A ride's or run's training load: Banister's TRIMP (:func:`performance.banister_trimp`)
    with the heart-rate-reserve fraction taken as the VO2-reserve fraction (Swain & Leutholtz
    1997)."""
    i = step.percent / 100.0
    reserve = np.clip((i * p.vo2max - p.vo2_rest) / (p.vo2max - p.vo2_rest), 0.0, 1.0)
    _session(run, performance.banister_trimp(seconds / 60.0, reserve, run.sexes), start)
    run.bouts += [
        {"subject": s, "time_s": start, "intensity": i, "duration_s": float(d)}
        for s, d in enumerate(seconds)
    ]


def _cortex_reserve(run: _Run) -> tuple[mc.MotorCortexParameters, np.ndarray | None]:
    """The motor cortex's parameters and its reserve now (None: full; a drained one recovers
    over the time since the last tapping task)."""
    p = mc.MotorCortexParameters.from_values(run.body.values)
    if run.cortex is None:
        return p, None
    then, reserve = run.cortex
    return p, mc.recover(p, reserve, run.t - then)


def _tapping(run: _Run, bout: tapping.TappingBout) -> tapping.TappingBout:
    """``bout`` as the motor cortex lets the subject perform it (its reserve carries on)."""
    p, reserve = _cortex_reserve(run)
    done = cortex_limited(bout, p, _param(run, "motor_cortex.time_step", "s"), reserve)
    run.cortex = (run.t + bout.duration, done.reserve)
    return done.bout


def _run_tap(run: _Run, step: Tap, step_id: str) -> None:
    """Finger tapping, paced or maximal (:mod:`myoaxis.physiology.neural.tapping`), as the
    motor cortex's supply allows (:func:`myoaxis.assess.tapping.cortex_limited`): records the
    achieved rate (Hz) and, for a maximal bout, the final-to-initial rate ratio; outputs tap
    times and the rate per ``tapping.rate_window``. A paced rate above a subject's maximal
    rate is a scenario error. The finger muscles' mass is too small to feed the slow layer."""
    p = run.body.tapping
    where = f"step '{step}'"
    if step.rate_hz is None:
        bout = tapping.maximal_bout(step.seconds, p, where=where)
    else:
        bout = tapping.paced_bout(step.rate_hz, step.seconds, p, where=where)
    bout = _tapping(run, bout)
    window = _param(run, "tapping.rate_window", "s")
    data: dict = {}
    coords: dict = {"subject": np.arange(run.body.n_subjects)}
    edges = np.arange(0.0, step.seconds + 1e-9, window)
    if "tap_rate" in run.outputs and edges.size > 1:
        rates = np.stack([bout.rate_between(a, b) for a, b in pairwise(edges)], axis=1)
        data["tap_rate"] = (("subject", "time"), rates, attrs("tap_rate"))
        centres = 0.5 * (edges[:-1] + edges[1:])
        coords["time"] = ("time", centres, {"units": "s", "long_name": "window centre"})
    if "tap_times" in run.outputs:
        data["tap_times"] = (("subject", "tap"), bout.tap_times, attrs("tap_times"))
    if data:
        run.acute[step_id] = xr.Dataset(data, coords=coords, attrs={"start_time_s": run.t})
    if step.rate_hz is None:
        test, extra = "tapping_rate", {"rate_decline": bout.rate_decline(window)}
    else:
        paced = np.full(run.body.n_subjects, step.rate_hz)
        test, extra = "paced_tapping_rate", {"paced_rate_hz": paced}
    run.assessments += _records(run, test, step.finger, step_id, bout.achieved_rate, "Hz", **extra)
    run.slow.advance(step.seconds)
    run.t += step.seconds


def _assess_tapping(run: _Run, step: Assess, step_id: str) -> None:
    """One trial of the finger tapping test: taps per second in ``tapping.test_duration``."""
    duration = _param(run, "tapping.test_duration", "s")
    p = run.body.tapping
    bout = _tapping(run, tapping.maximal_bout(duration, p, where=f"step '{step}'"))
    taps = bout.n_taps
    run.slow.advance(duration)
    run.t += duration
    rate = taps / duration
    run.assessments += _records(run, "tapping", "index", step_id, rate, "Hz", taps=taps)


def _assess_reaction_time(run: _Run, step: Assess, step_id: str) -> None:
    """Simple visual reaction time (:mod:`myoaxis.physiology.neural.premotor`, LATER model):
    ``assess.reaction_time_trials`` trials; records the mean of the valid ones (ms), their SD,
    and the anticipations and lapses left out."""
    p = premotor.PremotorParameters.from_values(run.body.values, run.body.age)
    protocol = premotor.ReactionTimeProtocol.from_values(run.body.values)
    test = premotor.reaction_time_test(p, protocol, run.rng)
    run.assessments += _records(
        run,
        "reaction_time",
        "index",
        step_id,
        1e3 * test.score,
        "ms",
        sd_ms=1e3 * test.sd,
        valid_trials=test.n_valid,
        anticipations=test.anticipations,
        lapses=test.lapses,
    )


def _assess_fnirs_tapping(run: _Run, step: Assess, step_id: str) -> None:
    """Rest, slow and fast finger-tapping blocks under the fNIRS motor probe
    (:func:`myoaxis.assess.tapping.fnirs_session`): records, per condition, the mean HbO
    change of the moving hand's motor cortex and the tapping rate; keeps the recording."""
    _, reserve = _cortex_reserve(run)
    session = fnirs_session(run.body, run.rng, reserve=reserve)
    data = session_dataset(session, run.outputs)
    if data is not None:
        run.acute[step_id] = data.assign_attrs(start_time_s=run.t)
    duration = session.design.duration
    run.slow.advance(duration)
    run.t += duration
    run.cortex = (run.t, session.reserve)
    for test, unit, per_condition in (
        ("fnirs_tapping_hbo", "uM", session.hbo_change()),
        ("fnirs_tapping_rate", "Hz", session.rates()),
    ):
        for condition, values in per_condition.items():
            records = _records(run, test, "index", step_id, values, unit)
            run.assessments += [r | {"condition": condition} for r in records]


def _assess_ogtt(run: _Run, step: Assess, step_id: str) -> None:
    """Oral glucose tolerance test: 75 g of glucose drunk at once, plasma glucose and insulin
    sampled at 0, 30, 60, 90 and 120 min (the slow layer runs at rest meanwhile); the record's
    value is the 2-h glucose, with the ADA classification and the Matsuda index."""
    glucose, insulin = [], []
    run.slow.add("gut_carbohydrate", np.full(run.body.n_subjects, ogtt.OGTT_GLUCOSE_LOAD))
    start = run.t
    for k, minute in enumerate(ogtt.OGTT_TIMES_MIN):
        if k:
            _run_rest(run, Rest(60.0 * (minute - ogtt.OGTT_TIMES_MIN[k - 1])), step_id)
        glucose.append(run.slow.state("glucose_plasma"))
        insulin.append(run.slow.state("insulin_plasma"))
    summary = ogtt.summarise_ogtt(np.stack(glucose, axis=1), np.stack(insulin, axis=1))
    records = _records(
        run,
        "ogtt",
        None,
        step_id,
        summary.two_hour_glucose,
        "mg/dL",
        start_s=np.full(run.body.n_subjects, start),
        fasting_glucose_mg_dl=summary.fasting_glucose,
        peak_glucose_mg_dl=summary.peak_glucose,
        peak_time_min=summary.peak_time,
        fasting_insulin_pmol_l=summary.fasting_insulin,
        peak_insulin_pmol_l=summary.peak_insulin,
        matsuda_index=summary.matsuda_index,
    )
    for record, label in zip(records, summary.classification, strict=True):
        record["classification"] = str(label)
    run.assessments += records


def _assess_bmd(run: _Run, step: Assess, step_id: str) -> None:
    """DXA-like bone density: spine (L1-L4) and femoral-neck BMD now, with T- and Z-scores
    and the WHO category (takes no time)."""
    values = {site: run.slow.value(f"bmd_{site}") for site in bmd.SITES}
    ages = np.broadcast_to(run.body.age, (run.body.n_subjects,))
    run.assessments += bmd.bmd_records(
        values, run.body.params, run.sexes, [float(a) for a in ages], run.t, step_id
    )


def _age_now(run: _Run) -> np.ndarray:
    """Each subject's age now (years)."""
    return run.body.age + run.t / YEAR


def _grip_kg(run: _Run, step_id: str) -> np.ndarray:
    """A grip MVC (recorded as such); returns its peak in kg."""
    _run_mvc(run, MVC("grip"), f"{step_id}_mvc")
    return run.mvc["grip"] / KG_FORCE


def _assess_grip_strength(run: _Run, step: Assess, step_id: str) -> None:
    """Grip dynamometry (an MVC of the grip group) with the Dodds 2014 centile and z-score for
    age and sex."""
    kg, age = _grip_kg(run, step_id), _age_now(run)
    run.assessments += _simple_records(
        run,
        step,
        step_id,
        kg,
        "kg",
        centile=clinical.grip_centile(kg, age, run.sexes),
        z=clinical.grip_z(kg, age, run.sexes),
    )


def _mobility(run: _Run) -> mobility.MobilityTests:
    """The mobility tests (:mod:`~myoaxis.physiology.musculoskeletal.mobility`) at the legs'
    current voluntary strength (training, ageing and any fatigue)."""
    knee, ankle = (
        run.muscle(g).strength(run.body) for g in ("knee_extensors", "ankle_plantarflexors")
    )
    v = run.body.values
    p = mobility.MobilityParameters.from_values(v)
    return mobility.mobility_tests(
        p,
        knee,
        ankle,
        run.body.body_mass,
        v("mobility.height", "m"),
        _age_now(run),
        run.sexes,
        mass_factor=_muscle_mass_factor(run, p),
        start_age_years=run.body.age,
    )


def _muscle_mass_factor(run: _Run, p: mobility.MobilityParameters) -> np.ndarray:
    """The subject's appendicular muscle mass relative to a typical adult of that size, age
    and sex: the preset's factor times the ageing drift, plus what the limb muscle groups whose
    adaptation the run carries gained or lost in cross-sectional area (``csa_<group>``; group
    mass x CSA change, both sides: training and disuse taken as bilateral)."""
    v = run.body.values
    factor = v("mobility.muscle_mass_factor") * run.slow.value(ageing.MASS)
    typical = mobility.appendicular_lean_mass(
        p, run.body.body_mass, v("mobility.height", "m"), run.body.age, run.sexes
    )
    change = sum(
        2.0 * run.body.muscle(g).mass * (run.slow.value(csa) - 1.0)
        for g in muscle_names()
        if g not in AXIAL and run.slow.has(csa := adaptation.state_names(g)["csa"])
    )
    return factor + change / typical


def _assess_gait_speed(run: _Run, step: Assess, step_id: str) -> None:
    """Usual gait speed over 4 m."""
    t = _mobility(run)
    run.assessments += _simple_records(
        run, step, step_id, t.gait_speed_m_s, "m/s", time_4m_s=t.gait_time_4m_s
    )


def _assess_chair_stand(run: _Run, step: Assess, step_id: str) -> None:
    """Five chair stands as fast as possible (s); a subject who cannot rise is recorded at the
    test's limit and flagged."""
    t = _mobility(run)
    limit = clinical.clinical_norms().value("sppb.chair_limit")
    able = np.isfinite(t.chair_stand_s)
    run.assessments += _simple_records(
        run, step, step_id, np.where(able, t.chair_stand_s, limit), "s", unable=~able
    )


def _assess_sppb(run: _Run, step: Assess, step_id: str) -> None:
    """Short Physical Performance Battery (0-12) with its balance, gait and chair scores."""
    score = _mobility(run).sppb
    run.assessments += _simple_records(
        run,
        step,
        step_id,
        score.total,
        "1",
        balance=score.balance,
        gait=score.gait,
        chair=score.chair,
    )


def _assess_sarcopenia(run: _Run, step: Assess, step_id: str) -> None:
    """EWGSOP2 (Cruz-Jentoft 2019): grip, chair stand, appendicular lean mass, gait speed and
    SPPB; the category is recorded with the criteria that fired."""
    kg = _grip_kg(run, step_id)
    t = _mobility(run)
    result = mobility.ewgsop2(t, kg, run.body.values("mobility.height", "m"), run.sexes)
    records = _simple_records(
        run, step, step_id, t.asm_index_kg_m2, "kg/m**2", asm_kg=t.asm_kg, grip_kg=kg
    )
    for record, category, fired in zip(records, result.category, result.fired(), strict=True):
        record["classification"] = str(category)
        record["criteria"] = ", ".join(fired)
    run.assessments += records


def _slow_marker(name: str, unit: str, what: str):
    """An assessment that reads a slow-layer variable now (it takes no time)."""

    def assess(run: _Run, step: Assess, step_id: str) -> None:
        run.assessments += _simple_records(run, step, step_id, run.slow.value(name), unit)

    assess.__doc__ = f"{what} (the slow layer's ``{name}``)."
    return assess


def _pain_test(measure, unit: str, what: str):
    """A quantitative sensory test (:mod:`myoaxis.assess.pain`) on the slow layer's
    sensitisation and descending inhibition now (it takes no time)."""

    def assess(run: _Run, step: Assess, step_id: str) -> None:
        values = {n: run.slow.value(n) for n in (*pain_tests.REQUIRED, pain.DISABILITY)}
        params = pain_tests.PainTestParameters.from_values(run.body.values)
        run.assessments += _simple_records(
            run, step, step_id, measure(values, params, run.rng), unit
        )

    assess.__doc__ = f"{what} (:func:`myoaxis.assess.pain.{measure.__name__}`)."
    return assess


def _assess_cpet(run: _Run, step: Assess, step_id: str) -> None:
    """A ramp cardiopulmonary exercise test on a cycle ergometer to exhaustion
    (:mod:`myoaxis.assess.cpet`): the slow layer runs through the ramp (it is exertion, and
    brings post-exertional malaise in ME/CFS); records peak VO2 (mL/min/kg) with the VO2 at
    the ventilatory threshold and the work rates."""
    n = run.body.n_subjects
    for seconds, intensity in cpet.cpet_protocol(run.body):
        run.slow.advance(seconds, {"exercise_intensity": np.full(n, intensity)})
        run.t += seconds
    values = {v: run.slow.value(v) for v in cpet.VARIABLES}
    m = cpet.cpet_measures(values, run.body.body_mass, run.body, run.rng)
    run.assessments += _simple_records(
        run,
        step,
        step_id,
        m["vo2peak"],
        "mL/min/kg",
        vo2_vt_ml_min_kg=m["vo2_vt"],
        work_peak_w=m["work_peak"],
        work_vt_w=m["work_vt"],
    )


def _assess_hrv(run: _Run, step: Assess, step_id: str) -> None:
    """Resting morning RMSSD (ms): the model's value with day-to-day scatter
    (:func:`~myoaxis.physiology.brain.autonomic.measure_rmssd`)."""
    rmssd = autonomic.measure_rmssd(run.slow.value(autonomic.RMSSD), run.rng, run.body)
    run.assessments += _simple_records(run, step, step_id, rmssd, "ms")


def _assess_readiness(run: _Run, step: Assess, step_id: str) -> None:
    """Readiness to train (:func:`~myoaxis.assess.clinical.readiness`): the RMSSD recordings of
    the last week against those of the run's first week, and grip now against the first grip
    test; needs earlier ``Assess hrv`` / ``Assess grip_strength`` records (else 'unknown')."""
    kg = _grip_kg(run, step_id)
    n = run.body.n_subjects
    hrv = [r for r in run.assessments if r["test"] == "hrv"]
    window, base, sd = np.full((n, 7), np.nan), np.full(n, np.nan), np.full(n, np.nan)
    for s in range(n):
        mine = [r for r in hrv if r["subject"] == s]
        recent = [r["value"] for r in mine if r["time_s"] > run.t - WEEK][-7:]
        window[s, : len(recent)] = recent
        first = (
            [r["value"] for r in mine if r["time_s"] <= mine[0]["time_s"] + WEEK] if mine else []
        )
        if len(first) >= 2:
            base[s], sd[s] = np.mean(first), np.std(first, ddof=1)
    grips = [r for r in run.assessments if r["test"] == "grip_strength"]
    grip_base = np.full(n, np.nan)
    for r in reversed(grips):
        grip_base[r["subject"]] = r["value"]
    ok = np.isfinite(base) & (sd > 0)
    window[~ok] = np.nan  # no baseline: HRV counts as not measured
    result = clinical.readiness(
        window,
        np.where(ok, base, 1.0),
        np.where(ok, sd, 1.0),
        kg,
        np.where(np.isfinite(grip_base), grip_base, kg),
    )
    records = _simple_records(
        run, step, step_id, result.hrv_z, "1", grip_decrement=result.grip_decrement
    )
    for record, status, reasons in zip(records, result.status, result.reasons(), strict=True):
        record["classification"] = str(status)
        record["criteria"] = ", ".join(reasons)
    run.assessments += records


ASSESSMENTS: dict[str, Callable[[_Run, Assess, str], None]] = {
    "1RM": _assess_1rm,
    "endurance": _assess_endurance,
    "rns": _assess_rns,
    "voluntary_activation": _assess_voluntary_activation,
    "tapping": _assess_tapping,
    "fnirs_tapping": _assess_fnirs_tapping,
    "reaction_time": _assess_reaction_time,
    "ogtt": _assess_ogtt,
    "bmd": _assess_bmd,
    "grip_strength": _assess_grip_strength,
    "gait_speed": _assess_gait_speed,
    "chair_stand": _assess_chair_stand,
    "sppb": _assess_sppb,
    "sarcopenia": _assess_sarcopenia,
    "vo2max": _slow_marker("vo2max", "mL/min/kg", "VO2max now, as a graded exercise test finds it"),
    "cognition": _slow_marker(
        "cognition", "1", "Cognition index (z units against age-matched peers, with training)"
    ),
    "hrv": _assess_hrv,
    "readiness": _assess_readiness,
    "pain": _slow_marker("pain_intensity", "1", "Ongoing pain now, 0-10 numeric rating scale"),
    "pain_threshold": _pain_test(
        pain_tests.assess_pain_threshold, "kPa", "Pressure pain threshold (algometry, kPa)"
    ),
    "cpm": _pain_test(
        pain_tests.assess_cpm, "%", "Conditioned pain modulation (% change of the threshold)"
    ),
    "temporal_summation": _pain_test(
        pain_tests.assess_temporal_summation,
        "1",
        "Temporal summation (NRS points, last minus first of a 1-Hz train)",
    ),
    "disability": _pain_test(
        pain_tests.assess_disability, "1", "Back-pain disability (Oswestry-like, 0-100)"
    ),
    "mood": _slow_marker("mood", "1", "Mood index (SD units against peers, positive = better)"),
    "cpet": _assess_cpet,
}


def _run_assess(run: _Run, step: Assess, step_id: str) -> None:
    ASSESSMENTS[step.test](run, step, step_id)


def _run_walk(run: _Run, step: Walk, step_id: str) -> None:
    """Walking (:func:`myoaxis.gait.walk`): the CPG drives the leg pools in a gait cycle whose
    cadence follows the speed; records the cadence (steps/min) and the steps taken."""
    states = {g: run.muscle(g) for g in GAIT_MUSCLES}
    bout, info = gait.walk(
        run.body, states, step.speed, step.seconds, run.fast, run.rng, where=f"step '{step}'"
    )
    loads = {
        "exercise_load_hip": loading.hip_walking(step.speed),
        "exercise_load_spine": loading.spine_gait(step.speed),
        "loading_frequency": info["cadence"] / 60.0,
    }
    _bout_step(run, step_id, bout, run.outputs, loads)
    run.assessments += _records(
        run,
        "cadence",
        "legs",
        step_id,
        info["cadence"],
        "steps/min",
        steps=info["steps"],
        speed_m_s=info["speed"],
        stance_fraction=info["stance_fraction"],
    )


HANDLERS: dict[type[Step], Callable[[_Run, Step, str], None]] = {
    MVC: _run_mvc,
    Hold: _run_hold,
    Ramp: _run_ramp,
    Move: _run_move,
    Perturb: _run_perturb,
    Rest: _run_rest,
    Sleep: _run_rest,
    BedRest: _run_rest,
    Age: _run_rest,
    Meal: _run_meal,
    Run: _run_cycle,
    HoldToFailure: _run_hold_to_failure,
    Intermittent: _run_intermittent,
    Resistance: _run_resistance,
    Assess: _run_assess,
    Cycle: _run_cycle,
    Tap: _run_tap,
    Walk: _run_walk,
    Stimulate: _run_stimulate,
    Dose: _run_dose,
    Practice: _run_practice,
    Imagine: _run_practice,
}
