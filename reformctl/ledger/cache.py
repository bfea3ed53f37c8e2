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
import datetime as dt
import io
import operator
import pickle
from collections.abc import Callable
from typing import Any

from reformctl import errors, i18n, model, records
from reformctl.errors import Problem
from reformctl.ledger import store as _store
from reformctl.ledger.store import (
    DATA_STEP,
    DIGEST,
    MAGIC,
    MAX_BYTES,
    MAX_STEPS,
    SCAN_STEP,
    SECRET,
    SIZE,
    WORKSPACE,
    _pending,
    _schedule,
    _secrets,
    _trim,
    cached_scan,
    code_version,
    enabled,
    files_version,
    folder,
    get_bytes,
    key,
    put_bytes,
    reading_only,
    store_scan,
    stores_after,
)
from reformctl.model import Ledger

# a text's parsed data, or a function that gives it (called when its entry is stored)
Data = dict[str, Any] | Callable[[], dict[str, Any] | None]

# the store's names are used through this module as before the split (issue #23 item 5)
__all__ = [
    "DATA_STEP",
    "DIGEST",
    "MAGIC",
    "MAX_BYTES",
    "SCAN_STEP",
    "SECRET",
    "SIZE",
    "WORKSPACE",
    "_pending",
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
    "store_data",
    "store_model",
    "store_scan",
    "stores_after",
]

# -- the model ----------------------------------------------------------------------------------

