"""Whole-ruleset checks that single models cannot make.

:func:`check` looks at a structurally valid :class:`~kematangan.criteria.ruleset.Ruleset`
and returns every problem it finds, each with the dotted location it concerns: unknown
references (with a "did you mean"), type mismatches, expressions that do not parse or
type-check, cycles, unreachable stages, gaps and overlaps between classes, and test
cases that name things the ruleset does not have.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping

from kematangan.criteria import expr as ex
from kematangan.criteria.ruleset import Criterion, Interval, Ruleset
from kematangan.criteria.source import Path
from kematangan.errors import ExpressionError, suggest

__all__ = ["check", "criterion_max_points", "name_types", "score_range"]

Finding = tuple[Path, str, tuple[int, int] | None]
"""(location, message, position inside an expression or None)."""

_Add = Callable[[Path, str], None]


def name_types(ruleset: Ruleset) -> dict[str, str]:
    """The expression type of every field and derived value (derived ones inferred).

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> name_types(load_ruleset("ppmk-ksm"))["members"]
    'number'
    """
    types: dict[str, str] = {}
    for f in ruleset.fields:
        types[f.id] = {"integer": "number", "category": f"category:{f.id}"}.get(
            f.type, f.type)
    cats = _categories(ruleset)
    pending = list(ruleset.derived)
    # Derived values may refer to each other in any order; resolve until stable.
    for _ in range(len(pending) + 1):
        rest = []
        for d in pending:
            try:
                node = ex.parse(d.expr)
            except ExpressionError:
                types[d.id] = "error"
                continue
            if ex.names(node) - types.keys():
                rest.append(d)
                continue
            types[d.id] = ex.infer_type(node, types, cats, lambda n, m: None)
        if len(rest) == len(pending):
            break
        pending = rest
    for d in pending:
        types.setdefault(d.id, "error")
    return types


def _categories(ruleset: Ruleset) -> dict[str, list[str]]:
    return {f.id: list(f.categories or []) for f in ruleset.fields}


def criterion_max_points(ruleset: Ruleset, c: Criterion) -> float:
    """The most points criterion ``c`` can give.

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> rs = load_ruleset("ppmk-ksm")
    >>> criterion_max_points(rs, rs.criteria[0]) >= 0
    True
    """
    if c.bands is not None:
        return max(b.points for b in c.bands.bands)
    if c.score is not None:
        try:
            top = ruleset.field(c.score.field).max
        except KeyError:
            return 0.0
        return float(top) if top is not None else 0.0
    if c.points is not None:
        return c.points
    return 0.0 if c.gate else 1.0


def score_range(ruleset: Ruleset) -> tuple[float, float, bool]:
    """(lowest score, highest score, whether every score is a whole number)."""
    total = 0.0
    integral = True
    for c in ruleset.criteria:
        pts = criterion_max_points(ruleset, c)
        total += pts
        if c.bands is not None:
            integral &= all(float(b.points).is_integer() for b in c.bands.bands)
        elif c.score is not None:
            try:
                integral &= ruleset.field(c.score.field).type == "integer"
            except KeyError:
                pass
        else:
            integral &= float(pts).is_integer()
    return 0.0, total, integral


def check(ruleset: Ruleset) -> list[Finding]:
    """Every problem of ``ruleset``; an empty list means it is sound.

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> check(load_ruleset("ppmk-ksm"))
    []
    """
    out: list[Finding] = []

    def add(path: Path, message: str, pos: tuple[int, int] | None = None) -> None:
        out.append((path, message, pos))

    types = name_types(ruleset)
    cats = _categories(ruleset)
    field_ids = [f.id for f in ruleset.fields]
    value_ids = field_ids + [d.id for d in ruleset.derived]
    crit_ids = [c.id for c in ruleset.criteria]
    stage_ids = [s.id for s in ruleset.stages]
    class_ids = [k.id for k in ruleset.classes]

    def unknown(path: Path, kind: str, name: str, choices: Iterable[str]) -> None:
        close = suggest(name, list(choices))
        hint = f" (did you mean {close!r}?)" if close else ""
        add(path, f"unknown {kind} {name!r}{hint}")

    def dupes(section: str, ids: list[str], start: int = 0) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                add((section, i - start, "id"), f"duplicate id {ident!r}")
            seen.add(ident)

    dupes("fields", field_ids)
    seen_values = set(field_ids)
    for i, d in enumerate(ruleset.derived):
        if d.id in seen_values:
            add(("derived", i, "id"), f"id {d.id!r} is already a field or derived "
                "value")
        seen_values.add(d.id)
    if ruleset.group_id.field in seen_values:
        add(("group_id", "field"), f"the group id {ruleset.group_id.field!r} is also a "
            "scored field; give it its own name")
    dupes("criteria", crit_ids)
    dupes("stages", stage_ids)
    dupes("classes", class_ids)

    def expression(path: Path, text: str, want: str | None) -> set[str]:
        try:
            node = ex.parse(text)
        except ExpressionError as err:
            add(path, err.reason, (err.expr_line, err.expr_column))
            return set()
        found = ex.infer_type(
            node, types, cats,
            lambda n, m: add(path, m, (n.line, n.column)),
        )
        if want and found not in (want, "error"):
            add(path, f"the expression gives {ex._show(found)}, not {ex._show(want)}")
        return ex.names(node)

    # derived values: expressions and cycles between them
    deps: dict[str, set[str]] = {}
    derived_ids = {d.id for d in ruleset.derived}
    for i, d in enumerate(ruleset.derived):
        used = expression(("derived", i, "expr"), d.expr, d.type)
        deps[d.id] = used & derived_ids
    for cycle in _cycles(deps):
        i = next(j for j, d in enumerate(ruleset.derived) if d.id == cycle[0])
        add(("derived", i, "expr"), "derived values refer to each other in a cycle: "
            + " -> ".join([*cycle, cycle[0]]))

    numeric = {"number"}
    crit_deps: dict[str, set[str]] = {}
    for i, c in enumerate(ruleset.criteria):
        base: Path = ("criteria", i)
        if c.stage is not None and c.stage not in stage_ids:
            unknown((*base, "stage"), "stage", c.stage, stage_ids)
        kind = c.kind
        fref = c.field_ref
        if fref is not None:
            fpath = (*base, kind, "field")
            if fref not in types:
                unknown(fpath, "field", fref, value_ids)
            else:
                ftype = types[fref]
                if kind in ("threshold", "range", "bands", "score") and (
                    ftype not in numeric
                ):
                    add(fpath, f"a {kind} condition needs a number, but {fref!r} is "
                        f"{ex._show(ftype)}")
                if kind == "boolean" and ftype != "boolean":
                    add(fpath, f"a boolean condition needs a true/false value, but "
                        f"{fref!r} is {ex._show(ftype)}")
                if kind == "in_set" and c.in_set is not None:
                    _check_in_set(ruleset, c, fref, ftype, base, add)
                if kind == "score" and c.score is not None:
                    _check_score(ruleset, c, fref, base, add)
        if c.bands is not None:
            ivs = [b.interval for b in c.bands.bands]
            for j, why in _overlaps(ivs):
                add((*base, "bands", "bands", j, "interval"), why)
        refs: list[str] = []
        if c.at_least is not None:
            refs = list(c.at_least.of)
            if c.at_least.k > len(refs):
                add((*base, "at_least", "k"), f"k={c.at_least.k} but only {len(refs)} "
                    "criteria are listed, so it can never be met")
        elif c.all_of is not None or c.any_of is not None:
            refs = list(c.all_of or c.any_of or [])
        for j, ref in enumerate(refs):
            where = (*base, kind, "of", j) if kind == "at_least" else (*base, kind, j)
            if ref == c.id:
                add(where, f"criterion {c.id!r} refers to itself")
            elif ref not in crit_ids:
                unknown(where, "criterion", ref, crit_ids)
        crit_deps[c.id] = set(refs)
        if c.expr is not None:
            expression((*base, "expr"), c.expr, "boolean")
    for cycle in _cycles(crit_deps):
        i = crit_ids.index(cycle[0])
        add(("criteria", i), "criteria refer to each other in a cycle: "
            + " -> ".join([*cycle, cycle[0]]))

    # stages: each needs a way to be reached that can be met
    for i, s in enumerate(ruleset.stages):
        own = [c for c in ruleset.criteria if c.stage == s.id]
        gates = [c for c in own if c.gate]
        if not gates and s.min_points is None:
            add(("stages", i), f"stage {s.id!r} has no gate and no min_points, so "
                "every group would reach it; add a gate criterion or min_points")
        if s.min_points is not None:
            top = sum(criterion_max_points(ruleset, c) for c in own)
            if s.min_points > top:
                add(("stages", i, "min_points"), f"stage {s.id!r} is unreachable: it "
                    f"needs {s.min_points:g} points but its criteria give at most "
                    f"{top:g}")

    # classes: ordered, no gaps, no overlaps over the reachable score range
    if ruleset.classes:
        lo, hi, integral = score_range(ruleset)
        ivs = [k.interval for k in ruleset.classes]
        for j, why in _overlaps(ivs, ordered=True):
            add(("classes", j, "interval"), why)
        for j, why in _gaps(ivs, lo, hi, integral):
            add(("classes", j, "interval"), why)
        for i, k in enumerate(ruleset.classes):
            for j, ref in enumerate(k.requires):
                if ref not in crit_ids:
                    unknown(("classes", i, "requires", j), "criterion", ref, crit_ids)

    if ruleset.exit is not None:
        if ruleset.exit.stage not in stage_ids:
            unknown(("exit", "stage"), "stage", ruleset.exit.stage, stage_ids)
        for j, ref in enumerate(ruleset.exit.requires):
            if ref not in crit_ids:
                unknown(("exit", "requires", j), "criterion", ref, crit_ids)

    record_keys = [*field_ids, ruleset.group_id.field]
    seen_names: set[str] = set()
    for i, case in enumerate(ruleset.tests):
        base = ("tests", i)
        if case.name in seen_names:
            add((*base, "name"), f"duplicate test name {case.name!r}")
        seen_names.add(case.name)
        for key in case.record:
            if key not in record_keys:
                unknown((*base, "record", key), "field", key, record_keys)
        e = case.expect
        for attr in ("stage", "stage_upper"):
            val = getattr(e, attr)
            if val is not None and val not in stage_ids:
                unknown((*base, "expect", attr), "stage", val, stage_ids)
        if e.class_ is not None and e.class_ not in class_ids:
            unknown((*base, "expect", "class"), "class", e.class_, class_ids)
        for key in e.outcomes:
            if key not in crit_ids:
                unknown((*base, "expect", "outcomes", key), "criterion", key, crit_ids)
        for j, key in enumerate(e.problems):
            if key not in field_ids:
                unknown((*base, "expect", "problems", j), "field", key, field_ids)
    return out


def _check_in_set(ruleset: Ruleset, c: Criterion, fref: str, ftype: str,
                  base: Path, add: _Add) -> None:
    assert c.in_set is not None
    if ftype.startswith("category:"):
        allowed = list(ruleset.field(fref).categories or [])
        for j, v in enumerate(c.in_set.values):
            if not isinstance(v, str) or v not in allowed:
                close = suggest(str(v), allowed)
                hint = f" (did you mean {close!r}?)" if close else (
                    f" (allowed: {', '.join(allowed)})")
                add((*base, "in_set", "values", j),
                    f"{v!r} is not a category of {fref!r}{hint}")
    elif ftype == "number":
        for j, v in enumerate(c.in_set.values):
            if not isinstance(v, int):
                add((*base, "in_set", "values", j), f"{fref!r} is a number, so the "
                    f"values must be whole numbers, not {v!r}")
    else:
        add((*base, "in_set", "field"), f"an in_set condition needs a category or "
            f"number, but {fref!r} is {ex._show(ftype)}")


def _check_score(ruleset: Ruleset, c: Criterion, fref: str, base: Path,
                 add: _Add) -> None:
    assert c.score is not None
    try:
        f = ruleset.field(fref)
    except KeyError:
        add((*base, "score", "field"), f"a score condition reads a field with a max, "
            f"and {fref!r} is a derived value")
        return
    if f.max is None or f.min is None or f.min < 0:
        add((*base, "score", "field"), f"field {fref!r} needs min >= 0 and a max to "
            "give points")
    elif c.score.met_at is not None and not (f.min <= c.score.met_at <= f.max):
        add((*base, "score", "met_at"), f"met_at {c.score.met_at:g} is outside "
            f"{fref!r}'s bounds [{f.min:g}, {f.max:g}]")


def _overlaps(ivs: list[Interval], ordered: bool = False) -> list[tuple[int, str]]:
    found = []
    order = list(range(len(ivs))) if ordered else sorted(
        range(len(ivs)), key=lambda j: (ivs[j].low, not ivs[j].low_inclusive))
    for a, b in itertools.pairwise(order):
        x, y = ivs[a], ivs[b]
        if y.low < x.low or (ordered and y.low == x.low):
            found.append((b, f"{y} must come after {x}: list intervals from low to "
                          "high"))
        elif x.high > y.low or (x.high == y.low and x.high_inclusive
                                and y.low_inclusive):
            found.append((b, f"{y} overlaps {x}"))
    return found


def _gaps(ivs: list[Interval], lo: float, hi: float, integral: bool
          ) -> list[tuple[int, str]]:
    found = []

    def covered_int(iv: Interval) -> tuple[float, float]:
        first = math.ceil(iv.low) if iv.low_inclusive else math.floor(iv.low) + 1
        last = math.floor(iv.high) if iv.high_inclusive else math.ceil(iv.high) - 1
        return first, last

    if not ivs[0].contains(lo) and not (integral and covered_int(ivs[0])[0] <= lo):
        found.append((0, f"the lowest class {ivs[0]} does not include the lowest "
                      f"score {lo:g}"))
    if not ivs[-1].contains(hi) and not (integral and covered_int(ivs[-1])[1] >= hi):
        found.append((len(ivs) - 1, f"the highest class {ivs[-1]} does not include "
                      f"the highest score {hi:g}"))
    for j in range(1, len(ivs)):
        x, y = ivs[j - 1], ivs[j]
        if integral:
            gap = covered_int(y)[0] > covered_int(x)[1] + 1
        else:
            gap = x.high < y.low or (
                x.high == y.low and not x.high_inclusive and not y.low_inclusive)
        if gap and x.high <= y.low:
            kind = "whole-number " if integral else ""
            found.append((j, f"gap between {x} and {y}: some {kind}scores fall in no "
                          "class"))
    return found


def _cycles(deps: Mapping[str, set[str]]) -> list[list[str]]:
    """Each cycle once, as the list of nodes along it."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []
    reported: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(deps.get(node, ())):
            if state.get(nxt) == 1:
                cyc = stack[stack.index(nxt):]
                key = frozenset(cyc)
                if key not in reported:
                    reported.add(key)
                    cycles.append(cyc)
            elif nxt in deps and state.get(nxt) is None:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(deps):
        if state.get(node) is None:
            visit(node)
    return cycles
