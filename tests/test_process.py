"""The installed entry point as a real process (what clerks and CI actually run)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_process


def test_check_on_the_bundled_sample_ledger(tmp_path: Path) -> None:
    result = run_process("--ledger", str(ROOT / "ledger.toml"), "check", "--format", "json")
    assert result.code in (0, 1), result.stderr
    assert json.loads(result.stdout)["errors"] == []


def test_python_dash_m_and_exit_codes(tmp_path: Path) -> None:
    result = run_process("--ledger", str(tmp_path / "nope.toml"), "list", cwd=tmp_path)
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().endswith("台账文件不存在")


def test_piped_output_is_plain_without_colour_codes(tmp_path: Path) -> None:
    result = run_process("--ledger", str(ROOT / "ledger.toml"), "progress", cwd=tmp_path)
    assert result.code == 0
    assert "\x1b[" not in result.stdout
    assert result.stdout.splitlines()[3].startswith("------")


@pytest.mark.parametrize(
    ("closed", "args", "code"),
    [
        (">&-", ("overdue",), 0),
        (">&-", ("check",), 1),
        ("2>&-", ("--ledger", "nope.toml", "list"), 2),
        (">&- 2>&- <&-", ("check",), 1),
        (">&-", ("log", "R26-01", "推进会召开", "--month", "2026-11", "--replace"), 0),
    ],
)
def test_a_closed_standard_stream_is_output_discarded(
    tmp_path: Path, closed: str, args: tuple[str, ...], code: int
) -> None:
    """Started with stdout, stderr or stdin closed (``>&-``), a command does its work and
    exits with its own code, as with them on /dev/null (it exited 3: no attribute isatty
    of None); a write still writes, and no file it opens takes a stream's number."""
    ledger = tmp_path / "ledger.toml"
    shutil.copy(ROOT / "ledger.toml", ledger)
    before = ledger.read_bytes()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REFORMCTL_TODAY": "2026-12-08",
        "REFORMCTL_CACHE": "off",
    }
    line = f'exec "$0" -m reformctl --ledger ledger.toml "$@" {closed}'
    proc = subprocess.run(
        ["sh", "-c", line, sys.executable, *args], cwd=tmp_path, env=env, timeout=120
    )
    assert proc.returncode == code
    assert (ledger.read_bytes() != before) == (args[0] == "log")
