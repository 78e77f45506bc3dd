"""Typed protocol steps. Each formats back to the text the parser reads (``str(step)``)."""

from __future__ import annotations

from dataclasses import dataclass


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
class Hold(Step):
    """Hold ``percent`` of MVC for ``seconds`` under closed-loop cortical control."""

    muscle: str
    percent: float
    seconds: float
    kind = "Hold"

    @property
    def level(self) -> float:
        """Target as a fraction of MVC."""
        return self.percent / 100.0

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
class Rest(Step):
    """Rest: no contraction; only the slow layer runs."""

    seconds: float
    kind = "Rest"

    @property
    def duration(self) -> float:
        return self.seconds

    def __str__(self) -> str:
        return f"Rest for {format_duration(self.seconds)}"
