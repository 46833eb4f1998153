"""What a ruleset means, stated once: the scalar reference every engine follows.

Values are floats; a missing value is NaN. Truth is three-valued: 1.0 (true, met),
0.0 (false, not met) and NaN (unknown), combined with Kleene's logic.

This module defines, per construct:

* **expressions** (:func:`compile_expr`): arithmetic propagates a missing operand,
  division by zero is missing, a comparison with a missing side is unknown,
  ``and``/``or``/``not`` are Kleene's, ``x in (...)`` of a missing ``x`` is
  unknown, ``at_least`` counts met and unknown references;
* **dates** (:mod:`~kematangan.scoring.calendar`): whole days, completed calendar months and years between
  two dates; a date outside years 1 to 9999 is missing;
* **derived values** (:func:`derived_value`): an infinite or undefined result is
  missing;
* **a criterion's outcome and points** (:func:`compile_criterion`, :func:`settle`,
  :func:`applicable`): a criterion whose ``applies_when`` is false does not apply
  (:data:`NOT_APPLICABLE`: no points, out of the record's maximum, never holding it
  back), and one that may or may not apply is unknown; a condition earns its points
  when met; ``bands`` earn the points of the last band
  holding the value and are met only in the band with the most points; ``score``
  earns the value as points and is met from ``met_at``; a ``missing`` policy other
  than ``unknown`` turns an unknown outcome into met (all points) or not met (none);
* **scores, stages, classes and exit** (:func:`aggregate`): points are summed in
  criterion-id order; a stage is reached when all its gates (and, when cumulative,
  the previous stage) are met or do not apply and its ``min_points`` are reached;
  the class is the highest whose interval holds the score (as a share of the points
  that apply, scaled to the ruleset's maximum) and whose required criteria are met
  or do not apply; upper bounds count every unknown criterion as met.

The per-record engine executes these functions; the durable-rules engine decides the
comparisons in durable and the rest here; the numpy engine is their vectorised form,
and ``tests/scoring/test_semantics_reference.py`` checks it against this module on
generated records of every construct. A new criterion kind is defined here and
vectorised in :mod:`kematangan.scoring.engines.vector`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from kematangan.criteria import expr as ex
from kematangan.scoring.calendar import days_between, months_between, years_between
from kematangan.scoring.plan import AtLeastOf, CriterionStep, CritRef, Plan
from kematangan.scoring.result import RowResult

__all__ = [
    "NAN",
    "NOT_APPLICABLE",
    "Band",
    "Fn",
    "Settle",
    "aggregate",
    "applicable",
    "as_gate",
    "band_points",
    "class_index",
    "class_score",
    "compile_criterion",
    "compile_expr",
    "derived_value",
    "in_interval",
    "kleene_and",
    "kleene_or",
    "score_points",
    "settle",
    "with_missing_policy",
]

NAN = math.nan
NOT_APPLICABLE = 2.0
"""The outcome of a criterion that does not apply to the record (``applies_when``
is false): no points, not in the record's maximum, never holding it back."""
Fn = Callable[[list[float], list[float]], float]
"""A compiled expression: (values, criterion outcomes) -> value."""
Settle = Callable[[list[float], list[float]], tuple[float, float]]
"""A compiled criterion: (values, outcomes so far) -> (outcome, points)."""
Band = tuple[float, float, bool, bool, float]
"""(low, high, low inclusive, high inclusive, points)."""


# --- logic -------------------------------------------------------------------------


def kleene_and(items: Sequence[float]) -> float:
    """Three-valued AND: false wins, then unknown, then true.

    Examples
    --------
    >>> kleene_and([1.0, NAN]), kleene_and([0.0, NAN]), kleene_and([])
    (nan, 0.0, 1.0)
    """
    unknown = False
    for x in items:
        if x == 0.0:
            return 0.0
        if x != 1.0:
            unknown = True
    return NAN if unknown else 1.0


