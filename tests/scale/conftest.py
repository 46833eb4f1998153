"""Shared data for the scale-out tests: per ruleset, one seeded random table, the
same table as a hive-style Parquet folder, and the rows ``score_batch`` gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kematangan import Scorer
from tests.scale.records import (
    Rows,
    expected_rows,
    kinds_ruleset,
    random_table,
    write_folder,
)

ROWS = 3_000


@pytest.fixture(scope="session", params=["scale-kinds", "ppmk-ksm"])
def scorer(request: pytest.FixtureRequest) -> Scorer:
    """Every field type (a test ruleset) and a bundled ruleset."""
    name = request.param
    return Scorer(kinds_ruleset() if name == "scale-kinds" else name)


@pytest.fixture(scope="session")
def table(scorer: Scorer) -> Any:
    """Random records for ``scorer``'s ruleset as a pyarrow Table."""
    return random_table(scorer.ruleset, ROWS, seed=len(scorer.ruleset.fields))


@pytest.fixture(scope="session")
def folder(table: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``table`` as Parquet files under ``quarter=1`` and ``quarter=2``."""
    return write_folder(table, tmp_path_factory.mktemp("lake"))


@pytest.fixture(scope="session")
def expected(scorer: Scorer, table: Any) -> Rows:
    """``score_batch`` on the whole table, keyed by row id."""
    return expected_rows(scorer, table)
