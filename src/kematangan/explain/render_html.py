"""Self-contained HTML reports: one group, or a whole portfolio.

A report is one file: inline CSS, inline SVG charts, no scripts, and a
Content-Security-Policy that forbids loading anything, so it opens offline and
never makes a network request.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from kematangan.explain.conditions import unconfirmed_notes
from kematangan.explain.document import (
    Block,
    Heading,
    Items,
    Para,
    TableBlock,
    build_document,
    group_name,
)
from kematangan.explain.facts import ScorerLike
from kematangan.explain.portfolio import Portfolio, portfolio
from kematangan.explain.svg import GOOD, MUTED, WARN, Bar, Segment, bar_chart, ladder
from kematangan.explain.svg import score_bar as svg_score_bar
from kematangan.explain.types import Explanation
from kematangan.explain.wording import fmt_number, word
from kematangan.scoring import BatchResult

__all__ = ["page", "portfolio_report_html", "render_html", "table"]

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'")

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:#263238;max-width:60rem;margin:1.5rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.3rem}h2{font-size:1.2rem;margin-top:1.8rem;
border-bottom:2px solid #cfd8dc;padding-bottom:.2rem}h3{font-size:1.05rem}
.stamp{color:#546e7a;font-size:.85rem;word-break:break-all}
.summary{display:flex;flex-wrap:wrap;gap:.6rem;list-style:none;padding:0}
.summary li{background:#eceff1;border-radius:6px;padding:.4rem .7rem}
ol.items>li,ul.items>li{margin:.45rem 0}.detail{color:#455a64;font-size:.92rem;
margin:.1rem 0}table{border-collapse:collapse;font-size:.92rem}
td,th{border:1px solid #cfd8dc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eceff1}.chart{max-width:100%;height:auto;display:block;margin:.6rem 0}
.chart .lbl{font-size:13px;fill:#263238}.chart .val{font-size:13px;fill:#263238;
font-weight:600}.chart .small{font-size:11px;fill:#37474f}
.big{font-size:2rem;font-weight:700}.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{background:#eceff1;border-radius:8px;padding:.6rem 1rem;min-width:10rem}
@media print{body{max-width:none}}
"""


def page(title: str, lang: str, body: str) -> str:
    """A self-contained HTML page: ``body`` with the house CSS and a
    Content-Security-Policy that loads nothing."""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n")


