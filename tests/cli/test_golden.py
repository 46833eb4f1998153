"""Golden output of ``kematangan score`` on the ppmk-ksm example (parsed, not text).

Regenerate, after reviewing why the output changed, with
``KEMATANGAN_REGEN_GOLDEN=1 pytest tests/cli/test_golden.py`` and read the diff.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from typer.testing import CliRunner

from kematangan.cli import app

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


def test_score_output_matches_golden(tmp_path: Path) -> None:
    out = tmp_path / "scored.csv"
    result = CliRunner().invoke(app, ["score", str(ROOT / "examples" / "ppmk-ksm.csv"),
                                      "-r", "ppmk-ksm", "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = {"results": _rows(out), "errors": _rows(tmp_path / "scored.errors.csv")}
    golden = GOLDEN / "ppmk-ksm.score.json"
    if os.environ.get("KEMATANGAN_REGEN_GOLDEN") == "1":
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))
