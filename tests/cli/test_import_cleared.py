"""`import --update` of an export with a cell emptied (issue 21, item 8): on the row that carries
a point's ID every emptied cell is an edit, applied where `edit` makes it (配合单位, 实施路径,
成果形式, 重大改革事项) or refused by row and column naming the command; never passed over. One
test a column of the export."""

from __future__ import annotations

from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from tests.cli.test_import_layouts import exported
from tests.conftest import run

openpyxl = pytest.importorskip("openpyxl")

# R26-01 of the base ledger: rows 4 (plan, done with evidence) and 5 (pilot, open)
BOTH = (4, 5)


def clear(tmp_path: Path, column: str, rows: tuple[int, ...]) -> Path:
    path, wb, col = exported(tmp_path)
    ws = wb["台账"]
    for r in rows:
        ws.cell(r, col[column]).value = None
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("column", "field", "value"),
    [
        ("配合单位", "units", ()),
        ("实施路径", "path", ""),
        ("成果形式", "outcome", ""),
        ("重大改革事项", "major", False),
    ],
)
def test_an_optional_fact_emptied_is_cleared_as_edit_clears_it(
    ledger: Path, tmp_path: Path, column: str, field: str, value: object
) -> None:
    path = clear(tmp_path, column, BOTH)
    result = run("import", str(path), "--update")
    assert result.code == 0, result.stderr
    assert "1处修改" in result.stdout
    point = load(ledger).valid().points["R26-01"]
    assert getattr(point, field) == value
    assert point.title == "深化集体林权制度改革" and len(point.milestones) == 2
    assert run("check").code != 2
    again = run("import", str(path), "--update")
    assert "与台账一致" in again.stdout


def test_an_optional_fact_emptied_on_one_row_of_two_is_refused(
    ledger: Path, tmp_path: Path
) -> None:
    path = clear(tmp_path, "实施路径", (5,))
    before = ledger.read_bytes()
    result = run("import", str(path), "--update")
    assert result.code == 2
    assert "t.xlsx:台账:5:G: “实施路径”：与第4行是同一工作要点，但内容不一致" in result.stderr
    assert ledger.read_bytes() == before


@pytest.mark.parametrize(
    ("column", "rows", "line"),
    [
        ("工作要点", BOTH, "4:C: “工作要点”：此格被清空（台账中为“深化集体林权制度改革”）；"
         "导入不做此项修改，请用：reformctl edit R26-01 --title …"),
        ("专项小组", BOTH, "4:D: “专项小组”：此格被清空（台账中为“经济体制改革专项小组”）；"
         "导入不做此项修改，请用：reformctl edit R26-01 --group …"),
        ("牵头单位", BOTH, "4:E: “牵头单位”：此格被清空（台账中为“省林业局”）；"
         "导入不做此项修改，请用：reformctl edit R26-01 --lead …"),
        ("节点编号", (5,), "5:J: “节点编号”：节点编号被清空（台账中为 pilot）；"
         "节点编号不能更改，请填回 pilot 后再导入"),
        ("节点", (5,), "5:K: “节点”：此格被清空（台账中为“开展试点”）；"
         "导入不做此项修改，请用：reformctl edit R26-01/pilot --name …"),
        ("完成时限", (5,), "5:L: “完成时限”：此格被清空（台账中为“2026-06-30”）；"
         "导入不做此项修改，请用：reformctl edit R26-01/pilot --due …"),
        ("完成日期", (4,), "4:M: “完成日期”：节点 R26-01/plan 在台账中已完成，此处完成日期被清空；"
         "如需撤销请执行：reformctl undone R26-01/plan"),
        ("佐证材料", (4,), "4:N: “佐证材料”：此格被清空（台账中为“闽林〔2026〕3号”）；"
         "导入不做此项修改，请用：reformctl undone R26-01/plan"),
    ],
)  # fmt: skip
def test_a_required_fact_emptied_is_refused_naming_the_command(
    ledger: Path, tmp_path: Path, column: str, rows: tuple[int, ...], line: str
) -> None:
    path = clear(tmp_path, column, rows)
    before = ledger.read_bytes()
    result = run("import", str(path), "--update")
    assert result.code == 2
    assert f"t.xlsx:台账:{line}" in result.stderr.splitlines(), result.stderr
    assert ledger.read_bytes() == before


@pytest.mark.parametrize(
    ("column", "was"), [("销号日期", "2026-04-01"), ("销号佐证", "闽改〔2026〕1号")]
)
def test_a_closing_emptied_is_refused_naming_reopen(
    ledger: Path, tmp_path: Path, column: str, was: str
) -> None:
    for args in (
        ("point", "add", "R26-02", "--title", "深化医保改革", "--group", "economy", "--lead", "fgw"),
        ("milestone", "add", "R26-02/m1", "--name", "出台方案", "--due", "2026-03-31"),
        ("--today", "2026-04-02", "done", "R26-02/m1", "--on", "2026-03-30", "--evidence", "文"),
        ("--today", "2026-04-02", "close", "R26-02", "--evidence", "闽改〔2026〕1号", "--on",
         "2026-04-01"),
    ):  # fmt: skip
        assert run(*args).code == 0, args
    path = clear(tmp_path, column, (6,))
    before = ledger.read_bytes()
    result = run("import", str(path), "--update")
    assert result.code == 2
    letter = {"销号日期": "O", "销号佐证": "P"}[column]
    assert (
        f"t.xlsx:台账:6:{letter}: “{column}”：此格被清空（台账中为“{was}”）；"
        "导入不做此项修改，请用：reformctl reopen R26-02"
    ) in result.stderr.splitlines(), result.stderr
    assert ledger.read_bytes() == before


def test_the_row_number_and_a_point_without_its_id_are_not_lost(
    ledger: Path, tmp_path: Path
) -> None:
    """序号 is no fact (nothing to change); a row whose 编号 is emptied is refused: IDs do not
    change."""
    (tmp_path / "a").mkdir()
    same = run("import", str(clear(tmp_path / "a", "序号", BOTH)), "--update")
    assert same.code == 0 and "与台账一致" in same.stdout, same.stderr
    before = ledger.read_bytes()
    result = run("import", str(clear(tmp_path, "编号", BOTH)), "--update")
    assert result.code == 2
    assert (
        "t.xlsx:台账:4:B: “编号”：编号为空，而台账中该工作要点的编号是 R26-01；编号不能更改，"
        "请填回 R26-01 后再导入"
    ) in result.stderr.splitlines(), result.stderr
    assert ledger.read_bytes() == before
