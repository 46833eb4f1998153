"""Writing result tables and the data-entry template."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError
from kematangan.io import ResultWriter, read_table, write_table, write_template
from kematangan.io.template import header_text


def _results() -> dict[str, Any]:
    return {
        "Kode KSM": ["KSM-01", "KSM-02", "KSM-03"],
        "skor": np.array([49.0, math.nan, 100.0]),
        "tahap": np.array(["penumbuhan", None, "pelepasan"], dtype=object),
        "siap_dilepas": np.array([False, False, True]),
        "anggota": np.array([12, 8, 20]),
        "tanggal": np.array(["2024-03-05", "NaT", "2023-12-31"], dtype="M8[D]"),
        "catatan": ["=1+1", "", 12.5],
    }


def _sheet_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
    return re.findall(r'<sheet name="([^"]+)"', workbook)


def _cells(path: Path, sheet: int = 0) -> list[list[Any]]:
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_path(path)
    return [list(r) for r in book.get_sheet_by_index(sheet).iter_rows()]


def test_xlsx_has_the_results_sheet_then_the_extra_sheets(tmp_path: Path) -> None:
    path = tmp_path / "hasil.xlsx"
    written = write_table(path, _results(), sheets={
        "errors": {"row": [3], "problem": ["x"]},
        "summary": {"n": [3]}, "ruleset": {"id": ["ppmk-ksm"]},
    })
    assert written == [path]
    assert _sheet_names(path) == ["results", "errors", "summary", "ruleset"]


def test_xlsx_cells_keep_their_types_and_missing_is_blank(tmp_path: Path) -> None:
    path = tmp_path / "hasil.xlsx"
    write_table(path, _results())
    rows = _cells(path)
    assert rows[0] == list(_results())
    assert rows[1][:6] == ["KSM-01", 49.0, "penumbuhan", False, 12.0,
                           dt.date(2024, 3, 5)]
    assert rows[2][1:3] == ["", ""]
    assert rows[2][5] == ""


def test_xlsx_writes_formula_like_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "hasil.xlsx"
    write_table(path, _results())
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert _cells(path)[1][6] == "=1+1"


def test_csv_writes_missing_as_empty_and_numbers_plainly(tmp_path: Path) -> None:
    path = tmp_path / "hasil.csv"
    write_table(path, _results())
    lines = path.read_text().splitlines()
    assert lines[0] == "Kode KSM,skor,tahap,siap_dilepas,anggota,tanggal,catatan"
    assert lines[1] == "KSM-01,49,penumbuhan,false,12,2024-03-05,'=1+1"
    assert lines[2] == "KSM-02,,,false,8,,"


def test_csv_never_writes_a_number_that_reads_as_thousands(tmp_path: Path) -> None:
    path = tmp_path / "hasil.csv"
    write_table(path, {"x": np.array([123.456, 1.5, -999.125])})
    assert path.read_text().splitlines()[1:] == ["123.4560", "1.5", "-999.1250"]


def test_extra_sheets_of_a_csv_are_files_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "hasil.csv"
    written = write_table(path, _results(), sheets={"errors": {"row": [3]}})
    assert written == [path, tmp_path / "hasil.errors.csv"]
    assert (tmp_path / "hasil.errors.csv").read_text() == "row\n3\n"


def test_jsonl_has_one_object_per_row_with_nulls(tmp_path: Path) -> None:
    path = tmp_path / "hasil.jsonl"
    write_table(path, _results())
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows[1] == {"Kode KSM": "KSM-02", "skor": None, "tahap": None,
                       "siap_dilepas": False, "anggota": 8, "tanggal": None,
                       "catatan": ""}
    assert rows[0]["tanggal"] == "2024-03-05"


def test_parquet_keeps_column_types(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "hasil.parquet"
    write_table(path, _results())
    table = pq.read_table(path)
    types = {f.name: str(f.type) for f in table.schema}
    assert types == {"Kode KSM": "string", "skor": "double", "tahap": "string",
                     "siap_dilepas": "bool", "anggota": "int64",
                     "tanggal": "date32[day]", "catatan": "string"}
    assert table.column("skor").to_pylist() == [49.0, None, 100.0]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".jsonl", ".parquet"])
def test_writer_appends_chunks_in_order(tmp_path: Path, ruleset: Ruleset,
                                        suffix: str) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    path = tmp_path / f"hasil{suffix}"
    with ResultWriter(path) as writer:
        writer.write({"group_id": ["K1", "K2"], "members": np.array([1.0, 2.0])})
        writer.write({"group_id": ["K3"], "members": np.array([3.0])})
    table = read_table(path, ruleset)
    assert table.group_ids is not None
    assert table.group_ids.tolist() == ["K1", "K2", "K3"]
    np.testing.assert_array_equal(table.columns["members"], [1.0, 2.0, 3.0])


def test_chunks_with_other_columns_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="same columns"), \
            ResultWriter(tmp_path / "hasil.csv") as writer:
        writer.write({"a": [1]})
        writer.write({"b": [1]})


def test_columns_of_different_lengths_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="differ in length"):
        write_table(tmp_path / "hasil.csv", {"a": [1, 2], "b": [1]})


def test_unknown_output_suffix_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot write '\.docx'"):
        write_table(tmp_path / "hasil.docx", {"a": [1]})


# --- template ------------------------------------------------------------------------


def test_template_headers_are_indonesian_labels_with_units(
    tmp_path: Path, ruleset: Ruleset
) -> None:
    path = write_template(tmp_path / "isian.xlsx", ruleset)
    header = _cells(path)[0]
    assert header[0] == "Kode/nama KSM"
    assert header[1:] == [header_text(f) for f in ruleset.fields]
    assert "Jumlah anggota (orang)" in header


def test_template_reads_back_with_every_field_and_no_issue(
    tmp_path: Path, extended: Ruleset
) -> None:
    path = write_template(tmp_path / "isian.xlsx", extended)
    table = read_table(path, extended)
    assert table.missing_fields == ()
    assert table.issues == []
    assert [c.how for c in table.mapping.columns] == ["label"] * (
        len(extended.fields) + 1)


def test_template_example_row_is_recognised_and_not_scored(
    tmp_path: Path, ruleset: Ruleset
) -> None:
    table = read_table(write_template(tmp_path / "isian.xlsx", ruleset), ruleset)
    assert len(table) == 0
    assert table.skipped.codes == ("row_example",)
    assert table.skipped.numbers.tolist() == [2]


def test_template_example_row_comes_from_the_richest_embedded_case(
    tmp_path: Path, ruleset: Ruleset
) -> None:
    table = read_table(write_template(tmp_path / "isian.xlsx", ruleset), ruleset)
    cells = table.skipped.cells
    assert cells["Jumlah anggota (orang)"].tolist() == [20.0]
    assert cells["Bekerja sama dengan pihak luar komunitas"].tolist() == ["ya"]


def test_template_offers_drop_down_lists_for_yes_no_and_categories(
    tmp_path: Path, extended: Ruleset
) -> None:
    path = write_template(tmp_path / "isian.xlsx", extended)
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert '"ya,tidak"' in sheet
    assert '"dagang,jasa,produksi,Simpan Pinjam"' in sheet
    assert 'type="whole"' in sheet and 'type="date"' in sheet


def test_template_explains_every_column_on_a_help_sheet(
    tmp_path: Path, ruleset: Ruleset
) -> None:
    path = write_template(tmp_path / "isian.xlsx", ruleset)
    assert _sheet_names(path) == ["data", "petunjuk"]
    help_rows = _cells(path, 1)
    ids = [r[1] for r in help_rows[3:]]
    assert ids == ["group_id", *(f.id for f in ruleset.fields)]


def test_english_template_uses_english_labels(tmp_path: Path,
                                              ruleset: Ruleset) -> None:
    path = write_template(tmp_path / "form.xlsx", ruleset, lang="en")
    assert _cells(path)[0][1] == "Formed through a participatory process"
    assert read_table(path, ruleset).missing_fields == ()


# --- output opened in a spreadsheet -----------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+62-812", "-2+3", "@SUM(A1)", "\t=1",
                                  "\r=1", '=HYPERLINK("http://x","y")'])
def test_csv_text_that_starts_like_a_formula_gets_a_quote(tmp_path: Path,
                                                          text: str) -> None:
    path = tmp_path / "hasil.csv"
    write_table(path, {"catatan": [text]})
    with path.open(encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh)) == [["catatan"], ["'" + text]]


@pytest.mark.parametrize("text", ["-3", "+5", "-1.234,5", "-12%", "-", "---", "KSM-01"])
def test_numbers_and_dashes_are_not_quoted(tmp_path: Path, text: str) -> None:
    path = tmp_path / "hasil.tsv"
    write_table(path, {"catatan": [text], "skor": np.array([-3.5])})
    with path.open(encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh, delimiter="\t"))[1] == [text, "-3.5"]


def test_headers_and_mixed_columns_are_neutralised_too(tmp_path: Path) -> None:
    path = tmp_path / "hasil.csv"
    write_table(path, {"=kolom": ["@a", None, 7.0, "x"]})
    with path.open(encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh)) == [["'=kolom"], ["'@a"], [""], ["7"], ["x"]]


def test_neutralising_can_be_turned_off_for_programs(tmp_path: Path) -> None:
    path = tmp_path / "hasil.csv"
    write_table(path, {"catatan": ["=1+1"]}, escape_formulas=False)
    assert path.read_text(encoding="utf-8").splitlines() == ["catatan", "=1+1"]


def test_carriage_return_inside_a_cell_is_quoted(tmp_path: Path) -> None:
    path = tmp_path / "hasil.csv"
    write_table(path, {"catatan": ["baris\rbaru"]}, escape_formulas=False)
    assert path.read_bytes() == b'catatan\r\n"baris\rbaru"\r\n'


def test_xlsx_refuses_more_columns_than_a_sheet_has(tmp_path: Path) -> None:
    columns = {f"c{i}": [1.0] for i in range(16_385)}
    with pytest.raises(InputError, match="16,385 columns do not fit"):
        write_table(tmp_path / "lebar.xlsx", columns)


def test_xlsx_refuses_a_cell_longer_than_excel_holds(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="32,768 characters does not fit") as caught:
        write_table(tmp_path / "panjang.xlsx", {"catatan": ["a", "x" * 32_768]})
    assert (caught.value.row, caught.value.column) == (3, "catatan")
