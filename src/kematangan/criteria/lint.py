"""Whole-ruleset checks that single models cannot make.

Each check looks at one thing: duplicate ids, unknown references (with a "did you
mean"), field types, expressions, cycles, unreachable stages, gaps and overlaps
between classes, test cases naming what the ruleset does not have. They run over
the :class:`~kematangan.criteria.structure.Parts` that validated, so a file with
structural faults still gets its cross-reference problems in the same pass; checks
that need a whole section (a class gap needs every criterion's points) wait until
that section is sound.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from kematangan.criteria import expr as ex
from kematangan.criteria.history_lint import check_history
from kematangan.criteria.limits import Suggester
from kematangan.criteria.meaning import (
    category_values,
    criterion_max_points,
    name_types,
    score_range,
)
from kematangan.criteria.members import check_members
from kematangan.criteria.ruleset import Criterion, Interval, Ruleset
from kematangan.criteria.source import Finding, Path, brief
from kematangan.criteria.structure import Parts
from kematangan.criteria.typecheck import infer_type, show_type
from kematangan.errors import ExpressionError

__all__ = ["check", "check_parts"]

def check(ruleset: Ruleset, *, max_expression_depth: int | None = None
          ) -> list[Finding]:
    """Every problem of a validated ``ruleset``; an empty list means it is sound.

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> check(load_ruleset("ppmk-ksm"))
    []
    """
    return check_parts(Parts.whole(ruleset),
                       max_expression_depth=max_expression_depth)


def check_parts(parts: Parts, *, max_expression_depth: int | None = None,
                suggester: Suggester | None = None) -> list[Finding]:
    """Every problem of the sound ``parts`` of a ruleset, each check in turn."""
    scope = _Scope(parts, max_expression_depth, suggester or Suggester())
    return [f for job in _CHECKS for f in job(scope)]

_SECTIONS_OF = {"field": ("fields",), "value": ("fields", "derived"),
                "criterion": ("criteria",), "stage": ("stages",),
                "class": ("classes",), "record": ("fields",)}
"""The lists whose names each kind of reference may use."""


class _Scope:
    """What the checks share: the parts, the names each kind of reference may use,
    the type of every name, and the budget of suggestions."""

    def __init__(self, parts: Parts, max_depth: int | None,
                 suggest: Suggester) -> None:
        self.parts = parts
        self.suggest = suggest
        self.rs = parts.ruleset
        self.max_depth = max_depth
        self.cats = category_values(self.rs)
        self.types: dict[str, str] = {
            **dict.fromkeys(parts.dropped.get("fields", ()), "error"),
            **dict.fromkeys(parts.dropped.get("derived", ()), "error"),
            **name_types(self.rs, max_expression_depth=max_depth)}
        self.known = {kind: [n for section in sections for n in parts.known(section)]
                      for kind, sections in _SECTIONS_OF.items()}
        self.known["record"].append(self.rs.group_id.field)
        self.sets = {kind: set(names) for kind, names in self.known.items()}
        self.open = {kind for kind, sections in _SECTIONS_OF.items()
                     if not parts.unnamed.isdisjoint(sections)}

    def lacks(self, kind: str, name: str) -> bool:
        """Whether no ``kind`` of name ``name`` exists (never when some are unread)."""
        return kind not in self.open and name not in self.sets[kind]

    def unknown(self, path: Path, kind: str, name: str) -> Finding:
        """The finding for an unknown name, with the closest known one if any."""
        close = self.suggest(name, self.known[kind])
        code = "field" if kind in ("value", "record") else kind
        if close:
            return Finding(path, f"unknown_{code}_close",
                           {"name": brief(name), "suggestion": close})
        return Finding(path, f"unknown_{code}", {"name": brief(name)})

    def items(self, section: str) -> Iterator[tuple[Path, Any]]:
        """Each kept item of ``section`` with its location in the file."""
        for k, item in enumerate(getattr(self.rs, section)):
            yield self.parts.at(section, k), item

    def parse(self, text: str) -> ex.Node:
        return ex.parse(text, max_depth=self.max_depth)

    def names(self, text: str) -> set[str]:
        try:
            return ex.names(self.parse(text))
        except ExpressionError:
            return set()

    def expression(self, path: Path, text: str, want: str | None
                   ) -> Iterator[Finding]:
        try:
            node = self.parse(text)
        except ExpressionError as err:
            yield Finding(path, err.problem.code, err.problem.params,
                          (err.expr_line, err.expr_column))
            return
        found: list[Finding] = []
        got = infer_type(node, self.types, self.cats, lambda n, code, params:
                         found.append(Finding(path, code, params,
                                              (n.line, n.column))), self.suggest)
        for f in found:
            if "value" not in self.open or not f.code.startswith("expr_unknown_name"):
                yield f
        if want and got not in (want, "error"):
            yield Finding(path, "expression_type", {"got": show_type(got),
                                                    "want": show_type(want)})


def _duplicate_ids(s: _Scope) -> Iterator[Finding]:
    for section in ("fields", "checks", "criteria", "stages", "classes"):
        seen: set[str] = set()
        for path, item in s.items(section):
            if item.id in seen:
                yield Finding((*path, "id"), "duplicate_id", {"id": item.id})
            seen.add(item.id)


def _derived_ids(s: _Scope) -> Iterator[Finding]:
    seen = set(s.parts.ids("fields"))
    for path, d in s.items("derived"):
        if d.id in seen:
            yield Finding((*path, "id"), "duplicate_value_id", {"id": d.id})
        seen.add(d.id)


def _group_id(s: _Scope) -> Iterator[Finding]:
    group = s.rs.group_id.field
    if s.parts.complete("group_id") and group in (
            s.parts.ids("fields") + s.parts.ids("derived")):
        yield Finding(("group_id", "field"), "group_id_is_field", {"id": group})


def _derived_expressions(s: _Scope) -> Iterator[Finding]:
    for path, d in s.items("derived"):
        yield from s.expression((*path, "expr"), d.expr, d.type)


def _derived_cycles(s: _Scope) -> Iterator[Finding]:
    own = set(s.parts.ids("derived"))
    deps = {d.id: s.names(d.expr) & own for d in s.rs.derived}
    where = {d.id: path for path, d in s.items("derived")}
    for cycle in _cycles(deps):
        yield Finding((*where[cycle[0]], "expr"), "derived_cycle",
                      {"cycle": " -> ".join([*cycle, cycle[0]])})


def _criterion_stages(s: _Scope) -> Iterator[Finding]:
    for path, c in s.items("criteria"):
        if c.stage is not None and s.lacks("stage", c.stage):
            yield s.unknown((*path, "stage"), "stage", c.stage)


_NUMERIC_KINDS = ("threshold", "range", "bands", "score")


def _criterion_fields(s: _Scope) -> Iterator[Finding]:
    for path, c in s.items("criteria"):
        ref = c.field_ref
        if ref is None:
            continue
        where = (*path, c.kind, "field")
        if ref not in s.types:
            if s.lacks("value", ref):
                yield s.unknown(where, "value", ref)
            continue
        kind, ftype = c.kind, s.types[ref]
        if ftype == "error":
            continue
        params = {"kind": kind, "field": ref, "type": show_type(ftype)}
        if kind in _NUMERIC_KINDS and ftype != "number":
            yield Finding(where, "condition_needs_number", params)
        elif kind == "boolean" and ftype != "boolean":
            yield Finding(where, "condition_needs_boolean", params)
        elif kind == "in_set":
            yield from _in_set(s, c, path, ftype)
        elif kind == "score":
            yield from _score(s, c, path)


def _in_set(s: _Scope, c: Criterion, path: Path, ftype: str) -> Iterator[Finding]:
    assert c.in_set is not None
    ref = c.in_set.field
    category = ftype.startswith("category:")
    if not category and ftype != "number":
        yield Finding((*path, "in_set", "field"), "in_set_wrong_type",
                      {"field": ref, "type": show_type(ftype)})
        return
    allowed = s.cats.get(ref, [])
    for j, v in enumerate(c.in_set.values):
        where = (*path, "in_set", "values", j)
        if not category:
            if not isinstance(v, int):
                yield Finding(where, "in_set_not_whole", {"field": ref,
                                                          "value": brief(v)})
        elif not (isinstance(v, str) and v in allowed):
            close = s.suggest(str(v), allowed)
            yield Finding(where, "category_unknown_close", {
                "value": brief(v), "field": ref, "suggestion": close}) if close else (
                Finding(where, "category_unknown", {
                    "value": brief(v), "field": ref, "allowed": allowed}))


def _score(s: _Scope, c: Criterion, path: Path) -> Iterator[Finding]:
    assert c.score is not None
    ref = c.score.field
    try:
        f = s.rs.field(ref)
    except KeyError:
        yield Finding((*path, "score", "field"), "score_needs_field", {"field": ref})
        return
    if f.max is None or f.min is None or f.min < 0:
        yield Finding((*path, "score", "field"), "score_needs_bounds", {"field": ref})
    elif c.score.met_at is not None and not (f.min <= c.score.met_at <= f.max):
        yield Finding((*path, "score", "met_at"), "met_at_outside", {
            "met_at": c.score.met_at, "field": ref, "min": f.min, "max": f.max})


def _bands(s: _Scope) -> Iterator[Finding]:
    for path, c in s.items("criteria"):
        if c.bands is not None:
            for j, code, params in _overlaps([b.interval for b in c.bands.bands]):
                yield Finding((*path, "bands", "bands", j, "interval"), code, params)


def _references(c: Criterion) -> list[str]:
    if c.at_least is not None:
        return list(c.at_least.of)
    return list(c.all_of or c.any_of or [])


def _combinations(s: _Scope) -> Iterator[Finding]:
    conditional = {c.id for c in s.rs.criteria if c.applies_when is not None}
    for path, c in s.items("criteria"):
        refs = _references(c)
        if c.at_least is not None and c.at_least.k > len(refs):
            yield Finding((*path, "at_least", "k"), "at_least_too_many",
                          {"k": c.at_least.k, "count": len(refs)})
        for j, ref in enumerate(refs):
            where = (*path, "at_least", "of", j) if c.at_least is not None else (
                *path, c.kind, j)
            if ref == c.id:
                yield Finding(where, "refers_to_itself", {"id": c.id})
            elif s.lacks("criterion", ref):
                yield s.unknown(where, "criterion", ref)
            elif ref in conditional:
                yield Finding(where, "combines_conditional", {"id": ref})


def _criteria_cycles(s: _Scope) -> Iterator[Finding]:
    deps = {c.id: set(_references(c)) for c in s.rs.criteria}
    where = {c.id: path for path, c in s.items("criteria")}
    for cycle in _cycles(deps):
        if len(cycle) == 1:
            continue  # reported as referring to itself
        yield Finding(where[cycle[0]], "criteria_cycle",
                      {"cycle": " -> ".join([*cycle, cycle[0]])})


def _criterion_expressions(s: _Scope) -> Iterator[Finding]:
    for path, c in s.items("criteria"):
        if c.expr is not None:
            yield from s.expression((*path, "expr"), c.expr, "boolean")
        if c.applies_when is not None:
            yield from s.expression((*path, "applies_when"), c.applies_when,
                                    "boolean")


def _checks(s: _Scope) -> Iterator[Finding]:
    fields = set(s.parts.ids("fields"))
    derived = set(s.parts.ids("derived"))
    for path, k in s.items("checks"):
        yield from s.expression((*path, "require"), k.require, "boolean")
        for name in sorted(s.names(k.require) & derived):
            yield Finding((*path, "require"), "check_reads_derived", {"name": name})
        for j, name in enumerate(k.fields or ()):
            if name not in fields and s.lacks("field", name):
                yield s.unknown((*path, "fields", j), "field", name)


def _assessment_date(s: _Scope) -> Iterator[Finding]:
    dated = [(path, f) for path, f in s.items("fields") if f.role == "assessment_date"]
    for path, f in dated[1:]:
        yield Finding((*path, "role"), "assessment_date_twice",
                      {"id": f.id, "first": dated[0][1].id})


def _stages_reachable(s: _Scope) -> Iterator[Finding]:
    """A stage needs a gate or min_points, and min_points its criteria can give."""
    if not s.parts.complete("criteria", "fields"):
        return
    by_stage: dict[str | None, list[Criterion]] = {}
    for c in s.rs.criteria:
        by_stage.setdefault(c.stage, []).append(c)
    for path, stage in s.items("stages"):
        own = by_stage.get(stage.id, [])
        if stage.min_points is None:
            if not any(c.gate for c in own):
                yield Finding(path, "stage_no_gate", {"stage": stage.id})
            continue
        top = sum(criterion_max_points(s.rs, c) for c in own)
        if stage.min_points > top:
            yield Finding((*path, "min_points"), "stage_unreachable", {
                "stage": stage.id, "needs": stage.min_points, "top": top})


def _class_intervals(s: _Scope) -> Iterator[Finding]:
    """Classes are ordered and cover the reachable scores without gaps or overlaps."""
    if not s.rs.classes or not s.parts.complete("criteria", "fields", "classes"):
        return
    low, high, integral = score_range(s.rs)
    ivs = [k.interval for k in s.rs.classes]
    for j, code, params in [*_overlaps(ivs, ordered=True),
                            *_gaps(ivs, low, high, integral)]:
        yield Finding((*s.parts.at("classes", j), "interval"), code, params)


def _class_requires(s: _Scope) -> Iterator[Finding]:
    for path, k in s.items("classes"):
        for j, ref in enumerate(k.requires):
            if s.lacks("criterion", ref):
                yield s.unknown((*path, "requires", j), "criterion", ref)


def _exit(s: _Scope) -> Iterator[Finding]:
    rule = s.rs.exit
    if rule is None:
        return
    if s.lacks("stage", rule.stage):
        yield s.unknown(("exit", "stage"), "stage", rule.stage)
    for j, ref in enumerate(rule.requires):
        if s.lacks("criterion", ref):
            yield s.unknown(("exit", "requires", j), "criterion", ref)


def _tests(s: _Scope) -> Iterator[Finding]:
    seen: set[str] = set()
    for path, case in s.items("tests"):
        if case.name in seen:
            yield Finding((*path, "name"), "test_name_duplicate",
                          {"name": brief(case.name)})
        seen.add(case.name)
        for key in case.record:
            if s.lacks("record", key):
                yield s.unknown((*path, "record", key), "record", key)
        yield from _expectation(s, (*path, "expect"), case.expect)


def _expectation(s: _Scope, path: Path, e: Any) -> Iterator[Finding]:
    for attr in ("stage", "stage_upper"):
        value = getattr(e, attr)
        if value is not None and s.lacks("stage", value):
            yield s.unknown((*path, attr), "stage", value)
    if e.class_ is not None and s.lacks("class", e.class_):
        yield s.unknown((*path, "class"), "class", e.class_)
    for key in e.outcomes:
        if s.lacks("criterion", key):
            yield s.unknown((*path, "outcomes", key), "criterion", key)
    for j, key in enumerate(e.problems):
        if s.lacks("field", key):
            yield s.unknown((*path, "problems", j), "field", key)


def _members(s: _Scope) -> Iterator[Finding]:
    """The members section (a parent-level ruleset's aggregate fields)."""
    yield from check_members(s.rs, suggest_with=s.suggest, known_fields=None if (
        "field" in s.open) else s.known["field"])


def _history(s: _Scope) -> Iterator[Finding]:
    yield from check_history(s.rs, lambda kind, name: s.lacks(kind, name), s.unknown)


_CHECKS: tuple[Callable[[_Scope], Iterator[Finding]], ...] = (
    _duplicate_ids, _derived_ids, _group_id, _derived_expressions, _derived_cycles,
    _criterion_stages, _criterion_fields, _bands, _combinations, _criteria_cycles,
    _criterion_expressions, _checks, _assessment_date, _stages_reachable,
    _class_intervals, _class_requires, _exit, _members, _tests, _history,
)

_Fault = tuple[int, str, dict[str, Any]]


def _overlaps(ivs: list[Interval], ordered: bool = False) -> list[_Fault]:
    found: list[_Fault] = []
    order = list(range(len(ivs))) if ordered else sorted(
        range(len(ivs)), key=lambda j: (ivs[j].low, not ivs[j].low_inclusive))
    for a, b in itertools.pairwise(order):
        x, y = ivs[a], ivs[b]
        params = {"interval": str(y), "previous": str(x)}
        if y.low < x.low or (ordered and y.low == x.low):
            found.append((b, "interval_order", params))
        elif x.high > y.low or (x.high == y.low and x.high_inclusive
                                and y.low_inclusive):
            found.append((b, "interval_overlap", params))
    return found


def _whole_numbers(iv: Interval) -> tuple[float, float]:
    """The first and last whole number inside ``iv``."""
    first = math.ceil(iv.low) if iv.low_inclusive else math.floor(iv.low) + 1
    last = math.floor(iv.high) if iv.high_inclusive else math.ceil(iv.high) - 1
    return first, last


def _gaps(ivs: list[Interval], lo: float, hi: float, integral: bool) -> list[_Fault]:
    found: list[_Fault] = []
    if not ivs[0].contains(lo) and not (integral and _whole_numbers(ivs[0])[0] <= lo):
        found.append((0, "class_low_uncovered", {"interval": str(ivs[0]), "low": lo}))
    if not ivs[-1].contains(hi) and not (integral
                                         and _whole_numbers(ivs[-1])[1] >= hi):
        found.append((len(ivs) - 1, "class_high_uncovered",
                      {"interval": str(ivs[-1]), "high": hi}))
    for j in range(1, len(ivs)):
        x, y = ivs[j - 1], ivs[j]
        if integral:
            gap = _whole_numbers(y)[0] > _whole_numbers(x)[1] + 1
        else:
            gap = x.high < y.low or (
                x.high == y.low and not x.high_inclusive and not y.low_inclusive)
        if gap and x.high <= y.low:
            found.append((j, "class_gap_whole" if integral else "class_gap",
                          {"previous": str(x), "interval": str(y)}))
    return found


def _cycles(deps: Mapping[str, set[str]]) -> list[list[str]]:
    """Each cycle once, as the list of nodes along it (an iterative walk, so a long
    chain of references cannot exhaust Python's stack)."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()
    for root in sorted(deps):
        if root in state:
            continue
        state[root] = 1
        path = [root]
        stack = [iter(sorted(deps.get(root, ())))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                state[path.pop()] = 2
            elif state.get(nxt) == 1:
                cyc = path[path.index(nxt):]
                if frozenset(cyc) not in reported:
                    reported.add(frozenset(cyc))
                    cycles.append(cyc)
            elif nxt in deps and nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(deps.get(nxt, ()))))
    return cycles
