"""Files replaced atomically: a temporary file beside the target, written and fsynced, read
back and verified, then renamed (or linked, never overwriting) into place and the folder
fsynced. On any failure the temporary file goes and the old file stands, byte for byte. The
ledger's writes (:mod:`reformctl.ledger.write`, under its lock) and every output file (a
report, an export, a notice) go through here.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from reformctl.errors import ReformctlError
from reformctl.ledger.parse import display_name


def tmp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def fsync_dir(folder: Path) -> None:
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


def write_verified(tmp: Path, data: bytes, mode: int | None) -> None:
    """Write ``data`` to the new file ``tmp``, fsync it, give it ``mode``, and read it back:
    refused unless the file holds exactly ``data``."""
    _write_synced(tmp, data, mode)
    _read_back(tmp, data, mode)


def _write_synced(tmp: Path, data: bytes, mode: int | None) -> None:
    """Write ``data`` to the new file ``tmp`` and fsync it."""
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


def _read_back(tmp: Path, data: bytes, mode: int | None) -> None:
    """Give the written file ``mode`` (its creation's was cut by the umask) and read it back:
    refused unless it holds exactly ``data``."""
    if mode is not None:
        tmp.chmod(mode & 0o7777)
    if tmp.read_bytes() != data:
        raise ReformctlError("write-verify-failed", file=str(tmp), detail="bytes")


@contextlib.contextmanager
def staging(tmp: Path, data: bytes, mode: int | None) -> Iterator[_Staged]:
    """A :class:`_Staged` file for the block: when the block fails (the write is refused),
    the file goes once its thread is done; the thread is done when the block ends."""
    staged = _Staged(tmp, data, mode)
    try:
        yield staged
    except BaseException:
        staged.discard()
        raise
    staged.join()


class _Staged:
    """A write's new bytes written to its temporary file and fsynced by a thread while the
    write is proven and checked: the disk's wait beside that work, not after it. Then
    :func:`_replace` reads the file back, verifies it and renames it, as when it writes it
    itself; a write refused meanwhile removes it (:meth:`discard`). Nothing is renamed, and
    no other file is touched, before the proof and the rules have passed."""

    def __init__(self, tmp: Path, data: bytes, mode: int | None) -> None:
        # start-up: `done`, `log`, `extend` (every write) have threading loaded already
        import threading

        self.tmp, self.data = tmp, data
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(mode,), daemon=True)
        self._thread.start()

    def _run(self, mode: int | None) -> None:
        try:
            _write_synced(self.tmp, self.data, mode)
        except BaseException as exc:  # (raised again by wait, in the thread that waits)
            self._error = exc

    def wait(self) -> None:
        """Until the file is written and synced; raises what writing it raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error

    def join(self) -> None:
        self._thread.join()

    def discard(self) -> None:
        """The write is refused: the temporary file goes (once the thread is done with it)."""
        self._thread.join()
        with contextlib.suppress(FileNotFoundError):
            self.tmp.unlink()


def replace_verified(
    path: Path,
    text: str,
    verify: Callable[[str], None] | None = None,
    encoded: bytes | None = None,
    staged: _Staged | None = None,
) -> None:
    """Atomically replace ``path`` with ``text`` (caller holds the lock), keeping its mode.

    ``verify`` gets the text as read back from disk and raises if it is not what was meant.
    ``encoded``: ``text``'s UTF-8 bytes, when the caller has them already (not encoded again);
    ``staged``: those bytes being written to the temporary file already (see :class:`_Staged`).
    """
    try:
        mode: int | None = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    data = text.encode("utf-8") if encoded is None else encoded
    _replace(path, data, verify, mode, text, staged)


def _replace(
    path: Path,
    data: bytes,
    verify: Callable[[str], None] | None,
    mode: int | None,
    text: str | None = None,
    staged: _Staged | None = None,
) -> None:
    """Temporary file, fsync, read back, verify, rename, fsync the folder; on any failure the
    temporary file goes and the old file stands. ``text``: what ``data`` encodes (strict
    UTF-8), given to ``verify`` as the text read back: the file was read back once already
    and held exactly ``data``, and UTF-8 decodes those bytes to that text and no other.
    ``staged``: the temporary file is being written and synced with ``data`` already."""
    tmp = tmp_path(path)
    try:
        if staged is None or staged.tmp != tmp or staged.data is not data:
            if staged is not None:
                staged.discard()
            write_verified(tmp, data, mode)
        else:
            staged.wait()
            _read_back(tmp, data, mode)
        if verify is not None:
            verify(tmp.read_bytes().decode("utf-8") if text is None else text)
        tmp.replace(path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            raise ReformctlError("write-failed", file=display_name(path), reason=reason) from exc
        raise
    fsync_dir(path.parent.resolve())


def replace_file(path: Path, data: bytes) -> None:
    """Write an output file (a report, an export) atomically: a reader never sees half of it."""
    _replace(path, data, None, None)


def create_file(path: Path, data: bytes) -> None:
    """Create a new file atomically; refuses if it exists (never overwrites)."""
    with staged_file(path, data, overwrite=False):
        pass


@contextlib.contextmanager
def staged_file(path: Path, data: bytes, overwrite: bool) -> Iterator[None]:
    """An output file written before what it depends on is recorded: the bytes go to a
    temporary file beside ``path`` first (no folder, a folder in the way, no room, no
    permission: refused before anything else is written), the block runs (the ledger's
    write), and only then is the file put in place (a new name linked, never overwriting
    unless ``overwrite``). If the block fails, the temporary file goes and nothing is made."""
    name = display_name(path)
    if path.exists() and not overwrite:
        raise ReformctlError("file-exists", file=name)
    if path.is_dir():  # (errno 21: EISDIR, in the system's words like every write failure)
        raise ReformctlError("write-failed", file=name, reason=os.strerror(21))
    tmp = tmp_path(path)
    try:
        try:
            write_verified(tmp, data, None)
        except OSError as exc:
            raise ReformctlError(
                "write-failed", file=name, reason=exc.strerror or str(exc)
            ) from exc
        yield
        try:
            if overwrite:
                tmp.replace(path)
            else:
                os.link(tmp, path)
        except FileExistsError:
            raise ReformctlError("file-exists", file=name) from None
        except OSError as exc:
            raise ReformctlError(
                "write-failed", file=name, reason=exc.strerror or str(exc)
            ) from exc
        fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
