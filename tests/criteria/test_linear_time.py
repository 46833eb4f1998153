"""Every pattern applied to ruleset text runs in linear time (issue 12).

Each case times an adversarial input and one ten times larger; linear work takes
about ten times as long, quadratic work a hundred. The bound is a generous ratio,
never a fixed time, so a busy machine does not fail it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from kematangan.criteria import validate_ruleset
from kematangan.criteria.expr import parse
from kematangan.criteria.ruleset import Interval
from kematangan.criteria.source import read_yaml
from kematangan.errors import ExpressionError


def _seconds(work: Callable[[str], object], text: str) -> float:
    """The best of three timings of ``work(text)``."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        try:
            work(text)
        except (ValueError, ExpressionError):
            pass
        best = min(best, time.perf_counter() - start)
    return best


CASES: dict[str, tuple[Callable[[int], str], Callable[[str], object]]] = {
    "interval_digits": (lambda n: "[0, " + "1" * n + "x", Interval.parse),
    "interval_spaces": (lambda n: "[" + " " * n + "x", Interval.parse),
    "expression_digits": (lambda n: "1" * n + "e+", parse),
    "expression_unclosed_text": (lambda n: "a == '" + "x" * n, parse),
    "expression_many_tokens": (lambda n: "a + " * n + "1", parse),
    "yaml_long_integer": (lambda n: "v: " + "1_" * n + "x\n", read_yaml),
    "yaml_sexagesimal": (lambda n: "v: 1" + ":1" * n + "x\n", read_yaml),
    "yaml_long_float": (lambda n: "v: 1." + "1" * n + "e\n", read_yaml),
    "ruleset_many_unknown_names": (
        lambda n: "id: x\nversion: 1.0.0\ntitle: X\ndescription: X\n"
        "sources: [{title: t}]\nfields:\n" + "".join(
            f"  - {{id: f{i}, type: number, label: F}}\n" for i in range(n // 20))
        + "criteria:\n" + "".join(
            f"  - {{id: c{i}, label: C, threshold: {{field: g{i}, op: '>', "
            "value: 1}}\n" for i in range(n // 20)),
        validate_ruleset),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_adversarial_input_takes_linear_time(case: str) -> None:
    make, work = CASES[case]
    small, large = (_seconds(work, make(n)) for n in (2_000, 20_000))
    assert large < 40 * small + 0.05, (small, large)
