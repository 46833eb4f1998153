"""JSON and JSON Lines: one bad record is that row's error and the others are read;
what JSON allows but a sheet would not show is noted on its row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError
from kematangan.io import Limits, iter_tables, read_table
from kematangan.io.table import Table


def _codes(table: Table) -> list[tuple[int | None, str | None, str, str]]:
    return [(i.row, i.column, i.code, i.severity) for i in table.issues]


def _jsonl(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "ksm.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


GOOD = '{"Kode KSM": "KSM-01", "Jumlah anggota": 12}'
LAST = '{"Kode KSM": "KSM-09", "Jumlah anggota": 12}'


def test_line_nested_100000_deep_is_that_rows_error(tmp_path: Path,
                                                    ruleset: Ruleset) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    table = read_table(_jsonl(tmp_path, GOOD, deep, LAST), ruleset,
                       limits=Limits(max_record_chars=1_000_000))
    assert table.row_numbers.tolist() == [1, 2, 3]
    assert table.group_ids is not None
    assert table.group_ids.tolist() == ["KSM-01", None, "KSM-09"]
    assert _codes(table) == [(2, None, "too_deep", "error")]


def test_record_nested_past_the_limit_names_the_limit(tmp_path: Path,
                                                      ruleset: Ruleset) -> None:
    nested = '{"Kode KSM": "A", "Tunggakan": 0, "x": ' + "[" * 5 + "]" * 5 + "}"
    table = read_table(_jsonl(tmp_path, GOOD, nested), ruleset,
                       limits=Limits(max_json_depth=4))
    assert "max_json_depth" in table.errors[0].problem()
    assert len(read_table(_jsonl(tmp_path, nested), ruleset).errors) == 0


def test_nan_is_missing_with_a_note_on_its_row(tmp_path: Path,
                                               ruleset: Ruleset) -> None:
    table = read_table(_jsonl(tmp_path, GOOD, '{"Kode KSM": "B", "Jumlah anggota": '
                              "NaN}"), ruleset)
    assert table.columns["members"].tolist()[0] == 12
    assert _codes(table) == [(2, "Jumlah anggota", "json_nan", "note")]


def test_key_given_twice_keeps_the_last_with_a_note(tmp_path: Path,
                                                    ruleset: Ruleset) -> None:
    table = read_table(_jsonl(tmp_path, '{"Kode KSM": "A", "Jumlah anggota": 1, '
                              '"Jumlah anggota": 9}'), ruleset)
    assert table.columns["members"].tolist() == [9.0]
    assert _codes(table) == [(1, "Jumlah anggota", "duplicate_key", "note")]


def test_row_notes_are_kept_one_per_row_across_chunks(tmp_path: Path,
                                                      ruleset: Ruleset) -> None:
    lines = [f'{{"Kode KSM": "K{i}", "Jumlah anggota": NaN}}' for i in range(5)]
    table = read_table(_jsonl(tmp_path, *lines), ruleset, chunk_rows=2)
    assert [i.row for i in table.issues if i.code == "json_nan"] == [1, 2, 3, 4, 5]


def test_key_first_seen_late_gives_every_chunk_the_same_columns(
        tmp_path: Path, ruleset: Ruleset) -> None:
    lines = [GOOD] * 5 + ['{"Kode KSM": "Z", "Tunggakan": 2, "Catatan": "x"}']
    chunks = list(iter_tables(_jsonl(tmp_path, *lines), ruleset, chunk_rows=2))
    assert {tuple(c.passthrough) for c in chunks} == {
        ("Kode KSM", "Jumlah anggota", "Tunggakan", "Catatan")}


@pytest.mark.parametrize("item", ["7", '{"Kode KSM": }', "[" * 50_000 + "]" * 50_000,
                                  '"text"', "9" * 5000])
def test_bad_item_in_a_json_list_is_that_rows_error(tmp_path: Path,
                                                    ruleset: Ruleset, item: str
                                                    ) -> None:
    path = tmp_path / "ksm.json"
    path.write_text(f"[{GOOD}, {item}, {LAST}]", encoding="utf-8")
    table = read_table(path, ruleset)
    assert table.row_numbers.tolist() == [1, 2, 3]
    assert [(i.row, i.severity) for i in table.issues] == [(2, "error")]


def test_item_longer_than_max_record_chars_is_stepped_over(tmp_path: Path,
                                                           ruleset: Ruleset) -> None:
    path = tmp_path / "ksm.json"
    long = json.dumps({"Kode KSM": "L", "Catatan": "x" * 5_000})
    path.write_text(f"[{GOOD}, {long}, {LAST}]", encoding="utf-8")
    table = read_table(path, ruleset, limits=Limits(max_record_chars=1_000))
    assert _codes(table) == [(2, None, "line_too_long", "error")]
    assert len(table) == 3


def test_json_list_cut_off_is_refused(tmp_path: Path, ruleset: Ruleset) -> None:
    path = tmp_path / "ksm.json"
    path.write_text(f"[{GOOD}, {GOOD}, " + '{"Kode KSM": "cut', encoding="utf-8")
    with pytest.raises(InputError, match="not closed"):
        read_table(path, ruleset)


def test_kobo_object_with_a_nan_is_read_with_a_note(tmp_path: Path,
                                                    ruleset: Ruleset) -> None:
    path = tmp_path / "kobo.json"
    path.write_text('{"count": 2, "results": [' + GOOD + ', {"Kode KSM": "B", '
                    '"Jumlah anggota": NaN}]}', encoding="utf-8")
    table = read_table(path, ruleset)
    assert _codes(table) == [(2, "Jumlah anggota", "json_nan", "note")]


def test_more_keys_than_max_columns_is_refused_before_reading(
        tmp_path: Path, ruleset: Ruleset) -> None:
    lines = [json.dumps({"Kode KSM": f"K{i}", "Jumlah anggota": 1, f"k{i}": 1})
             for i in range(30)]
    with pytest.raises(InputError, match=r"21 keys \(at least\).*max_columns = 20"):
        next(iter_tables(_jsonl(tmp_path, *lines), ruleset,
                         limits=Limits(max_columns=20)))
