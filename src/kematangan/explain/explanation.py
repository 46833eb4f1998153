"""Assemble the whole :class:`Explanation` of one assessment."""

from __future__ import annotations

from kematangan.explain.conditions import describe_applies
from kematangan.explain.facts import ScorerLike, context
from kematangan.explain.gaps import gaps, level_index
from kematangan.explain.reasons import reasons
from kematangan.explain.steps import next_steps
from kematangan.explain.types import (
    Explanation,
    Level,
    NotApplicable,
    PointsLine,
    RulesetStamp,
)
from kematangan.explain.wording import pair
from kematangan.scoring import Assessment, Outcome

__all__ = ["explain"]


def explain(assessment: Assessment, scorer: ScorerLike, *, k: int | None = None,
            row: int | None = None) -> Explanation:
    """Explain one assessment: reasons, gaps, next steps and the data used.

    ``scorer`` is the :class:`~kematangan.Scorer` (or ruleset) that produced the
    assessment; a different ruleset raises :class:`~kematangan.InputError`. ``k``
    limits the number of reasons (all by default). ``row`` is the sheet row the
    group was read from, which names a group without an id.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> scorer = Scorer("ppmk-ksm")
    >>> e = explain(scorer.score(scorer.ruleset.tests[1].record), scorer)
    >>> e.stage, e.reasons[0].criterion, e.gaps.stage.target
    ('growth', 'admin_books', 'strengthening')
    >>> [c.field for s in e.next_stage.steps for c in s.changes]
    ['admin_books_kept']
    >>> e.ruleset.id, len(e.ruleset.hash)
    ('ppmk-ksm', 64)
    """
    ctx = context(scorer)
    ctx.check(assessment)
    rs, plan, a = ctx.ruleset, ctx.scorer.plan, assessment
    stage_i = level_index(plan.stage_ids, a.stage)
    class_i = level_index(plan.class_ids, a.class_)
    lines = []
    # Criteria that do not apply leave the maximum, here as in the score.
    applies = {c.id for c in plan.criteria
               if a.outcomes[c.id].outcome != Outcome.NOT_APPLICABLE}
    if rs.stages:
        groups = [*enumerate(plan.stage_members), (-1, tuple(
            c.index for c in plan.criteria if c.stage < 0))]
        for s, members in groups:
            top = sum(plan.criteria[c].max_points for c in members
                      if plan.criteria[c].id in applies)
            if top > 0:
                lines.append(PointsLine(
                    name=rs.stages[s].id if s >= 0 else None,
                    label=rs.stages[s].label if s >= 0 else pair("other"),
                    points=sum(a.outcomes[plan.criteria[c].id].points
                               for c in members), max_points=top))
    else:
        lines = [PointsLine(name=c.id, label=rs.criteria[c.index].label,
                            points=a.outcomes[c.id].points, max_points=c.max_points)
                 for c in plan.criteria if c.max_points > 0 and c.id in applies]
    found_reasons = reasons(a, ctx.scorer, k)
    found_gaps = gaps(a, ctx.scorer)
    plans = (next_steps(a, ctx.scorer, "next_stage"),
             next_steps(a, ctx.scorer, "next_class"))
    named = {r.criterion for r in found_reasons}
    for gap in (found_gaps.stage, found_gaps.class_, found_gaps.exit):
        if gap is not None:
            named |= {*gap.missing, *gap.unknown}
    for ns in plans:
        if ns is not None:
            named |= {c for s in ns.steps for c in s.meets}
            named |= {b.criterion for b in ns.blockers if b.criterion is not None}
    not_applicable = []
    for c in rs.criteria:
        condition = describe_applies(ctx, c)
        if c.id not in applies and condition is not None:
            not_applicable.append(NotApplicable(criterion=c.id, label=c.label,
                                                condition=condition))
    return Explanation(
        ruleset=RulesetStamp(id=rs.id, version=rs.version, hash=rs.content_hash,
                             title=rs.title),
        subject=rs.subject, group_id=a.group_id, row=row, stage=a.stage,
        stage_upper=a.stage_upper,
        class_=a.class_, class_upper=a.class_upper, score=a.score,
        score_upper=a.score_upper, max_score=a.max_score, exit_ready=a.exit_ready,
        stages=[Level(id=s.id, label=s.label, reached=i <= stage_i)
                for i, s in enumerate(rs.stages)],
        classes=[Level(id=k.id, label=k.label, reached=i <= class_i,
                       interval=str(k.interval), low=k.interval.low,
                       high=k.interval.high) for i, k in enumerate(rs.classes)],
        points=lines,
        reasons=found_reasons,
        not_applicable=not_applicable,
        gaps=found_gaps,
        next_stage=plans[0],
        next_class=plans[1],
        inputs=[ctx.value(f.id, a.inputs.get(f.id)) for f in rs.fields],
        derived=[ctx.value(d.id, a.derived.get(d.id)) for d in rs.derived],
        issues=list(a.issues),
        labels={c.id: c.label for c in rs.criteria if c.id in named},
    )
