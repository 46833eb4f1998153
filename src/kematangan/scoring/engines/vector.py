"""The numpy engine: the vectorised form of :mod:`~kematangan.scoring.semantics`,
evaluating a plan over whole columns with no loop per record.

Values are float64 arrays with NaN for missing. Truth is one byte per record:
``F`` (0) false, ``U`` (1) unknown, ``T`` (2) true, so Kleene's ``and`` is the
minimum, ``or`` the maximum and ``not`` is ``2 - x``; a criterion that does not
apply is ``NA`` (3). One byte instead of an eight-byte float with NaN keeps the
memory the engine moves small, which is what its time goes into. Loops run over
criteria and stages only; records are evaluated :data:`CHUNK` at a time, chunks
in parallel threads (numpy releases the GIL) when there are several.

One record is scored by the compiled record function
(:mod:`~kematangan.scoring.engines.compiled`), which has no per-call numpy
overhead.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Final

import numpy as np
import numpy.typing as npt

from kematangan.criteria import expr as ex
from kematangan.scoring.calendar import FIRST_DAY, LAST_DAY
from kematangan.scoring.engines.compiled import compile_record_function
from kematangan.scoring.plan import AtLeastOf, CriterionStep, CritRef, Plan
from kematangan.scoring.result import ColumnResult

__all__ = ["CHUNK", "VectorEngine", "evaluate", "evaluate_expression"]

F64 = npt.NDArray[np.float64]
U8 = npt.NDArray[np.uint8]

F: Final = 0
U: Final = 1
T: Final = 2
NA: Final = 3
"""Truth codes: false, unknown, true, and (for a criterion) does not apply."""

_OUTCOME: Final = np.array([0, -1, 1, 2], dtype=np.int8)
"""Truth code -> outcome code (0 not met, -1 unknown, 1 met, 2 does not apply)."""
_AS_VALUE: Final = np.array([0.0, np.nan, 1.0, np.nan])
"""Truth code -> the float the semantics uses (1.0, 0.0, NaN)."""

CHUNK = 65_536
"""Records evaluated at a time: temporaries stay small and their memory is reused,
so time goes into arithmetic rather than into mapping fresh pages."""

_CMP: dict[str, Callable[[F64 | float, F64 | float], npt.NDArray[np.bool_]]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}


def _truth(met: npt.NDArray[np.bool_], unknown: npt.NDArray[np.bool_]) -> U8:
    """T where met (and known), U where unknown, F elsewhere."""
    code: U8 = (met & ~unknown).view(np.uint8) * np.uint8(2)
    code += unknown.view(np.uint8)
    return code


def _value_truth(x: F64) -> U8:
    """A value as a condition: 1.0 true, 0.0 false, anything else unknown."""
    return _truth(x == 1.0, (x != 0.0) & (x != 1.0))


class _Result:
    """What a node evaluates to: a float value or a truth code (or a constant)."""

    __slots__ = ("truth", "value")

    def __init__(self, value: F64 | float | None = None, truth: U8 | None = None
                 ) -> None:
        self.value = value
        self.truth = truth


class _Evaluator:
    def __init__(self, values: Sequence[F64], tri: U8, plan: Plan, n: int) -> None:
        self.values = values
        self.tri = tri
        self.n = n
        self.slot = {name: i for i, name in enumerate(plan.value_ids)}
        self.crit = {c.id: c.index for c in plan.criteria}

    # -- conversions -------------------------------------------------------------

    def value(self, n: ex.Node) -> F64 | float:
        r = self.ev(n)
        if r.value is not None:
            return r.value
        assert r.truth is not None
        out: F64 = _AS_VALUE[r.truth]
        return out

    def truth(self, n: ex.Node) -> U8:
        r = self.ev(n)
        if r.truth is not None:
            return r.truth
        assert r.value is not None
        v = np.broadcast_to(np.asarray(r.value, dtype=np.float64), (self.n,))
        return _value_truth(v)

    # -- nodes --------------------------------------------------------------------

    def ev(self, n: ex.Node) -> _Result:
        if isinstance(n, ex.Num):
            return _Result(value=n.value)
        if isinstance(n, ex.Name):
            return _Result(value=self.values[self.slot[n.id]])
        if isinstance(n, CritRef):
            code = self.tri[self.crit[n.id]]
            return _Result(truth=code)
        if isinstance(n, ex.Cmp):
            return _Result(truth=self.compare(n))
        if isinstance(n, ex.And | ex.Or):
            reduce = np.minimum if isinstance(n, ex.And) else np.maximum
            parts = [self.truth(i) for i in n.items]
            out = parts[0].copy()
            for p in parts[1:]:
                reduce(out, p, out=out)
            return _Result(truth=out)
        if isinstance(n, ex.Not):
            return _Result(truth=np.uint8(T) - self.truth(n.operand))
        if isinstance(n, ex.Neg):
            return _Result(value=-np.asarray(self.value(n.operand)))
        if isinstance(n, ex.Bin):
            return _Result(value=self.arithmetic(n))
        if isinstance(n, ex.In):
            a = np.broadcast_to(np.asarray(self.value(n.operand), dtype=np.float64),
                                (self.n,))
            hit = np.isin(a, [o.value for o in n.options if isinstance(o, ex.Num)])
            return _Result(truth=_truth(~hit if n.negate else hit, np.isnan(a)))
        if isinstance(n, AtLeastOf):
            rows = [self.tri[self.crit[i]] for i in n.ids]
            met = np.sum([r == T for r in rows], axis=0)
            unknown = np.sum([r == U for r in rows], axis=0)
            return _Result(truth=_truth(met >= n.k, (met < n.k) & (met + unknown
                                                                 >= n.k)))
        if isinstance(n, ex.Call):
            return self.call(n)
        raise AssertionError(f"unhandled node {n!r}")

    def compare(self, n: ex.Cmp) -> U8:
        a, b = self.value(n.left), self.value(n.right)
        unknown = np.broadcast_to(np.isnan(a) | np.isnan(b), (self.n,))
        met = np.broadcast_to(_CMP[n.op](a, b), (self.n,))
        if n.op == "!=":  # the only comparison true when a side is NaN
            return _truth(met, unknown)
        code: U8 = met.view(np.uint8) * np.uint8(2)
        code += unknown.view(np.uint8)
        return code

    def arithmetic(self, n: ex.Bin) -> F64 | float:
        a, b = self.value(n.left), self.value(n.right)
        if n.op == "+":
            return np.add(a, b)
        if n.op == "-":
            return np.subtract(a, b)
        if n.op == "*":
            return np.multiply(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            zero = np.asarray(b) == 0.0
            out: F64 = np.where(zero, np.nan, np.divide(a, np.where(zero, 1.0, b)))
        return out

    def call(self, n: ex.Call) -> _Result:
        if n.fn in ("missing", "known"):
            gone = np.broadcast_to(np.isnan(self.value(n.args[0])), (self.n,))
            met = gone if n.fn == "missing" else ~gone
            return _Result(truth=met.view(np.uint8) * np.uint8(2))
        args = [self.value(a) for a in n.args]
        if n.fn == "coalesce":
            return _Result(value=np.where(np.isnan(args[0]), args[1], args[0]))
        if n.fn == "abs":
            return _Result(value=np.abs(args[0]))
        if n.fn in ("min", "max"):
            pick = np.minimum if n.fn == "min" else np.maximum
            out = args[0]
            for a in args[1:]:
                out = pick(out, a)
            return _Result(value=out)
        if n.fn in ("days_between", "months_between", "years_between"):
            return _Result(value=_between(n.fn, args[0], args[1]))
        raise AssertionError(f"unhandled node {n!r}")


def _between(fn: str, start: F64 | float, end: F64 | float) -> F64:
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


def evaluate_expression(plan: Plan, node: ex.Node, values: list[F64]) -> F64:
    """One expression over field columns (no criterion references), as the
    semantics gives it: a value, or 1.0/0.0/NaN for a condition, per record."""
    n = len(values[0])
    ev = _Evaluator(values, np.empty((0, n), dtype=np.uint8), plan, n)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        out: F64 = np.broadcast_to(np.asarray(ev.value(node), dtype=np.float64),
                                   (n,))
    return out


class VectorEngine:
    """Scores batches with numpy, one record with the plan compiled into one
    function (:mod:`~kematangan.scoring.engines.compiled`).

    ``workers`` threads evaluate chunks of a large batch at once (default: every
    core); results and their order do not depend on it.

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

    def __init__(self, plan: Plan, workers: int | None = None) -> None:
        self.plan = plan
        self.workers = workers or os.cpu_count() or 1
        self.score_one = compile_record_function(plan)
        """Score one record given its encoded field values (plan order)."""

    def score_many(self, values: list[F64]) -> ColumnResult:
        """Score every record; see :func:`evaluate`."""
        return evaluate(self.plan, values, workers=self.workers)

    def close(self) -> None:
        """Nothing to free."""

    def __repr__(self) -> str:
        return f"<VectorEngine {self.plan.ruleset_id} {self.plan.version}>"


