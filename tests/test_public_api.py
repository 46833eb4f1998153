"""The public surface: a sorted, complete ``__all__`` (as httpx keeps it)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import kematangan

PACKAGES = ["kematangan", "kematangan.criteria", "kematangan.dask",
            "kematangan.explain", "kematangan.model", "kematangan.monitor",
            "kematangan.rollup", "kematangan.scoring", "kematangan.spark",
            "kematangan.stream", "kematangan.stream.chunk",
            "kematangan.stream.layout", "kematangan.trajectory"]


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
    public = {n for n in dir(kematangan) if not n.startswith("_")
              and not isinstance(getattr(kematangan, n), ModuleType)}
    assert public == set(kematangan.__all__)


def test_type_checkers_see_every_public_name_from_where_it_is_imported() -> None:
    # The names are imported lazily at run time; the TYPE_CHECKING imports are what
    # mypy and editors see. Both must give the same objects.
    tree = ast.parse(Path(kematangan.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and ast.unparse(node.test).endswith("TYPE_CHECKING"))
    seen = {alias.name: node.module for node in block.body
            if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert set(seen) == set(kematangan.__all__)
    for name, module in seen.items():
        assert getattr(kematangan, name) is getattr(
            importlib.import_module(str(module)), name), name


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Scorrer'"):
        kematangan.Scorrer  # noqa: B018


def test_import_loads_no_backend_and_no_numpy_or_pydantic() -> None:
    code = ("import sys, kematangan; print(sorted(m for m in ('durable', 'sklearn', "
            "'pandas', 'pyarrow', 'matplotlib', 'numpy', 'pydantic', 'dask', "
            "'distributed', 'pyspark') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


@pytest.mark.parametrize("name", ["kematangan.stream", "kematangan.dask",
                                  "kematangan.spark", "kematangan.io.parquet_dataset"])
def test_scale_modules_load_their_backends_only_when_called(name: str) -> None:
    code = (f"import sys, {name}; print(sorted(m for m in ('durable', 'sklearn', "
            "'pandas', 'pyarrow', 'matplotlib', 'dask', 'distributed', 'pyspark') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
