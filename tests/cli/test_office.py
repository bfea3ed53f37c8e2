"""rollover, export and import through the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reformctl.cli import whole_app
from reformctl.ledger.loader import load
from reformctl.model import Ledger
from tests.conftest import run

app = whole_app()


def test_rollover_carries_exactly_the_unfinished_work(sample: Path) -> None:
    before = sample.read_bytes()
    result = run("rollover", "--to-year", "2027")
    assert (
        result.stdout
        == "已生成 ledger-2027.toml：2027年台账，结转未完成工作要点 21 项（共 22 项）\n"
    )
    assert sample.read_bytes() == before
    old = load(sample).valid()
    new = load(sample.with_name("ledger-2027.toml")).valid()
    assert new.settings.year == 2027 and new.settings.title == "2027年全面深化改革工作要点台账"
    assert set(new.units) == set(old.units) and set(new.groups) == set(old.groups)
    unfinished = {
        p.id
        for p in old.points.values()
        if p.closed is None and any(m.done is None for m in p.milestones)
    }
    assert set(new.points) == unfinished
    for pid, point in new.points.items():
        assert point.carried_from == f"2026:{pid}"
        open_ms = [m for m in old.points[pid].milestones if m.done is None]
        assert [(m.key, m.due) for m in point.milestones] == [(m.key, m.due_now) for m in open_ms]
    assert run("fmt", "--check", env={"REFORMCTL_LEDGER": "ledger-2027.toml"}).code == 0


def test_rollover_refusals(sample: Path) -> None:
    assert run("rollover", "--to-year", "2027").code == 0
    again = run("rollover", "--to-year", "2027")
    assert (again.code, again.stderr) == (
        2,
        "ledger-2027.toml 已存在，不会覆盖它（确需覆盖请加 --force）\n",
    )
    assert run("rollover", "--to-year", "2026").code == 2


def same_ledger(a: Ledger, b: Ledger, progress: bool = True) -> None:
    assert list(a.points) == list(b.points)
    for pid, p in a.points.items():
        q = b.points[pid]
        assert (
            p.title,
            a.group_name(p.group),
            a.unit_name(p.lead),
            p.path,
            p.outcome,
            p.major,
        ) == (q.title, b.group_name(q.group), b.unit_name(q.lead), q.path, q.outcome, q.major)
        assert [a.unit_name(u) for u in p.units] == [b.unit_name(u) for u in q.units]
        assert [(m.key, m.name, m.due_now, m.done, m.evidence) for m in p.milestones] == [
            (m.key, m.name, m.due_now, m.done, m.evidence) for m in q.milestones
        ]
        assert (p.closed, p.closing_evidence) == (q.closed, q.closing_evidence)
        if progress:
            assert p.progress == q.progress


def test_export_then_import_gives_the_same_ledger(sample: Path, tmp_path: Path) -> None:
    assert run("export", "--format", "xlsx", "--out", "all.xlsx").stdout == "已导出 all.xlsx\n"
    target = tmp_path / "new"
    target.mkdir()
    env = {"REFORMCTL_LEDGER": str(target / "ledger.toml")}
    assert run("init", "--year", "2026", env=env).code == 0
    result = run("import", "all.xlsx", env=env)
    assert result.stdout == "已导入：工作要点 22 项、节点 72 个，新增单位 18 个、专项小组 5 个\n", (
        result.stderr
    )
    original, imported = load(sample).valid(), load(target / "ledger.toml").valid()
    same_ledger(original, imported)
    assert {k: u.name for k, u in imported.units.items()} == {
        k: u.name for k, u in original.units.items()
    }
    assert run("fmt", "--check", env=env).code == 0


def test_csv_round_trip(sample: Path, tmp_path: Path) -> None:
    run("export", "--format", "csv", "--out", "all.csv")
    assert Path("all.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    env = {"REFORMCTL_LEDGER": str(tmp_path / "n.toml")}
    run("init", "--year", "2026", env=env)
    assert run("import", "all.csv", env=env).code == 0
    same_ledger(load(sample).valid(), load(tmp_path / "n.toml").valid(), progress=False)


def test_json_export(sample: Path) -> None:
    import json

    run("export", "--format", "json", "--out", "all.json")
    data = json.loads(Path("all.json").read_text(encoding="utf-8"))
    platform = data["points"][3]["milestones"][1]
    assert platform["extensions"][0]["to"] == "2026-10-31" and platform["due"] == "2026-08-31"


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "2026年改革任务台账"
    for row in rows:
        ws.append(row)
    wb.save(path)


HAND = [
    ["2026年度全面深化改革重点任务推进台账"],
    [],
    ["序号", "改革任务", "牵头单位", "责任单位", "工作措施", "成果形式", "完成时限", "进展情况"],
    [
        1,
        "深化医保支付方式改革",
        "省医保局",
        "省卫健委、省财政厅",
        "推进DRG付费",
        "政策文件",
        "2026年6月底",
        "已印发方案",
    ],
    [
        2,
        "深化医保支付方式改革",
        "省医保局",
        "省卫健委、省财政厅",
        "推进DRG付费",
        "政策文件",
        dt.datetime(2026, 12, 20),
        "",
    ],
    [3, "推进不动产登记一网通办", "省自然资源厅", "", "数据共享", "工作机制", "2026/9/30", ""],
]


def test_import_a_hand_made_taizhang(ledger: Path) -> None:
    write_xlsx(Path("台账.xlsx"), HAND)
    refused = run("import", "台账.xlsx")
    assert refused.code == 2  # no 专项小组 column and no --group: every row is refused
    assert "台账.xlsx:2026年改革任务台账:4: 没有“专项小组”列，请用 --group 指定" in refused.stderr
    result = run("import", "台账.xlsx", "--group", "economy")
    assert result.code == 0, result.stderr
    ledger_ = load(ledger).valid()
    new = ledger_.points["R26-02"]
    assert new.title == "深化医保支付方式改革" and ledger_.unit_name(new.lead) == "省医保局"
    assert [ledger_.unit_name(u) for u in new.units] == ["省卫健委", "省财政厅"]
    assert [(m.key, m.due) for m in new.milestones] == [
        ("m1", dt.date(2026, 6, 30)),
        ("m2", dt.date(2026, 12, 20)),
    ]
    assert new.progress[0].text == "已印发方案" and new.progress[0].month == "2026-11"
    assert ledger_.points["R26-03"].milestones[0].due == dt.date(2026, 9, 30)
    assert run("fmt", "--check").code == 0


def test_bad_rows_refuse_the_whole_import_unless_skipped(ledger: Path) -> None:
    rows = [
        *HAND,
        [4, "", "省医保局", "", "", "", "2026-10-01", ""],
        [5, "某任务", "省医保局", "", "", "", "2026年2月30日", ""],
    ]
    write_xlsx(Path("台账.xlsx"), rows)
    before = ledger.read_bytes()
    result = run("import", "台账.xlsx", "--group", "economy")
    assert result.code == 2
    assert result.stderr.splitlines() == [
        "台账.xlsx:2026年改革任务台账:7:B: “改革任务”：“工作要点”为空",
        "台账.xlsx:2026年改革任务台账:8:G: “完成时限”：无法识别的日期“2026年2月30日”：该日期不存在",
        "台账.xlsx: 2 行无法识别，未导入任何内容（加 --skip-bad 跳过这些行）",
    ]
    assert ledger.read_bytes() == before
    dry = run("import", "台账.xlsx", "--group", "economy", "--dry-run", "--skip-bad")
    assert dry.code == 0 and "将导入：工作要点 2 项、节点 3 个" in dry.stdout
    assert ledger.read_bytes() == before
    assert run("import", "台账.xlsx", "--group", "economy", "--skip-bad").code == 0
    assert set(load(ledger).valid().points) == {"R26-01", "R26-02", "R26-03"}


def test_gb18030_csv(ledger: Path) -> None:
    text = (
        "改革任务,牵头单位,专项小组,完成时限\n深化林改,省林业局,经济体制改革专项小组,2026-12-31\n"
    )
    Path("t.csv").write_bytes(text.encode("gb18030"))
    assert run("import", "t.csv").code == 0
    assert load(ledger).valid().points["R26-02"].title == "深化林改"


def test_import_refusals(ledger: Path) -> None:
    Path("t.txt").write_text("x")
    assert (
        run("import", "t.txt").stderr
        == "不支持的文件类型 .txt（可用 .xlsx .xlsm .xls .ods .csv .docx）\n"
    )
    assert run("import", "missing.xlsx").code == 2
    assert run("import", "t.txt", "--group", "nope").code == 2


def test_import_rechecks_under_the_lock(ledger: Path) -> None:
    """A point added by someone else between planning and writing is not duplicated."""
    from reformctl.errors import RefusedChange
    from reformctl.intake import read_for_import
    from reformctl.ledger import changes
    from reformctl.ledger.edit import Source

    write_xlsx(Path("台账.xlsx"), HAND)
    _, plan, _ = read_for_import(
        Path("台账.xlsx"), load(ledger).valid(), year=None, default_group="economy", month="2026-11"
    )
    assert (
        run(
            "point", "add", "R26-02", "--title", "别人先加的", "--group", "economy", "--lead", "fgw"
        ).code
        == 0
    )
    import pytest

    with pytest.raises(RefusedChange):
        changes.import_tables(Source.read(ledger), plan)


def stdout_bytes(*args: str) -> bytes:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_out_dash_is_standard_output(ledger: Path, fmt: str) -> None:
    """`--out -` writes to standard output, never a file named "-"."""
    data = stdout_bytes("export", "--format", fmt, "--out", "-")
    assert not Path("-").exists()
    if fmt == "json":
        assert json.loads(data)["ledger"]["title"] == "测试台账"
    elif fmt == "csv":
        assert data.decode("utf-8-sig").startswith("序号,编号,工作要点")
    else:
        openpyxl = pytest.importorskip("openpyxl")
        assert data[:2] == b"PK"  # a workbook, whole, and nothing else
        assert openpyxl.load_workbook(io.BytesIO(data))["台账"]["A1"].value == "测试台账"


def test_template_and_report_out_dash(ledger: Path) -> None:
    assert stdout_bytes("export", "--unit", "lyj", "--template", "--out", "-")[:2] == b"PK"
    report = run("report", "year", "--out", "-")
    assert report.code == 0 and "年终总账" in report.stdout
    assert not Path("-").exists()
