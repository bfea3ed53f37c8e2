"""spreadsheets.read_sheets on every format offices send: workbooks and documents written here
(openpyxl, xlwt, odfpy, python-docx; LibreOffice's own conversions where it is installed) are
read back and compared cell by cell with what was written: values, dates (only where the file
says a cell is one), merged ranges, hidden columns and rows, formulas without a value. Broken
and hostile files are refused with a ReformctlError, never another exception, never a hang."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import signal
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl import spreadsheets
from reformctl.errors import ReformctlError
from reformctl.spreadsheets import Sheet, read_sheets
from tests.conftest import examples

DAY = dt.datetime(2026, 6, 30)
# the layout every writer below writes: a title merged across, a header, a point whose 牵头单位
# is merged down two rows, a hidden superseded column (C), a date cell, a number that only
# looks like a month (Excel's 2026.1 for a typed 2026.10), text with a line break, a bool
TITLE = "2026年改革工作要点台账"
ROWS: list[list[Any]] = [
    [TITLE, None, None, None, None],
    ["工作要点", "牵头单位", "完成时限", "调整后完成时限", "备注"],
    ["深化林改", "省林业局", "2026-03-31", DAY, 2026.1],
    ["数字化改革", None, "年底前", DAY, "第一行\n第二行"],
    ["医改", "省卫健委", None, None, True],
]
MERGED = [(0, 0, 0, 4), (2, 1, 3, 1)]
HIDDEN_COLUMNS = frozenset({2})
HIDDEN_ROWS = frozenset({4})


def expected_rows() -> list[list[Any]]:
    return [list(r) for r in ROWS]


def trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] in (None, ""):
            row.pop()
        out.append(row)
    return out


def assert_layout(sheet: Sheet, kind: str, *, hidden_rows: bool = True) -> None:
    assert sheet.kind == kind
    assert trimmed(sheet.rows) == trimmed(expected_rows())
    assert sorted(sheet.merged) == sorted(MERGED)
    assert sheet.hidden_columns == HIDDEN_COLUMNS
    if hidden_rows:
        assert sheet.hidden_rows == HIDDEN_ROWS
    filled = sheet.filled()
    assert filled[0] == [TITLE] * 5
    assert filled[3][1] == "省林业局"
    assert isinstance(sheet.rows[2][3], dt.datetime)  # a date cell, by its format
    assert isinstance(sheet.rows[2][4], float)  # a number in a general cell: never a date


# -- writers -----------------------------------------------------------------------------------------
def write_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账"
    for r, row in enumerate(ROWS, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                cell = ws.cell(r, c, value)
                if isinstance(value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
    for top, left, bottom, right in MERGED:
        ws.merge_cells(
            start_row=top + 1, start_column=left + 1, end_row=bottom + 1, end_column=right + 1
        )
    ws.column_dimensions["C"].hidden = True
    ws.row_dimensions[5].hidden = True
    wb.create_sheet("说明").cell(1, 1, "填报说明")
    wb.save(path)


def write_xls(path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("台账")
    date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    merged = {(t, left): (b, r) for t, left, b, r in MERGED}
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            if value is None:
                continue
            style = date if isinstance(value, dt.datetime) else xlwt.Style.default_style
            if (r, c) in merged:
                b, right = merged[(r, c)]
                ws.write_merge(r, b, c, right, value, style)
            else:
                ws.write(r, c, value, style)
    ws.col(2).hidden = True
    ws.row(4).hidden = True
    wb.add_sheet("说明").write(0, 0, "填报说明")
    wb.save(str(path))


def write_ods(path: Path, *, padding: int = 1_048_000) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="台账")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    table.addElement(TableColumn(visibility="collapse"))
    table.addElement(TableColumn(numbercolumnsrepeated=1021))  # as LibreOffice pads them
    spans = {(t, left): (b - t + 1, r - left + 1) for t, left, b, r in MERGED}
    covered = {
        (r, c) for t, left, b, rr in MERGED for r in range(t, b + 1) for c in range(left, rr + 1)
    }
    covered -= set(spans)
    for r, row in enumerate(ROWS):
        tr = TableRow(visibility="collapse") if r in HIDDEN_ROWS else TableRow()
        for c, value in enumerate(row):
            if (r, c) in covered:
                tr.addElement(CoveredTableCell())
                continue
            attrs: dict[str, Any] = {}
            if (r, c) in spans:
                attrs = {
                    "numberrowsspanned": spans[r, c][0],
                    "numbercolumnsspanned": spans[r, c][1],
                }
            if value is None:
                tr.addElement(TableCell(**attrs))
                continue
            if isinstance(value, bool):
                cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower(), **attrs)
            elif isinstance(value, dt.datetime):
                cell = TableCell(valuetype="date", datevalue=value.date().isoformat(), **attrs)
            elif isinstance(value, float):
                cell = TableCell(valuetype="float", value=str(value), **attrs)
            else:
                cell = TableCell(valuetype="string", **attrs)
            for line in str(value).split("\n") if isinstance(value, str) else [str(value)]:
                cell.addElement(P(text=line))
            tr.addElement(cell)
        table.addElement(tr)
    if padding:
        table.addElement(TableRow(numberrowsrepeated=padding))  # LibreOffice's trailing rows
    doc.spreadsheet.addElement(table)
    second = Table(name="说明")
    tr = TableRow()
    cell = TableCell(valuetype="string")
    cell.addElement(P(text="填报说明"))
    tr.addElement(cell)
    second.addElement(tr)
    doc.spreadsheet.addElement(second)
    doc.save(str(path))


WRITERS: dict[str, Callable[[Path], None]] = {
    "xlsx": write_xlsx,
    "xlsm": write_xlsx,
    "xls": write_xls,
    "ods": write_ods,
}


@pytest.mark.parametrize("kind", WRITERS)
def test_every_format_reads_back_cell_by_cell(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"t.{kind}"
    WRITERS[kind](path)
    sheets = read_sheets(path)
    assert [s.name for s in sheets] == ["台账", "说明"]
    assert_layout(sheets[0], kind)
    assert sheets[1].rows == [["填报说明"]]


def test_xlsx_formulas_without_a_value_are_named(tmp_path: Path) -> None:
    """openpyxl writes formulas with no cached result (never opened in Excel)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["工作要点", "完成时限"])
    ws.append(["深化林改", "=DATE(2026,6,30)"])
    wb.save(tmp_path / "f.xlsx")
    sheet = read_sheets(tmp_path / "f.xlsx")[0]
    assert sheet.no_value == frozenset({(1, 1)})
    assert sheet.rows[1] == ["深化林改"]
    # as Excel stores them: a number, and a text formula whose result is ""
    calculated = '<c r="C2"><f>1+1</f><v>2</v></c><c r="D2" t="str"><f>""</f><v></v></c></row>'
    data = rezip(
        (tmp_path / "f.xlsx").read_bytes(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</row>", calculated.encode(), 2).replace(
            calculated.encode(), b"</row>", 1
        ),
    )
    (tmp_path / "g.xlsx").write_bytes(data)
    sheet = read_sheets(tmp_path / "g.xlsx")[0]
    assert sheet.no_value == frozenset({(1, 1)})
    assert sheet.rows[1][2:] == [2]  # the trailing "" trimmed, as every empty cell


