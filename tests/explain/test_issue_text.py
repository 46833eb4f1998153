"""Every data-issue message the scorer writes has an Indonesian wording."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kematangan.explain.issue_text import issue_text
from kematangan.scoring.inputs import encode_value
from kematangan.scoring.plan import FieldSlot

NUMBER = FieldSlot("n", 0, "number", 0, 10, (), "N")
INTEGER = FieldSlot("i", 1, "integer", 0, 10, (), "I")
BOOLEAN = FieldSlot("b", 2, "boolean", None, None, (), "B")
CATEGORY = FieldSlot("c", 3, "category", None, None, ("dagang", "jasa"), "C")
DATE = FieldSlot("d", 4, "date", None, None, (), "D")


@pytest.mark.parametrize(
    ("slot", "raw"),
    [
        (NUMBER, -1), (NUMBER, 11), (NUMBER, "12"), (NUMBER, True),
        (NUMBER, float("inf")), (INTEGER, 2.5), (BOOLEAN, "ya"), (BOOLEAN, 2),
        (CATEGORY, "dagan"), (CATEGORY, "xyz"), (CATEGORY, 3), (DATE, "kemarin"),
        (DATE, 5),
    ],
)
def test_every_scorer_message_reads_in_indonesian(slot: FieldSlot, raw: Any) -> None:
    _, problem, fix = encode_value(slot, raw)
    assert problem is not None and fix is not None
    problem_id, fix_id = issue_text(problem, fix, "id")
    assert problem_id != problem, problem
    assert fix_id != fix, fix


def test_english_is_left_as_it_is() -> None:
    assert issue_text("anything", "else", "en") == ("anything", "else")


def test_unknown_message_is_shown_as_it_is() -> None:
    assert issue_text("a new kind of problem", "do x", "id") == (
        "a new kind of problem", "do x")


def test_valid_date_object_has_no_problem() -> None:
    assert encode_value(DATE, dt.date(2024, 1, 1))[1] is None
