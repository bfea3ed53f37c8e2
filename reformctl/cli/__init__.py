"""The command-line interface.

``reformctl [--ledger PATH] [--today DATE] [--lang zh|en] COMMAND ...``
"""

from __future__ import annotations

from reformctl.cli import (  # noqa: F401
    check,
    fmt,
    git,
    help,
    init,
    mechanisms,
    office,
    read,
    report,
    write,
)
from reformctl.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app(prog_name="reformctl")
