"""The JSON form of a fitted model: writing it, and checking it field by field.

A saved model is plain JSON (never pickle)::

    {"format": "kematangan-model", "format_version": 1,
     "ruleset": {"id": ..., "version": ..., "hash": <64 hex digits>},
     "params": {"C": ..., "penalty": "l2" | "l1", "method": "sigmoid" | "isotonic",
                "cv": ..., "random_state": ... | null},
     "features": [<name>, ...],
     "fill": [...], "scaler": {"mean": [...], "scale": [...]}, "coef": [...],
     "intercept": ...,
     "calibration": {"method": "sigmoid", "a": ..., "b": ...}
                  | {"method": "isotonic", "x": [...], "y": [...]},
     "training": {"n": ..., "positives": ..., "negatives": ..., "positive_rate": ...,
                  "fitted_at": ..., "sklearn_version": ..., "numpy_version": ...,
                  "kematangan_version": ..., "synthetic": true | false}}

:func:`read_document` checks every field before anything uses it: every key known
and present, the JSON type of each value (no text or ``true`` where a number
belongs), one number per feature in ``fill``, ``scaler`` and ``coef``, every number
finite, scales above 0, the settings and calibration method known, isotonic
thresholds increasing and their probabilities in [0, 1] and not decreasing. It
raises one :class:`~kematangan.errors.ModelError` listing every problem found, each
naming its field (``coef[3]``); within one list, the first bad element is named.
:func:`check_ruleset` then checks the model against the ruleset it is used with.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kematangan.errors import ModelError, ModelRulesetMismatchError
from kematangan.model.calibration import (
    Calibration,
    IsotonicCalibration,
    SigmoidCalibration,
)
from kematangan.model.features import feature_names
from kematangan.model.params import ModelParams
from kematangan.model.sklearn_host import METHODS, PENALTIES
from kematangan.problems import Problem
from kematangan.scoring.plan import Plan

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SavedModel",
    "check_ruleset",
    "document",
    "read_document",
    "shown",
]

FORMAT = "kematangan-model"
FORMAT_VERSION = 1

_TOP = ("format", "format_version", "ruleset", "params", "features", "fill",
        "scaler", "coef", "intercept", "calibration", "training")
_RULESET = ("id", "version", "hash")
_SETTINGS = ("C", "penalty", "method", "cv", "random_state")
_SCALER = ("mean", "scale")
_CALIBRATION = {"sigmoid": ("method", "a", "b"), "isotonic": ("method", "x", "y")}
_TRAINING = ("n", "positives", "negatives", "positive_rate", "fitted_at",
             "sklearn_version", "numpy_version", "kematangan_version", "synthetic")
_HASH = re.compile(r"[0-9a-f]{64}")
_SEED_MAX = 2**32 - 1  # scikit-learn's largest random_state
_SHOWN = 40

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class SavedModel:
    """A model file's content, every field checked (see :func:`read_document`)."""

    ruleset_id: str
    ruleset_version: str
    ruleset_hash: str
    settings: dict[str, Any]
    features: list[str]
    params: ModelParams
    training: dict[str, Any]


