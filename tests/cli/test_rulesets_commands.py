from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kematangan import list_rulesets
from kematangan.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def test_rulesets_list_names_every_bundled_ruleset() -> None:
    result = runner.invoke(app, ["rulesets", "list"])
    assert result.exit_code == 0
    assert "ppmk-ksm" in result.output and "poktan-2018" in result.output


def test_rulesets_show_lists_stages_and_gates() -> None:
    result = runner.invoke(app, ["rulesets", "show", "ppmk-ksm", "--lang", "en"])
    assert result.exit_code == 0
    assert "Growth (growth)" in result.output
    assert "[gate] regular_meetings" in result.output


def test_rulesets_show_gives_each_criterion_its_condition_and_points() -> None:
    result = runner.invoke(app, ["rulesets", "show", "ppmk-ksm"])
    assert result.exit_code == 0
    assert "Anggota cukup (5 poin)" in result.output
    assert "         Jumlah anggota minimal 5 orang\n" in result.output
    assert "tidak ada angsuran menunggak" in result.output


def test_rulesets_show_marks_and_lists_what_the_source_does_not_confirm() -> None:
    result = runner.invoke(app, ["rulesets", "show", "poktan-2018"])
    assert result.exit_code == 0
    assert "dinilai 0 sampai 25 poin (belum dikonfirmasi)" in result.output
    assert "Belum dikonfirmasi sumber\n  - nilai maksimum Mengorganisasikan" in (
        result.output)


def test_rulesets_show_lists_the_consistency_checks() -> None:
    result = runner.invoke(app, ["rulesets", "show", "upk-pinjaman-bergulir",
                                 "--lang", "en"])
    assert result.exit_code == 0
    assert ("Data checks\n  arrears_ksm_within_active: More KSM 3 or more "
            "instalments in arrears than active KSM.") in result.output


def test_rulesets_validate_reports_every_problem_with_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (ROOT / "rulesets" / "ppmk-ksm.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("field: members,", "field: membrs,"), "utf-8")
    result = runner.invoke(app, ["rulesets", "validate", str(bad)])
    assert result.exit_code == 1
    assert "unknown field 'membrs' (did you mean 'members'?)" in result.output
    assert f"{bad}:" in result.output


def test_rulesets_validate_accepts_a_sound_file() -> None:
    result = runner.invoke(app, ["rulesets", "validate",
                                 str(ROOT / "rulesets" / "ppmk-ksm.yaml")])
    assert result.exit_code == 0 and result.output.startswith("ok: ppmk-ksm")


def test_rulesets_test_runs_embedded_cases() -> None:
    result = runner.invoke(app, ["rulesets", "test", "ppmk-ksm"])
    assert result.exit_code == 0
    assert "passed, 0 failed" in result.output


def test_rulesets_test_fails_on_a_wrong_expectation(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    text = (ROOT / "rulesets" / "ppmk-ksm.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("score: 50, class: berkembang",
                                 "score: 51, class: berkembang"), "utf-8")
    result = runner.invoke(app, ["rulesets", "test", str(path)])
    assert result.exit_code == 1
    assert "score: expected 51.0, got 50.0" in result.output


def test_rulesets_schema_prints_json_schema() -> None:
    result = runner.invoke(app, ["rulesets", "schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "kematangan ruleset"


def test_unknown_ruleset_is_exit_code_1_without_traceback() -> None:
    result = runner.invoke(app, ["rulesets", "test", "ppmk-ksn"])
    assert result.exit_code == 1
    assert "did you mean 'ppmk-ksm'" in result.output
    assert "Traceback" not in result.output


def test_usage_error_is_exit_code_2() -> None:
    result = runner.invoke(app, ["rulesets", "show"])
    assert result.exit_code == 2


def test_python_dash_m_runs_as_a_real_process() -> None:
    proc = subprocess.run([sys.executable, "-m", "kematangan", "rulesets", "list"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "ppmk-ksm" in proc.stdout


@pytest.mark.parametrize("name", [r.id for r in list_rulesets()])
def test_every_bundled_ruleset_file_validates_and_passes_its_cases(name: str) -> None:
    path = ROOT / "rulesets" / f"{name}.yaml"
    assert runner.invoke(app, ["rulesets", "validate", str(path)]).exit_code == 0
    result = runner.invoke(app, ["rulesets", "test", str(path)])
    assert result.exit_code == 0, result.output
