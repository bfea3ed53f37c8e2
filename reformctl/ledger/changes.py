"""The clerk's write operations: check a change against the ledger's facts, then plan the
splices that make it. Each operation touches only the lines of the facts it changes (plus the
lines it adds); refusals raise :class:`RefusedChange` before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reformctl.errors import ReformctlError, RefusedChange
from reformctl.i18n import Choices, L
from reformctl.ledger import tomltext
from reformctl.ledger.edit import Source, Splice
from reformctl.ledger.parse import loads
from reformctl.model import (
    MONTH_RE,
    is_valid_id,
    natural_key,
)
from reformctl.records import field, record
from reformctl.rules import nearest_ids

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from reformctl.plans import ImportPlan, UpdatePlan

POINTS = "points"


@record(frozen=False)
class Change:
    """What a write will do: its splices, and the line that tells the clerk it was done."""

    splices: list[Splice]
    message: str
    args: dict[str, Any] = field(default_factory=dict)


def _id(value: str, kind: str) -> str:
    if not is_valid_id(value):
        raise ReformctlError("bad-id-arg", hint="hint-id", what=L(kind), id=value)
    return value


def _text(value: str | None, option: str) -> str:
    if value is None or not value.strip():
        raise ReformctlError("empty-arg", option=option)
    return value


def _not_future(day: dt.date, today: dt.date, option: str) -> dt.date:
    if day > today:
        raise RefusedChange("date-in-future", option=option, date=day, today=today)
    return day


class Ledger:
    """The facts a write needs, read lazily from fragments of the source."""

    def __init__(self, src: Source) -> None:
        self.src = src
        self.name = src.name
        if src.data(("ledger",)) is None:
            raise ReformctlError("table-missing", hint="hint-ledger-table", table="ledger")

    def units(self) -> Mapping[str, Any]:
        return self.src.data(("units",)) or {}

    def groups(self) -> Mapping[str, Any]:
        return self.src.data(("groups",)) or {}

    def unit(self, key: str) -> str:
        if key not in self.units():
            raise RefusedChange("unknown-unit", hint="declare-unit", file=self.name, key=key)
        return key

    def group(self, key: str) -> str:
        if key not in self.groups():
            raise RefusedChange("unknown-group", hint="declare-group", file=self.name, key=key)
        return key

    def unit_list(self, keys: Sequence[str]) -> list[str]:
        if len(set(keys)) != len(keys):
            raise RefusedChange("duplicate-units", keys=", ".join(keys))
        return [self.unit(k) for k in keys]

    def point(self, pid: str) -> dict[str, Any]:
        point = self.src.data((POINTS, pid))
        if not isinstance(point, dict):
            raise _unknown_id(
                "unknown-point", self.src.data((POINTS,)) or {}, pid, file=self.name, id=pid
            )
        if not self.src.has_header((POINTS, pid)):
            raise RefusedChange("not-a-table-form", file=self.name, table=f"points.{pid}")
        return point

    def milestone(self, pid: str, key: str) -> dict[str, Any]:
        point = self.point(pid)
        ms = (point.get("milestones") or {}).get(key)
        if not isinstance(ms, dict):
            keys = point.get("milestones") or {}
            raise _unknown_id(
                "unknown-milestone", keys, key, f"{pid}/", file=self.name, id=pid, key=key
            )
        if not self.src.has_header((POINTS, pid, "milestones", key)):
            raise RefusedChange(
                "not-a-table-form", file=self.name, table=f"points.{pid}.milestones.{key}"
            )
        return ms

    def open_point(self, pid: str) -> dict[str, Any]:
        """A point that is not closed (销号 points take no more changes until reopened)."""
        point = self.point(pid)
        if point.get("closed") is not None:
            raise RefusedChange("point-closed", hint="hint-reopen", id=pid, date=point["closed"])
        return point

    # -- positions for new tables
    def _last_in(self, section: str) -> int | None:
        headers = [h for h in self.src.index.headers if len(h.path) == 2 and h.path[0] == section]
        if not headers:
            return None
        return self.src.subtree_end(max(headers, key=lambda h: h.start).path)

    def after_section(self, *sections: str, or_end: bool = False) -> int:
        """After the last table of the first of ``sections`` that has one (else after [ledger],
        or at the end of the file for the sections that follow the points)."""
        for section in sections:
            pos = self._last_in(section)
            if pos is not None:
                return pos
        if not or_end and self.src.has_header(("ledger",)):
            return self.src.content_end(("ledger",))
        return len(self.src.text)


def _due_now(ms: Mapping[str, Any]) -> dt.date | None:
    extensions = ms.get("extensions") or []
    if extensions and isinstance(extensions[-1], dict) and "to" in extensions[-1]:
        to: dt.date = extensions[-1]["to"]
        return to
    due: dt.date | None = ms.get("due")
    return due


# -- declarations
def unit_add(src: Source, key: str, name: str) -> Change:
    ledger = Ledger(src)
    _id(key, "kind-units")
    _text(name, "NAME")
    if key in ledger.units():
        raise RefusedChange("duplicate-unit", file=src.holder("units", key), key=key)
    pos = ledger.after_section("units")
    return Change(
        [src.insert_table(pos, ("units", key), {"name": name})],
        "added-unit",
        {"key": key, "name": name},
    )


def office_set(
    src: Source,
    *,
    office: str | None = None,
    code: str | None = None,
    unit: str | None = None,
    cc: str | None = None,
    issuer: str | None = None,
) -> Change:
    """The office's identity in ``[ledger]`` (发文机关, 代字, its own unit, 抄送, 印发机关):
    the keys given are set, the others kept. A unit not yet declared is declared, named as
    the office is."""
    ledger = Ledger(src)
    given = {
        "office": (office, "--office"),
        "office_code": (code, "--office-code"),
        "office_unit": (unit, "--office-unit"),
        "cc": (cc, "--cc"),
        "issuer": (issuer, "--issuer"),
    }
    fields = {
        key: _text(value, option) for key, (value, option) in given.items() if value is not None
    }
    if not fields:
        raise ReformctlError("office-nothing")
    splices = []
    if unit is not None:
        _id(unit, "kind-units")
        if unit not in ledger.units():
            settings = src.data(("ledger",)) or {}
            name = office if office is not None else settings.get("office")
            if not isinstance(name, str) or not name.strip():
                raise RefusedChange("office-unit-needs-name", key=unit)
            splices.append(
                src.insert_table(ledger.after_section("units"), ("units", unit), {"name": name})
            )
    splices.insert(0, src.set_fields(("ledger",), fields))
    settings = {**(src.data(("ledger",)) or {}), **fields}
    return Change(
        splices,
        "office-set",
        {
            "office": settings.get("office") or "—",
            "office_code": settings.get("office_code") or "—",
        },
    )


def group_add(src: Source, key: str, name: str, lead: str) -> Change:
    ledger = Ledger(src)
    _id(key, "kind-groups")
    _text(name, "NAME")
    if key in ledger.groups():
        raise RefusedChange("duplicate-group", file=src.holder("groups", key), key=key)
    ledger.unit(lead)
    pos = ledger.after_section("groups", "units")
    splice = src.insert_table(pos, ("groups", key), {"name": name, "lead": lead})
    return Change([splice], "added-group", {"key": key, "name": name})


def point_add(
    src: Source,
    pid: str,
    *,
    title: str,
    group: str,
    lead: str,
    units: Sequence[str] = (),
    path: str = "",
    outcome: str = "",
    major: bool = False,
) -> Change:
    ledger = Ledger(src)
    _id(pid, "kind-points")
    if src.data((POINTS, pid)) is not None:
        raise RefusedChange("duplicate-point", file=src.holder(POINTS, pid), id=pid)
    fields = {
        "title": _text(title, "--title"),
        "group": ledger.group(group),
        "lead": ledger.unit(lead),
        "units": ledger.unit_list(units),
        "path": path,
        "outcome": outcome,
        "major": major,
    }
    # In ID order: before the first point that sorts after it, else after the last point.
    later = [
        h
        for h in src.index.headers
        if len(h.path) == 2 and h.path[0] == POINTS and natural_key(h.path[1]) > natural_key(pid)
    ]
    if later:
        pos = src.block_start(min(later, key=lambda h: natural_key(h.path[1])).path)
    else:
        pos = ledger.after_section(POINTS, "groups", "units")
    return Change(
        [src.insert_table(pos, (POINTS, pid), fields)], "added-point", {"id": pid, "title": title}
    )


def milestone_add(src: Source, pid: str, key: str, name: str, due: dt.date) -> Change:
    ledger = Ledger(src)
    point = ledger.open_point(pid)
    _id(key, "kind-milestones")
    if key in (point.get("milestones") or {}):
        raise RefusedChange("duplicate-milestone", file=src.name, id=pid, key=key)
    fields = {"name": _text(name, "--name"), "due": due}
    prefix = (POINTS, pid, "milestones")
    existing = [h for h in src.index.headers if h.path[:3] == prefix]
    if existing:
        pos = src.content_end(max(existing, key=lambda h: h.start).path)
    else:
        pos = src.content_end((POINTS, pid))
    splice = src.insert_table(pos, (*prefix, key), fields)
    return Change([splice], "added-milestone", {"ref": f"{pid}/{key}", "name": name, "due": due})


# -- facts about milestones
def done(
    src: Source, pid: str, key: str, on: dt.date, evidence: str | None, today: dt.date
) -> Change:
    ledger = Ledger(src)
    ledger.open_point(pid)
    ms = ledger.milestone(pid, key)
    if ms.get("done") is not None:
        raise RefusedChange("already-done", hint="hint-undone", ref=f"{pid}/{key}", date=ms["done"])
    _not_future(on, today, "--on")
    changes: dict[str, Any] = {"done": on}
    if evidence is not None:
        changes["evidence"] = _text(evidence, "--evidence")
    splice = src.set_fields((POINTS, pid, "milestones", key), changes)
    args = {"ref": f"{pid}/{key}", "date": on, "evidence": evidence or "—"}
    return Change([splice], "recorded-done", args)


def undone(src: Source, pid: str, key: str) -> Change:
    ledger = Ledger(src)
    ledger.open_point(pid)
    ms = ledger.milestone(pid, key)
    if ms.get("done") is None:
        raise RefusedChange("not-done", ref=f"{pid}/{key}")
    splice = src.set_fields((POINTS, pid, "milestones", key), {"done": None, "evidence": None})
    return Change([splice], "recorded-undone", {"ref": f"{pid}/{key}"})


def extend(
    src: Source,
    pid: str,
    key: str,
    to: dt.date,
    reason: str,
    approved_by: str | None,
    today: dt.date,
    approved_on: dt.date | None = None,
) -> Change:
    ledger = Ledger(src)
    ledger.open_point(pid)
    ms = ledger.milestone(pid, key)
    if ms.get("done") is not None:
        raise RefusedChange("extend-done", ref=f"{pid}/{key}", date=ms["done"])
    current = _due_now(ms)
    if current is not None and to <= current:
        raise RefusedChange("extend-not-later", ref=f"{pid}/{key}", to=to, due=current)
    approved_on = _not_future(today if approved_on is None else approved_on, today, "--approved-on")
    if approved_on > to:
        raise RefusedChange("approved-after-deadline", ref=f"{pid}/{key}", date=approved_on, to=to)
    entry: dict[str, Any] = {"to": to, "reason": _text(reason, "--reason")}
    if approved_by is not None:
        entry["approved_by"] = ledger.unit(approved_by)
    entry["granted"] = today
    entry["approved_on"] = approved_on
    extensions = [dict(e) for e in (ms.get("extensions") or [])] + [entry]
    splice = src.set_fields((POINTS, pid, "milestones", key), {"extensions": extensions})
    args = {"ref": f"{pid}/{key}", "to": to, "due": current, "n": len(extensions)}
    return Change([splice], "recorded-extension", args)


def log(
    src: Source, pid: str, text: str, month: str, today: dt.date, replace: bool = False
) -> Change:
    ledger = Ledger(src)
    point = ledger.open_point(pid)
    if not MONTH_RE.fullmatch(month) or not 1900 <= int(month[:4]) <= 2100:
        raise ReformctlError("bad-month-arg", value=month)
    if month > f"{today:%Y-%m}":
        raise RefusedChange("month-in-future", month=month, today=today)
    _text(text, "TEXT")
    progress = point.get("progress")
    path = (POINTS, pid, "progress")
    if progress is None:
        splice = src.insert_table(src.subtree_end((POINTS, pid)), path, {month: text})
    else:
        if month in progress and not replace:
            raise RefusedChange(
                "log-exists", hint="hint-replace", id=pid, month=month, text=progress[month]
            )
        if not src.has_header(path):
            raise RefusedChange("not-a-table-form", file=src.name, table=".".join(path))
        splice = src.set_fields(path, {month: text})
    return Change([splice], "recorded-log", {"id": pid, "month": month})


# -- facts about points
def close(src: Source, pid: str, evidence: str, on: dt.date, today: dt.date) -> Change:
    ledger = Ledger(src)
    point = ledger.open_point(pid)
    milestones = point.get("milestones") or {}
    still_open = [
        f"{k}「{ms.get('name', '')}」"
        for k, ms in milestones.items()
        if isinstance(ms, dict) and ms.get("done") is None
    ]
    if still_open:
        raise RefusedChange("close-open", id=pid, open=Choices(still_open))
    _not_future(on, today, "--on")
    last_done = max((ms["done"] for ms in milestones.values() if ms.get("done")), default=None)
    if last_done is not None and on < last_done:
        raise RefusedChange("closed-before-done", id=pid, closed=on, done=last_done)
    changes = {"closed": on, "closing_evidence": _text(evidence, "--evidence")}
    splice = src.set_fields((POINTS, pid), changes)
    return Change([splice], "recorded-close", {"id": pid, "date": on, "evidence": evidence})


def reopen(src: Source, pid: str) -> Change:
    ledger = Ledger(src)
    point = ledger.point(pid)
    if point.get("closed") is None:
        raise RefusedChange("not-closed", id=pid)
    splice = src.set_fields((POINTS, pid), {"closed": None, "closing_evidence": None})
    return Change([splice], "recorded-reopen", {"id": pid})


def edit_point(src: Source, pid: str, fields: Mapping[str, Any]) -> Change:
    """Correct a point's title, group, lead, co-operating units, path, outcome or major flag."""
    ledger = Ledger(src)
    ledger.open_point(pid)
    if not fields:
        raise ReformctlError("nothing-to-change")
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "group":
            value = ledger.group(value)
        elif name == "lead":
            value = ledger.unit(value)
        elif name == "units":
            value = ledger.unit_list(value)
        elif name == "title":
            value = _text(value, "--title")
        changes[name] = value
    splice = src.set_fields((POINTS, pid), changes)
    return Change([splice], "recorded-edit", {"ref": pid, "fields": ", ".join(changes)})


