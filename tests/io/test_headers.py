"""Matching input headers to ruleset fields, and finding the header row."""

from __future__ import annotations

import pytest

from kematangan.criteria.ruleset import Ruleset
from kematangan.io.headers import HeaderMatcher, column_letter, find_header_row


@pytest.fixture(scope="module")
def matcher(ruleset: Ruleset) -> HeaderMatcher:
    return HeaderMatcher(ruleset)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("members", "members"),  # field id
        ("Jumlah anggota", "members"),  # Indonesian label
        ("Number of members", "members"),  # English label
        ("jml anggota", "members"),  # alias
        ("JML. ANGGOTA", "members"),  # case and punctuation
        ("jumlah_anggota", "members"),  # underscores
        ("  Jumlah   Anggota ", "members"),  # stray spaces
        ("Jumlah ánggota", "members"),  # accents
        ("Kode KSM", "group_id"),  # group-id alias
        ("Kode/nama KSM", "group_id"),  # group-id label
    ],
)
def test_header_matches_id_label_or_alias_ignoring_case_and_punctuation(
    matcher: HeaderMatcher, header: str, field: str
) -> None:
    assert matcher.field_for(header) == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("grp_profil/members", "members"),
        ("grp_profil/sub/jumlah_anggota", "members"),
        ("profil-tunggakan", "arrears_instalments"),
    ],
)
def test_survey_group_paths_match_by_their_last_segment(
    matcher: HeaderMatcher, header: str, field: str
) -> None:
    assert matcher.field_for(header) == field


def test_trailing_unit_in_brackets_is_ignored(matcher: HeaderMatcher) -> None:
    assert matcher.field_for("Tunggakan (kali)") == "arrears_instalments"
    assert matcher.field_for("Jumlah anggota [orang]") == "members"


def test_header_of_no_field_matches_nothing(matcher: HeaderMatcher) -> None:
    assert matcher.field_for("Kelurahan") is None


def test_unmatched_header_suggests_the_closest_field(matcher: HeaderMatcher) -> None:
    match = matcher.match(["Kode KSM", "Jumlah anggotta", "Kelurahan"])
    assert [(c.header, c.candidates) for c in match.unmatched] == [
        ("Jumlah anggotta", ("members",)), ("Kelurahan", ())]


def test_blank_header_is_named_by_its_column_letter(matcher: HeaderMatcher) -> None:
    match = matcher.match(["Kode KSM", "", "Jumlah anggota"], first_column=2)
    assert match.names == ("Kode KSM", "column D", "Jumlah anggota")


def test_repeated_header_text_gets_a_numbered_name(matcher: HeaderMatcher) -> None:
    match = matcher.match(["Catatan", "Kode KSM", "Catatan"])
    assert match.names == ("Catatan", "Kode KSM", "Catatan (2)")


def test_second_column_for_a_field_is_a_duplicate_and_not_read(
    matcher: HeaderMatcher,
) -> None:
    match = matcher.match(["Jumlah anggota", "anggota"])
    assert match.fields == ("members", None)
    assert [(c.status, c.field, c.how) for c in match.columns] == [
        ("mapped", "members", "label"), ("ignored", "members", "duplicate")]


def test_fields_without_a_column_are_listed_as_missing(
    matcher: HeaderMatcher, ruleset: Ruleset
) -> None:
    match = matcher.match(["Kode KSM", "Jumlah anggota"])
    assert "members" not in match.missing
    assert len(match.missing) == len(ruleset.fields) - 1


def test_header_row_is_found_under_title_rows(matcher: HeaderMatcher) -> None:
    rows: list[list[object]] = [
        ["Quick Status KSM Kelurahan Sukamaju"],
        ["Triwulan III", "", ""],
        [],
        ["Kode KSM", "Jumlah anggota", "Tunggakan"],
        ["KSM-01", 12, 0],
    ]
    found = find_header_row(rows, matcher)
    assert found is not None
    assert found[0] == 3


def test_no_header_row_when_nothing_matches(matcher: HeaderMatcher) -> None:
    assert find_header_row([["Nama", "Alamat"], ["Budi", "Jl. Mawar"]], matcher) is None


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"),
                                               (701, "ZZ"), (702, "AAA")])
def test_column_letters_follow_spreadsheet_naming(index: int, letter: str) -> None:
    assert column_letter(index) == letter
