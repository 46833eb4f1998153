"""The README's promises: its commands make their own virtual environment, the test
command is exactly what CI runs, and its Python example prints what it says."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _bash_commands() -> list[str]:
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", README, re.S)]


def test_every_command_makes_its_own_virtual_environment() -> None:
    commands = _bash_commands()
    assert len(commands) >= 2
    for command in commands:
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && ")


def test_the_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci in _bash_commands()


def test_the_python_example_prints_what_its_comments_say() -> None:
    (code,) = re.findall(r"```python\n(.*?)```", README, re.S)
    said = [m.group(1).strip() for line in code.splitlines()
            if line.startswith("print(") and (m := re.search(r"#\s*(.*)$", line))]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = out.getvalue().splitlines()
    assert printed[0] == said[0]
    assert printed[1].startswith("[") and "admin_books" in printed[1]
