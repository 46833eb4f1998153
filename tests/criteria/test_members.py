"""The members section of a parent-level ruleset: every mistake is a coded problem
at its place, with the closest name when there is one."""

from __future__ import annotations

import pytest

from kematangan.criteria import load_ruleset, validate_ruleset
from kematangan.criteria.members import MemberNames, parse_aggregate
from kematangan.errors import RulesetError

BASE = """\
id: parent
version: 1.0.0
title: Induk
description: Induk
sources: [{title: test}]
group_id: {field: bkm_id}
members:
  ruleset: ppmk-ksm
  noun: {id: KSM, en: KSM}
  fields:
    n: members
    grown: share.stage_reached.growth
    arrears:
      aggregate: count.not_met.repayment_current
      held_back_by: {id: KSM penunggak, en: KSM in arrears}
fields:
  - {id: n, type: integer, label: Jumlah KSM, min: 0, better: higher}
  - {id: grown, type: number, label: Bagian tumbuh, min: 0, max: 1, better: higher}
  - {id: arrears, type: integer, label: Penunggak, min: 0, better: lower}
  - {id: legal, type: boolean, label: Aspek legal, better: higher}
criteria:
  - id: enough
    label: Cukup
    stage: growth
    gate: true
    threshold: {field: grown, op: ">=", value: 0.5}
stages:
  - {id: growth, label: Penumbuhan}
"""


def _problems(text: str) -> list[tuple[str, str, int | None]]:
    ruleset, problems = validate_ruleset(text, "parent.yaml")
    assert (ruleset is None) == bool(problems)
    return [(p.code, p.path, p.line) for p in problems]


def test_the_base_parent_ruleset_is_sound() -> None:
    assert _problems(BASE) == []


CASES = [
    ("n: members", "n: membrs", "aggregate_measure_unknown_close",
     "members.fields.n", "did you mean 'members'"),
    ("n: members", "n: total", "aggregate_measure_unknown", "members.fields.n",
     "'total' is not a measure"),
    ("share.stage_reached.growth", "share.stage_reachd.growth",
     "aggregate_which_unknown_close", "members.fields.grown",
     "did you mean 'stage_reached'"),
    ("share.stage_reached.growth", "share.stage_reached", "aggregate_incomplete",
     "members.fields.grown", "share.stage_reached.<stage>"),
    ("share.stage_reached.growth", "share.exit_ready.growth", "aggregate_extra_part",
     "members.fields.grown", "share.exit_ready"),
    ("share.stage_reached.growth", "share.stage_reached.grwth",
     "member_stage_unknown_close", "members.fields.grown", "did you mean 'growth'"),
    ("count.not_met.repayment_current", "count.not_met.repayment_curent",
     "member_criterion_unknown_close", "members.fields.arrears",
     "did you mean 'repayment_current'"),
    ("n: members", "n: count.class.top", "member_class_unknown", "members.fields.n",
     "class 'top' is not in the member ruleset 'ppmk-ksm'"),
    ("n: members", "n: sum.arrears_instalment", "member_value_unknown_close",
     "members.fields.n", "did you mean 'arrears_instalments'"),
    ("n: members", "n: sum.legal_standing", None, None, None),
    ("n: members", "nn: members", "unknown_field_close", "members.fields.nn",
     "did you mean 'n'"),
    ("n: members", "n: share.exit_ready", "aggregate_field_type", "members.fields.n",
     "type integer and cannot hold aggregate 'share.exit_ready'"),
    ("{id: grown, type: number, label: Bagian tumbuh, min: 0, max: 1,",
     "{id: grown, type: number, label: Bagian tumbuh, min: 0, max: 100,", None,
     None, None),
    ("{id: grown, type: number, label: Bagian tumbuh, min: 0, max: 1,",
     "{id: grown, type: number, label: Bagian tumbuh, min: 0, max: 0.5,",
     "aggregate_share_bounds", "members.fields.grown", "refuse shares from 0 to 1"),
    ("ruleset: ppmk-ksm", "ruleset: parent", "member_ruleset_self", "members.ruleset",
     "names itself"),
    ("      held_back_by:", "      held_back:", "key_unknown_close",
     "members.fields.arrears.held_back", "did you mean 'held_back_by'"),
    ("  noun: {id: KSM, en: KSM}\n", "", "key_required", "members.noun", "noun"),
]


@pytest.mark.parametrize(("old", "new", "code", "path", "text"), CASES,
                         ids=[c[1].strip()[:40] for c in CASES])
def test_a_members_mistake_is_a_coded_problem_at_its_place(
        old: str, new: str, code: str | None, path: str | None,
        text: str | None) -> None:
    assert old in BASE
    _, problems = validate_ruleset(BASE.replace(old, new, 1), "parent.yaml")
    if code is None:
        assert problems == []
        return
    found = [p for p in problems if p.code == code]
    assert found, [p.code for p in problems]
    assert found[0].path == path
    assert found[0].line is not None
    assert text is not None and text in str(found[0])
    assert found[0].problem("id") and found[0].fix("id")


def test_an_unknown_member_ruleset_is_checked_when_a_roll_up_meets_it() -> None:
    text = BASE.replace("ruleset: ppmk-ksm", "ruleset: my-ksm").replace(
        "share.stage_reached.growth", "share.stage_reached.anything")
    assert _problems(text) == []


def test_a_parent_ruleset_with_other_faults_still_gets_its_members_checked() -> None:
    text = BASE.replace("n: members", "n: membrs").replace(
        "label: Cukup", "label: Cukup\n    pionts: 3")
    codes = [c for c, _, _ in _problems(text)]
    assert "aggregate_measure_unknown_close" in codes
    assert "key_unknown_close" in codes


def test_every_aggregate_the_members_offer_parses_and_exists() -> None:
    names = MemberNames.of(load_ruleset("ppmk-ksm"))
    offered = names.aggregates()
    assert "sum.arrears_instalments" in offered
    assert "sum.formed_participatory" in offered  # a yes/no sums to a count
    for name in offered:
        assert parse_aggregate(name, names).name == name


def test_exit_ready_needs_a_member_ruleset_with_an_exit_rule() -> None:
    names = MemberNames("x", {"stage": [], "class": [], "criterion": [],
                              "value": []}, frozenset(), has_exit=False)
    with pytest.raises(RulesetError, match="has no 'exit' rule"):
        parse_aggregate("count.exit_ready", names)
    assert "count.exit_ready" not in names.aggregates()


def test_the_bundled_parent_ruleset_checks_its_members_against_ppmk_ksm() -> None:
    rs = load_ruleset("bkm-lkm")
    assert rs.members is not None and rs.members.ruleset == "ppmk-ksm"
