"""kematangan.stream: batches in, the same results as one score_batch out."""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kematangan import InputError, Scorer, stream
from kematangan.io.parquet_dataset import open_parquet
from tests.scale.records import (
    Rows,
    expected_rows,
    kinds_ruleset,
    random_table,
    rows_of,
)


def _streamed(batches: Any, scorer: Scorer, **kwargs: Any) -> pa.Table:
    return pa.Table.from_batches(
        [s.to_arrow() for s in stream.score(batches, scorer, **kwargs)])


def test_parquet_folder_streamed_equals_score_batch(
        scorer: Scorer, folder: Path, expected: Rows) -> None:
    batches = open_parquet(folder, batch_rows=400)
    got = rows_of(_streamed(batches, scorer, row_id="row_id"))
    assert got == expected


def test_pandas_chunks_equal_score_batch(scorer: Scorer, table: pa.Table,
                                         expected: Rows) -> None:
    chunks = (table.slice(i, 700).to_pandas() for i in range(0, table.num_rows, 700))
    got = rows_of(_streamed(chunks, scorer, row_id="row_id"))
    assert got == expected


def test_dicts_of_arrays_equal_score_batch(scorer: Scorer, table: pa.Table,
                                           expected: Rows) -> None:
    def chunks() -> Iterator[dict[str, Any]]:
        for batch in table.to_batches(max_chunksize=1000):
            yield {name: batch.column(name).to_numpy(zero_copy_only=False)
                   for name in batch.schema.names}

    got = rows_of(_streamed(chunks(), scorer, row_id="row_id"))
    assert got == expected


@functools.cache
def _small() -> tuple[Scorer, pa.Table, Rows]:
    scorer = Scorer(kinds_ruleset())
    table = random_table(scorer.ruleset, 600, seed=5)
    return scorer, table, expected_rows(scorer, table)


@given(st.lists(st.integers(0, 600), max_size=6))
def test_where_the_stream_is_cut_changes_nothing(cuts: list[int]) -> None:
    scorer, table, expected = _small()
    bounds = [0, *sorted(cuts), 600]
    chunks = [table.slice(a, b - a) for a, b in itertools.pairwise(bounds)]
    assert rows_of(_streamed(chunks, scorer, row_id="row_id")) == expected


def test_pandas_results_hold_the_same_values_as_arrow_results(
        scorer: Scorer, table: pa.Table) -> None:
    scored = next(stream.score([table], scorer, row_id="row_id", reasons=2))
    assert rows_of(scored.to_pandas()) == rows_of(pa.Table.from_batches(
        [scored.to_arrow()]))


def test_pandas_results_have_the_layouts_dtypes(scorer: Scorer,
                                                table: pa.Table) -> None:
    scored = next(stream.score([table.slice(0, 50)], scorer))
    frame = scored.to_pandas()
    assert dict(frame.dtypes.iloc[1:]) == scored.layout.pandas_dtypes()
    assert frame["stage"].cat.ordered


def test_arrow_results_have_the_layouts_schema(scorer: Scorer,
                                               table: pa.Table) -> None:
    scored = next(stream.score([table.slice(0, 50)], scorer, reasons=3))
    result = scored.to_arrow()
    assert result.schema == scored.layout.arrow_schema([pa.field("row_id", pa.int64())])


def test_rows_are_numbered_across_batches_without_a_row_id() -> None:
    chunks = [{"members": [3, 9]}, {"members": []}, {"members": [12, 1, 4]}]
    scored = list(stream.score(chunks, "ppmk-ksm"))
    assert [s.start for s in scored] == [0, 2, 2]
    assert [s.row_ids.tolist() for s in scored] == [[0, 1], [], [2, 3, 4]]
    assert scored[2].to_pandas()["row_id"].tolist() == [2, 3, 4]


def test_row_ids_come_from_the_named_column() -> None:
    chunk = pa.table({"kode": ["a", "b"], "members": [3, 9]})
    scored = next(stream.score([chunk], "ppmk-ksm", row_id="kode"))
    assert scored.row_ids.tolist() == ["a", "b"]
    assert scored.to_arrow().column_names[0] == "kode"


def test_each_result_carries_the_ruleset_stamp() -> None:
    scorer = Scorer("ppmk-ksm")
    scored = next(stream.score([{"members": [3]}], scorer))
    assert (scored.ruleset.id, scored.ruleset.version, scored.ruleset.hash) == (
        "ppmk-ksm", scorer.ruleset.version, scorer.ruleset.content_hash)
    row = scored.to_arrow().to_pylist()[0]
    assert (row["ruleset_id"], row["ruleset_hash"]) == ("ppmk-ksm",
                                                        scorer.ruleset.content_hash)


