"""ruff and mypy are configured and clean: part of the test run, so CI enforces them."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def tool(name: str) -> list[str]:
    """The tool installed beside the tests (the test extras), else one on PATH."""
    import importlib.util

    if importlib.util.find_spec(name) is not None:
        return [sys.executable, "-m", name]
    exe = shutil.which(name)
    return [exe] if exe else [sys.executable, "-m", name]


@pytest.mark.parametrize(
    "args", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"]
)
def test_ruff(args: list[str]) -> None:
    proc = subprocess.run([*tool("ruff"), *args], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict() -> None:
    proc = subprocess.run([*tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
