"""The :class:`Scorer` facade: one ruleset, one record or a batch, one engine."""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from kematangan.criteria.loader import load_ruleset
from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError, RecordError, suggest
from kematangan.problems import Problem
from kematangan.scoring.batch import BatchResult, record_positions
from kematangan.scoring.checks import check_columns, check_record
from kematangan.scoring.engines import Engine, check_engine_name, create_engine
from kematangan.scoring.inputs import encode_column, encode_record, is_missing
from kematangan.scoring.plan import Plan, compile_plan, date_to_days
from kematangan.scoring.result import Assessment, RowResult, build_assessment

__all__ = ["CaseFailure", "Scorer", "run_cases"]

EngineName = Literal["numpy", "record", "durable"]


class Scorer:
    """Score group records with one ruleset.

    Parameters
    ----------
    ruleset
        A :class:`Ruleset`, a path to a YAML file, or a bundled ruleset id.
    engine
        ``"numpy"`` (default: batches vectorised), ``"record"`` (plain Python) or
        ``"durable"`` (the durable-rules engine); the same results, see the
        engines page. The engine itself is :attr:`backend`.
    workers
        Threads the numpy engine scores a large batch with (default: every core).
        Results, and their order, do not depend on it.

    Examples
    --------
    >>> scorer = Scorer("ppmk-ksm")
    >>> rules = {f"basic_rule_{i}": True for i in range(1, 6)}  # five basic rules
    >>> a = scorer.score({"formed_participatory": True, "members": 12,
    ...                   "members_voluntary": True, "meetings_last_3_months": 3,
    ...                   **rules})
    >>> a.stage, a.class_, a.score
    ('growth', 'perlu_pembinaan', 25.0)
    >>> a.blocking[:2]
    ['admin_books', 'business_plan_current']
    """

    def __init__(self, ruleset: Ruleset | str | os.PathLike[str],
                 engine: EngineName = "numpy", *, workers: int | None = None) -> None:
        check_engine_name(engine)
        self.ruleset: Ruleset = load_ruleset(ruleset)
        self.plan: Plan = compile_plan(self.ruleset)
        self.engine: EngineName = engine
        """The engine's name."""
        self.backend: Engine = create_engine(engine, self.plan, workers=workers)
        """The engine scoring for this scorer (see :mod:`kematangan.scoring.engines`)."""

    def __repr__(self) -> str:
        return (f"Scorer({self.ruleset.id!r} {self.ruleset.version}, "
                f"engine={self.engine!r})")

    def score(self, record: Mapping[str, Any], *, group_id: str | None = None,
              assessed_on: _dt.date | None = None) -> Assessment:
        """Score one record (a mapping of field id to value).

        The ruleset's group id field is used as ``group_id`` unless one is passed.
        A key that is neither is not read, and is reported in ``issues`` (a note
        ``unknown_key``, with the closest field when one is close; to read records
        whose keys are headers, map them first with
        :func:`~kematangan.map_columns`). ``assessed_on`` is the date of the
        assessment for a ruleset with an assessment-date field, used when the
        record has none (dates are never read from the clock).

        Raises
        ------
        RecordError
            When ``record`` is not a mapping.
        """
        if not isinstance(record, Mapping):
            raise RecordError(f"a record must be a mapping of field to value, got "
                              f"{type(record).__name__}",
                              fix="pass a dict such as {'members': 12}")
        values, issues = self.encode(record, assessed_on=assessed_on)
        known = self._known
        if len(record) > len(known) or not known.issuperset(record):
            issues += self.unknown_keys(k for k in record if k not in known)
        row = self.backend.score_one(values)
        gid = group_id if group_id is not None else record.get(
            self.plan.group_id_field)
        return build_assessment(self.plan, row, issues,
                                None if gid is None else str(gid))

    @functools.cached_property
    def _known(self) -> frozenset[str]:
        return frozenset([*(f.id for f in self.plan.fields),
                          self.plan.group_id_field])

    def unknown_keys(self, keys: Iterable[Any]) -> list[Problem]:
        """A note for each record key or column that is not a field of the ruleset
        (nor its group id), with the closest field when one is close.

        Examples
        --------
        >>> [p.text("en") for p in Scorer("ppmk-ksm").unknown_keys(["membres"])]
        ["column 'membres': 'membres' is not a field of the ruleset (did you mean 'members'?); it is not read (fix: rename it 'members')"]
        """
        fields = sorted(self._known)
        out = []
        for key in keys:
            name = str(key)
            close = suggest(name, fields)
            out.append(Problem("unknown_key_close", {"key": name, "suggestion": close},
                               "note", column=name) if close else
                       Problem("unknown_key", {"key": name}, "note", column=name))
        return out

    def encode(self, record: Mapping[str, Any], *,
               assessed_on: _dt.date | None = None) -> tuple[list[float], list[Problem]]:
        """A record's field values in the plan's encoding (plan slot order), and the
        values that could not be used (encoded as missing), including the fields of
        failed consistency checks.

        Examples
        --------
        >>> scorer = Scorer("ppmk-ksm")
        >>> values, issues = scorer.encode({"members": 12})
        >>> values[1], len(values) == len(scorer.plan.fields), issues
        (12.0, True, [])
        """
        values, problems = encode_record(self.plan, record, None)
        at = self.plan.assessment_date
        if assessed_on is not None and at >= 0 and values[at] != values[at]:
            values[at] = date_to_days(assessed_on)
        problems += check_record(self.plan, values, None)
        if len(problems) > 1:
            # In field order, a failed check (no single field) after them: as
            # batches order them.
            where = {f.id: f.index for f in self.plan.fields}
            problems.sort(key=lambda x: where.get(x.field or "", len(where)))
        return values, problems

    def evaluate(self, values: Sequence[float]) -> RowResult:
        """Score encoded field values (see :meth:`encode`) with the engine's
        one-record path; the raw result, in plan order.

        Explanations use it to try changes to a record without building an
        :class:`Assessment` for each try.
        """
        return self.backend.score_one(values)

    def score_batch(self, records: Any, *,
                    group_ids: Sequence[Any] | npt.NDArray[Any] | None = None,
                    row_numbers: Sequence[int] | npt.NDArray[np.integer[Any]] | None
                    = None, assessed_on: _dt.date | None = None) -> BatchResult:
        """Score many records at once, vectorized over columns.

        ``records`` may be a list of dicts, a mapping of column name to a list or
        numpy array, a pandas DataFrame or a pyarrow Table. Every record comes out,
        in input order; unusable values are listed in ``BatchResult.issues``, each
        at its record's row: 1 for the first record unless ``row_numbers`` gives
        the numbers the user knows the records by (a spreadsheet's rows). A column
        (or key) that is not a field is not read and is listed there once, with
        no row (see :meth:`unknown_keys`). A DataFrame's index is kept:
        :meth:`BatchResult.to_pandas` uses it.
        ``assessed_on`` fills the assessment date of records that have none (see
        :meth:`score`).

        Examples
        --------
        >>> import numpy as np
        >>> batch = Scorer("ppmk-ksm").score_batch(
        ...     {"members": np.array([3, 9]), "formed_participatory": [True, None]})
        >>> batch.outcome("participatory_formation").tolist()
        ['met', 'unknown']
        """
        columns, n, extra = _as_columns(records, self._known)
        rows = (np.arange(1, n + 1, dtype=np.int64) if row_numbers is None
                else np.asarray(row_numbers, dtype=np.int64))
        if rows.shape != (n,):
            raise InputError(f"{len(rows)} row numbers for {n} records",
                             fix="pass one row number per record")
        issues: list[Problem] = self.unknown_keys(extra)
        absent = np.full(n, np.nan)
        absent.flags.writeable = False
        values: list[npt.NDArray[np.float64]] = []
        for slot in self.plan.fields:
            col = columns.get(slot.id)
            values.append(absent if col is None else encode_column(slot, col, rows,
                                                                   issues))
        at = self.plan.assessment_date
        if assessed_on is not None and at >= 0:
            values[at] = np.where(np.isnan(values[at]), date_to_days(assessed_on),
                                  values[at])
        values += [np.empty(n) for _ in self.plan.derived]
        issues += check_columns(self.plan, values, rows)
        raw = self.backend.score_many(values)
        gids = group_ids if group_ids is not None else columns.get(
            self.plan.group_id_field)
        gid_arr: npt.NDArray[np.object_] | None = None
        if gids is not None:
            gid_arr = np.array([group_id_text(g) for g in gids], dtype=object)
            if len(gid_arr) != n:
                raise InputError(f"{len(gid_arr)} group ids for {n} records",
                                 fix="pass one group id per record")
        order = record_positions(rows, [x.row for x in issues if x.row is not None])
        where = {f.id: f.index for f in self.plan.fields}
        # By record, then field; a failed check (no single field) after its values.
        issues.sort(key=lambda x: (-1 if x.row is None else order[x.row],
                                   where.get(x.field or "", len(where))))
        index = records.index if type(records).__module__.startswith(
            "pandas") else None
        return BatchResult(self.plan, raw, gid_arr, tuple(issues), rows, index)


