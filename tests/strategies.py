"""Hypothesis strategies derived from a ruleset's fields."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from hypothesis import strategies as st

from kematangan.criteria.ruleset import FieldSpec, Ruleset


def _cut_points(ruleset: Ruleset, field_id: str) -> list[float]:
    """Thresholds the ruleset compares this field with, so boundaries get hit."""
    cuts: list[float] = []
    for c in ruleset.criteria:
        if c.threshold is not None and c.threshold.field == field_id:
            cuts.append(c.threshold.value)
        if c.range is not None and c.range.field == field_id:
            cuts += [c.range.interval.low, c.range.interval.high]
        if c.bands is not None and c.bands.field == field_id:
            for b in c.bands.bands:
                cuts += [b.interval.low, b.interval.high]
        if c.score is not None and c.score.field == field_id and c.score.met_at:
            cuts.append(c.score.met_at)
    return [x for x in cuts if math.isfinite(x)]


def valid_value(ruleset: Ruleset, f: FieldSpec) -> st.SearchStrategy[Any]:
    """A valid value for field ``f`` (within bounds and categories)."""
    if f.type == "boolean":
        return st.booleans()
    if f.type == "category":
        return st.sampled_from(f.categories or [])
    if f.type == "date":
        return st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31))
    lo = f.min if f.min is not None else -1e6
    hi = f.max if f.max is not None else 1e6
    cuts = [x for x in _cut_points(ruleset, f.id) if lo <= x <= hi]
    if f.type == "integer":
        ilo, ihi = math.ceil(lo), math.floor(hi)
        near = [int(x) + d for x in cuts for d in (-1, 0, 1)
                if ilo <= int(x) + d <= ihi]
        base = st.integers(ilo, min(ihi, ilo + 200))
        return st.one_of(base, st.sampled_from(near)) if near else base
    near_f = [x + d for x in cuts for d in (-1e-9, 0.0, 1e-9) if lo <= x + d <= hi]
    base_f = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    return st.one_of(base_f, st.sampled_from(near_f)) if near_f else base_f


def records(ruleset: Ruleset, *, missing: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Records with valid values; each field may be missing when ``missing``."""
    parts = {}
    for f in ruleset.fields:
        value = valid_value(ruleset, f)
        parts[f.id] = st.one_of(st.none(), value) if missing else value
    return st.fixed_dictionaries(parts)
