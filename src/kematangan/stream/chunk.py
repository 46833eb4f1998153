"""Read one batch of records, of any supported kind, into the scorer; compile each
ruleset once per process.

Examples
--------
>>> from kematangan import Scorer
>>> score_chunk(Scorer("ppmk-ksm"), {"members": [3, 9]}).outcome("enough_members").tolist()
['not_met', 'met']
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria import Ruleset
from kematangan.errors import InputError
from kematangan.scoring import BatchResult, Scorer

__all__ = [
    "ScorerCache",
    "as_scorer",
    "batch_kind",
    "column",
    "column_names",
    "needed_columns",
    "score_chunk",
    "scorers",
]

_KINDS_FIX = ("yield pyarrow RecordBatches or Tables, pandas DataFrames, or dicts "
              "of column name to array")


# --- scorers compiled once per process -------------------------------------------


class ScorerCache:
    """Scorers compiled once per process and kept by ruleset content hash.

    Dask workers and Spark's Python workers receive a ruleset once and score many
    partitions with it; this cache compiles it on first use only. ``compiled``
    counts compilations (a diagnostic: one per ruleset and process).

    Examples
    --------
    >>> from kematangan import load_ruleset
    >>> cache = ScorerCache()
    >>> rs = load_ruleset("ppmk-ksm")
    >>> cache.get(rs) is cache.get(rs), cache.compiled
    (True, 1)
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.compiled = 0
        self._scorers: OrderedDict[str, Scorer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, ruleset: Ruleset, content_hash: str | None = None) -> Scorer:
        """The numpy-engine scorer of ``ruleset`` (``content_hash`` saves hashing)."""
        key = content_hash if content_hash is not None else ruleset.content_hash
        with self._lock:
            scorer = self._scorers.get(key)
            if scorer is None:
                scorer = Scorer(ruleset)
                self.compiled += 1
                self._scorers[key] = scorer
                while len(self._scorers) > self.size:
                    self._scorers.popitem(last=False)
            else:
                self._scorers.move_to_end(key)
            return scorer


#: This process's scorers, shared by the Dask and Spark workers' tasks.
scorers = ScorerCache()


def as_scorer(ruleset: Scorer | Ruleset | str | os.PathLike[str]) -> Scorer:
    """``ruleset`` itself when it is a :class:`Scorer`, else a new numpy scorer.

    Examples
    --------
    >>> scorer = as_scorer("ppmk-ksm")
    >>> as_scorer(scorer) is scorer
    True
    """
    return ruleset if isinstance(ruleset, Scorer) else Scorer(ruleset)


# --- one batch in, columns for the scorer out -------------------------------------


def batch_kind(data: Any) -> str:
    """``"arrow"``, ``"pandas"`` or ``"mapping"``; an :class:`InputError` for
    anything else.

    Examples
    --------
    >>> batch_kind({"members": [3]})
    'mapping'
    """
    mod = type(data).__module__
    if mod.startswith("pyarrow") and hasattr(data, "num_rows"):
        return "arrow"
    if mod.startswith("pandas") and hasattr(data, "columns"):
        return "pandas"
    if isinstance(data, Mapping):
        return "mapping"
    raise InputError(f"cannot score a batch of type {type(data).__name__}",
                     fix=_KINDS_FIX)


def column_names(data: Any, kind: str) -> list[str]:
    """The column names of a batch of kind ``kind`` (see :func:`batch_kind`).

    Examples
    --------
    >>> column_names({"members": [3]}, "mapping")
    ['members']
    """
    if kind == "arrow":
        return [str(n) for n in data.schema.names]
    return [str(n) for n in (data.columns if kind == "pandas" else data.keys())]


def _length(data: Any, kind: str) -> int:
    if kind == "arrow":
        return int(data.num_rows)
    if kind == "pandas":
        return len(data)
    lengths = {str(k): len(v) for k, v in data.items()}
    if len(set(lengths.values())) > 1:
        raise InputError("columns have different lengths: " + ", ".join(
            f"{k}={v}" for k, v in lengths.items()),
            fix="give every column one value per record")
    return next(iter(lengths.values()), 0)


def _arrow_strings(col: Any) -> npt.NDArray[np.object_]:
    """A string column as an object array (None for null), decoding each distinct
    text once instead of once per row."""
    import pyarrow as pa

    enc = col if pa.types.is_dictionary(col.type) else col.dictionary_encode()
    words = np.append(enc.dictionary.to_numpy(zero_copy_only=False),
                      np.array([None], dtype=object))
    index = enc.indices.fill_null(len(enc.dictionary)).to_numpy(zero_copy_only=False)
    out: npt.NDArray[np.object_] = words[index]
    return out


def _arrow_values(col: Any, field_type: str) -> Any:
    import pyarrow as pa

    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    t = col.type
    if (pa.types.is_dictionary(t) and pa.types.is_string(t.value_type)) or (
            pa.types.is_string(t) or pa.types.is_large_string(t)):
        return _arrow_strings(col)
    if pa.types.is_boolean(t) and field_type == "boolean" and col.null_count:
        # True/False/null read as 1/0/NaN, which the scorer takes as the same
        # booleans, without a Python object per cell.
        return col.cast(pa.float64()).to_numpy(zero_copy_only=False)
    return col.to_numpy(zero_copy_only=False)


def _pandas_values(col: Any, field_type: str) -> Any:
    import pandas as pd

    dtype = col.dtype
    if isinstance(dtype, np.dtype):
        if field_type == "boolean" and dtype.kind == "O" and (
                pd.api.types.infer_dtype(col, skipna=True) == "boolean"):
            return _booleans_as_numbers(col)
        return col.to_numpy()
    # Extension dtypes (string, Int64, boolean, category, Arrow-backed) mark a gap
    # with pd.NA, which the scorer's comparisons cannot take: give NaN or None.
    if pd.api.types.is_bool_dtype(dtype) and field_type == "boolean":
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    return col.to_numpy(dtype=object, na_value=None)


