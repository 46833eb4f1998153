"""The words of a scored file's sheets and of the terminal summary, in Indonesian
(``id``, the default) and English.

Problem texts come from the catalogue (:mod:`kematangan.catalogue`); explanation
words from :mod:`kematangan.explain.wording`; these are the rest: column headers,
summary items, outcome words, how a column was matched.
"""

from __future__ import annotations

__all__ = ["HOW", "counted", "word"]

_WORDS: dict[str, tuple[str, str]] = {
    # the results sheet
    "row": ("Baris", "Row"),
    "sheet_row": ("Baris lembar", "Sheet row"),
    "row_note": ("Keterangan baris", "Row note"),
    "stage": ("Tahap", "Stage"),
    "stage_label": ("Nama tahap", "Stage name"),
    "stage_upper": ("Tahap bila data lengkap", "Stage once data is complete"),
    "class": ("Kelas", "Class"),
    "class_label": ("Nama kelas", "Class name"),
    "class_upper": ("Kelas bila data lengkap", "Class once data is complete"),
    "score": ("Skor", "Score"),
    "score_upper": ("Skor bila data lengkap", "Score once data is complete"),
    "max_score": ("Skor maksimum", "Highest score"),
    "exit_ready": ("Siap dilepas", "Ready for exit"),
    "problems": ("Masalah data", "Data problems"),
    "reason": ("Alasan", "Reason"),
    "next_steps": ("Langkah berikutnya", "Next steps"),
    "model_probability": ("Peluang menurut model", "Model probability"),
    "not_scored": ("tidak dinilai", "not scored"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    "undetermined": ("belum pasti (data kosong)", "undetermined (data missing)"),
    "met": ("terpenuhi", "met"),
    "not_met": ("tidak terpenuhi", "not met"),
    "unknown": ("belum diketahui", "unknown"),
    "not_applicable": ("tidak berlaku", "does not apply"),
    "no_stage": ("belum mencapai tahap pertama", "not yet at the first stage"),
    "no_class": ("belum masuk kelas mana pun", "not in any class"),
    # next steps
    "towards": ("Menuju {level}", "Towards {level}"),
    "meet": ("penuhi: {items}", "meet: {items}"),
    "record": ("lengkapi data: {items}", "record: {items}"),
    "short": ("tambah {points} poin", "add {points} points"),
    "top": ("sudah di tingkat tertinggi", "already at the highest level"),
    "exit_word": ("pelepasan", "exit"),
    # the errors sheet
    "column": ("Kolom", "Column"),
    "field": ("Data", "Field"),
    "value": ("Nilai", "Value"),
    "severity": ("Jenis", "Kind"),
    "code": ("Kode", "Code"),
    "problem": ("Masalah", "Problem"),
    "fix": ("Perbaikan", "Fix"),
    "error": ("galat", "error"),
    "note": ("catatan", "note"),
    # the columns sheet
    "letter": ("Kolom", "Column"),
    "header": ("Judul kolom", "Header"),
    "status": ("Status", "Status"),
    "label": ("Nama data", "Field name"),
    "how": ("Cara", "How"),
    "remark": ("Keterangan", "Remark"),
    "mapped": ("dipakai", "mapped"),
    "ignored": ("diabaikan", "ignored"),
    "unmatched": ("tidak cocok", "unmatched"),
    "missing": ("tanpa kolom", "missing"),
    "read_as": ("cara tulis di kolom ini", "how this column is written"),
    # the summary sheet and the terminal
    "item": ("Hal", "Item"),
    "amount": ("Nilai", "Value"),
    "ruleset": ("ruleset", "ruleset"),
    "version": ("versi", "version"),
    "hash": ("hash", "hash"),
    "title": ("judul", "title"),
    "source": ("sumber", "source"),
    "file": ("berkas", "file"),
    "sheet": ("lembar", "sheet"),
    "header_row": ("baris judul kolom", "header row"),
    "groups": ("kelompok dinilai", "groups scored"),
    "rows_skipped": ("baris bukan kelompok (tidak dinilai)",
                     "rows that are not groups (not scored)"),
    "stage_of": ("tahap: {name}", "stage: {name}"),
    "class_of": ("kelas: {name}", "class: {name}"),
    "stage_undetermined": ("tahap belum pasti (data kosong)",
                           "stage undetermined (missing data)"),
    "class_undetermined": ("kelas belum pasti (data kosong)",
                           "class undetermined (missing data)"),
    "exit_ready_count": ("siap dilepas", "exit-ready"),
    "problems_total": ("masalah data", "data problems"),
    "errors_count": ("nilai tidak dipakai (galat)", "values not used (errors)"),
    "notes_count": ("nilai dibaca dengan catatan", "values read with a note"),
    "groups_with_problems": ("kelompok dengan masalah data",
                             "groups with data problems"),
    "columns_mapped": ("kolom dipakai", "columns mapped"),
    "columns_ignored": ("kolom diabaikan", "columns ignored"),
    "columns_unmatched": ("kolom tidak cocok", "columns unmatched"),
    "fields_missing": ("data tanpa kolom", "fields without a column"),
    "guessed": ("kolom ditebak", "columns guessed"),
    "columns_title": ("Kolom berkas dan data ruleset",
                      "The file's columns and the ruleset's fields"),
    "why": ("Sebab", "Why"),
    "rows_word": ("Baris", "Rows"),
    "none": ("tidak ada", "none"),
    # rows that are not groups, by kind
    "row_blank": ("baris kosong", "blank rows"),
    "row_numbering": ("baris nomor kolom", "column-numbering rows"),
    "row_total": ("baris jumlah atau rata-rata", "totals or averages"),
    "row_footer": ("di bawah tabel (tempat dan tanggal, tanda tangan, catatan)",
                   "below the table (place and date, signatures, notes)"),
    "row_header": ("judul kolom yang berulang", "repeated header rows"),
    "row_example": ("baris contoh dari templat", "the template's example row"),
}

HOW: dict[str, tuple[str, str]] = {
    "id": ("sama dengan id data", "the field's id"),
    "label": ("sama dengan nama data", "the field's label"),
    "alias": ("sama dengan nama lain data", "one of the field's aliases"),
    "normalised": ("kata yang sama (singkatan, urutan)",
                   "the same words (abbreviations, order)"),
    "path": ("jalur formulir Kobo/ODK", "a Kobo/ODK form path"),
    "user": ("pemetaan pengguna", "the user's mapping"),
    "fuzzy": ("TEBAKAN dari kata yang mirip", "GUESSED from similar words"),
    "number": ("kolom nomor urut", "a row-number column"),
    "notes": ("kolom catatan", "a notes column"),
    "form": ("kolom sistem formulir", "a survey tool's own column"),
    "duplicate": ("kolom kedua untuk data yang sama", "a second column for a field"),
    "empty": ("tanpa judul dan kosong", "no header and no value"),
    "no_header": ("tanpa judul, tetapi berisi", "no header, but holds values"),
}
"""How a column was matched, or why it is ignored (see
:class:`~kematangan.io.ColumnMapping`)."""


def word(key: str, lang: str = "id") -> str:
    """A fixed word of the file outputs in ``lang``.

    Examples
    --------
    >>> word("next_steps"), word("next_steps", "en")
    ('Langkah berikutnya', 'Next steps')
    """
    id_, en = _WORDS.get(key) or HOW[key]
    return en if lang == "en" else id_


def counted(n: int, key: str, lang: str = "id") -> str:
    """``n`` and a noun, plural in English when ``n`` is not 1 (Indonesian nouns
    do not change).

    Examples
    --------
    >>> counted(1, "group_noun", "en"), counted(3, "group_noun", "en"), counted(3, "group_noun")
    ('1 group', '3 groups', '3 kelompok')
    """
    one, many = _NOUNS[key]
    if lang != "en":
        return f"{n} {one[0]}"
    return f"{n} {one[1] if n == 1 else many}"


_NOUNS: dict[str, tuple[tuple[str, str], str]] = {
    "group_noun": (("kelompok", "group"), "groups"),
    "row_noun": (("baris", "row"), "rows"),
    "note_noun": (("catatan", "note"), "notes"),
    "value_noun": (("nilai tidak dipakai", "value not used"), "values not used"),
}
