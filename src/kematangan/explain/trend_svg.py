"""Inline SVG for trend reports: a timeline grid (one row a group, one column a
period) and a transition diagram (groups flowing from their state in one period to
their state in another). No scripts; every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np
import numpy.typing as npt

from kematangan.explain.svg import BAD, INK, MUTED, palette

__all__ = ["Cell", "flow_diagram", "timeline_grid"]

_LEGEND_ITEM = 170
_STAGE_COLOURS = ("#b0bec5", "#ffcc80", "#81d4fa", "#a5d6a7", "#2e7d32", "#ce93d8")


def level_colour(level: int) -> str:
    """The fill of level ``level`` (-1: none), lightest first."""
    if level < 0:
        return "#eceff1"
    return _STAGE_COLOURS[1 + level] if level + 1 < len(_STAGE_COLOURS) else palette(
        level)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Cell:
    """One assessment on the grid: its level (-1: none), and marks."""

    level: int
    title: str
    regression: bool = False
    stagnating: bool = False
    exit_ready: bool = False
    undetermined: bool = False


def timeline_grid(title: str, periods: Sequence[str], rows: Sequence[tuple[
        str, Sequence[Cell | None]]], levels: Sequence[str], marks: Sequence[str],
                  *, cell: int = 18) -> str:
    """Groups (rows) by periods (columns); a dashed cell is a period without an
    assessment (after the group's first). ``levels`` names the colours; ``marks`` names the regression,
    stagnation, exit and undetermined marks, for the legend.

    Examples
    --------
    >>> svg = timeline_grid("t", ["2024Q1", "2024Q2"], [("A", [Cell(0, "x"), None])],
    ...                     ["Growth"], ["fell", "stuck", "exit", "unsure"])
    >>> svg.count("<rect") >= 3, "<title>x</title>" in svg
    (True, True)
    """
    label_w, top = 110, 64
    width = max(label_w + cell * len(periods) + 10, 530)
    per_row = (width - 10) // _LEGEND_ITEM
    legend_h = 22 * -(-(len(levels) + len(marks)) // per_row)
    height = top + cell * len(rows) + legend_h + 20
    out = [f'<svg role="img" class="chart" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}"><title>{escape(title)}</title>']
    for j, p in enumerate(periods):
        x = label_w + j * cell + cell / 2
        out.append(f'<text x="{_num(x)}" y="{top - 6}" class="small" '
                   f'transform="rotate(-60 {_num(x)} {top - 6})">{escape(p)}</text>')
    for i, (name, cells) in enumerate(rows):
        y = top + i * cell
        out.append(f'<text x="{label_w - 6}" y="{_num(y + cell * 0.72)}" '
                   f'text-anchor="end" class="small">{escape(name[:16])}</text>')
        begun = next((j for j, c in enumerate(cells) if c is not None), len(cells))
        for j, c in enumerate(cells):
            x = label_w + j * cell
            if c is None and j < begun:
                continue  # before the group's first assessment: no gap
            if c is None:
                out.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" '
                           f'height="{cell - 2}" fill="none" stroke="{MUTED}" '
                           'stroke-dasharray="2 2"/>')
                continue
            stroke = f' stroke="{INK}" stroke-width="2"' if c.stagnating else ""
            out.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" '
                       f'height="{cell - 2}" fill="{level_colour(c.level)}"{stroke}>'
                       f"<title>{escape(c.title)}</title></rect>")
            out += _marks(c, x, y, cell)
    out += _legend(levels, marks, top + cell * len(rows) + 14, width)
    out.append("</svg>")
    return "".join(out)


def _marks(c: Cell, x: float, y: float, cell: int) -> list[str]:
    out = []
    if c.regression:
        out.append(f'<path d="M{_num(x + 4)} {_num(y + 5)} h{cell - 8} '
                   f'l{_num(-(cell - 8) / 2)} {cell - 9} z" fill="{BAD}"/>')
    if c.exit_ready:
        out.append(f'<circle cx="{_num(x + cell / 2)}" cy="{_num(y + cell / 2)}" '
                   f'r="{_num(cell / 5)}" fill="#ffffff" stroke="{INK}"/>')
    if c.undetermined:
        out.append(f'<text x="{_num(x + cell / 2)}" y="{_num(y + cell * 0.72)}" '
                   'text-anchor="middle" class="small">?</text>')
    return out


def _legend(levels: Sequence[str], marks: Sequence[str], y0: float, width: int
            ) -> list[str]:
    items: list[tuple[str, str]] = [(level_colour(k - 1), name)
                                    for k, name in enumerate(levels)]
    items += list(zip(("regression", "stagnating", "exit", "unsure"), marks,
                      strict=False))
    out, x, y = [], 10.0, y0
    for kind, name in items:
        if x + _LEGEND_ITEM > width and x > 10:
            x, y = 10.0, y + 22
        if kind.startswith("#"):
            out.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="14" height="14" '
                       f'fill="{kind}"/>')
        else:
            out.append(_swatch(kind, x, y))
        out.append(f'<text x="{_num(x + 20)}" y="{_num(y + 12)}" class="small">'
                   f"{escape(name)}</text>")
        x += _LEGEND_ITEM
    return out


def _swatch(kind: str, x: float, y: float) -> str:
    if kind == "regression":
        return f'<path d="M{_num(x)} {_num(y + 2)} h14 l-7 12 z" fill="{BAD}"/>'
    if kind == "stagnating":
        return (f'<rect x="{_num(x)}" y="{_num(y)}" width="14" height="14" '
                f'fill="{MUTED}" stroke="{INK}" stroke-width="2"/>')
    if kind == "exit":
        return (f'<circle cx="{_num(x + 7)}" cy="{_num(y + 7)}" r="4" fill="#ffffff" '
                f'stroke="{INK}"/>')
    return f'<text x="{_num(x + 4)}" y="{_num(y + 12)}" class="small">?</text>'


def flow_diagram(title: str, states: Sequence[str], counts: npt.NDArray[np.int64],
                 left_title: str, right_title: str, *, width: int = 640) -> str:
    """Groups flowing from their state on the left to their state on the right:
    ``counts[i, j]`` groups went from ``states[i]`` to ``states[j]``; band widths
    are proportional to counts. States are as in
    :class:`~kematangan.trajectory.Transitions`: not assessed, no level, then the
    levels; a band to a lower level is red.

    Examples
    --------
    >>> svg = flow_diagram("t", ["a", "b"], np.array([[1, 2], [0, 3]]), "Q1", "Q4")
    >>> svg.count("<path") == 3, ">Q4<" in svg
    (True, True)
    """
    total = int(counts.sum())
    gap, top, node_w = 8, 30, 14
    usable = 260.0
    scale = usable / total if total else 0.0
    height = int(top + usable + gap * len(states) + 20)
    x_left, x_right = 170, width - 170
    out = [f'<svg role="img" class="chart" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}"><title>{escape(title)}</title>',
           f'<text x="{x_left}" y="18" text-anchor="end" class="lbl">'
           f"{escape(left_title)}</text>",
           f'<text x="{x_right + node_w}" y="18" class="lbl">{escape(right_title)}'
           "</text>"]
    tops = []
    for totals in (counts.sum(axis=1), counts.sum(axis=0)):
        y, at = float(top), []
        for v in totals.tolist():
            at.append(y)
            y += v * scale + (gap if v else 0)
        tops.append(at)
    out += _nodes(states, counts.sum(axis=1), tops[0], x_left - node_w, scale,
                  node_w, "end", x_left - node_w - 6)
    out += _nodes(states, counts.sum(axis=0), tops[1], x_right, scale, node_w,
                  "start", x_right + node_w + 6)
    left_off = list(tops[0])
    right_off = list(tops[1])
    for i in range(len(states)):
        for j in range(len(states)):
            v = int(counts[i, j])
            if not v:
                continue
            w = v * scale
            y0, y1 = left_off[i] + w / 2, right_off[j] + w / 2
            left_off[i] += w
            right_off[j] += w
            mid = (x_left + x_right) / 2
            colour = BAD if 1 <= j < i else level_colour(j - 2)
            out.append(f'<path d="M{x_left} {_num(y0)} C{_num(mid)} {_num(y0)} '
                       f'{_num(mid)} {_num(y1)} {x_right} {_num(y1)}" fill="none" '
                       f'stroke="{colour}" stroke-opacity="0.55" '
                       f'stroke-width="{_num(max(w, 1))}"><title>{escape(states[i])}'
                       f" → {escape(states[j])}: {v}</title></path>")
    out.append("</svg>")
    return "".join(out)


def _nodes(states: Sequence[str], totals: npt.NDArray[np.int64], tops: list[float],
           x: float, scale: float, w: int, anchor: str, text_x: float) -> list[str]:
    out = []
    for k, (name, v) in enumerate(zip(states, totals.tolist(), strict=True)):
        if not v:
            continue
        h = v * scale
        fill = "#ffffff" if k == 0 else level_colour(k - 2)  # 0: not assessed
        out.append(f'<rect x="{_num(x)}" y="{_num(tops[k])}" width="{w}" '
                   f'height="{_num(max(h, 1))}" fill="{fill}" '
                   f'stroke="{INK}" stroke-width="0.5"/>')
        out.append(f'<text x="{_num(text_x)}" y="{_num(tops[k] + h / 2 + 4)}" '
                   f'text-anchor="{anchor}" class="lbl">{escape(name)} ({v})</text>')
    return out
