r"""Intermittent-task fatigue: 3CC against 3CC-r on published peak-torque declines.

Looft, Herkert & Frey-Law (2018) added a rest-recovery multiplier :math:`r` to the 3CC (recovery
:math:`rR` while the target load is 0) and compared both models with the peak-torque decline of
intermittent isometric tasks from 63 publications: the 3CC over-predicted fatigue, with errors of
19-29 % torque decline (% TD), and the 3CC-r cut them to 6-10 % TD (abstract). Their compiled table
was not available, so :file:`data/reference/intermittent_fatigue.csv` holds a small independent
set read from primary abstracts (adductor pollicis, handgrip, knee extensors; see its header).

Each protocol is simulated with the exact kernel :func:`myoaxis.physiology.muscle.fatigue.step`:
cycles of ``on_s`` at the target load then ``off_s`` at zero load, from rest, for ``duration_s``
(the time at which the MVC was measured; for tasks to failure, the mean time to failure). The
peak torque the model can produce is its residual capacity :math:`M_A + M_R` (the quantity whose
fall below the target defines task failure), so the predicted decline is

.. math:: TD = 100\,(1 - M_A - M_R) = 100\,M_F \quad (\%\ \text{of the rested MVC}).

The MVC tests made during the experiments, and any central (voluntary-activation) loss, are not
modelled. F, R and r are those of each joint's representative muscle file
(:func:`myoaxis.validation.fatigue.joint_rates`); the 3CC is the same model with :math:`r = 1`.

Cases (verified rows only):

* ``intermittent_error_improvement_with_recovery``: RMS error of the 3CC minus that of the 3CC-r,
  in % TD. Looft et al.'s ranges (19-29 down to 6-10) imply a reduction of 9-23 % TD.
* ``intermittent_3cc_overpredicts_decline``: mean signed error of the 3CC is positive (Looft et
  al.: "the original model over-predicted fatigue development").

The absolute 3CC-r error on this set (:func:`rms_error`) is about 22 % TD, above Looft et al.'s
6-10 % TD: the r = 30 hand/grip model plateaus near 25 % TD at 50 % MVC with a 50 % duty cycle,
while subjects stopped at 44-50 % TD, and the r = 15 knee model over-predicts a 6 s / 2 s task
at 60 % MVC. That number is reported, not registered as a case.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from myoaxis.core.citations import registry as citation_registry
from myoaxis.core.errors import ParameterError, unknown_name
from myoaxis.physiology.muscle import fatigue
from myoaxis.validation.fatigue import JOINT_GROUPS, controller_rates, joint_rates
from myoaxis.validation.registry import ValidationCase, register

COLUMNS = (
    "key",
    "joint",
    "citation",
    "group",
    "target_load",
    "on_s",
    "off_s",
    "duration_s",
    "endpoint",
    "observed_decline_pct",
    "spread_pct",
    "spread_kind",
    "verified",
)
ENDPOINTS = ("fixed_time", "fixed_reps", "task_failure")
SPREAD_KINDS = ("SE", "SD", "half_range")
# Looft et al. 2018 abstract: 3CC errors 19-29 % TD, 3CC-r 6-10 % TD -> reduction 9-23 % TD.
IMPROVEMENT_BAND = (19.0 - 10.0, 29.0 - 6.0)


@dataclass(frozen=True)
class IntermittentProtocol:
    """One published intermittent isometric protocol and its observed MVC decline."""

    key: str
    joint: str  # row of Frey-Law et al. 2012 Table 1 (JOINT_GROUPS)
    citation: str
    group: str
    target_load: float  # fraction of MVC during the contraction
    on_s: float
    off_s: float
    duration_s: float  # time at which the reported MVC was measured
    endpoint: str
    observed_decline_pct: float  # 100 - MVC, % of the rested MVC
    spread_pct: float
    spread_kind: str
    verified: bool


def load_protocols(path: str | Path) -> tuple[IntermittentProtocol, ...]:
    """Read and check an intermittent-protocol table (``#`` lines are comments)."""
    with open(path, newline="") as fh:
        reader = csv.DictReader(line for line in fh if not line.lstrip().startswith("#"))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ParameterError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = tuple(_parse(row, f"{path}, row {i}") for i, row in enumerate(reader, 1))
    if not rows:
        raise ParameterError(f"{path}: no protocols")
    keys = [p.key for p in rows]
    if len(set(keys)) != len(keys):
        raise ParameterError(f"{path}: duplicate protocol key(s)")
    return rows


def _parse(row: dict[str, str], where: str) -> IntermittentProtocol:
    numbers = {}
    for name in ("target_load", "on_s", "off_s", "duration_s", "observed_decline_pct"):
        numbers[name] = _number(row[name], name, where)
    numbers["spread_pct"] = _number(row["spread_pct"], "spread_pct", where)
    if row["joint"] not in JOINT_GROUPS:
        raise ParameterError(unknown_name("joint", row["joint"], JOINT_GROUPS, where))
    if row["citation"] not in citation_registry():
        raise ParameterError(f"{where}: unknown citation key {row['citation']!r}")
    if row["endpoint"] not in ENDPOINTS:
        raise ParameterError(unknown_name("endpoint", row["endpoint"], ENDPOINTS, where))
    if row["spread_kind"] not in SPREAD_KINDS:
        raise ParameterError(unknown_name("spread kind", row["spread_kind"], SPREAD_KINDS, where))
    if row["verified"] not in ("yes", "no"):
        raise ParameterError(f"{where}: verified must be 'yes' or 'no', not {row['verified']!r}")
    checks = (
        (0 < numbers["target_load"] <= 1, "target_load must lie in (0, 1] (fraction of MVC)"),
        (numbers["on_s"] > 0 and numbers["off_s"] > 0, "on_s and off_s must be > 0 s"),
        (numbers["duration_s"] > 0, "duration_s must be > 0 s"),
        (0 <= numbers["observed_decline_pct"] <= 100, "observed_decline_pct must lie in [0, 100]"),
        (numbers["spread_pct"] >= 0, "spread_pct must be >= 0"),
    )
    for ok, message in checks:
        if not ok:
            raise ParameterError(f"{where}: {message}")
    return IntermittentProtocol(
        key=row["key"],
        joint=row["joint"],
        citation=row["citation"],
        group=row["group"],
        endpoint=row["endpoint"],
        spread_kind=row["spread_kind"],
        verified=row["verified"] == "yes",
        **numbers,
    )


def _number(text: str, name: str, where: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ParameterError(f"{where}: {name} must be a number, not {text!r}") from None
    if not np.isfinite(value):
        raise ParameterError(f"{where}: {name} must be finite")
    return value


@cache
def intermittent_protocols() -> tuple[IntermittentProtocol, ...]:
    """The packaged table ``data/reference/intermittent_fatigue.csv``."""
    return load_protocols(str(files("myoaxis") / "data" / "reference" / "intermittent_fatigue.csv"))


def scored_protocols() -> tuple[IntermittentProtocol, ...]:
    """Protocols whose every number was read in the source (the ones the cases use)."""
    return tuple(p for p in intermittent_protocols() if p.verified)


def simulate_intermittent(
    target_load, on_s, off_s, duration_s, F, R, r, LD, LR
) -> fatigue.FatigueState:
    """State after ``duration_s`` of on/off cycles from rest (batched over protocols).

    Each cycle is ``on_s`` at ``target_load`` then ``off_s`` at zero load; the last phase is cut
    at ``duration_s``. Every phase is one exact :func:`fatigue.step`, so the cost is the number of
    phases, not the duration.
    """
    tl, on, off, dur = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (target_load, on_s, off_s, duration_s))
    )
    if not (np.all(on > 0) and np.all(off >= 0) and np.all(dur >= 0)):
        raise ParameterError("simulate_intermittent: need on_s > 0, off_s >= 0, duration_s >= 0")
    state = fatigue.rest(tl.shape)
    elapsed = np.zeros(tl.shape)
    contracting = True
    while np.any(dur - elapsed > 1e-9):
        h = np.clip(np.minimum(on if contracting else off, dur - elapsed), 0.0, None)
        state = fatigue.step(state, tl if contracting else 0.0, F, R, r, LD, LR, h)
        elapsed = elapsed + h
        contracting = not contracting
    return state


