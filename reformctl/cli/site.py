"""`site`: the ledger as a static site, for leaders who never open a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reformctl.cli.app import app, state
from reformctl.i18n import tr
from reformctl.ledger.sitedir import write_site
from reformctl.render.escape import safe_path


@app.command()
def site(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="The folder to write the site to.")
    ],
) -> None:
    """Build a static, read-only site of the ledger (总览, units, groups, points, mechanisms),
    with rank changes and each fact's timeline from git history. DIR/index.html is the start.

    Example: reformctl site --out public
    """
    # start-up: `check` does not load render.site (html), sitedata (history)
    from reformctl.render.site import pages
    from reformctl.sitedata import build, read_history

    st = state(ctx)
    ledger = st.ledger()
    today = st.today()
    history = read_history(st.path(), ledger, today, st.lang)
    count = write_site(out, pages(build(ledger, today, history), st.lang))
    typer.echo(
        tr(
            "site-wrote",
            st.lang,
            out=safe_path(str(out)),
            pages=count,
            index=safe_path(str(out / "index.html")),
        )
    )
