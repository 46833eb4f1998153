"""Next steps: minimal, allowed, verified changes, or a plain reason why not."""

from __future__ import annotations

from typing import Any

import pytest

from kematangan.explain import NextSteps, next_steps
from tests.explain.common import case, scorer
from tests.explain.test_reasons import YOUNG


def changes(ns: NextSteps | None) -> list[tuple[str, Any, Any]]:
    assert ns is not None
    return [(c.field, c.before, c.after) for s in ns.steps for c in s.changes]


def plan_for(name: str, record: dict[str, Any], target: str = "next_stage"
             ) -> NextSteps:
    s = scorer(name)
    ns = next_steps(s.score(record), s, target)
    assert ns is not None
    return ns


def test_range_in_set_steps_reach_the_next_stage() -> None:
    ns = plan_for("all-kinds", YOUNG)
    assert ns.reachable and ns.result is not None and ns.result.stage == "growth"
    assert changes(ns) == [("books", "none", "partial"), ("members", 3, 5)]


def test_steps_carry_the_criterion_advice() -> None:
    ns = plan_for("all-kinds", YOUNG)
    size = next(s for s in ns.steps if s.criterion == "size")
    assert size.advice is not None and size.advice.id.startswith("Jaga jumlah")
    assert size.meets == ["size"]


def test_bands_and_threshold_steps_take_the_nearest_value() -> None:
    young = {**YOUNG, "members": 8, "books": "partial", "plan_score": 30}
    ns = plan_for("all-kinds", young, "strengthening")
    assert changes(ns) == [("repayment_rate", 0.5, 0.95), ("savings_months", 2, 12)]


def test_points_short_are_closed_with_just_enough_points() -> None:
    young = {**YOUNG, "members": 8, "books": "partial", "repayment_rate": 1.0,
             "savings_months": 12, "plan_score": 0}
    ns = plan_for("all-kinds", young, "strengthening")
    assert changes(ns) == [("plan_score", 0, 10)]
    assert ns.steps[0].points == 10.0
    assert ns.steps[0].meets == []


def test_met_score_criterion_can_still_add_points() -> None:
    known = {**YOUNG, "members": 8, "books": "partial", "repayment_rate": 1.0,
             "savings_months": None, "plan_score": 42, "trainings": None,
             "meetings": None, "partners": 1, "market": None, "arrears": 0}
    ns = plan_for("all-kinds", known, "high")
    assert changes(ns) == [("plan_score", 42, 45)]
    assert ns.reachable and ns.steps[0].points == 3.0


def test_class_target_reaches_the_lowest_score_exactly() -> None:
    ns = plan_for("poktan-2018", case("poktan-2018", "PT-01"),
                  "next_class")
    assert ns.reachable and ns.result is not None
    assert ns.result.score == 246.0
    assert len(ns.steps) == 1


def test_named_class_target_such_as_unggulan() -> None:
    s = scorer("ksm-unggulan")
    record = case("ksm-unggulan", "KSM-09")  # no partnership: criterion 6 not met
    ns = next_steps(s.score(record), s, "unggulan")
    assert ns is not None and ns.reachable
    assert ns.result is not None and ns.result.class_ == "unggulan"
    assert changes(ns) == [("partnerships", 0, 1)]


def test_any_of_picks_the_cheapest_option() -> None:
    young = {**YOUNG, "members": 8, "books": "partial", "repayment_rate": 1.0,
             "savings_months": 12, "plan_score": 40, "trainings": 2,
             "arrears": 0, "partners": 0, "market": False}
    ns = plan_for("all-kinds", young, "independence")
    assert changes(ns) == [("partners", 0, 1)]


def test_expression_over_a_derived_value_is_solved_by_search() -> None:
    young = {**YOUNG, "members": 40, "books": "partial", "repayment_rate": 1.0,
             "savings_months": 12, "plan_score": 40, "trainings": 2,
             "arrears": 0, "partners": 1, "market": False}
    ns = plan_for("all-kinds", young, "independence")
    assert changes(ns) == [("partners", 1, 4)]


