"""Plain-text and Markdown renderings of an :class:`Explanation`."""

from __future__ import annotations

import textwrap

from kematangan.explain.document import Heading, Items, Para, TableBlock, build_document
from kematangan.explain.types import Explanation

__all__ = ["render_markdown", "render_text"]

_WIDTH = 88


def _check_lang(lang: str) -> None:
    if lang not in ("id", "en"):
        raise ValueError(f"unknown language {lang!r}; use 'id' (Indonesian) or 'en'")


def render_text(explanation: Explanation, lang: str = "id") -> str:
    """The explanation as plain text, wrapped at 88 columns.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> from kematangan.explain import explain
    >>> scorer = Scorer("ppmk-ksm")
    >>> text = render_text(explain(scorer.score(scorer.ruleset.tests[1].record),
    ...                            scorer))
    >>> print(text.splitlines()[0])
    Penjelasan hasil penilaian: KSM-02
    >>> "Tahap saat ini: Penumbuhan" in text, "Penghambat" in text
    (True, True)
    """
    _check_lang(lang)
    out: list[str] = []
    for block in build_document(explanation, lang):
        if isinstance(block, Heading):
            if out:
                out.append("")
            out.append(block.text)
            if block.level <= 2:
                out.append(("=" if block.level == 1 else "-") * len(block.text))
        elif isinstance(block, Para):
            out += textwrap.wrap(block.text, _WIDTH) or [""]
        elif isinstance(block, Items):
            for n, (head, details) in enumerate(block.items, 1):
                mark = f"{n}. " if block.ordered else "- "
                pad = " " * len(mark)
                out += textwrap.wrap(head, _WIDTH, initial_indent=mark,
                                     subsequent_indent=pad)
                for d in details:
                    out += textwrap.wrap(d, _WIDTH, initial_indent=pad,
                                         subsequent_indent=pad + "  ")
        elif isinstance(block, TableBlock):
            width = max(len(r[0]) for r in [block.header, *block.rows])
            for row in [block.header, *block.rows]:
                out.append(f"{row[0]:<{width}}  {row[1]}")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Escape what Markdown would read as markup inside running text."""
    for ch in ("\\", "*", "_", "`", "|", "<", ">", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(explanation: Explanation, lang: str = "id") -> str:
    """The explanation as Markdown (headings, lists, a table of the data used).

    Examples
    --------
    >>> from kematangan import Scorer
    >>> from kematangan.explain import explain
    >>> scorer = Scorer("ppmk-ksm")
    >>> md = render_markdown(explain(scorer.score(scorer.ruleset.tests[1].record),
    ...                              scorer), lang="en")
    >>> md.splitlines()[0], "## Next steps" in md
    ('# Explanation of the assessment: KSM-02', True)
    """
    _check_lang(lang)
    out: list[str] = []
    for block in build_document(explanation, lang):
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + _md(block.text), ""]
        elif isinstance(block, Para):
            out += [_md(block.text), ""]
        elif isinstance(block, Items):
            for n, (head, details) in enumerate(block.items, 1):
                mark = f"{n}. " if block.ordered else "- "
                out.append(mark + _md(head))
                out += [" " * len(mark) + "- " + _md(d) for d in details]
            out.append("")
        elif isinstance(block, TableBlock):
            out.append("| " + " | ".join(_md(h) for h in block.header) + " |")
            out.append("|" + "---|" * len(block.header))
            out += ["| " + " | ".join(_md(c) for c in row) + " |"
                    for row in block.rows]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
