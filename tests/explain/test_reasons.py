"""Reason codes: which criteria, in which order, with what detail."""

from __future__ import annotations

import numpy as np
import pytest

from kematangan import InputError, Outcome, Scorer, load_ruleset
from kematangan.explain import batch_reasons, reasons
from tests.explain.common import ALL_KINDS, case, scorer

YOUNG = {"founded_by_pra": True, "members": 3, "books": "none",
         "repayment_rate": 0.5, "savings_months": 2, "plan_score": 10,
         "trainings": 0, "meetings": 1, "partners": 0, "market": False,
         "arrears": 2, "distance_km": 5}


def test_gates_blocking_the_next_stage_come_first() -> None:
    s = scorer("all-kinds")
    got = reasons(s.score(YOUNG), s)
    assert [r.criterion for r in got[:2]] == ["books_ok", "size"]
    assert all(r.blocks == ["stage"] for r in got[:2])
    assert {r.criterion for r in got if "stage" in r.blocks} == set(
        s.score(YOUNG).blocking)


def test_class_requirements_come_before_other_lost_points() -> None:
    s = scorer("all-kinds")
    got = reasons(s.score(YOUNG), s)
    assert got[2].criterion == "repay"
    assert got[2].blocks == ["class"]
    assert got[3].criterion == "plan"
    assert got[3].points_lost == 40.0


def test_reasons_within_a_tier_are_ranked_by_points_lost() -> None:
    s = scorer("all-kinds")
    lost = [r.points_lost for r in reasons(s.score(YOUNG), s) if not r.blocks]
    assert lost == sorted(lost, reverse=True)


def test_known_outcome_ranks_before_unknown_with_equal_points() -> None:
    s = scorer("ppmk-ksm")
    got = reasons(s.score({"members": 3}), s)
    assert got[0].criterion == "enough_members"
    assert got[0].outcome is Outcome.NOT_MET
    assert got[1].outcome is Outcome.UNKNOWN


def test_k_limits_the_number_of_reasons() -> None:
    s = scorer("all-kinds")
    assert len(reasons(s.score(YOUNG), s, k=3)) == 3
    assert [r.rank for r in reasons(s.score(YOUNG), s, k=3)] == [1, 2, 3]


def test_reason_carries_condition_values_and_advice() -> None:
    s = scorer("all-kinds")
    size = next(r for r in reasons(s.score(YOUNG), s) if r.criterion == "size")
    assert size.condition.id == "Jumlah anggota dalam rentang [5; 50] orang"
    assert size.condition.get("en") == "Members in [5, 50]"
    assert [(v.name, v.value) for v in size.observed] == [("members", 3)]
    assert size.advice is not None and size.advice.get("en").startswith("Keep")
    assert size.label.get("en") == "Sensible group size"


def test_derived_value_reason_shows_its_inputs() -> None:
    s = scorer("all-kinds")
    partnered = next(r for r in reasons(s.score(YOUNG), s)
                     if r.criterion == "partnered")
    assert [v.name for v in partnered.observed] == [
        "partners", "partners_per_member", "members"]


def test_combined_criterion_shows_outcomes_of_its_parts() -> None:
    s = scorer("all-kinds")
    learning = next(r for r in reasons(s.score(YOUNG), s)
                    if r.criterion == "learning")
    assert [(v.kind, v.value) for v in learning.observed] == [
        ("criterion", "not_met")] * 3


def test_met_criterion_with_partial_points_is_a_reason() -> None:
    s = scorer("all-kinds")
    got = reasons(s.score({**YOUNG, "plan_score": 45}), s)
    plan = next(r for r in got if r.criterion == "plan")
    assert plan.outcome is Outcome.MET
    assert plan.points_lost == 5.0


def test_unknown_criterion_counts_its_max_points_as_lost() -> None:
    s = scorer("all-kinds")
    a = s.score({**YOUNG, "trainings": None})
    trained = next(r for r in reasons(a, s) if r.criterion == "trained")
    assert trained.outcome is Outcome.UNKNOWN
    assert trained.points_lost == trained.max_points == 5.0


def test_points_lost_add_up_to_what_the_score_misses() -> None:
    s = scorer("ppmk-ksm")
    a = s.score(case("ppmk-ksm", "KSM-07"))
    got = reasons(a, s)
    assert sum(r.points_lost for r in got) == pytest.approx(a.max_score - a.score)
    known = sum(r.points_lost for r in got if r.outcome is not Outcome.UNKNOWN)
    assert known == pytest.approx(a.max_score - a.score_upper)


def test_full_marks_give_no_reasons() -> None:
    s = scorer("ppmk-ksm")
    assert reasons(s.score(case("ppmk-ksm", "KSM-09")), s) == []


def test_exit_requirement_blocks_only_at_the_exit_stage() -> None:
    s = scorer("ppmk-ksm")
    at_release = reasons(s.score(case("ppmk-ksm", "KSM-10")), s)
    assert [(r.criterion, r.blocks) for r in at_release] == [
        ("no_arrears", ["exit"])]
    young = reasons(s.score(case("ppmk-ksm", "KSM-05")), s)
    assert next(r for r in young if r.criterion == "no_arrears").blocks == []


def test_assessment_from_another_ruleset_is_refused() -> None:
    a = scorer("ppmk-ksm").score({"members": 3})
    with pytest.raises(InputError, match="explain an assessment with the ruleset"):
        reasons(a, scorer("ksm-unggulan"))


def test_a_ruleset_or_its_id_works_in_place_of_a_scorer() -> None:
    s = scorer("ppmk-ksm")
    a = s.score({"members": 3})
    assert reasons(a, "ppmk-ksm") == reasons(a, s) == reasons(
        a, load_ruleset("ppmk-ksm"))


def test_shuffling_criteria_changes_no_reason() -> None:
    rs = load_ruleset(ALL_KINDS)
    shuffled = rs.model_copy(update={"criteria": list(reversed(rs.criteria))})
    a, b = Scorer(rs), Scorer(shuffled)
    first = [r.model_dump() for r in reasons(a.score(YOUNG), a)]
    second = [r.model_dump() for r in reasons(b.score(YOUNG), b)]
    assert first == second


def test_batch_reasons_gives_k_object_columns() -> None:
    s = scorer("all-kinds")
    cols = batch_reasons(s.score_batch([YOUNG, {**YOUNG, "members": 8}]), k=4)
    assert list(cols) == ["reason_1", "reason_2", "reason_3", "reason_4"]
    assert all(c.dtype == object and c.shape == (2,) for c in cols.values())
    assert cols["reason_1"].tolist() == ["books_ok", "books_ok"]
    assert cols["reason_2"].tolist() == ["size", "repay"]


def test_batch_reasons_pads_with_none_past_the_last_reason() -> None:
    s = scorer("ppmk-ksm")
    full = case("ppmk-ksm", "KSM-09")
    cols = batch_reasons(s.score_batch([full]), k=len(s.ruleset.criteria) + 2)
    assert set(np.concatenate(list(cols.values())).tolist()) == {None}


def test_batch_reasons_needs_k_of_at_least_one() -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        batch_reasons(scorer("ppmk-ksm").score_batch([{}]), k=0)


def test_batch_reasons_match_reasons_per_record() -> None:
    s = scorer("ppmk-ksm")
    records = [c.record for c in s.ruleset.tests]
    batch = s.score_batch(records)
    cols = batch_reasons(batch, k=5)
    for i, record in enumerate(records):
        want = [r.criterion for r in reasons(s.score(record), s, k=5)]
        got = [cols[f"reason_{j}"][i] for j in range(1, 6)]
        assert got == want + [None] * (5 - len(want))
