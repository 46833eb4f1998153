"""A group's history told as a story, in Indonesian (default) or English: where it
started, when it rose or fell and why, where it stands now, and what its track
record still lacks.
"""

from __future__ import annotations

from kematangan.criteria.ruleset import Ruleset
from kematangan.explain.wording import fmt_number, word
from kematangan.trajectory import GroupHistory, PeriodEntry, Trajectories

__all__ = ["history_story", "story_lines"]


def _labels(rs: Ruleset, lang: str) -> dict[str, str]:
    out = {s.id: s.label.get(lang) for s in rs.stages}
    out.update({f"class:{k.id}": k.label.get(lang) for k in rs.classes})
    out.update({f"criterion:{c.id}": c.label.get(lang) for c in rs.criteria})
    return out


def _stage(names: dict[str, str], stage: str | None, lang: str) -> str:
    return names.get(stage, stage) if stage else word("no_stage", lang)


def _class(names: dict[str, str], klass: str | None, lang: str) -> str:
    return names.get(f"class:{klass}", klass) if klass else word("no_class", lang)


def _state(e: PeriodEntry, rs: Ruleset, names: dict[str, str], lang: str,
           stage: str | None = None) -> str:
    """Stage (or ``stage``, a longer phrase for it), class and score."""
    parts = []
    if rs.stages:
        parts.append(stage or f"{word('stage_word', lang)} "
                     f"{_stage(names, e.stage, lang)}")
    if rs.classes:
        parts.append(f"{word('class_word', lang)} {_class(names, e.class_, lang)}")
    parts.append(f"{word('score', lang).lower()} {fmt_number(e.score, lang)} "
                 f"{word('score_of', lang)} {fmt_number(e.max_score, lang)}")
    return ", ".join(parts)


def _events(prev: PeriodEntry, e: PeriodEntry, rs: Ruleset, names: dict[str, str],
            lang: str) -> list[str]:
    """What changed from ``prev`` (the latest earlier assessment whose stage and
    class are known) to ``e``."""
    out: list[str] = []
    r = e.regression
    if r is not None and r.scheme_changed:
        out.append(word("scheme_changed", lang).format(before=r.rulesets[0],
                                                       after=r.rulesets[1]))
    elif prev.ruleset != e.ruleset:
        out.append(f"{e.period}: {word('scored_with', lang)} {e.ruleset}.")
    rank = {s.id: i for i, s in enumerate(rs.stages)}
    before, after = rank.get(prev.stage or "", -1), rank.get(e.stage or "", -1)
    if r is not None and "stage" in r.lost:
        out.append(word("fell_to", lang).format(
            period=e.period, before=_stage(names, prev.stage, lang),
            after=_stage(names, e.stage, lang)))
    elif after > before:
        out.append(word("rose_to", lang).format(period=e.period,
                                                stage=_stage(names, e.stage, lang)))
    klass = {k.id: i for i, k in enumerate(rs.classes)}
    if r is not None and "class" in r.lost:
        out.append(word("class_fell", lang).format(
            period=e.period, before=_class(names, prev.class_, lang),
            after=_class(names, e.class_, lang)))
    elif klass.get(e.class_ or "", -1) > klass.get(prev.class_ or "", -1):
        out.append(word("class_rose", lang).format(
            period=e.period, klass=_class(names, e.class_, lang)))
    if r is not None:
        out.append(word("because", lang).format(criteria=", ".join(
            names.get(f"criterion:{c}", c) for c in r.criteria)) if r.criteria
            else word("no_cause", lang))
    return out


