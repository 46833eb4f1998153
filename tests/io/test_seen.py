"""Repeated group ids are found across chunks the same way whether the ids are kept
as texts or as fingerprints in sorted runs."""

from __future__ import annotations

import tracemalloc

from hypothesis import given
from hypothesis import strategies as st

from kematangan.io.seen import SeenIds

CHUNKS = st.lists(st.lists(st.sampled_from([f"KSM-{i}" for i in range(12)]),
                           max_size=9), max_size=8)


def _reference(chunks: list[list[str]]) -> list[int | None]:
    seen: dict[str, int] = {}
    out: list[int | None] = []
    row = 1
    for chunk in chunks:
        for gid in chunk:
            first = seen.setdefault(gid, row)
            out.append(None if first == row else first)
            row += 1
    return out


@given(CHUNKS, st.sampled_from([0, 1, 3, 10_000]))
def test_the_first_row_of_every_id_is_found_in_either_form(
        chunks: list[list[str]], exact: int) -> None:
    seen = SeenIds(exact=exact)
    got: list[int | None] = []
    row = 1
    for chunk in chunks:
        rows = list(range(row, row + len(chunk)))
        got += seen.first_rows(chunk, rows)
        row += len(chunk)
    assert got == _reference(chunks)


def test_a_million_distinct_ids_as_fingerprints_take_little_memory() -> None:
    seen = SeenIds(exact=0)
    tracemalloc.start()
    for start in range(0, 1_000_000, 50_000):
        ids = [f"KSM-{i:07d}" for i in range(start, start + 50_000)]
        assert set(seen.first_rows(ids, range(start + 2, start + 50_002))) == {None}
        del ids
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # 16 bytes an id kept, and a merge's copy: far below a dict's ~150 bytes an id
    assert peak < 60 * 1_000_000
    assert seen.first_rows(["KSM-0000007"], [2_000_000]) == [9]
