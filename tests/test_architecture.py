"""The shape of the package: dependencies point one way, no module reaches for
another's private names, and public class names are unique (docs/architecture.md
draws the same map)."""

from __future__ import annotations

import ast
import collections
import re
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "kematangan"
DOCS = Path(__file__).parents[1] / "docs"

BASE = {"catalogue", "problems", "errors"}
ALLOWED: dict[str, set[str]] = {
    "catalogue": set(),
    "problems": {"catalogue"},
    "errors": {"catalogue", "problems"},
    "criteria": BASE,
    "scoring": BASE | {"criteria"},
    "io": BASE | {"criteria"},
    "trajectory": BASE | {"criteria", "scoring"},
    "monitor": BASE | {"criteria", "scoring", "trajectory"},
    "model": BASE | {"criteria", "scoring"},
    "explain": BASE | {"criteria", "scoring", "trajectory"},
    "scorefile": BASE | {"criteria", "scoring", "io", "explain", "model"},
    "rollup": BASE | {"criteria", "scoring", "io", "explain", "scorefile"},
    "trendfile": BASE | {"criteria", "scoring", "trajectory", "io", "explain"},
    "cli": BASE | {"criteria", "scoring", "io", "explain", "model", "monitor",
                   "scorefile", "rollup", "trajectory", "trendfile", "stream",
                   "dask"},
    "docgen": BASE | {"criteria", "scoring", "io", "explain", "model", "cli",
                      "rollup", "trendfile"},
    "stream": BASE | {"criteria", "scoring", "explain"},
    "dask": BASE | {"criteria", "scoring", "stream"},
    "spark": BASE | {"criteria", "scoring", "stream"},
    "__main__": {"cli"},
    "__init__": BASE | {"criteria", "scoring", "io", "explain", "model", "monitor",
                        "rollup", "trajectory"},
}
"""What each top-level package or module of kematangan may import."""

THROUGH_SURFACE = {"explain", "monitor", "scorefile", "rollup", "cli", "trajectory",
                   "trendfile", "stream", "dask", "spark"}
"""Packages that use scoring only through ``kematangan.scoring`` itself."""


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, line) of every kematangan import in ``path``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and (
            node.module == "kematangan" or node.module.startswith("kematangan.")
        ):
            out.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("kematangan."):
                    out.append((alias.name, [], node.lineno))
    return out


def _top(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def test_every_top_level_package_has_a_place_in_the_map() -> None:
    found = {_top(p) for p in _modules()} - {"py"}
    assert found <= set(ALLOWED), sorted(found - set(ALLOWED))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_dependencies_point_one_way(path: Path) -> None:
    top = _top(path)
    bad = []
    for module, _, line in _imports(path):
        parts = module.split(".")
        target = parts[1] if len(parts) > 1 else "__init__"
        if target != top and target not in ALLOWED.get(top, set()):
            bad.append(f"line {line}: {top} imports {module}")
        if (top in THROUGH_SURFACE and target == "scoring" and len(parts) > 2):
            bad.append(f"line {line}: {top} reaches into {module}; use "
                       "kematangan.scoring's public surface")
    assert bad == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_private_name_is_imported_across_modules(path: Path) -> None:
    bad = [f"line {line}: {name} from {module}"
           for module, names, line in _imports(path)
           for name in names if name.startswith("_") and name != "__version__"]
    assert bad == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_is_over_600_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 600, f"{lines} lines: split it by job"


def test_public_class_names_are_unique() -> None:
    seen: dict[str, list[str]] = collections.defaultdict(list)
    for path in _modules():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                seen[node.name].append(str(path.relative_to(SRC)))
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_architecture_page_names_only_what_exists() -> None:
    page = (DOCS / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`kematangan/([a-z_/]+(?:\.py)?)`", page))
    assert named, "the page names no module"
    missing = sorted(n for n in named if not (SRC / n).exists())
    assert missing == []
