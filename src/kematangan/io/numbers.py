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
from typing import Any, Literal

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


def _label(spec: FieldSpec) -> dict[str, str | None]:
    return spec.label.model_dump()


def read_number(value: object, spec: FieldSpec, decimal: Decimal | None) -> Reading:
    """Read one cell of a number or integer field.

    ``decimal`` is the decimal separator the column uses, when known.

    Examples
    --------
    >>> from kematangan.criteria.ruleset import FieldSpec
    >>> members = FieldSpec.model_validate(
    ...     {"id": "members", "type": "integer", "label": "Jumlah anggota"})
    >>> read_number("1.234", members, None)[:2]
    (1234.0, 'separator_as_thousands')
    >>> read_number("12,5", members, None).severity
    'error'
    """
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return Reading(None, "yes_no_not_number", "error",
                       {"text": show(value), "label": _label(spec)})
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
        return Reading(None, "date_not_number", "error",
                       {"text": shortened(show(value))})
    text = clean_text(value)
    if text.lower() in MISSING_WORDS:
        return MISSING
    if text in DASHES:
        return dash_missing(text)
    if text.upper() in EXCEL_ERRORS:
        return excel_error(text)
    parts = split_number(text)
    unit = ""
    if parts is None:
        text, unit = _without_unit(text, spec)
        parts = split_number(text) if unit else None
        if parts is None:
            return _not_a_number(clean_text(value), spec)
    sign, body, percent, currency, spaced = parts
    parsed = _read_body(body, text, spec, decimal)
    if parsed.value is None:
        return parsed
    number = float(parsed.value) * (-1.0 if sign else 1.0)
    if math.isinf(number):  # more digits than a number can hold
        return _not_a_number(text, spec)
    code = parsed.code
    params: dict[str, Any] = {}
    if unit:
        written = clean_text(value) if isinstance(value, str) else text
        text, code, params = written, "unit_dropped", {"unit": unit}
    elif percent:
        fraction = spec.max is not None and spec.max <= 1
        number = number / 100 if fraction else number
        code = "percent_fraction" if fraction else "percent_dropped"
    elif currency:
        code = "currency"
    elif spaced:
        code = "thousands_separator"
    checked = _check_whole(number, text, spec, Reading(number))
    if not code or checked.value is None:
        return checked
    return Reading(number, code, "note",
                   {"text": shortened(text), "number": number, **params})


def _without_unit(text: str, spec: FieldSpec) -> tuple[str, str]:
    """``"20 orang"`` as ``("20", "orang")`` when the word after the number is the
    field's unit (or its English symbol); else ``(text, "")``."""
    if not spec.unit or " " not in text:
        return text, ""
    head, _, tail = text.rpartition(" ")
    if tail.lower().rstrip(".") == spec.unit.lower().rstrip(".") and head.strip():
        return head.strip(), tail
    return text, ""


def _not_a_number(text: str, spec: FieldSpec) -> Reading:
    return Reading(None, "not_a_number", "error", {
        "text": shortened(text), "label": _label(spec),
        "example": 12 if spec.type == "integer" else 12.5})


def _check_whole(number: float, text: str, spec: FieldSpec, ok: Reading) -> Reading:
    if spec.type == "integer" and not number.is_integer():
        return Reading(None, "text_not_whole", "error",
                       {"text": shortened(text), "label": _label(spec)})
    return ok


def _read_body(body: str, text: str, spec: FieldSpec,
               decimal: Decimal | None) -> Reading:
    """Read the digits and separators of a number; a note's parameters are filled
    in by :func:`read_number`."""
    if body.isdigit() or _EXPONENT.match(body):
        return Reading(float(body))
    has_point, has_comma = "." in body, "," in body
    if has_point and has_comma:
        if _POINT_GROUPS.match(body):
            return Reading(float(body.replace(",", "")), "thousands_separator",
                           "note")
        if _COMMA_GROUPS.match(body):
            return Reading(float(body.replace(".", "").replace(",", ".")),
                           "decimal_comma", "note")
        return _not_a_number(text, spec)
    sep = "." if has_point else ","
    parts = body.split(sep)
    if len(parts) > 2:
        if (_COMMA_GROUPS if sep == "." else _POINT_GROUPS).match(body):
            return Reading(float(body.replace(sep, "")), "thousands_separator",
                           "note")
        return _not_a_number(text, spec)
    whole, frac = parts
    as_decimal = float(f"{whole or '0'}.{frac or '0'}")
    if not _thousands_shaped(whole, frac):
        if sep == ".":
            return Reading(as_decimal)
        return Reading(as_decimal, "decimal_comma", "note")
    as_thousands = float(whole + frac)
    own: Decimal = "point" if sep == "." else "comma"
    if decimal is not None:
        return Reading(as_decimal if decimal == own else as_thousands,
                       "separator_by_column", "note")
    if spec.type == "integer":
        return Reading(as_thousands, "separator_as_thousands", "note")
    return Reading(None, "ambiguous_separator", "error", {
        "text": shortened(text), "thousands": as_thousands, "decimal": as_decimal,
        "digits": whole + frac})
