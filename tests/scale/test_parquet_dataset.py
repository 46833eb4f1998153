"""kematangan.io.parquet_dataset: one file, a folder of partitions or a glob, read in
bounded batches."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kematangan import InputError
from kematangan.io.parquet_dataset import open_parquet


def _read(source: object, **kwargs: object) -> pa.Table:
    return pa.Table.from_batches(list(open_parquet(source, **kwargs)))  # type: ignore[arg-type]


def test_folder_reads_every_row_once_in_file_order(folder: Path,
                                                  table: pa.Table) -> None:
    got = _read(folder, batch_rows=250)
    assert got.column("row_id").to_pylist() == table.column("row_id").to_pylist()


def test_hive_folders_become_columns(folder: Path, table: pa.Table) -> None:
    quarters = _read(folder, columns=["quarter"]).column("quarter").to_pylist()
    half = table.num_rows // 2
    assert quarters == [1] * half + [2] * (table.num_rows - half)


def test_batches_hold_at_most_batch_rows(folder: Path) -> None:
    sizes = [b.num_rows for b in open_parquet(folder, batch_rows=128)]
    assert max(sizes) == 128
    assert all(s > 0 for s in sizes)


def test_a_glob_reads_the_matching_files(folder: Path, table: pa.Table) -> None:
    got = _read(f"{folder}/quarter=2/*.parquet", columns=["row_id"])
    half = table.num_rows // 2
    assert got.column("row_id").to_pylist() == table.column(
        "row_id").to_pylist()[half:]


def test_a_single_file_and_a_list_of_files_read_alike(folder: Path) -> None:
    files = sorted(folder.rglob("*.parquet"))
    one = _read(files[0], columns=["row_id"])
    listed = _read([str(f) for f in files[:2]], columns=["row_id"])
    assert listed.slice(0, one.num_rows).equals(one)
    assert listed.num_rows == one.num_rows + pq.read_metadata(files[1]).num_rows


def test_num_rows_comes_from_the_footers(folder: Path, table: pa.Table) -> None:
    assert open_parquet(folder).num_rows == table.num_rows


def test_schema_lists_the_chosen_columns(folder: Path) -> None:
    assert open_parquet(folder, columns=["members", "row_id"]).schema.names == [
        "members", "row_id"]


def test_bookkeeping_files_are_skipped(tmp_path: Path) -> None:
    pq.write_table(pa.table({"members": [1, 2]}), tmp_path / "part-0.parquet")
    (tmp_path / "_SUCCESS").write_text("")
    (tmp_path / ".part-0.parquet.crc").write_bytes(b"crc")
    assert _read(tmp_path).num_rows == 2


@pytest.mark.parametrize(("make", "match"), [
    (lambda p: p / "absent", "does not exist"),
    (lambda p: p, "no Parquet files in folder"),
    (lambda p: p / "*.parquet", "no file matches"),
    (lambda p: [str(p / "absent.parquet")], "is not a file"),
])
def test_sources_without_files_are_refused(tmp_path: Path, make: object,
                                           match: str) -> None:
    with pytest.raises(InputError, match=match):
        open_parquet(make(tmp_path))  # type: ignore[operator]


def test_an_unknown_column_is_named(folder: Path) -> None:
    with pytest.raises(InputError, match="no column 'anggota'"):
        open_parquet(folder, columns=["anggota"])


def test_a_damaged_file_ends_in_an_input_error_naming_it(tmp_path: Path) -> None:
    pq.write_table(pa.table({"members": [1, 2]}), tmp_path / "a.parquet")
    (tmp_path / "b.parquet").write_bytes(b"PAR1" + b"\x00" * 64 + b"PAR1")
    with pytest.raises(InputError, match=r"b\.parquet") as err:
        list(open_parquet(tmp_path))
    assert err.value.fix


def test_files_whose_types_disagree_end_in_an_input_error(tmp_path: Path) -> None:
    pq.write_table(pa.table({"members": [1, 2]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"members": ["banyak"]}), tmp_path / "b.parquet")
    with pytest.raises(InputError, match="cannot read"):
        list(open_parquet(tmp_path))


def test_batch_rows_must_be_positive(folder: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        open_parquet(folder, batch_rows=0)


def test_files_are_read_only_as_batches_are_taken(tmp_path: Path) -> None:
    # Regression: the dataset scanner read ahead without bound (1.3 GB ahead of a
    # scorer over 10M rows); a file is now opened only when its batches are asked.
    for name in ("a", "b"):
        pq.write_table(pa.table({"members": [1, 2]}), tmp_path / f"{name}.parquet")
    batches = iter(open_parquet(tmp_path))
    next(batches)
    (tmp_path / "b.parquet").write_bytes(b"PAR1" + b"\x00" * 64 + b"PAR1")
    with pytest.raises(InputError, match=r"b\.parquet"):
        list(batches)
