"""Score a PySpark DataFrame on Arrow batches (needs ``pip install
'kematangan[spark]'`` and a Java runtime).

:func:`score` selects the ruleset's columns, broadcasts the ruleset once, and maps
each partition's Arrow record batches to result batches with ``mapInArrow``
(``mapInPandas`` where the Spark version has no ``mapInArrow``), under an explicit
result schema. Each Python worker compiles the ruleset once
(:data:`kematangan.stream.scorers`); Spark reuses its Python workers between tasks
by default (``spark.python.worker.reuse``).

Spark gives rows no order of their own: keep a row id (``keep=["row_id"]``) to join
results back to their input.

Examples
--------
>>> import kematangan.spark
>>> [f.name for f in kematangan.spark.result_schema("ppmk-ksm", outcomes=False)][:4]
['group_id', 'stage', 'stage_upper', 'class']
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from typing import Any, Literal

from kematangan.criteria import Ruleset
from kematangan.scoring import Scorer
from kematangan.stream import ResultLayout, as_scorer, prepare, score_chunk, scorers

__all__ = ["result_schema", "score"]

Via = Literal["auto", "arrow", "pandas"]


def _types() -> Any:
    try:
        from pyspark.sql import types
    except ImportError:
        raise ImportError("kematangan.spark needs PySpark: pip install "
                          "'kematangan[spark]'") from None
    return types


def _spark_fields(layout: ResultLayout) -> list[Any]:
    """The result columns as Spark fields, following the layout's Arrow types."""
    import pyarrow as pa

    t = _types()
    by_arrow = {pa.string(): t.StringType(), pa.float64(): t.DoubleType(),
                pa.bool_(): t.BooleanType(), pa.int64(): t.LongType()}
    return [t.StructField(f.name, by_arrow[f.type.value_type if pa.types.is_dictionary(
        f.type) else f.type], nullable=True) for f in layout.arrow_schema()]


def result_schema(
    ruleset: Scorer | Ruleset | str | os.PathLike[str],
    *,
    outcomes: bool = True,
    reasons: int = 0,
    problems: bool = True,
) -> Any:
    """The Spark ``StructType`` of :func:`score`'s result columns (without the kept
    columns, which come first with their input types)."""
    layout = ResultLayout.of(as_scorer(ruleset), outcomes=outcomes, reasons=reasons,
                             problems=problems)
    return _types().StructType(_spark_fields(layout))


def score(
    df: Any,
    ruleset: Scorer | Ruleset | str | os.PathLike[str],
    *,
    keep: Sequence[str] = (),
    outcomes: bool = True,
    reasons: int = 0,
    problems: bool = True,
    lang: str = "en",
    via: Via = "auto",
) -> Any:
    """Score every row of a Spark DataFrame; return the results as a Spark DataFrame.

    The result has one row per input row: the ``keep`` columns (with their input
    types), then the columns of :class:`kematangan.stream.ResultLayout` (texts as
    strings, ``exit_ready`` a nullable boolean, ``issues`` a long), including the
    ruleset's id, version and content hash. Outcome columns are named
    ``outcome.<criterion>``: quote them in Spark SQL, ``F.col("`outcome.repay`")``.

    Parameters
    ----------
    df
        A ``pyspark.sql.DataFrame`` whose columns are named by field id; only the
        ruleset's fields, its group id and ``keep`` are read.
    ruleset
        A :class:`~kematangan.Scorer`, a :class:`~kematangan.Ruleset`, a path or a
        bundled ruleset id.
    keep
        Input columns to carry into the results, such as a row id to join on.
    outcomes, reasons, problems
        The optional result columns: one outcome column per criterion, the top
        ``reasons`` reasons, the unusable values as JSON.
    lang
        The language of the problems' texts: ``"en"`` or ``"id"``.
    via
        ``"arrow"`` (``mapInArrow``), ``"pandas"`` (``mapInPandas``) or ``"auto"``:
        Arrow where the DataFrame has ``mapInArrow`` (Spark 3.3 and later).

    Raises
    ------
    InputError
        As :func:`kematangan.stream.prepare` says.
    """
    t = _types()
    scorer, layout, keep, needed = prepare(
        ruleset, list(df.columns), keep, outcomes=outcomes, reasons=reasons,
        problems=problems, lang=lang)
    if via not in ("auto", "arrow", "pandas"):
        raise ValueError(f"via must be 'auto', 'arrow' or 'pandas', not {via!r}")
    schema = t.StructType([df.schema[c] for c in keep] + _spark_fields(layout))
    shipped = df.sparkSession.sparkContext.broadcast(scorer.ruleset)
    # mapIn* refers to its input columns by plain name, which Spark reads as a
    # path when it has a dot: pass kept columns under names without one.
    inner = {c: f"_kematangan_keep_{i}" for i, c in enumerate(keep)}
    selected = df.select(*(df["`" + c.replace("`", "``") + "`"].alias(inner.get(c, c))
                           for c in needed))
    pairs = tuple((inner[c], c) for c in keep)
    if via == "pandas" or (via == "auto" and not hasattr(selected, "mapInArrow")):
        return selected.mapInPandas(
            functools.partial(_score_pandas, shipped, layout, pairs), schema)
    return selected.mapInArrow(
        functools.partial(_score_arrow, shipped, layout, pairs), schema)


def _score_arrow(shipped: Any, layout: ResultLayout, keep: tuple[tuple[str, str], ...],
                 batches: Iterator[Any]) -> Iterator[Any]:
    """Result batches for a partition's Arrow batches (runs in a Python worker);
    ``keep`` pairs each kept column's name in the batch with its name out."""
    scorer = scorers.get(shipped.value, layout.ruleset.hash)
    for batch in batches:
        result = score_chunk(scorer, batch)
        kept = {out: batch.column(inner) for inner, out in keep}
        yield _plain(layout.to_arrow(result, kept))


def _plain(batch: Any) -> Any:
    """``batch`` with dictionary columns decoded: Spark takes plain strings."""
    import pyarrow as pa

    return batch.cast(pa.schema([
        pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f
        for f in batch.schema]))


def _score_pandas(shipped: Any, layout: ResultLayout,
                  keep: tuple[tuple[str, str], ...], frames: Iterator[Any]
                  ) -> Iterator[Any]:
    """Result frames for a partition's pandas frames (runs in a Python worker)."""
    import pyarrow as pa

    scorer = scorers.get(shipped.value, layout.ruleset.hash)
    for frame in frames:
        result = score_chunk(scorer, frame)
        kept = {out: pa.Array.from_pandas(frame[inner]) for inner, out in keep}
        yield _plain(layout.to_arrow(result, kept)).to_pandas()
