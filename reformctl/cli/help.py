"""`help [COMMAND]`: the help a clerk finds by asking for it, in the interface language."""

from __future__ import annotations

from typing import Annotated

import typer

from reformctl.cli.app import app
from reformctl.cli.typer_compat import UsageError


@app.command("help")
def help_command(
    ctx: typer.Context,
    command: Annotated[
        list[str] | None,
        typer.Argument(metavar="[COMMAND]...", help="A command, e.g. list or unit add."),
    ] = None,
) -> None:
    """Show the help of reformctl or of one command.

    Example: reformctl help unit add
    """

    target = ctx.find_root()
    for name in command or []:
        group = target.command
        sub = group.get_command(target, name) if hasattr(group, "get_command") else None
        if sub is None:
            raise UsageError(f"No such command '{name}'.", ctx)
        target = sub.make_context(name, [], parent=target, resilient_parsing=True)
    typer.echo(target.get_help())
