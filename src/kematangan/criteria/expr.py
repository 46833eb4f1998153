"""The safe expression language of derived fields and ``expr`` criteria.

Expressions are parsed into this module's own small AST; nothing is ever passed to
``eval``. The grammar, loosest binding first::

    expr  := and ("or" and)*
    and   := not ("and" not)*
    not   := "not" not | cmp
    cmp   := sum [("<" | "<=" | ">" | ">=" | "==" | "!=") sum]
           | sum ["not"] "in" "[" literal ("," literal)* "]"
    sum   := term (("+" | "-") term)*
    term  := unary (("*" | "/") unary)*
    unary := "-" unary | atom
    atom  := number | string | "true" | "false" | name
           | name "(" expr ("," expr)* ")" | "(" expr ")"

Functions: ``min``, ``max``, ``abs``, ``missing(x)``, ``known(x)``,
``coalesce(x, default)``, ``date("2024-01-31")``, and over two dates
``days_between(start, end)``, ``months_between(start, end)`` and
``years_between(start, end)`` (whole days, completed calendar months and years).

Missing values follow three-valued logic: arithmetic on a missing value is missing,
division by zero is missing, a comparison with a missing value is unknown,
``false and unknown`` is false and ``true or unknown`` is true. ``missing(x)`` and
``known(x)`` are always true or false, so a ruleset can handle missing data
explicitly.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kematangan.errors import ExpressionError, suggest

__all__ = [
    "FUNCTIONS",
    "And",
    "Bin",
    "Bool",
    "Call",
    "Cmp",
    "In",
    "Name",
    "Neg",
    "Node",
    "Not",
    "Num",
    "Or",
    "Str",
    "names",
    "parse",
]

FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "coalesce": (2, 2),
    "date": (1, 1),
    "days_between": (2, 2),
    "known": (1, 1),
    "max": (2, None),
    "min": (2, None),
    "missing": (1, 1),
    "months_between": (2, 2),
    "years_between": (2, 2),
}
"""Function name → (fewest, most) arguments; ``None`` means any number."""


@dataclass(frozen=True, slots=True)
class Node:
    """Base of AST nodes; ``line`` and ``column`` are 1-based in the expression."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Num(Node):
    value: float


@dataclass(frozen=True, slots=True)
class Str(Node):
    value: str


@dataclass(frozen=True, slots=True)
class Bool(Node):
    value: bool


@dataclass(frozen=True, slots=True)
class Name(Node):
    id: str