def test_all_of_fixes_each_part() -> None:
    young = {**YOUNG, "members": 8, "books": "partial", "repayment_rate": 0.96,
             "savings_months": 12, "plan_score": 40, "trainings": 2, "arrears": 3,
             "partners": 2}
    ns = plan_for("all-kinds", young, "independence")
    assert changes(ns) == [("arrears", 3, 0)]
    assert ns.steps[0].meets == ["solid", "no_arrears"]


def test_steps_never_go_against_the_better_direction() -> None:
    ns = plan_for("ppmk-ksm", case("ppmk-ksm", "KSM-05"))
    assert changes(ns) == [("arrears_instalments", 3, 2)]


def test_unknown_data_must_be_recorded_first() -> None:
    ns = plan_for("ppmk-ksm", case("ppmk-ksm", "KSM-07"))
    assert not ns.reachable and ns.result is None
    assert ns.record_first == ["members_saving"]
    assert ns.blockers[0].kind == "record_first"
    assert ns.blockers[0].message.id.startswith(
        "Catat dulu 'Jumlah anggota yang menabung")


def test_invalid_data_must_be_fixed_first() -> None:
    ns = plan_for("ppmk-ksm", case("ppmk-ksm", "KSM-11"))
    assert ns.record_first == ["members"]
    assert ns.blockers[0].message.id.startswith("Perbaiki dulu 'Jumlah anggota'")


def test_a_field_the_group_cannot_change_is_no_path() -> None:
    ns = plan_for("ppmk-ksm", case("ppmk-ksm", "KSM-01"))
    assert not ns.reachable and ns.steps == []
    assert [(b.kind, b.fields) for b in ns.blockers] == [
        ("not_actionable", ["formed_participatory"])]
    assert "tidak dapat diubah" in ns.blockers[0].message.id


def test_missing_value_with_a_meaning_may_be_filled_in() -> None:
    # A blank RUK review (no date, no months) means no RUK: the step is a review
    # now, not a value invented in the past.
    s = scorer("ksm-unggulan")
    ns = next_steps(s.score(case("ksm-unggulan", "KSM-19")), s, "unggulan")
    assert ns is not None and ns.reachable
    assert ("business_plan_months_since_review", None, 0.0) in changes(ns)


def test_points_hidden_by_missing_data_ask_to_record_it_first() -> None:
    s = scorer("all-kinds")
    known = {**YOUNG, "members": 8, "books": "partial", "repayment_rate": 1.0,
             "partners": 1, "market": True, "arrears": 0, "savings_months": None,
             "plan_score": None, "trainings": None, "meetings": None}
    ns = next_steps(s.score(known), s, "high")
    assert ns is not None and not ns.reachable
    assert [(b.kind, b.criterion) for b in ns.blockers] == [("record_first", None)]
    assert ns.record_first == ["meetings", "plan_score", "savings_months",
                               "trainings"]
    assert ns.blockers[0].message.id.startswith("Masih kurang 40 poin. Catat dulu")


def test_target_already_reached_needs_no_steps() -> None:
    s = scorer("ppmk-ksm")
    ns = next_steps(s.score(case("ppmk-ksm", "KSM-09")), s, "growth")
    assert ns is not None and ns.already_reached and ns.steps == []


def test_exit_target() -> None:
    s = scorer("ppmk-ksm")
    ns = next_steps(s.score(case("ppmk-ksm", "KSM-10")), s, "exit")
    assert ns is not None and ns.reachable
    assert ns.result is not None and ns.result.exit_ready is True
    assert changes(ns) == [("arrears_instalments", 1, 0)]


def test_no_next_stage_gives_none() -> None:
    s = scorer("ppmk-ksm")
    a = s.score(case("ppmk-ksm", "KSM-09"))
    assert next_steps(a, s) is None
    assert next_steps(a, s, "next_class") is None


@pytest.mark.parametrize(("target", "message"), [
    ("unggul", "unknown target 'unggul'"),
    ("exit", "has no exit rule"),
])
def test_bad_target_is_refused(target: str, message: str) -> None:
    s = scorer("ksm-unggulan")
    with pytest.raises(ValueError, match=message):
        next_steps(s.score({}), s, target)


def test_unknown_target_suggests_the_closest() -> None:
    s = scorer("ksm-unggulan")
    with pytest.raises(ValueError, match="did you mean 'unggulan'"):
        next_steps(s.score({}), s, "unggul")
