"""The lock: exclusive, waits then refuses naming the holder, reports a stale lock."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run


def test_busy_lock_refused_naming_the_holder(ledger: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (ledger.parent / "ledger.toml.lock").write_text(f"{holder.pid} {socket.gethostname()} 0\n")
        before = ledger.read_bytes()
        result = run("done", "R26-01/pilot", env={"REFORMCTL_LOCK_TIMEOUT": "0.3"})
        assert result.code == 2
        assert result.stderr == (
            f"ledger.toml 正由另一进程写入（进程 {holder.pid}，主机 {socket.gethostname()}），请稍后再试\n"
        )
        assert ledger.read_bytes() == before
        assert (ledger.parent / "ledger.toml.lock").exists()  # someone else's lock is never taken
    finally:
        holder.kill()
        holder.wait()


def test_stale_lock_is_reported_with_how_to_clear_it(ledger: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = ledger.parent / "ledger.toml.lock"
    lock.write_text(f"{dead.pid} {socket.gethostname()} 0\n")
    result = run("--lang", "en", "log", "R26-01", "x", env={"REFORMCTL_LOCK_TIMEOUT": "0.2"})
    assert result.code == 2
    assert f"was left by process {dead.pid}, which is gone" in result.stderr
    assert "rm ledger.toml.lock" in result.stderr
    lock.unlink()
    assert run("log", "R26-01", "x").code == 0
    assert not lock.exists()


def test_lock_released_after_a_refusal(ledger: Path) -> None:
    assert run("done", "R26-01/nope").code == 2
    assert not (ledger.parent / "ledger.toml.lock").exists()
    assert os.listdir(ledger.parent) == ["ledger.toml"]


# -- Windows: the stale-lock check without os.kill (issue 22) ---------------------------------


class FakeKernel32:
    """kernel32 as the lock's check sees it, for one process ``pid``: not there (OpenProcess
    fails with ERROR_INVALID_PARAMETER), another user's (ERROR_ACCESS_DENIED), running
    (STILL_ACTIVE) or exited with a code while a handle to it is still open."""

    def __init__(self, state: str) -> None:
        self.state = state
        self.opened: list[int] = []
        self.closed: list[int] = []

    def open_process(self, pid: int) -> tuple[int, int]:
        self.opened.append(pid)
        if self.state == "gone":
            return 0, 87
        if self.state == "other-user":
            return 0, 5
        return 0x1F4, 0

    def exit_code(self, handle: int) -> int | None:
        return 259 if self.state == "running" else 0

    def close(self, handle: int) -> None:
        self.closed.append(handle)


def windows(monkeypatch: pytest.MonkeyPatch, state: str) -> FakeKernel32:
    """The lock's Windows branch, forced: os.kill must not be called there (it would send
    CTRL_C_EVENT to the holder's group, and never say the holder is gone)."""
    import reformctl.ledger.lock as lock

    fake = FakeKernel32(state)

    def no_kill(pid: int, sig: int) -> None:
        raise AssertionError("os.kill on Windows")

    monkeypatch.setattr(lock, "_on_windows", lambda: True)
    monkeypatch.setattr(lock, "_winapi", lambda: fake)
    monkeypatch.setattr(os, "kill", no_kill)
    return fake


@pytest.mark.parametrize("state", ["gone", "exited"])
def test_on_windows_a_crashed_writers_lock_is_explained_and_cleared(
    ledger: Path, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    fake = windows(monkeypatch, state)
    lock = ledger.parent / "ledger.toml.lock"
    lock.write_text(f"4242 {socket.gethostname()} 0\n")
    before = ledger.read_bytes()
    result = run("--lang", "en", "log", "R26-01", "x", env={"REFORMCTL_LOCK_TIMEOUT": "0.2"})
    assert result.code == 2
    assert "was left by process 4242, which is gone" in result.stderr
    assert "rm ledger.toml.lock" in result.stderr
    assert 4242 in fake.opened and fake.closed == ([0x1F4] if state == "exited" else [])
    assert ledger.read_bytes() == before
    lock.unlink()  # as the message says
    assert run("log", "R26-01", "x").code == 0
    assert not lock.exists()


@pytest.mark.parametrize("state", ["running", "other-user"])
def test_on_windows_a_live_writers_lock_is_busy(
    ledger: Path, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    fake = windows(monkeypatch, state)
    lock = ledger.parent / "ledger.toml.lock"
    lock.write_text(f"4242 {socket.gethostname()} 0\n")
    result = run("done", "R26-01/pilot", env={"REFORMCTL_LOCK_TIMEOUT": "0.2"})
    assert result.code == 2
    assert result.stderr == (
        f"ledger.toml 正由另一进程写入（进程 4242，主机 {socket.gethostname()}），请稍后再试\n"
    )
    assert lock.exists() and 4242 in fake.opened


def test_the_posix_check_says_a_dead_process_is_gone() -> None:
    from reformctl.ledger.lock import _alive

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert _alive(os.getpid()) and not _alive(dead.pid)
    assert not _alive(2**40)  # no such process: not an error


def test_a_lock_naming_an_impossible_pid_is_stale_not_a_crash(ledger: Path) -> None:
    """A lock file is a file: a pid too large for the system (was exit 3, OverflowError)."""
    lock = ledger.parent / "ledger.toml.lock"
    lock.write_text(f"99999999999999999999 {socket.gethostname()} 0\n")
    result = run("--lang", "en", "log", "R26-01", "x", env={"REFORMCTL_LOCK_TIMEOUT": "0.1"})
    assert result.code == 2 and "which is gone" in result.stderr
