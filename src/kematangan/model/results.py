"""What a fitted model returns: probabilities beside the rules, and explanations."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.scoring.batch import BatchResult

__all__ = [
    "FLAG_NOT_READY_HIGH",
    "FLAG_READY_LOW",
    "Contribution",
    "ModelExplanation",
    "ModelResult",
]

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Contribution:
    """One feature's share of a group's log-odds: ``coef * standardized``.

    ``value`` is the feature as given (``None`` when missing: then the training
    median was used, and ``<id>.missing`` carries the rest).
    """

    feature: str
    value: float | None
    standardized: float
    contribution: float


@dataclass(frozen=True)
class ModelExplanation:
    """Why the base model gave a group its log-odds.

    ``log_odds = intercept + sum(c.contribution for c in contributions) + rest``,
    where ``rest`` sums the features left out by ``top``. ``probability`` is the
    calibrated probability: a monotone map of ``log_odds`` applied afterwards.
    """

    group_id: str | None
    log_odds: float
    probability: float
    intercept: float
    contributions: tuple[Contribution, ...]
    rest: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"group_id": self.group_id, "log_odds": self.log_odds,
                "probability": self.probability, "intercept": self.intercept,
                "contributions": [dataclasses.asdict(c) for c in self.contributions],
                "rest": self.rest}


FLAG_READY_LOW = "rules_exit_ready_model_low"
"""The rules say exit-ready, the model's probability is below ``low``."""
FLAG_NOT_READY_HIGH = "rules_not_ready_model_high"
"""The rules say not ready, the model's probability is above ``high``."""


@dataclass(frozen=True, eq=False)
class ModelResult:
    """The rules' results and the model's probability side by side, one row a group.

    ``stage``, ``class_`` and ``exit_ready`` are the rules' (the
    :class:`~kematangan.scoring.BatchResult`'s), untouched by the model.
    ``disagreement`` is ``None`` or a flag: ``rules_exit_ready_model_low`` (the rules
    say exit-ready, ``probability < low``) or ``rules_not_ready_model_high`` (the
    rules say not ready, ``probability > high``). Unknown readiness is never flagged.
    """

    batch: BatchResult
    probability: F64
    disagreement: npt.NDArray[np.object_]
    low: float
    high: float

    def __len__(self) -> int:
        return len(self.batch)

    @property
    def stage(self) -> npt.NDArray[np.object_]:
        """The rules' stage per group."""
        return self.batch.stage

    @property
    def class_(self) -> npt.NDArray[np.object_]:
        """The rules' class per group."""
        return self.batch.class_

    @property
    def exit_ready(self) -> npt.NDArray[np.object_]:
        """The rules' exit readiness per group (True, False or None)."""
        return self.batch.exit_ready

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per group."""
        gids = self.batch.group_ids
        return [{"group_id": None if gids is None else gids[i],
                 "stage": self.stage[i], "class": self.class_[i],
                 "exit_ready": self.exit_ready[i],
                 "probability": float(self.probability[i]),
                 "disagreement": self.disagreement[i]} for i in range(len(self))]

    def summary(self) -> dict[str, Any]:
        """Counts of each disagreement flag, and the thresholds used."""
        flags = self.disagreement
        return {"groups": len(self),
                FLAG_READY_LOW: int((flags == FLAG_READY_LOW).sum()),
                FLAG_NOT_READY_HIGH: int((flags == FLAG_NOT_READY_HIGH).sum()),
                "low": self.low, "high": self.high}