def group_id_text(value: Any) -> str | None:
    """A group id as text: missing (None, NaN, pandas' NA) stays missing, and a
    whole float is written as the integer it stands for (pandas stores an integer
    id column with gaps as floats: 12 must not become "12.0").

    Examples
    --------
    >>> group_id_text(12.0), group_id_text("KSM-01"), group_id_text(float("nan"))
    ('12', 'KSM-01', None)
    """
    if is_missing(value):
        return None
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _as_columns(records: Any, wanted: Collection[str]
                ) -> tuple[dict[str, Any], int, list[str]]:
    """Normalise the accepted batch inputs to a mapping of the ``wanted`` columns,
    a length, and the names of the other columns (not read).

    Rows (a list of dicts) are turned into the ``wanted`` columns only, each read
    with one C-level pass when the rows are plain dicts.
    """
    mod = type(records).__module__
    if mod.startswith("pandas"):
        names = [str(k) for k in records.columns]
        return ({str(k): records[k].to_numpy() for k in records.columns
                 if str(k) in wanted}, len(records),
                [k for k in names if k not in wanted])
    if mod.startswith("pyarrow"):
        return ({name: records.column(name).to_numpy(zero_copy_only=False)
                 for name in records.column_names if name in wanted},
                records.num_rows, [k for k in records.column_names if k not in wanted])
    if isinstance(records, Mapping):
        lengths = {k: len(v) for k, v in records.items()}
        if len(set(lengths.values())) > 1:
            raise InputError("columns have different lengths: " + ", ".join(
                f"{k}={v}" for k, v in lengths.items()),
                fix="give every column one value per record")
        return ({k: v for k, v in records.items() if k in wanted},
                next(iter(lengths.values()), 0),
                [str(k) for k in records if k not in wanted])
    if isinstance(records, Iterable) and not isinstance(records, str | bytes):
        rows = records if isinstance(records, list) else list(records)
        plain = True
        for i, r in enumerate(rows):
            if type(r) is not dict:
                plain = False
                if not isinstance(r, Mapping):
                    raise RecordError(f"a record must be a mapping, got "
                                      f"{type(r).__name__}", row=i + 1,
                                      fix="pass a list of dicts")
        present: set[Any] = set().union(*rows)
        return ({key: (list(map(dict.get, rows, itertools.repeat(key))) if plain
                       else [r.get(key) for r in rows])
                 for key in wanted if key in present}, len(rows),
                sorted(str(k) for k in present if k not in wanted))
    raise InputError(f"cannot score {type(records).__name__}",
                     fix="pass a list of dicts, a mapping of columns, a pandas "
                     "DataFrame or a pyarrow Table")


