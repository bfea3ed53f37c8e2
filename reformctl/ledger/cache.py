"""A cache of the validated model, keyed by the hash of the exact text read.

Reading a 10,000-point ledger (parse, index, build, rules) takes about a second; reading the
same bytes again should not. An entry holds the :class:`~reformctl.model.Ledger` and every
problem ``build`` and the rules found, for one text under one name (messages carry
``file:line:col``), made by one version of the code:

- **never trusted over the file**: the key is blake2b of the exact text that was read (plus the
  display name, the code and the Python that made the entry), so a file edited by hand in the
  same second, with the same size and mtime, is a different key; nothing is ever looked up by
  path, size or time;
- **safe on corruption and on planted entries**: an entry starts with a magic line, the size
  of its payload and a keyed blake2b digest (the key: a secret of 32 random bytes kept in the
  cache folder, ``key``, 0600, made once); an entry that is not a regular file (never followed
  through a symlink, never waited on as a FIFO), has another size or digest, does not
  unpickle, or holds anything but the model's own types (the unpickler resolves only an
  allow-list of classes) is ignored, and the caller's fresh result replaces it;
- **written atomically**: a temporary file in the cache folder, then ``os.replace``; two
  writers of one key write the same bytes, and a reader sees one whole entry or none;
- **bounded**: after a write, the oldest entries (by last use) go until the folder is under
  :data:`MAX_BYTES`; a read never takes more than the size its entry records (and never more
  than :data:`MAX_BYTES`).

The folder is ``$REFORMCTL_CACHE_DIR``, else ``$XDG_CACHE_HOME/reformctl``, else
``~/.cache/reformctl``, made private (0700). A folder that is not the user's own, or that its
group or others may write, is not used (nor a key file that is not the user's own, 0600):
whoever can write there could make the cache answer for them. ``REFORMCTL_CACHE=off`` turns
the cache off. Any error of the cache itself (a read-only home, a full disk) only means no
cache.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import datetime as dt
import gc
import io
import operator
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from reformctl import errors, i18n, model
from reformctl.errors import Problem
from reformctl.ledger import store as _store
from reformctl.ledger.store import (
    DIGEST,
    MAGIC,
    MAX_BYTES,
    SECRET,
    SIZE,
    WORKSPACE,
    _secrets,
    _trim,
    code_version,
    enabled,
    files_version,
    folder,
    get_bytes,
    key,
    put_bytes,
)
from reformctl.model import Ledger

# the store's names are used through this module as before the split (issue #23 item 5)
__all__ = [
    "DIGEST",
    "MAGIC",
    "MAX_BYTES",
    "SECRET",
    "SIZE",
    "WORKSPACE",
    "_secrets",
    "_trim",
    "cached_data",
    "cached_model",
    "cached_scan",
    "code_version",
    "dumps_model",
    "enabled",
    "files_version",
    "folder",
    "get_bytes",
    "key",
    "loads_model",
    "put_bytes",
    "reading_only",
    "store_model",
    "store_scan",
    "stores_after",
]

# -- the model ----------------------------------------------------------------------------------

_ALLOWED: dict[tuple[str, str], Any] = {
    **{
        ("reformctl.model", name): obj
        for name, obj in vars(model).items()
        if isinstance(obj, type) and dataclasses.is_dataclass(obj)
    },
    ("reformctl.errors", "Problem"): errors.Problem,
    ("reformctl.i18n", "L"): i18n.L,  # a label in a problem's arguments
    ("reformctl.i18n", "Choices"): i18n.Choices,  # the choices a problem lists
    ("datetime", "date"): dt.date,
    ("datetime", "datetime"): dt.datetime,
    ("datetime", "timedelta"): dt.timedelta,
    ("datetime", "timezone"): dt.timezone,
    ("datetime", "time"): dt.time,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "set"): set,
}


_Reducer = Callable[[Any], tuple[Any, tuple[Any, ...]]]


def _by_fields(cls: type, shared: dict[Any, Any]) -> _Reducer:
    names = tuple(f.name for f in dataclasses.fields(cls))
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (cls, (_share(get(obj), shared),))
    return lambda obj: (cls, tuple([_share(v, shared) for v in get(obj)]))


def _share(value: Any, shared: dict[Any, Any]) -> Any:
    """One object for each distinct string and date (and tuple of them), so that the pickler
    writes each once and refers to it after: a ledger names the same units, dates and
    milestone names thousands of times. Halves an entry, and what it loads into."""
    kind = type(value)
    if kind is str or kind is dt.date:
        return shared.setdefault((kind, value), value)
    if kind is tuple and value and type(value[0]) is str:
        return tuple([_share(v, shared) for v in value])
    return value


def _shared(value: Any, seen: dict[Any, Any]) -> Any:
    """Parsed data with one object for each distinct string and date (as :func:`_share` does
    for the model): equal to it, half the size to load (a merge driver holds it whole)."""
    kind = type(value)
    if kind is dict:
        return {_share(k, seen): _shared(v, seen) for k, v in value.items()}
    if kind is list:
        return [_shared(v, seen) for v in value]
    return _share(value, seen)


def _dispatch() -> dict[type, _Reducer]:
    """How each of the model's dataclasses pickles: by its constructor's arguments (twice as
    fast to load as slots state), equal strings and dates shared within one entry."""
    shared: dict[Any, Any] = {}
    return {
        cls: _by_fields(cls, shared)
        for cls in _ALLOWED.values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls)
    }


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"not a ledger type: {module}.{name}")
        return found


def dumps_model(ledger: Ledger | None, problems: list[Problem]) -> bytes:
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=5)
    pickler.dispatch_table = {**copyreg.dispatch_table, **_dispatch()}
    pickler.dump((ledger, problems))
    return buf.getvalue()


def loads_model(payload: bytes) -> tuple[Ledger | None, list[Problem]] | None:
    """The model in a payload, or None if it is not one."""
    try:
        value = _Unpickler(io.BytesIO(payload)).load()
    except Exception:
        return None
    if not (isinstance(value, tuple) and len(value) == 2):
        return None
    ledger, problems = value
    if ledger is not None and not isinstance(ledger, Ledger):
        return None
    if not isinstance(problems, list) or not all(isinstance(p, Problem) for p in problems):
        return None
    return ledger, problems


def cached_model(
    content: bytes,
    name: str,
    compute: Callable[[], tuple[Ledger | None, list[Problem], dict[str, Any] | None]],
    kind: str = "model",
) -> tuple[Ledger | None, list[Problem]]:
    """The model and problems of ``content`` read under ``name``: from the cache when an
    intact entry of exactly these bytes exists, else ``compute()`` (the model, its problems
    and the parsed data), which is then stored (the data too, for a write's proof).
    ``kind`` is "model" for one file's text, :data:`WORKSPACE` for a workspace's files (each
    name and text: never the same entry as a file's whatever its bytes)."""
    if not enabled():
        ledger, problems, _ = compute()
        return ledger, problems
    entry = key(kind, content, name)
    payload = get_bytes(entry)
    if payload is not None:
        found = loads_model(payload)
        if found is not None:
            return found
    ledger, problems, data = compute()
    store_model(entry, ledger, problems, data=(content, data))
    return ledger, problems


def cached_scan(content: bytes) -> Any:
    """The lexer's headers of exactly ``content`` (a text's UTF-8 bytes) as
    :func:`store_scan` stored them: a list of header tuples and where the lexer stopped, or
    None when there is no intact entry of that form."""
    value = _unpickled("scan", content)
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], list)):
        return None
    return value


