"""Tables for a person at a terminal: the office's warning lights, laid out for any width.

Red: overdue. Yellow: behind or due soon. Green: on track or ahead. Dim: closed.

Laid out here rather than by rich: 10,000 rows must print about as fast as plain text, and the
rules of a narrow screen are the office's, not a library's:

- key columns (IDs, units, dates, states, figures) are never dropped nor cut: they break only
  between words (``2026-10-31`` / ``（延期1次）``), never inside a date or an ID;
- text columns (titles, names) give way first: shortened with an ellipsis (``clip``) or folded
  onto more lines, but a name keeps 8 cells of its text and the … (``NAME_FLOOR``: 出台职务…,
  not 出台…) while a unit's name can be shortened instead; a column marked ``optional`` (a
  point's group beside its title) is left out before a title gets unreadably short;
- no column is narrower than its header's first word (a Chinese header's first word is its
  first two characters), so a header never shrinks to 排 or 逾;
- bars give way to bare percentages first; then text columns; then two spaces between columns
  become one; only then do headers fold onto two lines.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from reformctl.render.console import color_enabled
from reformctl.render.escape import visible
from reformctl.render.table import Column, Table, bar, percent

STYLES = {"red": "31", "yellow": "33", "green": "32", "dim": "2", "bold": "1"}
COMFORT = 16  # a text column is not squeezed below this before optional columns go
NAME_FLOOR = 9  # a name (名称, 工作要点) keeps 8 cells of text and … while other columns give
ELLIPSIS = "…"


@functools.lru_cache(maxsize=1 << 16)
def width(text: str) -> int:
    """Terminal cells of ``text`` (a CJK character fills two)."""
    if text.isascii():
        return len(text)
    from wcwidth import wcswidth

    w = wcswidth(text)
    return w if w >= 0 else sum(char_width(c) for c in text)


@functools.lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    if ch.isascii():
        return 1
    from wcwidth import wcwidth

    return max(wcwidth(ch), 0)


_WORDS = re.compile(r"(\s*)(（[^（\s]*|[^\s（]+)")  # break at spaces and before a full-width （
_FOLD = re.compile(r"(\s*)([\x21-\x7e]+|[^\s])")  # fold: Latin words whole, CJK per character


NO_LINE_START = "，。、；：！？）》」』”’〕】"
NO_LINE_END = "（《「『“‘〔【"


def fold_pieces(text: str) -> list[tuple[str, str]]:
    """``(separator, piece)`` pairs for folding running text (for :func:`flow`): Latin words
    whole, CJK per character, punctuation kept with its neighbour (a line never starts with ，
    or ” nor ends with “ or （)."""
    pieces: list[tuple[str, str]] = []
    for m in _FOLD.finditer(text):
        sep, piece = m.group(1) and " ", m.group(2)
        if pieces and not sep and (piece[0] in NO_LINE_START or pieces[-1][1][-1] in NO_LINE_END):
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + piece)
        else:
            pieces.append((sep, piece))
    return pieces


def words(text: str) -> list[tuple[str, str]]:
    """``(separator, word)`` pairs: where a key cell may break."""
    return [(m.group(1) and " ", m.group(2)) for m in _WORDS.finditer(text)]


def header_words(header: str) -> list[tuple[str, str]]:
    """A header's words; a run of Chinese splits into two-character words (节点/数)."""
    out: list[tuple[str, str]] = []
    for sep, word in words(header):
        if word.isascii():
            out.append((sep, word))
            continue
        chunks = [word[i : i + 2] for i in range(0, len(word), 2)]
        out += [(sep if i == 0 else "", c) for i, c in enumerate(chunks)]
    return out


def flow(pieces: Iterable[tuple[str, str]], limit: int) -> list[str]:
    """Greedy line filling; a piece wider than ``limit`` is folded by characters."""
    lines: list[str] = []
    line, used = "", 0
    for sep, piece in pieces:
        w = width(piece)
        gap = width(sep) if line else 0
        if used + gap + w <= limit:
            line, used = line + (sep if line else "") + piece, used + gap + w
            continue
        if line:
            lines.append(line)
        line, used = "", 0
        if w <= limit:
            line, used = piece, w
            continue
        for ch in piece:  # longer than a whole line: fold it
            cw = char_width(ch)
            if used + cw > limit and line:
                lines.append(line)
                line, used = "", 0
            line, used = line + ch, used + cw
    if line or not lines:
        lines.append(line)
    return lines


def clip(text: str, limit: int) -> str:
    """One line of at most ``limit`` cells, ending in … when shortened."""
    if width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        cw = char_width(ch)
        if used + cw > limit - 1:
            break
        out, used = out + ch, used + cw
    return out + ELLIPSIS


def _widest_word(text: str) -> int:
    if " " not in text and "（" not in text:
        return width(text)
    return max((width(w) for _, w in words(text)), default=0)


def _header_floor(header: str) -> int:
    """The widest word of a header (so at least its first): headers fold, words never break."""
    return max((width(w) for _, w in header_words(header)), default=0)


@dataclass
class _Col:
    spec: Column
    cells: list[str]  # as shown with bars
    plain: list[str]  # bars as percentages
    natural: int = 0
    floor: int = 0  # the narrowest it may be
    width: int = 0
    bars: bool = False
    shown: bool = True
    name: bool = False  # the first text column: what the row is (名称, 工作要点)

    @property
    def key(self) -> bool:
        c = self.spec
        return c.nowrap or c.align == "right" or c.bar or c.key

    def text(self) -> list[str]:
        return self.cells if self.bars else self.plain


