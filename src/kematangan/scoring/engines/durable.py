"""The durable-rules engine: a :class:`~kematangan.scoring.plan.Plan` run as
durable rules.

:class:`DurableEngine` gives exactly the :class:`~kematangan.scoring.result.RowResult`
of :class:`~kematangan.scoring.engines.record.RecordEngine` for every record (the test suite
checks this on generated records of every bundled ruleset). It compiles the plan's
conditions into one durable ruleset through :mod:`kematangan.scoring.engines.durable_host`, and
computes in Python what durable cannot do safely. Where each construct is evaluated
(see also ``docs/engines.md``):

=============================================  ====================================
construct                                      evaluated by
=============================================  ====================================
``field op literal`` (threshold, range,        durable rule
boolean, category equality, ``in`` sets)
``and`` / ``or`` / ``not`` (three-valued),     durable rule (verdicts tell true,
``missing()`` / ``known()`` of a value         false and unknown apart)
derived values, arithmetic, ``abs``/``min``/   Python (the semantics closures),
``max``/``coalesce``                           posted to durable as attributes
``value op value`` (no literal side)           Python, posted as a 1/0/missing
                                               attribute that durable tests
a non-boolean value used as a condition        Python, posted likewise
``all_of``/``any_of``/``at_least`` over        durable, the referenced conditions
criteria whose outcome durable can express     inlined (``at_least`` as k-subsets)
other criterion references                     Python, from the criteria outcomes
``missing:`` policy (met / not_met)            Python, after durable's verdict
``bands`` (which band) and ``score``           durable rule per band / per
(``met_at``)                                   ``met_at`` test; points in Python
score sums, stages, classes, exit readiness    Python
a record whose Python-computed test value has  Python (the whole record), since
magnitude >= the largest float (durable        durable sees ``inf`` as the
cannot tell it from ``inf``), or a boolean     largest float
not 1/0/NaN
=============================================  ====================================

Plan values are sent under durable-safe attribute names: ``v0, v1, ...`` for the
plan's value ids (fields then derived values) and ``x0, x1, ...`` for values
computed in Python. Nothing falls back silently: :attr:`DurableEngine.placement`
tells, per criterion, whether durable, durable over Python-computed tests, or Python
decided it, and
:attr:`DurableEngine.python_records` counts records scored wholly in Python.
"""

from __future__ import annotations

import itertools
import math
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from kematangan.criteria import expr as ex
from kematangan.scoring import semantics as sem
from kematangan.scoring.engines import durable_compile as du
from kematangan.scoring.engines.durable_host import DurableHost
from kematangan.scoring.engines.record import RecordEngine, score_each
from kematangan.scoring.plan import AtLeastOf, CriterionStep, CritRef, Plan
from kematangan.scoring.result import ColumnResult, RowResult

__all__ = ["DurableEngine", "Placement"]

NAN: Final = math.nan
_BIG: Final = sys.float_info.max
_MAX_SUBSETS: Final = 64
"""Largest number of k-subsets an ``at_least`` is expanded to in durable."""

Placement = Literal["durable", "durable+python", "python"]
"""Where a criterion's outcome is decided: ``"durable"`` (its rule reads field and
derived values only), ``"durable+python"`` (durable combines tests of which some
read values computed in Python: a comparison of two values, a function result),
``"python"`` (wholly in Python)."""

_Fn = Callable[[list[float], list[float]], float]
_OPS: Final[dict[str, du.CompareOp]] = {
    "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge",
}
_FLIP: Final[dict[str, str]] = {
    "==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=",
}
_TRUE: Final = du.AllOf()
_FALSE: Final = du.AnyOf()


class _Fallback(Exception):
    """A construct that durable cannot decide exactly: Python decides it."""


@dataclass(frozen=True, slots=True)
class _Posted:
    """A value computed in Python and sent to durable as attribute ``name``."""

    name: str
    fn: _Fn
    tri: bool
    """Normalise to 1 (value is 1), 0 (value is 0) or missing (anything else)."""


