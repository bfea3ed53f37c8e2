"""Rows without an ID find their point by title (issue 21 speed: looked up, not searched for
on each row): by title within its group, the ledger's order kept, several refused; a first
import's row whose title is already in its group refused naming that point."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_process, write_ledger

TWICE = """schema = 1

[ledger]
title = "测试台账"
year = 2026
timezone = "Asia/Shanghai"

[units.fgw]
name = "省发改委"

[units.lyj]
name = "省林业局"

[groups.economy]
name = "经济体制改革专项小组"
lead = "fgw"

[groups.ecology]
name = "生态文明体制改革专项小组"
lead = "lyj"

[points.R26-01]
title = "深化集体林权制度改革"
group = "ecology"
lead = "lyj"
units = ["fgw"]
path = "出台政策文件"
outcome = "政策文件"
major = false

[points.R26-01.milestones.plan]
name = "出台实施方案"
due = 2026-03-31

[points.R26-02]
title = "深化集体林权制度改革"
group = "economy"
lead = "fgw"
units = ["lyj"]
path = "出台政策文件"
outcome = "政策文件"
major = false

[points.R26-02.milestones.plan]
name = "出台实施方案"
due = 2026-03-31

[points.R26-03]
title = "推进要素市场化配置改革"
group = "economy"
lead = "fgw"
units = ["lyj"]
path = "出台政策文件"
outcome = "政策文件"
major = false

[points.R26-03.milestones.plan]
name = "出台实施方案"
due = 2026-06-30
"""

ENV = {"REFORMCTL_TODAY": "2026-12-07"}


def csv_file(folder: Path, header: list[str], *rows: list[str]) -> Path:
    path = folder / "return.csv"
    lines = [",".join(header), *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_row_without_id_updates_the_point_of_its_title_in_its_group(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, TWICE)
    header = [
        "工作要点",
        "专项小组",
        "牵头单位",
        "节点编号",
        "节点",
        "完成时限",
        "完成日期",
        "佐证材料",
    ]
    path = csv_file(
        tmp_path,
        header,
        ["深化集体林权制度改革", "经济体制改革专项小组", "省发改委", "plan", "出台实施方案",
         "2026-03-31", "2026-03-20", "闽发改〔2026〕5号"],
        ["推进要素市场化配置改革", "经济体制改革专项小组", "省发改委", "plan", "出台实施方案",
         "2026-06-30", "", ""],
    )  # fmt: skip
    done = run_process("import", str(path), "--update", cwd=tmp_path, env=ENV)
    assert done.code == 0, done.stderr
    text = ledger.read_text(encoding="utf-8")
    economy = text[text.index("[points.R26-02]") : text.index("[points.R26-03]")]
    ecology = text[text.index("[points.R26-01]") : text.index("[points.R26-02]")]
    assert "done = 2026-03-20" in economy and "闽发改〔2026〕5号" in economy
    assert "done" not in ecology


def test_a_title_of_several_points_without_a_group_column_is_refused(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, TWICE)
    before = ledger.read_bytes()
    path = csv_file(
        tmp_path,
        ["工作要点", "牵头单位", "节点", "完成时限", "完成日期", "佐证材料"],
        ["深化集体林权制度改革", "省发改委", "出台实施方案", "2026-03-31", "2026-03-20", "x"],
    )
    refused = run_process("import", str(path), "--update", cwd=tmp_path, env=ENV)
    assert refused.code == 2, refused.stderr
    assert "标题对应多个工作要点（R26-01、R26-02）" in refused.stderr
    assert ledger.read_bytes() == before


def test_a_new_row_whose_title_is_in_its_group_names_that_point(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, TWICE)
    before = ledger.read_bytes()
    path = csv_file(
        tmp_path,
        ["工作要点", "专项小组", "牵头单位", "节点", "完成时限"],
        ["推进要素市场化配置改革", "经济体制改革专项小组", "省发改委", "开展试点", "2026-09-30"],
        ["深化集体林权制度改革", "经济体制改革专项小组", "省发改委", "开展试点", "2026-09-30"],
    )
    refused = run_process("import", str(path), cwd=tmp_path, env=ENV)
    assert refused.code == 2, refused.stderr
    assert "此工作要点已在台账中（R26-03）" in refused.stderr
    assert "此工作要点已在台账中（R26-02）" in refused.stderr
    assert "R26-01" not in refused.stderr
    assert ledger.read_bytes() == before
