"""Track records over histories: stays, stagnation, regressions and their causes,
gaps, exit on a track record (ppmk-ksm's history section)."""

from __future__ import annotations

from kematangan.trajectory import score_history
from tests.trajectory.common import (
    GROWTH,
    INDEPENDENCE,
    RELEASE,
    STRENGTHENING,
    history,
    quarters,
)


def test_months_in_stage_count_from_the_first_assessment_at_it() -> None:
    t = score_history(history("A", quarters(2023, 3), GROWTH) + history(
        "A", quarters(2023, 3, 4), STRENGTHENING), "ppmk-ksm")
    h = t.history("A")
    assert [e.months_in_stage for e in h.entries] == [0, 3, 6, 0, 3, 6]
    assert (h.stage, h.since, h.months_in_stage) == ("strengthening", "2023Q4", 6)


def test_first_period_at_each_stage_is_recorded() -> None:
    t = score_history(history("A", quarters(2023, 2), GROWTH) + history(
        "A", quarters(2023, 1, 3), INDEPENDENCE) + history(
        "A", quarters(2023, 1, 4), GROWTH), "ppmk-ksm")
    assert t.history("A").first_at == {"growth": "2023Q1",
                                       "independence": "2023Q3"}


def test_growth_for_exactly_the_limit_is_not_stagnation() -> None:
    t = score_history(history("A", quarters(2023, 5), GROWTH), "ppmk-ksm")
    h = t.history("A")
    assert (h.months_in_stage, h.stagnation) == (12, None)


def test_growth_past_the_limit_is_stagnation_with_the_rulesets_message() -> None:
    t = score_history(history("A", quarters(2023, 6), GROWTH), "ppmk-ksm")
    s = t.history("A").stagnation
    assert s is not None and (s.stage, s.since, s.months, s.limit) == (
        "growth", "2023Q1", 15, 12)
    assert s.text("id").startswith("Sudah 15 bulan di tahap Penumbuhan (sejak 2023Q1)")
    assert [x.group for x in t.stagnating()] == ["A"]


def test_a_missing_quarter_does_not_end_a_stay() -> None:
    periods = [p for p in quarters(2023, 6) if p != "2023Q3"]
    h = score_history(history("A", periods, GROWTH), "ppmk-ksm").history("A")
    assert (h.since, h.months_in_stage, h.gaps) == ("2023Q1", 15, ["2023Q3"])
    assert h.stagnation is not None


def test_lost_stage_is_a_regression_with_the_criteria_met_before() -> None:
    t = score_history(history("A", quarters(2023, 3), STRENGTHENING,
                              Q2023_3={"admin_books_kept": False}), "ppmk-ksm")
    (r,) = t.regressions()
    assert (r.period, r.previous, r.lost) == ("2023Q3", "2023Q2", ("stage",))
    assert (r.stage_before, r.stage_after) == ("strengthening", "growth")
    assert r.criteria == ("admin_books",)
    assert not r.scheme_changed


def test_lost_class_alone_is_a_regression() -> None:
    # strengthening, class maju (no cadre, so none chosen: ppmk-ksm's cadre check)
    almost = {**INDEPENDENCE, "local_cadres": 0, "cadres_chosen_by_musyawarah": False}
    t = score_history(history("A", quarters(2023, 2), almost,
                              Q2023_2={"decisions_by_musyawarah": False,
                                       "market_access": False}), "ppmk-ksm")
    (r,) = t.regressions()
    assert (r.lost, r.stage_before, r.stage_after) == (
        ("class",), "strengthening", "strengthening")
    assert (r.class_before, r.class_after) == ("maju", "berkembang")
    assert r.criteria == ("democratic_decisions", "partnership_or_market")


def test_missing_data_is_not_a_regression() -> None:
    t = score_history(history("A", quarters(2023, 2), STRENGTHENING,
                              Q2023_2={"admin_books_kept": None}), "ppmk-ksm")
    assert t.regressions() == []
    e = t.history("A").entries[-1]
    assert (e.stage, e.stage_upper) == ("growth", "strengthening")


def test_a_stay_goes_on_through_an_undetermined_quarter() -> None:
    t = score_history(history("A", quarters(2023, 3), STRENGTHENING,
                              Q2023_2={"admin_books_kept": None},
                              Q2023_3={"admin_books_kept": True}), "ppmk-ksm")
    h = t.history("A")
    assert (h.since, h.months_in_stage) == ("2023Q1", 6)


def test_a_fall_across_an_undetermined_quarter_is_one_regression() -> None:
    t = score_history(history("A", quarters(2023, 3), INDEPENDENCE,
                              Q2023_2={"activity_months": None},
                              Q2023_3={"activity_months": 24,
                                       "admin_books_kept": False}), "ppmk-ksm")
    (r,) = t.regressions()
    assert (r.period, r.previous, r.stage_before, r.stage_after) == (
        "2023Q3", "2023Q1", "independence", "growth")
    assert r.criteria == ("admin_books",)


def test_gaps_run_from_a_groups_first_assessment_to_the_latest_period() -> None:
    t = score_history(history("A", ["2023Q2", "2023Q4"], GROWTH) + history(
        "B", quarters(2023, 5), GROWTH), "ppmk-ksm")
    assert t.history("A").gaps == ["2023Q3", "2024Q1"]
    assert t.history("B").gaps == []
    assert t.history("A").entries[1].missing_before == 1


def test_exit_needs_the_release_stage_held_four_quarters() -> None:
    t = score_history(history("A", quarters(2023, 4), RELEASE), "ppmk-ksm")
    entries = t.history("A").entries
    assert [e.exit_ready for e in entries] == [True] * 4
    assert [e.exit_ready_track for e in entries] == [False, False, False, True]


def test_a_missing_quarter_breaks_the_run_at_release() -> None:
    periods = ["2023Q1", "2023Q2", "2023Q4", "2024Q1"]
    h = score_history(history("A", periods, RELEASE), "ppmk-ksm").history("A")
    assert (h.exit_ready, h.exit_held_periods) == (False, 2)


def test_exit_undetermined_when_the_track_record_depends_on_missing_data() -> None:
    t = score_history(history("A", quarters(2023, 4), RELEASE,
                              Q2023_2={"legal_standing": None},
                              Q2023_3={"legal_standing": True}), "ppmk-ksm")
    assert t.history("A").exit_ready is None


def test_exit_in_months_counts_months_between_assessments() -> None:
    from kematangan import load_ruleset
    rs = load_ruleset("ppmk-ksm")
    assert rs.history is not None and rs.history.exit is not None
    by_months = rs.model_copy(update={"history": rs.history.model_copy(update={
        "exit": rs.history.exit.model_copy(update={"periods": None, "months": 6})})})
    t = score_history(history("A", quarters(2023, 3), RELEASE), by_months)
    assert [e.exit_ready_track for e in t.history("A").entries] == [
        False, False, True]
