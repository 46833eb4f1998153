"""Histories as tables, for the trend workbook and report: one row per group-period,
one per group, and the transitions, stagnating groups, regressions, cohorts and
rows that could not be placed. Headers and labels in Indonesian (default) or
English; the history table is built column by column with numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.explain.wording import word
from kematangan.problems import Problem
from kematangan.trajectory import (
    Cohort,
    Regression,
    Stagnation,
    Trajectories,
    Transitions,
)

__all__ = ["cohort_table", "group_table", "history_table", "problem_table",
           "regression_table", "stagnation_table", "transition_table"]

Columns = dict[str, Any]

_HEADERS: dict[str, tuple[str, str]] = {
    "group": ("Kelompok", "Group"),
    "period": ("Periode", "Period"),
    "date": ("Tanggal penilaian", "Assessment date"),
    "ruleset": ("Ruleset", "Ruleset"),
    "stage": ("Tahap", "Stage"),
    "stage_upper": ("Tahap bila data lengkap (paling tinggi)",
                    "Stage once data is complete (highest)"),
    "class": ("Kelas", "Class"),
    "class_upper": ("Kelas bila data lengkap (paling tinggi)",
                    "Class once data is complete (highest)"),
    "score": ("Skor", "Score"),
    "max_score": ("Skor maksimum", "Maximum score"),
    "exit_snapshot": ("Siap dilepas (penilaian ini)", "Exit-ready (this assessment)"),
    "exit_track": ("Siap dilepas (rekam jejak)", "Exit-ready (track record)"),
    "months_in_stage": ("Bulan di tahap ini", "Months at this stage"),
    "stagnating": ("Mandek", "Stagnating"),
    "regression": ("Mundur", "Regressed"),
    "criteria_lost": ("Kriteria yang hilang", "Criteria lost"),
    "missing_before": ("Periode kosong sebelumnya", "Periods missing before"),
    "file": ("Berkas", "File"),
    "row": ("Baris", "Row"),
    "first_period": ("Periode pertama", "First period"),
    "last_period": ("Periode terakhir", "Latest period"),
    "assessments": ("Jumlah penilaian", "Assessments"),
    "gaps": ("Periode tanpa penilaian", "Periods without assessment"),
    "since": ("Di tahap ini sejak", "At this stage since"),
    "first_at": ("Pertama di tahap {stage}", "First at {stage}"),
    "regressions": ("Jumlah kemunduran", "Regressions"),
    "formed": ("Tahun pembentukan", "Year formed"),
    "from": ("Dari", "From"),
    "to": ("Ke", "To"),
    "count": ("Jumlah", "Count"),
    "groups": ("Kelompok-kelompok", "Groups"),
    "previous": ("Periode sebelumnya", "Previous period"),
    "lost": ("Yang hilang", "Lost"),
    "before": ("Sebelum", "Before"),
    "after": ("Sesudah", "After"),
    "limit": ("Batas (bulan)", "Limit (months)"),
    "message": ("Keterangan", "Message"),
    "cohort": ("Angkatan", "Cohort"),
    "exit_ready": ("Siap dilepas", "Exit-ready"),
    "problem": ("Masalah", "Problem"),
    "fix": ("Perbaikan", "Fix"),
    "column": ("Kolom", "Column"),
    "value": ("Nilai", "Value"),
    "code": ("Kode", "Code"),
}


def _h(key: str, lang: str, **params: str) -> str:
    id_, en = _HEADERS[key]
    return (en if lang == "en" else id_).format(**params)


def _names(labels: list[str], index: npt.NDArray[np.int16], none: str
           ) -> npt.NDArray[np.object_]:
    table = np.array([*labels, none], dtype=object)
    out: npt.NDArray[np.object_] = table[np.where(index < 0, len(labels), index)]
    return out


def _yes_no(values: npt.NDArray[Any], lang: str) -> npt.NDArray[np.object_]:
    """1/True: yes, 0/False: no, -1: undetermined."""
    table = np.array([word("undetermined", lang), word("no", lang),
                      word("yes", lang)], dtype=object)
    out: npt.NDArray[np.object_] = table[np.asarray(values).astype(np.int64) + 1]
    return out


def _level_labels(t: Trajectories, lang: str) -> tuple[list[str], list[str]]:
    rs = t.ruleset
    return ([s.label.get(lang) for s in rs.stages],
            [k.label.get(lang) for k in rs.classes])


def criterion_labels(t: Trajectories, ids: tuple[str, ...], lang: str) -> str:
    """Criteria by their labels, joined with ``; ``."""
    labels = {c.id: c.label.get(lang) for rs in reversed(t.rulesets)
              for c in rs.criteria}
    return "; ".join(labels.get(c, c) for c in ids)


def history_table(t: Trajectories, lang: str = "id") -> Columns:
    """One row per assessment (group-period), by group, then period.

    Examples
    --------
    >>> from kematangan.trajectory import score_history
    >>> t = score_history([{"group_id": "A", "period": "2024Q1", "members": 3}],
    ...                   "ppmk-ksm")
    >>> cols = history_table(t, "en")
    >>> cols["Group"], cols["Period"], cols["Stage"].tolist()
    (['A'], ['2024Q1'], ['not yet at the first stage'])
    """
    s, tr = t.scored, t.track
    stages, classes = _level_labels(t, lang)
    lost = np.full(len(t), "", dtype=object)
    at = np.flatnonzero(tr.stage_lost | tr.class_lost)
    lost[at] = [criterion_labels(t, r.criteria, lang) for r in t.regressions(at)]
    ruleset_names = np.array([f"{r.id} {r.version}" for r in s.rulesets], dtype=object)
    cols: Columns = {
        _h("group", lang): t.groups[t.group].tolist(),
        _h("period", lang): [t.label(o) for o in t.ordinal.tolist()],
        _h("date", lang): t.day,
        _h("ruleset", lang): ruleset_names[s.ruleset],
    }
    if stages:
        cols[_h("stage", lang)] = _names(stages, s.stage, word("no_stage", lang))
        cols[_h("stage_upper", lang)] = _names(stages, s.stage_upper,
                                               word("no_stage", lang))
    if classes:
        cols[_h("class", lang)] = _names(classes, s.class_, word("no_class", lang))
        cols[_h("class_upper", lang)] = _names(classes, s.class_upper,
                                               word("no_class", lang))
    cols[_h("score", lang)] = s.score
    cols[_h("max_score", lang)] = s.max_score
    if t.rules.exit_stage >= 0:
        cols[_h("exit_snapshot", lang)] = _yes_no(s.exit_ready, lang)
        cols[_h("exit_track", lang)] = _yes_no(tr.exit_ready, lang)
    if stages:
        cols[_h("months_in_stage", lang)] = tr.months_in_stage
        cols[_h("stagnating", lang)] = _yes_no(tr.stagnating, lang)
    cols[_h("regression", lang)] = _yes_no(tr.stage_lost | tr.class_lost, lang)
    cols[_h("criteria_lost", lang)] = lost
    cols[_h("missing_before", lang)] = tr.missing_before
    if (t.file != None).any():  # noqa: E711 - elementwise
        cols[_h("file", lang)] = t.file
    cols[_h("row", lang)] = t.row
    return cols


def group_table(t: Trajectories, lang: str = "id") -> Columns:
    """One row per group, read at its latest assessment."""
    s, tr, last, first = t.scored, t.track, t.last, t.starts
    stages, classes = _level_labels(t, lang)
    present = [set(t.ordinal[a:b + 1].tolist()) for a, b in
               zip(first.tolist(), last.tolist(), strict=True)]
    gaps = [", ".join(t.label(o) for o in range(int(t.ordinal[a]), t.latest + 1)
                      if o not in seen) for a, seen in zip(first.tolist(), present,
                                                           strict=True)]
    cols: Columns = {
        _h("group", lang): t.groups.tolist(),
        _h("first_period", lang): [t.label(o) for o in t.ordinal[first].tolist()],
        _h("last_period", lang): [t.label(o) for o in t.ordinal[last].tolist()],
        _h("assessments", lang): last - first + 1,
        _h("gaps", lang): gaps,
    }
    if stages:
        cols[_h("stage", lang)] = _names(stages, s.stage[last], word("no_stage", lang))
        cols[_h("since", lang)] = [t.label(o) for o in
                                   t.ordinal[tr.stay_start[last]].tolist()]
        cols[_h("months_in_stage", lang)] = tr.months_in_stage[last]
        for k, name in enumerate(stages):
            cols[_h("first_at", lang, stage=name)] = [
                t.label(o) if o >= 0 else "" for o in t.first_at[:, k].tolist()]
        cols[_h("stagnating", lang)] = _yes_no(tr.stagnating[last], lang)
    if classes:
        cols[_h("class", lang)] = _names(classes, s.class_[last],
                                         word("no_class", lang))
    cols[_h("regressions", lang)] = np.add.reduceat(
        (tr.stage_lost | tr.class_lost).astype(np.int64), first) if len(t) else []
    if t.rules.exit_stage >= 0:
        cols[_h("exit_track", lang)] = _yes_no(tr.exit_ready[last], lang)
    if t.rules.formation_field is not None:
        cols[_h("formed", lang)] = t.formed
    return cols


def transition_table(tr: Transitions, t: Trajectories, lang: str = "id") -> Columns:
    """The transitions between two periods, one row per cell with groups."""
    names = state_names(tr, t, lang)
    cells = tr.cells()
    return {
        _h("from", lang): [f"{names[a]} ({tr.from_period})" for a, _, _, _ in cells],
        _h("to", lang): [f"{names[b]} ({tr.to_period})" for _, b, _, _ in cells],
        _h("count", lang): [n for _, _, n, _ in cells],
        _h("groups", lang): [", ".join(g) for _, _, _, g in cells],
    }


def state_names(tr: Transitions, t: Trajectories, lang: str) -> dict[str, str]:
    """Each state of ``tr`` as the reader calls it."""
    stages, classes = _level_labels(t, lang)
    ids = t.stage_ids if tr.by == "stage" else t.class_ids
    labels = stages if tr.by == "stage" else classes
    return {"absent": word("absent", lang),
            "none": word("no_stage" if tr.by == "stage" else "no_class", lang),
            **dict(zip(ids, labels, strict=True))}


def stagnation_table(items: list[Stagnation], t: Trajectories, lang: str = "id"
                     ) -> Columns:
    """The stagnating groups and the ruleset's message for each."""
    return {
        _h("group", lang): [s.group for s in items],
        _h("stage", lang): [s.stage_label.get(lang) for s in items],
        _h("since", lang): [s.since for s in items],
        _h("months_in_stage", lang): [s.months for s in items],
        _h("limit", lang): [s.limit for s in items],
        _h("message", lang): [s.text(lang) for s in items],
    }


