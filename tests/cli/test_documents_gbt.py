"""Documents as GB/T 9704-2012 has them (issue 24, items 2 and 3), read back from the files the
CLI writes: the 附件 after the 落款 with its 附件说明 in the body, the 版记 (抄送, 印发机关和印发
日期) between its rules, East Asian faces by their standard names with a fallback chain of one
altName each, column widths that follow the content; and the office does not supervise itself."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from reformctl.render.document import TEXT_WIDTH_CM, Block, _auto_widths, text_cm
from tests.cli.test_notice import LEDGER
from tests.conftest import ROOT, record_lines, run, write_ledger

docx = pytest.importorskip("docx")

OFFICE = "中共福建省委全面深化改革委员会办公室"
STANDARD = {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"}
WITH_CC = LEDGER.replace(
    'office_code = "闽改办"\n', 'office_code = "闽改办"\ncc = "省委办公厅，省政府办公厅"\n'
)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, WITH_CC)


def red_notice(folder: Path) -> Path:
    assert run("notice", "--kind", "red", "--out", str(folder)).code == 0
    (path,) = sorted(folder.glob("*.docx"))
    return path


def test_notice_annex_follows_the_signature_and_the_record_closes_it(
    office: Path, tmp_path: Path
) -> None:
    document = docx.Document(str(red_notice(tmp_path / "n")))
    texts = [p.text for p in document.paragraphs]
    at = texts.index("附件：督办事项清单")  # 附件说明 in the body, before the 落款
    assert texts[at + 1 : at + 5] == [OFFICE, "2026年11月28日", "附件", "督办事项清单"]
    annex = document.paragraphs[at + 3]
    assert annex.paragraph_format.page_break_before  # 附件另面编排
    assert {r.element.rPr.rFonts.get(qn("w:eastAsia")) for r in annex.runs} == {"黑体"}
    # the table of items comes after the annex's title, and the 版记 after the table
    body = [child.tag.rsplit("}", 1)[1] for child in document.element.body]
    assert body.index("tbl") > [i for i, t in enumerate(body) if t == "p"][at + 4]
    assert record_lines(document) == [
        "\u3000抄送：省委办公厅，省政府办公厅。",
        f"\u3000{OFFICE}\t2026年11月28日印发\u3000",
    ]
    record = document.tables[-1]._tbl
    borders = record.tblPr.find(qn("w:tblBorders"))

    def rule(side: str) -> str | None:
        el = borders.find(qn(f"w:{side}"))
        return None if el is None or el.get(qn("w:val")) == "nil" else el.get(qn("w:sz"))

    # the first and last rules 0.35 mm (sz 8), the one between 0.25 mm (sz 6), none upright
    assert [rule(s) for s in ("top", "insideH", "bottom")] == ["8", "6", "8"]
    assert [rule(s) for s in ("left", "right", "insideV")] == [None, None, None]


def test_issuer_and_no_cc(tmp_path: Path) -> None:
    write_ledger(tmp_path, LEDGER)
    assert run("office", "set", "--issuer", "省委改革办秘书处").code == 0
    document = docx.Document(str(red_notice(tmp_path / "n")))
    texts = [p.text for p in document.paragraphs]
    assert not any("抄送" in t for t in texts)
    assert record_lines(document) == ["\u3000省委改革办秘书处\t2026年11月28日印发\u3000"]


def test_east_asian_faces_by_standard_name_with_a_chain_of_one_alt_name_each(
    office: Path, tmp_path: Path
) -> None:
    path = red_notice(tmp_path / "n")
    document = docx.Document(str(path))
    faces = {
        el.get(qn("w:eastAsia"))
        for el in document.element.body.iter(qn("w:rFonts"))
        if el.get(qn("w:eastAsia"))
    }
    assert faces and faces <= STANDARD and {"方正小标宋简体", "仿宋_GB2312", "黑体"} <= faces
    import zipfile

    table = zipfile.ZipFile(path).read("word/fontTable.xml").decode("utf-8")
    alt = dict(re.findall(r'<w:font w:name="([^"]+)"><w:altName w:val="([^"]+)"/>', table))
    assert all("," not in a for a in alt.values())  # one name each: a list is read as one name
    for face, last in (("仿宋_GB2312", "Noto Serif CJK SC"), ("黑体", "Noto Sans CJK SC"),
                       ("楷体_GB2312", "Noto Serif CJK SC"), ("方正小标宋简体", "Noto Serif CJK SC")):  # fmt: skip
        chain = [face]
        while chain[-1] in alt:
            chain.append(alt[chain[-1]])
        assert chain[-1] == last and len(chain) >= 3, chain


def test_docs_show_the_fontconfig_the_code_declares() -> None:
    from reformctl.render.document import fontconfig_text

    docs = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    block = docs.split("<!-- fontconfig: the test reads this block -->\n```xml\n", 1)[1]
    assert block.split("```", 1)[0] == fontconfig_text()


def test_short_columns_are_as_wide_as_they_need_and_text_shares_the_rest() -> None:
    rows = [
        ["R26-11/rules", "出台职务科技成果单列管理办法并组织实施", "深化科技成果转化“赋权”改革",
         "2026年10月31日", "89"],
        ["R26-2/x", "出台办法", "深化改革", "2026年1月1日", "1"],
    ]  # fmt: skip
    headers = ["节点", "名称", "工作要点", "完成时限", "逾期天数"]
    size = 10.5
    widths = _auto_widths(Block("table", headers=headers, rows=rows), size)
    assert abs(sum(widths) - TEXT_WIDTH_CM) < 0.01
    four = text_cm("\u3000" * 4, size) + 0.4  # four characters and the cell margins
    # an ID and a date: exactly their longest cell (never wider), never narrower than four characters
    assert abs(widths[0] - max(text_cm(rows[0][0], size) + 0.5, four)) < 0.01
    assert abs(widths[3] - (text_cm(rows[0][3], size) + 0.5)) < 0.01
    assert abs(widths[4] - four) < 0.01  # a two-digit figure still gets four characters
    assert widths[1] > widths[2] > widths[0]  # the longer text gets more of what is left


def test_a_ranking_of_nine_columns_keeps_four_characters_a_figure_and_gives_the_name_the_rest() -> (
    None
):
    headers = [
        "排名",
        "专项小组",
        "节点数",
        "应完成",
        "已完成",
        "逾期完成",
        "逾期",
        "完成率",
        "序时进度",
    ]
    rows = [
        ["1", "基层改革创新专项小组", "14", "10", "9", "1", "1", "64%", "71%"],
        ["2", "经济体制和生态文明体制改革专项小组", "27", "17", "15", "2", "2", "56%", "63%"],
    ]
    size = 9
    widths = _auto_widths(Block("table", headers=headers, rows=rows), size)
    four = text_cm("\u3000" * 4, size) + 0.4
    assert abs(sum(widths) - TEXT_WIDTH_CM) < 0.01
    assert all(abs(w - four) < 0.01 for i, w in enumerate(widths) if i != 1), widths
    # the name has all the rest, not an equal share (before: 1.73 cm, each name in 3 to 5 lines)
    assert abs(widths[1] - (TEXT_WIDTH_CM - 8 * four)) < 0.01 and widths[1] > 2.2


def test_a_table_of_short_columns_only_fills_the_width() -> None:
    widths = _auto_widths(Block("table", headers=["序号", "单位"], rows=[["1", "省林业局"]]), 12)
    assert abs(sum(widths) - TEXT_WIDTH_CM) < 0.01


# -- the office does not supervise itself (item 3) -------------------------------------------------
SELF = LEDGER.replace('office_code = "闽改办"\n', 'office_code = "闽改办"\noffice_unit = "lyj"\n')


def test_no_notice_to_the_office_unless_asked(tmp_path: Path) -> None:
    write_ledger(tmp_path, SELF)
    result = run("--today", "2026-11-28", "notice", "--format", "md", "--out", "a", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert not any("省林业局" in p.name for p in (tmp_path / "a").iterdir())
    assert "--include-office" in result.stderr  # the clerk is told what was left out
    result = run(
        "--today", "2026-11-28", "notice", "--format", "md", "--include-office", "--out", "b",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.code == 0 and "--include-office" not in result.stderr
    assert any("省林业局" in p.name for p in (tmp_path / "b").iterdir())
    # naming the unit is asking for it
    result = run(
        "--today", "2026-11-28", "notice", "--format", "md", "--unit", "lyj", "--out", "c",
        cwd=tmp_path,
    )  # fmt: skip
    assert [p.name for p in (tmp_path / "c").iterdir()] == [
        "闽改办督〔2026〕1号-红色督办-省林业局.md"
    ]


def test_the_ranking_marks_the_office_without_moving_it(tmp_path: Path) -> None:
    write_ledger(tmp_path, SELF)
    table = run("--today", "2026-11-28", "progress", "--format", "plain", cwd=tmp_path)
    assert "省林业局（本办）" in table.stdout
    rows = json.loads(
        run("--today", "2026-11-28", "progress", "--format", "json", cwd=tmp_path).stdout
    )
    assert [(r["key"], r["office"]) for r in rows if r["office"]] == [("lyj", True)]
    write_ledger(tmp_path, LEDGER)  # the same ledger without office_unit ranks the same
    plain = json.loads(
        run("--today", "2026-11-28", "progress", "--format", "json", cwd=tmp_path).stdout
    )
    assert [r["key"] for r in plain] == [r["key"] for r in rows]
    assert not any(r["office"] for r in plain)
    write_ledger(tmp_path, SELF)
    report = json.loads(
        run("--today", "2026-11-28", "report", "half", "--format", "json", cwd=tmp_path).stdout
    )
    assert [r["key"] for r in report["sections"]["ranking_unit"] if r["office"]] == ["lyj"]


# -- rendered as a person sees it -----------------------------------------------------------------
@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdffonts")),
    reason="LibreOffice (soffice) and poppler's pdffonts are needed to render the document",
)
def test_libreoffice_with_the_fontconfig_keeps_serif_and_sans_apart(
    office: Path, tmp_path: Path
) -> None:
    from reformctl.render.document import fontconfig_text

    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    if "Noto Serif CJK SC" not in fonts.stdout or "Noto Sans CJK SC" not in fonts.stdout:
        pytest.skip("the Noto CJK fonts (fonts-noto-cjk) are not installed")
    path = red_notice(tmp_path / "n")
    home = tmp_path / "home"
    (home / ".config" / "fontconfig").mkdir(parents=True)
    (home / ".config" / "fontconfig" / "fonts.conf").write_text(fontconfig_text(), encoding="utf-8")
    source = tmp_path / "notice.docx"
    shutil.copy(path, source)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        env={**os.environ, "HOME": str(home)}, capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    used = subprocess.run(
        ["pdffonts", str(tmp_path / "notice.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "NotoSerifCJK" in used and "NotoSansCJK" in used, used  # 仿宋/小标宋 serif, 黑体 sans


# -- circulars as 公文 (item 2) -------------------------------------------------------------------
def test_the_circular_is_a_gbt_9704_document(sample: Path) -> None:
    from tests.cli.test_report_docx import OFFICE as FJ

    assert (
        run("office", "set", "--office", FJ, "--office-code", "闽改办", "--cc", "省委办公厅").code
        == 0
    )
    assert run("report", "half", "--period", "2", "--out", "h.docx").code == 0
    document = docx.Document("h.docx")
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    banner, number, title, to = paragraphs[:4]
    # 版头: the office in red, in 方正小标宋简体; 发文字号 with the red rule under it
    assert banner.text == FJ
    assert {str(r.font.color.rgb) for r in banner.runs} == {"FF0000"}
    assert {r.element.rPr.rFonts.get(qn("w:eastAsia")) for r in banner.runs} == {"方正小标宋简体"}
    assert number.text == "闽改办〔2026〕\u3000号"  # the number is the registering clerk's to write
    rule = number._element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    assert title.text.replace("\n", "") == "关于2026年下半年全面深化改革工作要点推进情况的通报"
    assert to.text == "各专项小组，各有关单位："
    # the long lists go to 附件 after the 落款, each named in the body (附件说明)
    at = texts.index(FJ, 1)
    assert texts[at + 1] == "2026年11月28日"
    notes = [t for t in texts[:at] if t.startswith("附件：")]
    assert notes == ["附件：1.逾期未完成节点"]
    # the body's last line goes with the 附件说明 and the 落款: never a page of the 落款 alone
    assert paragraphs[texts.index(notes[0]) - 1].paragraph_format.keep_with_next
    assert texts[at - 2 : at] == ["2.延期情况", "3.已销号工作要点"]
    annexes = [p for p in paragraphs[at:] if p.text.startswith("附件")]
    assert [p.text for p in annexes] == ["附件1", "附件2", "附件3"]
    assert all(p.paragraph_format.page_break_before for p in annexes)
    assert texts[texts.index("附件1") + 1] == "逾期未完成节点"
    assert (
        "截至2026年11月28日，共7个节点逾期未完成，按专项小组和牵头单位列示如下（明细见附件1）："
        in texts[:at]
    )
    assert "共1项，详见附件3。" in texts[:at]  # a list without sub-levels: its count and annex
    assert record_lines(document) == [
        "\u3000抄送：省委办公厅。",
        f"\u3000{FJ}\t2026年11月28日印发\u3000",
    ]
    # headings 一、 in 黑体; the first section's figures in a sentence, no table of figures
    heads = [p for p in paragraphs[:at] if re.match(r"^[一二三四五六]、", p.text)]
    assert [p.text[:2] for p in heads] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert all(r.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体" for p in heads for r in p.runs)
    # the body keeps the two rankings as tables; the three annexes have theirs
    assert len(document.tables) == 6  # and the 版记


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("year", "关于2026年度全面深化改革工作要点落实情况的通报"),
        ("quarter", "关于2026年第三季度重大改革事项推进情况的通报"),
    ],
)
def test_every_circular_is_titled_as_a_document(sample: Path, kind: str, title: str) -> None:
    assert run("office", "set", "--office", "福建省委改革办", "--office-code", "闽改办").code == 0
    period = ("--period", "3") if kind == "quarter" else ()
    assert run("report", kind, *period, "--out", "r.docx").code == 0
    document = docx.Document("r.docx")
    texts = [p.text for p in document.paragraphs]
    assert texts[2].replace("\n", "") == title
    assert record_lines(document) == [
        "\u3000福建省委改革办\t2026年11月28日印发\u3000"
    ]  # the office
