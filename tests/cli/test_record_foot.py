"""The 版记 at the foot of the last page (GB/T 9704-2012 7.4: 版记 on the last page, its last
rule on the 版心's bottom edge): read back from the .docx (a table floating at the bottom of
the margin box) and rendered by LibreOffice, where pdftotext shows it the last thing on the
last page, below the body, its last line at the foot of the 版心."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from reformctl.render.document import Block, Document, docx_bytes
from tests.cli.test_notice import LEDGER
from tests.conftest import record_lines, run, write_ledger

docx = pytest.importorskip("docx")

OFFICE = "中共福建省委全面深化改革委员会办公室"
CC = "省委办公厅，省政府办公厅"
PAGE_BOTTOM_PT = (297 - 35) / 25.4 * 72  # the 版心's bottom edge: 35 mm above the page's


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = write_ledger(tmp_path, LEDGER)
    assert run("office", "set", "--cc", CC).code == 0
    return path


def documents(folder: Path) -> dict[str, Path]:
    """A red notice and a half-year circular with its 附件, through the CLI."""
    assert run("notice", "--kind", "red", "--out", str(folder / "n")).code == 0
    (notice,) = sorted((folder / "n").glob("*.docx"))
    circular = folder / "circular.docx"
    assert run("report", "half", "--out", str(circular)).code == 0
    return {"notice": notice, "circular": circular}


def test_the_record_floats_at_the_foot_of_the_margin_box(office: Path, tmp_path: Path) -> None:
    for name, path in documents(tmp_path).items():
        document = docx.Document(str(path))
        assert record_lines(document) == [
            f"\u3000抄送：{CC}。",
            f"\u3000{OFFICE}\t2026年11月28日印发\u3000",
        ], name
        body = list(document.element.body)
        record = document.tables[-1]._tbl
        # the last table, followed only by the paragraph it anchors to and the section
        assert [el.tag.rsplit("}", 1)[1] for el in body[body.index(record) :]] == [
            "tbl",
            "p",
            "sectPr",
        ]
        position = record.tblPr.find(qn("w:tblpPr"))
        attrs = {k.rsplit("}", 1)[1]: v for k, v in position.attrib.items()}
        assert attrs["vertAnchor"] == "margin" and attrs["tblpYSpec"] == "bottom", name
        # across the 版心: from the page's left edge at the 28 mm margin, 156 mm wide
        assert attrs["horzAnchor"] == "page" and attrs["tblpX"] == str(round(28 / 25.4 * 1440))
        widths = [int(c.get(qn("w:w"))) for c in record.tblGrid.findall(qn("w:gridCol"))]
        assert widths == [round(156 / 25.4 * 1440)]
        assert record.tblPr.find(qn("w:tblOverlap")).get(qn("w:val")) == "never"
        # 4号仿宋
        runs = [r for row in document.tables[-1].rows for r in row.cells[0].paragraphs[0].runs]
        assert {r.font.size.pt for r in runs} == {14}
        assert {r.element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs} == {"仿宋_GB2312"}


# -- rendered by LibreOffice --------------------------------------------------------------------
needs_soffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) and poppler's pdftotext are needed to render the documents",
)


def to_pdf(paths: list[Path], folder: Path) -> list[Path]:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), *map(str, paths)],
        env={**os.environ, "HOME": str(folder)}, capture_output=True, timeout=600, check=True,
    )  # fmt: skip
    return [folder / f"{p.stem}.pdf" for p in paths]


def last_page_lines(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    lines = [" ".join(line.split()) for line in pages[-1].splitlines() if line.strip()]
    return [line for line in lines if not re.fullmatch(r"—\s*\d+\s*—", line)]  # the page number


def last_page_words(pdf: Path) -> list[tuple[float, float, str]]:
    """(yMin, yMax, word) of every word on the last page, the page number left out."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page = out.split("<page ")[-1]
    words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page)
    found = [(float(a), float(b), html.unescape(w)) for a, b, w in words]
    return [w for w in found if not re.fullmatch(r"—|\d+", w[2])]


def assert_record_at_the_foot(pdf: Path, *, with_body: bool = False) -> None:
    lines = last_page_lines(pdf)
    assert lines[-1].endswith("印发"), lines  # the 版记 is the last thing on the last page
    assert lines[-2].startswith("抄送："), lines
    words = last_page_words(pdf)
    record = [w for w in words if w[2].startswith(("抄送", "印发")) or "印发" in w[2]]
    top = min(w[0] for w in record)
    body = [w for w in words if w[1] < top - 1]
    assert len(body) + len([w for w in words if w[0] >= top - 1]) == len(words)  # no overlap
    assert body or not with_body, "the annex stands above the 版记 on the last page"
    if not body:  # no room left under the 落款: the 版记 on a page of its own, the last
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = [p for p in text.split("\f") if p.strip()]
        assert len(pages) > 1 and "2026 年 11 月 28 日" in pages[-2], pages[-2:]
    # the last rule on the 版心's foot: the last line's text ends within a line of it
    bottom = max(w[1] for w in words)
    assert PAGE_BOTTOM_PT - 30 < bottom <= PAGE_BOTTOM_PT + 1, bottom


@needs_soffice
def test_libreoffice_puts_the_record_last_and_at_the_foot(office: Path, tmp_path: Path) -> None:
    paths = documents(tmp_path)
    for pdf in to_pdf(list(paths.values()), tmp_path / "pdf"):
        assert_record_at_the_foot(pdf, with_body=True)


@needs_soffice
def test_a_body_down_to_the_foot_is_never_overprinted(tmp_path: Path) -> None:
    """However far the body reaches down the page, the 版记 stays at the foot, the body above
    it or on the next page, never under it."""
    paths = []
    for n in range(10, 22):
        doc = Document([])
        doc.add("title", "关于测试版记位置的通知")
        for i in range(n):
            doc.add("para", f"第{i + 1}段。" + "正文" * 10)
        doc.add("signature", OFFICE)
        doc.add("date", "2026年11月28日")
        doc.blocks.append(Block("cc", f"抄送：{CC}。"))
        doc.blocks.append(Block("issued", OFFICE, right="2026年11月28日印发"))
        path = tmp_path / f"fill-{n}.docx"
        path.write_bytes(docx_bytes(doc))
        paths.append(path)
    for pdf in to_pdf(paths, tmp_path / "pdf"):
        assert_record_at_the_foot(pdf)
