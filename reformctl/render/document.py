"""Documents an office can send as they are (公文): notices and circulars as a list of blocks,
written to Word in the GB/T 9704-2012 layout, or to Markdown and plain text for pasting into
an OA system.

The layout (GB/T 9704-2012 党政机关公文格式): A4; margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; title in 方正小标宋简体 二号 (22 pt), body in 仿宋_GB2312 三号 (16 pt) with a
first-line indent of two characters and a fixed 28.95 pt line pitch (22 lines a page);
first-level headings 黑体, second-level 楷体_GB2312; page numbers as “— 1 —” in 宋体 四号
(14 pt), right on odd pages and left on even ones. Each East-Asian font is declared in the
font table with the commonly installed face as its alternate (仿宋_GB2312 → 仿宋 → FangSong),
so a machine without the GB fonts still shows 仿宋 rather than a Western face.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from reformctl.render.escape import safe_line

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# font → alternates a reader without it should use (declared in the font table)
FALLBACKS = {
    TITLE_FONT: ("华文中宋", "宋体", "SimSun", "Noto Serif CJK SC"),
    BODY_FONT: ("仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC"),
    HEADING1_FONT: ("SimHei", "Noto Sans CJK SC"),
    HEADING2_FONT: ("楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC"),
    NUMBER_FONT: ("SimSun", "Noto Serif CJK SC"),
}
RED = "FF0000"


@dataclass
class Block:
    """One block of a document: ``kind`` is banner, number, title, to, heading1, heading2,
    para, table, signature, date or note."""

    kind: str
    text: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # table columns, in cm


@dataclass
class Document:
    blocks: list[Block]
    landscape_tables: bool = False  # not used yet: every page portrait

    def add(self, kind: str, text: str = "", **kw: Any) -> None:
        self.blocks.append(Block(kind, text, **kw))


# -- Markdown and plain text ----------------------------------------------------------------------
def markdown(doc: Document) -> str:
    out: list[str] = []
    for b in doc.blocks:
        text = safe_line(b.text)
        if b.kind == "title":
            out.append(f"# {text}")
        elif b.kind in ("banner", "number", "signature", "date"):
            out.append(f"**{text}**" if b.kind == "banner" else text)
        elif b.kind == "heading1":
            out.append(f"## {text}")
        elif b.kind == "heading2":
            out.append(f"### {text}")
        elif b.kind == "table":
            cells = [[safe_line(c).replace("|", "\\|") for c in row] for row in b.rows]
            heads = [safe_line(h) for h in b.headers]
            lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
            lines += ["| " + " | ".join(row) + " |" for row in cells]
            out.append("\n".join(lines))
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


def plain_text(doc: Document) -> str:
    """Text for an OA system's text box: paragraphs indented with two ideographic spaces,
    tables as one line a row."""

    out: list[str] = []
    for b in doc.blocks:
        text = safe_line(b.text)
        if b.kind in ("para",):
            out.append("\u3000\u3000" + text)
        elif b.kind in ("title", "banner", "number"):
            out.append(text)
        elif b.kind in ("signature", "date"):
            out.append(text.rjust(30, "\u3000"))
        elif b.kind == "table":
            lines = ["\t".join(safe_line(h) for h in b.headers)]
            lines += ["\t".join(safe_line(c) for c in row) for row in b.rows]
            out.append("\n".join(lines))
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


# -- Word ---------------------------------------------------------------------------------------
def _fonts(run: Any, east_asian: str, size: float | None = None, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True


def _style_fonts(style: Any, east_asian: str, size: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _declare_fallbacks(document: Any) -> None:
    """Declare each Chinese font in the font table, with its alternates (w:altName)."""
    from lxml import etree  # type: ignore[import-untyped]

    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
            root = etree.fromstring(part.blob)
            for name, alternates in FALLBACKS.items():
                font = etree.SubElement(root, f"{{{ns}}}font", {f"{{{ns}}}name": name})
                etree.SubElement(font, f"{{{ns}}}altName", {f"{{{ns}}}val": ",".join(alternates)})
                etree.SubElement(font, f"{{{ns}}}charset", {f"{{{ns}}}val": "86"})
                etree.SubElement(font, f"{{{ns}}}family", {f"{{{ns}}}val": "roman"})
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            return


def _page_number(paragraph: Any, align: Any) -> None:
    """— PAGE — in 宋体 四号."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = align
    dash = paragraph.add_run("— ")
    _fonts(dash, NUMBER_FONT, 14)
    field_run = paragraph.add_run()
    _fonts(field_run, NUMBER_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        field_run._element.append(el)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    field_run._element.append(end)
    tail = paragraph.add_run(" —")
    _fonts(tail, NUMBER_FONT, 14)


def _line_break() -> Any:
    """A run holding a line break (w:br), for a title in two lines."""
    from docx.oxml import OxmlElement

    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


def _red_rule(paragraph: Any) -> None:
    """The red line under the document number (版头中的分隔线)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "6"), ("color", RED)):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.append(borders)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


TEXT_WIDTH_CM = 15.6
CELL_PADDING_CM = 0.5  # Word's and LibreOffice's cell margins (2 x 0.19 cm), and a little air
SHORT_CM = 4.2  # a column whose every cell fits this never folds (IDs, dates, names of units)
LONG_MIN_CM = 2.6  # a column of long text keeps at least this (five or six characters a line)
LONG_FLOOR_CM = 1.8  # ... and this when the table is too wide even so


def text_cm(text: str, size: float) -> float:
    """The width of ``text`` on one line at ``size`` pt: a full-width character is one em, a
    Latin letter or digit about half of one, and a quarter em where the two meet (Word and
    LibreOffice space Latin text apart from Chinese: 2026 年 12 月 3 日)."""
    from itertools import pairwise

    from wcwidth import wcwidth

    wide = [wcwidth(ch) == 2 for ch in text]
    ems = sum(1.0 if w else 0.5 for w in wide)
    ems += 0.25 * sum(1 for a, b in pairwise(wide) if a != b)
    return ems * size / 72 * 2.54


def _is_short(block: Block, i: int, size: float) -> bool:
    return all(text_cm(row[i], size) + CELL_PADDING_CM <= SHORT_CM for row in block.rows)


def _auto_widths(block: Block, size: float = 12) -> list[float]:
    """Column widths in cm as a browser lays out a table: each column has a least width (the
    whole of its longest cell for short columns, so an ID, a date or a unit's name never
    folds; a few characters for long text; half its header, which may fold in two) and a
    preferred one (its longest cell on one line). The 156 mm go to the preferred widths when
    they fit, else to the least widths and what is left in proportion to what each wants."""
    least, most = [], []
    for i, header in enumerate(block.headers):
        longest = max((text_cm(row[i], size) for row in block.rows), default=0.0)
        # a Chinese header may fold in two, but not one of two characters (序号, not 序/号);
        # a Latin one (2026-07) not at all
        half = header if header.isascii() else header[: max(2, (len(header) + 1) // 2)]
        head = text_cm(half, size)
        full = max(longest, text_cm(header, size)) + CELL_PADDING_CM
        if _is_short(block, i, size):
            low = max(longest, head) + CELL_PADDING_CM
        else:
            low = max(LONG_MIN_CM, head + CELL_PADDING_CM)
        least.append(min(low, full))
        most.append(full)
    width = TEXT_WIDTH_CM
    if sum(most) <= width:
        return [w * width / sum(most) for w in most]
    if sum(least) > width:  # long text gives way first, then everything in proportion
        least = [
            max(LONG_FLOOR_CM, w - (sum(least) - width)) if not _is_short(block, i, size) else w
            for i, w in enumerate(least)
        ]
        if sum(least) > width:  # the widest give way first: all capped at one level
            low, high = 0.0, max(least)
            for _ in range(40):
                level = (low + high) / 2
                low, high = (
                    (level, high) if sum(min(w, level) for w in least) <= width else (low, level)
                )
            capped = [min(w, low) for w in least]
            return [w * width / sum(capped) for w in capped]
    spare = width - sum(least)
    wants = [m - w for m, w in zip(most, least, strict=True)]
    total = sum(wants) or 1.0
    return [w + spare * want / total for w, want in zip(least, wants, strict=True)]


def _row_stays_whole(row: Any) -> None:
    """A row is not split across pages (w:cantSplit): a long title moves whole."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _table(document: Any, block: Block) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = 12 if len(block.headers) <= 5 else 10.5 if len(block.headers) <= 7 else 9
    # a column of short cells is centred; one of long text reads from the left, all its rows
    centred = [_is_short(block, i, size) for i in range(len(block.headers))]

    def fill(cell: Any, text: str, centre: bool, bold: bool = False) -> None:
        p = cell.paragraphs[0]
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing = Pt(size * 1.4)
        p.paragraph_format.space_after = Pt(0)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.LEFT
        run = p.add_run(text)
        _fonts(run, HEADING1_FONT if bold else BODY_FONT, size)

    for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
        fill(cell, text, True, bold=True)
    _repeat_header(table.rows[0])
    _row_stays_whole(table.rows[0])
    for values in block.rows:
        row = table.add_row()
        _row_stays_whole(row)
        for cell, text, centre in zip(row.cells, values, centred, strict=True):
            fill(cell, text, centre)
    widths = block.widths or _auto_widths(block, size)
    if widths:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)


