"""Every date option takes the forms offices write (reformctl.datetext), through the real CLI:
deadlines for --due and --to, days for --on, --since and --today (and REFORMCTL_TODAY), months
for --month; the ledger's year completes 6月30日; refusals are one line naming the option, what
was typed and the hint, and write nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from tests.conftest import BASE, run, run_process, write_ledger

D = dt.date


def one_line_refusal(
    args: list[str], ledger: Path, *parts: str, env: dict[str, str] | None = None
) -> None:
    before = ledger.read_bytes()
    result = run(*args, env=env)
    assert result.code == 2, result
    assert len(result.stderr.splitlines()) == 1, result.stderr
    for part in parts:
        assert part in result.stderr, (part, result.stderr)
    assert ledger.read_bytes() == before
    assert sorted(p.name for p in ledger.parent.iterdir()) == [ledger.name]


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("2026-06-30", D(2026, 6, 30)),
        ("2026/7/1", D(2026, 7, 1)),
        ("2026.7.1", D(2026, 7, 1)),
        ("2026年7月1日", D(2026, 7, 1)),
        ("7月1日", D(2026, 7, 1)),
        ("６月３０日", D(2026, 6, 30)),
        ("2026年6月", D(2026, 6, 30)),
        ("6月底前", D(2026, 6, 30)),
        ("年底前", D(2026, 12, 31)),
        ("上半年", D(2026, 6, 30)),
        ("下半年", D(2026, 12, 31)),
        ("第三季度", D(2026, 9, 30)),
        ("三季度末", D(2026, 9, 30)),
        ("2026年第三季度", D(2026, 9, 30)),
        ("第3季度", D(2026, 9, 30)),
        ("9月30日前", D(2026, 9, 30)),
    ],
)
def test_due_takes_every_deadline_form(ledger: Path, typed: str, due: dt.date) -> None:
    result = run("milestone", "add", "R26-01/x", "--name", "评估", "--due", typed)
    assert result.code == 0, result.stderr
    assert load(ledger).valid().points["R26-01"].milestone("x").due == due  # type: ignore[union-attr]


def test_the_ledgers_year_completes_a_date_without_one(tmp_path: Path) -> None:
    """The ledger's year, not today's: a 2025 ledger judged on 2026-11-28."""
    path = write_ledger(
        tmp_path, BASE.replace("year = 2026", "year = 2025").split("\n[points.R26-01.milestones")[0]
    )
    assert run("milestone", "add", "R26-01/a", "--name", "a", "--due", "6月30日").code == 0
    assert run("milestone", "add", "R26-01/b", "--name", "b", "--due", "年底前").code == 0
    assert run("done", "R26-01/a", "--on", "6月29日", "--evidence", "x").code == 0
    point = load(path).valid().points["R26-01"]
    assert [(m.key, m.due, m.done) for m in point.milestones] == [
        ("a", D(2025, 6, 30), D(2025, 6, 29)),
        ("b", D(2025, 12, 31), None),
    ]


def test_on_to_and_edit_due(ledger: Path) -> None:
    assert run("extend", "R26-01/pilot", "--to", "年底前", "--reason", "待核定").code == 0
    ms = load(ledger).valid().points["R26-01"].milestone("pilot")
    assert ms is not None and ms.due_now == D(2026, 12, 31)
    assert run("done", "R26-01/pilot", "--on", "2026年11月2日", "--evidence", "e").code == 0
    assert run("edit", "R26-01/pilot", "--due", "三季度末").code == 0
    ms = load(ledger).valid().points["R26-01"].milestone("pilot")
    assert ms is not None and (ms.due, ms.done) == (D(2026, 9, 30), D(2026, 11, 2))
    assert run("close", "R26-01", "--evidence", "e", "--on", "11月20日").code == 0
    assert load(ledger).valid().points["R26-01"].closed == D(2026, 11, 20)


@pytest.mark.parametrize(
    ("typed", "month"), [("10月", "2026-10"), ("2026年9月", "2026-09"), ("2026-08", "2026-08")]
)
def test_month_forms(ledger: Path, typed: str, month: str) -> None:
    assert run("log", "R26-01", "进展", "--month", typed).code == 0
    entries = {e.month: e.text for e in load(ledger).valid().points["R26-01"].progress}
    assert entries[month] == "进展"


REFUSALS = [
    (
        ["milestone", "add", "R26-01/x", "--name", "n", "--due", "2026.10"],
        "--due 的日期 2026.10 无法识别（这是数字，不是日期：Excel 把键入的 2026.10 存成数字 2026.1",
    ),
    (
        ["milestone", "add", "R26-01/x", "--name", "n", "--due", "持续推进"],
        "--due 的日期 持续推进 无法识别（持续性工作没有完成时限",
    ),
    (
        ["milestone", "add", "R26-01/x", "--name", "n", "--due", "下个月"],
        "--due 的日期 下个月 无法识别（完成时限写作 2026-06-30",
    ),
    (
        ["milestone", "add", "R26-01/x", "--name", "n", "--due", "2026-02-30"],
        "--due 的日期 2026-02-30 不存在",
    ),
    (
        ["extend", "R26-01/pilot", "--to", "2026.1", "--reason", "r"],
        "--to 的日期 2026.1 无法识别（这是数字",
    ),
    (["edit", "R26-01/pilot", "--due", "常态化"], "--due 的日期 常态化 无法识别（持续性工作"),
    (["done", "R26-01/pilot", "--on", "6月底"], "--on 的日期 6月底 无法识别（这里需要具体日期"),
    (
        ["done", "R26-01/pilot", "--on", "9月30日前"],
        "--on 的日期 9月30日前 无法识别（这里需要具体日期",
    ),
    (["done", "R26-01/pilot", "--on", "上半年"], "--on 的日期 上半年 无法识别（这里需要具体日期"),
    (
        ["done", "R26-01/pilot", "--on", "2026年6月"],
        "--on 的日期 2026年6月 无法识别（这里需要具体日期",
    ),
    (
        ["close", "R26-01", "--evidence", "e", "--on", "年底"],
        "--on 的日期 年底 无法识别（这里需要具体日期",
    ),
    (
        ["meeting", "add", "M26-01", "--on", "三季度", "--theme", "T"],
        "--on 的日期 三季度 无法识别（这里需要具体日期",
    ),
    (
        [
            "pilot",
            "add",
            "P-x",
            "--name",
            "n",
            "--place",
            "p",
            "--kind",
            "一县一特色",
            "--unit",
            "fgw",
            "--since",
            "2026.3",
        ],
        "--since 的日期 2026.3 无法识别（这是数字",
    ),
    (
        [
            "publicity",
            "add",
            "PR-1",
            "--outlet",
            "o",
            "--level",
            "own",
            "--kind",
            "article",
            "--title",
            "t",
            "--on",
            "7月",
        ],
        "--on 的日期 7月 无法识别（这里需要具体日期",
    ),
    (["log", "R26-01", "x", "--month", "2026.11"], "--month 的月份 2026.11 无法识别（这是数字"),
    (
        ["log", "R26-01", "x", "--month", "十一月"],
        "--month 的月份 十一月 无法识别（月份写作 2026-11、2026年11月 或 11月）",
    ),
    (["--today", "6月30日", "check"], "--today 的日期 6月30日 无法识别（请写明年份"),
    (["--today", "年底", "check"], "--today 的日期 年底 无法识别（这里需要具体日期"),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=[" ".join(a) for a, _ in REFUSALS])
def test_refusals_name_the_option_and_the_hint(ledger: Path, args: list[str], message: str) -> None:
    one_line_refusal(args, ledger, message)


def test_refusals_in_english(ledger: Path) -> None:
    one_line_refusal(
        ["--lang", "en", "milestone", "add", "R26-01/x", "--name", "n", "--due", "2026.10"],
        ledger,
        "--due: cannot read the date 2026.10 (a number, not a date: Excel keeps a typed 2026.10 as the number 2026.1",
    )
    one_line_refusal(
        ["--lang", "en", "done", "R26-01/pilot", "--on", "6月底"],
        ledger,
        "--on: cannot read the date 6月底 (a day is needed here",
    )


@pytest.mark.parametrize(
    "typed", ["2026年6月30日", "2026/6/30", "2026.6.30", "２０２６－０６－３０"]
)
def test_today_takes_day_forms(ledger: Path, typed: str) -> None:
    assert run("--today", typed, "check").code == 0  # R26-01/pilot is due today, not overdue
    assert run("check", env={"REFORMCTL_TODAY": typed}).code == 0
    assert run("check", env={"REFORMCTL_TODAY": "2026年7月1日"}).code == 1


def test_reformctl_today_refusal_names_the_variable(ledger: Path) -> None:
    one_line_refusal(
        ["check"],
        ledger,
        "REFORMCTL_TODAY 的日期 上半年 无法识别",
        env={"REFORMCTL_TODAY": "上半年"},
    )


def test_a_real_process_reads_a_chinese_deadline(ledger: Path, tmp_path: Path) -> None:
    result = run_process(
        "milestone", "add", "R26-01/x", "--name", "n", "--due", "年底前", cwd=tmp_path
    )
    assert result.code == 0, result.stderr
    refused = run_process("done", "R26-01/pilot", "--on", "6月底", cwd=tmp_path)
    assert (refused.code, len(refused.stderr.splitlines())) == (2, 1), refused
    assert "--on 的日期 6月底 无法识别" in refused.stderr
    ms = load(ledger).valid().points["R26-01"].milestone("x")
    assert ms is not None and ms.due == D(2026, 12, 31)


def test_import_reads_deadline_phrases_and_refuses_a_bare_number(ledger: Path) -> None:
    """A CSV's 完成时限 in the office's words; its cells are text, so 2026.10 is refused by row."""
    Path("t.csv").write_text(
        "改革任务,牵头单位,专项小组,完成时限,完成日期\n"
        "甲,省林业局,经济体制改革专项小组,6月底前,6月20日\n"
        "乙,省林业局,经济体制改革专项小组,第三季度,\n"
        "丙,省林业局,经济体制改革专项小组,2026.10,\n"
        "丁,省林业局,经济体制改革专项小组,年底前,2026年6月\n",
        encoding="utf-8",
    )
    before = ledger.read_bytes()
    result = run("import", "t.csv")
    assert result.code == 2
    # each refusal names its column too (issue 21, import-rows)
    assert "t.csv:4:D: “完成时限”：无法识别的日期“2026.10”：这是数字，不是日期" in result.stderr
    assert "t.csv:5:E: “完成日期”：无法识别的日期“2026年6月”：这里需要具体日期" in result.stderr
    assert ledger.read_bytes() == before
    assert run("import", "t.csv", "--skip-bad").code == 0
    points = {p.title: p for p in load(ledger).valid().points.values()}
    assert [(m.due, m.done) for m in points["甲"].milestones] == [(D(2026, 6, 30), D(2026, 6, 20))]
    assert [m.due for m in points["乙"].milestones] == [D(2026, 9, 30)]
    assert "丙" not in points and "丁" not in points