def regression_table(items: list[Regression], t: Trajectories, lang: str = "id"
                     ) -> Columns:
    """Every regression: when, what was lost, and the criteria that caused it."""
    stages, classes = _level_labels(t, lang)
    sl = dict(zip(t.stage_ids, stages, strict=True))
    cl = dict(zip(t.class_ids, classes, strict=True))

    def show(r: Regression, when: str) -> str:
        parts = []
        if t.stage_ids:
            stage = getattr(r, f"stage_{when}")
            parts.append(sl[stage] if stage else word("no_stage", lang))
        if t.class_ids:
            klass = getattr(r, f"class_{when}")
            parts.append(cl[klass] if klass else word("no_class", lang))
        return " / ".join(parts)

    return {
        _h("group", lang): [r.group for r in items],
        _h("period", lang): [r.period for r in items],
        _h("previous", lang): [r.previous for r in items],
        _h("lost", lang): [", ".join(word(f"{w}_word", lang) for w in r.lost)
                           for r in items],
        _h("before", lang): [show(r, "before") for r in items],
        _h("after", lang): [show(r, "after") for r in items],
        _h("criteria_lost", lang): [criterion_labels(t, r.criteria, lang)
                                    for r in items],
        _h("ruleset", lang): [" → ".join(r.rulesets) if r.scheme_changed else
                              r.rulesets[0] for r in items],
    }


