from __future__ import annotations

from pathlib import Path

from reformctl.ledger.loader import load
from tests.conftest import run


def test_init_creates_a_valid_ledger(tmp_path: Path) -> None:
    result = run("init", "--year", "2027")
    assert (result.code, result.stdout) == (0, "已创建台账 ledger.toml\n")
    loaded = load(tmp_path / "ledger.toml")
    assert loaded.problems == []
    assert loaded.valid().settings.title == "2027年全面深化改革工作要点台账"
    assert not list(tmp_path.glob("*.lock")) and not list(tmp_path.glob(".*tmp"))


def test_init_default_year_is_today_in_the_ledger_timezone(tmp_path: Path) -> None:
    assert run("--today", "2031-01-01", "init").code == 0
    assert load(tmp_path / "ledger.toml").valid().settings.year == 2031


def test_init_refuses_to_overwrite(ledger: Path) -> None:
    before = ledger.read_bytes()
    result = run("init", "--title", "新台账")
    assert result.code == 2
    assert result.stderr == "ledger.toml: 台账文件已存在，init 不会覆盖它\n"
    assert ledger.read_bytes() == before


def test_init_title_is_escaped(tmp_path: Path) -> None:
    title = '台账"\n[points.X]\ntitle = "x'
    assert run("--ledger", "x.toml", "init", "--title", title).code == 0
    assert load(tmp_path / "x.toml").valid().settings.title == title
    assert "[points.X]" not in (tmp_path / "x.toml").read_text().splitlines()


def test_init_bad_timezone_refused_and_nothing_written(tmp_path: Path) -> None:
    result = run("init", "--timezone", "Mars/Base")
    assert result.code == 2
    assert "未知时区 Mars/Base" in result.stderr
    assert list(tmp_path.iterdir()) == []
