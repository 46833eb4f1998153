from __future__ import annotations

import re
from pathlib import Path

import pytest

from kematangan import RulesetError, list_rulesets, load_ruleset, parse_ruleset
from kematangan.criteria import validate_ruleset

BASE = """\
id: demo
version: 1.0.0
title: {id: Demo, en: Demo}
description: Demo
sources: [{title: test}]
fields:
  - {id: members, type: integer, label: Anggota, min: 0, max: 100}
  - {id: repayment_rate, type: number, label: RR, min: 0, max: 1}
  - {id: usaha, type: category, label: Usaha, categories: [dagang, jasa]}
criteria:
  - id: enough_members
    label: Anggota cukup
    stage: growth
    gate: true
    points: 5
    threshold: {field: members, op: ">=", value: 5}
  - id: repaying
    label: Lancar
    points: 5
    threshold: {field: repayment_rate, op: ">=", value: 0.9}
stages:
  - {id: growth, label: Penumbuhan}
classes:
  - {id: low, label: Rendah, interval: "[0, 5)"}
  - {id: high, label: Tinggi, interval: "[5, 10]"}
"""


def problems(text: str) -> list[str]:
    _, found = validate_ruleset(text, "demo.yaml")
    return [str(p) for p in found]


def test_base_ruleset_is_valid() -> None:
    assert problems(BASE) == []


def test_unknown_key_suggests_closest_name_with_line() -> None:
    text = BASE.replace("    points: 5\n    threshold: {field: members",
                        "    pionts: 5\n    threshold: {field: members")
    assert problems(text) == [
        "demo.yaml:15:5: criteria[0].pionts: unknown key 'pionts' "
        "(did you mean 'points'?) (fix: rename it to 'points')"]


def test_unknown_field_suggests_closest_name() -> None:
    text = BASE.replace("field: repayment_rate", "field: repayment_rte")
    (found,) = problems(text)
    assert "unknown field 'repayment_rte' (did you mean 'repayment_rate'?)" in found
    assert found.startswith("demo.yaml:20:17:")


def test_every_problem_is_reported_at_once() -> None:
    text = (BASE.replace("field: repayment_rate", "field: repayment_rte")
            .replace("stage: growth", "stage: grwth")
            .replace('"[5, 10]"', '"[6, 10]"'))
    found = problems(text)
    # the renamed stage also leaves stage 'growth' without a gate: four problems
    assert len(found) == 4, found
    assert any("unknown stage 'grwth' (did you mean 'growth'?)" in p for p in found)
    assert any("stage 'growth' has no gate" in p for p in found)
    assert any("gap between [0, 5) and [6, 10]" in p for p in found)


def test_duplicate_key_is_reported() -> None:
    text = BASE.replace("version: 1.0.0\n", "version: 1.0.0\nversion: 1.0.1\n")
    assert any("duplicate key 'version' (first at line 2)" in p
               for p in problems(text))


def test_yaml_syntax_error_names_line() -> None:
    (found,) = problems(BASE + "  - [unclosed\n")
    assert found.startswith("demo.yaml:") and "not valid YAML" in found


def test_class_overlap_is_reported() -> None:
    text = BASE.replace('"[0, 5)"', '"[0, 5]"')
    assert any("overlaps" in p for p in problems(text))


def test_class_boundaries_on_whole_numbers_have_no_gap() -> None:
    text = BASE.replace('"[0, 5)"', '"[0, 4]"')
    assert problems(text) == []


def test_criteria_cycle_is_reported() -> None:
    text = BASE.replace("stages:", """\
  - {id: a, label: A, points: 0, all_of: [b]}
  - {id: b, label: B, points: 0, any_of: [a]}
stages:""")
    assert any("cycle: a -> b -> a" in p for p in problems(text))


def test_unreachable_stage_is_reported() -> None:
    text = BASE.replace("  - {id: growth, label: Penumbuhan}",
                        "  - {id: growth, label: Penumbuhan, min_points: 50}")
    assert any("unreachable" in p for p in problems(text))


def test_stage_with_no_gate_is_reported() -> None:
    text = BASE.replace("  - {id: growth, label: Penumbuhan}",
                        "  - {id: growth, label: Penumbuhan}\n"
                        "  - {id: release, label: Pelepasan}")
    assert any("stage 'release' has no gate" in p for p in problems(text))


def test_type_mismatch_is_reported() -> None:
    text = BASE.replace("threshold: {field: members", "boolean: {field: members")
    text = text.replace(', op: ">=", value: 5}', "}", 1)
    assert any("needs a true/false value, but 'members' is number" in p
               for p in problems(text))


def test_expression_error_names_location() -> None:
    text = BASE.replace('threshold: {field: repayment_rate, op: ">=", value: 0.9}',
                        "expr: repayment_rate >= and")
    (found,) = problems(text)
    assert found.startswith("demo.yaml:20:29: criteria[1].expr: expected a value")


def test_in_set_category_typo_suggests() -> None:
    text = BASE.replace('threshold: {field: repayment_rate, op: ">=", value: 0.9}',
                        "in_set: {field: usaha, values: [dagan]}")
    assert any("did you mean 'dagang'" in p for p in problems(text))


