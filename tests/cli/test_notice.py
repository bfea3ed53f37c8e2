"""`notice`: three-colour supervision notices (督办通知) through the real CLI, read back with
python-docx; `--record` numbers that are never reused and 再次督办; the counts in the reports."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from tests.conftest import BASE, record_lines, run, write_ledger

docx = pytest.importorskip("docx")

LEDGER = (
    BASE.replace(
        'timezone = "Asia/Shanghai"\n',
        'timezone = "Asia/Shanghai"\noffice = "中共福建省委全面深化改革委员会办公室"\n'
        'office_code = "闽改办"\n',
    )
    + """
[points.R26-02]
title = "深化营商环境改革"
group = "economy"
lead = "fgw"
units = []
path = ""
outcome = ""

[points.R26-02.milestones.today]
name = "出台评估办法"
due = 2026-11-28

[points.R26-02.milestones.later]
name = "开展第三方评估"
due = 2026-12-20

[points.R26-03]
title = "推进要素市场化配置改革"
group = "economy"
lead = "fgw"
units = []
path = ""
outcome = ""

[points.R26-03.milestones.soon]
name = "出台实施意见"
due = 2026-12-02
"""
)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, LEDGER)


def notices(folder: Path, ext: str = "docx") -> list[Path]:
    return sorted(folder.glob(f"*.{ext}"), key=lambda p: int(p.name.split("〕")[1].split("号")[0]))


def texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_one_notice_per_unit_and_colour_in_docx(office: Path, tmp_path: Path) -> None:
    before = office.read_bytes()
    result = run("notice", "--out", "督办")
    assert result.code == 0, result.stderr
    assert "已生成3份督办通知" in result.stdout
    files = notices(tmp_path / "督办")
    assert [f.name for f in files] == [
        "闽改办督〔2026〕1号-红色督办-省林业局.docx",
        "闽改办督〔2026〕2号-黄色督办-省发改委.docx",
        "闽改办督〔2026〕3号-蓝色提醒-省发改委.docx",
    ]
    assert office.read_bytes() == before  # without --record nothing is written to the ledger

    red = texts(files[0])
    assert red[:4] == [
        "中共福建省委全面深化改革委员会办公室",
        "闽改办督〔2026〕1号",
        "关于对逾期改革任务进行红色督办的通知",
        "省林业局：",
    ]
    assert "截至2026年11月28日，你单位牵头的1个节点已超过完成时限，最长逾期151天" in red[4]
    # the 落款 and 成文日期 close the body; the 附件 and the 版记 follow
    at = red.index("2026年11月28日")
    assert red[at - 2 : at + 3] == [
        "附件：督办事项清单",
        "中共福建省委全面深化改革委员会办公室",
        "2026年11月28日",
        "附件",
        "督办事项清单",
    ]
    assert record_lines(docx.Document(str(files[0]))) == [
        "\u3000中共福建省委全面深化改革委员会办公室\t2026年11月28日印发\u3000"
    ]
    table = docx.Document(str(files[0])).tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "节点",
        "工作要点",
        "完成时限",
        "逾期/剩余天数",
        "要求",
    ]
    assert [c.text for c in table.rows[1].cells] == [
        "1",
        "开展试点",
        "R26-01 深化集体林权制度改革",
        "2026年6月30日",
        "逾期151天",
        "限期完成",
    ]
    yellow = docx.Document(str(files[1])).tables[0]
    assert [c.text for c in yellow.rows[1].cells][1:] == [
        "出台评估办法",
        "R26-02 深化营商环境改革",
        "2026年11月28日",
        "今日到期",
        "加快推进",
    ]
    assert len(yellow.rows) == 2  # the point's next step only, not every later one
    blue = docx.Document(str(files[2])).tables[0]
    assert [c.text for c in blue.rows[1].cells][4] == "剩余4天"


def test_docx_layout_is_gbt_9704(office: Path, tmp_path: Path) -> None:
    assert run("notice", "--kind", "red", "--out", "out").code == 0
    (path,) = notices(tmp_path / "out")
    document = docx.Document(str(path))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode()
        footers = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
        fonts = z.read("word/fontTable.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert 'w:eastAsia="方正小标宋简体"' in body  # the title
    assert 'w:eastAsia="仿宋_GB2312"' in body  # the body
    assert "PAGE" in footers and "— " in footers  # — 1 —
    assert "evenAndOddHeaders" in settings  # odd pages right, even pages left
    # the fallbacks: one altName each, a chain (a comma-joined list is read as one name)
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="仿宋"><w:altName w:val="FangSong"/>' in fonts
    assert "tblHeader" in body  # the table's header row repeats on every page


def test_md_and_txt_for_oa_and_filters(office: Path, tmp_path: Path) -> None:
    assert run("notice", "--format", "md", "--unit", "省发改委", "--out", "md").code == 0
    files = notices(tmp_path / "md", "md")
    assert [f.name.split("-")[1] for f in files] == ["黄色督办", "蓝色提醒"]
    text = files[0].read_text(encoding="utf-8")
    assert "# 关于对滞后序时进度改革任务进行黄色督办的通知" in text
    assert (
        "| 1 | 出台评估办法 | R26-02 深化营商环境改革 | 2026年11月28日 | 今日到期 | 加快推进 |"
        in text
    )
    assert run("notice", "--format", "txt", "--kind", "blue", "--out", "txt").code == 0
    (txt,) = notices(tmp_path / "txt", "txt")
    body = txt.read_text(encoding="utf-8")
    assert "\u3000\u3000根据《测试》，截至2026年11月28日，你单位牵头的1个节点将于7日内到期" in body
    assert body.rstrip().endswith("2026年11月28日印发")  # the 版记 closes it


def test_nothing_to_notice(office: Path, tmp_path: Path) -> None:
    result = run("notice", "--kind", "red", "--unit", "fgw", "--out", "none")
    assert result.code == 0 and "今天没有需要督办的事项" in result.stdout
    assert not (tmp_path / "none").exists()


def test_unknown_unit_and_existing_file_refused(office: Path, tmp_path: Path) -> None:
    before = office.read_bytes()
    result = run("notice", "--unit", "省公安厅", "--out", "x", "--record")
    assert result.code == 2 and "省公安厅" in result.stderr
    assert run("notice", "--kind", "red", "--out", "x").code == 0
    again = run("notice", "--kind", "red", "--out", "x", "--record")
    assert again.code == 2 and "已存在" in again.stderr
    assert office.read_bytes() == before  # refused before the ledger was touched
    assert run("notice", "--kind", "red", "--out", "x", "--force").code == 0


def test_record_keeps_numbers_and_a_second_notice_says_so(office: Path, tmp_path: Path) -> None:
    first = run("notice", "--out", "a", "--record")
    assert first.code == 0, first.stderr
    assert "（闽改办督〔2026〕1号至闽改办督〔2026〕3号）" in first.stdout
    ledger = load(office).valid()
    assert [(n.id, n.number, n.unit, n.kind, n.items) for n in ledger.notices.values()] == [
        ("2026-001", 1, "lyj", "red", ("R26-01/pilot",)),
        ("2026-002", 2, "fgw", "yellow", ("R26-02/today",)),
        ("2026-003", 3, "fgw", "blue", ("R26-03/soon",)),
    ]
    assert run("check").code == 1  # valid; overdue milestones remain
    second = run("--today", "2026-12-01", "notice", "--kind", "red", "--out", "b", "--record")
    assert second.code == 0, second.stderr
    files = notices(tmp_path / "b")
    # units in the order the ledger declares them; numbers run on from the last one recorded
    assert [f.name for f in files] == [
        "闽改办督〔2026〕4号-红色督办-省发改委.docx",
        "闽改办督〔2026〕5号-红色督办-省林业局.docx",
    ]
    red = texts(files[1])
    # too long for one line of 二号: two, folded before 进行 (GB/T 9704 回行)
    assert red[2] == "关于对逾期改革任务\n进行红色督办的通知（再次督办）"
    assert "其中1个节点此前已督办仍未完成，本次为再次督办" in red[4]
    row = [c.text for c in docx.Document(str(files[1])).tables[0].rows[1].cells]
    assert row[-1] == "再次督办（第2次）"
    # R26-02/today had a yellow notice and is now overdue: pressed again, in red
    fgw = docx.Document(str(files[0])).tables[0]
    assert [[c.text for c in r.cells][-1] for r in fgw.rows[1:]] == ["再次督办（第2次）"]
    assert len(load(office).valid().notices) == 5


def test_a_number_used_twice_is_an_error(office: Path) -> None:
    text = office.read_text(encoding="utf-8") + "".join(
        f'\n[notices.{key}]\nnumber = 7\non = 2026-11-0{d}\nunit = "lyj"\nkind = "red"\n'
        'items = ["R26-01/pilot"]\n'
        for key, d in (("a", 1), ("b", 2))
    )
    office.write_text(text, encoding="utf-8")
    result = run("check")
    assert result.code == 2
    assert "ledger.toml:78:1: 督办通知 b 的编号 2026 年第 7 号已由 a 使用，文号不能重复" in (
        result.stdout
    )


def test_reports_count_notices_and_items_still_open(office: Path) -> None:
    assert run("--today", "2026-07-02", "notice", "--out", "a", "--record").code == 0
    assert run("report", "half", "--period", "2", "--out", "h.json").code == 0
    data = json.loads(Path("h.json").read_text(encoding="utf-8"))
    figures = data["sections"]["headline"]
    assert figures["notices_issued"] == 1
    assert figures["notice_items"] == 1
    assert figures["notice_items_still_open"] == 1


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_golden_notice(office: Path, tmp_path: Path, fmt: str) -> None:
    """A whole notice as it is pasted into an OA system (regenerate with UPDATE_GOLDEN=1)."""
    import os

    from tests.conftest import GOLDEN

    assert run("notice", "--kind", "red", "--format", fmt, "--out", "g").code == 0
    (path,) = notices(tmp_path / "g", fmt)
    text = path.read_text(encoding="utf-8")
    golden = GOLDEN / f"notice-red.zh.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
