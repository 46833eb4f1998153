"""The numpy engine and the compiled record function are forms of the semantics
module: on generated records of every bundled ruleset and of a ruleset using every
construct, they give exactly what the record engine (the semantics executed)
gives."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kematangan import Ruleset, Scorer, list_rulesets
from kematangan.scoring.engines.compiled import compile_record_function
from kematangan.scoring.engines.record import RecordEngine
from kematangan.scoring.engines.vector import VectorEngine
from kematangan.scoring.result import RowResult
from tests.scoring.constructs import sink
from tests.strategies import records

NAMES = [r.id for r in list_rulesets()]


def ruleset(name: str) -> Ruleset:
    return sink() if name == "sink" else Scorer(name).ruleset


def same_float(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def assert_same(got: RowResult, want: RowResult) -> None:
    assert got.outcomes == want.outcomes
    assert all(map(same_float, got.points, want.points))
    assert (got.stage, got.stage_upper, got.class_, got.class_upper,
            got.exit_ready) == (want.stage, want.stage_upper, want.class_,
                                want.class_upper, want.exit_ready)
    assert same_float(got.score, want.score)
    assert same_float(got.score_upper, want.score_upper)
    assert same_float(got.max_score, want.max_score)
    assert all(map(same_float, got.values, want.values))


def row_of(batch: Any, i: int) -> RowResult:
    r = batch
    return RowResult(
        outcomes=r.outcomes[:, i].tolist(), points=r.points[:, i].tolist(),
        score=float(r.score[i]), score_upper=float(r.score_upper[i]),
        stage=int(r.stage[i]), stage_upper=int(r.stage_upper[i]),
        class_=int(r.class_[i]), class_upper=int(r.class_upper[i]),
        exit_ready=int(r.exit_ready[i]), values=[float(c[i]) for c in r.columns],
        max_score=float(r.max_score[i]))


@pytest.mark.parametrize("name", [*NAMES, "sink"])
def test_vector_engine_equals_the_semantics(name: str) -> None:
    scorer = Scorer(ruleset(name))
    plan = scorer.plan
    vector, record = VectorEngine(plan), RecordEngine(plan)

    @given(st.lists(records(scorer.ruleset), min_size=1, max_size=8))
    def check(rows: list[dict[str, Any]]) -> None:
        encoded = [scorer.encode(r)[0] for r in rows]
        columns = [np.array([e[f.index] for e in encoded]) for f in plan.fields]
        columns += [np.empty(len(rows)) for _ in plan.derived]
        batch = vector.score_many(columns)
        for i, values in enumerate(encoded):
            assert_same(row_of(batch, i), record.score_one(values))

    check()


@pytest.mark.parametrize("name", [*NAMES, "sink"])
def test_compiled_record_function_equals_the_semantics(name: str) -> None:
    scorer = Scorer(ruleset(name))
    run, record = compile_record_function(scorer.plan), RecordEngine(scorer.plan)

    @given(records(scorer.ruleset))
    def check(row: dict[str, Any]) -> None:
        values = scorer.encode(row)[0]
        assert_same(run(values), record.score_one(values))

    check()


@pytest.mark.parametrize("values", [
    [math.nan] * 7, [1e308, 20.0, 1.0, 0.0, 2.0, 18000.0, 10.0],
    [-1e-300, 0.0, 0.0, 1.0, 0.0, -5.0, 0.0], [math.inf, 3.0, 1.0, 1.0, 1.0, 0.0, 7.5],
])
def test_compiled_function_agrees_on_edge_values(values: list[float]) -> None:
    plan = Scorer(sink()).plan
    assert_same(compile_record_function(plan)(values),
                RecordEngine(plan).score_one(values))


def test_threads_change_nothing() -> None:
    rng = np.random.default_rng(5)
    scorer = Scorer("ppmk-ksm")
    n = 3 * 65_536 + 17
    columns = {f.id: np.where(rng.random(n) < 0.1, np.nan,
                              rng.integers(0, 30, n))
               for f in scorer.plan.fields if f.type in ("number", "integer")}
    columns.update({f.id: np.where(rng.random(n) < 0.1, np.nan,
                                   rng.integers(0, 2, n).astype(float))
                    for f in scorer.plan.fields if f.type == "boolean"})
    one = Scorer("ppmk-ksm", workers=1).score_batch(columns)
    many = Scorer("ppmk-ksm", workers=4).score_batch(columns)
    assert np.array_equal(one.raw.outcomes, many.raw.outcomes)
    assert np.array_equal(one.score, many.score)
    assert one.stage.tolist() == many.stage.tolist()
    assert [str(p) for p in one.issues] == [str(p) for p in many.issues]
