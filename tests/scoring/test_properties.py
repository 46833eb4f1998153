"""Properties every bundled ruleset must keep, on generated records."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kematangan import Assessment, Ruleset, Scorer, list_rulesets
from tests.strategies import records, valid_value

NAMES = [r.id for r in list_rulesets()]
SCORERS = {name: Scorer(name) for name in NAMES}


def comparable(a: Assessment) -> dict[str, Any]:
    """An assessment without what legitimately differs between equal results."""
    d = a.model_dump(mode="json")
    d["issues"] = [{**i, "row": None} for i in d["issues"]]
    d["ruleset"].pop("hash")
    return d


@pytest.mark.parametrize("name", NAMES)
def test_batch_equals_per_record_scoring(name: str) -> None:
    scorer = SCORERS[name]

    @given(st.lists(records(scorer.ruleset), min_size=1, max_size=8))
    def check(rows: list[dict[str, Any]]) -> None:
        batch = scorer.score_batch(rows)
        for i, row in enumerate(rows):
            assert comparable(batch.assessment(i)) == comparable(scorer.score(row))

    check()


@pytest.mark.parametrize("name", NAMES)
def test_shuffling_rows_changes_nothing(name: str) -> None:
    scorer = SCORERS[name]

    @given(st.lists(records(scorer.ruleset), min_size=2, max_size=8), st.randoms())
    def check(rows: list[dict[str, Any]], rnd: random.Random) -> None:
        order = list(range(len(rows)))
        rnd.shuffle(order)
        a = scorer.score_batch(rows)
        b = scorer.score_batch([rows[i] for i in order])
        for new, old in enumerate(order):
            assert comparable(b.assessment(new)) == comparable(a.assessment(old))

    check()


@pytest.mark.parametrize("name", NAMES)
def test_shuffling_criteria_changes_nothing(name: str) -> None:
    scorer = SCORERS[name]
    rs = scorer.ruleset
    shuffled = list(rs.criteria)
    random.Random(7).shuffle(shuffled)
    other = Scorer(rs.model_copy(update={"criteria": shuffled}))

    @given(records(rs))
    def check(row: dict[str, Any]) -> None:
        a, b = comparable(scorer.score(row)), comparable(other.score(row))
        assert a == b

    check()


def monotone_fields(rs: Ruleset) -> list[str]:
    """Actionable fields whose every use is a condition monotone in their
    'better' direction (so improving them can never hurt)."""
    import kematangan.criteria.expr as ex

    derived_reads = {d.id: ex.names(ex.parse(d.expr)) for d in rs.derived}

    def fields_behind(names: set[str]) -> set[str]:
        out: set[str] = set()
        for n in names:
            out |= fields_behind(derived_reads[n]) if n in derived_reads else {n}
        return out

    read_elsewhere: set[str] = set()
    for c in rs.criteria:
        if c.expr is not None:
            read_elsewhere |= fields_behind(ex.names(ex.parse(c.expr)))
        if c.field_ref in derived_reads:
            read_elsewhere |= fields_behind({c.field_ref or ""})
        if c.range is not None or c.in_set is not None:
            read_elsewhere.add(c.field_ref or "")
        if c.threshold is not None and c.threshold.op in ("==", "!="):
            read_elsewhere.add(c.threshold.field)
    out = []
    for f in rs.fields:
        if not f.actionable or f.better == "none" or f.id in read_elsewhere:
            continue
        if f.type not in ("number", "integer", "boolean"):
            continue
        out.append(f.id)
    return out


def test_threshold_direction_matches_field_direction() -> None:
    bad = []
    for name in NAMES:
        rs = SCORERS[name].ruleset
        for c in rs.criteria:
            if c.threshold is None:
                continue
            f = next((x for x in rs.fields if x.id == c.threshold.field), None)
            if f is None or f.better == "none" or c.threshold.op in ("==", "!="):
                continue
            up = c.threshold.op in (">", ">=")
            if up != (f.better == "higher"):
                bad.append(f"{name}: {c.id} uses {c.threshold.op} on {f.id} "
                           f"(better: {f.better})")
    assert bad == []


MONOTONE = [name for name in NAMES if monotone_fields(SCORERS[name].ruleset)]


def test_most_bundled_rulesets_have_monotone_fields() -> None:
    # upk-pinjaman-bergulir has none: its fields feed ratios, whose direction
    # depends on the other operand.
    assert len(MONOTONE) >= len(NAMES) - 1


@pytest.mark.parametrize("name", MONOTONE)
def test_improving_an_actionable_field_never_lowers_score_or_stage(name: str) -> None:
    scorer = SCORERS[name]
    rs = scorer.ruleset
    fields = monotone_fields(rs)

    @given(records(rs), st.sampled_from(fields), st.data())
    def check(row: dict[str, Any], field_id: str, data: st.DataObject) -> None:
        f = rs.field(field_id)
        # Two valid values: the worse is the record's, the better its improvement
        # (drawn, not filtered, so hypothesis never runs out of examples).
        a, b = (data.draw(valid_value(rs, f)) for _ in range(2))
        old, new = (min(a, b), max(a, b)) if f.better == "higher" else (max(a, b),
                                                                         min(a, b))
        row = {**row, field_id: old}
        before, after = scorer.score(row), scorer.score({**row, field_id: new})
        # Values that contradict each other are set aside (unknown), which leaves
        # the upper stage open: compare the records with the other side of each
        # contradiction left blank.
        failed = [p for s in (before, after) for p in s.issues
                  if p.code == "check_failed"]
        aside = {g for p in failed for g in p.params["fields"]} - {field_id}
        if aside:
            row = {**row, **dict.fromkeys(aside)}
            before, after = scorer.score(row), scorer.score({**row, field_id: new})
        if any(p.code == "check_failed" for p in (*before.issues, *after.issues)):
            return  # the field contradicts a value it is read with (a date)
        stages = [None, *[s.id for s in rs.stages]]
        assert after.score >= before.score
        assert stages.index(after.stage) >= stages.index(before.stage)
        assert stages.index(after.stage_upper) >= stages.index(before.stage_upper)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_assessment_json_round_trips(name: str) -> None:
    scorer = SCORERS[name]

    @given(records(scorer.ruleset))
    def check(row: dict[str, Any]) -> None:
        a = scorer.score(row)
        assert Assessment.model_validate_json(a.model_dump_json()) == a

    check()


@pytest.mark.parametrize("name", NAMES)
def test_ruleset_json_round_trips(name: str) -> None:
    rs = SCORERS[name].ruleset
    again = Ruleset.model_validate(rs.model_dump(mode="json", by_alias=True))
    assert again == rs and again.content_hash == rs.content_hash
