"""The ruleset-bound model: :class:`MaturityModel`. The model informs; the rules decide.

A :class:`MaturityModel` learns the probability of a binary label (for example "the
group was still active two years after the program left") from what a ruleset
already computes for each group (:mod:`~kematangan.model.features`). It never
changes a stage, a class or exit readiness: :meth:`MaturityModel.predict_groups`
shows the rules' result and the model's probability side by side, and flags strong
disagreement for a person to look at.

The estimator is a standard scaler and a regularized logistic regression (the *base
model*), fitted on every labelled group, with a calibration map fitted on
*out-of-fold* log-odds from a ``StratifiedKFold`` (that is
``CalibratedClassifierCV(..., ensemble=False)``): Platt's sigmoid by default,
isotonic regression on request. One base model means explanations are exact: a
group's log-odds are the intercept plus the sum of ``coef * standardized value``
over features, and calibration is a monotone map applied after that sum.

scikit-learn is used through :mod:`~kematangan.model.sklearn_host` only, when a model
is fitted; a saved model (plain JSON, never pickle) predicts with numpy alone.

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

import datetime as _dt
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from kematangan.criteria.ruleset import Ruleset
from kematangan.errors import InputError, ModelNotFittedError
from kematangan.model.features import build_features, feature_names, scored_batch
from kematangan.model.labels import as_labels, check_calibration_data, is_synthetic
from kematangan.model.params import ModelParams
from kematangan.model.persist import MAX_MODEL_BYTES, read_model_file, write_model_file
from kematangan.model.results import (
    FLAG_NOT_READY_HIGH,
    FLAG_READY_LOW,
    Contribution,
    ModelExplanation,
    ModelResult,
)
from kematangan.model.schema import check_ruleset, document, read_document
from kematangan.model.sklearn_host import (
    Method,
    Penalty,
    check_settings,
    core_estimator,
    estimator_tags,
    require_sklearn,
)
from kematangan.scoring.batch import BatchResult
from kematangan.scoring.scorer import Scorer

__all__ = ["MaturityModel"]

F64 = npt.NDArray[np.float64]


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
        # For sklearn.utils.validation.check_is_fitted, which reads the tags.
        return estimator_tags()

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
        check_settings(self.C, self.penalty, self.method, self.cv)
        scorer = Scorer(self.ruleset)
        batch = scored_batch(scorer, records)
        y = as_labels(labels, len(batch))
        check_calibration_data(y, stacklevel=2)
        counts = [int((~y).sum()), int(y.sum())]
        if min(counts) < self.cv:
            raise InputError(
                f"labels 0/1 have {counts[0]}/{counts[1]} groups; calibration with "
                f"cv={self.cv} needs at least {self.cv} of each",
                fix="label more groups, or lower cv (at least 2)")
        version = require_sklearn()
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
            "synthetic": is_synthetic(records),
        }
        return self

    # -- predicting ----------------------------------------------------------

    def _scored(self, records: Any) -> tuple[BatchResult, F64]:
        self._check_fitted()
        batch = scored_batch(self.scorer_, records)
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

    def explain(self, records: Any, *, top: int | None = None
                ) -> list[ModelExplanation]:
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
            out.append(ModelExplanation(
                None if gids is None else gids[i], float(z[i]), float(p[i]),
                self.params_.intercept, items, rest))
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
        flags[(ready == 1) & (p < low)] = FLAG_READY_LOW
        flags[(ready == 0) & (p > high)] = FLAG_NOT_READY_HIGH
        return ModelResult(batch, p, flags, low, high)

    # -- persistence ---------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The fitted model as JSON-ready data (see :meth:`save`)."""
        self._check_fitted()
        settings = {k: v for k, v in self.get_params().items() if k != "ruleset"}
        return document(self.scorer_.plan, settings, self.feature_names_,
                        self.params_, self.training_)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model as JSON: coefficients, intercept, scaler, fills,
        calibration, feature names, the ruleset's id/version/hash and training
        metadata. Never pickle."""
        return write_model_file(self.to_dict(), path)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any],
                  ruleset: Ruleset | str | os.PathLike[str], *,
                  source: str = "<model>") -> MaturityModel:
        """Rebuild a fitted model from :meth:`to_dict` data, checking every field
        and the ruleset first.

        Raises
        ------
        ModelError
            An :class:`~kematangan.errors.InputError` listing every field that is
            missing, unknown, of the wrong type or holds a bad value (see
            :mod:`kematangan.model.schema`).
        ModelRulesetMismatchError
            A :class:`~kematangan.errors.RulesetError` (and a ``ModelError``): the
            model was fitted with another ruleset (content hash or features differ).
        """
        saved = read_document(data, source)
        scorer = Scorer(ruleset)
        check_ruleset(saved, scorer.plan, source)
        model = cls(ruleset, **saved.settings)
        model.scorer_ = scorer
        model.estimator_ = None
        model.params_ = saved.params
        model.feature_names_ = saved.features
        model.training_ = saved.training
        return model

    @classmethod
    def load(cls, path: str | os.PathLike[str],
             ruleset: Ruleset | str | os.PathLike[str], *,
             max_bytes: int = MAX_MODEL_BYTES) -> MaturityModel:
        """Read a model saved by :meth:`save`; it predicts with numpy alone.

        The file is checked before use: at most ``max_bytes`` (8 MiB by default),
        JSON nested at most 32 levels, then every field (see :meth:`from_dict`).

        Raises
        ------
        ModelError
            When the file cannot be read, is too large, is not JSON, or a field is
            missing, unknown, of the wrong type or holds a bad value; each problem
            names the field (``coef[3]``) and the fix.
        ModelRulesetMismatchError
            A :class:`~kematangan.errors.RulesetError`: ``ruleset`` is not the
            ruleset (same content hash) the model was fitted with.
        """
        data = read_model_file(path, max_bytes=max_bytes)
        return cls.from_dict(data, ruleset, source=str(path))


def _kematangan_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kematangan")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"
