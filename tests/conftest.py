"""Shared fixtures: an isolated environment (no real date, fixed width, no colour) and helpers
to write small inline ledgers and run the CLI in-process or as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reformctl.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = "2026-11-28"

BASE = """\
schema = 1

[ledger]
title = "测试台账"
year = 2026
timezone = "Asia/Shanghai"

[units.fgw]
name = "省发改委"

[units.lyj]
name = "省林业局"

[groups.economy]
name = "经济体制改革专项小组"
lead = "fgw"

[points.R26-01]
title = "深化集体林权制度改革"
group = "economy"
lead = "lyj"
units = ["fgw"]
path = "出台政策文件"
outcome = "政策文件"
major = true

[points.R26-01.milestones.plan]
name = "出台实施方案"
due = 2026-03-31
done = 2026-03-28
evidence = "闽林〔2026〕3号"

[points.R26-01.milestones.pilot]
name = "开展试点"
due = 2026-06-30

[points.R26-01.progress]
2026-03 = "实施方案已印发"
"""


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the session (never the user's): tests share its entries."""
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache_home: Path
) -> Iterator[None]:
    """No test sees the real date, the user's ledger, language, terminal or cache."""
    for name in list(os.environ):
        if name.startswith("REFORMCTL_") or name in ("NO_COLOR", "LC_ALL", "LC_MESSAGES"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REFORMCTL_TODAY", TODAY)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("REFORMCTL_LOCK_TIMEOUT", "2")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture
def base_text() -> str:
    return BASE


def write_ledger(folder: Path, text: str, name: str = "ledger.toml") -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """The base inline ledger, written as ./ledger.toml."""
    return write_ledger(tmp_path, BASE)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the frozen sample ledger used by the golden files."""
    return write_ledger(tmp_path, (DATA / "golden-ledger.toml").read_text(encoding="utf-8"))


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run(*args: str, env: dict[str, str] | None = None) -> Run:
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def run_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run the installed entry point as a real process, on this tree's code (the installed
    package may be another checkout: an editable install of the main tree)."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    full_env = {**os.environ, "PYTHONPATH": path, **(env or {})}
    exe = Path(sys.executable).with_name("reformctl")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "reformctl"]
    proc = subprocess.run(
        [*cmd, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)
