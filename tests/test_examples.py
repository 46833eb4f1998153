"""The example sheets: each workbook matches the CSV it is built from, the data in
them passes its ruleset's consistency checks (no arrears without a loan, no more
savers than members, ...), and the sheet of planted inconsistencies is caught row
by row."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path
from typing import Any

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


@pytest.mark.parametrize("name", [r.id for r in list_rulesets()])
def test_example_sheet_passes_its_consistency_checks(name: str) -> None:
    scorer = Scorer(name)
    table = read_table(EXAMPLES / f"{name}.csv", scorer.ruleset)
    batch = scorer.score_batch(table.columns, group_ids=table.group_ids)
    assert [p for p in batch.issues if p.code == "check_failed"] == []


def test_roll_up_member_sheet_passes_its_members_ruleset_checks() -> None:
    scorer = Scorer("ppmk-ksm")
    table = read_table(EXAMPLES / "bkm-lkm.members.csv", scorer.ruleset)
    batch = scorer.score_batch(table.columns, group_ids=table.group_ids)
    assert [p for p in batch.issues if p.code == "check_failed"] == []


PLANTED = {
    "KSM-101": [],  # the consistent row the others are copies of
    "KSM-102": ["arrears_need_a_loan"],
    "KSM-103": ["savers_within_members"],
    "KSM-104": ["visits_match_last_visit"],
    "KSM-105": ["plan_review_not_after_assessment"],
    "KSM-106": ["plan_review_date_matches_months"],
    "KSM-107": ["above_maximum"],  # a column total typed into one group's row
    "KSM-108": ["cadre_answers_need_cadres"],
}


def planted() -> tuple[Scorer, dict[str, list[str]]]:
    scorer = Scorer("ppmk-ksm")
    table = read_table(EXAMPLES / "ppmk-ksm-checks.csv", scorer.ruleset)
    assert table.group_ids is not None
    batch = scorer.score_batch(table.columns, group_ids=table.group_ids,
                               assessed_on=dt.date(2024, 9, 30))
    found: dict[str, list[str]] = {str(g): [] for g in table.group_ids}
    for p in batch.issues:
        assert p.row is not None
        found[str(table.group_ids[p.row - 1])].append(
            p.params["check"] if p.code == "check_failed" else p.code)
    return scorer, found


def test_every_planted_inconsistency_is_caught_on_its_own_row() -> None:
    assert planted()[1] == PLANTED


def test_workbook_of_planted_inconsistencies_matches_its_csv() -> None:
    scorer = Scorer("ppmk-ksm")
    batches = []
    for suffix in (".csv", ".xlsx"):
        table = read_table(EXAMPLES / f"ppmk-ksm-checks{suffix}", scorer.ruleset)
        batches.append(scorer.score_batch(table.columns, group_ids=table.group_ids,
                                          assessed_on=dt.date(2024, 9, 30)))
    assert batches[0].stage.tolist() == batches[1].stage.tolist()
    assert [p.params for p in batches[0].issues] == [
        p.params for p in batches[1].issues]


def _trend_builder() -> Any:
    sys.path.insert(0, str(EXAMPLES))
    try:
        return importlib.import_module("build_trend_examples")
    finally:
        sys.path.remove(str(EXAMPLES))


def test_trend_example_is_what_its_script_writes(tmp_path: Path) -> None:
    builder = _trend_builder()
    written = builder.write(builder.histories(), tmp_path)
    assert written.read_bytes() == (EXAMPLES / "ppmk-ksm-riwayat.csv").read_bytes()


def test_trend_example_has_what_the_trend_page_shows() -> None:
    from kematangan.trendfile import read_histories

    t, _ = read_histories([EXAMPLES / "ppmk-ksm-riwayat.csv"], "ppmk-ksm")
    s = t.summary()
    assert len(s["periods"]) >= 8 and s["groups"] >= 40
    assert s["regressions"] > 0 and s["stagnating"] > 0 and s["groups_with_gaps"] > 0
    assert s["exit_ready"] > 0 and s["rows_not_placed"] == 0


def test_trend_example_workbook_reads_like_its_csv() -> None:
    from kematangan.trendfile import read_histories

    a, b = (read_histories([EXAMPLES / f"ppmk-ksm-riwayat.{x}"], "ppmk-ksm")[0]
            for x in ("csv", "xlsx"))
    assert a.summary() == b.summary()
    assert a.regressions() == b.regressions()
