r"""Rate equations written once, as text, and turned into a compiled kernel, a unit check and SBML.

The slow layer's equations are short expressions in a small subset of Python syntax, e.g.
``"(il6_target - il6_production) / where(il6_target > il6_production, il6.rise_time,
il6.decay_time)"``. Brian2 writes its equations the same way and for the same reason: one text
gives the simulation code, the documentation and the exchange format, so they cannot drift
apart. The text is parsed with :mod:`ast` and only the node types below are accepted; nothing is
ever passed to ``eval``.

Grammar: numbers; names (states, inputs, assignments, ``time``); dotted names for parameters
(``il6.rise_time``); ``+ - * / **`` and unary ``-``; comparisons ``< <= > >=`` joined by ``and``
/ ``or``; the functions ``exp log sqrt sin cos max min`` and ``where(condition, a, b)``.

Three printers walk the same tree: :func:`to_python` (numba source), :func:`to_sbml` (SBML
Level 3 infix, read by ``libsbml.parseL3Formula``) and :func:`evaluate` (values of any type that
supports arithmetic, used with pint quantities to check units).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

FUNCTIONS = ("exp", "log", "sqrt", "sin", "cos", "max", "min", "where")
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_ARITY = {"max": 2, "min": 2, "where": 3}


class ExpressionError(ValueError):
    """An equation text outside the grammar (a programming error in a model component)."""


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _check(node: ast.AST, text: str) -> None:
    def bad(what: str):
        raise ExpressionError(f"{text!r}: {what} is not allowed in a rate equation")

    match node:
        case ast.Constant(value=v):
            if isinstance(v, bool) or not isinstance(v, int | float):
                bad(f"the constant {v!r}")
        case ast.Name() | ast.Attribute():
            if _dotted(node) is None:
                bad("this attribute access")
        case ast.BinOp(op=op, left=a, right=b):
            if type(op) not in _BINARY:
                bad(f"the operator {type(op).__name__}")
            _check(a, text)
            _check(b, text)
        case ast.UnaryOp(op=ast.USub() | ast.UAdd(), operand=a):
            _check(a, text)
        case ast.Compare(ops=[op], left=a, comparators=[b]):
            if type(op) not in _COMPARE:
                bad(f"the comparison {type(op).__name__}")
            _check(a, text)
            _check(b, text)
        case ast.BoolOp(values=values):
            for v in values:
                _check(v, text)
        case ast.Call(func=ast.Name(id=f), args=args, keywords=[]):
            if f not in FUNCTIONS:
                bad(f"the function {f!r} (allowed: {', '.join(FUNCTIONS)})")
            if len(args) != _ARITY.get(f, 1):
                bad(f"{f}() with {len(args)} arguments")
            for a in args:
                _check(a, text)
        case _:
            bad(type(node).__name__)


@dataclass(frozen=True)
class Expression:
    """A parsed, checked equation text."""

    text: str

    @cached_property
    def tree(self) -> ast.AST:
        try:
            tree = ast.parse(self.text.strip(), mode="eval").body
        except SyntaxError as exc:
            raise ExpressionError(f"{self.text!r}: {exc.msg}") from None
        _check(tree, self.text)
        return tree

    @cached_property
    def names(self) -> frozenset[str]:
        """Every (dotted) name the expression reads."""
        found = set()

        def walk(node):
            if (name := _dotted(node)) is not None:
                found.add(name)
                return
            if isinstance(node, ast.Call):
                for a in node.args:
                    walk(a)
                return
            for child in ast.iter_child_nodes(node):
                walk(child)

        walk(self.tree)
        return frozenset(found)


def _print(
    node: ast.AST,
    name: Callable[[str], str],
    dialect: str,
    unit: str = "",
    unit_of: Callable[[ast.AST], str] | None = None,
) -> str:
    def p(n: ast.AST, partner: ast.AST | None = None) -> str:
        """Print ``n``; a number compared with, added to or chosen instead of ``partner``
        takes ``partner``'s unit (SBML unit checking needs it)."""
        own = unit
        if (
            isinstance(n, ast.Constant)
            and unit_of is not None
            and partner is not None
            and not isinstance(partner, ast.Constant)
        ):
            own = unit_of(partner)
        return _print(n, name, dialect, own, unit_of)

    match node:
        case ast.Constant(value=v):
            return f"{float(v)!r} {unit}" if unit else repr(float(v))
        case ast.Name() | ast.Attribute():
            return name(_dotted(node))
        case ast.BinOp(op=op, left=a, right=b):
            sym = "^" if dialect == "sbml" and isinstance(op, ast.Pow) else _BINARY[type(op)]
            if isinstance(op, ast.Add | ast.Sub):
                return f"({p(a, b)} {sym} {p(b, a)})"
            return f"({p(a)} {sym} {p(b)})"
        case ast.UnaryOp(op=op, operand=a):
            return f"(-{p(a)})" if isinstance(op, ast.USub) else p(a)
        case ast.Compare(ops=[op], left=a, comparators=[b]):
            return f"({p(a, b)} {_COMPARE[type(op)]} {p(b, a)})"
        case ast.BoolOp(op=op, values=values):
            if dialect == "sbml":
                joiner = " && " if isinstance(op, ast.And) else " || "
            else:
                joiner = " and " if isinstance(op, ast.And) else " or "
            return "(" + joiner.join(p(v) for v in values) + ")"
        case ast.Call(func=ast.Name(id=f), args=args):
            if f == "where":
                a = [p(args[0]), p(args[1], args[2]), p(args[2], args[1])]
            elif f in ("max", "min"):
                a = [p(args[0], args[1]), p(args[1], args[0])]
            else:
                a = [p(x) for x in args]
            if f == "where":
                if dialect == "sbml":
                    return f"piecewise({a[1]}, {a[0]}, {a[2]})"
                return f"({a[1]} if {a[0]} else {a[2]})"
            if f in ("max", "min"):
                if dialect == "sbml":
                    op = ">=" if f == "max" else "<="
                    return f"piecewise({a[0]}, {a[0]} {op} {a[1]}, {a[1]})"
                return f"{f}({a[0]}, {a[1]})"
            prefix = "" if dialect == "sbml" else "math."
            sbml_name = {"log": "ln"}.get(f, f) if dialect == "sbml" else f
            return f"{prefix}{sbml_name}({a[0]})"
    raise ExpressionError(f"cannot print {ast.dump(node)}")  # pragma: no cover - _check guards


