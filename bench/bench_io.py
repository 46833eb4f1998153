"""Benchmark kematangan.io: read and write 100,000 rows x 40 columns.

Run ``python bench/bench_io.py`` (``--rows N`` to change the length, ``--quick`` to
skip the xlsx writer comparison). Every measurement runs in a fresh subprocess, so
its peak resident memory (``VmHWM``, which includes python-calamine's and
pyarrow's native memory) is its own. Figures only; nothing is asserted.

The dataset: the 20 fields of the bundled ``ppmk-ksm`` ruleset, 8 more fields of a
synthetic extension (numbers, a category, a date, yes/no), the group id, and 11
columns the ruleset does not read (passed through), as a district's quick-status
sheet has. The CSV is written the Indonesian-Excel way: ``;`` between fields and a
decimal comma. The project's targets, for the full CLI later: CSV and Parquet end to
end under 5 s; for .xlsx, everything but the final write under 25% of the total;
peak memory under 1 GB whatever the file's length.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria import load_ruleset
from kematangan.criteria.ruleset import Ruleset

EXTRA_FIELDS: list[dict[str, Any]] = [
    {"id": "savings_balance", "type": "number", "label": "Saldo tabungan",
     "unit": "Rp", "min": 0},
    {"id": "loan_outstanding", "type": "number", "label": "Sisa pinjaman",
     "unit": "Rp", "min": 0},
    {"id": "repayment_rate", "type": "number", "label": "Tingkat pengembalian",
     "min": 0, "max": 1},
    {"id": "women_members", "type": "integer", "label": "Anggota perempuan",
     "min": 0, "max": 500},
    {"id": "business_type", "type": "category", "label": "Jenis usaha",
     "categories": ["dagang", "jasa", "produksi", "pertanian", "lainnya"]},
    {"id": "formed_on", "type": "date", "label": "Tanggal pembentukan"},
    {"id": "has_bank_account", "type": "boolean", "label": "Punya rekening bank"},
    {"id": "last_audit_on", "type": "date", "label": "Tanggal audit terakhir"},
]
PASSTHROUGH = ["No", "Provinsi", "Kabupaten", "Kecamatan", "Kelurahan", "RW",
               "Nama ketua", "Telepon", "Pendamping", "Catatan", "Periode"]


def bench_ruleset() -> Ruleset:
    """ppmk-ksm with the extra fields."""
    base = load_ruleset("ppmk-ksm")
    data = base.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["fields"] = data["fields"] + EXTRA_FIELDS
    return Ruleset.model_validate(data)


def dataset(rows: int, seed: int = 7) -> dict[str, npt.NDArray[Any]]:
    """Typed columns: header -> values (the input as a program would hold it)."""
    rng = np.random.default_rng(seed)
    rs = bench_ruleset()
    cols: dict[str, npt.NDArray[Any]] = {}
    ids = np.array([f"KSM-{i:06d}" for i in range(rows)], dtype=object)
    cols["No"] = np.arange(1, rows + 1, dtype=np.float64)
    cols["Kode KSM"] = ids
    for i, name in enumerate(PASSTHROUGH[1:], start=1):
        pool = np.array([f"{name} {k}" for k in range(50)], dtype=object)
        cols[name] = pool[rng.integers(0, 50, rows)]
        if i == 6:
            break
    for spec in rs.fields:
        header = spec.aliases[0] if spec.aliases else spec.label.get()
        if spec.type == "boolean":
            cols[header] = np.where(rng.random(rows) < 0.7, "ya", "tidak").astype(
                object)
        elif spec.type == "integer":
            low = spec.min or 0
            high = min(spec.max or low + 100, low + 60)
            cols[header] = rng.integers(int(low), int(high) + 1, rows).astype(
                np.float64)
        elif spec.type == "number":
            # Within the field's bounds (large amounts where it has none), with
            # about 1 in 1,000 values out of bounds, as a real sheet might have.
            lo = spec.min if spec.min is not None else 0.0
            hi = spec.max if spec.max is not None else 5e6
            values = np.round(lo + rng.random(rows) * (hi - lo), 2)
            values[rng.random(rows) < 0.001] = hi * 10 + 1
            cols[header] = values
        elif spec.type == "category":
            cats = np.array(spec.categories or [], dtype=object)
            cols[header] = cats[rng.integers(0, len(cats), rows)]
        elif spec.role == "assessment_date":
            cols[header] = np.full(rows, ASSESSED_ON)
        else:  # within two years before the assessment
            cols[header] = ASSESSED_ON - rng.integers(0, 730, rows).astype("m8[D]")
    for name in PASSTHROUGH[7:]:
        pool = np.array([f"{name} {k}" for k in range(200)], dtype=object)
        cols[name] = pool[rng.integers(0, 200, rows)]
    _related(cols, rs, rng)
    return cols


def _related(cols: dict[str, npt.NDArray[Any]], rs: Ruleset,
             rng: np.random.Generator) -> None:
    """Values that depend on each other as ppmk-ksm's checks say they do (in place):
    savers within members, arrears only with a loan, cadre answers only with cadres,
    the review date as many months back as the months column says, the last visit
    within the quarter exactly when there were visits."""
    h = {spec.id: spec.aliases[0] if spec.aliases else spec.label.get()
         for spec in rs.fields}
    n = len(cols["No"])
    cols[h["members_saving"]] = np.minimum(cols[h["members_saving"]],
                                           cols[h["members"]])
    no_loan = cols[h["revolving_fund_access"]] == "tidak"
    cols[h["arrears_instalments"]][no_loan] = 0.0
    no_cadres = cols[h["local_cadres"]] == 0
    for f in ("cadres_chosen_by_musyawarah", "cadres_able_to_facilitate"):
        cols[h[f]][no_cadres] = "tidak"
    months = np.round(rng.uniform(0, 36, n), 1)  # plans are reviewed yearly or so
    cols[h["business_plan_months_since_review"]] = months
    cols[h["business_plan_reviewed_on"]] = ASSESSED_ON - np.round(
        months * 30.4375).astype("m8[D]")
    visited = cols[h["facilitator_visits_last_3_months"]] >= 1
    back = np.where(visited, rng.integers(0, 88, n), rng.integers(93, 700, n))
    cols[h["last_facilitator_visit_on"]] = ASSESSED_ON - back.astype("m8[D]")


ASSESSED_ON = np.datetime64("2024-09-30")


def _decimal_comma(arr: npt.NDArray[Any]) -> npt.NDArray[Any]:
    out = np.empty(arr.shape[0], dtype=object)
    out[:] = [f"{v:.2f}".replace(".", ",") if not float(v).is_integer()
              else str(int(v)) for v in arr.tolist()]
    return out


def write_inputs(folder: Path, rows: int) -> None:
    """The dataset as .xlsx (typed cells), .csv (;, decimal comma) and .parquet."""
    from kematangan.io import write_table

    cols = dataset(rows)
    write_table(folder / "input.xlsx", cols, sheet_name="Data")
    write_table(folder / "input.parquet", cols)
    text = {k: (_decimal_comma(v) if v.dtype.kind == "f" and k != "No" else v)
            for k, v in cols.items()}
    csv_path = folder / "input.csv"
    write_table(csv_path, text)
    # Indonesian Excel writes ';' between fields when ',' is the decimal sign.
    import csv

    with csv_path.open(encoding="utf-8", newline="") as src:
        table = list(csv.reader(src))
    with csv_path.open("w", encoding="utf-8", newline="") as dst:
        csv.writer(dst, delimiter=";", lineterminator="\r\n").writerows(table)


# --- steps, each run in its own process --------------------------------------------


def _peak_mb() -> float:
    # VmHWM is this process's own high-water mark; ru_maxrss can carry over the
    # parent's from before exec.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _result_columns(table: Any) -> dict[str, Any]:
    """A result table as the CLI will write it: the input columns, then scores."""
    n = len(table)
    rng = np.random.default_rng(1)
    out: dict[str, Any] = dict(table.passthrough)
    out["skor"] = np.round(rng.random(n) * 100, 1)
    out["tahap"] = np.array(["penumbuhan", "penguatan", "pemandirian"],
                            dtype=object)[rng.integers(0, 3, n)]
    out["siap_dilepas"] = rng.random(n) < 0.1
    return out


def step(name: str, folder: Path) -> dict[str, Any]:
    """Run one measured step; return its figures."""
    from kematangan.io import ResultWriter, iter_tables, read_table

    rs = bench_ruleset()
    t0 = time.perf_counter()
    c0 = time.process_time()
    info: dict[str, Any] = {}
    if name.startswith("read-"):
        fmt = name.removeprefix("read-")
        table = read_table(folder / f"input.{fmt}", rs)
        info = {"rows": len(table), "fields": len(table.columns),
                "errors": len(table.errors), "notes": len(table.notes)}
    elif name.startswith("chunks-"):
        fmt = name.removeprefix("chunks-")
        n = 0
        for chunk in iter_tables(folder / f"input.{fmt}", rs, chunk_rows=20_000):
            n += len(chunk)
        info = {"rows": n}
    elif name.startswith("roundtrip-"):
        # read, then write the results in the same format: the CLI minus scoring.
        fmt = name.removeprefix("roundtrip-")
        table = read_table(folder / f"input.{fmt}", rs)
        t_read = time.perf_counter() - t0
        with ResultWriter(folder / f"out.{fmt}") as w:
            w.write(_result_columns(table))
        info = {"read_s": round(t_read, 2),
                "write_s": round(time.perf_counter() - t0 - t_read, 2)}
    elif name.startswith("stream-"):
        # chunked read and chunked write: memory should not depend on the length.
        fmt = name.removeprefix("stream-")
        with ResultWriter(folder / f"stream.{fmt}") as w:
            for chunk in iter_tables(folder / f"input.{fmt}", rs, chunk_rows=20_000):
                w.write(_result_columns(chunk))
    elif name.startswith("endtoend-"):
        # What `kematangan score INPUT -o OUTPUT` runs, in the input's format.
        from kematangan.scorefile import score_file
        from kematangan.scoring import Scorer

        fmt = name.removeprefix("endtoend-")
        spent: dict[str, float] = {}
        summary = score_file(folder / f"input.{fmt}", Scorer(rs),
                             folder / f"scored.{fmt}", timings=spent)
        info = {"rows": summary.rows, **{k: round(v, 2) for k, v in spent.items()}}
    elif name.startswith("write-"):
        fmt = name.removeprefix("write-")
        cols = dataset(int((folder / "rows").read_text()))
        t0 = time.perf_counter()
        c0 = time.process_time()
        WRITERS[fmt](folder / f"w-{fmt}.xlsx" if fmt in WRITERS_XLSX
                     else folder / f"w.{fmt}", cols)
    else:
        raise SystemExit(f"unknown step {name}")
    info["seconds"] = round(time.perf_counter() - t0, 2)
    info["cpu"] = round(time.process_time() - c0, 2)
    info["peak_mb"] = round(_peak_mb())
    return info


def _rows_of(cols: dict[str, npt.NDArray[Any]]) -> tuple[list[str], list[list[Any]]]:
    names = list(cols)
    lists = [(v.astype(object) if v.dtype.kind == "M" else v).tolist()
             for v in cols.values()]
    return names, lists


def _w_kematangan(path: Path, cols: dict[str, npt.NDArray[Any]]) -> None:
    from kematangan.io import write_table

    write_table(path, cols)


def _w_xlsxwriter_default(path: Path, cols: dict[str, npt.NDArray[Any]]) -> None:
    import xlsxwriter

    names, lists = _rows_of(cols)
    book = xlsxwriter.Workbook(str(path), {"strings_to_urls": False,
                                           "strings_to_formulas": False})
    ws = book.add_worksheet("results")
    fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, names)
    for r, row in enumerate(zip(*lists, strict=True), start=1):
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write_datetime(r, c, v, fmt)
            else:
                ws.write(r, c, v)
    book.close()


def _w_pyexcelerate(path: Path, cols: dict[str, npt.NDArray[Any]]) -> None:
    from pyexcelerate import Workbook  # type: ignore[import-untyped,import-not-found,unused-ignore]

    names, lists = _rows_of(cols)
    book = Workbook()
    book.new_sheet("results", data=[names, *map(list, zip(*lists, strict=True))])
    book.save(str(path))


def _w_rustpy(path: Path, cols: dict[str, npt.NDArray[Any]]) -> None:
    import rustpy_xlsxwriter  # type: ignore[import-not-found,unused-ignore]

    names, lists = _rows_of(cols)
    records = [dict(zip(names, row, strict=True)) for row in zip(*lists, strict=True)]
    rustpy_xlsxwriter.write_worksheet(records, str(path), sheet_name="results")


def _w_rvgs(path: Path, cols: dict[str, npt.NDArray[Any]]) -> None:
    import rvgsrust_xlsxwriter as rx  # type: ignore[import-not-found,unused-ignore]

    names, lists = _rows_of(cols)
    book = rx.Workbook()
    ws = book.add_worksheet()
    ws.set_name("results")
    ws.write_row(0, 0, names)
    for c, values in enumerate(lists):
        ws.write_column(1, c, values)
    book.close(str(path))


def _w_jetxl(path: Path, cols: dict[str, npt.NDArray[Any]]) -> None:
    import jetxl  # type: ignore[import-not-found,unused-ignore]
    import pyarrow as pa

    jetxl.write_sheet_arrow(pa.table(cols), str(path), sheet_name="results")


WRITERS: dict[str, Callable[[Path, dict[str, npt.NDArray[Any]]], None]] = {
    "xlsx": _w_kematangan,
    "csv": _w_kematangan,
    "jsonl": _w_kematangan,
    "parquet": _w_kematangan,
    "xlsxwriter-constant-memory": _w_kematangan,
    "xlsxwriter-default": _w_xlsxwriter_default,
    "pyexcelerate": _w_pyexcelerate,
    "rustpy-xlsxwriter": _w_rustpy,
    "rvgsrust-xlsxwriter": _w_rvgs,
    "jetxl": _w_jetxl,
}
WRITERS_XLSX = {k for k in WRITERS if k not in ("csv", "jsonl", "parquet")}
IMPORTS = {"pyexcelerate": "pyexcelerate", "rustpy-xlsxwriter": "rustpy_xlsxwriter",
           "rvgsrust-xlsxwriter": "rvgsrust_xlsxwriter", "jetxl": "jetxl"}


def _run(name: str, folder: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--step", name, str(folder)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        return {"failed": proc.stderr.strip().splitlines()[-1:]}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true",
                        help="skip the xlsx writer comparison and the length check")
    parser.add_argument("--scale", type=int, default=3,
                        help="also stream a file this many times longer, to show "
                        "that peak memory does not grow with length (0: skip)")
    parser.add_argument("--step", nargs=2, metavar=("NAME", "FOLDER"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step[0], Path(args.step[1]))))
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "rows").write_text(str(args.rows))
        t0 = time.perf_counter()
        write_inputs(folder, args.rows)
        ncols = len(dataset(10))
        print(f"dataset: {args.rows:,} rows x {ncols} columns "
              f"({time.perf_counter() - t0:.1f} s to make)")
        for f in ("xlsx", "csv", "parquet"):
            size = (folder / f"input.{f}").stat().st_size / 1e6
            print(f"  input.{f}: {size:.1f} MB")
        base = _run("write-csv", folder)  # warm the page cache
        print("\nstep (own process)          seconds      cpu  peak RSS MB  detail")
        for name in ("read-xlsx", "read-csv", "read-parquet",
                     "chunks-xlsx", "chunks-csv", "chunks-parquet",
                     "write-xlsx", "write-csv", "write-jsonl", "write-parquet",
                     "roundtrip-xlsx", "roundtrip-csv", "roundtrip-parquet",
                     "stream-xlsx", "stream-csv", "stream-parquet",
                     "endtoend-xlsx", "endtoend-csv", "endtoend-parquet"):
            r = _run(name, folder)
            detail = {k: v for k, v in r.items()
                      if k not in ("seconds", "cpu", "peak_mb")}
            print(f"{name:<27} {r.get('seconds', '-'):>7}  {r.get('cpu', '-'):>7}"
                  f"  {r.get('peak_mb', '-'):>11}  {detail if detail else ''}")
        del base
        if not args.quick and args.scale > 1:
            longer = folder / "longer"
            longer.mkdir()
            rows = args.rows * args.scale
            (longer / "rows").write_text(str(rows))
            write_inputs(longer, rows)
            print(f"\nchunked read + write (stream-*) and scoring (endtoend-*): "
                  "peak RSS MB at "
                  f"{args.rows:,} and {rows:,} rows")
            for name in ("stream-csv", "stream-parquet", "stream-xlsx",
                         "endtoend-csv", "endtoend-parquet", "endtoend-xlsx"):
                short, long_ = _run(name, folder), _run(name, longer)
                print(f"{name:<27} {short.get('peak_mb', '-'):>7}  "
                      f"{long_.get('peak_mb', '-'):>7}   "
                      f"({long_.get('seconds', '-')} s)")
        if not args.quick:
            print("\nxlsx writers, same data (own process each)")
            print("writer                      seconds      cpu  peak RSS MB")
            for name in sorted(WRITERS_XLSX - {"xlsx"}):
                module = IMPORTS.get(name)
                if module and not _installed(module):
                    print(f"{name:<27} not installed")
                    continue
                r = _run(f"write-{name}", folder)
                print(f"{name:<27} {r.get('seconds', '-'):>7}  {r.get('cpu', '-'):>7}"
                      f"  {r.get('peak_mb', '-'):>11}  {r.get('failed', '')}")


if __name__ == "__main__":
    main()
