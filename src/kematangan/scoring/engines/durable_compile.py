"""durable-rules conditions and their compilation, in plain Python.

The neutral condition tree the durable engine is written in (:class:`Compare`,
:class:`OneOf`, :class:`IsMissing`, :class:`AllOf`, :class:`AnyOf`,
:class:`Negate`), how values are written for durable, and :func:`compile_ruleset`,
which turns named conditions into the JSON ruleset durable-rules 2.0.28 takes.
Nothing here imports durable: :mod:`kematangan.scoring.engines.durable_host` runs
what this module compiles.

Value encoding
--------------
=========================  ===================================================
Python / numpy value       sent to durable as
=========================  ===================================================
``None``, NaN, NaT         attribute omitted (missing)
``bool``, ``numpy.bool_``  ``true`` / ``false`` (durable compares them as 1 / 0)
int, ``numpy.integer``     integer; beyond int64 as a float
float, ``numpy.floating``  the shortest repr that round-trips, with ``.0`` added
                           before a bare exponent (``1e-05`` → ``1.0e-05``);
                           float32 is widened exactly; ±inf → ±max float
``str``                    JSON string (compared bytewise, UTF-8)
``datetime.date``          POSIX seconds of midnight UTC, an integer
``datetime.datetime``,     POSIX seconds, UTC (naive values are taken as UTC),
``numpy.datetime64``       integer when whole, else a float (microseconds)
=========================  ===================================================

Dates and datetimes share one scale, so a date compares correctly with a datetime.
Rule literals are encoded the same way as record values.

Limits of durable-rules 2.0.28 the compilation respects
--------------------------------------------------------
* at most about 15 ``$and``/``$or`` per durable rule (error 113), and an ``$or``
  fires once per true branch, so conditions are compiled to disjunctive normal
  form, one durable rule per distinct conjunction;
* at most 252 attributes per fact, and attribute names are matched by a 32-bit
  FNV-1 hash, so only the fields the rules read are sent and their hashes are
  checked for collisions.

Examples
--------
>>> encode_value(1e-05)
'1.0e-05'
>>> encode_value(np.float32(0.5)), encode_value(np.int64(7)), encode_value(np.bool_(1))
('0.5', '7', 'true')
>>> encode_value(float("nan")) is None
True
>>> encode_value(datetime.date(1970, 1, 2))
'86400'
"""


from __future__ import annotations

import datetime
import itertools
import json
import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias, cast

import numpy as np

from kematangan.errors import EngineError, RulesetError

__all__ = [
    "BACKEND",
    "MARKER",
    "AllOf",
    "AnyOf",
    "Compare",
    "CompareOp",
    "CompiledRuleset",
    "Condition",
    "IsMissing",
    "Negate",
    "OneOf",
    "Scalar",
    "compile_ruleset",
    "condition_fits",
    "encode_value",
]

BACKEND: Final = "durable-rules"
"""Name given to :class:`~kematangan.errors.EngineError` raised here."""

CompareOp: TypeAlias = Literal["eq", "ne", "lt", "le", "gt", "ge"]
"""Comparison operators of :class:`Compare`."""

Scalar: TypeAlias = bool | int | float | str | datetime.date | np.generic
"""Literal values accepted in conditions (and, with ``None``, in records)."""

_OPS: Final[dict[str, str]] = {
    "eq": "$eq",
    "ne": "$neq",
    "lt": "$lt",
    "le": "$lte",
    "gt": "$gt",
    "ge": "$gte",
}
_NEGATED: Final[dict[str, str]] = {
    "$eq": "$neq",
    "$neq": "$eq",
    "$lt": "$gte",
    "$lte": "$gt",
    "$gt": "$lte",
    "$gte": "$lt",
    "$ex": "$nex",
    "$nex": "$ex",
}
_FIELD_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
MARKER: Final = "__kematangan__"
"""An attribute every record fact carries (the empty conjunction matches it)."""
_RESERVED: Final = frozenset({"sid", "id", MARKER})
_MAX_FIELDS: Final = 250
_MAX_DURABLE_RULES: Final = 4000
_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1
_EPOCH_DATE: Final = datetime.date(1970, 1, 1)
_EPOCH: Final = datetime.datetime(1970, 1, 1)
_US_PER_S: Final = 1_000_000



# --------------------------------------------------------------------------------
# Conditions