def title_lines(text: str, size: float = 22) -> list[str]:
    """A title too long for one line, in two (GB/T 9704: 回行时词意完整、排列对称): after a
    "·" joining the ledger's name and the document's, before 进行 (…改革任务 / 进行…督办的
    通知), after a comma (a subtitle's period / 截至…), else near the middle."""
    line = TEXT_WIDTH_CM
    if text_cm(text, size) <= line:
        return [text]
    for sep, keep in (("·", False), ("进行", True), ("，", False)):
        at = text.rfind(sep)
        if at > 0:
            first, second = text[:at], text[at if keep else at + len(sep) :]
            if text_cm(first, size) <= line and text_cm(second, size) <= line:
                return [first, second]
    half = (len(text) + 1) // 2
    return [text[:half], text[half:]]


def _signature_indent(signature: str, date: str, size: float = 16) -> float:
    """The 落款's right indent in pt: GB/T 9704-2012 7.3.5.1 puts the 成文日期 four characters
    from the right and the office's name centred over it (the seal goes over both)."""
    pt = text_cm(date, size) / 2.54 * 72
    name = text_cm(signature, size) / 2.54 * 72
    return max(0.0, 4 * size + (pt - name) / 2)


def docx_bytes(doc: Document, title: str = "") -> bytes:
    """The document as a .docx in the GB/T 9704 layout."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt, RGBColor

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = ""
    document.core_properties.language = "zh-CN"
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)
    document.settings.odd_and_even_pages_header_footer = True
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    _page_number(odd, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(even, WD_ALIGN_PARAGRAPH.LEFT)
    odd.paragraph_format.right_indent = Pt(14)  # 单页码居右空一字
    even.paragraph_format.left_indent = Pt(14)  # 双页码居左空一字
    normal = document.styles["Normal"]
    _style_fonts(normal, BODY_FONT, 16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28.95)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    _declare_fallbacks(document)

    blocks = doc.blocks
    for n, block in enumerate(blocks):
        if block.kind == "table":
            _table(document, block)
            continue
        p = document.add_paragraph()
        fmt = p.paragraph_format
        kind = block.kind
        following = blocks[n + 1].kind if n + 1 < len(blocks) else ""
        if kind in ("title", "subtitle", "heading1", "heading2") or following == "table":
            fmt.keep_with_next = True  # a heading (or 附：…) is never left at a page's foot
        if kind == "banner":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(block.text)
            # one line across the 156 mm text width: smaller type for a long name
            _fonts(run, TITLE_FONT, min(26.0, round(430 / max(len(block.text), 1), 1)))
            run.font.color.rgb = RGBColor.from_string(RED)
            fmt.line_spacing = Pt(40)
            fmt.space_after = Pt(12)
        elif kind == "number":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(p.add_run(block.text), BODY_FONT, 16)
            _red_rule(p)
            fmt.space_after = Pt(24)
        elif kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for i, line in enumerate(title_lines(block.text)):
                run = p.add_run(line)
                _fonts(run, TITLE_FONT, 22)
                if i:
                    run._element.addprevious(_line_break())
            fmt.line_spacing = Pt(36)
            fmt.space_after = Pt(16)
        elif kind == "subtitle":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for i, line in enumerate(title_lines(block.text, 16)):
                run = p.add_run(line)
                _fonts(run, HEADING2_FONT, 16)
                if i:
                    run._element.addprevious(_line_break())
            fmt.space_after = Pt(16)
        elif kind == "to":
            _fonts(p.add_run(block.text), BODY_FONT, 16)
        elif kind == "heading1":
            fmt.first_line_indent = Pt(32)
            _fonts(p.add_run(block.text), HEADING1_FONT, 16)
        elif kind == "heading2":
            fmt.first_line_indent = Pt(32)
            _fonts(p.add_run(block.text), HEADING2_FONT, 16)
        elif kind in ("signature", "date"):
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Pt(64)
            if kind == "signature":
                fmt.space_before = Pt(29)
                fmt.keep_with_next = True
                if following == "date":
                    fmt.right_indent = Pt(_signature_indent(block.text, blocks[n + 1].text))
            _fonts(p.add_run(block.text), BODY_FONT, 16)
        elif kind == "note":  # what a table obeys: small, under the table
            fmt.line_spacing = Pt(20)
            _fonts(p.add_run(block.text), HEADING2_FONT, 12)
        else:  # para
            fmt.first_line_indent = Pt(32)
            _fonts(p.add_run(block.text), BODY_FONT, 16)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
