"""The docs pages: their examples run (here, once each: pytest does not collect
``docs/`` itself), and generated reference pages match what the code generates now."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from kematangan.docgen import generated_pages

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES_WITH_EXAMPLES = sorted(
    path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")
    if ">>> " in path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("rel", PAGES_WITH_EXAMPLES)
def test_page_examples_run_and_print_what_the_page_says(rel: str) -> None:
    result = doctest.testfile(
        str(DOCS / rel), module_relative=False, encoding="utf-8",
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"docs/{rel}: the doctest report is in the captured output"


@pytest.mark.parametrize("rel", sorted(generated_pages()))
def test_generated_page_is_current(rel: str) -> None:
    path = DOCS / rel
    assert path.exists(), f"docs/{rel} is missing: run python -m kematangan.docgen"
    assert path.read_text(encoding="utf-8") == generated_pages()[rel](), (
        f"docs/{rel} is out of date: run python -m kematangan.docgen and review "
        "the diff")


def test_every_bundled_ruleset_has_a_page() -> None:
    from kematangan import list_rulesets

    for info in list_rulesets():
        assert f"rulesets/{info.id}.md" in generated_pages()
