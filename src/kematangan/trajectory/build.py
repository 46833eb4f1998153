"""Score the history of many groups: every group-period with the ruleset valid on its
date, all at once, then each group's track record.

Rows are placed in time (:mod:`~kematangan.trajectory.dating`), each date is given
the ruleset of the family valid on it (:mod:`kematangan.criteria.validity`), the
rows of each ruleset are scored in one :meth:`~kematangan.scoring.Scorer.score_batch`,
and the track record is computed over all rows sorted by group and period
(:mod:`~kematangan.trajectory.track`). Input order never matters: groups are sorted
by id and periods by date.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria.periods import Cadence, Period
from kematangan.criteria.ruleset import Ruleset
from kematangan.criteria.validity import choose_ruleset, family_rulesets
from kematangan.errors import InputError, RulesetError
from kematangan.problems import Problem
from kematangan.scoring import EngineName, Scorer
from kematangan.trajectory.dating import date_rows, factorize
from kematangan.trajectory.result import Scored, Trajectories
from kematangan.trajectory.rules import track_rules
from kematangan.trajectory.track import track

__all__ = ["assessment_date_field", "score_history"]

RulesetSource = Ruleset | str | os.PathLike[str]
_SHOWN_DUPLICATES = 5


def _columns(records: Any) -> tuple[dict[str, Any], int]:
    """A mapping of columns and its length, from the inputs ``score_batch`` takes."""
    if type(records).__module__.startswith("pandas"):
        return {str(k): records[k].to_numpy() for k in records.columns}, len(records)
    if isinstance(records, Mapping):
        lengths = {len(v) for v in records.values()}
        if len(lengths) > 1:
            raise InputError("columns have different lengths",
                             fix="give every column one value per record")
        return dict(records), lengths.pop() if lengths else 0
    rows = list(records)
    keys: dict[str, None] = {}
    for i, r in enumerate(rows):
        if not isinstance(r, Mapping):
            raise InputError(f"a record must be a mapping, got {type(r).__name__}",
                             row=i + 1, fix="pass a list of dicts")
        keys.update(dict.fromkeys(r))
    return {k: [r.get(k) for r in rows] for k in keys}, len(rows)


def _same_ladder(used: Sequence[Ruleset]) -> None:
    first = used[0]
    for other in used[1:]:
        for what, mine, theirs in (
                ("stages", [s.id for s in first.stages], [s.id for s in other.stages]),
                ("classes", [k.id for k in first.classes],
                 [k.id for k in other.classes])):
            if mine != theirs:
                raise RulesetError([Problem("family_ladders_differ", {
                    "first": first.id, "second": other.id, "what": what})])


def _group_codes(ids: Sequence[Any] | npt.NDArray[Any]
                 ) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.int64]]:
    """Group ids as text, sorted (``None``, missing, last), and each row's index
    among them."""
    distinct, codes = factorize(ids)
    names = np.empty(len(distinct), dtype=object)
    names[:] = [None if g is None else str(g) for g in distinct]
    return names, codes


def _duplicates(group: npt.NDArray[np.int64], ordinal: npt.NDArray[np.int64],
                names: npt.NDArray[np.object_], rows: npt.NDArray[np.int64],
                files: npt.NDArray[np.object_], cadence: Cadence) -> None:
    same = (group[1:] == group[:-1]) & (ordinal[1:] == ordinal[:-1])
    if not same.any():
        return
    found = []
    for i in np.flatnonzero(same)[:_SHOWN_DUPLICATES].tolist():
        at = [f"{files[j]} row {rows[j]}" if files[j] else str(rows[j])
              for j in (i, i + 1)]
        found.append(Problem("assessment_duplicate", {
            "group": str(names[group[i]]), "period": Period.of(
                int(ordinal[i]), cadence).label, "rows": at}))
    more = int(same.sum()) - len(found)
    tail = f" (and {more} more)" if more > 0 else ""
    raise InputError("; ".join(p.problem("en") for p in found) + tail,
                     fix=found[0].fix("en"))


def assessment_date_field(ruleset: Ruleset) -> str | None:
    """The ruleset's field with ``role: assessment_date``, if it has one.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> assessment_date_field(load_ruleset("ppmk-ksm"))
    'assessed_on'
    >>> assessment_date_field(load_ruleset("poktan-2018")) is None
    True
    """
    return next((f.id for f in ruleset.fields if f.role == "assessment_date"), None)


def score_history(records: Any, ruleset: RulesetSource | Sequence[RulesetSource], *,
                  period_column: str = "period", date_column: str | None = None,
                  cadence: Cadence | None = None,
                  group_ids: Sequence[Any] | npt.NDArray[Any] | None = None,
                  row_numbers: Sequence[int] | npt.NDArray[np.integer[Any]] | None
                  = None, files: Sequence[str | None] | None = None,
                  bundled: bool = True, engine: EngineName = "numpy"
                  ) -> Trajectories:
    """Score records of many groups over many periods, and their track records.

    Parameters
    ----------
    records
        What :meth:`~kematangan.scoring.Scorer.score_batch` takes (a list of dicts,
        a mapping of columns, a pandas DataFrame), with a period column (``2024Q3``,
        ``2024-09``, ``2024``), an assessment-date column, or both. The date
        column is ``date_column``, by default the ruleset's field with ``role:
        assessment_date``, else ``assessed_on``. A row without a date is dated by
        its period's last day, and scored as assessed on that day.
    ruleset
        The ruleset (a :class:`Ruleset`, YAML path or bundled id), or several
        versions of one instrument (one family). The first one's ``history``
        section and labels govern; bundled rulesets of its family score the dates
        the given ones do not cover (unless ``bundled`` is false).
    cadence
        ``month``, ``quarter`` or ``year``. Default: the ruleset's
        ``history.cadence``, else the longest period written, else quarters.
    group_ids, row_numbers, files
        Per record: its group (default: the ruleset's group-id column), its row as
        the user counts rows (default 1, 2, ...) and the file it came from.

    Raises
    ------
    RulesetError
        When no ruleset of the family is valid on a date in the data, two are, or
        the rulesets used have different stages or classes.
    InputError
        When a group is assessed twice in one period.

    Examples
    --------
    >>> base = {"group_id": "KSM-01", "formed_participatory": True, "members": 12,
    ...         "members_voluntary": True, "meetings_last_3_months": 3,
    ...         **{f"basic_rule_{i}": True for i in range(1, 6)}}
    >>> t = score_history([{**base, "period": p} for p in
    ...                    ("2023Q1", "2023Q2", "2023Q4", "2024Q1")], "ppmk-ksm")
    >>> h = t.history("KSM-01")
    >>> h.stage, h.since, h.months_in_stage, h.gaps
    ('growth', '2023Q1', 12, ['2023Q3'])
    """
    given = [ruleset] if isinstance(ruleset, Ruleset | str | os.PathLike) else list(
        ruleset)
    mine, others = family_rulesets(given, bundled=bundled)
    primary = mine[0]
    rules = track_rules(primary)
    date_column = date_column or assessment_date_field(primary) or "assessed_on"
    cols, n = _columns(records)
    rows = (np.arange(1, n + 1, dtype=np.int64) if row_numbers is None
            else np.asarray(row_numbers, dtype=np.int64))
    file_of = np.empty(n, dtype=object)
    file_of[:] = list(files) if files is not None else [None] * n
    names, group = _group_codes(group_ids if group_ids is not None else cols.get(
        primary.group_id.field, [None] * n))
    dating = date_rows(cols.get(period_column), cols.get(date_column), n=n,
                       rows=rows, cadence=cadence or (
                           primary.history.cadence if primary.history else None),
                       period_column=period_column, date_column=date_column,
                       files=file_of)
    problems = list(dating.problems)
    no_id = dating.ok & (names[group] == None)  # noqa: E711 - elementwise
    problems += [Problem("group_id_missing", {}, row=int(rows[i]),
                         column=primary.group_id.field, file=file_of[i])
                 for i in np.flatnonzero(no_id).tolist()]
    placed = np.flatnonzero(dating.ok & ~no_id)
    order = np.lexsort((dating.ordinal[placed], group[placed]))
    sel = placed[order]
    ordinal = dating.ordinal[sel]
    # Renumber the groups placed (a group whose every row failed is not one).
    kept, group = np.unique(group[sel], return_inverse=True)
    names = names[kept]
    _duplicates(group, ordinal, names, rows[sel], file_of[sel], dating.cadence)
    if any(assessment_date_field(r) for r in (*mine, *others)):
        # The date each row is scored at: its own, or its period's last day.
        cols = {**cols, date_column: dating.day}
    scored = _score(cols, n, placed, dating.day[placed], dating.ordinal[placed],
                    dating.cadence, mine, others, engine, rows, file_of, problems)
    s = scored.take(order)
    return Trajectories(
        rulesets=scored.rulesets, rules=rules, cadence=dating.cadence,
        cadence_from=dating.cadence_from, groups=names, group=group,
        ordinal=ordinal, month=dating.month[sel], day=dating.day[sel],
        row=rows[sel], file=file_of[sel], scored=s,
        track=track(group, ordinal, dating.month[sel], s.stage, s.stage_upper,
                    s.class_, s.class_upper, s.exit_ready, rules),
        problems=tuple(sorted(problems, key=lambda p: (p.file or "", p.row or 0))),
        rows_in=n)


def _score(cols: dict[str, Any], n: int, placed: npt.NDArray[np.intp],
           days: npt.NDArray[np.datetime64], ordinals: npt.NDArray[np.int64],
           cadence: Cadence, mine: list[Ruleset], others: list[Ruleset],
           engine: EngineName, rows: npt.NDArray[np.int64],
           file_of: npt.NDArray[np.object_], problems: list[Problem]) -> Scored:
    """Score the placed rows, each with the ruleset valid on its date (in the
    order of ``placed``)."""
    distinct, inverse = np.unique(days, return_inverse=True)
    first_at = np.zeros(len(distinct), dtype=np.int64)
    first_at[inverse[::-1]] = np.arange(len(inverse))[::-1]
    used: list[Ruleset] = [mine[0]]  # first: its labels and history govern
    pick = np.empty(len(distinct), dtype=np.int64)
    for i, day in enumerate(distinct.tolist()):
        label = Period.of(int(ordinals[first_at[i]]), cadence).label
        chosen = choose_ruleset(mine, others, day, label)
        if all(chosen is not u for u in used):
            used.append(chosen)
        pick[i] = next(k for k, u in enumerate(used) if u is chosen)
    which = pick[inverse] if len(placed) else np.zeros(0, dtype=np.int64)
    _same_ladder(used)
    parts = []
    for k, rs in enumerate(used):
        local = np.flatnonzero(which == k)
        idx = placed[local]
        whole = len(idx) == n and bool((idx == np.arange(n)).all())
        # Group ids are the history's business: the scorer need not copy them.
        sub = {name: col if whole else (col if isinstance(col, np.ndarray) else
                                        np.asarray(col, dtype=object))[idx]
               for name, col in cols.items() if name != rs.group_id.field}
        batch = Scorer(rs, engine=engine).score_batch(
            sub, row_numbers=np.arange(1, len(idx) + 1))
        problems += [dataclasses.replace(p, row=int(rows[idx[p.row - 1]]),
                                         file=file_of[idx[p.row - 1]])
                     for p in batch.issues if p.row is not None]
        parts.append((local, batch))
    return Scored.assemble(used, len(placed), parts, mine[0])

