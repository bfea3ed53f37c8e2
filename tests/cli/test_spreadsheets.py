"""Spreadsheets are hostile both ways, through the real CLI.

Out: no export or report writes a formula from ledger text (xlsx string cells; CSV cells that
could start a formula get the OWASP leading quote). In: every hostile or broken file given to
``import`` is refused with one line and exit 2, the ledger untouched, within bounded memory and
time. The hostile files are built here, small on disk; the ones that would eat memory or hang if
a guard were lost run as a real process under a memory limit and a timeout, the rest in-process.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reformctl import spreadsheets
from reformctl.ledger.loader import load
from tests.conftest import ROOT, Run, examples, run

# -- formulas never leave reformctl ---------------------------------------------------------------
HOSTILE = '=HYPERLINK("http://x","y")'
NAMES = {
    "title": HOSTILE,
    "path": "+1+cmd|' /C calc'!A0",
    "outcome": "@SUM(1+1)",
    "milestone": "-2+3",
    "evidence": "#N/A",
    "tab": "\t=1+1",
    "quoted": "'=already quoted",
}


@pytest.fixture
def hostile(ledger: Path) -> Path:
    """The base ledger plus a point whose every text is a formula or an error value."""
    assert run("unit", "add", "evil", "=1+1").code == 0
    args = ["point", "add", "R26-02", "--title", NAMES["title"], "--group", "economy"]
    args += ["--lead", "evil", "--path", NAMES["path"], "--outcome", NAMES["outcome"]]
    assert run(*args, "--major").code == 0
    assert (
        run(
            "milestone", "add", "R26-02/a", "--name", NAMES["milestone"], "--due", "2026-03-01"
        ).code
        == 0
    )
    assert run("done", "R26-02/a", "--on", "2026-03-02", "--evidence", NAMES["evidence"]).code == 0
    assert (
        run("milestone", "add", "R26-02/b", "--name", NAMES["tab"], "--due", "2026-11-01").code == 0
    )
    assert (
        run("milestone", "add", "R26-02/c", "--name", NAMES["quoted"], "--due", "2026-12-01").code
        == 0
    )
    assert run("log", "R26-02", NAMES["title"], "--month", "2026-11").code == 0
    return ledger


def workbook_cells(path: Path) -> list[tuple[str, str, object]]:
    """Every non-empty cell of a workbook as (sheet, data type, value), read back by openpyxl
    in full mode (which keeps formulas as formulas)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [
        (ws.title, cell.data_type, cell.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_no_formula(path: Path, expected: list[str]) -> None:
    cells = workbook_cells(path)
    assert cells, path
    assert [c for c in cells if c[1] in ("f", "e")] == []
    values = {c[2] for c in cells}
    for text in expected:
        assert text in values, (text, path)
        assert {c[1] for c in cells if c[2] == text} == {"s"}


def test_export_xlsx_writes_ledger_text_as_string_cells(hostile: Path) -> None:
    assert run("export", "--format", "xlsx", "--out", "all.xlsx").code == 0
    assert_no_formula(Path("all.xlsx"), [*NAMES.values(), "=1+1"])
    with zipfile.ZipFile("all.xlsx") as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f" in raw for raw in sheets)  # no formula element at all
    assert "HYPERLINK" in sheets[0]


@pytest.mark.parametrize(
    "args",
    [["half", "--period", "1"], ["half", "--period", "2"], ["year"], ["quarter", "--period", "1"]],
)
def test_report_workbooks_write_ledger_text_as_string_cells(hostile: Path, args: list[str]) -> None:
    assert run("report", *args, "--out", "r.xlsx").code == 0
    cells = workbook_cells(Path("r.xlsx"))
    assert [c for c in cells if c[1] in ("f", "e")] == []
    texts = {str(c[2]) for c in cells}
    assert any(NAMES["title"] in t or "=1+1" in t for t in texts), texts


def test_year_report_names_the_hostile_point_as_text(hostile: Path) -> None:
    assert run("report", "year", "--out", "r.xlsx").code == 0
    assert (("二、工作要点销号情况", "s", HOSTILE)) in workbook_cells(Path("r.xlsx"))


def test_control_characters_are_escaped_in_xlsx_and_read_back(ledger: Path, tmp_path: Path) -> None:
    """openpyxl refuses a form feed in a cell (it was exit 3): OOXML's _x000C_ escape instead,
    and import reads it back; a literal _x0041_ in the text survives too."""
    title = "甲\f乙\x0b丙_x0041_丁"
    assert (
        run("point", "add", "R26-02", "--title", title, "--group", "economy", "--lead", "fgw").code
        == 0
    )
    result = run("export", "--format", "xlsx", "--out", "all.xlsx")
    assert (result.code, result.stderr) == (0, "")
    assert run("report", "year", "--out", "r.xlsx").code == 0
    env = {"REFORMCTL_LEDGER": str(tmp_path / "n.toml")}
    assert run("init", "--year", "2026", env=env).code == 0
    imported = run("import", "all.xlsx", env=env)
    assert imported.code == 0, imported.stderr
    assert load(tmp_path / "n.toml").valid().points["R26-02"].title == title


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def assert_neutralised(rows: list[list[str]]) -> None:
    """No cell starts with a formula character unless it is a number; the hostile texts are
    there, each behind one quote."""
    for row in rows:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell)  # only a genuine number may start so


def test_csv_export_neutralises_formulas(hostile: Path) -> None:
    assert run("export", "--format", "csv", "--out", "all.csv").code == 0
    rows = csv_rows(Path("all.csv").read_text(encoding="utf-8"))
    assert_neutralised(rows)
    cells = {c for r in rows for c in r}
    assert {
        "'" + NAMES[k] for k in ("title", "path", "outcome", "milestone", "tab", "quoted")
    } <= cells
    assert "#N/A" in cells  # not a formula character: as it is
    assert "'=1+1" in cells  # a unit's name too
    assert rows[1][0] == "1"  # 序号, a number, as it is


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["overdue", "--soon", "30"],
        ["progress", "--by", "unit"],
        ["progress", "--by", "point"],
        ["show", "R26-02"],
    ],
)
def test_csv_read_commands_neutralise_formulas(hostile: Path, args: list[str]) -> None:
    result = run(*args, "--format", "csv")
    assert result.code == 0, result.stderr
    rows = csv_rows(result.stdout)
    assert_neutralised(rows)
    cells = {c for r in rows for c in r}
    assert cells & {"'" + NAMES["title"], "'=1+1", "'" + NAMES["milestone"], "'" + NAMES["tab"]}


