"""The ``kematangan`` app itself: its top-level options and how fast it starts."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version

import pytest
from typer.testing import CliRunner

import kematangan
from kematangan.cli import app

runner = CliRunner()

# What a start-up must not load: the optional backends, and numpy, which only
# scoring needs. (pydantic is not listed: typer itself loads it to read the options
# of a sub-command.)
HEAVY = ("sklearn", "durable", "pandas", "pyarrow", "matplotlib", "numpy")


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"kematangan {kematangan.__version__}\n"


def test_package_version_is_the_installed_distribution_version() -> None:
    assert kematangan.__version__ == version("kematangan")


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("score", "explain", "report", "template", "rulesets", "model",
                    "--version"):
        assert command in result.output


def _loaded_after(argv: list[str]) -> list[str]:
    code = (
        "import sys\n"
        f"sys.argv = ['kematangan', *{argv!r}]\n"
        "from kematangan.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (0, None), exit.code\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", "import json\n" + code],
                          capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(proc.stdout.splitlines()[-1])
    return loaded


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["rulesets", "--help"],
                                  ["model", "--help"], ["score", "--help"]])
def test_help_and_version_load_no_heavy_module(argv: list[str]) -> None:
    assert _loaded_after(argv) == []
