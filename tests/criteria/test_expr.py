from __future__ import annotations

import pytest

from kematangan.criteria.expr import And, Bin, Cmp, In, Name, Neg, Not, Num, Or, parse
from kematangan.criteria.expr import names as expr_names
from kematangan.criteria.typecheck import infer_type
from kematangan.errors import ExpressionError

TYPES = {"members": "number", "books": "boolean", "usaha": "category:usaha",
         "formed": "date"}
CATS = {"usaha": ["dagang", "jasa", "produksi"]}


def type_problems(text: str) -> list[tuple[str, str]]:
    """(code, English text) of every type problem of ``text``."""
    from kematangan.catalogue import render

    found: list[tuple[str, str]] = []
    infer_type(parse(text), TYPES, CATS,
               lambda n, code, params: found.append(
                   (code, render(code, params, "en")[0])))
    return found


@pytest.mark.parametrize(
    ("text", "code", "column"),
    [
        ("members >=", "expr_expected_value", 11),
        ("members = 3", "expr_bad_char_equals", 9),
        ("a < b < c", "expr_chained", 7),
        ("a < b in [1]", "expr_chained", 7),
        ("foo(1)", "expr_unknown_function", 1),
        ("mx(members, 1)", "expr_unknown_function_close", 1),
        ("x in [1, 2", "expr_expected_token", 11),
        ("min(1)", "expr_arg_count_min", 1),
        ("abs(1, 2)", "expr_arg_count", 1),
        ("a && b", "expr_bad_char_logic", 3),
        ("a ; b", "expr_bad_char", 3),
        ('date("2024-13-01") > formed', "expr_bad_date", 6),
        ("date(formed)", "expr_date_literal", 1),
        ("(members", "expr_expected_token", 9),
        ("", "expr_empty", 1),
        ("members >= 3 3", "expr_expected_operator", 14),
        ("x in [members]", "expr_expected_literal", 7),
        ("members + not books", "expr_expected_value", 11),
        ("members > 1e400", "expr_number_too_large", 11),
        ("x in [-1e999]", "expr_number_too_large", 8),
    ],
)
def test_syntax_error_names_code_line_and_column(text: str, code: str,
                                                 column: int) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert info.value.problem.code == code
    assert (info.value.expr_line, info.value.expr_column) == (1, column)


def test_syntax_error_on_second_line_reports_line_two() -> None:
    with pytest.raises(ExpressionError) as info:
        parse("members > 3 and\n  books ==")
    assert (info.value.expr_line, info.value.expr_column) == (2, 11)


def test_syntax_error_message_points_at_the_column() -> None:
    with pytest.raises(ExpressionError) as info:
        parse("members >= 3 3")
    assert str(info.value).endswith("members >= 3 3\n                 ^")


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a or b or c", Or(1, 1, (Name(1, 1, "a"), Name(1, 6, "b"), Name(1, 11, "c")))),
        ("a and b or c", Or(1, 1, (And(1, 1, (Name(1, 1, "a"), Name(1, 7, "b"))),
                                   Name(1, 12, "c")))),
        ("not a == 1", Not(1, 1, Cmp(1, 7, "==", Name(1, 5, "a"), Num(1, 10, 1.0)))),
        ("-a * b", Bin(1, 4, "*", Neg(1, 1, Name(1, 2, "a")), Name(1, 6, "b"))),
        ("a - b - c", Bin(1, 7, "-", Bin(1, 3, "-", Name(1, 1, "a"), Name(1, 5, "b")),
                          Name(1, 9, "c"))),
        ("a + b * c", Bin(1, 3, "+", Name(1, 1, "a"),
                          Bin(1, 7, "*", Name(1, 5, "b"), Name(1, 9, "c")))),
        ("a not in [1]", In(1, 3, Name(1, 1, "a"), (Num(1, 11, 1.0),), True)),
        ("(a)", Name(1, 2, "a")),
    ],
)
def test_operators_bind_as_the_grammar_says(text: str, tree: object) -> None:
    assert parse(text) == tree


def test_names_lists_every_name_read() -> None:
    assert expr_names(parse("max(a, b) > 2 and not missing(c) or d in [1]")) == {
        "a", "b", "c", "d"}


@pytest.mark.parametrize(
    "text",
    ["(" * 130 + "1" + ")" * 130, "not " * 130 + "a", "-" * 130 + "1",
     "abs(" * 130 + "1" + ")" * 130, " + ".join(["a"] * 5000)],
)
def test_deep_expression_is_a_clean_error_at_the_limit(text: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text, max_depth=100)
    assert info.value.problem.code == "expr_too_deep"
    assert info.value.problem.params == {"limit": 100}


def test_expression_at_the_depth_limit_parses() -> None:
    assert isinstance(parse(" + ".join(["a"] * 100), max_depth=100), Bin)


def test_nesting_beyond_python_recursion_is_a_clean_error_without_a_limit() -> None:
    with pytest.raises(ExpressionError) as info:
        parse("(" * 100_000 + "1" + ")" * 100_000)
    assert info.value.problem.code == "expr_too_deep"


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("membrs > 3", "expr_unknown_name_close",
         "unknown name 'membrs' (did you mean 'members'?)"),
        ("zzz > 3", "expr_unknown_name", "unknown name 'zzz'"),
        ("books > true", "expr_boolean_order", "does not apply to true/false"),
        ("books > 1", "expr_compare_types", "cannot compare boolean with number"),
        ("usaha == 'dagan'", "category_unknown_close", "did you mean 'dagang'"),
        ("usaha == 'x'", "category_unknown", "'x' is not a category of 'usaha'"),
        ("usaha > 'dagang'", "expr_category_operator", "only be compared with"),
        ("members + books", "expr_needs", "'+' needs number, not boolean"),
        ("not members", "expr_needs", "'not' needs boolean, not number"),
        ("members and books", "expr_needs", "'and' needs boolean, not number"),
        ("usaha in [1]", "expr_list_quoted", "quoted texts"),
        ("members in ['a']", "expr_list_numbers", "the list needs numbers"),
        ("books in [1]", "expr_in_type", "'in' does not apply to boolean"),
        ("formed > 3", "expr_compare_types", "cannot compare date with number"),
        ("'a' == 'b'", "expr_compare_texts", "cannot compare two texts"),
        ("missing(1)", "expr_missing_argument", "missing() takes a field"),
        ("coalesce(members, books)", "expr_coalesce_types", "one type"),
        ("usaha == formed", "expr_compare_types", "category 'usaha' with date"),
    ],
)
def test_type_error_is_reported(text: str, code: str, message: str) -> None:
    found = type_problems(text)
    assert any(c == code and message in m for c, m in found), found


@pytest.mark.parametrize(
    "text",
    [
        "members >= 5 and books",
        "usaha in ['dagang', 'jasa']",
        "usaha != 'jasa'",
        'formed >= date("2020-01-01")',
        "formed - formed > 30",
        "coalesce(members, 0) / max(members, 1) > 0.5",
        "missing(members) or known(books)",
        "abs(-members) >= 2",
    ],
)
def test_well_typed_expression_has_no_problems(text: str) -> None:
    assert type_problems(text) == []
