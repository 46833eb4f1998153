"""Portfolio figures from a :class:`~kematangan.scoring.BatchResult`, vectorized.

Counts per stage and class, exit-ready groups, and how often each criterion holds a
group back (as a gate of its next stage, a requirement of its next class, or of
exit), all from the batch's arrays and :func:`~kematangan.explain.reasons.rank`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kematangan.criteria.ruleset import Text
from kematangan.explain.facts import Context, ScorerLike, context
from kematangan.explain.reasons import batch_reasons, rank
from kematangan.explain.wording import pair
from kematangan.scoring import BatchResult, RulesetRef

__all__ = ["Portfolio", "portfolio"]


@dataclass(frozen=True)
class Portfolio:
    """The figures of a portfolio report; counts are (id or None, label, count)."""

    ruleset: RulesetRef
    title: Text
    records: int
    stages: list[tuple[str | None, Text, int]]
    stage_undetermined: int
    classes: list[tuple[str | None, Text, int]]
    class_undetermined: int
    exit_rule: bool
    exit_ready: int
    exit_undetermined: int
    with_issues: int
    blockers: list[tuple[str, Text, int]]
    reasons: dict[str, npt.NDArray[np.object_]]
    ctx: Context


def portfolio(batch: BatchResult, ruleset_or_scorer: ScorerLike, k: int = 3
              ) -> Portfolio:
    """Compute the portfolio figures of ``batch``.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> scorer = Scorer("ppmk-ksm")
    >>> p = portfolio(scorer.score_batch([c.record for c in scorer.ruleset.tests]),
    ...               scorer)
    >>> p.records == len(scorer.ruleset.tests), p.exit_ready, p.blockers[0][0]
    (True, 1, 'admin_books')
    """
    ctx = context(ruleset_or_scorer)
    plan, raw, rs = batch.plan, batch.raw, ctx.ruleset
    if plan.content_hash != ctx.scorer.plan.content_hash:
        raise ValueError(f"the batch was scored with ruleset {plan.ruleset_id} "
                         f"{plan.version}, not {rs.id} {rs.version}")
    stage_counts = np.bincount(raw.stage.astype(np.int64) + 1,
                               minlength=len(plan.stage_ids) + 1)
    class_counts = np.bincount(raw.class_.astype(np.int64) + 1,
                               minlength=len(plan.class_ids) + 1)
    stages: list[tuple[str | None, Text, int]] = [(None, pair("no_stage"),
                                                   int(stage_counts[0]))]
    stages += [(s.id, s.label, int(stage_counts[i + 1]))
               for i, s in enumerate(rs.stages)]
    classes: list[tuple[str | None, Text, int]] = [(None, pair("no_class"),
                                                    int(class_counts[0]))]
    classes += [(c.id, c.label, int(class_counts[i + 1]))
                for i, c in enumerate(rs.classes)]
    r = rank(plan, raw.outcomes, raw.points, raw.stage, raw.class_, raw.exit_ready)
    held = (r.blocks_stage | r.blocks_class | r.blocks_exit).sum(axis=1)
    order = np.lexsort((np.arange(len(held)), -held))
    blockers = [(rs.criteria[i].id, rs.criteria[i].label, int(held[i]))
                for i in order if held[i] > 0]
    return Portfolio(
        ruleset=RulesetRef(id=plan.ruleset_id, version=plan.version,
                           hash=plan.content_hash),
        title=rs.title, records=len(batch), stages=stages,
        stage_undetermined=int((raw.stage != raw.stage_upper).sum()),
        classes=classes,
        class_undetermined=int((raw.class_ != raw.class_upper).sum()),
        exit_rule=plan.exit_stage >= 0, exit_ready=int((raw.exit_ready == 1).sum()),
        exit_undetermined=int((raw.exit_ready == -1).sum()) if plan.exit_stage >= 0
        else 0,
        with_issues=len(batch.issues_by_record()),
        blockers=blockers, reasons=batch_reasons(batch, k), ctx=ctx)
