"""Reading spreadsheets and other input files: cells, rows, columns, mapping files,
and the rows that are not groups.

Parameters: ``text`` (a cell as written), ``number`` / ``date`` (what it was read
as), ``label`` (a field's label, both languages), ``column`` (an input header, or a
column number), ``field`` (a field id), ``suggestion`` (the closest field or header),
``size`` / ``limit`` (characters), ``width`` (headed columns), ``detail`` (a
technical reason, as the system gave it), ``group_id``, ``first_row`` (sheet rows),
``criteria`` / ``stages`` (labels of what a missing field leaves unknown).

Codes beginning ``row_`` are not problems: they say why a row below the headers is
not a group (a totals row, a signature block) and is written out unscored.
"""

from kematangan.catalogue import Message


def _m(id_problem: str, id_fix: str, en_problem: str, en_fix: str) -> Message:
    return Message(id=(id_problem, id_fix), en=(en_problem, en_fix))


_OK_ID = "tidak perlu apa-apa bila benar; bila tidak, perbaiki selnya"
_OK_EN = "nothing to do if this is right; otherwise correct the cell"
_SAVE_ID = ("buka berkas di Excel atau LibreOffice lalu simpan lagi sebagai .xlsx "
            "atau .csv")
_SAVE_EN = "open it in Excel or LibreOffice and save it again as .xlsx or .csv"
_UTF8_ID = "simpan berkas sebagai 'CSV UTF-8' lalu baca lagi"
_UTF8_EN = "save the file as 'CSV UTF-8' and read it again"


def _read_as(id_why: str, en_why: str, kind: str = "number") -> Message:
    """A note: a cell read as a value after its form was changed."""
    return _m(f"{{text!r}} dibaca sebagai {{{kind}}} ({id_why})", _OK_ID,
              f"{{text!r}} read as {{{kind}}} ({en_why})", _OK_EN)


