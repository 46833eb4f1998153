"""When each row was assessed: its period in the history's cadence and its date.

A row gives a period (``2024Q3``), an assessment date, or both. The period places it
in the cadence (a month falls in its quarter); the date, when given, dates it, and
otherwise the period's last day does. Rows that give neither, or a period that
cannot be read, longer than one period of the cadence, or a date outside the
period given, are not placed: each gets a problem with its row. Work is per
distinct value, so a million rows of a few dozen periods cost a few dozen parses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria.periods import (
    CADENCE_MONTHS,
    FORMS_TEXT,
    Cadence,
    Period,
    parse_period,
)
from kematangan.problems import Problem

__all__ = ["Dating", "date_rows", "factorize", "missing_mask"]

I64 = npt.NDArray[np.int64]
_MONTH0 = 1970 * 12
_BY_MONTHS: dict[int, Cadence] = {1: "month", 3: "quarter", 12: "year"}


@dataclass(frozen=True)
class Dating:
    """Each row's period ordinal, assessment month and date, whether it could be
    placed (``ok``), the problems of the rows that could not, and how the cadence
    was chosen (``cadence_from``: ``given``, ``periods`` or ``default``)."""

    cadence: Cadence
    cadence_from: str
    ordinal: I64
    month: I64
    day: npt.NDArray[np.datetime64]
    ok: npt.NDArray[np.bool_]
    problems: list[Problem]


def missing_mask(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Which values are missing: ``None`` or NaN (an object array's cells).

    Examples
    --------
    >>> missing_mask(np.array(["a", None, float("nan")], dtype=object)).tolist()
    [False, True, True]
    """
    if values.dtype.kind != "O":
        return np.isnan(values) if values.dtype.kind == "f" else np.zeros(
            len(values), dtype=bool)
    none: npt.NDArray[np.bool_] = (values == None) | (values != values)  # noqa: E711
    return none


def factorize(values: Sequence[Any] | npt.NDArray[Any]
              ) -> tuple[list[Any], npt.NDArray[np.int64]]:
    """The distinct values and each value's code; values are told apart by their
    text (``str``: ``12`` and ``"12"`` are one), distinct values come in text order
    (each as first seen), and every missing value (``None``, NaN) is one, ``None``,
    last. One dictionary pass over the values, then work per distinct value.

    Examples
    --------
    >>> factorize(["b", "a", None, "b", float("nan"), 12, "12"])
    ([12, 'a', 'b', None], array([2, 1, 3, 2, 3, 0, 0]))
    """
    arr = values if isinstance(values, np.ndarray) else np.asarray(values,
                                                                   dtype=object)
    if not len(arr):
        return [], np.zeros(0, dtype=np.int64)
    cells = arr.tolist()
    missing = missing_mask(arr)
    for i in np.flatnonzero(missing).tolist():
        cells[i] = None
    seen = {v: k for k, v in enumerate(dict.fromkeys(cells))}
    codes = np.fromiter(map(seen.__getitem__, cells), dtype=np.int64,
                        count=len(cells))
    texts = [None if v is None else str(v) for v in seen]
    order: list[str | None] = [*sorted({t for t in texts if t is not None}),
                               *([None] if None in texts else [])]
    rank = {text: k for k, text in enumerate(order)}
    first: dict[str | None, Any] = {}
    for v, text in zip(seen, texts, strict=True):
        first.setdefault(text, v)
    remap = np.array([rank[text] for text in texts], dtype=np.int64)
    return [first[text] for text in order], remap[codes]


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _as_dates(values: Sequence[Any] | npt.NDArray[Any] | None, n: int
              ) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.bool_]]:
    """Dates as ``datetime64[D]`` (NaT when missing or unreadable), and which
    values could not be read as dates."""
    unreadable = np.zeros(n, dtype=bool)
    if values is None:
        return np.full(n, np.datetime64("NaT"), dtype="M8[D]"), unreadable
    arr = np.asarray(values)
    if arr.dtype.kind == "M":
        return arr.astype("M8[D]"), unreadable
    distinct, codes = factorize(values)
    table = np.full(len(distinct), np.datetime64("NaT"), dtype="M8[D]")
    bad = []
    for i, v in enumerate(distinct):
        day = _date(v)
        if day is not None:
            table[i] = np.datetime64(day, "D")
        elif not (v is None or (isinstance(v, str) and not v.strip())):
            bad.append(i)
    if bad:
        unreadable = np.isin(codes, bad)
    return table[codes], unreadable


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, np.datetime64):
        return None if np.isnat(v) else v.astype("M8[D]").item()
    if isinstance(v, str) and v.strip():
        try:
            return dt.date.fromisoformat(v.strip()[:10])
        except ValueError:
            return None
    return None


