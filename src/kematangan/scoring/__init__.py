"""Compile rulesets into plans and score records with them."""

from kematangan.scoring.batch import BatchResult
from kematangan.scoring.plan import Plan, compile_plan
from kematangan.scoring.result import (
    Assessment,
    CriterionResult,
    Outcome,
    RulesetRef,
)
from kematangan.scoring.scorer import CaseFailure, Scorer, run_cases

__all__ = [
    "Assessment",
    "BatchResult",
    "CaseFailure",
    "CriterionResult",
    "Outcome",
    "Plan",
    "RulesetRef",
    "Scorer",
    "compile_plan",
    "run_cases",
]
