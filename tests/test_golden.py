"""Whole rendered outputs against golden files, and CJK alignment measured in display cells.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from wcwidth import wcswidth, wcwidth

from tests.conftest import GOLDEN, run

COMMANDS = {
    "list": ["list"],
    "overdue": ["overdue", "--soon", "7"],
    "progress-unit": ["progress"],
    "progress-group": ["progress", "--by", "group"],
    "show": ["show", "R26-04"],
}
CASES = [(name, "json", "zh", 100) for name in COMMANDS]
CASES += [
    (name, "table", lang, width)
    for name in COMMANDS
    for lang in ("zh", "en")
    for width in (60, 80, 160)
]
CASES += [
    (name, fmt, lang, 100)
    for name in COMMANDS
    for fmt in ("plain", "markdown", "csv")
    for lang in ("zh", "en")
]


def render(name: str, fmt: str, lang: str, width: int) -> str:
    os.environ["COLUMNS"] = str(width)
    result = run("--lang", lang, *COMMANDS[name], "--format", fmt)
    assert result.code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(("name", "fmt", "lang", "width"), CASES, ids=lambda v: str(v))
def test_golden(sample: Path, name: str, fmt: str, lang: str, width: int) -> None:
    out = render(name, fmt, lang, width)
    golden = GOLDEN / f"{name}.{fmt}.{lang}.{width}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def cells(line: str) -> list[str]:
    """A line as terminal cells: a wide character fills two."""
    out: list[str] = []
    for ch in line:
        out += [ch] + [""] * (max(wcwidth(ch), 1) - 1)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["list", "overdue", "progress-unit", "show"])
def test_plain_columns_line_up_in_display_cells(sample: Path, name: str, lang: str) -> None:
    lines = render(name, "plain", lang, 100).splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    starts = [
        i for i, ch in enumerate(lines[rule]) if ch == "-" and (i == 0 or lines[rule][i - 1] == " ")
    ]
    for line in lines[rule - 1 : rule] + lines[rule + 1 :]:
        if not line.strip() or line.startswith(("排名规则", "Ranking")):
            break
        row = cells(line)
        for start in starts[1:]:
            assert start < len(row) and row[start - 1] == " ", (line, start)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_pipes_line_up(sample: Path, lang: str) -> None:
    lines = [
        line for line in render("list", "markdown", lang, 100).splitlines() if line.startswith("|")
    ]
    widths = {wcswidth(line) for line in lines}
    assert len(widths) == 1
    positions = {tuple(i for i, c in enumerate(cells(line)) if c == "|") for line in lines}
    assert len(positions) == 1


@pytest.mark.parametrize("width", [60, 80, 160])
def test_rich_table_never_exceeds_the_width(sample: Path, width: int) -> None:
    for name in COMMANDS:
        out = render(name, "table", "zh", width)
        assert max(wcswidth(line) for line in out.splitlines()) <= width, name


@pytest.mark.parametrize("width", [40, 60])
def test_long_chinese_text_folds_instead_of_being_cut(sample: Path, width: int) -> None:
    lines = render("show", "table", "zh", width).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(" 实施路径"))
    value_col = len(cells(" 实施路径")) + 1
    while cells(lines[start])[value_col - 1] == " " and cells(lines[start])[value_col] == " ":
        value_col += 1
    folded = ""
    for line in lines[start : start + 10]:
        row = cells(line)
        if line.strip() and row[1] != " " and line is not lines[start]:
            break  # the next field's label
        folded += "".join(row[value_col:]).strip()
    assert folded == "梳理可免申即享政策清单，依托数据共享主动识别企业、直接兑现"