def cohort_table(items: list[Cohort], t: Trajectories, lang: str = "id") -> Columns:
    """Per cohort: groups, where they stand, exit-ready, stagnating, regressed."""
    stages, _ = _level_labels(t, lang)
    names = {"none": word("no_stage", lang), **dict(zip(t.stage_ids, stages,
                                                        strict=True))}
    return {
        _h("cohort", lang): [str(c.year) if c.year is not None else
                             word("year_unknown", lang) for c in items],
        _h("count", lang): [len(c.groups) for c in items],
        _h("stage", lang): ["; ".join(f"{names[k]} {v}" for k, v in c.stages.items())
                            for c in items],
        _h("exit_ready", lang): [c.exit_ready for c in items],
        _h("stagnating", lang): [c.stagnating for c in items],
        _h("regressions", lang): [c.regressed for c in items],
        _h("groups", lang): [", ".join(c.groups) for c in items],
    }


def problem_table(problems: list[Problem], lang: str = "id") -> Columns:
    """Problems as rows: file, row, column, value, code, problem and fix."""
    return {
        _h("file", lang): [p.file or "" for p in problems],
        _h("row", lang): [p.row for p in problems],
        _h("column", lang): [p.column or p.field or "" for p in problems],
        _h("value", lang): ["" if p.value is None else str(p.value) for p in problems],
        _h("code", lang): [p.code for p in problems],
        _h("problem", lang): [p.problem(lang) for p in problems],
        _h("fix", lang): [p.fix(lang) for p in problems],
    }
