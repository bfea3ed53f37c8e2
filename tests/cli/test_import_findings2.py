"""Findings of the second adversary round on issue 21 (every table read, cleared cells under
``--update``): each a layout an office or WPS makes, through the CLI (in process: what is
tested is the reading, not the process), with the workbooks and documents the test writes
itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from reformctl.ledger.loader import load
from tests.cli.test_import_layouts import book, exported, facts
from tests.conftest import run

openpyxl = pytest.importorskip("openpyxl")

D = dt.date
HEAD = ["专项小组", "改革任务", "牵头单位", "节点", "完成时限"]
E = "经济体制改革专项小组"


def cli(*args: str) -> Any:
    return run("--today", "2026-12-07", *args)


def document(
    path: Path,
    tables: Sequence[Sequence[Sequence[Any]]],
    nested: dict[tuple[int, int, int], Sequence[Sequence[str]]] | None = None,
) -> Path:
    """A Word document of ``tables``, each after a page break; ``nested``: (table, row,
    column) → the rows of a table typed inside that cell."""
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph("2026年全面深化改革工作要点分工方案")
    for k, rows in enumerate(tables):
        if k:
            doc.add_page_break()
        table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is not None:
                    table.cell(i, j).text = str(value)
        for (t, i, j), inner in (nested or {}).items():
            if t == k:
                cell = table.cell(i, j)
                grid = cell.add_table(rows=len(inner), cols=len(inner[0]))
                for a, cells in enumerate(inner):
                    for b, value in enumerate(cells):
                        grid.cell(a, b).text = value
    doc.save(str(path))
    return path


FIRST = [
    HEAD,
    [E, "深化国资国企改革", "省国资委", "出台方案", "6月底前"],
    [E, "推进要素市场化配置", "省发改委", "开展试点", "9月底前"],
]


def test_a_docx_continuation_with_other_columns_is_refused_not_dropped(ledger: Path) -> None:
    """Word splits a table at a page break, and the part on the next page lost a column (no
    header repeated): its rows were passed over in silence, a point and a milestone lost."""
    continued = [
        [None, None, "全面推开", "年底前"],
        [E, "深化财税体制改革", "省财政厅", "三季度末"],
    ]
    path = document(Path("方案.docx"), [FIRST, continued])
    before = ledger.read_bytes()
    result = cli("import", str(path))
    assert result.code == 2, result.stderr
    assert result.stderr.startswith(
        "方案.docx:表2: 没有表头，列数（4）与“表1”的表头（5列）不同，不能作为“表1”的续表读取"
    ), result.stderr
    assert ledger.read_bytes() == before
    skipped = cli("import", str(path), "--skip-bad")
    assert skipped.code == 2 and ledger.read_bytes() == before


def test_a_headerless_docx_table_of_other_columns_that_is_no_points_is_passed_over(
    ledger: Path,
) -> None:
    """A contacts table after the points (other columns, no deadline in it), and a schedule
    under a header of its own (dates in it), are no tables of points: passed over."""
    contacts = [["联系人", "电话"], ["张三", "0591-87654321"]]
    schedule = [["序号", "督察内容", "时间安排"], ["1", "改革落实情况督察", "3月底前"]]
    path = document(Path("方案.docx"), [FIRST, schedule, contacts])
    result = cli("import", str(path))
    assert result.code == 0, result.stderr
    titles = {v[0] for v in facts(ledger).values()}
    assert {"深化国资国企改革", "推进要素市场化配置"} <= titles


def test_a_docx_cell_holding_a_nested_table_is_refused_naming_the_cell(ledger: Path) -> None:
    """The milestones typed as a small table inside the 节点 cell: the cell read as empty, and
    the point imported with one milestone named after its title (exit 0, wrong facts)."""
    rows = [HEAD, [E, "深化国资国企改革", "省国资委", None, "年底前"]]
    inner = [["出台方案", "6月底前"], ["全面推开", "年底前"]]
    path = document(Path("方案.docx"), [rows], nested={(0, 1, 3): inner})
    before = ledger.read_bytes()
    result = cli("import", str(path))
    assert result.code == 2, result.stderr
    assert "方案.docx:表1:2:D: “节点”：单元格中嵌套了表格" in result.stderr, result.stderr
    assert ledger.read_bytes() == before


def _hand_row(tmp_path: Path, *, with_id: bool, clear: str | None = None) -> Path:
    """An export with a milestone row added by hand below R26-01 (only 节点 and 完成时限, and
    the point's 编号 copied where ``with_id``), ``clear`` emptied on the exported rows."""
    path, wb, col = exported(tmp_path)
    ws = wb["台账"]
    if clear:
        for r in (4, 5):
            ws.cell(r, col[clear]).value = None
    if with_id:
        ws.cell(6, col["编号"]).value = "R26-01"
    ws.cell(6, col["节点"]).value = "全面推开"
    ws.cell(6, col["完成时限"]).value = "年底前"
    wb.save(path)
    return path


@pytest.mark.parametrize("with_id", [True, False])
def test_a_milestone_row_added_by_hand_is_added_once_and_idempotent(
    ledger: Path, tmp_path: Path, with_id: bool
) -> None:
    """A row added by hand under an exported point (its 编号 copied or not): a new milestone,
    not the point's title or units emptied; the same file imported again is 与台账一致 (it
    said the milestone it had added was deleted)."""
    path = _hand_row(tmp_path, with_id=with_id, clear="实施路径")
    result = cli("import", str(path), "--update")
    assert result.code == 0, result.stderr
    point = load(ledger).valid().points["R26-01"]
    assert [(m.name, m.due) for m in point.milestones][-1] == ("全面推开", D(2026, 12, 31))
    assert len(point.milestones) == 3
    assert point.path == "" and point.title == "深化集体林权制度改革"
    assert point.units == ("fgw",) or list(point.units) == ["fgw"]
    again = cli("import", str(path), "--update")
    assert again.code == 0, again.stderr
    assert "与台账一致" in again.stdout, again.stdout


def _ods(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[str]], bool]]) -> Path:
    """An .ods of (name, rows, hidden) sheets, hidden as LibreOffice and WPS hide one: its
    table style says ``table:display="false"``."""
    pytest.importorskip("odf")
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    shown, hidden = Style(name="ta1", family="table"), Style(name="ta2", family="table")
    shown.addElement(TableProperties(display="true"))
    hidden.addElement(TableProperties(display="false"))
    doc.automaticstyles.addElement(shown)
    doc.automaticstyles.addElement(hidden)
    for name, rows, is_hidden in sheets:
        table = Table(name=name, stylename=hidden if is_hidden else shown)
        for row in rows:
            tr = TableRow()
            for value in row:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def test_a_hidden_ods_sheet_is_refused_as_a_hidden_xlsx_sheet_is(ledger: Path) -> None:
    """A hidden sheet of an .ods (an old version kept out of sight) was read as a visible one:
    its cancelled point imported (exit 0)."""
    now = [HEAD, [E, "深化国资国企改革", "省国资委", "出台方案", "6月底前"]]
    old = [HEAD, [E, "已取消的改革任务", "省发改委", "出台意见", "9月底前"]]
    path = _ods(Path("a.ods"), [("台账", now, False), ("旧版", old, True)])
    before = ledger.read_bytes()
    result = cli("import", str(path))
    assert result.code == 2, result.stderr
    assert "a.ods:旧版:2: 在隐藏的工作表“旧版”中，不读取" in result.stderr, result.stderr
    assert ledger.read_bytes() == before
    skipped = cli("import", str(path), "--skip-bad")
    assert skipped.code == 0, skipped.stderr
    titles = {v[0] for v in facts(ledger).values()}
    assert "深化国资国企改革" in titles and "已取消的改革任务" not in titles


