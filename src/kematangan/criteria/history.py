"""The ``history`` section of a ruleset: what a group's track record must show.

A snapshot says where a group stands today; programs decide on a track record. The
section says how often groups are assessed (``cadence``), which field dates a
group's formation (for cohorts), how long the exit stage must be held before the
program may leave (``exit``), and how long a group may stay at one stage before it
counts as stagnating (``stagnation``). Its ``tests`` are histories (a record per
period) with what they must give. What the section *means* for data is in
:mod:`kematangan.trajectory`.

Examples
--------
>>> h = History.model_validate({
...     "stagnation": [{"stage": "growth", "more_than_months": 12,
...                     "message": "Lebih dari {limit} bulan di tahap {stage}"}]})
>>> h.cadence, h.stagnation[0].more_than_months
('quarter', 12)
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from kematangan.criteria.elements import Identifier, StrictModel, Text
from kematangan.criteria.periods import Cadence

__all__ = ["EXIT_PLACEHOLDERS", "STAGNATION_PLACEHOLDERS", "ExitHistory", "History",
           "HistoryCase", "HistoryExpectation", "HistoryPeriod", "RegressionExpectation",
           "StagnationRule"]

STAGNATION_PLACEHOLDERS = ("stage", "months", "limit", "since")
"""What a stagnation message may name: ``{stage}`` (its label), ``{months}`` (months
at the stage), ``{limit}`` (the rule's months) and ``{since}`` (the first period of
the stay)."""

EXIT_PLACEHOLDERS = ("stage", "periods", "months", "required")
"""What an exit message may name: ``{stage}`` (the exit stage's label),
``{periods}`` and ``{months}`` (how long it has been held) and ``{required}`` (the
rule's number, in its unit)."""


def _year_as_text(value: Any) -> Any:
    # YAML reads a year period (2024) as a number.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else (
        value)


PeriodText = Annotated[str, BeforeValidator(_year_as_text)]
"""A period as written: ``2024Q3``, ``2024-09``, ``2024`` (see
:mod:`kematangan.criteria.periods`)."""


class StagnationRule(StrictModel):
    """A group at ``stage`` for more than ``more_than_months`` is stagnating."""

    stage: Identifier
    more_than_months: int = Field(ge=1, le=1200, description=(
        "Months between the first assessment at the stage and the latest one."))
    message: Text = Field(description="Said of a stagnating group; may name "
                          "{stage}, {months}, {limit} and {since}.")


class ExitHistory(StrictModel):
    """Exit needs the exit stage held for ``periods`` consecutive periods, or for
    ``months`` (between the first and the latest assessment of the run); exactly
    one of the two (lint checks)."""

    periods: int | None = Field(default=None, ge=1, le=1200)
    months: int | None = Field(default=None, ge=1, le=1200)
    message: Text = Field(description="Said of a group at the exit stage that has "
                          "not held it long enough; may name {stage}, {periods}, "
                          "{months} and {required}.")


class HistoryPeriod(StrictModel):
    """One period of a test history: the whole ``record``, or the ``changes`` to
    the previous period's record (a ``null`` removes a value); exactly one of the
    two (lint checks)."""

    period: PeriodText
    record: dict[str, Any] | None = None
    changes: dict[str, Any] | None = None


class RegressionExpectation(StrictModel):
    """A regression expected at ``period``; ``criteria`` (when given) are exactly
    the criteria met in the period before and not met at it."""

    period: PeriodText
    criteria: list[Identifier] | None = None


class HistoryExpectation(StrictModel):
    """What a test history must give; only the keys given are checked.

    ``stage``, ``class``, ``months_in_stage``, ``stagnating`` and ``exit_ready``
    are read at the last period; ``regressions`` and ``gaps`` list every one.
    """

    stage: str | None = None
    class_: str | None = Field(default=None, alias="class")
    months_in_stage: int | None = None
    stagnating: bool | None = None
    exit_ready: bool | None = None
    regressions: list[RegressionExpectation] = Field(default_factory=list)
    gaps: list[PeriodText] = Field(default_factory=list, description="Periods "
                                   "without an assessment, between the first and "
                                   "the last.")
    first_at: dict[Identifier, PeriodText] = Field(
        default_factory=dict, description="Stage id to the first period at it.")


class HistoryCase(StrictModel):
    """An embedded test over a history: periods, each with a record, and what the
    history must give."""

    name: str
    periods: list[HistoryPeriod] = Field(min_length=1)
    expect: HistoryExpectation


class History(StrictModel):
    """The ``history`` section of a ruleset (see the language page)."""

    cadence: Cadence = Field(default="quarter", description=(
        "How often groups are assessed: month, quarter or year. Gaps are counted "
        "in it, and assessment dates fall into its periods."))
    formation_field: Identifier | None = Field(default=None, description=(
        "A date or integer (year) field giving when a group was formed; groups "
        "formed in one year make a cohort."))
    exit: ExitHistory | None = None
    stagnation: list[StagnationRule] = Field(default_factory=list)
    tests: list[HistoryCase] = Field(default_factory=list)

