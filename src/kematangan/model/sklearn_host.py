"""The only module that imports scikit-learn, and only inside functions.

Everything the model needs from scikit-learn passes through here: the core estimator
(:func:`core_estimator`, a ``CalibratedLogistic`` following scikit-learn's
conventions), reading its fit into :class:`~kematangan.model.params.ModelParams`,
stratified folds, the scores of :func:`~kematangan.model.evaluate_model`, and the
tags that let ``sklearn.utils.validation.check_is_fitted`` read a
:class:`~kematangan.model.MaturityModel`. Importing this module imports nothing of
scikit-learn, so ``import kematangan`` stays fast; a saved model predicts with numpy
alone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from kematangan.model.calibration import (
    Calibration,
    IsotonicCalibration,
    SigmoidCalibration,
)
from kematangan.model.params import ModelParams

__all__ = [
    "METHODS",
    "PENALTIES",
    "Method",
    "Penalty",
    "check_settings",
    "classification_scores",
    "core_estimator",
    "estimator_tags",
    "require_sklearn",
    "stratified_folds",
]

F64 = npt.NDArray[np.float64]
Method = Literal["sigmoid", "isotonic"]
Penalty = Literal["l2", "l1"]
METHODS: tuple[Method, ...] = ("sigmoid", "isotonic")
"""Calibration methods: Platt's sigmoid (the default; right for small data) and
isotonic regression."""
PENALTIES: tuple[Penalty, ...] = ("l2", "l1")
"""Penalties of the logistic regression."""

_SKLEARN_MIN = (1, 8)


def require_sklearn() -> str:
    """scikit-learn's version; ``ImportError`` saying what to install when it is
    missing or older than 1.8.

    Examples
    --------
    >>> require_sklearn() >= "1.8"
    True
    """
    try:
        import sklearn
    except ImportError as err:
        raise ImportError(
            "kematangan's model needs scikit-learn (>= 1.8), an optional extra: "
            "pip install scikit-learn") from err
    version: str = sklearn.__version__
    parts = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
    if parts < _SKLEARN_MIN:
        raise ImportError(f"kematangan's model needs scikit-learn >= 1.8, found "
                          f"{version}: pip install -U scikit-learn")
    return version


@functools.cache
def _core_class() -> type[Any]:
    """Define the core estimator on first use.

    It subclasses scikit-learn's ``BaseEstimator``, so it can only be defined once
    scikit-learn is imported, which waits until a model is actually used.
    """
    require_sklearn()
    from sklearn.base import BaseEstimator, ClassifierMixin

    class CalibratedLogistic(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
        """Median fill, standard scaling, regularized logistic regression, and a
        calibration map fitted on out-of-fold log-odds. Plain arrays; binary labels.

        Parameters
        ----------
        C
            Inverse regularization strength (smaller is stronger).
        penalty
            ``"l2"`` (lbfgs) or ``"l1"`` (liblinear).
        method
            ``"sigmoid"`` (Platt; right for small data) or ``"isotonic"``.
        cv
            Folds of the stratified split giving the out-of-fold log-odds.
        random_state
            Seed of the fold shuffle.

        Attributes
        ----------
        classes_, n_features_in_, fill_, calibrated_, params_
            Labels, input width, training medians, the fitted
            ``CalibratedClassifierCV`` and the same model as :class:`ModelParams`.
        """

        def __init__(self, C: float = 1.0, penalty: Penalty = "l2",
                     method: Method = "sigmoid", cv: int = 5,
                     random_state: int | None = 0) -> None:
            self.C = C
            self.penalty = penalty
            self.method = method
            self.cv = cv
            self.random_state = random_state

        def __sklearn_tags__(self) -> Any:
            tags = super().__sklearn_tags__()
            tags.input_tags.allow_nan = True
            tags.classifier_tags.multi_class = False
            return tags

        def fit(self, X: Any, y: Any) -> Any:
            """Fit the base model on all of ``X`` and calibrate it out of fold."""
            from sklearn.calibration import CalibratedClassifierCV
            from sklearn.linear_model import LogisticRegression
            from sklearn.model_selection import StratifiedKFold
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import StandardScaler
            from sklearn.utils.multiclass import (
                check_classification_targets,
                type_of_target,
            )
            from sklearn.utils.validation import validate_data

            check_settings(self.C, self.penalty, self.method, self.cv)
            X, y = validate_data(self, X, y, ensure_all_finite="allow-nan",
                                 dtype=np.float64)
            check_classification_targets(y)
            kind = type_of_target(y, input_name="y", raise_unknown=True)
            if kind != "binary":
                raise ValueError("Only binary classification is supported. The type "
                                 f"of the target is {kind}.")
            classes, counts = np.unique(y, return_counts=True)
            if len(classes) < 2:
                raise ValueError("cannot train on one class only: give examples of "
                                 "both labels")
            if counts.min() < 2:
                raise ValueError(f"each class needs at least 2 examples for "
                                 f"out-of-fold calibration; got {counts.min()}")
            fill = _nanmedian(X)
            solver = "lbfgs" if self.penalty == "l2" else "liblinear"
            base = make_pipeline(
                StandardScaler(),
                LogisticRegression(C=self.C, l1_ratio=0.0 if self.penalty == "l2"
                                   else 1.0, solver=solver, max_iter=1000,
                                   random_state=self.random_state))
            # More folds than the rarer class has examples would leave a fold
            # without it, so ``cv`` is an upper bound here (MaturityModel.fit
            # refuses such data instead, with a message).
            folds = StratifiedKFold(n_splits=int(min(self.cv, counts.min())),
                                    shuffle=True, random_state=self.random_state)
            cal = CalibratedClassifierCV(base, method=self.method, cv=folds,
                                         ensemble=False)
            cal.fit(np.where(np.isnan(X), fill, X), y)
            self.classes_ = cal.classes_
            self.fill_ = fill
            self.calibrated_ = cal
            self.params_ = _params_from(fill, cal)
            return self

        def predict_proba(self, X: Any) -> F64:
            """Calibrated probabilities ``[n, 2]`` (columns in ``classes_`` order)."""
            from sklearn.utils.validation import check_is_fitted, validate_data

            check_is_fitted(self)
            X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan",
                              dtype=np.float64)
            out: F64 = self.calibrated_.predict_proba(
                np.where(np.isnan(X), self.fill_, X))
            return out

        def predict(self, X: Any) -> Any:
            """The more probable label."""
            proba = self.predict_proba(X)
            return self.classes_[np.argmax(proba, axis=1)]

    CalibratedLogistic.__qualname__ = "CalibratedLogistic"
    return CalibratedLogistic


def __getattr__(name: str) -> Any:
    # ``CalibratedLogistic`` exists once scikit-learn is imported (PEP 562).
    if name == "CalibratedLogistic":
        return _core_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def core_estimator(**params: Any) -> Any:
    """A new plain-array ``CalibratedLogistic`` (imports scikit-learn).

    It follows scikit-learn's conventions and passes its estimator checks; a
    :class:`MaturityModel` uses it on :func:`build_features` output.

    Examples
    --------
    >>> core_estimator(C=0.5)
    CalibratedLogistic(C=0.5)
    """
    return _core_class()(**params)


def check_settings(C: float, penalty: str, method: str, cv: int) -> None:
    """Refuse (``ValueError``) estimator settings no fit can use.

    Examples
    --------
    >>> check_settings(1.0, "l2", "platt", 5)
    Traceback (most recent call last):
    ...
    ValueError: method must be 'sigmoid' or 'isotonic', got 'platt'
    """
    if not (isinstance(C, int | float) and C > 0):
        raise ValueError(f"C must be a positive number, got {C!r}")
    if penalty not in ("l2", "l1"):
        raise ValueError(f"penalty must be 'l2' or 'l1', got {penalty!r}")
    if method not in ("sigmoid", "isotonic"):
        raise ValueError(f"method must be 'sigmoid' or 'isotonic', got {method!r}")
    if not (isinstance(cv, int) and not isinstance(cv, bool) and cv >= 2):
        raise ValueError(f"cv must be a whole number of folds, at least 2; got {cv!r}")


def _nanmedian(X: F64) -> F64:
    """Column medians ignoring NaN; 0 for a column with no value."""
    fill = np.zeros(X.shape[1])
    seen = ~np.isnan(X).all(axis=0)
    if seen.any():
        fill[seen] = np.nanmedian(X[:, seen], axis=0)
    return fill


def _params_from(fill: F64, cal: Any) -> ModelParams:
    """Read a fitted ``CalibratedClassifierCV(ensemble=False)`` into plain numbers."""
    pair = cal.calibrated_classifiers_[0]
    scaler, logistic = pair.estimator[0], pair.estimator[-1]
    calibrator = pair.calibrators[0]
    calibration: Calibration
    if pair.method == "sigmoid":
        calibration = SigmoidCalibration(float(calibrator.a_), float(calibrator.b_))
    else:
        calibration = IsotonicCalibration(
            np.asarray(calibrator.X_thresholds_, dtype=np.float64),
            np.asarray(calibrator.y_thresholds_, dtype=np.float64))
    return ModelParams(fill=fill.copy(), mean=scaler.mean_.astype(np.float64),
                       scale=scaler.scale_.astype(np.float64),
                       coef=logistic.coef_[0].astype(np.float64),
                       intercept=float(logistic.intercept_[0]),
                       calibration=calibration)


def stratified_folds(y: npt.NDArray[np.bool_], cv: int, random_state: int | None
                     ) -> Iterator[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """``(train, test)`` row indices of a shuffled ``StratifiedKFold`` split.

    Examples
    --------
    >>> y = np.array([True, False] * 3)
    >>> [sorted(y[test].tolist()) for _, test in stratified_folds(y, 3, 0)]
    [[False, True], [False, True], [False, True]]
    """
    require_sklearn()
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
    yield from folds.split(np.zeros((len(y), 1)), y)


def classification_scores(y: npt.NDArray[np.bool_], p: F64
                          ) -> tuple[float, float, float | None]:
    """Brier score, log loss, and ROC AUC (``None`` when only one label is present).

    Examples
    --------
    >>> y = np.array([False, True])
    >>> brier, loss, auc = classification_scores(y, np.array([0.2, 0.9]))
    >>> round(brier, 3), auc
    (0.025, 1.0)
    >>> classification_scores(np.array([True]), np.array([0.9]))[2] is None
    True
    """
    require_sklearn()
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

    both = bool(y.any() and (~y).any())
    return (float(brier_score_loss(y, p)),
            float(log_loss(y, p, labels=[False, True])),
            float(roc_auc_score(y, p)) if both else None)


def estimator_tags() -> Any:
    """scikit-learn tags of a binary classifier that needs labels to fit.

    ``sklearn.utils.validation.check_is_fitted`` reads them; a
    :class:`~kematangan.model.MaturityModel` cannot subclass ``BaseEstimator``
    without importing scikit-learn.

    Examples
    --------
    >>> estimator_tags().estimator_type
    'classifier'
    """
    from sklearn.utils import ClassifierTags, Tags, TargetTags

    return Tags(estimator_type="classifier", target_tags=TargetTags(required=True),
                classifier_tags=ClassifierTags(multi_class=False))
