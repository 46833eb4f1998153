"""Rows below the headers that are not groups: recognised, not scored, kept in
order with why; merged headers; repeated and blank group ids."""

from __future__ import annotations

from typing import Any

import pytest

from kematangan.criteria.ruleset import Ruleset
from kematangan.io import read_table
from kematangan.io.rows import RowSorter
from tests.io.conftest import MakeFile

HEADER = ["No", "Kode KSM", "Jumlah anggota", "Tunggakan", "Kelurahan"]
GROUP = [1, "KSM-01", 12, 0, "Sukamaju"]


def _sorter() -> RowSorter:
    return RowSorter(HEADER, [None, "group_id", "members", "arrears_instalments",
                              None], "group_id", HEADER)


@pytest.mark.parametrize(("row", "code"), [
    ([None, None, None, None, None], "row_blank"),
    (["(1)", "(2)", "(3)", "(4)", "(5)"], "row_numbering"),
    ([1, 2, 3, 4, 5], "row_numbering"),
    (["[1]", "[2]", None, "[4]", "[5]"], "row_numbering"),
    ([None, "JUMLAH", 87, 3, None], "row_total"),
    ([None, "Jumlah KSM", 87, 3, None], "row_total"),
    (["TOTAL Kel. Sukamaju", None, 87, 3, None], "row_total"),
    ([None, "RATA-RATA", 9.7, 0.3, None], "row_total"),
    ([None, "Sub Total", 40, 1, None], "row_total"),
    (HEADER, "row_header"),
    ([None, "CONTOH-01", 20, 0, None], "row_example"),
    ([None, None, None, "Sukamaju, 30 September 2024", None], "row_footer"),
    ([None, "Mengetahui,", None, "Fasilitator", None], "row_footer"),
    ([None, "( Drs. H. Asep Saepudin )", None, None, None], "row_footer"),
    ([None, "NIP. 19700101 199003 1 005", None, None, None], "row_footer"),
    ([None, "Keterangan: data per 30 September", None, None, None], "row_footer"),
])
def test_row_that_is_not_a_group_is_recognised(row: list[Any], code: str) -> None:
    found = _sorter().sort(row)
    assert found is not None and found[0] == code


@pytest.mark.parametrize("row", [
    GROUP,
    [2, "Total Jaya", 8, 1, "Sukamaju"],  # a group whose name starts like a total
    [3, "KSM Jumlah Makmur", 8, 1, None],
    [None, "KSM-02", None, None, None],  # a group with no data yet is a group
    [4, None, 9, 0, "Sukamaju"],  # data without an id: a group, named by its row
])
def test_group_rows_are_groups(row: list[Any]) -> None:
    assert _sorter().sort(row) is None


def test_rows_after_a_signature_mark_are_footer_until_a_group_row() -> None:
    s = _sorter()
    rows: list[list[Any]] = [[None, "Mengetahui,", None, None, None],
            [None, "Lurah Sukamaju", None, None, None],
            [None, "Budi Santoso", None, None, None],
            [5, "KSM-05", 12, 0, "Sukamaju"]]
    assert [None if (x := s.sort(r)) is None else x[0] for r in rows] == [
        "row_footer", "row_footer", "row_footer", None]


def test_rows_that_are_not_groups_come_out_in_order_with_why(
        make_xlsx: MakeFile, ruleset: Ruleset) -> None:
    rows = [["REKAP KSM"], [], HEADER, ["(1)", "(2)", "(3)", "(4)", "(5)"], GROUP,
            [], [2, "KSM-02", 8, 1, "Sukamaju"], [None, "JUMLAH", 20, 1, None],
            [None, None, "Sukamaju, 30 September 2024"], [None, "Mengetahui,"]]
    table = read_table(make_xlsx(rows), ruleset)
    assert table.row_numbers.tolist() == [5, 7]
    assert list(zip(table.skipped.numbers.tolist(), table.skipped.codes,
                    strict=True)) == [
        (4, "row_numbering"), (6, "row_blank"), (8, "row_total"),
        (9, "row_footer"), (10, "row_footer")]
    assert table.skipped.cells["Kode KSM"].tolist()[2] == "JUMLAH"
    assert table.skipped.why(2, "id") == "baris jumlah atau rata-rata ('JUMLAH')"
    assert table.skipped.why(2, "en") == "totals or averages row ('JUMLAH')"


def test_rows_that_are_not_groups_are_kept_apart_across_chunks(
        make_csv: MakeFile, ruleset: Ruleset) -> None:
    rows = [HEADER, GROUP, [], [2, "KSM-02", 8, 1, "x"], [None, "JUMLAH", 20, 1]]
    table = read_table(make_csv(rows), ruleset, chunk_rows=1)
    assert table.row_numbers.tolist() == [2, 4]
    assert table.skipped.numbers.tolist() == [3, 5]


def test_header_cells_blank_under_a_merged_header_take_the_text_above(
        make_xlsx: MakeFile, ruleset: Ruleset) -> None:
    rows = [["Kode KSM", "KELEMBAGAAN", None], [None, "Jumlah anggota", "Tunggakan"],
            ["KSM-01", 12, 0]]
    table = read_table(make_xlsx(rows), ruleset)
    assert table.mapping.column_of["group_id"] == "Kode KSM"
    assert (table.mapping.header_row, table.mapping.header_rows) == (2, (1,))
    assert table.group_ids is not None and table.group_ids.tolist() == ["KSM-01"]


def test_a_repeated_group_id_names_both_rows(make_csv: MakeFile,
                                             ruleset: Ruleset) -> None:
    rows = [HEADER, GROUP, [2, "KSM-02", 8, 1, "x"], [3, "KSM-01", 9, 0, "x"]]
    table = read_table(make_csv(rows), ruleset)
    (p,) = [p for p in table.issues if p.code == "duplicate_group_id"]
    assert (p.row, p.params["first_row"]) == (4, 2)
    assert p.problem("id") == ("kode kelompok 'KSM-01' juga ada di baris 2; kedua "
                               "baris dinilai")


def test_a_row_with_data_but_no_id_is_a_group_with_a_note(
        make_csv: MakeFile, ruleset: Ruleset) -> None:
    table = read_table(make_csv([HEADER, GROUP, [2, "", 8, 1, "x"]]), ruleset)
    assert table.row_numbers.tolist() == [2, 3]
    assert [(p.row, p.code) for p in table.issues] == [(3, "blank_group_id")]