def test_ods_formulas_without_a_value_are_named(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow

    doc = OpenDocumentSpreadsheet()
    table = Table(name="s")
    tr = TableRow()
    tr.addElement(TableCell(formula="of:=1+1"))
    tr.addElement(TableCell(formula="of:=1+1", valuetype="float", value="2"))
    table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(tmp_path / "f.ods"))
    sheet = read_sheets(tmp_path / "f.ods")[0]
    assert (sheet.rows, sheet.no_value) == ([[None, 2]], frozenset({(0, 0)}))


def test_an_xls_named_xlsx_and_an_xlsx_named_xls_read_as_what_they_are(tmp_path: Path) -> None:
    write_xls(tmp_path / "a.xlsx")
    write_xlsx(tmp_path / "b.xls")
    assert read_sheets(tmp_path / "a.xlsx")[0].kind == "xls"
    assert_layout(read_sheets(tmp_path / "b.xls")[0], "xlsx")


def test_ods_repeats_cost_nothing_but_count(tmp_path: Path) -> None:
    """A row with a value repeated past MAX_ROWS is refused; empty padding is free."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    def one(repeat_rows: int, repeat_cols: int, name: str) -> Path:
        doc = OpenDocumentSpreadsheet()
        table = Table(name="s")
        tr = TableRow(numberrowsrepeated=repeat_rows)
        cell = TableCell(valuetype="string", numbercolumnsrepeated=repeat_cols)
        cell.addElement(P(text="x"))
        tr.addElement(cell)
        table.addElement(tr)
        doc.spreadsheet.addElement(table)
        doc.save(str(tmp_path / name))
        return tmp_path / name

    assert read_sheets(one(3, 2, "ok.ods"))[0].rows == [["x", "x"]] * 3
    with pytest.raises(ReformctlError) as caught:
        read_sheets(one(10**9, 1, "rows.ods"))
    assert caught.value.problem.code == "import-too-many-rows"
    with pytest.raises(ReformctlError) as caught:
        read_sheets(one(1, 16384, "cols.ods"))
    assert caught.value.problem.code == "import-too-many-columns"


def test_xls_blank_cells_are_counted_before_they_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("s")
    style = xlwt.easyxf("font: bold on")
    for r in range(40):
        for c in range(200):
            ws.write(r, c, None, style)  # formatted blanks: MULBLANK records
    wb.save(str(tmp_path / "blank.xls"))
    monkeypatch.setattr(spreadsheets.limits, "MAX_CELLS", 5_000)
    with pytest.raises(ReformctlError) as caught:
        read_sheets(tmp_path / "blank.xls")
    assert caught.value.problem.code == "import-too-many-cells"


# -- CSV encodings ----------------------------------------------------------------------------------
CSV = "工作要点,牵头单位,完成时限\n深化林改,省林业局,2026.10\n医改,省卫健委,6月底前\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "gb2312"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "t.csv").write_bytes(CSV.encode(encoding))
    (sheet,) = read_sheets(tmp_path / "t.csv")
    assert sheet.kind == "csv"
    assert sheet.rows == [line.split(",") for line in CSV.splitlines()]  # text, never a number


@settings(max_examples=examples(100))
@given(
    st.lists(
        st.text(
            alphabet=st.characters(codec="gbk", categories=("Lo", "Nd", "Lu", "Ll", "Po", "Zs")),
            max_size=12,
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030"]),
)
def test_any_chinese_csv_in_any_encoding_reads_as_written(cells: list[str], encoding: str) -> None:
    """A return starts with its header row, so GBK bytes never pass for UTF-8."""
    text = (
        "工作要点,牵头单位\n"
        + ",".join(c.replace(",", "，").replace('"', "“") for c in cells)
        + "\n"
    )
    data = text.encode(encoding)
    assert spreadsheets.csv_text(data, "t.csv") == text


def test_a_csv_in_no_encoding_is_refused_at_its_byte(tmp_path: Path) -> None:
    data = "工作要点,牵头单位\n深化林改,".encode() + b"\xff\xfe" + "省林业局\n".encode()
    (tmp_path / "t.csv").write_bytes(data)
    with pytest.raises(ReformctlError) as caught:
        read_sheets(tmp_path / "t.csv")
    assert caught.value.problem.args["offset"] == data.index(b"\xff")
    assert "偏移 39 处的字节 0xFF 无法解码" in caught.value.message("zh")


# -- .docx ------------------------------------------------------------------------------------------
def write_docx(path: Path) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("2026年全面深化改革工作要点分工方案")
    table = document.add_table(rows=5, cols=4)
    header = ["序号", "工作要点", "牵头单位", "完成时限"]
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeated at the top of every page
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    table.cell(1, 0).text = "一、经济体制改革"
    table.cell(1, 0).merge(table.cell(1, 3))  # a group row across the table
    table.cell(2, 0).text = "1"
    table.cell(2, 1).text = "深化林改"
    table.cell(2, 1).add_paragraph("出台实施方案")
    table.cell(2, 2).text = "省林业局"
    table.cell(2, 2).merge(table.cell(3, 2))  # one lead for two rows
    table.cell(2, 3).text = "6月底前"
    table.cell(3, 0).text = "2"
    table.cell(3, 1).text = "数字化改革"
    table.cell(3, 3).text = "年底前"
    table.cell(4, 0).text = "3"
    table.cell(4, 1).text = "医改"
    table.cell(4, 2).text = "省卫健委"
    table.cell(4, 3).text = "第三季度"
    document.add_paragraph("（续表）")
    second = document.add_table(rows=2, cols=4)
    for c, text in enumerate(header):
        second.cell(0, c).text = text
    for c, text in enumerate(["4", "国资改革", "省国资委", "2026年9月30日"]):
        second.cell(1, c).text = text
    document.save(str(path))


def test_docx_tables_are_sheets(tmp_path: Path) -> None:
    write_docx(tmp_path / "方案.docx")
    first, second = read_sheets(tmp_path / "方案.docx")
    assert (first.name, first.kind, second.name) == ("表1", "docx", "表2")
    assert trimmed(first.rows) == [
        ["序号", "工作要点", "牵头单位", "完成时限"],
        ["一、经济体制改革"],
        ["1", "深化林改\n出台实施方案", "省林业局", "6月底前"],
        ["2", "数字化改革", None, "年底前"],
        ["3", "医改", "省卫健委", "第三季度"],
    ]
    assert sorted(first.merged) == [(1, 0, 1, 3), (2, 2, 3, 2)]
    assert first.filled()[3][2] == "省林业局"
    assert trimmed(second.rows) == [
        ["序号", "工作要点", "牵头单位", "完成时限"],
        ["4", "国资改革", "省国资委", "2026年9月30日"],
    ]


def test_a_document_without_tables_and_an_old_doc_are_refused(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("没有表格")
    document.save(str(tmp_path / "a.docx"))
    with pytest.raises(ReformctlError) as caught:
        read_sheets(tmp_path / "a.docx")
    assert caught.value.problem.code == "import-no-tables"
    (tmp_path / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ReformctlError) as caught:
        read_sheets(tmp_path / "b.doc")
    assert caught.value.problem.code == "import-doc"


def test_an_html_table_saved_as_xls_is_refused_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "t.xls").write_text("<html><table><tr><td>工作要点</td></tr></table></html>")
    with pytest.raises(ReformctlError) as caught:
        read_sheets(tmp_path / "t.xls")
    assert "另存为 .xlsx" in caught.value.message("zh")


# -- LibreOffice's own files ------------------------------------------------------------------------
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The openpyxl workbook above, converted by LibreOffice to .xls, .ods and a macro-enabled
    .xlsm."""
    if SOFFICE is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
        )
    folder = tmp_path_factory.mktemp("soffice")
    write_xlsx(folder / "t.xlsx")
    out = {}
    for ext, target in (
        ("xls", "xls"),
        ("ods", "ods"),
        ("xlsm", "xlsm:Calc MS Excel 2007 VBA XML"),
    ):
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(folder / ext),
                str(folder / "t.xlsx"),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        out[ext] = folder / ext / f"t.{ext}"
    return out