@dataclass(frozen=True, slots=True)
class Compare:
    """``field op value``: true, false, or unknown when the field is missing.

    Parameters
    ----------
    field : str
        Attribute name: ASCII letters, digits and ``_``, not starting with a digit;
        ``sid`` and ``id`` are reserved by durable.
    op : {"eq", "ne", "lt", "le", "gt", "ge"}
        Comparison operator.
    value : Scalar
        Literal; ``None``, NaN and NaT are refused. Mixed types (a string field
        against a number) are compared by durable as text; avoid them.

    Examples
    --------
    >>> Compare("members", "ge", 10)
    Compare(field='members', op='ge', value=10)
    """

    field: str
    op: CompareOp
    value: Scalar

    def __post_init__(self) -> None:
        _check_field(self.field)
        if self.op not in _OPS:
            raise RulesetError(f"unknown comparison operator {self.op!r}")
        _literal(self.value, self.field)


@dataclass(frozen=True, slots=True)
class OneOf:
    """``field in values``: true if the field equals one of ``values``.

    Parameters
    ----------
    field : str
        Attribute name, as for :class:`Compare`.
    values : tuple of Scalar
        Candidate literals; may be empty (then the test is false, or unknown when
        the field is missing).

    Examples
    --------
    >>> OneOf("status", ("aktif", "mandiri")).values
    ('aktif', 'mandiri')
    """

    field: str
    values: tuple[Scalar, ...]

    def __post_init__(self) -> None:
        _check_field(self.field)
        object.__setattr__(self, "values", tuple(self.values))
        for value in self.values:
            _literal(value, self.field)


@dataclass(frozen=True, slots=True)
class IsMissing:
    """True when the field is missing (absent, ``None``, NaN or NaT), else false.

    Examples
    --------
    >>> Negate(IsMissing("members"))  # the field is known
    Negate(term=IsMissing(field='members'))
    """

    field: str

    def __post_init__(self) -> None:
        _check_field(self.field)


@dataclass(frozen=True, slots=True, init=False)
class AllOf:
    """Conjunction of its terms; ``AllOf()`` is true.

    Examples
    --------
    >>> AllOf(Compare("a", "gt", 1), IsMissing("b")).terms[1]
    IsMissing(field='b')
    """

    terms: tuple[Condition, ...]

    def __init__(self, *terms: Condition) -> None:
        object.__setattr__(self, "terms", terms)


@dataclass(frozen=True, slots=True, init=False)
class AnyOf:
    """Disjunction of its terms; ``AnyOf()`` is false.

    Examples
    --------
    >>> len(AnyOf(Compare("a", "gt", 1), Compare("a", "lt", -1)).terms)
    2
    """

    terms: tuple[Condition, ...]

    def __init__(self, *terms: Condition) -> None:
        object.__setattr__(self, "terms", terms)


@dataclass(frozen=True, slots=True)
class Negate:
    """Logical negation; the negation of unknown is unknown.

    Examples
    --------
    >>> Negate(Compare("arrears", "ge", 3)).term.op
    'ge'
    """

    term: Condition


Condition: TypeAlias = Compare | OneOf | IsMissing | AllOf | AnyOf | Negate
"""A condition tree."""


def _check_field(name: str) -> None:
    if not isinstance(name, str) or not _FIELD_RE.match(name):
        raise RulesetError(
            f"field name {name!r} is not usable with durable-rules: use ASCII "
            "letters, digits and '_', not starting with a digit"
        )
    if name in _RESERVED:
        raise RulesetError(f"field name {name!r} is reserved by durable-rules")


def _literal(value: object, field: str) -> str:
    try:
        text = encode_value(value)
    except (TypeError, ValueError) as exc:
        raise RulesetError(f"literal for {field!r}: {exc}") from None
    if text is None:
        raise RulesetError(f"literal for {field!r} is missing (None, NaN or NaT)")
    return text


# --------------------------------------------------------------------------------
# Values


def _format_float(value: float) -> str:
    if math.isinf(value):
        value = math.copysign(sys.float_info.max, value)
    text = repr(value)
    # durable's parser accepts an exponent only after a fractional part.
    if "e" in text and "." not in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def _seconds(microseconds: int) -> str:
    whole, rest = divmod(microseconds, _US_PER_S)
    if rest == 0:
        return str(whole)
    return _format_float(microseconds / _US_PER_S)


