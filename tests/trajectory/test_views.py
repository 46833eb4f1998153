"""Portfolio views: transitions between two periods, cohorts, the lists of
stagnating and regressing groups."""

from __future__ import annotations

import pytest

from kematangan import InputError
from kematangan.trajectory import Trajectories, cohorts, score_history, transitions
from tests.trajectory.common import GROWTH, RELEASE, STRENGTHENING, history, quarters


@pytest.fixture(scope="module")
def portfolio() -> Trajectories:
    rows = (history("up", quarters(2023, 2), GROWTH, Q2023_2=STRENGTHENING)
            + history("down", quarters(2023, 2), STRENGTHENING,
                      Q2023_2={"admin_books_kept": False})
            + history("same", quarters(2023, 2), RELEASE)
            + history("late", ["2023Q2"], GROWTH)
            + history("gone", ["2023Q1"], GROWTH))
    for r in rows:
        r["formed_year"] = {"up": 2021, "down": 2021, "same": 2019}.get(r["group_id"])
    return score_history(rows, "ppmk-ksm")


def test_transitions_count_every_group_once_with_the_groups_per_cell(
        portfolio: Trajectories) -> None:
    tr = transitions(portfolio)
    assert (tr.by, tr.from_period, tr.to_period) == ("stage", "2023Q1", "2023Q2")
    assert tr.cells() == [
        ("absent", "growth", 1, ["late"]), ("growth", "absent", 1, ["gone"]),
        ("growth", "strengthening", 1, ["up"]),
        ("strengthening", "growth", 1, ["down"]),
        ("release", "release", 1, ["same"])]
    assert int(tr.counts.sum()) == len(portfolio.groups)
    assert (tr.moved("up"), tr.moved("down"), tr.moved("same")) == (1, 1, 1)


def test_transitions_by_class_when_asked(portfolio: Trajectories) -> None:
    tr = transitions(portfolio, by="class")
    assert tr.states[:2] == ("absent", "none") and "maju" in tr.states


def test_a_period_without_assessments_is_refused_with_the_ones_there(
        portfolio: Trajectories) -> None:
    with pytest.raises(InputError, match=r"no group is assessed in 2022Q4.*2023Q1, "
                       r"2023Q2"):
        transitions(portfolio, "2022Q4")


def test_cohorts_group_by_formation_year_unknown_last(
        portfolio: Trajectories) -> None:
    found = cohorts(portfolio)
    assert [(c.year, c.groups) for c in found] == [
        (2019, ["same"]), (2021, ["down", "up"]), (None, ["gone", "late"])]
    c2021 = found[1]
    assert (c2021.stages, c2021.regressed) == ({"growth": 1, "strengthening": 1}, 1)


def test_no_cohorts_without_a_formation_field() -> None:
    t = score_history(history("P", ["2020"], {"plan_learning": 50}), "poktan-2018")
    assert cohorts(t) == []


def test_regressing_and_stagnating_lists_name_the_groups(
        portfolio: Trajectories) -> None:
    assert [(r.group, r.criteria) for r in portfolio.regressions()] == [
        ("down", ("admin_books",))]
    long = score_history(history("stuck", quarters(2023, 6), GROWTH), "ppmk-ksm")
    assert [s.group for s in long.stagnating()] == ["stuck"]
