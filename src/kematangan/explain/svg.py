"""Small inline SVG charts for the HTML reports: no scripts, no external assets.

Every chart is a ``<svg>`` element with a ``<title>`` (read by screen readers) and
text drawn from the data, escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Bar", "Segment", "bar_chart", "ladder", "score_bar"]

GOOD, WARN, BAD, MUTED, INK = "#2e7d32", "#f9a825", "#c62828", "#cfd8dc", "#263238"
_PALETTE = ("#90a4ae", "#4fc3f7", "#81c784", "#ffb74d", "#ba68c8", "#e57373")


def palette(i: int) -> str:
    """A fill colour for the ``i``-th category."""
    return _PALETTE[i % len(_PALETTE)]


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value, optional total (drawn as a track), colour and the
    text shown after it."""

    label: str
    value: float
    total: float | None = None
    color: str = "#4fc3f7"
    note: str = ""


def bar_chart(title: str, bars: Sequence[Bar], *, width: int = 720,
              label_width: int = 300) -> str:
    """A horizontal bar chart; bars scale to the largest value or total.

    Examples
    --------
    >>> svg = bar_chart("Tahap", [Bar("Penumbuhan", 3), Bar("Penguatan", 1)])
    >>> svg.startswith("<svg") and svg.count("<rect") >= 2
    True
    """
    row, top = 26, 8
    height = top * 2 + row * max(1, len(bars))
    scale_to = max([b.total or b.value for b in bars] + [1e-9])
    plot = width - label_width - 100
    parts = [f'<svg role="img" class="chart" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
             f"<title>{escape(title)}</title>"]
    for n, b in enumerate(bars):
        y = top + n * row
        # About 7 px a character at 13 px: cut labels that would not fit.
        room = (label_width - 12) // 7
        label = b.label if len(b.label) <= room else b.label[:room - 1] + "…"
        parts.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" '
                     f'class="lbl">{escape(label)}</text>')
        if b.total is not None:
            parts.append(f'<rect x="{label_width}" y="{y + 4}" '
                         f'width="{_num(plot * b.total / scale_to)}" height="18" '
                         f'fill="{MUTED}" rx="3"/>')
        w = plot * max(b.value, 0.0) / scale_to
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{_num(w)}" '
                     f'height="18" fill="{b.color}" rx="3"/>')
        end = label_width + plot * (b.total or b.value) / scale_to
        parts.append(f'<text x="{_num(end + 6)}" y="{y + 17}" class="val">'
                     f"{escape(b.note or _num(b.value))}</text>")
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Segment:
    """A class band on the score bar."""

    label: str
    low: float
    high: float


def score_bar(title: str, segments: Sequence[Segment], score: float, upper: float,
              max_score: float, score_text: str, *, width: int = 640) -> str:
    """The score on a bar coloured by class bands; a dashed mark shows the score
    reachable once missing data is known."""
    left, plot, height = 10, width - 20, 74

    def x(v: float) -> float:
        return left + plot * min(max(v, 0.0), max_score) / (max_score or 1.0)

    parts = [f'<svg role="img" class="chart" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
             f"<title>{escape(title)}</title>"]
    if not segments:
        segments = [Segment("", 0.0, max_score)]
    for n, s in enumerate(segments):
        x0, x1 = x(s.low), x(s.high)
        parts.append(f'<rect x="{_num(x0)}" y="26" width="{_num(max(x1 - x0, 0))}" '
                     f'height="20" fill="{palette(n)}"/>')
        parts.append(f'<text x="{_num((x0 + x1) / 2)}" y="62" text-anchor="middle" '
                     f'class="small">{escape(s.label)}</text>')
    if upper > score:
        parts.append(f'<line x1="{_num(x(upper))}" x2="{_num(x(upper))}" y1="20" '
                     f'y2="50" stroke="{INK}" stroke-width="2" '
                     'stroke-dasharray="3 3"/>')
    sx = x(score)
    parts.append(f'<line x1="{_num(sx)}" x2="{_num(sx)}" y1="18" y2="52" '
                 f'stroke="{INK}" stroke-width="3"/>')
    anchor = "start" if sx < width * 0.7 else "end"
    dx = 6 if anchor == "start" else -6
    parts.append(f'<text x="{_num(sx + dx)}" y="14" text-anchor="{anchor}" '
                 f'class="val">{escape(score_text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def ladder(title: str, steps: Sequence[tuple[str, str]], *, width: int = 640) -> str:
    """A stage ladder; each step is (label, state) with state ``reached``,
    ``possible`` (reachable once data is known) or ``ahead``."""
    n = max(1, len(steps))
    gap = 8
    w = (width - gap * (n - 1)) / n
    height = 40 + 18 * n
    parts = [f'<svg role="img" class="chart" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
             f"<title>{escape(title)}</title>"]
    for i, (label, state) in enumerate(steps):
        h = 30 + 18 * i
        x0, y0 = i * (w + gap), height - h
        fill = {"reached": GOOD, "possible": "#ffffff", "ahead": MUTED}[state]
        dash = ' stroke-dasharray="5 3"' if state == "possible" else ""
        parts.append(f'<rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(w)}" '
                     f'height="{h}" fill="{fill}" stroke="{INK}" stroke-width="1"'
                     f'{dash} rx="4"/>')
        color = "#ffffff" if state == "reached" else INK
        parts.append(f'<text x="{_num(x0 + w / 2)}" y="{_num(y0 + 19)}" '
                     f'text-anchor="middle" class="lbl" fill="{color}">'
                     f"{escape(label)}</text>")
    parts.append("</svg>")
    return "".join(parts)
