"""How explanations read to a facilitator: zero counts, percentages, unconfirmed
assumptions, scores without pass or fail, criteria that do not apply, what is
assessed (the ruleset's subject), dates and consistency checks."""

from __future__ import annotations

import pytest

from kematangan.explain import explain, next_steps, render_markdown, render_text
from kematangan.explain.conditions import describe_condition, unconfirmed_notes
from kematangan.explain.facts import context
from kematangan.explain.wording import fmt_value, word
from tests.explain.common import case, scorer


def condition(ruleset: str, criterion: str, lang: str = "id") -> str:
    ctx = context(scorer(ruleset))
    return describe_condition(ctx, ctx.criteria[criterion]).get(lang)


@pytest.mark.parametrize(("ruleset", "criterion", "lang", "text"), [
    ("ppmk-ksm", "no_arrears", "id", "tidak ada angsuran menunggak"),
    ("ppmk-ksm", "no_arrears", "en", "no overdue loan instalments"),
    ("upk-pinjaman-bergulir", "no_ksm_penunggak", "id",
     "tidak ada KSM dengan tunggakan 3 kali atau lebih"),
    ("ppmk-ksm", "trained", "id", "ada pelatihan yang diikuti 12 bulan terakhir"),
    ("ppmk-ksm", "trained", "en", "Trainings attended in the last 12 months: at least one"),
])
def test_a_count_compared_with_zero_reads_naturally(ruleset: str, criterion: str,
                                                    lang: str, text: str) -> None:
    assert condition(ruleset, criterion, lang) == text


def test_a_count_compared_with_another_number_keeps_its_unit() -> None:
    assert condition("ppmk-ksm", "regular_meetings") == (
        "Jumlah pertemuan kelompok 3 bulan terakhir minimal 3 kali")


def test_a_share_shown_as_percent_reads_as_a_percentage() -> None:
    assert condition("ppmk-ksm", "members_save", "en") == (
        "Share of members saving at least 75%")
    assert condition("upk-pinjaman-bergulir", "par_rating").endswith(
        "di rentang tertinggi [0%; 10%] (2 poin)")


def test_a_share_shown_as_percent_reads_as_a_percentage_in_the_data() -> None:
    s = scorer("ppmk-ksm")
    text = render_text(explain(s.score(case("ppmk-ksm", "KSM-02")), s))
    assert "Bagian anggota yang menabung              100%" in text


def test_an_unconfirmed_maximum_is_marked_where_the_condition_shows_it() -> None:
    assert condition("poktan-2018", "organize_learning") == (
        "Mengorganisasikan kegiatan belajar dinilai 0 sampai 25 poin "
        "(belum dikonfirmasi)")
    assert condition("poktan-2018", "plan_learning") == (
        "Merencanakan kegiatan belajar dinilai 0 sampai 50 poin")


def test_an_unconfirmed_formula_is_marked_next_to_its_label() -> None:
    assert "Repayment rate (RR) (formula unconfirmed) in the top band" in condition(
        "upk-pinjaman-bergulir", "rr_rating", "en")


def test_every_unconfirmed_item_is_listed_once() -> None:
    notes = [n.get("en") for n in unconfirmed_notes(context(scorer(
        "upk-pinjaman-bergulir")))]
    assert notes[0] == ("meaning of Amount in arrears on loans 3 or more "
                        "instalments behind")
    assert notes[1].startswith("formula of Repayment rate (RR): (Total outstanding")
    assert len(notes) == 2


def test_a_scored_indicator_reads_its_score_not_pass_or_fail() -> None:
    s = scorer("poktan-2018")
    record = {f.id: 20 for f in s.ruleset.fields}
    text = render_text(explain(s.score(record), s))
    assert ("Merencanakan usaha kelompok: skor 20 dari 150 (kurang 130 poin)"
            in text)
    assert ("Pelaporan: skor 20 dari 50 (kurang 30 poin; maksimum belum "
            "dikonfirmasi)") in text
    assert "terpenuhi" not in text and "poin hilang" not in text


def test_a_rating_names_the_band_its_value_is_in() -> None:
    s = scorer("upk-pinjaman-bergulir")
    e = explain(s.score(case("upk-pinjaman-bergulir", "UPK-06")), s)
    par = next(r for r in e.reasons if r.criterion == "par_rating")
    assert par.band is not None and par.band.id == "Memadai"
    assert ("Penilaian PAR: Memadai, skor 1 dari 2 (kurang 1 poin), menghambat naik "
            "kelas") in render_text(e)


