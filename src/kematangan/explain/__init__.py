"""Explanations: reason codes, gaps, next steps and reports for scored groups.

Examples
--------
>>> from kematangan import Scorer
>>> from kematangan.explain import explain, render_text
>>> scorer = Scorer("ppmk-ksm")
>>> e = explain(scorer.score(scorer.ruleset.tests[1].record), scorer)
>>> e.reasons[0].label.get("id")
'Administrasi kelompok tertib'
"""

from kematangan.explain.explanation import explain
from kematangan.explain.gaps import gaps
from kematangan.explain.reasons import batch_reasons, reasons
from kematangan.explain.render_html import portfolio_report_html, render_html
from kematangan.explain.render_text import render_markdown, render_text
from kematangan.explain.steps import next_steps
from kematangan.explain.story import history_story, story_lines
from kematangan.explain.trend_html import trend_report_html
from kematangan.explain.types import (
    Blocker,
    Change,
    ClassGap,
    ExitGap,
    Explanation,
    Gaps,
    NextSteps,
    NotApplicable,
    Reason,
    StageGap,
    Step,
    Target,
    Value,
)

__all__ = [
    "Blocker",
    "Change",
    "ClassGap",
    "ExitGap",
    "Explanation",
    "Gaps",
    "NextSteps",
    "NotApplicable",
    "Reason",
    "StageGap",
    "Step",
    "Target",
    "Value",
    "batch_reasons",
    "explain",
    "gaps",
    "history_story",
    "next_steps",
    "portfolio_report_html",
    "reasons",
    "render_html",
    "render_markdown",
    "render_text",
    "story_lines",
    "trend_report_html",
]
