"""A workbook's tables as rows with a meaning: which sheets (or a document's tables) hold a
work-point table, where each header is, and what each row below it is (a point's row, the
continuation of the point above, a group row, a 合计 or 备注 row, a repeated header, a blank
separator). Every row keeps its own sheet and row number (:class:`Place`). Pure: the caller
gives the sheets.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reformctl.errors import ReformctlError
from reformctl.i18n import MESSAGES, L, label, tr
from reformctl.intake.header import (
    HEAD_ROWS,
    SYNONYMS,
    Header,
    find_header,
    headers_found,
    normalise,
)

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
        """The reason, after the column's header name where it names a column (the column's
        letter is in the place before it: :meth:`Place.at`)."""
        text = tr(self.code, lang, **dict(self.args))
        if self.column is None:
            return text
        return tr("intake-at-column", lang, name=self.header, why=text)


@dataclass(frozen=True, order=True)
class Place:
    """Where a row is: its table's order in the file and its 1-based row number, ordered so;
    ``sheet`` the sheet's (or document table's) name, "" for a CSV file; ``mention`` where the
    file has several tables, so that a reference to another row names its sheet."""

    index: int
    number: int
    sheet: str = field(default="", compare=False)
    mention: bool = field(default=False, compare=False)

    def at(self, column: int | None = None) -> str:
        """``SHEET:ROW:COL`` (``ROW:COL`` in a CSV file; without the column where none)."""
        parts = [self.sheet] if self.sheet else []
        parts.append(str(self.number))
        if column is not None:
            parts.append(column_letter(column))
        return ":".join(parts)

    def line(self, lang: str) -> str:
        """The row as a message refers to it: 第5行, or “社会”第5行 in a file of several tables."""
        if self.mention and self.sheet:
            return tr("intake-row-of-sheet", lang, sheet=self.sheet, row=self.number)
        return tr("intake-row-ref", lang, row=self.number)


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


@dataclass(eq=False)
class Part:
    """One table of the file: its sheet (or document table) and header. ``index`` its order
    among the tables read, ``table`` the table it belongs to (a document table continued after
    a page break shares the number of the one it continues), ``first``: on the file's first
    sheet, ``mention``: the file has several tables."""

    sheet: Sheet
    header: Header
    index: int = 0
    table: int = 0
    first: bool = True
    mention: bool = False

    @property
    def name(self) -> str:
        return "" if self.sheet.kind == "csv" else self.sheet.name


@dataclass
class Row:
    """One row under the header, with its cells by field."""

    number: int  # 1-based, as the sheet shows it
    kind: str  # point, more (continues the point above), group, skip
    part: Part
    cells: dict[str, Any] = field(default_factory=dict)
    group: str | None = None  # the group row above it, if any
    why: str = ""  # for skipped rows: blank, header, group, total, note
    texts: dict[str, str] = field(default_factory=dict)  # the cells as text, read once

    def text(self, name: str) -> str:
        return self.texts.get(name, "")

    @property
    def place(self) -> Place:
        return Place(self.part.index, self.number, self.part.name, self.part.mention)

    @property
    def columns(self) -> dict[str, int]:
        """The columns of this row's table, by field."""
        return self.part.header.columns

    def reason(self, code: str, name: str | None = None, /, **args: Any) -> Why:
        """A reason this row (or its cell under field ``name``) is not taken."""
        if "hint" in args:
            args["hint"] = Hint(args["hint"])
        header = self.part.header
        col = header.columns.get(name) if name else None
        label = header.names[col] if col is not None and col < header.width else ""
        return Why(code, tuple(args.items()), col, label)


def cell_text(value: Any) -> str:
    """A cell as text: empty for a missing one, ``3`` for a spreadsheet's ``3.0``, trimmed."""
    if value is None:
        return ""
    if type(value) is str:
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class Table:
    """Every work-point table of a file (``parts``, in the file's order) and their rows."""

    parts: list[Part]
    rows: list[Row]
    side: dict[str, list[list[Any]]] = field(default_factory=dict)
    title: str = ""  # the title row above the first header, if any
    # hidden sheets not read: (sheet, the visible sheet holding the same rows, or "")
    passed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def sheet(self) -> Sheet:
        return self.parts[0].sheet

    @property
    def header(self) -> Header:
        return self.parts[0].header

    @property
    def first(self) -> bool:
        return self.parts[0].first

    def everywhere(self, name: str) -> bool:
        """Every table has a column for field ``name``."""
        return all(name in p.header.columns for p in self.parts)

    def anywhere(self, name: str) -> bool:
        return any(name in p.header.columns for p in self.parts)


