"""The optional calibrated model: features, fit, calibration, persistence, gates."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.utils.estimator_checks import (
    check_classifiers_train,
    check_estimators_pickle,
    check_fit_check_is_fitted,
    check_methods_sample_order_invariance,
    parametrize_with_checks,
)
from sklearn.utils.validation import check_is_fitted

from kematangan import (
    CalibrationDataWarning,
    InputError,
    ModelNotFittedError,
    ModelRulesetMismatchError,
    RulesetError,
    Scorer,
    load_ruleset,
    parse_ruleset,
)
from kematangan.model import (
    MaturityModel,
    ModelExplanation,
    SyntheticData,
    build_features,
    check_calibration_data,
    core_estimator,
    evaluate_model,
    expected_calibration_error,
    feature_names,
    make_synthetic,
    plot_reliability,
    reliability_bins,
)
from tests.model.model_rulesets import SMALL_RULESET


@pytest.fixture(scope="module")
def data() -> SyntheticData:
    return make_synthetic("ppmk-ksm", n=600, seed=11)


@pytest.fixture(scope="module")
def fitted(data: SyntheticData) -> MaturityModel:
    return MaturityModel("ppmk-ksm").fit(data.records, data.labels)


@pytest.fixture(scope="module")
def fitted_isotonic(data: SyntheticData) -> MaturityModel:
    return MaturityModel("ppmk-ksm", method="isotonic").fit(data.records, data.labels)


# -- features -----------------------------------------------------------------


def test_feature_names_match_the_matrix_columns(data: SyntheticData) -> None:
    batch = Scorer("ppmk-ksm").score_batch(data.records)
    X = build_features(batch)
    names = feature_names(batch.plan)
    assert X.shape == (len(data), len(names))
    assert len(set(names)) == len(names)


def test_categories_are_one_hot_dates_days_and_missing_has_an_indicator() -> None:
    scorer = Scorer(parse_ruleset(SMALL_RULESET))
    batch = scorer.score_batch([
        {"sector": "tani", "formed_on": "1970-01-11", "members": 4,
         "members_saving": 2, "books_kept": True},
        {"sector": None, "formed_on": None, "members": 0, "members_saving": 0,
         "books_kept": None},
    ])
    names = feature_names(batch.plan)
    rows = [dict(zip(names, row, strict=True)) for row in build_features(batch)]
    first, second = rows
    assert [first[f"sector={c}"] for c in ("dagang", "tani", "jasa")] == [0, 1, 0]
    assert first["sector.missing"] == 0
    assert [second[f"sector={c}"] for c in ("dagang", "tani", "jasa")] == [0, 0, 0]
    assert second["sector.missing"] == 1
    assert first["formed_on"] == 10.0
    assert np.isnan(second["formed_on"]) and second["formed_on.missing"] == 1
    assert first["books_kept"] == 1.0
    assert first["saving_share"] == 0.5
    # 0 / 0 is missing, and so is the derived value's criterion.
    assert second["saving_share.missing"] == 1
    assert second["outcome.saving"] == 0 and second["outcome.saving.unknown"] == 1
    assert first["outcome.enough_members"] == 0
    assert first["outcome.enough_members.unknown"] == 0


# -- the estimator conventions ------------------------------------------------


def test_init_stores_parameters_only() -> None:
    model = MaturityModel("ppmk-ksm", C=0.3, method="isotonic", cv=3)
    assert vars(model) == {"ruleset": "ppmk-ksm", "C": 0.3, "penalty": "l2",
                           "method": "isotonic", "cv": 3, "random_state": 0}
    assert model.set_params(C=2.0).get_params()["C"] == 2.0


def test_set_params_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match="invalid parameter 'alpha'"):
        MaturityModel("ppmk-ksm").set_params(alpha=1.0)


def test_unfitted_model_raises_not_fitted(data: SyntheticData) -> None:
    model = MaturityModel("ppmk-ksm")
    with pytest.raises(ModelNotFittedError, match="not fitted yet"):
        model.predict_proba(data.records)
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        check_is_fitted(model)


def test_fit_sets_fitted_attributes(fitted: MaturityModel) -> None:
    check_is_fitted(fitted)
    assert fitted.training_["n"] == 600
    assert fitted.training_["positives"] + fitted.training_["negatives"] == 600
    assert fitted.training_["synthetic"] is True
    assert len(fitted.params_.coef) == len(fitted.feature_names_)


@pytest.mark.parametrize(
    ("params", "match"),
    [({"C": 0.0}, "C must be a positive number"),
     ({"method": "platt"}, "method must be 'sigmoid' or 'isotonic'"),
     ({"penalty": "elasticnet"}, "penalty must be 'l2' or 'l1'"),
     ({"cv": 1}, "cv must be a whole number of folds")],
)
def test_invalid_parameters_are_refused_at_fit(data: SyntheticData,
                                               params: dict[str, Any],
                                               match: str) -> None:
    with pytest.raises(ValueError, match=match):
        MaturityModel("ppmk-ksm", **params).fit(data.records, data.labels)


@parametrize_with_checks([core_estimator(cv=2)])  # type: ignore[untyped-decorator]
def test_core_estimator_passes_sklearn_checks(estimator: Any, check: Any) -> None:
    check(estimator)


@pytest.mark.parametrize("check", [check_classifiers_train,
                                   check_methods_sample_order_invariance,
                                   check_fit_check_is_fitted,
                                   check_estimators_pickle])
def test_isotonic_core_estimator_passes_key_sklearn_checks(check: Any) -> None:
    # The full suite runs on the default estimator above; isotonic calibration
    # changes only the calibration map, so a few checks cover it and keep it fast.
    check("CalibratedLogistic", core_estimator(method="isotonic"))


def test_l1_penalty_zeroes_some_coefficients(data: SyntheticData) -> None:
    model = MaturityModel("ppmk-ksm", penalty="l1", C=0.05).fit(data.records,
                                                                data.labels)
    assert (model.params_.coef == 0).any()


# -- labels and data checks ---------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "match"),
    [(["ya", 0, 1], "label 'ya' is not true/false or 1/0"),
     ([2, 0, 1], "label 2 is not true/false or 1/0"),
     ([None, 0, 1], "label None is not true/false or 1/0"),
     ([0, 1], "2 labels for 3 records")],
)
def test_labels_must_be_binary_and_one_per_record(labels: list[Any],
                                                  match: str) -> None:
    records = [{"members": 5}, {"members": 6}, {"members": 7}]
    with pytest.raises(InputError, match=match):
        MaturityModel("ppmk-ksm").fit(records, labels)


def test_a_bad_label_names_its_record_counting_from_1() -> None:
    records = [{"members": 5}, {"members": 6}, {"members": 7}]
    with pytest.raises(InputError, match="row 2: label 'ya'") as info:
        MaturityModel("ppmk-ksm").fit(records, [0, "ya", 1])
    assert info.value.row == 2


def test_small_labelled_set_warns() -> None:
    small = make_synthetic("ppmk-ksm", n=40, seed=2)
    with pytest.warns(CalibrationDataWarning, match="only 40 labelled groups"):
        MaturityModel("ppmk-ksm").fit(small.records, small.labels)


def test_rare_label_warns(data: SyntheticData) -> None:
    labels = np.zeros(len(data), dtype=bool)
    labels[:8] = True
    with pytest.warns(CalibrationDataWarning, match="rarer label has only 8 groups"):
        MaturityModel("ppmk-ksm").fit(data.records, labels)


def test_enough_balanced_data_does_not_warn(data: SyntheticData) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CalibrationDataWarning)
        check_calibration_data(data.labels)


def test_fewer_examples_of_a_label_than_folds_is_an_input_error(
        data: SyntheticData) -> None:
    labels = np.zeros(len(data), dtype=bool)
    labels[:3] = True
    with pytest.warns(CalibrationDataWarning), pytest.raises(
            InputError, match="needs at least 5 of each"):
        MaturityModel("ppmk-ksm").fit(data.records, labels)


# -- the model never overrides the rules ---------------------------------------


def test_model_never_changes_stage_class_or_exit_readiness(
        data: SyntheticData, fitted: MaturityModel) -> None:
    scorer = Scorer("ppmk-ksm")
    before = scorer.score_batch(data.records)
    result = fitted.predict_groups(data.records)
    fitted.predict_proba(data.records)
    fitted.explain(data.records[:5])
    after = scorer.score_batch(data.records)
    for rules in (before, after):
        assert result.stage.tolist() == rules.stage.tolist()
        assert result.class_.tolist() == rules.class_.tolist()
        assert result.exit_ready.tolist() == rules.exit_ready.tolist()
    assert set(before.stage.tolist()) >= {None, "growth", "release"}


def test_to_records_show_rules_and_probability_side_by_side(
        data: SyntheticData, fitted: MaturityModel) -> None:
    rec = fitted.predict_groups(data.records[:1]).to_records()[0]
    assert set(rec) == {"group_id", "stage", "class", "exit_ready", "probability",
                        "disagreement"}
    assert rec["group_id"] == "SYN-00001"


def test_disagreement_flags_follow_the_thresholds(data: SyntheticData,
                                                  fitted: MaturityModel) -> None:
    res = fitted.predict_groups(data.records, low=0.3, high=0.8)
    ready = res.batch.raw.exit_ready
    p = res.probability
    expected = ["rules_exit_ready_model_low" if r == 1 and pi < 0.3
                else "rules_not_ready_model_high" if r == 0 and pi > 0.8 else None
                for r, pi in zip(ready, p, strict=True)]
    assert res.disagreement.tolist() == expected
    every = fitted.predict_groups(data.records, low=1.0, high=1.0)
    assert every.summary()["rules_exit_ready_model_low"] == int((ready == 1).sum())
    never = fitted.predict_groups(data.records, low=0.0, high=1.0)
    assert never.summary()["rules_exit_ready_model_low"] == 0
    assert never.summary()["rules_not_ready_model_high"] == 0


def test_unknown_exit_readiness_is_never_flagged(data: SyntheticData,
                                                 fitted: MaturityModel) -> None:
    ready = Scorer("ppmk-ksm").score_batch(data.records).raw.exit_ready
    assert (ready == -1).any()
    # p < 1 and p > 0 hold for every group, so these flag every decided group.
    flag_ready = fitted.predict_groups(data.records, low=1.0, high=1.0)
    flag_not_ready = fitted.predict_groups(data.records, low=0.0, high=0.0)
    assert [f is not None for f in flag_ready.disagreement] == (ready == 1).tolist()
    assert [f is not None for f in flag_not_ready.disagreement] == (
        ready == 0).tolist()


def test_disagreement_thresholds_must_be_ordered(fitted: MaturityModel) -> None:
    with pytest.raises(ValueError, match="low <= high"):
        fitted.predict_groups([{"members": 3}], low=0.9, high=0.2)


# -- explanations --------------------------------------------------------------


def test_contributions_add_up_to_the_base_log_odds(data: SyntheticData,
                                                   fitted: MaturityModel) -> None:
    explanations = fitted.explain(data.records[:20], top=5)
    z = fitted.log_odds(data.records[:20])
    for e, zi in zip(explanations, z, strict=True):
        total = e.intercept + sum(c.contribution for c in e.contributions) + e.rest
        assert total == pytest.approx(zi, abs=1e-9)
        assert e.log_odds == pytest.approx(zi, abs=1e-12)
        sizes = [abs(c.contribution) for c in e.contributions]
        assert sizes == sorted(sizes, reverse=True)
        for c in e.contributions:
            j = fitted.feature_names_.index(c.feature)
            assert c.contribution == pytest.approx(
                fitted.params_.coef[j] * c.standardized)


def test_calibration_is_monotone_in_the_base_log_odds(
        data: SyntheticData, fitted: MaturityModel) -> None:
    z = fitted.log_odds(data.records)
    p = fitted.predict_proba(data.records)[:, 1]
    order = np.argsort(z)
    assert np.all(np.diff(p[order]) >= 0)


def test_missing_value_explanation_uses_the_fill(fitted: MaturityModel) -> None:
    e = fitted.explain([{"members": None}])[0]
    members = next(c for c in e.contributions if c.feature == "members")
    assert members.value is None
    j = fitted.feature_names_.index("members")
    expected = ((fitted.params_.fill[j] - fitted.params_.mean[j])
                / fitted.params_.scale[j])
    assert members.standardized == pytest.approx(expected)


# -- numpy predictor and persistence ------------------------------------------


@pytest.mark.parametrize("which", ["fitted", "fitted_isotonic"])
def test_numpy_predictor_matches_sklearn(request: pytest.FixtureRequest,
                                         data: SyntheticData, which: str) -> None:
    model: MaturityModel = request.getfixturevalue(which)
    X = build_features(Scorer("ppmk-ksm").score_batch(data.records))
    np.testing.assert_allclose(model.params_.probability(X),
                               model.estimator_.predict_proba(X)[:, 1], rtol=1e-12)


@pytest.mark.parametrize("which", ["fitted", "fitted_isotonic"])
def test_json_round_trip_gives_identical_probabilities(
        request: pytest.FixtureRequest, data: SyntheticData, which: str,
        tmp_path: Path) -> None:
    model: MaturityModel = request.getfixturevalue(which)
    path = model.save(tmp_path / "model.json")
    loaded = MaturityModel.load(path, "ppmk-ksm")
    assert loaded.estimator_ is None
    np.testing.assert_allclose(loaded.predict_proba(data.records),
                               model.predict_proba(data.records), rtol=1e-12)
    X = build_features(Scorer("ppmk-ksm").score_batch(data.records))
    np.testing.assert_allclose(loaded.predict_proba(data.records),
                               model.estimator_.predict_proba(X), rtol=1e-12)
    assert loaded.get_params() == {**model.get_params(), "ruleset": "ppmk-ksm"}


def test_saved_model_is_plain_json_with_everything_needed(
        fitted: MaturityModel, fitted_isotonic: MaturityModel,
        tmp_path: Path) -> None:
    data = json.loads(fitted.save(tmp_path / "m.json").read_text(encoding="utf-8"))
    rs = load_ruleset("ppmk-ksm")
    assert data["format"] == "kematangan-model" and data["format_version"] == 1
    assert data["ruleset"] == {"id": "ppmk-ksm", "version": rs.version,
                               "hash": rs.content_hash}
    assert data["features"] == fitted.feature_names_
    n = len(data["features"])
    assert len(data["coef"]) == len(data["fill"]) == n
    assert len(data["scaler"]["mean"]) == len(data["scaler"]["scale"]) == n
    assert isinstance(data["intercept"], float)
    assert set(data["calibration"]) == {"method", "a", "b"}
    assert data["params"]["method"] == "sigmoid"
    assert {"n", "positives", "negatives", "positive_rate", "fitted_at",
            "sklearn_version", "synthetic"} <= set(data["training"])
    iso = fitted_isotonic.to_dict()["calibration"]
    assert iso["method"] == "isotonic" and len(iso["x"]) == len(iso["y"]) > 1


def test_load_refuses_a_ruleset_with_another_hash(fitted: MaturityModel,
                                                  tmp_path: Path) -> None:
    path = fitted.save(tmp_path / "model.json")
    rs = load_ruleset("ppmk-ksm")
    changed = rs.model_copy(update={"version": "9.9.9"})
    with pytest.raises(ModelRulesetMismatchError,
                       match=r"fitted with ruleset 'ppmk-ksm' .* refit the model"):
        MaturityModel.load(path, changed)
    assert issubclass(ModelRulesetMismatchError, RulesetError)


def test_load_refuses_a_file_that_is_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"coef": []}', encoding="utf-8")
    with pytest.raises(InputError, match="is not a kematangan model file"):
        MaturityModel.load(path, "ppmk-ksm")


def test_load_reports_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read model file"):
        MaturityModel.load(tmp_path / "missing.json", "ppmk-ksm")


def test_loaded_model_predicts_without_sklearn(fitted: MaturityModel,
                                               tmp_path: Path) -> None:
    path = fitted.save(tmp_path / "model.json")
    expected = fitted.predict_proba([{"members": 12, "formed_participatory": True}])
    code = textwrap.dedent(f"""
        import sys
        sys.modules["sklearn"] = None  # any import of sklearn now fails
        from kematangan.model import MaturityModel
        m = MaturityModel.load({str(path)!r}, "ppmk-ksm")
        p = m.predict_proba([{{"members": 12, "formed_participatory": True}}])
        print(repr(float(p[0, 1])))
        """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout
    assert float(out) == pytest.approx(expected[0, 1], rel=1e-12)


def test_importing_the_model_module_does_not_import_sklearn() -> None:
    code = ("import sys, kematangan.model, kematangan.cli.model_commands; "
            "print([m for m in ('sklearn', 'matplotlib') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "[]"


def test_only_the_sklearn_host_imports_sklearn() -> None:
    import kematangan.model

    package = Path(kematangan.model.__file__).parent
    importing = sorted(p.name for p in package.glob("*.py")
                       if re.search(r"^\s*(from|import) sklearn\b",
                                    p.read_text(encoding="utf-8"), re.MULTILINE))
    assert importing == ["sklearn_host.py"]


def test_explanations_are_model_explanations(data: SyntheticData,
                                             fitted: MaturityModel) -> None:
    import kematangan.model
    from kematangan.explain.types import Explanation

    e = fitted.explain(data.records[:1])[0]
    assert isinstance(e, ModelExplanation) and not isinstance(e, Explanation)
    assert not hasattr(kematangan.model, "Explanation")


def test_batch_of_another_ruleset_is_refused(fitted: MaturityModel) -> None:
    batch = Scorer(parse_ruleset(SMALL_RULESET)).score_batch([{"members": 3}])
    with pytest.raises(RulesetError, match="scored with ruleset 'model-test'"):
        fitted.predict_proba(batch)


# -- calibration and evaluation -----------------------------------------------


def test_calibration_on_synthetic_data_with_known_probabilities() -> None:
    # Fit on 2000 SYNTHETIC groups, judge on 2000 fresh ones whose true probability
    # is known. With N = 2000 and B = 10 equal-width bins, even the true
    # probabilities have an expected ECE up to sqrt(2/pi) * 0.5 * sqrt(B/N) ~ 0.028
    # from label noise alone; 0.05 leaves ~0.02 for the model's estimation error.
    # (Over seeds 0-29 the model's ECE ranged 0.015-0.034, the truth's 0.005-0.021.)
    train = make_synthetic("ppmk-ksm", n=2000, seed=5)
    test = make_synthetic("ppmk-ksm", n=2000, seed=1005)
    model = MaturityModel("ppmk-ksm").fit(train.records, train.labels)
    p = model.predict_proba(test.records)[:, 1]
    assert expected_calibration_error(test.labels, test.probabilities) < 0.05
    assert expected_calibration_error(test.labels, p) < 0.05
    # Close to the truth too: values are missing at 5%, so not exactly the truth.
    assert np.mean(np.abs(p - test.probabilities)) < 0.08
    brier_model = np.mean((p - test.labels) ** 2)
    brier_truth = np.mean((test.probabilities - test.labels) ** 2)
    assert brier_model < brier_truth + 0.02


def test_cross_validated_evaluation(data: SyntheticData) -> None:
    ev = evaluate_model(MaturityModel("ppmk-ksm"), data.records, data.labels, cv=5)
    assert ev.mode == "cross-validation" and ev.folds == 5 and ev.n == 600
    assert 0 < ev.brier < 0.25 and ev.log_loss > 0 and ev.roc_auc is not None
    assert ev.roc_auc > 0.75
    assert ev.ece == pytest.approx(expected_calibration_error(ev.labels,
                                                              ev.probabilities))
    assert sum(b.count for b in ev.bins) == 600
    assert ev.to_dict()["ece_binning"] == "10 equal-width bins of [0, 1]"


def test_holdout_evaluation_scores_the_fitted_model(data: SyntheticData,
                                                    fitted: MaturityModel) -> None:
    fresh = make_synthetic("ppmk-ksm", n=300, seed=12)
    ev = evaluate_model(fitted, fresh.records, fresh.labels, cv=None)
    assert ev.mode == "holdout"
    np.testing.assert_allclose(ev.probabilities,
                               fitted.predict_proba(fresh.records)[:, 1])


def test_evaluation_warns_on_small_data() -> None:
    small = make_synthetic("ppmk-ksm", n=45, seed=4)
    with pytest.warns(CalibrationDataWarning, match="only 45 labelled groups"):
        evaluate_model(MaturityModel("ppmk-ksm"), small.records, small.labels, cv=3)


def test_expected_calibration_error_bins_equal_width() -> None:
    y = [0, 0, 1, 1, 1]
    p = [0.05, 0.15, 0.15, 0.95, 1.0]
    bins = reliability_bins(y, p, n_bins=10)
    assert [b.count for b in bins] == [1, 2, 0, 0, 0, 0, 0, 0, 0, 2]
    # |0.05-0| * 1 + |0.15-0.5| * 2 + |0.975-1| * 2, over 5 groups
    assert expected_calibration_error(y, p) == pytest.approx(
        (0.05 + 0.7 + 0.05) / 5)


@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG"),
                                              (".svg", b"<?xml")])
def test_reliability_diagram_is_saved(data: SyntheticData, fitted: MaturityModel,
                                      tmp_path: Path, suffix: str,
                                      magic: bytes) -> None:
    pytest.importorskip("matplotlib")
    ev = evaluate_model(fitted, data.records, data.labels, cv=None,
                        plot=tmp_path / f"rel{suffix}")
    assert ev.plot == str(tmp_path / f"rel{suffix}")
    assert Path(ev.plot).read_bytes().startswith(magic)


def test_reliability_diagram_without_matplotlib_says_how_to_install(
        data: SyntheticData, fitted: MaturityModel, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ev = evaluate_model(fitted, data.records, data.labels, cv=None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        plot_reliability(ev, tmp_path / "rel.png")


def test_reliability_diagram_refuses_unknown_formats(data: SyntheticData,
                                                     fitted: MaturityModel,
                                                     tmp_path: Path) -> None:
    ev = evaluate_model(fitted, data.records, data.labels, cv=None)
    with pytest.raises(ValueError, match=r"use \.png, \.svg or \.pdf"):
        plot_reliability(ev, tmp_path / "rel.jpg")


def test_works_with_categories_and_dates() -> None:
    rs = parse_ruleset(SMALL_RULESET)
    synth = make_synthetic(rs, n=300, seed=8)
    model = MaturityModel(rs).fit(synth.records, synth.labels)
    p = model.predict_proba(synth.records)[:, 1]
    assert np.all((p > 0) & (p < 1))
