"""The per-record engine: the plan compiled into Python closures.

It gives exactly what :mod:`kematangan.scoring.engines.vector` gives for one record (the test
suite checks this on generated records), without numpy's per-call overhead, so one
record scores in microseconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from kematangan.criteria import expr as ex
from kematangan.scoring.plan import AtLeastOf, CritRef, Plan
from kematangan.scoring.result import RowResult

__all__ = ["SingleEngine", "aggregate"]

NAN = math.nan
Fn = Callable[[list[float], list[float]], float]
Bands = tuple[tuple[float, float, bool, bool, float], ...]
"""(values, outcomes-as-floats) -> value."""


def _and(items: Sequence[float]) -> float:
    unknown = False
    for x in items:
        if x == 0.0:
            return 0.0
        if x != 1.0:
            unknown = True
    return NAN if unknown else 1.0


def _or(items: Sequence[float]) -> float:
    unknown = False
    for x in items:
        if x == 1.0:
            return 1.0
        if x != 0.0:
            unknown = True
    return NAN if unknown else 0.0


_CMP: dict[str, Callable[[float, float], bool]] = {
    "<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__,
    "==": float.__eq__, "!=": float.__ne__,
}


def _ge(i: int, c: float) -> Fn:
    return lambda v, t: (1.0 if v[i] >= c else 0.0) if v[i] == v[i] else NAN


def _gt(i: int, c: float) -> Fn:
    return lambda v, t: (1.0 if v[i] > c else 0.0) if v[i] == v[i] else NAN


def _le(i: int, c: float) -> Fn:
    return lambda v, t: (1.0 if v[i] <= c else 0.0) if v[i] == v[i] else NAN


def _lt(i: int, c: float) -> Fn:
    return lambda v, t: (1.0 if v[i] < c else 0.0) if v[i] == v[i] else NAN


def _eq(i: int, c: float) -> Fn:
    return lambda v, t: (1.0 if v[i] == c else 0.0) if v[i] == v[i] else NAN


def _ne(i: int, c: float) -> Fn:
    return lambda v, t: (1.0 if v[i] != c else 0.0) if v[i] == v[i] else NAN


_FIELD_CMP: dict[str, Callable[[int, float], Fn]] = {
    ">=": _ge, ">": _gt, "<=": _le, "<": _lt, "==": _eq, "!=": _ne,
}


def _compile(n: ex.Node, slot: dict[str, int], crit: dict[str, int]) -> Fn:
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
        # The common shape "field op number", specialised: one call per criterion.
        return _FIELD_CMP[n.op](slot[n.left.id], n.right.value)
    if isinstance(n, ex.Cmp):
        a, b, op = _compile(n.left, slot, crit), _compile(n.right, slot, crit), _CMP[
            n.op]

        def cmp(v: list[float], t: list[float]) -> float:
            x, y = a(v, t), b(v, t)
            if x != x or y != y:
                return NAN
            return 1.0 if op(x, y) else 0.0

        return cmp
    if isinstance(n, ex.And | ex.Or):
        fns = [_compile(i, slot, crit) for i in n.items]
        comb = _and if isinstance(n, ex.And) else _or
        return lambda v, t: comb([f(v, t) for f in fns])
    if isinstance(n, ex.Not):
        f = _compile(n.operand, slot, crit)
        return lambda v, t: 1.0 - f(v, t)
    if isinstance(n, ex.Neg):
        f = _compile(n.operand, slot, crit)
        return lambda v, t: -f(v, t)
    if isinstance(n, ex.Bin):
        a, b = _compile(n.left, slot, crit), _compile(n.right, slot, crit)
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
    if isinstance(n, ex.In):
        f = _compile(n.operand, slot, crit)
        opts = frozenset(o.value for o in n.options if isinstance(o, ex.Num))
        hit, miss = (0.0, 1.0) if n.negate else (1.0, 0.0)

        def isin(v: list[float], t: list[float]) -> float:
            x = f(v, t)
            if x != x:
                return NAN
            return hit if x in opts else miss

        return isin
    if isinstance(n, AtLeastOf):
        idx = [crit[i] for i in n.ids]
        k = n.k

        def at_least(v: list[float], t: list[float]) -> float:
            met = sum(1 for j in idx if t[j] == 1.0)
            unknown = sum(1 for j in idx if t[j] != t[j])
            if met >= k:
                return 1.0
            return 0.0 if met + unknown < k else NAN

        return at_least
    if isinstance(n, ex.Call):
        fns = [_compile(a, slot, crit) for a in n.args]
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
        if n.fn in ("min", "max"):
            pick = min if n.fn == "min" else max

            def extreme(v: list[float], t: list[float]) -> float:
                xs = [f(v, t) for f in fns]
                if any(x != x for x in xs):
                    return NAN
                return pick(xs)

            return extreme
    raise AssertionError(f"unhandled node {n!r}")


class SingleEngine:
    """Scores one encoded record at a time.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.scoring.plan import compile_plan
    >>> engine = SingleEngine(compile_plan(load_ruleset("ppmk-ksm")))
    >>> row = engine.run([float("nan")] * len(engine.plan.fields))
    >>> row.stage, row.stage_upper
    (-1, 3)
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        slot = {name: i for i, name in enumerate(plan.value_ids)}
        crit = {c.id: c.index for c in plan.criteria}
        self._derived = [(d.index, _compile(d.node, slot, crit)) for d in plan.derived]
        # One flat tuple per criterion: unpacking it is cheaper than reading
        # attributes in the loop that runs for every criterion of every record.
        self._steps: list[tuple[int, Fn, str, float, str, Bands, float]] = []
        for ci in plan.order:
            c = plan.criteria[ci]
            node = c.node if c.kind == "condition" else c.value
            assert node is not None
            self._steps.append((ci, _compile(node, slot, crit), c.kind,
                                c.max_points, c.missing, c.bands, c.met_at))

    def run(self, field_values: Sequence[float]) -> RowResult:
        """Score one record given its encoded field values (plan order)."""
        plan = self.plan
        v = list(field_values)
        if self._derived:
            v += [NAN] * len(plan.derived)
            for idx, fn in self._derived:
                x = fn(v, [])
                v[idx] = x if x - x == 0.0 else NAN  # inf and NaN are missing
        n_crit = len(plan.criteria)
        t = [NAN] * n_crit
        pts = [0.0] * n_crit
        for ci, fn, kind, top, missing, bands, met_at in self._steps:
            x = fn(v, t)
            if kind == "condition":
                tri = x
                p = top if tri == 1.0 else 0.0
            elif x != x:
                tri, p = NAN, 0.0
            elif kind == "bands":
                p = 0.0
                for lo, hi, lo_in, hi_in, bp in bands:
                    if (x >= lo if lo_in else x > lo) and (x <= hi if hi_in else x < hi):
                        p = bp
                tri = 1.0 if p == top else 0.0
            else:
                tri, p = (1.0 if x >= met_at else 0.0), x
            if tri != tri and missing != "unknown":
                tri, p = (1.0, top) if missing == "met" else (0.0, 0.0)
            t[ci] = tri
            pts[ci] = p
        return aggregate(plan, t, pts, v)


