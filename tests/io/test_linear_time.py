"""No pattern on user text can backtrack: each regular expression of kematangan.io
(and each one replaced by plain code) is fed a large adversarial input, and its time
is compared with the time for an input ten times smaller. Linear work gives a ratio
near 10, quadratic work near 100; the budget of 35 leaves room for a shared,
noisy machine. Ratios, not fixed times, so the test means the same everywhere.

The inputs are the ones that made the old patterns quadratic (a 60,000-digit cell
took 64 s, a 30,000-space header 22 s, 4,000 self-closing error cells 38 s) or are
built from the characters each pattern repeats.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kematangan.criteria import load_ruleset
from kematangan.criteria.ruleset import FieldSpec
from kematangan.io import (
    cells,
    dates,
    headers,
    matching,
    numbers,
    records,
    rows,
    sinks,
    values,
    write,
)
from kematangan.io.headers import HeaderMatcher, header_key, without_unit
from kematangan.io.limits import Limits
from kematangan.io.numbers import read_number, split_number
from kematangan.io.values import parse_column
from kematangan.io.xlsxpackage import Package, is_date_format
from kematangan.io.xlsxstream import XlsxSheet
from tests.hostile import files

BUDGET = 35.0
SMALL = 2_000

_RULESET = load_ruleset("ppmk-ksm")
_MEMBERS = _RULESET.field("members")
_DATE = FieldSpec.model_validate({"id": "d", "type": "date", "label": "D"})
_MATCHER = HeaderMatcher(_RULESET)


def _best(fn: Callable[[Any], Any], arg: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            fn(arg)
        best = min(best, time.perf_counter() - start)
    return best


def _number(text: str) -> Any:
    return read_number(text, _MEMBERS, None)


def _date(text: str) -> Any:
    return dates.read_date(text, _DATE, None)


def _simple_numbers(texts: list[str]) -> Any:
    return parse_column(texts, _MEMBERS, column="c", rows=np.arange(2, 4))


def _column(texts: list[str]) -> Any:
    return parse_column(texts, _MEMBERS, column="c", rows=np.arange(len(texts)))


def _error_cells(n: int, tmp: Path) -> Path:
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>K{r}</t></is>'
                   f'</c><c r="B{r}" t="e"/></row>' for r in range(2, n // 5 + 2))
    return files.xlsx(tmp / f"e{n}.xlsx", files.sheet(rows))


def _read_sheet(path: Path) -> None:
    with Package(path, Limits()) as package:
        for _ in XlsxSheet(package, package.sheets[0]).rows():
            pass


def _skip_json(text: str) -> Any:
    return records._ValueEnd().feed(text, 0)


Work = tuple[Callable[[Any], Any], Callable[[int, Path], Any]]

def _sort_one(text: str) -> Any:
    """One row of a single long cell, sorted as a row that may not be a group."""
    return rows.RowSorter(["Kode KSM", "x"], ["group_id", None], "group_id",
                          ["Kode KSM", "x"]).sort([text, text])


CASES: dict[str, Work] = {
    # numbers: the body check that replaced _BODY (60,000 digits took 64 s)
    "numbers.body digits": (_number, lambda n, t: "1" * n + "x"),
    "numbers.body separators": (_number, lambda n, t: "1.," * (n // 3) + "x"),
    "numbers._CURRENCY": (_number, lambda n, t: "Rp" + " " * n + "x"),
    "numbers._SPACE_GROUPS": (_number, lambda n, t: "1" + " 111" * (n // 4) + "x"),
    "numbers._EXPONENT": (_number, lambda n, t: "1" * n + "e"),
    "numbers._POINT_GROUPS": (_number, lambda n, t: "1" + ",111" * (n // 4) + ".1x"),
    "numbers._COMMA_GROUPS": (_number, lambda n, t: "1" + ".111" * (n // 4) + ",1x"),
    "numbers.split_number": (split_number, lambda n, t: "-" + "1" * n + "%"),
    # headers: without_unit replaced _TRAILING_BRACKET (30,000 spaces took 22 s)
    "headers.without_unit spaces": (without_unit, lambda n, t: " " * n + "x"),
    "headers.without_unit brackets": (without_unit, lambda n, t: "a (" + " " * n + ")"),
    "headers.field_for": (_MATCHER.field_for, lambda n, t: " " * n + "(x"),
    "headers._NON_ALNUM": (header_key, lambda n, t: "é-" * n),
    "cells._SPACES": (cells.clean_text, lambda n, t: "\u00a0a" * n + "x"),
    "dates._ISO": (_date, lambda n, t: "2024-1-1 1:1:1." + "1" * n),
    "dates._NUMERIC": (_date, lambda n, t: "1/1/2024 1:1" + "1" * n),
    "dates._DAY_MONTH_NAME": (_date, lambda n, t: "1 " + "a" * n + ". 2024x"),
    "dates._DAY_MONTH_NAME separators": (_date, lambda n, t: "1 maret" + "." * n + "x"),
    "dates._MONTH_NAME_DAY": (_date, lambda n, t: "a" * n + ". 1, 2024x"),
    "dates._COMPACT": (_date, lambda n, t: "2" * n),
    "dates._SERIAL_TEXT": (_date, lambda n, t: "45356," + "1" * n + "x"),
    "values._SIMPLE_NUMBER": (_simple_numbers,
                              lambda n, t: [" " * n + "1x", "1" * n + "x"]),
    # xlsx: an expat parser replaced _ERROR_CELL (4,000 such rows took 38 s)
    "xlsx self-closing error cells": (_read_sheet, _error_cells),
    "xlsxpackage.is_date_format": (is_date_format, lambda n, t: "[" * n + '"' * n),
    "records._OUTSIDE and _IN_STRING": (_skip_json,
                                        lambda n, t: "[" * n + "]" * n + ","),
    "write._BAD_SHEET_CHARS": (lambda s: write._BAD_SHEET_CHARS.sub("_", s),
                               lambda n, t: "[" * n),
    "sinks._THOUSANDS_SHAPED": (sinks._THOUSANDS_SHAPED.match,
                                lambda n, t: "1" * n + ".123x"),
    "matching._SPLIT and _REPEAT_TWO": (matching.words,
                                        lambda n, t: "a1" * n + " " + "b" * n + "2"),
    # a header line read with the wrong delimiter: one cell of many distinct words
    "matching.words distinct": (matching.words,
                                lambda n, t: ",".join(f"c{i}" for i in range(n))),
    "rows._TOTAL": (_sort_one, lambda n, t: "jumlah " + "1 " * n + "x"),
    "rows._NUMBERING": (_sort_one, lambda n, t: "(" * n + "1" * n),
    "rows._FOOTER": (_sort_one, lambda n, t: "ket" + " " * n + "x"),
    "rows._PLACE_DATE": (_sort_one, lambda n, t: "A, " + "." * n + " " * n + "x"),
    "rows._SIGNATURE": (_sort_one, lambda n, t: "(" + " " * n + "x"),
    "rows._NOT_KEY": (_sort_one, lambda n, t: "a-" * n + "x"),
    # a column read at once (plaincolumns): many cells, then one that is not plain
    "values plain column": (_column,
                            lambda n, t: ["-12,5"] * n + ["1" * n + ",5-"]),
}


def test_every_pattern_of_the_package_is_covered() -> None:
    names = {f"{m.__name__.rsplit('.', 1)[1]}.{k}" for m in
             (cells, dates, headers, matching, numbers, records, rows, sinks, values,
              write)
             for k, v in vars(m).items() if isinstance(v, re.Pattern)}
    covered = {name.split(" ")[0] for name in CASES}
    covered |= {"records._IN_STRING", "records._OUTSIDE", "matching._REPEAT_TWO"}
    assert names <= covered, sorted(names - covered)


@pytest.mark.parametrize("name", list(CASES))
def test_adversarial_input_takes_linear_time(name: str, tmp_path: Path) -> None:
    fn, make = CASES[name]
    small, big = make(SMALL, tmp_path), make(SMALL * 10, tmp_path)
    repeat = 1
    while _best(fn, small, repeat) < 2e-3 and repeat < 4096:
        repeat *= 2
    ratio = _best(fn, big, repeat) / _best(fn, small, repeat)
    assert ratio < BUDGET, f"{name}: 10x the input took {ratio:.0f}x the time"


def test_xlsx_package_is_read_without_regular_expressions() -> None:
    from kematangan.io import xlsxpackage, xlsxstream, xmlsafe

    for module in (xlsxpackage, xlsxstream, xmlsafe):
        assert not any(isinstance(v, re.Pattern) for v in vars(module).values())