@pytest.mark.parametrize(
    "summary",
    [
        [["牵头单位", "重点任务（项）", "已完成节点", "逾期节点"], ["省国资委", 3, 1, 0],
         ["省发改委", 1, 0, 0], ["合计", 4, 1, 0]],
        [["专项小组", "改革任务（项）", "完成时限内", "备注"], [E, 2, 2, None], ["合计", 2, 2, None]],
        [["序号", "责任单位", "工作任务（个）", "节点数"], [1, "省国资委", 3, 2], [2, "省发改委", 1, 1]],
    ],
)  # fmt: skip
def test_a_summary_sheet_counting_the_points_is_no_table_of_points(
    ledger: Path, summary: list[list[Any]]
) -> None:
    """A 汇总 sheet beside the 台账 counting its points by unit or group (`重点任务（项）`): its
    count column was read as the work point, refusing the file or its rows as points titled
    “3”."""
    rows = [
        ["2026年改革台账"],
        HEAD,
        [E, "深化国资国企改革", "省国资委", "出台方案", "6月底前"],
        [None, None, None, "全面推开", "年底前"],
        [E, "推进要素市场化配置", "省发改委", "出台意见", "9月底前"],
    ]
    path = book(Path("a.xlsx"), ("台账", rows), ("汇总", [["2026年改革任务汇总表"], *summary]))
    before = set(facts(ledger))
    result = cli("import", str(path))
    assert result.code == 0, result.stderr
    got = sorted(v for k, v in facts(ledger).items() if k not in before)
    assert got == [
        ("推进要素市场化配置", E, "省发改委", [], [("出台意见", D(2026, 9, 30))]),
        ("深化国资国企改革", E, "省国资委", [],
         [("出台方案", D(2026, 6, 30)), ("全面推开", D(2026, 12, 31))]),
    ]  # fmt: skip


