"""Reading cell values per field type: one table per type, then column behaviour."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest

from kematangan.criteria.ruleset import Ruleset
from kematangan.io.dates import read_date
from kematangan.io.numbers import read_number
from kematangan.io.values import (
    ColumnState,
    parse_column,
    parse_group_ids,
    read_boolean,
    read_category,
)

NAN = math.nan

# value, field, expected value (None = missing), expected code, expected severity
NUMBERS: list[tuple[Any, str, float | None, str, str | None]] = [
    ("12", "members", 12.0, "", None),
    (12.0, "members", 12.0, "", None),
    (7, "members", 7.0, "", None),
    ("5.0", "members", 5.0, "", None),  # an integer written as 5.0
    (" 12 ", "members", 12.0, "", None),  # stray spaces
    ("\u00a012\u00a0", "members", 12.0, "", None),  # non-breaking spaces
    ("-3", "members", -3.0, "", None),  # out of bounds: passed through
    ("\u22122", "members", -2.0, "", None),  # Unicode minus sign
    ("12,5", "business_plan_months_since_review", 12.5, "decimal_comma", "note"),
    ("0,75", "business_plan_months_since_review", 0.75, "decimal_comma", "note"),
    ("1.234,5", "business_plan_months_since_review", 1234.5, "decimal_comma", "note"),
    ("1,234.5", "business_plan_months_since_review", 1234.5, "thousands_separator",
     "note"),
    ("1.234.567", "members", 1234567.0, "thousands_separator", "note"),
    ("1,234,567", "members", 1234567.0, "thousands_separator", "note"),
    ("1 234", "members", 1234.0, "thousands_separator", "note"),
    ("1.234", "members", 1234.0, "separator_as_thousands", "note"),  # whole numbers
    ("1.234", "business_plan_months_since_review", None, "ambiguous_separator",
     "error"),
    ("1,234", "business_plan_months_since_review", None, "ambiguous_separator",
     "error"),
    ("12.5", "business_plan_months_since_review", 12.5, "", None),
    ("1e3", "business_plan_months_since_review", 1000.0, "", None),
    ("95%", "repayment_rate", 0.95, "percent_fraction", "note"),  # field max <= 1
    ("95%", "own_capital_growth_pct", 95.0, "percent_dropped", "note"),
    ("12,5 %", "own_capital_growth_pct", 12.5, "percent_dropped", "note"),
    ("20 orang", "members", 20.0, "unit_dropped", "note"),  # the field's unit
    ("20 kali", "members", None, "not_a_number", "error"),  # another unit
    ("Rp 1.500.000", "business_plan_months_since_review", 1500000.0, "currency",
     "note"),
    ("", "members", None, "", None),
    (None, "members", None, "", None),
    (NAN, "members", None, "", None),
    ("n/a", "members", None, "", None),
    ("NA", "members", None, "", None),
    ("null", "members", None, "", None),
    ("-", "members", None, "dash_missing", "note"),
    ("#N/A", "members", None, "excel_error", "error"),
    ("#DIV/0!", "members", None, "excel_error", "error"),
    ("#VALUE!", "members", None, "excel_error", "error"),
    ("dua belas", "members", None, "not_a_number", "error"),
    ("1.2.3", "members", None, "not_a_number", "error"),
    ("5.5", "members", None, "text_not_whole", "error"),
    (5.5, "members", None, "text_not_whole", "error"),
    (True, "members", None, "yes_no_not_number", "error"),
    (dt.date(2024, 3, 5), "members", None, "date_not_number", "error"),
    (math.inf, "members", None, "not_a_number", "error"),
]


@pytest.mark.parametrize(("value", "field", "expected", "code", "severity"), NUMBERS)
def test_number_cell_is_read_as_documented(
    extended: Ruleset, value: Any, field: str, expected: float | None, code: str,
    severity: str | None,
) -> None:
    reading = read_number(value, extended.field(field), None)
    assert (reading.value, reading.code, reading.severity) == (expected, code,
                                                               severity)


def test_every_number_issue_says_how_to_fix_it(extended: Ruleset) -> None:
    for value, field, _, _, severity in NUMBERS:
        reading = read_number(value, extended.field(field), None)
        if severity is not None:
            for lang in ("id", "en"):
                assert reading.problem(lang) and reading.fix(lang)


# value, expected (None = missing), code
BOOLEANS: list[tuple[Any, float | None, str]] = [
    ("ya", 1.0, ""), ("Ya", 1.0, ""), ("YA ", 1.0, ""), ("y", 1.0, ""),
    ("yes", 1.0, ""), ("true", 1.0, ""), ("TRUE", 1.0, ""), ("benar", 1.0, ""),
    ("ada", 1.0, ""), ("sudah", 1.0, ""), ("1", 1.0, ""), (1.0, 1.0, ""),
    (True, 1.0, ""),
    ("tidak", 0.0, ""), ("Tidak", 0.0, ""), ("tdk", 0.0, ""), ("no", 0.0, ""),
    ("false", 0.0, ""), ("salah", 0.0, ""), ("tidak ada", 0.0, ""),
    ("Tidak  Ada", 0.0, ""), ("belum", 0.0, ""), ("0", 0.0, ""), (0.0, 0.0, ""),
    (False, 0.0, ""),
    ("t", 0.0, "t_as_false"),  # t is tidak in Indonesian, true elsewhere: reported
    ("", None, ""), (None, None, ""), ("n/a", None, ""),
    ("-", None, "dash_missing"),
    ("#N/A", None, "excel_error"),
    ("mungkin", None, "not_boolean"),
    (2.0, None, "not_boolean"),
]


@pytest.mark.parametrize(("value", "expected", "code"), BOOLEANS)
def test_boolean_cell_is_read_as_documented(
    ruleset: Ruleset, value: Any, expected: float | None, code: str
) -> None:
    reading = read_boolean(value, ruleset.field("legal_standing"))
    assert (reading.value, reading.code) == (expected, code)


CATEGORIES: list[tuple[Any, str | None, str]] = [
    ("jasa", "jasa", ""),
    (" jasa ", "jasa", ""),
    ("Simpan Pinjam", "Simpan Pinjam", ""),
    ("JASA", "jasa", "category_case"),
    ("simpan  pinjam", "Simpan Pinjam", "category_case"),
    ("simpan-pinjam", "Simpan Pinjam", "category_case"),
    ("", None, ""),
    ("-", None, "dash_missing"),
    ("jsa", None, "unknown_category_close"),
    ("pertanian", None, "unknown_category"),
]


@pytest.mark.parametrize(("value", "expected", "code"), CATEGORIES)
def test_category_cell_is_read_as_documented(
    extended: Ruleset, value: Any, expected: str | None, code: str
) -> None:
    reading = read_category(value, extended.field("business_type"))
    assert (reading.value, reading.code) == (expected, code)


def test_unknown_category_suggests_the_closest_allowed_value(
    extended: Ruleset,
) -> None:
    reading = read_category("jsa", extended.field("business_type"))
    assert "did you mean 'jasa'?" in reading.problem()
    assert "'dagang'" in reading.fix()


def _day(text: str) -> int:
    return int(np.datetime64(text, "D").astype(np.int64))


DATES: list[tuple[Any, str | None, str]] = [
    (dt.date(2024, 3, 5), "2024-03-05", ""),
    (dt.datetime(2024, 3, 5, 14, 30), "2024-03-05", ""),
    ("2024-03-05", "2024-03-05", ""),
    ("2024-03-05T10:00:00", "2024-03-05", ""),
    ("2024/3/5", "2024-03-05", ""),
    ("25/12/2024", "2024-12-25", ""),
    ("25-12-2024", "2024-12-25", ""),
    ("25.12.2024", "2024-12-25", ""),
    ("05/03/2024", "2024-03-05", "date_day_first"),  # could be 3 May: reported
    ("05/03/24", "2024-03-05", "two_digit_year"),
    ("25/12/24", "2024-12-25", "two_digit_year"),
    ("5 Maret 2024", "2024-03-05", ""),
    ("5 Mar 2024", "2024-03-05", ""),
    ("17 Agustus 1945", "1945-08-17", ""),
    ("17-Agt-1945", "1945-08-17", ""),
    ("Selasa, 5 Maret 2024", "2024-03-05", ""),
    ("March 5, 2024", "2024-03-05", ""),
    ("5 Desember 2024", "2024-12-05", ""),
    ("20240305", "2024-03-05", "compact_date"),
    (45356, "2024-03-05", "excel_serial"),
    (45356.0, "2024-03-05", "excel_serial"),
    ("45356", "2024-03-05", "excel_serial"),
    ("", None, ""),
    ("-", None, "dash_missing"),
    ("31/02/2024", None, "not_a_date"),
    ("kemarin", None, "not_a_date"),
    ("5 Maretan 2024", None, "not_a_date"),
    (True, None, "not_a_date"),
]


@pytest.mark.parametrize(("value", "expected", "code"), DATES)
def test_date_cell_is_read_as_documented(
    extended: Ruleset, value: Any, expected: str | None, code: str
) -> None:
    reading = read_date(value, extended.field("formed_on"), None)
    want = None if expected is None else _day(expected)
    assert (reading.value, reading.code) == (want, code)


def test_group_ids_are_text_without_float_tails_or_blanks() -> None:
    got = parse_group_ids(["KSM-01", 12.0, 7, " KSM 02 ", "", None, NAN])
    assert got.tolist() == ["KSM-01", "12", "7", "KSM 02", None, None, None]


# --- columns ----------------------------------------------------------------------


def _rows(n: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    return np.arange(2, n + 2, dtype=np.int64)


def test_number_column_becomes_float64_with_nan_for_missing(
    ruleset: Ruleset,
) -> None:
    values, issues = parse_column(["12", 3.0, "", None], ruleset.field("members"),
                                  column="Anggota", rows=_rows(4))
    assert values.dtype == np.float64
    np.testing.assert_array_equal(values, [12.0, 3.0, NAN, NAN])
    assert issues == []


def test_boolean_column_becomes_float64_ones_and_zeros(ruleset: Ruleset) -> None:
    values, _ = parse_column(["ya", "tidak", ""], ruleset.field("legal_standing"),
                             column="Badan hukum", rows=_rows(3))
    np.testing.assert_array_equal(values, [1.0, 0.0, NAN])


def test_category_column_becomes_objects_with_none(extended: Ruleset) -> None:
    values, _ = parse_column(["jasa", "", "dagang"],
                             extended.field("business_type"), column="Jenis",
                             rows=_rows(3))
    assert values.dtype == object
    assert values.tolist() == ["jasa", None, "dagang"]


def test_date_column_becomes_datetime64_days_with_nat(extended: Ruleset) -> None:
    values, _ = parse_column(["2024-03-05", "", dt.date(2020, 1, 31)],
                             extended.field("formed_on"), column="Tgl",
                             rows=_rows(3))
    assert values.dtype == np.dtype("M8[D]")
    assert str(values[0]) == "2024-03-05"
    assert np.isnat(values[1])
    assert str(values[2]) == "2020-01-31"


def test_every_unusable_cell_is_its_own_error_with_its_row(ruleset: Ruleset) -> None:
    _, issues = parse_column(["12", "dua", "5", "dua"], ruleset.field("members"),
                             column="Anggota", rows=_rows(4))
    assert [(i.row, i.severity, i.value) for i in issues] == [
        (3, "error", "dua"), (5, "error", "dua")]


def test_a_kind_of_note_is_reported_once_per_column_with_a_count(
    ruleset: Ruleset,
) -> None:
    cells = ["12,5", "3", "7,25", "12,5"]
    _, issues = parse_column(cells, ruleset.field("business_plan_months_since_review"),
                             column="Umur RUK", rows=_rows(4))
    assert [(i.row, i.code, i.count, i.value) for i in issues] == [
        (2, "decimal_comma", 3, "12,5")]
    assert issues[0].column == "Umur RUK"
    assert issues[0].field == "business_plan_months_since_review"


def test_ambiguous_separator_follows_the_other_values_in_the_column(
    ruleset: Ruleset,
) -> None:
    spec = ruleset.field("business_plan_months_since_review")
    comma, _ = parse_column(["1.234", "2,5"], spec, column="c", rows=_rows(2))
    point, _ = parse_column(["1.234", "2.5"], spec, column="c", rows=_rows(2))
    assert comma[0] == 1234.0
    assert point[0] == 1.234


def test_ambiguous_separator_is_an_error_when_the_column_disagrees(
    ruleset: Ruleset,
) -> None:
    spec = ruleset.field("business_plan_months_since_review")
    values, issues = parse_column(["1.234", "2,5", "3.5"], spec, column="c",
                                  rows=_rows(3))
    assert math.isnan(values[0])
    assert [(i.row, i.code, i.severity) for i in issues if i.severity == "error"] == [
        (2, "ambiguous_separator", "error")]


def test_column_state_carries_the_separator_to_later_chunks(ruleset: Ruleset) -> None:
    spec = ruleset.field("business_plan_months_since_review")
    state = ColumnState()
    parse_column(["2,5"], spec, column="c", rows=_rows(1), state=state)
    later, issues = parse_column(["1.234"], spec, column="c", rows=_rows(1),
                                 state=state)
    assert later[0] == 1234.0
    assert issues[0].code == "separator_by_column"


def test_date_order_follows_the_other_values_in_the_column(
    extended: Ruleset,
) -> None:
    values, issues = parse_column(["12/25/2024", "03/05/2024"],
                                  extended.field("formed_on"), column="Tgl",
                                  rows=_rows(2))
    assert [str(v) for v in values] == ["2024-12-25", "2024-03-05"]
    assert {i.code for i in issues} == {"date_month_first"}


def test_yes_no_value_in_a_number_column_is_not_taken_for_one(
    ruleset: Ruleset,
) -> None:
    values, issues = parse_column([1, True], ruleset.field("members"), column="c",
                                  rows=_rows(2))
    assert values[0] == 1.0
    assert math.isnan(values[1])
    assert issues[0].code == "yes_no_not_number"
