"""`import FILE --update`: an exported 台账 edited in Excel comes back as one verified write;
`export --unit U --template` and its return; merged cells; rows that cannot be taken."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from reformctl.ledger.loader import load
from tests.conftest import run

openpyxl = pytest.importorskip("openpyxl")


def exported(tmp_path: Path) -> Path:
    out = tmp_path / "t.xlsx"
    assert run("export", "--out", str(out)).code == 0
    return out


def header_row(ws: Any) -> int:
    """The 台账 header's row: below the title and as-of rows (and a template's note)."""
    for r in range(1, 11):
        if ws.cell(r, 1).value == "序号" and ws.cell(r, 2).value == "编号":
            return r
    raise AssertionError("no header")


def columns(ws: Any, row: int | None = None) -> dict[str, int]:
    return {c.value: c.column for c in ws[row or header_row(ws)] if c.value}


def row_of(ws: Any, col: dict[str, int], pid: str, key: str) -> int:
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, col["编号"]).value == pid and ws.cell(r, col["节点编号"]).value == key:
            return int(r)
    raise AssertionError((pid, key))


def test_unchanged_export_changes_nothing(ledger: Path, tmp_path: Path) -> None:
    before = ledger.read_bytes()
    result = run("import", str(exported(tmp_path)), "--update")
    assert result.code == 0, result.stderr
    assert "与台账一致" in result.stdout
    assert ledger.read_bytes() == before


def test_edited_export_comes_back(ledger: Path, tmp_path: Path) -> None:
    path = exported(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    col = columns(ws)
    r = row_of(ws, col, "R26-01", "pilot")
    ws.cell(r, col["完成日期"]).value = dt.datetime(2026, 11, 20)
    ws.cell(r, col["佐证材料"]).value = "闽林〔2026〕40号"
    ws.insert_rows(r + 1)
    for name, value in {"编号": "R26-01", "工作要点": "深化集体林权制度改革", "节点编号": "review",
                        "节点": "开展评估", "完成时限": "2026-12-20", "牵头单位": "省林业局",
                        "专项小组": "经济体制改革专项小组"}.items():  # fmt: skip
        ws.cell(r + 1, col[name]).value = value
    new = ws.max_row + 1
    for name, value in {"编号": "R26-09", "工作要点": "新增改革任务", "牵头单位": "省发改委",
                        "专项小组": "经济体制改革专项小组", "节点编号": "plan", "节点": "出台方案",
                        "完成时限": "2026-12-31"}.items():  # fmt: skip
        ws.cell(new, col[name]).value = value
    wb.save(path)
    before = ledger.read_bytes()
    dry = run("import", str(path), "--update", "--dry-run")
    assert dry.code == 0, dry.stderr
    assert "✓ 节点 R26-01/pilot 完成（2026-11-20，佐证：闽林〔2026〕40号）" in dry.stdout
    assert "+ 新增节点 R26-01/review「开展评估」（时限 2026-12-20）" in dry.stdout
    assert "R26-09" in dry.stdout
    assert ledger.read_bytes() == before  # a dry run writes nothing
    result = run("import", str(path), "--update")
    assert result.code == 0, result.stderr
    assert "1个节点完成" in result.stdout and "1项工作要点" in result.stdout
    after = load(ledger).valid()
    pilot = after.points["R26-01"].milestone("pilot")
    assert pilot is not None and pilot.done == dt.date(2026, 11, 20)
    assert pilot.evidence == "闽林〔2026〕40号"
    assert after.points["R26-01"].milestone("review") is not None
    assert after.points["R26-09"].milestones[0].due == dt.date(2026, 12, 31)
    text = ledger.read_text(encoding="utf-8")
    assert text.startswith(before.decode("utf-8")[:200])  # the file's head is untouched
    again = run("import", str(path), "--update")
    assert again.code == 0 and "与台账一致" in again.stdout  # applying it twice changes nothing


def test_rows_it_cannot_take_are_listed_and_nothing_written(ledger: Path, tmp_path: Path) -> None:
    path = exported(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    col = columns(ws)
    r = row_of(ws, col, "R26-01", "pilot")
    ws.cell(r, col["完成时限"]).value = "2026-09-30"  # an extension is not an import
    r2 = row_of(ws, col, "R26-01", "plan")
    ws.cell(r2, col["完成日期"]).value = "2026年13月1日"
    ws.insert_rows(r + 1)
    for name, value in {"编号": "R26-01", "节点编号": "pilot", "完成时限": "2026-06-30",
                        "佐证材料": "闽林〔2026〕41号"}.items():  # fmt: skip
        ws.cell(r + 1, col[name]).value = value
    wb.save(path)
    before = ledger.read_bytes()
    result = run("import", str(path), "--update")
    assert result.code == 2
    # each refusal names its row and column, and the command that makes the change
    assert (
        f"t.xlsx:台账:{r}:L: “完成时限”：节点 R26-01/pilot 的完成时限 2026-09-30 与台账（2026-06-30）"
        "不一致，调整时限请用：reformctl extend R26-01/pilot --to 2026-09-30 --reason …"
    ) in result.stderr.splitlines()
    assert (
        f"t.xlsx:台账:{r2}:M: “完成日期”：无法识别的日期“2026年13月1日”：该日期不存在"
        in result.stderr
    )
    # the same milestone twice: both rows named (it was an exit 3, overlapping splices)
    assert (
        f"t.xlsx:台账:{r + 1}:J: “节点编号”：与第{r}行重复（同一节点 R26-01/pilot）"
        in result.stderr
    )
    assert ledger.read_bytes() == before


def test_merged_cells_read_as_their_top_left_value(ledger: Path, tmp_path: Path) -> None:
    """A real office workbook: one point spans several rows as merged cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(
        ["编号", "工作要点", "专项小组", "牵头单位", "节点编号", "节点", "完成时限", "完成日期"]
    )
    ws.append(["R26-01", "深化集体林权制度改革", "经济体制改革专项小组", "省林业局", "plan", "出台实施方案",
               dt.datetime(2026, 3, 31), dt.datetime(2026, 3, 28)])  # fmt: skip
    ws.append([None, None, None, None, "pilot", "开展试点", dt.datetime(2026, 6, 30),
               dt.datetime(2026, 11, 2)])  # fmt: skip
    ws.append([None, None, None, None, "spread", "推广经验", dt.datetime(2026, 12, 30), None])
    for letter in "ABCD":
        ws.merge_cells(f"{letter}2:{letter}4")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    result = run("import", str(path), "--update")
    assert result.code == 0, result.stderr
    point = load(ledger).valid().points["R26-01"]
    pilot, spread = point.milestone("pilot"), point.milestone("spread")
    assert pilot is not None and pilot.done == dt.date(2026, 11, 2)
    assert spread is not None and spread.name == "推广经验"


