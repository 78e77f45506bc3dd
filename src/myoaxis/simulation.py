"""The Simulation façade: ``Simulation(scenario).build().run() -> Results``.

One small handler per step type advances the two clocks: contraction and movement steps run a
fast-layer bout (:mod:`myoaxis.bouts`) and pass its per-window aggregates to the slow layer
(:mod:`myoaxis.slow`) as piecewise-constant port inputs; ``Rest`` advances the slow layer only.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from myoaxis import bouts
from myoaxis.assess import mvc_records, peak_moving_mean
from myoaxis.body import Body
from myoaxis.conditions import subject_parameters
from myoaxis.core.citations import source_keys
from myoaxis.core.rng import SubjectRNG, subject_streams
from myoaxis.outputs import ACUTE_OUTPUTS
from myoaxis.protocol import MVC, Hold, Move, Ramp, Rest, Step
from myoaxis.results import Results, records_dataset
from myoaxis.scenario import Scenario
from myoaxis.slow import VARIABLES, SlowLayer


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
    acute: dict[str, xr.Dataset] = field(default_factory=dict)
    assessments: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)


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
        )
        self.body = Body([params], np.array([s.body_mass_kg]))
        return self

    def run(self) -> Results:
        if self.body is None:
            self.build()
        body = self.body
        steps = self.scenario.steps()
        run = _Run(
            body=body,
            fast=bouts.FastSettings.from_body(body, self.scenario.model.motor_units),
            slow=SlowLayer(body, self.scenario.slow_period),
            rng=SubjectRNG(subject_streams(self.scenario.seed, body.n_subjects)),
            outputs=list(self.scenario.outputs.acute),
            elbow_angle=body.values("elbow.reference_angle", "rad"),
        )
        for i, step in enumerate(steps):
            step_id = f"s{i + 1:03d}_{step.slug}"
            if self.progress:
                self.progress(i, len(steps), str(step))
            HANDLERS[type(step)](run, step, step_id)
        if self.progress:
            self.progress(len(steps), len(steps), "done")
        return self._results(run)

    def _results(self, run: _Run) -> Results:
        times, values = run.slow.series()
        keep = set(self.scenario.outputs.slow)
        slow = xr.Dataset(
            {
                v.name: (
                    ("subject", "time"),
                    values[k],
                    {"units": v.units, "long_name": v.long_name},
                )
                for k, v in enumerate(VARIABLES)
                if v.name in keep
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
    if data:
        run.acute[step_id] = xr.Dataset(
            data,
            coords={
                "time": ("time", bout.time, {"units": "s", "long_name": "time since step start"}),
                "subject": np.arange(run.body.n_subjects),
            },
            attrs={"start_time_s": start},
        )


def _couple(run: _Run, bout: bouts.Bout) -> None:
    """Feed a bout's aggregates to the slow layer, window by window."""
    elapsed = 0.0
    for start, end, value in bout.windows:
        run.slow.advance(end - start, {"active_mass_activation": value})
        elapsed = end
    run.t += elapsed


def _bout_step(run: _Run, step_id: str, bout: bouts.Bout, wanted: list[str]) -> None:
    _keep(run, step_id, bout, run.t, wanted)
    _couple(run, bout)


def _mvc_reference(run: _Run, muscle: str) -> np.ndarray:
    """The MVC a %MVC target refers to: the last measured one, else the model's maximum."""
    if muscle not in run.mvc:
        run.mvc[muscle] = run.body.muscle(muscle).max_force
        run.events += [
            {
                "subject": s,
                "kind": "reference",
                "time_s": run.t,
                "message": f"no MVC of {muscle} measured yet; %MVC refers to the "
                "model's maximal force",
            }
            for s in range(run.body.n_subjects)
        ]
    return run.mvc[muscle]


def _run_mvc(run: _Run, step: MVC, step_id: str) -> None:
    v = run.body.values
    duration = float(v("cortex.mvc_duration", "s")[0])
    bout = bouts.isometric(
        run.body,
        step.muscle,
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
        run.body, step.muscle, lambda t: fraction * level(t), step.seconds, run.fast, run.rng
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
    bout = bouts.elbow_move(
        run.body, run.elbow_angle, np.radians(step.angle_deg), step.seconds, run.fast, run.rng
    )
    run.elbow_angle = np.radians(bout.traces["angle"][:, -1])
    _bout_step(run, step_id, bout, run.outputs)


def _run_rest(run: _Run, step: Rest, _step_id: str) -> None:
    run.slow.advance(step.seconds)
    run.t += step.seconds


HANDLERS: dict[type[Step], Callable[[_Run, Step, str], None]] = {
    MVC: _run_mvc,
    Hold: _run_hold,
    Ramp: _run_ramp,
    Move: _run_move,
    Rest: _run_rest,
}
