"""A ledger or a workspace at a git revision and in the working tree, for ``diff``,
``history`` and ``review``: one ``ledger.toml``, or every file a ``reformctl.toml`` names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reformctl.errors import InvalidLedger, ReformctlError
from reformctl.ledger import cache, workspace
from reformctl.ledger.combine import combined_data
from reformctl.ledger.config import CONFIG_NAME, Workspace, is_config
from reformctl.ledger.gitio import commits_touching, files_at, relative_to_repo, text_at
from reformctl.ledger.parse import Loaded, display_name, read_text
from reformctl.ledger.read import load_text, parsed, parsed_data, parsed_data_pair


def data_at(path: Path, rev: str) -> dict[str, Any] | None:
    """The parsed data at ``rev`` (valid or not: review needs it most then); None when the
    ledger did not exist then; :class:`InvalidLedger` where it does not parse."""
    if is_config(path):
        data = workspace_data_at(path, rev)
        if data is None and (single := _other_form(path, rev)) is not None:
            return data_at(single, rev)  # before `workspace split`: the one ledger it was
        return data
    text = text_at(path, rev)
    if text is None and (config := _other_form(path, rev)) is not None:
        return workspace_data_at(config, rev)  # before `workspace join`: its files
    return None if text is None else parsed_data(text, f"{rev}:{path.name}")


def _other_form(path: Path, rev: str) -> Path | None:
    """The same ledger in its other form at ``rev``: for a workspace's configuration, the
    ``ledger.toml`` beside it (as it was before ``workspace split``); for a ``ledger.toml``, the
    ``reformctl.toml`` beside it (before ``workspace join``). None when there was none."""
    if is_config(path):
        other = path.with_name("ledger.toml")
    elif path.name == "ledger.toml":
        other = path.with_name(CONFIG_NAME)
    else:
        return None
    return other if text_at(other, rev) is not None else None


def worktree_data(path: Path) -> dict[str, Any]:
    """The parsed data in the working tree."""
    if is_config(path):
        texts, problems = workspace.read_texts(workspace.read_config(path))
        if problems:
            raise InvalidLedger(problems)
        return combined_data(texts)
    name = display_name(path)
    text, problems = read_text(path, name)
    if text is None:
        raise InvalidLedger(problems)
    return parsed_data(text, name)


def compared_data(
    path: Path, rev_a: str, rev_b: str | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """What ``diff`` compares: :func:`data_at` ``rev_a``, and at ``rev_b`` (None: the
    working tree, :func:`worktree_data`). Two texts of one ledger file are read together
    (:func:`~reformctl.ledger.read.parsed_data_pair`: each side's data the cache's when it
    has both, else one text's data and the tables that changed, not two texts')."""
    if not is_config(path):
        old = text_at(path, rev_a)
        new_name = f"{rev_b}:{path.name}" if rev_b is not None else display_name(path)
        try:  # (a text that cannot be read: as before, after the first text's own errors)
            new = text_at(path, rev_b) if rev_b is not None else read_text(path, new_name)[0]
        except ReformctlError:
            new = None
        if old is not None and new is not None:
            return parsed_data_pair(old, f"{rev_a}:{path.name}", new, new_name)
    old_data = data_at(path, rev_a)
    return old_data, data_at(path, rev_b) if rev_b is not None else worktree_data(path)


def loaded_at(path: Path, rev: str) -> Loaded | None:
    """The model and problems at ``rev`` (None when the ledger did not exist then)."""
    found = revision_at(path, rev)
    return None if found is None else found.load()


@dataclass(frozen=True)
class Revision:
    """A ledger (or a workspace) as it was at one revision: its files' names and texts, read;
    the model made from them when :meth:`load` is asked for (from the cache if it can be),
    and their parsed data when :meth:`data` is (what ``compare`` reads: the files are read
    from git once for both)."""

    content: bytes  # every file's name and text: what anything derived from them is keyed by
    load: Callable[[], Loaded]
    parse: Callable[[], dict[str, Any]]
    files: tuple[str, ...] = ()  # the files it is made of, from the repository root

    def data(self, loaded: Loaded | None = None) -> dict[str, Any]:
        """The parsed data (valid or not): ``loaded``'s where it parsed the text (not when
        its model came from the cache), else parsed now; :class:`InvalidLedger` where the
        text does not parse."""
        if loaded is not None and loaded.data is not None:
            return loaded.data
        return self.parse()


def revision_at(path: Path, rev: str) -> Revision | None:
    """The ledger at ``rev`` (None when it did not exist then), in whichever form it had."""
    if is_config(path):
        texts = workspace_texts_at(path, rev)
        if texts is None:
            single = _other_form(path, rev)
            return None if single is None else revision_at(single, rev)
        name = f"{rev}:{relative_to_repo(path)[1]}"
        files = (relative_to_repo(path)[1], *(relative_to_repo(p)[1] for p, _, _ in texts))
        return Revision(  # (the configuration's name too: a problem may name it)
            workspace.content_of([(name, ""), *((n, t) for _, n, t in texts)]),
            lambda: workspace.load_texts(path, texts, name),
            lambda: combined_data(texts),
            files,
        )
    text = text_at(path, rev)
    if text is None:
        config = _other_form(path, rev)
        return None if config is None else revision_at(config, rev)

    def parse() -> dict[str, Any]:
        # the data the cache holds beside the model of these bytes, else parsed here
        found = cache.cached_data(text.removeprefix("\ufeff").encode("utf-8", "surrogatepass"))
        return found if found is not None else parsed(text, f"{rev}:{path.name}")

    return Revision(
        workspace.content_of([(path.name, text)]),
        lambda: load_text(text, path.name),
        parse,
        (relative_to_repo(path)[1],),
    )


def commits(path: Path) -> list[tuple[str, dt.datetime]]:
    """Every commit that changed the ledger (any file of the workspace, or its
    configuration), oldest first, with its author time."""
    if not is_config(path):
        return commits_touching(path)
    try:
        ws = workspace.read_config(path)
    except (InvalidLedger, ReformctlError):
        return commits_touching(path)
    return commits_touching(path, pathspecs(ws))


# -- a workspace at a revision ------------------------------------------------------------------


def workspace_texts_at(config: Path, rev: str) -> list[tuple[Path, str, str]] | None:
    """Every file of the workspace as it was at ``rev``: (path, name, text), the shared file
    first; None when the workspace did not exist then."""
    text = text_at(config, rev)
    if text is None:
        return None
    _, rel = relative_to_repo(config)
    ws = workspace.config_from_text(config, text, f"{rev}:{rel}", files_at(config.parent, rev))
    out = []
    for path in ws.files:
        member = text_at(path, rev)
        if member is None:  # listed by ls-tree a moment ago: a race with a rewrite
            raise ReformctlError("unknown-revision", rev=rev)
        out.append((path, f"{rev}:{relative_to_repo(path)[1]}", member.removeprefix("\ufeff")))
    return out


def workspace_data_at(config: Path, rev: str) -> dict[str, Any] | None:
    """The workspace's data at ``rev`` as one ledger's (for ``diff``): every file must parse;
    an ID in two files keeps its first."""
    texts = workspace_texts_at(config, rev)
    if texts is None:
        return None
    return combined_data(texts)


def pathspecs(ws: Workspace) -> list[str]:
    """Git pathspecs (from the repository's root) of every file the workspace may hold,
    globs included: what ``git log`` follows for its history."""
    _, folder = relative_to_repo(ws.config)
    base = folder.rpartition("/")[0]
    specs = [ws.relative(ws.shared), *ws.patterns]
    return [f":(glob){base + '/' if base else ''}{spec}" for spec in specs]
