"""list, show, overdue, progress through the CLI: filters, formats, JSON keys, refusals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import run


def test_list_json_contract_keys(sample: Path) -> None:
    result = run("list", "--format", "json")
    assert result.code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 22
    assert {"id", "title", "group", "lead", "status", "progress"} <= rows[0].keys()
    by_id = {r["id"]: r for r in rows}
    assert by_id["R26-09"]["status"] == "closed"
    assert by_id["R26-02"]["status"] == "overdue"
    assert by_id["R26-01"]["status"] == "on_track"
    assert by_id["R26-01"]["progress"] == 0.8
    assert {r["status"] for r in rows} <= {
        "not_started",
        "ahead",
        "on_track",
        "behind",
        "overdue",
        "done",
        "closed",
    }


def test_list_filters(sample: Path) -> None:
    ids = lambda *a: [r["id"] for r in json.loads(run("list", "--format", "json", *a).stdout)]  # noqa: E731
    assert ids("--major") == ["R26-01", "R26-02"]
    assert ids("--unit", "lyj") == [
        "R26-01",
        "R26-07",
        "R26-09",
    ]  # leads R26-01, co-operates on the rest
    assert ids("--group", "health") == ["R26-02", "R26-14", "R26-15"]
    assert ids("--status", "overdue") == [
        "R26-02",
        "R26-05",
        "R26-08",
        "R26-11",
        "R26-14",
        "R26-17",
        "R26-21",
    ]
    assert ids("--status", "overdue", "--group", "health", "--major") == ["R26-02"]


def test_list_refuses_unknown_filters(sample: Path) -> None:
    result = run("list", "--unit", "nope")
    assert (result.code, result.stderr) == (2, "ledger.toml: 未知的单位 nope\n")
    result = run("list", "--status", "late")
    assert result.code == 2
    assert result.stderr.startswith("--status 为“late”，应为：未开始、")


def test_list_csv_is_parseable(sample: Path) -> None:
    rows = list(csv.reader(io.StringIO(run("list", "--format", "csv").stdout)))
    assert rows[0] == ["编号", "工作要点", "专项小组", "牵头单位", "状态", "完成进度", "序时进度"]
    assert rows[1][:2] == ["R26-01", "深化集体林权制度改革（林改）"]
    assert len(rows) == 23


def test_show_json(sample: Path) -> None:
    data = json.loads(run("show", "R26-04", "--format", "json").stdout)
    platform = next(m for m in data["milestones"] if m["key"] == "platform")
    assert platform["baseline_due"] == "2026-08-31"
    assert platform["due"] == "2026-10-31"
    assert platform["state"] == "done"
    assert platform["extensions"][0]["reason"] == "税务数据接口联调未完成"


def test_show_unknown_point(sample: Path) -> None:
    result = run("show", "R26-99")
    assert (result.code, result.stderr) == (
        2,
        "ledger.toml: 未知的工作要点 R26-99（是否应为 R26-19、R26-09？）\n",
    )
    result = run("--lang", "en", "show", "X-99")
    assert result.stderr == "ledger.toml: unknown work point X-99\n"


def test_overdue_most_overdue_first_and_soon(sample: Path) -> None:
    rows = json.loads(run("overdue", "--format", "json").stdout)
    assert [r["days_overdue"] for r in rows] == [89, 59, 28, 28, 13, 8, 1]
    assert rows[0] == {
        **rows[0],
        "point": "R26-11",
        "milestone": "rules",
        "name": "出台职务科技成果单列管理办法",
        "due": "2026-08-31",
        "lead": "kjt",
        "group": "economy",
    }
    soon = json.loads(run("overdue", "--soon", "7", "--format", "json").stdout)
    assert [r["days_overdue"] for r in soon][-3:] == [-2, -2, -5]
    extended = next(r for r in soon if r["point"] == "R26-12")
    assert (extended["due"], extended["baseline_due"], extended["extensions"]) == (
        "2026-11-30",
        "2026-09-30",
        1,
    )


def test_overdue_filters(sample: Path) -> None:
    rows = json.loads(run("overdue", "--unit", "ggb", "--format", "json").stdout)
    assert [(r["point"], r["milestone"]) for r in rows] == [("R26-05", "cases")]
    assert json.loads(run("overdue", "--major", "--format", "json").stdout)[0]["point"] == "R26-02"


def test_overdue_working_days(sample: Path) -> None:
    rows = json.loads(
        run("--today", "2026-10-10", "overdue", "--working-days", "--format", "json").stdout
    )
    salary = next(r for r in rows if r["milestone"] == "salary")
    assert (
        salary["days_overdue"] == 3
    )  # 8, 9 and 10 October (调休): the holiday week does not count
    result = run("--today", "2027-01-05", "overdue", "--working-days", "--format", "json")
    assert result.code == 0
    assert "chinese-calendar 不含 2027 年" in result.stderr


def test_progress_json_contract(sample: Path) -> None:
    rows = json.loads(run("progress", "--format", "json").stdout)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    keys = {
        "rank",
        "key",
        "name",
        "milestones",
        "due_to_date",
        "done",
        "done_late",
        "overdue",
        "completion",
        "expected",
    }
    assert keys <= rows[0].keys()
    seen_overdue = False
    for r in rows:
        seen_overdue |= r["overdue"] > 0
        assert not (seen_overdue and r["overdue"] == 0)
    top = rows[0]
    assert top["completion"] == round(top["done"] / top["milestones"], 4)


def test_progress_by_each(sample: Path) -> None:
    for by, n in (("unit", 14), ("group", 5), ("point", 22), ("coop", 15)):
        assert len(json.loads(run("progress", "--by", by, "--format", "json").stdout)) == n
    result = run("progress", "--by", "city")
    assert result.code == 2


def test_invalid_ledger_refused_with_one_line(tmp_path: Path, sample: Path) -> None:
    text = (
        sample.read_text(encoding="utf-8")
        .replace('lead = "lyj"', 'lead = "xx"')
        .replace('group = "health"', 'group = "heath"', 1)
    )
    sample.write_text(text, encoding="utf-8")
    result = run("list")
    assert result.code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("ledger.toml:")
    assert result.stderr == (
        "ledger.toml:95:1: 工作要点 R26-01 引用了未声明的单位 xx（先用 reformctl unit add xx 名称 声明该单位）"
        "（另有 1 个问题，运行 reformctl check 查看全部）\n"
    )


def test_warning_lights_and_no_color(sample: Path) -> None:
    coloured = run(
        "overdue", "--format", "table", env={"FORCE_COLOR": "1", "TERM": "xterm-256color"}
    )
    assert "\x1b[31m" in coloured.stdout  # red: overdue
    assert (
        "\x1b[33m"
        in run(
            "overdue",
            "--soon",
            "7",
            "--format",
            "table",
            env={"FORCE_COLOR": "1", "TERM": "xterm-256color"},
        ).stdout
    )  # yellow: due soon
    plain = run("overdue", "--format", "table", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[31m" not in plain.stdout and "\x1b[33m" not in plain.stdout
    assert "\x1b[" not in run("overdue", "--format", "table").stdout  # not a terminal: no codes
