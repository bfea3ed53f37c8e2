"""Reports as documents an office can send: `report … --out X.docx` read back with python-docx;
words fit for a document (第三季度, Chinese dates, names not keys); figures that add up."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from reformctl.ledger.loader import load
from reformctl.schedule import due_split
from tests.conftest import DATA, record_lines, run

docx = pytest.importorskip("docx")


OFFICE = "福建省委全面深化改革委员会办公室"


@pytest.fixture
def sample(sample: Path) -> Path:
    """The sample ledger with its office set (a .docx is refused without one)."""
    result = run("office", "set", "--office", OFFICE, "--office-code", "闽改办")
    assert result.code == 0, result.stderr
    return sample


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def signed(texts: list[str]) -> int:
    """Where the 落款 stands (the 成文日期 follows it; then the 附件 and the 版记)."""
    return texts.index(OFFICE, 1)


@pytest.mark.parametrize("kind", ["half", "year", "quarter"])
def test_every_report_as_docx(sample: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.docx"
    result = run("report", kind, "--out", str(out))
    assert result.code == 0, result.stderr
    document = docx.Document(str(out))
    section = document.sections[0]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    texts = paragraphs(out)
    assert texts[signed(texts) + 1] == "2026年11月28日"
    assert record_lines(document) == [f"\u3000{OFFICE}\t2026年11月28日印发\u3000"]  # the 版记
    assert any(t.startswith("一、") for t in texts)
    # 版头, 发文字号, title, 主送; then the first section opens with its figures in words
    assert texts[:2] == [OFFICE, "闽改办〔2026〕\u3000号"]
    assert texts[3] == "各专项小组，各有关单位："
    assert texts[4] == "一、总体情况" and texts[5].startswith("截至")
    assert document.tables, "rankings and lists come as tables"
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode()
        footers = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    for font in ("方正小标宋简体", "仿宋_GB2312", "黑体"):
        assert f'w:eastAsia="{font}"' in body
    assert "PAGE" in footers


def test_half_year_circular_writes_its_figures_as_a_paragraph(sample: Path) -> None:
    assert run("report", "half", "--period", "2", "--out", "h.docx").code == 0
    texts = paragraphs(Path("h.docx"))
    # the title as a 公文's (关于……的通报), in two lines where the words allow
    assert texts[2] == "关于2026年下半年全面深化改革工作要点\n推进情况的通报"
    title = "关于2026年下半年全面深化改革工作要点推进情况的通报"
    assert docx.Document("h.docx").core_properties.title == title
    # the opening of 一、总体情况 (四、's outline opens with a 截至 of its own)
    (story,) = [t for t in texts if t.startswith("截至") and "项工作要点中" in t]
    assert story.startswith("截至2026年11月28日，22项工作要点中，已销号")
    assert "个节点中，应完成" in story and "序时进度" in story
    # the figures are in sentences: no 项目/数值 table, no formula lines in the body
    assert "应完成节点 = " not in "".join(texts)
    headers = [[c.text for c in t.rows[0].cells] for t in docx.Document("h.docx").tables]
    assert ["项目", "数值"] not in headers


def test_quarter_title_says_third_quarter(sample: Path) -> None:
    assert run("report", "quarter", "--period", "3", "--out", "q.md").code == 0
    text = Path("q.md").read_text(encoding="utf-8")
    assert "第三季度盘点" in text and "第3季度" not in text
    assert "2026年第三季度（2026年7月1日至9月30日），截至2026年9月30日" in text


def test_year_end_carry_over_names_not_keys(sample: Path) -> None:
    assert run("report", "year", "--out", "y.json").code == 0
    assert run("report", "year", "--out", "y.md").code == 0
    data = json.loads(Path("y.json").read_text(encoding="utf-8"))
    text = Path("y.md").read_text(encoding="utf-8")
    for record in data["sections"]["carry_over"]:
        for ms in record["open_milestones"]:
            assert f"{ms['milestone']} " not in text  # "salary 出台公立医院…" was a key
            assert ms["name"] in text


@pytest.mark.parametrize("month", range(1, 13))
def test_the_figures_add_up_every_month(month: int) -> None:
    """The identity the headline table states, over the sample ledger, on any day."""
    ledger = load(DATA / "golden-ledger.toml").valid()
    milestones = ledger.milestones()
    for day in (dt.date(2026, month, 1), dt.date(2026, month, 15), dt.date(2026, month, 28)):
        s = due_split(milestones, day)
        assert s.due == s.on_time + s.late + s.overdue + s.due_today
        assert s.milestones == s.due + s.not_yet_due
        assert s.not_yet_due == s.early + s.open_not_due >= 0
        assert s.due == sum(1 for m in milestones if m.due_now <= day)


def test_headline_records_add_up(sample: Path) -> None:
    assert run("report", "half", "--period", "2", "--out", "h.json").code == 0
    data = json.loads(Path("h.json").read_text(encoding="utf-8"))
    f = data["sections"]["headline"]
    assert f["due_to_date"] == (
        f["done_on_time"] + f["done_late"] + f["overdue"] + f["due_today_open"]
    )
    assert f["milestones"] == f["due_to_date"] + f["not_yet_due"]
    for unit in data["sections"].get("accounts", []):
        assert unit["due_to_date"] == unit["done_on_time"] + unit["done_late"] + unit["open_due"]


def test_year_end_accounts_add_up(sample: Path) -> None:
    assert run("report", "year", "--out", "y.json").code == 0
    data = json.loads(Path("y.json").read_text(encoding="utf-8"))
    for unit in data["sections"]["accounts"]:
        assert unit["due_to_date"] == unit["done_on_time"] + unit["done_late"] + unit["open_due"]


def test_docx_refused_extension_lists_docx(sample: Path) -> None:
    result = run("report", "half", "--out", "x.pdf")
    assert result.code == 2 and ".docx" in result.stderr


def numbers(text: str) -> dict[str, int]:
    """The figures of a narrative, by the words before them (0 where a clause is left out)."""
    found: dict[str, int] = {}
    words = {
        "majors": r"(\d+)项重大改革事项中",
        "closed": r"已销号(\d+)项",
        "behind": r"(\d+)项进度滞后",
        "in_quarter": r"本季度到期节点(\d+)个",
        "due": r"应完成(\d+)个",
        "on_time": r"按时完成(\d+)个",
        "late": r"逾期完成(\d+)个",
        "overdue": r"逾期未完成(\d+)个",
        "due_today": r"(?:当日|\d{4}年\d{1,2}月\d{1,2}日)到期未完成(\d+)个",
        "not_yet": r"尚未到期(\d+)个",
        "early": r"提前完成(\d+)个",
        "owed": r"应报月度进展(\d+)条",
        "have": r"已报(\d+)条",
        "missing": r"缺报(\d+)条",
    }
    for key, pattern in words.items():
        m = re.search(pattern, text)
        found[key] = int(m.group(1)) if m else 0
    return found


@pytest.mark.parametrize("today", ["2026-08-10", "2026-09-30", "2026-10-10", "2026-11-28"])
def test_quarter_review_opens_with_its_figures_in_words(sample: Path, today: str) -> None:
    """Like the circular, the quarterly review opens with paragraphs written from its figures;
    they are the headline table's figures, and they add up."""
    args = ("--today", today, "report", "quarter", "--period", "3")
    assert run(*args, "--out", "q.docx").code == 0
    assert run(*args, "--out", "q.json").code == 0
    texts = paragraphs(Path("q.docx"))
    day = min(dt.date.fromisoformat(today), dt.date(2026, 9, 30))
    story, entries = texts[5], texts[6]
    assert story.startswith(f"截至{day.year}年{day.month}月{day.day}日，")
    assert entries.startswith("按月推进方面")
    f = json.loads(Path("q.json").read_text("utf-8"))["sections"]["headline"]
    n = numbers(story + entries)
    assert n["majors"] == f["major_points"]
    assert n["in_quarter"] == f["milestones_in_quarter"]
    assert n["due"] == f["due_to_date"]
    assert (n["on_time"], n["late"], n["overdue"], n["due_today"]) == (
        f["done_on_time"],
        f["done_late"],
        f["overdue"],
        f["due_today_open"],
    )
    assert n["missing"] == f["missing_entries"]
    assert n["due"] == n["on_time"] + n["late"] + n["overdue"] + n["due_today"]
    assert n["in_quarter"] == n["due"] + (n["not_yet"] if n["due"] else n["in_quarter"])
    assert n["owed"] == n["have"] + n["missing"]
    # the figures sit in the document's type: 仿宋 body, first line indented two characters
    body = docx.Document("q.docx").paragraphs[5]
    assert body.paragraph_format.first_line_indent.pt == 32