def test_a_criterion_not_met_says_how_many_points_it_misses_and_what_it_holds() -> None:
    s = scorer("ppmk-ksm")
    text = render_text(explain(s.score(case("ppmk-ksm", "KSM-02")), s), "en")
    assert ("1. Group administration kept: not met, 5 points short, blocks the next "
            "stage") in text


def test_a_criterion_that_does_not_apply_is_listed_apart_never_as_a_reason() -> None:
    s = scorer("pemk-kub")
    e = explain(s.score(case("pemk-kub", "KUB-20")), s)
    assert [n.criterion for n in e.not_applicable] == [
        "led_capital", "credit_used_as_planned", "repayment_current", "no_arrears"]
    assert not {n.criterion for n in e.not_applicable} & {r.criterion
                                                          for r in e.reasons}
    text = render_markdown(e)
    assert "## Tidak berlaku untuk kelompok ini" in text
    assert ("- Modal usaha melalui LED (bila desa punya LED): tidak berlaku (berlaku "
            "bila Desa sudah punya LED: ya)") in text


def test_points_that_do_not_apply_leave_the_stage_maximum() -> None:
    s = scorer("pemk-kub")
    e = explain(s.score(case("pemk-kub", "KUB-20")), s)
    strengthening = next(p for p in e.points if p.name == "strengthening")
    assert (strengthening.points, strengthening.max_points) == (14.0, 14.0)
    assert sum(p.max_points for p in e.points) == e.max_score == 89.0


def test_an_explanation_names_what_is_assessed_as_the_ruleset_does() -> None:
    s = scorer("upk-pinjaman-bergulir")
    e = explain(s.score(case("upk-pinjaman-bergulir", "UPK-22")), s)
    assert "kelompok" not in render_text(e).lower()
    assert "What holds the UPK back" in render_text(e, "en")
    assert "Belum ada jalan yang dapat dilakukan UPK sendiri:" in render_text(e)


def test_the_default_subject_is_a_group() -> None:
    assert word("reasons", "en") == "What holds the group back"
    assert word("reasons", "id") == "Penghambat"


def test_a_date_reads_in_words() -> None:
    assert fmt_value("2024-03-01", display="date") == "1 Maret 2024"
    s = scorer("ksm-unggulan")
    text = render_text(explain(s.score(case("ksm-unggulan", "KSM-40")), s), "en")
    assert "Date the KSM was formed" in text and "1 March 2022" in text


def test_a_failed_check_lists_the_fields_it_set_aside_with_its_message() -> None:
    s = scorer("ppmk-ksm")
    text = render_text(explain(s.score(case("ppmk-ksm", "KSM-20")), s))
    assert ("- Mengakses pinjaman dana bergulir UPK, Jumlah angsuran menunggak: Ada "
            "angsuran\n  menunggak padahal KSM tercatat tidak meminjam") in text


def test_a_value_set_aside_by_a_check_is_to_be_fixed_not_recorded() -> None:
    s = scorer("upk-pinjaman-bergulir")
    ns = next_steps(s.score(case("upk-pinjaman-bergulir", "UPK-22")), s, "next_class")
    assert ns is not None
    assert ns.blockers[0].message.id.startswith(
        "Perbaiki dulu 'Total saldo pinjaman (outstanding)' dan 'Saldo pinjaman")


def test_either_way_of_recording_a_fact_is_offered() -> None:
    s = scorer("ksm-unggulan")
    ns = next_steps(s.score(case("ksm-unggulan", "KSM-43")), s, "unggulan")
    assert ns is not None
    (blocker,) = [b for b in ns.blockers if b.criterion == "established_group"]
    assert blocker.message.id.startswith(
        "Catat dulu 'Tanggal penilaian' atau 'Umur kelompok':")


def test_a_plan_reviewed_by_date_is_reviewed_again_on_the_assessment_date() -> None:
    s = scorer("ksm-unggulan")
    ns = next_steps(s.score(case("ksm-unggulan", "KSM-44")), s, "unggulan")
    assert ns is not None and ns.reachable
    assert [(c.field, c.before, c.after) for st in ns.steps for c in st.changes] == [
        ("business_plan_reviewed_on", "2023-01-31", "2024-03-01")]
