"""A git-style lock: ``ledger.toml.lock``, created exclusively, naming its holder.

A writer waits a few seconds for the lock, then refuses (exit 2) naming the holder. A lock
left by a process that is gone is reported as stale, with how to clear it; it is never broken
silently, since its holder might be on another machine sharing the folder.
"""

from __future__ import annotations

import contextlib
import os
import platform
import time
from pathlib import Path
from types import TracebackType
from typing import Protocol

from reformctl.errors import LockBusy
from reformctl.ledger.parse import display_name as name


def display_name(path: Path) -> str:
    return name(path)


def _host() -> str:
    """This machine's name (``uname``'s node name, which ``gethostname`` gives: platform is
    loaded already, socket would cost a write ~1.5 ms more)."""
    return platform.node()


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
    """Whether process ``pid`` of this machine is running. Never ``os.kill(pid, 0)`` on
    Windows: there it does not test a process but sends CTRL_C_EVENT to its group (and a dead
    holder is never reported)."""
    if _on_windows():
        return _alive_windows(pid, _winapi())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError):  # an impossible pid (a hand-made lock): no such process
        return False
    return True


def _on_windows() -> bool:
    import sys

    return sys.platform == "win32"


class WinApi(Protocol):
    """The three calls of kernel32 the check needs (a test stands in for them)."""

    def open_process(self, pid: int) -> tuple[int, int]:
        """OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION): (handle or 0, GetLastError)."""
        ...

    def exit_code(self, handle: int) -> int | None:
        """GetExitCodeProcess: the code (STILL_ACTIVE while it runs), None if it fails."""
        ...

    def close(self, handle: int) -> None: ...


STILL_ACTIVE = 259
ERROR_ACCESS_DENIED = 5


def _alive_windows(pid: int, api: WinApi) -> bool:
    """A process that cannot be opened is gone (ERROR_INVALID_PARAMETER), unless it is
    another user's (ERROR_ACCESS_DENIED: it exists); one that can be is running while its
    exit code is STILL_ACTIVE. When in doubt, alive: a lock is never called stale wrongly."""
    handle, error = api.open_process(pid)
    if not handle:
        return error == ERROR_ACCESS_DENIED
    try:
        code = api.exit_code(handle)
        return code is None or code == STILL_ACTIVE
    finally:
        api.close(handle)


class _Kernel32:
    """:class:`WinApi` through ctypes (made only on Windows)."""

    PROCESS_QUERY_LIMITED_INFORMATION = 0x1000

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        self._ctypes = ctypes
        dll = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        self._open = dll.OpenProcess
        self._open.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
        self._open.restype = wintypes.HANDLE
        self._code = dll.GetExitCodeProcess
        self._code.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
        self._code.restype = wintypes.BOOL
        self._close = dll.CloseHandle
        self._close.argtypes = [wintypes.HANDLE]
        self._close.restype = wintypes.BOOL
        self._dword = wintypes.DWORD

    def open_process(self, pid: int) -> tuple[int, int]:
        handle = self._open(self.PROCESS_QUERY_LIMITED_INFORMATION, False, pid & 0xFFFFFFFF)
        error = self._ctypes.get_last_error()  # type: ignore[attr-defined]
        return int(handle or 0), int(error)

    def exit_code(self, handle: int) -> int | None:
        code = self._dword()
        if not self._code(handle, self._ctypes.byref(code)):
            return None
        return int(code.value)

    def close(self, handle: int) -> None:
        self._close(handle)


def _winapi() -> WinApi:
    return _Kernel32()


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
        holder = f"{os.getpid()} {_host()} {time.time():.0f}\n"
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
        if host == _host() and not _alive(pid):
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
