"""Fixtures for the tabular input/output tests.

Files are written by the tests themselves (xlsxwriter for .xlsx, a few lines of XML
for .ods). Two binary fixtures live in ``data/`` because no project dependency can
write them: ``ksm.xls`` (written once with xlwt 1.3.0) and ``encrypted.xlsx`` (a
two-row workbook encrypted with msoffcrypto-tool 6.1, password ``rahasia``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from kematangan.criteria import load_ruleset
from kematangan.criteria.ruleset import Ruleset
from tests.hostile import files

DATA = Path(__file__).parent / "data"

Rows = Sequence[Sequence[Any]]
MakeFile = Callable[..., Path]

EXTRA_FIELDS: list[dict[str, Any]] = [
    {"id": "formed_on", "type": "date", "label": "Tanggal pembentukan",
     "aliases": ["tgl bentuk"]},
    {"id": "business_type", "type": "category",
     "label": {"id": "Jenis usaha", "en": "Business type"},
     "categories": ["dagang", "jasa", "produksi", "Simpan Pinjam"]},
    {"id": "repayment_rate", "type": "number", "label": "Tingkat pengembalian",
     "min": 0, "max": 1},
]


@pytest.fixture(scope="session")
def ruleset() -> Ruleset:
    """The bundled ppmk-ksm ruleset."""
    return load_ruleset("ppmk-ksm")


@pytest.fixture(scope="session")
def extended(ruleset: Ruleset) -> Ruleset:
    """ppmk-ksm plus a date, a category and a fraction field (ppmk-ksm has none)."""
    data = ruleset.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["fields"] = data["fields"] + EXTRA_FIELDS
    return Ruleset.model_validate(data)


def write_xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    """A workbook with one sheet per entry; dates become date cells."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                           "strings_to_formulas": False,
                                           "strings_to_urls": False})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, value, date_format)
                else:
                    ws.write(r, c, value)
    book.close()
    return path


def write_ods(path: Path, sheets: dict[str, Rows]) -> Path:
    """A minimal OpenDocument spreadsheet (content.xml only)."""
    body = []
    for name, rows in sheets.items():
        body.append(f'<table:table table:name="{escape(name)}">')
        for row in rows:
            body.append("<table:table-row>")
            for v in row:
                if v is None:
                    body.append("<table:table-cell/>")
                elif isinstance(v, int | float) and not isinstance(v, bool):
                    body.append(f'<table:table-cell office:value-type="float" '
                                f'office:value="{v}"><text:p>{v}</text:p>'
                                "</table:table-cell>")
                else:
                    body.append('<table:table-cell office:value-type="string">'
                                f"<text:p>{escape(str(v))}</text:p>"
                                "</table:table-cell>")
            body.append("</table:table-row>")
        body.append("</table:table>")
    return files.ods(path, "".join(body))


def write_csv(path: Path, rows: Rows, *, delimiter: str = ",",
              encoding: str = "utf-8") -> Path:
    """Delimited text; every cell written as ``str``."""
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\r\n").writerows(
            [["" if v is None else str(v) for v in row] for row in rows])
    return path


@pytest.fixture
def make_xlsx(tmp_path: Path) -> MakeFile:
    """``make_xlsx(rows)`` or ``make_xlsx(sheets={...})``: a new .xlsx in tmp."""
    def make(rows: Rows | None = None, *, sheets: dict[str, Rows] | None = None,
             name: str = "ksm.xlsx") -> Path:
        return write_xlsx(tmp_path / name, sheets or {"Data": rows or []})
    return make


@pytest.fixture
def make_ods(tmp_path: Path) -> MakeFile:
    """``make_ods(rows)``: a new .ods in tmp."""
    def make(rows: Rows, *, name: str = "ksm.ods") -> Path:
        return write_ods(tmp_path / name, {"Data": rows})
    return make


@pytest.fixture
def data_dir() -> Path:
    """The folder of binary fixtures."""
    return DATA


@pytest.fixture
def make_csv(tmp_path: Path) -> MakeFile:
    """``make_csv(rows, delimiter=..., encoding=..., name=...)``: a new text file."""
    def make(rows: Rows, *, delimiter: str = ",", encoding: str = "utf-8",
             name: str = "ksm.csv") -> Path:
        return write_csv(tmp_path / name, rows, delimiter=delimiter,
                         encoding=encoding)
    return make
