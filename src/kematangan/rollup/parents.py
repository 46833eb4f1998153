"""Score parents (a BKM/LKM) with a parent-level ruleset: their own data joined by
parent id, and their aggregate fields computed from a :class:`RollUp`.

An aggregate that missing member data leaves open is given to the parent ruleset as
missing (so the criteria reading it are unknown, never guessed) unless no value it
could take changes the parent's result (:mod:`kematangan.rollup.settle`); the
members whose data is missing are named in the parent's explanation
(:mod:`kematangan.rollup.held`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.catalogue import render
from kematangan.criteria.members import Aggregate, Members, parse_aggregate
from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError, RulesetError, suggest
from kematangan.io.values import parse_group_ids
from kematangan.problems import Problem
from kematangan.rollup.aggregate import RollUp, member_names
from kematangan.rollup.settle import settle
from kematangan.scoring import BatchResult, Plan, Scorer

__all__ = ["ParentResult", "ParentScorer"]


@dataclass(frozen=True, eq=False)
class ParentResult:
    """Parents scored with a parent-level ruleset.

    ``batch`` holds one record per parent: first those of the parent data, in its
    order, then those only member groups name, by id. ``rollup_index`` gives each
    parent's position in the roll-up (-1: no member groups), ``data_rows`` its row
    in the parent data (0: none). ``issues`` are the problems of joining the two
    (each with the parent as ``value``); the parents' own values that could not be
    used are in ``batch.issues``, at the parent's position (1 for the first).
    """

    batch: BatchResult
    rollup: RollUp
    rollup_index: npt.NDArray[np.int64]
    data_rows: npt.NDArray[np.int64]
    issues: tuple[Problem, ...]
    scorer: Scorer
    """The parent ruleset's scorer."""
    member: Ruleset
    """The members' ruleset."""
    aggregates: Mapping[str, Aggregate]
    settled: tuple[tuple[str, str], ...] = ()
    """(parent, field) of the open aggregates that cannot change the parent's
    result, given their lowest possible value (see :mod:`kematangan.rollup.settle`);
    the roll-up columns still show their bounds."""

    @property
    def members(self) -> Members:
        """The parent ruleset's ``members`` section."""
        section = self.scorer.ruleset.members
        assert section is not None
        return section

    def __len__(self) -> int:
        return len(self.batch)

    @property
    def parent_ids(self) -> npt.NDArray[np.object_]:
        """Each parent's id."""
        ids = self.batch.group_ids
        assert ids is not None
        return ids


