"""``kematangan trend`` and ``explain --history``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from kematangan.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ppmk-ksm-riwayat.csv"


def _rows(path: Path, sheet: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _split_by_period(folder: Path) -> list[Path]:
    """The example as one file per quarter, named by it, without a period column."""
    with EXAMPLE.open(encoding="utf-8") as fp:
        header, *rows = list(csv.reader(fp))
    at = header.index("Periode")
    out = []
    for period in sorted({r[at] for r in rows}):
        path = folder / f"ksm-{period}.csv"
        with path.open("w", encoding="utf-8", newline="") as fp:
            w = csv.writer(fp)
            w.writerow(h for k, h in enumerate(header) if k != at)
            w.writerows([c for k, c in enumerate(r) if k != at]
                        for r in rows if r[at] == period)
        out.append(path)
    return out


def test_trend_writes_the_workbook_and_report_with_every_row(tmp_path: Path) -> None:
    out, page = tmp_path / "tren.xlsx", tmp_path / "tren.html"
    result = runner.invoke(app, ["trend", str(EXAMPLE), "-r", "ppmk-ksm", "-o",
                                 str(out), "--report", str(page)])
    assert result.exit_code == 0, result.output
    assert "48 groups, 440 assessments over 10 periods" in result.output
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["riwayat", "kelompok", "perpindahan", "mandek",
                                "kemunduran", "angkatan", "masalah", "ruleset"]
    history = _rows(out, "riwayat")
    assert len(history) - 1 == 440 and history[0][:3] == ["Kelompok", "Periode",
                                                           "Tanggal penilaian"]
    assert len(_rows(out, "kelompok")) - 1 == 48
    assert page.read_text(encoding="utf-8").count("<svg") == 2


def test_trend_in_english_names_sheets_and_headers_in_english(tmp_path: Path) -> None:
    out = tmp_path / "trend.xlsx"
    result = runner.invoke(app, ["trend", str(EXAMPLE), "-r", "ppmk-ksm", "-o",
                                 str(out), "--lang", "en", "--report",
                                 str(tmp_path / "t.html")])
    assert result.exit_code == 0, result.output
    assert CalamineWorkbook.from_path(str(out)).sheet_names[:2] == ["history",
                                                                     "groups"]
    assert _rows(out, "regressions")[0][:2] == ["Group", "Period"]


def test_files_of_one_period_each_take_it_from_their_names(tmp_path: Path) -> None:
    files = _split_by_period(tmp_path)
    out = tmp_path / "all.xlsx"
    result = runner.invoke(app, ["trend", *map(str, files), "-r", "ppmk-ksm", "-o",
                                 str(out), "--report", str(tmp_path / "all.html")])
    assert result.exit_code == 0, result.output
    assert "48 groups, 440 assessments over 10 periods" in result.output
    assert "period 2022Q3 is taken from its name" in result.output
    single = tmp_path / "single.xlsx"
    runner.invoke(app, ["trend", str(EXAMPLE), "-r", "ppmk-ksm", "-o", str(single),
                        "--report", str(tmp_path / "single.html")])
    columns = slice(0, -2)  # file and row differ
    assert [r[columns] for r in _rows(out, "riwayat")[1:]] == [
        r[columns] for r in _rows(single, "riwayat")[1:]]


def test_transitions_between_chosen_periods(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = runner.invoke(app, ["trend", str(EXAMPLE), "-r", "ppmk-ksm", "-o",
                                 str(out), "--report", str(tmp_path / "t.html"),
                                 "--from", "2023Q1", "--to", "TW IV 2023"])
    assert result.exit_code == 0, result.output
    first = _rows(out, "perpindahan")[1]
    assert "(2023Q1)" in first[0] and "(2023Q4)" in first[1]


def test_a_group_assessed_twice_in_a_period_is_an_input_error(tmp_path: Path) -> None:
    src = tmp_path / "dup.csv"
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    src.write_text("\n".join([*lines[:3], lines[2]]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["trend", str(src), "-r", "ppmk-ksm"])
    assert result.exit_code == 1
    assert "'KSM-001' is assessed more than once in period 2022Q4" in result.output
    assert "dup.csv row 3" in result.output and "dup.csv row 4" in result.output
    assert "Traceback" not in result.output


def test_an_output_folder_that_does_not_exist_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["trend", str(EXAMPLE), "-r", "ppmk-ksm", "-o",
                                 str(tmp_path / "no" / "t.xlsx")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_a_missing_input_file_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["trend", str(tmp_path / "none.csv"), "-r",
                                 "ppmk-ksm", "-o", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 1


def test_explain_history_tells_a_groups_story_in_indonesian() -> None:
    result = runner.invoke(app, ["explain", "--history", str(EXAMPLE), "-r",
                                 "ppmk-ksm", "--group", "KSM-033"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Riwayat KSM-033")
    assert "turun dari tahap Penguatan ke Penumbuhan" in result.output
    assert "Penyebab (terpenuhi sebelumnya, kini tidak)" in result.output


def test_explain_history_in_english_as_markdown() -> None:
    result = runner.invoke(app, ["explain", "--history", str(EXAMPLE), "-r",
                                 "ppmk-ksm", "--group", "KSM-020", "--lang", "en",
                                 "-f", "md"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("## History KSM-020")
    assert "- Stagnating: At the Growth stage for" in result.output


def test_explain_history_suggests_the_closest_group() -> None:
    result = runner.invoke(app, ["explain", "--history", str(EXAMPLE), "-r",
                                 "ppmk-ksm", "--group", "KSM-33"])
    assert result.exit_code == 1
    assert "did you mean 'KSM-033'" in result.output


def test_explain_reads_one_file_unless_history(tmp_path: Path) -> None:
    result = runner.invoke(app, ["explain", str(EXAMPLE), str(EXAMPLE), "-r",
                                 "ppmk-ksm"])
    assert result.exit_code == 2
    assert "add --history" in result.output


def test_explain_history_refuses_one_date_for_every_period() -> None:
    result = runner.invoke(app, ["explain", "--history", str(EXAMPLE), "-r",
                                 "ppmk-ksm", "--assessed-on", "2024-12-31"])
    assert result.exit_code == 2
    assert "each row's period or assessment date dates it" in result.output


def test_explain_history_as_json_keeps_the_messages_in_both_languages() -> None:
    import json

    result = runner.invoke(app, ["explain", "--history", str(EXAMPLE), "-r",
                                 "ppmk-ksm", "--group", "KSM-020", "-f", "json"])
    assert result.exit_code == 0, result.output
    (h,) = json.loads(result.output)
    assert (h["group"], h["stage"], h["stagnation"]["months"]) == ("KSM-020",
                                                                   "growth", 27)
    assert h["stagnation"]["message"]["en"].startswith("At the {stage} stage")