def test_csv_report_neutralises_formulas(hostile: Path) -> None:
    assert run("report", "year", "--out", "r.csv").code == 0
    rows = csv_rows(Path("r.csv").read_text(encoding="utf-8"))
    assert_neutralised(rows)
    assert "'" + HOSTILE in {c for r in rows for c in r}


def test_the_csv_rule_itself() -> None:
    """Text is neutralised, numbers are not (a -3 days overdue stays -3); one quote is added
    and exactly one is taken away, so every text round-trips."""
    assert spreadsheets.csv_cell(-3) == -3 and spreadsheets.csv_cell(-0.5) == -0.5
    assert spreadsheets.csv_text_cell("-3", -3) == "-3"
    assert spreadsheets.csv_text_cell("-3", "-3") == "'-3"
    for text in ["=1", "+1", "-1", "@A", "\t=1", "\r=1", "'=1", "''@x", "'", "a=1", "", "甲"]:
        written = spreadsheets.csv_cell(text)
        assert written[:1] not in ("=", "+", "-", "@", "\t", "\r")
        assert spreadsheets.restore_csv_cell(written) == text


# -- CSV round trip ---------------------------------------------------------------------------------
TRICKY = list("=+-@'\",;，、\t\r\n\u2028\u2029\x85\x0c\x0b\x1c\x1e 甲乙aZ0#|\\[]{}")
texts = st.text(alphabet=st.sampled_from(TRICKY), min_size=1, max_size=12).filter(
    lambda t: t == t.strip() and "\x00" not in t
)