def test_unit_template_and_its_return(ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "lyj.xlsx"
    result = run("export", "--unit", "省林业局", "--template", "--out", str(out))
    assert result.code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb["台账"]
    assert ws["A1"].value == "省林业局2026年改革工作要点月度填报表"
    assert ws["A2"].value == "截至2026年11月28日"
    assert {"A1:Q1", "A3:Q3"} <= {str(r) for r in ws.merged_cells.ranges}
    assert header_row(ws) == 4
    col = columns(ws, 4)
    assert list(col)[-1] == "本月进展" and "编号" in col and "节点编号" in col
    assert {ws.cell(r, col["编号"]).value for r in range(5, ws.max_row + 1)} - {None} == {"R26-01"}
    assert ws.protection.sheet
    for r in range(1, 5):  # the title, as-of, note and header rows stay locked
        assert ws.cell(r, col["完成日期"]).protection.locked
    assert ws.cell(5, col["编号"]).protection.locked
    assert ws.cell(5, col["节点编号"]).protection.locked
    assert not ws.cell(5, col["完成日期"]).protection.locked
    assert not ws.cell(ws.max_row, col["编号"]).protection.locked  # a spare row for new ones
    assert ws.cell(5, col["完成时限"]).is_date
    validations = ws.data_validations.dataValidation
    assert all(v.type == "date" for v in validations)
    ranges = {str(r) for v in validations for r in v.sqref.ranges}
    for name in ("完成时限", "完成日期"):
        letter = openpyxl.utils.get_column_letter(col[name])
        assert f"{letter}5:{letter}{ws.max_row}" in ranges
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"
    assert ws.freeze_panes == "A5"
    # the unit fills it in: this month's progress, and (wrongly) a row of another unit's point
    r = row_of(ws, col, "R26-01", "pilot")
    ws.cell(r, col["本月进展"]).value = "试点县已完成林票发行"
    wb.save(out)
    before = ledger.read_bytes()
    assert run("--lang", "zh", "import", str(out), "--update", "--unit", "省林业局").code == 0
    assert load(ledger).valid().points["R26-01"].progress[-1].text == "试点县已完成林票发行"
    assert ledger.read_bytes() != before
    refused = run("import", str(out), "--update", "--unit", "fgw")
    assert refused.code == 2
    assert "工作要点 R26-01 由省林业局牵头，不在本单位职责范围内" in refused.stderr
    assert "未写入任何内容" in refused.stderr


def test_template_needs_a_unit(ledger: Path) -> None:
    result = run("export", "--template", "--out", "x.xlsx")
    assert result.code == 2 and "--unit" in result.stderr


def test_export_workbook_has_title_and_as_of_rows_over_the_header(
    ledger: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(exported(tmp_path))
    ws = wb["台账"]
    assert ws["A1"].value == "测试台账"
    assert ws["A1"].font.bold and ws["A1"].alignment.horizontal == "center"
    assert "A1:P1" in {str(r) for r in ws.merged_cells.ranges}  # centred over the 16 columns
    assert ws["A2"].value == "截至2026年11月28日"
    assert header_row(ws) == 3
    assert [c.value for c in ws[3]][:4] == ["序号", "编号", "工作要点", "专项小组"]
    assert ws.cell(4, 2).value == "R26-01" and ws.cell(4, 1).value == 1
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    due = ws.cell(4, columns(ws)["完成时限"])
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    # long text wraps in columns of at most 22 characters, its rows as tall as their lines
    # (LibreOffice showed one line of each, cut off, in a sheet 16 pages wide)
    from reformctl.render.xlsx import WRAP_AT

    col = columns(ws)
    assert all(d.width <= WRAP_AT + 2 for d in ws.column_dimensions.values())
    assert ws.cell(4, col["工作要点"]).alignment.vertical == "top"
    assert ws.cell(3, col["重大改革事项"]).alignment.wrap_text
    for name in ("单位", "专项小组", "月度进展"):  # the lists stay plain: header in row 1
        assert wb[name]["A1"].value in ("代码", "编号")


def test_one_cell_edited_in_excel_is_exactly_the_change(ledger: Path, tmp_path: Path) -> None:
    path = exported(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    col = columns(ws)
    ws.cell(row_of(ws, col, "R26-01", "pilot"), col["完成日期"]).value = dt.datetime(2026, 11, 2)
    wb.save(path)
    before = ledger.read_bytes()
    dry = run("import", str(path), "--update", "--dry-run")
    assert dry.code == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert "1 处变化" in lines[0]
    assert lines[1:] == ["✓ 节点 R26-01/pilot 完成（2026-11-02，佐证：无）"]
    assert ledger.read_bytes() == before


def test_header_found_under_a_title_that_is_itself_a_header_word(ledger: Path) -> None:
    """A title merged across the columns reads as the same text in every cell; "工作要点" alone
    is not taken for the header when a row below names more columns."""
    from reformctl.intake.header import find_header

    rows = [["工作要点"] * 4, ["截至2026年11月28日"], ["编号", "工作要点", "牵头单位", "完成时限"]]
    found = find_header(rows)
    assert found is not None and (found.row, found.columns) == (
        2,
        {"id": 0, "title": 1, "lead": 2, "due": 3},
    )
    alone = find_header([["工作要点"], ["甲"]])
    assert alone is not None and (alone.row, alone.columns) == (0, {"title": 0})


def test_long_text_wraps_and_its_row_grows(ledger: Path, tmp_path: Path) -> None:
    path_text = "出台政策文件，" * 12
    assert run("point", "add", "R26-02", "--title", "甲", "--group", "economy", "--lead", "fgw",
               "--path", path_text).code == 0  # fmt: skip
    wb = openpyxl.load_workbook(exported(tmp_path))
    ws = wb["台账"]
    col = columns(ws)
    (r,) = [r for r in range(4, ws.max_row + 1) if ws.cell(r, col["编号"]).value == "R26-02"]
    cell = ws.cell(r, col["实施路径"])
    assert cell.value == path_text and cell.alignment.wrap_text
    assert ws.row_dimensions[r].height >= 15 * 4  # 168 columns of text in a column of 22
