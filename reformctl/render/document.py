"""Documents an office can send as they are (公文): notices and circulars as a list of blocks,
written to Word in the GB/T 9704-2012 layout, or to Markdown and plain text for pasting into
an OA system.

The layout (GB/T 9704-2012 党政机关公文格式): A4; margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; title in 方正小标宋简体 二号 (22 pt), body in 仿宋_GB2312 三号 (16 pt) with a
first-line indent of two characters and a fixed 28.95 pt line pitch (22 lines a page);
first-level headings 黑体, second-level 楷体_GB2312; page numbers as “— 1 —” in 宋体 四号
(14 pt), right on odd pages and left on even ones. Each East-Asian font is set by its
standard name (w:rFonts w:eastAsia) and declared in the font table as a chain of fallbacks,
one w:altName each (仿宋_GB2312 → 仿宋 → FangSong → STFangsong → Noto Serif CJK SC; see
:data:`FALLBACKS`), so a machine without the GB fonts still shows 仿宋, not one face for all.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from reformctl.render.escape import safe_line, visible

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# font → the faces a reader without it falls back to, in order. OOXML gives a font one
# w:altName (Word, WPS and LibreOffice read one name; a comma-joined list is taken as one
# unknown name), so the list is declared as a chain: each face in the font table with the
# next as its altName (仿宋_GB2312 → 仿宋 → FangSong → STFangsong → Noto Serif CJK SC), and
# each with the GB2312 charset (86) and its family, which Word uses to pick a face of its own
# where the whole chain is missing.
FALLBACKS: dict[str, tuple[str, ...]] = {
    TITLE_FONT: (
        "方正小标宋_GBK",
        "华文中宋",
        "STZhongsong",
        "宋体",
        "SimSun",
        "Noto Serif CJK SC",
    ),
    BODY_FONT: ("仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC"),
    HEADING1_FONT: ("SimHei", "STHeiti", "Noto Sans CJK SC"),
    HEADING2_FONT: ("楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC"),
    NUMBER_FONT: ("SimSun", "Noto Serif CJK SC"),
}
SANS = {HEADING1_FONT, "SimHei", "STHeiti", "Noto Sans CJK SC"}


def fontconfig_text() -> str:
    """The fallback lists as a fontconfig file (``~/.config/fontconfig/fonts.conf``), which is
    what LibreOffice on Linux follows for a face it does not have (it does not read
    w:altName): without it every GB face falls back to one default face. docs/reports.md
    shows this text; a test keeps the two the same."""
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<fontconfig>",
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    ]
    for name, alternates in FALLBACKS.items():
        prefer = "".join(f"<family>{face}</family>" for face in alternates)
        lines.append(f'  <alias binding="same"><family>{name}</family>')
        lines.append(f"    <prefer>{prefer}</prefer></alias>")
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def fallback_chain() -> dict[str, str]:
    """Each face of :data:`FALLBACKS` and the one it falls back to (a face named in two
    lists keeps its first successor: 宋体 → SimSun)."""
    chain: dict[str, str] = {}
    for name, alternates in FALLBACKS.items():
        for face, following in pairwise((name, *alternates)):
            chain.setdefault(face, following)
    return chain


RED = "FF0000"


def numeral(n: int) -> str:
    """一, 二, … 十, 十一 … 九十九: the numbers of headings 一、 and （一）."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def outline_mark(level: int, n: int, lang: str) -> str:
    """The number of the ``n``th heading at ``level`` (1 to 4), as GB/T 9704-2012 7.3.3 has
    them: 一、 （一） 1. （1）; in English 1. A. 1. (a)."""
    if lang != "en":
        return (f"{numeral(n)}、", f"（{numeral(n)}）", f"{n}.", f"（{n}）")[level - 1]
    letter = chr(64 + n) if n <= 26 else str(n)
    return (f"{n}. ", f"{letter}. ", f"{n}. ", f"({letter.lower()}) ")[level - 1]


