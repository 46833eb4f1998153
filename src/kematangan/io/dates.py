"""Read dates: spreadsheet date cells, Excel serial numbers, and dates written as text
(ISO, ``dd/mm/yyyy``, ``dd-mm-yyyy``, ``5 Maret 2024``, English month names).

Text like ``05/03/2024`` is day first, as Indonesians write it, unless other values in
the same column only make sense month first (``12/25/2024``); which order was used is
said in a note whenever a value could be read both ways. Values are returned as days
since 1970-01-01, the integer form of ``datetime64[D]``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from kematangan.criteria.ruleset import FieldSpec
from kematangan.io.cells import (
    DASHES,
    EXCEL_ERRORS,
    MISSING,
    MISSING_WORDS,
    Reading,
    clean_text,
    dash_missing,
    excel_error,
    shortened,
    show,
)

__all__ = ["DateOrder", "date_order_evidence", "excel_serial_to_date", "read_date"]

DateOrder = Literal["dmy", "mdy"]

_EPOCH = dt.date(1970, 1, 1)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31

_MONTHS = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}

_TIME = r"(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}$")
_NUMERIC = re.compile(rf"^(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}}|\d{{2}}){_TIME}$")
_DAY_MONTH_NAME = re.compile(
    r"^(?:[a-z]+,?\s+)?(\d{1,2})[\s\-/.]+([a-z]+)\.?[\s\-/.,]+(\d{4}|\d{2})$"
)
_MONTH_NAME_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:[.,]\d+)?$")


def excel_serial_to_date(serial: float) -> dt.date:
    """The date of an Excel serial number (1900 date system).

    Examples
    --------
    >>> excel_serial_to_date(45356)
    datetime.date(2024, 3, 5)
    >>> excel_serial_to_date(59), excel_serial_to_date(61)
    (datetime.date(1900, 2, 28), datetime.date(1900, 3, 1))
    """
    days = int(serial)
    if days < 60:
        # Excel counts a 29 February 1900 that never was; serials before it are one
        # day later than a plain count from 1899-12-30 gives.
        days += 1
    return _EXCEL_EPOCH + dt.timedelta(days=days)


def date_order_evidence(value: object) -> DateOrder | None:
    """Which order a numeric date text must be in, if only one makes sense.

    Examples
    --------
    >>> date_order_evidence("25/12/2024"), date_order_evidence("12/25/2024")
    ('dmy', 'mdy')
    >>> date_order_evidence("05/03/2024") is None
    True
    """
    if not isinstance(value, str):
        return None
    m = _NUMERIC.match(clean_text(value))
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a > 12 >= b:
        return "dmy"
    if b > 12 >= a:
        return "mdy"
    return None


def _days(day: dt.date) -> int:
    return (day - _EPOCH).days


def _year(text: str) -> tuple[int, bool]:
    year = int(text)
    if len(text) == 2:
        # Excel's rule for two-digit years: 00-29 are 2000-2029, 30-99 are 19xx.
        return (2000 + year if year < 30 else 1900 + year), True
    return year, False


def _invalid(text: str) -> Reading:
    return Reading(None, "not_a_date", "error", {"text": shortened(text)})


def _make(text: str, year: int, month: int, day: int, code: str = "") -> Reading:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return _invalid(text)
    if not code:
        return Reading(_days(value))
    return Reading(_days(value), code, "note",
                   {"text": shortened(text), "date": value.isoformat()})


def read_date(value: object, spec: FieldSpec, order: DateOrder | None) -> Reading:
    """Read one cell of a date field as days since 1970-01-01.

    ``order`` is the order the column's numeric dates use, when known.

    Examples
    --------
    >>> from kematangan.criteria.ruleset import FieldSpec
    >>> f = FieldSpec.model_validate(
    ...     {"id": "formed_on", "type": "date", "label": "Tanggal pembentukan"})
    >>> import numpy as np
    >>> np.datetime64(read_date("5 Maret 2024", f, None).value, "D")
    np.datetime64('2024-03-05')
    >>> read_date("05/03/2024", f, None).code
    'date_day_first'
    """
    if value is None:
        return MISSING
    if isinstance(value, dt.datetime):
        return Reading(_days(value.date()))
    if isinstance(value, dt.date):
        return Reading(_days(value))
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return _invalid(show(value))
    if isinstance(value, int | float):
        if value != value:  # NaN
            return MISSING
        return _serial(value, show(value))
    text = clean_text(value)
    lowered = text.lower()
    if lowered in MISSING_WORDS:
        return MISSING
    if text in DASHES:
        return dash_missing(text)
    if text.upper() in EXCEL_ERRORS:
        return excel_error(text)
    m = _ISO.match(text)
    if m:
        return _make(text, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC.match(text)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        year, short = _year(m.group(3))
        evidence = date_order_evidence(text)
        use = evidence or order or "dmy"
        day, month = (a, b) if use == "dmy" else (b, a)
        if short:
            return _make(text, year, month, day, "two_digit_year")
        if use == "mdy":
            return _make(text, year, month, day, "date_month_first")
        if evidence is None and a != b and a <= 12:
            return _make(text, year, month, day, "date_day_first")
        return _make(text, year, month, day)
    m = _DAY_MONTH_NAME.match(lowered)
    if m and m.group(2) in _MONTHS:
        year, short = _year(m.group(3))
        return _make(text, year, _MONTHS[m.group(2)], int(m.group(1)),
                     "two_digit_year" if short else "")
    m = _MONTH_NAME_DAY.match(lowered)
    if m and m.group(1) in _MONTHS:
        return _make(text, int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
    m = _COMPACT.match(text)
    if m:
        return _make(text, int(m.group(1)), int(m.group(2)), int(m.group(3)),
                     "compact_date")
    if _SERIAL_TEXT.match(text):
        return _serial(float(text.replace(",", ".")), text)
    return _invalid(text)


def _serial(number: float, text: str) -> Reading:
    if not 1 <= number <= _MAX_SERIAL:
        return _invalid(text)
    value = excel_serial_to_date(number)
    return Reading(_days(value), "excel_serial", "note",
                   {"text": text, "date": value.isoformat()})
