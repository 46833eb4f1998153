"""The public surface of kematangan.explain: a sorted, complete ``__all__``."""

from __future__ import annotations

import types

import kematangan.explain as explain_pkg


def test_all_is_sorted() -> None:
    assert list(explain_pkg.__all__) == sorted(explain_pkg.__all__)


def test_all_names_exist() -> None:
    for name in explain_pkg.__all__:
        assert hasattr(explain_pkg, name), name


def test_every_public_name_is_exported() -> None:
    public = {n for n in dir(explain_pkg) if not n.startswith("_")
              and not isinstance(getattr(explain_pkg, n), types.ModuleType)}
    assert public - {"annotations"} == set(explain_pkg.__all__)
