"""The installed entry point as a real process (what clerks and CI actually run)."""

from __future__ import annotations

import json
from pathlib import Path

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
