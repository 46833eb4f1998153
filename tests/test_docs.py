"""Generated reference pages must match what the code generates now."""

from __future__ import annotations

from pathlib import Path

import pytest

from kematangan.docgen import generated_pages

DOCS = Path(__file__).resolve().parents[1] / "docs"


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
