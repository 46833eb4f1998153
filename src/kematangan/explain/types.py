"""The explanation's data: frozen pydantic models, JSON via ``model_dump``.

Every text shown to a reader is a bilingual :class:`~kematangan.criteria.ruleset.Text`
(``id`` Indonesian, ``en`` English); renderers pick the language. Ids (criteria,
fields, stages, classes) stay as the ruleset spells them, so a program can act on
them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kematangan.criteria.ruleset import Text
from kematangan.problems import ProblemField
from kematangan.scoring import Outcome, RulesetRef

__all__ = [
    "Blocker",
    "Change",
    "ClassGap",
    "ExitGap",
    "Explanation",
    "Gaps",
    "Level",
    "NextSteps",
    "NotApplicable",
    "PointsLine",
    "Reason",
    "ResultSummary",
    "RulesetStamp",
    "StageGap",
    "Step",
    "Target",
    "Value",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              serialize_by_alias=True)


class RulesetStamp(RulesetRef):
    """Which ruleset an explanation rests on: id, version, content hash, title."""

    title: Text


Display = Literal["number", "percent", "date"]
Unconfirmed = Literal["min", "max", "meaning", "formula"]


class Value(_Frozen):
    """A value the result used: a field, a derived value or another criterion's
    outcome (``met``, ``not_met``, ``unknown``, ``not_applicable``). ``value`` is
    ``None`` when missing (a date is an ISO text, ``2024-03-01``). ``display`` says
    how it is shown (``percent``: a share shown as 75%; ``date``); ``unconfirmed`` what about it is a working assumption (a
    bound, the field's meaning, a derived value's formula)."""

    name: str
    kind: Literal["field", "derived", "criterion"]
    label: Text
    value: Any
    unit: str | None = None
    display: Display = "number"
    unconfirmed: list[Unconfirmed] = Field(default_factory=list)


class Level(_Frozen):
    """A stage or class of the ruleset, and whether this group is at or above it."""

    id: str
    label: Text
    reached: bool
    interval: str | None = Field(default=None,
                                 description="A class's score interval.")
    low: float | None = None
    high: float | None = None


class PointsLine(_Frozen):
    """Points earned and possible for a stage's criteria (``name`` is the stage id,
    ``None`` for criteria of no stage) or, in a ruleset without stages, for one
    criterion (``name`` is its id)."""

    name: str | None
    label: Text
    points: float
    max_points: float


Blocks = Literal["stage", "class", "exit"]


class Reason(_Frozen):
    """One reason code: a criterion that costs points or holds the group back.

    ``points_lost`` is ``max_points - points``. For an ``unknown`` outcome the engine
    gives no points, so all of ``max_points`` counts as lost (at stake until the
    data is recorded). ``blocks`` says what the criterion holds back: the next
    ``stage`` (a gate), the next ``class`` (a class requirement) or ``exit``.
    ``scored`` marks a criterion judged by its points (``score``, ``bands``) rather
    than pass or fail; ``band`` is the label of the band its value fell in, and
    ``max_unconfirmed`` says that its maximum is a working assumption.
    """

    rank: int = Field(ge=1)
    criterion: str
    label: Text
    outcome: Outcome
    points: float
    max_points: float
    points_lost: float
    blocks: list[Blocks]
    stage: str | None
    condition: Text
    observed: list[Value]
    advice: Text | None
    scored: bool = False
    band: Text | None = None
    max_unconfirmed: bool = False


class NotApplicable(_Frozen):
    """A criterion that does not apply to this group (its ``applies_when`` is
    false): neither met nor a reason, and its points are out of the maximum."""

    criterion: str
    label: Text
    condition: Text = Field(description="When the criterion applies, in words.")


class StageGap(_Frozen):
    """What stands between the group and its next stage."""

    current: str | None
    target: str
    label: Text
    missing: list[str] = Field(description="Gates known to be not met.")
    unknown: list[str] = Field(description="Gates whose data is missing.")
    points_short: float = Field(
        description="Points still needed where a stage also asks for min_points.")
    possible_with_data: bool = Field(
        description="Whether recording the missing data alone could reach it.")


class ClassGap(_Frozen):
    """What stands between the group and its next class."""

    current: str | None
    target: str
    label: Text
    threshold: float = Field(description="The class's lowest score.")
    inclusive: bool = Field(description="Whether the threshold itself counts.")
    points_short: float = Field(description="max(0, threshold - score).")
    missing: list[str] = Field(description="Required criteria known to be not met.")
    unknown: list[str] = Field(description="Required criteria whose data is missing.")
    possible_with_data: bool


class ExitGap(_Frozen):
    """What stands between the group and exit (program withdrawal)."""

    stage: str = Field(description="The stage exit requires.")
    stage_reached: bool
    missing: list[str]
    unknown: list[str]


class Gaps(_Frozen):
    """Gaps to the next stage, the next class and exit (``None`` when there is no
    next one, or the group is exit-ready)."""

    stage: StageGap | None
    class_: ClassGap | None = Field(alias="class")
    exit: ExitGap | None


class Target(_Frozen):
    """What next steps aim for: a stage, a class, or exit."""

    kind: Literal["stage", "class", "exit"]
    id: str
    label: Text


class Change(_Frozen):
    """A change to one actionable field: from ``before`` to ``after``."""

    field: str
    label: Text
    before: Any
    after: Any
    unit: str | None = None
    display: Display = "number"


class Step(_Frozen):
    """One step: the changes that meet ``criterion`` (or raise its points), with its
    advice. ``meets`` lists the criteria the changes make met; ``points`` is what
    the step adds to the score, given the other steps."""

    criterion: str
    label: Text
    changes: list[Change]
    meets: list[str]
    points: float
    advice: Text | None


BlockerKind = Literal["record_first", "not_actionable", "against_direction",
                      "out_of_bounds", "no_solution", "points", "not_verified"]


class Blocker(_Frozen):
    """Why no actionable path reaches the target (or part of it)."""

    kind: BlockerKind
    criterion: str | None
    fields: list[str]
    message: Text


class ResultSummary(_Frozen):
    """The result once the steps are applied, from scoring the changed record."""

    stage: str | None
    class_: str | None = Field(alias="class")
    score: float
    exit_ready: bool | None


class NextSteps(_Frozen):
    """The smallest set of changes found that lifts the group to ``target``.

    ``reachable`` is true only when scoring the record with every change applied
    reaches the target (``result`` is that score). Otherwise ``blockers`` say why,
    and ``steps`` still lists what the group can already do.
    """

    target: Target
    already_reached: bool
    reachable: bool
    steps: list[Step]
    blockers: list[Blocker]
    record_first: list[str] = Field(
        description="Fields to record before the target can be judged.")
    result: ResultSummary | None


class Explanation(_Frozen):
    """Why a group got its result, and what it can do next."""

    ruleset: RulesetStamp
    subject: Text = Field(description="What is assessed, as the ruleset names it.")
    group_id: str | None
    row: int | None = Field(
        default=None, exclude_if=lambda v: v is None,
        description="The sheet row the group was read from, when it was.")
    stage: str | None
    stage_upper: str | None
    class_: str | None = Field(alias="class")
    class_upper: str | None
    score: float
    score_upper: float
    max_score: float
    exit_ready: bool | None
    stages: list[Level]
    classes: list[Level]
    points: list[PointsLine] = Field(
        description="Points by stage, or by criterion when there are no stages.")
    reasons: list[Reason]
    not_applicable: list[NotApplicable] = Field(
        description="Criteria that do not apply to this group.")
    gaps: Gaps
    next_stage: NextSteps | None
    next_class: NextSteps | None
    inputs: list[Value]
    derived: list[Value]
    issues: list[ProblemField]
    labels: dict[str, Text] = Field(
        description="Labels of the criteria named in gaps and steps.")

    def label_of(self, kind: Literal["stage", "class"], level_id: str | None,
                 lang: str = "id") -> str | None:
        """The label of a stage or class id in ``lang`` (``None`` for ``None``)."""
        if level_id is None:
            return None
        levels = self.stages if kind == "stage" else self.classes
        for lv in levels:
            if lv.id == level_id:
                return lv.label.get(lang)
        return level_id