class _Out:
    """The result arrays every chunk writes its slice of."""

    def __init__(self, plan: Plan, n: int) -> None:
        self.outcomes = np.empty((len(plan.criteria), n), dtype=np.int8)
        self.varying = {c.index: np.empty(n) for c in plan.criteria
                        if c.kind != "condition"}
        self.score, self.upper, self.row_max = np.empty(n), np.empty(n), np.empty(n)
        self.stage, self.stage_up, self.klass, self.klass_up = (
            np.empty(n, dtype=np.int16) for _ in range(4))
        self.exit_ready = np.empty(n, dtype=np.int8)


def evaluate(plan: Plan, values: list[F64], *, workers: int = 1) -> ColumnResult:
    """Score every record; ``values`` holds one array per plan slot.

    Field arrays are only read; derived arrays are filled in place. Records are
    processed :data:`CHUNK` at a time, in ``workers`` threads when there are
    several chunks.
    """
    n = len(values[0]) if values else 0
    out = _Out(plan, n)
    starts = range(0, n, CHUNK)
    if workers > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=min(workers, len(starts))) as pool:
            for _ in pool.map(lambda a: _chunk(plan, values, out, a), starts):
                pass
    else:
        for a in starts:
            _chunk(plan, values, out, a)
    return ColumnResult(plan, out.outcomes, out.varying, out.score, out.upper,
                        out.stage, out.stage_up, out.klass, out.klass_up,
                        out.exit_ready, values, out.row_max)


