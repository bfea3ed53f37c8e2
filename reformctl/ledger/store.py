"""The cache's store: entries of bytes under a key, kept safe (issue #23 item 5: cache.py
split by job; :mod:`reformctl.ledger.cache` keeps what goes into an entry).

Light on purpose: it imports neither the model nor the messages, so that a command can look
up an entry before it has imported anything heavy (the answers of :mod:`reformctl.answers`).
What this module guarantees (a key of the exact content and the code, entries checked by a
keyed digest, written atomically, bounded, a folder that is the user's own) is said in
:mod:`reformctl.ledger.cache`'s docstring.
"""

from __future__ import annotations

import contextlib
import gc
import operator
import os
import stat
import sys
import time
import zlib

# hashlib's blake2b (_blake2's: hashlib has no other) and hmac's constant-time comparison without
# OpenSSL (_operator's), without hashlib and hmac loading OpenSSL (~2.5 ms of every command)
from _blake2 import blake2b
from _operator import _compare_digest as compare_digest
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

MAGIC = b"reformctl-cache 2\n"
DIGEST = 32
SIZE = 8  # the payload's size, recorded after the magic line
MAX_BYTES = 256 * 1024 * 1024  # the whole folder; one 10,000-point entry is about 1.5 MB
SECRET = "key"  # the file of the folder's secret (the digests' key)
_SECRET_BYTES = 32
_SUFFIX = ".bin"
WORKSPACE = "workspace-model"  # the kind of a workspace's model entry
DATA_STEP, SCAN_STEP, MAX_STEPS = "datastep", "scanstep", 8  # a write's steps (cache.store_step)
_OPEN_FLAGS = os.O_RDONLY | sum(  # (an entry, the key: no symlink followed, no FIFO waited on)
    getattr(os, flag, 0) for flag in ("O_NOFOLLOW", "O_NONBLOCK", "O_CLOEXEC", "O_BINARY")
)

_version: bytes | None = None


def enabled() -> bool:
    return os.environ.get("REFORMCTL_CACHE", "").strip().lower() not in ("off", "0", "no", "false")


