"""The field-sheet path on the command line: check → map → score, --strict,
explaining a repeated or missing group id, the report's mapping section, and the
outputs in Indonesian and English."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from kematangan.cli import app
from tests.fieldsheets import (
    RECAP_MAPPING,
    RECORDS,
    clean_sheet,
    recap_rows,
    recap_workbook,
    write_recap,
)

runner = CliRunner()


def _sheet(path: Path, name: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


@pytest.fixture
def recap(tmp_path: Path) -> Path:
    return recap_workbook(tmp_path / "rekap.xlsx")


@pytest.fixture
def peta(tmp_path: Path) -> Path:
    path = tmp_path / "peta.yaml"
    path.write_text(RECAP_MAPPING, encoding="utf-8")
    return path


def test_check_names_unmatched_columns_missing_fields_and_rows(recap: Path) -> None:
    result = runner.invoke(app, ["check", str(recap), "-r", "ppmk-ksm"])
    assert result.exit_code == 1  # growth's formed_participatory has no column
    out = result.output
    assert "Kolom yang TIDAK dibaca (4):" in out
    assert "[D] kolom 'Dibentuk lewat rembug warga' mirip beberapa data" in out
    assert "tidak ada kolom untuk Dibentuk secara partisipatif" in out
    assert "syarat tahap Penumbuhan tidak dapat dinilai" in out
    assert "9 baris dinilai sebagai kelompok" in out
    assert "baris jumlah atau rata-rata: baris 17" in out
    assert "tidak ada kolom untuk data yang dibutuhkan syarat tahap" in out


def test_an_assessment_date_given_on_the_command_line_is_not_missing(
        recap: Path) -> None:
    # regression: with --assessed-on the recap's missing date column was still
    # reported as leaving the business-plan criterion unknown
    without = runner.invoke(app, ["check", str(recap), "-r", "ppmk-ksm",
                                  "--format", "json"])
    dated = runner.invoke(app, ["check", str(recap), "-r", "ppmk-ksm", "--format",
                                "json", "--assessed-on", "2024-09-30"])
    def fields(result: Any) -> dict[str, Any]:
        found = json.loads(result.stdout)["mapping"]
        return {f["field"]: f for f in found["fields"]} | {
            "codes": {p["field"]: p["code"] for p in found["problems"]
                      if p.get("field")}}
    before, after = fields(without), fields(dated)
    assert before["codes"]["assessed_on"] == "missing_assessment_date"
    assert "assessed_on" not in after["codes"]
    assert after["assessed_on"] == {"field": "assessed_on", "column": None,
                                    "supplied": True}


def test_check_writes_a_mapping_file_that_completed_clears_the_columns(
        recap: Path, tmp_path: Path) -> None:
    written = tmp_path / "isi.yaml"
    runner.invoke(app, ["check", str(recap), "-r", "ppmk-ksm", "--write-mapping",
                        str(written)])
    text = written.read_text(encoding="utf-8")
    assert '"Dibentuk lewat rembug warga": ""  # mirip:' in text
    assert '"Rapat 3 bln terakhir": "meetings_last_3_months"' in text
    filled = (text.replace('"Dibentuk lewat rembug warga": ""',
                           '"Dibentuk lewat rembug warga": formed_participatory')
              .replace('"RUK terakhir direvisi (bln lalu)": ""',
                       '"RUK terakhir direvisi (bln lalu)": '
                       "business_plan_months_since_review")
              .replace('"Ketua": ""', '"Ketua": abaikan')
              .replace('"Kelurahan": ""', '"Kelurahan": abaikan'))
    written.write_text(filled, encoding="utf-8")
    result = runner.invoke(app, ["check", str(recap), "-r", "ppmk-ksm", "--mapping",
                                 str(written), "--format", "json"])
    found = json.loads(result.stdout)
    assert [c for c in found["mapping"]["columns"] if c["status"] == "unmatched"] == []
    assert "formed_participatory" not in found["gate_fields_missing"]


def test_check_json_has_the_mapping_rows_and_problems(recap: Path) -> None:
    result = runner.invoke(app, ["check", str(recap), "-r", "ppmk-ksm", "--format",
                                 "json", "--lang", "en"])
    found = json.loads(result.stdout)
    assert found["groups"] == 9
    assert {"why": "row_total", "rows": [17]} in found["rows_not_groups"]
    columns = {c["header"]: c for c in found["mapping"]["columns"]}
    assert columns["Pasar tetap"]["how"] == "fuzzy"
    assert columns["Ket."] == {"header": "Ket.", "status": "ignored", "column": "AA",
                               "how": "notes"}
    assert found["problems"][0]["problem"] == (
        "'15 orang' read as 15 (the unit 'orang' dropped)")


def test_map_options_come_before_guesses(recap: Path) -> None:
    result = runner.invoke(app, ["check", str(recap), "-r", "ppmk-ksm", "--format",
                                 "json", "--map", "Pasar tetap=abaikan", "--map",
                                 "Modal PPMK=ppmk_capital_added"])
    columns = {c["header"]: c for c in json.loads(result.stdout)["mapping"]["columns"]}
    assert (columns["Pasar tetap"]["status"], columns["Modal PPMK"]["how"]) == (
        "ignored", "user")


@pytest.mark.parametrize(("args", "message"), [
    (["--map", "Pasar tetap=market_acess"], "did you mean 'market_access'"),
    (["--map", "Pasar tetp=market_access"], "did you mean 'Pasar tetap'"),
    (["--map", "Pasar tetap"], "HEADER=FIELD"),
])
def test_a_wrong_mapping_is_one_message_and_exit_1(recap: Path, args: list[str],
                                                   message: str) -> None:
    result = runner.invoke(app, ["score", str(recap), "-r", "ppmk-ksm", "--lang",
                                 "en", *args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_score_with_the_mapping_file_gives_the_clean_sheets_results(
        recap: Path, peta: Path, tmp_path: Path) -> None:
    messy, clean = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert runner.invoke(app, ["score", str(recap), "-r", "ppmk-ksm", "--mapping",
                               str(peta), "-o", str(messy)]).exit_code == 0
    assert runner.invoke(app, ["score", str(clean_sheet(tmp_path / "c.csv")), "-r",
                               "ppmk-ksm", "-o", str(clean)]).exit_code == 0
    a, b = _sheet(messy, "results"), _sheet(clean, "results")
    keep = [h for h in b[0] if h in a[0] and (h.endswith("]") or h in (
        "Tahap", "Kelas", "Skor", "Siap dilepas", "Langkah berikutnya"))]
    groups_a = [r for r in a[1:] if r[a[0].index("Keterangan baris")] == ""]
    assert len(groups_a) == len(RECORDS) == len(b) - 1
    assert [[r[a[0].index(h)] for h in keep] for r in groups_a] == [
        [r[b[0].index(h)] for h in keep] for r in b[1:]]


def test_score_writes_every_row_back_in_order_with_why(recap: Path,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    assert runner.invoke(app, ["score", str(recap), "-r", "ppmk-ksm", "-o",
                               str(out)]).exit_code == 0
    rows = _sheet(out, "results")
    head = rows[0]
    assert head[0] == "Baris"
    assert [r[0] for r in rows[1:]] == [float(n) for n in range(6, 25)]
    notes = {int(r[0]): r[head.index("Keterangan baris")] for r in rows[1:]}
    assert notes[17] == "tidak dinilai: baris jumlah atau rata-rata ('JUMLAH')"
    assert notes[7] == ""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_three_problem_totals_agree(recap: Path, tmp_path: Path,
                                        lang: str) -> None:
    records = [dict(r) for r in RECORDS]
    records[3]["members"] = -2
    path = write_recap(tmp_path / "r.xlsx", recap_rows(records))
    out, html = tmp_path / "out.xlsx", tmp_path / "r.html"
    result = runner.invoke(app, ["score", str(path), "-r", "ppmk-ksm", "-o", str(out),
                                 "--lang", lang])
    report = runner.invoke(app, ["report", str(path), "-r", "ppmk-ksm", "-o",
                                 str(html), "--lang", lang])
    assert result.exit_code == report.exit_code == 0
    errors = _sheet(out, "errors")
    summary = {r[0]: r[1] for r in _sheet(out, "summary")[1:]}
    rows = _sheet(out, "results")
    per_row = sum(r[rows[0].index("Masalah data" if lang == "id" else "Data problems")]
                  or 0 for r in rows[1:])
    total = "masalah data" if lang == "id" else "data problems"
    n = len(errors) - 1  # the '15 orang' note, the -2, and what the -2 upsets
    assert n >= 2 and summary[total] == per_row == n
    assert f"{total}: {n} (" in result.output
    page = html.read_text(encoding="utf-8")
    word = "Masalah data" if lang == "id" else "Data problems"
    assert f'<div>{word}</div><div class="big">{n}</div>' in page


def test_english_outputs_are_english(recap: Path, peta: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["score", str(recap), "-r", "ppmk-ksm", "--mapping",
                                 str(peta), "-o", str(out), "--lang", "en"])
    assert "9 groups scored with ppmk-ksm" in result.output
    head = _sheet(out, "results")[0]
    assert {"Row", "Row note", "Stage name", "Next steps", "Reason 1"} <= set(head)
    assert "Enough members [enough_members]" in head
    assert _sheet(out, "columns")[0] == ["Column", "Header", "Status", "Field",
                                         "Field name", "How", "Remark"]
    summary = {r[0] for r in _sheet(out, "summary")[1:]}
    assert {"groups scored", "rows that are not groups (not scored)"} <= summary


def test_strict_exits_1_on_unmatched_columns_or_problems(recap: Path, peta: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    loose = runner.invoke(app, ["score", str(recap), "-r", "ppmk-ksm", "-o", str(out)])
    strict = runner.invoke(app, ["score", str(recap), "-r", "ppmk-ksm", "-o", str(out),
                                 "--strict", "--lang", "en"])
    assert loose.exit_code == 0 and strict.exit_code == 1
    assert "--strict: 4 columns unmatched" in strict.output
    assert out.exists()  # the results are still written


def test_check_passes_a_complete_sheet_and_strict_names_what_is_left(
        tmp_path: Path) -> None:
    from kematangan.criteria import load_ruleset
    from kematangan.io.template import header_text

    rs = load_ruleset("ppmk-ksm")
    path = tmp_path / "ok.csv"
    path.write_text(",".join(["Kode KSM", *(header_text(f) for f in rs.fields),
                              "Kelurahan"]) + "\nA\n", encoding="utf-8")
    loose = runner.invoke(app, ["check", str(path), "-r", "ppmk-ksm"])
    strict = runner.invoke(app, ["check", str(path), "-r", "ppmk-ksm", "--strict"])
    assert loose.exit_code == 0, loose.output
    assert strict.exit_code == 1
    assert "--strict: 1 kolom tidak cocok, 0 data tanpa kolom" in strict.output


def test_explain_asks_to_pick_between_two_rows_with_one_id(tmp_path: Path,
                                                           peta: Path) -> None:
    records = [dict(r) for r in RECORDS]
    records[6]["group_id"] = "KSM Mawar"
    path = write_recap(tmp_path / "dup.xlsx", recap_rows(records))
    base = ["explain", str(path), "-r", "ppmk-ksm", "--mapping", str(peta)]
    asked = runner.invoke(app, [*base, "--group", "KSM Mawar"])
    assert asked.exit_code == 1
    assert "ada di beberapa baris (7, 14); pilih satu dengan --row" in asked.output
    chosen = runner.invoke(app, [*base, "--row", "14"])
    assert chosen.exit_code == 0
    assert chosen.output.startswith("Penjelasan hasil penilaian: KSM Mawar (baris 14)")


def test_a_group_without_id_is_named_by_its_row_everywhere(tmp_path: Path,
                                                           peta: Path) -> None:
    records = [dict(r) for r in RECORDS]
    records[4]["group_id"] = None
    path = write_recap(tmp_path / "noid.xlsx", recap_rows(records))
    base = [str(path), "-r", "ppmk-ksm", "--mapping", str(peta), "--lang", "en"]
    explained = runner.invoke(app, ["explain", *base, "--row", "11"])
    assert explained.output.startswith("Explanation of the assessment: row 11")
    scored = runner.invoke(app, ["score", *base, "-o", str(tmp_path / "o.xlsx")])
    assert "without a group id (named by their row): 11" in scored.output
    runner.invoke(app, ["report", *base, "-o", str(tmp_path / "r.html")])
    assert "<td>row 11</td>" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_report_has_the_column_mapping_and_the_rows_not_scored(
        recap: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert runner.invoke(app, ["report", str(recap), "-r", "ppmk-ksm", "-o",
                               str(out)]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert '<h2 id="columns">Kolom berkas dan data ruleset</h2>' in page
    assert "<td>TEBAKAN dari kata yang mirip</td>" in page
    assert "<td>baris jumlah atau rata-rata</td><td>17</td>" in page
    assert '<div>Jumlah kelompok</div><div class="big">9</div>' in page


def test_template_writes_a_mapping_file_of_every_field(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "-r", "ppmk-ksm", "-o",
                                 str(tmp_path / "t.xlsx"), "--write-mapping",
                                 str(tmp_path / "peta.yaml")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "peta.yaml").read_text(encoding="utf-8")
    assert 'fields:\n  group_id: ""  # Kode/nama KSM' in text
    assert '  members: ""  # Jumlah anggota' in text


def test_a_mapping_file_that_cannot_be_written_is_exit_2(recap: Path,
                                                         tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(recap), "-r", "ppmk-ksm",
                                 "--write-mapping", str(tmp_path / "no" / "p.yaml")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_the_walkthrough_in_the_docs_shows_what_check_prints(recap: Path) -> None:
    page = (Path(__file__).parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    section = page.split("### 1. Check", 1)[1]
    shown = section.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    printed = runner.invoke(app, ["check", str(recap), "-r", "ppmk-ksm"]).stdout
    assert shown and all(line in printed.splitlines() for line in shown), [
        line for line in shown if line not in printed.splitlines()]


def test_a_reading_note_shows_in_its_rows_explanation(recap: Path, peta: Path
                                                      ) -> None:
    result = runner.invoke(app, ["explain", str(recap), "-r", "ppmk-ksm", "--mapping",
                                 str(peta), "--group", "KSM Anggrek"])
    assert result.exit_code == 0, result.output
    problems = result.output.split("Masalah data", 1)[1]
    assert "'15 orang' dibaca sebagai 15 (satuan 'orang' dibuang)" in problems
