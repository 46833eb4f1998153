"""The monitor's track record: regressions, stagnation once a stay, and steps that
survive export and restore."""

from __future__ import annotations

import datetime as dt
import json

from kematangan.monitor import GroupMonitor, MonitorEvent, Regressed, Stagnating
from tests.trajectory.common import GROWTH, STRENGTHENING


def _quarter_ends(n: int, year: int = 2023) -> list[dt.datetime]:
    ends = [(3, 31), (6, 30), (9, 30), (12, 31)]
    return [dt.datetime(year + k // 4, *ends[k % 4], tzinfo=dt.UTC) for k in range(n)]


def _kinds(events: list[MonitorEvent]) -> list[str]:
    return [e.type for e in events]


def test_stagnation_is_emitted_once_when_the_stay_passes_the_limit() -> None:
    m = GroupMonitor("ppmk-ksm")
    found = [[e for e in m.update("A", GROWTH, at=at) if isinstance(e, Stagnating)]
             for at in _quarter_ends(8)]
    assert [len(f) for f in found] == [0, 0, 0, 0, 0, 1, 0, 0]
    s = found[5][0]
    assert (s.before, s.after, s.months, s.limit) == ("growth", "growth", 15, 12)
    assert s.since == _quarter_ends(1)[0]
    assert s.message.get("en").startswith("At the Growth stage for 15 months")


def test_a_new_stage_starts_a_new_stay() -> None:
    m = GroupMonitor("ppmk-ksm")
    times = _quarter_ends(12)
    for at in times[:5]:
        m.update("A", GROWTH, at=at)
    events = [e for at in times[5:] for e in m.update("A", STRENGTHENING, at=at)]
    assert not [e for e in events if isinstance(e, Stagnating)]
    assert [(s.level, s.at) for s in m.history("A")] == [
        ("growth", times[0]), ("strengthening", times[5])]


def test_a_lost_stage_is_a_regression_with_its_causes() -> None:
    m = GroupMonitor("ppmk-ksm")
    m.update("A", STRENGTHENING)
    events = m.update("A", {"admin_books_kept": False})
    (r,) = [e for e in events if isinstance(e, Regressed)]
    assert (r.lost, r.before, r.after, r.criteria) == (
        ("stage",), "strengthening", "growth", ("admin_books",))


def test_missing_data_is_not_a_regression() -> None:
    m = GroupMonitor("ppmk-ksm")
    m.update("A", STRENGTHENING)
    events = m.update("A", {"admin_books_kept": None})
    assert "stage_lost" in _kinds(events) and "regressed" not in _kinds(events)
    assert m.history("A")[-1].level == "strengthening"


def test_export_and_restore_keep_the_stay() -> None:
    times = _quarter_ends(6)
    m = GroupMonitor("ppmk-ksm")
    for at in times[:5]:
        m.update("A", GROWTH, at=at)
    state = json.loads(json.dumps(m.export_state()))
    assert state["format"] == "kematangan-monitor/2"
    back = GroupMonitor.restore(state, "ppmk-ksm")
    assert back.history("A") == m.history("A")
    assert "stagnating" in _kinds(back.update("A", {}, at=times[5]))


def test_a_state_without_steps_starts_the_stay_at_its_last_update() -> None:
    m = GroupMonitor("ppmk-ksm")
    at = _quarter_ends(1)[0]
    m.update("A", GROWTH, at=at)
    state = json.loads(json.dumps(m.export_state()))
    state["format"] = "kematangan-monitor/1"
    for group in state["groups"].values():
        del group["steps"]
    back = GroupMonitor.restore(state, "ppmk-ksm")
    assert [(s.level, s.at) for s in back.history("A")] == [("growth", at)]
