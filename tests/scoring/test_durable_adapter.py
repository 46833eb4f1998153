"""Tests of the durable-rules adapter and of the durable-rules traps it handles."""

from __future__ import annotations

import datetime
import math
import subprocess
import sys
import threading
from collections.abc import Mapping

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kematangan.errors import EngineError, RecordError, RulesetError
from kematangan.scoring.engines.durable_compile import (
    AllOf,
    AnyOf,
    Compare,
    CompareOp,
    Condition,
    IsMissing,
    Negate,
    OneOf,
    Scalar,
    encode_value,
)
from kematangan.scoring.engines.durable_host import DurableHost

pytest.importorskip("durable_rules_engine")

OPS: tuple[CompareOp, ...] = ("eq", "ne", "lt", "le", "gt", "ge")


# ------------------------------------------------------------------ reference


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _compare(left: Scalar, op: CompareOp, right: Scalar) -> bool:
    a, b = float(left), float(right)  # type: ignore[arg-type]
    return {
        "eq": a == b,
        "ne": a != b,
        "lt": a < b,
        "le": a <= b,
        "gt": a > b,
        "ge": a >= b,
    }[op]


def kleene(cond: Condition, record: Mapping[str, object]) -> bool | None:
    """Reference three-valued evaluation of numeric conditions."""
    if isinstance(cond, Compare | OneOf):
        value = record.get(cond.field)
        if _missing(value):
            return None
        assert isinstance(value, int | float)
        if isinstance(cond, Compare):
            return _compare(value, cond.op, cond.value)
        return any(_compare(value, "eq", v) for v in cond.values)
    if isinstance(cond, IsMissing):
        return _missing(record.get(cond.field))
    if isinstance(cond, Negate):
        inner = kleene(cond.term, record)
        return None if inner is None else not inner
    values = [kleene(term, record) for term in cond.terms]
    if isinstance(cond, AllOf):
        if False in values:
            return False
        return None if None in values else True
    if True in values:
        return True
    return None if None in values else False


# ------------------------------------------------------------------ import


def test_importing_the_adapter_does_not_import_durable() -> None:
    code = (
        "import sys, kematangan.scoring.engines.durable_host\n"
        "print(sorted(m for m in sys.modules if m.startswith('durable')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------ trap 3: values


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1e-05, "1.0e-05"),
        (1.5e20, "1.5e+20"),
        (1e16, "1.0e+16"),
        (5e-324, "5.0e-324"),
        (0.1, "0.1"),
        (-0.0, "-0.0"),
        (np.float32(0.5), "0.5"),
        (np.float64(1e-05), "1.0e-05"),
        (np.int64(-7), "-7"),
        (np.uint64(2**64 - 1), "1.8446744073709552e+19"),
        (2**63, "9.223372036854776e+18"),
        (np.bool_(True), "true"),
        (False, "false"),
        (float("inf"), "1.7976931348623157e+308"),
        (-math.inf, "-1.7976931348623157e+308"),
        ("ñ\"\\'", '"ñ\\"\\\\\'"'),
        (datetime.date(1970, 1, 2), "86400"),
        (datetime.datetime(1970, 1, 2), "86400"),
        (datetime.datetime(1970, 1, 1, 0, 0, 1, 500000), "1.5"),
        (
            datetime.datetime(
                1970, 1, 1, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
            ),
            "0",
        ),
        (np.datetime64("1970-01-02"), "86400"),
        (np.datetime64("1970-01-01T00:00:01.5"), "1.5"),
    ],
)
def test_encode_value(value: object, text: str) -> None:
    assert encode_value(value) == text


@pytest.mark.parametrize(
    "value", [None, math.nan, np.float32("nan"), np.datetime64("NaT")]
)
def test_missing_values_are_omitted(value: object) -> None:
    assert encode_value(value) is None


def test_unsupported_values() -> None:
    with pytest.raises(TypeError):
        encode_value([1, 2])
    with pytest.raises(ValueError):
        encode_value("\ud800")
    with DurableHost([("a", Compare("x", "gt", 1))]) as host:
        with pytest.raises(RecordError, match="x"):
            host.evaluate({"x": object()})
        assert host.evaluate({"x": 2, "unused": object()}) == {"a"}


