"""Pydantic models of a ruleset file: what a ruleset *says*, never how it runs.

Every model forbids unknown keys, so a misspelt key is an error with its line, not a
silently ignored setting. Cross-references (a criterion naming a field, a stage naming
its criteria) are checked by :mod:`kematangan.criteria.lint`, which sees the whole
ruleset at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    Field,
    model_validator,
)

from kematangan.criteria.elements import (
    Identifier,
    Interval,
    IntervalText,
    OperationalChoice,
    Slug,
    Source,
    StrictModel,
    Text,
    fault,
)
from kematangan.criteria.history import History

if TYPE_CHECKING:  # completed in kematangan.criteria.members, which uses these types
    from kematangan.criteria.members import Members

__all__ = [
    "CONDITION_KINDS",
    "AtLeast",
    "Band",
    "Bands",
    "BooleanCondition",
    "Case",
    "CaseExpectation",
    "Check",
    "Criterion",
    "Derived",
    "ExitRule",
    "FieldSpec",
    "GroupIdSpec",
    "InSet",
    "Interval",
    "RangeCondition",
    "Ruleset",
    "ScoreClass",
    "ScoreCondition",
    "Source",
    "Stage",
    "Text",
    "Threshold",
    "fault",
]


FieldType = Literal["number", "integer", "boolean", "category", "date"]


class FieldSpec(StrictModel):
    """A field of the group record that the ruleset reads."""

    id: Identifier
    type: FieldType
    label: Text
    description: Text | None = None
    unit: str | None = None
    min: float | None = Field(default=None, description="Smallest valid value.")
    max: float | None = Field(default=None, description="Largest valid value.")
    categories: list[str] | None = Field(
        default=None,
        description="Allowed values of a category field, worst to best when "
        "better is 'higher'.",
    )
    aliases: list[str] = Field(
        default_factory=list,
        description="Other header names for this field, e.g. Indonesian spreadsheet "
        "headers.",
    )
    actionable: bool = Field(
        default=False, description="Whether the group itself can change this value."
    )
    better: Literal["higher", "lower", "none"] = Field(
        default="none", description="The direction in which the value is better."
    )
    unconfirmed: list[Literal["min", "max", "meaning"]] = Field(
        default_factory=list,
        description="What is a working assumption rather than taken from the "
        "official source: a bound (min, max) or the field's meaning. It is shown as "
        "unconfirmed wherever it is shown, and a value beyond an unconfirmed bound "
        "is used, with a note, instead of being refused.",
    )
    display: Literal["number", "percent"] = Field(
        default="number",
        description="How values are shown: 'percent' for a share written from 0 to "
        "1 (0.75 is shown as 75%).",
    )
    role: Literal["assessment_date"] | None = Field(
        default=None,
        description="assessment_date: the date of the assessment, the reference for "
        "date arithmetic (never the clock). When a record has no value, the "
        "scorer's assessed_on option gives it.",
    )

    @model_validator(mode="after")
    def _check_type_settings(self) -> FieldSpec:
        if self.type == "category":
            if not self.categories:
                raise fault("category_needs_list")
            seen: set[str] = set()
            for value in self.categories:
                if value in seen:
                    raise fault("categories_duplicate", value=value)
                seen.add(value)
        elif self.categories is not None:
            raise fault("categories_not_for_type", type=self.type)
        if self.type in ("boolean", "category", "date") and (
            self.min is not None or self.max is not None
        ):
            raise fault("bounds_not_for_type", type=self.type)
        if self.min is not None and self.max is not None and self.min > self.max:
            raise fault("min_above_max", min=self.min, max=self.max)
        for bound in self.unconfirmed:
            if bound != "meaning" and getattr(self, bound) is None:
                raise fault("unconfirmed_needs_bound", bound=bound)
        if self.display == "percent" and self.type != "number":
            raise fault("display_percent_needs_number", type=self.type)
        if self.role == "assessment_date" and self.type != "date":
            raise fault("assessment_date_needs_date", type=self.type)
        return self


class GroupIdSpec(StrictModel):
    """The record key that identifies a group (not scored)."""

    field: Identifier = "group_id"
    label: Text = Field(default_factory=lambda: Text(id="Kode kelompok",
                                                           en="Group id"))
    aliases: list[str] = Field(default_factory=list)


class Derived(StrictModel):
    """A value computed from fields by a safe expression (see the language page)."""

    id: Identifier
    label: Text
    expr: str = Field(description="Expression over fields and earlier derived values.")
    type: Literal["number", "boolean"] | None = Field(
        default=None, description="Checked against the expression's type when given."
    )
    unit: str | None = None
    description: Text | None = None
    display: Literal["number", "percent"] = Field(
        default="number",
        description="How values are shown: 'percent' for a share from 0 to 1.",
    )
    unconfirmed: list[Literal["formula"]] = Field(
        default_factory=list,
        description="'formula' when the expression is a working assumption the "
        "source does not settle; shown as unconfirmed wherever it is shown.",
    )


class Check(StrictModel):
    """A consistency check across fields: what data that makes sense satisfies.

    A record that fails it has a data problem (the check's message and fix), and
    the fields it names become unusable (unknown) for that record: scoring never
    goes on with values that contradict each other.
    """

    id: Identifier
    require: str = Field(
        description="A boolean expression over fields that consistent data "
        "satisfies, e.g. 'members_saving <= members'. Unknown (missing data) is "
        "not a failure.")
    fields: list[Identifier] | None = Field(
        default=None, min_length=1,
        description="Fields made unusable for a record that fails the check; by "
        "default every field the expression reads.")
    message: Text = Field(description="What is inconsistent, for the user.")
    fix: Text = Field(description="How to correct the data.")


CompareOp = Literal[">=", ">", "<=", "<", "==", "!="]


class Threshold(StrictModel):
    """``field op value``, e.g. ``meetings_per_month >= 2``."""

    field: Identifier
    op: CompareOp
    value: float


class RangeCondition(StrictModel):
    """The field's value lies in an interval such as ``"[0.8, 1]"``."""

    field: Identifier
    interval: IntervalText


class BooleanCondition(StrictModel):
    """A yes/no field equals ``value`` (true by default)."""

    field: Identifier
    value: bool = True


class InSet(StrictModel):
    """A category (or integer) field's value is one of ``values``."""

    field: Identifier
    values: list[str | int] = Field(min_length=1)


class Band(StrictModel):
    """One band of a banded criterion: values in ``interval`` earn ``points``."""

    interval: IntervalText
    points: float = Field(ge=0)
    label: Text | None = None


class Bands(StrictModel):
    """Points by band of a field's value; met only in the band with the most points."""

    field: Identifier
    bands: list[Band] = Field(min_length=2)


class ScoreCondition(StrictModel):
    """Points equal the field's value (an indicator score), up to the field's max.

    Met when the value reaches ``met_at`` (the field's max by default).
    """

    field: Identifier
    met_at: float | None = None


class AtLeast(StrictModel):
    """At least ``k`` of the named criteria are met."""

    k: int = Field(ge=1)
    of: list[Identifier] = Field(min_length=1)


CONDITION_KINDS: tuple[str, ...] = (
    "threshold",
    "range",
    "boolean",
    "in_set",
    "bands",
    "score",
    "at_least",
    "all_of",
    "any_of",
    "expr",
)
"""The ways a criterion's condition can be written; exactly one per criterion."""

MissingPolicy = Literal["unknown", "not_met", "met"]


class Criterion(StrictModel):
    """One criterion: a condition, its points, its stage, and advice for the group."""

    id: Identifier
    label: Text
    description: Text | None = None
    stage: Identifier | None = Field(
        default=None, description="The stage this criterion belongs to, if any."
    )
    gate: bool = Field(
        default=False, description="Required to reach its stage (needs 'stage')."
    )
    points: float | None = Field(
        default=None,
        ge=0,
        description="Points when met (conditions other than bands and score). "
        "Defaults to 0 for gates and 1 otherwise.",
    )
    missing: MissingPolicy = Field(
        default="unknown",
        description="Outcome when the data needed is missing: unknown (default), "
        "not_met or met.",
    )
    applies_when: str | None = Field(
        default=None,
        description="A boolean expression; when it is false the criterion does not "
        "apply to the group: it is neither met nor a reason, a gate that does not "
        "apply does not block, and its points leave the group's maximum.",
    )
    advice: Text | None = Field(
        default=None, description="What the group can do to meet this criterion."
    )
    source: Source | None = None
    operational_choice: OperationalChoice = None
    threshold: Threshold | None = None
    range: RangeCondition | None = None
    boolean: BooleanCondition | None = None
    in_set: InSet | None = None
    bands: Bands | None = None
    score: ScoreCondition | None = None
    at_least: AtLeast | None = None
    all_of: list[Identifier] | None = Field(default=None, min_length=1)
    any_of: list[Identifier] | None = Field(default=None, min_length=1)
    expr: str | None = Field(default=None, description="A boolean expression.")

    @model_validator(mode="after")
    def _exactly_one_condition(self) -> Criterion:
        given = [k for k in CONDITION_KINDS if getattr(self, k) is not None]
        if not given:
            raise fault("condition_missing", kinds=list(CONDITION_KINDS))
        if len(given) > 1:
            raise fault("conditions_several", found=given)
        if self.points is not None and given[0] in ("bands", "score"):
            raise fault("points_not_for_kind", kind=given[0])
        if self.gate and self.stage is None:
            raise fault("gate_needs_stage")
        return self

    @property
    def kind(self) -> str:
        """Which condition kind this criterion uses."""
        return next(k for k in CONDITION_KINDS if getattr(self, k) is not None)

    @property
    def field_ref(self) -> str | None:
        """The field a single-field condition reads, if any."""
        cond = getattr(self, self.kind)
        return getattr(cond, "field", None)


class Stage(StrictModel):
    """One rung of the ladder. Stages are listed from the first to the last."""

    id: Identifier
    label: Text
    description: Text | None = None
    rule: Literal["cumulative", "own"] = Field(
        default="cumulative",
        description="cumulative: every gate of this and each earlier stage is met "
        "(the default); own: only this stage's gates.",
    )
    min_points: float | None = Field(
        default=None,
        ge=0,
        description="Also require at least this many points from criteria of this "
        "stage.",
    )
    source: Source | None = None
    operational_choice: OperationalChoice = None


class ScoreClass(StrictModel):
    """A class by total score. Classes are listed from the lowest to the highest."""

    id: Identifier
    label: Text
    description: Text | None = None
    interval: IntervalText
    requires: list[Identifier] = Field(
        default_factory=list,
        description="Criteria that must be met to be placed in this class; a group "
        "in range but missing one falls to the next lower class.",
    )
    source: Source | None = None
    operational_choice: OperationalChoice = None


class ExitRule(StrictModel):
    """When the program may withdraw: a stage reached and criteria met."""

    stage: Identifier
    requires: list[Identifier] = Field(default_factory=list)
    description: Text | None = None
    source: Source | None = None
    operational_choice: OperationalChoice = None


class CaseExpectation(StrictModel):
    """What an embedded test case expects; only the keys given are checked, so
    ``stage: null`` expects "no stage reached" while leaving ``stage`` out checks
    nothing."""

    stage: str | None = None
    stage_upper: str | None = None
    class_: str | None = Field(default=None, alias="class")
    score: float | None = None
    exit_ready: bool | None = None
    outcomes: dict[Identifier, Literal["met", "not_met", "unknown",
                                       "not_applicable"]] = Field(
        default_factory=dict
    )
    problems: list[Identifier] = Field(
        default_factory=list, description="Fields expected to be reported as invalid."
    )


class Case(StrictModel):
    """An embedded test case: a record and what scoring it must give."""

    name: str
    record: dict[str, Any]
    expect: CaseExpectation


class Ruleset(StrictModel):
    """A whole ruleset file."""

    format: Literal[1] = Field(default=1, description="Version of this file format.")
    id: Slug
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$", description="Semantic version.")
    title: Text
    description: Text
    sources: list[Source] = Field(min_length=1)
    group_id: GroupIdSpec = Field(default_factory=GroupIdSpec)
    subject: Text = Field(
        default_factory=lambda: Text(id="kelompok", en="group"),
        description="What one record is, as explanations and reports name it: "
        "'kelompok' / 'group' by default, e.g. {id: UPK, en: UPK} for a ruleset that "
        "rates finance units.")
    fields: list[FieldSpec] = Field(min_length=1)
    derived: list[Derived] = Field(default_factory=list)
    checks: list[Check] = Field(
        default_factory=list,
        description="Consistency checks across fields (see Check).")
    criteria: list[Criterion] = Field(min_length=1)
    stages: list[Stage] = Field(default_factory=list)
    classes: list[ScoreClass] = Field(default_factory=list)
    exit: ExitRule | None = None
    members: Members | None = None
    tests: list[Case] = Field(default_factory=list)
    family: Slug | None = Field(default=None, description="The instrument this "
                                "ruleset is a version of (default: its id).")
    valid_from: dt.date | None = Field(default=None, description="First "
                                       "assessment date it applies to.")
    valid_until: dt.date | None = Field(default=None, description="Last "
                                        "assessment date it applies to.")
    history: History | None = Field(default=None, description="What a track "
                                    "record must show.")

    @property
    def content_hash(self) -> str:
        """SHA-256 of the ruleset's canonical JSON, leaving out its embedded tests.

        Any change that can change a result or its explanation (a threshold, a
        label, advice) changes the hash; adding a test case does not. It is
        computed on each call, so a copy made with ``model_copy(update=...)`` gets
        its own hash.
        """
        data = self.model_dump(mode="json", by_alias=True,
                               exclude={"tests": True, "history": {"tests"}})
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def field(self, field_id: str) -> FieldSpec:
        """The field with id ``field_id`` (``KeyError`` if there is none)."""
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with id ``criterion_id`` (``KeyError`` if there is none)."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)
