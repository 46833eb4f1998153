"""Roll-ups: member groups' results aggregated to their parent (a BKM/LKM, a
kelurahan, a Gapoktan), and parent-level rulesets scored on those aggregates."""

from kematangan.rollup.aggregate import (
    RollUp,
    default_aggregates,
    member_names,
    roll_up,
)
from kematangan.rollup.held import HeldBack, held_back, held_back_texts
from kematangan.rollup.parents import ParentResult, ParentScorer
from kematangan.rollup.workbook import RollupSummary, find_column, rollup_file

__all__ = [
    "HeldBack",
    "ParentResult",
    "ParentScorer",
    "RollUp",
    "RollupSummary",
    "default_aggregates",
    "find_column",
    "held_back",
    "held_back_texts",
    "member_names",
    "roll_up",
    "rollup_file",
]
