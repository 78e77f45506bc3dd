"""Typed protocol steps. Each formats back to the text the parser reads (``str(step)``)."""

from __future__ import annotations

from dataclasses import dataclass

YEAR = 365.25 * 86400.0  # s, a Julian year


def number(x: float) -> str:
    """Shortest text that reads back to exactly ``x`` (``40``, ``12.5``, ``1e-05``)."""
    return repr(float(x)).removesuffix(".0")


def format_duration(seconds: float) -> str:
    """Shortest exact rendering of a duration: ``90 s``, ``10 min``, ``2 h``, ``3 day``."""
    for unit, size in (("day", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size and (seconds / size).is_integer():
            return f"{number(seconds / size)} {unit}"
    return f"{number(seconds)} s"


@dataclass(frozen=True)
class Step:
    """Base class; ``kind`` is the first word of the step's text."""

    kind = "step"

    @property
    def duration(self) -> float:
        raise NotImplementedError

    @property
    def slug(self) -> str:
        return self.kind.lower()


class AtPercent:
    """Mixin for steps with a target ``percent`` (of MVC or 1RM): ``level`` is its fraction."""

    percent: float

    @property
    def level(self) -> float:
        return self.percent / 100.0


@dataclass(frozen=True)
class MVC(Step):
    """A maximal voluntary contraction of ``muscle``; records the maximal force."""

    muscle: str
    kind = "MVC"

    @property
    def duration(self) -> float:
        return 0.0  # set by the cortex parameters (mvc_duration); see the handler

    @property
    def slug(self) -> str:
        return f"mvc_{self.muscle}"

    def __str__(self) -> str:
        return f"MVC {self.muscle}"


@dataclass(frozen=True)
class Hold(Step, AtPercent):
    """Hold ``percent`` of MVC for ``seconds`` under closed-loop cortical control."""

    muscle: str
    percent: float
    seconds: float
    kind = "Hold"

    @property
    def duration(self) -> float:
        return self.seconds

    @property
    def slug(self) -> str:
        return f"hold_{self.muscle}"

    def __str__(self) -> str:
        over = format_duration(self.seconds)
        return f"Hold {self.muscle} at {number(self.percent)} %MVC for {over}"


@dataclass(frozen=True)
class Ramp(Step):
    """Track a force ramp from ``start_percent`` to ``end_percent`` of MVC over ``seconds``."""

    muscle: str
    start_percent: float
    end_percent: float
    seconds: float
    kind = "Ramp"

    @property
    def start(self) -> float:
        return self.start_percent / 100.0

    @property
    def end(self) -> float:
        return self.end_percent / 100.0

    @property
    def duration(self) -> float:
        return self.seconds

    @property
    def slug(self) -> str:
        return f"ramp_{self.muscle}"

    def __str__(self) -> str:
        start, end = number(self.start_percent), number(self.end_percent)
        return f"Ramp {self.muscle} from {start} to {end} %MVC over {format_duration(self.seconds)}"


@dataclass(frozen=True)
class Move(Step):
    """Move ``joint`` to ``angle_deg`` (flexion) along a minimum-jerk path over ``seconds``."""

    joint: str
    angle_deg: float
    seconds: float
    kind = "Move"

    @property
    def duration(self) -> float:
        return self.seconds

    @property
    def slug(self) -> str:
        return f"move_{self.joint}"

    def __str__(self) -> str:
        over = format_duration(self.seconds)
        return f"Move {self.joint} to {number(self.angle_deg)} deg over {over}"


@dataclass(frozen=True)
class Perturb(Step):
    """Hold ``joint`` where it is while an external torque of ``torque_nm`` (positive extends
    the elbow, stretching the flexors) acts for ``seconds``; the reflexes and the cortex resist."""

    joint: str
    torque_nm: float
    seconds: float
    kind = "Perturb"

    @property
    def duration(self) -> float:
        return self.seconds

    @property
    def slug(self) -> str:
        return f"perturb_{self.joint}"

    def __str__(self) -> str:
        over = format_duration(self.seconds)
        return f"Perturb {self.joint} with {number(self.torque_nm)} Nm for {over}"


@dataclass(frozen=True)
class Tap(Step):
    """Tap ``finger`` for ``seconds``, paced at ``rate_hz`` or as fast as possible (``None``)."""

    finger: str
    rate_hz: float | None
    seconds: float
    kind = "Tap"

    @property
    def duration(self) -> float:
        return self.seconds

    @property
    def slug(self) -> str:
        return f"tap_{self.finger}"

    def __str__(self) -> str:
        pace = "as fast as possible" if self.rate_hz is None else f"at {number(self.rate_hz)} Hz"
        return f"Tap {self.finger} {pace} for {format_duration(self.seconds)}"


@dataclass(frozen=True)
class Walk(Step):
    """Walk at ``speed`` m/s for ``seconds``: the CPG drives the leg pools in a gait cycle."""

    speed: float
    seconds: float
    kind = "Walk"

    @property
    def duration(self) -> float:
        return self.seconds

    def __str__(self) -> str:
        return f"Walk at {number(self.speed)} m/s for {format_duration(self.seconds)}"


@dataclass(frozen=True)
class Rest(Step):
    """Rest: no contraction; only the slow layer runs."""

    seconds: float
    kind = "Rest"

    @property
    def duration(self) -> float:
        return self.seconds

    def __str__(self) -> str:
        return f"Rest for {format_duration(self.seconds)}"


@dataclass(frozen=True)
class HoldToFailure(Step, AtPercent):
    """Hold ``percent`` of MVC until task failure; records the endurance time."""

    muscle: str
    percent: float
    kind = "Hold"

    @property
    def duration(self) -> float:
        return float("nan")  # until failure

    @property
    def slug(self) -> str:
        return f"hold_{self.muscle}_to_failure"

    def __str__(self) -> str:
        return f"Hold {self.muscle} at {number(self.percent)} %MVC until failure"


@dataclass(frozen=True)
class Intermittent(Step, AtPercent):
    """Contractions at ``percent`` of MVC of ``on_seconds``, each followed by ``off_seconds`` of
    rest, for ``total_seconds`` or, when that is ``None``, until task failure."""

    muscle: str
    percent: float
    on_seconds: float
    off_seconds: float
    total_seconds: float | None = None
    kind = "Hold"

    @property
    def duration(self) -> float:
        return float("nan") if self.total_seconds is None else self.total_seconds

    @property
    def until_failure(self) -> bool:
        return self.total_seconds is None

    @property
    def slug(self) -> str:
        return f"intermittent_{self.muscle}"

    def __str__(self) -> str:
        end = (
            "until failure"
            if self.total_seconds is None
            else (f"for {format_duration(self.total_seconds)}")
        )
        return (
            f"Hold {self.muscle} at {number(self.percent)} %MVC for "
            f"{format_duration(self.on_seconds)}, rest {format_duration(self.off_seconds)}, {end}"
        )


@dataclass(frozen=True)
class Resistance(Step, AtPercent):
    """``sets`` sets of ``reps`` repetitions at ``percent`` of 1RM, ``rest_seconds`` apart."""

    muscle: str
    sets: int
    reps: int
    percent: float
    rest_seconds: float
    kind = "Resistance"

    @property
    def duration(self) -> float:
        return float("nan")  # set by the cadence and by failure

    @property
    def slug(self) -> str:
        return f"resistance_{self.muscle}"

    def __str__(self) -> str:
        return (
            f"Resistance {self.muscle} {self.sets}x{self.reps} at {number(self.percent)} %1RM, "
            f"rest {format_duration(self.rest_seconds)}"
        )


@dataclass(frozen=True)
class Assess(Step):
    """A clinical or laboratory test (``test`` is one of ``ASSESS_TESTS``) of ``muscle``, or of
    the whole person (``muscle`` None: tapping, fnirs_tapping, reaction_time)."""

    test: str
    muscle: str | None = None
    percent: float | None = None  # endurance: target %MVC
    frequency: float | None = None  # rns: stimulation rate, Hz
    kind = "Assess"

    @property
    def duration(self) -> float:
        return float("nan")  # set by the test's own protocol

    @property
    def slug(self) -> str:
        tail = f"_{self.muscle}" if self.muscle else ""
        return f"assess_{self.test.lower()}{tail}"

    def __str__(self) -> str:
        if self.test == "endurance":
            return f"Assess endurance {self.muscle} at {number(self.percent)} %MVC"
        if self.test == "rns":
            return f"Assess rns {self.muscle} at {number(self.frequency)} Hz"
        return f"Assess {self.test} {self.muscle}" if self.muscle else f"Assess {self.test}"


@dataclass(frozen=True)
class Cycle(Step):
    """Cycling at ``percent`` of VO2max for ``seconds``, or until glycogen exhaustion
    (``seconds`` is ``None``)."""

    percent: float
    seconds: float | None = None
    kind = "Cycle"

    @property
    def duration(self) -> float:
        return float("nan") if self.seconds is None else self.seconds

    def __str__(self) -> str:
        head = f"{self.kind} at {number(self.percent)} %VO2max"
        if self.seconds is None:
            return f"{head} until exhaustion"
        return f"{head} for {format_duration(self.seconds)}"


@dataclass(frozen=True)
class Run(Cycle):
    """Running at ``percent`` of (treadmill) VO2max: the same whole-body energetics as
    cycling over a larger working-muscle mass, and weight-bearing impacts for bone."""

    kind = "Run"


@dataclass(frozen=True)
class Meal(Step):
    """A meal or drink taken at once: ``grams`` of digestible carbohydrate and ``protein``
    grams of protein (either may be 0, not both)."""

    grams: float
    protein: float = 0.0
    kind = "Meal"

    @property
    def duration(self) -> float:
        return 0.0

    def __str__(self) -> str:
        parts = [f"{number(g)} g {what}" for g, what in self._nutrients() if g > 0]
        return f"Meal {' and '.join(parts)}"

    def _nutrients(self) -> tuple[tuple[float, str], ...]:
        return ((self.grams, "carbohydrate"), (self.protein, "protein"))


@dataclass(frozen=True)
class Sleep(Rest):
    """Sleep: lying, asleep; the slow layer runs with ``asleep`` = 1."""

    kind = "Sleep"

    def __str__(self) -> str:
        return f"Sleep for {format_duration(self.seconds)}"


@dataclass(frozen=True)
class Age(Rest):
    """Years of ordinary life: the slow layer (ageing, detraining, bone) runs at rest with
    habitual loading."""

    kind = "Age"

    @property
    def years(self) -> float:
        return self.seconds / YEAR

    @property
    def slug(self) -> str:
        return "age"

    def __str__(self) -> str:
        return f"Age by {number(self.years)} years"


@dataclass(frozen=True)
class BedRest(Rest):
    """Bed rest (head-down or horizontal): no habitual skeletal loading."""

    kind = "Bed"  # the first word of "Bed rest for <D>"

    @property
    def slug(self) -> str:
        return "bed_rest"

    def __str__(self) -> str:
        return f"Bed rest for {format_duration(self.seconds)}"


@dataclass(frozen=True)
class Stimulate(Step):
    """A session of non-invasive brain stimulation of ``target``: ``technique`` (tDCS, rTMS or
    tRNS) for ``seconds``, at ``intensity`` (mA for tDCS and tRNS, %RMT for rTMS) and, for rTMS,
    ``frequency`` (Hz); ``None`` takes the technique's usual setting (the model's parameters)."""

    target: str
    technique: str
    seconds: float
    intensity: float | None = None
    frequency: float | None = None
    kind = "Stimulate"

    @property
    def duration(self) -> float:
        return self.seconds

    @property
    def intensity_unit(self) -> str:
        return "%RMT" if self.technique == "rTMS" else "mA"

    @property
    def slug(self) -> str:
        return f"stimulate_{self.technique.lower()}"

    def __str__(self) -> str:
        settings = []
        if self.intensity is not None:
            settings.append(f"{number(self.intensity)} {self.intensity_unit}")
        if self.frequency is not None:
            settings.append(f"{number(self.frequency)} Hz")
        at = f" at {', '.join(settings)}" if settings else ""
        over = format_duration(self.seconds)
        return f"Stimulate {self.target} with {self.technique}{at} for {over}"


@dataclass(frozen=True)
class Dose(Step):
    """A single oral dose of ``drug``: ``mg`` milligrams, taken at once."""

    drug: str
    mg: float
    kind = "Dose"

    @property
    def duration(self) -> float:
        return 0.0

    @property
    def slug(self) -> str:
        return f"dose_{self.drug}"

    def __str__(self) -> str:
        return f"Dose {self.drug} {number(self.mg)} mg"


@dataclass(frozen=True)
class Practice(Step):
    """Task practice of ``movement`` for ``seconds`` (rehabilitation): the movement's motor
    pathway is used and trained."""

    movement: str
    seconds: float
    kind = "Practice"

    @property
    def duration(self) -> float:
        return self.seconds

    @property
    def slug(self) -> str:
        return f"{self.kind.lower()}_{self.movement}"

    def __str__(self) -> str:
        return f"{self.kind} {self.movement} for {format_duration(self.seconds)}"


@dataclass(frozen=True)
class Imagine(Practice):
    """Motor imagery of ``movement`` for ``seconds``: the movement is rehearsed mentally, without
    muscle activity."""

    kind = "Imagine"