def folder() -> Path | None:
    """The cache folder (not created), or None when the cache is off."""
    if not enabled():
        return None
    explicit = os.environ.get("REFORMCTL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "reformctl"


def code_version() -> bytes:
    """What made an entry: every source file of reformctl, pytomlpp's files, Python's version.
    A file is known by its path, size, inode, modification and change times (a checkout or a
    save writes a new inode; a write in place moves the change time, which no one can set
    back); nothing is read or imported. A copied tree is a new version: a miss, never a wrong
    hit."""
    global _version
    if _version is None:
        import importlib.util

        spec = importlib.util.find_spec("pytomlpp")
        locations = list(spec.submodule_search_locations or []) if spec else []
        _version = files_version(
            Path(__file__).resolve().parent.parent, [Path(p) for p in locations]
        )
    return _version


def files_version(package: Path, others: Sequence[Path] = ()) -> bytes:
    """blake2b of what :func:`code_version` looks at: every ``.py`` under ``package`` and every
    file directly in each of ``others``, by path, size, inode and times; Python's version;
    MAGIC."""
    h = blake2b(digest_size=DIGEST)

    def add(entry: os.DirEntry[str], name: str) -> None:
        st = entry.stat()
        times = f"{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}"
        h.update(f"{name}\0{st.st_size}\0{times}\0".encode())

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as it:
            entries = sorted(it, key=operator.attrgetter("name"))
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    walk(entry.path, prefix + entry.name + "/")
            elif entry.name.endswith(".py"):
                add(entry, prefix + entry.name)

    walk(str(package), "")
    for other in others:
        with contextlib.suppress(OSError), os.scandir(other) as it:
            for entry in sorted(it, key=operator.attrgetter("name")):
                if entry.is_file():
                    add(entry, f"{other.name}/{entry.name}")
    h.update(sys.version.encode())
    h.update(MAGIC)
    return h.digest()


def key(kind: str, content: bytes, *parts: str) -> str:
    """The entry's name: blake2b of the code's version, the kind, ``parts`` and ``content``'s
    own blake2b (:func:`_content_digest`)."""
    h = blake2b(code_version(), digest_size=DIGEST)
    for part in (kind, *parts):
        encoded = part.encode("utf-8", "surrogatepass")
        h.update(len(encoded).to_bytes(8, "little") + encoded)
    h.update(_content_digest(content))
    return f"{kind}-{h.hexdigest()}"


# the digests of the last two large contents keyed (a write keys the old text, then the new),
# found by comparing bytes (the object, else lengths then memcmp), not by hashing them first
_digests: list[tuple[bytes, bytes]] = []
_LARGE = 1 << 16


def _content_digest(content: bytes) -> bytes:
    if len(content) < _LARGE:
        return blake2b(content, digest_size=DIGEST).digest()
    for known, digest in _digests:
        if known is content or known == content:
            return digest
    found = _hashed_ahead(content) or blake2b(content, digest_size=DIGEST).digest()
    if len(_digests) >= 2:
        _digests.clear()
    _digests.append((content, found))
    return found


# contents being hashed by a thread (see digest_ahead): the content, the thread, its digest
_ahead: list[tuple[bytes, Any, list[bytes]]] = []


def digest_ahead(content: bytes) -> None:
    """Start hashing ``content`` (a large text's bytes, keyed next) in a thread, which lets go
    of the interpreter: a write hashes its old text while it decodes it (~10 ms at 10,000
    points). :func:`_content_digest` takes the digest when it keys these very bytes."""
    if len(content) < _LARGE or not enabled() or _reading_only:
        return
    _join_ahead()  # (one at a time: a text never keyed, say a CRLF one's bytes, is let go)
    # start-up: a write (`done`, `log`, `extend`...) has threading loaded already
    import threading

    out: list[bytes] = []

    def run() -> None:
        out.append(blake2b(content, digest_size=DIGEST).digest())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    _ahead.append((content, thread, out))


def _hashed_ahead(content: bytes) -> bytes | None:
    """The digest a thread made of these very bytes (the same object), once it is done."""
    for i, (ahead, thread, out) in enumerate(_ahead):
        if ahead is content:
            del _ahead[i]
            thread.join()
            return out[0] if out else None
    return None


def _join_ahead() -> None:
    """Wait for every hashing thread (before a fork: the child must be the only thread)."""
    while _ahead:
        _ahead.pop()[1].join()


# -- entries ------------------------------------------------------------------------------------


def get_bytes(name: str) -> bytes | None:
    """The payload of entry ``name``, or None (absent, off, or not whole, intact and made
    with this folder's secret)."""
    ready = _ready(create=False)
    if ready is None:
        return None
    where, secret = ready
    packed = _read_entry(where / (name + _SUFFIX), name, secret)
    if packed is None:
        return None
    try:
        return zlib.decompress(packed)
    except zlib.error:
        return None


def _read_entry(path: Path, name: str, secret: bytes) -> bytes | None:
    """The packed payload of the entry at ``path`` when it is a regular file (no symlink
    followed, no FIFO waited on) of the size it records and the digest ``secret`` gives."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        head = len(MAGIC) + SIZE + DIGEST
        if not stat.S_ISREG(st.st_mode) or not head <= st.st_size <= MAX_BYTES:
            return None
        first = _read_exactly(fd, head)
        if first is None or not first.startswith(MAGIC):
            return None
        size = int.from_bytes(first[len(MAGIC) : len(MAGIC) + SIZE], "little")
        if head + size != st.st_size:
            return None
        packed = _read_exactly(fd, size)
        if packed is None:
            return None
        if not compare_digest(first[-DIGEST:], _digest(secret, name, packed)):
            return None
        with contextlib.suppress(OSError, NotImplementedError, TypeError):
            os.utime(fd if os.utime in os.supports_fd else path)  # last use, for eviction
        return packed
    except OSError:
        return None
    finally:
        os.close(fd)


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from ``fd``, or None when the file ends before."""
    chunks: list[bytes] = []
    left = size
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)  # (b"" for none)


def _digest(secret: bytes, name: str, packed: bytes) -> bytes:
    """The keyed digest of an entry: of its name (an entry copied to another name fails) and
    its payload. Keyed blake2b costs what plain blake2b does."""
    h = blake2b(key=secret, digest_size=DIGEST)
    encoded = name.encode("utf-8", "surrogatepass")
    h.update(len(encoded).to_bytes(8, "little") + encoded)
    h.update(packed)
    return h.digest()


