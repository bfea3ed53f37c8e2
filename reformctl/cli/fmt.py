"""`fmt`: rewrite the ledger in canonical form, or only report whether it is."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reformctl.cli.app import LedgerOption, app, state
from reformctl.errors import ExitCode
from reformctl.i18n import tr
from reformctl.ledger.find import ledgers_of


@app.command()
def fmt(
    ctx: typer.Context,
    check: Annotated[
        bool, typer.Option("--check", help="Only report; exit 1 if the file is not canonical.")
    ] = False,
    ledger_path: LedgerOption = None,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE]...",
            help="Format the ledgers these files belong to (others, such as pyproject.toml, "
            "are ignored): what pre-commit passes.",
        ),
    ] = None,
) -> None:
    """Rewrite the ledger in canonical form (whitespace only; comments and order are kept).

    Example: reformctl fmt --check
    """
    # start-up: `check` does not load ledger.write
    from reformctl.ledger.write import format_all

    st = state(ctx)
    if ledger_path is not None:
        st.ledger_option = ledger_path
    if files is None:
        paths = [st.path()]
    else:
        paths = ledgers_of(files, Path(ledger_path) if ledger_path is not None else None)
    results = [found for path in paths for found in format_all(path, write=not check)]
    for name, changed in results:
        if check:
            message = "fmt-would-change" if changed else "fmt-unchanged"
        else:
            message = "fmt-changed" if changed else "fmt-unchanged"
        typer.echo(tr(message, st.lang, file=name))
    if check and any(changed for _, changed in results):
        raise typer.Exit(ExitCode.FINDINGS)
