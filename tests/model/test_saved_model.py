"""Saved models are checked field by field before use (issue 12).

Every tampered, damaged or hostile model file ends in a ``ModelError`` (an
``InputError``) or, for a model of another ruleset, a ``ModelRulesetMismatchError``,
naming the field and the fix: never a ``TypeError``/``KeyError`` traceback and never
a bad value silently used.
"""

from __future__ import annotations

import copy
import json
import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kematangan import (
    InputError,
    KematanganError,
    ModelError,
    ModelRulesetMismatchError,
    RulesetError,
    Scorer,
)
from kematangan.catalogue.model import MESSAGES
from kematangan.model import MaturityModel, make_synthetic
from kematangan.model.features import feature_names
from kematangan.model.persist import MAX_MODEL_BYTES, json_depth

pytest.importorskip("sklearn")

Doc = dict[str, Any]
Maker = Callable[[Doc, Path], None]
DELETE = object()


_PPMK = Scorer("ppmk-ksm")
N_FEATURES = len(feature_names(_PPMK.plan))
"""How many features a ppmk-ksm model has (the ruleset decides it)."""
VERSION = re.escape(_PPMK.ruleset.version)


@pytest.fixture(scope="module")
def fitted() -> MaturityModel:
    data = make_synthetic("ppmk-ksm", n=200, seed=31)
    return MaturityModel("ppmk-ksm").fit(data.records, data.labels)


@pytest.fixture(scope="module")
def doc(fitted: MaturityModel) -> Doc:
    return fitted.to_dict()


# -- makers of bad files --------------------------------------------------------


def changed(doc: Doc, *changes: tuple[tuple[str | int, ...], Any]) -> Doc:
    """A copy of ``doc`` with values set (a callable: applied) or deleted."""
    data = copy.deepcopy(doc)
    for keys, value in changes:
        parent: Any = data
        for key in keys[:-1]:
            parent = parent[key]
        if value is DELETE:
            del parent[keys[-1]]
        else:
            parent[keys[-1]] = value(parent[keys[-1]]) if callable(value) else value
    return data


def edit(*changes: tuple[tuple[str | int, ...], Any]) -> Maker:
    """Change a valid model (see :func:`changed`), then write it."""
    def make(doc: Doc, path: Path) -> None:
        path.write_text(json.dumps(changed(doc, *changes)), encoding="utf-8")
    return make


def text(change: Callable[[str], str]) -> Maker:
    """Change the JSON text of a valid model."""
    def make(doc: Doc, path: Path) -> None:
        path.write_text(change(json.dumps(doc)), encoding="utf-8")
    return make


def raw(content: bytes) -> Maker:
    def make(doc: Doc, path: Path) -> None:
        path.write_bytes(content)
    return make


def literal(keys: tuple[str | int, ...], json_text: str) -> Maker:
    """Put a JSON literal Python would not write (1e999, a 5,000-digit integer)."""
    def make(doc: Doc, path: Path) -> None:
        edit((keys, "@@LITERAL@@"))(doc, path)
        path.write_text(path.read_text(encoding="utf-8").replace('"@@LITERAL@@"',
                                                                 json_text),
                        encoding="utf-8")
    return make


def sparse_file(doc: Doc, path: Path) -> None:
    with path.open("wb") as fp:
        fp.truncate(MAX_MODEL_BYTES + 1)


def directory(doc: Doc, path: Path) -> None:
    path.mkdir()


def absent(doc: Doc, path: Path) -> None:
    pass


def isotonic(x: list[Any], y: list[Any]) -> Maker:
    return edit((("params", "method"), "isotonic"),
                (("calibration",), {"method": "isotonic", "x": x, "y": y}))


def drop_last_feature(doc: Doc, path: Path) -> None:
    edit(*(((*keys,), lambda v: v[:-1]) for keys in (
        ("features",), ("fill",), ("coef",), ("scaler", "mean"),
        ("scaler", "scale"))))(doc, path)


NAN, INF = math.nan, math.inf


class Case(NamedTuple):
    id: str
    make: Maker
    code: str
    path: str
    match: str
    error: type[Exception] = ModelError


