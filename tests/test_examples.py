"""The example sheets: each workbook matches the CSV it is built from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kematangan import Scorer, list_rulesets
from kematangan.io import read_table

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize("name", [r.id for r in list_rulesets()])
def test_example_workbook_scores_like_its_csv(name: str) -> None:
    scorer = Scorer(name)
    results = []
    for suffix in (".csv", ".xlsx"):
        table = read_table(EXAMPLES / f"{name}{suffix}", scorer.ruleset)
        results.append(scorer.score_batch(table.columns, group_ids=table.group_ids))
    csv_batch, xlsx_batch = results
    assert 20 <= len(csv_batch) <= 50
    assert xlsx_batch.group_ids is not None and csv_batch.group_ids is not None
    assert xlsx_batch.group_ids.tolist() == csv_batch.group_ids.tolist()
    assert xlsx_batch.stage.tolist() == csv_batch.stage.tolist()
    assert xlsx_batch.class_.tolist() == csv_batch.class_.tolist()
    np.testing.assert_array_equal(xlsx_batch.score, csv_batch.score)
