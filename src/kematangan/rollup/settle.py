"""Settle a parent's open aggregates where the open part cannot change its result.

When members' missing data leaves an aggregate open (4 to 5 of 7 KSM reached
strengthening), the parent's criteria may still not depend on it: "at least half of
the KSM" holds either way. :func:`settle` scores every combination of the values
the parent's open counts and shares could take. An open field that changes no
criterion's outcome or points whatever the other open fields are (the combinations
that differ only in it all score alike) is given its lowest value, since any would
give the same result; the others stay missing, so what depends on them is unknown.
Nothing is guessed: the true combination is one of those scored, and no bookkeeping
of which criterion reads which field is trusted (an ``applies_when``, a derived
value or a consistency check can carry a field's effect anywhere).

A parent whose combinations exceed :data:`COMBINATION_LIMIT`, or whose open
aggregate is a sum (its values are not few), keeps every open field missing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.scoring import Scorer

__all__ = ["COMBINATION_LIMIT", "settle"]

COMBINATION_LIMIT = 256
"""The most value combinations scored for one parent."""

Candidates = Mapping[int, Mapping[str, npt.NDArray[np.float64] | None]]
"""Per parent position: each open field's possible values (``None``: too many)."""


def settle(scorer: Scorer, columns: dict[str, npt.NDArray[Any]],
           candidates: Candidates) -> list[tuple[int, str]]:
    """Fill in ``columns`` (missing where open) the open fields that cannot change
    a parent's result; return the (parent, field) cells filled.

    Examples
    --------
    >>> import numpy as np
    >>> from kematangan import Scorer
    >>> scorer = Scorer("bkm-lkm")
    >>> cols = {"ksm_growth_share": np.array([np.nan, np.nan])}
    >>> settle(scorer, cols, {0: {"ksm_growth_share": np.array([6, 7]) / 7},
    ...                       1: {"ksm_growth_share": np.array([3, 4]) / 7}})
    [(0, 'ksm_growth_share')]
    >>> cols["ksm_growth_share"].round(3).tolist()
    [0.857, nan]
    """
    blocks: list[tuple[int, list[str], int, int]] = []
    combos: list[npt.NDArray[np.float64]] = []
    rows = 0
    for p, open_ in candidates.items():
        opts = [o for o in open_.values() if o is not None]
        if not opts or len(opts) < len(open_) or math.prod(
                len(o) for o in opts) > COMBINATION_LIMIT:
            continue
        grid = np.array(list(itertools.product(*opts)), dtype=np.float64)
        blocks.append((p, list(open_), rows, rows + len(grid)))
        combos.append(grid)
        rows += len(grid)
    if not blocks:
        return []
    index = np.concatenate([np.full(b - a, p) for p, _, a, b in blocks])
    trial = {k: col[index] for k, col in columns.items()}
    for (_, fields, a, b), grid in zip(blocks, combos, strict=True):
        for j, f in enumerate(fields):
            trial[f][a:b] = grid[:, j]
    raw = scorer.score_batch(trial).raw
    settled = []
    for p, fields, a, b in blocks:
        # The combinations come in itertools.product order: one axis per field.
        sizes = [len(candidates[p][f]) for f in fields]  # type: ignore[arg-type]
        result = np.vstack([raw.outcomes[:, a:b], raw.points[:, a:b]]).reshape(
            -1, *sizes)
        for j, f in enumerate(fields):
            lowest = candidates[p][f]
            alike = result == result.take([0], axis=j + 1)
            if lowest is not None and bool(alike.all()):
                columns[f][p] = lowest[0]
                settled.append((p, f))
    return settled
