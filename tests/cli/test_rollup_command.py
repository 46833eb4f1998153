"""``kematangan rollup``: both levels written, the parents' explanations, and one
message with the documented exit code for every mistake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from kematangan.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MEMBERS = EXAMPLES / "bkm-lkm.members.xlsx"
PARENTS = EXAMPLES / "bkm-lkm.xlsx"


def _sheet(path: Path, name: str) -> list[dict[str, Any]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    return [dict(zip([str(h) for h in rows[0]], r, strict=True)) for r in rows[1:]]


def _run(*args: str) -> Any:
    return runner.invoke(app, ["rollup", *args])


@pytest.fixture(scope="module")
def bkm_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rollup") / "bkm.xlsx"
    result = _run(str(MEMBERS), "-r", "ppmk-ksm", "--by", "bkm_id",
                  "--parent-ruleset", "bkm-lkm", "--parent-data", str(PARENTS),
                  "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_the_workbook_has_both_levels_and_the_problems(bkm_workbook: Path) -> None:
    book = CalamineWorkbook.from_path(str(bkm_workbook))
    assert book.sheet_names == ["groups", "parents", "errors", "summary"]


def test_every_member_row_comes_back_on_the_groups_sheet(bkm_workbook: Path) -> None:
    with (EXAMPLES / "bkm-lkm.members.csv").open(encoding="utf-8") as fp:
        n = sum(1 for _ in fp) - 1
    groups = _sheet(bkm_workbook, "groups")
    assert len(groups) == n
    assert {"Kode BKM", "stage", "class", "reason_1"} <= set(groups[0])


def test_every_member_is_under_exactly_one_parent_row(bkm_workbook: Path) -> None:
    groups = _sheet(bkm_workbook, "groups")
    parents = _sheet(bkm_workbook, "parents")
    listed = [m for p in parents for m in str(p["member_groups"] or "").split(", ")
              if m]
    assert sorted(listed) == sorted(str(g["Kode KSM"]) for g in groups)
    assert sum(int(p["members"]) for p in parents) == len(groups)


def test_groups_without_a_parent_id_are_the_last_row_and_errors(
        bkm_workbook: Path) -> None:
    parents = _sheet(bkm_workbook, "parents")
    assert parents[-1]["Kode BKM"] in ("", None)
    assert parents[-1]["members"] == 2
    codes = [e["code"] for e in _sheet(bkm_workbook, "errors")]
    assert codes.count("parent_id_blank") == 2


def test_the_parents_explanation_names_the_members_holding_them_back(
        bkm_workbook: Path) -> None:
    parents = {p["Kode BKM"]: p for p in _sheet(bkm_workbook, "parents")}
    texts = [str(p["held_back_by"]) for p in parents.values() if p["held_back_by"]]
    assert any("KSM penunggak: KSM-" in t for t in texts)
    assert any("datanya belum lengkap" in t for t in texts)


def test_a_parent_with_no_member_groups_is_scored_and_noted(
        bkm_workbook: Path) -> None:
    parents = {p["Kode BKM"]: p for p in _sheet(bkm_workbook, "parents")}
    assert parents["BKM-25"]["members"] == 0
    notes = [e for e in _sheet(bkm_workbook, "errors")
             if e["code"] == "parent_without_members"]
    assert [n["value"] for n in notes] == ["BKM-25"]


def test_english_labels_and_texts_with_lang_en(tmp_path: Path) -> None:
    out = tmp_path / "en.xlsx"
    result = _run(str(MEMBERS), "-r", "ppmk-ksm", "--by", "bkm_id",
                  "--parent-ruleset", "bkm-lkm", "--lang", "en", "-o", str(out))
    assert result.exit_code == 0, result.output
    texts = [str(p["held_back_by"]) for p in _sheet(out, "parents")]
    assert any("KSM in arrears: KSM-" in t for t in texts)
    labels = {p["class_label"] for p in _sheet(out, "parents")} - {""}
    assert labels and labels <= {"Needs support", "Developing", "Advanced"}


def test_a_roll_up_without_parent_ruleset_reports_aggregates_asked_for(
        tmp_path: Path) -> None:
    out = tmp_path / "kec.csv"
    result = _run(str(MEMBERS), "-r", "ppmk-ksm", "--by", "Kode BKM", "-a",
                  "share.not_met.repayment_current", "-a", "sum.arrears_instalments",
                  "-o", str(out))
    assert result.exit_code == 0, result.output
    header = (tmp_path / "kec.parents.csv").read_text(encoding="utf-8").split("\n")[0]
    assert "share.not_met.repayment_current.upper" in header
    assert "sum.arrears_instalments" in header
    assert "stage" not in header.split(",")


def test_the_gapoktan_view_counts_poktan_per_class(tmp_path: Path) -> None:
    out = tmp_path / "g.xlsx"
    result = _run(str(EXAMPLES / "gapoktan-poktan.xlsx"), "-r", "poktan-2018",
                  "--by", "Gapoktan", "-o", str(out))
    assert result.exit_code == 0, result.output
    parents = _sheet(out, "parents")
    assert len(parents) == 6
    names = [f"count.class.{k}" for k in ("pemula", "lanjut", "madya", "utama")]
    for p in parents:  # an incomplete sheet counts in the upper bounds only
        certain = sum(p[n] for n in names) + p["count.no_class"]
        possible = sum(p[f"{n}.upper"] for n in names) + p["count.no_class.upper"]
        assert certain <= p["members"] <= possible
    assert any(p["count.no_class.upper"] > p["count.no_class"] or sum(
        p[f"{n}.upper"] - p[n] for n in names) > 0 for p in parents)


def test_the_default_output_is_next_to_the_input(tmp_path: Path) -> None:
    src = tmp_path / "ksm.csv"
    src.write_bytes((EXAMPLES / "bkm-lkm.members.csv").read_bytes())
    result = _run(str(src), "-r", "ppmk-ksm", "--by", "Kode BKM")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ksm.rollup.xlsx").exists()


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--by", "bkm"], 1, "did you mean 'Kode BKM'"),
    (["--by", "Kode BKM", "-a", "count.not_met.repayment_curent"], 2,
     "did you mean 'repayment_current'"),
    (["--by", "Kode BKM", "--parent-data", str(PARENTS)], 2,
     "--parent-data needs --parent-ruleset"),
    (["--by", "Kode BKM", "--parent-ruleset", "ppmk-ksm"], 1,
     "has no 'members' section"),
    (["--by", "Kode BKM", "--parent-ruleset", "bkm-lkn"], 1, "did you mean 'bkm-lkm'"),
    (["--by", "Kode BKM", "-o", "out.txt"], 2, "writes .csv, .jsonl"),
])
def test_a_mistake_is_one_message_with_its_exit_code(
        args: list[str], code: int, message: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run(str(MEMBERS), "-r", "ppmk-ksm", *args)
    assert result.exit_code == code, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_members_scored_with_another_ruleset_than_the_parent_names(
        tmp_path: Path) -> None:
    result = _run(str(EXAMPLES / "gapoktan-poktan.xlsx"), "-r", "poktan-2018",
                  "--by", "Gapoktan", "--parent-ruleset", "bkm-lkm",
                  "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 1
    assert "scores its member groups with 'ppmk-ksm', not 'poktan-2018'" in (
        result.output)


def test_a_parent_data_file_without_the_parent_id_column_is_refused(
        tmp_path: Path) -> None:
    data = tmp_path / "bkm.csv"
    data.write_text("Aspek Legal\nya\n", encoding="utf-8")
    result = _run(str(MEMBERS), "-r", "ppmk-ksm", "--by", "bkm_id",
                  "--parent-ruleset", "bkm-lkm", "--parent-data", str(data),
                  "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 1
    assert "no parent id column" in result.output
    assert not (tmp_path / "x.xlsx").exists()
