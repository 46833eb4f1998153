"""Roll-ups: a parent ruleset's ``members`` section, and the member and parent data
a roll-up reads.

Parameters: ``name`` (an aggregate name, or an id inside one), ``part`` (the part of
an aggregate name that is wrong), ``want`` (the form expected), ``field`` (a parent
field), ``ruleset`` (the member ruleset's id), ``column`` (an input header),
``parent`` (a parent id), ``rows`` (spreadsheet rows).
"""

from kematangan.catalogue import Message


def _m(id_problem: str, id_fix: str, en_problem: str, en_fix: str) -> Message:
    return Message(id=(id_problem, id_fix), en=(en_problem, en_fix))


def _unknown_in_member(id_kind: str, en_kind: str) -> tuple[Message, Message]:
    return (
        _m(f"{id_kind} {{name!r}} tidak ada di ruleset anggota {{ruleset!r}}",
           f"gunakan {id_kind} yang ada di ruleset {{ruleset!r}}",
           f"{en_kind} {{name!r}} is not in the member ruleset {{ruleset!r}}",
           f"use a {en_kind} of ruleset {{ruleset!r}}"),
        _m(f"{id_kind} {{name!r}} tidak ada di ruleset anggota {{ruleset!r}} "
           "(mungkin maksudnya {suggestion!r}?)", "ganti menjadi {suggestion!r}",
           f"{en_kind} {{name!r}} is not in the member ruleset {{ruleset!r}} "
           "(did you mean {suggestion!r}?)", "write {suggestion!r}"),
    )


_STAGE = _unknown_in_member("tahap", "stage")
_CLASS = _unknown_in_member("kelas", "class")
_CRITERION = _unknown_in_member("kriteria", "criterion")
_VALUE = _unknown_in_member("field", "field")

