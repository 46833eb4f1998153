"""``kematangan score --engine dask``: score Parquet on a Dask cluster and write the
results as a Parquet folder.

A ``LocalCluster`` of ``--workers`` single-threaded worker processes is started for
the run and closed after it, unless ``--scheduler`` or ``DASK_SCHEDULER_ADDRESS``
names a running scheduler. Results and the summary's counts come from one
computation, so the input is read and scored once. Dask is imported only here, and
only when the engine is chosen.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kematangan.cli.options import fail, fail_error
from kematangan.errors import KematanganError

if TYPE_CHECKING:
    from kematangan.io.parquet_dataset import ParquetSource
    from kematangan.scorefile import FileSummary
    from kematangan.scoring import Scorer
    from kematangan.stream import ResultLayout

__all__ = ["SCHEDULER_ENV", "count_partition", "part_name", "result_folder",
           "score_on_dask"]

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
"""The environment variable naming a running Dask scheduler to use."""

_TEXT = {
    "id": {"input": "masukan: {rows:,} baris dalam {files} berkas Parquet; {read} "
                    "dari {cols} kolom dibaca",
           "absent": "Data ruleset TANPA kolom, dibaca sebagai tidak diketahui "
                     "({n}): {fields}",
           "where": "dinilai di {where}",
           "local": "klaster Dask lokal dengan {n} proses pekerja",
           "remote": "penjadwal Dask di {address}"},
    "en": {"input": "input: {rows:,} rows in {files} Parquet file(s); {read} of "
                    "{cols} columns read",
           "absent": "Ruleset fields WITHOUT a column, read as unknown ({n}): "
                     "{fields}",
           "where": "scoring on {where}",
           "local": "a local Dask cluster of {n} worker process(es)",
           "remote": "the Dask scheduler at {address}"},
}
_NOT_FOLDERS = {".xlsx", ".xls", ".csv", ".tsv", ".json", ".jsonl", ".txt", ".ods"}
_DASK_LOGGERS = ("distributed", "dask", "tornado", "bokeh")


def _t(key: str, lang: str) -> str:
    return _TEXT["en" if lang == "en" else "id"][key]


def result_folder(input: Path, output: Path | None) -> Path:
    """Where the results go: ``output``, or ``INPUT-STEM.scored`` beside the input;
    exit 2 when ``output`` names a spreadsheet or text file, an existing file or a
    folder that is not empty.

    Examples
    --------
    >>> lake = getfixture("tmp_path")
    >>> result_folder(lake / "assessments", None).name
    'assessments.scored'
    >>> result_folder(lake / "2024.parquet", None).name
    '2024.scored'
    >>> try:
    ...     result_folder(lake / "2024.parquet", lake / "out.xlsx")
    ... except typer.Exit as exit:
    ...     exit.exit_code
    2
    """
    stem = input.name if input.suffix.lower() not in (".parquet", ".parq") \
        else input.stem
    target = output if output is not None else input.with_name(
        f"{stem.rstrip('*') or 'results'}.scored")
    if target.suffix.lower() in _NOT_FOLDERS:
        fail(f"cannot write {target}: --engine dask writes a folder of Parquet "
             f"files, not a {target.suffix} file; fix: give --output a folder name "
             f"(e.g. {target.with_suffix('.scored')}), or leave out --engine dask to "
             "write a spreadsheet", code=2)
    if target.is_file():
        fail(f"cannot write {target}: it is a file; fix: choose a new folder name "
             "for --output", code=2)
    if target.is_dir() and any(target.iterdir()):
        fail(f"cannot write {target}: the folder is not empty and old results would "
             "mix with new ones; fix: delete it or choose another --output", code=2)
    if not target.parent.is_dir():
        fail(f"cannot write {target}: the folder {target.parent} does not exist; "
             "fix: create it first, or choose another --output", code=2)
    return target


def part_name(i: int) -> str:
    """The name of result file ``i``, sorting in partition order.

    Examples
    --------
    >>> part_name(3)
    'part-00003.parquet'
    """
    return f"part-{i:05d}.parquet"


def _open_input(input: Path) -> ParquetSource:
    """The Parquet files of ``input``; exit 2 for input that is not Parquet and 1
    for input that cannot be opened."""
    from kematangan.io.parquet_dataset import open_parquet

    if input.is_file() and input.suffix.lower() not in (".parquet", ".parq"):
        with input.open("rb") as fh:
            parquet = fh.read(4) == b"PAR1"
        if not parquet:
            fail(f"--engine dask reads Parquet (a file, a folder of them or a glob), "
                 f"and {input.name} is not Parquet; fix: leave out --engine dask to "
                 "score it in this process, or convert it to Parquet first", code=2)
    try:
        return open_parquet(input)
    except KematanganError as err:
        fail_error(err)


def _default_workers() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)


@contextmanager
def _client(workers: int | None, scheduler: str | None, lang: str
            ) -> Iterator[tuple[Any, str]]:
    """A ``distributed.Client``: to ``scheduler`` when given, else to a
    ``LocalCluster`` started (and closed) here; and what it runs on, in words."""
    from distributed import Client, LocalCluster

    for name in _DASK_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as err:
            fail(f"cannot connect to the Dask scheduler at {scheduler}: {err}; fix: "
                 f"check the address, or unset --scheduler and {SCHEDULER_ENV} to "
                 "start a local cluster", code=2)
        with client:
            yield client, _t("remote", lang).format(address=scheduler)
        return
    n = workers or _default_workers()
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.WARNING
                      ) as cluster, Client(cluster) as client:
        yield client, _t("local", lang).format(n=n)


def count_partition(part: Any, stage_ids: tuple[str, ...],
                    class_ids: tuple[str, ...]) -> Any:
    """The summary's counts of one partition of results, as a one-row frame (runs on
    a worker; the frames are summed)."""
    import pandas as pd

    counts: dict[str, int] = {"rows": len(part)}
    stages = part["stage"].astype(object)
    for s in stage_ids:
        counts[f"stage:{s}"] = int((stages == s).sum())
    counts["stage:none"] = int(stages.isna().sum())
    classes = part["class"].astype(object)
    for k in class_ids:
        counts[f"class:{k}"] = int((classes == k).sum())
    counts["class:none"] = int(classes.isna().sum())
    for name, upper in (("stage", "stage_upper"), ("class", "class_upper")):
        low, high = part[name].astype(object), part[upper].astype(object)
        same = (low == high) | (low.isna() & high.isna())
        counts[f"{name}_undetermined"] = int((~same).sum())
    counts["exit_ready"] = int(part["exit_ready"].fillna(False).sum())
    counts["issues"] = int(part["issues"].sum())
    counts["groups_with_problems"] = int((part["issues"] > 0).sum())
    return pd.DataFrame({k: [v] for k, v in counts.items()}, dtype="int64")


def _summary(scorer: Scorer, counts: Any, target: Path) -> FileSummary:
    from kematangan.scorefile import FileSummary

    rs = scorer.ruleset
    got = {str(k): int(v) for k, v in counts.items()}
    summary = FileSummary(rs.id, rs.version, rs.content_hash, rows=got["rows"])
    summary.stage = {s: got[f"stage:{s}"] for s in [*(s.id for s in rs.stages),
                                                     "none"]}
    summary.class_ = {k: got[f"class:{k}"] for k in [*(k.id for k in rs.classes),
                                                     "none"]}
    summary.stage_undetermined = got["stage_undetermined"]
    summary.class_undetermined = got["class_undetermined"]
    summary.exit_ready = got["exit_ready"]
    summary.errors = got["issues"]
    summary.groups_with_problems = got["groups_with_problems"]
    summary.written = [target]
    return summary


def _compute(scorer: Scorer, layout: ResultLayout, results: Any, target: Path
             ) -> Any:
    """Write ``results`` to ``target`` and sum the counts, in one computation."""
    import dask

    write = results.to_parquet(target, write_index=False, compute=False,
                               name_function=part_name)
    meta = count_partition(layout.pandas_meta({}).iloc[:0], layout.stage_ids,
                           layout.class_ids).iloc[:0]
    counts = results.map_partitions(count_partition, layout.stage_ids,
                                    layout.class_ids, meta=meta).sum()
    _, total = dask.compute(write, counts)
    return total


def score_on_dask(input: Path, scorer: Scorer, output: Path | None, *,
                  workers: int | None, scheduler: str | None, keep: list[str],
                  top_reasons: int, lang: str) -> tuple[FileSummary, list[str]]:
    """Score the Parquet ``input`` on Dask, write the results folder and print what
    was read and where it runs; the summary to print after, and the ruleset's
    fields the input has no column for."""
    try:
        import dask.dataframe as dd
        import distributed  # noqa: F401  (the cluster)
    except ImportError:
        fail("--engine dask needs Dask; fix: pip install 'kematangan[dask]'", code=2)
    import kematangan.dask
    from kematangan.stream import prepare

    source = _open_input(input)
    names = list(source.schema.names)
    try:
        prepared = prepare(scorer, names, keep, outcomes=True, reasons=top_reasons,
                           problems=True, lang=lang)
    except KematanganError as err:
        fail_error(err, lang)
    target = result_folder(input, output)
    absent = [f.id for f in scorer.ruleset.fields if f.id not in names]
    typer.echo(_t("input", lang).format(rows=source.num_rows, files=len(source.files),
                                        read=len(prepared.needed), cols=len(names)))
    if absent:
        typer.echo(_t("absent", lang).format(n=len(absent), fields=", ".join(absent)))
    address = scheduler or os.environ.get(SCHEDULER_ENV) or None
    made = not target.exists()
    try:
        with _client(workers, address, lang) as (client, where):
            typer.echo(_t("where", lang).format(where=where))
            ddf = dd.read_parquet(str(input), columns=prepared.needed)
            results = kematangan.dask.score(
                ddf, scorer, keep=prepared.keep, reasons=top_reasons, lang=lang,
                client=client)
            counts = _compute(scorer, prepared.layout, results, target)
    except BaseException as exc:
        if made and target.exists():
            shutil.rmtree(target, ignore_errors=True)
        if isinstance(exc, KematanganError):
            fail_error(exc, lang)
        if isinstance(exc, OSError):
            fail(f"cannot write {target}: {exc.strerror or exc}; fix: check the "
                 "disk and the path, or choose another --output", code=2)
        if isinstance(exc, Exception):
            fail(f"Dask could not score {input}: {type(exc).__name__}: {exc}; fix: "
                 "check that the Parquet files share one schema and open with "
                 "pyarrow")
        raise
    return _summary(scorer, counts, target), absent