def _chunk(plan: Plan, values: list[F64], out: _Out, a: int) -> None:
    b = min(len(values[0]), a + CHUNK)
    m = b - a
    part = [v[a:b] for v in values]
    tri = np.empty((len(plan.criteria), m), dtype=np.uint8)
    # Points are stored for bands and score criteria only: a condition's points
    # are looked up from its truth code (see _tables).
    points: dict[int, F64] = {}
    ev = _Evaluator(part, tri, plan, m)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        for d in plan.derived:
            # An overflow (inf) is no usable value: missing, like division by 0.
            x = np.broadcast_to(np.asarray(ev.value(d.node), dtype=np.float64), (m,))
            part[d.index][:] = np.where(np.isfinite(x), x, np.nan)
        for ci in plan.order:
            _criterion(plan.criteria[ci], ev, tri, points)
    np.take(_OUTCOME, tri, out=out.outcomes[:, a:b], mode="clip")
    for ci, dest in out.varying.items():
        dest[a:b] = points[ci]
    out.score[a:b], out.upper[a:b], out.row_max[a:b] = _scores(plan, tri, points)
    gates = np.minimum(tri, T) if _conditional(plan) else tri
    reached, out.stage[a:b], out.stage_up[a:b] = _stages(plan, gates, tri, points)
    scores = _class_score(plan, out.score[a:b], out.row_max[a:b])
    uppers = _class_score(plan, out.upper[a:b], out.row_max[a:b])
    out.klass[a:b] = _class_index(plan, scores, gates, definite=True)
    out.klass_up[a:b] = _class_index(plan, uppers, tri, definite=False)
    if plan.exit_stage >= 0:
        e = reached[plan.exit_stage].copy()
        for c in plan.exit_requires:
            np.minimum(e, gates[c], out=e)
        out.exit_ready[a:b] = _OUTCOME[e]
    else:
        out.exit_ready[a:b] = -1


def _conditional(plan: Plan) -> bool:
    return any(c.applies is not None for c in plan.criteria)


def _class_score(plan: Plan, score: F64, row_max: F64) -> F64:
    """See :func:`kematangan.scoring.semantics.class_score`."""
    if not _conditional(plan):
        return score
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(row_max > 0.0, score * plan.max_score / row_max, np.nan)
    out: F64 = np.where(row_max == plan.max_score, score, scaled)
    return out


def _scores(plan: Plan, tri: U8, points: dict[int, F64]) -> tuple[F64, F64, F64]:
    m = tri.shape[1]
    score = np.zeros(m)
    upper = np.zeros(m)
    row_max = np.full(m, 0.0)
    # Sum in criterion-id order, as the record engine does, so that float sums
    # agree exactly and do not depend on the order criteria are listed in.
    tables = _tables(plan)
    for ci in plan.sum_order:
        step = plan.criteria[ci]
        got, could, counts = tables[ci]
        if step.kind == "condition":
            score += got[tri[ci]]
            upper += could[tri[ci]]
        else:
            score += points[ci]
            upper += np.where(tri[ci] == U, step.max_points, points[ci])
        if step.applies is None:
            row_max += step.max_points
        else:
            row_max += counts[tri[ci]]
    return score, upper, row_max