@pytest.mark.parametrize("kind", ["xls", "ods", "xlsm"])
def test_libreoffice_conversions_read_back_cell_by_cell(
    converted: dict[str, Path], kind: str
) -> None:
    sheets = read_sheets(converted[kind])
    assert [s.name for s in sheets] == ["台账", "说明"]
    assert_layout(sheets[0], kind)


# -- broken files -----------------------------------------------------------------------------------
@pytest.fixture
def alarm() -> Iterator[None]:
    """A hang fails the test instead of stopping the suite."""

    def hung(signum: int, frame: Any) -> None:
        raise TimeoutError("the reader hung")

    old = signal.signal(signal.SIGALRM, hung)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def reads_or_refuses(path: Path) -> None:
    signal.alarm(30)
    try:
        sheets = read_sheets(path)
    except ReformctlError as exc:
        assert exc.exit_code == 2
        assert "\n" not in exc.message("zh")
    else:
        assert all(isinstance(s, Sheet) for s in sheets)
    finally:
        signal.alarm(0)


def mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    buf = bytearray(data)
    for at, byte in edits:
        buf[at % len(buf)] = byte
    return bytes(buf)


def rezip(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info, change(body) if info.filename == part else body)
    return out.getvalue()


edits = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8)
FUZZ = settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("samples")
    out = {}
    for kind, writer in (("xls", write_xls), ("xlsx", write_xlsx), ("docx", write_docx)):
        writer(folder / f"s.{kind}")
        out[kind] = (folder / f"s.{kind}").read_bytes()
    write_ods(folder / "s.ods", padding=3)
    out["ods"] = (folder / "s.ods").read_bytes()
    return out


