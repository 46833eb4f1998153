"""Lists of dicts and dicts of lists are converted column by column in bulk; every
value still gets exactly the check it gets one record at a time."""

from __future__ import annotations

import decimal
import math
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kematangan import Scorer
from tests.strategies import valid_value

SCORER = Scorer("ppmk-ksm")

ODD: list[Any] = [None, True, False, 0, 1, -1, 12, 12.5, 10**30, 10**400,
                  math.inf, -math.inf, math.nan, "12", "ya", "", decimal.Decimal("3"),
                  [1], {"a": 1}]


def _cell(field_id: str) -> st.SearchStrategy[Any]:
    f = SCORER.ruleset.field(field_id)
    return st.one_of(valid_value(SCORER.ruleset, f), st.sampled_from(ODD))


ROWS = st.lists(st.fixed_dictionaries(
    {}, optional={f.id: _cell(f.id) for f in SCORER.ruleset.fields}),
    min_size=1, max_size=6)


def _same(batch: Any, rows: list[dict[str, Any]]) -> None:
    for i, row in enumerate(rows):
        single = SCORER.score(row).model_dump(mode="json")
        together = batch.assessment(i).model_dump(mode="json")
        for p in together["issues"]:
            assert p.pop("row") == i + 1
        for p in single["issues"]:
            p.pop("row", None)
        assert together == single


@given(ROWS)
def test_list_of_dicts_checks_every_value_as_one_record_does(
        rows: list[dict[str, Any]]) -> None:
    _same(SCORER.score_batch(rows), rows)


@given(ROWS)
def test_dict_of_lists_checks_every_value_as_one_record_does(
        rows: list[dict[str, Any]]) -> None:
    keys = {k for r in rows for k in r}
    assume(keys)  # a mapping of no columns has no records
    columns = {k: [r.get(k) for r in rows] for k in keys}
    _same(SCORER.score_batch(columns), rows)


@pytest.mark.parametrize("value", [600, 10**30])
def test_a_problem_shows_the_value_as_given(value: int) -> None:
    (p,) = SCORER.score_batch([{"members": value}]).issues
    assert p.value == value and type(p.value) is int


@given(st.lists(st.one_of(st.just(math.nan), st.floats(allow_nan=False, width=32)),
                min_size=1, max_size=8))
def test_a_float_column_for_a_date_or_category_field_is_read_as_cell_by_cell(
        values: list[float]) -> None:
    # regression: mostly blank date columns given as float arrays (NaN) were read
    # one cell at a time, a third of score_batch's time on ppmk-ksm; the fast path
    # must give the same values and problems as the cell-by-cell one
    import numpy as np

    arr = np.array(values, dtype=np.float64)
    for field in ("business_plan_reviewed_on", "assessed_on"):
        fast = SCORER.score_batch({field: arr})
        slow = SCORER.score_batch({field: [v.item() for v in arr]})
        assert fast.summary() == slow.summary()
        assert [p.to_dict("en") for p in fast.issues] == [
            p.to_dict("en") for p in slow.issues]
        assert len(fast.issues) == int((~np.isnan(arr)).sum())


@given(ROWS)
def test_the_generated_record_encoder_reads_every_cell_as_encode_value_does(
        rows: list[dict[str, Any]]) -> None:
    # the per-record fast path is generated per plan; each cell must come out as
    # the one-cell reference reads it, problems in field order
    from kematangan.scoring.inputs import encode_record, encode_value

    plan = SCORER.plan
    for row in rows:
        values, problems = encode_record(plan, row, row=7)
        expected = [encode_value(slot, row.get(slot.id)) for slot in plan.fields]
        assert [math.isnan(v) for v in values] == [math.isnan(v) for v, _ in expected]
        assert [v for v in values if v == v] == [v for v, _ in expected if v == v]
        assert [(p.field, p.code) for p in problems] == [
            (slot.id, failure[0]) for slot, (_, failure) in zip(plan.fields, expected,
                                                               strict=True)
            if failure is not None]
        assert all(p.row == 7 for p in problems)
