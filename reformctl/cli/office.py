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
from reformctl.errors import InvalidLedger, ReformctlError
from reformctl.i18n import date_text, label, tr
from reformctl.ledger.config import is_config
from reformctl.ledger.find import explicit_path, new_ledger_path
from reformctl.ledger.parse import display_name
from reformctl.ledger.read import load_text
from reformctl.ledger.workspace import read_config
from reformctl.lookup import resolve
from reformctl.plans import UpdatePlan
from reformctl.render import Column, Table, emit_table
from reformctl.render.console import progress


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
    # start-up: `check` does not load ledger.rollover, ledger.write
    from reformctl.ledger.atomic import create_file, replace_file
    from reformctl.ledger.rollover import next_year_text, unfinished

    st = state(ctx)
    ledger = st.ledger()
    if to_year <= ledger.settings.year:
        raise ReformctlError("rollover-year", year=to_year, current=ledger.settings.year)
    target = out or st.path().with_name(f"ledger-{to_year}.toml")
    refuse_overwrite(target, force)
    # start-up: `check` does not load ledger.revision
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
    file: Annotated[
        Path, typer.Argument(help="A 台账 or 分工方案 (.xlsx, .xlsm, .xls, .ods, .csv, .docx).")
    ],
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
    year: Annotated[
        int | None,
        typer.Option("--year", min=2000, max=2100, help="A first import: the ledger's year."),
    ] = None,
    office: Annotated[
        str | None, typer.Option("--office", help="A first import: the office.")
    ] = None,
    office_code: Annotated[
        str | None, typer.Option("--office-code", help="A first import: 发文机关代字.")
    ] = None,
    office_unit: Annotated[
        str | None, typer.Option("--office-unit", help="A first import: the office's unit.")
    ] = None,
) -> None:
    """Build or extend the ledger from an existing Excel 台账: the header is found on any
    sheet, its Chinese names read (docs/import.md), group, 合计 and 备注 rows passed over.

    Nothing is written unless every row is understood (or --skip-bad); rows that cannot be read
    are listed by row and column. Where there is no ledger yet, import creates ledger.toml
    (year from --year or the deadlines). With --update, an exported 台账 edited in Excel comes
    back: done dates, evidence, this month's progress (本月进展), edits, new milestones and
    points, as one verified write; --dry-run prints the change in the words `diff` uses.
    Example: reformctl import 2026台账.xlsx --dry-run
    """
    # start-up: `check` does not load intake, ledger.changes, ledger.write
    from reformctl.intake import import_year, plan_import, read_table
    from reformctl.ledger import changes
    from reformctl.ledger.write import transact

    if update or unit is not None:
        _import_update(ctx, file, dry_run, skip_bad, group, unit)
        return
    st = state(ctx)
    first = _first_import_path(st)
    ledger = None if first is not None else st.ledger()
    given = [o for o, v in (("--year", year), ("--office", office), ("--office-code", office_code),
                            ("--office-unit", office_unit)) if v is not None]  # fmt: skip
    if ledger is not None and given:
        raise ReformctlError("intake-first-only", option=given[0], file=ledger.file)
    if group is not None and ledger is not None:
        group = resolve("group", ledger.groups, group, ledger.file)
    table = read_table(file)
    year = import_year(table, ledger, year, file.name)
    with progress(len(table.rows), label("importing", st.lang)) as tick:
        plan = plan_import(
            table, ledger, year=year, default_group=group, month=f"{st.today():%Y-%m}", tick=tick
        )
    name = file.name
    _report_reading(st.lang, name, table, plan.bad_rows)
    counts = {
        "points": len(plan.points),
        "milestones": plan.milestones,
        "units": len(plan.units),
        "groups": len(plan.groups),
    }
    if dry_run:
        _preview(st.lang, plan, ledger)
        if first is not None:
            typer.echo(
                tr("intake-first-plan", st.lang, ledger=first, title=table.title or "—", year=year)
            )
        typer.echo(tr("import-plan", st.lang, **counts))
    if plan.bad_rows and not skip_bad:
        raise ReformctlError("import-refused", file=name, n=len(plan.bad_rows))
    if dry_run:
        return
    if not plan.points:
        raise ReformctlError("import-empty", file=name)
    if first is not None:
        _create_from_import(st, first, table.title, year, plan, (office, office_code, office_unit))
        return
    for path, part, within in _parts(st.path(), ledger, plan):
        change = transact(path, partial(changes.import_tables, plan=part), within)
        typer.echo(tr(change.message, st.lang, **change.args))


