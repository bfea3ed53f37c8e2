"""`import` of the workbooks and documents an adversarial review found misread (issue 21
follow-up), through the CLI: each asserts the exact facts or the exact refusal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from tests.cli.test_import_layouts import book, exported, facts
from tests.conftest import run

openpyxl = pytest.importorskip("openpyxl")

D = dt.date
HEAD = ["专项小组", "改革任务", "牵头单位", "完成时限"]


def test_a_second_docx_table_with_the_header_is_read(ledger: Path) -> None:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph("2026年全面深化改革工作要点分工方案")
    for k, rows in enumerate(
        [[["经济组", "深化国资国企改革", "省国资委", "6月底前"]],
         [["民生组", "深化医保支付方式改革", "省医保局", "三季度末"]]]
    ):  # fmt: skip
        if k:
            doc.add_paragraph("（续表）")
        table = doc.add_table(rows=1 + len(rows), cols=4)
        for i, row in enumerate([HEAD, *rows]):
            for j, value in enumerate(row):
                table.cell(i, j).text = value
    doc.save("方案.docx")
    result = run("import", "方案.docx")
    assert result.code == 0, result.stderr
    got = {f[0]: (f[1], f[2]) for f in facts(ledger).values()}
    assert got["深化国资国企改革"] == ("经济组", "省国资委")
    assert got["深化医保支付方式改革"] == ("民生组", "省医保局")


def test_a_second_sheet_with_the_header_is_read(ledger: Path) -> None:
    path = book(
        Path("a.xlsx"),
        ("经济组", [HEAD, ["经济组", "深化国资国企改革", "省国资委", "6月底前"]]),
        ("民生组", [HEAD, ["民生组", "深化医保支付方式改革", "省医保局", "年底前"]]),
    )
    result = run("import", str(path))
    assert result.code == 0, result.stderr
    assert "a.xlsx: 读取工作表“民生组”，表头在第1行" in result.stderr
    got = {f[0]: (f[1], f[2]) for f in facts(ledger).values()}
    assert got["深化医保支付方式改革"] == ("民生组", "省医保局")


def test_a_second_sheet_with_only_a_header_is_passed_over(ledger: Path) -> None:
    path = book(
        Path("a.xlsx"),
        ("经济组", [HEAD, ["经济组", "深化国资国企改革", "省国资委", "2026-06-30"]]),
        ("空表", [HEAD]),
    )
    result = run("import", str(path))
    assert result.code == 0, result.stderr
    assert [f[0] for f in facts(ledger).values()].count("深化国资国企改革") == 1


def test_import_help_names_every_format_read() -> None:
    result = run("import", "--help")
    assert result.code == 0
    assert "（.xlsx、.xlsm、.xls、.ods、.csv、.docx）" in result.stdout


def test_2026_10_kept_as_a_date_serial_is_refused_by_row(ledger: Path) -> None:
    # 2026.10 typed into a date-formatted cell: Excel keeps 2026.1, the serial of 1905-07-18
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append(["经济组", "任务甲", "省发改委", 2026.1])
    ws["D2"].number_format = "yyyy-mm-dd"
    wb.save("a.xlsx")
    before = ledger.read_bytes()
    result = run("import", "a.xlsx")
    assert result.code == 2
    assert "a.xlsx:Sheet:2:D: “完成时限”：无法识别的日期“2026.1”" in result.stderr, result.stderr
    assert "1905" not in result.stderr + result.stdout
    assert ledger.read_bytes() == before


def test_unit_cells_with_notes_pairs_and_etc(ledger: Path) -> None:
    head = ["专项小组", "改革任务", "牵头单位", "配合单位", "完成时限"]
    rows = [
        head,
        ["经济组", "任务甲", "省财政厅", "省委组织部、省人社厅（按职责分工负责）", "2026-12-31"],
        ["经济组", "任务乙", "省财政厅", "各设区市党委、政府，平潭综合实验区党工委、管委会",
         "2026-12-31"],
        ["经济组", "任务丙", "省财政厅", "省商务厅、省自然资源厅等", "2026-12-31"],
        ["经济组", "任务丁", "省财政厅", "省商务厅等单位", "2026-12-31"],
    ]  # fmt: skip
    result = run("import", str(book(Path("a.xlsx"), ("Sheet1", rows))))
    assert result.code == 0, result.stderr
    units = {f[0]: f[3] for f in facts(ledger).values()}
    assert units["任务甲"] == ["省委组织部", "省人社厅"]
    assert units["任务乙"] == ["各设区市党委、政府", "平潭综合实验区党工委、管委会"]
    assert units["任务丙"] == ["省商务厅", "省自然资源厅"]
    assert units["任务丁"] == ["省商务厅"]


def test_a_zero_width_space_does_not_make_a_lookalike_unit(ledger: Path) -> None:
    rows = [
        HEAD,
        ["经济组", "任务甲", "省国资委\u200b", "2026-06-30"],
        ["经济组", "任务乙", "\ufeff省国资委", "2026-06-30"],
        ["经济组", "任务丙", "省国资委", "2026-06-30"],
    ]
    result = run("import", str(book(Path("a.xlsx"), ("Sheet1", rows))))
    assert result.code == 0, result.stderr
    led = load(ledger).valid()
    leads = {p.title: p.lead for p in led.points.values() if p.title.startswith("任务")}
    assert len(set(leads.values())) == 1
    assert [n for n in led.units.values() if "国资委" in n.name] == [led.units[leads["任务甲"]]]


def test_control_characters_are_refused_naming_the_cell(ledger: Path) -> None:
    Path("c.csv").write_text(
        "专项小组,改革任务,牵头单位,完成时限\n"
        "经济组,任务\x07响铃\x1b[31m红,省国资委,2026-06-30\n"
        "经济组,任务零,省国资委,2026-06-30\n",
        encoding="utf-8",
    )
    before = ledger.read_bytes()
    result = run("import", "c.csv")
    assert result.code == 2
    assert "c.csv:2:B: “改革任务”：含控制字符 U+0007" in result.stderr, result.stderr
    assert ledger.read_bytes() == before
    result = run("import", "c.csv", "--skip-bad")
    assert result.code == 0, result.stderr
    titles = [p.title for p in load(ledger).valid().points.values()]
    assert "任务零" in titles and not any("\x07" in t or "\x1b" in t for t in titles)


def test_a_hidden_row_is_refused_by_row(ledger: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append(["经济组", "任务甲（已撤销）", "省国资委", "2026-06-30"])
    ws.append(["经济组", "任务乙", "省国资委", "2026-06-30"])
    ws.row_dimensions[2].hidden = True
    wb.save("a.xlsx")
    before = ledger.read_bytes()
    result = run("import", "a.xlsx")
    assert result.code == 2
    assert "a.xlsx:Sheet:2: 是隐藏行，不读取" in result.stderr, result.stderr
    assert ledger.read_bytes() == before
    result = run("import", "a.xlsx", "--skip-bad")
    assert result.code == 0, result.stderr
    titles = [p.title for p in load(ledger).valid().points.values()]
    assert "任务乙" in titles and "任务甲（已撤销）" not in titles


def test_two_deadlines_without_names_are_worded_as_deadlines(ledger: Path) -> None:
    rows = [HEAD, ["经济组", "推进要素市场化配置改革", "省发改委", "6月底前；12月底前"]]
    result = run("import", str(book(Path("a.xlsx"), ("Sheet1", rows))))
    assert result.code == 2
    assert result.stderr.startswith(
        "a.xlsx:Sheet1:2:D: “完成时限”：一格写了 2 个完成时限，但对应的节点有 0 个，无法一一对应"
    ), result.stderr


def test_juti_jucuo_alone_is_the_title_column(ledger: Path) -> None:
    rows = [["专项小组", "具体举措", "牵头单位", "完成时限"],
            ["经济组", "深化国资国企改革", "省国资委", "2026-06-30"]]  # fmt: skip
    result = run("import", str(book(Path("a.xlsx"), ("Sheet1", rows))))
    assert result.code == 0, result.stderr
    assert "深化国资国企改革" in [f[0] for f in facts(ledger).values()]


def test_a_first_import_takes_the_year_from_the_title_row(tmp_path: Path) -> None:
    rows = [["2026年某省全面深化改革工作要点台账"], HEAD,
            ["经济组", "深化国资国企改革", "省国资委", "6月底前"],
            ["经济组", "深化财政体制改革", "省财政厅", "年底前"]]  # fmt: skip
    result = run("import", str(book(Path("a.xlsx"), ("Sheet1", rows))))
    assert result.code == 0, result.stderr
    led = load(Path("ledger.toml")).valid()
    assert led.settings.year == 2026
    assert sorted(m.due for p in led.points.values() for m in p.milestones) == [
        D(2026, 6, 30), D(2026, 12, 31)
    ]  # fmt: skip


@pytest.mark.parametrize("marks", [("一", "二"), ("（一）", "（二）"), ("一、", "二、")])
def test_a_group_row_with_its_number_and_name_in_two_cells(
    ledger: Path, marks: tuple[str, str]
) -> None:
    rows = [["序号", "改革任务", "牵头单位", "完成时限"],
            [marks[0], "经济体制改革"], ["1", "深化国资国企改革", "省国资委", "2026-06-30"],
            [marks[1], "民生领域改革"], ["1", "深化医保支付方式改革", "省医保局", "2026-12-31"]]  # fmt: skip
    result = run("import", str(book(Path("a.xlsx"), ("Sheet1", rows))))
    assert result.code == 0, result.stderr
    groups = {f[0]: f[1] for f in facts(ledger).values()}
    assert groups["深化国资国企改革"] == "经济体制改革专项小组"  # the base ledger's group
    assert groups["深化医保支付方式改革"] == "民生领域改革"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_a_csv_of_a_merged_group_column_continues_the_group(ledger: Path, encoding: str) -> None:
    Path("a.csv").write_text(
        "序号,专项小组,改革任务,牵头单位,完成时限\n"
        "1,经济组,深化国资国企改革,省国资委,2026年6月底前\n"
        "2,,推进要素市场化配置改革,省发改委,2026/10/31\n",
        encoding=encoding,
    )
    result = run("import", "a.csv")
    assert result.code == 0, result.stderr
    groups = {f[0]: f[1] for f in facts(ledger).values()}
    assert groups["深化国资国企改革"] == groups["推进要素市场化配置改革"] == "经济组"


def test_a_blank_group_cell_of_a_workbook_is_named_not_the_column(ledger: Path) -> None:
    rows = [["专项小组", "改革任务", "牵头单位", "完成时限"],
            ["经济组", "任务甲", "省国资委", "2026-06-30"], ["", "任务乙", "省国资委", "2026-06-30"]]  # fmt: skip
    result = run("import", str(book(Path("a.xlsx"), ("Sheet1", rows))))
    assert result.code == 2
    assert "a.xlsx:Sheet1:3:A: “专项小组”：专项小组为空" in result.stderr, result.stderr
    assert "没有“专项小组”列" not in result.stderr


def _drop_row(path: Path, value: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    ws.delete_rows(next(c.row for row in ws.iter_rows() for c in row if c.value == value))
    wb.save(path)


def test_a_milestone_row_deleted_from_an_export_is_refused_naming_the_command(
    ledger: Path, tmp_path: Path
) -> None:
    path, _, _ = exported(tmp_path)
    _drop_row(path, "pilot")
    before = ledger.read_bytes()
    result = run("import", str(path), "--update")
    assert result.code == 2
    assert "没有需要更新" not in result.stdout + result.stderr
    assert "reformctl milestone remove R26-01/pilot" in result.stderr, result.stderr
    assert ledger.read_bytes() == before


def test_a_point_deleted_from_a_whole_export_is_refused_not_from_a_return(
    ledger: Path, tmp_path: Path
) -> None:
    assert run("point", "add", "R26-02", "--title", "乙", "--group", "economy",
               "--lead", "fgw").code == 0  # fmt: skip
    path, _, _ = exported(tmp_path)
    _drop_row(path, "R26-02")
    result = run("import", str(path), "--update")
    assert result.code == 2
    assert "reformctl point remove R26-02" in result.stderr, result.stderr
    (tmp_path / "r").mkdir()
    ret, _, _ = exported(tmp_path / "r", "--unit", "lyj", "--template")
    result = run("import", str(ret), "--unit", "lyj")
    assert "point remove" not in result.stderr, result.stderr