@dataclass(frozen=True, slots=True)
class Neg(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Bin(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Cmp(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class And(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class In(Node):
    operand: Node
    options: tuple[Num | Str | Bool, ...]
    negate: bool


@dataclass(frozen=True, slots=True)
class Call(Node):
    fn: str
    args: tuple[Node, ...]


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<str>"[^"\n]*"|'[^'\n]*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\)|\[|\]|,)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    line: int
    column: int


def _tokens(text: str) -> Iterator[_Tok]:
    pos, line, line_start = 0, 1, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        col = pos - line_start + 1
        if not m:
            ch = text[pos]
            code = ("expr_bad_char_equals" if ch == "=" else "expr_bad_char_logic"
                    if ch in "&|!" else "expr_bad_char")
            raise _err(text, code, {"char": ch}, line, col)
        kind = m.lastgroup or ""
        tok = m.group()
        if kind == "ws":
            if "\n" in tok:
                line += tok.count("\n")
                line_start = pos + tok.rfind("\n") + 1
        else:
            if kind == "name" and tok in _KEYWORDS:
                kind = tok
            yield _Tok(kind, tok, line, col)
        pos = m.end()
    yield _Tok("end", "", line, len(text) - line_start + 1)


def _err(text: str, code: str, params: dict[str, object], line: int,
         column: int) -> ExpressionError:
    lines = text.split("\n")
    shown = lines[line - 1] if 0 < line <= len(lines) else text
    return ExpressionError(code, params, text=shown, line=line, column=column)


_CMP_OPS = frozenset(("<", "<=", ">", ">=", "==", "!="))
# Binding powers, loosest first; 'not' is a prefix that binds looser than a
# comparison, so ``not a == b`` is ``not (a == b)``.
_OR, _AND, _NOT, _CMP, _SUM, _TERM = 1, 2, 3, 4, 5, 6
_INFIX = {"or": _OR, "and": _AND, "+": _SUM, "-": _SUM, "*": _TERM, "/": _TERM,
          **dict.fromkeys(_CMP_OPS, _CMP)}


class _Parser:
    """A precedence-climbing parser: each nesting level costs two Python frames,
    and more than ``max_depth`` levels is an error, never a ``RecursionError``."""

    def __init__(self, text: str, max_depth: int | None) -> None:
        self.text = text
        # Read lazily, so a parse that fails early never reads the rest.
        self.pending = _tokens(text)
        self.toks: list[_Tok] = []
        self.i = 0
        self.depth = 0
        self.max_depth = max_depth

    @property
    def tok(self) -> _Tok:
        return self.peek(0)

    def peek(self, ahead: int) -> _Tok:
        while len(self.toks) <= self.i + ahead:
            nxt = next(self.pending, None)
            if nxt is None:
                return self.toks[-1]
            self.toks.append(nxt)
        return self.toks[self.i + ahead]

    def take(self, *kinds: str) -> _Tok | None:
        t = self.tok
        if t.kind in kinds or (t.kind == "op" and t.text in kinds):
            self.i += 1
            return t
        return None

    def expect(self, token: str) -> _Tok:
        t = self.take(token)
        if t is None:
            raise self.fail("expr_expected_token", {"token": token})
        return t

    def fail(self, code: str, params: dict[str, object] | None = None
             ) -> ExpressionError:
        t = self.tok
        return _err(self.text, code, params or {}, t.line, t.column)

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.fail("expr_empty")
        node = self.expr(0)
        if self.tok.kind != "end":
            raise self.fail("expr_expected_operator")
        return node

    def binding(self) -> int:
        """How tightly the current token binds as an infix operator (0: not one)."""
        t = self.tok
        if t.kind in ("or", "and"):
            return _INFIX[t.kind]
        if t.kind == "in" or (t.kind == "not" and self.peek(1).kind == "in"):
            return _CMP
        return _INFIX.get(t.text, 0) if t.kind == "op" else 0

    def expr(self, rbp: int) -> Node:
        """An expression whose operators all bind tighter than ``rbp``."""
        self.depth += 1
        if self.max_depth is not None and self.depth > self.max_depth:
            raise self.fail("expr_too_deep", {"limit": self.max_depth})
        first = self.tok
        left = self.prefix(rbp)
        chained = self.depth
        while self.binding() > rbp:
            chained += 1  # each operator of a chain nests the tree one level deeper
            if self.max_depth is not None and chained > self.max_depth:
                raise self.fail("expr_too_deep", {"limit": self.max_depth})
            left = self.infix(left, first)
        self.depth -= 1
        return left

    def prefix(self, rbp: int) -> Node:
        t = self.tok
        if t.kind == "not" and rbp < _NOT:
            self.i += 1
            return Not(t.line, t.column, self.expr(_AND))
        if self.take("-"):
            return Neg(t.line, t.column, self.expr(_TERM))
        return self.atom()

    def infix(self, left: Node, first: _Tok) -> Node:
        t = self.tok
        power = self.binding()
        if power in (_OR, _AND):
            items = [left]
            while self.take(t.kind):
                items.append(self.expr(power))
            cls = Or if power == _OR else And
            return cls(first.line, first.column, tuple(items))
        if power == _CMP:
            node = self.comparison(left)
            if self.binding() == _CMP:
                raise self.fail("expr_chained")
            return node
        self.i += 1
        return Bin(t.line, t.column, t.text, left, self.expr(power))

    def comparison(self, left: Node) -> Node:
        t = self.tok
        if t.kind == "op":
            self.i += 1
            return Cmp(t.line, t.column, t.text, left, self.expr(_CMP))
        negate = self.take("not") is not None
        self.expect("in")
        self.expect("[")
        options = [self.literal()]
        while self.take(","):
            options.append(self.literal())
        self.expect("]")
        return In(t.line, t.column, left, tuple(options), negate)

    def number(self, t: _Tok, sign: float = 1.0) -> Num:
        value = float(t.text)
        if math.isinf(value):
            raise _err(self.text, "expr_number_too_large", {"text": t.text}, t.line,
                       t.column)
        return Num(t.line, t.column, sign * value)

    def literal(self) -> Num | Str | Bool:
        sign = -1.0 if self.take("-") else 1.0
        t = self.tok
        if self.take("num"):
            return self.number(t, sign)
        if sign == 1.0 and self.take("str"):
            return Str(t.line, t.column, t.text[1:-1])
        if sign == 1.0 and (self.take("true") or self.take("false")):
            return Bool(t.line, t.column, t.kind == "true")
        raise self.fail("expr_expected_literal")

    def atom(self) -> Node:
        t = self.tok
        if self.take("num"):
            return self.number(t)
        if self.take("str"):
            return Str(t.line, t.column, t.text[1:-1])
        if self.take("true") or self.take("false"):
            return Bool(t.line, t.column, t.kind == "true")
        if self.take("("):
            node = self.expr(0)
            self.expect(")")
            return node
        if self.take("name"):
            if self.take("("):
                return self.call(t)
            return Name(t.line, t.column, t.text)
        raise self.fail("expr_expected_value")

    def call(self, name: _Tok) -> Node:
        if name.text not in FUNCTIONS:
            close = suggest(name.text, FUNCTIONS)
            if close:
                raise _err(self.text, "expr_unknown_function_close", {
                    "name": name.text, "suggestion": close}, name.line, name.column)
            raise _err(self.text, "expr_unknown_function", {
                "name": name.text, "known": sorted(FUNCTIONS)}, name.line,
                name.column)
        args = [] if self.tok.text == ")" else [self.expr(0)]
        while self.take(","):
            args.append(self.expr(0))
        self.expect(")")
        lo, hi = FUNCTIONS[name.text]
        if len(args) < lo or (hi is not None and len(args) > hi):
            code = "expr_arg_count" if lo == hi else "expr_arg_count_min"
            raise _err(self.text, code, {"fn": name.text, "count": lo,
                                         "got": len(args)}, name.line, name.column)
        if name.text == "date":
            arg = args[0]
            if not isinstance(arg, Str):
                raise _err(self.text, "expr_date_literal", {}, name.line,
                           name.column)
            try:
                _dt.date.fromisoformat(arg.value)
            except ValueError:
                raise _err(self.text, "expr_bad_date", {"value": arg.value},
                           arg.line, arg.column) from None
        return Call(name.line, name.column, name.text, tuple(args))


def parse(text: str, *, max_depth: int | None = None) -> Node:
    """Parse an expression into an AST, or raise :class:`ExpressionError`.

    ``max_depth`` bounds how deeply the expression nests (parentheses, calls,
    ``not``, minus signs and each operator of a chain count one level); the loader
    passes :attr:`RulesetLimits.max_expression_depth
    <kematangan.criteria.limits.RulesetLimits.max_expression_depth>`. Without it,
    only Python's own recursion limit bounds the parse, still as an
    :class:`ExpressionError`.

    Examples
    --------
    >>> parse("savings / members >= 10000")
    Cmp(line=1, column=19, op='>=', left=Bin(line=1, column=9, op='/', left=Name(line=1, column=1, id='savings'), right=Name(line=1, column=11, id='members')), right=Num(line=1, column=22, value=10000.0))
    >>> parse("members >= 3 3")
    Traceback (most recent call last):
    ...
    kematangan.errors.ExpressionError: ruleset has 1 problem:
      <expression>:1:14: expected an operator or the end of the expression here (fix: join the parts with an operator (and, or, +, >=, ...))
        members >= 3 3
                     ^
    >>> parse("1 + " * 5 + "1", max_depth=3)
    Traceback (most recent call last):
    ...
    kematangan.errors.ExpressionError: ruleset has 1 problem:
      <expression>:1:11: the expression nests more than 3 levels deep (fix: split it into derived values, or raise the limit with RulesetLimits(max_expression_depth=...))
        1 + 1 + 1 + 1 + 1 + 1
                  ^
    """
    parser = _Parser(text, max_depth)
    try:
        node = parser.parse()
    except RecursionError:
        t = parser.tok
        raise _err(text, "expr_too_deep", {"limit": parser.depth}, t.line,
                   t.column) from None
    if max_depth is not None:
        _check_height(text, node, max_depth)
    return node


def _children(n: Node) -> tuple[Node, ...]:
    if isinstance(n, Neg | Not | In):
        return (n.operand,)
    if isinstance(n, Bin | Cmp):
        return (n.left, n.right)
    if isinstance(n, And | Or):
        return n.items
    if isinstance(n, Call):
        return n.args
    return ()


def _check_height(text: str, node: Node, limit: int) -> None:
    """Refuse a tree taller than ``limit``: a long chain such as ``a + b + ...``
    is parsed in a loop but walked recursively by everything that reads it."""
    stack = [(node, 1)]
    while stack:
        n, height = stack.pop()
        if height > limit:
            raise _err(text, "expr_too_deep", {"limit": limit}, n.line, n.column)
        stack.extend((c, height + 1) for c in _children(n))


def names(node: Node) -> set[str]:
    """Every name an expression reads.

    Examples
    --------
    >>> sorted(names(parse("max(a, b) > 2 and not missing(c)")))
    ['a', 'b', 'c']
    """
    found: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Name):
            found.add(n.id)
        stack.extend(_children(n))
    return found