def _first_import_path(st: Any) -> Path | None:
    """Where a first import creates the ledger: None where one exists."""

    explicit = explicit_path(st.ledger_option)
    if explicit is not None:
        return None if explicit.exists() else explicit
    try:
        st.path()
    except ReformctlError as exc:
        if exc.problem.code != "ledger-not-found":
            raise
        return new_ledger_path(None)
    return None


def _create_from_import(
    st: Any, path: Path, title: str, year: int, plan: Any, office: tuple[str | None, ...]
) -> None:
    # start-up: `check` does not load ledger.changes, ledger.write
    from reformctl.ledger import changes
    from reformctl.ledger.write import create_ledger, first_text, initial_text

    name, code, unit = office
    if unit is not None:
        keys = [k for k, n in plan.units.items() if unit in (k, n)]
        if not keys:
            raise ReformctlError("unknown-unit", hint="declare-unit", file=str(path), key=unit)
        unit = keys[0]
    title = title or f"{year}年全面深化改革工作要点台账"
    settings = {"office": name, "office_code": code, "office_unit": unit}
    head = initial_text(year, title, "Asia/Shanghai", settings)
    text = first_text(path, head, partial(changes.import_tables, plan=plan))
    created = create_ledger(path, year, title, "Asia/Shanghai", text)
    typer.echo(tr("intake-created", st.lang, ledger=created, year=year))
    counts = {
        "points": len(plan.points),
        "milestones": plan.milestones,
        "units": len(plan.units),
        "groups": len(plan.groups),
    }
    typer.echo(tr("imported", st.lang, **counts))


def _report_reading(lang: str, name: str, table: Any, bad: list[tuple[Any, Any]]) -> None:
    """The sheets read (where it is not the first alone), hidden twins passed over, and each
    row refused as ``FILE:SHEET:ROW:COL: why``."""
    # start-up: `check` does not load intake.table
    from reformctl.intake.table import column_letter

    for part in table.parts:
        header = part.header
        where = f"{name}:{part.name}" if part.name else name
        if header.rows == 0:  # a document table continuing the one before it
            before = next(p.name for p in table.parts if p.table == part.table)
            typer.echo(tr("intake-sheet-continued", lang, file=name, sheet=part.name,
                          first=before), err=True)  # fmt: skip
        elif len(table.parts) > 1 or not part.first:
            row = header.row + 1
            typer.echo(tr("intake-sheet", lang, file=name, sheet=part.name, row=row), err=True)
        for _, hidden, read in header.hidden_twins:
            typer.echo(
                tr(
                    "intake-hidden-twin",
                    lang,
                    file=where,
                    hidden=column_letter(hidden),
                    hidden_name=header.names[hidden],
                    column=column_letter(read),
                    name=header.names[read],
                ),
                err=True,
            )
    for sheet, twin in table.passed:
        code = "intake-hidden-sheet-twin" if twin else "intake-hidden-sheet-other"
        typer.echo(tr(code, lang, file=name, sheet=sheet, twin=twin), err=True)
    for place, why in bad:
        at = place.at(getattr(why, "column", None))
        typer.echo(tr("import-bad-row", lang, file=name, at=at, why=why), err=True)


