"""The office's other mechanisms: agenda topics and meetings (议题储备库, 一会一主题), the rolling
library of grassroots pilots (基层创新项目滚动库), model cases (典型案例), outposts (前哨站)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import typer

from reformctl.cli import choices, complete
from reformctl.cli.app import ForceOption, FormatOption, State, app, refuse_overwrite, state
from reformctl.cli.write import apply, date_arg, group_key, unit_key
from reformctl.errors import ReformctlError
from reformctl.i18n import tr
from reformctl.ledger.parse import display_name
from reformctl.model import QUARTER_RE
from reformctl.render import emit
from reformctl.render import views as module

ViewResult = tuple[Any, list[dict[str, Any]]]

topic_app = typer.Typer(help="The agenda-topic reserve (议题储备库).", no_args_is_help=True)
meeting_app = typer.Typer(
    help="Reform-commission meetings, one theme each (一会一主题).", no_args_is_help=True
)
pilot_app = typer.Typer(
    help="The rolling library of grassroots innovation projects.", no_args_is_help=True
)
case_app = typer.Typer(
    help="Model cases and their replication (典型案例、复制推广).", no_args_is_help=True
)
outpost_app = typer.Typer(
    help="Outposts (前哨站、侦察岗) and their feedback.", no_args_is_help=True
)
feedback_app = typer.Typer(help="Feedback from the outposts.", no_args_is_help=True)
for sub, name in (
    (topic_app, "topic"),
    (meeting_app, "meeting"),
    (pilot_app, "pilot"),
    (case_app, "case"),
    (outpost_app, "outpost"),
    (feedback_app, "feedback"),
):
    app.add_typer(sub, name=name)


def views() -> ModuleType:
    """The view builders, imported when a list is asked for (not at start-up)."""

    return module


OnOption = Annotated[str | None, typer.Option("--on", metavar="DATE", help="Default: today.")]


def _list(ctx: typer.Context, fmt: object, view: Callable[[State], ViewResult]) -> None:
    """Build one list view from the loaded ledger and emit it in the chosen format."""

    table, records = view(state(ctx))
    emit(getattr(fmt, "value", None), lambda: table, lambda: records)


# -- topics and meetings
@topic_app.command("add")
def topic_add(
    ctx: typer.Context,
    tid: Annotated[str, typer.Argument(metavar="ID")],
    title: Annotated[str, typer.Option("--title")],
    group: Annotated[str | None, typer.Option("--group", autocompletion=complete.groups)] = None,
    unit: Annotated[str | None, typer.Option("--unit", autocompletion=complete.units)] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="e.g. a county's proposal (基层议改革).")
    ] = None,
) -> None:
    """Put an agenda topic in the reserve.

    Example: reformctl topic add T26-01 --title 深化林改再出发 --group ecology --source 沙县县委建议
    """
    # start-up: `check` does not load ledger.registers
    from reformctl.ledger import registers

    apply(
        ctx,
        lambda src, today: registers.topic_add(
            src,
            tid,
            title,
            group and group_key(src, group),
            unit and unit_key(src, unit),
            source,
        ),
    )


@topic_app.command("list")
def topic_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Agenda topics with their derived status: reserved, scheduled or discussed.

    Example: reformctl topic list --format json
    """
    _list(ctx, fmt, lambda st: views().topics_view(st.ledger(), st.today(), st.lang))


@meeting_app.command("add")
def meeting_add(
    ctx: typer.Context,
    mid: Annotated[str, typer.Argument(metavar="ID")],
    on: Annotated[str, typer.Option("--on", metavar="DATE")],
    theme: Annotated[
        str, typer.Option("--theme", help="The agenda topic it takes as its one theme.")
    ],
) -> None:
    """Record a reform-commission meeting and its one theme (a topic themes one meeting at most).

    Example: reformctl meeting add M26-01 --on 2026-03-20 --theme T26-01
    """
    # start-up: `check` does not load ledger.registers
    from reformctl.ledger import registers

    apply(
        ctx,
        lambda src, today: registers.meeting_add(src, mid, date_arg(on, "--on", today, src), theme),
    )


