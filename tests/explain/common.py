"""Shared set-up for the explain tests: bundled scorers and the all-kinds ruleset."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from kematangan import Scorer, list_rulesets

HERE = Path(__file__).resolve().parent
ALL_KINDS = HERE / "rulesets" / "all-kinds.yaml"
BUNDLED = [r.id for r in list_rulesets()]


@cache
def scorer(name: str) -> Scorer:
    """A scorer per bundled ruleset id, or ``all-kinds`` for the test ruleset."""
    return Scorer(ALL_KINDS if name == "all-kinds" else name)


def case(name: str, group_id: str) -> dict[str, Any]:
    """The record of the embedded test case of ruleset ``name`` for ``group_id``."""
    key = scorer(name).ruleset.group_id.field
    for c in scorer(name).ruleset.tests:
        if c.record.get(key) == group_id:
            return dict(c.record)
    raise KeyError(f"{name} has no test case for {group_id}")