@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(title=texts, path=texts, name=texts, evidence=texts)
def test_csv_export_then_import_round_trips(
    ledger: Path, tmp_path: Path, title: str, path: str, name: str, evidence: str
) -> None:
    """Line breaks inside cells (also U+2028, U+0085, form feed), quotes, commas and formula
    characters survive export --format csv then import, exactly."""
    work = tmp_path / "round"
    work.mkdir(exist_ok=True)
    source = work / "ledger.toml"
    source.write_bytes(ledger.read_bytes())
    env = {"REFORMCTL_LEDGER": str(source)}
    args = ["point", "add", "R26-02", "--title", title, "--group", "economy", "--lead", "fgw"]
    added = run(*args, "--path", path, env=env)
    assert added.code == 0, added.stderr
    assert (
        run("milestone", "add", "R26-02/m", "--name", name, "--due", "2026-05-01", env=env).code
        == 0
    )
    assert run("done", "R26-02/m", "--on", "2026-05-02", "--evidence", evidence, env=env).code == 0
    out = work / "all.csv"
    assert run("export", "--format", "csv", "--out", str(out), "--force", env=env).code == 0
    target = work / "new.toml"
    target.unlink(missing_ok=True)
    new_env = {"REFORMCTL_LEDGER": str(target)}
    assert run("init", "--year", "2026", env=new_env).code == 0
    imported = run("import", str(out), env=new_env)
    assert imported.code == 0, imported.stderr
    point = load(target).valid().points["R26-02"]
    assert (point.title, point.path) == (title, path)
    assert [(m.name, m.evidence) for m in point.milestones] == [(name, evidence)]


def test_csv_import_keeps_unicode_line_separators_inside_rows(ledger: Path) -> None:
    """str.splitlines cut rows at U+2028, U+0085 and form feeds; the csv module does not."""
    text = "改革任务,牵头单位,专项小组,完成时限\n深化\u2028林\x85改\x0c一,省林业局,经济体制改革专项小组,2026-12-31\n"
    Path("t.csv").write_text(text, encoding="utf-8")
    result = run("import", "t.csv")
    assert result.code == 0, result.stderr
    assert load(ledger).valid().points["R26-02"].title == "深化\u2028林\x85改\x0c一"


# -- hostile files refused ------------------------------------------------------------------------
MEMORY_LIMIT = 2 << 30  # a lost guard fails the test with MemoryError, not the machine


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(*args: str) -> Run:
    """The CLI as a real process, in this folder, under a memory limit and a timeout: for the
    files that would eat the machine's memory or hang if their guard were lost."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "reformctl", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reformctl {' '.join(args)} ran for more than 60 s")
    return Run(proc.returncode, proc.stdout, proc.stderr)


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
HEADER = ["改革任务", "牵头单位", "专项小组", "完成时限"]
ROW = ["深化林改", "省林业局", "经济体制改革专项小组", "2026-12-31"]


def column(n: int) -> str:
    name = ""
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


def sheet_xml(rows: list[tuple[int, list[tuple[int, str]]]], dimension: str = "A1:D2") -> str:
    """A worksheet: the header's cells point into the shared strings, the others are inline."""
    body = []
    for r, cells in rows:
        cs = "".join(
            f'<c r="{column(c)}{r}" t="s"><v>{v[1:]}</v></c>'
            if v.startswith("#")
            else f'<c r="{column(c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
            for c, v in cells
        )
        body.append(f'<row r="{r}">{cs}</row>')
    return (
        f'{DECL}<worksheet xmlns="{NS}"><dimension ref="{dimension}"/>'
        f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    )


