"""Gaps: what is missing for the next stage, the next class and exit."""

from __future__ import annotations

from kematangan.explain.facts import ScorerLike, context
from kematangan.explain.types import ClassGap, ExitGap, Gaps, StageGap
from kematangan.scoring import Assessment, Outcome, Plan

__all__ = ["gaps", "level_index", "required_stages", "split_unmet"]


def required_stages(plan: Plan, target: int) -> list[int]:
    """The stages whose gates (and ``min_points``) must hold to reach ``target``:
    the target and, while a stage is cumulative, the one before it.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> required_stages(Scorer("ppmk-ksm").plan, 2)
    [0, 1, 2]
    """
    chain = [target]
    s = target
    while s > 0 and plan.stage_cumulative[s]:
        s -= 1
        chain.append(s)
    return sorted(chain)


def level_index(ids: tuple[str, ...], level: str | None) -> int:
    """The index of a stage or class id, -1 for ``None``."""
    return ids.index(level) if level is not None else -1


def split_unmet(plan: Plan, a: Assessment, criteria: list[int]
                ) -> tuple[list[str], list[str]]:
    """(not met, unknown) among ``criteria``, ordered by stage and id."""
    picked = [plan.criteria[i] for i in sorted(
        set(criteria), key=lambda i: (plan.criteria[i].stage, plan.criteria[i].id))]
    missing = [c.id for c in picked if a.outcomes[c.id].outcome == Outcome.NOT_MET]
    unknown = [c.id for c in picked if a.outcomes[c.id].outcome == Outcome.UNKNOWN]
    return missing, unknown


def _stage_points(plan: Plan, a: Assessment, s: int) -> float:
    return sum(a.outcomes[plan.criteria[c].id].points for c in plan.stage_members[s])


def gaps(assessment: Assessment, ruleset_or_scorer: ScorerLike) -> Gaps:
    """The gaps to the next stage, the next class and exit.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> scorer = Scorer("ppmk-ksm")
    >>> g = gaps(scorer.score(scorer.ruleset.tests[1].record), scorer)
    >>> g.stage.target, g.stage.missing
    ('strengthening', ['admin_books'])
    >>> g.class_.target, g.class_.points_short
    ('maju', 25.0)
    """
    ctx = context(ruleset_or_scorer)
    ctx.check(assessment)
    plan, a = ctx.scorer.plan, assessment
    stage_gap = class_gap = exit_gap = None

    nxt = level_index(plan.stage_ids, a.stage) + 1
    if nxt < len(plan.stage_ids):
        chain = required_stages(plan, nxt)
        missing, unknown = split_unmet(plan, a, [g for s in chain
                                                 for g in plan.stage_gates[s]])
        short = 0.0
        for s in chain:
            need = plan.stage_min_points[s]
            if need is not None:
                short += max(0.0, need - _stage_points(plan, a, s))
        stage_gap = StageGap(
            current=a.stage, target=plan.stage_ids[nxt],
            label=ctx.ruleset.stages[nxt].label, missing=missing, unknown=unknown,
            points_short=short,
            possible_with_data=level_index(plan.stage_ids, a.stage_upper) >= nxt)

    nxt = level_index(plan.class_ids, a.class_) + 1
    if nxt < len(plan.class_ids):
        low, _, low_in, _ = plan.class_bounds[nxt]
        missing, unknown = split_unmet(plan, a, list(plan.class_requires[nxt]))
        class_gap = ClassGap(
            current=a.class_, target=plan.class_ids[nxt],
            label=ctx.ruleset.classes[nxt].label, threshold=low, inclusive=low_in,
            points_short=max(0.0, low - a.score), missing=missing, unknown=unknown,
            possible_with_data=level_index(plan.class_ids, a.class_upper) >= nxt)

    if plan.exit_stage >= 0 and a.exit_ready is not True:
        needed = [g for s in required_stages(plan, plan.exit_stage)
                  for g in plan.stage_gates[s]] + list(plan.exit_requires)
        missing, unknown = split_unmet(plan, a, needed)
        exit_gap = ExitGap(
            stage=plan.stage_ids[plan.exit_stage],
            stage_reached=level_index(plan.stage_ids, a.stage) >= plan.exit_stage,
            missing=missing, unknown=unknown)
    return Gaps(stage=stage_gap, class_=class_gap, exit=exit_gap)
