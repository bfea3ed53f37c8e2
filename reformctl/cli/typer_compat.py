"""Every private name of typer (and of the click it vendors as ``typer._click``) that reformctl
uses, in one place.

Help, usage lines and usage errors in Chinese need a few things typer does not offer as its
public API: click's ``Context`` (its ``make_formatter``), ``Command`` and ``HelpFormatter``,
its usage errors (to catch them at the one error boundary), ``TyperGroup`` (the root command's
class), ``typer.main.get_command`` (the click command of an app, for the tests) and
``typer.core._``, the gettext typer writes its own words through. typer is pinned to the 0.28.x
line (``pyproject.toml``: the last line that does not import pydantic at start); a release that
moves any name listed in :data:`REQUIRED` is caught by ``tests/cli/test_typer_compat.py``,
which names the attribute and typer's version. Nothing else in reformctl imports from
``typer.core``, ``typer.main``, ``typer._*`` or click (``tests/cli/test_typer_compat.py``
reads every import and attribute access to hold that).
"""

from __future__ import annotations

from collections.abc import Callable

import typer.core
from typer._click.core import Command as ClickCommand
from typer._click.core import Context as ClickContext
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup
from typer.main import get_command, get_command_name

__all__ = [
    "REQUIRED",
    "ClickCommand",
    "ClickContext",
    "HelpFormatter",
    "NoArgsIsHelpError",
    "TyperGroup",
    "UsageError",
    "get_command",
    "get_command_name",
    "set_gettext",
]

# (module, attribute path) of everything above and every method or attribute reformctl overrides
# or reads on those classes (``Class().name``: an attribute an instance sets): the test imports
# each module and follows each path, so a rename fails there by name instead of as a wrong word
# in a help page. Plain data: the test reads it without
# importing this module (whose own imports would fail first on a typer that moved them).
REQUIRED: tuple[tuple[str, str], ...] = (
    ("typer", "__version__"),
    ("typer.core", "_"),  # gettext: "Options", "default: …", "No such command …"
    ("typer.core", "TyperGroup"),
    ("typer.core", "TyperGroup.make_context"),
    ("typer.core", "TyperGroup.invoke"),
    ("typer.core", "TyperGroup.get_command"),
    ("typer.main", "get_command"),
    ("typer.main", "get_command_name"),  # a registered command's name (cli.app_for)
    ("typer._click.core", "Command"),
    ("typer._click.core", "Command.context_class"),
    ("typer._click.core", "Command.make_context"),
    ("typer._click.core", "Context"),
    ("typer._click.core", "Context.make_formatter"),
    ("typer._click.core", "Context().terminal_width"),
    ("typer._click.core", "Context().max_content_width"),
    ("typer._click.core", "Context.command_path"),
    ("typer._click.core", "Context.find_root"),
    ("typer._click.core", "Context.get_help"),
    ("typer._click.exceptions", "UsageError"),
    ("typer._click.exceptions", "UsageError.format_message"),
    ("typer._click.exceptions", "NoArgsIsHelpError"),
    ("typer._click.formatting", "HelpFormatter"),
    ("typer._click.formatting", "HelpFormatter.write_usage"),
    ("typer._click.formatting", "HelpFormatter.write_heading"),
    ("typer._click.formatting", "HelpFormatter.write_text"),
    ("typer._click.formatting", "HelpFormatter.write_dl"),
    ("typer._click.formatting", "HelpFormatter.write"),
    ("typer._click.formatting", "HelpFormatter().current_indent"),
    ("typer._click.formatting", "HelpFormatter().width"),
)


def set_gettext(gettext: Callable[[str], str]) -> None:
    """Have typer write its own words ("Options", "No such command …") through ``gettext``."""
    typer.core._ = gettext  # type: ignore[attr-defined,assignment]
