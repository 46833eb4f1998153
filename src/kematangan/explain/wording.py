"""Words and number formats for explanations, in Indonesian (``id``) and English.

Indonesian is the default: groups and SMEs specialists read it. Numbers follow each
language's habit: ``12,5`` and ``1.000`` in Indonesian, ``12.5`` and ``1,000`` in
English; a share shown as a percentage reads ``75%``; dates read ``1 Maret 2024``.
Words that name what is assessed take the ruleset's ``subject`` ("kelompok" unless
the ruleset says otherwise, such as "UPK").
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from kematangan.criteria.ruleset import Text

__all__ = ["DEFAULT_SUBJECT", "LANGS", "fmt_number", "fmt_unit", "fmt_value",
           "pair", "word"]

DEFAULT_SUBJECT = Text(id="kelompok", en="group")
"""What is assessed when a ruleset does not say: a group."""

LANGS = ("id", "en")

_WORDS: dict[str, tuple[str, str]] = {
    # headings
    "explanation": ("Penjelasan hasil penilaian", "Explanation of the assessment"),
    "portfolio": ("Laporan portofolio {subject}", "{Subject} portfolio report"),
    "ruleset": ("Aturan penilaian", "Ruleset"),
    "version": ("versi", "version"),
    "current_stage": ("Tahap saat ini", "Current stage"),
    "class": ("Kelas", "Class"),
    "score": ("Skor", "Score"),
    "exit": ("Siap dilepas", "Ready for exit"),
    "reasons": ("Penghambat", "What holds the {subject} back"),
    "gaps": ("Jarak ke tingkat berikutnya", "Distance to the next level"),
    "next_steps": ("Langkah berikutnya", "Next steps"),
    "data_used": ("Data yang dipakai", "Data used"),
    "derived": ("Nilai turunan", "Derived values"),
    "issues": ("Masalah data", "Data problems"),
    "points_by_stage": ("Poin per tahap", "Points by stage"),
    "points_by_criterion": ("Poin per kriteria", "Points by criterion"),
    "ladder": ("Tangga tahapan", "Stage ladder"),
    # values and outcomes
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    "missing": ("(kosong)", "(missing)"),
    "met": ("terpenuhi", "met"),
    "not_met": ("tidak terpenuhi", "not met"),
    "unknown": ("belum diketahui (data kosong)", "unknown (data missing)"),
    "not_applicable": ("tidak berlaku", "does not apply"),
    "row": ("baris", "row"),
    "not_yet": ("belum", "not yet"),
    "undetermined": ("belum pasti (data kosong)", "undetermined (data missing)"),
    "no_stage": ("belum mencapai tahap pertama", "not yet at the first stage"),
    "no_class": ("belum masuk kelas mana pun", "not in any class"),
    "none": ("tidak ada", "none"),
    "other": ("Lainnya", "Other"),
    # reason lines
    "condition": ("Syarat", "Condition"),
    "observed": ("Data", "Data"),
    "advice": ("Saran", "Advice"),
    "points_lost": ("kurang {n} poin", "{n} points short"),
    "points_at_stake": ("{n} poin tertahan", "{n} points at stake"),
    "scored": ("skor {points} dari {max}", "score {points} of {max}"),
    "max_unconfirmed": ("maksimum belum dikonfirmasi", "maximum unconfirmed"),
    "blocks_stage": ("menghambat naik tahap", "blocks the next stage"),
    "blocks_class": ("menghambat naik kelas", "blocks the next class"),
    "blocks_exit": ("menghambat pelepasan", "blocks exit"),
    "not_applicable_to": ("Tidak berlaku untuk {subject} ini",
                          "Does not apply to this {subject}"),
    "applies_when": ("berlaku bila", "applies when"),
    # conditions in words
    "no_count": ("tidak ada {noun}", "no {noun}"),
    "some_count": ("ada {noun}", "{label}: at least one"),
    "if_missing": ("bila kosong", "if missing"),
    "recorded": ("diisi", "recorded"),
    "blank": ("kosong", "missing"),
    "scored_range": ("{label} dinilai {low} sampai {high} poin",
                     "{label} scored {low} to {high} points"),
    "met_from": ("terpenuhi mulai {value}", "met from {value}"),
    # unconfirmed working assumptions
    "unconfirmed": ("belum dikonfirmasi", "unconfirmed"),
    "unconfirmed_meaning": ("makna belum dikonfirmasi", "meaning unconfirmed"),
    "unconfirmed_formula": ("rumus belum dikonfirmasi", "formula unconfirmed"),
    "unconfirmed_heading": ("Belum dikonfirmasi sumber", "Not confirmed by the source"),
    "unconfirmed_min": ("nilai minimum {label}: {value}", "minimum of {label}: {value}"),
    "unconfirmed_max": ("nilai maksimum {label}: {value}", "maximum of {label}: {value}"),
    "unconfirmed_meaning_of": ("makna {label}", "meaning of {label}"),
    "unconfirmed_formula_of": ("rumus {label}: {expr}", "formula of {label}: {expr}"),
    "checks": ("Pemeriksaan data", "Data checks"),
    "points_word": ("poin", "points"),
    "no_reasons": ("Tidak ada: semua kriteria terpenuhi dengan poin penuh.",
                   "None: every criterion is met with full points."),
    # gaps and steps
    "to_stage": ("Menuju tahap", "Towards stage"),
    "to_class": ("Menuju kelas", "Towards class"),
    "to_exit": ("Menuju pelepasan", "Towards exit"),
    "gates_missing": ("Syarat yang belum terpenuhi", "Requirements not met"),
    "gates_unknown": ("Syarat yang datanya kosong", "Requirements with missing data"),
    "points_short": ("Poin masih kurang", "Points still short"),
    "min_score": ("skor minimal", "lowest score"),
    "more_than": ("skor harus lebih dari", "score must exceed"),
    "possible_with_data": ("Bisa tercapai bila data yang kosong dilengkapi.",
                           "Could be reached once the missing data is recorded."),
    "at_top_stage": ("Sudah di tahap tertinggi.", "Already at the highest stage."),
    "at_top_class": ("Sudah di kelas tertinggi.", "Already in the highest class."),
    "already": ("Sudah tercapai.", "Already reached."),
    "meets": ("Memenuhi", "Meets"),
    "adds_points": ("Menambah {n} poin", "Adds {n} points"),
    "after_steps": ("Setelah langkah ini", "After these steps"),
    "verified": ("diperiksa dengan menilai ulang data yang diubah",
                 "checked by scoring the changed record again"),
    "no_path": ("Belum ada jalan yang dapat dilakukan {subject} sendiri",
                "No path the {subject} can take by itself"),
    "record_first": ("Catat dulu", "Record first"),
    "stage_word": ("tahap", "stage"),
    "class_word": ("kelas", "class"),
    "score_of": ("dari", "of"),
    "could_reach": ("Bisa naik sampai", "Could rise to"),
    "once_recorded": ("bila data yang kosong dilengkapi",
                      "once the missing data is recorded"),
    "fix": ("perbaikan", "fix"),
    "field": ("Data", "Field"),
    "value": ("Nilai", "Value"),
    "group": ("{Subject}", "{Subject}"),
    "groups": ("{subject}", "{subjects}"),
    "criterion": ("Kriteria", "Criterion"),
    "points": ("Poin", "Points"),
    "stage_distribution": ("Sebaran tahap", "Stage distribution"),
    "class_distribution": ("Sebaran kelas", "Class distribution"),
    "common_blockers": ("Penghambat yang paling sering",
                        "Most common blocking criteria"),
    "exit_ready_count": ("{Subject} siap dilepas", "{Subjects} ready for exit"),
    "top_reasons": ("Alasan utama", "Main reasons"),
    "records": ("Jumlah {subject}", "Number of {subjects}"),
    "with_issues": ("{Subject} dengan masalah data", "{Subjects} with data problems"),
    "rows_shown": ("Menampilkan {shown} dari {total} {subject}.",
                   "Showing {shown} of {total} {subjects}."),
    "hash": ("hash", "hash"),
    # histories
    "history": ("Riwayat", "History"),
    "trend_report": ("Laporan perkembangan kelompok", "Group trend report"),
    "assessed_times": ("Dinilai {n} kali, {first} sampai {last}.",
                       "Assessed {n} times, {first} to {last}."),
    "not_assessed_in": ("Tidak dinilai pada", "Not assessed in"),
    "scored_with": ("Dinilai dengan", "Scored with"),
    "valid_from": ("berlaku mulai", "valid from"),
    "at_start": ("{period}: {state}.", "{period}: {state}."),
    "rose_to": ("{period}: naik ke tahap {stage}.", "{period}: rose to the {stage} "
                "stage."),
    "fell_to": ("{period}: turun dari tahap {before} ke {after}.",
                "{period}: fell from the {before} stage to {after}."),
    "class_rose": ("{period}: kelas naik menjadi {klass}.",
                   "{period}: class rose to {klass}."),
    "class_fell": ("{period}: kelas turun dari {before} menjadi {after}.",
                   "{period}: class fell from {before} to {after}."),
    "because": ("Penyebab (terpenuhi sebelumnya, kini tidak): {criteria}.",
                "Because (met before, not met now): {criteria}."),
    "no_cause": ("Tidak ada kriteria yang berubah dari terpenuhi menjadi tidak "
                 "terpenuhi; perubahannya datang dari poin.",
                 "No criterion went from met to not met; the change comes from "
                 "points."),
    "scheme_changed": ("Aturan penilaian berganti dari {before} ke {after}.",
                       "The ruleset changed from {before} to {after}."),
    "stage_unsure": ("{period}: belum pasti karena data kosong; bisa sampai {upper}.",
                     "{period}: undetermined as data is missing; could be up to "
                     "{upper}."),
    "became_exit_ready": ("{period}: siap dilepas berdasarkan rekam jejaknya.",
                          "{period}: ready for exit on its track record."),
    "now": ("Saat ini ({period})", "Now ({period})"),
    "stage_since": ("tahap {stage} sejak {since} ({months} bulan)",
                    "{stage} stage since {since} ({months} months)"),
    "first_at_stage": ("Pertama kali di tiap tahap", "First period at each stage"),
    "stagnating": ("Mandek", "Stagnating"),
    "regressions": ("Kemunduran", "Regressions"),
    "no_regressions": ("Tidak ada kemunduran.", "No regressions."),
    "period": ("Periode", "Period"),
    "months_in_stage": ("Bulan di tahap ini", "Months at this stage"),
    "transitions": ("Perpindahan tahap", "Stage transitions"),
    "class_transitions": ("Perpindahan kelas", "Class transitions"),
    "from_to": ("dari {first} ke {last}", "from {first} to {last}"),
    "absent": ("tidak dinilai", "not assessed"),
    "went_up": ("naik", "went up"),
    "went_down": ("turun", "went down"),
    "stayed": ("tetap", "stayed"),
    "timelines": ("Jalur tiap kelompok", "Each group's path"),
    "cohorts": ("Angkatan (tahun pembentukan)", "Cohorts (year formed)"),
    "year_unknown": ("tahun tidak dicatat", "year not recorded"),
    "cadence_month": ("bulan", "month"),
    "cadence_quarter": ("triwulan", "quarter"),
    "cadence_year": ("tahun", "year"),
    "rows_not_placed": ("Baris yang tidak dapat ditempatkan",
                        "Rows that could not be placed"),
    "criteria_lost": ("Kriteria yang hilang", "Criteria lost"),
    "lost": ("Yang hilang", "Lost"),
    "before": ("Sebelum", "Before"),
    "after": ("Sesudah", "After"),
    "since": ("Sejak", "Since"),
    "limit_months": ("Batas (bulan)", "Limit (months)"),
    "reason": ("Alasan", "Reason"),
}


def word(key: str, lang: str = "id", subject: Text | None = None) -> str:
    """A fixed word or phrase in ``lang``, naming what is assessed by ``subject``
    (a ruleset's ``subject``; "kelompok" / "group" by default).

    Examples
    --------
    >>> word("current_stage"), word("current_stage", "en")
    ('Tahap saat ini', 'Current stage')
    >>> word("records", "id"), word("records", "en", Text(id="UPK", en="UPK"))
    ('Jumlah kelompok', 'Number of UPKs')
    """
    id_, en = _WORDS[key]
    text = en if lang == "en" else id_
    if "{" not in text:
        return text
    noun = (subject or DEFAULT_SUBJECT).get(lang)
    many = noun + "s" if lang == "en" and not noun.endswith("s") else noun
    for name, value in (("{subjects}", many), ("{Subjects}", _upper_first(many)),
                        ("{subject}", noun), ("{Subject}", _upper_first(noun))):
        text = text.replace(name, value)
    return text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def pair(key: str, subject: Text | None = None) -> Text:
    """A fixed phrase as a bilingual :class:`Text`."""
    return Text(id=word(key, "id", subject), en=word(key, "en", subject))


_SWAP_SEPARATORS = str.maketrans(",.", ".,")
_CURRENCY = ("Rp", "Rp.", "IDR")
"""Units written before the amount, in both languages: Rp 500.000."""
_BEFORE = (*_CURRENCY, "skor")
"""Units written before the number: Rp 500.000, skor 32 (English shows a score
as the bare number, as other word units)."""


def fmt_number(x: float, lang: str = "id") -> str:
    """A number as people write it: no trailing ``.0``, the language's separators.

    Examples
    --------
    >>> fmt_number(12.5), fmt_number(12.5, "en"), fmt_number(1000.0)
    ('12,5', '12.5', '1.000')
    >>> fmt_number(0.75), fmt_number(-3.0, "en")
    ('0,75', '-3')
    """
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    text = f"{x:,.6f}".rstrip("0").rstrip(".") if not float(x).is_integer() else (
        f"{int(x):,}")
    if lang == "en":
        return text
    return text.translate(_SWAP_SEPARATORS)


def fmt_value(value: Any, unit: str | None = None, lang: str = "id",
              display: str = "number") -> str:
    """A decoded value for reading: yes/no, numbers with their unit (a share as a
    percentage when ``display`` is ``percent``), dates in words (a date or its ISO
    text when ``display`` is ``date``), or "(missing)".

    Units are the ruleset's words (Indonesian); English shows only symbol units
    such as ``%``. Rupiah and scores put the unit first.

    Examples
    --------
    >>> fmt_value(True), fmt_value(None, lang="en"), fmt_value(5, "orang")
    ('ya', '(missing)', '5 orang')
    >>> fmt_value(12.5, "%", "en"), fmt_value(3, "kali", "en")
    ('12.5%', '3')
    >>> fmt_value(2500000, "Rp"), fmt_value(2500000, "Rp", "en")
    ('Rp 2.500.000', 'Rp 2,500,000')
    >>> fmt_value(0.755, display="percent"), fmt_value(32, "skor")
    ('75,5%', 'skor 32')
    >>> import datetime as dt
    >>> fmt_value(dt.date(2024, 3, 1)), fmt_value("2024-03-01", None, "en", "date")
    ('1 Maret 2024', '1 March 2024')
    """
    if value is None:
        return word("missing", lang)
    if display == "date" and isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return word("yes" if value else "no", lang)
    if isinstance(value, int | float):
        if display == "percent":
            return fmt_number(float(value) * 100, lang) + "%"
        if unit in _BEFORE:
            return (f"{unit} {fmt_number(float(value), lang)}" if unit in _CURRENCY
                    or lang != "en" else fmt_number(float(value), lang))
        return fmt_number(float(value), lang) + fmt_unit(unit, lang)
    if isinstance(value, dt.date):
        months = _MONTHS_EN if lang == "en" else _MONTHS_ID
        return f"{value.day} {months[value.month - 1]} {value.year}"
    if value in ("met", "not_met", "unknown", "not_applicable"):
        return word(str(value), lang)
    return str(value)


_MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
              "Agustus", "September", "Oktober", "November", "Desember")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December")


def fmt_unit(unit: str | None, lang: str = "id") -> str:
    """The unit after a number: ``%`` joined, a word after a space (Indonesian)."""
    if not unit:
        return ""
    if unit in _CURRENCY:
        return f" {unit}"
    if unit in _BEFORE:
        return ""
    if not any(ch.isalpha() for ch in unit):
        return unit
    return "" if lang == "en" else f" {unit}"
