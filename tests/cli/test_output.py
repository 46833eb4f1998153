"""Output problems on every command that writes a file: one message naming the path
and the fix, exit code 2, never a traceback.

Tests may run as root, where a read-only file or folder does not stop a write: locks
and missing permissions are simulated by making ``os.open`` (what the up-front check
uses) fail as Windows and POSIX do. A full disk is real: a link to ``/dev/full``.
"""

from __future__ import annotations

import errno
import gc
import importlib.util
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from kematangan.cli import app
from kematangan.cli.output import output_problem

runner = CliRunner()
needs_sklearn = pytest.mark.skipif(importlib.util.find_spec("sklearn") is None,
                                   reason="scikit-learn is not installed")
needs_matplotlib = pytest.mark.skipif(
    importlib.util.find_spec("sklearn") is None
    or importlib.util.find_spec("matplotlib") is None,
    reason="scikit-learn or matplotlib is not installed")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small group sheet, a labelled file and a model fitted on it."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "ksm.csv").write_text("Kode KSM;Jumlah Anggota\nA;12\nB;3\n",
                                    encoding="utf-8")
    if importlib.util.find_spec("sklearn") is not None:
        from kematangan.model import MaturityModel, make_synthetic

        data = make_synthetic("ppmk-ksm", n=120, seed=5)
        (folder / "labelled.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in data.rows(label="y")),
            encoding="utf-8")
        MaturityModel("ppmk-ksm").fit(data.records, data.labels).save(
            folder / "model.json")
    return folder


def _labelled(i: Path) -> list[str]:
    return [str(i / "labelled.jsonl"), "-l", "y", "-r", "ppmk-ksm"]


# Each command that writes a file: the suffix it writes and its arguments.
COMMANDS: dict[str, tuple[str, Callable[[Path, Path], list[str]]]] = {
    "score": (".csv", lambda i, out: ["score", str(i / "ksm.csv"), "-r", "ppmk-ksm",
                                      "-o", str(out)]),
    "score xlsx": (".xlsx", lambda i, out: ["score", str(i / "ksm.csv"), "-r",
                                            "ppmk-ksm", "-o", str(out)]),
    "explain": (".txt", lambda i, out: ["explain", str(i / "ksm.csv"), "-r",
                                        "ppmk-ksm", "-o", str(out)]),
    "report": (".html", lambda i, out: ["report", str(i / "ksm.csv"), "-r",
                                        "ppmk-ksm", "-o", str(out)]),
    "template": (".xlsx", lambda i, out: ["template", "-r", "ppmk-ksm", "-o",
                                          str(out)]),
    "model fit": (".json", lambda i, out: ["model", "fit", *_labelled(i), "-o",
                                           str(out)]),
    "model evaluate": (".png", lambda i, out: ["model", "evaluate", *_labelled(i),
                                               "-m", str(i / "model.json"),
                                               "--plot", str(out)]),
}
MARKS = {"model fit": [needs_sklearn], "model evaluate": [needs_matplotlib]}
EVERY_COMMAND = [pytest.param(name, marks=MARKS.get(name, [])) for name in COMMANDS]


def _run(command: str, inputs: Path, out: Path) -> Result:
    return runner.invoke(app, COMMANDS[command][1](inputs, out))


def _assert_one_message(result: Result, path: Path, *phrases: str) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no uncaught error
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write ")
    assert str(path) in lines[0] and "; fix: " in lines[0]
    for phrase in phrases:
        assert phrase in lines[0]


