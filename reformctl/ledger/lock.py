"""A git-style lock: ``ledger.toml.lock``, created exclusively, naming its holder.

A writer waits a few seconds for the lock, then refuses (exit 2) naming the holder. A lock
left by a process that is gone is reported as stale, with how to clear it; it is never broken
silently, since its holder might be on another machine sharing the folder.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from pathlib import Path
from types import TracebackType

from reformctl.errors import LockBusy

ENV_TIMEOUT = "REFORMCTL_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 5.0


def lock_path(ledger: Path) -> Path:
    return ledger.with_name(ledger.name + ".lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LedgerLock:
    def __init__(self, ledger: Path, timeout: float | None = None) -> None:
        self.path = lock_path(ledger)
        self.ledger = ledger
        if timeout is None:
            try:
                timeout = float(os.environ.get(ENV_TIMEOUT, DEFAULT_TIMEOUT))
            except ValueError:
                timeout = DEFAULT_TIMEOUT
        self.timeout = timeout
        self.held = False

    def __enter__(self) -> LedgerLock:
        deadline = time.monotonic() + self.timeout
        holder = f"{os.getpid()} {socket.gethostname()} {time.time():.0f}\n"
        delay = 0.005
        while True:
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if time.monotonic() >= deadline:
                    self._refuse()
                time.sleep(delay)
                delay = min(delay * 2, 0.1)
                continue
            except OSError as exc:
                raise LockBusy("lock-failed", file=str(self.path), reason=exc.strerror) from None
            with os.fdopen(fd, "w") as fh:
                fh.write(holder)
            self.held = True
            return self

    def _refuse(self) -> None:
        try:
            parts = self.path.read_text().split()
        except OSError:
            parts = []
        pid = int(parts[0]) if parts and parts[0].isdigit() else None
        host = parts[1] if len(parts) > 1 else "?"
        from reformctl.ledger.read import display_name

        ledger, lock = display_name(self.ledger), display_name(self.path)
        if pid is not None and host == socket.gethostname() and not _alive(pid):
            raise LockBusy("lock-stale", file=ledger, lock=lock, pid=pid)
        holder = pid if pid is not None else "?"
        raise LockBusy("lock-busy", file=ledger, lock=lock, pid=holder, host=host)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.held:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self.held = False