def edit_milestone(src: Source, pid: str, key: str, fields: Mapping[str, Any]) -> Change:
    """Correct a milestone's name or baseline due date (an extension is `extend`)."""
    ledger = Ledger(src)
    ledger.open_point(pid)
    ms = ledger.milestone(pid, key)
    if not fields:
        raise ReformctlError("nothing-to-change")
    changes = dict(fields)
    if "name" in changes:
        _text(changes["name"], "--name")
    extensions = ms.get("extensions") or []
    if "due" in changes and extensions and changes["due"] >= extensions[0]["to"]:
        raise RefusedChange(
            "due-after-extension", ref=f"{pid}/{key}", due=changes["due"], to=extensions[0]["to"]
        )
    splice = src.set_fields((POINTS, pid, "milestones", key), changes)
    return Change([splice], "recorded-edit", {"ref": f"{pid}/{key}", "fields": ", ".join(changes)})


def remove_point(src: Source, pid: str, force: bool) -> Change:
    ledger = Ledger(src)
    point = ledger.point(pid)
    facts = _recorded_facts(point)
    if facts and not force:
        raise RefusedChange("remove-has-facts", hint="hint-force", ref=pid, facts=facts)
    return Change(src.remove_tables((POINTS, pid)), "removed", {"ref": pid})


