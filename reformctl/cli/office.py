"""The office's yearly work: `rollover` to next year, `export` and `import` of Excel 台账."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from reformctl.cli import complete
from reformctl.cli.app import (
    ForceOption,
    app,
    is_stdout,
    refuse_overwrite,
    state,
    write_stdout,
)
from reformctl.i18n import label


@app.command()
def rollover(
    ctx: typer.Context,
    to_year: Annotated[int, typer.Option("--to-year", min=2000, max=2100, help="Next year.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Default: ledger-YEAR.toml beside the ledger."),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Start next year's ledger, carrying every unfinished point over with its open milestones
    (and carried_from naming where it came from). The old ledger is not touched.

    Example: reformctl rollover --to-year 2027
    """
    from reformctl.errors import InvalidLedger, ReformctlError
    from reformctl.i18n import tr
    from reformctl.ledger.read import display_name, load_text
    from reformctl.ledger.rollover import next_year_text, unfinished
    from reformctl.ledger.write import create_file, replace_file

    st = state(ctx)
    ledger = st.ledger()
    if to_year <= ledger.settings.year:
        raise ReformctlError("rollover-year", year=to_year, current=ledger.settings.year)
    target = out or st.path().with_name(f"ledger-{to_year}.toml")
    refuse_overwrite(target, force)
    from reformctl.ledger.revision import worktree_data

    # a workspace carries over into one ledger (`workspace split` it in its own folder)
    text = next_year_text(ledger, worktree_data(st.path()), to_year, display_name(st.path()))
    loaded = load_text(text, display_name(target))
    if loaded.problems:  # a ledger with undeclared references cannot be carried over as it is
        raise InvalidLedger(loaded.problems)
    (replace_file if force else create_file)(target, text.encode("utf-8"))
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


