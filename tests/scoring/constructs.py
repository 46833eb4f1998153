"""A ruleset using every construct of the plan, for engine agreement tests."""

from __future__ import annotations

from functools import cache

from kematangan import Ruleset, parse_ruleset

# A ruleset using every construct of the plan: thresholds, ranges, booleans,
# in-sets, dates, value-vs-value comparisons, not/missing/known, functions, a
# derived boolean used as a condition, bands with infinite bounds, score, missing
# policies, all_of/any_of/at_least over conditions, bands and Python criteria,
# cumulative and own stages with min_points, classes with requirements, exit.
SINK = """\
id: sink
version: 1.0.0
title: Sink
description: Every construct
sources: [{title: test}]
fields:
  - {id: a, type: number, label: A, min: -100, max: 100}
  - {id: n, type: integer, label: N, min: 0, max: 20}
  - {id: b, type: boolean, label: B}
  - {id: b2, type: boolean, label: B2}
  - {id: c, type: category, label: C, categories: [x, y, z]}
  - {id: d, type: date, label: D}
  - {id: s, type: number, label: S, min: 0, max: 10}
derived:
  - {id: ratio, label: R, expr: a / n}
  - {id: flag, label: F, expr: a > 0 and b}
criteria:
  - {id: t_a, label: T, stage: one, gate: true,
     threshold: {field: a, op: ">=", value: 1e-05}}
  - {id: r_n, label: R, stage: one, range: {field: n, interval: "(2, 10]"},
     missing: met}
  - {id: bool_b, label: B, stage: one, gate: true,
     boolean: {field: b, value: false}, missing: not_met}
  - {id: in_c, label: I, stage: two, in_set: {field: c, values: [x, z]}}
  - {id: e_cmp2, label: E, stage: two, expr: "a <= n"}
  - {id: e_not, label: E, stage: two, expr: "not (b or b2)"}
  - {id: e_date, label: E, stage: two, gate: true,
     expr: 'd >= date("2020-01-01") and c != "y"'}
  - {id: e_miss, label: E, stage: three, expr: "missing(a) or known(ratio)"}
  - {id: e_fn, label: E, stage: three,
     expr: "abs(a) > 3 and min(a, n) < 5 or coalesce(ratio, 0) >= 1"}
  - {id: e_flag, label: E, stage: three, expr: "flag"}
  - {id: e_notin, label: E, stage: three, expr: "n not in [1, 2, 3]", missing: met}
  - {id: e_age, label: E, expr: 'years_between(d, date("2024-06-30")) >= 2'}
  - {id: e_months, label: E, expr: 'months_between(date("2023-01-31"), d) <= 12'}
  - {id: e_days, label: E, expr: 'days_between(d, date("2024-01-01")) > 30'}
  - id: bands_r
    label: Bd
    stage: three
    bands:
      field: ratio
      bands:
        - {interval: "(-inf, 0)", points: 0}
        - {interval: "[0, 1]", points: 1}
        - {interval: "(1, inf)", points: 3}
  - {id: score_s, label: Sc, stage: three, score: {field: s, met_at: 7.5},
     missing: not_met}
  - {id: all_x, label: A, stage: three, gate: true, all_of: [t_a, r_n, bool_b]}
  - {id: any_x, label: A, any_of: [in_c, e_not, score_s]}
  - {id: least, label: L, at_least: {k: 2, of: [t_a, e_date, e_flag, score_s]},
     missing: not_met}
  - {id: least2, label: L, at_least: {k: 2, of: [t_a, e_date, score_s, in_c]}}
  - {id: least_b, label: L, at_least: {k: 1, of: [bands_r, least]}}
stages:
  - {id: one, label: One}
  - {id: two, label: Two, min_points: 2}
  - {id: three, label: Three, rule: own}
classes:
  - {id: low, label: L, interval: "[0, 5)"}
  - {id: mid, label: M, interval: "[5, 10)", requires: [t_a]}
  - {id: high, label: H, interval: "[10, 100]", requires: [all_x, least]}
exit:
  stage: three
  requires: [any_x]
"""


@cache
def sink() -> Ruleset:
    return parse_ruleset(SINK)
