"""The durable-rules engine gives exactly what the reference engines give."""

from __future__ import annotations

import datetime
import math
import os
import threading
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kematangan import Scorer, list_rulesets, parse_ruleset
from kematangan.scoring.engines.durable import DurableEngine
from kematangan.scoring.engines.record import RecordEngine
from kematangan.scoring.plan import compile_plan
from tests.scoring.constructs import SINK, sink
from tests.strategies import records

pytest.importorskip("durable_rules_engine")

NAMES = [r.id for r in list_rulesets()]

@cache
def pair(name: str) -> tuple[Scorer, Scorer]:
    """(reference, durable) scorers; built once, one durable ruleset each."""
    ruleset = sink() if name == "sink" else name
    return Scorer(ruleset), Scorer(ruleset, engine="durable")


def backend(scorer: Scorer) -> DurableEngine:
    """The durable engine of a durable scorer."""
    assert isinstance(scorer.backend, DurableEngine)
    return scorer.backend


def same(reference: Scorer, durable: Scorer, record: dict[str, Any]) -> None:
    assert durable.score(record).model_dump() == reference.score(record).model_dump()


@pytest.mark.parametrize("name", [*NAMES, "sink"])
def test_durable_equals_reference_on_generated_records(name: str) -> None:
    reference, durable = pair(name)

    fallbacks = backend(durable).python_records

    @given(records(reference.ruleset))
    def check(record: dict[str, Any]) -> None:
        same(reference, durable, record)

    check()
    # Valid records never need the whole-record Python fallback.
    assert backend(durable).python_records == fallbacks


@pytest.mark.parametrize("name", [*NAMES, "sink"])
def test_durable_batch_equals_numpy_batch(name: str) -> None:
    reference, durable = pair(name)

    @given(st.lists(records(reference.ruleset), min_size=1, max_size=6))
    def check(rows: list[dict[str, Any]]) -> None:
        got = durable.score_batch(rows)
        want = reference.score_batch(rows)
        for i in range(len(rows)):
            assert got.assessment(i).model_dump() == want.assessment(i).model_dump()

    check()


def test_embedded_cases_pass_with_durable() -> None:
    from kematangan import run_cases

    for name in NAMES:
        assert run_cases(pair(name)[1]) == []


def test_placement_is_explicit() -> None:
    engine = DurableEngine(compile_plan(sink()))
    # A derived value used bare as a condition: its raw value is the outcome.
    assert engine.placement["e_flag"] == "python"
    # ... and what refers to it.
    assert engine.placement["least"] == "python"
    assert engine.placement["least_b"] == "python"  # refers to bands
    for cid in ("t_a", "r_n", "e_not", "e_date", "e_miss", "e_notin", "bands_r",
                "score_s", "all_x", "any_x", "least2"):
        assert engine.placement[cid] == "durable", cid
    # Value-vs-value comparisons and function results are computed in Python.
    for cid in ("e_cmp2", "e_fn"):
        assert engine.placement[cid] == "durable+python", cid
    # Every criterion of the bundled rulesets is decided in durable but two.
    outside = {("upk-pinjaman-bergulir", "penunggak_in_recovery"): "durable+python",
               ("ppmk-ksm", "facilitated"): "python"}  # a >= b; coalesce(...)
    for name in NAMES:
        placement = backend(pair(name)[1]).placement
        assert {(name, c): p for c, p in placement.items() if p != "durable"} == {
            k: v for k, v in outside.items() if k[0] == name}
    assert "sink" in repr(engine)
    engine.close()


# ----------------------------------------------------------------- edge values


