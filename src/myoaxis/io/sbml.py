"""SBML Level 3 Version 2 export of the slow layer, with the protocol's inputs as events.

One subject's slow layer becomes one SBML model:

* every state is a non-constant ``parameter`` with a ``rateRule`` and an ``initialAssignment``
  (its resting value, as an expression of the parameters);
* every named intermediate is a non-constant ``parameter`` with an ``assignmentRule``;
* every model parameter is a constant ``parameter`` with its value, its unit (a
  ``unitDefinition`` derived with pint) and, as an RDF ``bqbiol:isDescribedBy`` annotation, the
  DOI of its source; the components' own references annotate the model;
* every input is a non-constant ``parameter``; each change of an input in the run's schedule
  is an ``event`` at that time, and each impulse (a meal) is an event that adds to its state.

The math comes from the same expression texts the slow layer compiles
(:mod:`myoaxis.core.expressions`), so the file is the model MyoAxis ran, not a re-typing.
libRoadRunner reproduces MyoAxis's trajectories from it (``tests/test_sbml.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from myoaxis.core.citations import registry, source_keys
from myoaxis.core.errors import ExportError
from myoaxis.core.expressions import Expression, evaluate, python_name, to_sbml
from myoaxis.core.files import atomic_write
from myoaxis.core.units import ureg
from myoaxis.slow import Impulse, Segment, SlowLayer

_KINDS = {
    "meter": "UNIT_KIND_METRE",
    "kilogram": "UNIT_KIND_KILOGRAM",
    "second": "UNIT_KIND_SECOND",
    "mole": "UNIT_KIND_MOLE",
    "ampere": "UNIT_KIND_AMPERE",
    "kelvin": "UNIT_KIND_KELVIN",
    "candela": "UNIT_KIND_CANDELA",
}


def _libsbml():
    try:
        import libsbml
    except ImportError:
        raise ExportError(
            "SBML export needs python-libsbml; install it with: pip install 'myoaxis[sbml]'"
        ) from None
    return libsbml


def _check(code: int, what: str) -> None:
    if code != 0:  # LIBSBML_OPERATION_SUCCESS
        raise ExportError(f"SBML export: could not set {what} (libSBML code {code})")


class _Writer:
    def __init__(self, layer: SlowLayer, subject: int, model_id: str):
        self.sbml = _libsbml()
        self.layer = layer
        self.subject = subject
        self.doc = self.sbml.SBMLDocument(3, 2)
        self.model = self.doc.createModel()
        _check(self.model.setId(model_id), "the model id")
        self.model.setTimeUnits("second")
        self.units: dict[str, str] = {}
        self.events = 0
        m = layer.model
        names = [*m.parameters, *(x.name for x in (*m.states, *m.inputs, *m.assignments)), "time"]
        rng = np.random.default_rng(1)  # distinct magnitudes, so no probe divides by zero
        self.probe = {n: ureg.Quantity(rng.uniform(0.5, 2.0), m.units_of(n)) for n in names}

    # -- units and annotations ------------------------------------------------------------------

    def unit(self, text: str) -> str:
        """The id of a unitDefinition for the pint unit ``text``."""
        if text in self.units:
            return self.units[text]
        base = ureg.Quantity(1.0, text).to_base_units()
        powers = [(k, e) for k, e in base.unit_items() if k != "radian"]
        uid = f"unit_{len(self.units)}"
        ud = self.model.createUnitDefinition()
        ud.setId(uid)
        ud.setName(text)
        if not powers:
            powers = [("dimensionless", 1)]
        for i, (kind, exponent) in enumerate(powers):
            u = ud.createUnit()
            u.setKind(
                self.sbml.UNIT_KIND_DIMENSIONLESS
                if kind == "dimensionless"
                else getattr(self.sbml, _KINDS[kind])
            )
            u.setExponent(float(exponent))
            u.setScale(0)
            u.setMultiplier(float(base.magnitude) ** (1.0 / exponent) if i == 0 else 1.0)
        self.units[text] = uid
        return uid

    def describe(self, element, keys: Iterable[str]) -> None:
        """Annotate ``element`` with the DOIs of the citation ``keys`` (bqbiol:isDescribedBy)."""
        dois = [registry()[k].doi for k in keys if k in registry() and registry()[k].doi]
        if not dois:
            return
        element.setMetaId(f"meta_{element.getId() or 'model'}")
        term = self.sbml.CVTerm(self.sbml.BIOLOGICAL_QUALIFIER)
        if element is self.model:
            term = self.sbml.CVTerm(self.sbml.MODEL_QUALIFIER)
            term.setModelQualifierType(self.sbml.BQM_IS_DESCRIBED_BY)
        else:
            term.setBiologicalQualifierType(self.sbml.BQB_IS_DESCRIBED_BY)
        for doi in dict.fromkeys(dois):
            term.addResource(f"https://identifiers.org/doi:{doi}")
        _check(element.addCVTerm(term), f"the annotation of {element.getId()}")

    # -- elements -------------------------------------------------------------------------------

    def parameter(self, pid: str, value: float, units: str, name: str, constant: bool):
        p = self.model.createParameter()
        _check(p.setId(pid), f"parameter id {pid!r}")
        p.setName(name)
        p.setValue(float(value))
        p.setUnits(self.unit(units))
        p.setConstant(constant)
        return p

    def unit_of(self, node) -> str:
        """The unit id of a sub-expression, evaluated on pint quantities (of arbitrary distinct
        magnitudes: only the unit of the result is used)."""
        q = evaluate(node, self.probe)
        return self.unit(f"{q.units}") if hasattr(q, "units") else "dimensionless"

    def math(self, expr: Expression, where: str, literal_unit: str = "dimensionless"):
        formula = to_sbml(expr, python_name, literal_unit, self.unit_of)
        ast = self.sbml.parseL3FormulaWithModel(formula, self.model)
        if ast is None:
            raise ExportError(
                f"SBML export: libSBML cannot read the {where} formula {formula!r}: "
                f"{self.sbml.getLastParseL3Error()}"
            )
        return ast

    def event(self, time: float, assignments: dict[str, tuple[str, str]]) -> None:
        """An event at ``time`` setting each variable to ``(formula, unit of its numbers)``."""
        self.events += 1
        e = self.model.createEvent()
        e.setId(f"event_{self.events}")
        e.setUseValuesFromTriggerTime(True)
        trigger = e.createTrigger()
        trigger.setInitialValue(False)  # so that an event at t = 0 (a meal at the start) fires
        trigger.setPersistent(True)
        where = f"event at {time:g} s"
        trigger.setMath(self.math(Expression(f"time >= {float(time)!r}"), where, "second"))
        for variable, (formula, unit) in assignments.items():
            a = e.createEventAssignment()
            a.setVariable(variable)
            a.setMath(self.math(Expression(formula), where, unit))

    def build(self):
        layer, s, m = self.layer, self.subject, self.layer.model
        params = layer.body.params[s]
        keys = [k for c in m.components for k in c.citations]
        self.describe(self.model, keys)
        self.model.setName("MyoAxis slow layer: " + ", ".join(c.name for c in m.components))
        for k, name in enumerate(m.parameters):
            p = self.parameter(
                python_name(name),
                layer.parameters[k, s],
                m.parameter_units[name],
                f"{name}: {params[name].description}",
                constant=True,
            )
            self.describe(p, source_keys(params[name].source))
        first = next((x.inputs[:, s] for x in layer.schedule if isinstance(x, Segment)), None)
        rest = m.input_array({}, layer.body.n_subjects)[:, s]
        start = rest if first is None else first
        for k, i in enumerate(m.inputs):
            self.parameter(i.name, start[k], i.units, i.long_name, constant=False)
        for st in m.states:
            self.parameter(st.name, 0.0, st.units, st.long_name, constant=False)
            ia = self.model.createInitialAssignment()
            ia.setSymbol(st.name)
            init = m.initials[st.name]  # a bare number (a zero) carries the state's unit
            unit = "dimensionless" if init.names else self.unit(st.units)
            ia.setMath(self.math(init, f"initial value of {st.name}", unit))
        for a in m.assignments:
            self.parameter(a.name, 0.0, a.units, a.long_name, constant=False)
            rule = self.model.createAssignmentRule()
            rule.setVariable(a.name)
            rule.setMath(self.math(m.expressions[a.name], a.name))
        for st in m.states:
            rule = self.model.createRateRule()
            rule.setVariable(st.name)
            rule.setMath(self.math(m.rates[st.name], f"rate of {st.name}"))
        self.schedule(start)
        return self.doc

    def schedule(self, start: np.ndarray) -> None:
        m, s = self.layer.model, self.subject
        current = start.copy()
        for item in self.layer.schedule:
            if isinstance(item, Impulse):
                amount = float(item.amount[s])
                if amount:
                    unit = self.unit(m.units_of(item.state))
                    self.event(item.time, {item.state: (f"{item.state} + {amount!r}", unit)})
                continue
            values = item.inputs[:, s]
            changed = {
                i.name: (repr(float(v)), self.unit(i.units))
                for i, v, old in zip(m.inputs, values, current, strict=True)
                if v != old
            }
            if changed and item.start > 0:
                self.event(item.start, changed)
            current = values.copy()


def slow_layer_document(layer: SlowLayer, subject: int = 0, model_id: str = "myoaxis_slow"):
    """The SBML document (``libsbml.SBMLDocument``) of one subject's slow layer and schedule."""
    if not 0 <= subject < layer.body.n_subjects:
        raise ExportError(
            f"SBML export: subject {subject} out of range 0..{layer.body.n_subjects - 1}"
        )
    return _Writer(layer, subject, model_id).build()


