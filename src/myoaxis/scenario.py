"""The scenario file: who (subject), what happens (protocol) and what to keep (outputs).

A scenario is a pydantic model, loaded from and saved to TOML; ``myoaxis schema`` prints its
JSON Schema. Validation errors become one-line :class:`~myoaxis.core.errors.ScenarioError`
messages that name the file and the key.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from myoaxis.core.errors import ProtocolError, ScenarioError, unknown_name
from myoaxis.core.units import parse_quantity
from myoaxis.protocol import Assess, Resistance, Step, parse_step
from myoaxis.protocol.schedule import Block, block, check_size


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Subject(_Model):
    """One person: a preset scaled to sex and age, plus conditions and parameter overrides."""

    preset: str = "healthy_adult"
    sex: Literal["female", "male"] = "female"
    age_years: float = Field(35.0, gt=0, le=120)
    body_mass_kg: float = Field(70.0, gt=0, le=400)
    conditions: list[str] = []
    overrides: dict[str, str | float] = {}


class ProtocolEntry(_Model):
    """One ``[[protocol]]`` table: either ``step``, or ``repeat`` with ``steps`` (strings or
    nested tables) and optionally ``on`` (weekdays) and ``progression``
    (:mod:`myoaxis.protocol.schedule`)."""

    step: str | None = None
    repeat: int | str | None = None
    steps: list[str | ProtocolEntry] | None = None
    on: list[str] | None = None
    progression: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> ProtocolEntry:
        block_keys = (self.repeat, self.steps, self.on, self.progression)
        if self.step is not None and any(k is not None for k in block_keys):
            raise ValueError("give either 'step' or 'repeat' with 'steps', not both")
        if self.step is None and (self.repeat is None or not self.steps):
            raise ValueError("expected 'step = \"...\"' or 'repeat = N' with 'steps = [...]'")
        if isinstance(self.repeat, bool) or (isinstance(self.repeat, int) and self.repeat < 1):
            raise ValueError(f"repeat must be a positive count, not {self.repeat!r}")
        return self


AUTO_PERIODS = (10.0, 60.0, 300.0, 900.0, 3600.0, 6 * 3600.0, 86400.0)  # s
AUTO_SAMPLES = 10_000


class Model(_Model):
    """Model options: how the fast layer drives the muscles."""

    motor_units: Literal["spiking", "mean_field"] = "spiking"
    resistance: Literal["quasi_static", "fast_layer"] = "quasi_static"


class Outputs(_Model):
    acute: list[str] = ["force", "excitation", "angle", "torque"]
    slow: list[str] = ["il6_plasma"]
    slow_period: str = "auto"  # a duration, or "auto" (see Scenario.slow_period)


class Scenario(_Model):
    """A whole simulation: subject, protocol and outputs (``schema_version = 1``)."""

    schema_version: Literal[1] = 1
    name: str = "unnamed scenario"
    seed: int = 0
    start_time: str = "08:00"  # clock time at t = 0 (HH:MM), for the circadian rhythms
    subject: Subject = Subject()
    model: Model = Model()
    protocol: list[ProtocolEntry] = Field(min_length=1)
    outputs: Outputs = Outputs()
    source: str | None = Field(default=None, exclude=True)  # file the scenario came from

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ScenarioError(f"{path}: cannot read the scenario ({exc.strerror})") from None
        return cls.from_toml_text(text, str(path))

    @classmethod
    def from_toml_text(cls, text: str, where: str = "<scenario>") -> Scenario:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"{where}: invalid TOML ({exc})") from None
        return cls.from_dict(data, where)

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "<scenario>") -> Scenario:
        try:
            scenario = cls.model_validate({**data, "source": where})
        except ValidationError as exc:
            raise ScenarioError(_explain(exc.errors()[0], where)) from None
        scenario.check(where)
        return scenario

    def check(self, where: str) -> None:
        """Semantic checks beyond the schema: names, units and step strings."""
        from myoaxis.conditions import preset_names
        from myoaxis.slow import VARIABLES

        if self.subject.preset not in preset_names():
            raise ScenarioError(
                unknown_name(
                    "preset", self.subject.preset, preset_names(), f"{where}: subject.preset"
                )
            )
        _ = self.start_hour
        period = self.period_of_slow_outputs(where)
        if period <= 0:
            raise ScenarioError(f"{where}: outputs.slow_period must be > 0")
        names = {v.name for v in VARIABLES}
        for out in self.outputs.slow:
            if out not in names:
                raise ScenarioError(
                    unknown_name("slow output", out, names, f"{where}: outputs.slow")
                )
        from myoaxis.outputs import ACUTE_OUTPUTS

        for out in self.outputs.acute:
            if out not in ACUTE_OUTPUTS:
                raise ScenarioError(
                    unknown_name("acute output", out, ACUTE_OUTPUTS, f"{where}: outputs.acute")
                )
        lifts = [
            s
            for s in self.programme(where).flat()
            if isinstance(s, Resistance) or (isinstance(s, Assess) and s.test == "1RM")
        ]
        if lifts and "emg" in self.outputs.acute and self.model.resistance == "quasi_static":
            raise ScenarioError(
                f"{where}: outputs.acute asks for 'emg', but '{lifts[0]}' is simulated "
                "quasi-statically (model.resistance = 'quasi_static': no motor-unit spikes); "
                "set model.resistance = 'fast_layer' or drop 'emg'"
            )

    def programme(self, where: str = "") -> Block:
        """The protocol as one block run once (:mod:`myoaxis.protocol.schedule`)."""
        where = where or self.source or "<scenario>"
        top = Block(tuple(_item(e, f"{where}: protocol[{i}]") for i, e in enumerate(self.protocol)))
        check_size(top, where)
        return top

    def steps(self, where: str = "") -> list[Step]:
        """The protocol expanded into a flat list of typed steps (without the rests that
        weekly schedules put between sessions)."""
        return self.programme(where).flat()

    @property
    def start_hour(self) -> float:
        """``start_time`` in hours after midnight."""
        m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", self.start_time.strip())
        if m is None:
            raise ScenarioError(
                f"{self.source or '<scenario>'}: start_time {self.start_time!r} is not a clock "
                "time; expected HH:MM between 00:00 and 23:59"
            )
        return int(m.group(1)) + int(m.group(2)) / 60.0

    @property
    def slow_period(self) -> float:
        return self.period_of_slow_outputs(self.source or "<scenario>")

    def period_of_slow_outputs(self, where: str) -> float:
        """Sampling period of the slow outputs (s). ``"auto"`` takes the finest of
        :data:`AUTO_PERIODS` that keeps a run within :data:`AUTO_SAMPLES` samples (10 s up
        to a day, 15 min for a 12-week programme)."""
        if self.outputs.slow_period.strip().lower() == "auto":
            least = self.programme(where).shortest()
            return next((p for p in AUTO_PERIODS if least / p <= AUTO_SAMPLES), AUTO_PERIODS[-1])
        return parse_quantity(
            self.outputs.slow_period, "s", f"{where}: outputs.slow_period", error=ScenarioError
        )

    def to_toml(self) -> str:
        """The scenario as TOML text (round-trips through :meth:`from_toml_text`)."""
        return _dump_toml(self.model_dump(exclude_none=True))

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        return cls.model_json_schema()


def _explain(err: dict[str, Any], where: str) -> str:
    """One line for the first pydantic error, with valid keys for an unknown one."""
    loc = [str(p) for p in err["loc"]]
    key = ".".join(loc).replace(".protocol.", ".protocol").replace("protocol.", "protocol")
    key = re.sub(r"protocol(\d+)", r"protocol[\1]", key) or "(top)"
    if err["type"] == "extra_forbidden":
        model: type[BaseModel] = Scenario
        for part in loc[:-1]:
            field = model.model_fields.get(part)
            inner = getattr(field, "annotation", None) if field else None
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                model = inner
            elif part.isdigit() or part == "protocol":
                model = ProtocolEntry
        valid = [f for f in model.model_fields if f != "source"]
        return f"{where}: {unknown_name('key', loc[-1], valid, '.'.join(loc[:-1]) or 'top level')}"
    return f"{where}: {key}: {err['msg'].removeprefix('Value error, ')}"


def _parse(text: str, where: str) -> Step:
    try:
        return parse_step(text)
    except ProtocolError as exc:
        raise ScenarioError(f"{where}: {exc}") from None


def _item(entry: str | ProtocolEntry, where: str) -> Step | Block:
    """A step (a string or a ``step`` table) or a block (``repeat`` with ``steps``)."""
    if isinstance(entry, str):
        return _parse(entry, where)
    if entry.step is not None:
        return _parse(entry.step, f"{where}.step")
    items = tuple(_item(e, f"{where}.steps[{j}]") for j, e in enumerate(entry.steps or ()))
    return block(items, entry.repeat, where, entry.on, entry.progression)


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # JSON string escapes are valid TOML
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() else _toml_value(k)


def _dump_toml(data: dict[str, Any]) -> str:
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict | list)]
    for key, table in data.items():
        if isinstance(table, dict):
            lines += ["", f"[{key}]"] + [f"{_key(k)} = {_toml_value(v)}" for k, v in table.items()]
    for entry in data.get("protocol", []):
        lines += ["", "[[protocol]]"] + [f"{k} = {_toml_value(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"
