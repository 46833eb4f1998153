"""Trend scoring of many group-periods: score_history end to end.

Generates ppmk-ksm records for 100,000 groups over ten quarters (1,000,000
group-periods, in shuffled order, with some quarters missing), then times
score_history: placing rows in time, scoring them in one batch, sorting by group and
period, and computing every track record. Prints the time and the rate, the time of
score_batch alone on the same rows (the ratio is what load does not change), and
the time of the regressing and stagnating groups' lists.

    python bench/bench_trend.py            # 1,000,000 group-periods
    python bench/bench_trend.py 200000     # fewer

Figures only; nothing here asserts a time. The machine is shared: compare figures
of one run.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np

from kematangan import Scorer
from kematangan.trajectory import score_history, transitions

QUARTERS = 10


def columns(n: int, seed: int = 0) -> dict[str, Any]:
    """``n`` group-periods of ppmk-ksm, ten quarters per group, shuffled; consistent
    (the ruleset's checks hold: arrears only where there is a loan)."""
    rng = np.random.default_rng(seed)
    groups = max(1, n // QUARTERS)
    gid = np.repeat(np.arange(groups), QUARTERS)[:n]
    quarter = np.tile(np.arange(QUARTERS), groups)[:n]
    level = np.clip(quarter // 3 + rng.integers(-1, 2, size=n), 0, 3)

    def yes(p: float) -> np.ndarray[Any, np.dtype[np.bool_]]:
        return rng.random(n) < p

    cols: dict[str, Any] = {
        "group_id": np.array([f"KSM-{g:06d}" for g in gid], dtype=object),
        "period": np.array([f"{2022 + q // 4}Q{q % 4 + 1}" for q in range(QUARTERS)],
                           dtype=object)[quarter],
        "formed_participatory": yes(0.97), "members": rng.integers(3, 30, n),
        "members_voluntary": yes(0.95), "meetings_last_3_months": rng.integers(1, 9, n),
        "facilitator_visits_last_3_months": rng.integers(0, 4, n),
        "admin_books_kept": level >= 1, "business_plan_months_since_review":
        np.where(level >= 1, 6.0, 18.0), "works_with_other_groups": level >= 1,
        "revolving_fund_access": level >= 1, "arrears_instalments":  # loans only
        np.where(level >= 1, rng.integers(0, 4, n), 0),
        "trainings_last_12_months": rng.integers(0, 4, n),
        "activity_months": np.where(level >= 2, 24, 6),
        "decisions_by_musyawarah": level >= 2, "partnerships": rng.integers(0, 3, n),
        "market_access": level >= 2, "ppmk_capital_added": level >= 2,
        "own_capital_growth_pct": rng.normal(5, 5, n), "local_cadres": level,
        "cadres_chosen_by_musyawarah": level >= 2,
        "cadres_able_to_facilitate": level >= 3, "legal_standing": level >= 3,
        "multistakeholder_cooperation": level >= 3,
    }
    cols["members_saving"] = (cols["members"] * np.where(level >= 1, 0.9, 0.3)
                              ).astype(np.int64)
    for i in range(1, 6):
        cols[f"basic_rule_{i}"] = yes(0.97)
    keep = rng.random(n) > 0.03  # some quarters without an assessment
    order = rng.permutation(int(keep.sum()))
    return {k: np.asarray(v)[keep][order] for k, v in cols.items()}


def main(n: int) -> None:
    cols = columns(n)
    rows = len(cols["group_id"])
    score_history({k: v[:1000] for k, v in cols.items()}, "ppmk-ksm")  # warm up
    start = time.perf_counter()
    t = score_history(cols, "ppmk-ksm")
    spent = time.perf_counter() - start
    print(f"score_history: {rows:,} group-periods of {len(t.groups):,} groups in "
          f"{spent:.2f} s ({rows / spent:,.0f} group-periods/s)")
    start = time.perf_counter()
    Scorer("ppmk-ksm").score_batch(cols)
    batch = time.perf_counter() - start
    print(f"score_batch of the same rows alone: {batch:.2f} s; the history costs "
          f"{spent / batch:.1f}x scoring the snapshots (same run, same load)")
    start = time.perf_counter()
    regressions, stagnating = t.regressions(), t.stagnating()
    tr = transitions(t)
    spent = time.perf_counter() - start
    print(f"views: {len(regressions):,} regressions, {len(stagnating):,} stagnating, "
          f"transitions {tr.from_period}->{tr.to_period} in {spent:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
