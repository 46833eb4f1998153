"""Reason codes: the criteria that cost points or hold a group back, ranked.

Like a PMML scorecard's reason codes ("points below maximum"), each criterion's
*points lost* is ``max_points - points``. A criterion is a reason when it is not met
(or unknown) or lost points. Reasons are ranked in tiers, then by points lost, then by
known outcomes before unknown ones, then by criterion id (so the order of criteria
in the file changes nothing):

0. gates that block the next stage (as :attr:`Assessment.blocking`);
1. requirements of the next class, or of exit once the group stands at the exit
   stage;
2. everything else that cost points.

An ``unknown`` criterion earns no points, so its whole ``max_points`` counts as lost:
points lost by all reasons add up to ``max_score - score``; those of reasons with a
known outcome add up to ``max_score - score_upper``.

The ranking is computed on ``[criterion, record]`` matrices with numpy, the same code
for one record and for a :class:`~kematangan.scoring.BatchResult`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kematangan.criteria.ruleset import Criterion, Text
from kematangan.explain.conditions import describe_condition, observed_values
from kematangan.explain.facts import ScorerLike, context
from kematangan.explain.types import Blocks, Reason
from kematangan.scoring import Assessment, BatchResult, Outcome, Plan

__all__ = ["Ranking", "assessment_arrays", "batch_reasons", "rank", "reasons"]

STAGE, CLASS, POINTS, NONE = 0, 1, 2, 3
_EPS = 1e-9
_CODE = {Outcome.MET: 1, Outcome.NOT_MET: 0, Outcome.UNKNOWN: -1,
         Outcome.NOT_APPLICABLE: 2}


@dataclass(frozen=True, slots=True)
class Ranking:
    """Reason ranking of ``n`` records; matrices are ``[criterion, record]``.

    ``order[:, r]`` lists criterion indexes best-first for record ``r``; the first
    ``count[r]`` of them are reasons.
    """

    tier: npt.NDArray[np.int8]
    lost: npt.NDArray[np.float64]
    blocks_stage: npt.NDArray[np.bool_]
    blocks_class: npt.NDArray[np.bool_]
    blocks_exit: npt.NDArray[np.bool_]
    order: npt.NDArray[np.intp]
    count: npt.NDArray[np.intp]


def _stage_block_table(plan: Plan) -> npt.NDArray[np.bool_]:
    """Row ``s + 1``: the gates that stand between stage ``s`` and ``s + 1``."""
    n_stages, n_crit = len(plan.stage_ids), len(plan.criteria)
    table = np.zeros((n_stages + 1, n_crit), dtype=bool)
    for nxt in range(n_stages):
        first = 0
        for s in range(nxt, -1, -1):
            if not plan.stage_cumulative[s]:
                first = s
                break
        for s in range(first, nxt + 1):
            table[nxt, list(plan.stage_gates[s])] = True
    return table


def _class_block_table(plan: Plan) -> npt.NDArray[np.bool_]:
    """Row ``k + 1``: the criteria class ``k + 1`` requires."""
    table = np.zeros((len(plan.class_ids) + 1, len(plan.criteria)), dtype=bool)
    for k, req in enumerate(plan.class_requires):
        table[k, list(req)] = True
    return table


def rank(plan: Plan, outcomes: npt.NDArray[np.integer], points: npt.NDArray[np.floating],
         stage: npt.NDArray[np.integer], class_: npt.NDArray[np.integer],
         exit_ready: npt.NDArray[np.integer]) -> Ranking:
    """Rank reasons for every record at once (see the module docstring).

    ``outcomes`` (1/0/-1) and ``points`` are ``[criterion, record]``; ``stage``,
    ``class_`` (-1 for none) and ``exit_ready`` (1/0/-1) are per record.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> batch = Scorer("ppmk-ksm").score_batch([{"members": 3}])
    >>> r = rank(batch.plan, batch.raw.outcomes, batch.raw.points, batch.raw.stage,
    ...          batch.raw.class_, batch.raw.exit_ready)
    >>> batch.plan.criteria[r.order[0, 0]].id, int(r.tier[r.order[0, 0], 0])
    ('enough_members', 0)
    """
    n_crit = len(plan.criteria)
    max_points = np.array([c.max_points for c in plan.criteria], dtype=np.float64)
    codes = np.asarray(outcomes)
    # A criterion that does not apply (2) is neither met nor a reason.
    applies = codes != 2
    lost = max_points[:, None] - np.asarray(points, dtype=np.float64)
    lost = np.where((np.abs(lost) < _EPS) | ~applies, 0.0, lost)
    not_met = (codes != 1) & applies
    blocks_stage = _stage_block_table(plan)[np.asarray(stage) + 1].T & not_met
    blocks_class = _class_block_table(plan)[np.asarray(class_) + 1].T & not_met
    exit_req = np.zeros(n_crit, dtype=bool)
    exit_req[list(plan.exit_requires)] = True
    # Exit's own requirements hold a group back once it stands at the exit stage.
    at_exit = (np.asarray(stage) >= plan.exit_stage) & (plan.exit_stage >= 0)
    blocks_exit = exit_req[:, None] & not_met & (
        (np.asarray(exit_ready) != 1) & at_exit)[None, :]
    tier = np.where(blocks_stage, STAGE,
                    np.where(blocks_class | blocks_exit, CLASS, POINTS))
    tier = np.where(not_met | (lost > 0), tier, NONE).astype(np.int8)
    id_rank = np.argsort(np.argsort(np.array(plan.criterion_ids, dtype=object)))
    ids = np.broadcast_to(id_rank[:, None], tier.shape)
    unknown = np.asarray(outcomes) == -1
    order = np.lexsort((ids, unknown, -lost, tier), axis=0)
    return Ranking(tier=tier, lost=lost, blocks_stage=blocks_stage,
                   blocks_class=blocks_class, blocks_exit=blocks_exit, order=order,
                   count=(tier != NONE).sum(axis=0))


def assessment_arrays(plan: Plan, a: Assessment) -> tuple[
        npt.NDArray[np.int8], npt.NDArray[np.float64], npt.NDArray[np.int16],
        npt.NDArray[np.int16], npt.NDArray[np.int8]]:
    """One assessment as the one-record arrays :func:`rank` takes."""
    outcomes = np.array([[_CODE[a.outcomes[c.id].outcome]] for c in plan.criteria],
                        dtype=np.int8).reshape(len(plan.criteria), 1)
    points = np.array([[a.outcomes[c.id].points] for c in plan.criteria],
                      dtype=np.float64).reshape(len(plan.criteria), 1)
    stage = plan.stage_ids.index(a.stage) if a.stage is not None else -1
    klass = plan.class_ids.index(a.class_) if a.class_ is not None else -1
    ready = -1 if a.exit_ready is None else int(a.exit_ready)
    return (outcomes, points, np.array([stage], dtype=np.int16),
            np.array([klass], dtype=np.int16), np.array([ready], dtype=np.int8))


def reasons(assessment: Assessment, ruleset_or_scorer: ScorerLike,
            k: int | None = None) -> list[Reason]:
    """The reason codes of one assessment, best first (at most ``k``).

    Examples
    --------
    >>> from kematangan import Scorer
    >>> scorer = Scorer("ppmk-ksm")
    >>> a = scorer.score(scorer.ruleset.tests[1].record)
    >>> top = reasons(a, scorer, k=2)
    >>> [(r.criterion, r.outcome.value, r.points_lost, r.blocks) for r in top]
    [('admin_books', 'not_met', 5.0, ['stage']), ('continuing_activities', 'unknown', 6.0, [])]
    >>> top[0].condition.id, top[0].advice.get("en")[:30]
    ('Buku administrasi (anggota dan keuangan) tertib: ya', 'Update the membership book and')
    """
    ctx = context(ruleset_or_scorer)
    ctx.check(assessment)
    plan = ctx.scorer.plan
    r = rank(plan, *assessment_arrays(plan, assessment))
    n = int(r.count[0]) if k is None else min(int(r.count[0]), k)
    out = []
    for pos in range(n):
        ci = int(r.order[pos, 0])
        c = ctx.ruleset.criteria[ci]
        res = assessment.outcomes[c.id]
        blocks: list[Blocks] = []
        if r.blocks_stage[ci, 0]:
            blocks.append("stage")
        if r.blocks_class[ci, 0]:
            blocks.append("class")
        if r.blocks_exit[ci, 0]:
            blocks.append("exit")
        scored = c.score is not None or c.bands is not None
        out.append(Reason(
            rank=pos + 1, criterion=c.id, label=c.label, outcome=res.outcome,
            points=res.points, max_points=res.max_points,
            points_lost=float(r.lost[ci, 0]), blocks=blocks, stage=c.stage,
            condition=describe_condition(ctx, c),
            observed=observed_values(ctx, c, assessment), advice=c.advice,
            scored=scored, band=_band(c, assessment),
            max_unconfirmed=c.score is not None
            and "max" in ctx.unconfirmed(c.score.field)))
    return out


def _band(c: Criterion, a: Assessment) -> Text | None:
    """The label of the band a banded criterion's value fell in (the last band
    holding it, as its points are)."""
    if c.bands is None:
        return None
    value = a.derived.get(c.bands.field, a.inputs.get(c.bands.field))
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    found = None
    for band in c.bands.bands:
        if band.interval.contains(float(value)):
            found = band.label
    return found


def batch_reasons(batch: BatchResult, k: int = 3) -> dict[str, npt.NDArray[np.object_]]:
    """The top ``k`` reason codes of every record, as columns ``reason_1..reason_k``.

    Each column is a numpy object array of criterion ids, ``None`` where a record
    has fewer reasons. The ranking is one ``lexsort`` over the batch's
    ``[criterion, record]`` matrices, with no loop over records.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> batch = Scorer("ppmk-ksm").score_batch([{"members": 3}, {"members": 9}])
    >>> cols = batch_reasons(batch, k=2)
    >>> sorted(cols), cols["reason_1"].tolist()
    (['reason_1', 'reason_2'], ['enough_members', 'basic_rules'])
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    plan, raw = batch.plan, batch.raw
    r = rank(plan, raw.outcomes, raw.points, raw.stage, raw.class_, raw.exit_ready)
    ids = np.array([*plan.criterion_ids, None], dtype=object)
    n_crit = len(plan.criteria)
    cols: dict[str, npt.NDArray[np.object_]] = {}
    for pos in range(k):
        if pos < n_crit:
            idx = np.where(r.count > pos, r.order[pos], n_crit)
        else:
            idx = np.full(len(batch), n_crit)
        cols[f"reason_{pos + 1}"] = ids[idx]
    return cols
