"""reformctl.intake on sheets built here (the readers' fields set by hand): hidden columns and
formulas without values, header names, unit cells and milestone cells. The same rules run
through the CLI in tests/cli/test_import_layouts.py."""

from __future__ import annotations

import datetime as dt

import pytest

from reformctl.errors import ReformctlError
from reformctl.intake import locate, plan_import
from reformctl.intake.header import SYNONYMS, field_of, find_header, normalise
from reformctl.intake.milestones import items, phrase
from reformctl.intake.units import Refused, Units, lead_and_units, read_cell, split_names
from reformctl.spreadsheets import Sheet
from reformctl.tabular import COLUMNS

HEAD = ["工作要点", "牵头单位", "专项小组", "完成时限", "调整后完成时限"]
ROW = ["甲", "省林业局", "经济体制改革专项小组", "2026-06-30", "2026-09-30"]


def test_a_hidden_column_with_a_visible_twin_is_passed_over() -> None:
    table = locate([Sheet("台账", [HEAD, ROW], hidden_columns=frozenset({3}))], "t.xlsx")
    assert table.header.columns["due"] == 4
    assert table.header.hidden_twins == [("due", 3, 4)]
    plan = plan_import(table, None, year=2026)
    assert [m["due"] for m in plan.points[0].milestones] == [dt.date(2026, 9, 30)]


def test_the_visible_column_is_read_even_where_the_hidden_one_comes_first_in_the_table() -> None:
    head = ["工作要点", "牵头单位", "专项小组", "调整后完成时限", "完成时限"]
    row = ["甲", "省林业局", "经济体制改革专项小组", "2026-09-30", "2026-06-30"]
    table = locate([Sheet("台账", [head, row], hidden_columns=frozenset({3}))], "t.xlsx")
    assert table.header.columns["due"] == 4  # visible first, then the names' order


def test_a_hidden_column_read_alone_is_refused() -> None:
    sheet = Sheet("台账", [HEAD[:4], ROW[:4]], hidden_columns=frozenset({3}))
    with pytest.raises(ReformctlError) as exc:
        locate([sheet], "t.xlsx")
    assert exc.value.message("zh") == (
        "t.xlsx:台账:1:D: “完成时限”（完成时限）是隐藏列，没有可见的同名列；请取消隐藏或删除该列后再导入"
    )


def test_a_formula_without_a_value_is_refused_naming_the_cell() -> None:
    sheet = Sheet("台账", [HEAD[:4], [*ROW[:3], None]], no_value=frozenset({(1, 3)}))
    plan = plan_import(locate([sheet], "t.xlsx"), None, year=2026)
    assert plan.points == []
    [(row, why)] = plan.bad_rows
    assert (row.at(why.column), why.line("zh")) == (
        "台账:2:D",
        "“完成时限”：公式没有计算结果（请在 Excel/WPS 中打开并保存后再导入）",
    )


def test_header_cells_are_compared_without_spaces_and_line_breaks() -> None:
    assert (
        normalise("完成\n时限")
        == normalise("完成\u3000时限")
        == normalise(" 完成 时限 ")
        == "完成时限"
    )
    assert field_of("完成时限（2026年）") == "due"
    assert field_of("计划") is None and field_of("计划", sub=True) == "due"


def test_the_exports_own_headers_read_as_before() -> None:
    header = find_header([[*COLUMNS, "本月进展"]])
    assert header is not None
    assert {COLUMNS[i] if i < len(COLUMNS) else "本月进展": f for f, i in header.columns.items()} == {
        "序号": "seq", "编号": "id", "工作要点": "title", "专项小组": "group", "牵头单位": "lead",
        "配合单位": "units", "实施路径": "path", "成果形式": "outcome", "重大改革事项": "major",
        "节点编号": "ms_key", "节点": "ms_name", "完成时限": "due", "完成日期": "done",
        "佐证材料": "evidence", "销号日期": "closed", "销号佐证": "closing_evidence",
        "本月进展": "progress",
    }  # fmt: skip


