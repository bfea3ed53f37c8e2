"""The command-line interface.

``reformctl [--ledger PATH] [--today DATE] [--lang zh|en] COMMAND ...``
"""

from __future__ import annotations

from typing import Any

import typer

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
from reformctl.cli.typer_compat import get_command_name

__all__ = ["app", "main"]


def main() -> None:
    _accept_click_completion_protocol()
    import sys

    app_for(sys.argv[1:])(prog_name="reformctl")


# the root's options (tests/cli/test_app_for.py holds these to the callback's): those taking a
# value, and the flags that change nothing of which command runs
VALUE_OPTIONS = frozenset({"--ledger", "--today", "--lang", "--color"})
FLAGS = frozenset({"--no-pager", "--debug", "--verbose"})


def app_for(args: list[str]) -> typer.Typer:
    """The app with only the command ``args`` invoke registered: typer builds the click object
    of every registered command before it parses anything (about 60–90 ms for 59 commands, a
    third of a small command's start), and one is enough to run it. The whole app for anything
    that reads the others: no command, the root's help or version, an unknown name (its
    suggestions), ``help``, shell completion. Same output either way (the tests compare)."""
    import copy
    import os

    if os.environ.get("_REFORMCTL_COMPLETE"):
        return app
    name = None
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            return app
        if arg.startswith("-"):
            if arg in VALUE_OPTIONS:
                next(rest, None)
            elif arg not in FLAGS and arg.partition("=")[0] not in VALUE_OPTIONS:
                return app  # the root's help, version, completion, or a usage error of its own
            continue
        name = arg
        break
    if name is None or name == "help":
        return app
    commands = [c for c in app.registered_commands if _name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if len(commands) + len(groups) != 1:
        return app
    slim = copy.copy(app)
    slim.registered_commands = commands
    slim.registered_groups = groups
    return slim


def _name(command: Any) -> str | None:
    """A registered command's name as typer gives it (``sub_command`` → ``sub-command``)."""
    if command.name:
        return str(command.name)
    return get_command_name(command.callback.__name__) if command.callback else None


def _accept_click_completion_protocol() -> None:
    """Click's spelling of the completion request (``bash_complete``, ``bash_source``) as
    well as Typer's (``complete_bash``, what ``--install-completion`` sets up)."""
    import os

    var = "_REFORMCTL_COMPLETE"
    shell, _, action = os.environ.get(var, "").partition("_")
    if shell == "bash" and action in ("complete", "source"):
        os.environ[var] = f"{action}_{shell}"
