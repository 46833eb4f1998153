"""Build the example workbooks from the CSV sheets beside this file.

Each ``NAME.csv`` becomes ``NAME.xlsx`` laid out as a district's quarterly status
sheet: a merged title row and a blank row above the header, plain numbers as
numbers, and messy cells ("12,5", "ya", "-") kept as typed text.

    python examples/build_examples.py
"""

from __future__ import annotations

import csv
import datetime
import re
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
TITLES = {
    "ppmk-ksm": "Quick Status KSM - PNPM Mandiri Perkotaan, Kota Contoh, Triwulan III",
    "ppmk-ksm-checks": "Contoh isian yang saling bertentangan - KSM, Kota Contoh, "
                       "Triwulan III",
    "ksm-unggulan": "Penilaian KSM Unggulan - Sub Specialist SMEs, Kota Contoh",
    "pemk-kub": "Perkembangan KUB - PEMK Kabupaten Kampar, Kecamatan Contoh",
    "poktan-2018": "Rekap Penilaian Kelas Kelompoktani 2018 - BPP Contoh",
    "poktan-legacy": "Rekap Penilaian Kelas Kelompoktani (skema lama) - BPP Contoh",
    "upk-pinjaman-bergulir": "Kinerja Pinjaman Bergulir UPK - Kota Contoh",
    "bkm-lkm": "Data BKM/LKM - Kota Contoh, Triwulan III",
    "bkm-lkm.members": "Quick Status KSM per BKM/LKM - Kota Contoh, Triwulan III",
    "gapoktan-poktan": "Rekap Kelas Kelompoktani per Gapoktan - BPP Contoh",
    "ppmk-ksm-riwayat": "Riwayat Quick Status KSM per Triwulan - Kota Contoh",
}
CREATED = datetime.datetime(2024, 1, 1)
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def build(csv_path: Path) -> Path:
    with csv_path.open(encoding="utf-8", newline="") as fp:
        first = fp.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    with csv_path.open(encoding="utf-8", newline="") as fp:
        rows = list(csv.reader(fp, delimiter=delimiter))
    out = csv_path.with_suffix(".xlsx")
    book = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False})
    book.set_properties({"created": CREATED})  # the same bytes on every build
    sheet = book.add_worksheet("Data")
    bold = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "text_wrap": True, "bg_color": "#DDEBF7"})
    title = TITLES.get(csv_path.stem, csv_path.stem)
    sheet.merge_range(0, 0, 0, max(len(rows[0]) - 1, 1), title, bold)
    for r, row in enumerate(rows, start=2):
        for c, cell in enumerate(row):
            if r == 2:
                sheet.write_string(r, c, cell, head)
            elif cell == "":
                continue
            elif PLAIN_NUMBER.match(cell):
                sheet.write_number(r, c, float(cell))
            else:
                sheet.write_string(r, c, cell)
    sheet.set_column(0, len(rows[0]) - 1, 16)
    book.close()
    return out


if __name__ == "__main__":
    for path in sorted(HERE.glob("*.csv")):
        print(build(path))
