"""The trend report: a self-contained HTML page over many groups' histories.

Figures, the transition diagram between two periods with its table, the groups
stagnating and regressing with their reasons, cohorts, and a timeline of every
group (one row a group, one cell a period). Like the other reports: inline CSS and
SVG, no scripts, a Content-Security-Policy that loads nothing.
"""

from __future__ import annotations

from html import escape
from typing import Any

from kematangan.explain.render_html import page, table
from kematangan.explain.trend_svg import Cell, flow_diagram, timeline_grid
from kematangan.explain.trend_tables import (
    cohort_table,
    problem_table,
    regression_table,
    stagnation_table,
    state_names,
)
from kematangan.explain.wording import fmt_number, word
from kematangan.trajectory import Trajectories, Transitions, cohorts, transitions

__all__ = ["trend_report_html"]


def _rows(cols: dict[str, Any], limit: int) -> tuple[list[str], list[list[str]]]:
    header = list(cols)
    n = len(next(iter(cols.values()))) if cols else 0
    rows = [[_text(cols[h][i]) for h in header] for i in range(min(n, limit))]
    return header, rows


def _text(v: Any) -> str:
    if isinstance(v, float):
        return "" if v != v else fmt_number(v)
    return "" if v is None else str(v)


def _section(key: str, title: str, cols: dict[str, Any], lang: str, limit: int
             ) -> list[str]:
    header, rows = _rows(cols, limit)
    out = [f'<h2 id="{key}">{escape(title)}</h2>']
    if not rows:
        return [*out, f"<p>{escape(word('none', lang))}</p>"]
    out.append(table(header, rows))
    total = len(next(iter(cols.values())))
    if total > limit:
        out.append("<p>" + escape(word("rows_shown", lang).format(
            shown=limit, total=total)) + "</p>")
    return out


def _cards(t: Trajectories, lang: str) -> str:
    s = t.summary()
    cards = [(word("records", lang), s["groups"]),
             (word("regressions", lang), s["regressions"])]
    if t.stage_ids:
        cards.append((word("stagnating", lang), s["stagnating"]))
    if t.rules.exit_stage >= 0:
        cards.append((word("exit_ready_count", lang), s["exit_ready"]))
    cards.append((word("rows_not_placed", lang), s["rows_not_placed"]))
    return '<div class="cards">' + "".join(
        f'<div class="card"><div>{escape(name)}</div><div class="big">{v}</div>'
        "</div>" for name, v in cards) + "</div>"


def _flow(tr: Transitions, t: Trajectories, lang: str) -> list[str]:
    names = state_names(tr, t, lang)
    key = "transitions" if tr.by == "stage" else "class_transitions"
    title = (f"{word(key, lang)}, " + word("from_to", lang).format(
        first=tr.from_period, last=tr.to_period))
    labels = [names[s] for s in tr.states]
    matrix = [[labels[i], *[str(int(v)) if v else "" for v in tr.counts[i].tolist()]]
              for i in range(len(labels)) if tr.counts[i].any()]
    moved = (f"{word('went_up', lang)} {tr.moved('up')}, "
             f"{word('stayed', lang)} {tr.moved('same')}, "
             f"{word('went_down', lang)} {tr.moved('down')}")
    return [f'<h2 id="transitions">{escape(title)}</h2>',
            flow_diagram(title, labels, tr.counts, tr.from_period, tr.to_period),
            f"<p>{escape(moved)} {escape(word('groups', lang))}.</p>",
            table([f"{tr.from_period} \\ {tr.to_period}", *labels], matrix)]


def _timelines(t: Trajectories, lang: str, limit: int) -> list[str]:
    rs = t.ruleset
    by_stage = bool(t.stage_ids)
    levels = ([word("no_stage", lang), *[s.label.get(lang) for s in rs.stages]]
              if by_stage else
              [word("no_class", lang), *[k.label.get(lang) for k in rs.classes]])
    level = t.scored.stage if by_stage else t.scored.class_
    upper = t.scored.stage_upper if by_stage else t.scored.class_upper
    first = int(t.ordinal.min()) if len(t) else 0
    periods = list(range(first, t.latest + 1))
    tr = t.track
    rows = []
    for g in range(min(len(t.groups), limit)):
        cells: list[Cell | None] = [None] * len(periods)
        for i in range(int(t.starts[g]), int(t.last[g]) + 1):
            name = levels[int(level[i]) + 1]
            cells[int(t.ordinal[i]) - first] = Cell(
                int(level[i]), f"{t.groups[g]} {t.label(t.ordinal[i])}: {name}",
                regression=bool(tr.stage_lost[i] | tr.class_lost[i]),
                stagnating=bool(tr.stagnating[i]),
                exit_ready=bool(tr.exit_ready[i] == 1),
                undetermined=bool(level[i] != upper[i]))
        rows.append((str(t.groups[g]), cells))
    marks = [word("regressions", lang), word("stagnating", lang),
             word("exit", lang), word("undetermined", lang)]
    out = [f'<h2 id="timelines">{escape(word("timelines", lang))}</h2>',
           timeline_grid(word("timelines", lang), [t.label(o) for o in periods],
                         rows, levels, marks)]
    if len(t.groups) > limit:
        out.append("<p>" + escape(word("rows_shown", lang).format(
            shown=limit, total=len(t.groups))) + "</p>")
    return out


def trend_report_html(t: Trajectories, lang: str = "id", *,
                      from_period: str | None = None, to_period: str | None = None,
                      max_rows: int = 500) -> str:
    """The trend report of ``t`` (transitions from ``from_period`` to
    ``to_period``, by default the first and the latest period; tables and the
    timeline show the first ``max_rows`` rows or groups).

    Examples
    --------
    >>> from kematangan.trajectory import score_history
    >>> t = score_history([{"group_id": "A", "period": "2024Q1", "members": 12},
    ...                    {"group_id": "A", "period": "2024Q3", "members": 3}],
    ...                   "ppmk-ksm")
    >>> page = trend_report_html(t)
    >>> page.startswith("<!DOCTYPE html>"), page.count("<svg"), "://" in page
    (True, 2, False)
    """
    if lang not in ("id", "en"):
        raise ValueError(f"unknown language {lang!r}; use 'id' or 'en'")
    rs = t.ruleset
    title = f"{word('trend_report', lang)}: {rs.title.get(lang)}"
    used = ", ".join(f"{r.id} {r.version} ({word('hash', lang)} {r.content_hash[:12]})"
                     for r in t.rulesets)
    periods = t.periods()
    span = f"{periods[0]} - {periods[-1]}" if periods else ""
    body = [f"<h1>{escape(title)}</h1>",
            f'<p class="stamp">{escape(word("ruleset", lang))}: {escape(used)}; '
            f"{escape(word('period', lang))} {escape(span)} "
            f"({escape(word('cadence_' + t.cadence, lang))})</p>", _cards(t, lang)]
    if len(t):
        body += _flow(transitions(t, from_period, to_period), t, lang)
    if t.stage_ids:
        body += _section("stagnating", word("stagnating", lang),
                         stagnation_table(t.stagnating(), t, lang), lang, max_rows)
    body += _section("regressions", word("regressions", lang),
                     regression_table(t.regressions(), t, lang), lang, max_rows)
    found = cohorts(t)
    if found:
        body += _section("cohorts", word("cohorts", lang),
                         cohort_table(found, t, lang), lang, max_rows)
    if len(t):
        body += _timelines(t, lang, max_rows)
    if t.problems:
        body += _section("problems", word("issues", lang),
                         problem_table(list(t.problems), lang), lang, max_rows)
    return page(title, lang, "\n".join(body))
