"""Unit members and the office's unit: the form of a member, the reference to the office."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import BASE, run, write_ledger


def test_members_and_office_unit_are_accepted(tmp_path: Path) -> None:
    text = BASE.replace(
        'name = "省发改委"\n',
        'name = "省发改委"\nmembers = ["王磊 <wanglei@fgw.example>", "ops@fgw.example"]\n',
    ).replace('timezone = "Asia/Shanghai"\n', 'timezone = "Asia/Shanghai"\noffice_unit = "fgw"\n')
    write_ledger(tmp_path, text)
    assert run("check", "--fail-on", "never").code == 0


def test_a_malformed_member_is_a_problem_at_its_line(tmp_path: Path) -> None:
    text = BASE.replace(
        'name = "省林业局"\n', 'name = "省林业局"\nmembers = ["郑涛 zhengtao", "郑涛 <zt@lyj>"]\n'
    )
    write_ledger(tmp_path, text)
    result = run("check")
    assert result.code == 2
    line = text.splitlines().index('members = ["郑涛 zhengtao", "郑涛 <zt@lyj>"]') + 1
    assert f"ledger.toml:{line}:1: 单位 lyj 的成员 郑涛 zhengtao 格式不对" in result.stdout
    assert "zt@lyj" not in result.stdout.split("格式不对")[1]
    english = run("--lang", "en", "check")
    assert 'member 郑涛 zhengtao is not "Name <email>" or an email' in english.stdout


def test_members_must_be_strings(tmp_path: Path) -> None:
    text = BASE.replace('name = "省林业局"\n', 'name = "省林业局"\nmembers = "zt@lyj.example"\n')
    write_ledger(tmp_path, text)
    result = run("check")
    assert result.code == 2
    assert "members 应为字符串数组" in result.stdout


def test_office_unit_must_be_declared(tmp_path: Path) -> None:
    text = BASE.replace(
        'timezone = "Asia/Shanghai"\n', 'timezone = "Asia/Shanghai"\noffice_unit = "ggb"\n'
    )
    write_ledger(tmp_path, text)
    result = run("check")
    assert result.code == 2
    assert "ledger.toml:7:1: [ledger] 表 引用了未声明的单位 ggb" in result.stdout
