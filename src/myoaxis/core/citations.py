"""The citations registry: every source key used by parameters and validation cases.

The files ``data/citations/*.toml`` map a key (``fuglevand1993``) to authors, year, title, journal
and DOI; one file per topic, and a key may appear in only one of them.
Parameter files and validation cases refer to sources by key; a test checks that every key
used anywhere in the shipped data resolves here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from myoaxis.core.errors import ParameterError
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
    out: dict[str, Citation] = {}
    folder = Path(str(files("myoaxis") / "data" / "citations"))
    for path in sorted(folder.glob("*.toml")):
        for key, entry in read_toml(path).items():
            if key in out:
                raise ParameterError(f"{path}: citation key {key!r} is already defined")
            out[key] = Citation(key=key, **entry)
    return out


def resolve(keys: Iterable[str]) -> list[Citation]:
    """Citations for ``keys`` (sorted, unique); unknown keys and free-text sources are skipped."""
    reg = registry()
    out = {k: reg[k] for k in keys if k in reg}
    return [out[k] for k in sorted(out)]


def source_keys(source: str) -> list[str]:
    """Split a parameter's ``source`` field ("a; b") into its citation keys."""
    return [s.strip() for s in source.replace(",", ";").split(";") if s.strip()]
