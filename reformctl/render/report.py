"""Reports to the terminal (rich), Markdown, CSV, JSON, HTML (print-ready), Excel or Word.
``--out FILE`` chooses by extension. Each takes the report's records and the reader's
language: the words come from :func:`reformctl.render.circular.shown`, the JSON is the records
(:func:`reformctl.render.circular.report_json`)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from reformctl.errors import ReformctlError
from reformctl.i18n import date_text, tr
from reformctl.ledger.atomic import create_file, replace_file
from reformctl.render.circular import report_json, shown
from reformctl.render.console import make_console
from reformctl.render.document import Document, docx_bytes
from reformctl.render.escape import safe_line, visible
from reformctl.render.json import dumps, write_json
from reformctl.render.notice import add_record
from reformctl.render.table import percent
from reformctl.render.terminal import print_table
from reformctl.render.text import write_csv, write_text
from reformctl.render.xlsx import workbook_bytes
from reformctl.spreadsheets import csv_cell, csv_line

if TYPE_CHECKING:
    from reformctl.model import Settings
    from reformctl.render.circular import Shown
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


# sections a table reads better in, kept in the body; the others' lists go to an 附件
BODY_TABLES = ("ranking_unit", "ranking_group")


def document_of(
    report: Shown, lang: str, settings: Settings | None = None, number: str | None = None
) -> Document:
    """The report as a 公文 (GB/T 9704-2012): 版头 (the office in red), 发文字号 (``number``,
    drawn from the circulars' register by `report … --record`; else left blank for the clerk
    who registers it), red rule, title (关于……的通报), 主送; the
    figures in sentences (no table of figures, no formula lines); the rankings as tables; each
    long list as an 附件 after the 落款, named in the body (附件说明); then the 版记 (抄送,
    印发机关和印发日期). Without ``settings`` (no office) the document has no 版头 and no 版记."""
    import datetime as dt

    def cell(value: object, bar: bool) -> str:
        if value is None:
            return ""
        if bar:
            return percent(value)
        if isinstance(value, dt.date):
            return date_text(value, lang)
        return str(value)

    def rows_of(table: Any) -> dict[str, Any]:
        bars = [c.bar for c in table.columns]
        return {
            "headers": [c.header for c in table.columns],
            "rows": [[cell(v, b) for v, b in zip(row, bars, strict=True)] for row in table.rows],
        }

    office = settings.office if settings else None
    doc = Document([])
    if office and settings and settings.office_code:
        doc.add("banner", office)
        blank = tr("doc-number-blank", lang, office_code=settings.office_code, year=report.year)
        doc.add("number", number or blank)
    doc.add("title", report.document_title or report.title)
    doc.add("to", tr("doc-to", lang))
    annexes: list[tuple[str, Any]] = []
    for section in report.sections:
        doc.add("heading1", section.title)
        for paragraph in section.narrative:
            doc.add("para", paragraph)
        table = section.table
        if section.key == "headline":
            continue  # the figures are in the sentences above
        if section.key in BODY_TABLES:
            if table.rows:
                doc.add("table", **rows_of(table))
            for note in table.notes:
                doc.add("note", note)
            continue
        name = _annex_name(section.title)
        if table.rows:
            annexes.append((name, table))
            if section.outline and section.outline_lead:
                day, n = section.outline_lead
                doc.add("para", tr("r-o-lead", lang, day=day, n=n, i=len(annexes)))
            else:
                doc.add("para", tr("doc-see-annex", lang, n=len(table.rows), i=len(annexes)))
            for level, text in section.outline:
                doc.add(f"heading{level}", text)
        else:
            doc.add("para", tr("doc-none", lang))
    for i, (name, _) in enumerate(annexes, 1):
        numbered = name if len(annexes) == 1 else f"{i}.{name}"
        if i == 1:
            doc.add("annex-note", tr("doc-annex-note", lang, title=numbered))
        else:
            doc.add("annex-more", numbered)
    if office:
        doc.add("signature", office)
    doc.add("date", date_text(report.written, lang))
    for i, (name, table) in enumerate(annexes, 1):
        doc.add("annex", tr("doc-annex", lang) + (str(i) if len(annexes) > 1 else ""))
        doc.add("annex-title", name)
        doc.add("table", **rows_of(table))
        for note in table.notes:
            doc.add("note", note)
    if settings is not None:
        add_record(doc, settings.cc, settings.issuer or office, report.written, lang)
    return doc


def _annex_name(title: str) -> str:
    """A section's title without its number (四、逾期未完成节点 → 逾期未完成节点)."""
    return re.sub(r"^(?:[一二三四五六七八九十]+、|\d+\.\s*)", "", title)


def docx_of(
    data: AnyReport, lang: str, settings: Settings | None = None, number: str | None = None
) -> bytes:
    """The report as a .docx 公文, numbered ``number`` (CODE〔YEAR〕N号) or with a blank one."""
    report = shown(data, lang)
    doc = document_of(report, lang, settings, number)
    return docx_bytes(doc, title=report.document_title or report.title)


def save(
    data: AnyReport,
    path: Path,
    lang: str,
    overwrite: bool = False,
    settings: Settings | None = None,
) -> None:
    """Write the report to ``path`` in the format its extension names (atomically); an existing
    file is replaced only when ``overwrite``."""

    write = replace_file if overwrite else create_file

    fmt = format_for(path)
    if fmt == "json":
        write(path, (dumps(report_json(data)) + "\n").encode("utf-8"))
        return
    if fmt == "docx":
        write(path, docx_of(data, lang, settings))
        return
    report = shown(data, lang)
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
