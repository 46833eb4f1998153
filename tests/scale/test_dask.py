"""kematangan.dask: partitions scored on Dask give the same rows as score_batch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import kematangan.dask
from kematangan import InputError, Scorer
from tests.scale.records import Rows, rows_of

# Dask's Parquet reader (2026.8) still passes inplace= to pandas 3.1.
pytestmark = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index is deprecated"
    ":pandas.errors.Pandas4Warning")


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A LocalCluster of two single-threaded worker processes."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def _compiled() -> int:
    from kematangan.stream import scorers

    return scorers.compiled


def test_parquet_folder_on_threads_equals_score_batch(
        scorer: Scorer, folder: Path, expected: Rows) -> None:
    ddf = dd.read_parquet(folder)
    result = kematangan.dask.score(ddf, scorer, keep=["row_id"])
    with dask.config.set(scheduler="threads"):
        assert rows_of(result.compute()) == expected


def test_local_cluster_of_two_workers_equals_score_batch(
        client: Client, scorer: Scorer, folder: Path, expected: Rows) -> None:
    ddf = dd.read_parquet(folder, split_row_groups=True)
    assert ddf.npartitions > 4
    result = kematangan.dask.score(ddf, scorer, keep=["row_id"], client=client)
    assert rows_of(client.compute(result).result()) == expected


def test_each_worker_compiles_the_ruleset_once(client: Client) -> None:
    scorer = Scorer("pemk-kub")
    before = client.run(_compiled)
    ddf = dd.from_pandas(pd.DataFrame({"members": range(400)}), npartitions=8)
    for shipped_by in (client, None):
        result = kematangan.dask.score(ddf, scorer, client=shipped_by)
        assert len(client.compute(result).result()) == 400
    after = client.run(_compiled)
    assert all(after[w] - before[w] <= 1 for w in after)
    assert sum(after.values()) - sum(before.values()) >= 1


def test_meta_matches_the_computed_partitions(scorer: Scorer, folder: Path) -> None:
    result = kematangan.dask.score(dd.read_parquet(folder), scorer, reasons=2,
                                   keep=["row_id", "quarter"])
    computed = result.partitions[0].compute(scheduler="sync")
    assert dict(result.dtypes) == dict(computed.dtypes)
    assert result.dtypes["stage"].ordered


def test_results_keep_the_input_index() -> None:
    frame = pd.DataFrame({"members": [3, 9, 12, 40]}, index=[10, 20, 30, 40])
    ddf = dd.from_pandas(frame, npartitions=2)
    result = kematangan.dask.score(ddf, "ppmk-ksm")
    assert result.divisions == ddf.divisions
    assert result.compute(scheduler="sync").index.tolist() == [10, 20, 30, 40]


def test_only_the_needed_columns_are_scored() -> None:
    frame = pd.DataFrame({"members": [3, 9], "notes": ["a", "b"], "id": [1, 2]})
    result = kematangan.dask.score(dd.from_pandas(frame, npartitions=1),
                                   "ppmk-ksm", keep=["id"], outcomes=False)
    assert list(result.columns[:2]) == ["id", "group_id"]
    assert "notes" not in result.columns


@pytest.mark.parametrize(("columns", "keep", "match"), [
    (["members"], ["row_id"], "no column 'row_id' to keep"),
    (["members", "stage"], ["stage"], "clash"),
    (["anggota"], [], "none of ruleset"),
])
def test_unusable_frames_are_refused(columns: list[str], keep: list[str],
                                     match: str) -> None:
    ddf = dd.from_pandas(pd.DataFrame({c: [1] for c in columns}), npartitions=1)
    with pytest.raises(InputError, match=match):
        kematangan.dask.score(ddf, "ppmk-ksm", keep=keep)


def test_computing_twice_gives_the_same_result(scorer: Scorer, folder: Path) -> None:
    result: Any = kematangan.dask.score(dd.read_parquet(folder), scorer,
                                        keep=["row_id"])
    first = result.compute(scheduler="sync")
    assert first.equals(result.compute(scheduler="threads"))
