"""Reviewer 29: this round's helper process, zone check and closed streams, broken.

- On Windows (no ``signal.SIGHUP``, no ``pthread_sigmask``, no ``os.fork``: the README's
  PowerShell install, docs/writing.md's clerks) importing the helper raised AttributeError:
  every first read of a text of 2^20 characters or more stopped with exit 3. Nothing is
  forked there now, and the read is the one-core read.
- Under cgroup v1 in a container without a cgroup namespace of its own (docker's default
  there), /proc/self/cgroup names the host's path ("/docker/<id>") while the container's
  group is mounted as the root: its CPU quota was never found, and ``--cpus=1`` forked the
  helper anyway (tests/ledger/test_ahead.py's quota cases hold it).
- A Ctrl-C held across the fork and handled as the mask was restored left ``start`` with
  the helper unkilled and unreaped, and both ends of its pipe open.
- PYTHONTZPATH: tests/test_clock.py's test passed whatever known_zone did with it.
- A stream closed at start was reopened strict, where Python's stdin and stdout escape
  bytes that were no UTF-8 in the C locales: exit 2 with ``>&-``, 1 with ``>/dev/null``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from reformctl.ledger import byparts
from tests.conftest import ROOT, write_ledger
from tests.ledger.test_incremental import generated

_NO_FORK = (
    "import os, signal, sys\n"
    "if sys.argv[1] == 'windows':\n"
    "    del signal.SIGHUP, signal.pthread_sigmask, os.fork\n"
    "sys.argv = ['reformctl', *sys.argv[2:]]\n"
    "from reformctl import answers\n"
    "answers.main()\n"
)


def test_a_first_read_of_a_large_text_on_a_system_without_fork(tmp_path: Path) -> None:
    """Windows' signal and os modules: the large ledger's answer is the one a forking
    system prints (it was exit 3: module 'signal' has no attribute 'SIGHUP')."""
    text = generated(2000, 3)
    assert len(text) >= byparts.AHEAD_FROM
    path = write_ledger(tmp_path, text)
    env = {**os.environ, "REFORMCTL_TODAY": "2026-11-28", "REFORMCTL_CACHE": "off"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", _NO_FORK, system, "--ledger", str(path), "overdue"],
            capture_output=True,
            env=env,
            check=False,
            timeout=120,
        )
        for system in ("windows", "posix")
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr[-2000:]
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stdout


_ZONES = (
    "import sys, zoneinfo\n"
    "from reformctl.clock import known_zone\n"
    "def takes(name):\n"
    "    try:\n"
    "        zoneinfo.ZoneInfo(name)\n"
    "    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):\n"
    "        return False\n"
    "    return True\n"
    "for name in sys.argv[1:]:\n"
    "    print(name, known_zone(name), takes(name))\n"
)


@pytest.mark.skipif(
    not Path("/usr/share/zoneinfo/posix/UTC").is_file(), reason="needs the system's zones"
)
def test_a_zone_path_of_ones_own_is_zoneinfos_in_a_real_process(tmp_path: Path) -> None:
    """PYTHONTZPATH is read when zoneinfo is imported (tests/test_clock.py's test sets it
    after, with the system folder moved away: it passes whatever known_zone does with it).
    Here zoneinfo reads an empty folder, then the tzdata package, which has no ``posix/``
    nor ``right/`` zones: the system folder must not answer for them."""
    names = ["posix/UTC", "right/UTC", "posixrules", "Asia/Shanghai", "Asia"]
    run = subprocess.run(
        [sys.executable, "-c", _ZONES, *names],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONTZPATH": str(tmp_path)},
        check=True,
        timeout=60,
    )
    rows = [line.split() for line in run.stdout.splitlines()]
    assert [name for name, _, _ in rows] == names
    assert all(known == takes for _, known, takes in rows), rows
    assert ("posix/UTC", "False", "False") in map(tuple, rows)


_SIGNAL_IN_FORK = (
    "import os, signal, sys\n"
    "from reformctl.ledger import ahead, byparts\n"
    "ahead._two_cores = lambda: True\n"
    "ahead._threads = lambda: False\n"
    "ahead._parse_and_send = lambda *a: signal.pause()  # (a helper still at work)\n"
    "real_fork, pids = os.fork, []\n"
    "def fork():\n"
    "    pid = real_fork()\n"
    "    if pid:\n"
    "        pids.append(pid)\n"
    "        os.kill(os.getpid(), signal.SIGINT)  # (held until the helper is forked)\n"
    "    return pid\n"
    "os.fork = fork\n"
    "text = '[a]\\nx = 1\\n' * 4000\n"
    "try:\n"
    "    ahead.start(text, byparts._grid(text, 256))\n"
    "except KeyboardInterrupt:\n"
    "    pass\n"
    "pipes = sum(os.readlink(f'/proc/self/fd/{fd}').startswith('pipe:')\n"
    "            for fd in os.listdir('/proc/self/fd') if os.path.exists(f'/proc/self/fd/{fd}'))\n"
    "try:\n"
    "    left = os.waitpid(pids[0], os.WNOHANG)[0] == 0\n"
    "except ChildProcessError:\n"
    "    left = False\n"
    "print(pids[0], left, pipes)\n"
)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc")
def test_a_ctrl_c_held_across_the_fork_lets_the_helper_go(tmp_path: Path) -> None:
    """A Ctrl-C that reaches the reader while its signals are held for the fork is handled
    when they are let through: the KeyboardInterrupt left ``start`` with the helper neither
    killed nor reaped (an orphan parsing on, a zombie) and the pipe's two ends open. (Its
    output to a file: an orphan would hold a pipe a caller waits on.)"""
    out = tmp_path / "out"
    with out.open("wb") as stdout:
        code = subprocess.run(
            [sys.executable, "-c", _SIGNAL_IN_FORK],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.STDOUT,
            check=False,
            timeout=60,
        ).returncode
    pid, left, pipes = out.read_text().split()[-3:]
    if left == "True":  # (the helper sleeps for ever: not left to run)
        with contextlib.suppress(OSError):
            os.kill(int(pid), signal.SIGKILL)
    assert code == 0, out.read_text()[-2000:]
    assert (left, pipes) == ("False", "0")


@pytest.mark.parametrize("closed", [">&-", "<&- >&- 2>&-"])
@pytest.mark.parametrize("args", [("check",), ("check", "--format", "json"), ("list",)])
def test_a_closed_stream_is_as_the_null_device_in_the_c_locale(
    tmp_path: Path, closed: str, args: tuple[str, ...]
) -> None:
    """Python's stdin and stdout escape what was no UTF-8 (a file name's bytes) in the C and
    POSIX locales and C.UTF-8 (surrogateescape): the null device opened for a closed stream
    was strict, so a ledger named by such bytes exited 2 ("not UTF-8") with stdout closed,
    1 or 0 with it on /dev/null."""
    name = b"\xff.toml"
    (tmp_path / os.fsdecode(name)).write_bytes((ROOT / "ledger.toml").read_bytes())
    env = {
        **os.environ,
        "LC_ALL": "C",
        "REFORMCTL_TODAY": "2026-12-08",
        "REFORMCTL_CACHE": "off",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("PYTHONUTF8", None)
    codes = []
    for redirect in (closed, closed.replace("&-", "/dev/null")):
        line = f'n="$1"; shift; exec "$0" -m reformctl --ledger "$n" "$@" {redirect}'
        shell = [
            b"sh",
            b"-c",
            line.encode(),
            os.fsencode(sys.executable),
            name,
            *map(str.encode, args),
        ]
        codes.append(subprocess.run(shell, cwd=tmp_path, env=env, timeout=120).returncode)
    assert codes[0] == codes[1], codes
