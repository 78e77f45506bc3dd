"""The one pint unit registry of MyoAxis and helpers to read quantities from text.

Kernels work on plain floats in canonical units (SI unless a parameter file says otherwise);
pint is used at the boundary, when files and strings are read, so that "90 s", "10 min" and
"2 days" all become seconds and "310 N" becomes newtons, and a wrong dimension is an error.
"""

from __future__ import annotations

from functools import cache

import pint

from myoaxis.core.errors import MyoAxisError

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.define("percent_mvc = 0.01 = %MVC")
ureg.define("percent_1rm = 0.01 = %1RM")
Quantity = ureg.Quantity


@cache
def conversion(source: str, target: str) -> tuple[float, float]:
    """``(scale, offset)`` with ``value in target = scale * value in source + offset`` (pint
    conversions are affine; the offset is non-zero only for temperatures). Cached: a cohort
    converts the same parameter for every subject."""
    zero = ureg.Quantity(0.0, source).to(target).magnitude
    return float(ureg.Quantity(1.0, source).to(target).magnitude - zero), float(zero)


def parse_quantity(
    text: str | float | int,
    unit: str,
    where: str,
    *,
    error: type[MyoAxisError] = MyoAxisError,
    allow_negative: bool = False,
) -> float:
    """Parse ``text`` (e.g. ``"10 min"``) and return its magnitude in ``unit``.

    Raises ``error`` with a one-line message naming ``where`` if the text is not a quantity,
    has no unit, does not convert to ``unit`` or is negative when that is not allowed.
    """
    target = ureg.Unit(unit)
    if isinstance(text, int | float) and not isinstance(text, bool):
        if not target.dimensionless:
            raise error(f"{where}: {text!r} has no unit; expected a quantity in {unit}")
        value = float(text)
    else:
        try:
            q = ureg.Quantity(str(text).strip())
        except (pint.errors.PintError, ValueError, TypeError, AttributeError, SyntaxError) as exc:
            raise error(f"{where}: cannot read {text!r} as a quantity ({exc})") from None
        if not isinstance(q, pint.Quantity):  # a bare number parses to a float
            q = ureg.Quantity(q)
        if q.dimensionless and not target.dimensionless:
            raise error(f"{where}: {text!r} has no unit; expected a quantity in {unit}")
        try:
            value = float(q.to(target).magnitude)
        except pint.errors.DimensionalityError:
            raise error(
                f"{where}: {text!r} does not convert to {unit} "
                f"(it is {q.dimensionality}, expected {target.dimensionality})"
            ) from None
    if value < 0 and not allow_negative:
        raise error(f"{where}: {text!r} is negative; expected a value >= 0 {unit}")
    return value