CELLS: dict[str, Message] = {
    "cell_too_long": _m(
        "sel berisi {size} karakter, melebihi batas max_cell_chars = {limit}; hanya "
        "{limit} karakter pertama yang disimpan, dan sel tidak dibaca",
        "perpendek isi sel, atau naikkan batas max_cell_chars",
        "the cell has {size} characters, more than the limit max_cell_chars = "
        "{limit}; only the first {limit} are kept, and it is not read",
        "shorten the cell, or raise the limit max_cell_chars"),
    "extra_cells": _m(
        "baris punya sel di luar {width} kolom berjudul (yang pertama di kolom ke-"
        "{column}); sel itu tidak dibaca",
        "beri judul pada sel tambahan itu, atau hapus (sel nyasar atau pemisah "
        "berlebih?)",
        "the row has cells beyond its {width} headed columns (the first in column "
        "{column}); they are not read",
        "give the extra cells a header, or remove them (a stray cell or delimiter?)"),
    "too_many_columns": _m(
        "baris punya sel di kolom ke-{column}, melebihi batas max_columns = {limit}; "
        "sel mulai dari sana tidak dibaca",
        "hapus sel nyasar itu, atau naikkan batas max_columns",
        "the row has a cell in column {column}, beyond the limit max_columns = "
        "{limit}; cells from there on are not read",
        "remove the stray cells, or raise the limit max_columns"),
    "left_of_table": _m(
        "baris punya isi di kiri tabel (judul kolom mulai di kolom {column}); isi "
        "itu tidak dibaca", "pindahkan isi itu ke kolom yang punya judul",
        "the row has a value left of the table (the headers start in column "
        "{column}); it is not read", "move the value into a column with a header"),
    "bad_row": _m(
        "baris tidak dapat dibaca ({detail}); nilainya kosong",
        "periksa tanda kutip sudah ditutup dan berkas benar-benar teks CSV (bukan "
        "buku kerja yang dinamai .csv)",
        "the record cannot be read ({detail}); its values are missing",
        "check that quotes are closed and that the file is CSV text (not a workbook "
        "saved with a .csv name)"),
    "line_too_long": _m(
        "baris atau rekaman berisi lebih dari {limit} karakter (batas "
        "max_record_chars); nilainya kosong",
        "periksa berkas (ganti baris yang hilang?), atau naikkan batas "
        "max_record_chars",
        "the line or record has more than {limit} characters (the limit "
        "max_record_chars); its values are missing",
        "check the file (a missing line break?), or raise the limit "
        "max_record_chars"),
    "encoding": _m(
        "berkas bukan UTF-8; dibaca sebagai {encoding}, jadi huruf di luar abjad "
        "Inggris mungkin salah; baris yang berisi huruf seperti itu diberi catatan",
        _UTF8_ID,
        "the file is not UTF-8; read as {encoding}, so letters outside English may "
        "be wrong; the rows with such letters are noted", _UTF8_EN),
    "not_utf8": _m(
        "baris berisi huruf yang dibaca sebagai {encoding} (berkas bukan UTF-8); "
        "periksa hurufnya benar", _UTF8_ID,
        "the row has letters read as {encoding} (the file is not UTF-8); check they "
        "are right", _UTF8_EN),
    "bad_cell": _m(
        "berkas menyimpan {text!r} di sel ini padahal seharusnya {expected}; "
        "dibaca kosong", _SAVE_ID,
        "the file stores {text!r} in this cell where it should hold {expected}; "
        "read as missing", _SAVE_EN),
    "bad_cell_ref": _m(
        "berkas punya sel di {text!r}, yang bukan sel lembar kerja; tidak dibaca",
        _SAVE_ID,
        "the file has a cell at {text!r}, which is not a cell of a spreadsheet; it "
        "is not read", _SAVE_EN),
    "duplicate_cell": _m(
        "berkas menyimpan sel ini dua kali (atau tidak berurutan); yang terakhir "
        "dibaca", _SAVE_ID,
        "the file holds this cell twice (or out of order); the last one is read",
        _SAVE_EN),
    "formula_without_value": _m(
        "sel berisi rumus yang hasilnya tidak tersimpan di berkas (ditulis program "
        "yang tidak menghitung); dibaca kosong",
        "buka berkas di Excel atau LibreOffice lalu simpan lagi, agar hasil rumus "
        "tersimpan",
        "the cell holds a formula whose result was not saved in the file (it was "
        "written by a program that does not calculate); read as missing",
        "open the file in Excel or LibreOffice and save it again, so the results "
        "are stored"),
    "bad_json": _m(
        "rekaman bukan JSON yang sah ({detail}); nilainya kosong",
        "tulis satu objek JSON per rekaman",
        "the record is not valid JSON ({detail}); its values are missing",
        "write one JSON object per record"),
    "not_an_object": _m(
        "rekaman berupa {type}, bukan objek dengan satu kunci per kolom; nilainya "
        "kosong", 'tulis rekaman sebagai objek: {{"kode ksm": "KSM-01", ...}}',
        "the record is a {type}, not an object with one key per column; its values "
        "are missing", 'write records as objects: {{"kode ksm": "KSM-01", ...}}'),
    "too_deep": _m(
        "rekaman bersarang lebih dari {limit} tingkat (batas max_json_depth); "
        "nilainya kosong",
        "tulis rekaman sebagai objek berisi nilai biasa, atau naikkan batas "
        "max_json_depth",
        "the record is nested more than {limit} levels deep (the limit "
        "max_json_depth); its values are missing",
        "write the record as an object of plain values, or raise the limit "
        "max_json_depth"),
    "json_nan": _m(
        "nilainya NaN (bukan angka), yang tidak diizinkan JSON; dibaca kosong",
        "tulis null untuk nilai yang kosong",
        "the value is NaN (not a number), which JSON does not allow; read as "
        "missing", "write null for a missing value"),
    "duplicate_key": _m(
        "kunci ini ditulis lebih dari sekali di rekaman; nilai terakhir dibaca",
        "tulis setiap kunci sekali saja",
        "the key is given more than once in the record; the last value is read",
        "give each key once"),
    "hidden_sheet": _m(
        "tidak ada lembar terlihat yang punya judul kolom ruleset, jadi lembar "
        "{sheet!r} dibaca, padahal lembar itu tersembunyi",
        "pastikan itu lembar yang dimaksud; pilih lembar dengan --sheet",
        "no visible sheet has the ruleset's headers, so sheet {sheet!r} was read, "
        "which is hidden", "check it is the sheet you mean; choose a sheet with "
        "--sheet"),
    "very_hidden_sheet": _m(
        "tidak ada lembar terlihat yang punya judul kolom ruleset, jadi lembar "
        "{sheet!r} dibaca, padahal lembar itu sangat tersembunyi (Excel tidak "
        "menampilkannya di Unhide)",
        "pastikan itu lembar yang dimaksud; pilih lembar dengan --sheet",
        "no visible sheet has the ruleset's headers, so sheet {sheet!r} was read, "
        "which is very hidden: Excel does not list it under Unhide",
        "check it is the sheet you mean; choose a sheet with --sheet"),
}

