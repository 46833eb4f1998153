"""Values the scorer cannot use (a record's field of the wrong type or out of bounds).

Parameters: ``value`` (the raw value, JSON-ready), ``type`` (its Python type name),
``min``/``max`` (the field's bounds), ``allowed`` (a category field's values),
``suggestion`` (the closest category or field), ``key`` (a record key or
column name that is not a field); for a failed consistency check, ``check``
(its id), ``fields`` (those made unusable), ``message`` and ``fix`` (the ruleset's
own texts, in both languages).
"""

from kematangan.catalogue import Message

MESSAGES: dict[str, Message] = {
    "expected_number": Message(
        id=("seharusnya angka, tertulis {shown}",
            "isi angka biasa (teks seperti '12,5' dibaca oleh pembaca berkas "
            "kematangan)"),
        en=("expected a number, got {shown}",
            "give a plain number (spreadsheet text such as '12,5' is read by "
            "kematangan's file readers)"),
    ),
    "not_finite": Message(
        id=("seharusnya angka terhingga, tertulis {value!r}",
            "isi angka yang terhingga"),
        en=("expected a finite number, got {value!r}", "give a finite number"),
    ),
    "not_whole": Message(
        id=("bukan bilangan bulat: {value!r}", "isi bilangan bulat"),
        en=("not a whole number: {value!r}", "give a whole number"),
    ),
    "below_minimum": Message(
        id=("nilai {value} di bawah batas terendah {min}",
            "isi nilai {range}, atau kosongkan bila tidak diketahui"),
        en=("value {value} is below the minimum {min}",
            "give a value {range}, or leave it blank if unknown"),
    ),
    "above_maximum": Message(
        id=("nilai {value} di atas batas tertinggi {max}",
            "isi nilai {range}, atau kosongkan bila tidak diketahui"),
        en=("value {value} is above the maximum {max}",
            "give a value {range}, or leave it blank if unknown"),
    ),
    "expected_boolean": Message(
        id=("seharusnya ya atau tidak, tertulis {shown}", "isi ya/tidak (atau 1/0)"),
        en=("expected true or false, got {shown}", "give true/false (or 1/0)"),
    ),
    "not_a_category": Message(
        id=("{shown} bukan salah satu kategori", "gunakan salah satu: {allowed}"),
        en=("{shown} is not one of the categories", "use one of: {allowed}"),
    ),
    "not_a_category_close": Message(
        id=("{shown} bukan salah satu kategori",
            "mungkin maksudnya {suggestion!r}? gunakan salah satu: {allowed}"),
        en=("{shown} is not one of the categories",
            "did you mean {suggestion!r}? use one of: {allowed}"),
    ),
    "check_failed": Message(
        id=("{message}", "{fix}"),
        en=("{message}", "{fix}"),
    ),
    "above_unconfirmed_maximum": Message(
        id=("nilai {value} di atas batas tertinggi {max}, yang belum dikonfirmasi "
            "sumber; nilai tetap dipakai", "periksa nilainya; bila benar, biarkan"),
        en=("value {value} is above the maximum {max}, which the source has not "
            "confirmed; the value is used", "check the value; if it is right, leave "
            "it"),
    ),
    "below_unconfirmed_minimum": Message(
        id=("nilai {value} di bawah batas terendah {min}, yang belum dikonfirmasi "
            "sumber; nilai tetap dipakai", "periksa nilainya; bila benar, biarkan"),
        en=("value {value} is below the minimum {min}, which the source has not "
            "confirmed; the value is used", "check the value; if it is right, leave "
            "it"),
    ),
    "unknown_key": Message(
        id=("{key!r} bukan data ruleset ini; tidak dibaca",
            "pakai id data dari ruleset, atau petakan dengan map_columns"),
        en=("{key!r} is not a field of the ruleset; it is not read",
            "use the ruleset's field ids, or map the names with map_columns"),
    ),
    "unknown_key_close": Message(
        id=("{key!r} bukan data ruleset ini (mungkin maksudnya {suggestion!r}?); "
            "tidak dibaca", "ganti namanya menjadi {suggestion!r}"),
        en=("{key!r} is not a field of the ruleset (did you mean {suggestion!r}?); "
            "it is not read", "rename it {suggestion!r}"),
    ),
    "expected_date": Message(
        id=("seharusnya tanggal, tertulis {shown}",
            "isi tanggal dengan format TTTT-BB-HH"),
        en=("expected a date, got {shown}", "give a date as YYYY-MM-DD"),
    ),
}
