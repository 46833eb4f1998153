"""Compile a ruleset into an engine-neutral plan.

The plan is what every engine (numpy, per-record, durable-rules) runs. It reduces the
ruleset to a few shapes so that the engines stay small and agree:

* every value is a float, and a missing value is NaN: numbers as they are, booleans as
  1/0, a category as the index of its value in the field's ``categories``, a date as
  days since 1970-01-01;
* every condition is an expression tree of :mod:`kematangan.criteria.expr` nodes in
  which texts, booleans and dates have been replaced by those numbers, plus
  :class:`CritRef` (another criterion's outcome) and :class:`AtLeastOf`;
* ``bands`` and ``score`` criteria keep their own small shapes.

Steps are in dependency order (derived values before what reads them, a criterion
after the criteria it combines), so an engine evaluates them front to back.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any

from kematangan.criteria import expr as ex
from kematangan.criteria.meaning import criterion_max_points, name_types
from kematangan.criteria.ruleset import Check, CompareOp, Criterion, Ruleset
from kematangan.criteria.ruleset import FieldSpec as _FieldSpec

__all__ = [
    "AtLeastOf",
    "CheckStep",
    "CritRef",
    "CriterionStep",
    "DerivedStep",
    "FieldSlot",
    "Plan",
    "compile_plan",
    "date_to_days",
    "days_to_date",
]

_EPOCH = _dt.date(1970, 1, 1)


def date_to_days(d: _dt.date) -> float:
    """Days since 1970-01-01, the plan's encoding of a date.

    Examples
    --------
    >>> date_to_days(_dt.date(1970, 1, 11))
    10.0
    """
    if isinstance(d, _dt.datetime):
        d = d.date()
    return float((d - _EPOCH).days)


def days_to_date(days: float) -> _dt.date:
    """Inverse of :func:`date_to_days`."""
    return _EPOCH + _dt.timedelta(days=int(days))


@dataclass(frozen=True, slots=True)
class CritRef(ex.Node):
    """The outcome of another criterion: 1 met, 0 not met, NaN unknown."""

    id: str


@dataclass(frozen=True, slots=True)
class AtLeastOf(ex.Node):
    """At least ``k`` of the referenced criteria are met (three-valued)."""

    k: int
    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FieldSlot:
    """A record field, its position in the value vector and its validity rules."""

    id: str
    index: int
    type: str
    min: float | None
    max: float | None
    categories: tuple[str, ...]
    label: str
    unconfirmed: tuple[str, ...] = ()
    """Bounds (``min``, ``max``) that are working assumptions: a value beyond one
    is used, with a note."""


@dataclass(frozen=True, slots=True)
class DerivedStep:
    """A derived value: ``node`` evaluated into slot ``index``."""

    id: str
    index: int
    type: str
    node: ex.Node


@dataclass(frozen=True, slots=True)
class CriterionStep:
    """One criterion, compiled.

    ``kind`` is ``"condition"`` (``node`` gives 1/0/NaN), ``"bands"`` (``value``
    falls in one of ``bands``) or ``"score"`` (points are ``value``, met from
    ``met_at``).
    """

    id: str
    index: int
    kind: str
    node: ex.Node | None
    value: ex.Node | None
    bands: tuple[tuple[float, float, bool, bool, float], ...]
    met_at: float
    max_points: float
    missing: str
    stage: int
    gate: bool
    applies: ex.Node | None = None
    """When the criterion applies (1/0/NaN); ``None``: always."""


@dataclass(frozen=True, slots=True)
class CheckStep:
    """A consistency check: ``node`` must not be 0 (false); when it is, the fields
    in ``blanks`` (slot indexes) become missing for the record."""

    id: str
    node: ex.Node
    blanks: tuple[int, ...]
    message: tuple[str, str]
    """(Indonesian, English)."""
    fix: tuple[str, str]


@dataclass(frozen=True, slots=True)
class Plan:
    """A compiled ruleset: fields, derived values, criteria, stages and classes."""

    ruleset_id: str
    version: str
    content_hash: str
    fields: tuple[FieldSlot, ...]
    derived: tuple[DerivedStep, ...]
    criteria: tuple[CriterionStep, ...]
    order: tuple[int, ...]
    """Criterion indexes in evaluation order (a criterion after those it combines)."""
    stage_ids: tuple[str, ...]
    stage_cumulative: tuple[bool, ...]
    stage_min_points: tuple[float | None, ...]
    stage_gates: tuple[tuple[int, ...], ...]
    stage_members: tuple[tuple[int, ...], ...]
    class_ids: tuple[str, ...]
    class_bounds: tuple[tuple[float, float, bool, bool], ...]
    class_requires: tuple[tuple[int, ...], ...]
    exit_stage: int
    exit_requires: tuple[int, ...]
    max_score: float
    group_id_field: str
    """Points are summed in ``sum_order`` (criterion-id order) by every engine, so
    float sums agree exactly and do not depend on how criteria are listed."""
    value_ids: tuple[str, ...] = field(default=())
    sum_order: tuple[int, ...] = field(default=())
    stage_sum_order: tuple[tuple[int, ...], ...] = field(default=())
    max_points: tuple[float, ...] = field(default=())
    """Each criterion's most points, in ruleset order."""
    checks: tuple[CheckStep, ...] = field(default=())
    assessment_date: int = -1
    """The slot of the field with ``role: assessment_date``, or -1."""
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Values worked out from the plan once and kept with it (by the module that
    needs them), so nothing about a plan outlives it in a module-level cache."""

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        """Criterion ids in ruleset order."""
        return tuple(c.id for c in self.criteria)

    def value_index(self, name: str) -> int:
        """The slot of a field or derived value."""
        return self.value_ids.index(name)


def compile_plan(ruleset: Ruleset) -> Plan:
    """Compile a (validated) ruleset.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> plan = compile_plan(load_ruleset("ppmk-ksm"))
    >>> plan.stage_ids
    ('growth', 'strengthening', 'independence', 'release')
    >>> plan.max_score
    100.0
    """
    types = name_types(ruleset)
    cats = {f.id: tuple(f.categories or ()) for f in ruleset.fields}
    slots = tuple(_slot(f, i) for i, f in enumerate(ruleset.fields))
    value_ids = [f.id for f in ruleset.fields]
    derived_nodes = {d.id: ex.parse(d.expr) for d in ruleset.derived}
    derived_order = _topo({d: ex.names(n) & derived_nodes.keys()
                           for d, n in derived_nodes.items()},
                          [d.id for d in ruleset.derived])
    derived = []
    for did in derived_order:
        idx = len(value_ids)
        value_ids.append(did)
        derived.append(DerivedStep(did, idx, types[did],
                                   _resolve(derived_nodes[did], types, cats)))
    stage_index = {s.id: i for i, s in enumerate(ruleset.stages)}
    crit_index = {c.id: i for i, c in enumerate(ruleset.criteria)}
    steps = [_criterion(ruleset, c, i, stage_index, types, cats)
             for i, c in enumerate(ruleset.criteria)]
    order = _topo({c.id: set(_crit_refs(c)) for c in ruleset.criteria},
                  [c.id for c in ruleset.criteria])
    stage_gates = tuple(tuple(i for i, c in enumerate(ruleset.criteria)
                              if c.stage == s.id and c.gate) for s in ruleset.stages)
    stage_members = tuple(tuple(i for i, c in enumerate(ruleset.criteria)
                                if c.stage == s.id) for s in ruleset.stages)
    ex_rule = ruleset.exit
    return Plan(
        ruleset_id=ruleset.id,
        version=ruleset.version,
        content_hash=ruleset.content_hash,
        fields=slots,
        derived=tuple(derived),
        criteria=tuple(steps),
        order=tuple(crit_index[c] for c in order),
        stage_ids=tuple(s.id for s in ruleset.stages),
        stage_cumulative=tuple(s.rule == "cumulative" for s in ruleset.stages),
        stage_min_points=tuple(s.min_points for s in ruleset.stages),
        stage_gates=stage_gates,
        stage_members=stage_members,
        class_ids=tuple(k.id for k in ruleset.classes),
        class_bounds=tuple((k.interval.low, k.interval.high, k.interval.low_inclusive,
                            k.interval.high_inclusive) for k in ruleset.classes),
        class_requires=tuple(tuple(crit_index[r] for r in k.requires)
                             for k in ruleset.classes),
        exit_stage=stage_index[ex_rule.stage] if ex_rule else -1,
        exit_requires=tuple(crit_index[r] for r in ex_rule.requires) if ex_rule
        else (),
        max_score=float(sum(s.max_points for s in steps)),
        group_id_field=ruleset.group_id.field,
        value_ids=tuple(value_ids),
        sum_order=tuple(sorted(range(len(steps)), key=lambda i: steps[i].id)),
        stage_sum_order=tuple(tuple(sorted(m, key=lambda i: steps[i].id))
                              for m in stage_members),
        max_points=tuple(s.max_points for s in steps),
        checks=tuple(_check(k, types, cats) for k in ruleset.checks),
        assessment_date=next((i for i, f in enumerate(ruleset.fields)
                              if f.role == "assessment_date"), -1),
    )


def _slot(f: _FieldSpec, i: int) -> FieldSlot:
    return FieldSlot(f.id, i, f.type, f.min, f.max, tuple(f.categories or ()),
                     f.label.get("en"), tuple(f.unconfirmed))


def _check(k: Check, types: dict[str, str], cats: dict[str, tuple[str, ...]]
           ) -> CheckStep:
    node = ex.parse(k.require)
    slot = {name: i for i, name in enumerate(cats)}  # fields, in ruleset order
    blanks = k.fields if k.fields is not None else sorted(ex.names(node),
                                                          key=lambda f: slot[f])
    return CheckStep(k.id, _resolve(node, types, cats),
                     tuple(slot[f] for f in blanks),
                     (k.message.get("id"), k.message.get("en")),
                     (k.fix.get("id"), k.fix.get("en")))


def _crit_refs(c: Criterion) -> list[str]:
    if c.at_least is not None:
        return list(c.at_least.of)
    return list(c.all_of or c.any_of or [])


def _topo(deps: dict[str, set[str]], order: list[str]) -> list[str]:
    done: list[str] = []
    seen: set[str] = set()

    def visit(n: str) -> None:
        if n in seen:
            return
        seen.add(n)
        for d in sorted(deps.get(n, ()), key=order.index):
            visit(d)
        done.append(n)

    for n in order:
        visit(n)
    return done


def _cmp(op: CompareOp, name: str, value: float) -> ex.Node:
    return ex.Cmp(1, 1, op, ex.Name(1, 1, name), ex.Num(1, 1, value))


def _criterion(ruleset: Ruleset, c: Criterion, i: int, stage_index: dict[str, int],
               types: dict[str, str], cats: dict[str, tuple[str, ...]]
               ) -> CriterionStep:
    node: ex.Node | None = None
    value: ex.Node | None = None
    bands: tuple[tuple[float, float, bool, bool, float], ...] = ()
    met_at = math.nan
    kind = "condition"
    if c.threshold is not None:
        node = _cmp(c.threshold.op, c.threshold.field, c.threshold.value)
    elif c.range is not None:
        iv = c.range.interval
        parts = []
        if not math.isinf(iv.low):
            parts.append(_cmp(">=" if iv.low_inclusive else ">", c.range.field, iv.low))
        if not math.isinf(iv.high):
            parts.append(_cmp("<=" if iv.high_inclusive else "<", c.range.field,
                              iv.high))
        node = parts[0] if len(parts) == 1 else ex.And(1, 1, tuple(parts))
    elif c.boolean is not None:
        node = _cmp("==", c.boolean.field, 1.0 if c.boolean.value else 0.0)
    elif c.in_set is not None:
        f = c.in_set.field
        options = tuple(
            ex.Num(1, 1, float(cats[f].index(v)) if isinstance(v, str) else float(v))
            for v in c.in_set.values)
        node = ex.In(1, 1, ex.Name(1, 1, f), options, False)
    elif c.at_least is not None:
        node = AtLeastOf(1, 1, c.at_least.k, tuple(c.at_least.of))
    elif c.all_of is not None:
        node = ex.And(1, 1, tuple(CritRef(1, 1, r) for r in c.all_of))
    elif c.any_of is not None:
        node = ex.Or(1, 1, tuple(CritRef(1, 1, r) for r in c.any_of))
    elif c.expr is not None:
        node = _resolve(ex.parse(c.expr), types, cats)
    elif c.bands is not None:
        kind = "bands"
        value = ex.Name(1, 1, c.bands.field)
        bands = tuple((b.interval.low, b.interval.high, b.interval.low_inclusive,
                       b.interval.high_inclusive, b.points) for b in c.bands.bands)
    elif c.score is not None:
        kind = "score"
        value = ex.Name(1, 1, c.score.field)
        top = ruleset.field(c.score.field).max
        met_at = c.score.met_at if c.score.met_at is not None else float(top or 0)
    max_points = criterion_max_points(ruleset, c)
    return CriterionStep(
        id=c.id, index=i, kind=kind, node=node, value=value, bands=bands,
        met_at=met_at, max_points=max_points, missing=c.missing,
        stage=stage_index[c.stage] if c.stage is not None else -1, gate=c.gate,
        applies=None if c.applies_when is None else _resolve(
            ex.parse(c.applies_when), types, cats))


def _resolve(node: ex.Node, types: dict[str, str],
             cats: dict[str, tuple[str, ...]]) -> ex.Node:
    """Replace texts, booleans and dates by their numeric encodings."""

    def cat_of(n: ex.Node) -> str | None:
        if isinstance(n, ex.Name) and types.get(n.id, "").startswith("category:"):
            return n.id
        return None

    def code(field_id: str, lit: ex.Node) -> ex.Node:
        if isinstance(lit, ex.Str):
            return ex.Num(lit.line, lit.column, float(cats[field_id].index(lit.value)))
        return r(lit)

    def r(n: ex.Node) -> ex.Node:
        if isinstance(n, ex.Bool):
            return ex.Num(n.line, n.column, 1.0 if n.value else 0.0)
        if isinstance(n, ex.Neg | ex.Not):
            return type(n)(n.line, n.column, r(n.operand))
        if isinstance(n, ex.Bin):
            return ex.Bin(n.line, n.column, n.op, r(n.left), r(n.right))
        if isinstance(n, ex.Cmp):
            lc, rc = cat_of(n.left), cat_of(n.right)
            if lc is not None:
                return ex.Cmp(n.line, n.column, n.op, r(n.left), code(lc, n.right))
            if rc is not None:
                return ex.Cmp(n.line, n.column, n.op, code(rc, n.left), r(n.right))
            return ex.Cmp(n.line, n.column, n.op, r(n.left), r(n.right))
        if isinstance(n, ex.And | ex.Or):
            return type(n)(n.line, n.column, tuple(r(i) for i in n.items))
        if isinstance(n, ex.In):
            cf = cat_of(n.operand)
            opts = tuple(
                ex.Num(o.line, o.column, float(cats[cf].index(o.value)))
                if cf is not None and isinstance(o, ex.Str)
                else ex.Num(o.line, o.column, float(o.value)) if isinstance(
                    o, ex.Num | ex.Bool) else o
                for o in n.options)
            return ex.In(n.line, n.column, r(n.operand), opts, n.negate)
        if isinstance(n, ex.Call):
            if n.fn == "date":
                arg = n.args[0]
                assert isinstance(arg, ex.Str)
                return ex.Num(n.line, n.column,
                              date_to_days(_dt.date.fromisoformat(arg.value)))
            return ex.Call(n.line, n.column, n.fn, tuple(r(a) for a in n.args))
        return n

    return r(node)
