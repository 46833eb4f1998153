"""The example sheets: each workbook matches the CSV it is built from, and the data in
them is internally consistent (no arrears without a loan, no more savers than
members, ...)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
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


Check = Callable[[dict[str, npt.NDArray[np.float64]]], npt.NDArray[np.bool_]]
"""Rows (as a boolean mask) where a sheet's data contradicts itself; a blank cell
(NaN) never counts as a contradiction."""


def _at_most(a: str, b: str) -> tuple[str, Check]:
    return f"{a} <= {b}", lambda c: c[a] > c[b]


def _only_with(a: str, b: str) -> tuple[str, Check]:
    """``a`` is positive (or true) only when ``b`` is true."""
    return f"{a} only with {b}", lambda c: (c[a] > 0) & (c[b] == 0)


def _both_or_neither(a: str, b: str) -> tuple[str, Check]:
    return f"{a} > 0 exactly when {b} > 0", lambda c: (
        ((c[a] > 0) & (c[b] == 0)) | ((c[a] == 0) & (c[b] > 0)))


CONSISTENCY: dict[str, list[tuple[str, Check]]] = {
    "ppmk-ksm": [_at_most("members_saving", "members"),
                 _only_with("arrears_instalments", "revolving_fund_access"),
                 _only_with("cadres_chosen_by_musyawarah", "local_cadres")],
    "ksm-unggulan": [_at_most("members_saving", "members"),
                     _at_most("members_with_business", "members"),
                     _at_most("members_business_running", "members_with_business"),
                     _at_most("members_business_grown", "members_business_running")],
    "pemk-kub": [_at_most("members_saving", "members"),
                 _at_most("members_poor", "members"),
                 _only_with("arrears_instalments", "led_capital_access"),
                 _only_with("loan_used_as_planned", "led_capital_access"),
                 _only_with("led_capital_access", "village_has_led")],
    "upk-pinjaman-bergulir": [
        _at_most("ksm_arrears_3plus", "ksm_borrowing"),
        _at_most("ksm_in_recovery", "ksm_arrears_3plus"),
        _at_most("loans_outstanding_arrears_3plus", "loans_outstanding"),
        _at_most("arrears_amount_3plus", "loans_outstanding_arrears_3plus"),
        _both_or_neither("ksm_borrowing", "loans_outstanding"),
        _both_or_neither("ksm_arrears_3plus", "loans_outstanding_arrears_3plus")],
}


@pytest.mark.parametrize("name", sorted(CONSISTENCY))
def test_example_sheet_is_internally_consistent(name: str) -> None:
    ruleset = Scorer(name).ruleset
    table = read_table(EXAMPLES / f"{name}.csv", ruleset)
    assert table.group_ids is not None
    cols = {f.id: np.asarray(table.columns[f.id], dtype=np.float64)
            for f in ruleset.fields if f.type != "category" and f.id in table.columns}
    broken = {what: [str(table.group_ids[i]) for i in np.flatnonzero(bad(cols))]
              for what, bad in CONSISTENCY[name]}
    assert {k: v for k, v in broken.items() if v} == {}


def test_consistency_check_catches_an_inconsistent_row() -> None:
    _, bad = _only_with("arrears_instalments", "revolving_fund_access")
    cols = {"arrears_instalments": np.array([0.0, 4.0, 2.0, np.nan]),
            "revolving_fund_access": np.array([0.0, 0.0, 1.0, 0.0])}
    assert bad(cols).tolist() == [False, True, False, False]


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
