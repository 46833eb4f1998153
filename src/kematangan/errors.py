"""Exceptions raised by kematangan.

The tree::

    KematanganError
    ├── RulesetError (also ValueError)   the ruleset is wrong
    │   ├── ExpressionError              an expression does not parse or type-check
    │   └── ModelRulesetMismatchError    a saved model was fitted with another ruleset
    │                                    (also a ModelError)
    ├── InputError (also ValueError)     the data is wrong (a file, a table, a record)
    │   ├── RecordError                  one record cannot be scored at all
    │   └── ModelError                   a saved model file is invalid (names the field)
    │       └── ModelRulesetMismatchError
    ├── ModelNotFittedError              a model was used before fitting or loading
    │   (also ValueError, AttributeError, as scikit-learn's NotFittedError)
    └── EngineError (also RuntimeError)  a backend (durable-rules, scikit-learn) failed

    UserWarning
    └── CalibrationDataWarning           too few labelled groups to calibrate reliably

"Criterion not met" is a result, never an error. Every ruleset problem is a
:class:`kematangan.problems.Problem` (a code, its parameters and where it is); a
:class:`RulesetError` carries all of them at once, and so does a
:class:`ModelError` for a saved model.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kematangan.problems import Problem

__all__ = [
    "CalibrationDataWarning",
    "EngineError",
    "ExpressionError",
    "InputError",
    "KematanganError",
    "ModelError",
    "ModelNotFittedError",
    "ModelRulesetMismatchError",
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


class KematanganError(Exception):
    """Base class of every error kematangan raises on purpose."""


class RulesetError(KematanganError, ValueError):
    """A ruleset is invalid. Carries every problem found, not just the first.

    ``problems`` are :class:`~kematangan.problems.Problem` items with a code,
    parameters, file, line, column and dotted path; a plain message (from code that
    has no catalogue entry for it yet) becomes one problem of code
    ``ruleset_message``.

    Examples
    --------
    >>> err = RulesetError([Problem("duplicate_id", {"id": "a"}, file="r.yaml",
    ...                             line=3, path="fields[1].id")])
    >>> print(err)
    ruleset has 1 problem:
      r.yaml:3: fields[1].id: duplicate id 'a' (fix: give each item its own id)
    >>> err.problems[0].problem("id")
    "id 'a' dipakai dua kali"
    """

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("ruleset_message", {"message": problems})]
        self.problems: list[Problem] = list(problems)
        n = len(self.problems)
        head = f"ruleset has {n} problem{'s' if n != 1 else ''}:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class ExpressionError(RulesetError):
    """An expression is malformed; ``expr_line`` and ``expr_column`` are 1-based
    within it, and ``problem`` says what is wrong.

    Examples
    --------
    >>> from kematangan.criteria.expr import parse
    >>> try:
    ...     parse("members >= 3 3")
    ... except ExpressionError as err:
    ...     print(err.problem.code, err.expr_line, err.expr_column)
    expr_expected_operator 1 14
    """

    def __init__(self, code: str, params: dict[str, object] | None = None, *,
                 text: str, column: int, line: int = 1) -> None:
        self.text = text
        self.expr_line = line
        self.expr_column = column
        self.problem = Problem(code, params or {}, file="<expression>", line=line,
                               text_column=column)
        super().__init__([self.problem])
        pointer = " " * (column - 1) + "^"
        self.args = (f"{self.args[0]}\n    {text}\n    {pointer}",)


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
        self.problem: Problem | None = None
        parts = []
        if row is not None:
            parts.append(f"row {row}")
        if column is not None:
            parts.append(f"column {column!r}")
        prefix = (", ".join(parts) + ": ") if parts else ""
        text = prefix + message + (f" (fix: {fix})" if fix else "")
        super().__init__(text)


    @classmethod
    def of(cls, problem: Problem) -> InputError:
        """The error for one catalogued problem: its English text as the message,
        and the problem kept for :meth:`text` in another language.

        Examples
        --------
        >>> err = InputError.of(Problem("mapping_bad_option", {"text": "Rapat"}))
        >>> print(err.text("id"))
        --map 'Rapat' tidak berbentuk JUDUL=ID_DATA (perbaikan: tulis misalnya --map "Rapat 3 bln terakhir=meetings_last_3_months")
        """
        err = cls(problem.problem("en"), fix=problem.fix("en") or None)
        err.problem = problem
        return err

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (only errors made with :meth:`of` have it in
        Indonesian; others are in English)."""
        if self.problem is None or lang == "en":
            return str(self)
        return self.problem.text(lang)


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


class ModelError(InputError):
    """A saved model cannot be used: the file is unreadable, too large, not JSON, or a
    field is missing, unknown, of the wrong type or holds a bad value.

    ``problems`` lists every problem found (:class:`kematangan.problems.Problem`,
    ``path`` naming the field, such as ``coef[3]``); the message names each one's
    field and fix. :meth:`text` gives it in Indonesian or English.

    Examples
    --------
    >>> err = ModelError([Problem("model_not_finite", {"got": "NaN"}, file="m.json",
    ...                           path="coef[3]")])
    >>> print(err)
    m.json: coef[3]: expected a finite number, got NaN (fix: fit the model again; a fitted model's numbers are always finite)
    """

    def __init__(self, found: Sequence[Problem]) -> None:
        self.problems = list(found)
        self.row = None
        self.column = None
        self.fix = self.problems[0].fix() if len(self.problems) == 1 else None
        # Not InputError.__init__: through ModelRulesetMismatchError's MRO it would
        # hand the text on to RulesetError.__init__, which reads it as its problems.
        KematanganError.__init__(self, self.text())

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``id`` or ``en``): one line per problem."""
        lines = [p.text(lang) for p in self.problems]
        if len(lines) == 1:
            return lines[0]
        source = next((p.file for p in self.problems if p.file), "<model>")
        head = (f"berkas model {source!r} punya {len(lines)} masalah:" if lang == "id"
                else f"model file {source!r} has {len(lines)} problems:")
        return "\n".join([head, *(f"  {line}" for line in lines)])

    def __str__(self) -> str:
        return self.text("en")


class ModelRulesetMismatchError(ModelError, RulesetError):
    """A saved model was fitted with another ruleset (its content hash or feature
    names differ from those of the ruleset given): its features would not line up."""


class ModelNotFittedError(KematanganError, ValueError, AttributeError):
    """A model was used before :meth:`~kematangan.MaturityModel.fit` (or loading)."""


class CalibrationDataWarning(UserWarning):
    """The labelled data is too small or too unbalanced to calibrate reliably."""