def _tri(x: float) -> float:
    return x if x == 1.0 or x == 0.0 else NAN


class _Compiler:
    """Translates plan nodes into adapter conditions."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.slot = {name: i for i, name in enumerate(plan.value_ids)}
        self.crit = {c.id: c.index for c in plan.criteria}
        self.boolean_fields = {f.id for f in plan.fields if f.type == "boolean"}
        self.posted: list[_Posted] = []
        self._posted_keys: dict[tuple[ex.Node, bool], str] = {}
        # Conditions giving a criterion's *outcome* (after its missing policy), for
        # criteria that durable decides; filled in evaluation order.
        self.outcome_cond: dict[str, du.Condition] = {}

    # ------------------------------------------------------------------ values

    def attr(self, node: ex.Node) -> str:
        """The attribute holding a value node's value (posting it if needed)."""
        if isinstance(node, ex.Name):
            return f"v{self.slot[node.id]}"
        return self.post(node, tri=False)

    def post(self, node: ex.Node, *, tri: bool) -> str:
        if _refers_to_criteria(node):
            raise _Fallback
        key = (node, tri)
        name = self._posted_keys.get(key)
        if name is None:
            name = self._posted_keys[key] = f"x{len(self.posted)}"
            self.posted.append(_Posted(name, sem.compile_expr(node, self.slot, self.crit), tri))
        return name

    # -------------------------------------------------------------- conditions

    def boolean_valued(self, node: ex.Node) -> bool:
        """Whether the node's value is always 1, 0 or NaN (by the semantics)."""
        if isinstance(node, ex.Cmp | ex.In | ex.And | ex.Or | AtLeastOf):
            return True
        if isinstance(node, ex.Call):
            return node.fn in ("missing", "known")
        if isinstance(node, ex.Not):
            return self.boolean_valued(node.operand)
        if isinstance(node, ex.Name):
            return node.id in self.boolean_fields
        if isinstance(node, ex.Num):
            return node.value in (0.0, 1.0)
        if isinstance(node, CritRef):
            step = self.plan.criteria[self.crit[node.id]]
            return step.kind != "condition" or (
                step.node is not None and self.boolean_valued(step.node))
        return False

    def logic(self, node: ex.Node) -> du.Condition:
        """A condition true when ``node`` is 1, false when 0, unknown otherwise."""
        if isinstance(node, ex.Num):
            if node.value == 1.0:
                return _TRUE
            if node.value == 0.0:
                return _FALSE
            return self._posted_cond(node)
        if isinstance(node, ex.Name):
            if node.id in self.boolean_fields:  # encoded as exactly 1.0 / 0.0
                return du.Compare(self.attr(node), "eq", 1.0)
            return self._posted_cond(node)
        if isinstance(node, ex.Cmp):
            return self._cmp(node)
        if isinstance(node, ex.And):
            return du.AllOf(*(self.logic(i) for i in node.items))
        if isinstance(node, ex.Or):
            return du.AnyOf(*(self.logic(i) for i in node.items))
        if isinstance(node, ex.Not):
            if self.boolean_valued(node.operand):
                return du.Negate(self.logic(node.operand))
            return self._posted_cond(node)
        if isinstance(node, ex.In):
            if isinstance(node.operand, ex.Num):
                return self._posted_cond(node)
            values = tuple(o.value for o in node.options if isinstance(o, ex.Num))
            one_of = du.OneOf(self.attr(node.operand), values)
            return du.Negate(one_of) if node.negate else one_of
        if isinstance(node, ex.Call) and node.fn in ("missing", "known"):
            (arg,) = node.args
            if isinstance(arg, ex.Num):
                return self._posted_cond(node)
            absent = du.IsMissing(self.attr(arg))
            return absent if node.fn == "missing" else du.Negate(absent)
        if isinstance(node, CritRef):
            found = self.outcome_cond.get(node.id)
            if found is None:
                raise _Fallback
            return found
        if isinstance(node, AtLeastOf):
            conds = []
            for cid in node.ids:
                found = self.outcome_cond.get(cid)
                if found is None:
                    raise _Fallback
                conds.append(found)
            if node.k > len(conds):
                return _FALSE
            if math.comb(len(conds), max(node.k, 0)) > _MAX_SUBSETS:
                raise _Fallback
            return du.AnyOf(*(du.AllOf(*subset) for subset in
                              itertools.combinations(conds, max(node.k, 0))))
        return self._posted_cond(node)

    def _posted_cond(self, node: ex.Node) -> du.Condition:
        return du.Compare(self.post(node, tri=True), "eq", 1.0)

    def _cmp(self, node: ex.Cmp) -> du.Condition:
        left, right, op = node.left, node.right, node.op
        if isinstance(left, ex.Num) and not isinstance(right, ex.Num):
            left, right, op = right, left, _FLIP[op]
        if isinstance(right, ex.Num) and not isinstance(left, ex.Num):
            if math.isnan(right.value):
                return self._posted_cond(node)
            return du.Compare(self.attr(left), _OPS[op], right.value)
        # Both literal (constant) or both values: durable cannot compare two
        # attributes safely (2.0.28 crashes when one is missing).
        return self._posted_cond(node)

    def outcome(self, step: CriterionStep, cond: du.Condition) -> du.Condition | None:
        """The condition of the criterion's outcome after its missing policy."""
        if step.missing == "unknown":
            return cond
        fields = _single_field(cond)
        if fields is None or len(fields) != 1:
            return None  # its unknown region is not "one field is missing"
        absent = du.IsMissing(fields.pop())
        if step.missing == "met":
            return du.AnyOf(absent, cond)
        return du.AllOf(du.Negate(absent), cond)