def story_lines(t: Trajectories, group_id: str, lang: str = "id") -> list[str]:
    """The story of one group, one sentence a line.

    Examples
    --------
    >>> from kematangan.trajectory import score_history
    >>> base = {"group_id": "KSM-01", "formed_participatory": True, "members": 12,
    ...         "members_voluntary": True, "meetings_last_3_months": 3,
    ...         **{f"basic_rule_{i}": True for i in range(1, 6)},
    ...         "admin_books_kept": False}
    >>> t = score_history([{**base, "period": "2023Q1"},
    ...                    {**base, "period": "2023Q2", "members": 2}], "ppmk-ksm")
    >>> for line in story_lines(t, "KSM-01", "en")[1:6]:
    ...     print(line)
    Assessed 2 times, 2023Q1 to 2023Q2.
    2023Q1: stage Growth, class Needs support, score 25 of 100.
    2023Q1: undetermined as data is missing; could be up to class Advanced.
    2023Q2: fell from the Growth stage to not yet at the first stage.
    Because (met before, not met now): Enough members.
    """
    h: GroupHistory = t.history(group_id)
    rs = t.ruleset
    names = _labels(rs, lang)
    first, last = h.entries[0], h.entries[-1]
    lines = [f"{word('history', lang)} {group_id}: {rs.title.get(lang)}",
             word("assessed_times", lang).format(n=len(h.entries), first=first.period,
                                                 last=last.period)]
    if h.gaps:
        lines.append(f"{word('not_assessed_in', lang)}: {', '.join(h.gaps)}.")
    lines.append(word("at_start", lang).format(period=first.period,
                                               state=_state(first, rs, names, lang)))
    ready, known = first.exit_ready_track is True, first
    for k, e in enumerate(h.entries):
        upper = ([f"{word('stage_word', lang)} {_stage(names, e.stage_upper, lang)}"]
                 if e.stage != e.stage_upper else [])
        upper += ([f"{word('class_word', lang)} {_class(names, e.class_upper, lang)}"]
                  if e.class_ != e.class_upper else [])
        if k and (not upper or e.regression is not None):
            lines += _events(known, e, rs, names, lang)
        if upper:
            lines.append(word("stage_unsure", lang).format(period=e.period,
                                                           upper=", ".join(upper)))
        else:
            known = e
        if e.exit_ready_track is True and not ready:
            lines.append(word("became_exit_ready", lang).format(period=e.period))
        ready = e.exit_ready_track is True
    lines += _now(t, h, names, lang)
    return lines


def _now(t: Trajectories, h: GroupHistory, names: dict[str, str], lang: str
         ) -> list[str]:
    rs, last = t.ruleset, h.entries[-1]
    since = word("stage_since", lang).format(
        stage=_stage(names, h.stage, lang), since=h.since,
        months=h.months_in_stage) if h.stage is not None else None
    lines = [f"{word('now', lang).format(period=last.period)}: "
             f"{_state(last, rs, names, lang, since)}."]
    if h.first_at:
        lines.append(f"{word('first_at_stage', lang)}: " + ", ".join(
            f"{names[s]} {p}" for s, p in h.first_at.items()) + ".")
    if h.stagnation is not None:
        lines.append(f"{word('stagnating', lang)}: {h.stagnation.text(lang)}")
    if rs.exit is not None:
        ready = {True: word("yes", lang), False: word("not_yet", lang),
                 None: word("undetermined", lang)}[h.exit_ready]
        lines.append(f"{word('exit', lang)}: {ready}.")
        rules = t.rules
        if (h.exit_ready is not True and rules.exit_message is not None
                and h.exit_held_periods > 0):
            required = rules.exit_periods or rules.exit_months
            lines.append(rules.exit_message.get(lang).format(
                stage=_stage(names, rs.exit.stage, lang),
                periods=h.exit_held_periods, months=h.exit_held_months,
                required=required))
    return lines


def history_story(t: Trajectories, group_id: str, lang: str = "id") -> str:
    """The story of one group as text (see :func:`story_lines`).

    Examples
    --------
    >>> from kematangan.trajectory import score_history
    >>> t = score_history([{"group_id": "A", "period": "2024Q1", "members": 3}],
    ...                   "ppmk-ksm")
    >>> print(history_story(t, "A").splitlines()[1])
    Dinilai 1 kali, 2024Q1 sampai 2024Q1.
    """
    if lang not in ("id", "en"):
        raise ValueError(f"unknown language {lang!r}; use 'id' or 'en'")
    return "\n".join(story_lines(t, group_id, lang)) + "\n"
