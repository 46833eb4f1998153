"""Build the roll-up examples (deterministic: the same files on every run).

- ``bkm-lkm.members.csv``: the KSM of 24 BKM/LKM in one city, scored with ppmk-ksm,
  with a ``Kode BKM`` column naming each KSM's BKM/LKM. Two KSM have no BKM code
  (the roll-up reports them), a few cells are blank (open aggregates).
- ``bkm-lkm.csv``: the BKM/LKM's own data, one row per BKM/LKM, scored with bkm-lkm;
  one BKM/LKM has no KSM in the KSM sheet (reported, its aggregates unknown).
- ``gapoktan-poktan.csv``: farmer groups (poktan-2018 indicator scores) with the
  Gapoktan each belongs to, for the Gapoktan roll-up view.

Each CSV also becomes a workbook (``build_examples.build``).

    python examples/build_rollup_examples.py
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_examples import build  # noqa: E402

STAGES = ("growth", "strengthening", "independence", "release")

# ppmk-ksm: header, then a value meeting and one failing the gate, per stage.
Row = dict[str, str]
Gate = tuple[str, Callable[[random.Random], str], Callable[[random.Random], str]]


def _yes(_: random.Random) -> str:
    return "ya"


def _no(_: random.Random) -> str:
    return "tidak"


def _between(lo: int, hi: int) -> Callable[[random.Random], str]:
    return lambda rng: str(rng.randint(lo, hi))


KSM_GATES: dict[str, list[Gate]] = {
    "growth": [
        ("Dibentuk Partisipatif", _yes, _no),
        ("Keanggotaan Sukarela", _yes, _no),
        ("Pertemuan 3 Bulan Terakhir", _between(3, 12), _between(0, 2)),
        ("Aturan Dasar 1", _yes, _no),
        ("Aturan Dasar 2", _yes, _no),
        ("Aturan Dasar 3", _yes, _no),
        ("Aturan Dasar 4", _yes, _no),
        ("Aturan Dasar 5", _yes, _no),
    ],
    "strengthening": [
        ("Administrasi Tertib", _yes, _no),
        ("RUK Ditinjau (bulan lalu)", _between(1, 12), _between(13, 30)),
        ("Kerja Sama Antarkelompok", _yes, _no),
        ("Akses Dana Bergulir", _yes, _no),
        ("Pelatihan 12 Bulan", _between(1, 5), lambda _: "0"),
    ],
    "independence": [
        ("Lama Usaha Berjalan (bulan)", _between(12, 72), _between(2, 11)),
        ("Keputusan Musyawarah", _yes, _no),
        ("Akses Pasar", _yes, _no),
        ("Tambahan Modal PPMK", _yes, _no),
        ("Pertumbuhan Modal (%)", _between(2, 30), _between(-10, 0)),
        ("Kader Dipilih Musyawarah", _yes, _no),
    ],
    "release": [
        ("Kader Mampu Mendampingi", _yes, _no),
        ("Aspek Legal", _yes, _no),
        ("Kerja Sama Multipihak", _yes, _no),
    ],
}
KSM_HEADERS = ["Kode KSM", "Kode BKM", "Dibentuk Partisipatif", "Jumlah Anggota",
               "Keanggotaan Sukarela", "Pertemuan 3 Bulan Terakhir",
               *(f"Aturan Dasar {k}" for k in range(1, 6)),
               "Kunjungan Pendamping 3 Bulan", "Administrasi Tertib",
               "RUK Ditinjau (bulan lalu)", "Kerja Sama Antarkelompok",
               "Akses Dana Bergulir", "Tunggakan Angsuran", "Anggota Menabung",
               "Pelatihan 12 Bulan", "Lama Usaha Berjalan (bulan)",
               "Keputusan Musyawarah", "Jumlah Mitra", "Akses Pasar",
               "Tambahan Modal PPMK", "Pertumbuhan Modal (%)", "Kader Lokal",
               "Kader Dipilih Musyawarah", "Kader Mampu Mendampingi", "Aspek Legal",
               "Kerja Sama Multipihak"]
# Blank cells only where the KSM sheets of the field really leave them blank.
MAY_BE_BLANK = ("Anggota Menabung", "Pertumbuhan Modal (%)", "Kader Mampu Mendampingi",
                "Tunggakan Angsuran")


def ksm(rng: random.Random, code: str, bkm: str, target: int, penunggak: bool) -> Row:
    """A KSM that reaches stage ``target`` (-1: none) and fails one gate of the
    next; a ``penunggak`` one is 3 or more instalments in arrears."""
    row: Row = {"Kode KSM": code, "Kode BKM": bkm}
    members = rng.randint(6, 25)
    row["Jumlah Anggota"] = str(members)
    for s, stage in enumerate(STAGES):
        gates = KSM_GATES[stage]
        failing = rng.randrange(len(gates)) if s == target + 1 else -1
        for g, (header, good, bad) in enumerate(gates):
            meet = s <= target + 1 or rng.random() < 0.2
            row[header] = (bad if g == failing or not meet else good)(rng)
    borrowed = row["Akses Dana Bergulir"] == "ya"
    row["Kunjungan Pendamping 3 Bulan"] = str(rng.randint(0, 6))
    row["Jumlah Mitra"] = str(rng.randint(1, 4) if target >= 2 else rng.randint(0, 1))
    row["Kader Lokal"] = str(rng.randint(1, 4) if target >= 2 else rng.randint(0, 1))
    if row["Kader Lokal"] == "0":
        # No cadre: nothing to say about how cadres were chosen or how able they are
        # (ppmk-ksm's consistency check cadre_answers_need_cadres).
        row["Kader Dipilih Musyawarah"] = row["Kader Mampu Mendampingi"] = ""
    row["Anggota Menabung"] = str(members if target >= 1 else rng.randint(0, members))
    arrears = rng.randint(3, 8) if penunggak else (
        0 if target >= 3 or not borrowed else rng.choice([0, 0, 0, 1, 2]))
    row["Tunggakan Angsuran"] = str(arrears) if borrowed or penunggak else "0"
    if penunggak:
        row["Akses Dana Bergulir"] = "ya"
    if rng.random() < 0.06:
        row[rng.choice(MAY_BE_BLANK)] = ""
    return row


# How far each BKM/LKM's KSM have come: the chance of each target stage (none,
# growth, strengthening, independence, release) and of a KSM in arrears.
PROFILES = {
    "baru": ((0.35, 0.45, 0.15, 0.05, 0.0), 0.05),
    "tumbuh": ((0.05, 0.30, 0.45, 0.15, 0.05), 0.10),
    "kuat": ((0.0, 0.10, 0.30, 0.45, 0.15), 0.12),
    "siap": ((0.0, 0.0, 0.10, 0.35, 0.55), 0.03),
}
BKM_PROFILES = ["baru"] * 5 + ["tumbuh"] * 7 + ["kuat"] * 7 + ["siap"] * 5

PARENT_HEADERS = ["Kode BKM", "Prakarsa Warga", "Kajian Partisipatif",
                  "Rencana Disepakati Musyawarah", "Laporan Diumumkan",
                  "Pelatihan Manajemen Organisasi", "Evaluasi Bersama Warga",
                  "Jumlah Kader", "Kader Dipilih Musyawarah", "Kader Mampu Mendampingi",
                  "Kader Siap Program", "Kader Siap Keuangan", "Kader Siap Kelembagaan",
                  "Pertumbuhan Aset (%)", "Skema Pemulihan Aset", "Aspek Legal",
                  "Kerja Sama Pihak Luar"]
PARENT_LEVEL = {"baru": 0, "tumbuh": 1, "kuat": 2, "siap": 3}


def bkm(rng: random.Random, code: str, profile: str) -> Row:
    """A BKM/LKM's own data, as far along as its profile (with some slips)."""
    level = PARENT_LEVEL[profile]

    def flag(at: int) -> str:
        ok = (level >= at and rng.random() > 0.04) or (
            level < at and rng.random() < 0.25)
        return "ya" if ok else "tidak"

    cadres = rng.randint(1, 6) if level >= 2 else rng.randint(0, 2)
    return {
        "Kode BKM": code, "Prakarsa Warga": "ya" if rng.random() > 0.04 else "tidak",
        "Kajian Partisipatif": flag(0), "Rencana Disepakati Musyawarah": flag(1),
        "Laporan Diumumkan": flag(1), "Pelatihan Manajemen Organisasi": flag(1),
        "Evaluasi Bersama Warga": flag(2), "Jumlah Kader": str(cadres),
        "Kader Dipilih Musyawarah": flag(2), "Kader Mampu Mendampingi": flag(3),
        "Kader Siap Program": flag(3), "Kader Siap Keuangan": flag(3),
        "Kader Siap Kelembagaan": flag(3),
        "Pertumbuhan Aset (%)": str(rng.randint(1, 15) if level >= 2 else
                                    rng.randint(-8, 6)),
        "Skema Pemulihan Aset": flag(2), "Aspek Legal": flag(3),
        "Kerja Sama Pihak Luar": str(rng.randint(1, 4) if level >= 3 else
                                     rng.randint(0, 1)),
    }


