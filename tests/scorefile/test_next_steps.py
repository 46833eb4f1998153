"""The results' next-steps column asks for the data that would let a criterion be
judged, not every field that could stand in for it."""

from __future__ import annotations

from kematangan import Scorer
from kematangan.scorefile.columns import next_step_texts

SCORER = Scorer("ppmk-ksm")
GROWTH = {"formed_participatory": True, "members": 12, "members_voluntary": True,
          "meetings_last_3_months": 3, **{f"basic_rule_{i}": True for i in range(1, 6)},
          "facilitator_visits_last_3_months": 2, "admin_books_kept": True,
          "works_with_other_groups": True, "revolving_fund_access": True,
          "arrears_instalments": 0, "members_saving": 10,
          "trainings_last_12_months": 2}


def test_one_field_that_settles_a_criterion_is_asked_for_not_its_alternatives() -> None:
    # regression: the months since the plan's review, its date and the assessment
    # date were all listed, though the months alone settle the criterion (as
    # `explain` says)
    (text,) = next_step_texts(SCORER, SCORER.score_batch([GROWTH]), "en").tolist()
    labels = {f.id: f.label.get("en") for f in SCORER.ruleset.fields}
    assert text == ("Towards Strengthening: record: "
                    + labels["business_plan_months_since_review"])


def test_fields_needed_together_are_all_asked_for() -> None:
    # partnerships and market access are read together: neither alone settles it
    record = GROWTH | {"business_plan_months_since_review": 3, "activity_months": 24,
                       "decisions_by_musyawarah": True}
    batch = SCORER.score_batch([record])
    (text,) = next_step_texts(SCORER, batch, "en").tolist()
    labels = {f.id: f.label.get("en") for f in SCORER.ruleset.fields}
    asked = text.split("record: ", 1)[1].split(", ")
    assert labels["partnerships"] in asked and labels["market_access"] in asked
