"""The quarterly case booklet (issue 24 item 5), read back from the files `case booklet` writes:
cover, contents, the cases grouped by theme, each case's 做法, its path as numbered steps, the
推广价值点评 and where it was published or copied; the same document checks as the circulars."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx.oxml.ns import qn

from reformctl.ledger.loader import load
from tests.conftest import ROOT, record_lines, run, write_ledger

docx = pytest.importorskip("docx")

OFFICE = "福建省委全面深化改革委员会办公室"
STEPS = ("摸清企业诉求，建立问题清单", "明确责任单位和办理时限", "办结后回访企业")


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """The bundled sample (its office 闽改办; C26-03 平安建设 in 2026-Q3) and a second Q3 case
    added through the CLI with its 做法, 路径 and 点评."""
    path = write_ledger(tmp_path, (ROOT / "ledger.toml").read_text(encoding="utf-8"))
    result = run(
        "case", "add", "C26-05", "--title", "晋江“一企一策”帮扶机制", "--from", "R26-09",
        "--theme", "营商环境", "--quarter", "2026-Q3",
        "--practice", "建立企业诉求直通车，问题清单化办理。",
        *(a for s in STEPS for a in ("--step", s)),
        "--comment", "闭环办理企业诉求，可在县域复制推广。",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return path


def test_case_add_keeps_practice_steps_and_comment_in_order(bundled: Path) -> None:
    case = load(bundled).valid().cases["C26-05"]
    assert case.practice == "建立企业诉求直通车，问题清单化办理。"
    assert case.steps == STEPS
    assert case.comment == "闭环办理企业诉求，可在县域复制推广。"
    text = bundled.read_text(encoding="utf-8")
    assert (
        'steps = ["摸清企业诉求，建立问题清单", "明确责任单位和办理时限", "办结后回访企业"]' in text
    )


def test_the_booklet_groups_the_quarters_cases_by_theme(bundled: Path) -> None:
    result = run("case", "booklet", "--quarter", "2026-Q3", "--out", "b.docx")
    assert result.code == 0, result.stderr
    assert "2个案例" in result.stdout
    document = docx.Document("b.docx")
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    # the cover, then the contents on a page of their own
    assert texts[:3] == ["2026年第三季度全面深化改革典型案例汇编", OFFICE, "2026年11月28日"]
    contents = texts.index("目　录")
    assert paragraphs[contents].paragraph_format.page_break_before
    assert texts[contents + 1 : contents + 5] == [
        "一、平安建设",
        "（一）宁德交通事故“快处快赔121”机制",
        "二、营商环境",
        "（一）晋江“一企一策”帮扶机制",
    ]
    # the body: a theme a 一、 heading in 黑体 on a new page, a case a （一） heading in 楷体
    first = texts.index("一、平安建设", contents + 5)
    assert paragraphs[first].paragraph_format.page_break_before
    fonts = {r.element.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraphs[first].runs}
    assert fonts == {"黑体"}
    case = texts.index("（一）晋江“一企一策”帮扶机制", first)
    heading = {r.element.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraphs[case].runs}
    assert heading == {"楷体_GB2312"}
    assert texts[case + 1 : case + 10] == [
        "来源：R26-09 深化南平“生态银行”机制",
        "1.主要做法",
        "建立企业诉求直通车，问题清单化办理。",
        "2.改革路径",
        *(f"（{i}）{s}" for i, s in enumerate(STEPS, 1)),
        "3.推广价值点评",
        "闭环办理企业诉求，可在县域复制推广。",
    ]
    # a case with nothing but its promotions: the parts left empty are left out, numbers close up
    c3 = texts.index("（一）宁德交通事故“快处快赔121”机制", first)
    assert texts[c3 + 2 : c3 + 5] == [
        "1.入选和推广情况",
        "入选试点典型。",
        "（1）2026年9月30日，《福建改革情况》2026年第9期。",
    ]
    # the 版记 closes it; the cases of other quarters are not in it
    assert record_lines(document)[-1] == f"\u3000{OFFICE}\t2026年11月28日印发\u3000"
    assert not any("沙县" in t for t in texts)


def test_the_booklet_in_markdown_and_without_an_office(bundled: Path, tmp_path: Path) -> None:
    assert run("case", "booklet", "--quarter", "2026-Q3", "--out", "b.md").code == 0
    md = Path("b.md").read_text(encoding="utf-8")
    assert "## 二、营商环境" in md and "（3）办结后回访企业" in md
    # no office: a .docx is refused, naming the command that sets it
    text = bundled.read_text(encoding="utf-8").replace('\noffice = "', '\n# office = "')
    write_ledger(tmp_path, text)
    result = run("case", "booklet", "--quarter", "2026-Q3", "--out", "n.docx", cwd=tmp_path)
    assert result.code == 2 and "reformctl office set" in result.stderr, result.stderr
    assert not (tmp_path / "n.docx").exists()


def test_bad_quarter_format_and_an_empty_quarter(bundled: Path, tmp_path: Path) -> None:
    result = run("case", "booklet", "--quarter", "2026Q3", "--out", "b.docx", cwd=tmp_path)
    assert result.code == 2 and "YYYY-Qn" in result.stderr
    result = run("case", "booklet", "--quarter", "2026-Q3", "--out", "b.pdf", cwd=tmp_path)
    assert result.code == 2 and ".docx .md .txt" in result.stderr
    result = run("case", "booklet", "--quarter", "2025-Q3", "--out", "e.docx", cwd=tmp_path)
    assert result.code == 0 and "没有典型案例" in result.stdout
    assert not (tmp_path / "e.docx").exists()
    assert run("case", "booklet", "--quarter", "2026-Q3", "--out", "b.docx").code == 0
    again = run("case", "booklet", "--quarter", "2026-Q3", "--out", "b.docx", cwd=tmp_path)
    assert again.code == 2 and "--force" in again.stderr


def test_a_control_character_in_a_case_is_shown_not_a_crash(bundled: Path) -> None:
    """TOML holds \\u0001 and \\u202e in a string; XML cannot hold the one, and the other turns
    the text around: both are shown as escapes (it was exit 3, an internal error)."""
    text = bundled.read_text(encoding="utf-8")
    text = text.replace(
        'title = "宁德交通事故“快处快赔121”机制"', 'title = "宁德\\u0001\\u202e机制"'
    )
    bundled.write_text(text, encoding="utf-8")
    result = run("case", "booklet", "--quarter", "2026-Q3", "--out", "c.docx", cwd=bundled.parent)
    assert result.code == 0, result.stderr
    texts = [p.text for p in docx.Document(str(bundled.parent / "c.docx")).paragraphs]
    assert "（一）宁德\\x01\\u202e机制" in texts
