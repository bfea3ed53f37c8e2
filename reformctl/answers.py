"""Answers: a read command's whole output, kept for the exact inputs that made it (issue 25).

A warm ``overdue`` on a 300-point ledger spends most of its time starting up (Typer building
every command, the model's modules imported) and on 10,000 points unpickling a model it shows a
page of: the answer itself was known. The console script starts here. When a command can be
answered from an entry, the entry's bytes are written to stdout and stderr and the process
exits with the entry's code, before typer or the model is imported; otherwise the CLI runs,
and when its answer may be kept, its stdout and stderr are caught (each in a temporary file,
written out unchanged when it ends) and stored.

An entry is keyed (:func:`reformctl.ledger.store.key`, so by the code's version too) by
everything the answer can depend on, and only commands whose answer depends on nothing else
are kept:

- the command: ``overdue``, ``progress``, ``list``, ``show``, and ``check`` in text (no file
  arguments, no ``--ledger`` of its own: the CI formats ask git for the root and say when they
  ran); the whole argument list, as typed; global options only among ``--ledger``,
  ``--today``, ``--lang``, ``--color``, ``--no-pager`` (``--debug`` and ``--verbose`` are
  never kept);
- the day: pinned by ``--today`` or ``REFORMCTL_TODAY`` (an answer on the real clock is not
  kept);
- the ledger: one file, found as the CLI finds it (``--ledger``, ``$REFORMCTL_LEDGER``, else the
  nearest ``ledger.toml``), never a workspace (no ``reformctl.toml`` in its folder or any above,
  nor nearer in the walk), by its resolved path and its exact bytes;
- where it runs: the working folder, every environment variable (but ``_``, ``OLDPWD`` and
  ``SHLVL``, which a shell changes between commands), whether each of stdin, stdout and stderr
  is a terminal and its size: stdout and stderr must be neither a terminal nor the same file
  (their order against each other is not kept);
- exit codes 0, 1 and 2 only (an internal error is never kept).

``REFORMCTL_CACHE=off`` turns answers off with the rest of the cache. Entries live in the
cache's folder, checked as every entry is (:mod:`reformctl.ledger.store`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from reformctl.ledger import store  # light: nothing of the model, the messages or typer

KIND = "answer"
COMMANDS = ("overdue", "progress", "list", "show", "check")
GLOBAL_VALUES = ("--ledger", "--today", "--lang", "--color")
GLOBAL_FLAGS = ("--no-pager",)
VOLATILE = ("_", "OLDPWD", "SHLVL")
CONFIG_NAME = "reformctl.toml"  # (ledger.workspace's, not imported here: it is heavy)
DEFAULT_NAME = "ledger.toml"
MAX_LEDGER = 50 * 1024 * 1024  # what ledger.read reads at most
_KEPT_CODES = (0, 1, 2)


def main() -> None:
    """The console script: an answer kept, else the CLI (its answer kept when it may be)."""
    _closed_streams_opened()
    found = _entry_name(sys.argv[1:])
    if found is not None:
        payload = store.get_bytes(found[0])
        if payload is not None and _replay(payload):
            return
    # start-up: an answer kept is written and the process gone before typer and the CLI load
    from reformctl.cli import main as cli_main

    try:
        if found is None:
            cli_main()
            return
        entry, path, content, st = found
        # start-up: a command whose answer may be kept has its CLI (and this module) loaded
        from reformctl.ledger.parse import file_ident, read_before

        ident = file_ident(st)
        read_before(ident, content)  # (the CLI's read takes these bytes, hashed already)
        _run_and_keep(cli_main, entry, path, ident)
    except SystemExit as exc:
        _leave(exc)
        raise


def _closed_streams_opened() -> None:
    """A standard stream closed when the command starts (``>&-``: Python's is None) is
    opened on the null device: what it would show is discarded, as when its reader has gone
    (``| head``), the command's exit code is its own, and no file the command opens (a
    temporary ledger, a lock) takes the stream's number, where git, run by the command,
    would write into it."""
    if None not in (sys.stdin, sys.stdout, sys.stderr):
        return
    encoding, errors = _stdio_manner()
    for fd, name in enumerate(("stdin", "stdout", "stderr")):
        if getattr(sys, name) is not None:
            continue
        try:
            null = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
        except OSError:
            continue
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
        stream = open(  # noqa: SIM115
            fd,
            "r" if fd == 0 else "w",
            encoding=encoding,
            errors="backslashreplace" if fd == 2 else errors,
            closefd=False,
        )
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _stdio_manner() -> tuple[str, str]:
    """The encoding and error handler Python gives stdin and stdout (stderr's handler is
    always ``backslashreplace``): an open one's, else Python's own choice (surrogateescape
    in UTF-8 mode and in the C, POSIX and C.UTF-8 locales, where bytes that were no UTF-8,
    a file name's, are written back as they were; else strict)."""
    for stream in (sys.stdout, sys.stdin):
        if stream is not None:
            encoding = getattr(stream, "encoding", None) or "utf-8"
            return encoding, getattr(stream, "errors", None) or "strict"
    import _locale

    named = "" if sys.flags.ignore_environment else os.environ.get("PYTHONIOENCODING", "")
    named_encoding, _, named_errors = named.partition(":")
    if sys.stderr is not None:  # (its encoding is Python's choice, PYTHONIOENCODING's too)
        encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    elif named_encoding:
        encoding = named_encoding
    else:
        encoding = "utf-8" if sys.flags.utf8_mode else _locale.getencoding()
    if named_errors:
        return encoding, named_errors
    ctype = _locale.setlocale(_locale.LC_CTYPE)
    if sys.flags.utf8_mode or ctype in ("C", "POSIX", "C.UTF-8", "C.utf8", "UTF-8"):
        return encoding, "surrogateescape"
    return encoding, "strict"


def _leave(exc: SystemExit) -> None:
    """Leave at once when a detached process stores what the command made (a write's model,
    its data): freeing them here, page by page, would only copy for this process the memory
    it shares with that one. What was written is flushed first; nothing else is left to do
    (the lock and temporary files are gone, no thread runs)."""
    code = exc.code
    if not store.detached() or not (code is None or isinstance(code, int)):
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code or 0)


