"""The record engine: :mod:`~kematangan.scoring.semantics` executed one record at a
time, the plan compiled into closures.

Scoring one record takes microseconds (no numpy call per record); a batch is scored
record by record, so the numpy engine is the one for batches. The record engine is
the reference the other engines are checked against.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from kematangan.scoring import semantics as sem
from kematangan.scoring.plan import Plan
from kematangan.scoring.result import ColumnResult, RowResult

__all__ = ["RecordEngine", "score_each"]

NAN = math.nan


class RecordEngine:
    """Scores one encoded record at a time.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.scoring.plan import compile_plan
    >>> engine = RecordEngine(compile_plan(load_ruleset("ppmk-ksm")))
    >>> row = engine.score_one([float("nan")] * len(engine.plan.fields))
    >>> row.stage, row.stage_upper
    (-1, 3)
    """

    name = "record"

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        slot = {name: i for i, name in enumerate(plan.value_ids)}
        crit = {c.id: c.index for c in plan.criteria}
        self._derived = [(d.index, sem.compile_expr(d.node, slot, crit))
                         for d in plan.derived]
        self._steps = [(ci, sem.compile_criterion(plan.criteria[ci], slot, crit))
                       for ci in plan.order]
        self._n_derived = len(plan.derived)
        self._n_crit = len(plan.criteria)

    def score_one(self, values: Sequence[float]) -> RowResult:
        """Score one record given its encoded field values (plan order)."""
        v = list(values)
        if self._n_derived:
            v += [NAN] * self._n_derived
            for idx, fn in self._derived:
                v[idx] = sem.derived_value(fn(v, []))
        t = [NAN] * self._n_crit
        pts = [0.0] * self._n_crit
        for ci, settle in self._steps:
            t[ci], pts[ci] = settle(v, t)
        return sem.aggregate(self.plan, t, pts, v)

    def score_many(self, values: list[npt.NDArray[np.float64]]) -> ColumnResult:
        """Score every record, one at a time (derived arrays are filled in place)."""
        return score_each(self.score_one, self.plan, values)

    def close(self) -> None:
        """Nothing to free: the engine holds only closures."""

    def __repr__(self) -> str:
        return f"<RecordEngine {self.plan.ruleset_id} {self.plan.version}>"


def score_each(score_one: Callable[[Sequence[float]], RowResult], plan: Plan,
               values: list[npt.NDArray[np.float64]]) -> ColumnResult:
    """A batch scored with a one-record function, gathered into columns.

    ``values`` holds one array per plan slot; the derived arrays are filled in
    place with each record's derived values.
    """
    n_fields = len(plan.fields)
    n = len(values[0]) if values else 0
    n_crit = len(plan.criteria)
    outcomes = np.empty((n_crit, n), dtype=np.int8)
    varying = {c.index: np.empty(n) for c in plan.criteria if c.kind != "condition"}
    score, upper, row_max = np.empty(n), np.empty(n), np.empty(n)
    stage, stage_up, klass, klass_up = (np.empty(n, dtype=np.int16) for _ in range(4))
    exit_ready = np.empty(n, dtype=np.int8)
    rows = (np.vstack(values[:n_fields]).T.tolist() if n_fields
            else [[] for _ in range(n)])
    for j, record in enumerate(rows):
        row = score_one(record)
        outcomes[:, j] = row.outcomes
        for ci, dest in varying.items():
            dest[j] = row.points[ci]
        score[j], upper[j], row_max[j] = row.score, row.score_upper, row.max_score
        stage[j], stage_up[j] = row.stage, row.stage_upper
        klass[j], klass_up[j] = row.class_, row.class_upper
        exit_ready[j] = row.exit_ready
        for d in plan.derived:
            values[d.index][j] = row.values[d.index]
    return ColumnResult(plan, outcomes, varying, score, upper, stage, stage_up, klass,
                        klass_up, exit_ready, values, row_max)
