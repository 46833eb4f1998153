"""kematangan: declarative, explainable maturity scoring for community groups.

Examples
--------
>>> from kematangan import Scorer
>>> Scorer("ppmk-ksm").score({"members": 12}).stage_upper
'release'
"""

# The public names are imported on first use (module-level ``__getattr__``), so
# ``import kematangan`` and ``kematangan --help`` stay fast: neither pydantic nor
# numpy is loaded until a name that needs them is used. To export a name, add it to
# the TYPE_CHECKING imports (what type checkers see), to ``_SOURCES`` (where it is
# imported from at run time) and to ``__all__``; tests/test_public_api.py checks
# that the three agree.

import importlib
import typing

if typing.TYPE_CHECKING:
    from kematangan.criteria import (
        Ruleset,
        RulesetInfo,
        RulesetLimits,
        list_rulesets,
        load_ruleset,
        parse_ruleset,
        select_ruleset,
        validate_ruleset,
    )
    from kematangan.errors import (
        CalibrationDataWarning,
        EngineError,
        ExpressionError,
        InputError,
        KematanganError,
        ModelError,
        ModelNotFittedError,
        ModelRulesetMismatchError,
        RecordError,
        RulesetError,
    )
    from kematangan.io import ColumnMapping, MappedColumns, map_columns
    from kematangan.model import MaturityModel
    from kematangan.monitor import GroupMonitor
    from kematangan.problems import Problem
    from kematangan.rollup import ParentScorer, RollUp, roll_up
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
    from kematangan.trajectory import Trajectories, score_history

__version__ = "0.2.0"

__all__ = [
    "Assessment",
    "BatchResult",
    "CalibrationDataWarning",
    "CaseFailure",
    "ColumnMapping",
    "CriterionResult",
    "EngineError",
    "ExpressionError",
    "GroupMonitor",
    "InputError",
    "KematanganError",
    "MappedColumns",
    "MaturityModel",
    "ModelError",
    "ModelNotFittedError",
    "ModelRulesetMismatchError",
    "Outcome",
    "ParentScorer",
    "Problem",
    "RecordError",
    "RollUp",
    "Ruleset",
    "RulesetError",
    "RulesetInfo",
    "RulesetLimits",
    "RulesetRef",
    "Scorer",
    "Trajectories",
    "list_rulesets",
    "load_ruleset",
    "map_columns",
    "parse_ruleset",
    "roll_up",
    "run_cases",
    "score_history",
    "select_ruleset",
    "validate_ruleset",
]

_SOURCES = {
    "kematangan.criteria": ("Ruleset", "RulesetInfo", "RulesetLimits", "list_rulesets",
                            "load_ruleset", "parse_ruleset", "select_ruleset",
                            "validate_ruleset"),
    "kematangan.errors": ("CalibrationDataWarning", "EngineError", "ExpressionError",
                          "InputError", "KematanganError", "ModelError",
                          "ModelNotFittedError", "ModelRulesetMismatchError",
                          "RecordError", "RulesetError"),
    "kematangan.io": ("ColumnMapping", "MappedColumns", "map_columns"),
    "kematangan.model": ("MaturityModel",),
    "kematangan.monitor": ("GroupMonitor",),
    "kematangan.problems": ("Problem",),
    "kematangan.rollup": ("ParentScorer", "RollUp", "roll_up"),
    "kematangan.trajectory": ("Trajectories", "score_history"),
    "kematangan.scoring": ("Assessment", "BatchResult", "CaseFailure",
                           "CriterionResult", "Outcome", "RulesetRef", "Scorer",
                           "run_cases"),
}
_MODULE_OF = {name: module for module, names in _SOURCES.items() for name in names}


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'kematangan' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULE_OF})
