"""Every problem the scorer reports for a value has a code that reads in both
languages (the texts come from the catalogue, never from matching sentences)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kematangan import Problem, Scorer
from kematangan.scoring.inputs import encode_value
from kematangan.scoring.plan import FieldSlot

NUMBER = FieldSlot("n", 0, "number", 0, 10, (), "N")
INTEGER = FieldSlot("i", 1, "integer", 0, 10, (), "I")
BOOLEAN = FieldSlot("b", 2, "boolean", None, None, (), "B")
CATEGORY = FieldSlot("c", 3, "category", None, None, ("dagang", "jasa"), "C")
DATE = FieldSlot("d", 4, "date", None, None, (), "D")


@pytest.mark.parametrize(
    ("slot", "raw", "code"),
    [
        (NUMBER, -1, "below_minimum"), (NUMBER, 11, "above_maximum"),
        (NUMBER, "12", "expected_number"), (NUMBER, True, "expected_number"),
        (NUMBER, float("inf"), "not_finite"), (NUMBER, 10**400, "not_finite"),
        (INTEGER, 2.5, "not_whole"),
        (BOOLEAN, "ya", "expected_boolean"), (BOOLEAN, 2, "expected_boolean"),
        (CATEGORY, "dagan", "not_a_category_close"),
        (CATEGORY, "xyz", "not_a_category"), (CATEGORY, 3, "not_a_category"),
        (DATE, "kemarin", "expected_date"), (DATE, 5, "expected_date"),
    ],
)
def test_every_value_problem_reads_in_both_languages(slot: FieldSlot, raw: Any,
                                                     code: str) -> None:
    _, failure = encode_value(slot, raw)
    assert failure is not None and failure[0] == code
    p = Problem(failure[0], failure[1], field=slot.id)
    assert p.problem("id") != p.problem("en")
    assert p.fix("id") and p.fix("en") and p.fix("id") != p.fix("en")


def test_valid_date_object_has_no_problem() -> None:
    assert encode_value(DATE, dt.date(2024, 1, 1))[1] is None


def test_batch_problems_are_at_the_records_1_based_row() -> None:
    batch = Scorer("ppmk-ksm").score_batch([{"members": 5}, {"members": -2}])
    assert [(p.row, p.field, p.code) for p in batch.issues] == [
        (2, "members", "below_minimum")]


def test_batch_problems_are_at_the_row_numbers_given() -> None:
    batch = Scorer("ppmk-ksm").score_batch([{"members": 5}, {"members": -2}],
                                           row_numbers=[7, 9])
    assert [p.row for p in batch.issues] == [9]
    assert batch.assessment(1).issues[0].row == 9
    assert batch.columns()["issues"].tolist() == [0, 1]


def test_single_record_problems_have_no_row() -> None:
    a = Scorer("ppmk-ksm").score({"members": 900})
    assert [(p.row, p.code) for p in a.issues] == [(None, "above_maximum")]
    assert a.issues[0].problem("id") == "nilai 900 di atas batas tertinggi 500"
