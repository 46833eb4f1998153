"""Properties of explanations on generated records, for every bundled ruleset and
the all-kinds test ruleset.

Unknown outcomes: an unknown criterion earns no points, so all of its max points
count as lost. Points lost by reasons with a known outcome therefore add up to
``max_score - score_upper``, and with the unknown ones to ``max_score - score``.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kematangan import Assessment, Outcome, Scorer
from kematangan.explain import Explanation, NextSteps, batch_reasons, explain, reasons
from kematangan.explain.gaps import level_index
from tests.explain.common import BUNDLED, scorer
from tests.strategies import records

NAMES = [*BUNDLED, "all-kinds"]


def reached(s: Scorer, a: Assessment, ns: NextSteps) -> bool:
    t, plan = ns.target, s.plan
    if t.kind == "stage":
        return level_index(plan.stage_ids, a.stage) >= plan.stage_ids.index(t.id)
    if t.kind == "class":
        return level_index(plan.class_ids, a.class_) >= plan.class_ids.index(t.id)
    return a.exit_ready is True


def applied(record: dict[str, Any], ns: NextSteps, skip: int | None = None
            ) -> dict[str, Any]:
    out = dict(record)
    for n, step in enumerate(ns.steps):
        if n != skip:
            out.update({c.field: c.after for c in step.changes})
    return out


@pytest.mark.parametrize("name", NAMES)
def test_reasons_are_exactly_the_criteria_short_of_full_marks(name: str) -> None:
    s = scorer(name)

    @given(records(s.ruleset))
    def check(record: dict[str, Any]) -> None:
        a = s.score(record)
        got = {r.criterion: r for r in reasons(a, s)}
        for cid, res in a.outcomes.items():
            # A criterion that does not apply is never a reason.
            short = res.outcome in (Outcome.NOT_MET, Outcome.UNKNOWN) or (
                res.outcome is Outcome.MET and res.points < res.max_points)
            assert (cid in got) == short, cid
        for r in got.values():
            assert r.outcome == a.outcomes[r.criterion].outcome
        assert {c for c, r in got.items() if "stage" in r.blocks} == set(a.blocking)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_points_lost_add_up_to_the_missing_score(name: str) -> None:
    s = scorer(name)

    @given(records(s.ruleset))
    def check(record: dict[str, Any]) -> None:
        a = s.score(record)
        got = reasons(a, s)
        assert math.isclose(sum(r.points_lost for r in got), a.max_score - a.score,
                            abs_tol=1e-6)
        known = sum(r.points_lost for r in got if r.outcome is not Outcome.UNKNOWN)
        assert math.isclose(known, a.max_score - a.score_upper, abs_tol=1e-6)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_batch_reasons_agree_with_reasons_per_record(name: str) -> None:
    s = scorer(name)

    @given(st.lists(records(s.ruleset), min_size=1, max_size=6))
    def check(rows: list[dict[str, Any]]) -> None:
        cols = batch_reasons(s.score_batch(rows), k=4)
        for i, row in enumerate(rows):
            want: list[str | None] = [r.criterion
                                      for r in reasons(s.score(row), s, k=4)]
            want += [None] * (4 - len(want))
            assert [cols[f"reason_{j}"][i] for j in range(1, 5)] == want

    check()


@pytest.mark.parametrize("name", NAMES)
def test_next_steps_when_applied_reach_their_target(name: str) -> None:
    s = scorer(name)
    specs = {f.id: f for f in s.ruleset.fields}

    @given(records(s.ruleset), st.sampled_from(["next_stage", "next_class"]))
    def check(record: dict[str, Any], target: str) -> None:
        from kematangan.explain import next_steps

        a = s.score(record)
        ns = next_steps(a, s, target)
        assume(ns is not None)  # no next stage or class: nothing to check
        assert ns is not None
        for step in ns.steps:
            for c in step.changes:
                spec = specs[c.field]
                assert spec.actionable
                assert c.after is not None and c.after != c.before
                if spec.min is not None:
                    assert c.after >= spec.min
                if spec.max is not None:
                    assert c.after <= spec.max
                if spec.type == "integer":
                    assert isinstance(c.after, int)
                if c.before is not None and spec.better == "higher":
                    assert c.after > c.before
                if c.before is not None and spec.better == "lower":
                    assert c.after < c.before
        if ns.reachable:
            after = s.score(applied(a.inputs, ns))
            assert reached(s, after, ns)
            assert ns.result is not None and ns.result.score == after.score
            # Irreducible: no step can be left out.
            for n in range(len(ns.steps)):
                assert not reached(s, s.score(applied(a.inputs, ns, skip=n)), ns)
        else:
            assert ns.blockers

    check()


@pytest.mark.parametrize("name", NAMES)
def test_explanation_round_trips_through_json(name: str) -> None:
    s = scorer(name)

    @given(records(s.ruleset))
    def check(record: dict[str, Any]) -> None:
        e = explain(s.score(record), s)
        assert Explanation.model_validate_json(e.model_dump_json()) == e

    check()
