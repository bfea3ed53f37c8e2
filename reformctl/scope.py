"""A part of a ledger: the points (and office records) held by one file of a workspace, for a
group's or a city's own circular. Units and groups stay whole: they are declared once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reformctl import records
from reformctl.errors import ReformctlError
from reformctl.model import Ledger

# the sections whose entries live in ledger files (each knows its file by its ``loc``)
_HELD = (
    "points",
    "topics",
    "meetings",
    "pilots",
    "cases",
    "outposts",
    "feedback",
    "notices",
    "circulars",
    "publicity",
)


def files_of(ledger: Ledger) -> list[str]:
    """Every file that holds a point, in the order of first appearance."""
    return list(dict.fromkeys(p.loc.file for p in ledger.points.values()))


def one_file(ledger: Ledger, file: str) -> Ledger:
    """The ledger cut to what ``file`` holds; its title names the group or city the file is
    for (the one all its points share) or else the file."""
    if file not in files_of(ledger):
        raise ReformctlError(
            "scope-no-such-file", file=file, files="、".join(files_of(ledger)) or "-"
        )
    cut: dict[str, Any] = {}
    for name in _HELD:
        entries: Mapping[str, Any] = getattr(ledger, name)
        cut[name] = {k: v for k, v in entries.items() if v.loc.file == file}
    points = cut["points"].values()
    groups = {p.group for p in points}
    cities = {p.city for p in points}
    if len(cities) == 1 and None not in cities:
        what = str(next(iter(cities)))
    elif len(groups) == 1:
        what = ledger.group_name(next(iter(groups)))
    else:
        what = file
    settings = records.replace(ledger.settings, title=f"{ledger.settings.title}（{what}）")
    return records.replace(ledger, settings=settings, **cut)
