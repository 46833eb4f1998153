"""A folder of Parquet files (or a glob of them) is read as one table, chunk by
chunk: rows numbered across the files, partition folders as columns, an id on two
files found, and the command line scores it like one file."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from kematangan.cli import app
from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError
from kematangan.io import iter_tables, read_table
from kematangan.io.counting import count_rows


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    root = tmp_path / "lake"
    for q, ids in ((1, ["A", "B", "C"]), (2, ["D", "A"])):
        part = root / f"quarter={q}"
        part.mkdir(parents=True)
        pq.write_table(pa.table({"group_id": ids, "members": [10 + i for i in
                                                              range(len(ids))]}),
                       part / "part-0.parquet")
    (root / "_SUCCESS").write_text("")  # a marker file, not data
    return root


def test_a_folder_is_one_table_numbered_across_its_files(lake: Path,
                                                         ruleset: Ruleset) -> None:
    t = read_table(lake, ruleset)
    assert t.group_ids is not None
    assert t.group_ids.tolist() == ["A", "B", "C", "D", "A"]
    assert t.row_numbers.tolist() == [1, 2, 3, 4, 5]
    assert t.columns["members"].tolist() == [10, 11, 12, 10, 11]
    assert "quarter" in t.passthrough  # the partition folder, carried through
    (dup,) = [p for p in t.issues if p.code == "duplicate_group_id"]
    assert (dup.row, dup.params["first_row"]) == (5, 1)


def test_a_glob_reads_the_files_it_matches(lake: Path, ruleset: Ruleset) -> None:
    t = read_table(lake / "quarter=2" / "*.parquet", ruleset)
    assert t.group_ids is not None and t.group_ids.tolist() == ["D", "A"]


def test_small_chunks_give_the_same_table(lake: Path, ruleset: Ruleset) -> None:
    chunks = list(iter_tables(lake, ruleset, chunk_rows=2))
    assert all(len(c) <= 2 for c in chunks)
    assert [r for c in chunks for r in c.row_numbers.tolist()] == [1, 2, 3, 4, 5]


def test_a_folder_without_parquet_files_is_one_clear_error(tmp_path: Path,
                                                           ruleset: Ruleset) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(InputError, match="no Parquet files in folder"):
        read_table(tmp_path, ruleset)


def test_rows_of_a_folder_are_counted_from_the_footers(lake: Path) -> None:
    assert count_rows(lake) == 5


def test_the_command_line_scores_a_folder(lake: Path, tmp_path: Path) -> None:
    out = tmp_path / "scored.csv"
    result = CliRunner().invoke(app, ["score", str(lake), "-r", "ppmk-ksm", "-o",
                                      str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "5 rows scored as groups" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 6


def test_a_folder_is_held_to_the_limits_from_its_footers(lake: Path,
                                                        ruleset: Ruleset) -> None:
    from kematangan.io import Limits

    with pytest.raises(InputError, match="max_rows"):
        read_table(lake, ruleset, limits=Limits(max_rows=4))
    with pytest.raises(InputError, match="max_unzipped_bytes"):
        read_table(lake, ruleset, limits=Limits(max_unzipped_bytes=10))
