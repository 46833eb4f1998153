"""Result models: one :class:`Assessment` per group, and the shared row shape.

Engines produce a :class:`RowResult` (plain numbers, in plan order); this module turns
it into the public, frozen, JSON-serializable :class:`Assessment`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from kematangan.problems import Problem, ProblemField
from kematangan.scoring.plan import Plan, days_to_date

__all__ = [
    "Assessment",
    "ColumnResult",
    "CriterionResult",
    "Outcome",
    "RowResult",
    "RulesetRef",
    "blocking_criteria",
    "build_assessment",
    "decode_value",
    "ruleset_ref",
    "trusted",
]


class Outcome(StrEnum):
    """A criterion's outcome. "Not met" is a result, not an error."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


_OUTCOME_OF = {1: Outcome.MET, 0: Outcome.NOT_MET, -1: Outcome.UNKNOWN}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              serialize_by_alias=True)


class RulesetRef(_Frozen):
    """Which ruleset produced a result: id, version and content hash."""

    id: str
    version: str
    hash: str


class CriterionResult(_Frozen):
    """A criterion's outcome and the points it gave out of its maximum."""

    outcome: Outcome
    points: float
    max_points: float


class Assessment(_Frozen):
    """The scored result for one group.

    ``stage`` is the highest stage reached for certain and ``stage_upper`` the highest
    it could be once unknown data is known; they differ exactly when missing data
    decides the stage (likewise ``class_``/``class_upper`` and ``score``/
    ``score_upper``). ``exit_ready`` is ``None`` when missing data decides it.
    """

    ruleset: RulesetRef
    group_id: str | None = None
    stage: str | None
    stage_upper: str | None
    class_: str | None = Field(alias="class")
    class_upper: str | None
    score: float
    score_upper: float
    max_score: float
    exit_ready: bool | None
    outcomes: dict[str, CriterionResult]
    blocking: list[str] = Field(
        description="Criteria that keep the group from its next stage (not met or "
        "unknown), by stage, then id.")
    derived: dict[str, Any]
    inputs: dict[str, Any] = Field(description="The values used; invalid ones are "
                                   "null here and listed in issues.")
    issues: list[ProblemField] = Field(
        description="Values that could not be used (each read as missing).")

    @property
    def stage_determined(self) -> bool:
        """Whether the stage is certain despite missing data."""
        return self.stage == self.stage_upper

    @property
    def class_determined(self) -> bool:
        """Whether the class is certain despite missing data."""
        return self.class_ == self.class_upper


@dataclass(frozen=True, slots=True)
class RowResult:
    """One record's raw result, in plan order (engines produce this)."""

    outcomes: Sequence[int]
    points: Sequence[float]
    score: float
    score_upper: float
    stage: int
    stage_upper: int
    class_: int
    class_upper: int
    exit_ready: int
    values: Sequence[float]


F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ColumnResult:
    """Many records' raw results, as arrays; engines produce this for a batch.

    Criteria-major matrices are ``[criteria, records]``.

    ``points`` is built on first use from the outcomes (a met condition gives its
    points) and, for ``bands`` and ``score`` criteria, their stored points.
    """

    plan: Plan
    outcomes: npt.NDArray[np.int8]
    varying_points: dict[int, F64]
    score: F64
    score_upper: F64
    stage: npt.NDArray[np.int16]
    stage_upper: npt.NDArray[np.int16]
    class_: npt.NDArray[np.int16]
    class_upper: npt.NDArray[np.int16]
    exit_ready: npt.NDArray[np.int8]
    columns: list[F64]
    """One array per field and derived value, in plan slot order."""

    @cached_property
    def values(self) -> F64:
        """The encoded values as one ``[value, record]`` matrix (built on first use)."""
        return np.vstack(self.columns) if self.columns else np.empty((0, 0))

    @cached_property
    def points(self) -> F64:
        """Points per criterion and record, ``[criteria, records]``."""
        out = np.zeros(self.outcomes.shape, dtype=np.float64)
        for step in self.plan.criteria:
            pts = self.varying_points.get(step.index)
            if pts is not None:
                out[step.index] = pts
            else:
                out[step.index] = np.where(self.outcomes[step.index] == 1,
                                           step.max_points, 0.0)
        return out


