"""What a ruleset means, whatever engine runs it: the type of every name, the most
points a criterion can give, and the range a total score can take.

Lint checks a ruleset against these facts; the scoring plan and the reference pages
are built from them.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass

from kematangan.criteria import expr as ex
from kematangan.criteria.ruleset import Criterion, Ruleset
from kematangan.criteria.typecheck import infer_type
from kematangan.errors import ExpressionError

__all__ = ["FieldUse", "category_values", "criterion_max_points", "criterion_reads",
           "field_uses", "name_types", "score_range", "unknown_without"]


def category_values(ruleset: Ruleset) -> dict[str, list[str]]:
    """Each field's allowed category values (empty for non-category fields).

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> category_values(load_ruleset("ppmk-ksm"))["members"]
    []
    """
    return {f.id: list(f.categories or []) for f in ruleset.fields}


def name_types(ruleset: Ruleset, *, max_expression_depth: int | None = None
               ) -> dict[str, str]:
    """The expression type of every field and derived value (derived ones inferred).

    A derived value whose expression does not parse (or nests deeper than
    ``max_expression_depth``), or that depends on one that does not, has the type
    ``"error"``.

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
    cats = category_values(ruleset)
    pending = list(ruleset.derived)
    # Derived values may refer to each other in any order; resolve until stable.
    for _ in range(len(pending) + 1):
        rest = []
        for d in pending:
            try:
                node = ex.parse(d.expr, max_depth=max_expression_depth)
            except ExpressionError:
                types[d.id] = "error"
                continue
            if ex.names(node) - types.keys():
                rest.append(d)
                continue
            types[d.id] = infer_type(node, types, cats, lambda *_: None)
        if len(rest) == len(pending):
            break
        pending = rest
    for d in pending:
        types.setdefault(d.id, "error")
    return types