@dataclass
class Block:
    """One block of a document: ``kind`` is banner, number, title, to, heading1, heading2,
    heading3 (1. in 仿宋, its text in the same line), heading4 ((1) likewise), para, table,
    signature, date, note; annex-note (附件说明 in the body), annex (“附件” at the head of a
    new page) and annex-title; cc (版记's 抄送) and issued (印发机关, ``right`` the
    印发日期); contents and contents-more (a booklet's 目录: a theme, a case under it).
    ``new_page`` starts the block on a new page."""

    kind: str
    text: str = ""
    right: str = ""
    new_page: bool = False
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
        elif b.kind in ("heading1", "annex"):
            out.append(f"## {text}")
        elif b.kind == "annex-title":
            out.append(f"### {text}")
        elif b.kind == "issued":
            out.append(f"{text}　　{safe_line(b.right)}")
        elif b.kind in ("contents", "contents-more"):
            out.append(("- " if b.kind == "contents" else "  - ") + text)
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
        if b.kind in ("para", "annex-note", "heading1", "heading2", "heading3", "heading4"):
            out.append("\u3000\u3000" + text)
        elif b.kind in ("annex-more", "contents-more"):
            out.append("\u3000" * (2 if b.kind == "contents-more" else 5) + text)
        elif b.kind == "issued":
            out.append(f"{text}\u3000\u3000{safe_line(b.right)}")
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
    """Declare each Chinese font in the font table with the next face of its fallback list as
    its one w:altName (see :data:`FALLBACKS`)."""
    from lxml import etree  # type: ignore[import-untyped]

    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    chain = fallback_chain()
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
            root = etree.fromstring(part.blob)
            for name, alternate in chain.items():
                font = etree.SubElement(root, f"{{{ns}}}font", {f"{{{ns}}}name": name})
                etree.SubElement(font, f"{{{ns}}}altName", {f"{{{ns}}}val": alternate})
                etree.SubElement(font, f"{{{ns}}}charset", {f"{{{ns}}}val": "86"})
                family = "swiss" if name in SANS else "roman"
                etree.SubElement(font, f"{{{ns}}}family", {f"{{{ns}}}val": family})
                etree.SubElement(font, f"{{{ns}}}pitch", {f"{{{ns}}}val": "variable"})
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


THICK, THIN = 8, 6  # the 版记's rules: 0.35 mm and 0.25 mm, in eighths of a point


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