def test_kept_columns_come_after_the_row_id() -> None:
    chunk = pd.DataFrame({"district": ["Kampar", "Siak"], "members": [3, 9]})
    frame = next(stream.score([chunk], "ppmk-ksm", keep=["district"])).to_pandas()
    assert list(frame.columns[:3]) == ["row_id", "district", "group_id"]
    assert frame["district"].tolist() == ["Kampar", "Siak"]


def test_batches_are_read_one_at_a_time() -> None:
    pulled: list[int] = []

    def chunks() -> Iterator[dict[str, list[int]]]:
        for i in range(3):
            pulled.append(i)
            yield {"members": [i]}

    results = stream.score(chunks(), "ppmk-ksm")
    assert pulled == []
    next(results)
    assert pulled == [0]


def test_fields_the_batch_lacks_are_listed() -> None:
    scored = next(stream.score([{"members": [9]}], "ppmk-ksm"))
    assert "members" not in scored.missing
    assert "formed_participatory" in scored.missing


def test_problems_name_the_field_value_and_fix() -> None:
    scored = next(stream.score([{"members": [9, -3]}], "ppmk-ksm"))
    problems = scored.to_arrow().column("problems").to_pylist()
    assert problems[0] is None
    (problem,) = json.loads(problems[1])
    assert (problem["field"], problem["value"]) == ("members", -3)
    assert problem["fix"]


def test_missing_group_ids_stay_missing_from_pandas() -> None:
    chunk = pd.DataFrame({"group_id": ["KSM-1", None], "members": [3, 9]})
    scored = next(stream.score([chunk], "ppmk-ksm"))
    assert scored.to_arrow().column("group_id").to_pylist() == ["KSM-1", None]


@pytest.mark.parametrize("chunk", [
    pd.DataFrame({"group_id": [12, None], "members": [3, 9]}),  # float64 with NaN
    pa.table({"group_id": pa.array([12, None], pa.int64()), "members": [3, 9]}),
])
def test_whole_number_group_ids_with_gaps_read_as_whole_numbers(chunk: Any) -> None:
    scored = next(stream.score([chunk], "ppmk-ksm"))
    assert scored.result.group_ids is not None
    assert scored.result.group_ids.tolist() == ["12", None]


def test_nullable_pandas_dtypes_read_like_plain_ones() -> None:
    plain = pd.DataFrame({"members": [3.0, np.nan, 700.0],
                          "formed_participatory": [True, None, False],
                          "group_id": ["a", None, "c"]})
    nullable = plain.astype({"members": "Int64", "formed_participatory": "boolean",
                             "group_id": "string"})
    got = [rows_of(next(stream.score([f], "ppmk-ksm")).to_pandas())
           for f in (plain, nullable)]
    assert got[0] == got[1]


@pytest.mark.parametrize(("batch", "kwargs", "match"), [
    ([1, 2], {}, "cannot score a batch of type list"),
    ({"members": [1, 2], "x": [1]}, {}, "different lengths"),
    ({"anggota": [1]}, {}, "none of ruleset 'ppmk-ksm'"),
    ({"members": [1]}, {"row_id": "kode"}, "no column 'kode'"),
    ({"members": [1]}, {"keep": ["district"]}, "no column 'district'"),
])
def test_unusable_batches_are_refused_with_a_fix(batch: Any, kwargs: dict[str, Any],
                                                 match: str) -> None:
    with pytest.raises(InputError, match=match) as err:
        list(stream.score([batch], "ppmk-ksm", **kwargs))
    assert err.value.fix


@pytest.mark.parametrize("keep", [["stage"], ["row_id"], ["a", "a"]])
def test_kept_columns_may_not_clash(keep: list[str]) -> None:
    with pytest.raises(InputError, match="clash"):
        stream.score([], "ppmk-ksm", keep=keep)


def test_a_ruleset_is_compiled_once_per_cache() -> None:
    cache = stream.ScorerCache(size=1)
    first, second = kinds_ruleset(), Scorer("ppmk-ksm").ruleset
    a = cache.get(first)
    assert cache.get(first) is a
    cache.get(second)
    assert cache.get(first) is not a
    assert cache.compiled == 3
