"""Trajectories: groups' histories over many assessment periods.

Each group-period is scored with the ruleset valid on its date; then, per group,
the stage and class per period, months in the current stage, the first period at
each stage, regressions and the criteria behind them, periods without an
assessment, stagnation and exit readiness on a track record (the ruleset's
``history`` section), and portfolio views over them.

Examples
--------
>>> from kematangan.trajectory import score_history
>>> t = score_history([{"group_id": "KSM-01", "period": "2024Q1", "members": 12},
...                    {"group_id": "KSM-01", "period": "2024Q3", "members": 12}],
...                   "ppmk-ksm")
>>> t.history("KSM-01").gaps
['2024Q2']
"""

from kematangan.trajectory.build import assessment_date_field, score_history
from kematangan.trajectory.cases import history_records, run_history_cases
from kematangan.trajectory.result import (
    GroupHistory,
    PeriodEntry,
    Regression,
    Stagnation,
    Trajectories,
)
from kematangan.trajectory.rules import TrackRules, lost_criteria, track_rules
from kematangan.trajectory.steps import LevelChange, Steps
from kematangan.trajectory.views import Cohort, Transitions, cohorts, transitions

__all__ = [
    "Cohort",
    "GroupHistory",
    "LevelChange",
    "PeriodEntry",
    "Regression",
    "Stagnation",
    "Steps",
    "TrackRules",
    "Trajectories",
    "Transitions",
    "assessment_date_field",
    "cohorts",
    "history_records",
    "lost_criteria",
    "run_history_cases",
    "score_history",
    "track_rules",
    "transitions",
]
