"""Read Parquet in bounded chunks: one file, a folder of partitions, or a glob.

Data lakes keep assessments as many Parquet files, often in hive-style folders
(``year=2024/quarter=3/part-0.parquet``). :func:`open_parquet` opens them all as one
dataset (pyarrow.dataset, imported on use) and reads it as a stream of record
batches of at most ``batch_rows`` rows, in file order, one row group at a time and
only as fast as they are consumed, so memory follows the batch and row group size
rather than the data. Column names are taken as they
are: name them by field id (:func:`kematangan.io.read_table` matches spreadsheet
headers instead).

Examples
--------
>>> import pyarrow as pa, pyarrow.parquet as pq
>>> folder = getfixture("tmp_path")
>>> for q in (1, 2):
...     (folder / f"quarter={q}").mkdir()
...     pq.write_table(pa.table({"members": [3, 9, 12]}),
...                    folder / f"quarter={q}" / "part-0.parquet")
>>> source = open_parquet(folder, batch_rows=2)
>>> source.num_rows, source.schema.names
(6, ['members', 'quarter'])
>>> [b.num_rows for b in source]
[2, 1, 2, 1]
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kematangan.errors import InputError

__all__ = ["ParquetSource", "is_dataset", "open_parquet"]

_FIX_PYARROW = "pip install 'kematangan[parquet]'"
_FIX_FILES = ("check that every file is a complete Parquet file with the same "
              "columns and types; write the odd one again")


def _pyarrow_dataset() -> Any:
    try:
        import pyarrow.dataset as ds
    except ImportError:
        raise InputError("reading Parquet datasets needs pyarrow, which is not "
                         "installed", fix=_FIX_PYARROW) from None
    return ds


def is_dataset(source: str | os.PathLike[str]) -> bool:
    """Whether ``source`` names many Parquet files rather than one file: a folder,
    or a glob pattern that is not itself an existing path.

    Examples
    --------
    >>> import tempfile
    >>> is_dataset(tempfile.gettempdir()), is_dataset("lake/*/part-*.parquet")
    (True, True)
    >>> is_dataset("ksm.parquet")
    False
    """
    path = Path(source)
    return path.is_dir() or (glob.has_magic(os.fspath(source)) and not path.exists())


def _files(source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]
           ) -> tuple[list[str], str | None]:
    """The Parquet files of ``source`` in path order, and the folder partitions are
    read from (None for a list of files)."""
    if not isinstance(source, str | os.PathLike):
        files = [os.fspath(p) for p in source]
        for f in files:
            if not Path(f).is_file():
                raise InputError(f"{f!r} is not a file",
                                 fix="list existing Parquet files")
        if not files:
            raise InputError("no Parquet files given", fix="list at least one file")
        return files, None
    text = os.fspath(source)
    path = Path(text)
    if path.is_file():
        return [text], None
    if path.is_dir():
        found = sorted(str(p) for p in path.rglob("*")
                       if p.is_file() and not p.name.startswith(("_", "."))
                       and p.suffix in (".parquet", ".parq"))
        if not found:
            raise InputError(f"no Parquet files in folder {text!r}",
                             fix="point at the folder that holds the .parquet files")
        return found, text
    if glob.has_magic(text):
        found = sorted(p for p in glob.glob(text, recursive=True)
                       if Path(p).is_file())
        if not found:
            raise InputError(f"no file matches {text!r}",
                             fix="check the pattern, e.g. 'lake/year=*/*.parquet'")
        return found, None
    raise InputError(f"{text!r} does not exist",
                     fix="give a Parquet file, a folder of them, or a glob pattern")


class ParquetSource:
    """Parquet files read as one stream of record batches; iterate it for
    ``pyarrow.RecordBatch`` es. Open it with :func:`open_parquet`."""

    def __init__(self, dataset: Any, files: list[str], columns: list[str] | None,
                 batch_rows: int) -> None:
        self.dataset = dataset
        self.files = files
        self.columns = columns
        self.batch_rows = batch_rows

    @property
    def schema(self) -> Any:
        """The ``pyarrow.Schema`` of the batches (partition keys included)."""
        if self.columns is None:
            return self.dataset.schema
        import pyarrow as pa

        return pa.schema([self.dataset.schema.field(c) for c in self.columns])

    @property
    def num_rows(self) -> int:
        """Rows in all the files, from their footers (no data is read)."""
        try:
            return int(self.dataset.count_rows())
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot count the rows of the Parquet files: {exc}",
                             fix=_FIX_FILES) from None

    def __iter__(self) -> Iterator[Any]:
        # File by file and row group by row group, pulled as the consumer asks:
        # the dataset scanner reads ahead without bound when the consumer is slower
        # than the disk (1.3 GB ahead of a scorer over 10M rows, pyarrow 26).
        import pyarrow.dataset as ds
        import pyarrow.parquet as pq

        schema = self.schema
        for fragment in self.dataset.get_fragments():
            keys = ds.get_partition_keys(fragment.partition_expression)
            try:
                reader = pq.ParquetFile(fragment.path)
                names = set(reader.schema_arrow.names)
                batches = reader.iter_batches(
                    batch_size=self.batch_rows,
                    columns=[c for c in schema.names if c in names and c not in keys])
                for batch in batches:
                    if batch.num_rows:
                        yield _conform(batch, schema, keys)
            except (OSError, ValueError) as exc:  # ArrowInvalid is a ValueError
                raise InputError(f"cannot read {fragment.path!r}: {exc}",
                                 fix=_FIX_FILES) from None


def _conform(batch: Any, schema: Any, keys: dict[str, Any]) -> Any:
    """``batch`` with ``schema``'s columns and types: partition keys filled in, a
    column the file lacks as nulls (as pyarrow.dataset reads it)."""
    import pyarrow as pa

    n = batch.num_rows
    arrays = []
    for field in schema:
        if field.name in keys:
            arrays.append(pa.repeat(pa.scalar(keys[field.name], field.type), n))
        elif field.name in batch.schema.names:
            col = batch.column(field.name)
            arrays.append(col if col.type == field.type else col.cast(field.type))
        else:
            arrays.append(pa.nulls(n, field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def open_parquet(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    columns: Sequence[str] | None = None,
    batch_rows: int = 100_000,
) -> ParquetSource:
    """Open Parquet files to read them in batches of at most ``batch_rows`` rows.

    Parameters
    ----------
    source
        A ``.parquet`` file, a folder of them (read recursively, hive-style
        ``key=value`` folders become columns; files starting with ``_`` or ``.``
        are skipped), a glob pattern (``lake/year=2024/*.parquet``), or a list of
        files. Files are read in path order.
    columns
        The columns to read (all when None); reading only the ruleset's fields, the
        row id and the columns to keep saves time and memory.
    batch_rows
        The most rows in one batch; memory grows with it.

    Raises
    ------
    InputError
        When the source does not exist, holds no Parquet file, the files do not
        share a schema, a column is not in them, or a file is damaged (also while
        reading).

    Examples
    --------
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> path = getfixture("tmp_path") / "groups.parquet"
    >>> pq.write_table(pa.table({"group_id": ["A", "B"], "members": [3, 9]}), path)
    >>> [b.to_pydict() for b in open_parquet(path, columns=["members"])]
    [{'members': [3, 9]}]
    """
    if batch_rows < 1:
        raise ValueError(f"batch_rows must be at least 1, not {batch_rows}")
    ds = _pyarrow_dataset()
    files, base = _files(source)
    try:
        dataset = ds.dataset(files, format="parquet", partitioning="hive",
                             partition_base_dir=base)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot open the Parquet files: {exc}",
                         fix=_FIX_FILES) from None
    names = list(dataset.schema.names)
    if columns is not None:
        absent = [c for c in columns if c not in names]
        if absent:
            raise InputError(f"no column {', '.join(map(repr, absent))} in the "
                             f"Parquet files (they have {', '.join(names[:30])})",
                             fix="name columns the files have")
    return ParquetSource(dataset, files, None if columns is None else list(columns),
                         batch_rows)
