"""Write commands: declare units and groups, add points and milestones, record facts, correct
mistakes. Each parses its arguments and hands one planning function to ``transact``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from reformctl import clock
from reformctl.cli import complete
from reformctl.cli.app import app, state
from reformctl.clock import parse_date, parse_month
from reformctl.errors import ReformctlError
from reformctl.i18n import tr
from reformctl.lookup import resolve
from reformctl.model import DEFAULT_TIMEZONE

if TYPE_CHECKING:
    from reformctl.ledger.changes import Change
    from reformctl.ledger.edit import Source

unit_app = typer.Typer(help="Responsible units (责任单位): declare, list.", no_args_is_help=True)
group_app = typer.Typer(
    help="Special working groups (专项工作小组): declare, list.", no_args_is_help=True
)
point_app = typer.Typer(help="Add or remove work points (工作要点).", no_args_is_help=True)
milestone_app = typer.Typer(help="Add or remove milestones (节点).", no_args_is_help=True)
app.add_typer(unit_app, name="unit")
app.add_typer(group_app, name="group")
app.add_typer(point_app, name="point")
app.add_typer(milestone_app, name="milestone")

Ref = Annotated[
    str,
    typer.Argument(
        metavar="POINT/MS", help="Milestone, e.g. R26-01/plan.", autocompletion=complete.milestones
    ),
]
PointId = Annotated[
    str,
    typer.Argument(
        metavar="POINT", help="Work point ID, e.g. R26-01.", autocompletion=complete.points
    ),
]
Force = Annotated[bool, typer.Option("--force", help="Also when facts are recorded on it.")]


def apply(
    ctx: typer.Context,
    build: Callable[[Source, dt.date], Change],
    at: tuple[str, ...] | None = None,
) -> None:
    """Run one write: ``build`` gets the source and today (in the ledger's timezone). In a
    workspace the write goes to the file that holds table ``at`` (("points", ID)); ("groups",
    KEY) is a new point's group; None is the shared file (declarations, registers)."""
    # start-up: `check` does not load ledger.write
    from reformctl.ledger.write import transact_at

    st = state(ctx)
    pinned = clock.pinned_today(st.today_option)

    def plan(src: Source) -> Change:
        settings = src.data(("ledger",)) or {}
        st.ledger_lang = settings.get("lang")
        return build(src, clock.today(settings.get("timezone") or DEFAULT_TIMEZONE, pinned))

    change = transact_at(st.path(), plan, at)
    typer.echo(tr(change.message, st.lang, **change.args))


def unit_key(src: Source, value: str) -> str:
    """A unit given by key or by name, as its key (unknown: the nearest matches)."""
    return resolve("unit", src.data(("units",)) or {}, value, src.name, declare=True)


def group_key(src: Source, value: str) -> str:
    return resolve("group", src.data(("groups",)) or {}, value, src.name, declare=True)


def split_ref(ref: str) -> tuple[str, str]:
    point, sep, key = ref.partition("/")
    if not sep or not point or not key:
        raise ReformctlError("bad-ref", value=ref)
    return point, key


def ledger_year(src: Source) -> int | None:
    """The ledger's year, which completes a date typed without one (``6月30日``)."""
    year = (src.data(("ledger",)) or {}).get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def date_arg(
    value: str | None, option: str, default: dt.date, src: Source | None = None
) -> dt.date:
    """A day typed for ``option`` (default ``default``), in every form offices write one; the
    ledger's year (from ``src``) completes ``6月30日``."""

    year = ledger_year(src) if src is not None else None
    return default if value is None else parse_date(value, option, year=year)


def deadline_arg(value: str, option: str, src: Source) -> dt.date:
    """A deadline typed for ``option``: a day or a phrase such as ``6月底前`` or ``第三季度``."""

    return parse_date(value, option, deadline=True, year=ledger_year(src))


# -- declarations ----------------------------------------------------------------------------------
@unit_app.command("add")
def unit_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Short key, e.g. fgw.")],
    name: Annotated[str, typer.Argument(help="Full name, e.g. 省发改委.")],
) -> None:
    """Declare a unit, after the last declared unit.

    Example: reformctl unit add gat 省公安厅
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    apply(ctx, lambda src, today: changes.unit_add(src, key, name))


@group_app.command("add")
def group_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Short key, e.g. economy.")],
    name: Annotated[str, typer.Argument(help="Full name of the group.")],
    lead: Annotated[
        str,
        typer.Option(
            "--lead", help="The group's lead unit (key or name).", autocompletion=complete.units
        ),
    ],
) -> None:
    """Declare a special working group with its lead unit.

    Example: reformctl group add health 医药卫生体制改革专项小组 --lead wjw
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    apply(ctx, lambda src, today: changes.group_add(src, key, name, unit_key(src, lead)))


