"""The citations registry: every source key used by parameters and validation cases.

``data/citations.toml`` maps a key (``fuglevand1993``) to authors, year, title, journal and DOI.
Parameter files and validation cases refer to sources by key; a test checks that every key
used anywhere in the shipped data resolves here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from myoaxis.core.parameters import read_toml


@dataclass(frozen=True)
class Citation:
    key: str
    authors: str
    year: int
    title: str
    journal: str
    doi: str = ""
    note: str = ""

    def format(self) -> str:
        """One-line reference, e.g. ``Fuglevand AJ, ... (1993). Title. Journal. doi:...``."""
        doi = f" doi:{self.doi}" if self.doi else ""
        note = f" [{self.note}]" if self.note else ""
        return f"{self.authors} ({self.year}). {self.title}. {self.journal}.{doi}{note}"


@cache
def registry() -> dict[str, Citation]:
    """All known citations, keyed by citation key."""
    data = read_toml(files("myoaxis") / "data" / "citations.toml")  # type: ignore[arg-type]
    return {key: Citation(key=key, **entry) for key, entry in data.items()}


def resolve(keys: Iterable[str]) -> list[Citation]:
    """Citations for ``keys`` (sorted, unique); unknown keys and free-text sources are skipped."""
    reg = registry()
    out = {k: reg[k] for k in keys if k in reg}
    return [out[k] for k in sorted(out)]


def source_keys(source: str) -> list[str]:
    """Split a parameter's ``source`` field ("a; b") into its citation keys."""
    return [s.strip() for s in source.replace(",", ";").split(";") if s.strip()]
