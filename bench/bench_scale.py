"""Scale-out figures: a Parquet folder of synthetic ppmk-ksm assessments scored by
streaming on one machine, on Dask (threads, 1 and 2 worker processes) and on Spark
(local mode).

    python bench/bench_scale.py                          # 10,000,000 rows, every step
    python bench/bench_scale.py --rows 1000000           # fewer rows
    python bench/bench_scale.py --steps stream,dask-2    # some steps only
    python bench/bench_scale.py --steps ""               # only write the input

The input folder is written once under ``--data`` (default: the system's temporary
folder) and reused. Each step runs in its own process, so its peak memory (VmHWM)
is its own; Dask worker processes report theirs. Every step writes its results as
Parquet, as a real job would. ``spark-N`` has Spark hand Python N rows per Arrow
batch (``spark``: its default, 10,000). Needs ``pip install -e '.[dask,spark]'`` and Java for
Spark. Figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

RULESET = "ppmk-ksm"
FILES = 20
STEPS = ("stream", "cli", "dask-threads", "dask-1", "dask-2", "spark", "spark-100000")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def write_folder(folder: Path, rows: int, seed: int = 11) -> None:
    """``rows`` assessments as ``FILES`` Parquet files under ``quarter=1..4``: a row
    id, a group id, a district, and the ruleset's fields. Each row copies one of the
    ruleset's own test records that show no problem (groups at every stage), with its
    numbers moved together by up to 20% within their bounds (so
    they still agree with each other: savers within members; a number a check
    compares with a date is left as it is), about 5% of values blanked and 0.1% of
    numbers put out of bounds."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from kematangan import Scorer, load_ruleset
    from kematangan.criteria import expr as ex

    rs = load_ruleset(RULESET)
    scorer = Scorer(rs)  # the test records that show a problem on purpose are left out
    templates = [case.record for case in rs.tests if not scorer.score(case.record).issues]
    dates = {f.id for f in rs.fields if f.type == "date"}
    # Numbers a check compares with a date stay as the test record has them.
    with_dates = [ex.names(ex.parse(c.require)) for c in rs.checks]
    fixed = set().union(*(n for n in with_dates if n & dates)) - dates
    rng = np.random.default_rng(seed)
    districts = pa.array([f"Kabupaten {k}" for k in range(50)])
    per_file = -(-rows // FILES)
    for k in range(FILES):
        n = min(per_file, rows - k * per_file)
        start = k * per_file
        ids = np.arange(start, start + n, dtype=np.int64)
        pick = rng.integers(0, len(templates), n)
        factor = rng.uniform(0.8, 1.2, n)  # one per row: numbers keep their order
        cols: dict[str, Any] = {
            "row_id": pa.array(ids),
            "group_id": pc.binary_join_element_wise(
                "KSM-", pc.cast(pa.array(ids // 4), pa.string()), ""),
            "district": districts.take(pa.array(rng.integers(0, 50, n))),
        }
        for f in rs.fields:
            given = np.array([t.get(f.id) for t in templates], dtype=object)[pick]
            missing = np.array([v is None for v in given]) | (rng.random(n) < 0.05)
            if f.type == "boolean":
                cols[f.id] = pa.array(given.astype(bool), mask=missing)
                continue
            if f.type == "date":  # as the test record gives it (an ISO text)
                days = np.array([v if v is not None else "NaT" for v in given],
                                dtype="datetime64[D]")
                cols[f.id] = pa.array(days, type=pa.date32(), mask=missing)
                continue
            values = np.where(missing, 0.0, given).astype(np.float64)
            lo = f.min if f.min is not None else -np.inf
            hi = f.max if f.max is not None else 1e6
            inside = (values >= lo) & (values <= hi)
            if f.id not in fixed:
                values = np.where(inside, np.clip(values * factor, lo, hi), values)
            values[rng.random(n) < 0.001] = hi * 10 + 1
            if f.type == "integer":
                cols[f.id] = pa.array(np.round(values).astype(np.int64), mask=missing)
            else:
                cols[f.id] = pa.array(np.round(values, 2), mask=missing)
        sub = folder / f"quarter={1 + k * 4 // FILES}"
        sub.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table(cols), sub / f"part-{k:03d}.parquet",
                       row_group_size=100_000)


def _columns() -> list[str]:
    from kematangan import load_ruleset

    rs = load_ruleset(RULESET)
    return ["row_id", "group_id", "district", *(f.id for f in rs.fields)]


def step_stream(folder: Path, out: Path, batch_rows: int) -> dict[str, Any]:
    """Stream the folder through the scorer into one Parquet file."""
    import pyarrow.parquet as pq

    from kematangan import stream
    from kematangan.io.parquet_dataset import open_parquet

    spent = dict.fromkeys(("read+score", "to_arrow", "write"), 0.0)
    rows = 0
    source = open_parquet(folder, columns=_columns(), batch_rows=batch_rows)
    results = stream.score(source, RULESET, row_id="row_id", keep=["district"])
    writer = None
    t = time.perf_counter()
    for scored in results:
        t1 = time.perf_counter()
        batch = scored.to_arrow()
        t2 = time.perf_counter()
        if writer is None:
            writer = pq.ParquetWriter(out / "results.parquet", batch.schema)
        writer.write_batch(batch)
        t3 = time.perf_counter()
        spent["read+score"] += t1 - t
        spent["to_arrow"] += t2 - t1
        spent["write"] += t3 - t2
        rows += len(scored)
        t = time.perf_counter()
    if writer is not None:
        writer.close()
    return {"rows": rows, "batch_rows": batch_rows,
            **{f"{k}_s": round(v, 1) for k, v in spent.items()}}


def step_dask(folder: Path, out: Path, workers: int) -> dict[str, Any]:
    """Score the folder on Dask and write the results as a Parquet folder;
    ``workers`` 0 means Dask's threaded scheduler without a cluster."""
    import dask
    import dask.dataframe as dd

    import kematangan.dask

    info: dict[str, Any] = {}
    client = cluster = None
    t0 = time.perf_counter()
    if workers:
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
        info["cluster_start_s"] = round(time.perf_counter() - t0, 1)
    ddf = dd.read_parquet(folder, columns=_columns())
    result = kematangan.dask.score(ddf, RULESET, keep=["row_id", "district"],
                                   client=client)
    t1 = time.perf_counter()
    with dask.config.set(scheduler="threads" if not workers else None):
        result.to_parquet(out / "results", write_index=False)
    info.update(partitions=ddf.npartitions,
                score_and_write_s=round(time.perf_counter() - t1, 1))
    if client is not None and cluster is not None:
        peaks = client.run(_peak_mb)
        info["worker_peak_mb"] = sorted(round(v) for v in peaks.values())
        info["worker_cpu_s"] = round(sum(client.run(time.process_time).values()), 1)
        client.close()
        cluster.close()
    return info


def step_spark(folder: Path, out: Path, arrow_batch: int) -> dict[str, Any]:
    """Score the folder on Spark local[2] and write the results as Parquet; Spark
    hands Python ``arrow_batch`` rows at a time (its default is 10,000)."""
    from pyspark.sql import SparkSession

    import kematangan.spark

    t0 = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").appName("bench-scale")
             .config("spark.ui.enabled", "false")
             .config("spark.pyspark.python", sys.executable)
             .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(arrow_batch))
             .config("spark.driver.memory", "2g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    t1 = time.perf_counter()
    df = spark.read.parquet(str(folder))
    result = kematangan.spark.score(df, RULESET, keep=["row_id", "district"])
    result.write.mode("overwrite").parquet(str(out / "results"))
    t2 = time.perf_counter()
    partitions = df.rdd.getNumPartitions()
    spark.stop()
    return {"session_start_s": round(t1 - t0, 1), "partitions": partitions,
            "score_and_write_s": round(t2 - t1, 1)}


def step_cli(folder: Path, out: Path) -> dict[str, Any]:
    """``kematangan score FOLDER -o scored.parquet``, the command line's default
    path (header matching, row sorting, readable results, every problem written)."""
    import resource

    done = subprocess.run([sys.executable, "-m", "kematangan", "score", str(folder),
                           "-r", RULESET, "-o", str(out / "scored.parquet"), "--lang",
                           "en"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cli_peak_mb": round(used.ru_maxrss / 1024),
            "cli_cpu_s": round(used.ru_utime + used.ru_stime, 1)}


def run_step(name: str, folder: Path, batch_rows: int) -> dict[str, Any]:
    out = Path(tempfile.mkdtemp(prefix=f"kematangan-{name}-"))
    t0 = time.perf_counter()
    try:
        if name == "stream":
            info = step_stream(folder, out, batch_rows)
        elif name == "cli":
            info = step_cli(folder, out)
        elif name.startswith("spark"):
            tail = name.removeprefix("spark").removeprefix("-")
            info = step_spark(folder, out, int(tail) if tail else 10_000)
        else:
            tail = name.removeprefix("dask-")
            info = step_dask(folder, out, 0 if tail == "threads" else int(tail))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"step": name, "total_s": round(time.perf_counter() - t0, 1),
            "peak_mb": round(_peak_mb()), "cpu_s": round(time.process_time(), 1),
            **info}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--batch-rows", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = args.data / f"kematangan-bench-scale-{args.rows}"
    if args.step:
        print(json.dumps(run_step(args.step, folder, args.batch_rows)))
        return
    if not (folder / "_done").exists():
        t0 = time.perf_counter()
        shutil.rmtree(folder, ignore_errors=True)
        write_folder(folder, args.rows)
        (folder / "_done").write_text("")
        print(f"wrote {args.rows:,} rows in {FILES} files to {folder} "
              f"in {time.perf_counter() - t0:.0f} s")
    size = sum(p.stat().st_size for p in folder.rglob("*.parquet"))
    print(f"input: {args.rows:,} rows, {size / 2**20:.0f} MiB of Parquet, "
          f"ruleset {RULESET}, {os.cpu_count()} cores")
    for name in filter(None, args.steps.split(",")):
        cmd = [sys.executable, __file__, "--step", name, "--rows", str(args.rows),
               "--batch-rows", str(args.batch_rows), "--data", str(args.data)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            print(f"{name}: failed\n{done.stderr[-2000:]}")
            continue
        info = json.loads(lines[-1])
        rate = args.rows / info["total_s"] / 1e6
        print(f"{name:13s} {info.pop('total_s'):7.1f} s  {rate:5.2f} M rows/s  "
              f"peak {info.pop('peak_mb'):5d} MB  "
              + "  ".join(f"{k}={v}" for k, v in info.items() if k != "step"))


if __name__ == "__main__":
    main()
