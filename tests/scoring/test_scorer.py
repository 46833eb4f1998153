from __future__ import annotations

import json
import math

import numpy as np
import pytest

from kematangan import (
    Assessment,
    InputError,
    RecordError,
    Scorer,
    list_rulesets,
    run_cases,
)

GROWTH = {"formed_participatory": True, "members": 12, "members_voluntary": True,
          "meetings_last_3_months": 3,
          **{f"basic_rule_{i}": True for i in range(1, 6)}}


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer("ppmk-ksm")


@pytest.mark.parametrize("name", [r.id for r in list_rulesets()])
def test_embedded_cases_pass(name: str) -> None:
    scorer = Scorer(name)
    assert scorer.ruleset.tests, f"{name} has no embedded test cases"
    assert [str(f) for f in run_cases(scorer)] == []


def test_result_names_ruleset_version_and_hash(scorer: Scorer) -> None:
    a = scorer.score(GROWTH)
    assert (a.ruleset.id, a.ruleset.version) == ("ppmk-ksm",
                                                  scorer.ruleset.version)
    assert a.ruleset.hash == scorer.ruleset.content_hash


def test_missing_value_is_unknown_not_zero(scorer: Scorer) -> None:
    a = scorer.score({**GROWTH, "members": None})
    assert a.outcomes["enough_members"].outcome == "unknown"
    assert a.inputs["members"] is None
    assert a.stage is None and a.stage_upper == "release"
    assert not a.stage_determined


def test_out_of_bounds_value_is_reported_and_not_clipped(scorer: Scorer) -> None:
    a = scorer.score({**GROWTH, "members": 900})
    (issue,) = a.issues
    assert issue.field == "members" and issue.value == 900
    assert "above the maximum 500" in issue.problem()
    assert a.inputs["members"] is None
    assert a.outcomes["enough_members"].outcome == "unknown"


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("members", "12", "expected a number, got text '12'"),
        ("members", 12.5, "not a whole number"),
        ("members", True, "expected a number, got true"),
        ("formed_participatory", "ya", "expected true or false"),
        ("formed_participatory", 2, "expected true or false"),
        ("own_capital_growth_pct", float("inf"), "finite"),
    ],
)
def test_wrong_type_is_reported_never_coerced(scorer: Scorer, field: str,
                                              value: object, problem: str) -> None:
    a = scorer.score({**GROWTH, field: value})
    assert [i.field for i in a.issues] == [field]
    assert problem in a.issues[0].problem()
    assert a.inputs[field] is None


def test_non_mapping_record_raises(scorer: Scorer) -> None:
    with pytest.raises(RecordError, match="must be a mapping"):
        scorer.score([1, 2])  # type: ignore[arg-type]


def test_batch_accepts_list_of_dicts_columns_and_numpy(scorer: Scorer) -> None:
    rows = [GROWTH, {**GROWTH, "members": 3}, {}]
    from_rows = scorer.score_batch(rows)
    cols = {k: [r.get(k) for r in rows] for k in GROWTH}
    from_cols = scorer.score_batch(cols)
    arrays = {k: np.array(v, dtype=object) for k, v in cols.items()}
    arrays["members"] = np.array([12.0, 3.0, np.nan])
    from_np = scorer.score_batch(arrays)
    for batch in (from_rows, from_cols, from_np):
        assert batch.stage.tolist() == ["growth", None, None]
        assert batch.outcome("enough_members").tolist() == ["met", "not_met",
                                                            "unknown"]


def test_batch_keeps_bad_rows_with_their_issues(scorer: Scorer) -> None:
    batch = scorer.score_batch({"members": np.array([5.0, -1.0, 7.5, 1e9])})
    assert len(batch) == 4
    assert [(i.row, i.field) for i in batch.issues] == [
        (2, "members"), (3, "members"), (4, "members")]
    assert batch.outcome("enough_members").tolist() == ["met", "unknown", "unknown",
                                                        "unknown"]


def test_batch_columns_of_different_lengths_raise(scorer: Scorer) -> None:
    with pytest.raises(InputError, match="different lengths"):
        scorer.score_batch({"members": [1, 2], "formed_participatory": [True]})


def test_batch_group_ids_come_from_group_id_column(scorer: Scorer) -> None:
    batch = scorer.score_batch([{**GROWTH, "group_id": "KSM-1"}, {"group_id": 7}])
    assert batch.group_ids is not None
    assert batch.group_ids.tolist() == ["KSM-1", "7"]
    assert batch.assessment(0).group_id == "KSM-1"


def test_batch_to_records_and_jsonl_are_json(scorer: Scorer, tmp_path: object) -> None:
    import io

    batch = scorer.score_batch([GROWTH, {}])
    recs = batch.to_records()
    assert recs[0]["class"] == "perlu_pembinaan"
    buf = io.StringIO()
    assert batch.to_jsonl(buf) == 2
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert lines == recs


def test_batch_summary_counts(scorer: Scorer) -> None:
    s = scorer.score_batch([GROWTH, {}, {"members": 1}]).summary()
    assert s["records"] == 3
    assert s["stage"]["growth"] == 1 and s["stage"]["none"] == 2
    assert s["ruleset"]["id"] == "ppmk-ksm"


def test_batch_from_pandas_and_pyarrow(scorer: Scorer) -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    df = pd.DataFrame([GROWTH, {**GROWTH, "members": 2}])
    assert scorer.score_batch(df).stage.tolist() == ["growth", None]
    table = pa.Table.from_pandas(df)
    assert scorer.score_batch(table).stage.tolist() == ["growth", None]
    assert list(scorer.score_batch(df).to_pandas()["stage"]) == ["growth", None]


def test_assessment_json_round_trip(scorer: Scorer) -> None:
    a = scorer.score({**GROWTH, "members": -1})
    again = Assessment.model_validate_json(a.model_dump_json())
    assert again == a
    assert json.loads(a.model_dump_json())["class"] == a.class_


def test_division_by_zero_is_unknown(scorer: Scorer) -> None:
    a = scorer.score({**GROWTH, "members": 0, "members_saving": 0})
    assert a.derived["saving_member_share"] is None
    assert a.outcomes["members_save"].outcome == "unknown"


def test_score_upper_adds_points_of_unknown_criteria(scorer: Scorer) -> None:
    a = scorer.score(GROWTH)
    assert a.score == 25.0
    assert a.score_upper == 100.0
    assert math.isclose(a.max_score, 100.0)
    assert a.class_ == "perlu_pembinaan" and a.class_upper == "maju"


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        Scorer("ppmk-ksm", engine="spark")  # type: ignore[arg-type]


def test_regression_empty_text_category_column_scores_no_record() -> None:
    batch = Scorer("ksm-unggulan").score_batch({"ksm_type": np.array([], dtype=object)})
    assert len(batch) == 0 and batch.issues == ()


def test_regression_pandas_na_in_a_category_column_is_missing() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"ksm_type": pd.array(["ekonomi", pd.NA], dtype="string")})
    batch = Scorer("ksm-unggulan").score_batch(frame)
    assert batch.value("ksm_type") == ["ekonomi", None]
    assert batch.issues == ()


def test_regression_group_ids_with_gaps_stay_ids() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"group_id": [12, None, 7], "members": [5, 6, 7]})
    ids = Scorer("ppmk-ksm").score_batch(frame).group_ids
    assert ids is not None and ids.tolist() == ["12", None, "7"]
