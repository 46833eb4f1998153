"""Indonesian wording of the scorer's data-issue messages.

The scorer reports unusable values in English (:class:`~kematangan.RecordIssue`);
an explanation for a group in Indonesian says the same in Indonesian. Each English
message shape has one pattern here; a message without one is shown as it is.
"""

from __future__ import annotations

import re

__all__ = ["issue_text"]

_PROBLEMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^value (.+) is below the minimum (.+)$"),
     r"nilai \1 di bawah batas terendah \2"),
    (re.compile(r"^value (.+) is above the maximum (.+)$"),
     r"nilai \1 di atas batas tertinggi \2"),
    (re.compile(r"^not a whole number: (.+)$"), r"bukan bilangan bulat: \1"),
    (re.compile(r"^expected a finite number, got (.+)$"),
     r"seharusnya angka terhingga, tertulis \1"),
    (re.compile(r"^expected a number, got text (.+)$"),
     r"seharusnya angka, tertulis teks \1"),
    (re.compile(r"^expected a number, got (.+)$"), r"seharusnya angka, tertulis \1"),
    (re.compile(r"^expected true or false, got text (.+)$"),
     r"seharusnya ya atau tidak, tertulis teks \1"),
    (re.compile(r"^expected true or false, got (.+)$"),
     r"seharusnya ya atau tidak, tertulis \1"),
    (re.compile(r"^text (.+) is not one of the categories$"),
     r"teks \1 bukan salah satu kategori"),
    (re.compile(r"^(.+) is not one of the categories$"),
     r"\1 bukan salah satu kategori"),
    (re.compile(r"^expected a date, got text (.+)$"),
     r"seharusnya tanggal, tertulis teks \1"),
    (re.compile(r"^expected a date, got (.+)$"), r"seharusnya tanggal, tertulis \1"),
]

_FIXES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^give a value from (.+) to (.+), or leave it blank if unknown$"),
     r"isi nilai dari \1 sampai \2, atau kosongkan bila tidak diketahui"),
    (re.compile(r"^give a whole number$"), "isi bilangan bulat"),
    (re.compile(r"^give a finite number$"), "isi angka yang terhingga"),
    (re.compile(r"^give a plain number .*$"),
     "isi angka biasa (teks seperti '12,5' dibaca oleh pembaca berkas kematangan)"),
    (re.compile(r"^give true/false \(or 1/0\)$"), "isi ya/tidak (atau 1/0)"),
    (re.compile(r"^did you mean (.+)\? use one of: (.+)$"),
     r"mungkin maksudnya \1? gunakan salah satu: \2"),
    (re.compile(r"^use one of: (.+)$"), r"gunakan salah satu: \1"),
    (re.compile(r"^give a date as YYYY-MM-DD$"),
     "isi tanggal dengan format TTTT-BB-HH"),
]


def _translate(text: str, table: list[tuple[re.Pattern[str], str]]) -> str:
    for pattern, template in table:
        if pattern.match(text):
            return pattern.sub(template, text)
    return text


def issue_text(problem: str, fix: str, lang: str) -> tuple[str, str]:
    """The problem and fix of a data issue in ``lang`` (``id`` or ``en``).

    Examples
    --------
    >>> issue_text("value 900 is above the maximum 500",
    ...            "give a value from 0 to 500, or leave it blank if unknown", "id")
    ('nilai 900 di atas batas tertinggi 500', 'isi nilai dari 0 sampai 500, atau kosongkan bila tidak diketahui')
    >>> issue_text("value 900 is above the maximum 500", "x", "en")[0]
    'value 900 is above the maximum 500'
    """
    if lang != "id":
        return problem, fix
    return _translate(problem, _PROBLEMS), _translate(fix, _FIXES)
