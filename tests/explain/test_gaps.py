"""Gaps to the next stage, the next class and exit."""

from __future__ import annotations

from kematangan.explain import gaps
from tests.explain.common import case, scorer
from tests.explain.test_reasons import YOUNG


def test_stage_gap_names_the_missing_gates() -> None:
    s = scorer("all-kinds")
    g = gaps(s.score(YOUNG), s)
    assert g.stage is not None
    assert (g.stage.target, g.stage.missing, g.stage.unknown) == (
        "growth", ["books_ok", "size"], [])


def test_stage_gap_counts_points_short_of_min_points() -> None:
    s = scorer("all-kinds")
    ready = {**YOUNG, "members": 8, "books": "partial", "repayment_rate": 1.0,
             "savings_months": 12, "plan_score": 0}
    g = gaps(s.score(ready), s)
    assert g.stage is not None and g.stage.target == "strengthening"
    assert g.stage.missing == []
    assert g.stage.points_short == 10.0


def test_stage_gap_says_when_missing_data_alone_could_reach_it() -> None:
    s = scorer("ppmk-ksm")
    g = gaps(s.score(case("ppmk-ksm", "KSM-07")), s)
    assert g.stage is not None
    assert g.stage.unknown == ["members_save"]
    assert g.stage.possible_with_data


def test_class_gap_gives_points_short_and_requirements() -> None:
    s = scorer("all-kinds")
    g = gaps(s.score(YOUNG), s)
    assert g.class_ is not None
    assert (g.class_.target, g.class_.points_short, g.class_.threshold,
            g.class_.inclusive, g.class_.missing) == ("mid", 35.0, 50.0, True,
                                                       ["repay"])


def test_top_stage_and_class_have_no_gap() -> None:
    s = scorer("ppmk-ksm")
    g = gaps(s.score(case("ppmk-ksm", "KSM-09")), s)
    assert (g.stage, g.class_, g.exit) == (None, None, None)


def test_exit_gap_lists_what_exit_still_needs() -> None:
    s = scorer("ppmk-ksm")
    g = gaps(s.score(case("ppmk-ksm", "KSM-10")), s)
    assert g.exit is not None
    assert (g.exit.stage, g.exit.stage_reached, g.exit.missing) == (
        "release", True, ["no_arrears"])


def test_ruleset_without_stages_has_only_a_class_gap() -> None:
    s = scorer("ksm-unggulan")
    g = gaps(s.score(case("ksm-unggulan", "KSM-04")), s)
    assert g.stage is None and g.exit is None
    assert g.class_ is not None and g.class_.target == "unggulan"
