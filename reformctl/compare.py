"""What changed between two ledgers, in ledger terms. Pure: no git, no files.

Used by `reformctl diff` (two git revisions) and readable as the body of a pull-request
comment: points and milestones added or removed, milestones done or undone, due dates moved
by extensions, evidence added, monthly progress entries, points closed, field changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reformctl.model import Group, Ledger, Milestone, Point, Unit, natural_key


@dataclass(frozen=True)
class Difference:
    kind: str
    ref: str
    field: str | None = None
    before: Any = None
    after: Any = None
    detail: str | None = None


POINT_FIELDS = ("title", "group", "lead", "units", "path", "outcome", "major", "carried_from")


def compare(old: Ledger | None, new: Ledger) -> list[Difference]:
    """Every difference from ``old`` (None: an empty ledger) to ``new``, in a stable order."""
    out: list[Difference] = []
    if old is not None:
        for name in ("title", "year", "timezone", "soon_days", "lang"):
            a, b = getattr(old.settings, name), getattr(new.settings, name)
            if a != b:
                out.append(Difference("settings-changed", "ledger", name, a, b))
    out += _declared("unit", old.units if old else {}, new.units)
    out += _declared("group", old.groups if old else {}, new.groups)
    old_points = old.points if old else {}
    for pid in sorted(set(old_points) | set(new.points), key=natural_key):
        out += _point(old_points.get(pid), new.points.get(pid))
    return out


def _declared(kind: str, old: Any, new: Any) -> list[Difference]:
    out = []
    for key in sorted(set(old) | set(new)):
        a: Unit | Group | None = old.get(key)
        b: Unit | Group | None = new.get(key)
        if a is None and b is not None:
            out.append(Difference(f"{kind}-added", key, after=b.name))
        elif b is None and a is not None:
            out.append(Difference(f"{kind}-removed", key, before=a.name))
        elif a is not None and b is not None:
            for name in ("name", "lead"):
                if getattr(a, name, None) != getattr(b, name, None):
                    out.append(
                        Difference(f"{kind}-changed", key, name, getattr(a, name), getattr(b, name))
                    )
    return out


def _point(a: Point | None, b: Point | None) -> list[Difference]:
    if a is None and b is not None:
        out = [Difference("point-added", b.id, after=b.title, detail=b.lead)]
        out += [d for ms in b.milestones for d in _milestone(b.id, None, ms)]
        out += [Difference("progress-added", b.id, e.month, after=e.text) for e in b.progress]
        return out
    if b is None and a is not None:
        return [Difference("point-removed", a.id, before=a.title)]
    assert a is not None and b is not None
    out = [
        Difference("point-changed", a.id, name, getattr(a, name), getattr(b, name))
        for name in POINT_FIELDS
        if getattr(a, name) != getattr(b, name)
    ]
    old_ms = {m.key: m for m in a.milestones}
    new_ms = {m.key: m for m in b.milestones}
    for key in [*old_ms, *(k for k in new_ms if k not in old_ms)]:
        out += _milestone(a.id, old_ms.get(key), new_ms.get(key))
    old_log = {e.month: e.text for e in a.progress}
    new_log = {e.month: e.text for e in b.progress}
    for month in sorted(set(old_log) | set(new_log)):
        x, y = old_log.get(month), new_log.get(month)
        if x is None:
            out.append(Difference("progress-added", a.id, month, after=y))
        elif y is None:
            out.append(Difference("progress-removed", a.id, month, before=x))
        elif x != y:
            out.append(Difference("progress-changed", a.id, month, x, y))
    if a.closed is None and b.closed is not None:
        out.append(Difference("closed", a.id, after=b.closed, detail=b.closing_evidence))
    elif a.closed is not None and b.closed is None:
        out.append(Difference("reopened", a.id, before=a.closed))
    elif a.closed != b.closed or a.closing_evidence != b.closing_evidence:
        out.append(
            Difference(
                "close-changed", a.id, before=a.closed, after=b.closed, detail=b.closing_evidence
            )
        )
    return out


def _milestone(pid: str, a: Milestone | None, b: Milestone | None) -> list[Difference]:
    if a is None and b is not None:
        out = [Difference("milestone-added", b.ref, after=b.name, detail=b.due.isoformat())]
        if b.done is not None:
            out.append(Difference("done", b.ref, after=b.done, detail=b.evidence))
        return out
    if b is None and a is not None:
        return [Difference("milestone-removed", a.ref, before=a.name)]
    assert a is not None and b is not None
    out = []
    if a.name != b.name:
        out.append(Difference("milestone-changed", a.ref, "name", a.name, b.name))
    if a.due != b.due:
        out.append(Difference("milestone-changed", a.ref, "due", a.due, b.due))
    if len(b.extensions) > len(a.extensions) and b.extensions[: len(a.extensions)] == a.extensions:
        for ext in b.extensions[len(a.extensions) :]:
            out.append(
                Difference("extended", a.ref, before=a.due_now, after=ext.to, detail=ext.reason)
            )
    elif a.extensions != b.extensions:
        out.append(Difference("extensions-changed", a.ref, before=a.due_now, after=b.due_now))
    if a.done is None and b.done is not None:
        out.append(Difference("done", a.ref, after=b.done, detail=b.evidence))
    elif a.done is not None and b.done is None:
        out.append(Difference("undone", a.ref, before=a.done))
    else:
        if a.done != b.done:
            out.append(Difference("done-changed", a.ref, before=a.done, after=b.done))
        if a.evidence != b.evidence:
            out.append(Difference("evidence", a.ref, before=a.evidence, after=b.evidence))
    return out


def as_record(d: Difference) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, tuple):
            return list(v)
        return v

    return {
        "kind": d.kind,
        "ref": d.ref,
        "field": d.field,
        "before": plain(d.before),
        "after": plain(d.after),
        "detail": d.detail,
    }
