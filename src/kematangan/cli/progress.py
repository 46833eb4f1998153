"""The progress bar of ``kematangan score``: rows done, the total where the input
says it cheaply, rows per second and the time left.

rich is imported when a bar is made, not when the commands are registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Task
    from rich.text import Text

__all__ = ["row_progress"]


def _rows_text(task: Task) -> Text:
    from rich.text import Text

    done = int(task.completed)
    if task.total is None:
        return Text(f"{done:,} rows", style="progress.download")
    return Text(f"{done:,}/{int(task.total):,} rows", style="progress.download")


def _rate_text(task: Task) -> Text:
    from rich.text import Text

    speed = task.finished_speed or task.speed
    return Text("" if speed is None else f"{speed:,.0f} rows/s",
                style="progress.data.speed")


@contextmanager
def row_progress(total: int | None, *, label: str = "scoring"
                 ) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr, shown only when stderr is a terminal; yields the
    function to call with the rows each chunk finished.

    With a ``total`` it shows a bar, done/total, the percentage, the rate and the
    time left; without one, rows done and the rate. A total that proves too small
    (a sheet's declared size can be) is dropped rather than shown past 100%.

    Examples
    --------
    >>> with row_progress(10) as advance:   # not a terminal here: nothing shown
    ...     advance(4); advance(6)
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    class Rows(ProgressColumn):
        def render(self, task: Task) -> Text:
            return _rows_text(task)

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            return _rate_text(task)

    console = Console(stderr=True)
    columns: list[ProgressColumn] = (
        [TextColumn("{task.description}"), BarColumn(), Rows(), TaskProgressColumn(),
         Rate(), TimeRemainingColumn()] if total is not None else
        [SpinnerColumn(), TextColumn("{task.description}"), Rows(), Rate(),
         TimeElapsedColumn()])
    with Progress(*columns, console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=total)
        done = 0

        def advance(rows: int) -> None:
            nonlocal done
            done += rows
            if total is not None and done > total:
                bar.update(task, completed=done, total=None)
            else:
                bar.update(task, completed=done)

        yield advance