def put_bytes(name: str, payload: bytes, compress: bool = True) -> None:
    """Write entry ``name`` atomically; then keep the folder within :data:`MAX_BYTES`. Not
    ``compress``: stored as it is (zlib's level 0), for an entry a write reads whole (a text's
    data, headers): inflating them took ~7 ms at 10,000 points, for ~3 MB more a text."""
    ready = _ready(create=True)
    if ready is None:
        return
    where, secret = ready
    packed = zlib.compress(payload, 1 if compress else 0)
    size = len(packed).to_bytes(SIZE, "little")
    blob = MAGIC + size + _digest(secret, name, packed) + packed
    tmp = where / f".{name}.{os.getpid()}.{id(blob):x}.tmp"
    try:
        _write_new(tmp, blob)
        tmp.replace(where / (name + _SUFFIX))
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    _trim(where)


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file at ``path`` (0600; never through a name that exists)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


# -- the lexer's headers of a text --------------------------------------------------------------


def cached_scan(content: bytes) -> tuple[list[tuple[Any, ...]], int | None] | None:
    """The lexer's headers of exactly ``content`` (a text's UTF-8 bytes) as
    :func:`store_scan` stored them: a list of header tuples and where the lexer stopped, or
    None when there is no intact entry of that form."""
    if not enabled():
        return None
    return _scan_named(key("scan", content), key(SCAN_STEP, content), 0)


def _scan_named(name: str, step: str, depth: int) -> tuple[list[Any], int | None] | None:
    """The headers in scan entry ``name``, else its base's with step entry ``step`` made (a
    write's new text's, stored first so: :func:`reformctl.ledger.cache.store_step`)."""
    value = _plain(get_bytes(name))
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], list):
        return value
    try:
        base_name, base_step, n, kept, moved, chars, lines, between = _plain(get_bytes(step))
        found = _scan_named(base_name, base_step, depth + 1) if depth < MAX_STEPS else None
        rows, stopped = found or ([], 0)
        if stopped is not None or len(rows) != n or not isinstance(between, list):
            return None
        tail = [(r[0], r[1] + chars, r[2] + chars, r[3] + lines, *r[4:]) for r in rows[n - moved :]]
        return rows[:kept] + between + tail, None
    except Exception:
        return None


def _plain(payload: bytes | None) -> Any:
    """What ``payload`` pickles when it holds no class (all a scan entry holds), else None."""
    if payload is None:
        return None
    import io  # (pickle here, not at the top: an answer is looked up without it)
    import pickle

    class Plain(pickle.Unpickler):
        """Loads tuples, lists, strings, numbers and None only: all a scan entry holds."""

        def find_class(self, module: str, name: str) -> Any:
            raise pickle.UnpicklingError(f"not in a scan entry: {module}.{name}")

    try:
        return Plain(io.BytesIO(payload)).load()
    except Exception:
        return None


def store_scan(
    content: bytes,
    headers: Sequence[tuple[Any, ...]] | Callable[[], tuple[Sequence[tuple[Any, ...]], int | None]],
    stopped: int | None = None,
    now: bool = True,
) -> Callable[[], None] | None:
    """Store the lexer's headers of ``content`` (in the background, as a model is): 55,000
    tables' positions load in a quarter of the time it takes to find them. ``headers`` may be
    a function that gives them and ``stopped`` (run by the process that stores them). (Here,
    not in cache.py: the source index that asks for them is below the model.) Not ``now``:
    the function that stores them is returned, for the caller to have run (a write's)."""
    if not enabled():
        return None
    import pickle  # (not at the top: an answer is looked up without it)

    def store() -> None:
        entry = key("scan", content)  # (hashing the text: here, in the process that stores)
        found, where = headers() if callable(headers) else (headers, stopped)
        parts: dict[str, str] = {}  # one object for each distinct part of a path
        keep = parts.setdefault
        rows = [(tuple(map(keep, h[0], h[0])), *h[1:]) for h in found]
        with contextlib.suppress(Exception):
            put_bytes(entry, pickle.dumps((rows, where), protocol=5), compress=False)

    if not now:
        return store
    _schedule(store, None)
    return None


# -- when an entry is written: now, or by a detached process once the command is done -----------


