"""The one place the terminal is judged: colour (``--color``, ``NO_COLOR``, ``FORCE_COLOR``,
whether the stream is a terminal), width (``COLUMNS``) and the rich Console for progress bars
and reports."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

COLOR_MODES = ("auto", "always", "never")
_color_mode = "auto"


def set_color(mode: str) -> None:
    """``--color auto|always|never`` (the CLI sets it once, before any output)."""
    global _color_mode
    _color_mode = mode if mode in COLOR_MODES else "auto"


def color_enabled(stream: IO[str]) -> bool:
    """``--color always|never`` first; then ``NO_COLOR`` (https://no-color.org) and
    ``FORCE_COLOR`` (set and not 0); else colour exactly when the stream is a terminal."""
    if _color_mode != "auto":
        return _color_mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force not in ("", "0", "false"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def make_console(stream: IO[str]) -> Console:
    from rich.console import Console

    width = None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    color = color_enabled(stream)
    return Console(
        file=stream,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
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
