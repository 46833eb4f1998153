"""Roll-ups: grouping member results by parent, each aggregate's certain value and
upper bound, and the property that a roll-up adds up its members' results."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kematangan import RulesetError, Scorer
from kematangan.rollup import default_aggregates, roll_up
from tests.strategies import records

PPMK = Scorer("ppmk-ksm")


def _batch(rows: list[dict[str, Any]]) -> Any:
    return PPMK.score_batch(rows)


def test_parents_are_sorted_by_id_and_members_counted() -> None:
    up = roll_up(_batch([{}] * 4), ["B2", "B1", "B2", "B3"])
    assert up.parent_ids.tolist() == ["B1", "B2", "B3"]
    assert up.members.tolist() == [1, 2, 1]


def test_parent_ids_are_read_as_text_like_group_ids() -> None:
    up = roll_up(_batch([{}] * 3), [" B1 ", "B1", 12.0])
    assert up.parent_ids.tolist() == ["12", "B1"]
    assert up.members.tolist() == [1, 2]


def test_a_blank_parent_id_is_reported_on_its_row_and_kept_in_a_last_entry() -> None:
    batch = PPMK.score_batch([{}] * 3, row_numbers=[4, 5, 6])
    up = roll_up(batch, ["B1", None, "  "], column="Kode BKM")
    assert up.parent_ids.tolist() == ["B1", None]
    assert up.blank == 2
    assert [(p.code, p.row, p.column) for p in up.issues] == [
        ("parent_id_blank", 5, "Kode BKM"), ("parent_id_blank", 6, "Kode BKM")]


def test_no_blank_parent_means_no_blank_entry() -> None:
    up = roll_up(_batch([{}]), ["B1"])
    assert (up.blank, up.parent_ids.tolist(), up.issues) == (0, ["B1"], ())


def test_one_parent_id_per_member_is_required() -> None:
    with pytest.raises(ValueError, match="2 parent ids for 3 member groups"):
        roll_up(_batch([{}] * 3), ["B1", "B2"])


def test_missing_data_counts_in_the_upper_bound_only() -> None:
    # enough_members: met, not met, unknown
    up = roll_up(_batch([{"members": 9}, {"members": 2}, {}]), ["B"] * 3)
    low, high = up.bounds("count.met.enough_members")
    assert (low.tolist(), high.tolist()) == ([1.0], [2.0])
    low, high = up.bounds("count.not_met.enough_members")
    assert (low.tolist(), high.tolist()) == ([1.0], [2.0])


def test_a_value_is_given_only_when_member_data_settles_it() -> None:
    up = roll_up(_batch([{"members": 9}, {"members": 2}, {}]), ["A", "A", "B"])
    assert up.value("count.met.enough_members").tolist()[0] == 1.0
    assert np.isnan(up.value("count.met.enough_members")[1])


def test_shares_divide_by_the_parent_s_members() -> None:
    up = roll_up(_batch([{"members": 9}, {"members": 2}, {"members": 7}, {}]),
                 ["A", "A", "A", "A"])
    low, high = up.bounds("share.met.enough_members")
    assert (low.tolist(), high.tolist()) == ([0.5], [0.75])


def test_stage_reached_counts_members_at_or_beyond_the_stage() -> None:
    case = {c.name: c.record for c in PPMK.ruleset.tests}
    released = case["released and exit-ready"]
    growth = case["growth reached, books missing"]
    up = roll_up(_batch([released, growth]), ["A", "A"])
    assert up.value("count.stage_reached.growth").tolist() == [2.0]
    assert up.value("count.stage_reached.independence").tolist() == [1.0]
    assert up.value("count.stage.growth").tolist() == [1.0]
    assert up.value("count.exit_ready").tolist() == [1.0]


def test_a_member_whose_stage_is_open_is_possibly_at_each_stage_in_its_range() -> None:
    open_ = next(c.record for c in PPMK.ruleset.tests
                 if c.name == "unknown savings leave the stage undetermined")
    up = roll_up(_batch([open_]), ["A"])
    assert [b.tolist() for b in up.bounds("count.stage.growth")] == [[0.0], [1.0]]
    assert [b.tolist() for b in up.bounds("count.stage.strengthening")] == [
        [0.0], [1.0]]
    assert [b.tolist() for b in up.bounds("count.stage.independence")] == [
        [0.0], [0.0]]


def test_a_sum_of_a_missing_value_runs_to_the_field_s_bounds() -> None:
    up = roll_up(_batch([{"arrears_instalments": 4}, {}]), ["A", "A"])
    low, high = up.bounds("sum.arrears_instalments")
    field = PPMK.ruleset.field("arrears_instalments")
    assert (low.tolist(), high.tolist()) == ([4.0], [4.0 + (field.max or 0)])


def test_members_names_come_in_input_order_with_row_numbers_for_unnamed() -> None:
    batch = PPMK.score_batch([{"group_id": "K2"}, {}, {"group_id": "K1"}],
                             row_numbers=[3, 4, 5])
    up = roll_up(batch, ["A", "A", "B"])
    assert up.member_lists() == [["K2", "row 4"], ["K1"]]


def test_the_parents_table_has_certain_and_upper_columns_for_every_default() -> None:
    up = roll_up(_batch([{}, {"members": 3}]), ["A", "B"], column="Kode BKM")
    cols = up.columns(["sum.arrears_instalments"])
    assert list(cols)[:3] == ["Kode BKM", "members", "member_groups"]
    for name in [*default_aggregates(up.batch), "sum.arrears_instalments"]:
        assert name in cols and f"{name}.upper" in cols


def test_an_unknown_aggregate_is_an_error_with_the_closest_name() -> None:
    up = roll_up(_batch([{}]), ["A"])
    with pytest.raises(RulesetError, match="did you mean 'repayment_current'"):
        up.bounds("count.not_met.repayment_curent")


def test_a_criterion_that_does_not_apply_is_counted_neither_met_nor_not_met() -> None:
    from kematangan.criteria import load_ruleset

    text = load_ruleset("ppmk-ksm").model_copy(deep=True)
    crit = text.criterion("trained").model_copy(update={
        "applies_when": "members >= 10"})
    rs = text.model_copy(update={"criteria": [
        crit if c.id == "trained" else c for c in text.criteria]})
    batch = Scorer(rs).score_batch([{"members": 3, "trainings_last_12_months": 0}])
    assert batch.outcome("trained").tolist() == ["not_applicable"]
    up = roll_up(batch, ["A"])
    for name in ("count.met.trained", "count.not_met.trained"):
        assert [b.tolist() for b in up.bounds(name)] == [[0.0], [0.0]]


def _membership(outcome: str, which: str) -> int:
    if outcome == "unknown":
        return -1
    return int(outcome == ("met" if which == "met" else "not_met"))


@given(rows=st.lists(records(PPMK.ruleset), min_size=1, max_size=25),
       data=st.data())
def test_roll_up_counts_equal_the_sum_of_member_results(
        rows: list[dict[str, Any]], data: st.DataObject) -> None:
    parents = data.draw(st.lists(st.sampled_from(["A", "B", "C", None]),
                                 min_size=len(rows), max_size=len(rows)))
    batch = PPMK.score_batch(rows)
    up = roll_up(batch, parents)
    members = list(batch)
    keys = up.parent_ids.tolist()
    assert int(up.members.sum()) == len(rows)
    for p, key in enumerate(keys):
        mine = [a for a, q in zip(members, parents, strict=True)
                if (q if q is not None else None) == key]
        assert up.members[p] == len(mine)
        for s in PPMK.plan.stage_ids:
            low, high = up.bounds(f"count.stage.{s}")
            assert low[p] == sum(a.stage == s == a.stage_upper for a in mine)
            ids = PPMK.plan.stage_ids
            within = [a for a in mine if (a.stage is None or ids.index(a.stage) <=
                      ids.index(s)) and a.stage_upper is not None and
                      ids.index(s) <= ids.index(a.stage_upper)]
            assert high[p] == len(within)
        for k in PPMK.plan.class_ids:
            low, _ = up.bounds(f"count.class.{k}")
            assert low[p] == sum(a.class_ == k == a.class_upper for a in mine)
        low, high = up.bounds("count.exit_ready")
        assert low[p] == sum(a.exit_ready is True for a in mine)
        assert high[p] == sum(a.exit_ready is not False for a in mine)
        low, high = up.bounds("count.not_met.repayment_current")
        marks = [_membership(a.outcomes["repayment_current"].outcome.value, "not_met")
                 for a in mine]
        assert low[p] == marks.count(1)
        assert high[p] == marks.count(1) + marks.count(-1)
        low, _ = up.bounds("share.not_met.repayment_current")
        assert low[p] == pytest.approx(marks.count(1) / len(mine))
