"""The events of :class:`~kematangan.monitor.GroupMonitor`: typed, frozen,
JSON-ready; ``event.type`` tells which (see :mod:`kematangan.monitor`)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field

from kematangan.criteria.ruleset import Text
from kematangan.scoring import RulesetRef

__all__ = [
    "BecameExitReady",
    "ClassChanged",
    "DataBecameUnknown",
    "GateFailed",
    "MonitorEvent",
    "NoLongerExitReady",
    "Regressed",
    "StageLost",
    "StageReached",
    "Stagnating",
    "Subscriber",
    "SubscriberError",
]



class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    group_id: str
    changed: tuple[str, ...] = Field(
        description="Criteria whose outcome changed in the update, by id.")
    ruleset: RulesetRef
    at: _dt.datetime = Field(description="When the update happened (UTC).")


class StageReached(_Event):
    """The stage reached for certain went up (``before`` is lower or ``None``)."""

    type: Literal["stage_reached"] = "stage_reached"
    before: str | None
    after: str


class StageLost(_Event):
    """The stage reached for certain went down (``after`` may be ``None``)."""

    type: Literal["stage_lost"] = "stage_lost"
    before: str
    after: str | None


class ClassChanged(_Event):
    """The class changed (either side may be ``None``: no class)."""

    type: Literal["class_changed"] = "class_changed"
    before: str | None
    after: str | None


class GateFailed(_Event):
    """A gate of ``stage`` became not met (``before``: its outcome, or ``None``)."""

    type: Literal["gate_failed"] = "gate_failed"
    criterion: str
    stage: str
    before: str | None
    after: str


class BecameExitReady(_Event):
    """Exit readiness became true (``before``: false, unknown, or no data)."""

    type: Literal["became_exit_ready"] = "became_exit_ready"
    before: bool | None
    after: bool


class NoLongerExitReady(_Event):
    """Exit readiness was true and is now false, or unknown (``None``)."""

    type: Literal["no_longer_exit_ready"] = "no_longer_exit_ready"
    before: bool
    after: bool | None


class DataBecameUnknown(_Event):
    """A criterion's outcome went from met or not met to unknown (missing data)."""

    type: Literal["data_became_unknown"] = "data_became_unknown"
    criterion: str
    before: str
    after: str


class Regressed(_Event):
    """The stage or class is certainly below the update before (``lost``:
    ``stage``, ``class`` or both); ``criteria`` were met before and are not now."""

    type: Literal["regressed"] = "regressed"
    lost: tuple[Literal["stage", "class"], ...]
    before: str | None
    after: str | None
    class_before: str | None
    class_after: str | None
    criteria: tuple[str, ...]


class Stagnating(_Event):
    """The group stayed at its stage (``before`` and ``after``), where it has been
    since ``since``: ``months`` months, now more than the stage's ``limit``.
    ``message`` is the ruleset's, its names filled in."""

    type: Literal["stagnating"] = "stagnating"
    before: str
    after: str
    since: _dt.datetime
    months: int
    limit: int
    message: Text


MonitorEvent: TypeAlias = (StageReached | StageLost | ClassChanged | GateFailed
                           | BecameExitReady | NoLongerExitReady | DataBecameUnknown
                           | Regressed | Stagnating)
"""Any monitor event; ``event.type`` tells which."""

Subscriber: TypeAlias = Callable[[MonitorEvent], object]


@dataclass(frozen=True, slots=True)
class SubscriberError:
    """A subscriber raised: which one, on which event, and what it raised."""

    subscriber: str
    event: MonitorEvent
    error: str
