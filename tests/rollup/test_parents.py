"""Parents scored with a parent-level ruleset: joining their own data, aggregate
fields, settling open aggregates, and naming the members that hold them back."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kematangan import InputError, RulesetError, Scorer, load_ruleset
from kematangan.criteria.members import Binding
from kematangan.rollup import (
    ParentScorer,
    held_back,
    held_back_texts,
    roll_up,
)
from kematangan.rollup.settle import settle

KSM = Scorer("ppmk-ksm")
BKM = ParentScorer("bkm-lkm", KSM)
CASES = {c.name: c.record for c in KSM.ruleset.tests}
GROWTH = CASES["growth reached, books missing"]  # certainly at growth
RELEASED = CASES["released and exit-ready"]
PENUNGGAK = CASES["penunggak blocked at growth"]


def _up(rows: list[dict[str, Any]], parents: list[Any]) -> Any:
    return roll_up(KSM.score_batch(rows), parents)


def test_aggregate_fields_take_their_members_aggregates() -> None:
    result = BKM.score(_up([GROWTH, RELEASED, PENUNGGAK], ["B1"] * 3))
    batch = result.batch
    assert batch.value("ksm_count") == [3]
    assert batch.value("ksm_penunggak_count") == [1]
    assert batch.value("ksm_borrowing_count") == [3]
    assert batch.value("ksm_independence_share") == [pytest.approx(1 / 3)]


def test_own_data_is_joined_by_parent_id_whatever_its_order() -> None:
    up = _up([GROWTH, GROWTH], ["B1", "B2"])
    result = BKM.score(up, {"legal_aspects": [True, False]}, ids=["B2", "B1"])
    assert result.parent_ids.tolist() == ["B2", "B1"]
    assert result.batch.value("legal_aspects") == [True, False]
    assert result.batch.value("ksm_count") == [1, 1]


def test_a_parent_without_own_data_is_scored_and_noted_with_the_closest_id() -> None:
    up = _up([GROWTH, GROWTH], ["BKM-01", "BKM-2"])
    result = BKM.score(up, {"legal_aspects": [True]}, ids=["BKM-02"])
    assert result.parent_ids.tolist() == ["BKM-02", "BKM-01", "BKM-2"]
    notes = {(p.code, p.value) for p in result.issues}
    assert ("parent_without_data_close", "BKM-2") in notes
    assert ("parent_without_members", "BKM-02") in notes
    assert result.batch.value("legal_aspects")[1:] == [None, None]


def test_a_parent_with_no_member_groups_has_unknown_aggregates_not_zero() -> None:
    result = BKM.score(_up([GROWTH], ["B1"]), {"legal_aspects": [True]}, ids=["B9"])
    i = result.parent_ids.tolist().index("B9")
    assert result.batch.value("ksm_count")[i] is None
    assert result.rollup_index[i] == -1


def test_no_parent_data_means_no_notes_about_it() -> None:
    result = BKM.score(_up([GROWTH], ["B1"]))
    assert result.issues == ()


def test_a_parent_data_row_without_id_is_reported_not_joined() -> None:
    result = BKM.score(_up([GROWTH], ["B1"]), {"legal_aspects": [True, True]},
                       ids=["B1", None], rows=[3, 4])
    assert [(p.code, p.row) for p in result.issues] == [("parent_data_id_blank", 4)]


def test_a_parent_twice_in_the_parent_data_is_refused_naming_both_rows() -> None:
    with pytest.raises(InputError, match=r"'B1' appears twice .*rows 3, 5"):
        BKM.score(_up([GROWTH], ["B1"]), {"legal_aspects": [True, False, True]},
                  ids=["B1", "B2", "B1"], rows=[3, 4, 5])


def test_an_aggregate_column_in_the_parent_data_is_not_read_and_says_so() -> None:
    result = BKM.score(_up([GROWTH], ["B1"]), {"ksm_count": [40.0]}, ids=["B1"])
    assert result.batch.value("ksm_count") == [1]
    assert [(p.code, p.field) for p in result.issues] == [
        ("aggregate_column_not_read", "ksm_count")]


def test_the_blank_parent_is_not_scored() -> None:
    result = BKM.score(_up([GROWTH, GROWTH], ["B1", None]))
    assert result.parent_ids.tolist() == ["B1"]


def test_a_ruleset_without_members_is_not_a_parent_ruleset() -> None:
    with pytest.raises(RulesetError, match="has no 'members' section"):
        ParentScorer("ppmk-ksm", KSM)


def test_members_scored_with_another_ruleset_are_refused() -> None:
    with pytest.raises(RulesetError, match="with 'ppmk-ksm', not 'pemk-kub'"):
        ParentScorer("bkm-lkm", Scorer("pemk-kub"))


def test_a_roll_up_of_another_member_ruleset_version_is_refused() -> None:
    changed = KSM.ruleset.model_copy(update={"version": "9.9.9"})
    up = roll_up(Scorer(changed).score_batch([GROWTH]), ["B1"])
    with pytest.raises(InputError, match=r"ppmk-ksm 9\.9\.9"):
        BKM.score(up)


def test_an_aggregate_naming_what_the_member_ruleset_lacks_is_refused() -> None:
    rs = load_ruleset("bkm-lkm")
    assert rs.members is not None
    fields = {**rs.members.fields,
              "ksm_count": Binding(aggregate="count.met.no_such_criterion")}
    bad = rs.model_copy(update={"members": rs.members.model_copy(
        update={"fields": fields})})
    with pytest.raises(RulesetError, match=r"members\.fields\.ksm_count"):
        ParentScorer(bad, KSM)


def test_an_open_aggregate_that_cannot_change_the_result_is_settled() -> None:
    # 4 KSM certainly below strengthening, 1 at growth or strengthening: the
    # strengthening share is 0 or 0.2, below half either way
    open_ = CASES["unknown savings leave the stage undetermined"]
    result = BKM.score(_up([GROWTH] * 4 + [open_], ["B1"] * 5))
    assert ("B1", "ksm_strengthening_share") in result.settled
    assert result.batch.outcome("ksm_strengthened").tolist() == ["not_met"]


def test_an_open_aggregate_that_decides_a_criterion_stays_unknown() -> None:
    # 1 KSM at growth and 1 open: the strengthening share is 0 or 0.5
    open_ = CASES["unknown savings leave the stage undetermined"]
    result = BKM.score(_up([GROWTH, open_], ["B1"] * 2))
    assert ("B1", "ksm_strengthening_share") not in result.settled
    assert result.batch.outcome("ksm_strengthened").tolist() == ["unknown"]


def test_too_many_combinations_are_not_settled() -> None:
    scorer = BKM.scorer
    cols = {f.id: np.full(1, np.nan) for f in scorer.plan.fields}
    many = {0: {"ksm_count": np.arange(0.0, 300.0)}}
    assert settle(scorer, cols, many) == []
    assert np.isnan(cols["ksm_count"][0])


@given(low=st.integers(0, 6), extra=st.integers(1, 3), n=st.integers(1, 8),
       borrow=st.integers(0, 8), scheme=st.sampled_from([0.0, 1.0, np.nan]))
def test_a_settled_field_gives_the_result_of_every_value_it_could_take(
        low: int, extra: int, n: int, borrow: int, scheme: float) -> None:
    scorer = BKM.scorer
    base = {"ksm_borrowing_count": np.array([float(borrow)]),
            "ksm_penunggak_count": np.array([np.nan]),
            "asset_recovery_scheme": np.array([scheme]),
            "ksm_growth_share": np.array([np.nan])}
    cands = {0: {"ksm_penunggak_count": np.arange(low, low + extra + 1.0),
                 "ksm_growth_share": np.arange(0.0, n + 1) / n}}
    cols = {k: v.copy() for k, v in base.items()}
    settled = {f for _, f in settle(scorer, cols, cands)}
    final = scorer.score_batch(cols).raw
    for combo in itertools.product(*cands[0].values()):
        trial = dict(base)
        for f, v in zip(cands[0], combo, strict=True):
            trial[f] = np.array([v])
        raw = scorer.score_batch(trial).raw
        if settled == set(cands[0]):  # all settled: the very same result
            assert (raw.outcomes == final.outcomes).all()
            assert (raw.points == final.points).all()
        for c in range(len(scorer.plan.criteria)):
            # what the final result claims for certain holds at every true value
            if final.outcomes[c, 0] != -1:
                assert raw.outcomes[c, 0] == final.outcomes[c, 0]


def test_held_back_names_the_penunggak_behind_an_unmet_criterion() -> None:
    rows = [RELEASED, PENUNGGAK | {"group_id": "KSM-04"}, GROWTH]
    result = BKM.score(_up(rows, ["B1"] * 3), {"asset_recovery_scheme": [False]},
                       ids=["B1"])
    found = [(h.criterion, h.kind, h.members) for h in held_back(result)[0]
             if h.field == "ksm_penunggak_count"]
    assert ("penunggak_recovery", "against", ("KSM-04",)) in found


def test_held_back_text_reads_like_the_source_in_indonesian() -> None:
    rows = [PENUNGGAK | {"group_id": g} for g in ("KSM-04", "KSM-11", "KSM-17")]
    result = BKM.score(_up(rows, ["B1"] * 3), {"asset_recovery_scheme": [False]},
                       ids=["B1"])
    text = held_back_texts(result, "id")[0]
    assert "KSM penunggak ditangani: 3 KSM penunggak: KSM-04, KSM-11, KSM-17" in text
    assert "3 KSM in arrears: KSM-04" in held_back_texts(result, "en")[0]


def test_held_back_names_members_with_missing_data_when_it_decides() -> None:
    rows = [GROWTH | {"group_id": "KSM-1"}, {"group_id": "KSM-2"}]
    text = held_back_texts(BKM.score(_up(rows, ["B1"] * 2)), "id")[0]
    assert "1 KSM datanya belum lengkap: KSM-2" in text


def test_long_member_lists_are_cut_and_counted() -> None:
    rows = [PENUNGGAK | {"group_id": f"KSM-{k:02d}"} for k in range(25)]
    text = held_back_texts(BKM.score(_up(rows, ["B1"] * 25)), "en")[0]
    assert "KSM-19 and 5 more" in text and "KSM-20" not in text


def test_a_parent_nobody_holds_back_has_no_text() -> None:
    result = BKM.score(_up([RELEASED], ["B1"]))
    met = [h for h in held_back(result)[0] if h.criterion == "ksm_independent"]
    assert met == []


def test_held_back_words_default_to_the_aggregate_and_member_labels() -> None:
    rs = load_ruleset("bkm-lkm")
    assert rs.members is not None
    plain = {f: b.model_copy(update={"held_back_by": None})
             for f, b in rs.members.fields.items()}
    bare = rs.model_copy(update={"members": rs.members.model_copy(
        update={"fields": plain})})
    rows = [PENUNGGAK | {"group_id": "KSM-04"}]
    result = ParentScorer(bare, KSM).score(_up(rows, ["B1"]))
    en, id_ = held_back_texts(result, "en")[0], held_back_texts(result, "id")[0]
    assert "1 KSM not yet at stage Strengthening: KSM-04" in en
    assert "1 KSM not meeting 'Fewer than 3 overdue instalments': KSM-04" in en
    assert "1 KSM belum mencapai tahap Penguatan: KSM-04" in id_
