"""An optional calibrated model beside the rules: the model informs, the rules decide.

A :class:`MaturityModel` learns the probability of a binary label (for example "the
group was still active two years after the program left") from what a ruleset
already computes for each group. It never changes a stage, a class or exit
readiness: :meth:`MaturityModel.predict_groups` shows the rules' result and the
model's probability side by side, and flags strong disagreement for a person to
look at.

Features (:func:`feature_names`, :func:`build_features`), in this order:

* for each field and derived value, in plan order: a number as it is (a boolean
  as 1/0, a date as days since 1970-01-01), or for a category one 0/1 column per
  category (``field=category``); then ``<id>.missing`` (1 when the value is
  missing or unusable). A missing number is filled with its *training median*
  (0 when the training data never had it) before scaling;
* for each criterion: ``outcome.<id>`` (1 met, 0 not met or unknown) and
  ``outcome.<id>.unknown`` (1 when unknown).

The estimator is a standard scaler and a regularized logistic regression (the *base
model*), fitted on every labelled group, with a calibration map fitted on
*out-of-fold* log-odds from :class:`~sklearn.model_selection.StratifiedKFold` (that
is ``CalibratedClassifierCV(..., ensemble=False)``): Platt's sigmoid by default,
isotonic regression on request. One base model means explanations are exact: a
group's log-odds are the intercept plus the sum of ``coef * standardized value``
over features, and calibration is a monotone map applied after that sum.

Only this module imports scikit-learn, and only inside functions, so ``import
kematangan`` stays fast; a saved model (plain JSON, never pickle) predicts with
numpy alone.

Examples
--------
>>> from kematangan.model.synthetic import make_synthetic
>>> data = make_synthetic("ppmk-ksm", n=300, seed=0)   # SYNTHETIC groups
>>> model = MaturityModel("ppmk-ksm").fit(data.records, data.labels)
>>> result = model.predict_groups(data.records[:3])
>>> bool((result.stage == Scorer("ppmk-ksm").score_batch(data.records[:3]).stage).all())
True
>>> bool(((result.probability > 0) & (result.probability < 1)).all())
True
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import json
import math
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Self

import numpy as np
import numpy.typing as npt

from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError, KematanganError, RulesetError
from kematangan.problems import Problem
from kematangan.scoring.batch import BatchResult
from kematangan.scoring.plan import Plan
from kematangan.scoring.scorer import Scorer

__all__ = [
    "MIN_LABELLED",
    "MIN_MINORITY",
    "CalibrationDataWarning",
    "Contribution",
    "Evaluation",
    "Explanation",
    "IsotonicCalibration",
    "MaturityModel",
    "ModelNotFittedError",
    "ModelParams",
    "ModelResult",
    "ModelRulesetMismatchError",
    "ReliabilityBin",
    "SigmoidCalibration",
    "build_features",
    "check_calibration_data",
    "core_estimator",
    "evaluate_model",
    "expected_calibration_error",
    "feature_names",
    "plot_reliability",
    "reliability_bins",
]

F64 = npt.NDArray[np.float64]
Method = Literal["sigmoid", "isotonic"]
Penalty = Literal["l2", "l1"]

MIN_LABELLED = 50
"""Fewer labelled groups than this draw a :class:`CalibrationDataWarning`."""
MIN_MINORITY = 10
"""Fewer groups of the rarer label than this draw a :class:`CalibrationDataWarning`."""

FORMAT = "kematangan-model"
FORMAT_VERSION = 1
_SKLEARN_MIN = (1, 8)


class CalibrationDataWarning(UserWarning):
    """The labelled data is too small or too unbalanced to calibrate reliably."""


class ModelNotFittedError(KematanganError, ValueError, AttributeError):
    """A model was used before :meth:`MaturityModel.fit` (or loading)."""


class ModelRulesetMismatchError(RulesetError):
    """A saved model was fitted with another ruleset (its content hash differs)."""


# --------------------------------------------------------------------------- #
# Features


def feature_names(plan: Plan) -> list[str]:
    """The names of the model's features for a compiled ruleset, in column order.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> names = feature_names(Scorer("ppmk-ksm").plan)
    >>> names[:4]
    ['formed_participatory', 'formed_participatory.missing', 'members', 'members.missing']
    >>> names[-2:]
    ['outcome.no_arrears', 'outcome.no_arrears.unknown']
    """
    columns = [np.empty(0) for _ in plan.value_ids]
    outcomes = np.empty((len(plan.criteria), 0), dtype=np.int8)
    return _features(plan, columns, outcomes)[1]


def build_features(batch: BatchResult) -> F64:
    """The feature matrix ``[record, feature]`` of a scored batch.

    Numbers keep NaN where missing (the model fills them); every other column is 0/1.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> batch = Scorer("ppmk-ksm").score_batch([{"members": 12}, {"members": None}])
    >>> X = build_features(batch)
    >>> X[:, 2:4].tolist()
    [[12.0, 0.0], [nan, 1.0]]
    """
    return _features(batch.plan, batch.raw.columns, batch.raw.outcomes)[0]


def _features(plan: Plan, columns: Sequence[F64], outcomes: npt.NDArray[np.int8]
              ) -> tuple[F64, list[str]]:
    cats = {f.id: f.categories for f in plan.fields if f.type == "category"}
    for d in plan.derived:
        if d.type.startswith("category:"):
            cats[d.id] = cats[d.type.removeprefix("category:")]
    names: list[str] = []
    cols: list[F64] = []
    for vid, v in zip(plan.value_ids, columns, strict=True):
        missing = ~np.isfinite(v)
        if vid in cats:
            for k, cat in enumerate(cats[vid]):
                names.append(f"{vid}={cat}")
                cols.append((v == k).astype(np.float64))
        else:
            names.append(vid)
            cols.append(np.where(missing, np.nan, v))
        names.append(f"{vid}.missing")
        cols.append(missing.astype(np.float64))
    for step in plan.criteria:
        o = outcomes[step.index]
        names += [f"outcome.{step.id}", f"outcome.{step.id}.unknown"]
        cols += [(o == 1).astype(np.float64), (o == -1).astype(np.float64)]
    n = outcomes.shape[1]
    X = np.column_stack(cols) if cols else np.empty((n, 0))
    return X.astype(np.float64, copy=False), names


# --------------------------------------------------------------------------- #
# Numpy predictor (what a saved model holds)


def _expit(t: F64) -> F64:
    """``1 / (1 + exp(-t))`` without overflow."""
    e = np.exp(-np.abs(t))
    out: F64 = np.where(t >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out


@dataclass(frozen=True)
class SigmoidCalibration:
    """Platt scaling: ``p = 1 / (1 + exp(a * z + b))`` for base log-odds ``z``."""

    a: float
    b: float

    def __call__(self, z: F64) -> F64:
        return _expit(-(self.a * z + self.b))

    def to_dict(self) -> dict[str, Any]:
        """``{"method": "sigmoid", "a": ..., "b": ...}``."""
        return {"method": "sigmoid", "a": self.a, "b": self.b}


@dataclass(frozen=True, eq=False)
class IsotonicCalibration:
    """Isotonic regression: ``p`` is ``y`` interpolated at ``z`` over thresholds
    ``x`` (increasing), constant beyond the ends."""

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


@dataclass(frozen=True, eq=False)
class ModelParams:
    """A fitted model as plain numbers; predicts with numpy alone.

    ``z = ((X filled with fill) - mean) / scale @ coef + intercept`` are the base
    model's log-odds, and ``calibration(z)`` the probability of the positive label.
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
        """JSON-ready: fill, scaler mean/scale, coef, intercept, calibration."""
        return {"fill": self.fill.tolist(),
                "scaler": {"mean": self.mean.tolist(), "scale": self.scale.tolist()},
                "coef": self.coef.tolist(), "intercept": self.intercept,
                "calibration": self.calibration.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelParams:
        """Inverse of :meth:`to_dict`; raise ``ValueError`` when malformed."""
        def arr(x: Any) -> F64:
            a = np.asarray(x, dtype=np.float64)
            if a.ndim != 1:
                raise ValueError("expected a list of numbers")
            return a

        cal = data["calibration"]
        calibration: Calibration
        if cal["method"] == "sigmoid":
            calibration = SigmoidCalibration(float(cal["a"]), float(cal["b"]))
        elif cal["method"] == "isotonic":
            x, y = arr(cal["x"]), arr(cal["y"])
            if len(x) != len(y) or len(x) == 0 or np.any(np.diff(x) < 0):
                raise ValueError("isotonic thresholds must be non-empty, of equal "
                                 "length and increasing")
            calibration = IsotonicCalibration(x, y)
        else:
            raise ValueError(f"unknown calibration method {cal['method']!r}")
        params = cls(arr(data["fill"]), arr(data["scaler"]["mean"]),
                     arr(data["scaler"]["scale"]), arr(data["coef"]),
                     float(data["intercept"]), calibration)
        sizes = {len(params.fill), len(params.mean), len(params.scale),
                 len(params.coef)}
        if len(sizes) != 1:
            raise ValueError("fill, scaler and coef have different lengths")
        return params


# --------------------------------------------------------------------------- #
# The sklearn core (plain arrays)


def _require_sklearn() -> str:
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
    _require_sklearn()
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

            _check_params(self.C, self.penalty, self.method, self.cv)
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


def _check_params(C: float, penalty: str, method: str, cv: int) -> None:
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


# --------------------------------------------------------------------------- #
# Data checks


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


def _as_labels(labels: Any, n: int) -> npt.NDArray[np.bool_]:
    """Labels as booleans: True/False or 1/0, one per record."""
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
            raise InputError(f"label {v!r} is not true/false or 1/0", row=i,
                             fix="give every labelled group 1 (positive) or 0")
    return out


def _is_synthetic(records: Any) -> bool:
    """Whether every record is marked ``synthetic`` (True, or the text "true")."""
    def marked(v: Any) -> bool:
        return v is True or (isinstance(v, str) and v.strip().lower() == "true")

    if isinstance(records, Mapping):
        col = records.get("synthetic")
        return col is not None and len(col) > 0 and all(marked(v) for v in col)
    if isinstance(records, list) and records:
        return all(isinstance(r, Mapping) and marked(r.get("synthetic"))
                   for r in records)
    return False


# --------------------------------------------------------------------------- #
# Results


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
class Explanation:
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


_FLAG_READY_LOW = "rules_exit_ready_model_low"
_FLAG_NOT_READY_HIGH = "rules_not_ready_model_high"


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
                _FLAG_READY_LOW: int((flags == _FLAG_READY_LOW).sum()),
                _FLAG_NOT_READY_HIGH: int((flags == _FLAG_NOT_READY_HIGH).sum()),
                "low": self.low, "high": self.high}


