"""What the ``kematangan`` commands share: the ruleset, language and sheet options,
failing with one message (no traceback) and building a scorer.

Only typer and the exceptions are imported here: every command module imports this
one, and ``kematangan --help`` must not pay for pydantic, numpy or the scoring code.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from kematangan.errors import KematanganError

if TYPE_CHECKING:
    from kematangan.io import Limits, UserMapping
    from kematangan.scoring import Scorer

__all__ = ["ENGINES", "AssessedOnOpt", "EngineOpt", "InputArg", "LangOpt", "LimitOpt",
           "MapOpt", "MappingOpt", "RulesetOpt", "SheetOpt", "StrictOpt", "fail",
           "fail_error", "limits_of", "read_problem", "scorer_for", "sheet_ref",
           "strict_exit", "user_mapping"]


def _check_lang(lang: str) -> str:
    if lang not in ("id", "en"):
        raise typer.BadParameter("use 'id' or 'en'")
    return lang


RulesetOpt = Annotated[str, typer.Option(
    "--ruleset", "-r", help="A bundled ruleset id (see 'rulesets list') or a YAML "
    "file.")]
LangOpt = Annotated[str, typer.Option(
    help="Language of labels and texts: id (Indonesian) or en.",
    callback=_check_lang)]
SheetOpt = Annotated[str | None, typer.Option(
    help="Sheet name or 0-based index (workbooks). Default: the first sheet whose "
    "headers match the ruleset.")]


def _check_date(value: str | None) -> str | None:
    if value is not None:
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            raise typer.BadParameter(f"{value!r} is not a date; write it as "
                                     "YYYY-MM-DD, e.g. 2024-06-30") from None
    return value


AssessedOnOpt = Annotated[str | None, typer.Option(
    "--assessed-on", metavar="YYYY-MM-DD",
    help="The date of the assessment, for rulesets with an assessment-date field: "
    "used for every row that has none (the clock is never read).",
    callback=_check_date)]


ENGINES = {"stream": "in this process, chunk by chunk (the default)",
           "dask": "Parquet input on a Dask cluster, results as a Parquet folder"}
"""The engines ``kematangan score --engine`` runs on, with what each does."""


def _check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise typer.BadParameter(f"unknown engine {engine!r}; use " + "; ".join(
            f"{name} ({what})" for name, what in ENGINES.items()))
    return engine


EngineOpt = Annotated[str, typer.Option(
    "--engine", help="Where to score: stream (in this process, chunk by chunk; any "
    "input) or dask (Parquet input on a Dask cluster; see docs/scale.md).",
    callback=_check_engine)]


MapOpt = Annotated[list[str] | None, typer.Option(
    "--map", metavar="HEADER=FIELD",
    help='Say what a column is: --map "Rapat 3 bln terakhir=meetings_last_3_months"; '
    "FIELD abaikan (or ignore) ignores the column. Repeat for more; it comes "
    "before any other match.")]
MappingOpt = Annotated[Path | None, typer.Option(
    "--mapping", metavar="FILE",
    help="A mapping file: YAML (columns: header: field) or a two-column sheet "
    "(header, field); 'kematangan check --write-mapping' writes one to complete.")]
StrictOpt = Annotated[bool, typer.Option(
    "--strict", help="Exit 1 when any column is unmatched, any field has no column "
    "or any value has a problem (for automation).")]


def user_mapping(maps: list[str] | None, mapping: Path | None) -> UserMapping | None:
    """The ``--mapping`` file with the ``--map`` options on top, or ``None``; a
    malformed one exits 1 with its message."""
    from kematangan.io import UserMapping

    if not maps and mapping is None:
        return None
    try:
        found = UserMapping.load(mapping) if mapping is not None else UserMapping()
        return found.updated(UserMapping.from_options(maps or []))
    except KematanganError as err:
        fail_error(err)


def assessed_on(value: str | None) -> _dt.date | None:
    """The ``--assessed-on`` value as a date (already checked by the option).

    Examples
    --------
    >>> assessed_on("2024-06-30"), assessed_on(None)
    (datetime.date(2024, 6, 30), None)
    """
    return None if value is None else _dt.date.fromisoformat(value)


def sheet_ref(sheet: str | None) -> str | int | None:
    """The ``--sheet`` value as the readers take it: a digit string is an index.

    Examples
    --------
    >>> sheet_ref("2"), sheet_ref("Rekap"), sheet_ref(None)
    (2, 'Rekap', None)
    """
    return int(sheet) if sheet is not None and sheet.isdigit() else sheet


def fail(message: str, *, code: int = 1) -> NoReturn:
    """Print ``error: message`` to stderr and exit with ``code``: 1 for input and
    ruleset errors, 2 for usage errors and output problems.

    Examples
    --------
    >>> try:
    ...     fail("no such file: x.csv")
    ... except typer.Exit as exit:
    ...     exit.exit_code
    1
    """
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def fail_error(err: KematanganError, lang: str = "en") -> NoReturn:
    """:func:`fail` with an error's message, in ``lang`` when it has one there."""
    text = getattr(err, "text", None)
    fail(text(lang) if callable(text) else str(err))


def read_problem(path: Path, err: OSError) -> str:
    """The message for an input file that cannot be read, naming it and the fix.

    Examples
    --------
    >>> import errno
    >>> from pathlib import Path
    >>> print(read_problem(Path("ksm.xlsx"), PermissionError(errno.EACCES, "denied")))
    cannot read ksm.xlsx: denied; fix: close it in other programs (Excel?) and check that you may read it
    """
    return (f"cannot read {path}: {err.strerror or err}; fix: close it in other "
            "programs (Excel?) and check that you may read it")


def scorer_for(ruleset: str) -> Scorer:
    """The scorer for a ruleset id or file, or exit 1 with the ruleset's problems.

    Examples
    --------
    >>> scorer_for("ppmk-ksm").ruleset.id
    'ppmk-ksm'
    """
    from kematangan.scoring import Scorer

    try:
        return Scorer(ruleset)
    except KematanganError as err:
        fail(str(err))


InputArg = Annotated[Path, typer.Argument(
    help="Group records: .xlsx, .xls, .ods, .csv, .tsv, .json, .jsonl or .parquet, "
    "one row per group.")]
LimitOpt = Annotated[list[str] | None, typer.Option(
    "--limit", metavar="NAME=VALUE",
    help="Change a limit of what the reader accepts, e.g. max_cell_chars=100000 or "
    "max_file_bytes=2GiB; repeat for more. Limits and defaults: docs/security.md.")]


def limits_of(values: list[str] | None) -> Limits | None:
    """The ``--limit`` values as :class:`~kematangan.io.Limits` (``None`` for none)."""
    from kematangan.io import parse_limits

    if not values:
        return None
    try:
        return parse_limits(values)
    except KematanganError as err:
        raise typer.BadParameter(str(err), param_hint="--limit") from None


def strict_exit(unmatched: int, missing: int, problems: int, lang: str) -> None:
    """Exit 1 (``--strict``) when a column is unmatched, a field has no column or a
    value has a problem."""
    if unmatched or missing or problems:
        fail(("--strict: {u} kolom tidak cocok, {m} data tanpa kolom, {p} masalah "
              "data" if lang == "id" else "--strict: {u} columns unmatched, {m} "
              "fields without a column, {p} data problems").format(
                  u=unmatched, m=missing, p=problems))
