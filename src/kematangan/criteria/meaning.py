"""What a ruleset means, whatever engine runs it: the type of every name, the most
points a criterion can give, and the range a total score can take.

Lint checks a ruleset against these facts; the scoring plan and the reference pages
are built from them.
"""

from __future__ import annotations

from kematangan.criteria import expr as ex
from kematangan.criteria.ruleset import Criterion, Ruleset
from kematangan.criteria.typecheck import infer_type
from kematangan.errors import ExpressionError

__all__ = ["category_values", "criterion_max_points", "name_types", "score_range"]


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
