"""The model's features: what a ruleset computes about each group, as numbers.

In this order (:func:`feature_names`, :func:`build_features`):

* for each field and derived value, in plan order: a number as it is (a boolean
  as 1/0, a date as days since 1970-01-01), or for a category one 0/1 column per
  category (``field=category``); then ``<id>.missing`` (1 when the value is
  missing or unusable). A missing number stays NaN here; the model fills it with
  its *training median* (0 when the training data never had it) before scaling;
* for each criterion: ``outcome.<id>`` (1 met, 0 not met or unknown) and
  ``outcome.<id>.unknown`` (1 when unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.errors import RulesetError
from kematangan.scoring.batch import BatchResult
from kematangan.scoring.plan import Plan
from kematangan.scoring.scorer import Scorer

__all__ = ["build_features", "feature_names", "scored_batch"]

F64 = npt.NDArray[np.float64]


def feature_names(plan: Plan) -> list[str]:
    """The names of the model's features for a compiled ruleset, in column order.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> names = feature_names(Scorer("ppmk-ksm").plan)
    >>> names[:4]
    ['formed_participatory', 'formed_participatory.missing', 'members', 'members.missing']
    >>> names[-2:]
    ['outcome.no_arrears', 'outcome.no_arrears.unknown']
    """
    columns = [np.empty(0) for _ in plan.value_ids]
    outcomes = np.empty((len(plan.criteria), 0), dtype=np.int8)
    return _features(plan, columns, outcomes)[1]


def build_features(batch: BatchResult) -> F64:
    """The feature matrix ``[record, feature]`` of a scored batch.

    Numbers keep NaN where missing (the model fills them); every other column is 0/1.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> batch = Scorer("ppmk-ksm").score_batch([{"members": 12}, {"members": None}])
    >>> X = build_features(batch)
    >>> X[:, 2:4].tolist()
    [[12.0, 0.0], [nan, 1.0]]
    """
    return _features(batch.plan, batch.raw.columns, batch.raw.outcomes)[0]


def scored_batch(scorer: Scorer, records: Any) -> BatchResult:
    """``records`` scored by ``scorer``, or a :class:`BatchResult` of the same ruleset.

    Raises
    ------
    RulesetError
        When ``records`` is a batch scored with another ruleset.

    Examples
    --------
    >>> scorer = Scorer("ppmk-ksm")
    >>> batch = scored_batch(scorer, [{"members": 12}])
    >>> scored_batch(scorer, batch) is batch
    True
    """
    if isinstance(records, BatchResult):
        if records.plan.content_hash != scorer.plan.content_hash:
            raise RulesetError(
                f"the batch was scored with ruleset {records.plan.ruleset_id!r} "
                f"{records.plan.version}, not the model's {scorer.plan.ruleset_id!r} "
                f"{scorer.plan.version}; score the records with the model's ruleset")
        return records
    return scorer.score_batch(records)


def _features(plan: Plan, columns: Sequence[F64], outcomes: npt.NDArray[np.int8]
              ) -> tuple[F64, list[str]]:
    cats = {f.id: f.categories for f in plan.fields if f.type == "category"}
    for d in plan.derived:
        if d.type.startswith("category:"):
            cats[d.id] = cats[d.type.removeprefix("category:")]
    names: list[str] = []
    cols: list[F64] = []
    for vid, v in zip(plan.value_ids, columns, strict=True):
        missing = ~np.isfinite(v)
        if vid in cats:
            for k, cat in enumerate(cats[vid]):
                names.append(f"{vid}={cat}")
                cols.append((v == k).astype(np.float64))
        else:
            names.append(vid)
            cols.append(np.where(missing, np.nan, v))
        names.append(f"{vid}.missing")
        cols.append(missing.astype(np.float64))
    for step in plan.criteria:
        o = outcomes[step.index]
        names += [f"outcome.{step.id}", f"outcome.{step.id}.unknown"]
        cols += [(o == 1).astype(np.float64), (o == -1).astype(np.float64)]
    n = outcomes.shape[1]
    X = np.column_stack(cols) if cols else np.empty((n, 0))
    return X.astype(np.float64, copy=False), names
