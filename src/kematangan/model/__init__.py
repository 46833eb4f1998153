"""The optional calibrated model: probabilities beside the rules, never instead.

Modules, each with one job (dependencies point down the list's order):

* :mod:`~kematangan.model.features`: the features of a scored batch;
* :mod:`~kematangan.model.calibration`: calibration maps, reliability bins, ECE;
* :mod:`~kematangan.model.params`: a fitted model as numbers (predicts with numpy);
* :mod:`~kematangan.model.sklearn_host`: the only module that imports scikit-learn;
* :mod:`~kematangan.model.labels`: labels, and whether there are enough;
* :mod:`~kematangan.model.results`: probabilities beside the rules, explanations;
* :mod:`~kematangan.model.schema`: the JSON form of a fitted model, checked field by
  field; :mod:`~kematangan.model.persist`: model files, read within limits;
* :mod:`~kematangan.model.estimator`: :class:`MaturityModel`;
* :mod:`~kematangan.model.evaluation` and :mod:`~kematangan.model.plot`: how well
  probabilities match labels, and the reliability diagram;
* :mod:`~kematangan.model.synthetic`: SYNTHETIC labelled groups.

scikit-learn is imported only when a model is fitted or evaluated, and matplotlib
only when a diagram is drawn, so importing this package stays cheap. The model's
errors live in :mod:`kematangan.errors`.
"""

from kematangan.model.calibration import (
    IsotonicCalibration,
    ReliabilityBin,
    SigmoidCalibration,
    expected_calibration_error,
    reliability_bins,
)
from kematangan.model.estimator import MaturityModel
from kematangan.model.evaluation import Evaluation, evaluate_model
from kematangan.model.features import build_features, feature_names
from kematangan.model.labels import check_calibration_data
from kematangan.model.params import ModelParams
from kematangan.model.plot import plot_reliability
from kematangan.model.results import Contribution, ModelExplanation, ModelResult
from kematangan.model.sklearn_host import core_estimator
from kematangan.model.synthetic import SyntheticData, make_synthetic

__all__ = [
    "Contribution",
    "Evaluation",
    "IsotonicCalibration",
    "MaturityModel",
    "ModelExplanation",
    "ModelParams",
    "ModelResult",
    "ReliabilityBin",
    "SigmoidCalibration",
    "SyntheticData",
    "build_features",
    "check_calibration_data",
    "core_estimator",
    "evaluate_model",
    "expected_calibration_error",
    "feature_names",
    "make_synthetic",
    "plot_reliability",
    "reliability_bins",
]
