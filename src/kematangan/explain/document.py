"""An explanation laid out as a document: headings, paragraphs, lists, tables.

The text, Markdown and HTML renderers all draw this one layout, so the three say the
same thing in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kematangan.explain.types import Explanation, NextSteps, Reason, Value
from kematangan.explain.wording import fmt_number, fmt_value, word

__all__ = ["Block", "Heading", "Items", "Para", "TableBlock", "build_document",
           "group_name", "summary_lines"]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    key: str = ""


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Items:
    ordered: bool
    items: list[tuple[str, list[str]]] = field(default_factory=list)
    """(head line, detail lines) per item."""


@dataclass(frozen=True)
class TableBlock:
    header: list[str]
    rows: list[list[str]]


Block = Heading | Para | Items | TableBlock


def _stage(e: Explanation, stage: str | None, lang: str) -> str:
    if stage is None:
        first = e.stages[0].label.get(lang) if e.stages else ""
        return f"{word('no_stage', lang)} ({first})" if first else word("no_stage",
                                                                         lang)
    return e.label_of("stage", stage, lang) or stage


def _class(e: Explanation, klass: str | None, lang: str) -> str:
    if klass is None:
        return word("no_class", lang)
    return e.label_of("class", klass, lang) or klass


def group_name(group_id: str | None, row: int | None, lang: str = "id") -> str:
    """How a group is named to the user: its id, with its sheet row when known; a
    group without an id by its row alone (the same everywhere).

    Examples
    --------
    >>> group_name("KSM-01", 8), group_name(None, 12, "en"), group_name(None, None)
    ('KSM-01 (baris 8)', 'row 12', '')
    """
    row_text = f"{word('row', lang)} {row}" if row is not None else ""
    if group_id is None:
        return row_text
    return f"{group_id} ({row_text})" if row_text else group_id


def summary_lines(e: Explanation, lang: str = "id") -> list[str]:
    """Stage, class, score and exit readiness, one line each (where the ruleset has
    them)."""
    lines = []
    later = word("once_recorded", lang)
    if e.stages:
        line = f"{word('current_stage', lang)}: {_stage(e, e.stage, lang)}"
        if e.stage_upper != e.stage:
            line += (f" ({word('could_reach', lang).lower()} "
                     f"{_stage(e, e.stage_upper, lang)} {later})")
        lines.append(line)
    if e.classes:
        line = f"{word('class', lang)}: {_class(e, e.class_, lang)}"
        if e.class_upper != e.class_:
            line += (f" ({word('could_reach', lang).lower()} "
                     f"{_class(e, e.class_upper, lang)} {later})")
        lines.append(line)
    line = (f"{word('score', lang)}: {fmt_number(e.score, lang)} "
            f"{word('score_of', lang)} {fmt_number(e.max_score, lang)}")
    if e.score_upper != e.score:
        line += (f" ({word('could_reach', lang).lower()} "
                 f"{fmt_number(e.score_upper, lang)} {later})")
    lines.append(line)
    if e.gaps.exit is not None or e.exit_ready is True:
        ready = {True: word("yes", lang), False: word("not_yet", lang),
                 None: word("undetermined", lang)}[e.exit_ready]
        lines.append(f"{word('exit', lang)}: {ready}")
    return lines


def _label(v: Value, lang: str) -> str:
    """A value's label, saying what about it is not confirmed by the source."""
    notes = [word(f"unconfirmed_{u}", lang) for u in v.unconfirmed
             if u in ("meaning", "formula")]
    return v.label.get(lang) + "".join(f" ({n})" for n in notes)


def _shown(v: Value, lang: str) -> str:
    return fmt_value(v.value, v.unit, lang, v.display)


def _values(values: list[Value], lang: str) -> str:
    return "; ".join(f"{_label(v, lang)} = {_shown(v, lang)}" for v in values)


