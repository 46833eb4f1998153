"""The trend report: self-contained like the other reports, with a timeline and a
transition diagram; escaped; and the tables behind it."""

from __future__ import annotations

import re
from functools import cache

import pytest

from kematangan.explain import trend_report_html
from kematangan.explain.trend_tables import group_table, history_table
from kematangan.trajectory import Trajectories, score_history
from kematangan.trendfile import read_histories
from tests.explain.test_html import parsed
from tests.trajectory.common import GROWTH, history, quarters

EXAMPLE = "examples/ppmk-ksm-riwayat.csv"


@cache
def example() -> Trajectories:
    return read_histories([EXAMPLE], "ppmk-ksm")[0]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_is_balanced_self_contained_and_forbids_loading(lang: str) -> None:
    page = trend_report_html(example(), lang)
    tags = parsed(page)
    assert tags.problems == [] and tags.stack == []
    assert all(attr not in ("src", "href", "srcset", "action")
               for _, attr, _ in tags.attrs)
    assert "://" not in page and "<script" not in page
    assert re.search(r'http-equiv="Content-Security-Policy" content="default-src '
                     r"'none';", page)
    assert page.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')


def test_report_has_the_diagram_timeline_and_lists() -> None:
    page = trend_report_html(example())
    assert page.count("<svg") == 2
    for title in ("Perpindahan tahap, dari 2022Q3 ke 2024Q4", "Mandek", "Kemunduran",
                  "Angkatan (tahun pembentukan)", "Jalur tiap kelompok"):
        assert title in page
    # one timeline row per group
    assert len(re.findall(r'class="small">KSM-\d{3}</text>', page)) == 48


def test_report_cuts_long_lists_and_says_so() -> None:
    page = trend_report_html(example(), max_rows=5)
    assert "Menampilkan 5 dari 48 kelompok." in page


def test_group_ids_are_escaped() -> None:
    t = score_history(history("<b>x</b>", quarters(2023, 2), GROWTH), "ppmk-ksm")
    page = trend_report_html(t)
    assert "<b>x" not in page and "&lt;b&gt;x" in page


def test_history_table_has_a_row_per_assessment_and_labels_in_the_language() -> None:
    cols = history_table(example(), "en")
    assert len(cols["Group"]) == 440
    assert set(cols["Stage"]) <= {"Growth", "Strengthening", "Independence",
                                  "Release", "not yet at the first stage"}


def test_group_table_reads_each_group_at_its_latest_assessment() -> None:
    cols = group_table(example(), "en")
    at = cols["Group"].index("KSM-019")
    assert (cols["Stage"][at], cols["Stagnating"][at]) == ("Growth", "yes")
    assert cols["First at Growth"][at] == "2022Q3"