def _single_field(cond: du.Condition) -> set[str] | None:
    """The fields of a condition made only of comparisons, else None.

    Such a condition is unknown exactly when its (single) field is missing: Kleene
    and/or/not of unknowns is unknown, and of known values is known.
    """
    if isinstance(cond, du.Compare | du.OneOf):
        return {cond.field}
    if isinstance(cond, du.Negate):
        return _single_field(cond.term)
    if isinstance(cond, du.AllOf | du.AnyOf) and cond.terms:
        out: set[str] = set()
        for term in cond.terms:
            sub = _single_field(term)
            if sub is None:
                return None
            out |= sub
        return out
    return None  # IsMissing or a constant


def _reads_posted(cond: du.Condition) -> bool:
    """Whether the condition reads an attribute computed in Python (``x0``...)."""
    if isinstance(cond, du.Compare | du.OneOf | du.IsMissing):
        return cond.field.startswith("x")
    if isinstance(cond, du.Negate):
        return _reads_posted(cond.term)
    return any(_reads_posted(term) for term in cond.terms)


def _refers_to_criteria(node: ex.Node) -> bool:
    if isinstance(node, CritRef | AtLeastOf):
        return True
    for child in _children(node):
        if _refers_to_criteria(child):
            return True
    return False


def _children(node: ex.Node) -> tuple[ex.Node, ...]:
    if isinstance(node, ex.Neg | ex.Not):
        return (node.operand,)
    if isinstance(node, ex.Bin | ex.Cmp):
        return (node.left, node.right)
    if isinstance(node, ex.And | ex.Or):
        return node.items
    if isinstance(node, ex.In):
        return (node.operand,)
    if isinstance(node, ex.Call):
        return node.args
    return ()


def _fits(cond: du.Condition, name: str) -> bool:
    """Whether the adapter can compile ``cond`` within its limits."""
    return du.condition_fits(cond)