def criterion_max_points(ruleset: Ruleset, c: Criterion) -> float:
    """The most points criterion ``c`` can give.

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> rs = load_ruleset("ppmk-ksm")
    >>> criterion_max_points(rs, rs.criterion("regular_meetings"))
    5.0
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
    """(lowest score, highest score, whether every score is a whole number).

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> score_range(load_ruleset("ppmk-ksm"))
    (0.0, 100.0, True)
    """
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


@dataclass(frozen=True, slots=True)
class FieldUse:
    """What one field feeds: the criteria that read it (directly, through derived
    values, or through the criteria they combine) and the stages whose gates are
    among them. A criterion whose missing-data policy is ``met`` or ``not_met``
    still reads the field, but does not become unknown without it: ``unknown``
    lists only those that do."""

    criteria: tuple[str, ...]
    unknown: tuple[str, ...]
    gate_stages: tuple[str, ...]


def criterion_reads(ruleset: Ruleset) -> dict[str, frozenset[str]]:
    """The record fields each criterion reads, through derived values and the
    criteria it combines.

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> sorted(criterion_reads(load_ruleset("ppmk-ksm"))["members_save"])
    ['members', 'members_saving']
    """
    fields = {f.id for f in ruleset.fields}
    derived = {d.id: ex.names(ex.parse(d.expr)) for d in ruleset.derived}

    def value_fields(name: str, seen: frozenset[str] = frozenset()) -> set[str]:
        if name in fields:
            return {name}
        if name in seen or name not in derived:
            return set()
        out: set[str] = set()
        for n in derived[name]:
            out |= value_fields(n, seen | {name})
        return out

    names: dict[str, set[str]] = {}
    subs: dict[str, tuple[str, ...]] = {}
    for c in ruleset.criteria:
        if c.kind == "expr":
            assert c.expr is not None
            names[c.id] = set(ex.names(ex.parse(c.expr)))
        else:
            names[c.id] = {c.field_ref} if c.field_ref is not None else set()
        if c.applies_when:
            names[c.id] |= ex.names(ex.parse(c.applies_when))
        if c.at_least is not None:
            subs[c.id] = tuple(c.at_least.of)
        elif c.all_of or c.any_of:
            subs[c.id] = tuple(c.all_of or c.any_of or ())
    reads: dict[str, frozenset[str]] = {}

    def crit_reads(cid: str, seen: frozenset[str]) -> frozenset[str]:
        if cid in reads:
            return reads[cid]
        out: set[str] = set()
        for n in names.get(cid, ()):
            out |= value_fields(n)
        for s in subs.get(cid, ()):
            if s not in seen:
                out |= crit_reads(s, seen | {cid})
        reads[cid] = frozenset(out)
        return reads[cid]

    for c in ruleset.criteria:
        crit_reads(c.id, frozenset({c.id}))
    return reads


def field_uses(ruleset: Ruleset) -> dict[str, FieldUse]:
    """For every field, the criteria and stage gates it feeds (see
    :class:`FieldUse`): what a missing column leaves unknown.

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> use = field_uses(load_ruleset("ppmk-ksm"))["admin_books_kept"]
    >>> use.criteria, use.gate_stages
    (('admin_books',), ('strengthening',))
    """
    reads = criterion_reads(ruleset)
    out: dict[str, FieldUse] = {}
    for f in ruleset.fields:
        crits = [c for c in ruleset.criteria if f.id in reads[c.id]]
        unknown = [c for c in crits if c.missing == "unknown"]
        stages = list(dict.fromkeys(c.stage for c in unknown
                                    if c.gate and c.stage is not None))
        out[f.id] = FieldUse(tuple(c.id for c in crits), tuple(c.id for c in unknown),
                             tuple(stages))
    return out


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> ex.Node:
    """A ruleset's expression parsed once (nodes are immutable): :func:`unknown_without`
    is asked again and again for one ruleset."""
    return ex.parse(text)


def unknown_without(ruleset: Ruleset, present: Collection[str]) -> set[str]:
    """The criteria that cannot be judged for any group when only the fields in
    ``present`` have data: those whose missing-data policy is ``unknown`` and that
    need a field that is not there. ``coalesce(a, b)`` needs ``a`` or ``b``;
    ``known(x)`` and ``missing(x)`` need nothing; anything else needs all it reads
    (``or`` and ``any_of`` too: whether they can be decided without a value depends
    on the other values).

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> rs = load_ruleset("ppmk-ksm")
    >>> everything = [f.id for f in rs.fields]
    >>> sorted(unknown_without(rs, set(everything) - {"admin_books_kept"}))
    ['admin_books']
    >>> "business_plan_current" in unknown_without(
    ...     rs, set(everything) - {"business_plan_reviewed_on"})
    False
    """
    have = set(present)
    derived = {d.id: _parsed(d.expr) for d in ruleset.derived}
    criteria = {c.id: c for c in ruleset.criteria}
    judged: dict[str, bool] = {}

    def known(node: ex.Node, seen: frozenset[str]) -> bool:
        if isinstance(node, ex.Name):
            name = node.id
            if name in derived:
                return name not in seen and known(derived[name], seen | {name})
            if name in criteria:
                return name not in seen and can_judge(name, seen | {name})
            return name in have
        if isinstance(node, ex.Call):
            if node.fn in ("known", "missing"):
                return True
            if node.fn == "coalesce":
                return any(known(a, seen) for a in node.args)
            return all(known(a, seen) for a in node.args)
        kids = [getattr(node, k) for k in ("operand", "left", "right")
                if hasattr(node, k)]
        kids += list(getattr(node, "items", ()))
        return all(known(k, seen) for k in kids)

    def can_judge(cid: str, seen: frozenset[str]) -> bool:
        if cid in judged:
            return judged[cid]
        c = criteria[cid]
        if c.missing != "unknown":
            ok = True
        else:
            ok = not c.applies_when or known(_parsed(c.applies_when), seen)
            subs = list(c.all_of or c.any_of or (c.at_least.of if c.at_least else ()))
            if c.kind == "expr":
                assert c.expr is not None
                ok = ok and known(_parsed(c.expr), seen)
            elif subs:
                ok = ok and all(s not in seen and can_judge(s, seen | {s})
                                for s in subs)
            elif c.field_ref is not None:
                ok = ok and known(ex.Name(0, 0, c.field_ref), seen)
        judged[cid] = ok
        return ok

    return {c.id for c in ruleset.criteria if not can_judge(c.id, frozenset({c.id}))}
