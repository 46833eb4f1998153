"""Check and encode record values into the plan's float form.

Values of the wrong type, out of bounds, or outside a field's categories become
missing (NaN) and are reported as :class:`~kematangan.scoring.result.RecordIssue`;
nothing is coerced silently. Missing values are missing, never zero.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.errors import suggest
from kematangan.scoring.plan import FieldSlot, Plan, date_to_days
from kematangan.scoring.result import RecordIssue, trusted

__all__ = ["encode_column", "encode_record", "encode_value", "is_missing"]

NAN = math.nan


def is_missing(raw: Any) -> bool:
    """Whether ``raw`` means "no value": None, NaN, NaT or pandas' NA.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0)
    (True, True, False)
    """
    if raw is None:
        return True
    if isinstance(raw, float | np.floating):
        return bool(math.isnan(raw))
    if isinstance(raw, np.datetime64):
        return bool(np.isnat(raw))
    return type(raw).__name__ in ("NAType", "NaTType")


def _show(raw: Any) -> str:
    if isinstance(raw, str):
        return f"text {raw!r}"
    if isinstance(raw, bool | np.bool_):
        return "true" if raw else "false"
    return f"{type(raw).__name__} {raw!r}"


def _bounds_fix(slot: FieldSlot) -> str:
    lo = f"{slot.min:g}" if slot.min is not None else "any"
    hi = f"{slot.max:g}" if slot.max is not None else "any"
    return f"give a value from {lo} to {hi}, or leave it blank if unknown"


def encode_value(slot: FieldSlot, raw: Any) -> tuple[float, str | None, str | None]:
    """Encode one raw value for ``slot``: (value, problem, fix).

    A problem means the value is unusable and is encoded as missing (NaN).

    Examples
    --------
    >>> from kematangan.scoring.plan import FieldSlot
    >>> members = FieldSlot("members", 0, "integer", 0, 500, (), "Members")
    >>> encode_value(members, 12)
    (12.0, None, None)
    >>> encode_value(members, 12.5)[1]
    'not a whole number: 12.5'
    >>> encode_value(members, -3)[1]
    'value -3 is below the minimum 0'
    """
    t = slot.type
    tp = type(raw)
    # The common cases first: None, a plain bool, or a plain number within bounds.
    if raw is None:
        return NAN, None, None
    if tp is bool and t == "boolean":
        return (1.0 if raw else 0.0), None, None
    if (tp is int and t in ("number", "integer")) or (
        tp is float and t == "number" and math.isfinite(raw)
    ):
        if (slot.min is None or raw >= slot.min) and (slot.max is None
                                                      or raw <= slot.max):
            return float(raw), None, None
    if is_missing(raw):
        return NAN, None, None
    if t in ("number", "integer"):
        if isinstance(raw, bool | np.bool_) or not isinstance(
            raw, int | float | np.integer | np.floating | decimal.Decimal
        ):
            return NAN, f"expected a number, got {_show(raw)}", (
                "give a plain number (spreadsheet text such as '12,5' is read by "
                "kematangan's file readers)")
        v = float(raw)
        if not math.isfinite(v):
            return NAN, f"expected a finite number, got {raw!r}", "give a finite number"
        if t == "integer" and not v.is_integer():
            return NAN, f"not a whole number: {raw!r}", "give a whole number"
        if slot.min is not None and v < slot.min:
            return NAN, f"value {v:g} is below the minimum {slot.min:g}", _bounds_fix(
                slot)
        if slot.max is not None and v > slot.max:
            return NAN, f"value {v:g} is above the maximum {slot.max:g}", _bounds_fix(
                slot)
        return v, None, None
    if t == "boolean":
        if isinstance(raw, bool | np.bool_):
            return (1.0 if raw else 0.0), None, None
        if isinstance(raw, int | float | np.integer | np.floating) and raw in (0, 1):
            return float(raw), None, None
        return NAN, f"expected true or false, got {_show(raw)}", (
            "give true/false (or 1/0)")
    if t == "category":
        if isinstance(raw, str) and raw in slot.categories:
            return float(slot.categories.index(raw)), None, None
        allowed = ", ".join(slot.categories)
        close = suggest(str(raw), slot.categories) if isinstance(raw, str) else None
        hint = f"did you mean {close!r}? " if close else ""
        return NAN, f"{_show(raw)} is not one of the categories", (
            f"{hint}use one of: {allowed}")
    if t == "date":
        if isinstance(raw, _dt.date):
            return date_to_days(raw), None, None
        if isinstance(raw, np.datetime64):
            return float(raw.astype("datetime64[D]").astype(np.int64)), None, None
        if isinstance(raw, str):
            try:
                return date_to_days(_dt.date.fromisoformat(raw.strip())), None, None
            except ValueError:
                pass
        return NAN, f"expected a date, got {_show(raw)}", (
            "give a date as YYYY-MM-DD")
    raise AssertionError(f"unknown field type {t}")


def _issue(*, row: int | None, field: str, value: Any, problem: str, fix: str
           ) -> RecordIssue:
    # Built from trusted values: skipping validation matters when a wrong column
    # gives an issue on every row.
    return trusted(RecordIssue, {"row": row, "field": field, "value": value,
                                 "problem": problem, "fix": fix})


def encode_record(plan: Plan, record: Mapping[str, Any], row: int | None
                  ) -> tuple[list[float], list[RecordIssue]]:
    """Encode one record's field values (in plan order) and list its issues."""
    values: list[float] = []
    issues: list[RecordIssue] = []
    get = record.get
    for slot, numeric, lo, hi in _fast_bounds(plan):
        raw = get(slot.id)
        # Inline fast paths for the common cells; anything else takes encode_value.
        if raw is None:
            values.append(NAN)
            continue
        tp = type(raw)
        if numeric and (tp is int or (tp is float and raw - raw == 0.0)) and (
            lo <= raw <= hi
        ):  # raw - raw is 0.0 only for a finite float: NaN and inf go the slow way
            values.append(float(raw))
            continue
        if tp is bool and slot.type == "boolean":
            values.append(1.0 if raw else 0.0)
            continue
        v, problem, fix = encode_value(slot, raw)
        values.append(v)
        if problem is not None:
            issues.append(_issue(row=row, field=slot.id, value=_jsonable(raw),
                                      problem=problem, fix=fix or ""))
    return values, issues


