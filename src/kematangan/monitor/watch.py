"""The :class:`GroupMonitor`: many groups' facts, re-scored one update at a time,
with typed events (see :mod:`kematangan.monitor` for what each event means)."""

from __future__ import annotations

import datetime as _dt
import decimal
import math
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np

from kematangan.criteria.ruleset import Ruleset, Text
from kematangan.errors import InputError
from kematangan.monitor.events import (
    BecameExitReady,
    ClassChanged,
    DataBecameUnknown,
    GateFailed,
    MonitorEvent,
    NoLongerExitReady,
    Regressed,
    StageLost,
    StageReached,
    Stagnating,
    Subscriber,
    SubscriberError,
)
from kematangan.scoring import Assessment, EngineName, RulesetRef, Scorer
from kematangan.trajectory import (
    LevelChange,
    Stagnation,
    Steps,
    lost_criteria,
    track_rules,
)

__all__ = ["STATE_FORMAT", "GroupMonitor"]

STATE_FORMAT: Final = "kematangan-monitor/2"
"""The ``format`` tag of :meth:`GroupMonitor.export_state` (``/1``, without steps,
is still restored)."""


# ---------------------------------------------------------------------- state


@dataclass(slots=True)
class _Group:
    facts: dict[str, Any]
    assessment: Assessment
    updated_at: _dt.datetime
    steps: Steps


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return False


def _plain(value: Any) -> Any:
    """numpy scalars as Python values, so that state is JSON-friendly."""
    if isinstance(value, np.datetime64):
        return value
    if isinstance(value, np.generic):
        return value.item()
    return value


def _to_json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, _dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, _dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, np.datetime64):
        return {"$datetime64": str(value)}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    return {"$str": str(value)}


