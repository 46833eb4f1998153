"""The column mapping: how field staff write headers, guesses that are reported,
ambiguity that is listed, and what the user says (--map, mapping files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError
from kematangan.io import UserMapping, map_columns, read_table
from kematangan.io.headers import HeaderMatcher
from kematangan.io.matching import normal_form
from tests.io.conftest import MakeFile


@pytest.fixture(scope="module")
def matcher(ruleset: Ruleset) -> HeaderMatcher:
    return HeaderMatcher(ruleset)


@pytest.mark.parametrize(("header", "field"), [
    ("Jml angg.", "members"),  # abbreviations
    ("Anggota, jumlah (org)", "members"),  # word order, a unit
    ("Buku adm. tertib", "admin_books_kept"),  # a note in brackets in the label
    ("Angg. menabung", "members_saving"),
    ("Pelatihan 12 bln", "trainings_last_12_months"),
    ("Number of member", "members"),  # an English label, singular
    ("anggota-anggota jumlah", "members"),  # a repeated word
])
def test_headers_written_another_way_match_by_their_words(
        matcher: HeaderMatcher, header: str, field: str) -> None:
    (column,) = matcher.match([header]).columns
    assert (column.status, column.field, column.how) == ("mapped", field, "normalised")


def test_normal_form_ignores_case_order_and_abbreviations() -> None:
    assert normal_form("Jml. Angg.") == normal_form("anggota JUMLAH")


@pytest.mark.parametrize(("header", "field"), [
    ("Rapat 3 bln terakhir", "meetings_last_3_months"),
    ("Pasar tetap", "market_access"),
    ("Modal PPMK", "ppmk_capital_added"),
])
def test_an_unambiguous_guess_is_taken_and_said_to_be_one(
        matcher: HeaderMatcher, ruleset: Ruleset, header: str, field: str) -> None:
    mapping = matcher.match(["Kode KSM", header])
    assert (mapping.columns[1].field, mapping.columns[1].how) == (field, "fuzzy")
    (note,) = [p for p in mapping.problems(ruleset) if p.code == "fuzzy_column"]
    assert "tebakan" in note.problem("id") and "guess" in note.problem("en")


def test_an_ambiguous_header_lists_its_candidates_and_chooses_none(
        matcher: HeaderMatcher, ruleset: Ruleset) -> None:
    mapping = matcher.match(["Dibentuk lewat rembug warga"])
    (column,) = mapping.columns
    assert column.status == "unmatched"
    assert {"formed_participatory", "cadres_chosen_by_musyawarah"} <= set(
        column.candidates)
    (p,) = [p for p in mapping.problems(ruleset) if p.column == column.header]
    assert p.code == "ambiguous_column"
    assert "formed_participatory (Dibentuk secara partisipatif)" in p.problem("id")


def test_two_columns_guessing_one_field_get_neither(matcher: HeaderMatcher) -> None:
    mapping = matcher.match(["Pasar tetap", "Akses pasar tetap kelompok"])
    assert [c.status for c in mapping.columns] == ["unmatched", "unmatched"]
    assert all(c.candidates == ("market_access",) for c in mapping.columns)


def test_a_header_with_words_no_field_knows_is_not_guessed(
        matcher: HeaderMatcher) -> None:
    (column,) = matcher.match(["Jenis usaha"]).columns
    assert column.status == "unmatched"


@pytest.mark.parametrize(("header", "why"), [
    ("No", "number"), ("No.", "number"), ("Nomor urut", "number"),
    ("Ket.", "notes"), ("Keterangan", "notes"), ("Catatan", "notes"),
    ("_uuid", "form"), ("_submission_time", "form"), ("meta/instanceID", "form"),
])
def test_number_notes_and_form_columns_are_ignored_on_purpose(
        matcher: HeaderMatcher, header: str, why: str) -> None:
    (column,) = matcher.match([header]).columns
    assert (column.status, column.how) == ("ignored", why)


def test_every_column_is_in_exactly_one_state_and_every_field_accounted_for(
        matcher: HeaderMatcher, ruleset: Ruleset) -> None:
    mapping = matcher.match(["No", "Kode KSM", "Jml angg.", "Kelurahan", "anggota"])
    assert [c.status for c in mapping.columns] == [
        "ignored", "mapped", "mapped", "unmatched", "ignored"]
    assert set(mapping.column_of) | set(mapping.missing) == {
        ruleset.group_id.field, *(f.id for f in ruleset.fields)}


def test_a_missing_field_names_the_criteria_and_stage_it_leaves_unknown(
        matcher: HeaderMatcher, ruleset: Ruleset) -> None:
    mapping = matcher.match(["Kode KSM"])
    (p,) = [p for p in mapping.problems(ruleset) if p.field == "admin_books_kept"]
    assert p.code == "missing_gate_field"
    assert p.problem("id") == (
        "tidak ada kolom untuk Buku administrasi (anggota dan keuangan) tertib "
        "(admin_books_kept); jadi belum diketahui: Administrasi kelompok tertib; "
        "syarat tahap Penguatan tidak dapat dinilai")
    assert "admin_books_kept" in mapping.gate_fields_missing(ruleset)


def test_a_field_another_column_stands_in_for_is_not_called_unknown(
        matcher: HeaderMatcher, ruleset: Ruleset) -> None:
    # regression: business_plan_current reads coalesce(months_between(
    # business_plan_reviewed_on, assessed_on), business_plan_months_since_review);
    # a sheet with the months column only must not be told the criterion is unknown
    headers = [f.id for f in ruleset.fields
               if f.id not in ("business_plan_reviewed_on", "assessed_on")]
    mapping = matcher.match(["group_id", *headers])
    found = {p.field: p for p in mapping.problems(ruleset) if p.field}
    p = found["business_plan_reviewed_on"]
    assert (p.code, p.severity) == ("missing_field_covered", "note")
    assert "another column stands in for it in:" in p.problem("en")
    assert mapping.gate_fields_missing(ruleset) == []
    without_months = matcher.match(["group_id", *(
        h for h in headers if h != "business_plan_months_since_review")])
    codes = {p.field: p.code for p in without_months.problems(ruleset) if p.field}
    assert codes["business_plan_months_since_review"] in (
        "missing_field", "missing_gate_field")
    assert codes["business_plan_reviewed_on"] in ("missing_field", "missing_gate_field")


def test_the_users_mapping_comes_before_any_match(ruleset: Ruleset) -> None:
    user = {"Rapat 3 bln terakhir": "meetings_last_3_months", "Anggota": None}
    mapping = HeaderMatcher(ruleset, user).match(["Rapat 3 bln terakhir", "Anggota"])
    assert [(c.status, c.field, c.how) for c in mapping.columns] == [
        ("mapped", "meetings_last_3_months", "user"), ("ignored", None, "user")]


@pytest.mark.parametrize(("entries", "message"), [
    ({"Rapat": "meetings_last_3_month"}, "did you mean 'meetings_last_3_months'"),
    ({"Rapat": "rapat"}, "which the ruleset does not have"),
    ({"A": "members", "B": "members"}, "two columns"),
])
def test_a_mapping_that_names_no_field_is_an_error(
        ruleset: Ruleset, entries: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        UserMapping(dict(entries)).check(ruleset)


def test_a_mapping_that_names_no_column_is_an_error_with_a_suggestion(
        make_csv: MakeFile, ruleset: Ruleset) -> None:
    path = make_csv([["Kode KSM", "Rapat 3 bln terakhir"], ["A", "3"]])
    with pytest.raises(InputError, match="did you mean 'Rapat 3 bln terakhir'"):
        read_table(path, ruleset, mapping={"Rapat 3 bulan terakir": "members"})


def test_map_options_read_header_equals_field() -> None:
    m = UserMapping.from_options(["Rapat = 3=meetings_last_3_months", "Ket=abaikan"])
    assert m.columns == {"Rapat = 3": "meetings_last_3_months", "Ket": None}
    with pytest.raises(InputError, match="HEADER=FIELD"):
        UserMapping.from_options(["Rapat"])


def test_yaml_mapping_file_gives_columns_and_fields(tmp_path: Path) -> None:
    path = tmp_path / "peta.yaml"
    path.write_text('columns:\n  "Rapat 3 bln": meetings_last_3_months\n'
                    '  Kelurahan: abaikan\n  Ketua: ""\nfields:\n'
                    '  market_access: "Pasar tetap"\n  members: ""\n',
                    encoding="utf-8")
    assert UserMapping.load(path).columns == {
        "Rapat 3 bln": "meetings_last_3_months", "Kelurahan": None,
        "Pasar tetap": "market_access"}


def test_two_column_sheet_is_a_mapping_file(tmp_path: Path, make_xlsx: MakeFile
                                            ) -> None:
    path = make_xlsx([["kolom", "data"], ["Rapat 3 bln", "meetings_last_3_months"],
                      ["Kelurahan", "ignore"]], name="peta.xlsx")
    assert UserMapping.load(path).columns == {
        "Rapat 3 bln": "meetings_last_3_months", "Kelurahan": None}


@pytest.mark.parametrize("text", ["- a\n- b\n", "columns: [1, 2]\n", "a: b: c\n"])
def test_a_malformed_mapping_file_is_one_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "peta.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="mapping file"):
        UserMapping.load(path)


def test_map_columns_renames_a_dataframes_headers_and_keeps_its_index() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"Kode KSM": ["A", "B"], "Jml angg.": [12, 3],
                       "Kelurahan": ["X", "Y"]}, index=[10, 20])
    found = map_columns(df, "ppmk-ksm")
    assert list(found.data.columns) == ["group_id", "members"]
    assert found.data.index.tolist() == [10, 20]
    assert [c.header for c in found.mapping.unmatched] == ["Kelurahan"]


def test_map_columns_takes_records_and_a_mapping(ruleset: Ruleset) -> None:
    found = map_columns([{"Rapat": 3}, {"Rapat": 1, "Kode KSM": "B"}], ruleset,
                        mapping={"Rapat": "meetings_last_3_months"})
    assert found.data == [{"meetings_last_3_months": 3},
                          {"meetings_last_3_months": 1, "group_id": "B"}]
