"""``--assessed-on``: the date of the assessment for rows that have none."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from kematangan.cli import app

RULESET = """\
id: dated
version: 1.0.0
title: Dated
description: Age of a group
sources: [{title: test}]
group_id: {field: group_id, aliases: [Kode]}
fields:
  - {id: formed_on, type: date, label: Tanggal dibentuk}
  - {id: assessed_on, type: date, label: Tanggal penilaian, role: assessment_date}
criteria:
  - {id: old_enough, label: Umur minimal 2 tahun,
     expr: 'years_between(formed_on, assessed_on) >= 2'}
"""


def _files(tmp_path: Path) -> tuple[Path, Path]:
    rs = tmp_path / "dated.yaml"
    rs.write_text(RULESET, encoding="utf-8")
    data = tmp_path / "groups.csv"
    data.write_text("Kode,Tanggal dibentuk,Tanggal penilaian\n"
                    "A,2022-03-01,\nB,2022-03-01,2022-04-01\n", encoding="utf-8")
    return rs, data


def test_assessed_on_fills_rows_without_a_date(tmp_path: Path) -> None:
    rs, data = _files(tmp_path)
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["score", str(data), "-r", str(rs), "-o",
                                      str(out), "--assessed-on", "2024-03-01"])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fp:
        rows = list(csv.DictReader(fp))
    assert [r["Umur minimal 2 tahun [old_enough]"] for r in rows] == [
        "terpenuhi", "tidak terpenuhi"]


def test_a_malformed_date_is_a_usage_error(tmp_path: Path) -> None:
    rs, data = _files(tmp_path)
    result = CliRunner().invoke(app, ["score", str(data), "-r", str(rs),
                                      "--assessed-on", "30/06/2024"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
