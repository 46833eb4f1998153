"""Calibration: maps from base log-odds to probabilities, and how to judge them.

A calibration map (:class:`SigmoidCalibration`, Platt's; :class:`IsotonicCalibration`)
turns the base model's log-odds into a probability; both are monotone, so they
change probabilities but never the order of groups. :func:`reliability_bins` and
:func:`expected_calibration_error` measure how well probabilities match labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "Calibration",
    "IsotonicCalibration",
    "ReliabilityBin",
    "SigmoidCalibration",
    "expected_calibration_error",
    "expit",
    "reliability_bins",
]

F64 = npt.NDArray[np.float64]


def expit(t: F64) -> F64:
    """``1 / (1 + exp(-t))`` without overflow.

    Examples
    --------
    >>> expit(np.array([-1000.0, 0.0, 1000.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    e = np.exp(-np.abs(t))
    out: F64 = np.where(t >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out


@dataclass(frozen=True)
class SigmoidCalibration:
    """Platt scaling: ``p = 1 / (1 + exp(a * z + b))`` for base log-odds ``z``.

    Examples
    --------
    >>> SigmoidCalibration(a=-1.0, b=0.0)(np.array([0.0, 2.0])).round(3).tolist()
    [0.5, 0.881]
    """

    a: float
    b: float

    def __call__(self, z: F64) -> F64:
        return expit(-(self.a * z + self.b))

    def to_dict(self) -> dict[str, Any]:
        """``{"method": "sigmoid", "a": ..., "b": ...}``."""
        return {"method": "sigmoid", "a": self.a, "b": self.b}


@dataclass(frozen=True, eq=False)
class IsotonicCalibration:
    """Isotonic regression: ``p`` is ``y`` interpolated at ``z`` over thresholds
    ``x`` (increasing), constant beyond the ends.

    Examples
    --------
    >>> cal = IsotonicCalibration(np.array([0.0, 1.0]), np.array([0.2, 0.6]))
    >>> cal(np.array([-5.0, 0.5, 5.0])).tolist()
    [0.2, 0.4, 0.6]
    """

    x: F64
    y: F64

    def __call__(self, z: F64) -> F64:
        if len(self.x) == 1:
            return np.full(z.shape, float(self.y[0]))
        out: F64 = np.interp(z, self.x, self.y)
        return out

    def to_dict(self) -> dict[str, Any]:
        """``{"method": "isotonic", "x": [...], "y": [...]}``."""
        return {"method": "isotonic", "x": self.x.tolist(), "y": self.y.tolist()}


Calibration = SigmoidCalibration | IsotonicCalibration


@dataclass(frozen=True)
class ReliabilityBin:
    """One bin of a reliability diagram: predictions in ``[lower, upper)`` (the
    last bin includes 1), their mean and the observed rate of label 1."""

    lower: float
    upper: float
    count: int
    mean_predicted: float | None
    observed: float | None


def reliability_bins(labels: npt.ArrayLike, probabilities: npt.ArrayLike,
                     n_bins: int = 10) -> list[ReliabilityBin]:
    """Equal-width bins over [0, 1] of predicted probabilities.

    Examples
    --------
    >>> [(b.count, b.observed) for b in reliability_bins([0, 1, 1], [0.1, 0.9, 1.0],
    ...                                                  n_bins=2)]
    [(1, 0.0), (2, 1.0)]
    """
    y = np.asarray(labels, dtype=np.float64)
    p = np.asarray(probabilities, dtype=np.float64)
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    idx = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, n_bins - 1)
    out = []
    for b in range(n_bins):
        sel = idx == b
        k = int(sel.sum())
        out.append(ReliabilityBin(round(float(edges[b]), 12),
                                  round(float(edges[b + 1]), 12), k,
                                  float(p[sel].mean()) if k else None,
                                  float(y[sel].mean()) if k else None))
    return out


def expected_calibration_error(labels: npt.ArrayLike, probabilities: npt.ArrayLike,
                               n_bins: int = 10) -> float:
    """ECE over ``n_bins`` equal-width bins of [0, 1]: the mean over groups of
    ``|mean predicted - observed rate|`` in each group's bin.

    Examples
    --------
    >>> round(expected_calibration_error([0, 1, 1, 0], [0.2, 0.8, 0.8, 0.2]), 6)
    0.2
    """
    bins = reliability_bins(labels, probabilities, n_bins)
    n = sum(b.count for b in bins)
    if n == 0:
        return math.nan
    return float(sum(b.count * abs(b.mean_predicted - b.observed) for b in bins
                     if b.mean_predicted is not None and b.observed is not None) / n)