def _booleans_as_numbers(col: Any) -> npt.NDArray[np.float64]:
    """An object column of booleans and gaps as 1/0/NaN (what Dask makes of a
    Parquet boolean column with nulls)."""
    out: npt.NDArray[np.float64]
    try:
        import pyarrow as pa
    except ImportError:  # pandas' own way is three times slower
        out = col.to_numpy(dtype=np.float64, na_value=np.nan)
        return out
    out = pa.array(col, type=pa.bool_(), from_pandas=True).cast(
        pa.float64()).to_numpy(zero_copy_only=False)
    return out


def _group_ids(data: Any, kind: str, name: str) -> npt.NDArray[np.object_]:
    """Group ids as texts (Arrow's text of a number: 12.0 gives '12'), None where
    missing (never the text 'nan')."""
    col = data.column(name) if kind == "arrow" else data[name]
    try:
        import pyarrow as pa

        arr = col if kind == "arrow" else pa.array(col, from_pandas=True)
    except (ImportError, TypeError, ValueError):  # no pyarrow, or mixed types
        values = np.asarray(col, dtype=object)
        return np.array([None if v is None or (isinstance(v, float) and v != v)
                         or type(v).__name__ == "NAType" else str(v)
                         for v in values], dtype=object)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_dictionary(arr.type) and not pa.types.is_string(
            arr.type.value_type):
        arr = arr.dictionary_decode()
    if not (pa.types.is_string(arr.type) or pa.types.is_dictionary(arr.type)):
        arr = arr.cast(pa.string())
    return _arrow_strings(arr)


def column(data: Any, name: str) -> Any:
    """Column ``name`` of a batch, as the batch holds it (an Arrow array, a pandas
    Series or the mapping's value); an :class:`InputError` names a missing one.

    Examples
    --------
    >>> column({"members": [3]}, "members")
    [3]
    """
    kind = batch_kind(data)
    names = column_names(data, kind)
    if name not in names:
        raise InputError(f"the batch has no column {name!r}; it has "
                         f"{', '.join(map(repr, names[:20]))}",
                         column=name, fix="name a column the input has")
    return data.column(name) if kind == "arrow" else data[name]


def needed_columns(ruleset: Ruleset, names: Sequence[str], keep: Sequence[str]
                   ) -> list[str]:
    """The columns of a table with columns ``names`` that scoring reads: the
    ruleset's fields, its group id and ``keep``, in the table's order.

    Raises
    ------
    InputError
        When a ``keep`` column is not in ``names``, or none of the ruleset's fields
        is (every row would come out unknown).

    Examples
    --------
    >>> from kematangan import load_ruleset
    >>> needed_columns(load_ruleset("ppmk-ksm"), ["notes", "members", "id"], ["id"])
    ['members', 'id']
    """
    absent = [c for c in keep if c not in names]
    if absent:
        raise InputError(f"no column {', '.join(map(repr, absent))} to keep",
                         fix="keep columns the table has")
    fields = {f.id for f in ruleset.fields}
    if not fields & set(names):
        raise InputError(
            f"none of ruleset {ruleset.id!r}'s fields is a column of the table",
            fix="name the columns by field id, e.g. " + repr(ruleset.fields[0].id))
    wanted = fields | {ruleset.group_id.field} | set(keep)
    return [c for c in names if c in wanted]


def score_chunk(scorer: Scorer, data: Any, *, first_row: int = 1) -> BatchResult:
    """Score one batch: a pyarrow RecordBatch or Table, a pandas DataFrame or a
    mapping of column name to array. Problems name each record by its row number,
    counted from ``first_row``.

    The same as ``scorer.score_batch(data)``, read faster: only the ruleset's
    columns are converted, texts are decoded once per distinct value, booleans with
    gaps are read as numbers, and missing group ids stay missing.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> scorer = Scorer("ppmk-ksm")
    >>> batch = score_chunk(scorer, {"group_id": ["A", None], "members": [9, 3]})
    >>> batch.group_ids.tolist(), batch.outcome("enough_members").tolist()
    (['A', None], ['met', 'not_met'])
    """
    kind = batch_kind(data)
    names = set(column_names(data, kind))
    n = _length(data, kind)  # mapping columns of unequal lengths are refused here
    columns: dict[str, Any] = {}
    for spec in scorer.ruleset.fields:
        if spec.id not in names:
            continue
        if kind == "arrow":
            columns[spec.id] = _arrow_values(data.column(spec.id), spec.type)
        elif kind == "pandas":
            columns[spec.id] = _pandas_values(data[spec.id], spec.type)
        else:
            columns[spec.id] = data[spec.id]
    gid_field = scorer.ruleset.group_id.field
    gids = _group_ids(data, kind, gid_field) if gid_field in names else None
    if not columns:
        # Scoring on would read every criterion as unknown: a plausible-looking
        # table that is wrong for every row.
        raise InputError(
            f"none of ruleset {scorer.ruleset.id!r}'s fields is a column of the "
            f"batch (its columns: {', '.join(map(repr, sorted(names)[:20]))})",
            fix="name the columns by field id (e.g. "
                f"{scorer.ruleset.fields[0].id!r}); kematangan.io.read_table "
                "matches spreadsheet headers to fields")
    if n == 0:
        # score_batch fails on an empty text column; an empty batch has no values.
        columns = {}
    return scorer.score_batch(columns, group_ids=gids,
                              row_numbers=np.arange(first_row, first_row + n))


