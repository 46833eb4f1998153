"""Consistency checks: values that contradict each other are not scored.

A ruleset's ``checks`` say what data that makes sense satisfies (``members_saving <=
members``; no arrears without a loan). Every check is judged on the record as it was
read; a record that fails one gets a data problem with the check's own message and
fix, and the fields the check names become missing for that record, so no criterion
is decided on values known to be wrong. A check that cannot be judged (a value it
reads is missing) is no failure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kematangan.problems import Problem
from kematangan.scoring import semantics as sem
from kematangan.scoring.engines.vector import evaluate_expression
from kematangan.scoring.plan import CheckStep, Plan

__all__ = ["check_columns", "check_record"]

NAN = math.nan


def _problems(step: CheckStep, plan: Plan, rows: Sequence[int | None]
              ) -> list[Problem]:
    """The problem of ``step`` failing at each of ``rows``. Problems are immutable,
    so the records failing one check share its parameters (built once)."""
    fields = [plan.fields[i].id for i in step.blanks]
    params = {"check": step.id, "fields": fields,
              "message": {"id": step.message[0], "en": step.message[1]},
              "fix": {"id": step.fix[0], "en": step.fix[1]}}
    field = fields[0] if len(fields) == 1 else None
    return [Problem("check_failed", params, row=row, field=field) for row in rows]


def _compiled(plan: Plan) -> list[tuple[CheckStep, sem.Fn]]:
    found: list[tuple[CheckStep, sem.Fn]] | None = plan.memo.get("checks")
    if found is None:
        slot = {name: i for i, name in enumerate(plan.value_ids)}
        found = plan.memo["checks"] = [
            (step, sem.compile_expr(step.node, slot, {})) for step in plan.checks]
    return found


def check_record(plan: Plan, values: list[float], row: int | None) -> list[Problem]:
    """Judge every check on one record's encoded field values; blank the fields of
    the checks it fails (in place) and return their problems.

    Examples
    --------
    >>> from kematangan.criteria import parse_ruleset
    >>> from kematangan.scoring.plan import compile_plan
    >>> plan = compile_plan(parse_ruleset('''
    ... id: x
    ... version: 1.0.0
    ... title: X
    ... description: X
    ... sources: [{title: t}]
    ... fields:
    ...   - {id: members, type: integer, label: Anggota}
    ...   - {id: saving, type: integer, label: Menabung}
    ... checks:
    ...   - id: saving_le_members
    ...     require: saving <= members
    ...     message: {id: Penabung melebihi anggota, en: More savers than members}
    ...     fix: {id: Periksa kedua angka, en: Check both numbers}
    ... criteria:
    ...   - {id: c, label: C, threshold: {field: members, op: ">=", value: 5}}
    ... '''))
    >>> values = [10.0, 12.0]
    >>> [p.problem("id") for p in check_record(plan, values, 3)], values
    (['Penabung melebihi anggota'], [nan, nan])
    """
    failed = [step for step, fn in _compiled(plan) if fn(values, []) == 0.0]
    for step in failed:
        for i in step.blanks:
            values[i] = NAN
    return [p for step in failed for p in _problems(step, plan, [row])]


def check_columns(plan: Plan, values: list[npt.NDArray[np.float64]],
                  rows: Sequence[int] | npt.NDArray[np.int64]) -> list[Problem]:
    """Judge every check on whole columns of encoded field values; replace the
    columns of failing checks by copies with those records blanked (the caller's
    arrays are never written to) and return the problems, check by check."""
    if not plan.checks or not values or len(values[0]) == 0:
        return []
    failed = [(step, np.flatnonzero(evaluate_expression(plan, step.node, values)
                                    == 0.0)) for step in plan.checks]
    for step, at in failed:
        for i in step.blanks:
            if at.size:
                column = values[i].copy()
                column[at] = NAN
                values[i] = column
    numbers = np.asarray(rows)
    return [p for step, at in failed
            for p in _problems(step, plan, numbers[at].tolist())]