def xlsx_parts(sheet: str | None = None) -> dict[str, str]:
    """A minimal valid workbook, part by part: sheet 台账 with a header and one row."""
    shared = "".join(f"<si><t>{h}</t></si>" for h in HEADER)
    rows = [(1, [(i + 1, f"#{i}") for i in range(4)]), (2, list(enumerate(ROW, 1)))]
    return {
        "[Content_Types].xml": (
            f'{DECL}<Types xmlns="{PKG}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT_MAIN}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT_MAIN}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT_MAIN}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'{DECL}<Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'{DECL}<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
            '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{DECL}<Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": f'{DECL}<sst xmlns="{NS}" count="4" uniqueCount="4">{shared}</sst>',
        "xl/worksheets/sheet1.xml": sheet or sheet_xml(rows),
    }


def write_zip(path: Path, parts: dict[str, str | bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def refused(result: Run, ledger: Path, before: bytes, expected: str) -> None:
    """Exit 2, exactly the one expected line on stderr, nothing written."""
    assert (result.code, result.stderr) == (2, expected + "\n"), result
    assert ledger.read_bytes() == before


def test_the_minimal_workbook_imports(ledger: Path) -> None:
    """The builder makes a real workbook: the hostile variants below fail for their hostility."""
    write_zip(Path("ok.xlsx"), dict(xlsx_parts()))
    result = run("import", "ok.xlsx")
    assert result.code == 0, result.stderr
    assert load(ledger).valid().points["R26-02"].title == "深化林改"


def test_a_huge_declared_dimension_costs_nothing(ledger: Path) -> None:
    """A few KB declaring A1:XFD1048576 (it grew to 3 GB and died with MemoryError): the
    declared size is ignored, so the 150,000 rows before the last are empty, not 16,384 cells
    each, and the file imports as its cells say, in seconds."""
    rows = [
        (1, [(i + 1, f"#{i}") for i in range(4)]),
        (2, list(enumerate(ROW, 1))),
        (
            150_000,
            list(enumerate(["深化医改", "省医保局", "经济体制改革专项小组", "2026-10-31"], 1)),
        ),
    ]
    write_zip(Path("big.xlsx"), dict(xlsx_parts(sheet_xml(rows, "A1:XFD1048576"))))
    assert Path("big.xlsx").stat().st_size < 9_000
    result = run_bounded("import", "big.xlsx")
    assert result.code == 0, result.stderr
    points = load(ledger).valid().points
    assert (points["R26-02"].title, points["R26-03"].title) == ("深化林改", "深化医改")


def test_a_zip_bomb_of_whitespace_is_refused(ledger: Path) -> None:
    """200 MB of spaces inside the sheet, 200 KB on disk."""
    before = ledger.read_bytes()
    parts = xlsx_parts()
    sheet = parts.pop("xl/worksheets/sheet1.xml")
    head, tail = sheet.split("<sheetData>")
    with zipfile.ZipFile("bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w") as w:
            w.write((head + "<sheetData>").encode())
            spaces = b" " * (1 << 20)
            for _ in range(200):
                w.write(spaces)
            w.write(tail.encode())
    assert Path("bomb.xlsx").stat().st_size < 1 << 20
    result = run_bounded("import", "bomb.xlsx")
    assert result.code == 2, result
    assert result.stderr.startswith("bomb.xlsx: xl/worksheets/sheet1.xml 的压缩比 ")
    assert result.stderr.endswith(":1 超过上限 100:1（疑似压缩炸弹）\n")
    assert ledger.read_bytes() == before


def test_the_unpacked_size_is_bounded(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = ledger.read_bytes()
    write_zip(Path("ok.xlsx"), dict(xlsx_parts()))
    monkeypatch.setattr(spreadsheets.limits, "MAX_UNPACKED_BYTES", 2048)
    result = run("import", "ok.xlsx")
    refused(result, ledger, before, result.stderr.rstrip("\n"))
    assert result.stderr.startswith("ok.xlsx: 解压后共 ")
    assert result.stderr.endswith(" KiB，超过导入上限 2 KiB（疑似压缩炸弹）\n")


def test_a_zip_header_understating_a_part_is_refused(ledger: Path) -> None:
    """The declared sizes are what the limits check: a part whose header says less than it
    holds is cut at the declared size by zipfile and fails its CRC."""
    before = ledger.read_bytes()
    write_zip(Path("liar.xlsx"), dict(xlsx_parts()))
    data = bytearray(Path("liar.xlsx").read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")  # uncompressed size
    local = int.from_bytes(data[central + 42 : central + 46], "little")
    data[local + 22 : local + 26] = (100).to_bytes(4, "little")
    Path("liar.xlsx").write_bytes(bytes(data))
    result = run_bounded("import", "liar.xlsx")
    refused(result, ledger, before, result.stderr.rstrip("\n"))
    assert result.stderr.startswith("liar.xlsx: 不是可读取的 .xlsx 工作簿（")


LOL = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)
    )
    + "]>"
)


@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"]
)
def test_billion_laughs_is_refused(ledger: Path, part: str) -> None:
    before = ledger.read_bytes()
    parts = xlsx_parts()
    text = parts[part].replace(DECL, DECL + LOL)
    if part == "xl/workbook.xml":
        text = text.replace('name="台账"', 'name="&lol9;"')
    elif part == "xl/sharedStrings.xml":
        text = text.replace("<t>改革任务</t>", "<t>改革任务&lol9;</t>")
    else:
        text = text.replace("<t>深化林改</t>", "<t>深化林改&lol9;</t>")
    parts[part] = text
    write_zip(Path("lol.xlsx"), dict(parts))
    assert Path("lol.xlsx").stat().st_size < 4_000
    expected = "lol.xlsx: 工作簿含 XML 实体声明，拒绝读取（.xlsx 不需要实体，疑似“十亿笑”攻击）"
    refused(run("import", "lol.xlsx"), ledger, before, expected)


def test_any_entity_is_refused_not_only_a_large_one(ledger: Path) -> None:
    """One small entity, which expat alone would expand: defusedxml (a dependency) refuses it."""
    before = ledger.read_bytes()
    parts = xlsx_parts()
    sheet = parts["xl/worksheets/sheet1.xml"].replace(
        DECL, DECL + '<!DOCTYPE x [<!ENTITY a "林改">]>'
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("<t>深化林改</t>", "<t>深化&a;</t>")
    write_zip(Path("ent.xlsx"), dict(parts))
    expected = "ent.xlsx: 工作簿含 XML 实体声明，拒绝读取（.xlsx 不需要实体，疑似“十亿笑”攻击）"
    refused(run("import", "ent.xlsx"), ledger, before, expected)


def test_billion_laughs_message_in_english(ledger: Path) -> None:
    parts = xlsx_parts()
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(DECL, DECL + LOL)
    write_zip(Path("lol.xlsx"), dict(parts))
    result = run("--lang", "en", "import", "lol.xlsx")
    assert (result.code, result.stderr) == (
        2,
        "lol.xlsx: the workbook declares XML entities; refused (an .xlsx never needs them: a billion-laughs attack?)\n",
    )


def _truncated(path: Path) -> None:
    write_zip(path, dict(xlsx_parts()))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _text(path: Path) -> None:
    path.write_text("改革任务,牵头单位\n深化林改,省林业局\n", encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _missing_part(path: Path) -> None:
    parts = xlsx_parts()
    del parts["xl/worksheets/sheet1.xml"]
    write_zip(path, dict(parts))


def _bad_xml(path: Path) -> None:
    parts = xlsx_parts()
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:-20]
    write_zip(path, dict(parts))


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (_truncated, "File is not a zip file"),
        (_text, "File is not a zip file"),
        (_empty, "File is not a zip file"),
        (_bad_xml, None),
    ],
    ids=["truncated", "text", "empty", "broken-xml"],
)
def test_files_that_are_not_workbooks_are_refused(
    ledger: Path, make: Callable[[Path], None], why: str | None
) -> None:
    before = ledger.read_bytes()
    make(Path("t.xlsx"))
    result = run("import", "t.xlsx")
    assert result.stderr.startswith("t.xlsx: 不是可读取的 .xlsx 工作簿（"), result
    if why:
        assert result.stderr == f"t.xlsx: 不是可读取的 .xlsx 工作簿（{why}）\n"
    refused(result, ledger, before, result.stderr.rstrip("\n"))


