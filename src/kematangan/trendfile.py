"""Trend a set of files: read every period's records, score the histories, write the
workbook and the HTML report. This is what ``kematangan trend`` runs.

Each file holds one or more periods: a period column (``Periode``, ``Triwulan``:
``2024Q3``, ``2024-09``, ``2024``), an assessment-date column (``Tanggal
penilaian``), or both. A file with neither may name its period in its file name
(``ksm-2024Q3.xlsx``); the period is then taken from the name, and a note says so.
Every input row comes out: placed in a group's history, or on the problems sheet
with the reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria.periods import Cadence, parse_period
from kematangan.criteria.ruleset import FieldSpec, Ruleset, Text
from kematangan.criteria.validity import family_rulesets
from kematangan.errors import InputError
from kematangan.explain.trend_html import trend_report_html
from kematangan.explain.trend_tables import (
    cohort_table,
    group_table,
    history_table,
    regression_table,
    stagnation_table,
    transition_table,
)
from kematangan.io import (
    Limits,
    Table,
    concat_tables,
    header_key,
    read_table,
    write_table,
)
from kematangan.problems import Problem
from kematangan.trajectory import (
    Trajectories,
    assessment_date_field,
    cohorts,
    score_history,
    transitions,
)

__all__ = ["DATE_FIELD", "PERIOD_HEADERS", "TrendSummary", "read_histories",
           "trend_file"]

PERIOD_HEADERS = frozenset({"period", "periode", "periodepenilaian", "triwulan",
                            "periodetriwulan", "tw", "bulanpenilaian"})
"""Header keys (see :func:`~kematangan.io.header_key`) of a period column."""

DATE_FIELD = FieldSpec(
    id="assessed_on", type="date",
    label=Text(id="Tanggal penilaian", en="Assessment date"),
    aliases=["tgl penilaian", "tanggal asesmen", "tanggal dinilai", "assessed on"])
"""The assessment-date column, read as a date field beside the ruleset's."""

_NAME_PERIOD = re.compile(
    r"(?<![0-9a-z])((?:19|20)\d{2}[-_ ]?(?:q|tw|trw)[-_ ]?[1-4]"
    r"|(?:q|tw|trw)[-_ ]?[1-4][-_ ]?(?:19|20)\d{2}"
    r"|(?:19|20)\d{2}-(?:0[1-9]|1[0-2]))(?![0-9a-z])")

SHEETS = {"id": ("riwayat", "kelompok", "perpindahan", "mandek", "kemunduran",
                 "angkatan", "masalah", "ruleset"),
          "en": ("history", "groups", "transitions", "stagnating", "regressions",
                 "cohorts", "problems", "ruleset")}


def period_in_name(path: Path) -> str | None:
    """The period a file name gives, as the library writes it, if exactly one.

    Examples
    --------
    >>> period_in_name(Path("ksm_2024_tw3.xlsx")), period_in_name(Path("data.csv"))
    ('2024Q3', None)
    """
    found = {parse_period(m.replace("_", " ")).label for m in
             _NAME_PERIOD.findall(path.stem.lower())}
    return found.pop() if len(found) == 1 else None


def _reading_ruleset(rulesets: Sequence[Ruleset]) -> tuple[Ruleset, str]:
    """The fields of every ruleset used, with an assessment date (the rulesets'
    own, or :data:`DATE_FIELD`), and the date field's id."""
    fields: dict[str, FieldSpec] = {}
    for rs in rulesets:
        for f in rs.fields:
            fields.setdefault(f.id, f)
    date = assessment_date_field(rulesets[0]) or DATE_FIELD.id
    fields.setdefault(date, DATE_FIELD)
    return rulesets[0].model_copy(update={"fields": list(fields.values())}), date


def _periods(table: Table, path: Path, date: str, notes: list[Problem]
             ) -> npt.NDArray[Any]:
    """The period column of ``table`` (or its file name's period, with a note)."""
    for header, values in table.passthrough.items():
        if header_key(header) in PERIOD_HEADERS:
            return values
    out = np.full(len(table), None, dtype=object)
    named = period_in_name(path)
    if named is not None and date not in table.columns:
        out[:] = named
        notes.append(Problem("period_from_file_name", {"period": named},
                             severity="note", file=str(path), count=len(table)))
    return out


