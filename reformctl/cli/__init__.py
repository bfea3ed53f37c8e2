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
    notice,
    office,
    read,
    remind,
    report,
    review,
    site,
    workspace,
    write,
)
from reformctl.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    _accept_click_completion_protocol()
    app(prog_name="reformctl")


def _accept_click_completion_protocol() -> None:
    """Click's spelling of the completion request (``bash_complete``, ``bash_source``) as
    well as Typer's (``complete_bash``, what ``--install-completion`` sets up)."""
    import os

    var = "_REFORMCTL_COMPLETE"
    shell, _, action = os.environ.get(var, "").partition("_")
    if shell == "bash" and action in ("complete", "source"):
        os.environ[var] = f"{action}_{shell}"
