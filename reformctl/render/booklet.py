"""The quarterly case booklet (典型案例汇编, issue 24 item 5): each quarter the office picks its
themes, gathers the model cases, draws their paths and comments on what is worth copying, and
prints them as a booklet. Cover, contents, then the cases grouped by theme (一、 a theme,
（一） a case), each with its 做法, its path as numbered steps (（1）…), the 推广价值点评, and where
it was selected, published or copied; the 版记 closes it. The same document machinery as the
circulars (:mod:`reformctl.render.document`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reformctl.errors import ReformctlError
from reformctl.i18n import date_text, ordinal_text, tr
from reformctl.ledger.atomic import create_file, replace_file
from reformctl.model import Case, Ledger
from reformctl.notices import require_office
from reformctl.render import document
from reformctl.render.document import Document, numeral
from reformctl.render.notice import add_record

FORMATS = {".docx": "docx", ".md": "md", ".txt": "txt"}


def quarter_cases(ledger: Ledger, quarter: str) -> list[tuple[str, list[Case]]]:
    """The quarter's cases by theme: themes in the order their first case is declared, cases in
    declared order within each."""
    themes: dict[str, list[Case]] = {}
    for case in ledger.cases.values():
        if case.quarter == quarter:
            themes.setdefault(case.theme, []).append(case)
    return list(themes.items())


def booklet_document(
    ledger: Ledger, quarter: str, written: dt.date, lang: str, office: bool = True
) -> Document:
    """The booklet of ``quarter`` (YYYY-Qn) as a document; ``office`` False leaves the office
    out (Markdown and text where the ledger names none)."""
    settings = ledger.settings
    year, q = quarter.split("-Q")
    when = tr("doc-when-quarter", lang, year=int(year), n=ordinal_text(int(q), lang))
    groups = quarter_cases(ledger, quarter)
    doc = Document([])
    # the cover
    doc.add("title", tr("b-title", lang, when=when))
    if office and settings.office:
        doc.add("subtitle", settings.office)
    doc.add("subtitle", date_text(written, lang))
    # the contents
    doc.add("annex-title", tr("b-contents", lang), new_page=True)
    for i, (theme, cases) in enumerate(groups, 1):
        doc.add("contents", f"{numeral(i)}、{theme}")
        for j, case in enumerate(cases, 1):
            doc.add("contents-more", f"（{numeral(j)}）{case.title}")
    # the cases
    for i, (theme, cases) in enumerate(groups, 1):
        doc.add("heading1", f"{numeral(i)}、{theme}", new_page=i == 1)
        for j, case in enumerate(cases, 1):
            doc.add("heading2", f"（{numeral(j)}）{case.title}")
            doc.add("para", tr("b-source", lang, source=_source(ledger, case)))
            n = 0
            if case.practice:
                n += 1
                doc.add("para", f"{n}.{tr('b-practice', lang)}")
                doc.add("para", case.practice)
            if case.steps:
                n += 1
                doc.add("para", f"{n}.{tr('b-steps', lang)}")
                for k, step in enumerate(case.steps, 1):
                    doc.add("para", f"（{k}）{step}")
            if case.comment:
                n += 1
                doc.add("para", f"{n}.{tr('b-comment', lang)}")
                doc.add("para", case.comment)
            if case.selections or case.promotions:
                n += 1
                doc.add("para", f"{n}.{tr('b-promoted', lang)}")
                if case.selections:
                    doc.add("para", tr("b-selected", lang, what="、".join(case.selections)))
                for k, p in enumerate(case.promotions, 1):
                    doc.add("para", f"（{k}）{date_text(p.on, lang)}，{p.to}。")
    if office and settings.office:
        add_record(doc, settings.cc, settings.issuer or settings.office, written, lang)
    return doc


def _source(ledger: Ledger, case: Case) -> str:
    """Where the case was drawn from: the pilot's or the point's ID and name."""
    pilot = ledger.pilots.get(case.source)
    if pilot is not None:
        return f"{case.source} {pilot.name}"
    point = ledger.points.get(case.source)
    return f"{case.source} {point.title}" if point is not None else case.source


def save(
    ledger: Ledger, quarter: str, out: Path, written: dt.date, lang: str, overwrite: bool
) -> int:
    """Write the booklet of ``quarter`` to ``out`` in the format its extension names; a .docx
    needs the office (refused, naming `reformctl office set`, rather than made up). Returns the
    number of cases (nothing is written when there are none)."""
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise ReformctlError("b-format", file=out.name)
    if fmt == "docx":
        require_office(ledger.settings)
    count = sum(len(cases) for _, cases in quarter_cases(ledger, quarter))
    if not count:
        return 0
    doc = booklet_document(ledger, quarter, written, lang)
    if fmt == "docx":
        data = document.docx_bytes(doc, title=doc.blocks[0].text)
    else:
        data = (document.markdown(doc) if fmt == "md" else document.plain_text(doc)).encode()
    (replace_file if overwrite else create_file)(out, data)
    return count
