"""What scoring a history gives: :class:`Trajectories`, columnar over group-periods,
and per-group views built from it on demand (:class:`GroupHistory`,
:class:`Regression`, :class:`Stagnation`).

Rows are sorted by group id, then period. Arrays are per row; group-level arrays
(``last``, ``first_at`` ...) are per group, in the order of ``groups``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria.periods import Cadence, Period
from kematangan.criteria.ruleset import Ruleset, Text
from kematangan.problems import Problem
from kematangan.scoring import BatchResult
from kematangan.trajectory.rules import TrackRules
from kematangan.trajectory.track import Track

__all__ = ["GroupHistory", "PeriodEntry", "Regression", "Scored", "Stagnation",
           "Trajectories"]

I16 = npt.NDArray[np.int16]
I64 = npt.NDArray[np.int64]
ABSENT = -2
"""The outcome of a criterion the ruleset of that period does not have."""
_BOOL = {1: True, 0: False, -1: None}


@dataclass(frozen=True)
class Scored:
    """Per-row scoring results of a history, whatever ruleset scored each row.

    ``ruleset`` indexes ``rulesets``; ``outcomes`` is ``[criterion, row]`` over
    ``criterion_ids`` (every ruleset's criteria), :data:`ABSENT` where the row's
    ruleset has no such criterion; ``formed`` is the formation year (NaN: none).
    """

    rulesets: tuple[Ruleset, ...]
    ruleset: npt.NDArray[np.int8]
    stage: I16
    stage_upper: I16
    class_: I16
    class_upper: I16
    exit_ready: npt.NDArray[np.int8]
    score: npt.NDArray[np.float64]
    max_score: npt.NDArray[np.float64]
    outcomes: npt.NDArray[np.int8]
    criterion_ids: tuple[str, ...]
    formed: npt.NDArray[np.float64]

    @classmethod
    def assemble(cls, used: Sequence[Ruleset], n: int,
                 parts: Sequence[tuple[npt.NDArray[np.intp], BatchResult]],
                 primary: Ruleset) -> Scored:
        """Join the batches of each ruleset (``parts``: the rows each scored)."""
        ids: dict[str, int] = {}
        for rs in (primary, *used):
            for c in rs.criteria:
                ids.setdefault(c.id, len(ids))
        formation = primary.history.formation_field if primary.history else None
        out = {name: np.full(n, -1, dtype=np.int16) for name in
               ("stage", "stage_upper", "class_", "class_upper")}
        ruleset = np.zeros(n, dtype=np.int8)
        exit_ready = np.full(n, -1, dtype=np.int8)
        score = np.zeros(n)
        max_score = np.zeros(n)
        formed = np.full(n, np.nan)
        outcomes = np.full((len(ids), n), ABSENT, dtype=np.int8)
        for k, (local, batch) in enumerate(parts):
            raw, plan = batch.raw, batch.plan
            ruleset[local] = k
            for name in out:
                out[name][local] = getattr(raw, name)
            exit_ready[local] = raw.exit_ready
            score[local] = raw.score
            max_score[local] = plan.max_score
            rows = np.array([ids[c] for c in plan.criterion_ids], dtype=np.intp)
            outcomes[np.ix_(rows, local)] = raw.outcomes
            if formation is not None and formation in plan.value_ids:
                formed[local] = _year(raw.columns[plan.value_index(formation)],
                                      used[k].field(formation).type)
        return cls(tuple(used), ruleset, out["stage"], out["stage_upper"],
                   out["class_"], out["class_upper"], exit_ready, score, max_score,
                   outcomes, tuple(ids), formed)

    def take(self, order: npt.NDArray[np.intp]) -> Scored:
        """The rows in ``order``."""
        return dataclasses.replace(self, **{
            f.name: getattr(self, f.name)[..., order] for f in dataclasses.fields(self)
            if f.name not in ("rulesets", "criterion_ids")})


def _year(values: npt.NDArray[np.float64], kind: str) -> npt.NDArray[np.float64]:
    if kind != "date":
        return values
    known = ~np.isnan(values)
    years = np.full(len(values), np.nan)
    days = values[known].astype(np.int64).astype("M8[D]")
    years[known] = days.astype("M8[Y]").astype(np.int64) + 1970
    return years


@dataclass(frozen=True)
class Regression:
    """A group's stage or class certainly lower than at its assessment before
    (``previous``: the latest earlier one whose stage, or class, is known).

    ``lost`` names what was lost (``stage``, ``class`` or both); ``criteria`` were
    met at ``previous`` and are not met at ``period``; ``rulesets`` are the
    rulesets of the two periods (different when the scheme changed between them).
    """

    group: str
    period: str
    previous: str
    lost: tuple[str, ...]
    stage_before: str | None
    stage_after: str | None
    class_before: str | None
    class_after: str | None
    criteria: tuple[str, ...]
    rulesets: tuple[str, str]

    @property
    def scheme_changed(self) -> bool:
        """Whether another ruleset scored the period before."""
        return self.rulesets[0] != self.rulesets[1]


@dataclass(frozen=True)
class Stagnation:
    """A group at ``stage`` since ``since`` for ``months`` months, more than the
    stage's ``limit``; ``message`` is the ruleset's, see :meth:`text`."""

    group: str
    stage: str
    stage_label: Text
    since: str
    months: int
    limit: int
    message: Text

    def text(self, lang: str = "id") -> str:
        """The ruleset's message with its names filled in.

        Examples
        --------
        >>> s = Stagnation("KSM-01", "growth", Text(id="Penumbuhan", en="Growth"),
        ...                "2023Q1", 15, 12, Text(id="{stage} {months} bulan",
        ...                                       en="{stage} for {months} months"))
        >>> s.text("en")
        'Growth for 15 months'
        """
        return self.message.get(lang).format(
            stage=self.stage_label.get(lang), months=self.months, limit=self.limit,
            since=self.since)


@dataclass(frozen=True)
class PeriodEntry:
    """One assessment in a group's history (see :class:`GroupHistory`).

    ``exit_ready`` is the snapshot's; ``exit_ready_track`` adds the track record
    the ruleset's history section asks for. ``missing_before`` counts periods
    without an assessment since the one before.
    """

    period: str
    date: str
    ruleset: str
    stage: str | None
    stage_upper: str | None
    class_: str | None
    class_upper: str | None
    score: float
    max_score: float
    exit_ready: bool | None
    exit_ready_track: bool | None
    months_in_stage: int
    stagnating: bool
    missing_before: int
    regression: Regression | None
    row: int
    file: str | None


@dataclass(frozen=True)
class GroupHistory:
    """One group's history: its assessments, oldest first, and what they show.

    ``stage``, ``class_``, ``since`` (the first period of the current stay),
    ``months_in_stage``, ``exit_ready`` (on the track record) and ``stagnation``
    are read at the latest assessment; ``gaps`` are the periods without one, from
    the first to the latest period in the data.
    """

    group: str
    entries: list[PeriodEntry]
    stage: str | None
    class_: str | None
    since: str
    months_in_stage: int
    first_at: dict[str, str]
    gaps: list[str]
    regressions: list[Regression]
    stagnation: Stagnation | None
    exit_ready: bool | None
    exit_held_periods: int
    exit_held_months: int
    formed: int | None = None


@dataclass(frozen=True, eq=False)
class Trajectories:
    """Scored histories of many groups (see :func:`~kematangan.trajectory.score_history`).

    ``groups`` are the group ids, sorted; per row (sorted by group, then period):
    ``group`` (index into ``groups``), ``ordinal`` (the period, see
    :class:`~kematangan.criteria.periods.Period`), ``month`` and ``day`` (of the
    assessment), ``row`` and ``file`` (where it was read), ``scored`` and
    ``track``. ``problems`` lists the rows that could not be placed and the
    values that could not be used; ``rows_in`` counts every input row.
    """

    rulesets: tuple[Ruleset, ...]
    rules: TrackRules
    cadence: Cadence
    cadence_from: str
    groups: npt.NDArray[np.object_]
    group: I64
    ordinal: I64
    month: I64
    day: npt.NDArray[np.datetime64]
    row: I64
    file: npt.NDArray[np.object_]
    scored: Scored
    track: Track
    problems: tuple[Problem, ...]
    rows_in: int

    def __len__(self) -> int:
        return int(self.group.shape[0])

    @property
    def ruleset(self) -> Ruleset:
        """The ruleset whose labels and history section govern (the first given)."""
        return self.rulesets[0]

    @property
    def stage_ids(self) -> tuple[str, ...]:
        """The stages, first to last."""
        return tuple(s.id for s in self.ruleset.stages)

    @property
    def class_ids(self) -> tuple[str, ...]:
        """The classes, lowest to highest."""
        return tuple(k.id for k in self.ruleset.classes)

    def label(self, ordinal: int) -> str:
        """The label of period number ``ordinal`` (``2024Q3``)."""
        return Period.of(int(ordinal), self.cadence).label

    @cached_property
    def starts(self) -> I64:
        """Each group's first row."""
        return np.flatnonzero(self.track.first).astype(np.int64)

    @cached_property
    def last(self) -> I64:
        """Each group's latest row."""
        if not len(self):
            return np.zeros(0, dtype=np.int64)
        return np.append(self.starts[1:], len(self)).astype(np.int64) - 1

    @cached_property
    def latest(self) -> int:
        """The latest period in the data (its ordinal; -1 when there is none)."""
        return int(self.ordinal.max()) if len(self) else -1

    def periods(self) -> list[str]:
        """Every period with an assessment, oldest first."""
        return [self.label(o) for o in np.unique(self.ordinal).tolist()]

    @cached_property
    def _index(self) -> dict[str, int]:
        return {g: i for i, g in enumerate(self.groups.tolist())}

    def group_rows(self, group_id: str) -> range:
        """The rows of one group (``KeyError`` for a group not in the data)."""
        g = self._index[group_id]
        return range(int(self.starts[g]), int(self.last[g]) + 1)

    @cached_property
    def first_at(self) -> I64:
        """``[group, stage]``: the ordinal of the first period at each stage (-1:
        never at it)."""
        out = np.full((len(self.groups), len(self.stage_ids)), -1, dtype=np.int64)
        for k in range(len(self.stage_ids)):
            at = np.flatnonzero(self.scored.stage == k)
            groups, first = np.unique(self.group[at], return_index=True)
            out[groups, k] = self.ordinal[at[first]]
        return out

    @cached_property
    def missing(self) -> I64:
        """Per group: periods without an assessment, from its first to the latest."""
        first = self.ordinal[self.starts]
        return (self.latest - first + 1) - (self.last - self.starts + 1)

    @cached_property
    def formed(self) -> npt.NDArray[np.float64]:
        """Per group: the formation year at its latest assessment that has one."""
        valid = np.where(np.isnan(self.scored.formed), -1, np.arange(len(self)))
        if not len(self):
            return np.zeros(0)
        at = np.maximum.reduceat(valid, self.starts)
        return np.where(at >= 0, self.scored.formed[np.maximum(at, 0)], np.nan)

    def _name(self, ids: tuple[str, ...], index: int) -> str | None:
        return ids[index] if index >= 0 else None

    def regression_at(self, i: int) -> Regression | None:
        """The regression at row ``i``, if its stage or class was lost there."""
        t = self.track
        if not (t.stage_lost[i] or t.class_lost[i]):
            return None
        return self.regressions(np.array([i]))[0]

    def regressions(self, rows: npt.NDArray[np.intp] | None = None
                    ) -> list[Regression]:
        """Every regression (or those at ``rows``, rows with one), by group, then
        period; built from arrays, one object per regression."""
        t, s = self.track, self.scored
        if rows is None:
            rows = np.flatnonzero(t.stage_lost | t.class_lost)
        # Compared with the latest earlier assessment whose stage (class) is known.
        j = np.where(t.stage_lost[rows], t.stage_before[rows], t.class_before[rows])
        k = np.where(t.class_lost[rows], t.class_before[rows], j)
        caused = (s.outcomes[:, j] == 1) & (s.outcomes[:, rows] == 0)
        criteria: list[list[str]] = [[] for _ in range(len(rows))]
        for c, r in zip(*np.nonzero(caused), strict=True):
            criteria[r].append(s.criterion_ids[c])
        stages = np.array([*self.stage_ids, None], dtype=object)
        classes = np.array([*self.class_ids, None], dtype=object)
        ruleset_ids = np.array([r.id for r in s.rulesets], dtype=object)
        labels = {o: self.label(o) for o in np.unique(self.ordinal).tolist()}
        lost = [tuple(w for w, flag in (("stage", a), ("class", b)) if flag)
                for a, b in zip(t.stage_lost[rows].tolist(),
                                t.class_lost[rows].tolist(), strict=True)]
        columns = zip(
            self.groups[self.group[rows]].tolist(), self.ordinal[rows].tolist(),
            self.ordinal[j].tolist(), lost, stages[s.stage[j]].tolist(),
            stages[s.stage[rows]].tolist(), classes[s.class_[k]].tolist(),
            classes[s.class_[rows]].tolist(), criteria,
            ruleset_ids[s.ruleset[j]].tolist(), ruleset_ids[s.ruleset[rows]].tolist(),
            strict=True)
        return [Regression(group=g, period=labels[o], previous=labels[p], lost=w,
                           stage_before=sb, stage_after=sa, class_before=cb,
                           class_after=ca, criteria=tuple(cr), rulesets=(rb, ra))
                for g, o, p, w, sb, sa, cb, ca, cr, rb, ra in columns]

    def stagnation_at(self, i: int) -> Stagnation | None:
        """The stagnation at row ``i``, if the group was stagnating there."""
        if not self.track.stagnating[i]:
            return None
        k = int(self.scored.stage[i])
        message = self.rules.stagnation_messages[k]
        assert message is not None
        return Stagnation(
            group=str(self.groups[self.group[i]]), stage=self.stage_ids[k],
            stage_label=self.ruleset.stages[k].label,
            since=self.label(self.ordinal[self.track.stay_start[i]]),
            months=int(self.track.months_in_stage[i]),
            limit=int(self.rules.stagnation_months[k]), message=message)

    def stagnating(self) -> list[Stagnation]:
        """The groups stagnating at their latest assessment, by group."""
        return [s for i in self.last[self.track.stagnating[self.last]].tolist()
                if (s := self.stagnation_at(i)) is not None]

    def entry(self, i: int) -> PeriodEntry:
        """Row ``i`` as a :class:`PeriodEntry`."""
        s, t = self.scored, self.track
        return PeriodEntry(
            period=self.label(self.ordinal[i]), date=str(self.day[i]),
            ruleset=s.rulesets[s.ruleset[i]].id,
            stage=self._name(self.stage_ids, s.stage[i]),
            stage_upper=self._name(self.stage_ids, s.stage_upper[i]),
            class_=self._name(self.class_ids, s.class_[i]),
            class_upper=self._name(self.class_ids, s.class_upper[i]),
            score=float(s.score[i]), max_score=float(s.max_score[i]),
            exit_ready=_BOOL[int(s.exit_ready[i])],
            exit_ready_track=_BOOL[int(t.exit_ready[i])],
            months_in_stage=int(t.months_in_stage[i]),
            stagnating=bool(t.stagnating[i]), missing_before=int(t.missing_before[i]),
            regression=self.regression_at(i), row=int(self.row[i]),
            file=self.file[i])

    def history(self, group_id: str) -> GroupHistory:
        """One group's history (``KeyError`` for a group not in the data)."""
        rows = self.group_rows(group_id)
        g, last = self._index[group_id], rows[-1]
        entries = [self.entry(i) for i in rows]
        present = set(self.ordinal[rows.start:rows.stop].tolist())
        gaps = [self.label(o) for o in range(int(self.ordinal[rows.start]),
                                             self.latest + 1) if o not in present]
        formed = self.formed[g]
        return GroupHistory(
            group=group_id, entries=entries, stage=entries[-1].stage,
            class_=entries[-1].class_,
            since=self.label(self.ordinal[self.track.stay_start[last]]),
            months_in_stage=entries[-1].months_in_stage,
            first_at={sid: self.label(o) for sid, o in
                      zip(self.stage_ids, self.first_at[g].tolist(), strict=True)
                      if o >= 0},
            gaps=gaps,
            regressions=[e.regression for e in entries if e.regression is not None],
            stagnation=self.stagnation_at(last),
            exit_ready=entries[-1].exit_ready_track,
            exit_held_periods=int(self.track.held_periods[last]),
            exit_held_months=int(self.track.held_months[last]),
            formed=None if np.isnan(formed) else int(formed))

    def summary(self) -> dict[str, Any]:
        """Counts: rows in and placed, groups, periods, regressions, stagnating and
        exit-ready groups (at their latest assessment), rows not placed.

        Examples
        --------
        >>> from kematangan.trajectory import score_history
        >>> t = score_history([{"group_id": "A", "period": "2024Q1", "members": 3}],
        ...                   "ppmk-ksm")
        >>> t.summary()["groups"], t.summary()["periods"]
        (1, ['2024Q1'])
        """
        t, last = self.track, self.last
        return {
            "rows": self.rows_in, "assessments": len(self),
            "groups": len(self.groups), "periods": self.periods(),
            "cadence": self.cadence,
            "rulesets": [f"{r.id} {r.version}" for r in self.rulesets],
            "regressions": int((t.stage_lost | t.class_lost).sum()),
            "stagnating": int(t.stagnating[last].sum()),
            "exit_ready": int((t.exit_ready[last] == 1).sum()),
            "groups_with_gaps": int((self.missing > 0).sum()),
            "rows_not_placed": self.rows_in - len(self),
        }
