"""Coverage-guided fuzzing of the readers with atheris (``pip install atheris``).

The first byte of each input picks the reader (CSV, TSV, JSON Lines, JSON, .xlsx
sheet XML, any bytes as .xlsx); the rest is the file. Any exception other than
InputError is a finding: atheris stops and writes the input to ``crash-*``.

    python bench/fuzz_readers.py -atheris_runs=200000 corpus/

The hypothesis targets in ``tests/io/test_fuzz.py`` cover the same readers in CI;
this is for long runs on demand. It prints what atheris prints; nothing here is a
benchmark figure.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

try:  # instrument kematangan's own code, so atheris is guided by its coverage
    import atheris  # type: ignore[import-not-found,import-untyped,unused-ignore]
except ImportError:
    sys.exit("needs atheris: pip install atheris")

with atheris.instrument_imports(include=["kematangan"]):
    from kematangan.criteria import load_ruleset
    from kematangan.errors import InputError
    from kematangan.io import Limits, read_table

RULESET = load_ruleset("ppmk-ksm")
LIMITS = Limits(max_cell_chars=2_000, max_record_chars=20_000, max_row_gap=1_000,
                max_columns=200, max_json_depth=16)
FOLDER = Path(tempfile.mkdtemp())
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = {"csv": b"Kode KSM;Jumlah anggota;Tunggakan\n",
        "tsv": b"Kode KSM\tJumlah anggota\tTunggakan\n",
        "jsonl": b'{"Kode KSM": "A", "Jumlah anggota": 3}\n',
        "json": b'[{"Kode KSM": "A", "Jumlah anggota": 3},'}


def _xlsx(sheet_xml: bytes) -> Path:
    import zipfile

    path = FOLDER / "f.xlsx"
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
            '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>')
    book = (f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Data" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/worksheets/sheet1.xml",
                   f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + sheet_xml
                   + b"</sheetData></worksheet>")
    return path


def one_input(data: bytes) -> None:
    """Read ``data`` as the file its first byte chooses."""
    if not data:
        return
    kinds = ["csv", "tsv", "jsonl", "json", "sheet", "xlsx"]
    kind, body = kinds[data[0] % len(kinds)], data[1:]
    if kind == "sheet":
        path = _xlsx(body)
    elif kind == "xlsx":
        path = FOLDER / "g.xlsx"
        path.write_bytes(body)
    else:
        path = FOLDER / f"f.{kind}"
        path.write_bytes(HEAD[kind] + body)
    try:
        read_table(path, RULESET, limits=LIMITS)
    except InputError:
        pass


def main() -> None:
    """Run atheris over :func:`one_input`."""
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
