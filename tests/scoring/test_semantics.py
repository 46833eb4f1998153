"""Engine semantics on small purpose-built rulesets."""

from __future__ import annotations

import pytest

from kematangan import Scorer, parse_ruleset

HEAD = """\
id: t
version: 1.0.0
title: T
description: T
sources: [{title: test}]
fields:
  - {id: a, type: number, label: A, min: 0, max: 10}
  - {id: b, type: boolean, label: B}
  - {id: c, type: category, label: C, categories: [x, y, z]}
  - {id: d, type: date, label: D}
"""


def scorer(criteria: str, extra: str = "") -> Scorer:
    return Scorer(parse_ruleset(HEAD + "criteria:\n" + criteria + extra))


@pytest.mark.parametrize(
    ("expr", "record", "outcome"),
    [
        ("a > 3 and b", {"a": 5, "b": None}, "unknown"),
        ("a > 3 and b", {"a": 1, "b": None}, "not_met"),
        ("a > 3 or b", {"a": 5, "b": None}, "met"),
        ("a > 3 or b", {"a": 1, "b": None}, "unknown"),
        ("not b", {"b": False}, "met"),
        ("missing(a)", {}, "met"),
        ("known(a) and a / 0 > 1", {"a": 2}, "unknown"),
        ("coalesce(a, 0) >= 0", {}, "met"),
        ("c in ['x', 'y']", {"c": "z"}, "not_met"),
        ("c not in ['x', 'y']", {"c": "z"}, "met"),
        ("c == 'y'", {"c": "y"}, "met"),
        ('d >= date("2024-01-01")', {"d": "2024-01-01"}, "met"),
        ('d - date("2024-01-01") > 30', {"d": "2024-01-15"}, "not_met"),
        ("max(a, 2) == 5", {"a": 5}, "met"),
        ("min(a, 2) == 2", {"a": None}, "unknown"),
        ("abs(a - 8) <= 1", {"a": 7}, "met"),
    ],
)
def test_three_valued_expressions(expr: str, record: dict[str, object],
                                  outcome: str) -> None:
    s = scorer(f"  - id: k\n    label: K\n    expr: >-\n      {expr}\n")
    single = s.score(record).outcomes["k"].outcome
    batch = s.score_batch([record]).outcome("k")[0]
    assert single == batch == outcome


@pytest.mark.parametrize(
    ("policy", "outcome", "points"),
    [("unknown", "unknown", 0.0), ("not_met", "not_met", 0.0), ("met", "met", 2.0)],
)
def test_missing_policy(policy: str, outcome: str, points: float) -> None:
    s = scorer("  - {id: k, label: K, points: 2, missing: " + policy
               + ", boolean: {field: b}}\n")
    r = s.score({}).outcomes["k"]
    assert (r.outcome, r.points) == (outcome, points)


def test_bands_give_points_and_met_only_in_top_band() -> None:
    s = scorer("""\
  - id: k
    label: K
    bands:
      field: a
      bands:
        - {interval: "[0, 2)", points: 0}
        - {interval: "[2, 5)", points: 1}
        - {interval: "[5, 10]", points: 2}
""")
    got = [(s.score({"a": v}).outcomes["k"].outcome, s.score({"a": v}).outcomes[
        "k"].points) for v in (1, 2, 4.99, 5)]
    assert got == [("not_met", 0), ("not_met", 1), ("not_met", 1), ("met", 2)]


def test_at_least_k_of_is_three_valued() -> None:
    s = scorer("""\
  - {id: p, label: P, threshold: {field: a, op: ">", value: 1}}
  - {id: q, label: Q, boolean: {field: b}}
  - {id: r, label: R, in_set: {field: c, values: [x]}}
  - {id: k, label: K, at_least: {k: 2, of: [p, q, r]}}
""")
    assert s.score({"a": 5, "b": True}).outcomes["k"].outcome == "met"
    assert s.score({"a": 5}).outcomes["k"].outcome == "unknown"
    assert s.score({"a": 0, "b": False}).outcomes["k"].outcome == "not_met"


def test_stage_with_unknown_gate_reports_both_bounds() -> None:
    s = scorer("""\
  - {id: g1, label: G1, stage: s1, gate: true, boolean: {field: b}}
  - {id: g2, label: G2, stage: s2, gate: true, threshold: {field: a, op: ">=", value: 5}}
""", """\
stages:
  - {id: s1, label: S1}
  - {id: s2, label: S2}
""")
    a = s.score({"b": True})
    assert (a.stage, a.stage_upper, a.blocking) == ("s1", "s2", ["g2"])
    a = s.score({"b": False, "a": 9})
    assert (a.stage, a.stage_upper, a.blocking) == (None, None, ["g1"])


def test_class_requires_steps_down() -> None:
    s = scorer("""\
  - {id: p, label: P, points: 5, threshold: {field: a, op: ">", value: 1}}
  - {id: q, label: Q, points: 5, boolean: {field: b}}
""", """\
classes:
  - {id: low, label: L, interval: "[0, 5)"}
  - {id: mid, label: M, interval: "[5, 10)"}
  - {id: top, label: T, interval: "[10, 10]", requires: [q]}
""")
    assert s.score({"a": 5, "b": True}).class_ == "top"
    assert s.score({"a": 5, "b": False}).class_ == "mid"
    a = s.score({"a": 5})
    assert (a.class_, a.class_upper) == ("mid", "top")


def test_stage_min_points() -> None:
    s = scorer("""\
  - {id: g, label: G, stage: s1, gate: true, points: 1, boolean: {field: b}}
  - {id: p, label: P, stage: s1, points: 4, threshold: {field: a, op: ">", value: 1}}
""", """\
stages:
  - {id: s1, label: S1, min_points: 5}
""")
    assert s.score({"b": True, "a": 5}).stage == "s1"
    assert s.score({"b": True, "a": 0}).stage is None
    a = s.score({"b": True})
    assert (a.stage, a.stage_upper) == (None, "s1")


def test_infinite_value_in_an_unbounded_field_is_an_issue() -> None:
    # Regression: the per-record fast path once let inf through when a number
    # field had no max.
    s = Scorer(parse_ruleset(HEAD.replace(
        "  - {id: a, type: number, label: A, min: 0, max: 10}",
        "  - {id: a, type: number, label: A}") + "criteria:\n"
        "  - {id: k, label: K, threshold: {field: a, op: '>', value: 1}}\n"))
    for value in (float("inf"), float("-inf"), float("nan")):
        a = s.score({"a": value})
        assert a.inputs["a"] is None
        assert a.outcomes["k"].outcome == "unknown"
    assert [i.field for i in s.score({"a": float("inf")}).issues] == ["a"]
    assert s.score({"a": float("nan")}).issues == []
