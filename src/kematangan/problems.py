"""The one problem type: something wrong with a ruleset, a file, a record or a value.

Every part of kematangan reports what it could not use, or had to read in another
form, as a :class:`Problem`: a stable ``code``, the ``params`` the code's texts are
written from, a ``severity``, and where it is. Its texts come from the
:mod:`~kematangan.catalogue` in the language asked for, so the same problem reads
right in Indonesian and English.

Where a problem is, as the user sees it:

* in data: ``row`` is 1-based (the spreadsheet row, the CSV or JSON Lines line's
  record, or the record's position in a list given to the scorer), ``column`` the
  input header as written, ``field`` the ruleset field it feeds, ``value`` the value
  as given;
* in a ruleset: ``file``, ``line`` and ``text_column`` (1-based), and ``path``, the
  dotted location of the key (``criteria[3].threshold.value``).

Examples
--------
>>> p = Problem("below_minimum", {"value": -3, "min": 0, "max": 500}, row=4,
...             column="Jumlah anggota", field="members", value=-3)
>>> print(p)
row 4, column 'Jumlah anggota': value -3 is below the minimum 0 (fix: give a value from 0 to 500, or leave it blank if unknown)
>>> p.problem("id")
'nilai -3 di bawah batas terendah 0'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from kematangan.catalogue import render

__all__ = ["Problem", "ProblemField", "Severity"]

Severity = Literal["error", "note"]
"""``error``: the thing is unusable (a value is read as missing, a ruleset is
refused). ``note``: it was used, but read in another form, and the note says how."""

_EMPTY: Mapping[str, Any] = {}


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """One problem, with where it is and how to fix it (see the module docstring)."""

    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    severity: Severity = "error"
    row: int | None = None
    column: str | None = None
    field: str | None = None
    value: Any = None
    count: int = 1
    """How many cells a note stands for (notes of one column and kind are folded)."""
    file: str | None = None
    line: int | None = None
    text_column: int | None = None
    path: str = ""

    def problem(self, lang: str = "en") -> str:
        """What is wrong, in ``lang`` (``id`` or ``en``)."""
        return render(self.code, self.params, lang)[0]

    def fix(self, lang: str = "en") -> str:
        """What to do about it, in ``lang`` (may be empty for a note)."""
        return render(self.code, self.params, lang)[1]

    def where(self, lang: str = "en") -> str:
        """The location as text: ``row 4, column 'X'`` (``baris 4, kolom 'X'`` in
        Indonesian) or ``r.yaml:14:3: criteria[2]``.

        Examples
        --------
        >>> Problem("not_whole", file="r.yaml", line=14,
        ...         path="criteria[2].field").where()
        'r.yaml:14: criteria[2].field'
        >>> Problem("not_whole", row=3, field="members").where()
        "row 3, field 'members'"
        >>> Problem("period_missing", file="ksm-2024Q3.xlsx", row=3).where()
        'ksm-2024Q3.xlsx, row 3'
        >>> Problem("not_whole", row=3, column="Anggota").where("id")
        "baris 3, kolom 'Anggota'"
        """
        if self.line is not None or self.path or (self.file is not None
                                                  and self.row is None):
            at = self.file or "<ruleset>"
            if self.line is not None:
                at += f":{self.line}"
                if self.text_column is not None:
                    at += f":{self.text_column}"
            return f"{at}: {self.path}" if self.path else at
        row, column, field = (("baris", "kolom", "data") if lang == "id"
                              else ("row", "column", "field"))
        parts = [] if self.file is None else [self.file]
        if self.row is not None:
            parts.append(f"{row} {self.row}")
        if self.column is not None:
            parts.append(f"{column} {self.column!r}")
        elif self.field is not None:
            parts.append(f"{field} {self.field!r}")
        return ", ".join(parts)

    def text(self, lang: str = "en") -> str:
        """The whole problem as one line: where, what, and the fix."""
        problem, fix = render(self.code, self.params, lang)
        where = self.where(lang)
        fix_word = "perbaikan" if lang == "id" else "fix"
        line = f"{where}: {problem}" if where else problem
        return f"{line} ({fix_word}: {fix})" if fix else line

    def __str__(self) -> str:
        return self.text("en")

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """A JSON-ready mapping: code, severity, location, value, and the texts.

        Keys whose value is empty (no file, no line) are left out.

        Examples
        --------
        >>> Problem("not_whole", {"value": 2.5}, row=2, field="members",
        ...         value=2.5).to_dict()
        {'code': 'not_whole', 'severity': 'error', 'row': 2, 'field': 'members', 'value': 2.5, 'params': {'value': 2.5}, 'problem': 'not a whole number: 2.5', 'fix': 'give a whole number'}
        """
        problem, fix = render(self.code, self.params, lang)
        out: dict[str, Any] = {"code": self.code, "severity": self.severity}
        for name in ("row", "column", "field", "file", "line", "text_column"):
            got = getattr(self, name)
            if got is not None:
                out[name] = got
        if self.path:
            out["path"] = self.path
        if self.file is None and self.line is None and not self.path:
            out["value"] = self.value  # a data problem says which value, even none
        if self.count != 1:
            out["count"] = self.count
        if self.params:
            out["params"] = dict(self.params)
        out["problem"] = problem
        out["fix"] = fix
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Problem:
        """The problem a :meth:`to_dict` mapping describes (its texts are
        re-rendered from the code, so they are not read back).

        Examples
        --------
        >>> p = Problem("not_whole", {"value": 2.5}, row=2, field="members", value=2.5)
        >>> Problem.from_dict(p.to_dict()) == p
        True
        """
        if isinstance(data, cls):
            return data
        if not isinstance(data, Mapping) or not isinstance(data.get("code"), str):
            raise ValueError("a problem is a mapping with a 'code'")
        names = {f.name for f in dataclasses.fields(cls)}
        given = {k: v for k, v in data.items() if k in names}
        params = given.get("params", {})
        if not isinstance(params, Mapping):
            raise ValueError("a problem's 'params' must be a mapping")
        return cls(**{**given, "params": dict(params)})


ProblemField = Annotated[
    Problem,
    PlainValidator(Problem.from_dict),
    PlainSerializer(lambda p: p.to_dict(), return_type=dict[str, Any]),
    WithJsonSchema({"type": "object", "required": ["code", "severity", "problem",
                                                   "fix"]}),
]
"""A :class:`Problem` inside a pydantic model: written as :meth:`Problem.to_dict`
(English texts), read back with :meth:`Problem.from_dict`."""
