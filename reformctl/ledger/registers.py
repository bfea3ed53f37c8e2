"""The office's registers, written one entry at a time: topics, meetings, pilots, cases,
outposts and their feedback, supervision notices (督办通知), circulars' numbers (通报) and
publicity (改革宣传). Each
checks the entry against the ledger's facts, then plans the splices that add or change it
(see :mod:`~reformctl.ledger.changes`, whose :class:`~reformctl.ledger.changes.Change` each
returns); refusals raise :class:`RefusedChange` before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reformctl.errors import ReformctlError, RefusedChange
from reformctl.i18n import Choices, L
from reformctl.ledger import tomltext
from reformctl.ledger.changes import (
    POINTS,
    Change,
    Ledger,
    _id,
    _not_future,
    _text,
    _unknown_id,
)
from reformctl.ledger.edit import Source, Splice
from reformctl.model import (
    OUTPOST_KINDS,
    PILOT_KINDS,
    PUBLICITY_KINDS,
    PUBLICITY_LEVELS,
    QUARTER_RE,
    RATINGS,
)


# -- the office's other mechanisms: topics, meetings, pilots, cases, outposts, feedback
def _new_entry(src: Source, section: str, key: str, kind: str, fields: Mapping[str, Any]) -> Splice:
    _id(key, f"kind-{section}")
    if key in (src.data((section,)) or {}):
        raise RefusedChange(
            "duplicate-entry", what=L(f"kind-{section}"), key=key, file=src.holder(section, key)
        )
    ledger = Ledger(src)
    pos = ledger.after_section(section, or_end=True)
    return src.insert_table(pos, (section, key), {k: v for k, v in fields.items() if v is not None})


def _existing(src: Source, section: str, key: str) -> dict[str, Any]:
    entry = (src.data((section,)) or {}).get(key)
    if not isinstance(entry, dict):
        raise RefusedChange("unknown-entry", what=L(f"kind-{section}"), key=key, file=src.name)
    if not src.has_header((section, key)):
        raise RefusedChange("not-a-table-form", file=src.name, table=f"{section}.{key}")
    return entry


def topic_add(
    src: Source, tid: str, title: str, group: str | None, unit: str | None, source: str | None
) -> Change:
    ledger = Ledger(src)
    fields = {
        "title": _text(title, "--title"),
        "group": ledger.group(group) if group else None,
        "unit": ledger.unit(unit) if unit else None,
        "source": _text(source, "--source") if source is not None else None,
    }
    return Change(
        [_new_entry(src, "topics", tid, "topic", fields)],
        "added-entry",
        {"what": L("kind-topics"), "key": tid, "name": title},
    )


def meeting_add(src: Source, mid: str, on: dt.date, theme: str) -> Change:
    _existing(src, "topics", theme)
    for key, meeting in (src.data(("meetings",)) or {}).items():
        if isinstance(meeting, dict) and meeting.get("theme") == theme:
            raise RefusedChange("topic-twice", topic=theme, first=key, meeting=mid)
    splice = _new_entry(src, "meetings", mid, "meeting", {"on": on, "theme": theme})
    return Change([splice], "added-entry", {"what": L("kind-meetings"), "key": mid, "name": theme})


def pilot_add(
    src: Source,
    pid: str,
    *,
    name: str,
    place: str,
    kind: str,
    unit: str,
    since: dt.date,
    review_every: int | None,
    today: dt.date,
) -> Change:
    ledger = Ledger(src)
    if kind not in PILOT_KINDS:
        raise RefusedChange(
            "bad-choice-arg", option="--kind", value=kind, allowed=Choices(PILOT_KINDS)
        )
    _not_future(since, today, "--since")
    fields = {
        "name": _text(name, "--name"),
        "place": _text(place, "--place"),
        "kind": kind,
        "unit": ledger.unit(unit),
        "since": since,
        "review_every": review_every,
    }
    return Change(
        [_new_entry(src, "pilots", pid, "pilot", fields)],
        "added-entry",
        {"what": L("kind-pilots"), "key": pid, "name": name},
    )


def pilot_review(
    src: Source, pid: str, on: dt.date, rating: str, note: str | None, today: dt.date
) -> Change:
    pilot = _existing(src, "pilots", pid)
    if rating not in RATINGS:
        raise RefusedChange(
            "bad-choice-arg", option="--rating", value=rating, allowed=Choices(RATINGS)
        )
    _not_future(on, today, "--on")
    since = pilot.get("since")
    if isinstance(since, dt.date) and on < since:
        raise RefusedChange("review-before-since-arg", key=pid, on=on, since=since)
    reviews = pilot.get("reviews") or {}
    key = on.isoformat()
    if key in reviews:
        raise RefusedChange("review-exists", key=pid, on=on)
    entry: dict[str, Any] = {"rating": rating}
    if note is not None:
        entry["note"] = _text(note, "--note")
    path = ("pilots", pid, "reviews")
    if src.has_header(path):
        splice = src.set_fields(path, {key: entry})
    else:
        splice = src.insert_table(src.subtree_end(("pilots", pid)), path, {key: entry})
    return Change([splice], "recorded-review", {"key": pid, "on": on, "rating": rating})


def case_add(
    src: Source,
    cid: str,
    *,
    title: str,
    source: str,
    theme: str,
    quarter: str,
    selections: Sequence[str],
    practice: str | None = None,
    steps: Sequence[str] = (),
    comment: str | None = None,
) -> Change:
    if source not in (src.data(("pilots",)) or {}) and source not in (src.data((POINTS,)) or {}):
        raise RefusedChange("unknown-source", key=source, file=src.name)
    if not QUARTER_RE.fullmatch(quarter):
        raise ReformctlError("bad-quarter-arg", value=quarter)
    fields = {
        "title": _text(title, "--title"),
        "from": source,
        "theme": _text(theme, "--theme"),
        "quarter": quarter,
        "selections": [_text(s, "--selection") for s in selections] or None,
        "practice": None if practice is None else _text(practice, "--practice"),
        "steps": [_text(s, "--step") for s in steps] or None,
        "comment": None if comment is None else _text(comment, "--comment"),
    }
    return Change(
        [_new_entry(src, "cases", cid, "case", fields)],
        "added-entry",
        {"what": L("kind-cases"), "key": cid, "name": title},
    )


def case_promote(src: Source, cid: str, to: str, on: dt.date, today: dt.date) -> Change:
    case = _existing(src, "cases", cid)
    _not_future(on, today, "--on")
    promotions = [dict(p) for p in case.get("promotions") or []]
    promotions.append({"to": _text(to, "--to"), "on": on})
    splice = src.set_fields(("cases", cid), {"promotions": promotions})
    return Change([splice], "recorded-promotion", {"key": cid, "to": to, "on": on})


def outpost_add(src: Source, oid: str, name: str, kind: str) -> Change:
    if kind not in OUTPOST_KINDS:
        raise RefusedChange(
            "bad-choice-arg", option="--kind", value=kind, allowed=Choices(OUTPOST_KINDS)
        )
    fields = {"name": _text(name, "--name"), "kind": kind}
    return Change(
        [_new_entry(src, "outposts", oid, "outpost", fields)],
        "added-entry",
        {"what": L("kind-outposts"), "key": oid, "name": name},
    )


def feedback_key(
    outpost: str, on: dt.date, text: str, taken: Mapping[str, Any], point: str | None = None
) -> str:
    """A key made from the feedback itself (FB-20261128-3f2a): two clerks adding feedback on
    two branches get two keys, so git merges both; a sequence number would collide."""
    import hashlib

    digest = hashlib.sha1(f"{outpost}\n{on}\n{point or ''}\n{text}".encode()).hexdigest()
    for length in range(8, 41):
        key = f"FB-{on:%Y%m%d}-{digest[:length]}"
        if key not in taken:
            return key
    raise RefusedChange("duplicate-entry", what=L("kind-feedback"), key=key, file="")


def feedback_add(
    src: Source, outpost: str, on: dt.date, point: str | None, text: str, today: dt.date
) -> Change:
    _existing(src, "outposts", outpost)
    _not_future(on, today, "--on")
    points = src.data((POINTS,)) or {}
    if point is not None and point not in points:
        raise _unknown_id("unknown-point", points, point, file=src.name, id=point)
    existing = src.data(("feedback",)) or {}
    fid = feedback_key(outpost, on, text, existing, point)
    fields = {"outpost": outpost, "on": on, "point": point, "text": _text(text, "TEXT")}
    return Change(
        [_new_entry(src, "feedback", fid, "feedback", fields)],
        "added-entry",
        {"what": L("kind-feedback"), "key": fid, "name": outpost},
    )


# -- supervision notices (督办通知) and publicity (改革宣传)
@dataclass(frozen=True)
class NoticeEntry:
    """A notice to record: its number within the year of ``on``."""

    key: str
    number: int
    on: dt.date
    unit: str
    kind: str
    items: tuple[str, ...]


def notices_record(src: Source, entries: Sequence[NoticeEntry]) -> Change:
    """Record notices in one block after the last notice (or at the end). The numbers were
    drawn before the lock was taken: if another writer took one since, refuse (run again)."""

    ledger = Ledger(src)
    existing = src.data(("notices",)) or {}
    taken = _taken(existing)
    tables: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    for entry in entries:
        ledger.unit(entry.unit)
        if entry.key in existing or (entry.on.year, entry.number) in taken:
            raise RefusedChange("n-stale", number=entry.number)
        fields: dict[str, Any] = {
            "number": entry.number,
            "on": entry.on,
            "unit": entry.unit,
            "kind": entry.kind,
            "items": list(entry.items),
        }
        tables.append((("notices", entry.key), fields))
    lines = []
    for path, fields in tables:
        body = [tomltext.header(*path)]
        body += [f"{tomltext.key(k)} = {tomltext.value_block(v)}" for k, v in fields.items()]
        lines.append("\n".join(body) + "\n")
    splice = src.insert_block(
        ledger.after_section("notices", or_end=True), "\n".join(lines), tuple(tables)
    )
    return Change([splice], "n-recorded-ledger", {"n": len(entries)})


def _taken(existing: dict[str, Any]) -> set[tuple[int, int]]:
    """The (year, number) pairs a register's entries hold, as the file has them now."""
    return {
        (v["on"].year, v["number"])
        for v in existing.values()
        if isinstance(v, dict) and isinstance(v.get("on"), dt.date) and "number" in v
    }