def locate(sheets: Sequence[Sheet], file: str) -> Table:
    """The tables of a file: every sheet (or document table), in order, whose first rows hold
    a header naming a work point and another field, with rows below it (a 说明 sheet and the
    export's side sheets are passed over). A document table without a header whose columns
    are the table's before it continues that table (Word, across a page break). Refuses a file
    with none, naming the headers found; a hidden column that would be read; a sheet that is a
    verbatim copy of another. A hidden sheet holding a table is read (its rows are then
    refused, as hidden rows are) unless a visible sheet holds the same rows; the hidden sheets
    passed over are listed in ``Table.passed``."""
    side = {s.name: s.filled() for s in sheets if s.name in SIDE_SHEETS}
    found: list[str] = []
    parts: list[Part] = []
    table_rows: list[list[list[Any]]] = []
    empty: tuple[Part, list[list[Any]]] | None = None  # a header with no rows, if nothing else
    passed: list[tuple[str, str]] = []  # (hidden sheet, its visible twin or "")
    for n, sheet in enumerate(sheets):
        if sheet.name in SIDE_SHEETS:
            continue
        rows = sheet.filled()
        header = find_header(rows, sheet.merged, sheet.hidden_columns)
        if header is None or len(header.columns) < 2:
            if parts and _continues(sheet, rows, parts[-1]):
                previous = parts[-1]
                bare = dataclasses.replace(previous.header, row=-1, rows=0)
                parts.append(Part(sheet, bare, len(parts), previous.table, n == 0))
                table_rows.append(rows)
                continue
            if sheet.hidden and any(any(cell_text(v) for v in row) for row in rows):
                passed.append((sheet.name, ""))
            found = found or headers_found(rows)
            continue
        if not sheet.hidden:
            _check_columns(sheet, rows, header, file)
        if not any(any(cell_text(v) for v in row) for row in rows[header.row + 1 :]):
            if empty is None and not sheet.hidden:
                empty = (Part(sheet, header, 0, 0, n == 0), rows)
            continue
        number = parts[-1].table + 1 if parts else 0
        # a Word table whose header is repeated after a page break is the table before it
        docx = sheet.kind == "docx" and bool(parts) and parts[-1].sheet.kind == "docx"
        if docx and header.names == parts[-1].header.names:
            number = parts[-1].table
        parts.append(Part(sheet, header, len(parts), number, n == 0))
        table_rows.append(rows)
    # each table's rows below its header as text, compared to find copies (one table: none)
    several = len(parts) > 1
    bodies = [_body(r, p.header) if several else [] for p, r in zip(parts, table_rows, strict=True)]
    keep = []
    for k, (part, body) in enumerate(zip(parts, bodies, strict=True)):
        twins = [p for p, b in zip(parts, bodies, strict=True) if b == body and p is not part]
        if part.sheet.hidden:
            visible = [p for p in twins if not p.sheet.hidden]
            if visible:  # a hidden copy of a visible sheet: the visible one is read
                passed.append((part.sheet.name, visible[0].sheet.name))
                continue
        elif part.header.rows:
            copied = [p for p in twins if not p.sheet.hidden and p.index < part.index]
            if copied:
                name, other = part.sheet.name, copied[0].sheet.name
                raise ReformctlError("intake-copy-sheet", file=file, sheet=name, other=other)
        keep.append(k)
    parts = [dataclasses.replace(parts[k], index=i) for i, k in enumerate(keep)]
    table_rows = [table_rows[k] for k in keep]
    if not parts and empty is not None:
        parts, table_rows = [empty[0]], [empty[1]]
    if not parts:
        raise ReformctlError(
            "intake-no-header", file=file, found="、".join(found[:12]) or "—", need="工作要点"
        )
    several = len(parts) > 1
    out: list[Row] = []
    group: tuple[str | None, bool] = (None, False)
    for k, (part, rows) in enumerate(zip(parts, table_rows, strict=True)):
        part.mention = several
        if k and part.table != parts[k - 1].table:
            group = (None, False)  # a new table: no group row above it yet
        part_rows, group = classify(rows, part, group)
        out += part_rows
    return Table(parts, out, side, _title(table_rows[0], parts[0].header), passed)


def _check_columns(sheet: Sheet, rows: list[list[Any]], header: Header, file: str) -> None:
    """Refuses a hidden column that would be read, and a table naming no lead unit."""
    where = f"{file}:{sheet.name}" if sheet.kind != "csv" and sheet.name else file
    for name, col in header.hidden_read:
        if any(_has(rows[r], col) for r in range(header.row + 1, len(rows))):
            raise ReformctlError(
                "intake-hidden-column",
                file=where,
                row=header.row + 1,
                column=column_letter(col),
                name=header.names[col],
                field=L(f"field-{name}"),
            )
    if "lead" not in header.columns and "responsible" not in header.columns:
        raise ReformctlError(
            "intake-missing-column",
            file=where,
            need="牵头单位（或 责任单位）",
            found="、".join(x for x in dict.fromkeys(header.names) if x),
        )