def kleene_or(items: Sequence[float]) -> float:
    """Three-valued OR: true wins, then unknown, then false.

    Examples
    --------
    >>> kleene_or([0.0, NAN]), kleene_or([1.0, NAN]), kleene_or([])
    (nan, 1.0, 0.0)
    """
    unknown = False
    for x in items:
        if x == 1.0:
            return 1.0
        if x != 0.0:
            unknown = True
    return NAN if unknown else 0.0


def in_interval(x: float, lo: float, hi: float, lo_in: bool, hi_in: bool) -> bool:
    """Whether ``x`` lies in the interval (a square bracket includes its bound).

    Examples
    --------
    >>> in_interval(10.0, 10.0, 20.0, False, True), in_interval(20.0, 10.0, 20.0,
    ...                                                          False, True)
    (False, True)
    """
    return (x >= lo if lo_in else x > lo) and (x <= hi if hi_in else x < hi)


# --- expressions ---------------------------------------------------------------------

_CMP: dict[str, Callable[[float, float], bool]] = {
    "<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__,
    "==": float.__eq__, "!=": float.__ne__,
}


def _field_cmp(op: str, i: int, c: float) -> Fn:
    # The common shape "field op number" as one closure (no call per operand).
    if c != c:  # a comparison with a missing side is unknown
        return lambda v, t: NAN
    if op == ">=":
        return lambda v, t: (1.0 if v[i] >= c else 0.0) if v[i] == v[i] else NAN
    if op == ">":
        return lambda v, t: (1.0 if v[i] > c else 0.0) if v[i] == v[i] else NAN
    if op == "<=":
        return lambda v, t: (1.0 if v[i] <= c else 0.0) if v[i] == v[i] else NAN
    if op == "<":
        return lambda v, t: (1.0 if v[i] < c else 0.0) if v[i] == v[i] else NAN
    if op == "==":
        return lambda v, t: (1.0 if v[i] == c else 0.0) if v[i] == v[i] else NAN
    return lambda v, t: (1.0 if v[i] != c else 0.0) if v[i] == v[i] else NAN


def compile_expr(n: ex.Node, slot: dict[str, int], crit: dict[str, int]) -> Fn:
    """Compile a plan expression into a closure over (values, outcomes).

    ``slot`` maps a field or derived value id to its index in the values, ``crit``
    a criterion id to its index in the outcomes.

    Examples
    --------
    >>> node = ex.parse("a / b >= 2 or missing(b)")
    >>> f = compile_expr(node, {"a": 0, "b": 1}, {})
    >>> f([4.0, 2.0], []), f([1.0, 2.0], []), f([1.0, NAN], [])
    (1.0, 0.0, 1.0)
    """
    if isinstance(n, ex.Num):
        c = n.value
        return lambda v, t: c
    if isinstance(n, ex.Name):
        i = slot[n.id]
        return lambda v, t: v[i]
    if isinstance(n, CritRef):
        j = crit[n.id]
        return lambda v, t: t[j]
    if isinstance(n, ex.Cmp) and isinstance(n.left, ex.Name) and isinstance(
        n.right, ex.Num
    ):
        return _field_cmp(n.op, slot[n.left.id], n.right.value)
    if isinstance(n, ex.Cmp):
        return _compile_cmp(n, slot, crit)
    if isinstance(n, ex.And | ex.Or):
        fns = [compile_expr(i, slot, crit) for i in n.items]
        comb = kleene_and if isinstance(n, ex.And) else kleene_or
        return lambda v, t: comb([f(v, t) for f in fns])
    if isinstance(n, ex.Not):
        f = compile_expr(n.operand, slot, crit)
        return lambda v, t: 1.0 - f(v, t)
    if isinstance(n, ex.Neg):
        f = compile_expr(n.operand, slot, crit)
        return lambda v, t: -f(v, t)
    if isinstance(n, ex.Bin):
        return _compile_bin(n, slot, crit)
    if isinstance(n, ex.In):
        return _compile_in(n, slot, crit)
    if isinstance(n, AtLeastOf):
        return _compile_at_least(n, crit)
    if isinstance(n, ex.Call):
        return _compile_call(n, slot, crit)
    raise AssertionError(f"unhandled node {n!r}")


