"""`init`: create a new ledger (never overwrites)."""

from __future__ import annotations

from typing import Annotated

import typer

from reformctl.cli.app import app, state
from reformctl.i18n import tr
from reformctl.ledger.find import new_ledger_path


@app.command()
def init(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option("--year", min=2000, max=2100, help="The ledger's year (default: this year)."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Default: 〈year〉年全面深化改革工作要点台账.")
    ] = None,
    timezone: Annotated[
        str, typer.Option("--timezone", help="IANA timezone of the office.")
    ] = "Asia/Shanghai",
) -> None:
    """Create a new ledger file; refuses to overwrite an existing one.

    Example: reformctl init --year 2027
    """
    # start-up: `check` does not load ledger.write
    from reformctl.ledger.write import create_ledger

    st = state(ctx)
    path = new_ledger_path(st.ledger_option)
    year = year or st.today(timezone).year
    created = create_ledger(path, year, title or f"{year}年全面深化改革工作要点台账", timezone)
    typer.echo(tr("created", st.lang, file=created))
