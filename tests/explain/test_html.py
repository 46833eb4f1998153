"""HTML reports: self-contained, escaped, and rendering cleanly in a browser.

The browser test runs headless Chromium (Debian: ``apt-get install -y chromium``)
and is skipped only when no Chromium binary is on PATH.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kematangan.explain import explain, portfolio_report_html, render_html
from tests.explain.common import BUNDLED, case, scorer

CHROMIUM = next((p for p in (shutil.which(n) for n in (
    "chromium", "chromium-browser", "google-chrome", "chrome")) if p), None)


def group_page(lang: str = "id") -> str:
    s = scorer("ppmk-ksm")
    return render_html(explain(s.score(case("ppmk-ksm", "KSM-07")), s), lang)


def portfolio_page(name: str = "ppmk-ksm", lang: str = "id") -> str:
    s = scorer(name)
    batch = s.score_batch([c.record for c in s.ruleset.tests])
    return portfolio_report_html(batch, s, lang)


VOID = frozenset({"meta", "br", "img", "input", "link", "hr", "rect", "line", "path",
                  "circle"})


class _Tags(HTMLParser):

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs += [(tag, k, v) for k, v in attrs]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]
                           ) -> None:
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()


def parsed(page: str) -> _Tags:
    tags = _Tags()
    tags.feed(page)
    tags.close()
    return tags


PAGES = {
    "group-id": lambda: group_page(),
    "group-en": lambda: group_page("en"),
    "portfolio-id": lambda: portfolio_page(),
    "portfolio-en": lambda: portfolio_page(lang="en"),
}


@pytest.mark.parametrize("which", sorted(PAGES))
def test_page_is_balanced_and_self_contained(which: str) -> None:
    page = PAGES[which]()
    tags = parsed(page)
    assert tags.problems == [] and tags.stack == []
    for tag, attr, value in tags.attrs:
        assert attr not in ("src", "href", "srcset", "action"), (tag, attr, value)
    assert "://" not in page and "url(" not in page and "@import" not in page
    assert "<script" not in page


@pytest.mark.parametrize("which", sorted(PAGES))
def test_page_forbids_loading_anything(which: str) -> None:
    page = PAGES[which]()
    assert re.search(r'http-equiv="Content-Security-Policy" content="default-src '
                     r"'none';", page)


def test_group_page_has_charts_and_language() -> None:
    page = group_page()
    assert page.startswith('<!DOCTYPE html>\n<html lang="id">')
    assert page.count("<svg") == 3
    assert "Tangga tahapan" in page and "Poin per tahap" in page
    assert 'lang="en"' in group_page("en")


def test_portfolio_page_has_distributions_blockers_and_exit_count() -> None:
    page = portfolio_page()
    for title in ("Sebaran tahap", "Sebaran kelas", "Penghambat yang paling sering",
                  "Kelompok siap dilepas", "Alasan utama"):
        assert title in page
    assert f"1 / {len(scorer('ppmk-ksm').ruleset.tests)}" in page


@pytest.mark.parametrize("name", BUNDLED)
def test_portfolio_works_for_every_bundled_ruleset(name: str) -> None:
    assert parsed(portfolio_page(name)).problems == []


def test_portfolio_table_is_cut_at_max_rows() -> None:
    s = scorer("ppmk-ksm")
    batch = s.score_batch([c.record for c in s.ruleset.tests])
    page = portfolio_report_html(batch, s, max_rows=2)
    assert f"Menampilkan 2 dari {len(batch)} kelompok." in page


def test_portfolio_of_a_ruleset_with_a_subject_names_it() -> None:
    s = scorer("upk-pinjaman-bergulir")
    batch = s.score_batch([c.record for c in s.ruleset.tests])
    page = portfolio_report_html(batch, s)
    assert "Jumlah UPK" in page and "UPK dengan masalah data" in page
    assert "kelompok" not in page.lower()
    assert "Number of UPKs" in portfolio_report_html(batch, s, lang="en")


def test_portfolio_lists_what_the_source_does_not_confirm() -> None:
    s = scorer("upk-pinjaman-bergulir")
    page = portfolio_report_html(s.score_batch([s.ruleset.tests[0].record]), s)
    assert "Belum dikonfirmasi sumber" in page
    assert "rumus Repayment Rate (RR)" in page


def test_data_is_escaped() -> None:
    s = scorer("ppmk-ksm")
    page = render_html(explain(s.score({"group_id": "<script>x</script>"}), s))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_portfolio_refuses_a_batch_from_another_ruleset() -> None:
    batch = scorer("ppmk-ksm").score_batch([{}])
    with pytest.raises(ValueError, match="scored with ruleset ppmk-ksm"):
        portfolio_report_html(batch, scorer("ksm-unggulan"))


def _chromium(tmp: Path, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", f"--user-data-dir={tmp / 'profile'}",
            "--enable-logging=stderr", "--v=1", *extra, page.as_uri()]
    return subprocess.run(args, capture_output=True, text=True, timeout=120,
                          check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH; CI "
                    "installs it with: apt-get install -y chromium")
@pytest.mark.parametrize("which", ["group-id", "portfolio-en"])
def test_page_renders_in_headless_chromium_without_console_errors(
        which: str, tmp_path: Path) -> None:
    page = tmp_path / f"{which}.html"
    page.write_text(PAGES[which](), encoding="utf-8")
    shot = tmp_path / f"{which}.png"
    run = _chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1100,2400")
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000
    console = [line for line in run.stderr.splitlines()
               if ":CONSOLE" in line and page.as_uri() in line]
    assert console == []
    dom = _chromium(tmp_path, page, "--dump-dom")
    assert dom.returncode == 0
    assert dom.stdout.count("<svg") >= 3
    assert "<rect" in dom.stdout
