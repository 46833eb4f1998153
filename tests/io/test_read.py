"""Reading whole files: formats, sheets, header rows, rows in = rows out, failures."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError
from kematangan.io import Table, iter_tables, read_table

MakeFile = Callable[..., Path]

HEADER = ["No", "Kode KSM", "Jumlah anggota", "Dibentuk partisipatif", "Tunggakan",
          "Kelurahan"]
ROWS: list[list[Any]] = [
    [1, "KSM-01", 12, "ya", 0, "Sukamaju"],
    [2, "KSM-02", 8, "tidak", 3, "Sukamaju"],
    [3, "KSM-03", "dua", "Ya", None, "Cibeunying"],
]


def _issues(table: Table) -> list[tuple[int | None, str | None, str]]:
    return [(i.row, i.column, i.code) for i in table.issues]


# --- what comes out ------------------------------------------------------------------


def test_xlsx_columns_come_out_in_the_scorers_form(
    make_xlsx: MakeFile, ruleset: Ruleset
) -> None:
    table = read_table(make_xlsx([HEADER, *ROWS]), ruleset)
    assert list(table.columns) == ["formed_participatory", "members",
                                   "arrears_instalments"]
    np.testing.assert_array_equal(table.columns["members"], [12.0, 8.0, math.nan])
    np.testing.assert_array_equal(table.columns["formed_participatory"],
                                  [1.0, 0.0, 1.0])
    assert table.group_ids is not None
    assert table.group_ids.tolist() == ["KSM-01", "KSM-02", "KSM-03"]


def test_row_numbers_are_the_spreadsheet_rows(make_xlsx: MakeFile,
                                             ruleset: Ruleset) -> None:
    table = read_table(make_xlsx([["Laporan KSM"], [], HEADER, *ROWS]), ruleset)
    assert table.header_row == 3
    assert table.row_numbers.tolist() == [4, 5, 6]


def test_unusable_value_is_an_error_at_its_row_and_column(
    make_xlsx: MakeFile, ruleset: Ruleset
) -> None:
    table = read_table(make_xlsx([HEADER, *ROWS]), ruleset)
    assert [(i.row, i.column, i.value, i.severity) for i in table.errors] == [
        (4, "Jumlah anggota", "dua", "error")]


def test_passthrough_keeps_every_column_with_original_headers_and_cells(
    make_xlsx: MakeFile, ruleset: Ruleset
) -> None:
    table = read_table(make_xlsx([HEADER, *ROWS]), ruleset)
    assert list(table.passthrough) == HEADER
    assert table.passthrough["Jumlah anggota"].tolist() == [12.0, 8.0, "dua"]
    assert table.passthrough["Kelurahan"][2] == "Cibeunying"


def test_header_map_and_unmatched_and_missing_fields_are_reported(
    make_xlsx: MakeFile, ruleset: Ruleset
) -> None:
    table = read_table(make_xlsx([HEADER, *ROWS]), ruleset)
    assert table.header_map == {"Kode KSM": "group_id", "Jumlah anggota": "members",
                                "Dibentuk partisipatif": "formed_participatory",
                                "Tunggakan": "arrears_instalments"}
    assert table.unmatched_headers == {"Kelurahan": None}
    assert [(c.header, c.how) for c in table.mapping.with_status("ignored")] == [
        ("No", "number")]
    assert "legal_standing" in table.missing_fields


def test_misspelt_header_gets_a_did_you_mean_note(make_csv: MakeFile,
                                                 ruleset: Ruleset) -> None:
    table = read_table(make_csv([["Kode KSM", "Jumlah anggotta", "Tunggakan"],
                                 ["KSM-01", "3", "0"]]), ruleset)
    assert table.unmatched_headers == {"Jumlah anggotta": "members"}
    note = next(p for p in table.mapping.problems(ruleset)
                if p.code == "unmatched_column_close")
    assert "did you mean members = Number of members?" in note.problem("en")
    assert '--map "Jumlah anggotta=members"' in note.fix("en")


def test_input_without_group_id_column_has_no_group_ids(make_csv: MakeFile,
                                                       ruleset: Ruleset) -> None:
    table = read_table(make_csv([["Jumlah anggota"], ["12"]]), ruleset)
    assert table.group_ids is None


def test_out_of_bounds_values_are_passed_through_for_the_scorer(
    make_csv: MakeFile, ruleset: Ruleset
) -> None:
    table = read_table(make_csv([["Kode KSM", "Jumlah anggota"], ["K", "-3"],
                                 ["L", "9000"]]), ruleset)
    np.testing.assert_array_equal(table.columns["members"], [-3.0, 9000.0])
    assert table.issues == []


# --- rows in, rows out ---------------------------------------------------------------


def test_blank_row_between_data_rows_is_kept_apart_as_not_a_group(
    make_xlsx: MakeFile, ruleset: Ruleset
) -> None:
    table = read_table(make_xlsx([HEADER, ROWS[0], [], [None, "  "], ROWS[1]]),
                       ruleset)
    assert table.row_numbers.tolist() == [2, 5]
    assert table.group_ids is not None
    assert table.group_ids.tolist() == ["KSM-01", "KSM-02"]
    assert table.skipped.numbers.tolist() == [3, 4]
    assert table.skipped.codes == ("row_blank", "row_blank")
    assert table.issues == []


def test_blank_rows_after_the_last_data_row_are_not_data_rows(
    make_csv: MakeFile, ruleset: Ruleset
) -> None:
    table = read_table(make_csv([HEADER, *ROWS, [""] * 6, [""] * 6]), ruleset)
    assert len(table) == 3


def test_header_only_input_gives_an_empty_table(make_csv: MakeFile,
                                                ruleset: Ruleset) -> None:
    table = read_table(make_csv([HEADER]), ruleset)
    assert len(table) == 0
    assert table.columns["members"].shape == (0,)


def test_row_with_more_cells_than_headers_is_kept_and_reported(
    make_csv: MakeFile, ruleset: Ruleset
) -> None:
    table = read_table(make_csv([["Kode KSM", "Jumlah anggota"],
                                 ["KSM-01", "12", "extra"], ["KSM-02"]]), ruleset)
    assert len(table) == 2
    assert _issues(table) == [(2, None, "extra_cells")]
    assert math.isnan(table.columns["members"][1])


# --- header row and sheets --------------------------------------------------------


def test_header_row_is_found_under_a_merged_title(tmp_path: Path,
                                                  ruleset: Ruleset) -> None:
    import xlsxwriter

    path = tmp_path / "judul.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    ws.merge_range(0, 0, 0, 4, "QUICK STATUS KSM TRIWULAN III")
    ws.merge_range(1, 0, 1, 4, "Kelurahan Sukamaju")
    ws.write_row(3, 0, HEADER)
    ws.write_row(4, 0, ROWS[0])
    book.close()
    table = read_table(path, ruleset)
    assert (table.header_row, table.row_numbers.tolist()) == (4, [5])


def test_default_sheet_is_the_first_with_matching_headers(
    make_xlsx: MakeFile, ruleset: Ruleset
) -> None:
    path = make_xlsx(sheets={"Petunjuk": [["Isi data di sheet berikut"]],
                             "Data": [HEADER, *ROWS]})
    assert read_table(path, ruleset).sheet == "Data"


@pytest.mark.parametrize("sheet", ["Triwulan 2", 1, "triwulan 2"])
def test_sheet_is_chosen_by_name_or_index(make_xlsx: MakeFile, ruleset: Ruleset,
                                          sheet: str | int) -> None:
    path = make_xlsx(sheets={"Triwulan 1": [HEADER, ROWS[0]],
                             "Triwulan 2": [HEADER, ROWS[1]]})
    table = read_table(path, ruleset, sheet=sheet)
    assert table.group_ids is not None
    assert table.group_ids.tolist() == ["KSM-02"]


@pytest.mark.parametrize(
    ("sheet", "message"),
    [("Triwulan 3", r"no sheet named 'Triwulan 3' \(did you mean 'Triwulan 1'\?\)"),
     (5, "there is no sheet index 5")],
)
def test_unknown_sheet_is_an_input_error(make_xlsx: MakeFile, ruleset: Ruleset,
                                         sheet: str | int, message: str) -> None:
    path = make_xlsx(sheets={"Triwulan 1": [HEADER, ROWS[0]]})
    with pytest.raises(InputError, match=message):
        read_table(path, ruleset, sheet=sheet)


# --- formats -------------------------------------------------------------------------


def test_xls_workbook_is_read(data_dir: Path, ruleset: Ruleset) -> None:
    table = read_table(data_dir / "ksm.xls", ruleset)
    assert table.header_row == 3
    np.testing.assert_array_equal(table.columns["members"], [12.0, 8.0, math.nan])
    np.testing.assert_array_equal(table.columns["own_capital_growth_pct"],
                                  [12.5, 4.5, math.nan])


def test_ods_workbook_is_read(make_ods: MakeFile, ruleset: Ruleset) -> None:
    path = make_ods([HEADER, *ROWS])
    table = read_table(path, ruleset)
    np.testing.assert_array_equal(table.columns["arrears_instalments"],
                                  [0.0, 3.0, math.nan])


def test_workbook_with_the_wrong_suffix_is_read_by_its_content(
    tmp_path: Path, data_dir: Path, ruleset: Ruleset
) -> None:
    path = tmp_path / "ksm.xlsx"
    shutil.copy(data_dir / "ksm.xls", path)
    assert len(read_table(path, ruleset)) == 3


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiter_is_detected(make_csv: MakeFile, ruleset: Ruleset,
                                   delimiter: str) -> None:
    rows = [HEADER, [1, "KSM-01", "12", "ya", "0", "Suka, Maju"],
            [2, "KSM-02", "7", "tidak", "1", "X"]]
    table = read_table(make_csv(rows, delimiter=delimiter), ruleset)
    np.testing.assert_array_equal(table.columns["members"], [12.0, 7.0])
    assert table.passthrough["Kelurahan"][0] == "Suka, Maju"


def test_semicolon_csv_with_decimal_commas_is_read(make_csv: MakeFile,
                                                   ruleset: Ruleset) -> None:
    rows = [["Kode KSM", "Umur RUK", "Pertumbuhan modal"], ["K1", "2,5", "12,75"],
            ["K2", "1.234", "3"]]
    table = read_table(make_csv(rows, delimiter=";"), ruleset)
    np.testing.assert_array_equal(table.columns["business_plan_months_since_review"],
                                  [2.5, 1234.0])
    assert {i.code for i in table.issues} == {"separator_by_column"}
    assert {p.code for p in table.mapping.conventions} == {"decimal_comma"}


def test_tsv_file_is_read(make_csv: MakeFile, ruleset: Ruleset) -> None:
    path = make_csv([HEADER, [1, "KSM-01", "12", "ya", "0", "A"]], delimiter="\t",
                    name="ksm.tsv")
    assert read_table(path, ruleset).columns["members"].tolist() == [12.0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_text_is_read_in_its_encoding(make_csv: MakeFile, ruleset: Ruleset,
                                              encoding: str) -> None:
    path = make_csv([HEADER, [1, "KSM-01", "12", "ya", "0", "Cilandak Timur é"]],
                    encoding=encoding)
    table = read_table(path, ruleset)
    assert table.passthrough["Kelurahan"][0] == "Cilandak Timur é"
    assert table.issues == []


def test_windows_1252_text_is_read_with_a_note(make_csv: MakeFile,
                                              ruleset: Ruleset) -> None:
    path = make_csv([HEADER, [1, "KSM-01", "12", "ya", "0", "Café “Maju”"]],
                    encoding="cp1252")
    table = read_table(path, ruleset)
    assert table.passthrough["Kelurahan"][0] == "Café “Maju”"
    assert _issues(table) == [(None, None, "encoding"), (2, "Kelurahan", "not_utf8")]


def test_json_list_of_records_is_read(tmp_path: Path, ruleset: Ruleset) -> None:
    path = tmp_path / "ksm.json"
    path.write_text(json.dumps([
        {"kode_ksm": "KSM-01", "members": 12, "legal_standing": True},
        {"kode_ksm": "KSM-02", "members": "1.250", "pengurus": {"ketua": "Ani"}},
    ]))
    table = read_table(path, ruleset)
    np.testing.assert_array_equal(table.columns["members"], [12.0, 1250.0])
    np.testing.assert_array_equal(table.columns["legal_standing"], [1.0, math.nan])
    assert table.row_numbers.tolist() == [1, 2]
    assert table.passthrough["pengurus"].tolist() == [None, '{"ketua":"Ani"}']


def test_kobo_api_json_results_are_read(tmp_path: Path, ruleset: Ruleset) -> None:
    path = tmp_path / "kobo.json"
    path.write_text(json.dumps({"count": 1, "next": None, "results": [
        {"_id": 7, "grp_profil/kode_ksm": "KSM-01", "grp_profil/jumlah_anggota": 12},
    ]}))
    table = read_table(path, ruleset)
    assert table.header_map == {"grp_profil/kode_ksm": "group_id",
                                "grp_profil/jumlah_anggota": "members"}


def test_jsonl_line_that_is_not_json_is_kept_as_an_empty_row_with_an_error(
    tmp_path: Path, ruleset: Ruleset
) -> None:
    path = tmp_path / "ksm.jsonl"
    path.write_text('{"group_id": "K1", "members": 3}\n\n{"group_id": "K2", '
                    '"members": 4\n{"group_id": "K3", "members": 5}\n')
    table = read_table(path, ruleset)
    assert table.row_numbers.tolist() == [1, 3, 4]
    np.testing.assert_array_equal(table.columns["members"], [3.0, math.nan, 5.0])
    assert _issues(table) == [(3, None, "bad_json")]


def test_parquet_file_is_read(tmp_path: Path, ruleset: Ruleset) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "ksm.parquet"
    pq.write_table(pa.table({"group_id": ["K1", None], "members": [12, None],
                             "legal_standing": [True, False]}), path)
    table = read_table(path, ruleset)
    np.testing.assert_array_equal(table.columns["members"], [12.0, math.nan])
    np.testing.assert_array_equal(table.columns["legal_standing"], [1.0, 0.0])


# --- chunks --------------------------------------------------------------------------


def _chunky_rows(n: int) -> list[list[Any]]:
    rows: list[list[Any]] = [HEADER]
    for i in range(n):
        rows.append([i + 1, f"KSM-{i:03d}", "1.250" if i % 7 == 3 else str(i % 40),
                     "ya" if i % 3 else "t", str(i % 4), "X"])
        if i % 11 == 5:
            rows.append([""] * 6)
    rows[20][3] = "mungkin"
    rows[2][2] = "2,5"  # the column shows a decimal comma before any 1.250
    return rows


@pytest.mark.parametrize("chunk_rows", [1, 7, 50])
def test_chunks_read_the_same_values_and_rows_as_one_read(
    make_csv: MakeFile, ruleset: Ruleset, chunk_rows: int
) -> None:
    path = make_csv(_chunky_rows(60))
    whole = read_table(path, ruleset, chunk_rows=10_000)
    chunks = list(iter_tables(path, ruleset, chunk_rows=chunk_rows))
    assert all(len(c) <= chunk_rows for c in chunks)
    assert sum(len(c) for c in chunks) == len(whole)
    joined = read_table(path, ruleset, chunk_rows=chunk_rows)
    for field in whole.columns:
        np.testing.assert_array_equal(joined.columns[field], whole.columns[field])
    assert joined.row_numbers.tolist() == whole.row_numbers.tolist()
    assert [i.to_dict() for i in joined.errors] == [i.to_dict() for i in whole.errors]
    assert {(i.code, i.count) for i in joined.notes} == {
        (i.code, i.count) for i in whole.notes}


def test_chunk_size_must_be_positive(make_csv: MakeFile, ruleset: Ruleset) -> None:
    with pytest.raises(ValueError, match="chunk_rows"):
        list(iter_tables(make_csv([HEADER]), ruleset, chunk_rows=0))


# --- files that cannot be read -----------------------------------------------------


def _bad_file(tmp_path: Path, kind: str, make_xlsx: MakeFile, data: Path) -> Path:
    if kind == "encrypted":
        return data / "encrypted.xlsx"
    path = tmp_path / {"corrupt": "ksm.xlsx", "truncated": "ksm.xlsx",
                       "empty": "ksm.csv", "blank": "ksm.csv",
                       "no headers": "ksm.csv", "json scalar": "ksm.json",
                       "json broken": "ksm.json", "json items": "ksm.json",
                       "unknown suffix": "ksm.docx", "empty sheet": "ksm.xlsx",
                       "missing": "nothing.csv", "empty json": "ksm.json"}[kind]
    if kind == "corrupt":
        path.write_bytes(b"this is not a workbook at all")
    elif kind == "truncated":
        made = make_xlsx([HEADER, *ROWS])
        path.write_bytes(made.read_bytes()[:400])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "blank":
        path.write_text("\n\n  \n")
    elif kind == "no headers":
        path.write_text("Nama,Alamat\nBudi,Jl. Mawar\n")
    elif kind == "json scalar":
        path.write_text('"hello"')
    elif kind == "json broken":
        path.write_text('[{"members": 1}, {"members": ')
    elif kind == "json items":
        path.write_text("[1, 2]")
    elif kind == "empty json":
        path.write_text("[]")
    elif kind == "unknown suffix":
        path.write_text("x")
    elif kind == "empty sheet":
        return make_xlsx([], name="empty.xlsx")
    return path


@pytest.mark.parametrize(
    ("kind", "message", "fix"),
    [
        ("encrypted", "password-protected", "remove the password"),
        ("corrupt", "cannot read 'ksm.xlsx' as a spreadsheet", "save it again"),
        ("truncated", "cannot read 'ksm.xlsx' as a spreadsheet", "save it again"),
        ("empty", r"'?ksm.csv'? is empty \(0 bytes\)", "export the data again"),
        ("blank", "has no data", "export the data again"),
        ("no headers", "no column header in the first 20 rows", "name the columns"),
        ("json scalar", "not a list of records", "list of objects"),
        ("json broken", "not valid JSON", "export it again"),
        ("json items", "item 1: the record is a int, not an object", "as objects"),
        ("empty json", "has no records", "at least one group"),
        ("unknown suffix", "cannot tell how to read", ".xlsx"),
        ("empty sheet", "has no data in any sheet", "right file"),
        ("missing", "file not found", "check the path"),
    ],
)
def test_unreadable_file_is_one_input_error_with_a_fix(
    tmp_path: Path, make_xlsx: MakeFile, data_dir: Path, ruleset: Ruleset, kind: str,
    message: str, fix: str,
) -> None:
    path = _bad_file(tmp_path, kind, make_xlsx, data_dir)
    with pytest.raises(InputError, match=message) as caught:
        read_table(path, ruleset)
    assert caught.value.fix is not None
    assert fix in caught.value.fix


def test_no_headers_error_names_what_it_found_and_what_it_expects(
    make_csv: MakeFile, ruleset: Ruleset
) -> None:
    path = make_csv([["Nama", "Jml anggotta"], ["Budi", "3"]])
    with pytest.raises(InputError) as caught:
        read_table(path, ruleset)
    text = str(caught.value)
    assert "'Nama'" in text
    assert "'Jml anggotta' looks like 'members'" in text
    assert caught.value.fix is not None
    assert "group_id" in caught.value.fix


def test_formula_error_cell_in_xlsx_is_an_error_not_a_blank(
    tmp_path: Path, ruleset: Ruleset
) -> None:
    import xlsxwriter

    path = tmp_path / "rumus.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    ws.write_row(0, 1, ["Kode KSM", "Jumlah anggota", "Tunggakan"])
    ws.write_row(1, 1, ["KSM-01", 12])
    ws.write_formula(1, 3, "=1/0", None, "#DIV/0!")
    ws.write_row(2, 1, ["KSM-02"])
    ws.write_formula(2, 2, "=NA()", None, "#N/A")
    ws.write_number(2, 3, 1)
    book.close()
    table = read_table(path, ruleset)
    assert [(i.row, i.column, i.value, i.code) for i in table.errors] == [
        (2, "Tunggakan", "#DIV/0!", "excel_error"),
        (3, "Jumlah anggota", "#N/A", "excel_error"),
    ]


def _mixed_workbook(path: Path) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.merge_range(0, 1, 0, 5, "QUICK STATUS")
    ws.write_row(2, 1, ["Kode KSM", "Jumlah anggota", "Badan hukum", "Tgl bentuk",
                        "Jenis usaha", "Catatan"])
    ws.write_row(3, 1, ["KSM-01", 12, "ya"])
    ws.write_datetime(3, 4, dt.date(2024, 3, 5), day)
    ws.write_row(3, 5, ["JASA", "rapat <rutin> & \"lancar\""])
    ws.write_row(5, 1, ["KSM-02", "1.250"])
    ws.write_boolean(5, 3, False)
    ws.write_datetime(5, 4, dt.datetime(2023, 1, 2, 10, 30), stamp)
    ws.write_formula(5, 6, "=1/0", None, "#DIV/0!")
    ws.write_row(6, 1, ["KSM-03", 7.5, "tidak", 45356, "dagang"])
    book.close()
    return path


def test_xlsx_reader_gives_what_calamine_gives(tmp_path: Path,
                                               extended: Ruleset) -> None:
    import python_calamine as pc

    from kematangan.io.limits import Limits
    from kematangan.io.xlsxpackage import Package
    from kematangan.io.xlsxstream import XlsxSheet

    path = _mixed_workbook(tmp_path / "campur.xlsx")
    sheet = pc.CalamineWorkbook.from_path(path).get_sheet_by_name("Data")
    first = sheet.start[1] if sheet.start else 0
    expected = [[v for v in row] for row in sheet.iter_rows()]
    with Package(path, Limits()) as package:
        got = [row for _, row in XlsxSheet(package, package.sheets[0]).rows()]
    assert len(got) == len(expected)
    for ours, theirs in zip(got, expected, strict=True):
        ours = ours[first:]
        ours += [""] * (len(theirs) - len(ours))
        # calamine gives a formula error as "", the reader its text.
        assert [v if v != "#DIV/0!" else "" for v in ours] == theirs
    table = read_table(path, extended)
    assert table.row_numbers.tolist() == [4, 6, 7]
    assert table.skipped.numbers.tolist() == [5]
    assert table.passthrough["Catatan"][0] == 'rapat <rutin> & "lancar"'
    assert next(iter(table.passthrough)) == "Kode KSM"
