"""Check and encode record values into the plan's float form.

Values of the wrong type, out of bounds, or outside a field's categories become
missing (NaN) and are reported as :class:`~kematangan.problems.Problem` items;
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
from kematangan.problems import Problem
from kematangan.scoring.plan import FieldSlot, Plan, date_to_days

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


Failure = tuple[str, dict[str, Any]]
"""Why a value is unusable (or, for a note, how it was read): a problem code and
its parameters."""

NOTES = frozenset({"above_unconfirmed_maximum", "below_unconfirmed_minimum"})
"""Codes of values used as they are, with a note."""


def _got(raw: Any) -> dict[str, Any]:
    return {"value": _jsonable(raw), "type": type(raw).__name__}


def _bounds(slot: FieldSlot, v: float) -> dict[str, Any]:
    return {"value": v, "min": slot.min, "max": slot.max}


def encode_value(slot: FieldSlot, raw: Any) -> tuple[float, Failure | None]:
    """Encode one raw value for ``slot``: (value, failure).

    A failure (a problem code and its parameters, see
    :mod:`kematangan.catalogue.record`) means the value is unusable and is encoded
    as missing (NaN), except a note (:data:`NOTES`): a value beyond a bound the
    ruleset marks unconfirmed is used as it is.

    Examples
    --------
    >>> from kematangan.scoring.plan import FieldSlot
    >>> members = FieldSlot("members", 0, "integer", 0, 500, (), "Members")
    >>> encode_value(members, 12)
    (12.0, None)
    >>> encode_value(members, 12.5)[1]
    ('not_whole', {'value': 12.5, 'type': 'float'})
    >>> encode_value(members, -3)[1]
    ('below_minimum', {'value': -3.0, 'min': 0, 'max': 500})
    """
    t = slot.type
    tp = type(raw)
    # The common cases first: None, a plain bool, or a plain number within bounds.
    if raw is None:
        return NAN, None
    if tp is bool and t == "boolean":
        return (1.0 if raw else 0.0), None
    if (tp is int and t in ("number", "integer")) or (
        tp is float and t == "number" and math.isfinite(raw)
    ):
        if (slot.min is None or raw >= slot.min) and (slot.max is None
                                                      or raw <= slot.max):
            return float(raw), None
    if is_missing(raw):
        return NAN, None
    if t in ("number", "integer"):
        return _encode_number(slot, raw)
    if t == "boolean":
        if isinstance(raw, bool | np.bool_):
            return (1.0 if raw else 0.0), None
        if isinstance(raw, int | float | np.integer | np.floating) and raw in (0, 1):
            return float(raw), None
        return NAN, ("expected_boolean", _got(raw))
    if t == "category":
        if isinstance(raw, str) and raw in slot.categories:
            return float(slot.categories.index(raw)), None
        close = suggest(str(raw), slot.categories) if isinstance(raw, str) else None
        params = {**_got(raw), "allowed": list(slot.categories)}
        if close is None:
            return NAN, ("not_a_category", params)
        return NAN, ("not_a_category_close", {**params, "suggestion": close})
    if t == "date":
        if isinstance(raw, _dt.date):
            return date_to_days(raw), None
        if isinstance(raw, np.datetime64):
            return float(raw.astype("datetime64[D]").astype(np.int64)), None
        if isinstance(raw, str):
            try:
                return date_to_days(_dt.date.fromisoformat(raw.strip())), None
            except ValueError:
                pass
        return NAN, ("expected_date", _got(raw))
    raise AssertionError(f"unknown field type {t}")


def _encode_number(slot: FieldSlot, raw: Any) -> tuple[float, Failure | None]:
    if isinstance(raw, bool | np.bool_) or not isinstance(
        raw, int | float | np.integer | np.floating | decimal.Decimal
    ):
        return NAN, ("expected_number", _got(raw))
    try:
        v = float(raw)
    except OverflowError:  # an int (or Decimal) beyond any float
        return NAN, ("not_finite", _got(raw))
    if not math.isfinite(v):
        return NAN, ("not_finite", _got(raw))
    if slot.type == "integer" and not v.is_integer():
        return NAN, ("not_whole", _got(raw))
    if slot.min is not None and v < slot.min:
        if "min" in slot.unconfirmed:
            return v, ("below_unconfirmed_minimum", _bounds(slot, v))
        return NAN, ("below_minimum", _bounds(slot, v))
    if slot.max is not None and v > slot.max:
        if "max" in slot.unconfirmed:
            return v, ("above_unconfirmed_maximum", _bounds(slot, v))
        return NAN, ("above_maximum", _bounds(slot, v))
    return v, None


def _problem(failure: Failure, *, row: int | None, field: str, value: Any
             ) -> Problem:
    code = failure[0]
    return Problem(code, failure[1], "note" if code in NOTES else "error", row=row,
                   field=field, value=value)


def encode_record(plan: Plan, record: Mapping[str, Any], row: int | None
                  ) -> tuple[list[float], list[Problem]]:
    """Encode one record's field values (in plan order) and list its problems
    (reported at ``row``).

    The common cells (missing, a plain number within bounds, a yes/no) are taken by
    a function generated once per plan, with each field's bounds as constants;
    every other cell goes through :func:`encode_value`, in field order.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.scoring.plan import compile_plan
    >>> plan = compile_plan(load_ruleset("ppmk-ksm"))
    >>> values, problems = encode_record(plan, {"members": 12, "market_access": "ya"},
    ...                                  row=4)
    >>> values[plan.value_index("members")], [(p.code, p.row) for p in problems]
    (12.0, [('expected_boolean', 4)])
    """
    values, slow = _record_encoder(plan)(record.get)
    problems: list[Problem] = []
    if slow:
        fields = plan.fields
        for i, raw in slow:
            slot = fields[i]
            values[i], failure = encode_value(slot, raw)
            if failure is not None:
                problems.append(_problem(failure, row=row, field=slot.id,
                                         value=_jsonable(raw)))
    return values, problems


RecordEncoder = Any
"""``encode(get) -> (values, [(field index, raw value), ...])``: a plan's generated
fast path; the pairs are the cells it leaves to :func:`encode_value`."""


def _record_encoder(plan: Plan) -> RecordEncoder:
    """Generate (once per plan) the fast path of :func:`encode_record`: one branch
    per field, field ids as string literals and bounds as named constants."""
    found: RecordEncoder | None = plan.memo.get("record_encoder")
    if found is not None:
        return found
    consts: dict[str, Any] = {"NAN": NAN, "int": int, "float": float, "type": type}
    lines = ["def encode(get):", f"    values = [NAN] * {len(plan.fields)}",
             "    slow = []"]
    for i, (slot, kind, lo, hi) in enumerate(_fast_bounds(plan)):
        consts[f"lo{i}"], consts[f"hi{i}"] = lo, hi
        lines.append(f"    raw = get({slot.id!r})")
        lines.append("    if raw is not None:")
        if kind == 2:  # a number field: an int, or a finite float (raw - raw == 0)
            lines.append("        tp = type(raw)")
            lines.append(f"        if (tp is int or (tp is float and raw - raw == 0.0))"
                         f" and lo{i} <= raw <= hi{i}:")
            lines.append(f"            values[{i}] = float(raw)")
        elif kind == 1:  # an integer field: ints only (a float may be a fraction)
            lines.append(f"        if type(raw) is int and lo{i} <= raw <= hi{i}:")
            lines.append(f"            values[{i}] = float(raw)")
        elif slot.type == "boolean":
            lines.append("        if raw is True:")
            lines.append(f"            values[{i}] = 1.0")
            lines.append("        elif raw is False:")
            lines.append(f"            values[{i}] = 0.0")
        if kind or slot.type == "boolean":
            lines.append("        else:")
            lines.append(f"            slow.append(({i}, raw))")
        else:
            lines.append(f"        slow.append(({i}, raw))")
    lines.append("    return values, slow")
    exec(compile("\n".join(lines), f"<kematangan encoder {plan.ruleset_id}>",
                 "exec"), consts)
    found = plan.memo["record_encoder"] = consts["encode"]
    return found


def _fast_bounds(plan: Plan) -> list[tuple[FieldSlot, int, float, float]]:
    """Per field: which plain numbers are taken as they are (2: an int or a finite
    float, for a number field; 1: an int, for an integer field, whose floats
    encode_value checks for a fraction; 0: none), and its bounds."""
    found: list[tuple[FieldSlot, int, float, float]] | None = plan.memo.get(
        "fast_bounds")
    if found is None:
        found = plan.memo["fast_bounds"] = [
            (f, {"number": 2, "integer": 1}.get(f.type, 0),
             f.min if f.min is not None else -math.inf,
             f.max if f.max is not None else math.inf)
            for f in plan.fields]
    return found


def encode_column(slot: FieldSlot, column: Sequence[Any] | npt.NDArray[Any],
                  rows: npt.NDArray[np.int64], problems: list[Problem]
                  ) -> npt.NDArray[np.float64]:
    """Encode a whole column; numeric numpy columns take a vectorized path.

    ``rows`` gives the row number to report each value's problem at (one per
    value); problems are appended to ``problems``.
    """
    n = len(rows)
    arr = column if isinstance(column, np.ndarray) else None
    if arr is not None and arr.ndim != 1:
        raise ValueError(f"column {slot.id!r} must be one-dimensional")
    if arr is not None and len(arr) != n:
        raise ValueError(f"column {slot.id!r} has {len(arr)} values, expected {n}")
    if arr is not None and slot.type in ("number", "integer", "boolean") and (
        arr.dtype.kind in "fiub"
    ):
        return _encode_numeric(slot, arr, rows, problems)
    if arr is not None and slot.type == "category" and arr.dtype.kind in "OUT":
        return _encode_category(slot, arr, rows, problems)
    if arr is not None and slot.type in ("category", "date") and arr.dtype.kind == "f":
        # Mostly missing (NaN): only the cells holding a number are looked at,
        # one by one, exactly as the cell-by-cell path would (each is a problem).
        out = np.full(n, NAN)
        for i in np.flatnonzero(~np.isnan(arr)).tolist():
            raw = arr[i].item()  # a Python float, shown as the user gave it
            out[i], failure = encode_value(slot, raw)
            if failure is not None:
                problems.append(_problem(failure, row=int(rows[i]), field=slot.id,
                                         value=_jsonable(raw)))
        return out
    if arr is not None and slot.type == "date" and arr.dtype.kind == "M":
        days = arr.astype("datetime64[D]")
        out = days.astype(np.int64).astype(np.float64)
        out[np.isnat(days)] = NAN
        return out
    seq = column if isinstance(column, list) else list(column)
    if len(seq) != n:
        raise ValueError(f"column {slot.id!r} has {len(seq)} values, expected {n}")
    bulk = _bulk(slot, seq)
    if bulk is not None and slot.type in ("number", "integer", "boolean"):
        return _encode_numeric(slot, bulk, rows, problems, raws=seq)
    if bulk is not None:
        return encode_column(slot, bulk, rows, problems)
    out = np.empty(n, dtype=np.float64)
    for i, raw in enumerate(seq):
        v, failure = encode_value(slot, raw)
        out[i] = v
        if failure is not None:
            problems.append(_problem(failure, row=int(rows[i]), field=slot.id,
                                     value=_jsonable(raw)))
    return out


_NONE = type(None)
_BULK_TYPES: dict[str, frozenset[type]] = {
    "number": frozenset({int, float, _NONE}), "integer": frozenset({int, float, _NONE}),
    "boolean": frozenset({bool, _NONE}), "category": frozenset({str, _NONE}),
    "date": frozenset({_dt.date, _NONE}),
}
"""Python types a list column of each field type may hold to be converted in one
numpy call; anything else (a bool in a number field, a text, a Decimal, a datetime)
goes cell by cell, with its problems."""
_BULK_DTYPE: dict[str, npt.DTypeLike] = {
    "number": np.float64, "integer": np.float64, "boolean": np.float64,
    "category": object, "date": "datetime64[D]"}


def _bulk(slot: FieldSlot, seq: list[Any]) -> npt.NDArray[Any] | None:
    """A list column as one numpy array when every value is of a type the
    vectorised checks read exactly as the cell-by-cell ones (None is missing)."""
    if not set(map(type, seq)) <= _BULK_TYPES[slot.type]:
        return None
    try:
        arr: npt.NDArray[Any] = np.array(seq, dtype=_BULK_DTYPE[slot.type])
    except (OverflowError, ValueError):  # an int too large for a float
        return None
    return arr


def _encode_category(slot: FieldSlot, arr: npt.NDArray[Any],
                     rows: npt.NDArray[np.int64], problems: list[Problem]
                     ) -> npt.NDArray[np.float64]:
    out = np.full(len(arr), NAN)
    try:
        hits = [np.asarray(arr == cat, dtype=bool) for cat in slot.categories]
    except TypeError:  # pandas' NA compares as neither true nor false
        arr = np.array([None if is_missing(x) else x for x in arr], dtype=object)
        hits = [np.asarray(arr == cat, dtype=bool) for cat in slot.categories]
    matched = np.zeros(len(arr), dtype=bool)
    for code, hit in enumerate(hits):
        out[hit] = code
        matched |= hit
    # Only the few values that match no category are looked at one by one: a
    # missing one (None, NaN, NA) is missing, anything else a problem.
    for i in np.flatnonzero(~matched):
        raw = arr[i]
        if is_missing(raw):
            continue
        _, failure = encode_value(slot, raw)
        if failure is not None:
            problems.append(_problem(failure, row=int(rows[i]), field=slot.id,
                                     value=_jsonable(raw)))
    return out


def _encode_numeric(slot: FieldSlot, arr: npt.NDArray[Any],
                    rows: npt.NDArray[np.int64], problems: list[Problem],
                    raws: Sequence[Any] | None = None) -> npt.NDArray[np.float64]:
    """``raws``: the values as given, when ``arr`` was converted from them (the
    problems then show what the user gave, 600 rather than 600.0)."""
    # A float64 column is used as it is (no copy) unless a value must be blanked.
    out = arr.astype(np.float64, copy=False)
    if slot.type == "boolean":
        bad = ~np.isnan(out) & (out != 0.0) & (out != 1.0)
    else:
        if arr.dtype.kind == "b":
            bad = np.ones(len(out), dtype=bool)
        else:
            with np.errstate(invalid="ignore"):
                # NaN (missing) fails every comparison, so it is never flagged;
                # infinities fall outside finite bounds.
                lo = -np.inf if slot.min is None else slot.min
                hi = np.inf if slot.max is None else slot.max
                bad = (out < lo) | (out > hi)
                if not (np.isfinite(lo) and np.isfinite(hi)):
                    bad |= np.isinf(out)
                if slot.type == "integer":
                    bad |= (out - np.floor(out)) > 0.0
    if bad.any():
        at = np.flatnonzero(bad)
        given = arr[at].tolist() if raws is None else [raws[i] for i in at.tolist()]
        unusable = np.zeros(len(out), dtype=bool)
        for i, raw in zip(at.tolist(), given, strict=True):
            v, failure = encode_value(slot, raw)
            assert failure is not None  # encode_value reports what ``bad`` marks
            problems.append(_problem(failure, row=int(rows[i]), field=slot.id,
                                     value=_jsonable(raw)))
            unusable[i] = v != v
        if unusable.any():
            out = out.copy() if out is arr else out
            out[unusable] = NAN
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
