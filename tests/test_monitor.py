"""GroupMonitor: events per update, subscribers, state round trip, threads."""

from __future__ import annotations

import datetime
import importlib.util
import json
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kematangan import InputError, Scorer
from kematangan.monitor import (
    BecameExitReady,
    ClassChanged,
    DataBecameUnknown,
    GateFailed,
    GroupMonitor,
    MonitorEvent,
    NoLongerExitReady,
    Regressed,
    StageLost,
    StageReached,
)
from tests.strategies import records

RULES = {f"basic_rule_{i}": True for i in range(1, 6)}
GROWTH = {"formed_participatory": True, "members": 12, "members_voluntary": True,
          "meetings_last_3_months": 3, **RULES}
# Everything met: stage release, class maju, exit ready (ppmk-ksm).
ALL_MET = {**GROWTH, "facilitator_visits_last_3_months": 2, "admin_books_kept": True,
           "business_plan_months_since_review": 3, "works_with_other_groups": True,
           "revolving_fund_access": True, "arrears_instalments": 0,
           "members_saving": 12, "trainings_last_12_months": 2, "activity_months": 24,
           "decisions_by_musyawarah": True, "partnerships": 2, "market_access": True,
           "ppmk_capital_added": True, "own_capital_growth_pct": 5.0, "local_cadres": 2,
           "cadres_chosen_by_musyawarah": True, "cadres_able_to_facilitate": True,
           "legal_standing": True, "multistakeholder_cooperation": True}

HAVE_DURABLE = importlib.util.find_spec("durable_rules_engine") is not None
needs_durable = pytest.mark.skipif(not HAVE_DURABLE, reason="needs durable-rules")
ENGINES = ["numpy", pytest.param("durable", marks=needs_durable)]


@pytest.fixture(scope="module")
def scorers() -> dict[str, Scorer]:
    out = {"numpy": Scorer("ppmk-ksm")}
    if HAVE_DURABLE:
        out["durable"] = Scorer("ppmk-ksm", engine="durable")
    return out


def kinds(events: list[MonitorEvent]) -> list[str]:
    return [e.type for e in events]


@pytest.mark.parametrize("engine", ENGINES)
def test_event_sequence(scorers: dict[str, Scorer], engine: str) -> None:
    m = GroupMonitor(scorers[engine])
    at = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    first = m.update("g1", GROWTH, at=at)
    assert kinds(first) == ["stage_reached", "class_changed"]
    reached = first[0]
    assert isinstance(reached, StageReached)
    assert (reached.group_id, reached.before, reached.after) == ("g1", None, "growth")
    assert reached.at == at
    assert reached.ruleset.id == "ppmk-ksm"
    assert reached.ruleset.version == m.scorer.ruleset.version
    assert reached.ruleset.hash == m.scorer.plan.content_hash
    assert "enough_members" in reached.changed

    up = m.update("g1", ALL_MET)
    assert kinds(up) == ["stage_reached", "class_changed", "became_exit_ready"]
    assert (up[0].before, up[0].after) == ("growth", "release")
    assert isinstance(up[1], ClassChanged) and up[1].after == "maju"
    assert isinstance(up[2], BecameExitReady) and up[2].before is None  # unknown

    arrears = m.update("g1", {"arrears_instalments": 1})
    assert kinds(arrears) == ["no_longer_exit_ready"]
    assert isinstance(arrears[0], NoLongerExitReady) and arrears[0].after is False
    assert arrears[0].changed == ("no_arrears",)

    more = m.update("g1", {"arrears_instalments": 4})
    assert kinds(more) == ["stage_lost", "class_changed", "gate_failed", "regressed"]
    assert (more[0].before, more[0].after) == ("release", "growth")
    # a KSM penunggak is never in the top class
    assert (more[1].before, more[1].after) == ("maju", "berkembang")
    gate = more[2]
    assert isinstance(gate, GateFailed)
    assert (gate.criterion, gate.stage, gate.before, gate.after) == (
        "repayment_current", "strengthening", "met", "not_met")
    fell = more[3]
    assert isinstance(fell, Regressed)
    assert (fell.lost, fell.before, fell.after, fell.class_after) == (
        ("stage", "class"), "release", "growth", "berkembang")
    assert fell.criteria == ("repayment_current",)

    books = m.update("g1", {"admin_books_kept": False})
    assert [(g.criterion, g.before) for g in books if isinstance(g, GateFailed)] == [
        ("admin_books", "met")]

    gone = m.update("g1", {"members": None, "partnerships": np.nan})
    unknown = [e for e in gone if isinstance(e, DataBecameUnknown)]
    # members_save reads saving / members: unknown too.
    assert [e.criterion for e in unknown] == ["enough_members", "members_save",
                                              "partnership_or_market"]
    assert all(e.before == "met" and e.after == "unknown" for e in unknown)
    assert m.update("g1", {"members": None}) == []  # no change, no event
    assert m.facts("g1").get("members") is None


