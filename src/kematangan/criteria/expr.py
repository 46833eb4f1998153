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
``coalesce(x, default)`` and ``date("2024-01-31")``.

Missing values follow three-valued logic: arithmetic on a missing value is missing,
division by zero is missing, a comparison with a missing value is unknown,
``false and unknown`` is false and ``true or unknown`` is true. ``missing(x)`` and
``known(x)`` are always true or false, so a ruleset can handle missing data
explicitly.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterator, Mapping
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
    "infer_type",
    "names",
    "parse",
]

FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "coalesce": (2, 2),
    "date": (1, 1),
    "known": (1, 1),
    "max": (2, None),
    "min": (2, None),
    "missing": (1, 1),
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
            hint = " (use 'and'/'or'/'not' for logic)" if ch in "&|!" else ""
            hint = " (use '==' to compare)" if ch == "=" else hint
            raise _err(text, f"unexpected character {ch!r}{hint}", line, col)
        kind = m.lastgroup or ""
        tok = m.group()
        if kind == "ws":
            for i, c in enumerate(tok):
                if c == "\n":
                    line += 1
                    line_start = pos + i + 1
        else:
            if kind == "name" and tok in _KEYWORDS:
                kind = tok
            yield _Tok(kind, tok, line, col)
        pos = m.end()
    yield _Tok("end", "", line, len(text) - line_start + 1)


def _err(text: str, message: str, line: int, column: int) -> ExpressionError:
    lines = text.split("\n")
    shown = lines[line - 1] if 0 < line <= len(lines) else text
    return ExpressionError(message, text=shown, line=line, column=column)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = list(_tokens(text))
        self.i = 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self, *kinds: str) -> _Tok | None:
        t = self.tok
        if t.kind in kinds or (t.kind == "op" and t.text in kinds):
            self.i += 1
            return t
        return None

    def expect(self, what: str) -> _Tok:
        t = self.take(what)
        if t is None:
            raise self.fail(f"expected {what!r}")
        return t

    def fail(self, message: str) -> ExpressionError:
        t = self.tok
        found = "end of expression" if t.kind == "end" else repr(t.text)
        return _err(self.text, f"{message}, found {found}", t.line, t.column)

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.fail("empty expression")
        node = self.or_()
        if self.tok.kind != "end":
            raise self.fail("expected an operator or the end of the expression")
        return node

    def or_(self) -> Node:
        first = self.tok
        items = [self.and_()]
        while self.take("or"):
            items.append(self.and_())
        return items[0] if len(items) == 1 else Or(first.line, first.column,
                                                   tuple(items))

    def and_(self) -> Node:
        first = self.tok
        items = [self.not_()]
        while self.take("and"):
            items.append(self.not_())
        return items[0] if len(items) == 1 else And(first.line, first.column,
                                                    tuple(items))

    def not_(self) -> Node:
        t = self.take("not")
        if t:
            return Not(t.line, t.column, self.not_())
        return self.cmp()

    def cmp(self) -> Node:
        left = self.sum()
        t = self.tok
        if t.kind == "op" and t.text in ("<", "<=", ">", ">=", "==", "!="):
            self.i += 1
            right = self.sum()
            nxt = self.tok
            if nxt.kind == "op" and nxt.text in ("<", "<=", ">", ">=", "==", "!="):
                raise _err(self.text, "comparisons cannot be chained; join them with "
                           "'and'", nxt.line, nxt.column)
            return Cmp(t.line, t.column, t.text, left, right)
        negate = False
        if t.kind == "not" and self.toks[self.i + 1].kind == "in":
            self.i += 1
            negate = True
        if self.take("in"):
            self.expect("[")
            options = [self.literal()]
            while self.take(","):
                options.append(self.literal())
            self.expect("]")
            return In(t.line, t.column, left, tuple(options), negate)
        return left

    def literal(self) -> Num | Str | Bool:
        t = self.tok
        sign = -1.0 if self.take("-") else 1.0
        t = self.tok
        if self.take("num"):
            return Num(t.line, t.column, sign * float(t.text))
        if sign == 1.0 and self.take("str"):
            return Str(t.line, t.column, t.text[1:-1])
        if sign == 1.0 and (self.take("true") or self.take("false")):
            return Bool(t.line, t.column, t.kind == "true")
        raise self.fail("expected a number, a quoted text, true or false in the list")

    def sum(self) -> Node:
        node = self.term()
        while True:
            t = self.take("+", "-")
            if not t:
                return node
            node = Bin(t.line, t.column, t.text, node, self.term())

    def term(self) -> Node:
        node = self.unary()
        while True:
            t = self.take("*", "/")
            if not t:
                return node
            node = Bin(t.line, t.column, t.text, node, self.unary())

    def unary(self) -> Node:
        t = self.take("-")
        if t:
            return Neg(t.line, t.column, self.unary())
        return self.atom()

    def atom(self) -> Node:
        t = self.tok
        if self.take("num"):
            return Num(t.line, t.column, float(t.text))
        if self.take("str"):
            return Str(t.line, t.column, t.text[1:-1])
        if self.take("true") or self.take("false"):
            return Bool(t.line, t.column, t.kind == "true")
        if self.take("("):
            node = self.or_()
            self.expect(")")
            return node
        if self.take("name"):
            if self.take("("):
                return self.call(t)
            return Name(t.line, t.column, t.text)
        raise self.fail("expected a value, a name or '('")

    def call(self, name: _Tok) -> Node:
        if name.text not in FUNCTIONS:
            close = suggest(name.text, FUNCTIONS)
            hint = f" (did you mean {close!r}?)" if close else (
                f" (known: {', '.join(sorted(FUNCTIONS))})")
            raise _err(self.text, f"unknown function {name.text!r}{hint}", name.line,
                       name.column)
        args = [] if self.tok.text == ")" else [self.or_()]
        while self.take(","):
            args.append(self.or_())
        self.expect(")")
        lo, hi = FUNCTIONS[name.text]
        if len(args) < lo or (hi is not None and len(args) > hi):
            want = str(lo) if lo == hi else f"at least {lo}"
            raise _err(self.text, f"{name.text}() takes {want} argument"
                       f"{'s' if lo != 1 else ''}, got {len(args)}", name.line,
                       name.column)
        if name.text == "date":
            arg = args[0]
            if not isinstance(arg, Str):
                raise _err(self.text, 'date() takes a quoted date, e.g. '
                           'date("2024-01-31")', name.line, name.column)
            try:
                _dt.date.fromisoformat(arg.value)
            except ValueError:
                raise _err(self.text, f"{arg.value!r} is not a date; write "
                           "YYYY-MM-DD", arg.line, arg.column) from None
        return Call(name.line, name.column, name.text, tuple(args))