def _periods(values: Sequence[Any] | npt.NDArray[Any] | None, n: int
             ) -> tuple[I64, I64, list[Any], npt.NDArray[np.int64], list[int]]:
    """Each row's period start month and length (0: none), the distinct values,
    the codes, and which distinct values are unreadable."""
    if values is None:
        zero = np.zeros(n, dtype=np.int64)
        return zero, zero, [], zero, []
    distinct, codes = factorize(values)
    start = np.zeros(len(distinct), dtype=np.int64)
    months = np.zeros(len(distinct), dtype=np.int64)
    bad = []
    for i, v in enumerate(distinct):
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if isinstance(v, float) and v.is_integer():
            v = int(v)  # a year typed as a number
        p: Period | None
        if isinstance(v, Period):
            p = v
        elif isinstance(v, int) and not isinstance(v, bool):
            p = parse_period(str(v)) if 1900 <= v <= 2199 else None
        elif isinstance(v, str):
            try:
                p = parse_period(v)
            except ValueError:
                p = None
        else:
            p = None
        if p is None:
            bad.append(i)
        else:
            start[i], months[i] = p.start, p.months
    return start[codes], months[codes], distinct, codes, bad


def date_rows(periods: Sequence[Any] | npt.NDArray[Any] | None,
              dates: Sequence[Any] | npt.NDArray[Any] | None, *,
              n: int, rows: I64, cadence: Cadence | None,
              period_column: str = "period", date_column: str = "assessed_on",
              files: npt.NDArray[np.object_] | None = None) -> Dating:
    """Place ``n`` rows in time from their ``periods`` and ``dates`` (either may be
    ``None``). ``cadence`` is the history's, or ``None`` to take the longest period
    written (quarters when no period is written). ``rows`` and ``files`` (per
    row, optional) say where each row is, for the problems.

    Examples
    --------
    >>> d = date_rows(["2024Q1", "2024-05", None, "2024Q9"],
    ...               [None, None, "2024-08-15", None], n=4,
    ...               rows=np.arange(2, 6), cadence=None)
    >>> d.cadence, d.ordinal[:3].tolist(), d.ok.tolist()
    ('quarter', [8096, 8097, 8098], [True, True, True, False])
    >>> d.day[:3].astype(str).tolist(), [(p.row, p.code) for p in d.problems]
    (['2024-03-31', '2024-05-31', '2024-08-15'], [(5, 'period_unreadable')])
    """
    problems: list[Problem] = []
    start, length, distinct, codes, unreadable = _periods(periods, n)
    day, bad_day = _as_dates(dates, n)
    cadence_from = "given"
    if cadence is None:
        longest = int(length.max()) if n else 0
        cadence = _BY_MONTHS.get(longest, "quarter")
        cadence_from = "periods" if longest else "default"
    size = CADENCE_MONTHS[cadence]
    has_day = ~np.isnat(day)
    day_month = np.where(has_day, day.astype("M8[M]").astype(np.int64) + _MONTH0, 0)
    has_period = length > 0
    end = start + length - 1
    last_day = ((end + 1 - _MONTH0).astype("M8[M]").astype("M8[D]")
                - np.timedelta64(1, "D"))
    too_long = has_period & (length > size)
    outside = has_period & has_day & ((day_month < start) | (day_month > end))
    ordinal = np.where(has_period, start // size, day_month // size)
    when = np.where(has_day, day, last_day)
    month = np.where(has_day, day_month, end)
    unread = np.isin(codes, unreadable) if unreadable else np.zeros(n, dtype=bool)
    ok = (has_period | has_day) & ~too_long & ~outside & ~unread & ~bad_day
    for i in np.flatnonzero(~ok).tolist():
        where: dict[str, Any] = {"row": int(rows[i]),
                                 "file": None if files is None else files[i]}
        raw = distinct[codes[i]] if distinct else None
        if bad_day[i]:
            value = dates[i] if dates is not None else None
            problems.append(Problem("date_unreadable", {"value": str(value)},
                                    column=date_column, value=value, **where))
        elif unread[i]:
            problems.append(Problem("period_unreadable", {
                "period": str(raw), "forms": FORMS_TEXT}, column=period_column,
                value=raw, **where))
        elif too_long[i]:
            problems.append(Problem("period_too_long", {
                "period": str(raw), "cadence": cadence}, column=period_column,
                value=raw, **where))
        elif outside[i]:
            label = Period(int(start[i]), _BY_MONTHS[int(length[i])]).label
            problems.append(Problem("date_outside_period", {
                "date": str(day[i]), "period": label}, column=date_column,
                value=str(day[i]), **where))
        else:
            problems.append(Problem("period_missing", {}, column=period_column,
                                    **where))
    return Dating(cadence, cadence_from, ordinal.astype(np.int64),
                  month.astype(np.int64), when.astype("M8[D]"), ok, problems)