def test_exponent_floats() -> None:
    reference, durable = pair("sink")
    for a in (1e-05, -1e-05, 9.999999999999999e-06, 1.0000000000000001e-05, 5e-324,
              1e-300, 99.99999999999999):
        for n in (0, 1, 3):
            same(reference, durable, {"a": a, "n": n, "s": 7.5 - 1e-15})
    upk_ref, upk = pair("upk-pinjaman-bergulir")
    for x in (1e-05, 1e-12, 5e-324):
        record = {"ksm_borrowing": 3, "ksm_arrears_3plus": 0, "loans_outstanding": x,
                  "loans_outstanding_arrears_3plus": x / 10, "income_ytd": 1e11,
                  "costs_ytd": x, "net_profit_ytd": -x, "months_elapsed": 1,
                  "total_capital": x}
        same(upk_ref, upk, record)


def test_infinite_values() -> None:
    reference, durable = pair("upk-pinjaman-bergulir")
    engine = backend(durable)
    before = engine.python_records
    # income / 5e-324 overflows: the derived value is missing, in every engine.
    record = {"income_ytd": 1e6, "costs_ytd": 5e-324, "ksm_borrowing": 1,
              "ksm_arrears_3plus": 0}
    same(reference, durable, record)
    assert durable.score(record).derived["ccr"] is None
    assert engine.python_records == before
    # An intermediate value that overflows (not a derived value) stays inf in the
    # reference engine; durable would see the largest float: Python scores it.
    from dataclasses import replace

    from kematangan.criteria import expr as ex

    base = compile_plan(sink())
    index = base.criterion_ids.index("e_flag")
    node = ex.Cmp(1, 1, ">=", ex.Bin(1, 1, "*", ex.Name(1, 1, "a"),
                                     ex.Num(1, 1, 1e308)), ex.Num(1, 1, 1e308))
    criteria = list(base.criteria)
    criteria[index] = replace(criteria[index], node=node)
    plan = replace(base, criteria=tuple(criteria))
    hand, single = DurableEngine(plan), RecordEngine(plan)
    row = [math.nan] * len(plan.fields)
    for a in (100.0, 1.0, 0.5, math.nan):
        row[0] = a
        assert str(hand.score_one(row)) == str(single.score_one(row))
    assert hand.python_records == 1  # a = 100 only
    hand.close()


def test_numpy_scalars() -> None:
    reference, durable = pair("sink")
    record = {"a": np.float32(0.5), "n": np.int64(3), "b": np.bool_(False),
              "b2": np.bool_(True), "s": np.float64(7.5), "c": np.str_("z"),
              "d": np.datetime64("2021-06-01")}
    same(reference, durable, record)
    ppmk_ref, ppmk = pair("ppmk-ksm")
    same(ppmk_ref, ppmk, {"members": np.int32(12), "formed_participatory": np.bool_(1),
                          "members_saving": np.uint8(9), "partnerships": np.int16(1),
                          "market_access": np.bool_(True)})


def test_dates() -> None:
    reference, durable = pair("sink")
    for d in (datetime.date(2019, 12, 31), datetime.date(2020, 1, 1),
              datetime.datetime(2020, 1, 1, 0, 0, 1), "2020-01-02",
              np.datetime64("2019-12-31"), None):
        for c in ("x", "y", None):
            same(reference, durable, {"d": d, "c": c, "a": 2})


def test_run_matches_single_engine_on_nan_and_edges() -> None:
    plan = compile_plan(sink())
    engine, single = DurableEngine(plan), RecordEngine(plan)
    rows = [[math.nan] * len(plan.fields), [0.0] * len(plan.fields),
            [-0.0] * len(plan.fields), [1.0] * len(plan.fields)]
    for row in rows:
        assert engine.score_one(row) == single.score_one(row)
    engine.close()


# ------------------------------------------------------------- side by side


def test_two_rulesets_and_two_versions_side_by_side() -> None:
    v1 = sink()
    v2 = parse_ruleset(SINK.replace("version: 1.0.0", "version: 2.0.0")
                       .replace('value: 1e-05', 'value: 50'))
    scorers = [(Scorer(v1), Scorer(v1, engine="durable")),
               (Scorer(v2), Scorer(v2, engine="durable")),
               pair("ppmk-ksm"), pair("pemk-kub")]
    records = [{"a": a, "n": 3, "b": False, "members": 12, "formed_participatory": True}
               for a in (1e-05, 30.0, 60.0, None)]
    for record in records:  # interleaved: every ruleset per record
        for reference, durable in scorers:
            same(reference, durable, record)
    assert (scorers[0][1].score({"a": 30.0}).outcomes["t_a"].outcome,
            scorers[1][1].score({"a": 30.0}).outcomes["t_a"].outcome) == (
                "met", "not_met")