def parse(text: str) -> Node:
    """Parse an expression into an AST, or raise :class:`ExpressionError`.

    Examples
    --------
    >>> parse("savings / members >= 10000")
    Cmp(line=1, column=19, op='>=', left=Bin(line=1, column=9, op='/', left=Name(line=1, column=1, id='savings'), right=Name(line=1, column=11, id='members')), right=Num(line=1, column=22, value=10000.0))
    >>> parse("members >= 3 3")
    Traceback (most recent call last):
    ...
    kematangan.errors.ExpressionError: ruleset has 1 problem:
      <ruleset>: expected an operator or the end of the expression, found '3' (line 1, column 14)
        members >= 3 3
                     ^
    """
    return _Parser(text).parse()


def names(node: Node) -> set[str]:
    """Every name an expression reads.

    Examples
    --------
    >>> sorted(names(parse("max(a, b) > 2 and not missing(c)")))
    ['a', 'b', 'c']
    """
    found: set[str] = set()

    def walk(n: Node) -> None:
        if isinstance(n, Name):
            found.add(n.id)
        elif isinstance(n, Neg | Not):
            walk(n.operand)
        elif isinstance(n, Bin | Cmp):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, And | Or):
            for item in n.items:
                walk(item)
        elif isinstance(n, In):
            walk(n.operand)
        elif isinstance(n, Call):
            for arg in n.args:
                walk(arg)

    walk(node)
    return found


TypeName = str
"""``number``, ``boolean``, ``date``, ``text`` (a quoted literal) or
``category:<field id>``."""


