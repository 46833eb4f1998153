"""The result table of the stream, Dask and Spark scorers: its columns and their
explicit Arrow, pandas and Spark types.

Examples
--------
>>> from kematangan import Scorer
>>> layout = ResultLayout.of(Scorer("ppmk-ksm"), outcomes=False)
>>> layout.to_arrow(Scorer("ppmk-ksm").score_batch([{"members": 3}])).num_rows
1
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.errors import InputError
from kematangan.scoring import BatchResult, RulesetRef, Scorer

__all__ = ["ResultLayout"]

#: Outcome names in the order of their codes + 1 (-1 unknown, 0 not met, 1 met,
#: 2 does not apply).
_OUTCOME_NAMES = ("unknown", "not_met", "met", "not_applicable")


@dataclass(frozen=True)
class ResultLayout:
    """The columns of a result table and their types, for Arrow and pandas.

    Columns, in order: ``group_id``, ``stage``, ``stage_upper``, ``class``,
    ``class_upper``, ``score``, ``score_upper``, ``max_score`` (the most points the
    record could have: criteria that do not apply to it leave it), ``exit_ready``,
    ``issues`` (count of
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
    lang: str = "en"

    @classmethod
    def of(cls, scorer: Scorer, *, outcomes: bool = True, reasons: int = 0,
           problems: bool = True, lang: str = "en") -> ResultLayout:
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
            outcomes=outcomes, reasons=reasons, problems=problems, lang=lang)

    def _kinds(self) -> list[tuple[str, str]]:
        """(column, kind) pairs; kinds: text, enum (one of known labels, see
        :meth:`_labels`), float, bool, count."""
        cols = [("group_id", "text"), ("stage", "enum"), ("stage_upper", "enum"),
                ("class", "enum"), ("class_upper", "enum"), ("score", "float"),
                ("score_upper", "float"), ("max_score", "float"), ("exit_ready", "bool"),
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

    def _texts(self, batch: BatchResult, counts: npt.NDArray[np.int64]
               ) -> dict[str, npt.NDArray[np.object_]]:
        """The text columns; fills ``counts`` with each record's unusable values."""
        texts: dict[str, npt.NDArray[np.object_]] = {
            "group_id": (batch.group_ids if batch.group_ids is not None
                         else np.full(len(batch), None, dtype=object))}
        found = np.full(len(batch), None, dtype=object)
        for at, issues in batch.issues_by_record().items():
            if at < 0:  # not about one record
                continue
            counts[at] = len(issues)
            if self.problems:
                # The row is left out: the table's row says which record it is,
                # and a partition's row numbers would mislead.
                found[at] = json.dumps(
                    [{k: v for k, v in p.to_dict(self.lang).items() if k != "row"}
                     for p in issues], ensure_ascii=False, default=str)
        if self.problems:
            texts["problems"] = found
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

        counts = np.zeros(len(batch), np.int64)
        codes, texts = self._codes(batch), self._texts(batch, counts)
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
                arrays.append(pa.array(counts, pa.int64()))
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

        counts = np.zeros(len(batch), np.int64)
        codes, texts = self._codes(batch), self._texts(batch, counts)
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
                cols[name] = counts
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
