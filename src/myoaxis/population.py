r"""Virtual cohorts: between-subject variability of parameters, drawn reproducibly.

Every subject built from a preset is the same person. :func:`draw` turns one resolved
:class:`~myoaxis.core.parameters.ParameterSet` into ``n`` individuals by drawing, per subject
and *factor*, one standard normal deviate :math:`z` and changing the factor's parameters by it.
Two distributions are offered:

* ``lognormal`` (key ``cv``), for positive quantities such as forces and gains: the parameter
  is multiplied by

  .. math::
      m = \exp\!\left(\sigma z - \tfrac{1}{2}\sigma^2\right), \qquad
      \sigma^2 = \ln(1 + \mathrm{CV}^2),

  a log-normal factor with mean 1 and coefficient of variation CV, positive by construction (no
  clipping);
* ``normal`` (key ``sd``, in the parameter's unit as written in ``data/model``), for levels
  that may take either sign, such as a test score relative to the age-matched mean: the
  parameter becomes :math:`x + \mathrm{SD}\,z`.

Either way the cohort's mean of a parameter is the preset's value. A factor may change several
parameters together (the same :math:`z`, perfectly correlated), e.g. the maximal force of every
muscle group of one subject; different factors are independent.

**The variability is data.** Each file ``data/variability/*.toml`` holds tables such as::

    [hypertrophy_trainability]
    parameters = ["adaptation.hypertrophy.max_gain"]   # names, or patterns with *
    distribution = "lognormal"
    cv = 0.5
    description = "..."
    source = "hubal2005"

All files of the folder are merged into the default spec (:func:`default_variability`); a
factor name, and a parameter, may appear only once. :func:`read_variability` reads another
file. Names are checked against the model's parameters (``data/model`` and the muscle groups).

**Reproducible, independent of the batch.** Subject ``k``'s factors come from subject ``k``'s
own child :class:`~numpy.random.SeedSequence` (the ``k``-th of
:func:`myoaxis.core.rng.subject_streams`), and within it each factor from its own
grandchild keyed by the factor's name: subject ``k``'s values do not depend on ``n``, on
drawing the cohort in chunks (``first``), on which other factors the spec has, or on any other
use of the subject's stream (motor-unit noise draws from the child itself).
"""

from __future__ import annotations

import fnmatch
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from myoaxis.core.errors import ParameterError, unknown_name
from myoaxis.core.parameters import ParameterSet, read_toml
from myoaxis.core.rng import SeedLike, seed_sequence

FOLDER = Path(str(files("myoaxis") / "data" / "variability"))
SPREAD = {"lognormal": "cv", "normal": "sd"}  # distribution -> the key of its spread
DISTRIBUTIONS = tuple(SPREAD)
MAX_CV = 3.0  # a larger coefficient of variation is almost surely a typo (e.g. 50 for 0.5)
_KEYS = {"parameters", "distribution", "description", "source"}


@dataclass(frozen=True)
class Factor:
    """One random factor: the parameters it changes and its spread (``cv`` of a log-normal
    factor, ``sd`` of a normal one)."""

    name: str
    parameters: tuple[str, ...]  # resolved parameter names
    distribution: str
    spread: float  # cv (lognormal) or sd in the parameters' unit (normal)
    description: str
    source: str
    where: str = ""  # the file it was read from

    @property
    def cv(self) -> float:
        """Coefficient of variation of a log-normal factor."""
        self._require("lognormal")
        return self.spread

    @property
    def sigma(self) -> float:
        """Standard deviation of the logarithm of a log-normal factor."""
        self._require("lognormal")
        return math.sqrt(math.log1p(self.spread**2))

    def _require(self, distribution: str) -> None:
        if self.distribution != distribution:
            raise ParameterError(f"variability factor {self.name!r} is {self.distribution}")

    def multipliers(self, z: np.ndarray) -> np.ndarray:
        """Mean-1 log-normal factors from standard normal deviates ``z``."""
        s = self.sigma
        return np.exp(s * np.asarray(z, dtype=float) - 0.5 * s * s)

    def applied(self, value: float, z: float) -> float:
        """A parameter's ``value`` for a subject whose deviate is ``z``."""
        if self.distribution == "normal":
            return value + self.spread * z
        return value * float(self.multipliers(z))


@dataclass(frozen=True)
class Variability:
    """A set of independent factors (the parsed spec)."""

    factors: tuple[Factor, ...]

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        names: set[str] = set()
        for f in self.factors:
            if f.name in names:
                raise ParameterError(f"{f.where}: factor {f.name!r} is defined twice")
            names.add(f.name)
            for p in f.parameters:
                if p in seen:
                    raise ParameterError(
                        f"{f.where}: [{f.name}] parameter {p!r} is already varied by factor "
                        f"{seen[p]!r}; a parameter may belong to one factor only"
                    )
                seen[p] = f.name

    def __getitem__(self, name: str) -> Factor:
        for f in self.factors:
            if f.name == name:
                return f
        raise ParameterError(unknown_name("variability factor", name, [f.name for f in self]))

    def __iter__(self):
        return iter(self.factors)

    def __len__(self) -> int:
        return len(self.factors)

    def merged(self, other: Variability) -> Variability:
        return Variability(self.factors + other.factors)


def _names(patterns: object, known: Sequence[str], where: str) -> tuple[str, ...]:
    if (
        not isinstance(patterns, list)
        or not patterns
        or not all(isinstance(p, str) and p for p in patterns)
    ):
        raise ParameterError(f"{where}: 'parameters' must be a non-empty list of names")
    out: list[str] = []
    for pattern in patterns:
        if "*" in pattern:
            hits = sorted(n for n in known if fnmatch.fnmatchcase(n, pattern))
            if not hits:
                raise ParameterError(f"{where}: pattern {pattern!r} matches no parameter")
        elif pattern in known:
            hits = [pattern]
        else:
            raise ParameterError(unknown_name("parameter", pattern, known, where))
        out.extend(h for h in hits if h not in out)
    return tuple(out)