def _preview(lang: str, plan: Any, ledger: Any) -> None:
    """The points an import adds, by name (units and groups the ledger or the plan names)."""

    units = {**({u.key: u.name for u in ledger.units.values()} if ledger else {}), **plan.units}
    table = Table(
        [
            Column(label("h-id", lang)),
            Column(label("h-title", lang)),
            Column(label("h-lead", lang)),
            Column(label("h-milestones", lang), align="right"),
        ]
    )
    for p in plan.points:
        table.add([p.id, p.title, units.get(p.lead, p.lead), len(p.milestones)])
    emit_table(table, "plain")


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

    # start-up: `check` does not load facts
    from reformctl.facts import ledger_json

    # start-up: `check` does not load ledger.write
    from reformctl.ledger.atomic import create_file, replace_file

    # start-up: `list` does not load render.json, tabular
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
        # start-up: `check` does not load spreadsheets
        from reformctl.spreadsheets import write_csv

        buffer = io.StringIO()
        with bar as tick:
            rows = export_rows(ledger, tick)
        write_csv(buffer, [COLUMNS, *rows])  # text that could start a formula is neutralised
        data = buffer.getvalue().encode("utf-8-sig")  # with a BOM, so Excel reads it as UTF-8
    else:
        # start-up: `check` does not load render.xlsx
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
    ctx: typer.Context,
    file: Path,
    dry_run: bool,
    skip_bad: bool,
    group: str | None,
    unit: str | None,
) -> None:
    import sys

    # start-up: `check` does not load facts
    from reformctl.facts import compare

    # start-up: `check` does not load intake, ledger.changes, ledger.write, render.diffview
    from reformctl.intake import read_for_update
    from reformctl.ledger import changes
    from reformctl.ledger.write import transact, workspace_context
    from reformctl.render.diffview import write_diff

    st = state(ctx)
    ledger = st.ledger()
    today = st.today()
    if group is not None:
        group = resolve("group", ledger.groups, group, ledger.file)
    if unit is not None:
        unit = resolve("unit", ledger.units, unit, ledger.file)
    table, plan = read_for_update(file, ledger, today=today, unit=unit, default_group=group)
    name = file.name
    for place, why in plan.outside:
        at = place.at(why.column)
        typer.echo(tr("import-outside", st.lang, file=name, at=at, why=why), err=True)
    _report_reading(st.lang, name, table, plan.bad_rows)
    if plan.outside:
        raise ReformctlError("import-outside-refused", file=name, n=len(plan.outside))
    if plan.bad_rows and not skip_bad:
        raise ReformctlError("import-update-refused", file=name, n=len(plan.bad_rows))
    if plan.bad_rows:
        typer.echo(tr("intake-skipped-listed", st.lang, file=name, n=len(plan.bad_rows)), err=True)
    if plan.empty:
        typer.echo(tr("import-nothing-changed", st.lang, file=name))
        return
    parts = _parts(st.path(), ledger, plan)
    if dry_run:
        diffs = []
        names = {u.key: u.name for u in ledger.units.values()}
        for path, part, within in parts:
            context = workspace_context(within, path) if within is not None else None
            old, new = changes.preview(
                path, partial(changes.import_update, plan=part, today=today), context
            )
            diffs += compare(old, new)
        write_diff(
            diffs, "plain", st.lang, ledger.file, name, ledger.file, sys.stdout,
            lambda key: names.get(key, key),
        )  # fmt: skip
        return
    for path, part, within in parts:
        change = transact(path, partial(changes.import_update, plan=part, today=today), within)
        typer.echo(tr(change.message, st.lang, **change.args))


def _parts(path: Path, ledger: Any, plan: Any) -> list[tuple[Path, Any, Any]]:
    """An import's writes: one to the ledger, or in a workspace one to each file that holds a
    part of it (each locked and proven on its own, in turn; every file is known before the
    first is written)."""
    # start-up: `check` does not load ledger.route
    from reformctl.ledger.route import import_parts, update_parts

    if not is_config(path):
        return [(path, plan, None)]
    ws = read_config(path)
    if isinstance(plan, UpdatePlan):
        return [(f, part, ws) for f, part in update_parts(ws, ledger, plan)]
    return [(f, part, ws) for f, part in import_parts(ws, plan)]


def _export_template(ctx: typer.Context, unit: str | None, out: Path | None, force: bool) -> None:
    # start-up: `check` does not load ledger.write, render.xlsx, tabular
    from reformctl.ledger.atomic import create_file, replace_file
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
