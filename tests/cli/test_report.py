"""Reports: golden Markdown and HTML, the workbook read back cell by cell, the HTML parsed,
the cut-off at the period's end, the quarterly findings, refusals."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from reformctl.reports import as_of, period_of
from tests.conftest import DATA, GOLDEN, run

GOLDEN_REPORTS = [
    ("half", ["report", "half", "--period", "1"], "zh"),
    ("half", ["report", "half", "--period", "2"], "en"),
    ("year", ["report", "year"], "zh"),
    ("quarter", ["report", "quarter", "--period", "3"], "zh"),
]


@pytest.mark.parametrize(("name", "args", "lang"), GOLDEN_REPORTS, ids=lambda v: str(v))
@pytest.mark.parametrize("ext", [".md", ".html"])
def test_golden_reports(
    sample: Path, tmp_path: Path, name: str, args: list[str], lang: str, ext: str
) -> None:
    out = tmp_path / f"report{ext}"
    result = run("--lang", lang, *args, "--out", str(out))
    assert result.code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    golden = GOLDEN / f"report-{'-'.join(args[1:])}.{lang}{ext}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_period_and_cut_off() -> None:
    assert period_of("half", 2026, 1).end == dt.date(2026, 6, 30)
    assert period_of("quarter", 2028, 1).end == dt.date(2028, 3, 31)
    assert period_of("quarter", 2026, 4).start == dt.date(2026, 10, 1)
    ledger = load(DATA / "golden-ledger.toml").valid()
    june = as_of(ledger, dt.date(2026, 6, 5))
    standard = june.points["R26-08"].milestones[0]
    assert (standard.done, standard.evidence) == (None, None)  # done on 12 June: later
    assert june.points["R26-09"].closed is None  # closed in October
    assert not june.points["R26-04"].milestones[1].extensions  # granted in August
    assert [e.month for e in june.points["R26-02"].progress][-1] == "2026-06"


def test_half_year_circular_as_it_stood(sample: Path) -> None:
    data = json.loads(
        run("--today", "2026-06-05", "report", "half", "--out", "r.json").stdout
        and Path("r.json").read_text(encoding="utf-8")
    )
    overdue = {(r["point"], r["milestone"]) for r in data["sections"]["overdue"]}
    assert ("R26-08", "standard") in overdue
    headline = data["sections"]["headline"]
    assert headline["points_closed"] == 0
    assert data["as_of"] == "2026-06-05" and data["period"]["end"] == "2026-06-30"
    november = json.loads(
        run("report", "half", "--period", "2", "--out", "n.json").stdout
        and Path("n.json").read_text(encoding="utf-8")
    )
    assert [r["id"] for r in november["sections"]["closed"]] == ["R26-09"]
    ext = {r["milestone"]: r for r in november["sections"]["extensions"]}
    assert (ext["platform"]["days_moved"], ext["platform"]["times"]) == (61, 1)


def test_year_end_carries_over_exactly_the_unfinished(sample: Path) -> None:
    run("report", "year", "--out", "y.json")
    data = json.loads(Path("y.json").read_text(encoding="utf-8"))
    carried = {r["id"] for r in data["sections"]["carry_over"]}
    ledger = load(Path("ledger.toml")).valid()
    assert carried == {
        p.id
        for p in ledger.points.values()
        if p.closed is None and any(m.done is None for m in p.milestones)
    }
    assert len(data["sections"]["points"]) == 22
    accounts = {r["unit"]: r for r in data["sections"]["accounts"]}
    assert accounts["wjw"]["overdue"] == 1 and accounts["zrt"]["done_late"] == 1


def test_quarter_finds_missing_months(sample: Path) -> None:
    run("report", "quarter", "--period", "3", "--out", "q.json")
    data = json.loads(Path("q.json").read_text(encoding="utf-8"))
    assert data["sections"]["findings"] == [
        {"point": "R26-02", "month": "2026-08", "finding": "missing-entry"}
    ]
    entries = {r["id"]: r["entries"] for r in data["sections"]["monthly_entries"]}
    assert entries["R26-02"] == {"2026-07": True, "2026-08": False, "2026-09": True}


def test_xlsx_read_back_cell_by_cell(sample: Path) -> None:
    from openpyxl import load_workbook

    assert run("report", "half", "--period", "2", "--out", "r.xlsx").code == 0
    wb = load_workbook("r.xlsx")
    assert wb.sheetnames == [
        "一、总体情况",
        "二、各牵头单位进度排名",
        "三、各专项小组进度排名",
        "四、逾期未完成节点",
        "五、延期情况",
        "六、已销号工作要点",
    ]
    ranking = wb["二、各牵头单位进度排名"]
    # a title and an as-of row above the header; the header row repeats on every printed page
    assert ranking["A1"].value == "2026年全面深化改革工作要点台账·下半年通报"
    assert ranking["A2"].value == "2026年7月1日至12月31日，截至2026年11月28日"
    assert ranking.freeze_panes == "A4"
    assert ranking.print_title_rows == "$3:$3"
    assert ranking.page_setup.orientation == "landscape" and ranking.page_setup.paperSize == 9
    assert ranking.page_setup.fitToWidth == 1 and ranking.page_setup.fitToHeight == 0
    assert ranking.sheet_properties.pageSetUpPr.fitToPage
    header = [c.value for c in ranking[3]]
    assert header == [
        "排名",
        "牵头单位",
        "节点数",
        "应完成",
        "已完成",
        "逾期完成",
        "逾期",
        "完成率",
        "序时进度",
        "预警",
    ]
    assert ranking["A3"].font.bold
    assert [ranking.cell(row=4, column=i).value for i in (1, 2, 3)] == [1, "省国资委", 3]
    assert ranking["H4"].value == pytest.approx(2 / 3) and ranking["H4"].number_format == "0%"
    # 序时进度 is a number with a percentage format too, not the text "67%"
    assert isinstance(ranking["I4"].value, float) and ranking["I4"].number_format == "0%"
    assert ranking.column_dimensions["B"].width >= 12  # CJK names are two cells wide
    overdue = wb["四、逾期未完成节点"]
    first = [c.value for c in overdue[4]]
    assert first[0] == "R26-11/rules" and first[-2:] == ["逾期89天", "红"]
    # a due date, extended or not, is a date cell
    dues = [r[4] for r in overdue.iter_rows(min_row=4, values_only=True) if r[0]]
    assert dues and all(isinstance(d, dt.datetime) for d in dues)
    assert overdue["E4"].number_format == "yyyy-mm-dd"
    # the warning lights: a 预警 column, and conditional formatting that fills the row
    rules = {
        r.formula[0]: r.dxf.fill.fgColor.rgb
        for cf in overdue.conditional_formatting
        for r in cf.rules
    }
    assert rules == {'$G4="红"': "00FFC7CE", '$G4="黄"': "00FFEB9C", '$G4="灰"': "00EDEDED"}
    data_rows = [r for r in ranking.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    lights = [r[9] for r in data_rows]
    overdue_counts = [r[6] for r in data_rows]
    assert [light == "红" for light in lights] == [n > 0 for n in overdue_counts]
    assert "黄" in lights
    figures = wb["一、总体情况"]
    headline = {r[0]: r[1] for r in figures.iter_rows(min_row=4, values_only=True)}
    assert headline["逾期未完成"] == 7
    assert isinstance(headline["完成率"], float)
    completion = next(c for c in figures["B"] if isinstance(c.value, float))
    assert completion.number_format == "0%"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.h2: list[str] = []
        self._in_h2 = False
        self.bars = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_h2 = tag == "h2"
        if tag == "div" and ("class", "expected") in attrs:
            self.bars += 1

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.h2.append(data)
            self._in_h2 = False


def test_html_page_is_self_contained_and_complete(sample: Path) -> None:
    run("report", "half", "--period", "2", "--out", "r.html")
    text = Path("r.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert page.h2 == [
        "一、总体情况",
        "二、各牵头单位进度排名",
        "三、各专项小组进度排名",
        "四、逾期未完成节点",
        "五、延期情况",
        "六、已销号工作要点",
    ]
    assert page.bars == 14 + 5  # a bar for every unit and every group
    assert "@page { size: A4" in text
    assert "<script" not in text and "http" not in text.replace("https://", "")  # nothing fetched
    assert page.tags.count("table") == 6


def test_csv_report(sample: Path) -> None:
    run("report", "year", "--out", "y.csv")
    assert Path("y.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(Path("y.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["2026年全面深化改革工作要点台账·年终总账"]
    assert ["二、工作要点销号情况"] in rows


def test_terminal_report(sample: Path) -> None:
    result = run("report", "quarter", "--period", "3")
    assert result.code == 0
    assert "缺少 2026-08 月度进展" in result.stdout


def test_report_refusals(sample: Path) -> None:
    result = run("report", "half", "--out", "r.pdf")
    assert (result.code, result.stderr) == (
        2,
        "不支持的输出格式 .pdf（可用 .docx .md .html .xlsx .csv .json）\n",
    )
    assert not Path("r.pdf").exists()
    assert run("report", "quarter", "--period", "5").code == 2
    assert run("report", "half", "--period", "0").code == 2


def test_html_renders_in_headless_chromium(sample: Path, tmp_path: Path) -> None:
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("headless Chromium is not installed here")
    run("report", "half", "--period", "2", "--out", "r.html")
    shot = tmp_path / "page.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=900,1400",
            Path("r.html").resolve().as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.exists() and shot.stat().st_size > 10_000


# -- reports as data: the JSON is the records, in no language ----------------------------------
KINDS = [["half", "--period", "2"], ["year"], ["quarter", "--period", "3"]]


@pytest.mark.parametrize("args", KINDS, ids=lambda a: a[0])
def test_report_json_is_its_data_in_no_language(sample: Path, args: list[str]) -> None:
    zh = run("--lang", "zh", "report", *args, "--format", "json")
    en = run("--lang", "en", "report", *args, "--format", "json")
    assert zh.code == en.code == 0, zh.stderr
    assert zh.stdout == en.stdout  # words are the rendering's: the data has none
    assert run("report", *args, "--out", "r.json").code == 0
    assert Path("r.json").read_text(encoding="utf-8") == zh.stdout
    data = json.loads(zh.stdout)
    assert data["report"] == args[0]
    assert data["as_of"] == {"quarter": "2026-09-30"}.get(args[0], "2026-11-28")
    assert dt.date.fromisoformat(data["written"]) == dt.date(2026, 11, 28)
    assert "title" not in data and data["ledger_title"] == "2026年全面深化改革工作要点台账"


def test_half_year_json_has_numbers_dates_ids_and_names(sample: Path) -> None:
    data = json.loads(run("report", "half", "--period", "2", "--format", "json").stdout)
    ledger = as_of(load(Path("ledger.toml")).valid(), dt.date(2026, 11, 28))
    s = data["sections"]
    headline = s["headline"]
    done = sum(1 for p in ledger.points.values() for m in p.milestones if m.done is not None)
    assert isinstance(headline["completion"], float)  # a number, not "67%"
    assert headline["completion"] == round(done / headline["milestones"], 4)
    assert headline["due_to_date"] == (
        headline["done_on_time"]
        + headline["done_late"]
        + headline["overdue"]
        + headline["due_today_open"]
    )
    for record in s["overdue"]:
        point = ledger.points[record["point"]]
        assert record["lead"] == point.lead and record["lead_name"] == ledger.unit_name(point.lead)
        assert record["group_name"] == ledger.group_name(point.group)
        assert dt.date.fromisoformat(record["due"]) < dt.date(2026, 11, 28)
    for row in s["ranking_unit"]:
        assert row["name"] == ledger.unit_name(row["key"])
        assert 0 <= row["completion"] <= 1 and 0 <= row["expected"] <= 1
    (platform,) = [e for e in s["extensions"] if e["milestone"] == "platform"]
    assert platform["lead_name"] == ledger.unit_name(platform["lead"])
    assert isinstance(platform["reasons"], list) and platform["reasons"]
    assert [(c["id"], c["lead_name"]) for c in s["closed"]] == [
        (p.id, ledger.unit_name(p.lead)) for p in ledger.points.values() if p.closed
    ]


def test_every_key_of_the_report_data_is_documented() -> None:
    """docs/reports.md names every field of every record the JSON is made of."""
    import dataclasses

    from reformctl import reportdata

    doc = (Path(__file__).resolve().parents[2] / "docs" / "reports.md").read_text("utf-8")
    section = doc.split("### The JSON: a report's data")[1].split("\n## ")[0]
    records = [
        v
        for v in vars(reportdata).values()
        if dataclasses.is_dataclass(v) and v.__module__ == reportdata.__name__
    ]
    assert len(records) > 10
    # named otherwise in the JSON: a report's kind is its "report"; the quarter's missing
    # entries and overdue milestones are its "findings"
    elsewhere = {"Report.kind", "Quarter.missing"}
    missing = [
        f"{r.__name__}.{f.name}"
        for r in records
        for f in dataclasses.fields(r)
        if f"`{f.name}`" not in section and f'"{f.name}"' not in section
    ]
    assert set(missing) <= elsewhere, missing


@pytest.mark.parametrize("fmt", ["markdown", "csv", "plain"])
def test_report_format_prints_what_out_writes(sample: Path, fmt: str) -> None:
    printed = run("report", "year", "--format", fmt)
    assert printed.code == 0, printed.stderr
    if fmt == "plain":
        assert printed.stdout == run("report", "year").stdout  # piped: plain, as before
        return
    ext = {"markdown": "md", "csv": "csv"}[fmt]
    assert run("report", "year", "--out", f"y.{ext}").code == 0
    assert printed.stdout == Path(f"y.{ext}").read_text(encoding="utf-8-sig")


def test_report_format_and_out_together_are_refused(sample: Path) -> None:
    result = run("report", "half", "--format", "json", "--out", "h.json")
    assert result.code == 2
    assert result.stderr.endswith(
        "--format 用于输出到终端；写入文件时格式由 --out 的扩展名决定，二者只能用其一\n"
    )
    assert not Path("h.json").exists()


def test_render_words_the_records_alone() -> None:
    """Every output is made from the records, with no ledger behind them: a name changed in a
    record is the name every format prints, in either language."""
    import dataclasses

    from reformctl.render.circular import report_json, shown
    from reformctl.render.report import markdown
    from reformctl.reports.build import half_year

    ledger = load(DATA / "golden-ledger.toml").valid()
    report = half_year(ledger, 2026, 2, dt.date(2026, 11, 28))
    first = report.overdue[0]
    renamed = dataclasses.replace(
        report,
        overdue=(dataclasses.replace(first, lead_name="某某单位"), *report.overdue[1:]),
        ledger_title="某台账",
    )
    for lang in ("zh", "en"):
        text = markdown(shown(renamed, lang))
        assert "某某单位" in text and "某台账" in text
    assert report_json(renamed)["sections"]["overdue"][0]["lead_name"] == "某某单位"
