"""The error hierarchy.

Every mistake a user can make raises a subclass of :class:`MyoAxisError` whose message is one
line that names *where* (file, key or step text) and *what was expected*. The command line turns
these into exit status 2 without a traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class MyoAxisError(Exception):
    """Base class of errors caused by the user's input or by a failed simulation."""

    exit_code = 2
    detail = ""  # optional extra lines (e.g. a caret under a word), shown on a terminal


class ScenarioError(MyoAxisError):
    """A scenario file or dictionary is invalid (syntax, unknown name, bad value)."""


class ParameterError(MyoAxisError):
    """A parameter file or override is invalid (missing field, wrong unit, unknown name)."""


class ProtocolError(MyoAxisError):
    """A protocol step string could not be parsed.

    The one-line message quotes the step, names the column and the offending word and lists
    what was expected there; ``detail`` holds the step with a caret under that word.
    """

    def __init__(self, step: str, position: int, expected: str, found: str | None = None):
        self.step = step
        self.position = position
        self.expected = expected
        found_txt = f"found {found!r}" if found else "found the end of the step"
        self.detail = f"    {step}\n    {' ' * position}^"
        super().__init__(
            f"cannot read step {step!r}: at column {position + 1} expected {expected}, {found_txt}"
        )


class ExportError(MyoAxisError):
    """Data or header fields that cannot be written in an export format (or a failed write)."""


class SimulationError(MyoAxisError):
    """The solver produced NaN/inf or blew up; the message names the state and the time."""

    exit_code = 3


def suggest(name: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_name(kind: str, name: str, choices: Iterable[str], where: str = "") -> str:
    """Format the standard 'unknown X' message with a close match and the valid names."""
    choices = sorted(choices)
    prefix = f"{where}: " if where else ""
    return (
        f"{prefix}unknown {kind} {name!r}{suggest(name, choices)}; "
        f"expected one of: {', '.join(choices)}"
    )
