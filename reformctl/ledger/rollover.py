"""Next year's ledger: every section the schema marks to carry over (units, groups, the topic
reserve, the rolling pilot library, the outposts) copied whole, and every unfinished point
carried over with its open milestones and a note of where it came from (as `hledger close
--clopen` opens next year's books). The old ledger is never touched.

Unfinished: not closed, and with an open milestone (or no milestone yet). A point whose
milestones are all done but which is not yet closed stays in the old ledger to be struck off
there, with its evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reformctl.ledger import tomltext
from reformctl.model import SCHEMA_VERSION, Ledger, Point, natural_key, point_fields
from reformctl.schema import SECTIONS


def unfinished(ledger: Ledger) -> list[Point]:
    return [
        p
        for p in ledger.points.values()
        if p.closed is None and (not p.milestones or any(m.done is None for m in p.milestones))
    ]


def next_year_text(ledger: Ledger, data: Mapping[str, Any], year: int, source_name: str) -> str:
    s = ledger.settings
    old_year = str(s.year)
    title = s.title.replace(old_year, str(year)) if old_year in s.title else f"{year}年{s.title}"
    out = [
        f"# {title}",
        f"# 由 reformctl rollover 自 {source_name}（{s.year}年）结转："
        "未完成的工作要点连同其未完成节点。",
        f"schema = {SCHEMA_VERSION}",
        "",
        "[ledger]",
        f"title = {tomltext.string(title)}",
        f"year = {year}",
        f"timezone = {tomltext.string(s.timezone)}",
        f"soon_days = {s.soon_days}",
    ]
    if s.lang:
        out.append(f"lang = {tomltext.string(s.lang)}")

    def table(path: tuple[str, ...], fields: dict[str, object]) -> None:
        out.extend(["", tomltext.header(*path)])
        out.extend(f"{tomltext.key(k)} = {tomltext.value(v)}" for k, v in fields.items())

    def tables(path: tuple[str, ...], value: Mapping[str, Any]) -> None:
        """A table as it was, its sub-tables under headers of their own."""
        table(path, {k: v for k, v in value.items() if not isinstance(v, Mapping)})
        for key in sorted((k for k, v in value.items() if isinstance(v, Mapping)), key=natural_key):
            tables((*path, key), value[key])

    carried = [s for s in SECTIONS if s.carry]
    for section in carried[:2]:  # units and groups come before the points
        for key, value in (data.get(section.path[0]) or {}).items():
            tables((section.path[0], key), value)
    for section in carried[2:]:
        if section.name == "topics":
            for key, value in (data.get("topics") or {}).items():
                tables(("topics", key), value)
    for p in unfinished(ledger):
        table(
            ("points", p.id),
            {
                **point_fields(p),
                "carried_from": f"{s.year}:{p.id}",
            },
        )
        for m in p.milestones:
            if m.done is None:  # the due date in force becomes next year's baseline
                table(("points", p.id, "milestones", m.key), {"name": m.name, "due": m.due_now})
        if p.progress:  # its history: the monthly entries so far
            table(("points", p.id, "progress"), {e.month: e.text for e in p.progress})
    for section in carried[2:]:
        if section.name != "topics":
            for key, value in (data.get(section.path[0]) or {}).items():
                tables((section.path[0], key), value)
    return "\n".join(out) + "\n"
