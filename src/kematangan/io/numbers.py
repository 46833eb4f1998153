"""Read numbers written the Indonesian way, the English way, or stored as text.

Indonesian spreadsheets write ``1.234,5`` (a point between thousands, a decimal
comma); English ones write ``1,234.5``. Most values show which convention they use,
but ``1.234`` and ``1,234`` do not: each is a thousand-and-some in one convention and
just over one in the other. Such a value is read by the convention of the other
values in its column (:func:`decimal_evidence` collects it); failing that, an integer
field reads it with a thousands separator (the other reading is not a whole number);
otherwise it is reported and read as missing. Every value whose form was changed is
reported with a note.
"""

from __future__ import annotations

import math
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
    quoted,
    show,
)

__all__ = ["Decimal", "decimal_evidence", "read_number", "split_number"]

Decimal = Literal["point", "comma"]

_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_SPACE_GROUPS = re.compile(r"^\d{1,3}(?: \d{3})+(?:[.,]\d+)?$")
_EXPONENT = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+$")
_POINT_GROUPS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_COMMA_GROUPS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d*)?$")


def split_number(text: str) -> tuple[str, str, bool, bool, bool] | None:
    """Split cleaned number text into sign, body, and whether it had a percent sign,
    a currency prefix or spaces between thousands; ``None`` if it is no number.

    Examples
    --------
    >>> split_number("Rp 1 250 000")
    ('', '1250000', False, True, True)
    >>> split_number("-12,5%")
    ('-', '12,5', True, False, False)
    >>> split_number("dua") is None
    True
    """
    s = text
    currency = False
    m = _CURRENCY.match(s)
    if m:
        s, currency = s[m.end():], True
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    sign = ""
    if s[:1] in ("+", "-", "\u2212"):
        sign, s = ("-" if s[0] != "+" else ""), s[1:].lstrip()
    spaced = False
    if " " in s:
        if not _SPACE_GROUPS.match(s):
            return None
        s, spaced = s.replace(" ", ""), True
    if not (_is_body(s) or _EXPONENT.match(s)):
        return None
    return sign, s, percent, currency, spaced


def _is_body(s: str) -> bool:
    """Digits, points and commas, with at least one digit. (A regular expression
    for this backtracks: a long run of digits made it quadratic.)"""
    return s.replace(".", "").replace(",", "").isdecimal()


def _thousands_shaped(whole: str, frac: str) -> bool:
    """``1.234`` or ``12,345``: a separator that could be a thousands separator."""
    return len(frac) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0")


def decimal_evidence(body: str) -> Decimal | None:
    """Which decimal separator ``body`` shows it uses, if it shows one.

    Examples
    --------
    >>> decimal_evidence("1.234,5"), decimal_evidence("12,5"), decimal_evidence("0.75")
    ('comma', 'comma', 'point')
    >>> decimal_evidence("1.234") is None, decimal_evidence("12") is None
    (True, True)
    """
    if "e" in body or "E" in body:
        return "point"
    has_point, has_comma = "." in body, "," in body
    if has_point and has_comma:
        return "point" if body.rfind(".") > body.rfind(",") else "comma"
    for sep in (".", ","):
        if sep in body:
            parts = body.split(sep)
            as_decimal: Decimal = "point" if sep == "." else "comma"
            as_thousands: Decimal = "comma" if sep == "." else "point"
            if len(parts) > 2:
                return as_thousands
            if not _thousands_shaped(parts[0], parts[1]):
                return as_decimal
            return None
    return None


_NOTE_FIX = "nothing to do if this is right; otherwise correct the cell"


