"""Throughput and memory of Scorer.score_batch and Scorer.score.

Generates a synthetic ruleset with 40 criteria (thresholds, booleans, categories,
bands, an expression and a derived value over 30 fields, four stages, three classes)
and random columnar records, then prints records per second and peak memory.

    python bench/bench_scoring.py            # 1,000,000 records
    python bench/bench_scoring.py 200000     # fewer

Figures only; nothing here asserts a time.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from typing import Any

import numpy as np

from kematangan import Scorer, parse_ruleset

N_NUM, N_BOOL = 20, 10


def synthetic_ruleset_text() -> str:
    """A 40-criterion ruleset over 20 numeric and 10 boolean fields."""
    lines = ["id: bench", "version: 1.0.0", "title: Bench", "description: Synthetic",
             "sources: [{title: synthetic}]", "fields:"]
    for i in range(N_NUM):
        lines.append(f"  - {{id: n{i}, type: number, label: N{i}, min: 0, max: 100}}")
    for i in range(N_BOOL):
        lines.append(f"  - {{id: b{i}, type: boolean, label: B{i}}}")
    lines.append("  - {id: kind, type: category, label: K, categories: [a, b, c]}")
    lines += ["derived:", "  - {id: ratio, label: R, expr: n0 / (n1 + 1)}",
              "criteria:"]
    stages = ["s1", "s2", "s3", "s4"]
    k = 0
    for i in range(N_NUM):
        stage = stages[i % 4]
        gate = "true" if i < 8 else "false"
        lines.append(f"  - {{id: t{k}, label: T, stage: {stage}, gate: {gate}, "
                     f"points: 2, threshold: {{field: n{i}, op: '>=', value: "
                     f"{10 + i}}}}}")
        k += 1
    for i in range(N_BOOL):
        lines.append(f"  - {{id: t{k}, label: T, stage: {stages[i % 4]}, points: 2, "
                     f"boolean: {{field: b{i}}}}}")
        k += 1
    for i in range(5):
        lines.append(f"  - id: t{k}\n    label: T\n    bands:\n      field: n{i + 5}"
                     "\n      bands:\n        - {interval: '[0, 30)', points: 0}"
                     "\n        - {interval: '[30, 70)', points: 1}"
                     "\n        - {interval: '[70, 100]', points: 2}")
        k += 1
    lines.append(f"  - {{id: t{k}, label: T, points: 2, in_set: {{field: kind, "
                 "values: [a, b]}}")
    k += 1
    lines.append(f"  - {{id: t{k}, label: T, points: 2, expr: 'ratio > 0.5 and b0'}}")
    k += 1
    lines.append(f"  - {{id: t{k}, label: T, points: 2, at_least: {{k: 2, of: "
                 "[t0, t1, t2]}}")
    k += 1
    while k < 40:
        lines.append(f"  - {{id: t{k}, label: T, points: 2, threshold: {{field: "
                     f"n{k % N_NUM}, op: '<', value: 90}}}}")
        k += 1
    lines.append("stages:")
    lines += [f"  - {{id: {s}, label: {s}}}" for s in stages]
    lines += ["classes:", "  - {id: low, label: L, interval: '[0, 30)'}",
              "  - {id: mid, label: M, interval: '[30, 60)'}",
              "  - {id: high, label: H, interval: '[60, 80]'}"]
    return "\n".join(lines) + "\n"


def columns(n: int, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    cols: dict[str, Any] = {}
    for i in range(N_NUM):
        col = rng.uniform(0, 100, n)
        col[rng.random(n) < 0.05] = np.nan
        cols[f"n{i}"] = col
    for i in range(N_BOOL):
        cols[f"b{i}"] = rng.random(n) < 0.7
    cols["kind"] = rng.choice(np.array(["a", "b", "c"], dtype=object), n)
    return cols


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    scorer = Scorer(parse_ruleset(synthetic_ruleset_text()))
    print(f"ruleset: {len(scorer.ruleset.criteria)} criteria, "
          f"{len(scorer.ruleset.fields)} fields")
    cols = columns(n)
    scorer.score_batch(columns(1000))  # warm up
    best = min(_timed(lambda: scorer.score_batch(cols)) for _ in range(3))
    print(f"score_batch: {n:,} records in {best:.3f} s = {n / best:,.0f} records/s "
          "(best of 3, columnar numpy input)")
    for size in (n // 4, n // 2, n):
        sub = {k: v[:size] for k, v in cols.items()}
        tracemalloc.start()
        scorer.score_batch(sub)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  peak memory at {size:>9,} records: {peak / 2**20:8.1f} MiB "
              f"({peak / size:.0f} bytes/record)")
    rows = [{k: (None if isinstance(v[i], float) and np.isnan(v[i]) else v[i].item()
                 if hasattr(v[i], "item") else v[i]) for k, v in cols.items()}
            for i in range(20_000)]
    def stream() -> None:
        for r in rows:  # as an MIS scores each record and stores the result
            scorer.score(r).model_dump_json()

    def keep() -> None:
        kept = [scorer.score(r) for r in rows]
        del kept

    for label, fn in (("each result serialised, then dropped", stream),
                      ("all results kept in a list", keep)):
        t = min(_timed(fn) for _ in range(3))
        print(f"score (per record, {label}): {len(rows):,} records in {t:.3f} s = "
              f"{len(rows) / t:,.0f} records/s")
    t = _timed(lambda: scorer.score_batch(rows))
    print(f"score_batch from a list of dicts: {len(rows) / t:,.0f} records/s "
          "(conversion to columns included)")


def _timed(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