# --------------------------------------------------------------------------- #
# The ruleset-bound model


class MaturityModel:
    """A calibrated logistic model of a binary label, from a ruleset's features.

    Follows scikit-learn's conventions (``__init__`` stores parameters, fitted
    attributes end in ``_``, ``get_params``/``set_params``, and
    ``sklearn.utils.validation.check_is_fitted`` works on it), but takes records
    and labels rather than a matrix. Predictions use :class:`ModelParams` (numpy),
    so a fitted and a loaded model give the same numbers.

    Parameters
    ----------
    ruleset
        A :class:`Ruleset`, a YAML path or a bundled ruleset id.
    C
        Inverse regularization strength of the logistic regression.
    penalty
        ``"l2"`` (default) or ``"l1"``.
    method
        Calibration: ``"sigmoid"`` (default; right for small data) or
        ``"isotonic"`` (needs many hundreds of labelled groups).
    cv
        Stratified folds for the out-of-fold log-odds the calibration is fitted on.
    random_state
        Seed of the fold shuffle.

    Attributes
    ----------
    scorer_ : Scorer
        The rules, compiled.
    params_ : ModelParams
        The fitted model as numbers.
    feature_names_ : list of str
        Feature names, see :func:`feature_names`.
    training_ : dict
        Training metadata: size, class balance, date, library versions.
    estimator_ : CalibratedLogistic or None
        The scikit-learn estimator when fitted in this process; ``None`` when loaded.

    Examples
    --------
    >>> from kematangan.model.synthetic import make_synthetic
    >>> data = make_synthetic("ppmk-ksm", n=200, seed=3)   # SYNTHETIC groups
    >>> model = MaturityModel("ppmk-ksm", C=0.5).fit(data.records, data.labels)
    >>> model.training_["n"], model.training_["synthetic"]
    (200, True)
    >>> e = model.explain(data.records[:1], top=2)[0]
    >>> len(e.contributions), e.group_id
    (2, 'SYN-00001')
    >>> total = e.intercept + sum(c.contribution for c in e.contributions) + e.rest
    >>> bool(abs(total - e.log_odds) < 1e-9)
    True
    """

    def __init__(self, ruleset: Ruleset | str | os.PathLike[str], *, C: float = 1.0,
                 penalty: Penalty = "l2", method: Method = "sigmoid", cv: int = 5,
                 random_state: int | None = 0) -> None:
        self.ruleset = ruleset
        self.C = C
        self.penalty = penalty
        self.method = method
        self.cv = cv
        self.random_state = random_state

    _PARAMS = ("ruleset", "C", "penalty", "method", "cv", "random_state")

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters."""
        return {k: getattr(self, k) for k in self._PARAMS}

    def set_params(self, **params: Any) -> Self:
        """Set constructor parameters; unknown names raise ``ValueError``."""
        for k, v in params.items():
            if k not in self._PARAMS:
                raise ValueError(f"invalid parameter {k!r} for MaturityModel; valid: "
                                 f"{', '.join(self._PARAMS)}")
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        rs = self.ruleset.id if isinstance(self.ruleset, Ruleset) else str(self.ruleset)
        return (f"MaturityModel({rs!r}, C={self.C!r}, penalty={self.penalty!r}, "
                f"method={self.method!r}, cv={self.cv!r})")

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "params_")

    def __sklearn_tags__(self) -> Any:
        # For sklearn.utils.validation.check_is_fitted, which reads the tags;
        # a MaturityModel cannot subclass BaseEstimator without importing sklearn.
        from sklearn.utils import ClassifierTags, Tags, TargetTags

        return Tags(estimator_type="classifier",
                    target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags(multi_class=False))

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise ModelNotFittedError(
                "this MaturityModel is not fitted yet: call fit(records, labels) or "
                "MaturityModel.load(path, ruleset) first")

    # -- fitting -------------------------------------------------------------

    def fit(self, records: Any, labels: Any) -> Self:
        """Fit on labelled records (or a :class:`BatchResult` of this ruleset).

        ``labels`` are True/False or 1/0, one per record. Warns with
        :class:`CalibrationDataWarning` when the data is small (see
        :func:`check_calibration_data`).

        Raises
        ------
        InputError
            When labels are not binary, do not match the records, or a label has
            fewer examples than ``cv``.
        """
        _check_params(self.C, self.penalty, self.method, self.cv)
        scorer = Scorer(self.ruleset)
        batch = _batch(scorer, records)
        y = _as_labels(labels, len(batch))
        check_calibration_data(y, stacklevel=2)
        counts = [int((~y).sum()), int(y.sum())]
        if min(counts) < self.cv:
            raise InputError(
                f"labels 0/1 have {counts[0]}/{counts[1]} groups; calibration with "
                f"cv={self.cv} needs at least {self.cv} of each",
                fix="label more groups, or lower cv (at least 2)")
        version = _require_sklearn()
        core = core_estimator(C=self.C, penalty=self.penalty, method=self.method,
                              cv=self.cv, random_state=self.random_state)
        core.fit(build_features(batch), y)
        self.scorer_ = scorer
        self.estimator_: Any = core
        self.params_: ModelParams = core.params_
        self.feature_names_ = feature_names(scorer.plan)
        self.training_: dict[str, Any] = {
            "n": len(y), "positives": counts[1], "negatives": counts[0],
            "positive_rate": counts[1] / len(y),
            "fitted_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "sklearn_version": version, "numpy_version": np.__version__,
            "kematangan_version": _kematangan_version(),
            "synthetic": _is_synthetic(records),
        }
        return self

    # -- predicting ----------------------------------------------------------

    def _scored(self, records: Any) -> tuple[BatchResult, F64]:
        self._check_fitted()
        batch = _batch(self.scorer_, records)
        return batch, build_features(batch)

    def predict_proba(self, records: Any) -> F64:
        """Calibrated probabilities ``[n, 2]``: columns label 0 and label 1."""
        X = self._scored(records)[1]
        p = self.params_.probability(X)
        return np.column_stack([1.0 - p, p])

    def predict(self, records: Any) -> npt.NDArray[np.bool_]:
        """True where the calibrated probability of label 1 exceeds 0.5."""
        return self.predict_proba(records)[:, 1] > 0.5

    def log_odds(self, records: Any) -> F64:
        """The base model's log-odds, before calibration."""
        X = self._scored(records)[1]
        return self.params_.log_odds(X)

    def explain(self, records: Any, *, top: int | None = None) -> list[Explanation]:
        """Per-feature contributions to each group's log-odds, largest first.

        A contribution is ``coef * standardized value`` in the *base* logistic
        model; calibration is a monotone map applied to their sum afterwards, so it
        changes the probability but never the order of groups or the sign of a
        contribution. ``top`` keeps the largest ones (the rest is summed in
        ``rest``).
        """
        if top is not None and top < 0:
            raise ValueError(f"top must be 0 or more, got {top}")
        batch, X = self._scored(records)
        contrib = self.params_.contributions(X)
        std = self.params_.standardize(X)
        z = contrib.sum(axis=1) + self.params_.intercept
        p = self.params_.calibration(z)
        gids = batch.group_ids
        out = []
        for i in range(len(batch)):
            order = np.argsort(-np.abs(contrib[i]), kind="stable")
            keep = order if top is None else order[:top]
            items = tuple(Contribution(
                self.feature_names_[j],
                None if math.isnan(X[i, j]) else float(X[i, j]),
                float(std[i, j]), float(contrib[i, j])) for j in keep)
            rest = float(contrib[i, order[len(keep):]].sum())
            out.append(Explanation(None if gids is None else gids[i], float(z[i]),
                                   float(p[i]), self.params_.intercept, items, rest))
        return out

    def predict_groups(self, records: Any, *, low: float = 0.3,
                       high: float = 0.8) -> ModelResult:
        """The rules' stage, class and exit readiness beside the model's probability.

        Flags a group when the rules say exit-ready but the probability is below
        ``low``, or not ready but above ``high``; the rules' results stand as they
        are.
        """
        if not 0.0 <= low <= high <= 1.0:
            raise ValueError(f"need 0 <= low <= high <= 1, got low={low}, high={high}")
        batch, X = self._scored(records)
        p = self.params_.probability(X)
        ready = batch.raw.exit_ready
        flags = np.full(len(batch), None, dtype=object)
        flags[(ready == 1) & (p < low)] = _FLAG_READY_LOW
        flags[(ready == 0) & (p > high)] = _FLAG_NOT_READY_HIGH
        return ModelResult(batch, p, flags, low, high)

    # -- persistence ---------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The fitted model as JSON-ready data (see :meth:`save`)."""
        self._check_fitted()
        plan = self.scorer_.plan
        return {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "ruleset": {"id": plan.ruleset_id, "version": plan.version,
                        "hash": plan.content_hash},
            "params": {k: v for k, v in self.get_params().items() if k != "ruleset"},
            "features": list(self.feature_names_),
            **self.params_.to_dict(),
            "training": dict(self.training_),
        }

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model as JSON: coefficients, intercept, scaler, fills,
        calibration, feature names, the ruleset's id/version/hash and training
        metadata. Never pickle."""
        out = Path(path)
        out.write_text(json.dumps(self.to_dict(), indent=1, allow_nan=False) + "\n",
                       encoding="utf-8")
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any],
                  ruleset: Ruleset | str | os.PathLike[str], *,
                  source: str = "<model>") -> MaturityModel:
        """Rebuild a fitted model from :meth:`to_dict` data, checking the ruleset.

        Raises
        ------
        ModelRulesetMismatchError
            When ``ruleset``'s content hash is not the one the model was fitted with.
        InputError
            When the data is not a kematangan model.
        """
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise InputError(f"{source} is not a kematangan model file",
                             fix="give a file written by MaturityModel.save")
        if data.get("format_version") != FORMAT_VERSION:
            raise InputError(f"{source} has model format version "
                             f"{data.get('format_version')!r}; this kematangan "
                             f"reads version {FORMAT_VERSION}",
                             fix="refit the model with this kematangan")
        scorer = Scorer(ruleset)
        plan = scorer.plan
        want = data.get("ruleset", {})
        if want.get("hash") != plan.content_hash:
            raise ModelRulesetMismatchError([Problem("ruleset_message", {"message": (
                f"the model was fitted with ruleset {want.get('id')!r} "
                f"{want.get('version')} (hash {str(want.get('hash'))[:12]}), but the "
                f"ruleset given is {plan.ruleset_id!r} {plan.version} (hash "
                f"{plan.content_hash[:12]}); its features would not line up. Load "
                f"the ruleset the model was fitted with, or refit the model")},
                file=source)])
        names = feature_names(plan)
        if list(data.get("features", [])) != names:
            raise ModelRulesetMismatchError([Problem("ruleset_message", {"message": (
                "the model's feature names differ from those of the ruleset; refit "
                "the model")}, file=source)])
        try:
            params = ModelParams.from_dict(data)
            model = cls(ruleset, **data["params"])
        except (KeyError, TypeError, ValueError) as err:
            raise InputError(f"{source} is malformed: {err}",
                             fix="give a file written by MaturityModel.save") from err
        if len(params.coef) != len(names):
            raise InputError(f"{source} has {len(params.coef)} coefficients for "
                             f"{len(names)} features",
                             fix="give a file written by MaturityModel.save")
        model.scorer_ = scorer
        model.estimator_ = None
        model.params_ = params
        model.feature_names_ = names
        model.training_ = dict(data.get("training", {}))
        return model

    @classmethod
    def load(cls, path: str | os.PathLike[str],
             ruleset: Ruleset | str | os.PathLike[str]) -> MaturityModel:
        """Read a model saved by :meth:`save`; it predicts with numpy alone.

        Raises
        ------
        ModelRulesetMismatchError
            A :class:`~kematangan.errors.RulesetError`: ``ruleset`` is not the
            ruleset (same content hash) the model was fitted with.
        InputError
            When the file cannot be read or is not a kematangan model.
        """
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise InputError(f"cannot read model file {str(p)!r}: {err}") from err
        return cls.from_dict(data, ruleset, source=str(p))


def _batch(scorer: Scorer, records: Any) -> BatchResult:
    if isinstance(records, BatchResult):
        if records.plan.content_hash != scorer.plan.content_hash:
            raise RulesetError(
                f"the batch was scored with ruleset {records.plan.ruleset_id!r} "
                f"{records.plan.version}, not the model's {scorer.plan.ruleset_id!r} "
                f"{scorer.plan.version}; score the records with the model's ruleset")
        return records
    return scorer.score_batch(records)


def _kematangan_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kematangan")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


# --------------------------------------------------------------------------- #
# Evaluation


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

    Warns with :class:`CalibrationDataWarning` on small or unbalanced data.

    Examples
    --------
    >>> from kematangan.model.synthetic import make_synthetic
    >>> data = make_synthetic("ppmk-ksm", n=200, seed=2)   # SYNTHETIC groups
    >>> ev = evaluate_model(MaturityModel("ppmk-ksm"), data.records, data.labels,
    ...                     cv=3)
    >>> ev.mode, ev.n, ev.roc_auc > 0.7, sum(b.count for b in ev.bins)
    ('cross-validation', 200, True, 200)
    """
    _require_sklearn()
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    batch = _batch(model.scorer_ if hasattr(model, "scorer_")
                   else Scorer(model.ruleset), records)
    y = _as_labels(labels, len(batch))
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
        folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
        for train, test in folds.split(X, y):
            core = core_estimator(C=model.C, penalty=model.penalty,
                                  method=model.method, cv=model.cv,
                                  random_state=model.random_state)
            core.fit(X[train], y[train])
            p[test] = core.params_.probability(X[test])
        mode = "cross-validation"
    both = bool(y.any() and (~y).any())
    ev = Evaluation(
        mode=mode, folds=cv, n=len(y), positives=int(y.sum()),
        brier=float(brier_score_loss(y, p)),
        log_loss=float(log_loss(y, p, labels=[False, True])),
        roc_auc=float(roc_auc_score(y, p)) if both else None,
        ece=expected_calibration_error(y, p, n_bins), n_bins=n_bins,
        bins=tuple(reliability_bins(y, p, n_bins)), labels=y, probabilities=p)
    if plot is not None:
        ev = dataclasses.replace(ev, plot=str(plot_reliability(ev, plot)))
    return ev