VALUES: dict[str, Message] = {
    "dash_missing": _m(
        "{text!r} dibaca kosong",
        "bila artinya nol atau 'tidak', tulis 0 atau tidak; kosongkan sel bila "
        "nilainya tidak diketahui",
        "{text!r} read as missing",
        "if it means zero or 'no', write 0 or tidak; leave the cell blank when the "
        "value is unknown"),
    "excel_error": _m(
        "sel berisi galat rumus {text}; dibaca kosong",
        "perbaiki rumus di lembar sumber, atau ketik nilainya",
        "the cell holds the formula error {text}; read as missing",
        "correct the formula in the source sheet, or type the value in"),
    "t_as_false": _m(
        "{text!r} dibaca sebagai tidak",
        "bila 't' di sini berarti ya (true), tulis ya; tulis tidak lengkap agar tidak "
        "ragu", "{text!r} read as tidak (no)",
        "if 't' means true here, write ya; write tidak in full to avoid doubt"),
    "not_boolean": _m(
        "{text!r} bukan ya atau tidak; dibaca kosong", "tulis ya atau tidak untuk "
        "{label}", "{text!r} is not ya or tidak; read as missing",
        "write ya or tidak for {label}"),
    "category_case": _m(
        "{text!r} dibaca sebagai {found!r} (huruf besar, spasi atau tanda baca "
        "berbeda)", "tulis persis {found!r}",
        "{text!r} read as {found!r} (case, spaces or punctuation differ)",
        "write it exactly as {found!r}"),
    "unknown_category": _m(
        "{text!r} bukan salah satu pilihan; dibaca kosong",
        "pakai salah satu: {allowed!r}",
        "{text!r} is not one of the allowed values; read as missing",
        "use one of: {allowed!r}"),
    "unknown_category_close": _m(
        "{text!r} bukan salah satu pilihan (mungkin maksudnya {suggestion!r}?); "
        "dibaca kosong", "pakai salah satu: {allowed!r}",
        "{text!r} is not one of the allowed values (did you mean {suggestion!r}?); "
        "read as missing", "use one of: {allowed!r}"),
    "not_a_number": _m(
        "{text!r} bukan angka; dibaca kosong",
        "tulis {label} sebagai angka, misalnya {example}, atau kosongkan sel bila "
        "tidak diketahui", "{text!r} is not a number; read as missing",
        "write {label} as a number, e.g. {example}, or leave the cell blank if it "
        "is unknown"),
    "yes_no_not_number": _m(
        "{text!r} adalah nilai ya/tidak, bukan angka; dibaca kosong",
        "tulis angka untuk {label}",
        "{text!r} is a yes/no value, not a number; read as missing",
        "write a number for {label}"),
    "date_not_number": _m(
        "{text!r} adalah tanggal atau jam, bukan angka; dibaca kosong",
        "format kolom sebagai Number di lembar kerja lalu ketik ulang nilainya",
        "{text!r} is a date or time, not a number; read as missing",
        "format the column as Number in the spreadsheet and type the value again"),
    "text_not_whole": _m(
        "{text!r} bukan bilangan bulat; dibaca kosong",
        "tulis {label} sebagai bilangan bulat",
        "{text!r} is not a whole number; read as missing",
        "write {label} as a whole number"),
    "ambiguous_separator": _m(
        "{text!r} bisa berarti {thousands} atau {decimal}; dibaca kosong",
        "untuk {thousands} tulis {digits} tanpa pemisah; untuk {decimal} ketik di "
        "sel berformat Number",
        "{text!r} could be {thousands} or {decimal}; read as missing",
        "for {thousands} write {digits} without a separator; for {decimal} type it "
        "into a cell formatted as Number"),
    "separator_by_column": _read_as(
        "nilai lain di kolom ini ditulis dengan cara yang sama",
        "the other values of this column are written the same way"),
    "separator_as_thousands": _read_as(
        "data ini bilangan bulat, jadi tanda itu pemisah ribuan",
        "the field holds whole numbers, so the sign separates thousands"),
    "unit_dropped": _read_as("satuan {unit!r} dibuang", "the unit {unit!r} dropped"),
    "decimal_comma": _read_as("koma desimal", "decimal comma"),
    "thousands_separator": _read_as("pemisah ribuan dibuang",
                                    "thousands separators removed"),
    "currency": _read_as("awalan mata uang dibuang", "currency prefix removed"),
    "percent_fraction": _read_as("data ini pecahan dari 0 sampai 1",
                                 "the field is a fraction from 0 to 1"),
    "percent_dropped": _read_as("data ini bukan pecahan, jadi tanda persen dibuang",
                                "the field is not a fraction, so the percent sign "
                                "is dropped"),
    "not_a_date": _m(
        "{text!r} bukan tanggal yang sah; dibaca kosong",
        "tulis tanggal sebagai hh/bb/tttt (misalnya 05/03/2024) atau tttt-bb-hh, "
        "atau format sel sebagai Date",
        "{text!r} is not a valid date; read as missing",
        "write the date as dd/mm/yyyy (e.g. 05/03/2024) or yyyy-mm-dd, or format "
        "the cell as Date"),
    "date_day_first": _read_as("hari lebih dulu, urutan Indonesia",
                               "day first, the Indonesian order", "date"),
    "date_month_first": _read_as("bulan lebih dulu, seperti tanggal lain di kolom "
                                 "ini", "month first, like the other dates in this "
                                 "column", "date"),
    "two_digit_year": _read_as("tahun dua angka", "two-digit year", "date"),
    "compact_date": _read_as("ttttbbhh", "yyyymmdd", "date"),
    "excel_serial": _read_as("nomor seri tanggal Excel", "an Excel date serial "
                             "number", "date"),
    "blank_group_id": _m(
        "kode kelompok kosong (sel kosong, atau bagian sel gabungan yang hanya "
        "menyimpan nilai di sel pertama); baris dinilai tanpa kode dan disebut "
        "dengan nomor barisnya",
        "ketik kode kelompok di baris ini (pisahkan sel gabungan dulu)",
        "the group id is blank (an empty cell, or one of merged cells, where only "
        "the first holds the value); the row is scored without an id and named by "
        "its row number",
        "type the group's id on this row (unmerge merged cells first)"),
    "duplicate_group_id": _m(
        "kode kelompok {group_id!r} juga ada di baris {first_row}; kedua baris "
        "dinilai", "beri setiap kelompok kodenya sendiri, atau hapus baris yang "
        "berulang", "the group id {group_id!r} is also on row {first_row}; both "
        "rows are scored", "give each group its own id, or delete the repeated row"),
}

