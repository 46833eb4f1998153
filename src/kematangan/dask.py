"""Score a Dask DataFrame: one scoring task per partition, results as a Dask
DataFrame (needs ``pip install 'kematangan[dask]'``).

The ruleset goes into the task graph once, as a single key that every partition's
task depends on, so each worker receives it once; each worker process compiles it
once (:data:`kematangan.stream.scorers`) and scores every partition it is given with
that compiled scorer. Given a ``distributed.Client``, the ruleset is instead
broadcast to all of its workers before anything runs.

Which scheduler runs it: :func:`score` only builds the lazy result. Computing it
(``.compute()``, ``.to_parquet()``) uses the scheduler in force: the
``distributed.Client`` made last if there is one (``Client()`` with no address starts
a ``LocalCluster`` of worker processes), else Dask's local threaded scheduler.
kematangan never starts a cluster by itself.

Examples
--------
>>> import dask.dataframe as dd, pandas as pd
>>> import kematangan.dask
>>> ddf = dd.from_pandas(pd.DataFrame({"members": [3, 9, 12, 40]}), npartitions=2)
>>> result = kematangan.dask.score(ddf, "ppmk-ksm", outcomes=False)
>>> stages = result.dtypes["stage_upper"]
>>> stages.ordered, list(stages.categories)
(True, ['growth', 'strengthening', 'independence', 'release'])
>>> result.compute()["issues"].tolist()
[0, 0, 0, 0]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from kematangan.criteria import Ruleset
from kematangan.scoring import Scorer
from kematangan.stream import ResultLayout, prepare, score_chunk, scorers

__all__ = ["score"]


def _imports() -> Any:
    try:
        import dask
        import dask.dataframe  # the DataFrame collection: dask[dataframe]
    except ImportError:
        raise ImportError("kematangan.dask needs Dask: pip install "
                          "'kematangan[dask]'") from None
    return dask


def score(
    ddf: Any,
    ruleset: Scorer | Ruleset | str | os.PathLike[str],
    *,
    keep: Sequence[str] = (),
    outcomes: bool = True,
    reasons: int = 0,
    problems: bool = True,
    lang: str = "en",
    client: Any = None,
) -> Any:
    """Score every row of a Dask DataFrame; return the results as a Dask DataFrame.

    The result has one row per input row, with the input's index and divisions (so
    it lines up with ``ddf``), the ``keep`` columns first, then the columns of
    :class:`kematangan.stream.ResultLayout` with explicit dtypes (ordered
    categoricals for stages and classes, ``boolean``, ``string``), including the
    ruleset's id, version and content hash.

    Parameters
    ----------
    ddf
        A ``dask.dataframe.DataFrame`` whose columns are named by field id; only the
        ruleset's fields, its group id and ``keep`` are read (with Parquet input,
        only those columns are loaded).
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
    client
        A ``distributed.Client``: the ruleset is broadcast to its workers now and the
        result must be computed on that client. Without one the ruleset travels in
        the graph and any scheduler can compute the result.

    Raises
    ------
    InputError
        As :func:`kematangan.stream.prepare` says.
    """
    dask = _imports()
    import pandas as pd

    scorer, layout, keep, needed = prepare(
        ruleset, list(ddf.columns), keep, outcomes=outcomes, reasons=reasons,
        problems=problems, lang=lang)
    rs = scorer.ruleset
    index = pd.Index([], dtype=ddf.index.dtype, name=ddf.index.name)
    meta = layout.pandas_meta({c: ddf.dtypes[c] for c in keep}, index=index)
    if client is not None:
        shipped = client.scatter(rs, broadcast=True, hash=False)
    else:
        shipped = dask.delayed(rs, name=f"kematangan-ruleset-{layout.ruleset.hash}")
    return ddf[needed].map_partitions(_score_partition, shipped, layout, keep,
                                      meta=meta)


def _score_partition(part: Any, ruleset: Ruleset, layout: ResultLayout,
                     keep: tuple[str, ...]) -> Any:
    """One partition's results (runs on a worker)."""
    scorer = scorers.get(ruleset, layout.ruleset.hash)
    result = score_chunk(scorer, part)
    return layout.to_pandas(result, {c: part[c] for c in keep}, index=part.index)
