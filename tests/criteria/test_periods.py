"""Period labels: the forms read, their place in a cadence, their dates."""

from __future__ import annotations

import datetime as dt

import pytest

from kematangan.criteria.periods import Period, month_index, parse_period


@pytest.mark.parametrize(("text", "label"), [
    ("2024Q3", "2024Q3"), ("2024-q3", "2024Q3"), ("2024 Q3", "2024Q3"),
    ("Q3 2024", "2024Q3"), ("Q3-2024", "2024Q3"), ("TW III 2024", "2024Q3"),
    ("Triwulan 3 2024", "2024Q3"), ("trw 4 2023", "2023Q4"), ("2024-09", "2024-09"),
    ("2024/9", "2024-09"), ("09/2024", "2024-09"), ("2024", "2024"),
])
def test_period_forms_are_read(text: str, label: str) -> None:
    assert parse_period(text).label == label


@pytest.mark.parametrize("text", ["2024Q5", "2024-13", "Q0 2024", "24Q1", "", "x"])
def test_what_is_not_a_period_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a period"):
        parse_period(text)


def test_a_month_falls_in_its_quarter_and_year() -> None:
    month = parse_period("2024-08")
    assert month.within("quarter").label == "2024Q3"
    assert month.within("year").label == "2024"


def test_a_year_holds_no_single_quarter() -> None:
    with pytest.raises(ValueError, match="longer than a quarter"):
        parse_period("2024").within("quarter")


def test_consecutive_periods_differ_by_one_across_a_year() -> None:
    assert parse_period("2025Q1").ordinal - parse_period("2024Q4").ordinal == 1
    assert Period.of(parse_period("2024Q4").ordinal + 1, "quarter").label == "2025Q1"


def test_a_period_is_dated_by_its_last_day() -> None:
    assert parse_period("2024Q1").last_day == dt.date(2024, 3, 31)
    assert parse_period("2024-02").last_day == dt.date(2024, 2, 29)
    assert parse_period("2023").first_day == dt.date(2023, 1, 1)


def test_a_date_falls_in_one_period_of_each_cadence() -> None:
    day = dt.date(2024, 11, 2)
    assert [Period.containing(day, c).label for c in ("month", "quarter", "year")] == [
        "2024-11", "2024Q4", "2024"]


def test_months_between_dates_count_calendar_months() -> None:
    assert month_index(dt.date(2024, 3, 31)) - month_index(dt.date(2023, 3, 1)) == 12
