"""Which ruleset applies on an assessment date.

An instrument changes over time: Kementan's 2018 guideline replaced the older class
bands. Each version is its own ruleset; those of one instrument share a ``family``
(by default a ruleset is a family of its own) and say when they apply with
``valid_from`` and ``valid_until`` (both inclusive, each open when left out). A
group's history is scored period by period with the ruleset valid on each date.

Rulesets the user gives come before bundled ones: a bundled ruleset is a candidate
only for dates no given ruleset of the family covers, and never when a given one
has its id.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from kematangan.criteria.loader import list_rulesets, load_ruleset
from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import RulesetError
from kematangan.problems import Problem

__all__ = ["choose_ruleset", "family_of", "family_rulesets", "select_ruleset",
           "valid_on"]

RulesetSource = Ruleset | str | os.PathLike[str]


def family_of(ruleset: Ruleset) -> str:
    """The ruleset's family: its ``family``, or its id when it has none.

    Examples
    --------
    >>> family_of(load_ruleset("poktan-2018")), family_of(load_ruleset("ppmk-ksm"))
    ('poktan', 'ppmk-ksm')
    """
    return ruleset.family or ruleset.id


def valid_on(ruleset: Ruleset, day: dt.date) -> bool:
    """Whether ``ruleset`` applies to an assessment made on ``day``.

    Examples
    --------
    >>> valid_on(load_ruleset("poktan-2018"), dt.date(2017, 12, 31))
    False
    """
    return ((ruleset.valid_from is None or ruleset.valid_from <= day)
            and (ruleset.valid_until is None or day <= ruleset.valid_until))


def family_rulesets(given: Sequence[RulesetSource], *, bundled: bool = True
                    ) -> tuple[list[Ruleset], list[Ruleset]]:
    """The rulesets a history may use: the ``given`` ones (loaded, of one family),
    and the bundled rulesets of their family that none of them replaces (same id).

    Raises
    ------
    RulesetError
        When the given rulesets are of different families.

    Examples
    --------
    >>> mine, others = family_rulesets(["poktan-2018"])
    >>> [r.id for r in mine], [r.id for r in others]
    (['poktan-2018'], ['poktan-legacy'])
    """
    mine = [load_ruleset(r) for r in given]
    family = family_of(mine[0])
    for r in mine[1:]:
        if family_of(r) != family:
            raise RulesetError([Problem("families_differ", {
                "first": mine[0].id, "second": r.id, "family": family,
                "other": family_of(r)})])
    if not bundled:
        return mine, []
    ids = {r.id for r in mine}
    others = [rs for rs in (load_ruleset(info.id) for info in list_rulesets())
              if family_of(rs) == family and rs.id not in ids]
    return mine, others


def choose_ruleset(mine: Sequence[Ruleset], others: Sequence[Ruleset],
                   on: dt.date, period: str | None = None) -> Ruleset:
    """The ruleset valid on ``on``: one of ``mine`` if any, else of ``others``
    (see :func:`family_rulesets`); ``period`` names the assessment period in the
    error.

    Raises
    ------
    RulesetError
        When none is valid on that date, or two of one pool are.
    """
    family = family_of(mine[0])
    for pool in (mine, others):
        found = [r for r in pool if valid_on(r, on)]
        if len(found) > 1:
            raise RulesetError([Problem("rulesets_overlap", {
                "first": found[0].id, "second": found[1].id, "family": family,
                "date": on.isoformat()})])
        if found:
            return found[0]
    known = [f"{r.id} ({r.valid_from or '-'} to {r.valid_until or '-'})"
             for r in [*mine, *others]]
    raise RulesetError([Problem("no_ruleset_valid", {
        "family": family, "date": on.isoformat(), "period": period or on.isoformat(),
        "known": known})])


def select_ruleset(given: RulesetSource | Sequence[RulesetSource], on: dt.date, *,
                   bundled: bool = True, period: str | None = None) -> Ruleset:
    """The ruleset of the family of ``given`` valid on ``on``.

    ``given`` is one ruleset (a :class:`Ruleset`, a YAML path or a bundled id) or
    several of one family; bundled rulesets of that family fill the dates they do
    not cover (unless ``bundled`` is false). ``period`` names the assessment
    period in the error.

    Raises
    ------
    RulesetError
        When no ruleset of the family is valid on that date, or two are.

    Examples
    --------
    >>> select_ruleset("poktan-2018", dt.date(2017, 9, 30)).id
    'poktan-legacy'
    >>> select_ruleset("poktan-legacy", dt.date(2024, 9, 30)).id
    'poktan-2018'
    >>> select_ruleset("poktan-2018", dt.date(2017, 9, 30), bundled=False)
    Traceback (most recent call last):
    ...
    kematangan.errors.RulesetError: ruleset has 1 problem:
      no ruleset of family 'poktan' is valid on 2017-09-30 (period 2017-09-30); known: poktan-2018 (2018-02-01 to -) (fix: give a ruleset valid on that date with -r, or leave that period out of the data)
    """
    sources = [given] if isinstance(given, Ruleset | str | os.PathLike) else list(given)
    mine, others = family_rulesets(sources, bundled=bundled)
    return choose_ruleset(mine, others, on, period)