def _reason(r: Reason, lang: str) -> tuple[str, list[str]]:
    lost = fmt_number(r.points_lost, lang)
    if r.outcome.value == "unknown":
        parts = [word("unknown", lang)]
        if r.points_lost > 0:
            parts.append(word("points_at_stake", lang).format(n=lost))
    elif r.scored:
        # Judged by its points, not pass or fail: "skor 30 dari 50 (kurang 20 poin)".
        text = word("scored", lang).format(points=fmt_number(r.points, lang),
                                           max=fmt_number(r.max_points, lang))
        notes = [word("points_lost", lang).format(n=lost)] if r.points_lost > 0 else []
        if r.max_unconfirmed:
            notes.append(word("max_unconfirmed", lang))
        if notes:
            text += " (" + "; ".join(notes) + ")"
        parts = [r.band.get(lang), text] if r.band is not None else [text]
    else:
        parts = [word(r.outcome.value, lang)]
        if r.points_lost > 0:
            parts.append(word("points_lost", lang).format(n=lost))
    parts += [word(f"blocks_{b}", lang) for b in r.blocks]
    head = f"{r.label.get(lang)}: " + ", ".join(parts)
    details = [f"{word('condition', lang)}: {r.condition.get(lang)}"]
    if r.observed:
        details.append(f"{word('observed', lang)}: {_values(r.observed, lang)}")
    if r.advice is not None:
        details.append(f"{word('advice', lang)}: {r.advice.get(lang)}")
    return head, details


def _labels(e: Explanation, ids: list[str], lang: str) -> str:
    return ", ".join(e.labels[i].get(lang) if i in e.labels else i for i in ids)


def _gap_items(e: Explanation, lang: str) -> list[tuple[str, list[str]]]:
    items: list[tuple[str, list[str]]] = []
    g = e.gaps
    if g.stage is not None:
        details = []
        if g.stage.missing:
            details.append(f"{word('gates_missing', lang)}: "
                           f"{_labels(e, g.stage.missing, lang)}")
        if g.stage.unknown:
            details.append(f"{word('gates_unknown', lang)}: "
                           f"{_labels(e, g.stage.unknown, lang)}")
        if g.stage.points_short > 0:
            details.append(f"{word('points_short', lang)}: "
                           f"{fmt_number(g.stage.points_short, lang)}")
        if g.stage.possible_with_data:
            details.append(word("possible_with_data", lang))
        items.append((f"{word('to_stage', lang)} {g.stage.label.get(lang)}", details))
    elif e.stages:
        items.append((word("at_top_stage", lang), []))
    if g.class_ is not None:
        c = g.class_
        bound = word("min_score" if c.inclusive else "more_than", lang)
        details = [f"{word('points_short', lang)}: {fmt_number(c.points_short, lang)}"
                   f" ({bound} {fmt_number(c.threshold, lang)})"
                   ] if c.points_short > 0 else []
        if c.missing:
            details.append(f"{word('gates_missing', lang)}: "
                           f"{_labels(e, c.missing, lang)}")
        if c.unknown:
            details.append(f"{word('gates_unknown', lang)}: "
                           f"{_labels(e, c.unknown, lang)}")
        if c.possible_with_data:
            details.append(word("possible_with_data", lang))
        items.append((f"{word('to_class', lang)} {c.label.get(lang)}", details))
    elif e.classes:
        items.append((word("at_top_class", lang), []))
    if g.exit is not None:
        details = []
        if g.exit.missing:
            details.append(f"{word('gates_missing', lang)}: "
                           f"{_labels(e, g.exit.missing, lang)}")
        if g.exit.unknown:
            details.append(f"{word('gates_unknown', lang)}: "
                           f"{_labels(e, g.exit.unknown, lang)}")
        items.append((word("to_exit", lang), details))
    return items


