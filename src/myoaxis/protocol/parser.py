"""The step grammar, shared by scenario files, the CLI, the API and (later) the web page.

Step forms (``<D>`` is a duration with a unit, e.g. ``90 s``, ``10 min``, ``2 days``)::

    MVC <muscle>
    Hold <muscle> at <X> %MVC for <D>
    Hold <muscle> at <X> %MVC until failure
    Hold <muscle> at <X> %MVC for <D>, rest <D>, until failure
    Hold <muscle> at <X> %MVC for <D>, rest <D>, for <D>
    Ramp <muscle> from <A> to <B> %MVC over <D>
    Move elbow to <X> deg over <D>
    Perturb elbow with <X> Nm for <D>
    Tap index at <F> Hz for <D>
    Tap index as fast as possible for <D>
    Walk at <V> m/s for <D>
    Resistance <muscle> <sets>x<reps> at <X> %1RM, rest <D>
    Assess 1RM <muscle>
    Assess endurance <muscle> at <X> %MVC
    Assess rns <muscle> at <F> Hz
    Assess voluntary_activation <muscle>
    Assess tapping
    Assess fnirs_tapping
    Assess reaction_time
    Assess ogtt
    Assess bmd
    Cycle at <X> %VO2max for <D>
    Cycle at <X> %VO2max until exhaustion
    Run at <X> %VO2max for <D>
    Run at <X> %VO2max until exhaustion
    Meal <N> g carbohydrate
    Meal <N> g protein
    Meal <N> g carbohydrate and <M> g protein
    Sleep for <D>
    Bed rest for <D>
    Rest for <D>
    Stimulate motor_cortex with tDCS|tRNS [at <I> mA] for <D>
    Stimulate motor_cortex with rTMS [at <I> %RMT[, <F> Hz]] for <D>
    Dose <drug> <amount> mg
    Practice <movement> for <D>
    Imagine <movement> for <D>

Values outside a physiological range are errors that point at the number: an exercise
intensity above 150 %VO2max or a bout over 24 h, a meal over 300 g of carbohydrate or 100 g of
protein, a sleep over 16 h, a bed rest over a year, a practice or imagery session over 8 h.
Drugs and movements must be known to the model (a close match is suggested); whether a
stimulation or a dose is within its safe published range is checked against the model's
parameters before the run starts (the daily maximum of a drug as the doses come).

Keywords are case-insensitive. A step that does not parse raises
:class:`~myoaxis.core.errors.ProtocolError`, which quotes the step, points at the offending
word and says what was expected there (with a close match for a misspelt name).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from myoaxis.core.errors import ProtocolError, suggest
from myoaxis.core.units import parse_quantity
from myoaxis.muscles import FINGERS, JOINTS, muscle_names
from myoaxis.physiology.brain.motor_learning import movements
from myoaxis.physiology.pharmacology import drug_names
from myoaxis.protocol.steps import (
    MVC,
    YEAR,
    Age,
    Assess,
    BedRest,
    Cycle,
    Dose,
    Hold,
    HoldToFailure,
    Imagine,
    Intermittent,
    Meal,
    Move,
    Perturb,
    Practice,
    Ramp,
    Resistance,
    Rest,
    Run,
    Sleep,
    Step,
    Stimulate,
    Tap,
    Walk,
)

_TOKEN = re.compile(
    r"%\s*1RM|(?i:1RM)\b|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|%\s*MVC|%\s*(?i:VO2max)|%\s*(?i:RMT)|%"
    r"|[A-Za-z_][A-Za-z0-9_]*|\S"
)
CLINICAL_TESTS = (  # whole-person clinical tests and markers (no muscle named)
    "grip_strength",
    "gait_speed",
    "chair_stand",
    "sppb",
    "sarcopenia",
    "vo2max",
    "cognition",
    "hrv",
    "readiness",
    "pain",
    "pain_threshold",
    "cpm",
    "temporal_summation",
    "disability",
    "mood",
    "cpet",
)
ASSESS_TESTS = (
    "1RM",
    "endurance",
    "rns",
    "voluntary_activation",
    "tapping",
    "fnirs_tapping",
    "reaction_time",
    "ogtt",
    "bmd",
    *CLINICAL_TESTS,
)
WHOLE_PERSON_TESTS = ("tapping", "fnirs_tapping", "reaction_time", "ogtt", "bmd", *CLINICAL_TESTS)
MAX_BOUT_S = 24 * 3600.0
MAX_MEAL_G = 300.0
MAX_PROTEIN_G = 100.0  # g in one meal: a generous upper bound (our estimate), not a tolerance
MAX_SLEEP_S = 16 * 3600.0
MAX_BED_REST_S = 365 * 86400.0
MAX_AGE_YEARS = 30.0
MAX_PRACTICE_S = 8 * 3600.0
STIMULATION_TARGETS = ("motor_cortex",)
STIMULATION_TECHNIQUES = ("tDCS", "rTMS", "tRNS")


@dataclass
class _Cursor:
    text: str
    tokens: list[tuple[str, int]]
    i: int = 0

    def peek(self) -> tuple[str | None, int]:
        if self.i < len(self.tokens):
            return self.tokens[self.i]
        return None, len(self.text)

    def fail(self, expected: str, hint: str = "") -> ProtocolError:
        tok, pos = self.peek()
        return ProtocolError(self.text, pos, expected + hint, tok)

    def word(self, word: str) -> None:
        tok, _ = self.peek()
        if tok is None or tok.lower() != word.lower():
            raise self.fail(repr(word))
        self.i += 1

    def name(self, kind: str, choices: Sequence[str]) -> str:
        tok, _ = self.peek()
        if tok is None or tok not in choices:
            hint = suggest(tok, choices) if tok else ""
            raise self.fail(f"a {kind} ({', '.join(choices)})", hint)
        self.i += 1
        return tok

    def number(self, what: str, signed: bool = False) -> float:
        tok, _ = self.peek()
        try:
            value = float(tok) if tok is not None else None
        except ValueError:
            value = None
        if value is None or not math.isfinite(value):
            raise self.fail(what)
        if value < 0 and not signed:
            raise self.fail(f"{what} >= 0 (negative values are not allowed)")
        self.i += 1
        return value

    def percent_mvc(self, *, unit_required: bool = True) -> float:
        """A percentage of MVC (0-100), returned as a percentage."""
        _, pos = self.peek()
        value = self.number("a percentage of MVC")
        if value > 100:
            raise ProtocolError(self.text, pos, "a percentage between 0 and 100 %MVC", f"{value:g}")
        tok, _ = self.peek()
        if tok is not None and tok.replace(" ", "") == "%MVC":
            self.i += 1
        elif unit_required:
            raise self.fail("'%MVC'")
        return value

    def count(self, what: str) -> int:
        """A whole number >= 1."""
        _, pos = self.peek()
        value = self.number(what)
        if value < 1 or not value.is_integer():
            raise ProtocolError(self.text, pos, f"{what} (a whole number >= 1)", f"{value:g}")
        return int(value)

    def optional(self, word: str) -> bool:
        """Consume ``word`` if it comes next."""
        tok, _ = self.peek()
        if tok is not None and tok.lower() == word.lower():
            self.i += 1
            return True
        return False

    def duration(self) -> float:
        _, pos = self.peek()
        value = self.number("a duration")
        unit, _ = self.peek()
        if unit is None or not re.fullmatch(r"[A-Za-z_]+", unit):
            raise self.fail("a time unit (s, min, h, day)")
        self.i += 1
        seconds = parse_quantity(f"{value} {unit}", "s", "duration", error=ValueError)
        if seconds == 0:
            raise ProtocolError(self.text, pos, "a duration > 0", f"{value:g} {unit}")
        return seconds

    def end(self) -> None:
        tok, _ = self.peek()
        if tok is not None:
            raise self.fail("the end of the step")


def _duration(c: _Cursor) -> float:
    try:
        return c.duration()
    except ValueError:  # a unit that is not a time
        tok, pos = c.tokens[c.i - 1]
        raise ProtocolError(c.text, pos, "a time unit (s, min, h, day)", tok) from None


def _mvc(c: _Cursor) -> Step:
    return MVC(c.name("muscle", muscle_names()))


def _hold(c: _Cursor) -> Step:
    muscle = c.name("muscle", muscle_names())
    c.word("at")
    level = c.percent_mvc()
    if c.optional("until"):
        c.word("failure")
        return HoldToFailure(muscle, level)
    c.word("for")
    on = _duration(c)
    if not c.optional(","):
        return Hold(muscle, level, on)
    c.word("rest")
    off = _duration(c)
    c.word(",")
    if c.optional("until"):
        c.word("failure")
        return Intermittent(muscle, level, on, off)
    c.word("for")
    return Intermittent(muscle, level, on, off, _duration(c))


def _resistance(c: _Cursor) -> Step:
    muscle = c.name("muscle", muscle_names())
    sets = c.count("a number of sets")
    tok, pos = c.peek()
    if tok is not None and re.fullmatch(r"[xX]\d+", tok):  # "3x10" reads as 3, x10
        c.tokens[c.i] = (tok[1:], pos + 1)
    else:
        c.word("x")
    reps = c.count("a number of repetitions")
    c.word("at")
    _, pos = c.peek()
    percent = c.number("a percentage of 1RM")
    if percent > 100:
        raise ProtocolError(c.text, pos, "a percentage between 0 and 100 %1RM", f"{percent:g}")
    tok, _ = c.peek()
    if tok is None or tok.replace(" ", "").upper() != "%1RM":
        raise c.fail("'%1RM'")
    c.i += 1
    c.word(",")
    c.word("rest")
    return Resistance(muscle, sets, reps, percent, _duration(c))


def _assess(c: _Cursor) -> Step:
    tok, _ = c.peek()
    keys = {t.lower(): t for t in ASSESS_TESTS}
    if tok is None or tok.lower() not in keys:
        raise c.fail(f"a test ({', '.join(ASSESS_TESTS)})", suggest(tok or "", ASSESS_TESTS))
    test = keys[tok.lower()]
    c.i += 1
    if test in WHOLE_PERSON_TESTS:
        return Assess(test)
    muscle = c.name("muscle", muscle_names())
    if test == "endurance":
        c.word("at")
        return Assess(test, muscle, percent=c.percent_mvc())
    if test == "rns":
        c.word("at")
        _, pos = c.peek()
        rate = c.number("a stimulation rate")
        if not 0 < rate <= 100:
            raise ProtocolError(c.text, pos, "a stimulation rate in (0, 100] Hz", f"{rate:g}")
        c.word("Hz")
        return Assess(test, muscle, frequency=rate)
    return Assess(test, muscle)


def _ramp(c: _Cursor) -> Step:
    muscle = c.name("muscle", muscle_names())
    c.word("from")
    start = c.percent_mvc(unit_required=False)
    c.word("to")
    end = c.percent_mvc()
    c.word("over")
    return Ramp(muscle, start, end, _duration(c))


def _move(c: _Cursor) -> Step:
    joint = c.name("joint", JOINTS)
    c.word("to")
    angle = c.number("an angle")
    c.word("deg")
    c.word("over")
    return Move(joint, angle, _duration(c))


def _perturb(c: _Cursor) -> Step:
    joint = c.name("joint", JOINTS)
    c.word("with")
    _, pos = c.peek()
    torque = c.number("a torque", signed=True)
    if torque == 0:
        raise ProtocolError(c.text, pos, "a non-zero torque (N m; positive extends)", "0")
    c.word("Nm")
    c.word("for")
    return Perturb(joint, torque, _duration(c))


def _tap(c: _Cursor) -> Step:
    finger = c.name("finger", FINGERS)
    if c.optional("as"):
        for word in ("fast", "as", "possible", "for"):
            c.word(word)
        return Tap(finger, None, _duration(c))
    c.word("at")
    _, pos = c.peek()
    rate = c.number("a tapping rate")
    if rate == 0:
        raise ProtocolError(c.text, pos, "a tapping rate > 0 Hz", "0")
    c.word("Hz")
    c.word("for")
    return Tap(finger, rate, _duration(c))


def _walk(c: _Cursor) -> Step:
    c.word("at")
    _, pos = c.peek()
    speed = c.number("a walking speed")
    if not speed > 0:
        raise ProtocolError(c.text, pos, "a walking speed > 0 m/s", f"{speed:g}")
    c.word("m")
    c.word("/")
    c.word("s")
    c.word("for")
    return Walk(speed, _duration(c))


def _at_most(c: _Cursor, limit: float, what: str) -> float:
    """A duration no longer than ``limit`` seconds (``what`` names the limit in words)."""
    _, pos = c.peek()
    seconds = _duration(c)
    if seconds > limit:
        raise ProtocolError(c.text, pos, f"a duration of at most {what}", c.text[pos:].strip())
    return seconds


def _aerobic(kind: type[Cycle]) -> Callable[[_Cursor], Step]:
    def parse(c: _Cursor) -> Step:
        c.word("at")
        _, pos = c.peek()
        percent = c.number("an intensity in %VO2max")
        if not 0 < percent <= 150:
            raise ProtocolError(c.text, pos, "an intensity in (0, 150] %VO2max", f"{percent:g}")
        tok, _ = c.peek()
        if tok is None or tok.replace(" ", "").lower() != "%vo2max":
            raise c.fail("'%VO2max'")
        c.i += 1
        if c.optional("until"):
            c.word("exhaustion")
            return kind(percent)
        c.word("for")
        return kind(percent, _at_most(c, MAX_BOUT_S, "24 h"))

    return parse


def _meal(c: _Cursor) -> Step:
    """``<N> g carbohydrate``, ``<M> g protein`` or both joined by ``and``."""
    limits = {"carbohydrate": MAX_MEAL_G, "protein": MAX_PROTEIN_G}
    grams: dict[str, float] = {}
    while True:
        _, pos = c.peek()
        amount = c.number("an amount in g")
        c.word("g")
        nutrient = c.name("nutrient", [k for k in limits if k not in grams])
        if not 0 < amount <= limits[nutrient]:
            raise ProtocolError(
                c.text, pos, f"a {nutrient} amount in (0, {limits[nutrient]:g}] g", f"{amount:g}"
            )
        grams[nutrient] = amount
        if len(grams) == len(limits) or not c.optional("and"):
            return Meal(grams.get("carbohydrate", 0.0), grams.get("protein", 0.0))


def _sleep(c: _Cursor) -> Step:
    c.word("for")
    return Sleep(_at_most(c, MAX_SLEEP_S, "16 h"))


def _bed_rest(c: _Cursor) -> Step:
    c.word("rest")
    c.word("for")
    return BedRest(_at_most(c, MAX_BED_REST_S, "365 days"))


def _age(c: _Cursor) -> Step:
    c.word("by")
    _, pos = c.peek()
    years = c.number("a number of years")
    if not 0 < years <= MAX_AGE_YEARS:
        raise ProtocolError(
            c.text, pos, f"a number of years in (0, {MAX_AGE_YEARS:g}]", f"{years:g}"
        )
    if not c.optional("year"):
        c.word("years")
    return Age(years * YEAR)


def _stimulate(c: _Cursor) -> Step:
    target = c.name("stimulation target", STIMULATION_TARGETS)
    c.word("with")
    technique = c.name("technique", STIMULATION_TECHNIQUES)
    units = ("%RMT", "Hz") if technique == "rTMS" else ("mA",)
    settings: dict[str, float] = {}
    if c.optional("at"):
        while True:
            _, pos = c.peek()
            value = c.number(f"a {technique} setting ({' or '.join(units)})")
            if value == 0:
                raise ProtocolError(c.text, pos, f"a {technique} setting > 0", "0")
            tok, _ = c.peek()
            unit = {u.lower(): u for u in units}.get((tok or "").replace(" ", "").lower())
            if unit is None or unit in settings:
                raise c.fail(" or ".join(repr(u) for u in units if u not in settings))
            c.i += 1
            settings[unit] = value
            if not c.optional(","):
                break
    c.word("for")
    intensity = settings.get("%RMT" if technique == "rTMS" else "mA")
    return Stimulate(
        target, technique, _at_most(c, MAX_BOUT_S, "24 h"), intensity, settings.get("Hz")
    )


def _dose(c: _Cursor) -> Step:
    drug = c.name("drug", drug_names())
    _, pos = c.peek()
    amount = c.number("an amount")
    unit, _ = c.peek()
    try:
        mg = parse_quantity(f"{amount} {unit}", "mg", "dose", error=ValueError)
    except ValueError:
        raise c.fail("a mass unit (mg, g)") from None
    if mg == 0:
        raise ProtocolError(c.text, pos, "an amount > 0", f"{amount:g}")
    c.i += 1
    return Dose(drug, mg)


def _practice(kind: type[Practice]) -> Callable[[_Cursor], Step]:
    def parse(c: _Cursor) -> Step:
        movement = c.name("movement", movements())
        c.word("for")
        return kind(movement, _at_most(c, MAX_PRACTICE_S, "8 h"))

    return parse


def _rest(c: _Cursor) -> Step:
    c.word("for")
    return Rest(_duration(c))


STEP_FORMS: dict[str, tuple[tuple[str, ...], Callable[[_Cursor], Step]]] = {
    "MVC": (("MVC <muscle>",), _mvc),
    "Hold": (
        (
            "Hold <muscle> at <X> %MVC for <duration>",
            "Hold <muscle> at <X> %MVC until failure",
            "Hold <muscle> at <X> %MVC for <on>, rest <off>, until failure",
            "Hold <muscle> at <X> %MVC for <on>, rest <off>, for <duration>",
        ),
        _hold,
    ),
    "Ramp": (("Ramp <muscle> from <A> to <B> %MVC over <duration>",), _ramp),
    "Move": (("Move elbow to <angle> deg over <duration>",), _move),
    "Perturb": (("Perturb elbow with <torque> Nm for <duration>",), _perturb),
    "Tap": (
        ("Tap index at <rate> Hz for <duration>", "Tap index as fast as possible for <duration>"),
        _tap,
    ),
    "Walk": (("Walk at <speed> m/s for <duration>",), _walk),
    "Resistance": (
        ("Resistance <muscle> <sets>x<reps> at <X> %1RM, rest <duration>",),
        _resistance,
    ),
    "Assess": (
        (
            "Assess 1RM <muscle>",
            "Assess endurance <muscle> at <X> %MVC",
            "Assess rns <muscle> at <rate> Hz",
            "Assess voluntary_activation <muscle>",
            "Assess tapping",
            "Assess fnirs_tapping",
            "Assess reaction_time",
            "Assess ogtt",
            "Assess bmd",
            *(f"Assess {t}" for t in CLINICAL_TESTS),
        ),
        _assess,
    ),
    "Cycle": (
        ("Cycle at <X> %VO2max for <duration>", "Cycle at <X> %VO2max until exhaustion"),
        _aerobic(Cycle),
    ),
    "Run": (
        ("Run at <X> %VO2max for <duration>", "Run at <X> %VO2max until exhaustion"),
        _aerobic(Run),
    ),
    "Meal": (
        (
            "Meal <N> g carbohydrate",
            "Meal <N> g protein",
            "Meal <N> g carbohydrate and <M> g protein",
        ),
        _meal,
    ),
    "Sleep": (("Sleep for <duration>",), _sleep),
    "Bed": (("Bed rest for <duration>",), _bed_rest),
    "Rest": (("Rest for <duration>",), _rest),
    "Age": (("Age by <N> years",), _age),
    "Stimulate": (
        (
            "Stimulate motor_cortex with tDCS for <duration>",
            "Stimulate motor_cortex with tDCS at <I> mA for <duration>",
            "Stimulate motor_cortex with tRNS at <I> mA for <duration>",
            "Stimulate motor_cortex with rTMS at <I> %RMT, <F> Hz for <duration>",
        ),
        _stimulate,
    ),
    "Dose": (("Dose <drug> <amount> mg",), _dose),
    "Practice": (("Practice <movement> for <duration>",), _practice(Practice)),
    "Imagine": (("Imagine <movement> for <duration>",), _practice(Imagine)),
}


def parse_step(text: str) -> Step:
    """Parse one step string into a typed :class:`~myoaxis.protocol.steps.Step`."""
    if not isinstance(text, str):
        raise ProtocolError(str(text), 0, "a step string")
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(text)]
    cursor = _Cursor(text, tokens)
    first, _ = cursor.peek()
    keys = {k.lower(): k for k in STEP_FORMS}
    if first is None or first.lower() not in keys:
        raise cursor.fail(f"a step ({', '.join(STEP_FORMS)})", suggest(first or "", STEP_FORMS))
    cursor.i += 1
    step = STEP_FORMS[keys[first.lower()]][1](cursor)
    cursor.end()
    return step
