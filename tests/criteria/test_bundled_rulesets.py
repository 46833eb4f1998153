"""What the bundled rulesets must say beyond being valid: what each rule rests on,
and behaviour their embedded cases cannot express (upper classes)."""

from __future__ import annotations

import pytest

from kematangan import Scorer, list_rulesets, load_ruleset
from kematangan.criteria.ruleset import Criterion, ExitRule, Ruleset, ScoreClass, Stage

BUNDLED = [r.id for r in list_rulesets()]


def items_without_basis(rs: Ruleset) -> list[str]:
    """Criteria, stages, classes and the exit rule with neither a source nor an
    operational choice."""
    items: list[tuple[str, str, Criterion | Stage | ScoreClass | ExitRule]] = [
        *(("criterion", c.id, c) for c in rs.criteria),
        *(("stage", s.id, s) for s in rs.stages),
        *(("class", k.id, k) for k in rs.classes)]
    if rs.exit is not None:
        items.append(("exit", rs.exit.stage, rs.exit))
    return [f"{kind} {name}" for kind, name, item in items
            if item.source is None and item.operational_choice is None]


@pytest.mark.parametrize("name", BUNDLED)
def test_every_rule_of_a_bundled_ruleset_has_a_source_or_operational_choice(
        name: str) -> None:
    assert items_without_basis(load_ruleset(name)) == []


def test_a_criterion_without_source_or_choice_is_reported() -> None:
    rs = load_ruleset("ppmk-ksm")
    bare = rs.criteria[0].model_copy(update={"source": None,
                                             "operational_choice": None})
    stripped = rs.model_copy(update={"criteria": [bare, *rs.criteria[1:]]})
    assert items_without_basis(stripped) == [f"criterion {bare.id}"]


@pytest.mark.parametrize("name", ["poktan-2018", "poktan-legacy"])
def test_incomplete_poktan_sheet_has_no_class_but_shows_the_highest_possible(
        name: str) -> None:
    scorer = Scorer(name)
    record = {f.id: f.max for f in scorer.ruleset.fields}
    record["organize_learning"] = None  # 25 points at most
    a = scorer.score(record)
    assert (a.class_, a.class_upper, a.score) == (None, "utama", 975)


def test_ksm_of_unknown_type_shows_the_class_it_could_reach() -> None:
    scorer = Scorer("ksm-unggulan")
    case = next(c for c in scorer.ruleset.tests if c.record["group_id"] == "KSM-17")
    a = scorer.score(case.record)
    assert (a.class_, a.class_upper) == (None, "unggulan")


@pytest.mark.parametrize("name", BUNDLED)
def test_every_consistency_check_is_shown_failing_by_an_embedded_case(
        name: str) -> None:
    scorer = Scorer(name)
    failed = {p.params["check"] for case in scorer.ruleset.tests
              for p in scorer.score(case.record).issues if p.code == "check_failed"}
    assert failed == {check.id for check in scorer.ruleset.checks}


@pytest.mark.parametrize(("name", "group", "classes"), [
    # PAR and RR rest on the figures the check set aside: the top class stays open.
    ("upk-pinjaman-bergulir", "UPK-22", ("sedang", "tinggi")),
    # LAR alone rests on them, and the other four ratings already make it tinggi.
    ("upk-pinjaman-bergulir", "UPK-14", ("tinggi", "tinggi")),
    # The age is set aside, so unggulan is possible but not certain.
    ("ksm-unggulan", "KSM-42", ("potensial", "unggulan")),
])
def test_a_failed_check_leaves_open_the_classes_that_depend_on_it(
        name: str, group: str, classes: tuple[str, str]) -> None:
    scorer = Scorer(name)
    key = scorer.ruleset.group_id.field
    case = next(c for c in scorer.ruleset.tests if c.record[key] == group)
    a = scorer.score(case.record)
    assert [p.code for p in a.issues] == ["check_failed"]
    assert (a.class_, a.class_upper) == classes


def test_a_kub_in_a_village_without_an_led_is_scored_on_what_applies() -> None:
    scorer = Scorer("pemk-kub")
    case = next(c for c in scorer.ruleset.tests if c.record["group_id"] == "KUB-20")
    a = scorer.score(case.record)
    assert (a.score, a.max_score, a.exit_ready) == (89.0, 89.0, True)