def store_scan(content: bytes, headers: Sequence[tuple[Any, ...]], stopped: int | None) -> None:
    """Store the lexer's headers of ``content`` (in the background, as a model is): the
    positions of a 10,000-point ledger's 55,000 tables load in a quarter of the time it takes
    to find them again."""
    if not enabled():
        return
    entry = key("scan", content)

    def store() -> None:
        shared: dict[Any, Any] = {}
        rows = [(_share(h[0], shared), *h[1:]) for h in headers]
        with contextlib.suppress(Exception):
            put_bytes(entry, pickle.dumps((rows, stopped), protocol=5))

    _schedule(store, None)


def cached_data(content: bytes) -> dict[str, Any] | None:
    """The parsed data of exactly ``content`` (a TOML text's UTF-8 bytes), if an intact entry
    holds it: what :func:`reformctl.ledger.read.loads` gave for these bytes before."""
    value = _unpickled("data", content)
    return value if isinstance(value, dict) else None


def parsed_data(text: str, name: str) -> dict[str, Any]:
    """:func:`reformctl.ledger.read.parsed` of ``text``, from the data entry of exactly its
    bytes when there is one (what ``diff`` compares: the working tree's text was read by the
    command before, the revision's when it was the working tree's); else parsed, and the data
    stored in the background for the next time."""
    from reformctl.ledger.read import parsed

    if not enabled():
        return parsed(text, name)
    content = text.removeprefix("\ufeff").encode("utf-8", "surrogatepass")
    found = cached_data(content)
    if found is not None:
        return found
    data = parsed(text, name)

    def store() -> None:
        with contextlib.suppress(Exception):
            put_bytes(key("data", content), pickle.dumps(_shared(data, {}), protocol=5))

    _schedule(store, None, heavy=True)
    return data


