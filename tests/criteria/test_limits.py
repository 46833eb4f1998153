"""Reading limits: each has a default, refuses past it, and can be raised."""

from __future__ import annotations

from pathlib import Path

import pytest

from kematangan import RulesetError, RulesetLimits, load_ruleset, parse_ruleset
from kematangan.criteria import validate_ruleset
from tests.criteria.test_malformed import BASE


def only_code(text: str | bytes, limits: RulesetLimits | None = None) -> str:
    _, found = validate_ruleset(text, "r.yaml", limits=limits)
    assert len(found) == 1, [str(p) for p in found]
    return found[0].code


def test_defaults_are_documented_values() -> None:
    limits = RulesetLimits()
    assert (limits.max_bytes, limits.max_yaml_depth, limits.max_yaml_nodes,
            limits.max_expression_depth) == (1_048_576, 50, 100_000, 100)


def test_file_over_the_size_limit_is_refused() -> None:
    assert only_code(BASE, RulesetLimits(max_bytes=100)) == "file_too_large"


def test_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path
                                                                ) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:  # sparse: the size is real, the bytes never read
        fh.seek(RulesetLimits().max_bytes)
        fh.write(b"\n")
    with pytest.raises(RulesetError, match="above the limit of 1048576") as info:
        load_ruleset(path)
    assert info.value.problems[0].code == "file_too_large"


def test_size_limit_can_be_raised(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(BASE, encoding="utf-8")
    with pytest.raises(RulesetError):
        load_ruleset(path, limits=RulesetLimits(max_bytes=100))
    assert load_ruleset(path, limits=RulesetLimits(max_bytes=10_000)).id == "demo"


ALIASED = BASE.replace("label: Anggota cukup", "label: &same Anggota cukup").replace(
    "label: Lancar", "label: *same")


def test_aliases_within_the_node_limit_are_read() -> None:
    rs = parse_ruleset(ALIASED)
    assert rs.criterion("repaying").label == rs.criterion("enough_members").label


def test_node_limit_counts_every_node_an_alias_repeats() -> None:
    assert only_code(ALIASED, RulesetLimits(max_yaml_nodes=150)) == (
        "yaml_too_many_nodes")


def test_node_limit_can_be_raised() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [" + ", ".join(
        ["*a"] * 10) + "]\nc: [" + ", ".join(["*b"] * 10) + "]\n"
    assert only_code(bomb, RulesetLimits(max_yaml_nodes=1000)) == (
        "yaml_too_many_nodes")
    # with the limit raised the file is read, so its real problems show instead
    _, found = validate_ruleset(bomb, limits=RulesetLimits(max_yaml_nodes=2000))
    assert found and "yaml_too_many_nodes" not in {p.code for p in found}


def test_depth_limit_can_be_raised() -> None:
    deep = BASE.replace("description: Demo", "description: {id: Demo, en: " +
                        "[" * 60 + "x" + "]" * 60 + "}")
    assert only_code(deep) == "yaml_too_deep"
    assert only_code(deep, RulesetLimits(max_yaml_depth=70)) == "not_text"


def test_expression_depth_limit_can_be_raised() -> None:
    deep = BASE.replace("expr: share >= 50 and legal",
                        "expr: " + "(" * 120 + "legal" + ")" * 120)
    assert only_code(deep) == "expr_too_deep"
    rs = parse_ruleset(deep, limits=RulesetLimits(max_expression_depth=150))
    assert rs.criterion("good_share").expr is not None


def test_file_that_is_not_utf8_names_the_byte_and_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASE.replace("Anggota cukup", "Anggota cukup caf\xe9").encode(
        "latin-1"))
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.params["byte"]) == (
        "file_not_utf8", 16, "0xE9")
    assert "save the file as UTF-8" in problem.fix("en")


def test_utf8_byte_order_mark_is_accepted() -> None:
    assert parse_ruleset(b"\xef\xbb\xbf" + BASE.encode()).id == "demo"


def test_missing_file_is_a_ruleset_error(tmp_path: Path) -> None:
    with pytest.raises(RulesetError) as info:
        load_ruleset(tmp_path / "nope.yaml")
    assert info.value.problems[0].code == "ruleset_file_missing"
