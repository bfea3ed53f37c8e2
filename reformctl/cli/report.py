"""`report half|year|quarter`: the circular, the year-end reckoning, the quarterly review."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reformctl.cli.app import (
    ForceOption,
    FormatOption,
    app,
    is_stdout,
    refuse_overwrite,
    state,
)
from reformctl.errors import ReformctlError
from reformctl.i18n import tr
from reformctl.ledger.parse import display_name

if TYPE_CHECKING:
    from reformctl.model import Ledger
    from reformctl.reportdata import AnyReport

report_app = typer.Typer(
    help="The office's documents: half-year circular, year-end reckoning, quarterly review.",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")

PeriodOption = Annotated[
    int | None, typer.Option("--period", "-p", help="Default: the current one.")
]
YearOption = Annotated[int | None, typer.Option("--year", help="Default: the ledger's year.")]
RecordOption = Annotated[
    bool,
    typer.Option(
        "--record",
        help=(
            "Number the .docx from the office's circular register (CODE〔YEAR〕N号) and record "
            "it in the ledger; without it the number is left blank. Each run is a new number."
        ),
    ),
]
FileOption = Annotated[
    str | None,
    typer.Option(
        "--file",
        metavar="FILE",
        help="In a workspace: only the points of this file (a group's or a city's circular).",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Write to FILE: .docx .md .html .xlsx .csv .json (default, or -: the terminal).",
    ),
]


def _run(
    ctx: typer.Context,
    kind: str,
    period: int | None,
    year: int | None,
    out: Path | None,
    force: bool,
    file: str | None = None,
    fmt: str | None = None,
    record: bool = False,
) -> None:
    import sys

    # start-up: `check` does not load render.report, reports.build, notices
    from reformctl.notices import require_office
    from reformctl.render.report import format_for, save, write_stdout
    from reformctl.reports import build

    st = state(ctx)
    if is_stdout(out):
        out = None  # as without --out: the report on standard output
    if out is not None and fmt is not None:
        raise ReformctlError("r-format-and-out")
    if out is not None:
        format_for(out)  # an unknown extension is refused before any work
    if record and (out is None or format_for(out) != "docx"):
        raise ReformctlError("r-record-needs-docx")
    if out is not None:
        refuse_overwrite(out, force)
    ledger = st.ledger()
    if out is not None and format_for(out) == "docx":
        require_office(ledger.settings)  # a 公文 is not sent under a made-up office
    today = st.today()
    if file is not None:
        # start-up: `check` does not load scope
        from reformctl.scope import one_file

        ledger = one_file(ledger, display_name(Path(file)))
    report = build.report(kind, ledger, year or ledger.settings.year, period, today)
    if out is None:
        write_stdout(report, fmt, st.lang, sys.stdout)
        return
    if record:
        number = _record(st, ledger, report, out, force)
        typer.echo(tr("r-recorded", st.lang, file=display_name(out), number=number))
        return
    save(report, out, st.lang, overwrite=force, settings=ledger.settings)
    typer.echo(tr("r-written", st.lang, file=display_name(out)))


def _record(st: Any, ledger: Ledger, report: AnyReport, out: Path, force: bool) -> str:
    """Number the circular from the office's register (CODE〔YEAR〕N号, YEAR the year it is
    written), render it, write it beside its place, record the number in one proven write,
    then put the file in place: a second run is a second document with a new number, and a
    document that cannot be written records nothing."""
    # start-up: `check` does not load ledger.registers, render.report, reports
    from reformctl.ledger import registers
    from reformctl.ledger.atomic import staged_file
    from reformctl.ledger.write import transact_at
    from reformctl.notices import require_office
    from reformctl.render.report import docx_of
    from reformctl.reports import circular_number, period_key

    _, code = require_office(ledger.settings)
    today = st.today()
    number = circular_number(st.ledger(), today.year)
    document_number = f"{code}〔{today.year}〕{number}号"
    data = docx_of(report, st.lang, ledger.settings, document_number)
    entry = registers.CircularEntry(
        f"{today.year}-{number:03d}",
        number,
        today,
        report.kind,
        period_key(report.period),
        document_number,
    )
    # the document is written beside its place first, so that a number is never recorded
    # for a document that could not be written; it is put in place once the number is
    with staged_file(out, data, overwrite=force):
        transact_at(st.path(), lambda src: registers.circular_record(src, entry))
    return document_number


@report_app.command("half")
def half(
    ctx: typer.Context,
    period: PeriodOption = None,
    year: YearOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    file: FileOption = None,
    fmt: FormatOption = None,
    record: RecordOption = False,
) -> None:
    """The half-year circular (半年通报): headline figures, rankings by unit and group, overdue
    milestones, extensions, points closed. As the ledger stood at the end of the half-year.

    Example: reformctl report half --period 1 --out 2026上半年通报.html
    """
    _run(ctx, "half", period, year, out, force, file, fmt, record)


@report_app.command("year")
def year_report(
    ctx: typer.Context,
    year: YearOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    file: FileOption = None,
    fmt: FormatOption = None,
    record: RecordOption = False,
) -> None:
    """The year-end reckoning (年终总账): every point closed or not, what carries over, each
    unit's account, the year's ranking.

    Example: reformctl report year --out 2026年终总账.xlsx
    """
    _run(ctx, "year", 1, year, out, force, file, fmt, record)


@report_app.command("quarter")
def quarter(
    ctx: typer.Context,
    period: PeriodOption = None,
    year: YearOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    file: FileOption = None,
    fmt: FormatOption = None,
    record: RecordOption = False,
) -> None:
    """The quarterly review of major items (按季盘点): milestones in the quarter, monthly entries
    present or missing (a missing month is a finding), status.

    Example: reformctl report quarter --period 3 --out 三季度盘点.md
    """
    _run(ctx, "quarter", period, year, out, force, file, fmt, record)