def test_a_workbook_without_its_sheet_is_refused(ledger: Path) -> None:
    before = ledger.read_bytes()
    _missing_part(Path("t.xlsx"))
    refused(run("import", "t.xlsx"), ledger, before, "t.xlsx: 工作簿中没有工作表")


def test_xlsx_rows_past_the_limit_are_refused(ledger: Path) -> None:
    """A stray cell on row 1,048,576 (the empty rows before it would be walked one by one)."""
    before = ledger.read_bytes()
    rows = [
        (1, [(i + 1, f"#{i}") for i in range(4)]),
        (2, list(enumerate(ROW, 1))),
        (1048576, [(1, "x")]),
    ]
    write_zip(Path("rows.xlsx"), dict(xlsx_parts(sheet_xml(rows))))
    refused(
        run("import", "rows.xlsx"),
        ledger,
        before,
        "rows.xlsx: 工作表“台账”超过 200000 行（导入上限）",
    )


def test_xlsx_columns_past_the_limit_are_refused(ledger: Path) -> None:
    before = ledger.read_bytes()
    rows = [(1, [(i + 1, f"#{i}") for i in range(4)]), (2, [*enumerate(ROW, 1), (16384, "x")])]
    write_zip(Path("cols.xlsx"), dict(xlsx_parts(sheet_xml(rows))))
    expected = "cols.xlsx: 工作表“台账”第 2 行有 16384 列，超过导入上限 256 列"
    refused(run("import", "cols.xlsx"), ledger, before, expected)