def plot_reliability(evaluation: Evaluation, path: str | os.PathLike[str]) -> Path:
    """Save a reliability diagram of ``evaluation`` (PNG, SVG or PDF by suffix).

    Raises
    ------
    ImportError
        When matplotlib, an optional extra, is not installed.
    ValueError
        When the suffix is not ``.png``, ``.svg`` or ``.pdf``.
    """
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ValueError(f"cannot save a plot as {out.suffix or 'no suffix'!r}; use "
                         ".png, .svg or .pdf")
    try:
        from matplotlib.figure import Figure
    except ImportError as err:
        raise ImportError("the reliability diagram needs matplotlib, an optional "
                          "extra: pip install matplotlib") from err
    fig = Figure(figsize=(5.0, 6.0))
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    filled = [b for b in evaluation.bins if b.count]
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
    top.plot([b.mean_predicted for b in filled], [b.observed for b in filled],
             marker="o", label="model")
    top.set_ylabel("observed rate of label 1")
    top.set_ylim(0, 1)
    top.legend(loc="upper left")
    top.set_title(f"Reliability ({evaluation.mode}, n={evaluation.n}); "
                  f"ECE {evaluation.ece:.3f} over {evaluation.n_bins} bins",
                  fontsize=9)
    widths = [b.upper - b.lower for b in evaluation.bins]
    bottom.bar([b.lower for b in evaluation.bins],
               [b.count for b in evaluation.bins], width=widths, align="edge",
               edgecolor="white")
    bottom.set_xlabel("predicted probability")
    bottom.set_ylabel("groups")
    bottom.set_xlim(0, 1)
    fig.tight_layout()
    fig.savefig(out)
    return out
