"""Which ruleset of a family applies on an assessment date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kematangan import RulesetError, load_ruleset, select_ruleset
from kematangan.criteria.validity import family_of, family_rulesets, valid_on


def _dated(rs_id: str, **update: Any) -> Any:
    return load_ruleset(rs_id).model_copy(update=update)


def test_poktan_schemes_meet_on_the_day_the_2018_guideline_applies() -> None:
    assert select_ruleset("poktan-2018", dt.date(2018, 1, 31)).id == "poktan-legacy"
    assert select_ruleset("poktan-2018", dt.date(2018, 2, 1)).id == "poktan-2018"


def test_either_scheme_finds_the_other_by_family() -> None:
    assert select_ruleset("poktan-legacy", dt.date(2020, 6, 30)).id == "poktan-2018"


def test_a_ruleset_without_family_is_a_family_of_its_own() -> None:
    rs = load_ruleset("ppmk-ksm")
    assert family_of(rs) == "ppmk-ksm"
    assert select_ruleset(rs, dt.date(1999, 1, 1)) is rs


def test_validity_bounds_are_inclusive() -> None:
    rs = _dated("ppmk-ksm", valid_from=dt.date(2020, 1, 1),
                valid_until=dt.date(2020, 12, 31))
    assert [valid_on(rs, dt.date(2020, m, d)) for m, d in ((1, 1), (12, 31))] == [
        True, True]
    assert not valid_on(rs, dt.date(2021, 1, 1))


def test_no_ruleset_valid_names_the_family_date_and_known_rulesets() -> None:
    with pytest.raises(RulesetError, match=r"no ruleset of family 'poktan' is valid "
                       r"on 2017-06-30 \(period 2017Q2\); known: poktan-2018"):
        select_ruleset("poktan-2018", dt.date(2017, 6, 30), bundled=False,
                       period="2017Q2")


def test_a_given_ruleset_comes_before_a_bundled_one_of_its_family() -> None:
    mine = _dated("poktan-2018", id="poktan-2018-kab", version="1.0.0")
    assert select_ruleset(mine, dt.date(2024, 1, 1)) is mine
    # Dates it does not cover still find the bundled legacy scheme.
    assert select_ruleset(mine, dt.date(2017, 1, 1)).id == "poktan-legacy"


def test_two_given_rulesets_valid_on_one_date_are_an_error() -> None:
    a = _dated("poktan-2018", id="poktan-a")
    b = _dated("poktan-2018", id="poktan-b")
    with pytest.raises(RulesetError, match="'poktan-a' and 'poktan-b' of family "
                       "'poktan' are both valid on 2024-01-01"):
        select_ruleset([a, b], dt.date(2024, 1, 1))


def test_rulesets_of_two_families_are_refused() -> None:
    with pytest.raises(RulesetError, match="not versions of one instrument"):
        select_ruleset(["poktan-2018", "ppmk-ksm"], dt.date(2024, 1, 1))


def test_a_given_ruleset_replaces_the_bundled_one_with_its_id() -> None:
    mine, others = family_rulesets([_dated("poktan-2018", version="9.0.0")])
    assert [r.version for r in mine] == ["9.0.0"]
    assert [r.id for r in others] == ["poktan-legacy"]