@point_app.command("add")
def point_add(
    ctx: typer.Context,
    point: PointId,
    title: Annotated[str, typer.Option("--title", help="The work point (工作要点).")],
    group: Annotated[
        str,
        typer.Option("--group", help="Its group (key or name).", autocompletion=complete.groups),
    ],
    lead: Annotated[
        str,
        typer.Option(
            "--lead", help="Lead unit, 牵头单位 (key or name).", autocompletion=complete.units
        ),
    ],
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            "-u",
            help="A co-operating unit; repeat for more.",
            autocompletion=complete.units,
        ),
    ] = None,
    path: Annotated[str, typer.Option("--path", help="Implementation path (实施路径).")] = "",
    outcome: Annotated[str, typer.Option("--outcome", help="Outcome form (成果形式).")] = "",
    major: Annotated[
        bool, typer.Option("--major", help="A major reform item (重大改革事项).")
    ] = False,
) -> None:
    """Add a work point, in ID order among the points.

    Example: reformctl point add R26-23 --title 深化林改 --group ecology --lead lyj -u czt --major
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    apply(
        ctx,
        lambda src, today: changes.point_add(
            src,
            point,
            title=title,
            group=group_key(src, group),
            lead=unit_key(src, lead),
            units=[unit_key(src, u) for u in unit or []],
            path=path,
            outcome=outcome,
            major=major,
        ),
        ("groups", group),
    )


@point_app.command("remove")
def point_remove(ctx: typer.Context, point: PointId, force: Force = False) -> None:
    """Remove a work point added in error, with its milestones and progress entries.

    Refused when milestones are done, progress is logged or it is closed, unless --force.

    Example: reformctl point remove R26-23
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    apply(ctx, lambda src, today: changes.remove_point(src, point, force), ("points", point))


@milestone_app.command("add")
def milestone_add(
    ctx: typer.Context,
    ref: Ref,
    name: Annotated[str, typer.Option("--name", help="What is to be done by the date.")],
    due: Annotated[
        str,
        typer.Option("--due", metavar="DATE", help="Due date (完成时限)."),
    ],
) -> None:
    """Add a milestone to a point, after its last milestone.

    Example: reformctl milestone add R26-01/summary --name 形成年度成果报告 --due 2026-12-20
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    point, key = split_ref(ref)
    apply(
        ctx,
        lambda src, today: changes.milestone_add(
            src, point, key, name, deadline_arg(due, "--due", src)
        ),
        ("points", point),
    )


@milestone_app.command("remove")
def milestone_remove(ctx: typer.Context, ref: Ref, force: Force = False) -> None:
    """Remove a milestone added in error (refused when it is done, unless --force).

    Example: reformctl milestone remove R26-01/summary
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    point, key = split_ref(ref)
    apply(
        ctx,
        lambda src, today: changes.remove_milestone(src, point, key, force),
        ("points", point),
    )


# -- facts -----------------------------------------------------------------------------------------
@app.command()
def done(
    ctx: typer.Context,
    ref: Ref,
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="Default: today.")] = None,
    evidence: Annotated[
        str | None, typer.Option("--evidence", "-e", help="Document number, e.g. 闽政〔2026〕12号.")
    ] = None,
) -> None:
    """Record a milestone as done, with its evidence.

    Example: reformctl done R26-02/salary --evidence 闽政〔2026〕12号
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    point, key = split_ref(ref)
    apply(
        ctx,
        lambda src, today: changes.done(
            src, point, key, date_arg(on, "--on", today, src), evidence, today
        ),
        ("points", point),
    )


@app.command()
def undone(ctx: typer.Context, ref: Ref) -> None:
    """Undo a `done` recorded by mistake (removes its date and evidence).

    Example: reformctl undone R26-02/salary
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    point, key = split_ref(ref)
    apply(ctx, lambda src, today: changes.undone(src, point, key), ("points", point))


