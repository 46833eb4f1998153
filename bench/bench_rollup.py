"""Time of rolling KSM results up to their BKM/LKM and scoring the BKM/LKM.

Random ppmk-ksm records (about 3% of cells blank, so aggregates are open and
parents need settling) under ``n / 8`` parents; prints the time of each step:
scoring the members, grouping, the default aggregates, the member lists, and
scoring the parents with bkm-lkm (aggregate fields, settling, explanations).

    python bench/bench_rollup.py            # 1,000,000 KSM
    python bench/bench_rollup.py 100000     # fewer

Figures only; nothing here asserts a time. On a shared machine compare the steps'
ratios within one run rather than figures between runs.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from kematangan import Scorer
from kematangan.rollup import ParentScorer, default_aggregates, held_back_texts, roll_up


def records(scorer: Scorer, n: int, seed: int = 16) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    cols: dict[str, Any] = {}
    for f in scorer.ruleset.fields:
        if f.type == "boolean":
            col = (rng.random(n) < 0.8).astype(np.float64)
        else:
            lo, hi = f.min or 0.0, min(f.max or 100.0, 40.0)
            col = np.floor(rng.uniform(lo, hi, n))
        col[rng.random(n) < 0.03] = np.nan
        cols[f.id] = col
    cols["arrears_instalments"] = np.where(rng.random(n) < 0.1, 4.0, 0.0)
    return cols


def timed(label: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    out = fn()
    print(f"{label:<34} {time.perf_counter() - start:8.3f} s")
    return out


def main(n: int) -> None:
    ksm = Scorer("ppmk-ksm")
    bkm = ParentScorer("bkm-lkm", ksm)
    cols = records(ksm, n)
    parents = np.array([f"BKM-{i:06d}" for i in
                        np.random.default_rng(1).integers(0, max(1, n // 8), n)],
                       dtype=object)
    print(f"{n:,} KSM under {len(set(parents.tolist())):,} BKM/LKM")
    batch = timed("score the KSM", lambda: ksm.score_batch(cols))
    up = timed("group by parent", lambda: roll_up(batch, parents))
    timed(f"{len(default_aggregates(batch))} default aggregates",
          lambda: up.columns(member_list=False))
    timed("member lists", up.member_lists)
    result = timed("score the BKM/LKM (with settling)", lambda: bkm.score(up))
    print(f"  open aggregates settled: {len(result.settled):,}")
    timed("explain who holds each back", lambda: held_back_texts(result))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