_BOUNDS: dict[str, list[tuple[FieldSlot, bool, float, float]]] = {}


def _fast_bounds(plan: Plan) -> list[tuple[FieldSlot, bool, float, float]]:
    """Per field: whether a plain float is accepted as is (a number field; an
    integer field only takes plain ints, checked by encode_value), and its bounds."""
    found = _BOUNDS.get(plan.content_hash)
    if found is None:
        found = _BOUNDS[plan.content_hash] = [
            (f, f.type == "number",
             f.min if f.min is not None else -math.inf,
             f.max if f.max is not None else math.inf)
            for f in plan.fields]
    return found


def encode_column(slot: FieldSlot, column: Sequence[Any] | npt.NDArray[Any], n: int,
                  issues: list[RecordIssue]) -> npt.NDArray[np.float64]:
    """Encode a whole column; numeric numpy columns take a vectorized path."""
    arr = column if isinstance(column, np.ndarray) else None
    if arr is not None and arr.ndim != 1:
        raise ValueError(f"column {slot.id!r} must be one-dimensional")
    if arr is not None and len(arr) != n:
        raise ValueError(f"column {slot.id!r} has {len(arr)} values, expected {n}")
    if arr is not None and slot.type in ("number", "integer", "boolean") and (
        arr.dtype.kind in "fiub"
    ):
        return _encode_numeric(slot, arr, issues)
    if arr is not None and slot.type == "category" and arr.dtype.kind in "OUT":
        return _encode_category(slot, arr, issues)
    if arr is not None and slot.type == "date" and arr.dtype.kind == "M":
        days = arr.astype("datetime64[D]")
        out = days.astype(np.int64).astype(np.float64)
        out[np.isnat(days)] = NAN
        return out
    seq = list(column)
    if len(seq) != n:
        raise ValueError(f"column {slot.id!r} has {len(seq)} values, expected {n}")
    out = np.empty(n, dtype=np.float64)
    for i, raw in enumerate(seq):
        v, problem, fix = encode_value(slot, raw)
        out[i] = v
        if problem is not None:
            issues.append(_issue(row=i, field=slot.id, value=_jsonable(raw),
                                      problem=problem, fix=fix or ""))
    return out