TEXT_WIDTH_CM = 15.6
LEFT_MARGIN_MM = 28
CELL_PADDING_CM = 0.5  # Word's and LibreOffice's cell margins (2 x 0.19 cm), and a little air
SHORT_CM = 4.2  # a column whose every cell fits this never folds (IDs, dates, names of units)
CELL_MARGINS_CM = 0.4  # the cell margins alone (2 x 0.19 cm): a column's floor has no air
MIN_CHARS = 4  # no column narrower than four characters of the table's text
# cells that may fold where a reader pauses: words (a unit's name), an ID after its point, a date
WORDS = re.compile(r"[^\x00-\x7f\d]+")
FOLDS_ID = re.compile(r"[\w-]+/[\w-]+", re.ASCII)
FOLDS_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
TEXT_CHARS = 8  # a column of text wants at least this many characters a line


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
    """Column widths in cm, following the content. A column of short cells (an ID, a date, a
    unit's name: every cell within 4.2 cm) is as wide as its longest cell, never wider (it
    folds only where a reader pauses, while the text would otherwise fold into a strip: see
    below); the columns of text share what is left, each in proportion to
    its longest cell, none narrower than four characters of the table's text (nor than half
    its header, which may fold in two). The 156 mm are filled by the text columns only; a
    table of short columns alone shares them all."""
    floor = text_cm("\u3000" * MIN_CHARS, size) + CELL_MARGINS_CM
    short, need, least, heads = [], [], [], []
    for i, header in enumerate(block.headers):
        longest = max((text_cm(row[i], size) for row in block.rows), default=0.0)
        # a Chinese header may fold in two, but not one of two characters (序号, not 序/号);
        # a Latin one (2026-07) not at all
        half = header if header.isascii() else header[: max(2, (len(header) + 1) // 2)]
        head = text_cm(half, size) + CELL_PADDING_CM
        heads.append(head)
        is_short = _is_short(block, i, size)
        short.append(is_short)
        need.append(max(longest + CELL_PADDING_CM, head, floor))
        least.append(need[-1] if is_short else max(head, floor))
    width = TEXT_WIDTH_CM
    texts = [i for i, s in enumerate(short) if not s]
    if not texts:  # short columns only: each in proportion to what it needs
        if sum(need) > width:
            return _squeeze(need, width, floor)
        return [w * width / sum(need) for w in need]
    fixed = sum(w for w, s in zip(need, short, strict=True) if s)
    spare = width - fixed - sum(least[i] for i in texts)
    # short columns give way while the text would fold into a strip: a unit's name in two, an ID
    # after its point (R26-02/ procurement), under six characters a date after its year (2026年
    # 11月27日), where the eye reads them apart anyway; figures with their unit never fold
    for kind, chars in ((WORDS, TEXT_CHARS), (FOLDS_ID, TEXT_CHARS), (FOLDS_DATE, 6)):
        target = text_cm("\u3000" * chars, size) + CELL_PADDING_CM
        if spare >= sum(max(0.0, target - least[i]) for i in texts):
            continue
        for i, is_short in enumerate(short):
            cells = [row[i] for row in block.rows if row[i]]
            if not is_short or not cells or not all(kind.fullmatch(c) for c in cells):
                continue
            if kind is WORDS:
                folded = max(floor, least[i] / 2 + CELL_PADDING_CM / 2)
            else:
                pieces = [p for c in cells for p in re.split(r"(?<=[/年])", c) if p]
                longest = max(text_cm(p, size) for p in pieces)
                folded = max(floor, heads[i], longest + CELL_PADDING_CM)
            if folded < need[i]:
                spare += need[i] - folded
                need[i] = folded
    if spare < 0:  # too many columns for the page: what is above the floor gives way
        return _squeeze(least, width, floor)
    wants = {i: need[i] - least[i] for i in texts}
    total = sum(wants.values())
    out = list(need)
    for i in texts:
        share = wants[i] / total if total else 1 / len(texts)
        out[i] = least[i] + spare * share
    return out


def _squeeze(widths: list[float], width: float, floor: float) -> list[float]:
    """``widths`` brought down to ``width``: each column keeps the floor and gives up the
    same share of what it has above it (a name folds, a figure keeps its four characters);
    in proportion when even the floors do not fit."""
    above = sum(max(0.0, w - floor) for w in widths)
    room = width - sum(min(w, floor) for w in widths)
    if room < 0 or above == 0:
        return [w * width / sum(widths) for w in widths]
    return [min(w, floor) + max(0.0, w - floor) * room / above for w in widths]


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


def _record_table(document: Any, record: list[Block]) -> None:
    """The 版记 (GB/T 9704-2012 7.4): 抄送 and 印发机关和印发日期 in 4号仿宋, 左右各空一字, between
    rules across the 版心 (the first and last 0.35 mm, the one between 0.25 mm), at the foot
    of the last page, its last rule on the 版心's bottom edge: a table of one column floating
    at the bottom of the margin box (w:tblpPr w:vertAnchor="margin" w:tblpYSpec="bottom"),
    which Word and LibreOffice both place there whatever the text above it; then an empty
    paragraph of one point for it to anchor to (a document ends with a paragraph)."""
    from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    width = Mm(156)
    table = document.add_table(rows=len(record), cols=1)
    tbl_pr = table._tbl.tblPr
    position = OxmlElement("w:tblpPr")
    for key, value in (
        ("leftFromText", "0"),
        ("rightFromText", "0"),
        ("topFromText", "0"),
        ("bottomFromText", "0"),
        ("vertAnchor", "margin"),
        # from the page's edge, at the left margin: LibreOffice keeps a table as wide as the
        # text inline (in the flow) unless it is placed from the page's edge
        ("horzAnchor", "page"),
        ("tblpX", str(round(LEFT_MARGIN_MM / 25.4 * 1440))),
        ("tblpYSpec", "bottom"),
    ):
        position.set(qn(f"w:{key}"), value)
    tbl_pr.insert(0, position)
    overlap = OxmlElement("w:tblOverlap")
    overlap.set(qn("w:val"), "never")
    position.addnext(overlap)
    borders = OxmlElement("w:tblBorders")
    for side, size in (
        ("top", THICK),
        ("left", 0),
        ("bottom", THICK),
        ("right", 0),
        ("insideH", THIN),
        ("insideV", 0),
    ):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single" if size else "nil")
        if size:
            for key, value in (("sz", str(size)), ("space", "0"), ("color", "000000")):
                el.set(qn(f"w:{key}"), value)
        borders.append(el)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)
    table.autofit = False
    table.columns[0].width = width
    for row, block in zip(table.rows, record, strict=True):
        _row_stays_whole(row)
        cell = row.cells[0]
        cell.width = width
        p = cell.paragraphs[0]
        fmt = p.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28.95)
        if block.kind == "cc":
            _fonts(p.add_run(f"\u3000{block.text}"), BODY_FONT, 14)
        else:
            fmt.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            _fonts(p.add_run(f"\u3000{block.text}\t{block.right}\u3000"), BODY_FONT, 14)
    anchor = document.add_paragraph()
    anchor.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    anchor.paragraph_format.line_spacing = Pt(1)
    anchor.paragraph_format.first_line_indent = Pt(0)
    _fonts(anchor.add_run(""), BODY_FONT, 1)


