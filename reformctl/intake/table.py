"""A workbook's table as rows with a meaning: which sheet holds it, where its header is, and
what each row below it is (a point's row, the continuation of the point above, a group row, a
合计 or 备注 row, a repeated header, a blank separator). Pure: the caller gives the sheets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reformctl.errors import ReformctlError
from reformctl.i18n import MESSAGES, L, label, tr
from reformctl.intake.header import SYNONYMS, Header, find_header, headers_found, normalise

if TYPE_CHECKING:
    from reformctl.spreadsheets import Sheet

# the sheets `export` writes beside its table, read by name
SIDE_SHEETS = ("单位", "专项小组", "月度进展")

# cells that say which point a row is: all empty on a row that continues the point above
IDENTITY = ("id", "seq", "title", "group", "lead", "responsible", "units", "path", "outcome")
# cells that a continuation row carries
STEP = ("ms_key", "ms_name", "due", "done", "evidence", "progress")

_GROUP = re.compile(
    r"^(?:(?P<top>[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+部分[、:：\s]*)"
    r"|(?P<sub>[（(][一二三四五六七八九十]+[）)]))\s*(?P<name>.+?)"
    r"(?:[（(](?:共)?\d+(?:项|条|个)[）)])?$",
    re.S,
)
_TOTAL = ("合计", "小计", "总计", "共计")
_NOTE = (
    "备注",
    "说明",
    "注：",
    "注:",
    "填报说明",
    "填报人",
    "审核人",
    "联系人",
    "联系电话",
    "制表",
)


@dataclass(frozen=True)
class Why:
    """Why a row or a cell is not taken: a catalogue message, rendered in the reader's language;
    ``column`` the 0-based column it names, if one."""

    code: str
    args: tuple[tuple[str, Any], ...] = ()
    column: int | None = None
    header: str = ""

    def line(self, lang: str) -> str:
        text = tr(self.code, lang, **dict(self.args))
        if self.column is None:
            return text
        return tr(
            "intake-at-column", lang, column=column_letter(self.column), name=self.header, why=text
        )


@dataclass(frozen=True)
class Hint:
    """The date parser's hint (a catalogue key), or nothing."""

    code: str | None

    def line(self, lang: str) -> str:
        if not self.code:
            return ""

        text = tr(self.code, lang) if self.code in MESSAGES else label(self.code, lang)
        return tr("intake-date-hint", lang, hint=text)


def column_letter(i: int) -> str:
    name, n = "", i + 1
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


@dataclass
class Row:
    """One row under the header, with its cells by field."""

    number: int  # 1-based, as the sheet shows it
    kind: str  # point, more (continues the point above), group, skip
    cells: dict[str, Any] = field(default_factory=dict)
    group: str | None = None  # the group row above it, if any
    why: str = ""  # for skipped rows: blank, header, group, total, note
    texts: dict[str, str] = field(default_factory=dict)  # the cells as text, read once

    def text(self, name: str) -> str:
        return self.texts.get(name, "")


def cell_text(value: Any) -> str:
    """A cell as text: empty for a missing one, ``3`` for a spreadsheet's ``3.0``, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class Table:
    sheet: Sheet
    header: Header
    rows: list[Row]
    first: bool  # the table is on the file's first sheet
    side: dict[str, list[list[Any]]] = field(default_factory=dict)
    title: str = ""  # the title row above the header, if any

    def column(self, name: str) -> int | None:
        return self.header.columns.get(name)

    def why(self, code: str, name: str | None = None, /, **args: Any) -> Why:
        if "hint" in args:
            args["hint"] = Hint(args["hint"])
        col = self.column(name) if name else None
        header = self.header.names[col] if col is not None and col < self.header.width else ""
        return Why(code, tuple(args.items()), col, header)


def locate(sheets: Sequence[Sheet], file: str) -> Table:
    """The table of a file: the first sheet, in order, whose first rows hold a header naming a
    work point and another field (a 说明 sheet before it is passed over). Refuses a file with
    none, naming the headers found; refuses a hidden column that would be read."""
    side = {s.name: s.filled() for s in sheets if s.name in SIDE_SHEETS}
    found: list[str] = []
    for n, sheet in enumerate(sheets):
        if sheet.name in SIDE_SHEETS:
            continue
        rows = sheet.filled()
        header = find_header(rows, sheet.merged, sheet.hidden_columns)
        if header is None or len(header.columns) < 2:
            found = found or headers_found(rows)
            continue
        for name, col in header.hidden_read:
            if any(_has(rows[r], col) for r in range(header.row + 1, len(rows))):
                raise ReformctlError(
                    "intake-hidden-column",
                    file=file,
                    column=column_letter(col),
                    name=header.names[col],
                    field=L(f"field-{name}"),
                )
        if "lead" not in header.columns and "responsible" not in header.columns:
            raise ReformctlError(
                "intake-missing-column",
                file=file,
                need="牵头单位（或 责任单位）",
                found="、".join(x for x in dict.fromkeys(header.names) if x),
            )
        _one_table(sheets[n + 1 :], sheet, header, file)
        table = Table(sheet, header, [], n == 0, side, _title(rows, header))
        table.rows = classify(rows, header, sheet)
        return table
    raise ReformctlError(
        "intake-no-header", file=file, found="、".join(found[:12]) or "—", need="工作要点"
    )


def _one_table(later: Sequence[Sheet], sheet: Sheet, header: Header, file: str) -> None:
    """Refuses a second sheet or document table holding a work-point header with rows below
    it: import reads one table, and points of another would be dropped without a word."""
    for other in later:
        if other.name in SIDE_SHEETS:
            continue
        rows = other.filled()
        found = find_header(rows, other.merged, other.hidden_columns)
        if found is None or len(found.columns) < 2 or "title" not in found.columns:
            continue
        if any(any(cell_text(v) for v in row) for row in rows[found.row + 1 :]):
            raise ReformctlError(
                "intake-second-table",
                file=file,
                sheet=other.name,
                first=sheet.name,
                row=found.row + 1,
            )


def _has(row: Sequence[Any], col: int) -> bool:
    return col < len(row) and row[col] not in (None, "")


def _title(rows: list[list[Any]], header: Header) -> str:
    """The table's title: the first row above the header that holds one text only."""
    for row in rows[: header.row - header.rows + 1]:
        values = list(dict.fromkeys(cell_text(v) for v in row if cell_text(v)))
        if len(values) == 1 and not values[0].startswith(("填报", "截至", "单位", "说明")):
            return values[0]
    return ""