def _tables(plan: Plan) -> list[tuple[F64, F64, F64]]:
    """Per criterion, by truth code (F, U, T, NA): the points a condition gives,
    the most it could give once unknowns are known, and its share of the maximum.
    A lookup by code costs a third of computing them per record."""
    found: list[tuple[F64, F64, F64]] | None = plan.memo.get("vector_tables")
    if found is None:
        found = plan.memo["vector_tables"] = [
            (np.array([0.0, 0.0, c.max_points, 0.0]),
             np.array([0.0, c.max_points, c.max_points, 0.0]),
             np.array([c.max_points, c.max_points, c.max_points, 0.0]))
            for c in plan.criteria]
    return found


def _stages(plan: Plan, gates: U8, tri: U8, points: dict[int, F64]
            ) -> tuple[list[U8], npt.NDArray[np.int16], npt.NDArray[np.int16]]:
    m = tri.shape[1]
    stage = np.full(m, -1, dtype=np.int16)
    stage_up = np.full(m, -1, dtype=np.int16)
    reached_prev: U8 = np.full(m, T, dtype=np.uint8)
    reached_by_stage: list[U8] = []
    for s in range(len(plan.stage_ids)):
        reached = (reached_prev.copy() if plan.stage_cumulative[s]
                   else np.full(m, T, dtype=np.uint8))
        for c in plan.stage_gates[s]:
            np.minimum(reached, gates[c], out=reached)
        need = plan.stage_min_points[s]
        if need is not None:
            own = np.zeros(m)
            own_up = np.zeros(m)
            tables = _tables(plan)
            for c in plan.stage_sum_order[s]:
                if plan.criteria[c].kind == "condition":
                    own += tables[c][0][tri[c]]
                    own_up += tables[c][1][tri[c]]
                else:
                    own += points[c]
                    own_up += np.where(tri[c] == U, plan.criteria[c].max_points,
                                       points[c])
            np.minimum(reached, _truth(own >= need, (own < need) & (own_up >= need)),
                       out=reached)
        reached_by_stage.append(reached)
        stage[reached == T] = s
        stage_up[reached != F] = s
        reached_prev = reached
    return reached_by_stage, stage, stage_up


def _criterion(step: CriterionStep, ev: _Evaluator, tri: U8,
               points: dict[int, F64]) -> None:
    n = tri.shape[1]
    top = step.max_points
    pts: F64 | None = None
    if step.kind == "condition":
        assert step.node is not None
        t = ev.truth(step.node)
    else:
        assert step.value is not None
        v = np.broadcast_to(np.asarray(ev.value(step.value), dtype=np.float64), (n,))
        unknown = np.isnan(v)
        if step.kind == "bands":
            pts = np.zeros(n)
            for lo, hi, lo_in, hi_in, p in step.bands:
                above = v >= lo if lo_in else v > lo
                below = v <= hi if hi_in else v < hi
                pts = np.where(above & below, p, pts)
            t = _truth(pts == top, unknown)
        else:
            t = _truth(v >= step.met_at, unknown)
            pts = np.minimum(v, top)
        pts = np.where(unknown, 0.0, pts)
    if step.missing != "unknown":
        unknown = t == U
        met = step.missing == "met"
        t = np.where(unknown, np.uint8(T if met else F), t)
        if pts is not None:
            pts = np.where(unknown, top if met else 0.0, pts)
    if step.applies is not None:
        a = ev.truth(step.applies)
        t = np.where(a == T, t, np.where(a == F, np.uint8(NA), np.uint8(U)))
        if pts is not None:
            pts = np.where(a == T, pts, 0.0)
    tri[step.index] = t
    if pts is not None:
        points[step.index] = pts


def _class_index(plan: Plan, score: F64, codes: U8, definite: bool
                 ) -> npt.NDArray[np.int16]:
    n = len(score)
    raw = np.full(n, -1, dtype=np.int16)
    for k, (lo, hi, lo_in, hi_in) in enumerate(plan.class_bounds):
        above = score >= lo if lo_in else score > lo
        below = score <= hi if hi_in else score < hi
        raw[above & below] = k
    out = np.full(n, -1, dtype=np.int16)
    for k, req in enumerate(plan.class_requires):
        ok = np.ones(n, dtype=bool)
        for c in req:
            ok &= (codes[c] == T) if definite else (codes[c] != F)
        out[(k <= raw) & ok] = k
    return out