@needs_durable
def test_events_match_the_scorer(scorers: dict[str, Scorer]) -> None:
    m = GroupMonitor("ppmk-ksm", engine="durable")
    m.update("a", GROWTH)
    assert m.assessment("a").model_dump() == scorers["numpy"].score(
        GROWTH, group_id="a").model_dump()
    assert m.scorer.engine == "durable"
    with pytest.raises(ValueError, match="engine"):
        GroupMonitor(scorers["numpy"], engine="durable")


def test_queue_drains_and_subscribers_see_all(scorers: dict[str, Scorer]) -> None:
    m = GroupMonitor(scorers["numpy"], max_queued=3)
    seen: list[MonitorEvent] = []
    unsubscribe = m.subscribe(seen.append)
    m.update("a", ALL_MET)
    m.update("b", ALL_MET)
    assert len(seen) == 6
    assert m.dropped_events == 3
    assert list(m.events()) == seen[3:]
    assert list(m.events()) == []
    unsubscribe()
    m.update("c", GROWTH)
    assert len(seen) == 6
    assert len(list(m.events())) == 2


def test_failing_subscriber_does_not_corrupt_state(scorers: dict[str, Scorer]) -> None:
    m = GroupMonitor(scorers["numpy"])
    after: list[str] = []

    def boom(event: MonitorEvent) -> None:
        raise RuntimeError("subscriber bug")

    m.subscribe(boom)
    m.subscribe(lambda e: after.append(e.type))
    events = m.update("a", GROWTH)
    assert after == kinds(events)
    errors = m.subscriber_errors
    assert len(errors) == len(events)
    assert errors[0].error == "RuntimeError: subscriber bug"
    assert errors[0].event == events[0]
    assert m.assessment("a").stage == "growth"
    assert kinds(m.update("a", {"members": 1})) == ["stage_lost", "gate_failed",
                                                    "regressed"]


def test_subscriber_may_update_the_monitor(scorers: dict[str, Scorer]) -> None:
    m = GroupMonitor(scorers["numpy"])
    order_1: list[tuple[str, str]] = []
    order_2: list[tuple[str, str]] = []

    def cascade(event: MonitorEvent) -> None:
        order_1.append((event.group_id, event.type))
        if event.group_id == "a" and isinstance(event, StageReached):
            m.update("b", GROWTH)

    m.subscribe(cascade)
    m.subscribe(lambda e: order_2.append((e.group_id, e.type)))
    m.update("a", GROWTH)
    assert order_1 == order_2
    assert [g for g, _ in order_1] == ["a", "a", "b", "b"]


def test_remove_and_membership(scorers: dict[str, Scorer]) -> None:
    m = GroupMonitor(scorers["numpy"])
    m.update("a", GROWTH)
    m.update(7, {"members": 3, "not_a_field": 1})  # type: ignore[arg-type]
    assert "7" in m and len(m) == 2 and m.group_ids() == ["a", "7"]
    assert m.facts("7") == {"members": 3}
    assert m.remove("a") and not m.remove("a")
    assert "a" not in m
    with pytest.raises(KeyError):
        m.assessment("a")
    # A removed group starts afresh.
    assert kinds(m.update("a", GROWTH)) == ["stage_reached", "class_changed"]
    with pytest.raises(InputError):
        m.update("a", [("members", 1)])  # type: ignore[arg-type]
    assert "ppmk-ksm" in repr(m)


