"""The ruleset language: models of a ruleset file, its loader, expressions and lint.

This package says what a ruleset *means*; it never evaluates records (that is
:mod:`kematangan.scoring`).
"""

from kematangan.criteria.limits import RulesetLimits
from kematangan.criteria.loader import (
    RulesetInfo,
    bundled_ruleset_path,
    list_rulesets,
    load_ruleset,
    parse_ruleset,
    validate_ruleset,
)
from kematangan.criteria.ruleset import Criterion, FieldSpec, Ruleset
from kematangan.criteria.validity import select_ruleset, valid_on

__all__ = [
    "Criterion",
    "FieldSpec",
    "Ruleset",
    "RulesetInfo",
    "RulesetLimits",
    "bundled_ruleset_path",
    "list_rulesets",
    "load_ruleset",
    "parse_ruleset",
    "select_ruleset",
    "valid_on",
    "validate_ruleset",
]