class ParentScorer:
    """Scores parents with a parent-level ruleset whose ``members`` section names
    the ruleset ``member`` (the member groups' scorer, ruleset, file or bundled
    id).

    Raises
    ------
    RulesetError
        When the ruleset has no ``members`` section, names another member ruleset,
        or an aggregate names what the member ruleset does not have.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> from kematangan.rollup import roll_up
    >>> ksm = Scorer("ppmk-ksm")
    >>> batch = ksm.score_batch([{"group_id": "KSM-1", "arrears_instalments": 4},
    ...                          {"group_id": "KSM-2", "arrears_instalments": 0}])
    >>> parents = ParentScorer("bkm-lkm", ksm).score(roll_up(batch, ["B1", "B1"]))
    >>> parents.batch.value("ksm_penunggak_count"), parents.batch.stage.tolist()
    ([1], [None])
    """

    def __init__(self, ruleset: Ruleset | str | os.PathLike[str],
                 member: Scorer | Ruleset | str | os.PathLike[str]) -> None:
        self.scorer = Scorer(ruleset)
        members = member if isinstance(member, Scorer) else Scorer(member)
        plan = members.plan
        rs = self.scorer.ruleset
        if rs.members is None:
            raise RulesetError([Problem("parent_ruleset_no_members",
                                        {"ruleset": rs.id})])
        if plan.ruleset_id != rs.members.ruleset:
            raise RulesetError([Problem("member_ruleset_mismatch", {
                "ruleset": rs.id, "expected": rs.members.ruleset,
                "got": plan.ruleset_id})])
        names = member_names(plan)
        problems: list[Problem] = []
        aggregates: dict[str, Aggregate] = {}
        for fid, binding in rs.members.fields.items():
            try:
                aggregates[fid] = parse_aggregate(binding.aggregate, names)
            except RulesetError as err:
                problems += [replace(p, file=rs.id, path=f"members.fields.{fid}")
                             for p in err.problems]
        if problems:
            raise RulesetError(problems)
        self.members: Members = rs.members
        self.member: Ruleset = members.ruleset
        """The members' ruleset."""
        self.member_plan: Plan = plan
        self.aggregates: dict[str, Aggregate] = aggregates
        """Each aggregate field's aggregate."""

    def __repr__(self) -> str:
        rs = self.scorer.ruleset
        return f"ParentScorer({rs.id!r} {rs.version}, members {self.members.ruleset!r})"

    def score(self, rollup: RollUp, data: Mapping[str, Any] | None = None, *,
              ids: Sequence[Any] | npt.NDArray[Any] | None = None,
              rows: Sequence[int] | npt.NDArray[np.integer[Any]] | None = None
              ) -> ParentResult:
        """Score every parent of ``rollup``, with the parents' own ``data``
        (columns by field id, one row per parent) when given.

        ``ids`` gives each data row's parent id (by default the data's group-id
        column) and ``rows`` its row number as the user counts rows (1, 2, ...
        by default). A data row with a blank id is reported and not joined; a
        parent in the roll-up with no data row, and a data row with no member
        groups, are scored and reported (their own or their aggregate fields
        unknown).

        Raises
        ------
        InputError
            When ``rollup`` was scored with another member ruleset, or two data
            rows give the same parent id.
        """
        plan = rollup.batch.plan
        if plan.content_hash != self.member_plan.content_hash:
            problem, fix = render("member_ruleset_mismatch", {
                "ruleset": self.scorer.ruleset.id, "expected": self.members.ruleset,
                "got": f"{plan.ruleset_id} {plan.version}"}, "en")
            raise InputError(problem, fix=fix)
        data = dict(data or {})
        gid = self.scorer.plan.group_id_field
        n_data = len(next(iter(data.values()))) if data else 0
        data_ids = parse_group_ids(list(ids if ids is not None else data.get(
            gid, [None] * n_data)))
        row_no = np.arange(1, len(data_ids) + 1) if rows is None else np.asarray(
            rows, dtype=np.int64)
        issues: list[Problem] = []
        at_row = _index_rows(data_ids, row_no, issues)
        n_up = len(rollup) - (1 if rollup.blank else 0)
        up_at = {str(p): k for k, p in enumerate(rollup.parent_ids[:n_up].tolist())}
        # The parent data's order (the user's own list), then parents only the
        # member groups name, by id.
        order = [*at_row, *(p for p in up_at if p not in at_row)]
        parent_ids = np.array(order, dtype=object)
        up_index = np.array([up_at.get(p, -1) for p in order], dtype=np.int64)
        data_index = np.array([at_row.get(p, -1) for p in order], dtype=np.int64)
        issues += self._join_notes(parent_ids, up_index, data_index, sorted(at_row))
        columns = self._columns(rollup, data, up_index, data_index, issues)
        settled = settle(self.scorer, columns, self._candidates(rollup, up_index))
        batch = self.scorer.score_batch(columns, group_ids=parent_ids)
        data_rows = np.where(data_index >= 0, row_no[np.maximum(data_index, 0)], 0
                             ) if len(row_no) else np.zeros(len(parent_ids), np.int64)
        return ParentResult(batch, rollup, up_index, data_rows.astype(np.int64),
                            tuple(issues), self.scorer, self.member, self.aggregates,
                            tuple((str(parent_ids[p]), f) for p, f in settled))

    def _join_notes(self, parent_ids: npt.NDArray[np.object_],
                    up_index: npt.NDArray[np.int64], data_index: npt.NDArray[np.int64],
                    data_ids: list[str]) -> list[Problem]:
        out = []
        for pid, up, at in zip(parent_ids.tolist(), up_index.tolist(),
                               data_index.tolist(), strict=True):
            if up < 0:
                out.append(Problem("parent_without_members", {"parent": pid},
                                   severity="note", value=pid))
            elif at < 0 and data_ids:
                close = suggest(pid, data_ids)
                out.append(Problem("parent_without_data_close", {
                    "parent": pid, "suggestion": close}, severity="note", value=pid)
                    if close else Problem("parent_without_data", {"parent": pid},
                                          severity="note", value=pid))
        return out

    def _candidates(self, rollup: RollUp, up_index: npt.NDArray[np.int64]
                    ) -> dict[int, dict[str, npt.NDArray[np.float64] | None]]:
        """Per parent, the values each of its open aggregates could take."""
        out: dict[int, dict[str, npt.NDArray[np.float64] | None]] = {}
        for fid, agg in self.aggregates.items():
            if agg.measure == "members":
                continue
            count = agg if agg.measure != "share" else Aggregate(
                "count", agg.which, agg.ref)
            low, high = rollup.bounds(count)
            for p, u in enumerate(up_index.tolist()):
                if u < 0 or low[u] == high[u]:
                    continue
                values: npt.NDArray[np.float64] | None = None
                if agg.measure != "sum":
                    values = np.arange(low[u], high[u] + 1)
                    if agg.measure == "share":
                        values = values / rollup.members[u]
                out.setdefault(p, {})[fid] = values
        return out

    def _columns(self, rollup: RollUp, data: Mapping[str, Any],
                 up_index: npt.NDArray[np.int64], data_index: npt.NDArray[np.int64],
                 issues: list[Problem]) -> dict[str, npt.NDArray[Any]]:
        """Each parent's fields: its own from ``data``, its aggregates from
        ``rollup`` (missing where open)."""
        columns: dict[str, npt.NDArray[Any]] = {}
        for f in self.scorer.plan.fields:
            agg = self.aggregates.get(f.id)
            if agg is None:
                if f.id in data:
                    columns[f.id] = _take(np.asarray(data[f.id]), data_index)
                continue
            if f.id in data and _any_value(np.asarray(data[f.id])):
                issues.append(Problem("aggregate_column_not_read", {
                    "field": f.id, "name": agg.name}, severity="note", field=f.id))
            values = rollup.value(agg)
            columns[f.id] = np.where(up_index >= 0, values[np.maximum(up_index, 0)],
                                     np.nan) if len(values) else np.full(
                len(up_index), np.nan)
        return columns


