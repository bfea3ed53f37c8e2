"""`reformctl import` reads every format offices send, through the real CLI: .xlsx, .xlsm, .xls,
.ods, CSV in UTF-8 (BOM or not), GBK and GB18030, and the tables of a .docx, each on the same
simple, conventional 台账 (a title row, the header, a date cell or a deadline phrase); files it
cannot read are refused in one line, exit 2, nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl.ledger.loader import load
from tests.conftest import examples, run, run_process
from tests.test_readers import mutate, rezip

D = dt.date
ROWS: list[list[Any]] = [
    ["2026年改革工作要点台账"],
    ["工作要点", "牵头单位", "专项小组", "完成时限"],
    ["深化林改", "省林业局", "经济体制改革专项小组", dt.datetime(2026, 12, 20)],
    ["数字化改革", "省发改委", "经济体制改革专项小组", "年底前"],
]
TEXT_ROWS = [[v.strftime("%Y/%m/%d") if isinstance(v, dt.datetime) else v for v in r] for r in ROWS]


def xlsx(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in ROWS:
        ws.append(row)
    ws.merge_cells("A1:D1")
    wb.save(path)


def xls(path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("台账")
    date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    ws.write_merge(0, 0, 0, 3, ROWS[0][0])
    for r, row in enumerate(ROWS[1:], 1):
        for c, value in enumerate(row):
            ws.write(
                r, c, value, date if isinstance(value, dt.datetime) else xlwt.Style.default_style
            )
    wb.save(str(path))


def ods(path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="台账")
    for r, row in enumerate(ROWS):
        tr = TableRow()
        for value in row:
            if isinstance(value, dt.datetime):
                cell = TableCell(valuetype="date", datevalue=value.date().isoformat())
            else:
                cell = (
                    TableCell(valuetype="string", numbercolumnsspanned=4)
                    if r == 0
                    else TableCell(valuetype="string")
                )
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        if r == 0:
            for _ in range(3):
                tr.addElement(CoveredTableCell())
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def csv_in(encoding: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        text = "".join(",".join(str(v) for v in row) + "\n" for row in TEXT_ROWS)
        path.write_bytes(text.encode(encoding))

    return write


def docx(path: Path) -> None:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(ROWS[0][0])
    table = document.add_table(rows=len(TEXT_ROWS) - 1, cols=4)
    for r, row in enumerate(TEXT_ROWS[1:]):
        for c, value in enumerate(row):
            table.cell(r, c).text = str(value)
    document.save(str(path))


FORMATS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "xlsx": ("t.xlsx", xlsx),
    "xlsm": ("t.xlsm", xlsx),
    "xls": ("t.xls", xls),
    "ods": ("t.ods", ods),
    "csv-utf8": ("t.csv", csv_in("utf-8")),
    "csv-bom": ("t.csv", csv_in("utf-8-sig")),
    "csv-gbk": ("t.csv", csv_in("gbk")),
    "csv-gb18030": ("t.csv", csv_in("gb18030")),
    "docx": ("分工方案.docx", docx),
}


@pytest.mark.parametrize("kind", FORMATS)
def test_import_reads_every_format(ledger: Path, kind: str) -> None:
    name, write = FORMATS[kind]
    write(Path(name))
    before = ledger.read_bytes()
    preview = run("import", name, "--dry-run")
    assert preview.code == 0, preview.stderr
    assert "将导入：工作要点 2 项、节点 2 个" in preview.stdout
    assert ledger.read_bytes() == before
    done = run("import", name)
    assert done.code == 0, done.stderr
    points = {p.title: p for p in load(ledger).valid().points.values()}
    assert [m.due for m in points["深化林改"].milestones] == [D(2026, 12, 20)]
    assert [m.due for m in points["数字化改革"].milestones] == [D(2026, 12, 31)]


def test_a_real_process_imports_an_xls(ledger: Path, tmp_path: Path) -> None:
    xls(tmp_path / "t.xls")
    result = run_process("import", "t.xls", "--dry-run", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert "将导入：工作要点 2 项、节点 2 个" in result.stdout


BROKEN: list[tuple[str, bytes, str]] = [
    (
        "t.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "t.xls: 不是可读取的 .xls 工作簿（",
    ),
    (
        "t.xls",
        "<html><body><table><tr><td>工作要点</td></tr></table>".encode(),
        "t.xls: 这是网页或 XML 格式的表格",
    ),
    ("t.ods", b"PK\x03\x04 broken", "t.ods: 不是可读取的 .ods 表格（"),
    ("t.docx", b"not a zip", "t.docx: 不是可读取的 .docx 文档（"),
    (
        "t.doc",
        b"\xd0\xcf\x11\xe0",
        "t.doc: 不能读取旧版 Word 文档（.doc）；请在 Word 或 WPS 中另存为 .docx",
    ),
    (
        "t.csv",
        b"\xe5\xb7\xa5\xe4\xbd\x9c,\xff\xfe\n",
        "t.csv: 不是 UTF-8、GBK 或 GB18030 编码的文本（偏移 7 处的字节 0xFF 无法解码",
    ),
    ("t.txt", b"x", "不支持的文件类型 .txt（可用 .xlsx .xlsm .xls .ods .csv .docx）"),
]


@pytest.mark.parametrize(
    ("name", "data", "message"), BROKEN, ids=[b[0] + str(i) for i, b in enumerate(BROKEN)]
)
def test_unreadable_files_are_refused_in_one_line(
    ledger: Path, name: str, data: bytes, message: str
) -> None:
    Path(name).write_bytes(data)
    before = ledger.read_bytes()
    result = run("import", name)
    assert result.code == 2, result
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(message), result.stderr
    assert ledger.read_bytes() == before


def test_refusal_in_english(ledger: Path) -> None:
    Path("t.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("--lang", "en", "import", "t.doc")
    assert (result.code, result.stderr) == (
        2,
        "t.doc: cannot read an old Word document (.doc); save it as .docx in Word or WPS\n",
    )


def test_an_xls_whose_date_cell_is_a_number_is_refused_by_row(ledger: Path) -> None:
    """2026.10 typed into a general cell is kept as the number 2026.1: refused, never a month."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("台账")
    for r, row in enumerate(
        [
            ["工作要点", "牵头单位", "专项小组", "完成时限"],
            ["深化林改", "省林业局", "经济体制改革专项小组", 2026.1],
        ]
    ):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.save("n.xls")
    result = run("import", "n.xls")
    assert result.code == 2
    assert "n.xls:台账:2:D: “完成时限”：无法识别的日期“2026.1”：这是数字，不是日期" in result.stderr


FUZZ_PART = {
    "xls": None,
    "ods": "content.xml",
    "docx": "word/document.xml",
    "xlsx": "xl/worksheets/sheet1.xml",
}


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    kind=st.sampled_from(sorted(FUZZ_PART)),
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6),
    inside=st.booleans(),
)
def test_mutated_files_import_or_are_refused_never_exit_3(
    ledger: Path, kind: str, edits: list[tuple[int, int]], inside: bool
) -> None:
    """Bytes changed in the file, or inside its main XML part (the zip intact): import reads
    what it can or refuses in one line; never an internal error, never a write on a dry run."""
    name = "分工方案.docx" if kind == "docx" else f"t.{kind}"
    FORMATS[kind][1](Path(name))
    data = Path(name).read_bytes()
    part = FUZZ_PART[kind]
    changed = (
        rezip(data, part, lambda b: mutate(b, edits)) if part and inside else mutate(data, edits)
    )
    Path(name).write_bytes(changed)
    before = ledger.read_bytes()
    result = run("import", name, "--dry-run")
    assert result.code in (0, 2), result
    if result.code == 2:
        assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert ledger.read_bytes() == before
