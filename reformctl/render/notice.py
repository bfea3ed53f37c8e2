"""A supervision notice (督办通知) as a document: 版头 (office, 发文字号), title, 主送, body,
the table of items, 落款 and 成文日期, in the reader's language, from its data
(:class:`reformctl.notices.NoticeDraft`, made by :func:`reformctl.notices.drafts`); written as
Word (:mod:`reformctl.render.document`), Markdown or text, one file a notice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reformctl.errors import ReformctlError
from reformctl.i18n import date_text, label, tr
from reformctl.ledger import registers
from reformctl.ledger.atomic import create_file, replace_file
from reformctl.ledger.parse import display_name
from reformctl.ledger.write import transact_at
from reformctl.model import Ledger
from reformctl.notices import NoticeDraft, drafts, require_office
from reformctl.render import document
from reformctl.render.document import Document


def days_text(days: int, lang: str) -> str:
    if days > 0:
        return tr("n-days-over", lang, n=days)
    if days == 0:
        return tr("n-days-today", lang)
    return tr("n-days-left", lang, n=-days)


def notice_document(draft: NoticeDraft, soon_days: int, lang: str) -> Document:
    doc = Document([])
    kind = draft.kind
    office = draft.office or tr("n-office-unset", lang)
    if draft.office:
        doc.add("banner", draft.office)
    if draft.code:
        doc.add("number", draft.document_number)
    title = tr(f"n-title-{kind}", lang) + (tr("n-again", lang) if draft.again else "")
    doc.add("title", title)
    doc.add("to", tr("n-to", lang, unit=draft.unit_name))
    day = date_text(draft.on, lang)
    items = draft.items
    if kind == "yellow":
        n = len({i.point.id for i in items})
    else:
        n = len(items)
    body = tr(
        f"n-body-{kind}",
        lang,
        ledger=draft.ledger_title.removesuffix("台账"),
        day=day,
        n=n,
        max=max((i.days for i in items), default=0),
        soon=soon_days,
    )
    again = sum(1 for i in items if i.earlier)
    if again:
        body += tr("n-body-again", lang, k=again)
    doc.add("para", body)
    doc.add("para", tr(f"n-ask-{kind}", lang, office=office))
    doc.add("annex-note", tr("doc-annex-note", lang, title=tr("n-annex-title", lang)))
    if draft.office:
        doc.add("signature", draft.office)
    doc.add("date", day)
    doc.add("annex", tr("doc-annex", lang))
    doc.add("annex-title", tr("n-annex-title", lang))
    headers = [
        tr(code, lang)
        for code in ("n-h-no", "n-h-milestone", "n-h-point", "n-h-due", "n-h-days", "n-h-ask")
    ]
    rows = []
    for i, item in enumerate(items, 1):
        ask = (
            tr("n-req-again", lang, n=item.earlier + 1)
            if item.earlier
            else tr(f"n-req-{kind}", lang)
        )
        rows.append(
            [
                str(i),
                item.milestone.name,
                f"{item.point.id} {item.point.title}",
                date_text(item.milestone.due_now, lang),
                days_text(item.days, lang),
                ask,
            ]
        )
    doc.add("table", headers=headers, rows=rows)  # widths from the cells
    add_record(doc, draft.cc, draft.issuer or draft.office, draft.on, lang)
    return doc


def add_record(doc: Document, cc: str | None, issuer: str | None, on: dt.date, lang: str) -> None:
    """The 版记 (GB/T 9704-2012 7.4): 抄送 where the ledger names it, then 印发机关 and
    印发日期; left out with no issuer (the office not set: a .docx is refused then)."""
    if issuer is None:
        return
    if cc:
        doc.add("cc", tr("doc-cc", lang, cc=cc.rstrip("。.")))
    doc.add("issued", issuer, right=tr("doc-issued", lang, day=date_text(on, lang)))


def file_stem(draft: NoticeDraft, lang: str) -> str:
    """闽改办督〔2026〕12号-红色督办-省林业局: sorts by number, says what and to whom."""
    name = draft.unit_name.replace("/", "_").replace("\\", "_")
    return f"{draft.document_number}-{label(f'notice-{draft.kind}', lang)}-{name}"


FORMATS = ("docx", "md", "txt")


def render(draft: NoticeDraft, fmt: str, soon_days: int, lang: str) -> bytes:
    doc = notice_document(draft, soon_days, lang)
    if fmt == "docx":
        return document.docx_bytes(doc, title=draft.document_number)
    text = document.markdown(doc) if fmt == "md" else document.plain_text(doc)
    return text.encode("utf-8")


def issue(
    ledger: Ledger,
    ledger_path: Path,
    today: dt.date,
    *,
    kinds: tuple[str, ...],
    units: tuple[str, ...],
    fmt: str,
    out: Path,
    record: bool,
    overwrite: bool,
    lang: str,
    include_office: bool = False,
) -> tuple[list[NoticeDraft], list[Path]]:
    """Make the notices due today, render them all (nothing is written if one fails), record
    them in the ledger in one verified write when asked, then write one file a notice."""

    if fmt == "docx":
        require_office(ledger.settings)
    found = drafts(ledger, today, kinds, units, include_office)
    files = [
        (out / f"{file_stem(d, lang)}.{fmt}", render(d, fmt, ledger.settings.soon_days, lang))
        for d in found
    ]
    if not overwrite:
        for path, _ in files:
            if path.exists():
                raise ReformctlError("file-exists", hint="hint-overwrite", file=display_name(path))
    if record and found:
        entries = [
            registers.NoticeEntry(
                d.key, d.number, d.on, d.unit, d.kind, tuple(i.ref for i in d.items)
            )
            for d in found
        ]
        transact_at(ledger_path, lambda src: registers.notices_record(src, entries))
    if files:
        out.mkdir(parents=True, exist_ok=True)
    write = replace_file if overwrite else create_file
    for path, data in files:
        write(path, data)
    return found, [p for p, _ in files]
