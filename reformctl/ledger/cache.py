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
from reformctl.ledger.store import (
    DIGEST,
    MAGIC,
    MAX_BYTES,
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
    "DIGEST",
    "MAGIC",
    "MAX_BYTES",
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
    holds it: what :func:`reformctl.ledger.read.loads` gave for these bytes before."""
    value = _unpickled("data", content)
    return value if isinstance(value, dict) else None


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
    entry: str | Callable[[], str],
    ledger: Ledger | Callable[[], Ledger | None] | None,
    problems: list[Problem],
    background: bool | None = None,
    data: tuple[bytes, Data | None] | None = None,
    shared: bool = False,
    checked: bool = False,
    then: Callable[[], None] | None = None,
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
    the next write a scan), and its model last (that only a read needs)."""
    problems = list(problems)  # as they are now, whatever the caller does with its list
    first = checked and not problems

    def store_data() -> None:
        if data is not None and data[1] is not None:
            with contextlib.suppress(Exception):
                parsed = data[1]() if callable(data[1]) else data[1]
                if parsed is None:
                    return
                value = parsed if shared else _shared(parsed, {})
                put_bytes(key("data", data[0]), pickle.dumps(value, protocol=5), compress=False)

    def store() -> None:
        try:
            name = entry() if callable(entry) else entry
        except Exception:
            return  # (no key: no entry)
        if first:  # what the next write reads, first
            store_data()
            if name.startswith(_MODEL):
                with contextlib.suppress(Exception):
                    put_bytes(_CLEAN + name.removeprefix(_MODEL), CLEAN)
            if then is not None:
                with contextlib.suppress(Exception):
                    then()
            # start-up: store is loaded before this module (a name of it, in the writer)
            from reformctl.ledger.store import yield_to_others

            yield_to_others()  # (the model is for a read, later)
        with contextlib.suppress(Exception):  # a model that cannot be stored is not cached
            model = ledger() if callable(ledger) else ledger
            put_bytes(name, dumps_model(model, problems))
            if not first and not problems and model is not None and name.startswith(_MODEL):
                put_bytes(_CLEAN + name.removeprefix(_MODEL), CLEAN)
        if not first:
            store_data()
            if then is not None:
                with contextlib.suppress(Exception):
                    then()

    _schedule(store, background, heavy=True)