_MAP_ID = ('bila kolom ini berisi data ruleset, petakan dengan --map "{column}=ID" '
           "atau di berkas pemetaan; bila tidak, tulis abaikan untuknya di berkas "
           "pemetaan")
_MAP_EN = ('if the column holds ruleset data, map it with --map "{column}=ID" or in '
           "a mapping file; if not, write ignore for it in the mapping file")

COLUMNS: dict[str, Message] = {
    "unmatched_column": _m(
        "kolom {column!r} tidak cocok dengan data mana pun di ruleset; isinya tidak "
        "dibaca", _MAP_ID,
        "column {column!r} matches no field of the ruleset; it is not read",
        _MAP_EN),
    "unmatched_column_close": _m(
        "kolom {column!r} tidak cocok dengan data mana pun di ruleset (mungkin "
        "maksudnya {suggestion} = {label}?); isinya tidak dibaca",
        'bila benar, petakan dengan --map "{column}={suggestion}"',
        "column {column!r} matches no field of the ruleset (did you mean "
        "{suggestion} = {label}?); it is not read",
        'if so, map it with --map "{column}={suggestion}"'),
    "ambiguous_column": _m(
        "kolom {column!r} mirip beberapa data: {candidates}; tidak ada yang dipilih "
        "dan isinya tidak dibaca",
        'pilih dengan --map "{column}=ID" atau di berkas pemetaan',
        "column {column!r} looks like several fields: {candidates}; none is chosen "
        "and it is not read",
        'choose with --map "{column}=ID" or in a mapping file'),
    "fuzzy_column": _m(
        "kolom {column!r} dibaca sebagai {field} ({label}) karena kata-katanya "
        "mirip; ini tebakan",
        'periksa; bila salah, petakan dengan --map "{column}=ID"',
        "column {column!r} is read as {field} ({label}) because its words are "
        "alike; this is a guess",
        'check it; if it is wrong, map it with --map "{column}=ID"'),
    "duplicate_header": _m(
        "{count} kolom cocok dengan data {field!r} ({headers!r}); yang pertama "
        "dibaca, yang lain diteruskan tanpa dibaca",
        "hapus atau ganti nama kolom tambahan itu",
        "{count} columns match field {field!r} ({headers!r}); the first is read and "
        "the others are passed through", "delete or rename the extra columns"),
    "missing_field": _m(
        "tidak ada kolom untuk {label} ({field}); jadi belum diketahui: {criteria}",
        'tambahkan kolomnya, atau petakan kolom yang berisi data ini dengan --map '
        '"JUDUL={field}"',
        "no column holds {label} ({field}); so these are unknown: {criteria}",
        'add the column, or map the column that holds it with --map '
        '"HEADER={field}"'),
    "missing_gate_field": _m(
        "tidak ada kolom untuk {label} ({field}); jadi belum diketahui: {criteria}; "
        "syarat tahap {stages} tidak dapat dinilai",
        'tambahkan kolomnya, atau petakan kolom yang berisi data ini dengan --map '
        '"JUDUL={field}"',
        "no column holds {label} ({field}); so these are unknown: {criteria}; the "
        "requirements of stage {stages} cannot be judged",
        'add the column, or map the column that holds it with --map '
        '"HEADER={field}"'),
    "missing_assessment_date": _m(
        "tidak ada kolom untuk {label} ({field}); jadi belum diketahui: {criteria}",
        "tambahkan kolom tanggal penilaian tiap baris, atau beri satu tanggal "
        "untuk seluruh berkas dengan --assessed-on TTTT-BB-HH",
        "no column holds {label} ({field}); so these are unknown: {criteria}",
        "add a column with each row's assessment date, or give one date for the "
        "whole file with --assessed-on YYYY-MM-DD"),
    "missing_field_unused": _m(
        "tidak ada kolom untuk {label} ({field}); tidak ada kriteria yang "
        "memakainya", "", "no column holds {label} ({field}); no criterion uses it",
        ""),
    "missing_field_covered": _m(
        "tidak ada kolom untuk {label} ({field}); kolom lain dipakai sebagai "
        "gantinya untuk: {criteria}", "",
        "no column holds {label} ({field}); another column stands in for it in: "
        "{criteria}", ""),
}

