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


def display_name(path: Path) -> str:
    from reformctl.ledger.read import display_name as name

    return name(path)


ENV_TIMEOUT = "REFORMCTL_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 5.0


def lock_path(ledger: Path) -> Path:
    return ledger.with_name(ledger.name + ".lock")


def _timeout_from_env() -> float:
    """``REFORMCTL_LOCK_TIMEOUT`` in seconds, 0 to 600; anything else is the default."""
    import math

    try:
        value = float(os.environ.get(ENV_TIMEOUT, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    if not math.isfinite(value) or not 0 <= value <= 600:
        return DEFAULT_TIMEOUT
    return value


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
            timeout = _timeout_from_env()
        self.timeout = timeout
        self.held = False

    def __enter__(self) -> LedgerLock:
        """Take the lock: the lock file is made whole (with its holder) beside it, then linked
        into place, which fails if a lock exists. So a lock file is never empty, and a full
        disk leaves no lock behind."""
        deadline = time.monotonic() + self.timeout
        holder = f"{os.getpid()} {socket.gethostname()} {time.time():.0f}\n"
        staged = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            fd = os.open(staged, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o644)
            try:
                os.write(fd, holder.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                staged.unlink()
            raise LockBusy("lock-failed", file=str(self.path), reason=exc.strerror) from None
        delay = 0.005
        late_tries = 3  # a lock released while it was being read is tried again
        try:
            while True:
                try:
                    os.link(staged, self.path)
                except FileExistsError:
                    if time.monotonic() >= deadline:
                        if late_tries == 0:
                            raise LockBusy(
                                "lock-busy",
                                file=display_name(self.ledger),
                                lock=display_name(self.path),
                                pid="?",
                                host="?",
                            ) from None
                        late_tries -= 1
                        self._refuse()
                        continue
                    time.sleep(delay)
                    delay = min(delay * 2, 0.1)
                    continue
                except OSError as exc:
                    raise LockBusy(
                        "lock-failed", file=str(self.path), reason=exc.strerror
                    ) from None
                self.held = True
                self._on_term()
                return self
        finally:
            with contextlib.suppress(OSError):
                staged.unlink()

    def _on_term(self) -> None:
        """A writer stopped with SIGTERM (a CI job cancelled, `timeout`) unwinds like any
        failure, so its lock and temporary file go with it; SIGKILL cannot be caught, and
        leaves a stale lock that the next writer explains."""
        import signal
        import threading

        self._old_term: object = None
        if threading.current_thread() is not threading.main_thread():
            return

        def stop(signum: int, frame: object) -> None:
            raise SystemExit(128 + signum)

        self._old_term = signal.signal(signal.SIGTERM, stop)

    def _refuse(self) -> None:
        """Raise why the lock cannot be had; return if it has just been released."""
        try:
            parts = self.path.read_text(errors="replace").split()
        except FileNotFoundError:
            return  # released just now: the caller tries once more
        except OSError:
            parts = []
        pid = int(parts[0]) if parts and parts[0].isdigit() else None
        host = parts[1] if len(parts) > 1 else "?"
        import shlex

        ledger, lock = display_name(self.ledger), shlex.quote(display_name(self.path))
        if pid is None:
            # empty or garbled: no writer of ours leaves one (older versions did on a full disk)
            raise LockBusy("lock-empty", file=ledger, lock=lock)
        if host == socket.gethostname() and not _alive(pid):
            raise LockBusy("lock-stale", file=ledger, lock=lock, pid=pid)
        raise LockBusy("lock-busy", file=ledger, lock=lock, pid=pid, host=host)

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
            old = getattr(self, "_old_term", None)
            if old is not None:
                import signal

                signal.signal(signal.SIGTERM, old)
