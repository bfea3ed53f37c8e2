"""A large text's later parts parsed by a second process, while this one finds the headers and
parses the first parts (issue 25: the first read of a new 10,000-point text).

A read of a large text (:mod:`~reformctl.ledger.byparts`) spends most of its time in the
parser, one part after another, on one core. When the machine has a second core, the read
forks a helper as soon as it knows where the parts are cut (:func:`byparts._grid`: found by
the text alone, before its headers are). The helper parses the parts that start in the last
``SHARE`` of the text with the same parser (:func:`~reformctl.ledger.parse.loads`), writes
their data to a pipe as one pickle, and exits. Meanwhile this process finds the headers, and
parses and builds the first parts; then it reads the pickle and takes the helper's data for
each part it holds, exactly as if it had parsed it: pickle gives back the parser's types
(dicts in their order, lists, strings, numbers, dates, and times with their offsets), and
the helper makes each key and date one object of its value first, so that the pickle holds
each once and reads three times as fast.

Nothing of the proof changes: every part's data is still the parser's, checked and merged
by :mod:`~reformctl.ledger.byparts` in order. The helper gives what it has; any part it did
not give (a part it could not parse, a helper that died or was killed, a message cut short)
is parsed here, so a syntax error is reported by this process as before, where it stands.
The helper imports nothing, writes nothing but the pipe, and leaves by ``os._exit``; this
process always reaps it (killing it when it no longer needs it).

On 10,000 points (2 cores) the helper saves about 120 ms of a first read's 715. Nothing is
forked for a text under :data:`byparts.AHEAD_FROM` characters, where there is one core, no
fork, or another thread running.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import itertools
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any

from reformctl.ledger.parse import TomlError, loads

# the part of the text the helper takes, its end: balanced so that it finishes as this
# process finishes the headers and its own parts (the helper also pickles what it parsed,
# and this process then unpickles and builds the helper's parts)
SHARE = 0.57
_LEAST_PARTS = 4  # fewer parts: nothing to share


class Ahead:
    """The helper's parts of one text, each part's data by its number (:meth:`part`)."""

    def __init__(self, pid: int, fd: int, first: int) -> None:
        self._pid, self._fd, self.first = pid, fd, first
        self._parts: list[Any] | None = None

    def part(self, j: int) -> dict[str, Any] | None:
        """The data of part ``j`` as the helper parsed it, or None: parse it here."""
        if j < self.first:
            return None
        if self._parts is None:
            self._parts = self._received()
        i = j - self.first
        return self._parts[i] if i < len(self._parts) else None

    def _received(self) -> list[Any]:
        """What the helper wrote (once it is done: it writes all at its end), read whole,
        and the helper reaped: an empty list when it gave nothing that unpickles."""
        chunks = []
        with contextlib.suppress(OSError):
            while chunk := os.read(self._fd, 1 << 20):
                chunks.append(chunk)
        self._let_go(kill=False)  # (it has closed the pipe: it is leaving)
        try:
            parts = pickle.loads(b"".join(chunks))
        except Exception:  # (a helper killed, or cut short: nothing of it is taken)
            return []
        if type(parts) is not list or not all(type(part) is dict for part in parts):
            return []
        return parts

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
    if len(cuts) < _LEAST_PARTS or not _two_cores() or _threads():
        return None
    first = bisect.bisect_left(cuts, int(len(text) * (1 - SHARE)), 1)
    if first >= len(cuts):
        return None
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the helper
        try:
            os.close(read)
            _parse_and_send(text, [*cuts[first:], len(text)], write)
        finally:
            os._exit(0)
    os.close(write)
    return Ahead(pid, read, first)


def _parse_and_send(text: str, bounds: list[int], fd: int) -> None:
    """Parse each part of ``text`` between ``bounds`` until one does not parse (this
    process's parse of it reports the error), then write their data, pickled, to ``fd``."""
    parts = []
    for a, b in itertools.pairwise(bounds):
        try:
            parts.append(loads(text[a:b]))
        except TomlError:
            break
    message = _pickled(parts)
    while message:
        message = message[os.write(fd, message) :]


def _pickled(parts: list[Any]) -> memoryview:
    """``parts`` pickled, each key and each date one object of its value (:func:`_shared`):
    the pickle then holds each once (~200,000 keys and 53,000 dates of 6,300 points, written
    as a reference to the first), which makes this process read it three times as fast (and
    write it a little slower)."""
    one: dict[Any, Any] = {}
    shared = [_shared(part, one.setdefault) for part in parts]
    return memoryview(pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL))


def _shared(table: dict[str, Any], one: Callable[[Any, Any], Any]) -> dict[str, Any]:
    """``table`` again, with each key and each date (at any depth) ``one``'s object of it."""
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
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2