def title_lines(text: str, size: float = 22) -> list[str]:
    """A title too long for one line, in two (GB/T 9704: 回行时词意完整、排列对称): after a
    "·" joining the ledger's name and the document's, before 进行 (…改革任务 / 进行…督办的
    通知), after a comma (a subtitle's period / 截至…), else near the middle."""
    line = TEXT_WIDTH_CM
    if text_cm(text, size) <= line:
        return [text]
    seps = (("·", False), ("进行", True), ("推进情况", True), ("落实情况", True), ("，", False))
    for sep, keep in seps:
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
    section.left_margin, section.right_margin = Mm(LEFT_MARGIN_MM), Mm(26)
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

    # text a user typed may hold what XML cannot (U+0001) or what turns text around (U+202E):
    # shown as visible escapes, as in every other output
    blocks = [
        replace(
            b,
            text=visible(b.text),
            right=visible(b.right),
            headers=[visible(h) for h in b.headers],
            rows=[[visible(c) for c in row] for row in b.rows],
        )
        for b in doc.blocks
    ]
    record = [b for b in blocks if b.kind in ("cc", "issued")]
    for n, block in enumerate(blocks):
        if block.kind == "table":
            _table(document, block)
            continue
        if block.kind in ("cc", "issued"):
            if block is record[0]:
                _record_table(document, record)
            continue
        p = document.add_paragraph()
        fmt = p.paragraph_format
        kind = block.kind
        following = blocks[n + 1].kind if n + 1 < len(blocks) else ""
        if kind in ("title", "subtitle", "heading1", "heading2") or following == "table":
            fmt.keep_with_next = True  # a heading (or 附：…) is never left at a page's foot
        if kind == "para" and following in ("annex-note", "signature"):
            fmt.keep_with_next = True  # the 落款 never on a page without a line of the body
        if block.new_page:
            fmt.page_break_before = True
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
        elif kind in ("heading3", "heading4"):  # 1. and （1）: 仿宋, as the body
            fmt.first_line_indent = Pt(32)
            fmt.keep_with_next = kind == "heading3" and following == "heading4"
            _fonts(p.add_run(block.text), BODY_FONT, 16)
        elif kind in ("signature", "date"):
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Pt(64)
            if kind == "signature":
                fmt.space_before = Pt(29)
                fmt.keep_with_next = True
                if following == "date":
                    fmt.right_indent = Pt(_signature_indent(block.text, blocks[n + 1].text))
            _fonts(p.add_run(block.text), BODY_FONT, 16)
        elif kind == "annex-note":  # 附件说明: 正文下空一行左空二字
            fmt.first_line_indent = Pt(32)
            fmt.space_before = Pt(28.95)
            fmt.keep_with_next = True  # with the 落款: a signature never stands alone on a page
            _fonts(p.add_run(block.text), BODY_FONT, 16)
        elif kind in ("contents", "contents-more"):  # a booklet's 目录: 一、theme, （一）case
            fmt.left_indent = Pt(32 if kind == "contents-more" else 0)
            _fonts(p.add_run(block.text), HEADING1_FONT if kind == "contents" else BODY_FONT, 16)
        elif kind == "annex-more":  # the next 附件's name, under the first one's (after 附件：)
            fmt.left_indent = Pt(5 * 16)
            fmt.keep_with_next = True
            _fonts(p.add_run(block.text), BODY_FONT, 16)
        elif kind == "annex":  # 附件 另面编排, “附件” 3号黑体 顶格 in the first line
            fmt.page_break_before = True
            fmt.keep_with_next = True
            _fonts(p.add_run(block.text), HEADING1_FONT, 16)
        elif kind == "annex-title":  # 附件标题居中 in the third line
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_before = Pt(28.95)
            fmt.space_after = Pt(16)
            fmt.keep_with_next = True
            _fonts(p.add_run(block.text), TITLE_FONT, 22)
        elif kind == "note":  # what a table obeys: small, under the table
            fmt.line_spacing = Pt(20)
            _fonts(p.add_run(block.text), HEADING2_FONT, 12)
        else:  # para
            fmt.first_line_indent = Pt(32)
            _fonts(p.add_run(block.text), BODY_FONT, 16)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
