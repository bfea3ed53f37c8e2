"""A read command imports nothing it does not use: run as a real process under ``-X importtime``,
``overdue``, ``check``, ``progress`` and ``list`` load none of the modules that the output they
print has no use for (each costs tens of milliseconds: tabulate alone about 100 ms, through
``importlib.metadata``, email, zipfile and html)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

DENIED = re.compile(
    r"(tabulate|openpyxl|docx|lxml|pydantic|pydantic_core|importlib\.metadata|email|zipfile"
    r"|html|xml)(\..*)?"
)


def imported(*args: str, cache: Path, cwd: Path, sync: bool = False) -> list[str]:
    """Every module the command imported, in order, as ``-X importtime`` reports them
    (``sync``: the cache entries are written before it exits, in this process)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REFORMCTL_CACHE_DIR": str(cache),
        "REFORMCTL_TODAY": "2026-11-28",
    }
    env.pop("REFORMCTL_CACHE", None)
    if sync:
        env["REFORMCTL_CACHE"] = "sync"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "reformctl", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert proc.stdout  # it did its work (plain text: stdout is a pipe)
    return [
        line.rpartition("|")[2].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "imported package" not in line
    ]


def denied(modules: list[str]) -> list[str]:
    return [m for m in modules if DENIED.fullmatch(m)]


@pytest.mark.slow
@pytest.mark.parametrize("command", ["overdue", "check", "progress", "list"])
def test_a_read_command_imports_nothing_it_does_not_use(tmp_path: Path, command: str) -> None:
    ledger = tmp_path / "ledger.toml"
    ledger.write_bytes((DATA / "golden-ledger.toml").read_bytes())
    cache = tmp_path / "cache"
    args = ("--ledger", str(ledger), command)
    first = imported(*args, cache=cache, cwd=tmp_path, sync=True)  # a new text, parsed, cached
    assert "pytomlpp" in first  # the real read, not an early exit
    assert denied(first) == []
    warm = imported(*args, cache=cache, cwd=tmp_path)
    assert "pytomlpp" not in warm  # the cache's entry, under the code's version
    assert denied(warm) == []
    assert "reformctl.history" not in warm  # another command's module


def test_the_reader_of_importtime_sees_a_denied_module(tmp_path: Path) -> None:
    """The check can fail: markdown is tabulate's to lay out, so it is imported then."""
    ledger = tmp_path / "ledger.toml"
    ledger.write_bytes((DATA / "golden-ledger.toml").read_bytes())
    modules = imported(
        "--ledger", str(ledger), "list", "-f", "markdown", cache=tmp_path / "c", cwd=tmp_path
    )
    assert "tabulate" in denied(modules)
