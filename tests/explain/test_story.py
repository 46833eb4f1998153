"""A group's story: where it started, when it rose or fell and why, where it is."""

from __future__ import annotations

from kematangan.explain import history_story, story_lines
from kematangan.trajectory import score_history
from tests.trajectory.common import (
    GROWTH,
    INDEPENDENCE,
    RELEASE,
    STRENGTHENING,
    history,
    quarters,
)


def test_a_fall_names_the_criteria_no_longer_met() -> None:
    t = score_history(history("A", quarters(2023, 2), STRENGTHENING,
                              Q2023_2={"admin_books_kept": False}), "ppmk-ksm")
    lines = story_lines(t, "A")
    assert "2023Q2: turun dari tahap Penguatan ke Penumbuhan." in lines
    assert ("Penyebab (terpenuhi sebelumnya, kini tidak): Administrasi kelompok "
            "tertib.") in lines


def test_a_rise_and_the_current_stay_are_told() -> None:
    t = score_history(history("A", quarters(2023, 2), GROWTH) + history(
        "A", quarters(2023, 3, 3), INDEPENDENCE), "ppmk-ksm")
    text = history_story(t, "A", "en")
    assert "2023Q3: rose to the Independence stage." in text
    assert "Now (2024Q1): Independence stage since 2023Q3 (6 months)" in text
    assert "First period at each stage: Growth 2023Q1, Independence 2023Q3." in text


def test_gaps_and_stagnation_are_told_in_the_rulesets_words() -> None:
    periods = [p for p in quarters(2023, 6) if p != "2023Q2"]
    text = history_story(score_history(history("A", periods, GROWTH), "ppmk-ksm"),
                         "A")
    assert "Tidak dinilai pada: 2023Q2." in text
    assert "Mandek: Sudah 15 bulan di tahap Penumbuhan (sejak 2023Q1)" in text


def test_exit_not_yet_says_what_the_track_record_lacks() -> None:
    t = score_history(history("A", quarters(2023, 2), RELEASE), "ppmk-ksm")
    lines = story_lines(t, "A", "en")
    assert "Ready for exit: not yet." in lines
    assert ("The Release stage has been held for 2 quarters in a row; exit needs 4."
            in lines)


def test_exit_on_the_track_record_is_told_when_reached() -> None:
    t = score_history(history("A", quarters(2023, 4), RELEASE), "ppmk-ksm")
    assert "2023Q4: siap dilepas berdasarkan rekam jejaknya." in story_lines(t, "A")


def test_an_undetermined_quarter_is_not_told_as_a_fall_and_rise() -> None:
    t = score_history(history("A", quarters(2023, 3), STRENGTHENING,
                              Q2023_2={"admin_books_kept": None},
                              Q2023_3={"admin_books_kept": True}), "ppmk-ksm")
    lines = story_lines(t, "A", "en")
    assert not [line for line in lines if "rose" in line or "fell" in line]
    assert ("2023Q2: undetermined as data is missing; could be up to stage "
            "Strengthening.") in lines