def _compile_cmp(n: ex.Cmp, slot: dict[str, int], crit: dict[str, int]) -> Fn:
    a, b, op = compile_expr(n.left, slot, crit), compile_expr(n.right, slot, crit), _CMP[
        n.op]

    def cmp(v: list[float], t: list[float]) -> float:
        x, y = a(v, t), b(v, t)
        if x != x or y != y:
            return NAN
        return 1.0 if op(x, y) else 0.0

    return cmp


def _compile_bin(n: ex.Bin, slot: dict[str, int], crit: dict[str, int]) -> Fn:
    a, b = compile_expr(n.left, slot, crit), compile_expr(n.right, slot, crit)
    if n.op == "+":
        return lambda v, t: a(v, t) + b(v, t)
    if n.op == "-":
        return lambda v, t: a(v, t) - b(v, t)
    if n.op == "*":
        return lambda v, t: a(v, t) * b(v, t)

    def div(v: list[float], t: list[float]) -> float:
        x, y = a(v, t), b(v, t)
        if y == 0.0 or y != y:
            return NAN
        return x / y

    return div


def _compile_in(n: ex.In, slot: dict[str, int], crit: dict[str, int]) -> Fn:
    f = compile_expr(n.operand, slot, crit)
    opts = frozenset(o.value for o in n.options if isinstance(o, ex.Num))
    hit, miss = (0.0, 1.0) if n.negate else (1.0, 0.0)

    def isin(v: list[float], t: list[float]) -> float:
        x = f(v, t)
        if x != x:
            return NAN
        return hit if x in opts else miss

    return isin


def _compile_at_least(n: AtLeastOf, crit: dict[str, int]) -> Fn:
    idx = [crit[i] for i in n.ids]
    k = n.k

    def at_least(v: list[float], t: list[float]) -> float:
        met = sum(1 for j in idx if t[j] == 1.0)
        unknown = sum(1 for j in idx if t[j] != t[j])
        if met >= k:
            return 1.0
        return 0.0 if met + unknown < k else NAN

    return at_least


def _compile_call(n: ex.Call, slot: dict[str, int], crit: dict[str, int]) -> Fn:
    fns = [compile_expr(a, slot, crit) for a in n.args]
    if n.fn == "missing":
        f0 = fns[0]
        return lambda v, t: 1.0 if f0(v, t) != f0(v, t) else 0.0
    if n.fn == "known":
        f0 = fns[0]
        return lambda v, t: 0.0 if f0(v, t) != f0(v, t) else 1.0
    if n.fn == "coalesce":
        f0, f1 = fns

        def coalesce(v: list[float], t: list[float]) -> float:
            x = f0(v, t)
            return f1(v, t) if x != x else x

        return coalesce
    if n.fn == "abs":
        f0 = fns[0]
        return lambda v, t: abs(f0(v, t))
    if n.fn in _DATE_FUNCTIONS:
        f0, f1 = fns
        between = _DATE_FUNCTIONS[n.fn]
        return lambda v, t: between(f0(v, t), f1(v, t))
    if n.fn in ("min", "max"):
        pick = min if n.fn == "min" else max

        def extreme(v: list[float], t: list[float]) -> float:
            xs = [f(v, t) for f in fns]
            if any(x != x for x in xs):
                return NAN
            return pick(xs)

        return extreme
    raise AssertionError(f"unhandled function {n.fn!r}")


_DATE_FUNCTIONS: dict[str, Callable[[float, float], float]] = {
    "days_between": days_between, "months_between": months_between,
    "years_between": years_between,
}


def derived_value(x: float) -> float:
    """A derived value as stored: an infinite or undefined result is missing.

    Examples
    --------
    >>> derived_value(2.5), derived_value(float("inf"))
    (2.5, nan)
    """
    return x if x - x == 0.0 else NAN


