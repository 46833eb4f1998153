"""Type-checking of expressions: what type each part has, and what does not fit.

Types are named as the ruleset language names them: ``number``, ``boolean``,
``date``, ``text`` (a quoted literal) and ``category:<field id>``; ``error`` stands
for a part whose type a problem already made unknowable.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from kematangan.criteria.expr import (
    And,
    Bin,
    Bool,
    Call,
    Cmp,
    In,
    Name,
    Neg,
    Node,
    Not,
    Num,
    Or,
    Str,
)
from kematangan.errors import suggest

__all__ = ["Report", "Suggest", "TypeName", "infer_type", "show_type"]

TypeName = str
"""``number``, ``boolean``, ``date``, ``text``, ``category:<field id>`` or ``error``."""


Report = Callable[[Node, str, dict[str, object]], None]
"""Called with the node, the problem code and its parameters."""

Suggest = Callable[[str, Collection[str]], "str | None"]
"""Finds the closest of some names ("did you mean")."""


def infer_type(
    node: Node,
    types: Mapping[str, TypeName],
    categories: Mapping[str, list[str]],
    report: Report,
    suggest: Suggest = suggest,
) -> TypeName:
    """Type-check ``node``; call ``report(node, code, params)`` for every problem.

    ``types`` maps each known name to its type; ``categories`` maps category field
    ids to their allowed values; ``suggest`` finds the closest known name. Returns
    the expression's type (``"error"`` when a problem makes it unknowable).

    Examples
    --------
    >>> from kematangan.criteria.expr import parse
    >>> problems = []
    >>> report = lambda n, code, params: problems.append((code, params))
    >>> infer_type(parse("usaha == 'dagang'"), {"usaha": "category:usaha"},
    ...            {"usaha": ["dagang", "jasa"]}, report), problems
    ('boolean', [])
    >>> t = infer_type(parse("usaha == 'dagan'"), {"usaha": "category:usaha"},
    ...                {"usaha": ["dagang", "jasa"]}, report)
    >>> problems
    [('category_unknown_close', {'value': 'dagan', 'field': 'usaha', 'suggestion': 'dagang'})]
    """
    return _Types(types, categories, report, suggest).of(node)


def show_type(type_name: TypeName) -> str:
    """A type as messages name it: ``number``, ``category 'usaha'``.

    Examples
    --------
    >>> show_type("category:usaha"), show_type("boolean")
    ("category 'usaha'", 'boolean')
    """
    if type_name.startswith("category:"):
        return f"category {type_name.split(':', 1)[1]!r}"
    return type_name


class _Types:
    def __init__(self, types: Mapping[str, TypeName],
                 categories: Mapping[str, list[str]], report: Report,
                 suggest: Suggest) -> None:
        self.types = types
        self.categories = categories
        self.report = report
        self.suggest = suggest

    def check_text(self, cat: TypeName, lit: Node) -> None:
        if not isinstance(lit, Str):
            return
        field = cat.split(":", 1)[1]
        allowed = self.categories.get(field, [])
        if lit.value not in allowed:
            close = self.suggest(lit.value, allowed)
            if close:
                self.report(lit, "category_unknown_close", {
                    "value": lit.value, "field": field, "suggestion": close})
            else:
                self.report(lit, "category_unknown", {
                    "value": lit.value, "field": field, "allowed": allowed})

    def want(self, n: Node, kind: TypeName, where: str) -> TypeName:
        got = self.of(n)
        if got not in (kind, "error"):
            self.report(n, "expr_needs", {"where": where, "want": show_type(kind),
                                          "got": show_type(got)})
        return kind

    def of(self, n: Node) -> TypeName:
        if isinstance(n, Num):
            return "number"
        if isinstance(n, Str):
            return "text"
        if isinstance(n, Bool):
            return "boolean"
        if isinstance(n, Name):
            return self.name(n)
        if isinstance(n, Neg):
            return self.want(n.operand, "number", "'-'")
        if isinstance(n, Not):
            return self.want(n.operand, "boolean", "'not'")
        if isinstance(n, And | Or):
            word = "'and'" if isinstance(n, And) else "'or'"
            for item in n.items:
                self.want(item, "boolean", word)
            return "boolean"
        if isinstance(n, Bin):
            return self.arithmetic(n)
        if isinstance(n, Cmp):
            return self.comparison(n)
        if isinstance(n, In):
            return self.membership(n)
        if isinstance(n, Call):
            return self.call(n)
        raise AssertionError(f"unhandled node {n!r}")

    def name(self, n: Name) -> TypeName:
        if n.id in self.types:
            return self.types[n.id]
        close = self.suggest(n.id, list(self.types))
        if close:
            self.report(n, "expr_unknown_name_close", {"name": n.id,
                                                       "suggestion": close})
        else:
            self.report(n, "expr_unknown_name", {"name": n.id})
        return "error"

    def arithmetic(self, n: Bin) -> TypeName:
        lt, rt = self.of(n.left), self.of(n.right)
        if n.op == "-" and lt == "date" and rt == "date":
            return "number"
        for side, st in ((n.left, lt), (n.right, rt)):
            if st not in ("number", "error"):
                self.report(side, "expr_needs", {"where": repr(n.op),
                                                 "want": "number",
                                                 "got": show_type(st)})
        return "number"

    def comparison(self, n: Cmp) -> TypeName:
        lt, rt = self.of(n.left), self.of(n.right)
        if "error" in (lt, rt):
            return "boolean"
        if lt.startswith("category:") or rt.startswith("category:"):
            cat, other, lit = (lt, rt, n.right) if lt.startswith("category") else (
                rt, lt, n.left)
            if n.op not in ("==", "!="):
                self.report(n, "expr_category_operator", {})
            elif other == "text":
                self.check_text(cat, lit)
            elif other != cat:
                self.report(n, "expr_compare_types", {"left": show_type(cat),
                                                      "right": show_type(other)})
            return "boolean"
        if lt != rt:
            self.report(n, "expr_compare_types", {"left": show_type(lt),
                                                  "right": show_type(rt)})
        elif lt == "text":
            self.report(n, "expr_compare_texts", {})
        elif lt == "boolean" and n.op not in ("==", "!="):
            self.report(n, "expr_boolean_order", {"op": n.op})
        return "boolean"

    def membership(self, n: In) -> TypeName:
        ot = self.of(n.operand)
        for opt in n.options:
            if ot.startswith("category:"):
                if not isinstance(opt, Str):
                    self.report(opt, "expr_list_quoted", {"type": show_type(ot)})
                else:
                    self.check_text(ot, opt)
            elif ot == "number" and not isinstance(opt, Num):
                self.report(opt, "expr_list_numbers", {})
            elif ot not in ("number", "error"):
                self.report(n, "expr_in_type", {"type": show_type(ot)})
                break
        return "boolean"

    def call(self, n: Call) -> TypeName:
        if n.fn == "date":
            return "date"
        if n.fn in ("days_between", "months_between", "years_between"):
            for arg in n.args:
                self.want(arg, "date", f"{n.fn}()")
            return "number"
        if n.fn in ("missing", "known"):
            arg = n.args[0]
            if not isinstance(arg, Name):
                self.report(arg, "expr_missing_argument", {"fn": n.fn})
            else:
                self.of(arg)
            return "boolean"
        if n.fn == "coalesce":
            a, b = self.of(n.args[0]), self.of(n.args[1])
            if "error" not in (a, b) and a != b:
                self.report(n, "expr_coalesce_types", {"left": show_type(a),
                                                       "right": show_type(b)})
            return a
        for arg in n.args:
            self.want(arg, "number", f"{n.fn}()")
        return "number"
