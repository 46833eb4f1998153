"""Hostile ruleset files end in a clear problem with bounded memory (issue 12).

All cases run in one child process whose address space is capped at 512 MiB: the
old reader needed 2.5 GB for the alias bomb and died of ``RecursionError`` on deep
nesting, so a regression shows as a crashed child, not as a slow test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = r'''
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))
from kematangan import RulesetError, load_ruleset
from kematangan.criteria import validate_ruleset
from tests.criteria.test_malformed import BASE, BOMB, LATIN1, NESTED_5000

big = BASE + "# " + "x" * (1 << 20) + "\n"
cases = {
    "alias_bomb": BOMB,
    "self_alias": "fields: &a [*a]\n",
    "nested_5000_block": NESTED_5000,
    "nested_100000_flow": "fields: " + "[" * 100_000 + "]" * 100_000,
    "latin1": LATIN1,
    "complex_key": "? [a, b]\n: 1\n",
    "expression_130_deep": BASE.replace(
        "expr: share >= 50 and legal", "expr: " + "(" * 130 + "legal" + ")" * 130),
    "expression_chain_50000": BASE.replace(
        "expr: share >= 50 and legal", "expr: " + " + ".join(["share"] * 50_000)),
    "derived_chain_50000": BASE.replace(
        "expr: repayment_rate * 100", "expr: " + " + ".join(["members"] * 50_000)),
    "constant_1e400": BASE.replace("share >= 50", "share >= 1e400"),
    "nan_threshold": BASE.replace("value: 0.9", "value: .nan"),
    "list_of_150000_values": "fields: [" + "0, " * 150_000 + "0]\n",
    "over_1_mib": big,
    "int_of_5000_digits": BASE.replace("value: 0.9", "value: " + "9" * 5000),
}
out = {}
for name, text in cases.items():
    _, found = validate_ruleset(text, name + ".yaml")
    out[name] = sorted({p.code for p in found})
print(json.dumps(out))
'''

EXPECTED = {
    "alias_bomb": "yaml_too_many_nodes",
    "self_alias": "yaml_alias_cycle",
    "nested_5000_block": "yaml_too_deep",
    # libyaml stops flow nesting at 1000 itself (a YAML error), PyYAML meets ours
    "nested_100000_flow": ("yaml_too_deep", "yaml_syntax"),
    "latin1": "file_not_utf8",
    "complex_key": "yaml_complex_key",
    "expression_130_deep": "expr_too_deep",
    "expression_chain_50000": "expr_too_deep",
    "derived_chain_50000": "expr_too_deep",
    "constant_1e400": "expr_number_too_large",
    "nan_threshold": "not_finite_number",
    "list_of_150000_values": "yaml_too_many_nodes",
    "over_1_mib": "file_too_large",
    # PyYAML's own reader raises ValueError past 4,300 digits
    "int_of_5000_digits": "not_finite_number",
}


@pytest.fixture(scope="module")
def results() -> dict[str, list[str]]:
    proc = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    found: dict[str, list[str]] = json.loads(proc.stdout)
    return found


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hostile_file_ends_in_its_problem(results: dict[str, list[str]],
                                          case: str) -> None:
    want = EXPECTED[case]
    assert set(results[case]) & ({want} if isinstance(want, str) else set(want)), (
        results[case])
