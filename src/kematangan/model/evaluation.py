"""How well a model's probabilities match labels: :func:`evaluate_model`."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.errors import InputError
from kematangan.model.calibration import (
    ReliabilityBin,
    expected_calibration_error,
    reliability_bins,
)
from kematangan.model.estimator import MaturityModel
from kematangan.model.features import build_features, scored_batch
from kematangan.model.labels import as_labels, check_calibration_data
from kematangan.model.plot import plot_reliability
from kematangan.model.sklearn_host import (
    classification_scores,
    core_estimator,
    require_sklearn,
    stratified_folds,
)
from kematangan.scoring.scorer import Scorer

__all__ = ["Evaluation", "evaluate_model"]

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Evaluation:
    """How well a model's probabilities match labels.

    ``mode`` is ``"cross-validation"`` (out-of-fold probabilities from ``folds``
    refits) or ``"holdout"`` (a fitted model scored on the data given). ECE and the
    reliability bins use ``n_bins`` equal-width bins of [0, 1]. ``roc_auc`` is
    ``None`` when only one label is present.
    """

    mode: str
    folds: int | None
    n: int
    positives: int
    brier: float
    log_loss: float
    roc_auc: float | None
    ece: float
    n_bins: int
    bins: tuple[ReliabilityBin, ...]
    labels: npt.NDArray[np.bool_]
    probabilities: F64
    plot: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The figures as JSON-ready data (without per-group probabilities)."""
        return {"mode": self.mode, "folds": self.folds, "n": self.n,
                "positives": self.positives, "brier": self.brier,
                "log_loss": self.log_loss, "roc_auc": self.roc_auc, "ece": self.ece,
                "ece_binning": f"{self.n_bins} equal-width bins of [0, 1]",
                "bins": [dataclasses.asdict(b) for b in self.bins], "plot": self.plot}


def evaluate_model(model: MaturityModel, records: Any, labels: Any, *,
                   cv: int | None = 5, n_bins: int = 10,
                   plot: str | os.PathLike[str] | None = None,
                   random_state: int | None = 0) -> Evaluation:
    """Brier score, log loss, ROC AUC and expected calibration error.

    With ``cv`` (default 5), a fresh model with ``model``'s parameters is fitted on
    each training part of a :class:`~sklearn.model_selection.StratifiedKFold` split
    and scored on the rest; the figures use the pooled out-of-fold probabilities.
    This judges the *method* on these data (a fitted ``model``'s own fit is not
    used). With ``cv=None``, the fitted ``model`` is scored on the data as held-out
    data. ``plot`` saves a reliability diagram (PNG, SVG or PDF; needs matplotlib).

    Warns with :class:`~kematangan.errors.CalibrationDataWarning` on small or
    unbalanced data.

    Examples
    --------
    >>> from kematangan.model.synthetic import make_synthetic
    >>> data = make_synthetic("ppmk-ksm", n=200, seed=2)   # SYNTHETIC groups
    >>> ev = evaluate_model(MaturityModel("ppmk-ksm"), data.records, data.labels,
    ...                     cv=3)
    >>> ev.mode, ev.n, ev.roc_auc > 0.7, sum(b.count for b in ev.bins)
    ('cross-validation', 200, True, 200)
    """
    require_sklearn()
    batch = scored_batch(model.scorer_ if hasattr(model, "scorer_")
                         else Scorer(model.ruleset), records)
    y = as_labels(labels, len(batch))
    check_calibration_data(y, stacklevel=2)
    if cv is None:
        p = model.predict_proba(batch)[:, 1]
        mode = "holdout"
    else:
        minority = int(min(y.sum(), (~y).sum()))
        if minority < cv:
            raise InputError(f"the rarer label has {minority} groups, fewer than "
                             f"cv={cv} folds", fix="label more groups or lower cv")
        # Features are per record, so fitting on rows of the whole matrix is
        # fitting a fresh MaturityModel on those records.
        X = build_features(batch)
        p = np.empty(len(y))
        for train, test in stratified_folds(y, cv, random_state):
            core = core_estimator(C=model.C, penalty=model.penalty,
                                  method=model.method, cv=model.cv,
                                  random_state=model.random_state)
            core.fit(X[train], y[train])
            p[test] = core.params_.probability(X[test])
        mode = "cross-validation"
    brier, loss, auc = classification_scores(y, p)
    ev = Evaluation(
        mode=mode, folds=cv, n=len(y), positives=int(y.sum()), brier=brier,
        log_loss=loss, roc_auc=auc, ece=expected_calibration_error(y, p, n_bins),
        n_bins=n_bins, bins=tuple(reliability_bins(y, p, n_bins)), labels=y,
        probabilities=p)
    if plot is not None:
        ev = dataclasses.replace(ev, plot=str(plot_reliability(ev, plot)))
    return ev
