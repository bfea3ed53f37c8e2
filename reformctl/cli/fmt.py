"""`fmt`: rewrite the ledger in canonical form, or only report whether it is."""

from __future__ import annotations

from typing import Annotated

import typer

from reformctl.cli.app import LedgerOption, app, state
from reformctl.errors import ExitCode


@app.command()
def fmt(
    ctx: typer.Context,
    check: Annotated[
        bool, typer.Option("--check", help="Only report; exit 1 if the file is not canonical.")
    ] = False,
    ledger_path: LedgerOption = None,
) -> None:
    """Rewrite the ledger in canonical form (whitespace only; comments and order are kept).

    Example: reformctl fmt --check
    """
    from reformctl.i18n import tr
    from reformctl.ledger.write import format_ledger

    st = state(ctx)
    if ledger_path is not None:
        st.ledger_option = ledger_path
    path = st.path()
    name, changed = format_ledger(path, write=not check)
    if check:
        typer.echo(tr("fmt-would-change" if changed else "fmt-unchanged", st.lang, file=name))
        if changed:
            raise typer.Exit(ExitCode.FINDINGS)
        return
    typer.echo(tr("fmt-changed" if changed else "fmt-unchanged", st.lang, file=name))