@pytest.mark.parametrize("engine", ENGINES)
def test_export_restore_json_round_trip(scorers: dict[str, Scorer],
                                        engine: str) -> None:
    m = GroupMonitor(scorers[engine])
    m.update("a", ALL_MET, at=datetime.datetime(2026, 3, 1, 12, 0))
    m.update("b", {**GROWTH, "members": np.int64(9), "arrears_instalments": 2.5,
                   "legal_standing": "yes"})  # an invalid value is kept, as given
    m.update("c", {"members": float("inf"),
                   "business_plan_months_since_review": datetime.date(2024, 1, 1)})
    text = json.dumps(m.export_state())
    back = GroupMonitor.restore(json.loads(text), scorers[engine])
    assert back.group_ids() == m.group_ids()
    for gid in m.group_ids():
        assert back.facts(gid) == m.facts(gid)
        assert back.assessment(gid).model_dump() == m.assessment(gid).model_dump()
    assert back.export_state() == json.loads(text)
    # Restarting loses nothing: the next update gives the same events.
    at = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    events = [monitor.update("a", {"arrears_instalments": 4}, at=at)
              for monitor in (m, back)]
    assert events[1] == events[0] and "regressed" in kinds(events[0])
    assert list(back.events()) == events[1]


def test_restore_refuses_another_ruleset(scorers: dict[str, Scorer]) -> None:
    m = GroupMonitor(scorers["numpy"])
    m.update("a", GROWTH)
    state = m.export_state()
    with pytest.raises(InputError, match="ruleset"):
        GroupMonitor.restore(state, "pemk-kub")
    with pytest.raises(InputError, match="format"):
        GroupMonitor.restore({"groups": {}}, "ppmk-ksm")


@needs_durable
@settings(max_examples=25)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]),
                          records(Scorer("ppmk-ksm").ruleset)),
                min_size=1, max_size=10))
def test_monitor_tracks_scorer_on_update_streams(
        updates: list[tuple[str, dict[str, Any]]]) -> None:
    numpy_m = GroupMonitor("ppmk-ksm")
    durable_m = GroupMonitor(Scorer("ppmk-ksm", engine="durable"))
    at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    facts: dict[str, dict[str, Any]] = {}
    for gid, changes in updates:
        ev_n = numpy_m.update(gid, changes, at=at)
        ev_d = durable_m.update(gid, changes, at=at)
        assert ev_n == ev_d
        state = facts.setdefault(gid, {})
        for k, v in changes.items():
            if v is None:
                state.pop(k, None)
            else:
                state[k] = v
        assert numpy_m.assessment(gid).model_dump() == Scorer("ppmk-ksm").score(
            state, group_id=gid).model_dump()
        # Stage events agree with the stage change.
        for e in ev_n:
            if isinstance(e, StageReached | StageLost):
                assert e.after == numpy_m.assessment(gid).stage


def test_thread_safety(scorers: dict[str, Scorer]) -> None:
    m = GroupMonitor(scorers.get("durable", scorers["numpy"]))
    seen: list[MonitorEvent] = []
    m.subscribe(seen.append)
    rng = np.random.default_rng(5)
    streams = [[(f"g{int(rng.integers(0, 20))}",
                 {"members": int(rng.integers(0, 20)),
                  "formed_participatory": bool(rng.integers(0, 2)),
                  "meetings_last_3_months": 3, "members_voluntary": True,
                  **RULES}) for _ in range(200)] for _ in range(4)]
    errors: list[BaseException] = []

    def work(stream: list[tuple[str, dict[str, Any]]]) -> None:
        try:
            for gid, changes in stream:
                m.update(gid, changes)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in streams]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(list(m.events())) == len(seen)
    # Each group's final assessment is the score of its final facts.
    for gid in m.group_ids():
        assert m.assessment(gid).model_dump() == scorers["numpy"].score(
            m.facts(gid), group_id=gid).model_dump()
    # Per group, stage events chain: each starts where the previous ended.
    last: dict[str, str | None] = {}
    for e in seen:
        if isinstance(e, StageReached | StageLost):
            assert e.before == last.get(e.group_id)
            last[e.group_id] = e.after


def test_docs_example_runs_and_prints_what_it_says(
        capsys: pytest.CaptureFixture[str]) -> None:
    docs = Path(__file__).parents[1] / "docs" / "engines.md"
    text = docs.read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S)
    output = re.search(r"prints\n\n```text\n(.*?)```", text, re.S)
    assert code is not None and output is not None
    exec(compile(code.group(1), str(docs), "exec"), {})
    assert capsys.readouterr().out == output.group(1)


@needs_durable
def test_restore_keeps_the_engine_and_empty_batches_work() -> None:
    m = GroupMonitor("ppmk-ksm", engine="durable")
    m.update("a", GROWTH)
    back = GroupMonitor.restore(m.export_state(), "ppmk-ksm")
    assert back.scorer.engine == "durable"
    assert list(back.events()) == []
    assert len(Scorer("ppmk-ksm", engine="durable").score_batch([])) == 0