def _columns(table: Table, bar_width: int) -> list[_Col]:
    cols = []
    for i, spec in enumerate(table.columns):
        values = [row[i] for row in table.rows]
        # what users typed is shown, never run: control characters as escapes (\n, \x1b)
        plain = [percent(v) if spec.bar else ("" if v is None else visible(str(v))) for v in values]
        cells = [bar(v, bar_width) for v in values] if spec.bar else plain
        col = _Col(spec, cells, plain, bars=spec.bar)
        head = width(spec.header) if table.show_header else 0
        col.natural = max([head, *map(width, col.text())])
        first = _header_floor(spec.header) if table.show_header else 0
        if col.key:
            widest_word = max((_widest_word(c) for c in set(plain)), default=0)
            col.floor = max(first, widest_word)
        else:
            col.floor = max(first, min(col.natural, 6))
        col.width = col.natural
        cols.append(col)
    name = next((c for c in cols if not c.key and not c.spec.optional), None)
    if name is not None:  # the thing's name: the first text column (名称, 工作要点, 议题)
        name.name = True
        name.floor = max(name.floor, min(name.natural, NAME_FLOOR))
    return cols


def layout(table: Table, total: int) -> tuple[list[_Col], int]:
    """Column widths for ``total`` cells, and the gap between columns."""
    cols = _columns(table, 10 if total >= 120 else 5)
    gap = 2

    def used() -> int:
        shown = [c for c in cols if c.shown]
        return 1 + sum(c.width for c in shown) + gap * (len(shown) - 1)

    def squeeze(candidates: list[_Col], floor: dict[int, int]) -> None:
        """Narrow the widest candidates, a cell at a time, down to their floors."""
        while used() > total:
            room = [c for c in candidates if c.shown and c.width > floor[id(c)]]
            if not room:
                return
            max(room, key=lambda c: c.width).width -= 1

    text = [c for c in cols if not c.key]

    def comfort() -> dict[int, int]:
        """Text down to COMFORT; a wide key cell (a date with its note) onto two lines."""
        return {
            id(c): c.floor
            if c.key and c.natural > COMFORT
            else max(c.floor, min(c.natural, COMFORT))
            for c in cols
        }

    squeeze(cols, comfort())
    for col in cols:  # an optional column goes before a title is squeezed further
        if used() > total and col.spec.optional:
            col.shown = False
            for other in cols:
                other.width = other.natural
            squeeze(cols, comfort())
    if used() > total:  # bars become percentages
        for col in cols:
            if col.bars:
                col.bars = False
                col.width = col.natural = max([width(col.spec.header), *map(width, col.plain)])
    squeeze(text, {id(c): c.floor for c in text})
    if used() > total:
        gap = 1
    squeeze(cols, {id(c): c.floor for c in cols})  # headers fold onto two lines
    # last resorts: a unit's name shortened with … (a name keeps its 8 cells), then any text
    # below its header
    squeeze([c for c in cols if c.spec.clip and c.key], {id(c): min(c.floor, 6) for c in cols})
    squeeze([c for c in text if not c.name], {id(c): 2 for c in text})
    squeeze(text, {id(c): 2 for c in text})
    return [c for c in cols if c.shown], gap


def _lines(col: _Col, value: str) -> list[str]:
    if width(value) <= col.width and "\n" not in value:
        return [value]  # most cells: one line as it is
    if col.key and not (col.spec.clip and col.width < col.floor):
        return flow(words(value), col.width)
    if col.spec.clip:
        return [clip(value.replace("\n", " "), col.width)]
    return flow(fold_pieces(value), col.width)


def _pad(text: str, cells: int, right: bool) -> str:
    fill = " " * max(cells - width(text), 0)
    return fill + text if right else text + fill


def render(table: Table, total: int, color: bool) -> list[str]:
    """The table as lines of at most ``total`` cells (``color``: ANSI warning lights)."""
    cols, gap = layout(table, total)
    sep = " " * gap

    def paint(line: str, style: str | None) -> str:
        return f"\x1b[{STYLES[style]}m{line}\x1b[0m" if color and style and line else line

    def block(cells: list[list[str]], style: str | None) -> list[str]:
        height = max(len(c) for c in cells)
        out = []
        for k in range(height):
            parts = [
                _pad(c[k] if k < len(c) else "", col.width, col.spec.align == "right")
                for c, col in zip(cells, cols, strict=True)
            ]
            out.append(paint((" " + sep.join(parts)).rstrip(), style))
        return out

    out: list[str] = []
    if table.title:
        out += [paint(table.title, "bold"), ""]
    if table.show_header:
        out += block([flow(header_words(c.spec.header), c.width) for c in cols], "bold")
        rule = sum(c.width for c in cols) + gap * (len(cols) - 1)
        out.append(" " + "─" * rule)
    columns = [c.text() for c in cols]
    for r, light in enumerate(table.lights):
        out += block([_lines(col, columns[i][r]) for i, col in enumerate(cols)], light)
    out.append("")
    for note in table.notes:
        out += [paint(line, "dim") for line in flow(words(note), total)]
    return out


def terminal_width(stream: IO[str]) -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return shutil.get_terminal_size((80, 24)).columns


def print_table(table: Table, stream: IO[str]) -> None:
    color = color_enabled(stream)
    lines = render(table if color else table.with_light_column(), terminal_width(stream), color)
    # a row whose first cell is typed text must not start a workflow command in a CI log
    lines = ["\\" + line.lstrip() if line.lstrip().startswith("::") else line for line in lines]
    stream.write("\n".join(lines) + "\n")
