"""Checks of a ruleset's validity dates and its ``history`` section.

:mod:`kematangan.criteria.lint` runs :func:`check_history` with its own ways of
telling an unknown name (so a name in a section that failed to validate is not
called unknown twice) and of suggesting the closest one.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator, Sequence

from kematangan.criteria.history import (
    EXIT_PLACEHOLDERS,
    STAGNATION_PLACEHOLDERS,
    History,
    HistoryCase,
)
from kematangan.criteria.periods import CADENCE_MONTHS, FORMS_TEXT, Period, parse_period
from kematangan.criteria.ruleset import Ruleset, Text
from kematangan.criteria.source import Finding, Path, brief

__all__ = ["check_history", "template_names"]

Lacks = Callable[[str, str], bool]
"""Whether no name of a kind (``stage``, ``class``, ``criterion``, ``field``,
``record``) is known by that name."""
Unknown = Callable[[Path, str, str], Finding]
"""The finding for an unknown name of a kind, at a path."""


def template_names(template: str) -> list[str]:
    """The names a message template refers to (``ValueError`` if malformed).

    Examples
    --------
    >>> template_names("Lebih dari {limit} bulan di tahap {stage} (sejak {since})")
    ['limit', 'stage', 'since']
    """
    return [name for _, name, _, _ in string.Formatter().parse(template)
            if name is not None]


def check_history(rs: Ruleset, lacks: Lacks, unknown: Unknown) -> Iterator[Finding]:
    """Every problem of ``rs``'s validity dates and ``history`` section.

    Examples
    --------
    >>> from kematangan.criteria.loader import load_ruleset
    >>> from kematangan.criteria.source import Finding
    >>> rs = load_ruleset("ppmk-ksm")
    >>> list(check_history(rs, lambda kind, name: False,
    ...                    lambda path, kind, name: Finding(path, "unknown")))
    []
    """
    if rs.valid_from and rs.valid_until and rs.valid_until < rs.valid_from:
        yield Finding(("valid_until",), "validity_order", {
            "since": rs.valid_from.isoformat(), "until": rs.valid_until.isoformat()})
    h = rs.history
    if h is None:
        return
    yield from _exit(rs, h)
    seen: set[str] = set()
    for j, rule in enumerate(h.stagnation):
        where: Path = ("history", "stagnation", j)
        if lacks("stage", rule.stage):
            yield unknown((*where, "stage"), "stage", rule.stage)
        elif rule.stage in seen:
            yield Finding((*where, "stage"), "history_stagnation_duplicate",
                          {"stage": rule.stage})
        seen.add(rule.stage)
        yield from _message((*where, "message"), rule.message, STAGNATION_PLACEHOLDERS)
    if h.formation_field is not None:
        yield from _formation(rs, h.formation_field, lacks, unknown)
    names: set[str] = set()
    for j, case in enumerate(h.tests):
        where = ("history", "tests", j)
        if case.name in names:
            yield Finding((*where, "name"), "test_name_duplicate",
                          {"name": brief(case.name)})
        names.add(case.name)
        yield from _case(case, h, where, lacks, unknown)


def _exit(rs: Ruleset, h: History) -> Iterator[Finding]:
    if h.exit is None:
        return
    if (h.exit.periods is None) == (h.exit.months is None):
        yield Finding(("history", "exit"), "history_exit_measure")
    if rs.exit is None:
        yield Finding(("history", "exit"), "history_exit_needs_exit")
    yield from _message(("history", "exit", "message"), h.exit.message,
                        EXIT_PLACEHOLDERS)


def _message(path: Path, text: Text, allowed: Sequence[str]) -> Iterator[Finding]:
    for lang, template in (("id", text.id), ("en", text.en)):
        if template is None:
            continue
        try:
            found = template_names(template)
        except ValueError as err:
            yield Finding((*path, lang), "history_message_format", {"reason": str(err)})
            continue
        for name in found:
            if name not in allowed:
                yield Finding((*path, lang), "history_message_placeholder",
                              {"name": brief(name), "allowed": list(allowed)})


def _formation(rs: Ruleset, field: str, lacks: Lacks, unknown: Unknown
               ) -> Iterator[Finding]:
    where: Path = ("history", "formation_field")
    spec = next((f for f in rs.fields if f.id == field), None)
    if spec is None:
        if lacks("field", field):
            yield unknown(where, "field", field)
    elif spec.type not in ("date", "integer"):
        yield Finding(where, "history_formation_type", {"field": field,
                                                        "type": spec.type})


def _period(text: str, h: History, path: Path) -> Period | Finding:
    """The period ``text`` names in ``h``'s cadence, or the finding against it."""
    try:
        period = parse_period(text)
    except ValueError:
        return Finding(path, "history_period_invalid",
                       {"period": brief(text), "forms": FORMS_TEXT})
    if period.months > CADENCE_MONTHS[h.cadence]:
        return Finding(path, "history_period_coarser",
                       {"period": brief(text), "cadence": h.cadence})
    return period.within(h.cadence)


def _case(case: HistoryCase, h: History, where: Path, lacks: Lacks,
          unknown: Unknown) -> Iterator[Finding]:
    periods: set[Period] = set()
    for k, entry in enumerate(case.periods):
        at: Path = (*where, "periods", k)
        if (entry.record is None) == (entry.changes is None) or (
                k == 0 and entry.record is None):
            yield Finding(at, "history_period_record")
        p = _period(entry.period, h, (*at, "period"))
        if isinstance(p, Finding):
            yield p
        elif p in periods:
            yield Finding((*at, "period"), "history_period_duplicate",
                          {"period": brief(entry.period)})
        else:
            periods.add(p)
        for kind, values in (("record", entry.record), ("changes", entry.changes)):
            for key in values or {}:
                if lacks("record", key):
                    yield unknown((*at, kind, key), "record", key)
    e, at = case.expect, (*where, "expect")
    if e.stage is not None and lacks("stage", e.stage):
        yield unknown((*at, "stage"), "stage", e.stage)
    if e.class_ is not None and lacks("class", e.class_):
        yield unknown((*at, "class"), "class", e.class_)
    labels = sorted(p.label for p in periods)
    for j, reg in enumerate(e.regressions):
        p = _period(reg.period, h, (*at, "regressions", j, "period"))
        if isinstance(p, Finding):
            yield p
        elif p not in periods:
            yield Finding((*at, "regressions", j, "period"),
                          "history_period_not_in_case",
                          {"period": brief(reg.period), "periods": labels})
        for i, cid in enumerate(reg.criteria or ()):
            if lacks("criterion", cid):
                yield unknown((*at, "regressions", j, "criteria", i), "criterion", cid)
    for j, gap in enumerate(e.gaps):
        p = _period(gap, h, (*at, "gaps", j))
        if isinstance(p, Finding):
            yield p
    for stage, text in e.first_at.items():
        if lacks("stage", stage):
            yield unknown((*at, "first_at", stage), "stage", stage)
        p = _period(text, h, (*at, "first_at", stage))
        if isinstance(p, Finding):
            yield p
