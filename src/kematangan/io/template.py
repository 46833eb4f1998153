"""Write an empty data-entry workbook for a ruleset, ready for field staff.

The ``data`` sheet has one column per field, headed by the field's label (in
Indonesian by default) and unit, with drop-down lists for yes/no and category
fields, range checks for numbers, a date check for dates, a note on each header, and
one filled example row (recognised when read back, and not scored). The
``petunjuk`` sheet explains every column. Reading the template back with
:func:`~kematangan.io.read.read_table` matches every column.
"""

from __future__ import annotations

import datetime as dt
from os import PathLike
from pathlib import Path
from typing import Any

from kematangan.criteria.ruleset import FieldSpec, Ruleset
from kematangan.io.headers import column_letter

__all__ = ["header_text", "write_template"]

_LAST_ROW = 1_048_575
_TYPE_NAMES = {
    "id": {"number": "angka", "integer": "bilangan bulat", "boolean": "ya/tidak",
           "category": "pilihan", "date": "tanggal (dd/mm/yyyy)"},
    "en": {"number": "number", "integer": "whole number", "boolean": "yes/no",
           "category": "choice", "date": "date (dd/mm/yyyy)"},
}
_YES_NO = {"id": ["ya", "tidak"], "en": ["yes", "no"]}


def header_text(spec: FieldSpec, lang: str = "id") -> str:
    """The template header of a field: its label and, if it has one, its unit.

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> header_text(load_ruleset("ppmk-ksm").field("members"))
    'Jumlah anggota (orang)'
    """
    label = spec.label.get(lang)
    return f"{label} ({spec.unit})" if spec.unit else label


def _example_record(ruleset: Ruleset) -> dict[str, Any]:
    """The embedded test case with the most fields, for the example row."""
    best: dict[str, Any] = {}
    for case in ruleset.tests:
        if len(case.record) > len(best):
            best = dict(case.record)
    return best


def _example_value(spec: FieldSpec, given: Any, lang: str) -> Any:
    yes, no = _YES_NO[lang]
    if spec.type == "boolean":
        if given is None:
            return yes
        return yes if bool(given) else no
    if given is not None:
        return given
    if spec.type == "category":
        return (spec.categories or [""])[-1]
    if spec.type == "date":
        return dt.date.today()
    low = spec.min if spec.min is not None else 0.0
    high = spec.max if spec.max is not None else low + 10
    value = max(low, min(high, 1.0))
    return int(value) if spec.type == "integer" else value