MESSAGES: dict[str, Message] = {
    # ---- the members section of a parent ruleset ----------------------------
    "aggregate_measure_unknown": _m(
        "agregat {name!r} tidak dikenal: {part!r} bukan ukuran",
        "awali dengan salah satu dari: {allowed}",
        "unknown aggregate {name!r}: {part!r} is not a measure",
        "start it with one of: {allowed}"),
    "aggregate_measure_unknown_close": _m(
        "agregat {name!r} tidak dikenal: {part!r} bukan ukuran (mungkin maksudnya "
        "{suggestion!r}?)", "ganti menjadi {suggestion!r}",
        "unknown aggregate {name!r}: {part!r} is not a measure (did you mean "
        "{suggestion!r}?)", "write {suggestion!r}"),
    "aggregate_which_unknown": _m(
        "agregat {name!r} tidak dikenal: {part!r} tidak memilih anggota",
        "gunakan salah satu dari: {allowed}",
        "unknown aggregate {name!r}: {part!r} does not select members",
        "use one of: {allowed}"),
    "aggregate_which_unknown_close": _m(
        "agregat {name!r} tidak dikenal: {part!r} tidak memilih anggota (mungkin "
        "maksudnya {suggestion!r}?)", "ganti menjadi {suggestion!r}",
        "unknown aggregate {name!r}: {part!r} does not select members (did you "
        "mean {suggestion!r}?)", "write {suggestion!r}"),
    "aggregate_incomplete": _m(
        "agregat {name!r} belum lengkap", "tulis dalam bentuk {want}",
        "aggregate {name!r} is incomplete", "write it as {want}"),
    "aggregate_extra_part": _m(
        "agregat {name!r} punya bagian lebih", "tulis dalam bentuk {want}",
        "aggregate {name!r} has parts too many", "write it as {want}"),
    "aggregate_field_type": _m(
        "field {field!r} bertipe {type} dan tidak dapat menampung agregat {name!r}",
        "beri field itu tipe: {want}",
        "field {field!r} is of type {type} and cannot hold aggregate {name!r}",
        "give the field the type: {want}"),
    "aggregate_share_bounds": _m(
        "batas field {field!r} menolak bagian antara 0 dan 1",
        "hapus min/max field itu, atau beri min 0 dan max 1",
        "the bounds of field {field!r} refuse shares from 0 to 1",
        "remove the field's min/max, or give min 0 and max 1"),
    "aggregate_sum_type": _m(
        "{name!r} di ruleset anggota {ruleset!r} bukan angka atau ya/tidak, jadi "
        "tidak dapat dijumlahkan", "jumlahkan field angka",
        "{name!r} of member ruleset {ruleset!r} is not a number or yes/no and "
        "cannot be summed", "sum a number field"),
    "member_ruleset_self": _m(
        "ruleset {id!r} menyebut dirinya sendiri sebagai ruleset anggota",
        "sebut ruleset kelompok anggotanya, misalnya 'ppmk-ksm'",
        "ruleset {id!r} names itself as its member ruleset",
        "name the member groups' ruleset, e.g. 'ppmk-ksm'"),
    "member_no_exit": _m(
        "ruleset anggota {ruleset!r} tidak punya aturan 'exit'",
        "pilih agregat lain", "member ruleset {ruleset!r} has no 'exit' rule",
        "choose another aggregate"),
    "member_stage_unknown": _STAGE[0],
    "member_stage_unknown_close": _STAGE[1],
    "member_class_unknown": _CLASS[0],
    "member_class_unknown_close": _CLASS[1],
    "member_criterion_unknown": _CRITERION[0],
    "member_criterion_unknown_close": _CRITERION[1],
    "member_value_unknown": _VALUE[0],
    "member_value_unknown_close": _VALUE[1],
    # ---- the data a roll-up reads ---------------------------------------------
    "parent_id_blank": _m(
        "kelompok ini tidak punya kode induk di kolom {column!r}",
        "isi kode induknya; sampai diisi, kelompok ini dihitung di baris 'tanpa "
        "induk', bukan di induk mana pun",
        "this group has no parent id in column {column!r}",
        "fill in its parent id; until then it is counted in the 'no parent' row, "
        "under no parent"),
    "parent_column_missing": _m(
        "kolom induk {column!r} tidak ada di berkas", "pilih salah satu kolom: "
        "{headers}", "no parent column {column!r} in the file",
        "choose one of the columns: {headers}"),
    "parent_column_missing_close": _m(
        "kolom induk {column!r} tidak ada di berkas (mungkin maksudnya "
        "{suggestion!r}?)", "tulis --by {suggestion!r}",
        "no parent column {column!r} in the file (did you mean {suggestion!r}?)",
        "write --by {suggestion!r}"),
    "parent_ruleset_no_members": _m(
        "ruleset {ruleset!r} tidak punya bagian 'members', jadi bukan ruleset "
        "tingkat induk", "pakai ruleset tingkat induk, misalnya 'bkm-lkm'",
        "ruleset {ruleset!r} has no 'members' section, so it is not a parent-level "
        "ruleset", "use a parent-level ruleset, e.g. 'bkm-lkm'"),
    "member_ruleset_mismatch": _m(
        "ruleset induk {ruleset!r} menilai kelompok anggota dengan {expected!r}, "
        "bukan {got!r}",
        "nilai kelompok anggota dengan -r {expected}, atau ubah members.ruleset "
        "di ruleset induk",
        "parent ruleset {ruleset!r} scores its member groups with {expected!r}, "
        "not {got!r}",
        "score the member groups with -r {expected}, or change members.ruleset in "
        "the parent ruleset"),
    "parent_data_no_id": _m(
        "data induk tidak punya kolom kode induk ({label})",
        "tambahkan kolom kode induk dengan judul seperti {label!r}",
        "the parent data has no parent id column ({label})",
        "add a parent id column headed like {label!r}"),
    "parent_data_id_blank": _m(
        "baris data induk ini tidak punya kode induk, jadi tidak dipasangkan dengan "
        "induk mana pun", "isi kode induknya",
        "this parent data row has no parent id, so it is joined to no parent",
        "fill in its parent id"),
    "parent_data_duplicate": _m(
        "kode induk {parent!r} muncul dua kali di data induk (baris {rows})",
        "satukan kedua baris itu menjadi satu baris per induk",
        "parent id {parent!r} appears twice in the parent data (rows {rows})",
        "merge the rows into one row per parent"),
    "parent_without_members": _m(
        "induk {parent!r} ada di data induk tetapi tidak punya kelompok anggota di "
        "berkas kelompok; field agregatnya tidak diketahui",
        "periksa kode induk di berkas kelompok",
        "parent {parent!r} is in the parent data but has no member groups in the "
        "group file; its aggregate fields are unknown",
        "check the parent ids in the group file"),
    "parent_without_data": _m(
        "induk {parent!r} tidak ada di data induk; field miliknya sendiri tidak "
        "diketahui", "tambahkan barisnya ke data induk",
        "parent {parent!r} is not in the parent data; its own fields are unknown",
        "add its row to the parent data"),
    "parent_without_data_close": _m(
        "induk {parent!r} tidak ada di data induk (mungkin maksudnya "
        "{suggestion!r}?); field miliknya sendiri tidak diketahui",
        "samakan kode induknya di kedua berkas",
        "parent {parent!r} is not in the parent data (did you mean {suggestion!r}?); "
        "its own fields are unknown", "make the parent ids agree in both files"),
    "aggregate_column_not_read": _m(
        "field {field!r} dihitung dari kelompok anggota ({name}); nilainya di data "
        "induk tidak dipakai", "hapus kolom itu dari data induk",
        "field {field!r} is computed from the member groups ({name}); its values "
        "in the parent data are not used", "remove the column from the parent data"),
}
