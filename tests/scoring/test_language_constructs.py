"""applies_when, consistency checks, date functions and unconfirmed bounds, as a
user of the scorer sees them."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pytest

from kematangan import RulesetError, Scorer, parse_ruleset, run_cases
from kematangan.scoring.result import Outcome

BASE = """\
id: lang
version: 1.0.0
title: Lang
description: Constructs
sources: [{title: test}]
fields:
  - {id: borrows, type: boolean, label: Meminjam}
  - {id: arrears, type: integer, label: Tunggakan, min: 0, max: 120}
  - {id: members, type: integer, label: Anggota, min: 0, max: 500}
  - {id: saving, type: integer, label: Menabung, min: 0, max: 500}
  - {id: indicator, type: number, label: Indikator, min: 0, max: 50,
     unconfirmed: [max]}
  - {id: formed_on, type: date, label: Dibentuk}
  - {id: assessed_on, type: date, label: Dinilai, role: assessment_date}
checks:
  - id: arrears_need_a_loan
    require: borrows or arrears == 0
    fields: [arrears]
    message: {id: Ada tunggakan tanpa pinjaman, en: Arrears without a loan}
    fix: {id: Periksa tunggakan, en: Check the arrears}
  - id: savers_are_members
    require: saving <= members
    message: {id: Penabung melebihi anggota, en: More savers than members}
    fix: {id: Periksa kedua angka, en: Check both numbers}
criteria:
  - {id: enough, label: Cukup, stage: one, gate: true, points: 40,
     threshold: {field: members, op: ">=", value: 5}}
  - {id: repays, label: Lancar, stage: one, gate: true, points: 40,
     applies_when: borrows, threshold: {field: arrears, op: "<", value: 3}}
  - {id: old_enough, label: Umur, points: 10,
     expr: 'years_between(formed_on, assessed_on) >= 2'}
  - {id: scored, label: Skor, score: {field: indicator}}
stages:
  - {id: one, label: Satu}
classes:
  - {id: low, label: Rendah, interval: "[0, 50)"}
  - {id: high, label: Tinggi, interval: "[50, 140]", requires: [repays]}
