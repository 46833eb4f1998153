"""Score a stream of record batches one batch at a time, in bounded memory.

:func:`score` takes an iterator of batches (pyarrow RecordBatches or Tables, pandas
DataFrames, or mappings of column name to array) and yields one :class:`ScoredBatch`
per batch, so memory follows the batch size, not the length of the stream. Every
result carries the ruleset's id, version and content hash and the rows' ids.

This package also holds what the scale-out adapters (:mod:`kematangan.dask`,
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

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from kematangan.criteria import Ruleset
from kematangan.scoring import BatchResult, RulesetRef, Scorer
from kematangan.stream.chunk import (
    ScorerCache,
    as_scorer,
    batch_kind,
    column,
    column_names,
    needed_columns,
    score_chunk,
    scorers,
)
from kematangan.stream.layout import ResultLayout

__all__ = [
    "Prepared",
    "ResultLayout",
    "ScoredBatch",
    "ScorerCache",
    "as_scorer",
    "prepare",
    "score",
    "score_chunk",
    "scorers",
]


class Prepared(NamedTuple):
    """What a table scorer (Dask, Spark) settles before it runs: see :func:`prepare`."""

    scorer: Scorer
    layout: ResultLayout
    keep: tuple[str, ...]
    needed: list[str]


def prepare(ruleset: Scorer | Ruleset | str | os.PathLike[str], columns: Sequence[str],
            keep: Sequence[str], *, outcomes: bool, reasons: int, problems: bool,
            lang: str) -> Prepared:
    """The scorer, the result layout, the kept columns and the input columns to read
    for a table with ``columns``; an :class:`~kematangan.InputError` when a kept
    column is missing or clashes with a result column, or no field is a column.

    Examples
    --------
    >>> p = prepare("ppmk-ksm", ["id", "members", "notes"], ["id"], outcomes=False,
    ...             reasons=0, problems=True, lang="en")
    >>> p.needed, p.layout.names()[0]
    (['id', 'members'], 'group_id')
    """
    scorer = as_scorer(ruleset)
    layout = ResultLayout.of(scorer, outcomes=outcomes, reasons=reasons,
                             problems=problems, lang=lang)
    kept = tuple(keep)
    needed = needed_columns(scorer.ruleset, [str(c) for c in columns], kept)
    layout.check_kept(kept)
    return Prepared(scorer, layout, kept, needed)


@dataclass(frozen=True, eq=False)
class ScoredBatch:
    """One scored batch of a stream.

    ``result`` is the :class:`~kematangan.BatchResult` (an issue's ``row`` is its
    record's 1-based position in the stream); ``start`` the 0-based position of the batch's first row in the
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
    lang: str = "en",
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
    lang
        The language of the problems' texts: ``"en"`` or ``"id"``.

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
                             problems=problems, lang=lang)
    id_name = row_id if row_id is not None else "row_id"
    layout.check_kept([id_name, *keep])
    return _score_stream(scorer, layout, iter(batches), row_id, tuple(keep))


def _score_stream(scorer: Scorer, layout: ResultLayout, batches: Iterator[Any],
                  row_id: str | None, keep: tuple[str, ...]) -> Iterator[ScoredBatch]:
    start = 0
    for data in batches:
        result = score_chunk(scorer, data, first_row=start + 1)
        n = len(result)
        ids = (column(data, row_id) if row_id is not None
               else np.arange(start, start + n, dtype=np.int64))
        names = set(column_names(data, batch_kind(data)))
        yield ScoredBatch(
            result=result, start=start, row_id=row_id or "row_id", ids=ids,
            kept={name: column(data, name) for name in keep},
            missing=tuple(f.id for f in scorer.ruleset.fields if f.id not in names),
            layout=layout)
        start += n

