"""On a 60-column terminal every table keeps at least 8 display columns of a name (名称,
工作要点, the thing a row is) and the …: IDs, dates, units and other text give way first. Measured
with wcwidth on what each table-printing command prints, in zh and en."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from wcwidth import wcswidth

from tests.conftest import ROOT, run, write_ledger

GOLDEN_SAMPLE = [  # (command, the name column's header in zh and en, the header after it)
    (("list",), ("工作要点", "Work point"), ("牵头单位", "Lead unit")),
    (("overdue", "--soon", "7"), ("名称", "Name"), ("牵头单位", "Lead unit")),
    (("progress", "--by", "group"), ("专项小组", "Group"), ("节点", "Total")),
    (("show", "R26-04"), ("节点", "Milestone"), ("完成时限", "Due")),
    (("unit", "list"), ("名称", "Name"), ("牵头要点", "Points")),
    (("group", "list"), ("名称", "Name"), ("牵头单位", "Lead")),
]
BUNDLED = [
    (("topic", "list"), ("议题", "Topic"), ("专项", "Group")),
    (("meeting", "list"), ("议题名称", "Topic"), ("状态", "Status")),
    (("pilot", "list"), ("项目", "Pilot"), ("地", "Pla")),
    (("case", "list"), ("案例", "Case"), ("来源", "From")),
    (("outpost", "list"), ("前哨站", "Outpost"), ("类型", "Kind")),
    (("feedback", "list"), ("前哨站", "Outpost"), ("工作要点", "Point")),
]
NAME = 8  # display columns of the name's own text, the … besides


def offset(line: str, text: str) -> int:
    """The display column where ``text`` starts in ``line``."""
    at = line.index(text)
    return wcswidth(line[:at])


def name_cells(out: str, header: str, following: str) -> list[str]:
    """The name column's cell on each row's first line, between its header's column and the
    next header's."""
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.lstrip().startswith("─"))
    head = next(line for line in lines[:rule] if header in line and following in line)
    start, end = offset(head, header), offset(head, following)
    cells = []
    for line in lines[rule + 1 :]:
        if not line.strip() or line.startswith(" " * (start + 1)):
            continue  # a blank line, or a row's continuation
        chars, used, cell = iter(line), 0, ""
        for ch in chars:
            w = wcswidth(ch)
            if start <= used < end:
                cell += ch
            used += w
        cells.append(cell.strip())
    return cells


def check(args: tuple[str, ...], headers: tuple[str, str], nexts: tuple[str, str]) -> None:
    for lang, header, following in (("zh", headers[0], nexts[0]), ("en", headers[1], nexts[1])):
        os.environ["COLUMNS"] = "60"
        result = run("--lang", lang, *args, "--format", "table")
        assert result.code == 0, result.stderr
        out = result.stdout
        assert max(wcswidth(line) for line in out.splitlines()) <= 60, out
        cells = [c for c in name_cells(out, header, following) if c]
        assert cells, (args, lang, out)
        for cell in cells:
            text = cell.removesuffix("…")
            # a name shortened keeps 8 columns (7 where a half-width “ takes one) and the …
            assert wcswidth(text) >= NAME - 1 or cell == text, (args, lang, cell, out)
        widths = [wcswidth(c.removesuffix("…")) for c in cells]
        assert max(widths) >= NAME, (args, lang, cells, out)


@pytest.mark.parametrize(("args", "headers", "nexts"), GOLDEN_SAMPLE, ids=lambda v: str(v))
def test_names_keep_eight_columns_golden(
    sample: Path, args: tuple[str, ...], headers: tuple[str, str], nexts: tuple[str, str]
) -> None:
    check(args, headers, nexts)


@pytest.mark.parametrize(("args", "headers", "nexts"), BUNDLED, ids=lambda v: str(v))
def test_names_keep_eight_columns_bundled(
    tmp_path: Path, args: tuple[str, ...], headers: tuple[str, str], nexts: tuple[str, str]
) -> None:
    write_ledger(tmp_path, (ROOT / "ledger.toml").read_text(encoding="utf-8"))
    check(args, headers, nexts)


def test_the_overdue_name_keeps_eight_columns_and_the_unit_gives_way(sample: Path) -> None:
    os.environ["COLUMNS"] = "60"
    out = run("overdue", "--soon", "7", "--format", "table").stdout
    row = next(line for line in out.splitlines() if "R26-11/rules" in line)
    assert "出台职务…" in row  # 8 columns of the name (was 出台…)
