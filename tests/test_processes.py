"""Real processes: concurrent writers and writers killed mid-write."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from tests.conftest import BASE, ROOT, run_process, write_ledger

pytestmark = pytest.mark.slow


def reformctl(*args: str) -> list[str]:
    exe = Path(sys.executable).with_name("reformctl")
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "reformctl", *args]


def start_writers(folder: Path, n: int, timeout: str) -> list[subprocess.Popen[str]]:
    env = {**os.environ, "REFORMCTL_LOCK_TIMEOUT": timeout}
    return [
        subprocess.Popen(
            reformctl(
                "milestone", "add", f"R26-01/c{i:02d}", "--name", f"并发{i}", "--due", "2026-12-01"
            ),
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(n)
    ]


def test_twenty_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, BASE)
    procs = start_writers(tmp_path, 20, "120")
    results = [(p.wait(timeout=180), p.stderr.read() if p.stderr else "") for p in procs]
    assert [code for code, _ in results] == [0] * 20, results
    milestones = load(path).valid().points["R26-01"].milestones
    assert sorted(m.key for m in milestones) == sorted(
        ["plan", "pilot", *(f"c{i:02d}" for i in range(20))]
    )
    assert run_process("fmt", "--check", cwd=tmp_path).code == 0
    assert sorted(os.listdir(tmp_path)) == ["ledger.toml"]


def test_impatient_writers_succeed_or_are_refused_cleanly(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, BASE)
    procs = start_writers(tmp_path, 20, "0")
    results = [(p.wait(timeout=180), p.stderr.read() if p.stderr else "") for p in procs]
    done = {f"c{i:02d}" for i, (code, _) in enumerate(results) if code == 0}
    for code, err in results:
        assert code in (0, 2)
        if code == 2:
            assert "正由另一进程写入" in err and "Traceback" not in err
    keys = {m.key for m in load(path).valid().points["R26-01"].milestones}
    assert keys == {"plan", "pilot"} | done
    assert sorted(os.listdir(tmp_path)) == ["ledger.toml"]


def test_killed_writers_leave_the_old_or_the_new_file(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    pristine = generate(3000).encode()
    args = ("done", "R26-01500/m2", "--on", "2026-11-20", "--evidence", "闽政〔2026〕1号")
    expected_dir = tmp_path / "expected"
    expected_dir.mkdir()
    (expected_dir / "ledger.toml").write_bytes(pristine)
    done = run_process(*args, cwd=expected_dir)
    if done.code != 0:  # that milestone happened to be done already in this synthetic ledger
        args = ("log", "R26-01500", "进展", "--month", "2026-11", "--replace")
        assert run_process(*args, cwd=expected_dir).code == 0
    new = (expected_dir / "ledger.toml").read_bytes()
    assert new != pristine

    rnd = random.Random(7)
    work = tmp_path / "work"
    work.mkdir()
    lock = work / "ledger.toml.lock"
    outcomes = []
    for i in range(10):
        for leftover in work.iterdir():
            leftover.unlink()
        (work / "ledger.toml").write_bytes(pristine)
        proc = subprocess.Popen(
            reformctl(*args), cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # the kill lands inside the write (the lock held: reading, proving, the temporary
        # file, the rename) or just after it, however slow the machine is: wait for the lock
        while not lock.exists() and proc.poll() is None:
            time.sleep(0.002)
        time.sleep(0 if i == 0 else rnd.uniform(0, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        final = (work / "ledger.toml").read_bytes()
        assert final in (pristine, new), "a torn ledger"
        # a lock left behind: the writer died holding it (SIGKILL lets it clean up nothing)
        outcomes.append((final == new, lock.exists()))
    # which of the two each run leaves varies with timing; that the kills landed inside the
    # write does not: at least the first, killed as soon as it held the lock
    assert any(held for _, held in outcomes), outcomes


def test_a_failure_at_any_step_leaves_the_old_file(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reformctl.ledger import write
    from tests.conftest import run

    before = ledger.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    for target, name in ((write.os, "fsync"), (Path, "replace"), (write, "_unchanged_since")):
        with monkeypatch.context() as m:
            m.setattr(target, name, boom)
            result = run("done", "R26-01/pilot", "--evidence", "x")
        assert result.code == 2, result
        # fsync fails first where the lock is written: then nothing at all was created
        assert "No space left on device" in result.stderr
        assert result.stderr.count("\n") == 1
        assert ledger.read_bytes() == before
        assert sorted(os.listdir(ledger.parent)) == ["ledger.toml"]
