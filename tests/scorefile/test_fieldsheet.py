"""Issue 11's recap workbook and its variants: exactly its real groups scored,
every unmatched column and missing field named, and with a mapping file the same
results as a clean sheet of the same data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kematangan import Scorer
from kematangan.io import UserMapping, read_table
from kematangan.scorefile import check_file, score_table
from kematangan.scoring import BatchResult
from tests.fieldsheets import (
    MISSING_FIELDS,
    NAMES,
    RECAP_MAPPING,
    RECORDS,
    RULESET,
    clean_sheet,
    recap_rows,
    recap_workbook,
    write_recap,
)

SCORER = Scorer(RULESET)
UNMATCHED = ["Ketua", "Dibentuk lewat rembug warga", "RUK terakhir direvisi (bln lalu)",
             "Kelurahan"]


def _mapping(tmp_path: Path) -> UserMapping:
    path = tmp_path / "peta.yaml"
    path.write_text(RECAP_MAPPING, encoding="utf-8")
    return UserMapping.load(path)


def _results(batch: BatchResult) -> dict[str, dict[str, Any]]:
    assert batch.group_ids is not None
    out = {}
    for i, gid in enumerate(batch.group_ids.tolist()):
        a = batch.assessment(i)
        out[gid] = {"stage": a.stage, "stage_upper": a.stage_upper,
                    "class": a.class_, "score": a.score, "exit": a.exit_ready,
                    "outcomes": {k: v.outcome.value for k, v in a.outcomes.items()}}
    return out


def test_recap_scores_exactly_its_real_groups(tmp_path: Path) -> None:
    table = read_table(recap_workbook(tmp_path / "rekap.xlsx"), RULESET)
    assert table.group_ids is not None
    assert table.group_ids.tolist() == NAMES
    assert table.row_numbers.tolist() == [7, 8, 9, 10, 11, 13, 14, 15, 16]
    assert table.skipped.counts() == {"row_numbering": 1, "row_blank": 3,
                                      "row_total": 1, "row_footer": 5}


def test_recap_names_every_unmatched_column_and_missing_field(tmp_path: Path) -> None:
    found = check_file(recap_workbook(tmp_path / "rekap.xlsx"), SCORER)
    assert [c.header for c in found.mapping.unmatched] == UNMATCHED
    assert set(found.mapping.missing) == {
        *MISSING_FIELDS, "formed_participatory", "business_plan_months_since_review"}
    problems = found.mapping.problems(RULESET)
    named = {p.column for p in problems if p.column} | {
        p.field for p in problems if p.column is None}
    assert set(UNMATCHED) | set(found.mapping.missing) <= named
    assert [c.header for c in found.mapping.guessed] == [
        "Rapat 3 bln terakhir", "Pasar tetap", "Modal PPMK"]
    assert found.blocking(RULESET)  # growth's gate formed_participatory has no column


def test_recap_with_a_mapping_file_equals_the_clean_sheet(tmp_path: Path) -> None:
    mapping = _mapping(tmp_path)
    messy = read_table(recap_workbook(tmp_path / "rekap.xlsx"), RULESET,
                       mapping=mapping)
    clean = read_table(clean_sheet(tmp_path / "bersih.csv"), RULESET)
    assert messy.mapping.unmatched == []
    assert set(messy.mapping.missing) == set(MISSING_FIELDS)
    assert _results(score_table(SCORER, messy)) == _results(score_table(SCORER, clean))


def test_recap_values_are_the_records(tmp_path: Path) -> None:
    table = read_table(recap_workbook(tmp_path / "rekap.xlsx"), RULESET,
                       mapping=_mapping(tmp_path))
    for field in ("members", "business_plan_months_since_review", "market_access"):
        want = [float(r[field]) for r in RECORDS]
        np.testing.assert_array_equal(table.columns[field], want)
    assert [(p.row, p.code) for p in table.issues] == [(9, "unit_dropped")]
    assert {p.code for p in table.mapping.conventions} == {"decimal_comma"}


def test_recap_printed_over_two_pages_drops_the_repeated_header(tmp_path: Path
                                                                ) -> None:
    path = write_recap(tmp_path / "rekap.xlsx", recap_rows(pages=True))
    table = read_table(path, RULESET, mapping=_mapping(tmp_path))
    assert table.group_ids is not None and table.group_ids.tolist() == NAMES
    counts = table.skipped.counts()
    assert counts["row_header"] == 2 and counts["row_numbering"] == 2
    assert counts["row_total"] == 2  # the sub total and the JUMLAH


def test_recap_without_merged_cells_reads_the_same(tmp_path: Path) -> None:
    merged = read_table(recap_workbook(tmp_path / "a.xlsx"), RULESET)
    plain = read_table(write_recap(tmp_path / "b.xlsx", recap_rows(), merged=False),
                       RULESET)
    assert merged.row_numbers.tolist() == plain.row_numbers.tolist()
    assert merged.mapping.names == plain.mapping.names


def test_recap_as_csv_reads_the_same_groups(tmp_path: Path) -> None:
    import csv

    path = tmp_path / "rekap.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(
            [["" if v is None else v for v in r] for r in recap_rows()])
    table = read_table(path, RULESET, mapping=_mapping(tmp_path))
    assert table.group_ids is not None and table.group_ids.tolist() == NAMES


def test_kobo_export_ignores_the_forms_own_columns(tmp_path: Path) -> None:
    import csv

    path = tmp_path / "kobo.csv"
    rows: list[list[Any]] = [["start", "_uuid", "grp_lembaga/kode_ksm",
                              "grp_lembaga/jml_anggota",
             "grp_usaha/tunggakan", "_submission_time", "_index"]]
    rows += [["2024-09-01", f"u{i}", r["group_id"], r["members"],
              r["arrears_instalments"], "2024-09-02", i]
             for i, r in enumerate(RECORDS)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    table = read_table(path, RULESET)
    how = {c.header: (c.status, c.how) for c in table.mapping.columns}
    assert how["_uuid"] == how["_submission_time"] == how["_index"] == (
        "ignored", "form")
    assert how["grp_lembaga/jml_anggota"] == ("mapped", "path")
    assert how["grp_usaha/tunggakan"] == ("mapped", "path")
    assert [c.header for c in table.mapping.unmatched] == ["start"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_problems_are_counted_once_and_tied_to_their_rows(tmp_path: Path,
                                                          lang: str) -> None:
    records = [dict(r) for r in RECORDS]
    records[3]["members"] = -2  # out of bounds: the scorer's error
    path = write_recap(tmp_path / "rekap.xlsx", recap_rows(records))
    table = read_table(path, RULESET, mapping=_mapping(tmp_path))
    batch = score_table(SCORER, table)
    assert [(p.row, p.code) for p in batch.issues] == [
        (9, "unit_dropped"), (10, "below_minimum")]
    assert batch.issues[1].column == "Jml angg." and batch.issues[1].value == "-2"
    counts = batch.columns()["issues"]
    assert counts.sum() == len(batch.issues)
    assert batch.summary()["records_with_issues"] == 2
