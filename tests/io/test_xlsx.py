""".xlsx read by kematangan's own streaming reader: the same cells as python-calamine
gives for what Excel-like writers produce, and clear errors or row issues for what
they never produce."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError
from kematangan.io import Limits, read_table
from kematangan.io.xlsxpackage import Package
from kematangan.io.xlsxstream import XlsxSheet
from tests.hostile import files


def _rows(path: Path, limits: Limits | None = None) -> tuple[list[list[Any]], list[Any]]:
    with Package(path, limits or Limits()) as package:
        sheet = XlsxSheet(package, package.sheets[0])
        return [row for _, row in sheet.rows()], sheet.issues


def _calamine(path: Path) -> list[list[Any]]:
    import python_calamine as pc

    sheet = pc.CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    first = sheet.start[1] if sheet.start else 0
    return [[""] * first + list(row) for row in sheet.iter_rows()]


def _same(ours: list[list[Any]], theirs: list[list[Any]]) -> None:
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        width = max(len(a), len(b))
        assert a + [""] * (width - len(a)) == b + [""] * (width - len(b))


_CELL = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
            max_size=12),
    st.integers(-10**9, 10**9),
    st.floats(-1e12, 1e12, allow_nan=False),
    st.booleans(),
    st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31)),
    st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2099, 12, 31)).map(
        lambda d: d.replace(microsecond=0)),
    st.none(),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=6), max_size=8), st.booleans(),
       st.integers(0, 3))
def test_cells_are_what_calamine_gives(rows: list[list[Any]], shared: bool,
                                       first_row: int) -> None:
    import xlsxwriter

    path = Path(tempfile.mkdtemp()) / "x.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": not shared,
                                           "strings_to_numbers": False,
                                           "strings_to_formulas": False,
                                           "strings_to_urls": False})
    ws = book.add_worksheet("Data")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for r, row in enumerate(rows, start=first_row):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, stamp)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, value, day)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write(r, c, value)
    book.close()
    ours, issues = _rows(path)
    assert issues == []
    _same(ours, _calamine(path))


def test_rich_text_joins_runs_and_leaves_out_phonetic_guides(tmp_path: Path) -> None:
    sst = (f'<sst xmlns="{files.MAIN}"><si><r><t>Maju</t></r><r><rPr><b/></rPr>'
           '<t xml:space="preserve"> Jaya</t></r><rPh><t>まじゅ</t></rPh></si></sst>')
    path = files.xlsx(tmp_path / "rich.xlsx", files.sheet(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><r><t>a'
        "</t></r><r><t>b</t></r></is></c></row>"), shared=sst)
    assert _rows(path)[0] == [["Maju Jaya", "ab"]]


def test_workbook_with_1904_dates_reads_the_right_day(tmp_path: Path) -> None:
    styles = (f'<styleSheet xmlns="{files.MAIN}"><cellXfs><xf numFmtId="0"/>'
              '<xf numFmtId="14"/></cellXfs></styleSheet>')
    path = files.xlsx(tmp_path / "m.xlsx", files.sheet(
        '<row r="1"><c r="A1" s="1"><v>43891</v></c></row>'), styles=styles,
        workbook_extra='<workbookPr date1904="1"/>')
    assert _rows(path)[0] == [[dt.date(2024, 3, 2)]]


def test_iso_date_cells_and_strict_namespace_are_read(tmp_path: Path) -> None:
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    path = files.xlsx(tmp_path / "s.xlsx", files.sheet(
        '<row r="1"><c r="A1" t="d"><v>2024-03-05</v></c><c r="B1" t="d"><v>'
        "2024-03-05T10:30:00</v></c></row>", ns=strict))
    assert _rows(path)[0] == [[dt.date(2024, 3, 5), dt.datetime(2024, 3, 5, 10, 30)]]


@pytest.mark.parametrize(("cell", "expected"), [
    ('<c r="A1"><v>abc</v></c>', "a number"),
    ('<c r="A1"><v>inf</v></c>', "a number"),
    ('<c r="A1"><v>1_000</v></c>', "a number"),
    ('<c r="A1" t="s"><v>7</v></c>', "shared-strings"),
    ('<c r="A1" t="b"><v>2</v></c>', "TRUE or FALSE"),
    ('<c r="A1" t="d"><v>5 Maret</v></c>', "an ISO date"),
    ('<c r="A1" t="q"><v>1</v></c>', "a known cell type"),
])
def test_a_value_the_format_does_not_allow_is_its_cells_error(
        tmp_path: Path, cell: str, expected: str) -> None:
    path = files.xlsx(tmp_path / "v.xlsx", files.sheet(f'<row r="1">{cell}</row>'))
    rows, issues = _rows(path)
    assert rows == [[None]]
    assert [(i.row, i.col, i.code) for i in issues] == [(1, 0, "bad_cell")]
    assert expected in issues[0].problem()


def test_formula_saved_without_its_result_is_reported(tmp_path: Path,
                                                      ruleset: Ruleset) -> None:
    path = files.xlsx(tmp_path / "f.xlsx", files.sheet(
        files.table_rows(1) + files.row(3, "KSM-02", inner='<c r="B3"><f>B2*2</f>'
                                        '</c><c r="D3"><f>1</f></c>')))
    table = read_table(path, ruleset)
    found = [(i.row, i.column, i.code, i.severity) for i in table.issues
             if i.code == "formula_without_value"]
    # in a field's column it is an error; in a column no field reads, a note
    assert found == [(3, "Jumlah anggota", "formula_without_value", "error"),
                     (3, "column D", "formula_without_value", "note")]


def test_cell_longer_than_max_cell_chars_is_cut_with_an_error(tmp_path: Path) -> None:
    sst = f'<sst xmlns="{files.MAIN}"><si><t>{"s" * 300}</t></si></sst>'
    path = files.xlsx(tmp_path / "l.xlsx", files.sheet(
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"i" * 300}</t></is></c>'
        '<c r="B1" t="s"><v>0</v></c></row>'), shared=sst)
    rows, issues = _rows(path, Limits(max_cell_chars=100))
    assert rows == [["i" * 100, "s" * 100]]
    assert [(i.col, i.code) for i in issues] == [(0, "cell_too_long"),
                                                (1, "cell_too_long")]
    assert "300 characters" in issues[0].problem()


def test_parts_are_found_through_the_package_relationships(
        tmp_path: Path, ruleset: Ruleset) -> None:
    import zipfile

    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    path = tmp_path / "elsewhere.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("_rels/.rels", f'<Relationships xmlns="{pkg}"><Relationship '
                   f'Id="a" Type="{rel}/officeDocument" Target="wb/main.xml"/>'
                   "</Relationships>")
        z.writestr("wb/main.xml", f'<workbook xmlns="{files.MAIN}" xmlns:r="{rel}">'
                   '<sheets><sheet name="Data" sheetId="1" r:id="s"/></sheets>'
                   "</workbook>")
        z.writestr("wb/_rels/main.xml.rels", f'<Relationships xmlns="{pkg}">'
                   f'<Relationship Id="s" Type="{rel}/worksheet" '
                   'Target="/data/one.xml"/></Relationships>')
        z.writestr("data/one.xml", files.sheet(files.table_rows()))
    assert len(read_table(path, ruleset)) == 3


def test_hidden_sheet_is_read_only_after_visible_ones_with_a_note(
        tmp_path: Path, ruleset: Ruleset) -> None:
    path = files.xlsx(tmp_path / "h.xlsx", files.sheet(files.table_rows()),
                      sheets='<sheet name="Data" sheetId="1" state="hidden" '
                      'r:id="rId1"/>')
    table = read_table(path, ruleset)
    note = next(i for i in table.issues if i.code == "hidden_sheet")
    assert note.severity == "note" and "hidden" in note.problem()
    assert not [i for i in read_table(path, ruleset, sheet="Data").issues
                if i.code == "hidden_sheet"]


def test_rows_beyond_the_last_row_a_sheet_can_have_are_refused(tmp_path: Path,
                                                               ruleset: Ruleset
                                                               ) -> None:
    path = files.xlsx(tmp_path / "b.xlsx", files.sheet(
        files.table_rows() + '<row r="1048577"/>'))
    with pytest.raises(InputError, match="past the last row a sheet can have"):
        read_table(path, ruleset)


def test_stray_cell_far_right_is_reported_not_widened(tmp_path: Path,
                                                      ruleset: Ruleset) -> None:
    rows = files.table_rows(30) + files.row(40, "KSM-X", 1, 0,
                                            inner='<c r="XFD40"><v>7</v></c>')
    table = read_table(files.xlsx(tmp_path / "w.xlsx", files.sheet(rows)), ruleset)
    assert list(table.passthrough) == ["Kode KSM", "Jumlah anggota", "Tunggakan"]
    assert [(i.row, i.code) for i in table.errors] == [(40, "extra_cells")]


def test_empty_column_left_of_the_table_is_not_a_column(tmp_path: Path,
                                                        ruleset: Ruleset) -> None:
    rows = "".join(f'<row r="{r}"><c r="C{r}" t="inlineStr"><is><t>{a}</t></is></c>'
                   f'<c r="D{r}"><v>{b}</v></c></row>'
                   for r, (a, b) in enumerate([("Kode KSM", 0), ("A", 3), ("B", 4)],
                                              start=1))
    rows = rows.replace("<v>0</v>", "<v>0</v>").replace(
        '<c r="D1"><v>0</v></c>',
        '<c r="D1" t="inlineStr"><is><t>Jumlah anggota</t></is></c>')
    rows += '<row r="30"><c r="A30"><v>9</v></c><c r="C30" t="inlineStr"><is><t>C'
    rows += "</t></is></c></row>"
    table = read_table(files.xlsx(tmp_path / "o.xlsx", files.sheet(rows)), ruleset)
    assert list(table.passthrough) == ["Kode KSM", "Jumlah anggota"]
    assert [(i.row, i.code) for i in table.errors] == [(30, "left_of_table")]
