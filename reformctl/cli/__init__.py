"""The command-line interface.

``reformctl [--ledger PATH] [--today DATE] [--lang zh|en] COMMAND ...``
"""

from __future__ import annotations

import importlib
from typing import Any

import typer

from reformctl.cli.app import app as _root
from reformctl.cli.typer_compat import get_command_name

__all__ = ["HOMES", "app_for", "main", "whole_app"]

# the modules that register the root's commands and groups, in the order the whole app has them
MODULES = (
    "check",
    "fmt",
    "git",
    "help",
    "init",
    "mechanisms",
    "notice",
    "office",
    "read",
    "remind",
    "report",
    "review",
    "site",
    "workspace",
    "write",
)
_MECHANISMS = ("topic", "meeting", "pilot", "case", "outpost", "feedback")
# which of them register each of the root's commands and groups (tests/cli/test_app_for.py
# holds this to the whole app): the console script imports only those of the one it runs
HOMES: dict[str, tuple[str, ...]] = {
    "check": ("check",),
    "fmt": ("fmt",),
    "diff": ("git",),
    "history": ("git",),
    "git": ("git", "review"),
    "help": ("help",),
    "init": ("init",),
    "office": ("init",),
    **dict.fromkeys(_MECHANISMS, ("mechanisms",)),
    "notice": ("notice",),
    "publicity": ("notice",),
    "rollover": ("office",),
    "import": ("office",),
    "export": ("office",),
    **dict.fromkeys(("list", "show", "overdue", "progress"), ("read",)),
    "unit": ("read", "write"),
    "group": ("read", "write"),
    "remind": ("remind",),
    "report": ("report",),
    "review": ("review",),
    "site": ("site",),
    "workspace": ("workspace",),
    **dict.fromkeys(("done", "undone", "extend", "log", "close", "reopen"), ("write",)),
    **dict.fromkeys(("edit", "point", "milestone"), ("write",)),
}


def main() -> None:
    _accept_click_completion_protocol()
    import sys

    app_for(sys.argv[1:])(prog_name="reformctl")


# the root's options (tests/cli/test_app_for.py holds these to the callback's): those taking a
# value, and the flags that change nothing of which command runs
VALUE_OPTIONS = frozenset({"--ledger", "--today", "--lang", "--color"})
FLAGS = frozenset({"--no-pager", "--debug", "--verbose"})


def whole_app() -> typer.Typer:
    """The app with every command registered (each module of :data:`MODULES` imported)."""
    for module in MODULES:
        importlib.import_module(f"reformctl.cli.{module}")
    return _root


def app_for(args: list[str]) -> typer.Typer:
    """The app with only the command ``args`` invoke registered, its modules alone imported:
    typer builds the click object of every registered command before it parses anything
    (about 60–90 ms for 59 commands, a third of a small command's start), and one is enough
    to run it; the modules of the others cost ~10 ms more to import. The whole app for
    anything that reads the others: no command, the root's help or version, an unknown name
    (its suggestions), ``help``, shell completion. Same output either way (the tests
    compare)."""
    import copy
    import os

    if os.environ.get("_REFORMCTL_COMPLETE"):
        return whole_app()
    name = None
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            return whole_app()
        if arg.startswith("-"):
            if arg in VALUE_OPTIONS:
                next(rest, None)
            elif arg not in FLAGS and arg.partition("=")[0] not in VALUE_OPTIONS:
                return whole_app()  # the root's help, version, completion, or its usage error
            continue
        name = arg
        break
    if name is None or name == "help" or name not in HOMES:
        return whole_app()
    for module in sorted(HOMES[name], key=MODULES.index):  # (as the whole app registers them)
        importlib.import_module(f"reformctl.cli.{module}")
    commands = [c for c in _root.registered_commands if _name(c) == name]
    groups = [g for g in _root.registered_groups if g.name == name]
    if len(commands) + len(groups) != 1:
        return whole_app()
    slim = copy.copy(_root)
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
