"""A large text's later parts parsed by a second process, while this one finds the headers and
parses the first parts (issue 25: the first read of a new 10,000-point text).

A read of a large text (:mod:`~reformctl.ledger.byparts`) spends most of its time in the
parser, one part after another, on one core. When the machine has a second core, the read
forks a helper as soon as it knows where the parts are cut (:func:`byparts._grid`: found by
the text alone, before its headers are). The helper parses the parts that start in the last
``SHARE`` of the text with the same parser (:func:`~reformctl.ledger.parse.loads`), pickles
each part's data as it parses it (a pickle a part), writes them to a pipe at its end, and
exits. Meanwhile this process finds the headers, and parses and builds the first parts; then
it reads the message and takes the helper's data for each part it holds, exactly as if it
had parsed it, unpickling a part when its turn comes (so that it never holds the data of
all the helper's parts at once: as many MB as the parts it builds from them, which a read
by parts does not hold, issue 25): pickle gives back the parser's types (dicts in their
order, lists, strings, numbers, dates, and times with their offsets), and the helper makes
each key and date one object of its value first, so that a part's pickle holds each once
and reads three times as fast.

Nothing of the proof changes: every part's data is still the parser's, checked and merged
by :mod:`~reformctl.ledger.byparts` in order. The helper gives what it has; any part it did
not give (a part it could not parse, a helper that died or was killed, a message cut short)
is parsed here, so a syntax error is reported by this process as before, where it stands.
The helper imports nothing, writes nothing but the pipe, and leaves by ``os._exit`` (at
once when this process is gone: killed, it has no use for the rest); this process always
reaps it (killing it when it no longer needs it).

On 10,000 points (2 cores) a first read takes about 530 ms, against 670 on one. Nothing is
forked for a text under :data:`byparts.AHEAD_FROM` characters, where there is one core (or a
CPU quota under two), no fork, or another thread running.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import io
import itertools
import math
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import IO, Any

from reformctl.ledger.parse import TomlError, loads

# the part of the text the helper takes, its end: balanced so that it finishes as this
# process finishes the headers and its own parts (the helper also pickles what it parsed,
# and this process then unpickles and builds the helper's parts): at 10,000 points a first
# read's median took 542 ms at 0.57, 526 at 0.62 and 551 at 0.67 (9 runs each)
SHARE = 0.62
_LEAST_PARTS = 4  # fewer parts: nothing to share


class Ahead:
    """The helper's parts of one text, each part's data by its number (:meth:`part`), in
    order: each part a pickle of its own in the helper's message, read when it is asked for
    (the parts' data is never all here at once: a read's peak memory is one part's, as when
    this process parses them, issue 25)."""

    def __init__(self, pid: int, fd: int, first: int) -> None:
        self._pid, self._fd, self.first = pid, fd, first
        self._message: io.BytesIO | None = None
        self._next = first  # the part the message holds next (-1: nothing more of it)

    def part(self, j: int) -> dict[str, Any] | None:
        """The data of part ``j`` as the helper parsed it, or None: parse it here. (The parts
        are asked for in order: a part asked for out of it, and any after, are parsed here.)"""
        if j < self.first:
            return None
        if self._message is None:
            self._message = self._received()
        if j != self._next:
            self._next = -1
            return None
        try:
            part = pickle.load(self._message)
        except Exception:  # (the end, or a helper killed or cut short: the rest is not taken)
            part = None
        if type(part) is not dict:
            self._next = -1
            return None
        self._next += 1
        return part

    def _received(self) -> io.BytesIO:
        """What the helper wrote (once it is done: it writes all at its end), read whole,
        and the helper reaped."""
        chunks = []
        try:
            with contextlib.suppress(OSError):
                while chunk := os.read(self._fd, 1 << 20):
                    chunks.append(chunk)
            self._let_go(kill=False)  # (it has closed the pipe: it is leaving)
            message = b"".join(chunks)
        except MemoryError:  # (no room for the message: its parts are parsed here, as on one core)
            chunks.clear()
            self._let_go(kill=True)
            return io.BytesIO()
        del chunks  # (the message once, not twice, while its parts are read)
        return io.BytesIO(message)

    def close(self) -> None:
        """Let the helper go: killed if it is still at work, and reaped."""
        self._let_go(kill=True)

    def _let_go(self, kill: bool) -> None:
        if self._fd < 0:
            return  # (once)
        os.close(self._fd)
        self._fd = -1
        if kill:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self._pid, 0)


def start(text: str, cuts: list[int]) -> Ahead | None:
    """A helper parsing the parts of ``text`` cut at ``cuts`` (each part from a cut to the
    next, the last to the end) that start in the last ``SHARE`` of the text (never the
    first); None when no helper is worth it or can be had."""
    if len(cuts) < _LEAST_PARTS or not _can_fork() or not _two_cores() or _threads():
        return None
    first = bisect.bisect_left(cuts, int(len(text) * (1 - SHARE)), 1)
    if first >= len(cuts):
        return None
    try:
        read, write = os.pipe()
    except OSError:
        return None
    parent = os.getpid()
    # (a signal is held from before the fork until the helper has its default action: a
    # Ctrl-C that reached it sooner would run the CLI's handler there, as a second process)
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:  # the helper
        try:
            for stopping in _STOPPING:
                if signal.getsignal(stopping) is not signal.SIG_IGN:
                    signal.signal(stopping, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.close(read)
            _parse_and_send(text, [*cuts[first:], len(text)], write, parent)
        finally:
            os._exit(0)
    os.close(write)
    if pid < 0:
        os.close(read)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return None
    got = Ahead(pid, read, first)
    try:  # (a signal held meanwhile is handled here: its exception lets the helper go)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    except BaseException:
        got.close()
        raise
    return got


# (Windows has no SIGHUP, no pthread_sigmask and no fork: nothing is forked there)
_STOPPING = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


def _can_fork() -> bool:
    """Whether this system forks, and can hold signals across the fork (not Windows)."""
    return hasattr(os, "fork") and hasattr(signal, "pthread_sigmask")


def _parse_and_send(text: str, bounds: list[int], fd: int, parent: int) -> None:
    """Parse each part of ``text`` between ``bounds`` until one does not parse (this
    process's parse of it reports the error), pickled as it is parsed (:func:`_pickled`);
    then write them to ``fd``. A helper whose parent is gone (killed) stops at once."""
    one: dict[Any, Any] = {}
    message = io.BytesIO()
    for a, b in itertools.pairwise(bounds):
        if os.getppid() != parent:
            return
        try:
            part = loads(text[a:b])
        except TomlError:
            break
        _pickled(part, one, message)
        del part  # (the helper holds one part's data at a time, and the pickles)
    view = message.getbuffer()
    while view:
        view = view[os.write(fd, view) :]


def _pickled(part: dict[str, Any], one: dict[Any, Any], message: IO[bytes]) -> None:
    """``part`` pickled to ``message``, a pickle of its own, each key and each date one
    object of its value (:func:`_shared`, ``one`` holding them over the parts): the pickle
    then holds each once (written as a reference to the first), which makes this process
    read it three times as fast (and write it a little slower)."""
    pickle.dump(_shared(part, one.setdefault), message, protocol=pickle.HIGHEST_PROTOCOL)


def _shared(table: dict[str, Any], one: Callable[[Any, Any], Any]) -> dict[str, Any]:
    """``table`` again, with each key and each date (at any depth) ``one``'s object of it.
    (The twin of :func:`byparts._interned`, which shares keys alone, for the data a write
    keeps: this one walks every list and date, which that one's callers would pay for and
    not use; and byparts imports this module, not the other way round.)"""
    return {
        one(key, key): _shared_value(value, one) if type(value) in _WALKED else value
        for key, value in table.items()
    }


def _shared_value(value: Any, one: Callable[[Any, Any], Any]) -> Any:
    kind = type(value)
    if kind is dict:
        return _shared(value, one)
    if kind is list:
        return [_shared_value(v, one) if type(v) in _WALKED else v for v in value]
    return one(value, value)  # (a date)


_WALKED = frozenset({dict, list, datetime.date})


def _threads() -> bool:
    """Whether another thread runs (a write's hashing or syncing thread): a fork would copy
    whatever it holds (a lock, half of a file), so the parts are all parsed here."""
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1


def _two_cores() -> bool:
    """Whether this process may run on two cores at once: two in its affinity, and no CPU
    quota of its cgroup under two (``docker --cpus=1``: the helper would take turns with
    this process, and its pickling would be time lost)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores >= 2 and _quota() >= 2


def _quota() -> float:
    """The CPUs this process's cgroup may use at once (its CPU quota over its period, cgroup
    v2's ``cpu.max`` or v1's ``cpu.cfs_quota_us``), infinite when none is set or known."""
    cgroups = _read_first("/proc/self/cgroup") or ""
    groups = [line.split(":", 2) for line in cgroups.splitlines()]
    for group in groups:
        if len(group) != 3:
            continue
        _, controllers, path = group
        if not controllers:
            found = _read_first(f"/sys/fs/cgroup{path}/cpu.max", "/sys/fs/cgroup/cpu.max")
            quota, _, period = (found or "max").partition(" ")
        elif "cpu" in controllers.split(","):
            # (its group's folder, else the mount's root: in a container of cgroup v1, docker's
            # without a namespace of its own, the path is the host's, "/docker/<id>", and the
            # container's group is mounted as the root)
            roots = ("/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct")
            quota, period = "-1", "0"
            for folder in (*(f"{r}{path}" for r in roots), *roots):
                found = _read_first(f"{folder}/cpu.cfs_quota_us")
                if found is not None:
                    quota, period = found, _read_first(f"{folder}/cpu.cfs_period_us") or "0"
                    break
        else:
            continue
        with contextlib.suppress(ValueError, ZeroDivisionError):
            if quota.strip() not in ("max", "-1"):
                return int(quota) / int(period)
    return math.inf


def _read_first(*paths: str) -> str | None:
    """The text of the first of ``paths`` that can be read."""
    for path in paths:
        with contextlib.suppress(OSError, UnicodeDecodeError), open(path, encoding="utf-8") as file:
            return file.read().strip()
    return None