Ident = tuple[int, ...]


def _entry_name(args: list[str]) -> tuple[str, Path, bytes, os.stat_result] | None:
    """The entry that would answer ``args`` here, the ledger file it reads, its bytes and its
    status when read (its identity: :func:`reformctl.ledger.parse.file_ident`); None when such
    an answer is not kept."""
    enabled = os.environ.get("REFORMCTL_CACHE", "").strip().lower()
    if enabled in ("off", "0", "no", "false"):
        return None
    options = _globals(args)
    if options is None:
        return None
    given, rest = options
    if not rest or rest[0] not in COMMANDS or not _command_kept(rest):
        return None
    if not ("--today" in given or os.environ.get("REFORMCTL_TODAY", "").strip()):
        return None
    terminals = _terminals()
    if terminals is None:
        return None
    ledger = _ledger(given.get("--ledger"))
    if ledger is None:
        return None
    path, content, st = ledger
    env = [f"{k}={v}" for k, v in sorted(os.environ.items()) if k not in VOLATILE]
    try:
        cwd = str(Path.cwd())
    except OSError:
        return None
    parts = [cwd, str(path), terminals, *args, "\0env", *env]
    return store.key(KIND, content, *parts), path, content, st


def _globals(args: list[str]) -> tuple[dict[str, str], list[str]] | None:
    """The global options before the command (as click reads them: the last one counts) and
    the command's words; None when one is not among those kept."""
    given: dict[str, str] = {}
    i = 0
    while i < len(args) and args[i].startswith("-"):
        arg = args[i]
        name, eq, value = arg.partition("=")
        if name in GLOBAL_VALUES:
            if not eq:
                if i + 1 >= len(args):
                    return None
                value = args[i + 1]
                i += 1
            given[name] = value
        elif arg not in GLOBAL_FLAGS:
            return None
        i += 1
    return given, args[i:]


def _command_kept(rest: list[str]) -> bool:
    """``check`` is kept in text only, on the ledger the global options name."""
    if rest[0] != "check":
        return True
    words = rest[1:]
    for i, word in enumerate(words):
        name, eq, value = word.partition("=")
        if name in ("--format", "-f"):
            value = value if eq else (words[i + 1] if i + 1 < len(words) else "")
            if value != "text":
                return False
        elif name == "--ledger" or not word.startswith("-"):
            if i and words[i - 1] in ("--format", "-f", "--fail-on", "--soon", "--grace"):
                continue  # an option's value
            return False
    return True


def _terminals() -> str | None:
    """Which of stdin, stdout, stderr is a terminal, and its size; None when stdout or stderr
    is one, or they are the same file, or one is closed."""
    said = []
    try:
        out, err = os.fstat(1), os.fstat(2)
    except OSError:
        return None
    if (out.st_dev, out.st_ino) == (err.st_dev, err.st_ino):
        return None
    for fd in (0, 1, 2):
        try:
            tty = os.isatty(fd)
        except OSError:
            tty = False
        if tty and fd:
            return None
        if tty:
            size = os.get_terminal_size(fd)
            said.append(f"{fd}:{size.columns}x{size.lines}")
    return " ".join(said)