def _steps(e: Explanation, ns: NextSteps, lang: str) -> list[Block]:
    kind = {"stage": "to_stage", "class": "to_class", "exit": "to_exit"}[
        ns.target.kind]
    title = word(kind, lang) if ns.target.kind == "exit" else (
        f"{word(kind, lang)} {ns.target.label.get(lang)}")
    blocks: list[Block] = [Heading(3, title)]
    if ns.already_reached:
        blocks.append(Para(word("already", lang)))
        return blocks
    items = []
    for s in ns.steps:
        head = "; ".join(
            f"{c.label.get(lang)}: {fmt_value(c.before, c.unit, lang, c.display)} → "
            f"{fmt_value(c.after, c.unit, lang, c.display)}" for c in s.changes)
        details = []
        if s.meets:
            details.append(f"{word('meets', lang)}: {_labels(e, s.meets, lang)}")
        if s.points > 0:
            details.append(word("adds_points", lang).format(
                n=fmt_number(s.points, lang)))
        if s.advice is not None:
            details.append(f"{word('advice', lang)}: {s.advice.get(lang)}")
        items.append((head, details))
    if items:
        blocks.append(Items(True, items))
    if ns.reachable and ns.result is not None:
        r = ns.result
        parts = []
        if r.stage is not None:
            parts.append(f"{word('stage_word', lang)} {_stage(e, r.stage, lang)}")
        elif e.stages:
            parts.append(word("no_stage", lang))
        if e.classes:
            parts.append(f"{word('class_word', lang)} {_class(e, r.class_, lang)}")
        parts.append(f"{word('score', lang).lower()} {fmt_number(r.score, lang)}")
        blocks.append(Para(f"{word('after_steps', lang)}: " + ", ".join(parts)
                           + f" ({word('verified', lang)})."))
    if ns.blockers:
        blocks.append(Para(f"{word('no_path', lang, e.subject)}:"))
        blocks.append(Items(False, [(b.message.get(lang), []) for b in ns.blockers]))
    return blocks


def build_document(e: Explanation, lang: str = "id") -> list[Block]:
    """The explanation as blocks, in ``lang`` (``id`` or ``en``)."""
    title = word("explanation", lang)
    name = group_name(e.group_id, e.row, lang)
    blocks: list[Block] = [Heading(1, f"{title}: {name}" if name else title)]
    blocks.append(Para(
        f"{word('ruleset', lang)}: {e.ruleset.title.get(lang)} ({e.ruleset.id} "
        f"{word('version', lang)} {e.ruleset.version}, {word('hash', lang)} "
        f"{e.ruleset.hash})"))
    blocks.append(Items(False, [(line, []) for line in summary_lines(e, lang)]))

    blocks.append(Heading(2, word("reasons", lang, e.subject), "reasons"))
    if e.reasons:
        blocks.append(Items(True, [_reason(r, lang) for r in e.reasons]))
    else:
        blocks.append(Para(word("no_reasons", lang)))
    if e.not_applicable:
        blocks.append(Heading(2, word("not_applicable_to", lang, e.subject),
                              "not_applicable"))
        blocks.append(Items(False, [
            (f"{n.label.get(lang)}: {word('not_applicable', lang)} "
             f"({word('applies_when', lang)} {n.condition.get(lang)})", [])
            for n in e.not_applicable]))

    gap_items = _gap_items(e, lang)
    if gap_items:
        blocks.append(Heading(2, word("gaps", lang), "gaps"))
        blocks.append(Items(False, gap_items))

    plans = [ns for ns in (e.next_stage, e.next_class) if ns is not None]
    if plans:
        blocks.append(Heading(2, word("next_steps", lang), "steps"))
        for ns in plans:
            blocks += _steps(e, ns, lang)

    blocks.append(Heading(2, word("data_used", lang), "data"))
    blocks.append(TableBlock([word("field", lang), word("value", lang)],
                             [[_label(v, lang), _shown(v, lang)] for v in e.inputs]))
    if e.derived:
        blocks.append(Heading(3, word("derived", lang)))
        blocks.append(TableBlock([word("field", lang), word("value", lang)],
                                 [[_label(v, lang), _shown(v, lang)]
                                  for v in e.derived]))
    if e.issues:
        blocks.append(Heading(2, word("issues", lang), "issues"))
        labels = {v.name: v.label.get(lang) for v in e.inputs}
        items: list[tuple[str, list[str]]] = []
        for i in e.issues:
            # A consistency check names every field it set aside.
            names = [i.field] if i.field else list(i.params.get("fields") or [])
            where = ", ".join(labels.get(n, n) for n in names)
            text = f"{i.problem(lang)} ({word('fix', lang)}: {i.fix(lang)})"
            items.append((f"{where}: {text}" if where else text, []))
        blocks.append(Items(False, items))
    return blocks
