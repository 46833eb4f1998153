"""The default ``kematangan score`` path streams: the progress callback counts every
row, the rows are counted cheaply for the bar's total, and the summary holds counts
rather than every row number."""

from __future__ import annotations

from pathlib import Path

import pytest

from kematangan import Scorer
from kematangan.io.counting import count_rows
from kematangan.scorefile import rows_lines, score_file
from kematangan.scorefile import summary as summary_module

ROOT = Path(__file__).resolve().parents[2]


def _csv(path: Path, groups: int, blank_ids: int) -> Path:
    lines = ["Kode KSM;Jumlah anggota"]
    lines += [f"K-{i};{i % 30}" for i in range(groups)]
    lines += [f";{i % 30}" for i in range(blank_ids)]
    lines += [";", "JUMLAH;123"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_progress_receives_every_row_once(tmp_path: Path) -> None:
    source = _csv(tmp_path / "ksm.csv", groups=230, blank_ids=7)
    seen: list[int] = []
    s = score_file(source, Scorer("ppmk-ksm"), tmp_path / "out.csv", chunk_rows=50,
                   progress=seen.append)
    assert len(seen) > 4
    assert sum(seen) == s.rows + sum(s.skipped_count.values()) == 230 + 7 + 2


def test_parquet_rows_are_counted_from_the_footer(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "ksm.parquet"
    pq.write_table(pa.table({"members": list(range(1234))}), path, row_group_size=100)
    assert count_rows(path) == 1234


def test_text_rows_are_not_counted(tmp_path: Path) -> None:
    assert count_rows(_csv(tmp_path / "ksm.csv", groups=3, blank_ids=0)) is None


def test_xlsx_rows_come_from_the_sheets_dimension() -> None:
    import python_calamine

    path = ROOT / "examples" / "ppmk-ksm.xlsx"
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(
        0).to_python()
    assert count_rows(path) == len(rows)


def test_a_workbook_of_several_sheets_is_counted_only_for_a_named_sheet(
        tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "two.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        for name, n in (("Catatan", 2), ("Data", 6)):
            sheet = book.add_worksheet(name)
            for r in range(n):
                sheet.write(r, 0, r)
    assert count_rows(path) is None
    assert count_rows(path, sheet="Data") == 6
    assert count_rows(path, sheet=0) == 2


def test_missing_or_damaged_files_have_no_count(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    assert count_rows(tmp_path / "absent.parquet") is None
    assert count_rows(broken) is None


def test_summary_keeps_the_first_row_numbers_and_every_count(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summary_module, "KEPT_ROWS", 3)
    source = _csv(tmp_path / "ksm.csv", groups=20, blank_ids=9)
    s = score_file(source, Scorer("ppmk-ksm"), tmp_path / "out.csv", chunk_rows=4,
                   lang="en")
    assert s.no_id == [22, 23, 24] and s.no_id_count == 9
    assert s.rows == 29
    lines = rows_lines(s.rows, s.skipped, s.no_id, "en", s.repeated, counts=s)
    assert "without a group id (named by their row): 22-24 ... and 6 more" in "\n".join(
        lines)
    errors = (tmp_path / "out.errors.csv").read_text(encoding="utf-8")
    assert sum("blank_group_id" in line or "no group id" in line.lower()
               for line in errors.splitlines()) == 9


def test_summary_sheet_counts_every_row_that_is_not_a_group(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summary_module, "KEPT_ROWS", 1)
    lines = ["Kode KSM;Jumlah anggota", "A;3", *[";"] * 5, "B;4"]
    source = tmp_path / "gaps.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = score_file(source, Scorer("ppmk-ksm"), tmp_path / "out.csv", chunk_rows=2,
                   lang="en")
    assert s.skipped == {"row_blank": [3]} and s.skipped_count == {"row_blank": 5}
    sheet = s.as_columns(Scorer("ppmk-ksm").ruleset, "en")
    amounts = dict(zip(sheet["Item"], sheet["Value"], strict=True))
    assert amounts["rows that are not groups (not scored)"] == 5
