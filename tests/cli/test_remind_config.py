"""The ``[units.KEY.remind]`` table: `check` refuses a literal URL or secret and a CI platform's
own variable (file:line:col), a write refuses to add one, and only the office may change the
table (`review`, in a real git repository)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_review import FOREST, OFFICE, SHARED, commit, edit, git
from tests.conftest import BASE, run, write_ledger

REMIND = """
[units.fgw.remind]
dingtalk = "env:FGW_DINGTALK_URL"
dingtalk_secret = "env:FGW_DINGTALK_SECRET"
wecom = "env:FGW_WECOM_URL"
feishu = "env:FGW_FEISHU_URL"
feishu_secret = "env:FGW_FEISHU_SECRET"
email = ["王磊 <wanglei@fgw.example>"]
"""


def with_remind(table: str) -> str:
    return BASE.replace("[units.lyj]\n", table.lstrip("\n") + "\n[units.lyj]\n", 1)


def line_col(text: str, needle: str) -> str:
    lines = text.splitlines()
    return f"{next(i for i, line in enumerate(lines, 1) if line.startswith(needle))}:1"


def test_env_names_are_accepted(tmp_path: Path) -> None:
    write_ledger(tmp_path, with_remind(REMIND))
    result = run("check")
    assert result.code == 1, result.stderr  # R26-01/pilot is overdue; no error
    assert "remind" not in result.stderr


@pytest.mark.parametrize(
    ("key", "value", "word"),
    [
        ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=s3cr3t", "env:"),
        ("feishu_secret", "s3cr3t", "env:"),
        ("dingtalk_secret", "env:", "env:"),
        ("wecom", "env:CI_JOB_TOKEN", "CI_JOB_TOKEN"),
        ("feishu", "env:GITHUB_TOKEN", "GITHUB_TOKEN"),
        ("dingtalk", "env:RUNNER_TEMP", "RUNNER_TEMP"),
    ],
)
def test_check_refuses_a_literal_or_a_ci_variable(
    tmp_path: Path, key: str, value: str, word: str
) -> None:
    table = REMIND.replace(f'\n{key} = "', f'\n{key} = "{value}" # "', 1)
    text = with_remind(table)
    path = write_ledger(tmp_path, text)
    result = run("--lang", "en", "check", "--format", "json", cwd=tmp_path)
    assert result.code == 2
    errors = json.loads(result.stdout)["errors"]
    assert len(errors) == 1, errors
    error = errors[0]
    assert f"{error['line']}:{error['col']}" == line_col(text, f"{key} =")
    assert error["file"].endswith(path.name)
    assert word in error["message"] and key in error["message"]
    assert "s3cr3t" not in result.stdout + result.stderr  # the secret is never shown
    text_result = run("check")
    assert text_result.code == 2
    assert f"ledger.toml:{line_col(text, f'{key} =')}:" in text_result.stdout


def test_unknown_keys_and_bad_addresses_are_refused(tmp_path: Path) -> None:
    table = REMIND.replace('email = ["王磊 <wanglei@fgw.example>"]', 'email = ["王磊"]\nsms = "x"')
    write_ledger(tmp_path, with_remind(table))
    result = run("--lang", "en", "check")
    assert result.code == 2
    assert "unknown field sms" in result.stdout
    assert "王磊" in result.stdout


def test_a_write_is_refused_while_the_ledger_holds_a_literal(tmp_path: Path) -> None:
    # the rule is one of the rules every write runs: nothing is written, the line is named
    text = with_remind(REMIND.replace('"env:FGW_WECOM_URL"', '"https://qyapi.example/x"'))
    path = write_ledger(tmp_path, text)
    result = run("unit", "add", "czt", "省财政厅", cwd=tmp_path)
    assert result.code == 2
    assert f"ledger.toml:{line_col(text, 'wecom =')}:" in result.stderr
    assert path.read_text(encoding="utf-8") == text


def test_only_the_office_may_change_a_remind_table(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    ledger = repo / "ledger.toml"
    table = '\n[units.lyj.remind]\ndingtalk = "env:LYJ_DINGTALK_URL"\n'
    shared = SHARED.replace("[units.czt]", table.lstrip("\n") + "\n[units.czt]")
    ledger.write_text(shared, encoding="utf-8")
    commit(repo, OFFICE, "台账")
    git(repo, "tag", "base")
    edit(ledger, '"env:LYJ_DINGTALK_URL"', '"env:LYJ_OTHER_URL"')
    commit(repo, FOREST, "单位自己改提醒地址")
    result = run("review", "base", "--format", "json", cwd=repo)
    assert result.code == 1, result.stderr
    changes = json.loads(result.stdout)["commits"][0]["changes"]
    assert [(c["ok"], c["reason"]) for c in changes] == [(False, "office-only")]
    git(repo, "reset", "-q", "--hard", "base")
    edit(ledger, '"env:LYJ_DINGTALK_URL"', '"env:LYJ_OTHER_URL"')
    commit(repo, OFFICE, "办公室改提醒地址")
    assert run("review", "base", cwd=repo).code == 0