# --- one criterion -------------------------------------------------------------------


def band_points(bands: Sequence[Band], hits: Sequence[bool]) -> float:
    """The points of the last band that holds the value (``hits[i]``), else 0.

    Examples
    --------
    >>> band_points([(0, 5, True, False, 1.0), (5, 10, True, True, 3.0)],
    ...             [False, True])
    3.0
    """
    p = 0.0
    for band, hit in zip(bands, hits, strict=True):
        if hit:
            p = band[4]
    return p


def with_missing_policy(tri: float, p: float, missing: str, top: float
                        ) -> tuple[float, float]:
    """Apply a criterion's ``missing`` policy to an unknown outcome.

    Examples
    --------
    >>> with_missing_policy(NAN, 0.0, "met", 5.0), with_missing_policy(NAN, 0.0,
    ...                                                                 "not_met", 5.0)
    ((1.0, 5.0), (0.0, 0.0))
    """
    if tri != tri and missing != "unknown":
        return (1.0, top) if missing == "met" else (0.0, 0.0)
    return tri, p


def settle(step: CriterionStep, x: float) -> tuple[float, float]:
    """A criterion's (outcome, points) from its raw value ``x``.

    ``x`` is the condition's truth for a condition criterion, and the value read
    for ``bands`` and ``score`` criteria.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.scoring.plan import compile_plan
    >>> plan = compile_plan(load_ruleset("poktan-2018"))
    >>> step = next(c for c in plan.criteria if c.kind == "score")
    >>> settle(step, 30.0), settle(step, NAN)
    ((1.0, 30.0), (nan, 0.0))
    """
    top = step.max_points
    if step.kind == "condition":
        tri, p = x, (top if x == 1.0 else 0.0)
    elif x != x:
        tri, p = NAN, 0.0
    elif step.kind == "bands":
        p = band_points(step.bands, [in_interval(x, lo, hi, li, hi_)
                                     for lo, hi, li, hi_, _ in step.bands])
        tri = 1.0 if p == top else 0.0
    else:
        tri, p = (1.0 if x >= step.met_at else 0.0), score_points(x, top)
    return with_missing_policy(tri, p, step.missing, top)


def score_points(x: float, top: float) -> float:
    """A score criterion's points: the value, up to its maximum (a value above an
    unconfirmed maximum is used, but counts only up to it).

    Examples
    --------
    >>> score_points(30.0, 50.0), score_points(80.0, 50.0)
    (30.0, 50.0)
    """
    return x if x <= top else top


def applicable(applies: float, tri: float, p: float) -> tuple[float, float]:
    """A criterion's (outcome, points) given whether it applies (1/0/NaN): one that
    does not apply is :data:`NOT_APPLICABLE` with no points; one that may or may
    not apply is unknown.

    Examples
    --------
    >>> applicable(1.0, 0.0, 0.0), applicable(0.0, 0.0, 0.0), applicable(NAN, 1.0, 5.0)
    ((0.0, 0.0), (2.0, 0.0), (nan, 0.0))
    """
    if applies == 1.0:
        return tri, p
    return (NOT_APPLICABLE, 0.0) if applies == 0.0 else (NAN, 0.0)


def as_gate(x: float) -> float:
    """An outcome as a requirement sees it: a criterion that does not apply does
    not hold anything back."""
    return 1.0 if x == NOT_APPLICABLE else x


