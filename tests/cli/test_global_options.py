"""--ledger / REFORMCTL_LEDGER / walking up, --today / REFORMCTL_TODAY, --lang, errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import BASE, run, write_ledger


def test_found_by_walking_up(tmp_path: Path) -> None:
    write_ledger(tmp_path, BASE)
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    os.chdir(deep)
    result = run("list", "--format", "json")
    assert result.code == 0
    assert json.loads(result.stdout)[0]["id"] == "R26-01"


def test_not_found(tmp_path: Path) -> None:
    result = run("list")
    assert result.code == 2
    assert result.stderr.startswith("找不到台账文件 ledger.toml")


def test_explicit_and_env_ledger(tmp_path: Path) -> None:
    other = write_ledger(tmp_path, BASE.replace("测试台账", "另一台账"), "other.toml")
    assert "另一台账" in run("--ledger", str(other), "list").stdout
    assert "另一台账" in run("list", env={"REFORMCTL_LEDGER": str(other)}).stdout
    result = run("--ledger", "missing.toml", "list")
    assert (result.code, result.stderr) == (2, "missing.toml: 台账文件不存在\n")


def test_today_pins(ledger: Path) -> None:
    assert run("--today", "2026-06-30", "check").code == 0  # due today is not overdue
    assert run("--today", "2026-07-01", "check").code == 1
    assert run("check", env={"REFORMCTL_TODAY": "2026-06-30"}).code == 0


@pytest.mark.parametrize("bad", ["2026-02-30", "6月底", "7月1日", "tomorrow"])
def test_bad_today_is_a_usage_error(ledger: Path, bad: str) -> None:
    result = run("--today", bad, "check")
    assert result.code == 2
    assert len(result.stderr.splitlines()) == 1
    assert bad in result.stderr


def test_real_clock_used_when_not_pinned(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    monkeypatch.delenv("REFORMCTL_TODAY")
    from reformctl import clock

    frozen = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)  # 1 July in Shanghai
    monkeypatch.setattr(clock, "_instant", lambda: frozen)
    assert clock.today("Asia/Shanghai") == dt.date(2026, 7, 1)
    assert clock.today("UTC") == dt.date(2026, 6, 30)
    assert run("check").code == 1  # pilot, due 30 June, is overdue on 1 July in Shanghai


def test_lang(ledger: Path) -> None:
    assert (
        run("--lang", "en", "show", "R26-99").stderr == "ledger.toml: unknown work point R26-99\n"
    )
    assert run("show", "R26-99", env={"REFORMCTL_LANG": "en"}).stderr.startswith(
        "ledger.toml: unknown"
    )
    assert run("show", "R26-99", env={"LANG": "en_US.UTF-8"}).stderr.startswith(
        "ledger.toml: unknown"
    )
    assert run("show", "R26-99").stderr == "ledger.toml: 未知的工作要点 R26-99\n"
    assert run("--lang", "fr", "list").code == 2


def test_ledger_lang_setting_beats_LANG(tmp_path: Path) -> None:
    write_ledger(
        tmp_path,
        BASE.replace('timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghai"\nlang = "en"'),
    )
    assert run("show", "R26-99", env={"LANG": "zh_CN.UTF-8"}).stderr.startswith(
        "ledger.toml: unknown"
    )


def test_usage_errors_are_one_line(ledger: Path) -> None:
    result = run("list", "--bogus")
    assert result.code == 2
    assert (
        result.stderr
        == "reformctl list: 用法错误：没有选项 --bogus（运行 reformctl list --help 查看用法）\n"
    )


def test_internal_error_no_traceback_unless_debug(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reformctl import ranking

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(ranking, "ranking", boom)
    result = run("progress")
    assert result.code == 3
    assert (
        result.stderr
        == "reformctl: 内部错误：RuntimeError: boom（请用 --debug 重试并报告此问题）\n"
    )
    with pytest.raises(RuntimeError):
        run("--debug", "progress")


def test_version() -> None:
    from reformctl import __version__

    assert run("--version").stdout == f"reformctl {__version__}\n"
