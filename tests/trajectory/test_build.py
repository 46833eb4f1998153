"""Scoring histories: the ruleset valid on each date, every row placed or
reported, and input forms."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kematangan import InputError, RulesetError, load_ruleset, parse_ruleset
from kematangan.trajectory import score_history
from tests.trajectory.common import GROWTH, STRENGTHENING, history, quarters

# Ten indicators adding to 250: Pemula in the legacy bands, Lanjut in 2018's.
POKTAN = {"plan_learning": 25, "plan_business": 75, "organize_learning": 10,
          "organize_business": 30, "implement_learning": 30, "implement_business": 50,
          "control_monitoring": 10, "control_reporting": 5, "leadership_cadre": 10,
          "leadership_partnership": 5}


def test_each_period_is_scored_with_the_scheme_valid_on_its_date() -> None:
    t = score_history(history("P", ["2017Q4", "2018Q1", "2018Q2"], POKTAN),
                      "poktan-2018")
    entries = t.history("P").entries
    assert [(e.period, e.ruleset, e.class_) for e in entries] == [
        ("2017Q4", "poktan-legacy", "pemula"), ("2018Q1", "poktan-2018", "lanjut"),
        ("2018Q2", "poktan-2018", "lanjut")]
    assert [r.id for r in t.rulesets] == ["poktan-2018", "poktan-legacy"]


def test_an_assessment_date_chooses_the_scheme_inside_a_quarter() -> None:
    rows = [{**POKTAN, "group_id": "P", "assessed_on": day}
            for day in ("2018-01-15", "2018-05-15")]
    t = score_history(rows, "poktan-2018", cadence="quarter")
    assert [e.ruleset for e in t.history("P").entries] == [
        "poktan-legacy", "poktan-2018"]


def test_a_date_no_ruleset_covers_is_an_error_naming_the_period() -> None:
    rs = load_ruleset("ppmk-ksm").model_copy(
        update={"valid_from": dt.date(2024, 1, 1)})
    with pytest.raises(RulesetError, match=r"valid on 2023-12-31 \(period 2023Q4\)"):
        score_history(history("A", ["2023Q4", "2024Q1"], GROWTH), rs)


def test_two_assessments_of_a_group_in_one_period_are_an_error() -> None:
    rows = history("A", ["2024-01", "2024-02"], GROWTH)
    with pytest.raises(InputError, match=r"group 'A' is assessed more than once in "
                       r"period 2024Q1 \(rows 1, 2\)"):
        score_history(rows, "ppmk-ksm", cadence="quarter")


def test_rows_that_cannot_be_placed_come_out_as_problems() -> None:
    rows = [*history("A", ["2024Q1"], GROWTH),
            {**GROWTH, "group_id": "A", "period": "2024Q7"},
            {**GROWTH, "group_id": None, "period": "2024Q2"},
            {**GROWTH, "group_id": "B"},
            {**GROWTH, "group_id": "C", "period": "2024"},
            {**GROWTH, "group_id": "D", "period": "2024Q1",
             "assessed_on": "2024-05-01"}]
    t = score_history(rows, "ppmk-ksm", row_numbers=range(2, 8))
    assert [(p.row, p.code) for p in t.problems] == [
        (3, "period_unreadable"), (4, "group_id_missing"), (5, "period_missing"),
        (6, "period_too_long"), (7, "date_outside_period")]
    assert (t.rows_in, len(t), t.summary()["rows_not_placed"]) == (6, 1, 5)


def test_unusable_values_are_reported_at_their_row_and_file() -> None:
    rows = history("A", ["2024Q1", "2024Q2"], GROWTH, Q2024_2={"members": -1})
    t = score_history(rows, "ppmk-ksm", row_numbers=[5, 9],
                      files=["q1.xlsx", "q2.xlsx"])
    (p,) = t.problems
    assert (p.code, p.row, p.file, p.field) == ("below_minimum", 9, "q2.xlsx",
                                                "members")
    assert p.where() == "q2.xlsx, row 9, field 'members'"


def test_months_fall_in_the_rulesets_quarters() -> None:
    t = score_history(history("A", ["2024-03", "2024-05"], GROWTH), "ppmk-ksm")
    assert (t.cadence, t.periods()) == ("quarter", ["2024Q1", "2024Q2"])
    assert [e.date for e in t.history("A").entries] == ["2024-03-31", "2024-05-31"]


def test_cadence_comes_from_the_periods_written_without_a_history_section() -> None:
    t = score_history(history("P", ["2020", "2022"], POKTAN), "poktan-2018")
    assert (t.cadence, t.cadence_from, t.history("P").gaps) == ("year", "periods",
                                                                 ["2021"])


def test_a_dataframe_is_read_like_records() -> None:
    rows = history("A", quarters(2023, 2), GROWTH) + history(
        "B", quarters(2023, 2), STRENGTHENING)
    t = score_history(pd.DataFrame(rows), "ppmk-ksm")
    assert [h.stage for h in map(t.history, ["A", "B"])] == ["growth",
                                                            "strengthening"]


def test_groups_are_sorted_by_id_whatever_the_input_order() -> None:
    t = score_history(history("b", ["2024Q1"], GROWTH) + history(
        "a", ["2024Q1"], GROWTH), "ppmk-ksm")
    assert t.groups.tolist() == ["a", "b"]


RULESET_WITH_DATES = """
id: visits
version: 1.0.0
title: Visits
description: A date field and the assessment date.
sources: [{title: test}]
fields:
  - {id: assessed_on, type: date, label: Tanggal penilaian, role: assessment_date}
  - {id: last_visit, type: date, label: Kunjungan terakhir}
derived:
  - {id: months_since_visit, label: Bulan sejak kunjungan,
     expr: "months_between(last_visit, assessed_on)"}
criteria:
  - {id: visited, label: Dikunjungi, stage: seen, gate: true,
     expr: "months_since_visit <= 3"}
stages:
  - {id: seen, label: Dikunjungi}
"""


def test_a_period_without_a_date_is_scored_as_assessed_on_its_last_day() -> None:
    rs = parse_ruleset(RULESET_WITH_DATES)
    rows = [{"group_id": "A", "period": p, "last_visit": "2024-01-15"}
            for p in ("2024Q1", "2024Q3")]
    t = score_history(rows, rs)
    assert [(e.date, e.stage) for e in t.history("A").entries] == [
        ("2024-03-31", "seen"), ("2024-09-30", None)]
