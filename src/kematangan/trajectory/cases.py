"""Run a ruleset's embedded history tests (``history.tests``).

Each test is a list of periods, each with a record (or the changes to the record
before); the history is scored with the ruleset alone (no other ruleset of its
family) and compared with what the test expects.
"""

from __future__ import annotations

from typing import Any

from kematangan.criteria.history import HistoryCase
from kematangan.criteria.loader import load_ruleset
from kematangan.criteria.periods import Cadence, parse_period
from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import KematanganError
from kematangan.scoring import CaseFailure
from kematangan.trajectory.build import RulesetSource, score_history
from kematangan.trajectory.result import GroupHistory

__all__ = ["history_records", "run_history_cases"]


def history_records(case: HistoryCase, ruleset: Ruleset) -> list[dict[str, Any]]:
    """The records of a test history, one per period, each with its ``period`` and
    the group id (the case's name when its records give none).

    Examples
    --------
    >>> rs = load_ruleset("ppmk-ksm")
    >>> records = history_records(rs.history.tests[0], rs)
    >>> len(records), records[1]["period"], records[1]["members"]
    (5, '2023Q2', 5)
    """
    out: list[dict[str, Any]] = []
    record: dict[str, Any] = {}
    for entry in case.periods:
        if entry.record is not None:
            record = dict(entry.record)
        else:
            record = {**record, **(entry.changes or {})}
        record.setdefault(ruleset.group_id.field, case.name)
        out.append({**record, "period": entry.period})
    return out


def _label(text: str, cadence: Cadence) -> str:
    return parse_period(text).within(cadence).label


def _check(case: HistoryCase, h: GroupHistory, cadence: Cadence) -> list[str]:
    e, given = case.expect, case.expect.model_fields_set
    last = h.entries[-1]
    got = {"stage": h.stage, "class_": h.class_, "months_in_stage": h.months_in_stage,
           "stagnating": h.stagnation is not None, "exit_ready": last.exit_ready_track}
    bad = [f"{name.rstrip('_')}: expected {getattr(e, name)!r}, got {value!r}"
           for name, value in got.items()
           if name in given and getattr(e, name) != value]
    if "regressions" in given:
        want = {_label(r.period, cadence): r.criteria for r in e.regressions}
        found = {r.period: list(r.criteria) for r in h.regressions}
        if sorted(want) != sorted(found):
            bad.append(f"regressions: expected at {sorted(want)}, got at "
                       f"{sorted(found)}")
        for period, criteria in want.items():
            if criteria is not None and period in found and (
                    sorted(criteria) != sorted(found[period])):
                bad.append(f"regressions at {period}: expected criteria "
                           f"{sorted(criteria)}, got {sorted(found[period])}")
    if "gaps" in given:
        want_gaps = [_label(g, cadence) for g in e.gaps]
        if want_gaps != h.gaps:
            bad.append(f"gaps: expected {want_gaps}, got {h.gaps}")
    for stage, period in e.first_at.items():
        if h.first_at.get(stage) != _label(period, cadence):
            bad.append(f"first_at.{stage}: expected {_label(period, cadence)}, got "
                       f"{h.first_at.get(stage)}")
    return bad


def run_history_cases(ruleset: RulesetSource) -> list[CaseFailure]:
    """Run ``ruleset``'s history tests; return the failures (empty: all pass).

    Examples
    --------
    >>> run_history_cases("ppmk-ksm")
    []
    """
    rs = load_ruleset(ruleset)
    if rs.history is None:
        return []
    failures = []
    for case in rs.history.tests:
        records = history_records(case, rs)
        try:
            t = score_history(records, rs, bundled=False)
            group = str(records[0][rs.group_id.field])
            bad = _check(case, t.history(group), t.cadence)
        except KematanganError as err:
            bad = [f"cannot score the history: {err}"]
        if bad:
            failures.append(CaseFailure(case.name, bad))
    return failures

