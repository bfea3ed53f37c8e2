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
    from reformctl.render.escape import safe_line

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
    from reformctl.render.escape import safe_line

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


def _auto_widths(block: Block) -> list[float]:
    """Columns as wide as their longest text where that is short (an ID, a date, a number
    never folds); the long ones (titles, evidence) share what is left of the 156 mm."""
    from wcwidth import wcswidth

    natural = []
    for i, header in enumerate(block.headers):
        longest = max([wcswidth(header) // 2 * 2, *(wcswidth(row[i]) for row in block.rows)])
        natural.append(longest * 0.25 + 0.5)  # 12 pt: a full-width character is 0.42 cm, + padding
    if sum(natural) <= TEXT_WIDTH_CM:
        return [w * TEXT_WIDTH_CM / sum(natural) for w in natural]
    short = [w if w <= 4.3 else 0.0 for w in natural]  # 2026年12月31日 stays on one line
    left = TEXT_WIDTH_CM - sum(short)
    long_total = sum(w for w, s in zip(natural, short, strict=True) if not s)
    if left <= 0 or not long_total:
        return [TEXT_WIDTH_CM * w / sum(natural) for w in natural]
    return [s or w * left / long_total for w, s in zip(natural, short, strict=True)]


def _table(document: Any, block: Block) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = 12 if len(block.headers) <= 6 else 10.5

    def fill(cell: Any, text: str, bold: bool = False) -> None:
        p = cell.paragraphs[0]
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing = Pt(size * 1.4)
        p.paragraph_format.space_after = Pt(0)
        if bold or len(text) <= 12:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        _fonts(run, HEADING1_FONT if bold else BODY_FONT, size)

    for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
        fill(cell, text, bold=True)
    _repeat_header(table.rows[0])
    for values in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            fill(cell, text)
    widths = block.widths or _auto_widths(block)
    if widths:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)


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
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    normal = document.styles["Normal"]
    _style_fonts(normal, BODY_FONT, 16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28.95)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    _declare_fallbacks(document)

    for block in doc.blocks:
        if block.kind == "table":
            _table(document, block)
            continue
        p = document.add_paragraph()
        fmt = p.paragraph_format
        kind = block.kind
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
            _fonts(p.add_run(block.text), TITLE_FONT, 22)
            fmt.line_spacing = Pt(36)
            fmt.space_after = Pt(16)
        elif kind == "subtitle":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(p.add_run(block.text), HEADING2_FONT, 16)
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
