"""How much reading a ruleset may cost: the limits a hostile file meets first.

A ruleset file may come from anyone, so reading it is bounded before any work
starts: its size, how deeply its YAML nests, how many YAML nodes it expands to (an
alias counts every node it repeats), and how deeply an expression nests. Each limit
has a default far above what a real ruleset needs; pass a :class:`RulesetLimits` to
:func:`~kematangan.criteria.load_ruleset` (or ``parse_ruleset``/``validate_ruleset``)
to raise one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from kematangan.errors import suggest

__all__ = ["RulesetLimits", "Suggester"]


@dataclass(frozen=True, slots=True)
class RulesetLimits:
    """The limits of reading one ruleset file (see ``docs/ruleset-language.md``).

    Attributes
    ----------
    max_bytes
        Largest file size in bytes (1 MiB; the largest bundled ruleset is 45 kB).
        Text given as ``str`` is measured in characters.
    max_yaml_depth
        Deepest nesting of YAML mappings and lists (bundled rulesets: 6).
    max_yaml_nodes
        Most YAML values (mappings, lists, scalars) once every alias is expanded
        (bundled rulesets: under 3,000).
    max_expression_depth
        Deepest nesting of an expression: each pair of parentheses, function call,
        ``not``, minus sign and each operator of a chain such as ``a + b + c``
        counts one level. Far above 300 the scoring engines may exceed Python's
        own recursion limit.

    Examples
    --------
    >>> RulesetLimits().max_bytes
    1048576
    >>> RulesetLimits(max_yaml_nodes=500_000).max_yaml_nodes
    500000
    """

    max_bytes: int = 1_048_576
    max_yaml_depth: int = 50
    max_yaml_nodes: int = 100_000
    max_expression_depth: int = 100


class Suggester:
    """"Did you mean" look-ups within a budget of name comparisons.

    Each look-up compares a name with every choice, so a hostile file with
    thousands of unknown names among thousands of known ones would take quadratic
    time; past the budget, names are reported without a suggestion.

    Examples
    --------
    >>> close = Suggester(comparisons=3)
    >>> close("membrs", ["members", "savings"]), close("savngs", ["members", "savings"])
    ('members', None)
    """

    def __init__(self, comparisons: int = 100_000) -> None:
        self.left = comparisons

    def __call__(self, name: str, choices: Collection[str]) -> str | None:
        if len(choices) > self.left:
            self.left = 0
            return None
        self.left -= len(choices)
        return suggest(name, choices)