@pytest.mark.parametrize("width", [5, 4])
def test_a_docx_header_alone_before_a_page_break_heads_the_next_table(
    ledger: Path, width: int
) -> None:
    """The page broke right below the header: the header a table of its own, the rows the next
    table. Both were passed over (the header had no rows, the rows no header): exit 0, nothing
    imported. Of the same columns the rows are read; of other columns, refused naming them."""
    body = [
        [E, "深化国资国企改革", "省国资委", "出台方案", "6月底前"],
        [E, "推进要素市场化配置", "省发改委", "开展试点", "9月底前"],
    ]
    if width == 4:
        body = [[r[0], r[1], r[2], r[4]] for r in body]
    path = document(Path("方案.docx"), [[HEAD], body])
    before = ledger.read_bytes()
    result = cli("import", str(path))
    if width == 4:
        assert result.code == 2, result.stderr
        assert result.stderr.startswith(
            "方案.docx:表2: 没有表头，列数（4）与“表1”的表头（5列）不同"
        )
        assert ledger.read_bytes() == before
        return
    assert result.code == 0, result.stderr
    assert "方案.docx: 读取“表2”，是“表1”跨页的续表" in result.stderr, result.stderr
    got = {v[0]: v[4] for v in facts(ledger).values()}
    assert got["深化国资国企改革"] == [("出台方案", D(2026, 6, 30))]
    assert got["推进要素市场化配置"] == [("开展试点", D(2026, 9, 30))]


def test_the_office_workbook_imported_then_updated_adds_no_milestone_twice(
    ledger: Path,
) -> None:
    """The office's own 台账 (no 编号, no 节点编号) imported, then brought back monthly with
    `--update` as the issue's round trip says: every milestone was added again (exit 0, each
    point's milestones twice). A milestone is now its name within its point; a done date filled
    in is applied, and the same file again is 与台账一致."""
    head = ["专项小组", "改革任务", "牵头单位", "节点", "完成时限", "完成日期"]
    economy = [
        head,
        [E, "深化国资国企改革", "省国资委", "1.6月底前出台方案；2.年底前全面推开", None, None],
        [E, "推进要素市场化配置", "省发改委", "出台意见", "9月底前", None],
        [None, None, None, "开展评估", "年底前", None],
    ]
    society = [head, ["社会体制改革专项小组", "深化医保支付方式改革", "省医保局", None, "三季度末"]]
    path = book(Path("a.xlsx"), ("经济", economy), ("社会", society))
    first = cli("import", str(path))
    assert first.code == 0, first.stderr
    imported = facts(ledger)
    same = cli("import", str(path), "--update")
    assert same.code == 0, same.stderr
    assert "与台账一致" in same.stdout, same.stdout
    assert facts(ledger) == imported
    wb = openpyxl.load_workbook(path)
    wb["经济"].cell(3, 6).value = "2026-09-20"
    wb.save(path)
    done = cli("import", str(path), "--update")
    assert done.code == 0, done.stderr
    assert facts(ledger) == imported
    led = load(ledger).valid()
    point = next(p for p in led.points.values() if p.title == "推进要素市场化配置")
    assert [(m.name, m.done) for m in point.milestones] == [
        ("出台意见", D(2026, 9, 20)),
        ("开展评估", None),
    ]
    again = cli("import", str(path), "--update")
    assert again.code == 0 and "与台账一致" in again.stdout, again.stdout + again.stderr


