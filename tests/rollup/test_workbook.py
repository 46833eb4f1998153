"""Rolling a file up: the parent column found, and every problem of either file on
the errors sheet at its own row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from kematangan import InputError, Scorer
from kematangan.criteria.ruleset import GroupIdSpec
from kematangan.rollup import ParentScorer, find_column, rollup_file

KSM = Scorer("ppmk-ksm")


def _errors(path: Path) -> list[dict[str, Any]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        "errors").to_python()
    return [dict(zip([str(h) for h in rows[0]], r, strict=True)) for r in rows[1:]]


def test_a_parent_s_unusable_own_value_is_reported_at_its_parent_data_row(
        tmp_path: Path) -> None:
    (tmp_path / "ksm.csv").write_text("Kode KSM,Kode BKM,Jumlah Anggota\nK1,B1,9\nK2,B2,9\n",
                                      encoding="utf-8")
    (tmp_path / "bkm.csv").write_text("Kode BKM,Jumlah Kader\nB2,5\nB1,-3\n",
                                      encoding="utf-8")
    out = tmp_path / "out.xlsx"
    rollup_file(tmp_path / "ksm.csv", KSM, out, by="bkm_id",
                parent=ParentScorer("bkm-lkm", KSM), parent_data=tmp_path / "bkm.csv")
    found = [e for e in _errors(out) if e["field"] == "community_cadres"]
    assert [(e["file"], e["row"], e["column"], e["code"]) for e in found] == [
        ("bkm.csv", 3, "Jumlah Kader", "below_minimum")]


def test_the_parent_column_is_not_reported_as_an_unmatched_header(
        tmp_path: Path) -> None:
    (tmp_path / "ksm.csv").write_text("Kode KSM,Kode BKM,Jumlah Anggota\nK1,B1,9\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    rollup_file(tmp_path / "ksm.csv", KSM, out, by="Kode BKM")
    assert [e for e in _errors(out) if e["column"] == "Kode BKM"] == []


def test_rows_that_are_not_groups_stay_on_the_groups_sheet_and_out_of_the_counts(
        tmp_path: Path) -> None:
    (tmp_path / "ksm.csv").write_text("Kode KSM,Kode BKM,Jumlah Anggota\nK1,B1,9\n"
                                      ",,\nK2,B1,12\nJUMLAH,,21\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    summary = rollup_file(tmp_path / "ksm.csv", KSM, out, by="Kode BKM")
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("groups").to_python()
    head = rows[0]
    assert [r[head.index("Baris")] for r in rows[1:]] == [2.0, 3.0, 4.0, 5.0]
    assert str(rows[4][head.index("Keterangan baris")]).startswith("tidak dinilai")
    assert (summary.groups, summary.parents) == (2, 1)


def test_texts_on_the_errors_sheet_follow_the_language(tmp_path: Path) -> None:
    (tmp_path / "ksm.csv").write_text("Kode KSM,Kode BKM,Jumlah Anggota\nK1,,9\n", encoding="utf-8")
    for lang, word in (("id", "tidak punya kode induk"), ("en", "has no parent id")):
        out = tmp_path / f"{lang}.xlsx"
        rollup_file(tmp_path / "ksm.csv", KSM, out, by="Kode BKM", lang=lang)
        assert word in _errors(out)[0]["problem"]


@pytest.mark.parametrize(("headers", "by", "spec", "found"), [
    (["KSM", "Kode BKM"], "Kode BKM", None, "Kode BKM"),
    (["KSM", "Kode BKM"], "kode-bkm", None, "Kode BKM"),
    (["KSM", "BKM/LKM"], "bkm_id", GroupIdSpec(field="bkm_id", aliases=["BKM/LKM"]),
     "BKM/LKM"),
])
def test_the_parent_column_is_found_by_its_letters_or_the_parent_s_aliases(
        headers: list[str], by: str, spec: GroupIdSpec | None, found: str) -> None:
    assert find_column(headers, by, spec) == found


def test_a_parent_column_that_is_not_there_lists_the_headers() -> None:
    with pytest.raises(InputError, match="choose one of the columns: KSM, Anggota"):
        find_column(["KSM", "Anggota"], "kecamatan")
