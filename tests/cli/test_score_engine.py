"""``kematangan score --engine dask``: Parquet scored on a Dask cluster, and the
options and inputs it refuses with one message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kematangan import load_ruleset
from kematangan.cli import app
from tests.scale.records import random_table

runner = CliRunner()
RULESET = "ppmk-ksm"


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 random ppmk-ksm records in three Parquet files of one folder."""
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("lake") / "assessments"
    folder.mkdir()
    table = random_table(load_ruleset(RULESET), 3_000, seed=5)
    for k in range(3):
        pq.write_table(table.slice(k * 1_000, 1_000), folder / f"part-{k}.parquet")
    return folder


def _default_path(lake: Path, tmp_path: Path) -> Any:
    """The same records scored by the default engine, file after file."""
    import pandas as pd

    frames = []
    for k in range(3):
        out = tmp_path / f"default-{k}.parquet"
        result = runner.invoke(app, ["score", str(lake / f"part-{k}.parquet"), "-r",
                                     RULESET, "-o", str(out), "--lang", "en"])
        assert result.exit_code == 0, result.output
        frames.append(pd.read_parquet(out))
    return pd.concat(frames, ignore_index=True)


def _plain(values: Any) -> list[Any]:
    return [None if v is None or v != v else v for v in values.astype(object)]


def test_dask_on_two_workers_gives_the_default_engines_results_in_order(
        lake: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="needs kematangan[dask]")
    import pandas as pd

    out = tmp_path / "scored"
    run = subprocess.run(
        [sys.executable, "-m", "kematangan", "score", str(lake), "-r", RULESET,
         "--engine", "dask", "--workers", "2", "--keep", "row_id", "-o", str(out),
         "--lang", "en"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # no tracebacks, warnings or log lines
    assert "3,000 rows in 3 Parquet file(s)" in run.stdout
    assert "3000 groups scored with ppmk-ksm" in run.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    dask_rows = pd.read_parquet(out)
    default = _default_path(lake, tmp_path)
    assert len(dask_rows) == 3_000
    assert dask_rows["row_id"].astype(str).tolist() == default["row_id"].tolist()
    for ours, theirs in (("stage", "Stage"), ("class", "Class"), ("score", "Score"),
                         ("score_upper", "Score once data is complete")):
        assert _plain(dask_rows[ours]) == _plain(default[theirs]), ours
    stage_of = {s.label.get("en"): s.id for s in load_ruleset(RULESET).stages}
    upper = [stage_of.get(label) for label in default["Stage once data is complete"]]
    assert _plain(dask_rows["stage_upper"]) == upper
    ready = (default["Ready for exit"] == "yes").sum()
    assert f"exit-ready: {ready}" in run.stdout


def _fails(args: list[str]) -> Any:
    return runner.invoke(app, ["score", *args, "-r", RULESET])


def test_dask_refuses_input_that_is_not_parquet(tmp_path: Path) -> None:
    csv = tmp_path / "ksm.csv"
    csv.write_text("Kode KSM;Jumlah anggota\nA;12\n", encoding="utf-8")
    result = _fails([str(csv), "--engine", "dask"])
    assert result.exit_code == 2
    assert "ksm.csv is not Parquet" in result.output
    assert "leave out --engine dask" in result.output


def test_dask_says_a_missing_input_does_not_exist(tmp_path: Path) -> None:
    result = _fails([str(tmp_path / "nowhere"), "--engine", "dask"])
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_dask_writes_a_folder_not_a_spreadsheet(lake: Path, tmp_path: Path) -> None:
    result = _fails([str(lake), "--engine", "dask", "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert "folder of Parquet files" in result.output
    assert "give --output a folder name" in result.output


def test_workers_must_be_at_least_one(lake: Path) -> None:
    result = _fails([str(lake), "--engine", "dask", "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers must be 1 or more" in result.output


def test_workers_without_the_dask_engine_is_refused(lake: Path) -> None:
    result = _fails([str(lake / "part-0.parquet"), "--workers", "2"])
    assert result.exit_code == 2
    assert "--workers is for --engine dask" in result.output


def test_an_unknown_engine_lists_the_engines(lake: Path) -> None:
    result = _fails([str(lake), "--engine", "spark"])
    assert result.exit_code == 2
    assert "unknown engine 'spark'" in result.output
    assert "stream" in result.output and "dask" in result.output


def test_dask_refuses_options_it_cannot_honour(lake: Path) -> None:
    result = _fails([str(lake), "--engine", "dask", "--sheet", "Data",
                     "--assessed-on", "2024-06-30"])
    assert result.exit_code == 2
    assert "does not take --sheet, --assessed-on" in result.output


def test_dask_needs_columns_named_by_field(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "headers.parquet"
    pq.write_table(pa.table({"Jumlah anggota": [3, 9]}), path)
    result = _fails([str(path), "--engine", "dask", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "error:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_dask_refuses_a_folder_with_old_results(lake: Path, tmp_path: Path) -> None:
    old = tmp_path / "scored"
    old.mkdir()
    (old / "part-00000.parquet").write_bytes(b"old")
    result = _fails([str(lake), "--engine", "dask", "-o", str(old)])
    assert result.exit_code == 2
    assert "not empty" in result.output