"""


@cache
def scorer(engine: str = "numpy") -> Scorer:
    return Scorer(parse_ruleset(BASE), engine=engine)  # type: ignore[arg-type]


ENGINES = ["numpy", "record", "durable"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_criterion_that_does_not_apply_is_neither_met_nor_blocking(engine: str
                                                                    ) -> None:
    a = scorer(engine).score({"borrows": False, "members": 8, "arrears": 0})
    assert a.outcomes["repays"].outcome == Outcome.NOT_APPLICABLE
    assert a.outcomes["repays"].points == 0.0
    assert a.stage == "one"
    assert "repays" not in a.blocking


@pytest.mark.parametrize("engine", ENGINES)
def test_points_that_do_not_apply_leave_the_maximum(engine: str) -> None:
    a = scorer(engine).score({"borrows": False, "members": 8, "indicator": 50,
                              "formed_on": dt.date(2020, 1, 1),
                              "assessed_on": dt.date(2024, 1, 1)})
    assert a.max_score == 100.0  # 140 less the 40 of 'repays'
    assert a.score == 100.0
    # 100 of 100 is the whole share: scaled to 140, the top class, whose
    # requirement does not apply.
    assert a.class_ == "high"


@pytest.mark.parametrize("engine", ENGINES)
def test_unknown_applicability_is_unknown(engine: str) -> None:
    a = scorer(engine).score({"members": 8, "arrears": 0})
    assert a.outcomes["repays"].outcome == Outcome.UNKNOWN
    assert a.stage is None and a.stage_upper == "one"
    assert a.max_score == 140.0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_failed_check_blanks_its_fields_and_says_why(engine: str) -> None:
    a = scorer(engine).score({"borrows": False, "arrears": 4, "members": 8})
    (p,) = a.issues
    assert p.code == "check_failed"
    assert p.problem("id") == "Ada tunggakan tanpa pinjaman"
    assert p.fix("en") == "Check the arrears"
    assert a.inputs["arrears"] is None and a.inputs["borrows"] is False
    assert a.outcomes["repays"].outcome == Outcome.NOT_APPLICABLE


def test_a_check_that_cannot_be_judged_is_no_failure() -> None:
    assert scorer().score({"arrears": 4, "members": 8}).issues == []


def test_a_check_blanks_every_field_it_reads_by_default() -> None:
    a = scorer().score({"members": 8, "saving": 9})
    assert [p.params["fields"] for p in a.issues] == [["members", "saving"]]
    assert a.inputs["members"] is None and a.inputs["saving"] is None
    assert a.outcomes["enough"].outcome == Outcome.UNKNOWN


def test_batch_checks_blank_only_the_failing_records_and_keep_the_input() -> None:
    members = np.array([8.0, 8.0, 3.0])
    batch = scorer().score_batch({"members": members, "saving": [9, 2, None]})
    assert [(p.row, p.code) for p in batch.issues] == [(1, "check_failed")]
    assert batch.value("members") == [None, 8, 3]
    assert members.tolist() == [8.0, 8.0, 3.0]


def test_batch_and_single_scoring_agree_on_checks_and_applicability() -> None:
    rows = [{"borrows": False, "arrears": 4, "members": 8},
            {"borrows": True, "arrears": 1, "members": 9, "saving": 10},
            {"members": 2}]
    batch = scorer().score_batch(rows)
    for i, row in enumerate(rows):
        single = scorer().score(row).model_dump()
        together = batch.assessment(i).model_dump()
        for p in single["issues"]:
            p.pop("row", None)
        for p in together["issues"]:
            p.pop("row", None)
        assert together == single


def test_assessment_date_comes_from_the_option_when_the_record_has_none() -> None:
    record = {"formed_on": dt.date(2022, 3, 1)}
    assert scorer().score(record).outcomes["old_enough"].outcome == "unknown"
    day_before = scorer().score(record, assessed_on=dt.date(2024, 2, 29))
    birthday = scorer().score(record, assessed_on=dt.date(2024, 3, 1))
    assert day_before.outcomes["old_enough"].outcome == "not_met"
    assert birthday.outcomes["old_enough"].outcome == "met"
    own = scorer().score({**record, "assessed_on": dt.date(2020, 1, 1)},
                         assessed_on=dt.date(2030, 1, 1))
    assert own.outcomes["old_enough"].outcome == "not_met"  # the record's own date


def test_batch_assessment_date_option_fills_only_blanks() -> None:
    batch = scorer().score_batch(
        {"formed_on": [dt.date(2022, 3, 1)] * 2,
         "assessed_on": [None, dt.date(2022, 4, 1)]},
        assessed_on=dt.date(2024, 3, 1))
    assert batch.outcome("old_enough").tolist() == ["met", "not_met"]


def test_a_value_above_an_unconfirmed_maximum_is_used_with_a_note() -> None:
    a = scorer().score({"indicator": 60})
    (p,) = a.issues
    assert (p.code, p.severity) == ("above_unconfirmed_maximum", "note")
    assert a.inputs["indicator"] == 60
    assert a.outcomes["scored"].points == 50.0  # counts up to the maximum
    assert "belum dikonfirmasi" in p.problem("id")


def test_a_value_above_a_confirmed_maximum_is_refused() -> None:
    a = scorer().score({"members": 600})
    assert [(p.code, p.severity) for p in a.issues] == [("above_maximum", "error")]
    assert a.inputs["members"] is None


@pytest.mark.parametrize(("change", "code"), [
    ("  - {id: any_x, label: A, any_of: [repays, enough]}\n",
     "combines_conditional"),
    ("derived:\n  - {id: share, label: S, expr: saving / members}\n"
     "checks:\n  - {id: c, require: share <= 1, message: M, fix: F}\n",
     "check_reads_derived"),
])
def test_lint_refuses_misused_constructs(change: str, code: str) -> None:
    text = BASE.replace("stages:\n", change + "stages:\n") if "any_of" in change \
        else BASE.replace("checks:\n", change.split("checks:\n")[0] + "checks:\n"
                          + change.split("checks:\n")[1])
    with pytest.raises(RulesetError) as caught:
        parse_ruleset(text)
    assert code in [p.code for p in caught.value.problems]


@pytest.mark.parametrize(("yaml", "code"), [
    ("  - {id: x, type: number, label: X, unconfirmed: [max]}\n",
     "unconfirmed_needs_bound"),
    ("  - {id: x, type: integer, label: X, display: percent}\n",
     "display_percent_needs_number"),
    ("  - {id: x, type: number, label: X, role: assessment_date}\n",
     "assessment_date_needs_date"),
    ("  - {id: x, type: date, label: X, role: assessment_date}\n",
     "assessment_date_twice"),
])
def test_lint_refuses_misused_field_settings(yaml: str, code: str) -> None:
    text = BASE.replace("checks:\n", yaml + "checks:\n", 1)
    with pytest.raises(RulesetError) as caught:
        parse_ruleset(text)
    assert code in [p.code for p in caught.value.problems]


def test_date_functions_must_be_given_dates() -> None:
    text = BASE.replace("years_between(formed_on, assessed_on)",
                        "years_between(members, assessed_on)")
    with pytest.raises(RulesetError) as caught:
        parse_ruleset(text)
    assert "expr_needs" in [p.code for p in caught.value.problems]


def test_embedded_cases_expect_the_fields_a_failed_check_sets_aside() -> None:
    text = BASE + """tests:
  - name: more savers than members
    record: {members: 8, saving: 9, indicator: 60}
    expect: {problems: [indicator, members, saving]}
"""
    assert run_cases(Scorer(parse_ruleset(text))) == []