def infer_type(
    node: Node,
    types: Mapping[str, TypeName],
    categories: Mapping[str, list[str]],
    report: Callable[[Node, str], None],
) -> TypeName:
    """Type-check ``node``; call ``report(node, message)`` for every problem.

    ``types`` maps each known name to its type; ``categories`` maps category field
    ids to their allowed values. Returns the expression's type (``"error"`` when a
    problem makes it unknowable).

    Examples
    --------
    >>> problems = []
    >>> t = infer_type(parse("usaha == 'dagang'"), {"usaha": "category:usaha"},
    ...                {"usaha": ["dagang", "jasa"]}, lambda n, m: problems.append(m))
    >>> t, problems
    ('boolean', [])
    >>> t = infer_type(parse("usaha == 'dagan'"), {"usaha": "category:usaha"},
    ...                {"usaha": ["dagang", "jasa"]}, lambda n, m: problems.append(m))
    >>> problems
    ["'dagan' is not a category of 'usaha' (did you mean 'dagang'?)"]
    """

    def check_text(cat: TypeName, lit: Node) -> None:
        if isinstance(lit, Str):
            allowed = categories.get(cat.split(":", 1)[1], [])
            if lit.value not in allowed:
                close = suggest(lit.value, allowed)
                hint = f" (did you mean {close!r}?)" if close else (
                    f" (allowed: {', '.join(allowed)})")
                report(lit, f"{lit.value!r} is not a category of "
                       f"{cat.split(':', 1)[1]!r}{hint}")

    def t(n: Node) -> TypeName:
        if isinstance(n, Num):
            return "number"
        if isinstance(n, Str):
            return "text"
        if isinstance(n, Bool):
            return "boolean"
        if isinstance(n, Name):
            if n.id not in types:
                close = suggest(n.id, types)
                hint = f" (did you mean {close!r}?)" if close else ""
                report(n, f"unknown name {n.id!r}{hint}")
                return "error"
            return types[n.id]
        if isinstance(n, Neg):
            return want(n.operand, "number", "'-'")
        if isinstance(n, Not):
            return want(n.operand, "boolean", "'not'")
        if isinstance(n, And | Or):
            word = "'and'" if isinstance(n, And) else "'or'"
            for item in n.items:
                want(item, "boolean", word)
            return "boolean"
        if isinstance(n, Bin):
            lt, rt = t(n.left), t(n.right)
            if n.op == "-" and lt == "date" and rt == "date":
                return "number"
            for side, st in ((n.left, lt), (n.right, rt)):
                if st not in ("number", "error"):
                    report(side, f"{n.op!r} needs numbers, not {_show(st)}")
            return "number"
        if isinstance(n, Cmp):
            lt, rt = t(n.left), t(n.right)
            if "error" in (lt, rt):
                return "boolean"
            if lt.startswith("category:") or rt.startswith("category:"):
                cat, other, lit = (lt, rt, n.right) if lt.startswith("category") else (
                    rt, lt, n.left)
                if n.op not in ("==", "!="):
                    report(n, "categories can only be compared with '==' or '!='; "
                           "use 'in [...]' for several values")
                elif other == "text":
                    check_text(cat, lit)
                elif other != cat:
                    report(n, f"cannot compare {_show(cat)} with {_show(other)}")
                return "boolean"
            if lt != rt:
                report(n, f"cannot compare {_show(lt)} with {_show(rt)}")
            elif lt == "text":
                report(n, "cannot compare two texts")
            elif lt == "boolean" and n.op not in ("==", "!="):
                report(n, f"{n.op!r} does not apply to true/false values")
            return "boolean"
        if isinstance(n, In):
            ot = t(n.operand)
            for opt in n.options:
                if ot.startswith("category:"):
                    if not isinstance(opt, Str):
                        report(opt, f"{_show(ot)} values are quoted texts")
                    else:
                        check_text(ot, opt)
                elif ot == "number" and not isinstance(opt, Num):
                    report(opt, "the list needs numbers")
                elif ot not in ("number", "error"):
                    report(n, f"'in' does not apply to {_show(ot)}")
                    break
            return "boolean"
        if isinstance(n, Call):
            if n.fn == "date":
                return "date"
            if n.fn in ("missing", "known"):
                arg = n.args[0]
                if not isinstance(arg, Name):
                    report(arg, f"{n.fn}() takes a field or derived name")
                else:
                    t(arg)
                return "boolean"
            if n.fn == "coalesce":
                a, b = t(n.args[0]), t(n.args[1])
                if "error" not in (a, b) and a != b:
                    report(n, f"coalesce() needs two values of one type, got "
                           f"{_show(a)} and {_show(b)}")
                return a
            for arg in n.args:
                want(arg, "number", f"{n.fn}()")
            return "number"
        raise AssertionError(f"unhandled node {n!r}")

    def want(n: Node, kind: TypeName, where: str) -> TypeName:
        got = t(n)
        if got not in (kind, "error"):
            report(n, f"{where} needs {_show(kind)}, not {_show(got)}")
        return kind

    return t(node)


def _show(type_name: TypeName) -> str:
    if type_name.startswith("category:"):
        return f"category {type_name.split(':', 1)[1]!r}"
    return {"number": "a number", "boolean": "true/false", "date": "a date",
            "text": "a quoted text"}.get(type_name, type_name)
