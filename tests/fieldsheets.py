"""Field sheets as district facilitators keep them, built by code (no binary
fixtures): the quarterly recap workbook of issue 11 and its variants, with the
clean sheet of the same data to compare against.

The recap (:func:`recap_workbook`) has two title rows, merged group headers over
the facilitator's own headers ("Rapat 3 bln terakhir", "Dibentuk lewat rembug
warga", "Buku adm. tertib", "RUK terakhir direvisi (bln lalu)", "Pasar tetap"), a
"(1) (2) (3)" numbering row, nine KSM with a blank row among them, a JUMLAH row and a
signature block. :data:`RECAP_MAPPING` is the mapping file a facilitator writes for
it; :func:`clean_sheet` is the same groups under the ruleset's own labels.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kematangan.criteria import load_ruleset
from kematangan.io.template import header_text

RULESET = load_ruleset("ppmk-ksm")

NAMES = ["KSM Mawar", "KSM Melati", "KSM Anggrek", "KSM Kenanga", "KSM Dahlia",
         "KSM Teratai", "KSM Cempaka", "KSM Flamboyan", "KSM Kamboja"]


def _record(i: int) -> dict[str, Any]:
    """Group ``i``'s values: the first groups strong, the last weak, each a bit
    different, so they reach different stages."""
    strong = i < 4
    mid = i < 7
    return {
        "group_id": NAMES[i],
        "formed_participatory": i != 8,
        "members": [24, 18, 15, 12, 11, 9, 8, 6, 4][i],
        "members_voluntary": i != 7,
        "meetings_last_3_months": [6, 5, 4, 3, 3, 2, 1, 3, 0][i],
        **{f"basic_rule_{k}": i < 6 or k < 3 for k in range(1, 6)},
        "facilitator_visits_last_3_months": [4, 3, 3, 2, 2, 1, 1, 0, 0][i],
        "admin_books_kept": mid,
        "business_plan_months_since_review": [2.5, 6, 8, 11, 14, 20, 3, 30, 40][i],
        "works_with_other_groups": mid and i != 5,
        "revolving_fund_access": i != 8,
        "arrears_instalments": [0, 0, 1, 0, 2, 4, 0, 5, 0][i],
        "members_saving": [20, 15, 12, 9, 7, 4, 6, 2, 1][i],
        "trainings_last_12_months": [5, 4, 3, 2, 2, 1, 1, 0, 0][i],
        "activity_months": [48, 40, 30, 24, 18, 12, 10, 6, 3][i],
        "decisions_by_musyawarah": mid,
        "partnerships": [3, 2, 2, 1, 1, 0, 0, 0, 0][i],
        "market_access": strong,
        "ppmk_capital_added": strong,
    }


RECORDS = [_record(i) for i in range(len(NAMES))]
"""The nine KSM of the recap, as field id to value."""

_YES_NO = {True: "ya", False: "tidak"}

RECAP_COLUMNS: list[tuple[str, str | None]] = [
    ("No", None),
    ("Nama KSM", "group_id"),
    ("Ketua", None),
    ("Dibentuk lewat rembug warga", "formed_participatory"),
    ("Jml angg.", "members"),
    ("Anggota sukarela", "members_voluntary"),
    ("Rapat 3 bln terakhir", "meetings_last_3_months"),
    *((f"Aturan {k}", f"basic_rule_{k}") for k in range(1, 6)),
    ("Kunjungan pendamping", "facilitator_visits_last_3_months"),
    ("Buku adm. tertib", "admin_books_kept"),
    ("RUK terakhir direvisi (bln lalu)", "business_plan_months_since_review"),
    ("Kerja sama antarkelompok", "works_with_other_groups"),
    ("Pinjaman bergulir", "revolving_fund_access"),
    ("Tunggakan (kali)", "arrears_instalments"),
    ("Angg. menabung", "members_saving"),
    ("Pelatihan 12 bln", "trainings_last_12_months"),
    ("Lama usaha (bln)", "activity_months"),
    ("Keputusan musyawarah", "decisions_by_musyawarah"),
    ("Jumlah mitra", "partnerships"),
    ("Pasar tetap", "market_access"),
    ("Modal PPMK", "ppmk_capital_added"),
    ("Kelurahan", None),
    ("Ket.", None),
]
"""The recap's columns as the facilitator heads them, and the field each holds."""

RECAP_FIELDS = [f for _, f in RECAP_COLUMNS if f is not None and f != "group_id"]
MISSING_FIELDS = [f.id for f in RULESET.fields if f.id not in RECAP_FIELDS]
"""The six fields the recap has no column for."""

RECAP_MAPPING = """\
# Pemetaan kolom rekap triwulan III untuk ppmk-ksm
ruleset: ppmk-ksm
columns:
  "Dibentuk lewat rembug warga": formed_participatory
  "RUK terakhir direvisi (bln lalu)": business_plan_months_since_review
  "Ketua": abaikan
  "Kelurahan": abaikan
"""
"""The mapping file a facilitator completes for the recap."""

