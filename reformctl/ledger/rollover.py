"""Next year's ledger: units and groups as declared, every unfinished point carried over with its
open milestones and a note of where it came from (as `hledger close --clopen` opens next year's
books). The old ledger is never touched.

Unfinished: not closed, and with an open milestone (or no milestone yet). A point whose
milestones are all done but which is not yet closed stays in the old ledger to be struck off
there, with its evidence.
"""

from __future__ import annotations

from reformctl.ledger import tomltext
from reformctl.model import SCHEMA_VERSION, Ledger, Point, point_fields


def unfinished(ledger: Ledger) -> list[Point]:
    return [
        p
        for p in ledger.points.values()
        if p.closed is None and (not p.milestones or any(m.done is None for m in p.milestones))
    ]


def next_year_text(ledger: Ledger, year: int, source_name: str) -> str:
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

    for u in ledger.units.values():
        table(("units", u.key), {"name": u.name})
    for g in ledger.groups.values():
        table(("groups", g.key), {"name": g.name, "lead": g.lead})
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
    return "\n".join(out) + "\n"
