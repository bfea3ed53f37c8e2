"""Read a ledger fast: bytes → text → rtoml → model, with problems as data.

Never tomlkit on this path: rtoml (Rust) parses a 10,000-point ledger in about a sixth of
tomllib's time. Positions come from :class:`~reformctl.ledger.source.SourceIndex`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reformctl.errors import InvalidLedger, Problem, ReformctlError
from reformctl.ledger.build import build_ledger
from reformctl.ledger.source import SourceIndex
from reformctl.model import Ledger, Loc

MAX_BYTES = 50 * 1024 * 1024
_RTOML_POS_RE = re.compile(r"^(.*?)\s*at line (\d+) column (\d+)\s*$", re.S)


@dataclass
class Loaded:
    """What reading a ledger gives: the model, every problem, and the source index."""

    path: Path
    text: str
    index: SourceIndex
    ledger: Ledger | None
    problems: list[Problem]

    def valid(self) -> Ledger:
        """The ledger, or :class:`InvalidLedger` with every problem."""
        if self.problems or self.ledger is None:
            raise InvalidLedger(self.problems)
        return self.ledger


def display_name(path: Path) -> str:
    """The path as a user would type it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problem that stops it being read."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReformctlError("ledger-missing", file=name) from None
    except OSError as exc:
        raise ReformctlError("ledger-unreadable", file=name, reason=exc.strerror) from None
    if size > MAX_BYTES:
        return None, [
            Problem("file-too-large", Loc(name, 1, 1), {"size": size, "limit": MAX_BYTES})
        ]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReformctlError("ledger-unreadable", file=name, reason=exc.strerror) from None
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem("not-utf8", Loc(name, line, col))]


def parse_toml(text: str, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse with rtoml; a syntax error becomes one problem at its line and column."""
    import rtoml

    try:
        return rtoml.loads(text), []
    except rtoml.TomlParsingError as exc:
        return None, [_syntax_problem(str(exc), name)]
    except RecursionError as exc:  # defensive: rtoml has its own depth limit
        return None, [Problem("too-deep", Loc(name, 1, 1), {"detail": str(exc)})]


def _syntax_problem(message: str, name: str) -> Problem:
    m = _RTOML_POS_RE.match(message)
    detail, line, col = (m.group(1), int(m.group(2)), int(m.group(3))) if m else (message, 1, 1)
    code = "too-deep" if "recurs" in detail else "toml-syntax"
    hint = None
    if "date" in detail:
        hint = "hint-toml-date"
    elif "duplicate" in detail:
        hint = "hint-toml-duplicate"
    return Problem(code, Loc(name, line, col), {"detail": detail.strip()}, hint)


def load(path: Path) -> Loaded:
    """Read, parse, build and validate the ledger at ``path``. Raises only if unreadable."""
    with paused_gc():
        return _load(path)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The parsed data and the model hold no reference cycles: pausing the cyclic garbage
    collector while millions of small objects are made saves a quarter of the time, and
    freezing them afterwards keeps later collections from scanning them again."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if paused:
            gc.enable()


def _load(path: Path) -> Loaded:
    name = display_name(path)
    text, problems = read_text(path, name)
    if text is None:
        return Loaded(path, "", SourceIndex("", name), None, problems)
    return _load_text(path, text, name)


def load_text(text: str, name: str) -> Loaded:
    """Build and validate a ledger from text (a git revision's, for one)."""
    with paused_gc():
        return _load_text(Path(name), text.removeprefix("\ufeff"), name)


def _load_text(path: Path, text: str, name: str) -> Loaded:
    data, problems = parse_toml(text, name)
    index = SourceIndex(text, name)
    if data is None:
        return Loaded(path, text, index, None, problems)
    ledger, problems = build_ledger(data, index)
    return Loaded(path, text, index, ledger, problems)
