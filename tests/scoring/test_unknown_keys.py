"""Keys and columns that are not fields are reported, never silently ignored; a
DataFrame's index is kept."""

from __future__ import annotations

import pytest

from kematangan import Scorer, map_columns

SCORER = Scorer("ppmk-ksm")


def test_score_reports_a_key_that_is_no_field_with_a_suggestion() -> None:
    a = SCORER.score({"group_id": "A", "membres": 12, "ketua": "Siti"})
    assert [(p.code, p.column, p.severity) for p in a.issues] == [
        ("unknown_key_close", "membres", "note"), ("unknown_key", "ketua", "note")]
    assert a.issues[0].params["suggestion"] == "members"
    assert "mungkin maksudnya 'members'" in a.issues[0].problem("id")


def test_score_batch_reports_each_unknown_column_once_without_a_row() -> None:
    batch = SCORER.score_batch({"members": [3, 9], "Jumlah anggota": [3, 9]})
    assert [(p.code, p.row, p.column) for p in batch.issues] == [
        ("unknown_key", None, "Jumlah anggota")]
    assert batch.summary()["records_with_issues"] == 0
    assert batch.columns()["issues"].tolist() == [0, 0]


def test_score_batch_of_records_reports_keys_no_record_field_has() -> None:
    batch = SCORER.score_batch([{"members": 3}, {"members": 9, "anggota": 9}])
    assert [p.column for p in batch.issues] == ["anggota"]


def test_fields_and_the_group_id_are_not_reported() -> None:
    assert SCORER.score({"group_id": "A", "members": 3}).issues == []


def test_to_pandas_keeps_the_input_index_so_join_lines_up() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"Kode KSM": ["A", "B", "C"], "Jml angg.": [3, 12, 9]},
                      index=[101, 205, 307])
    mapped = map_columns(df, SCORER.ruleset)
    joined = df.join(SCORER.score_batch(mapped.data).to_pandas())
    assert joined["group_id"].tolist() == ["A", "B", "C"]
    assert joined.loc[205, "outcome.enough_members"] == "met"
