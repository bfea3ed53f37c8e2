"""``workspace split|join``: one ledger into a workspace of files, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reformctl.cli.app import app, state
from reformctl.errors import ReformctlError
from reformctl.i18n import Choices, tr
from reformctl.ledger.config import is_config

workspace_app = typer.Typer(
    help="Workspaces (工作区): several ledger files read as one.", no_args_is_help=True
)
app.add_typer(workspace_app, name="workspace")


@workspace_app.command("split")
def split(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="group (专项小组) | city (市县)")] = "group",
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep ledger.toml (it is removed by default).")
    ] = False,
) -> None:
    """Split the ledger into a workspace beside it: reformctl.toml, shared.toml (settings,
    units, groups, registers) and one file per group (groups/KEY.toml) or per city
    (cities/CITY.toml). Comments move with their tables; nothing is written unless the
    workspace reads as exactly the same facts.

    Example: reformctl workspace split --by group
    """
    # start-up: `check` does not load ledger.split
    from reformctl.ledger.split import split_ledger

    if by not in ("group", "city"):
        raise ReformctlError(
            "bad-choice",
            what="workspace split",
            field="--by",
            value=by,
            allowed=Choices(("group", "city")),
        )
    st = state(ctx)
    path = st.path()
    if is_config(path):
        raise ReformctlError("workspace-already", file=str(path))
    written = split_ledger(path, by, keep)
    typer.echo(tr("workspace-split-done", st.lang, n=len(written) - 2, files="、".join(written)))
    if not keep:
        typer.echo(tr("workspace-split-removed", st.lang, file=path.name))


@workspace_app.command("join")
def join(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Default: ledger.toml beside reformctl.toml."),
    ] = None,
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep the workspace's files (removed by default).")
    ] = False,
) -> None:
    """Join a workspace back into one ledger, with every comment; nothing is written unless
    the ledger reads as exactly the workspace's facts.

    Example: reformctl workspace join
    """
    # start-up: `check` does not load ledger.split
    from reformctl.ledger.split import join_workspace

    st = state(ctx)
    path = st.path()
    if not is_config(path):
        raise ReformctlError("workspace-none", file=str(path))
    name, removed = join_workspace(path, out, keep)
    typer.echo(tr("workspace-join-done", st.lang, file=name, n=len(removed)))
