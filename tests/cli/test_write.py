"""Every write command through the CLI: what it changes (only its lines) and every refusal
(exit 2, one clear line, the ledger byte for byte unchanged)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from tests.conftest import BASE, run, write_ledger


def diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---")) and line not in ("+", "-")
    ]


def write(ledger: Path, *args: str) -> list[str]:
    before = ledger.read_text(encoding="utf-8")
    result = run(*args)
    assert result.code == 0, result.stderr
    after = ledger.read_text(encoding="utf-8")
    assert load(ledger).problems == []
    assert run("fmt", "--check").code == 0
    return diff(before, after)


def test_unit_and_group_add(ledger: Path) -> None:
    assert write(ledger, "unit", "add", "czt", "省财政厅") == ["+[units.czt]", '+name = "省财政厅"']
    assert write(ledger, "group", "add", "health", "医药卫生体制改革专项小组", "--lead", "czt") == [
        "+[groups.health]",
        '+name = "医药卫生体制改革专项小组"',
        '+lead = "czt"',
    ]


def test_point_add_in_id_order(ledger: Path) -> None:
    assert write(
        ledger, "point", "add", "R26-00", "--title", "前置", "--group", "economy", "--lead", "fgw"
    ) == [
        "+[points.R26-00]",
        '+title = "前置"',
        '+group = "economy"',
        '+lead = "fgw"',
        "+units = []",
        '+path = ""',
        '+outcome = ""',
        "+major = false",
    ]
    lines = write(
        ledger,
        "point",
        "add",
        "R26-02",
        "--title",
        "末尾",
        "--group",
        "economy",
        "--lead",
        "lyj",
        "-u",
        "fgw",
        "--path",
        "路径",
        "--outcome",
        "成果",
        "--major",
    )
    assert lines[:1] == ["+[points.R26-02]"]
    text = ledger.read_text(encoding="utf-8")
    assert (
        text.index("[points.R26-00]")
        < text.index("[points.R26-01]")
        < text.index("[points.R26-02]")
    )
    assert text.endswith("major = true\n")


def test_milestone_add_after_the_last_milestone(ledger: Path) -> None:
    assert write(
        ledger, "milestone", "add", "R26-01/review", "--name", "评估", "--due", "2026-12-20"
    ) == ["+[points.R26-01.milestones.review]", '+name = "评估"', "+due = 2026-12-20"]
    text = ledger.read_text(encoding="utf-8")
    assert text.index("milestones.review]") < text.index("[points.R26-01.progress]")


def test_done_defaults_to_today_and_undone(ledger: Path) -> None:
    assert write(ledger, "done", "R26-01/pilot", "--evidence", "闽林〔2026〕9号") == [
        "+done = 2026-11-28",
        '+evidence = "闽林〔2026〕9号"',
    ]
    assert write(ledger, "undone", "R26-01/pilot") == [
        "-done = 2026-11-28",
        '-evidence = "闽林〔2026〕9号"',
    ]
    assert write(ledger, "done", "R26-01/pilot", "--on", "2026-07-02") == ["+done = 2026-07-02"]


def test_extend_keeps_the_baseline(ledger: Path) -> None:
    assert write(
        ledger,
        "extend",
        "R26-01/pilot",
        "--to",
        "2026-09-30",
        "--reason",
        "试点县调整",
        "--approved-by",
        "fgw",
        "--approved-on",
        "2026-08-15",
    ) == [
        "+extensions = [",
        '+  { to = 2026-09-30, reason = "试点县调整", approved_by = "fgw", granted = 2026-11-28, '
        "approved_on = 2026-08-15 },",
        "+]",
    ]
    lines = write(ledger, "extend", "R26-01/pilot", "--to", "2026-12-31", "--reason", "再延")
    assert lines[-1] == (
        '+  { to = 2026-12-31, reason = "再延", granted = 2026-11-28, approved_on = 2026-11-28 },'
    )
    ms = load(ledger).valid().points["R26-01"].milestones[1]
    assert (ms.due.isoformat(), ms.due_now.isoformat(), len(ms.extensions)) == (
        "2026-06-30",
        "2026-12-31",
        2,
    )


def test_log_defaults_to_this_month_and_replace(ledger: Path) -> None:
    assert write(ledger, "log", "R26-01", "试点启动") == ['+2026-11 = "试点启动"']
    assert write(ledger, "log", "R26-01", "更正", "--month", "2026-11", "--replace") == [
        '-2026-11 = "试点启动"',
        '+2026-11 = "更正"',
    ]


def test_log_creates_the_progress_table(tmp_path: Path) -> None:
    path = write_ledger(
        tmp_path, BASE.replace('\n[points.R26-01.progress]\n2026-03 = "实施方案已印发"\n', "")
    )
    assert write(path, "log", "R26-01", "首条", "--month", "2026-04") == [
        "+[points.R26-01.progress]",
        '+2026-04 = "首条"',
    ]


def test_close_and_reopen(ledger: Path) -> None:
    write(ledger, "done", "R26-01/pilot", "--on", "2026-07-01")
    assert write(
        ledger, "close", "R26-01", "--evidence", "闽改办〔2026〕30号", "--on", "2026-07-10"
    ) == ["+closed = 2026-07-10", '+closing_evidence = "闽改办〔2026〕30号"']
    assert load(ledger).valid().points["R26-01"].closed is not None
    assert write(ledger, "reopen", "R26-01") == [
        "-closed = 2026-07-10",
        '-closing_evidence = "闽改办〔2026〕30号"',
    ]


def test_edit_point_and_milestone(ledger: Path) -> None:
    assert write(ledger, "edit", "R26-01", "--title", "新标题", "--not-major", "--no-units") == [
        '-title = "深化集体林权制度改革"',
        '+title = "新标题"',
        '-units = ["fgw"]',
        "+units = []",
        "-major = true",
        "+major = false",
    ]
    assert write(ledger, "edit", "R26-01/pilot", "--name", "新节点", "--due", "2026-07-15") == [
        '-name = "开展试点"',
        "-due = 2026-06-30",
        '+name = "新节点"',
        "+due = 2026-07-15",
    ]


def test_remove_milestone_and_point(ledger: Path) -> None:
    assert write(ledger, "milestone", "remove", "R26-01/pilot") == [
        "-[points.R26-01.milestones.pilot]",
        '-name = "开展试点"',
        "-due = 2026-06-30",
    ]
    write(ledger, "point", "remove", "R26-01", "--force")
    assert load(ledger).valid().points == {}


REFUSALS = [
    (["unit", "add", "fgw", "重复"], "ledger.toml: 单位 fgw 已存在"),
    (["unit", "add", "a b", "名称"], "单位编号 a b 不合法（编号只能包含字母、数字、- 和 _）"),
    (["unit", "add", "czt", " "], "NAME 不能为空"),
    (["group", "add", "economy", "重复", "--lead", "fgw"], "专项小组 economy 已存在"),
    (["group", "add", "g2", "新组", "--lead", "nobody"], "ledger.toml: 未知的单位 nobody"),
    (
        ["point", "add", "R26-01", "--title", "t", "--group", "economy", "--lead", "fgw"],
        "工作要点 R26-01 已存在",
    ),
    (
        ["point", "add", "R26-09", "--title", "t", "--group", "eco", "--lead", "fgw"],
        "未知的专项小组 eco",
    ),
    (
        [
            "point",
            "add",
            "R26-09",
            "--title",
            "t",
            "--group",
            "economy",
            "--lead",
            "fgw",
            "-u",
            "x",
        ],
        "未知的单位 x",
    ),
    (
        [
            "point",
            "add",
            "R26-09",
            "--title",
            "t",
            "--group",
            "economy",
            "--lead",
            "fgw",
            "-u",
            "lyj",
            "-u",
            "lyj",
        ],
        "配合单位重复",
    ),
    (
        ["point", "add", "R/9", "--title", "t", "--group", "economy", "--lead", "fgw"],
        "编号 R/9 不合法",
    ),
    (
        ["milestone", "add", "R26-09/a", "--name", "n", "--due", "2026-12-01"],
        "未知的工作要点 R26-09",
    ),
    (["milestone", "add", "R26-01/plan", "--name", "n", "--due", "2026-12-01"], "已有节点 plan"),
    (
        ["milestone", "add", "R26-01/x", "--name", "n", "--due", "2026-02-30"],
        "--due 的日期 2026-02-30 不存在",
    ),
    (
        ["milestone", "add", "R26-01", "--name", "n", "--due", "2026-12-01"],
        "R26-01 应为 工作要点编号/节点编号 形式",
    ),
    (["done", "R26-01/nope"], "工作要点 R26-01 没有节点 nope"),
    (
        ["done", "R26-01/plan"],
        "节点 R26-01/plan 已于 2026-03-28 完成（如需更正，先运行 reformctl undone R26-01/plan）",
    ),
    (["done", "R26-01/pilot", "--on", "2026-11-29"], "--on 的日期 2026-11-29 晚于今天 2026-11-28"),
    (["undone", "R26-01/pilot"], "节点 R26-01/pilot 尚未完成"),
    (["extend", "R26-01/pilot", "--to", "2026-06-30", "--reason", "r"], "不晚于现时限 2026-06-30"),
    (
        ["extend", "R26-01/plan", "--to", "2026-12-30", "--reason", "r"],
        "已于 2026-03-28 完成，无需延期",
    ),
    (
        ["extend", "R26-01/pilot", "--to", "2026-12-30", "--reason", "r", "--approved-by", "zz"],
        "未知的单位 zz",
    ),
    (["extend", "R26-01/pilot", "--to", "2026-12-30", "--reason", ""], "--reason 不能为空"),
    (
        ["log", "R26-01", "x", "--month", "2026-03"],
        "已有 2026-03 的月度进展：实施方案已印发（如需替换，加 --replace）",
    ),
    (
        ["log", "R26-01", "x", "--month", "2026-13"],
        "--month 的月份 2026-13 无法识别（月份写作 2026-11、2026年11月 或 11月）",
    ),
    (["log", "R26-01", "x", "--month", "2026-12"], "月份 2026-12 尚未到来"),
    (["log", "R26-09", "x"], "未知的工作要点 R26-09"),
    (
        ["close", "R26-01", "--evidence", "x"],
        "工作要点 R26-01 尚有未完成节点：pilot「开展试点」，不能销号",
    ),
    (["close", "R26-01"], "用法错误"),
    (["reopen", "R26-01"], "工作要点 R26-01 未销号"),
    (["edit", "R26-01"], "没有给出要修改的字段"),
    (["edit", "R26-01", "--due", "2026-01-01"], "R26-01 不能使用 --name/--due"),
    (["edit", "R26-01/plan", "--lead", "fgw"], "R26-01/plan 不能使用 --lead"),
    (["edit", "R26-01", "--lead", "zz"], "未知的单位 zz"),
    (
        ["point", "remove", "R26-01"],
        "R26-01 已记录事实（1 done, 1 progress entries），不予删除（确需删除请加 --force）",
    ),
    (["milestone", "remove", "R26-01/plan"], "R26-01/plan 已记录事实（done 2026-03-28），不予删除"),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=[" ".join(a) for a, _ in REFUSALS])
def test_refusals_leave_the_ledger_unchanged(ledger: Path, args: list[str], message: str) -> None:
    before = ledger.read_bytes()
    result = run(*args)
    assert result.code == 2
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert ledger.read_bytes() == before
    assert sorted(p.name for p in ledger.parent.iterdir()) == ["ledger.toml"]  # no lock, no temp


def test_closed_point_takes_no_more_changes(tmp_path: Path) -> None:
    text = BASE.replace("due = 2026-06-30", "due = 2026-06-30\ndone = 2026-06-29").replace(
        "major = true", 'major = true\nclosed = 2026-07-01\nclosing_evidence = "闽改办〔2026〕1号"'
    )
    path = write_ledger(tmp_path, text)
    before = path.read_bytes()
    for args in (
        ["undone", "R26-01/pilot"],
        ["log", "R26-01", "x"],
        ["milestone", "add", "R26-01/x", "--name", "n", "--due", "2026-12-01"],
    ):
        result = run(*args)
        assert result.code == 2
        assert (
            "已于 2026-07-01 销号" in result.stderr and "reformctl reopen R26-01" in result.stderr
        )
    assert path.read_bytes() == before


def test_write_refused_on_a_broken_ledger(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, BASE.replace("due = 2026-06-30", "due = 2026-06-31"))
    before = path.read_bytes()
    result = run("done", "R26-01/pilot")
    assert result.code == 2
    assert result.stderr.startswith("ledger.toml:35:17: 日期或时间无效")
    assert path.read_bytes() == before


def test_english_messages(ledger: Path) -> None:
    assert run("--lang", "en", "done", "R26-01/pilot", "--on", "2026-07-01").stdout == (
        "recorded R26-01/pilot done on 2026-07-01 (evidence: —)\n"
    )
    assert run("--lang", "en", "done", "R26-01/pilot").stderr == (
        "milestone R26-01/pilot is already done (on 2026-07-01) (to correct it: reformctl undone R26-01/pilot)\n"
    )


def test_write_keeps_the_file_mode(ledger: Path) -> None:
    ledger.chmod(0o640)
    assert run("done", "R26-01/pilot").code == 0
    assert ledger.stat().st_mode & 0o777 == 0o640