def compile_criterion(step: CriterionStep, slot: dict[str, int],
                      crit: dict[str, int]) -> Settle:
    """A criterion as one closure giving (outcome, points); see :func:`settle`
    and :func:`applicable`.

    The common case, a condition with the ``unknown`` missing policy, skips the
    general path; it gives exactly what :func:`settle` gives.
    """
    node = step.node if step.kind == "condition" else step.value
    assert node is not None
    f = compile_expr(node, slot, crit)
    inner: Settle
    if step.kind == "condition" and step.missing == "unknown":
        top = step.max_points

        def condition(v: list[float], t: list[float]) -> tuple[float, float]:
            x = f(v, t)
            return x, (top if x == 1.0 else 0.0)

        inner = condition
    else:
        def general(v: list[float], t: list[float]) -> tuple[float, float]:
            return settle(step, f(v, t))

        inner = general
    if step.applies is None:
        return inner
    applies = compile_expr(step.applies, slot, crit)

    def guarded(v: list[float], t: list[float]) -> tuple[float, float]:
        a = applies(v, t)
        return applicable(a, *inner(v, t)) if a == 1.0 else applicable(a, NAN, 0.0)

    return guarded


# --- the whole record ----------------------------------------------------------------


def class_score(plan: Plan, score: float, row_max: float) -> float:
    """The score classes compare: the share of the points that apply to the
    record, scaled to the ruleset's maximum (the score itself when every criterion
    applies; missing when none does).

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.scoring.plan import compile_plan
    >>> plan = compile_plan(load_ruleset("ppmk-ksm"))
    >>> class_score(plan, 60.0, 100.0), class_score(plan, 60.0, 80.0)
    (60.0, 75.0)
    """
    if row_max == plan.max_score:
        return score
    return score * plan.max_score / row_max if row_max > 0.0 else NAN


def class_index(plan: Plan, score: float, t: Sequence[float], definite: bool) -> int:
    """The class of ``score`` (see :func:`class_score`): the highest whose interval
    holds it and whose required criteria are met or do not apply (``definite``), or
    are not known to fail (an upper bound); -1 for none."""
    raw = -1
    for k, (lo, hi, lo_in, hi_in) in enumerate(plan.class_bounds):
        if in_interval(score, lo, hi, lo_in, hi_in):
            raw = k
    for k in range(raw, -1, -1):
        req = plan.class_requires[k]
        if definite and all(as_gate(t[c]) == 1.0 for c in req):
            return k
        if not definite and all(t[c] != 0.0 for c in req):
            return k
    return -1


def aggregate(plan: Plan, t: list[float], pts: list[float], v: list[float]
              ) -> RowResult:
    """From one record's criterion outcomes (1/0/NaN) and points: scores, stages,
    class and exit readiness (see the module docstring)."""
    top = plan.max_points
    score = 0.0
    upper = 0.0
    row_max = 0.0
    for ci in plan.sum_order:
        score += pts[ci]
        upper += top[ci] if t[ci] != t[ci] else pts[ci]
        row_max += 0.0 if t[ci] == NOT_APPLICABLE else top[ci]
    stage = stage_up = -1
    reached_prev = 1.0
    reached_by_stage = []
    for s in range(len(plan.stage_ids)):
        parts = [as_gate(t[c]) for c in plan.stage_gates[s]]
        need = plan.stage_min_points[s]
        if need is not None:
            own = own_up = 0.0
            for c in plan.stage_sum_order[s]:
                own += pts[c]
                own_up += top[c] if t[c] != t[c] else pts[c]
            parts.append(1.0 if own >= need else 0.0 if own_up < need else NAN)
        if plan.stage_cumulative[s]:
            parts.append(reached_prev)
        reached = kleene_and(parts)
        reached_by_stage.append(reached)
        if reached == 1.0:
            stage = s
        if reached != 0.0:
            stage_up = s
        reached_prev = reached
    klass = class_index(plan, class_score(plan, score, row_max), t, definite=True)
    klass_up = class_index(plan, class_score(plan, upper, row_max), t,
                           definite=False)
    exit_ready = -1
    if plan.exit_stage >= 0:
        e = kleene_and([reached_by_stage[plan.exit_stage],
                        *[as_gate(t[c]) for c in plan.exit_requires]])
        exit_ready = -1 if e != e else int(e)
    outcomes = [-1 if x != x else int(x) for x in t]
    return RowResult(outcomes, pts, score, upper, stage, stage_up, klass, klass_up,
                     exit_ready, v, row_max)
