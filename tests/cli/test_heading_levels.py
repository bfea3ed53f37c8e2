"""Heading levels 一、（一）1.（1） in the circulars (GB/T 9704-2012 7.3.3): where a section has
sub-levels (the overdue milestones by group, lead unit and milestone), read back from the .docx
with their fonts: 一、 黑体, （一） 楷体_GB2312, 1. and （1） 仿宋_GB2312."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from tests.conftest import run

docx = pytest.importorskip("docx")

OFFICE = "福建省委全面深化改革委员会办公室"
LEVELS = (
    (re.compile(r"^[一二三四五六七八九十]+、"), 1),
    (re.compile(r"^（[一二三四五六七八九十]+）"), 2),
    (re.compile(r"^\d+\."), 3),
    (re.compile(r"^（\d+）"), 4),
)
FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}


@pytest.fixture
def sample(sample: Path) -> Path:
    assert run("office", "set", "--office", OFFICE, "--office-code", "闽改办").code == 0
    return sample


def level(text: str) -> int | None:
    return next((n for pattern, n in LEVELS if pattern.match(text)), None)


def outline(path: Path, start: str, end: str) -> list[tuple[int, str, set[str]]]:
    paragraphs = docx.Document(str(path)).paragraphs
    texts = [p.text for p in paragraphs]
    found = []
    for p in paragraphs[texts.index(start) : texts.index(end)]:
        n = level(p.text)
        if n is not None:
            fonts = {r.element.rPr.rFonts.get(qn("w:eastAsia")) for r in p.runs}
            found.append((n, p.text, fonts))
    return found


def test_the_overdue_section_has_four_levels_in_their_fonts(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "h.docx"
    assert run("--today", "2026-12-31", "report", "half", "-p", "2", "-o", str(out)).code == 0
    found = outline(out, "四、逾期未完成节点", "五、延期情况")
    assert {n for n, _, _ in found} == {1, 2, 3, 4}
    for n, text, fonts in found:
        assert fonts == {FONTS[n]}, (text, fonts)
    # each level under the one above it, numbered from 1 under each parent
    for (a, _, _), (b, _, _) in pairwise(found):
        assert b <= a + 1
    texts = [t for _, t, _ in found]
    assert texts[:5] == [
        "四、逾期未完成节点",
        "（一）经济体制改革专项小组",
        "1.省科技厅：2个节点逾期未完成。",
        "（1）出台职务科技成果单列管理办法，应于2026年8月31日完成，已逾期122天。",
        "（2）试点成效评估，应于2026年12月15日完成，已逾期16天。",
    ]
    # a unit with one overdue milestone says it in its own line: no （1） standing alone
    assert texts[5] == "2.省数据管理局：高频事项网办率达到90%，应于2026年11月27日完成，已逾期34天。"
    assert texts[6].startswith("3.省自然资源厅：2个节点")
    groups = [t for n, t, _ in found if n == 2]
    assert groups == [
        "（一）经济体制改革专项小组",
        "（二）医药卫生体制改革专项小组",
        "（三）社会体制改革专项小组",
        "（四）生态文明体制改革专项小组",
        "（五）基层改革创新专项小组",
    ]
    # every overdue milestone is named once in the body, as in 附件1, under one sentence that
    # says as of which day
    assert sum(1 for n, t, _ in found if n in (3, 4) and "已逾期" in t) == 21
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    at = paragraphs.index("四、逾期未完成节点")
    assert paragraphs[at + 1] == (
        "截至2026年12月31日，共21个节点逾期未完成，按专项小组和牵头单位列示如下（明细见附件1）："
    )


def test_no_sub_levels_where_nothing_is_overdue(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "h.docx"
    assert run("report", "half", "-p", "1", "-o", str(out)).code == 0
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    at = texts.index("四、逾期未完成节点")
    assert texts[at + 1] == "无。" and texts[at + 2] == "五、延期情况"


def test_english_levels(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "h.docx"
    args = ("--lang", "en", "--today", "2026-12-31", "report", "half", "-p", "2", "-o", str(out))
    assert run(*args).code == 0
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    at = texts.index("4. Overdue milestones")
    assert texts[at + 2 : at + 5] == [
        texts[at + 2],
        "1. 省科技厅: 2 milestone(s) overdue.",
        "(a) 出台职务科技成果单列管理办法, due 31 August 2026: 122 day(s) overdue.",
    ]
    assert texts[at + 2].startswith("A. ")