def document(plan: Plan, settings: Mapping[str, Any], features: Sequence[str],
             params: ModelParams, training: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON-ready form of a fitted model (what :func:`read_document` reads).

    Examples
    --------
    >>> from kematangan.model.synthetic import make_synthetic
    >>> from kematangan.model import MaturityModel
    >>> data = make_synthetic("ppmk-ksm", n=100, seed=1)   # SYNTHETIC groups
    >>> model = MaturityModel("ppmk-ksm").fit(data.records, data.labels)
    >>> doc = document(model.scorer_.plan, {"C": 1.0, "penalty": "l2",
    ...                "method": "sigmoid", "cv": 5, "random_state": 0},
    ...                model.feature_names_, model.params_, model.training_)
    >>> doc == model.to_dict(), read_document(doc).features == model.feature_names_
    (True, True)
    """
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "ruleset": {"id": plan.ruleset_id, "version": plan.version,
                    "hash": plan.content_hash},
        "params": dict(settings),
        "features": list(features),
        **params.to_dict(),
        "training": dict(training),
    }


def shown(value: Any) -> str:
    """A value as JSON text, shortened to about 40 characters, for a message.

    Examples
    --------
    >>> shown("0.5"), shown(True), shown(None), shown(float("nan")), shown([1, [2]])
    ('"0.5"', 'true', 'null', 'NaN', '[1, [...]]')
    >>> shown("x" * 100)
    '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."'
    """
    text = _scalar(value)
    if text is None:
        if isinstance(value, Mapping):
            text = "{...}"
        else:  # a list or tuple: its scalars, nothing deeper
            items = [_scalar(v) or ("{...}" if isinstance(v, Mapping) else "[...]")
                     for v in value[:8]]
            text = "[" + ", ".join(items) + (", ...]" if len(value) > 8 else "]")
    if len(text) > _SHOWN:
        text = text[:_SHOWN - 4] + ('..."' if text.startswith('"') else "...")
    return text


def _scalar(value: Any) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value[:_SHOWN], ensure_ascii=False)
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(float(value))
    if isinstance(value, int | np.integer):
        whole = int(value)
        if abs(whole) < 10**30:
            return str(whole)
        # str() refuses integers of over 4,300 digits; the magnitude is enough.
        return f"{'-' if whole < 0 else ''}1e{int(abs(whole).bit_length() * 0.30103)}"
    if isinstance(value, Mapping | list | tuple):
        return None
    return f"<{type(value).__name__}>"


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float | np.integer | np.floating)
            and not isinstance(value, bool | np.bool_))


def _float(value: Any) -> float:
    try:
        return float(value)
    except OverflowError:  # an int beyond the range of floats
        return math.inf if value > 0 else -math.inf


class _Checker:
    """Collects the problems of one document, each with its file and field."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, code: str, path: str, **params: Any) -> None:
        self.problems.append(Problem(code, params, file=self.source, path=path))

    def obj(self, value: Any, path: str, keys: Sequence[str]
            ) -> Mapping[str, Any] | None:
        """``value`` if it is an object; every key in ``keys`` present, no other."""
        if not isinstance(value, Mapping):
            self.add("model_expected_object", path, got=shown(value))
            return None
        at = f"{path}." if path else ""
        for key in value:
            if key not in keys:
                name = str(key)[:_SHOWN]
                self.add("model_unknown_key", f"{at}{name}", key=name,
                         allowed=list(keys))
        for key in keys:
            if key not in value:
                self.add("model_missing_key", f"{at}{key}", key=key)
        return value

    def number(self, value: Any, path: str, *, positive: bool = False,
               lo: float | None = None, hi: float | None = None) -> float | None:
        if not _is_number(value):
            self.add("model_expected_number", path, got=shown(value))
            return None
        got = _float(value)
        if not math.isfinite(got):
            self.add("model_not_finite", path, got=shown(value))
        elif positive and got <= 0:
            self.add("model_not_positive", path, got=shown(value))
        elif (lo is not None and got < lo) or (hi is not None and got > hi):
            self.add("model_out_of_range", path, got=shown(value), min=lo, max=hi)
        else:
            return got
        return None

    def whole(self, value: Any, path: str, lo: int, hi: int | None = None
              ) -> int | None:
        if not isinstance(value, int | np.integer) or isinstance(value, bool):
            self.add("model_expected_whole", path, got=shown(value))
            return None
        if value < lo or (hi is not None and value > hi):
            self.add("model_out_of_range", path, got=shown(value), min=lo, max=hi)
            return None
        return int(value)

    def text(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str):
            self.add("model_expected_text", path, got=shown(value))
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.add("model_expected_boolean", path, got=shown(value))
            return None
        return value

    def choice(self, value: Any, path: str, allowed: Sequence[str]) -> str | None:
        if self.text(value, path) is None:
            return None
        if value not in allowed:
            self.add("model_unknown_choice", path, got=shown(value),
                     allowed=list(allowed))
            return None
        return str(value)

    def numbers(self, value: Any, path: str, *, positive: bool = False) -> F64 | None:
        """A list of finite numbers (above 0 if ``positive``); the first bad one
        is named."""
        if not isinstance(value, list | tuple):
            self.add("model_expected_list", path, got=shown(value))
            return None
        if not all(map(_is_number, value)):
            i = next(i for i, v in enumerate(value) if not _is_number(v))
            self.add("model_expected_number", f"{path}[{i}]", got=shown(value[i]))
            return None
        try:
            arr = np.array(value, dtype=np.float64)
        except OverflowError:
            arr = np.array([_float(v) for v in value])
        bad = ~np.isfinite(arr)
        if positive:
            bad |= arr <= 0
        if bad.any():
            i = int(np.argmax(bad))
            code = "model_not_finite" if not math.isfinite(arr[i]) else (
                "model_not_positive")
            self.add(code, f"{path}[{i}]", got=shown(value[i]))
            return None
        return arr

    def texts(self, value: Any, path: str) -> list[str] | None:
        if not isinstance(value, list | tuple):
            self.add("model_expected_list", path, got=shown(value))
            return None
        for i, v in enumerate(value):
            if not isinstance(v, str):
                self.add("model_expected_text", f"{path}[{i}]", got=shown(v))
                return None
        return list(value)


def read_document(data: Any, source: str = "<model>") -> SavedModel:
    """Check a model document field by field and return its content.

    Raises
    ------
    ModelError
        Listing every problem found, each naming its field and fix.

    Examples
    --------
    >>> try:
    ...     read_document({"format": "kematangan-model", "format_version": 1,
    ...                    "coef": [1, "2"]}, "m.json")
    ... except ModelError as err:
    ...     for p in (err.problems[0], err.problems[-1]):
    ...         print(p.where(), "|", p.problem())
    m.json: ruleset | required key 'ruleset' is missing
    m.json: coef[1] | expected a number, got "2"
    """
    check = _Checker(source)
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        check.add("model_not_a_model", "format" if isinstance(data, Mapping) else "")
        raise ModelError(check.problems)
    version = data.get("format_version")
    if not (isinstance(version, int) and not isinstance(version, bool)
            and version == FORMAT_VERSION):
        check.add("model_format_version", "format_version", got=shown(version),
                  supported=FORMAT_VERSION)
        raise ModelError(check.problems)
    check.obj(data, "", _TOP)
    ruleset = _ruleset(check, data["ruleset"]) if "ruleset" in data else None
    settings = _settings(check, data["params"]) if "params" in data else None
    features = check.texts(data["features"], "features") if "features" in data \
        else None
    params = _params(check, data, None if features is None else len(features))
    training = _training(check, data["training"]) if "training" in data else None
    if (settings is not None and params is not None
            and settings["method"] != _method(params.calibration)):
        check.add("model_method_mismatch", "params.method", got=settings["method"],
                  expected=_method(params.calibration))
    if check.problems:
        raise ModelError(check.problems)
    assert ruleset is not None and settings is not None and features is not None
    assert params is not None and training is not None
    return SavedModel(*ruleset, settings, features, params, training)


def check_ruleset(saved: SavedModel, plan: Plan, source: str = "<model>") -> None:
    """Refuse a model fitted with another ruleset than ``plan``'s.

    Raises
    ------
    ModelRulesetMismatchError
        When the ruleset's content hash (or id or version) or the feature names
        differ.

    Examples
    --------
    >>> from kematangan import Scorer
    >>> saved = SavedModel("ppmk-ksm", "1.0.0", "0" * 64, {}, [], None, {})
    >>> check_ruleset(saved, Scorer("ppmk-ksm").plan, "m.json")
    Traceback (most recent call last):
    ...
    kematangan.errors.ModelRulesetMismatchError: m.json: ruleset.hash: the model was fitted with ruleset 'ppmk-ksm' 1.0.0 (hash 000000000000), but the ruleset given is 'ppmk-ksm' ... (hash ...); its features would not line up (fix: load the ruleset the model was fitted with, or refit the model)
    """
    check = _Checker(source)
    # The hash covers the id and version; a file whose hash matches but whose id or
    # version does not was edited.
    differs = [k for k, got, want in (
        ("hash", saved.ruleset_hash, plan.content_hash),
        ("id", saved.ruleset_id, plan.ruleset_id),
        ("version", saved.ruleset_version, plan.version)) if got != want]
    if differs:
        check.add("model_ruleset_mismatch", f"ruleset.{differs[0]}",
                  model_id=saved.ruleset_id,
                  model_version=saved.ruleset_version,
                  model_hash=saved.ruleset_hash[:12], id=plan.ruleset_id,
                  version=plan.version, hash=plan.content_hash[:12])
        raise ModelRulesetMismatchError(check.problems)
    names = feature_names(plan)
    if len(saved.features) != len(names):
        check.add("model_feature_count", "features", length=len(saved.features),
                  expected=len(names))
    else:
        for i, (got, want) in enumerate(zip(saved.features, names, strict=True)):
            if got != want:
                check.add("model_features_mismatch", f"features[{i}]", got=got,
                          expected=want)
                break
    if check.problems:
        raise ModelRulesetMismatchError(check.problems)


def _method(calibration: Calibration) -> str:
    return "sigmoid" if isinstance(calibration, SigmoidCalibration) else "isotonic"


def _ruleset(check: _Checker, value: Any) -> tuple[str, str, str] | None:
    got = check.obj(value, "ruleset", _RULESET)
    if got is None:
        return None
    rid, version = (check.text(got[k], f"ruleset.{k}") if k in got else None
                    for k in ("id", "version"))
    digest = check.text(got["hash"], "ruleset.hash") if "hash" in got else None
    if digest is not None and not _HASH.fullmatch(digest):
        check.add("model_bad_hash", "ruleset.hash", got=shown(digest))
        digest = None
    if rid is None or version is None or digest is None:
        return None
    return rid, version, digest


def _settings(check: _Checker, value: Any) -> dict[str, Any] | None:
    n = len(check.problems)
    got = check.obj(value, "params", _SETTINGS)
    if got is None:
        return None
    out = {
        "C": check.number(got["C"], "params.C", positive=True) if "C" in got
        else None,
        "penalty": check.choice(got["penalty"], "params.penalty", PENALTIES)
        if "penalty" in got else None,
        "method": check.choice(got["method"], "params.method", METHODS)
        if "method" in got else None,
        "cv": check.whole(got["cv"], "params.cv", 2) if "cv" in got else None,
        "random_state": None,
    }
    seed = got.get("random_state")
    if seed is not None:
        out["random_state"] = check.whole(seed, "params.random_state", 0, _SEED_MAX)
    return out if len(check.problems) == n else None


def _params(check: _Checker, data: Mapping[str, Any], n: int | None
            ) -> ModelParams | None:
    before = len(check.problems)
    fill = check.numbers(data["fill"], "fill") if "fill" in data else None
    scaler = check.obj(data["scaler"], "scaler", _SCALER) if "scaler" in data \
        else None
    mean = scale = None
    if scaler is not None:
        mean = check.numbers(scaler["mean"], "scaler.mean") if "mean" in scaler \
            else None
        scale = check.numbers(scaler["scale"], "scaler.scale", positive=True) \
            if "scale" in scaler else None
    coef = check.numbers(data["coef"], "coef") if "coef" in data else None
    if n is not None:
        for arr, path in ((fill, "fill"), (mean, "scaler.mean"),
                          (scale, "scaler.scale"), (coef, "coef")):
            if arr is not None and len(arr) != n:
                check.add("model_length", path, length=len(arr), expected=n)
    intercept = check.number(data["intercept"], "intercept") \
        if "intercept" in data else None
    calibration = _calibration(check, data["calibration"]) \
        if "calibration" in data else None
    if (n is None or fill is None or mean is None or scale is None or coef is None
            or intercept is None or calibration is None
            or len(check.problems) > before):
        return None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        # Finite numbers can still overflow together: a tiny scale under a large
        # coefficient would give infinite log-odds for every group.
        slope = coef / scale
        offset = (fill - mean) / scale * coef
    bad = ~(np.isfinite(slope) & np.isfinite(offset))
    if bad.any():
        j = int(np.argmax(bad))
        check.add("model_overflow", f"scaler.scale[{j}]", coef=float(coef[j]),
                  scale=float(scale[j]))
        return None
    return ModelParams(fill, mean, scale, coef, intercept, calibration)


def _calibration(check: _Checker, value: Any) -> Calibration | None:
    if not isinstance(value, Mapping):
        check.add("model_expected_object", "calibration", got=shown(value))
        return None
    if "method" not in value:
        check.add("model_missing_key", "calibration.method", key="method")
        return None
    method = check.choice(value["method"], "calibration.method", METHODS)
    if method is None:
        return None
    before = len(check.problems)
    check.obj(value, "calibration", _CALIBRATION[method])
    if method == "sigmoid":
        a, b = (check.number(value[k], f"calibration.{k}") if k in value else None
                for k in ("a", "b"))
        if a is None or b is None or len(check.problems) > before:
            return None
        return SigmoidCalibration(a, b)
    x = check.numbers(value["x"], "calibration.x") if "x" in value else None
    y = check.numbers(value["y"], "calibration.y") if "y" in value else None
    if x is None or y is None or len(check.problems) > before:
        return None
    if len(x) == 0:
        check.add("model_empty", "calibration.x")
    elif len(x) != len(y):
        check.add("model_calibration_lengths", "calibration.y", length=len(x),
                  expected=len(y))
    else:
        _isotonic_order(check, value["x"], value["y"], x, y)
    return None if len(check.problems) > before else IsotonicCalibration(x, y)


def _isotonic_order(check: _Checker, raw_x: Sequence[Any], raw_y: Sequence[Any],
                    x: F64, y: F64) -> None:
    """Thresholds strictly increasing; probabilities in [0, 1], never decreasing."""
    for where, bad in (("x", np.diff(x) <= 0), ("y", np.diff(y) < 0)):
        if bad.any():
            i = int(np.argmax(bad)) + 1
            raw = raw_x if where == "x" else raw_y
            check.add("model_not_increasing" if where == "x" else "model_decreasing",
                      f"calibration.{where}[{i}]", got=shown(raw[i]),
                      previous=shown(raw[i - 1]))
    outside = (y < 0) | (y > 1)
    if outside.any():
        i = int(np.argmax(outside))
        check.add("model_out_of_range", f"calibration.y[{i}]", got=shown(raw_y[i]),
                  min=0, max=1)


def _training(check: _Checker, value: Any) -> dict[str, Any] | None:
    before = len(check.problems)
    got = check.obj(value, "training", _TRAINING)
    if got is None:
        return None
    counts = {k: check.whole(got[k], f"training.{k}", 0) if k in got else None
              for k in ("n", "positives", "negatives")}
    if "positive_rate" in got:
        check.number(got["positive_rate"], "training.positive_rate", lo=0, hi=1)
    for k in ("fitted_at", "sklearn_version", "numpy_version", "kematangan_version"):
        if k in got:
            check.text(got[k], f"training.{k}")
    if "synthetic" in got:
        check.boolean(got["synthetic"], "training.synthetic")
    n, pos, neg = counts.values()
    if n is not None and pos is not None and neg is not None and n != pos + neg:
        check.add("model_training_counts", "training.n", got=n, positives=pos,
                  negatives=neg)
    return dict(got) if len(check.problems) == before else None
