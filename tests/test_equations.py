"""Slow-layer equations as text: grammar, name resolution, the pint unit check, the kernel."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis.core.equations import Assignment, Component, Input, Model, State
from myoaxis.core.expressions import Expression, ExpressionError, evaluate, to_python, to_sbml

DECAY = State("x", "pg/mL", "x", rate="k.source / k.volume - k.rate * x", initial="k.base", scale=1)
PARAMS = {"k.source": "ng/s", "k.volume": "L", "k.rate": "1/s", "k.base": "pg/mL"}


def component(states=(DECAY,), params=PARAMS, **kw) -> Component:
    return Component("test", states=states, parameters=params, **kw)


@pytest.mark.parametrize(
    "text",
    ["__import__('os')", "x.y()", "[1, 2]", "a if b else c", "f(x)", "x == 1", "'text'", "x @ y"],
)
def test_the_grammar_rejects_everything_outside_it(text):
    with pytest.raises(ExpressionError):
        _ = Expression(text).tree


def test_printers_agree_with_the_evaluator():
    e = Expression("where(a > b and a < 3, exp(-a) ** 2, max(a, b) / min(a, b)) + k.c")
    env = {"a": 2.0, "b": 1.0, "k.c": 0.5}
    assert evaluate(e, env) == pytest.approx(np.exp(-2.0) ** 2 + 0.5)
    assert "piecewise(" in to_sbml(e, str)
    assert "&&" in to_sbml(e, str)
    assert "^" in to_sbml(e, str)
    assert "**" in to_python(e, str)
    assert e.names == {"a", "b", "k.c"}


def test_a_hidden_unit_factor_is_a_build_error():
    wrong = {**PARAMS, "k.volume": "mL"}  # ng/s per mL is 1000 pg/mL/s, not pg/mL/s
    with pytest.raises(ExpressionError, match="only after a factor"):
        Model([component(params=wrong)])


def test_a_dimension_mismatch_is_a_build_error():
    wrong = {**PARAMS, "k.rate": "1/kg"}
    with pytest.raises(ExpressionError, match="units do not work out"):
        Model([component(params=wrong)])


def test_names_must_resolve_and_parameters_must_be_used():
    bad = State("x", "pg/mL", "x", rate="k.source / k.volume - y", initial="k.base")
    with pytest.raises(ExpressionError, match="unknown names"):
        Model([component(states=(bad,))])
    with pytest.raises(ExpressionError, match="never read"):
        Model([component(params={**PARAMS, "k.spare": "s"})])
    with pytest.raises(ExpressionError, match="parameters only"):
        Model([component(states=(State("x", "pg/mL", "x", "0", initial="x"),), params={})])


def test_assignments_are_ordered_and_cycles_refused():
    a = Assignment("a", "ng/s", "a", "b")
    b = Assignment("b", "ng/s", "b", "k.source")
    s = State("x", "pg/mL", "x", rate="a / k.volume - k.rate * x", initial="k.base")
    m = Model([component(states=(s,), assignments=(a, b))])
    assert [x.name for x in m.assignments] == ["b", "a"]
    loop = (Assignment("a", "ng/s", "a", "b"), Assignment("b", "ng/s", "b", "a"))
    with pytest.raises(ExpressionError, match="depend on each other"):
        Model([component(states=(s,), assignments=loop)])


def test_kernel_is_batched_over_subjects_with_inputs():
    s = State("x", "pg/mL", "x", rate="k.source * u / k.volume - k.rate * x", initial="k.base")
    m = Model([component(states=(s,), inputs=(Input("u", "dimensionless", "drive", 0.0),))])
    values = {
        "k.source": [1.0, 2.0],
        "k.volume": [2.0, 2.0],
        "k.rate": [0.1, 0.2],
        "k.base": [3, 4],
    }
    p = m.parameter_array(lambda name, _unit: np.asarray(values[name], float), 2)
    y = m.kernels["initial"](p)
    u = m.input_array({"u": np.array([1.0, 0.5])}, 2)
    dy = m.kernels["rhs"](0.0, y, p, u)
    np.testing.assert_allclose(y, [3.0, 4.0])
    np.testing.assert_allclose(dy, [1 * 1 / 2 - 0.1 * 3, 2 * 0.5 / 2 - 0.2 * 4])
    with pytest.raises(ExpressionError, match="unknown slow-layer inputs"):
        m.input_array({"v": np.ones(2)}, 2)
