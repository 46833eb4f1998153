"""A group's stages over time as a stream of updates sees them, for
:class:`~kematangan.monitor.GroupMonitor`: one step per change of level or class.

The level follows :mod:`kematangan.trajectory.track`: the stage when certain; when
missing data leaves it undetermined, the level before, as long as the group could
still be there. Steps are kept as JSON-ready data, so a monitor's state keeps them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kematangan.criteria.periods import month_index

__all__ = ["LevelChange", "Steps"]


@dataclass(frozen=True, slots=True)
class LevelChange:
    """From ``at`` on, the group was at ``level`` (a stage id or ``None``) and in
    ``class_``."""

    at: dt.datetime
    level: str | None
    class_: str | None


class Steps:
    """A group's steps, oldest first, the most recent ``limit`` kept.

    Examples
    --------
    >>> ladder = ("growth", "strengthening")
    >>> steps = Steps()
    >>> t0, t1 = dt.datetime(2023, 3, 31), dt.datetime(2024, 6, 30)
    >>> steps.record(t0, "growth", "growth", "a", ladder)
    True
    >>> steps.record(t1, None, "strengthening", "a", ladder)  # data missing
    False
    >>> steps.level, steps.months(t1)
    ('growth', 15)
    """

    def __init__(self, steps: Sequence[LevelChange] = (), *,
                 limit: int = 1000) -> None:
        self.limit = limit
        self.steps: list[LevelChange] = list(steps)[-limit:]

    @property
    def level(self) -> str | None:
        """The current level (``None`` before the first step)."""
        return self.steps[-1].level if self.steps else None

    def since(self) -> dt.datetime | None:
        """When the current stay at the level began (as far as the kept steps go)."""
        if not self.steps:
            return None
        at = self.steps[-1].at
        for step in reversed(self.steps):
            if step.level != self.level:
                break
            at = step.at
        return at

    def months(self, at: dt.datetime) -> int:
        """Months from the start of the current stay to ``at``."""
        since = self.since()
        return 0 if since is None else month_index(at.date()) - month_index(
            since.date())

    def record(self, at: dt.datetime, stage: str | None, stage_upper: str | None,
               class_: str | None, ladder: Sequence[str]) -> bool:
        """Add the state of an update at ``at``; whether the level or class changed.

        ``stage``/``stage_upper`` are the stage reached for certain and the highest
        possible; ``ladder`` is the ruleset's stage ids, first to last.
        """
        rank = {sid: i for i, sid in enumerate(ladder)}
        low, high = rank.get(stage or "", -1), rank.get(stage_upper or "", -1)
        before = rank.get(self.level or "", -1) if self.steps else low
        level = stage if low == high or not low <= before <= high else (
            ladder[before] if before >= 0 else None)
        if self.steps and (level, class_) == (self.level, self.steps[-1].class_):
            return False
        self.steps.append(LevelChange(at, level, class_))
        del self.steps[:-self.limit]
        return True

    def to_json(self) -> list[dict[str, Any]]:
        """The steps as JSON-ready data."""
        return [{"at": s.at.isoformat(), "level": s.level, "class": s.class_}
                for s in self.steps]

    @classmethod
    def from_json(cls, data: Sequence[Mapping[str, Any]], *, limit: int = 1000
                  ) -> Steps:
        """The steps of :meth:`to_json`.

        Examples
        --------
        >>> steps = Steps([LevelChange(dt.datetime(2024, 1, 1), "growth", None)])
        >>> Steps.from_json(steps.to_json()).steps == steps.steps
        True
        """
        return cls([LevelChange(dt.datetime.fromisoformat(d["at"]), d["level"],
                                d["class"]) for d in data], limit=limit)