@meeting_app.command("list")
def meeting_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Meetings in date order, held or scheduled.

    Example: reformctl meeting list
    """
    _list(ctx, fmt, lambda st: views().meetings_view(st.ledger(), st.today(), st.lang))


# -- pilots
@pilot_app.command("add")
def pilot_add(
    ctx: typer.Context,
    pid: Annotated[str, typer.Argument(metavar="ID")],
    name: Annotated[str, typer.Option("--name")],
    place: Annotated[str, typer.Option("--place")],
    kind: Annotated[
        str,
        typer.Option("--kind", help="一市一试点 | 一县一特色 | 县域集成改革 | 重点领域集成改革"),
    ],
    unit: Annotated[
        str,
        typer.Option(
            "--unit", help="The responsible unit (a unit key).", autocompletion=complete.units
        ),
    ],
    since: Annotated[str, typer.Option("--since", metavar="DATE")],
    review_every: Annotated[
        int | None,
        typer.Option("--review-every", min=1, max=60, metavar="MONTHS", help="Default 6."),
    ] = None,
) -> None:
    """Add a project to the rolling library of grassroots innovation projects.

    Example: reformctl pilot add P-sx --name 林票 --place 沙县 --kind 一县一特色 --unit lyj --since 2026-01-15
    """  # noqa: E501  (one example line, as --help prints it)
    # start-up: `check` does not load ledger.registers
    from reformctl.ledger import registers

    apply(
        ctx,
        lambda src, today: registers.pilot_add(
            src,
            pid,
            name=name,
            place=place,
            kind=kind,
            unit=unit_key(src, unit),
            since=date_arg(since, "--since", today, src),
            review_every=review_every,
            today=today,
        ),
    )


@pilot_app.command("review")
def pilot_review(
    ctx: typer.Context,
    pid: Annotated[str, typer.Argument(metavar="ID")],
    rating: Annotated[str, typer.Option("--rating", help="优秀 | 良好 | 一般 | 退出")],
    on: OnOption = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Record a periodic review; a pilot rated 退出 leaves the active list (its history stays).

    Example: reformctl pilot review P-sx --rating 优秀 --on 2026-07-10
    """
    # start-up: `check` does not load ledger.registers
    from reformctl.ledger import registers

    apply(
        ctx,
        lambda src, today: registers.pilot_review(
            src, pid, date_arg(on, "--on", today, src), rating, note, today
        ),
        ("pilots", pid),
    )


