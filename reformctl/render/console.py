"""The one place the rich Console is built: honours NO_COLOR, COLUMNS and whether the stream
is a terminal (no colour codes when piped or captured)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def make_console(stream: IO[str]) -> Console:
    from rich.console import Console

    width = None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    return Console(
        file=stream,
        width=width,
        no_color="NO_COLOR" in os.environ,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )


@contextlib.contextmanager
def progress(total: int, description: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for long imports and exports; silent when stderr is not a
    terminal or the job is small. Yields a function to call once per item."""
    if total < 500 or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(console=make_console(sys.stderr), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
