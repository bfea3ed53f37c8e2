"""A pager as git's: output longer than the screen, on a terminal, goes through
``$REFORMCTL_PAGER``, else ``$PAGER`` (``cat`` or empty: none), else ``less -FRX``.

Never when stdout is not a terminal (piped, redirected, captured), never with ``--no-pager``.
The command's output is held until it ends (it is built at once anyway), then either written
straight to the terminal (it fits on the screen) or handed to the pager.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator

DEFAULT_PAGER = "less"
ENV_PAGER = "REFORMCTL_PAGER"


def pager_command() -> str | None:
    """The pager to run, or None for none (as git: its own variable, then PAGER, then less)."""
    for name in (ENV_PAGER, "PAGER"):
        value = os.environ.get(name)
        if value is not None:
            value = value.strip()
            return None if value in ("", "cat") else value
    return DEFAULT_PAGER if shutil.which(DEFAULT_PAGER) else None


class _Held(io.StringIO):
    """Stdout while a command runs: a terminal to everything that asks (so tables keep their
    colours and layout), text kept until the command ends."""

    def __init__(self, real: object) -> None:
        super().__init__()
        self.encoding_name = getattr(real, "encoding", None) or "utf-8"
        self._bytes = _HeldBytes(self)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.encoding_name

    def isatty(self) -> bool:
        return True

    @property
    def buffer(self) -> _HeldBytes:  # type: ignore[override]
        """What writes bytes (``git textconv``, ``export --out -``) writes to: held in order
        with the text (a terminal shows text: bytes that are not UTF-8 are shown replaced)."""
        return self._bytes


class _HeldBytes:
    """The binary side of :class:`_Held`: bytes written are decoded into the held text."""

    def __init__(self, held: _Held) -> None:
        import codecs

        self._held = held
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def write(self, data: bytes) -> int:
        self._held.write(self._decoder.decode(bytes(data)))
        return len(data)

    def flush(self) -> None:
        self._held.write(self._decoder.decode(b"", final=True))


def _screen_lines(text: str, columns: int) -> int:
    # start-up: `check` does not load render.terminal
    from reformctl.render.terminal import width

    plain = text.replace("\x1b[0m", "")
    total = 0
    for line in plain.splitlines():
        cells = width(_strip_ansi(line)) if "\x1b" in line else width(line)
        total += max(1, -(-cells // columns))
    return total


def _strip_ansi(line: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", line)


def _run_pager(command: str, text: str) -> None:
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git: quit if one screen, keep colours, keep the screen
    env.setdefault("LV", "-c")
    if command == DEFAULT_PAGER:
        command = "less -FRX"
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the pager
    try:
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # the reader quit early: fine
            proc.stdin.write(text.encode("utf-8", "replace"))
            proc.stdin.close()
        if proc.wait() == 127:  # the shell found no such pager: the text still gets out
            sys.stdout.write(text)
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def paged(enabled: bool = True) -> Iterator[None]:
    """Run the body with its stdout paged if it turns out longer than the screen."""
    real = sys.stdout
    command = pager_command() if enabled and real.isatty() else None
    if command is None:
        yield
        return
    held = _Held(real)
    sys.stdout = held
    try:
        yield
    finally:
        sys.stdout = real
        text = held.getvalue()
        size = shutil.get_terminal_size((80, 24))
        if text and _screen_lines(text, size.columns) >= size.lines:
            try:
                _run_pager(command, text)
            except OSError:
                real.write(text)
        else:
            real.write(text)
        real.flush()
