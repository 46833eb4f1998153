"""Limits: each has a default, can be raised, and its error names it and the option.
(The hostile corpus in tests/hostile drives each limit with a file built to pass
it; these are the unit-level checks.)"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError
from kematangan.io import DEFAULT_LIMITS, Limits, parse_limits, read_table
from kematangan.io.limits import LIMIT_HELP, limit_error


def test_every_limit_is_described() -> None:
    assert set(LIMIT_HELP) == {f.name for f in dataclasses.fields(Limits)}


@pytest.mark.parametrize("value", [0, -1, True, "1", float("nan")])
def test_a_limit_must_be_a_positive_number(value: object) -> None:
    with pytest.raises(ValueError, match="max_rows must be a positive number"):
        Limits(max_rows=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "name", "value"), [
    ("max_file_bytes=2GiB", "max_file_bytes", 2 << 30),
    ("max_shared_strings_bytes=512 MiB", "max_shared_strings_bytes", 512 << 20),
    ("max_cell_chars=100_000", "max_cell_chars", 100_000),
    ("max_rows=1,000,000", "max_rows", 1_000_000),
    ("reader_seconds=0.5", "reader_seconds", 0.5),
])
def test_limits_are_parsed_from_name_value_texts(text: str, name: str,
                                                 value: float) -> None:
    limits = parse_limits([text])
    assert getattr(limits, name) == value
    assert limits.replace(**{name: getattr(DEFAULT_LIMITS, name)}) == DEFAULT_LIMITS


@pytest.mark.parametrize(("text", "message"), [
    ("max_cell_char=1",
     r"unknown limit 'max_cell_char=1' \(did you mean 'max_cell_chars'\?\)"),
    ("max_rows", "unknown limit"),
    ("max_rows=many", "must be a positive number"),
    ("max_rows=0", "must be a positive number"),
    ("max_rows=1.5", "must be a positive number"),
])
def test_bad_limit_text_says_what_to_write(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse_limits([text])
    assert caught.value.fix


def test_limit_error_names_the_limit_its_value_and_both_ways_to_raise_it() -> None:
    err = limit_error(Limits(max_columns=20), "max_columns", "a table of 30 columns")
    assert "max_columns = 20" in str(err)
    assert err.fix is not None
    assert "limits=Limits(max_columns=...)" in err.fix
    assert "--limit max_columns=..." in err.fix


def test_file_beyond_the_size_limit_is_refused_before_it_is_read(
        tmp_path: Path, ruleset: Ruleset) -> None:
    path = tmp_path / "ksm.csv"
    path.write_text("Kode KSM,Jumlah anggota\nA,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="max_file_bytes = 10"):
        read_table(path, ruleset, limits=Limits(max_file_bytes=10))
    assert len(read_table(path, ruleset)) == 1


def test_cell_longer_than_the_limit_is_cut_and_reported(tmp_path: Path,
                                                        ruleset: Ruleset) -> None:
    path = tmp_path / "ksm.csv"
    path.write_text("Kode KSM,Jumlah anggota,Catatan\nA,1," + "x" * 50 + "\n",
                    encoding="utf-8")
    table = read_table(path, ruleset, limits=Limits(max_cell_chars=20))
    assert table.passthrough["Catatan"][0] == "x" * 20
    (issue,) = table.issues
    assert (issue.row, issue.column, issue.code, issue.severity) == (
        2, "Catatan", "cell_too_long", "note")  # no field reads the column
    assert "50 characters" in issue.problem()


def test_too_many_data_rows_is_refused(tmp_path: Path, ruleset: Ruleset) -> None:
    path = tmp_path / "ksm.tsv"
    path.write_text("Kode KSM\tJumlah anggota\n" + "A\t1\n" * 5, encoding="utf-8")
    with pytest.raises(InputError, match=r"5 data rows \(at least\).*max_rows = 4"):
        read_table(path, ruleset, limits=Limits(max_rows=4))


def test_helper_process_out_of_time_is_an_error_naming_reader_seconds(
        data_dir: Path, ruleset: Ruleset) -> None:
    with pytest.raises(InputError, match="reader_seconds") as caught:
        read_table(data_dir / "ksm.xls", ruleset,
                   limits=Limits(reader_seconds=0.001))
    assert caught.value.fix is not None