@dataclass(frozen=True)
class CircularEntry:
    """A circular to record: its number within the year of ``on``, the report and period."""

    key: str
    number: int
    on: dt.date
    report: str
    period: str
    document_number: str  # 闽改办〔2026〕3号, for the message


def circular_record(src: Source, entry: CircularEntry) -> Change:
    """Record a circular's number after the last circular (or at the end). The number was
    drawn before the lock was taken: if another writer took it since, refuse (run again)."""

    existing = src.data(("circulars",)) or {}
    taken = _taken(existing)
    if entry.key in existing or (entry.on.year, entry.number) in taken:
        raise RefusedChange("r-stale", number=entry.document_number)
    fields: dict[str, Any] = {
        "number": entry.number,
        "on": entry.on,
        "report": entry.report,
        "period": entry.period,
    }
    splice = _new_entry(src, "circulars", entry.key, "circular", fields)
    return Change([splice], "r-recorded-ledger", {"number": entry.document_number})


def publicity_add(
    src: Source,
    key: str,
    *,
    outlet: str,
    level: str,
    kind: str,
    on: dt.date,
    title: str,
    about: str | None,
    today: dt.date,
) -> Change:
    for option, value, allowed in (
        ("--level", level, PUBLICITY_LEVELS),
        ("--kind", kind, PUBLICITY_KINDS),
    ):
        if value not in allowed:
            raise RefusedChange(
                "bad-choice-arg", option=option, value=value, allowed=Choices(allowed)
            )
    _not_future(on, today, "--on")
    if (
        about is not None
        and about not in (src.data((POINTS,)) or {})
        and about not in (src.data(("cases",)) or {})
    ):
        raise RefusedChange("unknown-about", key=about, file=src.name)
    fields = {
        "outlet": _text(outlet, "--outlet"),
        "level": level,
        "kind": kind,
        "on": on,
        "title": _text(title, "--title"),
        "about": about,
    }
    return Change(
        [_new_entry(src, "publicity", key, "publicity", fields)],
        "added-entry",
        {"what": L("kind-publicity"), "key": key, "name": title},
    )
