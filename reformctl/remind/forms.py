"""A digest in each platform's own message form: DingTalk ``markdown`` (title and text), WeCom
``markdown`` (content), Feishu ``post`` (title and lines), and mail (subject, plain text and
HTML). No secrets here: signatures are added when a message is sent (``transport``).

What a clerk typed (names, titles) is escaped for each form: Markdown punctuation for the
robots' Markdown, HTML for mail, control characters shown everywhere.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from reformctl.i18n import date_text, tr
from reformctl.remind.digest import Digest, DigestItem
from reformctl.render.escape import md_inline, visible

# WeCom refuses a markdown message over 4,096 bytes; DingTalk's and Feishu's limits are larger
# (20 KB for a Feishu request body). Items past the limit are left out, and the message says
# so; mail has no such limit.
WECOM_MAX_BYTES = 4096
CHAT_MAX_BYTES = 18000


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


def title(digest: Digest, lang: str) -> str:
    code = "remind-title-office" if digest.whole else "remind-title"
    return tr(code, lang, unit=digest.unit_name, overdue=len(digest.overdue), soon=len(digest.soon))


def _when(item: DigestItem, lang: str) -> str:
    if item.days > 0:
        return tr("remind-days-overdue", lang, days=item.days)
    if item.days == 0:
        return tr("remind-due-today", lang)
    return tr("remind-days-left", lang, days=-item.days)


def _item_parts(item: DigestItem, digest: Digest, lang: str) -> tuple[str, str, str, str]:
    """(the milestone, its due date, how late or how near, the lead unit or "")."""
    what = f"{item.ref} {item.point_title} / {item.name}"
    lead = tr("remind-lead", lang, unit=item.unit_name) if digest.whole else ""
    return what, item.due.isoformat(), _when(item, lang), lead


def _sections(digest: Digest, lang: str) -> list[tuple[str, tuple[DigestItem, ...]]]:
    out = []
    if digest.overdue:
        out.append((tr("remind-overdue-heading", lang, n=len(digest.overdue)), digest.overdue))
    if digest.soon:
        heading = tr("remind-soon-heading", lang, days=digest.soon_days, n=len(digest.soon))
        out.append((heading, digest.soon))
    return out


def _intro(digest: Digest, lang: str) -> str:
    return tr("remind-intro", lang, ledger=digest.ledger_title, day=date_text(digest.today, lang))


def _office(digest: Digest, lang: str) -> str:
    """The office's name, or 本办 where the ledger names none (never a made-up name)."""
    return digest.office or tr("n-office-unset", lang)


def _how(digest: Digest, lang: str) -> str:
    code = "remind-how-office" if digest.whole else "remind-how"
    return tr(code, lang, office=_office(digest, lang))


def markdown(digest: Digest, lang: str, limit: int = CHAT_MAX_BYTES) -> str:
    """The digest as the robots' Markdown; items past ``limit`` bytes are left out, counted."""
    head = [f"### {md_inline(title(digest, lang))}", "", md_inline(_intro(digest, lang))]
    tail = ["", md_inline(_how(digest, lang)), "", f"—— {md_inline(_office(digest, lang))}"]
    body: list[str] = []
    left_out = 0
    for heading, items in _sections(digest, lang):
        body += ["", f"**{md_inline(heading)}**", ""]
        for n, item in enumerate(items, 1):
            what, due, when, lead = _item_parts(item, digest, lang)
            line = tr(
                "remind-item",
                lang,
                n=n,
                what=md_inline(what),
                lead=md_inline(lead),
                due=due,
                when=f"**{md_inline(when)}**",
            )
            trial = "\n".join([*head, *body, line, *tail, "", "x" * 80])
            if left_out or len(trial.encode("utf-8")) > limit:
                left_out += 1
                continue
            body.append(line)
    if left_out:
        body += ["", md_inline(tr("remind-left-out", lang, n=left_out))]
    return "\n".join([*head, *body, *tail])


def _plain_lines(digest: Digest, lang: str, limit: int | None = None) -> list[str]:
    """The digest a line each; with ``limit``, items past that many bytes (as JSON strings,
    with room for the wrapping) are left out, counted."""
    head = [visible(title(digest, lang)), "", visible(_intro(digest, lang))]
    tail = ["", visible(_how(digest, lang)), "", visible(f"—— {_office(digest, lang)}")]
    body: list[str] = []
    size = sum(len(json.dumps(line, ensure_ascii=False).encode()) + 40 for line in head + tail)
    left_out = 0
    for heading, items in _sections(digest, lang):
        body += ["", visible(heading)]
        for n, item in enumerate(items, 1):
            what, due, when, lead = _item_parts(item, digest, lang)
            line = visible(tr("remind-item", lang, n=n, what=what, lead=lead, due=due, when=when))
            cost = len(json.dumps(line, ensure_ascii=False).encode()) + 40
            if left_out or (limit is not None and size + cost + 200 > limit):
                left_out += 1
                continue
            size += cost
            body.append(line)
    if left_out:
        body += ["", visible(tr("remind-left-out", lang, n=left_out))]
    return [*head, *body, *tail]


def dingtalk(digest: Digest, lang: str) -> dict[str, Any]:
    """DingTalk's ``markdown`` message: a title (the notification's) and the text."""
    return {
        "msgtype": "markdown",
        "markdown": {"title": visible(title(digest, lang)), "text": markdown(digest, lang)},
    }


def wecom(digest: Digest, lang: str) -> dict[str, Any]:
    """WeCom's ``markdown`` message: one content, at most 4,096 bytes."""
    return {"msgtype": "markdown", "markdown": {"content": markdown(digest, lang, WECOM_MAX_BYTES)}}


def feishu(digest: Digest, lang: str) -> dict[str, Any]:
    """Feishu's ``post`` (rich text): a title and a paragraph a line."""
    lines = _plain_lines(digest, lang, CHAT_MAX_BYTES)
    content = [[{"tag": "text", "text": line}] for line in lines[2:]]
    locale = "en_us" if lang == "en" else "zh_cn"
    return {
        "msg_type": "post",
        "content": {"post": {locale: {"title": lines[0], "content": content}}},
    }


def mail(digest: Digest, lang: str) -> Mail:
    """The digest as mail: the subject, plain text, and HTML with a table a section."""
    subject = visible(title(digest, lang))
    text = "\n".join(_plain_lines(digest, lang)) + "\n"
    e = html.escape
    parts = [
        f'<html><head><meta charset="utf-8"><title>{e(subject)}</title></head><body>',
        f"<h3>{e(subject)}</h3>",
        f"<p>{e(_intro(digest, lang))}</p>",
    ]
    headers = [tr(c, lang) for c in ("remind-col-item", "remind-col-due", "remind-col-when")]
    if digest.whole:
        headers.append(tr("remind-col-lead", lang))
    for heading, items in _sections(digest, lang):
        parts.append(f"<h4>{e(heading)}</h4>")
        parts.append('<table border="1" cellspacing="0" cellpadding="4">')
        parts.append("<tr>" + "".join(f"<th>{e(h)}</th>" for h in headers) + "</tr>")
        for item in items:
            cells = [f"{item.ref} {item.point_title} / {item.name}", item.due.isoformat()]
            cells.append(_when(item, lang))
            if digest.whole:
                cells.append(item.unit_name)
            parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
        parts.append("</table>")
    parts.append(f"<p>{e(_how(digest, lang))}</p>")
    parts.append(f"<p>—— {e(_office(digest, lang))}</p></body></html>")
    return Mail(subject, text, "\n".join(parts) + "\n")