def to_python(expr: Expression, name: Callable[[str], str]) -> str:
    """Python/numba source for ``expr``, with every name replaced by ``name(name)``."""
    return _print(expr.tree, name, "python")


def to_sbml(
    expr: Expression,
    name: Callable[[str], str],
    literal_unit: str = "dimensionless",
    unit_of: Callable[[ast.AST], str] | None = None,
) -> str:
    """SBML Level 3 infix formula for ``expr`` (``where`` and ``max``/``min`` as piecewise).
    Every number is tagged with the unit id ``literal_unit``, except one that is compared with,
    added to or chosen instead of an expression ``e``, which gets ``unit_of(e)``."""
    return _print(expr.tree, name, "sbml", literal_unit, unit_of)


def _function(f: str):
    if f == "max":
        return lambda a, b: a if a >= b else b
    if f == "min":
        return lambda a, b: a if a <= b else b
    return getattr(np, f)


def evaluate(expr: Expression | ast.AST, env: Mapping[str, object]):
    """Evaluate ``expr`` on scalar values (floats or pint quantities) from ``env``.

    ``where`` evaluates both branches (so a unit check sees both) and subtracts them, which
    raises for branches of different dimensions.
    """

    def ev(node):
        match node:
            case ast.Constant(value=v):
                return float(v)
            case ast.Name() | ast.Attribute():
                return env[_dotted(node)]
            case ast.BinOp(op=op, left=a, right=b):
                x, y = ev(a), ev(b)
                if isinstance(op, ast.Pow):
                    y = float(getattr(y, "m_as", lambda _u: y)("dimensionless"))
                    return x**y
                return {
                    ast.Add: lambda: x + y,
                    ast.Sub: lambda: x - y,
                    ast.Mult: lambda: x * y,
                    ast.Div: lambda: x / y,
                }[type(op)]()
            case ast.UnaryOp(op=op, operand=a):
                return -ev(a) if isinstance(op, ast.USub) else ev(a)
            case ast.Compare(ops=[op], left=a, comparators=[b]):
                x, y = ev(a), ev(b)
                return {
                    ast.Lt: lambda: x < y,
                    ast.LtE: lambda: x <= y,
                    ast.Gt: lambda: x > y,
                    ast.GtE: lambda: x >= y,
                }[type(op)]()
            case ast.BoolOp(op=op, values=values):
                results = [bool(ev(v)) for v in values]
                return all(results) if isinstance(op, ast.And) else any(results)
            case ast.Call(func=ast.Name(id="where"), args=[c, a, b]):
                x, y = ev(a), ev(b)
                _ = x - y  # same dimension in both branches
                return x if ev(c) else y
            case ast.Call(func=ast.Name(id=f), args=args):
                return _function(f)(*[ev(a) for a in args])
        raise ExpressionError(f"cannot evaluate {ast.dump(node)}")  # pragma: no cover

    return ev(expr.tree if isinstance(expr, Expression) else expr)


def python_name(dotted: str) -> str:
    """A valid identifier for a dotted name (``il6.rise_time`` -> ``il6__rise_time``)."""
    return dotted.replace(".", "__")