def aggregate(plan: Plan, t: list[float], pts: list[float], v: list[float]
              ) -> RowResult:
    """From one record's criterion outcomes (1/0/NaN) and points: scores, stages,
    class and exit readiness. Every per-record engine ends here."""
    top = plan.max_points
    score = 0.0
    upper = 0.0
    for ci in plan.sum_order:
        score += pts[ci]
        upper += top[ci] if t[ci] != t[ci] else pts[ci]
    stage = stage_up = -1
    reached_prev = 1.0
    reached_by_stage = []
    for s in range(len(plan.stage_ids)):
        parts = [t[c] for c in plan.stage_gates[s]]
        need = plan.stage_min_points[s]
        if need is not None:
            own = own_up = 0.0
            for c in plan.stage_sum_order[s]:
                own += pts[c]
                own_up += top[c] if t[c] != t[c] else pts[c]
            parts.append(1.0 if own >= need else 0.0 if own_up < need else NAN)
        if plan.stage_cumulative[s]:
            parts.append(reached_prev)
        reached = _and(parts)
        reached_by_stage.append(reached)
        if reached == 1.0:
            stage = s
        if reached != 0.0:
            stage_up = s
        reached_prev = reached
    klass = _class(plan, score, t, definite=True)
    klass_up = _class(plan, upper, t, definite=False)
    exit_ready = -1
    if plan.exit_stage >= 0:
        e = _and([reached_by_stage[plan.exit_stage],
                  *[t[c] for c in plan.exit_requires]])
        exit_ready = -1 if e != e else int(e)
    outcomes = [-1 if x != x else int(x) for x in t]
    return RowResult(outcomes, pts, score, upper, stage, stage_up, klass, klass_up,
                     exit_ready, v)


def _class(plan: Plan, score: float, t: list[float], definite: bool) -> int:
    raw = -1
    for k, (lo, hi, lo_in, hi_in) in enumerate(plan.class_bounds):
        if (score >= lo if lo_in else score > lo) and (
            score <= hi if hi_in else score < hi
        ):
            raw = k
    for k in range(raw, -1, -1):
        req = plan.class_requires[k]
        if definite and all(t[c] == 1.0 for c in req):
            return k
        if not definite and all(t[c] != 0.0 for c in req):
            return k
    return -1
