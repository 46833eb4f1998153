"""The group ids a file has shown so far, in memory that stays small however many.

A reader that streams a file chunk by chunk must still say when a group id is on
a second row, and name the first. Keeping every id (a Python ``dict`` of text to row)
costs about 150 bytes per id: 1.5 GB for ten million distinct ids, past what
streaming promises (memory bounded by the chunk, not the file). :class:`SeenIds`
keeps a 64-bit fingerprint and the first row of each id instead, 16 bytes per id,
in a few sorted numpy arrays that are merged as they grow (each id is compared with
O(log n) work, and each array merged O(log n) times).

A fingerprint is Python's 64-bit ``hash`` of the id's text, which is stable within a
process, so two different ids share one with a chance of about n² / 2⁶⁵: one in
three hundred thousand for ten million distinct ids. The first
:data:`EXACT_IDS` ids are also kept as texts, so every file up to that size is
judged exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["EXACT_IDS", "SeenIds"]

EXACT_IDS = 100_000
"""Ids kept as texts (exact, about 15 MB at most) before fingerprints alone."""

I64 = npt.NDArray[np.int64]


class SeenIds:
    """Which ids came before, and on which row each came first.

    Examples
    --------
    >>> seen = SeenIds()
    >>> seen.first_rows(["A", "B", "A"], [2, 3, 4])
    [None, None, 2]
    >>> seen.first_rows(["B", "C"], [5, 6])
    [3, None]
    """

    def __init__(self, exact: int = EXACT_IDS) -> None:
        self._exact: dict[str, int] | None = {}
        self._limit = exact
        self._runs: list[tuple[I64, I64]] = []  # (sorted fingerprints, first rows)

    def first_rows(self, ids: Sequence[str], rows: Sequence[int]) -> list[int | None]:
        """For each id (in order, on its row), the row it was first seen on, or
        ``None`` when this is its first row; every id is then counted as seen."""
        if self._exact is not None and len(self._exact) + len(ids) <= self._limit:
            seen = self._exact
            return [None if (first := seen.setdefault(i, r)) == r else first
                    for i, r in zip(ids, rows, strict=True)]
        if self._exact is not None:  # from now on, fingerprints only
            self._add_run(self._fingerprints(list(self._exact)),
                          np.fromiter(self._exact.values(), np.int64,
                                      len(self._exact)))
            self._exact = None
        return self._by_fingerprint(ids, rows)

    @staticmethod
    def _fingerprints(ids: Sequence[str]) -> I64:
        return np.fromiter(map(hash, ids), np.int64, len(ids))

    def _by_fingerprint(self, ids: Sequence[str], rows: Sequence[int]
                        ) -> list[int | None]:
        keys = self._fingerprints(ids)
        at = np.asarray(rows, dtype=np.int64)
        first = np.full(len(keys), -1, dtype=np.int64)
        for run, run_rows in self._runs:
            i = np.minimum(np.searchsorted(run, keys), len(run) - 1)
            hit = (run[i] == keys) & (first < 0)
            first[hit] = run_rows[i[hit]]
        # Within the chunk: the first row of each new fingerprint.
        new = first < 0
        uniq, where = np.unique(keys[new], return_index=True)
        new_rows = at[new][where]
        lookup = np.searchsorted(uniq, keys[new])
        earlier = new_rows[lookup]
        chunk_first = np.where(earlier == at[new], -1, earlier)
        first[new] = chunk_first
        self._add_run(uniq, new_rows)
        return [None if f < 0 else f for f in first.tolist()]

    def _add_run(self, keys: I64, rows: I64) -> None:
        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], rows[order]))
        # Merge while the newest run is at least as long as the one before it, so
        # there are O(log n) runs and each fingerprint is merged O(log n) times.
        while len(self._runs) > 1 and len(self._runs[-1][0]) >= len(self._runs[-2][0]):
            (k2, r2), (k1, r1) = self._runs.pop(), self._runs.pop()
            keys_, rows_ = np.concatenate([k1, k2]), np.concatenate([r1, r2])
            order = np.argsort(keys_, kind="stable")
            self._runs.append((keys_[order], rows_[order]))
