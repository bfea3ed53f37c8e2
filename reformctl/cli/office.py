"""The office's yearly work: `rollover` to next year, `export` and `import` of Excel 台账."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reformctl.cli.app import app, state


@app.command()
def rollover(
    ctx: typer.Context,
    to_year: Annotated[int, typer.Option("--to-year", min=2000, max=2100, help="Next year.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Default: ledger-YEAR.toml beside the ledger."),
    ] = None,
) -> None:
    """Start next year's ledger, carrying every unfinished point over with its open milestones
    (and carried_from naming where it came from). The old ledger is not touched.

    Example: reformctl rollover --to-year 2027
    """
    from reformctl.errors import InvalidLedger, ReformctlError
    from reformctl.i18n import tr
    from reformctl.ledger.read import display_name, load_text
    from reformctl.ledger.rollover import next_year_text, unfinished
    from reformctl.ledger.write import create_file

    st = state(ctx)
    ledger = st.ledger()
    if to_year <= ledger.settings.year:
        raise ReformctlError("rollover-year", year=to_year, current=ledger.settings.year)
    target = out or st.path().with_name(f"ledger-{to_year}.toml")
    text = next_year_text(ledger, to_year, display_name(st.path()))
    loaded = load_text(text, display_name(target))
    if loaded.problems:  # a ledger with undeclared references cannot be carried over as it is
        raise InvalidLedger(loaded.problems)
    create_file(target, text.encode("utf-8"))
    typer.echo(
        tr(
            "rolled-over",
            st.lang,
            file=display_name(target),
            year=to_year,
            n=len(unfinished(ledger)),
            total=len(ledger.points),
        )
    )
