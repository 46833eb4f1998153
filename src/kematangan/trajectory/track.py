"""The track record of every group at once: numpy over rows sorted by group, then
period (what the rules mean is in :mod:`kematangan.trajectory.rules`).

Every array is per row. Runs (a stay at one stage, a run at the exit stage) are
found by marking where a run starts and carrying the start forward with
``np.maximum.accumulate``: no Python loop over groups or rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.trajectory.rules import TrackRules

__all__ = ["Track", "track"]

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Track:
    """Per-row results of :func:`track` (rows sorted by group, then period).

    ``first`` marks a group's first assessment. ``level`` is the stage a row is
    counted at: its stage when certain; when missing data leaves it undetermined,
    the stage of the assessment before, as long as the row could still be there.
    ``stay_start`` is the row where the current stay at that level began and
    ``months_in_stage`` its length in months. ``held_periods``/``held_months``
    measure the run at the exit stage or later (0 when not there);
    ``exit_ready`` is 1, 0 or -1 (undetermined) on the track record.
    ``stage_lost``/``class_lost`` mark regressions, each against the row in
    ``stage_before``/``class_before`` (the latest earlier row whose stage, or
    class, is known). ``missing_before`` counts periods without an assessment
    since the row before.
    """

    first: B
    level: npt.NDArray[np.int16]
    stay_start: I64
    months_in_stage: I64
    stagnating: B
    stage_lost: B
    class_lost: B
    stage_before: I64
    class_before: I64
    held_periods: I64
    held_months: I64
    exit_ready: npt.NDArray[np.int8]
    missing_before: I64


def _shift(a: npt.NDArray[Any], fill: Any) -> npt.NDArray[Any]:
    out = np.empty_like(a)
    if len(a):
        out[0] = fill
        out[1:] = a[:-1]
    return out


def _last(known: B) -> I64:
    """For each row, the latest *earlier* row that is ``known`` (-1: none)."""
    idx = np.arange(len(known), dtype=np.int64)
    at = np.maximum.accumulate(np.where(known, idx, -1)) if len(known) else idx
    return _shift(at, -1)


def _losses(first: B, low: npt.NDArray[np.int16], high: npt.NDArray[np.int16]
            ) -> tuple[B, I64, npt.NDArray[np.int16]]:
    """Rows certainly below the latest known level before them, that row, and the
    level each row is counted at.

    A row is known when its level is certain, or when it is certainly below the
    known row before it (a loss, found against the certain rows first, so a fall
    across an undetermined row is counted once).
    """
    known = first | (low == high)
    for _ in range(2):
        before = _last(known)
        prev = low[np.maximum(before, 0)]
        lost = ~first & (high < prev)
        known = known | lost
    level = np.where(known, low, np.maximum(low, prev)).astype(np.int16)
    return lost, np.where(first, -1, before), level


def _runs(starts: B, month: I64) -> tuple[I64, I64, I64]:
    """Where each row's run began, and its length in rows and in months."""
    idx = np.arange(len(starts), dtype=np.int64)
    begin = np.maximum.accumulate(np.where(starts, idx, 0)) if len(starts) else idx
    return begin, idx - begin + 1, month - month[begin]


def _held(at_exit: B, first: B, step: I64, month: I64) -> tuple[I64, I64]:
    """Periods and months each row has been at the exit stage without a break."""
    starts = first | ~_shift(at_exit, False) | (step != 1)
    _, rows, months = _runs(starts, month)
    return np.where(at_exit, rows, 0), np.where(at_exit, months, 0)


def _enough(rules: TrackRules, periods: I64, months: I64) -> B:
    if rules.exit_periods is not None:
        return periods >= rules.exit_periods
    if rules.exit_months is not None:
        return months >= rules.exit_months
    return np.ones(len(periods), dtype=bool)


def track(group: I64, ordinal: I64, month: I64, stage: npt.NDArray[np.int16],
          stage_upper: npt.NDArray[np.int16], class_: npt.NDArray[np.int16],
          class_upper: npt.NDArray[np.int16], exit_ready: npt.NDArray[np.int8],
          rules: TrackRules) -> Track:
    """The track record of rows sorted by ``group`` (codes), then ``ordinal``.

    ``month`` is each assessment's month index; stage and class are indexes
    (-1: none), ``exit_ready`` the snapshot's 1, 0 or -1.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.trajectory.rules import track_rules
    >>> rules = track_rules(load_ruleset("ppmk-ksm"))
    >>> a = lambda *v: np.array(v, dtype=np.int64)
    >>> s = lambda *v: np.array(v, dtype=np.int16)
    >>> t = track(a(0, 0, 0, 0, 0, 0), a(0, 1, 2, 3, 4, 6), 3 * a(0, 1, 2, 3, 4, 6),
    ...           s(0, 0, 0, 0, 0, 1), s(0, 0, 0, 0, 0, 1), s(0, 0, 0, 0, 0, 0),
    ...           s(0, 0, 0, 0, 0, 0), np.zeros(6, np.int8), rules)
    >>> t.months_in_stage.tolist(), t.stagnating.tolist()
    ([0, 3, 6, 9, 12, 0], [False, False, False, False, False, False])
    >>> t.missing_before.tolist()
    [0, 0, 0, 0, 0, 1]
    """
    first = np.ones(len(group), dtype=bool)
    first[1:] = group[1:] != group[:-1]
    step = ordinal - _shift(ordinal, 0)
    stage_lost, stage_before, level = _losses(first, stage, stage_upper)
    class_lost, class_before, _ = _losses(first, class_, class_upper)
    stay_start, _, months_in_stage = _runs(first | (level != _shift(level, -1)),
                                           month)
    limits = np.array([*rules.stagnation_months, np.inf])
    stagnating = ((stage >= 0) & (stage == stage_upper)
                  & (months_in_stage > limits[stage]))
    missing = np.where(first, 0, step - 1)
    common = {"first": first, "level": level, "stay_start": stay_start,
              "months_in_stage": months_in_stage, "stagnating": stagnating,
              "stage_lost": stage_lost, "class_lost": class_lost,
              "stage_before": stage_before, "class_before": class_before,
              "missing_before": missing}
    if rules.exit_stage < 0:
        zero = np.zeros(len(group), dtype=np.int64)
        return Track(held_periods=zero, held_months=zero, exit_ready=exit_ready,
                     **common)
    periods, months = _held(stage >= rules.exit_stage, first, step, month)
    if rules.exit_needs_record:
        upper_periods, upper_months = _held(stage_upper >= rules.exit_stage, first,
                                            step, month)
        certain = _enough(rules, periods, months)
        possible = _enough(rules, upper_periods, upper_months)
        exit_ready = np.where((exit_ready == 0) | ~possible, 0,
                              np.where((exit_ready == 1) & certain, 1, -1)
                              ).astype(np.int8)
    return Track(held_periods=periods, held_months=months, exit_ready=exit_ready,
                 **common)