@dataclass(frozen=True)
class CaseFailure:
    """An embedded test case whose result differs from what it expects."""

    case: str
    mismatches: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.case}: " + "; ".join(self.mismatches)


def _problem_fields(a: Assessment) -> set[str]:
    """The fields an assessment's problems name: a value's field, or every field a
    failed consistency check set aside."""
    found: set[str] = set()
    for p in a.issues:
        if p.field is not None:
            found.add(p.field)
        found.update(p.params.get("fields", ()) if p.code == "check_failed" else ())
    return found


def run_cases(scorer: Scorer) -> list[CaseFailure]:
    """Run a ruleset's embedded test cases; return the failures (empty = all pass).

    Examples
    --------
    >>> run_cases(Scorer("ppmk-ksm"))
    []
    """
    failures = []
    for case in scorer.ruleset.tests:
        a = scorer.score(case.record)
        e = case.expect
        given = e.model_fields_set
        bad: list[str] = []

        def check(name: str, got: Any, want: Any, bad: list[str] = bad) -> None:
            if got != want:
                bad.append(f"{name}: expected {want!r}, got {got!r}")

        for name in ("stage", "stage_upper", "score", "exit_ready"):
            if name in given:
                check(name, getattr(a, name), getattr(e, name))
        if "class_" in given:
            check("class", a.class_, e.class_)
        for cid, want in e.outcomes.items():
            check(f"outcomes.{cid}", a.outcomes[cid].outcome.value, want)
        if "problems" in given:
            check("problems", sorted(_problem_fields(a)), sorted(e.problems))
        if bad:
            failures.append(CaseFailure(case.name, bad))
    return failures