def _unpickled(kind: str, content: bytes) -> Any:
    """What an intact entry of ``kind`` for ``content`` holds, through the allow-listed
    unpickler; None when there is none (or the cache is off)."""
    if not enabled():
        return None
    payload = get_bytes(key(kind, content))
    if payload is None:
        return None
    try:
        return _Unpickler(io.BytesIO(payload)).load()
    except Exception:
        return None


def store_model(
    entry: str,
    ledger: Ledger | None,
    problems: list[Problem],
    background: bool | None = None,
    data: tuple[bytes, dict[str, Any] | None] | None = None,
) -> None:
    """Store a model under ``entry`` (and, given ``data`` as (content, parsed data), the data
    of that content). Pickling a 10,000-point model takes about a quarter of a second: unless
    ``background`` is False (or ``REFORMCTL_CACHE=sync``), a detached process does it, so
    that a first read is no slower than without a cache. Within :func:`stores_after` (a CLI
    command) that process is started once the command has done its work (its output is out):
    forked earlier, every page the command then touched was copied for it, and it ran beside
    the command on the same cores."""
    problems = list(problems)  # as they are now, whatever the caller does with its list

    def store() -> None:
        with contextlib.suppress(Exception):  # a model that cannot be stored is not cached
            put_bytes(entry, dumps_model(ledger, problems))
        if data is not None and data[1] is not None:
            with contextlib.suppress(Exception):
                shared = _shared(data[1], {})
                put_bytes(key("data", data[0]), pickle.dumps(shared, protocol=5))

    _schedule(store, background, heavy=True)


def _schedule(store: Callable[[], None], background: bool | None, heavy: bool = False) -> None:
    """Run ``store`` now (``background`` False, or ``REFORMCTL_CACHE=sync``), or in a detached
    process: within :func:`stores_after`, when the command has done its work. A ``heavy``
    store holds a whole model and its data until then: only one is put off at a time."""
    if _reading_only or _store._ready(create=True) is None:
        return  # (a folder that is not used: no process is started to write nothing)
    if background is None:
        background = os.environ.get("REFORMCTL_CACHE", "").strip().lower() != "sync"
    background = background and hasattr(os, "fork")  # elsewhere (Windows) it is done here
    if not background:
        store()
        return
    global _heavy_pending
    if _deferring:
        # a command that reads many ledgers (history, diff) lets each go
        if heavy and _heavy_pending:
            _store_pending()
        _pending.append(store)
        _heavy_pending = _heavy_pending or heavy
        return
    _store_detached([store])


_reading_only = 0


@contextlib.contextmanager
def reading_only() -> Iterator[None]:
    """Entries are read within, none is made: for what is read once and kept otherwise (the
    old revisions ``history`` counts, whose figures it keeps), so that a hundred of them do
    not push the working tree's model out of the cache."""
    global _reading_only
    _reading_only += 1
    try:
        yield
    finally:
        _reading_only -= 1


_pending: list[Callable[[], None]] = []
_heavy_pending = False  # one of them holds a model
_deferring = 0


@contextlib.contextmanager
def stores_after() -> Iterator[None]:
    """Put off the background stores of what runs inside until it has finished, then make
    them in one detached process (one command: what it reads stays alive until it ends)."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
        if not _deferring:
            _store_pending()


def _store_pending() -> None:
    """Make the put-off stores now, in one detached process."""
    global _heavy_pending
    jobs = list(_pending)
    _pending.clear()
    _heavy_pending = False
    if jobs:
        _store_detached(jobs)


def _store_detached(jobs: list[Callable[[], None]]) -> None:
    """Run ``jobs`` in a detached process (what was written so far is flushed first: the
    child must not write it again)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    if _detach():
        return  # this process goes on; the detached one stores the entries and exits
    try:  # the detached grandchild: store, and leave without running anything of the parent's
        gc.disable()
        for job in jobs:
            job()
    finally:
        os._exit(0)


def _detach() -> bool:
    """Fork a detached grandchild (no terminal, no inherited files, not waited for). True in
    this process (also when fork fails: then nothing is stored, and the next read that can
    makes the entry), False in the grandchild. Everything the grandchild runs is imported
    already: an import there could wait for a lock another thread of the parent held."""
    try:
        child = os.fork()
    except OSError:
        return True
    if child:
        with contextlib.suppress(ChildProcessError, InterruptedError):
            os.waitpid(child, 0)
        return True
    try:  # the child: let go of every file the parent holds (pipes a reader waits on, the lock)
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.closerange(3, _max_fd())
        if os.fork():
            os._exit(0)
    except BaseException:
        os._exit(0)
    return False


def _max_fd() -> int:
    try:
        return max(os.sysconf("SC_OPEN_MAX"), 256)
    except (OSError, ValueError):
        return 4096
