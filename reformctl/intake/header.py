"""Where a sheet's table is: the header row found among the first rows of every sheet, read
through the one table of header names offices use (:data:`SYNONYMS`).

A header cell is compared with line breaks, spaces and full-width spaces taken out (``完成\\n时限``
is ``完成时限``), and then without a trailing note in brackets (``完成时限（2026年）``). A header
over two rows (``完成时限`` merged over ``计划完成时间`` and ``实际完成时间``) is read as one: each
column takes its lower name, or the upper one where it has none. Pure.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Each field of a row, and the headers that name it, most specific first: where two columns
# name one field, the one whose name comes first here is read (调整后完成时限 before 完成时限).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "要点编号", "任务编号", "ID"),
    "title": (
        "工作要点",
        "改革任务",
        "重点任务",
        "改革事项",
        "重点改革任务",
        "任务名称",
        "工作任务",
        "具体举措",
    ),
    "group": ("专项小组", "专项工作小组", "所属小组", "牵头专项小组"),
    "lead": ("牵头单位", "牵头部门", "牵头责任单位"),
    "units": ("配合单位", "参与单位", "协同单位", "配合部门"),
    # 责任单位 beside a 牵头单位 column holds the co-operating units; alone, every unit with the
    # lead marked （牵头）
    "responsible": ("责任单位", "责任部门", "改革责任主体", "责任主体"),
    "path": ("实施路径", "工作措施", "主要举措", "推进措施", "工作举措", "具体举措"),
    "outcome": ("成果形式", "预期成果", "成果"),
    "major": ("重大改革事项", "是否重大", "重大事项"),
    "ms_key": ("节点编号",),
    "ms_name": ("节点", "节点任务", "阶段任务", "时间节点任务", "节点目标", "阶段目标"),
    "due": (
        "调整后完成时限",
        "调整后完成时间",
        "完成时限",
        "计划完成时间",
        "计划完成时限",
        "完成时间",
        "时间节点",
        "截止时间",
        "时限要求",
        "计划",
    ),
    "done": ("完成日期", "实际完成时间", "实际完成日期", "实际"),
    "evidence": ("佐证材料", "文号", "完成佐证", "成果文号"),
    "progress": ("本月进展", "进展情况", "最新进展", "推进情况"),
    "closed": ("销号日期",),
    "closing_evidence": ("销号佐证",),
    "seq": ("序号",),
}
# Names that only mean something under a parent (计划 / 实际 under 完成时限).
_SUB_ONLY = {"计划", "实际"}
# What a table needs: the point's title; the rest may come from options or other columns.
REQUIRED = ("title",)

_SPACE = re.compile(r"[\s\u3000]+")
_NOTE = re.compile(r"[（(][^（）()]*[）)]$")
_STAR = re.compile(r"^[*＊※]+|[*＊※]+$")
# a count's unit in brackets: `重点任务（项）` heads a column of numbers (a 汇总 sheet), no field
_COUNT = re.compile(r"[（(]\s*(?:共)?(?:项|个|条|件|次|家|项数|个数|数量|%|％)\s*[）)]$")

HEAD_ROWS = 20  # how far down a sheet the header is looked for


def normalise(value: Any) -> str:
    """A header cell as compared: no line breaks, spaces or full-width spaces, no marks."""
    if value is None:
        return ""
    return _normal_text(value if type(value) is str else str(value))


@functools.lru_cache(maxsize=8192)  # an export repeats a point's title on each of its rows
def _normal_text(text: str) -> str:
    return _STAR.sub("", _SPACE.sub("", text))


_BY_NAME = {name: f for f, names in SYNONYMS.items() for name in names}
# a name of several fields (具体举措: the title where no other column is, else the path)
_ALSO = {
    name: [f for f in SYNONYMS if name in SYNONYMS[f]]
    for names in SYNONYMS.values()
    for name in names
    if sum(name in n for n in SYNONYMS.values()) > 1
}


def field_of(name: str, *, sub: bool = False) -> str | None:
    """The field a header names, or None (``sub``: the name sits under a parent)."""
    if _COUNT.search(name):
        return None
    for candidate in (name, _NOTE.sub("", name)):
        found = _BY_NAME.get(candidate)
        if found is not None and (sub or candidate not in _SUB_ONLY):
            return found
    return None


def priority(name: str, f: str | None = None) -> int:
    f = f or field_of(name, sub=True)
    names = SYNONYMS.get(f or "", ())
    base = _NOTE.sub("", name)
    return names.index(name) if name in names else names.index(base) if base in names else 99


@dataclass
class Header:
    """A table's header: the row(s) it takes, each column's name, and which column is read for
    each field (visible columns first; a hidden one only where no visible column names it)."""

    row: int  # 0-based, the last header row (data starts below it)
    rows: int  # 1 or 2
    names: list[str]
    columns: dict[str, int] = field(default_factory=dict)
    # (field, hidden column read) where no visible twin exists: refused by the caller
    hidden_read: list[tuple[str, int]] = field(default_factory=list)
    # hidden columns left for a visible twin, named in the preview
    hidden_twins: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.names)


def _map(names: Sequence[str], hidden: frozenset[int], sub: Sequence[bool]) -> Header:
    header = Header(0, 1, list(names))
    candidates: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        f = field_of(name, sub=sub[i]) if name else None
        if f is not None:
            for also in _ALSO.get(name, _ALSO.get(_NOTE.sub("", name), [f])):
                candidates.setdefault(also, []).append(i)
    used: set[int] = set()  # a column names one field (具体举措: the title only where none is)
    for f in SYNONYMS:
        cols = sorted(
            (i for i in candidates.get(f, []) if i not in used),
            key=lambda i: (i in hidden, priority(names[i], f), i),
        )
        if not cols:
            continue
        chosen = cols[0]
        header.columns[f] = chosen
        used.add(chosen)
        if chosen in hidden:
            header.hidden_read.append((f, chosen))
        else:
            header.hidden_twins += [(f, i, chosen) for i in cols[1:] if i in hidden]
    return header


def _row_names(row: Sequence[Any]) -> list[str]:
    return [normalise(v) for v in row]


def find_header(
    rows: Sequence[Sequence[Any]],
    merged: Sequence[tuple[int, int, int, int]] = (),
    hidden: frozenset[int] = frozenset(),
) -> Header | None:
    """The header among the first rows: the row naming a work point and the most other fields
    (a title merged across the columns reads as one name in each cell, and is not enough alone
    unless no row names more), with the row below it joined where it is a second header row."""
    best: Header | None = None
    for i, row in enumerate(rows[:HEAD_ROWS]):
        names = _row_names(row)
        header = _map(names, hidden, [False] * len(names))
        if "title" not in header.columns:
            continue
        header.row = i
        two = _second_row(rows, i, names, merged, hidden)
        if two is not None:
            header = two
        if best is None or len(header.columns) > len(best.columns):
            best = header
        if len(best.columns) > 1 and len(header.columns) > 1:
            break
    return best


def _second_row(
    rows: Sequence[Sequence[Any]],
    i: int,
    names: list[str],
    merged: Sequence[tuple[int, int, int, int]],
    hidden: frozenset[int],
) -> Header | None:
    """The header over rows ``i`` and ``i + 1`` where the second is a row of sub-headers: a
    cell of row ``i`` merged across columns, and every cell of the row below either empty,
    the name above it (a cell merged down) or a header name."""
    if i + 1 >= len(rows):
        return None
    across = [m for m in merged if m[0] == i and m[3] > m[1]]
    if not across:
        return None
    below = _row_names(rows[i + 1])
    subs = [False] * max(len(names), len(below))
    joined = list(names) + [""] * (len(subs) - len(names))
    own = 0
    for c, name in enumerate(below):
        if not name or (c < len(names) and name == names[c]):
            continue
        if field_of(name, sub=True) is None:
            return None
        joined[c], subs[c] = name, True
        own += 1
    if not own:
        return None
    header = _map(joined, hidden, subs)
    header.row, header.rows = i + 1, 2
    return header


def headers_found(rows: Sequence[Sequence[Any]]) -> list[str]:
    """The header names of the row that names the most fields (for a refusal's message)."""
    best: list[str] = []
    score = -1
    for row in rows[:HEAD_ROWS]:
        names = _row_names(row)
        n = len(_map(names, frozenset(), [False] * len(names)).columns)
        if n > score:
            best, score = [x for x in dict.fromkeys(names) if x], n
    return best
