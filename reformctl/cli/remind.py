"""`remind`: each unit's overdue and due-soon milestones, to its chat groups and mail."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from reformctl.cli import complete
from reformctl.cli.app import app, state
from reformctl.i18n import tr
from reformctl.lookup import resolve_all


class Channel(StrEnum):
    dingtalk = "dingtalk"
    wecom = "wecom"
    feishu = "feishu"
    email = "email"


@app.command("remind")
def remind(
    ctx: typer.Context,
    soon: Annotated[
        int | None,
        typer.Option(
            "--soon",
            min=0,
            max=366,
            metavar="DAYS",
            help="Milestones due within DAYS days too (default: the ledger's soon_days).",
        ),
    ] = None,
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            "-u",
            help="Only to this unit (key or name; repeatable).",
            autocompletion=complete.units,
        ),
    ] = None,
    via: Annotated[
        list[Channel] | None,
        typer.Option("--via", help="Only by this channel (repeatable)."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print what would be sent, secrets masked; send nothing."),
    ] = False,
    again: Annotated[
        bool, typer.Option("--again", help="Send even what was already sent today.")
    ] = False,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            metavar="FILE",
            help="Where what was sent is recorded (default: under $XDG_STATE_HOME/reformctl).",
        ),
    ] = None,
    office_digest: Annotated[
        bool,
        typer.Option("--office-digest", help="Also send the office the whole picture."),
    ] = False,
) -> None:
    """Send each unit one digest: its overdue milestones (most overdue first, 逾期N天) and
    those due within DAYS, by the DingTalk, WeCom and Feishu robots and the mail its
    [units.KEY.remind] table names. Once a day per unit and channel (--again sends again).
    Exit 0 when all were sent, 1 when any failed (named), 2 for bad input.

    Example: reformctl remind --dry-run
    """
    # start-up: `check` does not load remind.deliver (html)
    from reformctl.remind.deliver import remind as send_all

    st = state(ctx)
    ledger = st.ledger()
    units = resolve_all("unit", ledger.units, unit or [], ledger.file)
    outcomes = send_all(
        ledger,
        st.today(),
        st.lang,
        os.environ,
        typer.echo,
        soon=soon,
        units=tuple(units),
        via=tuple(c.value for c in via or ()),
        office_digest=office_digest,
        dry_run=dry_run,
        again=again,
        log_path=log,
    )
    failed = [o.message for o in outcomes if o.status == "failed"]
    if failed:
        names = "、".join(f"{m.digest.unit}/{m.channel}" for m in failed)
        print(tr("remind-some-failed", st.lang, n=len(failed), names=names), file=sys.stderr)
        raise typer.Exit(1)
