"""kematangan: declarative, explainable maturity scoring for community groups.

Examples
--------
>>> from kematangan import Scorer
>>> Scorer("ppmk-ksm").score({"members": 12}).stage_upper
'release'
"""

from kematangan.criteria import (
    Ruleset,
    RulesetInfo,
    list_rulesets,
    load_ruleset,
    parse_ruleset,
    validate_ruleset,
)
from kematangan.errors import (
    EngineError,
    ExpressionError,
    InputError,
    KematanganError,
    RecordError,
    RulesetError,
)
from kematangan.model import MaturityModel
from kematangan.monitor import GroupMonitor
from kematangan.problems import Problem
from kematangan.scoring import (
    Assessment,
    BatchResult,
    CaseFailure,
    CriterionResult,
    Outcome,
    RulesetRef,
    Scorer,
    run_cases,
)

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "BatchResult",
    "CaseFailure",
    "CriterionResult",
    "EngineError",
    "ExpressionError",
    "GroupMonitor",
    "InputError",
    "KematanganError",
    "MaturityModel",
    "Outcome",
    "Problem",
    "RecordError",
    "Ruleset",
    "RulesetError",
    "RulesetInfo",
    "RulesetRef",
    "Scorer",
    "list_rulesets",
    "load_ruleset",
    "parse_ruleset",
    "run_cases",
    "validate_ruleset",
]
