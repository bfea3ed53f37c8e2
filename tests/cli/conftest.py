"""Fixtures of the workspace tests: the sample ledger, and the same split into a workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, run


@pytest.fixture
def single(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.toml"
    shutil.copy(ROOT / "ledger.toml", path)
    return path


@pytest.fixture
def ws(single: Path) -> Path:
    result = run("workspace", "split", "--by", "group")
    assert result.code == 0, result.stderr
    return single.parent