def remove_milestone(src: Source, pid: str, key: str, force: bool) -> Change:
    ledger = Ledger(src)
    ledger.open_point(pid)
    ms = ledger.milestone(pid, key)
    if ms.get("done") is not None and not force:
        raise RefusedChange(
            "remove-has-facts", hint="hint-force", ref=f"{pid}/{key}", facts=f"done {ms['done']}"
        )
    return Change(
        src.remove_tables((POINTS, pid, "milestones", key)), "removed", {"ref": f"{pid}/{key}"}
    )


def _recorded_facts(point: Mapping[str, Any]) -> str:
    facts = []
    done_count = sum(1 for ms in (point.get("milestones") or {}).values() if ms.get("done"))
    if done_count:
        facts.append(f"{done_count} done")
    if point.get("progress"):
        facts.append(f"{len(point['progress'])} progress entries")
    if point.get("closed"):
        facts.append("closed")
    return ", ".join(facts)


def import_tables(src: Source, plan: ImportPlan) -> Change:
    """Add what an import planned: units after the last unit, groups after the last group, each
    point (with its milestones and monthly entries) in ID order."""

    Ledger(src)

    Tables = list[tuple[tuple[str, ...], dict[str, Any]]]

    def block(tables: Tables) -> tuple[str, Tables]:
        out = []
        for path, fields in tables:
            lines = [tomltext.header(*path)]
            lines += [f"{tomltext.key(k)} = {tomltext.value(v)}" for k, v in fields.items()]
            out.append("\n".join(lines) + "\n")
        return "\n".join(out), tables

    ledger = Ledger(src)
    # The plan was made before the lock was taken: re-check it against the ledger as it is now.
    taken = [f"units.{k}" for k in plan.units if src.has_header(("units", k))]
    taken += [f"groups.{k}" for k in plan.groups if src.has_header(("groups", k))]
    taken += [f"points.{p.id}" for p in plan.points if src.data((POINTS, p.id)) is not None]
    if taken:
        raise RefusedChange("ledger-changed-since", file=src.name, tables=", ".join(taken))
    by_pos: dict[int, list[tuple[str, Tables]]] = {}
    if plan.units:
        by_pos.setdefault(ledger.after_section("units"), []).append(
            block([(("units", k), {"name": n}) for k, n in plan.units.items()])
        )
    if plan.groups:
        by_pos.setdefault(ledger.after_section("groups", "units"), []).append(
            block(
                [(("groups", k), {"name": n, "lead": lead}) for k, (n, lead) in plan.groups.items()]
            )
        )
    points = [h for h in src.index.headers if len(h.path) == 2 and h.path[0] == POINTS]
    for p in plan.points:
        later = [h for h in points if natural_key(h.path[1]) > natural_key(p.id)]
        pos = (
            src.block_start(min(later, key=lambda h: natural_key(h.path[1])).path)
            if later
            else ledger.after_section(POINTS, "groups", "units")
        )
        fields: dict[str, Any] = {
            "title": p.title,
            "group": p.group,
            "lead": p.lead,
            "units": p.units,
            "path": p.path,
            "outcome": p.outcome,
            "major": p.major,
        }
        if p.closed is not None:
            fields |= {"closed": p.closed, "closing_evidence": p.closing_evidence}
        tables: list[tuple[tuple[str, ...], dict[str, Any]]] = [((POINTS, p.id), fields)]
        tables += [
            ((POINTS, p.id, "milestones", m["key"]), {k: v for k, v in m.items() if k != "key"})
            for m in p.milestones
        ]
        if p.progress:
            tables.append(((POINTS, p.id, "progress"), dict(sorted(p.progress.items()))))
        by_pos.setdefault(pos, []).append(block(tables))
    splices = [
        src.insert_block(
            pos, "\n".join(text for text, _ in blocks), tuple(t for _, ts in blocks for t in ts)
        )
        for pos, blocks in by_pos.items()
    ]
    args = {
        "points": len(plan.points),
        "milestones": plan.milestones,
        "units": len(plan.units),
        "groups": len(plan.groups),
    }
    return Change(splices, "imported", args)


