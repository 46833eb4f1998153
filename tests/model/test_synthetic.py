"""The SYNTHETIC data generator: labelled synthetic, valid, seeded, known truth."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from kematangan import Scorer, load_ruleset, parse_ruleset
from kematangan.model import make_synthetic
from tests.model.model_rulesets import SMALL_RULESET


def test_every_output_is_labelled_synthetic() -> None:
    data = make_synthetic("ppmk-ksm", n=5, seed=0)
    assert data.synthetic is True
    assert all(r["synthetic"] is True for r in data.records)
    assert all(r["group_id"].startswith("SYN-") for r in data.records)
    assert all(r["synthetic"] is True for r in data.rows())
    dumped = json.loads(json.dumps(data.to_dict()))
    assert dumped["synthetic"] is True
    assert "SYNTHETIC" in dumped["description"]


def test_same_seed_gives_the_same_data() -> None:
    a = make_synthetic("ppmk-ksm", n=50, seed=7)
    b = make_synthetic("ppmk-ksm", n=50, seed=7)
    c = make_synthetic("ppmk-ksm", n=50, seed=8)
    assert a.records == b.records
    np.testing.assert_array_equal(a.labels, b.labels)
    assert a.records != c.records


@pytest.mark.parametrize("ruleset", ["ppmk-ksm", "small"])
def test_values_are_valid_for_the_ruleset(ruleset: str) -> None:
    rs = parse_ruleset(SMALL_RULESET) if ruleset == "small" else load_ruleset(ruleset)
    data = make_synthetic(rs, n=400, seed=1)
    batch = Scorer(rs).score_batch(data.records)
    # Every value is within its bounds; relations between fields (the ruleset's
    # consistency checks) are not modelled by the synthetic data, and the
    # synthetic-data marker, which is not a field, is reported as such.
    assert [(i.code, i.column) for i in batch.issues if i.code != "check_failed"] == [
        ("unknown_key", "synthetic")]
    for f in rs.fields:
        values = [r[f.id] for r in data.records if r[f.id] is not None]
        assert values, f.id
        if f.categories:
            assert set(values) <= set(f.categories)
            assert len(set(values)) > 1
        if f.min is not None:
            assert min(values) >= f.min
        if f.max is not None:
            assert max(values) <= f.max


def test_about_missing_rate_of_values_are_missing() -> None:
    data = make_synthetic("ppmk-ksm", n=1000, seed=2, missing_rate=0.2)
    fields = [f.id for f in load_ruleset("ppmk-ksm").fields]
    share = np.mean([r[f] is None for r in data.records for f in fields])
    assert share == pytest.approx(0.2, abs=0.01)
    none = make_synthetic("ppmk-ksm", n=100, seed=2, missing_rate=0.0)
    assert not any(r[f] is None for r in none.records for f in fields)


def test_probabilities_are_the_stated_logistic_function_of_the_fields() -> None:
    data = make_synthetic("ppmk-ksm", n=300, seed=3, missing_rate=0.0,
                          weights={"members": 2.0, "market_access": -1.5,
                                   "arrears_instalments": -1.0},
                          intercept=0.25)
    lo, hi = data.ranges["members"]
    alo, ahi = data.ranges["arrears_instalments"]
    for rec, p in zip(data.records, data.probabilities, strict=True):
        z = (0.25 + 2.0 * ((rec["members"] - lo) / (hi - lo) - 0.5)
             - 1.5 * (float(rec["market_access"]) - 0.5)
             - 1.0 * ((rec["arrears_instalments"] - alo) / (ahi - alo) - 0.5))
        assert p == pytest.approx(1.0 / (1.0 + math.exp(-z)), rel=1e-12)


def test_labels_are_drawn_from_the_probabilities() -> None:
    data = make_synthetic("ppmk-ksm", n=4000, seed=4)
    # The label rate matches the mean probability within 4 standard errors.
    se = math.sqrt(float(np.mean(data.probabilities * (1 - data.probabilities)))
                   / len(data))
    assert abs(data.labels.mean() - data.probabilities.mean()) < 4 * se
    high, low = data.probabilities > 0.8, data.probabilities < 0.2
    assert data.labels[high].mean() > 0.8 > 0.2 > data.labels[low].mean()


def test_groups_spread_over_stages() -> None:
    data = make_synthetic("ppmk-ksm", n=1000, seed=5)
    stages = set(Scorer("ppmk-ksm").score_batch(data.records).stage.tolist())
    assert stages == {None, "growth", "strengthening", "independence", "release"}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"n": -1}, "n must be 0 or more"),
     ({"missing_rate": 1.0}, r"missing_rate must be in \[0, 1\)"),
     ({"weights": {"member": 1.0}}, "did you mean 'members'"),
     ({"weights": {"group_id": 1.0}}, "'group_id' is not a number")],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make_synthetic("ppmk-ksm", **kwargs)  # type: ignore[arg-type]


def test_synthetic_groups_are_assessed_after_every_date_they_hold() -> None:
    # A review or visit dated after the assessment is a contradiction the
    # ruleset's checks set aside: synthetic groups are assessed on the reference
    # date, and every other date is drawn before it.
    data = make_synthetic("ppmk-ksm", n=300, seed=9, missing_rate=0.0)
    batch = Scorer("ppmk-ksm").score_batch(data.records)
    after = {"plan_review_not_after_assessment", "visit_not_after_assessment"}
    assert [p for p in batch.issues if p.params.get("check") in after] == []
