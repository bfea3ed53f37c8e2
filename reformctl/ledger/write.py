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

from reformctl.errors import InvalidLedger, ReformctlError
from reformctl.ledger import tomltext
from reformctl.ledger.lock import LedgerLock
from reformctl.model import SCHEMA_VERSION


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
        raise ReformctlError("write-verify-failed", file=str(tmp))


def replace_verified(
    path: Path, text: str, verify: Callable[[str], None] | None = None, newline: str = "\n"
) -> None:
    """Atomically replace ``path`` with ``text`` (caller holds the lock).

    ``verify`` gets the text as read back from disk and raises if it is not what was meant.
    """
    data = text.encode("utf-8")
    tmp = _tmp_path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    try:
        _write_verified(tmp, data, mode)
        if verify is not None:
            verify(tmp.read_bytes().decode("utf-8"))
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
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
    from reformctl.ledger.read import display_name, load

    name = display_name(path)
    if path.exists():
        raise ReformctlError("ledger-exists", file=name)
    text = initial_text(year, title, timezone)

    def verify(written: str) -> None:
        if written != text:
            raise ReformctlError("write-verify-failed", file=name)
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
