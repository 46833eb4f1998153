"""Fuzz targets, one per reader: any input ends in a table or an InputError, never
another exception.

They run at the ``default`` hypothesis profile in CI (a few dozen inputs each) and
at length with ``HYPOTHESIS_PROFILE=thorough``. Inputs are built from pieces that
matter to each reader (delimiters, quotes, brackets, XML markup, numbers and dates
in many shapes) and then cut, repeated and mixed, so the readers' edge cases are
reached quickly; ``bench/fuzz_readers.py`` feeds the same targets to atheris for
coverage-guided runs.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kematangan.criteria import load_ruleset
from kematangan.criteria.ruleset import FieldSpec, Ruleset
from kematangan.errors import InputError
from kematangan.io import Limits, read_table
from kematangan.io.dates import read_date
from kematangan.io.headers import HeaderMatcher
from kematangan.io.numbers import read_number
from kematangan.io.values import parse_column, read_boolean
from kematangan.io.write import escape_formula
from tests.hostile import files

RULESET: Ruleset = load_ruleset("ppmk-ksm")
LIMITS = Limits(max_cell_chars=2_000, max_record_chars=20_000, max_row_gap=1_000,
                max_columns=200, max_json_depth=16)
"""Small limits, so the fuzzer reaches them with small inputs."""

_TEXT_PIECES = ["Kode KSM", "Jumlah anggota", "Tunggakan", "KSM-01", "12", "1.234",
                "12,5", "-", "ya", "tidak", '"', '""', ",", ";", "\t", "|", "\n",
                "\r\n", "\r", " ", "\u00a0", "=1+1", "#N/A", "05/03/2024", "1e999",
                "9" * 30, "\x00", "é", "\ufeff", "(", ")", "[kali]"]
_JSON_PIECES = ["{", "}", "[", "]", ",", ":", '"Kode KSM"', '"Jumlah anggota"',
                '"KSM-01"', "12", "NaN", "Infinity", "-1e999", "null", "true", "\n",
                '"\\u0000"', '"\\ud800"', "9" * 40, " ", '{"a": [[[[[[[[[[1]]]]]]]]]]}']
_XML_PIECES = ['<row r="2">', "</row>", '<c r="A2" t="inlineStr"><is><t>', "</t></is>",
               "</c>", '<c r="B2">', "<v>", "</v>", '<c r="XFD2"', ' t="e"', ' t="s"',
               ' t="b"', ' t="d"', "/>", ">", "<f>SUM(A1)</f>", '<row r="1048577">',
               '<row r="0">', "&amp;", "&#0;", "&bogus;", "<![CDATA[x]]>", "<!-- -->",
               "12", "abc", "<x:c>", "</x:c>", '<row r="999">']


def _pieces(pieces: list[str], max_size: int = 60) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces) | st.text(max_size=4),
                    max_size=max_size).map("".join)


def _read(path: Path) -> None:
    try:
        table = read_table(path, RULESET, limits=LIMITS)
    except InputError as err:
        assert err.fix, err  # every refusal says what to do
        return
    assert len(table.row_numbers) == len(table)
    for values in table.columns.values():
        assert len(values) == len(table)


def _write(name: str, data: bytes) -> Path:
    folder = Path(tempfile.mkdtemp())
    path = folder / name
    path.write_bytes(data)
    return path


_SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow,
                                            HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(_pieces(_TEXT_PIECES), st.sampled_from(["utf-8", "cp1252", "utf-16"]),
       st.sampled_from(["ksm.csv", "ksm.tsv"]))
def test_delimited_text_reader(text: str, encoding: str, name: str) -> None:
    head = "Kode KSM;Jumlah anggota;Tunggakan\n"
    _read(_write(name, (head + text).encode(encoding, "replace")))


@_SETTINGS
@given(_pieces(_JSON_PIECES), st.sampled_from(["ksm.jsonl", "ksm.json"]))
def test_json_readers(text: str, name: str) -> None:
    head = '{"Kode KSM": "KSM-00", "Jumlah anggota": 3}'
    body = head + "\n" + text if name.endswith("l") else "[" + head + "," + text
    _read(_write(name, body.encode("utf-8", "surrogatepass")))


@_SETTINGS
@given(_pieces(_XML_PIECES, 40), st.booleans())
def test_xlsx_reader_on_sheet_xml(rows: str, prefixed: bool) -> None:
    folder = Path(tempfile.mkdtemp())
    xml = files.sheet(files.row(1, *files.HEADER) + rows)
    files.xlsx(folder / "ksm.xlsx", xml.encode("utf-8", "surrogatepass"),
               shared=f'<sst xmlns="{files.MAIN}"><si><t>x</t></si></sst>')
    _read(folder / "ksm.xlsx")


@_SETTINGS
@given(st.data())
def test_xlsx_reader_on_damaged_packages(data: st.DataObject) -> None:
    folder = Path(tempfile.mkdtemp())
    good = files.xlsx(folder / "ksm.xlsx", files.sheet(files.table_rows()),
                      shared=f'<sst xmlns="{files.MAIN}"><si><t>x</t></si></sst>',
                      styles=f'<styleSheet xmlns="{files.MAIN}"/>')
    raw = bytearray(good.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(raw) // 2, len(raw)))
    _read(_write("ksm.xlsx", bytes(raw[:cut])))


@_SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["ksm.parquet", "ksm.xlsx",
                                                 "ksm.ods", "ksm.csv"]))
def test_any_bytes_under_any_name(data: bytes, name: str) -> None:
    _read(_write(name, data))


@settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_calamine_helper_on_damaged_xls(data: st.DataObject) -> None:
    raw = bytearray((Path(__file__).parent / "data" / "ksm.xls").read_bytes())
    for _ in range(data.draw(st.integers(1, 30))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    _read(_write("ksm.xls", bytes(raw)))


_SPECS = [RULESET.field("members"),
          FieldSpec.model_validate({"id": "d", "type": "date", "label": "D"}),
          FieldSpec.model_validate({"id": "b", "type": "boolean", "label": "B"}),
          FieldSpec.model_validate({"id": "c", "type": "category", "label": "C",
                                    "categories": ["dagang", "jasa"]})]
_CELLS = (st.none() | st.booleans() | st.floats() | st.integers()
          | _pieces(_TEXT_PIECES, 8) | st.dates() | st.datetimes())


@_SETTINGS
@given(st.lists(_CELLS, min_size=1, max_size=20), st.sampled_from(_SPECS))
def test_cell_readers_read_any_cell(cells: list[Any], spec: FieldSpec) -> None:
    values, issues = parse_column(cells, spec, column="x",
                                  rows=np.arange(2, 2 + len(cells)))
    assert len(values) == len(cells)
    for issue in issues:
        assert issue.severity in ("error", "note") and issue.code


@_SETTINGS
@given(_CELLS)
def test_single_cell_readers_never_raise(cell: Any) -> None:
    read_number(cell, _SPECS[0], None)
    read_date(cell, _SPECS[1], None)
    read_boolean(cell, _SPECS[2])


@_SETTINGS
@given(st.lists(_pieces(_TEXT_PIECES, 10), max_size=30))
def test_header_matching_takes_any_header_row(headers: list[str]) -> None:
    match = HeaderMatcher(RULESET).match(headers)
    assert len(match.names) == len(headers) == len(set(match.names))


@_SETTINGS
@given(_pieces(_TEXT_PIECES, 10))
def test_escaped_text_never_starts_like_a_formula(text: str) -> None:
    out = escape_formula(text)
    assert out == text or out == "'" + text
    if out == text and text[:1] in ("=", "@", "\t", "\r"):
        raise AssertionError(text)