def test_a_docx_table_set_inside_a_frame_table_is_read(ledger: Path) -> None:
    """A document laid out in a one-cell frame table (a 公文 template) with the table of points
    inside it: the file was refused, no header found (only the frame's “附件”)."""
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    frame = doc.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.text = "附件"
    rows = [HEAD, [E, "深化国资国企改革", "省国资委", "出台方案", "6月底前"]]
    grid = cell.add_table(rows=len(rows), cols=len(HEAD))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            grid.cell(i, j).text = value
    doc.save("方案.docx")
    result = cli("import", "方案.docx")
    assert result.code == 0, result.stderr
    got = {v[0]: v[4] for v in facts(ledger).values()}
    assert got["深化国资国企改革"] == [("出台方案", D(2026, 6, 30))]


def test_the_same_point_by_id_on_one_sheet_and_by_title_on_another_is_refused_at_both(
    ledger: Path,
) -> None:
    """A sheet with 编号 (an earlier export kept beside the 台账) and one without, holding the
    same title in the same group: two points of one title were imported (exit 0)."""
    plain = [HEAD, [E, "深化国资国企改革", "省国资委", "出台方案", "6月底前"]]
    with_ids = [["编号", *HEAD], ["X-01", E, "深化国资国企改革", "省国资委", "出台方案", "6月底前"]]
    path = book(Path("a.xlsx"), ("台账", plain), ("上月导出", with_ids))
    before = ledger.read_bytes()
    result = cli("import", str(path))
    assert result.code == 2, result.stderr
    assert (
        "a.xlsx:上月导出:2:C: “改革任务”：与“台账”第2行是同一工作要点，一个工作要点只能在一张表中"
        in result.stderr
    ), result.stderr
    assert "a.xlsx:台账:2: 同一工作要点的“上月导出”第2行无法识别，整项未导入" in result.stderr
    assert ledger.read_bytes() == before


@pytest.mark.parametrize("label", ["续表", "（续上表）", "续表1", "接上表"])
def test_a_continued_label_at_the_top_of_a_page_is_no_group_row(ledger: Path, label: str) -> None:
    """Word offices write “续表” in a row across the table where it goes on after a page break:
    read as a group row, a group “续表” was declared and the points below it put in it (exit
    0, wrong group)."""
    docx = pytest.importorskip("docx")
    head = ["序号", "改革任务", "牵头单位", "完成时限"]
    tables = [
        [head, ["一、经济体制改革", None, None, None], ["1", "深化国资国企改革", "省国资委", "6月底前"]],
        [[label, None, None, None], ["2", "推进要素市场化配置", "省发改委", "9月底前"]],
    ]  # fmt: skip
    doc = docx.Document()
    for k, rows in enumerate(tables):
        if k:
            doc.add_page_break()
        table = doc.add_table(rows=len(rows), cols=len(head))
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is not None:
                    table.cell(i, j).text = value
        across = 0 if k else 1  # the label, the group row: one text across the table
        table.cell(across, 0).merge(table.cell(across, len(head) - 1))
    doc.save("方案.docx")
    result = cli("import", "方案.docx")
    assert result.code == 0, result.stderr
    led = load(ledger).valid()
    assert {g.name for g in led.groups.values()} == {E}
    got = {p.title: led.group_name(p.group) for p in led.points.values()}
    assert got["推进要素市场化配置"] == E and got["深化国资国企改革"] == E


