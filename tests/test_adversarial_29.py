"""Adversary 29: the first-read helper process (reformctl.ledger.ahead) changes nothing a user
sees, memory and processes included.

- The helper's parts were one pickle, read whole: the reading process held every part of the
  helper's share at once (26 MB of data at 10,000 points) beside what it builds, where by
  parts it holds one (issue 25). In a memory-limited container (a memory cgroup of 80 to
  93 MB) the first read of a 10,000-point ledger was killed on two cores (SIGKILL, no output)
  and printed its answer on one. Each part is now a pickle of its own, read when its turn
  comes (and the helper pickles each part as it parses it).
- A helper whose parent was killed (SIGTERM, SIGKILL, SIGHUP to it alone) went on parsing
  the rest of its share, an orphan, up to a quarter of a second at 10,000 points; it now
  stops at the next part.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import write_ledger
from tests.ledger.test_incremental import generated

pytestmark = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs two cores to run the helper",
)

_PEAK = (
    "import atexit, os, resource, sys\n"
    "from reformctl import answers\n"
    "from reformctl.ledger import ahead\n"
    "if sys.argv[1] == 'one':\n"
    "    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
    "real, ran = ahead.start, []\n"
    "def start(text, cuts):\n"
    "    got = real(text, cuts)\n"
    "    ran.append(got is not None)\n"
    "    return got\n"
    "ahead.start = start\n"
    "def peak():\n"
    "    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    os.write(2, f'PEAK {ran} {rss}\\n'.encode())\n"
    "atexit.register(peak)\n"
    "sys.argv = ['reformctl', *sys.argv[2:]]\n"
    "answers.main()\n"
)


def _peak(path: Path, cores: str, cache: Path) -> tuple[bool, int, bytes]:
    env = {
        **os.environ,
        "REFORMCTL_TODAY": "2026-11-28",
        "REFORMCTL_CACHE": "off",
        "REFORMCTL_CACHE_DIR": str(cache),
    }
    run = subprocess.run(
        [sys.executable, "-c", _PEAK, cores, "--ledger", str(path), "overdue"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    line = run.stderr.decode().rsplit("PEAK ", 1)[1].split()
    return line[0] == "[True]", int(line[1]), run.stdout


def test_the_helpers_parts_are_not_all_held_at_once(tmp_path: Path) -> None:
    """The first read of a 10,000-point ledger with the helper peaks within a few MiB of
    the read on one core (the helper's message, ~3 MB, is held while its parts are read;
    all its parts' data at once was 11 MiB more)."""
    path = write_ledger(tmp_path, generated(10_000, 7))
    helped, two, out_two = _peak(path, "two", tmp_path / "c2")
    alone, one, out_one = _peak(path, "one", tmp_path / "c1")
    assert helped and not alone
    assert out_two == out_one
    assert two - one < 6 * 1024, (two, one)  # (KiB)


_ORPHAN = (
    "import os, signal, sys, time\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "from generate import generate\n"
    "from reformctl.ledger import ahead, byparts\n"
    "ahead._two_cores = lambda: True\n"
    "ahead._threads = lambda: False\n"
    "real = ahead.loads\n"
    "def slow(text):\n"
    "    time.sleep(0.05)\n"
    "    return real(text)\n"
    "ahead.loads = slow\n"
    "text = str(generate(40, seed=1))\n"
    "helper = ahead.start(text, byparts._grid(text, 256))\n"
    "os.write(1, f'{helper._pid}\\n'.encode())\n"
    "os.kill(os.getpid(), signal.SIGKILL)\n"
)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="reads /proc")
def test_a_helper_whose_parent_is_killed_stops(tmp_path: Path) -> None:
    """The parent killed right after it forked the helper (whose share would take it
    seconds): the helper is gone at its next part, not an orphan parsing on (and holding
    the streams a caller waits on: not captured by a pipe here, which the orphan would
    hold open)."""
    benchmarks = str(Path(__file__).resolve().parents[1] / "benchmarks")
    out = tmp_path / "out"
    with out.open("wb") as stdout:
        code = subprocess.run(
            [sys.executable, "-c", _ORPHAN, benchmarks],
            stdout=stdout,
            stderr=subprocess.DEVNULL,
            check=False,
        ).returncode
    assert code == -9
    helper = int(out.read_text())
    deadline = time.monotonic() + 1.0
    while _running(helper) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _running(helper)