def test_exponent_floats_and_numpy_scalars_evaluate_correctly() -> None:
    rules: list[tuple[str, Condition]] = [
        ("tiny", Compare("x", "lt", 1e-05)),
        ("exactly_tiny", Compare("x", "eq", 1e-05)),
        ("huge", Compare("x", "ge", 1.5e20)),
        ("exactly_1e16", Compare("x", "eq", 1e16)),
        ("many", Compare("n", "ge", np.int64(40))),
        ("flag", Compare("b", "eq", True)),
        ("half", Compare("h", "eq", np.float32(0.5))),
    ]
    with DurableHost(rules) as host:
        assert host.evaluate({"x": 1e-06}) == {"tiny"}
        assert host.evaluate({"x": 1e-05}) == {"exactly_tiny"}
        assert host.evaluate({"x": np.float64(1e-05)}) == {"exactly_tiny"}
        assert host.evaluate({"x": math.nextafter(1e-05, 0)}) == {"tiny"}
        assert host.evaluate({"x": 1.5e20}) == {"huge"}
        assert host.evaluate({"x": np.float32(1e30)}) == {"huge"}
        assert host.evaluate({"x": 1e16}) == {"exactly_1e16"}
        assert host.evaluate({"x": math.inf}) == {"huge"}
        assert host.evaluate({"x": -math.inf}) == {"tiny"}
        assert host.evaluate({"n": np.int64(40), "b": np.bool_(True)}) == {
            "many",
            "flag",
        }
        assert host.evaluate({"n": np.int32(39), "b": np.bool_(False)}) == set()
        assert host.evaluate({"h": np.float32(0.5)}) == {"half"}
        # float32 is widened exactly: float32(1e-05) is 9.99999974737875e-06.
        assert host.evaluate({"x": np.float32(1e-05)}) == {"tiny"}
        assert host.evaluate({"h": np.float32(0.1)}) == set()


@settings(max_examples=60, deadline=None)
@given(
    # +-max float is excluded: its neighbour is inf, which is sent as max float.
    literal=st.floats(allow_nan=False, allow_infinity=False).filter(
        lambda x: abs(x) < sys.float_info.max
    ),
    value=st.floats(allow_nan=False, allow_infinity=False),
)
def test_floats_round_trip_exactly(literal: float, value: float) -> None:
    below = math.nextafter(literal, -math.inf)
    above = math.nextafter(literal, math.inf)
    rules: list[tuple[str, Condition]] = [
        ("eq", Compare("x", "eq", literal)),
        ("gt_below", Compare("x", "gt", below)),
        ("lt_above", Compare("x", "lt", above)),
        ("le", Compare("x", "le", literal)),
    ]
    with DurableHost(rules) as host:
        assert host.evaluate({"x": literal}) == {"eq", "gt_below", "lt_above", "le"}
        expected = {
            name
            for name, ok in [
                ("eq", value == literal),
                ("gt_below", value > below),
                ("lt_above", value < above),
                ("le", value <= literal),
            ]
            if ok
        }
        assert host.evaluate({"x": value}) == expected


def test_missing_values_make_comparisons_unknown() -> None:
    rules: list[tuple[str, Condition]] = [
        ("ne", Compare("x", "ne", 3)),
        ("not_eq", Negate(Compare("x", "eq", 3))),
        ("missing", IsMissing("x")),
        ("known", Negate(IsMissing("x"))),
    ]
    with DurableHost(rules, negatives=True) as host:
        for missing in ({}, {"x": None}, {"x": math.nan}, {"x": np.float32("nan")}):
            assert host.evaluate(missing) == {"missing"}
            assert host.verdicts(missing) == {
                "ne": None,
                "not_eq": None,
                "missing": True,
                "known": False,
            }
        assert host.evaluate({"x": 4}) == {"ne", "not_eq", "known"}
        assert host.evaluate({"x": 3.0}) == {"known"}


def test_strings_dates_and_sets() -> None:
    rules: list[tuple[str, Condition]] = [
        ("quote", Compare("s", "eq", "a\"b\\c'd")),
        ("unicode", Compare("s", "eq", "Ñusa ✓")),
        ("status", OneOf("s", ("aktif", "mandiri"))),
        ("not_status", Negate(OneOf("s", ("aktif", "mandiri")))),
        ("before_2020", Compare("d", "lt", datetime.date(2020, 1, 1))),
        ("after_noon", Compare("d", "gt", datetime.datetime(2020, 1, 1, 12))),
    ]
    with DurableHost(rules) as host:
        assert host.evaluate({"s": "a\"b\\c'd"}) == {"quote", "not_status"}
        assert host.evaluate({"s": "Ñusa ✓"}) == {"unicode", "not_status"}
        assert host.evaluate({"s": "Ñusa"}) == {"not_status"}
        assert host.evaluate({"s": "mandiri"}) == {"status"}
        assert host.evaluate({"s": "mandir"}) == {"not_status"}
        assert host.evaluate({"d": datetime.date(2019, 12, 31)}) == {"before_2020"}
        assert host.evaluate({"d": datetime.datetime(2019, 12, 31, 23)}) == {
            "before_2020"
        }
        assert host.evaluate({"d": datetime.date(2020, 1, 1)}) == set()
        assert host.evaluate({"d": np.datetime64("2020-01-01T12:00:01")}) == {
            "after_noon"
        }