@pytest.mark.parametrize("spelling", ["group_row", "cell"])
def test_the_same_point_under_two_spellings_of_its_group_is_one_point(
    ledger: Path, spelling: str
) -> None:
    """One sheet names the group 经济体制改革 (a group row, or its cell), the other
    经济体制改革专项小组: both are the declared group, yet the identities differed and two
    points of one title in one group were imported (exit 0)."""
    if spelling == "group_row":
        first = [
            ["序号", "改革任务", "牵头单位", "完成时限"],
            ["一、经济体制改革"],
            [1, "深化国资国企改革", "省国资委", "6月底前"],
        ]
    else:
        first = [HEAD, ["经济体制改革", "深化国资国企改革", "省国资委", "出台方案", "6月底前"]]
    second = [HEAD, [E, "深化国资国企改革", "省国资委", "全面推开", "年底前"]]
    path = book(Path("a.xlsx"), ("甲", first), ("乙", second))
    before = ledger.read_bytes()
    result = cli("import", str(path))
    assert result.code == 2, result.stderr
    assert "a.xlsx:乙:2:B: “改革任务”：与“甲”第" in result.stderr, result.stderr
    assert ledger.read_bytes() == before


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_a_tab_separated_csv_is_read(ledger: Path, encoding: str) -> None:
    """A .csv whose cells are cut by tabs: WPS's 文本文件（制表符分隔） or Excel's “Unicode 文本”
    (UTF-16 with its BOM) renamed .csv. Refused as having no header (the header found printed
    run together), or as not text."""
    rows = [
        ["序号", "改革任务", "牵头单位", "完成时限", "专项小组"],
        ["1", "深化国资国企改革", "省国资委", "6月底前", E],
        ["2", "推进要素市场化配置", "省发改委", "2026年9月30日", E],
    ]
    text = "".join("\t".join(r) + "\r\n" for r in rows)
    Path("a.csv").write_bytes(text.encode(encoding))  # utf-16: with its BOM, as Excel writes
    result = cli("import", "a.csv")
    assert result.code == 0, result.stderr
    got = {v[0]: v[4] for v in facts(ledger).values()}
    assert got["深化国资国企改革"] == [("深化国资国企改革", D(2026, 6, 30))]
    assert got["推进要素市场化配置"] == [("推进要素市场化配置", D(2026, 9, 30))]


def test_an_office_sheet_without_done_dates_leaves_the_done_milestones_alone(
    ledger: Path,
) -> None:
    """The office's 台账 has no 完成日期 column; R26-01/plan was marked done with `done`. Its
    --update added both milestones again; matched by name, the missing column is no done date
    cleared."""
    rows = [
        HEAD,
        [E, "深化集体林权制度改革", "省林业局", "出台实施方案", "2026-03-31"],
        [None, None, None, "开展试点", "2026-06-30"],
    ]
    path = book(Path("a.xlsx"), ("台账", rows))
    result = cli("import", str(path), "--update")
    assert result.code == 0, result.stderr
    assert "与台账一致" in result.stdout, result.stdout


def test_a_group_cell_without_its_ending_is_no_group_change_under_update(ledger: Path) -> None:
    """The office's 台账 writes the group 经济体制改革 (the ledger's 经济体制改革专项小组, which
    import matches so): --update refused it as a group change naming `edit --group`."""
    head = ["专项小组", "改革任务", "牵头单位", "节点", "完成时限", "完成日期", "佐证材料"]
    rows = [
        head,
        ["经济体制改革", "深化集体林权制度改革", "省林业局", "出台实施方案", "2026-03-31",
         "2026-03-28", "闽林〔2026〕3号"],
        [None, None, None, "开展试点", "2026-06-30", "2026-06-28", "闽林〔2026〕9号"],
    ]  # fmt: skip
    path = book(Path("a.xlsx"), ("台账", rows))
    result = cli("import", str(path), "--update")
    assert result.code == 0, result.stderr
    pilot = load(ledger).valid().points["R26-01"].milestone("pilot")
    assert pilot is not None and pilot.done == D(2026, 6, 28)


def test_a_docx_continuation_whose_last_column_is_empty_is_read(ledger: Path) -> None:
    """A table under a two-row header (完成时限 over 计划 and 实际) goes on after a page break;
    the continuation's 实际 column is empty on every row. Its rows were passed over (exit 0,
    the point lost), then refused, as having fewer columns than the header: the table's grid,
    not its text, says its columns."""
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    rows = [
        ["序号", "改革任务", "牵头单位", "完成时限", None],
        [None, None, None, "计划", "实际"],
        ["1", "深化国资国企改革", "省国资委", "6月底前", None],
    ]
    table = doc.add_table(rows=len(rows), cols=5)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                table.cell(i, j).text = value
    table.cell(0, 3).merge(table.cell(0, 4))
    for j in range(3):
        table.cell(0, j).merge(table.cell(1, j))
    doc.add_page_break()
    rest = doc.add_table(rows=1, cols=5)
    for j, value in enumerate(["2", "深化财税体制改革", "省财政厅", "年底前"]):
        rest.cell(0, j).text = value
    doc.save("方案.docx")
    result = cli("import", "方案.docx", "--group", "economy")
    assert result.code == 0, result.stderr
    got = {v[0]: v[4] for v in facts(ledger).values()}
    assert got["深化财税体制改革"] == [("深化财税体制改革", D(2026, 12, 31))]
    assert got["深化国资国企改革"] == [("深化国资国企改革", D(2026, 6, 30))]