def _from_json(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    ((tag, text),) = value.items()
    if tag == "$float":
        return float(text)
    if tag == "$datetime":
        return _dt.datetime.fromisoformat(text)
    if tag == "$date":
        return _dt.date.fromisoformat(text)
    if tag == "$datetime64":
        return np.datetime64(text)
    if tag == "$decimal":
        return decimal.Decimal(text)
    if tag == "$str":
        return str(text)
    raise InputError(f"unknown tagged value {value!r} in monitor state")


def _utc(at: _dt.datetime | None) -> _dt.datetime:
    if at is None:
        return _dt.datetime.now(_dt.UTC)
    if at.tzinfo is None or at.utcoffset() is None:
        return at.replace(tzinfo=_dt.UTC)
    return at.astimezone(_dt.UTC)


class GroupMonitor:
    """Current facts of many groups; an update re-scores one group and emits events.

    Parameters
    ----------
    scorer_or_ruleset
        A :class:`~kematangan.scoring.scorer.Scorer` (used as is), or what
        :class:`Scorer` accepts: a :class:`Ruleset`, a YAML path or a bundled id.
    engine
        ``"numpy"`` or ``"durable"`` when a ruleset is given; ``None`` keeps a
        given scorer's engine (or uses ``"numpy"``).
    max_queued
        Events kept for :meth:`events`; the oldest are dropped beyond it (counted
        in :attr:`dropped_events`). Subscribers see every event.

    Notes
    -----
    Thread-safe: every method takes one reentrant lock. Subscribers are called
    under it, in subscription order, after the group's new state is stored; a
    subscriber may call the monitor (its events are delivered after the current
    ones, so every subscriber sees one order). A subscriber that raises is
    recorded in :attr:`subscriber_errors` and the others still run. Keys of an
    update that are not fields of the ruleset are ignored, as :meth:`Scorer.score`
    ignores them.
    """

    def __init__(self, scorer_or_ruleset: Scorer | Ruleset | str | os.PathLike[str],
                 engine: EngineName | None = None, *, max_queued: int = 100_000) -> None:
        if isinstance(scorer_or_ruleset, Scorer):
            scorer = scorer_or_ruleset
            if engine is not None and engine != scorer.engine:
                raise ValueError(f"the scorer uses engine {scorer.engine!r}, not "
                                 f"{engine!r}; pass a ruleset to choose the engine")
        else:
            scorer = Scorer(scorer_or_ruleset, engine=engine or "numpy")
        self.scorer: Scorer = scorer
        plan = scorer.plan
        self._fields = frozenset(f.id for f in plan.fields)
        self._ref = RulesetRef(id=plan.ruleset_id, version=plan.version,
                               hash=plan.content_hash)
        self._gates = [(plan.criteria[c].id, plan.stage_ids[s])
                       for s, gates in enumerate(plan.stage_gates) for c in gates]
        self._stage_rank = {sid: i for i, sid in enumerate(plan.stage_ids)}
        self._criteria = plan.criterion_ids
        self._classes = {cid: i for i, cid in enumerate(plan.class_ids)}
        self._rules = track_rules(scorer.ruleset)
        self._groups: dict[str, _Group] = {}
        self._lock = threading.RLock()
        self._subscribers: list[Subscriber] = []
        self._queue: deque[MonitorEvent] = deque(maxlen=max_queued)
        self._pending: deque[MonitorEvent] = deque()
        self._delivering = False
        self._dropped = 0
        self._errors: deque[SubscriberError] = deque(maxlen=1000)

    # ---------------------------------------------------------------- reading

    @property
    def ruleset(self) -> RulesetRef:
        """The ruleset the monitor scores with."""
        return self._ref

    def __len__(self) -> int:
        return len(self._groups)

    def __contains__(self, group_id: object) -> bool:
        return group_id in self._groups

    def group_ids(self) -> list[str]:
        """The monitored groups, in the order they were first updated."""
        with self._lock:
            return list(self._groups)

    def facts(self, group_id: str) -> dict[str, Any]:
        """A copy of a group's current facts (``KeyError`` if not monitored)."""
        with self._lock:
            return dict(self._groups[group_id].facts)

    def assessment(self, group_id: str) -> Assessment:
        """A group's current assessment (``KeyError`` if not monitored)."""
        with self._lock:
            return self._groups[group_id].assessment

    def history(self, group_id: str) -> list[LevelChange]:
        """A group's steps, oldest first: its level and class at each change
        (``KeyError`` if not monitored)."""
        with self._lock:
            return list(self._groups[group_id].steps.steps)

    @property
    def subscriber_errors(self) -> list[SubscriberError]:
        """Errors raised by subscribers (the last 1000)."""
        with self._lock:
            return list(self._errors)

    @property
    def dropped_events(self) -> int:
        """Events dropped from the :meth:`events` queue because it was full."""
        return self._dropped

    # ---------------------------------------------------------------- updates

    def update(self, group_id: str, changes: Mapping[str, Any],
               at: _dt.datetime | None = None) -> list[MonitorEvent]:
        """Merge ``changes`` into a group's facts, re-score it, emit the events.

        A value of ``None`` (or NaN, NaT) removes the fact: it becomes missing.
        ``at`` is the time of the update (default: now; a naive datetime is taken
        as UTC). Returns the events of this update (also delivered and queued).
        """
        if not isinstance(changes, Mapping):
            raise InputError(f"changes must be a mapping of field to value, got "
                             f"{type(changes).__name__}",
                             fix="pass a dict such as {'members': 12}")
        gid = str(group_id)
        when = _utc(at)
        with self._lock:
            old = self._groups.get(gid)
            facts = dict(old.facts) if old is not None else {}
            for key, value in changes.items():
                if key not in self._fields:
                    continue
                if _missing(value):
                    facts.pop(key, None)
                else:
                    facts[key] = _plain(value)
            new = self.scorer.score(facts, group_id=gid)
            before = ({cid: r.outcome.value for cid, r in
                       old.assessment.outcomes.items()} if old is not None else {})
            common = {"group_id": gid, "ruleset": self._ref, "at": when,
                      "changed": tuple(sorted(c for c in self._criteria if before.get(
                          c) != new.outcomes[c].outcome.value))}
            events = self._diff(old.assessment if old is not None else None, new,
                                before, common)
            steps = old.steps if old is not None else Steps()
            events += self._track(steps, old, new, before, common)
            self._groups[gid] = _Group(facts, new, when, steps)
            self._emit(events)
            return events

    def remove(self, group_id: str) -> bool:
        """Stop monitoring a group; ``False`` if it was not monitored."""
        with self._lock:
            return self._groups.pop(str(group_id), None) is not None

    # ------------------------------------------------------------- delivery

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(event)`` for every future event; returns unsubscribe."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def events(self) -> Iterator[MonitorEvent]:
        """Yield queued events, oldest first, until the queue is empty."""
        while True:
            with self._lock:
                if not self._queue:
                    return
                event = self._queue.popleft()
            yield event

    def _emit(self, events: list[MonitorEvent]) -> None:
        for event in events:
            if len(self._queue) == self._queue.maxlen:
                self._dropped += 1
            self._queue.append(event)
        self._pending.extend(events)
        if self._delivering:
            return  # a subscriber is updating: the outer loop delivers these
        self._delivering = True
        try:
            while self._pending:
                event = self._pending.popleft()
                for callback in list(self._subscribers):
                    try:
                        callback(event)
                    except Exception as exc:
                        self._errors.append(SubscriberError(
                            repr(callback), event, f"{type(exc).__name__}: {exc}"))
        finally:
            self._delivering = False

    # ------------------------------------------------------------------ diff

    def _diff(self, old: Assessment | None, new: Assessment, before: dict[str, str],
              common: dict[str, Any]) -> list[MonitorEvent]:
        """The events of one update; ``before`` holds the outcomes before it and
        ``common`` what every event carries."""
        after = {cid: r.outcome.value for cid, r in new.outcomes.items()}
        out: list[MonitorEvent] = []
        old_stage = old.stage if old is not None else None
        rank = self._stage_rank
        old_rank = rank[old_stage] if old_stage is not None else -1
        new_rank = rank[new.stage] if new.stage is not None else -1
        if new_rank > old_rank:
            assert new.stage is not None
            out.append(StageReached(before=old_stage, after=new.stage, **common))
        elif new_rank < old_rank:
            assert old_stage is not None
            out.append(StageLost(before=old_stage, after=new.stage, **common))
        old_class = old.class_ if old is not None else None
        if old_class != new.class_:
            out.append(ClassChanged(before=old_class, after=new.class_, **common))
        for cid, stage in self._gates:
            if after[cid] == "not_met" and before.get(cid) != "not_met":
                out.append(GateFailed(criterion=cid, stage=stage,
                                      before=before.get(cid), after="not_met",
                                      **common))
        old_exit = old.exit_ready if old is not None else None
        if new.exit_ready is True and old_exit is not True:
            out.append(BecameExitReady(before=old_exit, after=True, **common))
        elif old_exit is True and new.exit_ready is not True:
            out.append(NoLongerExitReady(before=True, after=new.exit_ready, **common))
        for cid in common["changed"]:
            if after[cid] == "unknown" and before.get(cid) in ("met", "not_met"):
                out.append(DataBecameUnknown(criterion=cid, before=before[cid],
                                             after="unknown", **common))
        return out

    def _track(self, steps: Steps, old: _Group | None, new: Assessment,
               before: dict[str, str], common: dict[str, Any]) -> list[MonitorEvent]:
        """Regression against the update before, and stagnation of the stay (as
        :mod:`kematangan.trajectory.rules` defines them)."""
        out: list[MonitorEvent] = []
        if old is not None:
            a, stage, klass = old.assessment, self._stage_rank, self._classes
            fell: list[Literal["stage", "class"]] = []
            if stage.get(new.stage_upper or "", -1) < stage.get(a.stage or "", -1):
                fell.append("stage")
            if klass.get(new.class_upper or "", -1) < klass.get(a.class_ or "", -1):
                fell.append("class")
            lost = tuple(fell)
            if lost:
                after = {c: r.outcome.value for c, r in new.outcomes.items()}
                out.append(Regressed(
                    lost=lost, before=a.stage, after=new.stage,
                    class_before=a.class_, class_after=new.class_,
                    criteria=tuple(lost_criteria(before, after, self._criteria)),
                    **common))
        rules, at = self._rules, common["at"]
        level_before = steps.level
        months_before = steps.months(old.updated_at) if old is not None else 0
        steps.record(at, new.stage, new.stage_upper, new.class_, rules.stage_ids)
        k = self._stage_rank.get(steps.level or "", -1)
        months, since = steps.months(at), steps.since()
        if rules.stagnating(k, months, new.stage == new.stage_upper) and not (
                level_before == steps.level and rules.stagnating(k, months_before)):
            message = rules.stagnation_messages[k]
            assert steps.level is not None and message is not None and since
            said = Stagnation(common["group_id"], steps.level,
                              self.scorer.ruleset.stages[k].label,
                              since.date().isoformat(), months,
                              int(rules.stagnation_months[k]), message)
            out.append(Stagnating(
                before=said.stage, after=said.stage, since=since, months=months,
                limit=said.limit,
                message=Text(id=said.text("id"), en=said.text("en")), **common))
        return out

    # ---------------------------------------------------------------- state

    def export_state(self) -> dict[str, Any]:
        """The monitored groups' facts as JSON-ready data (see :meth:`restore`).

        Dates, datetimes, ``numpy.datetime64``, decimals and infinite floats are
        tagged (``{"$date": "2024-01-31"}``); any other non-JSON value is kept as
        its text (``{"$str": ...}``). Subscribers and queued events are not state.
        """
        with self._lock:
            return {
                "format": STATE_FORMAT,
                "ruleset": self._ref.model_dump(),
                "engine": self.scorer.engine,
                "groups": {
                    gid: {"facts": {k: _to_json(v) for k, v in g.facts.items()},
                          "updated_at": g.updated_at.isoformat(),
                          "steps": g.steps.to_json()}
                    for gid, g in self._groups.items()
                },
            }

    @classmethod
    def restore(cls, state: Mapping[str, Any],
                scorer: Scorer | Ruleset | str | os.PathLike[str],
                engine: EngineName | None = None) -> GroupMonitor:
        """A monitor holding the groups of :meth:`export_state`, scored again.

        ``scorer`` is a :class:`Scorer` or what it accepts; with a ruleset and no
        ``engine``, the engine recorded in the state is used. No event is emitted.

        Raises
        ------
        kematangan.errors.InputError
            When ``state`` is not a monitor state, or was made with another ruleset
            (id, version or content hash differ).
        """
        if state.get("format") not in (STATE_FORMAT, "kematangan-monitor/1"):
            raise InputError(f"not a monitor state (format {state.get('format')!r})",
                             fix="pass what GroupMonitor.export_state() returned")
        if engine is None and not isinstance(scorer, Scorer):
            engine = "durable" if state.get("engine") == "durable" else "numpy"
        monitor = cls(scorer, engine)
        ref = state.get("ruleset", {})
        if ref != monitor._ref.model_dump():
            raise InputError(
                f"the state was made with ruleset {ref.get('id')} "
                f"{ref.get('version')} (hash {ref.get('hash')}), not "
                f"{monitor._ref.id} {monitor._ref.version} (hash {monitor._ref.hash})",
                fix="restore with the ruleset the state was exported with")
        with monitor._lock:
            for gid, data in state["groups"].items():
                facts = {k: _from_json(v) for k, v in data["facts"].items()}
                a = monitor.scorer.score(facts, group_id=gid)
                at = _dt.datetime.fromisoformat(data["updated_at"])
                steps = Steps.from_json(data.get("steps") or [])
                if not steps.steps:  # a /1 state: the stay starts at its update
                    steps.record(at, a.stage, a.stage_upper, a.class_,
                                 monitor._rules.stage_ids)
                monitor._groups[gid] = _Group(facts, a, at, steps)
        return monitor

    def __repr__(self) -> str:
        return (f"<GroupMonitor {self._ref.id} {self._ref.version} "
                f"engine={self.scorer.engine!r}: {len(self._groups)} groups>")
