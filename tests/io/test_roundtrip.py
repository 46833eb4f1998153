"""Property: valid values written to .xlsx or .csv are read back equal."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kematangan.criteria import load_ruleset
from kematangan.criteria.ruleset import FieldSpec, Ruleset
from kematangan.io import read_table, write_table
from kematangan.io.table import Table

# The extended ruleset of conftest.py, rebuilt here: a module-level strategy cannot
# take a pytest fixture.
_BASE = load_ruleset("ppmk-ksm").model_dump(mode="json", by_alias=True,
                                            exclude_none=True)
_BASE["fields"] = [*_BASE["fields"],
                   {"id": "formed_on", "type": "date", "label": "Tanggal pembentukan"},
                   {"id": "business_type", "type": "category", "label": "Jenis usaha",
                    "categories": ["dagang", "jasa", "Simpan Pinjam"]},
                   {"id": "repayment_rate", "type": "number",
                    "label": "Tingkat pengembalian", "min": 0, "max": 1}]
RULESET = Ruleset.model_validate(_BASE)


def _value(spec: FieldSpec) -> st.SearchStrategy[Any]:
    """Valid values of one field, in the scorer's form, or missing."""
    if spec.type == "integer":
        low = int(spec.min) if spec.min is not None else -10**6
        high = int(spec.max) if spec.max is not None else 10**6
        inner: st.SearchStrategy[Any] = st.integers(low, high).map(float)
    elif spec.type == "number":
        inner = st.floats(spec.min if spec.min is not None else -1e12,
                          spec.max if spec.max is not None else 1e12,
                          allow_nan=False, allow_infinity=False)
    elif spec.type == "boolean":
        inner = st.sampled_from([0.0, 1.0])
    elif spec.type == "category":
        inner = st.sampled_from(spec.categories or [])
    else:
        inner = st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31))
    return st.none() | inner


_GROUP_ID = st.text("KSM-0123456789abcxyz", min_size=1, max_size=12)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], dict[str, list[Any]]]:
    """A few rows of random valid values for every field, each with a group id."""
    n = draw(st.integers(1, 12))
    columns: dict[str, list[Any]] = {"group_id": draw(
        st.lists(_GROUP_ID, min_size=n, max_size=n))}
    for spec in RULESET.fields:
        columns[spec.id] = draw(st.lists(_value(spec), min_size=n, max_size=n))
    return columns["group_id"], columns


def _as_written(spec: FieldSpec, values: list[Any]) -> np.ndarray[Any, Any]:
    if spec.type == "category":
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    if spec.type == "date":
        nat = np.datetime64("NaT")
        return np.array([nat if v is None else np.datetime64(v, "D") for v in values],
                        dtype="M8[D]")
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def _check(table: Table, ids: list[str], columns: dict[str, list[Any]],
           rtol: float) -> None:
    assert table.group_ids is not None
    assert table.group_ids.tolist() == ids
    assert table.errors == []
    for spec in RULESET.fields:
        want = _as_written(spec, columns[spec.id])
        got = table.columns[spec.id]
        assert got.dtype == want.dtype, spec.id
        if spec.type in ("number", "integer") and rtol:
            np.testing.assert_allclose(got, want, rtol=rtol, err_msg=spec.id)
        else:
            np.testing.assert_array_equal(got, want, err_msg=spec.id)


def _round_trip(suffix: str, columns: dict[str, list[Any]]) -> Table:
    written = {"group_id": columns["group_id"]} | {
        s.id: _as_written(s, columns[s.id]) for s in RULESET.fields}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"data{suffix}"
        # A program reading the file back wants the text unchanged: no quote in
        # front of text that starts like a formula.
        write_table(path, written, escape_formulas=False)
        return read_table(path, RULESET)


# Modest example counts: every example writes and reads a file.
@settings(max_examples=40, deadline=None)
@given(tables())
def test_valid_values_written_to_csv_read_back_equal(
    data: tuple[list[str], dict[str, list[Any]]],
) -> None:
    ids, columns = data
    _check(_round_trip(".csv", columns), ids, columns, rtol=0)


# xlsxwriter writes numbers with 16 significant digits (Excel shows 15).
@settings(max_examples=25, deadline=None)
@given(tables())
def test_valid_values_written_to_xlsx_read_back_equal(
    data: tuple[list[str], dict[str, list[Any]]],
) -> None:
    ids, columns = data
    _check(_round_trip(".xlsx", columns), ids, columns, rtol=1e-15)
