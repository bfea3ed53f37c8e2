"""Every workbook reformctl writes prints its page numbers: the footer reads 第 &P 页，共 &N 页
(Excel fills in the page and the count) and the header row repeats at the top of each printed
page, on every sheet: the exported 台账, a unit's return form, and the reports' workbooks; each
read back from the real file with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run

openpyxl = pytest.importorskip("openpyxl")

FOOTER = "第 &P 页，共 &N 页"


def header_row(ws: Any) -> int:
    """The header's row: the last one above the frozen pane (the rows under it scroll)."""
    frozen = ws.freeze_panes
    assert frozen and frozen.startswith("A"), (ws.title, frozen)
    return int(frozen[1:]) - 1


def assert_printed_with_page_numbers(path: Path, first: str | None = None) -> None:
    wb = openpyxl.load_workbook(path)
    assert wb.worksheets
    for ws in wb.worksheets:
        assert ws.oddFooter.center.text == FOOTER, ws.title
        row = header_row(ws)
        assert ws.print_title_rows == f"${row}:${row}", ws.title
        assert ws.cell(row, 1).value, ws.title  # the header itself, not an empty row
    if first is not None:  # the 台账 sheet's header is the one a clerk knows
        assert wb.worksheets[0].cell(header_row(wb.worksheets[0]), 1).value == first


def test_export(ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = run("export", "--out", str(out))
    assert result.code == 0, result.stderr
    assert_printed_with_page_numbers(out, "序号")


def test_unit_return_form(ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "lyj.xlsx"
    result = run("export", "--unit", "省林业局", "--template", "--out", str(out))
    assert result.code == 0, result.stderr
    assert_printed_with_page_numbers(out, "序号")


@pytest.mark.parametrize(
    "args",
    [("half", "--period", "2"), ("year",), ("quarter", "--period", "3")],
)
def test_reports(sample: Path, args: tuple[str, ...]) -> None:
    result = run("report", *args, "--out", "r.xlsx")
    assert result.code == 0, result.stderr
    wb = openpyxl.load_workbook("r.xlsx")
    assert len(wb.worksheets) > 1  # a sheet per section, each printed with its numbers
    assert_printed_with_page_numbers(Path("r.xlsx"))
