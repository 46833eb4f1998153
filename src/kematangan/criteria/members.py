"""The ``members`` section of a parent-level ruleset: which of its fields are
computed from its member groups' results, and how.

A community institution (a BKM/LKM, a Gapoktan) is scored on its own data and on
aggregates of its member groups' results: how many of its KSM reached a stage, how
many are in arrears. The section names the ruleset the members are scored with,
what one member is called, and, for each aggregate field of the parent, the
aggregate it takes::

    members:
      ruleset: ppmk-ksm
      noun: {id: KSM, en: KSM}
      fields:
        ksm_count: members
        ksm_penunggak_count:
          aggregate: count.not_met.repayment_current
          held_back_by: {id: KSM penunggak, en: KSM in arrears}

The fields themselves are declared under ``fields`` like any other (a type, a
label, a direction), so everything that works on fields works on them. An aggregate
is named by a short path, checked against the member ruleset:

=============================  ==================================================
``members``                    how many member groups the parent has
``count.<which>``              how many members are ``<which>``
``share.<which>``              what share (0 to 1) of the members are ``<which>``
``sum.<value>``                the sum of a member field or derived value
=============================  ==================================================

where ``<which>`` is ``stage.<s>`` (at stage ``s``, the highest reached),
``stage_reached.<s>`` (at ``s`` or beyond), ``no_stage``, ``class.<k>``,
``class_reached.<k>`` (in ``k`` or a higher class), ``no_class``, ``exit_ready``,
``met.<criterion>`` or ``not_met.<criterion>``.

This module says what a section *means* and checks it; :mod:`kematangan.rollup`
computes the aggregates.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from kematangan.criteria.elements import Identifier, Slug, Text
from kematangan.criteria.ruleset import FieldSpec, Ruleset
from kematangan.criteria.source import Finding, Path, brief
from kematangan.errors import RulesetError, suggest

__all__ = [
    "MEASURES",
    "SELECTORS",
    "Aggregate",
    "Binding",
    "MemberNames",
    "Members",
    "check_members",
    "parse_aggregate",
]

Suggest = Callable[[str, Collection[str]], "str | None"]

MEASURES: tuple[str, ...] = ("members", "count", "share", "sum")
"""How an aggregate measures the members (the first part of its name)."""

SELECTORS: dict[str, str | None] = {
    "stage": "stage", "stage_reached": "stage", "no_stage": None,
    "class": "class", "class_reached": "class", "no_class": None,
    "exit_ready": None, "met": "criterion", "not_met": "criterion",
}
"""Which members ``count`` and ``share`` take, and the kind of id each names."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


AggregateName = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Binding(_Section):
    """One aggregate field: the aggregate it takes and, optionally, what the
    member groups that hold the parent back on it are called. A plain string is
    taken as the aggregate."""

    aggregate: AggregateName = Field(
        description="The aggregate's name, e.g. 'share.stage_reached.independence'.")
    held_back_by: Text | None = Field(
        default=None,
        description="What the members holding the parent back on this field are "
        "called in explanations, e.g. 'KSM penunggak'. By default the words are "
        "made from the aggregate.")

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"aggregate": value}
        return value


class Members(_Section):
    """A parent-level ruleset's (a BKM/LKM's) fields computed from its member
    groups' results: the members' ruleset, what one member is called, and each
    aggregate field's aggregate."""

    ruleset: Slug = Field(description="Id of the ruleset the member groups are "
                          "scored with, e.g. 'ppmk-ksm'.")
    noun: Text = Field(description="What one member group is called, e.g. 'KSM'.")
    fields: dict[Identifier, Binding] = Field(
        min_length=1,
        description="Parent field id: the aggregate it takes (a name, or "
        "{aggregate, held_back_by}).")


Measure = Literal["members", "count", "share", "sum"]


@dataclass(frozen=True, slots=True)
class Aggregate:
    """A parsed aggregate name: its measure, which members (``count``, ``share``)
    and the stage, class, criterion or value it names."""

    measure: Measure
    which: str | None = None
    ref: str | None = None

    @property
    def name(self) -> str:
        """The aggregate's name as written.

        Examples
        --------
        >>> Aggregate("share", "stage_reached", "growth").name
        'share.stage_reached.growth'
        """
        return ".".join(p for p in (self.measure, self.which, self.ref) if p)

    @property
    def ref_kind(self) -> str | None:
        """``stage``, ``class``, ``criterion``, ``value`` or ``None``."""
        return "value" if self.measure == "sum" else SELECTORS.get(self.which or "")


