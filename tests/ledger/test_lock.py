"""The lock: exclusive, waits then refuses naming the holder, reports a stale lock."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

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
