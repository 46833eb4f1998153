"""Exceptions raised by kematangan.

The tree::

    KematanganError
    ├── RulesetError (also ValueError)   the ruleset is wrong
    │   └── ExpressionError              an expression does not parse or type-check
    ├── InputError (also ValueError)     the data is wrong (a file, a table, a record)
    │   └── RecordError                  one record cannot be scored at all
    └── EngineError (also RuntimeError)  a backend (durable-rules, scikit-learn) failed

"Criterion not met" is a result, never an error. Values that are out of bounds or of
the wrong type inside an otherwise readable record are reported as
:class:`Problem` items on the result, not raised.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "EngineError",
    "ExpressionError",
    "InputError",
    "KematanganError",
    "Problem",
    "RecordError",
    "RulesetError",
    "suggest",
]


def suggest(name: str, choices: Iterable[str]) -> str | None:
    """Return the closest match for ``name`` among ``choices``, if any is close.

    Examples
    --------
    >>> suggest("repayment_rte", ["repayment_rate", "members"])
    'repayment_rate'
    >>> suggest("zzz", ["members"]) is None
    True
    """
    found = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a ruleset file, with where it is and how to fix it.

    Examples
    --------
    >>> str(Problem("criteria[2].field", "unknown field 'x'", line=14, file="r.yaml"))
    "r.yaml:14: criteria[2].field: unknown field 'x'"
    """

    location: str
    message: str
    line: int | None = None
    column: int | None = None
    file: str | None = None

    def __str__(self) -> str:
        where = self.file or "<ruleset>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        loc = f" {self.location}:" if self.location else ""
        return f"{where}:{loc} {self.message}"


class KematanganError(Exception):
    """Base class of every error kematangan raises on purpose."""


class RulesetError(KematanganError, ValueError):
    """A ruleset is invalid. Carries every problem found, not just the first.

    Examples
    --------
    >>> err = RulesetError([Problem("fields[0].id", "duplicate id 'a'", line=3)])
    >>> print(err)
    ruleset has 1 problem:
      <ruleset>:3: fields[0].id: duplicate id 'a'
    """

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        self.problems: list[Problem] = list(problems)
        n = len(self.problems)
        head = f"ruleset has {n} problem{'s' if n != 1 else ''}:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class ExpressionError(RulesetError):
    """An expression is malformed; ``line`` and ``column`` are 1-based within it."""

    def __init__(
        self, message: str, *, text: str, column: int, line: int = 1
    ) -> None:
        self.text = text
        self.expr_line = line
        self.expr_column = column
        self.reason = message
        pointer = " " * (column - 1) + "^"
        detail = f"{message} (line {line}, column {column})\n    {text}\n    {pointer}"
        super().__init__([Problem("", detail)])


class InputError(KematanganError, ValueError):
    """Input data cannot be read: a file, a table or a column is unusable.

    Examples
    --------
    >>> print(InputError("no header matches the ruleset", fix="rename the headers"))
    no header matches the ruleset (fix: rename the headers)
    """

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.row = row
        self.column = column
        self.fix = fix
        parts = []
        if row is not None:
            parts.append(f"row {row}")
        if column is not None:
            parts.append(f"column {column!r}")
        prefix = (", ".join(parts) + ": ") if parts else ""
        text = prefix + message + (f" (fix: {fix})" if fix else "")
        super().__init__(text)


class RecordError(InputError):
    """A single record cannot be scored at all (for example, it is not a mapping)."""


@dataclass
class EngineError(KematanganError, RuntimeError):
    """A scoring backend failed; ``backend`` names it and ``cause`` is its message."""

    backend: str
    detail: str
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(f"{self.backend}: {self.detail}")

    def __str__(self) -> str:
        return f"{self.backend}: {self.detail}"
