"""Reading a text column at once (kematangan.io.plaincolumns) gives exactly what
reading it cell by cell gives: the same values, the same problems (code, row,
value, count, parameters) and the same convention carried to the next chunk."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kematangan.criteria.ruleset import FieldSpec, Ruleset
from kematangan.io.values import ColumnState, parse_column

_SPECS = {
    "number": FieldSpec.model_validate(
        {"id": "amount", "type": "number", "label": "Jumlah", "unit": "orang"}),
    "fraction": FieldSpec.model_validate(
        {"id": "rate", "type": "number", "label": "Rasio", "min": 0, "max": 1}),
    "integer": FieldSpec.model_validate(
        {"id": "members", "type": "integer", "label": "Anggota", "unit": "orang"}),
    "date": FieldSpec.model_validate(
        {"id": "formed_on", "type": "date", "label": "Tanggal"}),
    "boolean": FieldSpec.model_validate(
        {"id": "active", "type": "boolean", "label": "Aktif"}),
    "category": FieldSpec.model_validate(
        {"id": "kind", "type": "category", "label": "Jenis",
         "categories": ["dagang", "jasa", "Simpan Pinjam"]}),
}

_digits = st.text("0123456789", min_size=1, max_size=17)
_plain_number = st.builds(
    lambda sign, whole, sep, frac: sign + whole + (sep + frac if sep else ""),
    st.sampled_from(["", "", "-"]), _digits, st.sampled_from(["", "", ",", "."]),
    st.text("0123456789", min_size=1, max_size=4))
_iso_date = st.dates().map(lambda d: d.isoformat())
_plain = st.one_of(_plain_number, _iso_date, st.just(""),
                   st.sampled_from(["ya", "tidak", "dagang", "jasa"]))
_messy = st.sampled_from([
    "15 orang", "1.234", "1,234", "12,500", "007", "0,5", "1.234.567", "Rp 1.250.000",
    "12,5%", "95%", " 12 ", "+3", "-", "--", "n/a", "dua", "ya", "Ya", "tidak", "t",
    "1", "0", "TRUE", "#N/A", "05/03/2024", "25/12/2024", "12/25/2024", "5 Maret 2024",
    "2024-02-30", "0000-01-01", "20240305", "45356", "1e5", "١٢", "12\u00a0500",
    "simpan pinjam", "Dagang", "lainnya", "\t", "   ", "1_000", "9" * 20, "0.25",
    "1,5,2", ",5", "5,", "-0", "2024-3-5",
])
_cell = st.one_of(_plain, _plain, _messy)


def _column(draw: st.DrawFn, cells: st.SearchStrategy[str]) -> list[str]:
    pool = draw(st.lists(cells, min_size=1, max_size=8))
    return draw(st.lists(st.sampled_from(pool), min_size=1, max_size=40))


@st.composite
def _columns(draw: st.DrawFn) -> list[list[str]]:
    """One or two chunks of one column: all plain (read at once) or mixed."""
    cells = draw(st.sampled_from([_plain_number, _iso_date, _plain, _cell]))
    return [_column(draw, cells) for _ in range(draw(st.integers(1, 2)))]


def _read(chunks: list[list[str]], spec: FieldSpec, bulk: bool
          ) -> tuple[list[Any], list[Any], ColumnState]:
    state = ColumnState()
    values, problems, start = [], [], 2
    for cells in chunks:
        rows = np.arange(start, start + len(cells))
        out, found = parse_column(cells, spec, column="Kolom", rows=rows, state=state,
                                  bulk=bulk)
        values.append(out.view(np.int64) if out.dtype.kind == "M" else out)
        problems.append(found)
        start += len(cells)
    return values, problems, state


def _same(a: list[Any], b: list[Any]) -> bool:
    return len(a) == len(b) and all(
        x.dtype == y.dtype and (np.array_equal(x, y, equal_nan=True)
                                if x.dtype.kind == "f" else x.tolist() == y.tolist())
        for x, y in zip(a, b, strict=True))


@given(_columns(), st.sampled_from(sorted(_SPECS)))
def test_bulk_reading_equals_reading_cell_by_cell(chunks: list[list[str]],
                                                   kind: str) -> None:
    spec = _SPECS[kind]
    bulk = _read(chunks, spec, bulk=True)
    each = _read(chunks, spec, bulk=False)
    assert _same(bulk[0], each[0])
    assert bulk[1] == each[1]
    assert bulk[2] == each[2]


@given(st.lists(_plain_number, min_size=1, max_size=40))
def test_plain_numbers_keep_their_exact_float(cells: list[str]) -> None:
    values, _ = parse_column(cells, _SPECS["number"], column="c",
                             rows=np.arange(len(cells)))
    state = ColumnState()
    expected, _ = parse_column(cells, _SPECS["number"], column="c",
                               rows=np.arange(len(cells)), state=state, bulk=False)
    assert np.signbit(values).tolist() == np.signbit(expected).tolist()
    assert np.array_equal(values, expected, equal_nan=True)


def test_a_decimal_comma_column_read_at_once_notes_its_first_cell_and_count(
        ruleset: Ruleset) -> None:
    spec = ruleset.field("own_capital_growth_pct")
    cells = ["12", "3,5", "", "4,25", "7"]
    values, found = parse_column(cells, spec, column="Pertumbuhan", rows=np.arange(
        10, 15))
    assert np.array_equal(values, [12.0, 3.5, np.nan, 4.25, 7.0], equal_nan=True)
    assert [(p.code, p.row, p.value, p.count) for p in found] == [
        ("decimal_comma", 11, "3,5", 2)]


def test_one_unit_in_a_column_still_gets_its_note_and_row(ruleset: Ruleset) -> None:
    spec = ruleset.field("members")
    cells = ["12", "15 orang", "20"]
    values, found = parse_column(cells, spec, column="Anggota", rows=np.arange(2, 5))
    assert values.tolist() == [12.0, 15.0, 20.0]
    assert [(p.code, p.row, p.severity) for p in found] == [
        ("unit_dropped", 3, "note")]
