"""A fitted model as plain numbers: what a saved model holds; predicts with numpy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.model.calibration import Calibration

__all__ = ["ModelParams"]

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ModelParams:
    """A fitted model as plain numbers; predicts with numpy alone.

    ``z = ((X filled with fill) - mean) / scale @ coef + intercept`` are the base
    model's log-odds, and ``calibration(z)`` the probability of the positive label.

    Examples
    --------
    >>> from kematangan.model.calibration import SigmoidCalibration
    >>> params = ModelParams(fill=np.array([2.0]), mean=np.array([1.0]),
    ...                      scale=np.array([2.0]), coef=np.array([4.0]),
    ...                      intercept=-1.0, calibration=SigmoidCalibration(-1.0, 0.0))
    >>> params.log_odds(np.array([[3.0], [np.nan]])).tolist()
    [3.0, 1.0]
    """

    fill: F64
    mean: F64
    scale: F64
    coef: F64
    intercept: float
    calibration: Calibration

    def standardize(self, X: F64) -> F64:
        """Fill missing values, then centre and scale each column."""
        filled = np.where(np.isnan(X), self.fill, X)
        out: F64 = (filled - self.mean) / self.scale
        return out

    def contributions(self, X: F64) -> F64:
        """``coef * standardized value``: each feature's share of the log-odds."""
        out: F64 = self.standardize(X) * self.coef
        return out

    def log_odds(self, X: F64) -> F64:
        """The base model's log-odds (before calibration)."""
        out: F64 = self.standardize(X) @ self.coef + self.intercept
        return out

    def probability(self, X: F64) -> F64:
        """Calibrated probability of the positive label, one per row."""
        return self.calibration(self.log_odds(X))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: fill, scaler mean/scale, coef, intercept, calibration.

        :func:`kematangan.model.schema.read_document` reads it back, checking every
        field.
        """
        return {"fill": self.fill.tolist(),
                "scaler": {"mean": self.mean.tolist(), "scale": self.scale.tolist()},
                "coef": self.coef.tolist(), "intercept": self.intercept,
                "calibration": self.calibration.to_dict()}