def _range_text(spec: FieldSpec, lang: str) -> str:
    to = "sampai" if lang == "id" else "to"
    if spec.min is not None and spec.max is not None:
        return f"{_num(spec.min)} {to} {_num(spec.max)}"
    if spec.min is not None:
        return f">= {_num(spec.min)}"
    if spec.max is not None:
        return f"<= {_num(spec.max)}"
    return ""


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def write_template(
    path: str | PathLike[str], ruleset: Ruleset, *, lang: str = "id",
    example: bool = True,
) -> Path:
    """Write a data-entry workbook (.xlsx) for ``ruleset`` and return its path.

    Parameters
    ----------
    path
        Where to write; the suffix should be .xlsx.
    ruleset
        The ruleset whose fields become the columns.
    lang
        ``id`` (default) for Indonesian headers and help, ``en`` for English.
    example
        Whether to fill row 2 with an example group.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from kematangan.criteria import load_ruleset
    >>> from kematangan.io.read import read_table
    >>> rs = load_ruleset("ppmk-ksm")
    >>> out = write_template(pathlib.Path(tempfile.mkdtemp()) / "isian.xlsx", rs)
    >>> t = read_table(out, rs)
    >>> len(t), t.skipped.codes, t.missing_fields, t.errors
    (0, ('row_example',), (), [])
    """
    import xlsxwriter

    if lang not in _TYPE_NAMES:
        raise ValueError(f"lang must be 'id' or 'en', not {lang!r}")
    out = Path(path)
    book = xlsxwriter.Workbook(
        str(out), {"strings_to_numbers": False, "strings_to_formulas": False,
                   "strings_to_urls": False},
    )
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                            "bg_color": "#DDEBF7", "border": 1})
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    data = book.add_worksheet("data")
    help_sheet = book.add_worksheet("petunjuk" if lang == "id" else "guide")
    lists = _ChoiceSheet(book, "pilihan" if lang == "id" else "choices")
    yes, no = _YES_NO[lang]
    record = _example_record(ruleset) if example else {}
    types = _TYPE_NAMES[lang]

    gid = ruleset.group_id
    data.write_string(0, 0, gid.label.get(lang), head)
    data.set_column(0, 0, 18)
    if example:
        data.write_string(1, 0, "CONTOH-01" if lang == "id" else "EXAMPLE-01")
    help_rows: list[list[Any]] = [[
        gid.label.get(lang), gid.field, "teks" if lang == "id" else "text", "", "", "",
        "", "Kode atau nama kelompok" if lang == "id" else "Group code or name",
    ]]
    list_col = 0
    for col, spec in enumerate(ruleset.fields, start=1):
        header = header_text(spec, lang)
        data.write_string(0, col, header, head)
        data.set_column(col, col, min(max(14, len(header) // 2 + 4), 40),
                        date_fmt if spec.type == "date" else None)
        about = spec.description.get(lang) if spec.description else ""
        allowed = _range_text(spec, lang)
        choices: list[str] = []
        if spec.type == "boolean":
            choices = [yes, no]
        elif spec.type == "category":
            choices = list(spec.categories or [])
        note = "\n".join(x for x in (
            spec.label.get(lang), about,
            f"{types[spec.type]}" + (f", {spec.unit}" if spec.unit else ""),
            allowed, ", ".join(choices),
        ) if x)
        data.write_comment(0, col, note, {"x_scale": 2, "y_scale": 2})
        validation = _validation(spec, lang, choices, lists, list_col)
        if spec.type == "category" and choices:
            list_col += 1
        if validation is not None:
            data.data_validation(1, col, _LAST_ROW, col, validation)
        if example:
            value = _example_value(spec, record.get(spec.id), lang)
            if isinstance(value, dt.date):
                data.write_datetime(1, col, value, date_fmt)
            elif isinstance(value, str):
                data.write_string(1, col, value)
            else:
                data.write_number(1, col, value)
        help_rows.append([
            header, spec.id, types[spec.type], spec.unit or "",
            "" if spec.min is None else spec.min, "" if spec.max is None else spec.max,
            ", ".join(choices), about,
        ])
    data.freeze_panes(1, 1)
    data.set_row(0, 45)

    titles = (["Kolom", "Kode field", "Jenis", "Satuan", "Minimum", "Maksimum",
               "Pilihan", "Keterangan"] if lang == "id" else
              ["Column", "Field id", "Type", "Unit", "Minimum", "Maximum",
               "Choices", "Description"])
    help_sheet.write_string(0, 0, f"{ruleset.title.get(lang)} ({ruleset.id} "
                                  f"{ruleset.version})", head)
    for j, title in enumerate(titles):
        help_sheet.write_string(2, j, title, head)
    for i, row in enumerate(help_rows, start=3):
        for j, value in enumerate(row):
            if isinstance(value, str):
                help_sheet.write_string(i, j, value)
            else:
                help_sheet.write_number(i, j, value)
    help_sheet.set_column(0, 0, 40)
    help_sheet.set_column(1, 1, 28)
    help_sheet.set_column(2, 6, 14)
    help_sheet.set_column(7, 7, 80)
    book.close()
    return out


class _ChoiceSheet:
    """A hidden sheet for drop-down lists too long to write inline, made when the
    first one needs it."""

    def __init__(self, book: Any, name: str) -> None:
        self.book = book
        self.name = name
        self.sheet: Any = None

    def write(self, col: int, choices: list[str]) -> str:
        if self.sheet is None:
            self.sheet = self.book.add_worksheet(self.name)
            self.sheet.hide()
        for i, c in enumerate(choices):
            self.sheet.write_string(i, col, c)
        letter = column_letter(col)
        return f"={self.name}!${letter}$1:${letter}${len(choices)}"


def _validation(spec: FieldSpec, lang: str, choices: list[str], lists: _ChoiceSheet,
                list_col: int) -> dict[str, Any] | None:
    """The data-validation settings for a field's column."""
    title = spec.label.get(lang)[:32]
    if choices:
        source: Any = choices
        if len(",".join(choices)) > 250:
            # Excel caps an inline list at 255 characters; longer lists live on the
            # hidden sheet and are referenced from there.
            source = lists.write(list_col, choices)
        message = ("Pilih dari daftar: " if lang == "id" else "Choose from: ") + \
            ", ".join(choices)
        return {"validate": "list", "source": source, "input_title": title,
                "input_message": message[:255], "error_title": title,
                "error_message": message[:255]}
    if spec.type == "date":
        message = ("Tulis tanggal, misalnya 05/03/2024" if lang == "id"
                   else "Write a date, e.g. 05/03/2024")
        return {"validate": "date", "criteria": ">=",
                "value": dt.date(1900, 1, 1), "input_title": title,
                "input_message": message, "error_title": title,
                "error_message": message}
    if spec.type in ("number", "integer"):
        kind = "integer" if spec.type == "integer" else "decimal"
        low = spec.min if spec.min is not None else -1e15
        high = spec.max if spec.max is not None else 1e15
        what = (("Bilangan bulat" if spec.type == "integer" else "Angka")
                if lang == "id" else
                ("A whole number" if spec.type == "integer" else "A number"))
        rng = _range_text(spec, lang)
        unit = f" ({spec.unit})" if spec.unit else ""
        message = f"{what}{unit}" + (f": {rng}" if rng else "")
        return {"validate": kind, "criteria": "between", "minimum": low,
                "maximum": high, "input_title": title, "input_message": message,
                "error_title": title, "error_message": message,
                "error_type": "warning"}
    return None