def _fail_os_open(monkeypatch: pytest.MonkeyPatch, path: Path,
                  winerror: int | None = None) -> None:
    real = os.open

    def fake(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(file) == path:
            err = PermissionError(errno.EACCES, "Permission denied", str(file))
            if winerror is not None:
                err.winerror = winerror  # type: ignore[attr-defined]  # Windows
            raise err
        return real(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake)


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_missing_folder_names_the_folder(command: str, inputs: Path,
                                         tmp_path: Path) -> None:
    out = tmp_path / "hasil" / f"out{COMMANDS[command][0]}"
    result = _run(command, inputs, out)
    _assert_one_message(result, out, f"the folder {out.parent} does not exist",
                        "create it first")


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_output_that_is_a_folder_asks_for_a_file_name(command: str, inputs: Path,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "hasil"
    out.mkdir()
    result = _run(command, inputs, out)
    _assert_one_message(result, out, "it is a folder", "name of a file")


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_file_open_in_excel_says_close_it(command: str, inputs: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / f"out{COMMANDS[command][0]}"
    out.write_bytes(b"last quarter's results")
    _fail_os_open(monkeypatch, out, winerror=32)  # ERROR_SHARING_VIOLATION
    result = _run(command, inputs, out)
    _assert_one_message(result, out, "open in another program (Excel?)",
                        "close it there")
    assert out.read_bytes() == b"last quarter's results"


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_read_only_file_says_make_it_writable(command: str, inputs: Path,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / f"out{COMMANDS[command][0]}"
    out.write_bytes(b"")
    _fail_os_open(monkeypatch, out)
    result = _run(command, inputs, out)
    _assert_one_message(result, out, "permission denied", "make it writable")


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_folder_without_permission_says_choose_another(
        command: str, inputs: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / f"out{COMMANDS[command][0]}"
    _fail_os_open(monkeypatch, out)
    result = _run(command, inputs, out)
    _assert_one_message(result, out, f"no permission to create files in the folder "
                        f"{tmp_path}", "in a folder you can write to")
    assert not out.exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_full_disk_says_free_some_space(command: str, inputs: Path,
                                        tmp_path: Path) -> None:
    out = tmp_path / f"out{COMMANDS[command][0]}"
    out.symlink_to("/dev/full")  # every write there fails with ENOSPC
    result = _run(command, inputs, out)
    _assert_one_message(result, out, "the disk is full", "free some space")
    gc.collect()  # nothing left open reports the error again (pytest fails if so)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_prints_no_traceback_when_the_process_ends(tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    out.symlink_to("/dev/full")
    proc = subprocess.run([sys.executable, "-m", "kematangan", "template", "-r",
                           "ppmk-ksm", "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: cannot write") and "Traceback" not in (
        proc.stderr)


def test_half_written_file_is_deleted(inputs: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "explained.txt"
    real = Path.write_text

    def half_then_full(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
        real(self, data[: len(data) // 2], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", half_then_full)
    result = _run("explain", inputs, out)
    _assert_one_message(result, out, "the disk is full",
                        f"(the incomplete {out} was deleted)")
    assert not out.exists()


def test_locked_file_beside_the_output_is_named_and_the_results_deleted(
        inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "scored.csv"
    beside = tmp_path / "scored.errors.csv"
    real = Path.open

    def locked(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == beside:
            err = PermissionError(errno.EACCES, "Permission denied", str(self))
            err.winerror = 32  # type: ignore[attr-defined]  # Windows
            raise err
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    result = _run("score", inputs, out)
    _assert_one_message(result, beside, "open in another program (Excel?)",
                        f"(the incomplete {out} was deleted)")
    assert not out.exists()


def test_input_error_half_way_deletes_the_output(
        inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kematangan.errors import InputError
    from kematangan.io import iter_tables

    def damaged_after_the_first_chunk(*args: Any, **kwargs: Any) -> Iterator[Any]:
        yield from itertools.islice(iter_tables(*args, **kwargs), 1)
        raise InputError("the workbook is damaged after row 3")

    monkeypatch.setattr("kematangan.scorefile.run.iter_tables",
                        damaged_after_the_first_chunk)
    out = tmp_path / "scored.csv"
    result = _run("score", inputs, out)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error: the workbook is damaged after row 3",
        f"note: the incomplete {out} was deleted"]
    assert not out.exists()


@pytest.mark.parametrize(("command", "name", "endings"), [
    ("score", "out.txt", ".csv, .jsonl, .parquet, .tsv, .xlsx"),
    ("template", "template.csv", ".xlsx"),
])
def test_unwritable_format_names_the_endings(command: str, name: str, endings: str,
                                             inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / name
    result = _run(command, inputs, out)
    _assert_one_message(result, out, f"the command writes {endings} files")
    assert not out.exists()


@pytest.mark.parametrize(("command", "source"), [
    ("score", "ksm.csv"),
    ("explain", "ksm.csv"),
    ("report", "ksm.csv"),
    pytest.param("model fit", "labelled.jsonl", marks=needs_sklearn),
    pytest.param("model evaluate", "model.json", marks=needs_matplotlib),
])
def test_output_may_not_overwrite_an_input(command: str, source: str,
                                           inputs: Path) -> None:
    path = inputs / source
    before = path.read_bytes()
    result = _run(command, inputs, path)
    _assert_one_message(result, path, "it is an input of the command")
    assert path.read_bytes() == before


def test_other_errors_give_the_system_message() -> None:
    message = output_problem(Path("out.csv"), OSError(errno.EIO, "Input/output error"))
    assert message == ("cannot write out.csv: Input/output error; fix: check the "
                       "path, or choose another --output")


def test_read_only_disk_says_choose_a_writable_one() -> None:
    message = output_problem(Path("out.csv"),
                             OSError(errno.EROFS, "Read-only file system"))
    assert "the disk is read-only" in message and "writable disk" in message


@pytest.mark.parametrize("command", ["score", "explain", "report"])
def test_unreadable_input_is_an_input_problem(command: str, inputs: Path,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    source = inputs / "ksm.csv"
    real = Path.open

    def locked(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == source:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    out = tmp_path / f"out{COMMANDS[command][0]}"
    result = _run(command, inputs, out)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith(f"error: cannot read {source}: Permission denied")
    assert not out.exists()  # score had begun to write it: it is deleted