# ------------------------------------------------------------------ traps 1 and 2


def test_all_matching_rules_fire_not_just_one() -> None:
    rules: list[tuple[str, Condition]] = [
        (f"r{i}", Compare("x", "ge", i)) for i in range(40)
    ]
    with DurableHost(rules) as host:
        assert host.evaluate({"x": 100}) == {f"r{i}" for i in range(40)}
        assert host.evaluate({"x": 9.5}) == {f"r{i}" for i in range(10)}


def test_no_match_returns_empty_set() -> None:
    with DurableHost([("a", Compare("x", "gt", 1))]) as host:
        assert host.evaluate({"x": 0}) == frozenset()
        assert host.evaluate({}) == frozenset()
        assert host.evaluate({"other": 5}) == frozenset()


def test_constant_and_empty_rules() -> None:
    rules: list[tuple[str, Condition]] = [
        ("always", AllOf()),
        ("never", AnyOf()),
        ("empty_in", OneOf("x", ())),
    ]
    with DurableHost(rules, negatives=True) as host:
        assert host.evaluate({}) == {"always"}
        assert host.verdicts({}) == {"always": True, "never": False, "empty_in": None}
        assert host.verdicts({"x": 1})["empty_in"] is False
    with DurableHost([]) as empty:
        assert empty.evaluate({"x": 1}) == frozenset()


def test_identical_conditions_share_one_durable_rule() -> None:
    rules: list[tuple[str, Condition]] = [
        (f"r{i}", Compare("x", "ge", 5)) for i in range(300)
    ]
    with DurableHost(rules) as host:
        assert len(host.evaluate({"x": 6})) == 300
        # One for the shared condition, one for the catch-all rule.
        assert host.definition.count('"all"') == 2


# ------------------------------------------------------------------ trap 4: names


def test_rulesets_with_same_rules_coexist() -> None:
    rules: list[tuple[str, Condition]] = [("a", Compare("x", "gt", 1))]
    first = DurableHost(rules)
    second = DurableHost(rules)
    assert first.name != second.name
    assert first.evaluate({"x": 2}) == second.evaluate({"x": 2}) == {"a"}
    first.close()
    first.close()
    assert second.evaluate({"x": 2}) == {"a"}
    with pytest.raises(EngineError, match="closed"):
        first.evaluate({"x": 2})
    second.close()


# ------------------------------------------------------------------ trap 5: sessions


@pytest.mark.parametrize("reuse", [False, True])
def test_sessions_are_deleted(reuse: bool) -> None:
    # durable holds about 1 MB per live session and refuses the 1025th, so 10,000
    # records only pass if every session is deleted (or reused).
    rules: list[tuple[str, Condition]] = [
        (f"r{i}", AnyOf(Compare(f"f{i % 7}", "ge", i), IsMissing(f"f{i % 5}")))
        for i in range(40)
    ]
    rng = np.random.default_rng(1)
    with DurableHost(rules, reuse_session=reuse) as host:
        sids = set()
        for _ in range(10_000):
            record = {f"f{j}": float(rng.integers(0, 50)) for j in range(7)}
            host.evaluate(record)
            assert host.last_session_id is not None
            sids.add(host.last_session_id)
        alive = {sid for sid in sids if host.session_exists(sid)}
        if reuse:
            assert len(sids) == 1
            assert alive == sids
        else:
            assert len(sids) == 10_000
            assert alive == set()
        last = host.last_session_id
    assert last is not None
    assert not host.session_exists(last)


def test_session_is_deleted_when_evaluation_fails() -> None:
    with DurableHost([("a", Compare("x", "gt", 1))]) as host:
        host.evaluate({"x": 2})
        sid = host.last_session_id
        assert sid is not None and not host.session_exists(sid)
        with pytest.raises(RecordError):
            host.evaluate({"x": {1, 2}})
        assert host.evaluate({"x": 2}) == {"a"}


