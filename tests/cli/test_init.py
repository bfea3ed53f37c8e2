from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.mark.parametrize("zone", ["Mars/Base", "Asia", "../zoneinfo/UTC"])
@pytest.mark.parametrize("pinned", [True, False])
def test_init_bad_timezone_refused_and_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str, pinned: bool
) -> None:
    """Refused with the zone named, today pinned or read in that zone (the real clock
    raised: exit 3), a folder of zones too (zoneinfo's IsADirectoryError: exit 3)."""
    if not pinned:
        monkeypatch.delenv("REFORMCTL_TODAY")
    result = run("init", "--timezone", zone)
    assert result.code == 2
    assert result.stderr.strip() == f"未知时区 {zone}（例如 Asia/Shanghai）"
    assert list(tmp_path.iterdir()) == []


def test_a_new_ledgers_problem_names_the_ledger_not_its_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text is checked as the ledger's, under its name, before it is linked in place."""
    from reformctl.ledger import write

    real = write.initial_text
    monkeypatch.setattr(write, "initial_text", lambda *a: real(*a) + "[points.X]\n")
    result = run("--ledger", "new.toml", "init")
    assert result.code == 2
    assert result.stderr.startswith("new.toml:"), result.stderr
    assert list(tmp_path.iterdir()) == []
