"""The validation-case registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from myoaxis.core.citations import registry as citation_registry
from myoaxis.core.errors import ScenarioError, unknown_name


@dataclass(frozen=True)
class ValidationCase:
    """A published number, how MyoAxis measures it, and the band it must fall in."""

    name: str
    description: str
    citation: str  # citation key
    unit: str
    band: tuple[float, float]
    measure: Callable[[], float]
    target: str  # the published value or relation, in words

    def run(self) -> Outcome:
        value = float(self.measure())
        lo, hi = self.band
        return Outcome(self, value, bool(lo <= value <= hi))  # a numpy band gives np.bool_


@dataclass(frozen=True)
class Outcome:
    case: ValidationCase
    value: float
    passed: bool

    @property
    def name(self) -> str:
        return self.case.name

    @property
    def measured_text(self) -> str:
        return f"{self.value:.4g} {self.case.unit}".strip()

    @property
    def band_text(self) -> str:
        lo, hi = self.case.band
        return f"{lo:.4g}–{hi:.4g} {self.case.unit}".strip()

    @property
    def citation(self) -> str:
        c = citation_registry().get(self.case.citation)
        return f"{c.authors.split(',')[0]} {c.year}" if c else self.case.citation

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.case.description,
            "target": self.case.target,
            "measured": self.value,
            "unit": self.case.unit,
            "band": list(self.case.band),
            "passed": self.passed,
            "citation": self.case.citation,
        }


CASES: dict[str, ValidationCase] = {}


def register(case: ValidationCase) -> ValidationCase:
    if case.name in CASES:
        raise ValueError(f"validation case {case.name!r} registered twice")
    CASES[case.name] = case
    return case


def run_cases(names: list[str] | None = None) -> list[Outcome]:
    """Run the named cases (all when ``names`` is empty)."""
    for n in names or []:
        if n not in CASES:
            raise ScenarioError(unknown_name("validation case", n, CASES))
    return [CASES[n].run() for n in (names or list(CASES))]