def _factor(name: str, table: object, known: ParameterSet, path: Path) -> Factor:
    where = f"{path}: [{name}]"
    if not isinstance(table, dict):
        raise ParameterError(f"{where} must be a table with keys {', '.join(sorted(_KEYS))}")
    if missing := _KEYS - set(table):
        raise ParameterError(f"{where} lacks {', '.join(sorted(missing))}")
    distribution = table["distribution"]
    if distribution not in DISTRIBUTIONS:
        raise ParameterError(
            f"{where} distribution {distribution!r}: expected one of {', '.join(DISTRIBUTIONS)}"
        )
    key = SPREAD[distribution]
    if key not in table:
        raise ParameterError(f"{where} lacks {key} (the spread of a {distribution} factor)")
    if extra := set(table) - _KEYS - {key}:
        raise ParameterError(
            f"{where} has unknown keys {', '.join(sorted(extra))}; a {distribution} factor "
            f"has only {', '.join(sorted(_KEYS | {key}))}"
        )
    spread = table[key]
    top = MAX_CV if key == "cv" else math.inf
    if (
        isinstance(spread, bool)
        or not isinstance(spread, int | float)
        or not 0.0 < spread <= top
        or not math.isfinite(spread)
    ):
        bound = f"in (0, {MAX_CV:g}]" if key == "cv" else "> 0 and finite"
        raise ParameterError(f"{where} {key} must be a number {bound}, got {spread!r}")
    for key in ("description", "source"):
        if not isinstance(table[key], str) or not table[key].strip():
            raise ParameterError(f"{where} needs a non-empty {key}")
    names = _names(table["parameters"], tuple(known), f"{where} parameters")
    for n in names:
        if isinstance(known[n].value, tuple):
            raise ParameterError(f"{where} parameter {n!r} is a table, not a scalar")
    return Factor(
        name, names, distribution, float(spread), table["description"], table["source"], str(path)
    )


def read_variability(path: Path | str) -> Variability:
    """Parse one variability file; names are checked against the model's parameters."""
    from myoaxis.conditions import base_parameters  # conditions imports much; keep it lazy

    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"{path}: no such variability file")
    known = base_parameters()
    return Variability(tuple(_factor(k, v, known, path) for k, v in read_toml(path).items()))


@cache
def default_variability() -> Variability:
    """Every file of ``data/variability``, merged (a factor or parameter only once)."""
    spec = Variability(())
    for path in sorted(FOLDER.glob("*.toml")):
        spec = spec.merged(read_variability(path))
    return spec


def _subject_sequence(root: np.random.SeedSequence, k: int) -> np.random.SeedSequence:
    """Child ``k`` of ``root``: the ``k``-th of ``subject_streams`` for a fresh ``root``, built
    without spawning (so it depends neither on ``n`` nor on earlier spawns from ``root``)."""
    return np.random.SeedSequence(
        root.entropy, spawn_key=(*root.spawn_key, k), pool_size=root.pool_size
    )


def _factor_key(name: str) -> int:
    return zlib.crc32(f"population.{name}".encode())


def deviates(seed: SeedLike, n: int, spec: Variability | None = None, first: int = 0) -> np.ndarray:
    """The standard normal deviates ``(n, F)`` of subjects ``first .. first + n - 1`` (columns
    in the order of ``spec``'s factors); :meth:`Factor.applied` turns them into values."""
    spec = default_variability() if spec is None else spec
    if n < 0 or first < 0:
        raise ParameterError(f"population: n and first must be >= 0, got n={n}, first={first}")
    root = seed_sequence(seed)
    z = np.empty((n, len(spec)))
    for i in range(n):
        child = _subject_sequence(root, first + i)
        for j, f in enumerate(spec):
            stream = np.random.SeedSequence(
                child.entropy, spawn_key=(*child.spawn_key, _factor_key(f.name))
            )
            z[i, j] = np.random.default_rng(stream).standard_normal()
    return z


def individualise(
    params: Sequence[ParameterSet],
    seed: SeedLike,
    spec: Variability | None = None,
    first: int = 0,
    where: str = "",
) -> list[ParameterSet]:
    """Subject ``first + k`` of the cohort is ``params[k]`` with its own factors applied; each
    changed parameter's source gains the factor's source."""
    spec = default_variability() if spec is None else spec
    pre = f"{where}: " if where else ""
    for f in spec:
        for name in f.parameters:
            for p in params:
                if name not in p:
                    raise ParameterError(
                        f"{pre}variability factor {f.name!r}: the subject has no parameter {name!r}"
                    )
    z = deviates(seed, len(params), spec, first)
    out = []
    for p, row in zip(params, z, strict=True):
        for f, zf in zip(spec, row, strict=True):
            p = p.with_values({n: f.applied(p.value(n), zf) for n in f.parameters}, f.source)
        out.append(p)
    return out


def draw(
    params: ParameterSet,
    seed: SeedLike,
    n: int,
    spec: Variability | None = None,
    first: int = 0,
    where: str = "",
) -> list[ParameterSet]:
    """``n`` individuals (subjects ``first .. first + n - 1`` of the cohort of ``seed``) made
    from one resolved parameter set, e.g. ``draw(subject_parameters("healthy_adult", "male",
    25), seed=7, n=100)``; pass them with masses and ages to :class:`~myoaxis.body.Body`."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ParameterError(f"{where + ': ' if where else ''}population: n must be >= 1")
    return individualise([params] * int(n), seed, spec, first, where)