def test_every_synonym_names_one_field_but_the_ones_meant_for_two() -> None:
    names = [n for ns in SYNONYMS.values() for n in ns]
    assert {n for n in names if names.count(n) > 1} == {"具体举措"}  # a title, else a path


def test_a_two_row_header_needs_a_cell_merged_across() -> None:
    rows = [
        ["工作要点", "牵头单位", "完成时限", None],
        [None, None, "计划", "实际"],
        ["甲", "乙", "2026-01-31", None],
    ]
    two = find_header(rows, merged=[(0, 2, 0, 3)])
    assert two is not None and (two.row, two.columns["due"], two.columns["done"]) == (1, 2, 3)
    one = find_header(rows)  # not merged: the second row is not a header
    assert one is not None and one.row == 0 and "done" not in one.columns


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("省发改委、省财政厅", ["省发改委", "省财政厅"]),
        ("省发改委，省财政厅；省林业局/省医保局\n省卫健委", ["省发改委", "省财政厅", "省林业局", "省医保局", "省卫健委"]),
        ("各设区市党委、政府", ["各设区市党委、政府"]),
        ("省委组织部、各市县党委、人民政府", ["省委组织部", "各市县党委、人民政府"]),
    ],
)  # fmt: skip
def test_names_of_a_cell(cell: str, names: list[str]) -> None:
    assert split_names(cell) == names


def test_lead_marks_and_wording() -> None:
    assert read_cell("省发改委（牵头）、省财政厅") == [("省发改委", True), ("省财政厅", False)]
    assert read_cell("由省林业局牵头，省财政厅配合") == [("省林业局", True), ("省财政厅", False)]
    assert lead_and_units("省发改委", "省财政厅、省林业局", None) == (
        "省发改委", ["省财政厅", "省林业局"], "lead",
    )  # fmt: skip
    with pytest.raises(Refused) as exc:
        lead_and_units("省发改委", "省财政厅（牵头）", None)
    assert exc.value.code == "intake-two-leads"


def test_unit_names_match_conservatively() -> None:
    units = Units({"fgw": "省发改委", "czt": "省财政厅"})
    assert units.match("福建省发改委") == units.match("省发展改革委") == "fgw"
    assert units.match("fgw") == "fgw"
    assert units.match("省发改") is None  # no looser guess
    assert units.match("发改委") is None
    assert units.key("省林业局") == "slyj" and units.key("省林业局") == "slyj"
    assert units.key("市林业局") == "slyj2"


def test_cells_of_several_steps() -> None:
    assert items("①出台方案；②开展试点") == ["出台方案", "开展试点"]
    assert items("2026.6.30") == ["2026.6.30"]  # a date is not a numbered list
    assert items("1.出台方案") == ["1.出台方案"]  # one number alone is not a list
    assert items("出台方案；开展试点") == ["出台方案；开展试点"]  # parts without deadlines
    assert phrase("2026年6月底 出台方案") == ("2026年6月底", "出台方案")
    assert phrase("出台方案（三季度末）") == ("三季度末", "出台方案")
    assert phrase("出台方案") == ("", "出台方案")


def test_a_lone_step_numbered_1_is_read_without_its_number() -> None:
    assert phrase("1.2026年6月底 出台方案") == ("2026年6月底", "出台方案")
    assert phrase("12.31前完成") == ("", "12.31前完成")  # not a number 1: left as typed


def test_numbered_text_alone_in_a_milestone_column_is_no_group_row() -> None:
    head = ["工作要点", "牵头单位", "专项小组", "节点", "完成时限"]
    rows = [
        head,
        ["甲", "省林业局", "经济体制改革专项小组", "出台方案", "2026-06-30"],
        [None, None, None, "二、开展试点", "2026-09-30"],
        ["二、社会体制改革"],
    ]
    table = locate([Sheet("", rows, kind="csv")], "t.csv")
    assert [(r.number, r.kind) for r in table.rows] == [(2, "point"), (3, "more"), (4, "group")]
