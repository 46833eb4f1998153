"""Embedded history tests: every bundled ruleset's pass, and a wrong expectation
is reported with what was found."""

from __future__ import annotations

from typing import Any

import pytest

from kematangan import list_rulesets, load_ruleset
from kematangan.criteria.history import HistoryCase
from kematangan.trajectory import history_records, run_history_cases


@pytest.mark.parametrize("name", [r.id for r in list_rulesets()])
def test_bundled_history_cases_pass(name: str) -> None:
    assert [str(f) for f in run_history_cases(name)] == []


def _with_case(case: dict[str, Any]) -> Any:
    rs = load_ruleset("ppmk-ksm")
    assert rs.history is not None
    return rs.model_copy(update={"history": rs.history.model_copy(update={
        "tests": [HistoryCase.model_validate(case)]})})


def test_a_wrong_expectation_fails_with_what_the_history_gave() -> None:
    record = {"formed_participatory": True, "members": 5, "members_voluntary": True,
              "meetings_last_3_months": 3,
              **{f"basic_rule_{i}": True for i in range(1, 6)}}
    rs = _with_case({"name": "wrong", "periods": [
        {"period": "2024Q1", "record": record}, {"period": "2024Q3", "changes": {}}],
        "expect": {"stage": "strengthening", "gaps": ["2024Q3"],
                   "regressions": [{"period": "2024Q3"}]}})
    (failure,) = run_history_cases(rs)
    assert failure.case == "wrong"
    assert failure.mismatches == [
        "stage: expected 'strengthening', got 'growth'",
        "regressions: expected at ['2024Q3'], got at []",
        "gaps: expected ['2024Q3'], got ['2024Q2']"]


def test_changes_apply_to_the_record_before_and_null_removes_a_value() -> None:
    case = HistoryCase.model_validate({"name": "c", "periods": [
        {"period": "2024Q1", "record": {"members": 5, "partnerships": 1}},
        {"period": "2024Q2", "changes": {"members": 6, "partnerships": None}}],
        "expect": {}})
    first, second = history_records(case, load_ruleset("ppmk-ksm"))
    assert (first["members"], second["members"], second["partnerships"]) == (5, 6,
                                                                             None)
    assert first["group_id"] == "c" and second["period"] == "2024Q2"
