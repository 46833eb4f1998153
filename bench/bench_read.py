"""Benchmark reading files: kematangan's CSV and .xlsx readers beside python-calamine.

Run ``python bench/bench_read.py`` (``--rows N`` to change the length). The data is
``bench_io.py``'s: 100,000 rows of the ``ppmk-ksm`` fields, a synthetic extension
and columns no field reads, as a ``;`` CSV with decimal commas and as an .xlsx of
typed cells. Every step runs in its own process and reports CPU seconds
(``time.process_time``; the machine is shared, so CPU is steadier than wall time)
and wall seconds. Figures only; nothing is asserted.

Steps:

* ``read_table`` of the CSV and of the .xlsx (header matching, row sorting, cell
  parsing, every note and error);
* python-calamine's own read of the same .xlsx into Python rows
  (``CalamineWorkbook.from_path(...).get_sheet_by_index(0).to_python()``), the
  floor the issue measures the .xlsx reader against;
* expat alone over the same sheet XML, without and with (empty) Python handlers:
  the floor of a reader that parses in the host process through expat;
* ``kematangan score INPUT -r RULESET -o OUTPUT`` on the CSV, the whole CLI run, CPU
  of the child process, with ``score_file``'s own split into read, score and write
  from a run in-process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import bench_io


def _timed(fn: Any) -> dict[str, Any]:
    t0, c0 = time.perf_counter(), time.process_time()
    info = fn() or {}
    return {**info, "cpu": round(time.process_time() - c0, 2),
            "seconds": round(time.perf_counter() - t0, 2)}


def step(name: str, folder: Path) -> dict[str, Any]:
    """Run one measured step in this process; return its figures."""
    if name.startswith("read-"):
        from kematangan.io import read_table

        rs = bench_io.bench_ruleset()
        path = folder / f"input.{name.removeprefix('read-')}"
        return _timed(lambda: {"rows": len(read_table(path, rs))})
    if name == "calamine-xlsx":
        from python_calamine import CalamineWorkbook

        def calamine() -> dict[str, Any]:
            book = CalamineWorkbook.from_path(str(folder / "input.xlsx"))
            return {"rows": len(book.get_sheet_by_index(0).to_python()) - 1}

        return _timed(calamine)
    if name.startswith("expat-"):
        from xml.parsers import expat

        with zipfile.ZipFile(folder / "input.xlsx") as z:
            part = next(n for n in z.namelist() if n.startswith("xl/worksheets/"))
            xml = z.read(part)

        def parse() -> None:
            p = expat.ParserCreate()
            if name == "expat-handlers":
                p.StartElementHandler = lambda tag, attrs: None
                p.EndElementHandler = lambda tag: None
            p.Parse(xml, True)

        return _timed(parse)
    if name == "split-csv":
        from kematangan.scorefile import score_file
        from kematangan.scoring import Scorer

        spent: dict[str, float] = {}
        score_file(folder / "input.csv", Scorer(bench_io.bench_ruleset()),
                   folder / "split.csv", timings=spent)
        return {k: round(v, 2) for k, v in spent.items()}
    raise SystemExit(f"unknown step {name}")


def _run(name: str, folder: Path) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--step", name, str(folder)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"failed": proc.stderr.strip().splitlines()[-1:]}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _cli(folder: Path) -> dict[str, Any]:
    """The whole `kematangan score` run on the CSV: CPU of the child process."""
    import yaml

    rules = folder / "ruleset.yaml"
    data = bench_io.bench_ruleset().model_dump(mode="json", by_alias=True,
                                               exclude_none=True)
    rules.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    exe = Path(sys.executable).with_name("kematangan")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([str(exe), "score", str(folder / "input.csv"), "-r",
                           str(rules), "-o", str(folder / "cli.csv")],
                          capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"exit": proc.returncode, "cpu": round(cpu, 2),
            "seconds": round(time.perf_counter() - t0, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--step", nargs=2, metavar=("NAME", "FOLDER"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step[0], Path(args.step[1]))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_io.write_inputs(folder, args.rows)
        print(f"dataset: {args.rows:,} rows x {len(bench_io.dataset(10))} columns; "
              f"input.csv {(folder / 'input.csv').stat().st_size / 1e6:.1f} MB, "
              f"input.xlsx {(folder / 'input.xlsx').stat().st_size / 1e6:.1f} MB")
        _run("expat-bare", folder)  # warm the page cache
        figures: dict[str, dict[str, Any]] = {}
        print("\nstep (own process)        cpu s   wall s")
        for name in ("read-csv", "read-xlsx", "calamine-xlsx", "expat-bare",
                     "expat-handlers"):
            r = figures[name] = _run(name, folder)
            print(f"{name:<24} {r.get('cpu', '-'):>6}  {r.get('seconds', '-'):>7}"
                  f"  {r.get('failed', '')}")
        cli = _cli(folder)
        print(f"{'kematangan score (csv)':<24} {cli['cpu']:>6}  {cli['seconds']:>7}"
              f"  exit {cli['exit']}")
        print(f"  score_file split, wall s: {_run('split-csv', folder)}")
        ours, theirs = figures["read-xlsx"], figures["calamine-xlsx"]
        if "cpu" in ours and "cpu" in theirs:
            print(f"\n.xlsx read / calamine read, CPU: "
                  f"{ours['cpu'] / theirs['cpu']:.2f}x; expat with empty handlers "
                  f"alone: {figures['expat-handlers']['cpu'] / theirs['cpu']:.2f}x")


if __name__ == "__main__":
    main()
