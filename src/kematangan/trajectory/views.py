"""Portfolio views over histories: where groups moved between two periods, and how
groups formed in the same year fare.

A transition counts every group of the data once: its state in the first period
and in the second, where a state is a stage (or a class), ``none`` (no stage
reached) or ``absent`` (not assessed in that period). Groups absent from both are
left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from kematangan.criteria.periods import parse_period
from kematangan.errors import InputError
from kematangan.trajectory.result import Trajectories

__all__ = ["ABSENT", "NONE", "Cohort", "Transitions", "cohorts", "transitions"]

ABSENT = "absent"
"""The state of a group not assessed in a period."""
NONE = "none"
"""The state of a group assessed but at no stage (or in no class)."""


@dataclass(frozen=True)
class Transitions:
    """Counts of groups from each state at ``from_period`` to each at
    ``to_period``: ``counts[i, j]`` groups went from ``states[i]`` to
    ``states[j]``; ``groups`` names them per cell."""

    by: Literal["stage", "class"]
    from_period: str
    to_period: str
    states: tuple[str, ...]
    counts: npt.NDArray[np.int64]
    groups: dict[tuple[str, str], list[str]]

    def cells(self) -> list[tuple[str, str, int, list[str]]]:
        """The cells with groups: (from, to, count, groups), in state order."""
        return [(self.states[i], self.states[j], int(self.counts[i, j]),
                 self.groups[(self.states[i], self.states[j])])
                for i, j in zip(*np.nonzero(self.counts), strict=True)]

    def moved(self, direction: Literal["up", "down", "same"]) -> int:
        """Groups assessed in both periods that went up, down or stayed."""
        inner = self.counts[1:, 1:]
        rank = np.arange(inner.shape[0])
        if direction == "up":
            return int(inner[rank[:, None] < rank[None, :]].sum())
        if direction == "down":
            return int(inner[rank[:, None] > rank[None, :]].sum())
        return int(np.trace(inner))


def _ordinal(t: Trajectories, text: str) -> int:
    try:
        period = parse_period(text).within(t.cadence)
    except ValueError as err:
        raise InputError(f"{text!r} is not a period of this history",
                         fix=f"use one of: {', '.join(t.periods())}") from err
    if period.ordinal not in set(t.ordinal.tolist()):
        raise InputError(f"no group is assessed in {period.label}",
                         fix=f"use one of: {', '.join(t.periods())}")
    return period.ordinal


def transitions(t: Trajectories, from_period: str | None = None,
                to_period: str | None = None,
                by: Literal["stage", "class"] | None = None) -> Transitions:
    """Where groups went from ``from_period`` (default: the first period in the
    data) to ``to_period`` (default: the latest), by stage (default, when the
    ruleset has stages) or by class.

    Examples
    --------
    >>> from kematangan.trajectory import score_history
    >>> base = {"formed_participatory": True, "members": 12,
    ...         "members_voluntary": True, "meetings_last_3_months": 3,
    ...         **{f"basic_rule_{i}": True for i in range(1, 6)}}
    >>> t = score_history([{**base, "group_id": "A", "period": "2024Q1"},
    ...                    {**base, "group_id": "A", "period": "2024Q2",
    ...                     "members": 2},
    ...                    {**base, "group_id": "B", "period": "2024Q2"}], "ppmk-ksm")
    >>> [c for c in transitions(t).cells()]
    [('absent', 'growth', 1, ['B']), ('growth', 'none', 1, ['A'])]
    """
    kind: Literal["stage", "class"] = by or ("stage" if t.stage_ids else "class")
    ids = t.stage_ids if kind == "stage" else t.class_ids
    values = t.scored.stage if kind == "stage" else t.scored.class_
    first = _ordinal(t, from_period) if from_period else int(t.ordinal.min())
    last = _ordinal(t, to_period) if to_period else t.latest
    states = (ABSENT, NONE, *ids)
    at = []
    for ordinal in (first, last):
        state = np.zeros(len(t.groups), dtype=np.int64)
        rows = np.flatnonzero(t.ordinal == ordinal)
        state[t.group[rows]] = values[rows].astype(np.int64) + 2
        at.append(state)
    seen = (at[0] > 0) | (at[1] > 0)
    counts = np.zeros((len(states), len(states)), dtype=np.int64)
    np.add.at(counts, (at[0][seen], at[1][seen]), 1)
    groups = {(states[i], states[j]): t.groups[
        np.flatnonzero(seen & (at[0] == i) & (at[1] == j))].tolist()
        for i, j in zip(*np.nonzero(counts), strict=True)}
    return Transitions(kind, t.label(first), t.label(last), states, counts, groups)


@dataclass(frozen=True)
class Cohort:
    """Groups formed in one ``year`` (``None``: year not recorded) and where they
    stand at their latest assessment."""

    year: int | None
    groups: list[str]
    stages: dict[str, int]
    exit_ready: int
    stagnating: int
    regressed: int


def cohorts(t: Trajectories) -> list[Cohort]:
    """Groups by formation year, oldest cohort first (year unknown last); empty
    when the ruleset names no formation field (``history.formation_field``).

    Examples
    --------
    >>> from kematangan.trajectory import score_history
    >>> t = score_history([{"group_id": "A", "period": "2024Q1", "formed_year": 2021},
    ...                    {"group_id": "B", "period": "2024Q1"}], "ppmk-ksm")
    >>> [(c.year, c.groups) for c in cohorts(t)]
    [(2021, ['A']), (None, ['B'])]
    """
    if t.rules.formation_field is None or not len(t):
        return []
    last, tr = t.last, t.track
    stage = t.scored.stage[last]
    regressed = np.add.reduceat((tr.stage_lost | tr.class_lost).astype(np.int64),
                                t.starts) > 0
    years = t.formed
    out = []
    keys = sorted({int(y) for y in years[~np.isnan(years)].tolist()})
    for year in [*keys, None]:
        members = np.isnan(years) if year is None else years == year
        if not members.any():
            continue
        counts = {(t.stage_ids[k] if k >= 0 else NONE): int(
            (stage[members] == k).sum()) for k in range(-1, len(t.stage_ids))}
        out.append(Cohort(
            year=year, groups=t.groups[members].tolist(),
            stages={k: v for k, v in counts.items() if v},
            exit_ready=int((tr.exit_ready[last][members] == 1).sum()),
            stagnating=int(tr.stagnating[last][members].sum()),
            regressed=int(regressed[members].sum())))
    return out
