"""Read a workspace (several ledger files, named by a ``reformctl.toml``: see
:mod:`~reformctl.ledger.config`) as one ledger: every file's text, parsed
(:mod:`~reformctl.ledger.parse`), combined (:mod:`~reformctl.ledger.combine`), built and
checked, the model cached under all the files' bytes. Where a write goes is
:mod:`~reformctl.ledger.route`'s; a workspace at a git revision,
:mod:`~reformctl.ledger.revision`'s.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reformctl.errors import InvalidLedger, Problem, ReformctlError
from reformctl.ledger import cache
from reformctl.ledger.combine import MultiIndex, build_members, parsed_members
from reformctl.ledger.config import Workspace, config_from_data, find_config
from reformctl.ledger.parse import Loaded, display_name, parse_toml, paused_gc, read_text
from reformctl.ledger.source import Path_, SourceIndex


def read_config(config: Path) -> Workspace:
    """The workspace a ``reformctl.toml`` describes; exit 2 at ``file:line:col`` if it is not
    one."""
    name = display_name(config)
    text, problems = read_text(config, name)
    if text is None:
        raise InvalidLedger(problems)
    return config_from_text(config, text, name, None)


def config_from_text(config: Path, text: str, name: str, listing: list[str] | None) -> Workspace:
    """The workspace that a configuration's ``text`` describes (see
    :func:`~reformctl.ledger.config.config_from_data`)."""
    text = text.removeprefix("\ufeff")
    data, problems = parse_toml(text, name)
    if data is None:
        raise InvalidLedger(problems)
    return config_from_data(config, data, SourceIndex(text, name), listing)


def own_ledger(path: Path) -> bool:
    """Whether the file declares a ledger of its own (a top-level ``[ledger]`` table)."""
    try:
        text = path.read_bytes().decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    except OSError:
        return True
    data, _ = parse_toml(text, path.name)
    return data is not None and isinstance(data.get("ledger"), dict)


def containing(path: Path) -> Path | None:
    """The configuration of the workspace that lists ``path`` as a member, if any."""
    config = find_config(path.resolve().parent)
    if config is None:
        return None
    try:
        ws = read_config(config)
    except ReformctlError:
        # a configuration that is not one: a file with no [ledger] of its own is one of its
        # files (read alone it would be dozens of problems that are not the problem), so the
        # workspace is read and the configuration's error said; a ledger of its own (next
        # year's, beside it) is still read alone
        return None if own_ledger(path) else config
    real = path.resolve()
    return config if any(f.resolve() == real for f in ws.files) else None


def content_of(texts: Iterable[tuple[str, str]]) -> bytes:
    """The bytes a workspace's model is cached under: every member's name and text."""
    out = bytearray()
    for name, text in texts:
        for part in (name.encode("utf-8", "surrogatepass"), text.encode("utf-8", "surrogatepass")):
            out += len(part).to_bytes(8, "little") + part
    return bytes(out)


def read_texts(
    ws: Workspace, skip: Path | None = None
) -> tuple[list[tuple[Path, str, str]], list[Problem]]:
    """Every file's (path, display name, text without BOM), the shared file first (but
    ``skip``, a file's real path), and the problems of those that cannot be read."""
    texts: list[tuple[Path, str, str]] = []
    problems: list[Problem] = []
    for path in ws.files:
        if skip is not None and Path(os.path.realpath(path)) == skip:
            continue
        name = display_name(path)
        text, found = read_text(path, name)
        if text is None:
            problems += found
        else:
            texts.append((path, name, text.removeprefix("\ufeff")))
    return texts, problems


def load_workspace(ws: Workspace) -> Loaded:
    """The workspace read as one ledger: a :class:`~reformctl.ledger.read.Loaded` whose
    problems name each file's own lines."""
    texts, unreadable = read_texts(ws)
    config_name = display_name(ws.config)
    if unreadable:
        index = MultiIndex([SourceIndex(t, n) for _, n, t in texts], {}, config_name)
        return Loaded(ws.config, "", index, None, unreadable, workspace=ws)
    loaded = load_texts(ws.config, texts, config_name)
    loaded.workspace = ws
    return loaded


def load_texts(config: Path, texts: list[tuple[Path, str, str]], config_name: str) -> Loaded:
    """A workspace's model from its files' texts (a revision's, or the working tree's)."""
    named = [(n, t) for _, n, t in texts]
    content = content_of(named)
    if _recent is not None and _recent[0] == (config, config_name, content):
        return _recent[1]  # read twice in one command (a write routes, then checks)
    with paused_gc():
        indexes = [SourceIndex(t, n) for n, t in named]
        holder: dict[str, MultiIndex] = {}

        def compute() -> tuple[Any, list[Problem], dict[str, Any] | None]:
            members, problems = parsed_members(texts)
            if problems:
                return None, problems, None
            return build_members(members, indexes, config_name, holder)

        ledger, problems = cache.cached_model(content, config_name, compute, cache.WORKSPACE)
        index = holder.get("index") or _LazyOwners(indexes, config_name)
        loaded = Loaded(config, "", index, ledger, problems)
    _remember((config, config_name, content), loaded)
    return loaded


class _LazyOwners(MultiIndex):
    """The index of a workspace whose model came from the cache: which file holds each table
    is read from the files' headers (scanned when a place is first asked for)."""

    def __init__(self, indexes: list[SourceIndex], file: str) -> None:
        super().__init__(indexes, {}, file)
        self._known = False

    def index_of(self, path: Path_) -> SourceIndex:
        if not self._known:
            # the first file to hold a table owns it (as the build took it)
            for i in reversed(range(len(self.indexes))):
                for h in self.indexes[i].headers:
                    self.owner[h.path[:2]] = i
                    self.owner[h.path[:1]] = i
            self._known = True
        return super().index_of(path)


_recent: tuple[tuple[Path, str, bytes], Loaded] | None = None


def _remember(key: tuple[Path, str, bytes], loaded: Loaded) -> None:
    global _recent
    _recent = (key, loaded)