@app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An Excel 台账 (.xlsx) or a .csv export of one.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added; write nothing.")
    ] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Import the readable rows, leave the rest out.")
    ] = False,
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            help="The group for rows without a 专项小组 column.",
            autocompletion=complete.groups,
        ),
    ] = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Apply what changed in an exported or edited 台账 (one write)."
        ),
    ] = False,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="A unit's return: refuse rows of points it does not lead.",
            autocompletion=complete.units,
        ),
    ] = None,
) -> None:
    """Build or extend the ledger from an existing Excel 台账, mapping its Chinese headers
    (序号, 工作要点/改革任务, 牵头单位, 责任单位/配合单位, 实施路径, 成果形式, 完成时限,
    进展情况...).

    Nothing is written unless every row is understood (or --skip-bad); rows that cannot be read
    are listed with their row number. With --update, an exported 台账 edited in Excel comes
    back: done dates, evidence, this month's progress (本月进展), new milestones and points, as
    one verified write; --dry-run prints the change in the words `diff` uses.
    Example: reformctl import 2026台账.xlsx --dry-run
    """
    if update or unit is not None:
        _import_update(ctx, file, dry_run, group, unit)
        return
    from reformctl.errors import ReformctlError
    from reformctl.i18n import tr
    from reformctl.ledger import changes
    from reformctl.ledger.write import transact
    from reformctl.lookup import resolve
    from reformctl.render import Column, Table, emit_table
    from reformctl.render.console import progress
    from reformctl.spreadsheets import read_table
    from reformctl.tabular import plan_import

    st = state(ctx)
    ledger = st.ledger()
    if group is not None:
        group = resolve("group", ledger.groups, group, ledger.file)
    sheets = read_table(file)
    main = sheets.get("台账") or next(iter(sheets.values()))
    with progress(len(main), label("importing", st.lang)) as tick:
        plan = plan_import(
            main,
            ledger,
            default_group=group,
            units_sheet=sheets.get("单位", []),
            groups_sheet=sheets.get("专项小组", []),
            progress_sheet=sheets.get("月度进展", []),
            month=f"{st.today():%Y-%m}",
            tick=tick,
        )
    name = file.name
    for row, why in plan.bad_rows:
        typer.echo(tr("import-bad-row", st.lang, file=name, row=row, why=why), err=True)
    counts = {
        "points": len(plan.points),
        "milestones": plan.milestones,
        "units": len(plan.units),
        "groups": len(plan.groups),
    }
    if dry_run:
        table = Table(
            [
                Column(label("h-id", st.lang)),
                Column(label("h-title", st.lang)),
                Column(label("h-lead", st.lang)),
                Column(label("h-milestones", st.lang), align="right"),
            ]
        )
        for p in plan.points:
            table.add([p.id, p.title, p.lead, len(p.milestones)])
        emit_table(table, "plain")
        typer.echo(tr("import-plan", st.lang, **counts))
    if plan.bad_rows and not skip_bad:
        raise ReformctlError("import-refused", file=name, n=len(plan.bad_rows))
    if dry_run:
        return
    if not plan.points:
        raise ReformctlError("import-empty", file=name)
    for path, part, within in _parts(st.path(), ledger, plan):
        change = transact(path, partial(changes.import_tables, plan=part), within)
        typer.echo(tr(change.message, st.lang, **change.args))


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx | csv | json")] = "xlsx",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Default: ledger-YEAR.FORMAT; - for standard output."),
    ] = None,
    force: ForceOption = False,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="With --template: the unit whose return form this is.",
            autocompletion=complete.units,
        ),
    ] = None,
    template: Annotated[
        bool,
        typer.Option("--template", help="A unit's return form (填报表) to fill in and import."),
    ] = False,
) -> None:
    """Export the whole ledger: an Excel 台账 (sheets 台账, 单位, 专项小组, 月度进展), CSV or JSON.
    With --unit U --template: the unit's return form (its points only, ID columns locked, date
    checks, a 本月进展 column), to come back with `import FILE --update --unit U`.

    Example: reformctl export --format xlsx --out 2026台账.xlsx
    """
    if template or unit is not None:
        _export_template(ctx, unit, out, force)
        return
    import io

    from reformctl.errors import ReformctlError
    from reformctl.facts import ledger_json
    from reformctl.i18n import date_text, tr
    from reformctl.ledger.read import display_name
    from reformctl.ledger.write import create_file, replace_file
    from reformctl.render.console import progress
    from reformctl.render.json import dumps
    from reformctl.tabular import COLUMNS, export_rows, export_sheets

    if fmt not in ("xlsx", "csv", "json"):
        raise ReformctlError("bad-format", value=fmt, allowed="xlsx, csv, json")
    st = state(ctx)
    ledger = st.ledger()
    target = out or st.path().with_name(f"ledger-{ledger.settings.year}.{fmt}")
    refuse_overwrite(target, force)
    bar = progress(len(ledger.points), label("exporting", st.lang))
    if fmt == "json":
        data = (dumps(ledger_json(ledger)) + "\n").encode("utf-8")
    elif fmt == "csv":
        from reformctl.spreadsheets import write_csv

        buffer = io.StringIO()
        with bar as tick:
            rows = export_rows(ledger, tick)
        write_csv(buffer, [COLUMNS, *rows])  # text that could start a formula is neutralised
        data = buffer.getvalue().encode("utf-8-sig")  # with a BOM, so Excel reads it as UTF-8
    else:
        from reformctl.render.xlsx import sheets_bytes

        with bar as tick:
            sheets = export_sheets(ledger, tick)
        # the 台账 sheet as offices print it: its title and the day it stands at over the header
        as_of = tr("as-of", st.lang, day=date_text(st.today(), st.lang))
        data = sheets_bytes(sheets, {"台账": [ledger.settings.title, as_of]})
    if is_stdout(target):
        write_stdout(data, binary=fmt == "xlsx")
        return
    (replace_file if force else create_file)(target, data)
    typer.echo(tr("exported", st.lang, file=display_name(target)))


