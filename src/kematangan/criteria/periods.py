"""Assessment periods: months, quarters (triwulan) and years, as written in sheets.

A period is a run of whole months: a month (``2024-09``), a quarter (``2024Q3``,
``TW III 2024``, ``Triwulan 3 2024``) or a year (``2024``). Each is stored as the
index of its first month (``year * 12 + month - 1``) and its cadence, so periods of
one cadence count on by one, and a month or an assessment date falls inside exactly
one quarter. A period without an assessment date is dated by its last day: an
assessment "for the third quarter" is made at its end.

Examples
--------
>>> p = parse_period("TW III 2024")
>>> p.label, p.cadence, p.first_day.isoformat(), p.last_day.isoformat()
('2024Q3', 'quarter', '2024-07-01', '2024-09-30')
>>> parse_period("2024-09").within("quarter").label
'2024Q3'
>>> parse_period("2024Q4").ordinal - parse_period("2024Q1").ordinal
3
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["CADENCES", "CADENCE_MONTHS", "Cadence", "Period", "month_index",
           "parse_period"]

Cadence = Literal["month", "quarter", "year"]
CADENCES: tuple[Cadence, ...] = ("month", "quarter", "year")
CADENCE_MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}
"""How many months one period of each cadence holds."""

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = r"(?:q|tw|trw|triwulan|kuartal)\s*[-.]?\s*([1-4]|iv|iii|ii|i)"
_YEAR = r"((?:19|20)\d{2})"
_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^{_YEAR}\s*[-/ ]?\s*{_QUARTER}$"), "yq"),
    (re.compile(rf"^{_QUARTER}\s*[-/ ,]?\s*{_YEAR}$"), "qy"),
    (re.compile(rf"^{_YEAR}\s*[-/.]\s*(\d{{1,2}})$"), "ym"),
    (re.compile(rf"^(\d{{1,2}})\s*[-/.]\s*{_YEAR}$"), "my"),
    (re.compile(rf"^{_YEAR}$"), "y"),
)
FORMS_TEXT = "2024Q3, 2024-Q3, TW III 2024, Triwulan 3 2024, 2024-09, 09/2024, 2024"
"""The period forms :func:`parse_period` reads, as messages list them."""


def month_index(day: dt.date) -> int:
    """The month of ``day`` counted from year 0 (``year * 12 + month - 1``).

    Examples
    --------
    >>> month_index(dt.date(2024, 9, 30)) - month_index(dt.date(2023, 9, 1))
    12
    """
    return day.year * 12 + day.month - 1


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """One assessment period: its first month (``year * 12 + month - 1``) and
    its cadence.

    Periods order by their first month, then cadence; compare periods of one
    cadence.
    """

    start: int
    cadence: Cadence

    @property
    def months(self) -> int:
        """How many months the period holds."""
        return CADENCE_MONTHS[self.cadence]

    @property
    def ordinal(self) -> int:
        """The period's number in its cadence: consecutive periods differ by one."""
        return self.start // self.months

    @property
    def end(self) -> int:
        """The index of the period's last month."""
        return self.start + self.months - 1

    @property
    def first_day(self) -> dt.date:
        """The period's first day."""
        return dt.date(self.start // 12, self.start % 12 + 1, 1)

    @property
    def last_day(self) -> dt.date:
        """The period's last day (the date of an assessment made "for" it)."""
        year, month = divmod(self.end, 12)
        return dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])

    @property
    def label(self) -> str:
        """The period as the library writes it: ``2024-09``, ``2024Q3``, ``2024``."""
        year, month = divmod(self.start, 12)
        if self.cadence == "month":
            return f"{year}-{month + 1:02d}"
        if self.cadence == "quarter":
            return f"{year}Q{month // 3 + 1}"
        return str(year)

    def __str__(self) -> str:
        return self.label

    @classmethod
    def of(cls, ordinal: int, cadence: Cadence) -> Period:
        """The period numbered ``ordinal`` in ``cadence`` (see :attr:`ordinal`)."""
        return cls(ordinal * CADENCE_MONTHS[cadence], cadence)

    @classmethod
    def containing(cls, day: dt.date, cadence: Cadence) -> Period:
        """The period of ``cadence`` that ``day`` falls in.

        Examples
        --------
        >>> Period.containing(dt.date(2024, 11, 2), "quarter").label
        '2024Q4'
        """
        return cls.of(month_index(day) // CADENCE_MONTHS[cadence], cadence)

    def within(self, cadence: Cadence) -> Period:
        """The period of ``cadence`` holding this one (a month's quarter).

        Raises
        ------
        ValueError
            When ``cadence`` is shorter than this period's (a year holds no single
            quarter).
        """
        size = CADENCE_MONTHS[cadence]
        if size < self.months:
            raise ValueError(f"period {self.label} is a {self.cadence}, longer than "
                             f"a {cadence}")
        return Period(self.start - self.start % size, cadence)


def parse_period(text: str) -> Period:
    """Read a period label (see the module's forms); case and spaces do not matter.

    Raises
    ------
    ValueError
        When ``text`` is not a period in one of the forms of :data:`FORMS_TEXT`.

    Examples
    --------
    >>> [parse_period(t).label for t in ("2024q3", "Q3-2024", "Triwulan 1 2023",
    ...                                  "09/2024", "2021")]
    ['2024Q3', '2024Q3', '2023Q1', '2024-09', '2021']
    >>> parse_period("2024Q5")
    Traceback (most recent call last):
    ...
    ValueError: '2024Q5' is not a period
    """
    clean = " ".join(str(text).lower().split())
    for pattern, form in _FORMS:
        m = pattern.match(clean)
        if m is None:
            continue
        if form == "y":
            return Period(int(m.group(1)) * 12, "year")
        if form in ("yq", "qy"):
            year, q = (m.group(1), m.group(2)) if form == "yq" else (m.group(2),
                                                                     m.group(1))
            quarter = _ROMAN.get(q) or int(q)
            return Period(int(year) * 12 + (quarter - 1) * 3, "quarter")
        year, month = (m.group(1), m.group(2)) if form == "ym" else (m.group(2),
                                                                     m.group(1))
        if 1 <= int(month) <= 12:
            return Period(int(year) * 12 + int(month) - 1, "month")
    raise ValueError(f"{text!r} is not a period")
