"""Reports to the terminal (rich), Markdown, CSV, JSON, HTML (print-ready), Excel or Word.
``--out FILE`` chooses by extension. Each takes the report's records and the reader's
language: the words come from :func:`reformctl.render.circular.shown`, the JSON is the records
(:func:`reformctl.render.circular.report_json`)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, TYPE_CHECKING

from reformctl.errors import ReformctlError
from reformctl.i18n import date_text
from reformctl.ledger.write import create_file, replace_file
from reformctl.render.circular import report_json, shown
from reformctl.render.console import make_console
from reformctl.render.document import Document, docx_bytes
from reformctl.render.escape import safe_line, visible
from reformctl.render.json import dumps, write_json
from reformctl.render.table import percent
from reformctl.render.terminal import print_table
from reformctl.render.text import write_csv, write_text
from reformctl.render.xlsx import workbook_bytes
from reformctl.spreadsheets import csv_cell, csv_line

if TYPE_CHECKING:
    from reformctl.render.circular import Shown
    from reformctl.render.document import Document
    from reformctl.reportdata import AnyReport

OUT_FORMATS = {
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".json": "json",
    ".docx": "docx",
}


def format_for(path: Path) -> str:
    fmt = OUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ReformctlError("r-bad-out", ext=path.suffix or path.name)
    return fmt


RICH_ROWS = 2000  # beyond this, rich's layout takes seconds: large sections print as plain text


def write_terminal(data: AnyReport, lang: str, stream: IO[str]) -> None:
    """Rich tables with warning lights on a terminal; plain text when piped (as `list` does)."""

    (_rich if stream.isatty() else _plain)(shown(data, lang), stream)


def _plain(report: Shown, stream: IO[str]) -> None:

    stream.write(f"{safe_line(report.title)}\n{safe_line(report.subtitle)}\n")
    for section in report.sections:
        stream.write("\n")
        write_text(section.table, "plain", stream)


def _rich(report: Shown, stream: IO[str]) -> None:
    console = make_console(stream)
    console.print(report.title, style="bold", markup=False)
    console.print(report.subtitle, style="dim", markup=False)
    for section in report.sections:
        console.print()
        if len(section.table.rows) > RICH_ROWS:
            write_text(section.table, "plain", stream)
        else:
            print_table(section.table, stream)


def write_stdout(data: AnyReport, fmt: str | None, lang: str, stream: IO[str]) -> None:
    """``--format``: table (rich), plain, markdown, csv or json (the records); by default rich
    tables on a terminal and plain text when piped."""
    if fmt is None:
        write_terminal(data, lang, stream)
        return

    if fmt == "json":
        write_json(report_json(data), stream)
    elif fmt == "table":
        _rich(shown(data, lang), stream)
    elif fmt == "plain":
        _plain(shown(data, lang), stream)
    elif fmt == "markdown":
        stream.write(markdown(shown(data, lang)))
    else:
        stream.write(csv_text(shown(data, lang)))


def markdown(report: Shown) -> str:
    out = io.StringIO()
    out.write(f"# {visible(report.title)}\n\n{safe_line(report.subtitle)}\n")
    for section in report.sections:
        out.write("\n")
        write_text(section.table, "markdown", out)
    return out.getvalue()


def csv_text(report: Shown) -> str:
    """Every section in turn; text that could start a formula is neutralised (as in every CSV)."""

    out = io.StringIO()
    out.write(csv_line([csv_cell(report.title)]))
    out.write(csv_line([csv_cell(report.subtitle)]))
    for section in report.sections:
        out.write("\n")
        out.write(csv_line([csv_cell(section.title)]))
        write_csv(section.table, out)
    return out.getvalue()


def document_of(report: Shown, lang: str) -> Document:
    """The report as a document (公文): title, period, then each section as a heading, the
    paragraphs written from its figures, its table and the identity the table obeys."""
    import datetime as dt

    def cell(value: object, bar: bool) -> str:
        if value is None:
            return ""
        if bar:
            return percent(value)
        if isinstance(value, dt.date):
            return date_text(value, lang)
        return str(value)

    doc = Document([])
    doc.add("title", report.title)
    doc.add("subtitle", report.subtitle)
    for section in report.sections:
        doc.add("heading1", section.title)
        for paragraph in section.narrative:
            doc.add("para", paragraph)
        table = section.table
        if table.rows:
            bars = [c.bar for c in table.columns]
            doc.add(
                "table",
                headers=[c.header for c in table.columns],
                rows=[[cell(v, b) for v, b in zip(row, bars, strict=True)] for row in table.rows],
            )
        for note in table.notes:
            doc.add("note", note)
    if report.office:
        doc.add("signature", report.office)
        doc.add("date", date_text(report.written, lang))
    return doc


def save(data: AnyReport, path: Path, lang: str, overwrite: bool = False) -> None:
    """Write the report to ``path`` in the format its extension names (atomically); an existing
    file is replaced only when ``overwrite``."""

    write = replace_file if overwrite else create_file

    fmt = format_for(path)
    if fmt == "json":
        write(path, (dumps(report_json(data)) + "\n").encode("utf-8"))
        return
    report = shown(data, lang)
    if fmt == "docx":
        write(path, docx_bytes(document_of(report, lang), title=report.title))
        return
    if fmt == "xlsx":
        write(path, workbook_bytes(report, lang))
        return
    if fmt == "html":
        # start-up: render.html imports html
        from reformctl.render.html import page

        text = page(report, lang)
    elif fmt == "markdown":
        text = markdown(report)
    else:
        write(path, csv_text(report).encode("utf-8-sig"))  # a BOM: Excel on Windows reads UTF-8
        return
    write(path, text.encode("utf-8"))