def encode_value(value: object) -> str | None:
    """Return the JSON text durable-rules receives for ``value``.

    Parameters
    ----------
    value : object
        A record value or a rule literal (see the module docstring for the table).

    Returns
    -------
    str or None
        JSON text that durable parses and that round-trips exactly (floats are
        read back with ``atof``); ``None`` when the value is missing and the
        attribute must be omitted.

    Raises
    ------
    TypeError
        For a type durable cannot represent.
    ValueError
        For a string that cannot be encoded as UTF-8 (a lone surrogate).

    Examples
    --------
    >>> encode_value(1.5e20), encode_value(1e16), encode_value(-0.0)
    ('1.5e+20', '1.0e+16', '-0.0')
    >>> encode_value(2**70), encode_value(float("inf"))
    ('1.1805916207174113e+21', '1.7976931348623157e+308')
    >>> encode_value('a"b')
    '"a\\\\"b"'
    """
    kind = type(value)
    if kind is float:  # fast paths for the common exact types
        real = cast(float, value)
        return None if real != real else _format_float(real)
    if kind is int and _INT64_MIN <= cast(int, value) <= _INT64_MAX:
        return str(value)
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        number = int(value)
        if _INT64_MIN <= number <= _INT64_MAX:
            return str(number)
        try:
            return _format_float(float(number))
        except OverflowError:
            return _format_float(math.copysign(math.inf, number))
    if isinstance(value, float | np.floating):
        real = float(value)
        return None if math.isnan(real) else _format_float(real)
    if isinstance(value, str):
        value.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError here
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        else:
            value = value.replace(tzinfo=None)
        delta = value - _EPOCH
        return _seconds(
            (delta.days * 86_400 + delta.seconds) * _US_PER_S + delta.microseconds
        )
    if isinstance(value, datetime.date):
        return str((value - _EPOCH_DATE).days * 86_400)
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        return _seconds(int(value.astype("datetime64[us]").astype(np.int64)))
    raise TypeError(f"durable-rules cannot represent a {type(value).__name__}")


# --------------------------------------------------------------------------------
# Compilation to disjunctive normal form

_Leaf: TypeAlias = tuple[str, str, str]
"""(durable operator, field, JSON literal); ``$ex``/``$nex`` carry ``"1"``."""
_Term: TypeAlias = frozenset[_Leaf]
_Dnf: TypeAlias = frozenset[_Term]

_TRUE: Final[_Dnf] = frozenset({frozenset()})
_FALSE: Final[_Dnf] = frozenset()


def _contradictory(term: _Term) -> bool:
    absent = {field for op, field, _ in term if op == "$nex"}
    for op, field, literal in term:
        if field in absent and op != "$nex":
            return True
        if op != "$nex" and (_NEGATED[op], field, literal) in term:
            return True
    return False


def _minimal(terms: Iterable[_Term]) -> _Dnf:
    kept: list[_Term] = []
    for term in sorted(set(terms), key=len):
        if not any(other <= term for other in kept):
            kept.append(term)
    return frozenset(kept)


def _simplified(term: _Term) -> _Term:
    """Drop ``$ex`` tests implied by a comparison on the same field."""
    compared = {field for op, field, _ in term if op not in ("$ex", "$nex")}
    return frozenset(
        leaf for leaf in term if not (leaf[0] == "$ex" and leaf[1] in compared)
    )


def _and(left: _Dnf, right: _Dnf, limit: int, name: str) -> _Dnf:
    product = (a | b for a in left for b in right)
    result = _minimal(_simplified(term) for term in product if not _contradictory(term))
    if len(result) > limit:
        raise EngineError(
            BACKEND,
            f"rule {name!r} expands to more than {limit} conjunctions; "
            "simplify it or raise max_terms",
        )
    return result


def _dnf(cond: Condition, positive: bool, limit: int, name: str) -> _Dnf:
    """Terms that make ``cond`` definitely true (or definitely false)."""
    if isinstance(cond, Compare):
        op = _OPS[cond.op] if positive else _NEGATED[_OPS[cond.op]]
        return frozenset({frozenset({(op, cond.field, _literal(cond.value, ""))})})
    if isinstance(cond, OneOf):
        literals = sorted({_literal(v, cond.field) for v in cond.values})
        if positive:
            return frozenset(frozenset({("$eq", cond.field, lit)}) for lit in literals)
        if not literals:
            return frozenset({frozenset({("$ex", cond.field, "1")})})
        return frozenset({frozenset(("$neq", cond.field, lit) for lit in literals)})
    if isinstance(cond, IsMissing):
        return frozenset(
            {frozenset({("$nex" if positive else "$ex", cond.field, "1")})}
        )
    if isinstance(cond, Negate):
        return _dnf(cond.term, not positive, limit, name)
    if isinstance(cond, AllOf | AnyOf):
        parts = [_dnf(term, positive, limit, name) for term in cond.terms]
        if isinstance(cond, AllOf) == positive:
            result = _TRUE
            for part in parts:
                result = _and(result, part, limit, name)
            return result
        union = _minimal(itertools.chain.from_iterable(parts))
        if len(union) > limit:
            raise EngineError(
                BACKEND, f"rule {name!r} expands to more than {limit} conjunctions"
            )
        return union
    raise RulesetError(f"rule {name!r}: not a condition: {cond!r}")


