"""The options the commands share."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kematangan.cli import app

runner = CliRunner()


@pytest.mark.parametrize("argv", [["rulesets", "show", "ppmk-ksm"],
                                  ["template", "-r", "ppmk-ksm"]])
def test_unknown_language_is_a_usage_error(argv: list[str]) -> None:
    result = runner.invoke(app, [*argv, "--lang", "fr"])
    assert result.exit_code == 2
    assert "use 'id' or 'en'" in result.output


def test_unknown_ruleset_exits_1_with_a_suggestion() -> None:
    result = runner.invoke(app, ["template", "-r", "ppmk-ksn"])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "did you mean 'ppmk-ksm'" in (
        result.output)