def predicted_decline(
    protocols: tuple[IntermittentProtocol, ...], recovery: bool = True
) -> np.ndarray:
    """Model peak-torque decline (% of rested MVC), 100 (1 - MA - MR), per protocol.

    ``recovery=True``: the 3CC-r with each joint's r; ``False``: the original 3CC (r = 1).
    """
    F, R, r = joint_rates(tuple(p.joint for p in protocols))
    LD, LR = controller_rates()
    state = simulate_intermittent(
        [p.target_load for p in protocols],
        [p.on_s for p in protocols],
        [p.off_s for p in protocols],
        [p.duration_s for p in protocols],
        F,
        R,
        r if recovery else np.ones_like(r),
        LD,
        LR,
    )
    return 100.0 * (1.0 - fatigue.capacity(state))


@cache
def _errors(recovery: bool) -> tuple[float, ...]:
    rows = scored_protocols()
    observed = np.array([p.observed_decline_pct for p in rows])
    return tuple(float(e) for e in predicted_decline(rows, recovery) - observed)


def prediction_errors(recovery: bool = True) -> np.ndarray:
    """Predicted minus observed decline (% TD) over the scored protocols."""
    return np.array(_errors(recovery))


def rms_error(recovery: bool = True) -> float:
    """RMS prediction error (% TD) of the 3CC-r (``recovery``) or the 3CC."""
    return float(np.sqrt(np.mean(prediction_errors(recovery) ** 2)))


def error_improvement() -> float:
    """RMS error of the 3CC minus that of the 3CC-r (% TD); positive when r helps."""
    return rms_error(recovery=False) - rms_error(recovery=True)


def mean_signed_error_3cc() -> float:
    """Mean predicted-minus-observed decline of the 3CC (% TD); positive = over-prediction."""
    return float(np.mean(prediction_errors(recovery=False)))


register(
    ValidationCase(
        "intermittent_error_improvement_with_recovery",
        "Peak-torque decline after the verified intermittent isometric protocols of "
        "data/reference/intermittent_fatigue.csv (adductor pollicis, handgrip, knee extensors; "
        "Fulco 1999, Gonzales 2007, Smith 2016): RMS error of the 3CC (r = 1) minus RMS error of "
        "the 3CC-r (r = 30 grip, 15 knee)",
        "looft2018",
        "% TD",
        IMPROVEMENT_BAND,
        error_improvement,
        "Looft 2018: errors fell from 19-29 (3CC) to 6-10 % torque decline (3CC-r), a reduction "
        "of 9-23 % TD",
    )
)
register(
    ValidationCase(
        "intermittent_3cc_overpredicts_decline",
        "Same protocols: mean signed error (predicted - observed peak-torque decline) of the "
        "original 3CC without rest recovery",
        "looft2018",
        "% TD",
        (0.0, 100.0),
        mean_signed_error_3cc,
        "Looft 2018: the original 3CC over-predicted fatigue during intermittent tasks (> 0)",
    )
)
