"""`import` of workbooks as offices make them, written here with openpyxl, through the real CLI:
title and 填报 rows over the header, a 说明 sheet first, header names with line breaks and
synonyms, two-row headers, group/合计/备注 rows, merged cells, a CSV of a merged sheet, several
milestones in one cell, units as offices write them, hidden columns, same titles in two groups,
and a first import that builds the ledger. Each asserts the exact facts or the exact refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from reformctl.ledger.loader import load
from tests.conftest import run

openpyxl = pytest.importorskip("openpyxl")


def book(path: Path, *sheets: tuple[str, Sequence[Sequence[Any]]], **opts: Any) -> Path:
    """A workbook of ``sheets`` (name, rows); ``merge`` ranges and ``hidden`` column letters
    apply to the last sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    for ref in opts.get("merge", ()):
        ws.merge_cells(ref)
    for letter in opts.get("hidden", ()):
        ws.column_dimensions[letter].hidden = True
    wb.save(path)
    return path


def facts(ledger: Path) -> dict[str, tuple[Any, ...]]:
    """Each point as (title, group name, lead name, unit names, [(milestone name, due)])."""
    led = load(ledger).valid()
    return {
        p.id: (
            p.title,
            led.group_name(p.group),
            led.unit_name(p.lead),
            [led.unit_name(u) for u in p.units],
            [(m.name, m.due) for m in p.milestones],
        )
        for p in led.points.values()
    }


D = dt.date
NOTE_SHEET = ("填报说明", [["填报说明"], ["1. 请按要求填写"], ["2. 完成时限写到月"]])


def test_office_workbook_with_title_rows_groups_totals_and_notes(ledger: Path) -> None:
    rows = [
        ["2026年全面深化改革重点任务台账"],
        ["填报单位：省委改革办", None, None, "填报日期：2026年11月"],
        ["序号", "重点\n任务", "责任单位", "计划完成\u3000时间", "工作 措施"],
        ["一、经济体制改革（2项）"],
        [1, "深化国资国企改革", "省国资委（牵头）、省财政厅", "2026年6月底", "出台方案"],
        [2, "推进要素市场化配置", "福建省发展改革委", "2026-12-31", ""],
        [None, None, None, None, None],
        ["二、生态文明体制改革（1项）"],
        ["序号", "重点任务", "责任单位", "计划完成时间", "工作措施"],  # repeated on page 2
        [3, "深化集体林权制度改革", "各设区市党委、政府", "2026/9/30", ""],
        ["合计", "3项"],
        ["备注：完成时限以文件为准"],
    ]
    path = book(Path("台账.xlsx"), NOTE_SHEET, ("台账", rows), merge=["A4:E4", "A8:E8"])
    result = run("import", str(path))
    assert result.code == 0, result.stderr
    assert "读取工作表“台账”，表头在第3行" in result.stderr
    got = facts(ledger)
    assert got["R26-02"] == (
        "深化国资国企改革", "经济体制改革专项小组", "省国资委", ["省财政厅"],
        [("深化国资国企改革", D(2026, 6, 30))],
    )  # fmt: skip
    # 福建省发展改革委 is the declared 省发改委 (fgw), not a new unit
    assert got["R26-03"][2] == "省发改委"
    assert got["R26-04"][1:4] == ("生态文明体制改革", "各设区市党委、政府", [])
    led = load(ledger).valid()
    assert {u.key: u.name for u in led.units.values()} == {
        "fgw": "省发改委", "lyj": "省林业局", "sgzw": "省国资委", "sczt": "省财政厅",
        "gsqsdwzf": "各设区市党委、政府",
    }  # fmt: skip
    assert set(led.points) == {"R26-01", "R26-02", "R26-03", "R26-04"}  # no 合计 or 备注 point
    assert run("check").code != 2  # valid (1: the base ledger has an overdue milestone)


