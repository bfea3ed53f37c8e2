"""Writes are atomic, locked and verified.

Under the lock: write the new text to a temporary file beside the ledger, fsync it, give it the
old file's mode, read it back and verify it (bytes as intended, and the caller's check of the
parsed result), then rename it over the ledger and fsync the folder. On any failure the old
file stands, byte for byte.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reformctl.errors import InvalidLedger, ReformctlError
from reformctl.ledger import tomltext
from reformctl.ledger.lock import LedgerLock
from reformctl.ledger.read import display_name, paused_gc
from reformctl.model import SCHEMA_VERSION

if TYPE_CHECKING:
    from reformctl.ledger.changes import Change
    from reformctl.ledger.edit import Source


def _tmp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_verified(tmp: Path, data: bytes, mode: int | None) -> None:
    fd = os.open(
        tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644 if mode is None else mode & 0o7777
    )
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    if mode is not None:
        tmp.chmod(mode & 0o7777)
    if tmp.read_bytes() != data:
        raise ReformctlError("write-verify-failed", file=str(tmp), detail="bytes")


def replace_verified(path: Path, text: str, verify: Callable[[str], None] | None = None) -> None:
    """Atomically replace ``path`` with ``text`` (caller holds the lock), keeping its mode.

    ``verify`` gets the text as read back from disk and raises if it is not what was meant.
    """
    try:
        mode: int | None = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    _replace(path, text.encode("utf-8"), verify, mode)


def _replace(
    path: Path, data: bytes, verify: Callable[[str], None] | None, mode: int | None
) -> None:
    """Temporary file, fsync, read back, verify, rename, fsync the folder; on any failure the
    temporary file goes and the old file stands."""
    tmp = _tmp_path(path)
    try:
        _write_verified(tmp, data, mode)
        if verify is not None:
            verify(tmp.read_bytes().decode("utf-8"))
        tmp.replace(path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            raise ReformctlError("write-failed", file=display_name(path), reason=reason) from exc
        raise
    _fsync_dir(path.parent.resolve())


def initial_text(year: int, title: str, timezone: str) -> str:
    return (
        "# 改革工作要点台账 — reformctl ledger (docs/ledger-format.md)\n"
        f"schema = {SCHEMA_VERSION}\n"
        "\n"
        "[ledger]\n"
        f"title = {tomltext.string(title)}\n"
        f"year = {year}\n"
        f"timezone = {tomltext.string(timezone)}\n"
    )


def create_ledger(path: Path, year: int, title: str, timezone: str) -> str:
    """Create a new ledger; refuses if the file exists. Returns its display name."""
    from reformctl.ledger.read import load

    name = display_name(path)
    if path.exists():
        raise ReformctlError("ledger-exists", file=name)
    text = initial_text(year, title, timezone)

    def verify(written: str) -> None:
        if written != text:
            raise ReformctlError("write-verify-failed", file=name, detail="text")
        problems = load(_tmp_path(path)).problems
        if problems:
            raise InvalidLedger(problems)

    if not path.parent.exists():
        raise ReformctlError("ledger-unreadable", file=name, reason="no such folder")
    with LedgerLock(path):
        tmp = _tmp_path(path)
        try:
            _write_verified(tmp, text.encode("utf-8"), None)
            verify(tmp.read_text(encoding="utf-8"))
            try:
                os.link(tmp, path)  # fails if the ledger appeared meanwhile: never overwrite
            except FileExistsError:
                raise ReformctlError("ledger-exists", file=name) from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        _fsync_dir(path.parent.resolve())
    return name


def transact(path: Path, plan: Callable[[Source], Change]) -> Change:
    """Make one change to the ledger: under the lock, read, plan, splice, verify, replace.

    ``plan`` reads what it needs from the :class:`Source` and returns the splices (or raises a
    refusal). The new text is checked before it replaces the ledger: the bytes read back from
    the temporary file are the ones meant, every edited table reads back as the intended facts,
    and the whole text still parses. On any failure the old file stands.
    """
    from reformctl.ledger.edit import Source, verify_splices, within_limit

    if not path.exists():
        raise ReformctlError("ledger-missing", file=display_name(path))
    with LedgerLock(path), paused_gc():
        src = Source.read(path)
        change = plan(src)
        new_text = src.apply(change.splices)
        within_limit(new_text, src.name)
        data = src.encode(new_text)

        def verify(written: str) -> None:
            if written != data:
                raise ReformctlError("write-verify-failed", file=src.name, detail="bytes")
            verify_splices(new_text, change.splices, src.name, src.index)

        replace_verified(path, data, verify)
    return change


def format_ledger(path: Path, write: bool) -> tuple[str, bool]:
    """Put the ledger in canonical form (if ``write``); returns its name and whether it was not."""
    from reformctl.ledger.canonical import canonical, same_facts
    from reformctl.ledger.edit import Source, parse_fragment

    if not path.exists():
        raise ReformctlError("ledger-missing", file=display_name(path))
    src = Source.read(path)
    parse_fragment_check = src.text  # a ledger that does not parse is not reformatted
    new_text = canonical(src.text)
    if new_text == src.text:
        return src.name, False
    if not write:
        return src.name, True
    parse_fragment(parse_fragment_check, src.name)
    with LedgerLock(path):
        current = Source.read(path)
        if current.text != src.text:
            raise ReformctlError("ledger-changed", file=src.name)
        data = src.encode(new_text)

        def verify(written: str) -> None:
            if written != data or not same_facts(src.text, new_text, src.name):
                raise ReformctlError("write-verify-failed", file=src.name, detail="fmt")

        replace_verified(path, data, verify)
    return src.name, True


def replace_file(path: Path, data: bytes) -> None:
    """Write an output file (a report, an export) atomically: a reader never sees half of it."""
    _replace(path, data, None, None)


def create_file(path: Path, data: bytes) -> None:
    """Create a new file atomically; refuses if it exists (never overwrites)."""
    name = display_name(path)
    if path.exists():
        raise ReformctlError("file-exists", file=name)
    tmp = _tmp_path(path)
    try:
        _write_verified(tmp, data, None)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise ReformctlError("file-exists", file=name) from None
        except OSError as exc:
            raise ReformctlError(
                "write-failed", file=name, reason=exc.strerror or str(exc)
            ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
