"""Throughput of the durable-rules engine, next to the numpy engines, and of
GroupMonitor updates.

For the bundled ``ppmk-ksm`` ruleset and the synthetic 40-criterion ruleset of
``bench_scoring.py``, on the same random records (20 % of values missing), prints
records per second through

* ``Scorer(engine="durable").score`` (one record at a time, durable rules),
* ``Scorer(engine="durable").score_batch`` (durable, record by record inside),
* ``Scorer().score`` (per-record Python engine),
* ``Scorer().score_batch`` (numpy, vectorized),

then GroupMonitor updates per second with 10,000 groups (one or two fields change
per update), for both engines, against the 5,000 updates/s target.

    python bench/bench_durable.py            # 20,000 records, 50,000 updates
    python bench/bench_durable.py 5000 20000

Figures only; nothing here asserts a time.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from kematangan import Ruleset, Scorer, load_ruleset, parse_ruleset
from kematangan.monitor import GroupMonitor
from kematangan.scoring.engines.durable import DurableEngine

TARGET_UPDATES = 5_000.0


def synthetic_ruleset() -> Ruleset:
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from bench_scoring import synthetic_ruleset_text

    return parse_ruleset(synthetic_ruleset_text())


def random_value(rng: np.random.Generator, field: Any) -> Any:
    if rng.random() < 0.2:
        return None
    if field.type == "boolean":
        return bool(rng.integers(0, 2))
    if field.type == "category":
        return str(rng.choice(field.categories))
    lo = field.min if field.min is not None else 0.0
    hi = field.max if field.max is not None else lo + 100.0
    hi = min(hi, lo + 200.0)
    if field.type == "integer":
        return int(rng.integers(int(lo), int(hi) + 1))
    return float(rng.uniform(lo, hi))


def random_records(ruleset: Ruleset, n: int, seed: int = 0) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    return [{f.id: random_value(rng, f) for f in ruleset.fields} for _ in range(n)]


def rate(n: int, fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return n / (time.perf_counter() - start)


def bench_engines(ruleset: Ruleset, n: int) -> None:
    rows = random_records(ruleset, n)
    durable = Scorer(ruleset, engine="durable")
    reference = Scorer(ruleset)
    engine = durable.backend
    assert isinstance(engine, DurableEngine)
    where = engine.placement
    in_durable = sum(1 for p in where.values() if p == "durable")
    print(f"\n{ruleset.id} {ruleset.version}: {len(ruleset.fields)} fields, "
          f"{len(ruleset.criteria)} criteria ({in_durable} decided in durable), "
          f"{n:,} records")
    durable.score(rows[0])  # warm up
    figures = {
        "durable  Scorer.score      ": rate(n, lambda: [durable.score(r) for r in rows]),
        "durable  Scorer.score_batch": rate(n, lambda: durable.score_batch(rows)),
        "python   Scorer.score      ": rate(n, lambda: [reference.score(r)
                                                        for r in rows]),
        "numpy    Scorer.score_batch": rate(n, lambda: reference.score_batch(rows)),
    }
    base = figures["durable  Scorer.score      "]
    for name, value in figures.items():
        print(f"  {name}  {value:>12,.0f} records/s   x{value / base:7.2f} of durable")
    same = all(durable.score(r).model_dump() == reference.score(r).model_dump()
               for r in rows[:500])
    print(f"  same assessments on 500 records: {same}; records scored wholly in "
          f"Python by the durable engine: {engine.python_records}")


def bench_monitor(ruleset: Ruleset, groups: int, updates: int) -> None:
    rng = np.random.default_rng(1)
    initial = random_records(ruleset, groups, seed=2)
    fields = list(ruleset.fields)
    stream = []
    for _ in range(updates):
        changes = {}
        for _ in range(int(rng.integers(1, 3))):
            f = fields[int(rng.integers(0, len(fields)))]
            changes[f.id] = random_value(rng, f)
        stream.append((f"G{int(rng.integers(0, groups)):05d}", changes))
    print(f"\nGroupMonitor, {ruleset.id}: {groups:,} groups, {updates:,} updates "
          f"(1-2 fields each); target {TARGET_UPDATES:,.0f} updates/s")
    for engine in ("numpy", "durable"):
        monitor = GroupMonitor(ruleset, engine="durable" if engine == "durable"
                               else "numpy")

        def load(m: GroupMonitor = monitor) -> None:
            for i, record in enumerate(initial):
                m.update(f"G{i:05d}", record)

        def run(m: GroupMonitor = monitor) -> None:
            for gid, changes in stream:
                m.update(gid, changes)

        loaded = rate(groups, load)
        list(monitor.events())  # drop the load phase's events
        delivered: list[object] = []
        monitor.subscribe(delivered.append)
        speed = rate(updates, run)
        queued = sum(1 for _ in monitor.events())
        verdict = "meets" if speed >= TARGET_UPDATES else "MISSES"
        print(f"  {engine:8} load {loaded:>7,.0f} groups/s   updates "
              f"{speed:>7,.0f}/s ({verdict} the target, x{speed / TARGET_UPDATES:.1f});"
              f" {len(delivered):,} events delivered, {queued:,} queued")


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 20_000
    updates = int(argv[2]) if len(argv) > 2 else 50_000
    for ruleset in (load_ruleset("ppmk-ksm"), synthetic_ruleset()):
        bench_engines(ruleset, n)
    bench_monitor(load_ruleset("ppmk-ksm"), 10_000, updates)


if __name__ == "__main__":
    main(sys.argv)
