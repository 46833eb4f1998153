"""Problems of histories: a ruleset's validity dates and ``history`` section, and
records of many periods (periods that cannot be read, two assessments of one group
in one period, no ruleset valid on an assessment date).

Common parameters: ``period`` (a period as written), ``forms`` (the period forms
read), ``cadence`` (month, quarter or year), ``family`` (a ruleset family).
"""

from kematangan.catalogue import Message


def _m(id_problem: str, id_fix: str, en_problem: str, en_fix: str) -> Message:
    return Message(id=(id_problem, id_fix), en=(en_problem, en_fix))


MESSAGES: dict[str, Message] = {
    # ---- the ruleset: validity and the history section ------------------------
    "validity_order": _m(
        "valid_until {until} lebih awal dari valid_from {since}",
        "tukar kedua tanggal, atau perbaiki salah satunya",
        "valid_until {until} is before valid_from {since}",
        "swap the two dates, or correct one of them"),
    "history_exit_measure": _m(
        "history.exit memerlukan tepat satu dari 'periods' atau 'months'",
        "tulis mis. 'periods: 4' (empat periode berturut-turut) atau 'months: 12'",
        "history.exit needs exactly one of 'periods' or 'months'",
        "write e.g. 'periods: 4' (four periods in a row) or 'months: 12'"),
    "history_exit_needs_exit": _m(
        "history.exit memerlukan aturan pelepasan ('exit') di ruleset",
        "tambahkan bagian 'exit' dengan tahap pelepasannya, atau hapus history.exit",
        "history.exit needs the ruleset's exit rule ('exit')",
        "add an 'exit' section with its stage, or remove history.exit"),
    "history_stagnation_duplicate": _m(
        "tahap {stage!r} punya lebih dari satu aturan stagnasi",
        "satukan menjadi satu aturan per tahap",
        "stage {stage!r} has more than one stagnation rule",
        "keep one rule per stage"),
    "history_formation_type": _m(
        "field pembentukan {field!r} bertipe {type}, bukan tanggal atau tahun",
        "pakai field bertipe date, atau integer yang berisi tahun",
        "formation field {field!r} is a {type} field, not a date or a year",
        "use a date field, or an integer field holding the year"),
    "history_message_placeholder": _m(
        "pesan menyebut {name!r}, yang tidak dikenal di sini",
        "nama yang dapat dipakai: {allowed}",
        "the message names {name!r}, which is not known here",
        "names allowed: {allowed}"),
    "history_message_format": _m(
        "pesan bukan templat yang sah: {reason}",
        "tulis nama di antara kurung kurawal, mis. {{months}}; '{{{{' untuk '{{'",
        "the message is not a valid template: {reason}",
        "write names in braces, e.g. {{months}}; '{{{{' for a brace"),
    "history_period_record": _m(
        "periode memerlukan tepat satu dari 'record' atau 'changes'",
        "periode pertama memakai 'record' (data lengkap); periode berikutnya boleh "
        "'changes' (yang berubah saja)",
        "a period needs exactly one of 'record' or 'changes'",
        "the first period gives 'record' (all data); later ones may give 'changes' "
        "(what changed)"),
    "history_period_invalid": _m(
        "{period!r} bukan periode", "tulis periode seperti: {forms}",
        "{period!r} is not a period", "write periods like: {forms}"),
    "history_period_coarser": _m(
        "periode {period!r} lebih panjang dari satu periode penilaian ({cadence})",
        "tulis periode {cadence}, atau ubah history.cadence",
        "period {period!r} is longer than one assessment period ({cadence})",
        "write a {cadence} period, or change history.cadence"),
    "history_period_duplicate": _m(
        "periode {period!r} muncul lebih dari sekali",
        "satu catatan per periode; hapus salah satunya",
        "period {period!r} appears more than once",
        "one record per period; remove one of them"),
    "history_period_not_in_case": _m(
        "periode {period!r} tidak ada di antara periode kasus ini",
        "sebut salah satu periodenya: {periods}",
        "period {period!r} is not one of this case's periods",
        "name one of its periods: {periods}"),
    # ---- records of many periods --------------------------------------------
    "period_missing": _m(
        "baris tanpa periode maupun tanggal penilaian",
        "isi kolom periode (mis. 2024Q3) atau tanggal penilaian",
        "the row has neither a period nor an assessment date",
        "fill in the period (e.g. 2024Q3) or the assessment date"),
    "period_unreadable": _m(
        "{period!r} bukan periode", "tulis periode seperti: {forms}",
        "{period!r} is not a period", "write periods like: {forms}"),
    "period_too_long": _m(
        "periode {period!r} lebih panjang dari satu periode penilaian ({cadence})",
        "tulis periode {cadence} atau lebih pendek, atau pilih --cadence lain",
        "period {period!r} is longer than one assessment period ({cadence})",
        "write a {cadence} period or a shorter one, or choose another --cadence"),
    "period_from_file_name": _m(
        "berkas tanpa kolom periode atau tanggal: periode {period} diambil dari nama "
        "berkasnya",
        "periksa bahwa nama berkas menyebut periode yang benar, atau tambahkan "
        "kolom Periode",
        "the file has no period or date column: period {period} is taken from its "
        "name",
        "check that the file name gives the right period, or add a Periode column"),
    "date_outside_period": _m(
        "tanggal penilaian {date} di luar periode {period}",
        "perbaiki tanggal atau periodenya",
        "assessment date {date} is outside period {period}",
        "correct the date or the period"),
    "date_unreadable": _m(
        "{value!r} bukan tanggal", "tulis tanggal sebagai TTTT-BB-HH",
        "{value!r} is not a date", "write it as YYYY-MM-DD"),
    "group_id_missing": _m(
        "baris tanpa kode kelompok", "isi kode kelompok",
        "the row has no group id", "fill in the group id"),
    "assessment_duplicate": _m(
        "kelompok {group!r} dinilai lebih dari sekali pada periode {period} "
        "(baris {rows})",
        "simpan satu penilaian per kelompok per periode, atau pilih --cadence yang "
        "lebih pendek",
        "group {group!r} is assessed more than once in period {period} (rows {rows})",
        "keep one assessment per group per period, or choose a shorter --cadence"),
    "no_ruleset_valid": _m(
        "tidak ada ruleset keluarga {family!r} yang berlaku pada {date} (periode "
        "{period}); yang ada: {known}",
        "beri ruleset yang berlaku pada tanggal itu dengan -r, atau hapus periode "
        "itu dari data",
        "no ruleset of family {family!r} is valid on {date} (period {period}); "
        "known: {known}",
        "give a ruleset valid on that date with -r, or leave that period out of "
        "the data"),
    "rulesets_overlap": _m(
        "ruleset {first!r} dan {second!r} dari keluarga {family!r} sama-sama berlaku "
        "pada {date}",
        "atur valid_from dan valid_until agar masa berlakunya tidak bertumpuk",
        "rulesets {first!r} and {second!r} of family {family!r} are both valid on "
        "{date}",
        "set valid_from and valid_until so their periods do not overlap"),
    "families_differ": _m(
        "ruleset {first!r} (keluarga {family!r}) dan {second!r} (keluarga {other!r}) "
        "bukan versi instrumen yang sama",
        "beri ruleset dari satu keluarga saja untuk satu riwayat",
        "rulesets {first!r} (family {family!r}) and {second!r} (family {other!r}) "
        "are not versions of one instrument",
        "give rulesets of one family for one history"),
    "family_ladders_differ": _m(
        "ruleset {first!r} dan {second!r} punya {what} yang berbeda; riwayat tidak "
        "dapat membandingkannya",
        "pakai ruleset dengan tahap dan kelas yang sama di satu riwayat",
        "rulesets {first!r} and {second!r} have different {what}; a history cannot "
        "compare them",
        "use rulesets with the same stages and classes in one history"),
}
