"""Labelled data: labels as booleans, and whether there are enough to calibrate."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.errors import CalibrationDataWarning, InputError

__all__ = [
    "MIN_LABELLED",
    "MIN_MINORITY",
    "as_labels",
    "check_calibration_data",
    "is_synthetic",
]

MIN_LABELLED = 50
"""Fewer labelled groups than this draw a :class:`CalibrationDataWarning`."""
MIN_MINORITY = 10
"""Fewer groups of the rarer label than this draw a :class:`CalibrationDataWarning`."""


def check_calibration_data(labels: npt.ArrayLike, *, stacklevel: int = 2) -> None:
    """Warn (:class:`CalibrationDataWarning`) when ``labels`` are too few to calibrate.

    Fewer than :data:`MIN_LABELLED` labelled groups, or fewer than
    :data:`MIN_MINORITY` of the rarer label, make calibrated probabilities noisy.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     check_calibration_data([0, 1] * 10)
    >>> print(caught[0].message)
    only 20 labelled groups; calibrated probabilities need at least 50 to be reliable
    """
    y = np.asarray(labels)
    n = len(y)
    minority = int(min((y == v).sum() for v in np.unique(y))) if n else 0
    if n < MIN_LABELLED:
        warnings.warn(f"only {n} labelled groups; calibrated probabilities need at "
                      f"least {MIN_LABELLED} to be reliable", CalibrationDataWarning,
                      stacklevel=stacklevel + 1)
    if minority < MIN_MINORITY:
        warnings.warn(f"the rarer label has only {minority} groups; calibration "
                      f"needs at least {MIN_MINORITY} of each label",
                      CalibrationDataWarning, stacklevel=stacklevel + 1)


def as_labels(labels: Any, n: int) -> npt.NDArray[np.bool_]:
    """Labels as booleans: True/False or 1/0, one per record.

    Raises
    ------
    InputError
        Naming the record, when a label is anything else or the count is wrong.

    Examples
    --------
    >>> as_labels([1, 0, True], 3).tolist()
    [True, False, True]
    """
    arr = np.asarray(labels, dtype=object)
    if arr.ndim != 1:
        raise InputError(f"labels must be one-dimensional, got shape {arr.shape}",
                         fix="pass one label per record")
    if len(arr) != n:
        raise InputError(f"{len(arr)} labels for {n} records",
                         fix="pass one label per record")
    out = np.zeros(n, dtype=bool)
    for i, v in enumerate(arr):
        if isinstance(v, bool | np.bool_) or (
                isinstance(v, int | float | np.integer | np.floating) and v in (0, 1)):
            out[i] = bool(v)
        else:
            raise InputError(f"label {v!r} is not true/false or 1/0", row=i + 1,
                             fix="give every labelled group 1 (positive) or 0")
    return out


def is_synthetic(records: Any) -> bool:
    """Whether every record is marked ``synthetic`` (True, or the text "true").

    Examples
    --------
    >>> is_synthetic([{"synthetic": True}, {"synthetic": "true"}]), is_synthetic([{}])
    (True, False)
    """
    def marked(v: Any) -> bool:
        return v is True or (isinstance(v, str) and v.strip().lower() == "true")

    if isinstance(records, Mapping):
        col = records.get("synthetic")
        return col is not None and len(col) > 0 and all(marked(v) for v in col)
    if isinstance(records, list) and records:
        return all(isinstance(r, Mapping) and marked(r.get("synthetic"))
                   for r in records)
    return False
