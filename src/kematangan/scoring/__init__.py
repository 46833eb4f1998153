"""Compile rulesets into plans and score records with them.

This package's public surface is what the layers above (explanations, file
scoring, the command line) use; they do not reach into its modules.
"""

from kematangan.scoring.batch import BatchResult
from kematangan.scoring.plan import CriterionStep, Plan, compile_plan
from kematangan.scoring.result import (
    Assessment,
    CriterionResult,
    Outcome,
    RowResult,
    RulesetRef,
    decode_value,
)
from kematangan.scoring.scorer import CaseFailure, EngineName, Scorer, run_cases

__all__ = [
    "Assessment",
    "BatchResult",
    "CaseFailure",
    "CriterionResult",
    "CriterionStep",
    "EngineName",
    "Outcome",
    "Plan",
    "RowResult",
    "RulesetRef",
    "Scorer",
    "compile_plan",
    "decode_value",
    "run_cases",
]