def _blocks(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            anchor = f' id="{escape(b.key)}"' if b.key else ""
            out.append(f"<h{b.level}{anchor}>{escape(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            out.append(f"<p>{escape(b.text)}</p>")
        elif isinstance(b, Items):
            tag = "ol" if b.ordered else "ul"
            out.append(f'<{tag} class="items">')
            for head, details in b.items:
                inner = "".join(f'<div class="detail">{escape(d)}</div>'
                                for d in details)
                out.append(f"<li>{escape(head)}{inner}</li>")
            out.append(f"</{tag}>")
        elif isinstance(b, TableBlock):
            out.append(table(b.header, b.rows))
    return out


def table(header: list[str], rows: list[list[str]]) -> str:
    """An HTML table of texts (escaped)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _charts(e: Explanation, lang: str) -> list[str]:
    out = []
    if e.stages:
        reached_upper = {lv.id for lv in e.stages[: [s.id for s in e.stages].index(
            e.stage_upper) + 1]} if e.stage_upper else set()
        steps = [(lv.label.get(lang), "reached" if lv.reached else
                  "possible" if lv.id in reached_upper else "ahead")
                 for lv in e.stages]
        out.append(ladder(word("ladder", lang), steps))
    segments = []
    for lv in e.classes:
        assert lv.low is not None and lv.high is not None
        segments.append(Segment(lv.label.get(lang), lv.low, min(lv.high, e.max_score)))
    text = (f"{word('score', lang)} {fmt_number(e.score, lang)} "
            f"{word('score_of', lang)} {fmt_number(e.max_score, lang)}")
    out.append(svg_score_bar(text, segments, e.score, e.score_upper, e.max_score,
                             text))
    if e.points:
        bars = [Bar(p.label.get(lang), p.points, p.max_points,
                    GOOD if p.points >= p.max_points else WARN,
                    f"{fmt_number(p.points, lang)} / {fmt_number(p.max_points, lang)}")
                for p in e.points]
        key = "points_by_stage" if e.stages else "points_by_criterion"
        out.append(f"<h3>{escape(word(key, lang))}</h3>")
        out.append(bar_chart(word(key, lang), bars))
    return out


def render_html(explanation: Explanation, lang: str = "id") -> str:
    """One group's explanation as a self-contained HTML page with inline charts.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> from kematangan.explain import explain
    >>> scorer = Scorer("ppmk-ksm")
    >>> page = render_html(explain(scorer.score(scorer.ruleset.tests[1].record),
    ...                            scorer))
    >>> page.startswith("<!DOCTYPE html>"), "<svg" in page, "://" in page
    (True, True, False)
    """
    if lang not in ("id", "en"):
        raise ValueError(f"unknown language {lang!r}; use 'id' or 'en'")
    blocks = build_document(explanation, lang)
    title = blocks[0].text if isinstance(blocks[0], Heading) else ""
    body = _blocks(blocks[:1])
    body.append(f'<p class="stamp">{escape(_para(blocks[1]))}</p>')
    summary = blocks[2]
    assert isinstance(summary, Items)
    body.append('<ul class="summary">' + "".join(
        f"<li>{escape(head)}</li>" for head, _ in summary.items) + "</ul>")
    body += _charts(explanation, lang)
    body += _blocks(blocks[3:])
    return page(title, lang, "\n".join(body))


def _para(block: Block) -> str:
    return block.text if isinstance(block, Para) else ""


def portfolio_report_html(batch: BatchResult, ruleset_or_scorer: ScorerLike,
                          lang: str = "id", *, k: int = 3, max_rows: int = 500,
                          appendix: Sequence[Block] = ()) -> str:
    """A portfolio report of a scored batch: stage and class distribution, the most
    common blocking criteria, exit-ready groups, and a table of groups (the first
    ``max_rows``, named by id and sheet row) with their top ``k`` reasons.

    The counts are of the batch's groups; its problems are counted once each.
    ``appendix`` adds sections at the end (``kematangan report`` adds how the
    file's columns were read and the rows that are not groups).

    Examples
    --------
    >>> from kematangan import Scorer
    >>> scorer = Scorer("ppmk-ksm")
    >>> batch = scorer.score_batch([c.record for c in scorer.ruleset.tests])
    >>> page = portfolio_report_html(batch, scorer)
    >>> "Sebaran tahap" in page, page.count("<svg") >= 3
    (True, True)
    """
    if lang not in ("id", "en"):
        raise ValueError(f"unknown language {lang!r}; use 'id' or 'en'")
    p = portfolio(batch, ruleset_or_scorer, k)
    rs = p.ctx.ruleset
    who = rs.subject
    title = f"{word('portfolio', lang, who)}: {p.title.get(lang)}"
    body = [f"<h1>{escape(title)}</h1>",
            f'<p class="stamp">{escape(word("ruleset", lang))}: {escape(rs.id)} '
            f"{escape(word('version', lang))} {escape(rs.version)}, "
            f"{escape(word('hash', lang))} {escape(p.ruleset.hash)}</p>"]
    cards = [(word("records", lang, who), str(p.records)),
             (word("with_issues", lang, who), str(p.with_issues)),
             (word("issues", lang), str(len(batch.issues)))]
    if p.exit_rule:
        cards.insert(1, (word("exit_ready_count", lang, who), str(p.exit_ready)))
    body.append('<div class="cards">' + "".join(
        f'<div class="card"><div>{escape(name)}</div><div class="big">{escape(v)}'
        "</div></div>" for name, v in cards) + "</div>")
    if p.exit_rule and p.records:
        body.append(bar_chart(word("exit_ready_count", lang, who), [Bar(
            word("exit_ready_count", lang, who), p.exit_ready, p.records, GOOD,
            f"{p.exit_ready} / {p.records}")]))
    if rs.stages:
        body.append(f'<h2 id="stages">{escape(word("stage_distribution", lang))}</h2>')
        body.append(bar_chart(word("stage_distribution", lang), [
            Bar(label.get(lang), n, color=MUTED if sid is None else GOOD)
            for sid, label, n in p.stages]))
        if p.stage_undetermined:
            body.append(f"<p>{escape(word('undetermined', lang))}: "
                        f"{p.stage_undetermined} {escape(word('groups', lang, who))}</p>")
    if rs.classes:
        body.append(f'<h2 id="classes">{escape(word("class_distribution", lang))}'
                    "</h2>")
        body.append(bar_chart(word("class_distribution", lang), [
            Bar(label.get(lang), n, color=MUTED if cid is None else "#4fc3f7")
            for cid, label, n in p.classes]))
        if p.class_undetermined:
            body.append(f"<p>{escape(word('undetermined', lang))}: "
                        f"{p.class_undetermined} {escape(word('groups', lang, who))}</p>")
    body.append(f'<h2 id="blockers">{escape(word("common_blockers", lang))}</h2>')
    if p.blockers:
        body.append(bar_chart(word("common_blockers", lang), [
            Bar(label.get(lang), n, color="#e57373") for _, label, n in p.blockers[:12]
        ]))
    else:
        body.append(f"<p>{escape(word('none', lang))}</p>")
    body.append(f'<h2 id="groups">{escape(word("top_reasons", lang))}</h2>')
    body.append(_group_table(batch, p, lang, k, max_rows))
    notes = unconfirmed_notes(p.ctx)
    if notes:
        # Working assumptions stand beside the figures they shape.
        body.append(f'<h2 id="unconfirmed">{escape(word("unconfirmed_heading", lang))}'
                    "</h2>")
        body.append('<ul class="items">' + "".join(
            f"<li>{escape(n.get(lang))}</li>" for n in notes) + "</ul>")
    body += _blocks(list(appendix))
    return page(title, lang, "\n".join(body))


def _group_table(batch: BatchResult, p: Portfolio, lang: str, k: int, max_rows: int
                 ) -> str:
    rs = p.ctx.ruleset
    n = min(len(batch), max_rows)
    stage_names = {s.id: s.label.get(lang) for s in rs.stages}
    class_names = {c.id: c.label.get(lang) for c in rs.classes}
    crit_names = {c.id: c.label.get(lang) for c in rs.criteria}
    gids = batch.group_ids if batch.group_ids is not None else [None] * len(batch)
    stage, klass, score = batch.stage, batch.class_, batch.score
    header = [word("group", lang, rs.subject)]
    header += [word("current_stage", lang)] if rs.stages else []
    header += [word("class", lang)] if rs.classes else []
    header += [word("score", lang)]
    header += [f"{word('top_reasons', lang)} {i + 1}" for i in range(k)]
    rows = []
    for i in range(n):
        row = [group_name(None if gids[i] is None else str(gids[i]),
                          int(batch.row_numbers[i]), lang)]
        if rs.stages:
            row.append(stage_names.get(stage[i], word("no_stage", lang)))
        if rs.classes:
            row.append(class_names.get(klass[i], word("no_class", lang)))
        row.append(fmt_number(float(score[i]), lang))
        row += [crit_names.get(p.reasons[f"reason_{j + 1}"][i], "")
                for j in range(k)]
        rows.append(row)
    note = ""
    if n < len(batch):
        note = "<p>" + escape(word("rows_shown", lang, rs.subject).format(
            shown=n, total=len(batch))) + "</p>"
    return table(header, rows) + note