def _body(rows: list[list[Any]], header: Header) -> list[list[Any]]:
    """The rows below the header, as text, without trailing empty cells and rows."""
    out = []
    for row in rows[header.row + 1 :]:
        texts = [cell_text(v) for v in row]
        while texts and not texts[-1]:
            texts.pop()
        out.append(texts)
    while out and not out[-1]:
        out.pop()
    return out


def _continues(sheet: Sheet, rows: list[list[Any]], previous: Part) -> bool:
    """A document table continuing the one before it after a page break, without the header
    repeated: both are Word tables, it has the same number of columns, and none of its first
    rows names a field (another table, such as a list of contacts, names its own)."""
    if sheet.kind != "docx" or previous.sheet.kind != "docx":
        return False
    width = max((len(r) for r in rows), default=0)
    if not rows or width != previous.header.width:
        return False
    return not any(find_header([row]) is not None for row in rows[:HEAD_ROWS])


def _has(row: Sequence[Any], col: int) -> bool:
    return col < len(row) and row[col] not in (None, "")


def _title(rows: list[list[Any]], header: Header) -> str:
    """The table's title: the first row above the header that holds one text only."""
    for row in rows[: header.row - header.rows + 1]:
        values = list(dict.fromkeys(cell_text(v) for v in row if cell_text(v)))
        if len(values) == 1 and not values[0].startswith(("填报", "截至", "单位", "说明")):
            return values[0]
    return ""


def classify(
    rows: list[list[Any]], part: Part, above: tuple[str | None, bool] = (None, False)
) -> tuple[list[Row], tuple[str | None, bool]]:
    """Each row under the header, with what it is; ``above``: the group row above the table
    and whether a top-level group row was seen (a table continued after a page break goes on
    with them), and the same at its end."""
    out: list[Row] = []
    header, sheet = part.header, part.sheet
    names = header.names
    wide = {(m[0], m[1]) for m in sheet.merged if m[3] - m[1] >= max(1, header.width // 2)}
    group, top_seen = above
    for r in range(header.row + 1, len(rows)):
        row = rows[r]
        number = r + 1
        cells = {f: row[c] for f, c in header.columns.items() if c < len(row)}
        values = [cell_text(v) for v in row]
        present = [v for v in values if v]
        distinct = list(dict.fromkeys(present))
        if not present:
            out.append(Row(number, "skip", part, why="blank"))
            continue
        title = header.columns["title"]
        again = title < len(row) and normalise(row[title]) == names[title]
        normal = [normalise(v) for v in row] if again else []
        same = sum(1 for c in header.columns.values() if c < len(normal) and normal[c] == names[c])
        if again and same >= max(2, len(header.columns) // 2):
            out.append(Row(number, "skip", part, why="header"))
            continue
        seq = header.columns.get("seq")
        numbered = seq is not None and seq < len(values) and values[seq].isdigit()
        if numbered and all(not v for c, v in enumerate(values) if c != seq):
            out.append(Row(number, "skip", part, why="blank"))  # a numbered row left empty
            continue
        first = normalise(present[0])
        title_text = normalise(values[title]) if title < len(values) else ""
        # a 合计 or 备注 row: its first text says so, and it names no point of its own
        aside = not title_text or title_text == first
        if first.startswith(_TOTAL) and (aside or len(first) <= 6):
            out.append(Row(number, "skip", part, why="total"))
            continue
        label = first.rstrip("：:") in ("备注", "注", "说明", "填报说明")
        if first.startswith(_NOTE) and (aside or label or len(distinct) == 1):
            out.append(Row(number, "skip", part, why="note"))
            continue
        split = _split_group(values, seq, title)
        if split is not None:  # 一 | 经济体制改革: the group's number and name in two cells
            name, top = split
            if top or not top_seen:
                group = name
                top_seen = top_seen or top
            out.append(Row(number, "group", part, group=name, why="group"))
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
            out.append(Row(number, "group", part, group=name, why="group"))
            continue
        texts = {f: values[c] for f, c in header.columns.items() if c < len(values)}
        kind = "point" if any(texts.get(f) for f in IDENTITY) else "more"
        out.append(Row(number, kind, part, cells, group, texts=texts))
    return out, (group, top_seen)


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