def test_unmatched_records_do_not_crash_on_a_used_heap() -> None:
    # durable 2.0.28 frees uninitialised pointers when a session that never ran an
    # action is deleted; with a used heap this aborted the process. Run in a child
    # process so that a crash fails this test instead of killing pytest.
    code = """
import numpy, yaml, kematangan.scoring
junk = [bytes([7]) * n for n in range(1, 4000)]
del junk
from kematangan.scoring.engines.durable_compile import OneOf, Compare, IsMissing
from kematangan.scoring.engines.durable_host import DurableHost
for reuse in (False, True):
    with DurableHost(
        [("r0", OneOf("a", (0, 2))), ("r1", Compare("b", "gt", 1))],
        negatives=True, reuse_session=reuse,
    ) as host:
        for record in ({}, {"c": 1}, {"a": 1}, {"a": 0}, {}):
            host.verdicts(record)
with DurableHost([("m", IsMissing("a"))]) as host:
    assert host.evaluate({"a": 1}) == frozenset()
print("ok")
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"


# ------------------------------------------------------------------ threads


@pytest.mark.parametrize("reuse", [False, True])
def test_four_threads_agree_with_sequential(reuse: bool) -> None:
    rules: list[tuple[str, Condition]] = [
        (f"r{i}", AllOf(Compare(f"f{i % 6}", "gt", i), Negate(IsMissing("g"))))
        for i in range(40)
    ]
    rng = np.random.default_rng(2)
    records = [
        {
            **{f"f{j}": int(rng.integers(0, 60)) for j in range(6)},
            "g": None if rng.random() < 0.3 else 1,
        }
        for _ in range(2_000)
    ]
    with DurableHost(rules, reuse_session=reuse) as host:
        expected = host.evaluate_many(records)
        results: dict[int, list[frozenset[str]]] = {}
        errors: list[BaseException] = []

        def work(k: int) -> None:
            try:
                results[k] = host.evaluate_many(records)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert all(results[k] == expected for k in range(4))


# ------------------------------------------------------------------ semantics


FIELDS = ("a", "b", "c")
small = st.integers(-2, 2)

leaves: st.SearchStrategy[Condition] = st.one_of(
    st.builds(Compare, st.sampled_from(FIELDS), st.sampled_from(OPS), small),
    st.builds(
        OneOf,
        st.sampled_from(FIELDS),
        st.lists(small, max_size=3).map(tuple),
    ),
    st.builds(IsMissing, st.sampled_from(FIELDS)),
)
conditions: st.SearchStrategy[Condition] = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(Negate, inner),
        st.lists(inner, max_size=3).map(lambda t: AllOf(*t)),
        st.lists(inner, max_size=3).map(lambda t: AnyOf(*t)),
    ),
    max_leaves=6,
)
records = st.dictionaries(
    st.sampled_from(FIELDS),
    st.one_of(st.none(), st.just(math.nan), small, small.map(lambda v: v + 0.5)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    conds=st.lists(conditions, min_size=1, max_size=4),
    recs=st.lists(records, min_size=1, max_size=8),
)
def test_verdicts_follow_three_valued_logic(
    conds: list[Condition], recs: list[dict[str, object]]
) -> None:
    rules = [(f"r{i}", cond) for i, cond in enumerate(conds)]
    with DurableHost(rules, negatives=True) as host:
        for record in recs:
            want = {name: kleene(cond, record) for name, cond in rules}
            assert host.verdicts(record) == want
            assert host.evaluate(record) == {n for n, v in want.items() if v}


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("field", ["", "1x", "a.b", "a-b", "sid", "id", "ñ"])
def test_bad_field_names(field: str) -> None:
    with pytest.raises(RulesetError):
        Compare(field, "eq", 1)


def test_bad_descriptions() -> None:
    with pytest.raises(RulesetError, match="missing"):
        Compare("x", "eq", math.nan)
    with pytest.raises(RulesetError, match="operator"):
        Compare("x", "like", 1)  # type: ignore[arg-type]
    with pytest.raises(RulesetError, match="duplicate"):
        DurableHost([("a", IsMissing("x")), ("a", IsMissing("y"))])
    with DurableHost([("a", IsMissing("x"))]) as host:
        with pytest.raises(EngineError, match="negatives"):
            host.verdicts({})


def test_engine_limits_raise_engine_error() -> None:
    explode = AllOf(
        *(AnyOf(Compare(f"a{i}", "gt", 0), IsMissing(f"b{i}")) for i in range(9))
    )
    with pytest.raises(EngineError, match="conjunctions"):
        DurableHost([("big", explode)])
    # More than 128 absence tests under one node is durable error 107.
    with pytest.raises(EngineError, match="107") as info:
        DurableHost([(f"m{i}", IsMissing(f"f{i}")) for i in range(130)])
    assert info.value.backend == "durable-rules"
    # durable matches attribute names by a 32-bit FNV-1 hash.
    with pytest.raises(EngineError, match="same durable hash"):
        DurableHost([("a", IsMissing("f6059")), ("b", IsMissing("f264602"))])
