"""`notice`: supervision notices (督办通知) to the lead units, and `publicity`: the register of
reform publicity (改革宣传)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from reformctl.cli import choices, complete
from reformctl.cli.app import ForceOption, FormatOption, app, state
from reformctl.cli.mechanisms import OnOption, _list, views
from reformctl.cli.write import apply, date_arg
from reformctl.i18n import tr
from reformctl.lookup import resolve_all
from reformctl.model import NOTICE_KINDS


class NoticeFormat(StrEnum):
    docx = "docx"
    md = "md"
    txt = "txt"


@app.command("notice")
def notice(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for the notices.")
    ],
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            "-u",
            help="Only to this unit (key or name; repeatable).",
            autocompletion=complete.units,
        ),
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="red: overdue; yellow: behind; blue: due soon; all (the default).",
            show_default=False,
            callback=choices.NOTICE_KIND.callback,
            autocompletion=choices.NOTICE_KIND.complete,
        ),
    ] = "all",
    fmt: Annotated[
        NoticeFormat, typer.Option("--format", "-f", help="docx for sending; md or txt for OA.")
    ] = NoticeFormat.docx,
    record: Annotated[
        bool, typer.Option("--record", help="Record the notices in the ledger (numbers used).")
    ] = False,
    force: ForceOption = False,
    include_office: Annotated[
        bool,
        typer.Option("--include-office", help="Also to the office's own unit (office_unit)."),
    ] = False,
) -> None:
    """Supervision notices (督办通知), one per lead unit and colour: red for overdue milestones,
    yellow for points behind 序时进度, blue for milestones due soon. Numbered 闽改办督〔2026〕N号
    from the ledger's office_code; --record keeps the numbers so they are never reused and a
    second notice on a milestone says 再次督办. The office's own unit (office_unit) gets none
    unless --include-office (or --unit names it).

    Example: reformctl notice --kind red --out 督办 --record
    """
    # start-up: `check` does not load render.notice, notices
    from reformctl.notices import office_left_out
    from reformctl.render.notice import issue

    st = state(ctx)
    ledger = st.ledger()
    units = resolve_all("unit", ledger.units, unit or [], ledger.file)
    kinds = NOTICE_KINDS if kind == "all" else (kind,)
    found, files = issue(
        ledger,
        st.path(),
        st.today(),
        kinds=kinds,
        units=tuple(units),
        fmt=fmt.value,
        out=out,
        record=record,
        overwrite=force,
        lang=st.lang,
        include_office=include_office,
    )
    office = ledger.settings.office_unit
    left_out = office and not include_office and office not in units
    if office and left_out and office_left_out(ledger, st.today(), kinds):
        typer.echo(tr("n-office-left-out", st.lang, unit=ledger.unit_name(office)), err=True)
    if not found:
        typer.echo(tr("n-none", st.lang))
        return
    names = "、".join(p.name for p in files)
    if record:
        first, last = found[0].document_number, found[-1].document_number
        typer.echo(tr("n-recorded", st.lang, n=len(found), first=first, last=last, files=names))
    else:
        typer.echo(tr("n-written", st.lang, n=len(found), files=names))


publicity_app = typer.Typer(
    help="The register of reform publicity (改革宣传): releases, interviews, columns.",
    no_args_is_help=True,
)
app.add_typer(publicity_app, name="publicity")


@publicity_app.command("add")
def publicity_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="ID")],
    outlet: Annotated[str, typer.Option("--outlet", help="The outlet, e.g. 人民日报.")],
    level: Annotated[
        str,
        typer.Option(
            "--level",
            help="national | provincial | local | own",
            callback=choices.PUBLICITY_LEVEL.callback,
            autocompletion=choices.PUBLICITY_LEVEL.complete,
        ),
    ],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="release | interview | column | article | wechat",
            callback=choices.PUBLICITY_KIND.callback,
            autocompletion=choices.PUBLICITY_KIND.complete,
        ),
    ],
    title: Annotated[str, typer.Option("--title")],
    about: Annotated[
        str | None, typer.Option("--about", help="The work point or model case it is about.")
    ] = None,
    on: OnOption = None,
) -> None:
    """Register a piece of publicity: a release, an interview, a column, an article or a post on
    the office's WeChat account, in a national, provincial or local outlet or the office's own.

    Example: reformctl publicity add PR-01 --outlet 人民日报 --level national --kind column
    --title 林改再出发 --about R26-01
    """
    # start-up: `check` does not load ledger.registers
    from reformctl.ledger import registers

    apply(
        ctx,
        lambda src, today: registers.publicity_add(
            src,
            key,
            outlet=outlet,
            level=level,
            kind=kind,
            on=date_arg(on, "--on", today, src),
            title=title,
            about=about,
            today=today,
        ),
    )


@publicity_app.command("list")
def publicity_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """The publicity register, by date.

    Example: reformctl publicity list
    """
    _list(ctx, fmt, lambda st: views().publicity_view(st.ledger(), st.lang))
