"""Score a stream of record batches one batch at a time, in bounded memory.

:func:`score` takes an iterator of batches (pyarrow RecordBatches or Tables, pandas
DataFrames, or mappings of column name to array) and yields one :class:`ScoredBatch`
per batch, so memory follows the batch size, not the length of the stream. Every
result carries the ruleset's id, version and content hash and the rows' ids.

This module also holds what the scale-out adapters (:mod:`kematangan.dask`,
:mod:`kematangan.spark`) share with it: :func:`score_chunk` (score one batch of any
supported kind), :class:`ResultLayout` (the result table's columns with explicit
Arrow and pandas types) and :data:`scorers` (scorers compiled once per process).
pyarrow and pandas are imported only by the functions that need them.

Examples
--------
>>> from kematangan import stream
>>> chunks = [{"members": [3, 9]}, {"members": [12]}]
>>> for scored in stream.score(chunks, "ppmk-ksm", outcomes=False):
...     print(scored.row_ids.tolist(), scored.result.outcome("enough_members").tolist())
[0, 1] ['not_met', 'met']
[2] ['met']
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria import Ruleset
from kematangan.errors import InputError
from kematangan.scoring import BatchResult, RulesetRef, Scorer

__all__ = [
    "ResultLayout",
    "ScoredBatch",
    "ScorerCache",
    "as_scorer",
    "score",
    "score_chunk",
    "scorers",
]

#: Outcome names in the order of their codes + 1 (-1 unknown, 0 not met, 1 met).
_OUTCOME_NAMES = ("unknown", "not_met", "met")

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


def _kind(data: Any) -> str:
    mod = type(data).__module__
    if mod.startswith("pyarrow") and hasattr(data, "num_rows"):
        return "arrow"
    if mod.startswith("pandas") and hasattr(data, "columns"):
        return "pandas"
    if isinstance(data, Mapping):
        return "mapping"
    raise InputError(f"cannot score a batch of type {type(data).__name__}",
                     fix=_KINDS_FIX)


def _names(data: Any, kind: str) -> list[str]:
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


def _column(data: Any, name: str) -> Any:
    """Column ``name`` of a batch, as the batch holds it (an Arrow array, a pandas
    Series or the mapping's value); an :class:`InputError` names a missing one."""
    kind = _kind(data)
    names = _names(data, kind)
    if name not in names:
        raise InputError(f"the batch has no column {name!r}; it has "
                         f"{', '.join(map(repr, names[:20]))}",
                         column=name, fix="name a column the input has")
    return data.column(name) if kind == "arrow" else data[name]


def score_chunk(scorer: Scorer, data: Any) -> BatchResult:
    """Score one batch: a pyarrow RecordBatch or Table, a pandas DataFrame or a
    mapping of column name to array.

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
    kind = _kind(data)
    names = set(_names(data, kind))
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
        columns = {k: np.empty(0) for k in columns}
    return scorer.score_batch(columns, group_ids=gids)


# --- the result table ---------------------------------------------------------------


@dataclass(frozen=True)
class ResultLayout:
    """The columns of a result table and their types, for Arrow and pandas.

    Columns, in order: ``group_id``, ``stage``, ``stage_upper``, ``class``,
    ``class_upper``, ``score``, ``score_upper``, ``exit_ready``, ``issues`` (count of
    unusable values), then optionally ``problems`` (a JSON list of the row's
    unusable values with the fix), ``reason_1..k`` (top reasons, criterion ids) and
    ``outcome.<criterion>``, then ``ruleset_id``, ``ruleset_version`` and
    ``ruleset_hash``. Stages, classes, outcomes and the ruleset columns hold one
    of a few known texts: in Arrow they are dictionary arrays (ordered for stages
    and classes, lowest first), in pandas and Dask categoricals (likewise ordered),
    in Spark strings. Other texts are strings (pandas ``string``); ``exit_ready`` is
    a nullable boolean. A missing stage, class or exit readiness is null.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> layout = ResultLayout.of(Scorer("ppmk-ksm"), outcomes=False)
    >>> layout.names()[:4], layout.names()[-1]
    (['group_id', 'stage', 'stage_upper', 'class'], 'ruleset_hash')
    """

    ruleset: RulesetRef
    stage_ids: tuple[str, ...]
    class_ids: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    outcomes: bool = True
    reasons: int = 0
    problems: bool = True

    @classmethod
    def of(cls, scorer: Scorer, *, outcomes: bool = True, reasons: int = 0,
           problems: bool = True) -> ResultLayout:
        """The layout of ``scorer``'s results with the optional columns chosen."""
        if reasons < 0:
            raise ValueError(f"reasons must be 0 or more, got {reasons}")
        rs = scorer.ruleset
        return cls(
            ruleset=RulesetRef(id=rs.id, version=rs.version,
                               hash=scorer.plan.content_hash),
            stage_ids=tuple(s.id for s in rs.stages),
            class_ids=tuple(k.id for k in rs.classes),
            criterion_ids=tuple(c.id for c in rs.criteria),
            outcomes=outcomes, reasons=reasons, problems=problems)

    def _kinds(self) -> list[tuple[str, str]]:
        """(column, kind) pairs; kinds: text, enum (one of known labels, see
        :meth:`_labels`), float, bool, count."""
        cols = [("group_id", "text"), ("stage", "enum"), ("stage_upper", "enum"),
                ("class", "enum"), ("class_upper", "enum"), ("score", "float"),
                ("score_upper", "float"), ("exit_ready", "bool"),
                ("issues", "count")]
        if self.problems:
            cols.append(("problems", "text"))
        cols += [(f"reason_{k + 1}", "text") for k in range(self.reasons)]
        if self.outcomes:
            cols += [(f"outcome.{c}", "enum") for c in self.criterion_ids]
        return [*cols, ("ruleset_id", "enum"), ("ruleset_version", "enum"),
                ("ruleset_hash", "enum")]

    def _labels(self, name: str) -> tuple[tuple[str, ...], bool]:
        """An enum column's labels, in code order, and whether they are ordered."""
        if name.startswith("stage"):
            return self.stage_ids, True
        if name.startswith("class"):
            return self.class_ids, True
        if name.startswith("outcome."):
            return _OUTCOME_NAMES, False
        return (getattr(self.ruleset, name.removeprefix("ruleset_")),), False

    def names(self) -> list[str]:
        """The result column names, in order."""
        return [name for name, _ in self._kinds()]

    def check_kept(self, kept: Sequence[str]) -> None:
        """Raise :class:`InputError` when a carried-over input column would clash
        with a result column or with another carried-over column."""
        clash = sorted(set(kept) & set(self.names()))
        if clash or len(set(kept)) != len(kept):
            raise InputError(
                "input columns to carry into the results clash with result columns "
                f"or repeat: {', '.join(clash) or ', '.join(kept)}",
                fix="carry each column once and rename any called like a result "
                    "column (e.g. 'stage' to 'stage_input')")

    def _codes(self, batch: BatchResult) -> dict[str, npt.NDArray[Any]]:
        """Each enum column as label positions, -1 for none."""
        # The documented integer form of a batch, so that no column is built from
        # a Python object per cell.
        raw = batch.raw
        same = np.zeros(len(batch), dtype=np.int8)
        codes: dict[str, npt.NDArray[Any]] = {
            "stage": raw.stage, "stage_upper": raw.stage_upper,
            "class": raw.class_, "class_upper": raw.class_upper,
            "ruleset_id": same, "ruleset_version": same, "ruleset_hash": same}
        if self.outcomes:
            for i, c in enumerate(self.criterion_ids):
                codes[f"outcome.{c}"] = raw.outcomes[i] + 1
        return codes

    def _texts(self, batch: BatchResult) -> dict[str, npt.NDArray[np.object_]]:
        texts: dict[str, npt.NDArray[np.object_]] = {
            "group_id": (batch.group_ids if batch.group_ids is not None
                         else np.full(len(batch), None, dtype=object))}
        if self.problems:
            texts["problems"] = _problem_texts(batch)
        if self.reasons:
            from kematangan.explain import batch_reasons

            texts.update(batch_reasons(batch, self.reasons))
        return texts

    def _words(self, name: str) -> Any:
        import pyarrow as pa

        return pa.array(self._labels(name)[0], pa.string())

    def arrow_schema(self, kept: Sequence[Any] = ()) -> Any:
        """A ``pyarrow.Schema``: the ``kept`` ``pyarrow.Field`` s, then the results."""
        import pyarrow as pa

        types = {"text": pa.string(), "float": pa.float64(), "bool": pa.bool_(),
                 "count": pa.int64()}
        fields = []
        for name, kind in self._kinds():
            if kind == "enum":
                ordered = self._labels(name)[1]
                fields.append(pa.field(name, pa.dictionary(pa.int8(), pa.string(),
                                                           ordered=ordered)))
            else:
                fields.append(pa.field(name, types[kind]))
        return pa.schema([*kept, *fields])

    def to_arrow(self, batch: BatchResult, kept: Mapping[str, Any] | None = None
                 ) -> Any:
        """``batch`` as a ``pyarrow.RecordBatch``, after the ``kept`` columns."""
        import pyarrow as pa

        codes, texts = self._codes(batch), self._texts(batch)
        arrays: list[Any] = [v if isinstance(v, pa.Array | pa.ChunkedArray)
                             else pa.array(v) for v in (kept or {}).values()]
        arrays = [a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a
                  for a in arrays]
        schema = self.arrow_schema([pa.field(k, a.type)
                                    for k, a in zip(kept or {}, arrays, strict=True)])
        for name, kind in self._kinds():
            if kind == "enum":
                c = codes[name].astype(np.int8, copy=False)
                arrays.append(pa.DictionaryArray.from_arrays(
                    pa.array(c, mask=c < 0), self._words(name),
                    ordered=self._labels(name)[1]))
            elif name in texts:
                arrays.append(pa.array(texts[name], pa.string()))
            elif kind == "bool":
                e = batch.raw.exit_ready
                arrays.append(pa.array(e == 1, pa.bool_(), mask=e < 0))
            elif kind == "count":
                arrays.append(pa.array(_issue_counts(batch), pa.int64()))
            else:
                arrays.append(pa.array(getattr(batch, name), pa.float64()))
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    def pandas_dtypes(self) -> dict[str, Any]:
        """The pandas dtype of each result column."""
        import pandas as pd

        dtypes: dict[str, Any] = {}
        for name, kind in self._kinds():
            if kind == "enum":
                labels, ordered = self._labels(name)
                dtypes[name] = pd.CategoricalDtype(labels, ordered=ordered)
            else:
                dtypes[name] = {"text": pd.StringDtype(), "float": np.dtype(np.float64),
                                "bool": pd.BooleanDtype(),
                                "count": np.dtype(np.int64)}[kind]
        return dtypes

    def to_pandas(self, batch: BatchResult, kept: Mapping[str, Any] | None = None,
                  index: Any = None) -> Any:
        """``batch`` as a pandas DataFrame, after the ``kept`` columns."""
        import pandas as pd

        codes, texts = self._codes(batch), self._texts(batch)
        dtypes = self.pandas_dtypes()
        cols: dict[str, Any] = {}
        for name, value in (kept or {}).items():
            cols[name] = _pandas_column(value)
        for name, kind in self._kinds():
            if kind == "enum":
                cols[name] = pd.Categorical.from_codes(codes[name], dtype=dtypes[name])
            elif name in texts:
                cols[name] = pd.array(texts[name], dtype=dtypes[name])
            elif kind == "bool":
                e = batch.raw.exit_ready
                cols[name] = pd.arrays.BooleanArray(e == 1, e < 0)
            elif kind == "count":
                cols[name] = _issue_counts(batch)
            else:
                cols[name] = getattr(batch, name)
        return pd.DataFrame(cols, index=index, copy=False)

    def pandas_meta(self, kept: Mapping[str, Any] | None = None,
                    index: Any = None) -> Any:
        """An empty DataFrame with the result's columns and dtypes (``kept``: column
        name to dtype, placed first)."""
        import pandas as pd

        dtypes = {**(kept or {}), **self.pandas_dtypes()}
        return pd.DataFrame({name: pd.Series([], dtype=d, index=index)
                             for name, d in dtypes.items()}, index=index)


def _pandas_column(value: Any) -> Any:
    """A kept column without an index of its own, keeping its dtype."""
    import pandas as pd

    if isinstance(value, pd.Series):
        return value.array
    if hasattr(value, "to_pandas"):  # an Arrow array
        return value.to_pandas().array
    return value


def _issue_counts(batch: BatchResult) -> npt.NDArray[np.int64]:
    rows = np.array([x.row for x in batch.issues if x.row is not None],
                    dtype=np.int64)
    return np.bincount(rows, minlength=len(batch)).astype(np.int64)


def _problem_texts(batch: BatchResult) -> npt.NDArray[np.object_]:
    out = np.full(len(batch), None, dtype=object)
    for row, issues in batch.issues_by_row().items():
        if row >= 0:
            out[row] = json.dumps([i.model_dump(mode="json", exclude={"row"})
                                   for i in issues], ensure_ascii=False)
    return out


# --- the stream -------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ScoredBatch:
    """One scored batch of a stream.

    ``result`` is the :class:`~kematangan.BatchResult` (an issue's ``row`` is its
    position in this batch); ``start`` the position of the batch's first row in the
    stream; ``row_id`` the name of the row id column and ``ids`` its values as the
    batch held them (see :attr:`row_ids`); ``kept`` the carried-over columns;
    ``missing`` the ruleset's fields that the batch lacks (read as unknown).
    """

    result: BatchResult
    start: int
    row_id: str
    ids: Any
    kept: Mapping[str, Any]
    missing: tuple[str, ...]
    layout: ResultLayout

    def __len__(self) -> int:
        return len(self.result)

    @property
    def ruleset(self) -> RulesetRef:
        """The ruleset that scored the batch: id, version and content hash."""
        return self.layout.ruleset

    @property
    def row_ids(self) -> npt.NDArray[Any]:
        """The rows' ids as a numpy array: the ``row_id`` column's values when one
        was named, else the rows' 0-based positions in the stream."""
        ids = self.ids
        if hasattr(ids, "to_numpy"):
            kwargs = {"zero_copy_only": False} if hasattr(ids, "type") else {}
            out: npt.NDArray[Any] = ids.to_numpy(**kwargs)
            return out
        return np.asarray(ids)

    def _kept(self) -> dict[str, Any]:
        return {self.row_id: self.ids, **self.kept}

    def to_arrow(self) -> Any:
        """A ``pyarrow.RecordBatch``: the row id, the kept columns, the results.

        Examples
        --------
        >>> batches = score([{"members": [9]}], "ppmk-ksm", outcomes=False)
        >>> table = next(batches).to_arrow()
        >>> table.column_names[:3], table.column("ruleset_id").to_pylist()
        (['row_id', 'group_id', 'stage'], ['ppmk-ksm'])
        """
        return self.layout.to_arrow(self.result, self._kept())

    def to_pandas(self) -> Any:
        """A pandas DataFrame: the row id, the kept columns, the results."""
        return self.layout.to_pandas(self.result, self._kept())


def score(
    batches: Iterable[Any],
    ruleset: Scorer | Ruleset | str | os.PathLike[str],
    *,
    row_id: str | None = None,
    keep: Sequence[str] = (),
    outcomes: bool = True,
    reasons: int = 0,
    problems: bool = True,
) -> Iterator[ScoredBatch]:
    """Score batches one at a time and yield a :class:`ScoredBatch` for each.

    Only one batch (and its results) is held at a time, so memory follows the batch
    size; read the input lazily (e.g. with
    :func:`kematangan.io.parquet_dataset.open_parquet`) to keep it so.

    Parameters
    ----------
    batches
        pyarrow RecordBatches or Tables, pandas DataFrames or mappings of column
        name to array, all with the same columns; column names are field ids.
    ruleset
        A :class:`~kematangan.Scorer`, a :class:`~kematangan.Ruleset`, a path or a
        bundled ruleset id.
    row_id
        The input column holding each row's id; without one, rows are numbered by
        their 0-based position in the stream, in a column called ``row_id``.
    keep
        More input columns to carry into the results (e.g. a district or period).
    outcomes, reasons, problems
        The optional result columns (see :class:`ResultLayout`): one outcome column
        per criterion, the top ``reasons`` reasons, the unusable values as JSON.

    Raises
    ------
    InputError
        When a batch is of another kind, lacks the ``row_id`` or ``keep`` columns, or
        a kept column clashes with a result column.

    Examples
    --------
    >>> import pandas as pd
    >>> chunks = (pd.DataFrame({"id": [10, 11], "members": [3, -1]}) for _ in range(2))
    >>> for s in score(chunks, "ppmk-ksm", row_id="id", outcomes=False):
    ...     frame = s.to_pandas()
    ...     print(s.start, frame["id"].tolist(), frame["issues"].tolist())
    0 [10, 11] [0, 1]
    2 [10, 11] [0, 1]
    """
    scorer = as_scorer(ruleset)
    layout = ResultLayout.of(scorer, outcomes=outcomes, reasons=reasons,
                             problems=problems)
    id_name = row_id if row_id is not None else "row_id"
    layout.check_kept([id_name, *keep])
    return _score_stream(scorer, layout, iter(batches), row_id, tuple(keep))


def _score_stream(scorer: Scorer, layout: ResultLayout, batches: Iterator[Any],
                  row_id: str | None, keep: tuple[str, ...]) -> Iterator[ScoredBatch]:
    start = 0
    for data in batches:
        result = score_chunk(scorer, data)
        n = len(result)
        ids = (_column(data, row_id) if row_id is not None
               else np.arange(start, start + n, dtype=np.int64))
        names = set(_names(data, _kind(data)))
        yield ScoredBatch(
            result=result, start=start, row_id=row_id or "row_id", ids=ids,
            kept={name: _column(data, name) for name in keep},
            missing=tuple(f.id for f in scorer.ruleset.fields if f.id not in names),
            layout=layout)
        start += n
