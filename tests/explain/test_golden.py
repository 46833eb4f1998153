"""Golden explanations of every bundled ruleset's embedded test cases.

``golden/<ruleset>.json`` holds each case's explanation (compared as parsed JSON);
``golden/<ruleset>.id.md`` and ``.en.md`` hold the Markdown of all cases. The
ruleset's hash and version are replaced by ``<hash>`` and ``<version>``, so editing
a ruleset only fails here when an explanation really changes. Regenerate with

    KEMATANGAN_REGEN_GOLDEN=1 pytest tests/explain/test_golden.py

and review the diff before committing it.
"""

from __future__ import annotations

import difflib
import json
import os
from typing import Any

import pytest

from kematangan.explain import Explanation, explain, render_markdown
from tests.explain.common import BUNDLED, HERE, scorer

GOLDEN = HERE / "golden"
REGEN = os.environ.get("KEMATANGAN_REGEN_GOLDEN") == "1"
HOW = ("run KEMATANGAN_REGEN_GOLDEN=1 pytest tests/explain/test_golden.py and "
       "review the diff")


def explanations(name: str) -> dict[str, Explanation]:
    s = scorer(name)
    return {case.name: explain(s.score(case.record), s) for case in s.ruleset.tests}


def normalised(e: Explanation) -> dict[str, Any]:
    data = e.model_dump(mode="json")
    data["ruleset"]["hash"] = "<hash>"
    data["ruleset"]["version"] = "<version>"
    return data


def normalised_text(text: str, e: Explanation) -> str:
    return text.replace(e.ruleset.hash, "<hash>").replace(
        f"{e.ruleset.id} versi {e.ruleset.version}", f"{e.ruleset.id} versi <version>"
    ).replace(f"{e.ruleset.id} version {e.ruleset.version}",
              f"{e.ruleset.id} version <version>")


def markdown(name: str, lang: str) -> str:
    parts = [normalised_text(render_markdown(e, lang), e)
             for e in explanations(name).values()]
    return "\n---\n\n".join(parts)


@pytest.mark.parametrize("name", BUNDLED)
def test_explanations_match_golden_json(name: str) -> None:
    path = GOLDEN / f"{name}.json"
    got = {case: normalised(e) for case, e in explanations(name).items()}
    if REGEN:
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
        pytest.skip(f"regenerated {path.name}")
    assert path.exists(), f"no golden file for {name}: {HOW}"
    want = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(got) == sorted(want), f"cases differ from the golden file: {HOW}"
    for case in want:
        assert got[case] == want[case], f"{name}: {case!r} changed: {HOW}"


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", BUNDLED)
def test_markdown_matches_golden(name: str, lang: str) -> None:
    path = GOLDEN / f"{name}.{lang}.md"
    got = markdown(name, lang)
    if REGEN:
        path.write_text(got, encoding="utf-8")
        pytest.skip(f"regenerated {path.name}")
    assert path.exists(), f"no golden file for {name}: {HOW}"
    want = path.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(list(difflib.unified_diff(
            want.splitlines(keepends=True), got.splitlines(keepends=True),
            "golden", "now"))[:60])
        pytest.fail(f"{path.name} changed ({HOW}):\n{diff}")


def test_golden_files_hold_no_hash_version_or_path() -> None:
    for path in GOLDEN.iterdir():
        text = path.read_text(encoding="utf-8")
        for name in BUNDLED:
            rs = scorer(name).ruleset
            assert rs.content_hash not in text, path.name
        assert "/work/" not in text and str(HERE) not in text, path.name