@app.command()
def extend(
    ctx: typer.Context,
    ref: Ref,
    to: Annotated[str, typer.Option("--to", metavar="DATE", help="The new due date.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (申请延期理由).")],
    approved_by: Annotated[
        str | None,
        typer.Option(
            "--approved-by", help="The approving unit (key or name).", autocompletion=complete.units
        ),
    ] = None,
    approved_on: Annotated[
        str | None,
        typer.Option(
            "--approved-on",
            metavar="DATE",
            help="The day the extension was approved. Default: today.",
        ),
    ] = None,
) -> None:
    """Grant an extension (延期): the new due date is recorded beside the baseline, which stays.

    Example: reformctl extend R26-02/salary --to 2026-12-31 --reason 待核定 --approved-by ggb
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    point, key = split_ref(ref)
    apply(
        ctx,
        lambda src, today: changes.extend(
            src,
            point,
            key,
            deadline_arg(to, "--to", src),
            reason,
            approved_by and unit_key(src, approved_by),
            today,
            date_arg(approved_on, "--approved-on", today, src),
        ),
        ("points", point),
    )


@app.command()
def log(
    ctx: typer.Context,
    point: PointId,
    text: Annotated[str, typer.Argument(help="This month's progress (月度进展).")],
    month: Annotated[
        str | None,
        typer.Option("--month", metavar="MONTH", help="Default: this month."),
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the month's entry.")] = False,
) -> None:
    """Record a monthly progress entry (月度进展) for a point.

    Example: reformctl log R26-02 "薪酬方案提交审议" --month 2026-11
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    def month_of(src: Source, today: dt.date) -> str:
        return f"{today:%Y-%m}" if month is None else parse_month(month, year=ledger_year(src))

    apply(
        ctx,
        lambda src, today: changes.log(src, point, text, month_of(src, today), today, replace),
        ("points", point),
    )


@app.command()
def close(
    ctx: typer.Context,
    point: PointId,
    evidence: Annotated[str, typer.Option("--evidence", "-e", help="The evidence for 销号.")],
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="Default: today.")] = None,
) -> None:
    """Close and strike off a point (结项销号); refused while milestones are open.

    Example: reformctl close R26-09 --evidence 闽改办〔2026〕23号
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    apply(
        ctx,
        lambda src, today: changes.close(
            src, point, evidence, date_arg(on, "--on", today, src), today
        ),
        ("points", point),
    )


@app.command()
def reopen(ctx: typer.Context, point: PointId) -> None:
    """Undo a `close` recorded by mistake.

    Example: reformctl reopen R26-09
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    apply(ctx, lambda src, today: changes.reopen(src, point), ("points", point))


@app.command()
def edit(
    ctx: typer.Context,
    target: Annotated[
        str,
        typer.Argument(
            metavar="POINT[/MS]",
            help="A point or a milestone.",
            autocompletion=complete.points_or_milestones,
        ),
    ],
    title: Annotated[str | None, typer.Option("--title")] = None,
    group: Annotated[str | None, typer.Option("--group", autocompletion=complete.groups)] = None,
    lead: Annotated[str | None, typer.Option("--lead", autocompletion=complete.units)] = None,
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            "-u",
            help="Co-operating units (replace them all).",
            autocompletion=complete.units,
        ),
    ] = None,
    no_units: Annotated[bool, typer.Option("--no-units", help="No co-operating units.")] = False,
    path: Annotated[str | None, typer.Option("--path")] = None,
    outcome: Annotated[str | None, typer.Option("--outcome")] = None,
    major: Annotated[bool | None, typer.Option("--major/--not-major")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Milestone name.")] = None,
    due: Annotated[
        str | None,
        typer.Option("--due", metavar="DATE", help="Milestone baseline due date."),
    ] = None,
) -> None:
    """Correct a mistake in a point's or a milestone's fields; only the given fields change.

    Example: reformctl edit R26-01 --title 深化集体林权制度改革 --lead lyj
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    if "/" in target:
        point, key = split_ref(target)
        wrong = [
            o
            for o, v in (
                ("--title", title),
                ("--group", group),
                ("--lead", lead),
                ("--path", path),
                ("--outcome", outcome),
            )
            if v is not None
        ]
        if wrong or unit or no_units or major is not None:
            raise ReformctlError(
                "edit-wrong-field", target=target, options=", ".join(wrong) or "--unit/--major"
            )

        def milestone_fields(src: Source) -> dict[str, object]:
            fields: dict[str, object] = {} if name is None else {"name": name}
            if due:
                fields["due"] = deadline_arg(due, "--due", src)
            return fields

        apply(
            ctx,
            lambda src, today: changes.edit_milestone(src, point, key, milestone_fields(src)),
            ("points", point),
        )
        return
    if name is not None or due is not None:
        raise ReformctlError("edit-wrong-field", target=target, options="--name/--due")
    point_fields: dict[str, object] = {
        k: v
        for k, v in (
            ("title", title),
            ("group", group),
            ("lead", lead),
            ("path", path),
            ("outcome", outcome),
            ("major", major),
        )
        if v is not None
    }
    if unit or no_units:
        point_fields["units"] = [] if no_units else list(unit or [])

    def by_key(src: Source, today: dt.date) -> Change:
        fields = dict(point_fields)
        if group is not None:
            fields["group"] = group_key(src, group)
        if lead is not None:
            fields["lead"] = unit_key(src, lead)
        if unit:
            fields["units"] = [unit_key(src, u) for u in unit]
        return changes.edit_point(src, target, fields)

    apply(ctx, by_key, ("points", target))