def test_empty_cells_far_right_do_not_count(ledger: Path) -> None:
    """Formatting (an empty string cell) far to the right is not data: the row is trimmed."""
    rows = [(1, [(i + 1, f"#{i}") for i in range(4)]), (2, [*enumerate(ROW, 1), (300, "")])]
    write_zip(Path("wide.xlsx"), dict(xlsx_parts(sheet_xml(rows))))
    result = run("import", "wide.xlsx")
    assert result.code == 0, result.stderr


def test_too_many_parts_are_refused(ledger: Path) -> None:
    before = ledger.read_bytes()
    parts: dict[str, str | bytes] = dict(xlsx_parts())
    parts.update({f"junk/{i}.xml": "" for i in range(1000)})
    write_zip(Path("parts.xlsx"), parts)
    expected = "parts.xlsx: 压缩包内有 1006 个文件，超过上限 1000 个（不像 .xlsx 工作簿）"
    refused(run("import", "parts.xlsx"), ledger, before, expected)


def test_too_many_cells_are_refused(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = ledger.read_bytes()
    write_zip(Path("ok.xlsx"), dict(xlsx_parts()))
    monkeypatch.setattr(spreadsheets.limits, "MAX_CELLS", 5)
    refused(run("import", "ok.xlsx"), ledger, before, "ok.xlsx: 单元格超过 5 个（导入上限）")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_over_the_size_limit_is_refused(ledger: Path, suffix: str) -> None:
    """A sparse file: 64 MiB and one byte, nothing on disk."""
    before = ledger.read_bytes()
    with open(f"big{suffix}", "wb") as f:
        f.truncate(64 * 2**20 + 1)
    expected = f"big{suffix}: 文件大小 64.0 MiB，超过导入上限 64 MiB"
    refused(run("import", f"big{suffix}"), ledger, before, expected)


def test_a_million_row_csv_is_refused(ledger: Path) -> None:
    before = ledger.read_bytes()
    Path("rows.csv").write_text(
        "改革任务,牵头单位\n" + "深化林改,省林业局\n" * 1_000_000, encoding="utf-8"
    )
    result = run_bounded("import", "rows.csv")
    refused(result, ledger, before, "rows.csv: 超过 200000 行（导入上限）")
    english = run_bounded("--lang", "en", "import", "rows.csv")
    assert english.stderr == "rows.csv: more than 200000 rows (the import limit)\n"


def test_a_csv_with_too_many_columns_is_refused(ledger: Path) -> None:
    before = ledger.read_bytes()
    Path("cols.csv").write_text(",".join(["改革任务", *["x"] * 299]) + "\n", encoding="utf-8")
    refused(
        run("import", "cols.csv"),
        ledger,
        before,
        "cols.csv: 第 1 行有 300 列，超过导入上限 256 列",
    )


def test_a_csv_that_is_not_text_is_refused(ledger: Path) -> None:
    before = ledger.read_bytes()
    Path("bin.csv").write_bytes(b"\xff\xfe\xff\x00\x81")
    refused(
        run("import", "bin.csv"),
        ledger,
        before,
        "bin.csv: 不是 UTF-8、GBK 或 GB18030 编码的文本（偏移 0 处的字节 0xFF 无法解码；请在 Excel 或 WPS 中另存为“CSV UTF-8”）",
    )


def test_a_csv_cell_over_the_csv_modules_limit_is_refused(ledger: Path) -> None:
    before = ledger.read_bytes()
    Path("cell.csv").write_text(
        "改革任务,牵头单位\n" + '"' + "x" * 200_000 + '",省林业局\n', encoding="utf-8"
    )
    expected = "cell.csv:2: 无法按 CSV 读取：field larger than field limit (131072)"
    refused(run("import", "cell.csv"), ledger, before, expected)


def test_a_fifo_a_device_or_a_folder_is_refused(ledger: Path) -> None:
    """Reading a FIFO would block for ever, /dev/zero never end."""
    before = ledger.read_bytes()
    os.mkfifo("pipe.csv")
    Path("folder.xlsx").mkdir()
    expected = "{}: 不是普通文件（设备、管道或目录不能导入）"
    refused(run_bounded("import", "pipe.csv"), ledger, before, expected.format("pipe.csv"))
    refused(run_bounded("import", "folder.xlsx"), ledger, before, expected.format("folder.xlsx"))
    Path("zero.csv").symlink_to("/dev/zero")  # a device never ends
    refused(run_bounded("import", "zero.csv"), ledger, before, expected.format("zero.csv"))
    refused(run("import", "missing.csv"), ledger, before, "missing.csv: 文件不存在")


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8))
@example(flips=[(1958, 64)])  # "version needed to extract" 6.4: zipfile's NotImplementedError
def test_damaged_workbooks_never_crash(ledger: Path, flips: list[tuple[int, int]]) -> None:
    """Bytes of a valid workbook overwritten anywhere: exit 0 or 2, never 3, ledger intact."""
    before = ledger.read_bytes()
    write_zip(Path("d.xlsx"), dict(xlsx_parts()))
    data = bytearray(Path("d.xlsx").read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    Path("d.xlsx").write_bytes(bytes(data))
    result = run("import", "d.xlsx", "--dry-run")
    assert result.code in (0, 2), result
    if result.code == 2:
        assert len(result.stderr.splitlines()) == 1 or "无法识别" in result.stderr, result
    assert ledger.read_bytes() == before


def test_written_workbook_reads_back_exactly(tmp_path: Path) -> None:
    """The hand-written sheet XML: text that XML cannot hold, formula-like text, numbers,
    dates and a Share come back from import's reader exactly, text as text."""
    import datetime as dt

    from reformctl.render import Share
    from reformctl.render.xlsx import sheets_bytes

    texts = ["=1+1", "a\ufffeb\uffff", "_x0041_", "甲\r\n乙", " lead", "&<>\"'", "#N/A"]
    rows = [[t, 3, 2.5, Share(2 / 3), dt.date(2026, 6, 30), None, True] for t in texts]
    path = tmp_path / "w.xlsx"
    path.write_bytes(sheets_bytes({"台账": (["a", "b", "c", "d", "e", "f", "g"], rows)}))
    back = spreadsheets.read_table(path)["台账"]
    assert [r[0] for r in back[1:]] == texts
    assert back[1][1:5] == [3, 2.5, pytest.approx(2 / 3), dt.datetime(2026, 6, 30)]
    assert back[1][6] is True
    # openpyxl alone shows the OOXML escapes as written (_xFFFE_); import's reader undoes them
    assert_no_formula(path, [t for t in texts if "\ufffe" not in t and "_x" not in t])
