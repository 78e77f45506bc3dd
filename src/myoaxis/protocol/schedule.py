"""Programmes: blocks of steps repeated back to back or on weekdays over weeks, with load
progression.

A ``[[protocol]]`` table with ``repeat`` and ``steps`` is a :class:`Block`. ``repeat`` is either
a count (``3`` or ``"3 times"``: the steps run back to back) or a weekly schedule
(``"3 per week for 12 weeks"``, ``"every day for 2 weeks"``): each session starts at the same
time of day on its weekday, counted from the block's start (day 0 of week 1 is the block's
first session day, called Monday), the slow layer rests between sessions, and the block
fills its weeks (the step after it starts 12 weeks after the block did). ``on = ["mon", "wed",
"fri"]`` chooses the weekdays; by default they are spread over the week. ``steps`` may hold
blocks (periodisation: weeks of one block, then a detraining rest, then another block).

``progression = "increase load 5 % when all sets complete"`` raises a subject's load in each
``Resistance`` step of the block by 5 % after a session in which that subject completed every
set of that step (double progression with a fixed repetition target, as in ACSM 2009).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from myoaxis.core.errors import ScenarioError
from myoaxis.protocol.steps import Step, number

DAY = 86400.0
WEEK = 7 * DAY
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SPREAD = {  # default weekdays (offsets from Monday) for N sessions per week
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}
MAX_WEEKS = 520  # one block: ten years
MAX_STEPS = 200_000  # steps run by a whole protocol, so that a typo cannot run for days

_COUNT = re.compile(r"(\d+)\s+times?")
_WEEKLY = re.compile(r"(?:(\d+)\s+per\s+week|every\s+day)\s+for\s+(\d+)\s+weeks?")
_PROGRESSION = re.compile(r"increase\s+load\s+(\d+(?:\.\d+)?)\s*%\s+when\s+all\s+sets\s+complete")


@dataclass(frozen=True)
class Progression:
    """Raise the load by ``percent`` after a session whose sets were all completed."""

    percent: float

    def __str__(self) -> str:
        return f"increase load {number(self.percent)} % when all sets complete"


@dataclass(frozen=True)
class Block:
    """``items`` run ``times`` times back to back, or (``days`` given) as one session on each of
    ``days`` (offsets from Monday) of ``weeks`` weeks."""

    items: tuple[Step | Block, ...]
    times: int = 1
    days: tuple[int, ...] | None = None
    weeks: int = 0
    progression: Progression | None = None

    def __str__(self) -> str:
        if self.days is None:
            return f"{self.times} times"
        on = ", ".join(WEEKDAYS[d] for d in self.days)
        return f"{len(self.days)} per week for {self.weeks} weeks ({on})"

    @property
    def sessions(self) -> int:
        return len(self.days) * self.weeks if self.days is not None else self.times

    def slots(self) -> list[float]:
        """Start of each session (s) after the block's start; weekly blocks only."""
        return [w * WEEK + d * DAY for w in range(self.weeks) for d in self.days or ()]

    def flat(self) -> list[Step]:
        """Every step in the order it runs (rests between weekly sessions not included)."""
        once = [
            s for item in self.items for s in (item.flat() if isinstance(item, Block) else [item])
        ]
        return once * self.sessions

    def count(self) -> int:
        """Number of steps the block runs (without materialising them)."""
        once = sum(item.count() if isinstance(item, Block) else 1 for item in self.items)
        return once * self.sessions

    def shortest(self) -> float:
        """Least time one session takes: steps of unknown length (``until failure``) count 0;
        a weekly block inside takes its whole weeks."""
        one = 0.0
        for item in self.items:
            if isinstance(item, Block):
                one += item.weeks * WEEK if item.days is not None else item.shortest()
            elif math.isfinite(item.duration):
                one += item.duration
        return one if self.days is not None else one * self.times


def parse_repeat(value: int | str, where: str) -> tuple[int, int | None]:
    """``(times, None)`` for a count, ``(per_week, weeks)`` for a weekly schedule."""
    expected = (
        "expected a count (3 or '3 times') or a weekly schedule ('3 per week for 12 weeks', "
        "'every day for 2 weeks')"
    )
    if isinstance(value, int):
        return value, None
    text = " ".join(value.lower().split())
    if m := _COUNT.fullmatch(text):
        if int(m.group(1)) < 1:
            raise ScenarioError(f"{where}: {value!r} is not a positive count")
        return int(m.group(1)), None
    if m := _WEEKLY.fullmatch(text):
        per_week = 7 if m.group(1) is None else int(m.group(1))
        weeks = int(m.group(2))
        if not 1 <= per_week <= 7:
            raise ScenarioError(f"{where}: {value!r}: sessions per week must be 1 to 7")
        if not 1 <= weeks <= MAX_WEEKS:
            raise ScenarioError(f"{where}: {value!r}: weeks must be 1 to {MAX_WEEKS}")
        return per_week, weeks
    raise ScenarioError(f"{where}: {value!r} is not a repeat; {expected}")


def parse_days(names: list[str], per_week: int, where: str) -> tuple[int, ...]:
    days = []
    for name in names:
        key = name.strip().lower()
        if key not in WEEKDAYS and key not in _DAY_NAMES:
            raise ScenarioError(f"{where}: {name!r} is not a weekday; expected one of {WEEKDAYS}")
        days.append(WEEKDAYS.index(key[:3]))
    if len(set(days)) != len(days):
        raise ScenarioError(f"{where}: a weekday is given twice in {names}")
    if len(days) != per_week:
        raise ScenarioError(f"{where}: {len(days)} weekdays given for {per_week} sessions per week")
    return tuple(sorted(days))


def parse_progression(text: str, where: str) -> Progression:
    m = _PROGRESSION.fullmatch(" ".join(text.lower().split()))
    if m is None:
        raise ScenarioError(
            f"{where}: {text!r} is not a progression rule; expected "
            "'increase load <X> % when all sets complete'"
        )
    percent = float(m.group(1))
    if not 0 < percent <= 50:
        raise ScenarioError(f"{where}: {text!r}: the increase must be in (0, 50] %")
    return Progression(percent)


def block(
    items: tuple[Step | Block, ...],
    repeat: int | str,
    where: str,
    on: list[str] | None = None,
    progression: str | None = None,
) -> Block:
    """A checked :class:`Block` from a ``[[protocol]]`` table's fields."""
    count, weeks = parse_repeat(repeat, f"{where}.repeat")
    rule = parse_progression(progression, f"{where}.progression") if progression else None
    if weeks is None:
        if on is not None:
            raise ScenarioError(f"{where}.on: weekdays need a weekly repeat ('3 per week for ...')")
        return Block(items, times=count, progression=rule)
    days = parse_days(on, count, f"{where}.on") if on is not None else SPREAD[count]
    out = Block(items, days=days, weeks=weeks, progression=rule)
    gaps = [b - a for a, b in zip(out.slots(), [*out.slots()[1:], weeks * WEEK], strict=True)]
    if out.shortest() > min(gaps) + 1e-9:
        raise ScenarioError(
            f"{where}: a session takes at least {out.shortest() / 3600:g} h but sessions start "
            f"{min(gaps) / 3600:g} h apart: they would overlap"
        )
    return out


def check_size(top: Block, where: str) -> None:
    if (n := top.count()) > MAX_STEPS:
        raise ScenarioError(
            f"{where}: the protocol runs {n} steps; at most {MAX_STEPS} (a whole programme of "
            "daily sessions for ten years is well within this)"
        )
