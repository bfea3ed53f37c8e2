"""Differences between two ledgers as text, Markdown (a pull-request comment) or JSON; and a
ledger rendered one fact a line for git's textconv, so `git diff` reads in ledger terms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import IO, Any

from reformctl.compare import Difference, as_record
from reformctl.i18n import label, tr
from reformctl.model import Ledger
from reformctl.render.escape import md_inline, safe_line, safe_path, visible
from reformctl.render.json import write_json

MARKS = {
    "added": "+",
    "removed": "-",
    "done": "✓",
    "undone": "↺",
    "extended": "↷",
    "closed": "■",
    "reopened": "↺",
}


def _value(v: Any, lang: str) -> str:
    if v is None:
        return label("none", lang)
    if isinstance(v, bool):
        return label("yes" if v else "no", lang)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (tuple, list)):
        return "、".join(str(x) for x in v) or label("none", lang)
    return str(v)


def describe(d: Difference, lang: str, esc: Callable[[str], str] = visible) -> str:
    """One change in words; every value from the ledger passed through ``esc`` (made visible
    for plain text by default, escaped for Markdown)."""
    args = {k: esc(_value(getattr(d, k), lang)) for k in ("before", "after", "detail")}
    return tr(f"d-{d.kind}", lang, ref=esc(d.ref), field=esc(d.field or ""), **args)


def mark(d: Difference) -> str:
    for suffix, sign in MARKS.items():
        if d.kind.endswith(suffix) or d.kind == suffix:
            return sign
    return "~"


def write_diff(
    diffs: Sequence[Difference], fmt: str, lang: str, file: str, a: str, b: str, stream: IO[str]
) -> None:
    if fmt == "json":
        write_json(
            {"file": file, "from": a, "to": b, "changes": [as_record(d) for d in diffs]}, stream
        )
        return

    def head(esc: Callable[[str], str]) -> str:
        names = {"file": esc(file), "a": esc(a), "b": esc(b)}
        if diffs:
            return tr("diff-head", lang, n=len(diffs), **names)
        return tr("diff-none", lang, **names)

    if fmt == "markdown":
        stream.write(f"### {head(md_inline)}\n\n")
        for d in diffs:
            stream.write(f"- {mark(d)} {describe(d, lang, md_inline)}\n")
        return
    stream.write(safe_line(head(safe_path)) + "\n")
    for d in diffs:
        stream.write(f"{mark(d)} {describe(d, lang)}\n")


def textconv(ledger: Ledger, lang: str) -> str:
    """One fact a line, in a stable order: what `git diff` compares through textconv."""
    zh = lang == "zh"
    s = ledger.settings
    lines = [f"{'台账' if zh else 'ledger'} {s.title} ({s.year}, {s.timezone}, soon {s.soon_days})"]
    for u in ledger.units.values():
        lines.append(f"{'单位' if zh else 'unit'} {u.key} {u.name}")
    for g in ledger.groups.values():
        lines.append(f"{'专项小组' if zh else 'group'} {g.key} {g.name} ← {g.lead}")
    for p in ledger.points.values():
        tag = "要点" if zh else "point"
        major = (" 重大" if zh else " major") if p.major else ""
        lines.append(f"{tag} {p.id} {p.title} | {p.group} | {p.lead} ← {','.join(p.units)}{major}")
        lines.append(f"{tag} {p.id} {'实施路径' if zh else 'path'}: {p.path}")
        lines.append(f"{tag} {p.id} {'成果形式' if zh else 'outcome'}: {p.outcome}")
        for m in p.milestones:
            due = m.due.isoformat() + "".join(f" → {e.to} ({e.reason})" for e in m.extensions)
            done = (
                f" | {'完成' if zh else 'done'} {m.done} {m.evidence or ''}".rstrip()
                if m.done
                else ""
            )
            lines.append(f"{'节点' if zh else 'milestone'} {m.ref} {m.name} | {due}{done}")
        for e in p.progress:
            lines.append(f"{'进展' if zh else 'progress'} {p.id} {e.month} {e.text}")
        if p.closed:
            closed = f"{'销号' if zh else 'closed'} {p.id} {p.closed} {p.closing_evidence or ''}"
            lines.append(closed.rstrip())
    return "\n".join(visible(line.replace("\n", "⏎")) for line in lines) + "\n"