class _Unparsed(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class MemberNames:
    """What members scored with one ruleset offer aggregates: the ruleset's id,
    its ids by kind (``stage``, ``class``, ``criterion``, ``value``), the values
    that can be summed, and whether it has an exit rule."""

    ruleset: str
    ids: Mapping[str, Sequence[str]]
    summable: frozenset[str]
    has_exit: bool

    @classmethod
    def of(cls, member: Ruleset) -> MemberNames:
        """The names of a member ruleset.

        Examples
        --------
        >>> from kematangan.criteria.loader import load_ruleset
        >>> MemberNames.of(load_ruleset("ppmk-ksm")).ids["stage"][0]
        'growth'
        """
        from kematangan.criteria.meaning import name_types

        return cls(member.id, {
            "stage": [s.id for s in member.stages],
            "class": [k.id for k in member.classes],
            "criterion": [c.id for c in member.criteria],
            "value": [f.id for f in member.fields] + [d.id for d in member.derived],
        }, frozenset(n for n, t in name_types(member).items()
                     if t in ("number", "boolean")), member.exit is not None)

    def aggregates(self) -> list[str]:
        """Every aggregate a parent can take from these members.

        Examples
        --------
        >>> from kematangan.criteria.loader import load_ruleset
        >>> names = MemberNames.of(load_ruleset("ppmk-ksm")).aggregates()
        >>> "share.stage_reached.independence" in names, names[0]
        (True, 'members')
        """
        out = ["members"]
        for measure in ("count", "share"):
            for which, kind in SELECTORS.items():
                if kind is None:
                    if which != "exit_ready" or self.has_exit:
                        out.append(f"{measure}.{which}")
                else:
                    out += [f"{measure}.{which}.{ref}" for ref in self.ids[kind]]
        out += [f"sum.{v}" for v in self.ids["value"] if v in self.summable]
        return out


def parse_aggregate(text: str, names: MemberNames | None = None, *,
                    suggest_with: Suggest = suggest) -> Aggregate:
    """Parse an aggregate name and, given the members' ``names``, check what it
    names; raise :class:`RulesetError` with the problem.

    Examples
    --------
    >>> parse_aggregate("count.not_met.repayment_current")
    Aggregate(measure='count', which='not_met', ref='repayment_current')
    >>> parse_aggregate("shar.exit_ready")
    Traceback (most recent call last):
    ...
    kematangan.errors.RulesetError: ruleset has 1 problem:
      unknown aggregate 'shar.exit_ready': 'shar' is not a measure (did you mean 'share'?) (fix: write 'share')
    """
    agg, found = _checked((), text, names, suggest_with)
    if found or agg is None:
        from kematangan.problems import Problem

        raise RulesetError([Problem(f.code, dict(f.params)) for f in found])
    return agg


def _checked(at: Path, text: str, names: MemberNames | None, close: Suggest
             ) -> tuple[Aggregate | None, list[Finding]]:
    try:
        agg = _parse(text, close)
    except _Unparsed as err:
        return None, [Finding(at, err.code, err.params)]
    return agg, [] if names is None else list(_names_exist(at, agg, names, close))


def _parse(text: str, close: Suggest) -> Aggregate:
    parts = text.split(".")
    measure, rest = parts[0], parts[1:]
    name = brief(text)
    if measure not in MEASURES:
        found = close(measure, MEASURES)
        raise _Unparsed("aggregate_measure_unknown_close", name=name, part=measure,
                        suggestion=found) if found else _Unparsed(
            "aggregate_measure_unknown", name=name, part=measure,
            allowed=list(MEASURES))
    if measure == "members":
        if rest:
            raise _Unparsed("aggregate_extra_part", name=name, want="members")
        return Aggregate("members")
    if measure == "sum":
        if len(rest) != 1 or not rest[0]:
            raise _Unparsed("aggregate_incomplete" if not rest or not rest[0] else
                            "aggregate_extra_part", name=name, want="sum.<value>")
        return Aggregate("sum", None, rest[0])
    if not rest or not rest[0]:
        raise _Unparsed("aggregate_incomplete", name=name, want=f"{measure}.<which>")
    which = rest[0]
    if which not in SELECTORS:
        found = close(which, list(SELECTORS))
        raise _Unparsed("aggregate_which_unknown_close", name=name, part=which,
                        suggestion=found) if found else _Unparsed(
            "aggregate_which_unknown", name=name, part=which,
            allowed=list(SELECTORS))
    kind = SELECTORS[which]
    want = f"{measure}.{which}" + (f".<{kind}>" if kind else "")
    if kind is None:
        if len(rest) > 1:
            raise _Unparsed("aggregate_extra_part", name=name, want=want)
        return Aggregate(measure, which)  # type: ignore[arg-type]
    if len(rest) < 2 or not rest[1]:
        raise _Unparsed("aggregate_incomplete", name=name, want=want)
    if len(rest) > 2:
        raise _Unparsed("aggregate_extra_part", name=name, want=want)
    return Aggregate(measure, which, rest[1])  # type: ignore[arg-type]


_FIELD_TYPES: dict[str, tuple[str, ...]] = {
    "members": ("integer", "number"), "count": ("integer", "number"),
    "share": ("number",), "sum": ("integer", "number"),
}


def check_members(ruleset: Ruleset, *, member: Ruleset | None = None,
                  suggest_with: Suggest = suggest,
                  known_fields: Collection[str] | None = ()) -> Iterator[Finding]:
    """Every problem of ``ruleset``'s ``members`` section.

    ``member`` is the member ruleset the names are checked against; by default
    the bundled ruleset of that id, when there is one (a member ruleset of your
    own is checked when a roll-up meets it). ``known_fields`` are field ids that
    exist though they failed validation (``None``: the field list could not be
    read, so no field is called unknown).

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> rs = load_ruleset("bkm-lkm")
    >>> bad = rs.members.model_copy(
    ...     update={"fields": {"ksm_count": Binding(aggregate="membrs")}})
    >>> [f.code for f in check_members(rs.model_copy(update={"members": bad}))]
    ['aggregate_measure_unknown_close']
    """
    section = ruleset.members
    if section is None:
        return
    if section.ruleset == ruleset.id:
        yield Finding(("members", "ruleset"), "member_ruleset_self",
                      {"id": ruleset.id})
        return
    if member is None:
        member = _bundled(section.ruleset)
    names = None if member is None else MemberNames.of(member)
    fields = {f.id: f for f in ruleset.fields}
    for fid, binding in section.fields.items():
        at: Path = ("members", "fields", fid)
        spec = fields.get(fid)
        if spec is None and known_fields is not None and fid not in known_fields:
            found = suggest_with(fid, list(fields))
            yield Finding(at, "unknown_field_close", {
                "name": brief(fid), "suggestion": found}) if found else Finding(
                at, "unknown_field", {"name": brief(fid)})
        agg, problems = _checked(at, binding.aggregate, names, suggest_with)
        yield from problems
        if agg is not None and spec is not None:
            yield from _field_fits(at, spec, agg)


def _field_fits(at: Path, spec: FieldSpec, agg: Aggregate) -> Iterator[Finding]:
    want = _FIELD_TYPES[agg.measure]
    if spec.type not in want:
        yield Finding(at, "aggregate_field_type", {
            "field": spec.id, "type": spec.type, "want": list(want),
            "name": agg.name})
    if agg.measure == "share" and ((spec.min is not None and spec.min > 0)
                                   or (spec.max is not None and spec.max < 1)):
        yield Finding(at, "aggregate_share_bounds", {"field": spec.id})


def _names_exist(at: Path, agg: Aggregate, names: MemberNames, close: Suggest
                 ) -> Iterator[Finding]:
    kind = agg.ref_kind
    if agg.which == "exit_ready" and not names.has_exit:
        yield Finding(at, "member_no_exit", {"ruleset": names.ruleset})
    if kind is None or agg.ref is None:
        return
    known = list(names.ids[kind])
    if agg.ref not in known:
        found = close(agg.ref, known)
        params = {"name": brief(agg.ref), "ruleset": names.ruleset}
        yield Finding(at, f"member_{kind}_unknown_close",
                      {**params, "suggestion": found}) if found else Finding(
            at, f"member_{kind}_unknown", params)
    elif kind == "value" and agg.ref not in names.summable:
        yield Finding(at, "aggregate_sum_type", {"name": agg.ref,
                                                 "ruleset": names.ruleset})


_CHECKING: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "kematangan_members_checking", default=frozenset())
"""Member rulesets being loaded to check a section (a guard: a member ruleset
whose own members name the parent does not load the parent again)."""


def _bundled(name: str) -> Ruleset | None:
    from kematangan.criteria.loader import bundled_ruleset_path, load_ruleset

    checking = _CHECKING.get()
    if name in checking:
        return None
    try:
        bundled_ruleset_path(name)
    except RulesetError:
        return None  # not bundled: checked when a roll-up meets it
    token = _CHECKING.set(checking | {name})
    try:
        with contextlib.suppress(RulesetError):  # its own problems are its own
            return load_ruleset(name)
        return None
    finally:
        _CHECKING.reset(token)


# Ruleset's 'members' names this section's model: Ruleset is complete once it exists
# (the criteria package imports this module before any ruleset is read).
Ruleset.model_rebuild(_types_namespace={"Members": Members})