def consistency_errors(doc) -> list[str]:
    """libSBML's consistency check: the messages of every error (warnings are not errors)."""
    sbml = _libsbml()
    doc.checkConsistency()
    log = doc.getErrorLog()
    return [
        f"{log.getError(i).getErrorId()}: {log.getError(i).getMessage().strip()}"
        for i in range(log.getNumErrors())
        if log.getError(i).getSeverity() >= sbml.LIBSBML_SEV_ERROR
    ]


def write_sbml(layer: SlowLayer, path: Path, subject: int = 0) -> Path:
    """Write ``path`` (SBML L3V2) for one subject; refuse a document that fails the check."""
    sbml = _libsbml()
    model_id = re.sub(r"\W", "_", Path(path).stem)
    doc = slow_layer_document(layer, subject, model_id=f"m_{model_id}")
    if errors := consistency_errors(doc):
        raise ExportError(f"{path}: the SBML document fails libSBML's check: {errors[0]}")
    text = sbml.writeSBMLToString(doc)
    return atomic_write(Path(path), lambda tmp: tmp.write_text(text), what="SBML")


def roadrunner_replay(sbml: str | Path, layer: SlowLayer, rtol: float | None = None):
    """A libRoadRunner instance for an exported ``sbml`` (file or text), with CVODE's
    tolerances set as the slow layer sets its own: relative ``rtol`` (default: the layer's)
    and, per state, absolute ``rtol`` × the state's typical scale.

    libRoadRunner's single scalar absolute tolerance is not enough for this model: its states
    span twelve orders of magnitude (insulin action ~1e-5 /s, muscle glycogen ~500 mmol), and
    with one scalar for all of them CVODE's step collapses at the first exercise event
    (CV_TOO_MUCH_WORK, seen with libRoadRunner 2.10 at 1e-10 and 1e-12).
    """
    try:
        import roadrunner
    except ImportError:
        raise ExportError(
            "replaying SBML needs libroadrunner; install it with: pip install 'myoaxis[sbml]'"
        ) from None
    rtol = layer.rtol if rtol is None else rtol
    rr = roadrunner.RoadRunner(str(sbml))
    rr.integrator.relative_tolerance = rtol
    rr.integrator.maximum_num_steps = 100_000
    for state in layer.model.states:
        rr.integrator.setIndividualTolerance(state.name, rtol * state.scale)
    return rr