def test_test_case_with_unknown_field_is_reported() -> None:
    text = BASE + """\
tests:
  - name: t
    record: {membrs: 3}
    expect: {stage: null}
"""
    assert any("unknown field 'membrs' (did you mean 'members'?)" in p
               for p in problems(text))


def test_parse_raises_one_error_listing_all() -> None:
    text = BASE.replace('op: ">=", value: 5', 'op: "=>", value: 5').replace(
        "value: 0.9", "value: zero")
    with pytest.raises(RulesetError, match=re.escape("ruleset has 2 problems")):
        parse_ruleset(text)


def test_content_hash_is_stable_and_changes_with_thresholds() -> None:
    a = parse_ruleset(BASE)
    b = parse_ruleset(BASE)
    c = parse_ruleset(BASE.replace("value: 0.9", "value: 0.8"))
    assert a.content_hash == b.content_hash != c.content_hash


def test_content_hash_ignores_test_cases() -> None:
    extra = "tests:\n  - {name: t, record: {members: 3}, expect: {stage: null}}\n"
    assert parse_ruleset(BASE).content_hash == parse_ruleset(
        BASE + extra).content_hash


def test_load_from_path_and_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(BASE, encoding="utf-8")
    assert load_ruleset(path).id == "demo"
    with pytest.raises(RulesetError, match="does not exist"):
        load_ruleset(tmp_path / "nope.yaml")


def test_unknown_bundled_name_suggests() -> None:
    with pytest.raises(RulesetError, match="did you mean 'ppmk-ksm'"):
        load_ruleset("ppmk-ksn")


def test_every_bundled_ruleset_loads() -> None:
    infos = list_rulesets()
    assert "ppmk-ksm" in [i.id for i in infos]
    for info in infos:
        assert load_ruleset(info.id).version == info.version


def test_ruleset_json_round_trip() -> None:
    from kematangan import Ruleset

    rs = load_ruleset("ppmk-ksm")
    again = Ruleset.model_validate_json(rs.model_dump_json(by_alias=True))
    assert again == rs
    assert again.content_hash == rs.content_hash


def codes(text: str) -> list[tuple[str, str]]:
    _, found = validate_ruleset(text, "demo.yaml")
    return [(p.code, p.path) for p in found]


def test_structural_and_reference_problems_come_in_one_pass() -> None:
    text = (BASE.replace("    points: 5\n    threshold: {field: members",
                         "    pionts: 5\n    threshold: {field: members")
            .replace("field: repayment_rate", "field: repayment_rte"))
    assert codes(text) == [("key_unknown_close", "criteria[0].pionts"),
                           ("unknown_field_close", "criteria[1].threshold.field")]


def test_reference_to_a_malformed_item_is_not_also_unknown() -> None:
    text = BASE.replace("type: number, label: RR", "type: numbr, label: RR")
    assert codes(text) == [("value_not_allowed_close", "fields[1].type")]


def test_references_into_an_unreadable_list_are_not_called_unknown() -> None:
    text = BASE.replace("stages:\n  - {id: growth, label: Penumbuhan}\n",
                        "stages: growth\n")
    assert codes(text) == [("not_list", "stages")]


def test_class_coverage_waits_until_every_criterion_is_sound() -> None:
    # the broken criterion's points are unknown, so "gap" or "uncovered" would guess
    text = BASE.replace("points: 5\n    threshold: {field: repayment_rate",
                        "points: five\n    threshold: {field: repayment_rate")
    assert codes(text) == [("not_number", "criteria[1].points")]


def test_problems_are_listed_by_line() -> None:
    text = (BASE.replace("field: repayment_rate", "field: repayment_rte")
            .replace("title: {id: Demo", "titel: {id: Demo"))
    lines = [p.line or 0 for p in validate_ruleset(text)[1]]
    assert lines == sorted(lines) and len(lines) == 2


def test_misspelt_required_key_is_one_problem() -> None:
    assert codes(BASE.replace("version:", "verison:")) == [
        ("key_unknown_close", "verison")]


def test_problem_texts_read_in_indonesian() -> None:
    _, (problem,) = validate_ruleset(
        BASE.replace("field: repayment_rate", "field: repayment_rte"))
    assert problem.problem("id") == (
        "field 'repayment_rte' tidak dikenal (mungkin maksudnya 'repayment_rate'?)")
    assert problem.fix("id") == "ganti menjadi 'repayment_rate'"


def test_ruleset_error_lists_every_problem_with_its_place() -> None:
    with pytest.raises(RulesetError) as info:
        parse_ruleset(BASE.replace("field: repayment_rate", "field: repayment_rte"),
                      "demo.yaml")
    assert str(info.value) == (
        "ruleset has 1 problem:\n"
        "  demo.yaml:20:17: criteria[1].threshold.field: unknown field "
        "'repayment_rte' (did you mean 'repayment_rate'?) (fix: write "
        "'repayment_rate')")
    assert info.value.problems[0].code == "unknown_field_close"


def test_bundled_ruleset_is_loaded_once() -> None:
    assert load_ruleset("ppmk-ksm") is load_ruleset("ppmk-ksm")
