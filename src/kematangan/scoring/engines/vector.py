"""The numpy engine: the vectorised form of :mod:`~kematangan.scoring.semantics`,
evaluating a plan over whole columns with no loop per record.

Values are float64 arrays with NaN for missing; a condition gives 1.0 (met), 0.0
(not met) or NaN (unknown) per record, combined with three-valued (Kleene) logic.
Loops run over criteria and stages only. One record is scored by the compiled
record function, which has no per-call numpy overhead.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria import expr as ex
from kematangan.scoring.engines.compiled import compile_record_function
from kematangan.scoring.plan import AtLeastOf, CritRef, Plan
from kematangan.scoring.result import ColumnResult
from kematangan.scoring.semantics import FIRST_DAY, LAST_DAY, NOT_APPLICABLE

__all__ = ["CHUNK", "VectorEngine", "evaluate", "evaluate_expression"]

F64 = npt.NDArray[np.float64]
Val = F64 | float

_CMP: dict[str, Callable[[Val, Val], npt.NDArray[np.bool_] | bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}


CHUNK = 32_768
"""Records evaluated at a time: temporaries stay small and their memory is reused,
so time goes into arithmetic rather than into mapping fresh pages."""


def _isnan(x: Val) -> npt.NDArray[np.bool_] | bool:
    return np.isnan(x)


def _kleene_and(items: list[Val]) -> Val:
    """Three-valued AND: false wins, then unknown, then true."""
    any_false: npt.NDArray[np.bool_] | bool = False
    all_true: npt.NDArray[np.bool_] | bool = True
    for x in items:
        any_false = any_false | (x == 0.0)
        all_true = all_true & (x == 1.0)
    return np.where(any_false, 0.0, np.where(all_true, 1.0, np.nan))


def _kleene_or(items: list[Val]) -> Val:
    """Three-valued OR: true wins, then unknown, then false."""
    any_true: npt.NDArray[np.bool_] | bool = False
    all_false: npt.NDArray[np.bool_] | bool = True
    for x in items:
        any_true = any_true | (x == 1.0)
        all_false = all_false & (x == 0.0)
    return np.where(any_true, 1.0, np.where(all_false, 0.0, np.nan))


class _Evaluator:
    def __init__(self, values: list[F64], tri: F64, plan: Plan) -> None:
        self.values = values
        self.tri = tri
        self.slot = {name: i for i, name in enumerate(plan.value_ids)}
        self.crit = {c.id: c.index for c in plan.criteria}

    def ev(self, n: ex.Node) -> Val:
        if isinstance(n, ex.Num):
            return n.value
        if isinstance(n, ex.Name):
            col: F64 = self.values[self.slot[n.id]]
            return col
        if isinstance(n, CritRef):
            row: F64 = self.tri[self.crit[n.id]]
            return row
        if isinstance(n, ex.Cmp):
            a, b = self.ev(n.left), self.ev(n.right)
            res = _CMP[n.op](a, b)
            return np.where(_isnan(a) | _isnan(b), np.nan, res)
        if isinstance(n, ex.And):
            return _kleene_and([self.ev(i) for i in n.items])
        if isinstance(n, ex.Or):
            return _kleene_or([self.ev(i) for i in n.items])
        if isinstance(n, ex.Not):
            return 1.0 - self.ev(n.operand)
        if isinstance(n, ex.Neg):
            return -self.ev(n.operand)
        if isinstance(n, ex.Bin):
            a, b = self.ev(n.left), self.ev(n.right)
            if n.op == "+":
                return a + b
            if n.op == "-":
                return a - b
            if n.op == "*":
                return a * b
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(b == 0.0, np.nan, np.divide(a, np.where(b == 0.0, 1.0,
                                                                        b)))
        if isinstance(n, ex.In):
            a = self.ev(n.operand)
            opts = [o.value for o in n.options if isinstance(o, ex.Num)]
            hit = np.isin(a, opts)
            res = np.where(hit, 0.0, 1.0) if n.negate else hit.astype(np.float64)
            return np.where(_isnan(a), np.nan, res)
        if isinstance(n, AtLeastOf):
            rows = [self.tri[self.crit[i]] for i in n.ids]
            met = np.sum([r == 1.0 for r in rows], axis=0)
            unknown = np.sum([np.isnan(r) for r in rows], axis=0)
            return np.where(met >= n.k, 1.0, np.where(met + unknown < n.k, 0.0,
                                                      np.nan))
        if isinstance(n, ex.Call):
            called: Val = self._call(n)
            return called
        raise AssertionError(f"unhandled node {n!r}")

    def _call(self, n: ex.Call) -> Any:
        args = [self.ev(a) for a in n.args]
        if n.fn == "missing":
            return _isnan(args[0]) * 1.0
        if n.fn == "known":
            return (~np.isnan(args[0])) * 1.0
        if n.fn == "coalesce":
            return np.where(_isnan(args[0]), args[1], args[0])
        if n.fn == "abs":
            return np.abs(args[0])
        if n.fn == "min":
            out = args[0]
            for a in args[1:]:
                out = np.minimum(out, a)
            return out
        if n.fn == "max":
            out = args[0]
            for a in args[1:]:
                out = np.maximum(out, a)
            return out
        if n.fn in ("days_between", "months_between", "years_between"):
            return _between(n.fn, *args)
        raise AssertionError(f"unhandled node {n!r}")


def _between(fn: str, start: Val, end: Val) -> F64:
    """days_between, months_between and years_between, vectorised (see the
    semantics module): completed calendar units, missing outside years 1-9999."""
    a, b = np.broadcast_arrays(np.asarray(start, dtype=np.float64),
                               np.asarray(end, dtype=np.float64))
    ok = (a >= FIRST_DAY) & (a <= LAST_DAY) & (b >= FIRST_DAY) & (b <= LAST_DAY)
    out = np.full(a.shape, np.nan)
    if fn == "days_between":
        out[ok] = b[ok] - a[ok]
        return out
    early = np.minimum(a[ok], b[ok]).astype(np.int64).astype("datetime64[D]")
    late = np.maximum(a[ok], b[ok]).astype(np.int64).astype("datetime64[D]")
    early_month, late_month = (early.astype("datetime64[M]"),
                               late.astype("datetime64[M]"))
    months = (late_month - early_month).astype(np.int64) - (
        (late - late_month.astype("datetime64[D]"))
        < (early - early_month.astype("datetime64[D]")))
    if fn == "years_between":
        months = months // 12
    out[ok] = np.where(b[ok] < a[ok], -months, months)
    return out


class VectorEngine:
    """Scores batches with numpy, one record with the plan compiled into one
    function (:mod:`~kematangan.scoring.engines.compiled`).

    Examples
    --------
    >>> import numpy as np
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.scoring.plan import compile_plan
    >>> plan = compile_plan(load_ruleset("ppmk-ksm"))
    >>> values = [np.full(3, np.nan) for _ in plan.value_ids]
    >>> VectorEngine(plan).score_many(values).stage_upper.tolist()
    [3, 3, 3]
    """

    name = "numpy"

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.score_one = compile_record_function(plan)
        """Score one record given its encoded field values (plan order)."""

    def score_many(self, values: list[F64]) -> ColumnResult:
        """Score every record; see :func:`evaluate`."""
        return evaluate(self.plan, values)

    def close(self) -> None:
        """Nothing to free."""

    def __repr__(self) -> str:
        return f"<VectorEngine {self.plan.ruleset_id} {self.plan.version}>"


def evaluate(plan: Plan, values: list[F64]) -> ColumnResult:
    """Score every record; ``values`` holds one array per plan slot.

    Field arrays are only read; derived arrays are filled in place. Records are
    processed :data:`CHUNK` at a time.
    """
    n = len(values[0]) if values else 0
    n_crit = len(plan.criteria)
    outcomes = np.empty((n_crit, n), dtype=np.int8)
    varying = {c.index: np.empty(n) for c in plan.criteria if c.kind != "condition"}
    score, upper, row_max = np.empty(n), np.empty(n), np.empty(n)
    stage, stage_up, klass, klass_up = (np.empty(n, dtype=np.int16) for _ in range(4))
    exit_ready = np.empty(n, dtype=np.int8)
    for a in range(0, n, CHUNK):
        b = min(n, a + CHUNK)
        part = [v[a:b] for v in values]
        tri, points = _evaluate_chunk(plan, part)
        outcomes[:, a:b] = np.where(np.isnan(tri), -1, tri)
        for ci, dest in varying.items():
            dest[a:b] = points[ci]
        score[a:b], upper[a:b], row_max[a:b] = _scores(plan, tri, points)
        gates = _as_gates(plan, tri)
        reached, stage[a:b], stage_up[a:b] = _stages(plan, gates, tri, points)
        klass[a:b] = _class_index(plan, _class_score(plan, score[a:b], row_max[a:b]),
                                  gates, definite=True)
        klass_up[a:b] = _class_index(plan, _class_score(plan, upper[a:b],
                                                        row_max[a:b]),
                                     tri, definite=False)
        if plan.exit_stage >= 0:
            ex_tri = _kleene_and([reached[plan.exit_stage],
                                 *[gates[c] for c in plan.exit_requires]])
            exit_ready[a:b] = np.where(np.isnan(ex_tri), -1, ex_tri)
        else:
            exit_ready[a:b] = -1
    return ColumnResult(plan, outcomes, varying, score, upper, stage, stage_up, klass,
                        klass_up, exit_ready, values, row_max)


def evaluate_expression(plan: Plan, node: ex.Node, values: list[F64]) -> F64:
    """One expression over field columns (no criterion references): 1/0/NaN or
    values per record."""
    n = len(values[0])
    ev = _Evaluator(values, np.empty((0, n)), plan)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        out: F64 = np.broadcast_to(np.asarray(ev.ev(node), dtype=np.float64), (n,))
    return out


def _as_gates(plan: Plan, tri: F64) -> F64:
    """Outcomes as requirements see them: not applicable (2) counts as met."""
    applies = [c.index for c in plan.criteria if c.applies is not None]
    if not applies:
        return tri
    gates = tri.copy()
    for c in applies:
        gates[c] = np.where(tri[c] == NOT_APPLICABLE, 1.0, tri[c])
    return gates


def _class_score(plan: Plan, score: F64, row_max: F64) -> F64:
    """See :func:`kematangan.scoring.semantics.class_score`."""
    if not any(c.applies is not None for c in plan.criteria):
        return score
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(row_max > 0.0, score * plan.max_score / row_max, np.nan)
    return np.where(row_max == plan.max_score, score, scaled)


def _evaluate_chunk(plan: Plan, values: list[F64]) -> tuple[F64, F64]:
    m = len(values[0])
    n_crit = len(plan.criteria)
    tri = np.empty((n_crit, m), dtype=np.float64)
    points = np.empty((n_crit, m), dtype=np.float64)
    ev = _Evaluator(values, tri, plan)
    with np.errstate(invalid="ignore", over="ignore"):
        for d in plan.derived:
            # An overflow (inf) is no usable value: missing, like division by 0.
            out = np.broadcast_to(ev.ev(d.node), (m,))
            values[d.index][:] = np.where(np.isfinite(out), out, np.nan)
        for ci in plan.order:
            _criterion(plan, ci, ev, tri, points)
    return tri, points


def _scores(plan: Plan, tri: F64, points: F64) -> tuple[F64, F64, F64]:
    m = tri.shape[1]
    score = np.zeros(m)
    upper = np.zeros(m)
    row_max = np.zeros(m)
    # Sum in criterion-id order, as the per-record engine does, so that float sums
    # agree exactly and do not depend on the order criteria are listed in.
    for ci in plan.sum_order:
        top = plan.criteria[ci].max_points
        score += points[ci]
        upper += np.where(np.isnan(tri[ci]), top, points[ci])
        row_max += np.where(tri[ci] == NOT_APPLICABLE, 0.0, top)
    return score, upper, row_max


def _stages(plan: Plan, gates: F64, tri: F64, points: F64
            ) -> tuple[list[Val], npt.NDArray[np.int16], npt.NDArray[np.int16]]:
    m = tri.shape[1]
    stage = np.full(m, -1, dtype=np.int16)
    stage_up = np.full(m, -1, dtype=np.int16)
    reached_prev: Val = 1.0
    reached_by_stage: list[Val] = []
    for s in range(len(plan.stage_ids)):
        parts: list[Val] = [gates[c] for c in plan.stage_gates[s]]
        need = plan.stage_min_points[s]
        if need is not None:
            own = np.zeros(m)
            own_up = np.zeros(m)
            for c in plan.stage_sum_order[s]:
                own += points[c]
                own_up += np.where(np.isnan(tri[c]), plan.criteria[c].max_points,
                                   points[c])
            parts.append(np.where(own >= need, 1.0, np.where(own_up < need, 0.0,
                                                             np.nan)))
        if plan.stage_cumulative[s]:
            parts.append(reached_prev)
        reached = _kleene_and(parts)
        reached_by_stage.append(reached)
        stage[reached == 1.0] = s
        stage_up[reached != 0.0] = s
        reached_prev = reached
    return reached_by_stage, stage, stage_up


def _criterion(plan: Plan, ci: int, ev: _Evaluator, tri: F64, points: F64) -> None:
    step = plan.criteria[ci]
    n = tri.shape[1]
    if step.kind == "condition":
        assert step.node is not None
        t = np.broadcast_to(ev.ev(step.node), (n,))
        pts = np.where(t == 1.0, step.max_points, 0.0)
    else:
        assert step.value is not None
        v = np.broadcast_to(ev.ev(step.value), (n,))
        known = ~np.isnan(v)
        if step.kind == "bands":
            pts = np.zeros(n)
            for lo, hi, lo_in, hi_in, p in step.bands:
                above = v >= lo if lo_in else v > lo
                below = v <= hi if hi_in else v < hi
                pts = np.where(above & below, p, pts)
            t = np.where(known, (pts == step.max_points) * 1.0, np.nan)
        else:
            t = np.where(known, (v >= step.met_at) * 1.0, np.nan)
            pts = np.where(known, np.minimum(v, step.max_points), 0.0)
    if step.missing != "unknown":
        unknown = np.isnan(t)
        if step.missing == "met":
            t = np.where(unknown, 1.0, t)
            pts = np.where(unknown, step.max_points, pts)
        else:
            t = np.where(unknown, 0.0, t)
            pts = np.where(unknown, 0.0, pts)
    if step.applies is not None:
        a = np.broadcast_to(ev.ev(step.applies), (n,))
        t = np.where(a == 1.0, t, np.where(a == 0.0, NOT_APPLICABLE, np.nan))
        pts = np.where(a == 1.0, pts, 0.0)
    tri[ci] = t
    points[ci] = pts


def _class_index(plan: Plan, score: F64, tri: F64, definite: bool
                 ) -> npt.NDArray[np.int16]:
    n = len(score)
    raw = np.full(n, -1, dtype=np.int16)
    for k, (lo, hi, lo_in, hi_in) in enumerate(plan.class_bounds):
        above = score >= lo if lo_in else score > lo
        below = score <= hi if hi_in else score < hi
        raw = np.where(above & below, k, raw).astype(np.int16)
    out = np.full(n, -1, dtype=np.int16)
    for k, req in enumerate(plan.class_requires):
        if req:
            rows = [tri[c] for c in req]
            ok = np.all([r == 1.0 for r in rows], axis=0) if definite else np.all(
                [r != 0.0 for r in rows], axis=0)
        else:
            ok = np.ones(n, dtype=bool)
        out = np.where((k <= raw) & ok, k, out).astype(np.int16)
    return out
