"""``kematangan score``, ``explain``, ``report`` and ``template``."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from kematangan import Scorer
from kematangan.cli import app
from kematangan.scorefile.columns import outcome_header
from kematangan.scorefile.words import word
from tests.strategies import records

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCORER = Scorer("ppmk-ksm")


def sheet_rows(path: Path, name: str) -> list[list[Any]]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(name).to_python()


@pytest.mark.parametrize("name", ["ppmk-ksm", "ksm-unggulan", "pemk-kub",
                                  "poktan-2018", "poktan-legacy",
                                  "upk-pinjaman-bergulir"])
def test_every_example_workbook_scores_with_every_row_back(name: str,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["score", str(EXAMPLES / f"{name}.xlsx"), "-r", name,
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    with (EXAMPLES / f"{name}.csv").open(encoding="utf-8") as fp:
        n_input = sum(1 for _ in fp) - 1
    rows = sheet_rows(out, "results")
    assert len(rows) - 1 == n_input
    header = rows[0]
    rs = Scorer(name).ruleset
    assert {"Baris", "Skor", "Alasan 1", "Langkah berikutnya",
            "Keterangan baris"} <= set(header)
    assert ("Tahap" in header) == bool(rs.stages)
    assert ("Siap dilepas" in header) == (rs.exit is not None)
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["results", "errors", "columns", "summary", "ruleset"]
    ruleset_sheet = dict((r[0], r[1]) for r in sheet_rows(out, "ruleset")[1:])
    assert ruleset_sheet["hash"] == rs.content_hash


def test_default_output_is_next_to_the_input(tmp_path: Path) -> None:
    src = tmp_path / "ksm.csv"
    src.write_text((EXAMPLES / "ppmk-ksm.csv").read_text(encoding="utf-8"),
                   encoding="utf-8")
    result = runner.invoke(app, ["score", str(src), "-r", "ppmk-ksm"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ksm.scored.xlsx").exists()
    version = Scorer("ppmk-ksm").ruleset.version
    assert f"36 kelompok dinilai dengan ppmk-ksm {version}" in result.output


def test_errors_sheet_names_row_column_value_problem_and_fix(tmp_path: Path) -> None:
    src = tmp_path / "ksm.csv"
    src.write_text("Kode KSM;Jumlah Anggota;Tunggakan Angsuran\n"
                   "A;12;0\nB;-4;satu\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["score", str(src), "-r", "ppmk-ksm", "-o", str(out),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    errors = sheet_rows(out, "errors")
    head = errors[0]
    found = {(r[head.index("Row")], r[head.index("Column")], r[head.index("Value")])
             for r in errors[1:] if r[head.index("Kind")] == "error"}
    assert (3.0, "Jumlah Anggota", "-4") in found
    assert (3.0, "Tunggakan Angsuran", "satu") in found
    problems = [r[head.index("Problem")] for r in errors[1:]]
    assert any("below the minimum 0" in p for p in problems)
    assert all(r[head.index("Fix")] for r in errors[1:])


def test_errors_sheet_is_in_indonesian_by_default(tmp_path: Path) -> None:
    src = tmp_path / "ksm.csv"
    src.write_text("Kode KSM;Jumlah Anggota\nA;12\nB;-4\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    assert runner.invoke(app, ["score", str(src), "-r", "ppmk-ksm", "-o",
                               str(out)]).exit_code == 0
    errors = sheet_rows(out, "errors")
    assert errors[0][:3] == ["Baris", "Kolom", "Data"]
    problem = errors[1][errors[0].index("Masalah")]
    assert problem == "nilai -4 di bawah batas terendah 0"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_output_formats(suffix: str, tmp_path: Path) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"out{suffix}"
    result = runner.invoke(app, ["score", str(EXAMPLES / "ppmk-ksm.csv"), "-r",
                                 "ppmk-ksm", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / f"out.errors{suffix}").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"Desa;Kelurahan\nA;B\n", "no column header"),
    ],
)
def test_unreadable_input_is_exit_1_with_one_message(content: bytes, message: str,
                                                     tmp_path: Path) -> None:
    src = tmp_path / "x.csv"
    src.write_bytes(content)
    result = runner.invoke(app, ["score", str(src), "-r", "ppmk-ksm"])
    assert result.exit_code == 1
    assert message in result.output.lower()
    assert "Traceback" not in result.output


def test_missing_input_file_is_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(tmp_path / "nope.xlsx"), "-r",
                                 "ppmk-ksm"])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_unknown_option_is_exit_2() -> None:
    result = runner.invoke(app, ["score", "x.csv", "--rulset", "ppmk-ksm"])
    assert result.exit_code == 2


def test_score_as_a_real_subprocess(tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "kematangan", "score", str(EXAMPLES / "ppmk-ksm.xlsx"),
         "--ruleset", "ppmk-ksm", "-o", str(out)],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "kelompok dinilai" in proc.stdout
    with out.open(encoding="utf-8") as fp:
        assert len(list(csv.DictReader(fp))) == 36


def test_explain_one_group_in_english() -> None:
    result = runner.invoke(app, ["explain", str(EXAMPLES / "ppmk-ksm.xlsx"), "-r",
                                 "ppmk-ksm", "--group", "KSM-001", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "KSM-001" in result.output
    assert "ppmk-ksm" in result.output


def test_explain_unknown_group_suggests() -> None:
    result = runner.invoke(app, ["explain", str(EXAMPLES / "ppmk-ksm.xlsx"), "-r",
                                 "ppmk-ksm", "--group", "KSM-0001"])
    assert result.exit_code == 1 and "did you mean" in result.output


def test_explain_json_is_a_list_of_explanations() -> None:
    result = runner.invoke(app, ["explain", str(EXAMPLES / "ppmk-ksm.xlsx"), "-r",
                                 "ppmk-ksm", "--format", "json"])
    assert result.exit_code == 0
    assert len(json.loads(result.output)) == 36


def test_report_writes_self_contained_html(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(EXAMPLES / "ppmk-ksm.xlsx"), "-r",
                                 "ppmk-ksm", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "http://" not in html.replace(
        "http://www.w3.org/2000/svg", "")


def test_template_then_score_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = runner.invoke(app, ["template", "-r", "ppmk-ksm", "-o", str(out)])
    assert result.exit_code == 0, result.output
    scored = runner.invoke(app, ["score", str(out), "-r", "ppmk-ksm", "-o",
                                 str(tmp_path / "s.csv")])
    assert scored.exit_code == 0, scored.output


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "ya" if v else "tidak"
    return str(v)


@settings(max_examples=15, deadline=None)
@given(st.lists(records(SCORER.ruleset), min_size=1, max_size=6),
       st.sampled_from([".csv", ".xlsx"]))
def test_cli_gives_the_library_result(rows: list[dict[str, Any]],
                                      suffix: str) -> None:
    import tempfile

    import xlsxwriter

    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / f"in{suffix}"
        # Each row names its group, as real sheets do: a row with no value at all
        # after the last group is not a data row.
        rows = [{"group_id": f"KSM-{i}", **r} for i, r in enumerate(rows)]
        fields = ["group_id", *(f.id for f in SCORER.ruleset.fields)]
        if suffix == ".csv":
            with src.open("w", encoding="utf-8", newline="") as fp:
                w = csv.writer(fp)
                w.writerow(fields)
                for r in rows:
                    w.writerow([_cell(r[f]) for f in fields])
        else:
            book = xlsxwriter.Workbook(str(src))
            sheet = book.add_worksheet()
            sheet.write_row(0, 0, fields)
            for i, r in enumerate(rows, 1):
                for j, f in enumerate(fields):
                    v = r[f]
                    if v is not None:
                        sheet.write(i, j, v)
            book.close()
        out = Path(d) / "out.jsonl"
        result = runner.invoke(app, ["score", str(src), "-r", "ppmk-ksm", "-o",
                                     str(out), "--lang", "en"])
        assert result.exit_code == 0, result.output
        got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    want = SCORER.score_batch(rows)
    assert [g["Stage"] for g in got] == want.stage.tolist()
    assert [g["Class"] for g in got] == want.class_.tolist()
    assert [g["Score"] for g in got] == want.score.tolist()
    for c in SCORER.ruleset.criteria:
        header = outcome_header(c.label.get("en"), c.id)
        assert [g[header] for g in got] == [word(o, "en")
                                            for o in want.outcome(c.id).tolist()]


def test_score_with_a_model_adds_its_probability_and_keeps_the_rules(
        tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from kematangan.model import MaturityModel, make_synthetic

    data = make_synthetic("ppmk-ksm", n=300, seed=3)
    model_path = tmp_path / "m.json"
    MaturityModel("ppmk-ksm").fit(data.records, data.labels).save(model_path)
    plain, with_model = tmp_path / "a.csv", tmp_path / "b.csv"
    src = str(EXAMPLES / "ppmk-ksm.xlsx")
    assert runner.invoke(app, ["score", src, "-r", "ppmk-ksm", "-o",
                               str(plain)]).exit_code == 0
    result = runner.invoke(app, ["score", src, "-r", "ppmk-ksm", "-o",
                                 str(with_model), "--model", str(model_path)])
    assert result.exit_code == 0, result.output
    with plain.open(encoding="utf-8") as a, with_model.open(encoding="utf-8") as b:
        rows_a, rows_b = list(csv.DictReader(a)), list(csv.DictReader(b))
    assert all(0.0 <= float(r["Peluang menurut model"]) <= 1.0 for r in rows_b)
    for key in ("Tahap", "Kelas", "Skor", "Siap dilepas"):
        assert [r[key] for r in rows_a] == [r[key] for r in rows_b]


def test_score_refuses_a_model_of_another_ruleset(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from kematangan.model import MaturityModel, make_synthetic

    data = make_synthetic("ppmk-ksm", n=300, seed=4)
    model_path = tmp_path / "m.json"
    MaturityModel("ppmk-ksm").fit(data.records, data.labels).save(model_path)
    result = runner.invoke(app, ["score", str(EXAMPLES / "pemk-kub.xlsx"), "-r",
                                 "pemk-kub", "--model", str(model_path)])
    assert result.exit_code == 1 and "cannot use model" in result.output