CASES = [
    # numbers that are not finite, or not positive where they must be
    Case("nan_coefficient", edit((("coef", 3), NAN)), "model_not_finite", "coef[3]",
         "expected a finite number, got NaN"),
    Case("infinite_coefficient", edit((("coef", 0), INF)), "model_not_finite",
         "coef[0]", "got Infinity"),
    Case("minus_infinite_intercept", edit((("intercept",), -INF)),
         "model_not_finite", "intercept", "got -Infinity"),
    Case("overflowing_literal", literal(("coef", 2), "1e999"), "model_not_finite",
         "coef[2]", "got Infinity"),
    Case("integer_of_5000_digits", literal(("coef", 1), "9" * 5000),
         "model_not_finite", "coef[1]", "got Infinity"),
    Case("nan_fill", edit((("fill", 1), NAN)), "model_not_finite", "fill[1]",
         "got NaN"),
    Case("infinite_mean", edit((("scaler", "mean", 0), INF)), "model_not_finite",
         "scaler.mean[0]", "got Infinity"),
    Case("zero_scale", edit((("scaler", "scale", 4), 0)), "model_not_positive",
         "scaler.scale[4]", "must be greater than 0, got 0"),
    Case("negative_scale", edit((("scaler", "scale", 0), -1.5)),
         "model_not_positive", "scaler.scale[0]", "must be greater than 0, got -1.5"),
    Case("scale_too_small_for_its_coefficient",
         edit((("scaler", "scale", 5), 5e-324), (("coef", 5), 1e10)),
         "model_overflow", "scaler.scale[5]",
         r"coefficient 10000000000 over scale 4.94065645841247e-324 is not a finite"),
    # text, booleans, null and lists where numbers belong
    Case("text_coefficient", edit((("coef", 1), "0.5")), "model_expected_number",
         "coef[1]", 'expected a number, got "0.5"'),
    Case("boolean_intercept", edit((("intercept",), True)), "model_expected_number",
         "intercept", "expected a number, got true"),
    Case("boolean_scale", edit((("scaler", "scale", 2), False)),
         "model_expected_number", "scaler.scale[2]", "got false"),
    Case("null_coefficient", edit((("coef", 0), None)), "model_expected_number",
         "coef[0]", "got null"),
    Case("list_in_coefficients", edit((("coef", 0), [1])), "model_expected_number",
         "coef[0]", r"got \[1\]"),
    # wrong field types
    Case("coefficients_as_text", edit((("coef",), "1,2,3")), "model_expected_list",
         "coef", r'expected a JSON list \[...\], got "1,2,3"'),
    Case("scaler_as_list", edit((("scaler",), [1, 2])), "model_expected_object",
         "scaler", r"expected a JSON object \{...\}, got \[1, 2\]"),
    Case("calibration_null", edit((("calibration",), None)), "model_expected_object",
         "calibration", "got null"),
    Case("features_as_text", edit((("features",), "a,b")), "model_expected_list",
         "features", "expected a JSON list"),
    Case("feature_name_a_number", edit((("features", 2), 5)), "model_expected_text",
         "features[2]", "expected a text, got 5"),
    # wrong shapes
    Case("bad_feature_name_and_short_coefficients",
         edit((("features", 2), 5), (("coef",), lambda v: v[:-1])),
         "model_expected_text", "features[2]", "expected a text, got 5"),
    Case("one_coefficient_short", edit((("coef",), lambda v: v[:-1])),
         "model_length", "coef",
         f"holds {N_FEATURES - 1} values, but the model has {N_FEATURES} features"),
    Case("one_fill_too_many", edit((("fill",), lambda v: [*v, 0.0])),
         "model_length", "fill", f"holds {N_FEATURES + 1} values"),
    Case("scales_cut_short", edit((("scaler", "scale"), lambda v: v[:10])),
         "model_length", "scaler.scale", "holds 10 values"),
    # missing and extra keys
    Case("missing_coefficients", edit((("coef",), DELETE)), "model_missing_key",
         "coef", "required key 'coef' is missing"),
    Case("missing_scales", edit((("scaler", "scale"), DELETE)), "model_missing_key",
         "scaler.scale", "required key 'scale' is missing"),
    Case("missing_ruleset_hash", edit((("ruleset", "hash"), DELETE)),
         "model_missing_key", "ruleset.hash", "required key 'hash' is missing"),
    Case("extra_top_level_key", edit((("pickle",), "gASVAAAA")), "model_unknown_key",
         "pickle", r"unknown key 'pickle' \(fix: remove it; this part holds only: "
         r"format, format_version"),
    Case("extra_calibration_key", edit((("calibration", "c"), 1.0)),
         "model_unknown_key", "calibration.c", "holds only: method, a, b"),
    Case("extra_training_key", edit((("training", "note"), "x")),
         "model_unknown_key", "training.note", "unknown key 'note'"),
    # damaged and hostile files
    Case("truncated", text(lambda t: t[:len(t) // 2]), "model_invalid_json", "",
         r"not valid JSON: .* \(line 1, column \d+\) \(fix: the file is damaged or "
         r"cut short"),
    Case("trailing_garbage", text(lambda t: t + "}"), "model_invalid_json", "",
         "not valid JSON: Extra data"),
    Case("empty_file", raw(b""), "model_invalid_json", "",
         r"not valid JSON: Expecting value \(line 1, column 1\)"),
    Case("not_utf8", raw(b'{"format": "kematangan-model\xe9"}'), "model_not_utf8",
         "", "the file is not UTF-8 text"),
    Case("huge_file", sparse_file, "model_file_too_large", "",
         rf"has {MAX_MODEL_BYTES + 1} bytes, more than the limit of "
         rf"{MAX_MODEL_BYTES} bytes .* max_bytes="),
    Case("deeply_nested", raw(b'{"coef": ' + b"[" * 100_000 + b"]" * 100_000
                              + b"}"),
         "model_too_deep", "", "nested more than 32 levels deep"),
    Case("duplicate_key", text(lambda t: t.replace('"intercept":',
                                                   '"intercept": 0.0, "intercept":')),
         "model_duplicate_key", "", "the key 'intercept' appears twice"),
    Case("directory", directory, "model_not_a_file", "", "not a regular file"),
    Case("no_such_file", absent, "model_unreadable", "",
         "cannot read model file: No such file or directory"),
    Case("not_a_model", edit((("format",), "something-else")), "model_not_a_model",
         "format", "is not a kematangan model file"),
    Case("top_level_list", raw(b"[1, 2]"), "model_not_a_model", "",
         "is not a kematangan model file"),
    Case("format_version_2", edit((("format_version",), 2)), "model_format_version",
         "format_version", "model format version 2; this kematangan reads version 1"),
    # the ruleset
    Case("wrong_ruleset_hash", edit((("ruleset", "hash"), "0" * 64)),
         "model_ruleset_mismatch", "ruleset.hash",
         rf"the model was fitted with ruleset 'ppmk-ksm' {VERSION} \(hash 000000000000\)"
         r", but the ruleset given is 'ppmk-ksm'", ModelRulesetMismatchError),
    Case("ruleset_id_edited", edit((("ruleset", "id"), "ppmk-kub")),
         "model_ruleset_mismatch", "ruleset.id",
         "fitted with ruleset 'ppmk-kub'", ModelRulesetMismatchError),
    Case("ruleset_hash_a_number", edit((("ruleset", "hash"), 12345)),
         "model_expected_text", "ruleset.hash", "expected a text, got 12345"),
    Case("ruleset_hash_malformed", edit((("ruleset", "hash"), "abc")),
         "model_bad_hash", "ruleset.hash", "64 hexadecimal digits"),
    Case("feature_renamed", edit((("features", 0), "x")), "model_features_mismatch",
         "features[0]", "the model's feature 'x' is 'formed_participatory' in this "
         "ruleset", ModelRulesetMismatchError),
    Case("feature_left_out", drop_last_feature, "model_feature_count", "features",
         f"the model has {N_FEATURES - 1} features, this ruleset {N_FEATURES}",
         ModelRulesetMismatchError),
    # settings and calibration
    Case("unknown_calibration_method", edit((("calibration", "method"), "platt")),
         "model_unknown_choice", "calibration.method",
         r"\"platt\" is not known \(fix: use one of: 'sigmoid', 'isotonic'\)"),
    Case("unknown_params_method", edit((("params", "method"), "platt")),
         "model_unknown_choice", "params.method", '"platt" is not known'),
    Case("unknown_penalty", edit((("params", "penalty"), "elasticnet")),
         "model_unknown_choice", "params.penalty", "use one of: 'l2', 'l1'"),
    Case("one_fold", edit((("params", "cv"), 1)), "model_out_of_range", "params.cv",
         "expected a value of at least 2, got 1"),
    Case("folds_a_boolean", edit((("params", "cv"), True)), "model_expected_whole",
         "params.cv", "expected a whole number, got true"),
    Case("zero_regularization", edit((("params", "C"), 0)), "model_not_positive",
         "params.C", "must be greater than 0, got 0"),
    Case("regularization_as_text", edit((("params", "C"), "1")),
         "model_expected_number", "params.C", 'got "1"'),
    Case("negative_seed", edit((("params", "random_state"), -1)),
         "model_out_of_range", "params.random_state", "from 0 to 4294967295, got -1"),
    Case("sigmoid_slope_nan", edit((("calibration", "a"), NAN)), "model_not_finite",
         "calibration.a", "got NaN"),
    Case("method_differs_from_calibration", edit((("params", "method"), "isotonic")),
         "model_method_mismatch", "params.method",
         "params.method 'isotonic' differs from calibration.method 'sigmoid'"),
    Case("isotonic_thresholds_not_increasing",
         isotonic([-1.0, 0.0, 0.0, 2.0], [0.1, 0.2, 0.3, 0.9]),
         "model_not_increasing", "calibration.x[2]",
         "isotonic thresholds must increase: 0.0 follows 0.0"),
    Case("isotonic_probabilities_decreasing",
         isotonic([-1.0, 0.0, 1.0, 2.0], [0.1, 0.4, 0.3, 0.9]), "model_decreasing",
         "calibration.y[2]", "must not decrease: 0.3 follows 0.4"),
    Case("isotonic_probability_above_1",
         isotonic([-1.0, 0.0, 1.0, 2.0], [0.1, 0.4, 0.5, 1.5]),
         "model_out_of_range", "calibration.y[3]",
         "expected a value from 0 to 1, got 1.5"),
    Case("isotonic_lengths_differ", isotonic([-1.0, 0.0, 1.0, 2.0], [0.1, 0.4, 0.5]),
         "model_calibration_lengths", "calibration.y",
         "calibration.x holds 4 values but calibration.y 3"),
    Case("isotonic_empty", isotonic([], []), "model_empty", "calibration.x",
         "the list is empty"),
    Case("isotonic_with_sigmoid_keys",
         edit((("params", "method"), "isotonic"),
              (("calibration", "method"), "isotonic")),
         "model_missing_key", "calibration.x", "required key 'x' is missing"),
    # training metadata
    Case("synthetic_as_text", edit((("training", "synthetic"), "false")),
         "model_expected_boolean", "training.synthetic",
         'expected true or false, got "false"'),
    Case("negative_group_count", edit((("training", "n"), -1)), "model_out_of_range",
         "training.n", "expected a value of at least 0, got -1"),
    Case("group_counts_disagree", edit((("training", "n"), lambda n: n + 1)),
         "model_training_counts", "training.n",
         r"n 201 is not positives \+ negatives"),
    Case("positive_rate_above_1", edit((("training", "positive_rate"), 1.5)),
         "model_out_of_range", "training.positive_rate", "from 0 to 1, got 1.5"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_tampered_model_file_is_refused_naming_the_field(
        doc: Doc, tmp_path: Path, case: Case) -> None:
    path = tmp_path / "bad.json"
    case.make(doc, path)
    with pytest.raises(case.error) as info:
        MaturityModel.load(path, "ppmk-ksm")
    err = info.value
    assert isinstance(err, ModelError) and isinstance(err, KematanganError)
    found = {(p.code, p.path) for p in err.problems}
    assert (case.code, case.path) in found, found
    assert re.search(case.match, str(err)), str(err)
    assert all(p.file == str(path) and p.fix() and p.fix("id") for p in err.problems)


def test_the_table_has_a_case_for_every_model_problem_code() -> None:
    assert {c.code for c in CASES} == set(MESSAGES)
    assert len(CASES) >= 31


def test_model_errors_are_input_errors_and_the_mismatch_a_ruleset_error() -> None:
    assert issubclass(ModelError, InputError)
    assert issubclass(ModelRulesetMismatchError, ModelError)
    assert issubclass(ModelRulesetMismatchError, RulesetError)


def test_every_problem_of_a_file_is_reported_at_once(doc: Doc,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    edit((("coef", 3), NAN), (("scaler", "scale", 1), 0),
         (("training", "synthetic"), 1))(doc, path)
    with pytest.raises(ModelError) as info:
        MaturityModel.load(path, "ppmk-ksm")
    assert [p.path for p in info.value.problems] == [
        "scaler.scale[1]", "coef[3]", "training.synthetic"]
    assert str(info.value).startswith(f"model file {str(path)!r} has 3 problems:\n")


def test_model_error_reads_in_indonesian(doc: Doc, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    edit((("coef", 3), NAN))(doc, path)
    with pytest.raises(ModelError) as info:
        MaturityModel.load(path, "ppmk-ksm")
    assert info.value.text("id") == (
        f"{path}: coef[3]: seharusnya angka terhingga, tertulis NaN (perbaikan: "
        "latih ulang model; angka model yang dilatih selalu terhingga)")


def test_the_size_limit_can_be_raised(fitted: MaturityModel, tmp_path: Path) -> None:
    path = fitted.save(tmp_path / "model.json")
    size = path.stat().st_size
    with pytest.raises(ModelError, match=f"more than the limit of {size - 1} bytes"):
        MaturityModel.load(path, "ppmk-ksm", max_bytes=size - 1)
    loaded = MaturityModel.load(path, "ppmk-ksm", max_bytes=size)
    assert loaded.feature_names_ == fitted.feature_names_


def test_from_dict_checks_data_given_in_memory(fitted: MaturityModel) -> None:
    data = fitted.to_dict()
    data["coef"] = np.asarray(data["coef"])  # not a list, as JSON would give
    with pytest.raises(ModelError, match="coef: expected a JSON list"):
        MaturityModel.from_dict(data, "ppmk-ksm")
    data["coef"] = [np.float64(c) for c in fitted.to_dict()["coef"]]
    loaded = MaturityModel.from_dict(data, "ppmk-ksm")
    np.testing.assert_array_equal(loaded.params_.coef, fitted.params_.coef)


def test_a_saved_model_loads_and_keeps_its_metadata(fitted: MaturityModel,
                                                    tmp_path: Path) -> None:
    loaded = MaturityModel.load(fitted.save(tmp_path / "m.json"), "ppmk-ksm")
    assert loaded.training_ == fitted.training_
    assert loaded.get_params() == fitted.get_params()


@pytest.mark.parametrize("unit", [b'"\\"[', b'\\', b'"', b"[", b'"[]'])
def test_nesting_depth_is_measured_in_linear_time(unit: bytes) -> None:
    # A pattern that backtracks takes ~100 times longer on 100 times the input
    # squared; linear time keeps the ratio near 100. The bound leaves room for a
    # shared, noisy machine.
    def seconds(n: int) -> float:
        data = unit * n
        start = time.perf_counter()
        for _ in range(3):
            json_depth(data)
        return time.perf_counter() - start

    small, large = seconds(2_000), seconds(200_000)
    assert large < 1000 * max(small, 1e-4)


def _key_paths(value: Any, at: tuple[str | int, ...] = ()
               ) -> list[tuple[str | int, ...]]:
    """Every key path of a document: objects' keys, and lists' first element."""
    out: list[tuple[str | int, ...]] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            out += [(*at, key), *_key_paths(inner, (*at, key))]
    elif isinstance(value, list) and value:
        out += [(*at, 0), *_key_paths(value[0], (*at, 0))]
    return out


BAD_VALUES = ["x", True, None, [], {}, NAN, -INF, 0, -1, 10**400, [[1.0]]]


def test_any_field_removed_or_replaced_gives_a_model_error_or_loads(
        doc: Doc) -> None:
    # A sweep over every field and a set of bad values: each either loads (0 is a
    # valid coefficient) or ends in a ModelError, never in another exception.
    tried = refused = 0
    for keys in _key_paths(doc):
        for value in [DELETE, *BAD_VALUES]:
            if isinstance(keys[-1], int) and value is DELETE:
                continue
            tried += 1
            try:
                MaturityModel.from_dict(changed(doc, (keys, value)), "ppmk-ksm")
            except ModelError as err:
                refused += 1
                assert err.problems and all(p.fix() for p in err.problems)
    assert tried > 400 and refused > 0.9 * tried


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=5)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_models_load_or_give_a_model_error(doc: Doc,
                                                  data: st.DataObject) -> None:
    # Several fields changed at once, to any JSON value: the checks of one field
    # must not assume another field passed its own.
    paths = _key_paths(doc)
    changes = data.draw(st.lists(st.tuples(
        st.sampled_from(paths), st.just(DELETE) | st.sampled_from(BAD_VALUES)
        | JSON_VALUES), min_size=1, max_size=3, unique_by=lambda c: c[0]))
    # Deepest first, so that no change removes the place of a later one.
    mutated = changed(doc, *sorted(changes, key=lambda c: -len(c[0])))
    try:
        MaturityModel.from_dict(mutated, "ppmk-ksm")
    except ModelError as err:
        assert err.problems and all(p.fix() for p in err.problems)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_model_bytes_load_or_give_a_model_error(
        doc: Doc, tmp_path: Path, data: st.DataObject) -> None:
    content = bytearray(json.dumps(doc, indent=1).encode())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(content)))
        cut = data.draw(st.integers(0, 8))
        content[at:at + cut] = data.draw(st.binary(max_size=8)
                                         | st.sampled_from([b"[", b"{", b'"', b"\\",
                                                            b"NaN", b"1e999"]))
    path = tmp_path / "fuzzed.json"
    path.write_bytes(bytes(content))
    try:
        MaturityModel.load(path, "ppmk-ksm")
    except ModelError as err:
        assert err.problems and all(p.fix() for p in err.problems)
