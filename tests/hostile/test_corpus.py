"""Every hostile file, through the API and through the command line, each in a
process of its own under a memory limit and a time bound: it ends in the documented
error or a correct result, never in a traceback, a signal or a hang."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.hostile.cases import CASES, Case
from tests.hostile.harness import Run, Server

MEMORY = 1536 << 20
"""Address space each case may use: the interpreter and its libraries take about
400 MB of it, so a case that tried to hold a sheet's grid or a bomb's contents would
fail here rather than pass."""

PEAK_MB = 600
"""Resident memory a case may add to what the server already holds."""

IDS = [c.id for c in CASES]


def _clean(run: Run, case: Case) -> None:
    assert not run.timed_out, f"hang: {case.id} ran past {case.seconds} s"
    assert run.signal is None, f"{case.id} was killed by signal {run.signal}"
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.seconds < case.seconds
    assert run.peak_mb < PEAK_MB, f"{case.id} held {run.peak_mb:.0f} MB"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_api_ends_in_the_documented_outcome(case: Case, server: Server,
                                             tmp_path: Path) -> None:
    path = case.make(tmp_path)
    run = server.run("read", {"path": str(path), "ruleset": "ppmk-ksm",
                              "limits": case.limits},
                     memory=MEMORY, seconds=case.seconds)
    _clean(run, case)
    result = run.result
    if case.outcome == "refused":
        assert result.get("error") == "InputError", result
        assert re.search(case.message, result["message"]), result["message"]
        assert "(fix: " in result["message"]
        assert "failed unexpectedly" not in result["message"]
    else:
        assert "error" not in result, result
        codes = {code for _, code, _ in result["issues"]}
        assert set(case.issues) <= codes, (case.issues, sorted(codes))
        if case.rows is not None:
            assert result["rows"] == case.rows


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_ends_in_the_documented_outcome(case: Case, server: Server,
                                             tmp_path: Path) -> None:
    path = case.make(tmp_path)
    out = tmp_path / "out.csv"
    argv = ["score", str(path), "-r", "ppmk-ksm", "-o", str(out)]
    for name, value in case.limits.items():
        argv += ["--limit", f"{name}={value}"]
    run = server.run("cli", {"argv": argv}, memory=MEMORY, seconds=case.seconds)
    _clean(run, case)
    if case.outcome == "refused":
        assert run.exit == 1, run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
        assert re.search(case.message, lines[0]), lines[0]
        assert not out.exists()
    else:
        assert run.exit == 0, run.stderr
        with (tmp_path / "out.errors.csv").open(encoding="utf-8") as fh:
            codes = {r["Kode"] for r in csv.DictReader(fh)}  # headed in Indonesian
        assert set(case.issues) <= codes, (case.issues, sorted(codes))