def read_number(value: object, spec: FieldSpec, decimal: Decimal | None) -> Reading:
    """Read one cell of a number or integer field.

    ``decimal`` is the decimal separator the column uses, when known.

    Examples
    --------
    >>> from kematangan.criteria.ruleset import FieldSpec
    >>> members = FieldSpec.model_validate(
    ...     {"id": "members", "type": "integer", "label": "Jumlah anggota"})
    >>> read_number("1.234", members, None)[:2]
    (1234.0, 'ambiguous_separator')
    >>> read_number("12,5", members, None).severity
    'error'
    """
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return Reading(
            None, "not_a_number", "error",
            f"{quoted(show(value))} is a yes/no value, not a number; read as missing",
            f"write a number for {spec.label.get()}",
        )
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number):
            return MISSING
        if math.isinf(number):
            return _not_a_number(show(value), spec)
        if spec.type == "integer" and not number.is_integer():
            return _check_whole(number, show(value), spec, Reading(number))
        return Reading(number)
    if not isinstance(value, str):
        return Reading(
            None, "not_a_number", "error",
            f"{quoted(show(value))} is a date or time, not a number; read as missing",
            "format the column as Number in the spreadsheet and type the value again",
        )
    text = clean_text(value)
    if text.lower() in MISSING_WORDS:
        return MISSING
    if text in DASHES:
        return dash_missing(text)
    if text.upper() in EXCEL_ERRORS:
        return excel_error(text)
    parts = split_number(text)
    if parts is None:
        return _not_a_number(text, spec)
    sign, body, percent, currency, spaced = parts
    parsed = _read_body(body, text, spec, decimal)
    if parsed.value is None:
        return parsed
    number = float(parsed.value) * (-1.0 if sign else 1.0)
    if math.isinf(number):  # more digits than a number can hold
        return _not_a_number(text, spec)
    code, why = parsed.code, parsed.problem
    if percent:
        fraction = spec.max is not None and spec.max <= 1
        number = number / 100 if fraction else number
        code = "percent"
        why = ("the field is a fraction from 0 to 1" if fraction
               else "the field is not a fraction, so the percent sign is dropped")
    elif currency:
        code, why = "currency", "currency prefix removed"
    elif spaced:
        code, why = "thousands_separator", "spaces between thousands removed"
    checked = _check_whole(number, text, spec, Reading(number))
    if not code or checked.value is None:
        return checked
    return Reading(number, code, "note", f"{quoted(text)} read as {show(number)} ({why})",
                   _NOTE_FIX)


def _not_a_number(text: str, spec: FieldSpec) -> Reading:
    unit = f" (in {spec.unit})" if spec.unit else ""
    return Reading(
        None, "not_a_number", "error",
        f"{quoted(text)} is not a number; read as missing",
        f"write {spec.label.get()} as a number{unit}, e.g. "
        f"{'12' if spec.type == 'integer' else '12 or 12,5'}, or leave the cell blank "
        "if it is unknown",
    )


def _check_whole(number: float, text: str, spec: FieldSpec, ok: Reading) -> Reading:
    if spec.type == "integer" and not number.is_integer():
        return Reading(
            None, "not_whole", "error",
            f"{quoted(text)} is not a whole number; read as missing",
            f"write {spec.label.get()} as a whole number",
        )
    return ok


def _read_body(body: str, text: str, spec: FieldSpec,
               decimal: Decimal | None) -> Reading:
    """Read the digits and separators of a number; a note's ``problem`` is only the
    reason, which :func:`read_number` puts into a sentence."""
    if body.isdigit() or _EXPONENT.match(body):
        return Reading(float(body))
    has_point, has_comma = "." in body, "," in body
    if has_point and has_comma:
        if _POINT_GROUPS.match(body):
            return Reading(float(body.replace(",", "")), "thousands_separator",
                           "note", "comma between thousands")
        if _COMMA_GROUPS.match(body):
            return Reading(float(body.replace(".", "").replace(",", ".")),
                           "decimal_comma", "note",
                           "decimal comma, point between thousands")
        return _not_a_number(text, spec)
    sep = "." if has_point else ","
    parts = body.split(sep)
    if len(parts) > 2:
        if (_COMMA_GROUPS if sep == "." else _POINT_GROUPS).match(body):
            name = "point" if sep == "." else "comma"
            return Reading(float(body.replace(sep, "")), "thousands_separator",
                           "note", f"{name} between thousands")
        return _not_a_number(text, spec)
    whole, frac = parts
    as_decimal = float(f"{whole or '0'}.{frac or '0'}")
    if not _thousands_shaped(whole, frac):
        if sep == ".":
            return Reading(as_decimal)
        return Reading(as_decimal, "decimal_comma", "note", "decimal comma")
    as_thousands = float(whole + frac)
    own: Decimal = "point" if sep == "." else "comma"
    if decimal is not None:
        how = "decimal" if decimal == own else "thousands"
        return Reading(
            as_decimal if decimal == own else as_thousands, "ambiguous_separator",
            "note",
            f"the other values in this column use a decimal {decimal}, so {sep!r} "
            f"is a {how} separator")
    if spec.type == "integer":
        return Reading(as_thousands, "ambiguous_separator", "note",
                       f"{sep!r} taken as a thousands separator: the field holds "
                       "whole numbers")
    return Reading(
        None, "ambiguous_separator", "error",
        f"{quoted(text)} could be {show(as_thousands)} or {show(as_decimal)}; read as "
        "missing",
        f"for {show(as_thousands)} write {whole}{frac} without a separator; for "
        f"{show(as_decimal)} type it into a cell formatted as Number",
    )
