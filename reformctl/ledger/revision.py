"""A ledger or a workspace at a git revision and in the working tree, for ``diff``,
``history`` and ``review``: one ``ledger.toml``, or every file a ``reformctl.toml`` names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reformctl.errors import InvalidLedger, ReformctlError
from reformctl.ledger import workspace

if TYPE_CHECKING:
    from reformctl.ledger.read import Loaded


def data_at(path: Path, rev: str) -> dict[str, Any] | None:
    """The parsed data at ``rev`` (valid or not: review needs it most then); None when the
    ledger did not exist then; :class:`InvalidLedger` where it does not parse."""
    from reformctl.ledger.gitio import text_at
    from reformctl.ledger.read import parsed

    if workspace.is_config(path):
        data = workspace.data_at(path, rev)
        if data is None and (single := _other_form(path, rev)) is not None:
            return data_at(single, rev)  # before `workspace split`: the one ledger it was
        return data
    text = text_at(path, rev)
    if text is None and (config := _other_form(path, rev)) is not None:
        return workspace.data_at(config, rev)  # before `workspace join`: its files
    return None if text is None else parsed(text, f"{rev}:{path.name}")


def _other_form(path: Path, rev: str) -> Path | None:
    """The same ledger in its other form at ``rev``: for a workspace's configuration, the
    ``ledger.toml`` beside it (as it was before ``workspace split``); for a ``ledger.toml``, the
    ``reformctl.toml`` beside it (before ``workspace join``). None when there was none."""
    from reformctl.ledger.gitio import text_at

    if workspace.is_config(path):
        other = path.with_name("ledger.toml")
    elif path.name == "ledger.toml":
        other = path.with_name(workspace.CONFIG_NAME)
    else:
        return None
    return other if text_at(other, rev) is not None else None


def worktree_data(path: Path) -> dict[str, Any]:
    """The parsed data in the working tree."""
    from reformctl.ledger.read import display_name, parsed, read_text

    if workspace.is_config(path):
        texts, problems = workspace.read_texts(workspace.read_config(path))
        if problems:
            raise InvalidLedger(problems)
        return workspace.combined_data(texts)
    name = display_name(path)
    text, problems = read_text(path, name)
    if text is None:
        raise InvalidLedger(problems)
    return parsed(text, name)


def loaded_at(path: Path, rev: str) -> Loaded | None:
    """The model and problems at ``rev`` (None when the ledger did not exist then)."""
    from reformctl.ledger.gitio import text_at
    from reformctl.ledger.read import load_text

    if workspace.is_config(path):
        loaded = workspace.load_at(path, rev)
        if loaded is None and (single := _other_form(path, rev)) is not None:
            return loaded_at(single, rev)
        return loaded
    text = text_at(path, rev)
    if text is None and (config := _other_form(path, rev)) is not None:
        return workspace.load_at(config, rev)
    return None if text is None else load_text(text, path.name)


def commits(path: Path) -> list[tuple[str, dt.datetime]]:
    """Every commit that changed the ledger (any file of the workspace, or its
    configuration), oldest first, with its author time."""
    from reformctl.ledger.gitio import commits_touching

    if not workspace.is_config(path):
        return commits_touching(path)
    try:
        ws = workspace.read_config(path)
    except (InvalidLedger, ReformctlError):
        return commits_touching(path)
    return commits_touching(path, ws.pathspecs())
