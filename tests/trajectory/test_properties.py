"""Properties of histories: a group that does not change never regresses and does
not stagnate before the ruleset's limit; the order of the input rows changes
nothing."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kematangan import load_ruleset
from kematangan.explain.trend_tables import history_table
from kematangan.trajectory import assessment_date_field, score_history
from tests.strategies import records
from tests.trajectory.common import quarters

RULESET = load_ruleset("ppmk-ksm")
DATE = assessment_date_field(RULESET) or "assessed_on"
LIMITS = {s.stage: s.more_than_months for s in RULESET.history.stagnation} if (
    RULESET.history) else {}


@given(records(RULESET), st.integers(1, 12), st.sets(st.integers(1, 11)))
def test_identical_periods_never_regress_nor_stagnate_before_the_limit(
        record: dict[str, Any], n: int, skipped: set[int]) -> None:
    periods = [p for k, p in enumerate(quarters(2022, n)) if k == 0 or k not in skipped]
    # The period dates each row (a generated assessment date would contradict it).
    rows = [{**record, "group_id": "G", "period": p, DATE: None} for p in periods]
    t = score_history(rows, RULESET)
    h = t.history("G")
    assert h.regressions == []
    months = [e.months_in_stage for e in h.entries]
    first = t.history("G").entries[0]
    for e, m in zip(h.entries, months, strict=True):
        assert (e.stage, e.stage_upper) == (first.stage, first.stage_upper)
        limit = LIMITS.get(e.stage or "", None)
        if e.stagnating:
            assert limit is not None and m > limit and e.stage == e.stage_upper
        elif limit is not None and e.stage == e.stage_upper:
            assert m <= limit
    assert months == sorted(months)


rows_strategy = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C", "D"]), st.integers(0, 7),
              records(RULESET)),
    min_size=1, max_size=24, unique_by=lambda r: (r[0], r[1]))


@given(rows_strategy, st.randoms(use_true_random=False))
def test_shuffling_the_rows_changes_nothing(
        rows: list[tuple[str, int, dict[str, Any]]], rnd: random.Random) -> None:
    labels = quarters(2022, 8)
    data = [{**rec, "group_id": g, "period": labels[q]} for g, q, rec in rows]
    shuffled = list(data)
    rnd.shuffle(shuffled)
    a, b = (score_history(d, RULESET) for d in (data, shuffled))
    ta, tb = history_table(a, "en"), history_table(b, "en")
    for column in ta:
        if column != "Row":  # the row numbers follow the input order
            assert np.array_equal(np.asarray(ta[column], dtype=object),
                                  np.asarray(tb[column], dtype=object)), column
    assert a.regressions() == b.regressions()
    assert a.stagnating() == b.stagnating()
    assert a.summary() == b.summary()