def _schedule(store: Callable[[], None], background: bool | None, heavy: bool = False) -> None:
    """Run ``store`` now (``background`` False, or ``REFORMCTL_CACHE=sync``), or in a detached
    process: within :func:`stores_after`, when the command has done its work. A ``heavy``
    store holds a whole model and its data until then: only one is put off at a time."""
    if _reading_only or _ready(create=True) is None:
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
    """Entries are read within, none is made: for what is read once (the old revisions
    ``history`` counts), so as not to push the working tree's model out of the cache."""
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
            _store_pending(last=True)


def _store_pending(last: bool = False) -> None:
    """Make the put-off stores now, in one detached process. ``last``: the command is done;
    what the stores hold (a write's model and data) is kept until the process ends, not freed
    object by object (~30 ms at 10,000 points, and the pages it touched copied for the child).
    (A batch made before, to let a command that reads many ledgers go on, is freed.)"""
    global _heavy_pending, _kept
    jobs = list(_pending)
    _pending.clear()
    _heavy_pending = False
    if jobs:
        _store_detached(jobs)
        if last:
            _kept = jobs


def _store_detached(jobs: list[Callable[[], None]]) -> None:
    """Run ``jobs`` in a detached process (output flushed first: not written twice)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    if _detach():
        global _detached
        _detached = bool(_children)
        return  # this process goes on; the detached one stores the entries and exits
    try:  # the detached child: store, and leave without running anything of the parent's
        gc.disable()
        global _writer
        _writer = True
        for job in jobs:
            job()
    finally:
        os._exit(0)


def _detach() -> bool:
    """Fork a detached child (a session of its own, no terminal, no inherited files, not
    waited for: reaped by the next call, or by init). True in this process (also when fork
    fails: nothing is stored), False in the child, which imports nothing (an import could
    wait for a lock another thread held). One fork, not the daemon's two: the second copied
    the command's memory again, for a child with no terminal (its streams are /dev/null)."""
    _reap()
    _join_ahead()
    try:
        child = os.fork()
    except OSError:
        return True
    if child:
        _children.append(child)
        return True
    try:  # the child: let go of every file the parent holds (pipes a reader waits on, the lock)
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.closerange(3, _max_fd())
    except BaseException:
        os._exit(0)
    return False


_kept: list[Callable[[], None]] = []  # the last batch a detached child runs (see above)


LATER_NICE = 10  # how much the detached writer yields once the next write's entries are in


def yield_to_others() -> bool:
    """In the detached writer (True), once the next command's entries are in (else a chained
    write missed them): nice +10, its session's group too; then one at a time (asleep till it
    holds the folder's lock, till it exits): writes back to back left ~0.7 s of CPU each."""
    global _writer
    if not _writer:
        return False
    _writer = False  # (once; in the detached writer only)
    _lower_priority(LATER_NICE)  # (not 19 nor idle-only: it may starve)
    with contextlib.suppress(OSError, AttributeError, TypeError):  # (no lock: go on without)
        lock = os.open(folder() / "writer.lock", os.O_RDWR | os.O_CREAT | _OPEN_FLAGS, 0o600)  # type: ignore[operator]
        for _ in range(600):  # (a minute at most: a writer stuck does not stop the others)
            with contextlib.suppress(OSError):
                os.lockf(lock, os.F_TLOCK, 0)
                return True
            time.sleep(0.1)
    return True


def _lower_priority(by: int) -> None:
    """Nice ``by`` more, and the session's group (Linux weighs a process's nice within it)."""
    try:
        nice = os.nice(by)
    except (AttributeError, OSError):
        return
    with contextlib.suppress(OSError), open("/proc/self/autogroup", "w") as group:
        group.write(str(nice))


_writer = False  # this process is the detached writer (and has not yielded yet)


_children: list[int] = []  # detached children not reaped yet (a process that goes on: tests)
_detached = False


def detached() -> bool:
    """Whether this process has a detached child storing entries (forked and not reaped)."""
    return _detached and bool(_children)


def _reap() -> None:
    for pid in list(_children):
        done = pid
        with contextlib.suppress(ChildProcessError):
            done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            _children.remove(pid)


def _max_fd() -> int:
    with contextlib.suppress(OSError, ValueError):
        return max(os.sysconf("SC_OPEN_MAX"), 256)
    return 4096


# -- the folder and its secret ------------------------------------------------------------------