class DurableEngine:
    """Scores records with durable-rules; same results as the record engine.

    Parameters
    ----------
    plan : Plan
        The compiled ruleset.

    Raises
    ------
    kematangan.errors.EngineError
        When durable-rules is not installed or refuses the compiled ruleset.

    Notes
    -----
    One durable ruleset (a :class:`~kematangan.scoring.engines.durable_host.DurableHost`) per
    engine, evaluated in one reused session; engines of different rulesets (or
    versions) coexist in a process. An engine can be shared by threads: the
    adapter serialises engine calls. Call :meth:`close` to free durable's memory
    early; garbage collection does it otherwise.

    Usage (not a doctest, it needs durable-rules)::

        from kematangan.criteria import load_ruleset
        from kematangan.scoring.plan import compile_plan
        engine = DurableEngine(compile_plan(load_ruleset("ppmk-ksm")))
        engine.score_one([float("nan")] * len(engine.plan.fields)).stage_upper  # 3
    """

    name = "durable"

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._record = RecordEngine(plan)
        comp = _Compiler(plan)
        slot, crit = comp.slot, comp.crit
        self._derived = [(d.index, sem.compile_expr(d.node, slot, crit))
                         for d in plan.derived]
        rules: list[tuple[str, du.Condition]] = []
        placement: dict[str, Placement] = {}
        # Per criterion (plan order): how to get its raw value.
        #   ("rule", rule index)                  condition decided by durable
        #   ("bands", value slot, [rule index])    band membership in durable
        #   ("score", value slot, rule index)      met_at test in durable
        #   ("python", closure)                    decided in Python
        self._steps: list[tuple[int, str, int, tuple[int, ...], _Fn | None]] = []
        for ci in plan.order:
            step = plan.criteria[ci]
            if step.kind == "condition":
                assert step.node is not None
                cond = self._translate(comp, step.node, step.id)
                if cond is None:
                    placement[step.id] = "python"
                    self._steps.append((ci, "python", -1, (),
                                        sem.compile_expr(step.node, slot, crit)))
                    continue
                placement[step.id] = ("durable+python" if _reads_posted(cond)
                                      else "durable")
                rules.append((f"r{len(rules)}", cond))
                self._steps.append((ci, "rule", len(rules) - 1, (), None))
                if comp.boolean_valued(step.node) and step.applies is None:
                    out = comp.outcome(step, cond)
                    if out is not None and _fits(out, step.id):
                        comp.outcome_cond[step.id] = out
                continue
            assert isinstance(step.value, ex.Name)
            value = comp.slot[step.value.id]
            attr = f"v{value}"
            placement[step.id] = "durable"
            if step.kind == "bands":
                first = len(rules)
                for lo, hi, lo_in, hi_in, _ in step.bands:
                    rules.append((f"r{len(rules)}", du.AllOf(
                        du.Compare(attr, "ge" if lo_in else "gt", lo),
                        du.Compare(attr, "le" if hi_in else "lt", hi))))
                self._steps.append((ci, "bands", value,
                                    tuple(range(first, len(rules))), None))
            else:
                met = du.Compare(attr, "ge", step.met_at)
                rules.append((f"r{len(rules)}", met))
                self._steps.append((ci, "score", value, (len(rules) - 1,), None))
                out = comp.outcome(step, met)
                if out is not None and step.applies is None:
                    comp.outcome_cond[step.id] = out
        self.placement: dict[str, Placement] = {
            c.id: placement[c.id] for c in plan.criteria}
        """Per criterion id: whether durable or Python decides its outcome."""
        # Whether a criterion applies is computed in Python, like derived values.
        self._applies = {c.index: sem.compile_expr(c.applies, slot, crit)
                         for c in plan.criteria if c.applies is not None}
        self._host = DurableHost(rules, negatives=True, reuse_session=True)
        self._rule_names = tuple(name for name, _ in rules)
        used = set(self._host.fields)
        # Only what the rules read (a criterion that fell back to Python after
        # posting part of its condition leaves that part unread).
        self._posted = [(p.name, p.fn, p.tri) for p in comp.posted if p.name in used]
        self._sent = [(f"v{i}", i) for i in range(len(plan.value_ids))
                      if f"v{i}" in used]
        self._booleans = [f.index for f in plan.fields if f.type == "boolean"]
        self._lock = threading.Lock()
        self._python_records = 0

    @staticmethod
    def _translate(comp: _Compiler, node: ex.Node, name: str) -> du.Condition | None:
        if not comp.boolean_valued(node):
            return None  # its outcome is the raw value: Python computes it
        try:
            cond = comp.logic(node)
        except _Fallback:
            return None
        return cond if _fits(cond, name) else None

    # --------------------------------------------------------------- properties

    @property
    def host(self) -> DurableHost:
        """The adapter host holding the compiled durable ruleset."""
        return self._host

    @property
    def python_records(self) -> int:
        """Records scored wholly in Python.

        Those holding a value of magnitude >= the largest float, or a boolean field
        value other than 1, 0 or NaN (``encode_record`` never gives one).
        """
        return self._python_records

    # ---------------------------------------------------------------- scoring

    def score_one(self, values: Sequence[float]) -> RowResult:
        """Score one record given its encoded field values (plan order)."""
        plan = self.plan
        v = [float(x) for x in values] + [NAN] * len(plan.derived)
        for i in self._booleans:
            x = v[i]
            if x != 1.0 and x != 0.0 and x == x:  # not as encode_record gives it
                return self._python(values)
        for idx, fn in self._derived:
            v[idx] = sem.derived_value(fn(v, []))
        fact: dict[str, object] = {}
        for name, i in self._sent:
            x = v[i]
            if x == x:
                if not -_BIG < x < _BIG:
                    return self._python(values)
                fact[name] = x
        for name, post, normalise in self._posted:
            x = post(v, [])
            if normalise:
                x = _tri(x)
            elif x == x and not -_BIG < x < _BIG:
                return self._python(values)
            fact[name] = x
        verdicts = self._host.verdicts(fact)
        names = self._rule_names
        n_crit = len(plan.criteria)
        t = [NAN] * n_crit
        pts = [0.0] * n_crit
        for ci, how, value, rule_ids, closure in self._steps:
            step = plan.criteria[ci]
            top = step.max_points
            # durable decides the comparisons; what they mean (points, the band
            # that counts, the missing policy) is the semantics module's.
            if how == "rule":
                verdict = verdicts[names[value]]
                tri = NAN if verdict is None else 1.0 if verdict else 0.0
                t[ci], pts[ci] = sem.settle(step, tri)
                continue
            if how == "python":
                assert closure is not None
                t[ci], pts[ci] = sem.settle(step, closure(v, t))
                continue
            if v[value] != v[value]:
                tri, p = NAN, 0.0
            elif how == "bands":
                p = sem.band_points(step.bands,
                                    [bool(verdicts[names[rid]]) for rid in rule_ids])
                tri = 1.0 if p == top else 0.0
            else:
                tri = 1.0 if verdicts[names[rule_ids[0]]] else 0.0
                p = sem.score_points(v[value], top)
            t[ci], pts[ci] = sem.with_missing_policy(tri, p, step.missing, top)
        for ci, applies in self._applies.items():
            t[ci], pts[ci] = sem.applicable(applies(v, t), t[ci], pts[ci])
        return sem.aggregate(self.plan, t, pts, v)

    def _python(self, values: Sequence[float]) -> RowResult:
        with self._lock:
            self._python_records += 1
        return self._record.score_one(values)

    def score_many(self, values: list[npt.NDArray[np.float64]]) -> ColumnResult:
        """Score every record, one at a time through durable (derived arrays are
        filled in place, as the numpy engine does)."""
        return score_each(self.score_one, self.plan, values)

    def close(self) -> None:
        """Free the durable ruleset; the engine cannot score afterwards."""
        self._host.close()

    def __repr__(self) -> str:
        n = sum(1 for p in self.placement.values() if p != "python")
        return (f"<DurableEngine {self.plan.ruleset_id} {self.plan.version}: "
                f"{n}/{len(self.placement)} criteria decided in durable>")
