"""Read commands: list, show, overdue, progress. Each parses, calls, renders."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from reformctl.cli import choices, complete
from reformctl.cli.app import FormatOption, app, state
from reformctl.cli.write import group_app, unit_app
from reformctl.errors import ReformctlError
from reformctl.i18n import Choices, tr
from reformctl.lookup import resolve
from reformctl.render import emit, emit_lines, emit_table
from reformctl.render.views import (
    groups_view,
    list_records,
    list_table,
    show_record,
    show_tables,
    units_view,
)
from reformctl.rules import nearest_ids
from reformctl.schedule import DayCounter, due_items, point_view, point_views

UnitFilter = Annotated[
    str | None,
    typer.Option(
        "--unit",
        "-u",
        help="Only points this unit (key or name) leads or co-operates on.",
        autocompletion=complete.units,
    ),
]
GroupFilter = Annotated[
    str | None,
    typer.Option(
        "--group",
        "-g",
        help="Only points of this group (key or name).",
        autocompletion=complete.groups,
    ),
]
MajorFilter = Annotated[
    bool, typer.Option("--major", help="Only major reform items (重大改革事项).")
]


def _check_filters(
    ctx: typer.Context, unit: str | None, group: str | None
) -> tuple[str | None, str | None]:
    """The filters' keys: a unit or group may be given by key or by name."""
    ledger = state(ctx).ledger()
    if unit is not None:
        unit = resolve("unit", ledger.units, unit, ledger.file)
    if group is not None:
        group = resolve("group", ledger.groups, group, ledger.file)
    return unit, group


@app.command("list")
def list_points(
    ctx: typer.Context,
    unit: UnitFilter = None,
    group: GroupFilter = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            "-s",
            help="not_started | ahead | on_track | behind | overdue | done | closed",
            callback=choices.STATUS.callback,
            autocompletion=choices.STATUS.complete,
        ),
    ] = None,
    major: MajorFilter = False,
    fmt: FormatOption = None,
) -> None:
    """List work points with their derived status and progress.

    Example: reformctl list --unit lyj --status overdue
    """

    st = state(ctx)
    ledger = st.ledger()
    unit, group = _check_filters(ctx, unit, group)
    today = st.today()
    views = [
        v
        for v in point_views(ledger, today)
        if (unit is None or v.point.lead == unit or unit in v.point.units)
        and (group is None or v.point.group == group)
        and (status is None or v.status == status)
        and (not major or v.point.major)
    ]
    emit(
        fmt and fmt.value,
        lambda: list_table(ledger, views, st.lang, today),
        lambda: list_records(views),
    )


@app.command()
def show(
    ctx: typer.Context,
    point: Annotated[
        str,
        typer.Argument(help="The work point's ID, e.g. R26-01.", autocompletion=complete.points),
    ],
    fmt: FormatOption = None,
) -> None:
    """Show one work point in full: fields, milestones, extensions, monthly progress.

    Example: reformctl show R26-01
    """
    import sys

    # start-up: `list` does not load render.json
    from reformctl.render.json import write_json

    st = state(ctx)
    ledger = st.ledger()
    found = ledger.points.get(point)
    if found is None:
        close = Choices(nearest_ids(ledger.points, point))
        hint = "did-you-mean-key" if close else None
        raise ReformctlError(
            "unknown-point", hint=hint, file=ledger.file, id=point, suggestion=close
        )
    today = st.today()
    view = point_view(found, today, ledger.settings.soon_days)
    fmt_value = fmt and fmt.value
    if fmt_value == "json":
        write_json(show_record(ledger, view, today), sys.stdout)
        return
    tables = show_tables(ledger, view, st.lang, today)
    if fmt_value == "csv":
        tables = tables[1:2]  # the milestones: the part a spreadsheet wants
    for i, table in enumerate(tables):
        if i:
            emit_lines([""])
        emit_table(table, fmt_value)


@app.command()
def overdue(
    ctx: typer.Context,
    soon: Annotated[
        int | None,
        typer.Option(
            "--soon",
            min=0,
            max=3660,
            metavar="DAYS",
            help="Also list milestones due within DAYS days.",
        ),
    ] = None,
    unit: UnitFilter = None,
    group: GroupFilter = None,
    major: MajorFilter = False,
    working_days: Annotated[
        bool,
        typer.Option("--working-days", help="Count lateness in Chinese working days (with 调休)."),
    ] = False,
    fmt: FormatOption = None,
) -> None:
    """Overdue milestones, most overdue first; with --soon, also those due within DAYS.

    Example: reformctl overdue --soon 7 --format json
    """
    # start-up: `list` does not load render.standing
    from reformctl.render.standing import due_record, overdue_table

    st = state(ctx)
    ledger = st.ledger()
    unit, group = _check_filters(ctx, unit, group)
    today = st.today()
    counter = DayCounter(working_days)
    items = due_items(ledger, today, soon, counter)
    if unit is not None or group is not None or major:  # (else each item kept: no test each)
        items = [
            i
            for i in items
            if (unit is None or i.point.lead == unit or unit in i.point.units)
            and (group is None or i.point.group == group)
            and (not major or i.point.major)
        ]
    _warn_fallback(st.lang, counter)
    emit(
        fmt and fmt.value,
        lambda: overdue_table(ledger, items, st.lang, today),
        lambda: [_at_due_line(due_record(i), i, st.load().index) for i in items],
    )


def _at_due_line(record: dict[str, Any], item: Any, index: Any) -> dict[str, Any]:
    """The record's ``line`` is the milestone's ``due`` line, where ``check`` points."""
    path = ("points", item.point.id, "milestones", item.milestone.key)
    loc = index.loc(path, "due")
    if getattr(index, "indexes", None) is not None:  # a workspace: which of its files
        record["file"] = loc.file
    record["line"] = loc.line
    return record


def _warn_fallback(lang: str, counter: object) -> None:
    for year in sorted(getattr(counter, "fallback_years", ())):
        typer.echo(tr("working-days-fallback", lang, year=year), err=True)


@app.command()
def progress(
    ctx: typer.Context,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            "-b",
            help="unit (lead units, the default) | group | point | coop (co-operating units)",
            show_default=False,
            callback=choices.PROGRESS_BY.callback,
            autocompletion=choices.PROGRESS_BY.complete,
        ),
    ] = "unit",
    fmt: FormatOption = None,
) -> None:
    """The ranked progress table (比进度): completion against expected progress (序时进度).

    Example: reformctl progress --by group
    """
    # start-up: `list` does not load ranking
    from reformctl.ranking import ranking

    # start-up: `list` does not load render.standing
    from reformctl.render.standing import progress_records, progress_table

    st = state(ctx)
    ledger = st.ledger()
    today = st.today()
    rows = ranking(ledger, today, by)
    emit(
        fmt and fmt.value,
        lambda: progress_table(ledger, rows, by, st.lang, today),
        lambda: progress_records(rows),
    )


@unit_app.command("list")
def unit_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """The declared units with the points and milestones each leads.

    Example: reformctl unit list
    """

    st = state(ctx)
    table, records = units_view(st.ledger(), st.lang)
    emit(fmt and fmt.value, lambda: table, lambda: records)


@group_app.command("list")
def group_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """The special working groups with their lead units and counts of points and milestones.

    Example: reformctl group list --format json
    """

    st = state(ctx)
    table, records = groups_view(st.ledger(), st.lang)
    emit(fmt and fmt.value, lambda: table, lambda: records)
