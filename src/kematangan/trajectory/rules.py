"""What a ruleset's ``history`` section means, once, for histories and the monitor.

Time is counted in months between assessment dates (the month of each, see
:func:`~kematangan.criteria.periods.month_index`): a group assessed at growth at the
end of March 2023 and again at the end of March 2024 has been at growth for 12
months. Stays and runs are counted from the first assessment at the stage in the
data: what came before the data is not known.

* **Stagnation**: a group is stagnating when its stage is certain and it has been
  at that stage for *more than* the stage's ``more_than_months``. A period without
  an assessment does not end a stay (the group was at the stage before and after).
* **Exit on a track record**: a group is exit-ready when the snapshot says so and
  it has held the exit stage (or a later one) for the rule's ``periods`` periods in
  a row, or ``months``. A period without an assessment ends the run: nothing shows
  the stage was held then.
* **Regression**: the stage (or class) of an assessment is certainly below the
  latest earlier assessment whose stage (class) is known: even once its missing
  data is known, the group could not be at the earlier one. Missing data alone is
  never a regression, and an undetermined assessment the group could still be at
  its stage in does not end a stay. The criteria that caused a regression were met
  at the earlier assessment and are not met now.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kematangan.criteria.ruleset import Ruleset, Text

__all__ = ["TrackRules", "lost_criteria", "track_rules"]


@dataclass(frozen=True)
class TrackRules:
    """A ruleset's history section in the form the computations use.

    ``stagnation_months[k]`` is the limit of stage ``k`` (``inf``: none);
    ``exit_stage`` is the exit stage's index (-1: no exit rule). Exactly one of
    ``exit_periods`` and ``exit_months`` is set when exit needs a track record.
    """

    cadence: str
    stage_ids: tuple[str, ...]
    stagnation_months: tuple[float, ...]
    stagnation_messages: tuple[Text | None, ...]
    exit_stage: int
    exit_periods: int | None = None
    exit_months: int | None = None
    exit_message: Text | None = None
    formation_field: str | None = None

    @property
    def exit_needs_record(self) -> bool:
        """Whether exit needs the exit stage held for a while."""
        return self.exit_periods is not None or self.exit_months is not None

    def stagnating(self, stage: int, months: int, determined: bool = True) -> bool:
        """Whether a group at stage index ``stage`` for ``months`` is stagnating.

        Examples
        --------
        >>> from kematangan.criteria import load_ruleset
        >>> rules = track_rules(load_ruleset("ppmk-ksm"))
        >>> rules.stagnating(0, 12), rules.stagnating(0, 15)
        (False, True)
        """
        return (determined and 0 <= stage < len(self.stagnation_months)
                and months > self.stagnation_months[stage])


def track_rules(ruleset: Ruleset) -> TrackRules:
    """The :class:`TrackRules` of ``ruleset`` (none apply without a history section).

    Examples
    --------
    >>> from kematangan.criteria import load_ruleset
    >>> rules = track_rules(load_ruleset("ppmk-ksm"))
    >>> rules.cadence, rules.stagnation_months[0], rules.exit_periods
    ('quarter', 12.0, 4)
    """
    stage_ids = tuple(s.id for s in ruleset.stages)
    rank = {sid: i for i, sid in enumerate(stage_ids)}
    limits = [math.inf] * len(stage_ids)
    messages: list[Text | None] = [None] * len(stage_ids)
    h = ruleset.history
    exit_stage = rank.get(ruleset.exit.stage, -1) if ruleset.exit else -1
    if h is None:
        return TrackRules("quarter", stage_ids, tuple(limits), tuple(messages),
                          exit_stage)
    for rule in h.stagnation:
        limits[rank[rule.stage]] = float(rule.more_than_months)
        messages[rank[rule.stage]] = rule.message
    ex = h.exit
    return TrackRules(
        h.cadence, stage_ids, tuple(limits), tuple(messages), exit_stage,
        exit_periods=ex.periods if ex else None,
        exit_months=ex.months if ex and ex.periods is None else None,
        exit_message=ex.message if ex else None, formation_field=h.formation_field)


def lost_criteria(before: Mapping[str, str], after: Mapping[str, str],
                  order: Sequence[str]) -> list[str]:
    """The criteria met ``before`` and not met ``after`` (outcome names), in
    ``order``: what caused a regression.

    Examples
    --------
    >>> lost_criteria({"a": "met", "b": "met", "c": "not_met"},
    ...               {"a": "not_met", "b": "unknown", "c": "not_met"}, "abc")
    ['a']
    """
    return [c for c in order
            if before.get(c) == "met" and after.get(c) == "not_met"]