def _encode_category(slot: FieldSlot, arr: npt.NDArray[Any],
                     issues: list[RecordIssue]) -> npt.NDArray[np.float64]:
    out = np.full(len(arr), NAN)
    matched = np.zeros(len(arr), dtype=bool)
    for code, cat in enumerate(slot.categories):
        hit = arr == cat
        out[hit] = code
        matched |= hit
    if arr.dtype.kind == "O":
        with np.errstate(invalid="ignore"):
            missing = np.asarray([x is None for x in arr]) | (arr != arr)
    else:
        missing = np.zeros(len(arr), dtype=bool)
    for i in np.flatnonzero(~matched & ~missing):
        raw = arr[i]
        _, problem, fix = encode_value(slot, raw)
        if problem is None:  # e.g. pandas' NA: missing, not an error
            continue
        issues.append(_issue(row=int(i), field=slot.id, value=_jsonable(raw),
                                  problem=problem, fix=fix or ""))
    return out


def _encode_numeric(slot: FieldSlot, arr: npt.NDArray[Any],
                    issues: list[RecordIssue]) -> npt.NDArray[np.float64]:
    # A float64 column is used as it is (no copy) unless a value must be blanked.
    out = arr.astype(np.float64, copy=False)
    if slot.type == "boolean":
        bad = ~np.isnan(out) & (out != 0.0) & (out != 1.0)
    else:
        if arr.dtype.kind == "b":
            bad = np.ones(len(out), dtype=bool)
        else:
            with np.errstate(invalid="ignore"):
                bad = np.isinf(out)
                if slot.type == "integer":
                    bad |= ~np.isnan(out) & (np.floor(out) != out)
                if slot.min is not None:
                    bad |= out < slot.min
                if slot.max is not None:
                    bad |= out > slot.max
    if bad.any():
        rows = np.flatnonzero(bad)
        fixed = _bounds_fix(slot)
        raws = arr[rows].tolist()
        for i, raw in zip(rows.tolist(), raws, strict=True):
            if slot.type != "boolean" and type(raw) is float and raw - raw == 0.0 and (
                float(raw).is_integer() or slot.type == "number"
            ):
                # Out of bounds, the common case: the message without the general
                # checker (a wrong column can give an issue on every row).
                if slot.min is not None and raw < slot.min:
                    problem = f"value {raw:g} is below the minimum {slot.min:g}"
                else:
                    problem = f"value {raw:g} is above the maximum {slot.max:g}"
                issues.append(_issue(row=i, field=slot.id, value=raw,
                                     problem=problem, fix=fixed))
                continue
            _, problem_, fix = encode_value(slot, raw)
            issues.append(_issue(row=i, field=slot.id, value=_jsonable(raw),
                                 problem=problem_ or "invalid value", fix=fix or ""))
        out = out.copy() if out is arr else out
        out[bad] = NAN
    return out


def _jsonable(raw: Any) -> Any:
    """A JSON-safe copy of a raw value for an issue report."""
    if raw is None or isinstance(raw, bool | int | str):
        return raw
    if isinstance(raw, float):
        return raw if math.isfinite(raw) else str(raw)
    if isinstance(raw, np.generic):
        return _jsonable(raw.item())
    if isinstance(raw, _dt.date):
        return raw.isoformat()
    return repr(raw)
