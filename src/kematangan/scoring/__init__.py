"""Compile rulesets into plans and score records with them."""

from kematangan.scoring.batch import BatchResult
from kematangan.scoring.model import MaturityModel, evaluate_model
from kematangan.scoring.monitor import GroupMonitor
from kematangan.scoring.plan import Plan, compile_plan
from kematangan.scoring.result import (
    Assessment,
    CriterionResult,
    Outcome,
    RecordIssue,
    RulesetRef,
)
from kematangan.scoring.scorer import CaseFailure, Scorer, run_cases
from kematangan.scoring.synthetic import make_synthetic

__all__ = [
    "Assessment",
    "BatchResult",
    "CaseFailure",
    "CriterionResult",
    "GroupMonitor",
    "MaturityModel",
    "Outcome",
    "Plan",
    "RecordIssue",
    "RulesetRef",
    "Scorer",
    "compile_plan",
    "evaluate_model",
    "make_synthetic",
    "run_cases",
]