_FILE_ID = ("perbaiki berkas pemetaan: satu baris per kolom, JUDUL: ID_DATA (atau "
            "abaikan)")
_FILE_EN = "fix the mapping file: one line per column, HEADER: FIELD_ID (or ignore)"

MAPPING: dict[str, Message] = {
    "mapping_unknown_field": _m(
        "pemetaan kolom {column!r} menyebut data {field!r}, yang tidak ada di "
        "ruleset", "pakai id data dari ruleset ('kematangan rulesets show'), atau "
        "abaikan", "the mapping of column {column!r} names field {field!r}, which "
        "the ruleset does not have", "use a field id of the ruleset ('kematangan "
        "rulesets show'), or ignore"),
    "mapping_unknown_field_close": _m(
        "pemetaan kolom {column!r} menyebut data {field!r}, yang tidak ada di "
        "ruleset (mungkin maksudnya {suggestion!r}?)", "tulis {suggestion!r}",
        "the mapping of column {column!r} names field {field!r}, which the ruleset "
        "does not have (did you mean {suggestion!r}?)", "write {suggestion!r}"),
    "mapping_unknown_column": _m(
        "pemetaan menyebut kolom {column!r}, yang tidak ada di berkas",
        "tulis judul kolom persis seperti di berkas: {headers!r}",
        "the mapping names column {column!r}, which the file does not have",
        "write the header as the file has it: {headers!r}"),
    "mapping_unknown_column_close": _m(
        "pemetaan menyebut kolom {column!r}, yang tidak ada di berkas (mungkin "
        "maksudnya {suggestion!r}?)", "tulis {suggestion!r}",
        "the mapping names column {column!r}, which the file does not have (did you "
        "mean {suggestion!r}?)", "write {suggestion!r}"),
    "mapping_field_twice": _m(
        "pemetaan memberi data {field!r} dua kolom: {columns!r}",
        "petakan satu kolom saja ke data itu",
        "the mapping gives field {field!r} two columns: {columns!r}",
        "map one column to the field"),
    "mapping_bad_option": _m(
        "--map {text!r} tidak berbentuk JUDUL=ID_DATA",
        'tulis misalnya --map "Rapat 3 bln terakhir=meetings_last_3_months"',
        "--map {text!r} is not HEADER=FIELD",
        'write e.g. --map "Rapat 3 bln terakhir=meetings_last_3_months"'),
    "mapping_bad_file": _m(
        "berkas pemetaan {file!r} tidak dapat dibaca: {detail}", _FILE_ID,
        "the mapping file {file!r} cannot be read: {detail}", _FILE_EN),
}

ROWS: dict[str, Message] = {
    "row_blank": _m("baris kosong", "", "blank row", ""),
    "row_numbering": _m("baris nomor kolom ({text})", "",
                        "column-numbering row ({text})", ""),
    "row_total": _m("baris jumlah atau rata-rata ({text!r})", "",
                    "totals or averages row ({text!r})", ""),
    "row_footer": _m("di bawah tabel: tempat dan tanggal, tanda tangan atau catatan "
                     "({text!r})", "",
                     "below the table: place and date, signatures or notes "
                     "({text!r})", ""),
    "row_header": _m("judul kolom yang berulang ({text!r})", "",
                     "repeated header row ({text!r})", ""),
    "row_example": _m("baris contoh dari templat ({text!r})", "",
                      "the template's example row ({text!r})", ""),
}

MESSAGES: dict[str, Message] = {**CELLS, **VALUES, **COLUMNS, **MAPPING, **ROWS}
