"""The result columns of a scored file: ids for programs (:func:`result_columns`)
and a readable sheet in the user's language (:func:`sheet_columns`): labels next to
ids, outcome words, reasons by their labels, and the next steps.

The next-steps text names, for the next stage (or class, or exit) a group has not
reached, the requirements it does not meet, the data to record so the others can be
judged, and the points it is short; ``kematangan explain`` works out verified
changes for one group. Texts are built once per distinct situation, not per row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.criteria.meaning import criterion_reads, unknown_without
from kematangan.explain import batch_reasons
from kematangan.explain.reasons import rank
from kematangan.explain.wording import fmt_number
from kematangan.model import MaturityModel
from kematangan.scorefile.words import word
from kematangan.scoring import BatchResult, Scorer

__all__ = ["next_step_texts", "outcome_header", "result_columns", "sheet_columns"]

OUTCOME_NAMES = ("unknown", "not_met", "met", "not_applicable")
"""Outcome codes -1, 0, 1, 2 by position + 1."""


def _labels(ids: tuple[str, ...], labels: dict[str, str],
            names: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    table = {i: labels[i] for i in ids}
    return np.array([table.get(x) if x is not None else None for x in names],
                    dtype=object)


def result_columns(scorer: Scorer, batch: BatchResult, *, lang: str = "id",
                   top_reasons: int = 3, model: MaturityModel | None = None
                   ) -> dict[str, npt.NDArray[Any]]:
    """The result columns with ids for names and values (for programs and the
    roll-up's sheets), one value per record.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> scorer = Scorer("ppmk-ksm")
    >>> cols = result_columns(scorer, scorer.score_batch([{"members": 3}]))
    >>> list(cols)[:4], cols["reason_1"].tolist()
    (['stage', 'stage_label', 'stage_upper', 'class'], ['enough_members'])
    """
    rs = scorer.ruleset
    stage_labels = {s.id: s.label.get(lang) for s in rs.stages}
    class_labels = {k.id: k.label.get(lang) for k in rs.classes}
    base = batch.columns(outcomes=False)
    cols: dict[str, npt.NDArray[Any]] = {
        "stage": base["stage"],
        "stage_label": _labels(scorer.plan.stage_ids, stage_labels, base["stage"]),
        "stage_upper": base["stage_upper"],
        "class": base["class"],
        "class_label": _labels(scorer.plan.class_ids, class_labels, base["class"]),
        "class_upper": base["class_upper"],
        "score": base["score"],
        "score_upper": base["score_upper"],
        "max_score": batch.max_score,
        "exit_ready": base["exit_ready"],
        "issues": base["issues"],
    }
    if model is not None:
        cols["model_probability"] = model.predict_proba(batch)[:, 1]
    if top_reasons > 0:
        cols.update(batch_reasons(batch, top_reasons))
    for c in scorer.plan.criteria:
        cols[f"outcome.{c.id}"] = batch.outcome(c.id)
    return cols


def outcome_header(label: str, criterion_id: str) -> str:
    """The header of a criterion's outcome column: its label, then its id.

    Examples
    --------
    >>> outcome_header("Anggota cukup", "enough_members")
    'Anggota cukup [enough_members]'
    """
    return f"{label} [{criterion_id}]"


def sheet_columns(scorer: Scorer, batch: BatchResult, *, lang: str = "id",
                  top_reasons: int = 3, model: MaturityModel | None = None
                  ) -> dict[str, npt.NDArray[Any]]:
    """The result columns as a person reads them, headed in ``lang``: stage and
    class ids next to their labels, exit readiness and outcomes as words, reasons
    by their labels, the data problems of each row and the next steps.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> scorer = Scorer("ppmk-ksm")
    >>> cols = sheet_columns(scorer, scorer.score_batch([{"members": 3}]))
    >>> cols["Alasan 1"].tolist(), cols["Anggota cukup [enough_members]"].tolist()
    (['Anggota cukup'], ['tidak terpenuhi'])
    """
    rs = scorer.ruleset
    ids = result_columns(scorer, batch, lang=lang, top_reasons=top_reasons,
                         model=model)
    stage_labels = {s.id: s.label.get(lang) for s in rs.stages}
    class_labels = {k.id: k.label.get(lang) for k in rs.classes}
    crit_labels = {c.id: c.label.get(lang) for c in rs.criteria}
    cols: dict[str, npt.NDArray[Any]] = {}
    if rs.stages:
        cols[word("stage", lang)] = ids["stage"]
        cols[word("stage_label", lang)] = _named(ids["stage"], stage_labels,
                                                 word("no_stage", lang))
        cols[word("stage_upper", lang)] = _named(ids["stage_upper"], stage_labels,
                                                 word("no_stage", lang))
    if rs.classes:
        cols[word("class", lang)] = ids["class"]
        cols[word("class_label", lang)] = _named(ids["class"], class_labels,
                                                 word("no_class", lang))
        cols[word("class_upper", lang)] = _named(ids["class_upper"], class_labels,
                                                 word("no_class", lang))
    cols[word("score", lang)] = ids["score"]
    cols[word("score_upper", lang)] = ids["score_upper"]
    cols[word("max_score", lang)] = ids["max_score"]
    if rs.exit is not None:
        words = {True: word("yes", lang), False: word("no", lang),
                 None: word("undetermined", lang)}
        cols[word("exit_ready", lang)] = np.array(
            [words[v] for v in ids["exit_ready"].tolist()], dtype=object)
    # float, so a chunk with rows not scored (blank there) keeps the column's type
    cols[word("problems", lang)] = ids["issues"].astype(np.float64)
    if model is not None:
        cols[word("model_probability", lang)] = ids["model_probability"]
    for k in range(top_reasons):
        cols[f"{word('reason', lang)} {k + 1}"] = _named(ids[f"reason_{k + 1}"],
                                                         crit_labels, None)
    cols[word("next_steps", lang)] = next_step_texts(scorer, batch, lang)
    outcome_words = {name: word(name, lang) for name in OUTCOME_NAMES}
    for c in rs.criteria:
        cols[outcome_header(c.label.get(lang), c.id)] = _named(
            ids[f"outcome.{c.id}"], outcome_words, None)
    return cols


def _named(values: npt.NDArray[np.object_], names: dict[str, str],
           none: str | None) -> npt.NDArray[np.object_]:
    return np.array([names.get(v, v) if v is not None else none
                     for v in values.tolist()], dtype=object)


def next_step_texts(scorer: Scorer, batch: BatchResult, lang: str = "id"
                    ) -> npt.NDArray[np.object_]:
    """Each group's next steps as one line (see the module docstring).

    Examples
    --------
    >>> from kematangan import Scorer
    >>> scorer = Scorer("ppmk-ksm")
    >>> print(next_step_texts(scorer, scorer.score_batch([{"members": 3}]))[0])
    Menuju Penumbuhan: penuhi: Anggota cukup; lengkapi data: Dibentuk secara partisipatif, Keanggotaan sukarela dengan kepentingan bersama, Jumlah pertemuan kelompok 3 bulan terakhir, Aturan dasar 1: pertemuan rutin, Aturan dasar 2: menabung rutin, Aturan dasar 3: pinjam-meminjam antaranggota dari tabungan kelompok, Aturan dasar 4: pinjaman antaranggota dikembalikan tepat waktu, Aturan dasar 5: pembukuan kelompok selalu diperbarui
    """
    plan, raw = batch.plan, batch.raw
    n = len(batch)
    if n == 0:
        return np.empty(0, dtype=object)
    r = rank(plan, raw.outcomes, raw.points, raw.stage, raw.class_, raw.exit_ready)
    outcomes = np.asarray(raw.outcomes)
    n_stages, n_classes = len(plan.stage_ids), len(plan.class_ids)
    stage = np.asarray(raw.stage, dtype=np.int64)
    klass = np.asarray(raw.class_, dtype=np.int64)
    # What each record aims at next: 0..S-1 a stage, S..S+C-1 a class, S+C exit,
    # S+C+1 nothing left.
    target = np.full(n, n_stages + n_classes + 1, dtype=np.int64)
    blocks = np.zeros_like(r.blocks_stage)
    short = np.zeros(n)
    exit_open = (np.asarray(raw.exit_ready) != 1) & (plan.exit_stage >= 0)
    todo = np.ones(n, dtype=bool)
    if n_stages:
        at = todo & (stage < n_stages - 1)
        target[at] = stage[at] + 1
        blocks[:, at] = r.blocks_stage[:, at]
        short[at] = _stage_short(plan, raw, stage, at)
        todo &= ~at
    if n_classes:
        at = todo & (klass < n_classes - 1)
        target[at] = n_stages + klass[at] + 1
        blocks[:, at] = r.blocks_class[:, at]
        low = np.array([b[0] for b in plan.class_bounds] + [0.0])
        short[at] = np.maximum(0.0, low[klass[at] + 1] - raw.score[at])
        todo &= ~at
    at = todo & exit_open
    target[at] = n_stages + n_classes
    blocks[:, at] = r.blocks_exit[:, at]
    not_met = blocks & (outcomes == 0)
    unknown = blocks & (outcomes == -1)
    reads = _reads(scorer)
    field_ids = [f.id for f in plan.fields]
    read_matrix = np.array([[f in reads[c.id] for c in plan.criteria]
                            for f in field_ids], dtype=np.int64).reshape(
        len(field_ids), len(plan.criteria))
    columns = np.array([raw.columns[plan.value_index(f)] for f in field_ids]
                       ).reshape(len(field_ids), n)
    record = ((read_matrix @ unknown.astype(np.int64)) > 0) & np.isnan(columns)
    # One key per record, packed to a few bytes, so the distinct situations are
    # found by one sort of short byte strings.
    flags = np.concatenate([not_met, record]).astype(bool)
    key = np.concatenate([
        target.astype("<i4").view(np.uint8).reshape(n, 4),
        np.round(short * 100).astype("<i8").view(np.uint8).reshape(n, 8),
        np.packbits(flags, axis=0).T], axis=1)
    packed = np.ascontiguousarray(key).view(np.dtype((np.void, key.shape[1])))
    _, first, inverse = np.unique(packed.ravel(), return_index=True,
                                  return_inverse=True)
    texts = [_step_text(scorer, int(target[i]), float(short[i]), flags[:, i], lang)
             for i in first.tolist()]
    return np.array(texts, dtype=object)[np.asarray(inverse).reshape(-1)]


def _stage_short(plan: Any, raw: Any, stage: npt.NDArray[np.int64],
                 at: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Points each record is short of its next stage's ``min_points``."""
    out = np.zeros(int(at.sum()))
    nxt = stage[at] + 1
    points = np.asarray(raw.points)[:, at]
    for s, need in enumerate(plan.stage_min_points):
        if need is None:
            continue
        mine = nxt == s
        have = points[list(plan.stage_members[s])][:, mine].sum(axis=0)
        out[mine] = np.maximum(0.0, need - have)
    return out


def _step_text(scorer: Scorer, target: int, short: float,
               flags: npt.NDArray[np.bool_], lang: str) -> str:
    plan, rs = scorer.plan, scorer.ruleset
    n_stages, n_classes, n_crit = len(plan.stage_ids), len(plan.class_ids), len(
        plan.criteria)
    if target > n_stages + n_classes:
        return word("top", lang)
    if target < n_stages:
        level = rs.stages[target].label.get(lang)
    elif target < n_stages + n_classes:
        level = rs.classes[target - n_stages].label.get(lang)
    else:
        level = word("exit_word", lang)
    parts = []
    meet = [rs.criteria[i].label.get(lang) for i in range(n_crit) if flags[i]]
    if meet:
        parts.append(word("meet", lang).format(items=", ".join(meet)))
    labels = {f.id: f.label.get(lang) for f in rs.fields}
    missing = [f.id for j, f in enumerate(plan.fields) if flags[n_crit + j]]
    fields = [labels[f] for f in _enough(scorer, tuple(missing))]
    if fields:
        parts.append(word("record", lang).format(items=", ".join(fields)))
    if short > 0:
        parts.append(word("short", lang).format(points=fmt_number(short, lang)))
    head = word("towards", lang).format(level=level)
    return f"{head}: " + "; ".join(parts) if parts else head


def _reads(scorer: Scorer) -> dict[str, frozenset[str]]:
    """The fields each criterion reads (kept with the plan: asked per chunk)."""
    found: dict[str, frozenset[str]] | None = scorer.plan.memo.get("criterion_reads")
    if found is None:
        found = scorer.plan.memo["criterion_reads"] = criterion_reads(scorer.ruleset)
    return found


def _enough(scorer: Scorer, missing: tuple[str, ...]) -> tuple[str, ...]:
    """Of the ``missing`` fields, those to ask for: for each criterion they leave
    unknown, the fields that would each, recorded alone, let it be judged, or, when
    none would alone, all of its missing fields. A field read through ``coalesce``
    beside another missing one is thus left out when the other suffices: ``Lama
    sejak RUK terakhir ditinjau`` rather than it and the two dates that can stand
    in for it.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> _enough(Scorer("ppmk-ksm"), ("partnerships", "market_access",
    ...         "business_plan_months_since_review", "business_plan_reviewed_on",
    ...         "assessed_on"))
    ('partnerships', 'market_access', 'business_plan_months_since_review')
    """
    memo: dict[tuple[str, ...], tuple[str, ...]] = scorer.plan.memo.setdefault(
        "fields_to_record", {})
    if missing in memo:
        return memo[missing]
    rs = scorer.ruleset
    have = {f.id for f in rs.fields} - set(missing)
    unknown = unknown_without(rs, have)
    unlocks = {f: unknown - unknown_without(rs, have | {f}) for f in missing}
    reads = _reads(scorer)
    keep: set[str] = set()
    for c in unknown:
        alone = {f for f in missing if c in unlocks[f]}
        keep |= alone or {f for f in missing if f in reads[c]}
    memo[missing] = tuple(f for f in missing if f in keep) or missing
    return memo[missing]
