"""Output files: every problem writing one ends in one message that names the path
and the fix, and exit code 2, never a traceback.

A command wraps its writing in :func:`writing`, which checks the path before the
work starts (a locked ``.xlsx`` is found before minutes of scoring, not after) and
turns any failure while writing into that message. A file left half-written (a full
disk, an error in the input half-way) is deleted, so no result that looks complete
but is not stays behind.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
import traceback
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from kematangan.cli.options import fail, read_problem

__all__ = ["output_problem", "writing"]

# Windows reports a file open in Excel as a sharing or lock violation.
_WINDOWS_LOCKED = {32, 33}
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def output_problem(path: Path, err: OSError, option: str = "--output") -> str:
    """What went wrong writing ``path`` and how to fix it, in one sentence.

    ``err.filename``, when set, is the file named (it may be a file written beside
    ``path``); ``option`` is the command-line option that chose the path.

    Examples
    --------
    >>> import errno
    >>> print(output_problem(Path("hasil") / "ksm.xlsx",
    ...                      FileNotFoundError(errno.ENOENT, "No such file")))
    cannot write hasil/ksm.xlsx: the folder hasil does not exist; fix: create it first, or choose another --output
    """
    target = Path(os.fsdecode(err.filename)) if err.filename else path
    other = f"choose another {option}"
    if isinstance(err, IsADirectoryError) or target.is_dir():
        why = "it is a folder"
        fix = f"give the name of a file inside that folder, or {other}"
    elif isinstance(err, FileNotFoundError):
        why = f"the folder {target.parent} does not exist"
        fix = f"create it first, or {other}"
    elif isinstance(err, NotADirectoryError):
        why = f"{target.parent} is not a folder (part of that path is a file)"
        fix = other
    elif getattr(err, "winerror", None) in _WINDOWS_LOCKED:
        why = "the file is open in another program (Excel?)"
        fix = f"close it there and run again, or {other}"
    elif isinstance(err, PermissionError) and target.exists():
        why = ("permission denied: the file is read-only or open in another program "
               "(Excel?)")
        fix = f"close it there, make it writable, or {other}"
    elif isinstance(err, PermissionError):
        why = f"no permission to create files in the folder {target.parent}"
        fix = f"{other} in a folder you can write to"
    elif err.errno == errno.EROFS:
        why = "the disk is read-only"
        fix = f"{other} on a writable disk"
    elif err.errno in _DISK_FULL:
        why = "the disk is full"
        fix = f"free some space, or {other} on another disk"
    else:
        why = err.strerror or str(err)
        fix = f"check the path, or {other}"
    return f"cannot write {target}: {why}; fix: {fix}"


def _probe(path: Path) -> None:
    """Open ``path`` for appending (which changes nothing), to find a missing
    folder, a folder in the way, a lock or a missing permission before the work."""
    existed = path.exists()
    os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT))
    if not existed:
        path.unlink()


def _release(exc: BaseException) -> None:
    """Close now, quietly, what the failed write left open.

    xlsxwriter leaves its zip file open when writing fails; collected at exit, it
    would meet the same full disk again and print a traceback.
    """
    hook = sys.unraisablehook

    def quiet(unraisable: sys.UnraisableHookArgs) -> None:
        if not isinstance(unraisable.exc_value, OSError):
            hook(unraisable)

    sys.unraisablehook = quiet
    try:
        chained: BaseException | None = exc
        while chained is not None:
            traceback.clear_frames(chained.__traceback__)
            chained = chained.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _state(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _remove_if_changed(path: Path, before: tuple[int, int] | None) -> str:
    """Delete ``path`` if the failed command wrote it; say what happened."""
    if _state(path) in (None, before):
        return ""
    try:
        path.unlink()
    except OSError:
        return f"{path} is incomplete: delete it"
    return f"the incomplete {path} was deleted"


@contextmanager
def writing(path: Path, *, option: str = "--output", suffixes: Collection[str] = (),
            inputs: Collection[Path] = ()) -> Iterator[None]:
    """Check that ``path`` can be written, is none of the command's ``inputs`` and
    (when ``suffixes`` are given) ends in one of them; run the block; and exit with
    code 2 and :func:`output_problem`'s message when writing fails (code 1 when an
    input cannot be read).

    Whatever stops the block (a problem writing, an error in the input, Ctrl-C),
    a ``path`` it had begun to write is deleted, and the message says so.

    Examples
    --------
    >>> import tempfile, typer
    >>> folder = Path(tempfile.mkdtemp())
    >>> try:
    ...     with writing(folder):
    ...         pass
    ... except typer.Exit as exit:
    ...     exit.exit_code
    2
    """
    from xlsxwriter.exceptions import FileCreateError

    if any(path.resolve() == source.resolve() for source in inputs):
        fail(f"cannot write {path}: it is an input of the command and would be "
             f"overwritten; fix: choose another {option}", code=2)
    try:
        _probe(path)
    except OSError as found:
        fail(output_problem(path, found, option), code=2)
    if suffixes and path.suffix.lower() not in suffixes:
        names = ", ".join(sorted(suffixes))
        fail(f"cannot write {path}: the command writes {names} files; fix: name "
             f"the {option} file with one of these endings", code=2)
    before = _state(path)
    try:
        yield
    except BaseException as exc:
        removed = _remove_if_changed(path, before)
        and_removed = f" ({removed})" if removed else ""
        # xlsxwriter raises FileCreateError from the OSError it met.
        cause = exc.__context__ if isinstance(exc, FileCreateError) else exc
        if not isinstance(cause, OSError):
            if removed:  # the command has said what went wrong
                typer.echo(f"note: {removed}", err=True)
            raise
        _release(exc)
        named = Path(os.fsdecode(cause.filename)).resolve() if cause.filename else None
        for source in inputs:
            if source.resolve() == named:
                fail(read_problem(source, cause) + and_removed)
        fail(output_problem(path, cause, option) + and_removed, code=2)
