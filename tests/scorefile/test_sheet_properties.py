"""Property: a messy sheet built from clean records (headers shuffled, abbreviated,
relabelled, moved under a survey path; title rows above, totals, blank and footer
rows among and below) scores its groups exactly as the clean records, and its
mapping report accounts for every column and every field."""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kematangan import Scorer
from kematangan.criteria import load_ruleset
from kematangan.io import read_table
from kematangan.io.matching import ABBREVIATIONS, normal_form, without_notes
from kematangan.io.sinks import number_text
from kematangan.scorefile import score_table
from tests.strategies import records

RULESET = load_ruleset("ppmk-ksm")
SCORER = Scorer(RULESET)
FIELDS = [f.id for f in RULESET.fields]
_SHORT = {long: short for short, long in ABBREVIATIONS.items() if len(short) > 2}


def _unique_forms() -> dict[str, list[str]]:
    """Per field, its names whose words (any order, abbreviated) name only it."""
    owners: dict[str, set[str]] = {}
    names: dict[str, list[str]] = {}
    for f in RULESET.fields:
        for name in {f.label.id, f.label.en or f.label.id, *f.aliases}:
            for text in {name, without_notes(name)}:
                owners.setdefault(normal_form(text), set()).add(f.id)
                names.setdefault(f.id, []).append(text)
    return {f: [n for n in ns if owners[normal_form(n)] == {f}]
            for f, ns in names.items()}


FORMS = _unique_forms()


def _header(field: str, how: str, rng: random.Random, k: int) -> tuple[str, bool]:
    """A header for ``field`` written ``how``, and whether it needs the user's
    mapping (a relabelled one)."""
    spec = RULESET.field(field)
    name = rng.choice(FORMS[field]) if FORMS[field] else spec.label.id
    if how == "label":
        return spec.label.id, False
    if how == "unit":
        return f"{spec.label.id} ({spec.unit or 'isian'})", False
    if how == "path":
        return f"grp_{k}/{field}", False
    if how == "shuffled":
        words = name.replace("(", " ").replace(")", " ").split()
        rng.shuffle(words)
        return " ".join(w.upper() if rng.random() < 0.3 else w for w in words), False
    if how == "abbreviated":
        words = [_SHORT.get(w.lower(), w) for w in name.split()]
        return " ".join(words), False
    return f"Isian nomor {k} bagian {chr(65 + k % 26)}", True  # relabelled


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return number_text(value)
    return value


@given(st.lists(records(RULESET), min_size=1, max_size=6),
       st.lists(st.sampled_from(FIELDS), min_size=1, max_size=8, unique=True),
       st.lists(st.sampled_from(["label", "unit", "path", "shuffled", "abbreviated",
                                 "relabelled"]), min_size=8, max_size=8),
       st.randoms(use_true_random=False), st.booleans())
def test_messy_sheet_scores_as_its_clean_records(
        recs: list[dict[str, Any]], fields: list[str], hows: list[str],
        rng: random.Random, blank_inside: bool) -> None:
    recs = [{"group_id": f"KSM-{i + 1:02d}", **{f: r[f] for f in fields}}
            for i, r in enumerate(recs)]
    columns: list[tuple[str, str | None]] = [("No", None), ("Nama KSM", "group_id")]
    user: dict[str, str] = {}
    for k, (f, how) in enumerate(zip(fields, hows, strict=False)):
        header, mapped = _header(f, how, rng, k)
        columns.append((header, f))
        if mapped:
            user[header] = f
    columns.append(("Keterangan", None))
    rng.shuffle(columns)
    width = len(columns)
    rows: list[list[Any]] = [["REKAP KSM TRIWULAN III"] + [None] * (width - 1),
                             [None] * width, [h for h, _ in columns],
                             [f"({j + 1})" for j in range(width)]]
    for i, rec in enumerate(recs):
        rows.append([i + 1 if f is None and h == "No" else
                     _cell(rec.get(f)) if f else None for h, f in columns])
        if blank_inside and i == 0:
            rows.append([None] * width)
    total: list[Any] = [None] * width
    total[0] = "JUMLAH"
    rows += [total, [None] * width, ["Sukamaju, 30 September 2024"] + [None] * (
        width - 1), ["Mengetahui,"] + [None] * (width - 1),
        ["( Budi Santoso )"] + [None] * (width - 1)]
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "rekap.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([["" if v is None else v for v in r]
                                      for r in rows])
        table = read_table(path, RULESET, mapping=user)
    got = score_table(SCORER, table)
    want = SCORER.score_batch(recs)
    assert got.group_ids is not None
    assert got.group_ids.tolist() == [r["group_id"] for r in recs]
    assert got.stage.tolist() == want.stage.tolist()
    assert got.class_.tolist() == want.class_.tolist()
    assert got.score.tolist() == want.score.tolist()
    assert (got.raw.outcomes == want.raw.outcomes).all()
    mapping = table.mapping
    assert [c.header for c in mapping.columns] == [h for h, _ in columns]
    assert set(mapping.column_of) == {"group_id", *fields}
    assert set(mapping.missing) == set(FIELDS) - set(fields)