def classify(rows: list[list[Any]], header: Header, sheet: Sheet) -> list[Row]:
    """Each row under the header, with what it is."""
    out: list[Row] = []
    names = header.names
    wide = {(m[0], m[1]) for m in sheet.merged if m[3] - m[1] >= max(1, header.width // 2)}
    group: str | None = None
    top_seen = False
    for r in range(header.row + 1, len(rows)):
        row = rows[r]
        number = r + 1
        cells = {f: row[c] for f, c in header.columns.items() if c < len(row)}
        values = [cell_text(v) for v in row]
        present = [v for v in values if v]
        distinct = list(dict.fromkeys(present))
        if not present:
            out.append(Row(number, "skip", why="blank"))
            continue
        title = header.columns["title"]
        again = title < len(row) and normalise(row[title]) == names[title]
        normal = [normalise(v) for v in row] if again else []
        same = sum(1 for c in header.columns.values() if c < len(normal) and normal[c] == names[c])
        if again and same >= max(2, len(header.columns) // 2):
            out.append(Row(number, "skip", why="header"))
            continue
        seq = header.columns.get("seq")
        numbered = seq is not None and seq < len(values) and values[seq].isdigit()
        if numbered and all(not v for c, v in enumerate(values) if c != seq):
            out.append(Row(number, "skip", why="blank"))  # a numbered row left empty
            continue
        first = normalise(present[0])
        title_text = normalise(values[title]) if title < len(values) else ""
        # a 合计 or 备注 row: its first text says so, and it names no point of its own
        aside = not title_text or title_text == first
        if first.startswith(_TOTAL) and (aside or len(first) <= 6):
            out.append(Row(number, "skip", why="total"))
            continue
        label = first.rstrip("：:") in ("备注", "注", "说明", "填报说明")
        if first.startswith(_NOTE) and (aside or label or len(distinct) == 1):
            out.append(Row(number, "skip", why="note"))
            continue
        split = _split_group(values, seq, title)
        if split is not None:  # 一 | 经济体制改革: the group's number and name in two cells
            name, top = split
            if top or not top_seen:
                group = name
                top_seen = top_seen or top
            out.append(Row(number, "group", group=name, why="group"))
            continue
        m = _GROUP.match(distinct[0]) if len(distinct) == 1 else None
        spans = any((r, c) in wide for c in range(len(row)))
        # a numbered group row is written at the left (or in the title column): numbered text
        # alone in a milestone column further right continues the point above
        where = next(c for c, v in enumerate(values) if v)
        left = where == 0 or where == title
        if len(distinct) == 1 and ((m and left) or (spans and not _only_steps(cells))):
            name = (m.group("name") if m else distinct[0]).strip()
            if m is None or m.group("top") or not top_seen:
                group = name
                top_seen = top_seen or bool(m and m.group("top"))
            out.append(Row(number, "group", group=name, why="group"))
            continue
        texts = {f: values[c] for f, c in header.columns.items() if c < len(values)}
        kind = "point" if any(texts.get(f) for f in IDENTITY) else "more"
        out.append(Row(number, kind, cells, group, texts=texts))
    return out


_MARK_TOP = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]?|第[一二三四五六七八九十]+部分)$")
_MARK_SUB = re.compile(r"^[（(][一二三四五六七八九十]+[）)]$")


def _split_group(values: list[str], seq: int | None, title: int) -> tuple[str, bool] | None:
    """(name, a top-level group) of a row holding only a group's number in the 序号 column and
    its name in the title column; None for any other row."""
    if seq is None or seq == title or max(seq, title) >= len(values):
        return None
    if any(v for c, v in enumerate(values) if c not in (seq, title)) or not values[title]:
        return None
    mark = values[seq]
    if _MARK_TOP.match(mark):
        return values[title], True
    if _MARK_SUB.match(mark):
        return values[title], False
    return None


def _only_steps(cells: dict[str, Any]) -> bool:
    """A row whose one text sits in a milestone column (a continuation, not a group row)."""
    return any(cell_text(cells.get(f)) for f in STEP) and not any(
        cell_text(cells.get(f)) for f in IDENTITY
    )


assert set(IDENTITY) | set(STEP) <= set(SYNONYMS) | {"seq"}
