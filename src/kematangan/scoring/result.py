"""Result models: one :class:`Assessment` per group, and the shared row shape.

Engines produce a :class:`RowResult` (plain numbers, in plan order); this module turns
it into the public, frozen, JSON-serializable :class:`Assessment`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
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
    NOT_APPLICABLE = "not_applicable"
    """The criterion does not apply to the group (its ``applies_when`` is false)."""


_OUTCOME_OF = {1: Outcome.MET, 0: Outcome.NOT_MET, -1: Outcome.UNKNOWN,
               2: Outcome.NOT_APPLICABLE}


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
    max_score: float
    """The most points the record could have: criteria that do not apply to it
    leave this maximum."""


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
    max_score: F64
    """Each record's most points (criteria that do not apply leave it)."""

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
    """Gates not met (or unknown) that stand between ``stage`` and the next stage
    (a gate that does not apply stands in no way),
    ordered by stage, then id (independent of the order criteria are listed in).

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.scoring.plan import compile_plan
    >>> plan = compile_plan(load_ruleset("ppmk-ksm"))
    >>> blocking_criteria(plan, [1] * 4 + [0] + [1] * 15, -1)
    ['basic_rules']
    """
    per_stage: list[tuple[tuple[int, str], ...]] | None = plan.memo.get("blocking")
    if per_stage is None:
        per_stage = plan.memo["blocking"] = [
            _gates_before(plan, nxt) for nxt in range(len(plan.stage_ids))]
    nxt = stage + 1
    if nxt >= len(per_stage):
        return []
    return [cid for c, cid in per_stage[nxt] if outcomes[c] not in (1, 2)]


def _gates_before(plan: Plan, nxt: int) -> tuple[tuple[int, str], ...]:
    """The gates that must be met to reach stage ``nxt`` (by stage, then id)."""
    first = 0
    for s in range(nxt, -1, -1):
        if not plan.stage_cumulative[s]:
            first = s
            break
    gates = [c for s in range(first, nxt + 1) for c in plan.stage_gates[s]]
    ordered = sorted(gates, key=lambda c: (plan.criteria[c].stage, plan.criteria[c].id))
    return tuple((c, plan.criteria[c].id) for c in ordered)


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


def _criterion_result(plan: Plan, ci: int, o: int, p: float) -> CriterionResult:
    # Results are frozen and a criterion has few distinct (outcome, points) pairs,
    # so equal ones are shared: building models dominated per-record time.
    table = _tables(plan)[ci]
    found = table.get((o, p))
    if found is None:
        if len(table) >= _CACHE_LIMIT:  # e.g. a score criterion's many values
            table.clear()
        found = table[(o, p)] = trusted(CriterionResult, {
            "outcome": _OUTCOME_OF[o], "points": p,
            "max_points": plan.criteria[ci].max_points})
    return found


_Builder = Callable[[RowResult, Sequence[Problem], "str | None"], "Assessment"]


def _builder(plan: Plan) -> _Builder:
    """The plan's assessment builder: one generated function whose dict displays
    hold every criterion and value (a loop per record cost more than the scoring).

    The source holds only slot indexes and generated names; ids and labels are
    constants passed in, never written into it.
    """
    found: _Builder | None = plan.memo.get("builder")
    if found is not None:
        return found
    env: dict[str, Any] = {
        "trusted": trusted, "Assessment": Assessment, "REF": ruleset_ref(plan),
        "STAGES": (*plan.stage_ids, None), "CLASSES": (*plan.class_ids, None),
        "blocking": blocking_criteria, "PLAN": plan,
        "result": _criterion_result, "Sequence": Sequence,
    }
    outcomes: list[str] = []
    inputs: list[str] = []
    derived: list[str] = []
    for c in plan.criteria:
        key = f"C{c.index}"
        env[key] = c.id
        outcomes.append(f"{key}: T{c.index}.get((o[{c.index}], p[{c.index}])) or "
                        f"result(PLAN, {c.index}, o[{c.index}], p[{c.index}])")
        env[f"T{c.index}"] = _tables(plan)[c.index]
    for into, name, i, decode in _decoders(plan):
        key = f"V{i}"
        env[key] = name
        if decode is None:
            expr = f"None if v[{i}] != v[{i}] else v[{i}]"
        else:
            env[f"D{i}"] = decode
            expr = f"None if v[{i}] != v[{i}] else D{i}(v[{i}])"
        (inputs if into else derived).append(f"{key}: {expr}")
    source = f"""def build(row, issues, group_id):
    o = row.outcomes
    p = row.points
    v = row.values
    return trusted(Assessment, {{
        "ruleset": REF, "group_id": group_id,
        "stage": STAGES[row.stage], "stage_upper": STAGES[row.stage_upper],
        "class_": CLASSES[row.class_], "class_upper": CLASSES[row.class_upper],
        "score": row.score, "score_upper": row.score_upper,
        "max_score": row.max_score,
        "exit_ready": None if row.exit_ready < 0 else row.exit_ready == 1,
        "outcomes": {{{", ".join(outcomes)}}},
        "blocking": blocking(PLAN, o, row.stage),
        "derived": {{{", ".join(derived)}}},
        "inputs": {{{", ".join(inputs)}}},
        "issues": list(issues),
    }})
"""
    exec(compile(source, f"<kematangan assessment {plan.ruleset_id}>", "exec"), env)
    built: _Builder = env["build"]
    plan.memo["builder"] = built
    return built


_Decoder = tuple[bool, str, int, Callable[[float], Any] | None]



def _decoders(plan: Plan) -> list[_Decoder]:
    """Per field and derived value: (is a field, id, slot, how to decode a known
    value; ``None`` when the float is the value), as :func:`decode_value` does."""
    found: list[_Decoder] | None = plan.memo.get("decoders")
    if found is None:
        found = plan.memo["decoders"] = [
            (True, f.id, f.index, _decoder(f.type, f.categories)) for f in plan.fields
        ] + [(False, d.id, d.index, _decoder(d.type, ())) for d in plan.derived]
    return found


def _decoder(type_name: str, categories: Sequence[str]) -> Callable[[float], Any] | None:
    if type_name == "integer":
        return int
    if type_name == "boolean":
        return (1.0).__eq__
    if type_name in ("category", "date"):
        return functools.partial(decode_value, type_name, categories)
    return None


def build_assessment(plan: Plan, row: RowResult, issues: Sequence[Problem],
                     group_id: str | None) -> Assessment:
    """Assemble the public :class:`Assessment` from an engine's :class:`RowResult`.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.scoring.plan import compile_plan
    >>> from kematangan.scoring.engines.record import RecordEngine
    >>> plan = compile_plan(load_ruleset("ppmk-ksm"))
    >>> row = RecordEngine(plan).score_one([float("nan")] * len(plan.fields))
    >>> a = build_assessment(plan, row, [], "KSM-1")
    >>> a.stage, a.stage_upper, a.outcomes["enough_members"].outcome.value
    (None, 'release', 'unknown')
    """
    return _builder(plan)(row, issues, group_id)