def build_bkm(rng: random.Random) -> tuple[list[Row], list[Row]]:
    members: list[Row] = []
    parents: list[Row] = []
    n = 0
    for b, profile in enumerate(BKM_PROFILES, start=1):
        code = f"BKM-{b:02d}"
        chances, arrears = PROFILES[profile]
        for _ in range(rng.randint(4, 9)):
            n += 1
            target = rng.choices(range(-1, 4), weights=chances)[0]
            penunggak = rng.random() < arrears
            members.append(ksm(rng, f"KSM-{n:03d}", code,
                               min(target, 0) if penunggak else target, penunggak))
        parents.append(bkm(rng, code, profile))
    rng.shuffle(members)  # a city's sheet is not sorted by BKM
    for row in rng.sample(members, 2):
        row["Kode BKM"] = ""
    parents.append(bkm(rng, "BKM-25", "tumbuh"))  # its KSM are not in the sheet
    return members, parents


POKTAN = [("Merencanakan Kegiatan Belajar", 50), ("Merencanakan Usaha", 150),
          ("Mengorganisasikan Kegiatan Belajar", 25), ("Mengorganisasikan Usaha", 75),
          ("Melaksanakan Kegiatan Belajar", 100), ("Melaksanakan Kegiatan Usaha", 250),
          ("Pengendalian dan Evaluasi", 100), ("Pelaporan", 50), ("Kaderisasi", 100),
          ("Jejaring dan Kemitraan", 100)]
