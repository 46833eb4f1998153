"""The public surface: a sorted, complete ``__all__`` (as httpx keeps it)."""

from __future__ import annotations

import importlib

import pytest

import kematangan

PACKAGES = ["kematangan", "kematangan.criteria", "kematangan.explain",
            "kematangan.model", "kematangan.scoring"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted(name: str) -> None:
    mod = importlib.import_module(name)
    assert list(mod.__all__) == sorted(mod.__all__)


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist(name: str) -> None:
    mod = importlib.import_module(name)
    for attr in mod.__all__:
        assert hasattr(mod, attr), f"{name}.{attr}"


def test_top_level_exports_every_public_name() -> None:
    public = {n for n in dir(kematangan) if not n.startswith("_")}
    modules = {"criteria", "scoring", "errors", "explain", "io", "cli", "model",
               "monitor", "scorefile", "docgen", "catalogue", "problems"}
    assert public - modules - {"annotations"} == set(kematangan.__all__)


def test_import_does_not_load_optional_backends() -> None:
    import subprocess
    import sys

    code = ("import sys, kematangan; "
            "print(sorted(m for m in ('durable', 'sklearn', 'pandas', 'matplotlib') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