def test_narrative_leaves_out_clauses_whose_figure_is_zero(sample: Path) -> None:
    assert run("report", "half", "--period", "2", "--out", "h.docx").code == 0
    assert run("report", "half", "--period", "2", "--out", "h.json").code == 0
    texts = paragraphs(Path("h.docx"))
    (story,) = [t for t in texts if t.startswith("截至") and "项工作要点中" in t]
    f = json.loads(Path("h.json").read_text("utf-8"))["sections"]["headline"]
    assert ("当日到期未完成" in story) == bool(f["due_today_open"])
    assert ("提前完成" in story) == bool(f["done_early"])
    assert "0个；" not in story and "另有0个" not in story
    n = numbers(story)
    assert n["due"] == f["due_to_date"] == n["on_time"] + n["late"] + n["overdue"] + n["due_today"]


# -- the page as a person sees it (found by rendering with LibreOffice and looking) ------------------
def test_titles_fold_where_the_words_allow() -> None:
    from reformctl.render.document import title_lines

    assert title_lines("关于对逾期改革任务进行红色督办的通知") == [
        "关于对逾期改革任务进行红色督办的通知"
    ]
    assert title_lines("关于对滞后序时进度改革任务进行黄色督办的通知") == [
        "关于对滞后序时进度改革任务",
        "进行黄色督办的通知",
    ]
    assert title_lines("2026年全面深化改革工作要点台账·重大改革事项第三季度盘点") == [
        "2026年全面深化改革工作要点台账",
        "重大改革事项第三季度盘点",
    ]
    assert title_lines("2026年第三季度（2026年7月1日至9月30日），截至2026年9月30日", 16) == [
        "2026年第三季度（2026年7月1日至9月30日）",
        "截至2026年9月30日",
    ]


