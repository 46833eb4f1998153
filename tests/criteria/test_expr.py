from __future__ import annotations

import pytest

from kematangan.criteria.expr import infer_type, names, parse
from kematangan.errors import ExpressionError

TYPES = {"members": "number", "books": "boolean", "usaha": "category:usaha",
         "formed": "date"}
CATS = {"usaha": ["dagang", "jasa", "produksi"]}


def type_problems(text: str) -> list[str]:
    found: list[str] = []
    infer_type(parse(text), TYPES, CATS, lambda n, m: found.append(m))
    return found


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("members >=", "expected a value", 11),
        ("members = 3", "use '==' to compare", 9),
        ("a < b < c", "cannot be chained", 7),
        ("foo(1)", "unknown function 'foo'", 1),
        ("mx(members, 1)", "did you mean 'max'", 1),
        ("x in [1, 2", "expected ']'", 11),
        ("min(1)", "at least 2 arguments", 1),
        ("a && b", "use 'and'/'or'/'not'", 3),
        ('date("2024-13-01") > formed', "is not a date", 6),
        ("(members", r"expected '\)'", 9),
        ("", "empty expression", 1),
    ],
)
def test_syntax_error_names_line_and_column(text: str, message: str, column: int) -> None:
    with pytest.raises(ExpressionError, match=message) as info:
        parse(text)
    assert info.value.expr_line == 1
    assert info.value.expr_column == column


def test_syntax_error_on_second_line_reports_line_two() -> None:
    with pytest.raises(ExpressionError) as info:
        parse("members > 3 and\n  books ==")
    assert (info.value.expr_line, info.value.expr_column) == (2, 11)


def test_names_lists_every_name_read() -> None:
    assert names(parse("max(a, b) > 2 and not missing(c) or d in [1]")) == {
        "a", "b", "c", "d"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("membrs > 3", "unknown name 'membrs' (did you mean 'members'?)"),
        ("books > true", "does not apply to true/false"),
        ("books > 1", "cannot compare true/false with a number"),
        ("usaha == 'dagan'", "did you mean 'dagang'"),
        ("usaha > 'dagang'", "only be compared with '==' or '!='"),
        ("members + books", "needs numbers"),
        ("not members", "'not' needs true/false"),
        ("members and books", "'and' needs true/false"),
        ("usaha in [1]", "quoted texts"),
        ("formed > 3", "cannot compare a date with a number"),
    ],
)
def test_type_error_is_reported(text: str, message: str) -> None:
    assert any(message in p for p in type_problems(text)), type_problems(text)


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