_GROUPS = [("KELEMBAGAAN", 3, 12), ("KEUANGAN DAN USAHA", 13, 24)]
"""Merged group headers over the second header row: (text, first, last column)."""

_KETUA = ["Bu Siti", "Pak Joko", "Bu Ani", "Pak Budi", "Bu Rina", "Pak Dedi",
          "Bu Tuti", "Pak Asep", "Bu Yati"]


def _cell(field: str | None, header: str, value: Any, i: int) -> Any:
    if field is None:
        return {"No": i + 1, "Ketua": _KETUA[i], "Kelurahan": "Sukamaju",
                "Ket.": "aktif" if i % 3 else None}.get(header)
    if isinstance(value, bool):
        return _YES_NO[value] if i % 4 else ("Ya" if value else "Tdk")
    if field == "members" and i == 2:
        return f"{value} orang"  # read as the number, with a note
    if field == "business_plan_months_since_review" and not float(value).is_integer():
        return str(value).replace(".", ",")  # a decimal comma
    return value


def recap_rows(records: Sequence[dict[str, Any]] = RECORDS,
               columns: Sequence[tuple[str, str | None]] = RECAP_COLUMNS,
               *, blank_after: int = 5, pages: bool = False) -> list[list[Any]]:
    """The recap as rows of cells (row 1 first; ``None`` for an empty cell)."""
    width = len(columns)
    top: list[Any] = [None] * width
    top[0], top[1], top[2] = "No", "Nama KSM", "Ketua"
    for text, first, _ in _GROUPS:
        top[first] = text
    top[width - 2], top[width - 1] = "Kelurahan", "Ket."
    second: list[Any] = [None if j in (0, 1, 2, width - 2, width - 1) else h
                         for j, (h, _) in enumerate(columns)]
    numbering = [f"({j + 1})" for j in range(width)]
    rows: list[list[Any]] = [
        ["REKAPITULASI PERKEMBANGAN KSM TRIWULAN III TAHUN 2024"] + [None] * (width - 1),
        ["KELURAHAN SUKAMAJU, KECAMATAN CIBEUNYING KALER"] + [None] * (width - 1),
        [None] * width, top, second, numbering]
    for i, rec in enumerate(records):
        if pages and i == 5:
            rows += [[None, "Sub Total"] + [None] * (width - 2), [None] * width,
                     top, second, numbering]
        rows.append([_cell(f, h, rec.get(f) if f else None, i) for h, f in columns])
        if i + 1 == blank_after:
            rows.append([None] * width)
    sums: list[Any] = [None] * width
    sums[1] = "JUMLAH"
    for j, (_, f) in enumerate(columns):
        if f in ("members", "members_saving", "partnerships"):
            sums[j] = sum(int(r[f]) for r in records)
    rows += [sums, [None] * width]
    foot = width - 4
    for left, right in [(None, "Sukamaju, 30 September 2024"),
                        ("Mengetahui,", "Fasilitator Kelurahan"),
                        ("Lurah Sukamaju", None), (None, None),
                        ("( Drs. H. Asep Saepudin )", "( Rina Marlina, S.Sos )"),
                        ("NIP. 19700101 199003 1 005", None)]:
        row: list[Any] = [None] * width
        row[1], row[foot] = left, right
        rows.append(row)
    return rows


def write_recap(path: Path, rows: Sequence[Sequence[Any]], *, merged: bool = True
                ) -> Path:
    """Write ``rows`` as the recap workbook, the title and group headers merged
    across the columns they head (as a facilitator's sheet has them)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                           "strings_to_formulas": False,
                                           "strings_to_urls": False})
    ws = book.add_worksheet("Rekap TW III")
    bold = book.add_format({"bold": True, "align": "center", "border": 1})
    width = max(len(r) for r in rows)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    if merged:
        ws.merge_range(0, 0, 0, width - 1, rows[0][0], bold)
        ws.merge_range(1, 0, 1, width - 1, rows[1][0], bold)
        for text, first, last in _GROUPS:
            ws.merge_range(3, first, 3, last, text, bold)
        for c in (0, 1, 2, width - 2, width - 1):
            ws.merge_range(3, c, 4, c, rows[3][c], bold)
    book.close()
    return path


def recap_workbook(path: Path, **options: Any) -> Path:
    """The recap of issue 11 (see the module docstring); ``options`` go to
    :func:`recap_rows`."""
    return write_recap(path, recap_rows(**options))


def clean_sheet(path: Path, records: Sequence[dict[str, Any]] = RECORDS,
                fields: Sequence[str] = RECAP_FIELDS) -> Path:
    """The same groups as a clean CSV under the ruleset's own headers (label and
    unit), only the fields given."""
    specs = [RULESET.field(f) for f in fields]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([RULESET.group_id.label.id, *(header_text(s) for s in specs)])
        for rec in records:
            w.writerow([rec["group_id"], *(_YES_NO[rec[f]] if isinstance(rec[f], bool)
                                           else rec[f] for f in fields)])
    return path