def _index_rows(ids: npt.NDArray[np.object_], rows: npt.NDArray[np.int64],
                issues: list[Problem]) -> dict[str, int]:
    """Parent id to its data row's position; blank ids reported, repeats refused."""
    at: dict[str, int] = {}
    for j, pid in enumerate(ids.tolist()):
        if pid is None:
            issues.append(Problem("parent_data_id_blank", {}, row=int(rows[j])))
        elif pid in at:
            problem, fix = render("parent_data_duplicate", {
                "parent": pid, "rows": [int(rows[at[pid]]), int(rows[j])]}, "en")
            raise InputError(problem, row=int(rows[j]), fix=fix)
        else:
            at[pid] = j
    return at


def _take(values: npt.NDArray[Any], index: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
    """``values[index]`` with a missing value where ``index`` is -1."""
    kind = values.dtype.kind
    if kind == "f":
        out: npt.NDArray[Any] = np.full(len(index), np.nan)
    elif kind == "M":
        out = np.full(len(index), np.datetime64("NaT"), dtype=values.dtype)
    else:
        out = np.full(len(index), None, dtype=object)
    has = index >= 0
    if len(values):
        out[has] = values[index[has]]
    return out


def _any_value(values: npt.NDArray[Any]) -> bool:
    if values.dtype.kind == "f":
        return bool((~np.isnan(values)).any())
    if values.dtype.kind == "M":
        return bool((~np.isnat(values)).any())
    return any(v is not None and v == v and v != "" for v in values.tolist())