def test_thread_safety() -> None:
    reference, durable = pair("ksm-unggulan")
    rng = np.random.default_rng(7)
    fields = [f.id for f in reference.ruleset.fields]
    booleans = {f.id for f in reference.ruleset.fields if f.type == "boolean"}
    rows: list[dict[str, Any]] = [
        {f: (None if rng.random() < 0.2 else
             bool(rng.integers(0, 2)) if f in booleans else float(rng.integers(0, 30)))
         for f in fields} for _ in range(300)]
    want = [reference.score(r).model_dump() for r in rows]
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for i in range(len(rows)):
                j = (i + offset * 37) % len(rows)
                assert durable.score(rows[j]).model_dump() == want[j]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_memory_does_not_grow_over_10000_records() -> None:
    plan = compile_plan(sink())
    engine = DurableEngine(plan)
    rng = np.random.default_rng(1)
    rows = rng.uniform(-5, 15, size=(200, len(plan.fields)))
    rows[rng.random(rows.shape) < 0.3] = np.nan
    data = rows.tolist()
    for row in data * 10:  # warm up: allocator pools settle
        engine.score_one(row)
    before = _rss_kb()
    for _ in range(50):  # 10,000 records
        for row in data:
            engine.score_one(row)
    grown = _rss_kb() - before
    host = engine.host
    sid = host.last_session_id
    assert sid is not None
    # One reused session, records retracted: nothing accumulates in durable.
    assert host.live_sessions <= 1
    assert grown < 4096, f"RSS grew by {grown} KB over 10,000 records"
    engine.close()
    assert not host.session_exists(sid)


def test_unlinted_plan_nodes_match_single_engine() -> None:
    """Numbers used as conditions (lint refuses them; plans built by hand may not)."""
    from dataclasses import replace

    from kematangan.criteria import expr as ex

    def name(i: str) -> ex.Name:
        return ex.Name(1, 1, i)

    def num(x: float) -> ex.Num:
        return ex.Num(1, 1, x)

    nodes: list[ex.Node] = [
        ex.And(1, 1, (name("n"), name("b"))),
        ex.Or(1, 1, (name("a"), ex.Not(1, 1, name("n")))),
        ex.Not(1, 1, ex.Not(1, 1, name("b"))),
        ex.And(1, 1, (num(2.0), name("b"))),
        ex.Or(1, 1, (num(0.0), ex.Cmp(1, 1, "<", num(1.0), num(2.0)))),
        ex.In(1, 1, ex.Bin(1, 1, "-", name("n"), num(1.0)),
              (num(1.0), num(2.0)), True),
        ex.Call(1, 1, "missing", (ex.Bin(1, 1, "*", name("a"), name("n")),)),
        ex.Cmp(1, 1, ">", name("a"), num(math.inf)),
        name("n"),  # a raw number as the outcome
    ]
    base = compile_plan(sink())
    index = base.criterion_ids.index("e_flag")
    rng = np.random.default_rng(3)
    rows = rng.integers(-1, 4, size=(300, len(base.fields))).astype(float)
    rows[rng.random(rows.shape) < 0.25] = np.nan
    for node in nodes:
        criteria = list(base.criteria)
        criteria[index] = replace(criteria[index], node=node)
        plan = replace(base, criteria=tuple(criteria))
        engine, single = DurableEngine(plan), RecordEngine(plan)
        for row in rows.tolist():
            got, want = engine.score_one(row), single.score_one(row)
            assert str(got) == str(want), node  # str: NaN-safe comparison
        engine.close()
