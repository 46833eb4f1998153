"""Checks of a ruleset's validity dates and ``history`` section: each fault is one
problem with its code and place, in the same pass as the rest."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kematangan import load_ruleset, validate_ruleset
from kematangan.catalogue import render

MSG = {"id": "Sudah {months} bulan di tahap {stage}", "en": "{months} months"}
GROWTH = {"group_id": "A", "members": 5}


def _text(**update: Any) -> str:
    data = load_ruleset("ppmk-ksm").model_dump(mode="json", by_alias=True,
                                                exclude_none=True)
    data["history"] = {"stagnation": [{"stage": "growth", "more_than_months": 12,
                                       "message": MSG}]}
    for key, value in update.items():
        if key.startswith("history_"):
            data["history"][key.removeprefix("history_")] = value
        else:
            data[key] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _case(periods: list[dict[str, Any]], **expect: Any) -> list[dict[str, Any]]:
    return [{"name": "c", "periods": periods, "expect": expect}]


CASES = [
    (dict(valid_from="2020-01-01", valid_until="2019-12-31"), "validity_order",
     "valid_until"),
    (dict(history_exit={"periods": 4, "months": 12, "message": "x"}),
     "history_exit_measure", "history.exit"),
    (dict(history_exit={"message": "x"}), "history_exit_measure", "history.exit"),
    (dict(history_stagnation=[{"stage": "growht", "more_than_months": 3,
                               "message": "x"}]), "unknown_stage_close",
     "history.stagnation[0].stage"),
    (dict(history_stagnation=[{"stage": "growth", "more_than_months": 3,
                               "message": "x"}] * 2),
     "history_stagnation_duplicate", "history.stagnation[1].stage"),
    (dict(history_stagnation=[{"stage": "growth", "more_than_months": 3,
                               "message": "{bulan} bulan"}]),
     "history_message_placeholder", "history.stagnation[0].message.id"),
    (dict(history_stagnation=[{"stage": "growth", "more_than_months": 3,
                               "message": {"id": "ok", "en": "{months"}}]),
     "history_message_format", "history.stagnation[0].message.en"),
    (dict(history_formation_field="formed_yaer"), "unknown_field_close",
     "history.formation_field"),
    (dict(history_formation_field="members_voluntary"), "history_formation_type",
     "history.formation_field"),
    (dict(history_tests=_case([{"period": "2024Q5", "record": GROWTH}])),
     "history_period_invalid", "history.tests[0].periods[0].period"),
    (dict(history_tests=_case([{"period": "2024", "record": GROWTH}])),
     "history_period_coarser", "history.tests[0].periods[0].period"),
    (dict(history_tests=_case([{"period": "2024Q1", "record": GROWTH},
                               {"period": "2024-02", "changes": {}}])),
     "history_period_duplicate", "history.tests[0].periods[1].period"),
    (dict(history_tests=_case([{"period": "2024Q1", "changes": {}}])),
     "history_period_record", "history.tests[0].periods[0]"),
    (dict(history_tests=_case([{"period": "2024Q1", "record": {"memebrs": 5}}])),
     "unknown_field_close", "history.tests[0].periods[0].record.memebrs"),
    (dict(history_tests=_case([{"period": "2024Q1", "record": GROWTH}],
                              regressions=[{"period": "2024Q2"}])),
     "history_period_not_in_case", "history.tests[0].expect.regressions[0].period"),
    (dict(history_tests=_case([{"period": "2024Q1", "record": GROWTH}],
                              first_at={"growth": "soon"})),
     "history_period_invalid", "history.tests[0].expect.first_at.growth"),
]


@pytest.mark.parametrize(("update", "code", "path"), CASES,
                         ids=[c[1] + ":" + c[2] for c in CASES])
def test_history_fault_is_one_problem_at_its_place(update: dict[str, Any], code: str,
                                                   path: str) -> None:
    ruleset, problems = validate_ruleset(_text(**update), "r.yaml")
    assert ruleset is None
    assert [(p.code, p.path) for p in problems] == [(code, path)]
    assert all(p.line for p in problems)


def test_history_exit_needs_the_rulesets_exit_rule() -> None:
    text = _text(history_exit={"periods": 4, "message": "x"}).replace(
        "\nexit:", "\nexit_removed:")
    data = yaml.safe_load(text)
    data.pop("exit_removed")
    _, problems = validate_ruleset(yaml.safe_dump(data), "r.yaml")
    assert ("history_exit_needs_exit", "history.exit") in [(p.code, p.path)
                                                           for p in problems]


def test_history_problems_come_with_structural_ones_in_one_pass() -> None:
    text = _text(history_stagnation=[{"stage": "growht", "more_than_months": 3,
                                      "message": "x"}], title=5)
    _, problems = validate_ruleset(text, "r.yaml")
    assert {p.code for p in problems} >= {"bad_text", "unknown_stage_close"}


def test_a_year_written_as_a_number_is_a_period() -> None:
    text = _text(history_cadence="year", history_tests=_case(
        [{"period": 2023, "record": GROWTH}, {"period": 2024, "changes": {}}]))
    ruleset, problems = validate_ruleset(text, "r.yaml")
    assert problems == [] and ruleset is not None


@pytest.mark.parametrize("code", sorted({c[1] for c in CASES} | {
    "history_exit_needs_exit"}))
def test_every_history_code_reads_in_both_languages(code: str) -> None:
    params = {"since": "a", "until": "b", "stage": "s", "field": "f", "type": "t",
              "name": "n", "allowed": ["a"], "reason": "r", "period": "p",
              "forms": "f", "cadence": "c", "periods": ["p"], "suggestion": "s"}
    for lang in ("id", "en"):
        problem, _ = render(code, params, lang)
        assert problem and "{" not in problem