def _ledger(option: str | None) -> tuple[Path, bytes, os.stat_result] | None:
    """The one ledger file the CLI reads (as ``ledger.find`` finds it), its bytes and its
    status; None for a workspace, a file not found or not read whole."""
    explicit = option or os.environ.get("REFORMCTL_LEDGER")
    try:
        if explicit:
            path = Path(explicit).resolve()
            if path.name == CONFIG_NAME:
                return None
            start = path.parent
        else:
            here = Path.cwd().resolve()
            found = None
            for folder in (here, *here.parents):
                if (folder / CONFIG_NAME).is_file():
                    return None
                if (folder / DEFAULT_NAME).is_file():
                    found = folder / DEFAULT_NAME
                    break
            if found is None:
                return None
            path, start = found, found.parent
        if any((folder / CONFIG_NAME).is_file() for folder in (start, *start.parents)):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        import stat

        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_LEDGER:
            return None
        # (the whole file in one read, then reads to its end: joining chunks was a copy more)
        chunks = [os.read(fd, st.st_size + 1)]
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return path, chunks[0] if len(chunks) == 1 else b"".join(chunks), st
    except OSError:
        return None
    finally:
        os.close(fd)


# -- an entry: the exit code, stdout, stderr ---------------------------------------------------

_SIZE = 8


def _pack(code: int, out: bytes, err: bytes) -> bytes:
    return bytes([code]) + len(out).to_bytes(_SIZE, "little") + out + err


def _unpack(payload: bytes) -> tuple[int, bytes, bytes] | None:
    if len(payload) < 1 + _SIZE:
        return None
    code, size = payload[0], int.from_bytes(payload[1 : 1 + _SIZE], "little")
    if code not in _KEPT_CODES or 1 + _SIZE + size > len(payload):
        return None
    body = payload[1 + _SIZE :]
    return code, body[:size], body[size:]


def _replay(payload: bytes) -> bool:
    """Write the entry's answer and exit with its code; False for an entry that is not one."""
    unpacked = _unpack(payload)
    if unpacked is None:
        return False
    code, out, err = unpacked
    if not _say(out, err):
        code = 0  # the reader went away (`| head`): not an error, as in the CLI
    raise SystemExit(code)


def _say(out: bytes, err: bytes) -> bool:
    """Write ``out`` to stdout and ``err`` to stderr; False when stdout's reader went away."""
    gone = False
    try:
        _write_all(1, out)
    except BrokenPipeError:
        gone = True
    except OSError:
        pass
    with contextlib.suppress(OSError):
        _write_all(2, err)
    return not gone


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _run_and_keep(run: Callable[[], None], entry: str, path: Path, ident: Ident) -> None:
    """Run the CLI with stdout and stderr caught; write them out, keep them (when the ledger
    file is as it was before the CLI read it), exit."""
    import tempfile

    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        code, failed, out, err = _caught(run, [out_file, err_file])
    code = 0 if code is None else code
    if failed is None and isinstance(code, int) and code in _KEPT_CODES and _same(path, ident):
        store.put_bytes(entry, _pack(code, out, err))
    if not _say(out, err) and failed is None:
        code = 0  # the reader went away (`| head`): not an error, as in the CLI
    if failed is not None:
        raise failed
    raise SystemExit(code)


def _same(path: Path, ident: Ident) -> bool:
    """Whether the file at ``path`` has the identity ``ident`` still (not written since: the
    same identity before and after the CLI ran means it read the bytes the key holds)."""
    # start-up: after a command whose answer may be kept (its CLI loaded this module)
    from reformctl.ledger.parse import file_ident

    try:
        return file_ident(path.stat()) == ident
    except OSError:
        return False


def _caught(
    run: Callable[[], None], caught: list[IO[bytes]]
) -> tuple[object, BaseException | None, bytes, bytes]:
    """Run with stdout and stderr going to the files ``caught``: the exit code, the exception
    that ended it otherwise, and what it wrote to each."""
    saved = [os.dup(1), os.dup(2)]
    code: object = 0
    failed: BaseException | None = None
    try:
        for fd, file in zip((1, 2), caught, strict=True):
            os.dup2(file.fileno(), fd)
        try:
            run()
        except SystemExit as exc:
            code = exc.code
        except BaseException as exc:  # said after what was written before it, then raised
            failed = exc
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        for fd, old in zip((1, 2), saved, strict=True):
            os.dup2(old, fd)
            os.close(old)
    answer = []
    for file in caught:
        file.seek(0)
        answer.append(file.read())
    return code, failed, answer[0], answer[1]
