"""kematangan.spark: partitions scored on Spark (local[2]) give the same rows as
score_batch. Spark needs a Java runtime; without one these tests skip and say so."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import kematangan.spark
from kematangan import InputError, Scorer
from tests.scale.records import (
    Rows,
    expected_rows,
    kinds_ruleset,
    random_table,
    rows_of,
    write_folder,
)

# PySpark 4.3 warns on every pandas-based call that it does not fully support
# pandas 3; the results are checked here instead.
pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning")


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and Path(home, "bin", "java").is_file():
        return str(Path(home, "bin", "java"))
    return shutil.which("java")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """A local[2] session whose Python workers run this interpreter."""
    if _java() is None:
        pytest.skip("Spark needs a Java runtime and none is installed (no java on "
                    "PATH or in JAVA_HOME): apt-get install default-jre-headless")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]").appName("kematangan-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        # small Arrow batches, so that a partition arrives as several batches
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "400")
        .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _collect(df: Any) -> pa.Table:
    table: pa.Table = df.toArrow()
    return table


def test_parquet_folder_on_local_spark_equals_score_batch(
        spark: Any, scorer: Scorer, folder: Path, expected: Rows) -> None:
    df = spark.read.parquet(str(folder))
    result = kematangan.spark.score(df, scorer, keep=["row_id"], via="arrow")
    assert rows_of(_collect(result)) == expected


def test_the_pandas_path_equals_score_batch(spark: Any, tmp_path: Path) -> None:
    scorer = Scorer(kinds_ruleset())
    table = random_table(scorer.ruleset, 1_500, seed=9)
    folder = write_folder(table, tmp_path)
    df = spark.read.parquet(str(folder))
    result = kematangan.spark.score(df, scorer, keep=["row_id"], via="pandas")
    assert rows_of(_collect(result)) == expected_rows(scorer, table)


def test_result_schema_is_explicit(spark: Any, scorer: Scorer, folder: Path) -> None:
    from pyspark.sql import types as t

    df = spark.read.parquet(str(folder))
    result = kematangan.spark.score(df, scorer, keep=["row_id", "quarter"], reasons=1)
    fields = {f.name: f.dataType for f in result.schema.fields}
    assert fields["row_id"] == t.LongType()
    assert fields["quarter"] == df.schema["quarter"].dataType
    assert (fields["stage"], fields["score"], fields["exit_ready"],
            fields["issues"]) == (t.StringType(), t.DoubleType(), t.BooleanType(),
                                  t.LongType())
    assert list(result.schema) == [df.schema["row_id"], df.schema["quarter"],
                                   *kematangan.spark.result_schema(scorer, reasons=1)]


def test_outcome_columns_are_quoted_in_sql(spark: Any) -> None:
    from pyspark.sql import functions as F

    df = spark.createDataFrame([(1, 3), (2, 9)], "id long, members long")
    result = kematangan.spark.score(df, "ppmk-ksm", keep=["id"])
    got = result.where(F.col("`outcome.enough_members`") == "met").select("id")
    assert [r.id for r in got.collect()] == [2]


def test_dotted_input_columns_are_kept_literally(spark: Any) -> None:
    df = spark.createDataFrame([(7, 3)], "`kode.ksm` long, members long")
    result = kematangan.spark.score(df, "ppmk-ksm", keep=["kode.ksm"], outcomes=False)
    assert _collect(result).column("kode.ksm").to_pylist() == [7]


def test_an_empty_frame_gives_an_empty_result(spark: Any) -> None:
    df = spark.createDataFrame([], "id long, members long")
    assert kematangan.spark.score(df, "ppmk-ksm", keep=["id"]).count() == 0


@pytest.mark.parametrize(("schema", "keep", "match"), [
    ("members long", ["id"], "no column 'id' to keep"),
    ("members long, stage string", ["stage"], "clash"),
    ("anggota long", [], "none of ruleset"),
])
def test_unusable_frames_are_refused(spark: Any, schema: str, keep: list[str],
                                     match: str) -> None:
    df = spark.createDataFrame([], schema)
    with pytest.raises(InputError, match=match):
        kematangan.spark.score(df, "ppmk-ksm", keep=keep)