def test_table_columns_fit_their_short_cells() -> None:
    """Long text keeps eight characters a line (a column one character wide was what
    LibreOffice showed, then names over six lines beside a whole milestone ID): short columns
    give way first, each only where a reader pauses: a unit's name in two, an ID after its
    point, and (under six characters) a date after its year; a figure never folds."""
    from reformctl.render.document import TEXT_WIDTH_CM, Block, _auto_widths, text_cm

    rows = [
        ["R26-11/rules", "出台职务科技成果单列管理办法", "深化科技成果转化“赋权”改革",
         "省生态环境厅", "2026年10月31日", "逾期89天"],
    ]  # fmt: skip
    block = Block(
        "table", headers=["节点", "名称", "工作要点", "牵头单位", "完成时限", "情况"], rows=rows
    )
    widths = _auto_widths(block, 10.5)
    assert abs(sum(widths) - TEXT_WIDTH_CM) < 0.01
    for i in (4, 5):  # a date (the text keeps over six characters), a figure: whole
        assert widths[i] >= text_cm(rows[0][i], 10.5) + 0.38, (i, widths)
    # the ID folds after its point, never inside a part
    assert text_cm("R26-11/", 10.5) + 0.38 <= widths[0] < text_cm("R26-11/rules", 10.5), widths
    # a unit's name folds in two rather than squeeze the text into a strip
    assert widths[3] >= text_cm(rows[0][3], 10.5) / 2 + 0.38, widths
    six = text_cm("\u3000" * 6, 10.5)
    assert min(widths[1], widths[2]) >= six, widths  # over six characters a line
    # with one more short column, the date too folds after its year rather than the text
    more = Block(
        "table",
        headers=[*block.headers, "完成日期"],
        rows=[[*rows[0], "2026年11月27日"]],
    )
    widths = _auto_widths(more, 10.5)
    assert text_cm("10月31日", 10.5) + 0.38 <= widths[4] < text_cm(rows[0][4], 10.5), widths


def test_documents_keep_rows_and_headings_together_and_date_them_when_written(
    sample: Path,
) -> None:
    assert (
        run("--today", "2026-10-10", "report", "quarter", "--period", "3", "--out", "q.docx").code
        == 0
    )
    document = docx.Document("q.docx")
    texts = [p.text for p in document.paragraphs]
    at = signed(texts)
    assert texts[at + 1] == "2026年10月10日"  # 成文日期: the day it is written, not 30 September
    for p in document.paragraphs:
        if p.text.startswith(("一、", "二、", "三、")):
            assert p.paragraph_format.keep_with_next
    for table in document.tables:
        for row in table.rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
    # 落款 centred over the 成文日期, which stands four characters from the right (GB/T 9704)
    signature, date = document.paragraphs[at], document.paragraphs[at + 1]
    assert date.paragraph_format.right_indent.pt == 64
    name_pt, date_pt = len(OFFICE) * 16, (8 * 0.5 + 3 + 5 * 0.25) * 16
    assert abs(signature.paragraph_format.right_indent.pt - (64 + (date_pt - name_pt) / 2)) < 1
    footer = document.sections[0].footer.paragraphs[0]
    assert footer.paragraph_format.right_indent.pt == 14  # 单页码居右空一字


def test_notice_table_dates_do_not_fold(sample: Path) -> None:
    from reformctl.render.document import text_cm

    assert run("notice", "--kind", "red", "--out", "n").code == 0
    path = sorted(Path("n").glob("*.docx"))[0]
    table = docx.Document(str(path)).tables[0]
    due = [c.text for c in table.columns[3].cells][1:]
    width_cm = table.columns[3].width.cm
    assert all(width_cm >= text_cm(d, 10.5) + 0.38 for d in due), (due, width_cm)
