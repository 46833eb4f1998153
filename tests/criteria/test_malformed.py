"""A table of malformed rulesets: each gives its problem code, message and place.

Every row edits one thing in ``BASE`` (a sound ruleset) or gives a whole file, and
names the code, a fragment of the English message, the line and the dotted path of
the problem it must produce. Hostile files (issue 12) are rows too: each must end
in a problem, never a traceback, a hang or gigabytes of memory.
"""

from __future__ import annotations

import pytest

from kematangan.criteria import validate_ruleset
from kematangan.problems import Problem

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
  - {id: legal, type: boolean, label: Badan hukum}
  - {id: plan, type: integer, label: Rencana, min: 0, max: 4}
derived:
  - {id: share, label: Bagian, expr: repayment_rate * 100, type: number}
criteria:
  - id: enough_members
    label: Anggota cukup
    stage: growth
    gate: true
    points: 5
    threshold: {field: members, op: ">=", value: 5}
  - id: repaying
    label: Lancar
    stage: release
    points: 5
    threshold: {field: repayment_rate, op: ">=", value: 0.9}
  - id: trading
    label: Dagang
    points: 0
    in_set: {field: usaha, values: [dagang]}
  - id: planned
    label: Rencana
    score: {field: plan}
  - id: both
    label: Keduanya
    points: 0
    all_of: [enough_members, repaying]
  - id: good_share
    label: Bagian baik
    points: 0
    expr: share >= 50 and legal
stages:
  - {id: growth, label: Penumbuhan}
  - {id: release, label: Pelepasan, min_points: 5}
classes:
  - {id: low, label: Rendah, interval: "[0, 7)"}
  - {id: high, label: Tinggi, interval: "[7, 14]"}
exit:
  stage: release
  requires: [both]
tests:
  - name: enough
    record: {members: 6, repayment_rate: 0.95}
    expect: {stage: release, class: high, outcomes: {enough_members: met}}
