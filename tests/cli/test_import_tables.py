"""`import` of a file holding several work-point tables (issue 21, items 1 and 10), through the
installed CLI as a real process: every sheet of a workbook and every table of a .docx that holds
a work-point header is read, a Word table continued after a page break (its header repeated, or
none) is one table, and each row keeps its own sheet and row number in every refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_import_layouts import book, facts
from tests.conftest import run

openpyxl = pytest.importorskip("openpyxl")

D = dt.date
HEAD = ["专项小组", "改革任务", "牵头单位", "节点", "完成时限"]
NOTE = ("说明", [["填报说明：请按月填报"], ["完成时限写到具体月份"]])


def cli(*args: str) -> Any:
    return run("--today", "2026-12-07", *args)


def test_every_sheet_with_a_points_table_is_read(ledger: Path) -> None:
    economy = [
        HEAD,
        ["经济体制改革专项小组", "深化国资国企改革", "省国资委", "出台方案", "6月底前"],
        [None, None, None, "全面推开", "年底前"],
        ["经济体制改革专项小组", "推进要素市场化配置", "省发改委", "出台意见", "2026-09-30"],
    ]
    society = [
        ["2026年社会体制改革台账"],
        ["序号", "改革任务", "牵头单位", "完成时限", "专项小组"],
        [1, "深化医保支付方式改革", "省医保局", "三季度末", "社会体制改革专项小组"],
        [2, "深化国资国企改革", "省财政厅", "年底前", "社会体制改革专项小组"],  # another group
    ]
    side = ("单位", [["key", "name"], ["ybj", "省医保局"]])
    path = book(Path("a.xlsx"), NOTE, ("经济", economy), ("社会", society), side)
    before = set(facts(ledger))
    result = cli("import", str(path))
    assert result.code == 0, result.stderr
    assert "a.xlsx: 读取工作表“经济”，表头在第1行" in result.stderr
    assert "a.xlsx: 读取工作表“社会”，表头在第2行" in result.stderr
    got = {k: v for k, v in facts(ledger).items() if k not in before}
    assert sorted(got.values()) == sorted(
        [
            ("深化国资国企改革", "经济体制改革专项小组", "省国资委", [],
             [("出台方案", D(2026, 6, 30)), ("全面推开", D(2026, 12, 31))]),
            ("推进要素市场化配置", "经济体制改革专项小组", "省发改委", [],
             [("出台意见", D(2026, 9, 30))]),
            ("深化医保支付方式改革", "社会体制改革专项小组", "省医保局", [],
             [("深化医保支付方式改革", D(2026, 9, 30))]),
            ("深化国资国企改革", "社会体制改革专项小组", "省财政厅", [],
             [("深化国资国企改革", D(2026, 12, 31))]),
        ]
    )  # fmt: skip
    assert cli("check").code != 2


def test_a_refused_row_names_its_sheet_row_and_column_on_one_line(ledger: Path) -> None:
    economy = [
        HEAD,
        ["经济体制改革专项小组", "深化国资国企改革", "省国资委", "出台方案", "6月底前"],
    ]
    society = [
        HEAD,
        ["社会体制改革专项小组", "深化医保支付方式改革", "省医保局", "出台方案", "三季度末"],
        ["社会体制改革专项小组", "推进教育评价改革", "省教育厅", "出台方案", 2026.1],
    ]
    path = book(Path("a.xlsx"), ("经济", economy), ("社会", society))
    before = ledger.read_bytes()
    result = cli("import", str(path))
    assert result.code == 2
    assert (
        "a.xlsx:社会:3:E: “完成时限”：无法识别的日期“2026.1”：这是数字，不是日期" in result.stderr
    ), result.stderr
    assert ledger.read_bytes() == before
    skipped = cli("import", str(path), "--skip-bad")
    assert skipped.code == 0, skipped.stderr
    titles = {v[0] for v in facts(ledger).values()}
    assert {"深化国资国企改革", "深化医保支付方式改革"} <= titles
    assert "推进教育评价改革" not in titles


@pytest.mark.parametrize(
    ("head", "cells", "column"),
    [
        (["编号", *HEAD], ["X-01", "社会体制改革专项小组"], "A"),  # the same ID, another group
        (HEAD, ["经济体制改革专项小组"], "B"),  # the same title in the same group
    ],
)
def test_the_same_point_on_two_sheets_is_refused_naming_both(
    ledger: Path, head: list[str], cells: list[str], column: str
) -> None:
    one = [*cells[:-1], "经济体制改革专项小组"] if len(cells) > 1 else cells
    rows_a = [head, [*one, "深化国资国企改革", "省国资委", "出台方案", "6月底前"]]
    rows_b = [head, [*cells, "深化国资国企改革", "省财政厅", "出台办法", "年底前"]]
    path = book(Path("a.xlsx"), ("经济", rows_a), ("社会", rows_b))
    before = ledger.read_bytes()
    result = cli("import", str(path))
    assert result.code == 2
    field = "编号" if column == "A" else "改革任务"
    assert (
        f"a.xlsx:社会:2:{column}: “{field}”：与“经济”第2行是同一工作要点，一个工作要点只能在一张表中"
        in result.stderr
    ), result.stderr
    assert "a.xlsx:经济:2: 同一工作要点的“社会”第2行无法识别，整项未导入" in result.stderr
    assert ledger.read_bytes() == before


def test_a_sheet_that_copies_another_is_refused_naming_it(ledger: Path) -> None:
    rows = [HEAD, ["经济体制改革专项小组", "深化国资国企改革", "省国资委", "出台方案", "6月底前"]]
    path = book(Path("a.xlsx"), ("台账", rows), ("原表", rows))
    before = ledger.read_bytes()
    result = cli("import", str(path))
    assert result.code == 2
    assert result.stderr.startswith("a.xlsx: “原表”与“台账”内容相同，是重复的副本，不读取"), (
        result.stderr
    )
    assert ledger.read_bytes() == before


def document(path: Path, tables: Sequence[Sequence[Sequence[Any]]]) -> Path:
    """A Word document of ``tables``, each after a page break (a 续表 runs on the next page)."""
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph("2026年全面深化改革工作要点分工方案")
    for k, rows in enumerate(tables):
        if k:
            doc.add_page_break()
        width = max(len(r) for r in rows)
        table = doc.add_table(rows=len(rows), cols=width)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is not None:
                    table.cell(i, j).text = str(value)
    doc.save(str(path))
    return path


def test_docx_tables_and_a_table_continued_across_pages_are_read(ledger: Path) -> None:
    first = [
        HEAD,
        ["经济体制改革专项小组", "深化国资国企改革", "省国资委", "出台方案", "6月底前"],
        ["经济体制改革专项小组", "推进要素市场化配置", "省发改委", "开展试点", "9月底前"],
    ]
    # the next page: no header, its first row goes on with the point above
    continued = [
        [None, None, None, "全面推开", "年底前"],
        ["经济体制改革专项小组", "深化财税体制改革", "省财政厅", "出台办法", "三季度末"],
    ]
    # the page after: the header repeated, as Word repeats a table's heading row
    repeated = [
        HEAD,
        ["经济体制改革专项小组", "深化金融改革", "省金融监管局", "出台意见", "年底前"],
    ]
    other = [
        ["序号", "专项小组", "重点任务", "牵头单位", "完成时限"],
        [1, "社会体制改革专项小组", "深化医保支付方式改革", "省医保局", "年底前"],
        [2, "社会体制改革专项小组", "推进教育评价改革", "省教育厅", "2026年10月31日"],
    ]
    path = document(Path("方案.docx"), [first, continued, repeated, other])
    before = set(facts(ledger))
    result = cli("import", str(path))
    assert result.code == 0, result.stderr
    assert "方案.docx: 读取“表2”，是“表1”跨页的续表" in result.stderr
    got = {v[0]: (v[1], v[2], v[4]) for k, v in facts(ledger).items() if k not in before}
    assert got == {
        "深化国资国企改革": ("经济体制改革专项小组", "省国资委", [("出台方案", D(2026, 6, 30))]),
        "推进要素市场化配置": (
            "经济体制改革专项小组", "省发改委",
            [("开展试点", D(2026, 9, 30)), ("全面推开", D(2026, 12, 31))],
        ),
        "深化财税体制改革": ("经济体制改革专项小组", "省财政厅", [("出台办法", D(2026, 9, 30))]),
        "深化金融改革": ("经济体制改革专项小组", "省金融监管局", [("出台意见", D(2026, 12, 31))]),
        "深化医保支付方式改革": (
            "社会体制改革专项小组", "省医保局", [("深化医保支付方式改革", D(2026, 12, 31))],
        ),
        "推进教育评价改革": (
            "社会体制改革专项小组", "省教育厅", [("推进教育评价改革", D(2026, 10, 31))],
        ),
    }  # fmt: skip


def test_a_docx_refusal_names_the_table(ledger: Path) -> None:
    first = [HEAD, ["经济体制改革专项小组", "深化国资国企改革", "省国资委", "出台方案", "6月底前"]]
    other = [HEAD, ["社会体制改革专项小组", "推进教育评价改革", "省教育厅", "出台方案", "持续推进"]]
    path = document(Path("方案.docx"), [first, other])
    before = ledger.read_bytes()
    result = cli("import", str(path))
    assert result.code == 2
    assert "方案.docx:表2:2:E: “完成时限”：无法识别的日期“持续推进”" in result.stderr, result.stderr
    assert ledger.read_bytes() == before


def hide(path: Path, *names: str) -> Path:
    wb = openpyxl.load_workbook(path)
    for name in names:
        wb[name].sheet_state = "hidden"
    wb.save(path)
    return path


def test_a_hidden_sheet_with_points_is_refused_by_its_rows(ledger: Path) -> None:
    economy = [
        HEAD,
        ["经济体制改革专项小组", "深化国资国企改革", "省国资委", "出台方案", "6月底前"],
    ]
    society = [HEAD, ["社会体制改革专项小组", "推进教育评价改革", "省教育厅", "出台方案", "年底前"]]
    path = hide(book(Path("a.xlsx"), ("经济", economy), ("社会", society)), "社会")
    before = ledger.read_bytes()
    result = cli("import", str(path))
    assert result.code == 2
    assert "a.xlsx:社会:2: 在隐藏的工作表“社会”中，不读取" in result.stderr, result.stderr
    assert ledger.read_bytes() == before
    skipped = cli("import", str(path), "--skip-bad")
    assert skipped.code == 0, skipped.stderr
    titles = {v[0] for v in facts(ledger).values()}
    assert "深化国资国企改革" in titles and "推进教育评价改革" not in titles


def test_a_hidden_copy_and_a_hidden_side_sheet_are_named_and_passed_over(ledger: Path) -> None:
    rows = [HEAD, ["经济体制改革专项小组", "深化国资国企改革", "省国资委", "出台方案", "6月底前"]]
    lists = ("下拉选项", [["省国资委"], ["省发改委"]])
    path = hide(book(Path("a.xlsx"), ("原表", rows), ("台账", rows), lists), "原表", "下拉选项")
    result = cli("import", str(path))
    assert result.code == 0, result.stderr
    assert "a.xlsx: 隐藏的工作表“原表”与“台账”内容相同，未读取，读取可见的“台账”" in result.stderr
    assert "a.xlsx: 隐藏的工作表“下拉选项”没有工作要点表，未读取" in result.stderr
    titles = [v[0] for v in facts(ledger).values()]
    assert titles.count("深化国资国企改革") == 1