_ALLOWED: dict[tuple[str, str], Any] = {
    **{
        ("reformctl.model", name): obj
        for name, obj in vars(model).items()
        if isinstance(obj, type) and records.is_record(obj)
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


def _by_fields(cls: type, share: Callable[[Any], Any]) -> _Reducer:
    names = records.fields(cls)
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (cls, (share(get(obj)),))
    return lambda obj: (cls, tuple(map(share, get(obj))))


def _sharer(shared: dict[Any, Any]) -> Callable[[Any], Any]:
    """A function that gives one object for each distinct string and date (and tuple of
    them), so that the pickler writes each once and refers to it after: a ledger names the
    same units, dates and milestone names thousands of times. Halves an entry, and what it
    loads into. (A string is never equal to a date: both are kept in ``shared`` by value.)"""
    keep = shared.setdefault
    date = dt.date

    def share(value: Any) -> Any:
        kind = type(value)
        if kind is str or kind is date:
            return keep(value, value)
        if kind is tuple and value and type(value[0]) is str:
            return tuple(map(share, value))
        return value

    return share


def _shared(value: Any, seen: dict[Any, Any]) -> Any:
    """Parsed data with one object for each distinct string and date (as :func:`_sharer`
    does for the model): equal to it, half the size to load (a merge driver holds it whole)."""
    share = _sharer(seen)
    keep = seen.setdefault
    date = dt.date

    def walk(value: Any) -> Any:
        kind = type(value)
        if kind is dict:
            return {share(k): walk(v) for k, v in value.items()}
        if kind is list:
            return list(map(walk, value))
        if kind is str or kind is date:  # (share's first case, inline: most values)
            return keep(value, value)
        return share(value)

    return walk(value)


def _dispatch() -> dict[type, _Reducer]:
    """How each of the model's classes pickles: by its constructor's arguments (twice as
    fast to load as slots state), equal strings and dates shared within one entry."""
    share = _sharer({})
    return {
        cls: _by_fields(cls, share)
        for cls in _ALLOWED.values()
        if isinstance(cls, type) and records.is_record(cls)
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
    compute: Callable[[], tuple[Ledger | None, list[Problem], Data | None]],
    kind: str = "model",
) -> tuple[Ledger | None, list[Problem]]:
    """The model and problems of ``content`` read under ``name``: from the cache when an
    intact entry of exactly these bytes exists, else ``compute()`` (the model, its problems
    and the parsed data), which is then stored (the data too, for a write's proof).
    The data may be a function that gives it (parsed again by the process that stores it).
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


# beside a model entry of one file's text with no problem, an entry that says so: a write
# needs to know that much of the old text, not its whole model (its name is the model entry's
# with "clean" for "model": made, like any entry, with the folder's secret)
_MODEL, _CLEAN, CLEAN = "model-", "clean-", b"no problem"


def known_clean(content: bytes, name: str) -> bool:
    """Whether this code read ``content`` under ``name`` before and built its model with no
    problem (the entry a model entry with none has beside it)."""
    if not enabled():
        return False
    entry = key("model", content, name)
    return get_bytes(_CLEAN + entry.removeprefix(_MODEL)) == CLEAN


def model_of(content: bytes, name: str) -> tuple[Ledger | None, list[Problem]] | None:
    """The model entry of ``content`` read under ``name``, if an intact one exists."""
    if not enabled():
        return None
    payload = get_bytes(key("model", content, name))
    return None if payload is None else loads_model(payload)


def cached_data(content: bytes) -> dict[str, Any] | None:
    """The parsed data of exactly ``content`` (a TOML text's UTF-8 bytes), if an intact entry
    holds it: what :func:`reformctl.ledger.read.loads` gave for these bytes before (or, for a
    write's new text, its old text's data with the step the write stored: :func:`_step`)."""
    if not enabled():
        return None
    value = _unpickled_named(key("data", content))
    if isinstance(value, dict):
        return value
    return _data_by_step(key(DATA_STEP, content), 0)


# -- a write's new text, as a step from its old text's entries ----------------------------------
#
# A write proven by its sections shares with the old data every table it did not change; the
# next write reads the new text's data and headers ~0.1 s after it starts, while the detached
# writer of this one still runs beside it. So that writer stores first, at the command's
# priority, only how the new text's data and headers differ from the old text's (whose entries
# the write itself read): a few kilobytes, not ~4 MB to pickle and write. The whole entries
# follow at the writer's lowered priority (a chain of steps stays short: at most MAX_STEPS).
_GONE = object()


def _step(old: Any, new: Any) -> tuple[str, Any]:
    """How ``new`` differs from ``old``, by identity: ("=", value) for a value taken whole,
    or ("{", entries) for a table whose entries are each its key (the very object of the
    old table's, kept) or (key, step), in the new table's order. Exact whatever the objects:
    what is not the same object is stored whole."""
    if type(old) is not dict or type(new) is not dict:
        return ("=", new)
    get = old.get
    return ("{", [k if get(k, _GONE) is v else (k, _step(get(k), v)) for k, v in new.items()])


def _stepped(base: Any, step: Any) -> Any:
    """``base`` with ``step`` (:func:`_step`) made: the new value."""
    kind, what = step
    if kind == "=":
        return what
    if kind != "{" or type(base) is not dict or type(what) is not list:
        raise ValueError("not a step")
    out = {}
    for entry in what:
        if type(entry) is str:
            out[entry] = base[entry]
        else:
            k, sub = entry
            out[k] = _stepped(base.get(k), sub)
    return out


def _data_by_step(name: str, depth: int) -> dict[str, Any] | None:
    """The data a step entry ``name`` gives: its base's (whole, or by a step of its own)
    with its step made; None when a link is missing."""
    found = _unpickled_named(name)
    try:
        base_name, base_step, step = found
        base = _unpickled_named(base_name)
        if not isinstance(base, dict) and depth < MAX_STEPS:
            base = _data_by_step(base_step, depth + 1)
        value = _stepped(base, step) if isinstance(base, dict) else None
    except Exception:
        return None
    return value if isinstance(value, dict) else None


def _scan_step(old: list[Any], new: list[Any]) -> tuple[Any, ...]:
    """How the headers ``new`` differ from ``old``: the old ones kept at the start, the new
    ones between, and the old ones at the end moved by a number of characters and lines:
    (len(old), kept, moved, characters, lines, [rows between])."""
    n, m = len(old), len(new)
    kept = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(n, m))
    moved = chars = lines = 0
    if kept < min(n, m):
        chars, lines = new[-1].start - old[-1].start, new[-1].line - old[-1].line
        for a, b in zip(reversed(old[kept:]), reversed(new[kept:]), strict=False):
            path, start, body, line, col, array = b
            if not (
                path == a.path
                and start == a.start + chars
                and body == a.body + chars
                and line == a.line + lines
                and col == a.col
                and array == a.array
            ):
                break
            moved += 1
    between = [tuple(h) for h in new[kept : m - moved]]
    return (n, kept, moved, chars, lines, between)


def store_step(
    content: bytes,
    old: bytes,
    old_data: dict[str, Any],
    new_data: dict[str, Any],
    old_headers: list[Any],
    new_headers: list[Any],
) -> None:
    """Store the new text's (``content``'s) data and headers as steps from the old text's
    (``old``'s) entries (see above). In the process that stores the entries."""
    data = (key("data", old), key(DATA_STEP, old), _step(old_data, new_data))
    put_bytes(key(DATA_STEP, content), pickle.dumps(data, protocol=5))
    scan = (key("scan", old), key(SCAN_STEP, old), *_scan_step(old_headers, new_headers))
    put_bytes(key(SCAN_STEP, content), pickle.dumps(scan, protocol=5))


def store_data(content: bytes | Callable[[], bytes], data: dict[str, Any]) -> None:
    """Store the parsed ``data`` of exactly ``content`` (in the background, as a model is):
    what :func:`cached_data` gives for these bytes the next time. ``content`` may be a
    function that gives the bytes (encoded again by the process that stores the entry)."""
    if not enabled():
        return

    def store() -> None:
        with contextlib.suppress(Exception):
            raw = content() if callable(content) else content
            put_bytes(key("data", raw), pickle.dumps(_shared(data, {}), protocol=5), compress=False)

    _schedule(store, None, heavy=True)


def _tried(job: Callable[[], Any] | None) -> bool:
    """Whether ``job`` ran and did not fail (an entry that cannot be stored is not cached; the
    ones after it still are)."""
    if job is None:
        return False
    try:
        job()
    except Exception:
        return False
    return True


def _still(current: Callable[[], bool]) -> bool:
    try:
        return current()
    except Exception:
        return True  # (not known: the model is made)


def _unpickled_named(name: str) -> Any:
    """What the intact entry ``name`` holds, through the allow-listed unpickler; None when
    there is none."""
    payload = get_bytes(name)
    if payload is None:
        return None
    try:
        return _Unpickler(io.BytesIO(payload)).load()
    except Exception:
        return None


def store_model(
    entry: str | Callable[[], str],
    ledger: Ledger | Callable[[], Ledger | None] | None,
    problems: list[Problem],
    background: bool | None = None,
    data: tuple[bytes, Data | None] | None = None,
    shared: bool = False,
    checked: bool = False,
    then: Callable[[], None] | None = None,
    step: Callable[[], None] | None = None,
    current: Callable[[], bool] | None = None,
) -> None:
    """Store a model under ``entry`` (and, given ``data`` as (content, parsed data), the data
    of that content; the data may be a function that gives it, called by the process that
    stores the entries). Pickling a 10,000-point model takes about a quarter of a second: unless
    ``background`` is False (or ``REFORMCTL_CACHE=sync``), a detached process does it, so
    that a first read is no slower than without a cache. Within :func:`stores_after` (a CLI
    command) that process is started once the command has done its work (its output is out):
    forked earlier, every page the command then touched was copied for it, and it ran beside
    the command on the same cores. ``ledger`` may be a function that gives the model (what
    only the entry needs done is then done by the process that stores it; so may ``entry``,
    a function that gives its name: a key hashes the whole text). ``shared``: the data has
    one object for each distinct string and date already (it is a cached entry's data with a
    few tables changed: the pickler writes each object once), not made so again.
    ``checked``: the rules found no problem in this text (a write's, which checked it before
    writing it): its data and the entry that says it is clean go first, what the next write
    cannot do without (else it reads the text whole), then ``then`` (its headers, which spare
    the next write a scan), and its model last (that only a read needs). ``step``: a function
    that stores the data and headers as steps from the old text's (:func:`store_step`), a
    fraction of the cost: then it goes first, and the whole data and headers after it, once
    the writer has lowered its priority. ``current``: whether the text is still the ledger's,
    asked by the detached writer when its turn comes (one at a time: see
    :func:`~reformctl.ledger.store.yield_to_others`): a model of a text already written over
    is not made (no read would find it; the next write's writer builds its own without it).
    A read's model goes first too; its data and headers (a write's, parsed and scanned again)
    after the writer has yielded."""
    problems = list(problems)  # as they are now, whatever the caller does with its list
    first = checked and not problems

    def store_data() -> None:
        if data is not None and data[1] is not None:
            parsed = data[1]() if callable(data[1]) else data[1]
            if parsed is not None:
                value = parsed if shared else _shared(parsed, {})
                put_bytes(key("data", data[0]), pickle.dumps(value, protocol=5), compress=False)

    def whole_entries() -> None:  # the data and headers a write on this text reads
        _tried(store_data)
        _tried(then)

    def mark_clean(name: str) -> None:
        if name.startswith(_MODEL):
            _tried(lambda: put_bytes(_CLEAN + name.removeprefix(_MODEL), CLEAN))

    def store() -> None:
        try:
            name = entry() if callable(entry) else entry
        except Exception:
            return  # (no key: no entry)
        if first:  # what the next write reads, first: as steps when it can, else whole
            stepped = _tried(step)
            if not stepped:
                _tried(store_data)
            mark_clean(name)
            if not stepped:
                _tried(then)
            detached = _store.yield_to_others()  # (the model is for a read, later)
            if stepped:  # the whole entries: a chain of steps stays short
                whole_entries()
            if detached and current is not None and not _still(current):
                return
        with contextlib.suppress(Exception):  # a model that cannot be stored is not cached
            model = ledger() if callable(ledger) else ledger
            put_bytes(name, dumps_model(model, problems))
            if not first and not problems and model is not None:
                mark_clean(name)
        if not first:  # a read's: the model (what the next read needs) first; then it yields
            _store.yield_to_others()  # before it parses and scans the whole text again
            whole_entries()

    _schedule(store, background, heavy=True)
