"""What explaining needs to know about one ruleset, worked out once per scorer.

A :class:`Context` holds the scorer (next steps re-score records), the ruleset's
field and criterion specs, and which record fields each criterion reads, through
derived values and the criteria it combines.
"""

from __future__ import annotations

import os
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal

from kematangan.criteria import expr as ex
from kematangan.criteria.loader import load_ruleset
from kematangan.criteria.meaning import criterion_reads
from kematangan.criteria.ruleset import Criterion, Derived, FieldSpec, Ruleset, Text
from kematangan.errors import InputError
from kematangan.explain.types import Value
from kematangan.scoring import Assessment, Scorer

__all__ = ["Context", "ScorerLike", "context"]

ScorerLike = Scorer | Ruleset | str | os.PathLike[str]
"""A :class:`Scorer`, a :class:`Ruleset`, a ruleset file path or a bundled id."""


@dataclass(frozen=True, eq=False)
class Context:
    """One ruleset's explaining facts (see the module docstring)."""

    scorer: Scorer
    fields: dict[str, FieldSpec]
    derived: dict[str, Derived]
    criteria: dict[str, Criterion]
    index: dict[str, int]
    names: dict[str, tuple[str, ...]]
    """The fields and derived values a criterion reads: its condition and, when
    it has one, its ``applies_when``."""
    subs: dict[str, tuple[str, ...]]
    reads: dict[str, frozenset[str]]

    @property
    def ruleset(self) -> Ruleset:
        """The scorer's ruleset."""
        return self.scorer.ruleset

    def label(self, name: str) -> Text:
        """The label of a field, derived value or criterion."""
        if name in self.fields:
            return self.fields[name].label
        if name in self.derived:
            return self.derived[name].label
        return self.criteria[name].label

    def unit(self, name: str) -> str | None:
        """The unit of a field or derived value, if any."""
        if name in self.fields:
            return self.fields[name].unit
        if name in self.derived:
            return self.derived[name].unit
        return None

    def display(self, name: str) -> Literal["number", "percent", "date"]:
        """How a field or derived value is shown (``percent``: a share as 75%)."""
        spec = self.fields.get(name) or self.derived.get(name)
        if isinstance(spec, FieldSpec) and spec.type == "date":
            return "date"
        return spec.display if spec is not None else "number"

    def unconfirmed(self, name: str) -> list[Literal["min", "max", "meaning",
                                                     "formula"]]:
        """What about a field or derived value is a working assumption."""
        if name in self.fields:
            return list(self.fields[name].unconfirmed)
        if name in self.derived:
            return list(self.derived[name].unconfirmed)
        return []

    def value(self, name: str, value: object) -> Value:
        """A field's or derived value's :class:`Value`, as explanations show it."""
        return Value(name=name, kind="field" if name in self.fields else "derived",
                     label=self.label(name), value=value, unit=self.unit(name),
                     display=self.display(name),
                     unconfirmed=self.unconfirmed(name))

    def check(self, assessment: Assessment) -> None:
        """Raise :class:`InputError` unless ``assessment`` came from this ruleset."""
        ref, plan = assessment.ruleset, self.scorer.plan
        if ref.hash != plan.content_hash:
            raise InputError(
                f"the assessment was scored with ruleset {ref.id} {ref.version} "
                f"(hash {ref.hash[:12]}), not {plan.ruleset_id} {plan.version} "
                f"(hash {plan.content_hash[:12]})",
                fix="explain an assessment with the ruleset that scored it")


_BY_SCORER: weakref.WeakKeyDictionary[Scorer, Context] = weakref.WeakKeyDictionary()
"""Facts per live scorer; an entry goes with its scorer."""
_SCORERS: OrderedDict[str, Scorer] = OrderedDict()
"""Scorers built for rulesets given by id, file or model, by content hash: the
:data:`_SCORERS_KEPT` most recently used."""
_SCORERS_KEPT = 32


def context(source: ScorerLike) -> Context:
    """The :class:`Context` of a scorer, ruleset, ruleset file or bundled id.

    Examples
    --------
    >>> ctx = context("ppmk-ksm")
    >>> sorted(ctx.reads["members_save"])
    ['members', 'members_saving']
    """
    if isinstance(source, Scorer):
        scorer = source
    else:
        ruleset = load_ruleset(source)
        key = ruleset.content_hash
        scorer = _SCORERS.get(key) or Scorer(ruleset)
        _SCORERS[key] = scorer
        _SCORERS.move_to_end(key)
        while len(_SCORERS) > _SCORERS_KEPT:
            _SCORERS.popitem(last=False)
    found = _BY_SCORER.get(scorer)
    if found is None:
        found = _build(scorer)
        _BY_SCORER[scorer] = found
    return found


def _build(scorer: Scorer) -> Context:
    rs = scorer.ruleset
    fields = {f.id: f for f in rs.fields}
    derived = {d.id: d for d in rs.derived}
    criteria = {c.id: c for c in rs.criteria}
    names: dict[str, tuple[str, ...]] = {}
    subs: dict[str, tuple[str, ...]] = {}
    for c in rs.criteria:
        found: set[str] = set()
        if c.kind == "expr":
            assert c.expr is not None
            found |= ex.names(ex.parse(c.expr))
        elif c.field_ref is not None:
            found.add(c.field_ref)
        if c.applies_when is not None:
            found |= ex.names(ex.parse(c.applies_when))
        names[c.id] = tuple(sorted(found))
        if c.at_least is not None:
            subs[c.id] = tuple(c.at_least.of)
        elif c.all_of or c.any_of:
            subs[c.id] = tuple(c.all_of or c.any_of or ())

    reads = criterion_reads(rs)  # the fields each criterion needs, derived ones too
    return Context(scorer=scorer, fields=fields, derived=derived, criteria=criteria,
                   index={c.id: i for i, c in enumerate(rs.criteria)}, names=names,
                   subs=subs, reads=reads)