@FUZZ
@given(edits=edits)
def test_mutated_xls_is_read_or_refused(
    tmp_path: Path, samples: dict[str, bytes], alarm: None, edits: list[tuple[int, int]]
) -> None:
    path = tmp_path / "m.xls"
    path.write_bytes(mutate(samples["xls"], edits))
    reads_or_refuses(path)


@FUZZ
@given(edits=edits, kind=st.sampled_from(["ods", "docx", "xlsx"]))
def test_mutated_zip_formats_are_read_or_refused(
    tmp_path: Path, samples: dict[str, bytes], alarm: None, edits: list[tuple[int, int]], kind: str
) -> None:
    """Bytes changed inside the main XML part (the zip itself intact, so the parser sees them),
    or in the zip's own bytes."""
    part = {"ods": "content.xml", "docx": "word/document.xml", "xlsx": "xl/worksheets/sheet1.xml"}[
        kind
    ]
    path = tmp_path / f"m.{kind}"
    path.write_bytes(rezip(samples[kind], part, lambda body: mutate(body, edits)))
    reads_or_refuses(path)
    path.write_bytes(mutate(samples[kind], edits))
    reads_or_refuses(path)


@pytest.mark.parametrize(
    ("kind", "change"),
    [
        (
            "ods",
            lambda b: b.replace(
                b'table:number-rows-repeated="3"', b'table:number-rows-repeated="x"'
            ),
        ),
        ("ods", lambda b: b.replace(b'office:value="2026.1"', b'office:value="abc"')),
        (
            "ods",
            lambda b: b.replace(
                b"<office:document-content",
                b'<!DOCTYPE x [<!ENTITY a "b">]><office:document-content',
                1,
            ),
        ),
        ("docx", lambda b: re.sub(rb'(<w:gridSpan w:val=")\d+', rb"\g<1>100000", b, count=1)),
        ("docx", lambda b: b[: len(b) // 2]),
    ],
)
def test_broken_parts_are_refused_in_one_line(
    tmp_path: Path, samples: dict[str, bytes], kind: str, change: Callable[[bytes], bytes]
) -> None:
    part = {"ods": "content.xml", "docx": "word/document.xml"}[kind]
    path = tmp_path / f"b.{kind}"
    data = rezip(samples[kind], part, change)
    assert data != samples[kind]
    path.write_bytes(data)
    with pytest.raises(ReformctlError) as caught:
        read_sheets(path)
    assert "\n" not in caught.value.message("zh")


def test_a_docx_cell_spanning_past_the_column_limit_is_refused_by_table_and_row(
    tmp_path: Path, samples: dict[str, bytes]
) -> None:
    data = rezip(
        samples["docx"],
        "word/document.xml",
        lambda b: re.sub(rb'(<w:gridSpan w:val=")\d+', rb"\g<1>100000", b, count=1),
    )
    (tmp_path / "wide.docx").write_bytes(data)
    with pytest.raises(ReformctlError) as caught:
        read_sheets(tmp_path / "wide.docx")
    assert caught.value.message("zh").endswith(
        "工作表“表1”第 2 行有 100000 列，超过导入上限 256 列"
    )


def test_each_reader_module_stays_readable() -> None:
    """Issue 23: reformctl/spreadsheets is a package of one module a format family, none over
    700 lines (it was one file of 1,094)."""
    from pathlib import Path

    folder = Path(spreadsheets.__file__).parent
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in folder.glob("*.py")}
    assert {"xlsx.py", "legacy.py", "ods.py", "text.py", "docx.py", "write.py"} <= set(sizes)
    assert max(sizes.values()) <= 700, sizes