"""


def edit(old: str, new: str) -> str:
    """``BASE`` with one passage replaced (it must be there)."""
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def whole(text: str) -> str:
    return text


BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 9)
) + "fields: *a8\n"
"""Nine levels of ten aliases each: 10**9 values once expanded, in 520 bytes."""
NESTED_5000 = "- " * 5000 + "x\n"
LATIN1 = BASE.replace("description: Demo", "description: Koperasi caf\xe9").encode(
    "latin-1")

ROWS = [
    pytest.param(
        edit('title: {id', 'titel: {id'),
        'key_unknown_close', "unknown key 'titel' (did you mean 'title'?)",
        3, 'titel', id='top_key_typo'),
    pytest.param(
        edit('    points: 5\n    threshold: {field: members', '    pionts: 5\n    threshold: {field: members'),
        'key_unknown_close', "unknown key 'pionts' (did you mean 'points'?)",
        19, 'criteria[0].pionts', id='criterion_key_typo'),
    pytest.param(
        edit('  - {id: legal, type: boolean,', '  - {id: legal, zzz: 1, type: boolean,'),
        'key_unknown', "unknown key 'zzz'",
        10, 'fields[3].zzz', id='key_unknown_far'),
    pytest.param(
        edit('version: 1.0.0\n', ''),
        'key_required', "required key 'version' is missing",
        1, 'version', id='version_missing'),
    pytest.param(
        edit('type: number, label: RR', 'type: numbr, label: RR'),
        'value_not_allowed_close', "type: 'numbr' — did you mean 'number'?",
        8, 'fields[1].type', id='field_type_enum'),
    pytest.param(
        edit('op: ">=", value: 5}', 'op: "=>", value: 5}'),
        'value_not_allowed_close', "op: '=>' — did you mean '>'?",
        20, 'criteria[0].threshold.op', id='op_enum'),
    pytest.param(
        edit('    label: Dagang\n', '    label: Dagang\n    missing: unknwn\n'),
        'value_not_allowed_close', "missing: 'unknwn' — did you mean 'unknown'?",
        28, 'criteria[2].missing', id='missing_enum'),
    pytest.param(
        edit('{id: growth, label: Penumbuhan}', '{id: growth, label: Penumbuhan, rule: cumulativ}'),
        'value_not_allowed_close', "rule: 'cumulativ' — did you mean 'cumulative'?",
        42, 'stages[0].rule', id='rule_enum'),
    pytest.param(
        edit('label: Anggota, min: 0', 'label: Anggota, better: highr, min: 0'),
        'value_not_allowed_close', "better: 'highr' — did you mean 'higher'?",
        7, 'fields[0].better', id='better_enum'),
    pytest.param(
        edit('id: demo\n', 'format: 2\nid: demo\n'),
        'value_not_allowed', 'format: 2 is not allowed',
        1, 'format', id='format_enum'),
    pytest.param(
        edit('{enough_members: met}', '{enough_members: mett}'),
        'value_not_allowed_close', "enough_members: 'mett' — did you mean 'met'?",
        53, 'tests[0].expect.outcomes.enough_members', id='outcome_enum'),
    pytest.param(
        edit('expr: repayment_rate * 100, type: number}', 'expr: repayment_rate * 100, type: bool}'),
        'value_not_allowed_close', "type: 'bool' — did you mean 'boolean'?",
        13, 'derived[0].type', id='derived_type_enum'),
    pytest.param(
        edit('value: 0.9}', 'value: zero}'),
        'not_number', "expected a number, got 'zero'",
        25, 'criteria[1].threshold.value', id='threshold_value_text'),
    pytest.param(
        edit('value: 0.9}', 'value: .nan}'),
        'not_finite_number', 'expected a finite number, got nan',
        25, 'criteria[1].threshold.value', id='threshold_value_nan'),
    pytest.param(
        edit('value: 0.9}', 'value: 1.0e+400}'),
        'not_finite_number', 'expected a finite number, got inf',
        25, 'criteria[1].threshold.value', id='threshold_value_overflow'),
    pytest.param(
        edit('min: 0, max: 100}', 'min: 0, max: .inf}'),
        'not_finite_number', 'expected a finite number, got inf',
        7, 'fields[0].max', id='field_max_inf'),
    pytest.param(
        edit('min: 0, max: 100}', 'min: 100, max: 0}'),
        'min_above_max', 'min 100 is above max 0',
        7, 'fields[0]', id='field_min_above_max'),
    pytest.param(
        edit('categories: [dagang, jasa]', 'categories: [dagang, jasa, dagang]'),
        'categories_duplicate', "'categories' lists 'dagang' more than once",
        9, 'fields[2]', id='categories_duplicate'),
    pytest.param(
        edit(', categories: [dagang, jasa]}', '}'),
        'category_needs_list', "a category field needs a non-empty 'categories' list",
        9, 'fields[2]', id='category_without_list'),
    pytest.param(
        edit('type: boolean, label: Badan hukum}', 'type: boolean, label: Badan hukum, min: 0}'),
        'bounds_not_for_type', "'min'/'max' do not apply to a boolean field",
        10, 'fields[3]', id='bounds_on_boolean'),
    pytest.param(
        edit('type: number, label: RR, min: 0, max: 1}', 'type: number, label: RR, min: 0, max: 1, categories: [a]}'),
        'categories_not_for_type', "'categories' is only for category fields, not number",
        8, 'fields[1]', id='categories_on_number'),
    pytest.param(
        edit('    in_set: {field: usaha, values: [dagang]}\n', '    in_set: {field: usaha, values: [dagang]}\n    boolean: {field: legal}\n'),
        'conditions_several', 'the criterion has more than one condition: boolean, in_set',
        26, 'criteria[2]', id='two_conditions'),
    pytest.param(
        edit('    in_set: {field: usaha, values: [dagang]}\n', ''),
        'condition_missing', 'the criterion has no condition',
        26, 'criteria[2]', id='no_condition'),
    pytest.param(
        edit('    score: {field: plan}\n', '    points: 2\n    score: {field: plan}\n'),
        'points_not_for_kind', "'points' does not apply to a score criterion: its points",
        30, 'criteria[3]', id='points_on_score'),
    pytest.param(
        edit('    label: Dagang\n', '    label: Dagang\n    gate: true\n'),
        'gate_needs_stage', "a gate needs a 'stage' to be required for",
        26, 'criteria[2]', id='gate_without_stage'),
    pytest.param(
        edit('"[7, 14]"', '"[14, 7]"'),
        'interval_empty', "interval '[14, 7]' is empty: its low bound is not below its",
        46, 'classes[1].interval', id='interval_empty'),
    pytest.param(
        edit('"[7, 14]"', '"7 to 14"'),
        'interval_syntax', "'7 to 14' is not an interval",
        46, 'classes[1].interval', id='interval_syntax'),
    pytest.param(
        edit('"[7, 14]"', '"[7, inf]"'),
        'interval_infinite_closed', "interval '[7, inf]': an infinite bound must use '(' or ')'",
        46, 'classes[1].interval', id='interval_infinite_closed'),
    pytest.param(
        edit('interval: "[7, 14]"', 'interval: {low: 7, high: .nan, low_inclusive: true, high_inclusive: true}'),
        'interval_not_number', "interval '[7, nan]': a bound is not a finite number",
        46, 'classes[1].interval', id='interval_nan_mapping'),
    pytest.param(
        edit('"[7, 14]"', '"[7, 1' + '0' * 400 + ']"'),
        'interval_not_number', "interval '[7,",
        46, 'classes[1].interval', id='interval_huge_number'),
    pytest.param(
        edit('interval: "[7, 14]"', 'interval: 7'),
        'bad_interval_type', "expected an interval such as '[0, 245]', got 7",
        46, 'classes[1].interval', id='interval_number'),
    pytest.param(
        edit('label: Rendah', 'label: [Rendah]'),
        'bad_text', "expected text or {id: ..., en: ...}, got ['Rendah']",
        45, 'classes[0].label', id='label_list'),
    pytest.param(
        edit('{id: plan, type', '{id: Plan, type'),
        'bad_identifier', "'Plan' is not a valid id",
        11, 'fields[4].id', id='field_id_pattern'),
    pytest.param(
        edit('id: demo\n', 'id: Demo\n'),
        'bad_slug', "'Demo' is not a valid ruleset id",
        1, 'id', id='ruleset_id_pattern'),
    pytest.param(
        edit('version: 1.0.0', "version: '1.0'"),
        'bad_version', "'1.0' is not a semantic version",
        2, 'version', id='version_pattern'),
    pytest.param(
        edit('sources: [{title: test}]', 'sources: []'),
        'list_too_short', "'sources' needs at least 1 item(s)",
        5, 'sources', id='sources_empty'),
    pytest.param(
        edit('    all_of: [enough_members, repaying]', '    at_least: {k: 0, of: [enough_members, repaying]}'),
        'number_too_small', "'k' is 0, below the minimum 1",
        36, 'criteria[4].at_least.k', id='at_least_k_zero'),
    pytest.param(
        edit('    all_of: [enough_members, repaying]', '    at_least: {k: 1.5, of: [enough_members, repaying]}'),
        'not_whole_number', 'expected a whole number, got 1.5',
        36, 'criteria[4].at_least.k', id='at_least_k_fraction'),
    pytest.param(
        edit('    gate: true\n', '    gate: maybe\n'),
        'not_true_false', "expected true or false, got 'maybe'",
        18, 'criteria[0].gate', id='gate_not_boolean'),
    pytest.param(
        edit('exit:\n  stage: release\n  requires: [both]\n', 'exit: [release]\n'),
        'not_mapping', "expected a mapping of keys, got ['release']",
        47, 'exit', id='exit_not_mapping'),
    pytest.param(
        edit('stages:\n  - {id: growth, label: Penumbuhan}\n  - {id: release, label: Pelepasan, min_points: 5}\n', 'stages: growth\n'),
        'not_list', "expected a list, got 'growth'",
        41, 'stages', id='stages_not_list'),
    pytest.param(
        edit('  - id: trading\n', '  - id: [trading]\n'),
        'not_text', "expected text, got ['trading']",
        26, 'criteria[2].id', id='id_not_text'),
    pytest.param(
        edit('values: [dagang]', 'values: [1.5]'),
        'text_or_whole_number', 'expected a category text or a whole number, got 1.5',
        29, 'criteria[2].in_set.values[0]', id='in_set_value_fraction'),
    pytest.param(
        edit('label: Rendah', "label: ''"),
        'empty_text', "'label' is empty",
        45, 'classes[0].label', id='label_empty'),
    pytest.param(
        edit('record: {members: 6,', 'record: {1: 6, members: 6,'),
        'key_not_text', 'key 1 must be text',
        52, 'tests[0].record[1]', id='record_key_not_text'),
    pytest.param(
        edit('    points: 5\n    threshold: {field: members', '    points: -1\n    threshold: {field: members'),
        'number_too_small', "'points' is -1, below the minimum 0",
        19, 'criteria[0].points', id='points_negative'),
    pytest.param(
        edit("{id: plan, type", "{id: " + "p" * 70 + ", type"),
        'text_too_long', "'id' is longer than 64 characters",
        11, 'fields[4].id', id='id_too_long'),
    pytest.param(
        edit('    points: 5\n    threshold: {field: repayment_rate', '    points: .nan\n    threshold: {field: repayment_rate'),
        'not_finite_number', 'expected a finite number, got nan',
        24, 'criteria[1].points', id='points_nan'),
    pytest.param(
        edit('expect: {stage: release,', 'expect: {score: .inf, stage: release,'),
        'not_finite_number', 'expected a finite number, got inf',
        53, 'tests[0].expect.score', id='expect_score_infinite'),
    pytest.param(
        edit('version: 1.0.0\n', 'version: 1.0.0\nversion: 1.0.1\n'),
        'key_duplicate', "duplicate key 'version' (first at line 2)",
        3, 'version', id='duplicate_key'),
    pytest.param(
        edit('  - name: enough\n', '  - name: [enough\n'),
        'yaml_syntax', "not valid YAML: did not find expected ',' or ']'",
        52, '', id='yaml_syntax'),
    pytest.param(
        edit('description: Demo', 'description: De\x07mo'),
        'yaml_control_character', 'control character #x0007 is not allowed in YAML',
        4, '', id='control_character'),
    pytest.param(
        whole('- id: demo\n'),
        'ruleset_not_mapping', 'a ruleset file must be a mapping of keys (id, version,',
        1, '', id='top_level_list'),
    pytest.param(
        whole(''),
        'ruleset_not_mapping', 'a ruleset file must be a mapping of keys (id, version,',
        None, '', id='empty_file'),
    pytest.param(
        whole('id: demo\n---\nid: other\n'),
        'yaml_several_documents', "the file holds more than one YAML document ('---')",
        2, '', id='two_documents'),
    pytest.param(
        edit('description: Demo\n', 'description: Demo\n? [a, b]\n: 1\n'),
        'yaml_complex_key', 'a key must be plain text, not a list or a mapping',
        5, '', id='complex_key'),
    pytest.param(
        edit('  - {id: growth, label: Penumbuhan}', '  - {<<: {id: growth}, label: Penumbuhan}'),
        'yaml_merge_key', "merge keys ('<<') are not supported",
        42, 'stages[0]', id='merge_key'),
    pytest.param(
        edit('description: Demo', 'description: !!python/object/apply:os.system [ls]'),
        'yaml_tag_unsupported', "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        4, 'description', id='python_tag'),
    pytest.param(
        edit('description: Demo', 'description: !!int many'),
        'yaml_value_unreadable', "value 'many' cannot be read as 'tag:yaml.org,2002:int'",
        4, '', id='bad_int_tag'),
    pytest.param(
        edit('sources: [{title: test}]', 'sources: &s [*s]'),
        'yaml_alias_cycle', 'alias *s refers to the value that contains it',
        5, '', id='alias_cycle'),
    pytest.param(
        edit('sources: [{title: test}]', 'sources: *s'),
        'yaml_alias_undefined', 'alias *s is not defined (&s)',
        5, '', id='alias_undefined'),
    pytest.param(
        edit('field: repayment_rate, op', 'field: repayment_rte, op'),
        'unknown_field_close', "unknown field 'repayment_rte' (did you mean",
        25, 'criteria[1].threshold.field', id='unknown_field'),
    pytest.param(
        edit('field: repayment_rate, op', 'field: zzz, op'),
        'unknown_field', "unknown field 'zzz'",
        25, 'criteria[1].threshold.field', id='unknown_field_far'),
    pytest.param(
        edit('    stage: growth\n', '    stage: grwth\n'),
        'unknown_stage_close', "unknown stage 'grwth' (did you mean 'growth'?)",
        17, 'criteria[0].stage', id='unknown_stage'),
    pytest.param(
        edit('all_of: [enough_members, repaying]', 'all_of: [enough_member, repaying]'),
        'unknown_criterion_close', "unknown criterion 'enough_member' (did you mean",
        36, 'criteria[4].all_of[0]', id='unknown_criterion'),
    pytest.param(
        edit('class: high', 'class: hihg'),
        'unknown_class_close', "unknown class 'hihg' (did you mean 'high'?)",
        53, 'tests[0].expect.class', id='unknown_class'),
    pytest.param(
        edit('{id: plan, type', '{id: members, type'),
        'duplicate_id', "duplicate id 'members'",
        11, 'fields[4].id', id='duplicate_field_id'),
    pytest.param(
        edit('{id: share, label', '{id: members, label'),
        'duplicate_value_id', "id 'members' is already a field or derived value",
        13, 'derived[0].id', id='derived_id_is_field'),
    pytest.param(
        edit('sources: [{title: test}]\n', 'sources: [{title: test}]\ngroup_id: {field: members}\n'),
        'group_id_is_field', "the group id 'members' is also a scored field",
        6, 'group_id.field', id='group_id_is_field'),
    pytest.param(
        edit('field: repayment_rate, op', 'field: usaha, op'),
        'condition_needs_number', "a threshold condition needs a number, but 'usaha' is",
        25, 'criteria[1].threshold.field', id='threshold_on_category'),
    pytest.param(
        edit('    in_set: {field: usaha, values: [dagang]}', '    boolean: {field: members}'),
        'condition_needs_boolean', "a boolean condition needs a true/false value, but 'members'",
        29, 'criteria[2].boolean.field', id='boolean_on_number'),
    pytest.param(
        edit('values: [dagang]', 'values: [dagan]'),
        'category_unknown_close', "'dagan' is not a category of 'usaha' (did you mean",
        29, 'criteria[2].in_set.values[0]', id='in_set_category_typo'),
    pytest.param(
        edit('in_set: {field: usaha, values: [dagang]}', 'in_set: {field: members, values: [many]}'),
        'in_set_not_whole', "'members' is a number, so the values must be whole numbers,",
        29, 'criteria[2].in_set.values[0]', id='in_set_number_text'),
    pytest.param(
        edit('in_set: {field: usaha, values: [dagang]}', 'in_set: {field: legal, values: [1]}'),
        'in_set_wrong_type', "an in_set condition needs a category or number, but 'legal'",
        29, 'criteria[2].in_set.field', id='in_set_on_boolean'),
    pytest.param(
        edit('score: {field: plan}', 'score: {field: share}'),
        'score_needs_field', "a score condition reads a field with a max, and 'share' is",
        32, 'criteria[3].score.field', id='score_on_derived'),
    pytest.param(
        edit('label: Rencana, min: 0, max: 4}', 'label: Rencana, min: 0}'),
        'score_needs_bounds', "field 'plan' needs min >= 0 and a max to give points",
        32, 'criteria[3].score.field', id='score_without_max'),
    pytest.param(
        edit('score: {field: plan}', 'score: {field: plan, met_at: 9}'),
        'met_at_outside', "met_at 9 is outside the bounds of 'plan', [0, 4]",
        32, 'criteria[3].score.met_at', id='met_at_outside'),
    pytest.param(
        edit('    score: {field: plan}', '    bands: {field: plan, bands: [{interval: "[0, 2]", points: 0}, {interval: "[2, 4]", points: 4}]}'),
        'interval_overlap', '[2, 4] overlaps [0, 2]',
        32, 'criteria[3].bands.bands[1].interval', id='bands_overlap'),
    pytest.param(
        edit('  - {id: low, label: Rendah, interval: "[0, 7)"}\n  - {id: high, label: Tinggi, interval: "[7, 14]"}', '  - {id: high, label: Tinggi, interval: "[7, 14]"}\n  - {id: low, label: Rendah, interval: "[0, 7)"}'),
        'interval_order', '[0, 7) must come after [7, 14]',
        46, 'classes[1].interval', id='classes_out_of_order'),
    pytest.param(
        edit('    all_of: [enough_members, repaying]', '    at_least: {k: 3, of: [enough_members, repaying]}'),
        'at_least_too_many', 'k=3 but only 2 criteria are listed, so it can never be met',
        36, 'criteria[4].at_least.k', id='at_least_too_many'),
    pytest.param(
        edit('all_of: [enough_members, repaying]', 'all_of: [both, repaying]'),
        'refers_to_itself', "criterion 'both' refers to itself",
        36, 'criteria[4].all_of[0]', id='refers_to_itself'),
    pytest.param(
        edit('all_of: [enough_members, repaying]\n  - id: good_share\n    label: Bagian baik\n    points: 0\n    expr: share >= 50 and legal', 'all_of: [enough_members, good_share]\n  - id: good_share\n    label: Bagian baik\n    points: 0\n    any_of: [both]'),
        'criteria_cycle', 'criteria refer to each other in a cycle: both -> good_share',
        33, 'criteria[4]', id='criteria_cycle'),
    pytest.param(
        edit('  - {id: share, label: Bagian, expr: repayment_rate * 100, type: number}', '  - {id: share, label: Bagian, expr: other * 100, type: number}\n  - {id: other, label: Lain, expr: share / 100}'),
        'derived_cycle', 'derived values refer to each other in a cycle: other ->',
        14, 'derived[1].expr', id='derived_cycle'),
    pytest.param(
        edit('    stage: growth\n    gate: true\n', '    stage: growth\n'),
        'stage_no_gate', "stage 'growth' has no gate and no min_points, so every",
        41, 'stages[0]', id='stage_no_gate'),
    pytest.param(
        edit('min_points: 5}', 'min_points: 50}'),
        'stage_unreachable', "stage 'release' is unreachable: it needs 50 points but its",
        43, 'stages[1].min_points', id='stage_unreachable'),
    pytest.param(
        edit('"[7, 14]"', '"[8, 14]"'),
        'class_gap_whole', 'gap between [0, 7) and [8, 14]: some whole-number scores',
        46, 'classes[1].interval', id='class_gap'),
    pytest.param(
        edit('"[0, 7)"', '"[1, 7)"'),
        'class_low_uncovered', 'the lowest class [1, 7) does not include the lowest score 0',
        45, 'classes[0].interval', id='class_low_uncovered'),
    pytest.param(
        edit('"[7, 14]"', '"[7, 13]"'),
        'class_high_uncovered', 'the highest class [7, 13] does not include the highest',
        46, 'classes[1].interval', id='class_high_uncovered'),
    pytest.param(
        edit('"[0, 7)"', '"[0, 7]"'),
        'interval_overlap', '[7, 14] overlaps [0, 7]',
        46, 'classes[1].interval', id='class_overlap'),
    pytest.param(
        edit('tests:\n', 'tests:\n  - {name: enough, record: {}, expect: {}}\n'),
        'test_name_duplicate', "duplicate test name 'enough'",
        52, 'tests[1].name', id='test_name_duplicate'),
    pytest.param(
        edit('record: {members: 6,', 'record: {membrs: 6,'),
        'unknown_field_close', "unknown field 'membrs' (did you mean 'members'?)",
        52, 'tests[0].record.membrs', id='test_record_unknown_field'),
    pytest.param(
        edit('outcomes: {enough_members: met}}', 'outcomes: {enough_members: met}, problems: [legl]}'),
        'unknown_field_close', "unknown field 'legl' (did you mean 'legal'?)",
        53, 'tests[0].expect.problems[0]', id='test_expect_problem_unknown'),
    pytest.param(
        edit('expect: {stage: release,', 'expect: {stage: relase,'),
        'unknown_stage_close', "unknown stage 'relase' (did you mean 'release'?)",
        53, 'tests[0].expect.stage', id='test_expect_stage_unknown'),
    pytest.param(
        edit('  stage: release\n  requires', '  stage: exit\n  requires'),
        'unknown_stage', "unknown stage 'exit'",
        48, 'exit.stage', id='exit_stage_unknown'),
    pytest.param(
        edit('requires: [both]', 'requires: [bth]'),
        'unknown_criterion_close', "unknown criterion 'bth' (did you mean 'both'?)",
        49, 'exit.requires[0]', id='exit_requires_unknown'),
    pytest.param(
        edit('interval: "[7, 14]"}', 'interval: "[7, 14]", requires: [repayng]}'),
        'unknown_criterion_close', "unknown criterion 'repayng' (did you mean 'repaying'?)",
        46, 'classes[1].requires[0]', id='class_requires_unknown'),
    pytest.param(
        edit('expr: share >= 50 and legal', 'expr: share >= and legal'),
        'expr_expected_value', "expected a value, a name or '(' here",
        40, 'criteria[5].expr', id='expression_syntax'),
    pytest.param(
        edit('expr: share >= 50 and legal', "expr: share >= 'x' and legal"),
        'expr_compare_types', 'cannot compare number with text',
        40, 'criteria[5].expr', id='expression_types'),
    pytest.param(
        edit('expr: share >= 50 and legal', 'expr: shar >= 50 and legal'),
        'expr_unknown_name_close', "unknown name 'shar' (did you mean 'share'?)",
        40, 'criteria[5].expr', id='expression_unknown_name'),
    pytest.param(
        edit('expr: share >= 50 and legal', 'expr: share * 2'),
        'expression_type', 'the expression gives number, not boolean',
        40, 'criteria[5].expr', id='expression_not_boolean'),
    pytest.param(
        edit('expr: share >= 50 and legal', 'expr: share >= 1e400'),
        'expr_number_too_large', 'the number 1e400 is too large to compute with',
        40, 'criteria[5].expr', id='expression_overflow'),
    pytest.param(
        edit("expr: share >= 50 and legal", "expr: " + "(" * 130 + "legal" + ")" * 130),
        'expr_too_deep', 'the expression nests more than 100 levels deep',
        40, 'criteria[5].expr', id='expression_too_deep'),
    pytest.param(
        edit('expr: share >= 50 and legal', 'expr: |\n      share >= 50 and\n        legal =='),
        'expr_expected_value', "expected a value, a name or '(' here",
        43, 'criteria[5].expr', id='expression_block_scalar'),
    pytest.param(
        edit('expr: repayment_rate * 100, type: number}', 'expr: repayment_rate * 100, type: boolean}'),
        'expression_type', 'the expression gives number, not boolean',
        13, 'derived[0].expr', id='derived_type_mismatch'),
    pytest.param(
        BOMB,
        'yaml_too_many_nodes', 'the YAML holds more than 100000 values (an alias counts',
        5, '', id='alias_bomb'),
    pytest.param(
        NESTED_5000,
        'yaml_too_deep', 'the YAML nests more than 50 levels deep',
        1, '', id='nesting_5000_deep'),
    pytest.param(
        LATIN1,
        'file_not_utf8', 'byte 0xE9 at offset 77 is not UTF-8',
        4, '', id='latin1_byte'),
]


def test_base_is_sound() -> None:
    assert validate_ruleset(BASE, "base.yaml")[1] == []


def test_the_table_has_at_least_fifty_rows() -> None:
    assert len(ROWS) >= 50


@pytest.mark.parametrize(("text", "code", "fragment", "line", "path"), ROWS)
def test_malformed_ruleset_gives_code_message_and_place(
    text: str | bytes, code: str, fragment: str, line: int | None, path: str
) -> None:
    ruleset, found = validate_ruleset(text, "bad.yaml")
    assert ruleset is None
    matching = [p for p in found if p.code == code]
    assert matching, [str(p) for p in found]
    problem: Problem = matching[0]
    assert fragment in problem.problem("en")
    assert (problem.line, problem.path) == (line, path)
    assert problem.file == "bad.yaml"
    # Every problem reads in Indonesian too, with a fix in both languages or none.
    for p in found:
        assert p.problem("id") and bool(p.fix("id")) == bool(p.fix("en"))