_secrets: dict[Path, bytes] = {}  # read once a process
_said: set[tuple[str, str]] = set()
report: Callable[[str, dict[str, Any]], None] | None = None  # says an unused folder (--verbose)


def _ready(create: bool) -> tuple[Path, bytes] | None:
    """The cache folder and its secret when the cache is on and the folder may be used (made,
    0700, with its secret, 0600, when ``create``)."""
    where = folder()
    if where is None:
        return None
    try:
        if create:
            with contextlib.suppress(FileExistsError):  # a file there: said below
                where.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = where.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        _say("cache-dir-not-folder", where, "")
        return None
    if not _private(where, st, 0o022, "cache-dir-unsafe"):
        return None
    secret = _secrets.get(where)
    if secret is None:
        secret = _secret(where, create)
        if secret is None:
            return None
        _secrets[where] = secret
    return where, secret


def _private(path: Path, st: os.stat_result, forbidden: int, code: str) -> bool:
    """Whether ``path`` is the user's own and none of the ``forbidden`` mode bits is set
    (where ownership and modes mean something: not on Windows). Said once when not."""
    if not hasattr(os, "geteuid"):
        return True
    owner = st.st_uid == os.geteuid()
    if owner and not st.st_mode & forbidden:
        return True
    mode = f"{stat.S_IMODE(st.st_mode):04o}"
    _say(code, path, _label("cache-owner") if not owner else (_label("cache-mode"), mode))
    return False


def _say(code: str, path: Path, why: object) -> None:
    if report is not None and (code, str(path)) not in _said:
        _said.add((code, str(path)))
        with contextlib.suppress(Exception):
            report(code, {"path": str(path), "why": why})


def _secret(where: Path, create: bool) -> bytes | None:
    """The folder's secret: read from its key file (the user's own, 0600, exactly 32 bytes),
    or made when there is none and ``create`` (written whole, then linked into place: a
    reader sees the whole key or none; of two processes, both use the one linked first)."""
    path = where / SECRET
    for _ in range(3):
        try:
            fd = os.open(path, _OPEN_FLAGS)
        except FileNotFoundError:
            if not create:
                return None
            try:
                made = _make_secret(path)
            except OSError:
                return None  # no key can be made: no cache
            if made is not None:
                return made
            continue  # another process made it first: read that one
        except OSError:
            _say("cache-key-unsafe", path, _label("cache-cannot-open"))
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size != _SECRET_BYTES:
                _say("cache-key-unsafe", path, _label("cache-not-a-key"))
                return None
            if not _private(path, st, 0o077, "cache-key-unsafe"):
                return None
            return _read_exactly(fd, _SECRET_BYTES)
        except OSError:
            return None
        finally:
            os.close(fd)
    return None


def _make_secret(path: Path) -> bytes | None:
    """A new secret linked into place at ``path``; None when a key file was there first."""
    secret = os.urandom(_SECRET_BYTES)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        _write_new(tmp, secret)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return None
        except OSError:  # a file system without hard links: a rename (a race at worst
            if path.exists():  # makes two keys, and the loser's entries miss once)
                return None
            tmp.replace(path)
        return secret
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _trim(where: Path, limit: int | None = None) -> None:
    """Remove the least recently used entries until the folder holds at most ``limit`` bytes
    (temporary files of writers that died an hour ago go too)."""
    limit = MAX_BYTES if limit is None else limit
    entries: list[tuple[float, int, Path]] = []
    total = 0
    now = time.time()
    try:
        listing = list(os.scandir(where))
    except OSError:
        return
    for item in listing:
        try:
            st = item.stat(follow_symlinks=False)
        except OSError:
            continue
        if item.name.endswith(".tmp"):
            if now - st.st_mtime > 3600:
                with contextlib.suppress(OSError):
                    Path(item.path).unlink()
            continue
        if item.name.endswith(_SUFFIX):
            entries.append((st.st_mtime, st.st_size, Path(item.path)))
            total += st.st_size
    entries.sort()
    for _, size, path in entries:
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            path.unlink()
        total -= size


def _label(key: str) -> Any:
    """A message label, imported only when a folder or key is refused (start-up stays light)."""
    # start-up: an answer is looked up before the messages (and all they import) are loaded
    from reformctl import i18n

    return i18n.L(key)