GAPOKTAN = ["Gapoktan Sumber Rejeki", "Gapoktan Tani Mulya", "Gapoktan Sido Makmur",
            "Gapoktan Karya Bakti", "Gapoktan Ngudi Luhur", "Gapoktan Mekar Sari"]


def build_poktan(rng: random.Random) -> list[Row]:
    rows = []
    for n in range(1, 37):
        gapoktan = GAPOKTAN[(n - 1) % len(GAPOKTAN)]
        strength = rng.uniform(0.1, 0.95) * (0.7 + 0.1 * (GAPOKTAN.index(gapoktan)))
        row = {"Nama Poktan": f"Poktan {n:02d}", "Gapoktan": gapoktan}
        for header, top in POKTAN:
            row[header] = str(max(0, min(top, round(top * rng.gauss(strength, 0.12)))))
        if rng.random() < 0.08:
            row[rng.choice(POKTAN)[0]] = ""  # one indicator not assessed yet
        rows.append(row)
    return rows


def write(path: Path, headers: list[str], rows: list[Row]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fp:
        out = csv.DictWriter(fp, fieldnames=headers, lineterminator="\n")
        out.writeheader()
        out.writerows(rows)
    return path


def main() -> None:
    rng = random.Random(16)
    members, parents = build_bkm(rng)
    poktan = build_poktan(rng)
    for path in (write(HERE / "bkm-lkm.members.csv", KSM_HEADERS, members),
                 write(HERE / "bkm-lkm.csv", PARENT_HEADERS, parents),
                 write(HERE / "gapoktan-poktan.csv",
                       ["Nama Poktan", "Gapoktan", *(h for h, _ in POKTAN)], poktan)):
        print(path)
        print(build(path))


if __name__ == "__main__":
    main()