def _import_update(
    ctx: typer.Context, file: Path, dry_run: bool, group: str | None, unit: str | None
) -> None:
    import sys

    from reformctl.errors import ReformctlError
    from reformctl.facts import compare
    from reformctl.i18n import tr
    from reformctl.ledger import changes
    from reformctl.ledger.write import transact, workspace_context
    from reformctl.lookup import resolve
    from reformctl.render.diffview import write_diff
    from reformctl.spreadsheets import read_table
    from reformctl.tabular import plan_update

    st = state(ctx)
    ledger = st.ledger()
    today = st.today()
    if group is not None:
        group = resolve("group", ledger.groups, group, ledger.file)
    if unit is not None:
        unit = resolve("unit", ledger.units, unit, ledger.file)
    sheets = read_table(file)
    plan = plan_update(
        sheets.get("台账") or next(iter(sheets.values())),
        ledger,
        month=f"{today:%Y-%m}",
        today=today,
        unit=unit,
        progress_sheet=sheets.get("月度进展", []),
        default_group=group,
    )
    name = file.name
    for row, why in plan.outside:
        typer.echo(tr("import-outside", st.lang, file=name, row=row, why=why), err=True)
    for row, why in plan.bad_rows:
        typer.echo(tr("import-bad-row", st.lang, file=name, row=row, why=why), err=True)
    if plan.outside:
        raise ReformctlError("import-outside-refused", file=name, n=len(plan.outside))
    if plan.bad_rows:
        raise ReformctlError("import-update-refused", file=name, n=len(plan.bad_rows))
    if plan.empty:
        typer.echo(tr("import-nothing-changed", st.lang, file=name))
        return
    parts = _parts(st.path(), ledger, plan)
    if dry_run:
        diffs = []
        for path, part, within in parts:
            context = workspace_context(within, path) if within is not None else None
            old, new = changes.preview(
                path, partial(changes.import_update, plan=part, today=today), context
            )
            diffs += compare(old, new)
        write_diff(diffs, "plain", st.lang, ledger.file, name, ledger.file, sys.stdout)
        return
    for path, part, within in parts:
        change = transact(path, partial(changes.import_update, plan=part, today=today), within)
        typer.echo(tr(change.message, st.lang, **change.args))


def _parts(path: Path, ledger: Any, plan: Any) -> list[tuple[Path, Any, Any]]:
    """An import's writes: one to the ledger, or in a workspace one to each file that holds a
    part of it (each locked and proven on its own, in turn; every file is known before the
    first is written)."""
    from reformctl.ledger import workspace
    from reformctl.model import UpdatePlan

    if not workspace.is_config(path):
        return [(path, plan, None)]
    ws = workspace.read_config(path)
    if isinstance(plan, UpdatePlan):
        return [(f, part, ws) for f, part in workspace.update_parts(ws, ledger, plan)]
    return [(f, part, ws) for f, part in workspace.import_parts(ws, plan)]


def _export_template(ctx: typer.Context, unit: str | None, out: Path | None, force: bool) -> None:
    from reformctl.errors import ReformctlError
    from reformctl.i18n import date_text, tr
    from reformctl.ledger.read import display_name
    from reformctl.ledger.write import create_file, replace_file
    from reformctl.lookup import resolve
    from reformctl.render.xlsx import template_bytes
    from reformctl.tabular import template_rows

    if unit is None:
        raise ReformctlError("template-needs-unit")
    st = state(ctx)
    ledger = st.ledger()
    key = resolve("unit", ledger.units, unit, ledger.file)
    name = ledger.unit_name(key)
    today = st.today()
    target = out or st.path().with_name(f"{name}-填报表-{today:%Y-%m}.xlsx")
    if target.suffix.lower() != ".xlsx" and not is_stdout(target):
        raise ReformctlError("bad-format", value=target.suffix, allowed="xlsx")
    refuse_overwrite(target, force)
    headers, rows = template_rows(ledger, key, f"{today:%Y-%m}")
    title = tr("template-title", st.lang, unit=name, year=ledger.settings.year)
    as_of = tr("as-of", st.lang, day=date_text(today, st.lang))
    note = tr("template-note", st.lang, day=date_text(today, st.lang), unit=key)
    data = template_bytes(headers, rows, title, as_of, note, ledger.settings.year)
    if is_stdout(target):
        write_stdout(data, binary=True)
        return
    (replace_file if force else create_file)(target, data)
    typer.echo(tr("exported", st.lang, file=display_name(target)))