def test_two_row_header_and_merged_point_cells(ledger: Path) -> None:
    """完成时限 merged over 计划完成时间 and 实际完成时间; a point's cells merged down its rows."""
    rows = [
        ["序号", "改革任务", "牵头单位", "配合单位", "节点", "完成时限", None, "专项小组"],
        [None, None, None, None, None, "计划完成时间", "实际完成时间", None],
        [1, "深化医保支付方式改革", "省医保局", "省卫健委、省财政厅", "出台方案",
         dt.datetime(2026, 3, 31), dt.datetime(2026, 3, 20), "经济体制改革专项小组"],
        [None, None, None, None, "全面推开", dt.datetime(2026, 12, 31), None, None],
    ]  # fmt: skip
    merges = ["F1:G1", "A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "H1:H2"]
    merges += ["A3:A4", "B3:B4", "C3:C4", "D3:D4", "H3:H4"]
    path = book(Path("t.xlsx"), ("Sheet1", rows), merge=merges)
    result = run("import", str(path))
    assert result.code == 0, result.stderr
    point = load(ledger).valid().points["R26-02"]
    assert [(m.name, m.due, m.done) for m in point.milestones] == [
        ("出台方案", D(2026, 3, 31), D(2026, 3, 20)),
        ("全面推开", D(2026, 12, 31), None),
    ]
    assert facts(ledger)["R26-02"][2:4] == ("省医保局", ["省卫健委", "省财政厅"])


def test_csv_of_a_merged_sheet_continues_the_point_above(ledger: Path) -> None:
    """Saved as CSV, a merged point's later rows are blank but for their milestone."""
    text = (
        "改革任务,牵头单位,专项小组,节点,完成时限\n"
        "深化医保支付方式改革,省医保局,经济体制改革专项小组,出台方案,2026-03-31\n"
        ",,,开展试点,2026-06-30\n"
        ",,,全面推开,2026-12-31\n"
    )
    Path("t.csv").write_text(text, encoding="utf-8")
    result = run("import", "t.csv")
    assert result.code == 0, result.stderr
    assert facts(ledger)["R26-02"][4] == [
        ("出台方案", D(2026, 3, 31)), ("开展试点", D(2026, 6, 30)), ("全面推开", D(2026, 12, 31)),
    ]  # fmt: skip
    assert set(load(ledger).valid().points) == {"R26-01", "R26-02"}


def test_same_title_in_two_groups_is_two_points(ledger: Path) -> None:
    rows = [
        ["工作要点", "牵头单位", "完成时限"],
        ["一、经济体制改革"],
        ["推进综合改革试点", "省发改委", "2026-06-30"],
        ["二、社会体制改革"],
        ["推进综合改革试点", "省林业局", "2026-09-30"],
    ]
    result = run("import", str(book(Path("t.xlsx"), ("台账", rows))))
    assert result.code == 0, result.stderr
    got = facts(ledger)
    assert got["R26-02"][1:3] == ("经济体制改革专项小组", "省发改委")
    assert got["R26-03"][1:3] == ("社会体制改革", "省林业局")


def test_several_milestones_in_one_cell(ledger: Path) -> None:
    rows = [
        ["工作要点", "牵头单位", "专项小组", "时间节点"],
        ["深化林改", "省林业局", "经济体制改革专项小组",
         "1.2026年6月底 出台实施方案；2.2026年12月底 完成试点评估"],
        ["深化医改", "省林业局", "经济体制改革专项小组",
         "（1）出台方案（2026年3月底）\n（2）全面推开（2026-12-31）"],
    ]  # fmt: skip
    result = run("import", str(book(Path("t.xlsx"), ("台账", rows))))
    assert result.code == 0, result.stderr
    got = facts(ledger)
    assert got["R26-02"][4] == [("出台实施方案", D(2026, 6, 30)), ("完成试点评估", D(2026, 12, 31))]
    assert got["R26-03"][4] == [("出台方案", D(2026, 3, 31)), ("全面推开", D(2026, 12, 31))]


def test_milestones_and_deadlines_that_do_not_pair_are_refused(ledger: Path) -> None:
    rows = [
        ["工作要点", "牵头单位", "专项小组", "节点", "完成时限"],
        ["深化林改", "省林业局", "经济体制改革专项小组", "1.出台方案\n2.开展试点\n3.评估",
         "1.2026-06-30\n2.2026-12-31"],
    ]  # fmt: skip
    before = ledger.read_bytes()
    result = run("import", str(book(Path("t.xlsx"), ("台账", rows))))
    assert result.code == 2
    assert result.stderr.splitlines()[0] == (
        "t.xlsx:台账:2:D: “节点”：一格写了 3 个节点，但对应的完成时限有 2 个，无法一一对应"
    )
    assert ledger.read_bytes() == before


@pytest.mark.parametrize(
    ("header", "cell", "expected"),
    [
        ("牵头单位", "省发改委、省财政厅", "“牵头单位”：一格中有两个牵头单位：省发改委、省财政厅"),
        ("责任单位", "省发改委、省财政厅", "“责任单位”：“省发改委、省财政厅”中有多个单位，"
         "但没有标明牵头单位（请写“（牵头）”或另设牵头单位列）"),
        ("责任单位", "省发改委（牵头）、省林业局（牵头）",
         "“责任单位”：一格中有两个牵头单位：省发改委、省林业局"),
    ],
)  # fmt: skip
def test_unit_cells_that_name_no_single_lead_are_refused(
    ledger: Path, header: str, cell: str, expected: str
) -> None:
    rows = [
        ["工作要点", header, "专项小组", "完成时限"],
        ["甲", cell, "经济体制改革专项小组", "2026-12-31"],
    ]
    before = ledger.read_bytes()
    result = run("import", str(book(Path("t.xlsx"), ("台账", rows))), "--skip-bad")
    assert result.code == 2 and result.stderr.splitlines()[0] == f"t.xlsx:台账:2:B: {expected}"
    assert ledger.read_bytes() == before  # --skip-bad: nothing left to import


def test_lead_and_co_operating_wording(ledger: Path) -> None:
    rows = [
        ["工作要点", "责任单位", "专项小组", "完成时限"],
        ["甲", "省林业局牵头，省财政厅、省自然资源厅配合", "经济体制改革专项小组", "2026-12-31"],
        ["乙", "省林业局", "经济体制改革专项小组", "2026-12-31"],
    ]
    assert run("import", str(book(Path("t.xlsx"), ("台账", rows)))).code == 0
    got = facts(ledger)
    assert got["R26-02"][2:4] == ("省林业局", ["省财政厅", "省自然资源厅"])
    assert got["R26-03"][2:4] == ("省林业局", [])
    assert set(load(ledger).valid().units) == {"fgw", "lyj", "sczt", "szrzyt"}


def test_an_ambiguous_unit_name_is_refused_naming_the_candidates(ledger: Path) -> None:
    assert run("unit", "add", "fgw2", "福建省发展改革委").code == 0
    rows = [
        ["工作要点", "牵头单位", "专项小组", "完成时限"],
        ["甲", "省发展改革委", "经济体制改革专项小组", "2026-12-31"],
    ]
    result = run("import", str(book(Path("t.xlsx"), ("台账", rows))))
    assert result.code == 2
    assert result.stderr.splitlines()[0] == (
        "t.xlsx:台账:2:B: “牵头单位”：“省发展改革委”可能是 省发改委（fgw）、福建省发展改革委（fgw2），无法确定"
    )


def test_skipped_and_refused_rows_declare_nothing(ledger: Path) -> None:
    """--skip-bad: the refused row's unit and group are not declared; group rows, 合计 and 备注
    never become units or groups."""
    rows = [
        ["工作要点", "牵头单位", "完成时限"],
        ["一、经济体制改革（2项）"],
        ["甲", "省林业局", "2026-12-31"],
        ["乙", "省新设局", 2026.1],  # Excel keeps a typed 2026.10 as the number 2026.1
        ["合计", "2项"],
        ["备注：以上为计划"],
    ]
    result = run("import", str(book(Path("t.xlsx"), ("台账", rows))), "--skip-bad")
    assert result.code == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith(
        "t.xlsx:台账:4:C: “完成时限”：无法识别的日期“2026.1”"
    )
    led = load(ledger).valid()
    assert set(led.units) == {"fgw", "lyj"} and set(led.groups) == {"economy"}
    assert set(led.points) == {"R26-01", "R26-02"}


def test_hidden_superseded_column_is_not_read(ledger: Path) -> None:
    rows = [
        ["工作要点", "牵头单位", "专项小组", "完成时限", "调整后完成时限"],
        ["甲", "省林业局", "经济体制改革专项小组", "2026-06-30", "2026-09-30"],
    ]
    path = book(Path("t.xlsx"), ("台账", rows), hidden=["D"])
    result = run("import", str(path))
    hidden = spreadsheet_hidden(path)
    if not hidden:
        pytest.skip("the .xlsx reader does not report hidden columns yet (import-readers)")
    assert result.code == 0, result.stderr
    assert "隐藏列 D“完成时限”未读取，读取可见列 E“调整后完成时限”" in result.stderr
    assert facts(ledger)["R26-02"][4] == [("甲", D(2026, 9, 30))]
    alone = book(Path("u.xlsx"), ("台账", [r[:4] for r in rows]), hidden=["D"])
    refused = run("import", str(alone))
    assert refused.code == 2
    assert "u.xlsx:台账:1:D: “完成时限”（完成时限）是隐藏列" in refused.stderr


def spreadsheet_hidden(path: Path) -> frozenset[int]:
    from reformctl.spreadsheets import read_sheets

    return read_sheets(path)[-1].hidden_columns


def test_a_formula_without_a_value_is_refused_naming_the_cell(ledger: Path) -> None:
    rows = [
        ["工作要点", "牵头单位", "专项小组", "完成时限"],
        ["甲", "省林业局", "经济体制改革专项小组", "=DATE(2026,6,30)"],
    ]
    path = book(Path("t.xlsx"), ("台账", rows))
    from reformctl.spreadsheets import read_sheets

    if not read_sheets(path)[0].no_value:
        pytest.skip("the .xlsx reader does not report formulas without values yet")
    result = run("import", str(path))
    assert result.code == 2
    assert "t.xlsx:台账:2:D: “完成时限”：公式没有计算结果" in result.stderr


# -- round trips and returns ------------------------------------------------------------------------
def exported(tmp_path: Path, *extra: str) -> tuple[Path, Any, dict[str, int]]:
    out = tmp_path / "t.xlsx"
    assert run("export", *extra, "--out", str(out)).code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["台账"]
    head = next(r for r in range(1, 8) if ws.cell(r, 1).value == "序号")
    return out, wb, {c.value: c.column for c in ws[head] if c.value}


def test_edits_in_an_export_are_applied_or_refused_by_cell(ledger: Path, tmp_path: Path) -> None:
    assert run("unit", "add", "czt", "省财政厅").code == 0
    path, wb, col = exported(tmp_path)
    ws = wb["台账"]
    ws.cell(4, col["工作要点"]).value = "深化集体林权制度改革（再出发）"
    ws.cell(5, col["工作要点"]).value = "深化集体林权制度改革（再出发）"
    ws.cell(4, col["配合单位"]).value = "省发改委、省财政厅"
    ws.cell(5, col["配合单位"]).value = "省发改委、省财政厅"
    ws.cell(5, col["节点"]).value = "开展改革试点"
    wb.save(path)
    result = run("import", str(path), "--update")
    assert result.code == 0, result.stderr
    point = load(ledger).valid().points["R26-01"]
    assert point.title == "深化集体林权制度改革（再出发）" and list(point.units) == ["fgw", "czt"]
    pilot = point.milestone("pilot")
    assert pilot is not None and pilot.name == "开展改革试点"
    again = run("import", str(path), "--update")
    assert "与台账一致" in again.stdout
    # a change import does not make: refused by cell, naming the command, nothing written
    ws.cell(5, col["专项小组"]).value = "生态文明体制改革专项小组"
    ws.cell(4, col["专项小组"]).value = "生态文明体制改革专项小组"
    wb.save(path)
    before = ledger.read_bytes()
    refused = run("import", str(path), "--update")
    assert refused.code == 2
    assert refused.stderr.splitlines()[0] == (
        "t.xlsx:台账:4:D: “专项小组”：导入不做此项修改，请用：reformctl edit R26-01 --group …"
    )
    assert ledger.read_bytes() == before


def test_return_with_progress_on_several_rows_and_duplicates(ledger: Path, tmp_path: Path) -> None:
    path, wb, col = exported(tmp_path, "--unit", "lyj", "--template")
    ws = wb["台账"]
    ws.protection.sheet = False
    ws.cell(5, col["本月进展"]).value = "试点县已完成林票发行"
    ws.cell(6, col["本月进展"]).value = "评估报告已起草"
    wb.save(path)
    result = run("import", str(path), "--update", "--unit", "lyj")
    assert result.code == 0, result.stderr
    entry = load(ledger).valid().points["R26-01"].progress[-1]
    assert (entry.month, entry.text) == ("2026-11", "试点县已完成林票发行；评估报告已起草")
    # a unit's return may not change the point itself
    ws.cell(5, col["牵头单位"]).value = "省发改委"
    ws.cell(6, col["牵头单位"]).value = "省发改委"
    wb.save(path)
    refused = run("import", str(path), "--update", "--unit", "lyj")
    assert refused.code == 2
    assert (
        "t.xlsx:台账:5:E: “牵头单位”：单位填报不能修改工作要点本身，须由改革办执行："
        "reformctl edit R26-01 --lead …"
    ) in refused.stderr


def test_duplicate_rows_are_refused_and_skip_bad_applies_the_rest(
    ledger: Path, tmp_path: Path
) -> None:
    path, wb, col = exported(tmp_path)
    ws = wb["台账"]
    ws.cell(5, col["完成日期"]).value = dt.datetime(2026, 11, 20)
    ws.append([c.value for c in ws[5]])  # the pilot row twice
    ws.cell(4, col["完成日期"]).value = "2026年13月1日"
    wb.save(path)
    before = ledger.read_bytes()
    result = run("import", str(path), "--update")
    assert result.code == 2
    assert result.stderr.splitlines()[:2] == [
        "t.xlsx:台账:4:M: “完成日期”：无法识别的日期“2026年13月1日”：该日期不存在",
        "t.xlsx:台账:6:J: “节点编号”：与第5行重复（同一节点 R26-01/pilot）",
    ]
    assert ledger.read_bytes() == before
    skipped = run("import", str(path), "--update", "--skip-bad")
    assert skipped.code == 0, skipped.stderr
    assert "t.xlsx: 已跳过 2 行（见上）" in skipped.stderr
    pilot = load(ledger).valid().points["R26-01"].milestone("pilot")
    assert pilot is not None and pilot.done == D(2026, 11, 20)


# -- a first import builds the ledger ---------------------------------------------------------------
FIRST = [
    ["2027年全面深化改革工作要点分工方案"],
    ["序号", "改革任务", "牵头单位", "配合单位", "完成时限"],
    ["一、经济体制改革"],
    [1, "深化国资国企改革", "省国资委", "省财政厅", "2027-06-30"],
    [2, "推进要素市场化配置", "省发改委", "", "2027年12月底"],
]


def test_a_first_import_creates_the_ledger(tmp_path: Path) -> None:
    path = book(Path("方案.xlsx"), ("Sheet1", FIRST))
    dry = run("import", str(path), "--dry-run")
    assert dry.code == 0, dry.stderr
    assert "省国资委" in dry.stdout and "sgzw" not in dry.stdout  # names, not keys
    assert "将新建台账 ledger.toml：2027年全面深化改革工作要点分工方案（2027年）" in dry.stdout
    assert not Path("ledger.toml").exists()
    args = ["--office", "福建省委改革办", "--office-code", "闽改办", "--office-unit", "省发改委"]
    result = run("import", str(path), *args)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("已新建台账 ledger.toml（2027年）\n")
    led = load(Path("ledger.toml")).valid()
    assert (led.settings.year, led.settings.title) == (2027, "2027年全面深化改革工作要点分工方案")
    assert (led.settings.office, led.settings.office_code, led.settings.office_unit) == (
        "福建省委改革办", "闽改办", "sfgw",
    )  # fmt: skip
    assert facts(Path("ledger.toml")) == {
        "R27-01": ("深化国资国企改革", "经济体制改革", "省国资委", ["省财政厅"],
                   [("深化国资国企改革", D(2027, 6, 30))]),
        "R27-02": ("推进要素市场化配置", "经济体制改革", "省发改委", [],
                   [("推进要素市场化配置", D(2027, 12, 31))]),
    }  # fmt: skip
    assert run("check").code == 0


def test_a_first_import_without_a_year_asks_for_one(tmp_path: Path) -> None:
    rows = [["改革任务", "牵头单位", "完成时限"], ["甲", "省发改委", "6月30日"]]
    path = book(Path("t.xlsx"), ("Sheet1", rows))
    result = run("import", str(path), "--group", "经济")
    assert result.code == 2
    assert result.stderr == "t.xlsx: 无法从完成时限判断年度，请用 --year 指定\n"
    assert not Path("ledger.toml").exists()


# -- refusals of the whole file, and rows twice -------------------------------------------------------
def test_no_header_names_the_headers_found(ledger: Path) -> None:
    rows = [["台账"], ["序号", "事项", "单位", "时间"], [1, "甲", "省发改委", "2026-12-31"]]
    result = run("import", str(book(Path("t.xlsx"), ("Sheet1", rows))))
    assert result.code == 2
    assert result.stderr == (
        "t.xlsx: 找不到表头：需要“工作要点”列（或 改革任务、重点任务、改革事项）；"
        "找到的表头：序号、事项、单位、时间\n"
    )


def test_a_missing_lead_column_is_named(ledger: Path) -> None:
    rows = [
        ["序号", "改革任务", "专项小组", "完成时限"],
        [1, "甲", "经济体制改革专项小组", "2026-12-31"],
    ]
    result = run("import", str(book(Path("t.xlsx"), ("Sheet1", rows))))
    assert result.code == 2
    assert result.stderr == (
        "t.xlsx:Sheet1: 缺少“牵头单位（或 责任单位）”列；找到的表头：序号、改革任务、专项小组、完成时限\n"
    )


def test_the_same_row_twice_is_refused_naming_both(ledger: Path) -> None:
    row = ["甲", "省林业局", "经济体制改革专项小组", "出台方案", "2026-06-30"]
    rows = [["工作要点", "牵头单位", "专项小组", "节点", "完成时限"], row, row]
    before = ledger.read_bytes()
    result = run("import", str(book(Path("t.xlsx"), ("Sheet1", rows))))
    assert result.code == 2
    assert result.stderr.splitlines()[:2] == [
        "t.xlsx:Sheet1:2: 同一工作要点的第3行无法识别，整项未导入",
        "t.xlsx:Sheet1:3:D: “节点”：与第2行是同一节点（出台方案，2026-06-30）",
    ]
    assert ledger.read_bytes() == before


def test_a_first_import_at_the_ledger_path_given(tmp_path: Path) -> None:
    path = book(Path("方案.xlsx"), ("Sheet1", FIRST))
    target = tmp_path / "office" / "2027.toml"
    target.parent.mkdir()
    result = run("--ledger", str(target), "import", str(path))
    assert result.code == 0, result.stderr
    assert not Path("ledger.toml").exists()
    assert set(load(target).valid().points) == {"R27-01", "R27-02"}
    year = run("--ledger", str(target), "import", str(path), "--year", "2027")
    assert (year.code, year.stderr) == (
        2,
        "--year 只用于首次导入（台账 office/2027.toml 已存在）\n",
    )
    again = run("--ledger", str(target), "import", str(path))
    assert again.code == 2  # now a ledger exists: the same points are refused, not added twice
    assert again.stderr.splitlines()[0] == (
        "方案.xlsx:Sheet1:4:B: “改革任务”：此工作要点已在台账中（R27-01）；"
        "更新请用 reformctl import 文件 --update"
    )


CHINESE_DEADLINES = ["6月底前", "年底前", "2026年第三季度", "上半年", "9月30日前"]


def parser_takes(*texts: str) -> bool:
    from reformctl.datetext import DateTextError, parse_deadline

    try:
        for text in texts:
            parse_deadline(text, year=2026)
    except DateTextError:
        return False
    return True


@pytest.mark.skipif(
    not parser_takes(*CHINESE_DEADLINES), reason="the full date parser (import-readers) not merged"
)
def test_chinese_deadline_phrases_in_cells(ledger: Path) -> None:
    rows = [
        ["工作要点", "牵头单位", "专项小组", "时间节点"],
        ["甲", "省林业局", "经济体制改革专项小组", "1.6月底前出台实施方案；2.12月底前完成试点评估"],
        ["乙", "省林业局", "经济体制改革专项小组", "年底前"],
        ["丙", "省林业局", "经济体制改革专项小组", "2026年第三季度"],
        ["丁", "省林业局", "经济体制改革专项小组", "上半年完成摸底"],
        ["戊", "省林业局", "经济体制改革专项小组", "9月30日前"],
    ]
    result = run("import", str(book(Path("t.xlsx"), ("台账", rows))))
    assert result.code == 0, result.stderr
    got = facts(ledger)
    assert got["R26-02"][4] == [("出台实施方案", D(2026, 6, 30)), ("完成试点评估", D(2026, 12, 31))]
    assert got["R26-03"][4] == [("乙", D(2026, 12, 31))]
    assert got["R26-04"][4] == [("丙", D(2026, 9, 30))]
    assert got["R26-05"][4] == [("完成摸底", D(2026, 6, 30))]
    assert got["R26-06"][4] == [("戊", D(2026, 9, 30))]


def test_totals_notes_footers_and_numbered_empty_rows_are_passed_over(ledger: Path) -> None:
    rows = [
        ["序号", "改革任务", "牵头单位", "专项小组", "完成时限"],
        [1, "甲", "省林业局", "经济体制改革专项小组", "2026-12-31"],
        [2],
        [3],
        ["小计（经济体制改革）", None, "1项"],
        ["合计：1项"],
        ["注：", "完成时限以批复为准"],
        ["填报人：张三", None, "联系电话：0591-0000000"],
    ]
    result = run("import", str(book(Path("t.xlsx"), ("台账", rows))))
    assert result.code == 0, result.stderr
    assert set(facts(ledger)) == {"R26-01", "R26-02"}
    assert set(load(ledger).valid().units) == {"fgw", "lyj"}


def test_an_export_naming_an_undeclared_unit_or_clearing_a_done_date_is_refused(
    ledger: Path, tmp_path: Path
) -> None:
    path, wb, col = exported(tmp_path)
    ws = wb["台账"]
    for r in (4, 5):
        ws.cell(r, col["牵头单位"]).value = "省新设局"
    ws.cell(4, col["完成日期"]).value = None  # plan was done on 2026-03-28
    wb.save(path)
    before = ledger.read_bytes()
    result = run("import", str(path), "--update")
    assert result.code == 2
    assert result.stderr.splitlines()[:3] == [
        "t.xlsx:台账:4:E: “牵头单位”：“省新设局”不是已登记的单位（先用 reformctl unit add 登记）",
        "t.xlsx:台账:4:M: “完成日期”：节点 R26-01/plan 在台账中已完成，此处完成日期被清空；"
        "如需撤销请执行：reformctl undone R26-01/plan",
        "t.xlsx:台账:5:E: “牵头单位”：“省新设局”不是已登记的单位（先用 reformctl unit add 登记）",
    ]
    assert ledger.read_bytes() == before


def test_the_dry_run_of_an_edit_shows_it_in_ledger_terms(ledger: Path, tmp_path: Path) -> None:
    path, wb, col = exported(tmp_path)
    ws = wb["台账"]
    ws.cell(5, col["节点"]).value = "开展改革试点"
    wb.save(path)
    before = ledger.read_bytes()
    dry = run("import", str(path), "--update", "--dry-run")
    assert dry.code == 0, dry.stderr
    assert "开展改革试点" in dry.stdout and "R26-01/pilot" in dry.stdout
    assert ledger.read_bytes() == before


def test_path_outcome_and_major_edits_come_back_through_edit(ledger: Path, tmp_path: Path) -> None:
    path, wb, col = exported(tmp_path)
    ws = wb["台账"]
    for r in (4, 5):
        ws.cell(r, col["实施路径"]).value = "出台再出发政策文件，按季督导"
        ws.cell(r, col["成果形式"]).value = "政策文件、试点经验"
        ws.cell(r, col["重大改革事项"]).value = "否"
    wb.save(path)
    result = run("import", str(path), "--update")
    assert result.code == 0, result.stderr
    assert "1处修改" in result.stdout
    point = load(ledger).valid().points["R26-01"]
    assert (point.path, point.outcome, point.major) == (
        "出台再出发政策文件，按季督导",
        "政策文件、试点经验",
        False,
    )
    # the two rows of the point disagree: refused naming the other row
    ws.cell(5, col["成果形式"]).value = "研究报告"
    wb.save(path)
    refused = run("import", str(path), "--update")
    assert refused.code == 2
    assert refused.stderr.splitlines()[0] == (
        "t.xlsx:台账:5:H: “成果形式”：与第4行是同一工作要点，但内容不一致"
    )


def test_a_milestone_done_and_renamed_in_one_row(ledger: Path, tmp_path: Path) -> None:
    """Both changes are one edit of the milestone's table (it was exit 3, overlapping splices)."""
    path, wb, col = exported(tmp_path)
    ws = wb["台账"]
    ws.cell(5, col["节点"]).value = "开展改革试点"
    ws.cell(5, col["完成日期"]).value = dt.datetime(2026, 7, 1)
    ws.cell(5, col["佐证材料"]).value = "闽林〔2026〕9号"
    wb.save(path)
    result = run("import", str(path), "--update")
    assert result.code == 0, result.stderr
    pilot = load(ledger).valid().points["R26-01"].milestone("pilot")
    assert pilot is not None
    assert (pilot.name, pilot.done, pilot.evidence) == (
        "开展改革试点",
        D(2026, 7, 1),
        "闽林〔2026〕9号",
    )
