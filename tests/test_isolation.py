"""What every test runs in (tests/conftest.py): its own folder, cache folder, home and git
configuration, so that tests can run in parallel (pytest -n auto) and in any order."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, run


@pytest.mark.parametrize("turn", [1, 2])
def test_a_test_starts_with_an_empty_cache_of_its_own(
    cache_home: Path, ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, turn: int
) -> None:
    """Each turn reads the same ledger, which stores its entry: the other turn never sees it."""
    assert os.environ["XDG_CACHE_HOME"] == str(cache_home)
    assert tmp_path not in cache_home.parents  # (a test's folder holds only what it made)
    assert not (cache_home / "reformctl").exists()
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    assert run("list").code == 0
    assert any((cache_home / "reformctl").iterdir())


@pytest.mark.shared_cache
def test_a_test_about_sharing_gets_the_sessions_cache(
    cache_home: Path, shared_cache_home: Path
) -> None:
    assert cache_home == shared_cache_home
    assert os.environ["XDG_CACHE_HOME"] == str(shared_cache_home)


def test_home_and_git_configuration_are_the_tests_own(tmp_path: Path) -> None:
    home = Path(os.environ["HOME"])
    assert home.is_dir() and not any(home.iterdir())
    assert ROOT not in home.parents and tmp_path not in home.parents
    email = subprocess.run(
        ["git", "config", "--global", "user.email"], capture_output=True, text=True, check=True
    ).stdout
    assert email.strip() == "tests@example.org"
    assert Path.cwd() == tmp_path