def _unknown_id(
    code: str, ids: Iterable[str], value: str, prefix: str = "", **args: Any
) -> RefusedChange:
    """An unknown point or milestone (its key, shown after ``prefix``: ``R26-01/``), with the
    nearest IDs as a wrong unit gets the nearest units."""
    close = nearest_ids(ids, value)
    if not close:
        return RefusedChange(code, **args)
    suggestion = Choices(prefix + c for c in close)
    return RefusedChange(code, hint="did-you-mean-key", suggestion=suggestion, **args)


# -- import --update: an edited 台账 back into the ledger
def import_update(src: Source, plan: UpdatePlan, today: dt.date) -> Change:
    """Everything an edited 台账 changes, as one write: done dates and evidence, this month's
    progress, new milestones, new points. Field edits come before the tables inserted, so that
    a line added at the end of a table stays in that table."""
    edits: list[Splice] = []
    inserts: list[Splice] = []
    # one milestone's changes (done, evidence, a new name) are one splice of its table: each is
    # checked as its command checks it, then the fields are set together
    fields_of: dict[tuple[str, str], dict[str, Any]] = {}
    for pid, key, on, evidence in plan.done:
        done(src, pid, key, on, evidence, today)
        fields = fields_of.setdefault((pid, key), {})
        fields["done"] = on
        if evidence is not None:
            fields["evidence"] = evidence
    for pid, key, evidence in plan.evidence:
        Ledger(src).milestone(pid, key)
        fields_of.setdefault((pid, key), {})["evidence"] = evidence
    for pid, key, changes in plan.milestone_edits:
        edit_milestone(src, pid, key, changes)
        fields_of.setdefault((pid, key), {}).update(changes)
    for (pid, key), fields in fields_of.items():
        edits.append(src.set_fields((POINTS, pid, "milestones", key), fields))
    for pid, fields in plan.point_edits:
        edits += edit_point(src, pid, fields).splices
    for pid, month, text in plan.progress:
        splice = log(src, pid, text, month, today, replace=True).splices[0]
        (inserts if splice.start == splice.end and "[" in splice.text else edits).append(splice)
    for pid, key, name, due in plan.milestones:
        inserts += milestone_add(src, pid, key, name, due).splices
    if plan.new.points:
        inserts += import_tables(src, plan.new).splices
    args = {
        "done": len(plan.done),
        "evidence": len(plan.evidence),
        "progress": len(plan.progress),
        "milestones": len(plan.milestones) + plan.new.milestones,
        "points": len(plan.new.points),
        "edits": len(plan.point_edits) + len(plan.milestone_edits),
    }
    return Change(edits + inserts, "import-updated", args)


def preview(
    path: Path, plan: Callable[[Source], Change], context: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ledger's data before and after a change, without writing (for ``--dry-run``);
    ``context`` is a workspace's other files' data."""

    src = Source.from_bytes(path.read_bytes(), path)
    src.context = context
    change = plan(src)
    return loads(src.text), loads(src.apply(change.splices))