def decode_value(type_name: str, categories: Sequence[str], v: float) -> Any:
    """Turn a plan-encoded float back into the value a user gave.

    Examples
    --------
    >>> decode_value("boolean", (), 1.0), decode_value("category", ("a", "b"), 1.0)
    (True, 'b')
    >>> decode_value("integer", (), float("nan")) is None
    True
    """
    if v != v:
        return None
    if type_name == "number":
        return v
    if type_name == "boolean":
        return v == 1.0
    if type_name == "category":
        return categories[int(v)]
    if type_name == "date":
        return days_to_date(v).isoformat()
    if type_name == "integer":
        return int(v)
    return v


def blocking_criteria(plan: Plan, outcomes: Sequence[int], stage: int) -> list[str]:
    """Gates not met (or unknown) that stand between ``stage`` and the next stage."""
    nxt = stage + 1
    if nxt >= len(plan.stage_ids):
        return []
    first = 0
    for s in range(nxt, -1, -1):
        if not plan.stage_cumulative[s]:
            first = s
            break
    out = []
    for s in range(first, nxt + 1):
        for c in plan.stage_gates[s]:
            if outcomes[c] != 1:
                out.append(c)
    # Ordered by stage, then id: independent of the order criteria are listed in.
    return [c.id for c in sorted((plan.criteria[i] for i in out),
                                 key=lambda c: (c.stage, c.id))]


_CACHE_LIMIT = 20_000
"""Most shared criterion results kept per criterion (a score criterion can have
many distinct points); the table starts afresh when it is full."""


def _tables(plan: Plan) -> list[dict[tuple[int, float], CriterionResult]]:
    # Results are frozen and a criterion has few distinct (outcome, points) pairs,
    # so equal ones are shared: building models dominated per-record time.
    tables: list[dict[tuple[int, float], CriterionResult]] | None = plan.memo.get(
        "criterion_results")
    if tables is None:
        tables = plan.memo["criterion_results"] = [{} for _ in plan.criteria]
    return tables


def ruleset_ref(plan: Plan) -> RulesetRef:
    """The :class:`RulesetRef` of a plan (one shared object per plan)."""
    ref: RulesetRef | None = plan.memo.get("ruleset_ref")
    if ref is None:
        ref = plan.memo["ruleset_ref"] = RulesetRef(
            id=plan.ruleset_id, version=plan.version, hash=plan.content_hash)
    return ref


_M = TypeVar("_M", bound=BaseModel)


def trusted(cls: type[_M], values: dict[str, Any]) -> _M:
    """Build a frozen result model from complete, trusted values, without
    validation or model_construct's per-field bookkeeping (both dominated the time
    of scoring one record and of reporting many issues). Every field must be
    given; the tests check the result equals a validated model.

    Examples
    --------
    >>> ref = trusted(RulesetRef, {"id": "x", "version": "1.0.0", "hash": "h"})
    >>> ref == RulesetRef(id="x", version="1.0.0", hash="h")
    True
    """
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(values))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


def build_assessment(plan: Plan, row: RowResult, issues: Sequence[Problem],
                     group_id: str | None) -> Assessment:
    """Assemble the public :class:`Assessment` from an engine's :class:`RowResult`."""
    ref = ruleset_ref(plan)
    stages, classes = plan.stage_ids, plan.class_ids
    outcomes: dict[str, CriterionResult] = {}
    for c, table, o, p in zip(plan.criteria, _tables(plan), row.outcomes, row.points,
                              strict=True):
        found = table.get((o, p))
        if found is None:
            if len(table) >= _CACHE_LIMIT:  # e.g. a score criterion's many values
                table.clear()
            found = table[(o, p)] = trusted(CriterionResult, {
                "outcome": _OUTCOME_OF[o], "points": p, "max_points": c.max_points})
        outcomes[c.id] = found
    values = row.values
    inputs = {f.id: decode_value(f.type, f.categories, values[f.index])
              for f in plan.fields}
    derived = {d.id: decode_value(d.type, (), values[d.index]) for d in plan.derived}
    return trusted(Assessment, {
        "ruleset": ref,
        "group_id": group_id,
        "stage": stages[row.stage] if row.stage >= 0 else None,
        "stage_upper": stages[row.stage_upper] if row.stage_upper >= 0 else None,
        "class_": classes[row.class_] if row.class_ >= 0 else None,
        "class_upper": classes[row.class_upper] if row.class_upper >= 0 else None,
        "score": row.score,
        "score_upper": row.score_upper,
        "max_score": plan.max_score,
        "exit_ready": None if row.exit_ready < 0 else row.exit_ready == 1,
        "outcomes": outcomes,
        "blocking": blocking_criteria(plan, row.outcomes, row.stage),
        "derived": derived,
        "inputs": inputs,
        "issues": list(issues),
    })
