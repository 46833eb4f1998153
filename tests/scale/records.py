"""Seeded random records for the scale-out tests: every field type, with missing
values, values out of bounds or outside the categories, and texts for group ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from kematangan import Ruleset, Scorer, parse_ruleset

#: A ruleset with a field of every type, so each encoding is crossed by the tests.
KINDS_YAML = """
format: 1
id: scale-kinds
version: 0.3.0
title: {id: Semua jenis isian, en: Every field type}
description: {id: Ruleset uji skala., en: Test ruleset for scale-out.}
sources: [{title: kematangan test suite}]
fields:
  - {id: formed, type: boolean, label: Formed}
  - {id: members, type: integer, label: Members, min: 0, max: 200}
  - {id: repayment, type: number, label: Repayment, min: 0, max: 1}
  - {id: books, type: category, label: Books, categories: [none, partial, complete]}
  - {id: founded, type: date, label: Founded}
  - {id: market, type: boolean, label: Market}
  - {id: meetings, type: integer, label: Meetings, min: 0, max: 50}
criteria:
  - {id: formed_ok, label: Formed, stage: growth, gate: true, points: 10, boolean: {field: formed}}
  - {id: size, label: Size, stage: growth, gate: true, points: 10, range: {field: members, interval: "[5, 50]"}}
  - {id: books_ok, label: Books, stage: growth, points: 10, in_set: {field: books, values: [partial, complete]}}
  - {id: repay, label: Repay, stage: strengthening, gate: true, points: 20, threshold: {field: repayment, op: ">=", value: 0.9}}
  - {id: old_enough, label: Old, stage: strengthening, points: 10, expr: 'founded <= date("2022-01-01")'}
  - id: meets
    label: Meets
    stage: independence
    bands:
      field: meetings
      bands:
        - {interval: "[0, 3)", points: 0}
        - {interval: "[3, 10)", points: 10}
        - {interval: "[10, 50]", points: 20}
  - {id: sells, label: Sells, stage: independence, gate: true, points: 20, any_of: [market_ok, repay]}
  - {id: market_ok, label: Market, points: 0, boolean: {field: market}}
  - {id: big_books, label: Big groups keep full books, stage: strengthening, points: 10, applies_when: "members >= 20", in_set: {field: books, values: [complete]}}
stages:
  - {id: growth, label: Growth}
  - {id: strengthening, label: Strengthening}
  - {id: independence, label: Independence}
classes:
  - {id: low, label: Low, interval: "[0, 40)"}
  - {id: mid, label: Mid, interval: "[40, 70)"}
  - {id: high, label: High, interval: "[70, 110]"}
exit:
  stage: independence
  requires: [repay]
"""


def kinds_ruleset() -> Ruleset:
    """The every-type test ruleset."""
    return parse_ruleset(KINDS_YAML)


def random_table(ruleset: Ruleset, n: int, seed: int) -> Any:
    """A ``pyarrow.Table`` with ``row_id`` (unique, shuffled), ``group_id`` and one
    column per field.

    About 15% of each field is missing and 5% unusable: out of bounds, not a whole
    number, not a category, not a boolean. Booleans alternate between a boolean
    column with gaps and a 0/1/2 float column; integers between an int64 column with
    gaps and a float column with fractions; dates are date32.
    """
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    gids = np.array([f"G-{i:06d}" for i in rng.integers(0, n, n)], dtype=object)
    cols: dict[str, Any] = {
        "row_id": pa.array(rng.permutation(n).astype(np.int64) * 7 + 3),
        "group_id": pa.array(gids, pa.string(), mask=rng.random(n) < 0.05)}
    for k, f in enumerate(ruleset.fields):
        missing = rng.random(n) < 0.15
        bad = ~missing & (rng.random(n) < 0.05)
        if f.type == "boolean" and k % 2 == 0:
            cols[f.id] = pa.array(rng.random(n) < 0.6, mask=missing)
        elif f.type == "boolean":
            flags = np.where(bad, 2.0, (rng.random(n) < 0.6).astype(np.float64))
            cols[f.id] = pa.array(np.where(missing, np.nan, flags))
        elif f.type in ("integer", "number"):
            lo = f.min if f.min is not None else 0.0
            hi = f.max if f.max is not None else 100.0
            values = rng.uniform(lo, hi, n)
            values[bad] = hi + 1 + rng.integers(0, 5, n)[bad]
            if f.type == "integer" and k % 2 == 0:
                cols[f.id] = pa.array(np.floor(values).astype(np.int64), mask=missing)
                continue
            if f.type == "integer":
                values = np.floor(values) + np.where(rng.random(n) < 0.03, 0.5, 0.0)
            cols[f.id] = pa.array(np.where(missing, np.nan, values))
        elif f.type == "category":
            words = np.array([*(f.categories or []), "lainnya"], dtype=object)
            picked = words[rng.integers(0, len(words) - 1, n)]
            picked[bad] = "lainnya"
            cols[f.id] = pa.array(picked, pa.string(), mask=missing)
        else:
            days = rng.integers(10_957, 10_957 + 30 * 365, n).astype(np.int32)
            cols[f.id] = pa.array(days, pa.date32(), mask=missing)
    return pa.table(cols)


def write_folder(table: Any, folder: Path, files_per_quarter: int = 2) -> Path:
    """Write ``table`` as a hive-style folder: ``quarter=1`` and ``quarter=2``, each
    with ``files_per_quarter`` files; rows are split in order."""
    import pyarrow.parquet as pq

    parts = 2 * files_per_quarter
    size = -(-table.num_rows // parts)
    for k in range(parts):
        sub = folder / f"quarter={1 + k // files_per_quarter}"
        sub.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.slice(k * size, size), sub / f"part-{k}.parquet",
                       row_group_size=max(1, size // 3))
    return folder


Rows = dict[Any, dict[str, Any]]


def expected_rows(scorer: Scorer, table: Any, *, keep: tuple[str, ...] = ()) -> Rows:
    """What every engine must give for ``table``, keyed by ``row_id``, built from
    ``Scorer.score_batch`` and ``BatchResult``'s public columns alone."""
    batch = scorer.score_batch(table)
    cols = {k: v.tolist() for k, v in batch.columns().items()}
    cols["max_score"] = batch.max_score.tolist()
    problems = batch.issues_by_record()
    ruleset = {"ruleset_id": scorer.ruleset.id,
               "ruleset_version": scorer.ruleset.version,
               "ruleset_hash": scorer.ruleset.content_hash}
    kept = {c: table.column(c).to_pylist() for c in keep}
    out: Rows = {}
    for i, rid in enumerate(table.column("row_id").to_pylist()):
        row = {k: v[i] for k, v in cols.items()}
        row.setdefault("group_id", None)
        found = [{k: v for k, v in p.to_dict("en").items() if k != "row"}
                 for p in problems.get(i, [])]
        row["problems"] = json.loads(json.dumps(found, default=str)) or None
        row.update(ruleset)
        row.update({c: v[i] for c, v in kept.items()})
        out[rid] = row
    return out


def rows_of(result: Any, row_id: str = "row_id") -> Rows:
    """An engine's results (a ``pyarrow.Table`` or a pandas DataFrame) keyed by the
    row id, as plain Python values, with the problems' JSON parsed."""
    import pyarrow as pa

    table = (result if isinstance(result, pa.Table)
             else pa.Table.from_pandas(result, preserve_index=False))
    out: Rows = {}
    for row in table.to_pylist():
        if row.get("problems") is not None:
            row["problems"] = json.loads(row["problems"])
        out[row.pop(row_id)] = row
    return out