@dataclass
class FileIssues:
    """What reading the files reported, per file (the reader's own issues)."""

    issues: list[tuple[str, Problem]] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def read_histories(paths: Sequence[str | os.PathLike[str]],
                   ruleset: Ruleset | str | os.PathLike[str] | Sequence[
                       Ruleset | str | os.PathLike[str]], *,
                   sheet: str | int | None = None, cadence: Cadence | None = None,
                   limits: Limits | None = None) -> tuple[Trajectories, FileIssues]:
    """Read ``paths`` (one or more periods each) and score the histories; ``limits``
    bound what reading each file may cost (see :class:`~kematangan.io.Limits`).

    Raises
    ------
    InputError
        When a file cannot be read, or a group is assessed twice in a period.
    RulesetError
        When no ruleset of the family is valid on a date in the data.

    Examples
    --------
    >>> from pathlib import Path
    >>> t, _ = read_histories([Path("examples/ppmk-ksm-riwayat.csv")], "ppmk-ksm")
    >>> len(t.groups), len(t.periods())
    (48, 10)
    """
    given = [ruleset] if isinstance(ruleset, Ruleset | str | os.PathLike) else list(
        ruleset)
    mine, others = family_rulesets(given)
    reading, date = _reading_ruleset([*mine, *others])
    found = FileIssues()
    tables, periods, files = [], [], []
    for raw in paths:
        path = Path(raw)
        table = read_table(path, reading, sheet=sheet, limits=limits)
        tables.append(table)
        periods.append(_periods(table, path, date, found.notes))
        files += [str(path)] * len(table)
        found.issues += [(str(path), i) for i in table.issues]
    if not tables:
        raise InputError("no input files", fix="name one or more files")
    whole = concat_tables(tables)
    cols: dict[str, Any] = dict(whole.columns)
    cols["period"] = np.concatenate(periods) if periods else np.zeros(0, object)
    t = score_history(cols, [*mine], group_ids=whole.group_ids if whole.group_ids
                      is not None else np.full(len(whole), None, dtype=object),
                      row_numbers=whole.row_numbers, files=files, cadence=cadence,
                      date_column=date)
    return t, found


@dataclass
class TrendSummary:
    """What trending the files gave (see :meth:`Trajectories.summary`), and the
    files written."""

    figures: dict[str, Any]
    problems: int
    notes: list[str]
    written: list[Path] = field(default_factory=list)


def _problem_sheet(t: Trajectories, found: FileIssues, lang: str
                   ) -> dict[str, list[Any]]:
    rows: list[tuple[Any, ...]] = []
    for file, i in found.issues:
        rows.append((file, i.row, i.column or "", "" if i.value is None else
                     str(i.value), i.severity, i.code, i.problem(lang), i.fix(lang)))
    for p in [*found.notes, *t.problems]:
        rows.append((p.file or "", p.row, p.column or p.field or "",
                     "" if p.value is None else str(p.value), p.severity, p.code,
                     p.problem(lang), p.fix(lang)))
    names = ("file", "row", "column", "value", "severity", "code", "problem", "fix")
    return {n: [r[k] for r in rows] for k, n in enumerate(names)}


def trend_file(paths: Sequence[str | os.PathLike[str]],
               ruleset: Ruleset | str | os.PathLike[str] | Sequence[
                   Ruleset | str | os.PathLike[str]],
               output: str | os.PathLike[str], *,
               report: str | os.PathLike[str] | None = None, lang: str = "id",
               sheet: str | int | None = None, cadence: Cadence | None = None,
               from_period: str | None = None, to_period: str | None = None,
               limits: Limits | None = None) -> TrendSummary:
    """Trend ``paths`` and write the workbook ``output`` (sheets: history, groups,
    transitions, stagnating, regressions, cohorts when the ruleset has a formation
    field, problems, ruleset; Indonesian names and headers unless ``lang`` is
    ``en``) and, when given, the HTML ``report``.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> s = trend_file([Path("examples/ppmk-ksm-riwayat.csv")], "ppmk-ksm",
    ...                out / "tren.xlsx", report=out / "tren.html")
    >>> s.figures["groups"], [p.name for p in s.written]
    (48, ['tren.xlsx', 'tren.html'])
    """
    t, found = read_histories(paths, ruleset, sheet=sheet, cadence=cadence,
                              limits=limits)
    names = SHEETS["en" if lang == "en" else "id"]
    tr = transitions(t, from_period, to_period) if len(t) else None
    sheets: dict[str, Any] = {names[1]: group_table(t, lang)}
    if tr is not None:
        sheets[names[2]] = transition_table(tr, t, lang)
    if t.stage_ids:
        sheets[names[3]] = stagnation_table(t.stagnating(), t, lang)
    sheets[names[4]] = regression_table(t.regressions(), t, lang)
    found_cohorts = cohorts(t)
    if found_cohorts:
        sheets[names[5]] = cohort_table(found_cohorts, t, lang)
    sheets[names[6]] = _problem_sheet(t, found, lang)
    sheets[names[7]] = {
        "id": [r.id for r in t.rulesets], "version": [r.version for r in t.rulesets],
        "hash": [r.content_hash for r in t.rulesets],
        "valid_from": [str(r.valid_from or "") for r in t.rulesets],
        "valid_until": [str(r.valid_until or "") for r in t.rulesets],
        "title": [r.title.get(lang) for r in t.rulesets]}
    written = write_table(output, history_table(t, lang), sheets=sheets,
                          sheet_name=names[0])
    if report is not None:
        Path(report).write_text(trend_report_html(
            t, lang, from_period=tr.from_period if tr else None,
            to_period=tr.to_period if tr else None), encoding="utf-8")
        written.append(Path(report))
    notes = [p.text("en") for p in found.notes]
    if t.cadence_from != "given":
        why = ("the longest period written" if t.cadence_from == "periods" else
               "no period written: quarters assumed")
        notes.append(f"cadence {t.cadence}: {why}")
    problems = sum(1 for _, i in found.issues if i.severity == "error") + len(
        t.problems)
    return TrendSummary(t.summary(), problems, notes, written)