@pilot_app.command("list")
def pilot_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Pilots with their derived status, those due for review first.

    Example: reformctl pilot list
    """
    _list(ctx, fmt, lambda st: views().pilots_view(st.ledger(), st.today(), st.lang))


# -- cases
@case_app.command("add")
def case_add(
    ctx: typer.Context,
    cid: Annotated[str, typer.Argument(metavar="ID")],
    title: Annotated[str, typer.Option("--title")],
    source: Annotated[
        str, typer.Option("--from", help="The pilot or work point it was drawn from.")
    ],
    theme: Annotated[str, typer.Option("--theme")],
    quarter: Annotated[str, typer.Option("--quarter", metavar="YYYY-Qn")],
    selection: Annotated[
        list[str] | None,
        typer.Option("--selection", help="十佳案例, 改革品牌, 试点典型...; repeat for more."),
    ] = None,
    practice: Annotated[str | None, typer.Option("--practice", help="做法: what was done.")] = None,
    step: Annotated[
        list[str] | None,
        typer.Option("--step", help="路径: one step of the path, in order; repeat for more."),
    ] = None,
    comment: Annotated[
        str | None, typer.Option("--comment", help="推广价值点评: why it is worth copying.")
    ] = None,
) -> None:
    """Record a model case distilled from a pilot or a point.

    Example: reformctl case add C26-01 --title 沙县林票 --from P-sx --theme 林改 --quarter 2026-Q3
    """
    # start-up: `check` does not load ledger.registers
    from reformctl.ledger import registers

    apply(
        ctx,
        lambda src, today: registers.case_add(
            src,
            cid,
            title=title,
            source=source,
            theme=theme,
            quarter=quarter,
            selections=selection or [],
            practice=practice,
            steps=step or [],
            comment=comment,
        ),
    )


@case_app.command("promote")
def case_promote(
    ctx: typer.Context,
    cid: Annotated[str, typer.Argument(metavar="ID")],
    to: Annotated[
        str, typer.Option("--to", help="Where: a bulletin issue, a city that adopted it.")
    ],
    on: OnOption = None,
) -> None:
    """Record that a case was published or copied somewhere (复制推广).

    Example: reformctl case promote C26-01 --to 《福建改革情况》2026年第9期 --on 2026-09-30
    """
    # start-up: `check` does not load ledger.registers
    from reformctl.ledger import registers

    apply(
        ctx,
        lambda src, today: registers.case_promote(
            src, cid, to, date_arg(on, "--on", today, src), today
        ),
        ("cases", cid),
    )


@case_app.command("list")
def case_list(
    ctx: typer.Context,
    quarter: Annotated[str | None, typer.Option("--quarter", metavar="YYYY-Qn")] = None,
    theme: Annotated[str | None, typer.Option("--theme")] = None,
    fmt: FormatOption = None,
) -> None:
    """Model cases by quarter, with their selections and promotions.

    Example: reformctl case list --quarter 2026-Q3
    """
    _list(ctx, fmt, lambda st: views().cases_view(st.ledger(), st.lang, quarter, theme))


@case_app.command("booklet")
def case_booklet(
    ctx: typer.Context,
    quarter: Annotated[str, typer.Option("--quarter", metavar="YYYY-Qn")],
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="FILE", help="The booklet: .docx, .md or .txt.")
    ],
    force: ForceOption = False,
) -> None:
    """The quarter's case booklet (典型案例汇编): cover, contents, the cases by theme, each with
    its 做法, its path as numbered steps, the 推广价值点评 and where it was selected, published
    or copied. A .docx needs the office (reformctl office set).

    Example: reformctl case booklet --quarter 2026-Q3 --out 2026年第三季度典型案例.docx
    """
    # start-up: `check` does not load render.booklet
    from reformctl.render.booklet import save

    st = state(ctx)
    if not QUARTER_RE.fullmatch(quarter):
        raise ReformctlError("bad-quarter-arg", value=quarter)
    refuse_overwrite(out, force)
    ledger = st.ledger()
    n = save(ledger, quarter, out, st.today(), st.lang, force)
    if not n:
        typer.echo(tr("b-none", st.lang, quarter=quarter))
        return
    typer.echo(tr("b-written", st.lang, file=display_name(out), n=n))


# -- outposts and feedback
@outpost_app.command("add")
def outpost_add(
    ctx: typer.Context,
    oid: Annotated[str, typer.Argument(metavar="ID")],
    name: Annotated[str, typer.Option("--name")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="county | enterprise",
            callback=choices.OUTPOST_KIND.callback,
            autocompletion=choices.OUTPOST_KIND.complete,
        ),
    ],
) -> None:
    """Register an outpost (前哨站/侦察岗): a county or an enterprise.

    Example: reformctl outpost add O-jj --name 晋江市 --kind county
    """
    # start-up: `check` does not load ledger.registers
    from reformctl.ledger import registers

    apply(ctx, lambda src, today: registers.outpost_add(src, oid, name, kind))


@outpost_app.command("list")
def outpost_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Outposts and how much feedback each has sent.

    Example: reformctl outpost list
    """
    _list(ctx, fmt, lambda st: views().outposts_view(st.ledger(), st.lang))


@feedback_app.command("add")
def feedback_add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What the outpost reported.")],
    outpost: Annotated[str, typer.Option("--outpost")],
    on: OnOption = None,
    point: Annotated[
        str | None, typer.Option("--point", help="The work point it is about.")
    ] = None,
) -> None:
    """Record feedback from an outpost, optionally on a work point (`show POINT` lists it).

    Example: reformctl feedback add --outpost O-jj --point R26-04 "免申即享兑现时间缩短"
    """
    # start-up: `check` does not load ledger.registers
    from reformctl.ledger import registers

    apply(
        ctx,
        lambda src, today: registers.feedback_add(
            src, outpost, date_arg(on, "--on", today, src), point, text, today
        ),
    )


@feedback_app.command("list")
def feedback_list(
    ctx: typer.Context,
    point: Annotated[str | None, typer.Option("--point")] = None,
    outpost: Annotated[str | None, typer.Option("--outpost")] = None,
    fmt: FormatOption = None,
) -> None:
    """Feedback from the outposts, by date.

    Example: reformctl feedback list --point R26-04
    """
    _list(ctx, fmt, lambda st: views().feedback_view(st.ledger(), st.lang, point, outpost))
