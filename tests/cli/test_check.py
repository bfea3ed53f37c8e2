from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import BASE, run, write_ledger


def test_valid_and_nothing_overdue_exits_0(tmp_path: Path) -> None:
    write_ledger(tmp_path, BASE)
    result = run("--today", "2026-05-01", "check")
    assert result.code == 0, result.stdout
    assert result.stdout == "ledger.toml: 台账有效，1 项工作要点、2 个节点，无逾期节点\n"


def test_overdue_exits_1_and_names_the_due_line(ledger: Path) -> None:
    result = run("check")  # REFORMCTL_TODAY = 2026-11-28: pilot is 151 days overdue
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "ledger.toml:35:1: 节点 R26-01/pilot「开展试点」逾期151天（时限 2026-06-30，牵头：省林业局）"
    )
    assert lines[-1] == "ledger.toml: 台账有效；1 个节点逾期，0 个即将到期"


def test_due_soon_warns_and_fail_on(ledger: Path) -> None:
    assert run("--today", "2026-06-25", "check").code == 0
    assert run("--today", "2026-06-25", "check", "--fail-on", "due-soon").code == 1
    assert run("check", "--fail-on", "never").code == 0
    assert run("check", "--grace", "200").code == 0
    assert run("check", "--grace", "150").code == 1


def test_invalid_ledger_exits_2_with_every_problem(tmp_path: Path) -> None:
    text = BASE.replace('lead = "lyj"', 'lead = "xyz"').replace(
        "due = 2026-06-30", 'due = "2026-06-30"'
    )
    path = write_ledger(tmp_path, text)
    before = path.read_bytes()
    result = run("check")
    assert result.code == 2
    assert result.stdout.splitlines() == [
        "ledger.toml:21:1: 工作要点 R26-01 引用了未声明的单位 xyz",
        "    提示: 先用 reformctl unit add xyz 名称 声明该单位",
        "ledger.toml:35:1: 节点 R26-01/pilot 的字段 due 应为日期，实为字符串",
        "    提示: 日期不加引号：due = 2026-06-30",
        "ledger.toml: 发现 2 个问题",
    ]
    assert path.read_bytes() == before


def test_syntax_error_file_line_col(tmp_path: Path) -> None:
    write_ledger(tmp_path, BASE.replace("due = 2026-06-30", "due = 2026-02-30"))
    result = run("--lang", "en", "check")
    assert result.code == 2
    assert result.stdout.startswith(
        "ledger.toml:35:17: not a valid date or time: "
        "date: expected day between 1 and 28 (inclusive), saw 30\n"
        "    hint: dates must exist, e.g. 2026-02-28\n"
    )


def test_done_in_future_is_an_error_in_check(ledger: Path) -> None:
    result = run("--today", "2026-03-27", "check")
    assert result.code == 2
    assert (
        "ledger.toml:27:1: 节点 R26-01/plan 的完成日期 2026-03-28 晚于今天 2026-03-27"
        in result.stdout
    )


def test_json_shape(ledger: Path) -> None:
    result = run("check", "--format", "json")
    assert result.code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["errors"] == []
    (item,) = data["overdue"]
    assert {"point", "milestone", "name", "due", "days_overdue", "lead", "group"} <= item.keys()
    assert (item["point"], item["milestone"], item["due"], item["days_overdue"], item["line"]) == (
        "R26-01",
        "pilot",
        "2026-06-30",
        151,
        35,
    )
    assert "开展试点" in result.stdout  # UTF-8, not \u escapes


def test_json_errors(tmp_path: Path) -> None:
    write_ledger(tmp_path, BASE.replace('group = "economy"', 'group = "eco"'))
    result = run("--lang", "en", "check", "--format", "json")
    assert result.code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert len(data["errors"][0].pop("fingerprint")) == 64
    assert data["errors"] == [
        {
            "file": "ledger.toml",
            "line": 20,
            "col": 1,
            "code": "undeclared-group",
            "message": "work point R26-01 refers to an undeclared group eco",
            "hint": "did you mean economy?",
        }
    ]


def test_github_annotations(ledger: Path) -> None:
    result = run("--today", "2026-06-25", "check", "--format", "github", "--soon", "10")
    assert result.code == 0
    assert result.stdout == (
        "::warning file=ledger.toml,line=35,col=1,title=5天后到期 R26-01/pilot::"
        "节点 R26-01/pilot「开展试点」5天后到期（时限 2026-06-30，牵头：省林业局）\n"
    )
    result = run("check", "--format", "github")
    assert result.stdout.startswith(
        "::error file=ledger.toml,line=35,col=1,title=逾期151天 R26-01/pilot::"
    )


def test_github_escapes_properties_and_data(tmp_path: Path) -> None:
    from reformctl.model import Loc
    from reformctl.render.ci import github_command

    line = github_command("error", Loc("a,b:c.toml", 3, 1), "t:1,2", "50%\nnext")
    assert line == "::error file=a%2Cb%3Ac.toml,line=3,col=1,title=t%3A1%2C2::50%25%0Anext"
