"""The hostile corpus: one row per kind of bad input and what it must end in.

A case makes its file in a folder and says what reading it must give: ``refused``
(an :class:`~kematangan.errors.InputError` matching ``message``; the CLI exits 1
with one ``error:`` line) or ``read`` (the rows are read, and the issues listed in
``issues`` are among the table's; the CLI exits 0 and lists them on the errors
sheet). ``area`` says what is hostile: ``data`` files here; rulesets and saved
models get rows of their own, with drivers of their own (see
:mod:`tests.hostile.harness`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.hostile import files as f

DATA = Path(__file__).resolve().parents[1] / "io" / "data"
GOOD_ROWS = f.table_rows()


@dataclass(frozen=True)
class Case:
    """One hostile input and the outcome it must have."""

    id: str
    make: Callable[[Path], Path]
    outcome: str
    """``refused`` or ``read``."""
    message: str = ""
    """Regular expression the error message must match (``refused``)."""
    issues: tuple[str, ...] = ()
    """Issue codes the table must have (``read``)."""
    rows: int | None = None
    """Data rows the table must have (``read``)."""
    limits: dict[str, Any] = field(default_factory=dict)
    """Limits to read with (``Limits(**limits)``; ``--limit`` on the CLI)."""
    area: str = "data"
    seconds: float = 20.0
    """Time the case may take (wall clock, generous: the machine is shared)."""


def _xlsx(name: str, rows: str, **kw: Any) -> Callable[[Path], Path]:
    return lambda d: f.xlsx(d / name, f.sheet(rows), **kw)


def _shared_bomb(d: Path) -> Path:
    path = f.xlsx(d / "sst-bom.xlsx", f.sheet(f.row(1, *f.HEADER) +
                                            '<row r="2"><c r="A2" t="s"><v>0</v></c>'
                                            "</row>"), shared_rel=True)
    f.big_member(path, "xl/sharedStrings.xml", f'<sst xmlns="{f.MAIN}">'.encode(),
                 b"<si><t>aaaaaaaaaaaaaaaa</t></si>", 6_000_000, b"</sst>")
    return path


def _lying(name: str, member: str, size: int, **kw: Any) -> Callable[[Path], Path]:
    """A package whose zip declares ``size`` uncompressed bytes for ``member``."""
    def make(d: Path) -> Path:
        path = f.xlsx(d / name, f.sheet(GOOD_ROWS), **kw)
        f.patch_sizes(path, member, size)
        return path
    return make


def _many_members(d: Path) -> Path:
    path = f.xlsx(d / "members.xlsx", f.sheet(GOOD_ROWS))
    f.patch_member_count(path, 65_535)  # 0xFFFF: a zip64 count would follow
    return path


def _big_directory(d: Path) -> Path:
    path = f.xlsx(d / "directory.xlsx", f.sheet(GOOD_ROWS))
    f.patch_directory_size(path, 50_000_000)
    return path


def _bad_crc(d: Path) -> Path:
    path = f.xlsx(d / "crc.xlsx", f.sheet(GOOD_ROWS * 50))
    f.flip_byte(path, "xl/worksheets/sheet1.xml")
    return path


def _truncated(d: Path) -> Path:
    path = f.xlsx(d / "cut.xlsx", f.sheet(GOOD_ROWS))
    path.write_bytes(path.read_bytes()[:-200])
    return path


def _docx(d: Path) -> Path:
    import zipfile

    path = d / "report.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return path


def _inline_cell(size: int) -> Callable[[Path], Path]:
    big = "x" * size
    return _xlsx("inline.xlsx", GOOD_ROWS + f.row(5, "KSM-09", 3, 0, big))


_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
           + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                     for i in range(9))
           + "]>")


def _styles(format_code: str) -> str:
    return (f'<?xml version="1.0"?><styleSheet xmlns="{f.MAIN}"><numFmts count="1">'
            f'<numFmt numFmtId="164" formatCode="{format_code}"/></numFmts>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>'
            "</styleSheet>")


def _ods(name: str, table: str, prolog: str = "") -> Callable[[Path], Path]:
    return lambda d: f.ods(d / name, table, prolog=prolog)


_ODS_HEAD = f.ods_row(*f.HEADER)


def _xls(name: str, record: bytes, offset: int, value: bytes) -> Callable[[Path], Path]:
    return lambda d: f.xls_patched(d / name, DATA / "ksm.xls", record, offset, value)


def _text(name: str, content: str | bytes, encoding: str = "utf-8"
          ) -> Callable[[Path], Path]:
    return lambda d: f.text(d / name, content, encoding)


_CSV_HEAD = ",".join(f.HEADER) + "\n"
_CSV_ROWS = "".join(f"KSM-{i:02d},{10 + i},0\n" for i in range(3))


def _jsonl(*lines: str) -> Callable[[Path], Path]:
    return _text("ksm.jsonl", "".join(line + "\n" for line in lines))


def _rec(i: int) -> str:
    return f'{{"Kode KSM": "KSM-{i:02d}", "Jumlah anggota": 12}}'


def _parquet(name: str, columns: dict[str, list[Any]]) -> Callable[[Path], Path]:
    def make(d: Path) -> Path:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table(columns), d / name)
        return d / name
    return make


def _parquet_cut(d: Path) -> Path:
    path = _parquet("cut.parquet", {"Kode KSM": ["A", "B"],
                                    "Jumlah anggota": [1, 2]})(d)
    path.write_bytes(path.read_bytes()[:-30])
    return path


CASES: list[Case] = [
    # --- .xlsx: grids that make a reader allocate, and bombs -------------------
    Case("xlsx-only-cell-at-XFD1048576", _xlsx("far.xlsx", f.row(1, *f.HEADER) +
         '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'), "refused",
         r"1,048,574 empty rows before row 1,048,576.*max_row_gap"),
    Case("xlsx-stray-cell-at-XFD", _xlsx("xfd.xlsx", GOOD_ROWS.replace(
         '<c r="C2"><v>0</v></c>', '<c r="C2"><v>0</v></c><c r="XFD2"><v>1</v></c>')),
         "read", issues=("extra_cells",), rows=3),
    Case("xlsx-shared-strings-bomb-192MB", _shared_bomb, "refused",
         r"sharedStrings.xml.*max_shared_strings_bytes"),
    Case("xlsx-shared-strings-declares-3.2GB", _lying(
         "sst-lie.xlsx", "xl/sharedStrings.xml", 3_200_000_000,
         shared=f'<sst xmlns="{f.MAIN}"><si><t>x</t></si></sst>'), "refused",
         r"3,200,000,000 bytes.*max_shared_strings_bytes"),
    Case("xlsx-sheet-declares-3.2GB", _lying(
         "sheet-bom.xlsx", "xl/worksheets/sheet1.xml", 3_200_000_000), "refused",
         r"3,200,000,000 bytes.*max_unzipped_bytes"),
    Case("xlsx-sheet-declares-fewer-bytes-than-it-has", _lying(
         "lie-small.xlsx", "xl/worksheets/sheet1.xml", 100), "refused",
         r"cannot be decompressed"),
    Case("xlsx-uniqueCount-4e9", _xlsx("count.xlsx", f.row(1, *f.HEADER) +
         '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>5</v></c></row>',
         shared=f'<sst xmlns="{f.MAIN}" count="4000000000" uniqueCount="4000000000">'
         "<si><t>KSM-01</t></si></sst>"), "read", rows=1),
    Case("xlsx-row-2000000000", _xlsx("r2e9.xlsx", GOOD_ROWS +
         '<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>'), "refused",
         r"numbered 2,000,000,000, past the last row"),
    Case("xlsx-row-jump-past-max_row_gap", _xlsx("gap.xlsx", GOOD_ROWS +
         f.row(200_000, "KSM-99", 1, 0)), "refused", r"max_row_gap"),
    Case("xlsx-row-jump-within-raised-limit", _xlsx("gap2.xlsx", GOOD_ROWS +
         f.row(120_000, "KSM-99", 1, 0)), "read", issues=(),
         rows=4, limits={"max_row_gap": 150_000}),
    Case("xlsx-rows-out-of-order", _xlsx("order.xlsx", GOOD_ROWS +
         f.row(3, "KSM-X", 1, 0)), "refused", r"row 3 comes after row 4"),
    Case("xlsx-row-number-not-a-number", _xlsx("rbad.xlsx", GOOD_ROWS +
         '<row r="x9"><c><v>1</v></c></row>'), "refused", r"a row is numbered 'x9'"),
    Case("xlsx-cell-outside-any-row", _xlsx("orphan.xlsx", GOOD_ROWS +
         '<c r="A9"><v>1</v></c>'), "refused", r"a cell is outside any row"),
    Case("xlsx-bad-values", _xlsx("values.xlsx", GOOD_ROWS + f.row(
         5, "KSM-05", inner='<c r="B5"><v>abc</v></c><c r="C5" t="b"><v>7</v></c>') +
         f.row(6, "KSM-06", inner='<c r="B6"><v>nan</v></c><c r="C6" t="zz"><v>1</v>'
               "</c>") +
         f.row(7, "KSM-07", inner='<c r="B7" t="s"><v>999999</v></c><c r="C7" t="s">'
               "<v>-1</v></c>") +
         f.row(8, "KSM-08", inner='<c r="B8" t="d"><v>not a date</v></c>'),
         shared=f'<sst xmlns="{f.MAIN}"><si><t>x</t></si></sst>'), "read",
         issues=("bad_cell",), rows=7),
    Case("xlsx-huge-column-ref", _xlsx("ref.xlsx", GOOD_ROWS.replace(
         '<c r="C2"><v>0</v></c>', '<c r="C2"><v>0</v></c><c r="ZZZZZZZZZZ2"><v>1</v>'
         "</c>")), "read", issues=("bad_cell_ref",), rows=3),
    Case("xlsx-one-huge-inline-cell-20MB", _inline_cell(20_000_000), "read",
         issues=("cell_too_long",), rows=4),
    Case("xlsx-4000-self-closing-error-cells", _xlsx("errors.xlsx", f.row(
         1, *f.HEADER) + "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>K{r}'
                                 f'</t></is></c><c r="B{r}" t="e"/></row>'
                                 for r in range(2, 4002))), "read", rows=4000),
    Case("xlsx-billion-laughs", lambda d: f.xlsx(d / "laughs.xlsx", f.sheet(
         GOOD_ROWS + f.row(5, "&i;"), prolog=_LAUGHS)), "refused",
         r"declares an XML document type"),
    Case("xlsx-external-entity", lambda d: f.xlsx(d / "xxe.xlsx", f.sheet(
         f.row(1, *f.HEADER) + f.row(2, "&x;"), prolog='<?xml version="1.0"?>'
         '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>')), "refused",
         r"declares an XML document type"),
    Case("xlsx-entity-bomb-in-shared-strings", _xlsx("sstlaugh.xlsx", GOOD_ROWS,
         shared=_LAUGHS + f'<sst xmlns="{f.MAIN}"><si><t>&i;</t></si></sst>'),
         "refused", r"sharedStrings.xml declares an XML document type"),
    Case("xlsx-sheet-xml-cut-off", lambda d: f.xlsx(
         d / "xmlcut.xlsx", f.sheet(GOOD_ROWS)[:-40]), "refused",
         r"is not well-formed XML"),
    Case("xlsx-not-xml", lambda d: f.xlsx(d / "notxml.xlsx", b"\x00\xff" * 500),
         "refused", r"is not well-formed XML"),
    Case("xlsx-zip-cut-off", _truncated, "refused", r"cannot read .* as a spreadsheet"),
    Case("xlsx-zip-bad-crc", _bad_crc, "refused", r"cannot be decompressed"),
    Case("xlsx-zip-declares-65535-members", _many_members, "read", rows=3),
    Case("xlsx-zip-directory-declares-50MB", _big_directory, "refused",
         r"list of parts takes 50,000,000 bytes"),
    Case("xlsx-zip-without-workbook", _docx, "refused", r"has no workbook part"),
    Case("xlsx-elements-nested-100000-deep", _xlsx("deep.xlsx", GOOD_ROWS + f.row(
         5, "KSM-05", inner='<c r="B5"><v>' + "<x>" * 100_000 + "</x>" * 100_000 +
         "7</v></c>")), "read", rows=4),
    Case("xlsx-format-code-1MB-unclosed", _xlsx("fmt.xlsx", GOOD_ROWS.replace(
         '<c r="B2">', '<c r="B2" s="1">'), styles=_styles("[" * 500_000 + "&quot;"
                                                          * 500_000)), "read", rows=3),
    Case("xlsx-formula-without-cached-value", _xlsx("formula.xlsx", GOOD_ROWS + f.row(
         5, "KSM-05", inner='<c r="B5"><f>SUM(B2:B4)</f></c>')), "read",
         issues=("formula_without_value",), rows=4),
    Case("xlsx-very-hidden-sheet-chosen", lambda d: f.xlsx(
         d / "hidden.xlsx", f.sheet(GOOD_ROWS), sheets='<sheet name="Data" '
         'sheetId="1" state="veryHidden" r:id="rId1"/>'), "read",
         issues=("very_hidden_sheet",), rows=3),
    Case("xlsx-blank-group-ids", _xlsx("blankid.xlsx", GOOD_ROWS + '<row r="5">'
         '<c r="B5"><v>4</v></c></row>'), "read", issues=("blank_group_id",), rows=4),
    Case("xlsx-cell-written-twice", _xlsx("twice.xlsx", GOOD_ROWS.replace(
         '<c r="C2"><v>0</v></c>', '<c r="C2"><v>0</v></c><c r="A2"><v>1</v></c>')),
         "read", issues=("duplicate_cell",), rows=3),
    Case("xlsx-20000-cells-in-a-row", _xlsx("wide.xlsx", GOOD_ROWS + "<row r=\"5\">"
         + "<c><v>1</v></c>" * 20_000 + "</row>"), "read", issues=("extra_cells",),
         rows=4),
    Case("xlsx-date1904-and-prefixed-names", lambda d: f.xlsx(
         d / "x1904.xlsx", f.sheet(GOOD_ROWS.replace("<c ", "<x:c ").replace(
             "</c>", "</x:c>").replace("<v>", "<x:v>").replace("</v>", "</x:v>"),
             root="x:worksheet", ns=f.MAIN).replace(
             "xmlns=", "xmlns:x=").replace("<sheetData>", "<x:sheetData>").replace(
             "</sheetData>", "</x:sheetData>").replace("<row", "<x:row").replace(
             "</row>", "</x:row>"), workbook_extra='<workbookPr date1904="1"/>'),
         "read", rows=3),
    # --- .xls and .ods: read by calamine in a helper process ---------------------
    Case("xls-dimensions-declare-4e9-rows", _xls(
         "dim.xls", bytes.fromhex("00020e00"), 4, b"\xf0\xff\xff\xff"), "refused",
         r"stopped the spreadsheet reader|reader_memory_bytes"),
    Case("xls-damaged", lambda d: f.text(d / "bad.xls", (DATA / "ksm.xls")
                                         .read_bytes()[:1500]),
         "refused", r"damaged|cannot read"),
    Case("ods-repeated-cells-98M", _ods("rep.ods", '<table:table table:name="Data">'
         + _ODS_HEAD + '<table:table-row table:number-rows-repeated="6000">'
         '<table:table-cell table:number-columns-repeated="16384" '
         'office:value-type="float" office:value="1"/></table:table-row>'
         "</table:table>"), "refused",
         r"stopped the spreadsheet reader|reader_memory_bytes|damaged",
         limits={"reader_memory_bytes": 512 << 20}),
    Case("ods-billion-laughs", _ods("laughs.ods", '<table:table table:name="Data">'
         + _ODS_HEAD + f.ods_row("&i;", 3) + "</table:table>",
         prolog=_LAUGHS.removeprefix('<?xml version="1.0"?>')), "read", rows=1),
    # --- CSV and TSV -----------------------------------------------------------
    Case("csv-60000-digit-cell", _text("digits.csv", _CSV_HEAD + _CSV_ROWS +
         "KSM-09," + "1" * 60_000 + ",0\n"), "read", issues=("not_a_number",),
         rows=4, limits={"max_cell_chars": 100_000}),
    Case("csv-30000-space-header", _text("spaces.csv", ",".join(f.HEADER) + "," +
         " " * 30_000 + "x\n" + _CSV_ROWS), "read", rows=3),
    Case("csv-header-30000-spaces-then-bracket", _text("bracket.csv", _CSV_HEAD[:-1]
         + ",Catatan" + " " * 30_000 + "(x\n" + _CSV_ROWS), "read", rows=3),
    Case("csv-cell-past-max_cell_chars", _text("long.csv", _CSV_HEAD + _CSV_ROWS +
         "KSM-09,1,0," + "y" * 100_000 + "\n"), "read", issues=("cell_too_long",),
         rows=4),
    Case("csv-field-past-the-csv-module-limit", _text("field.csv", _CSV_HEAD +
         _CSV_ROWS + 'KSM-09,1,"' + "y" * 200_000 + '"\nKSM-10,2,0\n'), "read",
         issues=("bad_row",), rows=5),
    Case("csv-unclosed-quote", _text("quote.csv", _CSV_HEAD + _CSV_ROWS +
         'KSM-09,"1,0\nKSM-10,2,0\n'), "read", issues=("bad_row",), rows=4),
    Case("csv-stray-quote", _text("stray.csv", _CSV_HEAD + _CSV_ROWS +
         'KSM-09,"1"2,0\nKSM-10,2,0\n'), "read", issues=("bad_row",), rows=5),
    Case("csv-5MB-line", _text("line.csv", _CSV_HEAD + _CSV_ROWS + "x," * 2_600_000
         + "\nKSM-10,2,0\n"), "read", issues=("line_too_long",), rows=5),
    Case("csv-1M-empty-fields", _text("fields.csv", _CSV_HEAD + _CSV_ROWS +
         "KSM-09,1,0" + "," * 1_000_000 + "z\n"), "read", issues=("extra_cells",),
         rows=4),
    Case("csv-20000-columns", _text("cols.csv", _CSV_HEAD[:-1] + "".join(
         f",c{i}" for i in range(20_000)) + "\n" + _CSV_ROWS), "refused",
         r"20,003 columns.*max_columns"),
    Case("csv-nul-bytes", _text("nul.csv", _CSV_HEAD.encode() + b"\x00\x01" * 100),
         "refused", r"binary file"),
    Case("csv-one-cp1252-byte", _text("cp.csv", _CSV_HEAD + _CSV_ROWS +
         "KSM-Caf\xe9,3,0\n", "latin-1"), "read", issues=("encoding", "not_utf8"),
         rows=4),
    Case("csv-utf16-odd-bytes", _text("u16.csv", b"\xff\xfe" + _CSV_HEAD.encode(
         "utf-16-le") + b"\x00\xd8A"), "refused", r"bytes that are not utf-16"),
    Case("csv-file-past-max_file_bytes", _text("size.csv", _CSV_HEAD + _CSV_ROWS),
         "refused", r"max_file_bytes", limits={"max_file_bytes": 20}),
    Case("csv-more-rows-than-max_rows", _text("rows.csv", _CSV_HEAD + _CSV_ROWS),
         "refused", r"max_rows", limits={"max_rows": 2}),
    Case("tsv-blank-group-ids", _text("ids.tsv", "\t".join(f.HEADER) + "\n\t3\t0\n"
         "KSM-01\t4\t0\n"), "read", issues=("blank_group_id",), rows=2),
    # --- JSON and JSON Lines ---------------------------------------------------
    Case("jsonl-line-nested-100000-deep", _jsonl(_rec(1), "[" * 100_000 +
         "]" * 100_000, _rec(3)), "read", issues=("too_deep",), rows=3,
         limits={"max_record_chars": 1_000_000}),
    Case("jsonl-record-nested-past-max_json_depth", _jsonl(
         '{"Kode KSM": "A", "x": ' + "[" * 70 + "]" * 70 + "}", _rec(2)), "read",
         issues=("too_deep",), rows=2),
    Case("json-item-nested-100000-deep", _text("deep.json", "[" + _rec(1) + ", " +
         "[" * 100_000 + "]" * 100_000 + ", " + _rec(3) + "]"), "read",
         issues=("too_deep",), rows=3),
    Case("json-bad-item-in-the-middle", _text("mid.json", "[" + _rec(1) +
         ', {"Kode KSM": }, ' + _rec(3) + "]"), "read", issues=("bad_json",),
         rows=3),
    Case("json-scalar-item", _text("scalar.json", "[" + _rec(1) + ", 7]"), "read",
         issues=("not_an_object",), rows=2),
    Case("json-list-not-closed", _text("open.json", "[" + _rec(1) + ", " +
                                       _rec(2)), "refused", r"not closed"),
    Case("jsonl-NaN", _jsonl('{"Kode KSM": "A", "Jumlah anggota": NaN}', _rec(2)),
         "read", issues=("json_nan",), rows=2),
    Case("jsonl-key-given-twice", _jsonl(
         '{"Kode KSM": "A", "Jumlah anggota": 1, "Jumlah anggota": 9}'), "read",
         issues=("duplicate_key",), rows=1),
    Case("jsonl-5000-digit-integer", _jsonl(_rec(1), '{"Kode KSM": "B", '
         '"Jumlah anggota": ' + "9" * 5000 + "}"), "read", issues=("bad_json",),
         rows=2),
    Case("jsonl-1e999", _jsonl(_rec(1), '{"Kode KSM": "B", "Jumlah anggota": 1e999}'),
         "read", issues=("not_a_number",), rows=2),
    Case("jsonl-20000-distinct-keys", _jsonl(*(
         f'{{"Kode KSM": "A{i}", "Jumlah anggota": 1, "k{i}": 1}}'
         for i in range(20_000))),
         "refused", r"max_columns", limits={"max_columns": 10_000}),
    Case("jsonl-5MB-line", _jsonl(_rec(1), '{"Kode KSM": "' + "z" * 5_000_000 + '"}',
                                  _rec(3)), "read", issues=("line_too_long",),
         rows=3),
    # --- Parquet -----------------------------------------------------------------
    Case("parquet-cut-off", _parquet_cut, "refused", r"Parquet"),
    Case("parquet-cell-past-max_cell_chars", _parquet("long.parquet", {
         "Kode KSM": ["A", "B"], "Jumlah anggota": [1, 2],
         "Catatan": ["ok", "w" * 50_000]}), "read",
         issues=("cell_too_long",), rows=2),
    Case("parquet-more-columns-than-max_columns", _parquet("wide.parquet", {
         "Kode KSM": ["A"], **{f"c{i}": [1] for i in range(50)}}), "refused",
         r"max_columns", limits={"max_columns": 20}),
]
