"""Build the multi-period example: 48 KSM assessed every quarter for ten quarters.

Writes ``ppmk-ksm-riwayat.csv`` (one row per KSM per quarter, with a ``Periode``
column) and, with build_examples.py's layout, ``ppmk-ksm-riwayat.xlsx``. The
histories are drawn from a fixed seed, so the files come out the same every time:
groups that climb the ladder, groups stuck at growth or strengthening, groups that
slide back (books no longer kept, arrears, cadres leaving) and recover, late
joiners, quarters without an assessment, and a few blank cells.

    python examples/build_trend_examples.py

Each generated record is scored as it is written: the build stops if a record
does not reach the stage its story says (the ruleset changed under it).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from build_examples import build

from kematangan import Scorer

HERE = Path(__file__).resolve().parent
NAME = "ppmk-ksm-riwayat"
QUARTERS = [f"{y}Q{q}" for y in (2022, 2023, 2024) for q in (1, 2, 3, 4)][2:]
STAGES = ("growth", "strengthening", "independence", "release")

GROWTH: dict[str, Any] = {
    "formed_participatory": True, "members": 10, "members_voluntary": True,
    "meetings_last_3_months": 3, **{f"basic_rule_{i}": True for i in range(1, 6)},
    "facilitator_visits_last_3_months": 2, "admin_books_kept": False,
    "business_plan_months_since_review": 18, "works_with_other_groups": False,
    "revolving_fund_access": False, "arrears_instalments": 0, "members_saving": 3,
    "trainings_last_12_months": 0, "activity_months": 4,
    "decisions_by_musyawarah": False, "partnerships": 0, "market_access": False,
    "ppmk_capital_added": False, "own_capital_growth_pct": 0, "local_cadres": 0,
    "cadres_chosen_by_musyawarah": False, "cadres_able_to_facilitate": False,
    "legal_standing": False, "multistakeholder_cooperation": False,
}
STRENGTHENING = {**GROWTH, "admin_books_kept": True,
                 "business_plan_months_since_review": 6,
                 "works_with_other_groups": True, "revolving_fund_access": True,
                 "members_saving": 9, "trainings_last_12_months": 2,
                 "arrears_instalments": 1}
INDEPENDENCE = {**STRENGTHENING, "activity_months": 24,
                "decisions_by_musyawarah": True, "partnerships": 2,
                "market_access": True, "ppmk_capital_added": True,
                "own_capital_growth_pct": 8.5, "local_cadres": 2,
                "cadres_chosen_by_musyawarah": True, "arrears_instalments": 0}
RELEASE = {**INDEPENDENCE, "cadres_able_to_facilitate": True, "legal_standing": True,
           "multistakeholder_cooperation": True}
RECORDS = dict(zip(STAGES, (GROWTH, STRENGTHENING, INDEPENDENCE, RELEASE),
                   strict=True))
SETBACKS = {
    # what goes wrong, by the stage it knocks a group off
    "strengthening": {"admin_books_kept": False},
    "independence": {"arrears_instalments": 3},
    "release": {"cadres_able_to_facilitate": False},
}


def _climb(start: int, stays: list[int]) -> list[str]:
    """From stage ``start`` up, ``stays[k]`` quarters at each stage in turn."""
    path: list[str] = []
    for k in range(start, len(STAGES)):
        path += [STAGES[k]] * (stays[k - start] if k - start < len(stays) else 99)
    return path[:len(QUARTERS)]


def _stories(rng: random.Random) -> Iterator[tuple[str, list[str | None], int | None]]:
    """(kind, the stage of each quarter or None for "not yet formed" or a
    setback, formation year) per group."""
    for _ in range(12):  # steady climbers
        yield "climb", list(_climb(0, [rng.randint(2, 3), rng.randint(2, 3),
                                             rng.randint(2, 3)])), rng.randint(2019, 2021)
    for _ in range(6):  # fast: strengthening from the start, a long stay at release
        yield "fast", list(_climb(1, [1, 2])), rng.randint(2018, 2020)
    for _ in range(8):  # stuck at growth
        yield "stuck", ["growth"] * len(QUARTERS), rng.randint(2021, 2022)
    for _ in range(5):  # stuck at strengthening
        yield "stuck", ["growth", *["strengthening"] * (len(QUARTERS) - 1)], 2021
    for stage in ("strengthening", "independence", "release"):
        for _ in range(4 if stage != "release" else 3):  # a setback, then recovery
            path: list[str | None] = list(_climb(STAGES.index(stage) - 1,
                                                 [2, 9]))
            at = rng.randint(4, 6)
            length = rng.randint(1, 3)
            for q in range(at, min(at + length, len(QUARTERS))):
                path[q] = None  # the setback
            yield f"setback:{stage}", path, rng.choice([2019, 2020, None])
    for _ in range(6):  # late joiners
        start = rng.randint(3, 5)
        path = [None] * start + list(_climb(0, [3, 3]))[: len(QUARTERS) - start]
        yield "late", path, 2023


def _record(stage: str, base: dict[str, Any]) -> dict[str, Any]:
    record = dict(RECORDS[stage])
    record["members"] = base["members"]
    record["members_saving"] = (base["members"] if stage != "growth" else 2)
    record["meetings_last_3_months"] = base["meetings"]
    return record


def histories(seed: int = 16) -> list[dict[str, Any]]:
    """The example's rows, checked against the ruleset."""
    rng = random.Random(seed)
    scorer = Scorer("ppmk-ksm")
    rows: list[dict[str, Any]] = []
    for n, (kind, path, year) in enumerate(_stories(rng), start=1):
        gid = f"KSM-{n:03d}"
        base = {"members": rng.randint(6, 25), "meetings": rng.randint(3, 9)}
        skip = set(rng.sample(range(2, len(QUARTERS)), rng.randint(1, 2))) if (
            n % 4 == 0) else set()
        for q, stage in enumerate(path):
            if stage is None and kind.startswith("setback"):
                lost = kind.split(":")[1]
                record = {**_record(lost, base), **SETBACKS[lost]}
                # arrears fail a strengthening gate: back to growth
                want = "independence" if lost == "release" else "growth"
            elif stage is None:
                continue  # not yet formed
            else:
                record, want = _record(stage, base), stage
            if q in skip:
                continue
            if n % 9 == 0 and q == len(path) - 2:
                record["members_saving"] = None  # a blank cell
                want = None
            got = scorer.score(record).stage
            if want is not None and got != want:
                raise SystemExit(f"{gid} {QUARTERS[q]}: expected {want}, got {got}")
            rows.append({"group_id": gid, "period": QUARTERS[q], **record,
                         "formed_year": year})
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def write(rows: list[dict[str, Any]], folder: Path = HERE) -> Path:
    """The rows as ``NAME.csv`` in ``folder``, with Indonesian headers."""
    rs = Scorer("ppmk-ksm").ruleset
    names = {"group_id": "Kode KSM", "period": "Periode",
             **{f.id: f.label.get("id") for f in rs.fields}}
    path = folder / f"{NAME}.csv"
    with path.open("w", encoding="utf-8", newline="") as fp:
        out = csv.writer(fp)
        out.writerow(names[k] for k in rows[0])
        for row in rows:
            out.writerow(_cell(v) for v in row.values())
    return path


if __name__ == "__main__":
    csv_path = write(histories())
    print(csv_path)
    print(build(csv_path))
