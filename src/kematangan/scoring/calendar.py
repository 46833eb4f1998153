"""Calendar arithmetic over dates encoded as days since 1970-01-01 (the plan's
encoding): whole days, completed calendar months and years, as the semantics module
defines them for ``days_between``, ``months_between`` and ``years_between``.
"""

from __future__ import annotations

import math

__all__ = ["FIRST_DAY", "LAST_DAY", "civil_date", "days_between", "months_between",
           "years_between"]

NAN = math.nan

FIRST_DAY = -719162.0
"""0001-01-01 in days since 1970-01-01: dates outside years 1 to 9999 are missing."""
LAST_DAY = 2932896.0
"""9999-12-31 in days since 1970-01-01."""


def civil_date(days: int) -> tuple[int, int, int]:
    """(year, month, day) of a day count since 1970-01-01, proleptic Gregorian.

    Examples
    --------
    >>> civil_date(0), civil_date(19723), civil_date(-1)
    ((1970, 1, 1), (2024, 1, 1), (1969, 12, 31))
    """
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def _in_range(*days: float) -> bool:
    return all(FIRST_DAY <= d <= LAST_DAY for d in days)  # False for NaN


def days_between(start: float, end: float) -> float:
    """Days from ``start`` to ``end`` (negative when ``end`` is earlier).

    Examples
    --------
    >>> days_between(19723.0, 19754.0)
    31.0
    """
    return end - start if _in_range(start, end) else NAN


def months_between(start: float, end: float) -> float:
    """Completed calendar months from ``start`` to ``end``: a month is complete on
    the same day of a later month (15 January to 15 February is one month, to 14
    February none; from 31 January the first month completes on 1 March). Negative
    when ``end`` is earlier.

    Examples
    --------
    >>> jan15, feb14, feb15 = 19737.0, 19767.0, 19768.0   # 2024-01-15 ...
    >>> months_between(jan15, feb14), months_between(jan15, feb15)
    (0.0, 1.0)
    >>> months_between(feb15, jan15)
    -1.0
    """
    if not _in_range(start, end):
        return NAN
    if end < start:
        return -months_between(end, start)
    y0, m0, d0 = civil_date(int(start))
    y1, m1, d1 = civil_date(int(end))
    return float((y1 - y0) * 12 + (m1 - m0) - (1 if d1 < d0 else 0))


def years_between(start: float, end: float) -> float:
    """Completed calendar years from ``start`` to ``end`` (an age in years).

    Examples
    --------
    >>> born, day_before, birthday = 19052.0, 19782.0, 19783.0  # 2022-03-01 ...
    >>> years_between(born, day_before), years_between(born, birthday)
    (1.0, 2.0)
    """
    m = months_between(start, end)
    return m if m != m else float(int(m / 12))