def condition_fits(cond: Condition, max_terms: int = 256) -> bool:
    """Tell whether ``cond`` and its negation expand within ``max_terms`` conjunctions.

    :class:`DurableHost` raises :class:`~kematangan.errors.EngineError` for a rule
    that does not fit; callers that can evaluate such a rule another way ask here
    first.

    Examples
    --------
    >>> condition_fits(AnyOf(Compare("a", "gt", 1), Compare("b", "lt", 2)))
    True
    >>> many = AllOf(*(AnyOf(Compare(f"a{i}", "gt", 0), Compare(f"b{i}", "gt", 0))
    ...                for i in range(9)))
    >>> condition_fits(many)
    False
    """
    try:
        _dnf(cond, True, max_terms, "")
        _dnf(cond, False, max_terms, "")
    except EngineError:
        return False
    return True


def _leaf_json(leaf: _Leaf) -> str:
    op, field, literal = leaf
    if op == "$eq":
        return f'{{"{field}":{literal}}}'
    return f'{{"{op}":{{"{field}":{literal}}}}}'


def _fnv1_32(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode("ascii"):
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


# --------------------------------------------------------------------------------
# The compiled ruleset


@dataclass(frozen=True, slots=True)
class CompiledRuleset:
    """Named conditions compiled for durable-rules.

    ``definition`` is the JSON ruleset; ``fields`` the attributes its rules read;
    ``targets`` maps each durable rule's name (one per distinct conjunction) to the
    (condition index, polarity) pairs it decides. ``c0`` is the empty conjunction:
    it matches every record fact, so every session starts at least one action
    before it is deleted (deleting a session in which nothing fired crashes
    durable-rules 2.0.28).
    """

    rule_names: tuple[str, ...]
    definition: str
    fields: tuple[str, ...]
    targets: dict[str, frozenset[tuple[int, bool]]]


def compile_ruleset(rules: Sequence[tuple[str, Condition]], *, negatives: bool = False,
                    max_terms: int = 256) -> CompiledRuleset:
    """Compile named conditions (see :class:`DurableHost
    <kematangan.scoring.engines.durable_host.DurableHost>` for the parameters).

    Raises
    ------
    kematangan.errors.RulesetError
        For a duplicate or empty rule name.
    kematangan.errors.EngineError
        When a rule or the ruleset exceeds a durable limit.

    Examples
    --------
    >>> compiled = compile_ruleset([("big", Compare("members", "ge", 10))])
    >>> compiled.fields, sorted(compiled.targets)
    (('members',), ['c0', 'c1'])
    """
    names = [name for name, _ in rules]
    if any(not isinstance(name, str) or not name for name in names):
        raise RulesetError("rule names must be non-empty strings")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise RulesetError(f"duplicate rule names: {', '.join(duplicates)}")
    marker = f'{{"$ex":{{"{MARKER}":1}}}}'
    # One durable rule per distinct conjunction; its name ("c0", "c1", ...) maps
    # to every (rule index, polarity) that the conjunction makes decided.
    # "c0" is the empty conjunction: it matches every record fact, so every
    # session starts at least one action before it is deleted (see _start).
    keys: dict[_Term, str] = {frozenset(): "c0"}
    targets: dict[str, set[tuple[int, bool]]] = {"c0": set()}
    blocks = [f'"c0":{{"all":[{{"m":{{"$and":[{marker}]}}}}]}}']
    fields: set[str] = set()
    for index, (name, cond) in enumerate(rules):
        for positive in (True, False) if negatives else (True,):
            for term in sorted(_dnf(cond, positive, max_terms, name), key=sorted):
                key = keys.get(term)
                if key is None:
                    key = keys[term] = f"c{len(keys)}"
                    fields.update(field for _, field, _ in term)
                    tests = ",".join([marker, *map(_leaf_json, sorted(term))])
                    blocks.append(
                        f'"{key}":{{"all":[{{"m":{{"$and":[{tests}]}}}}]}}'
                    )
                targets.setdefault(key, set()).add((index, positive))
    if len(blocks) > _MAX_DURABLE_RULES:
        raise EngineError(
            BACKEND,
            f"{len(blocks)} durable rules needed, at most {_MAX_DURABLE_RULES}",
        )
    if len(fields) > _MAX_FIELDS:
        raise EngineError(
            BACKEND, f"{len(fields)} fields used, at most {_MAX_FIELDS}"
        )
    hashes: dict[int, str] = {}
    for field in sorted(fields | {"sid", "id", "$s", MARKER}):
        other = hashes.setdefault(_fnv1_32(field), field)
        if other != field:
            raise EngineError(
                BACKEND,
                f"fields {other!r} and {field!r} have the same durable hash; "
                "rename one",
            )
    return CompiledRuleset(
        rule_names=tuple(names),
        definition="{" + ",".join(blocks) + "}",
        fields=tuple(sorted(fields)),
        targets={key: frozenset(value) for key, value in targets.items()},
    )
